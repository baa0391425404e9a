-- ---------------------------------------------------------------------------
-- groups: client groups, whose settings a member inherits (settings.sql).
-- ---------------------------------------------------------------------------

-- The group's clients by status: what group_delete() counts (every one of
-- them keeps a group from being deleted), and what the API shows.
CREATE FUNCTION group_member_counts(g client_groups, OUT active bigint,
    OUT archived bigint, OUT deleted bigint)
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT count(*) FILTER (WHERE c.status = 'active'),
	    count(*) FILTER (WHERE c.status = 'archived'),
	    count(*) FILTER (WHERE c.status = 'deleted')
	FROM clients c WHERE c.company_id = g.company_id AND c.group_id = g.id;
END;

-- A group as the API shows it. member_count leaves deleted clients out;
-- member_counts has every status.
CREATE FUNCTION group_json(g client_groups) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	n record;
BEGIN
	SELECT * INTO n FROM group_member_counts(g);
	RETURN json_build_object('id', g.public_id, 'name', g.name,
	    'settings', g.settings,
	    'member_count', n.active + n.archived,
	    'member_counts', json_build_object('active', n.active,
		'archived', n.archived, 'deleted', n.deleted),
	    'created_at', rfc3339(g.created_at), 'updated_at', rfc3339(g.updated_at));
END
$$;

-- The group with public id p_id in the current tenant, locked for update
-- when p_lock. Raises 404 otherwise.
CREATE FUNCTION group_find(p_id text, p_lock boolean) RETURNS client_groups
    LANGUAGE plpgsql
    AS $$
DECLARE
	g client_groups%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO g FROM client_groups WHERE public_id = p_id
		    AND company_id = app_company_id() FOR UPDATE;
	ELSE
		SELECT * INTO g FROM client_groups WHERE public_id = p_id
		    AND company_id = app_company_id();
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'group not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No group has the id "%s".', p_id);
	END IF;
	RETURN g;
END
$$;

-- Group names are unique per company, compared case-insensitively.
CREATE FUNCTION group_name_check(p_name text, p_except bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM client_groups WHERE company_id = app_company_id()
	    AND lower(name) = lower(p_name) AND id IS DISTINCT FROM p_except) THEN
		RAISE EXCEPTION 'a group named "%" already exists', p_name
		    USING ERRCODE = 'CD409', COLUMN = 'name';
	END IF;
END
$$;

-- POST /groups.
CREATE FUNCTION group_create(p_name text, p_settings jsonb) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	g client_groups%ROWTYPE;
BEGIN
	PERFORM group_name_check(p_name, NULL);
	PERFORM settings_check(COALESCE(p_settings, '{}'), 'settings.');
	INSERT INTO client_groups (company_id, name, settings)
	VALUES (app_company_id(), p_name, settings_merge('{}', COALESCE(p_settings, '{}')))
	RETURNING * INTO g;
	PERFORM event_add('group.created', 'group', g.id, g.public_id,
	    jsonb_build_object('name', jsonb_build_object('before', NULL, 'after', g.name))
	    || settings_changes('{}', g.settings));
	RETURN group_json(g);
END
$$;

-- Renames (p_name not NULL) and/or patches the settings (p_patch); field
-- errors name p_prefix || key.
CREATE FUNCTION group_update(p_id text, p_name text, p_patch jsonb,
    p_prefix text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	g client_groups%ROWTYPE;
	r client_groups%ROWTYPE;
	ch jsonb;
BEGIN
	g := group_find(p_id, true);
	IF p_name IS NOT NULL THEN
		PERFORM group_name_check(p_name, g.id);
	END IF;
	PERFORM settings_check(COALESCE(p_patch, '{}'), p_prefix);
	UPDATE client_groups SET name = COALESCE(p_name, name),
	    settings = settings_merge(settings, COALESCE(p_patch, '{}'))
	WHERE id = g.id RETURNING * INTO r;
	ch := json_changes(jsonb_build_object('name', g.name), jsonb_build_object('name', r.name))
	    || settings_changes(g.settings, r.settings);
	IF ch <> '{}' THEN
		UPDATE client_groups SET updated_at = now() WHERE id = r.id RETURNING * INTO r;
		PERFORM event_add('group.updated', 'group', r.id, r.public_id, ch);
	END IF;
	RETURN group_json(r);
END
$$;

-- Deletes a group. Refused while clients belong to it, unless p_detach:
-- then each member leaves the group first (one client.updated event each).
CREATE FUNCTION group_delete(p_id text, p_detach boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	g client_groups%ROWTYPE;
	k record;
	n bigint;
	c clients%ROWTYPE;
BEGIN
	g := group_find(p_id, true);
	SELECT * INTO k FROM group_member_counts(g);
	n := k.active + k.archived + k.deleted;
	IF n > 0 AND NOT p_detach THEN
		RAISE EXCEPTION 'group "%" still has % client%', g.name, n, CASE WHEN n = 1 THEN '' ELSE 's' END
		    USING ERRCODE = 'CD409',
			  DETAIL = format('%s active, %s archived and %s deleted; archived and deleted clients count too.',
			      k.active, k.archived, k.deleted),
			  HINT = 'Move the clients to another group, or delete with ?detach=true to take them out of the group.';
	END IF;
	FOR c IN SELECT * FROM clients WHERE company_id = app_company_id()
	    AND group_id = g.id FOR UPDATE LOOP
		UPDATE clients SET group_id = NULL, version = version + 1, updated_at = now()
		WHERE id = c.id;
		PERFORM event_add('client.updated', 'client', c.id, c.public_id,
		    jsonb_build_object('group', jsonb_build_object('before', g.public_id,
			'after', NULL)), c.id);
	END LOOP;
	DELETE FROM client_groups WHERE id = g.id;
	PERFORM event_add('group.deleted', 'group', g.id, g.public_id,
	    jsonb_build_object('name', jsonb_build_object('before', g.name, 'after', NULL)));
END
$$;

-- The internal id of the group a client field (p_field) names: NULL for
-- NULL, a 422 on that field for a group that is not this company's.
CREATE FUNCTION client_group_find(p_id text, p_field text) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v bigint;
BEGIN
	IF p_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT id INTO v FROM client_groups WHERE public_id = p_id
	    AND company_id = app_company_id();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'field "%" names no group of this company: "%"', p_field, p_id
		    USING ERRCODE = 'CD422', COLUMN = p_field;
	END IF;
	RETURN v;
END
$$;
