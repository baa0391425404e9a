/*
 * The settings registry: every key a company, a group or a client can set,
 * declared once in settings_defs[] with its type, the levels where it may
 * be set, its built-in default and its limits. Validation, resolution and
 * the effective view the API shows are all driven by that table, so adding
 * a key is adding a row (and, for an object, its check function).
 *
 * Storage is sparse: each level keeps a JSON object of the keys it sets.
 * A key is set when present with a non-null value (false, 0 and "" are
 * values); a PATCH with null removes the key. Resolution goes client ->
 * group -> company -> default and reports where the value came from,
 * which is what the reference application never showed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/mail.h"
#include "core/numbers.h"
#include "core/portal.h"
#include "core/settings.h"
#include "core/utf8.h"
#include "core/validate.h"

#define CUSTOM_LABEL_MAX 50
#define FIELD_NAME_MAX	 192

static int ascending_check(json_t *, const char *, struct api_error *);
static int custom_fields_check(json_t *, const char *, struct api_error *);
static int registration_fields_check(
    json_t *, const char *, struct api_error *);

static const char *const date_formats[] = { "YYYY-MM-DD", "DD/MM/YYYY",
	"MM/DD/YYYY", "DD.MM.YYYY", "D MMM YYYY", "MMM D, YYYY", NULL };

/* The fields the portal's registration form may ask for. */
static const char *const registration_fields[] = { "name", "first_name",
	"last_name", "phone", "website", "vat_number", "address1", "city",
	"postal_code", "country", NULL };

/* clang-format off */
#define REG_FIELD(name, required, visible) \
	"\"" name "\": {\"required\": " required ", \"visible\": " visible "}"

static const char registration_default[] = "{"
	REG_FIELD("name", "false", "true") ", "
	REG_FIELD("first_name", "true", "true") ", "
	REG_FIELD("last_name", "true", "true") ", "
	REG_FIELD("phone", "false", "false") ", "
	REG_FIELD("website", "false", "false") ", "
	REG_FIELD("vat_number", "false", "false") ", "
	REG_FIELD("address1", "false", "false") ", "
	REG_FIELD("city", "false", "false") ", "
	REG_FIELD("postal_code", "false", "false") ", "
	REG_FIELD("country", "false", "false") "}";
/* clang-format on */

