/*
 * Unit tests for core/clients.c: the JSON a client may be written with
 * (its contacts array included) and the GET /clients parameters. Each rule is shown accepting its
 * valid case next to the rejected twin it resembles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/qs.h"
#include "unit.h"

#define VALID_ID "0123456789ab"
#define OTHER_ID "zyxwvtsrqpnm"

/* Two bytes, one character: limits count the latter. */
#define E_ACUTE "\xc3\xa9"

static int
setup(void **state)
{
	/* libsodium must be initialised before its first use. */
	return (crypto_init() == 0 ? 0 : -1);
}

/* ---- bodies -------------------------------------------------------------- */

static int
create(json_t *body, struct api_error *err)
{
	return (clients_validate(body, 1, err));
}

static int
update(json_t *body, struct api_error *err)
{
	return (clients_validate(body, 0, err));
}

#define CLIENT_CREATE create
#define CLIENT_UPDATE update
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

/* A client body with n contacts, each {} or, with emails, a distinct one. */
static json_t *
contacts_n(size_t n, int emails)
{
	json_t *arr;
	char	email[64];
	size_t	i;

	arr = json_array();
	for (i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "c%zu@example.com", i);
		json_array_append_new(arr,
		    emails ? json_pack("{s:s}", "email", email)
			   : json_object());
	}
	return (json_pack("{s:o}", "contacts", arr));
}

static const char full_client[] =
    "{\"number\": \"C-0001\", \"name\": \"Acme GmbH\","
    " \"website\": \"https://acme.example\", \"phone\": \"+49 30 123456\","
    " \"vat_number\": \"DE123456789\", \"id_number\": \"HRB 12345\","
    " \"address\": {\"address1\": \"Hauptstr. 1\", \"address2\": \"\","
    "   \"city\": \"Berlin\", \"state\": \"BE\", \"postal_code\": \"10115\","
    "   \"country\": \"DE\"},"
    " \"shipping_address\": {\"address1\": \"Dock 4\","
    "   \"address2\": \"Gate B\", \"city\": \"Hamburg\", \"state\": \"\","
    "   \"postal_code\": \"20457\", \"country\": null},"
    " \"public_notes\": \"line one\\nline two\", \"private_notes\": \"\","
    " \"custom_value1\": \"a\", \"custom_value2\": \"b\","
    " \"custom_value3\": \"c\", \"custom_value4\": \"d\","
    " \"group\": \"" VALID_ID "\", \"assigned_user\": \"" OTHER_ID "\","
    " \"contacts\": ["
    "   {\"id\": \"" OTHER_ID "\", \"first_name\": \"Ada\","
    "    \"last_name\": \"Lovelace\", \"email\": \"ada@example.com\","
    "    \"phone\": \"+44 20 1234\", \"is_primary\": true,"
    "    \"send_email\": true, \"custom_value1\": \"w\","
    "    \"custom_value2\": \"x\", \"custom_value3\": \"y\","
    "    \"custom_value4\": \"z\"},"
    "   {\"first_name\": \"Bob\", \"last_name\": null, \"email\": \"\","
    "    \"is_primary\": false, \"send_email\": false}]}";

/* clients-1.1: a body using every field is valid to create and update. */
static void
test_client_full(void **state)
{
	expect_ok(full_client, CLIENT_CREATE);
	expect_ok(full_client, CLIENT_UPDATE);
	expect_ok("{\"name\": \"Acme\"}", CLIENT_CREATE);

	/* Twin: one misspelt key spoils it. */
	expect_bad("{\"name\": \"Acme\", \"nmae\": \"Acme\"}", CLIENT_CREATE,
	    "nmae/unknown_field");
}

/* clients-1.2: {} creates (defaults apply) but changes nothing on update. */
static void
test_client_empty(void **state)
{
	struct api_error err;
	json_t		*body;

	expect_ok("{}", CLIENT_CREATE);
	expect_ok("{\"name\": null}", CLIENT_UPDATE);
	expect_ok("{\"contacts\": []}", CLIENT_UPDATE);

	/* Twin: an update must name at least one field. */
	expect_bad("{}", CLIENT_UPDATE, "body/empty");
	body = load("{}");
	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(clients_validate(body, 0, &err), CORE_E_INVALID);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.message, "at least one field"));
	api_error_cleanup(&err);
	json_decref(body);
}

/* clients-1.3: a body that is not an object is a "body" type error. */
static void
test_client_not_object(void **state)
{
	expect_bad("[]", CLIENT_CREATE, "body/invalid_type");
	expect_bad("null", CLIENT_CREATE, "body/invalid_type");
	expect_bad("\"Acme\"", CLIENT_CREATE, "body/invalid_type");
	expect_bad("[]", CONTACT, "body/invalid_type");

	/* Twin. */
	expect_ok("{}", CLIENT_CREATE);
	expect_ok("{}", CONTACT);
}

