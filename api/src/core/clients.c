/*
 * Client rules that need no database: the JSON a client may be written
 * with (its contacts array through core/contacts.c), and the list
 * parameters (status, q, updated_since, group, balance comparisons, sort)
 * with the predicates they add.
 *
 * Rules that need the stored state (number uniqueness, a primary always
 * existing, someone receiving email) are enforced by the SQL functions in
 * sql/functions/clients.sql and contacts.sql; this file rejects what can
 * be rejected early, with every field named.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/core.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/utf8.h"
#include "core/validate.h"

/* null clears a line, as openapi's AddressWrite allows (SQL stores ""). */
static const struct field_spec address_fields[] = {
	{ "address1", FIELD_STRING, FIELD_NULLABLE, 200, NULL, 0, 0 },
	{ "address2", FIELD_STRING, FIELD_NULLABLE, 200, NULL, 0, 0 },
	{ "city", FIELD_STRING, FIELD_NULLABLE, 100, NULL, 0, 0 },
	{ "state", FIELD_STRING, FIELD_NULLABLE, 100, NULL, 0, 0 },
	{ "postal_code", FIELD_STRING, FIELD_NULLABLE, 32, NULL, 0, 0 },
	{ "country", FIELD_COUNTRY, FIELD_NULLABLE, 0, NULL, 0, 0 },
};

static const struct field_spec client_fields[] = {
	{ "number", FIELD_STRING, FIELD_NULLABLE, 64, NULL, 0, 0 },
	{ "name", FIELD_STRING, FIELD_NULLABLE, 200, NULL, 0, 0 },
	{ "website", FIELD_URL, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "phone", FIELD_PHONE, FIELD_NULLABLE, 64, NULL, 0, 0 },
	{ "vat_number", FIELD_STRING, FIELD_NULLABLE, 64, NULL, 0, 0 },
	{ "id_number", FIELD_STRING, FIELD_NULLABLE, 64, NULL, 0, 0 },
	{ "address", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
	{ "shipping_address", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
	{ "public_notes", FIELD_TEXT, FIELD_NULLABLE, 10000, NULL, 0, 0 },
	{ "private_notes", FIELD_TEXT, FIELD_NULLABLE, 10000, NULL, 0, 0 },
	{ "custom_value1", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value2", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value3", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value4", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "group", FIELD_ID, FIELD_NULLABLE, 0, NULL, 0, 0 },
	{ "assigned_user", FIELD_ID, FIELD_NULLABLE, 0, NULL, 0, 0 },
	{ "contacts", FIELD_ARRAY, 0, CONTACTS_MAX, NULL, 0, 0 },
};

static int
validate_address(json_t *body, const char *key, struct api_error *err)
{
	json_t *a;

	if ((a = json_object_get(body, key)) == NULL || !json_is_object(a))
		return (0);
	return (validate_object(
	    a, address_fields, CORE_ARRAY_LEN(address_fields), key, err));
}

/*
 * A client body for create (creating) or update. Every problem becomes a
 * field error in err. Returns 0 when the body may be handed to SQL.
 */
int
clients_validate(json_t *body, int creating, struct api_error *err)
{
	json_t *contacts;
	int	bad = 0;

	if (validate_object(body, client_fields, CORE_ARRAY_LEN(client_fields),
		NULL, err) != 0)
		bad = 1;
	if (validate_address(body, "address", err) != 0 ||
	    validate_address(body, "shipping_address", err) != 0)
		bad = 1;
	contacts = json_object_get(body, "contacts");
	if (json_is_array(contacts) &&
	    contacts_validate_list(contacts, err) != 0)
		bad = 1;
	if (!creating && json_object_size(body) == 0) {
		api_error_add_field(err, "body", "empty",
		    "request body must change at least one field");
		bad = 1;
	}
	return (bad ? CORE_E_INVALID : 0);
}

/* ---- lists ------------------------------------------------------------ */

static const struct client_sort client_sorts[] = {
	{ "created_at", CLIENT_SORT_CREATED, "c.created_at", "timestamptz" },
	{ "updated_at", CLIENT_SORT_UPDATED, "c.updated_at", "timestamptz" },
	{ "name", CLIENT_SORT_NAME, "lower(c.display_name)", "text" },
	{ "number", CLIENT_SORT_NUMBER, "c.number", "text" },
	{ "balance", CLIENT_SORT_BALANCE, "c.balance", "numeric" },
};

/*
 * The optional filters of GET /clients: the value (in struct client_list,
 * "" when not given) and the predicate that uses it, by name. Status, q
 * and the caller's scope are not optional: the handler writes them.
 */
static const struct {
	size_t	    offset;
	const char *name;
	const char *sql;
} client_filters[] = {
	{ offsetof(struct client_list, updated_since), "updated_since",
	    "AND c.updated_at >= :updated_since::timestamptz " },
	{ offsetof(struct client_list, group), "group",
	    "AND c.group_id = (SELECT g.id FROM client_groups g "
	    "WHERE g.public_id = :group AND g.company_id = app_company_id()) " },
	{ offsetof(struct client_list, no_group), "no_group",
	    "AND c.group_id IS NULL AND :no_group::boolean " },
	{ offsetof(struct client_list, balance[0]), "balance_gt",
	    "AND c.balance > :balance_gt::numeric " },
	{ offsetof(struct client_list, balance[1]), "balance_gte",
	    "AND c.balance >= :balance_gte::numeric " },
	{ offsetof(struct client_list, balance[2]), "balance_lt",
	    "AND c.balance < :balance_lt::numeric " },
	{ offsetof(struct client_list, balance[3]), "balance_lte",
	    "AND c.balance <= :balance_lte::numeric " },
	{ offsetof(struct client_list, balance[4]), "balance_eq",
	    "AND c.balance = :balance_eq::numeric " },
};

static const char *
filter_value(const struct client_list *l, size_t i)
{
	return ((const char *)l + client_filters[i].offset);
}

void
clients_list_where(const struct client_list *l, struct stmt *st)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(client_filters); i++) {
		if (filter_value(l, i)[0] == '\0')
			continue;
		stmt_append(st, client_filters[i].sql);
		stmt_bind(st, client_filters[i].name, filter_value(l, i));
	}
}

/* Whether any optional filter is given (q is not one of them). */
int
clients_list_filtered(const struct client_list *l)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(client_filters); i++) {
		if (filter_value(l, i)[0] != '\0')
			return (1);
	}
	return (0);
}

