-- pgTAP: sql/functions/ledger.sql (posting, the rules of ledger_kinds,
-- append-only entries, integrity, reading).
BEGIN;
\ir lib/fixture.psql
SELECT plan(51);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT client_create('{"name": "Ledger"}', chr(1), 4, false) ->> 'id' AS c \gset
CREATE TEMP VIEW bal AS SELECT balance::numeric(20, 2) || ' ' || paid_to_date::numeric(20, 2) AS b
    FROM clients WHERE number = '0001';

-- The kinds come from the code, through clientd migrate.
SELECT is(ARRAY(SELECT kind || ' ' || sign || ' ' || moves_paid_to_date || ' ' || postable
    FROM ledger_kinds ORDER BY kind), ARRAY['adjustment either false true',
    'credit negative false true', 'invoice positive false true', 'merge either true false',
    'opening_balance either false true', 'payment negative true true', 'refund positive true true'],
    'ledger-1.1: ledger_kinds holds core/ledger.c''s kinds and rules');
SELECT throws_ok($$INSERT INTO ledger_kinds VALUES ('gift', 'either', false, true)$$, '42501', NULL,
    'ledger-1.2: the app cannot change them');

-- Posting: the sign and paid-to-date rules.
SELECT is((ledger_post(:'c', '{"kind": "invoice", "amount": "100.00"}', NULL)::jsonb) ->> 'balance_after',
    '100.00', 'ledger-2.1: an invoice adds to the balance');
SELECT ledger_post(:'c', '{"kind": "payment", "amount": "-40.00"}', NULL);
SELECT is((SELECT b FROM bal), '60.00 40.00', 'ledger-2.2: a payment takes off it and moves paid to date');
SELECT ledger_post(:'c', '{"kind": "refund", "amount": "10.00"}', NULL);
SELECT ledger_post(:'c', '{"kind": "credit", "amount": "-5.00"}', NULL);
SELECT is((SELECT b FROM bal), '65.00 30.00',
    'ledger-2.3: a refund puts it back on both; a credit moves only the balance');
SELECT is(tap.err(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "-1.00"}', NULL)$$, :'c'))
    - 'detail' - 'hint', '{"state": "CD422", "column": "amount",
      "message": "amount of a ledger entry of kind \"invoice\" must be positive"}'::jsonb,
    'ledger-2.4: a negative invoice is refused (the database too keeps the sign)');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "payment", "amount": "1.00"}', NULL)$$, :'c'),
    'CD422', 'amount of a ledger entry of kind "payment" must be negative',
    'ledger-2.5: so is a positive payment');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "adjustment", "amount": "0"}', NULL)$$, :'c'),
    'CD422', 'amount of a ledger entry of kind "adjustment" must be positive or negative',
    'ledger-2.6: and an adjustment of zero');
SELECT is(tap.err(format($$SELECT ledger_post(%L, '{"kind": "merge", "amount": "1.00"}', NULL)$$, :'c'))
    ->> 'column', 'kind', 'ledger-2.7: a kind that cannot be posted (merge) is a 422 on kind');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "gift", "amount": "1.00"}', NULL)$$, :'c'),
    'CD422', 'ledger entries of kind "gift" cannot be posted', 'ledger-2.8: so is an unknown kind');

-- The rules are read from the table: change it and the database follows.
RESET ROLE;
UPDATE ledger_kinds SET sign = 'negative', moves_paid_to_date = true WHERE kind = 'invoice';
SET LOCAL ROLE clientd_app;
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1.00"}', NULL)$$, :'c'),
    'CD422', NULL, 'ledger-3.1: with invoices made negative, a positive one is refused');
SELECT lives_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "-1.00"}', NULL)$$, :'c'),
    'ledger-3.2: and a negative one accepted');
SELECT is((SELECT b FROM bal), '64.00 31.00', 'ledger-3.3: moving paid to date, as the table says');
RESET ROLE;
UPDATE ledger_kinds SET sign = 'positive', moves_paid_to_date = false WHERE kind = 'invoice';
SELECT throws_ok($$INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount,
    balance_after, paid_to_date_after, currency, occurred_at, actor_type)
    SELECT 901, id, 99, 'gift', 1, 1, 0, 'USD', now(), 'system' FROM clients WHERE number = '0001'$$,
    '23503', NULL, 'ledger-3.4: an unknown kind is kept out by the foreign key, whoever writes');
