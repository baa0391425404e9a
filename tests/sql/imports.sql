-- pgTAP: sql/functions/imports.sql (CSV imports of clients, issue 16).
BEGIN;
\ir lib/fixture.psql
SELECT plan(51);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;

-- Upload: invisible until whole.
SELECT import_create('clients.csv', 42) AS up \gset
SELECT throws_ok(format('SELECT import_get(%L)', :'up'), 'CD404', 'import not found',
    'imports-1.1: an upload still being stored is nobody''s to see');
SELECT import_chunk_add(:'up', 0, 'name,email' || chr(10) || 'A,a@x.test' || chr(10));
SELECT is((import_upload_finish(:'up', '{"encoding": "UTF-8", "delimiter": ",",
    "header_row": 1, "first_row": 2, "rows": 1, "columns": [{"name": "name"},
    {"name": "email"}], "preview": [["A", "a@x.test"]], "header_key": "k1",
    "suggested": ["name", "contact1.email"], "options": {"mode": "valid_rows"}}')
    ::jsonb) ->> 'status', 'uploaded', 'imports-1.2: the last piece makes it an upload');
SELECT is((import_get(:'up')::jsonb) -> 'suggested_mapping', '["name", "contact1.email"]',
    'imports-1.3: with the suggested mapping');
SELECT throws_ok(format('SELECT import_chunk_add(%L, 1, %L)', :'up', 'x'), 'CD404', NULL,
    'imports-1.4: a finished upload takes no more pieces');
SELECT import_create('gone.csv', 1) AS gone \gset
SELECT import_upload_discard(:'gone');
SELECT is((SELECT count(*) FROM imports WHERE public_id = :'gone'), 0::bigint,
    'imports-1.5: a failed upload is discarded');

-- Mapping, queueing, cancelling.
SELECT throws_ok(format('SELECT import_queue(%L, %L)', :'up', 'run'), 'CD422',
    'import has no mapping', 'imports-2.1: no run without a mapping');
SELECT is((import_configure(:'up', '["name", "contact1.email"]', NULL, 1)::jsonb) ->> 'version',
    '2', 'imports-2.2: a mapping is set');
SELECT throws_ok(format('SELECT import_configure(%L, NULL, %L, 1)', :'up', '{}'), 'CD412', NULL,
    'imports-2.3: with a stale If-Match it is a 412');
SELECT throws_ok(format('SELECT import_cancel(%L)', :'up'), 'CD409', 'import is not running',
    'imports-2.4: nothing to cancel before it runs');
SELECT is((import_queue(:'up', 'dry_run')::jsonb) ->> 'status', 'checking',
    'imports-2.5: a dry run is queued');
SELECT is((SELECT payload ->> 'phase' FROM jobs WHERE kind = 'import' ORDER BY id DESC LIMIT 1),
    'dry_run', 'imports-2.6: as a job for the worker');
SELECT throws_ok(format('SELECT import_queue(%L, %L)', :'up', 'run'), 'CD409',
    'import is in a dry run', 'imports-2.7: one phase at a time');
SELECT throws_ok(format('SELECT import_configure(%L, NULL, %L, NULL)', :'up', '{}'), 'CD409',
    NULL, 'imports-2.8: and no new mapping meanwhile');
SELECT throws_ok(format('SELECT import_delete(%L)', :'up'), 'CD409', NULL,
    'imports-2.9: nor deleting it');
SELECT ok((import_cancel(:'up')::jsonb -> 'cancel_requested')::boolean,
    'imports-2.10: a running phase can be cancelled');

-- Templates.
SELECT import_template_save('Zoho', 'k1', '["name"]', '["name"]', '{}') ->> 'id' AS t1 \gset
SELECT is(import_template_save('zoho', 'k1', '["name"]', '["number"]', '{}') ->> 'id', :'t1',
    'imports-3.1: a template of the same name (any case) is replaced');
SELECT throws_ok($$SELECT import_template_delete('nope')$$, 'CD404', NULL,
    'imports-3.2: an unknown template is a 404');
