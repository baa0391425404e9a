/*
 * The HTTP edge. Kore hands every request to clientd_request(); this file
 * turns it into a checked struct api_ctx and calls the operation's handler:
 *
 *   route (404 / 405) -> query string (400) -> credentials (401 / 403 CSRF)
 *   -> body: content type (415), size (413), UTF-8 and JSON (400)
 *   -> handler
 *
 * Every response leaves through api_reply(), which adds the security
 * headers, the request id and the Server-Timing entry that says how many
 * database round trips the request cost. Errors always use the envelope
 * of core/error.c; nothing here answers in HTML.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "clientd.h"
#include "clients.h"

static const char csp_api[] = "default-src 'none'; frame-ancestors 'none'";

static void	ctx_init(struct api_ctx *, struct http_request *);
static void	ctx_cleanup(struct api_ctx *);
static void	dispatch(struct api_ctx *);
static int	read_body(struct api_ctx *, struct api_error *);
static int	read_idempotency_key(struct api_ctx *, struct api_error *);

static unsigned int
method_bit(int kore_method)
{
	switch (kore_method) {
	case HTTP_METHOD_GET:
		return (ROUTE_GET);
	case HTTP_METHOD_POST:
		return (ROUTE_POST);
	case HTTP_METHOD_PUT:
		return (ROUTE_PUT);
	case HTTP_METHOD_PATCH:
		return (ROUTE_PATCH);
	case HTTP_METHOD_DELETE:
		return (ROUTE_DELETE);
	case HTTP_METHOD_HEAD:
		return (ROUTE_HEAD);
	case HTTP_METHOD_OPTIONS:
		return (ROUTE_OPTIONS);
	default:
		return (0);
	}
}

int
clientd_request(struct http_request *req)
{
	struct api_ctx	ctx;

	ctx_init(&ctx, req);
	dispatch(&ctx);
	if (!ctx.responded) {
		kore_log(LOG_ERR, "request %s: %s %s sent no response",
		    ctx.request_id, http_method_text(req->method), req->path);
		api_reply_errorf(&ctx, API_ERR_INTERNAL, "internal error");
	}
	ctx_cleanup(&ctx);
	return (KORE_RESULT_OK);
}

static void
peer_address(struct http_request *req, char *out, size_t len)
{
	struct connection	*c = req->owner;
	const void		*addr = NULL;

	snprintf(out, len, "0.0.0.0");
	if (c->family == AF_INET)
		addr = &c->addr.ipv4.sin_addr;
	else if (c->family == AF_INET6)
		addr = &c->addr.ipv6.sin6_addr;
	if (addr != NULL)
		(void)inet_ntop(c->family, addr, out, (socklen_t)len);
}

static void
ctx_init(struct api_ctx *ctx, struct http_request *req)
{
	const char	*xff = NULL, *proto = NULL;
	char		 peer[64];

	memset(ctx, 0, sizeof(*ctx));
	ctx->req = req;
	ctx->method = method_bit(req->method);
	ctx->auth_stmt = -1;
	qs_init(&ctx->qs);
	crypto_random_b64(ctx->request_id, sizeof(ctx->request_id));

	peer_address(req, peer, sizeof(peer));
	(void)http_request_header(req, "x-forwarded-for", &xff);
	if (http_client_ip(peer, xff, clientd_cfg.trusted_proxies,
	    ctx->client_ip, sizeof(ctx->client_ip)) != 0)
		snprintf(ctx->client_ip, sizeof(ctx->client_ip), "%s", peer);

	if (http_ip_in_list(peer, clientd_cfg.trusted_proxies) &&
	    http_request_header(req, "x-forwarded-proto", &proto))
		ctx->secure = strcasecmp(proto, "https") == 0;
}

static void
ctx_cleanup(struct api_ctx *ctx)
{
	qs_cleanup(&ctx->qs);
	if (ctx->body != NULL)
		json_decref(ctx->body);
	auth_user_cleanup(&ctx->user);
	sodium_memzero(ctx->session_token, sizeof(ctx->session_token));
}

const char *
api_request_header(struct api_ctx *ctx, const char *name)
{
	const char	*v;

	if (!http_request_header(ctx->req, name, &v))
		return (NULL);
	return (v);
}

/* The If-Match version as a SQL parameter in buf, or NULL for none. */
const char *
api_if_match(struct api_ctx *ctx, char *buf, size_t len)
{
	long	v;

	if_match_version(api_request_header(ctx, "if-match"), &v);
	if (v < 0)
		return (NULL);
	snprintf(buf, len, "%ld", v);
	return (buf);
}

