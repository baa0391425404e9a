/*
 * The API's route table: pure data, shared by the daemon (which binds each
 * operation to a handler), the CLI (`clientd routes`, which the contract
 * test compares with openapi.yaml) and the unit tests.
 */
#ifndef CLIENTD_CORE_ROUTES_H
#define CLIENTD_CORE_ROUTES_H

#include <stddef.h>

#include "core/router.h"

enum api_op {
	OP_HEALTHZ,
	OP_READYZ,
	OP_LOGIN,
	OP_LOGOUT,
	OP_ME,
	OP_TOKENS_LIST,
	OP_TOKENS_CREATE,
	OP_TOKENS_REVOKE,
	OP_USERS_LIST,
	OP_PROFILE_GET,
	OP_PROFILE_UPDATE,
	OP_PROFILE_PASSWORD,
	OP_CLIENTS_LIST,
	OP_CLIENTS_CREATE,
	OP_CLIENTS_BULK,
	OP_CLIENTS_GET,
	OP_CLIENTS_UPDATE,
	OP_CLIENTS_DELETE,
	OP_CLIENTS_ARCHIVE,
	OP_CLIENTS_RESTORE,
	OP_CLIENTS_PURGE,
	OP_CLIENTS_MERGE,
	OP_CLIENTS_ACTIVITY,
	OP_CONTACTS_LIST,
	OP_CONTACTS_CREATE,
	OP_CONTACTS_GET,
	OP_CONTACTS_UPDATE,
	OP_CONTACTS_DELETE,
	OP_ALL_CONTACTS_LIST,
	OP_SETTINGS_GET,
	OP_SETTINGS_PATCH,
	OP_NUMBER_PREVIEW,
	OP_GROUPS_LIST,
	OP_GROUPS_CREATE,
	OP_GROUPS_GET,
	OP_GROUPS_UPDATE,
	OP_GROUPS_DELETE,
	OP_GROUP_SETTINGS_GET,
	OP_GROUP_SETTINGS_PATCH,
	OP_CLIENT_SETTINGS_GET,
	OP_CLIENT_SETTINGS_PATCH,
	OP_LEDGER_CLIENT_LIST,
	OP_LEDGER_CLIENT_POST,
	OP_LEDGER_SUMMARY,
	OP_LEDGER_STATEMENT,
	OP_LEDGER_LIST,
	OP_LEDGER_POST,
	OP_LEDGER_CHECK,
	OP_LEDGER_KINDS,
	OP_WEBHOOKS_LIST,
	OP_WEBHOOKS_CREATE,
	OP_WEBHOOKS_EVENTS,
	OP_WEBHOOKS_SAMPLE,
	OP_WEBHOOKS_GET,
	OP_WEBHOOKS_UPDATE,
	OP_WEBHOOKS_DELETE,
	OP_WEBHOOKS_ROTATE,
	OP_WEBHOOKS_TEST,
	OP_WEBHOOKS_DELIVERIES,
	OP_WEBHOOKS_DELIVERY_GET,
	OP_WEBHOOKS_DELIVERY_RETRY,
	OP_CLIENTS_EXPORT,
	OP_IMPORTS_LIST,
	OP_IMPORTS_CREATE,
	OP_IMPORTS_GET,
	OP_IMPORTS_UPDATE,
	OP_IMPORTS_DELETE,
	OP_IMPORTS_DRY_RUN,
	OP_IMPORTS_RUN,
	OP_IMPORTS_CANCEL,
	OP_IMPORTS_ERRORS,
	OP_IMPORTS_REJECTED,
	OP_IMPORTS_EVENTS,
	OP_IMPORT_FIELDS,
	OP_IMPORT_TEMPLATES_LIST,
	OP_IMPORT_TEMPLATES_CREATE,
	OP_IMPORT_TEMPLATES_DELETE,
	OP_CONTACT_INVITE,
	OP_CONTACT_PORTAL_LINK,
	OP_MAIL_LIST,
	OP_MAIL_GET,
	OP_PORTAL_INFO,
	OP_PORTAL_LOGIN,
	OP_PORTAL_LOGOUT,
	OP_PORTAL_RESET,
	OP_PORTAL_MAGIC,
	OP_PORTAL_LINK_CHECK,
	OP_PORTAL_LINK_REDEEM,
	OP_PORTAL_REGISTER,
	OP_PORTAL_ME,
	OP_PORTAL_ME_UPDATE,
	OP_PORTAL_PASSWORD,
	OP_PORTAL_SELECT,
	OP_PORTAL_CLIENT,
	OP_PORTAL_CLIENT_UPDATE,
	OP_PORTAL_LEDGER,
	OP_PORTAL_STATEMENT,
	OP__COUNT
};

enum api_auth {
	AUTH_NONE,     /* public */
	AUTH_REQUIRED, /* a session or an API token */
	AUTH_PORTAL    /* a contact's portal session (http/portal_auth.c) */
};

enum api_body {
	BODY_NONE,     /* empty, or the empty object {} */
	BODY_JSON,     /* a JSON object, application/json */
	BODY_OPTIONAL, /* empty (the handler sees no body), or a JSON object */
	BODY_MULTIPART /* multipart/form-data, read by the handler itself */
};

/* Route flags. */
#define ROUTE_IDEMPOTENT   0x01 /* takes Idempotency-Key */
#define ROUTE_KEY_REQUIRED 0x02 /* ... and must have one */

struct route {
	struct route_def   def; /* first: the router's stride */
	enum api_op	   op;
	const char	  *operation_id; /* as in openapi.yaml */
	enum api_auth	   auth;
	const char	  *permission; /* auth_begin()'s, or NULL */
	enum api_body	   body;
	const char *const *query; /* allowed query parameters */
	unsigned int	   flags;
};

extern const struct route routes_table[];
extern const size_t	  routes_count;

#endif
