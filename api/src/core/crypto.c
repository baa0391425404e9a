/*
 * Secrets: random tokens (libsodium), SHA-256 (OpenSSL), argon2id password
 * hashes (libsodium) and constant-time comparison.
 *
 * Sessions and API tokens are 256-bit random strings; the database keeps
 * only their SHA-256, which is enough for secrets with that much entropy
 * (a slow hash protects low-entropy passwords, not random keys). The CSRF
 * token is derived from the session token, so it needs no storage and an
 * attacker without the HttpOnly cookie cannot compute it.
 */
#include <ctype.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "core/core.h"
#include "core/crypto.h"

#define CSRF_CONTEXT "clientd-csrf-v1:"

int
crypto_init(void)
{
	if (sodium_init() < 0)
		return (CORE_E_CRYPTO);
	return (0);
}

/* Writes base64url (no padding) of nbytes random bytes into out. */
static void
random_b64(char *out, size_t outlen, size_t nbytes)
{
	unsigned char raw[64];

	if (nbytes > sizeof(raw) ||
	    outlen < sodium_base64_ENCODED_LEN(
			 nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		core_fatal("random_b64: bad sizes");
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(
	    out, outlen, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* 16 random bytes as base64url, for request ids (out: 23 bytes). */
void
crypto_random_b64(char *out, size_t outlen)
{
	random_b64(out, outlen, 16);
}

void
crypto_new_api_token(char out[TOKEN_LEN + 1])
{
	memcpy(out, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
	random_b64(out + sizeof(TOKEN_PREFIX) - 1,
	    TOKEN_LEN + 1 - (sizeof(TOKEN_PREFIX) - 1), 32);
}

void
crypto_new_session_token(char out[SESSION_TOKEN_LEN + 1])
{
	random_b64(out, SESSION_TOKEN_LEN + 1, 32);
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != SHA256_LEN)
		core_fatal("EVP_Digest(sha256) failed");
}

void
crypto_sha256_begin(struct crypto_sha256 *h)
{
	EVP_MD_CTX *ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		core_fatal("EVP_DigestInit_ex(sha256) failed");
	h->ctx = ctx;
}

void
crypto_sha256_update(struct crypto_sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		core_fatal("EVP_DigestUpdate failed");
}

void
crypto_sha256_end(struct crypto_sha256 *h, unsigned char out[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (h->ctx == NULL)
		return;
	if (out != NULL &&
	    (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != SHA256_LEN))
		core_fatal("EVP_DigestFinal_ex failed");
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void
crypto_sha256_hex(const void *data, size_t len, char out[SHA256_LEN * 2 + 1])
{
	unsigned char d[SHA256_LEN];

	crypto_sha256(data, len, d);
	sodium_bin2hex(out, SHA256_LEN * 2 + 1, d, SHA256_LEN);
}

/* PostgreSQL's text form of bytea: "\x" and hex (out: 2 + 2 * len + 1). */
void
crypto_bytea_hex(
    const unsigned char *data, size_t len, char *out, size_t outlen)
{
	if (outlen < 2 * len + 3)
		core_fatal("crypto_bytea_hex: buffer too small");
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, outlen - 2, data, len);
}

void
crypto_csrf_token(const char *session_token, char out[CSRF_TOKEN_LEN + 1])
{
	unsigned char d[SHA256_LEN];
	EVP_MD_CTX   *ctx;
	unsigned int  n = SHA256_LEN;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		core_fatal("EVP_MD_CTX_new failed");
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, CSRF_CONTEXT, sizeof(CSRF_CONTEXT) - 1) !=
		1 ||
	    EVP_DigestUpdate(ctx, session_token, strlen(session_token)) != 1 ||
	    EVP_DigestFinal_ex(ctx, d, &n) != 1)
		core_fatal("csrf digest failed");
	EVP_MD_CTX_free(ctx);
	sodium_bin2base64(out, CSRF_TOKEN_LEN + 1, d, sizeof(d),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Constant-time for equal lengths; different lengths are simply unequal. */
int
crypto_equal(const char *a, const char *b)
{
	size_t la, lb;

	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return (0);
	return (sodium_memcmp(a, b, la) == 0);
}

int
crypto_token_well_formed(const char *t)
{
	size_t i;

	if (strlen(t) != TOKEN_LEN ||
	    strncmp(t, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1) != 0)
		return (0);
	for (i = sizeof(TOKEN_PREFIX) - 1; i < TOKEN_LEN; i++) {
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
			(t[i] >= 'A' && t[i] <= 'Z') ||
			(t[i] >= '0' && t[i] <= '9') || t[i] == '-' ||
			t[i] == '_'))
			return (0);
	}
	return (1);
}
