/*
 * Unit tests for core/encoding.c: which encoding a file is in (UTF-8 with
 * and without a BOM, Windows-1252, ISO-8859-1, UTF-16 with a BOM), found
 * from bytes fed in pieces, and the conversion to UTF-8, also in pieces
 * (issue 16).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/encoding.h"

/* The encoding of s (len bytes), fed step bytes at a time. */
static enum encoding_kind
detect(const char *s, size_t len, size_t step)
{
	struct encoding_detect d;
	size_t		       i, n;

	encoding_detect_init(&d);
	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		encoding_detect_feed(&d, s + i, n);
	}
	return (encoding_detect_result(&d));
}

static void
test_detect(void **state)
{
	static const char utf8[] = "name,city\nM\xc3\xbcller,K\xc3\xb6ln\n";
	static const char bom[] = "\xef\xbb\xbfname\nx\n";
	static const char latin1[] = "name\nM\xfcller\n";
	static const char cp1252[] = "name\n\x93quoted\x94 \x80 5\n";
	static const char le[] = "\xff\xfe"
				 "a\0";
	static const char be[] = "\xfe\xff\0a";
	size_t		  step;

	(void)state;
	for (step = 1; step <= 7; step += 3) {
		assert_int_equal(
		    detect(utf8, sizeof(utf8) - 1, step), ENCODING_UTF8);
		assert_int_equal(
		    detect(bom, sizeof(bom) - 1, step), ENCODING_UTF8_BOM);
		assert_int_equal(
		    detect(latin1, sizeof(latin1) - 1, step), ENCODING_LATIN1);
		assert_int_equal(detect(cp1252, sizeof(cp1252) - 1, step),
		    ENCODING_WINDOWS_1252);
	}
	assert_int_equal(detect(le, sizeof(le) - 1, 1), ENCODING_UTF16LE);
	assert_int_equal(detect(be, sizeof(be) - 1, 2), ENCODING_UTF16BE);
	/* ASCII is UTF-8; so is an empty file. */
	assert_int_equal(detect("a,b\n", 4, 4), ENCODING_UTF8);
	assert_int_equal(detect("", 0, 1), ENCODING_UTF8);
	/* Overlong, surrogate and truncated sequences are not UTF-8. */
	assert_int_equal(detect("\xc0\xaf", 2, 1), ENCODING_LATIN1);
	/* (0x80-0x9f in them: taken for Windows-1252.) */
	assert_int_equal(detect("\xed\xa0\x80", 3, 1), ENCODING_WINDOWS_1252);
	assert_int_equal(detect("ab\xc3", 3, 1), ENCODING_LATIN1);
	assert_int_equal(
	    detect("\xf4\x90\x80\x80", 4, 2), ENCODING_WINDOWS_1252);
}

/* s converted from kind, fed step bytes at a time; rc is what it gave. */
static const char *
convert(
    enum encoding_kind kind, const char *s, size_t len, size_t step, int *rc)
{
	static char	     out[256];
	struct encoding_conv c;
	struct cbuf	     b;
	size_t		     i, n;

	cbuf_init(&b, 16);
	encoding_conv_init(&c, kind);
	*rc = 0;
	for (i = 0; i < len && *rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		*rc = encoding_conv_feed(&c, s + i, n, &b);
	}
	if (*rc == 0)
		*rc = encoding_conv_finish(&c);
	snprintf(out, sizeof(out), "%s", b.data);
	cbuf_cleanup(&b);
	return (out);
}

static void
test_convert(void **state)
{
	int    rc;
	size_t step;

	(void)state;
	for (step = 1; step <= 5; step++) {
		assert_string_equal(
		    convert(ENCODING_LATIN1, "M\xfcller", 6, step, &rc),
		    "M\xc3\xbcller");
		assert_int_equal(rc, 0);
		/* 1252's euro, quotes and dashes; Latin-1 would keep C1. */
		assert_string_equal(convert(ENCODING_WINDOWS_1252,
					"\x80\x93x\x94\x96", 5, step, &rc),
		    "\xe2\x82\xac\xe2\x80\x9cx\xe2\x80\x9d\xe2\x80\x93");
		/* The BOM is dropped, even when cut across reads. */
		assert_string_equal(convert(ENCODING_UTF8_BOM,
					"\xef\xbb\xbf"
					"a\xc3\xa9",
					6, step, &rc),
		    "a\xc3\xa9");
		assert_int_equal(rc, 0);
		/* A file that starts like a BOM but is not one. */
		assert_string_equal(
		    convert(ENCODING_UTF8, "\xef\xbc\x81x", 4, step, &rc),
		    "\xef\xbc\x81x");
		assert_int_equal(rc, 0);
		assert_string_equal(convert(ENCODING_UTF16LE,
					"\xff\xfe"
					"A\0\xe9\0=\xd8\0\xde",
					10, step, &rc),
		    "A\xc3\xa9\xf0\x9f\x98\x80");
		assert_int_equal(rc, 0);
		assert_string_equal(
		    convert(ENCODING_UTF16BE, "\xfe\xff\0A", 4, step, &rc),
		    "A");
	}
	/* Bad input stops the conversion, with what came before kept. */
	assert_string_equal(convert(ENCODING_UTF8,
				"ab\xff"
				"cd",
				5, 2, &rc),
	    "ab");
	assert_int_equal(rc, CORE_E_INVALID);
	(void)convert(ENCODING_UTF8, "ab\xc3", 3, 1, &rc);
	assert_int_equal(rc, CORE_E_INVALID);
	(void)convert(ENCODING_UTF8_BOM, "\xef\xbb", 2, 1, &rc);
	assert_int_equal(rc, CORE_E_INVALID);
	/* A lone low surrogate, an odd byte, a high surrogate at the end. */
	(void)convert(ENCODING_UTF16LE, "\0\xdc", 2, 1, &rc);
	assert_int_equal(rc, CORE_E_INVALID);
	(void)convert(ENCODING_UTF16LE, "A\0B", 3, 1, &rc);
	assert_int_equal(rc, CORE_E_INVALID);
	(void)convert(ENCODING_UTF16LE, "=\xd8", 2, 1, &rc);
	assert_int_equal(rc, CORE_E_INVALID);
}

static void
test_names_and_cut(void **state)
{
	enum encoding_kind k;

	(void)state;
	assert_string_equal(
	    encoding_name(ENCODING_WINDOWS_1252), "Windows-1252");
	assert_int_equal(encoding_from_name("iso-8859-1", &k), 0);
	assert_int_equal(k, ENCODING_LATIN1);
	assert_int_equal(encoding_from_name("EBCDIC", &k), CORE_E_NOTFOUND);
	/* A cut point never splits a character. */
	assert_int_equal(encoding_utf8_cut("ab", 2), 2);
	assert_int_equal(encoding_utf8_cut("a\xc3\xa9", 3), 3);
	assert_int_equal(encoding_utf8_cut("a\xc3", 2), 1);
	assert_int_equal(encoding_utf8_cut("a\xe2\x82", 3), 1);
	assert_int_equal(encoding_utf8_cut("a\xf0\x9f\x98", 4), 1);
	assert_int_equal(encoding_utf8_cut("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(encoding_utf8_cut("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_names_and_cut),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
