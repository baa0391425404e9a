/*
 * Unit tests for core/csv.c: RFC 4180 cells and rows, and spreadsheet
 * formulas in user text defused (OWASP CSV injection) while our own
 * numbers stay as they are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/csv.h"

/* One row of cells as CSV; flags apply to every cell. */
static const char *
row(const char *const *cells, unsigned int flags)
{
	static char out[512];
	struct cbuf b;
	size_t	    i;

	cbuf_init(&b, 16);
	for (i = 0; cells[i] != NULL; i++)
		csv_append_cell(&b, cells[i], flags | (i == 0 ? CSV_FIRST : 0));
	csv_end_row(&b);
	snprintf(out, sizeof(out), "%s", b.data);
	cbuf_cleanup(&b);
	return (out);
}

static void
test_plain(void **state)
{
	const char *const a[] = { "2026-01-01", "invoice", "120.00", NULL };
	const char *const empty[] = { "", "", "x", NULL };
	const char *const one[] = { "", NULL };

	(void)state;
	assert_string_equal(row(a, 0), "2026-01-01,invoice,120.00\r\n");
	/* Empty cells, even the first, keep their commas. */
	assert_string_equal(row(empty, 0), ",,x\r\n");
	assert_string_equal(row(one, 0), "\r\n");
}

static void
test_quoting(void **state)
{
	const char *const a[] = { "a,b", "say \"hi\"", "two\nlines", "cr\r",
		NULL };
	const char *const edges[] = { " lead", "trail ", "in side", NULL };

	(void)state;
	assert_string_equal(row(a, 0),
	    "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
	assert_string_equal(row(edges, 0), "\" lead\",\"trail \",in side\r\n");
}

static void
test_formulas(void **state)
{
	const char *const text[] = { "=SUM(A1:A9)", "+1", "-2", "@cmd", "\tx",
		"plain", "a=b", NULL };
	const char *const numbers[] = { "-40.00", "+1", NULL };

	(void)state;
	assert_string_equal(row(text, CSV_TEXT),
	    "\"'=SUM(A1:A9)\",\"'+1\",\"'-2\",\"'@cmd\",\"'\tx\",plain,a=b\r\n");
	/* Without CSV_TEXT (our amounts), nothing is touched. */
	assert_string_equal(row(numbers, 0), "-40.00,+1\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formulas),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
