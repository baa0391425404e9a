/*
 * Generated client numbers. A pattern such as "C-{$year}-{$counter}" is
 * checked when it is saved (numbers_pattern_check), so that a number is
 * never made from a pattern with a typo or without a counter: such a
 * pattern would give every client the same number, which the reference
 * application papered over with random suffixes after 100 collisions.
 *
 * Making a number takes two steps. numbers_template() expands everything
 * that is fixed for one request (dates, the client's id number, the
 * user) and leaves NUMBER_COUNTER_MARK where the counter goes; the
 * database then tries counters with number_format() until one is free,
 * without expanding the pattern again (sql/functions/numbers.sql, the one
 * implementation of that step). Every {$date:FORMAT} is expanded, not
 * only the first.
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/numbers.h"
#include "core/public_id.h"
#include "core/utf8.h"
#include "core/validate.h"

#define DATE_FORMAT_MAX 20
#define DATE_PREFIX	"$date:"

enum number_var_kind {
	VAR_COUNTER,
	VAR_GROUP_COUNTER,
	VAR_YEAR,
	VAR_MONTH,
	VAR_DATE,
	VAR_CLIENT_ID_NUMBER,
	VAR_USER_ID
};

/* The variables, as written between "{" and "}" ({$date:...} aside). */
static const struct {
	const char	    *name;
	enum number_var_kind kind;
} number_var_names[] = {
	{ "$counter", VAR_COUNTER },
	{ "$group_counter", VAR_GROUP_COUNTER },
	{ "$year", VAR_YEAR },
	{ "$month", VAR_MONTH },
	{ "$client_id_number", VAR_CLIENT_ID_NUMBER },
	{ "$user_id", VAR_USER_ID },
};

enum number_tok_kind {
	TOK_TEXT,      /* literal text, up to the next brace */
	TOK_VAR,       /* a known variable */
	TOK_UNKNOWN,   /* {...} that is no variable */
	TOK_UNBALANCED /* a brace that opens or closes nothing */
};

struct number_tok {
	enum number_tok_kind kind;
	enum number_var_kind var;
	const char	    *text; /* the token in the pattern */
	size_t		     len;
	const char	    *arg; /* VAR_DATE: the format */
	size_t		     arglen;
};

/*
 * Reads the token at p, which is not at the end of the pattern. A '{'
 * opens a variable only if a '}' follows before any other '{'.
 */
static void
number_token(const char *p, struct number_tok *t)
{
	const char *open, *close, *in;
	size_t	    inlen, i;

	memset(t, 0, sizeof(*t));
	t->text = p;
	if (*p == '}') {
		t->kind = TOK_UNBALANCED;
		t->len = 1;
		return;
	}
	if (*p != '{') {
		t->kind = TOK_TEXT;
		t->len = strcspn(p, "{}");
		return;
	}

	close = strchr(p + 1, '}');
	open = strchr(p + 1, '{');
	if (close == NULL || (open != NULL && open < close)) {
		t->kind = TOK_UNBALANCED;
		t->len = 1;
		return;
	}
	t->len = (size_t)(close - p) + 1;
	in = p + 1;
	inlen = t->len - 2;

	t->kind = TOK_UNKNOWN;
	if (inlen >= strlen(DATE_PREFIX) &&
	    strncmp(in, DATE_PREFIX, strlen(DATE_PREFIX)) == 0) {
		t->kind = TOK_VAR;
		t->var = VAR_DATE;
		t->arg = in + strlen(DATE_PREFIX);
		t->arglen = inlen - strlen(DATE_PREFIX);
		return;
	}
	for (i = 0; i < CORE_ARRAY_LEN(number_var_names); i++) {
		if (strlen(number_var_names[i].name) == inlen &&
		    strncmp(number_var_names[i].name, in, inlen) == 0) {
			t->kind = TOK_VAR;
			t->var = number_var_names[i].kind;
			return;
		}
	}
}

static int
date_letter(char c)
{
	return (c != '\0' && strchr("Yymndj", c) != NULL);
}

static int
date_separator(char c)
{
	return (c != '\0' && strchr("-./_ ", c) != NULL);
}

/*
 * A {$date:} FORMAT: 1..DATE_FORMAT_MAX characters, the letters Y y m n
 * d j, and separators only between letters.
 */
