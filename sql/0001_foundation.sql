-- ---------------------------------------------------------------------------
-- 0001_foundation: tenancy, accounts, sessions, API tokens, login throttling,
-- the event log, the job queue, worker heartbeats and Idempotency-Key.
--
-- Numbered migrations hold the schema only: tables, columns, indexes,
-- constraints, grants on tables and sequences, ENABLE ROW LEVEL SECURITY,
-- data moves. Functions, views, triggers and policies live in
-- sql/functions/ (one file per subsystem), which `clientd migrate` drops
-- and applies again whenever they change. The one exception is a function
-- that a table definition itself calls (a column default, a constraint, an
-- index expression): it is schema, defined in the migration that creates
-- the table, and kept when the function files are applied again. Here:
-- new_public_id().
--
-- Roles. Migrations run as the role that owns the tables (the "owner").
-- The daemon connects as clientd_app and the worker as clientd_worker; both
-- must exist before this runs, and neither owns anything here, so row-level
-- security always applies to them (the policies: sql/functions/tenancy.sql).
--
-- (Before issue 9 this file also defined the functions; a database that
-- applied that version is accepted as having applied this one, see
-- api/src/pq/migrate.c.)
-- ---------------------------------------------------------------------------

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clientd_app') THEN
		RAISE EXCEPTION 'role "clientd_app" does not exist'
		    USING HINT = 'Create the runtime roles first (README, "Running against your own PostgreSQL").';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clientd_worker') THEN
		RAISE EXCEPTION 'role "clientd_worker" does not exist'
		    USING HINT = 'Create the runtime roles first (README, "Running against your own PostgreSQL").';
	END IF;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO clientd_app, clientd_worker;

-- Short, URL-safe, non-sequential public ids: 12 characters of Crockford's
-- base32 (60 random bits from gen_random_uuid(), skipping the version and
-- variant bytes).
CREATE FUNCTION new_public_id() RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL SAFE
    AS $$
DECLARE
	b bytea := uuid_send(gen_random_uuid());
	alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
	idx constant int[] := '{0,1,2,3,4,5,7,9,10,11,12,13}';
	r text := '';
	i int;
BEGIN
	FOREACH i IN ARRAY idx LOOP
		r := r || substr(alphabet, (get_byte(b, i) & 31) + 1, 1);
	END LOOP;
	RETURN r;
END
$$;

-- ---------------------------------------------------------------------------
-- Tenancy and accounts
-- ---------------------------------------------------------------------------

CREATE TABLE companies (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	settings	jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	password_hash	text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	role		text NOT NULL DEFAULT 'member'
			    CHECK (role IN ('owner', 'admin', 'member')),
	permissions	text[] NOT NULL DEFAULT '{}',
	is_active	boolean NOT NULL DEFAULT true,
	last_login_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- One account per email address, so that login needs no company.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE INDEX users_company_idx ON users (company_id);

CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	ip		inet,
	user_agent	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);

CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	prefix		text NOT NULL,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz,
	expires_at	timestamptz,
	revoked_at	timestamptz
);

CREATE INDEX api_tokens_company_idx ON api_tokens (company_id, created_at);

-- Failed logins, per account and per address. Not tenant data: written and
-- read only through the SECURITY DEFINER login functions (functions/auth.sql).
CREATE TABLE login_failures (
	id		bigserial PRIMARY KEY,
	email		text NOT NULL,
	ip		inet,
	at		timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at);

CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- ---------------------------------------------------------------------------
-- Events: every change writes one row in the same transaction. The activity
-- history reads them; webhooks deliver them.
-- ---------------------------------------------------------------------------

CREATE TABLE events (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	type		text NOT NULL,
	entity_type	text NOT NULL,
	entity_id	bigint,
	entity_public_id text,
	client_id	bigint,		-- the client the event concerns, if any
	actor_type	text NOT NULL CHECK (actor_type IN ('user', 'token', 'contact', 'system')),
	actor_id	text,
	actor_name	text,
	changes		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_entity_idx ON events (company_id, entity_type, entity_id, id);

CREATE INDEX events_company_idx ON events (company_id, id);

-- ---------------------------------------------------------------------------
-- Background jobs (clientd-worker) and its heartbeats
-- ---------------------------------------------------------------------------

CREATE TABLE jobs (
	id		bigserial PRIMARY KEY,
	company_id	bigint REFERENCES companies ON DELETE CASCADE,
	kind		text NOT NULL,
	payload		jsonb NOT NULL DEFAULT '{}',
	run_at		timestamptz NOT NULL DEFAULT now(),
	attempts	int NOT NULL DEFAULT 0,
	max_attempts	int NOT NULL DEFAULT 10,
	locked_by	text,
	locked_at	timestamptz,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);

CREATE INDEX jobs_pending_idx ON jobs (run_at) WHERE finished_at IS NULL;

CREATE TABLE worker_heartbeats (
	worker_id	text PRIMARY KEY,
	hostname	text NOT NULL,
	pid		int NOT NULL,
	started_at	timestamptz NOT NULL,
	beat_at		timestamptz NOT NULL,
	beats		bigint NOT NULL DEFAULT 0
);

-- ---------------------------------------------------------------------------
-- Row-level security: every table with a company_id, and companies itself
-- (the policies: sql/functions/tenancy.sql). login_failures has it with no
-- policy: nobody but the owner's functions reads failed logins.
-- ---------------------------------------------------------------------------

ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;

GRANT SELECT, UPDATE (name, settings, updated_at) ON companies TO clientd_app;

-- Not password_hash: the daemon verifies passwords through the definer
-- functions, which hand back only the hash of the account at hand.
GRANT SELECT (id, public_id, company_id, email, name, role, permissions,
    is_active, last_login_at, created_at, updated_at) ON users TO clientd_app;

GRANT UPDATE (name, role, permissions, is_active, updated_at) ON users TO clientd_app;

GRANT SELECT, DELETE ON sessions TO clientd_app;

GRANT SELECT, INSERT, UPDATE (revoked_at, last_used_at) ON api_tokens TO clientd_app;

GRANT USAGE ON SEQUENCE api_tokens_id_seq TO clientd_app;

GRANT SELECT, INSERT ON events TO clientd_app, clientd_worker;

GRANT USAGE ON SEQUENCE events_id_seq TO clientd_app, clientd_worker;

GRANT SELECT, INSERT ON jobs TO clientd_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO clientd_worker;

GRANT USAGE ON SEQUENCE jobs_id_seq TO clientd_app, clientd_worker;

GRANT SELECT, INSERT, UPDATE, DELETE ON worker_heartbeats TO clientd_worker;

GRANT SELECT ON worker_heartbeats TO clientd_app;

-- ---------------------------------------------------------------------------
-- Idempotency-Key: the first response to a POST with a key is kept for 24
-- hours and replayed for the same request; the same key with another
-- request is a conflict (sql/functions/idempotency.sql).
-- ---------------------------------------------------------------------------

CREATE TABLE idempotency_keys (
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	actor		text NOT NULL,
	key		text NOT NULL,
	fingerprint	text NOT NULL,
	status		integer,
	response	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (company_id, actor, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO clientd_app;
