-- ---------------------------------------------------------------------------
-- contacts: the contacts of a client. Applied as an array with the client
-- (the client payload's way, contacts_apply) or one at a time (the
-- sub-resource's way, contact_*); either way a client with contacts has
-- exactly one primary, an email address at most once, and at least one
-- contact with an email address who receives email.
-- ---------------------------------------------------------------------------

-- A contact change re-derives its client's display_name and search text
-- (client_derive(), clients.sql): both read the contacts.
CREATE FUNCTION contacts_derive_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	-- (A write of several steps derives once at its end: clients.sql,
	-- client_derive_later().)
	IF current_setting('clientd.derive', true) = 'later' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM client_derive(OLD.client_id);
	END IF;
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.client_id <> OLD.client_id) THEN
		PERFORM client_derive(NEW.client_id);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER contacts_derive AFTER INSERT OR DELETE OR UPDATE OF first_name,
    last_name, email, phone, is_primary, client_id ON client_contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_derive_trigger();

-- A contact as the API shows it, alone and inside its client.
CREATE FUNCTION contact_json(k client_contacts) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', k.public_id, 'first_name', k.first_name,
	    'last_name', k.last_name, 'email', k.email, 'phone', k.phone,
	    'is_primary', k.is_primary, 'send_email', k.send_email,
	    'custom_value1', k.custom_value1, 'custom_value2', k.custom_value2,
	    'custom_value3', k.custom_value3, 'custom_value4', k.custom_value4,
	    'created_at', rfc3339(k.created_at), 'updated_at', rfc3339(k.updated_at),
	    'version', k.version, 'portal', portal_status_json(k));
END;

-- What an event compares: the JSON (contact_json()) without the
-- bookkeeping fields, built from the row alone.
CREATE FUNCTION contact_snapshot(k client_contacts) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN jsonb_build_object('id', k.public_id, 'first_name', k.first_name,
	    'last_name', k.last_name, 'email', k.email, 'phone', k.phone,
	    'is_primary', k.is_primary, 'send_email', k.send_email,
	    'custom_value1', k.custom_value1, 'custom_value2', k.custom_value2,
	    'custom_value3', k.custom_value3, 'custom_value4', k.custom_value4);
END
$$;

CREATE FUNCTION contacts_snapshot(p_client_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT COALESCE(jsonb_agg(contact_snapshot(k) ORDER BY k.position, k.id), '[]')
	FROM client_contacts k WHERE k.client_id = p_client_id);
END
$$;

-- Exactly one primary while any contact exists (the first by position when
-- none is), and at least one contact with an email receives email.
CREATE FUNCTION contacts_enforce(p_client_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id AND is_primary) THEN
		UPDATE client_contacts SET is_primary = true
		WHERE id = (SELECT id FROM client_contacts WHERE client_id = p_client_id
		    ORDER BY position, id LIMIT 1);
	END IF;
	IF EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id AND email <> '')
	    AND NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id
		AND email <> '' AND send_email) THEN
		RAISE EXCEPTION 'at least one contact with an email address must receive email'
		    USING ERRCODE = 'CD422', COLUMN = 'contacts',
			  HINT = 'Set send_email to true on one of the contacts.';
	END IF;
END
$$;

-- Writes one contact from JSON p (validated by the daemon) into the client:
-- a new one when p_contact is NULL, else updates it (only keys present in
-- p change). Clears another primary first when this one becomes primary.
CREATE FUNCTION contact_write(p_client_id bigint, p_contact client_contacts,
    p jsonb, p_position int) RETURNS client_contacts
    LANGUAGE plpgsql
    AS $$
DECLARE
	k client_contacts%ROWTYPE;
	dup text;
