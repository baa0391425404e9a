-- ---------------------------------------------------------------------------
-- clients: a client's derived fields, its JSON, lookups that raise the
-- API's errors, and the functions every client write goes through.
--
-- A client is a person or a company. Three ids: public_id (opaque), number
-- (generated when not given, numbers.sql; unique per company, also among
-- archived and deleted clients), id_number (free text from another
-- system). Lifecycle: active -> archived (archived_at) -> deleted
-- (deleted_at, restorable) -> purged (row removed).
--
-- Writes go through these SECURITY INVOKER functions (row-level security
-- applies): each one changes the rows and writes exactly one event per
-- client it changes, in the same transaction. They raise CDxxx SQLSTATEs
-- that the daemon maps to HTTP statuses (xxx), with PostgreSQL-style
-- messages and the offending field in COLUMN.
-- ---------------------------------------------------------------------------

-- Derived text: display_name (name, else the primary contact's "first
-- last", else its email) and the search text, from a client's fields and
-- its contacts as a JSON array ({first_name, last_name, email, phone,
-- is_primary}, in their order). The one definition: client_derive()
-- applies it to a stored client (the triggers call it), client_insert()
-- to a new one before it is written.
CREATE FUNCTION client_derived(p_name text, p_number text, p_id_number text,
    p_phone text, p_vat_number text, p_contacts jsonb,
    OUT display_name text, OUT search text)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
	-- (PL/pgSQL, not SQL: its plans are kept; every client write calls it.)
	SELECT COALESCE(NULLIF(p_name, ''),
		(SELECT COALESCE(NULLIF(trim(COALESCE(k ->> 'first_name', '') || ' '
		    || COALESCE(k ->> 'last_name', '')), ''), NULLIF(k ->> 'email', ''))
		 FROM jsonb_array_elements(p_contacts) k
		 WHERE (k ->> 'is_primary')::boolean LIMIT 1), ''),
	    lower(concat_ws(' ', p_name, p_number, p_id_number, p_phone, p_vat_number,
		(SELECT string_agg(concat_ws(' ', COALESCE(k ->> 'first_name', ''),
		    COALESCE(k ->> 'last_name', ''), COALESCE(k ->> 'email', ''),
		    COALESCE(k ->> 'phone', '')), ' ')
		 FROM jsonb_array_elements(p_contacts) k)))
	INTO display_name, search;
END
$$;

CREATE FUNCTION client_derive(p_client_id bigint) RETURNS void
    LANGUAGE sql VOLATILE
    AS $$
	UPDATE clients c SET (display_name, search) = (SELECT d.display_name, d.search
	    FROM client_derived(c.name, c.number, c.id_number, c.phone, c.vat_number,
		(SELECT COALESCE(jsonb_agg(jsonb_build_object('first_name', k.first_name,
		    'last_name', k.last_name, 'email', k.email, 'phone', k.phone,
		    'is_primary', k.is_primary) ORDER BY k.id), '[]')
		 FROM client_contacts k WHERE k.client_id = c.id)) d)
	WHERE c.id = p_client_id
$$;

CREATE FUNCTION clients_derive_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF current_setting('clientd.derive', true) = 'later' THEN
		RETURN NULL; -- the write derives once, at its end
	END IF;
	PERFORM client_derive(NEW.id);
	RETURN NULL;
END
$$;

CREATE TRIGGER clients_derive AFTER INSERT OR UPDATE OF name, number,
    id_number, phone, vat_number ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_derive_trigger();

-- active, archived or deleted; client_stats counts them per company.
CREATE FUNCTION client_status(p_archived timestamptz, p_deleted timestamptz)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN p_deleted IS NOT NULL THEN 'deleted'
	WHEN p_archived IS NOT NULL THEN 'archived' ELSE 'active' END;
END;

CREATE FUNCTION client_stats_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	d_active int := 0;
	d_archived int := 0;
	d_deleted int := 0;
	s text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		s := client_status(OLD.archived_at, OLD.deleted_at);
		d_active := d_active - (s = 'active')::int;
		d_archived := d_archived - (s = 'archived')::int;
		d_deleted := d_deleted - (s = 'deleted')::int;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		s := client_status(NEW.archived_at, NEW.deleted_at);
		d_active := d_active + (s = 'active')::int;
		d_archived := d_archived + (s = 'archived')::int;
		d_deleted := d_deleted + (s = 'deleted')::int;
	END IF;
	IF d_active <> 0 OR d_archived <> 0 OR d_deleted <> 0 THEN
		INSERT INTO client_stats AS t (company_id, active, archived, deleted)
		VALUES (COALESCE(NEW.company_id, OLD.company_id), d_active, d_archived, d_deleted)
		ON CONFLICT (company_id) DO UPDATE SET active = t.active + d_active,
		    archived = t.archived + d_archived, deleted = t.deleted + d_deleted;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER clients_stats AFTER INSERT OR DELETE OR UPDATE OF archived_at,
    deleted_at ON clients
    FOR EACH ROW EXECUTE FUNCTION client_stats_trigger();

-- The effective currency of a client and its precision.
CREATE FUNCTION client_currency(c clients) RETURNS currencies
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	r currencies%ROWTYPE;
BEGIN
	SELECT * INTO r FROM currencies cur WHERE cur.code = setting_value('currency',
	    c.settings, (SELECT g.settings FROM client_groups g WHERE g.id = c.group_id),
	    (SELECT co.settings FROM companies co WHERE co.id = c.company_id)) #>> '{}';
	RETURN r;
END
$$;

-- The client as lists show it: every field and the primary contact. The
-- caller joins the primary contact, the group and the assigned user, so a
-- list is one query with no lookups per row.
CREATE FUNCTION client_row_json(c clients, pc client_contacts, p_group text,
    p_assigned text, p_currency text, p_precision int) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', c.public_id, 'number', c.number,
	    'name', c.name, 'display_name', c.display_name,
	    'website', c.website, 'phone', c.phone, 'vat_number', c.vat_number,
	    'id_number', c.id_number,
	    'address', json_build_object('address1', c.address1,
		'address2', c.address2, 'city', c.city, 'state', c.state,
		'postal_code', c.postal_code, 'country', c.country),
	    'shipping_address', json_build_object('address1', c.shipping_address1,
		'address2', c.shipping_address2, 'city', c.shipping_city,
		'state', c.shipping_state, 'postal_code', c.shipping_postal_code,
		'country', c.shipping_country),
	    'public_notes', c.public_notes, 'private_notes', c.private_notes,
	    'custom_value1', c.custom_value1, 'custom_value2', c.custom_value2,
	    'custom_value3', c.custom_value3, 'custom_value4', c.custom_value4,
	    'group', p_group, 'assigned_user', p_assigned,
	    'currency', p_currency,
	    'balance', money_text(c.balance, p_precision),
	    'paid_to_date', money_text(c.paid_to_date, p_precision),
	    'status', client_status(c.archived_at, c.deleted_at),
	    'created_at', rfc3339(c.created_at), 'updated_at', rfc3339(c.updated_at),
	    'archived_at', rfc3339(c.archived_at), 'deleted_at', rfc3339(c.deleted_at),
	    'version', c.version, 'awaiting_approval', c.awaiting_approval,
	    'primary_contact', CASE WHEN pc.id IS NULL THEN NULL ELSE contact_json(pc) END);