/* clients-1.4: unknown keys are named, at the top and inside objects. */
static void
test_client_unknown_field(void **state)
{
	static const struct {
		const char *body;
		const char *want;
	} cases[] = {
		{ "{\"town\": \"Berlin\"}", "town/unknown_field" },
		{ "{\"Name\": \"Acme\"}", "Name/unknown_field" },
		/* Read-only fields of a client are not written. */
		{ "{\"id\": \"" VALID_ID "\"}", "id/unknown_field" },
		{ "{\"display_name\": \"Acme\"}",
		    "display_name/unknown_field" },
		{ "{\"balance\": \"1.00\"}", "balance/unknown_field" },
		{ "{\"version\": 3}", "version/unknown_field" },
		{ "{\"address\": {\"town\": \"Berlin\"}}",
		    "address.town/unknown_field" },
		{ "{\"shipping_address\": {\"zip\": \"10115\"}}",
		    "shipping_address.zip/unknown_field" },
		{ "{\"contacts\": [{\"mail\": \"a@example.com\"}]}",
		    "contacts[0].mail/unknown_field" },
		{ "{\"contacts\": [{}, {\"created_at\": \"x\"}]}",
		    "contacts[1].created_at/unknown_field" },
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++)
		expect_bad(cases[i].body, CLIENT_CREATE, cases[i].want);

	/* Twin: the right names. */
	expect_ok("{\"address\": {\"city\": \"Berlin\"}}", CLIENT_CREATE);
	expect_ok("{\"shipping_address\": {\"postal_code\": \"10115\"}}",
	    CLIENT_CREATE);
	expect_ok(
	    "{\"contacts\": [{\"email\": \"a@example.com\"}]}", CLIENT_CREATE);
}

/* clients-1.5: a country is an assigned ISO 3166-1 alpha-2 code or null. */
static void
test_client_country(void **state)
{
	static const char *const bad[] = { "de", "De", "DEU", "XX", "D", "" };
	char			 text[128];
	size_t			 i;

	expect_ok("{\"address\": {\"country\": \"DE\"}}", CLIENT_CREATE);
	expect_ok("{\"address\": {\"country\": null}}", CLIENT_CREATE);
	expect_ok(
	    "{\"shipping_address\": {\"country\": \"US\"}}", CLIENT_UPDATE);

	/* Twin: other case, alpha-3, unassigned, empty; not a string. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		snprintf(text, sizeof(text),
		    "{\"address\": {\"country\": \"%s\"}}", bad[i]);
		expect_bad(
		    text, CLIENT_CREATE, "address.country/invalid_value");
		snprintf(text, sizeof(text),
		    "{\"shipping_address\": {\"country\": \"%s\"}}", bad[i]);
		expect_bad(text, CLIENT_CREATE,
		    "shipping_address.country/invalid_value");
	}
	expect_bad("{\"address\": {\"country\": 49}}", CLIENT_CREATE,
	    "address.country/invalid_type");
}

/* clients-1.6: every field rejects values of the other JSON types. */
static void
test_client_types(void **state)
{
	static const struct {
		const char *path;
		const char *good;
		const char *bad;
	} cases[] = {
		{ "number", "\"C-1\"", "1" },
		{ "name", "\"Acme\"", "true" },
		{ "name", "\"Acme\"", "[\"Acme\"]" },
		{ "website", "\"https://acme.example\"", "{}" },
		{ "phone", "\"+49 30 1\"", "4930" },
		{ "vat_number", "\"DE1\"", "1.5" },
		{ "id_number", "\"X1\"", "false" },
		{ "address", "{}", "\"Hauptstr. 1\"" },
		{ "address", "{}", "[]" },
		{ "shipping_address", "{}", "true" },
		{ "public_notes", "\"a\\nb\"", "1" },
		{ "private_notes", "\"\"", "[]" },
		{ "custom_value1", "\"x\"", "1" },
		{ "custom_value2", "\"x\"", "true" },
		{ "custom_value3", "\"x\"", "[]" },
		{ "custom_value4", "\"x\"", "{}" },
		{ "group", "\"" VALID_ID "\"", "12" },
		{ "assigned_user", "\"" VALID_ID "\"", "false" },
		{ "contacts", "[]", "{}" },
		{ "contacts", "[]", "\"a@example.com\"" },
		{ "address.address1", "\"x\"", "1" },
		{ "address.address2", "\"x\"", "true" },
		{ "address.city", "\"x\"", "[]" },
		{ "address.state", "\"x\"", "{}" },
		{ "address.postal_code", "\"10115\"", "10115" },
		{ "shipping_address.city", "\"x\"", "false" },
		{ "shipping_address.country", "\"FR\"", "[\"FR\"]" },
	};
	char   want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		expect_valid(body_at(cases[i].path, load(cases[i].good)),
		    CLIENT_CREATE, cases[i].path);
		snprintf(want, sizeof(want), "%s/invalid_type", cases[i].path);
		expect_invalid(body_at(cases[i].path, load(cases[i].bad)),
		    CLIENT_UPDATE, want, cases[i].path);
	}
}

/* clients-1.7: null clears a nullable field; elsewhere it is a type error. */
static void
test_client_null(void **state)
{
	static const char *const nullable[] = {
		"number",
		"name",
		"website",
		"phone",
		"vat_number",
		"id_number",
		"public_notes",
		"private_notes",
		"custom_value1",
		"custom_value2",
		"custom_value3",
		"custom_value4",
		"group",
		"assigned_user",
		"address.address1",
		"address.address2",
		"address.city",
		"address.state",
		"address.postal_code",
		"address.country",
		"shipping_address.address1",
		"shipping_address.city",
		"shipping_address.country",
	};
	static const char *const not_nullable[] = {
		"address",
		"shipping_address",
		"contacts",
	};
	char   want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(nullable); i++)
		expect_valid(body_at(nullable[i], json_null()), CLIENT_UPDATE,
		    nullable[i]);

	/* Twin: objects, arrays and booleans are never null. */
	for (i = 0; i < CORE_ARRAY_LEN(not_nullable); i++) {
		snprintf(
		    want, sizeof(want), "%s/invalid_type", not_nullable[i]);
		expect_invalid(body_at(not_nullable[i], json_null()),
		    CLIENT_UPDATE, want, not_nullable[i]);
	}
	expect_invalid(contact_at("is_primary", json_null()), CLIENT_CREATE,
	    "contacts[0].is_primary/invalid_type", "is_primary");
	expect_invalid(contact_at("id", json_null()), CLIENT_CREATE,
	    "contacts[0].id/invalid_type", "id");
}

