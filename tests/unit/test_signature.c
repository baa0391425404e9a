/*
 * Unit tests for core/signature.c: Standard Webhooks signatures, checked
 * against the specification's published example, and verification's
 * twins (tampered body, other secret, old timestamp, several signatures).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/crypto.h"
#include "core/signature.h"
#include "unit.h"

static const char spec_secret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
static const char spec_id[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
static const char spec_body[] = "{\"test\": 2432232314}";
static const char spec_sig[] =
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

static int
setup(void **state)
{
	return (crypto_init() == 0 ? 0 : -1);
}

/* signature-1.1: the specification's example signs as published. */
static void
test_spec_vector(void **state)
{
	unsigned char key[SIGNATURE_KEY_MAX];
	char	      sig[SIGNATURE_LEN + 1];
	size_t	      n;

	assert_int_equal(signature_secret_parse(spec_secret, key, &n), 0);
	assert_int_equal(n, 24);
	signature_sign(
	    key, n, spec_id, 1614265330LL, spec_body, strlen(spec_body), sig);
	assert_string_equal(sig, spec_sig);
	assert_true(signature_verify(key, n, spec_id, "1614265330", spec_body,
	    strlen(spec_body), spec_sig, 1614265330LL + 10));
}

/* signature-1.2: (twins) tampering, another key, another id, old or
 * future timestamps all fail; a second signature in the header is found. */
static void
test_verify_twins(void **state)
{
	unsigned char key[SIGNATURE_KEY_MAX], other[SIGNATURE_SECRET_BYTES];
	char	      two[2 * SIGNATURE_LEN + 2];
	size_t	      n;
	long long     t = 1614265330LL;

	assert_int_equal(signature_secret_parse(spec_secret, key, &n), 0);
	assert_false(signature_verify(key, n, spec_id, "1614265330",
	    "{\"test\": 2432232315}", strlen(spec_body), spec_sig, t));
	assert_false(signature_verify(key, n, "msg_other", "1614265330",
	    spec_body, strlen(spec_body), spec_sig, t));
	assert_false(signature_verify(key, n, spec_id, "1614265330", spec_body,
	    strlen(spec_body), spec_sig, t + SIGNATURE_TOLERANCE + 1));
	assert_false(signature_verify(key, n, spec_id, "1614265330", spec_body,
	    strlen(spec_body), spec_sig, t - SIGNATURE_TOLERANCE - 1));
	assert_false(signature_verify(key, n, spec_id, "16142x", spec_body,
	    strlen(spec_body), spec_sig, t));
	signature_secret_new(other);
	assert_false(signature_verify(other, sizeof(other), spec_id,
	    "1614265330", spec_body, strlen(spec_body), spec_sig, t));
	snprintf(two, sizeof(two), "v1,AAAA %s", spec_sig);
	assert_true(signature_verify(key, n, spec_id, "1614265330", spec_body,
	    strlen(spec_body), two, t));
}

/* signature-1.3: new secrets are whsec_ + base64 of 32 random bytes that
 * parse back; malformed secrets are refused. */
static void
test_secrets(void **state)
{
	unsigned char a[SIGNATURE_SECRET_BYTES], b[SIGNATURE_SECRET_BYTES];
	unsigned char back[SIGNATURE_KEY_MAX];
	char	      text[SIGNATURE_SECRET_LEN + 1];
	size_t	      n;

	signature_secret_new(a);
	signature_secret_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
	signature_secret_text(a, sizeof(a), text, sizeof(text));
	assert_int_equal(strlen(text), SIGNATURE_SECRET_LEN);
	assert_memory_equal(text, "whsec_", 6);
	assert_int_equal(signature_secret_parse(text, back, &n), 0);
	assert_int_equal(n, sizeof(a));
	assert_memory_equal(back, a, sizeof(a));
	assert_int_equal(signature_secret_parse("sk_abc", back, &n), -1);
	assert_int_equal(signature_secret_parse("whsec_!!!", back, &n), -1);
	assert_int_equal(
	    signature_secret_parse("whsec_c2hvcnQ=", back, &n), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_vector),
		cmocka_unit_test(test_verify_twins),
		cmocka_unit_test(test_secrets),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
