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

#define IDEMPOTENCY_KEY_MAX 255

/*
 * The claim, queued before a request's own statements when it has a key:
 * one row (replayed, status, response). sql/functions/idempotency.sql.
 */
/* clang-format off */
#define IDEMPOTENCY_BEGIN_SQL \
	"SELECT replayed, status, response FROM idem_begin($1, $2)"

/*
 * The writing statement of a request that may carry a key ($1, NULL
 * without one), as a FROM item of one column: expr, the JSON the request
 * answers with, runs and is kept as the response with status, unless
 * idem_begin() found a replay; then it does not run at all (idem_fresh()
 * is a one-time filter, evaluated before the select list) and gives no
 * row. OFFSET 0 keeps PostgreSQL from flattening it, so expr runs once.
 */
#define IDEMPOTENCY_WRITE(status, expr) \
	"(SELECT idem_store($1, " #status ", " expr ") " \
	"WHERE idem_fresh() OFFSET 0)"
/* clang-format on */

/* What the replay of a stored response is sent with. */
struct idempotency_replay {
	int  status;   /* 2xx */
	char etag[32]; /* "" when the response has no version */
	char id[64];   /* for Location on a 201, or "" */
};

struct idempotency {
	char key[IDEMPOTENCY_KEY_MAX + 1]; /* "" without a key */
	char fingerprint[SHA256_LEN * 2 + 1];
};

int  idempotency_key_valid(const char *);
void idempotency_fingerprint(
    const char *, const char *, json_t *, char[SHA256_LEN * 2 + 1]);

/*
 * Reads the Idempotency-Key header (NULL when absent) of a request to
 * route with the given method, path and body into idem. Only routes that
 * declare ROUTE_IDEMPOTENT take a key (one sent elsewhere is refused
 * rather than silently ignored), and ROUTE_KEY_REQUIRED routes refuse a
 * request without one. Returns 0, or CORE_E_INVALID with err (400) set.
 */
int idempotency_read(struct idempotency *, const struct route *, const char *,
    const char *, const char *, json_t *, struct api_error *);

/*
 * Reads idem_begin()'s stored status and response (as text) into out.
 * Returns 0, or CORE_E_INVALID when they cannot be a stored answer (a
 * status outside 2xx, a response that is not a JSON object).
 */
int idempotency_replay(const char *, const char *, struct idempotency_replay *);

#endif
