/*
 * Unit tests for core/settings.c: the registry of keys, PATCH validation
 * at each level (what may be set where, and of which type), applying a
 * patch, resolution client -> group -> company -> default, and the
 * effective view the API shows. Each accepted value stands next to the
 * rejected twin it resembles, at every level.
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

#include "core/api_error.h"
#include "core/core.h"
#include "core/mem.h"
#include "core/mail.h"
#include "core/portal.h"
#include "core/settings.h"
#include "unit.h"

#define E_ACUTE	      "\xc3\xa9" /* two bytes, one character */
#define LEVEL_NUMBERS (LEVEL_COMPANY | LEVEL_GROUP)

static const unsigned int one_level[] = { LEVEL_COMPANY, LEVEL_GROUP,
	LEVEL_CLIENT };

/*
 * What the registry must hold, key by key: its declaration, a valid value
 * other than the default, a value of the wrong JSON type, and a value of
 * the right type with bad content (NULL for booleans) with the field error
 * it gives ("settings.<key>" + suffix / code).
 */
static const struct expect_key {
	const char	 *key;
	enum setting_type type;
	unsigned int	  levels;
	const char	 *def;
	const char	 *section;
	const char	 *type_name;
	const char	 *good;
	const char	 *bad_type;
	const char	 *bad_value;
	const char	 *bad_want;
} keys[] = {
	{ "currency", SETTING_CURRENCY, LEVEL_ALL, "\"USD\"", "general",
	    "currency", "\"EUR\"", "840", "\"usd\"", "/invalid_format" },
	{ "language", SETTING_LANGUAGE, LEVEL_ALL, "\"en\"", "general",
	    "language", "\"de-CH\"", "true", "\"EN\"", "/invalid_format" },
	{ "timezone", SETTING_TIMEZONE, LEVEL_ALL, "\"UTC\"", "general",
	    "timezone", "\"Europe/Berlin\"", "0", "\"Europe/\"",
	    "/invalid_format" },
	{ "date_format", SETTING_ENUM, LEVEL_ALL, "\"YYYY-MM-DD\"", "general",
	    "enum", "\"DD.MM.YYYY\"", "1", "\"yyyy-mm-dd\"", "/invalid_value" },
	{ "payment_terms", SETTING_INT, LEVEL_ALL, "14", "general", "integer",
	    "30", "\"14\"", "3651", "/out_of_range" },
	{ "send_reminders", SETTING_BOOL, LEVEL_ALL, "true", "reminders",
	    "boolean", "false", "1", NULL, NULL },
	{ "reminder_schedule", SETTING_INT_LIST, LEVEL_ALL, "[7, 14, 30]",
	    "reminders", "integer_list", "[3, 10]", "\"7,14\"", "[14, 7]",
	    "[1]/invalid_value" },
	{ "contact_send_email", SETTING_BOOL, LEVEL_ALL, "true", "email",
	    "boolean", "false", "\"yes\"", NULL, NULL },
	{ "portal_notifications", SETTING_BOOL, LEVEL_ALL, "true", "email",
	    "boolean", "false", "0", NULL, NULL },
	{ "custom_fields", SETTING_OBJECT, LEVEL_COMPANY, "{}", "custom_fields",
	    "object", "{\"client1\": \"Region\"}", "[]", "{\"client5\": \"x\"}",
	    ".client5/unknown_field" },
	{ "portal_enabled", SETTING_BOOL, LEVEL_ALL, "true", "portal",
	    "boolean", "false", "\"false\"", NULL, NULL },
	{ "portal_registration", SETTING_BOOL, LEVEL_COMPANY, "false", "portal",
	    "boolean", "true", "1", NULL, NULL },
	{ "portal_registration_fields", SETTING_OBJECT, LEVEL_COMPANY,
	    "{\"name\": {\"required\": false, \"visible\": true},"
	    " \"first_name\": {\"required\": true, \"visible\": true},"
	    " \"last_name\": {\"required\": true, \"visible\": true},"
	    " \"phone\": {\"required\": false, \"visible\": false},"
	    " \"website\": {\"required\": false, \"visible\": false},"
	    " \"vat_number\": {\"required\": false, \"visible\": false},"
	    " \"address1\": {\"required\": false, \"visible\": false},"
	    " \"city\": {\"required\": false, \"visible\": false},"
	    " \"postal_code\": {\"required\": false, \"visible\": false},"
	    " \"country\": {\"required\": false, \"visible\": false}}",
	    "portal", "object",
	    "{\"phone\": {\"required\": true, \"visible\": true}}", "[]",
	    "{\"phone\": {\"required\": true, \"visible\": false}}",
	    ".phone/invalid_value" },
	{ "portal_uploads", SETTING_BOOL, LEVEL_COMPANY, "false", "portal",
	    "boolean", "true", "0", NULL, NULL },
	{ "document_max_size", SETTING_INT, LEVEL_COMPANY, "26214400",
	    "documents", "integer", "1048576", "\"1\"", "104857601",
	    "/out_of_range" },
	{ "portal_registration_approval", SETTING_BOOL, LEVEL_COMPANY, "false",
	    "portal", "boolean", "true", "0", NULL, NULL },
	{ "portal_magic_links", SETTING_BOOL, LEVEL_COMPANY, "true", "portal",
	    "boolean", "false", "1", NULL, NULL },
	{ "portal_client_fields", SETTING_OBJECT, LEVEL_COMPANY,
	    portal_client_fields_default, "portal", "object",
	    "{\"phone\": true}", "[]", "{\"number\": true}",
	    ".number/unknown_field" },
	{ "email_templates", SETTING_OBJECT, LEVEL_COMPANY,
	    mail_templates_default, "email", "object",
	    "{\"magic\": {\"subject\": \"S\", \"text\": \"{{link}}\"}}", "[]",
	    "{\"magic\": {\"subject\": \"S\", \"text\": \"no\"}}",
	    ".magic.text/invalid_value" },
	{ "client_number_pattern", SETTING_PATTERN, LEVEL_NUMBERS,
	    "\"{$counter}\"", "numbers", "pattern", "\"C-{$counter}\"", "1",
	    "\"KDR\"", "/invalid_value" },
	{ "client_number_counter", SETTING_INT, LEVEL_NUMBERS, "1", "numbers",
	    "integer", "500", "\"1\"", "0", "/out_of_range" },
	{ "counter_padding", SETTING_INT, LEVEL_NUMBERS, "4", "numbers",
	    "integer", "6", "4.0", "11", "/out_of_range" },
};

static const char *
level_name(unsigned int level)
{
	return (level == LEVEL_COMPANY ? "company"
		: level == LEVEL_GROUP ? "group"
				       : "client");
}

/* Validates patch (released here); err is initialised here. */
static int
check_json(json_t *patch, unsigned int level, const char *prefix,
    struct api_error *err)
{
	int rc;

	api_error_init(err, API_ERR_BAD_REQUEST);
	rc = settings_validate_patch(patch, level, prefix, err);
	json_decref(patch);
	return (rc);
}

