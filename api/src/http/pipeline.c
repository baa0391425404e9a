/*
 * Running a request's SQL: the one place that turns a batch of statements
 * into an answer when something other than the handler's own result has
 * to be sent.
 *
 *   pipeline_init()   auth_begin() first for an authenticated route, then
 *                     idem_begin() for a request with an Idempotency-Key;
 *   (the handler queues its statements)
 *   pipeline_run()    one round trip; 503 when the database is gone, the
 *                     SQL error as an API error, or the stored response of
 *                     a replayed request (idem_begin() says so as data, and
 *                     the request's write did not run). Returns 0 when the
 *                     handler should answer with its results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/idempotency.h"
#include "core/router.h"
#include "core/routes.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/observe.h"
#include "http/pipeline.h"
#include "http/portal_auth.h"
#include "http/reply.h"
#include "http/request.h"

/*
 * A batch that only looks things up on the way to the request's write
 * (the number pattern before a create, the password before a purge): it
 * is authenticated but does not claim the Idempotency-Key, which belongs
 * to the transaction that writes.
 */
void
pipeline_init_lookup(struct request *req, struct db *db)
{
	db_init(db);
	if (req->route->auth == AUTH_REQUIRED)
		auth_add(req, db);
	else if (req->route->auth == AUTH_PORTAL)
		portal_auth_add(req, db);
}

/*
 * A batch that opens a transaction the next batches continue (db_next()),
 * for a request whose writes take several round trips (an upload's
 * chunks): BEGIN, then the authentication, whose settings last as long as
 * the transaction. The handler's last batch ends with COMMIT; db_cleanup()
 * rolls back one that did not.
 */
void
pipeline_init_transaction(struct request *req, struct db *db)
{
	db_init(db);
	db_hold(db);
	DB_ADD0(db, "BEGIN");
	if (req->route->auth == AUTH_REQUIRED)
		auth_add(req, db);
	else if (req->route->auth == AUTH_PORTAL)
		portal_auth_add(req, db);
}

/* Who the request acts as, from the first statement's row. */
static void
read_who(struct request *req, struct db *db)
{
	if (req->cred == CRED_PORTAL)
		portal_auth_read(req, db, db->auth_stmt);
	else
		auth_read(req, db, db->auth_stmt, 1);
}

/* The request's batch: authenticated, and claiming its Idempotency-Key. */
void
pipeline_init(struct request *req, struct db *db)
{
	pipeline_init_lookup(req, db);
	if (req->idem.key[0] != '\0')
		db->idem_stmt = DB_ADD(db, IDEMPOTENCY_BEGIN_SQL, req->idem.key,
		    req->idem.fingerprint);
}

/* The key as a SQL parameter (NULL without one), for idem_store(). */
const char *
pipeline_idem_key(struct request *req)
{
	return (req->idem.key[0] != '\0' ? req->idem.key : NULL);
}

/*
 * Answers a request that reused its Idempotency-Key with the first
 * response (idem_begin()'s row i), as that request got it: the status,
 * the body, its ETag and, for a 201, its Location.
 */
static void
replay(struct request *req, struct db *db, int i)
{
	struct idempotency_replay r;
	const char		 *body;
	char			  location[192];

	body = db_get(db, i, 0, "response");
	if (idempotency_replay(db_get(db, i, 0, "status"), body, &r) != 0) {
		observe_log(OBSERVE_ERROR, req,
		    "stored response of key \"%s\" cannot be replayed",
		    req->idem.key);
		reply_errorf(req, API_ERR_INTERNAL, "internal error");
		return;
	}
	reply_header(req, "idempotent-replayed", "true");
	if (r.etag[0] != '\0')
		reply_header(req, "etag", r.etag);
	if (r.id[0] != '\0') {
		snprintf(
		    location, sizeof(location), "%s/%s", req->http->path, r.id);
		reply_header(req, "location", location);
	}
	reply_sql_json(req, r.status, body);
}

/*
 * Sends the batch (a read is retried once on a connection that died under
 * it) and counts its round trips for Server-Timing. Returns db_run()'s
 * DB_OK, DB_ERR_SQL or DB_ERR_DOWN; answers nothing.
 */
int
pipeline_exec(struct request *req, struct db *db)
{
	int rc;

	rc = db_run(db, (req->method & (ROUTE_GET | ROUTE_HEAD)) != 0);
	req->db_trips += db->trips;
	req->db_ms += db->ms;
	if (rc == DB_ERR_DOWN)
		req->db_unavailable = 1;
	db->trips = 0;
	db->ms = 0;
	return (rc);
}

int
pipeline_run(struct request *req, struct db *db)
{
	struct api_error err;
	int		 rc;

	if ((rc = pipeline_exec(req, db)) == DB_OK) {
		if (db->auth_stmt >= 0)
			read_who(req, db);
		if (db->idem_stmt >= 0 &&
		    strcmp(db_get(db, db->idem_stmt, 0, "replayed"), "t") ==
			0) {
			replay(req, db, db->idem_stmt);
			return (-1);
		}
		return (0);
	}
	/* Who asked, for the log, when a later statement refused them. */
	if (rc == DB_ERR_SQL && db->auth_stmt >= 0 &&
	    db->failed > db->auth_stmt && db_rows(db, db->auth_stmt) == 1)
		read_who(req, db);
	api_error_init(&err, API_ERR_INTERNAL);
	if (rc == DB_ERR_DOWN) {
		api_error_setf(
		    &err, API_ERR_UNAVAILABLE, "database is unavailable");
		api_error_hint(&err, "Retry in a moment.");
	} else {
		db_error(db, &err);
	}
	reply_error(req, &err);
	api_error_cleanup(&err);
	return (-1);
}
