/*
 * Validation at the edge. A resource declares its JSON fields once, as a
 * static table of struct field_spec; validate_object() holds a request body
 * to it and reports every problem as a field error, naming the field, so a
 * handler only ever sees known keys with values of the declared type.
 *
 * The format checks (email, RFC 3339 time, ISO country, decimal) are plain
 * functions so that other parsers (query strings, CSV) share them.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/public_id.h"
#include "core/utf8.h"
#include "core/validate.h"

static int
email_local_char(unsigned char c)
{
	if (c >= 0x80 || isalnum(c))
		return (1);
	return (strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL && c != '\0');
}

/*
 * A practical address check (RFC 5321 sizes, dot-atom local part, a
 * domain of at least two labels of letters, digits and inner hyphens).
 * UTF-8 is allowed in both parts (internationalised addresses).
 */
int
validate_email(const char *s)
{
	const char *at, *p, *label;
	size_t	    len, llen;

	len = strlen(s);
	if (len < 3 || len > 254 || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL)
		return (0);
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || at[-1] == '.')
		return (0);
	for (p = s; p < at; p++) {
		if (!email_local_char((unsigned char)*p) ||
		    (p[0] == '.' && p[1] == '.'))
			return (0);
	}

	label = at + 1;
	if (strchr(label, '.') == NULL)
		return (0);
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return (0);
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' &&
		    (unsigned char)*p < 0x80)
			return (0);
	}
	/* The top-level label is not numeric. */
	for (p = label; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return (1);
	}
	return (0);
}

static int
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int    v;

	for (v = 0, i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (1);
}

int
validate_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/* A calendar date, YYYY-MM-DD. */
int
validate_date(const char *s)
{
	int y, mo, d;

	if (strlen(s) != 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return (0);
	return (y >= 1 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= validate_days_in_month(y, mo));
}

/* RFC 3339 date-time: 2026-11-28T15:04:05(.123456)?(Z|+01:00). */
int
validate_timestamp(const char *s)
{
	int	    y, mo, d, h, mi, sec, oh, om;
	const char *p;

	if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return (0);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 ||
	    d > validate_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return (0);

	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return (0);
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return (1);
	if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' &&
	    digits(p + 4, 2, &om) && p[6] == '\0')
		return (oh <= 23 && om <= 59);
	return (0);
}

/* ISO 3166-1 alpha-2, officially assigned codes. */
static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI "
    "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN "
    "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

int
validate_country(const char *s)
{
	const char *p;

	if (strlen(s) != 2 || !isupper((unsigned char)s[0]) ||
	    !isupper((unsigned char)s[1]))
		return (0);
	for (p = iso3166; *p != '\0'; p += 3) {
		if (p[0] == s[0] && p[1] == s[1])
			return (1);
		if (p[2] == '\0')
			break;
	}
	return (0);
}

/*
 * An exact decimal "-1234.56": optional minus, 1..max_int integer digits
 * without leading zeros, and 1..max_frac fraction digits after a point.
 */
int
validate_decimal(const char *s, int max_int, int max_frac)
{
	const char *p = s;
	int	    n;

	if (*p == '-')
		p++;
	for (n = 0; isdigit((unsigned char)*p); p++)
		n++;
	if (n == 0 || n > max_int || (n > 1 && p[-n] == '0'))
		return (0);
	if (*p == '\0')
		return (1);
	if (*p++ != '.')
		return (0);
	for (n = 0; isdigit((unsigned char)*p); p++)
		n++;
	return (n > 0 && n <= max_frac && *p == '\0');
}

