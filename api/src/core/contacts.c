/*
 * Contact rules that need no database: the JSON a contact may be written
 * with, on its own (/clients/{id}/contacts) or in a client's contacts
 * array, where at most one may be primary and no email or id may appear
 * twice. Rules that need stored state (a primary always existing, someone
 * receiving email) are kept by the SQL functions (sql/functions/).
 */
#include <stdio.h>
#include <strings.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/contacts.h"
#include "core/core.h"
#include "core/validate.h"

/* A contact's writable fields; "id" only inside a client's contacts array. */
static const struct field_spec contact_fields[] = {
	{ "id", FIELD_ID, 0, 0, NULL, 0, 0 },
	{ "first_name", FIELD_STRING, FIELD_NULLABLE, 100, NULL, 0, 0 },
	{ "last_name", FIELD_STRING, FIELD_NULLABLE, 100, NULL, 0, 0 },
	{ "email", FIELD_EMAIL, FIELD_NULLABLE, 254, NULL, 0, 0 },
	{ "phone", FIELD_PHONE, FIELD_NULLABLE, 64, NULL, 0, 0 },
	{ "is_primary", FIELD_BOOL, 0, 0, NULL, 0, 0 },
	{ "send_email", FIELD_BOOL, 0, 0, NULL, 0, 0 },
	{ "custom_value1", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value2", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value3", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
	{ "custom_value4", FIELD_STRING, FIELD_NULLABLE, 255, NULL, 0, 0 },
};

/*
 * The contacts array of a client body: each element a valid contact, at
 * most one marked primary, no email twice (case-insensitively), no id
 * twice. Field errors are named "contacts[i].field".
 */
int
contacts_validate_list(json_t *arr, struct api_error *err)
{
	json_t *c, *e, *id, *other;
	char	prefix[32], fname[48];
	size_t	i, j;
	int	bad = 0, primaries = 0;

	json_array_foreach(arr, i, c)
	{
		snprintf(prefix, sizeof(prefix), "contacts[%zu]", i);
		if (validate_object(c, contact_fields,
			CORE_ARRAY_LEN(contact_fields), prefix, err) != 0) {
			bad = 1;
			continue;
		}
		if (json_is_true(json_object_get(c, "is_primary")) &&
		    ++primaries == 2) {
			snprintf(fname, sizeof(fname), "%s.is_primary", prefix);
			api_error_add_field(err, fname, "invalid_value",
			    "only one contact can be primary");
			bad = 1;
		}
		e = json_object_get(c, "email");
		id = json_object_get(c, "id");
		for (j = 0; j < i; j++) {
			other = json_array_get(arr, j);
			if (!json_is_object(other))
				continue;
			if (json_is_string(e) && json_string_length(e) > 0 &&
			    json_is_string(json_object_get(other, "email")) &&
			    strcasecmp(json_string_value(e),
				json_string_value(
				    json_object_get(other, "email"))) == 0) {
				snprintf(
				    fname, sizeof(fname), "%s.email", prefix);
				api_error_add_field(err, fname, "duplicate",
				    "email \"%s\" is given to two contacts",
				    json_string_value(e));
				bad = 1;
			}
			if (json_is_string(id) &&
			    json_equal(id, json_object_get(other, "id"))) {
				snprintf(fname, sizeof(fname), "%s.id", prefix);
				api_error_add_field(err, fname, "duplicate",
				    "contact \"%s\" is listed twice",
				    json_string_value(id));
				bad = 1;
			}
		}
	}
	return (bad ? CORE_E_INVALID : 0);
}

/* One contact, for the contact sub-resource (no "id" in the body). */
int
contacts_validate(json_t *body, struct api_error *err)
{
	int bad = 0;

	if (validate_object(body, contact_fields + 1,
		CORE_ARRAY_LEN(contact_fields) - 1, NULL, err) != 0)
		bad = 1;
	return (bad ? CORE_E_INVALID : 0);
}
