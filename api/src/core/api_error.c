/*
 * The error contract: every error the API returns is one envelope,
 *
 *   { "error": { "status", "code", "message", "detail", "hint", "field",
 *                "errors": [ { "field", "code", "message" } ],
 *                "request_id" } }
 *
 * with messages in PostgreSQL's style (short lower-case primary message,
 * detail and hint as sentences). The table below is the one place that
 * ties a kind of error to its HTTP status and machine-readable code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/utf8.h"

static const struct api_error_def error_defs[API_ERR__COUNT] = {
	[API_ERR_BAD_REQUEST] = { API_ERR_BAD_REQUEST, 400, "bad_request",
	    "bad request" },
	[API_ERR_INVALID_JSON] = { API_ERR_INVALID_JSON, 400, "invalid_json",
	    "request body is not valid JSON" },
	[API_ERR_INVALID_UTF8] = { API_ERR_INVALID_UTF8, 400, "invalid_utf8",
	    "request is not valid UTF-8" },
	[API_ERR_VALIDATION] = { API_ERR_VALIDATION, 422, "validation_failed",
	    "request has invalid fields" },
	[API_ERR_UNAUTHORIZED] = { API_ERR_UNAUTHORIZED, 401, "unauthorized",
	    "authentication required" },
	[API_ERR_CSRF] = { API_ERR_CSRF, 403, "csrf_failed",
	    "missing or invalid CSRF token" },
	[API_ERR_FORBIDDEN] = { API_ERR_FORBIDDEN, 403, "forbidden",
	    "permission denied" },
	[API_ERR_NOT_FOUND] = { API_ERR_NOT_FOUND, 404, "not_found",
	    "resource not found" },
	[API_ERR_ROUTE_NOT_FOUND] = { API_ERR_ROUTE_NOT_FOUND, 404,
	    "route_not_found", "no such route" },
	[API_ERR_METHOD] = { API_ERR_METHOD, 405, "method_not_allowed",
	    "method not allowed" },
	[API_ERR_CONFLICT] = { API_ERR_CONFLICT, 409, "conflict",
	    "request conflicts with the current state" },
	[API_ERR_PRECONDITION] = { API_ERR_PRECONDITION, 412,
	    "precondition_failed", "resource has changed" },
	[API_ERR_TOO_LARGE] = { API_ERR_TOO_LARGE, 413, "payload_too_large",
	    "request body is too large" },
	[API_ERR_MEDIA_TYPE] = { API_ERR_MEDIA_TYPE, 415,
	    "unsupported_media_type", "unsupported content type" },
	[API_ERR_THROTTLED] = { API_ERR_THROTTLED, 429, "too_many_requests",
	    "too many attempts" },
	[API_ERR_INTERNAL] = { API_ERR_INTERNAL, 500, "internal_error",
	    "internal error" },
	[API_ERR_UNAVAILABLE] = { API_ERR_UNAVAILABLE, 503,
	    "service_unavailable", "service temporarily unavailable" },
	[API_ERR_PRECONDITION_REQUIRED] = { API_ERR_PRECONDITION_REQUIRED, 428,
	    "precondition_required", "precondition required" },
	[API_ERR_GONE] = { API_ERR_GONE, 410, "gone", "no longer available" },
	[API_ERR_RANGE] = { API_ERR_RANGE, 416, "range_not_satisfiable",
	    "range not satisfiable" },
};

const struct api_error_def *
api_error_def(enum api_error_kind kind)
{
	if ((int)kind < 0 || kind >= API_ERR__COUNT)
		core_fatal("api_error_def: unknown kind %d", (int)kind);
	return (&error_defs[kind]);
}

void
api_error_init(struct api_error *err, enum api_error_kind kind)
{
	const struct api_error_def *def;

	memset(err, 0, sizeof(*err));
	def = api_error_def(kind);
	err->status = def->status;
	err->code = def->code;
	snprintf(err->message, sizeof(err->message), "%s", def->message);
}

void
api_error_cleanup(struct api_error *err)
{
	if (err->errors != NULL)
		json_decref(err->errors);
	err->errors = NULL;
}

void
api_error_setf(
    struct api_error *err, enum api_error_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	api_error_vsetf(err, kind, fmt, ap);
	va_end(ap);
}

void
api_error_vsetf(struct api_error *err, enum api_error_kind kind,
    const char *fmt, va_list ap)
{
	api_error_cleanup(err);
	api_error_init(err, kind);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

void
api_error_detail(struct api_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void
api_error_hint(struct api_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void
api_error_field(struct api_error *err, const char *field)
{
	snprintf(err->field, sizeof(err->field), "%s", field);
}

/*
 * Adds a field error (422) and turns err into a validation error if it
 * is not one yet. The first field error also names the envelope's field.
 */
void
api_error_add_field(struct api_error *err, const char *field, const char *code,
    const char *fmt, ...)
{
	va_list ap;
	char	msg[256];

	if (err->status != 422)
		api_error_setf(err, API_ERR_VALIDATION, "%s",
		    api_error_def(API_ERR_VALIDATION)->message);
	if (err->errors == NULL)
		err->errors = json_array();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (json_array_size(err->errors) == 0) {
		api_error_field(err, field);
		snprintf(err->message, sizeof(err->message), "%s", msg);
	}
	json_array_append_new(err->errors,
	    json_pack("{s:o, s:s, s:o}", "field", utf8_json_lossy(field),
		"code", code, "message", utf8_json_lossy(msg)));
}

static json_t *
str_or_null(const char *s)
{
	return (s[0] == '\0' ? json_null() : utf8_json_lossy(s));
}

/*
 * Returns the envelope as a malloc'ed JSON string (free() it). request_id
 * may be NULL.
 */
char *
api_error_json(const struct api_error *err, const char *request_id, size_t *len)
{
	json_t *inner, *root;
	char   *out;

	inner = json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "status",
	    err->status, "code", err->code, "message",
	    utf8_json_lossy(err->message), "detail", str_or_null(err->detail),
	    "hint", str_or_null(err->hint), "field", str_or_null(err->field));
	if (inner == NULL)
		core_fatal("api_error_json: json_pack failed");
	if (err->errors != NULL)
		json_object_set(inner, "errors", err->errors);
	json_object_set_new(inner, "request_id",
	    request_id != NULL ? json_string(request_id) : json_null());

	root = json_pack("{s:o}", "error", inner);
	out = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	if (out == NULL)
		core_fatal("api_error_json: json_dumps failed");
	if (len != NULL)
		*len = strlen(out);
	return (out);
}