/* An absolute http(s) URL without spaces or control characters. */
int
validate_url(const char *s)
{
	const char *p;

	if (strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else
		return (0);
	if (*p == '\0' || strchr("/?#@", *p) != NULL || strlen(s) > 2000)
		return (0);
	for (; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return (0);
	}
	return (1);
}

/* The words that may start a phone number's extension, longest first. */
static const char *const phone_ext[] = { "extension", "ext.", "ext", "x", "#",
	NULL };

/* The length of the extension word at p (any case), or 0. */
static size_t
phone_ext_word(const char *p)
{
	size_t i, n;

	for (i = 0; phone_ext[i] != NULL; i++) {
		n = strlen(phone_ext[i]);
		if (strncasecmp(p, phone_ext[i], n) == 0)
			return (n);
	}
	return (0);
}

/*
 * A phone number as people write one: an optional "+", then 3 to 20
 * digits with spaces, dots, dashes, slashes and parentheses between them
 * (parentheses in pairs, not nested; it starts with a digit or "(" and
 * ends with a digit or ")"), then optionally an extension: "x", "ext",
 * "ext.", "extension" or "#" (any case) and 1 to 6 digits. Letters
 * (1-800-FLOWERS), other symbols and a second "+" are not something to
 * dial, so they are refused.
 */
int
validate_phone(const char *s)
{
	const char *p = s;
	char	    sig = '\0'; /* the last character that is not a space */
	int	    digits = 0, open = 0;
	size_t	    n;

	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p) && *p != '(')
		return (0);
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '(' && !open)
			open = 1;
		else if (*p == ')' && open)
			open = 0;
		else if (*p != ' ' && *p != '.' && *p != '-' && *p != '/')
			break;
		if (*p != ' ')
			sig = *p;
	}
	if (open || digits < 3 || digits > 20 ||
	    (!isdigit((unsigned char)sig) && sig != ')'))
		return (0);
	if (*p == '\0')
		return (1);
	if ((n = phone_ext_word(p)) == 0)
		return (0);
	for (p += n; *p == ' '; p++)
		;
	for (n = 0; isdigit((unsigned char)p[n]); n++)
		;
	return (n >= 1 && n <= 6 && p[n] == '\0');
}

#define LANGUAGE_TAG_MAX 35
#define TIMEZONE_MAX	 64

static int
is_upper(char c)
{
	return (c >= 'A' && c <= 'Z');
}

static int
is_lower(char c)
{
	return (c >= 'a' && c <= 'z');
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

int
validate_currency(const char *s)
{
	return (strlen(s) == 3 && is_upper(s[0]) && is_upper(s[1]) &&
	    is_upper(s[2]));
}

/*
 * The BCP 47 tags the product uses: a 2-3 letter lower-case language,
 * then optionally a title-case script (Hant) and a region, upper-case
 * alpha-2 (CH) or three digits (419), joined by '-'.
 */
int
validate_language(const char *s)
{
	const char *p = s;
	size_t	    n;

	if (strlen(s) > LANGUAGE_TAG_MAX)
		return (0);
	for (n = 0; is_lower(p[n]); n++)
		;
	if (n < 2 || n > 3)
		return (0);
	p += n;
	if (*p == '\0')
		return (1);
	if (*p++ != '-')
		return (0);
	if (is_upper(p[0]) && is_lower(p[1]) && is_lower(p[2]) &&
	    is_lower(p[3]) && (p[4] == '-' || p[4] == '\0')) {
		p += 4;
		if (*p == '\0')
			return (1);
		p++;
	}
	if (is_upper(p[0]) && is_upper(p[1]) && p[2] == '\0')
		return (1);
	return (
	    is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && p[3] == '\0');
}

/*
 * Names in the zone database that are not zones: the system's own zone
 * (whatever the server is set to), the POSIX rules template, "Factory"
 * (a zone whose abbreviation is an error message), and the posix/ and
 * right/ copies (the latter counting leap seconds that nothing else does).
 */
static int
timezone_pseudo(const char *s)
{
	static const char *const names[] = { "localtime", "posixrules",
		"Factory" };
	size_t			 i;

	for (i = 0; i < CORE_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0)
			return (1);
	}
	return (strncmp(s, "posix/", 6) == 0 || strncmp(s, "right/", 6) == 0);
}

