/*
 * Rows as the API's JSON (core/render.c). A resource's shape is a static
 * table of fields: the key, the column that holds its value and how the
 * value is written. The caller reads the values (render_get, by the
 * field's index in the table); the table does the rest, so that a list
 * page is assembled once in the daemon instead of as one JSON value per
 * row in the database.
 */
#ifndef CLIENTD_CORE_RENDER_H
#define CLIENTD_CORE_RENDER_H

#include <stddef.h>

#include "core/cbuf.h"

enum render_kind {
	RENDER_TEXT,	       /* a string */
	RENDER_NUMBER,	       /* a number as PostgreSQL prints it */
	RENDER_BOOL,	       /* PostgreSQL's t or f */
	RENDER_TIME,	       /* timestamp (UTC, ISO style): RFC 3339 */
	RENDER_OBJECT,	       /* the fields up to its RENDER_END */
	RENDER_OBJECT_OR_NULL, /* the same, or null when column is NULL */
	RENDER_END	       /* ends the innermost object */
};

struct render_field {
	const char	*key;
	const char	*column; /* NULL for RENDER_OBJECT and RENDER_END */
	enum render_kind kind;
};

/* Field i's value as text, or NULL for SQL NULL. */
typedef const char *(*render_get)(void *, size_t);

#define RENDER_FIELDS_MAX 96 /* fields of one table, nested ones included */
#define RENDER_TIME_LEN \
	28 /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" and NUL */ /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" and NUL */

void render_fields(
    struct cbuf *, const struct render_field *, size_t, render_get, void *);
void render_object(
    struct cbuf *, const struct render_field *, size_t, render_get, void *);
int render_time(const char *, char *, size_t);

#endif
