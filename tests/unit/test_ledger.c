/*
 * Unit tests for core/ledger.c: the kinds and their sign rules, the body
 * of a posting, and the ledger list parameters. Each accepted case sits
 * next to the rejected twin it resembles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/ledger.h"
#include "core/qs.h"
#include "unit.h"

/* The field errors of err as "field:code,field:code". */
static void
codes(const struct api_error *err, char *out, size_t outlen)
{
	json_t *e;
	size_t	i;

	out[0] = '\0';
	json_array_foreach(err->errors, i, e)
	{
		if (i > 0)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, json_string_value(json_object_get(e, "field")),
		    outlen - strlen(out) - 1);
		strncat(out, ":", outlen - strlen(out) - 1);
		strncat(out, json_string_value(json_object_get(e, "code")),
		    outlen - strlen(out) - 1);
	}
}

/* Validates body (JSON text); returns the field errors ("" if valid). */
static const char *
check(const char *text, int with_client)
{
	static char	 out[512];
	struct api_error err;
	json_t		*j = load(text);
	int		 rc;

	api_error_init(&err, API_ERR_VALIDATION);
	rc = ledger_entry_validate(j, with_client, &err);
	codes(&err, out, sizeof(out));
	assert_int_equal(rc != 0, out[0] != '\0');
	api_error_cleanup(&err);
	json_decref(j);
	return (out);
}

static void
test_kinds(void **state)
{
	const struct ledger_kind *k;

	(void)state;
	assert_int_equal(
	    ledger_kind_find("invoice")->sign, LEDGER_SIGN_POSITIVE);
	assert_int_equal(
	    ledger_kind_find("refund")->sign, LEDGER_SIGN_POSITIVE);
	assert_int_equal(
	    ledger_kind_find("payment")->sign, LEDGER_SIGN_NEGATIVE);
	assert_int_equal(
	    ledger_kind_find("credit")->sign, LEDGER_SIGN_NEGATIVE);
	assert_int_equal(ledger_kind_find("adjustment")->sign, LEDGER_SIGN_ANY);
	assert_int_equal(
	    ledger_kind_find("opening_balance")->sign, LEDGER_SIGN_ANY);
	k = ledger_kind_find("merge");
	assert_non_null(k);
	assert_false(k->postable);
	assert_true(ledger_kind_find("payment")->moves_paid);
	assert_true(ledger_kind_find("refund")->moves_paid);
	assert_false(ledger_kind_find("invoice")->moves_paid);
	assert_false(ledger_kind_find("credit")->moves_paid);
	assert_null(ledger_kind_find("Invoice"));
	assert_null(ledger_kind_find(""));
	assert_null(ledger_kind_find("gift"));
}

static void
test_amount_sign(void **state)
{
	(void)state;
	assert_int_equal(ledger_amount_sign("40.00"), 1);
	assert_int_equal(ledger_amount_sign("-40.00"), -1);
	assert_int_equal(ledger_amount_sign("0.01"), 1);
	assert_int_equal(ledger_amount_sign("-0.000001"), -1);
	assert_int_equal(ledger_amount_sign("0"), 0);
	assert_int_equal(ledger_amount_sign("-0.00"), 0);
	assert_int_equal(ledger_amount_sign("0.000000"), 0);
}

static void
test_signs(void **state)
{
	(void)state;
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"120.00\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"-120.00\"}", 0),
	    "amount:invalid_sign");
	assert_string_equal(
	    check("{\"kind\":\"payment\",\"amount\":\"-40.00\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"payment\",\"amount\":\"40.00\"}", 0),
	    "amount:invalid_sign");
	assert_string_equal(
	    check("{\"kind\":\"credit\",\"amount\":\"-1\"}", 0), "");
	assert_string_equal(check("{\"kind\":\"credit\",\"amount\":\"1\"}", 0),
	    "amount:invalid_sign");
	assert_string_equal(
	    check("{\"kind\":\"refund\",\"amount\":\"5.5\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"refund\",\"amount\":\"-5.5\"}", 0),
	    "amount:invalid_sign");
	assert_string_equal(
	    check("{\"kind\":\"adjustment\",\"amount\":\"-0.01\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"adjustment\",\"amount\":\"0.01\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"adjustment\",\"amount\":\"0.00\"}", 0),
	    "amount:invalid_value");
	assert_string_equal(
	    check("{\"kind\":\"opening_balance\",\"amount\":\"-9\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"payment\",\"amount\":\"-0\"}", 0),
	    "amount:invalid_value");
}

