/*
 * Unit tests for core/render.c: a table of fields and values as JSON, the
 * API's time format, and values that are not what their kind expects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/render.h"
#include "unit.h"

static const struct render_field fields[] = {
	{ "id", "id", RENDER_TEXT },
	{ "version", "version", RENDER_NUMBER },
	{ "on", "on", RENDER_BOOL },
	{ "at", "at", RENDER_TIME },
	{ "address", NULL, RENDER_OBJECT },
	{ "city", "city", RENDER_TEXT },
	{ NULL, NULL, RENDER_END },
	{ "contact", "contact", RENDER_OBJECT_OR_NULL },
	{ "name", "name", RENDER_TEXT },
	{ "portal", NULL, RENDER_OBJECT },
	{ "status", "status", RENDER_TEXT },
	{ NULL, NULL, RENDER_END },
	{ NULL, NULL, RENDER_END },
	{ "last", "last", RENDER_TEXT },
};

/* Values by field index; NULL is SQL NULL. */
static const char *
value(void *arg, size_t i)
{
	return (((const char **)arg)[i]);
}

static char *
render(const char **values)
{
	struct cbuf b;

	cbuf_init(&b, 16);
	render_object(&b, fields, CORE_ARRAY_LEN(fields), value, values);
	return (cbuf_release(&b, NULL));
}

/* render-1.1: every kind, nested objects, and the members in table order. */
static void
test_object(void **state)
{
	const char *v[] = { "ab\"c\n", "12", "t", "2026-03-05 12:07:09.5", NULL,
		"Köln", NULL, "k1", "Ann", NULL, "active", NULL, NULL, "end" };
	char	   *s;

	(void)state;
	s = render(v);
	assert_string_equal(s,
	    "{\"id\":\"ab\\\"c\\n\",\"version\":12,\"on\":true,"
	    "\"at\":\"2026-03-05T12:07:09.500000Z\","
	    "\"address\":{\"city\":\"Köln\"},"
	    "\"contact\":{\"name\":\"Ann\",\"portal\":{\"status\":\"active\"}},"
	    "\"last\":\"end\"}");
	free(s);
}

/*
 * render-1.2: (twin) NULL values are null, and an object whose column is
 * NULL is null with none of its members, nested ones included.
 */
static void
test_nulls(void **state)
{
	const char *v[] = { NULL, NULL, "f", NULL, NULL, NULL, NULL, NULL,
		"Ann", NULL, "active", NULL, NULL, "" };
	char	   *s;

	(void)state;
	s = render(v);
	assert_string_equal(s,
	    "{\"id\":null,\"version\":null,\"on\":false,\"at\":null,"
	    "\"address\":{\"city\":null},\"contact\":null,\"last\":\"\"}");
	free(s);
}

/*
 * render-1.3: (twin) a value that is not what its kind expects is written
 * as a string, never as bare text that would break the JSON.
 */
static void
test_unexpected(void **state)
{
	const char *v[] = { "", "12abc", "yes", "infinity", NULL, "\x01", NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, "x" };
	const char *numbers[] = { "1e5", "-", ".5", "5.", "--1", "" };
	char	   *s;
	size_t	    i;

	(void)state;
	s = render(v);
	assert_string_equal(s,
	    "{\"id\":\"\",\"version\":\"12abc\",\"on\":\"yes\","
	    "\"at\":\"infinity\",\"address\":{\"city\":\"\\u0001\"},"
	    "\"contact\":null,\"last\":\"x\"}");
	free(s);
	for (i = 0; i < CORE_ARRAY_LEN(numbers); i++) {
		v[1] = numbers[i];
		s = render(v);
		assert_non_null(strstr(s, "\"version\":\""));
		free(s);
	}
	v[1] = "-0.25";
	s = render(v);
	assert_non_null(strstr(s, "\"version\":-0.25,"));
	free(s);
}

/* render-2.1: times as rfc3339() writes them, the fraction to six digits. */
static void
test_time(void **state)
{
	static const char *const ok[][2] = {
		{ "2026-03-05 12:07:09", "2026-03-05T12:07:09.000000Z" },
		{ "2026-03-05 12:07:09.5", "2026-03-05T12:07:09.500000Z" },
		{ "2026-03-05 12:07:09.123456", "2026-03-05T12:07:09.123456Z" },
		{ "0001-01-01 00:00:00.000001", "0001-01-01T00:00:00.000001Z" },
	};
	char   out[RENDER_TIME_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < CORE_ARRAY_LEN(ok); i++) {
		assert_int_equal(render_time(ok[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, ok[i][1]);
	}
}

/* render-2.2: (twin) anything else is refused, and a short buffer too. */
static void
test_time_bad(void **state)
{
	static const char *const bad[] = { "", "infinity", "-infinity",
		"2026-03-05", "2026-03-05T12:07:09", "2026-03-05 12:07:09+00",
		"2026-03-05 12:07:09.", "2026-03-05 12:07:09.1234567",
		"2026-03-05 12:07:09 BC", "20260-03-05 12:07:09",
		"2026-3-05 12:07:09", "2026-03-05 12:07:0x",
		"03/05/2026 12:07:09" };
	char			 out[RENDER_TIME_LEN];
	size_t			 i;

	(void)state;
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		assert_int_equal(render_time(bad[i], out, sizeof(out)), -1);
	assert_int_equal(
	    render_time("2026-03-05 12:07:09", out, RENDER_TIME_LEN - 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_nulls),
		cmocka_unit_test(test_unexpected),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_bad),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