/* clients-1.8: group and assigned_user are public ids (or null). */
static void
test_client_ids(void **state)
{
	static const char *const good[] = {
		VALID_ID,
		OTHER_ID,
		"hjkmnpqrstvw",
		"000000000000",
	};
	static const char *const bad[] = {
		"0123456789AB",
		"0123456789a",
		"0123456789abc",
		"0123456789ai",
		"0123456789al",
		"0123456789ao",
		"0123456789au",
		"0123456789a-",
		"",
		" 0123456789a",
	};
	static const char *const fields[] = { "group", "assigned_user" };
	char			 want[64];
	size_t			 i, f;

	for (f = 0; f < CORE_ARRAY_LEN(fields); f++) {
		for (i = 0; i < CORE_ARRAY_LEN(good); i++)
			expect_valid(body_at(fields[f], json_string(good[i])),
			    CLIENT_CREATE, good[i]);
		expect_valid(
		    body_at(fields[f], json_null()), CLIENT_CREATE, "null");

		/* Twin: upper case, length, letters outside the alphabet. */
		snprintf(want, sizeof(want), "%s/invalid_format", fields[f]);
		for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
			expect_invalid(body_at(fields[f], json_string(bad[i])),
			    CLIENT_CREATE, want, bad[i]);
	}
}

/*
 * clients-1.8a: website is an http(s) URL and phone a phone number, or ""
 * (issue 11); both within their lengths.
 */
static void
test_client_formats(void **state)
{
	static const char *const good[][2] = {
		{ "website", "https://acme.example" },
		{ "website", "http://acme.example/shop?x=1" },
		{ "website", "" },
		{ "phone", "+49 30 1234567" },
		{ "phone", "(555) 123-4567 ext. 12" },
		{ "phone", "" },
	};
	static const char *const bad[][2] = {
		{ "website", "not a url" },
		{ "website", "acme.example" },
		{ "website", "ftp://acme.example" },
		{ "phone", "abc" },
		{ "phone", "12" },
		{ "phone", "call 555 1234" },
	};
	char   want[64], *s;
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		expect_valid(body_at(good[i][0], json_string(good[i][1])),
		    CLIENT_CREATE, good[i][1]);
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		snprintf(want, sizeof(want), "%s/invalid_format", bad[i][0]);
		expect_invalid(body_at(bad[i][0], json_string(bad[i][1])),
		    CLIENT_UPDATE, want, bad[i][1]);
	}

	/* 255 characters of URL, 64 of phone number; one more is too long. */
	s = malloc(300);
	assert_non_null(s);
	memcpy(s, "https://e.com/", 14);
	memset(s + 14, 'a', 255 - 14);
	s[255] = '\0';
	expect_valid(body_at("website", json_string(s)), CLIENT_CREATE, "255");
	strcpy(s + 255, "a");
	expect_invalid(body_at("website", json_string(s)), CLIENT_CREATE,
	    "website/too_long", "256");
	memset(s, ' ', 64);
	memcpy(s, "555", 3);
	memcpy(s + 60, "1234", 4);
	s[64] = '\0';
	expect_valid(body_at("phone", json_string(s)), CLIENT_CREATE, "64");
	strcpy(s + 60, "12345");
	expect_invalid(body_at("phone", json_string(s)), CLIENT_CREATE,
	    "phone/too_long", "65");
	free(s);
}

/* clients-1.9: limits count UTF-8 characters, not bytes. */
static void
test_client_lengths(void **state)
{
	static const struct {
		const char *path;
		size_t	    max;
	} cases[] = {
		{ "number", 64 },
		{ "name", 200 },
		{ "vat_number", 64 },
		{ "id_number", 64 },
		{ "public_notes", 10000 },
		{ "private_notes", 10000 },
		{ "custom_value1", 255 },
		{ "custom_value4", 255 },
		{ "address.address1", 200 },
		{ "address.address2", 200 },
		{ "address.city", 100 },
		{ "address.state", 100 },
		{ "address.postal_code", 32 },
		{ "shipping_address.address1", 200 },
		{ "shipping_address.postal_code", 32 },
	};
	char  *s, want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		/* max characters of two bytes: twice the limit in bytes. */
		s = repeat(E_ACUTE, cases[i].max);
		expect_valid(body_at(cases[i].path, json_string(s)),
		    CLIENT_CREATE, cases[i].path);
		free(s);

		/* Twin: one character more. */
		s = repeat(E_ACUTE, cases[i].max + 1);
		snprintf(want, sizeof(want), "%s/too_long", cases[i].path);
		expect_invalid(body_at(cases[i].path, json_string(s)),
		    CLIENT_CREATE, want, cases[i].path);
		free(s);
	}

	/* Four-byte characters count once too. */
	s = repeat("\xf0\x9f\x98\x80", 200);
	expect_valid(
	    body_at("name", json_string(s)), CLIENT_CREATE, "200 emoji");
	free(s);
	s = repeat("a", 201);
	expect_invalid(body_at("name", json_string(s)), CLIENT_CREATE,
	    "name/too_long", "201 a");
	free(s);
}