END;

-- One client as lists show it (client_row_json with its joins).
CREATE FUNCTION client_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT client_row_json(c, pc, g.public_id, u.public_id, cur.code,
	    cur.precision)
	FROM (SELECT 1) one
	LEFT JOIN client_contacts pc ON pc.client_id = c.id AND pc.is_primary
	LEFT JOIN client_groups g ON g.id = c.group_id
	LEFT JOIN users u ON u.id = c.assigned_user_id
	CROSS JOIN client_currency(c) cur);
END
$$;

-- The client as GET /clients/{id} shows it: also every contact and the
-- counts of related records (the ledger's: the latest seq, as the entries
-- are numbered without gaps).
CREATE FUNCTION client_full_json(c clients) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT (client_json(c)::jsonb || jsonb_build_object(
	    'contacts', COALESCE((SELECT jsonb_agg(contact_json(k) ORDER BY k.position, k.id)
		FROM client_contacts k WHERE k.client_id = c.id), '[]'),
	    'counts', jsonb_build_object(
		'contacts', (SELECT count(*) FROM client_contacts k WHERE k.client_id = c.id),
		'activity', (SELECT count(*) FROM events e WHERE e.company_id = c.company_id
		    AND e.client_id = c.id),
		'ledger_entries', COALESCE((SELECT max(l.seq) FROM ledger_entries l
		    WHERE l.client_id = c.id), 0),
		'documents', (SELECT count(*) FROM documents d WHERE d.client_id = c.id))))::json);
