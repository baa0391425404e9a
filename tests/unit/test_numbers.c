/*
 * Unit tests for core/numbers.c: checking client number patterns when
 * they are saved, expanding them into templates and templates into
 * numbers. Each accepted pattern or expansion stands next to the rejected
 * or overflowing twin it resembles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/mem.h"
#include "core/numbers.h"
#include "unit.h"

#define MARK	NUMBER_COUNTER_MARK
#define E_ACUTE "\xc3\xa9" /* two bytes, one character */

/* ---- checking ------------------------------------------------------------ */

/* pattern must pass numbers_pattern_check. */
static void
pattern_ok(const char *pattern)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (numbers_pattern_check(pattern, "pattern", &err) != 0)
		fail_msg("\"%s\" rejected: %s", pattern, err.message);
	assert_null(err.errors);
	api_error_cleanup(&err);
}

/*
 * pattern must fail with one invalid_value error on "pattern" whose
 * message holds want (NULL: any message).
 */
static void
pattern_bad(const char *pattern, const char *want)
{
	struct api_error err;
	json_t		*fe;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (numbers_pattern_check(pattern, "pattern", &err) != CORE_E_INVALID)
		fail_msg("\"%s\" accepted", pattern);
	assert_int_equal(err.status, 422);
	if (json_array_size(err.errors) != 1)
		fail_msg("\"%s\": %zu field errors", pattern,
		    json_array_size(err.errors));
	fe = json_array_get(err.errors, 0);
	assert_string_equal(
	    json_string_value(json_object_get(fe, "field")), "pattern");
	assert_string_equal(
	    json_string_value(json_object_get(fe, "code")), "invalid_value");
	if (want != NULL && strstr(err.message, want) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", pattern,
		    err.message, want);
	api_error_cleanup(&err);
}

/* numbers-1.1: each variable, next to a counter, is accepted. */
static void
test_check_variables(void **state)
{
	static const char *const good[] = {
		"{$counter}",
		"{$group_counter}",
		"{$year}{$counter}",
		"{$month}{$counter}",
		"{$date:Y}{$counter}",
		"{$client_id_number}{$counter}",
		"{$user_id}{$counter}",
		"C-{$year}-{$month}-{$counter}",
		"{$counter}/{$group_counter}",
		"{$counter}{$counter}",
		"KDR-{$counter}",
		"N\xc2\xba {$counter} \xe2\x82\xac",
		"{$client_id_number}/{$year}-{$group_counter}-{$user_id}",
		"$counter{$counter}",
		"a b c {$counter}",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		pattern_ok(good[i]);

	/* Twin: misspelt or mis-cased names are unknown variables. */
	pattern_bad("{$Counter}", "unknown variable \"{$Counter}\"");
	pattern_bad("{$counter }", "unknown variable \"{$counter }\"");
	pattern_bad("{$client_counter}", "unknown variable");
	pattern_bad("{$date}{$counter}", "unknown variable \"{$date}\"");
	pattern_bad("{counter}", "unknown variable \"{counter}\"");
	pattern_bad("{$counter}{}", "unknown variable \"{}\"");
	pattern_bad("{$}{$counter}", "unknown variable \"{$}\"");
}

/* numbers-1.2: an unknown variable is quoted whole in the message. */
static void
test_check_unknown_variable(void **state)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(numbers_pattern_check("C-{$foo}-{$counter}",
			     "settings.client_number_pattern", &err),
	    CORE_E_INVALID);
	assert_string_equal(err.message,
	    "unknown variable \"{$foo}\" in client number pattern");
	assert_string_equal(err.field, "settings.client_number_pattern");
	api_error_cleanup(&err);

	/* Twin. */
	pattern_ok("C-{$year}-{$counter}");
}

