/*
 * Unit tests for core/csv_read.c (issue 16): RFC 4180 records from text
 * fed in pieces of every size, quoted line breaks and doubled quotes,
 * delimiters, blank lines, the row and line each record starts on, the
 * caps, errors with line and column, and sniffing a file's delimiter and
 * header row (title lines above it included).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/csv_read.h"
#include "unit.h"

/* Every record as "row/line:[a][b]" lines. */
static int
collect(const struct csv_read_record *rec, void *arg)
{
	struct cbuf *b = arg;
	size_t	     i;

	cbuf_appendf(b, "%lu/%lu:", rec->row, rec->line);
	for (i = 0; i < rec->n; i++)
		cbuf_appendf(b, "[%s]", rec->fields[i].s);
	cbuf_append(b, "\n", 1);
	return (0);
}

static char result[4096];

/* Reads s fed step bytes at a time; rc is what the reader ended with. */
static const char *
parse(const char *s, char delim, size_t step, int *rc)
{
	struct csv_read r;
	struct cbuf	b;
	size_t		i, n, len = strlen(s);

	cbuf_init(&b, 64);
	csv_read_init(&r, delim, collect, &b);
	*rc = 0;
	for (i = 0; i < len && *rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		*rc = csv_read_feed(&r, s + i, n);
	}
	if (*rc == 0)
		*rc = csv_read_finish(&r);
	if (*rc != 0)
		snprintf(result, sizeof(result), "%s%lu:%lu:%lu %s", b.data,
		    r.err.row, r.err.line, r.err.column, r.err.message);
	else
		snprintf(result, sizeof(result), "%s", b.data);
	csv_read_cleanup(&r);
	cbuf_cleanup(&b);
	return (result);
}

/* The same result for every feed size. */
static void
expect(const char *in, char delim, const char *want, int want_rc)
{
	size_t step;
	int    rc;

	for (step = 1; step <= strlen(in) + 1; step++) {
		assert_string_equal(parse(in, delim, step, &rc), want);
		assert_int_equal(rc, want_rc);
	}
}

static void
test_records(void **state)
{
	(void)state;
	expect("a,b\n1,2\n", ',', "1/1:[a][b]\n2/2:[1][2]\n", 0);
	/* CRLF, no break at the end, empty cells kept. */
	expect("a,b\r\n,2\r\n3,", ',', "1/1:[a][b]\n2/2:[][2]\n3/3:[3][]\n", 0);
	/* Lone CR breaks (old Mac) count as lines too. */
	expect("a\rb\r", ',', "1/1:[a]\n2/2:[b]\n", 0);
	/* Other delimiters; a comma is then text. */
	expect("a;b\n1,5;2\n", ';', "1/1:[a][b]\n2/2:[1,5][2]\n", 0);
	expect("a\tb c\n", '\t', "1/1:[a][b c]\n", 0);
	expect("a|b\n", '|', "1/1:[a][b]\n", 0);
}

static void
test_quoting(void **state)
{
	(void)state;
	/* A quoted field over two lines: the next record starts on line 3. */
	expect("n,notes\n1,\"two\nlines\"\n2,x\n", ',',
	    "1/1:[n][notes]\n2/2:[1][two\nlines]\n3/4:[2][x]\n", 0);
	expect("a,\"b\r\nc\"\r\nd\r\n", ',', "1/1:[a][b\r\nc]\n2/3:[d]\n", 0);
	/* Doubled quotes, delimiters inside quotes, spaces around them. */
	expect("\"say \"\"hi\"\"\",\"a,b\" , \" c \"\n", ',',
	    "1/1:[say \"hi\"][a,b][ c ]\n", 0);
	/* Unquoted cells lose their edge spaces. */
	expect("  a  ,b\n", ',', "1/1:[a][b]\n", 0);
}

static void
test_blank_lines(void **state)
{
	(void)state;
	/* Blank lines are no records but count as spreadsheet rows. */
	expect("a\n\n\nb\n", ',', "1/1:[a]\n4/4:[b]\n", 0);
	expect("a\r\n\r\nb\r\n", ',', "1/1:[a]\n3/3:[b]\n", 0);
	expect("\n\na\n", ',', "3/3:[a]\n", 0);
}

static void
test_errors(void **state)
{
	(void)state;
	/* A quote inside an unquoted field: row 2, line 2, column 2. */
	expect("a,b\nx,5\" screen\n", ',', "1/1:[a][b]\n2:2:2 malformed quotes",
	    CORE_E_INVALID);
	/* Text after a closing quote. */
	expect("\"a\"b\n", ',', "1:1:1 malformed quotes", CORE_E_INVALID);
	/* A quote opened and never closed: where the record started. */
	expect("a\n1,\"open\nmore\n", ',',
	    "1/1:[a]\n2:2:2 a quoted field is not closed by the end of the "
	    "file",
	    CORE_E_INVALID);
	/* NUL bytes are no text (a workbook, UTF-16 without a BOM). */
	{
		struct csv_read r;
		struct cbuf	b;

		cbuf_init(&b, 16);
		csv_read_init(&r, ',', collect, &b);
		assert_int_equal(
		    csv_read_feed(&r, "a\nb\0c\n", 6), CORE_E_INVALID);
		assert_int_equal(r.err.line, 2);
		assert_string_equal(
		    r.err.message, "the file contains a NUL byte");
		assert_true(strlen(r.err.hint) > 0);
		csv_read_cleanup(&r);
		cbuf_cleanup(&b);
	}
}

