-- pgTAP: sql/functions/mail.sql (the outbox: templates, queueing, attempts,
-- retries and giving up, secrets taken out of used links' mail).
BEGIN;
\ir lib/fixture.psql
SELECT plan(12);

SELECT is(mail_fill('Hi {{name}} at {{company}}', '{"name": "Ann", "company": "A & B"}', false),
    'Hi Ann at A & B', 'mail-1.1: placeholders are filled');
SELECT is(mail_fill('<p>{{name}}</p>', '{"name": "<b>Ann</b>"}', true),
    '<p>&lt;b&gt;Ann&lt;/b&gt;</p>', 'mail-1.2: (twin) in HTML, values are escaped');

-- A company's own template of a kind replaces the built-in one of that kind only.
UPDATE companies SET settings = '{"email_templates": {"magic": {"subject": "Own {{company}}", "text": "x {{link}}"}}}'
WHERE id = 901;
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT is(mail_template(901, 'magic') ->> 'subject', 'Own {{company}}',
    'mail-2.1: the company''s template of a kind');
SELECT alike(mail_template(901, 'reset') ->> 'subject', '%Reset your password%',
    'mail-2.2: (twin) the built-in one of the other kinds');

SELECT ok(mail_queue('magic', 'ann@a.test', '{"name": "Ann", "link": "http://x/#s"}', NULL, NULL, NULL) > 0,
    'mail-3.1: the daemon queues a mail');
SELECT is((SELECT subject || '|' || body_text FROM mail_outbox WHERE to_address = 'ann@a.test'),
    'Own Company A|x http://x/#s', 'mail-3.2: rendered with the company''s name');
SELECT is((SELECT count(*) FROM jobs WHERE kind = 'mail'
    AND payload ->> 'mail' = (SELECT id::text FROM mail_outbox WHERE to_address = 'ann@a.test')),
    1::bigint, 'mail-3.3: with its job, in the same transaction');
SELECT throws_ok($$SELECT mail_queue('nonsense', 'x@a.test', '{}', NULL, NULL, NULL)$$,
    'mail_queue: no tenant or no template "nonsense"', 'mail-3.4: (twin) an unknown kind is refused');
RESET ROLE;

-- The worker: a failure schedules the next attempt; a day-old mail is given up.
SET LOCAL ROLE clientd_worker;
SELECT is(mail_attempted((SELECT id FROM mail_outbox WHERE to_address = 'ann@a.test'),
    false, 'connection refused', 3, 30), 'queued', 'mail-4.1: a failed attempt keeps it queued');
SELECT is((SELECT count(*) FROM jobs WHERE kind = 'mail' AND run_at > now()), 1::bigint,
    'mail-4.2: with a job for the next attempt, later');
RESET ROLE;
UPDATE mail_outbox SET created_at = now() - interval '25 hours' WHERE to_address = 'ann@a.test';
SET LOCAL ROLE clientd_worker;
SELECT is(mail_attempted((SELECT id FROM mail_outbox WHERE to_address = 'ann@a.test'),
    false, 'still refused', 3, 30), 'failed', 'mail-4.3: (twin) a day old, it is given up');
RESET ROLE;
SELECT is((SELECT last_error || ' ' || attempts FROM mail_outbox WHERE to_address = 'ann@a.test'),
    'still refused 2', 'mail-4.4: with the reason and the attempts');

SELECT * FROM finish();
ROLLBACK;
