/*
 * Cursors: an opaque position after the last row of a page, for walking
 * a whole list without page numbers (stable under concurrent inserts).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "core/utf8.h"
#include "core/validate.h"

/*
 * A cursor is base64url of "c1|<sort>|<a|d>|<public id>|<sort value>": the
 * position after the last row of a page. It names its sort so that it is
 * not applied to another ordering.
 */
void
cursor_encode(const char *sort, int desc, const char *pid, const char *value,
    char *out, size_t outlen)
{
	char raw[CURSOR_VALUE_MAX + 64];
	int  n;

	n = snprintf(raw, sizeof(raw), "c1|%s|%c|%s|%s", sort, desc ? 'd' : 'a',
	    pid, value);
	if (n < 0 || (size_t)n >= sizeof(raw) ||
	    outlen < sodium_base64_ENCODED_LEN(
			 (size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		core_fatal("cursor_encode: value too long");
	sodium_bin2base64(out, outlen, (const unsigned char *)raw, (size_t)n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * Decodes cursor s for the given sort into pid and value. Returns 0, or
 * CORE_E_INVALID when it is malformed or belongs to another sort.
 */
int
cursor_decode(const char *s, const char *sort, int desc, char *pid,
    size_t pidlen, char *value, size_t valuelen)
{
	char   raw[CURSOR_VALUE_MAX + 64], *p, *f[4];
	size_t len, i;

	if (strlen(s) > sodium_base64_ENCODED_LEN(sizeof(raw) - 1,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    sodium_base642bin((unsigned char *)raw, sizeof(raw) - 1, s,
		strlen(s), NULL, &len, NULL,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return (CORE_E_INVALID);
	raw[len] = '\0';
	if (!utf8_valid(raw, len))
		return (CORE_E_INVALID);
	p = raw;
	for (i = 0; i < 4; i++) {
		if ((f[i] = strsep(&p, "|")) == NULL)
			return (CORE_E_INVALID);
	}
	if (p == NULL || strcmp(f[0], "c1") != 0 || strcmp(f[1], sort) != 0 ||
	    strcmp(f[2], desc ? "d" : "a") != 0 || !public_id_valid(f[3]))
		return (CORE_E_INVALID);
	if (snprintf(pid, pidlen, "%s", f[3]) >= (int)pidlen ||
	    snprintf(value, valuelen, "%s", p) >= (int)valuelen)
		return (CORE_E_INVALID);
	return (0);
}

/* Reads between min and max digits at *p into *out (at most 9 digits). */
static int
scan_digits(const char **p, int min, int max, long *out)
{
	int n;

	*out = 0;
	for (n = 0; n < max && isdigit((unsigned char)**p); n++, (*p)++)
		*out = *out * 10 + (**p - '0');
	return (n >= min && !isdigit((unsigned char)**p));
}

/* Reads character c at *p. */
static int
scan_char(const char **p, char c)
{
	if (**p != c)
		return (0);
	(*p)++;
	return (1);
}

/*
 * A timestamptz as PostgreSQL writes it in the ISO style: "2026-12-07
 * 15:38:33.123456+00", an offset of hours and maybe minutes and seconds.
 * Stored times come from now() or RFC 3339 input (years 1 to 9999), which
 * an offset can move to year 10000 or to 1 BC: the range accepted here,
 * all of it within PostgreSQL's.
 */
static int
timestamptz_valid(const char *s)
{
	long y, mo, d, h, mi, sec, f;
	int  i;

	if (!scan_digits(&s, 4, 6, &y) || !scan_char(&s, '-') ||
	    !scan_digits(&s, 2, 2, &mo) || !scan_char(&s, '-') ||
	    !scan_digits(&s, 2, 2, &d) || !scan_char(&s, ' ') ||
	    !scan_digits(&s, 2, 2, &h) || !scan_char(&s, ':') ||
	    !scan_digits(&s, 2, 2, &mi) || !scan_char(&s, ':') ||
	    !scan_digits(&s, 2, 2, &sec))
		return (0);
	if (y < 1 || y > CURSOR_YEAR_MAX || mo < 1 || mo > 12 || d < 1 ||
	    d > validate_days_in_month((int)y, (int)mo) || h > 23 || mi > 59 ||
	    sec > 59)
		return (0);
	if (scan_char(&s, '.') && !scan_digits(&s, 1, 6, &f))
		return (0);
	if ((!scan_char(&s, '+') && !scan_char(&s, '-')) ||
	    !scan_digits(&s, 2, 2, &h) || h > 15)
		return (0);
	for (i = 0; i < 2 && scan_char(&s, ':'); i++) {
		if (!scan_digits(&s, 2, 2, &mi) || mi > 59)
			return (0);
	}
	if (strcmp(s, " BC") == 0)
		return (y == 1);
	return (*s == '\0');
}

/* An integer column's value: digits up to max (as digits, no sign). */
static int
int_valid(const char *s, const char *max)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > strlen(max) || s[n] != '\0')
		return (0);
	return (n < strlen(max) || strcmp(s, max) <= 0);
}

/* A numeric as PostgreSQL writes it: -?digits(.digits)?. */
static int
numeric_valid(const char *s)
{
	size_t n;

	s += (*s == '-');
	if ((n = strspn(s, "0123456789")) == 0)
		return (0);
	s += n;
	if (*s == '.') {
		s++;
		if ((n = strspn(s, "0123456789")) == 0)
			return (0);
		s += n;
	}
	return (*s == '\0');
}

/*
 * Whether value, from a cursor, can be cast to SQL type type (the one its
 * list orders by): a tampered cursor is then a 400 before any query, never
 * a database error.
 */
int
cursor_value_valid(const char *type, const char *value)
{
	if (strcmp(type, "text") == 0)
		return (1);
	if (strcmp(type, "int") == 0)
		return (int_valid(value, "2147483647"));
	if (strcmp(type, "bigint") == 0)
		return (int_valid(value, "9223372036854775807"));
	if (strcmp(type, "numeric") == 0)
		return (numeric_valid(value));
	if (strcmp(type, "timestamptz") == 0)
		return (timestamptz_valid(value));
	core_fatal("cursor_value_valid: unknown type \"%s\"", type);
}
