/*
 * Unit tests for core/stmt.c: statements assembled from fragments with
 * named parameters, numbered in order of first use, and interned text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/stmt.h"
#include "unit.h"

/* stmt-1.1: names become $n in order of first use; a reuse is the same $n. */
static void
test_numbering(void **state)
{
	struct stmt	   st;
	const char *const *v;
	int		   n;

	stmt_init(&st);
	stmt_bind(&st, "since", "2026-01-01T00:00:00Z");
	stmt_append(&st, "SELECT 1 FROM t WHERE a = :group AND ");
	stmt_append(&st, "b >= :since::timestamptz AND c = :group");
	stmt_bind(&st, "group", "g1");
	assert_string_equal(stmt_text(&st),
	    "SELECT 1 FROM t WHERE a = $1 AND b >= $2::timestamptz AND c = $1");
	v = stmt_values(&st, &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "g1");
	assert_string_equal(v[1], "2026-01-01T00:00:00Z");
	stmt_cleanup(&st);
}

/* stmt-1.2: casts, quoted text and lone colons are not parameters. */
static void
test_not_names(void **state)
{
	struct stmt st;
	int	    n;

	stmt_init(&st);
	stmt_append(&st,
	    "SELECT ':x', \":y\", now()::date, '{a:1}', 1 : 2, "
	    "x::text");
	assert_string_equal(stmt_text(&st),
	    "SELECT ':x', \":y\", "
	    "now()::date, '{a:1}', 1 : 2, x::text");
	(void)stmt_values(&st, &n);
	assert_int_equal(n, 0);
	stmt_cleanup(&st);
}

/* stmt-1.3: NULL is a value (SQL NULL); the same text is one pointer. */
static void
test_intern(void **state)
{
	struct stmt	   a, b;
	const char *const *v;
	int		   n;

	stmt_init(&a);
	stmt_init(&b);
	stmt_append(&a, "SELECT :x::int");
	stmt_bind(&a, "x", NULL);
	stmt_append(&b, "SELECT :x::int");
	stmt_bind(&b, "x", "2");
	assert_ptr_equal(stmt_text(&a), stmt_text(&b));
	v = stmt_values(&a, &n);
	assert_int_equal(n, 1);
	assert_null(v[0]);
	stmt_cleanup(&b);
	stmt_init(&b);
	stmt_append(&b, "SELECT :x::bigint");
	stmt_bind(&b, "x", "2");
	assert_ptr_not_equal(stmt_text(&a), stmt_text(&b));
	stmt_cleanup(&a);
	stmt_cleanup(&b);
}

static void
unbound(void)
{
	struct stmt st;

	stmt_init(&st);
	stmt_append(&st, "SELECT :x");
	(void)stmt_text(&st);
}

static void
unused(void)
{
	struct stmt st;

	stmt_init(&st);
	stmt_append(&st, "SELECT 1");
	stmt_bind(&st, "x", "1");
	(void)stmt_text(&st);
}

static void
twice(void)
{
	struct stmt st;

	stmt_init(&st);
	stmt_append(&st, "SELECT :x");
	stmt_bind(&st, "x", "1");
	stmt_bind(&st, "x", "2");
}

static void
open_quote(void)
{
	struct stmt st;

	stmt_init(&st);
	stmt_append(&st, "SELECT 'x");
}

static void
bound_and_used(void)
{
	struct stmt st;
	int	    n;

	stmt_init(&st);
	stmt_append(&st, "SELECT :x");
	stmt_bind(&st, "x", "1");
	(void)stmt_text(&st);
	(void)stmt_values(&st, &n);
	stmt_cleanup(&st);
}

/* stmt-1.4: unbound, unused or twice-bound names are bugs, and fatal. */
static void
test_mistakes(void **state)
{
	assert_true(aborts(unbound));
	assert_true(aborts(unused));
	assert_true(aborts(twice));
	assert_true(aborts(open_quote));
	/* Twin. */
	assert_false(aborts(bound_and_used));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering),
		cmocka_unit_test(test_not_names),
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_mistakes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
