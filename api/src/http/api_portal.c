/*
 * The client portal's doors: the portal's public facts, sign-in and
 * sign-out, "Forgot your password?" and magic sign-in links, following a
 * link (invitation, reset, magic, registration confirmation, staff entering
 * as a contact), self-registration, and the signed-in contact with its
 * client picker. Every path names the company by its portal slug
 * ({company}); what the contact sees and changes is in api_portal_client.c.
 *
 * Passwords are hashed and checked with argon2id on Kore task threads
 * (http/hashing.c), never on the event loop. Link secrets are 32 random
 * bytes (base64url) that travel in the URL's fragment and then in a POST
 * body, so no secret is ever in a path the request log writes; the
 * database keeps their SHA-256. Answers to reset and magic-link requests
 * and to registrations are the same whether the email is known or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/numbers.h"
#include "core/portal.h"
#include "core/validate.h"
#include "http/auth.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/hashing.h"
#include "http/module.h"
#include "http/pipeline.h"
#include "http/portal_auth.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
#define SESSION_MAX_AGE		"604800"	/* 7 days, as portal sessions */
#define SLUG_MAX		(PORTAL_SLUG_MAX + 1)

static const char sql_info[] = "SELECT portal_info($1) AS item";

static const char sql_login_begin[] =
    "SELECT attempt_id, password_hash, retry_after "
    "FROM portal_login_begin($1, $2, $3::inet)";

static const char sql_login_fail[] =
    "SELECT portal_attempt_end($1::bigint, false)";

static const char sql_login_succeed[] =
    "SELECT portal_login_succeed($1, $2::bigint, $3, $4::bytea, $5::inet, "
    "    $6, $7) AS item";

static const char sql_session_end[] =
    "SELECT portal_session_end($1::bytea)";

static const char sql_mail_request[] =
    "SELECT portal_mail_request($1, $2, $3, $4::inet, $5, $6::bytea, $7) "
    "    AS retry_after";

static const char sql_link_check[] =
    "SELECT portal_link_check($1, $2::bytea) AS item";

static const char sql_link_redeem[] =
    "SELECT portal_link_redeem($1, $2::bytea, $3, $4::bytea, $5::inet, $6) "
    "    AS item";

static const char sql_register_begin[] =
    "SELECT retry_after, pattern, padding, local_time "
    "FROM portal_register_begin($1, $2::inet)";

static const char sql_register[] =
    "SELECT portal_register($1, $2::jsonb, $3, $4::int, $5, $6, $7::bytea, "
    "    $8)";

static const char sql_me[] = "SELECT portal_me() AS item";

static const char sql_select[] = "SELECT portal_select($1) AS item";
/* clang-format on */

