/*
 * Webhooks: subscriptions (REST hooks for Zapier, Make and n8n: POST
 * answers the id, DELETE unsubscribes), the event catalog, samples of
 * recent payloads, the delivery log, resend and test. clientd-worker
 * delivers (worker/webhooks.c); sql/functions/webhooks.sql holds the
 * rules and writes the events.
 *
 * The signing secret ("whsec_" + base64 of 32 random bytes) is made here,
 * shown once in the answer to create or rotate, and stored sealed with
 * CLIENTD_SECRET_KEY (core/vault.c): the database never holds it in the
 * clear, nor does the Idempotency-Key store, which is why these POSTs do
 * not take one (a repeated create is a 409 naming the webhook instead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/cursor.h"
#include "core/events.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/signature.h"
#include "core/stmt.h"
#include "core/subscriptions.h"
#include "core/validate.h"
#include "core/vault.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/module.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

#define SAMPLE_DEFAULT 3
#define SAMPLE_MAX     25
#define OVERLAP_MAX    86400

/* clang-format off */
#define WEBHOOK_RESULT(expr) \
    "SELECT j AS item, j ->> 'id' AS id, j ->> 'version' AS version " \
    "FROM " expr " AS t(j)"

static const char sql_list[] =
    "SELECT webhook_json(w) AS item FROM webhooks w "
    "WHERE w.company_id = app_company_id() "
    "ORDER BY w.created_at DESC, w.id DESC LIMIT $1::int OFFSET $2::int";
static const char sql_total[] =
    "SELECT count(*) AS total FROM webhooks w "
    "WHERE w.company_id = app_company_id()";
static const char sql_get[] =
    WEBHOOK_RESULT("webhook_json(webhook_find($1, false))");
static const char sql_create[] =
    WEBHOOK_RESULT("webhook_create($1::jsonb, $2::bytea, $3)");
static const char sql_update[] =
    WEBHOOK_RESULT("webhook_update($1, $2::jsonb, $3::int)");
static const char sql_delete[] = "SELECT webhook_delete($1)";
static const char sql_rotate[] =
    WEBHOOK_RESULT("webhook_rotate($1, $2::bytea, $3, "
    "$4::int * interval '1 second')");
static const char sql_test[] = "SELECT webhook_test($1) AS item";
static const char sql_retry[] =
    "SELECT webhook_delivery_retry($1, $2) AS item";
static const char sql_delivery[] =
    "SELECT webhook_delivery_get($1, $2) AS item";
static const char sql_events[] =
    "SELECT json_agg(json_build_object('type', t.type, 'entity', t.entity, "
    "    'description', t.description) ORDER BY t.type) AS item "
    "FROM webhook_event_types t";
static const char sql_sample[] =
    "SELECT json_build_object('data', webhook_sample($1, $2::int)) AS item";
static const char sql_webhook_check[] =
    "SELECT (webhook_find($1, false)).id";

/* The log: filters are appended by deliveries_where(). */
static const char sql_deliveries[] =
    "SELECT webhook_delivery_json(d) AS item, d.id::text AS sort_value, "
    "    d.public_id AS pid FROM webhook_deliveries d WHERE ";
static const char sql_deliveries_total[] =
    "SELECT count(*) AS total FROM webhook_deliveries d WHERE ";
/* clang-format on */

static const char *const delivery_statuses[] = { "pending", "delivered",
	"failed", NULL };

static const struct field_spec rotate_fields[] = {
	{ "overlap_seconds", FIELD_INT, 0, 0, NULL, 0, OVERLAP_MAX },
};

/* Answers 503 unless the server can seal secrets. */
static int
key_configured(struct request *req)
{
	struct api_error err;

	if (module_cfg.have_secret_key)
		return (1);
	api_error_init(&err, API_ERR_UNAVAILABLE);
	api_error_setf(&err, API_ERR_UNAVAILABLE,
	    "webhooks are not configured on this server");
	api_error_hint(&err,
	    "Its operator sets CLIENTD_SECRET_KEY (32 random bytes, base64) "
	    "for the daemon and the worker.");
	reply_error(req, &err);
	api_error_cleanup(&err);
	return (0);
}

/*
 * A new signing secret: its text (shown once), its sealed form as a bytea
 * parameter and its hint ("whsec_" and 4 characters).
 */
