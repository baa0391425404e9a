-- pgTAP: sql/functions/groups.sql (client groups).
BEGIN;
\ir lib/fixture.psql
SELECT plan(14);

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
SELECT client_create(jsonb_build_object('name', 'Gone', 'group', :'g'), chr(1), 4, false) ->> 'id' AS gone \gset
SELECT client_state(:'gone', 'delete', NULL);
SELECT is((group_json(group_find(:'g', false))::jsonb) - 'id' - 'name' - 'settings' - 'created_at' - 'updated_at',
    '{"member_count": 1, "member_counts": {"active": 1, "archived": 0, "deleted": 1}}'::jsonb,
    'groups-2.1a: the group shows its members by status; member_count leaves deleted ones out');
SELECT is(tap.err(format('SELECT group_delete(%L, false)', :'g')) - 'hint',
    '{"state": "CD409", "column": null, "message": "group \"Europe\" still has 2 clients",
      "detail": "1 active, 0 archived and 1 deleted; archived and deleted clients count too."}'::jsonb,
    'groups-2.1b: deleting counts the same clients, by status');
SELECT client_state(:'gone', 'restore', NULL);
SELECT client_state(:'gone', 'archive', NULL);
SELECT is((group_json(group_find(:'g', false))::jsonb) -> 'member_counts',
    '{"active": 1, "archived": 1, "deleted": 0}'::jsonb, 'groups-2.1c: (twin) an archived member counts as archived');
SELECT lives_ok(format('SELECT group_delete(%L, true)', :'g'),
    'groups-2.2: unless its clients are detached');
SELECT is((SELECT group_id FROM clients WHERE public_id = :'c'), NULL,
    'groups-2.3: the client left the group');
SELECT is(ARRAY(SELECT type FROM events WHERE type IN ('client.updated', 'group.deleted') ORDER BY id),
    ARRAY['client.updated', 'client.updated', 'group.deleted'], 'groups-2.4: with an event each');

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
