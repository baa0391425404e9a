-- ---------------------------------------------------------------------------
-- documents: files kept for a client or a group (issue 14; the tables are
-- 0012_documents.sql). The daemon (http/api_documents.c) reads an upload
-- twice from Kore's body file: the first pass hashes each file, the second
-- writes the chunks of the blobs this company does not have yet, and all
-- of it, with the documents and their events, is one transaction.
-- ---------------------------------------------------------------------------

-- A blob's reference count follows its documents: a document added counts
-- one more, one removed (deleted, or with its client or group) one less,
-- and the blob whose count reaches zero goes with its chunks in the same
-- transaction.
CREATE FUNCTION document_blob_refs_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_refs int;
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE document_blobs SET refs = refs + 1 WHERE id = NEW.blob_id;
		RETURN NULL;
	END IF;
	UPDATE document_blobs SET refs = refs - 1 WHERE id = OLD.blob_id
	RETURNING refs INTO v_refs;
	IF v_refs = 0 THEN
		DELETE FROM document_blobs WHERE id = OLD.blob_id;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER documents_blob_refs AFTER INSERT OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION document_blob_refs_trigger();

-- The company's per-file limit in bytes (setting document_max_size).
CREATE FUNCTION document_limit() RETURNS bigint
    LANGUAGE sql STABLE
    RETURN (SELECT (setting_value('document_max_size', NULL, NULL, co.settings) #>> '{}')::bigint
	FROM companies co WHERE co.id = app_company_id());

-- A size as people read it ("25 MiB", "1.5 MiB", "300 bytes").
CREATE FUNCTION document_size_text(p bigint) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN p >= 1048576 THEN trim(trailing '.' FROM trim(trailing '0'
	FROM to_char(p / 1048576.0, 'FM999999990.0'))) || ' MiB'
	WHEN p >= 1024 THEN trim(trailing '.' FROM trim(trailing '0'
	FROM to_char(p / 1024.0, 'FM999999990.0'))) || ' KiB'
	ELSE p || ' bytes' END;

-- Refuses a file larger than the company allows: 413, naming the limit.
CREATE FUNCTION document_size_check(p_name text, p_size bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_limit bigint := document_limit();
BEGIN
	IF p_size > v_limit THEN
		RAISE EXCEPTION 'file is too large'
		    USING ERRCODE = 'CD413', COLUMN = 'file',
			  DETAIL = format('"%s" has %s bytes; files may have at most %s (%s bytes).',
			      p_name, p_size, document_size_text(v_limit), v_limit),
			  HINT = 'An administrator can raise the limit (setting document_max_size) up to 100 MiB.';
	END IF;
END
$$;

-- The documents' owner: the client (in the caller's scope) or the group
-- with public id p_id; p_kind is 'client' or 'group'. Raises 404.
CREATE FUNCTION document_owner(p_kind text, p_id text, OUT client_id bigint,
    OUT group_id bigint)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_kind = 'client' THEN
		client_id := (client_find(p_id, false)).id;
	ELSIF p_kind = 'group' THEN
		group_id := (group_find(p_id, false)).id;
	ELSE
		RAISE EXCEPTION 'unknown owner kind "%"', p_kind;
	END IF;
END
$$;

-- The blobs for an upload's files (p_files: [{name, size, sha256 (hex)}]),
-- in order: the company's own when it has the bytes already (created
-- false: nothing to store), else a new one whose chunks of p_chunk bytes
-- the caller writes next (created true). An existing blob is locked, so a
-- delete of its last document waits for this transaction.
CREATE FUNCTION document_blobs_claim(p_files jsonb, p_chunk int)
    RETURNS TABLE (ord int, blob_id bigint, created boolean)
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	f jsonb;
BEGIN
	ord := 0;
	FOR f IN SELECT * FROM jsonb_array_elements(p_files) LOOP
		ord := ord + 1;
		PERFORM document_size_check(f ->> 'name', (f ->> 'size')::bigint);
		INSERT INTO document_blobs AS b (company_id, sha256, size, chunk_size, refs)
		VALUES (app_company_id(), decode(f ->> 'sha256', 'hex'), (f ->> 'size')::bigint,
		    p_chunk, 0)
		ON CONFLICT (company_id, sha256) DO UPDATE SET refs = b.refs
		RETURNING b.id, b.xmax = 0 INTO blob_id, created;
		RETURN NEXT;
	END LOOP;
