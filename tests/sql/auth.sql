-- pgTAP: sql/functions/auth.sql (credentials, permissions, login throttling).
BEGIN;
\ir lib/fixture.psql
SELECT plan(29);

INSERT INTO sessions (company_id, user_id, token_hash, expires_at, last_seen_at) VALUES
	(901, 911, sha256('s-owner'), now() + interval '1 day', now()),
	(901, 912, sha256('s-admin'), now() + interval '1 day', now()),
	(901, 913, sha256('s-member'), now() + interval '1 day', now()),
	(901, 914, sha256('s-own'), now() + interval '1 day', now()),
	(901, 915, sha256('s-none'), now() + interval '1 day', now()),
	(901, 913, sha256('s-expired'), now() - interval '1 second', now()),
	(901, 913, sha256('s-idle'), now() + interval '1 day', now() - interval '8 hours 1 second');
INSERT INTO api_tokens (public_id, company_id, user_id, name, prefix, token_hash,
    expires_at, revoked_at) VALUES
	('tok-ok', 901, 913, 'ok', 'cdt_ok', sha256('t-ok'), NULL, NULL),
	('tok-old', 901, 913, 'old', 'cdt_old', sha256('t-old'), now() - interval '1 second', NULL),
	('tok-rev', 901, 913, 'rev', 'cdt_rev', sha256('t-rev'), NULL, now());

CREATE FUNCTION tap.scope(p_kind text, p_secret text, p_permission text) RETURNS text
    LANGUAGE sql
    AS $$ SELECT scope FROM auth_begin(p_kind, sha256(p_secret::bytea), p_permission) $$;

SET LOCAL ROLE clientd_app;

-- Credentials.
SELECT is((SELECT user_public_id || ' ' || company_public_id || ' ' || via
    FROM auth_begin('session', sha256('s-member'), NULL)), 'ua-member co-a session',
    'auth-1.1: a live session authenticates its user');
SELECT is(current_setting('app.company_id') || ' ' || current_setting('app.user_id')
    || ' ' || current_setting('app.actor_id'), '901 913 ua-member',
    'auth-1.2: and sets the tenant, the user and the actor for the transaction');
SELECT is((SELECT credential_id || ' ' || via FROM auth_begin('token', sha256('t-ok'), NULL)),
    'tok-ok token', 'auth-1.3: a live token authenticates, as itself');
SELECT is(current_setting('app.actor_id'), 'tok-ok', 'auth-1.4: the token is the actor');
SELECT throws_ok($$SELECT auth_begin('session', sha256('nope'), NULL)$$, 'CD401',
    'invalid or expired credentials', 'auth-1.5: an unknown session is a 401');
SELECT throws_ok($$SELECT auth_begin('session', sha256('s-expired'), NULL)$$, 'CD401', NULL,
    'auth-1.6: an expired session is a 401');
SELECT throws_ok($$SELECT auth_begin('session', sha256('s-idle'), NULL)$$, 'CD401', NULL,
    'auth-1.7: a session idle for more than 8 hours is a 401');
SELECT throws_ok($$SELECT auth_begin('token', sha256('t-old'), NULL)$$, 'CD401', NULL,
    'auth-1.8: an expired token is a 401');
SELECT throws_ok($$SELECT auth_begin('token', sha256('t-rev'), NULL)$$, 'CD401', NULL,
    'auth-1.9: a revoked token is a 401');
SELECT throws_ok($$SELECT auth_begin('token', sha256('s-member'), NULL)$$, 'CD401', NULL,
    'auth-1.10: a session''s secret is not a token');
RESET ROLE;
UPDATE users SET is_active = false WHERE id = 913;
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT auth_begin('session', sha256('s-member'), NULL)$$, 'CD401', NULL,
    'auth-1.11: a deactivated user''s session is a 401');
RESET ROLE;
UPDATE users SET is_active = true WHERE id = 913;
SET LOCAL ROLE clientd_app;

-- Permissions: the scope a request gets, or a 403.
SELECT is(tap.scope('session', 's-member', 'clients.view'), 'all',
    'auth-2.1: a member with clients.view sees all clients');
