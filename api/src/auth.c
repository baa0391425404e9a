/*
 * Authentication: credentials at the edge, auth_begin() in the pipeline,
 * and the login, logout and /me operations.
 *
 * Credentials are an API token (X-API-Token, or Authorization: Bearer) or
 * the session cookie. Either is reduced to its SHA-256 here; the database
 * never sees the secret. A cookie-authenticated write must also carry
 * X-CSRF-Token, derived from the session token (core/crypto.c), which a
 * page on another origin cannot compute because the cookie is HttpOnly.
 *
 * Every authenticated handler queues auth_begin() as the first statement
 * of its batch: it checks the credential and the permission the route
 * names, and sets the tenant, user and actor for the rest of the same
 * transaction, so row-level security costs no extra round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "clientd.h"

#define SESSION_COOKIE		"clientd_session"
#define SESSION_MAX_AGE		"604800"	/* 7 days, as login_succeed() */

static const char sql_auth[] =
    "SELECT user_public_id, user_email, user_name, user_role, "
    "    user_permissions, company_public_id, company_name, via, "
    "    credential_id, scope "
    "FROM auth_begin($1, $2::bytea, $3)";

static const char sql_login_lookup[] =
    "SELECT user_id, password_hash, retry_after "
    "FROM login_lookup($1, $2::inet)";

static const char sql_login_fail[] =
    "SELECT login_fail($1, $2::inet)";

static const char sql_login_succeed[] =
    "SELECT user_public_id, user_email, user_name, user_role, "
    "    user_permissions, company_public_id, company_name, expires_at "
    "FROM login_succeed($1::bigint, $2::inet, $3::bytea, $4)";

static const char sql_session_end[] =
    "SELECT session_end($1::bytea)";

