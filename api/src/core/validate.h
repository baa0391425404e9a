/*
 * Validation at the edge (core/validate.c): a resource declares its JSON
 * fields once as a table of struct field_spec; the format checks are plain
 * functions that other parsers (query strings, CSV, settings) share.
 */
#ifndef CLIENTD_CORE_VALIDATE_H
#define CLIENTD_CORE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/api_error.h"

enum field_type {
	FIELD_STRING,
	FIELD_TEXT, /* a string without a line-length limit */
	FIELD_EMAIL,
	FIELD_BOOL,
	FIELD_INT,
	FIELD_TIMESTAMP, /* RFC 3339 */
	FIELD_COUNTRY,	 /* ISO 3166-1 alpha-2 */
	FIELD_ID,	 /* a public id */
	FIELD_ENUM,
	FIELD_DECIMAL, /* exact decimal as a string */
	FIELD_ARRAY,
	FIELD_OBJECT,
	FIELD_URL,	/* an http(s) URL; "" unless FIELD_NONEMPTY */
	FIELD_PHONE,	/* validate_phone(); "" unless FIELD_NONEMPTY */
	FIELD_CURRENCY, /* ISO 4217 code, upper case */
	FIELD_LANGUAGE, /* BCP 47 tag: en, de-CH, zh-Hant-TW */
	FIELD_TIMEZONE, /* IANA name; existence is PostgreSQL's to say */
	FIELD_INT_LIST	/* array of integers in [min_int, max_int] */
};

#define FIELD_REQUIRED 0x01
#define FIELD_NULLABLE 0x02
#define FIELD_NONEMPTY 0x04
#define FIELD_RAW \
	0x08 /* the JSON type only: a caller's own check
				   reads the content */

struct field_spec {
	const char	  *name;
	enum field_type	   type;
	unsigned int	   flags;
	size_t		   max;	   /* characters, or elements;
						   FIELD_DECIMAL: fraction digits
						   (0: VALIDATE_FRACTION_MAX) */
	const char *const *values; /* FIELD_ENUM, NULL-terminated */
	int64_t		   min_int;
	int64_t		   max_int;
};

#define VALIDATE_INT_DIGITS   14 /* of an exact decimal */
#define VALIDATE_FRACTION_MAX 6

/*
 * The one engine behind request bodies (validate_object) and settings
 * (core/settings.c): holds value v to f, its JSON type and then its
 * content. Each problem is a field error named name, whose message calls
 * the value noun "label" (field "contacts[0].email", setting "currency").
 * Returns 0, or CORE_E_INVALID.
 */
int validate_value(const struct field_spec *, const char *, const char *,
    const char *, json_t *, struct api_error *);

/*
 * Checks obj against specs: every key must be known, of the right type and
 * within limits; every FIELD_REQUIRED key must be present. Each problem is
 * added to err as a field error named prefix + key (prefix may be NULL).
 * Returns 0 when obj is valid, CORE_E_INVALID otherwise.
 */
int validate_object(json_t *, const struct field_spec *, size_t, const char *,
    struct api_error *);
int validate_email(const char *);
int validate_timestamp(const char *);
int validate_date(const char *);
int validate_days_in_month(int, int);
int validate_country(const char *);
int validate_decimal(const char *, int, int);
int validate_url(const char *);
int validate_phone(const char *);
int validate_currency(const char *);
int validate_language(const char *);
int validate_timezone(const char *);
int validate_one_of(const char *, const char *const *);
int validate_has_control(const char *, int);

#endif
