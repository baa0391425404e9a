/*
 * Reading CSV: libcsv's callback loop over text fed in pieces of any size
 * (STYLE.md principle 14). libcsv parses RFC 4180 strictly (a quote inside
 * an unquoted field, text after a closing quote and a quote left open at
 * the end are errors); this file adds what an import needs around it:
 *
 *   - where each record starts: its text line (a quoted field may span
 *     lines) and its spreadsheet row (records and blank lines, the number
 *     a spreadsheet shows), counted with CRLF, LF and lone CR breaks;
 *   - caps on a field, a line, a record and the number of columns, so a
 *     hostile file costs bounded memory;
 *   - errors that say what and where (line, column) in words;
 *   - sniffing the delimiter and the header row from a file's first bytes.
 *
 * The text is fed to libcsv one line at a time, so the line bookkeeping
 * happens between libcsv calls and needs nothing from its internals.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/csv_read.h"
#include "core/mem.h"

static int
space_comma(unsigned char c)
{
	return (c == ' ' || c == '\t');
}

static int
space_tab(unsigned char c)
{
	return (c == ' ');
}

static void fail(struct csv_read *, int, unsigned long, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* Records the first error: what, on the line being read, in column. */
static void
fail(struct csv_read *r, int status, unsigned long column, const char *fmt, ...)
{
	va_list ap;

	if (r->status != 0)
		return;
	r->status = status;
	r->err.line = r->line;
	r->err.row = r->between ? r->row + 1 : r->rec_row;
	r->err.column = column;
	va_start(ap, fmt);
	vsnprintf(r->err.message, sizeof(r->err.message), fmt, ap);
	va_end(ap);
}

static void
hint(struct csv_read *r, const char *s)
{
	snprintf(r->err.hint, sizeof(r->err.hint), "%s", s);
}

void
csv_read_init(struct csv_read *r, char delim, csv_read_cb cb, void *arg)
{
	memset(r, 0, sizeof(*r));
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		core_fatal("csv_init failed");
	csv_set_delim(&r->p, (unsigned char)delim);
	csv_set_space_func(&r->p, delim == '\t' ? space_tab : space_comma);
	csv_set_realloc_func(&r->p, mem_realloc);
	r->delim = delim;
	r->cb = cb;
	r->arg = arg;
	r->max_field = CSV_READ_FIELD_MAX;
	r->max_record = CSV_READ_RECORD_MAX;
	r->max_columns = CSV_READ_COLUMNS_MAX;
	cbuf_init(&r->buf, 1024);
	r->capf = 16;
	r->offs = mem_calloc(r->capf, sizeof(*r->offs));
	r->lens = mem_calloc(r->capf, sizeof(*r->lens));
	r->fields = mem_calloc(r->capf, sizeof(*r->fields));
	r->line = 1;
	r->at_line_start = 1;
	r->between = 1;
}

void
csv_read_cleanup(struct csv_read *r)
{
	csv_free(&r->p);
	cbuf_cleanup(&r->buf);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	r->offs = NULL;
	r->lens = NULL;
	r->fields = NULL;
}

/* libcsv: a field has ended. */
static void
on_field(void *data, size_t len, void *arg)
{
	struct csv_read *r = arg;

	if (r->status != 0)
		return;
	if (len > r->max_field) {
		fail(r, CORE_E_TOOBIG, r->nf + 1,
		    "a field is longer than %zu bytes", r->max_field);
		return;
	}
	if (r->nf == r->max_columns) {
		fail(r, CORE_E_TOOBIG, r->nf + 1,
		    "a row has more than %zu columns", r->max_columns);
		return;
	}
	if (r->nf == r->capf) {
		r->capf *= 2;
		r->offs = mem_realloc(r->offs, r->capf * sizeof(*r->offs));
		r->lens = mem_realloc(r->lens, r->capf * sizeof(*r->lens));
		r->fields =
		    mem_realloc(r->fields, r->capf * sizeof(*r->fields));
	}
	r->offs[r->nf] = r->buf.len;
	r->lens[r->nf] = len;
	if (len > 0)
		cbuf_append(&r->buf, data, len);
	cbuf_append(&r->buf, "", 1);
	r->nf++;
}

