-- ---------------------------------------------------------------------------
-- 0009_imports: CSV imports of clients (issue 16) and saved mapping
-- templates; what the worker needs to run an import; the indexes the
-- duplicate rules look clients up by. The functions: sql/functions/imports.sql.
--
-- An upload is stored here, converted to UTF-8, in pieces of about 1 MiB
-- (import_chunks), so that any worker on any machine can run it. A run's
-- rows are applied in the worker's own transactions: import_checkpoints is
-- written in the same transaction as the rows it counts (a killed worker
-- resumes after the last one committed), import_keys remembers the match
-- key and number of each row applied (rows of one file that match each
-- other), and import_progress / import_issues are written alongside by the
-- worker's second connection, so progress and per-row errors show while
-- the rows' own transaction is still open.
-- ---------------------------------------------------------------------------

CREATE TABLE import_templates (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	header_key	text NOT NULL,		-- core/import.c import_header_key()
	headers		jsonb NOT NULL,		-- the column names it was made for
	mapping		jsonb NOT NULL,
	options		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX import_templates_name_key ON import_templates (company_id, lower(name));
CREATE INDEX import_templates_header_idx ON import_templates (company_id, header_key);

CREATE TABLE imports (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	user_id		bigint REFERENCES users ON DELETE SET NULL,
	status		text NOT NULL DEFAULT 'uploading' CHECK (status IN ('uploading',
			    'uploaded', 'checking', 'queued', 'running', 'completed',
			    'failed', 'cancelled')),
	file_name	text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
	file_size	bigint NOT NULL DEFAULT 0 CHECK (file_size >= 0),
	encoding	text,
	delimiter	text,
	header_row	int,		-- 0: the file has no header row
	first_row	int,
	rows		int NOT NULL DEFAULT 0,
	columns		jsonb NOT NULL DEFAULT '[]',
	preview		jsonb NOT NULL DEFAULT '[]',
	header_key	text,
	suggested	jsonb,		-- the mapping suggested at upload
	template_id	bigint REFERENCES import_templates ON DELETE SET NULL,
	mapping		jsonb,
	options		jsonb,
	dry_run		jsonb,		-- the last dry run's report
	result		jsonb,		-- what the run did
	cancel_requested boolean NOT NULL DEFAULT false,
	version		integer NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	finished_at	timestamptz
);
CREATE INDEX imports_company_idx ON imports (company_id, created_at, public_id);

CREATE TABLE import_chunks (
	import_id	bigint NOT NULL REFERENCES imports ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	seq		int NOT NULL CHECK (seq >= 0),
	data		text NOT NULL,
	PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_progress (
	import_id	bigint PRIMARY KEY REFERENCES imports ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	phase		text NOT NULL CHECK (phase IN ('dry_run', 'run')),
	rows_done	int NOT NULL DEFAULT 0,
	rows_total	int NOT NULL DEFAULT 0,
	counts		jsonb NOT NULL DEFAULT '{}',
	worker		text,
	started_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_checkpoints (
	import_id	bigint PRIMARY KEY REFERENCES imports ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	rows_done	int NOT NULL,
	last_row	int NOT NULL,
	counts		jsonb NOT NULL DEFAULT '{}',
	finished	boolean NOT NULL DEFAULT false
);

CREATE TABLE import_issues (
	import_id	bigint NOT NULL REFERENCES imports ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	phase		text NOT NULL CHECK (phase IN ('dry_run', 'run')),
	row		int NOT NULL,
	line		int NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('error', 'duplicate')),
	cells		jsonb,
	errors		jsonb NOT NULL DEFAULT '[]',
	PRIMARY KEY (import_id, phase, row)
);

CREATE TABLE import_keys (
	import_id	bigint NOT NULL REFERENCES imports ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	phase		text NOT NULL CHECK (phase IN ('dry_run', 'run')),
	kind		text NOT NULL CHECK (kind IN ('key', 'number')),
	value		text NOT NULL,
	row		int NOT NULL,
	client_id	bigint,
	PRIMARY KEY (import_id, phase, kind, value)
);

-- The duplicate rules' lookups (number has its unique index; contact
-- emails have client_contacts_email_idx).
CREATE INDEX clients_id_number_idx ON clients (company_id, id_number)
    WHERE id_number <> '';
CREATE INDEX clients_name_key_idx ON clients (company_id,
    lower(regexp_replace(display_name, '\s', '', 'g')));

-- ---------------------------------------------------------------------------
-- Security (the policies: sql/functions/tenancy.sql).
-- ---------------------------------------------------------------------------

ALTER TABLE import_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_keys ENABLE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON import_templates, imports TO clientd_app;
GRANT SELECT, INSERT, DELETE ON import_chunks TO clientd_app;
GRANT SELECT ON import_progress, import_checkpoints, import_issues, import_keys TO clientd_app;
GRANT INSERT ON import_progress TO clientd_app;
GRANT DELETE ON import_progress, import_checkpoints, import_issues, import_keys TO clientd_app;
GRANT USAGE ON SEQUENCE import_templates_id_seq, imports_id_seq TO clientd_app;

-- The worker runs imports as the user who started them: it writes clients,
-- their contacts, groups, settings, counters, ledger entries and events as
-- the API would.
GRANT SELECT, UPDATE ON imports TO clientd_worker;
GRANT SELECT ON import_chunks, import_templates TO clientd_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON import_progress, import_checkpoints,
    import_issues, import_keys TO clientd_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON clients, client_contacts, client_groups,
    client_stats TO clientd_worker;
GRANT USAGE ON SEQUENCE clients_id_seq, client_contacts_id_seq,
    client_groups_id_seq TO clientd_worker;
GRANT SELECT, UPDATE (settings, updated_at) ON companies TO clientd_worker;
GRANT SELECT (id, public_id, company_id, email, name, role, permissions,
    is_active) ON users TO clientd_worker;
GRANT INSERT ON ledger_entries TO clientd_worker;
