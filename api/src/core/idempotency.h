/*
 * Idempotency-Key (core/idempotency.c): the rules for the header, the
 * fingerprint that tells a replay from a conflict, and what a stored
 * response needs to be sent again. sql/functions/idempotency.sql keeps the
 * keys; http/pipeline.c runs both as a step of a request.
 */
#ifndef CLIENTD_CORE_IDEMPOTENCY_H
#define CLIENTD_CORE_IDEMPOTENCY_H

#include <jansson.h>

#include "core/api_error.h"
#include "core/crypto.h"
#include "core/routes.h"

#define IDEMPOTENCY_KEY_MAX	255

struct idempotency {
	char	key[IDEMPOTENCY_KEY_MAX + 1];	/* "" without a key */
	char	fingerprint[SHA256_LEN * 2 + 1];
};

int	 idempotency_key_valid(const char *);
void	 idempotency_fingerprint(const char *, const char *, json_t *,
	    char [SHA256_LEN * 2 + 1]);

/*
 * Reads the Idempotency-Key header (NULL when absent) of a request to
 * route with the given method, path and body into idem. Only routes that
 * declare ROUTE_IDEMPOTENT take a key (one sent elsewhere is refused
 * rather than silently ignored), and ROUTE_KEY_REQUIRED routes refuse a
 * request without one. Returns 0, or CORE_E_INVALID with err (400) set.
 */
int	 idempotency_read(struct idempotency *, const struct route *,
	    const char *, const char *, const char *, json_t *,
	    struct api_error *);

#endif
