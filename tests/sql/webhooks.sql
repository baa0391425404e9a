-- pgTAP: sql/functions/webhooks.sql (subscriptions, fan-out, lanes).
BEGIN;
\ir lib/fixture.psql
SELECT plan(43);

-- Subscriptions, as the daemon makes them.
SELECT tap.act('ua-admin');
SET LOCAL ROLE clientd_app;
SELECT webhook_create('{"url": "https://hooks.example/a", "events": ["client.*"],
    "headers": {"X-Token": "s3cret"}}', '\x01', 'whsec_abcd') AS w1 \gset
SELECT is((:'w1'::jsonb) ->> 'status', 'active', 'webhooks-1.1: webhook_create makes an active webhook');
SELECT ok(NOT (:'w1'::jsonb) ? 'secret', 'webhooks-1.2: and never shows its secret');
SELECT is((SELECT changes -> 'headers' -> 'after' FROM events WHERE type = 'webhook.created'),
    '["X-Token"]'::jsonb, 'webhooks-1.3: its event names the custom headers, not their values');
SELECT throws_ok($$SELECT webhook_create('{"url": "https://hooks.example/a", "events": ["*"]}', '\x01', 'whsec_abcd')$$,
    'CD409', 'a webhook for this URL already exists', 'webhooks-1.4: a second webhook for one URL is refused');
SELECT tap.act('ub-owner');
SELECT throws_ok(format('SELECT webhook_find(%L, false)', :'w1'::json ->> 'id'), 'CD404',
    'webhook not found', 'webhooks-1.5: another company''s webhook is not found');
SELECT lives_ok($$SELECT webhook_create('{"url": "https://hooks.example/a", "events": ["*"]}', '\x01', 'whsec_abcd')$$,
    'webhooks-1.6: but another company may use the same URL');

-- Fan-out: an event of a type a webhook wants queues a delivery in the
-- same transaction; others queue nothing.
SELECT tap.act('ua-admin');
SELECT webhook_create('{"url": "https://hooks.example/contacts", "events": ["contact.*"]}', '\x01', 'whsec_abcd') AS w2 \gset
SELECT client_create('{"name": "Fan Out Ltd", "number": "W-1"}', NULL, NULL, false) AS c1 \gset
SELECT is((SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
    WHERE w.public_id = :'w1'::json ->> 'id'), 1::bigint,
    'webhooks-2.1: client.created reaches the webhook that wants client.*');
SELECT is((SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
    WHERE w.public_id = :'w2'::json ->> 'id'), 0::bigint,
    'webhooks-2.2: and not the one that wants contact.*');
SELECT is((SELECT data ->> 'name' FROM webhook_messages WHERE type = 'client.created'),
    'Fan Out Ltd', 'webhooks-2.3: its payload is the client as the API shows it');
SELECT client_update(:'c1'::json ->> 'id', '{"name": "Fanned Out Ltd"}', NULL) IS NOT NULL AS ok \gset
SELECT is((SELECT previous_attributes::jsonb FROM webhook_messages WHERE type = 'client.updated'),
    '{"name": "Fan Out Ltd"}'::jsonb, 'webhooks-2.4: an update carries the values it replaced');
SELECT webhook_update(:'w1'::json ->> 'id', '{"status": "paused"}', NULL) IS NOT NULL AS ok \gset
SELECT client_update(:'c1'::json ->> 'id', '{"name": "Paused Ltd"}', NULL) IS NOT NULL AS ok \gset
SELECT is((SELECT count(*) FROM webhook_messages WHERE type = 'client.updated'), 1::bigint,
    'webhooks-2.5: a paused webhook queues nothing');
SELECT webhook_update(:'w1'::json ->> 'id', '{"status": "active"}', NULL) IS NOT NULL AS ok \gset
SELECT token_create('t', 'cdt_w', sha256('w'), NULL) IS NOT NULL AS ok \gset
SELECT is((SELECT count(*) FROM webhook_messages WHERE type LIKE 'token.%'), 0::bigint,
    'webhooks-2.6: events outside the catalog (tokens) are never delivered');
