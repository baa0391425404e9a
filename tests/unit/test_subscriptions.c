/*
 * Unit tests for core/subscriptions.c: webhook bodies and custom headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/subscriptions.h"
#include "unit.h"

static const struct netpolicy policy = { 0 };

static int
create(json_t *body, struct api_error *err)
{
	return (subscriptions_validate(body, 1, &policy, err));
}

static int
update(json_t *body, struct api_error *err)
{
	return (subscriptions_validate(body, 0, &policy, err));
}

/* subscriptions-1.1: good bodies; each bad field is named. */
static void
test_bodies(void **state)
{
	expect_valid(
	    load("{\"url\": \"https://x.example/h\", \"events\": [\"*\"]}"),
	    create, "minimal");
	expect_valid(
	    load(
		"{\"url\": \"https://x.example/h\", \"events\": [\"client.created\", \"contact.*\"],"
		" \"headers\": {\"Authorization\": \"Bearer x\"}, \"description\": null,"
		" \"status\": \"paused\"}"),
	    create, "full");
	expect_valid(load("{\"status\": \"active\"}"), update, "a patch");
	expect_invalid(
	    load("{\"events\": [\"*\"]}"), create, "url/required", "no url");
	expect_invalid(
	    load("{\"url\": \"http://x.example/\", \"events\": [\"*\"]}"),
	    create, "url/invalid_value", "http");
	expect_invalid(
	    load("{\"url\": \"https://x.example/\", \"events\": \"*\"}"),
	    create, "events/invalid_type", "events not an array");
	expect_invalid(
	    load("{\"url\": \"https://x.example/\", \"events\": [1]}"), create,
	    "events[0]/invalid_type", "a number");
	expect_invalid(
	    load("{\"url\": \"https://x.example/\", \"events\": [\"nope\"]}"),
	    create, "events[0]/invalid_value", "unknown type");
	expect_invalid(
	    load(
		"{\"url\": \"https://x.example/\", \"events\": [\"*\"], \"headers\": {\"Host\": \"evil\"}}"),
	    create, "headers.Host/invalid_value", "Host");
	expect_invalid(
	    load(
		"{\"url\": \"https://x.example/\", \"events\": [\"*\"], \"headers\": {\"X\": 1}}"),
	    create, "headers.X/invalid_type", "a number");
	expect_invalid(
	    load(
		"{\"url\": \"https://x.example/\", \"events\": [\"*\"], \"status\": \"disabled\"}"),
	    create, "status/invalid_value", "disabled");
	expect_invalid(load("{}"), update, "body/empty", "an empty patch");
}

/* subscriptions-1.2: header names and values. */
static void
test_headers(void **state)
{
	char why[200], *big;

	assert_int_equal(
	    subscriptions_header_check("X-Api-Key", "abc", why, sizeof(why)),
	    0);
	assert_int_equal(subscriptions_header_check(
			     "Authorization", "Bearer a\tb", why, sizeof(why)),
	    0);
	assert_int_equal(subscriptions_header_check("", "x", why, sizeof(why)),
	    CORE_E_INVALID);
	assert_int_equal(
	    subscriptions_header_check("X:Y", "x", why, sizeof(why)),
	    CORE_E_INVALID);
	assert_int_equal(
	    subscriptions_header_check("content-length", "1", why, sizeof(why)),
	    CORE_E_INVALID);
	assert_int_equal(subscriptions_header_check(
			     "Webhook-Signature", "v1,x", why, sizeof(why)),
	    CORE_E_INVALID);
	assert_int_equal(
	    subscriptions_header_check("X-A", "a\r\nX-B: b", why, sizeof(why)),
	    CORE_E_INVALID);
	big = repeat("v", SUBSCRIPTIONS_HEADER_VALUE_MAX + 1);
	assert_int_equal(
	    subscriptions_header_check("X-A", big, why, sizeof(why)),
	    CORE_E_INVALID);
	big[SUBSCRIPTIONS_HEADER_VALUE_MAX] = '\0';
	assert_int_equal(
	    subscriptions_header_check("X-A", big, why, sizeof(why)), 0);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_headers),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
