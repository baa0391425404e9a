/*
 * Unit tests for core/import.c (issue 16): fields and their names, the
 * suggested mapping for the headers of clientd's own export and of other
 * tools' client exports, options and mappings with their errors, amounts
 * as files write them, and rows turned into a client's JSON, grouped,
 * converted and checked by the API's rules with every problem pinned to
 * its row and column, and the match key of each.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/csv_read.h"
#include "core/import.h"
#include "unit.h"

/* ---- fields ------------------------------------------------------------- */

static const char *
roundtrip(const char *name)
{
	static char	     out[IMPORT_FIELD_NAME_MAX];
	struct import_target t;

	if (import_target_parse(name, &t) != 0)
		return ("-");
	import_target_name(&t, out, sizeof(out));
	return (out);
}

static void
test_targets(void **state)
{
	json_t *f;

	(void)state;
	assert_string_equal(roundtrip("name"), "name");
	assert_string_equal(roundtrip("address.country"), "address.country");
	assert_string_equal(
	    roundtrip("shipping_address.city"), "shipping_address.city");
	assert_string_equal(roundtrip("contact1.email"), "contact1.email");
	assert_string_equal(
	    roundtrip("contact50.send_email"), "contact50.send_email");
	assert_string_equal(
	    roundtrip("settings.currency"), "settings.currency");
	assert_string_equal(roundtrip("group"), "group");
	assert_string_equal(roundtrip("opening_balance"), "opening_balance");
	/* Unknown fields, contact numbers out of range, company settings. */
	assert_string_equal(roundtrip("colour"), "-");
	assert_string_equal(roundtrip("contact0.email"), "-");
	assert_string_equal(roundtrip("contact51.email"), "-");
	assert_string_equal(roundtrip("contact01.email"), "-");
	assert_string_equal(roundtrip("contact1.colour"), "-");
	assert_string_equal(roundtrip("settings.client_number_pattern"), "-");
	assert_string_equal(roundtrip("settings.custom_fields"), "-");
	assert_string_equal(roundtrip("address.colour"), "-");

	f = import_fields_json();
	assert_int_equal(
	    json_integer_value(json_object_get(f, "contacts_max")), 50);
	assert_true(json_array_size(json_object_get(f, "fields")) > 40);
	json_decref(f);
}

/* ---- suggestions ------------------------------------------------------------ */

/* The suggestions for headers joined as "field|field|..." ("-" for none). */
static const char *
suggest(const char *const *headers, size_t n)
{
	static char out[2048];
	char(*s)[IMPORT_FIELD_NAME_MAX];
	size_t i, o = 0;

	s = calloc(n, sizeof(*s));
	import_suggest(headers, n, s);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    i ? "|" : "", s[i][0] ? s[i] : "-");
	free(s);
	return (out);
}

static void
test_suggest_own_export(void **state)
{
	static const char *const h[] = { "id", "number", "name", "display_name",
		"website", "phone", "vat_number", "id_number", "address1",
		"address2", "city", "state", "postal_code", "country",
		"shipping_address1", "shipping_country", "public_notes",
		"private_notes", "custom_value1", "group", "status", "balance",
		"paid_to_date", "settings.currency", "settings.payment_terms",
		"contact1_first_name", "contact1_last_name", "contact1_email",
		"contact1_phone", "contact1_send_email",
		"contact1_custom_value2", "contact2_email", "created_at" };

	(void)state;
	assert_string_equal(suggest(h, CORE_ARRAY_LEN(h)),
	    "-|number|name|-|website|phone|vat_number|id_number|"
	    "address.address1|address.address2|address.city|address.state|"
	    "address.postal_code|address.country|shipping_address.address1|"
	    "shipping_address.country|public_notes|private_notes|"
	    "custom_value1|group|-|opening_balance|-|settings.currency|"
	    "settings.payment_terms|contact1.first_name|contact1.last_name|"
	    "contact1.email|contact1.phone|contact1.send_email|"
	    "contact1.custom_value2|contact2.email|-");
}

