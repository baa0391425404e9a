/*
 * Clients: list, create, read, update, the lifecycle (archive, restore,
 * delete, purge), merge, bulk actions and the activity history.
 *
 * Handlers validate the request with core/clients.c and hand the checked
 * JSON to the SQL functions of sql/functions/clients.sql, which apply it, keep
 * the rules that need stored state, and write the event in the same
 * transaction. Every request is one pipeline (one round trip) behind
 * auth_begin(), except purge, which verifies the password in between
 * (http/reauth.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/clients.h"
#include "core/csv.h"
#include "core/core.h"
#include "core/idempotency.h"
#include "core/cursor.h"
#include "core/mem.h"
#include "core/numbers.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/settings.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reauth.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/stream.h"

/*
 * A list of clients is assembled per request (core/stmt.c), so that its
 * text holds only the predicates the request uses: PostgreSQL then plans
 * each variant once per connection, and a generic plan is the right one
 * (a cursor is a real index condition; the daemon's connections ask for
 * generic plans, http/module.c). A search starts from client_search_ids(),
 * which finds the matches with the trigram index (row-level security would
 * keep the index from a LIKE on clients itself). The page is chosen on
 * clients alone; the joins that complete each item then run for the
 * page's rows only, and the items are columns that client_fields[] turns
 * into JSON in the daemon (core/render.c): PostgreSQL building a JSON
 * value per row cost more than the rest of the statement.
 *
 * The columns are those of client_row_json() and contact_json() (SQL,
 * which events and webhooks use): tests/api/render.test.mjs holds the two
 * to the same output.
 */
/* clang-format off */
#define CONTACT_COLUMNS(k, p, a, i) \
    k ".public_id AS " p "id, " k ".first_name AS " p "first_name, " \
    k ".last_name AS " p "last_name, " k ".email AS " p "email, " \
    k ".phone AS " p "phone, " k ".is_primary AS " p "is_primary, " \
    k ".send_email AS " p "send_email, " \
    k ".custom_value1 AS " p "custom_value1, " \
    k ".custom_value2 AS " p "custom_value2, " \
    k ".custom_value3 AS " p "custom_value3, " \
    k ".custom_value4 AS " p "custom_value4, " \
    k ".created_at AT TIME ZONE 'UTC' AS " p "created_at, " \
    k ".updated_at AT TIME ZONE 'UTC' AS " p "updated_at, " \
    k ".version AS " p "version, " \
    "portal_status_name(" a ".password_set_at, " i ".created_at, " \
    "    " i ".expires_at, " i ".used_at) AS " p "portal_status, " \
    i ".created_at AT TIME ZONE 'UTC' AS " p "invited_at, " \
    "CASE WHEN " i ".used_at IS NULL THEN " i ".expires_at AT TIME ZONE 'UTC' " \
    "    END AS " p "invitation_expires_at, " \
    a ".last_login_at AT TIME ZONE 'UTC' AS " p "last_login_at "

/* Contact k's portal account a and its latest invitation i (portal.sql). */
#define CONTACT_PORTAL_JOINS(k, a, i) \
    "LEFT JOIN portal_accounts " a " ON " k ".email <> '' " \
    "    AND " a ".company_id = " k ".company_id " \
    "    AND " a ".email = lower(" k ".email) " \
    "LEFT JOIN LATERAL (SELECT l.created_at, l.expires_at, l.used_at " \
    "    FROM portal_links l WHERE l.contact_id = " k ".id " \
    "    AND l.kind = 'invitation' AND l.email = lower(" k ".email) " \
    "    ORDER BY l.created_at DESC LIMIT 1) " i " ON true "

/* Client c with its primary contact pc (client_fields[]). */
#define CLIENT_COLUMNS \
    "c.public_id AS id, c.number, c.name, c.display_name, c.website, " \
    "c.phone, c.vat_number, c.id_number, c.address1, c.address2, c.city, " \
    "c.state, c.postal_code, c.country, c.shipping_address1, " \
    "c.shipping_address2, c.shipping_city, c.shipping_state, " \
    "c.shipping_postal_code, c.shipping_country, c.public_notes, " \
    "c.private_notes, c.custom_value1, c.custom_value2, c.custom_value3, " \
    "c.custom_value4, g.public_id AS group_id, " \
    "au.public_id AS assigned_user, cur.code AS currency, " \
    "money_text(c.balance, cur.precision) AS balance, " \
    "money_text(c.paid_to_date, cur.precision) AS paid_to_date, " \
    "client_status(c.archived_at, c.deleted_at) AS status, " \
    "c.created_at AT TIME ZONE 'UTC' AS created_at, " \
    "c.updated_at AT TIME ZONE 'UTC' AS updated_at, " \
    "c.archived_at AT TIME ZONE 'UTC' AS archived_at, " \
    "c.deleted_at AT TIME ZONE 'UTC' AS deleted_at, " \
    "c.version, c.awaiting_approval, " \
    CONTACT_COLUMNS("pc", "pc_", "pa", "pi")

/*
 * What completes client c: its company co, primary contact pc (with its
 * portal account and invitation), group g, assigned user au and currency
 * cur. The currency's code is worked out once per client (the fenced
 * subquery), then looked up once per code (a lateral subquery, which
 * PostgreSQL memoizes): as a join condition, the settings' lookups ran once
 * per client and currency, or the currencies were hashed once per client.
 */