SELECT throws_ok($$INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount,
    paid_to_date_change, balance_after, paid_to_date_after, currency, occurred_at, actor_type)
    SELECT 901, id, 99, 'payment', -1, 0, 1, 0, 'USD', now(), 'system' FROM clients WHERE number = '0001'$$,
    'CD422', 'paid_to_date_change of a ledger entry of kind "payment" must be -amount',
    'ledger-3.5: and a payment that does not move paid to date by the trigger, whoever writes');

-- Append-only.
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$UPDATE ledger_entries SET amount = 0$$, '42501', NULL,
    'ledger-4.1: the app cannot update an entry');
SELECT throws_ok($$DELETE FROM ledger_entries$$, '42501', NULL, 'ledger-4.2: nor delete one');
RESET ROLE;
SET LOCAL ROLE clientd_owner;
SELECT throws_ok($$UPDATE ledger_entries SET notes = 'x'$$, 'CD409',
    'ledger entries cannot be changed or deleted', 'ledger-4.3: the trigger refuses the owner an update');
SELECT throws_ok($$DELETE FROM ledger_entries$$, 'CD409', NULL, 'ledger-4.4: and a delete');
SELECT throws_ok($$TRUNCATE ledger_entries$$, 'CD409', NULL, 'ledger-4.5: and a truncate');
RESET ROLE;
SELECT throws_ok($$DELETE FROM ledger_entries$$, 'CD409', NULL, 'ledger-4.6: and the superuser');

-- Rules that need stored state.
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "opening_balance", "amount": "5"}', NULL)$$, :'c'),
    'CD422', 'an opening balance must be the first ledger entry', 'ledger-5.1: an opening balance comes first');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1.001"}', NULL)$$, :'c'),
    'CD422', 'amount has more decimals than USD allows', 'ledger-5.2: no more decimals than the currency has');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1", "occurred_at": "2020-01-01T00:00:00Z"}', NULL)$$, :'c'),
    'CD422', 'occurred_at is earlier than the client''s latest ledger entry', 'ledger-5.3: entries run forward in time');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1", "occurred_at": "2999-01-01T00:00:00Z"}', NULL)$$, :'c'),
    'CD422', 'occurred_at is in the future', 'ledger-5.4: and not into the future');
SELECT lives_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1"}', 'key-1')$$, :'c'),
    'ledger-5.5: a key posts');
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1"}', 'key-1')$$, :'c'),
    'CD409', 'idempotency key already posted a ledger entry', 'ledger-5.6: once');
SELECT client_create('{"name": "Fresh"}', chr(1), 4, false) ->> 'id' AS f \gset
SELECT is((ledger_post(:'f', '{"kind": "opening_balance", "amount": "-5.00"}', NULL)::jsonb) ->> 'seq',
    '1', 'ledger-5.7: (twin) an opening balance, either way, as the first entry');
SELECT client_state(:'f', 'archive', NULL);
SELECT throws_ok(format($$SELECT ledger_post(%L, '{"kind": "invoice", "amount": "1"}', NULL)$$, :'f'),
    'CD409', 'client is archived', 'ledger-5.8: archived clients take no entries');

-- Integrity.
SELECT is((SELECT count(*) FROM ledger_check()), 0::bigint, 'ledger-6.1: the ledger and the balances agree');
SELECT is(ARRAY(SELECT seq FROM ledger_entries WHERE client_id = client_internal_id(:'c') ORDER BY seq),
    ARRAY[1, 2, 3, 4, 5, 6], 'ledger-6.2: entries are numbered without gaps');
RESET ROLE;
UPDATE clients SET balance = balance + 1 WHERE public_id = :'c';
SELECT is(ARRAY(SELECT problem FROM ledger_check()), ARRAY['balance is not the sum of the ledger'],
    'ledger-6.3: (twin) a balance changed behind the ledger''s back is found');
UPDATE clients SET balance = balance - 1 WHERE public_id = :'c';
SET LOCAL ROLE clientd_app;
SELECT is((ledger_check_json()::jsonb) -> 'differences', '[]'::jsonb, 'ledger-6.4: the API''s check agrees');

-- Reading.
SELECT is(ledger_bound('2026-03-01T00:00:00', 'Europe/Berlin'), '2026-02-28 23:00:00+00'::timestamptz,
    'ledger-7.1: a local time is in the time zone given');
SELECT is(ledger_bound('2026-03-01T00:00:00Z', 'Europe/Berlin'), '2026-03-01 00:00:00+00'::timestamptz,
    'ledger-7.2: an RFC 3339 time is what it says');
SELECT is((ledger_range(:'c', NULL, NULL)::jsonb) ->> 'closing_balance', '65.00',
    'ledger-7.3: the closing balance of all time is the balance');
