/*
 * Unit tests for core/etag.c: If-Match read into a version, If-None-Match
 * compared with a tag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/etag.h"
#include "unit.h"

/* h's version, starting from a value etag_if_match must overwrite. */
static long
version_of(const char *h)
{
	long v = 12345;

	etag_if_match(h, &v);
	return (v);
}

/* clients-7.1: "*" or none is no condition; "N" and W/"N" are version N. */
static void
test_if_match(void **state)
{
	static const char *const nothing[] = {
		"3",
		"\"abc\"",
		"\"0\"",
		"\"3\" , \"4\"",
		"\"3\",\"4\"",
		"\"-3\"",
		"\"+3\"",
		"\"3",
		"3\"",
		"\"3\"x",
		"\"3\" ",
		"\"3 \"",
		"\"\"",
		"",
		"W/3",
		"w/\"3\"",
		"W/ \"3\"",
		"**",
		"* ",
		"\"3.0\"",
		"\"0x3\"",
		"\"03a\"",
		/* Past a SQL integer: no version, not a wrapped one. */
		"\"2147483648\"",
		"\"18446744073709551619\"",
		"\"99999999999999999999999999\"",
	};
	size_t i;

	assert_int_equal(version_of(NULL), -1);
	assert_int_equal(version_of("*"), -1);
	assert_int_equal(version_of("  *"), -1);
	assert_int_equal(version_of("\"3\""), 3);
	assert_int_equal(version_of("W/\"3\""), 3);
	assert_int_equal(version_of(" \"42\""), 42);
	assert_int_equal(version_of("\"1000000\""), 1000000);
	assert_int_equal(version_of("\"2147483647\""), ETAG_VERSION_MAX);

	/* Twin: anything else can match nothing (no resource has 0). */
	for (i = 0; i < CORE_ARRAY_LEN(nothing); i++) {
		if (version_of(nothing[i]) != 0)
			fail_msg("\"%s\": version %ld, want 0", nothing[i],
			    version_of(nothing[i]));
	}
}

/*
 * static-1.1: If-None-Match matches a file's tag weakly, in a list or as
 * "*" (issue 10, item 2: nginx's gzip makes the tag weak on its way out).
 */
static void
test_none_match(void **state)
{
	static const char *const match[] = {
		"\"abc\"",
		"W/\"abc\"",
		" W/\"abc\" ",
		"\"x\", \"abc\"",
		"\"x\",W/\"abc\"",
		"*",
	};
	static const char *const differ[] = {
		"\"abcd\"",
		"\"ab\"",
		"abc",
		"\"abc",
		"w/\"abc\"",
		"\"x\", \"y\"",
		"",
		"**",
		"\"ab,c\"",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(match); i++) {
		if (!etag_none_match(match[i], "\"abc\""))
			fail_msg("\"%s\" should match", match[i]);
		if (!etag_none_match(match[i], "W/\"abc\""))
			fail_msg("\"%s\" should match W/", match[i]);
	}

	/* Twins: other tags, broken lists and no header match nothing. */
	for (i = 0; i < CORE_ARRAY_LEN(differ); i++) {
		if (etag_none_match(differ[i], "\"abc\""))
			fail_msg("\"%s\" should not match", differ[i]);
	}
	assert_false(etag_none_match(NULL, "\"abc\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_if_match),
		cmocka_unit_test(test_none_match),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
