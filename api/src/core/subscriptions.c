/*
 * A webhook subscription's fields: what POST and PATCH /webhooks accept.
 *
 *   url          https (http where the operator allows), see netpolicy.c
 *   events       1 to 50 patterns: an event type, "<entity>.*" or "*"
 *   headers      up to 10 custom headers sent with every delivery; the
 *                ones that say how the request is made or signed (Host,
 *                Content-Type, webhook-*, ...) are not theirs to set
 *   description  free text, at most 500 characters
 *   status       "active" or "paused" ("disabled" is the server's word,
 *                for a webhook it stopped; setting "active" restarts it)
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/events.h"
#include "core/netpolicy.h"
#include "core/subscriptions.h"
#include "core/validate.h"

static const char *const statuses[] = { "active", "paused", NULL };

static const struct field_spec fields[] = {
	{ "url", FIELD_STRING, FIELD_REQUIRED | FIELD_RAW, NETPOLICY_URL_MAX,
	    NULL, 0, 0 },
	{ "events", FIELD_ARRAY, FIELD_REQUIRED, SUBSCRIPTIONS_EVENTS_MAX, NULL,
	    0, 0 },
	{ "headers", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
	{ "description", FIELD_TEXT, FIELD_NULLABLE,
	    SUBSCRIPTIONS_DESCRIPTION_MAX, NULL, 0, 0 },
	{ "status", FIELD_ENUM, 0, 0, statuses, 0, 0 },
};

/* Headers that say how the request is made, framed or signed. */
static const char *const reserved[] = { "host", "content-type",
	"content-length", "content-encoding", "transfer-encoding", "connection",
	"keep-alive", "upgrade", "te", "trailer", "expect", "user-agent",
	"proxy-authorization", "proxy-connection", NULL };

