-- pgTAP: sql/functions/auth.sql (credentials, permissions, login throttling).
BEGIN;
\ir lib/fixture.psql
SELECT plan(46);

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
    AND NOT has_function_privilege('public', 'login_begin(text, inet)', 'EXECUTE'),
    'auth-2.9: only the daemon''s role may call the credential functions');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
	AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1), '{}'::text[],
    'auth-2.10: no SECURITY DEFINER function is open to PUBLIC');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY 1),
    ARRAY['auth_begin(text,bytea,text)', 'client_search_ids(text)',
	'companies_slug_trigger()', 'housekeeping()', 'import_analyze()',
	'login_attempts_left(text)', 'login_begin(text,inet)', 'login_fail(bigint)',
	'login_retry_after(text,inet)',
	'login_succeed(bigint,bigint,inet,bytea,text,text)',
	-- the outbox and the client portal (mail.sql, portal.sql)
	'mail_queue(text,text,jsonb,bigint,bigint,bigint)', 'mail_redact(bigint,text)',
	'mail_template(bigint,text)', 'portal_act(portal_sessions,client_contacts)',
	'portal_attempt(text,text,inet,interval,integer,integer,integer,integer)',
	'portal_attempt_end(bigint,boolean)', 'portal_begin(bytea,text,text)',
	'portal_company(text)', 'portal_contact_ok(client_contacts)',
	'portal_contacts(bigint,text)', 'portal_housekeeping()', 'portal_info(text)',
	'portal_link_check(text,bytea)', 'portal_link_find(text,bytea,boolean)',
	'portal_link_make(client_contacts,text,bytea,interval,bigint,text)',
	'portal_link_redeem(text,bytea,text,bytea,inet,text)',
	'portal_login_begin(text,text,inet)',
	'portal_login_succeed(text,bigint,text,bytea,inet,text,text)',
	'portal_mail_request(text,text,text,inet,text,bytea,text)', 'portal_me()',
	'portal_me_json(portal_sessions)', 'portal_password_change(text)',
	'portal_password_hash()',
	'portal_register(text,jsonb,text,integer,text,text,bytea,text)',
	'portal_register_begin(text,inet)',
	'portal_retry_after(text,text,inet,interval,integer,integer,integer,integer)',
	'portal_select(text)', 'portal_session()', 'portal_session_end(bytea)',
	'portal_session_open(client_contacts,bytea,inet,text,bigint)',
	'portal_status_json(client_contacts)',
	'reauth_fail()', 'reauth_lookup()', 'service_status()', 'session_end(bytea)',
	'user_password_set(text,bytea)',
	'webhook_claim(integer,bigint[])', 'webhook_fanout()',
	'webhook_next_batch(bigint,integer)', 'webhook_prune()',
	'webhook_record(bigint,text,timestamp with time zone,integer,integer,text,text,text,bigint,interval,boolean)',
	'webhook_record_batch(jsonb,text,interval,integer)'],
    'auth-2.11: the SECURITY DEFINER functions (a new one must be added here, and kept from PUBLIC)');

-- Login throttling: an attempt is counted (pending) before its password
-- is checked; 5 unsuccessful of an account or 30 of an address, 20 of any
-- outcome of an account or 100 of an address, in 15 minutes.
SELECT tap.none();
CREATE TEMP TABLE tries AS SELECT attempt_id, user_id, password_hash, retry_after,
    attempts_left FROM login_begin('Member@A.test', '10.0.0.1') WHERE false;
CREATE FUNCTION pg_temp.try(p_email text, p_ip inet) RETURNS int LANGUAGE sql AS $$
	INSERT INTO tries SELECT * FROM login_begin(p_email, p_ip) RETURNING retry_after $$;
SELECT is(pg_temp.try('member@a.test', '10.0.0.1'), 0, 'auth-3.1: a login begins');
SELECT is((SELECT password_hash || ' ' || attempts_left FROM tries),
    '$argon2id$a3 4', 'auth-3.1a: with the hash, counted: 4 failures left');
SELECT is((SELECT user_id FROM login_begin('nobody@a.test', '10.0.0.1')), NULL::bigint,
    'auth-3.1b: an unknown account begins too (the daemon checks a dummy), with no user');
SELECT pg_temp.try('member@a.test', '10.0.0.1');
SELECT is(login_fail((SELECT min(attempt_id) FROM tries)), 3,
    'auth-3.2: a failure says how many are left (the other attempt is still pending)');
SELECT pg_temp.try('member@a.test', '10.0.0.1') FROM generate_series(1, 3);
SELECT is((SELECT count(*) FROM tries WHERE retry_after = 0), 5::bigint,
    'auth-3.2a: five attempts went ahead, two of them still being checked');
SELECT cmp_ok(pg_temp.try('member@a.test', '10.0.0.9'), '>', 0,
    'auth-3.3: the sixth attempt is refused: pending attempts count, so a race gets 5 through, not 6');
SELECT is((SELECT password_hash FROM tries WHERE retry_after > 0), NULL,
    'auth-3.3a: and a refused attempt gets no hash');
