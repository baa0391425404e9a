-- pgTAP: sql/functions/users.sql (users as the company sees them, the
-- signed-in user's profile and password).
BEGIN;
\ir lib/fixture.psql
SELECT plan(17);

SELECT is(user_json('ua-member', 'A Member', 'member@a.test', 'member')::jsonb,
    '{"id": "ua-member", "name": "A Member", "email": "member@a.test", "role": "member"}'::jsonb,
    'users-1.1: a user as the company sees one: no more than id, name, email and role');

SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT is((profile_get()::jsonb) - 'created_at', '{"id": "ua-member", "email": "member@a.test",
    "name": "A Member", "role": "member", "permissions": ["clients.view", "clients.create",
    "clients.edit"], "last_login_at": null}'::jsonb, 'users-2.1: the profile is the signed-in user''s own');
SELECT is((profile_update('Ann Member')::jsonb) ->> 'name', 'Ann Member', 'users-2.2: the name changes');
SELECT is((SELECT changes FROM events WHERE type = 'user.updated'),
    '{"name": {"before": "A Member", "after": "Ann Member"}}'::jsonb, 'users-2.3: with an event');
SELECT is((profile_update('Ann Member')::jsonb) ->> 'name', 'Ann Member', 'users-2.4: the same name again');
SELECT is((SELECT count(*) FROM events WHERE type = 'user.updated'), 1::bigint, 'users-2.5: changes nothing');
SELECT throws_ok($$SELECT profile_update(repeat('x', 201))$$, '23514', NULL,
    'users-2.6: a name over 200 characters is refused (the table''s check)');
SELECT is((SELECT name FROM users WHERE id = 912), 'A Admin', 'users-2.7: nobody else''s name changed');
SELECT throws_ok($$UPDATE users SET password_hash = '$argon2id$x' WHERE id = 913$$, '42501', NULL,
    'users-2.8: the app cannot write a password hash itself');

-- The password: the other sessions end, the current one stays.
RESET ROLE;
INSERT INTO sessions (company_id, user_id, token_hash, expires_at) VALUES
	(901, 913, sha256('here'), now() + interval '1 day'),
	(901, 913, sha256('phone'), now() + interval '1 day'),
	(901, 912, sha256('admin'), now() + interval '1 day');
INSERT INTO login_attempts (email, ip, outcome, at) VALUES
	('member@a.test', NULL, 'failed', now() - interval '1 minute'),
	('admin@a.test', NULL, 'failed', now() - interval '1 minute');
SET LOCAL ROLE clientd_app;
SELECT is(user_password_set('$argon2id$new', sha256('here')), 1,
    'users-3.1: a new password ends the user''s other sessions');
RESET ROLE;
SELECT is((SELECT password_hash FROM users WHERE id = 913), '$argon2id$new', 'users-3.2: and is stored');
SELECT is(ARRAY(SELECT encode(token_hash, 'hex') FROM sessions WHERE user_id IN (912, 913) ORDER BY user_id, id),
    ARRAY[encode(sha256('admin'), 'hex'), encode(sha256('here'), 'hex')],
    'users-3.3: the current session and other users'' stay');
SELECT is(ARRAY[login_attempts_left('member@a.test'), login_attempts_left('admin@a.test')], ARRAY[5, 4],
    'users-3.4: the user''s failed logins are forgiven, as by a login; nobody else''s');
SELECT is((SELECT changes FROM events WHERE type = 'user.password_changed'),
    '{"sessions_ended": {"before": null, "after": 1}}'::jsonb, 'users-3.5: with an event, and no secret in it');
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT user_password_set('plain text', NULL)$$, '23514', NULL,
    'users-3.6: only an argon2id hash is stored');
SELECT is(user_password_set('$argon2id$newer', NULL), 1, 'users-3.7: without a session to keep, every one ends');
SELECT tap.none();
SELECT throws_ok($$SELECT user_password_set('$argon2id$x', NULL)$$, 'CD401', 'no signed-in user',
    'users-3.8: nobody signed in, no change');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
