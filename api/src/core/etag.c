/*
 * ETags: a resource's version as an entity tag, and If-Match read back
 * into a version; If-None-Match compared with a file's tag.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/etag.h"

/*
 * If-Match: "*" (or absent) is no condition (*version = -1); a quoted
 * version number, weak or not, is that version; any other tag, a number
 * past ETAG_VERSION_MAX among them, can match nothing (*version = 0,
 * which no resource has): a stale write is a 412, whatever it sent.
 */
void
etag_if_match(const char *h, long *version)
{
	const char *p;
	long	    v = 0;

	*version = -1;
	if (h == NULL)
		return;
	while (*h == ' ')
		h++;
	if (strcmp(h, "*") == 0)
		return;
	*version = 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h != '"' || !isdigit((unsigned char)h[1]))
		return;
	/* Versions are SQL integers: a longer tag is none of them (412). */
	for (p = h + 1; isdigit((unsigned char)*p); p++) {
		if (v > (ETAG_VERSION_MAX - (*p - '0')) / 10)
			return;
		v = v * 10 + (*p - '0');
	}
	if (*p == '"' && p[1] == '\0' && v > 0)
		*version = v;
}

/*
 * If-None-Match h fails for a representation tagged etag (a quoted tag,
 * as sent in ETag): h is "*" or lists a tag equal to etag, compared weakly
 * (RFC 9110, 13.1.2): W/ is ignored on both sides, so that the tag a
 * compressing proxy made weak (nginx's gzip) still matches. Returns 1 when
 * it matches (the answer is 304), 0 when not or when h is NULL.
 */
int
etag_none_match(const char *h, const char *etag)
{
	const char *p, *end;
	size_t	    len;

	if (h == NULL || etag == NULL)
		return (0);
	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	len = strlen(etag);
	for (p = h;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return (0);
		if (*p == '*' && (p[1] == '\0' || p[1] == ' ' || p[1] == ','))
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"' || (end = strchr(p + 1, '"')) == NULL)
			return (0);
		end++;
		if ((size_t)(end - p) == len && strncmp(p, etag, len) == 0)
			return (1);
		p = end;
	}
}