static void
secret_new(char text[SIGNATURE_SECRET_LEN + 1], char *sealed_hex, size_t hexlen,
    char hint[SIGNATURE_HINT_LEN + 1])
{
	unsigned char key[SIGNATURE_SECRET_BYTES];
	unsigned char sealed[VAULT_SEALED_LEN(SIGNATURE_SECRET_BYTES)];

	signature_secret_new(key);
	signature_secret_text(key, sizeof(key), text, SIGNATURE_SECRET_LEN + 1);
	vault_seal(module_cfg.secret_key, key, sizeof(key), sealed);
	crypto_bytea_hex(sealed, sizeof(sealed), sealed_hex, hexlen);
	snprintf(
	    hint, SIGNATURE_HINT_LEN + 1, "%.*s", SIGNATURE_HINT_LEN, text);
	sodium_memzero(key, sizeof(key));
}

/* The webhook of statement q with "secret" added (201 or 200). */
static void
reply_with_secret(
    struct request *req, struct db *db, int q, int status, const char *secret)
{
	json_t *item;
	char	location[96];

	if ((item = json_loads(db_get(db, q, 0, "item"), 0, NULL)) == NULL)
		core_fatal("webhook function returned invalid JSON");
	json_object_set_new(item, "secret", json_string(secret));
	if (status == 201) {
		snprintf(location, sizeof(location), "/api/v1/webhooks/%s",
		    db_get(db, q, 0, "id"));
		reply_header(req, "location", location);
	}
	reply_json(req, status, item);
}

static void
reply_webhook(struct request *req, struct db *db, int q)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
	reply_header(req, "etag", etag);
	reply_sql_json(req, 200, db_get(db, q, 0, "item"));
}

/* Checks the body; answers 422 itself and returns -1 when it is bad. */
static int
check_body(struct request *req, int creating)
{
	struct api_error err;
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	rc = subscriptions_validate(
	    req->body, creating, &module_cfg.webhooks_policy, &err);
	if (rc != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc != 0 ? -1 : 0);
}

void
api_webhooks_list(struct request *req)
{
	struct db   db;
	struct page page;
	int	    items, total;

	if (list_page(req, &page) != 0)
		return;
	pipeline_init(req, &db);
	items = DB_ADD(&db, sql_list, page.limit, page.offset);
	total = DB_ADD0(&db, sql_total);
	if (pipeline_run(req, &db) == 0)
		list_reply(
		    req, &db, items, total, &page, db_rows(&db, items), NULL);
	db_cleanup(&db);
}

void
api_webhooks_create(struct request *req)
{
	struct db db;
	char  secret[SIGNATURE_SECRET_LEN + 1], hint[SIGNATURE_HINT_LEN + 1];
	char  sealed[2 + 2 * VAULT_SEALED_LEN(SIGNATURE_SECRET_BYTES) + 1];
	char *body = NULL;
	int   q;

	if (check_body(req, 1) != 0 || !key_configured(req))
		return;
	secret_new(secret, sealed, sizeof(sealed), hint);
	body = request_body_text(req);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_create, body, sealed, hint);
	if (pipeline_run(req, &db) == 0)
		reply_with_secret(req, &db, q, 201, secret);
	sodium_memzero(secret, sizeof(secret));
	db_cleanup(&db);
	free(body);
}

void
api_webhooks_events(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_events);
	if (pipeline_run(req, &db) == 0) {
		struct cbuf b;

		cbuf_init(&b, 2048);
		cbuf_appendstr(&b, "{\"data\":");
		cbuf_append_json_min(&b,
		    db_isnull(&db, q, 0, "item") ? "[]"
						 : db_get(&db, q, 0, "item"));
		cbuf_appendstr(&b, "}");
		reply_body(req, 200, b.data, b.len);
		cbuf_cleanup(&b);
	}
	db_cleanup(&db);
}

void
api_webhooks_sample(struct request *req)
{
	struct db   db;
	const char *event, *limit;
	char	    n[16], *end;
	long	    v = SAMPLE_DEFAULT;
	int	    q;

	if ((event = qs_get(&req->qs, "event")) == NULL) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"event\" is required");
		return;
	}
	if (events_find(event) == NULL) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "unknown event type \"%.64s\"", event);
		return;
	}
	if ((limit = qs_get(&req->qs, "limit")) != NULL) {
		v = strtol(limit, &end, 10);
		if (limit[0] == '\0' || *end != '\0' || v < 1 ||
		    v > SAMPLE_MAX) {
			reply_errorf(req, API_ERR_BAD_REQUEST,
			    "query parameter \"limit\" must be a number from "
			    "1 to %d, not \"%.32s\"",
			    SAMPLE_MAX, limit);
			return;
		}
	}
	snprintf(n, sizeof(n), "%ld", v);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_sample, event, n);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