#define CLIENT_JOINS \
    "JOIN companies co ON co.id = c.company_id " \
    "LEFT JOIN client_contacts pc ON pc.client_id = c.id AND pc.is_primary " \
    CONTACT_PORTAL_JOINS("pc", "pa", "pi") \
    "LEFT JOIN client_groups g ON g.id = c.group_id " \
    "LEFT JOIN users au ON au.id = c.assigned_user_id " \
    "CROSS JOIN LATERAL (SELECT setting_pick('currency', c.settings, " \
    "    g.settings, co.settings, (SELECT d.value FROM setting_defaults d " \
    "    WHERE d.key = 'currency')) #>> '{}' AS code OFFSET 0) cc " \
    "LEFT JOIN LATERAL (SELECT cu.code, cu.precision FROM currencies cu " \
    "    WHERE cu.code = cc.code LIMIT 1) cur ON true "

static const char sql_list_item[] =
    "SELECT " CLIENT_COLUMNS ", p.sort_value, c.public_id AS pid ";
static const char sql_list_joins[] =
    "JOIN clients c ON c.id = p.id " CLIENT_JOINS;
/* clang-format on */

/* A contact as the API shows it; p: its columns' prefix. */
#define CONTACT_FIELDS(p) \
	{ "id", p "id", RENDER_TEXT }, \
	    { "first_name", p "first_name", RENDER_TEXT }, \
	    { "last_name", p "last_name", RENDER_TEXT }, \
	    { "email", p "email", RENDER_TEXT }, \
	    { "phone", p "phone", RENDER_TEXT }, \
	    { "is_primary", p "is_primary", RENDER_BOOL }, \
	    { "send_email", p "send_email", RENDER_BOOL }, \
	    { "custom_value1", p "custom_value1", RENDER_TEXT }, \
	    { "custom_value2", p "custom_value2", RENDER_TEXT }, \
	    { "custom_value3", p "custom_value3", RENDER_TEXT }, \
	    { "custom_value4", p "custom_value4", RENDER_TEXT }, \
	    { "created_at", p "created_at", RENDER_TIME }, \
	    { "updated_at", p "updated_at", RENDER_TIME }, \
	    { "version", p "version", RENDER_NUMBER }, \
	    { "portal", NULL, RENDER_OBJECT }, \
	    { "status", p "portal_status", RENDER_TEXT }, \
	    { "invited_at", p "invited_at", RENDER_TIME }, \
	    { "invitation_expires_at", p "invitation_expires_at", \
		    RENDER_TIME }, \
	    { "last_login_at", p "last_login_at", RENDER_TIME }, \
	{ \
		NULL, NULL, RENDER_END \
	}

/* A client as lists show it (client_row_json() in clients.sql). */
static const struct render_field client_fields[] = {
	{ "id", "id", RENDER_TEXT },
	{ "number", "number", RENDER_TEXT },
	{ "name", "name", RENDER_TEXT },
	{ "display_name", "display_name", RENDER_TEXT },
	{ "website", "website", RENDER_TEXT },
	{ "phone", "phone", RENDER_TEXT },
	{ "vat_number", "vat_number", RENDER_TEXT },
	{ "id_number", "id_number", RENDER_TEXT },
	{ "address", NULL, RENDER_OBJECT },
	{ "address1", "address1", RENDER_TEXT },
	{ "address2", "address2", RENDER_TEXT },
	{ "city", "city", RENDER_TEXT },
	{ "state", "state", RENDER_TEXT },
	{ "postal_code", "postal_code", RENDER_TEXT },
	{ "country", "country", RENDER_TEXT },
	{ NULL, NULL, RENDER_END },
	{ "shipping_address", NULL, RENDER_OBJECT },
	{ "address1", "shipping_address1", RENDER_TEXT },
	{ "address2", "shipping_address2", RENDER_TEXT },
	{ "city", "shipping_city", RENDER_TEXT },
	{ "state", "shipping_state", RENDER_TEXT },
	{ "postal_code", "shipping_postal_code", RENDER_TEXT },
	{ "country", "shipping_country", RENDER_TEXT },
	{ NULL, NULL, RENDER_END },
	{ "public_notes", "public_notes", RENDER_TEXT },
	{ "private_notes", "private_notes", RENDER_TEXT },
	{ "custom_value1", "custom_value1", RENDER_TEXT },
	{ "custom_value2", "custom_value2", RENDER_TEXT },
	{ "custom_value3", "custom_value3", RENDER_TEXT },
	{ "custom_value4", "custom_value4", RENDER_TEXT },
	{ "group", "group_id", RENDER_TEXT },
	{ "assigned_user", "assigned_user", RENDER_TEXT },
	{ "currency", "currency", RENDER_TEXT },
	{ "balance", "balance", RENDER_TEXT },
	{ "paid_to_date", "paid_to_date", RENDER_TEXT },
	{ "status", "status", RENDER_TEXT },
	{ "created_at", "created_at", RENDER_TIME },
	{ "updated_at", "updated_at", RENDER_TIME },
	{ "archived_at", "archived_at", RENDER_TIME },
	{ "deleted_at", "deleted_at", RENDER_TIME },
	{ "version", "version", RENDER_NUMBER },
	{ "awaiting_approval", "awaiting_approval", RENDER_BOOL },
	{ "primary_contact", "pc_id", RENDER_OBJECT_OR_NULL },
	CONTACT_FIELDS("pc_"),
	{ NULL, NULL, RENDER_END },
};

