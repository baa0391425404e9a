/*
 * Webhook signatures as Standard Webhooks 1.0 defines them
 * (core/signature.c): a secret "whsec_" + base64 of random bytes; the
 * signed content "<webhook-id>.<webhook-timestamp>.<body>"; the signature
 * "v1," + base64 of its HMAC-SHA256 (OpenSSL); several space-separated
 * in webhook-signature while a rotated secret still signs.
 */
#ifndef CLIENTD_CORE_SIGNATURE_H
#define CLIENTD_CORE_SIGNATURE_H

#include <stddef.h>

#define SIGNATURE_SECRET_BYTES	32
#define SIGNATURE_SECRET_PREFIX "whsec_"
#define SIGNATURE_SECRET_LEN	(6 + 44) /* "whsec_" + base64 of 32 bytes */
#define SIGNATURE_HINT_LEN	10	 /* "whsec_" and 4 characters */
#define SIGNATURE_LEN		(3 + 44) /* "v1," + base64 of 32 bytes */
#define SIGNATURE_KEY_MAX	64
#define SIGNATURE_TOLERANCE	300 /* seconds either side of now */

void signature_secret_new(unsigned char[SIGNATURE_SECRET_BYTES]);
void signature_secret_text(const unsigned char *, size_t, char *, size_t);
int  signature_secret_parse(const char *, unsigned char *, size_t *);
void signature_sign(const unsigned char *, size_t, const char *, long long,
    const char *, size_t, char[SIGNATURE_LEN + 1]);
int  signature_verify(const unsigned char *, size_t, const char *, const char *,
     const char *, size_t, const char *, long long);

#endif
