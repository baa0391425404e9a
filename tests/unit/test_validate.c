/*
 * Unit tests for core/validate.c: the field-spec validator and the format
 * checks it shares with the query and CSV parsers. Table-driven: each
 * table lists accepted inputs next to the rejected ones they resemble.
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
#include "core/core.h"
#include "core/validate.h"
#include "unit.h"

static const char *const kinds[] = { "person", "company", NULL };

/* One field of every type; "name" is the only required one. */
static const struct field_spec specs[] = {
	{ "name", FIELD_STRING, FIELD_REQUIRED | FIELD_NONEMPTY, 10, NULL, 0,
	    0 },
	{ "notes", FIELD_TEXT, FIELD_NULLABLE, 0, NULL, 0, 0 },
	{ "email", FIELD_EMAIL, FIELD_NULLABLE, 254, NULL, 0, 0 },
	{ "active", FIELD_BOOL, 0, 0, NULL, 0, 0 },
	{ "count", FIELD_INT, 0, 0, NULL, 1, 100 },
	{ "any", FIELD_INT, 0, 0, NULL, 0, 0 },
	{ "at", FIELD_TIMESTAMP, 0, 0, NULL, 0, 0 },
	{ "country", FIELD_COUNTRY, 0, 0, NULL, 0, 0 },
	{ "id", FIELD_ID, 0, 0, NULL, 0, 0 },
	{ "kind", FIELD_ENUM, 0, 0, kinds, 0, 0 },
	{ "amount", FIELD_DECIMAL, 0, 0, NULL, 0, 0 },
	{ "tags", FIELD_ARRAY, 0, 3, NULL, 0, 0 },
	{ "meta", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
	{ "url", FIELD_URL, 0, 0, NULL, 0, 0 },
	{ "phone", FIELD_PHONE, 0, 0, NULL, 0, 0 },
	{ "site", FIELD_URL, FIELD_NONEMPTY, 0, NULL, 0, 0 },
};

/* Validates JSON text against specs; err is initialised here. */
static int
check(const char *text, const char *prefix, struct api_error *err)
{
	json_t *obj = load(text);
	int	rc;

	api_error_init(err, API_ERR_BAD_REQUEST);
	rc = validate_object(obj, specs, CORE_ARRAY_LEN(specs), prefix, err);
	json_decref(obj);
	return (rc);
}

/* text must be valid. */
static void
expect_ok(const char *text)
{
	struct api_error err;
	char		 buf[256];

	if (check(text, NULL, &err) != 0)
		fail_msg("%s rejected: %s", text,
		    field_error(&err, 0, buf, sizeof(buf)));
	assert_null(err.errors);
	assert_int_equal(err.status, 400);
	api_error_cleanup(&err);
}

/* text must be rejected with exactly one field error, want ("field/code"). */
static void
expect_bad(const char *text, const char *want)
{
	struct api_error err;
	char		 buf[256];

	if (check(text, NULL, &err) != CORE_E_INVALID)
		fail_msg("%s accepted", text);
	assert_int_equal(err.status, 422);
	if (json_array_size(err.errors) != 1)
		fail_msg(
		    "%s: %zu field errors", text, json_array_size(err.errors));
	if (strcmp(field_error(&err, 0, buf, sizeof(buf)), want) != 0)
		fail_msg("%s: got %s, want %s", text, buf, want);
	api_error_cleanup(&err);
}

/* validate-1.1: a body using every field is valid. */
static void
test_object_valid(void **state)
{
	expect_ok(
	    "{\"name\": \"Acme\", \"notes\": \"two\\nlines\","
	    " \"email\": \"a@example.com\", \"active\": true, \"count\": 5,"
	    " \"any\": -9007199254740993, \"at\": \"2026-11-28T15:04:05Z\","
	    " \"country\": \"DE\", \"id\": \"0123456789ab\","
	    " \"kind\": \"person\", \"amount\": \"-12.50\","
	    " \"tags\": [1, 2, 3], \"meta\": {\"x\": 1},"
	    " \"url\": \"https://example.com/hook\"}");
	expect_ok("{\"name\": \"x\"}");

	/* Twin: one misspelt key spoils it. */
	expect_bad(
	    "{\"name\": \"Acme\", \"nmae\": \"Acme\"}", "nmae/unknown_field");
}

/* validate-1.2: an unknown field is named, in the field and the message. */
static void
test_object_unknown_field(void **state)
{
	struct api_error err;

	assert_int_equal(check("{\"name\": \"x\", \"colour\": 1}", NULL, &err),
	    CORE_E_INVALID);
	assert_string_equal(err.field, "colour");
	assert_non_null(strstr(err.message, "\"colour\""));
	api_error_cleanup(&err);

	/* Twin: known keys are case-sensitive. */
	expect_bad(
	    "{\"name\": \"x\", \"Active\": true}", "Active/unknown_field");
	expect_ok("{\"name\": \"x\", \"active\": true}");
}

/* validate-1.3: a body that is not an object is one error, "body". */
static void
test_object_not_object(void **state)
{
	struct api_error err;
	char		 buf[64];

	expect_bad("[]", "body/invalid_type");
	expect_bad("\"name\"", "body/invalid_type");
	expect_bad("null", "body/invalid_type");

	assert_int_equal(check("[1]", "contacts", &err), CORE_E_INVALID);
	assert_string_equal(
	    field_error(&err, 0, buf, sizeof(buf)), "contacts/invalid_type");
	api_error_cleanup(&err);

	/* Twin: the empty object is an object (and only lacks "name"). */
	expect_bad("{}", "name/required");
}

/* validate-1.4: every field type rejects values of the other JSON types. */
static void
test_object_wrong_types(void **state)
{
	static const struct {
		const char *field;
		const char *good;
		const char *bad;
	} cases[] = {
		{ "name", "\"x\"", "5" },
		{ "name", "\"x\"", "[\"x\"]" },
		{ "notes", "\"x\"", "true" },
		{ "email", "\"a@example.com\"", "1" },
		{ "active", "false", "\"true\"" },
		{ "active", "true", "1" },
		{ "count", "5", "\"5\"" },
		{ "count", "5", "5.0" },
		{ "count", "5", "true" },
		{ "any", "0", "1.5" },
		{ "at", "\"2026-01-01T00:00:00Z\"", "1767225600" },
		{ "country", "\"US\"", "49" },
		{ "id", "\"0123456789ab\"", "[]" },
		{ "kind", "\"company\"", "{}" },
		{ "amount", "\"1.5\"", "1.5" },
		{ "tags", "[]", "\"a,b\"" },
		{ "tags", "[]", "{}" },
		{ "meta", "{}", "[]" },
		{ "meta", "{}", "\"{}\"" },
		{ "url", "\"http://example.com\"", "false" },
	};
	char   text[256], want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		if (strcmp(cases[i].field, "name") == 0) {
			snprintf(text, sizeof(text), "{\"name\": %s}",
			    cases[i].good);
			expect_ok(text);
			snprintf(
			    text, sizeof(text), "{\"name\": %s}", cases[i].bad);
		} else {
			snprintf(text, sizeof(text),
			    "{\"name\": \"x\", \"%s\": %s}", cases[i].field,
			    cases[i].good);
			expect_ok(text);
			snprintf(text, sizeof(text),
			    "{\"name\": \"x\", \"%s\": %s}", cases[i].field,
			    cases[i].bad);
		}
		snprintf(want, sizeof(want), "%s/invalid_type", cases[i].field);
		expect_bad(text, want);
	}
}