/*
 * An IANA-looking zone name: "UTC", "GMT", "Japan", or Area/Location[/Sub]
 * of letters, digits, '_', '-' and '+' (one to three parts), none of the
 * database's pseudo-zones. Whether it exists is PostgreSQL's to say
 * (pg_timezone_names).
 */
int
validate_timezone(const char *s)
{
	const char *p;
	size_t	    parts = 1, partlen = 0;

	if (strcmp(s, "UTC") == 0)
		return (1);
	if (strlen(s) > TIMEZONE_MAX || s[0] == '/' ||
	    strstr(s, "..") != NULL || timezone_pseudo(s))
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (*p == '/') {
			if (partlen == 0)
				return (0);
			parts++;
			partlen = 0;
			continue;
		}
		if (!is_upper(*p) && !is_lower(*p) && !is_digit(*p) &&
		    *p != '_' && *p != '-' && *p != '+')
			return (0);
		partlen++;
	}
	return (
	    partlen > 0 && parts <= 3 && (is_upper(s[0]) || is_lower(s[0])));
}

static const struct field_spec *
field_find(const struct field_spec *specs, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(specs[i].name, key) == 0)
			return (&specs[i]);
	}
	return (NULL);
}

/*
 * Whether s holds a control character (tab, CR and LF allowed when
 * allow_newlines is set, for multi-line text).
 */
int
validate_has_control(const char *s, int allow_newlines)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			if (allow_newlines &&
			    (*s == '\n' || *s == '\r' || *s == '\t'))
				continue;
			return (1);
		}
	}
	return (0);
}

static int
blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* Whether s is one of values (a NULL-terminated list). */
int
validate_one_of(const char *s, const char *const *values)
{
	for (; *values != NULL; values++) {
		if (strcmp(*values, s) == 0)
			return (1);
	}
	return (0);
}

static const char *
type_noun(enum field_type t)
{
	switch (t) {
	case FIELD_BOOL:
		return ("true or false");
	case FIELD_INT:
		return ("an integer");
	case FIELD_ARRAY:
		return ("an array");
	case FIELD_INT_LIST:
		return ("an array of integers");
	case FIELD_OBJECT:
		return ("an object");
	default:
		return ("a string");
	}
}

/* What a value to check is called: noun "label", and its error's name. */
struct subject {
	const char *noun;
	const char *label;
	const char *name;
};

