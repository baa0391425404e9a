-- pgTAP: sql/functions/idempotency.sql (Idempotency-Key).
BEGIN;
\ir lib/fixture.psql
SELECT plan(19);

SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;

SELECT lives_ok($$SELECT idem_begin(NULL, 'f1')$$, 'idempotency-1.1: no key, nothing to do');
SELECT is((SELECT count(*) FROM idempotency_keys), 0::bigint,
    'idempotency-1.2: and nothing is stored');

SELECT is((SELECT row(replayed, status, response)::text FROM idem_begin('k1', 'f1')),
    '(f,,)', 'idempotency-2.1: a new key is claimed, and is no replay');
SELECT ok(idem_fresh(), 'idempotency-2.1a: so the writing statement runs');
SELECT is(idem_store('k1', 201, '{"id": "x1"}')::jsonb, '{"id": "x1"}'::jsonb,
    'idempotency-2.2: idem_store hands back the response it stores');
SELECT is((SELECT row(replayed, status, response)::text FROM idem_begin('k1', 'f1')),
    '(t,201,"{""id"": ""x1""}")',
    'idempotency-2.3: the same key and request replay the stored response and status, as data');
SELECT ok(NOT idem_fresh(), 'idempotency-2.3a: and the writing statement is turned off');
-- The daemon's guard: a one-time filter, so the write itself never runs.
CREATE TEMP TABLE writes (n int);
CREATE FUNCTION pg_temp.write() RETURNS json LANGUAGE plpgsql AS
    $$ BEGIN INSERT INTO writes VALUES (1); RETURN '{}'; END $$;
SELECT is((SELECT count(*) FROM (SELECT pg_temp.write() AS stored
    WHERE idem_fresh() OFFSET 0) s), 0::bigint,
    'idempotency-2.3b: a replay''s guarded write returns no row');
SELECT is((SELECT count(*) FROM writes), 0::bigint,
    'idempotency-2.3c: and did not run');
SELECT lives_ok($$SELECT idem_begin(NULL, 'f1')$$, 'idempotency-2.3d: a request without a key');
SELECT ok(idem_fresh(), 'idempotency-2.3e: writes again');
-- Twin: a claim without its stored answer (which a committed claim
-- always has) is an error, not a replay of nothing.
RESET ROLE;
UPDATE idempotency_keys SET status = NULL, response = NULL WHERE key = 'k1';
SET LOCAL ROLE clientd_app;
SELECT is(tap.err($$SELECT idem_begin('k1', 'f1')$$) ->> 'state', 'P0001',
    'idempotency-2.3f: a claim without an answer is an internal error');
RESET ROLE;
UPDATE idempotency_keys SET status = 201, response = '{"id": "x1"}' WHERE key = 'k1';
SET LOCAL ROLE clientd_app;
SELECT is(tap.err($$SELECT idem_begin('k1', 'f2')$$) - 'detail',
    '{"state": "CD409", "message": "idempotency key was already used for a different request",
      "hint": "Use a new key for a new request.", "column": null}'::jsonb,
    'idempotency-2.4: the same key with another request is a 409');

-- Keys are per actor: another user's k1 is a different key.
SELECT tap.act('ua-admin');
SELECT lives_ok($$SELECT idem_begin('k1', 'f2')$$,
    'idempotency-3.1: another actor''s same key is its own');
-- And per tenant.
SELECT tap.act('ub-owner');
SELECT lives_ok($$SELECT idem_begin('k1', 'f3')$$,
    'idempotency-3.2: another company''s same key is its own');
SELECT is((SELECT count(*) FROM idempotency_keys), 1::bigint,
    'idempotency-3.3: and a company sees only its own keys');

-- After 24 hours a key is free again.
RESET ROLE;
UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 second'
WHERE actor = 'ua-member' AND key = 'k1';
SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT lives_ok($$SELECT idem_begin('k1', 'f9')$$,
    'idempotency-4.1: a key older than 24 hours is claimed again, for another request too');
SELECT is((SELECT fingerprint || ' ' || COALESCE(status::text, 'none') FROM idempotency_keys
    WHERE actor = 'ua-member' AND key = 'k1'), 'f9 none',
    'idempotency-4.2: with the new request and no response yet');
-- Twin: just under 24 hours it is still taken.
RESET ROLE;
UPDATE idempotency_keys SET created_at = now() - interval '23 hours 59 minutes', status = 200,
    response = '{}' WHERE actor = 'ua-member' AND key = 'k1';
SET LOCAL ROLE clientd_app;
SELECT is(tap.err($$SELECT idem_begin('k1', 'f1')$$) ->> 'state', 'CD409',
    'idempotency-4.3: a key younger than 24 hours is still taken');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
