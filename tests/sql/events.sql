-- pgTAP: sql/functions/events.sql (the event log).
BEGIN;
\ir lib/fixture.psql
SELECT plan(13);

SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT event_add('test.happened', 'thing', 42, 'th-1', '{"x": {"before": null, "after": 1}}') AS ev \gset
SELECT is((SELECT company_id FROM events WHERE id = :ev), 901::bigint,
    'events-1.1: event_add writes for the current tenant');
SELECT is((SELECT actor_type || ' ' || actor_id || ' ' || actor_name FROM events WHERE id = :ev),
    'user ua-member member@a.test', 'events-1.2: and the current actor');
SELECT is((SELECT event_json(e)::jsonb - 'created_at' - 'id' FROM events e WHERE id = :ev),
    '{"type": "test.happened", "entity": {"type": "thing", "id": "th-1"},
      "actor": {"type": "user", "id": "ua-member", "name": "member@a.test",
		"impersonated_by": null},
      "changes": {"x": {"before": null, "after": 1}}, "references": {}}'::jsonb,
    'events-1.3: event_json is the API''s shape');
SELECT event_add('t', 'thing', NULL, NULL, NULL) AS ev2 \gset
SELECT is((SELECT changes FROM events WHERE id = :ev2), '{}'::jsonb,
    'events-1.4: no changes are stored as {}');

-- Twin: without a tenant there is nobody to write for.
SELECT tap.none();
SELECT throws_ok($$SELECT event_add('t', 'thing', 1, 'x', '{}')$$, '42501', NULL,
    'events-2.1: without a tenant event_add is refused (no company to write for)');
-- The worker writes events too, as the system.
RESET ROLE;
SELECT set_config('app.company_id', '902', true);
SET LOCAL ROLE clientd_worker;
SELECT event_add('job.done', 'job', 1, NULL, '{}') AS wev \gset
RESET ROLE;
SELECT is((SELECT actor_type FROM events WHERE id = :wev), 'system',
    'events-2.2: without an actor the event is the system''s');

-- Twin: another tenant's events cannot be written.
SELECT tap.act('ua-member');
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$INSERT INTO events (company_id, type, entity_type, actor_type)
    VALUES (902, 't', 'x', 'system')$$, '42501', NULL,
    'events-3.1: an event for another company is refused (RLS)');
SELECT is((SELECT count(*) FROM events WHERE company_id = 902), 0::bigint,
    'events-3.2: another company''s events are invisible');
RESET ROLE;

-- References: what an event's changes name by id, with names to show.
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT group_create('Gold', NULL) ->> 'id' AS gold \gset
SELECT group_create('Old', NULL) ->> 'id' AS old \gset
SELECT group_delete(:'old', false);
SELECT client_create('{"name": "Other"}', chr(1), 4, false) ->> 'id' AS other \gset
SELECT is(event_references(jsonb_build_object('group', jsonb_build_object('before', :'old', 'after', :'gold'),
    'assigned_user', jsonb_build_object('before', NULL, 'after', 'ua-admin'),
    'merged_into', jsonb_build_object('before', NULL, 'after', :'other')))::jsonb,
    jsonb_build_object(:'gold', '{"type": "group", "name": "Gold", "exists": true}'::jsonb,
	:'old', '{"type": "group", "name": "Old", "exists": false}'::jsonb,
	'ua-admin', '{"type": "user", "name": "A Admin", "exists": true}'::jsonb,
	:'other', '{"type": "client", "name": "Other", "exists": true}'::jsonb),
    'events-4.1: a group, a deleted group (by the name it had), a user and a client are named');
SELECT is(event_references('{"name": {"before": "a", "after": "b"}}')::jsonb, '{}'::jsonb,
    'events-4.2: changes that name nothing by id have no references');
SELECT tap.act('ua-own', 'own');
SELECT is(event_references(jsonb_build_object('merged_into', jsonb_build_object('before', NULL, 'after', :'other')))::jsonb,
    jsonb_build_object(:'other', '{"type": "client", "name": null, "exists": false}'::jsonb),
    'events-4.3: (twin) a client the caller may not see is not named');
SELECT tap.act('ub-owner');
SELECT is(event_references(jsonb_build_object('group', jsonb_build_object('before', NULL, 'after', :'gold')))::jsonb,
    jsonb_build_object(:'gold', '{"type": "group", "name": null, "exists": false}'::jsonb),
    'events-4.4: (twin) nor another company''s group');
SELECT is(event_references('{"assigned_user": {"before": null, "after": "ua-admin"}}')::jsonb,
    '{"ua-admin": {"type": "user", "name": null, "exists": false}}'::jsonb,
    'events-4.5: (twin) nor another company''s user');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