void
api_webhooks_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_webhook(req, &db, q);
	db_cleanup(&db);
}

void
api_webhooks_update(struct request *req)
{
	struct db db;
	char	 *body = NULL, ver[24];
	int	  q;

	if (check_body(req, 0) != 0)
		return;
	body = request_body_text(req);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_update, request_param(req, 0), body,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_webhook(req, &db, q);
	db_cleanup(&db);
	free(body);
}

void
api_webhooks_delete(struct request *req)
{
	struct db db;

	pipeline_init(req, &db);
	DB_ADD(&db, sql_delete, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}

void
api_webhooks_rotate(struct request *req)
{
	struct db db;
	json_t	 *o;
	char secret[SIGNATURE_SECRET_LEN + 1], hint[SIGNATURE_HINT_LEN + 1];
	char sealed[2 + 2 * VAULT_SEALED_LEN(SIGNATURE_SECRET_BYTES) + 1];
	char overlap[24];
	int  q;

	if (req->body != NULL &&
	    reply_invalid_body(
		req, rotate_fields, CORE_ARRAY_LEN(rotate_fields)) != 0)
		return;
	if (!key_configured(req))
		return;
	o = req->body != NULL ? json_object_get(req->body, "overlap_seconds")
			      : NULL;
	snprintf(overlap, sizeof(overlap), "%lld",
	    json_is_integer(o) ? (long long)json_integer_value(o)
			       : (long long)OVERLAP_MAX);
	secret_new(secret, sealed, sizeof(sealed), hint);
	pipeline_init(req, &db);
	q = DB_ADD(
	    &db, sql_rotate, request_param(req, 0), sealed, hint, overlap);
	if (pipeline_run(req, &db) == 0)
		reply_with_secret(req, &db, q, 200, secret);
	sodium_memzero(secret, sizeof(secret));
	db_cleanup(&db);
}

void
api_webhooks_test(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_test, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 202, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

/* The log's predicates: its webhook, and status and event when asked. */
static void
deliveries_where(struct stmt *st, struct request *req, const char *webhook)
{
	const char *v;

	stmt_append(st,
	    "d.company_id = app_company_id() AND d.webhook_id = "
	    "(SELECT w.id FROM webhooks w WHERE w.public_id = :webhook "
	    "AND w.company_id = app_company_id()) ");
	stmt_bind(st, "webhook", webhook);
	if ((v = qs_get(&req->qs, "status")) != NULL) {
		stmt_append(st, "AND d.status = :status ");
		stmt_bind(st, "status", v);
	}
	if ((v = qs_get(&req->qs, "event")) != NULL) {
		stmt_append(st,
		    "AND d.message_id IN (SELECT m.id FROM webhook_messages m "
		    "WHERE m.company_id = app_company_id() AND m.type = :event) ");
		stmt_bind(st, "event", v);
	}
}

/* 400 for a status or event filter that cannot match anything. */
static int
deliveries_filters_ok(struct request *req)
{
	const char *v;

	if ((v = qs_get(&req->qs, "status")) != NULL &&
	    !validate_one_of(v, delivery_statuses)) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"status\" must be pending, delivered or "
		    "failed, not \"%.32s\"",
		    v);
		return (0);
	}
	if ((v = qs_get(&req->qs, "event")) != NULL && events_find(v) == NULL &&
	    strcmp(v, "ping") != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "unknown event type \"%.64s\"", v);
		return (0);
	}
	return (1);
}

void
api_webhooks_deliveries(struct request *req)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    qi, qt;

	if (!deliveries_filters_ok(req) || list_page(req, &page) != 0 ||
	    list_cursor(req, "deliveries", "bigint", 1, pid, sizeof(pid), value,
		sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_deliveries);
	deliveries_where(&items, req, request_param(req, 0));
	list_after(&items, "d.id", "bigint", "d.public_id", 1, value, pid);
	stmt_append(&items, "ORDER BY d.id DESC, d.public_id DESC ");
	list_limit(&items, &page, pid);
	stmt_append(&total, sql_deliveries_total);
	deliveries_where(&total, req, request_param(req, 0));
	/* The webhook first: another company's is a 404, not an empty log. */
	pipeline_init(req, &db);
	DB_ADD(&db, sql_webhook_check, request_param(req, 0));
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "deliveries", 1);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

void
api_webhooks_delivery_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(
	    &db, sql_delivery, request_param(req, 0), request_param(req, 1));
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

void
api_webhooks_delivery_retry(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(
	    &db, sql_retry, request_param(req, 0), request_param(req, 1));
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 202, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}