SELECT throws_ok($$SELECT webhook_claim(10, NULL)$$, '42501', NULL,
    'webhooks-2.7: the daemon cannot claim deliveries');

-- The worker: lanes, order, outcomes.
RESET ROLE;
SET LOCAL ROLE clientd_worker;
SELECT lane, delivery FROM webhook_claim(10, NULL)
    WHERE type = 'client.created' \gset
SELECT is((SELECT count(*) FROM webhook_claim(10, ARRAY[:lane]::bigint[])), 0::bigint,
    'webhooks-3.1: a lane held is not claimed again');
SELECT is((SELECT count(*) FROM webhook_record(:delivery, 'w1', now(), 5, 500, 'retry',
    'HTTP 500', 'oops', 30000, interval '3 days', true)), 0::bigint,
    'webhooks-3.2: a delivery waiting for its retry holds up the lane');
SELECT ok(webhook_release(:lane), 'webhooks-3.3: the lane is given back');
SELECT is((SELECT count(*) FROM webhook_claim(10, NULL)), 0::bigint,
    'webhooks-3.4: nothing of the lane is due while its head waits');
RESET ROLE;
UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = :delivery;
SET LOCAL ROLE clientd_worker;
SELECT lane AS lane2, delivery AS d2 FROM webhook_claim(10, NULL) \gset
SELECT is(:d2::bigint, :delivery::bigint, 'webhooks-3.5: once due, the same head goes first');
SELECT is((SELECT previous::jsonb FROM webhook_record(:delivery, 'w1', now(), 5, 200, 'delivered',
    NULL, 'ok', NULL, interval '3 days', true)), '{"name": "Fan Out Ltd"}'::jsonb,
    'webhooks-3.6: recording it hands over the lane''s next delivery, in order');
RESET ROLE;
SELECT is((SELECT failing_since FROM webhooks WHERE id = :lane), NULL,
    'webhooks-3.7: a success clears the failure streak');
SET LOCAL ROLE clientd_worker;
SELECT webhook_release(:lane) AS released \gset

-- Disabling: 410, or failing for longer than the window.
SELECT set_config('app.public_url', 'https://clients.example/', false) IS NOT NULL AS ok \gset
SELECT delivery AS d3 FROM webhook_claim(10, NULL) WHERE lane = :lane \gset
RESET ROLE;
UPDATE webhooks SET failing_since = now() - interval '4 days' WHERE id = :lane;
SET LOCAL ROLE clientd_worker;
SELECT is((SELECT count(*) FROM webhook_record(:d3, 'w1', now(), 5, NULL, 'retry',
    'connection refused', NULL, 1000, interval '3 days', true)), 0::bigint,
    'webhooks-4.1: a webhook failing for longer than the window');
RESET ROLE;
SELECT is((SELECT status || '/' || disabled_reason FROM webhooks WHERE id = :lane), 'disabled/failing',
    'webhooks-4.2: is disabled');
SELECT is((SELECT changes -> 'disabled_reason' ->> 'after' FROM events
    WHERE type = 'webhook.disabled' AND entity_id = :lane), 'failing',
    'webhooks-4.3: and its owner is told (a webhook.disabled event)');
SET LOCAL ROLE clientd_worker;
SELECT webhook_release(:lane) AS released \gset
SELECT is((SELECT count(*) FROM webhook_claim(10, NULL) WHERE lane = :lane), 0::bigint,
    'webhooks-4.4: a disabled webhook''s queue waits');
RESET ROLE;

-- The owner's email (issue 15): queued with the disable, once, to the
-- webhook's creator while active, else to the company's owners.
SELECT is((SELECT string_agg(to_address, ',') FROM mail_outbox WHERE kind = 'webhook_disabled'),
    'admin@a.test', 'webhooks-5.1: the creator of a disabled webhook is mailed');
