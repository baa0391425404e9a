/*
 * Unit tests for core/crypto.c: token formats, SHA-256, the bytea text
 * form, CSRF derivation, constant-time comparison and argon2id password
 * hashes. Password hashing is slow by design (64 MiB, two passes), so the
 * tests hash as few times as they can.
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

#include <sodium.h>

#include "core/crypto.h"
#include "unit.h"

static int
is_b64url(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return (0);
	}
	return (1);
}

static int
setup(void **state)
{
	/* libsodium must be initialised before its first use. */
	return (crypto_init() == 0 ? 0 : -1);
}

/* crypto-1.1: API tokens are "cdt_" and 43 base64url characters. */
static void
test_api_token(void **state)
{
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];

	crypto_new_api_token(a);
	crypto_new_api_token(b);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_memory_equal(a, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
	assert_true(is_b64url(a + strlen(TOKEN_PREFIX)));
	assert_true(crypto_token_well_formed(a));
	assert_true(crypto_token_well_formed(b));

	/* Twin: two tokens are never the same. */
	assert_string_not_equal(a, b);
}

/* crypto-1.2: crypto_token_well_formed accepts exactly that shape. */
static void
test_api_token_well_formed(void **state)
{
	static const char *const bad_chars = "+/= .~!\"\xc3";
	char			 t[TOKEN_LEN + 2];
	const char		*c;

	memcpy(t, "cdt_", 4);
	memset(t + 4, 'A', TOKEN_LEN - 4);
	t[TOKEN_LEN] = '\0';
	assert_true(crypto_token_well_formed(t));
	t[4] = 'z';
	t[5] = '0';
	t[6] = '-';
	t[TOKEN_LEN - 1] = '_';
	assert_true(crypto_token_well_formed(t));

	/* Twin: other characters, lengths and prefixes. */
	for (c = bad_chars; *c != '\0'; c++) {
		t[20] = *c;
		if (crypto_token_well_formed(t))
			fail_msg(
			    "accepted a token with 0x%02x", (unsigned char)*c);
	}
	t[20] = 'A';
	assert_true(crypto_token_well_formed(t));
	t[TOKEN_LEN - 1] = '\0';
	assert_false(crypto_token_well_formed(t));
	t[TOKEN_LEN - 1] = 'A';
	t[TOKEN_LEN] = 'A';
	t[TOKEN_LEN + 1] = '\0';
	assert_false(crypto_token_well_formed(t));
	t[TOKEN_LEN] = '\0';
	memcpy(t, "CDT_", 4);
	assert_false(crypto_token_well_formed(t));
	memcpy(t, "cdx_", 4);
	assert_false(crypto_token_well_formed(t));
	assert_false(crypto_token_well_formed(""));
	assert_false(crypto_token_well_formed("cdt_"));
}

/* crypto-1.3: session tokens are 43 base64url characters, all different. */
static void
test_session_token(void **state)
{
	char a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];
	char id[32];

	crypto_new_session_token(a);
	crypto_new_session_token(b);
	assert_int_equal(strlen(a), SESSION_TOKEN_LEN);
	assert_true(is_b64url(a));
	assert_false(crypto_token_well_formed(a));

	/* Twin. */
	assert_string_not_equal(a, b);

	/* Request ids: 16 bytes, 22 characters. */
	crypto_random_b64(id, 23);
	assert_int_equal(strlen(id), 22);
	assert_true(is_b64url(id));
}

static void
random_b64_short(void)
{
	char id[22];

	crypto_random_b64(id, sizeof(id));
}

static void
random_b64_exact(void)
{
	char id[23];

	crypto_random_b64(id, sizeof(id));
}

/* crypto-1.4: a buffer too small for the encoding is fatal, not overrun. */
static void
test_random_b64_size(void **state)
{
	assert_false(aborts(random_b64_exact));

	/* Twin. */
	assert_true(aborts(random_b64_short));
}

/* crypto-2.1: SHA-256 known answers (FIPS 180-2). */
static void
test_sha256(void **state)
{
	unsigned char d[SHA256_LEN];
	char	      hex[SHA256_LEN * 2 + 1];

	crypto_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	crypto_sha256("abc", 3, d);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[SHA256_LEN - 1], 0xad);

	/* Twin: one letter changes everything; the length counts too. */
	crypto_sha256_hex("abd", 3, hex);
	assert_string_not_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("abc", 2, hex);
	assert_string_not_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

static void
bytea_short(void)
{
	static const unsigned char data[] = { 1, 2, 3 };
	char			   out[8];

	crypto_bytea_hex(data, sizeof(data), out, sizeof(out));
}

/* crypto-2.2: bytea text form is "\x" and lower-case hex. */
static void
test_bytea_hex(void **state)
{
	static const unsigned char data[] = { 0x00, 0xff, 0x10, 0xab };
	char			   out[2 * sizeof(data) + 3];
	unsigned char		   d[SHA256_LEN];
	char			   big[2 * SHA256_LEN + 3];

	crypto_bytea_hex(data, sizeof(data), out, sizeof(out));
	assert_string_equal(out, "\\x00ff10ab");
	crypto_bytea_hex(data, 0, out, sizeof(out));
	assert_string_equal(out, "\\x");
	crypto_sha256("abc", 3, d);
	crypto_bytea_hex(d, sizeof(d), big, sizeof(big));
	assert_string_equal(big,
	    "\\xba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");

	/* Twin: 2 * len + 2 bytes leave no room for the NUL: fatal. */
	assert_true(aborts(bytea_short));
}

/* crypto-2.3: the CSRF token is a function of the session token. */
static void
test_csrf_token(void **state)
{
	char s1[SESSION_TOKEN_LEN + 1], s2[SESSION_TOKEN_LEN + 1];
	char a[CSRF_TOKEN_LEN + 1], b[CSRF_TOKEN_LEN + 1];
	char hex[SHA256_LEN * 2 + 1];

	crypto_new_session_token(s1);
	crypto_new_session_token(s2);
	crypto_csrf_token(s1, a);
	crypto_csrf_token(s1, b);
	assert_int_equal(strlen(a), CSRF_TOKEN_LEN);
	assert_true(is_b64url(a));
	assert_string_equal(a, b);

	/* Twin: another session, another token; and not the session itself. */
	crypto_csrf_token(s2, b);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, s1);
	/* Nor its plain hash: the derivation has a context string. */
	crypto_sha256_hex(s1, strlen(s1), hex);
	assert_null(strstr(hex, a));
	crypto_csrf_token("", a);
	assert_int_equal(strlen(a), CSRF_TOKEN_LEN);
}

/* crypto-2.4: crypto_equal compares whole strings. */
static void
test_equal(void **state)
{
	assert_true(crypto_equal("abc", "abc"));
	assert_true(crypto_equal("", ""));

	/* Twin: a difference anywhere, or a prefix, is unequal. */
	assert_false(crypto_equal("abc", "abd"));
	assert_false(crypto_equal("abc", "xbc"));
	assert_false(crypto_equal("abc", "abcd"));
	assert_false(crypto_equal("abcd", "abc"));
	assert_false(crypto_equal("", "a"));
	assert_false(crypto_equal("abc", "ABC"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_token),
		cmocka_unit_test(test_api_token_well_formed),
		cmocka_unit_test(test_session_token),
		cmocka_unit_test(test_random_b64_size),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_bytea_hex),
		cmocka_unit_test(test_csrf_token),
		cmocka_unit_test(test_equal),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