/* patch (released here) must be valid at level under "settings". */
static void
expect_ok_json(json_t *patch, unsigned int level, const char *what)
{
	struct api_error err;
	char		 buf[256];

	if (check_json(patch, level, "settings", &err) != 0)
		fail_msg("%.80s rejected at %s level: %s (%s)", what,
		    level_name(level), field_error(&err, 0, buf, sizeof(buf)),
		    err.message);
	assert_null(err.errors);
	api_error_cleanup(&err);
}

/*
 * patch (released here) must fail at level with exactly one field error,
 * want ("field/code"); the message is copied to msg when msg is not NULL.
 */
static void
expect_bad_json(json_t *patch, unsigned int level, const char *want,
    const char *what, char *msg, size_t msglen)
{
	struct api_error err;
	char		 buf[256];

	if (check_json(patch, level, "settings", &err) != CORE_E_INVALID)
		fail_msg("%.80s accepted at %s level", what, level_name(level));
	assert_int_equal(err.status, 422);
	if (json_array_size(err.errors) != 1)
		fail_msg("%.80s at %s level: %zu field errors, first %s", what,
		    level_name(level), json_array_size(err.errors),
		    field_error(&err, 0, buf, sizeof(buf)));
	if (strcmp(field_error(&err, 0, buf, sizeof(buf)), want) != 0)
		fail_msg("%.80s at %s level: got %s, want %s", what,
		    level_name(level), buf, want);
	if (msg != NULL)
		snprintf(msg, msglen, "%s", err.message);
	api_error_cleanup(&err);
}

/* {key: value} with value given as JSON text. */
static json_t *
patch1(const char *key, const char *value)
{
	return (json_pack("{s:o}", key, load(value)));
}

/* key = value must be valid at every level of mask. */
static void
value_ok(const char *key, const char *value, unsigned int mask)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(one_level); i++) {
		if (mask & one_level[i])
			expect_ok_json(patch1(key, value), one_level[i], value);
	}
}

/*
 * key = value must fail at every level of mask with one field error,
 * "settings.<key>" + suffix; the message of the last is copied to msg.
 */
static void
value_bad(const char *key, const char *value, unsigned int mask,
    const char *suffix, char *msg, size_t msglen)
{
	char   want[256];
	size_t i;

	snprintf(want, sizeof(want), "settings.%s%s", key, suffix);
	for (i = 0; i < CORE_ARRAY_LEN(one_level); i++) {
		if (mask & one_level[i])
			expect_bad_json(patch1(key, value), one_level[i], want,
			    value, msg, msglen);
	}
}

/* ---- the registry -------------------------------------------------------- */

/* settings-1.1: the registry holds exactly the expected keys. */
static void
test_registry(void **state)
{
	const struct setting_def *def;
	size_t			  i, j;

	assert_int_equal(settings_defs_count, CORE_ARRAY_LEN(keys));
	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		if ((def = settings_find(keys[i].key)) == NULL)
			fail_msg("\"%s\" is not in the registry", keys[i].key);
		assert_string_equal(def->key, keys[i].key);
		assert_int_equal(def->type, keys[i].type);
		assert_int_equal(def->levels, keys[i].levels);
		assert_string_equal(def->section, keys[i].section);
		if (def->type == SETTING_ENUM)
			assert_non_null(def->values);
		if (def->type == SETTING_OBJECT)
			assert_non_null(def->check);
	}
	/* Twin: no row that the list above lacks, and none twice. */
	for (i = 0; i < settings_defs_count; i++) {
		for (j = 0; j < CORE_ARRAY_LEN(keys); j++) {
			if (strcmp(settings_defs[i].key, keys[j].key) == 0)
				break;
		}
		if (j == CORE_ARRAY_LEN(keys))
			fail_msg("unexpected key \"%s\"", settings_defs[i].key);
		assert_ptr_equal(
		    settings_find(settings_defs[i].key), &settings_defs[i]);
	}
}

/* settings-1.2: settings_find is exact. */
static void
test_find(void **state)
{
	assert_non_null(settings_find("currency"));
	assert_ptr_equal(settings_find("currency"), &settings_defs[0]);

	/* Twin. */
	assert_null(settings_find("Currency"));
	assert_null(settings_find("currency "));
	assert_null(settings_find("currenc"));
	assert_null(settings_find(""));
	assert_null(settings_find(NULL));
	assert_null(settings_find("client_number"));
}

static void
level_name_bad(void)
{
	(void)settings_level_name((enum setting_level)99);
}

/* settings-1.3: the names of sources. */
static void
test_level_names(void **state)
{
	assert_string_equal(settings_level_name(SOURCE_DEFAULT), "default");
	assert_string_equal(settings_level_name(SOURCE_COMPANY), "company");
	assert_string_equal(settings_level_name(SOURCE_GROUP), "group");
	assert_string_equal(settings_level_name(SOURCE_CLIENT), "client");

	/* Twin: no other source. */
	assert_true(aborts(level_name_bad));
}

/* settings-1.4: the defaults, parsed once into one object. */
static void
test_defaults(void **state)
{
	json_t *d, *want, *f;
	size_t	i;

	d = settings_defaults();
	assert_non_null(d);
	assert_ptr_equal(settings_defaults(), d);
	assert_int_equal(json_object_size(d), settings_defs_count);
	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		want = load(keys[i].def);
		if (!json_equal(json_object_get(d, keys[i].key), want))
			fail_msg("default of \"%s\" differs", keys[i].key);
		json_decref(want);
	}

	/* The registration form asks for names, first and last required. */
	f = json_object_get(d, "portal_registration_fields");
	assert_int_equal(json_object_size(f), 10);
	assert_true(json_is_true(
	    json_object_get(json_object_get(f, "first_name"), "required")));
	assert_true(json_is_true(
	    json_object_get(json_object_get(f, "last_name"), "visible")));
	assert_true(json_is_false(
	    json_object_get(json_object_get(f, "name"), "required")));
	assert_true(json_is_true(
	    json_object_get(json_object_get(f, "name"), "visible")));
	/* Twin: the rest hidden. */
	assert_true(json_is_false(
	    json_object_get(json_object_get(f, "country"), "visible")));
	assert_true(json_is_false(
	    json_object_get(json_object_get(f, "phone"), "required")));
}

/* settings-1.5: every default validates wherever its key may be set. */
static void
test_defaults_validate(void **state)
{
	struct api_error err;
	const char	*key;
	json_t		*v;
	size_t		 i;
	unsigned int	 levels;

	json_object_foreach(settings_defaults(), key, v)
	{
		levels = settings_find(key)->levels;
		for (i = 0; i < CORE_ARRAY_LEN(one_level); i++) {
			if (levels & one_level[i]) {
				expect_ok_json(json_pack("{s:O}", key, v),
				    one_level[i], key);
				assert_int_equal(
				    check_json(json_pack("{s:O}", key, v),
					one_level[i], NULL, &err),
				    0);
				api_error_cleanup(&err);
				continue;
			}
			/* Twin: elsewhere even the default is refused. */
			assert_int_equal(check_json(json_pack("{s:O}", key, v),
					     one_level[i], NULL, &err),
			    CORE_E_INVALID);
			assert_string_equal(err.field, key);
			api_error_cleanup(&err);
		}
	}
}

