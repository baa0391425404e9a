/*
 * Writing CSV for exports: RFC 4180 cells (quoted when they hold a comma,
 * a quote, a line break or edge spaces; quotes doubled), rows ended with
 * CRLF. A cell of user text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe, the OWASP advice against CSV injection; numbers written by
 * us are never touched.
 */
#include <string.h>

#include "core/cbuf.h"
#include "core/csv.h"

static int
needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return (0);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return (1);
	return (strpbrk(s, ",\"\r\n") != NULL);
}

static int
looks_like_formula(const char *s)
{
	return (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL);
}

/* Appends one cell, preceded by a comma unless flags has CSV_FIRST. */
void
csv_append_cell(struct cbuf *b, const char *s, unsigned int flags)
{
	const char *p;
	int	    formula;

	if (!(flags & CSV_FIRST))
		cbuf_append(b, ",", 1);
	formula = (flags & CSV_TEXT) && looks_like_formula(s);
	if (!formula && !needs_quotes(s)) {
		cbuf_appendstr(b, s);
		return;
	}
	cbuf_append(b, "\"", 1);
	if (formula)
		cbuf_append(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			cbuf_append(b, "\"", 1);
		cbuf_append(b, p, 1);
	}
	cbuf_append(b, "\"", 1);
}

void
csv_end_row(struct cbuf *b)
{
	cbuf_append(b, "\r\n", 2);
}
