/*
 * The client ledger: posting entries (/clients/{id}/ledger, and /ledger
 * with the client in the body, for integrations), reading a client's
 * entries with the range's opening and closing balance, the summary that
 * draws the balance chart, the CSV statement, the list across clients and
 * the integrity check.
 *
 * Handlers check the request with core/ledger.c; ledger_post() in
 * sql/functions/ledger.sql locks the client, appends the entry, moves the
 * client's balance and paid-to-date and writes the event, in the request's
 * one transaction. Posting requires an Idempotency-Key (ROUTE_KEY_REQUIRED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/csv.h"
#include "core/cursor.h"
#include "core/idempotency.h"
#include "core/ledger.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

#define STATEMENT_ROWS_MAX 50000

/* clang-format off */
static const char sql_post[] =
    "SELECT j AS item FROM "
    IDEMPOTENCY_WRITE(201, "ledger_post($2, $3::jsonb, $1)") " AS t(j)";

/*
 * Reading statements name their values: :client (the path's client),
 * :from and :to (ledger_list_parse(): an RFC 3339 time, or a local time
 * made from a date, which ledger_bound() places in time zone tz), :kinds,
 * :of_client (the /ledger filter), and the page's :after, :limit, :offset.
 * A bound is a subquery, so PostgreSQL computes it once and can use it in
 * an index scan. ledger_where() adds the filters a request has.
 */
#define BOUND(param, tz)	"(SELECT ledger_bound(" param "::text, " tz "))"
#define CLIENT_TZ		"client_timezone(:client)"
#define COMPANY_TZ		"company_timezone()"

/* A client's entries, newest first; a cursor is the last entry's seq. */
static const char sql_client_list[] =
    "SELECT ledger_entry_json(e, c) AS item, e.seq::text AS sort_value, "
    "    e.public_id AS pid "
    "FROM client_find(:client, false) c "
    "JOIN ledger_entries e ON e.client_id = c.id "
    "WHERE e.company_id = app_company_id() ";

static const char sql_client_total[] =
    "SELECT count(*) AS total "
    "FROM client_find(:client, false) c "
    "JOIN ledger_entries e ON e.client_id = c.id "
    "WHERE e.company_id = app_company_id() ";

static const char sql_range[] =
    "SELECT ledger_range(:client, " BOUND(":from", CLIENT_TZ) ", "
    "    " BOUND(":to", CLIENT_TZ) ") AS range";

static const char sql_summary[] =
    "SELECT ledger_summary(:client, " BOUND(":from", CLIENT_TZ) ", "
    "    " BOUND(":to", CLIENT_TZ) ") AS item";

/*
 * The statement: the range's entries in order, then its balances; days
 * in the client's time zone.
 */
static const char sql_statement[] =
    "SELECT to_char(e.occurred_at AT TIME ZONE z.tz, 'YYYY-MM-DD') AS date, "
    "    e.kind, e.reference, e.notes, e.public_id, "
    "    money_text(e.amount, cur.precision) AS amount, "
    "    money_text(e.balance_after, cur.precision) AS balance, "
    "    money_text(e.paid_to_date_after, cur.precision) AS paid "
    "FROM ledger_entries e JOIN currencies cur ON cur.code = e.currency, "
    "    (SELECT " CLIENT_TZ " AS tz) z "
    "WHERE e.company_id = app_company_id() "
    "AND e.client_id = (SELECT client_internal_id(:client)) ";

static const char sql_statement_head[] =
    "SELECT c.number, c.public_id, r ->> 'opening_balance' AS opening, "
    "    r ->> 'closing_balance' AS closing, "
    "    r ->> 'opening_paid_to_date' AS opening_paid, "
    "    r ->> 'closing_paid_to_date' AS closing_paid, "
    "    to_char(COALESCE(b.first, (SELECT min(occurred_at) "
    "        FROM ledger_entries WHERE client_id = c.id), now()) "
    "        AT TIME ZONE b.tz, 'YYYY-MM-DD') AS first_day, "
    "    to_char(LEAST(COALESCE(b.last, now()), now()) "
    "        AT TIME ZONE b.tz, 'YYYY-MM-DD') AS last_day "
    "FROM client_find(:client, false) c, "
    "    (SELECT z.tz, ledger_bound(:from::text, z.tz) AS first, "
    "        ledger_bound(:to::text, z.tz) AS last "
    "     FROM (SELECT " CLIENT_TZ " AS tz) z) b, "
    "    ledger_range(:client, b.first, b.last) r";