static void
test_suggest_other_tools(void **state)
{
	/* Invoice Ninja v5. */
	static const char *const in5[] = { "Client Name", "Client Number",
		"Client ID Number", "Client Balance", "Client Address 1",
		"Client Postal Code", "Client Country", "Client Shipping City",
		"Client Phone", "Contact First Name", "Contact Last Name",
		"Contact Email", "Contact Phone", "Client Paid to Date" };
	/* Zoho Invoice. */
	static const char *const zoho[] = { "Display Name", "Company Name",
		"First Name", "Last Name", "EmailID", "MobilePhone", "Phone",
		"Currency Code", "Billing Address", "Billing Street2",
		"Billing City", "Billing Code", "Billing Country",
		"Shipping Address", "Shipping Code", "Opening Balance",
		"Payment Terms", "Contact ID" };
	/* Wave. */
	static const char *const wave[] = { "customer_name", "email",
		"contact_first_name", "contact_last_name", "phone", "mobile",
		"account_number", "address_line_1", "province/state",
		"postal_code/zip_code", "ship_to_address_line_1", "currency" };
	/* FreshBooks. */
	static const char *const fb[] = { "Organization", "First Name",
		"Last Name", "Email", "Work Phone", "Street", "Street2", "City",
		"Province/State", "Postal Code/Zip", "Country",
		"Outstanding Balance" };
	/* Repeated names: a second Email is the second contact's. */
	static const char *const rep[] = { "Name", "Email", "Email", "Phone",
		"Phone", "Name" };

	(void)state;
	assert_string_equal(suggest(in5, CORE_ARRAY_LEN(in5)),
	    "name|number|id_number|opening_balance|address.address1|"
	    "address.postal_code|address.country|shipping_address.city|phone|"
	    "contact1.first_name|contact1.last_name|contact1.email|"
	    "contact1.phone|-");
	assert_string_equal(suggest(zoho, CORE_ARRAY_LEN(zoho)),
	    "name|-|contact1.first_name|contact1.last_name|contact1.email|"
	    "contact1.phone|phone|settings.currency|address.address1|"
	    "address.address2|address.city|address.postal_code|"
	    "address.country|shipping_address.address1|"
	    "shipping_address.postal_code|opening_balance|"
	    "settings.payment_terms|id_number");
	assert_string_equal(suggest(wave, CORE_ARRAY_LEN(wave)),
	    "name|contact1.email|contact1.first_name|contact1.last_name|phone|"
	    "contact1.phone|number|address.address1|address.state|"
	    "address.postal_code|shipping_address.address1|settings.currency");
	assert_string_equal(suggest(fb, CORE_ARRAY_LEN(fb)),
	    "name|contact1.first_name|contact1.last_name|contact1.email|phone|"
	    "address.address1|address.address2|address.city|address.state|"
	    "address.postal_code|address.country|opening_balance");
	assert_string_equal(suggest(rep, CORE_ARRAY_LEN(rep)),
	    "name|contact1.email|contact2.email|phone|contact1.phone|-");
}

static void
test_header_key(void **state)
{
	static const char *const a[] = { "Name", "E-mail" };
	static const char *const b[] = { "name ", "email" };
	static const char *const c[] = { "email", "name" };
	char			 ka[65], kb[65], kc[65];

	(void)state;
	import_header_key(a, 2, ka);
	import_header_key(b, 2, kb);
	import_header_key(c, 2, kc);
	assert_string_equal(ka, kb);
	assert_string_not_equal(ka, kc);
	assert_int_equal(strlen(ka), 64);
}

/* ---- options and mapping ------------------------------------------------------ */

static void
test_options(void **state)
{
	struct import_options o;
	struct api_error      err;
	json_t		     *j;
	char		      buf[64];

	(void)state;
	api_error_init(&err, API_ERR_VALIDATION);
	assert_int_equal(import_options_parse(NULL, &o, &err), 0);
	assert_int_equal(o.match, IMPORT_MATCH_EMAIL);
	assert_int_equal(o.action, IMPORT_SKIP);
	assert_int_equal(o.mode, IMPORT_VALID_ROWS);
	j = load("{\"match_key\": \"number\", \"on_match\": \"update\", "
		 "\"mode\": \"all_or_nothing\", \"create_groups\": false, "
		 "\"decimal_separator\": \",\"}");
	assert_int_equal(import_options_parse(j, &o, &err), 0);
	assert_int_equal(o.match, IMPORT_MATCH_NUMBER);
	assert_int_equal(o.action, IMPORT_UPDATE);
	assert_int_equal(o.mode, IMPORT_ALL_OR_NOTHING);
	assert_false(o.create_groups);
	assert_int_equal(o.decimal, ',');
	json_decref(j);
	j = import_options_json(&o);
	assert_string_equal(
	    json_string_value(json_object_get(j, "on_match")), "update");
	json_decref(j);

	j = load("{\"match_key\": \"phone\", \"colour\": 1}");
	assert_int_equal(import_options_parse(j, &o, &err), CORE_E_INVALID);
	assert_string_equal(field_error(&err, 0, buf, sizeof(buf)),
	    "options.match_key/invalid_value");
	assert_string_equal(field_error(&err, 1, buf, sizeof(buf)),
	    "options.colour/unknown_field");
	json_decref(j);
	api_error_cleanup(&err);
}