/* validate-1.5: null is a value only where FIELD_NULLABLE says so. */
static void
test_object_null(void **state)
{
	struct api_error err;

	expect_ok("{\"name\": \"x\", \"notes\": null, \"email\": null}");

	/* Twin: null elsewhere is a type error that says "not null". */
	expect_bad(
	    "{\"name\": \"x\", \"active\": null}", "active/invalid_type");
	expect_bad("{\"name\": \"x\", \"count\": null}", "count/invalid_type");
	expect_bad("{\"name\": null}", "name/invalid_type");
	assert_int_equal(
	    check("{\"name\": \"x\", \"active\": null}", NULL, &err),
	    CORE_E_INVALID);
	assert_non_null(strstr(err.message, "not null"));
	assert_non_null(strstr(err.message, "true or false"));
	api_error_cleanup(&err);
}

/* validate-1.6: a missing FIELD_REQUIRED key is reported with the others. */
static void
test_object_required(void **state)
{
	struct api_error err;
	char		 buf[64];

	expect_bad("{\"notes\": \"n\"}", "name/required");

	assert_int_equal(check("{\"active\": 1}", NULL, &err), CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 2);
	assert_string_equal(
	    field_error(&err, 0, buf, sizeof(buf)), "active/invalid_type");
	assert_string_equal(
	    field_error(&err, 1, buf, sizeof(buf)), "name/required");
	api_error_cleanup(&err);

	/* Twin: optional keys may be absent. */
	expect_ok("{\"name\": \"x\"}");
}