RESET ROLE;
SELECT is((SELECT count(*) FROM login_attempts WHERE email ILIKE 'member@a.test'), 5::bigint,
    'auth-3.3b: nor is it counted');
SET LOCAL ROLE clientd_app;
SELECT pg_temp.try('x' || i || '@elsewhere.test', '10.0.0.2') FROM generate_series(1, 29) i;
SELECT is(pg_temp.try('owner@a.test', '10.0.0.2'), 0,
    'auth-3.4: 29 unfinished attempts from an address do not pause it');
SELECT cmp_ok(pg_temp.try('admin@a.test', '10.0.0.2'), '>', 0,
    'auth-3.5: the 31st does, for every account');
-- Successes count too, against an account and an address that keep logging in.
RESET ROLE;
INSERT INTO login_attempts (email, ip, outcome)
    SELECT 'busy@a.test', '10.0.0.3', 'succeeded' FROM generate_series(1, 19);
SET LOCAL ROLE clientd_app;
SELECT is(pg_temp.try('busy@a.test', '10.0.0.4'), 0,
    'auth-3.6: 19 successful logins of an account leave room for a 20th');
SELECT cmp_ok(pg_temp.try('busy@a.test', '10.0.0.4'), '>', 0,
    'auth-3.7: then logins of any outcome pause it (the right password is limited too)');
RESET ROLE;
INSERT INTO login_attempts (email, ip, outcome)
    SELECT 'u' || i || '@b.test', '10.0.0.5', 'succeeded' FROM generate_series(1, 100) i;
SET LOCAL ROLE clientd_app;
SELECT cmp_ok(pg_temp.try('admin@a.test', '10.0.0.5'), '>', 0,
    'auth-3.8: 100 logins of any outcome from one address pause it');
RESET ROLE;
UPDATE login_attempts SET at = now() - interval '15 minutes 1 second' WHERE email ILIKE 'member@a.test';
SET LOCAL ROLE clientd_app;
SELECT is((SELECT password_hash || ' ' || retry_after FROM login_begin('member@a.test', '10.0.0.9')),
    '$argon2id$a3 0', 'auth-3.9: attempts older than 15 minutes do not count');
RESET ROLE;
DELETE FROM login_attempts WHERE email ILIKE 'member@a.test';
INSERT INTO login_attempts (email, ip, outcome, at) VALUES
    ('member@a.test', '10.0.0.9', 'failed', now() - interval '3 minutes'),
    ('member@a.test', '10.0.0.9', 'failed', now() - interval '2 minutes'),
    ('member@a.test', '10.0.0.9', 'pending', now() - interval '1 minute');
SELECT is(login_attempts_left('member@a.test'), 2, 'auth-3.10: three unsuccessful attempts leave 2');
SELECT max(id) AS pending_attempt FROM login_attempts WHERE email = 'member@a.test' \gset
SET LOCAL ROLE clientd_app;
SELECT is((SELECT user_public_id FROM login_succeed(:pending_attempt, 913, '10.0.0.9',
    sha256('new'), 'test', NULL)), 'ua-member', 'auth-3.10a: a login opens a session');
RESET ROLE;
SELECT is(login_attempts_left('member@a.test'), 5, 'auth-3.11: and forgets the account''s earlier failures');
SELECT is((SELECT count(*) FROM login_attempts WHERE email = 'member@a.test'), 3::bigint,
    'auth-3.11a: which still count among its attempts of any outcome');
INSERT INTO login_attempts (email, ip, outcome, at)
    VALUES ('member@a.test', '10.0.0.9', 'failed', now() + interval '1 second');
SELECT is(login_attempts_left('member@a.test'), 4, 'auth-3.11b: (twin) a later failure counts');
SELECT is((SELECT password_hash FROM users WHERE id = 913), '$argon2id$a3',
    'auth-3.12: without a new hash the stored one stays');
INSERT INTO sessions (company_id, user_id, token_hash, expires_at, last_seen_at)
    SELECT 901, 913, sha256(convert_to('many' || i, 'UTF8')), now() + interval '1 day',
	now() - i * interval '1 minute'
    FROM generate_series(1, 25) i;
SET LOCAL ROLE clientd_app;
SELECT is((SELECT user_public_id FROM login_succeed(NULL, 913, '10.0.0.9', sha256('newest'),
    'test', '$argon2id$rehashed')), 'ua-member', 'auth-3.13: another login');
RESET ROLE;
SELECT is((SELECT count(*) FROM sessions WHERE user_id = 913), 20::bigint,
    'auth-3.14: keeps 20 live sessions of a user');
SELECT ok(EXISTS (SELECT 1 FROM sessions WHERE token_hash = sha256('newest'))
    AND NOT EXISTS (SELECT 1 FROM sessions WHERE token_hash = sha256(convert_to('many25', 'UTF8'))),
    'auth-3.15: the newest stays, the oldest ended');
SELECT is((SELECT password_hash FROM users WHERE id = 913), '$argon2id$rehashed',
    'auth-3.16: a hash with old parameters is replaced by the new one');

SELECT * FROM finish();
ROLLBACK;
