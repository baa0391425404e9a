/*
 * Importing clients from CSV, without a database. The daemon uses this
 * file to suggest a mapping for an uploaded file and to check the mapping
 * and options a user picks; the worker uses it to turn the file's rows
 * into the JSON of a client (its contacts, settings overrides, group and
 * opening balance) and to check that JSON with the API's own rules before
 * it goes to the same SQL functions the API calls.
 *
 * Values are converted as files write them before the API's rules see
 * them: countries by name or alpha-3 code, amounts with currency signs
 * and thousands separators, yes/no, "Net 30", language names. Every
 * problem is a field error pinned to the row and column it came from.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/core.h"
#include "core/countries.h"
#include "core/crypto.h"
#include "core/csv_read.h"
#include "core/import.h"
#include "core/mem.h"
#include "core/settings.h"
#include "core/utf8.h"
#include "core/validate.h"

/* ---- fields ----------------------------------------------------------------- */

struct field_def {
	const char	*name; /* as mappings name it */
	enum import_kind kind;
	const char	*key;
	const char	*label;
};

static const struct field_def client_fields[] = {
	{ "name", IMPORT_CLIENT, "name", "Name" },
	{ "number", IMPORT_CLIENT, "number", "Client number" },
	{ "id_number", IMPORT_CLIENT, "id_number", "ID number" },
	{ "vat_number", IMPORT_CLIENT, "vat_number", "VAT number" },
	{ "website", IMPORT_CLIENT, "website", "Website" },
	{ "phone", IMPORT_CLIENT, "phone", "Phone" },
	{ "public_notes", IMPORT_CLIENT, "public_notes", "Public notes" },
	{ "private_notes", IMPORT_CLIENT, "private_notes", "Private notes" },
	{ "custom_value1", IMPORT_CLIENT, "custom_value1", "Custom value 1" },
	{ "custom_value2", IMPORT_CLIENT, "custom_value2", "Custom value 2" },
	{ "custom_value3", IMPORT_CLIENT, "custom_value3", "Custom value 3" },
	{ "custom_value4", IMPORT_CLIENT, "custom_value4", "Custom value 4" },
	{ "address.address1", IMPORT_ADDRESS, "address1", "Address line 1" },
	{ "address.address2", IMPORT_ADDRESS, "address2", "Address line 2" },
	{ "address.city", IMPORT_ADDRESS, "city", "City" },
	{ "address.state", IMPORT_ADDRESS, "state", "State / province" },
	{ "address.postal_code", IMPORT_ADDRESS, "postal_code", "Postal code" },
	{ "address.country", IMPORT_ADDRESS, "country", "Country" },
	{ "shipping_address.address1", IMPORT_SHIPPING, "address1",
	    "Address line 1" },
	{ "shipping_address.address2", IMPORT_SHIPPING, "address2",
	    "Address line 2" },
	{ "shipping_address.city", IMPORT_SHIPPING, "city", "City" },
	{ "shipping_address.state", IMPORT_SHIPPING, "state",
	    "State / province" },
	{ "shipping_address.postal_code", IMPORT_SHIPPING, "postal_code",
	    "Postal code" },
	{ "shipping_address.country", IMPORT_SHIPPING, "country", "Country" },
	{ "group", IMPORT_GROUP, "group", "Group (by name)" },
	{ "opening_balance", IMPORT_BALANCE, "opening_balance",
	    "Opening balance" },
};

static const struct field_def contact_fields[] = {
	{ "first_name", IMPORT_CONTACT, "first_name", "First name" },
	{ "last_name", IMPORT_CONTACT, "last_name", "Last name" },
	{ "email", IMPORT_CONTACT, "email", "Email" },
	{ "phone", IMPORT_CONTACT, "phone", "Phone" },
	{ "send_email", IMPORT_CONTACT, "send_email", "Receives email" },
	{ "custom_value1", IMPORT_CONTACT, "custom_value1", "Custom value 1" },
	{ "custom_value2", IMPORT_CONTACT, "custom_value2", "Custom value 2" },
	{ "custom_value3", IMPORT_CONTACT, "custom_value3", "Custom value 3" },
	{ "custom_value4", IMPORT_CONTACT, "custom_value4", "Custom value 4" },
};

/* The settings an import may set: client-level keys with a text form. */
static int
setting_importable(const struct setting_def *d)
{
	return ((d->levels & LEVEL_CLIENT) && d->type != SETTING_OBJECT &&
	    d->type != SETTING_PATTERN);
}

int
import_target_parse(const char *name, struct import_target *t)
{
	const struct setting_def *d;
	const char		 *dot;
	size_t			  i;
	long			  n;
	char			 *end;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < CORE_ARRAY_LEN(client_fields); i++) {
		if (strcmp(client_fields[i].name, name) == 0) {
			t->kind = client_fields[i].kind;
			t->key = client_fields[i].key;
			return (0);
		}
	}
	if (strncmp(name, "settings.", 9) == 0) {
		if ((d = settings_find(name + 9)) == NULL ||
		    !setting_importable(d))
			return (CORE_E_NOTFOUND);
		t->kind = IMPORT_SETTING;
		t->key = d->key;
		t->setting = d;
		return (0);
	}
	if (strncmp(name, "contact", 7) != 0 ||
	    !isdigit((unsigned char)name[7]))
		return (CORE_E_NOTFOUND);
	n = strtol(name + 7, &end, 10);
	if (n < 1 || n > IMPORT_CONTACTS_MAX || *end != '.' || (name[7] == '0'))
		return (CORE_E_NOTFOUND);
	dot = end + 1;
	for (i = 0; i < CORE_ARRAY_LEN(contact_fields); i++) {
		if (strcmp(contact_fields[i].name, dot) == 0) {
			t->kind = IMPORT_CONTACT;
			t->key = contact_fields[i].key;
			t->contact = (unsigned int)n;
			return (0);
		}
	}
	return (CORE_E_NOTFOUND);
}

void
import_target_name(const struct import_target *t, char *out, size_t len)
{
	switch (t->kind) {
	case IMPORT_ADDRESS:
		snprintf(out, len, "address.%s", t->key);
		break;
	case IMPORT_SHIPPING:
		snprintf(out, len, "shipping_address.%s", t->key);
		break;
	case IMPORT_CONTACT:
		snprintf(out, len, "contact%u.%s", t->contact, t->key);
		break;
	case IMPORT_SETTING:
		snprintf(out, len, "settings.%s", t->key);
		break;
	case IMPORT_NONE:
		snprintf(out, len, "%s", "");
		break;
	default:
		snprintf(out, len, "%s", t->key);
		break;
	}
}

static const char *
section_of(enum import_kind k)
{
	switch (k) {
	case IMPORT_ADDRESS:
		return ("address");
	case IMPORT_SHIPPING:
		return ("shipping_address");
	case IMPORT_GROUP:
	case IMPORT_BALANCE:
		return ("other");
	default:
		return ("client");
	}
}

/*
 * [{"field", "label", "section"}...]: the client's own fields, its
 * addresses, group and opening balance, then contact<n> fields (n up to
 * contacts_max) and the settings a client may override.
 */