SELECT ok((SELECT body_text LIKE '%https://hooks.example/a%'
	AND body_text LIKE '%failed for three days%the last one: connection refused%'
	AND body_text LIKE '%https://clients.example/integrations/webhooks/' || (:'w1'::json ->> 'id') || '%'
	AND body_text LIKE '%PATCH /api/v1/webhooks/' || (:'w1'::json ->> 'id') || ' with {"status": "active"}%'
	AND subject = 'A webhook of Company A was disabled'
    FROM mail_outbox WHERE kind = 'webhook_disabled'),
    'webhooks-5.2: the mail names the URL, the reason with the last answer, the page and the API call');
SELECT is((SELECT count(*) FROM jobs j JOIN mail_outbox m ON m.id = (j.payload ->> 'mail')::bigint
    WHERE m.kind = 'webhook_disabled' AND j.kind = 'mail'), 1::bigint,
    'webhooks-5.3: with its job, in the transaction that disabled the webhook');
SELECT webhook_disable(w, 'failing') FROM webhooks w WHERE id = :lane \gset
SELECT is((SELECT count(*) FROM mail_outbox WHERE kind = 'webhook_disabled'), 1::bigint,
    'webhooks-5.4: disabling a disabled webhook again tells nobody twice');
SELECT is((SELECT count(*) FROM events WHERE type = 'webhook.disabled' AND entity_id = :lane), 1::bigint,
    'webhooks-5.5: nor writes a second event');
-- 410, with the creator deactivated: the owners are told instead.
UPDATE users SET is_active = false WHERE id = 912;
INSERT INTO webhook_deliveries (company_id, webhook_id, message_id)
SELECT 901, w.id, (SELECT min(id) FROM webhook_messages WHERE company_id = 901)
FROM webhooks w WHERE w.public_id = :'w2'::json ->> 'id' RETURNING id AS d4 \gset
SET LOCAL ROLE clientd_worker;
SELECT is((SELECT count(*) FROM webhook_record(:d4, 'w1', now(), 5, 410, 'gone',
    NULL, 'unsubscribed', NULL, interval '3 days', true)), 0::bigint,
    'webhooks-5.6: a 410 disables the webhook');
RESET ROLE;
SELECT is((SELECT string_agg(to_address, ',' ORDER BY id) FROM mail_outbox WHERE kind = 'webhook_disabled'),
    'admin@a.test,owner@a.test',
    'webhooks-5.7: a deactivated creator is not mailed; the company''s owner is');
SELECT ok((SELECT body_text LIKE '%410 Gone%' AND body_text LIKE '%https://hooks.example/contacts%'
    FROM mail_outbox WHERE kind = 'webhook_disabled' AND to_address = 'owner@a.test'),
    'webhooks-5.8: and told it was a 410');
-- Pausing by hand is the user's own doing: no mail.
SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;
SELECT webhook_create('{"url": "https://hooks.example/paused", "events": ["*"]}', '\x01', 'whsec_abcd') AS w3 \gset
SELECT webhook_update(:'w3'::json ->> 'id', '{"status": "paused"}', NULL) IS NOT NULL AS ok \gset
RESET ROLE;
SELECT is((SELECT count(*) FROM mail_outbox WHERE kind = 'webhook_disabled'), 2::bigint,
    'webhooks-5.9: a webhook paused by a user mails nobody');

-- Batches (CLIENTD_WEBHOOKS_BATCH): a lane's due deliveries from its
-- head, in order, and one transaction that records several.
INSERT INTO webhooks (company_id, url, events, secret, secret_hint)
VALUES (901, 'https://hooks.example/batch', '{*}', '\x01', 'whsec_abcd') RETURNING id AS w4 \gset
INSERT INTO webhook_deliveries (company_id, webhook_id, message_id)
SELECT 901, :w4, m FROM (SELECT id AS m FROM webhook_messages WHERE company_id = 901
    ORDER BY id LIMIT 1) x, generate_series(1, 3);
