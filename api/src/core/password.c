/*
 * Passwords: argon2id hashes (libsodium), the dummy verification that
 * makes an unknown account as slow as a wrong password, and what a new
 * password must look like.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/password.h"
#include "core/utf8.h"

static char dummy_hash[crypto_pwhash_STRBYTES];

/* argon2id with libsodium's interactive limits (about 64 MiB, 2 passes). */
int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_STRBYTES > PASSWORD_HASH_MAX)
		core_fatal("PASSWORD_HASH_MAX too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (CORE_E_CRYPTO);
	return (0);
}

/* 1 if password matches the stored hash, 0 otherwise. */
int
password_verify(const char *password, const char *hash)
{
	if (strncmp(hash, "$argon2id$", 10) != 0)
		return (0);
	return (
	    crypto_pwhash_str_verify(hash, password, strlen(password)) == 0);
}

/*
 * Spends the time of a real verification, so that an unknown email
 * answers as slowly as a wrong password.
 */
void
password_verify_dummy(const char *password)
{
	char rnd[SESSION_TOKEN_LEN + 1];

	if (dummy_hash[0] == '\0') {
		crypto_new_session_token(rnd);
		if (password_hash(rnd, dummy_hash) != 0)
			core_fatal("cannot hash dummy password");
	}
	(void)password_verify(password, dummy_hash);
}

/*
 * A new password: 8 to 256 characters, not only white space. A problem is
 * a field error on field (the name the request gave the password).
 */
int
password_acceptable(
    const char *password, const char *field, struct api_error *err)
{
	size_t	    n;
	const char *p;

	n = utf8_length(password);
	for (p = password; isspace((unsigned char)*p); p++)
		;
	if (n < 8 || *p == '\0') {
		api_error_add_field(err, field, "too_short",
		    "password must have at least 8 characters");
		return (CORE_E_INVALID);
	}
	if (n > 256) {
		api_error_add_field(err, field, "too_long",
		    "password must have at most 256 characters");
		return (CORE_E_INVALID);
	}
	return (0);
}