json_t *
import_fields_json(void)
{
	json_t *out, *fields;
	size_t	i;
	char	name[IMPORT_FIELD_NAME_MAX];

	fields = json_array();
	for (i = 0; i < CORE_ARRAY_LEN(client_fields); i++)
		json_array_append_new(fields,
		    json_pack("{s:s, s:s, s:s}", "field", client_fields[i].name,
			"label", client_fields[i].label, "section",
			section_of(client_fields[i].kind)));
	for (i = 0; i < CORE_ARRAY_LEN(contact_fields); i++)
		json_array_append_new(fields,
		    json_pack("{s:s, s:s, s:s}", "field",
			contact_fields[i].name, "label",
			contact_fields[i].label, "section", "contact"));
	for (i = 0; i < settings_defs_count; i++) {
		if (!setting_importable(&settings_defs[i]))
			continue;
		snprintf(
		    name, sizeof(name), "settings.%s", settings_defs[i].key);
		json_array_append_new(fields,
		    json_pack("{s:s, s:s, s:s}", "field", name, "label",
			settings_defs[i].key, "section", "settings"));
	}
	out = json_pack("{s:o, s:i}", "fields", fields, "contacts_max",
	    IMPORT_CONTACTS_MAX);
	return (out);
}

/* ---- suggestions ---------------------------------------------------------- */

/*
 * Header synonyms, normalised (lower-case letters and digits only). The
 * exports they come from: clientd's own (name, number, address1,
 * contact1_email, settings.currency, balance...), Invoice Ninja v5 ("Client
 * Name", "Client Address 1", "Contact First Name", "Client Balance"), v4
 * ("Name", "ID Number", "Postal Code", "First Name"), Zoho Invoice
 * ("Display Name", "Company Name", "Billing Address", "Billing Street2",
 * "Billing Code", "EmailID", "MobilePhone", "Currency Code", "Opening
 * Balance", "Contact ID"), Wave ("customer_name", "account_number",
 * "address_line_1", "province/state", "postal_code/zip_code",
 * "ship_to_*"), FreshBooks ("Organization", "Street", "Street2",
 * "Province/State", "Postal Code/Zip", "Work Phone", "Outstanding
 * Balance") and Invoicely ("Client Name", "Zip", "Tax Number").
 */
struct synonym {
	const char *norm;
	const char *field;
};

/* Client-level fields, by their bare names. */
static const struct synonym client_synonyms[] = {
	{ "name", "name" },
	{ "clientname", "name" },
	{ "customername", "name" },
	{ "company", "name" },
	{ "companyname", "name" },
	{ "organization", "name" },
	{ "organisation", "name" },
	{ "organizationname", "name" },
	{ "business", "name" },
	{ "businessname", "name" },
	{ "displayname", "name" },
	{ "client", "name" },
	{ "customer", "name" },
	{ "accountname", "name" },
	{ "number", "number" },
	{ "clientnumber", "number" },
	{ "customernumber", "number" },
	{ "clientno", "number" },
	{ "customerno", "number" },
	{ "accountnumber", "number" },
	{ "accountno", "number" },
	{ "idnumber", "id_number" },
	{ "clientidnumber", "id_number" },
	{ "externalid", "id_number" },
	{ "customerid", "id_number" },
	{ "clientid", "id_number" },
	{ "contactid", "id_number" },
	{ "referenceid", "id_number" },
	{ "reference", "id_number" },
	{ "vatnumber", "vat_number" },
	{ "vat", "vat_number" },
	{ "vatid", "vat_number" },
	{ "vatno", "vat_number" },
	{ "vatregistrationnumber", "vat_number" },
	{ "taxnumber", "vat_number" },
	{ "taxid", "vat_number" },
	{ "taxregistrationnumber", "vat_number" },
	{ "trn", "vat_number" },
	{ "gstnumber", "vat_number" },
	{ "gstin", "vat_number" },
	{ "gstidentificationnumber", "vat_number" },
	{ "ustid", "vat_number" },
	{ "abn", "vat_number" },
	{ "website", "website" },
	{ "web", "website" },
	{ "url", "website" },
	{ "homepage", "website" },
	{ "websiteurl", "website" },
	{ "site", "website" },
	{ "phone", "phone" },
	{ "workphone", "phone" },
	{ "telephone", "phone" },
	{ "tel", "phone" },
	{ "phonenumber", "phone" },
	{ "businessphone", "phone" },
	{ "officephone", "phone" },
	{ "publicnotes", "public_notes" },
	{ "privatenotes", "private_notes" },
	{ "internalnotes", "private_notes" },
	{ "notes", "private_notes" },
	{ "note", "private_notes" },
	{ "comments", "private_notes" },
	{ "customvalue1", "custom_value1" },
	{ "customvalue2", "custom_value2" },
	{ "customvalue3", "custom_value3" },
	{ "customvalue4", "custom_value4" },
	{ "custom1", "custom_value1" },
	{ "custom2", "custom_value2" },
	{ "custom3", "custom_value3" },
	{ "custom4", "custom_value4" },
	{ "customfield1", "custom_value1" },
	{ "customfield2", "custom_value2" },
	{ "customfield3", "custom_value3" },
	{ "customfield4", "custom_value4" },
	{ "group", "group" },
	{ "groupname", "group" },
	{ "clientgroup", "group" },
	{ "customergroup", "group" },
	{ "balance", "opening_balance" },
	{ "openingbalance", "opening_balance" },
	{ "outstanding", "opening_balance" },
	{ "outstandingbalance", "opening_balance" },
	{ "balancedue", "opening_balance" },
	{ "amountdue", "opening_balance" },
	{ "openbalance", "opening_balance" },
	{ "startingbalance", "opening_balance" },
	{ "outstandingreceivableamount", "opening_balance" },
	{ "currency", "settings.currency" },
	{ "currencycode", "settings.currency" },
	{ "language", "settings.language" },
	{ "languagecode", "settings.language" },
	{ "locale", "settings.language" },
	{ "paymentterms", "settings.payment_terms" },
	{ "paymentterm", "settings.payment_terms" },
	{ "terms", "settings.payment_terms" },
	{ "netterms", "settings.payment_terms" },
	{ "timezone", "settings.timezone" },
	{ "firma", "name" },
	{ "firmenname", "name" },
	{ "kundenname", "name" },
	{ "kundennummer", "number" },
	{ "kundennr", "number" },
	{ "ustidnr", "vat_number" },
	{ "ustid", "vat_number" },
	{ "steuernummer", "vat_number" },
	{ "telefon", "phone" },
	{ "saldo", "opening_balance" },
	{ "offenerbetrag", "opening_balance" },
	{ "notizen", "private_notes" },
	{ "gruppe", "group" },
	{ "wahrung", "settings.currency" },
	{ "sprache", "settings.language" },
	{ "zahlungsziel", "settings.payment_terms" },
	{ "mobile", "contact1.phone" },
	{ "mobilephone", "contact1.phone" },
	{ "cell", "contact1.phone" },
	{ "cellphone", "contact1.phone" },
	{ "emailid", "contact1.email" },
};

/* Address parts, bare or after billing / shipping prefixes. */
static const struct synonym address_synonyms[] = {
	{ "address1", "address1" },
	{ "address", "address1" },
	{ "street", "address1" },
	{ "street1", "address1" },
	{ "streetaddress", "address1" },
	{ "addressline1", "address1" },
	{ "line1", "address1" },
	{ "address2", "address2" },
	{ "street2", "address2" },
	{ "addressline2", "address2" },
	{ "line2", "address2" },
	{ "suite", "address2" },
	{ "city", "city" },
	{ "town", "city" },
	{ "locality", "city" },
	{ "state", "state" },
	{ "province", "state" },
	{ "region", "state" },
	{ "county", "state" },
	{ "stateprovince", "state" },
	{ "provincestate", "state" },
	{ "postalcode", "postal_code" },
	{ "postcode", "postal_code" },
	{ "zip", "postal_code" },
	{ "zipcode", "postal_code" },
	{ "code", "postal_code" },
	{ "postalcodezip", "postal_code" },
	{ "postalcodezipcode", "postal_code" },
	{ "zippostalcode", "postal_code" },
	{ "plz", "postal_code" },
	{ "postleitzahl", "postal_code" },
	{ "strasse", "address1" },
	{ "stadt", "city" },
	{ "ort", "city" },
	{ "land", "country" },
	{ "country", "country" },
	{ "countrycode", "country" },
	{ "nation", "country" },
};

