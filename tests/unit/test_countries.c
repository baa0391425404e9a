/*
 * Unit tests for core/countries.c (issue 16): alpha-2 codes from codes and
 * names as other tools export them, and what is no country.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/core.h"
#include "core/countries.h"

static const char *
a2(const char *s)
{
	static char out[3];

	if (countries_alpha2(s, out) != 0)
		return ("-");
	return (out);
}

static void
test_codes_and_names(void **state)
{
	(void)state;
	assert_string_equal(a2("DE"), "DE");
	assert_string_equal(a2("de"), "DE");
	assert_string_equal(a2("DEU"), "DE");
	assert_string_equal(a2("deu"), "DE");
	assert_string_equal(a2("Germany"), "DE");
	assert_string_equal(a2("  germany"), "DE");
	assert_string_equal(a2("United States"), "US");
	assert_string_equal(a2("United States of America"), "US");
	assert_string_equal(a2("USA"), "US");
	assert_string_equal(a2("U.S.A."), "US");
	assert_string_equal(a2("UK"), "GB");
	assert_string_equal(a2("United Kingdom"), "GB");
	assert_string_equal(a2("Côte d'Ivoire"), "CI");
	assert_string_equal(a2("cote divoire"), "CI");
	assert_string_equal(a2("Åland Islands"), "AX");
	assert_string_equal(a2("Bolivia"), "BO");
	assert_string_equal(a2("Korea, Republic of"), "KR");
	assert_string_equal(a2("Österreich"), "AT");
	assert_string_equal(a2("Türkiye"), "TR");
}

static void
test_not_countries(void **state)
{
	(void)state;
	assert_string_equal(a2("Atlantis"), "-");
	assert_string_equal(a2("XX"), "-");
	assert_string_equal(a2("ZZZ"), "-");
	assert_string_equal(a2(""), "-");
	assert_string_equal(a2("   "), "-");
	assert_string_equal(a2("!!"), "-");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_and_names),
		cmocka_unit_test(test_not_countries),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