/* validate-1.7: FIELD_NONEMPTY rejects the empty and the blank string. */
static void
test_object_nonempty(void **state)
{
	expect_bad("{\"name\": \"\"}", "name/empty");
	expect_bad("{\"name\": \"   \"}", "name/empty");

	/* Twin: one visible character is enough; other fields may be empty. */
	expect_ok("{\"name\": \" x \"}");
	expect_ok("{\"name\": \"x\", \"notes\": \"\"}");
}

/* validate-1.8: max counts UTF-8 characters, not bytes. */
static void
test_object_too_long(void **state)
{
	/* Ten 2-byte characters, ten 4-byte characters: 20 and 40 bytes. */
	expect_ok("{\"name\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}");
	expect_ok("{\"name\": \"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00"
		  "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00"
		  "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"}");
	expect_ok("{\"name\": \"abcdefghij\"}");

	/* Twin: the eleventh character is one too many. */
	expect_bad("{\"name\": \"abcdefghijk\"}", "name/too_long");
	expect_bad("{\"name\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}",
	    "name/too_long");
	expect_ok("{\"name\": \"x\", \"tags\": [1, 2, 3]}");
	expect_bad(
	    "{\"name\": \"x\", \"tags\": [1, 2, 3, 4]}", "tags/too_long");
}

/* validate-1.9: an enum takes its listed values only, exactly. */
static void
test_object_enum(void **state)
{
	expect_ok("{\"name\": \"x\", \"kind\": \"person\"}");
	expect_ok("{\"name\": \"x\", \"kind\": \"company\"}");

	/* Twin: other case, prefixes and "" are unknown values. */
	expect_bad(
	    "{\"name\": \"x\", \"kind\": \"Person\"}", "kind/invalid_value");
	expect_bad(
	    "{\"name\": \"x\", \"kind\": \"pers\"}", "kind/invalid_value");
	expect_bad("{\"name\": \"x\", \"kind\": \"\"}", "kind/invalid_value");
}

/* validate-1.10: min_int/max_int bound an integer, both ends inclusive. */
static void
test_object_int_range(void **state)
{
	expect_ok("{\"name\": \"x\", \"count\": 1}");
	expect_ok("{\"name\": \"x\", \"count\": 100}");
	/* No bounds given (0, 0): any integer. */
	expect_ok("{\"name\": \"x\", \"any\": 9007199254740993}");

	/* Twin: one past either end. */
	expect_bad("{\"name\": \"x\", \"count\": 0}", "count/out_of_range");
	expect_bad("{\"name\": \"x\", \"count\": 101}", "count/out_of_range");
	expect_bad("{\"name\": \"x\", \"count\": -1}", "count/out_of_range");
}

/* validate-1.11: controls are refused; only FIELD_TEXT allows \n \r \t. */
static void
test_object_control_chars(void **state)
{
	expect_ok("{\"name\": \"x\", \"notes\": \"l1\\nl2\\r\\n\\tl3\"}");

	/* Twin: a newline in a one-line string, or any other control. */
	expect_bad("{\"name\": \"a\\nb\"}", "name/invalid_format");
	expect_bad("{\"name\": \"a\\tb\"}", "name/invalid_format");
	expect_bad("{\"name\": \"a\\u0001b\"}", "name/invalid_format");
	expect_bad("{\"name\": \"a\\u007fb\"}", "name/invalid_format");
	expect_bad("{\"name\": \"x\", \"notes\": \"a\\u0007b\"}",
	    "notes/invalid_format");
	expect_bad("{\"name\": \"x\", \"notes\": \"a\\u001bb\"}",
	    "notes/invalid_format");
	expect_bad("{\"name\": \"x\", \"email\": \"a\\n@example.com\"}",
	    "email/invalid_format");
}