/* numbers-1.3: without a counter every client would get one number. */
static void
test_check_no_counter(void **state)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(
	    numbers_pattern_check("KDR", "pattern", &err), CORE_E_INVALID);
	assert_string_equal(err.message,
	    "client number pattern \"KDR\" has "
	    "no counter: every client would get the same number; add "
	    "{$counter} or {$group_counter}");
	api_error_cleanup(&err);

	pattern_bad("{$year}-{$month}", "has no counter");
	pattern_bad("{$date:Ymd}{$user_id}", "has no counter");
	pattern_bad("{$client_id_number}", "has no counter");
	pattern_bad("counter", "has no counter");
	pattern_bad("$counter", "has no counter");

	/* Twin: either counter is enough. */
	pattern_ok("KDR{$counter}");
	pattern_ok("KDR{$group_counter}");
}

/* numbers-1.4: every brace must open or close a variable. */
static void
test_check_braces(void **state)
{
	static const char *const bad[] = {
		"{$counter",
		"{$counter}}",
		"}{$counter}",
		"{{$counter}}",
		"{$co{$counter}}",
		"{$counter}{",
		"{$counter}}{",
		"{",
		"}",
		"{$counter}{$year",
		"a{b{$counter}",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		pattern_bad(bad[i], "unbalanced brace");

	/* Twin: balanced. */
	pattern_ok("{$counter}{$year}");
	pattern_ok("[{$counter}]");
	pattern_ok("({$counter})");
}

/* numbers-1.5: {$date:FORMAT} takes Y y m n d j and separators. */
static void
test_check_date_format(void **state)
{
	static const char *const good[] = {
		"{$date:Y}",
		"{$date:y}",
		"{$date:m}",
		"{$date:n}",
		"{$date:d}",
		"{$date:j}",
		"{$date:Ymd}",
		"{$date:Y-m-d}",
		"{$date:d.m.Y}",
		"{$date:d/m/y}",
		"{$date:Y_m}",
		"{$date:j n Y}",
		"{$date:Y. m}",
		"{$date:dddddddddddddddddddd}",
		"{$date:Y-m-d-Y-m-d-Y-m}",
	};
	static const char *const bad[] = {
		"{$date:}",
		"{$date:Q}",
		"{$date:Y-m-d H}",
		"{$date:His}",
		"{$date:D}",
		"{$date:M}",
		"{$date:-Y}",
		"{$date:Y-}",
		"{$date: Y}",
		"{$date:Y,m}",
		"{$date:Y:m}",
		"{$date:ddddddddddddddddddddd}",
		"{$date:Y\xc3\xa9m}",
	};
	char   text[128];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		snprintf(text, sizeof(text), "%s-{$counter}", good[i]);
		pattern_ok(text);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		snprintf(text, sizeof(text), "%s-{$counter}", bad[i]);
		pattern_bad(text, "invalid date format");
	}
	pattern_bad("{$date:Ymx}{$counter}", "invalid date format \"Ymx\"");
}

/* A pattern of n copies of fill and then tail (malloc'ed). */
static char *
pattern_of(const char *fill, size_t n, const char *tail)
{
	char  *s, *p;
	size_t len;

	s = repeat(fill, n);
	len = strlen(s) + strlen(tail) + 1;
	p = mem_alloc(len);
	snprintf(p, len, "%s%s", s, tail);
	free(s);
	return (p);
}

/*
 * numbers-1.6: 1..NUMBER_PATTERN_MAX characters, counted as characters;
 * and its numbers no longer than NUMBER_MAX with every counter at its
 * largest (NUMBER_COUNTER_DIGITS), {$client_id_number} counting as none.
 */