/* ---- validation ---------------------------------------------------------- */

/* settings-2.1: a patch is an object. */
static void
test_patch_not_object(void **state)
{
	struct api_error err;
	char		 buf[64];

	expect_bad_json(
	    load("[]"), LEVEL_COMPANY, "settings/invalid_type", "[]", NULL, 0);
	expect_bad_json(load("null"), LEVEL_CLIENT, "settings/invalid_type",
	    "null", NULL, 0);
	expect_bad_json(load("\"currency\""), LEVEL_GROUP,
	    "settings/invalid_type", "string", NULL, 0);
	assert_int_equal(
	    check_json(load("[]"), LEVEL_COMPANY, NULL, &err), CORE_E_INVALID);
	assert_string_equal(
	    field_error(&err, 0, buf, sizeof(buf)), "body/invalid_type");
	api_error_cleanup(&err);

	/* Twin: the empty object changes nothing, and is fine. */
	expect_ok_json(load("{}"), LEVEL_COMPANY, "{}");
	expect_ok_json(load("{}"), LEVEL_CLIENT, "{}");
}

/* settings-2.2: an unknown key is named, with and without a prefix. */
static void
test_patch_unknown(void **state)
{
	static const char *const unknown[] = {
		"colour",
		"Currency",
		"currency_id",
		"client_number",
		"",
		"settings",
		"enable_client_portal",
	};
	struct api_error err;
	char		 want[64], msg[256];
	size_t		 i, l;

	for (i = 0; i < CORE_ARRAY_LEN(unknown); i++) {
		snprintf(want, sizeof(want), "settings.%s/unknown_field",
		    unknown[i]);
		for (l = 0; l < CORE_ARRAY_LEN(one_level); l++) {
			expect_bad_json(patch1(unknown[i], "1"), one_level[l],
			    want, unknown[i], msg, sizeof(msg));
			/* null does not make an unknown key known. */
			expect_bad_json(patch1(unknown[i], "null"),
			    one_level[l], want, unknown[i], NULL, 0);
		}
	}
	expect_bad_json(patch1("colour", "\"red\""), LEVEL_CLIENT,
	    "settings.colour/unknown_field", "colour", msg, sizeof(msg));
	assert_string_equal(msg, "unknown setting \"colour\"");

	assert_int_equal(
	    check_json(patch1("colour", "1"), LEVEL_COMPANY, NULL, &err),
	    CORE_E_INVALID);
	assert_string_equal(err.field, "colour");
	api_error_cleanup(&err);

	/* Twin: the known key next to it. */
	expect_ok_json(patch1("currency", "\"EUR\""), LEVEL_CLIENT, "EUR");
}

/*
 * settings-2.3: the permission matrix. At a level where the key may be
 * set, a good value passes and each kind of bad value is its own error;
 * elsewhere every value, good or bad, is refused for the level.
 */
static void
test_patch_matrix(void **state)
{
	const struct expect_key *k;
	char			 want[128];
	size_t			 i, l;

	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		k = &keys[i];
		for (l = 0; l < CORE_ARRAY_LEN(one_level); l++) {
			if (!(k->levels & one_level[l])) {
				snprintf(want, sizeof(want),
				    "settings.%s/invalid_value", k->key);
				expect_bad_json(patch1(k->key, k->good),
				    one_level[l], want, k->key, NULL, 0);
				expect_bad_json(patch1(k->key, k->bad_type),
				    one_level[l], want, k->key, NULL, 0);
				if (k->bad_value != NULL)
					expect_bad_json(
					    patch1(k->key, k->bad_value),
					    one_level[l], want, k->key, NULL,
					    0);
				continue;
			}
			expect_ok_json(
			    patch1(k->key, k->good), one_level[l], k->key);
			snprintf(want, sizeof(want), "settings.%s/invalid_type",
			    k->key);
			expect_bad_json(patch1(k->key, k->bad_type),
			    one_level[l], want, k->bad_type, NULL, 0);
			if (k->bad_value == NULL)
				continue;
			snprintf(want, sizeof(want), "settings.%s%s", k->key,
			    k->bad_want);
			expect_bad_json(patch1(k->key, k->bad_value),
			    one_level[l], want, k->bad_value, NULL, 0);
		}
	}
}

/* settings-2.4: the level error says where the key can be set. */
static void
test_patch_level_message(void **state)
{
	char msg[256];

	expect_bad_json(patch1("portal_registration", "true"), LEVEL_GROUP,
	    "settings.portal_registration/invalid_value", "group", msg,
	    sizeof(msg));
	assert_string_equal(msg,
	    "setting \"portal_registration\" can only be "
	    "set for the company");
	expect_bad_json(patch1("client_number_pattern", "\"{$counter}\""),
	    LEVEL_CLIENT, "settings.client_number_pattern/invalid_value",
	    "client", msg, sizeof(msg));
	assert_string_equal(msg,
	    "setting \"client_number_pattern\" can only "
	    "be set for the company or a group");
	expect_bad_json(patch1("custom_fields", "{}"), LEVEL_CLIENT,
	    "settings.custom_fields/invalid_value", "client", msg, sizeof(msg));
	assert_string_equal(msg,
	    "setting \"custom_fields\" can only be set "
	    "for the company");

	/* Twin: allowed there. */
	expect_ok_json(
	    patch1("portal_registration", "true"), LEVEL_COMPANY, "company");
	expect_ok_json(patch1("client_number_pattern", "\"{$counter}\""),
	    LEVEL_GROUP, "group");
}

/* settings-2.5: null removes an override wherever the key may be set. */
static void
test_patch_null(void **state)
{
	const struct expect_key *k;
	char			 want[128];
	size_t			 i, l;

	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		k = &keys[i];
		for (l = 0; l < CORE_ARRAY_LEN(one_level); l++) {
			if (k->levels & one_level[l]) {
				expect_ok_json(patch1(k->key, "null"),
				    one_level[l], k->key);
				continue;
			}
			/* Twin: there is no override to remove there. */
			snprintf(want, sizeof(want),
			    "settings.%s/invalid_value", k->key);
			expect_bad_json(patch1(k->key, "null"), one_level[l],
			    want, k->key, NULL, 0);
		}
	}
	expect_ok_json(load("{\"currency\": null, \"language\": null,"
			    " \"reminder_schedule\": null}"),
	    LEVEL_CLIENT, "nulls");
}

/* settings-2.6: booleans are JSON true and false only. */
static void
test_patch_bool(void **state)
{
	static const char *const bad[] = {
		"0",
		"1",
		"\"true\"",
		"\"false\"",
		"\"\"",
		"[]",
		"{}",
		"[true]",
		"1.0",
	};
	size_t i;

	value_ok("send_reminders", "true", LEVEL_ALL);
	value_ok("send_reminders", "false", LEVEL_ALL);
	value_ok("portal_uploads", "false", LEVEL_COMPANY);

	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		value_bad("send_reminders", bad[i], LEVEL_ALL, "/invalid_type",
		    NULL, 0);
		value_bad("portal_uploads", bad[i], LEVEL_COMPANY,
		    "/invalid_type", NULL, 0);
	}
}

