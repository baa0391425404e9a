-- pgTAP: sql/functions/tokens.sql (API tokens).
BEGIN;
\ir lib/fixture.psql
SELECT plan(10);

SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT token_create('script', 'cdt_abc', sha256('t1'), now() + interval '1 day') AS t1 \gset
SELECT is((:'t1'::jsonb) - 'id' - 'created_at' - 'expires_at',
    '{"name": "script", "prefix": "cdt_abc", "user": {"id": "ua-member", "email": "member@a.test"},
      "last_used_at": null}'::jsonb, 'tokens-1.1: token_create returns the token without its secret');
SELECT is((SELECT type FROM events WHERE entity_public_id = :'t1'::json ->> 'id'), 'token.created',
    'tokens-1.2: and writes its event');
SELECT throws_ok($$SELECT token_create('late', 'cdt_x', sha256('t2'), now() - interval '1 second')$$,
    'CD422', 'expiry time must be in the future', 'tokens-1.3: an expiry in the past is a 422');

-- At most 100 active tokens a user.
RESET ROLE;
INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash)
SELECT 901, 913, 'n' || i, 'cdt_n', sha256(('n' || i)::bytea) FROM generate_series(1, 99) i;
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT token_create('one too many', 'cdt_y', sha256('t3'), NULL)$$,
    'CD409', 'too many API tokens', 'tokens-2.1: the 101st active token is refused');
RESET ROLE;
UPDATE api_tokens SET revoked_at = now() WHERE user_id = 913 AND name = 'n1';
SET LOCAL ROLE clientd_app;
SELECT lives_ok($$SELECT token_create('after a revoke', 'cdt_y', sha256('t3'), NULL)$$,
    'tokens-2.2: revoked tokens do not count');

-- Members revoke their own; admins any of the company.
SELECT tap.act('ua-own');
SELECT throws_ok(format('SELECT token_revoke(%L)', :'t1'::json ->> 'id'), 'CD404',
    'token not found', 'tokens-3.1: a member cannot revoke another user''s token');
SELECT tap.act('ub-owner');
SELECT throws_ok(format('SELECT token_revoke(%L)', :'t1'::json ->> 'id'), 'CD404',
    'token not found', 'tokens-3.2: nor can another company''s owner');
SELECT tap.act('ua-admin');
SELECT lives_ok(format('SELECT token_revoke(%L)', :'t1'::json ->> 'id'),
    'tokens-3.3: an admin can');
SELECT throws_ok(format('SELECT token_revoke(%L)', :'t1'::json ->> 'id'), 'CD404',
    'token not found', 'tokens-3.4: a revoked token cannot be revoked again');
SELECT is((SELECT count(*) FROM events WHERE type = 'token.revoked'), 1::bigint,
    'tokens-3.5: one revoke, one event');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
