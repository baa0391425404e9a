/*
 * Rows as the API's JSON: a table of fields (core/render.h) written with
 * the values the caller reads. Values are PostgreSQL's text output; a
 * value that is not what its kind expects is written as a string, so that
 * nothing a column holds can make the output invalid JSON.
 */
#include <stdio.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/render.h"

/* Whether s is n ASCII digits. */
static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/*
 * A timestamp without time zone as PostgreSQL prints it in the ISO style
 * ("2026-03-05 12:07:09", then a fraction of up to six digits), taken as
 * UTC, in the API's one time format: RFC 3339 with microseconds and Z
 * (rfc3339() in sql/functions/common.sql). Returns -1 for anything else.
 */
int
render_time(const char *in, char *out, size_t len)
{
	char	    frac[7] = "000000";
	const char *p;
	size_t	    n;

	if (len < RENDER_TIME_LEN || strlen(in) < 19 || !digits(in, 4) ||
	    in[4] != '-' || !digits(in + 5, 2) || in[7] != '-' ||
	    !digits(in + 8, 2) || in[10] != ' ' || !digits(in + 11, 2) ||
	    in[13] != ':' || !digits(in + 14, 2) || in[16] != ':' ||
	    !digits(in + 17, 2))
		return (-1);
	p = in + 19;
	if (*p == '.') {
		p++;
		n = strspn(p, "0123456789");
		if (n == 0 || n > 6 || p[n] != '\0')
			return (-1);
		memcpy(frac, p, n);
	} else if (*p != '\0') {
		return (-1);
	}
	snprintf(out, len, "%.10sT%.8s.%sZ", in, in + 11, frac);
	return (0);
}

/* Whether s is a JSON number (PostgreSQL prints integers and numerics so). */
static int
is_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return (0);
	p += strspn(p, "0123456789");
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return (0);
		p += strspn(p, "0123456789");
	}
	return (*p == '\0');
}

static void
render_value(struct cbuf *out, enum render_kind kind, const char *v)
{
	char t[RENDER_TIME_LEN];

	if (v == NULL) {
		cbuf_append(out, "null", 4);
	} else if (kind == RENDER_NUMBER && is_number(v)) {
		cbuf_appendstr(out, v);
	} else if (kind == RENDER_BOOL &&
	    (strcmp(v, "t") == 0 || strcmp(v, "f") == 0)) {
		cbuf_appendstr(out, v[0] == 't' ? "true" : "false");
	} else if (kind == RENDER_TIME && render_time(v, t, sizeof(t)) == 0) {
		cbuf_append_json_string(out, t);
	} else {
		cbuf_append_json_string(out, v);
	}
}

/* Index of the RENDER_END that closes the object opened at field i. */
static size_t
object_end(const struct render_field *f, size_t n, size_t i)
{
	int depth = 0;

	for (; i < n; i++) {
		if (f[i].kind == RENDER_OBJECT ||
		    f[i].kind == RENDER_OBJECT_OR_NULL)
			depth++;
		else if (f[i].kind == RENDER_END && --depth == 0)
			return (i);
	}
	return (n);
}

/*
 * Writes fields [from, to) of table f as members ("key":value,...); the
 * values are read by the fields' indexes in the whole table.
 */
static void
members(struct cbuf *out, const struct render_field *f, size_t from, size_t to,
    render_get get, void *arg)
{
	size_t i, end;
	int    first = 1;

	for (i = from; i < to; i++) {
		if (f[i].kind == RENDER_END)
			continue;
		if (!first)
			cbuf_append(out, ",", 1);
		first = 0;
		/* (Keys are the tables' own: plain ASCII, nothing to escape.) */
		cbuf_append(out, "\"", 1);
		cbuf_appendstr(out, f[i].key);
		cbuf_append(out, "\":", 2);
		if (f[i].kind != RENDER_OBJECT &&
		    f[i].kind != RENDER_OBJECT_OR_NULL) {
			render_value(out, f[i].kind, get(arg, i));
			continue;
		}
		end = object_end(f, to, i);
		if (f[i].kind == RENDER_OBJECT_OR_NULL && get(arg, i) == NULL) {
			cbuf_append(out, "null", 4);
		} else {
			cbuf_append(out, "{", 1);
			members(out, f, i + 1, end, get, arg);
			cbuf_append(out, "}", 1);
		}
		i = end;
	}
}

/*
 * Writes the n fields of f as the members of an object, without its
 * braces, so that the caller can add members of its own.
 */
void
render_fields(struct cbuf *out, const struct render_field *f, size_t n,
    render_get get, void *arg)
{
	members(out, f, 0, n, get, arg);
}

/* Writes the n fields of f as an object. */
void
render_object(struct cbuf *out, const struct render_field *f, size_t n,
    render_get get, void *arg)
{
	cbuf_append(out, "{", 1);
	members(out, f, 0, n, get, arg);
	cbuf_append(out, "}", 1);
}