SELECT import_create('again.csv', 1) AS up2 \gset
SELECT is((import_upload_finish(:'up2', '{"header_key": "k1", "columns": [], "preview": [],
    "rows": 1, "suggested": ["x"]}')::jsonb) -> 'suggested_mapping', '["number"]',
    'imports-3.3: a file with a saved header gets its template''s mapping');
SELECT tap.act('ub-owner');
SELECT throws_ok(format('SELECT import_get(%L)', :'up'), 'CD404', NULL,
    'imports-3.4: another company''s import is a 404');
SELECT throws_ok(format('SELECT import_template_delete(%L)', :'t1'), 'CD404', NULL,
    'imports-3.5: and so is its template');
SELECT tap.act('ua-owner');

-- Keys and matching.
SELECT is(import_key_norm('name', ' Acme  GmbH '), 'acmegmbh',
    'imports-4.1: names compare without case and spaces');
SELECT is(import_key_norm('email', 'Ann@X.test'), 'ann@x.test',
    'imports-4.2: emails without case');
SELECT is(import_key_norm('number', 'C 1'), 'C 1', 'imports-4.3: numbers as they are');
SELECT client_create('{"name": "Acme GmbH", "number": "C1", "id_number": "Z-9",
    "contacts": [{"email": "ann@acme.test"}]}', NULL, NULL, false) ->> 'id' AS acme \gset
SELECT client_create('{"name": "ACME gmbh", "number": "C2"}', NULL, NULL, false) ->> 'id' AS acme2 \gset
SELECT client_create('{"name": "Gone", "number": "C3", "contacts": [{"email": "gone@x.test"}]}',
    NULL, NULL, false) ->> 'id' AS gonec \gset
SELECT client_state(:'gonec', 'delete', NULL);
SELECT is(cardinality(import_match('number', 'C1')), 1, 'imports-4.4: by number');
SELECT is(cardinality(import_match('id_number', 'Z-9')), 1, 'imports-4.5: by ID number');
SELECT is(cardinality(import_match('email', 'ANN@acme.test')), 1,
    'imports-4.6: by the primary contact''s email');
SELECT is(cardinality(import_match('name', 'acme gmbh')), 2,
    'imports-4.7: by name: two clients named alike are two matches');
SELECT is(cardinality(import_match('email', 'gone@x.test')), 0,
    'imports-4.8: deleted clients never match');
SELECT is(cardinality(import_match('number', '')), 0, 'imports-4.9: no key, no match');

-- Rows: created, skipped, updated, refused; duplicates in the file.
RESET ROLE;
SELECT id AS iid FROM imports WHERE public_id = :'up2' \gset
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_worker;
SELECT import_apply(:iid, 'run', '[
  {"row": 2, "key": "new@x.test", "body": {"name": "New", "contacts": [{"email": "new@x.test"}]},
   "settings": {"currency": "EUR"}, "group": "VIP", "opening_balance": "-12.50",
   "template": "\u0001", "padding": 4},
  {"row": 3, "key": "new@x.test", "body": {"name": "New again", "contacts": [{"email": "new@x.test"}]},
   "template": "\u0001", "padding": 4},
  {"row": 4, "key": "ann@acme.test", "body": {"name": "Acme", "contacts": [{"email": "ann@acme.test"}]}},
  {"row": 5, "key": "c@x.test", "body": {"name": "Cee", "number": "C1"}},
  {"row": 6, "key": "d@x.test", "body": {"name": "Dee", "contacts": [{"email": "d@x.test"}]},
   "settings": {"currency": "XXX"}, "template": "\u0001", "padding": 4},
  {"row": 7, "key": "e@x.test", "body": {"name": "Eee", "number": "N7"}},
  {"row": 8, "key": "f@x.test", "body": {"name": "Eff", "number": "N7"}}
]', '{"match_key": "email", "on_match": "skip", "create_groups": true}') AS r \gset
SELECT is(ARRAY(SELECT e ->> 'outcome' FROM jsonb_array_elements(:'r'::jsonb -> 'rows') e),
    ARRAY['created', 'skipped', 'skipped', 'error', 'error', 'created', 'error'],
    'imports-5.1: each row''s outcome');
SELECT is((:'r'::jsonb -> 'rows' -> 1 ->> 'duplicate_of')::int, 2,
    'imports-5.2: a row matching an earlier row of the file says which');
SELECT is(:'r'::jsonb -> 'rows' -> 3 -> 'error' ->> 'field', 'number',
    'imports-5.3: a number in use is refused on the number');
SELECT is(:'r'::jsonb -> 'rows' -> 4 -> 'error' ->> 'field', 'settings.currency',
    'imports-5.4: an unknown currency on settings.currency');
SELECT is(:'r'::jsonb -> 'rows' -> 6 -> 'error' ->> 'message',
    'client number "N7" is already used by row 7 of this file',
    'imports-5.5: a number an earlier row of the file took');
SELECT is((SELECT balance::text || ' ' || (settings ->> 'currency') || ' ' ||
    (SELECT g.name FROM client_groups g WHERE g.id = c.group_id) FROM clients c WHERE name = 'New'),
    '-12.500000 EUR VIP', 'imports-5.6: the settings, the group (created), the opening balance');
SELECT is((SELECT kind FROM ledger_entries e JOIN clients c ON c.id = e.client_id WHERE c.name = 'New'),
    'opening_balance', 'imports-5.7: the balance is an opening_balance entry');
SELECT is((SELECT count(*) FROM ledger_check()), 0::bigint,
    'imports-5.8: and the ledger agrees with the balances');
SELECT is((SELECT count(*) FROM events e JOIN clients c ON c.id = e.client_id
    WHERE c.name = 'New' AND e.type LIKE 'client.%'), 1::bigint,
    'imports-5.9: one event for the created client');
SELECT is((SELECT count(*) FROM clients WHERE name IN ('Cee', 'Dee', 'Eff')), 0::bigint,
    'imports-5.10: a refused row leaves nothing behind');

-- Update: only the fields the row fills; contacts merged by email.
SELECT import_apply(:iid, 'run', '[
  {"row": 9, "key": "ann@acme.test", "body": {"phone": "+1 555",
   "contacts": [{"email": "ann@acme.test", "first_name": "Ann"}, {"email": "bob@acme.test"}]},
   "opening_balance": "5.00"},
  {"row": 10, "key": "ann@acme.test", "body": {"phone": "+1 555",
   "contacts": [{"email": "ann@acme.test", "first_name": "Ann"}]}}
]', '{"match_key": "email", "on_match": "update"}') AS u \gset
SELECT is(ARRAY(SELECT e ->> 'outcome' FROM jsonb_array_elements(:'u'::jsonb -> 'rows') e),
    ARRAY['updated', 'unchanged'], 'imports-6.1: updated, then unchanged');
SELECT is((SELECT name || ' ' || phone || ' ' || number FROM clients WHERE public_id = :'acme'),
    'Acme GmbH +1 555 C1', 'imports-6.2: what the row does not fill stays');
SELECT is(ARRAY(SELECT first_name || '<' || email || '>' || is_primary FROM client_contacts k
    JOIN clients c ON c.id = k.client_id WHERE c.public_id = :'acme' ORDER BY k.position),
    ARRAY['Ann<ann@acme.test>true', '<bob@acme.test>false'],
    'imports-6.3: the contact with the email is updated, a new one added');
SELECT is((SELECT count(*) FROM events e JOIN clients c ON c.id = e.client_id
    WHERE c.public_id = :'acme' AND e.type = 'client.updated'), 1::bigint,
    'imports-6.4: one event for the update, none for the row that changed nothing');
SELECT is(import_apply(:iid, 'run', '[{"row": 11, "key": "ann@acme.test",
    "body": {"phone": "2"}, "opening_balance": "1.00"}]',
    '{"match_key": "email", "on_match": "update"}') -> 'rows' -> 0 -> 'error' ->> 'field',
    'opening_balance', 'imports-6.5: an opening balance after other entries is refused on its column');