END
$$;

-- What an event compares: the API's JSON (client_row_json()) without what
-- nobody edits directly (ids, derived and bookkeeping fields), built from
-- the row alone: every write's event takes it twice, so it does not pay
-- for the primary contact, the currency and the times it would drop.
CREATE FUNCTION client_snapshot(c clients) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN jsonb_build_object('number', c.number, 'name', c.name,
	    'website', c.website, 'phone', c.phone, 'vat_number', c.vat_number,
	    'id_number', c.id_number,
	    'address', jsonb_build_object('address1', c.address1,
		'address2', c.address2, 'city', c.city, 'state', c.state,
		'postal_code', c.postal_code, 'country', c.country),
	    'shipping_address', jsonb_build_object('address1', c.shipping_address1,
		'address2', c.shipping_address2, 'city', c.shipping_city,
		'state', c.shipping_state, 'postal_code', c.shipping_postal_code,
		'country', c.shipping_country),
	    'public_notes', c.public_notes, 'private_notes', c.private_notes,
	    'custom_value1', c.custom_value1, 'custom_value2', c.custom_value2,
	    'custom_value3', c.custom_value3, 'custom_value4', c.custom_value4,
	    'group', CASE WHEN c.group_id IS NOT NULL THEN (SELECT g.public_id
		FROM client_groups g WHERE g.id = c.group_id) END,
	    'assigned_user', CASE WHEN c.assigned_user_id IS NOT NULL THEN (SELECT
		u.public_id FROM users u WHERE u.id = c.assigned_user_id) END,
	    'status', client_status(c.archived_at, c.deleted_at));
END
$$;

-- The client with public id p_id in the current tenant, within the
-- caller's scope (members with "own" see clients they created or are
-- assigned to), locked for update when p_lock. Raises 404 otherwise.
CREATE FUNCTION client_find(p_id text, p_lock boolean) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO c FROM clients WHERE public_id = p_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id()
			OR assigned_user_id = app_user_id())
		FOR UPDATE;
	ELSE
		SELECT * INTO c FROM clients WHERE public_id = p_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id()
			OR assigned_user_id = app_user_id());
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'client not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No client has the id "%s".', p_id);
	END IF;
	RETURN c;
END
$$;

-- The ids of the current tenant's clients whose search text matches the
-- LIKE pattern p_like. Row-level security keeps a LIKE (not a leakproof
-- operator) from being an index condition, so the trigram index would go
-- unused under it; this runs as the owner instead, and filters by the
-- tenant itself.
CREATE FUNCTION client_search_ids(p_like text) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    ROWS 50
    BEGIN ATOMIC
	SELECT id FROM clients WHERE company_id = app_company_id()
	    AND search LIKE lower(p_like);
    END;
