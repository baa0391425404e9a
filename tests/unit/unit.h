/*
 * What the unit tests share: running a fatal path in a child, building
 * long inputs, parsing test JSON and naming field errors. Include after
 * cmocka.h.
 */
#ifndef CLIENTD_TEST_UNIT_H
#define CLIENTD_TEST_UNIT_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"

/* Runs fn in a child process; 1 if it died of abort() (core_fatal). */
int aborts(void (*fn)(void));

/* n copies of s, malloc'ed; the caller frees it. */
char *repeat(const char *s, size_t n);

/* Parses JSON text; the test fails when the input itself is not JSON. */
json_t *load(const char *text);

/* Field error i of err, as "field/code", in buf. */
const char *field_error(
    const struct api_error *err, size_t i, char *buf, size_t len);

/* A body validator as the tests call it: 0, or CORE_E_INVALID. */
typedef int (*unit_validator)(json_t *, struct api_error *);

/* body (released here) must pass fn; what names it in failures. */
void expect_valid(json_t *body, unit_validator fn, const char *what);

/*
 * body (released here) must fail fn with exactly one field error, want
 * ("field/code"), and the envelope's field must be that field.
 */
void expect_invalid(
    json_t *body, unit_validator fn, const char *want, const char *what);

/* A body setting one field, where path is "key" or "object.key". */
json_t *body_at(const char *path, json_t *v);

/* A client body whose only contact sets one field. */
json_t *contact_at(const char *key, json_t *v);

#endif
