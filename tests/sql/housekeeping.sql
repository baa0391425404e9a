-- pgTAP: sql/functions/housekeeping.sql (what the worker deletes on a timer).
BEGIN;
\ir lib/fixture.psql
SELECT plan(7);

INSERT INTO sessions (company_id, user_id, token_hash, expires_at, last_seen_at) VALUES
	(901, 913, sha256('fresh'), now() + interval '1 day', now()),
	(901, 913, sha256('expired'), now() - interval '1 second', now()),
	(901, 913, sha256('idle'), now() + interval '1 day', now() - interval '9 hours');
INSERT INTO login_attempts (email, at) VALUES
	('member@a.test', now() - interval '2 days'), ('member@a.test', now() - interval '1 hour');
INSERT INTO idempotency_keys (company_id, actor, key, fingerprint, created_at) VALUES
	(901, 'ua-member', 'old', 'f', now() - interval '25 hours'),
	(901, 'ua-member', 'new', 'f', now() - interval '23 hours');

SELECT ok(NOT has_function_privilege('clientd_app', 'housekeeping()', 'EXECUTE'),
    'housekeeping-1.1: the daemon''s role cannot run housekeeping');
SET LOCAL ROLE clientd_worker;
SELECT is(housekeeping(), 4, 'housekeeping-1.2: the worker runs it: 4 rows go');
RESET ROLE;
SELECT is(ARRAY(SELECT token_hash FROM sessions WHERE user_id = 913),
    ARRAY[sha256('fresh')], 'housekeeping-2.1: expired and idle sessions go, the fresh one stays');
SELECT is((SELECT count(*) FROM login_attempts WHERE email = 'member@a.test'), 1::bigint,
    'housekeeping-2.2: failed logins older than a day go');
SELECT is(ARRAY(SELECT key FROM idempotency_keys WHERE company_id = 901), ARRAY['new'],
    'housekeeping-2.3: idempotency keys past 24 hours go');
SET LOCAL ROLE clientd_worker;
SELECT is(housekeeping(), 0, 'housekeeping-3.1: twice is nothing the second time');
RESET ROLE;
SELECT ok(NOT has_function_privilege('clientd_worker', 'auth_begin(text, bytea, text)', 'EXECUTE'),
    'housekeeping-3.2: (and the worker cannot authenticate requests)');

SELECT * FROM finish();
ROLLBACK;