static int invalid(const struct subject *w, struct api_error *err,
    const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds the field error "<noun> "<label>" <what>" for w; returns -1. */
static int
invalid(const struct subject *w, struct api_error *err, const char *code,
    const char *fmt, ...)
{
	va_list ap;
	char	what[400];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	api_error_add_field(
	    err, w->name, code, "%s \"%s\" %s", w->noun, w->label, what);
	return (-1);
}

static int
check_enum(const struct field_spec *f, const struct subject *w, const char *s,
    struct api_error *err)
{
	struct cbuf b;
	size_t	    i;

	if (validate_one_of(s, f->values))
		return (0);
	cbuf_init(&b, 128);
	for (i = 0; f->values[i] != NULL; i++)
		cbuf_appendf(&b, "%s\"%s\"", i == 0 ? "" : ", ", f->values[i]);
	invalid(w, err, "invalid_value", "must be one of %s, not \"%s\"",
	    b.data, s);
	cbuf_cleanup(&b);
	return (-1);
}

/* The format of a string by type; 0 when fine. */
static int
check_format(const struct field_spec *f, const struct subject *w, const char *s,
    struct api_error *err)
{
	int frac = f->max > 0 ? (int)f->max : VALIDATE_FRACTION_MAX;

	switch (f->type) {
	case FIELD_EMAIL:
		if (validate_email(s) ||
		    (s[0] == '\0' && !(f->flags & FIELD_NONEMPTY)))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "is not a valid email address: \"%s\"", s));
	case FIELD_TIMESTAMP:
		if (validate_timestamp(s))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "is not an RFC 3339 time: \"%s\"", s));
	case FIELD_COUNTRY:
		if (validate_country(s))
			return (0);
		return (invalid(w, err, "invalid_value",
		    "must be an ISO "
		    "3166-1 alpha-2 country code, not \"%s\"",
		    s));
	case FIELD_ID:
		if (public_id_valid(s))
			return (0);
		return (invalid(
		    w, err, "invalid_format", "is not a valid id: \"%s\"", s));
	case FIELD_ENUM:
		return (check_enum(f, w, s, err));
	case FIELD_DECIMAL:
		if (validate_decimal(s, VALIDATE_INT_DIGITS, frac))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "must be a decimal "
		    "number with at most %d fraction digits, not \"%s\"",
		    frac, s));
	case FIELD_URL:
		if (validate_url(s) ||
		    (s[0] == '\0' && !(f->flags & FIELD_NONEMPTY)))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "is not an http(s) URL such as \"https://example.com\": "
		    "\"%s\"",
		    s));
	case FIELD_PHONE:
		if (validate_phone(s) ||
		    (s[0] == '\0' && !(f->flags & FIELD_NONEMPTY)))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "is not a phone number (digits, optionally with a leading "
		    "+, spaces, dots, dashes, slashes, parentheses and an "
		    "extension such as \"ext. 12\"): \"%s\"",
		    s));
	case FIELD_CURRENCY:
		if (validate_currency(s))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "must be an ISO 4217 "
		    "currency code of three upper-case letters, not \"%s\"",
		    s));
	case FIELD_LANGUAGE:
		if (validate_language(s))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "must be a BCP 47 "
		    "language tag such as \"en\", \"de-CH\" or \"zh-Hant-TW\", "
		    "not \"%s\"",
		    s));
	case FIELD_TIMEZONE:
		if (validate_timezone(s))
			return (0);
		return (invalid(w, err, "invalid_format",
		    "must be an IANA time "
		    "zone name such as \"Europe/Berlin\" or \"UTC\", not \"%s\"",
		    s));
	default:
		return (0);
	}
}

/* Checks string value s of f; returns 0 if it is fine. */
static int
check_string(const struct field_spec *f, const struct subject *w, const char *s,
    struct api_error *err)
{
	if (f->flags & FIELD_RAW)
		return (0);
	if (validate_has_control(s, f->type == FIELD_TEXT))
		return (invalid(
		    w, err, "invalid_format", "contains control characters"));
	if ((f->flags & FIELD_NONEMPTY) && blank(s))
		return (invalid(w, err, "empty", "must not be empty"));
	if (f->type != FIELD_DECIMAL && f->max > 0 && utf8_length(s) > f->max)
		return (invalid(w, err, "too_long",
		    "is longer than %zu characters", f->max));
	return (check_format(f, w, s, err));
}

static int
check_int(const struct field_spec *f, const struct subject *w, json_t *v,
    struct api_error *err)
{
	json_int_t i = json_integer_value(v);

	if ((f->min_int == 0 && f->max_int == 0) ||
	    (i >= f->min_int && i <= f->max_int))
		return (0);
	return (invalid(w, err, "out_of_range",
	    "must be between %lld and %lld, not %lld", (long long)f->min_int,
	    (long long)f->max_int, (long long)i));
}

/* Every item an integer in range; item errors name "name[i]". */
static int
check_int_list(const struct field_spec *f, const struct subject *w, json_t *v,
    struct api_error *err)
{
	json_t *e;
	char	iname[192];
	size_t	i;
	int	bad = 0;

