-- The same statements one round trip at a time, as a client without
-- pipelining would need (the tenant setting is transaction-local, so the
-- statements must share an explicit transaction): 5 round trips.
BEGIN;
SELECT user_public_id, user_email, user_name, user_role, user_permissions, company_public_id, company_name, via, credential_id, scope FROM auth_begin('token', :hash::bytea, NULL);
SELECT token_json(t) AS item FROM api_tokens t WHERE t.company_id = app_company_id() AND t.revoked_at IS NULL AND (app_is_admin() OR t.user_id = app_user_id()) ORDER BY t.created_at DESC, t.id DESC LIMIT 20 OFFSET 0;
SELECT count(*) AS total FROM api_tokens t WHERE t.company_id = app_company_id() AND t.revoked_at IS NULL AND (app_is_admin() OR t.user_id = app_user_id());
COMMIT;