/* The i-th {param} of the matched route. */
const char *
api_param(struct api_ctx *ctx, size_t i)
{
	if (i >= ctx->match.nparams)
		core_fatal("api_param: route has no parameter %zu", i);
	return (ctx->match.params[i]);
}

static int
is_api_path(const char *path)
{
	return (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0);
}

static void
dispatch(struct api_ctx *ctx)
{
	struct api_error	 err;
	api_handler		 fn;
	char			 allow[96];
	int			 rc;

	api_error_init(&err, API_ERR_INTERNAL);
	rc = router_match(api_routes, api_routes_count, sizeof(api_routes[0]),
	    ctx->method, ctx->req->path, &ctx->match);

	if (rc == CORE_E_NOTFOUND && !is_api_path(ctx->req->path)) {
		static_serve(ctx);
		goto out;
	}
	if (rc == CORE_E_NOTFOUND) {
		api_error_setf(&err, API_ERR_ROUTE_NOT_FOUND,
		    "no route for \"%s\"", ctx->req->path);
		api_error_hint(&err, "The API reference is openapi.yaml; "
		    "paths start with /api/v1/.");
		api_reply_error(ctx, &err);
		goto out;
	}
	if (rc == CORE_E_METHOD) {
		router_allow_header(ctx->match.allowed, allow, sizeof(allow));
		api_header(ctx, "allow", allow);
		if (ctx->method == ROUTE_OPTIONS) {
			api_reply_empty(ctx, 204);
			goto out;
		}
		api_error_setf(&err, API_ERR_METHOD, "method %s is not allowed "
		    "on \"%s\"", http_method_text(ctx->req->method),
		    ctx->req->path);
		api_error_detail(&err, "Allowed: %s.", allow);
		api_reply_error(ctx, &err);
		goto out;
	}

	ctx->route = &api_routes[ctx->match.index];
	if (qs_parse(&ctx->qs, ctx->req->query_string, &err) != 0 ||
	    qs_check_allowed(&ctx->qs, ctx->route->query, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}
	if (auth_credentials(ctx, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}
	if (ctx->route->auth == AUTH_REQUIRED && ctx->cred == CRED_NONE) {
		api_error_setf(&err, API_ERR_UNAUTHORIZED,
		    "authentication required");
		api_error_hint(&err, "Log in (POST /api/v1/login) or send an "
		    "API token in X-API-Token or Authorization: Bearer.");
		api_reply_error(ctx, &err);
		goto out;
	}
	if (read_body(ctx, &err) != 0 || read_idempotency_key(ctx, &err) != 0) {
		api_reply_error(ctx, &err);
		goto out;
	}

	fn = routes_handler(ctx->route->op);
	fn(ctx);
out:
	api_error_cleanup(&err);
}

/*
 * Reads and parses the request body for methods that carry one. A route
 * without a body accepts an empty one or {} only. Fills ctx->body.
 */
static int
read_body(struct api_ctx *ctx, struct api_error *err)
{
	struct cbuf	 b;
	json_error_t	 jerr;
	const char	*ctype;
	char		 chunk[8192];
	ssize_t		 r;
	int		 rc = -1;

	if (!(ctx->method & (ROUTE_POST | ROUTE_PUT | ROUTE_PATCH)))
		return (0);
	if (ctx->req->http_body_length == 0) {
		if (ctx->route->body == BODY_NONE)
			return (0);
		api_error_setf(err, API_ERR_VALIDATION,
		    "request body is required");
		api_error_add_field(err, "body", "required",
		    "request body is required");
		return (-1);
	}

	ctype = api_request_header(ctx, "content-type");
	if (!http_content_type_is_json(ctype)) {
		api_error_setf(err, API_ERR_MEDIA_TYPE,
		    "content type \"%s\" is not supported",
		    ctype != NULL ? ctype : "(none)");
		api_error_hint(err, "Send JSON with Content-Type: "
		    "application/json.");
		return (-1);
	}
	if (ctx->req->http_body_length > clientd_cfg.json_body_max) {
		api_error_setf(err, API_ERR_TOO_LARGE,
		    "request body is too large");
		api_error_detail(err, "The body has %zu bytes; JSON bodies "
		    "may have at most %zu.", ctx->req->http_body_length,
		    clientd_cfg.json_body_max);
		return (-1);
	}

	cbuf_init(&b, ctx->req->http_body_length + 1);
	while ((r = http_body_read(ctx->req, chunk, sizeof(chunk))) > 0)
		cbuf_append(&b, chunk, (size_t)r);
	if (r < 0) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "could not read the request body");
		goto out;
	}
	if (!utf8_valid(b.data, b.len)) {
		api_error_setf(err, API_ERR_INVALID_UTF8,
		    "request body is not valid UTF-8");
		goto out;
	}
	ctx->body = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &jerr);
	if (ctx->body == NULL) {
		api_error_setf(err, API_ERR_INVALID_JSON,
		    "request body is not valid JSON");
		api_error_detail(err, "%s at line %d, column %d.", jerr.text,
		    jerr.line, jerr.column);
		goto out;
	}
	if (!json_is_object(ctx->body)) {
		api_error_add_field(err, "body", "invalid_type",
		    "request body must be a JSON object");
		goto out;
	}
	if (ctx->route->body == BODY_NONE && json_object_size(ctx->body) > 0) {
		(void)validate_object(ctx->body, NULL, 0, NULL, err);
		goto out;
	}
	rc = 0;
