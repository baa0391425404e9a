/*
 * Unit tests for core/documents.c (issue 14): stored names (paths,
 * control characters, quotes, 300 characters), the name a rename may
 * give, sniffing, the served type and what may be shown inline, the
 * Content-Disposition with RFC 6266's filename*, and byte ranges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/documents.h"

static void
name_is(const char *in, const char *want)
{
	char out[DOCUMENTS_NAME_MAX + 1];

	documents_name(in, strlen(in), out);
	assert_string_equal(out, want);
}

static void
test_name(void **state)
{
	char long_in[400], out[DOCUMENTS_NAME_MAX + 1];

	(void)state;
	name_is("report.pdf", "report.pdf");
	name_is("../../etc/passwd", "_.._etc_passwd");
	name_is("C:\\Users\\me\\a.txt", "C__Users_me_a.txt");
	name_is("..", "file");
	name_is("", "file");
	name_is("a\r\nb\x01.txt", "ab.txt");
	name_is("say \"hi\".txt", "say _hi_.txt");
	name_is("Überweisung €.pdf", "Überweisung €.pdf");
	name_is("bad\xff.txt", "bad_.txt");
	name_is(".hidden", "hidden");
	memset(long_in, 'a', 300);
	memcpy(long_in + 300, ".pdf", 5);
	documents_name(long_in, strlen(long_in), out);
	assert_int_equal(strlen(out), DOCUMENTS_NAME_MAX);
	assert_string_equal(out + DOCUMENTS_NAME_MAX - 4, ".pdf");
	/* Cut at a character, not in one. */
	memset(long_in, 0, sizeof(long_in));
	for (int i = 0; i < 150; i++)
		memcpy(long_in + i * 2, "\xc3\xa9", 2);
	documents_name(long_in, strlen(long_in), out);
	assert_true(strlen(out) <= DOCUMENTS_NAME_MAX);
	assert_int_equal(strlen(out) % 2, 0);
}

static void
test_name_check(void **state)
{
	char msg[128], big[300];

	(void)state;
	assert_int_equal(
	    documents_name_check("Invoice 7.pdf", msg, sizeof(msg)), 0);
	assert_int_equal(
	    documents_name_check("", msg, sizeof(msg)), CORE_E_INVALID);
	assert_int_equal(
	    documents_name_check("a/b", msg, sizeof(msg)), CORE_E_INVALID);
	assert_string_equal(msg, "a name must not contain \"/\"");
	assert_int_equal(
	    documents_name_check("a\\b", msg, sizeof(msg)), CORE_E_INVALID);
	assert_int_equal(
	    documents_name_check("..", msg, sizeof(msg)), CORE_E_INVALID);
	assert_int_equal(
	    documents_name_check("a\tb", msg, sizeof(msg)), CORE_E_INVALID);
	memset(big, 'x', 299);
	big[299] = '\0';
	assert_int_equal(
	    documents_name_check(big, msg, sizeof(msg)), CORE_E_TOOBIG);
}

static void
test_sniff(void **state)
{
	(void)state;
#define SNIFF(s) documents_sniff((const unsigned char *)(s), sizeof(s) - 1)
	assert_string_equal(SNIFF("%PDF-1.7\n"), "application/pdf");
	assert_string_equal(SNIFF("\x89PNG\r\n\x1a\n...."), "image/png");
	assert_string_equal(SNIFF("\xff\xd8\xff\xe0"), "image/jpeg");
	assert_string_equal(SNIFF("RIFF\0\0\0\0WEBPVP8 "), "image/webp");
	assert_string_equal(SNIFF("  <!DOCTYPE html><p>"), "text/html");
	assert_string_equal(SNIFF("<script>alert(1)</script>"), "text/html");
	assert_string_equal(
	    SNIFF("<svg xmlns='http://www.w3.org/2000/svg'>"), "image/svg+xml");
	assert_string_equal(
	    SNIFF("<?xml version='1.0'?><svg>"), "image/svg+xml");
	assert_string_equal(
	    SNIFF("<?xml version='1.0'?><a/>"), "application/xml");
	assert_string_equal(SNIFF("name,email\nA,a@x\n"), "text/plain");
	assert_string_equal(
	    SNIFF("\x01\x02\x00\x03"), "application/octet-stream");
	assert_string_equal(SNIFF(""), "application/octet-stream");
#undef SNIFF
}

