/*
 * Every route of the API, declared once. Paths and methods must match
 * openapi.yaml operation for operation: tests/api/contract.test.mjs fails
 * when they drift apart. Permissions are auth_begin()'s: "clients.view"
 * is met by clients.view.all or clients.view.own (the latter limits the
 * rows to the user's own clients), "admin" and "owner" by those roles.
 */
#include "core/core.h"
#include "core/router.h"
#include "core/routes.h"

static const char *const q_list[] = { "page", "per_page", "cursor", NULL };
static const char *const q_clients[] = { "page", "per_page", "cursor", "q",
	"status", "updated_since", "group", "balance", "sort", NULL };
static const char *const q_contacts[] = { "page", "per_page", "cursor", "email",
	"q", NULL };
static const char *const q_groups[] = { "page", "per_page", "q", NULL };
static const char *const q_group_delete[] = { "detach", NULL };
static const char *const q_ledger[] = { "page", "per_page", "cursor", "from",
	"to", "kind", NULL };
static const char *const q_ledger_all[] = { "page", "per_page", "cursor",
	"from", "to", "kind", "client", NULL };
static const char *const q_range[] = { "from", "to", NULL };
static const char *const q_preview[] = { "group", "pattern", "padding",
	"counter", NULL };

/* clang-format off */
#define R(m, p, op, id, auth, perm, body, q, flags) \
	{ { m, p }, op, id, auth, perm, body, q, flags }
/* clang-format on */

