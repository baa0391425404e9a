/*
 * Binds each operation of the route table (core/routes.c) to its handler.
 * Indexed by enum api_op, so a missing binding is found at worker start
 * (handlers_verify) rather than on the first request that needs it.
 */
#include "core/core.h"
#include "core/routes.h"
#include "http/handlers.h"

static const request_handler handlers[OP__COUNT] = {
	[OP_HEALTHZ] = api_health_live,
	[OP_READYZ] = api_health_ready,
	[OP_LOGIN] = api_auth_login,
	[OP_LOGOUT] = api_auth_logout,
	[OP_ME] = api_auth_me,
	[OP_TOKENS_LIST] = api_tokens_list,
	[OP_TOKENS_CREATE] = api_tokens_create,
	[OP_TOKENS_REVOKE] = api_tokens_revoke,
	[OP_USERS_LIST] = api_users_list,
	[OP_PROFILE_GET] = api_profile_get,
	[OP_PROFILE_UPDATE] = api_profile_update,
	[OP_PROFILE_PASSWORD] = api_profile_password,
	[OP_CLIENTS_LIST] = api_clients_list,
	[OP_CLIENTS_CREATE] = api_clients_create,
	[OP_CLIENTS_BULK] = api_clients_bulk,
	[OP_CLIENTS_GET] = api_clients_get,
	[OP_CLIENTS_UPDATE] = api_clients_update,
	[OP_CLIENTS_DELETE] = api_clients_delete,
	[OP_CLIENTS_ARCHIVE] = api_clients_archive,
	[OP_CLIENTS_RESTORE] = api_clients_restore,
	[OP_CLIENTS_PURGE] = api_clients_purge,
	[OP_CLIENTS_MERGE] = api_clients_merge,
	[OP_CLIENTS_ACTIVITY] = api_clients_activity,
	[OP_CONTACTS_LIST] = api_contacts_list,
	[OP_CONTACTS_CREATE] = api_contacts_create,
	[OP_CONTACTS_GET] = api_contacts_get,
	[OP_CONTACTS_UPDATE] = api_contacts_update,
	[OP_CONTACTS_DELETE] = api_contacts_delete,
	[OP_ALL_CONTACTS_LIST] = api_contacts_list_all,
	[OP_SETTINGS_GET] = api_settings_company_get,
	[OP_SETTINGS_PATCH] = api_settings_company_patch,
	[OP_NUMBER_PREVIEW] = api_settings_number_preview,
	[OP_GROUPS_LIST] = api_groups_list,
	[OP_GROUPS_CREATE] = api_groups_create,
	[OP_GROUPS_GET] = api_groups_get,
	[OP_GROUPS_UPDATE] = api_groups_update,
	[OP_GROUPS_DELETE] = api_groups_delete,
	[OP_GROUP_SETTINGS_GET] = api_settings_group_get,
	[OP_GROUP_SETTINGS_PATCH] = api_settings_group_patch,
	[OP_CLIENT_SETTINGS_GET] = api_settings_client_get,
	[OP_CLIENT_SETTINGS_PATCH] = api_settings_client_patch,
	[OP_LEDGER_CLIENT_LIST] = api_ledger_client_list,
	[OP_LEDGER_CLIENT_POST] = api_ledger_client_post,
	[OP_LEDGER_SUMMARY] = api_ledger_summary,
	[OP_LEDGER_STATEMENT] = api_ledger_statement,
	[OP_LEDGER_LIST] = api_ledger_list,
	[OP_LEDGER_POST] = api_ledger_post,
	[OP_LEDGER_CHECK] = api_ledger_check,
	[OP_LEDGER_KINDS] = api_ledger_kinds,
	[OP_WEBHOOKS_LIST] = api_webhooks_list,
	[OP_WEBHOOKS_CREATE] = api_webhooks_create,
	[OP_WEBHOOKS_EVENTS] = api_webhooks_events,
	[OP_WEBHOOKS_SAMPLE] = api_webhooks_sample,
	[OP_WEBHOOKS_GET] = api_webhooks_get,
	[OP_WEBHOOKS_UPDATE] = api_webhooks_update,
	[OP_WEBHOOKS_DELETE] = api_webhooks_delete,
	[OP_WEBHOOKS_ROTATE] = api_webhooks_rotate,
	[OP_WEBHOOKS_TEST] = api_webhooks_test,
	[OP_WEBHOOKS_DELIVERIES] = api_webhooks_deliveries,
	[OP_WEBHOOKS_DELIVERY_GET] = api_webhooks_delivery_get,
	[OP_WEBHOOKS_DELIVERY_RETRY] = api_webhooks_delivery_retry,
	[OP_CLIENTS_EXPORT] = api_clients_export,
	[OP_IMPORTS_LIST] = api_imports_list,
	[OP_IMPORTS_CREATE] = api_imports_create,
	[OP_IMPORTS_GET] = api_imports_get,
	[OP_IMPORTS_UPDATE] = api_imports_update,
	[OP_IMPORTS_DELETE] = api_imports_delete,
	[OP_IMPORTS_DRY_RUN] = api_imports_dry_run,
	[OP_IMPORTS_RUN] = api_imports_run,
	[OP_IMPORTS_CANCEL] = api_imports_cancel,
	[OP_IMPORTS_ERRORS] = api_imports_errors,
	[OP_IMPORTS_REJECTED] = api_imports_rejected,
	[OP_IMPORTS_EVENTS] = api_imports_events,
	[OP_IMPORT_FIELDS] = api_imports_fields,
	[OP_IMPORT_TEMPLATES_LIST] = api_imports_templates_list,
	[OP_IMPORT_TEMPLATES_CREATE] = api_imports_templates_create,
	[OP_IMPORT_TEMPLATES_DELETE] = api_imports_templates_delete,
	[OP_CONTACT_INVITE] = api_contact_portal_invite,
	[OP_CONTACT_PORTAL_LINK] = api_contact_portal_link,
	[OP_MAIL_LIST] = api_mail_list,
	[OP_MAIL_GET] = api_mail_get,
	[OP_PORTAL_INFO] = api_portal_info,
	[OP_PORTAL_LOGIN] = api_portal_login,
	[OP_PORTAL_LOGOUT] = api_portal_logout,
	[OP_PORTAL_RESET] = api_portal_reset,
	[OP_PORTAL_MAGIC] = api_portal_magic,
	[OP_PORTAL_LINK_CHECK] = api_portal_link_check,
	[OP_PORTAL_LINK_REDEEM] = api_portal_link_redeem,
	[OP_PORTAL_REGISTER] = api_portal_register,
	[OP_PORTAL_ME] = api_portal_me,
	[OP_PORTAL_ME_UPDATE] = api_portal_client_profile,
	[OP_PORTAL_PASSWORD] = api_portal_client_password,
	[OP_PORTAL_SELECT] = api_portal_select,
	[OP_PORTAL_CLIENT] = api_portal_client_get,
	[OP_PORTAL_CLIENT_UPDATE] = api_portal_client_update,
	[OP_PORTAL_LEDGER] = api_portal_client_ledger,
	[OP_PORTAL_STATEMENT] = api_portal_client_statement,
	[OP_DOCUMENTS_LIST] = api_documents_list,
	[OP_DOCUMENTS_GET] = api_documents_get,
	[OP_DOCUMENTS_UPDATE] = api_documents_update,
	[OP_DOCUMENTS_DELETE] = api_documents_delete,
	[OP_DOCUMENTS_DOWNLOAD] = api_documents_download,
	[OP_CLIENT_DOCUMENTS_LIST] = api_documents_list_client,
	[OP_CLIENT_DOCUMENTS_UPLOAD] = api_documents_upload_client,
	[OP_GROUP_DOCUMENTS_LIST] = api_documents_list_group,
	[OP_GROUP_DOCUMENTS_UPLOAD] = api_documents_upload_group,
	[OP_PORTAL_DOCUMENTS_LIST] = api_documents_list_portal,
	[OP_PORTAL_DOCUMENTS_UPLOAD] = api_documents_upload_portal,
	[OP_PORTAL_DOCUMENTS_DOWNLOAD] = api_documents_download_portal,
};

request_handler
handlers_get(enum api_op op)
{
	if ((int)op < 0 || op >= OP__COUNT || handlers[op] == NULL)
		core_fatal("no handler for operation %d", (int)op);
	return (handlers[op]);
}

/* Every operation has a handler and every route a known operation. */
int
handlers_verify(void)
{
	size_t i;

	for (i = 0; i < OP__COUNT; i++) {
		if (handlers[i] == NULL)
			return (-1);
	}
	for (i = 0; i < routes_count; i++) {
		if ((int)routes_table[i].op < 0 ||
		    routes_table[i].op >= OP__COUNT)
			return (-1);
	}
	return (0);
}
