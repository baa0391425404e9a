/*
 * API tokens: create (the secret is shown once), list (with the prefix
 * that identifies a token without revealing it), revoke. The database
 * keeps SHA-256 of the secret only; token_create()/token_revoke() in SQL
 * write the event in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/crypto.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "core/stmt.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define TOKENS_VISIBLE \
    "FROM api_tokens t WHERE t.company_id = app_company_id() " \
    "AND t.revoked_at IS NULL AND (app_is_admin() OR t.user_id = app_user_id())"

static const char sql_list[] =
    "SELECT token_json(t) AS item, t.created_at::text AS sort_value, "
    "t.public_id AS pid " TOKENS_VISIBLE " ";

static const char sql_count[] =
    "SELECT count(*) AS total " TOKENS_VISIBLE;

static const char sql_create[] =
    "SELECT token_create($1, $2, $3::bytea, $4::timestamptz) AS item";

static const char sql_revoke[] =
    "SELECT token_revoke($1)";
/* clang-format on */

static const struct field_spec token_fields[] = {
	{ "name", FIELD_STRING, FIELD_REQUIRED | FIELD_NONEMPTY, 100, NULL, 0,
	    0 },
	{ "expires_at", FIELD_TIMESTAMP, FIELD_NULLABLE, 64, NULL, 0, 0 },
};

void
api_tokens_list(struct request *req)
{
	struct db   db;
	struct page page;
	struct stmt st;
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    items, total;

	if (list_page(req, &page) != 0 ||
	    list_cursor(req, "tokens", "timestamptz", 1, pid, sizeof(pid),
		value, sizeof(value)) != 0)
		return;
	stmt_init(&st);
	stmt_append(&st, sql_list);
	list_after(
	    &st, "t.created_at", "timestamptz", "t.public_id", 1, value, pid);
	stmt_append(&st, "ORDER BY t.created_at DESC, t.public_id DESC ");
	list_limit(&st, &page, pid);
	pipeline_init(req, &db);
	items = db_add_stmt(&db, &st);
	total = DB_ADD0(&db, sql_count);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, items, total, &page, "tokens", 1);
	db_cleanup(&db);
	stmt_cleanup(&st);
}

void
api_tokens_create(struct request *req)
{
	struct db     db;
	json_t	     *item = NULL, *exp;
	unsigned char digest[SHA256_LEN];
	char	      token[TOKEN_LEN + 1], prefix[TOKEN_SHOWN_PREFIX + 1];
	char	      hash[2 + 2 * SHA256_LEN + 1], location[128];
	int	      q;

	pipeline_init(req, &db);
	if (reply_invalid_body(req, token_fields, CORE_ARRAY_LEN(token_fields)))
		goto out;
	exp = json_object_get(req->body, "expires_at");

	crypto_new_api_token(token);
	snprintf(prefix, sizeof(prefix), "%.*s", TOKEN_SHOWN_PREFIX, token);
	crypto_sha256(token, strlen(token), digest);
	crypto_bytea_hex(digest, sizeof(digest), hash, sizeof(hash));

	q = DB_ADD(&db, sql_create,
	    json_string_value(json_object_get(req->body, "name")), prefix, hash,
	    json_is_string(exp) ? json_string_value(exp) : NULL);
	if (pipeline_run(req, &db) != 0)
		goto out;

	if ((item = json_loads(db_get(&db, q, 0, "item"), 0, NULL)) == NULL)
		core_fatal("token_create returned invalid JSON");
	json_object_set_new(item, "token", json_string(token));
	snprintf(location, sizeof(location), "/api/v1/tokens/%s",
	    json_string_value(json_object_get(item, "id")));
	reply_header(req, "location", location);
	reply_json(req, 201, item);
out:
	sodium_memzero(token, sizeof(token));
	db_cleanup(&db);
}

void
api_tokens_revoke(struct request *req)
{
	struct db   db;
	const char *id = request_param(req, 0);

	pipeline_init(req, &db);
	DB_ADD(&db, sql_revoke, id);
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}
