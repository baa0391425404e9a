-- pgTAP: sql/functions/groups.sql (client groups).
BEGIN;
\ir lib/fixture.psql
SELECT plan(11);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT group_create('EU', '{"currency": "EUR"}') ->> 'id' AS g \gset
SELECT is((SELECT name || ' ' || settings::text FROM client_groups WHERE public_id = :'g'),
    'EU {"currency": "EUR"}', 'groups-1.1: a group is created with its settings');
SELECT throws_ok($$SELECT group_create('eu', NULL)$$, 'CD409', 'a group named "eu" already exists',
    'groups-1.2: names are unique per company, whatever the case');
SELECT throws_ok($$SELECT group_create('US', '{"currency": "XXX"}')$$, 'CD422', NULL,
    'groups-1.3: its settings are checked');
SELECT is((group_update(:'g', 'Europe', '{"currency": null}', 'settings.')::jsonb) ->> 'name',
    'Europe', 'groups-1.4: renamed');
SELECT is((SELECT settings FROM client_groups WHERE public_id = :'g'), '{}'::jsonb,
    'groups-1.5: and a setting removed by null');

SELECT client_create(jsonb_build_object('name', 'Member', 'group', :'g'), chr(1), 4, false)
    ->> 'id' AS c \gset
SELECT is(tap.err(format('SELECT group_delete(%L, false)', :'g')) ->> 'message',
    'group "Europe" still has 1 client', 'groups-2.1: a group with clients is not deleted');
SELECT lives_ok(format('SELECT group_delete(%L, true)', :'g'),
    'groups-2.2: unless its clients are detached');
SELECT is((SELECT group_id FROM clients WHERE public_id = :'c'), NULL,
    'groups-2.3: the client left the group');
SELECT is(ARRAY(SELECT type FROM events WHERE type IN ('client.updated', 'group.deleted') ORDER BY id),
    ARRAY['client.updated', 'group.deleted'], 'groups-2.4: with an event each');

SELECT throws_ok($$SELECT client_group_find('nope', 'group')$$, 'CD422',
    'field "group" names no group of this company: "nope"',
    'groups-3.1: a client field naming no group is a 422 on it');
SELECT tap.act('ub-owner');
SELECT group_create('B only', NULL) ->> 'id' AS gb \gset
SELECT tap.act('ua-owner');
SELECT throws_ok(format('SELECT group_find(%L, false)', :'gb'), 'CD404', 'group not found',
    'groups-3.2: another company''s group is not found');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