/* settings-2.7: integers in range, as JSON integers. */
static void
test_patch_int(void **state)
{
	static const struct {
		const char  *key;
		const char  *good[4];
		const char  *range[4];
		unsigned int levels;
	} cases[] = {
		{ "payment_terms", { "0", "1", "14", "3650" },
		    { "-1", "3651", "100000", "-9223372036854775807" },
		    LEVEL_ALL },
		{ "client_number_counter", { "1", "2", "500", "999999999999" },
		    { "0", "-1", "1000000000000", "9223372036854775807" },
		    LEVEL_NUMBERS },
		{ "counter_padding", { "1", "4", "9", "10" },
		    { "0", "11", "-4", "100" }, LEVEL_NUMBERS },
	};
	static const char *const bad_type[] = {
		"\"14\"",
		"14.0",
		"1e2",
		"true",
		"[14]",
		"{}",
		"\"\"",
	};
	char   msg[256];
	size_t i, j;

	for (i = 0; i < CORE_ARRAY_LEN(cases); i++) {
		for (j = 0; j < 4; j++)
			value_ok(
			    cases[i].key, cases[i].good[j], cases[i].levels);
		/* Twin: out of range, or not an integer. */
		for (j = 0; j < 4; j++)
			value_bad(cases[i].key, cases[i].range[j],
			    cases[i].levels, "/out_of_range", NULL, 0);
		for (j = 0; j < CORE_ARRAY_LEN(bad_type); j++)
			value_bad(cases[i].key, bad_type[j], cases[i].levels,
			    "/invalid_type", NULL, 0);
	}
	for (j = 1; j <= 10; j++) {
		snprintf(msg, sizeof(msg), "%zu", j);
		value_ok("counter_padding", msg, LEVEL_NUMBERS);
	}

	value_bad("payment_terms", "3651", LEVEL_CLIENT, "/out_of_range", msg,
	    sizeof(msg));
	assert_string_equal(msg,
	    "setting \"payment_terms\" must be between 0 "
	    "and 3650, not 3651");
	value_bad("payment_terms", "\"14\"", LEVEL_CLIENT, "/invalid_type", msg,
	    sizeof(msg));
	assert_string_equal(msg,
	    "setting \"payment_terms\" must be an "
	    "integer");
}

/* settings-2.8: currencies are three upper-case ASCII letters. */
static void
test_patch_currency(void **state)
{
	static const char *const good[] = { "USD", "EUR", "CHF", "XAU", "JPY" };
	static const char *const bad[] = {
		"usd",
		"Usd",
		"US",
		"USDD",
		"",
		"U$D",
		"1AB",
		" EUR",
		"EUR ",
		"\xc3\x9cSD",
		"E\nR",
	};
	char	msg[256];
	size_t	i;
	json_t *v;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		v = json_pack("{s:s}", "currency", good[i]);
		expect_ok_json(v, LEVEL_CLIENT, good[i]);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		v = json_pack("{s:s}", "currency", bad[i]);
		expect_bad_json(v, LEVEL_GROUP,
		    "settings.currency/invalid_format", bad[i], msg,
		    sizeof(msg));
	}
	value_bad("currency", "\"usd\"", LEVEL_COMPANY, "/invalid_format", msg,
	    sizeof(msg));
	assert_string_equal(msg,
	    "setting \"currency\" must be an ISO 4217 "
	    "currency code of three upper-case letters, not \"usd\"");
}

/* settings-2.9: language tags: language, optional script and region. */
static void
test_patch_language(void **state)
{
	static const char *const good[] = {
		"en",
		"de",
		"gsw",
		"de-CH",
		"en-US",
		"zh-Hant",
		"zh-Hant-TW",
		"es-419",
		"sr-Latn",
		"sr-Latn-RS",
		"fil-PH",
		"en-Latn-419",
	};
	static const char *const bad[] = {
		"EN",
		"En",
		"de_CH",
		"",
		"e",
		"engl",
		"de-ch",
		"de-C",
		"de-CHE",
		"zh-hant-TW",
		"zh-HANT",
		"zh-Hant-tw",
		"es-41",
		"es-4190",
		"en-",
		"-en",
		"en--US",
		"de-CH-x",
		"en-US-US",
		"de CH",
		"zh-TW-Hant",
		"en-Hant-",
		"1n",
		"\xc3\xa9n",
	};
	char	msg[256];
	size_t	i;
	json_t *v;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		v = json_pack("{s:s}", "language", good[i]);
		expect_ok_json(v, LEVEL_CLIENT, good[i]);
	}
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		v = json_pack("{s:s}", "language", bad[i]);
		expect_bad_json(v, LEVEL_CLIENT,
		    "settings.language/invalid_format", bad[i], msg,
		    sizeof(msg));
	}
	value_bad("language", "\"de_CH\"", LEVEL_GROUP, "/invalid_format", msg,
	    sizeof(msg));
	assert_non_null(strstr(msg, "not \"de_CH\""));
	assert_non_null(strstr(msg, "BCP 47"));
}

/* settings-2.10: time zones look like IANA names. */
static void
test_patch_timezone(void **state)
{
	static const char *const good[] = {
		"UTC",
		"Europe/Berlin",
		"America/Argentina/Buenos_Aires",
		"Etc/GMT+5",
		"Etc/GMT-14",
		"America/Port-au-Prince",
		"America/North_Dakota/New_Salem",
		"Asia/Ho_Chi_Minh",
		/* Single-part names exist too; PostgreSQL says which. */
		"GMT",
		"Japan",
		"EST5EDT",
		"utc",
	};
	static const char *const bad[] = {
		"",
		"/Europe/Berlin",
		"Europe/Berlin/",
		"5Europe",
		"Europe//Berlin",
		"Europe/../etc",
		"Europe/Ber lin",
		"Europe/Berlin\n",
		"a/b/c/d",
		"Europe\\Berlin",
		"Europe/Ber.lin",
		"../Berlin",
		"Europe/Berlin;",
		"UTC/",
		/* hardening-8.4: pseudo-zones of the zone database. */
		"localtime",
		"posixrules",
		"Factory",
		"posix/Europe/Berlin",
		"right/UTC",
	};
	char	msg[256], *s, *tz;
	size_t	i;
	json_t *v;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++) {
		v = json_pack("{s:s}", "timezone", good[i]);
		expect_ok_json(v, LEVEL_COMPANY, good[i]);
	}
	/* 64 characters is the longest. */
	s = repeat("a", 57);
	tz = mem_alloc(80);
	snprintf(tz, 80, "Area/L%s", s);
	assert_int_equal(strlen(tz), 63);
	expect_ok_json(json_pack("{s:s}", "timezone", tz), LEVEL_CLIENT, tz);
	snprintf(tz, 80, "Area/Lo%s", s);
	expect_ok_json(json_pack("{s:s}", "timezone", tz), LEVEL_CLIENT, tz);

	/* Twin. */
	snprintf(tz, 80, "Area/Loc%s", s);
	expect_bad_json(json_pack("{s:s}", "timezone", tz), LEVEL_CLIENT,
	    "settings.timezone/invalid_format", tz, NULL, 0);
	free(tz);
	free(s);
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++) {
		v = json_pack("{s:s}", "timezone", bad[i]);
		expect_bad_json(v, LEVEL_GROUP,
		    "settings.timezone/invalid_format", bad[i], msg,
		    sizeof(msg));
	}
	value_bad("timezone", "\"Europe/\"", LEVEL_CLIENT, "/invalid_format",
	    msg, sizeof(msg));
	assert_non_null(strstr(msg, "not \"Europe/\""));
}

