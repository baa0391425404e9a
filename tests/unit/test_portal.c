/*
 * Unit tests for core/portal.c: the fields contacts may be allowed to
 * edit, the portal password rule and portal addresses (slugs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/core.h"
#include "core/portal.h"
#include "unit.h"

static int
fields(const char *json, char *first, size_t len)
{
	struct api_error err;
	json_t		*v = load(json);
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	rc = portal_client_fields_check(v, "portal_client_fields", &err);
	first[0] = '\0';
	if (rc != 0)
		field_error(&err, 0, first, len);
	api_error_cleanup(&err);
	json_decref(v);
	return (rc);
}

static void
test_client_fields(void **state)
{
	char first[256];

	assert_int_equal(
	    fields(portal_client_fields_default, first, sizeof(first)), 0);
	assert_int_equal(
	    fields("{\"number\": true}", first, sizeof(first)), CORE_E_INVALID);
	assert_string_equal(first, "portal_client_fields.number/unknown_field");
	assert_int_equal(
	    fields("{\"name\": 1}", first, sizeof(first)), CORE_E_INVALID);
	assert_string_equal(first, "portal_client_fields.name/invalid_type");
}

static void
test_password(void **state)
{
	struct api_error err;

	api_error_init(&err, API_ERR_VALIDATION);
	assert_int_equal(
	    portal_password_check("1234567", "password", &err), CORE_E_INVALID);
	assert_int_equal(
	    portal_password_check("12345678", "password", &err), 0);
	assert_int_equal(
	    portal_password_check("äöüßäöüß", "password", &err), 0);
	api_error_cleanup(&err);
}

static void
test_slug(void **state)
{
	assert_true(portal_slug_ok("acme-gmbh-2"));
	assert_false(portal_slug_ok(""));
	assert_false(portal_slug_ok("-acme"));
	assert_false(portal_slug_ok("Acme"));
	assert_false(portal_slug_ok("acme/../x"));
	assert_false(portal_slug_ok(
	    "a1234567890123456789012345678901234567890123456789012345678901234"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_fields),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_slug),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
