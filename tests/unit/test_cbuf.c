/*
 * Unit tests for core/cbuf.c: struct cbuf and its JSON writers. Every\n * response body passes through a cbuf, and the hand-written JSON\n * (cbuf_append_json_string, cbuf_append_json_min) goes to clients as is,\n * so its output is checked by parsing it back with jansson.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/mem.h"
#include "unit.h"

/* Appends s as a JSON string and returns what jansson reads back. */
static char *
json_roundtrip(const char *s)
{
	struct cbuf  b;
	json_error_t jerr;
	json_t	    *j;
	char	    *out;

	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, s);
	if ((j = json_loads(b.data, JSON_DECODE_ANY, &jerr)) == NULL)
		fail_msg("output %s is not JSON: %s", b.data, jerr.text);
	if (!json_is_string(j))
		fail_msg("output %s is not a JSON string", b.data);
	out = mem_strdup(json_string_value(j));
	json_decref(j);
	cbuf_cleanup(&b);
	return (out);
}

/* cbuf-1.2: cbuf_init starts empty, NUL-terminated, with at least 64 bytes. */
static void
test_cbuf_init(void **state)
{
	struct cbuf b;

	cbuf_init(&b, 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_true(b.cap >= 64);
	assert_string_equal(b.data, "");
	cbuf_cleanup(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);

	/* Twin: a larger request is honoured, not rounded down. */
	cbuf_init(&b, 4096);
	assert_true(b.cap >= 4096);
	cbuf_cleanup(&b);
}

/* cbuf-1.3: appending past the capacity grows the buffer and keeps the data. */
static void
test_cbuf_growth(void **state)
{
	struct cbuf b;
	size_t	    i, cap;

	cbuf_init(&b, 0);
	cap = b.cap;
	for (i = 0; i < 10000; i++)
		cbuf_append(&b, &"0123456789"[i % 10], 1);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > cap);
	assert_true(b.cap >= b.len + 1);
	assert_int_equal(b.data[b.len], '\0');
	for (i = 0; i < 10000; i++) {
		if (b.data[i] != "0123456789"[i % 10])
			fail_msg("byte %zu is %c", i, b.data[i]);
	}

	/* Twin: filling up to cap - 1 bytes does not reallocate. */
	cbuf_reset(&b);
	cap = b.cap;
	for (i = 0; i < cap - 1; i++)
		cbuf_append(&b, "x", 1);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, cap - 1);
	cbuf_cleanup(&b);
}

/* cbuf-1.4: cbuf_append takes bytes, not strings: NULs inside are kept. */
static void
test_cbuf_append_binary(void **state)
{
	struct cbuf b;

	cbuf_init(&b, 0);
	cbuf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);

	/* Twin: appendstr stops at the first NUL. */
	cbuf_appendstr(&b, "c\0d");
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0bc\0", 5);

	/* An empty append leaves everything as it was. */
	cbuf_append(&b, "", 0);
	assert_int_equal(b.len, 4);
	cbuf_cleanup(&b);
}

/* cbuf-1.5: cbuf_appendf formats, also beyond the current capacity. */
static void
test_cbuf_appendf(void **state)
{
	struct cbuf b;
	size_t	    i;

	cbuf_init(&b, 0);
	cbuf_appendf(&b, "%s=%d", "n", 42);
	assert_string_equal(b.data, "n=42");
	cbuf_appendf(&b, "%0500d", 7);
	assert_int_equal(b.len, 4 + 500);
	assert_int_equal(b.data[b.len - 1], '7');
	for (i = 4; i < b.len - 1; i++)
		assert_int_equal(b.data[i], '0');
	assert_int_equal(b.data[b.len], '\0');

	/* Twin: an empty expansion appends nothing. */
	cbuf_appendf(&b, "%s", "");
	assert_int_equal(b.len, 504);
	cbuf_cleanup(&b);
}

/* cbuf-1.6: cbuf_reset empties the buffer but keeps its memory. */
static void
test_cbuf_reset(void **state)
{
	struct cbuf b;
	size_t	    cap;

	cbuf_init(&b, 0);
	cbuf_appendf(&b, "%0200d", 1);
	cap = b.cap;
	cbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, cap);

	/* Twin: the buffer is usable again after a reset. */
	cbuf_appendstr(&b, "again");
	assert_string_equal(b.data, "again");
	cbuf_cleanup(&b);
}

/* cbuf-1.7: cbuf_release hands over the bytes and leaves b empty. */
static void
test_cbuf_release(void **state)
{
	struct cbuf b;
	char	   *p;
	size_t	    len = 0;

	cbuf_init(&b, 0);
	cbuf_appendstr(&b, "hello");
	p = cbuf_release(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Cleanup after a release is harmless (free(NULL)). */
	cbuf_cleanup(&b);
	free(p);

	/* Twin: a NULL length pointer is allowed. */
	cbuf_init(&b, 0);
	p = cbuf_release(&b, NULL);
	assert_string_equal(p, "");
	free(p);
}

/* cbuf-2.1: quotes and backslashes are escaped. */
static void
test_json_string_quotes(void **state)
{
	struct cbuf b;
	char	   *rt;

	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, "say \"hi\" \\o/");
	assert_string_equal(b.data, "\"say \\\"hi\\\" \\\\o/\"");
	cbuf_cleanup(&b);

	/* Twin: what comes back is the original, not the escaped text. */
	rt = json_roundtrip("a\"b\\c\\\"");
	assert_string_equal(rt, "a\"b\\c\\\"");
	free(rt);
}

