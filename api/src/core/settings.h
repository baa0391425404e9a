/*
 * Settings (core/settings.c): the registry of every key and their
 * resolution client -> group -> company -> built-in default.
 *
 * A key is "set" at a level when that level's stored object has the key
 * with a non-null value: false, 0 and "" are values like any other (where
 * the key's type allows them). Removing an override is an explicit null
 * in a PATCH; the key is then absent from that level's object.
 */
#ifndef CLIENTD_CORE_SETTINGS_H
#define CLIENTD_CORE_SETTINGS_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"

enum setting_type {
	SETTING_STRING,	 /* free text, max chars */
	SETTING_INT,	 /* integer in [min, max] */
	SETTING_DECIMAL, /* exact decimal string, max fraction digits */
	SETTING_BOOL,
	SETTING_ENUM,	  /* one of values */
	SETTING_CURRENCY, /* ISO 4217 code, upper case */
	SETTING_LANGUAGE, /* BCP 47 tag: en, de-CH, zh-Hant-TW */
	SETTING_TIMEZONE, /* IANA name; existence is checked by PostgreSQL */
	SETTING_COUNTRY,  /* ISO 3166-1 alpha-2 */
	SETTING_INT_LIST, /* array of integers in [min, max], at most max_items */
	SETTING_PATTERN, /* a client number pattern (numbers.c) */
	SETTING_OBJECT	 /* a JSON object checked by a key-specific function */
};

/* Where a key may be set. */
#define LEVEL_COMPANY 0x01
#define LEVEL_GROUP   0x02
#define LEVEL_CLIENT  0x04
#define LEVEL_ALL     (LEVEL_COMPANY | LEVEL_GROUP | LEVEL_CLIENT)

enum setting_level {
	SOURCE_DEFAULT,
	SOURCE_COMPANY,
	SOURCE_GROUP,
	SOURCE_CLIENT
};

struct setting_def {
	const char	  *key;
	enum setting_type  type;
	unsigned int	   levels;
	const char	  *default_json; /* the built-in default, as JSON */
	const char	  *section;	 /* for the UI: general, portal, ... */
	long		   min;
	long		   max;	      /* INT range; STRING max chars;
						   DECIMAL max fraction digits */
	size_t		   max_items; /* INT_LIST */
	const char *const *values;    /* ENUM, NULL-terminated */
	/*
	 * A key's own rule, run once v has passed its type's checks (every
	 * SETTING_OBJECT has one; other types may, e.g. an ascending
	 * INT_LIST): 0 if v is acceptable, else field errors in err, named
	 * from the field name it is given.
	 */
	int (*check)(json_t *, const char *, struct api_error *);
};

extern const struct setting_def settings_defs[];
extern const size_t		settings_defs_count;

const struct setting_def *settings_find(const char *);
const char		 *settings_level_name(enum setting_level);

/*
 * Validates a PATCH of the settings object at one level (LEVEL_COMPANY,
 * LEVEL_GROUP or LEVEL_CLIENT): every key known, allowed at that level,
 * and of its type, or null (remove the override; not allowed at company
 * level for keys without a default... every key has one, so null at
 * company level resets the key to its default). Every problem is a field
 * error named "settings.<key>" ("<key>" when prefix is NULL). Returns 0
 * when the whole patch is acceptable.
 */
int settings_validate_patch(
    json_t *, unsigned int, const char *, struct api_error *);

/*
 * Applies a validated patch to a stored object: keys with null are
 * removed, others set. stored is modified in place.
 */
void settings_apply_patch(json_t *, json_t *);

/*
 * Resolves key: the client's value if set, else the group's (group may be
 * NULL), else the company's, else the default. A level where the key may
 * not be set (def->levels) is not consulted even if its object has the
 * key, so a stale override cannot win. Returns a borrowed reference to
 * the value (the default's lives as long as the registry's parsed
 * defaults, see settings_defaults()) and sets *source.
 */
json_t *settings_resolve(const struct setting_def *, json_t *, json_t *,
    json_t *, enum setting_level *);

/*
 * The effective settings of one entity as the API shows them:
 * { "<key>": { "value": ..., "source": "client|group|company|default",
 *   "levels": ["company", ...], "type": "...", "section": "..." }, ... }
 * for every key of the registry that is allowed at level (the level the
 * object belongs to). client and group may be NULL (for a group's or the
 * company's own view). Returns a new reference.
 */
json_t *settings_effective(unsigned int, json_t *, json_t *, json_t *);

/* The registry's defaults as one JSON object (owned by settings.c). */
json_t *settings_defaults(void);

/* The integer keys' ranges, [{"key", "min", "max"}] (a new reference). */
json_t *settings_limits_json(void);

#endif
