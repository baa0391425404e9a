/*
 * Query strings. Kore 4.1 keeps only the arguments a `params` block names
 * and drops the rest without a word; clientd wants to reject unknown
 * parameters by name instead, so it parses req->query_string itself:
 * '&'-separated pairs, percent-decoding with '+' as space, values that must
 * be valid UTF-8, and hard caps on the number and size of pairs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/mem.h"
#include "core/qs.h"
#include "core/utf8.h"

void
qs_init(struct qs *qs)
{
	memset(qs, 0, sizeof(*qs));
}

void
qs_cleanup(struct qs *qs)
{
	size_t i;

	for (i = 0; i < qs->n; i++) {
		free(qs->pairs[i].name);
		free(qs->pairs[i].value);
	}
	qs->n = 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decodes s in place (%XX and '+'), updating *len. Returns CORE_E_INVALID
 * on a malformed escape or a decoded NUL.
 */
int
qs_url_decode(char *s, size_t *len)
{
	size_t i, o;
	int    hi, lo;

	for (i = 0, o = 0; i < *len; i++, o++) {
		if (s[i] == '+') {
			s[o] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= *len)
				return (CORE_E_INVALID);
			if ((hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0 ||
			    (hi == 0 && lo == 0))
				return (CORE_E_INVALID);
			s[o] = (char)((hi << 4) | lo);
			i += 2;
		} else {
			s[o] = s[i];
		}
	}
	s[o] = '\0';
	*len = o;
	return (0);
}

static int
qs_add(struct qs *qs, const char *raw, size_t len, struct api_error *err)
{
	const char *eq;
	char	   *name, *value;
	size_t	    nlen, vlen;

	if (len == 0)
		return (0);
	if (qs->n == QS_MAX_PAIRS) {
		api_error_setf(
		    err, API_ERR_BAD_REQUEST, "too many query parameters");
		api_error_detail(
		    err, "At most %d parameters are accepted.", QS_MAX_PAIRS);
		return (CORE_E_TOOBIG);
	}

	eq = memchr(raw, '=', len);
	nlen = eq != NULL ? (size_t)(eq - raw) : len;
	vlen = eq != NULL ? len - nlen - 1 : 0;
	if (nlen > 64 || vlen > (size_t)QS_MAX_VALUE * 3) {
		api_error_setf(
		    err, API_ERR_BAD_REQUEST, "query parameter is too long");
		return (CORE_E_TOOBIG);
	}
	name = mem_strndup(raw, nlen);
	value = mem_strndup(eq != NULL ? eq + 1 : "", vlen);

	if (qs_url_decode(name, &nlen) != 0 ||
	    qs_url_decode(value, &vlen) != 0) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "malformed percent-encoding in query string");
		goto fail;
	}
	if (!utf8_valid(name, nlen) || !utf8_valid(value, vlen)) {
		api_error_setf(err, API_ERR_INVALID_UTF8,
		    "query string is not valid UTF-8");
		goto fail;
	}
	if (vlen > QS_MAX_VALUE) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "query parameter \"%s\" is too long", name);
		api_error_field(err, name);
		goto fail;
	}

	qs->pairs[qs->n].name = name;
	qs->pairs[qs->n].value = value;
	qs->n++;
	return (0);

fail:
	free(name);
	free(value);
	return (CORE_E_INVALID);
}

/* Parses s (NULL or "" is an empty query). On error, err says why. */
int
qs_parse(struct qs *qs, const char *s, struct api_error *err)
{
	const char *amp;
	int	    rc;

	if (s == NULL)
		return (0);
	while (*s != '\0') {
		amp = strchr(s, '&');
		if (amp == NULL)
			amp = s + strlen(s);
		if ((rc = qs_add(qs, s, (size_t)(amp - s), err)) != 0)
			return (rc);
		s = *amp == '&' ? amp + 1 : amp;
	}
	return (0);
}

/* The first value of name, or NULL. */
const char *
qs_get(const struct qs *qs, const char *name)
{
	size_t i;

	for (i = 0; i < qs->n; i++) {
		if (strcmp(qs->pairs[i].name, name) == 0)
			return (qs->pairs[i].value);
	}
	return (NULL);
}

size_t
qs_count(const struct qs *qs, const char *name)
{
	size_t i, n;

	for (i = 0, n = 0; i < qs->n; i++) {
		if (strcmp(qs->pairs[i].name, name) == 0)
			n++;
	}
	return (n);
}

/* Every parameter must appear in allowed (NULL-terminated, may be NULL). */
int
qs_check_allowed(
    const struct qs *qs, const char *const *allowed, struct api_error *err)
{
	const char *const *a;
	size_t		   i;

	for (i = 0; i < qs->n; i++) {
		for (a = allowed; a != NULL && *a != NULL; a++) {
			if (strcmp(*a, qs->pairs[i].name) == 0)
				break;
		}
		if (a != NULL && *a != NULL)
			continue;
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "unknown query parameter \"%s\"", qs->pairs[i].name);
		api_error_field(err, qs->pairs[i].name);
		api_error_hint(err,
		    "Check the parameter's spelling against "
		    "the API reference (openapi.yaml).");
		return (CORE_E_INVALID);
	}
	return (0);
}

/*
 * Reads integer parameter name into *out (def when absent). Returns 0, or
 * CORE_E_INVALID with err naming the parameter when it is not an integer
 * in [min, max] or is given twice.
 */
int
qs_get_int(const struct qs *qs, const char *name, long min, long max, long def,
    long *out, struct api_error *err)
{
	const char *v;
	char	   *end;
	long	    n;

	*out = def;
	if ((v = qs_get(qs, name)) == NULL)
		return (0);
	if (qs_count(qs, name) > 1) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "query parameter \"%s\" is given more than once", name);
		api_error_field(err, name);
		return (CORE_E_INVALID);
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max ||
	    (*v != '-' && !isdigit((unsigned char)*v))) {
		api_error_setf(err, API_ERR_BAD_REQUEST,
		    "query parameter \"%s\" must be an integer between %ld "
		    "and %ld",
		    name, min, max);
		api_error_detail(err, "Got \"%s\".", v);
		api_error_field(err, name);
		return (CORE_E_INVALID);
	}
	*out = n;
	return (0);
}

/* A 400 naming query parameter name; returns CORE_E_INVALID. */
int
qs_bad_param(struct api_error *err, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	api_error_vsetf(err, API_ERR_BAD_REQUEST, fmt, ap);
	va_end(ap);
	api_error_field(err, name);
	return (CORE_E_INVALID);
}

/*
 * Refuses a parameter given more than once, unless it is one of repeatable
 * (NULL-terminated, may be NULL).
 */
int
qs_check_single(
    const struct qs *qs, const char *const *repeatable, struct api_error *err)
{
	const char *v;
	size_t	    i, k;

	for (i = 0; i < qs->n; i++) {
		v = qs->pairs[i].name;
		for (k = 0; repeatable != NULL && repeatable[k] != NULL; k++)
			if (strcmp(v, repeatable[k]) == 0)
				break;
		if ((repeatable == NULL || repeatable[k] == NULL) &&
		    qs_count(qs, v) > 1)
			return (qs_bad_param(err, v,
			    "query parameter \"%s\" is "
			    "given more than once",
			    v));
	}
	return (0);
}
