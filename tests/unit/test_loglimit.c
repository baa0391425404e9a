/*
 * Unit tests for core/loglimit.c: repeated log lines held back and counted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/loglimit.h"
#include "unit.h"

/* hardening-4.2: one line per kind per window, the rest counted. */
static void
test_loglimit_window(void **state)
{
	struct loglimit l;
	unsigned long	n = 99;
	int		i, passed = 0;

	loglimit_init(&l);
	assert_int_equal(
	    loglimit_pass(&l, "database unavailable", 100.0, &n), 1);
	assert_int_equal(n, 0);
	/* 10,000 more within the window: none is written. */
	for (i = 0; i < 10000; i++)
		passed += loglimit_pass(
		    &l, "database unavailable", 100.0 + i * 0.0009, &n);
	assert_int_equal(passed, 0);
	/* Twin: another line is not held back by the first. */
	assert_int_equal(loglimit_pass(&l, "sql error XX000", 101.0, &n), 1);
	/* After the window the line passes again, carrying the count. */
	assert_int_equal(
	    loglimit_pass(&l, "database unavailable", 110.0, &n), 1);
	assert_int_equal(n, 10000);
	assert_int_equal(
	    loglimit_pass(&l, "database unavailable", 125.0, &n), 1);
	assert_int_equal(n, 0);
}

struct flushed {
	char	      line[LOGLIMIT_LINE];
	unsigned long n;
	int	      calls;
};

static void
record(const char *line, unsigned long n, void *arg)
{
	struct flushed *f = arg;

	snprintf(f->line, sizeof(f->line), "%s", line);
	f->n = n;
	f->calls++;
}

/* hardening-4.3: a count nobody carried is flushed once the window ends. */
static void
test_loglimit_flush(void **state)
{
	struct loglimit l;
	struct flushed	f = { "", 0, 0 };
	unsigned long	n;

	loglimit_init(&l);
	(void)loglimit_pass(&l, "readyz: database down", 0.0, &n);
	(void)loglimit_pass(&l, "readyz: database down", 1.0, &n);
	(void)loglimit_pass(&l, "readyz: database down", 2.0, &n);
	(void)loglimit_pass(&l, "quiet line", 0.0, &n);
	loglimit_flush(&l, 5.0, record, &f);
	assert_int_equal(f.calls, 0); /* the window is still open */
	loglimit_flush(&l, 10.5, record, &f);
	assert_int_equal(f.calls, 1); /* the quiet line had no repeats */
	assert_string_equal(f.line, "readyz: database down");
	assert_int_equal(f.n, 2);
	/* Twin: flushed once; the line then starts afresh. */
	loglimit_flush(&l, 30.0, record, &f);
	assert_int_equal(f.calls, 1);
	assert_int_equal(
	    loglimit_pass(&l, "readyz: database down", 31.0, &n), 1);
	assert_int_equal(n, 0);
}

/* More kinds than slots: the oldest window gives way, nothing overflows. */
static void
test_loglimit_many_kinds(void **state)
{
	struct loglimit l;
	unsigned long	n;
	char		line[32];
	int		i;

	loglimit_init(&l);
	for (i = 0; i < LOGLIMIT_SLOTS * 3; i++) {
		snprintf(line, sizeof(line), "kind %d", i);
		assert_int_equal(
		    loglimit_pass(&l, line, (double)i * 0.01, &n), 1);
	}
	assert_int_equal(loglimit_pass(&l, line, 1.0, &n), 0);
	assert_true(loglimit_key("") != 0);
	assert_true(loglimit_key("a") != loglimit_key("b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loglimit_window),
		cmocka_unit_test(test_loglimit_flush),
		cmocka_unit_test(test_loglimit_many_kinds),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
