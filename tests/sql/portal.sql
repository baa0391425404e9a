-- pgTAP: sql/functions/portal.sql (portal addresses, throttling, links,
-- sessions and what contacts may change).
BEGIN;
\ir lib/fixture.psql
SELECT plan(20);

-- Company slugs: from the name, unique, URL-safe.
INSERT INTO companies (id, name) VALUES (903, 'Müller & Söhne GmbH'), (904, 'Company A'), (905, '***');
SELECT is(ARRAY(SELECT slug FROM companies WHERE id IN (901, 903, 904, 905) ORDER BY id),
    ARRAY['company-a', 'm-ller-s-hne-gmbh', 'company-a-2', 'company'],
    'portal-1.1: a new company gets the slug of its name, with -2 when taken');
SELECT throws_ok($$UPDATE companies SET slug = 'Not A Slug' WHERE id = 903$$, '23514', NULL,
    'portal-1.2: (twin) a slug that is not URL-safe is refused');
SELECT throws_ok($$UPDATE companies SET slug = 'company-a' WHERE id = 903$$, '23505', NULL,
    'portal-1.3: (twin) another company''s slug is refused');

-- The portal of a slug sets the tenant; an unknown one is a 404.
SET LOCAL ROLE clientd_app;
SELECT is((portal_info('company-a') ->> 'name'), 'Company A', 'portal-2.1: a portal by its slug');
SELECT is(app_company_id(), 901::bigint, 'portal-2.2: and the tenant is its company');
SELECT throws_ok($$SELECT portal_info('nobody-here')$$, 'CD404', 'portal not found',
    'portal-2.3: (twin) no company has the slug');
RESET ROLE;

-- Throttling per key within the window, forgotten by a success.
SELECT is((SELECT retry_after FROM portal_attempt('portal', 'k1', '192.0.2.1', '15 minutes', 2, 10, NULL, NULL)), 0,
    'portal-3.1: a first attempt goes ahead');
SELECT is((SELECT retry_after FROM portal_attempt('portal', 'k1', '192.0.2.1', '15 minutes', 2, 10, NULL, NULL)), 0,
    'portal-3.2: a second too');
SELECT cmp_ok((SELECT retry_after FROM portal_attempt('portal', 'k1', '192.0.2.1', '15 minutes', 2, 10, NULL, NULL)), '>', 0,
    'portal-3.3: (twin) a third waits: two did not succeed');
SELECT is((SELECT retry_after FROM portal_attempt('staff', 'k1', '192.0.2.1', '15 minutes', 2, 10, NULL, NULL)), 0,
    'portal-3.4: another realm is counted apart');

-- Links: single use, while the contact keeps its email.
UPDATE client_contacts SET email = 'ann@a.test' WHERE client_id = 941;
INSERT INTO clients (id, company_id, number, name) VALUES (941, 901, '1', 'Client A');
INSERT INTO client_contacts (id, company_id, client_id, first_name, email)
    VALUES (9411, 901, 941, 'Ann', 'Ann@A.test');
INSERT INTO portal_links (company_id, contact_id, email, kind, secret_hash, expires_at) VALUES
	(901, 9411, 'ann@a.test', 'magic', sha256('good'), now() + interval '10 minutes'),
	(901, 9411, 'ann@a.test', 'magic', sha256('used'), now() + interval '10 minutes'),
	(901, 9411, 'ann@a.test', 'magic', sha256('old'), now() - interval '1 second');
UPDATE portal_links SET used_at = now() WHERE secret_hash = sha256('used');
SET LOCAL ROLE clientd_app;
SELECT is(portal_link_check('company-a', sha256('good')) ->> 'kind', 'magic',
    'portal-4.1: a usable link');
SELECT throws_ok($$SELECT portal_link_check('company-a', sha256('used'))$$, 'CD410', NULL,
    'portal-4.2: (twin) a used one is gone');
SELECT throws_ok($$SELECT portal_link_check('company-a', sha256('old'))$$, 'CD410', NULL,
    'portal-4.3: (twin) an expired one is gone');
SELECT throws_ok($$SELECT portal_link_check('company-b', sha256('good'))$$, 'CD410', NULL,
    'portal-4.4: (twin) at another company''s portal it is gone');
RESET ROLE;
UPDATE client_contacts SET email = 'other@a.test' WHERE id = 9411;
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT portal_link_check('company-a', sha256('good'))$$, 'CD410', NULL,
    'portal-4.5: (twin) once the contact''s email changed it is gone');
SELECT ok(NOT has_column_privilege('clientd_app', 'portal_links', 'secret_hash', 'SELECT')
    AND NOT has_column_privilege('clientd_app', 'portal_accounts', 'password_hash', 'SELECT'),
    'portal-5.1: the daemon''s role reads no link hash and no password hash');
RESET ROLE;

-- The portal status staff see (portal_status_name(), which the daemon's
-- lists of clients inline).
SELECT is(ARRAY[portal_status_name(now(), NULL, NULL, NULL),
	portal_status_name(now(), now(), now() - interval '1 day', NULL),
	portal_status_name(NULL, now(), now() + interval '1 day', NULL)],
    ARRAY['active', 'active', 'invited'],
    'portal-6.1: a password makes a contact active, whatever its invitations; an open invitation is invited');
SELECT is(ARRAY[portal_status_name(NULL, now(), now() - interval '1 second', NULL),
	portal_status_name(NULL, now(), now() + interval '1 day', now()),
	portal_status_name(NULL, NULL, NULL, NULL)],
    ARRAY['invitation_expired', 'invitation_expired', 'not_invited'],
    'portal-6.2: (twin) an expired or used invitation without a password is over; none is not invited');
SELECT throws_ok($$INSERT INTO portal_accounts (company_id, email, password_hash)
    VALUES (901, 'nodate@a.test', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA')$$, '23514', NULL,
    'portal-6.3: an account has a password exactly when it says since when (a hash alone is refused)');
SELECT throws_ok($$INSERT INTO portal_accounts (company_id, email, password_set_at)
    VALUES (901, 'nohash@a.test', now())$$, '23514', NULL,
    'portal-6.4: (twin) and a date alone too');

SELECT * FROM finish();
ROLLBACK;
