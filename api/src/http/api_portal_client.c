/*
 * What a signed-in contact sees and changes in the portal: its client
 * (the fields the company's portal_client_fields setting allows, and the
 * balance and paid to date), the client's ledger and CSV statement, and its
 * own name, phone and password. The client is always the session's
 * (portal_begin() sets it), never one named by the request.
 *
 * The ledger and the statement are staff's (api_ledger.c) for the
 * session's client: a first round trip reads which client that is, the
 * second runs the ledger's statements behind a portal_begin() that
 * insists on the same client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/core.h"
#include "core/portal.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/hashing.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_client[] = "SELECT portal_client_get() AS item";
static const char sql_client_update[] =
    "SELECT portal_client_update($1::jsonb) AS item";
static const char sql_profile[] =
    "SELECT portal_profile_update($1::jsonb) AS item";
static const char sql_password_hash[] =
    "SELECT portal_password_hash() AS hash";
static const char sql_password_change[] =
    "SELECT portal_password_change($1)";
/* clang-format on */

/* A contact's own profile: nothing else of the contact. */
static const struct field_spec profile_fields[] = {
	{ "first_name", FIELD_STRING, 0, 100, NULL, 0, 0 },
	{ "last_name", FIELD_STRING, 0, 100, NULL, 0, 0 },
	{ "phone", FIELD_STRING, 0, 64, NULL, 0, 0 },
};

static const struct field_spec password_fields[] = {
	{ "current_password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

void
api_portal_client_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_client);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

/*
 * PATCH /portal/{company}/client: the client's field rules (core/clients.c),
 * then portal_client_update() refuses any field contacts may not change.
 */
void
api_portal_client_update(struct request *req)
{
	struct api_error err;
	struct db	 db;
	char		*body = NULL;
	int		 q;

	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	if (clients_validate(req->body, 0, &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	body = request_body_text(req);
	q = DB_ADD(&db, sql_client_update, body);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
out:
	free(body);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/* PATCH /portal/{company}/me: the contact's name and phone. */
void
api_portal_client_profile(struct request *req)
{
	struct db db;
	char	 *body = NULL;
	int	  q;

	pipeline_init(req, &db);
	if (reply_invalid_body(
		req, profile_fields, CORE_ARRAY_LEN(profile_fields)))
		goto out;
	body = request_body_text(req);
	q = DB_ADD(&db, sql_profile, body);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
out:
	free(body);
	db_cleanup(&db);
}

static void
password_checked(struct request *req, struct hashing *h)
{
	struct api_error err;
	struct db	 db;

	api_error_init(&err, API_ERR_VALIDATION);
	if (!h->ok) {
		api_error_add_field(&err, "current_password", "invalid_value",
		    "the current password is not right");
		reply_error(req, &err);
		api_error_cleanup(&err);
		return;
	}
	pipeline_init(req, &db);
	DB_ADD(&db, sql_password_change, h->rehash);
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/*
 * POST /portal/{company}/me/password {current_password, password}: both
 * checked and the new one hashed in one piece of work on a task thread;
 * the account's other sessions end.
 */
void
api_portal_client_password(struct request *req)
{
	struct api_error err;
	struct db	 db;
	const char	*pw;
	int		 q;

	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	if (reply_invalid_body(
		req, password_fields, CORE_ARRAY_LEN(password_fields)))
		goto out;
	pw = json_string_value(json_object_get(req->body, "password"));
	if (portal_password_check(pw, "password", &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	q = DB_ADD0(&db, sql_password_hash);
	if (pipeline_run(req, &db) != 0)
		goto out;
	(void)hashing_start_change(req,
	    json_string_value(json_object_get(req->body, "current_password")),
	    db_isnull(&db, q, 0, "hash") ? "" : db_get(&db, q, 0, "hash"), pw,
	    NULL, 0, password_checked);
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/* The session's client, read in a round trip of its own; -1 if answered. */
static int
session_client(struct request *req)
{
	struct db db;
	int	  rc;

	pipeline_init(req, &db);
	rc = pipeline_run(req, &db);
	db_cleanup(&db);
	if (rc != 0)
		return (-1);
	snprintf(req->portal.expect_client, sizeof(req->portal.expect_client),
	    "%s", req->portal.client_id);
	return (0);
}

void
api_portal_client_ledger(struct request *req)
{
	if (session_client(req) == 0)
		api_ledger_client_entries(req, req->portal.expect_client);
}

void
api_portal_client_statement(struct request *req)
{
	if (session_client(req) == 0)
		api_ledger_client_statement(req, req->portal.expect_client);
}
