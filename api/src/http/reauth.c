/*
 * Re-authentication: the signed-in user types their own password again
 * before something a stolen session or API token alone must not do
 * (purging a client, changing the password). The checks are throttled
 * like logins, in PostgreSQL (reauth_lookup() and reauth_fail() in
 * sql/functions/auth.sql): a wrong password counts as a failed login of
 * the account, and while the account is paused every check answers 429.
 *
 * This is the daemon's one place that verifies a password outside login
 * (core/password.c does the argon2id work).
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/password.h"
#include "http/db.h"
#include "http/pipeline.h"
#include "http/reauth.h"
#include "http/reply.h"

/* clang-format off */
static const char sql_lookup[] =
    "SELECT password_hash, retry_after FROM reauth_lookup()";
static const char sql_fail[] = "SELECT reauth_fail()";
/* clang-format on */

/*
 * Checks password against the signed-in user's. Returns 0 when it is
 * right. Otherwise answers itself and returns -1: 403 naming field (with
 * hint, which may be NULL) for a wrong password, 429 with Retry-After
 * while the account is throttled, or the error of a failed round trip.
 * Two round trips when the password is wrong (the failure is counted).
 */
int
reauth_verify(struct request *req, const char *password, const char *field,
    const char *hint)
{
	struct api_error err;
	struct db	 db;
	char		 retry[16];
	int		 ok, q, rc = -1;

	api_error_init(&err, API_ERR_FORBIDDEN);
	pipeline_init_lookup(req, &db);
	q = DB_ADD0(&db, sql_lookup);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		api_error_setf(
		    &err, API_ERR_THROTTLED, "too many wrong passwords");
		api_error_detail(&err,
		    "Password checks for this account are "
		    "paused for %s seconds.",
		    retry);
		reply_header(req, "retry-after", retry);
		reply_error(req, &err);
		goto out;
	}
	ok = password_verify(password, db_get(&db, q, 0, "password_hash"));
	db_cleanup(&db);
	if (ok) {
		rc = 0;
		goto out;
	}
	pipeline_init_lookup(req, &db);
	DB_ADD0(&db, sql_fail);
	if (pipeline_run(req, &db) == 0) {
		api_error_setf(
		    &err, API_ERR_FORBIDDEN, "password is incorrect");
		api_error_field(&err, field);
		if (hint != NULL)
			api_error_hint(&err, "%s", hint);
		reply_error(req, &err);
	}
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
	return (rc);
}
