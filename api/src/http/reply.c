/*
 * Responses. Every response of the API leaves through reply_typed() or
 * reply_empty(), which add the security headers, the request id and the
 * Server-Timing entry that says how long the database took and in how
 * many round trips; errors use the envelope of core/api_error.c and never
 * HTML. A second response for one request is a bug and fatal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/validate.h"
#include "http/observe.h"
#include "http/reply.h"
#include "http/request.h"

static const char csp_api[] = "default-src 'none'; frame-ancestors 'none'";

void
reply_header(struct request *req, const char *name, const char *value)
{
	http_response_header(req->http, name, value);
}

/*
 * Security headers for every response. html is REPLY_HTML for the SPA's
 * pages, which get a policy that lets them load their own scripts and
 * styles; REPLY_PREVIEW for a document shown inline (an image or a PDF),
 * which the app's own pages may frame, and which may show itself and
 * nothing else.
 */
void
reply_security_headers(struct http_request *http, int html)
{
	http_response_header(http, "x-content-type-options", "nosniff");
	http_response_header(http, "x-frame-options",
	    html == REPLY_PREVIEW ? "SAMEORIGIN" : "DENY");
	http_response_header(http, "cross-origin-opener-policy", "same-origin");
	http_response_header(
	    http, "cross-origin-resource-policy", "same-origin");
	http_response_header(http, "permissions-policy",
	    "camera=(), microphone=(), geolocation=(), payment=()");
	if (html == REPLY_PREVIEW) {
		http_response_header(http, "referrer-policy", "no-referrer");
		http_response_header(http, "content-security-policy",
		    "default-src 'none'; img-src 'self'; "
		    "style-src 'unsafe-inline'; frame-ancestors 'self'");
	} else if (html) {
		http_response_header(http, "referrer-policy", "same-origin");
		http_response_header(http, "content-security-policy",
		    "default-src 'self'; script-src 'self'; "
		    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
		    "font-src 'self'; connect-src 'self'; object-src 'none'; "
		    "base-uri 'self'; form-action 'self'; "
		    "frame-ancestors 'none'");
	} else {
		http_response_header(http, "referrer-policy", "no-referrer");
		http_response_header(http, "content-security-policy", csp_api);
	}
}

static void
standard_headers(struct request *req)
{
	char timing[96];

	if (req->responded)
		core_fatal("reply: second response for one request");
	reply_security_headers(req->http, req->preview ? REPLY_PREVIEW : 0);
	reply_header(req, "cache-control", "no-store");
	reply_header(req, "x-request-id", req->request_id);
	if (req->db_trips > 0) {
		snprintf(timing, sizeof(timing),
		    "db;dur=%.3f;desc=\"%u round trip%s\"", req->db_ms,
		    req->db_trips, req->db_trips == 1 ? "" : "s");
		reply_header(req, "server-timing", timing);
	}
}

/* Sends a body of any media type (a CSV statement, say). */
void
reply_typed(struct request *req, int status, const char *ctype,
    const char *body, size_t len)
{
	standard_headers(req);
	reply_header(req, "content-type", ctype);
	http_response(req->http, status, body, len);
	req->responded = 1;
}

/* Sends JSON text as it is. */
void
reply_body(struct request *req, int status, const char *body, size_t len)
{
	reply_typed(req, status, "application/json; charset=utf-8", body, len);
}

/* Sends j (a reference is stolen) as the body. */
void
reply_json(struct request *req, int status, json_t *j)
{
	char *s;

	if ((s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10))) == NULL)
		core_fatal("reply_json: json_dumps failed");
	json_decref(j);
	reply_body(req, status, s, strlen(s));
	free(s);
}

/* Sends JSON text made by PostgreSQL, without its inner whitespace. */
void
reply_sql_json(struct request *req, int status, const char *json)
{
	struct cbuf b;

	cbuf_init(&b, strlen(json) + 1);
	cbuf_append_json_min(&b, json);
	reply_body(req, status, b.data, b.len);
	cbuf_cleanup(&b);
}

/*
 * Sends the headers of a body that follows in chunks (http/stream.c,
 * which has marked the connection busy): no content-length.
 */
void
reply_chunked(struct request *req, int status, const char *ctype)
{
	standard_headers(req);
	reply_header(req, "content-type", ctype);
	reply_header(req, "transfer-encoding", "chunked");
	req->http->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	http_response(req->http, status, NULL, 0);
	req->responded = 1;
}

/*
 * The header of a body of length len (decimal text) that follows as a
 * stream (http/stream.c).
 */
void
reply_sized(struct request *req, int status, const char *ctype, const char *len)
{
	standard_headers(req);
	reply_header(req, "content-type", ctype);
	reply_header(req, "content-length", len);
	req->http->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	http_response(req->http, status, NULL, 0);
	req->responded = 1;
}

void
reply_empty(struct request *req, int status)
{
	standard_headers(req);
	http_response(req->http, status, NULL, 0);
	req->responded = 1;
}

void
reply_error(struct request *req, struct api_error *err)
{
	char  *s;
	size_t len;

	if (err->status >= 500)
		observe_log(OBSERVE_WARNING, req, "answered %d %s: %s",
		    err->status, err->code, err->message);
	if (err->status == 503)
		reply_header(req, "retry-after", "1");
	s = api_error_json(err, req->request_id, &len);
	reply_body(req, err->status, s, len);
	free(s);
}

void
reply_errorf(
    struct request *req, enum api_error_kind kind, const char *fmt, ...)
{
	struct api_error err;
	va_list		 ap;

	api_error_init(&err, kind);
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	reply_error(req, &err);
	api_error_cleanup(&err);
}

/*
 * Holds the request body to specs (n of them); on any field error answers
 * 422 with all of them and returns -1.
 */
int
reply_invalid_body(
    struct request *req, const struct field_spec *specs, size_t n)
{
	struct api_error err;
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	if ((rc = validate_object(req->body, specs, n, NULL, &err)) != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc);
}