/* clients-1.10: only the notes may hold line breaks. */
static void
test_client_control_chars(void **state)
{
	expect_ok("{\"public_notes\": \"a\\nb\\r\\n\\tc\"}", CLIENT_CREATE);
	expect_ok("{\"private_notes\": \"a\\nb\"}", CLIENT_CREATE);

	/* Twin. */
	expect_bad(
	    "{\"name\": \"a\\nb\"}", CLIENT_CREATE, "name/invalid_format");
	expect_bad("{\"address\": {\"city\": \"a\\tb\"}}", CLIENT_CREATE,
	    "address.city/invalid_format");
	expect_bad("{\"public_notes\": \"a\\u0007b\"}", CLIENT_CREATE,
	    "public_notes/invalid_format");
}

/* clients-1.11: contacts is an array of objects. */
static void
test_contacts_shape(void **state)
{
	expect_ok("{\"contacts\": []}", CLIENT_CREATE);
	expect_ok("{\"contacts\": [{}, {}]}", CLIENT_CREATE);

	/* Twin: not an array; an element that is not an object. */
	expect_bad(
	    "{\"contacts\": {}}", CLIENT_CREATE, "contacts/invalid_type");
	expect_bad(
	    "{\"contacts\": [1]}", CLIENT_CREATE, "contacts[0]/invalid_type");
	expect_bad("{\"contacts\": [null]}", CLIENT_CREATE,
	    "contacts[0]/invalid_type");
	expect_bad("{\"contacts\": [{}, \"ada@example.com\"]}", CLIENT_CREATE,
	    "contacts[1]/invalid_type");
	expect_bad(
	    "{\"contacts\": [[]]}", CLIENT_UPDATE, "contacts[0]/invalid_type");
}

/* clients-1.12: contact emails are addresses or "" (none) or null. */
static void
test_contacts_email(void **state)
{
	char *local, text[512];

	expect_ok("{\"contacts\": [{\"email\": \"ada@example.com\"}]}",
	    CLIENT_CREATE);
	expect_ok("{\"contacts\": [{\"email\": \"\"}]}", CLIENT_CREATE);
	expect_ok("{\"contacts\": [{\"email\": null}]}", CLIENT_CREATE);

	/* Twin. */
	expect_bad("{\"contacts\": [{\"email\": \"ada\"}]}", CLIENT_CREATE,
	    "contacts[0].email/invalid_format");
	expect_bad("{\"contacts\": [{}, {\"email\": \"ada@example\"}]}",
	    CLIENT_CREATE, "contacts[1].email/invalid_format");
	expect_bad("{\"contacts\": [{\"email\": \" \"}]}", CLIENT_CREATE,
	    "contacts[0].email/invalid_format");
	expect_bad("{\"contacts\": [{\"email\": 1}]}", CLIENT_CREATE,
	    "contacts[0].email/invalid_type");

	/* 254 characters is the longest address, 255 too long. */
	local = repeat("a", 64);
	snprintf(text, sizeof(text),
	    "{\"contacts\": [{\"email\": "
	    "\"%s@%.63s.%.63s.%.57s.com\"}]}",
	    local, local, local, local);
	expect_ok(text, CLIENT_CREATE);
	snprintf(text, sizeof(text),
	    "{\"contacts\": [{\"email\": "
	    "\"%s@%.63s.%.63s.%.58s.com\"}]}",
	    local, local, local, local);
	expect_bad(text, CLIENT_CREATE, "contacts[0].email/too_long");
	free(local);
}

/* clients-1.13: at most one contact is primary; the second is named. */
static void
test_contacts_primary(void **state)
{
	expect_ok("{\"contacts\": [{\"is_primary\": true},"
		  " {\"is_primary\": false}, {}]}",
	    CLIENT_CREATE);
	expect_ok("{\"contacts\": [{\"is_primary\": false},"
		  " {\"is_primary\": false}]}",
	    CLIENT_CREATE);

	/* Twin. */
	expect_bad("{\"contacts\": [{\"is_primary\": true},"
		   " {\"is_primary\": true}]}",
	    CLIENT_CREATE, "contacts[1].is_primary/invalid_value");
	expect_bad("{\"contacts\": [{\"is_primary\": true}, {},"
		   " {\"is_primary\": true}]}",
	    CLIENT_UPDATE, "contacts[2].is_primary/invalid_value");
}

/* clients-1.14: no email twice in one client, compared without case. */
static void
test_contacts_duplicate_email(void **state)
{
	expect_ok("{\"contacts\": [{\"email\": \"ada@example.com\"},"
		  " {\"email\": \"bob@example.com\"}]}",
	    CLIENT_CREATE);
	/* "" and null mean "no email", which any number may have. */
	expect_ok("{\"contacts\": [{\"email\": \"\"}, {\"email\": \"\"},"
		  " {\"email\": null}, {\"email\": null}]}",
	    CLIENT_CREATE);

	/* Twin. */
	expect_bad("{\"contacts\": [{\"email\": \"ada@example.com\"},"
		   " {\"email\": \"ada@example.com\"}]}",
	    CLIENT_CREATE, "contacts[1].email/duplicate");
	expect_bad("{\"contacts\": [{\"email\": \"Ada@Example.com\"},"
		   " {\"email\": \"ada@example.COM\"}]}",
	    CLIENT_CREATE, "contacts[1].email/duplicate");
	expect_bad("{\"contacts\": [{\"email\": \"ada@example.com\"}, {},"
		   " {\"email\": \"ADA@EXAMPLE.COM\"}]}",
	    CLIENT_CREATE, "contacts[2].email/duplicate");
}