/* settings-2.11: date formats are one of the listed values. */
static void
test_patch_date_format(void **state)
{
	static const char *const good[] = {
		"YYYY-MM-DD",
		"DD/MM/YYYY",
		"MM/DD/YYYY",
		"DD.MM.YYYY",
		"D MMM YYYY",
		"MMM D, YYYY",
	};
	static const char *const bad[] = {
		"yyyy-mm-dd",
		"",
		"YYYY/MM/DD",
		"YYYY-MM-DD ",
		"Y-m-d",
		"DD-MM-YYYY",
	};
	char   msg[256];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		expect_ok_json(json_pack("{s:s}", "date_format", good[i]),
		    LEVEL_CLIENT, good[i]);
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		expect_bad_json(json_pack("{s:s}", "date_format", bad[i]),
		    LEVEL_CLIENT, "settings.date_format/invalid_value", bad[i],
		    msg, sizeof(msg));
	assert_non_null(strstr(msg, "\"MMM D, YYYY\""));
	assert_non_null(strstr(msg, "not \"DD-MM-YYYY\""));
}

/* settings-2.12: reminder days: 1..365, at most 10, increasing. */
static void
test_patch_reminder_schedule(void **state)
{
	static const char *const good[] = {
		"[7, 14, 30]",
		"[]",
		"[1]",
		"[365]",
		"[1, 365]",
		"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
	};
	static const struct {
		const char *value;
		const char *suffix;
	} bad[] = {
		{ "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "/too_long" },
		{ "[0]", "[0]/out_of_range" },
		{ "[366]", "[0]/out_of_range" },
		{ "[7, -1]", "[1]/out_of_range" },
		{ "[7, 7]", "[1]/invalid_value" },
		{ "[30, 14]", "[1]/invalid_value" },
		{ "[7, 14, 10]", "[2]/invalid_value" },
		{ "[\"7\"]", "[0]/invalid_type" },
		{ "[7.5]", "[0]/invalid_type" },
		{ "[null]", "[0]/invalid_type" },
		{ "[1, [7]]", "[1]/invalid_type" },
		{ "{}", "/invalid_type" },
		{ "7", "/invalid_type" },
		{ "\"7,14,30\"", "/invalid_type" },
	};
	struct api_error err;
	char		 buf[128], msg[256];
	size_t		 i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		value_ok("reminder_schedule", good[i], LEVEL_ALL);
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		value_bad("reminder_schedule", bad[i].value, LEVEL_ALL,
		    bad[i].suffix, NULL, 0);

	value_bad("reminder_schedule", "[30, 14]", LEVEL_CLIENT,
	    "[1]/invalid_value", msg, sizeof(msg));
	assert_non_null(strstr(msg, "strictly increasing"));
	assert_non_null(strstr(msg, "not 14 after 30"));

	/* Each bad item is its own error; order is judged on good items. */
	assert_int_equal(
	    check_json(patch1("reminder_schedule", "[0, \"x\", 400, 3]"),
		LEVEL_CLIENT, NULL, &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 3);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "reminder_schedule[0]/out_of_range");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "reminder_schedule[1]/invalid_type");
	assert_string_equal(field_error(&err, 2, buf, sizeof(buf)),
	    "reminder_schedule[2]/out_of_range");
	api_error_cleanup(&err);
	assert_int_equal(check_json(patch1("reminder_schedule", "[9, 8, 7]"),
			     LEVEL_GROUP, NULL, &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 2);
	api_error_cleanup(&err);
}

/* settings-2.13: custom field labels: 8 known keys, short strings. */
static void
test_patch_custom_fields(void **state)
{
	static const struct {
		const char *value;
		const char *suffix;
	} bad[] = {
		{ "{\"client5\": \"x\"}", ".client5/unknown_field" },
		{ "{\"client0\": \"x\"}", ".client0/unknown_field" },
		{ "{\"contact0\": \"x\"}", ".contact0/unknown_field" },
		{ "{\"Client1\": \"x\"}", ".Client1/unknown_field" },
		{ "{\"client\": \"x\"}", ".client/unknown_field" },
		{ "{\"client1\": 1}", ".client1/invalid_type" },
		{ "{\"client1\": null}", ".client1/invalid_type" },
		{ "{\"contact4\": true}", ".contact4/invalid_type" },
		{ "{\"client2\": {}}", ".client2/invalid_type" },
		{ "{\"client1\": \"a\\nb\"}", ".client1/invalid_format" },
		{ "[]", "/invalid_type" },
		{ "\"client1\"", "/invalid_type" },
	};
	struct api_error err;
	json_t		*v;
	char		*s, buf[128];
	size_t		 i;

	value_ok("custom_fields", "{}", LEVEL_COMPANY);
	value_ok("custom_fields",
	    "{\"client1\": \"Region\", \"client2\": "
	    "\"Tier\", \"client3\": \"\", \"client4\": \"Sector\","
	    " \"contact1\": \"Role\", \"contact2\": \"\", \"contact3\": \"x\","
	    " \"contact4\": \"Birthday\"}",
	    LEVEL_COMPANY);
	s = repeat(E_ACUTE, 50);
	v = json_pack("{s:{s:s}}", "custom_fields", "client1", s);
	expect_ok_json(v, LEVEL_COMPANY, "50 characters");
	free(s);

	/* Twin. */
	s = repeat("a", 51);
	v = json_pack("{s:{s:s}}", "custom_fields", "client1", s);
	expect_bad_json(v, LEVEL_COMPANY,
	    "settings.custom_fields.client1/too_long", "51 characters", NULL,
	    0);
	free(s);
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		value_bad("custom_fields", bad[i].value, LEVEL_COMPANY,
		    bad[i].suffix, NULL, 0);

	/* Every bad label is reported. */
	assert_int_equal(
	    check_json(patch1("custom_fields",
			   "{\"client5\": "
			   "\"x\", \"client1\": 2, \"contact1\": \"ok\"}"),
		LEVEL_COMPANY, NULL, &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 2);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "custom_fields.client5/unknown_field");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "custom_fields.client1/invalid_type");
	assert_non_null(strstr(err.message, "\"client5\""));
	api_error_cleanup(&err);
}

