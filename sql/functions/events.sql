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
	    'changes', e.changes, 'created_at', rfc3339(e.created_at));
END;