static const struct field_spec login_fields[] = {
	{ "email", FIELD_EMAIL, FIELD_REQUIRED, 254, NULL, 0, 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
};

static const struct field_spec email_fields[] = {
	{ "email", FIELD_EMAIL, FIELD_REQUIRED, 254, NULL, 0, 0 },
};

static const struct field_spec check_fields[] = {
	{ "token", FIELD_STRING, FIELD_REQUIRED, 128, NULL, 0, 0 },
};

static const struct field_spec redeem_fields[] = {
	{ "token", FIELD_STRING, FIELD_REQUIRED, 128, NULL, 0, 0 },
	{ "password", FIELD_TEXT, 0, 1024, NULL, 0, 0 },
};

/* Every field a registration form can have (the setting picks). */
static const struct field_spec register_fields[] = {
	{ "email", FIELD_EMAIL, FIELD_REQUIRED, 254, NULL, 0, 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, 1024, NULL, 0, 0 },
	{ "name", FIELD_STRING, 0, 200, NULL, 0, 0 },
	{ "first_name", FIELD_STRING, 0, 100, NULL, 0, 0 },
	{ "last_name", FIELD_STRING, 0, 100, NULL, 0, 0 },
	{ "phone", FIELD_STRING, 0, 64, NULL, 0, 0 },
	{ "website", FIELD_STRING, 0, 255, NULL, 0, 0 },
	{ "vat_number", FIELD_STRING, 0, 64, NULL, 0, 0 },
	{ "address1", FIELD_STRING, 0, 200, NULL, 0, 0 },
	{ "city", FIELD_STRING, 0, 100, NULL, 0, 0 },
	{ "postal_code", FIELD_STRING, 0, 32, NULL, 0, 0 },
	{ "country", FIELD_COUNTRY, 0, 2, NULL, 0, 0 },
	{ PORTAL_HONEYPOT, FIELD_STRING, 0, 1000, NULL, 0, 0 },
};

static const struct field_spec select_fields[] = {
	{ "client", FIELD_ID, FIELD_REQUIRED, 0, NULL, 0, 0 },
};

/* A path's company that cannot be a portal slug: 404 without a lookup. */
static int
slug_refused(struct request *req)
{
	struct api_error err;

	if (portal_slug_ok(portal_auth_slug(req)))
		return (0);
	api_error_init(&err, API_ERR_NOT_FOUND);
	api_error_setf(&err, API_ERR_NOT_FOUND, "portal not found");
	api_error_detail(
	    &err, "No client portal is at \"%s\".", portal_auth_slug(req));
	reply_error(req, &err);
	api_error_cleanup(&err);
	return (1);
}

/* 429 with Retry-After for a paused sign-in, request or registration. */
static void
throttled(struct request *req, const char *what, const char *retry_after)
{
	struct api_error err;

	api_error_init(&err, API_ERR_THROTTLED);
	api_error_setf(&err, API_ERR_THROTTLED, "too many %s", what);
	api_error_detail(&err,
	    "They are paused for this address (or this email) for %s "
	    "seconds.",
	    retry_after);
	api_error_hint(&err, "Wait, then try again.");
	reply_header(req, "retry-after", retry_after);
	reply_error(req, &err);
	api_error_cleanup(&err);
}

/*
 * Answers with the signed-in contact (portal_me_json()'s object, statement
 * i's "item") and the CSRF token of the session token; sets the cookie
 * when token is a new session's.
 */
static void
reply_me(
    struct request *req, struct db *db, int i, const char *token, int status)
{
	json_t *me;
	char	csrf[CSRF_TOKEN_LEN + 1];

	if ((me = json_loads(db_get(db, i, 0, "item"), 0, NULL)) == NULL)
		core_fatal("portal: me is not JSON");
	crypto_csrf_token(token, csrf);
	json_object_set_new(me, "csrf_token", json_string(csrf));
	if (token != req->session_token)
		portal_auth_cookie(req, token, SESSION_MAX_AGE);
	reply_json(req, status, me);
}

/* ---- the portal's facts ------------------------------------------------------ */

void
api_portal_info(struct request *req)
{
	struct db db;
	int	  q;

	if (slug_refused(req))
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_info, portal_auth_slug(req));
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
}

/* ---- signing in and out ------------------------------------------------------ */

struct login {
	char attempt_id[24];
	char email[256];
};

static void
login_refuse(struct request *req, const struct login *l)
{
	struct api_error err;
	struct db	 db;

	api_error_init(&err, API_ERR_UNAUTHORIZED);
	pipeline_init(req, &db);
	DB_ADD(&db, sql_login_fail, l->attempt_id);
	if (pipeline_run(req, &db) == 0) {
		api_error_setf(
		    &err, API_ERR_UNAUTHORIZED, "invalid email or password");
		api_error_hint(&err,
		    "Forgot your password? Ask for a link to set a new one "
		    "(POST /api/v1/portal/{company}/password-reset). If you "
		    "registered recently, follow the link in the email we "
		    "sent first.");
		reply_error(req, &err);
	}
	db_cleanup(&db);
	api_error_cleanup(&err);
}

static void
login_open(struct request *req, const struct login *l, const char *rehash)
{
	struct db   db;
	const char *agent;
	char	    token[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	int	    q;

	crypto_new_session_token(token);
	auth_hash_secret(token, hash);
	agent = req->http->agent != NULL ? req->http->agent : "";
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_login_succeed, portal_auth_slug(req), l->attempt_id,
	    l->email, hash, req->client_ip, agent,
	    rehash[0] != '\0' ? rehash : NULL);
	if (pipeline_run(req, &db) == 0)
		reply_me(req, &db, q, token, 200);
	sodium_memzero(token, sizeof(token));
	db_cleanup(&db);
}

