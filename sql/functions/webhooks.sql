-- ---------------------------------------------------------------------------
-- webhooks: subscriptions, the fan-out of events to them, and what the
-- worker calls to claim and record deliveries.
--
-- Fan-out. A trigger on events renders the payload of a deliverable event
-- (its type is in webhook_event_types) once, when the company has an
-- active webhook that wants it, and queues a delivery per such webhook,
-- in the transaction that made the change: the data is the record as the
-- API shows it at that moment. NOTIFY clientd_webhooks wakes the workers
-- when the transaction commits; its payload lists the webhooks (their
-- ids, comma-separated) that have a delivery queued, so that a worker
-- already sending on those lanes need not look for work ('': look).
--
-- Lanes. Each webhook's deliveries are sent one at a time, oldest first:
-- the worker that holds the lane (a session advisory lock on the
-- webhook, webhook_lane_key()) sends, records the attempt and takes the
-- next one. The lock lives as long as the worker's connection, so a
-- worker that dies (kill -9 included) frees its lanes at once and never
-- leaves one claimed; two workers never send on one lane at the same
-- time. A delivery waiting for its retry holds up the ones after it, so a
-- receiver gets events in order; tests and resends (ordered = false) go
-- around the queue.
--
-- The API's functions run as the daemon (row-level security applies);
-- the worker's are SECURITY DEFINER, since a worker serves every company,
-- and set the tenant themselves before they write an event.
-- ---------------------------------------------------------------------------

-- Whether a webhook subscribed to events p_events wants an event of type
-- p_type: the type itself, "<entity>.*" or "*" (core/events.c).
CREATE FUNCTION webhook_wants(p_events text[], p_type text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN p_type = ANY (p_events) OR '*' = ANY (p_events)
	OR split_part(p_type, '.', 1) || '.*' = ANY (p_events);

-- The key of a webhook's lane lock: (class, webhook id), the two-int form
-- of the advisory locks (its key space does not overlap the one-bigint
-- form that migrate uses).
CREATE FUNCTION webhook_lane_class() RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 1464355584;	-- 0x57484b00, "WHK"

-- A webhook as the API shows it (never its secrets).
CREATE FUNCTION webhook_json(w webhooks) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN json_build_object('id', w.public_id, 'url', w.url,
	    'events', to_json(w.events), 'headers', w.headers,
	    'description', w.description, 'status', w.status,
	    'disabled_reason', w.disabled_reason,
	    'disabled_at', rfc3339(w.disabled_at),
	    'secret_hint', w.secret_hint,
	    'previous_secret_expires_at', CASE WHEN w.previous_secret_expires_at > now()
		THEN rfc3339(w.previous_secret_expires_at) END,
	    'failing_since', rfc3339(w.failing_since),
	    'last_success_at', rfc3339(w.last_success_at),
	    'last_failure_at', rfc3339(w.last_failure_at),
	    'pending_deliveries', (SELECT count(*) FROM webhook_deliveries d
		WHERE d.webhook_id = w.id AND d.status = 'pending'),
	    'created_at', rfc3339(w.created_at), 'updated_at', rfc3339(w.updated_at),
	    'version', w.version);
END
$$;

-- The webhook with public id p_id in the current tenant, locked for
-- update when p_lock. Raises 404 otherwise.
CREATE FUNCTION webhook_find(p_id text, p_lock boolean) RETURNS webhooks
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO w FROM webhooks WHERE public_id = p_id
		    AND company_id = app_company_id() FOR UPDATE;
	ELSE
		SELECT * INTO w FROM webhooks WHERE public_id = p_id
		    AND company_id = app_company_id();
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'webhook not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No webhook has the id "%s".', p_id);
	END IF;
	RETURN w;
END
$$;

