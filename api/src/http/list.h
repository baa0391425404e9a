/*
 * Lists (http/list.c): page and per_page, cursors, and the envelope every
 * collection answers with,
 *
 *   { "data": [...], "meta": { "pagination": { "total", "count",
 *     "per_page", "current_page", "total_pages" }, "next_cursor" } }
 */
#ifndef CLIENTD_HTTP_LIST_H
#define CLIENTD_HTTP_LIST_H

#include <stddef.h>

#include "core/render.h"
#include "core/stmt.h"
#include "http/db.h"
#include "http/request.h"

struct page {
	long	    number; /* 1-based */
	long	    per_page;
	char	    limit[24]; /* as SQL parameters */
	char	    fetch[24]; /* limit + 1: is there a next page? */
	char	    offset[24];
	const char *meta_extra; /* more members of "meta" (JSON), or NULL */
	/* The items' fields (rendered here), or NULL: a column "item" of JSON */
	const struct render_field *fields;
	size_t			   nfields;
};

int  list_page(struct request *, struct page *);
void list_after(struct stmt *, const char *, const char *, const char *, int,
    const char *, const char *);
void list_limit(struct stmt *, const struct page *, const char *);
int  list_cursor(struct request *, const char *, const char *, int, char *,
     size_t, char *, size_t);
void list_reply(struct request *, struct db *, int, int, const struct page *,
    int, const char *);
void list_reply_page(struct request *, struct db *, int, int,
    const struct page *, const char *, int);

#endif
