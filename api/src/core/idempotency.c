/*
 * Idempotency-Key, the one C file that owns it (sql/functions/
 * idempotency.sql keeps the keys): which requests take a key and which
 * keys are usable, the fingerprint that decides whether a second request
 * with the same key is a replay of the first (same method, path and body)
 * or a conflict, the statements a request runs for it, and what a replay
 * is sent with. http/pipeline.c runs it as a step of every request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/idempotency.h"

/*
 * Whether an Idempotency-Key value is usable: 1 to 255 visible ASCII
 * characters.
 */
int
idempotency_key_valid(const char *k)
{
	size_t n;

	for (n = 0; k[n] != '\0'; n++) {
		if (k[n] < 0x21 || k[n] > 0x7e)
			return (0);
	}
	return (n >= 1 && n <= IDEMPOTENCY_KEY_MAX);
}

/*
 * What makes two requests "the same" for an idempotency key: method, path
 * and the body's JSON in canonical form (sorted keys, no spaces), so that
 * a retry that re-serialises its body still matches.
 */
void
idempotency_fingerprint(const char *method, const char *path, json_t *body,
    char out[SHA256_LEN * 2 + 1])
{
	struct cbuf b;
	char	   *canon;

	cbuf_init(&b, 256);
	cbuf_appendf(&b, "%s %s\n", method, path);
	if (body != NULL) {
		canon = json_dumps(
		    body, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (canon == NULL)
			core_fatal(
			    "idempotency_fingerprint: json_dumps failed");
		cbuf_appendstr(&b, canon);
		free(canon);
	}
	crypto_sha256_hex(b.data, b.len, out);
	cbuf_cleanup(&b);
}

int
idempotency_read(struct idempotency *idem, const struct route *route,
    const char *header, const char *method, const char *path, json_t *body,
    struct api_error *err)
{
	idem->key[0] = idem->fingerprint[0] = '\0';
	if (header == NULL) {
		if (!(route->flags & ROUTE_KEY_REQUIRED))
			return (0);
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "Idempotency-Key is "
		    "required by %s %s",
		    method, route->def.pattern);
		api_error_field(err, "Idempotency-Key");
		api_error_hint(err,
		    "Send a new unique key (a UUID) with each "
		    "entry, and the same key again when retrying it: a retry "
		    "then never posts twice.");
		return (CORE_E_INVALID);
	}
	if (!(route->flags & ROUTE_IDEMPOTENT)) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "Idempotency-Key is "
		    "not supported by %s %s",
		    method, route->def.pattern);
		api_error_field(err, "Idempotency-Key");
		api_error_hint(err,
		    route->op == OP_TOKENS_CREATE
			? "A token's secret is shown only once, so its creation "
			  "cannot be replayed."
			: "Leave the header out here.");
		return (CORE_E_INVALID);
	}
	if (!idempotency_key_valid(header)) {
		api_error_setf(
		    err, API_ERR_BAD_REQUEST, "invalid Idempotency-Key");
		api_error_field(err, "Idempotency-Key");
		api_error_detail(err,
		    "A key has 1 to %d visible ASCII "
		    "characters; a UUID is a good choice.",
		    IDEMPOTENCY_KEY_MAX);
		return (CORE_E_INVALID);
	}
	snprintf(idem->key, sizeof(idem->key), "%s", header);
	idempotency_fingerprint(method, path, body, idem->fingerprint);
	return (0);
}

int
idempotency_replay(
    const char *status, const char *response, struct idempotency_replay *out)
{
	json_t *j, *v;
	char   *end;
	long	code;

	memset(out, 0, sizeof(*out));
	code = strtol(status, &end, 10);
	if (*status == '\0' || *end != '\0' || code < 200 || code > 299)
		return (CORE_E_INVALID);
	if ((j = json_loads(response, 0, NULL)) == NULL)
		return (CORE_E_INVALID);
	if (!json_is_object(j)) {
		json_decref(j);
		return (CORE_E_INVALID);
	}
	out->status = (int)code;
	if ((v = json_object_get(j, "version")) != NULL && json_is_integer(v))
		snprintf(out->etag, sizeof(out->etag), "\"%lld\"",
		    (long long)json_integer_value(v));
	if (code == 201 && json_is_string(v = json_object_get(j, "id")) &&
	    json_string_length(v) < sizeof(out->id))
		snprintf(out->id, sizeof(out->id), "%s", json_string_value(v));
	json_decref(j);
	return (0);
}