static void
test_types(void **state)
{
	char t[DOCUMENTS_TYPE_MAX];

	(void)state;
	assert_int_equal(documents_type_normalize("Image/PNG; x=1", t), 0);
	assert_string_equal(t, "image/png");
	assert_int_equal(
	    documents_type_normalize("nonsense", t), CORE_E_INVALID);
	assert_int_equal(documents_type_normalize("a/b\"c", t), CORE_E_INVALID);
	assert_int_equal(documents_type_normalize("/x", t), CORE_E_INVALID);
	documents_type_choose("application/octet-stream", "image/png", t);
	assert_string_equal(t, "image/png");
	documents_type_choose("", "text/plain", t);
	assert_string_equal(t, "text/plain");
	documents_type_choose("text/csv", "text/plain", t);
	assert_string_equal(t, "text/csv");
	assert_true(documents_inline_ok("image/png", "image/png"));
	assert_true(documents_inline_ok("application/pdf", "application/pdf"));
	assert_false(documents_inline_ok("image/png", "text/html"));
	assert_false(documents_inline_ok("image/svg+xml", "image/svg+xml"));
	assert_false(documents_inline_ok("text/html", "text/html"));
}

static void
test_disposition(void **state)
{
	char out[1024];

	(void)state;
	assert_int_equal(
	    documents_disposition("attachment", "a b.pdf", out, sizeof(out)),
	    0);
	assert_string_equal(out,
	    "attachment; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf");
	assert_int_equal(
	    documents_disposition("attachment", "Ü\"%.txt", out, sizeof(out)),
	    0);
	assert_string_equal(out,
	    "attachment; filename=\"___.txt\"; filename*=UTF-8''%C3%9C%22%25.txt");
	assert_int_equal(
	    documents_disposition("inline", "x", out, 10), CORE_E_TOOBIG);
}

static void
test_range(void **state)
{
	uint64_t a = 0, b = 0;

	(void)state;
	assert_int_equal(
	    documents_range(NULL, 100, &a, &b), DOCUMENTS_RANGE_WHOLE);
	assert_int_equal(
	    documents_range("bytes=0-9", 100, &a, &b), DOCUMENTS_RANGE_PARTIAL);
	assert_true(a == 0 && b == 9);
	assert_int_equal(
	    documents_range("bytes=90-", 100, &a, &b), DOCUMENTS_RANGE_PARTIAL);
	assert_true(a == 90 && b == 99);
	assert_int_equal(
	    documents_range("bytes=-10", 100, &a, &b), DOCUMENTS_RANGE_PARTIAL);
	assert_true(a == 90 && b == 99);
	assert_int_equal(documents_range("bytes=-1000", 100, &a, &b),
	    DOCUMENTS_RANGE_PARTIAL);
	assert_true(a == 0 && b == 99);
	assert_int_equal(documents_range("bytes=50-1000", 100, &a, &b),
	    DOCUMENTS_RANGE_PARTIAL);
	assert_true(a == 50 && b == 99);
	assert_int_equal(documents_range("bytes=100-", 100, &a, &b),
	    DOCUMENTS_RANGE_UNSATISFIABLE);
	assert_int_equal(documents_range("bytes=-0", 100, &a, &b),
	    DOCUMENTS_RANGE_UNSATISFIABLE);
	assert_int_equal(documents_range("bytes=0-1,5-6", 100, &a, &b),
	    DOCUMENTS_RANGE_WHOLE);
	assert_int_equal(
	    documents_range("bytes=9-1", 100, &a, &b), DOCUMENTS_RANGE_WHOLE);
	assert_int_equal(
	    documents_range("items=0-1", 100, &a, &b), DOCUMENTS_RANGE_WHOLE);
	assert_int_equal(
	    documents_range("bytes=x-1", 100, &a, &b), DOCUMENTS_RANGE_WHOLE);
	assert_int_equal(
	    documents_range("bytes=99999999999999999999-", 100, &a, &b),
	    DOCUMENTS_RANGE_WHOLE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_range),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
