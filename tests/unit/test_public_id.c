/*
 * Unit tests for core/public_id.c: recognising public ids (12 characters of
 * Crockford's base32, lower case), so that a malformed id in a path is a
 * 404 without asking the database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/public_id.h"

#define ALPHABET "0123456789abcdefghjkmnpqrstvwxyz"

/* ids-1.1: every character of the alphabet is accepted in every place. */
static void
test_valid(void **state)
{
	static const char alphabet[] = ALPHABET;
	char		  id[PUBLIC_ID_LEN + 1];
	size_t		  i, pos;

	assert_int_equal(strlen(alphabet), 32);
	assert_true(public_id_valid("0123456789ab"));
	assert_true(public_id_valid("zyxwvtsrqpnm"));
	assert_true(public_id_valid("000000000000"));
	for (i = 0; i < strlen(alphabet); i++) {
		for (pos = 0; pos < PUBLIC_ID_LEN; pos++) {
			memset(id, '0', PUBLIC_ID_LEN);
			id[PUBLIC_ID_LEN] = '\0';
			id[pos] = alphabet[i];
			if (!public_id_valid(id))
				fail_msg("rejected %s", id);
		}
	}
}

/* ids-1.2: the twin of ids-1.1: every other byte is refused anywhere. */
static void
test_invalid_chars(void **state)
{
	char   id[PUBLIC_ID_LEN + 1];
	size_t pos;
	int    c;

	for (c = 1; c < 256; c++) {
		if (c < 0x80 && strchr(ALPHABET, c) != NULL)
			continue;
		for (pos = 0; pos < PUBLIC_ID_LEN; pos++) {
			memset(id, '0', PUBLIC_ID_LEN);
			id[PUBLIC_ID_LEN] = '\0';
			id[pos] = (char)c;
			if (public_id_valid(id))
				fail_msg("accepted 0x%02x at %zu", c, pos);
		}
	}
	/* Crockford's excluded letters and upper case, spelt out. */
	assert_false(public_id_valid("0123456789ai"));
	assert_false(public_id_valid("0123456789al"));
	assert_false(public_id_valid("0123456789ao"));
	assert_false(public_id_valid("0123456789au"));
	assert_false(public_id_valid("0123456789AB"));
	assert_false(public_id_valid("ABCDEFGHJKMN"));
}

/* ids-1.3: exactly 12 characters. */
static void
test_length(void **state)
{
	assert_true(public_id_valid("abcdefghjkmn"));

	/* Twin. */
	assert_false(public_id_valid(""));
	assert_false(public_id_valid("abcdefghjkm"));
	assert_false(public_id_valid("abcdefghjkmnp"));
	assert_false(public_id_valid("abcdefghjkmn "));
	assert_false(public_id_valid(" abcdefghjkmn"));
	/* Twelve bytes, but not twelve characters of the alphabet. */
	assert_false(public_id_valid("abcdefghjk\xc3\xa9"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid_chars),
		cmocka_unit_test(test_length),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