/* validate-1.12: with a prefix, every error names "prefix.key". */
static void
test_object_prefix(void **state)
{
	struct api_error err;
	char		 buf[64];

	assert_int_equal(
	    check("{\"email\": \"bad\", \"x\": 1}", "contacts", &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 3);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "contacts.email/invalid_format");
	assert_string_equal(
	    field_error(&err, 1, buf, sizeof(buf)), "contacts.x/unknown_field");
	assert_string_equal(
	    field_error(&err, 2, buf, sizeof(buf)), "contacts.name/required");
	assert_string_equal(err.field, "contacts.email");
	assert_non_null(strstr(err.message, "\"contacts.email\""));
	api_error_cleanup(&err);

	/* Twin: an empty prefix is no prefix (no leading dot). */
	assert_int_equal(
	    check("{\"email\": \"bad\", \"name\": \"n\"}", "", &err),
	    CORE_E_INVALID);
	assert_string_equal(
	    field_error(&err, 0, buf, sizeof(buf)), "email/invalid_format");
	api_error_cleanup(&err);
}

/* validate-1.13: each string format is checked through validate_object. */
static void
test_object_formats(void **state)
{
	static const struct {
		const char *field;
		const char *good;
		const char *bad;
		const char *code;
	} cases[] = {
		{ "email", "a+b@example.co.uk", "a@@example.com",
		    "invalid_format" },
		{ "at", "2024-02-29T12:00:00+01:00", "2023-02-29T12:00:00Z",
		    "invalid_format" },
		{ "country", "US", "us", "invalid_value" },
		{ "id", "zyxwvtsrqpnm", "0123456789AB", "invalid_format" },
		{ "amount", "0.000001", "1e5", "invalid_format" },
		{ "amount", "99999999999999", "100000000000000",
		    "invalid_format" },
		{ "url", "https://example.com/h?x=1", "ftp://example.com",
		    "invalid_format" },
		{ "url", "", "not a url", "invalid_format" },
		{ "site", "https://example.com", "", "empty" },
		{ "phone", "+44 20 7946 0958", "abc", "invalid_format" },
		{ "phone", "", "12", "invalid_format" },
	};
	char   text[256], want[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		snprintf(text, sizeof(text),
		    "{\"name\": \"x\", \"%s\": \"%s\"}", cases[i].field,
		    cases[i].good);
		expect_ok(text);
		snprintf(text, sizeof(text),
		    "{\"name\": \"x\", \"%s\": \"%s\"}", cases[i].field,
		    cases[i].bad);
		snprintf(
		    want, sizeof(want), "%s/%s", cases[i].field, cases[i].code);
		expect_bad(text, want);
	}
}

/* Builds n copies of c followed by tail into buf. */
static const char *
rep(char *buf, size_t len, char c, size_t n, const char *tail)
{
	if (n + strlen(tail) + 1 > len)
		fail_msg("rep: buffer too small");
	memset(buf, c, n);
	strcpy(buf + n, tail);
	return (buf);
}

/* Holds v (JSON text) to f as validate_value does for settings. */
static const char *
value_message(
    const struct field_spec *f, const char *text, char *buf, size_t len)
{
	struct api_error err;
	json_t		*v = load(text);
	char		 fe[256];

	api_error_init(&err, API_ERR_BAD_REQUEST);
	buf[0] = '\0';
	if (validate_value(f, "setting", "k", "settings.k", v, &err) != 0) {
		snprintf(buf, len, "%s|%s",
		    field_error(&err, 0, fe, sizeof(fe)),
		    json_string_value(json_object_get(
			json_array_get(err.errors, 0), "message")));
	}
	api_error_cleanup(&err);
	json_decref(v);
	return (buf);
}

/*
 * validate-1.14: one engine for fields and settings: the types settings
 * add (currency, language, time zone, integer lists) and the subject in
 * the message ("setting "k"") while the error names the path.
 */