REVOKE ALL ON FUNCTION client_search_ids(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_search_ids(text) TO clientd_app;

-- The active user of this company named by field p_field (assigned_user).
CREATE FUNCTION company_user_find(p_id text, p_field text) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v bigint;
BEGIN
	IF p_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT id INTO v FROM users WHERE public_id = p_id
	    AND company_id = app_company_id() AND is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'field "%" names no active user of this company: "%"', p_field, p_id
		    USING ERRCODE = 'CD422', COLUMN = p_field;
	END IF;
	RETURN v;
END
$$;

-- Client c with the keys of JSON p applied (only the keys present), the
-- number checked and the group and assigned user looked up; nothing is
-- written. client_apply() writes it; client_insert() inserts it.
CREATE FUNCTION client_with(c clients, p jsonb) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	a jsonb := COALESCE(p -> 'address', '{}');
	s jsonb := COALESCE(p -> 'shipping_address', '{}');
BEGIN
	IF COALESCE(p ->> 'number', '') <> '' THEN
		PERFORM client_number_check(p ->> 'number', c.id);
		c.number := p ->> 'number';
	END IF;
	IF p ? 'name' THEN c.name := COALESCE(p ->> 'name', ''); END IF;
	IF p ? 'website' THEN c.website := COALESCE(p ->> 'website', ''); END IF;
	IF p ? 'phone' THEN c.phone := COALESCE(p ->> 'phone', ''); END IF;
	IF p ? 'vat_number' THEN c.vat_number := COALESCE(p ->> 'vat_number', ''); END IF;
	IF p ? 'id_number' THEN c.id_number := COALESCE(p ->> 'id_number', ''); END IF;
	IF a ? 'address1' THEN c.address1 := COALESCE(a ->> 'address1', ''); END IF;
	IF a ? 'address2' THEN c.address2 := COALESCE(a ->> 'address2', ''); END IF;
	IF a ? 'city' THEN c.city := COALESCE(a ->> 'city', ''); END IF;
	IF a ? 'state' THEN c.state := COALESCE(a ->> 'state', ''); END IF;
	IF a ? 'postal_code' THEN c.postal_code := COALESCE(a ->> 'postal_code', ''); END IF;
	IF a ? 'country' THEN c.country := a ->> 'country'; END IF;
	IF s ? 'address1' THEN c.shipping_address1 := COALESCE(s ->> 'address1', ''); END IF;
	IF s ? 'address2' THEN c.shipping_address2 := COALESCE(s ->> 'address2', ''); END IF;
	IF s ? 'city' THEN c.shipping_city := COALESCE(s ->> 'city', ''); END IF;
	IF s ? 'state' THEN c.shipping_state := COALESCE(s ->> 'state', ''); END IF;
	IF s ? 'postal_code' THEN c.shipping_postal_code := COALESCE(s ->> 'postal_code', ''); END IF;
	IF s ? 'country' THEN c.shipping_country := s ->> 'country'; END IF;
	IF p ? 'public_notes' THEN c.public_notes := COALESCE(p ->> 'public_notes', ''); END IF;
	IF p ? 'private_notes' THEN c.private_notes := COALESCE(p ->> 'private_notes', ''); END IF;
	IF p ? 'custom_value1' THEN c.custom_value1 := COALESCE(p ->> 'custom_value1', ''); END IF;
	IF p ? 'custom_value2' THEN c.custom_value2 := COALESCE(p ->> 'custom_value2', ''); END IF;
	IF p ? 'custom_value3' THEN c.custom_value3 := COALESCE(p ->> 'custom_value3', ''); END IF;
	IF p ? 'custom_value4' THEN c.custom_value4 := COALESCE(p ->> 'custom_value4', ''); END IF;
	IF p ? 'group' THEN c.group_id := client_group_find(p ->> 'group', 'group'); END IF;
	IF p ? 'assigned_user' THEN
		c.assigned_user_id := company_user_find(p ->> 'assigned_user', 'assigned_user');
	END IF;
	RETURN c;
END
$$;

-- Sets the client's own columns from JSON p (only the keys present); a
-- p that changes none of them writes nothing.
CREATE FUNCTION client_apply(c clients, p jsonb) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	r clients%ROWTYPE := client_with(c, p);
BEGIN
	IF r IS NOT DISTINCT FROM c THEN
		RETURN c;
	END IF;
	UPDATE clients SET number = r.number, name = r.name, website = r.website,
	    phone = r.phone, vat_number = r.vat_number, id_number = r.id_number,
	    address1 = r.address1, address2 = r.address2, city = r.city,
	    state = r.state, postal_code = r.postal_code, country = r.country,
	    shipping_address1 = r.shipping_address1,
	    shipping_address2 = r.shipping_address2,
	    shipping_city = r.shipping_city, shipping_state = r.shipping_state,
	    shipping_postal_code = r.shipping_postal_code,
	    shipping_country = r.shipping_country, public_notes = r.public_notes,
	    private_notes = r.private_notes, custom_value1 = r.custom_value1,
	    custom_value2 = r.custom_value2, custom_value3 = r.custom_value3,
	    custom_value4 = r.custom_value4, group_id = r.group_id,
	    assigned_user_id = r.assigned_user_id
	WHERE id = c.id
	RETURNING * INTO r;
	RETURN r;
END
$$;

-- A write that changes a client in several steps (its columns, then its
-- contacts) derives the client's text once, at its end: while
-- clientd.derive is "later", the derive triggers leave it to the write.
-- Returns the setting as it was, for client_derive_end().
CREATE FUNCTION client_derive_later() RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	v text := COALESCE(current_setting('clientd.derive', true), '');
BEGIN
	PERFORM set_config('clientd.derive', 'later', true);
	RETURN v;
END
$$;

CREATE FUNCTION client_derive_end(p_client bigint, p_was text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM set_config('clientd.derive', p_was, true);
	IF p_was <> 'later' THEN
		PERFORM client_derive(p_client);
	END IF;
END
$$;

-- A client needs something to be called by: a name, or a contact with a
-- name or an email address.
CREATE FUNCTION client_require_identity(c clients) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF c.name = '' AND NOT EXISTS (SELECT 1 FROM client_contacts k
	    WHERE k.client_id = c.id AND (k.first_name <> '' OR k.last_name <> ''
		OR k.email <> '')) THEN
		RAISE EXCEPTION 'a client needs a name or a contact with a name or an email address'
		    USING ERRCODE = 'CD422', COLUMN = 'name';
	END IF;
END
$$;

-- The new client of JSON p, with its contacts, checked; no event (a
-- caller writes the one event of its change). Without a number in p, the
-- next one is generated from p_template and p_padding (the daemon or the
-- worker expands the pattern that applies), on the counter of the
-- client's group when p_group_counter and the client has a group, else on
-- the company's. client_create() and imports (imports.sql) create clients
-- through it.
CREATE FUNCTION client_insert(p jsonb, p_template text, p_padding int,
    p_group_counter boolean) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	v_number text := NULLIF(p ->> 'number', '');
	v_was text;
	v_contacts jsonb;
	d record;
BEGIN
	IF v_number IS NULL THEN
		IF p_template IS NULL THEN
			RAISE EXCEPTION 'no number pattern given' USING ERRCODE = 'XX000';
		END IF;
		v_number := client_next_number(p_template, p_padding,
		    CASE WHEN p_group_counter THEN client_group_find(p ->> 'group', 'group') END);
	ELSE
		PERFORM client_number_check(v_number, NULL);
	END IF;
	-- One insert with every column (client_with() leaves the ones p does
	-- not set NULL: their defaults) and its derived text, computed from
	-- p as the contacts will be written; then the contacts.
	c := client_with(c, p - 'number');
	v_contacts := contacts_with_primary(COALESCE(p -> 'contacts', '[]'), false);
	d := client_derived(COALESCE(c.name, ''), v_number, COALESCE(c.id_number, ''),
	    COALESCE(c.phone, ''), COALESCE(c.vat_number, ''), v_contacts);
	v_was := client_derive_later();
	INSERT INTO clients (company_id, number, user_id, name, website, phone,
	    vat_number, id_number, address1, address2, city, state, postal_code,
	    country, shipping_address1, shipping_address2, shipping_city,
	    shipping_state, shipping_postal_code, shipping_country, public_notes,
	    private_notes, custom_value1, custom_value2, custom_value3,
	    custom_value4, group_id, assigned_user_id, display_name, search)
	VALUES (app_company_id(), v_number, app_user_id(), COALESCE(c.name, ''),
	    COALESCE(c.website, ''), COALESCE(c.phone, ''),
	    COALESCE(c.vat_number, ''), COALESCE(c.id_number, ''),
	    COALESCE(c.address1, ''), COALESCE(c.address2, ''),
	    COALESCE(c.city, ''), COALESCE(c.state, ''),
	    COALESCE(c.postal_code, ''), c.country,
	    COALESCE(c.shipping_address1, ''), COALESCE(c.shipping_address2, ''),
	    COALESCE(c.shipping_city, ''), COALESCE(c.shipping_state, ''),
	    COALESCE(c.shipping_postal_code, ''), c.shipping_country,
	    COALESCE(c.public_notes, ''), COALESCE(c.private_notes, ''),
	    COALESCE(c.custom_value1, ''), COALESCE(c.custom_value2, ''),
	    COALESCE(c.custom_value3, ''), COALESCE(c.custom_value4, ''),
	    c.group_id, c.assigned_user_id, d.display_name, d.search)
	RETURNING * INTO c;
	IF p ? 'contacts' THEN
		PERFORM contacts_apply(c.id, v_contacts);
	END IF;
	-- Derived already: only the setting goes back.
	PERFORM set_config('clientd.derive', v_was, true);
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	RETURN c;
END
$$;

-- The client.created event of a new client: every field it has, its
-- contacts, its settings overrides and an opening balance.
CREATE FUNCTION client_created_event(c clients) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
BEGIN
	RETURN event_add('client.created', 'client', c.id, c.public_id,
	    json_changes('{}', jsonb_nonempty(client_snapshot(c)
		|| jsonb_build_object('contacts', contacts_snapshot(c.id))))
	    || settings_changes('{}', c.settings)
	    || CASE WHEN c.balance <> 0 THEN jsonb_build_object('balance',
		jsonb_build_object('before', NULL, 'after', money_text(c.balance,
		    (client_currency(c)).precision))) ELSE '{}' END, c.id);
END
$$;

-- POST /clients: the client of JSON p (client_insert()) and its event.
CREATE FUNCTION client_create(p jsonb, p_template text, p_padding int,
    p_group_counter boolean) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	c := client_insert(p, p_template, p_padding, p_group_counter);
	PERFORM client_created_event(c);
	RETURN client_full_json(c);
END
$$;

-- Applies JSON p to client c (locked by the caller): its own columns, and
-- its contacts when p has them (contacts_apply(): the array is the whole
-- list); checked. No version, no event: the caller's. client_update() and
-- imports change clients through it.
CREATE FUNCTION client_modify(c clients, p jsonb) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_was text := client_derive_later();
BEGIN
	c := client_apply(c, p);
	IF p ? 'contacts' THEN
		PERFORM contacts_apply(c.id, p -> 'contacts');
	END IF;
	PERFORM client_derive_end(c.id, v_was);
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	RETURN c;
END
$$;

-- PATCH /clients/{id}: the keys of p change, contacts included.
CREATE FUNCTION client_update(p_id text, p jsonb, p_version int) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	before jsonb;
	after jsonb;
	ch jsonb;
BEGIN
	c := client_find(p_id, true);
	PERFORM version_check(c.version, p_version);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted'
		    USING ERRCODE = 'CD409', HINT = 'Restore it first (POST /api/v1/clients/{id}/restore).';
	END IF;
	before := client_snapshot(c) || jsonb_build_object('contacts', contacts_snapshot(c.id));
	c := client_modify(c, p);
	after := client_snapshot(c) || jsonb_build_object('contacts', contacts_snapshot(c.id));
	ch := json_changes(before, after);
	IF ch <> '{}' THEN
		UPDATE clients SET version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO c;
		PERFORM event_add('client.updated', 'client', c.id, c.public_id, ch, c.id);
	END IF;
	RETURN client_full_json(c);
END
$$;

-- GET /clients/{id}.
CREATE FUNCTION client_get(p_id text) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT client_full_json(client_find(p_id, false)));
END
$$;

-- archive, restore or delete one client; NULL when nothing changed.
CREATE FUNCTION client_transition(c clients, p_action text) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	r clients%ROWTYPE;
	before jsonb := jsonb_build_object('archived_at', rfc3339(c.archived_at),
	    'deleted_at', rfc3339(c.deleted_at));
	v_type text;
BEGIN
	IF p_action = 'archive' THEN
		IF c.deleted_at IS NOT NULL THEN
			RAISE EXCEPTION 'client is deleted'
			    USING ERRCODE = 'CD409', HINT = 'Restore it first; a restored client can then be archived.';
		END IF;
		IF c.archived_at IS NOT NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET archived_at = now(), version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.archived';
	ELSIF p_action = 'restore' THEN
		IF c.archived_at IS NULL AND c.deleted_at IS NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET archived_at = NULL, deleted_at = NULL,
		    version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.restored';
	ELSIF p_action = 'delete' THEN
		IF c.deleted_at IS NOT NULL THEN
			RETURN NULL;
		END IF;
		UPDATE clients SET deleted_at = now(), version = version + 1, updated_at = now()
		WHERE id = c.id RETURNING * INTO r;
		v_type := 'client.deleted';
	ELSE
		RAISE EXCEPTION 'unknown action "%"', p_action USING ERRCODE = 'CD422', COLUMN = 'action';
	END IF;
	PERFORM event_add(v_type, 'client', r.id, r.public_id,
	    json_changes(before, jsonb_build_object('archived_at', rfc3339(r.archived_at),
		'deleted_at', rfc3339(r.deleted_at))), r.id);
	RETURN r;
END
$$;

-- Puts a client in a group (NULL: no group); NULL when nothing changed.
CREATE FUNCTION client_assign_group(c clients, p_group_id bigint) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	r clients%ROWTYPE;
BEGIN
	IF c.group_id IS NOT DISTINCT FROM p_group_id THEN
		RETURN NULL;
	END IF;
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	UPDATE clients SET group_id = p_group_id, version = version + 1, updated_at = now()
	WHERE id = c.id RETURNING * INTO r;
	PERFORM event_add('client.updated', 'client', r.id, r.public_id,
	    jsonb_build_object('group', jsonb_build_object(
		'before', (SELECT public_id FROM client_groups WHERE id = c.group_id),
		'after', (SELECT public_id FROM client_groups WHERE id = p_group_id))), r.id);
	RETURN r;
END
$$;

-- POST /clients/{id}/archive, /restore and DELETE /clients/{id}.
CREATE FUNCTION client_state(p_id text, p_action text, p_version int)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	r clients%ROWTYPE;
BEGIN
	c := client_find(p_id, true);
	PERFORM version_check(c.version, p_version);
	r := client_transition(c, p_action);
	RETURN client_full_json(COALESCE(r, c));
END
$$;

-- Per-id results of archive, restore, delete or assign_group (to p_group,
-- NULL for none) over up to 100 ids.
CREATE FUNCTION client_bulk(p_action text, p_ids text[], p_group text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id text;
	c clients%ROWTYPE;
	r clients%ROWTYPE;
	out jsonb := '[]';
	v_group bigint;
BEGIN
	IF p_action = 'assign_group' THEN
		v_group := client_group_find(p_group, 'group');
	END IF;
	FOREACH v_id IN ARRAY p_ids LOOP
		SELECT * INTO c FROM clients WHERE public_id = v_id
		    AND company_id = app_company_id()
		    AND (app_scope_all() OR user_id = app_user_id() OR assigned_user_id = app_user_id())
		FOR UPDATE;
		IF NOT FOUND THEN
			out := out || jsonb_build_object('id', v_id, 'result', 'error',
			    'error', jsonb_build_object('status', 404, 'code', 'not_found',
				'message', 'client not found'));
			CONTINUE;
		END IF;
		BEGIN
			IF p_action = 'assign_group' THEN
				r := client_assign_group(c, v_group);
			ELSE
				r := client_transition(c, p_action);
			END IF;
			IF r.id IS NOT NULL THEN
				c := r;
			END IF;
			out := out || jsonb_build_object('id', v_id,
			    'result', CASE WHEN r.id IS NULL THEN 'unchanged' ELSE 'changed' END,
			    'status', client_status(c.archived_at, c.deleted_at));
		EXCEPTION WHEN SQLSTATE 'CD409' THEN
			out := out || jsonb_build_object('id', v_id, 'result', 'error',
			    'error', jsonb_build_object('status', 409, 'code', 'conflict',
				'message', SQLERRM));
		END;
	END LOOP;
	RETURN json_build_object('action', p_action, 'results', out);
END
$$;

-- Hard delete. The events stay: the history of what happened is kept.
CREATE FUNCTION client_purge(p_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	c := client_find(p_id, true);
	PERFORM event_add('client.purged', 'client', c.id, c.public_id,
	    json_changes(client_snapshot(c), '{}'), c.id);
	DELETE FROM clients WHERE id = c.id;
END
$$;

-- Moves the source's contacts to the target (those whose email the target
-- already has are dropped) and deletes the source (restorable, empty).
-- Its balance moves through the ledger: a merge entry on the source takes
-- it to zero, one on the target adds it. One event each.
CREATE FUNCTION client_merge(p_target text, p_source text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	t clients%ROWTYPE;
	s clients%ROWTYPE;
	moved jsonb;
	dropped jsonb;
	before jsonb;
	v_when timestamptz;
	cur currencies%ROWTYPE;
	t_settings jsonb;
	v_moved boolean := false;
BEGIN
	IF p_target = p_source THEN
		RAISE EXCEPTION 'a client cannot be merged into itself'
		    USING ERRCODE = 'CD422', COLUMN = 'source';
	END IF;
	-- Lock in id order, so that two opposite merges cannot deadlock.
	PERFORM 1 FROM clients WHERE public_id IN (p_target, p_source)
	    AND company_id = app_company_id() ORDER BY id FOR UPDATE;
	t := client_find(p_target, true);
	BEGIN
		s := client_find(p_source, true);
	EXCEPTION WHEN SQLSTATE 'CD404' THEN
		RAISE EXCEPTION 'source client not found'
		    USING ERRCODE = 'CD422', COLUMN = 'source',
			  DETAIL = format('No client has the id "%s".', p_source);
	END;
	IF t.deleted_at IS NOT NULL OR s.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'deleted clients cannot be merged'
		    USING ERRCODE = 'CD409', HINT = 'Restore the client first.';
	END IF;
	IF (s.balance <> 0 OR s.paid_to_date <> 0)
	    AND (client_currency(s)).code IS DISTINCT FROM (client_currency(t)).code THEN
		RAISE EXCEPTION 'clients with different currencies cannot be merged'
		    USING ERRCODE = 'CD409',
			  DETAIL = format('Client "%s" has a balance in %s; client "%s" is in %s.',
			      s.public_id, (client_currency(s)).code, t.public_id,
			      (client_currency(t)).code),
			  HINT = 'Give both clients the same currency first.';
	END IF;
	-- Money in the event as the API shows it: in the target's currency,
	-- with its decimals (the source's is the same when it has a balance).
	cur := client_currency(t);
	t_settings := t.settings;
	before := client_snapshot(t) || jsonb_build_object('contacts', contacts_snapshot(t.id),
	    'balance', money_text(t.balance, cur.precision),
	    'paid_to_date', money_text(t.paid_to_date, cur.precision));

	SELECT COALESCE(jsonb_agg(contact_snapshot(k)), '[]') INTO dropped
	FROM client_contacts k WHERE k.client_id = s.id AND k.email <> ''
	    AND EXISTS (SELECT 1 FROM client_contacts x WHERE x.client_id = t.id
		AND lower(x.email) = lower(k.email));
	DELETE FROM client_contacts k WHERE k.client_id = s.id AND k.email <> ''
	    AND EXISTS (SELECT 1 FROM client_contacts x WHERE x.client_id = t.id
		AND lower(x.email) = lower(k.email));
	SELECT COALESCE(jsonb_agg(k.public_id), '[]') INTO moved
	FROM client_contacts k WHERE k.client_id = s.id;
	UPDATE client_contacts SET client_id = t.id, is_primary = false,
	    position = position + 1000, version = version + 1, updated_at = now()
	WHERE client_id = s.id;
	PERFORM contacts_enforce(t.id);

	IF s.balance <> 0 OR s.paid_to_date <> 0 THEN
		v_moved := true;
		v_when := greatest(clock_timestamp(), (SELECT max(occurred_at)
		    FROM ledger_entries WHERE client_id IN (s.id, t.id)));
		PERFORM ledger_append(s, 'merge', -s.balance, -s.paid_to_date,
		    'Merged into ' || t.number, format('Balance moved to %s (number %s).',
			COALESCE(NULLIF(t.display_name, ''), 'client ' || t.number), t.number),
		    v_when, NULL);
		PERFORM ledger_append(t, 'merge', s.balance, s.paid_to_date,
		    'Merged from ' || s.number, format('Balance moved from %s (number %s).',
			COALESCE(NULLIF(s.display_name, ''), 'client ' || s.number), s.number),
		    v_when, NULL);
	END IF;
	UPDATE clients SET version = version + 1, updated_at = now()
	WHERE id = t.id RETURNING * INTO t;
	UPDATE clients SET deleted_at = now(), merged_into_id = t.id,
	    version = version + 1, updated_at = now()
	WHERE id = s.id RETURNING * INTO s;

	PERFORM event_add('client.merged', 'client', t.id, t.public_id,
	    json_changes(before, client_snapshot(t) || jsonb_build_object(
		'contacts', contacts_snapshot(t.id),
		'balance', money_text(t.balance, cur.precision),
		'paid_to_date', money_text(t.paid_to_date, cur.precision)))
	    || CASE WHEN v_moved THEN jsonb_build_object('currency', jsonb_build_object('before', NULL,
		    'after', cur.code)) ELSE '{}' END
	    -- a first ledger entry pinned the target's currency (ledger.sql)
	    || settings_changes(t_settings, t.settings)
	    || jsonb_build_object('merged_from', jsonb_build_object('before', NULL,
		'after', jsonb_build_object('id', s.public_id, 'number', s.number,
		    'display_name', s.display_name, 'contacts_moved', moved,
		    'contacts_dropped', dropped))), t.id);
	PERFORM event_add('client.deleted', 'client', s.id, s.public_id,
	    jsonb_build_object('deleted_at', jsonb_build_object('before', NULL,
		'after', rfc3339(s.deleted_at)), 'merged_into', jsonb_build_object(
		'before', NULL, 'after', t.public_id)), s.id);
	RETURN client_full_json(t);
END
$$;

-- The client's internal id, for list queries that take a public id.
CREATE FUNCTION client_internal_id(p_id text) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT (client_find(p_id, false)).id;
END;
