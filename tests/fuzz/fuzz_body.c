/*
 * Request bodies through the validation tables: the first byte picks the
 * rules (a client to create or update, a contact, a ledger entry, a
 * settings patch at each level), the rest is the JSON as a client would
 * send it. Any result is fine; a crash, a leak or undefined behaviour is
 * not.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/clients.h"
#include "core/contacts.h"
#include "core/ledger.h"
#include "core/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(unsigned int rules, json_t *body, struct api_error *err)
{
	switch (rules % 8) {
	case 0:
		(void)clients_validate(body, 1, err);
		break;
	case 1:
		(void)clients_validate(body, 0, err);
		break;
	case 2:
		(void)contacts_validate(body, err);
		break;
	case 3:
		(void)ledger_entry_validate(body, rules & 8, err);
		break;
	case 4:
		(void)settings_validate_patch(body, LEVEL_COMPANY, NULL, err);
		break;
	case 5:
		(void)settings_validate_patch(
		    body, LEVEL_GROUP, "settings", err);
		break;
	default:
		(void)settings_validate_patch(body, LEVEL_CLIENT, NULL, err);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct api_error err;
	json_t		*body;
	char		*out;
	size_t		 outlen;

	if (len < 1)
		return (0);
	if ((body = json_loadb((const char *)data + 1, len - 1,
		 JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return (0);
	api_error_init(&err, API_ERR_VALIDATION);
	check(data[0], body, &err);
	/* The envelope of whatever was found must serialise. */
	out = api_error_json(&err, "fuzz", &outlen);
	free(out);
	api_error_cleanup(&err);
	json_decref(body);
	return (0);
}
