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
 *                     a replayed request. Returns 0 when the handler should
 *                     answer with its results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/router.h"
#include "core/routes.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/pipeline.h"
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
}

/* The request's batch: authenticated, and claiming its Idempotency-Key. */
void
pipeline_init(struct request *req, struct db *db)
{
	pipeline_init_lookup(req, db);
	if (req->idem.key[0] != '\0')
		req->idem_stmt = DB_ADD(db, "SELECT idem_begin($1, $2)",
		    req->idem.key, req->idem.fingerprint);
}

/* The key as a SQL parameter (NULL without one), for idem_store(). */
const char *
pipeline_idem_key(struct request *req)
{
	return (req->idem.key[0] != '\0' ? req->idem.key : NULL);
}

/*
 * Sends the stored first response of a request that reused its
 * Idempotency-Key: idem_begin() raised CDRPL with the body in DETAIL and
 * the status in HINT.
 */
static void
replay(struct request *req, struct db *db)
{
	const char	*body, *status;
	json_t		*j, *v;
	char		 buf[256];
	long		 code;

	body = PQresultErrorField(db->err, PG_DIAG_MESSAGE_DETAIL);
	status = PQresultErrorField(db->err, PG_DIAG_MESSAGE_HINT);
	code = status != NULL ? strtol(status, NULL, 10) : 0;
	if (body == NULL || code < 200 || code > 299)
		core_fatal("idempotent replay without a stored response");

	reply_header(req, "idempotent-replayed", "true");
	if ((j = json_loads(body, 0, NULL)) != NULL) {
		if ((v = json_object_get(j, "version")) != NULL &&
		    json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "\"%lld\"",
			    (long long)json_integer_value(v));
			reply_header(req, "etag", buf);
		}
		if (code == 201 && json_is_string(v = json_object_get(j, "id"))) {
			snprintf(buf, sizeof(buf), "%s/%s", req->http->path,
			    json_string_value(v));
			reply_header(req, "location", buf);
		}
		json_decref(j);
	}
	reply_sql_json(req, (int)code, body);
}

/*
 * Sends the batch (a read is retried once on a connection that died under
 * it) and counts its round trips for Server-Timing. Returns db_run()'s
 * DB_OK, DB_ERR_SQL or DB_ERR_DOWN; answers nothing.
 */
int
pipeline_exec(struct request *req, struct db *db)
{
	int	rc;

	rc = db_run(db, (req->method & (ROUTE_GET | ROUTE_HEAD)) != 0);
	req->db_trips += db->trips;
	req->db_ms += db->ms;
	db->trips = 0;
	db->ms = 0;
	return (rc);
}

int
pipeline_run(struct request *req, struct db *db)
{
	struct api_error	 err;
	const char		*state;
	int			 rc;

	if ((rc = pipeline_exec(req, db)) == DB_OK) {
		if (req->auth_stmt >= 0)
			auth_read(req, db, req->auth_stmt, 1);
		return (0);
	}
	if (rc == DB_ERR_SQL && (state = db_sqlstate(db)) != NULL &&
	    strcmp(state, "CDRPL") == 0) {
		replay(req, db);
		return (-1);
	}
	api_error_init(&err, API_ERR_INTERNAL);
	if (rc == DB_ERR_DOWN) {
		api_error_setf(&err, API_ERR_UNAVAILABLE,
		    "database is unavailable");
		api_error_hint(&err, "Retry in a moment.");
	} else {
		db_error(db, &err);
	}
	reply_error(req, &err);
	api_error_cleanup(&err);
	return (-1);
}
