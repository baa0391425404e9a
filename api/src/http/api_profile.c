/*
 * The signed-in user's own account: GET /profile, PATCH /profile (the
 * name), POST /profile/password (a new password, for the current one).
 *
 * A password change holds the new one to password_acceptable(), then asks
 * for the current password (http/reauth.c: throttled like logins, a wrong
 * one counts as a failed login) and hashes the new one in the same task
 * off the event loop, and stores it through user_password_set()
 * (sql/functions/users.sql), which also signs out the user's other
 * sessions. API tokens keep working: revoke them on the tokens page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/password.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/pipeline.h"
#include "http/reauth.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_get[] = "SELECT profile_get()::text AS item";
static const char sql_update[] = "SELECT profile_update($1)::text AS item";
static const char sql_password[] =
    "SELECT user_password_set($1, $2::bytea) AS ended";
/* clang-format on */

static const struct field_spec profile_fields[] = {
	{ "name", FIELD_STRING, FIELD_REQUIRED | FIELD_NULLABLE, 200, NULL, 0,
	    0 },
};

static const struct field_spec password_fields[] = {
	{ "current_password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
	{ "new_password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

void
api_profile_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_get);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

void
api_profile_update(struct request *req)
{
	struct db db;
	json_t	 *name;
	int	  q;

	if (reply_invalid_body(
		req, profile_fields, CORE_ARRAY_LEN(profile_fields)) != 0)
		return;
	name = json_object_get(req->body, "name");
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_update,
	    json_is_string(name) ? json_string_value(name) : "");
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

/*
 * Whether the new password may be used: acceptable (password_acceptable)
 * and not the current one. Answers 422 itself and returns -1 if not; no
 * hashing is spent on a password that would be refused.
 */
static int
new_password_ok(struct request *req, const char *current, const char *next)
{
	struct api_error err;
	int		 rc = 0;

	api_error_init(&err, API_ERR_VALIDATION);
	if (password_acceptable(next, "new_password", &err) != 0)
		rc = -1;
	else if (strcmp(current, next) == 0) {
		api_error_add_field(&err, "new_password", "invalid_value",
		    "new password must differ from the current one");
		rc = -1;
	}
	if (rc != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc);
}

/* The current password was right and the new one is hashed: store it. */
static void
password_changed(struct request *req, const void *unused, const char *hash)
{
	struct db db;
	char	  ended[24];
	int	  q;

	(void)unused;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_password, hash,
	    req->cred == CRED_SESSION ? req->cred_hash : NULL);
	if (pipeline_run(req, &db) == 0) {
		snprintf(
		    ended, sizeof(ended), "%s", db_get(&db, q, 0, "ended"));
		reply_json(req, 200,
		    json_pack("{s:I}", "sessions_ended",
			(json_int_t)strtoll(ended, NULL, 10)));
	}
	db_cleanup(&db);
}

/*
 * Both argon2id steps (checking the current password, hashing the new
 * one) run in one task off the event loop (http/reauth.c, http/hashing.c).
 */
void
api_profile_password(struct request *req)
{
	const char *current, *next;

	if (reply_invalid_body(
		req, password_fields, CORE_ARRAY_LEN(password_fields)) != 0)
		return;
	current =
	    json_string_value(json_object_get(req->body, "current_password"));
	next = json_string_value(json_object_get(req->body, "new_password"));
	if (new_password_ok(req, current, next) != 0)
		return;
	(void)reauth_start_change(req, current, next,
	    "Changing your password asks for the current one first.",
	    password_changed);
}