const struct route routes_table[] = {
	R(ROUTE_GET, "/healthz", OP_HEALTHZ, "getHealth", AUTH_NONE, NULL,
	    BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/readyz", OP_READYZ, "getReady", AUTH_NONE, NULL,
	    BODY_NONE, NULL, 0),
	R(ROUTE_POST, "/api/v1/login", OP_LOGIN, "login", AUTH_NONE, NULL,
	    BODY_JSON, NULL, 0),
	R(ROUTE_POST, "/api/v1/logout", OP_LOGOUT, "logout", AUTH_NONE, NULL,
	    BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/api/v1/me", OP_ME, "getMe", AUTH_REQUIRED, NULL,
	    BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/api/v1/tokens", OP_TOKENS_LIST, "listTokens",
	    AUTH_REQUIRED, NULL, BODY_NONE, q_list, 0),
	R(ROUTE_POST, "/api/v1/tokens", OP_TOKENS_CREATE, "createToken",
	    AUTH_REQUIRED, NULL, BODY_JSON, NULL, 0),
	R(ROUTE_DELETE, "/api/v1/tokens/{id}", OP_TOKENS_REVOKE, "revokeToken",
	    AUTH_REQUIRED, NULL, BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/api/v1/users", OP_USERS_LIST, "listUsers", AUTH_REQUIRED,
	    "clients.view", BODY_NONE, q_list, 0),
	R(ROUTE_GET, "/api/v1/profile", OP_PROFILE_GET, "getProfile",
	    AUTH_REQUIRED, NULL, BODY_NONE, NULL, 0),
	R(ROUTE_PATCH, "/api/v1/profile", OP_PROFILE_UPDATE, "updateProfile",
	    AUTH_REQUIRED, NULL, BODY_JSON, NULL, 0),
	R(ROUTE_POST, "/api/v1/profile/password", OP_PROFILE_PASSWORD,
	    "changePassword", AUTH_REQUIRED, NULL, BODY_JSON, NULL, 0),

	R(ROUTE_GET, "/api/v1/clients", OP_CLIENTS_LIST, "listClients",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, q_clients, 0),
	R(ROUTE_POST, "/api/v1/clients", OP_CLIENTS_CREATE, "createClient",
	    AUTH_REQUIRED, "clients.create", BODY_JSON, NULL, ROUTE_IDEMPOTENT),
	R(ROUTE_POST, "/api/v1/clients/bulk", OP_CLIENTS_BULK, "bulkClients",
	    AUTH_REQUIRED, "clients.edit", BODY_JSON, NULL, ROUTE_IDEMPOTENT),
	R(ROUTE_GET, "/api/v1/clients/{id}", OP_CLIENTS_GET, "getClient",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, NULL, 0),
	R(ROUTE_PATCH, "/api/v1/clients/{id}", OP_CLIENTS_UPDATE,
	    "updateClient", AUTH_REQUIRED, "clients.edit", BODY_JSON, NULL, 0),
	R(ROUTE_DELETE, "/api/v1/clients/{id}", OP_CLIENTS_DELETE,
	    "deleteClient", AUTH_REQUIRED, "clients.edit", BODY_NONE, NULL, 0),
	R(ROUTE_POST, "/api/v1/clients/{id}/archive", OP_CLIENTS_ARCHIVE,
	    "archiveClient", AUTH_REQUIRED, "clients.edit", BODY_NONE, NULL,
	    ROUTE_IDEMPOTENT),
	R(ROUTE_POST, "/api/v1/clients/{id}/restore", OP_CLIENTS_RESTORE,
	    "restoreClient", AUTH_REQUIRED, "clients.edit", BODY_NONE, NULL,
	    ROUTE_IDEMPOTENT),
	R(ROUTE_POST, "/api/v1/clients/{id}/purge", OP_CLIENTS_PURGE,
	    "purgeClient", AUTH_REQUIRED, "owner", BODY_JSON, NULL, 0),
	R(ROUTE_POST, "/api/v1/clients/{id}/merge", OP_CLIENTS_MERGE,
	    "mergeClient", AUTH_REQUIRED, "admin", BODY_JSON, NULL,
	    ROUTE_IDEMPOTENT),
	R(ROUTE_GET, "/api/v1/clients/{id}/activity", OP_CLIENTS_ACTIVITY,
	    "listClientActivity", AUTH_REQUIRED, "clients.view", BODY_NONE,
	    q_list, 0),
	R(ROUTE_GET, "/api/v1/clients/{id}/contacts", OP_CONTACTS_LIST,
	    "listClientContacts", AUTH_REQUIRED, "clients.view", BODY_NONE,
	    q_list, 0),
	R(ROUTE_POST, "/api/v1/clients/{id}/contacts", OP_CONTACTS_CREATE,
	    "createClientContact", AUTH_REQUIRED, "clients.edit", BODY_JSON,
	    NULL, ROUTE_IDEMPOTENT),
	R(ROUTE_GET, "/api/v1/clients/{id}/contacts/{contact_id}",
	    OP_CONTACTS_GET, "getClientContact", AUTH_REQUIRED, "clients.view",
	    BODY_NONE, NULL, 0),
	R(ROUTE_PATCH, "/api/v1/clients/{id}/contacts/{contact_id}",
	    OP_CONTACTS_UPDATE, "updateClientContact", AUTH_REQUIRED,
	    "clients.edit", BODY_JSON, NULL, 0),
	R(ROUTE_DELETE, "/api/v1/clients/{id}/contacts/{contact_id}",
	    OP_CONTACTS_DELETE, "deleteClientContact", AUTH_REQUIRED,
	    "clients.edit", BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/api/v1/contacts", OP_ALL_CONTACTS_LIST, "listContacts",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, q_contacts, 0),

	R(ROUTE_GET, "/api/v1/settings", OP_SETTINGS_GET, "getSettings",
	    AUTH_REQUIRED, NULL, BODY_NONE, NULL, 0),
	R(ROUTE_PATCH, "/api/v1/settings", OP_SETTINGS_PATCH, "updateSettings",
	    AUTH_REQUIRED, "admin", BODY_JSON, NULL, 0),
	R(ROUTE_GET, "/api/v1/settings/client-number-preview",
	    OP_NUMBER_PREVIEW, "previewClientNumber", AUTH_REQUIRED,
	    "clients.create", BODY_NONE, q_preview, 0),
	R(ROUTE_GET, "/api/v1/groups", OP_GROUPS_LIST, "listGroups",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, q_groups, 0),
	R(ROUTE_POST, "/api/v1/groups", OP_GROUPS_CREATE, "createGroup",
	    AUTH_REQUIRED, "admin", BODY_JSON, NULL, ROUTE_IDEMPOTENT),
	R(ROUTE_GET, "/api/v1/groups/{id}", OP_GROUPS_GET, "getGroup",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, NULL, 0),
	R(ROUTE_PATCH, "/api/v1/groups/{id}", OP_GROUPS_UPDATE, "updateGroup",
	    AUTH_REQUIRED, "admin", BODY_JSON, NULL, 0),
	R(ROUTE_DELETE, "/api/v1/groups/{id}", OP_GROUPS_DELETE, "deleteGroup",
	    AUTH_REQUIRED, "admin", BODY_NONE, q_group_delete, 0),
	R(ROUTE_GET, "/api/v1/groups/{id}/settings", OP_GROUP_SETTINGS_GET,
	    "getGroupSettings", AUTH_REQUIRED, "clients.view", BODY_NONE, NULL,
	    0),
	R(ROUTE_PATCH, "/api/v1/groups/{id}/settings", OP_GROUP_SETTINGS_PATCH,
	    "updateGroupSettings", AUTH_REQUIRED, "admin", BODY_JSON, NULL, 0),
	R(ROUTE_GET, "/api/v1/clients/{id}/settings", OP_CLIENT_SETTINGS_GET,
	    "getClientSettings", AUTH_REQUIRED, "clients.view", BODY_NONE, NULL,
	    0),
	R(ROUTE_PATCH, "/api/v1/clients/{id}/settings",
	    OP_CLIENT_SETTINGS_PATCH, "updateClientSettings", AUTH_REQUIRED,
	    "admin", BODY_JSON, NULL, 0),

	R(ROUTE_GET, "/api/v1/clients/{id}/ledger", OP_LEDGER_CLIENT_LIST,
	    "listClientLedger", AUTH_REQUIRED, "clients.view", BODY_NONE,
	    q_ledger, 0),
	R(ROUTE_POST, "/api/v1/clients/{id}/ledger", OP_LEDGER_CLIENT_POST,
	    "postClientLedgerEntry", AUTH_REQUIRED, "clients.edit", BODY_JSON,
	    NULL, ROUTE_IDEMPOTENT | ROUTE_KEY_REQUIRED),
	R(ROUTE_GET, "/api/v1/clients/{id}/ledger/summary", OP_LEDGER_SUMMARY,
	    "getClientLedgerSummary", AUTH_REQUIRED, "clients.view", BODY_NONE,
	    q_range, 0),
	R(ROUTE_GET, "/api/v1/clients/{id}/ledger/statement",
	    OP_LEDGER_STATEMENT, "getClientStatement", AUTH_REQUIRED,
	    "clients.view", BODY_NONE, q_range, 0),
	R(ROUTE_GET, "/api/v1/ledger", OP_LEDGER_LIST, "listLedger",
	    AUTH_REQUIRED, "clients.view.all", BODY_NONE, q_ledger_all, 0),
	R(ROUTE_POST, "/api/v1/ledger", OP_LEDGER_POST, "postLedgerEntry",
	    AUTH_REQUIRED, "clients.edit", BODY_JSON, NULL,
	    ROUTE_IDEMPOTENT | ROUTE_KEY_REQUIRED),
	R(ROUTE_GET, "/api/v1/ledger/check", OP_LEDGER_CHECK, "checkLedger",
	    AUTH_REQUIRED, "admin", BODY_NONE, NULL, 0),
	R(ROUTE_GET, "/api/v1/ledger/kinds", OP_LEDGER_KINDS, "listLedgerKinds",
	    AUTH_REQUIRED, "clients.view", BODY_NONE, NULL, 0),
};

const size_t routes_count = CORE_ARRAY_LEN(routes_table);
