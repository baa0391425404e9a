/*
 * Portal sessions: the contact's cookie at the edge, and portal_begin()
 * as the first statement of a portal request's pipeline.
 *
 * A contact's session is a cookie of its own, clientd_portal, sent only to
 * /api/v1/portal/ (its Path), HttpOnly, SameSite=Lax; the database keeps
 * its SHA-256. Routes that need a contact (AUTH_PORTAL) read this cookie
 * and nothing else, so a staff session or API token there is a 401; staff
 * routes never read it, so a contact's cookie there is a 401 too. Writes
 * carry X-CSRF-Token, derived from the session token as for staff.
 *
 * portal_begin() (sql/functions/portal.sql) checks the session against the
 * company of the path ({company}, its portal slug): a session of another
 * company is refused like an unknown one.
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/header.h"
#include "core/routes.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/module.h"
#include "http/portal_auth.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_portal_begin[] =
    "SELECT contact_id, contact_name, client_id, company_id, company_name, "
    "    impersonator "
    "FROM portal_begin($1::bytea, $2, $3)";
/* clang-format on */

/* The company's portal slug: every portal route's first parameter. */
const char *
portal_auth_slug(struct request *req)
{
	return (request_param(req, 0));
}

/* The portal cookie's token, when the request has a well-formed one. */
int
portal_auth_cookie_token(struct request *req, char out[SESSION_TOKEN_LEN + 1])
{
	const char *cookies;

	if ((cookies = request_header(req, "cookie")) == NULL)
		return (0);
	if (!header_cookie_find(
		cookies, PORTAL_COOKIE, out, SESSION_TOKEN_LEN + 1))
		return (0);
	return (strlen(out) == SESSION_TOKEN_LEN);
}

/*
 * Reads the portal cookie into req (cred CRED_PORTAL, cred_hash) for an
 * AUTH_PORTAL route; none leaves cred CRED_NONE. A write without the
 * session's X-CSRF-Token is a 403.
 */
int
portal_auth_credentials(struct request *req, struct api_error *err)
{
	if (!portal_auth_cookie_token(req, req->session_token))
		return (0);
	req->cred = CRED_PORTAL;
	auth_hash_secret(req->session_token, req->cred_hash);
	if ((req->method &
		(ROUTE_POST | ROUTE_PUT | ROUTE_PATCH | ROUTE_DELETE)) &&
	    !auth_csrf_ok(req)) {
		api_error_setf(
		    err, API_ERR_CSRF, "missing or invalid CSRF token");
		api_error_hint(err,
		    "Send the csrf_token of the portal sign-in (or GET "
		    "/api/v1/portal/{company}/me) in the X-CSRF-Token header.");
		return (-1);
	}
	return (0);
}

/* Queues portal_begin() for the request's session and company. */
int
portal_auth_add(struct request *req, struct db *db)
{
	if (req->cred != CRED_PORTAL)
		core_fatal("portal_auth_add: no portal session");
	db->auth_stmt =
	    DB_ADD(db, sql_portal_begin, req->cred_hash, portal_auth_slug(req),
		req->portal.expect_client[0] != '\0' ? req->portal.expect_client
						     : NULL);
	return (db->auth_stmt);
}

static void
copy_field(struct db *db, int i, const char *col, char *out, size_t len)
{
	snprintf(out, len, "%s", db_get(db, i, 0, col));
}

/* Reads who the request acts as from portal_begin()'s row i. */
void
portal_auth_read(struct request *req, struct db *db, int i)
{
	if (db_rows(db, i) != 1)
		core_fatal("portal_begin returned %d rows", db_rows(db, i));
	copy_field(db, i, "contact_id", req->portal.contact_id,
	    sizeof(req->portal.contact_id));
	copy_field(db, i, "client_id", req->portal.client_id,
	    sizeof(req->portal.client_id));
	copy_field(db, i, "impersonator", req->portal.impersonator,
	    sizeof(req->portal.impersonator));
	copy_field(db, i, "company_id", req->user.company_id,
	    sizeof(req->user.company_id));
	copy_field(db, i, "company_name", req->user.company_name,
	    sizeof(req->user.company_name));
	copy_field(
	    db, i, "contact_name", req->user.name, sizeof(req->user.name));
}

/*
 * Sets (value, max-age in seconds) or clears ("", "0") the portal cookie:
 * sent back only to the portal's API.
 */
void
portal_auth_cookie(struct request *req, const char *value, const char *age)
{
	char cookie[256];
	int  secure;

	secure = module_cfg.cookie_secure == 1 ||
	    (module_cfg.cookie_secure == -1 && req->secure);
	snprintf(cookie, sizeof(cookie),
	    "%s=%s; Path=%s; Max-Age=%s; HttpOnly; SameSite=Lax%s",
	    PORTAL_COOKIE, value, PORTAL_COOKIE_PATH, age,
	    secure ? "; Secure" : "");
	reply_header(req, "set-cookie", cookie);
}
