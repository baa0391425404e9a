/*
 * ETags: a resource's version as an entity tag, and If-Match read back
 * into a version.
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
