-- pgTAP: sql/functions/numbers.sql (generated client numbers). number_format
-- is the one implementation of "a template and a counter make a number"
-- (the daemon's number_from_template() and its unit tests went in issue 9).
BEGIN;
\ir lib/fixture.psql
SELECT plan(32);

-- number_format: the counter, zero-padded, wherever the template has a mark.
SELECT is(ARRAY(SELECT number_format(chr(1), 7, p) FROM generate_series(1, 10) p),
    ARRAY['7', '07', '007', '0007', '00007', '000007', '0000007', '00000007',
	'000000007', '0000000007'], 'numbers-1.1: padding 1..10 zero-pads the counter');
SELECT is(number_format('C-' || chr(1), 57, 4), 'C-0057', 'numbers-1.2: text around the mark is kept');
SELECT is(number_format(chr(1), 999999999999, 10), '999999999999',
    'numbers-1.3: a counter longer than the padding is not cut');
SELECT is(ARRAY[number_format(chr(1), 12345, 4), number_format(chr(1), 10, 1),
    number_format(chr(1), 9999, 4), number_format(chr(1), 999, 4)],
    ARRAY['12345', '10', '9999', '0999'], 'numbers-1.4: at, past and below the padding');
SELECT is(ARRAY[number_format(chr(1) || '/' || chr(1), 3, 2),
    number_format('A' || chr(1) || 'B' || chr(1) || 'C', 12, 3)],
    ARRAY['03/03', 'A012B012C'], 'numbers-1.5: every mark gets the counter');
SELECT is(number_format('Nº' || chr(1), 5, 2), 'Nº05', 'numbers-1.6: multibyte text is kept');
SELECT is(tap.err($$SELECT number_format('FIXED', 42, 4)$$) - 'detail',
    '{"state": "CD422", "message": "number pattern has no counter", "column": "number",
      "hint": "A pattern needs {$counter} or {$group_counter}."}'::jsonb,
    'numbers-1.7: (twin) a template without a counter is refused');
SELECT is(number_format(NULL, 1, 4), NULL, 'numbers-1.8: no template, no number');

-- client_next_number: the company's counter, skipping numbers taken.
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT is(client_next_number(chr(1), 4, NULL), '0001', 'numbers-2.1: the first number');
SELECT is((SELECT settings -> 'client_number_counter' FROM companies WHERE id = 901), '2'::jsonb,
    'numbers-2.2: advances the company''s counter');
SELECT client_create('{"name": "Taken", "number": "0002"}', NULL, NULL, false);
SELECT client_create('{"name": "Taken too", "number": "0003"}', NULL, NULL, false) ->> 'id' AS c3 \gset
SELECT client_state(:'c3', 'delete', NULL);
SELECT is(client_next_number(chr(1), 4, NULL), '0004',
    'numbers-2.3: skips numbers taken, by deleted clients too');
SELECT is((SELECT settings -> 'client_number_counter' FROM companies WHERE id = 901), '5'::jsonb,
    'numbers-2.4: and the counter moves past them');
SELECT is(client_next_number('C-' || chr(1), 4, NULL), 'C-0005',
    'numbers-2.5: the template around the counter');
SELECT throws_ok($$SELECT client_next_number('FIXED', 4, NULL)$$, 'CD422',
    'number pattern has no counter',
    'numbers-2.6: a template without a counter is refused (it would look for a free number forever)');
SELECT is((SELECT client_create('{"name": "Gen"}', 'G' || chr(1), 2, false) ->> 'number'), 'G06',
    'numbers-2.7: client_create without a number generates one');
-- Another company counts on its own.
SELECT tap.act('ub-owner');
SELECT is(client_next_number(chr(1), 4, NULL), '0001', 'numbers-2.8: per company');

-- A group's own counter.
SELECT tap.act('ua-owner');
SELECT group_create('Own counter', '{"client_number_counter": 10}') ->> 'id' AS g \gset
SELECT is(client_next_number('G' || chr(1), 3, client_group_find(:'g', 'group')), 'G010',
    'numbers-3.1: a group counts on its own counter');
SELECT is((SELECT settings -> 'client_number_counter' FROM client_groups WHERE public_id = :'g'),
    '11'::jsonb, 'numbers-3.2: and advances it');
SELECT is((SELECT settings -> 'client_number_counter' FROM companies WHERE id = 901), '7'::jsonb,
    'numbers-3.3: (twin) the company''s stays');
SELECT is((SELECT group_counter::text || ' ' || has_group::text FROM client_number_context(:'g')),
    'true true', 'numbers-3.4: the context says the group counts');
SELECT is((SELECT concat_ws(' ', pattern, padding, COALESCE(group_counter, false), has_group)
    FROM client_number_context(NULL)), '{$counter} 4 f f',
    'numbers-3.5: the defaults apply without a group');

-- Counters stop at the registry's top (setting_limits), never past it.
RESET ROLE;
UPDATE companies SET settings = settings || '{"client_number_counter": 999999999998}' WHERE id = 901;
SET LOCAL ROLE clientd_app;
SELECT is(client_next_number(chr(1), 4, NULL), '999999999998',
    'numbers-3.6: the last number below the top is handed out');
SELECT is(tap.err($$SELECT client_next_number(chr(1), 4, NULL)$$) - 'detail' - 'hint',
    '{"state": "CD409", "message": "the client number counter is exhausted", "column": "number"}'::jsonb,
    'numbers-3.7: then the counter is exhausted: a 409 on the number');
SELECT is((SELECT settings -> 'client_number_counter' FROM companies WHERE id = 901),
    '999999999999'::jsonb, 'numbers-3.8: and the stored counter stays within its range');
SELECT is((SELECT max FROM setting_limits WHERE key = 'client_number_counter'), 999999999999::bigint,
    'numbers-3.9: the top is the registry''s, written by clientd migrate');
RESET ROLE;
UPDATE companies SET settings = settings || '{"client_number_counter": 7}' WHERE id = 901;
SET LOCAL ROLE clientd_app;
SELECT is(tap.err(format($$SELECT client_next_number(%L, 4, NULL)$$, repeat('x', 61) || chr(1))) - 'detail' - 'hint',
    '{"state": "CD422", "message": "the generated number is longer than 64 characters", "column": "number"}'::jsonb,
    'numbers-3.10: a generated number longer than 64 characters is refused on the number');

-- Peeking does not use a number.
SELECT is((SELECT number || ' ' || counter FROM client_number_peek(chr(1), 4, NULL, NULL)),
    '0007 7', 'numbers-4.1: peek shows the next number');
SELECT is((SELECT settings -> 'client_number_counter' FROM companies WHERE id = 901), '7'::jsonb,
    'numbers-4.2: without using it');
SELECT is((SELECT number FROM client_number_peek(chr(1), 4, NULL, 2)), '0004',
    'numbers-4.3: from a counter not saved yet, skipping taken numbers');
SELECT throws_ok($$SELECT client_number_peek('FIXED', 4, NULL, 1)$$, 'CD422', NULL,
    'numbers-4.4: a template without a counter is refused there too');

-- Numbers given by hand.
SELECT is(tap.err($$SELECT client_number_check('0002', NULL)$$) ->> 'column', 'number',
    'numbers-5.1: a taken number is a conflict on the number');
SELECT lives_ok(format($$SELECT client_number_check('0003', %s)$$,
    (SELECT id FROM clients WHERE public_id = :'c3')),
    'numbers-5.2: (twin) a client keeps its own number');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
