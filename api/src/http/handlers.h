/*
 * The operations' handlers, one file per resource (http/api_<resource>.c,
 * exporting api_<resource>_*), and the table that binds each operation of
 * the route table (core/routes.c) to its handler (http/handlers.c).
 */
#ifndef CLIENTD_HTTP_HANDLERS_H
#define CLIENTD_HTTP_HANDLERS_H

#include "core/routes.h"
#include "http/request.h"

request_handler handlers_get(enum api_op);
int		handlers_verify(void);

/* api_health.c */
void api_health_live(struct request *);
void api_health_ready(struct request *);
void api_health_metrics(struct request *);

/* api_auth.c */
void api_auth_login(struct request *);
void api_auth_logout(struct request *);
void api_auth_me(struct request *);

/* api_tokens.c */
void api_tokens_list(struct request *);
void api_tokens_create(struct request *);
void api_tokens_revoke(struct request *);

/* api_users.c */
void api_users_list(struct request *);

/* api_profile.c */
void api_profile_get(struct request *);
void api_profile_update(struct request *);
void api_profile_password(struct request *);

/* api_clients.c */
void api_clients_list(struct request *);
void api_clients_create(struct request *);
void api_clients_bulk(struct request *);
void api_clients_get(struct request *);
void api_clients_update(struct request *);
void api_clients_delete(struct request *);
void api_clients_archive(struct request *);
void api_clients_restore(struct request *);
void api_clients_purge(struct request *);
void api_clients_merge(struct request *);
void api_clients_activity(struct request *);
void api_clients_export(struct request *);

/* api_contacts.c */
void api_contacts_list(struct request *);
void api_contacts_create(struct request *);
void api_contacts_get(struct request *);
void api_contacts_update(struct request *);
void api_contacts_delete(struct request *);
void api_contacts_list_all(struct request *);

/* api_settings.c */
void api_settings_company_get(struct request *);
void api_settings_company_patch(struct request *);
void api_settings_group_get(struct request *);
void api_settings_group_patch(struct request *);
void api_settings_client_get(struct request *);
void api_settings_client_patch(struct request *);
void api_settings_number_preview(struct request *);

/* api_groups.c */
void api_groups_list(struct request *);
void api_groups_create(struct request *);
void api_groups_get(struct request *);
void api_groups_update(struct request *);
void api_groups_delete(struct request *);

/* api_ledger.c */
void api_ledger_client_list(struct request *);
void api_ledger_client_post(struct request *);
void api_ledger_summary(struct request *);
void api_ledger_statement(struct request *);
void api_ledger_list(struct request *);
void api_ledger_post(struct request *);
void api_ledger_check(struct request *);
void api_ledger_kinds(struct request *);
void api_ledger_client_entries(struct request *, const char *);
void api_ledger_client_statement(struct request *, const char *);

/* api_contact_portal.c */
void api_contact_portal_invite(struct request *);
void api_contact_portal_link(struct request *);

/* api_mail.c */
void api_mail_list(struct request *);
void api_mail_get(struct request *);

/* api_portal.c */
void api_portal_info(struct request *);
void api_portal_login(struct request *);
void api_portal_logout(struct request *);
void api_portal_reset(struct request *);
void api_portal_magic(struct request *);
void api_portal_link_check(struct request *);
void api_portal_link_redeem(struct request *);
void api_portal_register(struct request *);
void api_portal_me(struct request *);
void api_portal_select(struct request *);

/* api_portal_client.c */
void api_portal_client_get(struct request *);
void api_portal_client_update(struct request *);
void api_portal_client_profile(struct request *);
void api_portal_client_password(struct request *);
void api_portal_client_ledger(struct request *);
void api_portal_client_statement(struct request *);

/* api_webhooks.c */
void api_webhooks_list(struct request *);
void api_webhooks_create(struct request *);
void api_webhooks_events(struct request *);
void api_webhooks_sample(struct request *);
void api_webhooks_get(struct request *);
void api_webhooks_update(struct request *);
void api_webhooks_delete(struct request *);
void api_webhooks_rotate(struct request *);
void api_webhooks_test(struct request *);
void api_webhooks_deliveries(struct request *);
void api_webhooks_delivery_get(struct request *);
void api_webhooks_delivery_retry(struct request *);
/* api_documents.c */
void api_documents_list(struct request *);
void api_documents_list_client(struct request *);
void api_documents_list_group(struct request *);
void api_documents_list_portal(struct request *);
void api_documents_upload_client(struct request *);
void api_documents_upload_group(struct request *);
void api_documents_upload_portal(struct request *);
void api_documents_get(struct request *);
void api_documents_update(struct request *);
void api_documents_delete(struct request *);
void api_documents_download(struct request *);
void api_documents_download_portal(struct request *);

/* api_imports.c */
void api_imports_list(struct request *);
void api_imports_create(struct request *);
void api_imports_get(struct request *);
void api_imports_update(struct request *);
void api_imports_delete(struct request *);
void api_imports_dry_run(struct request *);
void api_imports_run(struct request *);
void api_imports_cancel(struct request *);
void api_imports_errors(struct request *);
void api_imports_rejected(struct request *);
void api_imports_events(struct request *);
void api_imports_fields(struct request *);
void api_imports_templates_list(struct request *);
void api_imports_templates_create(struct request *);
void api_imports_templates_delete(struct request *);

#endif