/* The one field error a mapping gets, as "field/code", or "ok". */
static const char *
mapping_error(const char *mapping, size_t ncols, const char *options)
{
	static char	      out[160];
	struct import_options o;
	struct import_mapping m;
	struct api_error      err;
	json_t		     *j, *oj;
	char		      buf[128];

	api_error_init(&err, API_ERR_VALIDATION);
	oj = options ? load(options) : NULL;
	assert_int_equal(import_options_parse(oj, &o, &err), 0);
	j = load(mapping);
	if (import_mapping_parse(j, ncols, NULL, &o, &m, &err) == 0) {
		snprintf(out, sizeof(out), "ok");
		import_mapping_cleanup(&m);
	} else {
		snprintf(out, sizeof(out), "%s",
		    field_error(&err, 0, buf, sizeof(buf)));
	}
	json_decref(j);
	if (oj)
		json_decref(oj);
	api_error_cleanup(&err);
	return (out);
}

static void
test_mapping(void **state)
{
	(void)state;
	assert_string_equal(
	    mapping_error("[\"name\", \"contact1.email\", null]", 3, NULL),
	    "ok");
	assert_string_equal(
	    mapping_error("[\"name\"]", 3, NULL), "mapping/invalid_value");
	assert_string_equal(
	    mapping_error(
		"[\"name\", \"colour\", \"contact1.email\"]", 3, NULL),
	    "mapping[1]/invalid_value");
	assert_string_equal(
	    mapping_error("[\"name\", \"name\", \"contact1.email\"]", 3, NULL),
	    "mapping[1]/duplicate");
	assert_string_equal(
	    mapping_error("[null, null]", 2, NULL), "mapping/empty");
	/* The match key's field must be mapped. */
	assert_string_equal(mapping_error("[\"name\"]", 1, NULL),
	    "options.match_key/invalid_value");
	assert_string_equal(mapping_error("[\"name\", \"id_number\"]", 2,
				"{\"match_key\": \"number\"}"),
	    "options.match_key/invalid_value");
	assert_string_equal(mapping_error("[\"name\", \"number\"]", 2,
				"{\"match_key\": \"number\"}"),
	    "ok");
	assert_string_equal(mapping_error("[\"contact1.last_name\"]", 1,
				"{\"match_key\": \"name\"}"),
	    "ok");
}

/* ---- values ---------------------------------------------------------------------- */

static const char *
amount(const char *s, char dec)
{
	static char out[128];
	char	    why[80];

	if (import_amount_parse(s, dec, out, sizeof(out), why, sizeof(why)) !=
	    0)
		snprintf(out, sizeof(out), "!%s", why);
	return (out);
}