SELECT is((ledger_range(:'c', now() + interval '1 hour', NULL)::jsonb) ->> 'opening_balance', '65.00',
    'ledger-7.4: the opening balance after the last entry is the balance');
SELECT is(json_array_length(ledger_balance_points(:'c', NULL, NULL, 1000)), 1,
    'ledger-7.5: one balance point per day');
SELECT is((ledger_summary(:'c', NULL, NULL)::jsonb) -> 'totals' -> 'invoice' ->> 'count', '3',
    'ledger-7.6: the summary counts the entries per kind');

-- A client's money never changes currency by a settings change (issue 11):
-- the first entry pins the currency as the client's own setting.
SELECT is((SELECT settings ->> 'currency' FROM clients WHERE public_id = :'c'), 'USD',
    'ledger-8.1: the first entry pinned the client''s currency as its own setting');
SELECT is((SELECT changes -> 'settings.currency' FROM events WHERE type = 'ledger_entry.created'
    AND client_id = client_internal_id(:'c') ORDER BY id LIMIT 1),
    '{"before": null, "after": "USD"}'::jsonb, 'ledger-8.2: which the first entry''s event says');
SELECT group_create('Euro', '{"currency": "EUR"}') ->> 'id' AS eu \gset
SELECT client_update(:'c', jsonb_build_object('group', :'eu'), NULL);
SELECT company_settings_patch('{"currency": "GBP"}');
SELECT group_update(:'eu', NULL, '{"currency": "CHF"}', '');
SELECT is((client_get(:'c')::jsonb) ->> 'currency', 'USD',
    'ledger-8.3: joining a group, and the group''s and the company''s currency changing, leave it as it was');
SELECT is((ledger_post(:'c', '{"kind": "invoice", "amount": "2.00"}', NULL)::jsonb) ->> 'currency', 'USD',
    'ledger-8.4: and the next entry is in it');
SELECT is(tap.err(format($$SELECT client_settings_patch(%L, '{"currency": "EUR"}', NULL)$$, :'c'))
    - 'detail', '{"state": "CD409", "column": "currency",
      "message": "the currency of a client with ledger entries cannot change",
      "hint": "Amounts keep the currency they were posted in; use another client for business in another currency."}'::jsonb,
    'ledger-8.5: the client''s own currency cannot change, with a 409 that says why');
SELECT throws_ok(format($$SELECT client_settings_patch(%L, '{"currency": null}', NULL)$$, :'c'), 'CD409',
    'the currency of a client with ledger entries cannot change', 'ledger-8.6: nor be cleared');
SELECT is((client_settings_patch(:'c', '{"currency": "USD", "language": "de"}', NULL)).client_settings ->> 'language', 'de',
    'ledger-8.7: (twin) other settings, and the same currency again, are fine');
SELECT client_create(jsonb_build_object('name', 'New', 'group', :'eu'), chr(1), 4, false) ->> 'id' AS n \gset
SELECT is((client_get(:'n')::jsonb) ->> 'currency', 'CHF',
    'ledger-8.8: (twin) a client without entries follows its group');
SELECT is((client_settings_patch(:'n', '{"currency": "JPY"}', NULL)).client_settings ->> 'currency', 'JPY',
    'ledger-8.9: (twin) and may set its own currency');
RESET ROLE;
SELECT throws_ok(format($$UPDATE clients SET settings = settings || '{"currency": "EUR"}' WHERE public_id = %L$$, :'c'),
    'CD409', NULL, 'ledger-8.10: the pin holds for every writer');
SELECT throws_ok($$INSERT INTO ledger_entries (company_id, client_id, seq, kind, amount,
    balance_after, paid_to_date_after, currency, occurred_at, actor_type)
    SELECT 901, id, 99, 'invoice', 1, 1, 0, 'EUR', now(), 'system' FROM clients WHERE number = '0001'$$,
    'CD409', 'ledger entry in EUR for a client whose currency is USD',
    'ledger-8.11: an entry in another currency is refused, whoever writes');
-- A ledger that mixes currencies (possible before the pin existed) is found.
SET LOCAL session_replication_role = replica;
UPDATE clients SET settings = settings || '{"currency": "EUR"}' WHERE public_id = :'c';
SET LOCAL session_replication_role = origin;
SELECT is((SELECT count(*) FROM ledger_check() WHERE problem = 'entry is not in the client''s currency'),
    7::bigint, 'ledger-8.12: the check lists entries that are not in the client''s currency');

SELECT * FROM finish();
ROLLBACK;
