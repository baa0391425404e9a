-- ---------------------------------------------------------------------------
-- 0003_settings: settings at company, group and client level, client
-- groups, and what generated client numbers need from the database.
--
-- The registry of keys (types, levels, defaults) is in the code
-- (api/src/core/settings.c): the daemon validates every patch against it
-- before it reaches these functions, and `clientd migrate` writes its
-- defaults to setting_defaults. Stored settings objects are sparse: a key
-- is present only where it is set, and never holds null.
-- ---------------------------------------------------------------------------

-- What the registry cannot know: that a currency or a time zone exists.
CREATE FUNCTION settings_check(p_patch jsonb, p_prefix text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF jsonb_typeof(p_patch -> 'currency') = 'string' AND NOT EXISTS (
	    SELECT 1 FROM currencies WHERE code = p_patch ->> 'currency') THEN
		RAISE EXCEPTION 'unknown currency "%"', p_patch ->> 'currency'
		    USING ERRCODE = 'CD422', COLUMN = p_prefix || 'currency',
			  HINT = 'Use an ISO 4217 code such as EUR or USD.';
	END IF;
	IF jsonb_typeof(p_patch -> 'timezone') = 'string' AND NOT EXISTS (
	    SELECT 1 FROM pg_timezone_names WHERE name = p_patch ->> 'timezone') THEN
		RAISE EXCEPTION 'unknown time zone "%"', p_patch ->> 'timezone'
		    USING ERRCODE = 'CD422', COLUMN = p_prefix || 'timezone',
			  HINT = 'Use an IANA time zone such as Europe/Berlin.';
	END IF;
END
$$;

-- stored with the patch applied: null removes a key, anything else sets it.
CREATE FUNCTION settings_merge(p_stored jsonb, p_patch jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (COALESCE(p_stored, '{}') || COALESCE((SELECT jsonb_object_agg(key, value)
	FROM jsonb_each(p_patch) WHERE value <> 'null'), '{}'))
	- ARRAY(SELECT key FROM jsonb_each(p_patch) WHERE value = 'null');

-- The changes of a settings object, keyed "settings.<key>".
CREATE FUNCTION settings_changes(p_before jsonb, p_after jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT COALESCE(jsonb_object_agg('settings.' || key, value), '{}')
	FROM jsonb_each(json_changes(p_before, p_after)));

-- ---------------------------------------------------------------------------
-- Company settings
-- ---------------------------------------------------------------------------

CREATE FUNCTION company_settings_patch(p_patch jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
	co companies%ROWTYPE;
	v_new jsonb;
	ch jsonb;
BEGIN
	SELECT * INTO co FROM companies WHERE id = app_company_id() FOR UPDATE;
	PERFORM settings_check(p_patch, '');
	v_new := settings_merge(co.settings, p_patch);
	ch := settings_changes(co.settings, v_new);
	IF ch <> '{}' THEN
		UPDATE companies SET settings = v_new, updated_at = now() WHERE id = co.id;
		PERFORM event_add('settings.updated', 'company', co.id, co.public_id, ch);
	END IF;
	RETURN v_new;
END
$$;

-- ---------------------------------------------------------------------------
-- Groups
-- ---------------------------------------------------------------------------

CREATE FUNCTION group_json(g client_groups) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN json_build_object('id', g.public_id, 'name', g.name,
	    'settings', g.settings,
	    'member_count', (SELECT count(*) FROM clients c WHERE c.company_id = g.company_id
		AND c.group_id = g.id AND c.deleted_at IS NULL),
	    'created_at', rfc3339(g.created_at), 'updated_at', rfc3339(g.updated_at));
END
$$;

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
	n bigint;
	c clients%ROWTYPE;
BEGIN
	g := group_find(p_id, true);
	SELECT count(*) INTO n FROM clients WHERE company_id = app_company_id() AND group_id = g.id;
	IF n > 0 AND NOT p_detach THEN
		RAISE EXCEPTION 'group "%" still has % client%', g.name, n, CASE WHEN n = 1 THEN '' ELSE 's' END
		    USING ERRCODE = 'CD409',
			  DETAIL = 'Deleted and archived clients count too.',
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

-- ---------------------------------------------------------------------------
-- Client settings
-- ---------------------------------------------------------------------------

-- The three objects a client's effective settings come from.
CREATE FUNCTION client_settings_sources(c clients,
    OUT client_settings jsonb, OUT group_settings jsonb,
    OUT company_settings jsonb, OUT version int)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	client_settings := c.settings;
	group_settings := (SELECT g.settings FROM client_groups g WHERE g.id = c.group_id);
	company_settings := (SELECT co.settings FROM companies co WHERE co.id = c.company_id);
	version := c.version;
END
$$;

CREATE FUNCTION client_settings_patch(p_id text, p_patch jsonb, p_version int,
    OUT client_settings jsonb, OUT group_settings jsonb,
    OUT company_settings jsonb, OUT version int)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
	c clients%ROWTYPE;
	v_new jsonb;
	ch jsonb;
BEGIN
	c := client_find(p_id, true);
	PERFORM version_check(c.version, p_version);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted'
		    USING ERRCODE = 'CD409', HINT = 'Restore it first.';
	END IF;
	PERFORM settings_check(p_patch, '');
	v_new := settings_merge(c.settings, p_patch);
	ch := settings_changes(c.settings, v_new);
	IF ch <> '{}' THEN
		UPDATE clients SET settings = v_new, version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO c;
		PERFORM event_add('client.updated', 'client', c.id, c.public_id, ch, c.id);
	END IF;
	SELECT * INTO client_settings, group_settings, company_settings, version
	FROM client_settings_sources(c);
END
$$;

-- ---------------------------------------------------------------------------
-- Generated numbers
-- ---------------------------------------------------------------------------

-- What the daemon needs to expand the number pattern for a new client in
-- group p_group (NULL for none): the pattern and padding that apply (the
-- group's, else the company's, else the defaults), whether the group keeps
-- its own counter, and the local time in the time zone that applies.
CREATE FUNCTION client_number_context(p_group text,
    OUT pattern text, OUT padding int, OUT group_counter boolean,
    OUT has_group boolean, OUT local_time text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	g client_groups%ROWTYPE;
	co companies%ROWTYPE;
BEGIN
	SELECT * INTO co FROM companies WHERE id = app_company_id();
	IF p_group IS NOT NULL THEN
		SELECT * INTO g FROM client_groups
		WHERE id = client_group_find(p_group, 'group');
	END IF;
	pattern := setting_value('client_number_pattern', NULL, g.settings, co.settings) #>> '{}';
	padding := (setting_value('counter_padding', NULL, g.settings, co.settings) #>> '{}')::int;
	group_counter := g.settings ? 'client_number_counter';
	has_group := g.id IS NOT NULL;
	local_time := to_char(now() AT TIME ZONE (setting_value('timezone', NULL,
	    g.settings, co.settings) #>> '{}'), 'YYYY-MM-DD HH24:MI:SS');
END
$$;

-- The number the next client would get, without using it: from counter
-- p_start when given (a preview of an unsaved counter), else the stored one.
CREATE FUNCTION client_number_peek(p_template text, p_padding int,
    p_group text, p_start bigint, OUT number text, OUT counter bigint)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	g client_groups%ROWTYPE;
BEGIN
	IF p_start IS NOT NULL THEN
		counter := p_start;
	ELSIF p_group IS NOT NULL THEN
		g := group_find(p_group, false);
		counter := COALESCE((g.settings ->> 'client_number_counter')::bigint, 1);
	ELSE
		counter := COALESCE((SELECT (settings ->> 'client_number_counter')::bigint
		    FROM companies WHERE id = app_company_id()), 1);
	END IF;
	LOOP
		number := number_format(p_template, counter, p_padding);
		EXIT WHEN NOT EXISTS (SELECT 1 FROM clients c WHERE c.company_id = app_company_id()
		    AND c.number = client_number_peek.number);
		counter := counter + 1;
	END LOOP;
END
$$;