SELECT is(tap.scope('session', 's-own', 'clients.view'), 'own',
    'auth-2.2: a member with clients.view.own sees their own');
SELECT is(tap.scope('session', 's-admin', 'clients.edit'), 'all',
    'auth-2.3: an admin has every permission');
SELECT is(tap.scope('session', 's-owner', 'owner'), 'all',
    'auth-2.4: an owner may do what only owners may');
SELECT is(tap.err($$SELECT tap.scope('session', 's-none', 'clients.view')$$),
    '{"state": "CD403", "message": "permission denied", "column": null,
      "detail": "This action needs the \"clients.view\" permission.",
      "hint": "Ask an owner or admin of the company to grant it."}'::jsonb,
    'auth-2.5: a member without the permission gets a 403 that names it');
SELECT throws_ok($$SELECT tap.scope('session', 's-own', 'clients.create')$$, 'CD403', NULL,
    'auth-2.6: .own of one permission grants no other');
SELECT throws_ok($$SELECT tap.scope('session', 's-member', 'admin')$$, 'CD403', NULL,
    'auth-2.7: a member is not an admin');
SELECT throws_ok($$SELECT tap.scope('session', 's-admin', 'owner')$$, 'CD403', NULL,
    'auth-2.8: an admin is not an owner');
SELECT ok(NOT has_function_privilege('clientd_worker', 'auth_begin(text, bytea, text)', 'EXECUTE')
    AND NOT has_function_privilege('public', 'login_lookup(text, inet)', 'EXECUTE'),
    'auth-2.9: only the daemon''s role may call the credential functions');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
	AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1), '{}'::text[],
    'auth-2.10: no SECURITY DEFINER function is open to PUBLIC');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY 1),
    ARRAY['auth_begin(text,bytea,text)', 'client_search_ids(text)', 'housekeeping()',
	'login_fail(text,inet)', 'login_lookup(text,inet)', 'login_retry_after(text,inet)',
	'login_succeed(bigint,inet,bytea,text)', 'reauth_fail()', 'reauth_lookup()',
	'session_end(bytea)', 'user_password_set(text,bytea)'],
    'auth-2.11: the SECURITY DEFINER functions (a new one must be added here, and kept from PUBLIC)');

-- Login throttling: 5 failures of an account or 30 of an address in 15 minutes.
SELECT tap.none();
SELECT login_fail('Member@A.test', '10.0.0.1') FROM generate_series(1, 4);
SELECT is((SELECT retry_after FROM login_lookup('member@a.test', '10.0.0.9')), 0,
    'auth-3.1: four failures do not throttle an account');
SELECT login_fail('member@a.test', '10.0.0.1');
SELECT cmp_ok((SELECT retry_after FROM login_lookup('member@a.test', '10.0.0.9')), '>', 0,
    'auth-3.2: the fifth throttles it (compared case-insensitively)');
SELECT is((SELECT password_hash FROM login_lookup('member@a.test', '10.0.0.9')), NULL,
    'auth-3.3: and a throttled lookup hands out no hash');
SELECT login_fail('x' || i || '@elsewhere.test', '10.0.0.2') FROM generate_series(1, 29) i;
SELECT is((SELECT retry_after FROM login_lookup('owner@a.test', '10.0.0.2')), 0,
    'auth-3.4: 29 failures from an address do not throttle it');
SELECT login_fail('x30@elsewhere.test', '10.0.0.2');
SELECT cmp_ok((SELECT retry_after FROM login_lookup('owner@a.test', '10.0.0.2')), '>', 0,
    'auth-3.5: the 30th does, for every account');
RESET ROLE;
UPDATE login_failures SET at = now() - interval '15 minutes 1 second' WHERE email ILIKE 'member@a.test';
SET LOCAL ROLE clientd_app;
SELECT is((SELECT password_hash || ' ' || retry_after FROM login_lookup('member@a.test', '10.0.0.9')),
    '$argon2id$a3 0', 'auth-3.6: failures older than 15 minutes do not count');
SELECT is((SELECT user_public_id FROM login_succeed(913, '10.0.0.9', sha256('new'), 'test')),
    'ua-member', 'auth-3.7: a login opens a session (and clears the account''s failures)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