static void
test_value_engine(void **state)
{
	static const char *const days[] = { "mon", "tue", NULL };
	struct field_spec	 f = { "k", FIELD_CURRENCY, 0, 0, NULL, 0, 0 };
	char			 buf[512], tmp[512];

	assert_string_equal(value_message(&f, "\"EUR\"", buf, sizeof(buf)), "");
	snprintf(tmp, sizeof(tmp), "%s",
	    value_message(&f, "\"eur\"", buf, sizeof(buf)));
	assert_non_null(strstr(tmp,
	    "settings.k/invalid_format|setting \"k\" "
	    "must be an ISO 4217"));
	f.type = FIELD_LANGUAGE;
	assert_string_equal(
	    value_message(&f, "\"de-CH\"", buf, sizeof(buf)), "");
	assert_non_null(strstr(
	    value_message(&f, "\"german\"", buf, sizeof(buf)), "BCP 47"));
	f.type = FIELD_TIMEZONE;
	assert_string_equal(
	    value_message(&f, "\"Europe/Berlin\"", buf, sizeof(buf)), "");
	assert_non_null(
	    strstr(value_message(&f, "\"../etc\"", buf, sizeof(buf)),
		"IANA time zone"));
	f.type = FIELD_INT_LIST;
	f.min_int = 1;
	f.max_int = 9;
	f.max = 2;
	assert_string_equal(value_message(&f, "[1, 9]", buf, sizeof(buf)), "");
	assert_non_null(strstr(value_message(&f, "[1, 10]", buf, sizeof(buf)),
	    "settings.k[1]/out_of_range|items of setting \"k\" must be "
	    "between 1 and 9, not 10"));
	assert_non_null(
	    strstr(value_message(&f, "[1, \"2\"]", buf, sizeof(buf)),
		"settings.k[1]/invalid_type"));
	assert_non_null(strstr(value_message(&f, "[1, 2, 3]", buf, sizeof(buf)),
	    "settings.k/too_long"));
	assert_non_null(strstr(value_message(&f, "\"1\"", buf, sizeof(buf)),
	    "must be an array of integers"));
	/* An enum lists what it takes, for fields and settings alike. */
	f.type = FIELD_ENUM;
	f.values = days;
	f.max = 0;
	assert_non_null(strstr(value_message(&f, "\"sun\"", buf, sizeof(buf)),
	    "setting \"k\" must be one of \"mon\", \"tue\", not \"sun\""));
	/* FIELD_RAW leaves the content to the caller; the type still counts. */
	f.type = FIELD_STRING;
	f.flags = FIELD_RAW;
	assert_string_equal(
	    value_message(&f, "\"a\\u0001b\"", buf, sizeof(buf)), "");
	assert_non_null(strstr(
	    value_message(&f, "1", buf, sizeof(buf)), "must be a string"));
}

/* validate-2.1: practical addresses, including UTF-8 and plus tags. */
static void
test_email_valid(void **state)
{
	static const char *const good[] = {
		"user@example.com",
		"first.last+tag@mail.example.co.uk",
		"a@b.co",
		"x_y-z!#$%&'*/=?^`{|}~@example.org",
		"user@sub-domain.example.org",
		"user@123.example.com",
		"m\xc3\xbcller@ex\xc3\xa4mple.de",
		"\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\x85\xac"
		"\xe5\x8f\xb8",
		"user@xn--bcher-kva.example",
	};
	char   buf[512], dom[256], lab[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_email(good[i]))
			fail_msg("rejected %s", good[i]);
	}
	/* Limits: a 64-byte local part, a 63-byte label, 254 bytes in all. */
	assert_true(
	    validate_email(rep(buf, sizeof(buf), 'a', 64, "@example.com")));
	snprintf(
	    dom, sizeof(dom), "@%s.com", rep(lab, sizeof(lab), 'b', 63, ""));
	assert_true(validate_email(rep(buf, sizeof(buf), 'a', 1, dom)));
	snprintf(dom, sizeof(dom), "@%.63s.%.63s.%.57s.com", lab, lab, lab);
	assert_true(validate_email(rep(buf, sizeof(buf), 'a', 64, dom)));
	assert_int_equal(strlen(buf), 254);
}

