/*
 * Unit tests for core/contacts.c: a contact body on its own and inside a\n * client body.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/core.h"
#include "unit.h"

#define VALID_ID "0123456789ab"

/* Two bytes, one character: limits count the latter. */
#define E_ACUTE "\xc3\xa9"

static int
create(json_t *body, struct api_error *err)
{
	return (clients_validate(body, 1, err));
}

#define CLIENT_CREATE create
#define CONTACT	      contacts_validate

static void
expect_ok(const char *text, unit_validator fn)
{
	expect_valid(load(text), fn, text);
}

static void
expect_bad(const char *text, unit_validator fn, const char *want)
{
	expect_invalid(load(text), fn, want, text);
}

/* clients-2.1: a contact body has the contact fields, without "id". */
static void
test_contact_valid(void **state)
{
	expect_ok("{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
		  " \"email\": \"ada@example.com\", \"phone\": \"+44 20 1234\","
		  " \"is_primary\": true, \"send_email\": false,"
		  " \"custom_value1\": \"w\", \"custom_value2\": null,"
		  " \"custom_value3\": \"\", \"custom_value4\": \"z\"}",
	    CONTACT);
	expect_ok("{\"email\": \"\"}", CONTACT);
	expect_ok("{\"email\": null, \"first_name\": null}", CONTACT);
	expect_ok("{}", CONTACT);

	/* Twin: the id is the path's, never the body's. */
	expect_bad("{\"id\": \"" VALID_ID "\"}", CONTACT, "id/unknown_field");
	expect_bad("{\"first_name\": \"Ada\", \"client\": \"" VALID_ID "\"}",
	    CONTACT, "client/unknown_field");
	expect_bad("{\"email\": \"ada@\"}", CONTACT, "email/invalid_format");
	expect_bad("{\"first_name\": \"a\\nb\"}", CONTACT,
	    "first_name/invalid_format");
}

/* clients-2.2: contact field types, alone and inside a client. */
static void
test_contact_types(void **state)
{
	static const struct {
		const char *key;
		const char *good;
		const char *bad;
	} cases[] = {
		{ "first_name", "\"Ada\"", "1" },
		{ "last_name", "\"Lovelace\"", "true" },
		{ "email", "\"ada@example.com\"", "[]" },
		{ "phone", "\"+1 555 0100\"", "1" },
		{ "is_primary", "true", "\"true\"" },
		{ "is_primary", "false", "0" },
		{ "is_primary", "true", "null" },
		{ "send_email", "false", "\"no\"" },
		{ "send_email", "true", "null" },
		{ "custom_value1", "\"x\"", "{}" },
		{ "custom_value2", "\"x\"", "2" },
		{ "custom_value3", "\"x\"", "false" },
		{ "custom_value4", "\"x\"", "[\"x\"]" },
	};
	char   want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		expect_valid(body_at(cases[i].key, load(cases[i].good)),
		    CONTACT, cases[i].key);
		expect_valid(contact_at(cases[i].key, load(cases[i].good)),
		    CLIENT_CREATE, cases[i].key);

		/* Twin. */
		snprintf(want, sizeof(want), "%s/invalid_type", cases[i].key);
		expect_invalid(body_at(cases[i].key, load(cases[i].bad)),
		    CONTACT, want, cases[i].key);
		snprintf(want, sizeof(want), "contacts[0].%s/invalid_type",
		    cases[i].key);
		expect_invalid(contact_at(cases[i].key, load(cases[i].bad)),
		    CLIENT_CREATE, want, cases[i].key);
	}
}

/* clients-2.3: contact limits, in characters. */
static void
test_contact_lengths(void **state)
{
	static const struct {
		const char *key;
		size_t	    max;
	} cases[] = {
		{ "first_name", 100 },
		{ "last_name", 100 },
		{ "custom_value1", 255 },
		{ "custom_value4", 255 },
	};
	char  *s, want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		s = repeat(E_ACUTE, cases[i].max);
		expect_valid(body_at(cases[i].key, json_string(s)), CONTACT,
		    cases[i].key);
		expect_valid(contact_at(cases[i].key, json_string(s)),
		    CLIENT_CREATE, cases[i].key);
		free(s);

		/* Twin. */
		s = repeat(E_ACUTE, cases[i].max + 1);
		snprintf(want, sizeof(want), "%s/too_long", cases[i].key);
		expect_invalid(body_at(cases[i].key, json_string(s)), CONTACT,
		    want, cases[i].key);
		snprintf(want, sizeof(want), "contacts[0].%s/too_long",
		    cases[i].key);
		expect_invalid(contact_at(cases[i].key, json_string(s)),
		    CLIENT_CREATE, want, cases[i].key);
		free(s);
	}
}

/*
 * clients-2.3a: a contact's phone is a phone number (or ""), at most 64
 * characters: the client's rule (issue 11).
 */
static void
test_contact_phone(void **state)
{
	char s[80];

	expect_valid(body_at("phone", json_string("+44 20 7946 0958 x12")),
	    CONTACT, "phone");
	expect_valid(body_at("phone", json_string("")), CONTACT, "empty");
	expect_invalid(body_at("phone", json_string("abc")), CONTACT,
	    "phone/invalid_format", "abc");
	expect_invalid(contact_at("phone", json_string("12")), CLIENT_CREATE,
	    "contacts[0].phone/invalid_format", "12");
	memset(s, ' ', 64);
	memcpy(s, "555", 3);
	memcpy(s + 60, "1234", 4);
	s[64] = '\0';
	expect_valid(body_at("phone", json_string(s)), CONTACT, "64");
	strcpy(s + 60, "12345");
	expect_invalid(
	    body_at("phone", json_string(s)), CONTACT, "phone/too_long", "65");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contact_valid),
		cmocka_unit_test(test_contact_types),
		cmocka_unit_test(test_contact_lengths),
		cmocka_unit_test(test_contact_phone),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