static void
login_checked(struct request *req, struct hashing *h)
{
	struct login l;

	memcpy(&l, h->data, sizeof(l));
	if (h->ok)
		login_open(req, &l, h->rehash);
	else
		login_refuse(req, &l);
}

/*
 * POST /portal/{company}/login. The attempt is counted first (per company
 * and email, and per address); an email without a portal password costs
 * the same argon2id work as a wrong password and gets the same answer.
 */
void
api_portal_login(struct request *req)
{
	struct login l;
	struct db    db;
	const char  *email, *password, *hash;
	char	     retry[16];
	int	     q;

	if (slug_refused(req))
		return;
	pipeline_init(req, &db);
	if (reply_invalid_body(req, login_fields, CORE_ARRAY_LEN(login_fields)))
		goto out;
	email = json_string_value(json_object_get(req->body, "email"));
	password = json_string_value(json_object_get(req->body, "password"));
	q = DB_ADD(
	    &db, sql_login_begin, portal_auth_slug(req), email, req->client_ip);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		throttled(req, "sign-in attempts", retry);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	snprintf(l.attempt_id, sizeof(l.attempt_id), "%s",
	    db_get(&db, q, 0, "attempt_id"));
	snprintf(l.email, sizeof(l.email), "%s", email);
	hash = db_isnull(&db, q, 0, "password_hash")
	    ? ""
	    : db_get(&db, q, 0, "password_hash");
	(void)hashing_start(
	    req, HASHING_VERIFY, password, hash, &l, sizeof(l), login_checked);
out:
	db_cleanup(&db);
}

/* POST /portal/{company}/logout: ends the cookie's session (CSRF-checked). */
void
api_portal_logout(struct request *req)
{
	struct api_error err;
	struct db	 db;

	api_error_init(&err, API_ERR_UNAUTHORIZED);
	pipeline_init(req, &db);
	if (!portal_auth_cookie_token(req, req->session_token)) {
		api_error_setf(&err, API_ERR_UNAUTHORIZED, "not signed in");
		reply_error(req, &err);
		goto out;
	}
	if (!auth_csrf_ok(req)) {
		api_error_setf(
		    &err, API_ERR_CSRF, "missing or invalid CSRF token");
		api_error_hint(&err, "Send the csrf_token in X-CSRF-Token.");
		reply_error(req, &err);
		goto out;
	}
	auth_hash_secret(req->session_token, req->cred_hash);
	DB_ADD(&db, sql_session_end, req->cred_hash);
	if (pipeline_run(req, &db) == 0) {
		portal_auth_cookie(req, "", "0");
		reply_empty(req, 204);
	}
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/* ---- links by mail: reset and magic sign-in ------------------------------- */

static void
mail_request(struct request *req, const char *kind)
{
	struct db   db;
	const char *email;
	char	    secret[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	char	    retry[16];
	int	    q;

	if (slug_refused(req))
		return;
	pipeline_init(req, &db);
	if (reply_invalid_body(req, email_fields, CORE_ARRAY_LEN(email_fields)))
		goto out;
	email = json_string_value(json_object_get(req->body, "email"));
	crypto_new_session_token(secret);
	auth_hash_secret(secret, hash);
	q = DB_ADD(&db, sql_mail_request, portal_auth_slug(req), kind, email,
	    req->client_ip, secret, hash, module_cfg.public_url);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		throttled(req, "requests for links", retry);
		goto out;
	}
	reply_json(req, 202,
	    json_pack("{s:s}", "message",
		"If this address may use the portal, a link is on its way "
		"to it."));
out:
	sodium_memzero(secret, sizeof(secret));
	db_cleanup(&db);
}

void
api_portal_reset(struct request *req)
{
	mail_request(req, "reset");
}

void
api_portal_magic(struct request *req)
{
	mail_request(req, "magic");
}

/* ---- following a link ------------------------------------------------------- */

/*
 * The hash of the body's token; a token that cannot be a link's secret
 * is answered 410 here, as an unknown one would be.
 */
static int
token_hash(struct request *req, char hash[AUTH_HASH_LEN])
{
	struct api_error err;
	const char	*tok;
	size_t		 i;

	tok = json_string_value(json_object_get(req->body, "token"));
	for (i = 0; tok[i] != '\0'; i++) {
		if (strchr(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_",
			tok[i]) == NULL)
			break;
	}
	if (tok[i] == '\0' && i == SESSION_TOKEN_LEN) {
		auth_hash_secret(tok, hash);
		return (0);
	}
	api_error_init(&err, API_ERR_GONE);
	api_error_setf(&err, API_ERR_GONE, "link is invalid, used or expired");
	api_error_hint(&err, "Ask for a new one.");
	reply_error(req, &err);
	api_error_cleanup(&err);
	return (-1);
}

void
api_portal_link_check(struct request *req)
{
	struct db db;
	char	  hash[AUTH_HASH_LEN];
	int	  q;

	if (slug_refused(req))
		return;
	pipeline_init(req, &db);
	if (reply_invalid_body(
		req, check_fields, CORE_ARRAY_LEN(check_fields)) ||
	    token_hash(req, hash) != 0)
		goto out;
	q = DB_ADD(&db, sql_link_check, portal_auth_slug(req), hash);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 200, db_get(&db, q, 0, "item"));
out:
	db_cleanup(&db);
}

