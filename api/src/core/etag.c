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
 * version number, weak or not, is that version; any other tag can match
 * nothing (*version = 0, which no resource has).
 */
void
etag_if_match(const char *h, long *version)
{
	char *end;
	long  v;

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
	v = strtol(h + 1, &end, 10);
	if (*end == '"' && end[1] == '\0' && v > 0)
		*version = v;
}