static int
date_format_valid(const char *f, size_t len)
{
	size_t i;

	if (len == 0 || len > DATE_FORMAT_MAX || !date_letter(f[0]) ||
	    !date_letter(f[len - 1]))
		return (0);
	for (i = 0; i < len; i++) {
		if (!date_letter(f[i]) && !date_separator(f[i]))
			return (0);
	}
	return (1);
}

/*
 * The most characters a token can become: a counter its largest value
 * (NUMBER_COUNTER_DIGITS, longer than any padding), a date its letters at
 * their widest. {$client_id_number} counts as nothing here: its length is
 * the client's, checked when a number is made (numbers_template()).
 */
static size_t
token_longest(const struct number_tok *t)
{
	size_t i, n = 0;

	switch (t->kind) {
	case TOK_TEXT:
		return (utf8_length_n(t->text, t->len));
	case TOK_VAR:
		break;
	default:
		return (0);
	}
	switch (t->var) {
	case VAR_COUNTER:
	case VAR_GROUP_COUNTER:
		return (NUMBER_COUNTER_DIGITS);
	case VAR_YEAR:
		return (4);
	case VAR_MONTH:
		return (2);
	case VAR_USER_ID:
		return (PUBLIC_ID_LEN);
	case VAR_DATE:
		for (i = 0; i < t->arglen; i++)
			n += t->arg[i] == 'Y'	     ? 4
			    : date_letter(t->arg[i]) ? 2
						     : 1;
		return (n);
	default:
		return (0);
	}
}

/*
 * Checks a pattern for saving. The first problem found becomes the one
 * field error (code invalid_value) on field; returns 0 or CORE_E_INVALID.
 * A pattern whose numbers could be longer than a client number may be
 * (NUMBER_MAX, with its counters at their largest) is refused here, not
 * at the create that would first meet such a number.
 */
int
numbers_pattern_check(
    const char *pattern, const char *field, struct api_error *err)
{
	struct number_tok t;
	const char	 *p;
	size_t		  n;
	size_t		  longest = 0;
	int		  counters = 0;

	if (!utf8_valid(pattern, strlen(pattern))) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern is not valid UTF-8");
		return (CORE_E_INVALID);
	}
	if ((n = utf8_length(pattern)) == 0) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern must not be empty");
		return (CORE_E_INVALID);
	}
	if (n > NUMBER_PATTERN_MAX) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern is longer than %d characters",
		    NUMBER_PATTERN_MAX);
		return (CORE_E_INVALID);
	}
	if (validate_has_control(pattern, 0)) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern contains control characters");
		return (CORE_E_INVALID);
	}

	for (p = pattern; *p != '\0'; p += t.len) {
		number_token(p, &t);
		switch (t.kind) {
		case TOK_TEXT:
			longest += token_longest(&t);
			break;
		case TOK_UNBALANCED:
			api_error_add_field(err, field, "invalid_value",
			    "unbalanced brace in client number pattern \"%s\": "
			    "a brace may only enclose a variable such as "
			    "{$counter}",
			    pattern);
			return (CORE_E_INVALID);
		case TOK_UNKNOWN:
			api_error_add_field(err, field, "invalid_value",
			    "unknown variable \"%.*s\" in client number "
			    "pattern",
			    (int)t.len, t.text);
			return (CORE_E_INVALID);
		case TOK_VAR:
			if (t.var == VAR_COUNTER || t.var == VAR_GROUP_COUNTER)
				counters++;
			longest += token_longest(&t);
			if (t.var == VAR_DATE &&
			    !date_format_valid(t.arg, t.arglen)) {
				api_error_add_field(err, field, "invalid_value",
				    "invalid date format "
				    "\"%.*s\" in client number pattern: use "
				    "1 to %d of the letters Y y m n d j, "
				    "separated by - . / _ or space",
				    (int)t.arglen, t.arg, DATE_FORMAT_MAX);
				return (CORE_E_INVALID);
			}
			break;
		}
	}

	if (counters == 0) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern \"%s\" has no counter: every client "
		    "would get the same number; add {$counter} or "
		    "{$group_counter}",
		    pattern);
		return (CORE_E_INVALID);
	}
	if (longest > NUMBER_MAX) {
		api_error_add_field(err, field, "invalid_value",
		    "client number pattern \"%s\" can make numbers of %zu "
		    "characters; a client number has at most %d (a counter "
		    "counts as %d digits, its largest value)",
		    pattern, longest, NUMBER_MAX, NUMBER_COUNTER_DIGITS);
		return (CORE_E_INVALID);
	}
	return (0);
}