/* settings-2.14: registration fields: known names, {required, visible}. */
static void
test_patch_registration_fields(void **state)
{
	static const char *const good[] = {
		"{}",
		"{\"phone\": {\"required\": false, \"visible\": true}}",
		"{\"phone\": {\"required\": true, \"visible\": true},"
		" \"country\": {\"required\": false, \"visible\": false}}",
		"{\"name\": {\"visible\": true, \"required\": false}}",
	};
	static const struct {
		const char *value;
		const char *suffix;
	} bad[] = {
		{ "{\"email\": {\"required\": true, \"visible\": true}}",
		    ".email/unknown_field" },
		{ "{\"Phone\": {\"required\": true, \"visible\": true}}",
		    ".Phone/unknown_field" },
		{ "{\"phone\": true}", ".phone/invalid_type" },
		{ "{\"phone\": null}", ".phone/invalid_type" },
		{ "{\"phone\": []}", ".phone/invalid_type" },
		{ "{\"phone\": {\"required\": true}}",
		    ".phone.visible/required" },
		{ "{\"phone\": {\"visible\": true}}",
		    ".phone.required/required" },
		{ "{\"phone\": {\"required\": false, \"visible\": true,"
		  " \"order\": 1}}",
		    ".phone.order/unknown_field" },
		{ "{\"phone\": {\"required\": \"yes\", \"visible\": true}}",
		    ".phone.required/invalid_type" },
		{ "{\"phone\": {\"required\": false, \"visible\": 1}}",
		    ".phone.visible/invalid_type" },
		{ "{\"phone\": {\"required\": null, \"visible\": true}}",
		    ".phone.required/invalid_type" },
		{ "{\"phone\": {\"required\": true, \"visible\": false}}",
		    ".phone/invalid_value" },
		{ "[]", "/invalid_type" },
	};
	struct api_error err;
	char		 buf[128], msg[256];
	size_t		 i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		value_ok("portal_registration_fields", good[i], LEVEL_COMPANY);
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		value_bad("portal_registration_fields", bad[i].value,
		    LEVEL_COMPANY, bad[i].suffix, NULL, 0);

	value_bad("portal_registration_fields",
	    "{\"city\": {\"required\":"
	    " true, \"visible\": false}}",
	    LEVEL_COMPANY, ".city/invalid_value", msg, sizeof(msg));
	assert_non_null(strstr(msg, "a required field must be visible"));
	assert_non_null(strstr(msg, "\"city\""));

	/* Every problem is reported. */
	assert_int_equal(
	    check_json(
		patch1("portal_registration_fields",
		    "{\"email\": {}, \"phone\": {}, \"city\": {\"required\": true,"
		    " \"visible\": false}}"),
		LEVEL_COMPANY, NULL, &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 4);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "portal_registration_fields.email/unknown_field");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "portal_registration_fields.phone.required/required");
	assert_string_equal(field_error(&err, 2, buf, sizeof(buf)),
	    "portal_registration_fields.phone.visible/required");
	assert_string_equal(field_error(&err, 3, buf, sizeof(buf)),
	    "portal_registration_fields.city/invalid_value");
	api_error_cleanup(&err);
}

/* settings-2.15: the number pattern is checked as numbers.c checks it. */
static void
test_patch_pattern(void **state)
{
	static const char *const good[] = {
		"\"{$counter}\"",
		"\"C-{$year}-{$group_counter}\"",
		"\"{$date:Ymd}-{$counter}\"",
	};
	static const char *const bad[] = {
		"\"KDR\"",
		"\"\"",
		"\"{$foo}{$counter}\"",
		"\"{$counter\"",
		"\"{$date:Q}{$counter}\"",
	};
	char   msg[256];
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(good); i++)
		value_ok("client_number_pattern", good[i], LEVEL_NUMBERS);
	/* Twin. */
	for (i = 0; i < CORE_ARRAY_LEN(bad); i++)
		value_bad("client_number_pattern", bad[i], LEVEL_NUMBERS,
		    "/invalid_value", NULL, 0);
	value_bad("client_number_pattern", "\"KDR\"", LEVEL_GROUP,
	    "/invalid_value", msg, sizeof(msg));
	assert_string_equal(msg,
	    "client number pattern \"KDR\" has no "
	    "counter: every client would get the same number; add {$counter} "
	    "or {$group_counter}");
}

/* settings-2.16: every problem of a patch is reported, in order. */
static void
test_patch_all_errors(void **state)
{
	struct api_error err;
	char		 buf[128];

	assert_int_equal(
	    check_json(load("{\"currency\": \"usd\","
			    " \"colour\": 1, \"portal_uploads\": true,"
			    " \"payment_terms\": \"14\", \"language\": null,"
			    " \"send_reminders\": false}"),
		LEVEL_GROUP, "settings", &err),
	    CORE_E_INVALID);
	assert_int_equal(json_array_size(err.errors), 4);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "settings.currency/invalid_format");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "settings.colour/unknown_field");
	assert_string_equal(field_error(&err, 2, buf, sizeof(buf)),
	    "settings.portal_uploads/invalid_value");
	assert_string_equal(field_error(&err, 3, buf, sizeof(buf)),
	    "settings.payment_terms/invalid_type");
	assert_string_equal(err.field, "settings.currency");
	api_error_cleanup(&err);

	/* Twin: the same patch corrected. */
	expect_ok_json(load("{\"currency\": \"USD\", \"payment_terms\": 14,"
			    " \"language\": null, \"send_reminders\": false}"),
	    LEVEL_GROUP, "corrected");
}

static void
validate_level_zero(void)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	(void)settings_validate_patch(json_object(), 0, NULL, &err);
}

static void
validate_level_all(void)
{
	struct api_error err;

	api_error_init(&err, API_ERR_BAD_REQUEST);
	(void)settings_validate_patch(json_object(), LEVEL_ALL, NULL, &err);
}

static void
effective_level_zero(void)
{
	(void)settings_effective(0, NULL, NULL, NULL);
}

static void
effective_level_company(void)
{
	json_decref(settings_effective(LEVEL_COMPANY, NULL, NULL, NULL));
}

/* settings-2.17: a level is exactly one level: anything else is a bug. */
static void
test_level_argument(void **state)
{
	assert_true(aborts(validate_level_zero));
	assert_true(aborts(validate_level_all));
	assert_true(aborts(effective_level_zero));

	/* Twin. */
	assert_false(aborts(effective_level_company));
}

/* ---- applying ------------------------------------------------------------ */

static void
apply_not_object(void)
{
	json_t *s = load("[]");

	settings_apply_patch(s, json_object());
}

/* settings-3.1: null removes a key, a value sets it, the rest is kept. */
static void
test_apply(void **state)
{
	json_t *stored, *patch, *want;

	stored = load("{\"currency\": \"EUR\", \"payment_terms\": 30,"
		      " \"language\": \"de\"}");
	patch = load("{\"currency\": null, \"payment_terms\": 0,"
		     " \"send_reminders\": false, \"timezone\": null,"
		     " \"reminder_schedule\": [1, 2]}");
	want =
	    load("{\"payment_terms\": 0, \"language\": \"de\","
		 " \"send_reminders\": false, \"reminder_schedule\": [1, 2]}");
	settings_apply_patch(stored, patch);
	assert_true(json_equal(stored, want));
	json_decref(want);
	json_decref(patch);

	/* Twin: an empty patch changes nothing. */
	want = json_deep_copy(stored);
	patch = json_object();
	settings_apply_patch(stored, patch);
	assert_true(json_equal(stored, want));
	json_decref(patch);
	json_decref(want);
	json_decref(stored);

	assert_true(aborts(apply_not_object));
}

