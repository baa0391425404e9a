/*
 * Clients: list, create, read, update, the lifecycle (archive, restore,
 * delete, purge), merge, bulk actions and the activity history.
 *
 * Handlers validate the request with core/clients.c and hand the checked
 * JSON to the SQL functions of sql/0002_clients.sql, which apply it, keep
 * the rules that need stored state, and write the event in the same
 * transaction. Every request is one pipeline (one round trip) behind
 * auth_begin(), except purge, which verifies the password in between.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "clientd.h"
#include "clients.h"
#include "settings.h"

/*
 * A list of clients is one of 40 statements: 5 sort keys x 2 directions x
 * with or without a cursor x with or without a search. Each is written so
 * that PostgreSQL's generic plan for it (the daemon prepares statements
 * and asks for generic plans) is the right plan: a cursor is a real index
 * condition, and a search starts from client_search_ids(), which finds the
 * matches with the trigram index (row-level security would keep the
 * index from a LIKE on clients itself, see sql/0002_clients.sql). A
 * variant without a cursor or a search still names its parameters
 * ($2, $10, $11 are then NULL) so that all of them take the same ones.
 *
 * Parameters: $1 statuses, $2 search pattern, $3 updated_since, $4 group,
 * $5..$9 balance gt/gte/lt/lte/eq, $10/$11 cursor value and public id,
 * $12 limit (one more than a page, to see whether another follows),
 * $13 offset.
 */
#define CLIENT_FILTERS \
	"c.company_id = app_company_id() " \
	"AND (app_scope_all() OR c.user_id = app_user_id() " \
	"    OR c.assigned_user_id = app_user_id()) " \
	"AND c.status = ANY ($1::text[]) " \
	"AND ($3::timestamptz IS NULL OR c.updated_at >= $3::timestamptz) " \
	"AND ($4::text IS NULL OR c.group_id = (SELECT g.id FROM client_groups g " \
	"    WHERE g.public_id = $4 AND g.company_id = app_company_id())) " \
	"AND ($5::numeric IS NULL OR c.balance > $5::numeric) " \
	"AND ($6::numeric IS NULL OR c.balance >= $6::numeric) " \
	"AND ($7::numeric IS NULL OR c.balance < $7::numeric) " \
	"AND ($8::numeric IS NULL OR c.balance <= $8::numeric) " \
	"AND ($9::numeric IS NULL OR c.balance = $9::numeric) "

#define FROM_ALL	"clients c WHERE $2::text IS NULL AND "
#define FROM_SEARCH	"client_search_ids($2) s JOIN clients c ON c.id = s WHERE "
#define NO_CURSOR(KEY, TYPE, CMP) \
	"AND $10::" TYPE " IS NULL AND $11::text IS NULL "
#define AT_CURSOR(KEY, TYPE, CMP) \
	"AND (" KEY ", c.public_id) " CMP " ($10::" TYPE ", $11::text) "

/*
 * The page is chosen on clients alone; the joins that build each item's
 * JSON then run for the page's rows only.
 */
#define CLIENT_LIST_SQL(FROM, CURSOR, KEY, TYPE, CMP, DIR) \
	"SELECT client_row_json(c, pc, g.public_id, au.public_id, cur.code, " \
	"    cur.precision) AS item, p.sort_value, c.public_id AS pid " \
	"FROM (SELECT c.id, (" KEY ")::text AS sort_value, " KEY " AS sort_key " \
	"    FROM " FROM CLIENT_FILTERS CURSOR(KEY, TYPE, CMP) \
	"    ORDER BY " KEY " " DIR ", c.public_id " DIR " " \
	"    LIMIT $12::int OFFSET $13::int) p " \
	"JOIN clients c ON c.id = p.id " \
	"JOIN companies co ON co.id = c.company_id " \
	"LEFT JOIN client_contacts pc ON pc.client_id = c.id AND pc.is_primary " \
	"LEFT JOIN client_groups g ON g.id = c.group_id " \
	"LEFT JOIN users au ON au.id = c.assigned_user_id " \
	"LEFT JOIN setting_defaults dc ON dc.key = 'currency' " \
	"LEFT JOIN currencies cur ON cur.code = setting_pick('currency', " \
	"    c.settings, g.settings, co.settings, dc.value) #>> '{}' " \
	"ORDER BY p.sort_key " DIR ", c.public_id " DIR

