/*
 * The client portal's rules that need no database.
 *
 * portal_client_fields (a company setting) says which of the client's
 * fields its contacts may change in the portal: {"name": true, ...}; a
 * field left out may not be changed. The number, group, notes, settings
 * and balance are never among them. Portal passwords have at least
 * PORTAL_PASSWORD_MIN characters. The registration form carries a field
 * (PORTAL_HONEYPOT) that its page hides from people: a form that fills it
 * is a robot's, answered as if it had registered.
 */
#include <stdio.h>
#include <string.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/portal.h"
#include "core/utf8.h"
#include "core/validate.h"

#define FIELD_NAME_MAX 192

/* What contacts can be allowed to edit. */
static const char *const editable[] = { "name", "website", "phone",
	"vat_number", "address", "shipping_address", "custom_value1",
	"custom_value2", "custom_value3", "custom_value4", NULL };

/* clang-format off */
const char portal_client_fields_default[] = "{"
    "\"name\": true, \"address\": true, \"website\": true, "
    "\"phone\": true, \"vat_number\": true, \"shipping_address\": false, "
    "\"custom_value1\": false, \"custom_value2\": false, "
    "\"custom_value3\": false, \"custom_value4\": false}";
/* clang-format on */

int
portal_client_fields_check(json_t *v, const char *name, struct api_error *err)
{
	const char *key;
	json_t	   *b;
	char	    fname[FIELD_NAME_MAX];
	int	    bad = 0;

	json_object_foreach(v, key, b)
	{
		if (snprintf(fname, sizeof(fname), "%s.%s", name, key) >=
		    (int)sizeof(fname))
			fname[sizeof(fname) - 1] = '\0';
		if (!validate_one_of(key, editable)) {
			api_error_add_field(err, fname, "unknown_field",
			    "contacts cannot be allowed to edit \"%s\" (name, "
			    "website, phone, vat_number, address, "
			    "shipping_address and custom_value1 to 4 can)",
			    key);
			bad = 1;
		} else if (!json_is_boolean(b)) {
			api_error_add_field(err, fname, "invalid_type",
			    "\"%s\" must be true or false", key);
			bad = 1;
		}
	}
	return (bad ? CORE_E_INVALID : 0);
}

/* A new portal password: at least PORTAL_PASSWORD_MIN characters. */
int
portal_password_check(const char *pw, const char *field, struct api_error *err)
{
	if (utf8_length(pw) >= PORTAL_PASSWORD_MIN)
		return (0);
	api_error_add_field(err, field, "too_short",
	    "a password needs at least %d characters", PORTAL_PASSWORD_MIN);
	return (CORE_E_INVALID);
}

/* A company's portal address: what companies.slug's check allows. */
int
portal_slug_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > PORTAL_SLUG_MAX || s[0] == '-' ||
	    s[len - 1] == '-')
		return (0);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return (0);
	}
	return (1);
}
