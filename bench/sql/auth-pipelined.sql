-- What clientd sends for GET /api/v1/tokens: authentication (which sets the
-- tenant for row-level security) and the list, in one pipeline.
\startpipeline
SELECT user_public_id, user_email, user_name, user_role, user_permissions, company_public_id, company_name, via, credential_id, scope FROM auth_begin('token', :hash::bytea, NULL);
SELECT token_json(t) AS item FROM api_tokens t WHERE t.company_id = app_company_id() AND t.revoked_at IS NULL AND (app_is_admin() OR t.user_id = app_user_id()) ORDER BY t.created_at DESC, t.id DESC LIMIT 20 OFFSET 0;
SELECT count(*) AS total FROM api_tokens t WHERE t.company_id = app_company_id() AND t.revoked_at IS NULL AND (app_is_admin() OR t.user_id = app_user_id());
\endpipeline
