/*
 * Contacts, one at a time: /clients/{id}/contacts[/{contact_id}], and the
 * list across clients at /contacts (filter by email or q). A client's
 * contacts can also be written together with the client (api_clients.c).
 *
 * The rules (one primary while any contact exists, someone with an email
 * receives email, an email once per client) are kept by the SQL functions
 * contact_create/update/delete, which also bump the client's version and
 * write one event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/core.h"
#include "core/idempotency.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define CONTACT_RESULT(expr) \
	"SELECT j AS item, j ->> 'version' AS version, j ->> 'id' AS id " \
	"FROM " expr " AS t(j)"

static const char sql_get[] = CONTACT_RESULT("contact_get($1, $2)");
static const char sql_create[] =
    CONTACT_RESULT(
    IDEMPOTENCY_WRITE(201, "contact_create($2, $3::jsonb)"));
static const char sql_update[] =
    CONTACT_RESULT("contact_update($1, $2, $3::jsonb, $4::int)");
static const char sql_delete[] = "SELECT contact_delete($1, $2, $3::int)";

/* A client's contacts in their order (position), pages by offset. */
static const char sql_list[] =
    "SELECT contact_json(k) AS item FROM client_contacts k "
    "WHERE k.company_id = app_company_id() "
    "AND k.client_id = client_internal_id($1) "
    "ORDER BY k.position, k.id LIMIT $2::int OFFSET $3::int";

static const char sql_list_total[] =
    "SELECT count(*) AS total FROM client_contacts k "
    "WHERE k.company_id = app_company_id() "
    "AND k.client_id = client_internal_id($1)";

/*
 * Contacts across clients (within the caller's scope), newest first, each
 * with its client. email matches exactly (case-insensitively); q matches
 * names, email and phone. all_where() adds the filters a request has.
 */
static const char sql_all[] =
    "SELECT (contact_json(k)::jsonb || jsonb_build_object('client', "
    "    jsonb_build_object('id', c.public_id, 'number', c.number, "
    "    'display_name', c.display_name, "
    "    'status', client_status(c.archived_at, c.deleted_at))))::json AS item, "
    "    k.created_at::text AS sort_value, k.public_id AS pid "
    "FROM client_contacts k JOIN clients c ON c.id = k.client_id WHERE ";

static const char sql_all_total[] =
    "SELECT count(*) AS total "
    "FROM client_contacts k JOIN clients c ON c.id = k.client_id WHERE ";

static const char sql_all_scope[] =
    "k.company_id = app_company_id() "
    "AND (app_scope_all() OR c.user_id = app_user_id() "
    "    OR c.assigned_user_id = app_user_id()) ";
/* clang-format on */

static void
all_where(struct stmt *st, const char *email, const char *like)
{
	stmt_append(st, sql_all_scope);
	if (email != NULL) {
		stmt_append(st, "AND lower(k.email) = lower(:email) ");
		stmt_bind(st, "email", email);
	}
	if (like[0] != '\0') {
		stmt_append(st,
		    "AND lower(concat_ws(' ', k.first_name, "
		    "k.last_name, k.email, k.phone)) LIKE lower(:q) ");
		stmt_bind(st, "q", like);
	}
}

static void
reply_contact(struct request *req, struct db *db, int q, int status)
{
	char etag[32], location[192];

	snprintf(etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
	reply_header(req, "etag", etag);
	if (status == 201) {
		snprintf(location, sizeof(location),
		    "/api/v1/clients/%s/contacts/%s", request_param(req, 0),
		    db_get(db, q, 0, "id"));
		reply_header(req, "location", location);
	}
	reply_sql_json(req, status, db_get(db, q, 0, "item"));
}

/* Validates a contact body; answers 422 itself on failure. */
static int
check_contact(struct request *req, int updating, char **text)
{
	struct api_error err;
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	rc = contacts_validate(req->body, &err);
	if (rc == 0 && updating && json_object_size(req->body) == 0) {
		api_error_add_field(&err, "body", "empty",
		    "request body must change at least one field");
		rc = -1;
	}
	if (rc != 0)
		reply_error(req, &err);
	else if ((*text = json_dumps(req->body, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of a validated body failed");
	api_error_cleanup(&err);
	return (rc);
}

void
api_contacts_list(struct request *req)
{
	struct page page;
	struct db   db;
	int	    items, total;

	if (qs_get(&req->qs, "cursor") != NULL) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "a client's contacts "
		    "are listed by page, not by cursor");
		return;
	}
	if (list_page(req, &page) != 0)
		return;
	pipeline_init(req, &db);
	items = DB_ADD(
	    &db, sql_list, request_param(req, 0), page.limit, page.offset);
	total = DB_ADD(&db, sql_list_total, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		list_reply(
		    req, &db, items, total, &page, db_rows(&db, items), NULL);
	db_cleanup(&db);
}

void
api_contacts_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0), request_param(req, 1));
	if (pipeline_run(req, &db) == 0)
		reply_contact(req, &db, q, 200);
	db_cleanup(&db);
}

void
api_contacts_create(struct request *req)
{
	struct db db;
	char	 *body = NULL;
	int	  q;

	if (check_contact(req, 0, &body) != 0)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_create, pipeline_idem_key(req),
	    request_param(req, 0), body);
	if (pipeline_run(req, &db) == 0)
		reply_contact(req, &db, q, 201);
	db_cleanup(&db);
	free(body);
}

void
api_contacts_update(struct request *req)
{
	struct db db;
	char	 *body = NULL, ver[24];
	int	  q;

	if (check_contact(req, 1, &body) != 0)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_update, request_param(req, 0),
	    request_param(req, 1), body,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_contact(req, &db, q, 200);
	db_cleanup(&db);
	free(body);
}

void
api_contacts_delete(struct request *req)
{
	struct db db;
	char	  ver[24];

	pipeline_init(req, &db);
	DB_ADD(&db, sql_delete, request_param(req, 0), request_param(req, 1),
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}

/* The LIKE pattern of q ("" for none); answers 400 itself when too long. */
static int
contacts_like(struct request *req, char *out, size_t len)
{
	const char *q;

	out[0] = '\0';
	if ((q = qs_get(&req->qs, "q")) == NULL ||
	    clients_like_pattern(q, out, len) == 0)
		return (0);
	reply_errorf(req, API_ERR_BAD_REQUEST,
	    "query parameter \"q\" is longer than %d characters", CLIENT_Q_MAX);
	return (-1);
}

void
api_contacts_list_all(struct request *req)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	const char *email;
	char	    like[CLIENT_LIKE_LEN];
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    qi, qt;

	email = qs_get(&req->qs, "email");
	if (list_page(req, &page) != 0 ||
	    contacts_like(req, like, sizeof(like)) != 0 ||
	    list_cursor(req, "contacts", "timestamptz", 1, pid, sizeof(pid),
		value, sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_all);
	all_where(&items, email, like);
	list_after(&items, "k.created_at", "timestamptz", "k.public_id", 1,
	    value, pid);
	stmt_append(&items, "ORDER BY k.created_at DESC, k.public_id DESC ");
	list_limit(&items, &page, pid);
	stmt_append(&total, sql_all_total);
	all_where(&total, email, like);
	pipeline_init(req, &db);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "contacts", 1);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}
