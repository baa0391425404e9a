/*
 * Secrets (core/crypto.c): random tokens, SHA-256, the CSRF token derived
 * from a session token, constant-time comparison.
 */
#ifndef CLIENTD_CORE_CRYPTO_H
#define CLIENTD_CORE_CRYPTO_H

#include <stddef.h>

#define SHA256_LEN	   32
#define TOKEN_PREFIX	   "cdt_"
#define TOKEN_LEN	   47 /* "cdt_" + 43 base64url characters */
#define TOKEN_SHOWN_PREFIX 12
#define SESSION_TOKEN_LEN  43
#define CSRF_TOKEN_LEN	   43

int  crypto_init(void);
void crypto_random_b64(char *, size_t);
void crypto_new_api_token(char[TOKEN_LEN + 1]);
void crypto_new_session_token(char[SESSION_TOKEN_LEN + 1]);
void crypto_sha256(const void *, size_t, unsigned char[SHA256_LEN]);
void crypto_sha256_hex(const void *, size_t, char[SHA256_LEN * 2 + 1]);
/* SHA-256 of bytes fed in pieces: begin, update..., end (which frees). */
struct crypto_sha256 {
	void *ctx;
};
void crypto_sha256_begin(struct crypto_sha256 *);
void crypto_sha256_update(struct crypto_sha256 *, const void *, size_t);
void crypto_sha256_end(struct crypto_sha256 *, unsigned char[SHA256_LEN]);
void crypto_bytea_hex(const unsigned char *, size_t, char *, size_t);
void crypto_csrf_token(const char *, char[CSRF_TOKEN_LEN + 1]);
int  crypto_equal(const char *, const char *);
int  crypto_token_well_formed(const char *);

#endif