END
$$;

-- Before an upload's bytes are stored: the owner (p_kind 'client' or
-- 'group', public id p_id) exists (404), each file fits the limit (413);
-- then the blobs (document_blobs_claim()).
CREATE FUNCTION document_upload_begin(p_kind text, p_id text, p_files jsonb, p_chunk int)
    RETURNS TABLE (ord int, blob_id bigint, created boolean)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
	PERFORM document_owner(p_kind, p_id);
	RETURN QUERY SELECT * FROM document_blobs_claim(p_files, p_chunk);
END
$$;

-- A document as the API shows it.
CREATE FUNCTION document_json(d documents) RETURNS json
    LANGUAGE sql STABLE
    RETURN json_build_object('id', d.public_id, 'name', d.name,
	'content_type', d.content_type, 'declared_type', d.declared_type,
	'sniffed_type', d.sniffed_type, 'size', d.size,
	'sha256', (SELECT encode(b.sha256, 'hex') FROM document_blobs b WHERE b.id = d.blob_id),
	'client', (SELECT c.public_id FROM clients c WHERE c.id = d.client_id),
	'group', (SELECT g.public_id FROM client_groups g WHERE g.id = d.group_id),
	'visible', d.visible,
	'uploaded_by', json_build_object('type', d.uploader_type, 'id', d.uploader_id,
	    'name', d.uploader_name),
	'version', d.version, 'created_at', rfc3339(d.created_at),
	'updated_at', rfc3339(d.updated_at));

-- What an event compares.
CREATE FUNCTION document_snapshot(d documents) RETURNS jsonb
    LANGUAGE sql STABLE
    RETURN jsonb_build_object('name', d.name, 'visible', d.visible,
	'content_type', d.content_type, 'size', d.size);

-- The documents of one upload (p_files: [{blob_id, name, declared_type,
-- sniffed_type, content_type, size, visible}]) for the owner; each blob
-- created by this upload must hold all its bytes. Uploaded by the signed-in
-- user, or the contact in the portal. One document.created event each.
CREATE FUNCTION documents_create(p_kind text, p_id text, p_files jsonb) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	o record;
	f jsonb;
	d documents%ROWTYPE;
	b document_blobs%ROWTYPE;
	out jsonb := '[]';
	v_type text := COALESCE(NULLIF(current_setting('app.actor_type', true), ''), 'user');
	v_uid text;
	v_uname text;
BEGIN
	o := document_owner(p_kind, p_id);
	IF v_type = 'contact' THEN
		v_uid := current_setting('app.actor_id');
		v_uname := current_setting('app.actor_name');
	ELSE
		v_type := 'user';
		SELECT u.public_id, COALESCE(NULLIF(u.name, ''), u.email) INTO v_uid, v_uname
		FROM users u WHERE u.id = app_user_id();
	END IF;
	FOR f IN SELECT * FROM jsonb_array_elements(p_files) LOOP
		SELECT * INTO STRICT b FROM document_blobs
		WHERE id = (f ->> 'blob_id')::bigint AND company_id = app_company_id();
		IF b.size <> (f ->> 'size')::bigint OR b.size <> COALESCE((SELECT sum(length(k.data))
		    FROM document_chunks k WHERE k.blob_id = b.id), 0) THEN
			RAISE EXCEPTION 'document bytes are incomplete'
			    USING DETAIL = format('Blob %s has not %s bytes.', b.id, b.size);
		END IF;
		PERFORM document_size_check(f ->> 'name', b.size);
		INSERT INTO documents (company_id, blob_id, client_id, group_id, name,
		    declared_type, sniffed_type, content_type, size, visible,
		    uploader_type, uploader_id, uploader_name)
		VALUES (app_company_id(), b.id, o.client_id, o.group_id, f ->> 'name',
		    f ->> 'declared_type', f ->> 'sniffed_type', f ->> 'content_type', b.size,
		    COALESCE((f ->> 'visible')::boolean, false), v_type, v_uid, COALESCE(v_uname, ''))
		RETURNING * INTO d;
		PERFORM event_add('document.created', 'document', d.id, d.public_id,
		    json_changes('{}', document_snapshot(d)), d.client_id);
		out := out || jsonb_build_array(document_json(d));
	END LOOP;
	RETURN out::json;
