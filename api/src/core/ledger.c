/*
 * Ledger rules that need no database: the kinds of entry, the sign each
 * kind's amount must have, the JSON an entry is posted with, and the
 * parameters of the ledger lists.
 *
 * An amount is the signed change to what the client owes: an invoice adds
 * to it, a payment or a credit takes off it, a refund puts back what a
 * payment took. Payments and refunds also move paid_to_date, by -amount.
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/ledger.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/validate.h"

static const struct ledger_kind kinds[] = {
	{ "invoice", LEDGER_SIGN_POSITIVE, 0, 1, "120.00" },
	{ "payment", LEDGER_SIGN_NEGATIVE, 1, 1, "-40.00" },
	{ "credit", LEDGER_SIGN_NEGATIVE, 0, 1, "-15.00" },
	{ "refund", LEDGER_SIGN_POSITIVE, 1, 1, "40.00" },
	{ "adjustment", LEDGER_SIGN_ANY, 0, 1, "-0.50" },
	{ "opening_balance", LEDGER_SIGN_ANY, 0, 1, "250.00" },
	{ "merge", LEDGER_SIGN_ANY, 1, 0, NULL },
};

static const char *const kind_names[] = { "invoice", "payment", "credit",
	"refund", "adjustment", "opening_balance", "merge", NULL };

static const struct field_spec entry_fields[] = {
	{ "kind", FIELD_ENUM, FIELD_REQUIRED, 0, kind_names, 0, 0 },
	{ "amount", FIELD_DECIMAL, FIELD_REQUIRED, 0, NULL, 0, 0 },
	{ "reference", FIELD_STRING, FIELD_NULLABLE, LEDGER_REFERENCE_MAX, NULL,
	    0, 0 },
	{ "notes", FIELD_TEXT, FIELD_NULLABLE, LEDGER_NOTES_MAX, NULL, 0, 0 },
	{ "occurred_at", FIELD_TIMESTAMP, FIELD_NULLABLE, 0, NULL, 0, 0 },
	{ "client", FIELD_ID, FIELD_REQUIRED, 0, NULL, 0, 0 },
};

const struct ledger_kind *
ledger_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (&kinds[i]);
	return (NULL);
}

static const char *
sign_name(enum ledger_sign sign)
{
	switch (sign) {
	case LEDGER_SIGN_POSITIVE:
		return ("positive");
	case LEDGER_SIGN_NEGATIVE:
		return ("negative");
	default:
		return ("either");
	}
}

/*
 * The kinds and their rules as JSON, the one definition the database
 * (ledger_kinds, written by `clientd migrate`) and the web app (GET
 * /api/v1/ledger/kinds) read: [{"kind", "sign", "moves_paid_to_date",
 * "postable", "example"}]. Returns a new reference.
 */
json_t *
ledger_kinds_json(void)
{
	json_t *arr;
	size_t	i;

	arr = json_array();
	for (i = 0; i < CORE_ARRAY_LEN(kinds); i++) {
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:b, s:b, s:s?}", "kind",
			kinds[i].name, "sign", sign_name(kinds[i].sign),
			"moves_paid_to_date", kinds[i].moves_paid, "postable",
			kinds[i].postable, "example", kinds[i].example));
	}
	return (arr);
}

/* The sign of a valid exact decimal (validate_decimal): -1, 0 or 1. */
int
ledger_amount_sign(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= '1' && *p <= '9')
			return (s[0] == '-' ? -1 : 1);
	return (0);
}

/* The amount's sign against the kind's rule; adds a field error if wrong. */
static int
check_sign(
    const struct ledger_kind *k, const char *amount, struct api_error *err)
{
	int sign = ledger_amount_sign(amount);

	if (sign == 0) {
		api_error_add_field(err, "amount", "invalid_value",
		    "field \"amount\" must not be zero");
		return (CORE_E_INVALID);
	}
	if (k->sign == LEDGER_SIGN_POSITIVE && sign < 0) {
		api_error_add_field(err, "amount", "invalid_sign",
		    "field \"amount\" of a%s %s must be positive: it is what "
		    "the %s adds to the balance (e.g. \"%s\")",
		    k->name[0] == 'i' ? "n" : "", k->name, k->name, k->example);
		return (CORE_E_INVALID);
	}
	if (k->sign == LEDGER_SIGN_NEGATIVE && sign > 0) {
		api_error_add_field(err, "amount", "invalid_sign",
		    "field \"amount\" of a %s must be negative: it is what "
		    "the %s takes off the balance (e.g. \"%s\")",
		    k->name, k->name, k->example);
		return (CORE_E_INVALID);
	}
	return (0);
}

/*
 * Checks the body of a posting: POST /clients/{id}/ledger (with_client 0)
 * or POST /ledger (with_client 1, which names the client in the body).
 * Every problem becomes a field error of err.
 */
