/*
 * Authentication: the credentials at the edge, and auth_begin() as the
 * first statement of a request's pipeline.
 *
 * Credentials are an API token (X-API-Token, or Authorization: Bearer) or
 * the session cookie. Either is reduced to its SHA-256 here; the database
 * never sees the secret. A cookie-authenticated write must also carry
 * X-CSRF-Token, derived from the session token (core/crypto.c), which a
 * page on another origin cannot compute because the cookie is HttpOnly.
 *
 * auth_begin() checks the credential and the permission the route names,
 * and sets the tenant, user and actor for the rest of the same
 * transaction, so row-level security costs no extra round trip. The
 * login, logout and /me operations are in api_auth.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/header.h"
#include "core/router.h"
#include "core/routes.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/module.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define SESSION_COOKIE		"clientd_session"

static const char sql_auth[] =
    "SELECT user_public_id, user_email, user_name, user_role, "
    "    user_permissions, company_public_id, company_name, via, "
    "    credential_id, scope "
    "FROM auth_begin($1, $2::bytea, $3)";
/* clang-format on */

void
auth_hash_secret(const char *secret, char out[AUTH_HASH_LEN])
{
	unsigned char d[SHA256_LEN];

	crypto_sha256(secret, strlen(secret), d);
	crypto_bytea_hex(d, sizeof(d), out, AUTH_HASH_LEN);
}

static int
session_cookie(struct request *req, char out[SESSION_TOKEN_LEN + 1])
{
	const char *cookies;

	if ((cookies = request_header(req, "cookie")) == NULL)
		return (0);
	if (!header_cookie_find(
		cookies, SESSION_COOKIE, out, SESSION_TOKEN_LEN + 1))
		return (0);
	return (strlen(out) == SESSION_TOKEN_LEN);
}

/* Whether X-CSRF-Token is the one of the request's session. */
int
auth_csrf_ok(struct request *req)
{
	const char *sent;
	char	    want[CSRF_TOKEN_LEN + 1];

	if ((sent = request_header(req, "x-csrf-token")) == NULL)
		return (0);
	crypto_csrf_token(req->session_token, want);
	return (crypto_equal(sent, want));
}

/*
 * Reads the request's credentials into req (cred, cred_hash). A malformed
 * token is a 401 at once; a cookie-authenticated write to an authenticated
 * route without the right X-CSRF-Token is a 403.
 */
int
auth_credentials(struct request *req, struct api_error *err)
{
	const char *tok;

	tok = request_header(req, "x-api-token");
	if (tok == NULL &&
	    !header_bearer_token(request_header(req, "authorization"), &tok))
		tok = NULL;
	if (tok != NULL) {
		if (!crypto_token_well_formed(tok)) {
			api_error_setf(
			    err, API_ERR_UNAUTHORIZED, "invalid API token");
			api_error_hint(err,
			    "API tokens start with \"%s\" and "
			    "have %d characters.",
			    TOKEN_PREFIX, TOKEN_LEN);
			return (-1);
		}
		req->cred = CRED_TOKEN;
		auth_hash_secret(tok, req->cred_hash);
		return (0);
	}

	if (!session_cookie(req, req->session_token))
		return (0);
	req->cred = CRED_SESSION;
	auth_hash_secret(req->session_token, req->cred_hash);

	if (req->route->auth == AUTH_REQUIRED &&
	    (req->method &
		(ROUTE_POST | ROUTE_PUT | ROUTE_PATCH | ROUTE_DELETE)) &&
	    !auth_csrf_ok(req)) {
		api_error_setf(
		    err, API_ERR_CSRF, "missing or invalid CSRF token");
		api_error_hint(err,
		    "Send the csrf_token from the login "
		    "response (or GET /api/v1/me) in the X-CSRF-Token header.");
		return (-1);
	}
	return (0);
}

/* Queues auth_begin() for the request's credentials and route. */
int
auth_add(struct request *req, struct db *db)
{
	if (req->cred == CRED_NONE)
		core_fatal("auth_add: no credentials");
	db->auth_stmt =
	    DB_ADD(db, sql_auth, req->cred == CRED_TOKEN ? "token" : "session",
		req->cred_hash, req->route->permission);
	return (db->auth_stmt);
}

static void
copy_field(struct db *db, int i, const char *col, char *out, size_t len)
{
	snprintf(out, len, "%s", db_get(db, i, 0, col));
}

/*
 * Reads who the request acts as from statement i's row (auth_begin()'s, or
 * login_succeed()'s, which has the same user and company columns); the
 * credential id and scope when with_credential is set.
 */
void
auth_read(struct request *req, struct db *db, int i, int with_credential)
{
	struct auth_user *u = &req->user;

	if (db_rows(db, i) != 1)
		core_fatal("auth statement returned %d rows", db_rows(db, i));
	copy_field(db, i, "user_public_id", u->user_id, sizeof(u->user_id));
	copy_field(db, i, "user_email", u->email, sizeof(u->email));
	copy_field(db, i, "user_name", u->name, sizeof(u->name));
	copy_field(db, i, "user_role", u->role, sizeof(u->role));
	copy_field(
	    db, i, "company_public_id", u->company_id, sizeof(u->company_id));
	copy_field(
	    db, i, "company_name", u->company_name, sizeof(u->company_name));
	if (with_credential) {
		copy_field(db, i, "credential_id", u->credential_id,
		    sizeof(u->credential_id));
		copy_field(db, i, "scope", u->scope, sizeof(u->scope));
	}
	if (u->permissions != NULL)
		json_decref(u->permissions);
	u->permissions =
	    json_loads(db_get(db, i, 0, "user_permissions"), 0, NULL);
	if (u->permissions == NULL)
		u->permissions = json_array();
}

/* Sets (value, max-age in seconds) or clears ("", "0") the session cookie. */
void
auth_session_cookie(struct request *req, const char *value, const char *age)
{
	char cookie[256];
	int  secure;

	secure = module_cfg.cookie_secure == 1 ||
	    (module_cfg.cookie_secure == -1 && req->secure);
	snprintf(cookie, sizeof(cookie),
	    "%s=%s; Path=/; Max-Age=%s; HttpOnly; SameSite=Lax%s",
	    SESSION_COOKIE, value, age, secure ? "; Secure" : "");
	reply_header(req, "set-cookie", cookie);
}