static void
redeem(struct request *req, const char *link_hash, const char *password_hash)
{
	struct db   db;
	const char *agent;
	char	    token[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];
	int	    q;

	crypto_new_session_token(token);
	auth_hash_secret(token, hash);
	agent = req->http->agent != NULL ? req->http->agent : "";
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_link_redeem, portal_auth_slug(req), link_hash,
	    password_hash, hash, req->client_ip, agent);
	if (pipeline_run(req, &db) == 0)
		reply_me(req, &db, q, token, 200);
	sodium_memzero(token, sizeof(token));
	db_cleanup(&db);
}

static void
redeem_hashed(struct request *req, struct hashing *h)
{
	if (!h->ok) {
		reply_errorf(req, API_ERR_INTERNAL, "internal error");
		return;
	}
	redeem(req, h->data, h->hash);
}

/*
 * POST /portal/{company}/links/redeem {token[, password]}: an invitation
 * or reset link takes the new password (hashed on a task thread first);
 * any link signs the contact in.
 */
void
api_portal_link_redeem(struct request *req)
{
	struct api_error err;
	json_t		*pw;
	char		 hash[AUTH_HASH_LEN];

	if (slug_refused(req))
		return;
	api_error_init(&err, API_ERR_VALIDATION);
	if (reply_invalid_body(
		req, redeem_fields, CORE_ARRAY_LEN(redeem_fields)) ||
	    token_hash(req, hash) != 0)
		goto out;
	pw = json_object_get(req->body, "password");
	if (pw == NULL || json_is_null(pw)) {
		redeem(req, hash, NULL);
		goto out;
	}
	if (portal_password_check(json_string_value(pw), "password", &err) !=
	    0) {
		reply_error(req, &err);
		goto out;
	}
	(void)hashing_start(req, HASHING_HASH, json_string_value(pw), NULL,
	    hash, sizeof(hash), redeem_hashed);
out:
	api_error_cleanup(&err);
}

/* ---- registration ----------------------------------------------------------- */

struct registration {
	char template[NUMBER_MAX * 4 + 1];
	char padding[16];
};

/* The same answer for every registration that got this far. */
static void
registered(struct request *req)
{
	reply_json(req, 202,
	    json_pack("{s:s}", "message",
		"Thank you. Check your email: we sent a link to confirm the "
		"address and sign in."));
}

