/*
 * The outbox, for the admin app's Email page: every mail clientd wrote,
 * newest first, with its status (queued, sent, failed), its attempts and
 * its last error; one mail with its bodies and each attempt. Admins only:
 * a queued mail's body holds its link until the link is used or expires
 * (sql/functions/mail.sql takes it out then).
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_list[] =
    "SELECT mail_json(m, false) AS item, m.created_at::text AS sort_value, "
    "    m.public_id AS pid "
    "FROM mail_outbox m WHERE m.company_id = app_company_id() ";
static const char sql_total[] =
    "SELECT count(*) AS total FROM mail_outbox m "
    "WHERE m.company_id = app_company_id() ";
static const char sql_get[] =
    "SELECT mail_json(m, true) AS item FROM mail_outbox m "
    "WHERE m.company_id = app_company_id() AND m.public_id = $1";
/* clang-format on */

static const char *const statuses[] = { "queued", "sent", "failed", NULL };

/* status and to, when given; 400 (answered) when not what they may be. */
static int
filters(struct request *req, struct stmt *items, struct stmt *total)
{
	struct api_error err;
	const char	*status, *to;

	status = qs_get(&req->qs, "status");
	to = qs_get(&req->qs, "to");
	if (status != NULL && !validate_one_of(status, statuses)) {
		api_error_init(&err, API_ERR_BAD_REQUEST);
		api_error_setf(&err, API_ERR_BAD_REQUEST,
		    "invalid value for query parameter \"status\": \"%s\"",
		    status);
		api_error_hint(&err, "Use queued, sent or failed.");
		api_error_field(&err, "status");
		reply_error(req, &err);
		api_error_cleanup(&err);
		return (-1);
	}
	if (status != NULL) {
		stmt_append(items, "AND m.status = :status ");
		stmt_bind(items, "status", status);
		stmt_append(total, "AND m.status = :status ");
		stmt_bind(total, "status", status);
	}
	if (to != NULL) {
		stmt_append(items, "AND lower(m.to_address) = lower(:to) ");
		stmt_bind(items, "to", to);
		stmt_append(total, "AND lower(m.to_address) = lower(:to) ");
		stmt_bind(total, "to", to);
	}
	return (0);
}

void
api_mail_list(struct request *req)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    qi, qt;

	if (list_page(req, &page) != 0 ||
	    list_cursor(req, "mail", "timestamptz", 1, pid, sizeof(pid), value,
		sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_list);
	stmt_append(&total, sql_total);
	if (filters(req, &items, &total) != 0)
		goto out;
	list_after(&items, "m.created_at", "timestamptz", "m.public_id", 1,
	    value, pid);
	stmt_append(&items, "ORDER BY m.created_at DESC, m.public_id DESC ");
	list_limit(&items, &page, pid);
	pipeline_init(req, &db);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "mail", 1);
	db_cleanup(&db);
out:
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

void
api_mail_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0));
	if (pipeline_run(req, &db) == 0) {
		if (db_rows(&db, q) == 0)
			reply_errorf(req, API_ERR_NOT_FOUND, "mail not found");
		else
			reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	}
	db_cleanup(&db);
}
