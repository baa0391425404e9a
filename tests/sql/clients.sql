-- pgTAP: sql/functions/clients.sql (client writes, lifecycle, bulk, merge).
BEGIN;
\ir lib/fixture.psql
SELECT plan(36);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;

-- Create, update, lifecycle.
SELECT throws_ok($$SELECT client_create('{"phone": "1"}', chr(1), 4, false)$$, 'CD422',
    'a client needs a name or a contact with a name or an email address',
    'clients-1.1: a client needs something to be called by');
SELECT client_create('{"name": "Acme", "number": "A-1"}', NULL, NULL, false) ->> 'id' AS a \gset
SELECT is(tap.err($$SELECT client_create('{"name": "Other", "number": "A-1"}', NULL, NULL, false)$$)
    ->> 'state', 'CD409', 'clients-1.2: a number in use is a conflict');
SELECT is((SELECT type FROM events WHERE entity_public_id = :'a'), 'client.created',
    'clients-1.3: creating writes client.created');
SELECT is((client_update(:'a', '{"name": "Acme"}', 1)::jsonb) ->> 'version', '1',
    'clients-1.4: an update that changes nothing keeps the version');
SELECT is((SELECT count(*) FROM events WHERE entity_public_id = :'a'), 1::bigint,
    'clients-1.5: and writes no event');
SELECT throws_ok(format($$SELECT client_update(%L, '{"name": "Acme 2"}', 7)$$, :'a'), 'CD412', NULL,
    'clients-1.6: a stale If-Match is a 412');
SELECT is((client_state(:'a', 'archive', 1)::jsonb) ->> 'status', 'archived',
    'clients-1.7: archive');
SELECT is((client_state(:'a', 'delete', NULL)::jsonb) ->> 'status', 'deleted', 'clients-1.8: delete');
SELECT throws_ok(format($$SELECT client_state(%L, 'archive', NULL)$$, :'a'), 'CD409',
    'client is deleted', 'clients-1.9: a deleted client cannot be archived');
SELECT throws_ok(format($$SELECT client_update(%L, '{"name": "x"}', NULL)$$, :'a'), 'CD409',
    'client is deleted', 'clients-1.10: nor edited');
SELECT is((client_state(:'a', 'restore', NULL)::jsonb) ->> 'status', 'active', 'clients-1.11: restore');
SELECT throws_ok(format($$SELECT client_state(%L, 'explode', NULL)$$, :'a'), 'CD422',
    'unknown action "explode"', 'clients-1.12: an unknown action is a 422');
SELECT is((SELECT (active, archived, deleted)::text FROM client_stats WHERE company_id = 901),
    '(1,0,0)', 'clients-1.13: client_stats follows every transition');

-- A new client's derived text is written with it, as client_derive()
-- would compute it from the stored rows.
SELECT client_create('{"number": "D-1", "contacts": [{"first_name": "Dee", "last_name": "Jay",
    "email": "dj@x.test", "phone": "1"}, {"email": "z@x.test", "is_primary": false}]}',
    NULL, NULL, false) ->> 'id' AS dj \gset
SELECT display_name || '|' || search AS derived FROM clients WHERE public_id = :'dj' \gset
SELECT is(:'derived'::text, 'Dee Jay| d-1    dee jay dj@x.test 1   z@x.test '::text,
    'clients-1.14: a new client''s display name and search text come with its insert');
SELECT client_derive(id) FROM clients WHERE public_id = :'dj';
SELECT is((SELECT display_name || '|' || search FROM clients WHERE public_id = :'dj'), :'derived'::text,
    'clients-1.15: the same as deriving them from the stored client');

-- Bulk: one result per id.
SELECT client_create('{"name": "Bee"}', chr(1), 4, false) ->> 'id' AS b \gset
SELECT client_create('{"name": "Cee"}', chr(1), 4, false) ->> 'id' AS c \gset
SELECT client_state(:'c', 'delete', NULL);
SELECT client_state(:'b', 'archive', NULL);
SELECT client_bulk('archive', ARRAY[:'a', :'b', 'nope', :'c'], NULL) AS r \gset
SELECT is(ARRAY(SELECT e ->> 'result' || COALESCE(' ' || (e -> 'error' ->> 'status'), '')
    FROM json_array_elements(:'r'::json -> 'results') e),
    ARRAY['changed', 'unchanged', 'error 404', 'error 409'],
    'clients-2.1: bulk archive: changed, unchanged, not found, and a deleted client''s 409');
SELECT is((SELECT status FROM clients WHERE public_id = :'a'), 'archived',
    'clients-2.2: the changed one is archived');
SELECT group_create('G', NULL) ->> 'id' AS g \gset
SELECT is((SELECT count(*) FROM json_array_elements(client_bulk('assign_group', ARRAY[:'a', :'b'], :'g')
    -> 'results') e WHERE e ->> 'result' = 'changed'), 2::bigint, 'clients-2.3: bulk assign_group');