/* validate-2.2: the twins of validate-2.1. */
static void
test_email_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"a@",
		"@example.com",
		"userexample.com",
		"a@b@example.com",
		".user@example.com",
		"user.@example.com",
		"us..er@example.com",
		"user@example..com",
		"user@.example.com",
		"user@example.com.",
		"user@example",
		"user@example.123",
		"user@1.2.3.4",
		"user@-example.com",
		"user@example-.com",
		"us er@example.com",
		"user@exa mple.com",
		" user@example.com",
		"user@example.com ",
		"user@exa_mple.com",
		"us\"er@example.com",
		"user(x)@example.com",
		"us,er@example.com",
		"user@[127.0.0.1]",
	};
	char   buf[512], dom[256], lab[64];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_email(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	/* One past each limit of validate-2.1. */
	assert_false(
	    validate_email(rep(buf, sizeof(buf), 'a', 65, "@example.com")));
	snprintf(
	    dom, sizeof(dom), "@%s.com", rep(lab, sizeof(lab), 'b', 63, ""));
	assert_true(validate_email(rep(buf, sizeof(buf), 'a', 1, dom)));
	snprintf(dom, sizeof(dom), "@%sb.com", lab);
	assert_false(validate_email(rep(buf, sizeof(buf), 'a', 1, dom)));
	snprintf(dom, sizeof(dom), "@%.63s.%.63s.%.58s.com", lab, lab, lab);
	assert_false(validate_email(rep(buf, sizeof(buf), 'a', 64, dom)));
	assert_int_equal(strlen(buf), 255);
}

/* validate-3.1: RFC 3339 times with Z, offsets and fractions. */
static void
test_date(void **state)
{
	(void)state;
	assert_true(validate_date("2026-02-28"));
	assert_true(validate_date("2024-02-29"));
	assert_false(validate_date("2026-02-29"));
	assert_false(validate_date("2026-13-01"));
	assert_false(validate_date("2026-00-10"));
	assert_false(validate_date("2026-1-01"));
	assert_false(validate_date("2026-01-01T00:00:00Z"));
	assert_false(validate_date("0000-01-01"));
	assert_false(validate_date(""));
}

static void
test_timestamp_valid(void **state)
{
	static const char *const good[] = {
		"2026-11-28T15:04:05Z",
		"2026-11-28t15:04:05z",
		"2026-11-28T15:04:05+01:00",
		"2026-11-28T15:04:05-08:00",
		"2026-11-28T15:04:05+00:00",
		"2026-11-28T15:04:05.1Z",
		"2026-11-28T15:04:05.123456789+05:30",
		"2024-02-29T00:00:00Z",
		"2000-02-29T00:00:00Z",
		"2026-12-31T23:59:60Z",
		"0001-01-01T00:00:00Z",
		"2026-04-30T23:59:59+23:59",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_timestamp(good[i]))
			fail_msg("rejected %s", good[i]);
	}
}