/* [search][cursor][desc] for one sort key. */
#define CLIENT_LIST_SET(KEY, TYPE) { \
	{ { CLIENT_LIST_SQL(FROM_ALL, NO_CURSOR, KEY, TYPE, ">", "ASC"), \
	    CLIENT_LIST_SQL(FROM_ALL, NO_CURSOR, KEY, TYPE, "<", "DESC") }, \
	  { CLIENT_LIST_SQL(FROM_ALL, AT_CURSOR, KEY, TYPE, ">", "ASC"), \
	    CLIENT_LIST_SQL(FROM_ALL, AT_CURSOR, KEY, TYPE, "<", "DESC") } }, \
	{ { CLIENT_LIST_SQL(FROM_SEARCH, NO_CURSOR, KEY, TYPE, ">", "ASC"), \
	    CLIENT_LIST_SQL(FROM_SEARCH, NO_CURSOR, KEY, TYPE, "<", "DESC") }, \
	  { CLIENT_LIST_SQL(FROM_SEARCH, AT_CURSOR, KEY, TYPE, ">", "ASC"), \
	    CLIENT_LIST_SQL(FROM_SEARCH, AT_CURSOR, KEY, TYPE, "<", "DESC") } } }

static const char *const sql_list[CLIENT_SORT__COUNT][2][2][2] = {
	[CLIENT_SORT_CREATED] = CLIENT_LIST_SET("c.created_at", "timestamptz"),
	[CLIENT_SORT_UPDATED] = CLIENT_LIST_SET("c.updated_at", "timestamptz"),
	[CLIENT_SORT_NAME] = CLIENT_LIST_SET("lower(c.display_name)", "text"),
	[CLIENT_SORT_NUMBER] = CLIENT_LIST_SET("c.number", "text"),
	[CLIENT_SORT_BALANCE] = CLIENT_LIST_SET("c.balance", "numeric"),
};

/*
 * The list's total: without a search or other filters (and when the caller
 * sees every client), from the per-status counters; else counted.
 */
static const char sql_total[] =
    "SELECT CASE WHEN $3::timestamptz IS NULL "
    "    AND $4::text IS NULL AND $5::numeric IS NULL AND $6::numeric IS NULL "
    "    AND $7::numeric IS NULL AND $8::numeric IS NULL "
    "    AND $9::numeric IS NULL AND app_scope_all() "
    "  THEN COALESCE((SELECT CASE WHEN 'active' = ANY ($1::text[]) THEN active ELSE 0 END "
    "      + CASE WHEN 'archived' = ANY ($1::text[]) THEN archived ELSE 0 END "
    "      + CASE WHEN 'deleted' = ANY ($1::text[]) THEN deleted ELSE 0 END "
    "    FROM client_stats WHERE company_id = app_company_id()), 0) "
    "  ELSE (SELECT count(*) FROM " FROM_ALL CLIENT_FILTERS ") "
    "END AS total";

static const char sql_total_search[] =
    "SELECT count(*) AS total FROM " FROM_SEARCH CLIENT_FILTERS;

#define CLIENT_RESULT(expr) \
	"SELECT j AS item, j ->> 'version' AS version, j ->> 'id' AS id " \
	"FROM " expr " AS j"

static const char sql_get[] = CLIENT_RESULT("client_get($1)");
static const char sql_create[] = CLIENT_RESULT("idem_store($1, 201, "
    "client_create($2::jsonb, $3, $4::int, $5::boolean))");
static const char sql_number_context[] =
    "SELECT pattern, padding, group_counter, has_group, local_time "
    "FROM client_number_context($1)";