/* ---- resolution ---------------------------------------------------------- */

/* How a level that does not set the key looks: absent, null, no object. */
enum unset_form { UNSET_ABSENT, UNSET_NULL, UNSET_NO_OBJECT };

static json_t *
level_object(const char *key, int set, json_int_t value, enum unset_form f)
{
	if (set)
		return (json_pack("{s:I}", key, value));
	switch (f) {
	case UNSET_ABSENT:
		return (json_pack("{s:s}", "other", "x"));
	case UNSET_NULL:
		return (json_pack("{s:n}", key));
	default:
		return (NULL);
	}
}

/*
 * settings-4.1: every combination of levels setting a key: the most
 * specific wins, and the source says which.
 */
static void
test_resolve_combinations(void **state)
{
	const struct setting_def *def;
	enum setting_level	  src, want_src;
	json_t			 *client, *group, *company, *v;
	json_int_t		  want;
	unsigned int		  mask;
	int			  f;

	def = settings_find("payment_terms");
	for (f = UNSET_ABSENT; f <= UNSET_NO_OBJECT; f++) {
		for (mask = 0; mask < 8; mask++) {
			client = level_object(def->key, mask & 1, 1, f);
			group = level_object(def->key, mask & 2, 2, f);
			company = level_object(def->key, mask & 4, 3, f);
			if (mask & 1) {
				want = 1;
				want_src = SOURCE_CLIENT;
			} else if (mask & 2) {
				want = 2;
				want_src = SOURCE_GROUP;
			} else if (mask & 4) {
				want = 3;
				want_src = SOURCE_COMPANY;
			} else {
				want = 14;
				want_src = SOURCE_DEFAULT;
			}
			src = (enum setting_level) - 1;
			v = settings_resolve(def, client, group, company, &src);
			if (json_integer_value(v) != want || src != want_src)
				fail_msg("levels %u, unset form %d: %lld from "
					 "%s",
				    mask, f, (long long)json_integer_value(v),
				    settings_level_name(src));
			json_decref(client);
			json_decref(group);
			json_decref(company);
		}
	}
}

/* settings-4.2: false, 0 and "" are values; null is not. */
static void
test_resolve_falsy(void **state)
{
	enum setting_level src;
	json_t		  *client, *group, *company, *v;

	client = load("{\"send_reminders\": false}");
	group = load("{\"payment_terms\": 0, \"send_reminders\": true}");
	company = load("{\"currency\": \"\", \"payment_terms\": 30,"
		       " \"reminder_schedule\": []}");

	v = settings_resolve(
	    settings_find("send_reminders"), client, group, company, &src);
	assert_true(json_is_false(v));
	assert_int_equal(src, SOURCE_CLIENT);
	v = settings_resolve(
	    settings_find("payment_terms"), client, group, company, &src);
	assert_int_equal(json_integer_value(v), 0);
	assert_int_equal(src, SOURCE_GROUP);
	v = settings_resolve(
	    settings_find("currency"), client, group, company, &src);
	assert_string_equal(json_string_value(v), "");
	assert_int_equal(src, SOURCE_COMPANY);
	v = settings_resolve(
	    settings_find("reminder_schedule"), client, group, company, &src);
	assert_int_equal(json_array_size(v), 0);
	assert_int_equal(src, SOURCE_COMPANY);

	/* Twin: null at the client is no override; the group's applies. */
	json_object_set_new(client, "send_reminders", json_null());
	v = settings_resolve(
	    settings_find("send_reminders"), client, group, company, &src);
	assert_true(json_is_true(v));
	assert_int_equal(src, SOURCE_GROUP);

	json_decref(client);
	json_decref(group);
	json_decref(company);
}

/* settings-4.3: the value is borrowed from where it was found. */
static void
test_resolve_borrowed(void **state)
{
	const struct setting_def *def = settings_find("language");
	json_t			 *company, *v;

	company = load("{\"language\": \"fr\"}");
	v = settings_resolve(def, NULL, NULL, company, NULL);
	assert_ptr_equal(v, json_object_get(company, "language"));
	json_decref(company);

	/* Twin: the default lives in settings_defaults(). */
	v = settings_resolve(def, NULL, NULL, NULL, NULL);
	assert_ptr_equal(v, json_object_get(settings_defaults(), "language"));
	assert_string_equal(json_string_value(v), "en");
}

/* settings-4.4: a level where the key may not be set is not consulted. */
static void
test_resolve_disallowed_level(void **state)
{
	enum setting_level src;
	json_t		  *client, *group, *company, *v;

	client = load("{\"client_number_pattern\": \"X{$counter}\","
		      " \"custom_fields\": {\"client1\": \"x\"}}");
	group = load("{\"custom_fields\": {\"client1\": \"g\"},"
		     " \"client_number_pattern\": \"G{$counter}\"}");
	company = load("{\"custom_fields\": {\"client1\": \"c\"}}");

	v = settings_resolve(
	    settings_find("client_number_pattern"), client, NULL, NULL, &src);
	assert_string_equal(json_string_value(v), "{$counter}");
	assert_int_equal(src, SOURCE_DEFAULT);
	v = settings_resolve(
	    settings_find("custom_fields"), client, group, company, &src);
	assert_string_equal(
	    json_string_value(json_object_get(v, "client1")), "c");
	assert_int_equal(src, SOURCE_COMPANY);

	/* Twin: where the key may be set, it is. */
	v = settings_resolve(settings_find("client_number_pattern"), client,
	    group, company, &src);
	assert_string_equal(json_string_value(v), "G{$counter}");
	assert_int_equal(src, SOURCE_GROUP);

	json_decref(client);
	json_decref(group);
	json_decref(company);
}

/* ---- the effective view -------------------------------------------------- */

/* The keys of the effective view at level, in registry order. */
static void
effective_keys_are(unsigned int level, size_t count)
{
	json_t *e;
	size_t	i, n = 0;

	e = settings_effective(level, NULL, NULL, NULL);
	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		if (level == LEVEL_COMPANY || (keys[i].levels & level)) {
			if (json_object_get(e, keys[i].key) == NULL)
				fail_msg("%s view lacks \"%s\"",
				    level_name(level), keys[i].key);
			n++;
		} else if (json_object_get(e, keys[i].key) != NULL) {
			/* Twin: keys that cannot be set there are absent. */
			fail_msg("%s view has \"%s\"", level_name(level),
			    keys[i].key);
		}
	}
	assert_int_equal(n, count);
	assert_int_equal(json_object_size(e), count);
	json_decref(e);
}

/* settings-5.1: each view lists the keys its level may set. */
static void
test_effective_keys(void **state)
{
	effective_keys_are(LEVEL_CLIENT, 10);
	effective_keys_are(LEVEL_GROUP, 13);
	effective_keys_are(LEVEL_COMPANY, 22);
}