/*
 * Entries across clients, newest first, each with its client; a date as
 * from/to is a day in the company's time zone. A cursor is the last
 * entry's (occurred_at, id).
 */
#define ALL_ENTRIES \
	"FROM ledger_entries e JOIN clients c ON c.id = e.client_id " \
	"WHERE e.company_id = app_company_id() " \
	"AND (app_scope_all() OR c.user_id = app_user_id() " \
	"    OR c.assigned_user_id = app_user_id()) "

static const char sql_all_list[] =
    "SELECT ledger_entry_json(e, c) AS item, "
    "    e.occurred_at::text AS sort_value, e.public_id AS pid " ALL_ENTRIES;

static const char sql_all_total[] = "SELECT count(*) AS total " ALL_ENTRIES;

static const char sql_check[] = "SELECT ledger_check_json() AS item";
/* clang-format on */

static const char *
nz(const char *s)
{
	return (s[0] == '\0' ? NULL : s);
}

/*
 * The filters of a ledger list the request has; tz is the SQL of the time
 * zone its days are in (CLIENT_TZ or COMPANY_TZ, constants).
 */
static void
ledger_where(struct stmt *st, const struct ledger_list *l, const char *tz)
{
	if (l->from[0] != '\0') {
		stmt_appendf(
		    st, "AND e.occurred_at >= " BOUND(":from", "%s") " ", tz);
		stmt_bind(st, "from", l->from);
	}
	if (l->to[0] != '\0') {
		stmt_appendf(
		    st, "AND e.occurred_at <= " BOUND(":to", "%s") " ", tz);
		stmt_bind(st, "to", l->to);
	}
	if (l->kinds[0] != '\0') {
		stmt_append(st, "AND e.kind = ANY (:kinds::text[]) ");
		stmt_bind(st, "kinds", l->kinds);
	}
	if (l->client[0] != '\0') {
		stmt_append(st, "AND c.public_id = :of_client ");
		stmt_bind(st, "of_client", l->client);
	}
}

/* sql (its :client and optional :from, :to) for the request's range. */
static void
range_stmt(struct stmt *st, const char *sql, const char *client,
    const struct ledger_list *l)
{
	stmt_append(st, sql);
	stmt_bind(st, "client", client);
	stmt_bind(st, "from", nz(l->from));
	stmt_bind(st, "to", nz(l->to));
}

/* ---- posting ------------------------------------------------------------- */