static const struct field_spec login_fields[] = {
	{ "email", FIELD_EMAIL, FIELD_REQUIRED, 254, NULL, 0, 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

static void
hash_secret(const char *secret, char out[2 + 2 * SHA256_LEN + 1])
{
	unsigned char	d[SHA256_LEN];

	crypto_sha256(secret, strlen(secret), d);
	crypto_bytea_hex(d, sizeof(d), out, 2 + 2 * SHA256_LEN + 1);
}

static int
session_cookie(struct api_ctx *ctx, char out[SESSION_TOKEN_LEN + 1])
{
	const char	*cookies;

	if ((cookies = api_request_header(ctx, "cookie")) == NULL)
		return (0);
	if (!http_cookie_find(cookies, SESSION_COOKIE, out,
	    SESSION_TOKEN_LEN + 1))
		return (0);
	return (strlen(out) == SESSION_TOKEN_LEN);
}

static int
csrf_ok(struct api_ctx *ctx)
{
	const char	*sent;
	char		 want[CSRF_TOKEN_LEN + 1];

	if ((sent = api_request_header(ctx, "x-csrf-token")) == NULL)
		return (0);
	crypto_csrf_token(ctx->session_token, want);
	return (crypto_equal(sent, want));
}

/*
 * Reads the request's credentials into ctx (cred, cred_hash). A malformed
 * token is a 401 at once; a cookie-authenticated write to an authenticated
 * route without the right X-CSRF-Token is a 403.
 */
int
auth_credentials(struct api_ctx *ctx, struct api_error *err)
{
	const char	*tok;

	tok = api_request_header(ctx, "x-api-token");
	if (tok == NULL &&
	    !http_bearer_token(api_request_header(ctx, "authorization"), &tok))
		tok = NULL;
	if (tok != NULL) {
		if (!api_token_well_formed(tok)) {
			api_error_setf(err, API_ERR_UNAUTHORIZED,
			    "invalid API token");
			api_error_hint(err, "API tokens start with \"%s\" and "
			    "have %d characters.", TOKEN_PREFIX, TOKEN_LEN);
			return (-1);
		}
		ctx->cred = CRED_TOKEN;
		hash_secret(tok, ctx->cred_hash);
		return (0);
	}

	if (!session_cookie(ctx, ctx->session_token))
		return (0);
	ctx->cred = CRED_SESSION;
	hash_secret(ctx->session_token, ctx->cred_hash);

	if (ctx->route->auth == AUTH_REQUIRED &&
	    (ctx->method & (ROUTE_POST | ROUTE_PUT | ROUTE_PATCH | ROUTE_DELETE))
	    && !csrf_ok(ctx)) {
		api_error_setf(err, API_ERR_CSRF, "missing or invalid CSRF token");
		api_error_hint(err, "Send the csrf_token from the login "
		    "response (or GET /api/v1/me) in the X-CSRF-Token header.");
		return (-1);
	}
	return (0);
}

/* Queues auth_begin() for the request's credentials and route. */
int
auth_add(struct api_ctx *ctx, struct db *db)
{
	if (ctx->cred == CRED_NONE)
		core_fatal("auth_add: no credentials");
	ctx->auth_stmt = DB_ADD(db, sql_auth,
	    ctx->cred == CRED_TOKEN ? "token" : "session", ctx->cred_hash,
	    ctx->route->permission);
	return (ctx->auth_stmt);
}

static void
copy_field(struct db *db, int i, const char *col, char *out, size_t len)
{
	snprintf(out, len, "%s", db_get(db, i, 0, col));
}

int
auth_read(struct api_ctx *ctx, struct db *db, int i)
{
	struct auth_user	*u = &ctx->user;

	if (db_rows(db, i) != 1)
		core_fatal("auth_begin returned %d rows", db_rows(db, i));
	copy_field(db, i, "user_public_id", u->user_id, sizeof(u->user_id));
	copy_field(db, i, "user_email", u->email, sizeof(u->email));
	copy_field(db, i, "user_name", u->name, sizeof(u->name));
	copy_field(db, i, "user_role", u->role, sizeof(u->role));
	copy_field(db, i, "company_public_id", u->company_id,
	    sizeof(u->company_id));
	copy_field(db, i, "company_name", u->company_name,
	    sizeof(u->company_name));
	copy_field(db, i, "credential_id", u->credential_id,
	    sizeof(u->credential_id));
	copy_field(db, i, "scope", u->scope, sizeof(u->scope));
	u->permissions = json_loads(db_get(db, i, 0, "user_permissions"), 0,
	    NULL);
	if (u->permissions == NULL)
		u->permissions = json_array();
	return (0);
}

void
auth_user_cleanup(struct auth_user *u)
{
	if (u->permissions != NULL)
		json_decref(u->permissions);
	u->permissions = NULL;
}

/*
 * Sends the stored first response of a request that reused its
 * Idempotency-Key: idem_begin() raised CDRPL with the body in DETAIL and
 * the status in HINT.
 */
static void
idempotent_replay(struct api_ctx *ctx, struct db *db)
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

	api_header(ctx, "idempotent-replayed", "true");
	if ((j = json_loads(body, 0, NULL)) != NULL) {
		if ((v = json_object_get(j, "version")) != NULL &&
		    json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "\"%lld\"",
			    (long long)json_integer_value(v));
			api_header(ctx, "etag", buf);
		}
		if (code == 201 && json_is_string(v = json_object_get(j, "id"))) {
			snprintf(buf, sizeof(buf), "%s/%s", ctx->req->path,
			    json_string_value(v));
			api_header(ctx, "location", buf);
		}
		json_decref(j);
	}
	api_reply_sql_json(ctx, (int)code, body);
}

/*
 * Runs the batch and answers for it when it fails (503, or the SQL error
 * as an API error, or the replay of an idempotent request). Returns 0 when
 * the handler should go on.
 */