/* settings-5.2: each entry: value, source, levels, type, section. */
static void
test_effective_entries(void **state)
{
	json_t *e, *entry, *levels, *want;
	size_t	i, j;

	e = settings_effective(LEVEL_COMPANY, NULL, NULL, NULL);
	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		entry = json_object_get(e, keys[i].key);
		want = load(keys[i].def);
		assert_true(json_equal(json_object_get(entry, "value"), want));
		json_decref(want);
		assert_string_equal(
		    json_string_value(json_object_get(entry, "source")),
		    "default");
		assert_string_equal(
		    json_string_value(json_object_get(entry, "type")),
		    keys[i].type_name);
		assert_string_equal(
		    json_string_value(json_object_get(entry, "section")),
		    keys[i].section);
		levels = json_object_get(entry, "levels");
		j = 0;
		if (keys[i].levels & LEVEL_COMPANY)
			assert_string_equal(
			    json_string_value(json_array_get(levels, j++)),
			    "company");
		if (keys[i].levels & LEVEL_GROUP)
			assert_string_equal(
			    json_string_value(json_array_get(levels, j++)),
			    "group");
		if (keys[i].levels & LEVEL_CLIENT)
			assert_string_equal(
			    json_string_value(json_array_get(levels, j++)),
			    "client");
		assert_int_equal(json_array_size(levels), j);
		/* Only enums list their values. */
		assert_int_equal(json_object_size(entry),
		    keys[i].type == SETTING_ENUM ? 6 : 5);
	}
	want = load("[\"YYYY-MM-DD\", \"DD/MM/YYYY\", \"MM/DD/YYYY\","
		    " \"DD.MM.YYYY\", \"D MMM YYYY\", \"MMM D, YYYY\"]");
	assert_true(json_equal(
	    json_object_get(json_object_get(e, "date_format"), "values"),
	    want));
	json_decref(want);

	/* Twin: no values where there is no list. */
	assert_null(json_object_get(json_object_get(e, "currency"), "values"));
	json_decref(e);
}

static const char *
source_of(json_t *e, const char *key)
{
	return (json_string_value(
	    json_object_get(json_object_get(e, key), "source")));
}

static json_t *
value_of(json_t *e, const char *key)
{
	return (json_object_get(json_object_get(e, key), "value"));
}

/* settings-5.3: a client's view shows each value and where it is from. */
static void
test_effective_client(void **state)
{
	json_t *client, *group, *company, *e;

	client = load("{\"currency\": \"CHF\", \"send_reminders\": false}");
	group = load("{\"currency\": \"EUR\", \"language\": \"de\","
		     " \"counter_padding\": 6}");
	company =
	    load("{\"currency\": \"GBP\", \"language\": \"fr\","
		 " \"timezone\": \"Europe/Paris\", \"portal_uploads\": true}");

	e = settings_effective(LEVEL_CLIENT, client, group, company);
	assert_string_equal(json_string_value(value_of(e, "currency")), "CHF");
	assert_string_equal(source_of(e, "currency"), "client");
	assert_true(json_is_false(value_of(e, "send_reminders")));
	assert_string_equal(source_of(e, "send_reminders"), "client");
	assert_string_equal(json_string_value(value_of(e, "language")), "de");
	assert_string_equal(source_of(e, "language"), "group");
	assert_string_equal(
	    json_string_value(value_of(e, "timezone")), "Europe/Paris");
	assert_string_equal(source_of(e, "timezone"), "company");
	assert_string_equal(
	    json_string_value(value_of(e, "date_format")), "YYYY-MM-DD");
	assert_string_equal(source_of(e, "date_format"), "default");
	/* Twin: keys a client cannot set are not in its view. */
	assert_null(json_object_get(e, "counter_padding"));
	assert_null(json_object_get(e, "portal_uploads"));
	json_decref(e);

	/* The group's own view: no client. */
	e = settings_effective(LEVEL_GROUP, NULL, group, company);
	assert_string_equal(json_string_value(value_of(e, "currency")), "EUR");
	assert_string_equal(source_of(e, "currency"), "group");
	assert_int_equal(json_integer_value(value_of(e, "counter_padding")), 6);
	assert_string_equal(source_of(e, "counter_padding"), "group");
	assert_string_equal(source_of(e, "timezone"), "company");
	assert_string_equal(source_of(e, "client_number_counter"), "default");
	assert_null(json_object_get(e, "portal_uploads"));
	json_decref(e);

	/* The company's view: the company or the default. */
	e = settings_effective(LEVEL_COMPANY, NULL, NULL, company);
	assert_string_equal(json_string_value(value_of(e, "currency")), "GBP");
	assert_string_equal(source_of(e, "currency"), "company");
	assert_true(json_is_true(value_of(e, "portal_uploads")));
	assert_string_equal(source_of(e, "portal_uploads"), "company");
	assert_string_equal(source_of(e, "counter_padding"), "default");
	json_decref(e);

	json_decref(client);
	json_decref(group);
	json_decref(company);
}

/* settings-5.4: the view holds copies: changing it changes nothing else. */
static void
test_effective_copies(void **state)
{
	json_t *company, *e, *v, *before;

	before = json_deep_copy(settings_defaults());
	company = load("{\"custom_fields\": {\"client1\": \"Region\"}}");
	e = settings_effective(LEVEL_COMPANY, NULL, NULL, company);
	v = value_of(e, "portal_registration_fields");
	json_object_set_new(v, "phone", json_null());
	v = value_of(e, "custom_fields");
	json_object_set_new(v, "client1", json_string("changed"));
	json_decref(e);

	assert_true(json_equal(settings_defaults(), before));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(company, "custom_fields"), "client1")),
	    "Region");
	json_decref(company);
	json_decref(before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_defaults_validate),
		cmocka_unit_test(test_patch_not_object),
		cmocka_unit_test(test_patch_unknown),
		cmocka_unit_test(test_patch_matrix),
		cmocka_unit_test(test_patch_level_message),
		cmocka_unit_test(test_patch_null),
		cmocka_unit_test(test_patch_bool),
		cmocka_unit_test(test_patch_int),
		cmocka_unit_test(test_patch_currency),
		cmocka_unit_test(test_patch_language),
		cmocka_unit_test(test_patch_timezone),
		cmocka_unit_test(test_patch_date_format),
		cmocka_unit_test(test_patch_reminder_schedule),
		cmocka_unit_test(test_patch_custom_fields),
		cmocka_unit_test(test_patch_registration_fields),
		cmocka_unit_test(test_patch_pattern),
		cmocka_unit_test(test_patch_all_errors),
		cmocka_unit_test(test_level_argument),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_resolve_combinations),
		cmocka_unit_test(test_resolve_falsy),
		cmocka_unit_test(test_resolve_borrowed),
		cmocka_unit_test(test_resolve_disallowed_level),
		cmocka_unit_test(test_effective_keys),
		cmocka_unit_test(test_effective_entries),
		cmocka_unit_test(test_effective_client),
		cmocka_unit_test(test_effective_copies),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
