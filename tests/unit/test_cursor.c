/*
 * Unit tests for core/cursor.c: cursors round-trip, belong to one order,\n * and refuse anything malformed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/crypto.h"
#include "core/cursor.h"
#include "core/public_id.h"
#include "unit.h"

#define VALID_ID "0123456789ab"
#define OTHER_ID "zyxwvtsrqpnm"

static int
setup(void **state)
{
	/* libsodium must be initialised before its first use. */
	return (crypto_init() == 0 ? 0 : -1);
}

static int
is_b64url(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return (0);
	}
	return (1);
}

/* base64url of raw, the form of a cursor, into out (CURSOR_LEN). */
static void
b64(const char *raw, size_t len, char out[CURSOR_LEN])
{
	sodium_bin2base64(out, CURSOR_LEN, (const unsigned char *)raw, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Decodes c for sort and desc into buffers of the handlers' sizes. */
static int
decode(const char *c, const char *sort, int desc, char *pid, char *value)
{
	return (cursor_decode(
	    c, sort, desc, pid, PUBLIC_ID_LEN + 1, value, CURSOR_VALUE_MAX));
}

/* clients-5.1: what cursor_encode writes, cursor_decode reads back. */
static void
test_cursor_round_trip(void **state)
{
	static const struct {
		const char *sort;
		int	    desc;
		const char *value;
	} cases[] = {
		{ "name", 0, "acme gmbh" },
		{ "name", 1, "a|b||c|" },
		{ "name", 0, "|" },
		{ "name", 0, "m\xc3\xbcller | \xe6\x97\xa5\xe6\x9c\xac" },
		{ "number", 0, "" },
		{ "created_at", 1, "2026-11-28 15:04:05.123456+00" },
		{ "balance", 1, "-12.500000" },
	};
	char   cursor[CURSOR_LEN], pid[PUBLIC_ID_LEN + 1];
	char   value[CURSOR_VALUE_MAX], *longest;
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		cursor_encode(cases[i].sort, cases[i].desc, OTHER_ID,
		    cases[i].value, cursor, sizeof(cursor));
		assert_true(is_b64url(cursor));
		assert_int_equal(
		    decode(cursor, cases[i].sort, cases[i].desc, pid, value),
		    0);
		assert_string_equal(pid, OTHER_ID);
		assert_string_equal(value, cases[i].value);
	}

	/* The longest value the handlers' buffers hold, in the longest sort. */
	longest = repeat("|", CURSOR_VALUE_MAX - 1);
	cursor_encode(
	    "created_at", 1, VALID_ID, longest, cursor, sizeof(cursor));
	assert_int_equal(decode(cursor, "created_at", 1, pid, value), 0);
	assert_string_equal(value, longest);
	free(longest);

	/* Twin: a cursor read in its own order only (see clients-5.2). */
	cursor_encode("name", 0, VALID_ID, "acme", cursor, sizeof(cursor));
	assert_int_equal(decode(cursor, "name", 1, pid, value), CORE_E_INVALID);
}

/* clients-5.2: a cursor names its order; another order refuses it. */
static void
test_cursor_other_order(void **state)
{
	char cursor[CURSOR_LEN], pid[PUBLIC_ID_LEN + 1];
	char value[CURSOR_VALUE_MAX];

	cursor_encode("name", 0, VALID_ID, "acme", cursor, sizeof(cursor));
	assert_int_equal(decode(cursor, "name", 0, pid, value), 0);

	/* Twin: another sort, another direction, a prefix of the sort. */
	assert_int_equal(
	    decode(cursor, "number", 0, pid, value), CORE_E_INVALID);
	assert_int_equal(decode(cursor, "name", 1, pid, value), CORE_E_INVALID);
	assert_int_equal(decode(cursor, "nam", 0, pid, value), CORE_E_INVALID);
	assert_int_equal(decode(cursor, "", 0, pid, value), CORE_E_INVALID);
	cursor_encode(
	    "created_at", 1, VALID_ID, "2026", cursor, sizeof(cursor));
	assert_int_equal(
	    decode(cursor, "created_at", 0, pid, value), CORE_E_INVALID);
	assert_int_equal(
	    decode(cursor, "updated_at", 1, pid, value), CORE_E_INVALID);
}

/* clients-5.3: a cursor that was not made by cursor_encode is refused. */
static void
test_cursor_malformed(void **state)
{
	static const char *const bad_b64[] = {
		"",
		"!",
		"A",
		"YWJj=",
		"YW=J",
		"YWJj\n",
		"Yw==",
		"a+b/",
		"YWJj ZGVm",
		"%59%57",
	};
	static const char *const bad_raw[] = {
		"",
		"c1",
		"c1|name",
		"c1|name|a",
		"c1|name|a|" VALID_ID,
		"c2|name|a|" VALID_ID "|acme",
		"C1|name|a|" VALID_ID "|acme",
		"c1|name|x|" VALID_ID "|acme",
		"c1|name|A|" VALID_ID "|acme",
		"c1|name||" VALID_ID "|acme",
		"c1|name|a|0123456789AB|acme",
		"c1|name|a|0123456789a|acme",
		"c1|name|a||acme",
		"c1|name|a|" VALID_ID "x|acme",
		"|c1|name|a|" VALID_ID "|acme",
		"c1|name|a|" VALID_ID "|\xff",
		"c1|name|a|" VALID_ID "|\xc3",
	};
	char   cursor[CURSOR_LEN], pid[PUBLIC_ID_LEN + 1];
	char   value[CURSOR_VALUE_MAX], *s;
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad_b64); i++) {
		if (decode(bad_b64[i], "name", 0, pid, value) != CORE_E_INVALID)
			fail_msg("accepted \"%s\"", bad_b64[i]);
	}
	for (i = 0; i < CORE_ARRAY_LEN(bad_raw); i++) {
		b64(bad_raw[i], strlen(bad_raw[i]), cursor);
		if (decode(cursor, "name", 0, pid, value) != CORE_E_INVALID)
			fail_msg("accepted \"%s\"", bad_raw[i]);
	}
	/* Longer than any cursor cursor_encode makes. */
	s = repeat("A", 2000);
	assert_int_equal(decode(s, "name", 0, pid, value), CORE_E_INVALID);
	free(s);

	/* Twin: the shortest well-formed cursor; '|' in the value is kept. */
	b64("c1|name|a|" VALID_ID "|", strlen("c1|name|a|" VALID_ID "|"),
	    cursor);
	assert_int_equal(decode(cursor, "name", 0, pid, value), 0);
	assert_string_equal(pid, VALID_ID);
	assert_string_equal(value, "");
	b64("c1|name|a|" VALID_ID "|x|y", strlen("c1|name|a|" VALID_ID "|x|y"),
	    cursor);
	assert_int_equal(decode(cursor, "name", 0, pid, value), 0);
	assert_string_equal(value, "x|y");
}