static void
test_amounts(void **state)
{
	(void)state;
	assert_string_equal(amount("$-1,142.85", 0), "-1142.85");
	assert_string_equal(amount("-$1,142.85", 0), "-1142.85");
	assert_string_equal(amount("$1,142.85-", 0), "-1142.85");
	assert_string_equal(amount("1.142,85 \xe2\x82\xac", 0), "1142.85");
	assert_string_equal(amount("\xe2\x82\xac 1.142,85", 0), "1142.85");
	assert_string_equal(amount("(42.00)", 0), "-42.00");
	assert_string_equal(amount("USD 1,000", 0), "1000");
	assert_string_equal(amount("CHF 1'000.50", 0), "1000.50");
	assert_string_equal(amount("1 142,85", 0), "1142.85");
	assert_string_equal(amount("1\xc2\xa0"
				   "142,85 kr",
				0),
	    "1142.85");
	assert_string_equal(amount("\xe2\x88\x92"
				   "5",
				0),
	    "-5");
	assert_string_equal(amount("+7.5", 0), "7.5");
	assert_string_equal(amount("0.50", 0), "0.50");
	assert_string_equal(amount(".5", 0), "0.5");
	assert_string_equal(amount("-0.00", 0), "0.00");
	assert_string_equal(amount("007", 0), "7");
	assert_string_equal(amount("42.", 0), "42");
	assert_string_equal(amount("42.-", 0), "42");
	/* One separator, three digits after it: the column decides. */
	assert_string_equal(amount("1,142", 0), "1142");
	assert_string_equal(amount("1.142", 0), "1.142");
	assert_string_equal(amount("1.142", ','), "1142");
	assert_string_equal(amount("1,142", '.'), "1142");
	assert_string_equal(amount("1.142.000", 0), "1142000");
	assert_string_equal(amount("12,5", 0), "12.5");
	/* What no amount is. */
	assert_string_equal(amount("abc", 0), "!has no digits");
	assert_string_equal(amount("12x4", 0), "!is not an amount");
	assert_string_equal(
	    amount("1.2.3,4,5", 0), "!has more than one decimal separator");
	assert_string_equal(amount("--5", 0), "!has more than one sign");
	assert_string_equal(amount("(5", 0), "!has more than one sign");
	assert_string_equal(amount("-(5)", 0), "!has more than one sign");
	assert_string_equal(
	    amount("1.1234567", 0), "!has more than 6 decimals");
	assert_string_equal(amount("123456789012345", 0), "!is too large");
	assert_string_equal(amount("1e5", 0), "!is not an amount");
	assert_string_equal(amount("12x", 0), "!is not an amount");
	assert_string_equal(amount("12 kr", 0), "12");
	assert_string_equal(amount("R 12", 0), "12");
}

static void
test_decimal_sniff(void **state)
{
	struct import_decimal_stats eu = { 0, 0 }, us = { 0, 0 },
				    none = { 0, 0 };

	(void)state;
	import_decimal_sniff(&eu, "1.142,85");
	import_decimal_sniff(&eu, "12,50");
	import_decimal_sniff(&eu, "1.000");
	assert_int_equal(import_decimal_guess(&eu), ',');
	import_decimal_sniff(&us, "1,142.85");
	import_decimal_sniff(&us, "7.5");
	assert_int_equal(import_decimal_guess(&us), '.');
	import_decimal_sniff(&none, "1,000");
	import_decimal_sniff(&none, "a@b.io");
	assert_int_equal(import_decimal_guess(&none), 0);
}

static void
test_bool_and_cells(void **state)
{
	(void)state;
	assert_int_equal(import_bool_parse("Yes"), 1);
	assert_int_equal(import_bool_parse("TRUE"), 1);
	assert_int_equal(import_bool_parse("x"), 1);
	assert_int_equal(import_bool_parse("0"), 0);
	assert_int_equal(import_bool_parse("No"), 0);
	assert_int_equal(import_bool_parse(""), 0);
	assert_int_equal(import_bool_parse("maybe"), -1);
	/* Our export's defused formulas come back as they were. */
	assert_string_equal(import_cell_text("'=SUM(A1)"), "=SUM(A1)");
	assert_string_equal(import_cell_text("'+49 30 1"), "+49 30 1");
	assert_string_equal(import_cell_text("'quoted'"), "'quoted'");
	assert_string_equal(import_cell_text("'"), "'");
}

/* ---- rows ---------------------------------------------------------------------------- */

struct rows {
	struct import_mapping map;
	struct import_options opt;
	struct import_group   g;
	json_t		     *bodies; /* each finished group's result */
};

static void
finish_group(struct rows *r)
{
	char key[IMPORT_KEY_MAX];

	if (r->g.nrows == 0)
		return;
	import_group_check(&r->g);
	import_group_key(&r->g, key, sizeof(key));
	json_array_append_new(r->bodies,
	    json_pack("{s:O, s:O*, s:s, s:s, s:s, s:O, s:i}", "body", r->g.body,
		"settings", r->g.settings, "group", r->g.group_name, "opening",
		r->g.opening, "key", key, "errors", r->g.errors, "rows",
		(int)r->g.nrows));
	import_group_reset(&r->g);
}

static int
on_row(const struct csv_read_record *rec, void *arg)
{
	struct rows *r = arg;

	if (rec->row == 1)
		return (0); /* the header */
	if (import_group_add(&r->g, rec) != 0) {
		finish_group(r);
		assert_int_equal(import_group_add(&r->g, rec), 0);
	}
	return (0);
}

