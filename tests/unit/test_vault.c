/*
 * Unit tests for core/vault.c: keys from the environment's text, sealing
 * and opening, and each way opening fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/core.h"
#include "core/crypto.h"
#include "core/vault.h"
#include "unit.h"

static int
setup(void **state)
{
	return (crypto_init() == 0 ? 0 : -1);
}

/* vault-1.1: a key is 32 bytes as base64 (either alphabet, padded or
 * not) or hex; (twins) other lengths and other text are refused. */
static void
test_key_parse(void **state)
{
	unsigned char k[VAULT_KEY_LEN], h[VAULT_KEY_LEN];
	const char   *b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	assert_int_equal(vault_key_parse(b64, k), 0);
	assert_int_equal(k[0], 0);
	assert_int_equal(k[31], 31);
	assert_int_equal(
	    vault_key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", h),
	    0);
	assert_memory_equal(k, h, sizeof(k));
	assert_int_equal(
	    vault_key_parse(
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		h),
	    0);
	assert_memory_equal(k, h, sizeof(k));
	assert_int_equal(vault_key_parse("c2hvcnQ=", h), CORE_E_INVALID);
	assert_int_equal(
	    vault_key_parse("not a key at all", h), CORE_E_INVALID);
	assert_int_equal(vault_key_parse("", h), CORE_E_INVALID);
	assert_int_equal(vault_key_parse(NULL, h), CORE_E_INVALID);
}

/* vault-1.2: sealed opens to what went in, never equals it, and differs
 * each time (a fresh nonce). */
static void
test_round_trip(void **state)
{
	unsigned char key[VAULT_KEY_LEN], a[VAULT_SEALED_LEN(5)],
	    b[VAULT_SEALED_LEN(5)], out[16];

	memset(key, 9, sizeof(key));
	vault_seal(key, (const unsigned char *)"hello", 5, a);
	vault_seal(key, (const unsigned char *)"hello", 5, b);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_null(memmem(a, sizeof(a), "hello", 5));
	assert_int_equal(vault_open(key, a, sizeof(a), out, sizeof(out)), 5);
	assert_memory_equal(out, "hello", 5);
}

/* vault-1.3: (twins) another key, a flipped bit, a truncated value. */
static void
test_open_fails(void **state)
{
	unsigned char key[VAULT_KEY_LEN], other[VAULT_KEY_LEN],
	    s[VAULT_SEALED_LEN(5)], out[16];

	memset(key, 9, sizeof(key));
	memset(other, 8, sizeof(other));
	vault_seal(key, (const unsigned char *)"hello", 5, s);
	assert_int_equal(vault_open(other, s, sizeof(s), out, sizeof(out)),
	    VAULT_E_OTHER_KEY);
	s[sizeof(s) - 1] ^= 1;
	assert_int_equal(
	    vault_open(key, s, sizeof(s), out, sizeof(out)), CORE_E_CRYPTO);
	assert_int_equal(
	    vault_open(key, s, 10, out, sizeof(out)), CORE_E_INVALID);
	s[0] = 7;
	assert_int_equal(
	    vault_open(key, s, sizeof(s), out, sizeof(out)), CORE_E_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_open_fails),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