SELECT min(id) AS b1, min(id) + 1 AS b2, max(id) AS b3 FROM webhook_deliveries WHERE webhook_id = :w4 \gset
SET LOCAL ROLE clientd_worker;
SELECT is(ARRAY(SELECT delivery FROM webhook_next_batch(:w4, 10)), ARRAY[:b1, :b2, :b3]::bigint[],
    'webhooks-6.1: a batch is the lane''s pending deliveries, in order');
SELECT is(ARRAY(SELECT delivery FROM webhook_next_batch(:w4, 2)), ARRAY[:b1, :b2]::bigint[],
    'webhooks-6.2: up to the limit');
RESET ROLE;
UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 minute' WHERE id = :b1;
SET LOCAL ROLE clientd_worker;
SELECT is((SELECT count(*) FROM webhook_next_batch(:w4, 10)), 0::bigint,
    'webhooks-6.3: a head waiting for its retry holds up the rest');
RESET ROLE;
INSERT INTO webhook_deliveries (company_id, webhook_id, message_id, ordered)
SELECT 901, :w4, message_id, false FROM webhook_deliveries WHERE id = :b1 RETURNING id AS b4 \gset
UPDATE webhooks SET status = 'paused' WHERE id = :w4;
SET LOCAL ROLE clientd_worker;
SELECT is(ARRAY(SELECT delivery FROM webhook_next_batch(:w4, 10)), ARRAY[:b4]::bigint[],
    'webhooks-6.4: a due test or resend goes alone, first, even on a paused webhook');
SELECT is((SELECT count(*) FROM webhook_record_batch(jsonb_build_array(jsonb_build_object(
    'delivery', :b4, 'started', now(), 'latency_ms', 3, 'status_code', 200,
    'outcome', 'delivered')), 'w1', interval '3 days', 10)), 0::bigint,
    'webhooks-6.5: a paused webhook''s queue waits after it');
RESET ROLE;
UPDATE webhooks SET status = 'active' WHERE id = :w4;
UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = :b1;
SET LOCAL ROLE clientd_worker;
SELECT is(ARRAY(SELECT delivery FROM webhook_record_batch(jsonb_build_array(
    jsonb_build_object('delivery', :b1, 'started', now(), 'latency_ms', 3,
	'status_code', 200, 'outcome', 'delivered', 'excerpt', 'ok'),
    jsonb_build_object('delivery', :b2, 'started', now(), 'latency_ms', 4,
	'status_code', 200, 'outcome', 'delivered')), 'w1', interval '3 days', 10)),
    ARRAY[:b3]::bigint[],
    'webhooks-6.6: recording a batch hands over the lane''s next one');
RESET ROLE;
SELECT is((SELECT string_agg(status || '/' || attempts, ',' ORDER BY id) FROM webhook_deliveries
    WHERE id IN (:b1, :b2, :b4)), 'delivered/1,delivered/1,delivered/1',
    'webhooks-6.7: each delivery of it recorded, with its attempt');
SET LOCAL ROLE clientd_worker;
SELECT is((SELECT count(*) FROM webhook_record_batch(jsonb_build_array(
    jsonb_build_object('delivery', :b2, 'started', now(), 'latency_ms', 3,
	'status_code', 200, 'outcome', 'delivered')), 'w1', interval '3 days', 10)), 0::bigint,
    'webhooks-6.8: an attempt at a delivery recorded already is dropped, and nothing follows');
SELECT is((SELECT count(*) FROM webhook_record_batch(jsonb_build_array(
    jsonb_build_object('delivery', :b3, 'started', now(), 'latency_ms', 3,
	'status_code', 500, 'outcome', 'retry', 'error', 'HTTP 500', 'delay_ms', 30000)),
    'w1', interval '3 days', 0)), 0::bigint, 'webhooks-6.9: with no next asked for, nothing is handed over');
RESET ROLE;
SELECT is((SELECT count(*)::int || '/' || (SELECT status FROM webhook_deliveries WHERE id = :b3)
    FROM webhook_attempts WHERE delivery_id = :b2), '1/pending',
    'webhooks-6.10: the dropped attempt left no trace; the retry stays pending');

SELECT * FROM finish();
ROLLBACK;
