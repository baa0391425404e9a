-- pgTAP: sql/functions/common.sql (times, money, changes, If-Match).
BEGIN;
\ir lib/fixture.psql
SELECT plan(11);

SELECT is(rfc3339('2026-03-05 14:07:09.5+02'), '2026-03-05T12:07:09.500000Z',
    'common-1.1: rfc3339 is UTC with microseconds');
SELECT is(rfc3339(NULL), NULL, 'common-1.2: rfc3339 of NULL is NULL');

SELECT is(money_text(12.345, 2), '12.35', 'common-2.1: money_text rounds to the places');
SELECT is(money_text(-7, 3), '-7.000', 'common-2.2: money_text pads to the places');

SELECT is(json_changes('{"a": 1, "b": 2, "c": 4}', '{"a": 1, "b": 3, "d": 5}'),
    '{"b": {"before": 2, "after": 3}, "c": {"before": 4, "after": null},
      "d": {"before": null, "after": 5}}'::jsonb,
    'common-3.1: json_changes lists what differs, a missing key as null');
SELECT is(json_changes('{"a": [1]}', '{"a": [1]}'), '{}'::jsonb,
    'common-3.2: json_changes of equal objects is empty');

SELECT is(jsonb_nonempty('{"a": "", "b": null, "c": [], "d": {"e": ""}, "f": 0, "g": false}'),
    '{"f": 0, "g": false}'::jsonb,
    'common-4.1: jsonb_nonempty drops empty values and empty objects, keeps 0 and false');

SELECT lives_ok($$SELECT version_check(3, NULL)$$, 'common-5.1: no If-Match passes');
SELECT lives_ok($$SELECT version_check(3, 3)$$, 'common-5.2: the current version passes');
SELECT throws_ok($$SELECT version_check(3, 2)$$, 'CD412',
    'resource has changed since it was read', 'common-5.3: a stale version is a 412');
SELECT is(tap.err($$SELECT version_check(3, 2)$$) ->> 'detail',
    'If-Match names version 2; the current version is 3.',
    'common-5.4: the 412 says both versions');

SELECT * FROM finish();
ROLLBACK;