SELECT throws_ok(format($$SELECT client_bulk('assign_group', ARRAY[%L], 'nope')$$, :'a'), 'CD422', NULL,
    'clients-2.4: to a group that does not exist is a 422');
-- Members with "own" reach only their own clients.
SELECT tap.act('ua-own', 'own');
SELECT client_create('{"name": "Mine"}', chr(1), 4, false) ->> 'id' AS mine \gset
SELECT is(ARRAY(SELECT e ->> 'result' FROM json_array_elements(
    client_bulk('delete', ARRAY[:'mine', :'b'], NULL) -> 'results') e),
    ARRAY['changed', 'error'], 'clients-2.5: an "own" member''s bulk touches only their own clients');
SELECT throws_ok(format('SELECT client_get(%L)', :'b'), 'CD404', 'client not found',
    'clients-2.6: and cannot read the others');
SELECT tap.act('ub-owner');
SELECT throws_ok(format('SELECT client_get(%L)', :'b'), 'CD404', 'client not found',
    'clients-2.7: nor can another company');
SELECT tap.act('ua-owner');

-- Merge.
SELECT client_create('{"name": "Target", "contacts": [{"first_name": "T", "email": "same@x.test"}]}',
    chr(1), 4, false) ->> 'id' AS t \gset
SELECT client_create('{"name": "Source", "contacts": [{"first_name": "S", "email": "SAME@x.test"},
    {"first_name": "Cy", "email": "cy@x.test"}]}', chr(1), 4, false) ->> 'id' AS s \gset
SELECT ledger_post(:'s', '{"kind": "invoice", "amount": "50.00"}', NULL);
SELECT ledger_post(:'s', '{"kind": "payment", "amount": "-20.00"}', NULL);
SELECT throws_ok(format('SELECT client_merge(%L, %L)', :'t', :'t'), 'CD422',
    'a client cannot be merged into itself', 'clients-3.1: not into itself');
SELECT is(tap.err(format('SELECT client_merge(%L, %L)', :'t', 'nope')) ->> 'column', 'source',
    'clients-3.2: a source that does not exist is a 422 on source');
SELECT throws_ok(format('SELECT client_merge(%L, %L)', :'t', :'c'), 'CD409',
    'deleted clients cannot be merged', 'clients-3.3: a deleted client cannot be merged');
-- (The source's currency is pinned by its entries: the target's changes.)
SELECT client_settings_patch(:'t', '{"currency": "EUR"}', NULL);
SELECT throws_ok(format('SELECT client_merge(%L, %L)', :'t', :'s'), 'CD409',
    'clients with different currencies cannot be merged',
    'clients-3.4: a balance in another currency cannot be merged');
SELECT client_settings_patch(:'t', '{"currency": null}', NULL);
SELECT client_merge(:'t', :'s') AS m \gset
SELECT is((:'m'::jsonb) ->> 'balance' || ' ' || ((:'m'::jsonb) ->> 'paid_to_date'), '30.00 20.00',
    'clients-3.5: the target takes the source''s balance and paid to date');
SELECT is(ARRAY(SELECT kind || ' ' || amount::numeric(20, 2) || ' ' || paid_to_date_change::numeric(20, 2)
    FROM ledger_entries WHERE kind = 'merge' ORDER BY amount),
    ARRAY['merge -30.00 -20.00', 'merge 30.00 20.00'],
    'clients-3.6: through a merge entry on each');
SELECT is((SELECT status || ' ' || balance::numeric(20, 2) FROM clients WHERE public_id = :'s'),
    'deleted 0.00', 'clients-3.7: the source is deleted, with nothing left');
SELECT is(ARRAY(SELECT first_name FROM client_contacts WHERE client_id = client_internal_id(:'t')
    ORDER BY position), ARRAY['T', 'Cy'],
    'clients-3.8: its contacts move, but one whose email the target has');
SELECT is(ARRAY(SELECT type FROM events WHERE type IN ('client.merged', 'client.deleted')
    AND entity_public_id IN (:'t', :'s') ORDER BY id), ARRAY['client.merged', 'client.deleted'],
    'clients-3.9: one event each');
SELECT is((SELECT count(*) FROM ledger_check()), 0::bigint, 'clients-3.10: the ledger still agrees');

-- Purge: the row goes, the history stays.
SELECT client_purge(:'s');
SELECT is((SELECT count(*) FROM clients WHERE public_id = :'s'), 0::bigint, 'clients-4.1: purged');
SELECT is(ARRAY(SELECT type FROM events WHERE entity_public_id = :'s' ORDER BY id),
    ARRAY['client.created', 'client.deleted', 'client.purged'],
    'clients-4.2: its events stay');
-- Search: the tenant's clients only, though it runs as the owner.
SELECT is(ARRAY(SELECT public_id FROM clients WHERE id IN (SELECT client_search_ids('%target%'))),
    ARRAY[:'t'], 'clients-5.1: search finds by the derived text');
SELECT tap.act('ub-owner');
SELECT is((SELECT count(*) FROM client_search_ids('%')), 0::bigint,
    'clients-5.2: and never another company''s clients');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
