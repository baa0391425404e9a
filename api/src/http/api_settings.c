/*
 * Settings at the three levels, each shown as what is in effect and where
 * it comes from: GET/PATCH /settings (the company), /groups/{id}/settings
 * and /clients/{id}/settings, and the preview of the next generated client
 * number.
 *
 * The registry and the resolution are core/settings.c: SQL hands back the
 * stored objects of the levels involved and this file builds the effective
 * view from them. Patches are validated against the registry here;
 * sql/functions/settings.sql checks what needs the database (currencies, time
 * zones), stores the patch and writes the event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/numbers.h"
#include "core/qs.h"
#include "core/settings.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_company[] =
    "SELECT settings::text AS company FROM companies WHERE id = app_company_id()";
static const char sql_company_patch[] =
    "SELECT company_settings_patch($1::jsonb)::text AS company";

static const char sql_group[] =
    "SELECT g.settings::text AS grp, co.settings::text AS company "
    "FROM group_find($1, false) g JOIN companies co ON co.id = g.company_id";
static const char sql_group_patch[] =
    "SELECT group_update($1, NULL, $2::jsonb, '')";

static const char sql_client[] =
    "SELECT s.client_settings::text AS client, s.group_settings::text AS grp, "
    "    s.company_settings::text AS company, s.version, s.has_ledger "
    "FROM client_settings_sources(client_find($1, false)) s";
static const char sql_client_patch[] =
    "SELECT client_settings::text AS client, group_settings::text AS grp, "
    "    company_settings::text AS company, version, has_ledger "
    "FROM client_settings_patch($1, $2::jsonb, $3::int)";

static const char sql_context[] =
    "SELECT pattern, padding, group_counter, has_group, local_time "
    "FROM client_number_context($1)";
static const char sql_peek[] =
    "SELECT number, counter FROM client_number_peek($1, $2::int, $3, $4::bigint)";
/* clang-format on */

static json_t *
column_json(struct db *db, int q, const char *col)
{
	json_t *j;

	if (db_isnull(db, q, 0, col))
		return (NULL);
	if ((j = json_loads(db_get(db, q, 0, col), 0, NULL)) == NULL)
		core_fatal("settings column %s is not JSON", col);
	return (j);
}

/*
 * A client with ledger entries has its currency fixed (its first entry
 * pinned it: sql/functions/ledger.sql); the effective view says so, and
 * why, on the currency key.
 */
static void
currency_fixed(json_t *settings)
{
	json_t	   *cur, *value;
	const char *code;
	char	    msg[200];

	if ((cur = json_object_get(settings, "currency")) == NULL)
		return;
	value = json_object_get(cur, "value");
	code = json_is_string(value) ? json_string_value(value) : "?";
	snprintf(msg, sizeof(msg),
	    "The client has ledger entries in %.3s: its amounts and balance "
	    "stay in %.3s, whatever its group or the company uses.",
	    code, code);
	json_object_set_new(cur, "fixed",
	    json_pack(
		"{s:s, s:s}", "reason", "ledger_entries", "message", msg));
}

/*
 * Answers with the effective settings at level from statement q's
 * columns client, grp and company (those the statement has).
 */
static void
reply_effective(struct request *req, struct db *db, int q, unsigned int level)
{
	json_t *client = NULL, *group = NULL, *company, *out;
	char	etag[32];

	if (level == LEVEL_CLIENT)
		client = column_json(db, q, "client");
	if (level != LEVEL_COMPANY)
		group = column_json(db, q, "grp");
	company = column_json(db, q, "company");
	out = json_pack("{s:o}", "settings",
	    settings_effective(level, client, group, company));
	if (level == LEVEL_CLIENT &&
	    strcmp(db_get(db, q, 0, "has_ledger"), "t") == 0)
		currency_fixed(json_object_get(out, "settings"));
	if (level == LEVEL_CLIENT) {
		snprintf(
		    etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
		reply_header(req, "etag", etag);
	}
	json_decref(client);
	json_decref(group);
	json_decref(company);
	reply_json(req, 200, out);
}

/* Validates the body as a patch at level; answers 422 itself if not. */
static char *
patch_text(struct request *req, unsigned int level)
{
	struct api_error err;
	char		*s = NULL;

	api_error_init(&err, API_ERR_VALIDATION);
	if (json_object_size(req->body) == 0)
		api_error_add_field(&err, "body", "empty",
		    "request body must change at least one setting");
	else if (settings_validate_patch(req->body, level, NULL, &err) == 0 &&
	    (s = json_dumps(req->body, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of a validated patch failed");
	if (s == NULL)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (s);
}

void
api_settings_company_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_company);
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_COMPANY);
	db_cleanup(&db);
}

void
api_settings_company_patch(struct request *req)
{
	struct db db;
	char	 *patch;
	int	  q;

	if ((patch = patch_text(req, LEVEL_COMPANY)) == NULL)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_company_patch, patch);
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_COMPANY);
	db_cleanup(&db);
	free(patch);
}