/* key, type, levels, default, section, min, max, max_items, values, check */
const struct setting_def settings_defs[] = {
	{ "currency", SETTING_CURRENCY, LEVEL_ALL, "\"USD\"", "general", 0, 0,
	    0, NULL, NULL },
	{ "language", SETTING_LANGUAGE, LEVEL_ALL, "\"en\"", "general", 0, 0, 0,
	    NULL, NULL },
	{ "timezone", SETTING_TIMEZONE, LEVEL_ALL, "\"UTC\"", "general", 0, 0,
	    0, NULL, NULL },
	{ "date_format", SETTING_ENUM, LEVEL_ALL, "\"YYYY-MM-DD\"", "general",
	    0, 0, 0, date_formats, NULL },
	{ "payment_terms", SETTING_INT, LEVEL_ALL, "14", "general", 0, 3650, 0,
	    NULL, NULL },
	{ "send_reminders", SETTING_BOOL, LEVEL_ALL, "true", "reminders", 0, 0,
	    0, NULL, NULL },
	{ "reminder_schedule", SETTING_INT_LIST, LEVEL_ALL, "[7, 14, 30]",
	    "reminders", 1, 365, 10, NULL, ascending_check },
	{ "contact_send_email", SETTING_BOOL, LEVEL_ALL, "true", "email", 0, 0,
	    0, NULL, NULL },
	{ "portal_notifications", SETTING_BOOL, LEVEL_ALL, "true", "email", 0,
	    0, 0, NULL, NULL },
	{ "custom_fields", SETTING_OBJECT, LEVEL_COMPANY, "{}", "custom_fields",
	    0, 0, 0, NULL, custom_fields_check },
	{ "portal_enabled", SETTING_BOOL, LEVEL_ALL, "true", "portal", 0, 0, 0,
	    NULL, NULL },
	{ "portal_registration", SETTING_BOOL, LEVEL_COMPANY, "false", "portal",
	    0, 0, 0, NULL, NULL },
	{ "portal_registration_fields", SETTING_OBJECT, LEVEL_COMPANY,
	    registration_default, "portal", 0, 0, 0, NULL,
	    registration_fields_check },
	{ "portal_uploads", SETTING_BOOL, LEVEL_COMPANY, "false", "portal", 0,
	    0, 0, NULL, NULL },
	{ "document_max_size", SETTING_INT, LEVEL_COMPANY, "26214400",
	    "documents", 1, 104857600, 0, NULL, NULL },
	{ "portal_registration_approval", SETTING_BOOL, LEVEL_COMPANY, "false",
	    "portal", 0, 0, 0, NULL, NULL },
	{ "portal_magic_links", SETTING_BOOL, LEVEL_COMPANY, "true", "portal",
	    0, 0, 0, NULL, NULL },
	{ "portal_client_fields", SETTING_OBJECT, LEVEL_COMPANY,
	    portal_client_fields_default, "portal", 0, 0, 0, NULL,
	    portal_client_fields_check },
	{ "email_templates", SETTING_OBJECT, LEVEL_COMPANY,
	    mail_templates_default, "email", 0, 0, 0, NULL,
	    mail_templates_check },
	{ "client_number_pattern", SETTING_PATTERN, LEVEL_COMPANY | LEVEL_GROUP,
	    "\"{$counter}\"", "numbers", 0, 0, 0, NULL, NULL },
	{ "client_number_counter", SETTING_INT, LEVEL_COMPANY | LEVEL_GROUP,
	    "1", "numbers", 1, NUMBER_COUNTER_MAX, 0, NULL, NULL },
	{ "counter_padding", SETTING_INT, LEVEL_COMPANY | LEVEL_GROUP, "4",
	    "numbers", 1, 10, 0, NULL, NULL },
};

const size_t settings_defs_count = CORE_ARRAY_LEN(settings_defs);

/* What settings_effective() calls each type, indexed by enum setting_type. */
static const char *const type_names[] = {
	[SETTING_STRING] = "string",
	[SETTING_INT] = "integer",
	[SETTING_DECIMAL] = "decimal",
	[SETTING_BOOL] = "boolean",
	[SETTING_ENUM] = "enum",
	[SETTING_CURRENCY] = "currency",
	[SETTING_LANGUAGE] = "language",
	[SETTING_TIMEZONE] = "timezone",
	[SETTING_COUNTRY] = "country",
	[SETTING_INT_LIST] = "integer_list",
	[SETTING_PATTERN] = "pattern",
	[SETTING_OBJECT] = "object",
};

/* The levels in the order the API lists them. */
static const struct {
	unsigned int level;
	const char  *name;
	const char  *noun; /* for messages */
} levels[] = {
	{ LEVEL_COMPANY, "company", "the company" },
	{ LEVEL_GROUP, "group", "a group" },
	{ LEVEL_CLIENT, "client", "a client" },
};

/* The parsed defaults, see settings_defaults(). */
static json_t *defaults;

const struct setting_def *
settings_find(const char *key)
{
	size_t i;

	if (key == NULL)
		return (NULL);
	for (i = 0; i < settings_defs_count; i++) {
		if (strcmp(settings_defs[i].key, key) == 0)
			return (&settings_defs[i]);
	}
	return (NULL);
}

const char *
settings_level_name(enum setting_level source)
{
	switch (source) {
	case SOURCE_DEFAULT:
		return ("default");
	case SOURCE_COMPANY:
		return ("company");
	case SOURCE_GROUP:
		return ("group");
	case SOURCE_CLIENT:
		return ("client");
	}
	core_fatal("settings_level_name: unknown source %d", (int)source);
}