-- A second webhook for a URL the company already sends to is refused.
CREATE FUNCTION webhook_url_check(p_url text, p_except bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v text;
BEGIN
	SELECT public_id INTO v FROM webhooks WHERE company_id = app_company_id()
	    AND url = p_url AND id IS DISTINCT FROM p_except;
	IF FOUND THEN
		RAISE EXCEPTION 'a webhook for this URL already exists'
		    USING ERRCODE = 'CD409', COLUMN = 'url',
			  DETAIL = format('Webhook "%s" sends to %s.', v, p_url),
			  HINT = 'Change that webhook (PATCH), or delete it first.';
	END IF;
END
$$;

-- What an event records of a webhook: its settings, and only the names
-- of its custom headers (their values may be credentials).
CREATE FUNCTION webhook_snapshot(w webhooks) RETURNS jsonb
    LANGUAGE sql STABLE
    RETURN jsonb_build_object('url', w.url, 'events', to_jsonb(w.events),
	'headers', (SELECT COALESCE(jsonb_agg(k ORDER BY k), '[]')
	    FROM jsonb_object_keys(w.headers) AS k),
	'description', w.description, 'status', w.status);

-- POST /webhooks: p holds url, events and optionally headers, description,
-- status (the daemon checked them, core/subscriptions.c); p_secret is the
-- new signing secret, sealed.
CREATE FUNCTION webhook_create(p jsonb, p_secret bytea, p_hint text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
BEGIN
	-- Serialises creates per company, so that the limit holds.
	PERFORM 1 FROM companies WHERE id = app_company_id() FOR UPDATE;
	IF (SELECT count(*) FROM webhooks WHERE company_id = app_company_id()) >= 50 THEN
		RAISE EXCEPTION 'a company may have at most 50 webhooks'
		    USING ERRCODE = 'CD409',
			  HINT = 'Delete webhooks that are no longer used; one webhook may subscribe to many events.';
	END IF;
	PERFORM webhook_url_check(p ->> 'url', NULL);
	INSERT INTO webhooks (company_id, user_id, url, events, headers, description,
	    status, secret, secret_hint)
	VALUES (app_company_id(), app_user_id(), p ->> 'url',
	    ARRAY(SELECT jsonb_array_elements_text(p -> 'events')),
	    COALESCE(p -> 'headers', '{}'), COALESCE(p ->> 'description', ''),
	    COALESCE(p ->> 'status', 'active'), p_secret, p_hint)
	RETURNING * INTO w;
	PERFORM event_add('webhook.created', 'webhook', w.id, w.public_id,
	    json_changes('{}', webhook_snapshot(w)));
	RETURN webhook_json(w);
END
$$;

-- PATCH /webhooks/{id}. Setting status "active" restarts a webhook the
-- server disabled (its failures are forgotten; the deliveries it still
-- has go out, in order).
CREATE FUNCTION webhook_update(p_id text, p jsonb, p_version int) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
	r webhooks%ROWTYPE;
	ch jsonb;
BEGIN
	w := webhook_find(p_id, true);
	PERFORM version_check(w.version, p_version);
	IF p ? 'url' THEN
		PERFORM webhook_url_check(p ->> 'url', w.id);
	END IF;
	UPDATE webhooks SET
	    url = COALESCE(p ->> 'url', url),
	    events = CASE WHEN p ? 'events'
		THEN ARRAY(SELECT jsonb_array_elements_text(p -> 'events')) ELSE events END,
	    headers = CASE WHEN p ? 'headers' THEN p -> 'headers' ELSE headers END,
	    description = CASE WHEN p ? 'description' THEN COALESCE(p ->> 'description', '')
		ELSE description END,
	    status = COALESCE(p ->> 'status', status),
	    disabled_reason = CASE WHEN p ? 'status' THEN NULL ELSE disabled_reason END,
	    disabled_at = CASE WHEN p ? 'status' THEN NULL ELSE disabled_at END,
	    failing_since = CASE WHEN p ->> 'status' = 'active' AND status <> 'active'
		THEN NULL ELSE failing_since END
	WHERE id = w.id RETURNING * INTO r;
	ch := json_changes(webhook_snapshot(w), webhook_snapshot(r));
	-- A header's value changed under the same names: say that headers
	-- changed, still without the values.
	IF r.headers IS DISTINCT FROM w.headers AND NOT ch ? 'headers' THEN
		ch := ch || jsonb_build_object('headers', jsonb_build_object(
		    'before', webhook_snapshot(w) -> 'headers',
		    'after', webhook_snapshot(r) -> 'headers'));
	END IF;
	IF ch <> '{}' THEN
		UPDATE webhooks SET version = version + 1, updated_at = now()
		WHERE id = r.id RETURNING * INTO r;
		PERFORM event_add('webhook.updated', 'webhook', r.id, r.public_id, ch);
		PERFORM pg_notify('clientd_webhooks', '');
	END IF;
	RETURN webhook_json(r);
END
$$;

-- DELETE /webhooks/{id}: the webhook, its queue and its log.
CREATE FUNCTION webhook_delete(p_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
BEGIN
	w := webhook_find(p_id, true);
	DELETE FROM webhooks WHERE id = w.id;
	PERFORM event_add('webhook.deleted', 'webhook', w.id, w.public_id,
	    json_changes(webhook_snapshot(w), '{}'));
END
$$;

-- POST /webhooks/{id}/rotate-secret: p_secret (sealed) signs from now on;
-- the one it replaces signs too for p_overlap (both signatures are sent),
-- so receivers can switch without missing a delivery.
CREATE FUNCTION webhook_rotate(p_id text, p_secret bytea, p_hint text,
    p_overlap interval) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
BEGIN
	w := webhook_find(p_id, true);
	UPDATE webhooks SET secret = p_secret, secret_hint = p_hint,
	    previous_secret = CASE WHEN p_overlap > interval '0' THEN w.secret END,
	    previous_secret_expires_at = CASE WHEN p_overlap > interval '0'
		THEN now() + p_overlap END,
	    version = version + 1, updated_at = now()
	WHERE id = w.id RETURNING * INTO w;
	PERFORM event_add('webhook.secret_rotated', 'webhook', w.id, w.public_id,
	    jsonb_build_object('previous_secret_expires_at', jsonb_build_object(
		'before', NULL, 'after', rfc3339(w.previous_secret_expires_at))));
	RETURN webhook_json(w);
END
$$;

-- What the payload's "data" holds for an entity that no longer exists
-- (a deleted contact or group): its id and the values it had.
CREATE FUNCTION webhook_gone_json(e events) RETURNS jsonb
    LANGUAGE sql STABLE
    RETURN jsonb_build_object('id', e.entity_public_id)
	|| COALESCE((SELECT jsonb_object_agg(k, v -> 'before')
	    FROM jsonb_each(e.changes) AS x(k, v)
	    WHERE jsonb_typeof(v) = 'object' AND v ? 'before'), '{}');

-- An event's payload parts: data, the record as the API shows it now (at
-- the event, when the trigger calls this), and previous_attributes, the
-- values the change replaced (null for records created or gone).
CREATE FUNCTION webhook_render(e events, OUT data json, OUT previous json)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
	g client_groups%ROWTYPE;
	l ledger_entries%ROWTYPE;
	i imports%ROWTYPE;
	gone boolean := false;
	v_client jsonb;
BEGIN
	IF e.entity_type = 'client' THEN
		SELECT * INTO c FROM clients WHERE id = e.entity_id;
		IF FOUND THEN
			data := client_full_json(c);
		ELSE
			gone := true;
		END IF;
	ELSIF e.entity_type = 'contact' THEN
		SELECT * INTO c FROM clients WHERE id = e.client_id;
		v_client := CASE WHEN c.id IS NOT NULL THEN jsonb_build_object('id', c.public_id,
		    'number', c.number, 'display_name', c.display_name,
		    'status', client_status(c.archived_at, c.deleted_at)) END;
		SELECT * INTO k FROM client_contacts WHERE id = e.entity_id;
		IF FOUND THEN
			data := (contact_json(k)::jsonb || jsonb_build_object('client', v_client))::json;
		ELSE
			gone := true;
			data := (webhook_gone_json(e) || jsonb_build_object('client', v_client))::json;
		END IF;
	ELSIF e.entity_type = 'group' THEN
		SELECT * INTO g FROM client_groups WHERE id = e.entity_id;
		IF FOUND THEN
			data := group_json(g);
		ELSE
			gone := true;
		END IF;
	ELSIF e.entity_type = 'company' THEN
		data := (SELECT json_build_object('settings', json_object_agg(d.key,
		    json_build_object('value', COALESCE(co.settings -> d.key, d.value),
			'source', CASE WHEN co.settings ? d.key THEN 'company' ELSE 'default' END)
		    ORDER BY d.key))
		FROM companies co CROSS JOIN setting_defaults d WHERE co.id = e.entity_id
		GROUP BY co.id);
	ELSIF e.entity_type = 'document' THEN
		data := (SELECT document_json(d) FROM documents d WHERE d.id = e.entity_id);
		gone := data IS NULL;
	ELSIF e.entity_type = 'ledger_entry' THEN
		SELECT * INTO l FROM ledger_entries WHERE id = e.entity_id;
		SELECT * INTO c FROM clients WHERE id = l.client_id;
		IF l.id IS NOT NULL AND c.id IS NOT NULL THEN
			data := ledger_entry_json(l, c);
		ELSE
			gone := true;
		END IF;
	ELSIF e.entity_type = 'import' THEN
		SELECT * INTO i FROM imports WHERE id = e.entity_id;
		IF FOUND THEN
			-- The event is written with the run's last rows, before
			-- the import itself records how it ended: the result is
			-- the event's.
			data := (import_json(i)::jsonb || jsonb_build_object(
			    'status', e.changes -> 'status' -> 'after',
			    'result', (SELECT jsonb_object_agg(x.k, x.v -> 'after')
				FROM jsonb_each(e.changes) AS x(k, v)),
			    'progress', NULL,
			    'finished_at', rfc3339(e.created_at)))::json;
		ELSE
			gone := true;
		END IF;
	ELSE
		gone := true;
	END IF;
	IF data IS NULL THEN
		data := webhook_gone_json(e)::json;
	END IF;
	IF NOT gone AND e.type NOT LIKE '%.created' AND e.type NOT LIKE '%.purged'
	    AND e.type NOT LIKE '%.completed' THEN
		previous := (SELECT json_object_agg(x.k, x.v -> 'before')
		    FROM jsonb_each(e.changes) AS x(k, v)
		    WHERE jsonb_typeof(x.v) = 'object' AND x.v ? 'before');
	END IF;
END
$$;

-- The trigger: queue a deliverable event for the company's webhooks that
-- want it. SECURITY DEFINER so that whichever role writes an event (the
-- daemon, the worker's jobs) can queue it; it reads only the event's
-- company and the record the event names.
CREATE FUNCTION webhook_fanout() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	m bigint;
	r record;
	v_lanes text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.company_id = NEW.company_id
	    AND w.status = 'active' AND webhook_wants(w.events, NEW.type))
	    OR NOT EXISTS (SELECT 1 FROM webhook_event_types t WHERE t.type = NEW.type) THEN
		RETURN NULL;
	END IF;
	r := webhook_render(NEW);
	INSERT INTO webhook_messages (public_id, company_id, event_id, type,
	    created_at, data, previous_attributes)
	VALUES (NEW.public_id, NEW.company_id, NEW.id, NEW.type, NEW.created_at,
	    r.data, r.previous)
	RETURNING id INTO m;
	WITH q AS (
		INSERT INTO webhook_deliveries (company_id, webhook_id, message_id)
		SELECT NEW.company_id, w.id, m FROM webhooks w
		WHERE w.company_id = NEW.company_id AND w.status = 'active'
		    AND webhook_wants(w.events, NEW.type)
		ORDER BY w.id
		RETURNING webhook_id)
	SELECT string_agg(webhook_id::text, ',' ORDER BY webhook_id) INTO v_lanes FROM q;
	PERFORM pg_notify('clientd_webhooks', COALESCE(v_lanes, ''));
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION webhook_fanout() FROM PUBLIC;

CREATE TRIGGER events_webhooks AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION webhook_fanout();

-- A delivery as the log shows it, with its attempts.
CREATE FUNCTION webhook_delivery_json(d webhook_deliveries) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	m webhook_messages%ROWTYPE;
BEGIN
	SELECT * INTO m FROM webhook_messages WHERE id = d.message_id;
	RETURN json_build_object('id', d.public_id,
	    'webhook', (SELECT public_id FROM webhooks WHERE id = d.webhook_id),
	    'message_id', m.public_id,
	    'event', json_build_object('id', m.public_id, 'type', m.type,
		'created_at', rfc3339(m.created_at)),
	    'kind', CASE WHEN d.resend_of IS NOT NULL THEN 'resend'
		WHEN m.event_id IS NULL THEN 'test' WHEN NOT d.ordered THEN 'resend'
		ELSE 'event' END,
	    'resend_of', (SELECT x.public_id FROM webhook_deliveries x WHERE x.id = d.resend_of),
	    'status', d.status, 'attempts', d.attempts,
	    'created_at', rfc3339(d.created_at),
	    'first_attempt_at', rfc3339(d.first_attempt_at),
	    'last_attempt_at', rfc3339(d.last_attempt_at),
	    'next_attempt_at', CASE WHEN d.status = 'pending' THEN rfc3339(d.next_attempt_at) END,
	    'delivered_at', rfc3339(d.delivered_at),
	    'last_status_code', d.last_status_code, 'last_error', d.last_error,
	    'attempt_log', COALESCE((SELECT json_agg(json_build_object(
		'at', rfc3339(a.started_at), 'status_code', a.status_code,
		'latency_ms', a.latency_ms, 'outcome', a.outcome, 'error', a.error,
		'response_excerpt', a.response_excerpt,
		'next_attempt_at', rfc3339(a.next_attempt_at)) ORDER BY a.id)
		FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'));
END
$$;

-- The payload of a message as its deliveries send it.
CREATE FUNCTION webhook_payload_json(m webhook_messages) RETURNS json
    LANGUAGE sql STABLE
    RETURN json_build_object('id', m.public_id, 'type', m.type,
	'created_at', rfc3339(m.created_at), 'data', m.data,
	'previous_attributes', m.previous_attributes);

-- GET /webhooks/{id}/deliveries/{delivery_id}: the delivery and its payload.
CREATE FUNCTION webhook_delivery_get(p_webhook text, p_id text) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	w webhooks%ROWTYPE;
	d webhook_deliveries%ROWTYPE;
BEGIN
	w := webhook_find(p_webhook, false);
	SELECT * INTO d FROM webhook_deliveries WHERE public_id = p_id
	    AND webhook_id = w.id AND company_id = app_company_id();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'delivery not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('Webhook "%s" has no delivery with the id "%s".', p_webhook, p_id);
	END IF;
	RETURN (webhook_delivery_json(d)::jsonb || jsonb_build_object('payload',
	    (SELECT webhook_payload_json(m) FROM webhook_messages m WHERE m.id = d.message_id)))::json;
END
$$;

-- POST /webhooks/{id}/test: a "ping" whose data is the webhook, sent
-- outside the lane's order (so a queue held up by a failing delivery
-- does not hold it up), even to a paused or disabled webhook.
CREATE FUNCTION webhook_test(p_id text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
	m bigint;
	d webhook_deliveries%ROWTYPE;
BEGIN
	w := webhook_find(p_id, false);
	INSERT INTO webhook_messages (public_id, company_id, type, created_at, data)
	VALUES (new_public_id(), w.company_id, 'ping', now(), webhook_json(w))
	RETURNING id INTO m;
	INSERT INTO webhook_deliveries (company_id, webhook_id, message_id, ordered)
	VALUES (w.company_id, w.id, m, false) RETURNING * INTO d;
	PERFORM pg_notify('clientd_webhooks', w.id::text);
	RETURN webhook_delivery_json(d);
END
$$;

-- POST /webhooks/{id}/deliveries/{delivery_id}/retry: a pending delivery
-- is tried now (no more waiting for its retry); a finished one is sent
-- again as a new delivery of the same message (same webhook-id, so a
-- receiver that has it already can tell), outside the lane's order.
CREATE FUNCTION webhook_delivery_retry(p_webhook text, p_id text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	w webhooks%ROWTYPE;
	d webhook_deliveries%ROWTYPE;
BEGIN
	w := webhook_find(p_webhook, false);
	SELECT * INTO d FROM webhook_deliveries WHERE public_id = p_id
	    AND webhook_id = w.id AND company_id = app_company_id() FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'delivery not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('Webhook "%s" has no delivery with the id "%s".', p_webhook, p_id);
	END IF;
	IF d.status = 'pending' THEN
		UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = d.id
		RETURNING * INTO d;
	ELSE
		INSERT INTO webhook_deliveries (company_id, webhook_id, message_id,
		    ordered, resend_of)
		VALUES (d.company_id, d.webhook_id, d.message_id, false, d.id)
		RETURNING * INTO d;
	END IF;
	PERFORM pg_notify('clientd_webhooks', w.id::text);
	RETURN webhook_delivery_json(d);
END
$$;

-- GET /webhooks/sample?event=: the newest events of a type in the company
-- (up to p_limit) in the delivery's shape, for Zapier's "perform list"
-- and Make's samples. The payload that was delivered when there was one;
-- else the event rendered now (its data then shows the record as it is
-- now). A record that was purged since shows its id and last values.
CREATE FUNCTION webhook_sample(p_type text, p_limit int) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	out json;
BEGIN
	SELECT COALESCE(json_agg(p ORDER BY id DESC), '[]') INTO out FROM (
	    SELECT e.id, COALESCE(
		(SELECT webhook_payload_json(m) FROM webhook_messages m WHERE m.event_id = e.id),
		(SELECT json_build_object('id', e.public_id, 'type', e.type,
		    'created_at', rfc3339(e.created_at), 'data', r.data,
		    'previous_attributes', r.previous) FROM webhook_render(e) r)) AS p
	    FROM events e WHERE e.company_id = app_company_id() AND e.type = p_type
	    ORDER BY e.id DESC LIMIT p_limit) s;
	RETURN out;
END
$$;

-- ---------------------------------------------------------------------------
-- The worker's side (api/src/worker/webhooks.c)
-- ---------------------------------------------------------------------------

-- The next deliveries lane p_lane may send now, in the order it sends
-- them, with what sending takes: a due test or resend alone, first; else
-- up to p_limit of the lane's pending deliveries from its head, in order,
-- while they are due (the head waiting for its retry holds up the rest),
-- if the webhook is active. The worker sends them one after another and
-- stops at the first that does not succeed (webhook_record_batch()). The
-- previous secret only while it still signs.
CREATE FUNCTION webhook_next_batch(p_lane bigint, p_limit int)
    RETURNS SETOF webhook_send
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	w webhooks%ROWTYPE;
	v_manual bigint;
BEGIN
	SELECT * INTO w FROM webhooks WHERE id = p_lane;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT x.id INTO v_manual FROM webhook_deliveries x WHERE x.webhook_id = w.id
	    AND x.status = 'pending' AND NOT x.ordered AND x.next_attempt_at <= now()
	ORDER BY x.id LIMIT 1;
	IF v_manual IS NULL AND w.status <> 'active' THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT w.id, d.id, d.public_id, w.url, w.headers::text,
	    w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END,
	    m.public_id, m.type, rfc3339(m.created_at), m.data::text,
	    m.previous_attributes::text, d.attempts,
	    extract(epoch FROM d.first_attempt_at)::bigint
	FROM (SELECT x.*, bool_and(x.next_attempt_at <= now()) OVER (ORDER BY x.id) AS due
	    FROM (SELECT * FROM webhook_deliveries y WHERE v_manual IS NOT NULL AND y.id = v_manual
		UNION ALL
		(SELECT * FROM webhook_deliveries y WHERE v_manual IS NULL AND y.webhook_id = w.id
		    AND y.status = 'pending' AND y.ordered
		ORDER BY y.id LIMIT greatest(p_limit, 1))) x) d
	JOIN webhook_messages m ON m.id = d.message_id
	WHERE d.due
	ORDER BY d.id;
END
$$;
REVOKE ALL ON FUNCTION webhook_next_batch(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_next_batch(bigint, int) TO clientd_worker;

-- Takes up to p_limit lanes with a delivery due now (not those in
-- p_held, which this session holds already: advisory locks nest) and
-- returns each one's next delivery. A lane is taken by locking it for the
-- session (released by webhook_release(), or when the connection ends);
-- its next delivery is read after the lock, so a delivery another worker
-- finished just before is not sent again.
CREATE FUNCTION webhook_claim(p_limit int, p_held bigint[])
    RETURNS SETOF webhook_send
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	v bigint;
	n int := 0;
	k bigint;
BEGIN
	FOR v IN SELECT w.id FROM webhooks w
	    WHERE w.id <> ALL (COALESCE(p_held, '{}'))
		AND ((w.status = 'active' AND (SELECT x.next_attempt_at FROM webhook_deliveries x
		    WHERE x.webhook_id = w.id AND x.status = 'pending' AND x.ordered
		    ORDER BY x.id LIMIT 1) <= now())
		OR EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.webhook_id = w.id
		    AND x.status = 'pending' AND NOT x.ordered AND x.next_attempt_at <= now()))
	LOOP
		EXIT WHEN n >= p_limit;
		IF pg_try_advisory_lock(webhook_lane_class(), v::int) THEN
			RETURN QUERY SELECT * FROM webhook_next_batch(v, 1);
			GET DIAGNOSTICS k = ROW_COUNT;
			IF k > 0 THEN
				n := n + 1;
			ELSE
				PERFORM pg_advisory_unlock(webhook_lane_class(), v::int);
			END IF;
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION webhook_claim(int, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_claim(int, bigint[]) TO clientd_worker;

-- Gives a lane back (after the transaction that recorded its last
-- delivery committed). False when this session did not hold it.
CREATE FUNCTION webhook_release(p_lane bigint) RETURNS boolean
    LANGUAGE sql VOLATILE
    RETURN pg_advisory_unlock(webhook_lane_class(), p_lane::int);
REVOKE ALL ON FUNCTION webhook_release(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_release(bigint) TO clientd_worker;

-- Whom the server tells when it disables webhook w: the user who created
-- it while that user is still active, else the company's active owners
-- (the creator was deactivated or deleted, or an owner made it with the
-- CLI). One row per address.
CREATE FUNCTION webhook_owners(w webhooks)
    RETURNS TABLE (email text, name text)
    LANGUAGE sql STABLE
    AS $$
	SELECT u.email, u.name FROM users u
	WHERE u.id = w.user_id AND u.company_id = w.company_id AND u.is_active
	UNION ALL
	SELECT u.email, u.name FROM users u
	WHERE u.company_id = w.company_id AND u.role = 'owner' AND u.is_active
	    AND NOT EXISTS (SELECT 1 FROM users c WHERE c.id = w.user_id
		AND c.company_id = w.company_id AND c.is_active)
	ORDER BY 1
$$;

-- The reason a webhook was disabled, in words for its owner's mail, with
-- the last attempt's answer when it failed for the retry window.
CREATE FUNCTION webhook_disabled_reason(w webhooks, p_reason text) RETURNS text
    LANGUAGE sql STABLE
    RETURN CASE p_reason WHEN 'gone'
	THEN 'the receiver answered 410 Gone, which says it no longer wants '
	    || 'these events (Zapier and Make answer it after an unsubscribe)'
	ELSE 'every attempt to deliver to it failed for three days'
	    || COALESCE(' (since ' || rfc3339(w.failing_since) || ')', '')
	    || COALESCE((SELECT '; the last one: ' || CASE
		WHEN a.status_code IS NOT NULL THEN 'HTTP ' || a.status_code
		    || COALESCE(' (' || left(a.error, 200) || ')', '')
		ELSE COALESCE(left(a.error, 200), 'no answer') END
		FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
		WHERE d.webhook_id = w.id ORDER BY a.id DESC LIMIT 1), '')
	END;

-- Stops a webhook the server gave up on ('gone': the receiver answered
-- 410; 'failing': it failed for longer than the retry window) and tells
-- its owner, in the same transaction: a webhook.disabled event (the web
-- app shows the reason on the webhook) and a webhook_disabled mail to
-- each of webhook_owners(w), with the reason and how to restart it. The
-- link is the webhook's page in the web app, under app.public_url (the
-- worker sets it from CLIENTD_PUBLIC_URL). A webhook that is disabled
-- already is left as it is, so its owner is told once.
CREATE FUNCTION webhook_disable(w webhooks, p_reason text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	o record;
	v jsonb;
BEGIN
	UPDATE webhooks SET status = 'disabled', disabled_reason = p_reason,
	    disabled_at = now(), version = version + 1, updated_at = now()
	WHERE id = w.id AND status <> 'disabled';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	PERFORM set_config('app.company_id', w.company_id::text, true),
		set_config('app.actor_type', 'system', true),
		set_config('app.actor_id', '', true),
		set_config('app.actor_name', 'clientd-worker', true);
	PERFORM event_add('webhook.disabled', 'webhook', w.id, w.public_id,
	    jsonb_build_object('status', jsonb_build_object('before', w.status,
		'after', 'disabled'),
	    'disabled_reason', jsonb_build_object('before', NULL, 'after', p_reason),
	    'owner', jsonb_build_object('before', NULL,
		'after', (SELECT u.public_id FROM users u WHERE u.id = w.user_id))));
	v := jsonb_build_object('id', w.public_id, 'url', w.url,
	    'description', w.description,
	    'webhook', CASE WHEN w.description <> ''
		THEN w.description || ' (' || w.url || ')' ELSE w.url END,
	    'reason', webhook_disabled_reason(w, p_reason),
	    'disabled_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'),
	    'link', rtrim(COALESCE(current_setting('app.public_url', true), ''), '/')
		|| '/integrations/webhooks/' || w.public_id);
	FOR o IN SELECT * FROM webhook_owners(w) LOOP
		PERFORM mail_queue('webhook_disabled', o.email,
		    v || jsonb_build_object('name', COALESCE(NULLIF(o.name, ''), o.email),
			'email', o.email), NULL, NULL, NULL);
	END LOOP;
END
$$;

-- Records one attempt at delivery p_delivery (the worker decided its
-- outcome and, for a retry, the delay: core/retry.c) and, when
-- p_continue, returns the lane's next delivery, which the caller then
-- holds. A webhook failing for p_disable_after (counted from its first
-- failure since its last success) is disabled, as is one whose receiver
-- answered 410. An attempt at a delivery that is no longer pending (its
-- webhook was deleted, or another worker finished it while this one had
-- lost its lane) is dropped, and nothing follows.
CREATE FUNCTION webhook_record(p_delivery bigint, p_worker text,
    p_started timestamptz, p_latency_ms int, p_status_code int, p_outcome text,
    p_error text, p_excerpt text, p_delay_ms bigint, p_disable_after interval,
    p_continue boolean)
    RETURNS SETOF webhook_send
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	d webhook_deliveries%ROWTYPE;
	w webhooks%ROWTYPE;
	v_next timestamptz;
	v_status text;
BEGIN
	SELECT * INTO d FROM webhook_deliveries x WHERE x.id = p_delivery FOR UPDATE;
	IF NOT FOUND OR d.status <> 'pending' THEN
		RETURN;
	END IF;
	-- No FOR UPDATE: writers that queue deliveries hold KEY SHARE on the
	-- webhook (the foreign key) until they commit; FOR UPDATE would wait
	-- for them and deadlock with their next delivery. UPDATE takes FOR NO
	-- KEY UPDATE, which they do not block.
	SELECT * INTO w FROM webhooks x WHERE x.id = d.webhook_id;
	v_status := CASE p_outcome WHEN 'delivered' THEN 'delivered'
	    WHEN 'retry' THEN CASE WHEN p_delay_ms IS NULL THEN 'failed' ELSE 'pending' END
	    ELSE 'failed' END;
	v_next := CASE WHEN v_status = 'pending'
	    THEN now() + p_delay_ms * interval '1 millisecond' END;
	INSERT INTO webhook_attempts (company_id, delivery_id, started_at, latency_ms,
	    status_code, outcome, error, response_excerpt, next_attempt_at, worker)
	VALUES (d.company_id, d.id, p_started, greatest(p_latency_ms, 0), p_status_code,
	    p_outcome, p_error, p_excerpt, v_next, p_worker);
	UPDATE webhook_deliveries x SET status = v_status, attempts = x.attempts + 1,
	    next_attempt_at = v_next,
	    first_attempt_at = COALESCE(x.first_attempt_at, p_started),
	    last_attempt_at = p_started,
	    delivered_at = CASE WHEN v_status = 'delivered' THEN now() END,
	    last_status_code = p_status_code, last_error = p_error
	WHERE x.id = d.id;
	IF p_outcome = 'delivered' THEN
		-- At most once a second per webhook: a busy lane does not
		-- rewrite its webhook's row on every delivery.
		UPDATE webhooks x SET failing_since = NULL, last_success_at = now()
		WHERE x.id = w.id AND (x.failing_since IS NOT NULL
		    OR x.last_success_at IS NULL
		    OR x.last_success_at < now() - interval '1 second');
	ELSE
		UPDATE webhooks x SET failing_since = COALESCE(x.failing_since, p_started),
		    last_failure_at = now()
		WHERE x.id = w.id RETURNING * INTO w;
		IF w.status = 'active' AND (p_outcome = 'gone'
		    OR w.failing_since <= now() - p_disable_after) THEN
			PERFORM webhook_disable(w, CASE WHEN p_outcome = 'gone'
			    THEN 'gone' ELSE 'failing' END);
		END IF;
	END IF;
	IF p_continue THEN
		RETURN QUERY SELECT * FROM webhook_next_batch(d.webhook_id, 1);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION webhook_record(bigint, text, timestamptz, int, int, text,
    text, text, bigint, interval, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_record(bigint, text, timestamptz, int, int, text,
    text, text, bigint, interval, boolean) TO clientd_worker;

-- Records the attempts of one batch of lane deliveries in one
-- transaction (one commit for all, the worker's step that costs most),
-- each as webhook_record() does, in order; p_attempts is a JSON array of
-- {delivery, started, latency_ms, status_code, outcome, error, excerpt,
-- delay_ms}. Then, when p_next > 0, returns up to p_next of the lane's
-- next deliveries (webhook_next_batch()), which the caller then holds;
-- nothing when an attempt was dropped (as webhook_record() drops one at a
-- delivery that is no longer pending).
CREATE FUNCTION webhook_record_batch(p_attempts jsonb, p_worker text,
    p_disable_after interval, p_next int)
    RETURNS SETOF webhook_send
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	a jsonb;
	v_lane bigint;
	v_dropped boolean := false;
BEGIN
	SELECT x.webhook_id INTO v_lane FROM webhook_deliveries x
	WHERE x.id = (p_attempts -> 0 ->> 'delivery')::bigint;
	FOR a IN SELECT value FROM jsonb_array_elements(p_attempts) LOOP
		v_dropped := v_dropped OR NOT EXISTS (SELECT 1 FROM webhook_deliveries x
		    WHERE x.id = (a ->> 'delivery')::bigint AND x.status = 'pending');
		PERFORM webhook_record((a ->> 'delivery')::bigint, p_worker,
		    (a ->> 'started')::timestamptz, (a ->> 'latency_ms')::int,
		    (a ->> 'status_code')::int, a ->> 'outcome', a ->> 'error',
		    a ->> 'excerpt', (a ->> 'delay_ms')::bigint, p_disable_after, false);
	END LOOP;
	IF p_next > 0 AND v_lane IS NOT NULL AND NOT v_dropped THEN
		RETURN QUERY SELECT * FROM webhook_next_batch(v_lane, p_next);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION webhook_record_batch(jsonb, text, interval, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_record_batch(jsonb, text, interval, int) TO clientd_worker;

-- Housekeeping (housekeeping.sql calls it): finished deliveries and their
-- attempts after 30 days, and messages no delivery uses any more.
CREATE FUNCTION webhook_prune() RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	n int;
	m int;
BEGIN
	DELETE FROM webhook_deliveries WHERE status <> 'pending'
	    AND created_at < now() - interval '30 days';
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM webhook_messages m WHERE m.created_at < now() - interval '30 days'
	    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id);
	GET DIAGNOSTICS m = ROW_COUNT;
	RETURN n + m;
END
$$;
REVOKE ALL ON FUNCTION webhook_prune() FROM PUBLIC;
