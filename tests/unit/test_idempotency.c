/*
 * Unit tests for core/idempotency.c: usable keys and the fingerprint that\n * tells a replay from a conflict.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/crypto.h"
#include "core/idempotency.h"
#include "core/routes.h"
#include "unit.h"

#define VALID_ID "0123456789ab"
#define OTHER_ID "zyxwvtsrqpnm"

static int
setup(void **state)
{
	/* libsodium must be initialised before its first use. */
	return (crypto_init() == 0 ? 0 : -1);
}

/* clients-6.1: a key is 1 to 255 visible ASCII characters. */
static void
test_idempotency_key(void **state)
{
	static const char *const good[] = {
		"a",
		"!",
		"~",
		"0f8b3a2e-6c1d-4f7a-9b2e-1d3c5a7e9f01",
		"order:42/retry#1",
		"\"quoted\"",
	};
	static const char *const bad[] = {
		"",
		" ",
		"a b",
		" a",
		"a ",
		"a\tb",
		"a\nb",
		"\x01",
		"a\x7f",
		"caf\xc3\xa9",
		"\xff",
	};
	char  *k;
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!idempotency_key_valid(good[i]))
			fail_msg("rejected \"%s\"", good[i]);
	}
	k = repeat("k", 255);
	assert_true(idempotency_key_valid(k));
	free(k);

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (idempotency_key_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	k = repeat("k", 256);
	assert_false(idempotency_key_valid(k));
	free(k);
}

/* Fingerprint of method, path and JSON text (NULL for no body). */
static void
fingerprint(const char *method, const char *path, const char *text,
    char out[SHA256_LEN * 2 + 1])
{
	json_t *body;

	body = text != NULL ? load(text) : NULL;
	idempotency_fingerprint(method, path, body, out);
	json_decref(body);
}

