/*
 * Settings at the three levels, each shown as what is in effect and where
 * it comes from: GET/PATCH /settings (the company), /groups/{id}/settings
 * and /clients/{id}/settings, and the preview of the next generated client
 * number.
 *
 * The registry and the resolution are core/settings.c: SQL hands back the
 * stored objects of the levels involved and this file builds the effective
 * view from them. Patches are validated against the registry here;
 * sql/0003_settings.sql checks what needs the database (currencies, time
 * zones), stores the patch and writes the event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clientd.h"
#include "settings.h"

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
    "    s.company_settings::text AS company, s.version "
    "FROM client_settings_sources(client_find($1, false)) s";
static const char sql_client_patch[] =
    "SELECT client_settings::text AS client, group_settings::text AS grp, "
    "    company_settings::text AS company, version "
    "FROM client_settings_patch($1, $2::jsonb, $3::int)";

static const char sql_context[] =
    "SELECT pattern, padding, group_counter, has_group, local_time "
    "FROM client_number_context($1)";
static const char sql_peek[] =
    "SELECT number, counter FROM client_number_peek($1, $2::int, $3, $4::bigint)";

static json_t *
column_json(struct db *db, int q, const char *col)
{
	json_t	*j;

	if (db_isnull(db, q, 0, col))
		return (NULL);
	if ((j = json_loads(db_get(db, q, 0, col), 0, NULL)) == NULL)
		core_fatal("settings column %s is not JSON", col);
	return (j);
}

/*
 * Answers with the effective settings at level from statement q's
 * columns client, grp and company (those the statement has).
 */
static void
reply_effective(struct api_ctx *ctx, struct db *db, int q, unsigned int level)
{
	json_t	*client = NULL, *group = NULL, *company, *out;
	char	 etag[32];

	if (level == LEVEL_CLIENT)
		client = column_json(db, q, "client");
	if (level != LEVEL_COMPANY)
		group = column_json(db, q, "grp");
	company = column_json(db, q, "company");
	out = json_pack("{s:o}", "settings",
	    settings_effective(level, client, group, company));
	if (level == LEVEL_CLIENT) {
		snprintf(etag, sizeof(etag), "\"%s\"",
		    db_get(db, q, 0, "version"));
		api_header(ctx, "etag", etag);
	}
	json_decref(client);
	json_decref(group);
	json_decref(company);
	api_reply_json(ctx, 200, out);
}

/* Validates the body as a patch at level; answers 422 itself if not. */
static char *
patch_text(struct api_ctx *ctx, unsigned int level)
{
	struct api_error	 err;
	char			*s = NULL;

	api_error_init(&err, API_ERR_VALIDATION);
	if (json_object_size(ctx->body) == 0)
		api_error_add_field(&err, "body", "empty",
		    "request body must change at least one setting");
	else if (settings_validate_patch(ctx->body, level, NULL, &err) == 0 &&
	    (s = json_dumps(ctx->body, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of a validated patch failed");
	if (s == NULL)
		api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	return (s);
}

void
settings_company_get(struct api_ctx *ctx)
{
	struct db	db;
	int		q;

	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD0(&db, sql_company);
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_COMPANY);
	db_cleanup(&db);
}

void
settings_company_patch(struct api_ctx *ctx)
{
	struct db	 db;
	char		*patch;
	int		 q;

	if ((patch = patch_text(ctx, LEVEL_COMPANY)) == NULL)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_company_patch, patch);
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_COMPANY);
	db_cleanup(&db);
	free(patch);
}

void
settings_group_get(struct api_ctx *ctx)
{
	struct db	db;
	int		q;

	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_group, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_GROUP);
	db_cleanup(&db);
}

void
settings_group_patch(struct api_ctx *ctx)
{
	struct db	 db;
	char		*patch;
	int		 q;

	if ((patch = patch_text(ctx, LEVEL_GROUP)) == NULL)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	DB_ADD(&db, sql_group_patch, api_param(ctx, 0), patch);
	q = DB_ADD(&db, sql_group, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_GROUP);
	db_cleanup(&db);
	free(patch);
}

