/*
 * Contact rules without a database (core/contacts.c).
 */
#ifndef CLIENTD_CORE_CONTACTS_H
#define CLIENTD_CORE_CONTACTS_H

#include <jansson.h>

#include "core/api_error.h"

#define CONTACTS_MAX 50 /* in one client's contacts array */

/* One contact's body (POST/PATCH /clients/{id}/contacts...). */
int contacts_validate(json_t *, struct api_error *);
/*
 * The contacts array of a client body: each element a valid contact (with
 * an optional "id"), at most one primary, no email or id twice. Field
 * errors are named "contacts[i].field".
 */
int contacts_validate_list(json_t *, struct api_error *);

#endif
