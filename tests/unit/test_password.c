/*
 * Unit tests for core/password.c: argon2id hashes and what a password must\n * look like.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/crypto.h"
#include "core/password.h"
#include "unit.h"

static int
setup(void **state)
{
	/* libsodium must be initialised before its first use. */
	return (crypto_init() == 0 ? 0 : -1);
}

/* crypto-3.1: argon2id hashes verify the right password only. */
static void
test_password(void **state)
{
	char	    h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	const char *pw = "correct horse battery staple";

	assert_int_equal(password_hash(pw, h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_true(strlen(h1) < PASSWORD_HASH_MAX);
	assert_true(password_verify(pw, h1));

	/* Twin: wrong, truncated, longer and empty passwords fail. */
	assert_false(password_verify("correct horse battery stapl", h1));
	assert_false(password_verify("correct horse battery staple ", h1));
	assert_false(password_verify("Correct horse battery staple", h1));
	assert_false(password_verify("", h1));

	/* The same password hashes differently (a random salt). */
	assert_int_equal(password_hash(pw, h2), 0);
	assert_string_not_equal(h1, h2);
	assert_true(password_verify(pw, h2));

	/* UTF-8 passwords are bytes like any other. */
	assert_int_equal(password_hash("p\xc3\xa4sswort!", h2), 0);
	assert_true(password_verify("p\xc3\xa4sswort!", h2));
	assert_false(password_verify("passwort!", h2));
}

static void
dummy_uninitialised(void)
{
	password_verify_dummy("x");
}

/* crypto-3.2: only argon2id hashes are accepted, whatever they say. */
static void
test_password_other_hashes(void **state)
{
	char	    h[crypto_pwhash_STRBYTES], *p;
	const char *pw = "correct horse battery staple";

	/* argon2i with the right password is still refused. */
	assert_int_equal(crypto_pwhash_str_alg(h, pw, strlen(pw),
			     crypto_pwhash_argon2i_OPSLIMIT_INTERACTIVE,
			     crypto_pwhash_argon2i_MEMLIMIT_INTERACTIVE,
			     crypto_pwhash_ALG_ARGON2I13),
	    0);
	assert_int_equal(strncmp(h, "$argon2i$", 9), 0);
	assert_false(password_verify(pw, h));
	assert_false(password_verify(pw,
	    "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"));
	assert_false(password_verify(pw, ""));
	assert_false(password_verify(pw, "$argon2id$"));
	assert_false(password_verify(pw, "$argon2id$v=19$m=65536,t=2,p=1$"));

	/* Twin: an argon2id hash of the same password verifies... */
	assert_int_equal(password_hash(pw, h), 0);
	assert_true(password_verify(pw, h));
	/* ... until one of its hash characters is changed. */
	p = h + strlen(h) - 5;
	*p = *p == 'A' ? 'B' : 'A';
	assert_false(password_verify(pw, h));

	/* The dummy verification runs and decides nothing, once it has a hash. */
	assert_true(aborts(dummy_uninitialised));
	assert_int_equal(password_init(), 0);
	password_verify_dummy(pw);
	password_verify_dummy("");
}

/*
 * crypto-3.4: new hashes use the stated argon2id parameters (OWASP: 19 MiB,
 * 2 iterations); a hash made with others verifies and asks to be redone.
 */
static void
test_password_parameters(void **state)
{
	char	    h[PASSWORD_HASH_MAX], old[crypto_pwhash_STRBYTES];
	const char *pw = "correct horse battery staple";

	assert_int_equal(password_hash(pw, h), 0);
	assert_non_null(strstr(h, "$m=19456,t=2,p=1$"));
	assert_false(password_needs_rehash(h));

	/* Twin: the interactive limits of before. */
	assert_int_equal(crypto_pwhash_str_alg(old, pw, strlen(pw),
			     crypto_pwhash_OPSLIMIT_INTERACTIVE,
			     crypto_pwhash_MEMLIMIT_INTERACTIVE,
			     crypto_pwhash_ALG_ARGON2ID13),
	    0);
	assert_true(password_verify(pw, old));
	assert_true(password_needs_rehash(old));
}

/* Checks password p against password_acceptable; 0 or the error code. */
static const char *
acceptable(const char *p)
{
	static char	 code[32];
	struct api_error err;
	json_t		*fe;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	if (password_acceptable(p, "password", &err) == 0) {
		assert_null(err.errors);
		return (NULL);
	}
	assert_int_equal(err.status, 422);
	assert_string_equal(err.field, "password");
	fe = json_array_get(err.errors, 0);
	snprintf(code, sizeof(code), "%s",
	    json_string_value(json_object_get(fe, "code")));
	api_error_cleanup(&err);
	return (code);
}

/* crypto-3.3: 8 to 256 characters, counted in UTF-8, not only spaces. */
static void
test_password_acceptable(void **state)
{
	struct cbuf b;
	int	    i;

	assert_null(acceptable("12345678"));
	assert_null(acceptable("        x"));
	assert_null(acceptable("pass word"));
	/* Eight 2-byte characters. */
	assert_null(acceptable("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			       "\xc3\xa9\xc3\xa9\xc3\xa9"));
	cbuf_init(&b, 0);
	for (i = 0; i < 256; i++)
		cbuf_appendstr(&b, "\xc3\xa9");
	assert_null(acceptable(b.data));

	/* Twin: one short, one long, or blank. */
	assert_string_equal(acceptable("1234567"), "too_short");
	assert_string_equal(acceptable(""), "too_short");
	assert_string_equal(acceptable("        "), "too_short");
	assert_string_equal(acceptable("                "), "too_short");
	/* Seven 2-byte characters: 14 bytes but 7 characters. */
	assert_string_equal(acceptable("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				       "\xc3\xa9\xc3\xa9\xc3\xa9"),
	    "too_short");
	cbuf_appendstr(&b, "x");
	assert_string_equal(acceptable(b.data), "too_long");
	cbuf_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_password_other_hashes),
		cmocka_unit_test(test_password_parameters),
		cmocka_unit_test(test_password_acceptable),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
