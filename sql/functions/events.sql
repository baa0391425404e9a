-- ---------------------------------------------------------------------------
-- events: every change writes one row in the same transaction. The activity
-- history reads them; webhooks deliver them.
-- ---------------------------------------------------------------------------

-- Writes an event for the current tenant and actor (set by auth_begin()).
CREATE FUNCTION event_add(p_type text, p_entity_type text, p_entity_id bigint,
    p_entity_public_id text, p_changes jsonb, p_client_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE sql VOLATILE
    AS $$
	INSERT INTO events (company_id, type, entity_type, entity_id,
	    entity_public_id, client_id, actor_type, actor_id, actor_name, changes,
	    impersonator_id, impersonator_name)
	VALUES (app_company_id(), p_type, p_entity_type, p_entity_id,
	    p_entity_public_id, p_client_id,
	    COALESCE(NULLIF(current_setting('app.actor_type', true), ''), 'system'),
	    NULLIF(current_setting('app.actor_id', true), ''),
	    NULLIF(current_setting('app.actor_name', true), ''),
	    COALESCE(p_changes, '{}'),
	    -- A staff member in the portal as a contact (portal.sql).
	    NULLIF(current_setting('app.impersonator_id', true), ''),
	    NULLIF(current_setting('app.impersonator_name', true), ''))
	RETURNING id
$$;
GRANT EXECUTE ON FUNCTION event_add(text, text, bigint, text, jsonb, bigint) TO clientd_app, clientd_worker;

-- The name of the record of type p_type ('group', 'user' or 'client')
-- with public id p_id, as a reader should see it instead of the id, and
-- whether the record still exists. A deleted group is named from its
-- group.deleted event; a client the caller may not see (members limited
-- to their own clients) or one purged has no name.
CREATE FUNCTION event_reference(p_type text, p_id text, OUT name text,
    OUT live boolean)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_type = 'group' THEN
		SELECT g.name, true INTO name, live FROM client_groups g
		WHERE g.public_id = p_id AND g.company_id = app_company_id();
		IF NOT FOUND THEN
			SELECT e.changes #>> '{name,before}', false INTO name, live FROM events e
			WHERE e.company_id = app_company_id() AND e.entity_type = 'group'
			    AND e.entity_public_id = p_id AND e.type = 'group.deleted'
			LIMIT 1;
		END IF;
	ELSIF p_type = 'user' THEN
		SELECT COALESCE(NULLIF(u.name, ''), u.email), u.is_active INTO name, live
		FROM users u WHERE u.public_id = p_id AND u.company_id = app_company_id();
	ELSIF p_type = 'client' THEN
		SELECT COALESCE(NULLIF(c.display_name, ''), 'Client ' || c.number), true
		INTO name, live FROM clients c
		WHERE c.public_id = p_id AND c.company_id = app_company_id()
		    AND (app_scope_all() OR c.user_id = app_user_id()
			OR c.assigned_user_id = app_user_id());
	END IF;
	live := COALESCE(live, false);
END
$$;

-- What an event's changes name by id (a client's group before and after,
-- its assigned user, the client it was merged into or from), keyed by the
-- id: {"<id>": {"type", "name", "exists"}}.
CREATE FUNCTION event_references(p_changes jsonb) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE(json_object_agg(k.id, json_build_object('type', k.type,
	    'name', r.name, 'exists', r.live) ORDER BY k.id), '{}')
	FROM (SELECT DISTINCT x.type, x.id FROM (VALUES
		('group', p_changes #>> '{group,before}'),
		('group', p_changes #>> '{group,after}'),
		('user', p_changes #>> '{assigned_user,before}'),
		('user', p_changes #>> '{assigned_user,after}'),
		('client', p_changes #>> '{merged_into,after}'),
		('client', p_changes #>> '{merged_from,after,id}')) AS x(type, id)
	    WHERE x.id IS NOT NULL) k
	CROSS JOIN LATERAL event_reference(k.type, k.id) r;
END;

-- An event as the API shows it (a client's activity).
CREATE FUNCTION event_json(e events) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', e.public_id, 'type', e.type,
	    'entity', json_build_object('type', e.entity_type, 'id', e.entity_public_id),
	    'actor', json_build_object('type', e.actor_type, 'id', e.actor_id,
		'name', e.actor_name, 'impersonated_by', CASE WHEN e.impersonator_id
		    IS NOT NULL THEN json_build_object('id', e.impersonator_id,
		    'name', e.impersonator_name) END),
	    'changes', e.changes, 'references', event_references(e.changes),
	    'created_at', rfc3339(e.created_at));
END;
