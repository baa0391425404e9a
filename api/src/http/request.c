/*
 * One request's state and its accessors: the headers, the route's
 * parameters, If-Match, and the JSON body, read and checked once for the
 * handler. edge.c fills a struct request before the handler runs;
 * request_cleanup() frees what it owns (the body, the user's permissions)
 * and wipes the session token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/etag.h"
#include "core/header.h"
#include "core/qs.h"
#include "core/router.h"
#include "core/routes.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "http/request.h"

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

void
request_init(struct request *req, struct http_request *http)
{
	memset(req, 0, sizeof(*req));
	req->http = http;
	req->method = method_bit(http->method);
	qs_init(&req->qs);
	crypto_random_b64(req->request_id, sizeof(req->request_id));
}

void
request_cleanup(struct request *req)
{
	qs_cleanup(&req->qs);
	if (req->body != NULL)
		json_decref(req->body);
	req->body = NULL;
	if (req->user.permissions != NULL)
		json_decref(req->user.permissions);
	req->user.permissions = NULL;
	sodium_memzero(req->session_token, sizeof(req->session_token));
}

const char *
request_header(struct request *req, const char *name)
{
	const char *v;

	if (!http_request_header(req->http, name, &v))
		return (NULL);
	return (v);
}

/* The If-Match version as a SQL parameter in buf, or NULL for none. */
const char *
request_if_match(struct request *req, char *buf, size_t len)
{
	long v;

	etag_if_match(request_header(req, "if-match"), &v);
	if (v < 0)
		return (NULL);
	snprintf(buf, len, "%ld", v);
	return (buf);
}

/* The i-th {param} of the matched route. */
const char *
request_param(struct request *req, size_t i)
{
	if (i >= req->match.nparams)
		core_fatal("request_param: route has no parameter %zu", i);
	return (req->match.params[i]);
}

/*
 * Reads and parses the body of a method that carries one (at most max
 * bytes of JSON). A route without a body accepts an empty one or {} only.
 * Fills req->body; returns 0, or -1 with err set.
 */
int
request_read_body(struct request *req, size_t max, struct api_error *err)
{
	struct cbuf  b;
	json_error_t jerr;
	const char  *ctype;
	char	     chunk[8192];
	ssize_t	     r;
	int	     rc = -1;

	if (!(req->method & (ROUTE_POST | ROUTE_PUT | ROUTE_PATCH)))
		return (0);
	/* An upload is read by its handler, in pieces (api_imports.c). */
	if (req->route->body == BODY_MULTIPART)
		return (0);
	if (req->http->http_body_length == 0) {
		if (req->route->body != BODY_JSON)
			return (0);
		api_error_setf(
		    err, API_ERR_VALIDATION, "request body is required");
		api_error_add_field(
		    err, "body", "required", "request body is required");
		return (-1);
	}

	ctype = request_header(req, "content-type");
	if (!header_is_json(ctype)) {
		api_error_setf(err, API_ERR_MEDIA_TYPE,
		    "content type \"%s\" is not supported",
		    ctype != NULL ? ctype : "(none)");
		api_error_hint(err,
		    "Send JSON with Content-Type: "
		    "application/json.");
		return (-1);
	}
	if (req->http->http_body_length > max) {
		api_error_setf(
		    err, API_ERR_TOO_LARGE, "request body is too large");
		api_error_detail(err,
		    "The body has %zu bytes; JSON bodies "
		    "may have at most %zu.",
		    req->http->http_body_length, max);
		return (-1);
	}

	cbuf_init(&b, req->http->http_body_length + 1);
	while ((r = http_body_read(req->http, chunk, sizeof(chunk))) > 0)
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
	req->body = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->body == NULL) {
		api_error_setf(err, API_ERR_INVALID_JSON,
		    "request body is not valid JSON");
		api_error_detail(err, "%s at line %d, column %d.", jerr.text,
		    jerr.line, jerr.column);
		goto out;
	}
	if (!json_is_object(req->body)) {
		api_error_add_field(err, "body", "invalid_type",
		    "request body must be a JSON object");
		goto out;
	}
	if (req->route->body == BODY_NONE && json_object_size(req->body) > 0) {
		(void)validate_object(req->body, NULL, 0, NULL, err);
		goto out;
	}
	rc = 0;
out:
	cbuf_cleanup(&b);
	return (rc);
}

/* The validated request body as compact JSON text; the caller frees it. */
char *
request_body_text(struct request *req)
{
	char *s;

	if ((s = json_dumps(req->body, JSON_COMPACT)) == NULL)
		core_fatal("json_dumps of a validated body failed");
	return (s);
}