static int
stop_at_two(const struct csv_read_record *rec, void *arg)
{
	(void)arg;
	return (rec->row == 2);
}

static void
test_caps(void **state)
{
	struct csv_read r;
	struct cbuf	b;
	char	       *big;
	int		rc;

	(void)state;
	/* A field over the cap. */
	cbuf_init(&b, 16);
	csv_read_init(&r, ',', collect, &b);
	r.max_field = 8;
	rc = csv_read_feed(&r, "a,123456789\n", 12);
	assert_int_equal(rc, CORE_E_TOOBIG);
	assert_int_equal(r.err.column, 2);
	assert_string_equal(r.err.message, "a field is longer than 8 bytes");
	/* Once failed, always failed. */
	assert_int_equal(csv_read_feed(&r, "x\n", 2), CORE_E_TOOBIG);
	csv_read_cleanup(&r);

	/* Too many columns. */
	cbuf_reset(&b);
	csv_read_init(&r, ',', collect, &b);
	r.max_columns = 3;
	assert_int_equal(csv_read_feed(&r, "a,b,c,d\n", 8), CORE_E_TOOBIG);
	assert_int_equal(r.err.column, 4);
	csv_read_cleanup(&r);

	/* A line over the cap, fed in small pieces. */
	cbuf_reset(&b);
	csv_read_init(&r, ',', collect, &b);
	r.max_record = 100;
	big = repeat("x", 150);
	assert_int_equal(csv_read_feed(&r, big, 50), 0);
	assert_int_equal(csv_read_feed(&r, big + 50, 100), CORE_E_TOOBIG);
	assert_string_equal(r.err.message, "a line is longer than 100 bytes");
	free(big);
	csv_read_cleanup(&r);

	/* A record over the cap across lines (an open quote eats the file). */
	cbuf_reset(&b);
	csv_read_init(&r, ',', collect, &b);
	r.max_record = 20;
	assert_int_equal(csv_read_feed(&r, "\"aaaaaaaaa\nbbbbbbbbb\ncccc", 25),
	    CORE_E_TOOBIG);
	assert_string_equal(r.err.message, "a row is longer than 20 bytes");
	csv_read_cleanup(&r);

	/* The callback stops the reader. */
	cbuf_reset(&b);
	csv_read_init(&r, ',', stop_at_two, NULL);
	assert_int_equal(csv_read_feed(&r, "a\nb\nc\n", 6), CSV_READ_STOPPED);
	csv_read_cleanup(&r);
	cbuf_cleanup(&b);
}

static void
sniff(const char *s, int whole, struct csv_sniff *out)
{
	csv_read_sniff(s, strlen(s), whole, out);
}

static void
test_sniff(void **state)
{
	struct csv_sniff sn;

	(void)state;
	sniff("name,email,city\nAcme,a@x.io,Berlin\nB,b@x.io,Rome\n", 1, &sn);
	assert_int_equal(sn.delim, ',');
	assert_int_equal(sn.columns, 3);
	assert_int_equal(sn.header_row, 1);
	assert_int_equal(sn.first_row, 2);

	/* Semicolons, with decimal commas in the data. */
	sniff("Name;Saldo;Stadt\nM\xc3\xbcller;1.142,85;K\xc3\xb6ln\n"
	      "Meier;-5,00;Bonn\n",
	    1, &sn);
	assert_int_equal(sn.delim, ';');
	assert_int_equal(sn.columns, 3);

	sniff("a\tb\tc\n1\t2\t3\n4\t5\t6\n", 1, &sn);
	assert_int_equal(sn.delim, '\t');
	sniff("a|b\n1|2\n", 1, &sn);
	assert_int_equal(sn.delim, '|');

	/* Title lines above the header (an export banner and a blank line). */
	sniff("Invoice Ninja - Clients\nExported 2026-01-02\n\n"
	      "Name,Email,Phone,City\nAcme,a@x.io,1,Berlin\n"
	      "B,b@x.io,2,Rome\n",
	    1, &sn);
	assert_int_equal(sn.delim, ',');
	assert_int_equal(sn.columns, 4);
	assert_int_equal(sn.header_row, 4);
	assert_int_equal(sn.first_row, 5);

	/* A title line written as a full-width row of mostly empty cells. */
	sniff(
	    "Customer List,,,\nname,email,phone,city\nA,a@x.io,1,B\n", 1, &sn);
	assert_int_equal(sn.header_row, 2);

	/* No header: the first row is data (an email address in it). */
	sniff("Acme,a@x.io,Berlin\nB,b@x.io,Rome\n", 1, &sn);
	assert_int_equal(sn.header_row, 0);
	assert_int_equal(sn.first_row, 1);

	/* A cut last record is left out when the sample is not whole. */
	sniff("a,b,c\n1,2,3\n4,5", 0, &sn);
	assert_int_equal(sn.columns, 3);
	/* Nothing at all. */
	sniff("", 1, &sn);
	assert_int_equal(sn.header_row, 0);
	assert_string_equal(csv_read_delim_name(';'), "semicolon");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_sniff),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