int
api_exec(struct api_ctx *ctx, struct db *db)
{
	struct api_error	 err;
	const char		*state;
	int			 rc;

	rc = db_run(ctx, db);
	if (rc == DB_OK) {
		if (ctx->auth_stmt >= 0)
			auth_read(ctx, db, ctx->auth_stmt);
		return (0);
	}
	if (rc == DB_ERR_SQL && (state = PQresultErrorField(db->err,
	    PG_DIAG_SQLSTATE)) != NULL && strcmp(state, "CDRPL") == 0) {
		idempotent_replay(ctx, db);
		return (-1);
	}
	api_error_init(&err, API_ERR_INTERNAL);
	if (rc == DB_ERR_DOWN) {
		api_error_setf(&err, API_ERR_UNAVAILABLE,
		    "database is unavailable");
		api_error_hint(&err, "Retry in a moment.");
	} else {
		db_to_api_error(db, &err);
	}
	api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	return (-1);
}

/* The shape GET /me and POST /login share. */
static json_t *
me_json(const struct auth_user *u, const char *method, const char *csrf,
    const char *expires_at)
{
	json_t	*auth;

	auth = json_pack("{s:s}", "method", method);
	json_object_set_new(auth, "csrf_token",
	    csrf != NULL ? json_string(csrf) : json_null());
	json_object_set_new(auth, "token_id", u->credential_id[0] != '\0' ?
	    json_string(u->credential_id) : json_null());
	json_object_set_new(auth, "expires_at",
	    expires_at != NULL ? json_string(expires_at) : json_null());

	return (json_pack("{s:{s:s, s:s, s:s, s:s, s:O}, s:{s:s, s:s}, s:o}",
	    "user", "id", u->user_id, "email", u->email, "name", u->name,
	    "role", u->role, "permissions", u->permissions,
	    "company", "id", u->company_id, "name", u->company_name,
	    "auth", auth));
}

void
auth_me(struct api_ctx *ctx)
{
	struct db	db;
	char		csrf[CSRF_TOKEN_LEN + 1];

	db_init(&db);
	auth_add(ctx, &db);
	if (api_exec(ctx, &db) == 0) {
		if (ctx->cred == CRED_SESSION)
			crypto_csrf_token(ctx->session_token, csrf);
		api_reply_json(ctx, 200, me_json(&ctx->user,
		    ctx->cred == CRED_SESSION ? "session" : "token",
		    ctx->cred == CRED_SESSION ? csrf : NULL, NULL));
	}
	db_cleanup(&db);
}

static void
set_session_cookie(struct api_ctx *ctx, const char *value, const char *age)
{
	char	cookie[256];
	int	secure;

	secure = clientd_cfg.cookie_secure == 1 ||
	    (clientd_cfg.cookie_secure == -1 && ctx->secure);
	snprintf(cookie, sizeof(cookie),
	    "%s=%s; Path=/; Max-Age=%s; HttpOnly; SameSite=Lax%s",
	    SESSION_COOKIE, value, age, secure ? "; Secure" : "");
	api_header(ctx, "set-cookie", cookie);
}

static void
login_refuse(struct api_ctx *ctx, const char *email)
{
	struct db	db;

	db_init(&db);
	DB_ADD(&db, sql_login_fail, email, ctx->client_ip);
	if (api_exec(ctx, &db) == 0) {
		api_reply_errorf(ctx, API_ERR_UNAUTHORIZED,
		    "invalid email or password");
	}
	db_cleanup(&db);
}

static void
login_throttled(struct api_ctx *ctx, const char *retry_after)
{
	struct api_error	err;

	api_error_init(&err, API_ERR_THROTTLED);
	api_error_setf(&err, API_ERR_THROTTLED, "too many failed logins");
	api_error_detail(&err, "Logins for this account or from this address "
	    "are paused for %s seconds.", retry_after);
	api_error_hint(&err, "Wait, then try again; a successful login "
	    "resets the count.");
	api_header(ctx, "retry-after", retry_after);
	api_reply_error(ctx, &err);
	api_error_cleanup(&err);
}