void
api_settings_group_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_group, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_GROUP);
	db_cleanup(&db);
}

void
api_settings_group_patch(struct request *req)
{
	struct db db;
	char	 *patch;
	int	  q;

	if ((patch = patch_text(req, LEVEL_GROUP)) == NULL)
		return;
	pipeline_init(req, &db);
	DB_ADD(&db, sql_group_patch, request_param(req, 0), patch);
	q = DB_ADD(&db, sql_group, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_GROUP);
	db_cleanup(&db);
	free(patch);
}

void
api_settings_client_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_client, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_CLIENT);
	db_cleanup(&db);
}

void
api_settings_client_patch(struct request *req)
{
	struct db db;
	char	 *patch, ver[24];
	int	  q;

	if ((patch = patch_text(req, LEVEL_CLIENT)) == NULL)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_client_patch, request_param(req, 0), patch,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_effective(req, &db, q, LEVEL_CLIENT);
	db_cleanup(&db);
	free(patch);
}

/* ---- the next generated number -------------------------------------------- */

/*
 * Reads the preview's optional overrides: pattern (checked like a saved
 * one), padding and counter. Answers 400 itself and returns -1 if bad.
 */
static int
preview_overrides(
    struct request *req, const char **pattern, long *padding, long *counter)
{
	struct api_error err;
	int		 rc = -1;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	*pattern = qs_get(&req->qs, "pattern");
	if (qs_get_int(&req->qs, "padding", 1, 10, 0, padding, &err) != 0 ||
	    qs_get_int(
		&req->qs, "counter", 1, 999999999999L, 0, counter, &err) != 0)
		goto out;
	if (*pattern != NULL &&
	    numbers_pattern_check(*pattern, "pattern", &err) != 0) {
		err.status = 400;
		err.code = api_error_def(API_ERR_BAD_REQUEST)->code;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc);
}

void
api_settings_number_preview(struct request *req)
{
	struct number_vars vars;
	struct db	   db;
	const char	  *group, *pattern;
	char		   tmpl[NUMBER_MAX * 4 + 1], pad[16], start[24];
	long		   padding, counter;
	int		   q, g;
	json_t		  *out;

	if (preview_overrides(req, &pattern, &padding, &counter) != 0)
		return;
	group = qs_get(&req->qs, "group");
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_context, group);
	if (pipeline_run(req, &db) != 0)
		goto out;

	memset(&vars, 0, sizeof(vars));
	if (strptime(db_get(&db, q, 0, "local_time"), "%Y-%m-%d %H:%M:%S",
		&vars.now) == NULL)
		core_fatal("client_number_context: bad local_time");
	vars.client_id_number = "";
	vars.user_id = req->user.user_id;
	if (pattern == NULL)
		pattern = db_get(&db, q, 0, "pattern");
	if (padding == 0)
		padding = strtol(db_get(&db, q, 0, "padding"), NULL, 10);
	g = strcmp(db_get(&db, q, 0, "has_group"), "t") == 0 &&
	    (strcmp(db_get(&db, q, 0, "group_counter"), "t") == 0 ||
		numbers_pattern_uses_group_counter(pattern));
	out = json_pack("{s:s, s:I, s:s}", "pattern", pattern, "padding",
	    (json_int_t)padding, "counter_level", g ? "group" : "company");
	if (numbers_template(pattern, &vars, tmpl, sizeof(tmpl)) != 0) {
		json_decref(out);
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "the client number "
		    "pattern does not give a usable number (longer than %d "
		    "characters, or control characters)",
		    NUMBER_MAX);
		goto out;
	}
	db_cleanup(&db);

	snprintf(pad, sizeof(pad), "%ld", padding);
	snprintf(start, sizeof(start), "%ld", counter);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_peek, tmpl, pad, g ? group : NULL,
	    counter > 0 ? start : NULL);
	if (pipeline_run(req, &db) != 0) {
		json_decref(out);
		goto out;
	}
	json_object_set_new(
	    out, "number", json_string(db_get(&db, q, 0, "number")));
	json_object_set_new(out, "counter",
	    json_integer(strtoll(db_get(&db, q, 0, "counter"), NULL, 10)));
	reply_json(req, 200, out);
out:
	db_cleanup(&db);
}