END
$$;

-- The document with public id p_id in the current tenant: a client's
-- within the caller's scope, or a group's. Locked when p_lock. 404
-- otherwise.
CREATE FUNCTION document_find(p_id text, p_lock boolean) RETURNS documents
    LANGUAGE plpgsql
    AS $$
DECLARE
	d documents%ROWTYPE;
BEGIN
	IF p_lock THEN
		SELECT * INTO d FROM documents WHERE public_id = p_id
		    AND company_id = app_company_id() FOR UPDATE;
	ELSE
		SELECT * INTO d FROM documents WHERE public_id = p_id
		    AND company_id = app_company_id();
	END IF;
	IF d.id IS NOT NULL AND d.client_id IS NOT NULL AND NOT app_scope_all()
	    AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = d.client_id
		AND (c.user_id = app_user_id() OR c.assigned_user_id = app_user_id())) THEN
		d.id := NULL;
	END IF;
	IF d.id IS NULL THEN
		RAISE EXCEPTION 'document not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No document has the id "%s".', p_id);
	END IF;
	RETURN d;
END
$$;

CREATE FUNCTION document_get(p_id text) RETURNS json
    LANGUAGE sql STABLE
    RETURN document_json(document_find(p_id, false));

-- Renames a document or shows it to the client's contacts (p: name,
-- visible; checked by the daemon). One document.updated event.
CREATE FUNCTION document_update(p_id text, p jsonb, p_version int) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	d documents%ROWTYPE;
	n documents%ROWTYPE;
BEGIN
	d := document_find(p_id, true);
	PERFORM version_check(d.version, p_version);
	UPDATE documents SET name = COALESCE(p ->> 'name', name),
	    visible = COALESCE((p ->> 'visible')::boolean, visible)
	WHERE id = d.id RETURNING * INTO n;
	IF n.name IS DISTINCT FROM d.name OR n.visible IS DISTINCT FROM d.visible THEN
		UPDATE documents SET version = version + 1, updated_at = now()
		WHERE id = d.id RETURNING * INTO n;
		PERFORM event_add('document.updated', 'document', n.id, n.public_id,
		    json_changes(document_snapshot(d), document_snapshot(n)), n.client_id);
	END IF;
	RETURN document_json(n);
END
$$;

-- Deletes a document (its blob goes with its last one). One
-- document.deleted event.
CREATE FUNCTION document_delete(p_id text, p_version int) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	d documents%ROWTYPE;
BEGIN
	d := document_find(p_id, true);
	PERFORM version_check(d.version, p_version);
	PERFORM event_add('document.deleted', 'document', d.id, d.public_id,
	    json_changes(document_snapshot(d), '{}'), d.client_id);
	DELETE FROM documents WHERE id = d.id;
END
$$;

-- What a download needs (the blob's id and chunking, what to call and
-- type the file), and the download recorded in the client's activity.
CREATE FUNCTION document_download_row(d documents)
    RETURNS TABLE (blob_id bigint, chunk_size int, size bigint, sha256 text,
	name text, content_type text, sniffed_type text, tenant bigint)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
	PERFORM event_add('document.downloaded', 'document', d.id, d.public_id,
	    jsonb_build_object('name', jsonb_build_object('before', NULL, 'after', d.name)),
	    d.client_id);
	RETURN QUERY SELECT b.id, b.chunk_size, b.size, encode(b.sha256, 'hex'), d.name,
	    d.content_type, d.sniffed_type, d.company_id
	FROM document_blobs b WHERE b.id = d.blob_id;
