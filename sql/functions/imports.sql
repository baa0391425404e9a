-- ---------------------------------------------------------------------------
-- imports: CSV imports of clients (issue 16). The daemon stores an upload
-- and what it found in it (import_create, import_chunk_add,
-- import_upload_finish); a user maps its columns and picks the duplicate
-- rule (import_configure); a dry run or a run is a job of the worker
-- (import_queue), which turns the file's rows into clients' JSON and
-- checks them with the API's own C rules, then hands them here in batches
-- (import_apply): each row goes through the functions the API's writes go
-- through (client_insert(), client_modify(), contacts_apply(),
-- settings_check(), ledger_append(), group_create()), in a
-- subtransaction of its own, and writes the one event of its client.
--
-- Duplicates: a row matches existing clients by the match key the user
-- picked (number, id_number, the primary contact's email, or the name
-- compared case- and space-insensitively; deleted clients never match),
-- and earlier rows of the same file through import_keys; the action for a
-- match is skip, update (only the fields the file maps and fills) or
-- create anyway.
-- ---------------------------------------------------------------------------

-- ---- the import as the API shows it ------------------------------------------

-- Rows per second and seconds left of a phase in progress.
CREATE FUNCTION import_progress_json(p import_progress) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT CASE WHEN p.import_id IS NULL THEN NULL ELSE json_build_object(
	    'phase', p.phase, 'rows_done', p.rows_done, 'rows_total', p.rows_total,
	    'counts', p.counts,
	    'rate', CASE WHEN extract(epoch FROM p.updated_at - p.started_at) > 0
		THEN round((p.rows_done / extract(epoch FROM p.updated_at - p.started_at))::numeric, 1)
		ELSE NULL END,
	    'eta_seconds', CASE WHEN p.rows_done > 0 AND p.rows_total > p.rows_done
		THEN ceil(extract(epoch FROM p.updated_at - p.started_at)
		    * (p.rows_total - p.rows_done) / p.rows_done)::int
		WHEN p.rows_total > 0 AND p.rows_done >= p.rows_total THEN 0
		ELSE NULL END,
	    'started_at', rfc3339(p.started_at), 'updated_at', rfc3339(p.updated_at)) END;
END;

CREATE FUNCTION import_json(i imports) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT json_build_object('id', i.public_id, 'status', i.status,
	    'file', json_build_object('name', i.file_name, 'size', i.file_size,
		'encoding', i.encoding, 'delimiter', i.delimiter,
		'header_row', NULLIF(i.header_row, 0), 'first_row', i.first_row,
		'rows', i.rows, 'columns', i.columns),
	    'preview', i.preview,
	    'suggested_mapping', i.suggested,
	    'template', CASE WHEN t.id IS NULL THEN NULL
		ELSE json_build_object('id', t.public_id, 'name', t.name) END,
	    'mapping', i.mapping, 'options', i.options,
	    'dry_run', i.dry_run, 'result', i.result,
	    'progress', CASE WHEN i.status IN ('checking', 'queued', 'running')
		THEN import_progress_json(p) END,
	    'cancel_requested', i.cancel_requested,
	    'created_by', (SELECT u.public_id FROM users u WHERE u.id = i.user_id),
	    'version', i.version,
	    'created_at', rfc3339(i.created_at), 'updated_at', rfc3339(i.updated_at),
	    'started_at', rfc3339(i.started_at), 'finished_at', rfc3339(i.finished_at))
	FROM (SELECT 1) one
	LEFT JOIN import_templates t ON t.id = i.template_id
	LEFT JOIN import_progress p ON p.import_id = i.id);
END
$$;

-- The import with public id p_id in the current tenant (404 otherwise);
-- uploads still being stored are nobody's to see.
CREATE FUNCTION import_find(p_id text, p_lock boolean) RETURNS imports
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE;
BEGIN
	IF p_lock THEN
		-- (NO KEY UPDATE: a running import's own rows hold KEY SHARE on
		-- it, which FOR UPDATE would wait for until the run ends.)
		SELECT * INTO i FROM imports WHERE public_id = p_id
		    AND company_id = app_company_id() AND status <> 'uploading'
		FOR NO KEY UPDATE;
	ELSE
		SELECT * INTO i FROM imports WHERE public_id = p_id
		    AND company_id = app_company_id() AND status <> 'uploading';
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'import not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No import has the id "%s".', p_id);
	END IF;
	RETURN i;
END
$$;

CREATE FUNCTION import_get(p_id text) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT import_json(import_find(p_id, false));
END;