/* Imports csv with mapping and options: each client's JSON, as text. */
static json_t *
run(const char *csv, const char *mapping, const char *options)
{
	static struct rows r;
	struct api_error   err;
	struct csv_read	   rd;
	json_t		  *m, *o;

	api_error_init(&err, API_ERR_VALIDATION);
	m = load(mapping);
	o = options ? load(options) : NULL;
	assert_int_equal(import_options_parse(o, &r.opt, &err), 0);
	assert_int_equal(import_mapping_parse(
			     m, json_array_size(m), NULL, &r.opt, &r.map, &err),
	    0);
	import_group_init(&r.g, &r.map, &r.opt);
	r.bodies = json_array();
	csv_read_init(&rd, ',', on_row, &r);
	assert_int_equal(csv_read_feed(&rd, csv, strlen(csv)), 0);
	assert_int_equal(csv_read_finish(&rd), 0);
	finish_group(&r);
	csv_read_cleanup(&rd);
	import_group_cleanup(&r.g);
	import_mapping_cleanup(&r.map);
	json_decref(m);
	if (o)
		json_decref(o);
	api_error_cleanup(&err);
	return (r.bodies);
}

static const char *
dump(json_t *j)
{
	static char out[4096];
	char	   *s;

	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(out, sizeof(out), "%s", s);
	free(s);
	return (out);
}

static void
test_rows_to_clients(void **state)
{
	json_t *b;

	(void)state;
	b = run("Name,Email,Country,Balance,Currency,Terms,Group\n"
		"Acme GmbH,ann@acme.example,Germany,\"1.142,85 \xe2\x82\xac\","
		"eur,Net 30,VIP\n"
		"Bob,bob@x.example,,0,,,\n",
	    "[\"name\", \"contact1.email\", \"address.country\", "
	    "\"opening_balance\", \"settings.currency\", "
	    "\"settings.payment_terms\", \"group\"]",
	    NULL);
	assert_int_equal(json_array_size(b), 2);
	assert_string_equal(dump(json_array_get(b, 0)),
	    "{\"body\":{\"address\":{\"country\":\"DE\"},\"contacts\":[{"
	    "\"email\":\"ann@acme.example\"}],\"name\":\"Acme GmbH\"},"
	    "\"errors\":[],\"group\":\"VIP\",\"key\":\"ann@acme.example\","
	    "\"opening\":\"1142.85\",\"rows\":1,\"settings\":{\"currency\":"
	    "\"EUR\",\"payment_terms\":30}}");
	/* A zero balance is no opening balance; empty cells set nothing. */
	assert_string_equal(dump(json_array_get(b, 1)),
	    "{\"body\":{\"contacts\":[{\"email\":\"bob@x.example\"}],\"name\":"
	    "\"Bob\"},\"errors\":[],\"group\":\"\",\"key\":\"bob@x.example\","
	    "\"opening\":\"\",\"rows\":1}");
	json_decref(b);
}

static void
test_rows_grouped(void **state)
{
	json_t *b;

	(void)state;
	/* Repeated rows of one client are its contacts; numbered columns too. */
	b = run("number,name,first,email,email2\n"
		"C1,Acme,Ann,ann@acme.example,ops@acme.example\n"
		"C1,,Bob,bob@acme.example,\n"
		"C1,Acme,Ann,ann@acme.example,ops@acme.example\n"
		"C2,Beta,Cy,cy@beta.example,\n"
		"C2,Other name,Di,di@beta.example,\n",
	    "[\"number\", \"name\", \"contact1.first_name\", "
	    "\"contact1.email\", \"contact2.email\"]",
	    "{\"match_key\": \"number\"}");
	assert_int_equal(json_array_size(b), 3);
	assert_string_equal(dump(json_object_get(json_array_get(b, 0), "body")),
	    "{\"contacts\":[{\"email\":\"ann@acme.example\",\"first_name\":"
	    "\"Ann\"},{\"email\":\"ops@acme.example\"},{\"email\":"
	    "\"bob@acme.example\",\"first_name\":\"Bob\"}],\"name\":\"Acme\","
	    "\"number\":\"C1\"}");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(b, 0), "rows")),
	    3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(b, 0), "key")),
	    "C1");
	/* A row that disagrees on a client field is another client. */
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(b, 1), "rows")),
	    1);
	json_decref(b);

	/* Without group_rows every row is a client. */
	b = run("name,email\nA,a@x.example\nA,b@x.example\n",
	    "[\"name\", \"contact1.email\"]", "{\"group_rows\": false}");
	assert_int_equal(json_array_size(b), 2);
	json_decref(b);
}