/* clients-1.15: an existing contact is listed at most once. */
static void
test_contacts_duplicate_id(void **state)
{
	expect_ok("{\"contacts\": [{\"id\": \"" VALID_ID "\"},"
		  " {\"id\": \"" OTHER_ID "\"}, {}, {}]}",
	    CLIENT_UPDATE);

	/* Twin. */
	expect_bad("{\"contacts\": [{\"id\": \"" VALID_ID "\"},"
		   " {\"id\": \"" VALID_ID "\"}]}",
	    CLIENT_UPDATE, "contacts[1].id/duplicate");
	expect_bad("{\"contacts\": [{\"id\": \"" VALID_ID "\"},"
		   " {\"id\": \"0123456789AB\"}]}",
	    CLIENT_UPDATE, "contacts[1].id/invalid_format");
}

/* clients-1.16: at most CONTACTS_MAX contacts. */
static void
test_contacts_max(void **state)
{
	expect_valid(contacts_n(CONTACTS_MAX, 0), CLIENT_CREATE, "50 contacts");
	expect_valid(contacts_n(CONTACTS_MAX, 1), CLIENT_CREATE,
	    "50 contacts with emails");

	/* Twin. */
	expect_invalid(contacts_n(CONTACTS_MAX + 1, 0), CLIENT_CREATE,
	    "contacts/too_long", "51 contacts");
}

/* clients-1.17: every problem is reported, not just the first. */
static void
test_client_all_errors(void **state)
{
	struct api_error err;
	json_t		*body;
	char		 buf[64];

	body = load("{\"name\": 1, \"address\": {\"town\": \"x\"},"
		    " \"contacts\": [{\"email\": \"a@example.com\","
		    " \"is_primary\": true},"
		    " {\"email\": \"A@example.com\", \"is_primary\": true}]}");
	api_error_init(&err, API_ERR_BAD_REQUEST);
	assert_int_equal(clients_validate(body, 1, &err), CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 4);
	assert_string_equal(
	    field_error(&err, 0, buf, sizeof(buf)), "name/invalid_type");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "address.town/unknown_field");
	assert_string_equal(field_error(&err, 2, buf, sizeof(buf)),
	    "contacts[1].is_primary/invalid_value");
	assert_string_equal(field_error(&err, 3, buf, sizeof(buf)),
	    "contacts[1].email/duplicate");
	assert_string_equal(err.field, "name");
	api_error_cleanup(&err);
	json_decref(body);

	/* Twin: the same body corrected. */
	expect_ok("{\"name\": \"1\", \"address\": {\"city\": \"x\"},"
		  " \"contacts\": [{\"email\": \"a@example.com\","
		  " \"is_primary\": true},"
		  " {\"email\": \"b@example.com\", \"is_primary\": false}]}",
	    CLIENT_CREATE);
}

/* ---- lists --------------------------------------------------------------- */

/* Parses query s and reads it as GET /clients parameters into l. */
static int
list(const char *s, struct client_list *l, struct api_error *err)
{
	struct qs qs;
	int	  rc;

	qs_init(&qs);
	api_error_init(err, API_ERR_INTERNAL);
	if (qs_parse(&qs, s, err) != 0)
		fail_msg("query \"%.80s\" rejected by qs_parse: %s", s,
		    err->message);
	rc = clients_list_parse(&qs, l, err);
	qs_cleanup(&qs);
	return (rc);
}

/* s must be accepted. */
static void
list_ok(const char *s, struct client_list *l)
{
	struct api_error err;

	if (list(s, l, &err) != 0)
		fail_msg("\"%.80s\" rejected: %s", s, err.message);
	api_error_cleanup(&err);
}

/* s must be a 400 naming query parameter field. */
static void
list_bad(const char *s, const char *field)
{
	struct api_error   err;
	struct client_list l;

	if (list(s, &l, &err) != CORE_E_INVALID)
		fail_msg("\"%.80s\" accepted", s);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "bad_request");
	if (strcmp(err.field, field) != 0)
		fail_msg("\"%.80s\": field \"%s\", want \"%s\"", s, err.field,
		    field);
	assert_non_null(strstr(err.message, field));
	api_error_cleanup(&err);
}

static void
assert_no_balance(const struct client_list *l)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(l->balance); i++)
		assert_string_equal(l->balance[i], "");
}

/* clients-3.1: without parameters: active clients, newest first. */
static void
test_list_defaults(void **state)
{
	static const char *const queries[] = {
		NULL,
		"",
		"page=2&per_page=10",
		"cursor=abc",
	};
	struct client_list l;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(queries); i++) {
		list_ok(queries[i], &l);
		assert_string_equal(l.statuses, "{active}");
		assert_string_equal(l.like, "");
		assert_string_equal(l.updated_since, "");
		assert_string_equal(l.group, "");
		assert_no_balance(&l);
		assert_non_null(l.sort);
		assert_string_equal(l.sort->name, "created_at");
		assert_int_equal(l.sort->key, CLIENT_SORT_CREATED);
		assert_int_equal(l.desc, 1);
	}

	/* Twin: a given parameter replaces its default. */
	list_ok("status=archived&sort=name", &l);
	assert_string_equal(l.statuses, "{archived}");
	assert_string_equal(l.sort->name, "name");
	assert_int_equal(l.desc, 0);
}