/* clients-6.2: the same request re-serialised has the same fingerprint. */
static void
test_idempotency_fingerprint(void **state)
{
	char   a[SHA256_LEN * 2 + 1], b[SHA256_LEN * 2 + 1];
	size_t i;

	fingerprint("POST", "/api/v1/clients",
	    "{\"name\": \"Acme\", \"contacts\": [{\"email\": \"a@example.com\","
	    " \"is_primary\": true}], \"address\": {\"city\": \"Berlin\"}}",
	    a);
	assert_int_equal(strlen(a), SHA256_LEN * 2);
	for (i = 0; a[i] != '\0'; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	fingerprint("POST", "/api/v1/clients",
	    "{\"address\":{\"city\":\"Berlin\"},\"contacts\":[{\"is_primary\":"
	    "true,\"email\":\"a@example.com\"}],\"name\":\"Acme\"}",
	    b);
	assert_string_equal(a, b);
	fingerprint("POST", "/api/v1/clients",
	    "\n{ \"address\" : { \"city\" : \"Berlin\" } ,\t\"name\":\"Acme\","
	    " \"contacts\" : [ { \"email\" : \"a@example.com\","
	    " \"is_primary\" : true } ] }\n",
	    b);
	assert_string_equal(a, b);
	/* Escapes are canonical too. */
	fingerprint("POST", "/x", "{\"name\": \"\\u0041cme\"}", a);
	fingerprint("POST", "/x", "{\"name\": \"Acme\"}", b);
	assert_string_equal(a, b);

	/* Twin: another method, path or body; array order matters. */
	fingerprint("POST", "/api/v1/clients", "{\"name\": \"Acme\"}", a);
	fingerprint("PUT", "/api/v1/clients", "{\"name\": \"Acme\"}", b);
	assert_string_not_equal(a, b);
	fingerprint(
	    "POST", "/api/v1/clients/" VALID_ID, "{\"name\": \"Acme\"}", b);
	assert_string_not_equal(a, b);
	fingerprint("POST", "/api/v1/clients", "{\"name\": \"Acme \"}", b);
	assert_string_not_equal(a, b);
	fingerprint("POST", "/api/v1/clients", "{\"name\": \"acme\"}", b);
	assert_string_not_equal(a, b);
	fingerprint("POST", "/api/v1/clients",
	    "{\"name\": \"Acme\","
	    " \"phone\": null}",
	    b);
	assert_string_not_equal(a, b);
	fingerprint("POST", "/x", "{\"ids\": [1, 2]}", a);
	fingerprint("POST", "/x", "{\"ids\": [2, 1]}", b);
	assert_string_not_equal(a, b);

	/* No body: still a fingerprint, stable, and not that of {}. */
	fingerprint("POST", "/api/v1/clients/" VALID_ID "/archive", NULL, a);
	assert_int_equal(strlen(a), SHA256_LEN * 2);
	fingerprint("POST", "/api/v1/clients/" VALID_ID "/archive", NULL, b);
	assert_string_equal(a, b);
	fingerprint("POST", "/api/v1/clients/" VALID_ID "/archive", "{}", b);
	assert_string_not_equal(a, b);
	fingerprint("POST", "/api/v1/clients/" OTHER_ID "/archive", NULL, b);
	assert_string_not_equal(a, b);
}

/* idempotency-2.1: a stored answer is replayed with its ETag and Location. */
static void
test_replay(void **state)
{
	struct idempotency_replay r;

	assert_int_equal(idempotency_replay("201",
			     "{\"id\": \"" VALID_ID "\", \"version\": 3}", &r),
	    0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.etag, "\"3\"");
	assert_string_equal(r.id, VALID_ID);
	/* A 200 has no Location; a body without a version no ETag. */
	assert_int_equal(idempotency_replay("200", "{\"id\": \"x\"}", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.etag, "");
	assert_string_equal(r.id, "");

	/* Twins: what cannot be a stored answer is refused, not sent. */
	assert_int_equal(idempotency_replay("", "{}", &r), CORE_E_INVALID);
	assert_int_equal(idempotency_replay("422", "{}", &r), CORE_E_INVALID);
	assert_int_equal(idempotency_replay("20x", "{}", &r), CORE_E_INVALID);
	assert_int_equal(idempotency_replay("201", "[1]", &r), CORE_E_INVALID);
	assert_int_equal(
	    idempotency_replay("201", "not json", &r), CORE_E_INVALID);
}

static const struct route *
route_of(enum api_op op)
{
	size_t i;

	for (i = 0; i < routes_count; i++)
		if (routes_table[i].op == op)
			return (&routes_table[i]);
	fail_msg("no route for op %d", (int)op);
	return (NULL);
}

/* idempotency-3.1: which routes take a key, need one, or refuse one. */
static void
test_read(void **state)
{
	struct idempotency idem;
	struct api_error   err;
	json_t		  *body = json_object();

	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(idempotency_read(&idem, route_of(OP_CLIENTS_CREATE),
			     "k-1", "POST", "/api/v1/clients", body, &err),
	    0);
	assert_string_equal(idem.key, "k-1");
	assert_int_equal(strlen(idem.fingerprint), 64);
	assert_int_equal(idempotency_read(&idem, route_of(OP_CLIENTS_CREATE),
			     NULL, "POST", "/api/v1/clients", body, &err),
	    0);
	assert_string_equal(idem.key, "");

	/* Twins: required and missing; not taken; malformed. */
	assert_int_equal(
	    idempotency_read(&idem, route_of(OP_LEDGER_CLIENT_POST), NULL,
		"POST", "/x", body, &err),
	    CORE_E_INVALID);
	assert_string_equal(err.field, "Idempotency-Key");
	assert_non_null(strstr(err.message, "required"));
	api_error_cleanup(&err);
	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(idempotency_read(&idem, route_of(OP_TOKENS_CREATE),
			     "k-1", "POST", "/api/v1/tokens", body, &err),
	    CORE_E_INVALID);
	assert_non_null(strstr(err.hint, "shown only once"));
	api_error_cleanup(&err);
	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(idempotency_read(&idem, route_of(OP_CLIENTS_CREATE),
			     "a b", "POST", "/api/v1/clients", body, &err),
	    CORE_E_INVALID);
	assert_string_equal(err.message, "invalid Idempotency-Key");
	api_error_cleanup(&err);
	json_decref(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idempotency_key),
		cmocka_unit_test(test_idempotency_fingerprint),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_read),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