out:
	cbuf_cleanup(&b);
	return (rc);
}

/*
 * Idempotency-Key: only routes that declare ROUTE_IDEMPOTENT take it (a
 * key sent elsewhere is refused rather than silently ignored), and those
 * with ROUTE_KEY_REQUIRED (money) refuse a request without one. The
 * request's fingerprint decides whether a reuse of the key is a replay.
 */
static int
read_idempotency_key(struct api_ctx *ctx, struct api_error *err)
{
	const char	*k;

	if ((k = api_request_header(ctx, "idempotency-key")) == NULL) {
		if (!(ctx->route->flags & ROUTE_KEY_REQUIRED))
			return (0);
		api_error_setf(err, API_ERR_BAD_REQUEST, "Idempotency-Key is "
		    "required by %s %s", http_method_text(ctx->req->method),
		    ctx->route->def.pattern);
		api_error_field(err, "Idempotency-Key");
		api_error_hint(err, "Send a new unique key (a UUID) with each "
		    "entry, and the same key again when retrying it: a retry "
		    "then never posts twice.");
		return (-1);
	}
	if (!(ctx->route->flags & ROUTE_IDEMPOTENT)) {
		api_error_setf(err, API_ERR_BAD_REQUEST, "Idempotency-Key is "
		    "not supported by %s %s", http_method_text(ctx->req->method),
		    ctx->route->def.pattern);
		api_error_field(err, "Idempotency-Key");
		api_error_hint(err, ctx->route->op == OP_TOKENS_CREATE ?
		    "A token's secret is shown only once, so its creation "
		    "cannot be replayed." : "Leave the header out here.");
		return (-1);
	}
	if (!idempotency_key_valid(k)) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "invalid Idempotency-Key");
		api_error_field(err, "Idempotency-Key");
		api_error_detail(err, "A key has 1 to 255 visible ASCII "
		    "characters; a UUID is a good choice.");
		return (-1);
	}
	snprintf(ctx->idem_key, sizeof(ctx->idem_key), "%s", k);
	idempotency_fingerprint(http_method_text(ctx->req->method),
	    ctx->req->path, ctx->body, ctx->idem_fp);
	return (0);
}

/* Queues idem_begin() when the request has an Idempotency-Key. */
void
api_idem_add(struct api_ctx *ctx, struct db *db)
{
	if (ctx->idem_key[0] != '\0')
		DB_ADD(db, "SELECT idem_begin($1, $2)", ctx->idem_key,
		    ctx->idem_fp);
}

/* The key as a SQL parameter (NULL without one), for idem_store(). */
const char *
api_idem_key(struct api_ctx *ctx)
{
	return (ctx->idem_key[0] != '\0' ? ctx->idem_key : NULL);
}

/* ---- responses ------------------------------------------------------- */

void
api_header(struct api_ctx *ctx, const char *name, const char *value)
{
	http_response_header(ctx->req, name, value);
}

/*
 * Security headers for every response. html is set for the SPA's pages,
 * which get a policy that lets them load their own scripts and styles.
 */