/* libcsv: a record has ended. */
static void
on_record(int c, void *arg)
{
	struct csv_read	      *r = arg;
	struct csv_read_record rec;
	size_t		       i;

	if (r->status != 0)
		return;
	for (i = 0; i < r->nf; i++) {
		r->fields[i].s = r->buf.data + r->offs[i];
		r->fields[i].len = r->lens[i];
	}
	rec.fields = r->fields;
	rec.n = r->nf;
	rec.row = r->rec_row;
	rec.line = r->rec_line;
	r->between = 1;
	r->nf = 0;
	r->rec_len = 0;
	if (r->cb(&rec, r->arg) != 0)
		r->status = CSV_READ_STOPPED;
	cbuf_reset(&r->buf);
}

static int
is_break(char c)
{
	return (c == '\n' || c == '\r');
}

/*
 * Whether s[0..n) holds a NUL byte or takes a line or a record past its
 * cap. If so, the bytes before the problem are read first, so the error
 * names the column it is in whatever the pieces the text came in, and 1
 * is returned.
 */
static int
cut_at_problem(struct csv_read *r, const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	size_t	    cut = n, room;
	int	    why = 0;

	if (nul != NULL) {
		cut = (size_t)(nul - s);
		why = 1;
	}
	room = r->max_record >= r->line_len ? r->max_record - r->line_len : 0;
	if (cut > room) {
		cut = room;
		why = 2;
	}
	room = r->max_record >= r->rec_len ? r->max_record - r->rec_len : 0;
	if (!r->between && cut > room) {
		cut = room;
		why = 3;
	}
	if (why == 0)
		return (0);
	if (cut > 0 && csv_parse(&r->p, s, cut, on_field, on_record, r) < cut &&
	    r->status == 0) {
		fail(r, CORE_E_INVALID, r->nf + 1, "malformed quotes");
		return (1);
	}
	switch (why) {
	case 1:
		fail(r, CORE_E_INVALID, r->nf + 1,
		    "the file contains a NUL byte");
		hint(r,
		    "Binary files (a workbook, UTF-16 text without a byte "
		    "order mark) are not CSV: save the sheet as CSV UTF-8.");
		break;
	case 2:
		fail(r, CORE_E_TOOBIG, r->nf + 1,
		    "a line is longer than %zu bytes", r->max_record);
		break;
	default:
		fail(r, CORE_E_TOOBIG, r->nf + 1,
		    "a row is longer than %zu bytes", r->max_record);
		hint(r,
		    "A quote that is never closed makes the rest of the file "
		    "one field.");
		break;
	}
	return (1);
}

/*
 * Feeds one segment: the rest of a line, up to and including its break
 * character if it has one.
 */
static void
feed_segment(struct csv_read *r, const char *s, size_t n)
{
	size_t done;
	char   last = s[n - 1];

	if (r->at_line_start) {
		if (n == 1 && last == '\n' && r->pending_cr) {
			/* The LF of a CRLF: the same line break. */
			r->pending_cr = 0;
			(void)csv_parse(&r->p, s, n, on_field, on_record, r);
			return;
		}
		if (is_break(s[0]) && r->between) {
			r->row++; /* a blank line */
		} else if (r->between) {
			r->between = 0;
			r->rec_line = r->line;
			r->rec_row = ++r->row;
		}
		r->at_line_start = 0;
	}
	r->pending_cr = 0;
	if (cut_at_problem(r, s, n) != 0)
		return;
	r->line_len += n;
	r->rec_len += n;
	done = csv_parse(&r->p, s, n, on_field, on_record, r);
	if (r->status == 0 && done < n) {
		fail(r, CORE_E_INVALID, r->nf + 1, "malformed quotes");
		hint(r,
		    "A field with a quote, a delimiter or a line break must be "
		    "in double quotes, with each quote inside doubled: "
		    "\"5\"\" screen\".");
	}
	if (is_break(last)) {
		r->line++;
		r->line_len = 0;
		r->at_line_start = 1;
		r->pending_cr = last == '\r';
	}
}

int
csv_read_feed(struct csv_read *r, const char *s, size_t len)
{
	size_t i, start;

	for (start = 0, i = 0; i < len && r->status == 0; i++) {
		if (!is_break(s[i]))
			continue;
		feed_segment(r, s + start, i + 1 - start);
		start = i + 1;
	}
	if (r->status == 0 && start < len)
		feed_segment(r, s + start, len - start);
	return (r->status);
}

int
csv_read_finish(struct csv_read *r)
{
	unsigned long line;

	if (r->status != 0)
		return (r->status);
	if (csv_fini(&r->p, on_field, on_record, r) != 0 && r->status == 0) {
		line = r->line;
		r->line = r->rec_line;
		fail(r, CORE_E_INVALID, r->nf + 1,
		    "a quoted field is not closed by the end of the file");
		hint(r,
		    "Look for a quote that opens a field on this line and "
		    "never closes it.");
		r->line = line;
	}
	return (r->status);
}