-- ---- upload ------------------------------------------------------------------------

-- A new upload, not yet visible (status uploading) until its last piece.
CREATE FUNCTION import_create(p_file_name text, p_file_size bigint) RETURNS text
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO imports (company_id, user_id, file_name, file_size)
	VALUES (app_company_id(), app_user_id(), p_file_name, p_file_size)
	RETURNING public_id;
END;

-- The internal id of an upload in progress of this tenant (NULL if none).
CREATE FUNCTION import_uploading_id(p_id text) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT id FROM imports WHERE public_id = p_id AND company_id = app_company_id()
	    AND status = 'uploading';
END;

CREATE FUNCTION import_chunk_add(p_id text, p_seq int, p_data text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	v bigint := import_uploading_id(p_id);
BEGIN
	IF v IS NULL THEN
		RAISE EXCEPTION 'import not found' USING ERRCODE = 'CD404';
	END IF;
	INSERT INTO import_chunks (import_id, company_id, seq, data)
	VALUES (v, app_company_id(), p_seq, p_data);
END
$$;

-- The upload is whole: what the daemon found in it (p_meta: encoding,
-- delimiter, header_row, first_row, rows, columns, preview, header_key,
-- suggested, options: the defaults), and a saved template for the same
-- header, whose mapping and options are then the suggestion.
CREATE FUNCTION import_upload_finish(p_id text, p_meta jsonb) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE;
	t import_templates%ROWTYPE;
BEGIN
	SELECT * INTO t FROM import_templates WHERE company_id = app_company_id()
	    AND header_key = p_meta ->> 'header_key'
	ORDER BY updated_at DESC, id DESC LIMIT 1;
	UPDATE imports SET status = 'uploaded', encoding = p_meta ->> 'encoding',
	    delimiter = p_meta ->> 'delimiter',
	    header_row = (p_meta ->> 'header_row')::int,
	    first_row = (p_meta ->> 'first_row')::int,
	    rows = (p_meta ->> 'rows')::int, columns = p_meta -> 'columns',
	    preview = p_meta -> 'preview', header_key = p_meta ->> 'header_key',
	    suggested = COALESCE(t.mapping, p_meta -> 'suggested'),
	    template_id = t.id,
	    options = COALESCE(t.options, p_meta -> 'options'),
	    updated_at = now()
	WHERE id = import_uploading_id(p_id)
	RETURNING * INTO i;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'import not found' USING ERRCODE = 'CD404';
	END IF;
	RETURN import_json(i);
END
$$;

-- An upload that failed half-way goes, with its pieces.
CREATE FUNCTION import_upload_discard(p_id text) RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	DELETE FROM imports WHERE id = import_uploading_id(p_id);
END;

-- ---- configuring and starting -----------------------------------------------------------

CREATE FUNCTION import_check_idle(i imports) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF i.status IN ('checking', 'queued', 'running') THEN
		RAISE EXCEPTION 'import is %', CASE i.status WHEN 'checking'
		    THEN 'in a dry run' ELSE i.status END
		    USING ERRCODE = 'CD409',
			  HINT = 'Wait for it to finish, or cancel it (POST /api/v1/imports/{id}/cancel).';
	END IF;
	IF i.status IN ('completed', 'failed', 'cancelled') THEN
		RAISE EXCEPTION 'import has run already'
		    USING ERRCODE = 'CD409',
			  DETAIL = format('It is %s.', i.status),
			  HINT = 'Upload the file again to import it again.';
	END IF;
END
$$;

-- PATCH /imports/{id}: the mapping and options (checked by the daemon,
-- core/import.c); a previous dry run no longer applies.
CREATE FUNCTION import_configure(p_id text, p_mapping jsonb, p_options jsonb,
    p_version int) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE := import_find(p_id, true);
BEGIN
	PERFORM version_check(i.version, p_version);
	PERFORM import_check_idle(i);
	UPDATE imports SET mapping = COALESCE(p_mapping, mapping),
	    options = COALESCE(p_options, options), dry_run = NULL,
	    version = version + 1, updated_at = now()
	WHERE id = i.id RETURNING * INTO i;
	RETURN import_json(i);
END
$$;

-- POST /imports/{id}/dry-run and /run: a job for the worker.
CREATE FUNCTION import_queue(p_id text, p_phase text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE := import_find(p_id, true);
BEGIN
	PERFORM import_check_idle(i);
	IF i.mapping IS NULL THEN
		RAISE EXCEPTION 'import has no mapping'
		    USING ERRCODE = 'CD422', COLUMN = 'mapping',
			  HINT = 'Map the columns first (PATCH /api/v1/imports/{id}).';
	END IF;
	DELETE FROM import_progress WHERE import_id = i.id;
	INSERT INTO import_progress (import_id, company_id, phase, rows_total)
	VALUES (i.id, i.company_id, p_phase, i.rows);
	INSERT INTO jobs (company_id, kind, payload)
	VALUES (i.company_id, 'import', jsonb_build_object('import', i.id, 'phase', p_phase));
	UPDATE imports SET status = CASE p_phase WHEN 'dry_run' THEN 'checking' ELSE 'queued' END,
	    dry_run = CASE p_phase WHEN 'dry_run' THEN NULL ELSE dry_run END,
	    cancel_requested = false, version = version + 1, updated_at = now()
	WHERE id = i.id RETURNING * INTO i;
	PERFORM pg_notify('clientd_jobs', '');
	RETURN import_json(i);
END
$$;

-- POST /imports/{id}/cancel: the worker stops at its next batch (a queued
-- job it has not started stops before its first).
CREATE FUNCTION import_cancel(p_id text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE := import_find(p_id, true);
BEGIN
	IF i.status NOT IN ('checking', 'queued', 'running') THEN
		RAISE EXCEPTION 'import is not running'
		    USING ERRCODE = 'CD409', DETAIL = format('It is %s.', i.status);
	END IF;
	UPDATE imports SET cancel_requested = true, version = version + 1,
	    updated_at = now()
	WHERE id = i.id RETURNING * INTO i;
	RETURN import_json(i);
END
$$;

-- DELETE /imports/{id}: the upload and everything about it (the clients it
-- imported stay).
CREATE FUNCTION import_delete(p_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE := import_find(p_id, true);
BEGIN
	IF i.status IN ('checking', 'queued', 'running') THEN
		PERFORM import_check_idle(i);
	END IF;
	DELETE FROM imports WHERE id = i.id;
END
$$;

-- ---- templates -------------------------------------------------------------------------------

CREATE FUNCTION import_template_json(t import_templates) RETURNS json
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT json_build_object('id', t.public_id, 'name', t.name,
	    'headers', t.headers, 'mapping', t.mapping, 'options', t.options,
	    'created_at', rfc3339(t.created_at), 'updated_at', rfc3339(t.updated_at));
END;

-- POST /import-templates: a named mapping for files with these headers
-- (a template of the same name is replaced).
CREATE FUNCTION import_template_save(p_name text, p_header_key text,
    p_headers jsonb, p_mapping jsonb, p_options jsonb) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	t import_templates%ROWTYPE;
BEGIN
	UPDATE import_templates SET name = p_name, header_key = p_header_key,
	    headers = p_headers, mapping = p_mapping,
	    options = COALESCE(p_options, '{}'), updated_at = now()
	WHERE company_id = app_company_id() AND lower(name) = lower(p_name)
	RETURNING * INTO t;
	IF NOT FOUND THEN
		INSERT INTO import_templates (company_id, name, header_key, headers,
		    mapping, options)
		VALUES (app_company_id(), p_name, p_header_key, p_headers, p_mapping,
		    COALESCE(p_options, '{}'))
		RETURNING * INTO t;
	END IF;
	RETURN import_template_json(t);
END
$$;

CREATE FUNCTION import_template_delete(p_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	DELETE FROM import_templates WHERE public_id = p_id
	    AND company_id = app_company_id();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'import template not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No import template has the id "%s".', p_id);
	END IF;
END
$$;

-- ---- the worker: a phase from start to end -----------------------------------------------

-- What the worker needs to run phase p_phase of import p_import, as it
-- starts (from its side connection, with the tenant set): the import, who
-- started it, and for a run that was under way, where it got to.
CREATE FUNCTION import_phase_begin(p_import bigint, p_phase text, p_worker text)
    RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE;
	u record;
	k import_checkpoints%ROWTYPE;
BEGIN
	SELECT * INTO i FROM imports WHERE id = p_import AND company_id = app_company_id();
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	-- (Not *: the worker may not read password hashes.)
	SELECT x.id, x.public_id, x.email, x.role, x.is_active INTO u
	FROM users x WHERE x.id = i.user_id;
	SELECT * INTO k FROM import_checkpoints WHERE import_id = i.id;
	IF p_phase = 'dry_run' OR k.import_id IS NULL THEN
		DELETE FROM import_issues WHERE import_id = i.id AND phase = p_phase;
		DELETE FROM import_keys WHERE import_id = i.id AND phase = p_phase;
		k := NULL;
	ELSE
		-- A run resumed: its rows up to the checkpoint are in.
		DELETE FROM import_issues WHERE import_id = i.id AND phase = p_phase
		    AND row > k.last_row;
	END IF;
	INSERT INTO import_progress AS p (import_id, company_id, phase, rows_done,
	    rows_total, counts, worker)
	VALUES (i.id, i.company_id, p_phase, COALESCE(k.rows_done, 0), i.rows,
	    COALESCE(k.counts, '{}'), p_worker)
	ON CONFLICT (import_id) DO UPDATE SET phase = p_phase,
	    rows_done = COALESCE(k.rows_done, 0), rows_total = i.rows,
	    counts = COALESCE(k.counts, '{}'), worker = p_worker,
	    started_at = CASE WHEN k.import_id IS NULL THEN now() ELSE p.started_at END,
	    updated_at = now();
	IF i.status IN ('checking', 'queued') THEN
		UPDATE imports SET status = CASE p_phase WHEN 'run' THEN 'running' ELSE status END,
		    started_at = COALESCE(started_at, CASE p_phase WHEN 'run' THEN now() END),
		    updated_at = now()
		WHERE id = i.id RETURNING * INTO i;
	END IF;
	RETURN json_build_object('import', i.id, 'public_id', i.public_id,
	    'status', i.status, 'file_name', i.file_name,
	    'delimiter', i.delimiter, 'header_row', i.header_row,
	    'first_row', i.first_row, 'rows', i.rows, 'columns', i.columns,
	    'mapping', i.mapping, 'options', i.options,
	    'cancel_requested', i.cancel_requested,
	    'user', json_build_object('id', u.id, 'public_id', u.public_id,
		'email', u.email, 'role', u.role, 'active', u.is_active),
	    'checkpoint', CASE WHEN k.import_id IS NULL THEN NULL
		ELSE json_build_object('rows_done', k.rows_done, 'last_row', k.last_row,
		    'counts', k.counts, 'finished', k.finished) END);
END
$$;

-- Progress, from the side connection: rows done and the counts so far;
-- answers whether the user asked to cancel.
CREATE FUNCTION import_progress_set(p_import bigint, p_rows_done int,
    p_counts jsonb) RETURNS boolean
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	UPDATE import_progress SET rows_done = p_rows_done, counts = p_counts,
	    updated_at = now()
	WHERE import_id = p_import AND company_id = app_company_id();
	SELECT cancel_requested FROM imports WHERE id = p_import
	    AND company_id = app_company_id();
END;

-- Per-row problems of phase p_phase, from the side connection: [{row,
-- line, kind, cells, errors}], a row's entry replacing an earlier one.
CREATE FUNCTION import_issues_add(p_import bigint, p_phase text, p_issues jsonb)
    RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO import_issues (import_id, company_id, phase, row, line, kind,
	    cells, errors)
	SELECT p_import, app_company_id(), p_phase, (e ->> 'row')::int,
	    (e ->> 'line')::int, e ->> 'kind', e -> 'cells',
	    COALESCE(e -> 'errors', '[]')
	FROM jsonb_array_elements(p_issues) e
	ON CONFLICT (import_id, phase, row) DO UPDATE SET kind = excluded.kind,
	    line = excluded.line, cells = excluded.cells, errors = excluded.errors;
END;

-- The run's place, in the same transaction as the rows it counts.
CREATE FUNCTION import_checkpoint_set(p_import bigint, p_rows_done int,
    p_last_row int, p_counts jsonb, p_finished boolean) RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO import_checkpoints AS k (import_id, company_id, rows_done,
	    last_row, counts, finished)
	VALUES (p_import, app_company_id(), p_rows_done, p_last_row, p_counts,
	    p_finished)
	ON CONFLICT (import_id) DO UPDATE SET rows_done = excluded.rows_done,
	    last_row = excluded.last_row, counts = excluded.counts,
	    finished = excluded.finished;
END;

-- The one import.completed event of a run, with what it did (the result
-- as GET /imports/{id} shows it, its summary included: webhooks deliver
-- it); in the transaction of its last rows (or, when nothing was kept, of
-- its own).
CREATE FUNCTION import_completed_event(p_import bigint, p_result jsonb)
    RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	i imports%ROWTYPE;
BEGIN
	SELECT * INTO i FROM imports WHERE id = p_import AND company_id = app_company_id();
	RETURN event_add('import.completed', 'import', i.id, i.public_id,
	    (SELECT jsonb_object_agg(key, jsonb_build_object('before', NULL, 'after', value))
	     FROM jsonb_each(p_result)));
END
$$;

-- The end of a phase, from the side connection: a dry run's report, or a
-- run's result and its final status.
CREATE FUNCTION import_phase_end(p_import bigint, p_phase text, p_report jsonb)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF p_phase = 'dry_run' THEN
		UPDATE imports SET status = 'uploaded', dry_run = p_report,
		    cancel_requested = false, version = version + 1, updated_at = now()
		WHERE id = p_import AND company_id = app_company_id();
	ELSE
		UPDATE imports SET status = p_report ->> 'status', result = p_report,
		    finished_at = now(), version = version + 1, updated_at = now()
		WHERE id = p_import AND company_id = app_company_id();
	END IF;
	DELETE FROM import_progress WHERE import_id = p_import
	    AND company_id = app_company_id();
	IF p_phase = 'run' THEN
		DELETE FROM import_keys WHERE import_id = p_import;
	END IF;
END
$$;

-- ---- the worker: rows --------------------------------------------------------------------

-- A match key as rows and clients compare it: e-mail addresses
-- case-insensitively, names also without white space, numbers as they are.
CREATE FUNCTION import_key_norm(p_kind text, p_value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE p_kind WHEN 'email' THEN lower(p_value)
	WHEN 'name' THEN lower(regexp_replace(p_value, '\s', '', 'g'))
	ELSE p_value END;

-- The non-deleted clients of this tenant with match key p_value (at most
-- two: one is a match, two are too many).
CREATE FUNCTION import_match(p_kind text, p_value text) RETURNS bigint[]
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	-- One query per key, each planned on its own index.
	IF COALESCE(p_value, '') = '' THEN
		RETURN '{}';
	ELSIF p_kind = 'number' THEN
		RETURN ARRAY(SELECT id FROM clients WHERE company_id = app_company_id()
		    AND number = p_value AND deleted_at IS NULL ORDER BY id LIMIT 2);
	ELSIF p_kind = 'id_number' THEN
		RETURN ARRAY(SELECT id FROM clients WHERE company_id = app_company_id()
		    AND id_number = p_value AND id_number <> '' AND deleted_at IS NULL
		    ORDER BY id LIMIT 2);
	ELSIF p_kind = 'email' THEN
		RETURN ARRAY(SELECT DISTINCT c.id FROM client_contacts k
		    JOIN clients c ON c.id = k.client_id
		    WHERE k.company_id = app_company_id() AND lower(k.email) = lower(p_value)
			AND k.is_primary AND c.deleted_at IS NULL ORDER BY c.id LIMIT 2);
	ELSE
		RETURN ARRAY(SELECT id FROM clients WHERE company_id = app_company_id()
		    AND lower(regexp_replace(display_name, '\s', '', 'g'))
			= import_key_norm('name', p_value)
		    AND deleted_at IS NULL ORDER BY id LIMIT 2);
	END IF;
END
$$;

-- A group by name (case-insensitive), created when missing and p_create.
CREATE FUNCTION import_group(p_name text, p_create boolean) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	v text;
BEGIN
	SELECT public_id INTO v FROM client_groups WHERE company_id = app_company_id()
	    AND lower(name) = lower(p_name);
	IF FOUND THEN
		RETURN v;
	END IF;
	IF NOT p_create THEN
		RAISE EXCEPTION 'group "%" does not exist', p_name
		    USING ERRCODE = 'CD422', COLUMN = 'group',
			  HINT = 'Create it first, or let the import create missing groups.';
	END IF;
	RETURN group_create(p_name, NULL) ->> 'id';
END
$$;

-- The number context of each group name (and of no group, ''): as
-- client_number_context() gives it for an existing group; a group that
-- does not exist yet will be created without settings, so the company's.
CREATE FUNCTION import_number_contexts(p_names text[])
    RETURNS TABLE (name text, pattern text, padding int, group_counter boolean,
	has_group boolean, local_time text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	n text;
	g text;
BEGIN
	FOREACH n IN ARRAY array_prepend('', p_names) LOOP
		g := NULL;
		IF n <> '' THEN
			SELECT public_id INTO g FROM client_groups
			WHERE company_id = app_company_id() AND lower(client_groups.name) = lower(n);
		END IF;
		RETURN QUERY SELECT n, x.pattern, x.padding, x.group_counter,
		    n <> '', x.local_time FROM client_number_context(g) x;
	END LOOP;
END
$$;

-- Opening balance p_amount as the first ledger entry of client c (locked).
CREATE FUNCTION import_opening_balance(c clients, p_amount text, p_note text)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
BEGIN
	PERFORM ledger_append(c, 'opening_balance', p_amount::numeric, 0,
	    'Opening balance', p_note, NULL, NULL);
EXCEPTION WHEN SQLSTATE 'CD422' OR SQLSTATE 'CD409' THEN
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
	    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
	RAISE EXCEPTION '%', v_msg USING ERRCODE = v_state, COLUMN = 'opening_balance',
	    DETAIL = NULLIF(v_detail, ''), HINT = NULLIF(v_hint, '');
END
$$;

-- A client as an import's update event compares it.
CREATE FUNCTION import_client_state(c clients) RETURNS jsonb
    LANGUAGE sql STABLE
    RETURN client_snapshot(c) || jsonb_build_object('contacts', contacts_snapshot(c.id),
	'balance', money_text(c.balance, 6));

-- The contacts array that updates client p_client with the file's
-- contacts p: a file contact updates the contact with its email address
-- (else, the first one without an address, the primary contact), any
-- other is added; the client's other contacts stay as they are.
CREATE FUNCTION import_contacts_merge(p_client bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	cur jsonb := '[]';
	added jsonb := '[]';
	f jsonb;
	i int := 0;
	pos int;
BEGIN
	SELECT COALESCE(jsonb_agg(jsonb_build_object('id', k.public_id,
	    '_email', lower(k.email), '_primary', k.is_primary) ORDER BY k.position, k.id), '[]')
	INTO cur FROM client_contacts k WHERE k.client_id = p_client;
	FOR f IN SELECT value FROM jsonb_array_elements(p) LOOP
		pos := NULL;
		IF COALESCE(f ->> 'email', '') <> '' THEN
			SELECT o - 1 INTO pos FROM jsonb_array_elements(cur) WITH ORDINALITY x(e, o)
			WHERE e ->> '_email' = lower(f ->> 'email') LIMIT 1;
		ELSIF i = 0 THEN
			SELECT o - 1 INTO pos FROM jsonb_array_elements(cur) WITH ORDINALITY x(e, o)
			WHERE (e ->> '_primary')::boolean LIMIT 1;
		END IF;
		IF pos IS NULL THEN
			added := added || jsonb_build_array(f - 'is_primary');
		ELSE
			cur := jsonb_set(cur, ARRAY[pos::text], (cur -> pos) || (f - 'is_primary'));
		END IF;
		i := i + 1;
	END LOOP;
	RETURN (SELECT COALESCE(jsonb_agg(e - '_email' - '_primary'), '[]')
	    FROM jsonb_array_elements(cur || added) e);
END
$$;

-- Creates the client of row r (r: body, settings, group, opening_balance,
-- template, padding, group_counter), with its one event.
CREATE FUNCTION import_client_create(r jsonb, p_file text) RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
BEGIN
	c := client_insert(r -> 'body', r ->> 'template', (r ->> 'padding')::int,
	    COALESCE((r ->> 'group_counter')::boolean, false));
	IF jsonb_typeof(r -> 'settings') = 'object' AND r -> 'settings' <> '{}' THEN
		PERFORM settings_check(r -> 'settings', 'settings.');
		UPDATE clients SET settings = settings_merge(settings, r -> 'settings')
		WHERE id = c.id RETURNING * INTO c;
	END IF;
	IF COALESCE(r ->> 'opening_balance', '') <> '' THEN
		PERFORM import_opening_balance(c, r ->> 'opening_balance',
		    format('Imported from %s, row %s.', p_file, r ->> 'row'));
		SELECT * INTO c FROM clients WHERE id = c.id;
	END IF;
	PERFORM client_created_event(c);
	RETURN c;
END
$$;

-- Updates client p_client with the fields row r fills, with one event
-- when anything changed; NULL when nothing did.
CREATE FUNCTION import_client_update(p_client bigint, r jsonb, p_file text)
    RETURNS clients
    LANGUAGE plpgsql
    AS $$
DECLARE
	c clients%ROWTYPE;
	p jsonb := r -> 'body';
	before jsonb;
	before_settings jsonb;
	ch jsonb;
BEGIN
	SELECT * INTO c FROM clients WHERE id = p_client FOR UPDATE;
	IF c.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'client is deleted' USING ERRCODE = 'CD409';
	END IF;
	before := import_client_state(c);
	before_settings := c.settings;
	IF p ? 'contacts' THEN
		p := p || jsonb_build_object('contacts',
		    import_contacts_merge(c.id, p -> 'contacts'));
	END IF;
	c := client_modify(c, p);
	IF jsonb_typeof(r -> 'settings') = 'object' AND r -> 'settings' <> '{}' THEN
		PERFORM settings_check(r -> 'settings', 'settings.');
		UPDATE clients SET settings = settings_merge(settings, r -> 'settings')
		WHERE id = c.id RETURNING * INTO c;
	END IF;
	IF COALESCE(r ->> 'opening_balance', '') <> '' THEN
		PERFORM import_opening_balance(c, r ->> 'opening_balance',
		    format('Imported from %s, row %s.', p_file, r ->> 'row'));
		SELECT * INTO c FROM clients WHERE id = c.id;
	END IF;
	ch := json_changes(before, import_client_state(c))
	    || settings_changes(before_settings, c.settings);
	IF ch = '{}' THEN
		RETURN NULL;
	END IF;
	UPDATE clients SET version = version + 1, updated_at = now()
	WHERE id = c.id RETURNING * INTO c;
	PERFORM event_add('client.updated', 'client', c.id, c.public_id, ch, c.id);
	RETURN c;
END
$$;

-- One row (a client's rows, as the worker grouped them): matched, then
-- skipped, created or updated. Its outcome: {row, outcome, client,
-- duplicate_of}. Raises what the API would for a row it refuses.
CREATE FUNCTION import_row(p_import bigint, p_phase text, r jsonb, p_options jsonb,
    p_file text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_kind text := COALESCE(p_options ->> 'match_key', 'email');
	v_action text := COALESCE(p_options ->> 'on_match', 'skip');
	v_key text := NULLIF(r ->> 'key', '');
	v_number text := NULLIF(r -> 'body' ->> 'number', '');
	ids bigint[];
	dup import_keys%ROWTYPE;
	taken import_keys%ROWTYPE;
	c clients%ROWTYPE;
	v_outcome text;
	v_group text;
BEGIN
	IF v_key IS NOT NULL THEN
		SELECT * INTO dup FROM import_keys WHERE import_id = p_import
		    AND phase = p_phase AND kind = 'key'
		    AND value = import_key_norm(v_kind, v_key);
	END IF;
	ids := import_match(v_kind, v_key);
	IF v_action <> 'create' AND cardinality(ids) > 1 THEN
		IF v_action = 'skip' THEN
			RETURN jsonb_build_object('row', r -> 'row', 'outcome', 'skipped',
			    'duplicate_of', dup.row);
		END IF;
		RAISE EXCEPTION 'row matches more than one client'
		    USING ERRCODE = 'CD409',
			  COLUMN = CASE v_kind WHEN 'email' THEN 'contacts[0].email' ELSE v_kind END,
			  DETAIL = format('Clients %s have %s "%s".',
			      (SELECT string_agg(number, ', ' ORDER BY id) FROM clients WHERE id = ANY (ids)),
			      replace(v_kind, '_', ' '), v_key),
			  HINT = 'Merge them, or match on another key.';
	END IF;
	IF v_action = 'skip' AND (cardinality(ids) = 1 OR dup.row IS NOT NULL) THEN
		RETURN jsonb_build_object('row', r -> 'row', 'outcome', 'skipped',
		    'client', (SELECT public_id FROM clients WHERE id = ids[1]),
		    'duplicate_of', dup.row);
	END IF;
	IF r ? 'group' AND COALESCE(r ->> 'group', '') <> '' THEN
		v_group := import_group(r ->> 'group',
		    COALESCE((p_options ->> 'create_groups')::boolean, true));
		r := jsonb_set(r, '{body,group}', to_jsonb(v_group));
	END IF;
	IF v_action = 'update' AND cardinality(ids) = 1 THEN
		c := import_client_update(ids[1], r, p_file);
		v_outcome := CASE WHEN c.id IS NULL THEN 'unchanged' ELSE 'updated' END;
		IF c.id IS NULL THEN
			c.id := ids[1];
		END IF;
	ELSE
		-- A number an earlier row of the file has is as taken as one a
		-- client has (in a dry run that row's client is gone again).
		IF v_number IS NOT NULL THEN
			SELECT * INTO taken FROM import_keys WHERE import_id = p_import
			    AND phase = p_phase AND kind = 'number' AND value = v_number;
			IF FOUND THEN
				RAISE EXCEPTION 'client number "%" is already used by row % of this file',
				    v_number, taken.row
				    USING ERRCODE = 'CD409', COLUMN = 'number';
			END IF;
		END IF;
		c := import_client_create(r, p_file);
		-- An update of a client an earlier row of a dry run created.
		v_outcome := CASE WHEN v_action = 'update' AND dup.row IS NOT NULL
		    THEN 'updated' ELSE 'created' END;
	END IF;
	IF v_key IS NOT NULL THEN
		INSERT INTO import_keys (import_id, company_id, phase, kind, value, row, client_id)
		VALUES (p_import, app_company_id(), p_phase, 'key', import_key_norm(v_kind, v_key),
		    (r ->> 'row')::int, c.id)
		ON CONFLICT DO NOTHING;
	END IF;
	IF v_number IS NOT NULL AND v_outcome = 'created' THEN
		INSERT INTO import_keys (import_id, company_id, phase, kind, value, row, client_id)
		VALUES (p_import, app_company_id(), p_phase, 'number', v_number,
		    (r ->> 'row')::int, c.id)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN jsonb_build_object('row', r -> 'row', 'outcome', v_outcome,
	    'client', COALESCE(c.public_id, (SELECT public_id FROM clients WHERE id = c.id)),
	    'duplicate_of', dup.row);
END
$$;

-- A batch of rows of phase p_phase, each in a subtransaction of its own:
-- a row the rules refuse rolls back alone and reports why ({row, outcome:
-- "error", error: {state, message, detail, hint, field}}); anything else
-- (a lost connection, a deadlock) fails the batch. The keys the rows
-- applied are in "keys", for a dry run to keep after its rollback.
CREATE FUNCTION import_apply(p_import bigint, p_phase text, p_rows jsonb,
    p_options jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
	r jsonb;
	out jsonb := '[]';
	v_file text;
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
	v_col text;
	v_cons text;
BEGIN
	SELECT file_name INTO v_file FROM imports WHERE id = p_import
	    AND company_id = app_company_id();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'import not found' USING ERRCODE = 'CD404';
	END IF;
	FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
		BEGIN
			out := out || import_row(p_import, p_phase, r, p_options, v_file);
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE,
			    v_msg = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL,
			    v_hint = PG_EXCEPTION_HINT, v_col = COLUMN_NAME,
			    v_cons = CONSTRAINT_NAME;
			IF v_state NOT LIKE 'CD%' AND left(v_state, 2) NOT IN ('22', '23') THEN
				RAISE;
			END IF;
			IF v_state = '23505' AND v_cons = 'clients_number_key' THEN
				v_msg := 'number is already in use';
				v_col := 'number';
				v_detail := 'Another client of this company has the same number.';
			ELSIF v_state NOT LIKE 'CD%' THEN
				v_msg := 'row has a value the database refuses';
				v_detail := NULL;
			END IF;
			out := out || jsonb_build_object('row', r -> 'row', 'outcome', 'error',
			    'error', jsonb_build_object('state', v_state, 'message', v_msg,
				'detail', NULLIF(v_detail, ''), 'hint', NULLIF(v_hint, ''),
				'field', NULLIF(v_col, '')));
		END;
	END LOOP;
	RETURN jsonb_build_object('rows', out, 'keys', (SELECT COALESCE(jsonb_agg(
	    jsonb_build_object('kind', k.kind, 'value', k.value, 'row', k.row)), '[]')
	    FROM import_keys k WHERE k.import_id = p_import AND k.phase = p_phase
		AND k.row = ANY (ARRAY(SELECT (e ->> 'row')::int FROM jsonb_array_elements(p_rows) e))));
END
$$;

-- A dry run's keys again, after the rollback of their batch.
CREATE FUNCTION import_keys_restore(p_import bigint, p_phase text, p_keys jsonb)
    RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO import_keys (import_id, company_id, phase, kind, value, row)
	SELECT p_import, app_company_id(), p_phase, e ->> 'kind', e ->> 'value',
	    (e ->> 'row')::int
	FROM jsonb_array_elements(p_keys) e
	ON CONFLICT DO NOTHING;
END;

-- Fresh statistics of the tables an import fills, as it fills them. Plans
-- made while a company had few clients look its clients up by company_id
-- alone (any index on it will do for a handful of rows); as an import
-- adds thousands, every row would then scan them all. An all-or-nothing
-- import's rows are seen by nobody else, autovacuum included; ANALYZE in
-- the import's own transaction counts them. The worker calls this as the
-- tables grow (each time four times as many rows are done). ANALYZE is
-- the owner's: this runs as the owner, and does nothing else.
CREATE FUNCTION import_analyze() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
	ANALYZE clients;
	ANALYZE client_contacts;
END
$$;
REVOKE ALL ON FUNCTION import_analyze() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_analyze() TO clientd_worker;