/* level must be exactly one of LEVEL_COMPANY, LEVEL_GROUP, LEVEL_CLIENT. */
static void
level_assert(unsigned int level, const char *who)
{
	if (level != LEVEL_COMPANY && level != LEVEL_GROUP &&
	    level != LEVEL_CLIENT)
		core_fatal("%s: level 0x%x is not one level", who, level);
}

/* "the company or a group": where a key with mask levels may be set. */
static void
levels_phrase(unsigned int mask, char *buf, size_t len)
{
	size_t i, n, k;

	for (n = 0, i = 0; i < CORE_ARRAY_LEN(levels); i++)
		n += (mask & levels[i].level) != 0;
	buf[0] = '\0';
	for (k = 0, i = 0; i < CORE_ARRAY_LEN(levels); i++) {
		if (!(mask & levels[i].level))
			continue;
		k++;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    k == 1	 ? ""
			: k == n ? " or "
				 : ", ",
		    levels[i].noun);
	}
}

/*
 * prefix.key, or key alone when prefix is NULL or "". A name too long
 * for buf (an unknown key of a hostile size) is cut, ending in "...".
 */
static void
field_name(char *buf, size_t len, const char *prefix, const char *key)
{
	int n;

	if (prefix == NULL || prefix[0] == '\0')
		n = snprintf(buf, len, "%s", key);
	else
		n = snprintf(buf, len, "%s.%s", prefix, key);
	if ((n < 0 || (size_t)n >= len) && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

/* The field spec the one validation engine (core/validate.c) holds def to. */
static void
field_of(const struct setting_def *def, struct field_spec *f)
{
	static const enum field_type types[] = {
		[SETTING_STRING] = FIELD_STRING,
		[SETTING_INT] = FIELD_INT,
		[SETTING_DECIMAL] = FIELD_DECIMAL,
		[SETTING_BOOL] = FIELD_BOOL,
		[SETTING_ENUM] = FIELD_ENUM,
		[SETTING_CURRENCY] = FIELD_CURRENCY,
		[SETTING_LANGUAGE] = FIELD_LANGUAGE,
		[SETTING_TIMEZONE] = FIELD_TIMEZONE,
		[SETTING_COUNTRY] = FIELD_COUNTRY,
		[SETTING_INT_LIST] = FIELD_INT_LIST,
		[SETTING_PATTERN] = FIELD_STRING,
		[SETTING_OBJECT] = FIELD_OBJECT,
	};

	memset(f, 0, sizeof(*f));
	f->name = def->key;
	f->type = types[def->type];
	f->values = def->values;
	f->min_int = def->min;
	f->max_int = def->max;
	if (def->type == SETTING_INT_LIST)
		f->max = def->max_items;
	else if (def->type == SETTING_STRING || def->type == SETTING_DECIMAL)
		f->max = (size_t)def->max;
	/* A pattern's content is numbers_pattern_check()'s to judge. */
	if (def->type == SETTING_PATTERN)
		f->flags = FIELD_RAW;
}

/*
 * Holds a non-null value to def: its JSON type, then its content, then
 * the key's own check. Field errors are named name.
 */
static int
setting_check(const struct setting_def *def, const char *name, json_t *v,
    struct api_error *err)
{
	struct field_spec f;
	int		  rc;

	field_of(def, &f);
	rc = validate_value(&f, "setting", def->key, name, v, err);
	if (rc == 0 && def->type == SETTING_PATTERN)
		rc = numbers_pattern_check(json_string_value(v), name, err);
	if (rc == 0 && def->check != NULL)
		rc = def->check(v, name, err);
	return (rc);
}

/* reminder_schedule: each day after the one before it. */
static int
ascending_check(json_t *v, const char *name, struct api_error *err)
{
	json_int_t prev, cur;
	char	   iname[FIELD_NAME_MAX];
	size_t	   i;
	int	   bad = 0;

	for (i = 1; i < json_array_size(v); i++) {
		prev = json_integer_value(json_array_get(v, i - 1));
		cur = json_integer_value(json_array_get(v, i));
		if (cur > prev)
			continue;
		snprintf(iname, sizeof(iname), "%s[%zu]", name, i);
		api_error_add_field(err, iname, "invalid_value",
		    "items of \"%s\" must be strictly increasing, not %lld "
		    "after %lld",
		    name, (long long)cur, (long long)prev);
		bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/*
 * custom_fields: the labels of the custom values of clients (client1..4)
 * and contacts (contact1..4); "" hides a field.
 */
static int
custom_fields_check(json_t *v, const char *name, struct api_error *err)
{
	static const char *const keys[] = { "client1", "client2", "client3",
		"client4", "contact1", "contact2", "contact3", "contact4",
		NULL };
	const char		*key, *s;
	json_t			*label;
	char			 fname[FIELD_NAME_MAX];
	int			 bad = 0;

	json_object_foreach(v, key, label)
	{
		field_name(fname, sizeof(fname), name, key);
		if (!validate_one_of(key, keys)) {
			api_error_add_field(err, fname, "unknown_field",
			    "unknown custom field \"%s\" (use client1 to "
			    "client4 or contact1 to contact4)",
			    key);
			bad = 1;
			continue;
		}
		if (!json_is_string(label)) {
			api_error_add_field(err, fname, "invalid_type",
			    "label of custom field \"%s\" must be a string",
			    key);
			bad = 1;
			continue;
		}
		s = json_string_value(label);
		if (validate_has_control(s, 0)) {
			api_error_add_field(err, fname, "invalid_format",
			    "label of custom field \"%s\" contains control "
			    "characters",
			    key);
			bad = 1;
		} else if (utf8_length(s) > CUSTOM_LABEL_MAX) {
			api_error_add_field(err, fname, "too_long",
			    "label of custom field \"%s\" is longer than %d "
			    "characters",
			    key, CUSTOM_LABEL_MAX);
			bad = 1;
		}
	}
	return (bad ? CORE_E_INVALID : 0);
}

/* One entry of portal_registration_fields: {required, visible}. */
static int
registration_entry_check(
    const char *field, json_t *e, const char *name, struct api_error *err)
{
	static const char *const flags[] = { "required", "visible", NULL };
	const char		*key;
	json_t			*b;
	char			 fname[FIELD_NAME_MAX];
	size_t			 i;
	int			 bad = 0;

	if (!json_is_object(e)) {
		api_error_add_field(err, name, "invalid_type",
		    "registration field \"%s\" must be an object "
		    "{\"required\": boolean, \"visible\": boolean}",
		    field);
		return (CORE_E_INVALID);
	}
	json_object_foreach(e, key, b)
	{
		field_name(fname, sizeof(fname), name, key);
		if (!validate_one_of(key, flags)) {
			api_error_add_field(err, fname, "unknown_field",
			    "unknown property \"%s\" of registration field "
			    "\"%s\" (use required and visible)",
			    key, field);
			bad = 1;
		} else if (!json_is_boolean(b)) {
			api_error_add_field(err, fname, "invalid_type",
			    "\"%s\" of registration field \"%s\" must be true "
			    "or false",
			    key, field);
			bad = 1;
		}
	}
	for (i = 0; flags[i] != NULL; i++) {
		if (json_object_get(e, flags[i]) != NULL)
			continue;
		field_name(fname, sizeof(fname), name, flags[i]);
		api_error_add_field(err, fname, "required",
		    "registration field \"%s\" must say whether it is %s",
		    field, flags[i]);
		bad = 1;
	}
	if (!bad && json_is_true(json_object_get(e, "required")) &&
	    json_is_false(json_object_get(e, "visible"))) {
		api_error_add_field(err, name, "invalid_value",
		    "registration field \"%s\" is required but not visible: a "
		    "required field must be visible",
		    field);
		bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/*
 * portal_registration_fields: what the portal's registration form asks.
 * A field left out is neither visible nor required.
 */
static int
registration_fields_check(json_t *v, const char *name, struct api_error *err)
{
	const char *key;
	json_t	   *e;
	char	    fname[FIELD_NAME_MAX];
	int	    bad = 0;

	json_object_foreach(v, key, e)
	{
		field_name(fname, sizeof(fname), name, key);
		if (!validate_one_of(key, registration_fields)) {
			api_error_add_field(err, fname, "unknown_field",
			    "unknown registration field \"%s\"", key);
			bad = 1;
			continue;
		}
		if (registration_entry_check(key, e, fname, err) != 0)
			bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/*
 * Every key of patch must be known, settable at level and null or of its
 * type. All problems become field errors in err; returns 0 or
 * CORE_E_INVALID.
 */
int
settings_validate_patch(json_t *patch, unsigned int level, const char *prefix,
    struct api_error *err)
{
	const struct setting_def *def;
	const char		 *key;
	json_t			 *v;
	char			  name[FIELD_NAME_MAX], where[64];
	int			  bad = 0;

	level_assert(level, "settings_validate_patch");
	if (!json_is_object(patch)) {
		api_error_add_field(err, prefix != NULL ? prefix : "body",
		    "invalid_type", "%s must be a JSON object",
		    prefix != NULL ? prefix : "request body");
		return (CORE_E_INVALID);
	}

	json_object_foreach(patch, key, v)
	{
		field_name(name, sizeof(name), prefix, key);
		if ((def = settings_find(key)) == NULL) {
			api_error_add_field(err, name, "unknown_field",
			    "unknown setting \"%s\"", key);
			bad = 1;
			continue;
		}
		if (!(def->levels & level)) {
			levels_phrase(def->levels, where, sizeof(where));
			api_error_add_field(err, name, "invalid_value",
			    "setting \"%s\" can only be set for %s", key,
			    where);
			bad = 1;
			continue;
		}
		if (json_is_null(v))
			continue;
		if (setting_check(def, name, v, err) != 0)
			bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

void
settings_apply_patch(json_t *stored, json_t *patch)
{
	const char *key;
	json_t	   *v;

	if (!json_is_object(stored) || !json_is_object(patch))
		core_fatal("settings_apply_patch: not an object");
	json_object_foreach(patch, key, v)
	{
		if (json_is_null(v))
			json_object_del(stored, key);
		else
			json_object_set(stored, key, v);
	}
}

/* The value obj sets for def at level, or NULL. */
static json_t *
level_value(const struct setting_def *def, unsigned int level, json_t *obj)
{
	json_t *v;

	if (obj == NULL || !(def->levels & level))
		return (NULL);
	if ((v = json_object_get(obj, def->key)) == NULL || json_is_null(v))
		return (NULL);
	return (v);
}

json_t *
settings_resolve(const struct setting_def *def, json_t *client, json_t *group,
    json_t *company, enum setting_level *source)
{
	enum setting_level src;
	json_t		  *v;

	if ((v = level_value(def, LEVEL_CLIENT, client)) != NULL)
		src = SOURCE_CLIENT;
	else if ((v = level_value(def, LEVEL_GROUP, group)) != NULL)
		src = SOURCE_GROUP;
	else if ((v = level_value(def, LEVEL_COMPANY, company)) != NULL)
		src = SOURCE_COMPANY;
	else {
		src = SOURCE_DEFAULT;
		if ((v = json_object_get(settings_defaults(), def->key)) ==
		    NULL)
			core_fatal("settings_resolve: no default for \"%s\"",
			    def->key);
	}
	if (source != NULL)
		*source = src;
	return (v);
}

static json_t *
levels_array(unsigned int mask)
{
	json_t *a;
	size_t	i;

	a = json_array();
	for (i = 0; i < CORE_ARRAY_LEN(levels); i++) {
		if (mask & levels[i].level)
			json_array_append_new(a, json_string(levels[i].name));
	}
	return (a);
}

/* One key of the effective view; the value is a copy, not shared. */
static json_t *
effective_entry(const struct setting_def *def, json_t *client, json_t *group,
    json_t *company)
{
	enum setting_level src;
	json_t		  *v, *e, *values;
	size_t		   i;

	v = settings_resolve(def, client, group, company, &src);
	e = json_pack("{s:o, s:s, s:o, s:s, s:s}", "value", json_deep_copy(v),
	    "source", settings_level_name(src), "levels",
	    levels_array(def->levels), "type", type_names[def->type], "section",
	    def->section);
	if (e == NULL)
		core_fatal("settings_effective: json_pack failed for \"%s\"",
		    def->key);
	if (def->type == SETTING_ENUM) {
		values = json_array();
		for (i = 0; def->values[i] != NULL; i++)
			json_array_append_new(
			    values, json_string(def->values[i]));
		json_object_set_new(e, "values", values);
	}
	return (e);
}

json_t *
settings_effective(
    unsigned int level, json_t *client, json_t *group, json_t *company)
{
	const struct setting_def *def;
	json_t			 *out;
	size_t			  i;

	level_assert(level, "settings_effective");
	out = json_object();
	for (i = 0; i < settings_defs_count; i++) {
		def = &settings_defs[i];
		if (level != LEVEL_COMPANY && !(def->levels & level))
			continue;
		json_object_set_new(out, def->key,
		    effective_entry(def, client, group, company));
	}
	return (out);
}

/* A registry row that cannot work is a bug: stop before serving it. */
static void
def_assert(const struct setting_def *def)
{
	if (settings_find(def->key) != def)
		core_fatal("settings: key \"%s\" is listed twice", def->key);
	if (def->levels == 0 || (def->levels & ~(unsigned int)LEVEL_ALL) ||
	    (unsigned int)def->type >= CORE_ARRAY_LEN(type_names) ||
	    def->section == NULL ||
	    (def->type == SETTING_ENUM && def->values == NULL) ||
	    (def->type == SETTING_OBJECT && def->check == NULL))
		core_fatal(
		    "settings: key \"%s\" is declared wrongly", def->key);
}

/*
 * Parses every default once, on first use, and holds it to its own key's
 * rules: a default that fails them is a bug, and fatal. The object lives
 * until exit; callers borrow it.
 */
json_t *
settings_defaults(void)
{
	const struct setting_def *def;
	struct api_error	  err;
	json_error_t		  jerr;
	json_t			 *v;
	size_t			  i;

	if (defaults != NULL)
		return (defaults);

	defaults = json_object();
	for (i = 0; i < settings_defs_count; i++) {
		def = &settings_defs[i];
		def_assert(def);
		if ((v = json_loads(
			 def->default_json, JSON_DECODE_ANY, &jerr)) == NULL)
			core_fatal("settings: default of \"%s\" is not JSON: "
				   "%s",
			    def->key, jerr.text);
		api_error_init(&err, API_ERR_INTERNAL);
		if (json_is_null(v) ||
		    setting_check(def, def->key, v, &err) != 0)
			core_fatal("settings: default of \"%s\" is invalid: %s",
			    def->key, err.message);
		api_error_cleanup(&err);
		json_object_set_new(defaults, def->key, v);
	}
	return (defaults);
}

/*
 * The integer keys' ranges as the database reads them (setting_limits,
 * written by `clientd migrate`): [{"key", "min", "max"}], a new reference.
 * SQL that moves a value on its own (the number counters) stays within
 * the range the registry declares, without a copy of it.
 */
json_t *
settings_limits_json(void)
{
	const struct setting_def *def;
	json_t			 *arr;
	size_t			  i;

	arr = json_array();
	for (i = 0; i < settings_defs_count; i++) {
		def = &settings_defs[i];
		if (def->type != SETTING_INT && def->type != SETTING_INT_LIST)
			continue;
		json_array_append_new(arr,
		    json_pack("{s:s, s:I, s:I}", "key", def->key, "min",
			(json_int_t)def->min, "max", (json_int_t)def->max));
	}
	return (arr);
}
