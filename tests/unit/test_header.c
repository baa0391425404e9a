/*
 * Unit tests for core/header.c: cookies, media types, bearer
 * credentials, and the client address behind trusted proxies, where a
 * mistake lets a client choose the address that rate limits and audit
 * logs see.
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
#include "core/header.h"

#define SESSION "clientd_session"
#define TRUSTED "10.0.0.1, 10.0.0.2,fd00::1"

/* header must yield want for cookie SESSION (NULL: not found). */
static void
expect_cookie(const char *header, const char *want)
{
	char out[64];
	int  found;

	memset(out, 'z', sizeof(out));
	found = header_cookie_find(header, SESSION, out, sizeof(out));
	if (want == NULL) {
		if (found)
			fail_msg("\"%s\": found \"%s\"", header, out);
		return;
	}
	if (!found)
		fail_msg("\"%s\": not found", header);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\": \"%s\", want \"%s\"", header, out, want);
}

/* http-1.1: the cookie is found wherever it is among others. */
static void
test_cookie_found(void **state)
{
	expect_cookie("clientd_session=abc", "abc");
	expect_cookie("a=1; clientd_session=abc; b=2", "abc");
	expect_cookie("a=1; b=2; clientd_session=abc", "abc");
	expect_cookie("a=1;clientd_session=abc;b=2", "abc");
	expect_cookie("clientd_session=abc  ; b=2", "abc");
	expect_cookie("flag; clientd_session=abc", "abc");
	expect_cookie("clientd_session=", "");
	/* The first of two is the one the browser sent as most specific. */
	expect_cookie("clientd_session=one; clientd_session=two", "one");
	expect_cookie("clientd_session=a=b", "a=b");

	/* Twin: absent. */
	expect_cookie("", NULL);
	expect_cookie("a=1; b=2", NULL);
	expect_cookie(";;; ", NULL);
	expect_cookie("clientd_session", NULL);
	assert_false(header_cookie_find(NULL, SESSION, NULL, 0));
}

/* http-1.2: names match whole, never as a prefix or a suffix. */
static void
test_cookie_prefix(void **state)
{
	expect_cookie("xclientd_session=evil; clientd_session=good", "good");
	expect_cookie("clientd_session_x=evil; clientd_session=good", "good");

	/* Twin: only look-alikes, no real one. */
	expect_cookie("xclientd_session=evil", NULL);
	expect_cookie("clientd_session_x=evil", NULL);
	expect_cookie("clientd_sessio=evil", NULL);
	expect_cookie("Clientd_session=evil", NULL);
	expect_cookie("a=clientd_session=evil", NULL);
	expect_cookie("clientd_session =evil", NULL);
}

/* http-1.3: a value that does not fit the buffer is not returned. */
static void
test_cookie_too_long(void **state)
{
	char out[4];

	assert_true(header_cookie_find(
	    "clientd_session=abc", SESSION, out, sizeof(out)));
	assert_string_equal(out, "abc");

	/* Twin: one byte more and it is "not found", not truncated. */
	assert_false(header_cookie_find(
	    "clientd_session=abcd", SESSION, out, sizeof(out)));
	assert_false(header_cookie_find(
	    "a=1; clientd_session=abcd; b=2", SESSION, out, sizeof(out)));
}