static void
test_messages(void **state)
{
	struct api_error err;
	json_t		*j;

	(void)state;
	j = json_pack("{s:s, s:s}", "kind", "payment", "amount", "40.00");
	api_error_init(&err, API_ERR_VALIDATION);
	assert_int_not_equal(ledger_entry_validate(j, 0, &err), 0);
	assert_non_null(strstr(err.message, "must be negative"));
	assert_non_null(strstr(err.message, "\"-40.00\""));
	api_error_cleanup(&err);
	json_decref(j);

	j = json_pack("{s:s, s:s}", "kind", "invoice", "amount", "-1");
	api_error_init(&err, API_ERR_VALIDATION);
	assert_int_not_equal(ledger_entry_validate(j, 0, &err), 0);
	assert_non_null(strstr(err.message, "of an invoice must be positive"));
	api_error_cleanup(&err);
	json_decref(j);

	j = json_pack("{s:s, s:s}", "kind", "merge", "amount", "1");
	api_error_init(&err, API_ERR_VALIDATION);
	assert_int_not_equal(ledger_entry_validate(j, 0, &err), 0);
	assert_non_null(strstr(err.message, "written by merging clients"));
	api_error_cleanup(&err);
	json_decref(j);
}

static void
test_body(void **state)
{
	(void)state;
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"reference\":\"Invoice 1\",\"notes\":null,"
				  "\"occurred_at\":\"2026-01-01T00:00:00Z\"}",
				0),
	    "");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":1}", 0),
	    "amount:invalid_type");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"1e3\"}", 0),
	    "amount:invalid_format");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"1.1234567\"}", 0),
	    "amount:invalid_format");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"1.123456\"}", 0), "");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"100000000000000\"}", 0),
	    "amount:invalid_format");
	assert_string_equal(
	    check("{\"kind\":\"invoice\",\"amount\":\"99999999999999\"}", 0),
	    "");
	assert_string_equal(check("{\"kind\":\"gift\",\"amount\":\"1\"}", 0),
	    "kind:invalid_value");
	assert_string_equal(check("{\"amount\":\"1\"}", 0), "kind:required");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"occurred_at\":\"2026-01-01\"}",
				0),
	    "occurred_at:invalid_format");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"seq\":3}",
				0),
	    "seq:unknown_field");
	/* POST /clients/{id}/ledger takes no client; POST /ledger needs one. */
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"client\":\"0123456789ab\"}",
				0),
	    "client:unknown_field");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"client\":\"0123456789ab\"}",
				1),
	    "");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\"}", 1),
	    "client:required");
	assert_string_equal(check("{\"kind\":\"invoice\",\"amount\":\"1\","
				  "\"client\":\"not-an-id\"}",
				1),
	    "client:invalid_format");
}

/* Parses a query string into l; returns the 400's field or "". */
static const char *
parse(const char *query, struct ledger_list *l)
{
	static char	 out[128];
	struct api_error err;
	struct qs	 qs;
	char		 buf[512];

	snprintf(buf, sizeof(buf), "%s", query);
	qs_init(&qs);
	api_error_init(&err, API_ERR_INTERNAL);
	if (qs_parse(&qs, buf, &err) != 0)
		fail_msg("query \"%s\" rejected by qs_parse", query);
	out[0] = '\0';
	if (ledger_list_parse(&qs, l, &err) != 0)
		snprintf(out, sizeof(out), "%s", err.field);
	api_error_cleanup(&err);
	qs_cleanup(&qs);
	return (out);
}

/*
 * As many kinds as fit: each accepted list ends in "}" within the buffer;
 * the first one that would not fit is refused, not cut.
 */
static void
kinds_up_to_the_limit(void)
{
	struct ledger_list l;
	char		   q[QS_MAX_VALUE];
	size_t		   n;

	snprintf(q, sizeof(q), "kind=refund");
	for (n = 1;; n++) {
		if (strcmp(parse(q, &l), "") != 0)
			break;
		assert_true(strlen(l.kinds) < sizeof(l.kinds));
		assert_int_equal(l.kinds[strlen(l.kinds) - 1], '}');
		assert_int_equal(strlen(l.kinds), 2 + 7 * n - 1);
		strncat(q, ",refund", sizeof(q) - strlen(q) - 1);
	}
	/* The refused list would leave no byte to spare in kinds[]. */
	assert_true(7 * n + 1 + 1 >= sizeof(l.kinds));
	assert_true(n > 2);
}

