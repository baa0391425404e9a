/*
 * Cursors: an opaque position after the last row of a page, for walking
 * a whole list without page numbers (stable under concurrent inserts).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "core/utf8.h"

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
