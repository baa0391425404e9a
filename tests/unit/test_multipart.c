/*
 * Unit tests for core/multipart.c (issue 16): the boundary of a
 * Content-Type, parts and their headers, content handed on exactly
 * whatever the size of the pieces fed (a delimiter cut between two reads,
 * CR LF and dashes in the content that only look like one), and the
 * malformed bodies, each with its reason.
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
#include "core/multipart.h"

static int
on_begin(const struct multipart_part *p, void *arg)
{
	cbuf_appendf(arg, "<%s%s%s|%s>", p->name, p->is_file ? ":" : "",
	    p->filename, p->content_type);
	return (0);
}

static int
on_data(const char *s, size_t n, void *arg)
{
	cbuf_append(arg, s, n);
	return (0);
}

static int
on_end(void *arg)
{
	cbuf_appendstr(arg, "</>");
	return (0);
}

static const struct multipart_cb cbs = { on_begin, on_data, on_end };

static char result[4096];

/* body read step bytes at a time: what the callbacks saw, or the error. */
static const char *
read_body(
    const char *boundary, const char *body, size_t len, size_t step, int *rc)
{
	struct multipart m;
	struct cbuf	 b;
	size_t		 i, n;

	cbuf_init(&b, 64);
	multipart_init(&m, boundary, &cbs, &b);
	*rc = 0;
	for (i = 0; i < len && *rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		*rc = multipart_feed(&m, body + i, n);
	}
	if (*rc == 0)
		*rc = multipart_finish(&m);
	snprintf(result, sizeof(result), "%s%s%s", b.data, *rc ? "!" : "",
	    *rc ? m.error : "");
	cbuf_cleanup(&b);
	return (result);
}

static void
expect(const char *boundary, const char *body, size_t len, const char *want,
    int want_rc)
{
	size_t step;
	int    rc;

	for (step = 1; step <= len; step++) {
		assert_string_equal(
		    read_body(boundary, body, len, step, &rc), want);
		assert_int_equal(rc, want_rc);
	}
}

static void
test_boundary(void **state)
{
	char b[80];

	(void)state;
	assert_int_equal(multipart_boundary("multipart/form-data; "
					    "boundary=----WebKitFormBoundaryA1",
			     b, sizeof(b)),
	    0);
	assert_string_equal(b, "----WebKitFormBoundaryA1");
	assert_int_equal(multipart_boundary("Multipart/Form-Data;charset=x; "
					    "boundary=\"a b:c\"",
			     b, sizeof(b)),
	    0);
	assert_string_equal(b, "a b:c");
	/* Other types, no boundary, bad characters, too long. */
	assert_int_equal(multipart_boundary("application/json", b, sizeof(b)),
	    CORE_E_INVALID);
	assert_int_equal(
	    multipart_boundary("multipart/form-data", b, sizeof(b)),
	    CORE_E_INVALID);
	assert_int_equal(
	    multipart_boundary(
		"multipart/form-data; boundary=a\"b", b, sizeof(b)),
	    CORE_E_INVALID);
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=", b, sizeof(b)),
	    CORE_E_INVALID);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary="
					    "01234567890123456789012345678901"
					    "23456789012345678901234567890123"
					    "4567890",
			     b, sizeof(b)),
	    CORE_E_INVALID);
	assert_int_equal(
	    multipart_boundary(NULL, b, sizeof(b)), CORE_E_INVALID);
}