/* clients-5.4: output buffers too small are an error, not an overflow. */
static void
test_cursor_buffers(void **state)
{
	char cursor[CURSOR_LEN], pid[PUBLIC_ID_LEN + 1], small[5];
	char value[16];

	cursor_encode("name", 0, VALID_ID, "acme gmbh", cursor, sizeof(cursor));
	assert_int_equal(cursor_decode(cursor, "name", 0, small, sizeof(small),
			     value, sizeof(value)),
	    CORE_E_INVALID);
	assert_int_equal(cursor_decode(cursor, "name", 0, pid, PUBLIC_ID_LEN,
			     value, sizeof(value)),
	    CORE_E_INVALID);
	assert_int_equal(cursor_decode(cursor, "name", 0, pid, sizeof(pid),
			     value, strlen("acme gmbh")),
	    CORE_E_INVALID);
	assert_int_equal(cursor_decode(cursor, "name", 0, pid, sizeof(pid),
			     small, sizeof(small)),
	    CORE_E_INVALID);

	/* Twin: exactly enough room, with the NUL. */
	assert_int_equal(cursor_decode(cursor, "name", 0, pid, sizeof(pid),
			     value, strlen("acme gmbh") + 1),
	    0);
	assert_string_equal(pid, VALID_ID);
	assert_string_equal(value, "acme gmbh");
}