/* Contact fields, bare or after contact prefixes. */
static const struct synonym contact_synonyms[] = {
	{ "firstname", "first_name" },
	{ "first", "first_name" },
	{ "givenname", "first_name" },
	{ "forename", "first_name" },
	{ "fullname", "first_name" },
	{ "lastname", "last_name" },
	{ "last", "last_name" },
	{ "surname", "last_name" },
	{ "familyname", "last_name" },
	{ "email", "email" },
	{ "emailaddress", "email" },
	{ "mail", "email" },
	{ "emailid", "email" },
	{ "vorname", "first_name" },
	{ "nachname", "last_name" },
	{ "phone", "phone" },
	{ "phonenumber", "phone" },
	{ "mobile", "phone" },
	{ "mobilephone", "phone" },
	{ "cell", "phone" },
	{ "workphone", "phone" },
	{ "sendemail", "send_email" },
	{ "addtoinvoices", "send_email" },
	{ "customvalue1", "custom_value1" },
	{ "customvalue2", "custom_value2" },
	{ "customvalue3", "custom_value3" },
	{ "customvalue4", "custom_value4" },
};

static const char *
synonym_find(const struct synonym *t, size_t n, const char *norm)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].norm, norm) == 0)
			return (t[i].field);
	}
	return (NULL);
}

/* The base letters of Latin-1's letters U+00C0-U+00FF ("Straße"). */
static const char *
header_fold(unsigned char b)
{
	static const char *const map[64] = { "a", "a", "a", "a", "a", "a", "ae",
		"c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o",
		"o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
		"i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o",
		"u", "u", "u", "u", "y", "th", "y" };

	return (map[b - 0x80]);
}

void
import_header_norm(const char *s, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const char	    *f;
	size_t		     o = 0;

	for (; *p != '\0' && o + 1 < len; p++) {
		if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
			/* U+00C0-U+00FF: C3 80..BF */
			for (f = header_fold(p[1]); *f != '\0' && o + 1 < len;
			     f++)
				out[o++] = *f;
			p++;
			continue;
		}
		if (*p < 0x80 && isalnum(*p))
			out[o++] = (char)tolower(*p);
	}
	out[o] = '\0';
}

static int
prefixed(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return (0);
	*rest = s + n;
	return (1);
}

/* "contact2email", "primarycontactphone", "email2": slot and field. */
static int
contact_suggest(const char *norm, char *out, size_t len)
{
	static const char *const prefixes[] = { "primarycontact",
		"contactperson", "contact", "person", "" };
	const char		*rest, *f;
	char			 field[64];
	unsigned long		 slot;
	size_t			 i, n;

	for (i = 0; i < CORE_ARRAY_LEN(prefixes); i++) {
		if (!prefixed(norm, prefixes[i], &rest))
			continue;
		slot = 1;
		if (isdigit((unsigned char)*rest)) {
			slot = strtoul(rest, NULL, 10);
			while (isdigit((unsigned char)*rest))
				rest++;
		}
		snprintf(field, sizeof(field), "%s", rest);
		/* A trailing number: "email2", "firstname3". */
		n = strlen(field);
		while (n > 0 && isdigit((unsigned char)field[n - 1]))
			n--;
		if (n < strlen(field) &&
		    synonym_find(contact_synonyms,
			CORE_ARRAY_LEN(contact_synonyms), field) == NULL) {
			slot = strtoul(field + n, NULL, 10);
			field[n] = '\0';
		}
		if (slot < 1 || slot > IMPORT_CONTACTS_MAX)
			continue;
		if ((f = synonym_find(contact_synonyms,
			 CORE_ARRAY_LEN(contact_synonyms), field)) == NULL)
			continue;
		/* Bare "phone" is the client's; "contact phone" a contact's. */
		if (prefixes[i][0] == '\0' && slot == 1 &&
		    strcmp(f, "phone") == 0)
			continue;
		snprintf(out, len, "contact%lu.%s", slot, f);
		return (1);
	}
	return (0);
}

static int
address_suggest(const char *norm, char *out, size_t len)
{
	static const struct {
		const char *prefix;
		const char *object;
	} prefixes[] = {
		{ "shippingaddress", "shipping_address" },
		{ "shipping", "shipping_address" },
		{ "shipto", "shipping_address" },
		{ "delivery", "shipping_address" },
		{ "billingaddress", "address" },
		{ "billing", "address" },
		{ "billto", "address" },
		{ "", "address" },
	};
	const char *rest, *f;
	size_t	    i;

	for (i = 0; i < CORE_ARRAY_LEN(prefixes); i++) {
		if (!prefixed(norm, prefixes[i].prefix, &rest))
			continue;
		if (*rest == '\0' && prefixes[i].prefix[0] != '\0')
			rest = "address";
		if ((f = synonym_find(address_synonyms,
			 CORE_ARRAY_LEN(address_synonyms), rest)) == NULL)
			continue;
		/* "Code" alone is no postal code. */
		if (prefixes[i].prefix[0] == '\0' && strcmp(rest, "code") == 0)
			continue;
		snprintf(out, len, "%s.%s", prefixes[i].object, f);
		return (1);
	}
	return (0);
}

/* The field one header suggests, before duplicates are resolved. */
static int
suggest_one(const char *header, char *out, size_t len)
{
	static const char *const entities[] = { "client", "customer", "company",
		"organization", "organisation", "business", "settings" };
	const char		*f, *rest;
	char			 norm[128];
	size_t			 i;

	struct import_target t;

	/* A field's own name ("settings.date_format", "contact2.email"). */
	if (import_target_parse(header, &t) == 0) {
		snprintf(out, len, "%s", header);
		return (1);
	}
	import_header_norm(header, norm, sizeof(norm));
	if (norm[0] == '\0')
		return (0);
	if ((f = synonym_find(client_synonyms, CORE_ARRAY_LEN(client_synonyms),
		 norm)) != NULL) {
		snprintf(out, len, "%s", f);
		return (1);
	}
	if (contact_suggest(norm, out, len) || address_suggest(norm, out, len))
		return (1);
	/* "Client Website", "Customer City", "settings.currency". */
	for (i = 0; i < CORE_ARRAY_LEN(entities); i++) {
		if (!prefixed(norm, entities[i], &rest) || *rest == '\0')
			continue;
		if ((f = synonym_find(client_synonyms,
			 CORE_ARRAY_LEN(client_synonyms), rest)) != NULL) {
			snprintf(out, len, "%s", f);
			return (1);
		}
		if (address_suggest(rest, out, len))
			return (1);
	}
	return (0);
}

static int
taken(char (*out)[IMPORT_FIELD_NAME_MAX], size_t n, const char *f)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(out[i], f) == 0)
			return (1);
	}
	return (0);
}

void
import_suggest(
    const char *const *headers, size_t n, char (*out)[IMPORT_FIELD_NAME_MAX])
{
	struct import_target t;
	char		     f[IMPORT_FIELD_NAME_MAX];
	unsigned int	     slot;
	size_t		     i;

	for (i = 0; i < n; i++) {
		out[i][0] = '\0';
		if (!suggest_one(headers[i], f, sizeof(f)))
			continue;
		if (!taken(out, i, f)) {
			snprintf(out[i], sizeof(out[i]), "%s", f);
			continue;
		}
		if (import_target_parse(f, &t) != 0)
			continue;
		/* A second "Phone": the first contact's, if free. */
		if (t.kind == IMPORT_CLIENT && strcmp(t.key, "phone") == 0 &&
		    !taken(out, i, "contact1.phone")) {
			snprintf(out[i], sizeof(out[i]), "contact1.phone");
			continue;
		}
		if (t.kind != IMPORT_CONTACT)
			continue;
		/* A second "Email": the next contact's. */
		for (slot = t.contact + 1; slot <= IMPORT_CONTACTS_MAX;
		     slot++) {
			snprintf(f, sizeof(f), "contact%u.%s", slot, t.key);
			if (!taken(out, i, f)) {
				snprintf(out[i], sizeof(out[i]), "%s", f);
				break;
			}
		}
	}
}

