/*
 * Sessions for the browser and the signed-in user: POST /login, POST
 * /logout and GET /me. Credentials themselves are read by auth.c.
 *
 * Login verifies the password with argon2id (core/password.c); an unknown
 * email costs the same work as a wrong password and gets the same answer.
 * Failures are counted in PostgreSQL per account and per address, so every
 * daemon sees the same throttle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/password.h"
#include "core/validate.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/hashing.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define SESSION_MAX_AGE		"604800"	/* 7 days, as login_succeed() */

static const char sql_login_begin[] =
    "SELECT attempt_id, user_id, password_hash, retry_after, attempts_left "
    "FROM login_begin($1, $2::inet)";

static const char sql_login_fail[] =
    "SELECT login_fail($1::bigint) AS attempts_left";

static const char sql_login_succeed[] =
    "SELECT user_public_id, user_email, user_name, user_role, "
    "    user_permissions, company_public_id, company_name, expires_at "
    "FROM login_succeed($1::bigint, $2::bigint, $3::inet, $4::bytea, $5, $6)";

static const char sql_session_end[] =
    "SELECT session_end($1::bytea)";
/* clang-format on */

static const struct field_spec login_fields[] = {
	{ "email", FIELD_EMAIL, FIELD_REQUIRED, 254, NULL, 0, 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

/* The shape GET /me and POST /login share. */
static json_t *
me_json(const struct auth_user *u, const char *method, const char *csrf,
    const char *expires_at)
{
	json_t *auth;

	auth = json_pack("{s:s}", "method", method);
	json_object_set_new(
	    auth, "csrf_token", csrf != NULL ? json_string(csrf) : json_null());
	json_object_set_new(auth, "token_id",
	    u->credential_id[0] != '\0' ? json_string(u->credential_id)
					: json_null());
	json_object_set_new(auth, "expires_at",
	    expires_at != NULL ? json_string(expires_at) : json_null());

	return (json_pack("{s:{s:s, s:s, s:s, s:s, s:O}, s:{s:s, s:s}, s:o}",
	    "user", "id", u->user_id, "email", u->email, "name", u->name,
	    "role", u->role, "permissions", u->permissions, "company", "id",
	    u->company_id, "name", u->company_name, "auth", auth));
}

void
api_auth_me(struct request *req)
{
	struct db db;
	char	  csrf[CSRF_TOKEN_LEN + 1];

	pipeline_init(req, &db);
	if (pipeline_run(req, &db) == 0) {
		if (req->cred == CRED_SESSION)
			crypto_csrf_token(req->session_token, csrf);
		reply_json(req, 200,
		    me_json(&req->user,
			req->cred == CRED_SESSION ? "session" : "token",
			req->cred == CRED_SESSION ? csrf : NULL, NULL));
	}
	db_cleanup(&db);
}

/* What a login carries from its attempt to the end of its password check. */
struct login {
	char attempt_id[24];
	char user_id[24];
	int  attempts_left; /* failures the account has left before it pauses */
};

/*
 * A wrong password (or an unknown account): 401, the same answer for
 * both. When one more failure would pause the account, the answer says so
 * (the count is per email address, known or not, so it tells nothing
 * about who has an account).
 */
static void
login_refuse(struct request *req, const struct login *l)
{
	struct api_error err;
	struct db	 db;
	int		 q, left;

	api_error_init(&err, API_ERR_UNAUTHORIZED);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_login_fail, l->attempt_id);
	if (pipeline_run(req, &db) != 0)
		goto out;
	left = db_isnull(&db, q, 0, "attempts_left")
	    ? l->attempts_left
	    : (int)strtol(db_get(&db, q, 0, "attempts_left"), NULL, 10);
	api_error_setf(&err, API_ERR_UNAUTHORIZED, "invalid email or password");
	if (left == 1)
		api_error_detail(&err,
		    "One more failed attempt pauses logins "
		    "for this account for 15 minutes.");
	else if (left == 0)
		api_error_detail(&err,
		    "Logins for this account are now paused "
		    "for 15 minutes.");
	api_error_hint(&err,
	    "Forgot your password? An owner can set a new "
	    "one with \"clientd set-password --email <address>\".");
	reply_error(req, &err);
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}

static void
login_throttled(struct request *req, const char *retry_after)
{
	struct api_error err;

	api_error_init(&err, API_ERR_THROTTLED);
	api_error_setf(&err, API_ERR_THROTTLED, "too many logins");
	api_error_detail(&err,
	    "Logins for this account or from this address "
	    "are paused for %s seconds.",
	    retry_after);
	api_error_hint(&err,
	    "Wait, then try again; a successful login "
	    "resets the count of failures.");
	reply_header(req, "retry-after", retry_after);
	reply_error(req, &err);
	api_error_cleanup(&err);
}

/* The right password: a session, with a new hash when the old is dated. */
static void
login_open_session(
    struct request *req, const struct login *l, const char *rehash)
{
	struct db	  db;
	struct auth_user *u = &req->user;
	const char	 *agent;
	char		  token[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	char		  csrf[CSRF_TOKEN_LEN + 1];
	int		  q;

	crypto_new_session_token(token);
	auth_hash_secret(token, hash);
	agent = req->http->agent != NULL ? req->http->agent : "";

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_login_succeed, l->attempt_id, l->user_id,
	    req->client_ip, hash, agent, rehash[0] != '\0' ? rehash : NULL);
	if (pipeline_run(req, &db) != 0)
		goto out;
	auth_read(req, &db, q, 0);

	crypto_csrf_token(token, csrf);
	auth_session_cookie(req, token, SESSION_MAX_AGE);
	reply_json(req, 200,
	    me_json(u, "session", csrf, db_get(&db, q, 0, "expires_at")));
out:
	sodium_memzero(token, sizeof(token));
	db_cleanup(&db);
}

/* The password check is done (http/hashing.c): answer the login. */
static void
login_checked(struct request *req, struct hashing *h)
{
	struct login l;

	memcpy(&l, h->data, sizeof(l));
	if (h->ok)
		login_open_session(req, &l, h->rehash);
	else
		login_refuse(req, &l);
}

/*
 * POST /api/v1/login. The attempt is counted first (login_begin(), which
 * also answers whether the account or the address is paused, so a paused
 * account answers 429 even to the right password); the argon2id check runs
 * in a task thread, never on the event loop (http/hashing.c). An unknown
 * email costs the same work as a wrong password and gets the same answer.
 */
void
api_auth_login(struct request *req)
{
	struct login l;
	struct db    db;
	const char  *email, *password;
	char	     retry[16];
	int	     q;

	pipeline_init(req, &db);
	if (reply_invalid_body(req, login_fields, CORE_ARRAY_LEN(login_fields)))
		goto out;
	email = json_string_value(json_object_get(req->body, "email"));
	password = json_string_value(json_object_get(req->body, "password"));

	q = DB_ADD(&db, sql_login_begin, email, req->client_ip);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		login_throttled(req, retry);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	snprintf(l.attempt_id, sizeof(l.attempt_id), "%s",
	    db_get(&db, q, 0, "attempt_id"));
	snprintf(
	    l.user_id, sizeof(l.user_id), "%s", db_get(&db, q, 0, "user_id"));
	l.attempts_left =
	    (int)strtol(db_get(&db, q, 0, "attempts_left"), NULL, 10);
	(void)hashing_start(req, HASHING_VERIFY, password,
	    db_get(&db, q, 0, "password_hash"), &l, sizeof(l), login_checked);
out:
	db_cleanup(&db);
}

/*
 * POST /api/v1/logout ends the session of the cookie (CSRF-checked) and
 * clears the cookie. Tokens are not sessions: revoke them instead.
 */
void
api_auth_logout(struct request *req)
{
	struct api_error err;
	struct db	 db;

	api_error_init(&err, API_ERR_UNAUTHORIZED);
	pipeline_init(req, &db);
	if (req->cred == CRED_TOKEN) {
		api_error_setf(&err, API_ERR_BAD_REQUEST,
		    "logout needs a session, not an API token");
		api_error_hint(&err,
		    "Revoke a token with DELETE "
		    "/api/v1/tokens/{id}.");
		reply_error(req, &err);
		goto out;
	}
	if (req->cred != CRED_SESSION) {
		api_error_setf(&err, API_ERR_UNAUTHORIZED, "not logged in");
		reply_error(req, &err);
		goto out;
	}
	if (!auth_csrf_ok(req)) {
		api_error_setf(
		    &err, API_ERR_CSRF, "missing or invalid CSRF token");
		api_error_hint(&err, "Send the csrf_token in X-CSRF-Token.");
		reply_error(req, &err);
		goto out;
	}
	DB_ADD(&db, sql_session_end, req->cred_hash);
	if (pipeline_run(req, &db) == 0) {
		auth_session_cookie(req, "", "0");
		reply_empty(req, 204);
	}
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}