SELECT is(import_apply(:iid, 'run', '[{"row": 12, "key": "acmegmbh",
    "body": {"phone": "3"}}]', '{"match_key": "name", "on_match": "update"}')
    -> 'rows' -> 0 -> 'error' ->> 'message', 'row matches more than one client',
    'imports-6.6: updating a key two clients share is refused');
SELECT is(import_apply(:iid, 'run', '[{"row": 13, "key": "x@x.test",
    "body": {"name": "Grouped"}, "group": "Nope", "template": "\u0001", "padding": 4}]',
    '{"match_key": "email", "on_match": "skip", "create_groups": false}')
    -> 'rows' -> 0 -> 'error' ->> 'field', 'group',
    'imports-6.7: a missing group is refused when groups may not be created');

-- The worker's bookkeeping.
SELECT ok(import_phase_begin(:iid, 'run', 'w1') IS NOT NULL, 'imports-7.1: a phase begins');
SELECT is(import_progress_set(:iid, 5, '{"created": 1}'), false,
    'imports-7.2: progress tells whether to cancel');
SELECT import_issues_add(:iid, 'run', '[{"row": 5, "line": 5, "kind": "error", "errors": [1]}]');
SELECT import_issues_add(:iid, 'run', '[{"row": 5, "line": 5, "kind": "error", "errors": [2]}]');
SELECT is((SELECT errors FROM import_issues WHERE import_id = :iid AND row = 5), '[2]',
    'imports-7.3: a row''s problems replace its earlier ones');
SELECT import_completed_event(:iid, '{"status": "completed", "created": 1, "summary": "x"}');
SELECT is((SELECT changes FROM events WHERE type = 'import.completed' ORDER BY id DESC LIMIT 1),
    '{"status": {"after": "completed", "before": null}, "created": {"after": 1, "before": null},
      "summary": {"after": "x", "before": null}}',
    'imports-7.4: import.completed says what was done');
SELECT import_phase_end(:iid, 'run', '{"status": "completed"}');
RESET ROLE;
SELECT is((SELECT status FROM imports WHERE id = :iid), 'completed',
    'imports-7.5: the run''s result is the import''s status');

SELECT * FROM finish();
ROLLBACK;
