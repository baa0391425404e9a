/*
 * Webhook signatures (Standard Webhooks 1.0, the scheme Make's own event
 * subscriptions and the Standard Webhooks libraries verify):
 *
 *   webhook-id:        the message id (the event's id; the same on every
 *                      attempt, so receivers deduplicate by it)
 *   webhook-timestamp: seconds since the epoch, of this attempt
 *   webhook-signature: "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>",
 *                      one per secret in force, separated by spaces
 *
 * The key is the base64-decoded part of the secret after "whsec_".
 * signature_verify() is what a receiver does; the tests use it, and it
 * keeps this file honest about the format it writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include "core/core.h"
#include "core/signature.h"

void
signature_secret_new(unsigned char key[SIGNATURE_SECRET_BYTES])
{
	randombytes_buf(key, SIGNATURE_SECRET_BYTES);
}

/* "whsec_" + base64 (with padding) of key; out holds outlen bytes. */
void
signature_secret_text(
    const unsigned char *key, size_t len, char *out, size_t outlen)
{
	size_t p = sizeof(SIGNATURE_SECRET_PREFIX) - 1;

	if (outlen <
	    p + sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL))
		core_fatal("signature_secret_text: buffer too small");
	memcpy(out, SIGNATURE_SECRET_PREFIX, p);
	sodium_bin2base64(
	    out + p, outlen - p, key, len, sodium_base64_VARIANT_ORIGINAL);
}

/*
 * The key of a "whsec_..." secret (24 to 64 bytes) into key, which holds
 * SIGNATURE_KEY_MAX bytes; 0, or CORE_E_INVALID.
 */
int
signature_secret_parse(const char *text, unsigned char *key, size_t *len)
{
	const char *b64, *end;
	size_t	    p = sizeof(SIGNATURE_SECRET_PREFIX) - 1;

	if (strncmp(text, SIGNATURE_SECRET_PREFIX, p) != 0)
		return (CORE_E_INVALID);
	b64 = text + p;
	if (sodium_base642bin(key, SIGNATURE_KEY_MAX, b64, strlen(b64), NULL,
		len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0' || *len < 24)
		return (CORE_E_INVALID);
	return (0);
}

static void
mac_update(EVP_MAC_CTX *ctx, const void *data, size_t len)
{
	if (EVP_MAC_update(ctx, data, len) != 1)
		core_fatal("EVP_MAC_update failed");
}

static void
hmac(const unsigned char *key, size_t keylen, const char *id, const char *ts,
    const char *body, size_t bodylen, unsigned char out[32])
{
	EVP_MAC	    *mac;
	EVP_MAC_CTX *ctx;
	OSSL_PARAM   params[2];
	size_t	     n = 0;
	char	     digest[] = "SHA256";

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx = EVP_MAC_CTX_new(mac)) == NULL)
		core_fatal("EVP_MAC for HMAC unavailable");
	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, keylen, params) != 1)
		core_fatal("EVP_MAC_init failed");
	mac_update(ctx, id, strlen(id));
	mac_update(ctx, ".", 1);
	mac_update(ctx, ts, strlen(ts));
	mac_update(ctx, ".", 1);
	mac_update(ctx, body, bodylen);
	if (EVP_MAC_final(ctx, out, &n, 32) != 1 || n != 32)
		core_fatal("EVP_MAC_final failed");
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

/* "v1,<base64>" for message id, timestamp ts and body, signed with key. */
void
signature_sign(const unsigned char *key, size_t keylen, const char *id,
    long long ts, const char *body, size_t bodylen, char out[SIGNATURE_LEN + 1])
{
	unsigned char d[32];
	char	      t[24];

	snprintf(t, sizeof(t), "%lld", ts);
	hmac(key, keylen, id, t, body, bodylen, d);
	snprintf(out, SIGNATURE_LEN + 1, "v1,");
	sodium_bin2base64(out + 3, SIGNATURE_LEN + 1 - 3, d, sizeof(d),
	    sodium_base64_VARIANT_ORIGINAL);
}

/*
 * What a receiver does: 1 when header (space-separated "v1,<sig>" values)
 * holds a valid signature of id.ts.body by key and ts is within
 * SIGNATURE_TOLERANCE seconds of now; 0 otherwise.
 */
int
signature_verify(const unsigned char *key, size_t keylen, const char *id,
    const char *ts, const char *body, size_t bodylen, const char *header,
    long long now)
{
	char	      want[SIGNATURE_LEN + 1], *end;
	unsigned char d[32];
	const char   *p, *e;
	long long     t;
	int	      ok = 0;

	t = strtoll(ts, &end, 10);
	if (ts[0] == '\0' || *end != '\0' || t < now - SIGNATURE_TOLERANCE ||
	    t > now + SIGNATURE_TOLERANCE)
		return (0);
	hmac(key, keylen, id, ts, body, bodylen, d);
	snprintf(want, sizeof(want), "v1,");
	sodium_bin2base64(want + 3, sizeof(want) - 3, d, sizeof(d),
	    sodium_base64_VARIANT_ORIGINAL);
	for (p = header; *p != '\0'; p = *e == ' ' ? e + 1 : e) {
		e = p + strcspn(p, " ");
		if ((size_t)(e - p) == SIGNATURE_LEN &&
		    sodium_memcmp(p, want, SIGNATURE_LEN) == 0)
			ok = 1;
	}
	return (ok);
}