void
import_header_key(const char *const *headers, size_t n, char out[65])
{
	struct cbuf b;
	char	    norm[256];
	size_t	    i;

	cbuf_init(&b, 256);
	for (i = 0; i < n; i++) {
		import_header_norm(headers[i], norm, sizeof(norm));
		cbuf_appendf(&b, "%s\x1f", norm);
	}
	crypto_sha256_hex(b.data, b.len, out);
	cbuf_cleanup(&b);
}

/* ---- options and mapping ---------------------------------------------------- */

static const char *const match_names[] = { "number", "id_number", "email",
	"name", NULL };
static const char *const action_names[] = { "skip", "update", "create", NULL };
static const char *const mode_names[] = { "all_or_nothing", "valid_rows",
	NULL };
static const char *const decimal_names[] = { "auto", ".", ",", NULL };

static const struct field_spec option_fields[] = {
	{ "match_key", FIELD_ENUM, 0, 0, match_names, 0, 0 },
	{ "on_match", FIELD_ENUM, 0, 0, action_names, 0, 0 },
	{ "mode", FIELD_ENUM, 0, 0, mode_names, 0, 0 },
	{ "create_groups", FIELD_BOOL, 0, 0, NULL, 0, 0 },
	{ "group_rows", FIELD_BOOL, 0, 0, NULL, 0, 0 },
	{ "decimal_separator", FIELD_ENUM, 0, 0, decimal_names, 0, 0 },
};

void
import_options_default(struct import_options *o)
{
	memset(o, 0, sizeof(*o));
	o->match = IMPORT_MATCH_EMAIL;
	o->action = IMPORT_SKIP;
	o->mode = IMPORT_VALID_ROWS;
	o->create_groups = 1;
	o->group_rows = 1;
	o->decimal = 0;
}

const char *
import_match_name(enum import_match m)
{
	return (match_names[m]);
}

static int
name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], s) == 0)
			return (i);
	}
	return (0);
}

int
import_options_parse(
    json_t *obj, struct import_options *o, struct api_error *err)
{
	json_t *v;

	import_options_default(o);
	if (obj == NULL || json_is_null(obj))
		return (0);
	if (validate_object(obj, option_fields, CORE_ARRAY_LEN(option_fields),
		"options", err) != 0)
		return (CORE_E_INVALID);
	if ((v = json_object_get(obj, "match_key")) != NULL)
		o->match = (enum import_match)name_index(
		    match_names, json_string_value(v));
	if ((v = json_object_get(obj, "on_match")) != NULL)
		o->action = (enum import_action)name_index(
		    action_names, json_string_value(v));
	if ((v = json_object_get(obj, "mode")) != NULL)
		o->mode = (enum import_mode)name_index(
		    mode_names, json_string_value(v));
	if ((v = json_object_get(obj, "create_groups")) != NULL)
		o->create_groups = json_is_true(v);
	if ((v = json_object_get(obj, "group_rows")) != NULL)
		o->group_rows = json_is_true(v);
	if ((v = json_object_get(obj, "decimal_separator")) != NULL)
		o->decimal = (char)(strcmp(json_string_value(v), "auto") == 0
			? 0
			: json_string_value(v)[0]);
	return (0);
}

json_t *
import_options_json(const struct import_options *o)
{
	char dec[2] = { o->decimal, '\0' };

	return (json_pack("{s:s, s:s, s:s, s:b, s:b, s:s}", "match_key",
	    match_names[o->match], "on_match", action_names[o->action], "mode",
	    mode_names[o->mode], "create_groups", o->create_groups,
	    "group_rows", o->group_rows, "decimal_separator",
	    o->decimal == 0 ? "auto" : dec));
}

static int
mapped(const struct import_mapping *m, enum import_kind kind, const char *key,
    unsigned int contact)
{
	size_t i;

	for (i = 0; i < m->ncols; i++) {
		if (m->cols[i].kind == kind &&
		    strcmp(m->cols[i].key, key) == 0 &&
		    m->cols[i].contact == contact)
			return (1);
	}
	return (0);
}

/* The match key needs its field mapped. */
static int
key_mapped(const struct import_mapping *m, const struct import_options *o,
    struct api_error *err)
{
	switch (o->match) {
	case IMPORT_MATCH_NUMBER:
		if (mapped(m, IMPORT_CLIENT, "number", 0))
			return (0);
		break;
	case IMPORT_MATCH_ID_NUMBER:
		if (mapped(m, IMPORT_CLIENT, "id_number", 0))
			return (0);
		break;
	case IMPORT_MATCH_EMAIL:
		if (mapped(m, IMPORT_CONTACT, "email", 1))
			return (0);
		break;
	case IMPORT_MATCH_NAME:
		if (mapped(m, IMPORT_CLIENT, "name", 0) ||
		    mapped(m, IMPORT_CONTACT, "first_name", 1) ||
		    mapped(m, IMPORT_CONTACT, "last_name", 1) ||
		    mapped(m, IMPORT_CONTACT, "email", 1))
			return (0);
		break;
	}
	api_error_add_field(err, "options.match_key", "invalid_value",
	    "match key \"%s\" needs a column mapped to %s",
	    match_names[o->match],
	    o->match == IMPORT_MATCH_NUMBER	     ? "number"
		: o->match == IMPORT_MATCH_ID_NUMBER ? "id_number"
		: o->match == IMPORT_MATCH_EMAIL
		? "contact1.email"
		: "name (or the first contact's name or email)");
	return (-1);
}

int
import_mapping_parse(json_t *arr, size_t ncols, json_t *decimals,
    const struct import_options *o, struct import_mapping *m,
    struct api_error *err)
{
	json_t *v, *d;
	char	name[32], other[IMPORT_FIELD_NAME_MAX];
	size_t	i, j;
	int	bad = 0, any = 0;

	memset(m, 0, sizeof(*m));
	if (!json_is_array(arr) || json_array_size(arr) != ncols) {
		api_error_add_field(err, "mapping", "invalid_value",
		    "field \"mapping\" must be an array of %zu items, one "
		    "field name or null per column",
		    ncols);
		return (CORE_E_INVALID);
	}
	m->ncols = ncols;
	m->cols = mem_calloc(ncols > 0 ? ncols : 1, sizeof(*m->cols));
	m->decimal = mem_calloc(ncols > 0 ? ncols : 1, 1);
	json_array_foreach(arr, i, v)
	{
		snprintf(name, sizeof(name), "mapping[%zu]", i);
		d = json_array_get(decimals, i);
		if (json_is_string(d))
			m->decimal[i] = json_string_value(d)[0];
		if (json_is_null(v))
			continue;
		if (!json_is_string(v) ||
		    import_target_parse(json_string_value(v), &m->cols[i]) !=
			0) {
			api_error_add_field(err, name, "invalid_value",
			    "field \"%s\" names no importable field: %s", name,
			    json_is_string(v) ? json_string_value(v)
					      : "(not a string)");
			memset(&m->cols[i], 0, sizeof(m->cols[i]));
			bad = 1;
			continue;
		}
		any = 1;
		for (j = 0; j < i; j++) {
			if (m->cols[j].kind != m->cols[i].kind ||
			    m->cols[j].kind == IMPORT_NONE ||
			    strcmp(m->cols[j].key, m->cols[i].key) != 0 ||
			    m->cols[j].contact != m->cols[i].contact)
				continue;
			import_target_name(&m->cols[i], other, sizeof(other));
			api_error_add_field(err, name, "duplicate",
			    "field \"%s\" is mapped to column %zu already",
			    other, j + 1);
			bad = 1;
			break;
		}
	}
	if (!bad && !any) {
		api_error_add_field(err, "mapping", "empty",
		    "field \"mapping\" maps no column: map at least a name or "
		    "a contact");
		bad = 1;
	}
	if (!bad && key_mapped(m, o, err) != 0)
		bad = 1;
	if (bad) {
		import_mapping_cleanup(m);
		return (CORE_E_INVALID);
	}
	return (0);
}

