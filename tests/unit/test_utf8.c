/*
 * Unit tests for core/utf8.c: well-formed sequences, whole buffers, code\n * point counts, and JSON strings of text that is not UTF-8.
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
#include "core/utf8.h"
#include "unit.h"

/* utf8-1.1: utf8_seq_len measures well-formed sequences. */
static void
test_utf8_seq_len_valid(void **state)
{
	static const struct {
		const char *s;
		size_t	    n;
	} good[] = {
		{ "A", 1 }, { "\x7f", 1 },
		{ "\xc2\x80", 2 }, /* U+0080, the first 2-byte */
		{ "\xc3\xa9", 2 }, { "\xdf\xbf", 2 },
		{ "\xe0\xa0\x80", 3 }, /* U+0800 */
		{ "\xe2\x82\xac", 3 },
		{ "\xed\x9f\xbf", 3 }, /* U+D7FF, below surrogates */
		{ "\xee\x80\x80", 3 }, /* U+E000, above them */
		{ "\xef\xbf\xbf", 3 }, { "\xf0\x90\x80\x80", 4 }, /* U+10000 */
		{ "\xf0\x9f\x98\x80", 4 },			  /* an emoji */
		{ "\xf4\x8f\xbf\xbf", 4 },			  /* U+10FFFF */
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (utf8_seq_len(good[i].s, strlen(good[i].s)) != good[i].n)
			fail_msg("case %zu: wrong length", i);
		if (!utf8_valid(good[i].s, strlen(good[i].s)))
			fail_msg("case %zu: not valid", i);
	}
	/* Only the first sequence is measured. */
	assert_int_equal(utf8_seq_len("\xc3\xa9xyz", 5), 2);
}

/* utf8-1.2: overlongs, surrogates, > U+10FFFF, truncation are 0. */
static void
test_utf8_seq_len_invalid(void **state)
{
	static const struct {
		const char *s;
		size_t	    len;
	} bad[] = {
		{ "", 0 },
		{ "\xc0\x80", 2 }, /* overlong NUL */
		{ "\xc1\xbf", 2 },
		{ "\xe0\x80\x80", 3 },
		{ "\xe0\x9f\xbf", 3 }, /* overlong U+07FF */
		{ "\xf0\x80\x80\x80", 4 },
		{ "\xf0\x8f\xbf\xbf", 4 }, /* overlong U+FFFF */
		{ "\xed\xa0\x80", 3 },	   /* U+D800 */
		{ "\xed\xbf\xbf", 3 },	   /* U+DFFF */
		{ "\xf4\x90\x80\x80", 4 }, /* U+110000 */
		{ "\xf5\x80\x80\x80", 4 },
		{ "\xf8\x88\x80\x80\x80", 5 },
		{ "\xff", 1 },
		{ "\xfe", 1 },
		{ "\x80", 1 }, /* lone continuation */
		{ "\xbf", 1 },
		{ "\xc3", 1 }, /* truncated */
		{ "\xe2\x82", 2 },
		{ "\xf0\x9f\x98", 3 },
		{ "\xc3\x28", 2 }, /* bad continuation */
		{ "\xe2\x28\xa1", 3 },
		{ "\xf0\x9f\x28\x80", 4 },
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (utf8_seq_len(bad[i].s, bad[i].len) != 0)
			fail_msg("case %zu: accepted", i);
		if (bad[i].len > 0 && utf8_valid(bad[i].s, bad[i].len))
			fail_msg("case %zu: valid", i);
	}
	/* A complete sequence cut short by len is truncated too. */
	assert_int_equal(utf8_seq_len("\xf0\x9f\x98\x80", 3), 0);
	assert_int_equal(utf8_seq_len("\xc3\xa9", 1), 0);
}

/* utf8-1.3: utf8_valid checks the whole buffer. */
static void
test_utf8_valid(void **state)
{
	static const char s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";

	assert_true(utf8_valid(s, strlen(s)));
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("plain ascii", 11));

	/* Twin: one bad byte anywhere, or a sequence cut by the end. */
	assert_false(utf8_valid("abc\xff", 4));
	assert_false(utf8_valid("\xffzbc", 4));
	assert_false(utf8_valid("a\xc3\xa9\xe2\x82", 5));
	assert_false(utf8_valid(s, strlen(s) - 2));
}

/* utf8-1.4: utf8_length counts code points, not bytes. */
static void
test_utf8_length(void **state)
{
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("\xc3\xa9"), 1);
	assert_int_equal(utf8_length("\xf0\x9f\x98\x80"), 1);
	assert_int_equal(utf8_length("a\xe2\x82\xac\xf0\x9f\x98\x80"
				     "b"),
	    4);

	/* Twin: bytes are not characters. */
	assert_int_not_equal(
	    utf8_length("\xc3\xa9\xc3\xa9"), strlen("\xc3\xa9\xc3\xa9"));
}

/* utf8-2.1: utf8_json_lossy keeps valid text and patches invalid bytes. */
static void
test_json_lossy(void **state)
{
	json_t *j;

	j = utf8_json_lossy("ok \xe2\x82\xac");
	assert_string_equal(json_string_value(j), "ok \xe2\x82\xac");
	json_decref(j);

	/* Twin: each byte of a broken sequence becomes one '?'. */
	j = utf8_json_lossy("a\x80"
			    "b\xe2\x82"
			    "c\xf0\x9f\x98");
	assert_string_equal(json_string_value(j), "a?b??c???");
	json_decref(j);

	j = utf8_json_lossy("");
	assert_string_equal(json_string_value(j), "");
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_seq_len_valid),
		cmocka_unit_test(test_utf8_seq_len_invalid),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_json_lossy),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