/* Each contact of GET /clients/{id}, and the counts that follow them. */
static const struct render_field contact_fields[] = { CONTACT_FIELDS("") };

static const struct render_field count_fields[] = {
	{ "activity", "n_activity", RENDER_NUMBER },
	{ "ledger_entries", "n_ledger_entries", RENDER_NUMBER },
	{ "documents", "n_documents", RENDER_NUMBER },
};

/* The clients the caller may see, with the statuses asked for. */
static const char sql_list_scope[] =
    "c.company_id = app_company_id() "
    "AND (app_scope_all() OR c.user_id = app_user_id() "
    "    OR c.assigned_user_id = app_user_id()) "
    "AND c.status = ANY (:statuses::text[]) ";

/*
 * Without a search or other filters, a caller who sees every client gets
 * the total from the per-status counters; anything else is counted.
 */
static const char sql_total_counters[] =
    "SELECT CASE WHEN app_scope_all() "
    "  THEN COALESCE((SELECT "
    "      CASE WHEN 'active' = ANY (:statuses::text[]) THEN active ELSE 0 END "
    "      + CASE WHEN 'archived' = ANY (:statuses::text[]) THEN archived ELSE 0 END "
    "      + CASE WHEN 'deleted' = ANY (:statuses::text[]) THEN deleted ELSE 0 END "
    "    FROM client_stats WHERE company_id = app_company_id()), 0) "
    "  ELSE (SELECT count(*) FROM clients c WHERE ";
/* clang-format on */

/* FROM ... WHERE with every predicate of the request but the cursor. */
static void
list_from(struct stmt *st, const struct client_list *l)
{
	if (l->like[0] != '\0') {
		stmt_append(st,
		    "FROM client_search_ids(:q) s "
		    "JOIN clients c ON c.id = s WHERE ");
		stmt_bind(st, "q", l->like);
	} else {
		stmt_append(st, "FROM clients c WHERE ");
	}
	stmt_append(st, sql_list_scope);
	stmt_bind(st, "statuses", l->statuses);
	clients_list_where(l, st);
}

/* A page of the list, in the sort's order, after the cursor if any. */
static void
list_items(struct stmt *st, const struct client_list *l,
    const struct page *page, const char *after, const char *after_id,
    int counted)
{
	const char *key = l->sort->expr, *dir = l->desc ? "DESC" : "ASC";

	stmt_append(st, sql_list_item);
	stmt_append(st,
	    counted ? ", p.total FROM (SELECT c.id, " : "FROM (SELECT c.id, ");
	stmt_appendf(st, "(%s)::text AS sort_value, %s AS sort_key ", key, key);
	if (counted)
		stmt_append(st, ", count(*) OVER () AS total ");
	list_from(st, l);
	list_after(
	    st, key, l->sort->type, "c.public_id", l->desc, after, after_id);
	stmt_appendf(st, "ORDER BY %s %s, c.public_id %s ", key, dir, dir);
	list_limit(st, page, after_id);
	stmt_append(st, ") p ");
	stmt_append(st, sql_list_joins);
	stmt_appendf(st, "ORDER BY p.sort_key %s, c.public_id %s", dir, dir);
}

static void
list_total(struct stmt *st, const struct client_list *l)
{
	if (l->like[0] == '\0' && !clients_list_filtered(l)) {
		stmt_append(st, sql_total_counters);
		stmt_append(st, sql_list_scope);
		stmt_append(st, ") END AS total");
		stmt_bind(st, "statuses", l->statuses);
		return;
	}
	stmt_append(st, "SELECT count(*) AS total ");
	list_from(st, l);
}

/* clang-format off */
#define CLIENT_RESULT(expr) \
	"SELECT j AS item, j ->> 'version' AS version, j ->> 'id' AS id " \
	"FROM " expr " AS t(j)"

/*
 * GET /clients/{id}: the client as lists show it with the counts of its
 * records, then its contacts (client_full_json() in clients.sql), each a
 * statement with a plan of its own; the daemon writes the JSON.
 */
#define CLIENT_FIND \
    "WHERE c.public_id = $1 AND c.company_id = app_company_id() " \
    "AND (app_scope_all() OR c.user_id = app_user_id() " \
    "    OR c.assigned_user_id = app_user_id()) "
static const char sql_get[] =
    "SELECT " CLIENT_COLUMNS ", "
    "(SELECT count(*) FROM events e WHERE e.company_id = c.company_id "
    "    AND e.client_id = c.id) AS n_activity, "
    "COALESCE((SELECT max(l.seq) FROM ledger_entries l "
    "    WHERE l.client_id = c.id), 0) AS n_ledger_entries, "
    "(SELECT count(*) FROM documents d WHERE d.client_id = c.id) "
    "    AS n_documents "
    "FROM clients c " CLIENT_JOINS CLIENT_FIND;
static const char sql_get_contacts[] =
    "SELECT " CONTACT_COLUMNS("k", "", "a", "i")
    "FROM clients c JOIN client_contacts k ON k.client_id = c.id "
    CONTACT_PORTAL_JOINS("k", "a", "i") CLIENT_FIND
    "ORDER BY k.position, k.id";