void
api_security_headers(struct http_request *req, int html)
{
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "cross-origin-resource-policy", "same-origin");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=(), payment=()");
	if (html) {
		http_response_header(req, "referrer-policy", "same-origin");
		http_response_header(req, "content-security-policy",
		    "default-src 'self'; script-src 'self'; "
		    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
		    "font-src 'self'; connect-src 'self'; object-src 'none'; "
		    "base-uri 'self'; form-action 'self'; "
		    "frame-ancestors 'none'");
	} else {
		http_response_header(req, "referrer-policy", "no-referrer");
		http_response_header(req, "content-security-policy", csp_api);
	}
}

static void
reply_headers(struct api_ctx *ctx)
{
	char	timing[96];

	api_security_headers(ctx->req, 0);
	api_header(ctx, "cache-control", "no-store");
	api_header(ctx, "x-request-id", ctx->request_id);
	if (ctx->db_trips > 0) {
		snprintf(timing, sizeof(timing),
		    "db;dur=%.3f;desc=\"%u round trip%s\"", ctx->db_ms,
		    ctx->db_trips, ctx->db_trips == 1 ? "" : "s");
		api_header(ctx, "server-timing", timing);
	}
}

void
api_reply(struct api_ctx *ctx, int status, const char *body, size_t len)
{
	api_reply_typed(ctx, status, "application/json; charset=utf-8", body,
	    len);
}

/* Sends a body of another media type (a CSV export, say). */
void
api_reply_typed(struct api_ctx *ctx, int status, const char *ctype,
    const char *body, size_t len)
{
	if (ctx->responded)
		core_fatal("api_reply: second response for one request");
	reply_headers(ctx);
	api_header(ctx, "content-type", ctype);
	http_response(ctx->req, status, body, len);
	ctx->responded = 1;
}

/*
 * Holds the request body to specs (n of them); on any field error replies
 * 422 with all of them and returns -1.
 */
int
api_check_body(struct api_ctx *ctx, const struct field_spec *specs, size_t n)
{
	struct api_error	err;
	int			rc;

	api_error_init(&err, API_ERR_VALIDATION);
	if ((rc = validate_object(ctx->body, specs, n, NULL, &err)) != 0)
		api_reply_error(ctx, &err);
	api_error_cleanup(&err);
	return (rc);
}

/* The validated request body as compact JSON text; the caller frees it. */
char *
api_body_text(struct api_ctx *ctx)
{
	char	*s;

	if ((s = json_dumps(ctx->body, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of a validated body failed");
	return (s);
}

/* Sends j (a reference is stolen) as the body. */
void
api_reply_json(struct api_ctx *ctx, int status, json_t *j)
{
	char	*s;

	if ((s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10))) == NULL)
		core_fatal("api_reply_json: json_dumps failed");
	json_decref(j);
	api_reply(ctx, status, s, strlen(s));
	free(s);
}

/* Sends JSON text made by PostgreSQL, without its inner whitespace. */
void
api_reply_sql_json(struct api_ctx *ctx, int status, const char *json)
{
	struct cbuf	b;

	cbuf_init(&b, strlen(json) + 1);
	cbuf_append_json_min(&b, json);
	api_reply(ctx, status, b.data, b.len);
	cbuf_cleanup(&b);
}

void
api_reply_empty(struct api_ctx *ctx, int status)
{
	if (ctx->responded)
		core_fatal("api_reply_empty: second response for one request");
	reply_headers(ctx);
	http_response(ctx->req, status, NULL, 0);
	ctx->responded = 1;
}

void
api_reply_error(struct api_ctx *ctx, struct api_error *err)
{
	char	*s;
	size_t	 len;

	if (err->status >= 500)
		kore_log(LOG_NOTICE, "request %s: %d %s: %s", ctx->request_id,
		    err->status, err->code, err->message);
	if (err->status == 503)
		api_header(ctx, "retry-after", "1");
	s = api_error_json(err, ctx->request_id, &len);
	api_reply(ctx, err->status, s, len);
	free(s);
}

void
api_reply_errorf(struct api_ctx *ctx, enum api_error_kind kind,
    const char *fmt, ...)
{
	struct api_error	err;
	va_list			ap;

	api_error_init(&err, kind);
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	api_reply_error(ctx, &err);
	api_error_cleanup(&err);
}