static int
is_tchar(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * 0 when a custom header name (an RFC 9110 token, not one of ours) and
 * value (printable, no line breaks) may be sent; CORE_E_INVALID with why.
 */
int
subscriptions_header_check(
    const char *name, const char *value, char *why, size_t whylen)
{
	const unsigned char *v;
	const char	    *n;
	size_t		     i;

	if (name[0] == '\0' || strlen(name) > SUBSCRIPTIONS_HEADER_NAME_MAX) {
		snprintf(why, whylen, "header names have 1 to 64 characters");
		return (CORE_E_INVALID);
	}
	for (n = name; *n != '\0'; n++) {
		if (!is_tchar(*n)) {
			snprintf(why, whylen,
			    "header name \"%.64s\" may hold letters, digits "
			    "and !#$%%&'*+-.^_`|~ only",
			    name);
			return (CORE_E_INVALID);
		}
	}
	for (i = 0; reserved[i] != NULL; i++) {
		if (strcasecmp(name, reserved[i]) == 0)
			break;
	}
	if (reserved[i] != NULL || strncasecmp(name, "webhook-", 8) == 0) {
		snprintf(why, whylen,
		    "header \"%.64s\" is set by the server and cannot be "
		    "replaced",
		    name);
		return (CORE_E_INVALID);
	}
	if (strlen(value) > SUBSCRIPTIONS_HEADER_VALUE_MAX) {
		snprintf(why, whylen,
		    "header \"%.64s\" is longer than 1024 characters", name);
		return (CORE_E_INVALID);
	}
	for (v = (const unsigned char *)value; *v != '\0'; v++) {
		if ((*v < 0x20 && *v != '\t') || *v == 0x7f) {
			snprintf(why, whylen,
			    "header \"%.64s\" holds a control character", name);
			return (CORE_E_INVALID);
		}
	}
	return (0);
}

static int
events_check(json_t *events, struct api_error *err)
{
	json_t *e, *o;
	size_t	i, j;
	char	fname[32];
	int	bad = 0;

	if (json_array_size(events) == 0) {
		api_error_add_field(err, "events", "empty",
		    "field \"events\" needs at least one event type");
		return (CORE_E_INVALID);
	}
	json_array_foreach(events, i, e)
	{
		snprintf(fname, sizeof(fname), "events[%zu]", i);
		if (!json_is_string(e)) {
			api_error_add_field(err, fname, "invalid_type",
			    "field \"%s\" must be a string", fname);
			bad = 1;
			continue;
		}
		if (!events_pattern_ok(json_string_value(e))) {
			api_error_add_field(err, fname, "invalid_value",
			    "unknown event type \"%.64s\"",
			    json_string_value(e));
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++) {
			o = json_array_get(events, j);
			if (json_is_string(o) &&
			    strcmp(json_string_value(o),
				json_string_value(e)) == 0) {
				api_error_add_field(err, fname, "duplicate",
				    "event type \"%s\" is listed twice",
				    json_string_value(e));
				bad = 1;
				break;
			}
		}
	}
	return (bad ? CORE_E_INVALID : 0);
}

static int
headers_check(json_t *headers, struct api_error *err)
{
	const char *name;
	json_t	   *v;
	char	    fname[96], why[160];
	int	    bad = 0;

	if (json_object_size(headers) > SUBSCRIPTIONS_HEADERS_MAX) {
		api_error_add_field(err, "headers", "too_long",
		    "field \"headers\" has more than %d headers",
		    SUBSCRIPTIONS_HEADERS_MAX);
		return (CORE_E_INVALID);
	}
	json_object_foreach(headers, name, v)
	{
		snprintf(fname, sizeof(fname), "headers.%.64s", name);
		if (!json_is_string(v)) {
			api_error_add_field(err, fname, "invalid_type",
			    "field \"%s\" must be a string", fname);
			bad = 1;
		} else if (subscriptions_header_check(name,
			       json_string_value(v), why, sizeof(why)) != 0) {
			api_error_add_field(
			    err, fname, "invalid_value", "%s", why);
			bad = 1;
		}
	}
	return (bad ? CORE_E_INVALID : 0);
}

/*
 * Checks a POST (creating: url and events required) or PATCH body; every
 * problem is a field error in err (a 422), a URL's hint its hint. Returns
 * 0 or CORE_E_INVALID.
 */
int
subscriptions_validate(json_t *body, int creating, const struct netpolicy *p,
    struct api_error *err)
{
	struct field_spec    f[CORE_ARRAY_LEN(fields)];
	struct netpolicy_url u;
	json_t		    *v;
	size_t		     i;
	char		     why[256], hint[256];
	int		     bad = 0;

	memcpy(f, fields, sizeof(f));
	for (i = 0; !creating && i < CORE_ARRAY_LEN(f); i++)
		f[i].flags &= ~(unsigned int)FIELD_REQUIRED;
	if (validate_object(body, f, CORE_ARRAY_LEN(f), NULL, err) != 0)
		bad = 1;
	if (!json_is_object(body))
		return (CORE_E_INVALID);
	if (!creating && json_object_size(body) == 0) {
		api_error_add_field(err, "body", "empty",
		    "request body must change at least one field");
		bad = 1;
	}
	v = json_object_get(body, "url");
	if (json_is_string(v) && json_string_length(v) <= NETPOLICY_URL_MAX &&
	    netpolicy_url_check(p, json_string_value(v), &u, why, sizeof(why),
		hint, sizeof(hint)) != 0) {
		api_error_add_field(err, "url", "invalid_value", "%s", why);
		if (hint[0] != '\0')
			api_error_hint(err, "%s", hint);
		bad = 1;
	}
	v = json_object_get(body, "events");
	if (json_is_array(v) &&
	    json_array_size(v) <= SUBSCRIPTIONS_EVENTS_MAX &&
	    events_check(v, err) != 0)
		bad = 1;
	v = json_object_get(body, "headers");
	if (json_is_object(v) && headers_check(v, err) != 0)
		bad = 1;
	return (bad ? CORE_E_INVALID : 0);
}
