/*
 * The company's users, as the people a client can be assigned to: GET
 * /users lists the active ones with no more than their id, name, email
 * and role. Accounts are made with `clientd create-user`; each user's own
 * account is api_profile.c.
 */
#include "core/core.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"

/* clang-format off */
#define USERS_VISIBLE \
    "FROM users u WHERE u.company_id = app_company_id() AND u.is_active"

static const char sql_list[] =
    "SELECT user_json(u.public_id, u.name, u.email, u.role) AS item "
    USERS_VISIBLE
    " ORDER BY lower(COALESCE(NULLIF(u.name, ''), u.email)), u.public_id"
    " LIMIT $1::int OFFSET $2::int";

static const char sql_count[] =
    "SELECT count(*) AS total " USERS_VISIBLE;
/* clang-format on */

void
api_users_list(struct request *req)
{
	struct db   db;
	struct page page;
	int	    items, total;

	if (list_page(req, &page) != 0)
		return;
	pipeline_init(req, &db);
	items = DB_ADD(&db, sql_list, page.limit, page.offset);
	total = DB_ADD0(&db, sql_count);
	if (pipeline_run(req, &db) == 0)
		list_reply(
		    req, &db, items, total, &page, db_rows(&db, items), NULL);
	db_cleanup(&db);
}