/* cbuf-2.2: every control character is escaped, none is written raw. */
static void
test_json_string_controls(void **state)
{
	struct cbuf  b;
	char	     in[2], *rt;
	unsigned int c;
	size_t	     i;

	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, "a\nb\rc\td\001e\037f");
	assert_string_equal(b.data, "\"a\\nb\\rc\\td\\u0001e\\u001ff\"");
	cbuf_cleanup(&b);

	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		cbuf_init(&b, 0);
		cbuf_append_json_string(&b, in);
		for (i = 0; i < b.len; i++) {
			if ((unsigned char)b.data[i] < 0x20)
				fail_msg("control 0x%02x written raw", c);
		}
		cbuf_cleanup(&b);
		rt = json_roundtrip(in);
		assert_string_equal(rt, in);
		free(rt);
	}

	/* Twin: DEL and ordinary punctuation are not control characters. */
	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, "\177/<>");
	assert_string_equal(b.data, "\"\177/<>\"");
	cbuf_cleanup(&b);
}

/* cbuf-2.3: UTF-8 passes through byte for byte. */
static void
test_json_string_utf8(void **state)
{
	static const char s[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	struct cbuf	  b;
	char		 *rt;

	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, s);
	assert_int_equal(b.len, strlen(s) + 2);
	assert_memory_equal(b.data + 1, s, strlen(s));
	cbuf_cleanup(&b);

	rt = json_roundtrip(s);
	assert_string_equal(rt, s);
	free(rt);

	/* Twin: the empty string is a pair of quotes, not nothing. */
	cbuf_init(&b, 0);
	cbuf_append_json_string(&b, "");
	assert_string_equal(b.data, "\"\"");
	cbuf_cleanup(&b);
}

/* Minifies in and compares with want; the result must still parse. */
static void
check_min(const char *prefix, const char *in, const char *want)
{
	struct cbuf b;
	json_t	   *j;

	cbuf_init(&b, 0);
	cbuf_appendstr(&b, prefix);
	cbuf_append_json_min(&b, in);
	if (strcmp(b.data, want) != 0)
		fail_msg("min(%s) = %s, want %s", in, b.data, want);
	if (b.len != strlen(want))
		fail_msg("min(%s): len %zu", in, b.len);
	if (prefix[0] == '\0' && want[0] != '\0') {
		if ((j = json_loads(b.data, JSON_DECODE_ANY, NULL)) == NULL)
			fail_msg("min(%s) = %s is not JSON", in, b.data);
		json_decref(j);
	}
	cbuf_cleanup(&b);
}

/* cbuf-3.1: whitespace between tokens goes, whatever kind it is. */
static void
test_json_min_outside(void **state)
{
	check_min("", "{\"a\" : 1, \"b\" : [1, 2, null]}",
	    "{\"a\":1,\"b\":[1,2,null]}");
	check_min("", "{\n\t\"a\" :\r\n  true\n}\n", "{\"a\":true}");
	check_min("", "  [ ]  ", "[]");
	check_min("", "", "");
	/* Appends: what is in the buffer already stays. */
	check_min("x", " 1 ", "x1");

	/* Twin: text without whitespace is copied unchanged. */
	check_min("", "{\"a\":[1,{\"b\":\"c\"}]}", "{\"a\":[1,{\"b\":\"c\"}]}");
}

/* cbuf-3.2: whitespace inside strings is data and stays. */
static void
test_json_min_inside(void **state)
{
	check_min("", "{\"k\" : \"a  b\", \"sp ace\" : \" \"}",
	    "{\"k\":\"a  b\",\"sp ace\":\" \"}");

	/* Twin: after the string closes, whitespace goes again. */
	check_min("", "[\"a b\" , \"c d\" ]", "[\"a b\",\"c d\"]");
}

/* cbuf-3.3: an escaped quote does not end a string. */
static void
test_json_min_escapes(void **state)
{
	check_min("", "{\"k\" : \"say \\\"hi there\\\" ok\", \"n\" : 1}",
	    "{\"k\":\"say \\\"hi there\\\" ok\",\"n\":1}");
	/* \u escapes are copied verbatim, not decoded. */
	check_min("", "[\"a\\u0020 b\"]", "[\"a\\u0020 b\"]");

	/*
	 * Twin: an escaped backslash does end in a real quote; the space
	 * after that string is outside and goes.
	 */
	check_min("", "{\"k\" : \"c:\\\\\" , \"x\" : \"y z\"}",
	    "{\"k\":\"c:\\\\\",\"x\":\"y z\"}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cbuf_init),
		cmocka_unit_test(test_cbuf_growth),
		cmocka_unit_test(test_cbuf_append_binary),
		cmocka_unit_test(test_cbuf_appendf),
		cmocka_unit_test(test_cbuf_reset),
		cmocka_unit_test(test_cbuf_release),
		cmocka_unit_test(test_json_string_quotes),
		cmocka_unit_test(test_json_string_controls),
		cmocka_unit_test(test_json_string_utf8),
		cmocka_unit_test(test_json_min_outside),
		cmocka_unit_test(test_json_min_inside),
		cmocka_unit_test(test_json_min_escapes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