void
import_mapping_cleanup(struct import_mapping *m)
{
	free(m->cols);
	free(m->decimal);
	m->cols = NULL;
	m->decimal = NULL;
	m->ncols = 0;
}

/* ---- values -------------------------------------------------------------------- */

/* Bytes of a separator inside a number: space, NBSP, narrow NBSP, thin. */
static size_t
group_space(const unsigned char *p)
{
	if (p[0] == ' ')
		return (1);
	if (p[0] == 0xc2 && p[1] == 0xa0)
		return (2);
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xaf || p[2] == 0x89))
		return (3);
	return (0);
}

/* U+2212 MINUS SIGN. */
static int
unicode_minus(const unsigned char *p)
{
	return (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92);
}

/*
 * What may surround an amount: signs, parentheses, white space, letters
 * (a currency code, "kr", "Fr.") and currency symbols (anything outside
 * ASCII that is not a digit). Counts signs and parentheses. Returns the
 * bytes of one such thing at p, 0 for anything else.
 */
static size_t
affix(const unsigned char *p, int *minus, int *open, int *close)
{
	size_t n;

	if (*p == '-' || *p == '+') {
		*minus += *p == '-';
		return (1);
	}
	if (unicode_minus(p)) {
		(*minus)++;
		return (3);
	}
	if (*p == '(' || *p == ')') {
		*(*p == '(' ? open : close) += 1;
		return (1);
	}
	if ((n = group_space(p)) > 0)
		return (n);
	if (*p == '\t' || *p == '$' || isalpha(*p) || *p == '.')
		return (1);
	if (*p >= 0x80) {
		for (n = 1; (p[n] & 0xc0) == 0x80; n++)
			;
		return (n);
	}
	return (0);
}

static void
reason(char *why, size_t len, const char *s)
{
	if (why != NULL && len > 0)
		snprintf(why, len, "%s", s);
}

/* Which of '.' and ',' is the decimal separator of the digits run. */
static char
decide_decimal(const char *run, size_t n, char hint)
{
	const char *dot, *comma, *last;
	size_t	    ndot = 0, ncomma = 0, i, after;

	dot = comma = NULL;
	for (i = 0; i < n; i++) {
		if (run[i] == '.') {
			ndot++;
			dot = run + i;
		} else if (run[i] == ',') {
			ncomma++;
			comma = run + i;
		}
	}
	if (ndot > 0 && ncomma > 0)
		return ((char)(dot > comma ? '.' : ','));
	if (ndot == 0 && ncomma == 0)
		return ('.');
	if (hint == '.' || hint == ',')
		return (hint);
	if (ndot > 1)
		return (',');
	if (ncomma > 1)
		return ('.');
	last = ndot == 1 ? dot : comma;
	for (after = 0; last + 1 + after < run + n &&
	     isdigit((unsigned char)last[1 + after]);
	     after++)
		;
	if (after == 3 && ncomma == 1)
		return ('.'); /* "1,142": thousands */
	return (*last);
}

int
import_amount_parse(const char *s, char decimal, char *out, size_t outlen,
    char *why, size_t whylen)
{
	const unsigned char *p = (const unsigned char *)s, *start, *end;
	char		     digits[64], dec;
	size_t		     n, nd = 0, intd = 0, fracd = 0;
	int		     minus = 0, open = 0, close = 0, seen_dec = 0;

	/* Prefix: up to the first digit (or a point followed by one). */
	while (*p != '\0' && !isdigit(*p)) {
		if ((*p == '.' || *p == ',') && isdigit(p[1]))
			break;
		if ((n = affix(p, &minus, &open, &close)) == 0) {
			reason(why, whylen, "is not an amount");
			return (CORE_E_INVALID);
		}
		p += n;
	}
	if (*p == '\0') {
		reason(why, whylen, "has no digits");
		return (CORE_E_INVALID);
	}
	/* The run: digits and separators, spaces only between digits. */
	start = p;
	while (*p != '\0') {
		if (isdigit(*p) || *p == '.' || *p == ',' || *p == '\'') {
			p++;
			continue;
		}
		if ((n = group_space(p)) > 0 && p > start && isdigit(p[-1]) &&
		    isdigit(p[n])) {
			p += n;
			continue;
		}
		break;
	}
	end = p;
	/* "42.-": no cents, not a minus. */
	if (end[0] == '-' && end[1] == '\0' && end > start && end[-1] == '.')
		p++;
	while (*p != '\0') {
		/* A single letter after a number is a typo, not a currency. */
		if (isalpha(*p) && (p[1] == '\0' || !isalpha(p[1])) &&
		    (p == start || !isalpha(p[-1]))) {
			reason(why, whylen, "is not an amount");
			return (CORE_E_INVALID);
		}
		if (isdigit(*p) || (n = affix(p, &minus, &open, &close)) == 0) {
			reason(why, whylen, "is not an amount");
			return (CORE_E_INVALID);
		}
		p += n;
	}
	if (minus > 1 || open != close || open > 1 || (open && minus)) {
		reason(why, whylen, "has more than one sign");
		return (CORE_E_INVALID);
	}
	dec =
	    decide_decimal((const char *)start, (size_t)(end - start), decimal);
	if (open || minus)
		digits[nd++] = '-';
	for (p = start; p < end; p++) {
		if (*p == (unsigned char)dec) {
			if (seen_dec++) {
				reason(why, whylen,
				    "has more than one decimal separator");
				return (CORE_E_INVALID);
			}
			if (nd == 0 || !isdigit((unsigned char)digits[nd - 1]))
				digits[nd++] = '0';
			digits[nd++] = '.';
			continue;
		}
		if (!isdigit(*p))
			continue; /* a thousands separator */
		if (seen_dec)
			fracd++;
		else if (intd > 0 || *p != '0')
			intd++;
		else
			continue; /* a leading zero */
		if (nd + 2 >= sizeof(digits)) {
			reason(why, whylen, "has too many digits");
			return (CORE_E_INVALID);
		}
		digits[nd++] = (char)*p;
	}
	if (!seen_dec && intd == 0)
		digits[nd++] = '0'; /* "0", "000" */
	if (seen_dec && fracd == 0)
		nd--; /* "42." */
	digits[nd] = '\0';
	if (intd > VALIDATE_INT_DIGITS) {
		reason(why, whylen, "is too large");
		return (CORE_E_INVALID);
	}
	if (fracd > VALIDATE_FRACTION_MAX) {
		reason(why, whylen, "has more than 6 decimals");
		return (CORE_E_INVALID);
	}
	if (digits[0] == '-' && strspn(digits + 1, "0.") == strlen(digits + 1))
		memmove(digits, digits + 1, strlen(digits)); /* -0 is 0 */
	if (strlen(digits) + 1 > outlen) {
		reason(why, whylen, "is too long");
		return (CORE_E_INVALID);
	}
	snprintf(out, outlen, "%s", digits);
	return (0);
}