void
settings_client_get(struct api_ctx *ctx)
{
	struct db	db;
	int		q;

	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_client, api_param(ctx, 0));
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_CLIENT);
	db_cleanup(&db);
}

void
settings_client_patch(struct api_ctx *ctx)
{
	struct db	 db;
	char		*patch, ver[24];
	int		 q;

	if ((patch = patch_text(ctx, LEVEL_CLIENT)) == NULL)
		return;
	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_client_patch, api_param(ctx, 0), patch,
	    api_if_match(ctx, ver, sizeof(ver)));
	if (api_exec(ctx, &db) == 0)
		reply_effective(ctx, &db, q, LEVEL_CLIENT);
	db_cleanup(&db);
	free(patch);
}

/* ---- the next generated number -------------------------------------------- */

/*
 * Reads the preview's optional overrides: pattern (checked like a saved
 * one), padding and counter. Answers 400 itself and returns -1 if bad.
 */
static int
preview_overrides(struct api_ctx *ctx, const char **pattern, long *padding,
    long *counter)
{
	struct api_error	err;
	int			rc = -1;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	*pattern = qs_get(&ctx->qs, "pattern");
	if (qs_get_int(&ctx->qs, "padding", 1, 10, 0, padding, &err) != 0 ||
	    qs_get_int(&ctx->qs, "counter", 1, 999999999999L, 0, counter,
	    &err) != 0)
		goto out;
	if (*pattern != NULL &&
	    number_pattern_check(*pattern, "pattern", &err) != 0) {
		err.status = 400;
		err.code = api_error_def(API_ERR_BAD_REQUEST)->code;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	return (rc);
}

void
settings_number_preview(struct api_ctx *ctx)
{
	struct number_vars	 vars;
	struct db		 db;
	const char		*group, *pattern;
	char			 tmpl[NUMBER_MAX * 4 + 1], pad[16], start[24];
	long			 padding, counter;
	int			 q, g;
	json_t			*out;

	if (preview_overrides(ctx, &pattern, &padding, &counter) != 0)
		return;
	group = qs_get(&ctx->qs, "group");
	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_context, group);
	if (api_exec(ctx, &db) != 0)
		goto out;

	memset(&vars, 0, sizeof(vars));
	if (strptime(db_get(&db, q, 0, "local_time"), "%Y-%m-%d %H:%M:%S",
	    &vars.now) == NULL)
		core_fatal("client_number_context: bad local_time");
	vars.client_id_number = "";
	vars.user_id = ctx->user.user_id;
	if (pattern == NULL)
		pattern = db_get(&db, q, 0, "pattern");
	if (padding == 0)
		padding = strtol(db_get(&db, q, 0, "padding"), NULL, 10);
	g = strcmp(db_get(&db, q, 0, "has_group"), "t") == 0 &&
	    (strcmp(db_get(&db, q, 0, "group_counter"), "t") == 0 ||
	    number_pattern_uses_group_counter(pattern));
	out = json_pack("{s:s, s:I, s:s}", "pattern", pattern,
	    "padding", (json_int_t)padding, "counter_level", g ? "group" : "company");
	if (number_template(pattern, &vars, tmpl, sizeof(tmpl)) != 0) {
		json_decref(out);
		api_reply_errorf(ctx, API_ERR_BAD_REQUEST, "the client number "
		    "pattern does not give a usable number (longer than %d "
		    "characters, or control characters)", NUMBER_MAX);
		goto out;
	}
	db_cleanup(&db);

	snprintf(pad, sizeof(pad), "%ld", padding);
	snprintf(start, sizeof(start), "%ld", counter);
	db_init(&db);
	auth_add(ctx, &db);
	q = DB_ADD(&db, sql_peek, tmpl, pad, g ? group : NULL,
	    counter > 0 ? start : NULL);
	if (api_exec(ctx, &db) != 0) {
		json_decref(out);
		goto out;
	}
	json_object_set_new(out, "number",
	    json_string(db_get(&db, q, 0, "number")));
	json_object_set_new(out, "counter", json_integer(strtoll(db_get(&db, q,
	    0, "counter"), NULL, 10)));
	api_reply_json(ctx, 200, out);
out:
	db_cleanup(&db);
}
