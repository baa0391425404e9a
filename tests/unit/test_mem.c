/*
 * Unit tests for core/mem.c: the allocation wrappers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* mem-1.1: mem_strndup copies exactly len bytes and terminates the copy. */
static void
test_strndup(void **state)
{
	char *p;

	p = mem_strndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);

	/* Twin: a zero length is an empty string, not a copy of the source. */
	p = mem_strndup("abcdef", 0);
	assert_string_equal(p, "");
	free(p);

	p = mem_strdup("");
	assert_string_equal(p, "");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strndup),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
