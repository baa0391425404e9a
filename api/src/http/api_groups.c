/*
 * Client groups: clients that share settings (currency, language, number
 * pattern ...). A group's own settings are overrides between the company's
 * and its clients'. Names are unique in a company (case-insensitively); a
 * group with clients is deleted only when asked to detach them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/core.h"
#include "core/cursor.h"
#include "core/idempotency.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/settings.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define GROUP_RESULT(expr) \
	"SELECT j AS item, j ->> 'id' AS id FROM " expr " AS t(j)"

/* Groups by name; groups_where() adds q when the request has it. */
static const char sql_list[] =
    "SELECT group_json(g) AS item, lower(g.name) AS sort_value, "
    "g.public_id AS pid FROM client_groups g WHERE ";
static const char sql_total[] =
    "SELECT count(*) AS total FROM client_groups g WHERE ";
static const char sql_get[] = GROUP_RESULT("group_json(group_find($1, false))");
static const char sql_create[] =
    GROUP_RESULT(
    IDEMPOTENCY_WRITE(201, "group_create($2, $3::jsonb)"));
static const char sql_update[] =
    GROUP_RESULT("group_update($1, $2, $3::jsonb, 'settings.')");
static const char sql_delete[] = "SELECT group_delete($1, $2::boolean)";
/* clang-format on */

static const struct field_spec group_fields[] = {
	{ "name", FIELD_STRING, FIELD_REQUIRED | FIELD_NONEMPTY, 100, NULL, 0,
	    0 },
	{ "settings", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
};

static void
groups_where(struct stmt *st, const char *like)
{
	stmt_append(st, "g.company_id = app_company_id() ");
	if (like[0] != '\0') {
		stmt_append(st, "AND lower(g.name) LIKE lower(:q) ");
		stmt_bind(st, "q", like);
	}
}

/*
 * Validates a group body (name required on create, optional on update;
 * settings a patch at group level). Returns the settings patch as text
 * (NULL when absent) in *settings; answers 422 itself and returns -1 if
 * the body is bad.
 */
static int
group_body(struct request *req, int creating, char **settings)
{
	struct api_error  err;
	struct field_spec f[2];
	json_t		 *s;
	int		  bad;

	*settings = NULL;
	memcpy(f, group_fields, sizeof(f));
	if (!creating)
		f[0].flags &= ~FIELD_REQUIRED;
	api_error_init(&err, API_ERR_VALIDATION);
	bad = validate_object(req->body, f, CORE_ARRAY_LEN(f), NULL, &err);
	s = json_object_get(req->body, "settings");
	if (json_is_object(s) &&
	    settings_validate_patch(s, LEVEL_GROUP, "settings", &err) != 0)
		bad = -1;
	if (!creating && json_object_size(req->body) == 0) {
		api_error_add_field(&err, "body", "empty",
		    "request body must change at least one field");
		bad = -1;
	}
	if (bad != 0)
		reply_error(req, &err);
	else if (json_is_object(s) &&
	    (*settings = json_dumps(s, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of validated settings failed");
	api_error_cleanup(&err);
	return (bad != 0 ? -1 : 0);
}

static void
reply_group(struct request *req, struct db *db, int q, int status)
{
	char location[96];

	if (status == 201) {
		snprintf(location, sizeof(location), "/api/v1/groups/%s",
		    db_get(db, q, 0, "id"));
		reply_header(req, "location", location);
	}
	reply_sql_json(req, status, db_get(db, q, 0, "item"));
}

void
api_groups_list(struct request *req)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	const char *q;
	char	    like[CLIENT_LIKE_LEN], pid[PUBLIC_ID_LEN + 1];
	char	    value[CURSOR_VALUE_MAX];
	int	    qi, qt;

	if (list_page(req, &page) != 0 ||
	    list_cursor(req, "groups", "text", 0, pid, sizeof(pid), value,
		sizeof(value)) != 0)
		return;
	like[0] = '\0';
	if ((q = qs_get(&req->qs, "q")) != NULL &&
	    clients_like_pattern(q, like, sizeof(like)) != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter "
		    "\"q\" is longer than %d characters",
		    CLIENT_Q_MAX);
		return;
	}
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_list);
	groups_where(&items, like);
	list_after(
	    &items, "lower(g.name)", "text", "g.public_id", 0, value, pid);
	stmt_append(&items, "ORDER BY lower(g.name), g.public_id ");
	list_limit(&items, &page, pid);
	stmt_append(&total, sql_total);
	groups_where(&total, like);
	pipeline_init(req, &db);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "groups", 0);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

void
api_groups_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_group(req, &db, q, 200);
	db_cleanup(&db);
}

void
api_groups_create(struct request *req)
{
	struct db db;
	char	 *settings;
	int	  q;

	if (group_body(req, 1, &settings) != 0)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_create, pipeline_idem_key(req),
	    json_string_value(json_object_get(req->body, "name")), settings);
	if (pipeline_run(req, &db) == 0)
		reply_group(req, &db, q, 201);
	db_cleanup(&db);
	free(settings);
}

void
api_groups_update(struct request *req)
{
	struct db db;
	json_t	 *name;
	char	 *settings;
	int	  q;

	if (group_body(req, 0, &settings) != 0)
		return;
	name = json_object_get(req->body, "name");
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_update, request_param(req, 0),
	    json_is_string(name) ? json_string_value(name) : NULL, settings);
	if (pipeline_run(req, &db) == 0)
		reply_group(req, &db, q, 200);
	db_cleanup(&db);
	free(settings);
}

void
api_groups_delete(struct request *req)
{
	struct db   db;
	const char *detach;

	detach = qs_get(&req->qs, "detach");
	if (detach != NULL && strcmp(detach, "true") != 0 &&
	    strcmp(detach, "false") != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter "
		    "\"detach\" must be true or false, not \"%s\"",
		    detach);
		return;
	}
	pipeline_init(req, &db);
	DB_ADD(&db, sql_delete, request_param(req, 0),
	    detach != NULL ? detach : "false");
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}