static void
register_hashed(struct request *req, struct hashing *h)
{
	struct registration r;
	struct db	    db;
	char		   *body;
	char		    secret[SESSION_TOKEN_LEN + 1], hash[AUTH_HASH_LEN];

	if (!h->ok) {
		reply_errorf(req, API_ERR_INTERNAL, "internal error");
		return;
	}
	memcpy(&r, h->data, sizeof(r));
	json_object_del(req->body, "password");
	json_object_del(req->body, PORTAL_HONEYPOT);
	body = request_body_text(req);
	crypto_new_session_token(secret);
	auth_hash_secret(secret, hash);
	pipeline_init(req, &db);
	DB_ADD(&db, sql_register, portal_auth_slug(req), body, r.template,
	    r.padding, h->hash, secret, hash, module_cfg.public_url);
	if (pipeline_run(req, &db) == 0)
		registered(req);
	sodium_memzero(secret, sizeof(secret));
	free(body);
	db_cleanup(&db);
}

/* The number pattern expanded for a registration (as for any client). */
static int
register_template(
    struct request *req, struct db *db, int q, struct registration *r)
{
	struct number_vars vars;

	memset(&vars, 0, sizeof(vars));
	if (strptime(db_get(db, q, 0, "local_time"), "%Y-%m-%d %H:%M:%S",
		&vars.now) == NULL)
		core_fatal("portal_register_begin: bad local_time");
	vars.client_id_number = "";
	vars.user_id = "";
	if (numbers_template(db_get(db, q, 0, "pattern"), &vars, r->template,
		sizeof(r->template)) != 0) {
		reply_errorf(req, API_ERR_CONFLICT,
		    "the company's client number pattern gives no usable "
		    "number");
		return (-1);
	}
	snprintf(
	    r->padding, sizeof(r->padding), "%s", db_get(db, q, 0, "padding"));
	return (0);
}

/*
 * POST /portal/{company}/register: 404 when the company takes no
 * registrations; counted per address; a filled honeypot is answered as a
 * registration and does nothing. The password is hashed on a task thread,
 * then portal_register() creates the client or, for an email the company
 * already has, mails its owner: the answer is the same.
 */
void
api_portal_register(struct request *req)
{
	struct api_error    err;
	struct registration r;
	struct db	    db;
	json_t		   *hp;
	char		    retry[16];
	int		    q;

	if (slug_refused(req))
		return;
	api_error_init(&err, API_ERR_VALIDATION);
	pipeline_init(req, &db);
	if (reply_invalid_body(
		req, register_fields, CORE_ARRAY_LEN(register_fields)))
		goto out;
	if (portal_password_check(
		json_string_value(json_object_get(req->body, "password")),
		"password", &err) != 0) {
		reply_error(req, &err);
		goto out;
	}
	q = DB_ADD(
	    &db, sql_register_begin, portal_auth_slug(req), req->client_ip);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(retry, sizeof(retry), "%s", db_get(&db, q, 0, "retry_after"));
	if (strcmp(retry, "0") != 0) {
		throttled(req, "registrations", retry);
		goto out;
	}
	hp = json_object_get(req->body, PORTAL_HONEYPOT);
	if (hp != NULL && json_is_string(hp) && json_string_length(hp) > 0) {
		registered(req);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	if (register_template(req, &db, q, &r) != 0)
		goto out;
	(void)hashing_start(req, HASHING_HASH,
	    json_string_value(json_object_get(req->body, "password")), NULL, &r,
	    sizeof(r), register_hashed);
out:
	db_cleanup(&db);
	api_error_cleanup(&err);
}

/* ---- the signed-in contact ---------------------------------------------------- */

void
api_portal_me(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_me);
	if (pipeline_run(req, &db) == 0)
		reply_me(req, &db, q, req->session_token, 200);
	db_cleanup(&db);
}

/* POST /portal/{company}/select {client}: the picker. */
void
api_portal_select(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	if (reply_invalid_body(
		req, select_fields, CORE_ARRAY_LEN(select_fields)))
		goto out;
	q = DB_ADD(&db, sql_select,
	    json_string_value(json_object_get(req->body, "client")));
	if (pipeline_run(req, &db) == 0)
		reply_me(req, &db, q, req->session_token, 200);
out:
	db_cleanup(&db);
}