static void
test_check_length(void **state)
{
	char *p;

	/* "{$counter}{$client_id_number}" is 29 characters: exactly 64. */
	p = pattern_of(
	    "x", NUMBER_PATTERN_MAX - 29, "{$counter}{$client_id_number}");
	pattern_ok(p);
	free(p);
	p = pattern_of(
	    E_ACUTE, NUMBER_PATTERN_MAX - 29, "{$counter}{$client_id_number}");
	pattern_ok(p);
	free(p);
	/* 52 characters and a counter's 12 digits: a 64-character number. */
	p = pattern_of("x", NUMBER_MAX - NUMBER_COUNTER_DIGITS, "{$counter}");
	pattern_ok(p);
	free(p);

	/* Twins: a pattern one longer; a number one longer; empty. */
	p = pattern_of(
	    "x", NUMBER_PATTERN_MAX - 28, "{$counter}{$client_id_number}");
	pattern_bad(p, "longer than 64 characters");
	free(p);
	p = pattern_of(
	    "x", NUMBER_MAX - NUMBER_COUNTER_DIGITS + 1, "{$counter}");
	pattern_bad(p, "can make numbers of 65 characters");
	free(p);
	pattern_bad("", "must not be empty");
	/* The case: six counters make 72 digits, whatever the padding. */
	pattern_bad("{$counter}{$counter}{$counter}{$counter}{$counter}"
		    "{$counter}",
	    "can make numbers of 72 characters");
	pattern_bad("{$date:YYYYYYYYYYYYYYYYYYYY}-{$counter}",
	    "can make numbers of 93 characters");
	pattern_ok("{$date:Y-m-d}-{$user_id}-{$group_counter}");
}

/* numbers-1.7: control characters and invalid UTF-8 are refused. */
static void
test_check_control(void **state)
{
	pattern_bad("A\x01{$counter}", "control characters");
	pattern_bad("A\n{$counter}", "control characters");
	pattern_bad("A\t{$counter}", "control characters");
	pattern_bad("A\x7f{$counter}", "control characters");
	pattern_bad("A\xff{$counter}", "UTF-8");
	pattern_bad("A\xc3{$counter}", "UTF-8");

	/* Twin. */
	pattern_ok("A {$counter}");
	pattern_ok("A" E_ACUTE "{$counter}");
}

/* numbers-1.8: only the first problem is reported, on the given field. */
static void
test_check_first_problem(void **state)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(
	    numbers_pattern_check("{$foo}{$bar", "f", &err), CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 1);
	assert_non_null(strstr(err.message, "{$foo}"));
	assert_string_equal(err.field, "f");
	api_error_cleanup(&err);
}

/* numbers-2.1: numbers_pattern_uses_group_counter. */
static void
test_uses_group_counter(void **state)
{
	assert_true(numbers_pattern_uses_group_counter("{$group_counter}"));
	assert_true(
	    numbers_pattern_uses_group_counter("G-{$year}-{$group_counter}"));
	assert_true(
	    numbers_pattern_uses_group_counter("{$counter}{$group_counter}"));

	/* Twin. */
	assert_false(numbers_pattern_uses_group_counter("{$counter}"));
	assert_false(numbers_pattern_uses_group_counter("group_counter"));
	assert_false(numbers_pattern_uses_group_counter("{group_counter}"));
	assert_false(numbers_pattern_uses_group_counter("{$group_counte}"));
	assert_false(numbers_pattern_uses_group_counter(""));
}

/* ---- templates ----------------------------------------------------------- */

/* Variables at a date, with a user and an id number. */
static struct number_vars
vars_at(int year, int month, int day)
{
	struct number_vars v;

	memset(&v, 0, sizeof(v));
	v.now.tm_year = year - 1900;
	v.now.tm_mon = month - 1;
	v.now.tm_mday = day;
	v.client_id_number = "ID-7";
	v.user_id = "u1abcdefghjk";
	return (v);
}

/* pattern expands to want with vars. */
static void
template_is(
    const char *pattern, const struct number_vars *vars, const char *want)
{
	char out[NUMBER_MAX * 4 + 1];

	if (numbers_template(pattern, vars, out, sizeof(out)) != 0)
		fail_msg("\"%s\": failed", pattern);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\": \"%s\", want \"%s\"", pattern, out, want);
}

