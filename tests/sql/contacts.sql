-- pgTAP: sql/functions/contacts.sql (the contacts of a client).
BEGIN;
\ir lib/fixture.psql
SELECT plan(15);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT client_create('{"contacts": [{"first_name": "Ann", "last_name": "Lee", "email": "ann@x.test"},
    {"first_name": "Bob", "email": "bob@x.test"}]}', chr(1), 4, false) AS c \gset
SELECT :'c'::json ->> 'id' AS cid, :'c'::json -> 'contacts' -> 0 ->> 'id' AS ann,
    :'c'::json -> 'contacts' -> 1 ->> 'id' AS bob \gset

SELECT is(ARRAY(SELECT first_name FROM client_contacts WHERE is_primary AND client_id =
    client_internal_id(:'cid')), ARRAY['Ann'], 'contacts-1.1: the first contact is the primary one');
SELECT is((SELECT display_name FROM clients WHERE public_id = :'cid'), 'Ann Lee',
    'contacts-1.2: a client without a name is called by its primary contact');
SELECT contact_update(:'cid', :'bob', '{"is_primary": true}', NULL);
SELECT is(ARRAY(SELECT first_name FROM client_contacts WHERE is_primary AND client_id =
    client_internal_id(:'cid')), ARRAY['Bob'], 'contacts-1.3: making another primary moves it: one primary');
SELECT is((SELECT display_name FROM clients WHERE public_id = :'cid'), 'Bob',
    'contacts-1.4: and the client''s name follows');
SELECT throws_ok(format($$SELECT contact_update(%L, %L, '{"is_primary": false}', NULL)$$, :'cid', :'bob'),
    'CD422', 'a client always has a primary contact', 'contacts-1.5: the primary cannot just stop being it');

SELECT is(tap.err(format($$SELECT contact_create(%L, '{"first_name": "Dup", "email": "ANN@x.test"}')$$, :'cid'))
    - 'detail' - 'hint', '{"state": "CD409", "column": "email",
      "message": "email \"ANN@x.test\" is already used by another contact of this client"}'::jsonb,
    'contacts-2.1: an email address once per client, whatever the case');
SELECT is((contact_update(:'cid', :'ann', '{"send_email": false}', NULL)::jsonb) ->> 'send_email',
    'false', 'contacts-2.2: (twin) one of two contacts with an email address may stop receiving email');
SELECT throws_ok(format($$SELECT contact_update(%L, %L, '{"send_email": false}', NULL)$$, :'cid', :'bob'),
    'CD422', 'at least one contact with an email address must receive email',
    'contacts-2.3: someone with an email address receives email');
SELECT throws_ok(format($$SELECT contact_update(%L, %L, '{"first_name": "Ann"}', 7)$$, :'cid', :'ann'),
    'CD412', NULL, 'contacts-2.4: a stale If-Match is a 412');

SELECT contact_update(:'cid', :'ann', '{"send_email": true}', NULL);
SELECT contact_delete(:'cid', :'bob', NULL);
SELECT is(ARRAY(SELECT first_name FROM client_contacts WHERE is_primary AND client_id =
    client_internal_id(:'cid')), ARRAY['Ann'], 'contacts-3.1: deleting the primary makes another one primary');
SELECT throws_ok(format('SELECT contact_delete(%L, %L, NULL)', :'cid', :'ann'), 'CD422',
    'a client needs a name or a contact with a name or an email address',
    'contacts-3.2: the last contact of a client without a name stays');

SELECT client_create('{"name": "Other"}', chr(1), 4, false) ->> 'id' AS other \gset
SELECT throws_ok(format('SELECT contact_get(%L, %L)', :'other', :'ann'), 'CD404', 'contact not found',
    'contacts-4.1: another client''s contact is not found');
SELECT is((contact_get(:'cid', :'ann')::jsonb) ->> 'first_name', 'Ann',
    'contacts-4.2: (twin) its own is');
SELECT is(tap.err(format($$SELECT client_update(%L, jsonb_build_object('contacts',
    jsonb_build_array(jsonb_build_object('id', %L))), NULL)$$, :'other', :'ann')) ->> 'column',
    'contacts[0].id', 'contacts-4.3: a contacts array cannot take another client''s contact');
SELECT client_update(:'cid', '{"name": "Named", "contacts": [{"first_name": "New"}]}', NULL);
SELECT is(ARRAY(SELECT first_name FROM client_contacts WHERE client_id = client_internal_id(:'cid')),
    ARRAY['New'], 'contacts-4.4: contacts left out of the array are removed');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
