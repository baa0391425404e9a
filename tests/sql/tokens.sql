-- pgTAP: sql/functions/tokens.sql (API tokens).
BEGIN;
\ir lib/fixture.psql
SELECT plan(19);

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

-- Tokens making tokens: only with the explicit permission, never
-- outliving the maker, revoked with it.
INSERT INTO api_tokens (public_id, company_id, user_id, name, prefix, token_hash, expires_at)
VALUES ('tok-parent', 901, 912, 'parent', 'cdt_p', sha256('tp'), now() + interval '10 days');
CREATE FUNCTION pg_temp.as_token(p_token text) RETURNS void LANGUAGE sql AS $$
	SELECT tap.act('ua-admin');
	SELECT set_config('app.actor_type', 'token', true), set_config('app.actor_id', p_token, true)
$$;
SELECT pg_temp.as_token('tok-parent');
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT token_create('child', 'cdt_c', sha256('tc'), NULL)$$,
    'CD403', 'permission denied', 'tokens-4.1: a token cannot make tokens, even an admin''s');
RESET ROLE;
UPDATE users SET permissions = permissions || '{tokens.create}' WHERE id = 912;
SELECT pg_temp.as_token('tok-parent');
SET LOCAL ROLE clientd_app;
SELECT token_create('child', 'cdt_c', sha256('tc'), NULL) AS child \gset
SELECT is((:'child'::json ->> 'expires_at')::timestamptz,
    (SELECT expires_at FROM api_tokens WHERE public_id = 'tok-parent'),
    'tokens-4.2: with "tokens.create" it can; without an expiry, the child takes the maker''s');
SELECT is(tap.err($$SELECT token_create('later', 'cdt_l', sha256('tl'), now() + interval '11 days')$$)
    ->> 'column', 'expires_at', 'tokens-4.3: an expiry past the maker''s is a 422 on expires_at');
SELECT lives_ok($$SELECT token_create('sooner', 'cdt_s', sha256('ts'), now() + interval '1 day')$$,
    'tokens-4.4: an earlier one is fine');
SELECT pg_temp.as_token(:'child'::json ->> 'id');
SELECT token_create('grandchild', 'cdt_g', sha256('tg'), NULL) AS grandchild \gset
SELECT tap.act('ua-admin');
SELECT lives_ok($$SELECT token_revoke('tok-parent')$$, 'tokens-4.5: revoking the maker');
RESET ROLE;
SELECT is((SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL
    AND public_id IN ('tok-parent', :'child'::json ->> 'id', :'grandchild'::json ->> 'id')),
    3::bigint, 'tokens-4.6: revokes what it made, and what that made');
SELECT is((SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL AND parent_id =
    (SELECT id FROM api_tokens WHERE public_id = 'tok-parent')), 0::bigint,
    'tokens-4.7: every one of them');
SELECT is((SELECT count(*) FROM events WHERE type = 'token.revoked'), 5::bigint,
    'tokens-4.8: each with its event');
-- A session (a person) makes tokens without the permission, unlimited.
SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT is((SELECT token_create('by hand', 'cdt_h', sha256('th'), NULL) ->> 'expires_at'), NULL,
    'tokens-4.9: a signed-in user needs no permission, and sets any expiry');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