END
$$;

CREATE FUNCTION document_download(p_id text)
    RETURNS TABLE (blob_id bigint, chunk_size int, size bigint, sha256 text,
	name text, content_type text, sniffed_type text, tenant bigint)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
	RETURN QUERY SELECT * FROM document_download_row(document_find(p_id, false));
END
$$;

-- ---- the portal: a contact's documents ---------------------------------------

-- The session's client's document p_id, when it is shown to the client:
-- the client's own, or its group's, marked visible. 404 otherwise.
CREATE FUNCTION portal_document_find(p_id text) RETURNS documents
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	c clients%ROWTYPE := portal_client_row(false);
	d documents%ROWTYPE;
BEGIN
	SELECT * INTO d FROM documents WHERE public_id = p_id
	    AND company_id = app_company_id() AND visible
	    AND (client_id = c.id OR (group_id IS NOT NULL AND group_id = c.group_id));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'document not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No document has the id "%s".', p_id);
	END IF;
	RETURN d;
END
$$;

-- A document as the portal shows it: not who of the staff uploaded it.
CREATE FUNCTION portal_document_json(d documents) RETURNS json
    LANGUAGE sql STABLE
    RETURN json_build_object('id', d.public_id, 'name', d.name,
	'content_type', d.content_type, 'size', d.size,
	'sha256', (SELECT encode(b.sha256, 'hex') FROM document_blobs b WHERE b.id = d.blob_id),
	'uploaded_by_you', d.uploader_type = 'contact'
	    AND d.uploader_id = current_setting('app.actor_id', true),
	'created_at', rfc3339(d.created_at));

-- The documents shown to the session's client, newest first.
CREATE FUNCTION portal_documents() RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	c clients%ROWTYPE := portal_client_row(false);
BEGIN
	RETURN COALESCE((SELECT json_agg(portal_document_json(d) ORDER BY d.created_at DESC, d.public_id DESC)
	    FROM documents d WHERE d.company_id = app_company_id() AND d.visible
		AND (d.client_id = c.id OR (d.group_id IS NOT NULL AND d.group_id = c.group_id))), '[]');
END
$$;

CREATE FUNCTION portal_document_download(p_id text)
    RETURNS TABLE (blob_id bigint, chunk_size int, size bigint, sha256 text,
	name text, content_type text, sniffed_type text, tenant bigint)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
	RETURN QUERY SELECT * FROM document_download_row(portal_document_find(p_id));
END
$$;

-- Before a contact's upload: the company allows it (portal_uploads), and
-- each file fits; then the blobs.
CREATE FUNCTION portal_document_upload_begin(p_files jsonb, p_chunk int)
    RETURNS TABLE (ord int, blob_id bigint, created boolean)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
	PERFORM portal_client_row(false);
	IF NOT (SELECT (setting_value('portal_uploads', NULL, NULL, co.settings) #>> '{}')::boolean
	    FROM companies co WHERE co.id = app_company_id()) THEN
		RAISE EXCEPTION 'uploads from the portal are turned off'
		    USING ERRCODE = 'CD403',
			  HINT = 'Send the file to your contact at the company instead.';
	END IF;
	RETURN QUERY SELECT * FROM document_blobs_claim(p_files, p_chunk);
END
$$;

-- A contact's upload: the session's client's documents, shown to it.
CREATE FUNCTION portal_documents_create(p_files jsonb) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	c clients%ROWTYPE := portal_client_row(false);
	out json;
BEGIN
	out := documents_create('client', c.public_id, (SELECT jsonb_agg(f || '{"visible": true}')
	    FROM jsonb_array_elements(p_files) f));
	RETURN (SELECT json_agg(portal_document_json(d) ORDER BY d.id) FROM documents d
	    WHERE d.public_id IN (SELECT x ->> 'id' FROM json_array_elements(out) x));
END
$$;