/* hardening-8.2: a cursor's value is one its list's SQL type can take. */
static void
test_cursor_value_types(void **state)
{
	static const char *const good[][2] = {
		{ "text", "" },
		{ "text", "acme's 'x'::int" },
		{ "int", "0" },
		{ "int", "42" },
		{ "int", "2147483647" },
		{ "bigint", "9223372036854775807" },
		{ "numeric", "0" },
		{ "numeric", "-12.50" },
		{ "numeric", "123456789012345678901234567890.0000000001" },
		{ "timestamptz", "2026-12-07 15:38:33.123456+00" },
		{ "timestamptz", "2026-12-07 15:38:33+00" },
		{ "timestamptz", "2024-02-29 00:00:00.5-05:30" },
		{ "timestamptz", "2026-01-01 00:00:00+05:45:12" },
		{ "timestamptz", "0001-12-31 23:00:00+00 BC" },
		{ "timestamptz", "10000-01-01 04:59:59.999999+00" },
	};
	static const char *const bad[][2] = {
		{ "int", "" },
		{ "int", "-1" },
		{ "int", "1.5" },
		{ "int", "2147483648" },
		{ "int", "99999999999999999999" },
		{ "int", " 1" },
		{ "int", "1x" },
		{ "bigint", "9223372036854775808" },
		{ "bigint", "-1" },
		{ "numeric", "" },
		{ "numeric", "-" },
		{ "numeric", "1." },
		{ "numeric", ".5" },
		{ "numeric", "NaN" },
		{ "numeric", "1e5" },
		{ "numeric", "--1" },
		{ "timestamptz", "" },
		{ "timestamptz", "now" },
		{ "timestamptz", "infinity" },
		{ "timestamptz", "2026-12-07" },
		{ "timestamptz", "2026-12-07T15:38:33+00" },
		{ "timestamptz", "2026-02-29 00:00:00+00" },
		{ "timestamptz", "2026-13-01 00:00:00+00" },
		{ "timestamptz", "2026-00-01 00:00:00+00" },
		{ "timestamptz", "2026-12-00 00:00:00+00" },
		{ "timestamptz", "2026-12-07 24:00:00+00" },
		{ "timestamptz", "2026-12-07 23:60:00+00" },
		{ "timestamptz", "2026-12-07 23:59:60+00" },
		{ "timestamptz", "2026-12-07 15:38:33.+00" },
		{ "timestamptz", "2026-12-07 15:38:33.1234567+00" },
		{ "timestamptz", "2026-12-07 15:38:33" },
		{ "timestamptz", "2026-12-07 15:38:33+16" },
		{ "timestamptz", "2026-12-07 15:38:33+00:60" },
		{ "timestamptz", "2026-12-07 15:38:33+00:00:00:00" },
		{ "timestamptz", "2026-12-07 15:38:33+00 " },
		{ "timestamptz", "2026-12-07 15:38:33+00 AD" },
		{ "timestamptz", "0002-01-01 00:00:00+00 BC" },
		{ "timestamptz", "10001-01-01 00:00:00+00" },
		{ "timestamptz", "0000-01-01 00:00:00+00" },
		{ "timestamptz", "12026-12-07 15:38:33+00" },
		{ "timestamptz", "226-12-07 15:38:33+00" },
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!cursor_value_valid(good[i][0], good[i][1]))
			fail_msg("%s \"%s\" refused", good[i][0], good[i][1]);
	}
	/* Twin: what the type cannot take, or PostgreSQL would refuse. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (cursor_value_valid(bad[i][0], bad[i][1]))
			fail_msg("%s \"%s\" accepted", bad[i][0], bad[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_round_trip),
		cmocka_unit_test(test_cursor_other_order),
		cmocka_unit_test(test_cursor_malformed),
		cmocka_unit_test(test_cursor_buffers),
		cmocka_unit_test(test_cursor_value_types),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