/* clients-3.2: statuses as a comma-separated list, repeated, or both. */
static void
test_list_status(void **state)
{
	static const struct {
		const char *query;
		const char *want;
	} cases[] = {
		{ "status=active", "{active}" },
		{ "status=archived", "{archived}" },
		{ "status=deleted", "{deleted}" },
		{ "status=active,archived", "{active,archived}" },
		{ "status=archived,active", "{active,archived}" },
		{ "status=active,deleted", "{active,deleted}" },
		{ "status=archived,deleted", "{archived,deleted}" },
		{ "status=deleted,archived,active",
		    "{active,archived,deleted}" },
		{ "status=active&status=archived", "{active,archived}" },
		{ "status=archived&status=deleted,active",
		    "{active,archived,deleted}" },
		{ "status=deleted&status=deleted", "{deleted}" },
		{ "status=active%2Carchived", "{active,archived}" },
	};
	struct client_list l;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		list_ok(cases[i].query, &l);
		if (strcmp(l.statuses, cases[i].want) != 0)
			fail_msg("\"%s\": %s, want %s", cases[i].query,
			    l.statuses, cases[i].want);
	}
}

/* clients-3.3: the twins of clients-3.2; the unknown status is quoted. */
static void
test_list_status_invalid(void **state)
{
	static const char *const bad[] = {
		"status=",
		"status=gone",
		"status=Active",
		"status=active,",
		"status=,active",
		"status=active,,archived",
		"status=active+",
		"status=active&status=nope",
		"status=all",
	};
	struct api_error   err;
	struct client_list l;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		list_bad(bad[i], "status");

	assert_int_equal(list("status=active,gone", &l, &err), CORE_E_INVALID);
	assert_non_null(strstr(err.message, "\"gone\""));
	api_error_cleanup(&err);
}

/* clients-3.4: q becomes a LIKE pattern; blank q is no filter. */
static void
test_list_q(void **state)
{
	static const struct {
		const char *query;
		const char *want;
	} cases[] = {
		{ "q=acme", "%acme%" },
		{ "q=Acme+GmbH", "%Acme GmbH%" },
		{ "q=100%25", "%100\\%%" },
		{ "q=a_b", "%a\\_b%" },
		{ "q=a%5Cb", "%a\\\\b%" },
		{ "q=%25_%5C", "%\\%\\_\\\\%" },
		{ "q=++acme++", "%acme%" },
		{ "q=%20a%20b%20", "%a b%" },
		{ "q=M%C3%BCller", "%M\xc3\xbcller%" },
		{ "q=", "" },
		{ "q=+++", "" },
	};
	struct client_list l;
	struct cbuf	   b;
	char		  *s;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		list_ok(cases[i].query, &l);
		if (strcmp(l.like, cases[i].want) != 0)
			fail_msg("\"%s\": \"%s\", want \"%s\"", cases[i].query,
			    l.like, cases[i].want);
	}

	/* CLIENT_Q_MAX characters, of one byte or of two. */
	cbuf_init(&b, 0);
	s = repeat("x", CLIENT_Q_MAX);
	cbuf_appendf(&b, "q=%s", s);
	list_ok(b.data, &l);
	assert_int_equal(strlen(l.like), CLIENT_Q_MAX + 2);
	free(s);
	cbuf_reset(&b);
	s = repeat("%C3%A9", CLIENT_Q_MAX);
	cbuf_appendf(&b, "q=%s", s);
	list_ok(b.data, &l);
	free(s);

	/* Twin: one character more. */
	cbuf_reset(&b);
	s = repeat("x", CLIENT_Q_MAX + 1);
	cbuf_appendf(&b, "q=%s", s);
	list_bad(b.data, "q");
	free(s);
	cbuf_reset(&b);
	s = repeat("%C3%A9", CLIENT_Q_MAX + 1);
	cbuf_appendf(&b, "q=%s", s);
	list_bad(b.data, "q");
	free(s);
	cbuf_cleanup(&b);
}

/* clients-3.5: balance=op:decimal fills the slot of its operator. */
static void
test_list_balance(void **state)
{
	static const struct {
		const char *query;
		size_t	    slot;
		const char *want;
	} cases[] = {
		{ "balance=gt:100.5", 0, "100.5" },
		{ "balance=gte:0", 1, "0" },
		{ "balance=lt:-5.25", 2, "-5.25" },
		{ "balance=lte:99999999999999.999999", 3,
		    "99999999999999.999999" },
		{ "balance=eq:0.01", 4, "0.01" },
	};
	struct client_list l;
	size_t		   i, k;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		list_ok(cases[i].query, &l);
		for (k = 0; k < CORE_ARRAY_LEN(l.balance); k++) {
			if (strcmp(l.balance[k],
				k == cases[i].slot ? cases[i].want : "") != 0)
				fail_msg("\"%s\": slot %zu is \"%s\"",
				    cases[i].query, k, l.balance[k]);
		}
	}

	/* Repeatable, each operator into its own slot. */
	list_ok("balance=gte:100&balance=lt:500", &l);
	assert_string_equal(l.balance[1], "100");
	assert_string_equal(l.balance[2], "500");
	assert_string_equal(l.balance[0], "");
	assert_string_equal(l.balance[3], "");
	assert_string_equal(l.balance[4], "");
}