/* A value's vote for its column's decimal separator, when it has one. */
void
import_decimal_sniff(struct import_decimal_stats *st, const char *s)
{
	const char *dot = strrchr(s, '.'), *comma = strrchr(s, ',');
	const char *last;
	size_t	    after = 0;

	if (dot == NULL && comma == NULL)
		return;
	if (strchr(s, '@') != NULL || strlen(s) > 40)
		return;
	if (dot != NULL && comma != NULL) {
		if (dot > comma)
			st->dot++;
		else
			st->comma++;
		return;
	}
	last = dot != NULL ? dot : comma;
	if (strchr(s, *last) != last)
		return; /* twice: thousands, but which is the decimal? */
	while (isdigit((unsigned char)last[1 + after]))
		after++;
	if (after == 0 || after == 3 || last == s ||
	    !isdigit((unsigned char)last[-1]))
		return;
	if (*last == '.')
		st->dot++;
	else
		st->comma++;
}

char
import_decimal_guess(const struct import_decimal_stats *st)
{
	if (st->comma > st->dot)
		return (',');
	if (st->dot > st->comma)
		return ('.');
	return (0);
}

int
import_bool_parse(const char *s)
{
	static const char *const yes[] = { "true", "yes", "y", "1", "on", "x",
		"ja", "oui", "si", "t", NULL };
	static const char *const no[] = { "false", "no", "n", "0", "off",
		"nein", "non", "f", "", NULL };
	char			 v[16];
	size_t			 i;

	snprintf(v, sizeof(v), "%s", s);
	for (i = 0; v[i] != '\0'; i++)
		v[i] = (char)tolower((unsigned char)v[i]);
	for (i = 0; yes[i] != NULL; i++) {
		if (strcmp(yes[i], v) == 0)
			return (1);
	}
	for (i = 0; no[i] != NULL; i++) {
		if (strcmp(no[i], v) == 0)
			return (0);
	}
	return (-1);
}

const char *
import_cell_text(const char *s)
{
	if (s[0] == '\'' && s[1] != '\0' && strchr("=+-@\t\r", s[1]) != NULL)
		return (s + 1);
	return (s);
}

/* ---- rows ------------------------------------------------------------------------ */

void
import_group_init(struct import_group *g, const struct import_mapping *map,
    const struct import_options *opt)
{
	memset(g, 0, sizeof(*g));
	g->map = map;
	g->opt = opt;
	g->cells = json_array();
	g->body = json_object();
	g->errors = json_array();
}

void
import_group_cleanup(struct import_group *g)
{
	json_decref(g->cells);
	json_decref(g->body);
	json_decref(g->errors);
	if (g->settings != NULL)
		json_decref(g->settings);
	g->cells = g->body = g->errors = g->settings = NULL;
}

void
import_group_reset(struct import_group *g)
{
	const struct import_mapping *map = g->map;
	const struct import_options *opt = g->opt;

	import_group_cleanup(g);
	import_group_init(g, map, opt);
}

/* Cell col of group row r, as the text it stands for ("" when missing). */
static const char *
cell(const struct import_group *g, size_t r, size_t col)
{
	json_t *v = json_array_get(json_array_get(g->cells, r), col);

	return (
	    json_is_string(v) ? import_cell_text(json_string_value(v)) : "");
}

static size_t
column_of(const struct import_mapping *m, enum import_kind kind,
    const char *key, unsigned int contact)
{
	size_t i;

	for (i = 0; i < m->ncols; i++) {
		if (m->cols[i].kind == kind &&
		    strcmp(m->cols[i].key, key) == 0 &&
		    m->cols[i].contact == contact)
			return (i);
	}
	return ((size_t)-1);
}

/* Lower-case ASCII without white space: how consecutive rows compare. */
static void
squash(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < len; s++) {
		if (!isspace((unsigned char)*s))
			out[o++] = (char)tolower((unsigned char)*s);
	}
	out[o] = '\0';
}

/* The row's client: its number, else its id number, else its name. */
static void
row_identity(const struct import_mapping *m, const struct csv_read_record *rec,
    char *out, size_t len)
{
	static const char *const keys[] = { "number", "id_number", "name" };
	size_t			 i, c;

	out[0] = '\0';
	for (i = 0; i < CORE_ARRAY_LEN(keys); i++) {
		c = column_of(m, IMPORT_CLIENT, keys[i], 0);
		if (c < rec->n && rec->fields[c].len > 0) {
			squash(import_cell_text(rec->fields[c].s), out, len);
			if (out[0] != '\0')
				return;
		}
	}
}

/* Whether two cells of column c say the same (identities squashed). */
static int
same_value(const struct import_target *t, const char *a, const char *b)
{
	char sa[IMPORT_KEY_MAX], sb[IMPORT_KEY_MAX];

	if (t->kind == IMPORT_CLIENT &&
	    (strcmp(t->key, "number") == 0 ||
		strcmp(t->key, "id_number") == 0 ||
		strcmp(t->key, "name") == 0)) {
		squash(a, sa, sizeof(sa));
		squash(b, sb, sizeof(sb));
		return (strcmp(sa, sb) == 0);
	}
	return (strcmp(a, b) == 0);
}

/* Whether rec agrees with the group on every field of the client. */
static int
row_agrees(const struct import_group *g, const struct csv_read_record *rec)
{
	const char *v, *have;
	size_t	    c, r;

	for (c = 0; c < g->map->ncols && c < rec->n; c++) {
		if (g->map->cols[c].kind == IMPORT_NONE ||
		    g->map->cols[c].kind == IMPORT_CONTACT)
			continue;
		v = import_cell_text(rec->fields[c].s);
		if (v[0] == '\0')
			continue;
		for (r = 0; r < g->nrows; r++) {
			have = cell(g, r, c);
			if (have[0] != '\0') {
				if (!same_value(&g->map->cols[c], have, v))
					return (0);
				break;
			}
		}
	}
	return (1);
}

int
import_group_add(struct import_group *g, const struct csv_read_record *rec)
{
	json_t *row;
	char	id[IMPORT_KEY_MAX];
	size_t	i, bytes = 0;

	for (i = 0; i < rec->n; i++)
		bytes += rec->fields[i].len;
	row_identity(g->map, rec, id, sizeof(id));
	if (g->nrows > 0 &&
	    (!g->opt->group_rows || id[0] == '\0' ||
		strcmp(id, g->identity) != 0 ||
		g->nrows == IMPORT_CONTACTS_MAX ||
		g->bytes + bytes > IMPORT_GROUP_BYTES || !row_agrees(g, rec)))
		return (1);
	if (g->nrows == 0)
		snprintf(g->identity, sizeof(g->identity), "%s", id);
	row = json_array();
	for (i = 0; i < rec->n; i++)
		json_array_append_new(row,
		    json_stringn_nocheck(rec->fields[i].s, rec->fields[i].len));
	json_array_append_new(g->cells, row);
	g->pos[g->nrows].row = rec->row;
	g->pos[g->nrows].line = rec->line;
	g->nrows++;
	g->bytes += bytes;
	return (0);
}

json_t *
import_group_row_cells(const struct import_group *g, size_t r)
{
	return (json_array_get(g->cells, r));
}

/* ---- pinning problems to cells ---------------------------------------------- */

/* The first group row with a value in column col (0 when none has). */
static size_t
first_row_with(const struct import_group *g, size_t col)
{
	size_t r;

	for (r = 0; r < g->nrows; r++) {
		if (cell(g, r, col)[0] != '\0')
			return (r);
	}
	return (0);
}

