/*
 * What the unit tests share: running a fatal path in a child, building
 * long inputs, parsing test JSON and naming field errors. Include after
 * cmocka.h.
 */
#ifndef CLIENTD_TEST_UNIT_H
#define CLIENTD_TEST_UNIT_H

#include <stddef.h>

#include <jansson.h>

#include "core.h"

/* Runs fn in a child process; 1 if it died of abort() (core_fatal). */
int		 aborts(void (*fn)(void));

/* n copies of s, malloc'ed; the caller frees it. */
char		*repeat(const char *s, size_t n);

/* Parses JSON text; the test fails when the input itself is not JSON. */
json_t		*load(const char *text);

/* Field error i of err, as "field/code", in buf. */
const char	*field_error(const struct api_error *err, size_t i, char *buf,
		    size_t len);

#endif
