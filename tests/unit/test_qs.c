/*
 * Unit tests for core/qs.c: the query-string parser that replaces
 * Kore's silent dropping of unknown parameters with errors that name them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/qs.h"

/* Parses s into qs (initialised here) and returns qs_parse's result. */
static int
parse(struct qs *qs, const char *s, struct api_error *err)
{
	qs_init(qs);
	api_error_init(err, API_ERR_INTERNAL);
	return (qs_parse(qs, s, err));
}

/* s must parse; its first value of name must be want. */
static void
parses_to(const char *s, const char *name, const char *want)
{
	struct qs	 qs;
	struct api_error err;
	const char	*v;

	if (parse(&qs, s, &err) != 0)
		fail_msg("\"%s\" rejected: %s", s, err.message);
	if ((v = qs_get(&qs, name)) == NULL)
		fail_msg("\"%s\": no %s", s, name);
	if (strcmp(v, want) != 0)
		fail_msg("\"%s\": %s is \"%s\", want \"%s\"", s, name, v, want);
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* s must be rejected with rc and an error of the given code. */
static void
expect_error(const char *s, int rc, const char *code)
{
	struct qs	 qs;
	struct api_error err;
	int		 got;

	if ((got = parse(&qs, s, &err)) != rc)
		fail_msg("\"%.80s\": rc %d, want %d", s, got, rc);
	if (strcmp(err.code, code) != 0)
		fail_msg("\"%.80s\": code %s, want %s", s, err.code, code);
	assert_int_equal(err.status, 400);
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* qs-1.1: '&'-separated name=value pairs, in order. */
static void
test_parse_basic(void **state)
{
	struct qs	 qs;
	struct api_error err;

	assert_int_equal(parse(&qs, "a=1&b=two&c=3", &err), 0);
	assert_int_equal(qs.n, 3);
	assert_string_equal(qs.pairs[0].name, "a");
	assert_string_equal(qs.pairs[1].value, "two");
	assert_string_equal(qs_get(&qs, "c"), "3");
	qs_cleanup(&qs);
	assert_int_equal(qs.n, 0);

	/* Twin: NULL and "" are empty queries, not errors. */
	assert_int_equal(parse(&qs, NULL, &err), 0);
	assert_int_equal(qs.n, 0);
	assert_int_equal(parse(&qs, "", &err), 0);
	assert_int_equal(qs.n, 0);
	assert_null(qs_get(&qs, "a"));
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* qs-1.2: %XX escapes decode, in names and values, either hex case. */
static void
test_parse_percent(void **state)
{
	parses_to("q=caf%C3%A9%20bar", "q", "caf\xc3\xa9 bar");
	parses_to("q=caf%c3%a9", "q", "caf\xc3\xa9");
	parses_to("x=%2B%26%3D%25", "x", "+&=%");
	parses_to("na%6De=1", "name", "1");
	parses_to("q=%F0%9F%98%80", "q", "\xf0\x9f\x98\x80");

	/* Twin: a decoded '&' or '=' does not split the pair again. */
	parses_to("q=a%26b%3Dc&r=1", "q", "a&b=c");
}

/* qs-1.3: '+' is a space; an encoded plus is a plus. */
static void
test_parse_plus(void **state)
{
	parses_to("q=a+b++c", "q", "a b  c");
	parses_to("a+b=1", "a b", "1");

	/* Twin. */
	parses_to("q=a%2Bb", "q", "a+b");
}

/* qs-1.4: empty values, names without '=', and empty pairs. */
static void
test_parse_empty(void **state)
{
	struct qs	 qs;
	struct api_error err;

	parses_to("a=&b=1", "a", "");
	parses_to("flag", "flag", "");
	parses_to("x=1&flag", "flag", "");
	parses_to("a==b", "a", "=b");

	/* Twin: empty pairs are skipped, not turned into parameters. */
	assert_int_equal(parse(&qs, "&&a=1&&", &err), 0);
	assert_int_equal(qs.n, 1);
	assert_string_equal(qs.pairs[0].name, "a");
	qs_cleanup(&qs);
	assert_int_equal(parse(&qs, "&", &err), 0);
	assert_int_equal(qs.n, 0);
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* qs-1.5: a malformed escape is a 400, wherever it is. */
static void
test_parse_malformed(void **state)
{
	static const char *const bad[] = {
		"q=%G1",
		"q=%1G",
		"q=%4",
		"q=%",
		"q=a%",
		"q=1%2",
		"%zz=1",
		"q=%%41",
		"q=1&r=%4",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		expect_error(bad[i], CORE_E_INVALID, "bad_request");

	/* Twin: complete escapes, also at the very end. */
	parses_to("q=%41", "q", "A");
	parses_to("q=a%41", "q", "aA");
}

/* qs-1.6: %00 would cut a C string short; it is refused. */
static void
test_parse_nul(void **state)
{
	expect_error("q=%00", CORE_E_INVALID, "bad_request");
	expect_error("q=a%00b", CORE_E_INVALID, "bad_request");
	expect_error("%00q=1", CORE_E_INVALID, "bad_request");

	/* Twin: other low bytes decode. */
	parses_to("q=%01", "q", "\001");
	parses_to("q=%30", "q", "0");
}

/* qs-1.7: what decodes to invalid UTF-8 is an invalid_utf8 error. */
static void
test_parse_utf8(void **state)
{
	static const char *const bad[] = {
		"q=%FF",
		"q=%C3",
		"q=%C0%80",
		"q=%ED%A0%80",
		"q=%F4%90%80%80",
		"q=%E2%82",
		"%C3=1",
		"q=\xff",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		expect_error(bad[i], CORE_E_INVALID, "invalid_utf8");

	/* Twin: valid sequences, encoded or raw. */
	parses_to("q=%E2%82%AC", "q", "\xe2\x82\xac");
	parses_to("q=\xe2\x82\xac", "q", "\xe2\x82\xac");
}

/* qs-1.8: QS_MAX_PAIRS pairs are accepted, one more is an error. */
static void
test_parse_max_pairs(void **state)
{
	struct qs	 qs;
	struct api_error err;
	struct cbuf	 b;
	int		 i;

	cbuf_init(&b, 0);
	for (i = 0; i < QS_MAX_PAIRS; i++)
		cbuf_appendf(&b, "%sp%d=%d", i ? "&" : "", i, i);
	assert_int_equal(parse(&qs, b.data, &err), 0);
	assert_int_equal(qs.n, QS_MAX_PAIRS);
	assert_string_equal(qs_get(&qs, "p31"), "31");
	qs_cleanup(&qs);

	/* Twin: the next pair is refused (and the parsed ones still freed). */
	cbuf_appendstr(&b, "&x=1");
	assert_int_equal(parse(&qs, b.data, &err), CORE_E_TOOBIG);
	assert_int_equal(err.status, 400);
	assert_non_null(strstr(err.message, "too many"));
	qs_cleanup(&qs);
	api_error_cleanup(&err);
	cbuf_cleanup(&b);
}

/* Parses name=<n copies of unit>, returns the result. */
static int
parse_long(const char *name, const char *unit, size_t n, struct api_error *err)
{
	struct qs   qs;
	struct cbuf b;
	size_t	    i;
	int	    rc;

	cbuf_init(&b, 0);
	cbuf_appendf(&b, "%s=", name);
	for (i = 0; i < n; i++)
		cbuf_appendstr(&b, unit);
	rc = parse(&qs, b.data, err);
	if (rc == 0 &&
	    strlen(qs_get(&qs, name)) !=
		n * (unit[0] == '%' ? 1 : strlen(unit)))
		fail_msg("value of %s has the wrong length", name);
	qs_cleanup(&qs);
	cbuf_cleanup(&b);
	return (rc);
}

/* qs-1.9: values up to QS_MAX_VALUE decoded bytes, names up to 64. */
static void
test_parse_long(void **state)
{
	struct api_error err;
	char		 name[80];

	assert_int_equal(parse_long("q", "x", QS_MAX_VALUE, &err), 0);
	assert_int_equal(parse_long("q", "%41", QS_MAX_VALUE, &err), 0);
	memset(name, 'n', 64);
	name[64] = '\0';
	assert_int_equal(parse_long(name, "x", 1, &err), 0);
	api_error_cleanup(&err);

	/* Twin: one byte more, before or after decoding. */
	assert_int_not_equal(parse_long("q", "x", QS_MAX_VALUE + 1, &err), 0);
	assert_string_equal(err.field, "q");
	assert_int_equal(err.status, 400);
	api_error_cleanup(&err);
	assert_int_not_equal(parse_long("q", "%41", QS_MAX_VALUE + 1, &err), 0);
	api_error_cleanup(&err);
	assert_int_not_equal(
	    parse_long("q", "x", QS_MAX_VALUE * 3 + 1, &err), 0);
	api_error_cleanup(&err);
	name[64] = 'n';
	name[65] = '\0';
	assert_int_not_equal(parse_long(name, "x", 1, &err), 0);
	assert_int_equal(err.status, 400);
	api_error_cleanup(&err);
}

/* qs-2.1: qs_get returns the first value, qs_count counts them all. */
static void
test_get_count(void **state)
{
	struct qs	 qs;
	struct api_error err;

	assert_int_equal(parse(&qs, "a=1&b=2&a=3", &err), 0);
	assert_string_equal(qs_get(&qs, "a"), "1");
	assert_int_equal(qs_count(&qs, "a"), 2);
	assert_int_equal(qs_count(&qs, "b"), 1);

	/* Twin: absent and differently-cased names are not there. */
	assert_null(qs_get(&qs, "c"));
	assert_null(qs_get(&qs, "A"));
	assert_int_equal(qs_count(&qs, "c"), 0);
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* qs-2.2: qs_check_allowed names the first unknown parameter. */
static void
test_check_allowed(void **state)
{
	static const char *const allowed[] = { "page", "per_page", NULL };
	static const char *const none[] = { NULL };
	struct qs		 qs;
	struct api_error	 err;

	assert_int_equal(parse(&qs, "page=1&per_page=5&page=2", &err), 0);
	assert_int_equal(qs_check_allowed(&qs, allowed, &err), 0);
	qs_cleanup(&qs);
	assert_int_equal(parse(&qs, "", &err), 0);
	assert_int_equal(qs_check_allowed(&qs, NULL, &err), 0);
	assert_int_equal(qs_check_allowed(&qs, none, &err), 0);
	qs_cleanup(&qs);

	/* Twin: one unknown, misspelt or differently-cased parameter. */
	assert_int_equal(parse(&qs, "page=1&sort=name", &err), 0);
	assert_int_equal(qs_check_allowed(&qs, allowed, &err), CORE_E_INVALID);
	assert_string_equal(err.field, "sort");
	assert_string_equal(err.code, "bad_request");
	assert_non_null(strstr(err.message, "\"sort\""));
	assert_true(err.hint[0] != '\0');
	qs_cleanup(&qs);
	assert_int_equal(parse(&qs, "Page=1", &err), 0);
	assert_int_equal(qs_check_allowed(&qs, allowed, &err), CORE_E_INVALID);
	assert_string_equal(err.field, "Page");
	qs_cleanup(&qs);
	assert_int_equal(parse(&qs, "page=1", &err), 0);
	assert_int_equal(qs_check_allowed(&qs, NULL, &err), CORE_E_INVALID);
	assert_string_equal(err.field, "page");
	qs_cleanup(&qs);
	api_error_cleanup(&err);
}

/* Parses s and reads per_page in [1, 100], default 20. */
static int
get_int(const char *s, long min, long max, long *out, struct api_error *err)
{
	struct qs qs;
	int	  rc;

	if (parse(&qs, s, err) != 0)
		fail_msg("\"%s\" rejected", s);
	rc = qs_get_int(&qs, "per_page", min, max, 20, out, err);
	qs_cleanup(&qs);
	return (rc);
}

/* qs-2.3: qs_get_int reads a bounded integer, or the default. */
static void
test_get_int(void **state)
{
	struct api_error err;
	long		 n;
	char		 buf[64];

	assert_int_equal(get_int("", 1, 100, &n, &err), 0);
	assert_int_equal(n, 20);
	assert_int_equal(get_int("page=3", 1, 100, &n, &err), 0);
	assert_int_equal(n, 20);
	assert_int_equal(get_int("per_page=50", 1, 100, &n, &err), 0);
	assert_int_equal(n, 50);
	assert_int_equal(get_int("per_page=1", 1, 100, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(get_int("per_page=100", 1, 100, &n, &err), 0);
	assert_int_equal(n, 100);
	assert_int_equal(get_int("per_page=-5", -10, 10, &n, &err), 0);
	assert_true(n == -5);
	snprintf(buf, sizeof(buf), "per_page=%ld", LONG_MAX);
	assert_int_equal(get_int(buf, LONG_MIN, LONG_MAX, &n, &err), 0);
	assert_true(n == LONG_MAX);
	api_error_cleanup(&err);
}

/* qs-2.4: the twins of qs-2.3; the error names the parameter. */
static void
test_get_int_invalid(void **state)
{
	static const char *const bad[] = {
		"per_page=0",
		"per_page=101",
		"per_page=-1",
		"per_page=abc",
		"per_page=12abc",
		"per_page=",
		"per_page",
		"per_page=+",
		"per_page=%205",
		"per_page=5+",
		"per_page=1.5",
		"per_page=0x10",
		"per_page=1e2",
		"per_page=1&per_page=2",
		"per_page=5&per_page=5",
		"per_page=99999999999999999999",
	};
	struct api_error err;
	char		 buf[64];
	size_t		 i;
	long		 n;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		n = 0;
		if (get_int(bad[i], 1, 100, &n, &err) != CORE_E_INVALID)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_string_equal(err.field, "per_page");
		assert_int_equal(err.status, 400);
		/* On error *out holds the default, not a partial parse. */
		assert_int_equal(n, 20);
		api_error_cleanup(&err);
	}
	/* Overflow with the widest bounds is still an error. */
	snprintf(buf, sizeof(buf), "per_page=%ld0", LONG_MAX);
	assert_int_equal(
	    get_int(buf, LONG_MIN, LONG_MAX, &n, &err), CORE_E_INVALID);
	snprintf(buf, sizeof(buf), "per_page=%ld0", LONG_MIN);
	assert_int_equal(
	    get_int(buf, LONG_MIN, LONG_MAX, &n, &err), CORE_E_INVALID);
	api_error_cleanup(&err);
}

/* qs-3.1: qs_url_decode works in place and updates the length. */
static void
test_url_decode(void **state)
{
	char   s[32];
	size_t len;

	snprintf(s, sizeof(s), "a+b%%20c%%e2%%82%%ac");
	len = strlen(s);
	assert_int_equal(qs_url_decode(s, &len), 0);
	assert_int_equal(len, 8);
	assert_string_equal(s, "a b c\xe2\x82\xac");

	/* Twin: a bad escape is refused. */
	snprintf(s, sizeof(s), "abc%%2");
	len = strlen(s);
	assert_int_equal(qs_url_decode(s, &len), CORE_E_INVALID);
}

static void
test_check_single(void **state)
{
	static const char *const rep[] = { "kind", NULL };
	struct qs		 qs;
	struct api_error	 err;
	char			 buf[128];

	(void)state;
	snprintf(buf, sizeof(buf), "kind=a&kind=b&from=1");
	assert_int_equal(parse(&qs, buf, &err), 0);
	assert_int_equal(qs_check_single(&qs, rep, &err), 0);
	assert_int_not_equal(qs_check_single(&qs, NULL, &err), 0);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.field, "kind");
	assert_non_null(strstr(err.message, "given more than once"));
	api_error_cleanup(&err);
	qs_cleanup(&qs);

	snprintf(buf, sizeof(buf), "from=1&kind=a&from=2");
	assert_int_equal(parse(&qs, buf, &err), 0);
	assert_int_not_equal(qs_check_single(&qs, rep, &err), 0);
	assert_string_equal(err.field, "from");
	api_error_cleanup(&err);
	qs_cleanup(&qs);
}

static void
test_bad_param(void **state)
{
	struct api_error err;

	(void)state;
	api_error_init(&err, API_ERR_INTERNAL);
	assert_int_equal(qs_bad_param(&err, "to",
			     "query parameter \"%s\" "
			     "is before \"%s\"",
			     "to", "from"),
	    CORE_E_INVALID);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.field, "to");
	assert_string_equal(
	    err.message, "query parameter \"to\" is before \"from\"");
	api_error_cleanup(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_percent),
		cmocka_unit_test(test_parse_plus),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_parse_utf8),
		cmocka_unit_test(test_parse_max_pairs),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_get_count),
		cmocka_unit_test(test_check_allowed),
		cmocka_unit_test(test_get_int),
		cmocka_unit_test(test_get_int_invalid),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_check_single),
		cmocka_unit_test(test_bad_param),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