/* numbers-3.1: every variable; counters become the mark. */
static void
test_template_variables(void **state)
{
	struct number_vars v = vars_at(2026, 3, 5);

	template_is("{$counter}", &v, MARK);
	template_is("{$group_counter}", &v, MARK);
	template_is("{$year}", &v, "2026");
	template_is("{$month}", &v, "03");
	template_is("{$client_id_number}", &v, "ID-7");
	template_is("{$user_id}", &v, "u1abcdefghjk");
	template_is("C-{$year}-{$month}-{$counter}", &v, "C-2026-03-" MARK);
	template_is("{$counter}/{$group_counter}", &v, MARK "/" MARK);
	template_is("N\xc2\xba{$counter}", &v, "N\xc2\xba" MARK);
	template_is("plain", &v, "plain");

	/* Twin: other dates, other values. */
	v = vars_at(1999, 12, 28);
	v.user_id = "zz";
	template_is("{$year}{$month}", &v, "199912");
	template_is("{$user_id}", &v, "zz");
	v = vars_at(987, 1, 1);
	template_is("{$year}", &v, "0987");
}

/* numbers-3.2: each date letter, on one- and two-digit days and months. */
static void
test_template_date_letters(void **state)
{
	static const struct {
		const char *fmt;
		const char *early; /* 2026-03-05 */
		const char *late;  /* 2009-12-28 */
	} cases[] = {
		{ "Y", "2026", "2009" },
		{ "y", "26", "09" },
		{ "m", "03", "12" },
		{ "n", "3", "12" },
		{ "d", "05", "28" },
		{ "j", "5", "28" },
		{ "Ymd", "20260305", "20091228" },
		{ "Y-m-d", "2026-03-05", "2009-12-28" },
		{ "d.m.Y", "05.03.2026", "28.12.2009" },
		{ "j/n/y", "5/3/26", "28/12/09" },
		{ "Y_m d", "2026_03 05", "2009_12 28" },
		{ "YY", "20262026", "20092009" },
	};
	struct number_vars early = vars_at(2026, 3, 5);
	struct number_vars late = vars_at(2009, 12, 28);
	char		   pattern[64], want[64];
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		snprintf(pattern, sizeof(pattern), "{$date:%s}{$counter}",
		    cases[i].fmt);
		snprintf(want, sizeof(want), "%s" MARK, cases[i].early);
		template_is(pattern, &early, want);
		snprintf(want, sizeof(want), "%s" MARK, cases[i].late);
		template_is(pattern, &late, want);
	}
	/* Years before 2000 and in 2100 keep two digits for y. */
	late = vars_at(2100, 1, 1);
	template_is("{$date:y}", &late, "00");
}

/* numbers-3.3: every {$date:} is replaced, not only the first. */
static void
test_template_dates_repeat(void **state)
{
	struct number_vars v = vars_at(2026, 3, 5);

	template_is(
	    "{$date:Y}-{$counter}-{$date:md}", &v, "2026-" MARK "-0305");
	template_is("{$date:y}{$date:y}{$date:y}", &v, "262626");
	template_is(
	    "{$date:d}/{$date:m}/{$date:Y}/{$year}", &v, "05/03/2026/2026");
}

/* numbers-3.4: an empty or missing id number leaves nothing. */
static void
test_template_empty_values(void **state)
{
	struct number_vars v = vars_at(2026, 3, 5);

	v.client_id_number = "";
	template_is("{$client_id_number}/{$counter}", &v, "/" MARK);
	v.client_id_number = NULL;
	template_is("{$client_id_number}/{$counter}", &v, "/" MARK);
	v.user_id = "";
	template_is("{$user_id}{$counter}", &v, MARK);

	/* Twin: given values are inserted as they are. */
	v.client_id_number = "HRB 12 {$counter}";
	template_is(
	    "{$client_id_number}/{$counter}", &v, "HRB 12 {$counter}/" MARK);
}