/* clients-3.6: the twins of clients-3.5. */
static void
test_list_balance_invalid(void **state)
{
	static const char *const bad[] = {
		"balance=100",
		"balance=",
		"balance=gt",
		"balance=gt:",
		"balance=ge:1",
		"balance=GT:1",
		"balance=greater:1",
		"balance=:5",
		"balance=gt::5",
		"balance=gt:1e5",
		"balance=gt:1,5",
		"balance=gt:%2B1",
		"balance=gt:01",
		"balance=gt:1.",
		"balance=gt:.5",
		"balance=gt:1.1234567",
		"balance=gt:100000000000000",
		"balance=gt:abc",
		"balance=gt:1+",
		"balance=gt:1&balance=foo",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		list_bad(bad[i], "balance");
}

/* clients-3.7: sort by a known key; "-" descends, "+" or nothing ascends. */
static void
test_list_sort(void **state)
{
	static const struct {
		const char	    *query;
		const char	    *name;
		enum client_sort_key key;
		int		     desc;
	} cases[] = {
		{ "sort=name", "name", CLIENT_SORT_NAME, 0 },
		{ "sort=-name", "name", CLIENT_SORT_NAME, 1 },
		{ "sort=-balance", "balance", CLIENT_SORT_BALANCE, 1 },
		{ "sort=%2Bnumber", "number", CLIENT_SORT_NUMBER, 0 },
		{ "sort=created_at", "created_at", CLIENT_SORT_CREATED, 0 },
		{ "sort=-created_at", "created_at", CLIENT_SORT_CREATED, 1 },
		{ "sort=-updated_at", "updated_at", CLIENT_SORT_UPDATED, 1 },
		{ "sort=updated_at", "updated_at", CLIENT_SORT_UPDATED, 0 },
	};
	static const char *const bad[] = {
		"sort=email",
		"sort=",
		"sort=-",
		"sort=%2B",
		"sort=Name",
		"sort=--name",
		"sort=-%2Bname",
		"sort=name-",
		"sort=name+",
		/* '+' in a query string is a space. */
		"sort=+number",
	};
	struct client_list l;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		list_ok(cases[i].query, &l);
		assert_string_equal(l.sort->name, cases[i].name);
		assert_int_equal(l.sort->key, cases[i].key);
		if (l.desc != cases[i].desc)
			fail_msg("\"%s\": desc %d", cases[i].query, l.desc);
	}

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		list_bad(bad[i], "sort");
}

/* clients-3.8: clients_sort_find knows the five keys, exactly spelt. */
static void
test_sort_find(void **state)
{
	static const struct {
		const char	    *name;
		enum client_sort_key key;
	} cases[] = {
		{ "created_at", CLIENT_SORT_CREATED },
		{ "updated_at", CLIENT_SORT_UPDATED },
		{ "name", CLIENT_SORT_NAME },
		{ "number", CLIENT_SORT_NUMBER },
		{ "balance", CLIENT_SORT_BALANCE },
	};
	const struct client_sort *s;
	size_t			  i;

	assert_int_equal(CORE_ARRAY_LEN(cases), CLIENT_SORT__COUNT);
	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		s = clients_sort_find(cases[i].name);
		assert_non_null(s);
		assert_string_equal(s->name, cases[i].name);
		assert_int_equal(s->key, cases[i].key);
	}

	/* Twin. */
	assert_null(clients_sort_find("email"));
	assert_null(clients_sort_find(""));
	assert_null(clients_sort_find("-name"));
	assert_null(clients_sort_find("NAME"));
}

/* clients-3.9: updated_since is an RFC 3339 time. */
static void
test_list_updated_since(void **state)
{
	static const char *const bad[] = {
		"updated_since=",
		"updated_since=2026-11-28",
		"updated_since=yesterday",
		"updated_since=1764342245",
		"updated_since=2026-11-28T15:04:05",
		"updated_since=2026-02-30T00:00:00Z",
		/* An unencoded '+' arrives as a space. */
		"updated_since=2026-11-28T15:04:05+01:00",
	};
	struct client_list l;
	size_t		   i;

	list_ok("updated_since=2026-11-28T15:04:05Z", &l);
	assert_string_equal(l.updated_since, "2026-11-28T15:04:05Z");
	list_ok("updated_since=2026-11-28T15:04:05.123%2B01:00", &l);
	assert_string_equal(l.updated_since, "2026-11-28T15:04:05.123+01:00");

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		list_bad(bad[i], "updated_since");
}

/* clients-3.10: group is a public id, or none. */
static void
test_list_group(void **state)
{
	static const char *const bad[] = {
		"group=",
		"group=0123456789AB",
		"group=0123456789a",
		"group=0123456789abc",
		"group=0123456789ai",
		"group=None",
		"group=null",
	};
	struct client_list l;
	size_t		   i;

	list_ok("group=" VALID_ID, &l);
	assert_string_equal(l.group, VALID_ID);
	assert_string_equal(l.no_group, "");
	assert_int_equal(clients_list_filtered(&l), 1);
	/* "none": the clients in no group (issue 11). */
	list_ok("group=none", &l);
	assert_string_equal(l.group, "");
	assert_string_equal(l.no_group, "true");
	assert_int_equal(clients_list_filtered(&l), 1);

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		list_bad(bad[i], "group");
}