/* The row (in the group) and column (or -1) a field's value came from. */
static void
locate(
    const struct import_group *g, const char *field, size_t *row, size_t *col)
{
	struct import_target t;
	const char	    *dot;
	char		     name[IMPORT_FIELD_NAME_MAX];
	unsigned long	     k;

	*row = 0;
	*col = (size_t)-1;
	if (field == NULL)
		return;
	if (strcmp(field, "email") == 0 || strcmp(field, "contacts") == 0)
		field = "contacts[0].email";
	if (strcmp(field, "kind") == 0 || strcmp(field, "amount") == 0)
		field = "opening_balance";
	if (strncmp(field, "contacts[", 9) == 0) {
		k = strtoul(field + 9, NULL, 10);
		if (k >= g->ncontacts)
			return;
		*row = g->contact_src[k].row;
		if ((dot = strchr(field, '.')) == NULL)
			return;
		snprintf(name, sizeof(name), "contact%u.%s",
		    g->contact_src[k].slot, dot + 1);
	} else {
		snprintf(name, sizeof(name), "%s", field);
	}
	if (import_target_parse(name, &t) != 0)
		return;
	*col = column_of(g->map, t.kind, t.key, t.contact);
	if (*col != (size_t)-1 && strncmp(field, "contacts[", 9) != 0)
		*row = first_row_with(g, *col);
}

void
import_group_error(struct import_group *g, const char *field, const char *code,
    const char *message)
{
	size_t row, col;

	locate(g, field, &row, &col);
	json_array_append_new(g->errors,
	    json_pack("{s:I, s:I, s:o, s:o, s:o, s:s, s:s}", "row",
		(json_int_t)g->pos[row].row, "line",
		(json_int_t)g->pos[row].line, "column",
		col == (size_t)-1 ? json_null()
				  : json_integer((json_int_t)col + 1),
		"field", field != NULL ? json_string(field) : json_null(),
		"value",
		col == (size_t)-1 ? json_null()
				  : json_string(cell(g, row, col)),
		"code", code != NULL ? code : "invalid_value", "message",
		message));
}

/* A conversion problem of cell (r, col): message names field and value. */
static void
cell_error(struct import_group *g, size_t r, size_t col, const char *field,
    const char *msg)
{
	json_array_append_new(g->errors,
	    json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "row",
		(json_int_t)g->pos[r].row, "line", (json_int_t)g->pos[r].line,
		"column", (json_int_t)col + 1, "field", field, "value",
		cell(g, r, col), "code", "invalid_value", "message", msg));
}

/* ---- converting and checking ------------------------------------------------------ */

/* Language names people write instead of codes. */
static const struct synonym language_names[] = {
	{ "english", "en" },
	{ "german", "de" },
	{ "deutsch", "de" },
	{ "french", "fr" },
	{ "francais", "fr" },
	{ "spanish", "es" },
	{ "espanol", "es" },
	{ "italian", "it" },
	{ "italiano", "it" },
	{ "dutch", "nl" },
	{ "nederlands", "nl" },
	{ "portuguese", "pt" },
	{ "portugues", "pt" },
	{ "swedish", "sv" },
	{ "danish", "da" },
	{ "norwegian", "nb" },
	{ "finnish", "fi" },
	{ "polish", "pl" },
	{ "czech", "cs" },
	{ "japanese", "ja" },
	{ "chinese", "zh" },
};

/* "Net 30", "30 days", "30": 30; "Due on receipt": 0; else -1. */
static long
int_with_words(const char *s)
{
	static const char *const zero[] = { "dueonreceipt", "uponreceipt",
		"onreceipt", "immediately", "dueimmediately", NULL };
	char			 norm[64];
	const char		*p;
	long			 v = -1;
	size_t			 i;

	import_header_norm(s, norm, sizeof(norm));
	for (i = 0; zero[i] != NULL; i++) {
		if (strcmp(norm, zero[i]) == 0)
			return (0);
	}
	for (p = s; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (v >= 0)
				return (-1); /* a second number */
			for (v = 0; isdigit((unsigned char)*p) && v < 1000000;
			     p++)
				v = v * 10 + (*p - '0');
			if (isdigit((unsigned char)*p))
				return (-1);
			if (*p == '\0')
				break;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != ' ')
			return (-1);
	}
	return (v);
}