static const char sql_create[] = CLIENT_RESULT(
    IDEMPOTENCY_WRITE(201,
    "client_create($2::jsonb, $3, $4::int, $5::boolean)"));
static const char sql_number_context[] =
    "SELECT pattern, padding, group_counter, has_group, local_time "
    "FROM client_number_context($1)";
static const char sql_update[] =
    CLIENT_RESULT("client_update($1, $2::jsonb, $3::int)");
static const char sql_state_idem[] =
    CLIENT_RESULT(
    IDEMPOTENCY_WRITE(200, "client_state($2, $3, $4::int)"));
static const char sql_merge[] =
    CLIENT_RESULT(
    IDEMPOTENCY_WRITE(200, "client_merge($2, $3)"));
static const char sql_bulk[] =
    "SELECT j AS item FROM "
    IDEMPOTENCY_WRITE(200, "client_bulk($2, $3::text[], $4)") " AS t(j)";
static const char sql_purge[] = "SELECT client_purge($1)";

/* A client's events, newest first (list_after() adds the cursor). */
static const char sql_activity[] =
    "SELECT event_json(e) AS item, e.created_at::text AS sort_value, "
    "    e.public_id AS pid "
    "FROM events e WHERE e.company_id = app_company_id() "
    "AND e.client_id = client_internal_id(:client) ";

static const char sql_activity_total[] =
    "SELECT count(*) AS total FROM events e "
    "WHERE e.company_id = app_company_id() AND e.client_id = client_internal_id($1)";
/* clang-format on */

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

