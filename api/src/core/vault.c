/*
 * Secrets at rest: sealing with a key from the environment.
 *
 * The key (CLIENTD_SECRET_KEY) is 32 random bytes written as base64 (with
 * or without padding, standard or URL-safe alphabet) or as 64 hex digits;
 * `head -c 32 /dev/urandom | base64` makes one. Whoever has the database
 * and not the key cannot open what was sealed; whoever changes the key
 * makes every sealed value unreadable (vault_open says so, distinctly).
 */
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/vault.h"

#define VAULT_VERSION 1
#define KEY_ID_LEN    4

/* Parses the key's text; 0, or CORE_E_INVALID for anything but 32 bytes. */
int
vault_key_parse(const char *text, unsigned char key[VAULT_KEY_LEN])
{
	static const int variants[] = { sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
		sodium_base64_VARIANT_URLSAFE,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING };
	const char	*end;
	size_t		 n, i;

	if (text == NULL)
		return (CORE_E_INVALID);
	n = strlen(text);
	if (n == (size_t)2 * VAULT_KEY_LEN &&
	    sodium_hex2bin(key, VAULT_KEY_LEN, text, n, NULL, &i, &end) == 0 &&
	    i == VAULT_KEY_LEN && *end == '\0')
		return (0);
	for (i = 0; i < CORE_ARRAY_LEN(variants); i++) {
		if (sodium_base642bin(key, VAULT_KEY_LEN, text, n, NULL, &n,
			&end, variants[i]) == 0 &&
		    n == VAULT_KEY_LEN && *end == '\0')
			return (0);
		n = strlen(text);
	}
	sodium_memzero(key, VAULT_KEY_LEN);
	return (CORE_E_INVALID);
}

static void
key_id(const unsigned char key[VAULT_KEY_LEN], unsigned char id[KEY_ID_LEN])
{
	unsigned char h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), key, VAULT_KEY_LEN,
	    (const unsigned char *)"clientd-vault", 13);
	memcpy(id, h, KEY_ID_LEN);
}

/* Seals in (len bytes) into out, which holds VAULT_SEALED_LEN(len). */
void
vault_seal(const unsigned char key[VAULT_KEY_LEN], const unsigned char *in,
    size_t len, unsigned char *out)
{
	unsigned char *nonce = out + 1 + KEY_ID_LEN;

	out[0] = VAULT_VERSION;
	key_id(key, out + 1);
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(
		nonce + crypto_secretbox_NONCEBYTES, in, len, nonce, key) != 0)
		core_fatal("crypto_secretbox_easy failed");
}

/*
 * Opens sealed (len bytes) into out (outlen bytes, at least len -
 * VAULT_OVERHEAD). Returns the plain length; CORE_E_INVALID when sealed is
 * not something vault_seal() wrote, VAULT_E_OTHER_KEY when another key
 * sealed it, CORE_E_CRYPTO when it was altered.
 */
int
vault_open(const unsigned char key[VAULT_KEY_LEN], const unsigned char *sealed,
    size_t len, unsigned char *out, size_t outlen)
{
	unsigned char	     id[KEY_ID_LEN];
	const unsigned char *nonce = sealed + 1 + KEY_ID_LEN;

	if (len < VAULT_OVERHEAD || sealed[0] != VAULT_VERSION ||
	    outlen < len - VAULT_OVERHEAD || len - VAULT_OVERHEAD > 1 << 20)
		return (CORE_E_INVALID);
	key_id(key, id);
	if (sodium_memcmp(id, sealed + 1, KEY_ID_LEN) != 0)
		return (VAULT_E_OTHER_KEY);
	if (crypto_secretbox_open_easy(out, nonce + crypto_secretbox_NONCEBYTES,
		len - 1 - KEY_ID_LEN - crypto_secretbox_NONCEBYTES, nonce,
		key) != 0)
		return (CORE_E_CRYPTO);
	return ((int)(len - VAULT_OVERHEAD));
}