BEGIN
	IF (p ->> 'is_primary')::boolean THEN
		UPDATE client_contacts SET is_primary = false, version = version + 1,
		    updated_at = now()
		WHERE client_id = p_client_id AND is_primary
		    AND id IS DISTINCT FROM (p_contact).id;
	END IF;
	IF p ? 'email' AND COALESCE(p ->> 'email', '') <> '' THEN
		SELECT public_id INTO dup FROM client_contacts WHERE client_id = p_client_id
		    AND lower(email) = lower(p ->> 'email') AND id IS DISTINCT FROM (p_contact).id;
		IF FOUND THEN
			RAISE EXCEPTION 'email "%" is already used by another contact of this client', p ->> 'email'
			    USING ERRCODE = 'CD409', COLUMN = 'email',
				  DETAIL = format('Contact "%s" has it.', dup);
		END IF;
	END IF;

	IF p_contact.id IS NULL THEN
		INSERT INTO client_contacts (company_id, client_id, first_name, last_name,
		    email, phone, is_primary, send_email, custom_value1, custom_value2,
		    custom_value3, custom_value4, position)
		VALUES (app_company_id(), p_client_id,
		    COALESCE(p ->> 'first_name', ''), COALESCE(p ->> 'last_name', ''),
		    COALESCE(p ->> 'email', ''), COALESCE(p ->> 'phone', ''),
		    COALESCE((p ->> 'is_primary')::boolean, false),
		    COALESCE((p ->> 'send_email')::boolean, true),
		    COALESCE(p ->> 'custom_value1', ''), COALESCE(p ->> 'custom_value2', ''),
		    COALESCE(p ->> 'custom_value3', ''), COALESCE(p ->> 'custom_value4', ''),
		    COALESCE(p_position, (SELECT COALESCE(max(position) + 1, 0)
			FROM client_contacts WHERE client_id = p_client_id)))
		RETURNING * INTO k;
	ELSE
		UPDATE client_contacts SET
		    first_name = CASE WHEN p ? 'first_name' THEN COALESCE(p ->> 'first_name', '') ELSE first_name END,
		    last_name = CASE WHEN p ? 'last_name' THEN COALESCE(p ->> 'last_name', '') ELSE last_name END,
		    email = CASE WHEN p ? 'email' THEN COALESCE(p ->> 'email', '') ELSE email END,
		    phone = CASE WHEN p ? 'phone' THEN COALESCE(p ->> 'phone', '') ELSE phone END,
		    is_primary = CASE WHEN p ? 'is_primary' THEN (p ->> 'is_primary')::boolean ELSE is_primary END,
		    send_email = CASE WHEN p ? 'send_email' THEN (p ->> 'send_email')::boolean ELSE send_email END,
		    custom_value1 = CASE WHEN p ? 'custom_value1' THEN COALESCE(p ->> 'custom_value1', '') ELSE custom_value1 END,
		    custom_value2 = CASE WHEN p ? 'custom_value2' THEN COALESCE(p ->> 'custom_value2', '') ELSE custom_value2 END,
		    custom_value3 = CASE WHEN p ? 'custom_value3' THEN COALESCE(p ->> 'custom_value3', '') ELSE custom_value3 END,
		    custom_value4 = CASE WHEN p ? 'custom_value4' THEN COALESCE(p ->> 'custom_value4', '') ELSE custom_value4 END,
		    position = COALESCE(p_position, position)
		WHERE id = p_contact.id
		RETURNING * INTO k;
		IF contact_snapshot(k) IS DISTINCT FROM contact_snapshot(p_contact) THEN
			UPDATE client_contacts SET version = version + 1, updated_at = now()
			WHERE id = k.id RETURNING * INTO k;
		END IF;
	END IF;
	RETURN k;
END
$$;