static void
test_parts(void **state)
{
	static const char body[] =
	    "preamble\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"note\"\r\n"
	    "\r\n"
	    "hello\r\n"
	    "--XyZ\r\n"
	    "content-disposition: form-data; name=\"file\"; "
	    "filename=\"cli\\\"ents.csv\"\r\n"
	    "Content-Type: text/csv\r\n"
	    "\r\n"
	    "a,b\r\n--X\r\n--XyY\r\n\r\n1,2\r\n"
	    "--XyZ--\r\n"
	    "epilogue";

	(void)state;
	/* Look-alikes of the delimiter stay content. */
	expect("XyZ", body, sizeof(body) - 1,
	    "<note|>hello</><file:cli\"ents.csv|text/csv>"
	    "a,b\r\n--X\r\n--XyY\r\n\r\n1,2</>",
	    0);
	/* The first boundary right at the start; an empty part; padding. */
	static const char tight[] = "--b  \r\n"
				    "Content-Disposition: form-data; name=x\r\n"
				    "\r\n"
				    "\r\n--b--";
	expect("b", tight, sizeof(tight) - 1, "<x|></>", 0);
}

static void
test_malformed(void **state)
{
	static const char no_close[] =
	    "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc";
	static const char no_boundary[] = "just some text";
	static const char no_name[] =
	    "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
	static const char no_disp[] =
	    "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
	static const char bad_after[] = "--bX";
	static const char no_colon[] = "--b\r\nnonsense\r\n\r\nx\r\n--b--";
	struct multipart  m;
	struct cbuf	  b;
	char		  big[MULTIPART_HEADERS_MAX + 64];
	int		  rc;

	(void)state;
	expect("b", no_close, sizeof(no_close) - 1,
	    "<f|>abc!the body ends before its closing boundary",
	    CORE_E_INVALID);
	expect("b", no_boundary, sizeof(no_boundary) - 1,
	    "!the body has no multipart boundary line", CORE_E_INVALID);
	assert_string_equal(
	    read_body("b", no_name, sizeof(no_name) - 1, 3, &rc),
	    "!a part is not form-data with a name");
	assert_string_equal(
	    read_body("b", no_disp, sizeof(no_disp) - 1, 3, &rc),
	    "!a part has no Content-Disposition");
	assert_string_equal(
	    read_body("b", bad_after, sizeof(bad_after) - 1, 1, &rc),
	    "!the body has no multipart boundary line");
	assert_string_equal(
	    read_body("b", no_colon, sizeof(no_colon) - 1, 4, &rc),
	    "!a part header has no colon");

	/* Headers over the cap. */
	memset(big, 'h', sizeof(big));
	memcpy(big, "--b\r\nX: ", 8);
	cbuf_init(&b, 16);
	multipart_init(&m, "b", &cbs, &b);
	assert_int_equal(multipart_feed(&m, big, sizeof(big)), CORE_E_TOOBIG);
	assert_int_equal(multipart_feed(&m, "x", 1), CORE_E_TOOBIG);
	cbuf_cleanup(&b);
}

static int
stop_begin(const struct multipart_part *p, void *arg)
{
	(void)p;
	(void)arg;
	return (1);
}

static void
test_stop_and_count(void **state)
{
	static const struct multipart_cb stop = { stop_begin, on_data, on_end };
	struct multipart		 m;
	struct cbuf			 b, body;
	int				 i;

	(void)state;
	cbuf_init(&b, 16);
	multipart_init(&m, "b", &stop, &b);
	{
		static const char one[] = "--b\r\nContent-Disposition: "
					  "form-data; name=f\r\n\r\nx";

		assert_int_equal(multipart_feed(&m, one, sizeof(one) - 1),
		    MULTIPART_STOPPED);
	}
	cbuf_cleanup(&b);

	/* More parts than the cap. */
	cbuf_init(&body, 1024);
	for (i = 0; i <= MULTIPART_PARTS_MAX; i++)
		cbuf_appendstr(&body,
		    "--b\r\nContent-Disposition: form-data; name=p\r\n\r\nv\r\n");
	cbuf_appendstr(&body, "--b--");
	cbuf_init(&b, 16);
	multipart_init(&m, "b", &cbs, &b);
	assert_int_equal(
	    multipart_feed(&m, body.data, body.len), CORE_E_TOOBIG);
	cbuf_cleanup(&b);
	cbuf_cleanup(&body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_stop_and_count),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
