/*
 * Staff and the portal: "Send invitation" (a 72-hour link, by mail, to set
 * a portal password) and "Client portal" (a 60-second, single-use link that
 * opens the portal as the contact, for staff with edit rights). The secrets
 * are made here, their SHA-256 stored; the invitation's goes out in its
 * mail (the outbox, http/api_mail.c), the portal link's only in this
 * response, for the staff member's browser to open in a new tab.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/module.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_invite[] =
    "SELECT portal_invite($1, $2, $3, $4::bytea, $5) AS item";
static const char sql_link[] =
    "SELECT j ->> 'slug' AS slug, j ->> 'expires_at' AS expires_at "
    "FROM portal_enter_link($1, $2, $3::bytea) AS t(j)";
/* clang-format on */

/* POST /clients/{id}/contacts/{contact_id}/invitation. */
void
api_contact_portal_invite(struct request *req)
{
	struct db db;
	char	  secret[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	int	  q;

	crypto_new_session_token(secret);
	auth_hash_secret(secret, hash);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_invite, request_param(req, 0),
	    request_param(req, 1), secret, hash, module_cfg.public_url);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 202, db_get(&db, q, 0, "item"));
	sodium_memzero(secret, sizeof(secret));
	db_cleanup(&db);
}

/*
 * POST /clients/{id}/contacts/{contact_id}/portal-link: {url, path,
 * expires_at}; the secret is in the fragment, which browsers never send.
 */
void
api_contact_portal_link(struct request *req)
{
	struct db db;
	char	  secret[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	char	  path[256], url[1024];
	int	  q;

	crypto_new_session_token(secret);
	auth_hash_secret(secret, hash);
	pipeline_init(req, &db);
	q = DB_ADD(
	    &db, sql_link, request_param(req, 0), request_param(req, 1), hash);
	if (pipeline_run(req, &db) == 0) {
		snprintf(path, sizeof(path), "/portal/%s/enter#%s",
		    db_get(&db, q, 0, "slug"), secret);
		snprintf(url, sizeof(url), "%s%s", module_cfg.public_url, path);
		reply_json(req, 201,
		    json_pack("{s:s, s:s, s:s}", "url", url, "path", path,
			"expires_at", db_get(&db, q, 0, "expires_at")));
		sodium_memzero(path, sizeof(path));
		sodium_memzero(url, sizeof(url));
	}
	sodium_memzero(secret, sizeof(secret));
	db_cleanup(&db);
}