static void
login_open_session(struct api_ctx *ctx, const char *user_id)
{
	struct db		 db;
	struct auth_user	*u = &ctx->user;
	const char		*agent;
	char			 token[SESSION_TOKEN_LEN + 1], hash[80];
	char			 csrf[CSRF_TOKEN_LEN + 1];

	crypto_new_session_token(token);
	hash_secret(token, hash);
	agent = ctx->req->agent != NULL ? ctx->req->agent : "";

	db_init(&db);
	DB_ADD(&db, sql_login_succeed, user_id, ctx->client_ip, hash, agent);
	if (api_exec(ctx, &db) != 0)
		goto out;
	copy_field(&db, 0, "user_public_id", u->user_id, sizeof(u->user_id));
	copy_field(&db, 0, "user_email", u->email, sizeof(u->email));
	copy_field(&db, 0, "user_name", u->name, sizeof(u->name));
	copy_field(&db, 0, "user_role", u->role, sizeof(u->role));
	copy_field(&db, 0, "company_public_id", u->company_id,
	    sizeof(u->company_id));
	copy_field(&db, 0, "company_name", u->company_name,
	    sizeof(u->company_name));
	u->permissions = json_loads(db_get(&db, 0, 0, "user_permissions"), 0,
	    NULL);
	if (u->permissions == NULL)
		u->permissions = json_array();

	crypto_csrf_token(token, csrf);
	set_session_cookie(ctx, token, SESSION_MAX_AGE);
	api_reply_json(ctx, 200, me_json(u, "session", csrf,
	    db_get(&db, 0, 0, "expires_at")));
out:
	sodium_memzero(token, sizeof(token));
	db_cleanup(&db);
}

/*
 * POST /api/v1/login. An unknown email costs the same argon2id work as a
 * wrong password and gets the same answer. Throttling is checked first,
 * so a locked account answers 429 even to the right password.
 */
void
auth_login(struct api_ctx *ctx)
{
	struct db	 db;
	const char	*email, *password, *hash;
	char		 user_id[24], retry[16];
	int		 ok;

	db_init(&db);
	if (api_check_body(ctx, login_fields, CORE_ARRAY_LEN(login_fields)))
		goto out;
	email = json_string_value(json_object_get(ctx->body, "email"));
	password = json_string_value(json_object_get(ctx->body, "password"));

	DB_ADD(&db, sql_login_lookup, email, ctx->client_ip);
	if (api_exec(ctx, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, 0, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		login_throttled(ctx, retry);
		goto out;
	}

	if (db_isnull(&db, 0, 0, "user_id")) {
		password_verify_dummy(password);
		ok = 0;
	} else {
		hash = db_get(&db, 0, 0, "password_hash");
		ok = password_verify(password, hash);
	}
	snprintf(user_id, sizeof(user_id), "%s", db_get(&db, 0, 0, "user_id"));
	db_cleanup(&db);

	if (!ok)
		login_refuse(ctx, email);
	else
		login_open_session(ctx, user_id);
out:
	db_cleanup(&db);
}

/*
 * POST /api/v1/logout ends the session of the cookie (CSRF-checked) and
 * clears the cookie. Tokens are not sessions: revoke them instead.
 */
void
auth_logout(struct api_ctx *ctx)
{
	struct api_error	err;
	struct db		db;

	api_error_init(&err, API_ERR_UNAUTHORIZED);
	db_init(&db);
	if (ctx->cred == CRED_TOKEN) {
		api_error_setf(&err, API_ERR_BAD_REQUEST,
		    "logout needs a session, not an API token");
		api_error_hint(&err, "Revoke a token with DELETE "
		    "/api/v1/tokens/{id}.");
		api_reply_error(ctx, &err);
		goto out;
	}
	if (ctx->cred != CRED_SESSION) {
		api_error_setf(&err, API_ERR_UNAUTHORIZED, "not logged in");
		api_reply_error(ctx, &err);
		goto out;
	}
	if (!csrf_ok(ctx)) {
		api_error_setf(&err, API_ERR_CSRF,
		    "missing or invalid CSRF token");
		api_error_hint(&err, "Send the csrf_token in X-CSRF-Token.");
		api_reply_error(ctx, &err);
		goto out;
	}
	DB_ADD(&db, sql_session_end, ctx->cred_hash);
	if (api_exec(ctx, &db) == 0) {
		set_session_cookie(ctx, "", "0");
		api_reply_empty(ctx, 204);
	}
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}
