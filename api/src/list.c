/*
 * Lists: page/per_page parameters and the list envelope every collection
 * answers with,
 *
 *   { "data": [...], "meta": { "pagination": { "total", "count",
 *     "per_page", "current_page", "total_pages" }, "next_cursor" } }
 *
 * Items arrive from SQL already as JSON (one "item" column per row); they
 * are concatenated here, never parsed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clientd.h"

#define PER_PAGE_DEFAULT	20
#define PER_PAGE_MAX		100

/* Reads page and per_page; answers 400 itself and returns -1 if invalid. */
int
list_page(struct api_ctx *ctx, struct page *p)
{
	struct api_error	err;
	int			rc = -1;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (qs_get_int(&ctx->qs, "page", 1, 1000000, 1, &p->number, &err) ||
	    qs_get_int(&ctx->qs, "per_page", 1, PER_PAGE_MAX, PER_PAGE_DEFAULT,
	    &p->per_page, &err)) {
		api_reply_error(ctx, &err);
		goto out;
	}
	snprintf(p->limit, sizeof(p->limit), "%ld", p->per_page);
	snprintf(p->offset, sizeof(p->offset), "%ld",
	    (p->number - 1) * p->per_page);
	rc = 0;
out:
	api_error_cleanup(&err);
	return (rc);
}

/*
 * Answers 200 with the items of statement items (column "item") and the
 * total of statement total (column "total"). next_cursor may be NULL.
 */
void
list_reply(struct api_ctx *ctx, struct db *db, int items, int total,
    const struct page *p, const char *next_cursor)
{
	struct cbuf	b;
	long		n, count, pages;
	int		i;

	n = strtol(db_get(db, total, 0, "total"), NULL, 10);
	count = db_rows(db, items);
	pages = n == 0 ? 0 : (n + p->per_page - 1) / p->per_page;

	cbuf_init(&b, 4096);
	cbuf_append(&b, "{\"data\":[", 9);
	for (i = 0; i < count; i++) {
		if (i > 0)
			cbuf_append(&b, ",", 1);
		cbuf_append_json_min(&b, db_get(db, items, i, "item"));
	}
	cbuf_appendf(&b, "],\"meta\":{\"pagination\":{\"total\":%ld,"
	    "\"count\":%ld,\"per_page\":%ld,\"current_page\":%ld,"
	    "\"total_pages\":%ld},\"next_cursor\":", n, count, p->per_page,
	    p->number, pages);
	if (next_cursor != NULL)
		cbuf_append_json_string(&b, next_cursor);
	else
		cbuf_append(&b, "null", 4);
	cbuf_append(&b, "}}", 2);
	api_reply(ctx, 200, b.data, b.len);
	cbuf_cleanup(&b);
}