-- A contacts array (contacts_apply()'s p) with its first element marked
-- primary when none is and the client has none (p_has_primary false): the
-- rule contacts_enforce() keeps (the first by position), applied as the
-- contacts are written.
CREATE FUNCTION contacts_with_primary(p jsonb, p_has_primary boolean) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
	IF jsonb_array_length(p) = 0 OR p_has_primary OR EXISTS (SELECT 1
	    FROM jsonb_array_elements(p) x WHERE (x.value ->> 'is_primary')::boolean) THEN
		RETURN p;
	END IF;
	RETURN jsonb_set(p, '{0,is_primary}', 'true');
END
$$;

-- Makes the client's contacts what the array p says: elements with an "id"
-- update that contact, elements without one are new, contacts left out are
-- removed. Order is the array's order.
CREATE FUNCTION contacts_apply(p_client_id bigint, p jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	e jsonb;
	i int := 0;
	k client_contacts%ROWTYPE;
	keep bigint[] := '{}';
BEGIN
	-- Ids must belong to this client.
	FOR e IN SELECT value FROM jsonb_array_elements(p) LOOP
		IF e ? 'id' AND NOT EXISTS (SELECT 1 FROM client_contacts
		    WHERE client_id = p_client_id AND public_id = e ->> 'id') THEN
			RAISE EXCEPTION 'contact "%" is not a contact of this client', e ->> 'id'
			    USING ERRCODE = 'CD422', COLUMN = format('contacts[%s].id', i);
		END IF;
		i := i + 1;
	END LOOP;
	-- Removed contacts go first, then primaries are cleared, so that the
	-- unique indexes never see a transient duplicate. (A client without
	-- contacts yet, a new one, has nothing to clear.)
	IF EXISTS (SELECT 1 FROM client_contacts WHERE client_id = p_client_id) THEN
		DELETE FROM client_contacts WHERE client_id = p_client_id
		    AND public_id NOT IN (SELECT value ->> 'id' FROM jsonb_array_elements(p)
			WHERE value ? 'id');
		UPDATE client_contacts SET is_primary = false WHERE client_id = p_client_id
		    AND is_primary AND EXISTS (SELECT 1 FROM jsonb_array_elements(p)
			WHERE (value ->> 'is_primary')::boolean);
		UPDATE client_contacts SET email = '' WHERE client_id = p_client_id
		    AND email <> '' AND EXISTS (SELECT 1 FROM jsonb_array_elements(p) x
			WHERE x.value ->> 'id' = client_contacts.public_id AND x.value ? 'email');
	END IF;

	p := contacts_with_primary(p, EXISTS (SELECT 1 FROM client_contacts
	    WHERE client_id = p_client_id AND is_primary));
	i := 0;
	FOR e IN SELECT value FROM jsonb_array_elements(p) LOOP
		k := NULL;
		IF e ? 'id' THEN
			SELECT * INTO k FROM client_contacts WHERE client_id = p_client_id
			    AND public_id = e ->> 'id';
		END IF;
		k := contact_write(p_client_id, k, e - 'id', i);
		i := i + 1;
	END LOOP;
	PERFORM contacts_enforce(p_client_id);
END
$$;

CREATE FUNCTION contact_find(c clients, p_id text) RETURNS client_contacts
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	k client_contacts%ROWTYPE;
BEGIN
	SELECT * INTO k FROM client_contacts WHERE public_id = p_id AND client_id = c.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'contact not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('Client "%s" has no contact with the id "%s".', c.public_id, p_id);
	END IF;
	RETURN k;
END
$$;

-- After a contact change: bump the client's version (its representation
-- includes the contacts) and write the one event.
CREATE FUNCTION contact_changed(c clients, p_type text, k_id bigint, k_public text,
    p_before jsonb, p_after jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE clients SET version = version + 1, updated_at = now() WHERE id = c.id;
	PERFORM event_add(p_type, 'contact', k_id, k_public,
	    json_changes(p_before, p_after), c.id);
END
$$;

CREATE FUNCTION contact_create(p_client text, p jsonb) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	k := contact_write(c.id, NULL, p, NULL);
	PERFORM contacts_enforce(c.id);
	SELECT * INTO k FROM client_contacts WHERE id = k.id;
	PERFORM contact_changed(c, 'contact.created', k.id, k.public_id, '{}',
	    jsonb_nonempty(contact_snapshot(k)));
	RETURN contact_json(k);
END
$$;

CREATE FUNCTION contact_update(p_client text, p_id text, p jsonb, p_version int)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
	old client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	old := contact_find(c, p_id);
	PERFORM version_check(old.version, p_version);
	IF (p ->> 'is_primary')::boolean IS FALSE AND old.is_primary THEN
		RAISE EXCEPTION 'a client always has a primary contact'
		    USING ERRCODE = 'CD422', COLUMN = 'is_primary',
			  HINT = 'Make another contact primary instead; this one then stops being primary.';
	END IF;
	k := contact_write(c.id, old, p, NULL);
	PERFORM contacts_enforce(c.id);
	SELECT * INTO k FROM client_contacts WHERE id = k.id;
	IF contact_snapshot(k) IS DISTINCT FROM contact_snapshot(old) THEN
		PERFORM contact_changed(c, 'contact.updated', k.id, k.public_id,
		    contact_snapshot(old), contact_snapshot(k));
	END IF;
	RETURN contact_json(k);
END
$$;

CREATE FUNCTION contact_delete(p_client text, p_id text, p_version int) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	k client_contacts%ROWTYPE;
BEGIN
	c := client_find(p_client, true);
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	k := contact_find(c, p_id);
	PERFORM version_check(k.version, p_version);
	DELETE FROM client_contacts WHERE id = k.id;
	PERFORM contacts_enforce(c.id);
	SELECT * INTO c FROM clients WHERE id = c.id;
	PERFORM client_require_identity(c);
	PERFORM contact_changed(c, 'contact.deleted', k.id, k.public_id,
	    contact_snapshot(k), '{}');
END
$$;

-- (PL/pgSQL, not BEGIN ATOMIC as before issue 9: an SQL-standard body
-- needs client_find() to exist when it is created, and clients.sql, which
-- defines it, comes after this file because client_row_json() needs
-- contact_json().)
CREATE FUNCTION contact_get(p_client text, p_id text) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN contact_json(contact_find(client_find(p_client, false), p_id));
END
$$;