static const char sql_update[] =
    CLIENT_RESULT("client_update($1, $2::jsonb, $3::int)");
static const char sql_state_idem[] =
    CLIENT_RESULT("idem_store($1, 200, client_state($2, $3, $4::int))");
static const char sql_merge[] =
    CLIENT_RESULT("idem_store($1, 200, client_merge($2, $3))");
static const char sql_bulk[] =
    "SELECT idem_store($1, 200, client_bulk($2, $3::text[], $4)) AS item";
static const char sql_reauth[] =
    "SELECT password_hash, retry_after FROM reauth_lookup()";
static const char sql_reauth_fail[] = "SELECT reauth_fail()";
static const char sql_purge[] = "SELECT client_purge($1)";

static const char sql_activity[] =
    "SELECT event_json(e) AS item, e.created_at::text AS sort_value, "
    "    e.public_id AS pid "
    "FROM events e WHERE e.company_id = app_company_id() "
    "AND e.client_id = client_internal_id($1) "
    "AND ($2::timestamptz IS NULL OR (e.created_at, e.public_id) < "
    "    ($2::timestamptz, $3::text)) "
    "ORDER BY e.created_at DESC, e.public_id DESC "
    "LIMIT $4::int OFFSET $5::int";

static const char sql_activity_total[] =
    "SELECT count(*) AS total FROM events e "
    "WHERE e.company_id = app_company_id() AND e.client_id = client_internal_id($1)";

static const char *const bulk_actions[] = { "archive", "restore", "delete",
	"assign_group", NULL };

static const struct field_spec bulk_fields[] = {
	{ "action", FIELD_ENUM, FIELD_REQUIRED, 0, bulk_actions, 0, 0 },
	{ "ids", FIELD_ARRAY, FIELD_REQUIRED, CLIENT_BULK_MAX, NULL, 0, 0 },
	{ "group", FIELD_ID, FIELD_NULLABLE, 0, NULL, 0, 0 },
};

static const struct field_spec merge_fields[] = {
	{ "source", FIELD_ID, FIELD_REQUIRED, 0, NULL, 0, 0 },
};

