-- ---------------------------------------------------------------------------
-- settings: settings at company, group and client level.
--
-- The registry of keys (types, levels, defaults) is in the code
-- (api/src/core/settings.c): the daemon validates every patch against it
-- before it reaches these functions, and `clientd migrate` writes its
-- defaults to setting_defaults (api/src/pq/registry.c), which SQL reads.
-- Stored settings objects are sparse: a key is present only where it is
-- set, and never holds null. A setting resolves client -> group ->
-- company -> default.
-- ---------------------------------------------------------------------------

-- A setting's value for a client: the client's, else its group's, else
-- the company's, else the default (stored objects never hold nulls: a
-- PATCH with null removes the key). The same rule as settings_resolve().
CREATE FUNCTION setting_pick(p_key text, p_client jsonb, p_group jsonb,
    p_company jsonb, p_default jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN COALESCE(p_client -> p_key, p_group -> p_key, p_company -> p_key,
	p_default);

-- The same with the registry's default looked up (setting_pick() without
-- the lookup is the one to use per row of a list: it is inlined).
CREATE FUNCTION setting_value(p_key text, p_client jsonb, p_group jsonb,
    p_company jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN setting_pick(p_key, p_client, p_group, p_company,
	(SELECT d.value FROM setting_defaults d WHERE d.key = p_key));

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
	-- Pseudo-zones of the database (the server's own, the POSIX template,
	-- Factory, the posix/ and right/ copies) are not zones to keep time in.
	IF jsonb_typeof(p_patch -> 'timezone') = 'string' AND NOT EXISTS (
	    SELECT 1 FROM pg_timezone_names WHERE name = p_patch ->> 'timezone'
		AND name NOT IN ('localtime', 'posixrules', 'Factory')
		AND name !~ '^(posix|right)/') THEN
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

-- PATCH /settings: the company's settings.
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

-- The three objects a client's effective settings come from, and whether
-- the client has ledger entries (its currency is then fixed: ledger.sql).
CREATE FUNCTION client_settings_sources(c clients,
    OUT client_settings jsonb, OUT group_settings jsonb,
    OUT company_settings jsonb, OUT version int, OUT has_ledger boolean)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	client_settings := c.settings;
	group_settings := (SELECT g.settings FROM client_groups g WHERE g.id = c.group_id);
	company_settings := (SELECT co.settings FROM companies co WHERE co.id = c.company_id);
	version := c.version;
	has_ledger := EXISTS (SELECT 1 FROM ledger_entries e WHERE e.client_id = c.id);
END
$$;

-- PATCH /clients/{id}/settings: the client's overrides.
CREATE FUNCTION client_settings_patch(p_id text, p_patch jsonb, p_version int,
    OUT client_settings jsonb, OUT group_settings jsonb,
    OUT company_settings jsonb, OUT version int, OUT has_ledger boolean)
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
	SELECT * INTO client_settings, group_settings, company_settings, version, has_ledger
	FROM client_settings_sources(c);
END
$$;

-- The company's time zone setting, else the default (UTC).
CREATE FUNCTION company_timezone() RETURNS text
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE((SELECT setting_value('timezone', NULL, NULL,
	    co.settings) #>> '{}'
	    FROM companies co WHERE co.id = app_company_id()), 'UTC');
END;

-- The client's effective time zone: its own, else its group's, else the
-- company's, else the default (UTC).
CREATE FUNCTION client_timezone(p_client text) RETURNS text
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT COALESCE((SELECT setting_value('timezone', c.settings, g.settings,
	    co.settings) #>> '{}'
	    FROM clients c
	    JOIN companies co ON co.id = c.company_id
	    LEFT JOIN client_groups g ON g.id = c.group_id
	    WHERE c.id = client_internal_id(p_client)), 'UTC');
END;
