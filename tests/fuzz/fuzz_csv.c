/*
 * The CSV front end of imports (issue 16): any bytes as an uploaded file,
 * through encoding detection and conversion to UTF-8, delimiter and
 * header sniffing, and the capped record reader, with the import's value
 * parsers on every cell. The records must not depend on how the text is
 * cut into pieces: the file is read whole and in pieces of a size the
 * input picks, and the two readings must agree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/countries.h"
#include "core/csv_read.h"
#include "core/encoding.h"
#include "core/import.h"
#include "core/utf8.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct seen {
	struct cbuf   log;
	unsigned long last_row;
	unsigned long last_line;
};

static int
on_record(const struct csv_read_record *rec, void *arg)
{
	struct seen *s = arg;
	char	     out[IMPORT_AMOUNT_MAX], why[80], cc[3];
	size_t	     i;

	if (rec->n > 64 || rec->row <= s->last_row || rec->line < s->last_line)
		abort();
	s->last_row = rec->row;
	s->last_line = rec->line;
	cbuf_appendf(&s->log, "%lu/%lu:", rec->row, rec->line);
	for (i = 0; i < rec->n; i++) {
		if (rec->fields[i].len > 256 ||
		    strlen(rec->fields[i].s) != rec->fields[i].len)
			abort();
		cbuf_append(&s->log, rec->fields[i].s, rec->fields[i].len);
		cbuf_append(&s->log, "\x1f", 1);
		if (import_amount_parse(rec->fields[i].s, 0, out, sizeof(out),
			why, sizeof(why)) == 0 &&
		    out[0] == '\0')
			abort();
		(void)import_bool_parse(rec->fields[i].s);
		(void)countries_alpha2(rec->fields[i].s, cc);
		(void)import_cell_text(rec->fields[i].s);
	}
	cbuf_append(&s->log, "\n", 1);
	return (0);
}

/* Reads text with delim in pieces of step bytes; the log of what it saw. */
static int
read_text(const char *text, size_t len, char delim, size_t step, struct seen *s)
{
	struct csv_read r;
	size_t		i, n;
	int		rc = 0;

	memset(s, 0, sizeof(*s));
	cbuf_init(&s->log, 256);
	csv_read_init(&r, delim, on_record, s);
	r.max_field = 256;
	r.max_columns = 64;
	r.max_record = 1024;
	for (i = 0; i < len && rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		rc = csv_read_feed(&r, text + i, n);
	}
	if (rc == 0)
		rc = csv_read_finish(&r);
	if (rc != 0)
		cbuf_appendf(&s->log, "error %d at %lu:%lu:%lu", rc, r.err.row,
		    r.err.line, r.err.column);
	csv_read_cleanup(&r);
	return (rc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct encoding_detect d;
	struct encoding_conv   c;
	struct csv_sniff       sn;
	struct cbuf	       text;
	struct seen	       whole, pieces;
	size_t		       step, i, n;

	if (len == 0)
		return (0);
	step = (size_t)data[0] % 17 + 1;
	data++;
	len--;

	encoding_detect_init(&d);
	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		encoding_detect_feed(&d, data + i, n);
	}
	cbuf_init(&text, len * 3 + 16);
	encoding_conv_init(&c, encoding_detect_result(&d));
	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		if (encoding_conv_feed(&c, data + i, n, &text) != 0)
			break;
	}
	if (i >= len && encoding_conv_finish(&c) == 0 &&
	    !utf8_valid(text.data, text.len))
		abort();
	if (encoding_utf8_cut(text.data, text.len) > text.len)
		abort();

	csv_read_sniff(text.data, text.len, 1, &sn);
	if (sn.columns == 0 ||
	    (sn.header_row != 0 && sn.first_row <= sn.header_row))
		abort();
	(void)read_text(text.data, text.len, sn.delim, text.len + 1, &whole);
	(void)read_text(text.data, text.len, sn.delim, step, &pieces);
	if (whole.log.len != pieces.log.len ||
	    memcmp(whole.log.data, pieces.log.data, whole.log.len) != 0)
		abort();
	cbuf_cleanup(&whole.log);
	cbuf_cleanup(&pieces.log);
	cbuf_cleanup(&text);
	return (0);
}
