/*
 * Re-authentication (see reauth.h). reauth_start() reads the user's hash
 * (or answers 429 while the account is paused), then checks the password
 * in a task thread; done() runs only when it was right. A wrong password
 * is recorded as a failed login of the account and answered 403 naming
 * the field "password", with the caller's hint.
 */
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "http/db.h"
#include "http/hashing.h"
#include "http/pipeline.h"
#include "http/reauth.h"
#include "http/reply.h"

/* clang-format off */
static const char sql_lookup[] =
    "SELECT password_hash, retry_after FROM reauth_lookup()";
static const char sql_fail[] = "SELECT reauth_fail()";
/* clang-format on */

/* What rides along with the password check. */
struct reauth {
	reauth_done done;
	const char *hint; /* a string constant */
	char	    data[REAUTH_DATA_MAX];
};

static void
throttled(struct request *req, const char *retry)
{
	struct api_error err;

	api_error_init(&err, API_ERR_THROTTLED);
	api_error_setf(&err, API_ERR_THROTTLED, "too many wrong passwords");
	api_error_detail(&err,
	    "Password checks for this account are paused for %s seconds.",
	    retry);
	reply_header(req, "retry-after", retry);
	reply_error(req, &err);
	api_error_cleanup(&err);
}

static void
refuse(struct request *req, const struct reauth *r)
{
	struct api_error err;
	struct db	 db;

	api_error_init(&err, API_ERR_FORBIDDEN);
	pipeline_init_lookup(req, &db);
	DB_ADD0(&db, sql_fail);
	if (pipeline_run(req, &db) == 0) {
		api_error_setf(
		    &err, API_ERR_FORBIDDEN, "password is incorrect");
		api_error_field(&err, "password");
		api_error_hint(&err, "%s", r->hint);
		reply_error(req, &err);
	}
	db_cleanup(&db);
	api_error_cleanup(&err);
}

static void
checked(struct request *req, struct hashing *h)
{
	struct reauth r;

	memcpy(&r, h->data, sizeof(r));
	if (h->ok)
		r.done(req, r.data);
	else
		refuse(req, &r);
}

/*
 * Checks password against the signed-in user's; on success done(req,
 * data) runs with a copy of len bytes of data. hint (a string constant)
 * says why the password is asked for. Returns 0 when the request is
 * suspended (return at once), -1 when it has been answered.
 */
int
reauth_start(struct request *req, const char *password, const char *hint,
    const void *data, size_t len, reauth_done done)
{
	struct reauth r;
	struct db     db;
	char	      retry[16];
	int	      q, rc = -1;

	if (len > sizeof(r.data))
		core_fatal("reauth_start: %zu bytes of data", len);
	memset(&r, 0, sizeof(r));
	r.done = done;
	r.hint = hint;
	if (len > 0)
		memcpy(r.data, data, len);

	pipeline_init_lookup(req, &db);
	q = DB_ADD0(&db, sql_lookup);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		throttled(req, retry);
		goto out;
	}
	rc = hashing_start(req, HASHING_VERIFY, password,
	    db_get(&db, q, 0, "password_hash"), &r, sizeof(r), checked);
out:
	db_cleanup(&db);
	return (rc);
}