static const char *const statuses[] = { "active", "archived", "deleted", NULL };

const struct client_sort *
clients_sort_find(const char *name)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(client_sorts); i++) {
		if (strcmp(client_sorts[i].name, name) == 0)
			return (&client_sorts[i]);
	}
	return (NULL);
}

/* status=active,archived or status=active&status=archived. */
static int
parse_status(const struct qs *qs, struct client_list *l, struct api_error *err)
{
	char   buf[QS_MAX_VALUE + 1], *p, *tok;
	size_t i, k;
	int    seen[3] = { 0, 0, 0 };

	if (qs_count(qs, "status") == 0) {
		seen[0] = 1;
	}
	for (i = 0; i < qs->n; i++) {
		if (strcmp(qs->pairs[i].name, "status") != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s", qs->pairs[i].value);
		for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
			for (k = 0; statuses[k] != NULL; k++) {
				if (strcmp(statuses[k], tok) == 0)
					break;
			}
			if (statuses[k] == NULL)
				return (qs_bad_param(err, "status",
				    "query parameter \"status\" has an unknown "
				    "status: \"%s\"",
				    tok));
			seen[k] = 1;
		}
	}
	snprintf(l->statuses, sizeof(l->statuses), "{%s%s%s%s%s}",
	    seen[0] ? "active" : "", seen[0] && (seen[1] || seen[2]) ? "," : "",
	    seen[1] ? "archived" : "", seen[1] && seen[2] ? "," : "",
	    seen[2] ? "deleted" : "");
	return (0);
}

/*
 * The LIKE pattern that finds q anywhere: q without surrounding spaces,
 * with %, _ and \ escaped, in %...%. out is "" when q is blank. Returns
 * CORE_E_TOOBIG when q has more than CLIENT_Q_MAX characters.
 */
int
clients_like_pattern(const char *q, char *out, size_t len)
{
	const char *p;
	size_t	    o = 0, n;

	if (len < CLIENT_Q_MAX * 8 + 8)
		core_fatal("clients_like_pattern: buffer too small");
	out[0] = '\0';
	while (*q == ' ')
		q++;
	for (n = strlen(q); n > 0 && q[n - 1] == ' '; n--)
		;
	if (n == 0)
		return (0);
	if (n > (size_t)CLIENT_Q_MAX * 4 || !utf8_valid(q, n) ||
	    utf8_length(q) - (strlen(q) - n) > CLIENT_Q_MAX)
		return (CORE_E_TOOBIG);
	out[o++] = '%';
	for (p = q; p < q + n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o++] = '%';
	out[o] = '\0';
	return (0);
}