/* clients-3.11: only status and balance may be repeated. */
static void
test_list_repeated(void **state)
{
	static const struct {
		const char *query;
		const char *field;
	} cases[] = {
		{ "q=a&q=b", "q" },
		{ "q=a&q=a", "q" },
		{ "sort=name&sort=name", "sort" },
		{ "sort=name&sort=-balance", "sort" },
		{ "updated_since=2026-11-28T15:04:05Z"
		  "&updated_since=2026-11-28T15:04:05Z",
		    "updated_since" },
		{ "group=" VALID_ID "&group=" OTHER_ID, "group" },
		{ "page=1&page=2", "page" },
		{ "cursor=a&status=active&cursor=b", "cursor" },
	};
	struct api_error   err;
	struct client_list l;
	size_t		   i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++)
		list_bad(cases[i].query, cases[i].field);
	assert_int_equal(list("q=a&q=b", &l, &err), CORE_E_INVALID);
	assert_non_null(strstr(err.message, "more than once"));
	api_error_cleanup(&err);

	/* Twin: every parameter once, status and balance twice. */
	list_ok("status=active,archived&status=deleted&q=+acme_&"
		"balance=gte:1&balance=lt:9.5&sort=-name&"
		"updated_since=2026-11-28T15:04:05Z&group=" VALID_ID
		"&page=1&per_page=5",
	    &l);
	assert_string_equal(l.statuses, "{active,archived,deleted}");
	assert_string_equal(l.like, "%acme\\_%");
	assert_string_equal(l.balance[1], "1");
	assert_string_equal(l.balance[2], "9.5");
	assert_string_equal(l.sort->name, "name");
	assert_int_equal(l.desc, 1);
	assert_string_equal(l.updated_since, "2026-11-28T15:04:05Z");
	assert_string_equal(l.group, VALID_ID);
}

/* ---- clients_like_pattern -------------------------------------------------------- */

static void
like_small_buffer(void)
{
	char out[CLIENT_LIKE_LEN - 1];

	(void)clients_like_pattern("x", out, sizeof(out));
}

/* clients-4.1: clients_like_pattern escapes, trims and wraps in %...%. */
static void
test_like_pattern(void **state)
{
	static const struct {
		const char *q;
		const char *want;
	} cases[] = {
		{ "", "" },
		{ " ", "" },
		{ "    ", "" },
		{ "a", "%a%" },
		{ "  Acme GmbH  ", "%Acme GmbH%" },
		{ "50%", "%50\\%%" },
		{ "a_b", "%a\\_b%" },
		{ "C:\\dir", "%C:\\\\dir%" },
		{ "%_\\", "%\\%\\_\\\\%" },
		{ "\\ ", "%\\\\%" },
		{ "caf\xc3\xa9", "%caf\xc3\xa9%" },
	};
	char   out[CLIENT_LIKE_LEN], *q;
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(
		    clients_like_pattern(cases[i].q, out, sizeof(out)), 0);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("\"%s\": \"%s\", want \"%s\"", cases[i].q, out,
			    cases[i].want);
	}

	/* The widest patterns fit CLIENT_LIKE_LEN. */
	q = repeat("%", CLIENT_Q_MAX);
	assert_int_equal(clients_like_pattern(q, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), CLIENT_Q_MAX * 2 + 2);
	free(q);
	q = repeat("\xf0\x9f\x98\x80", CLIENT_Q_MAX);
	assert_int_equal(clients_like_pattern(q, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), CLIENT_Q_MAX * 4 + 2);
	free(q);

	/* Twin: one character too many leaves out empty. */
	q = repeat("%", CLIENT_Q_MAX + 1);
	memset(out, 'x', sizeof(out));
	assert_int_equal(
	    clients_like_pattern(q, out, sizeof(out)), CORE_E_TOOBIG);
	assert_string_equal(out, "");
	free(q);
	q = repeat("\xc3\xa9", CLIENT_Q_MAX + 1);
	assert_int_equal(
	    clients_like_pattern(q, out, sizeof(out)), CORE_E_TOOBIG);
	free(q);

	/* A buffer below CLIENT_LIKE_LEN is a programming error. */
	assert_true(aborts(like_small_buffer));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_full),
		cmocka_unit_test(test_client_empty),
		cmocka_unit_test(test_client_not_object),
		cmocka_unit_test(test_client_unknown_field),
		cmocka_unit_test(test_client_country),
		cmocka_unit_test(test_client_types),
		cmocka_unit_test(test_client_null),
		cmocka_unit_test(test_client_ids),
		cmocka_unit_test(test_client_formats),
		cmocka_unit_test(test_client_lengths),
		cmocka_unit_test(test_client_control_chars),
		cmocka_unit_test(test_contacts_shape),
		cmocka_unit_test(test_contacts_email),
		cmocka_unit_test(test_contacts_primary),
		cmocka_unit_test(test_contacts_duplicate_email),
		cmocka_unit_test(test_contacts_duplicate_id),
		cmocka_unit_test(test_contacts_max),
		cmocka_unit_test(test_client_all_errors),
		cmocka_unit_test(test_list_defaults),
		cmocka_unit_test(test_list_status),
		cmocka_unit_test(test_list_status_invalid),
		cmocka_unit_test(test_list_q),
		cmocka_unit_test(test_list_balance),
		cmocka_unit_test(test_list_balance_invalid),
		cmocka_unit_test(test_list_sort),
		cmocka_unit_test(test_sort_find),
		cmocka_unit_test(test_list_updated_since),
		cmocka_unit_test(test_list_group),
		cmocka_unit_test(test_list_repeated),
		cmocka_unit_test(test_like_pattern),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