/* numbers-3.5: a value with a control character could forge a mark. */
static void
test_template_control_values(void **state)
{
	struct number_vars v = vars_at(2026, 3, 5);
	char		   out[64];

	v.client_id_number = "A" MARK "B";
	assert_int_equal(numbers_template("{$client_id_number}{$counter}", &v,
			     out, sizeof(out)),
	    CORE_E_INVALID);
	assert_string_equal(out, "");
	v.client_id_number = "ok";
	v.user_id = "a\nb";
	assert_int_equal(
	    numbers_template("{$user_id}{$counter}", &v, out, sizeof(out)),
	    CORE_E_INVALID);

	/* Twin: a value not in the pattern is not looked at. */
	assert_int_equal(
	    numbers_template("{$counter}", &v, out, sizeof(out)), 0);
	assert_string_equal(out, MARK);
}

/* numbers-3.6: CORE_E_TOOBIG when the expansion does not fit. */
static void
test_template_toobig(void **state)
{
	struct number_vars v = vars_at(2026, 3, 5);
	char		   out[8], out9[9];

	/* "C-2026-" and the mark are 8 bytes; with the NUL, 9. */
	assert_int_equal(
	    numbers_template("C-{$year}-{$counter}", &v, out, sizeof(out)),
	    CORE_E_TOOBIG);
	assert_string_equal(out, "");
	assert_int_equal(numbers_template("{$date:Ymd}", &v, out, sizeof(out)),
	    CORE_E_TOOBIG);
	assert_int_equal(
	    numbers_template("{$counter}", &v, out, 0), CORE_E_TOOBIG);

	/* Twin: exactly fitting. */
	assert_int_equal(
	    numbers_template("C-{$year}{$counter}", &v, out, sizeof(out)), 0);
	assert_string_equal(out, "C-2026" MARK);
	assert_int_equal(
	    numbers_template("{$date:Ymd}", &v, out9, sizeof(out9)), 0);
	assert_string_equal(out9, "20260305");
}

/*
 * numbers-4.x (the number for a counter in a template) moved to pgTAP with
 * the one implementation, SQL number_format(): tests/sql/numbers.sql.
 */

/* numbers-5.1: a checked pattern and its template (SQL numbers it). */
static void
test_end_to_end(void **state)
{
	struct number_vars v = vars_at(2024, 11, 2);
	struct api_error   err;
	char		   tmpl[NUMBER_MAX * 4 + 1];

	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(numbers_pattern_check(
			     "{$year}-{$user_id}-{$counter}", "pattern", &err),
	    0);
	v.user_id = "01";
	assert_int_equal(numbers_template("{$year}-{$user_id}-{$counter}", &v,
			     tmpl, sizeof(tmpl)),
	    0);
	assert_string_equal(tmpl, "2024-01-" MARK);

	/* The default pattern gives the bare counter. */
	assert_int_equal(
	    numbers_template("{$counter}", &v, tmpl, sizeof(tmpl)), 0);
	assert_string_equal(tmpl, MARK);
	api_error_cleanup(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_variables),
		cmocka_unit_test(test_check_unknown_variable),
		cmocka_unit_test(test_check_no_counter),
		cmocka_unit_test(test_check_braces),
		cmocka_unit_test(test_check_date_format),
		cmocka_unit_test(test_check_length),
		cmocka_unit_test(test_check_control),
		cmocka_unit_test(test_check_first_problem),
		cmocka_unit_test(test_uses_group_counter),
		cmocka_unit_test(test_template_variables),
		cmocka_unit_test(test_template_date_letters),
		cmocka_unit_test(test_template_dates_repeat),
		cmocka_unit_test(test_template_empty_values),
		cmocka_unit_test(test_template_control_values),
		cmocka_unit_test(test_template_toobig),
		cmocka_unit_test(test_end_to_end),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