static int
parse_q(const struct qs *qs, struct client_list *l, struct api_error *err)
{
	const char *q;

	l->like[0] = '\0';
	if ((q = qs_get(qs, "q")) == NULL)
		return (0);
	if (clients_like_pattern(q, l->like, sizeof(l->like)) != 0)
		return (qs_bad_param(err, "q",
		    "query parameter \"q\" is longer "
		    "than %d characters",
		    CLIENT_Q_MAX));
	return (0);
}

/* balance=gt:100 (also gte, lt, lte, eq), repeatable. */
static int
parse_balance(const struct qs *qs, struct client_list *l, struct api_error *err)
{
	static const char *const ops[] = { "gt", "gte", "lt", "lte", "eq" };
	const char		*v, *colon;
	size_t			 i, k;

	for (i = 0; i < qs->n; i++) {
		if (strcmp(qs->pairs[i].name, "balance") != 0)
			continue;
		v = qs->pairs[i].value;
		if ((colon = strchr(v, ':')) == NULL)
			return (qs_bad_param(err, "balance",
			    "query parameter "
			    "\"balance\" must look like gt:100.00 (gt, gte, lt, "
			    "lte, eq), not \"%s\"",
			    v));
		for (k = 0; k < CORE_ARRAY_LEN(ops); k++) {
			if (strlen(ops[k]) == (size_t)(colon - v) &&
			    strncmp(ops[k], v, (size_t)(colon - v)) == 0)
				break;
		}
		if (k == CORE_ARRAY_LEN(ops) ||
		    !validate_decimal(colon + 1, 14, 6))
			return (qs_bad_param(err, "balance",
			    "query parameter "
			    "\"balance\" must look like gt:100.00 (gt, gte, lt, "
			    "lte, eq), not \"%s\"",
			    v));
		snprintf(l->balance[k], sizeof(l->balance[k]), "%s", colon + 1);
	}
	return (0);
}

static int
parse_sort(const struct qs *qs, struct client_list *l, struct api_error *err)
{
	const struct client_sort *s;
	const char		 *v;

	l->sort = clients_sort_find("created_at");
	l->desc = 1;
	if ((v = qs_get(qs, "sort")) == NULL)
		return (0);
	l->desc = v[0] == '-';
	if ((s = clients_sort_find(v + (v[0] == '-' || v[0] == '+'))) == NULL)
		return (qs_bad_param(err, "sort",
		    "query parameter \"sort\" cannot "
		    "sort by \"%s\" (use created_at, updated_at, name, number "
		    "or balance, with - for descending)",
		    v));
	l->sort = s;
	return (0);
}

/*
 * Reads the list parameters of GET /clients into l. Returns 0, or
 * CORE_E_INVALID with err naming the parameter.
 */
int
clients_list_parse(
    const struct qs *qs, struct client_list *l, struct api_error *err)
{
	static const char *const repeatable[] = { "status", "balance", NULL };
	const char		*v;

	memset(l, 0, sizeof(*l));
	if (parse_status(qs, l, err) || parse_q(qs, l, err) ||
	    parse_balance(qs, l, err) || parse_sort(qs, l, err))
		return (CORE_E_INVALID);
	if ((v = qs_get(qs, "updated_since")) != NULL) {
		if (!validate_timestamp(v))
			return (qs_bad_param(err, "updated_since",
			    "query parameter "
			    "\"updated_since\" is not an RFC 3339 time: \"%s\"",
			    v));
		snprintf(l->updated_since, sizeof(l->updated_since), "%s", v);
	}
	if ((v = qs_get(qs, "group")) != NULL) {
		if (strcmp(v, "none") == 0)
			snprintf(l->no_group, sizeof(l->no_group), "true");
		else if (!public_id_valid(v))
			return (qs_bad_param(err, "group",
			    "query parameter "
			    "\"group\" is not a group id (or none): \"%s\"",
			    v));
		else
			snprintf(l->group, sizeof(l->group), "%s", v);
	}
	return (qs_check_single(qs, repeatable, err));
}