/* ---- sniffing -------------------------------------------------------------- */

#define SNIFF_RECORDS 200
#define SNIFF_KEEP    50

const char *
csv_read_delim_name(char d)
{
	switch (d) {
	case ',':
		return ("comma");
	case ';':
		return ("semicolon");
	case '\t':
		return ("tab");
	case '|':
		return ("pipe");
	default:
		return ("?");
	}
}

/* The first records as the sniffer keeps them. */
struct sniff_run {
	size_t	      n;
	size_t	      width[SNIFF_RECORDS];
	unsigned long row[SNIFF_RECORDS];
	size_t	      filled[SNIFF_KEEP];
	int	      datalike[SNIFF_KEEP];
};

static int
looks_numeric(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr(" .,-+()$%/:", *s) == NULL &&
		    (unsigned char)*s < 0x80)
			return (0);
	}
	return (digits > 0);
}

static int
sniff_record(const struct csv_read_record *rec, void *arg)
{
	struct sniff_run *s = arg;
	size_t		  i, filled = 0, numeric = 0;
	int		  email = 0;

	if (s->n == SNIFF_RECORDS)
		return (1);
	for (i = 0; i < rec->n; i++) {
		if (rec->fields[i].len == 0)
			continue;
		filled++;
		if (looks_numeric(rec->fields[i].s))
			numeric++;
		if (strchr(rec->fields[i].s, '@') != NULL &&
		    strchr(rec->fields[i].s, '.') != NULL &&
		    strchr(rec->fields[i].s, ' ') == NULL)
			email = 1;
	}
	s->width[s->n] = rec->n;
	s->row[s->n] = rec->row;
	if (s->n < SNIFF_KEEP) {
		s->filled[s->n] = filled;
		s->datalike[s->n] =
		    email || (filled > 0 && numeric * 2 > filled);
	}
	s->n++;
	return (0);
}

static void
sniff_with(
    const char *buf, size_t len, int whole, char delim, struct sniff_run *s)
{
	struct csv_read r;

	memset(s, 0, sizeof(*s));
	csv_read_init(&r, delim, sniff_record, s);
	if (csv_read_feed(&r, buf, len) == 0 && whole)
		(void)csv_read_finish(&r);
	csv_read_cleanup(&r);
}

/* The most frequent width (the wider on a tie) and how often it occurs. */
static size_t
modal_width(const struct sniff_run *s, size_t *count)
{
	size_t i, j, n, best = 0, best_n = 0;

	for (i = 0; i < s->n; i++) {
		for (n = 0, j = 0; j < s->n; j++)
			n += s->width[j] == s->width[i];
		if (n > best_n || (n == best_n && s->width[i] > best)) {
			best = s->width[i];
			best_n = n;
		}
	}
	*count = best_n;
	return (best);
}

void
csv_read_sniff(const char *buf, size_t len, int whole, struct csv_sniff *out)
{
	static const char cands[] = { ',', ';', '\t', '|' };
	struct sniff_run  runs[sizeof(cands)];
	struct sniff_run *s;
	size_t		  i, w, n, best = 0, best_w = 0, best_n = 0;

	for (i = 0; i < sizeof(cands); i++) {
		sniff_with(buf, len, whole, cands[i], &runs[i]);
		w = modal_width(&runs[i], &n);
		if (w >= 2 && (n > best_n || (n == best_n && w > best_w))) {
			best = i;
			best_w = w;
			best_n = n;
		}
	}
	memset(out, 0, sizeof(*out));
	out->delim = cands[best];
	s = &runs[best];
	out->columns = best_w > 0 ? best_w : 1;
	if (s->n == 0) {
		out->header_row = 0;
		out->first_row = 1;
		return;
	}
	/* The header: the first record this wide with most cells filled. */
	for (i = 0; i < s->n && i < SNIFF_KEEP; i++) {
		if (s->width[i] >= out->columns &&
		    s->filled[i] * 2 >= out->columns && s->filled[i] >= 1)
			break;
	}
	if (i == s->n || i == SNIFF_KEEP) {
		for (i = 0; i < s->n && s->width[i] < out->columns; i++)
			;
		if (i == s->n)
			i = 0;
	}
	if (i < SNIFF_KEEP && s->datalike[i]) {
		out->header_row = 0;
		out->first_row = s->row[i];
	} else {
		out->header_row = s->row[i];
		out->first_row = i + 1 < s->n ? s->row[i + 1] : s->row[i] + 1;
	}
}
