/*
 * Unit tests for core/events.c: the catalog, the patterns subscriptions
 * use, and the payload's bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/cbuf.h"
#include "core/events.h"
#include "unit.h"

/* events-1.1: patterns: types, "<entity>.*", "*"; (twins) the rest. */
static void
test_patterns(void **state)
{
	assert_true(events_pattern_ok("client.created"));
	assert_true(events_pattern_ok("ledger_entry.created"));
	assert_true(events_pattern_ok("contact.*"));
	assert_true(events_pattern_ok("import.completed"));
	assert_true(events_pattern_ok("import.*"));
	assert_true(events_pattern_ok("*"));
	assert_false(events_pattern_ok("client.exploded"));
	assert_false(events_pattern_ok("invoice.*"));
	assert_false(events_pattern_ok("client"));
	assert_false(events_pattern_ok("*.*"));
	assert_false(events_pattern_ok("token.created"));
	assert_false(events_pattern_ok("import.started"));
	assert_false(events_pattern_ok(""));
	assert_true(events_matches("*", "group.deleted"));
	assert_true(events_matches("client.*", "client.merged"));
	assert_true(events_matches("client.merged", "client.merged"));
	assert_false(events_matches("client.*", "contact.created"));
	assert_false(events_matches("client.updated", "client.created"));
}

/* events-1.2: the catalog as the registry writes it. */
static void
test_catalog(void **state)
{
	json_t *j = events_types_json();

	assert_int_equal(json_array_size(j), events_types_count);
	assert_int_equal(events_types_count, 19);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(j, 0), "type")),
	    "client.created");
	assert_non_null(events_find("settings.updated"));
	assert_null(events_find("webhook.disabled"));
	/* issue 14: documents; a download is activity, not a webhook. */
	assert_non_null(events_find("document.deleted"));
	assert_null(events_find("document.downloaded"));
	json_decref(j);
}

/* events-1.3: the payload: strings escaped, JSON compacted, null for
 * what is missing; the same inputs give the same bytes. */
static void
test_payload(void **state)
{
	struct cbuf a, b;

	cbuf_init(&a, 64);
	cbuf_init(&b, 64);
	events_payload(&a, "abc", "client.updated",
	    "2026-01-01T00:00:00.000000Z",
	    "{ \"name\" : \"A \\\"q\\\" B\", \"n\": 1 }",
	    "{ \"name\" : \"Old\" }");
	assert_string_equal(a.data,
	    "{\"id\":\"abc\",\"type\":\"client.updated\","
	    "\"created_at\":\"2026-01-01T00:00:00.000000Z\","
	    "\"data\":{\"name\":\"A \\\"q\\\" B\",\"n\":1},"
	    "\"previous_attributes\":{\"name\":\"Old\"}}");
	events_payload(&b, "a\"b", "ping", "t", NULL, NULL);
	assert_string_equal(b.data,
	    "{\"id\":\"a\\\"b\",\"type\":\"ping\",\"created_at\":\"t\","
	    "\"data\":null,\"previous_attributes\":null}");
	cbuf_cleanup(&a);
	cbuf_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_payload),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