/* validate-3.2: the twins of validate-3.1. */
static void
test_timestamp_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-28",
		"2023-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-10T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"0000-01-01T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T23:60:00Z",
		"2026-11-28T23:59:61Z",
		"2026-11-28 15:04:05Z",
		"2026-11-2815:04:05Z",
		"2026-11-28T15:04:05",
		"2026-11-28T15:04:05Zjunk",
		"2026-11-28T15:04:05Z ",
		"2026-11-28T15:04:05+01:00x",
		"2026-11-28T15:04:05+0100",
		"2026-11-28T15:04:05+1:00",
		"2026-11-28T15:04:05+24:00",
		"2026-11-28T15:04:05+01:60",
		"2026-11-28T15:04:05.Z",
		"2026-11-28T15:04:05,5Z",
		"2026-11-28T15:04Z",
		"2026-1-28T15:04:05Z",
		"abcd-11-28T15:04:05Z",
		"2026/11/28T15:04:05Z",
		"+2026-11-28T15:04:05Z",
		"2026-11-28T15:04:05UTC",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_timestamp(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/* validate-4.1: ISO 3166-1 alpha-2, upper case, assigned codes only. */
static void
test_country(void **state)
{
	static const char *const good[] = { "DE", "US", "AD", "ZW", "GB" };
	static const char *const bad[] = {
		"de",
		"De",
		"XX",
		"UK",
		"DEU",
		"D",
		"",
		"D1",
		" DE",
		"ZZ",
		"AA",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_country(good[i]))
			fail_msg("rejected %s", good[i]);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_country(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/* validate-5.1: exact decimals within integer and fraction digit limits. */
static void
test_decimal(void **state)
{
	static const char *const good[] = {
		"0",
		"1",
		"-1",
		"123",
		"999",
		"0.5",
		"-0.5",
		"123.45",
		"0.01",
		"-999.99",
		"10",
		"100.10",
	};
	static const char *const bad[] = {
		"",
		"-",
		"1234",
		"1.234",
		"01",
		"00.5",
		"-01",
		".5",
		"-.5",
		"1.",
		"1e5",
		"1E5",
		"+1",
		"--1",
		" 1",
		"1 ",
		"1.2.3",
		"1,5",
		"0x1",
		"1-",
		"NaN",
		"\xd9\xa1",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_decimal(good[i], 3, 2))
			fail_msg("rejected %s", good[i]);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_decimal(bad[i], 3, 2))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/* validate-6.1: absolute http(s) URLs without spaces or controls. */
static void
test_url(void **state)
{
	static const char *const good[] = {
		"https://example.com",
		"https://example.com/hook?x=1&y=%20#f",
		"http://localhost:8080/",
		"http://[::1]:8080/x",
		"https://ex\xc3\xa4mple.de/p\xc3\xa4th",
	};
	static const char *const bad[] = {
		"",
		"example.com",
		"//example.com",
		"ftp://example.com",
		"javascript:alert(1)",
		"https://",
		"http://",
		"https:///path",
		"https:/example.com",
		"https://exa mple.com",
		"https://example.com/\001",
		"https://example.com/\177",
		"https://example.com/a\nb",
		" https://example.com",
		"https://?x=1",
		"https://#top",
		"https://@example.com",
		"not a url",
	};
	char   buf[2100];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_url(good[i]))
			fail_msg("rejected %s", good[i]);
	}
	/* 2000 bytes is the limit. */
	memcpy(buf, "https://e.com/", 14);
	memset(buf + 14, 'a', 2000 - 14);
	buf[2000] = '\0';
	assert_true(validate_url(buf));

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_url(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	buf[2000] = 'a';
	buf[2001] = '\0';
	assert_false(validate_url(buf));
}

/*
 * validate-6.2: phone numbers as people write them (issue 11): digits with
 * a leading +, spaces, dots, dashes, slashes, parentheses and an extension.
 */
static void
test_phone(void **state)
{
	static const char *const good[] = {
		"112",
		"+44 20 7946 0958",
		"+44 (0)20 7946 0958",
		"(555) 123-4567",
		"555.123.4567",
		"030/1234567",
		"+1 555 123 4567 ext. 89",
		"+1 555 123 4567 x89",
		"555-1234 Ext 12",
		"555-1234 extension 123456",
		"555 1234 #7",
		"+4930123456789012345",
		"0049 30 12345678",
	};
	static const char *const bad[] = {
		"",
		"abc",
		"12",
		"+",
		"++44 20 7946 0958",
		"+ 44 20",
		"1-800-FLOWERS",
		"555-1234 ext",
		"555-1234 ext 1234567",
		"555-1234 x12 x3",
		"(555 123-4567",
		"555) 123-4567",
		"((555)) 123",
		"555-1234-",
		"-555-1234",
		" 555 1234",
		"555 1234 x",
		"phone: 555 1234",
		"555_1234",
		"555\t1234",
		"+123456789012345678901",
		"44 20 7946 0958 or 0959",
	};
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		if (!validate_phone(good[i]))
			fail_msg("rejected \"%s\"", good[i]);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		if (validate_phone(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_valid),
		cmocka_unit_test(test_object_unknown_field),
		cmocka_unit_test(test_object_not_object),
		cmocka_unit_test(test_object_wrong_types),
		cmocka_unit_test(test_object_null),
		cmocka_unit_test(test_object_required),
		cmocka_unit_test(test_object_nonempty),
		cmocka_unit_test(test_object_too_long),
		cmocka_unit_test(test_object_enum),
		cmocka_unit_test(test_object_int_range),
		cmocka_unit_test(test_object_control_chars),
		cmocka_unit_test(test_object_prefix),
		cmocka_unit_test(test_object_formats),
		cmocka_unit_test(test_value_engine),
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_invalid),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_timestamp_valid),
		cmocka_unit_test(test_timestamp_invalid),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_phone),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
