/*
 * Generated client numbers (core/numbers.c): checking a number pattern and
 * expanding its variables into a template whose counter SQL fills in
 * (number_format() in sql/functions/).
 */
#ifndef CLIENTD_CORE_NUMBERS_H
#define CLIENTD_CORE_NUMBERS_H

#include <stddef.h>
#include <time.h>

#include "core/api_error.h"

#define NUMBER_MAX	      64 /* a client number, in characters */
#define NUMBER_PATTERN_MAX    64
#define NUMBER_COUNTER_MARK   "\x01" /* where the counter goes, in a template */
#define NUMBER_COUNTER_MAX    999999999999LL /* client_number_counter's top */
#define NUMBER_COUNTER_DIGITS 12	     /* its digits */

/* What a pattern's variables are replaced with. */
struct number_vars {
	struct tm   now; /* local time for {$year}, {$month}, {$date:} */
	const char *client_id_number; /* "" when none */
	const char *user_id;	      /* the creating user's public id */
};

/*
 * Checks a pattern for saving: only known variables ({$counter},
 * {$group_counter}, {$year}, {$month}, {$date:FORMAT}, {$client_id_number},
 * {$user_id}), well-formed braces, a date FORMAT of known letters, and at
 * least one counter variable (a pattern without one would give every
 * client the same number). Returns 0, or CORE_E_INVALID with a field error
 * on field in err (the message says why).
 */
int numbers_pattern_check(const char *, const char *, struct api_error *);

/* Whether the pattern uses {$group_counter}. */
int numbers_pattern_uses_group_counter(const char *);

/*
 * Expands every variable of a checked pattern except the counters, which
 * become NUMBER_COUNTER_MARK, into out (a template for SQL number_format(),
 * sql/functions/numbers.sql). Returns 0, CORE_E_TOOBIG when the expansion
 * does not fit outlen, or CORE_E_INVALID when a value of vars holds a
 * control character (one could pose as NUMBER_COUNTER_MARK).
 */
int numbers_template(const char *, const struct number_vars *, char *, size_t);

#endif
