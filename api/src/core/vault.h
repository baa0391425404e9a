/*
 * Secrets at rest (core/vault.c): small secrets sealed with a key from the
 * environment (CLIENTD_SECRET_KEY), so that a database dump alone cannot
 * use them. libsodium's secretbox (XSalsa20-Poly1305): each sealed value
 * is a version byte, a key id (4 bytes of the key's BLAKE2b hash, to tell
 * "another key" from "tampered"), a random nonce and the ciphertext with
 * its tag.
 */
#ifndef CLIENTD_CORE_VAULT_H
#define CLIENTD_CORE_VAULT_H

#include <stddef.h>

#define VAULT_KEY_LEN	    32
#define VAULT_OVERHEAD	    (1 + 4 + 24 + 16)
#define VAULT_SEALED_LEN(n) ((n) + VAULT_OVERHEAD)

#define VAULT_E_OTHER_KEY (-20) /* sealed with another key */

int  vault_key_parse(const char *, unsigned char[VAULT_KEY_LEN]);
void vault_seal(const unsigned char[VAULT_KEY_LEN], const unsigned char *,
    size_t, unsigned char *);
int  vault_open(const unsigned char[VAULT_KEY_LEN], const unsigned char *,
     size_t, unsigned char *, size_t);

#endif