static void
post_entry(struct request *req, const char *client, int with_client)
{
	struct api_error err;
	struct db	 db;
	char		*body = NULL;
	int		 q;

	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	if (ledger_entry_validate(req->body, with_client, &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	if (with_client)
		json_object_del(req->body, "client");
	body = request_body_text(req);
	q = DB_ADD(&db, sql_post, pipeline_idem_key(req), client, body);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 201, db_get(&db, q, 0, "item"));
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

void
api_ledger_client_post(struct request *req)
{
	post_entry(req, request_param(req, 0), 0);
}

/*
 * POST /ledger names the client in the body; post_entry() passes the body
 * on without it, which frees the string, hence the copy.
 */
void
api_ledger_post(struct request *req)
{
	char	client[PUBLIC_ID_LEN + 1];
	json_t *v;

	client[0] = '\0';
	if ((v = json_object_get(req->body, "client")) != NULL &&
	    json_is_string(v))
		snprintf(client, sizeof(client), "%s", json_string_value(v));
	post_entry(req, client, 1);
}

/* ---- reading ------------------------------------------------------------- */

/* Reads the list filters; answers 400 itself and returns -1 if invalid. */
static int
read_filters(struct request *req, struct ledger_list *l)
{
	struct api_error err;
	int		 rc;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if ((rc = ledger_list_parse(&req->qs, l, &err)) != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc == 0 ? 0 : -1);
}

void
api_ledger_client_list(struct request *req)
{
	api_ledger_client_entries(req, request_param(req, 0));
}

/*
 * A client's entries (GET /clients/{id}/ledger, and the portal's for the
 * session's client: the route's authentication step comes first).
 */
void
api_ledger_client_entries(struct request *req, const char *client)
{
	struct ledger_list l;
	struct page	   page;
	struct stmt	   items, total, range;
	struct db	   db;
	struct cbuf	   meta;
	char		   pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int		   qi, qt, qr;

	if (read_filters(req, &l) != 0 || list_page(req, &page) != 0 ||
	    list_cursor(req, "ledger", "int", 1, pid, sizeof(pid), value,
		sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_init(&range);
	cbuf_init(&meta, 512);
	stmt_append(&items, sql_client_list);
	stmt_bind(&items, "client", client);
	ledger_where(&items, &l, CLIENT_TZ);
	if (value[0] != '\0') {
		stmt_append(&items, "AND e.seq < :after::int ");
		stmt_bind(&items, "after", value);
	}
	stmt_append(&items, "ORDER BY e.seq DESC ");
	list_limit(&items, &page, pid);
	stmt_append(&total, sql_client_total);
	stmt_bind(&total, "client", client);
	ledger_where(&total, &l, CLIENT_TZ);
	range_stmt(&range, sql_range, client, &l);

	pipeline_init(req, &db);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	qr = db_add_stmt(&db, &range);
	if (pipeline_run(req, &db) == 0) {
		cbuf_appendstr(&meta, "\"ledger\":");
		cbuf_append_json_min(&meta, db_get(&db, qr, 0, "range"));
		page.meta_extra = meta.data;
		list_reply_page(req, &db, qi, qt, &page, "ledger", 1);
	}
	cbuf_cleanup(&meta);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
	stmt_cleanup(&range);
}

void
api_ledger_summary(struct request *req)
{
	struct ledger_list l;
	struct stmt	   st;
	struct db	   db;
	int		   q;

	if (read_filters(req, &l) != 0)
		return;
	stmt_init(&st);
	range_stmt(&st, sql_summary, request_param(req, 0), &l);
	pipeline_init(req, &db);
	q = db_add_stmt(&db, &st);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
	stmt_cleanup(&st);
}

void
api_ledger_list(struct request *req)
{
	struct ledger_list l;
	struct page	   page;
	struct stmt	   items, total;
	struct db	   db;
	char		   pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int		   qi, qt;

	if (read_filters(req, &l) != 0 || list_page(req, &page) != 0 ||
	    list_cursor(req, "ledger-all", "timestamptz", 1, pid, sizeof(pid),
		value, sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_all_list);
	ledger_where(&items, &l, COMPANY_TZ);
	list_after(&items, "e.occurred_at", "timestamptz", "e.public_id", 1,
	    value, pid);
	stmt_append(&items, "ORDER BY e.occurred_at DESC, e.public_id DESC ");
	list_limit(&items, &page, pid);
	stmt_append(&total, sql_all_total);
	ledger_where(&total, &l, COMPANY_TZ);
	pipeline_init(req, &db);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "ledger-all", 1);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

void
api_ledger_check(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_check);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

/*
 * The kinds of entry and their sign rules, from core/ledger.c: the web app
 * reads them here rather than keeping a copy. Authenticated like any read.
 */
void
api_ledger_kinds(struct request *req)
{
	struct db db;

	pipeline_init(req, &db);
	if (pipeline_run(req, &db) == 0)
		reply_json(
		    req, 200, json_pack("{s:o}", "data", ledger_kinds_json()));
	db_cleanup(&db);
}

/* ---- the CSV statement --------------------------------------------------- */

/* One row of the statement. */
static void
statement_row(struct cbuf *b, const char *const cells[8])
{
	int i;

	for (i = 0; i < 8; i++)
		csv_append_cell(b, cells[i],
		    (i == 0 ? CSV_FIRST : 0) |
			(i == 2 || i == 3 ? CSV_TEXT : 0));
	csv_end_row(b);
}

static void
statement_body(struct db *db, int head, int rows, struct cbuf *b)
{
	static const char *const header[8] = { "date", "kind", "reference",
		"notes", "amount", "balance", "paid_to_date", "entry_id" };
	const char		*cells[8];
	int			 i, n = db_rows(db, rows);

	statement_row(b, header);
	cells[0] = db_get(db, head, 0, "first_day");
	cells[1] = "opening";
	cells[2] = "";
	cells[3] = "Opening balance";
	cells[4] = "";
	cells[5] = db_get(db, head, 0, "opening");
	cells[6] = db_get(db, head, 0, "opening_paid");
	cells[7] = "";
	statement_row(b, cells);
	for (i = 0; i < n; i++) {
		cells[0] = db_get(db, rows, i, "date");
		cells[1] = db_get(db, rows, i, "kind");
		cells[2] = db_get(db, rows, i, "reference");
		cells[3] = db_get(db, rows, i, "notes");
		cells[4] = db_get(db, rows, i, "amount");
		cells[5] = db_get(db, rows, i, "balance");
		cells[6] = db_get(db, rows, i, "paid");
		cells[7] = db_get(db, rows, i, "public_id");
		statement_row(b, cells);
	}
	cells[0] = db_get(db, head, 0, "last_day");
	cells[1] = "closing";
	cells[3] = "Closing balance";
	cells[5] = db_get(db, head, 0, "closing");
	cells[6] = db_get(db, head, 0, "closing_paid");
	cells[7] = "";
	cells[2] = cells[4] = "";
	statement_row(b, cells);
}

/* statement-<number>-<first>-<last>.csv, the number reduced to [A-Za-z0-9_.-]. */
static void
statement_filename(struct db *db, int head, char *out, size_t outlen)
{
	char  number[64];
	char *p;

	snprintf(number, sizeof(number), "%s", db_get(db, head, 0, "number"));
	if (number[0] == '\0')
		snprintf(number, sizeof(number), "%s",
		    db_get(db, head, 0, "public_id"));
	for (p = number; *p != '\0'; p++)
		if (strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_.-",
			*p) == NULL)
			*p = '_';
	snprintf(out, outlen, "attachment; filename=\"statement-%s-%s-%s.csv\"",
	    number, db_get(db, head, 0, "first_day"),
	    db_get(db, head, 0, "last_day"));
}

/* A range with more entries than a statement holds: 422 on "from". */
static void
statement_too_long(struct request *req)
{
	struct api_error err;

	api_error_init(&err, API_ERR_VALIDATION);
	api_error_add_field(&err, "from", "too_long",
	    "the statement has more than %d entries", STATEMENT_ROWS_MAX);
	api_error_hint(&err, "Ask for a shorter range with from and to.");
	reply_error(req, &err);
	api_error_cleanup(&err);
}

void
api_ledger_statement(struct request *req)
{
	api_ledger_client_statement(req, request_param(req, 0));
}

/* A client's CSV statement (staff's, and the portal's for its client). */
void
api_ledger_client_statement(struct request *req, const char *client)
{
	struct ledger_list l;
	struct stmt	   head, rows;
	struct db	   db;
	struct cbuf	   b;
	char		   limit[16], disposition[160];
	int		   qh, qr;

	if (read_filters(req, &l) != 0)
		return;
	stmt_init(&head);
	stmt_init(&rows);
	cbuf_init(&b, 8192);
	snprintf(limit, sizeof(limit), "%d", STATEMENT_ROWS_MAX + 1);
	range_stmt(&head, sql_statement_head, client, &l);
	stmt_append(&rows, sql_statement);
	stmt_bind(&rows, "client", client);
	ledger_where(&rows, &l, CLIENT_TZ);
	stmt_append(&rows, "ORDER BY e.seq LIMIT :limit::int");
	stmt_bind(&rows, "limit", limit);

	pipeline_init(req, &db);
	qh = db_add_stmt(&db, &head);
	qr = db_add_stmt(&db, &rows);
	if (pipeline_run(req, &db) != 0)
		goto out;
	if (db_rows(&db, qr) > STATEMENT_ROWS_MAX) {
		statement_too_long(req);
		goto out;
	}
	statement_body(&db, qh, qr, &b);
	statement_filename(&db, qh, disposition, sizeof(disposition));
	reply_header(req, "content-disposition", disposition);
	reply_typed(req, 200, "text/csv; charset=utf-8", b.data, b.len);
out:
	cbuf_cleanup(&b);
	db_cleanup(&db);
	stmt_cleanup(&head);
	stmt_cleanup(&rows);
}
