-- pgTAP: sql/functions/idempotency.sql (Idempotency-Key).
BEGIN;
\ir lib/fixture.psql
SELECT plan(12);

SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;

SELECT lives_ok($$SELECT idem_begin(NULL, 'f1')$$, 'idempotency-1.1: no key, nothing to do');
SELECT is((SELECT count(*) FROM idempotency_keys), 0::bigint,
    'idempotency-1.2: and nothing is stored');

SELECT lives_ok($$SELECT idem_begin('k1', 'f1')$$, 'idempotency-2.1: a new key is claimed');
SELECT is(idem_store('k1', 201, '{"id": "x1"}')::jsonb, '{"id": "x1"}'::jsonb,
    'idempotency-2.2: idem_store hands back the response it stores');
SELECT is(tap.err($$SELECT idem_begin('k1', 'f1')$$),
    '{"state": "CDRPL", "message": "replay", "detail": "{\"id\": \"x1\"}", "hint": "201", "column": null}'::jsonb,
    'idempotency-2.3: the same key and request replay the stored response and status');
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