static void
test_list_params(void **state)
{
	struct ledger_list l;

	(void)state;
	assert_string_equal(parse("", &l), "");
	assert_string_equal(l.from, "");
	assert_string_equal(l.kinds, "");
	assert_string_equal(parse("from=2026-02-01&to=2026-02-28", &l), "");
	/* a date is a local day: the SQL puts it in a time zone */
	assert_string_equal(l.from, "2026-02-01T00:00:00");
	assert_string_equal(l.to, "2026-02-28T23:59:59.999999");
	assert_string_equal(parse("from=2026-02-01T10:00:00%2B01:00", &l), "");
	assert_string_equal(l.from, "2026-02-01T10:00:00+01:00");
	assert_string_equal(parse("from=2026-02-30", &l), "from");
	assert_string_equal(parse("to=tomorrow", &l), "to");
	assert_string_equal(parse("from=2026-03-01&to=2026-02-01", &l), "to");
	assert_string_equal(parse("from=2026-03-01&to=2026-03-01", &l), "");
	assert_string_equal(parse("from=2026-03-01T00:00:00Z&"
				  "to=2026-02-28T23:00:00Z",
				&l),
	    "to");
	/* a UTC time and a local day are compared by the SQL, not here */
	assert_string_equal(
	    parse("from=2026-03-01T00:00:00Z&to=2026-02-28", &l), "");
	assert_string_equal(parse("from=2026-03-01T00:00:00%2B01:00&"
				  "to=2026-02-01T00:00:00%2B01:00",
				&l),
	    "");
	assert_string_equal(
	    parse("from=2026-01-01&from=2026-02-01", &l), "from");
	assert_string_equal(parse("kind=payment,refund", &l), "");
	assert_string_equal(l.kinds, "{payment,refund}");
	assert_string_equal(parse("kind=payment&kind=merge", &l), "");
	assert_string_equal(l.kinds, "{payment,merge}");
	assert_string_equal(parse("kind=payment,gift", &l), "kind");
	assert_string_equal(
	    parse(
		"kind=invoice,payment,credit,refund,adjustment,"
		"opening_balance,merge,invoice,payment,credit,refund,adjustment,"
		"opening_balance,merge",
		&l),
	    "kind");
	kinds_up_to_the_limit();
	assert_string_equal(parse("client=0123456789ab", &l), "");
	assert_string_equal(l.client, "0123456789ab");
	assert_string_equal(parse("client=x", &l), "client");
}

/* The kinds as the database and the web app read them: the same rules. */
static void
test_kinds_json(void **state)
{
	json_t			 *arr, *k;
	const struct ledger_kind *def;
	size_t			  i;

	(void)state;
	arr = ledger_kinds_json();
	assert_int_equal(json_array_size(arr), 7);
	json_array_foreach(arr, i, k)
	{
		def = ledger_kind_find(
		    json_string_value(json_object_get(k, "kind")));
		assert_non_null(def);
		assert_int_equal(
		    json_is_true(json_object_get(k, "moves_paid_to_date")),
		    def->moves_paid);
		assert_int_equal(json_is_true(json_object_get(k, "postable")),
		    def->postable);
		if (def->postable)
			assert_string_equal(
			    json_string_value(json_object_get(k, "example")),
			    def->example);
		else
			assert_true(
			    json_is_null(json_object_get(k, "example")));
	}
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(arr, 0), "sign")),
	    "positive");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(arr, 1), "sign")),
	    "negative");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(arr, 4), "sign")),
	    "either");
	/* Each example obeys its own kind's rule. */
	json_array_foreach(arr, i, k)
	{
		char		 body[160];
		json_t		*b;
		struct api_error err;

		if (!json_is_true(json_object_get(k, "postable")))
			continue;
		snprintf(body, sizeof(body),
		    "{\"kind\": \"%s\", \"amount\": \"%s\"}",
		    json_string_value(json_object_get(k, "kind")),
		    json_string_value(json_object_get(k, "example")));
		b = load(body);
		api_error_init(&err, API_ERR_VALIDATION);
		assert_int_equal(ledger_entry_validate(b, 0, &err), 0);
		api_error_cleanup(&err);
		json_decref(b);
	}
	json_decref(arr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_amount_sign),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_list_params),
		cmocka_unit_test(test_kinds_json),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
