-- pgTAP: sql/functions/settings.sql (settings resolution and writes).
BEGIN;
\ir lib/fixture.psql
SELECT plan(27);

-- Resolution: client -> group -> company -> default.
SELECT is(setting_pick('k', '{"k": 1}', '{"k": 2}', '{"k": 3}', '4'), '1'::jsonb,
    'settings-1.1: the client''s value comes first');
SELECT is(setting_pick('k', '{}', '{"k": 2}', '{"k": 3}', '4'), '2'::jsonb,
    'settings-1.2: else the group''s');
SELECT is(setting_pick('k', '{}', NULL, '{"k": 3}', '4'), '3'::jsonb,
    'settings-1.3: else the company''s (no group)');
SELECT is(setting_pick('k', NULL, '{}', '{}', '4'), '4'::jsonb,
    'settings-1.4: else the default');
SELECT is(setting_pick('k', '{"k": false}', '{"k": true}', '{}', 'true'), 'false'::jsonb,
    'settings-1.5: false is a value, not "unset"');
SELECT is(setting_pick('k', '{"k": ""}', '{"k": "g"}', '{}', '"d"'), '""'::jsonb,
    'settings-1.6: so is ""');
SELECT is(setting_value('currency', NULL, NULL, NULL), '"USD"'::jsonb,
    'settings-2.1: setting_value reads the registry''s default from setting_defaults');
SELECT is(setting_value('currency', NULL, NULL, '{"currency": "EUR"}'), '"EUR"'::jsonb,
    'settings-2.2: which the company overrides');
SELECT is(setting_value('no_such_key', NULL, NULL, NULL), NULL,
    'settings-2.3: an unknown key resolves to nothing');

-- Checks and merges.
SELECT is(tap.err($$SELECT settings_check('{"currency": "XXX"}', 'settings.')$$) - 'detail' - 'hint',
    '{"state": "CD422", "message": "unknown currency \"XXX\"", "column": "settings.currency"}'::jsonb,
    'settings-3.1: an unknown currency is a 422 on the prefixed field');
SELECT throws_ok($$SELECT settings_check('{"timezone": "Mars/Olympus"}', '')$$, 'CD422',
    'unknown time zone "Mars/Olympus"', 'settings-3.2: so is an unknown time zone');
SELECT lives_ok($$SELECT settings_check('{"currency": "EUR", "timezone": "Europe/Berlin"}', '')$$,
    'settings-3.3: (twin) known ones pass');
SELECT throws_ok(format('SELECT settings_check(%L, %L)', jsonb_build_object('timezone', z), ''),
    'CD422', format('unknown time zone "%s"', z),
    format('settings-3.3a: %s, in pg_timezone_names but no zone, is refused', z))
FROM unnest(ARRAY['localtime', 'posixrules', 'Factory', 'posix/Europe/Berlin', 'right/UTC']) AS z;
SELECT is(settings_merge('{"a": 1, "b": 2}', '{"b": null, "c": 3}'), '{"a": 1, "c": 3}'::jsonb,
    'settings-3.4: a patch''s null removes a key, other values set it');
SELECT is(settings_changes('{"a": 1}', '{"a": 2}'),
    '{"settings.a": {"before": 1, "after": 2}}'::jsonb,
    'settings-3.5: changes are named settings.<key>');

-- Writes.
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT is(company_settings_patch('{"currency": "EUR"}'), '{"currency": "EUR"}'::jsonb,
    'settings-4.1: the company''s settings take a patch');
SELECT is(company_settings_patch('{"currency": "EUR"}'), '{"currency": "EUR"}'::jsonb,
    'settings-4.2: the same patch again');
SELECT is((SELECT count(*) FROM events WHERE type = 'settings.updated'), 1::bigint,
    'settings-4.3: writes one event: the second patch changed nothing');
SELECT client_create('{"name": "Set"}', chr(1), 4, false) ->> 'id' AS c \gset
SELECT throws_ok(format($$SELECT client_settings_patch(%L, '{"currency": "CHF"}', 99)$$, :'c'),
    'CD412', NULL, 'settings-4.4: a client''s settings with a stale If-Match are a 412');
SELECT is((SELECT client_settings FROM client_settings_patch(:'c', '{"currency": "CHF"}', NULL)),
    '{"currency": "CHF"}'::jsonb, 'settings-4.5: a client overrides a setting');

-- Time zones: the client's, its group's, the company's, else UTC.
SELECT is(company_timezone(), 'UTC', 'settings-5.1: no time zone set is UTC');
SELECT company_settings_patch('{"timezone": "Europe/Berlin"}');
SELECT is(client_timezone(:'c'), 'Europe/Berlin', 'settings-5.2: a client has the company''s');
SELECT client_settings_patch(:'c', '{"timezone": "Asia/Tokyo"}', NULL);
SELECT is(client_timezone(:'c'), 'Asia/Tokyo', 'settings-5.3: unless it has its own');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
