-- Demo data: Demo Company's owner may make API tokens with an API token
-- (the explicit "tokens.create" permission; a role does not imply it), so
-- that README's "a token of your own" works with the token scripts/run
-- prints. Other Company's owner has no such permission.
UPDATE users SET permissions = array_append(permissions, 'tokens.create')
WHERE company_id = app_company_id() AND role = 'owner'
    AND NOT 'tokens.create' = ANY (permissions);
