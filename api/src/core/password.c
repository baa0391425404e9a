/*
 * Passwords: argon2id hashes (libsodium), the dummy verification that
 * makes an unknown account as slow as a wrong password, and what a new
 * password must look like.
 *
 * The parameters follow OWASP's Password Storage Cheat Sheet for argon2id
 * (19 MiB of memory, 2 iterations, 1 lane; libsodium always uses one):
 * about a third of the memory and time of libsodium's "interactive"
 * limits this product used before, still well above what a GPU farm finds
 * cheap, and small enough that a login costs tens of milliseconds of a
 * task thread (the daemon never hashes on its event loop, http/hashing.c).
 * A hash made with other parameters still verifies, and is replaced at
 * the next successful login (password_needs_rehash).
 *
 * Thread safety: every function may run in a task thread once
 * password_init() has run (before any thread starts).
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

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_STRBYTES > PASSWORD_HASH_MAX)
		core_fatal("PASSWORD_HASH_MAX too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
		PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (CORE_E_CRYPTO);
	return (0);
}

/* Whether hash was made with other parameters than password_hash()'s. */
int
password_needs_rehash(const char *hash)
{
	return (crypto_pwhash_str_needs_rehash(
		    hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0);
}

/*
 * Makes the hash password_verify_dummy() checks against. Call once, before
 * any thread may verify. Returns 0, or CORE_E_CRYPTO.
 */
int
password_init(void)
{
	char rnd[SESSION_TOKEN_LEN + 1];

	if (dummy_hash[0] != '\0')
		return (0);
	crypto_new_session_token(rnd);
	return (password_hash(rnd, dummy_hash));
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
	if (dummy_hash[0] == '\0')
		core_fatal("password_verify_dummy before password_init");
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