	if (f->max > 0 && json_array_size(v) > f->max)
		return (invalid(
		    w, err, "too_long", "has more than %zu items", f->max));
	json_array_foreach(v, i, e)
	{
		snprintf(iname, sizeof(iname), "%s[%zu]", w->name, i);
		if (!json_is_integer(e)) {
			api_error_add_field(err, iname, "invalid_type",
			    "items of %s \"%s\" must be integers", w->noun,
			    w->label);
			bad = 1;
		} else if (json_integer_value(e) < f->min_int ||
		    json_integer_value(e) > f->max_int) {
			api_error_add_field(err, iname, "out_of_range",
			    "items of %s \"%s\" must be between %lld and "
			    "%lld, not %lld",
			    w->noun, w->label, (long long)f->min_int,
			    (long long)f->max_int,
			    (long long)json_integer_value(e));
			bad = 1;
		}
	}
	return (bad ? -1 : 0);
}

/* The value's content once its JSON type is right (-1: wrong type). */
static int
check_content(const struct field_spec *f, const struct subject *w, json_t *v,
    struct api_error *err)
{
	switch (f->type) {
	case FIELD_BOOL:
		return (json_is_boolean(v) ? 0 : 1);
	case FIELD_INT:
		return (json_is_integer(v) ? check_int(f, w, v, err) : 1);
	case FIELD_ARRAY:
		if (!json_is_array(v))
			return (1);
		if (f->max > 0 && json_array_size(v) > f->max)
			return (invalid(w, err, "too_long",
			    "has more than %zu elements", f->max));
		return (0);
	case FIELD_INT_LIST:
		return (json_is_array(v) ? check_int_list(f, w, v, err) : 1);
	case FIELD_OBJECT:
		return (json_is_object(v) ? 0 : 1);
	default:
		return (json_is_string(v)
			? check_string(f, w, json_string_value(v), err)
			: 1);
	}
}

int
validate_value(const struct field_spec *f, const char *noun, const char *label,
    const char *name, json_t *v, struct api_error *err)
{
	struct subject w = { noun, label, name };
	int	       rc;

	if (json_is_null(v)) {
		if (f->flags & FIELD_NULLABLE)
			return (0);
		invalid(&w, err, "invalid_type", "must be %s, not null",
		    type_noun(f->type));
		return (CORE_E_INVALID);
	}
	if ((rc = check_content(f, &w, v, err)) == 1)
		invalid(
		    &w, err, "invalid_type", "must be %s", type_noun(f->type));
	return (rc == 0 ? 0 : CORE_E_INVALID);
}

int
validate_object(json_t *obj, const struct field_spec *specs, size_t n,
    const char *prefix, struct api_error *err)
{
	const struct field_spec *f;
	const char		*key;
	json_t			*v;
	char			 name[128];
	size_t			 i;
	int			 bad = 0;

	if (prefix == NULL)
		prefix = "";
	if (!json_is_object(obj)) {
		api_error_add_field(err, prefix[0] ? prefix : "body",
		    "invalid_type", "%s must be a JSON object",
		    prefix[0] ? prefix : "request body");
		return (CORE_E_INVALID);
	}

	json_object_foreach(obj, key, v)
	{
		snprintf(name, sizeof(name), "%s%s%s", prefix,
		    prefix[0] ? "." : "", key);
		if ((f = field_find(specs, n, key)) == NULL) {
			api_error_add_field(err, name, "unknown_field",
			    "unknown field \"%s\"", name);
			bad = 1;
			continue;
		}
		if (validate_value(f, "field", name, name, v, err) != 0)
			bad = 1;
	}

	for (i = 0; i < n; i++) {
		if (!(specs[i].flags & FIELD_REQUIRED) ||
		    json_object_get(obj, specs[i].name) != NULL)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", prefix,
		    prefix[0] ? "." : "", specs[i].name);
		api_error_add_field(
		    err, name, "required", "field \"%s\" is required", name);
		bad = 1;
	}

	return (bad ? CORE_E_INVALID : 0);
}
