/*
 * List cursors (core/cursor.c).
 */
#ifndef CLIENTD_CORE_CURSOR_H
#define CLIENTD_CORE_CURSOR_H

#include <stddef.h>

/*
 * A cursor carries the last row's sort value: at most a display name (201
 * characters of a contact's names, or a 254-character email) in UTF-8, so
 * 1024 bytes; base64url makes the cursor 4/3 of that. Both fit in a query
 * parameter (QS_MAX_VALUE) and in Kore's request line (2000 bytes).
 */
#define CURSOR_VALUE_MAX 1024
#define CURSOR_LEN	 1500
#define CURSOR_YEAR_MAX	 10000 /* see timestamptz_valid() */

void cursor_encode(
    const char *, int, const char *, const char *, char *, size_t);
int cursor_decode(
    const char *, const char *, int, char *, size_t, char *, size_t);
int cursor_value_valid(const char *, const char *);

#endif