int
numbers_pattern_uses_group_counter(const char *pattern)
{
	struct number_tok t;
	const char	 *p;

	for (p = pattern; *p != '\0'; p += t.len) {
		number_token(p, &t);
		if (t.kind == TOK_VAR && t.var == VAR_GROUP_COUNTER)
			return (1);
	}
	return (0);
}

/* Output of a bounded length: out[0..len) and room for a NUL. */
struct number_out {
	char  *buf;
	size_t size;
	size_t len;
};

/* Appends n bytes of s; CORE_E_TOOBIG when they do not fit. */
static int
out_put(struct number_out *o, const char *s, size_t n)
{
	if (n >= o->size - o->len)
		return (CORE_E_TOOBIG);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return (0);
}

/* v in decimal, zero-padded to width digits (0: no padding). */
static int
out_num(struct number_out *o, int v, int width)
{
	char num[16];
	int  n;

	n = snprintf(num, sizeof(num), "%0*d", width, v);
	if (n < 0 || (size_t)n >= sizeof(num))
		core_fatal("numbers: cannot format %d", v);
	return (out_put(o, num, (size_t)n));
}

/* A {$date:} FORMAT of now; separators and anything else are copied. */
static int
out_date(struct number_out *o, const char *f, size_t len, const struct tm *now)
{
	size_t i;
	int    rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		switch (f[i]) {
		case 'Y':
			rc = out_num(o, now->tm_year + 1900, 4);
			break;
		case 'y':
			rc = out_num(o, (now->tm_year + 1900) % 100, 2);
			break;
		case 'm':
			rc = out_num(o, now->tm_mon + 1, 2);
			break;
		case 'n':
			rc = out_num(o, now->tm_mon + 1, 0);
			break;
		case 'd':
			rc = out_num(o, now->tm_mday, 2);
			break;
		case 'j':
			rc = out_num(o, now->tm_mday, 0);
			break;
		default:
			rc = out_put(o, &f[i], 1);
			break;
		}
	}
	return (rc);
}

/* A value from vars: NULL is "", control characters are refused. */
static int
out_value(struct number_out *o, const char *v)
{
	if (v == NULL)
		return (0);
	if (validate_has_control(v, 0))
		return (CORE_E_INVALID);
	return (out_put(o, v, strlen(v)));
}

static int
out_var(struct number_out *o, const struct number_tok *t,
    const struct number_vars *vars)
{
	switch (t->var) {
	case VAR_COUNTER:
	case VAR_GROUP_COUNTER:
		return (out_put(
		    o, NUMBER_COUNTER_MARK, strlen(NUMBER_COUNTER_MARK)));
	case VAR_YEAR:
		return (out_num(o, vars->now.tm_year + 1900, 4));
	case VAR_MONTH:
		return (out_num(o, vars->now.tm_mon + 1, 2));
	case VAR_DATE:
		return (out_date(o, t->arg, t->arglen, &vars->now));
	case VAR_CLIENT_ID_NUMBER:
		return (out_value(o, vars->client_id_number));
	case VAR_USER_ID:
		return (out_value(o, vars->user_id));
	}
	core_fatal("numbers: unknown variable kind %d", (int)t->var);
}

/*
 * Expands a checked pattern into out (outlen bytes, NUL included). Text
 * that is no variable (an unchecked pattern) is copied as it is. On
 * failure out holds "" (when outlen allows).
 */
int
numbers_template(const char *pattern, const struct number_vars *vars, char *out,
    size_t outlen)
{
	struct number_out o;
	struct number_tok t;
	const char	 *p;
	int		  rc = CORE_E_TOOBIG;

	if (outlen == 0)
		return (CORE_E_TOOBIG);
	o.buf = out;
	o.size = outlen;
	o.len = 0;
	out[0] = '\0';

	for (p = pattern; *p != '\0'; p += t.len) {
		number_token(p, &t);
		if (t.kind == TOK_VAR)
			rc = out_var(&o, &t, vars);
		else
			rc = out_put(&o, t.text, t.len);
		if (rc != 0)
			goto cleanup;
	}
	rc = 0;

cleanup:
	if (rc != 0)
		out[0] = '\0';
	return (rc);
}