/* A setting's value from cell text; NULL (and *msg) when it cannot be. */
static json_t *
setting_value(const struct import_group *g, size_t col,
    const struct setting_def *d, const char *v, char *msg, size_t msglen)
{
	json_t	   *list;
	const char *p;
	char	    buf[64], why[80], amount[IMPORT_AMOUNT_MAX];
	long	    n;
	int	    b;
	size_t	    i;

	switch (d->type) {
	case SETTING_BOOL:
		if ((b = import_bool_parse(v)) < 0) {
			snprintf(msg, msglen,
			    "setting \"%s\" must be yes or no (true or "
			    "false), not \"%s\"",
			    d->key, v);
			return (NULL);
		}
		return (json_boolean(b));
	case SETTING_INT:
		if ((n = int_with_words(v)) < 0) {
			snprintf(msg, msglen,
			    "setting \"%s\" must be a whole number, not "
			    "\"%s\"",
			    d->key, v);
			return (NULL);
		}
		return (json_integer(n));
	case SETTING_INT_LIST:
		list = json_array();
		for (p = v; *p != '\0';) {
			if (!isdigit((unsigned char)*p)) {
				if (strchr(",; []", *p) == NULL) {
					json_decref(list);
					snprintf(msg, msglen,
					    "setting \"%s\" must be whole "
					    "numbers separated by commas, not "
					    "\"%s\"",
					    d->key, v);
					return (NULL);
				}
				p++;
				continue;
			}
			for (n = 0; isdigit((unsigned char)*p) && n < 100000;
			     p++)
				n = n * 10 + (*p - '0');
			json_array_append_new(list, json_integer(n));
		}
		return (list);
	case SETTING_DECIMAL:
		if (import_amount_parse(v,
			(char)(g->opt->decimal ? g->opt->decimal
					       : g->map->decimal[col]),
			amount, sizeof(amount), why, sizeof(why)) != 0) {
			snprintf(msg, msglen, "setting \"%s\" %s: \"%s\"",
			    d->key, why, v);
			return (NULL);
		}
		return (json_string(amount));
	case SETTING_CURRENCY:
		if (strcmp(v, "\xe2\x82\xac") == 0)
			return (json_string("EUR"));
		if (strcmp(v, "\xc2\xa3") == 0)
			return (json_string("GBP"));
		snprintf(buf, sizeof(buf), "%s", v);
		for (i = 0; buf[i] != '\0'; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
		return (json_string(buf));
	case SETTING_LANGUAGE:
		import_header_norm(v, buf, sizeof(buf));
		if ((p = synonym_find(language_names,
			 CORE_ARRAY_LEN(language_names), buf)) != NULL)
			return (json_string(p));
		snprintf(buf, sizeof(buf), "%s", v);
		for (i = 0; buf[i] != '\0' && buf[i] != '-' && buf[i] != '_';
		     i++)
			buf[i] = (char)tolower((unsigned char)buf[i]);
		if (buf[i] == '_')
			buf[i] = '-';
		return (json_string(buf));
	case SETTING_COUNTRY:
		if (countries_alpha2(v, buf) == 0)
			return (json_string(buf));
		return (json_string(v));
	default:
		return (json_string(v));
	}
}

/* The contact object of group row r, slot s (created on first use). */
static json_t *
contact_for(json_t *contacts, size_t *nslots, size_t r, unsigned int s,
    struct import_group *g)
{
	size_t i;

	for (i = 0; i < *nslots; i++) {
		if (g->contact_src[i].row == r && g->contact_src[i].slot == s)
			return (json_array_get(contacts, i));
	}
	if (*nslots == IMPORT_CONTACTS_MAX)
		return (NULL);
	g->contact_src[*nslots].row = r;
	g->contact_src[*nslots].slot = s;
	(*nslots)++;
	json_array_append_new(contacts, json_object());
	return (json_array_get(contacts, *nslots - 1));
}

static json_t *
object_at(json_t *body, const char *key)
{
	json_t *o;

	if ((o = json_object_get(body, key)) == NULL) {
		o = json_object();
		json_object_set_new(body, key, o);
	}
	return (o);
}

/* One client-level cell (the first row's value) into the body. */
static void
put_client_value(struct import_group *g, size_t r, size_t col)
{
	const struct import_target *t = &g->map->cols[col];
	const char		   *v = cell(g, r, col);
	json_t			   *sv;
	char			    name[IMPORT_FIELD_NAME_MAX], msg[400];
	char			    why[80], code[3];

	import_target_name(t, name, sizeof(name));
	switch (t->kind) {
	case IMPORT_CLIENT:
		json_object_set_new(g->body, t->key, json_string(v));
		break;
	case IMPORT_ADDRESS:
	case IMPORT_SHIPPING:
		if (strcmp(t->key, "country") == 0 &&
		    countries_alpha2(v, code) == 0)
			v = code;
		json_object_set_new(
		    object_at(g->body,
			t->kind == IMPORT_ADDRESS ? "address"
						  : "shipping_address"),
		    t->key, json_string(v));
		break;
	case IMPORT_GROUP:
		if (utf8_length(v) > 100 || validate_has_control(v, 0)) {
			snprintf(msg, sizeof(msg),
			    "field \"group\" must be a group name of at most "
			    "100 characters, not \"%s\"",
			    v);
			cell_error(g, r, col, "group", msg);
			break;
		}
		snprintf(g->group_name, sizeof(g->group_name), "%s", v);
		break;
	case IMPORT_BALANCE:
		if (import_amount_parse(v,
			(char)(g->opt->decimal ? g->opt->decimal
					       : g->map->decimal[col]),
			g->opening, sizeof(g->opening), why,
			sizeof(why)) != 0) {
			g->opening[0] = '\0';
			snprintf(msg, sizeof(msg),
			    "field \"opening_balance\" %s: \"%s\"", why, v);
			cell_error(g, r, col, "opening_balance", msg);
		} else if (strspn(g->opening, "0.") == strlen(g->opening)) {
			g->opening[0] = '\0'; /* zero: no opening balance */
		}
		break;
	case IMPORT_SETTING:
		if ((sv = setting_value(
			 g, col, t->setting, v, msg, sizeof(msg))) == NULL) {
			cell_error(g, r, col, name, msg);
			break;
		}
		if (g->settings == NULL)
			g->settings = json_object();
		json_object_set_new(g->settings, t->key, sv);
		break;
	default:
		break;
	}
}

/* The contacts of every row, slot by slot; empty ones left out. */
static void
build_contacts(struct import_group *g)
{
	const struct import_target *t;
	json_t			   *contacts, *c, *kept;
	const char		   *v;
	char			    name[IMPORT_FIELD_NAME_MAX], msg[400];
	size_t			    r, col, n = 0, i, j;
	int			    b, dup, over = 0;

	contacts = json_array();
	for (r = 0; r < g->nrows; r++) {
		for (col = 0; col < g->map->ncols; col++) {
			t = &g->map->cols[col];
			v = cell(g, r, col);
			if (t->kind != IMPORT_CONTACT || v[0] == '\0')
				continue;
			if ((c = contact_for(contacts, &n, r, t->contact, g)) ==
			    NULL) {
				if (!over++)
					cell_error(g, r, col, "contacts",
					    "a client has more than 50 "
					    "contacts");
				continue;
			}
			if (strcmp(t->key, "send_email") != 0) {
				json_object_set_new(c, t->key, json_string(v));
				continue;
			}
			if ((b = import_bool_parse(v)) < 0) {
				import_target_name(t, name, sizeof(name));
				snprintf(msg, sizeof(msg),
				    "field \"%s\" must be yes or no (true or "
				    "false), not \"%s\"",
				    name, v);
				cell_error(g, r, col, name, msg);
				continue;
			}
			json_object_set_new(c, t->key, json_boolean(b));
		}
	}
	/* The same person twice (a client's rows repeating a contact). */
	kept = json_array();
	for (i = 0, j = 0; i < n; i++) {
		c = json_array_get(contacts, i);
		for (dup = 0, b = 0; (size_t)b < json_array_size(kept); b++)
			dup |= json_equal(c, json_array_get(kept, (size_t)b));
		if (dup)
			continue;
		g->contact_src[j++] = g->contact_src[i];
		json_array_append(kept, c);
	}
	g->ncontacts = j;
	json_decref(contacts);
	if (j > 0)
		json_object_set_new(g->body, "contacts", kept);
	else
		json_decref(kept);
}

/* Field errors of a validation, pinned to their cells. */
static void
take_errors(struct import_group *g, struct api_error *err)
{
	json_t *e;
	size_t	i;

	json_array_foreach(err->errors, i, e)
	{
		import_group_error(g,
		    json_string_value(json_object_get(e, "field")),
		    json_string_value(json_object_get(e, "code")),
		    json_string_value(json_object_get(e, "message")));
	}
}

int
import_group_check(struct import_group *g)
{
	struct api_error err;
	size_t		 col, r;

	for (col = 0; col < g->map->ncols; col++) {
		if (g->map->cols[col].kind == IMPORT_NONE ||
		    g->map->cols[col].kind == IMPORT_CONTACT)
			continue;
		r = first_row_with(g, col);
		if (cell(g, r, col)[0] != '\0')
			put_client_value(g, r, col);
	}
	build_contacts(g);
	api_error_init(&err, API_ERR_VALIDATION);
	if (clients_validate(g->body, 1, &err) != 0)
		take_errors(g, &err);
	api_error_cleanup(&err);
	if (g->settings != NULL) {
		api_error_init(&err, API_ERR_VALIDATION);
		if (settings_validate_patch(
			g->settings, LEVEL_CLIENT, "settings", &err) != 0)
			take_errors(g, &err);
		api_error_cleanup(&err);
	}
	return ((int)json_array_size(g->errors));
}

void
import_group_key(const struct import_group *g, char *out, size_t len)
{
	json_t *c0 = json_array_get(json_object_get(g->body, "contacts"), 0);
	const char *v = NULL, *first, *last;

	out[0] = '\0';
	switch (g->opt->match) {
	case IMPORT_MATCH_NUMBER:
		v = json_string_value(json_object_get(g->body, "number"));
		break;
	case IMPORT_MATCH_ID_NUMBER:
		v = json_string_value(json_object_get(g->body, "id_number"));
		break;
	case IMPORT_MATCH_EMAIL:
		v = json_string_value(json_object_get(c0, "email"));
		break;
	case IMPORT_MATCH_NAME:
		v = json_string_value(json_object_get(g->body, "name"));
		if (v != NULL && v[0] != '\0')
			break;
		first = json_string_value(json_object_get(c0, "first_name"));
		last = json_string_value(json_object_get(c0, "last_name"));
		if (first != NULL || last != NULL) {
			snprintf(out, len, "%s%s%s", first ? first : "",
			    first && last ? " " : "", last ? last : "");
			return;
		}
		v = json_string_value(json_object_get(c0, "email"));
		break;
	}
	snprintf(out, len, "%s", v != NULL ? v : "");
}
