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
	const char *field; /* named by a 403: a string constant */
	const char *hint;  /* a string constant */
	int  change; /* reauth_start_change(): h->rehash is the new hash */
	char data[REAUTH_DATA_MAX];
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
		api_error_field(&err, r->field);
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
	if (h->ok && r.change && h->rehash[0] == '\0')
		reply_errorf(req, API_ERR_INTERNAL,
		    "the new password could not be hashed");
	else if (h->ok)
		r.done(req, r.data, r.change ? h->rehash : NULL);
	else
		refuse(req, &r);
}

/*
 * The user's hash (or 429 while the account is paused), then the check in
 * a task thread: next != NULL also hashes next once password is right.
 */
static int
start(struct request *req, const char *password, const char *next,
    struct reauth *r)
{
	struct db   db;
	char	    retry[16];
	int	    q, rc = -1;
	const char *hash;

	pipeline_init_lookup(req, &db);
	q = DB_ADD0(&db, sql_lookup);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		throttled(req, retry);
		goto out;
	}
	hash = db_get(&db, q, 0, "password_hash");
	if (next != NULL)
		rc = hashing_start_change(
		    req, password, hash, next, r, sizeof(*r), checked);
	else
		rc = hashing_start(req, HASHING_VERIFY, password, hash, r,
		    sizeof(*r), checked);
out:
	db_cleanup(&db);
	return (rc);
}

/*
 * Checks password against the signed-in user's; on success done(req,
 * data, NULL) runs with a copy of len bytes of data. A wrong password is
 * a 403 naming the field "password", with hint (a string constant: why
 * the password is asked for). Returns 0 when the request is suspended
 * (return at once), -1 when it has been answered.
 */
int
reauth_start(struct request *req, const char *password, const char *hint,
    const void *data, size_t len, reauth_done done)
{
	struct reauth r;

	if (len > sizeof(r.data))
		core_fatal("reauth_start: %zu bytes of data", len);
	memset(&r, 0, sizeof(r));
	r.done = done;
	r.field = "password";
	r.hint = hint;
	if (len > 0)
		memcpy(r.data, data, len);
	return (start(req, password, NULL, &r));
}

/*
 * A password change: current is checked (a wrong one is a 403 naming
 * "current_password") and next hashed in the same task; done(req, NULL,
 * new_hash) stores it.
 */
int
reauth_start_change(struct request *req, const char *current, const char *next,
    const char *hint, reauth_done done)
{
	struct reauth r;

	memset(&r, 0, sizeof(r));
	r.done = done;
	r.field = "current_password";
	r.hint = hint;
	r.change = 1;
	return (start(req, current, next, &r));
}