int
ledger_entry_validate(json_t *body, int with_client, struct api_error *err)
{
	const struct ledger_kind *k;
	size_t			  n;
	const char		 *kind, *amount;

	n = CORE_ARRAY_LEN(entry_fields) - (with_client ? 0 : 1);
	if (validate_object(body, entry_fields, n, NULL, err) != 0)
		return (CORE_E_INVALID);
	kind = json_string_value(json_object_get(body, "kind"));
	amount = json_string_value(json_object_get(body, "amount"));
	k = ledger_kind_find(kind);
	if (!k->postable) {
		api_error_add_field(err, "kind", "invalid_value",
		    "entries of kind \"%s\" are written by merging clients, "
		    "not posted",
		    kind);
		return (CORE_E_INVALID);
	}
	return (check_sign(k, amount, err));
}

/*
 * from/to: an RFC 3339 time, or a date, which becomes a local time without
 * an offset (the start of that day, or for "to" its end) that the SQL
 * places in the client's or the company's time zone (ledger_bound()).
 */
static int
parse_time(const struct qs *qs, const char *name, int end_of_day, char *out,
    size_t outlen, struct api_error *err)
{
	const char *v;

	out[0] = '\0';
	if ((v = qs_get(qs, name)) == NULL)
		return (0);
	if (validate_date(v)) {
		snprintf(out, outlen, "%sT%s", v,
		    end_of_day ? "23:59:59.999999" : "00:00:00");
		return (0);
	}
	if (strlen(v) < outlen && validate_timestamp(v)) {
		snprintf(out, outlen, "%s", v);
		return (0);
	}
	return (qs_bad_param(err, name,
	    "query parameter \"%s\" is neither a "
	    "date (YYYY-MM-DD) nor an RFC 3339 time: \"%s\"",
	    name, v));
}

/* Whether time t is a UTC time ("...Z"), or a local one from a date. */
static int
time_zone_kind(const char *t)
{
	size_t len = strlen(t);

	if (len >= 20 && (t[len - 1] == 'Z' || t[len - 1] == 'z'))
		return ('Z');
	if (len >= 19 && strpbrk(t + 19, "Zz+-") == NULL)
		return ('L');
	return (0);
}

/*
 * Whether time a is past time b, to the second, when both are UTC times or
 * both local ones. Other pairs are not compared here (a reversed range is
 * then just empty).
 */
static int
time_after(const char *a, const char *b)
{
	int ka = time_zone_kind(a);

	if (ka == 0 || ka != time_zone_kind(b))
		return (0);
	return (strncmp(a, b, 19) > 0);
}

/* kind=payment,refund or kind=payment&kind=refund, as a text[] literal. */
static int
parse_kinds(const struct qs *qs, struct ledger_list *l, struct api_error *err)
{
	char   buf[QS_MAX_VALUE + 1], *p, *tok;
	size_t i, len = 0;
	int    n;

	l->kinds[0] = '\0';
	for (i = 0; i < qs->n; i++) {
		if (strcmp(qs->pairs[i].name, "kind") != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s", qs->pairs[i].value);
		for (tok = strtok_r(buf, ",", &p); tok != NULL;
		     tok = strtok_r(NULL, ",", &p)) {
			if (ledger_kind_find(tok) == NULL)
				return (qs_bad_param(err, "kind",
				    "query "
				    "parameter \"kind\" has an unknown kind: "
				    "\"%s\"",
				    tok));
			/* Room is left for the closing brace, and a byte. */
			n = snprintf(l->kinds + len, sizeof(l->kinds) - len,
			    "%c%s", len == 0 ? '{' : ',', tok);
			if (n < 0 || (size_t)n + 2 >= sizeof(l->kinds) - len)
				return (qs_bad_param(err, "kind",
				    "query "
				    "parameter \"kind\" names too many kinds"));
			len += (size_t)n;
		}
	}
	if (len > 0)
		snprintf(l->kinds + len, sizeof(l->kinds) - len, "}");
	return (0);
}

/*
 * Reads the filters of a ledger list (from, to, kind, client); the route
 * decides which of them it accepts. The same filter twice is refused.
 */
int
ledger_list_parse(
    const struct qs *qs, struct ledger_list *l, struct api_error *err)
{
	static const char *const repeatable[] = { "kind", NULL };
	const char		*v;

	memset(l, 0, sizeof(*l));
	if (qs_check_single(qs, repeatable, err) != 0)
		return (CORE_E_INVALID);
	if (parse_time(qs, "from", 0, l->from, sizeof(l->from), err) ||
	    parse_time(qs, "to", 1, l->to, sizeof(l->to), err) ||
	    parse_kinds(qs, l, err))
		return (CORE_E_INVALID);
	if (time_after(l->from, l->to))
		return (qs_bad_param(err, "to",
		    "query parameter \"to\" is "
		    "before \"from\""));
	if ((v = qs_get(qs, "client")) != NULL) {
		if (!public_id_valid(v))
			return (qs_bad_param(err, "client",
			    "query parameter "
			    "\"client\" is not a client id: \"%s\"",
			    v));
		snprintf(l->client, sizeof(l->client), "%s", v);
	}
	return (0);
}