static const struct field_spec purge_fields[] = {
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

static const char *
nz(const char *s)
{
	return (s[0] == '\0' ? NULL : s);
}

/* Answers with statement q's client: its JSON, ETag and, on 201, Location. */
static void
reply_client(struct api_ctx *ctx, struct db *db, int q, int status)
{
	char	etag[32], location[128];

	snprintf(etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
	api_header(ctx, "etag", etag);
	if (status == 201) {
		snprintf(location, sizeof(location), "/api/v1/clients/%s",
		    db_get(db, q, 0, "id"));
		api_header(ctx, "location", location);
	}
	api_reply_sql_json(ctx, status, db_get(db, q, 0, "item"));
}

/* ---- list ---------------------------------------------------------------- */

void
clients_list(struct api_ctx *ctx)
{
	struct api_error	 err;
	struct client_list	 l;
	struct page		 page;
	struct db		 db;
	const char		*p[13];
	char			 pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int			 items, total, i;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	db_init(&db);
	if (client_list_parse(&ctx->qs, &l, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}
	if (list_page(ctx, &page) != 0 ||
	    list_cursor(ctx, l.sort->name, l.desc, pid, sizeof(pid), value,
	    sizeof(value)) != 0)
		goto out;

	p[0] = l.statuses;
	p[1] = nz(l.like);
	p[2] = nz(l.updated_since);
	p[3] = nz(l.group);
	for (i = 0; i < 5; i++)
		p[4 + i] = nz(l.balance[i]);
	p[9] = nz(value);
	p[10] = nz(pid);
	p[11] = page.fetch;
	p[12] = pid[0] != '\0' ? "0" : page.offset;

	auth_add(ctx, &db);
	items = db_add(&db, sql_list[l.sort->key][p[1] != NULL][p[9] != NULL]
	    [l.desc], 13, p);
	total = db_add(&db, p[1] != NULL ? sql_total_search : sql_total, 9, p);
	if (api_exec(ctx, &db) == 0)
		list_reply_page(ctx, &db, items, total, &page, l.sort->name, l.desc);
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/* ---- one client ------------------------------------------------------------ */

void
clients_get(struct api_ctx *ctx)
{
	struct db	 db;
	const char	*inm;
	char		 etag[32];
	int		 q;

	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_get, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0) {
		snprintf(etag, sizeof(etag), "\"%s\"",
		    db_get(&db, q, 0, "version"));
		inm = api_request_header(ctx, "if-none-match");
		if (inm != NULL && strcmp(inm, etag) == 0) {
			api_header(ctx, "etag", etag);
			api_reply_empty(ctx, 304);
		} else {
			reply_client(ctx, &db, q, 200);
		}
	}
	db_cleanup(&db);
}

/* Whether the body leaves the number to be generated. */
static int
needs_number(json_t *body)
{
	json_t	*n;

	n = json_object_get(body, "number");
	return (n == NULL || json_is_null(n) ||
	    (json_is_string(n) && json_string_length(n) == 0));
}

/*
 * The template of the next generated number for this client: the pattern
 * that applies (its group's or the company's), expanded in the local time
 * that applies, with the counter left to SQL. One round trip; answers
 * itself and returns -1 on failure.
 */
static int
number_template_for(struct api_ctx *ctx, char *tmpl, size_t len,
    char *padding, size_t padlen, int *group_counter)
{
	struct number_vars	 vars;
	struct db		 db;
	json_t			*v;
	const char		*group, *pattern;
	int			 q, rc = -1;

	v = json_object_get(ctx->body, "group");
	group = json_is_string(v) ? json_string_value(v) : NULL;
	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_number_context, group);
	if (api_exec(ctx, &db) != 0)
		goto out;

	memset(&vars, 0, sizeof(vars));
	if (strptime(db_get(&db, q, 0, "local_time"), "%Y-%m-%d %H:%M:%S",
	    &vars.now) == NULL)
		core_fatal("client_number_context: bad local_time");
	v = json_object_get(ctx->body, "id_number");
	vars.client_id_number = json_is_string(v) ? json_string_value(v) : "";
	vars.user_id = ctx->user.user_id;
	pattern = db_get(&db, q, 0, "pattern");
	if (number_template(pattern, &vars, tmpl, len) != 0) {
		api_reply_errorf(ctx, API_ERR_VALIDATION, "the client number "
		    "pattern does not give a usable number (longer than %d "
		    "characters, or control characters)", NUMBER_MAX);
		goto out;
	}
	snprintf(padding, padlen, "%s", db_get(&db, q, 0, "padding"));
	*group_counter = strcmp(db_get(&db, q, 0, "has_group"), "t") == 0 &&
	    (strcmp(db_get(&db, q, 0, "group_counter"), "t") == 0 ||
	    number_pattern_uses_group_counter(pattern));
	rc = 0;
out:
	db_cleanup(&db);
	return (rc);
}

void
clients_create(struct api_ctx *ctx)
{
	struct api_error	 err;
	struct db		 db;
	char			*body, tmpl[NUMBER_MAX * 4 + 1], padding[16];
	int			 q, group_counter = 0, generate;

	api_error_init(&err, API_ERR_VALIDATION);
	db_init(&db);
	body = NULL;
	if (client_validate(ctx->body, 1, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}
	generate = needs_number(ctx->body);
	if (generate && number_template_for(ctx, tmpl, sizeof(tmpl), padding,
	    sizeof(padding), &group_counter) != 0)
		goto out;
	body = api_body_text(ctx);
	auth_add(ctx, &db);
	api_idem_add(ctx, &db);
	q = DB_ADD(&db, sql_create, api_idem_key(ctx), body,
	    generate ? tmpl : NULL, generate ? padding : NULL,
	    group_counter ? "true" : "false");
	if (api_exec(ctx, &db) == 0)
		reply_client(ctx, &db, q, 201);
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

void
clients_update(struct api_ctx *ctx)
{
	struct api_error	 err;
	struct db		 db;
	char			*body, ver[24];
	int			 q;

	api_error_init(&err, API_ERR_VALIDATION);
	db_init(&db);
	body = NULL;
	if (client_validate(ctx->body, 0, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}
	body = api_body_text(ctx);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_update, api_param(ctx, 0), body,
	    api_if_match(ctx, ver, sizeof(ver)));
	if (api_exec(ctx, &db) == 0)
		reply_client(ctx, &db, q, 200);
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

static void
client_state_change(struct api_ctx *ctx, const char *action)
{
	struct db	db;
	char		ver[24];
	int		q;

	db_init(&db);
	auth_add(ctx, &db);
	api_idem_add(ctx, &db);
	q = DB_ADD(&db, sql_state_idem, api_idem_key(ctx), api_param(ctx, 0),
	    action, api_if_match(ctx, ver, sizeof(ver)));
	if (api_exec(ctx, &db) == 0)
		reply_client(ctx, &db, q, 200);
	db_cleanup(&db);
}

void
clients_archive(struct api_ctx *ctx)
{
	client_state_change(ctx, "archive");
}

void
clients_restore(struct api_ctx *ctx)
{
	client_state_change(ctx, "restore");
}

void
clients_delete(struct api_ctx *ctx)
{
	client_state_change(ctx, "delete");
}

void
clients_merge(struct api_ctx *ctx)
{
	struct db	db;
	int		q;

	if (api_check_body(ctx, merge_fields, CORE_ARRAY_LEN(merge_fields)) != 0)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	api_idem_add(ctx, &db);
	q = DB_ADD(&db, sql_merge, api_idem_key(ctx), api_param(ctx, 0),
	    json_string_value(json_object_get(ctx->body, "source")));
	if (api_exec(ctx, &db) == 0)
		reply_client(ctx, &db, q, 200);
	db_cleanup(&db);
}

/* The ids array as a PostgreSQL text[] literal; ids are [0-9a-z] only. */
static int
bulk_ids(struct api_ctx *ctx, json_t *ids, struct cbuf *out)
{
	struct api_error	 err;
	json_t			*v;
	size_t			 i;
	char			 name[32];
	int			 bad = 0;

	api_error_init(&err, API_ERR_VALIDATION);
	cbuf_append(out, "{", 1);
	json_array_foreach(ids, i, v) {
		snprintf(name, sizeof(name), "ids[%zu]", i);
		if (!json_is_string(v) || !public_id_valid(json_string_value(v))) {
			api_error_add_field(&err, name, "invalid_format",
			    "field \"%s\" is not a client id", name);
			bad = 1;
			continue;
		}
		cbuf_appendf(out, "%s%s", i > 0 ? "," : "",
		    json_string_value(v));
	}
	cbuf_append(out, "}", 1);
	if (json_array_size(ids) == 0) {
		api_error_add_field(&err, "ids", "empty",
		    "field \"ids\" must name at least one client");
		bad = 1;
	}
	if (bad)
		api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	return (bad ? -1 : 0);
}

/* "group" goes with assign_group (null: out of every group) and only. */
static int
bulk_group(struct api_ctx *ctx)
{
	struct api_error	 err;
	int			 assign, has, rc = 0;

	assign = strcmp(json_string_value(json_object_get(ctx->body,
	    "action")), "assign_group") == 0;
	has = json_object_get(ctx->body, "group") != NULL;
	if (assign == has)
		return (0);
	api_error_init(&err, API_ERR_VALIDATION);
	if (assign)
		api_error_add_field(&err, "group", "required", "field \"group\" "
		    "is required for assign_group (null takes the clients out "
		    "of their group)");
	else
		api_error_add_field(&err, "group", "unknown_field", "field "
		    "\"group\" goes only with the action assign_group");
	api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	rc = -1;
	return (rc);
}

void
clients_bulk(struct api_ctx *ctx)
{
	struct cbuf	 ids;
	struct db	 db;
	json_t		*group;
	int		 q;

	if (api_check_body(ctx, bulk_fields, CORE_ARRAY_LEN(bulk_fields)) != 0)
		return;
	cbuf_init(&ids, 256);
	db_init(&db);
	if (bulk_ids(ctx, json_object_get(ctx->body, "ids"), &ids) != 0 ||
	    bulk_group(ctx) != 0)
		goto out;
	auth_add(ctx, &db);
	api_idem_add(ctx, &db);
	group = json_object_get(ctx->body, "group");
	q = DB_ADD(&db, sql_bulk, api_idem_key(ctx),
	    json_string_value(json_object_get(ctx->body, "action")), ids.data,
	    json_is_string(group) ? json_string_value(group) : NULL);
	if (api_exec(ctx, &db) == 0)
		api_reply_sql_json(ctx, 200, db_get(&db, q, 0, "item"));
out:
	db_cleanup(&db);
	cbuf_cleanup(&ids);
}

/* ---- purge ------------------------------------------------------------------ */

/*
 * Checks the owner's password again (throttled like logins). Returns 0 if
 * it is right; answers 403 or 429 itself otherwise.
 */
static int
purge_reauth(struct api_ctx *ctx, const char *password)
{
	struct api_error	err;
	struct db		db;
	char			retry[16];
	int			ok, rc = -1;

	api_error_init(&err, API_ERR_FORBIDDEN);
	db_init(&db);
	auth_add(ctx, &db);
	DB_ADD0(&db, sql_reauth);
	if (api_exec(ctx, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, 1, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		api_error_setf(&err, API_ERR_THROTTLED, "too many wrong passwords");
		api_error_detail(&err, "Password checks for this account are "
		    "paused for %s seconds.", retry);
		api_header(ctx, "retry-after", retry);
		api_reply_error(ctx, &err);
		goto out;
	}
	ok = password_verify(password, db_get(&db, 1, 0, "password_hash"));
	db_cleanup(&db);
	if (ok) {
		rc = 0;
		goto out;
	}
	db_init(&db);
	auth_add(ctx, &db);
	DB_ADD0(&db, sql_reauth_fail);
	if (api_exec(ctx, &db) == 0) {
		api_error_setf(&err, API_ERR_FORBIDDEN, "password is incorrect");
		api_error_field(&err, "password");
		api_error_hint(&err, "Purging a client asks for your own "
		    "password again.");
		api_reply_error(ctx, &err);
	}
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
	return (rc);
}

/* Hard delete: owners only, with their password, no undo. */
void
clients_purge(struct api_ctx *ctx)
{
	struct db	db;

	if (api_check_body(ctx, purge_fields, CORE_ARRAY_LEN(purge_fields)) != 0)
		return;
	if (purge_reauth(ctx, json_string_value(json_object_get(ctx->body,
	    "password"))) != 0)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	DB_ADD(&db, sql_purge, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0)
		api_reply_empty(ctx, 204);
	db_cleanup(&db);
}

/* ---- activity ----------------------------------------------------------------- */

void
clients_activity(struct api_ctx *ctx)
{
	struct page	page;
	struct db	db;
	char		pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int		items, total;

	if (list_page(ctx, &page) != 0 ||
	    list_cursor(ctx, "activity", 1, pid, sizeof(pid), value,
	    sizeof(value)) != 0)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	items = DB_ADD(&db, sql_activity, api_param(ctx, 0), nz(value),
	    nz(pid), page.fetch, pid[0] != '\0' ? "0" : page.offset);
	total = DB_ADD(&db, sql_activity_total, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0)
		list_reply_page(ctx, &db, items, total, &page, "activity", 1);
	db_cleanup(&db);
}
