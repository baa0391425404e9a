/*
 * Lists: page/per_page parameters and the list envelope every collection
 * answers with,
 *
 *   { "data": [...], "meta": { "pagination": { "total", "count",
 *     "per_page", "current_page", "total_pages" }, "next_cursor" } }
 *
 * Items arrive from SQL as columns that a table of fields turns into JSON
 * here (core/render.c), or already as JSON (one "item" column per row),
 * concatenated, never parsed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/cursor.h"
#include "core/qs.h"
#include "http/db.h"
#include "http/list.h"
#include "http/reply.h"
#include "http/request.h"

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX	 100

/* Reads page and per_page; answers 400 itself and returns -1 if invalid. */
int
list_page(struct request *req, struct page *p)
{
	struct api_error err;
	int		 rc = -1;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (qs_get_int(&req->qs, "page", 1, 1000000, 1, &p->number, &err) ||
	    qs_get_int(&req->qs, "per_page", 1, PER_PAGE_MAX, PER_PAGE_DEFAULT,
		&p->per_page, &err)) {
		reply_error(req, &err);
		goto out;
	}
	p->meta_extra = NULL;
	p->fields = NULL;
	p->nfields = 0;
	snprintf(p->limit, sizeof(p->limit), "%ld", p->per_page);
	snprintf(p->fetch, sizeof(p->fetch), "%ld", p->per_page + 1);
	snprintf(
	    p->offset, sizeof(p->offset), "%ld", (p->number - 1) * p->per_page);
	rc = 0;
out:
	api_error_cleanup(&err);
	return (rc);
}

/*
 * With a cursor (after_id not ""), appends the predicate that starts the
 * page after it: "AND (key, id_col) < (:after::type, :after_id) " in a
 * descending order, ">" in an ascending one. Without one, nothing.
 */
void
list_after(struct stmt *st, const char *key, const char *type,
    const char *id_col, int desc, const char *after, const char *after_id)
{
	if (after_id[0] == '\0')
		return;
	stmt_appendf(st, "AND (%s, %s) %s (:after::%s, :after_id) ", key,
	    id_col, desc ? "<" : ">", type);
	stmt_bind(st, "after", after);
	stmt_bind(st, "after_id", after_id);
}

/*
 * Appends the page's LIMIT (one row more than a page, to see whether
 * another follows) and OFFSET (none after a cursor: it positions itself).
 */
void
list_limit(struct stmt *st, const struct page *page, const char *after_id)
{
	stmt_append(st, "LIMIT :limit::int OFFSET :offset::int");
	stmt_bind(st, "limit", page->fetch);
	stmt_bind(st, "offset", after_id[0] != '\0' ? "0" : page->offset);
}

/* Appends the first count rows of statement items, comma-separated. */
static void
list_items(
    struct cbuf *b, struct db *db, int items, const struct page *p, int count)
{
	int cols[RENDER_FIELDS_MAX];
	int i;

	if (p->fields != NULL)
		db_columns(db, items, p->fields, p->nfields, cols);
	for (i = 0; i < count; i++) {
		if (i > 0)
			cbuf_append(b, ",", 1);
		if (p->fields == NULL) {
			cbuf_append_json_min(b, db_get(db, items, i, "item"));
			continue;
		}
		cbuf_append(b, "{", 1);
		db_render(db, items, i, p->fields, p->nfields, cols, b);
		cbuf_append(b, "}", 1);
	}
}

/*
 * Answers 200 with the first count rows of statement items (rendered with
 * the page's fields, or column "item") and the total of statement total
 * (column "total" of its first row; 0 without one), which may be items
 * itself. next_cursor may be NULL.
 */
void
list_reply(struct request *req, struct db *db, int items, int total,
    const struct page *p, int count, const char *next_cursor)
{
	struct cbuf b;
	long	    n, pages;

	/* (A total counted by the items' own statement: none without rows.) */
	n = db_rows(db, total) > 0
	    ? strtol(db_get(db, total, 0, "total"), NULL, 10)
	    : 0;
	pages = n == 0 ? 0 : (n + p->per_page - 1) / p->per_page;

	cbuf_init(&b, 4096);
	cbuf_append(&b, "{\"data\":[", 9);
	list_items(&b, db, items, p, count);
	cbuf_appendf(&b,
	    "],\"meta\":{\"pagination\":{\"total\":%ld,"
	    "\"count\":%d,\"per_page\":%ld,\"current_page\":%ld,"
	    "\"total_pages\":%ld},\"next_cursor\":",
	    n, count, p->per_page, p->number, pages);
	if (next_cursor != NULL)
		cbuf_append_json_string(&b, next_cursor);
	else
		cbuf_append(&b, "null", 4);
	if (p->meta_extra != NULL) {
		cbuf_append(&b, ",", 1);
		cbuf_appendstr(&b, p->meta_extra);
	}
	cbuf_append(&b, "}}", 2);
	reply_body(req, 200, b.data, b.len);
	cbuf_cleanup(&b);
}

/*
 * Reads the cursor parameter (if any) for a list in the given order into
 * pid and value ("" without a cursor), value of SQL type type (what the
 * list orders by). A cursor and a page number together are refused.
 * Answers 400 itself and returns -1 when invalid: a tampered cursor is
 * the same 400 on every list.
 */
int
list_cursor(struct request *req, const char *sort, const char *type, int desc,
    char *pid, size_t pidlen, char *value, size_t valuelen)
{
	struct api_error err;
	const char	*cur;
	int		 rc = -1;

	pid[0] = value[0] = '\0';
	if ((cur = qs_get(&req->qs, "cursor")) == NULL)
		return (0);
	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (qs_get(&req->qs, "page") != NULL) {
		api_error_setf(&err, API_ERR_BAD_REQUEST,
		    "query parameters "
		    "\"cursor\" and \"page\" cannot be combined");
		api_error_field(&err, "page");
	} else if (cursor_decode(
		       cur, sort, desc, pid, pidlen, value, valuelen) != 0 ||
	    !cursor_value_valid(type, value)) {
		api_error_setf(&err, API_ERR_BAD_REQUEST, "invalid cursor");
		api_error_field(&err, "cursor");
		api_error_hint(&err,
		    "Pass meta.next_cursor of the previous "
		    "page unchanged, with the same sort.");
	} else {
		rc = 0;
	}
	if (rc != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	return (rc);
}

/*
 * Sends a page: the first per_page rows of statement items (which asked
 * for one row more, with columns item, sort_value and pid), and a cursor
 * after the last of them when there is a next page.
 */
void
list_reply_page(struct request *req, struct db *db, int items, int total,
    const struct page *page, const char *sort, int desc)
{
	char cursor[CURSOR_LEN];
	int  n, last;

	n = db_rows(db, items);
	if (n <= page->per_page) {
		list_reply(req, db, items, total, page, n, NULL);
		return;
	}
	last = (int)page->per_page - 1;
	cursor_encode(sort, desc, db_get(db, items, last, "pid"),
	    db_get(db, items, last, "sort_value"), cursor, sizeof(cursor));
	list_reply(req, db, items, total, page, (int)page->per_page, cursor);
}