/* Answers with statement q's client: its JSON, ETag and, on 201, Location. */
static void
reply_client(struct request *req, struct db *db, int q, int status)
{
	char etag[32], location[128];

	snprintf(etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
	reply_header(req, "etag", etag);
	if (status == 201) {
		snprintf(location, sizeof(location), "/api/v1/clients/%s",
		    db_get(db, q, 0, "id"));
		reply_header(req, "location", location);
	}
	reply_sql_json(req, status, db_get(db, q, 0, "item"));
}

/* ---- list ---------------------------------------------------------------- */

void
api_clients_list(struct request *req)
{
	struct api_error   err;
	struct client_list l;
	struct page	   page;
	struct stmt	   items, total;
	struct db	   db;
	char		   pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int		   qi, qt, counted;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	stmt_init(&items);
	stmt_init(&total);
	pipeline_init(req, &db);
	if (clients_list_parse(&req->qs, &l, &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	if (list_page(req, &page) != 0 ||
	    list_cursor(req, l.sort->name, l.sort->type, l.desc, pid,
		sizeof(pid), value, sizeof(value)) != 0)
		goto out;
	page.fields = client_fields;
	page.nfields = CORE_ARRAY_LEN(client_fields);
	/*
	 * The first page of a search counts its matches as it finds them
	 * (a window over the page's query: the search runs once, not twice).
	 * No row is then no match at all. Later pages, and pages after a
	 * cursor, which the window would not see whole, count apart.
	 */
	counted = l.like[0] != '\0' && pid[0] == '\0' && page.number == 1;
	list_items(&items, &l, &page, value, pid, counted);
	qi = db_add_stmt(&db, &items);
	qt = qi;
	if (!counted) {
		list_total(&total, &l);
		qt = db_add_stmt(&db, &total);
	}
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, l.sort->name, l.desc);
out:
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
	api_error_cleanup(&err);
}

/* ---- one client ------------------------------------------------------------ */

/*
 * Answers with the client of statement q and the contacts of statement k
 * (client_full_json()'s shape: the list's fields, then "contacts" and
 * "counts").
 */
static void
reply_client_full(
    struct request *req, struct db *db, int q, int k, const char *etag)
{
	struct cbuf b;
	int	    cols[RENDER_FIELDS_MAX];
	int	    i, n = db_rows(db, k);

	cbuf_init(&b, 4096);
	cbuf_append(&b, "{", 1);
	db_columns(db, q, client_fields, CORE_ARRAY_LEN(client_fields), cols);
	db_render(
	    db, q, 0, client_fields, CORE_ARRAY_LEN(client_fields), cols, &b);
	cbuf_append(&b, ",\"contacts\":[", 13);
	db_columns(db, k, contact_fields, CORE_ARRAY_LEN(contact_fields), cols);
	for (i = 0; i < n; i++) {
		cbuf_append(&b, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
		db_render(db, k, i, contact_fields,
		    CORE_ARRAY_LEN(contact_fields), cols, &b);
		cbuf_append(&b, "}", 1);
	}
	cbuf_appendf(&b, "],\"counts\":{\"contacts\":%d,", n);
	db_columns(db, q, count_fields, CORE_ARRAY_LEN(count_fields), cols);
	db_render(
	    db, q, 0, count_fields, CORE_ARRAY_LEN(count_fields), cols, &b);
	cbuf_append(&b, "}}", 2);
	reply_header(req, "etag", etag);
	reply_body(req, 200, b.data, b.len);
	cbuf_cleanup(&b);
}

void
api_clients_get(struct request *req)
{
	struct api_error err;
	struct db	 db;
	const char	*id = request_param(req, 0), *inm;
	char		 etag[32];
	int		 q, k;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, id);
	k = DB_ADD(&db, sql_get_contacts, id);
	if (pipeline_run(req, &db) != 0)
		goto out;
	if (db_rows(&db, q) == 0) {
		api_error_init(&err, API_ERR_NOT_FOUND);
		api_error_setf(&err, API_ERR_NOT_FOUND, "client not found");
		api_error_detail(&err, "No client has the id \"%s\".", id);
		reply_error(req, &err);
		api_error_cleanup(&err);
		goto out;
	}
	snprintf(etag, sizeof(etag), "\"%s\"", db_get(&db, q, 0, "version"));
	inm = request_header(req, "if-none-match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		reply_header(req, "etag", etag);
		reply_empty(req, 304);
	} else {
		reply_client_full(req, &db, q, k, etag);
	}
out:
	db_cleanup(&db);
}

/* Whether the body leaves the number to be generated. */
static int
needs_number(json_t *body)
{
	json_t *n;

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
number_template_for(struct request *req, char *tmpl, size_t len, char *padding,
    size_t padlen, int *group_counter)
{
	struct api_error   err;
	struct number_vars vars;
	struct db	   db;
	json_t		  *v;
	const char	  *group, *pattern;
	int		   q, rc = -1;

	v = json_object_get(req->body, "group");
	group = json_is_string(v) ? json_string_value(v) : NULL;
	pipeline_init_lookup(req, &db);
	q = DB_ADD(&db, sql_number_context, group);
	if (pipeline_run(req, &db) != 0)
		goto out;

	memset(&vars, 0, sizeof(vars));
	if (strptime(db_get(&db, q, 0, "local_time"), "%Y-%m-%d %H:%M:%S",
		&vars.now) == NULL)
		core_fatal("client_number_context: bad local_time");
	v = json_object_get(req->body, "id_number");
	vars.client_id_number = json_is_string(v) ? json_string_value(v) : "";
	vars.user_id = req->user.user_id;
	pattern = db_get(&db, q, 0, "pattern");
	if (numbers_template(pattern, &vars, tmpl, len) != 0) {
		api_error_init(&err, API_ERR_VALIDATION);
		api_error_add_field(&err, "number", "invalid_value",
		    "the client number pattern does not give a usable number "
		    "(longer than %d characters, or control characters in "
		    "id_number)",
		    NUMBER_MAX);
		api_error_hint(&err, "Give the number by hand.");
		reply_error(req, &err);
		api_error_cleanup(&err);
		goto out;
	}
	snprintf(padding, padlen, "%s", db_get(&db, q, 0, "padding"));
	*group_counter = strcmp(db_get(&db, q, 0, "has_group"), "t") == 0 &&
	    (strcmp(db_get(&db, q, 0, "group_counter"), "t") == 0 ||
		numbers_pattern_uses_group_counter(pattern));
	rc = 0;
out:
	db_cleanup(&db);
	return (rc);
}

void
api_clients_create(struct request *req)
{
	struct api_error err;
	struct db	 db;
	char		*body, tmpl[NUMBER_MAX * 4 + 1], padding[16];
	int		 q, group_counter = 0, generate;

	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	body = NULL;
	if (clients_validate(req->body, 1, &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	generate = needs_number(req->body);
	if (generate &&
	    number_template_for(req, tmpl, sizeof(tmpl), padding,
		sizeof(padding), &group_counter) != 0)
		goto out;
	body = request_body_text(req);
	q = DB_ADD(&db, sql_create, pipeline_idem_key(req), body,
	    generate ? tmpl : NULL, generate ? padding : NULL,
	    group_counter ? "true" : "false");
	if (pipeline_run(req, &db) == 0)
		reply_client(req, &db, q, 201);
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

void
api_clients_update(struct request *req)
{
	struct api_error err;
	struct db	 db;
	char		*body, ver[24];
	int		 q;

	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	body = NULL;
	if (clients_validate(req->body, 0, &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	body = request_body_text(req);
	q = DB_ADD(&db, sql_update, request_param(req, 0), body,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_client(req, &db, q, 200);
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

static void
client_state_change(struct request *req, const char *action)
{
	struct db db;
	char	  ver[24];
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_state_idem, pipeline_idem_key(req),
	    request_param(req, 0), action,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_client(req, &db, q, 200);
	db_cleanup(&db);
}

void
api_clients_archive(struct request *req)
{
	client_state_change(req, "archive");
}

void
api_clients_restore(struct request *req)
{
	client_state_change(req, "restore");
}

void
api_clients_delete(struct request *req)
{
	client_state_change(req, "delete");
}

void
api_clients_merge(struct request *req)
{
	struct db db;
	int	  q;

	if (reply_invalid_body(
		req, merge_fields, CORE_ARRAY_LEN(merge_fields)) != 0)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_merge, pipeline_idem_key(req),
	    request_param(req, 0),
	    json_string_value(json_object_get(req->body, "source")));
	if (pipeline_run(req, &db) == 0)
		reply_client(req, &db, q, 200);
	db_cleanup(&db);
}

/* The ids array as a PostgreSQL text[] literal; ids are [0-9a-z] only. */
static int
bulk_ids(struct request *req, json_t *ids, struct cbuf *out)
{
	struct api_error err;
	json_t		*v;
	size_t		 i;
	char		 name[32];
	int		 bad = 0;

	api_error_init(&err, API_ERR_VALIDATION);
	cbuf_append(out, "{", 1);
	json_array_foreach(ids, i, v)
	{
		snprintf(name, sizeof(name), "ids[%zu]", i);
		if (!json_is_string(v) ||
		    !public_id_valid(json_string_value(v))) {
			api_error_add_field(&err, name, "invalid_format",
			    "field \"%s\" is not a client id", name);
			bad = 1;
			continue;
		}
		cbuf_appendf(
		    out, "%s%s", i > 0 ? "," : "", json_string_value(v));
	}
	cbuf_append(out, "}", 1);
	if (json_array_size(ids) == 0) {
		api_error_add_field(&err, "ids", "empty",
		    "field \"ids\" must name at least one client");
		bad = 1;
	}
	if (bad)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (bad ? -1 : 0);
}

/* "group" goes with assign_group (null: out of every group) and only. */
static int
bulk_group(struct request *req)
{
	struct api_error err;
	int		 assign, has, rc = 0;

	assign = strcmp(json_string_value(json_object_get(req->body, "action")),
		     "assign_group") == 0;
	has = json_object_get(req->body, "group") != NULL;
	if (assign == has)
		return (0);
	api_error_init(&err, API_ERR_VALIDATION);
	if (assign)
		api_error_add_field(&err, "group", "required",
		    "field \"group\" "
		    "is required for assign_group (null takes the clients out "
		    "of their group)");
	else
		api_error_add_field(&err, "group", "unknown_field",
		    "field "
		    "\"group\" goes only with the action assign_group");
	reply_error(req, &err);
	api_error_cleanup(&err);
	rc = -1;
	return (rc);
}

void
api_clients_bulk(struct request *req)
{
	struct cbuf ids;
	struct db   db;
	json_t	   *group;
	int	    q;

	if (reply_invalid_body(req, bulk_fields, CORE_ARRAY_LEN(bulk_fields)) !=
	    0)
		return;
	cbuf_init(&ids, 256);
	pipeline_init(req, &db);
	if (bulk_ids(req, json_object_get(req->body, "ids"), &ids) != 0 ||
	    bulk_group(req) != 0)
		goto out;
	group = json_object_get(req->body, "group");
	q = DB_ADD(&db, sql_bulk, pipeline_idem_key(req),
	    json_string_value(json_object_get(req->body, "action")), ids.data,
	    json_is_string(group) ? json_string_value(group) : NULL);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
out:
	db_cleanup(&db);
	cbuf_cleanup(&ids);
}

/* ---- purge ------------------------------------------------------------------ */

/* The password was right (http/reauth.c): purge. */
static void
purge_confirmed(struct request *req, const void *data, const char *unused)
{
	(void)unused;
	struct db db;

	pipeline_init(req, &db);
	DB_ADD(&db, sql_purge, (const char *)data);
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}

/* Hard delete: owners only, with their password again, no undo. */
void
api_clients_purge(struct request *req)
{
	const char *id = request_param(req, 0);

	if (reply_invalid_body(
		req, purge_fields, CORE_ARRAY_LEN(purge_fields)) != 0)
		return;
	(void)reauth_start(req,
	    json_string_value(json_object_get(req->body, "password")),
	    "Purging a client asks for your own password again.", id,
	    strlen(id) + 1, purge_confirmed);
}

/* ---- activity ----------------------------------------------------------------- */

void
api_clients_activity(struct request *req)
{
	struct page page;
	struct stmt st;
	struct db   db;
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    items, total;

	if (list_page(req, &page) != 0 ||
	    list_cursor(req, "activity", "timestamptz", 1, pid, sizeof(pid),
		value, sizeof(value)) != 0)
		return;
	stmt_init(&st);
	stmt_append(&st, sql_activity);
	stmt_bind(&st, "client", request_param(req, 0));
	list_after(
	    &st, "e.created_at", "timestamptz", "e.public_id", 1, value, pid);
	stmt_append(&st, "ORDER BY e.created_at DESC, e.public_id DESC ");
	list_limit(&st, &page, pid);
	pipeline_init(req, &db);
	items = db_add_stmt(&db, &st);
	total = DB_ADD(&db, sql_activity_total, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, items, total, &page, "activity", 1);
	db_cleanup(&db);
	stmt_cleanup(&st);
}

/* ---- export ------------------------------------------------------------------ */

/*
 * GET /clients/export.csv: every client the list would show with the same
 * filters and sort, streamed page by page (http/stream.c), as CSV that an
 * import with its suggested mapping turns back into the same clients:
 * every field, the group by name, the balance (imported as the opening
 * balance), the client's own settings overrides (settings.<key>), and the
 * contacts as numbered columns (contact1_..., the primary first). Text a
 * spreadsheet would run as a formula starts with an apostrophe, which an
 * import takes off again. bom=true starts the file with a byte order mark,
 * for spreadsheets that otherwise guess another encoding.
 */
#define EXPORT_PAGE 1000

/* The client's own columns, in the order of the file. */
static const char *const export_fields[] = { "id", "number", "name",
	"display_name", "status", "website", "phone", "vat_number", "id_number",
	"address1", "address2", "city", "state", "postal_code", "country",
	"shipping_address1", "shipping_address2", "shipping_city",
	"shipping_state", "shipping_postal_code", "shipping_country",
	"public_notes", "private_notes", "custom_value1", "custom_value2",
	"custom_value3", "custom_value4", "group", "balance", "paid_to_date" };

static const char *const export_contact_fields[] = { "first_name", "last_name",
	"email", "phone", "send_email", "custom_value1", "custom_value2",
	"custom_value3", "custom_value4" };

/* clang-format off */
static const char sql_export_item[] =
    "SELECT c.public_id AS id, c.number, c.name, c.display_name, c.status, "
    "    c.website, c.phone, c.vat_number, c.id_number, c.address1, "
    "    c.address2, c.city, c.state, c.postal_code, "
    "    COALESCE(c.country, '') AS country, c.shipping_address1, "
    "    c.shipping_address2, c.shipping_city, c.shipping_state, "
    "    c.shipping_postal_code, "
    "    COALESCE(c.shipping_country, '') AS shipping_country, "
    "    c.public_notes, c.private_notes, c.custom_value1, c.custom_value2, "
    "    c.custom_value3, c.custom_value4, COALESCE(g.name, '') AS \"group\", "
    "    money_text(c.balance, COALESCE(cur.precision, 2)) AS balance, "
    "    money_text(c.paid_to_date, COALESCE(cur.precision, 2)) "
    "        AS paid_to_date, "
    "    c.settings::text AS settings, rfc3339(c.created_at) AS created_at, "
    "    rfc3339(c.updated_at) AS updated_at, "
    "    COALESCE((SELECT json_agg(json_build_object('first_name', "
    "        k.first_name, 'last_name', k.last_name, 'email', k.email, "
    "        'phone', k.phone, 'send_email', k.send_email, "
    "        'custom_value1', k.custom_value1, 'custom_value2', "
    "        k.custom_value2, 'custom_value3', k.custom_value3, "
    "        'custom_value4', k.custom_value4) "
    "        ORDER BY k.is_primary DESC, k.position, k.id) "
    "        FROM client_contacts k WHERE k.client_id = c.id), '[]')::text "
    "        AS contacts, "
    "    p.sort_value "
    "FROM (SELECT c.id, ";
/* clang-format on */

struct export
{
	struct request	   req; /* credentials for each page's query */
	struct client_list l;
	int		   ncontacts;
	int		   bom;
	int		   started;
	int		   done;
	char		   after[CURSOR_VALUE_MAX];
	char		   after_id[PUBLIC_ID_LEN + 1];
	struct page	   page;
};

static void
export_free(void *arg)
{
	struct export *x = arg;

	request_cleanup(&x->req);
	free(x);
}

/* The settings a client may override, as the file's columns name them. */
static int
export_setting(size_t i)
{
	return ((settings_defs[i].levels & LEVEL_CLIENT) &&
	    settings_defs[i].type != SETTING_OBJECT &&
	    settings_defs[i].type != SETTING_PATTERN);
}

static void
export_header(struct export *x, struct cbuf *out)
{
	char   name[64];
	size_t i, k;
	int    n;

	if (x->bom)
		cbuf_append(out, "\xef\xbb\xbf", 3);
	for (i = 0; i < CORE_ARRAY_LEN(export_fields); i++)
		csv_append_cell(out, export_fields[i], i == 0 ? CSV_FIRST : 0);
	for (i = 0; i < settings_defs_count; i++) {
		if (!export_setting(i))
			continue;
		snprintf(
		    name, sizeof(name), "settings.%s", settings_defs[i].key);
		csv_append_cell(out, name, 0);
	}
	csv_append_cell(out, "created_at", 0);
	csv_append_cell(out, "updated_at", 0);
	for (n = 1; n <= x->ncontacts; n++) {
		for (k = 0; k < CORE_ARRAY_LEN(export_contact_fields); k++) {
			snprintf(name, sizeof(name), "contact%d_%s", n,
			    export_contact_fields[k]);
			csv_append_cell(out, name, 0);
		}
	}
	csv_end_row(out);
}

/* A JSON value as a cell: strings as they are, lists comma-separated. */
static void
export_value(struct cbuf *out, json_t *v)
{
	struct cbuf b;
	json_t	   *e;
	size_t	    i;

	cbuf_init(&b, 64);
	if (json_is_string(v))
		cbuf_appendstr(&b, json_string_value(v));
	else if (json_is_integer(v))
		cbuf_appendf(&b, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		cbuf_appendstr(&b, json_is_true(v) ? "true" : "false");
	else if (json_is_array(v)) {
		json_array_foreach(v, i, e) cbuf_appendf(&b, "%s%lld",
		    i > 0 ? "," : "", (long long)json_integer_value(e));
	}
	csv_append_cell(out, b.data, CSV_TEXT);
	cbuf_cleanup(&b);
}

static void
export_row(struct export *x, struct db *db, int q, int row, struct cbuf *out)
{
	json_t *settings, *contacts, *c;
	size_t	i, k;
	int	n;

	for (i = 0; i < CORE_ARRAY_LEN(export_fields); i++)
		csv_append_cell(out, db_get(db, q, row, export_fields[i]),
		    (i == 0 ? CSV_FIRST : 0) |
			(strcmp(export_fields[i], "balance") == 0 ||
				    strcmp(export_fields[i], "paid_to_date") ==
					0
				? 0
				: CSV_TEXT));
	settings = json_loads(db_get(db, q, row, "settings"), 0, NULL);
	for (i = 0; i < settings_defs_count; i++) {
		if (export_setting(i))
			export_value(out,
			    json_object_get(settings, settings_defs[i].key));
	}
	json_decref(settings);
	csv_append_cell(out, db_get(db, q, row, "created_at"), 0);
	csv_append_cell(out, db_get(db, q, row, "updated_at"), 0);
	contacts = json_loads(db_get(db, q, row, "contacts"), 0, NULL);
	for (n = 0; n < x->ncontacts; n++) {
		c = json_array_get(contacts, (size_t)n);
		for (k = 0; k < CORE_ARRAY_LEN(export_contact_fields); k++)
			export_value(out,
			    c != NULL
				? json_object_get(c, export_contact_fields[k])
				: NULL);
	}
	json_decref(contacts);
	csv_end_row(out);
}

/* One page: the clients after the last one sent, in the list's order. */
static void
export_page(struct stmt *st, struct export *x)
{
	const char *key = x->l.sort->expr, *dir = x->l.desc ? "DESC" : "ASC";

	stmt_append(st, sql_export_item);
	stmt_appendf(st, "(%s)::text AS sort_value, %s AS sort_key ", key, key);
	list_from(st, &x->l);
	list_after(st, key, x->l.sort->type, "c.public_id", x->l.desc, x->after,
	    x->after_id);
	stmt_appendf(st, "ORDER BY %s %s, c.public_id %s ", key, dir, dir);
	stmt_append(st, "LIMIT :limit::int) p ");
	stmt_bind(st, "limit", x->page.limit);
	stmt_append(st, sql_list_joins);
	stmt_appendf(st, "ORDER BY p.sort_key %s, c.public_id %s", dir, dir);
}

static int
export_next(void *arg, struct cbuf *out, unsigned int *wait)
{
	struct export *x = arg;
	struct stmt    st;
	struct db      db;
	int	       q, n, i, rc;

	(void)wait;
	if (!x->started) {
		export_header(x, out);
		x->started = 1;
	}
	if (x->done)
		return (STREAM_DONE);
	stmt_init(&st);
	export_page(&st, x);
	pipeline_init_lookup(&x->req, &db);
	q = db_add_stmt(&db, &st);
	if (pipeline_exec(&x->req, &db) != DB_OK) {
		db_cleanup(&db);
		stmt_cleanup(&st);
		return (STREAM_ABORT);
	}
	n = db_rows(&db, q);
	for (i = 0; i < n; i++)
		export_row(x, &db, q, i, out);
	if (n > 0) {
		snprintf(x->after, sizeof(x->after), "%s",
		    db_get(&db, q, n - 1, "sort_value"));
		snprintf(x->after_id, sizeof(x->after_id), "%s",
		    db_get(&db, q, n - 1, "id"));
	}
	rc = n < EXPORT_PAGE ? STREAM_DONE : STREAM_MORE;
	db_cleanup(&db);
	stmt_cleanup(&st);
	return (rc);
}

void
api_clients_export(struct request *req)
{
	struct api_error err;
	struct export	*x;
	struct stmt	 st;
	struct db	 db;
	const char	*bom;
	char		 disposition[96];
	time_t		 now;
	struct tm	 tm;
	int		 q;

	x = mem_calloc(1, sizeof(*x));
	api_error_init(&err, API_ERR_BAD_REQUEST);
	stmt_init(&st);
	db_init(&db);
	if (clients_list_parse(&req->qs, &x->l, &err) != 0) {
		reply_error(req, &err);
		goto fail;
	}
	bom = qs_get(&req->qs, "bom");
	if (bom != NULL && strcmp(bom, "true") != 0 &&
	    strcmp(bom, "false") != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"bom\" must be true or false, not \"%s\"",
		    bom);
		goto fail;
	}
	x->bom = bom != NULL && strcmp(bom, "true") == 0;
	snprintf(x->page.limit, sizeof(x->page.limit), "%d", EXPORT_PAGE);
	/* How many contact columns: the most any exported client has. */
	stmt_append(&st,
	    "SELECT COALESCE(max((SELECT count(*) FROM client_contacts k "
	    "WHERE k.client_id = c.id)), 0) AS n ");
	list_from(&st, &x->l);
	pipeline_init(req, &db);
	q = db_add_stmt(&db, &st);
	if (pipeline_run(req, &db) != 0)
		goto fail;
	x->ncontacts = atoi(db_get(&db, q, 0, "n"));
	x->req.route = req->route;
	x->req.method = ROUTE_GET;
	x->req.cred = req->cred;
	memcpy(x->req.cred_hash, req->cred_hash, sizeof(x->req.cred_hash));
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(disposition, sizeof(disposition),
	    "attachment; filename=\"clients-%Y-%m-%d.csv\"", &tm);
	reply_header(req, "content-disposition", disposition);
	db_cleanup(&db);
	stmt_cleanup(&st);
	api_error_cleanup(&err);
	stream_start(
	    req, 200, "text/csv; charset=utf-8", export_next, export_free, x);
	return;
fail:
	db_cleanup(&db);
	stmt_cleanup(&st);
	api_error_cleanup(&err);
	free(x);
}
