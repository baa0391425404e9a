/*
 * Binds each operation of the route table (core/routes.c) to its handler.
 * Indexed by enum api_op, so a missing binding is found at worker start
 * (routes_verify) rather than on the first request that needs it.
 */
#include "clientd.h"

static const api_handler handlers[OP__COUNT] = {
	[OP_HEALTHZ] = health_live,
	[OP_READYZ] = health_ready,
	[OP_LOGIN] = auth_login,
	[OP_LOGOUT] = auth_logout,
	[OP_ME] = auth_me,
	[OP_TOKENS_LIST] = tokens_list,
	[OP_TOKENS_CREATE] = tokens_create,
	[OP_TOKENS_REVOKE] = tokens_revoke,
	[OP_CLIENTS_LIST] = clients_list,
	[OP_CLIENTS_CREATE] = clients_create,
	[OP_CLIENTS_BULK] = clients_bulk,
	[OP_CLIENTS_GET] = clients_get,
	[OP_CLIENTS_UPDATE] = clients_update,
	[OP_CLIENTS_DELETE] = clients_delete,
	[OP_CLIENTS_ARCHIVE] = clients_archive,
	[OP_CLIENTS_RESTORE] = clients_restore,
	[OP_CLIENTS_PURGE] = clients_purge,
	[OP_CLIENTS_MERGE] = clients_merge,
	[OP_CLIENTS_ACTIVITY] = clients_activity,
	[OP_CONTACTS_LIST] = contacts_list,
	[OP_CONTACTS_CREATE] = contacts_create,
	[OP_CONTACTS_GET] = contacts_get,
	[OP_CONTACTS_UPDATE] = contacts_update,
	[OP_CONTACTS_DELETE] = contacts_delete,
	[OP_ALL_CONTACTS_LIST] = contacts_list_all,
	[OP_SETTINGS_GET] = settings_company_get,
	[OP_SETTINGS_PATCH] = settings_company_patch,
	[OP_NUMBER_PREVIEW] = settings_number_preview,
	[OP_GROUPS_LIST] = groups_list,
	[OP_GROUPS_CREATE] = groups_create,
	[OP_GROUPS_GET] = groups_get,
	[OP_GROUPS_UPDATE] = groups_update,
	[OP_GROUPS_DELETE] = groups_delete,
	[OP_GROUP_SETTINGS_GET] = settings_group_get,
	[OP_GROUP_SETTINGS_PATCH] = settings_group_patch,
	[OP_CLIENT_SETTINGS_GET] = settings_client_get,
	[OP_CLIENT_SETTINGS_PATCH] = settings_client_patch,
	[OP_LEDGER_CLIENT_LIST] = ledger_client_list,
	[OP_LEDGER_CLIENT_POST] = ledger_client_post,
	[OP_LEDGER_SUMMARY] = ledger_summary,
	[OP_LEDGER_STATEMENT] = ledger_statement,
	[OP_LEDGER_LIST] = ledger_list,
	[OP_LEDGER_POST] = ledger_post,
	[OP_LEDGER_CHECK] = ledger_check,
	[OP_LEDGER_KINDS] = ledger_kinds,
};

api_handler
routes_handler(enum api_op op)
{
	if ((int)op < 0 || op >= OP__COUNT || handlers[op] == NULL)
		core_fatal("no handler for operation %d", (int)op);
	return (handlers[op]);
}

/* Every operation has a handler and every route a known operation. */
int
routes_verify(void)
{
	size_t	i;

	for (i = 0; i < OP__COUNT; i++) {
		if (handlers[i] == NULL)
			return (-1);
	}
	for (i = 0; i < api_routes_count; i++) {
		if ((int)api_routes[i].op < 0 || api_routes[i].op >= OP__COUNT)
			return (-1);
	}
	return (0);
}
