/*
 * Unit tests for core/core.c: core_fatal stops the process.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/core.h"
#include "unit.h"

static void
fatal_call(void)
{
	core_fatal("unit test: %d", 42);
}

static void
no_fatal_call(void)
{
}

/* core-1.1: core_fatal aborts (and a function that does not, does not). */
static void
test_fatal(void **state)
{
	assert_true(aborts(fatal_call));
	assert_false(aborts(no_fatal_call));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fatal),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