static void
test_rows_errors(void **state)
{
	json_t *b, *e;

	(void)state;
	/* Bad email (contact 2 of row 3), unknown country, bad amount. */
	b = run("number,name,country,balance,email\n"
		"C1,Acme,Atlantis,12x,ann@acme.example\n"
		"C1,,,,not-an-email\n",
	    "[\"number\", \"name\", \"address.country\", \"opening_balance\", "
	    "\"contact1.email\"]",
	    "{\"match_key\": \"number\"}");
	e = json_object_get(json_array_get(b, 0), "errors");
	assert_int_equal(json_array_size(e), 3);
	assert_string_equal(dump(json_array_get(e, 0)),
	    "{\"code\":\"invalid_value\",\"column\":4,\"field\":"
	    "\"opening_balance\",\"line\":2,\"message\":\"field "
	    "\\\"opening_balance\\\" is not an amount: \\\"12x\\\"\",\"row\":2,"
	    "\"value\":\"12x\"}");
	assert_string_equal(dump(json_array_get(e, 1)),
	    "{\"code\":\"invalid_value\",\"column\":3,\"field\":"
	    "\"address.country\",\"line\":2,\"message\":\"field "
	    "\\\"address.country\\\" must be an ISO 3166-1 alpha-2 country "
	    "code, not \\\"Atlantis\\\"\",\"row\":2,\"value\":\"Atlantis\"}");
	assert_string_equal(dump(json_array_get(e, 2)),
	    "{\"code\":\"invalid_format\",\"column\":5,\"field\":"
	    "\"contacts[1].email\",\"line\":3,\"message\":\"field "
	    "\\\"contacts[1].email\\\" is not a valid email address: "
	    "\\\"not-an-email\\\"\",\"row\":3,\"value\":\"not-an-email\"}");
	json_decref(b);

	/* Settings and yes/no that cannot be read; a name too long. */
	b = run("name,send,terms,lang\n"
		"Acme,perhaps,soon,Klingon\n",
	    "[\"name\", \"contact1.send_email\", \"settings.payment_terms\", "
	    "\"settings.language\"]",
	    "{\"match_key\": \"name\"}");
	e = json_object_get(json_array_get(b, 0), "errors");
	if (json_array_size(e) != 3)
		fail_msg("%s", dump(e));
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(e, 0), "field")),
	    "settings.payment_terms");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(e, 1), "field")),
	    "contact1.send_email");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(e, 2), "field")),
	    "settings.language");
	json_decref(b);
}

static void
test_match_keys(void **state)
{
	json_t *b;

	(void)state;
	/* Name: the name, else the first contact's name, else its email. */
	b = run("name,first,last,email\n"
		"Acme,Ann,Lee,a@x.example\n"
		",Bob,Sim,b@x.example\n"
		",,,c@x.example\n"
		",,,\n",
	    "[\"name\", \"contact1.first_name\", \"contact1.last_name\", "
	    "\"contact1.email\"]",
	    "{\"match_key\": \"name\", \"group_rows\": false}");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(b, 0), "key")),
	    "Acme");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(b, 1), "key")),
	    "Bob Sim");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(b, 2), "key")),
	    "c@x.example");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(b, 3), "key")),
	    "");
	json_decref(b);

	/* Grouping compares numbers case- and space-insensitively. */
	b = run("number,email\nc 1,a@x.example\nC1,b@x.example\n",
	    "[\"number\", \"contact1.email\"]", "{\"match_key\": \"number\"}");
	assert_int_equal(json_array_size(b), 1);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_suggest_own_export),
		cmocka_unit_test(test_suggest_other_tools),
		cmocka_unit_test(test_header_key),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_decimal_sniff),
		cmocka_unit_test(test_bool_and_cells),
		cmocka_unit_test(test_rows_to_clients),
		cmocka_unit_test(test_rows_grouped),
		cmocka_unit_test(test_rows_errors),
		cmocka_unit_test(test_match_keys),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