/* http-2.1: application/json, optionally with charset=utf-8. */
static void
test_content_type(void **state)
{
	static const char *const good[] = {
		"application/json",
		"Application/JSON",
		"application/json ",
		"application/json; charset=utf-8",
		"application/json;charset=UTF-8",
		"application/json ; charset=utf-8",
		"application/json; charset=\"utf-8\"",
		"application/json; CHARSET=Utf-8",
	};
	static const char *const bad[] = {
		"",
		"text/plain",
		"text/json",
		"json",
		"application/jso",
		"application/jsonx",
		"application/json-patch+json",
		"application/json+x",
		"application/xml",
		"application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x",
		"application/json;",
		"application/json; charset=latin1",
		"application/json; charset=iso-8859-1",
		"application/json; charset=utf-16",
		"application/json; charset=utf-8x",
		"application/json; charset=utf8",
		"application/json; boundary=x",
		"application/json, text/plain",
		" application/json",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!header_is_json(good[i]))
			fail_msg("rejected \"%s\"", good[i]);
	}
	/* Twin. */
	assert_false(header_is_json(NULL));
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (header_is_json(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/* http-3.1: "Bearer <token>", the scheme in any case. */
static void
test_bearer(void **state)
{
	static const char *const bad[] = {
		"",
		"Bearer",
		"Bearer ",
		"Bearer    ",
		"Basic dXNlcjpwYXNz",
		"Bearerabc",
		"Token abc",
		"Bearer\tabc",
		" Bearer abc",
	};
	const char *tok;
	size_t	    i;

	tok = NULL;
	assert_true(header_bearer_token("Bearer cdt_abc", &tok));
	assert_string_equal(tok, "cdt_abc");
	assert_true(header_bearer_token("bearer cdt_abc", &tok));
	assert_string_equal(tok, "cdt_abc");
	assert_true(header_bearer_token("BEARER cdt_abc", &tok));
	assert_string_equal(tok, "cdt_abc");
	assert_true(header_bearer_token("Bearer   cdt_abc", &tok));
	assert_string_equal(tok, "cdt_abc");

	/* Twin: no token, or another scheme; *tok is left alone. */
	assert_false(header_bearer_token(NULL, &tok));
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		tok = NULL;
		if (header_bearer_token(bad[i], &tok))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_null(tok);
	}
}

/* The client address for peer and xff behind TRUSTED. */
static const char *
client_ip(const char *peer, const char *xff)
{
	static char out[64];

	memset(out, 'z', sizeof(out));
	if (header_client_ip(peer, xff, TRUSTED, out, sizeof(out)) != 0)
		fail_msg("%s / %s: error", peer, xff);
	return (out);
}

/* http-4.1: an untrusted peer is the client, whatever it forwards. */
static void
test_client_ip_untrusted(void **state)
{
	assert_string_equal(client_ip("203.0.113.5", "1.2.3.4"), "203.0.113.5");
	assert_string_equal(
	    client_ip("203.0.113.5", "10.0.0.1"), "203.0.113.5");
	assert_string_equal(client_ip("203.0.113.5", NULL), "203.0.113.5");
	/* A peer that only looks like a trusted one (prefix) is untrusted. */
	assert_string_equal(client_ip("10.0.0.10", "1.2.3.4"), "10.0.0.10");
	assert_string_equal(client_ip("10.0.0.", "1.2.3.4"), "10.0.0.");

	/* Twin: the same header from a trusted peer is believed. */
	assert_string_equal(client_ip("10.0.0.1", "1.2.3.4"), "1.2.3.4");
}

/* http-4.2: behind trusted proxies, the rightmost untrusted entry. */
static void
test_client_ip_trusted(void **state)
{
	char out[64];

	assert_string_equal(client_ip("10.0.0.1", "1.2.3.4"), "1.2.3.4");
	assert_string_equal(client_ip("fd00::1", "2001:db8::7"), "2001:db8::7");
	/* The leftmost entries are whatever the client claimed. */
	assert_string_equal(
	    client_ip("10.0.0.1", "6.6.6.6, 1.2.3.4"), "1.2.3.4");
	assert_string_equal(
	    client_ip("10.0.0.1", " 6.6.6.6 ,  1.2.3.4 "), "1.2.3.4");
	/* A chain of trusted proxies is skipped. */
	assert_string_equal(
	    client_ip("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2, 10.0.0.1"),
	    "1.2.3.4");
	assert_string_equal(
	    client_ip("10.0.0.2", "1.2.3.4,fd00::1"), "1.2.3.4");

	/* Twin: no trusted list, no trust. */
	assert_int_equal(
	    header_client_ip("10.0.0.1", "1.2.3.4", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.1");
	assert_int_equal(
	    header_client_ip("10.0.0.1", "1.2.3.4", "", out, sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.1");
}

/*
 * http-4.6: a NULL peer is the proxy on the daemon's unix socket (issue
 * 10, item 2): trusted without being listed, 0.0.0.0 when it forwards no
 * usable address.
 */
static void
test_client_ip_unix_socket(void **state)
{
	char out[64];

	assert_int_equal(
	    header_client_ip(NULL, "1.2.3.4", NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "1.2.3.4");
	assert_int_equal(
	    header_client_ip(NULL, "6.6.6.6, 1.2.3.4", NULL, out, sizeof(out)),
	    0);
	assert_string_equal(out, "1.2.3.4");
	/* Listed proxies behind it are skipped, as behind any proxy. */
	assert_string_equal(client_ip(NULL, "1.2.3.4, 10.0.0.2"), "1.2.3.4");

	/* Twins: nothing usable forwarded is an unknown address. */
	assert_string_equal(client_ip(NULL, NULL), "0.0.0.0");
	assert_string_equal(client_ip(NULL, "garbage"), "0.0.0.0");
	assert_string_equal(client_ip(NULL, ""), "0.0.0.0");
}

/* http-4.3: garbage is never returned as an address. */
static void
test_client_ip_garbage(void **state)
{
	/* The rightmost entry is garbage: nothing past it can be trusted. */
	assert_string_equal(
	    client_ip("10.0.0.1", "1.2.3.4, garbage"), "10.0.0.1");
	assert_string_equal(
	    client_ip("10.0.0.1", "1.2.3.4, 10.0.0.2, x"), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", ""), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", " , "), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", "1.2.3.4:5555"), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", "unknown"), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", "1.2.3.4.5"), "10.0.0.1");
	assert_string_equal(client_ip("10.0.0.1", "<script>"), "10.0.0.1");
	/* Garbage behind a trusted hop: the last address seen. */
	assert_string_equal(
	    client_ip("10.0.0.1", "garbage, 10.0.0.2"), "10.0.0.2");

	/* Twin: garbage to the left of the client is ignored. */
	assert_string_equal(
	    client_ip("10.0.0.1", "garbage, 1.2.3.4"), "1.2.3.4");
}

/*
 * http-4.4: more X-Forwarded-For entries than are read. Regression: the
 * parser kept the leftmost 16 entries, all chosen by the client, so 16
 * forged entries chose the address.
 */
static void
test_client_ip_many(void **state)
{
	struct cbuf b;
	int	    i;

	/* The client forges 20 entries; the proxy appends the real one. */
	cbuf_init(&b, 0);
	for (i = 0; i < 20; i++)
		cbuf_appendf(&b, "6.6.6.%d, ", i);
	cbuf_appendstr(&b, "1.2.3.4");
	assert_string_equal(client_ip("10.0.0.1", b.data), "1.2.3.4");
	cbuf_appendstr(&b, ", 10.0.0.2");
	assert_string_equal(client_ip("10.0.0.1", b.data), "1.2.3.4");
	cbuf_reset(&b);

	/* An overlong header is read from its right end. */
	for (i = 0; i < 200; i++)
		cbuf_appendf(&b, "6.6.6.%d, ", i);
	cbuf_appendstr(&b, "1.2.3.4");
	assert_string_equal(client_ip("10.0.0.1", b.data), "1.2.3.4");
	cbuf_reset(&b);

	/* Twin: an overlong single entry gives nothing but the peer. */
	for (i = 0; i < 1100; i++)
		cbuf_append(&b, "9", 1);
	assert_string_equal(client_ip("10.0.0.1", b.data), "10.0.0.1");
	cbuf_cleanup(&b);
}

/* http-4.5: the peer's own address must fit out. */
static void
test_client_ip_small_buffer(void **state)
{
	char out[8];

	assert_int_equal(
	    header_client_ip("1.2.3.4", NULL, TRUSTED, out, sizeof(out)), 0);
	assert_string_equal(out, "1.2.3.4");

	/* Twin. */
	assert_int_equal(
	    header_client_ip("203.0.113.5", NULL, TRUSTED, out, sizeof(out)),
	    CORE_E_INVALID);
}

/* http-5.1: list membership is by whole entries. */
static void
test_ip_in_list(void **state)
{
	assert_true(header_ip_in_list("10.0.0.1", "10.0.0.1"));
	assert_true(header_ip_in_list("10.0.0.2", "10.0.0.1,10.0.0.2"));
	assert_true(header_ip_in_list("10.0.0.2", "10.0.0.1 10.0.0.2"));
	assert_true(header_ip_in_list("fd00::1", TRUSTED));

	/* Twin. */
	assert_false(header_ip_in_list("10.0.0.1", "10.0.0.10"));
	assert_false(header_ip_in_list("10.0.0.10", "10.0.0.1"));
	assert_false(header_ip_in_list("0.0.0.1", "10.0.0.1"));
	assert_false(header_ip_in_list("10.0.0.1", ""));
	assert_false(header_ip_in_list("10.0.0.1", " , ,"));
	assert_false(header_ip_in_list("10.0.0.1", NULL));
	assert_false(header_ip_in_list("", "10.0.0.1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_found),
		cmocka_unit_test(test_cookie_prefix),
		cmocka_unit_test(test_cookie_too_long),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_bearer),
		cmocka_unit_test(test_client_ip_untrusted),
		cmocka_unit_test(test_client_ip_trusted),
		cmocka_unit_test(test_client_ip_garbage),
		cmocka_unit_test(test_client_ip_many),
		cmocka_unit_test(test_client_ip_small_buffer),
		cmocka_unit_test(test_client_ip_unix_socket),
		cmocka_unit_test(test_ip_in_list),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
