-- ---------------------------------------------------------------------------
-- 0001_foundation: tenancy, accounts, sessions, API tokens, login throttling,
-- the event log, the job queue and worker heartbeats.
--
-- Roles. Migrations run as the role that owns the tables (the "owner").
-- The daemon connects as clientd_app and the worker as clientd_worker; both
-- must exist before this runs, and neither owns anything here, so row-level
-- security always applies to them. Tenant tables are scoped by the
-- transaction-local setting app.company_id, which the daemon sets through
-- auth_begin() in the same pipeline as the request's own statements.
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

-- The tenant of the current transaction, or NULL when none is set (the
-- setting reads back as '' once a transaction that set it has ended).
CREATE FUNCTION app_company_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT NULLIF(current_setting('app.company_id', true), '')::bigint;
END;

CREATE FUNCTION app_user_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT NULLIF(current_setting('app.user_id', true), '')::bigint;
END;

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

-- RFC 3339 in UTC with microseconds, the API's one time format.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
END;

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
-- read only through the SECURITY DEFINER login functions below.
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

-- Writes an event for the current tenant and actor (set by auth_begin()).
CREATE FUNCTION event_add(p_type text, p_entity_type text, p_entity_id bigint,
    p_entity_public_id text, p_changes jsonb, p_client_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE sql VOLATILE
    AS $$
	INSERT INTO events (company_id, type, entity_type, entity_id,
	    entity_public_id, client_id, actor_type, actor_id, actor_name, changes)
	VALUES (app_company_id(), p_type, p_entity_type, p_entity_id,
	    p_entity_public_id, p_client_id,
	    COALESCE(NULLIF(current_setting('app.actor_type', true), ''), 'system'),
	    NULLIF(current_setting('app.actor_id', true), ''),
	    NULLIF(current_setting('app.actor_name', true), ''),
	    COALESCE(p_changes, '{}'))
	RETURNING id
$$;

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
-- Authentication. Credentials are looked up before the tenant is known, so
-- these run as the owner (SECURITY DEFINER) and hand back only what the
-- daemon needs. auth_begin() also sets the tenant for the rest of the
-- transaction, which is how RLS costs no extra round trip.
-- ---------------------------------------------------------------------------

-- Sessions end after 8 idle hours or 7 days, whichever comes first.
CREATE FUNCTION auth_begin(p_kind text, p_hash bytea, p_permission text)
    RETURNS TABLE (user_public_id text, user_email text, user_name text,
	user_role text, user_permissions json, company_public_id text,
	company_name text, via text, credential_id text, scope text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
	c companies%ROWTYPE;
	v_cred_id bigint;
	v_cred_public text;
	v_touch timestamptz;
	v_scope text := 'all';
BEGIN
	IF p_kind = 'session' THEN
		SELECT s.id, s.id::text, s.last_seen_at INTO v_cred_id, v_cred_public, v_touch
		FROM sessions s
		WHERE s.token_hash = p_hash AND s.expires_at > now()
		    AND s.last_seen_at > now() - interval '8 hours';
		IF FOUND AND v_touch < now() - interval '1 minute' THEN
			UPDATE sessions SET last_seen_at = now() WHERE id = v_cred_id;
		END IF;
		SELECT * INTO u FROM users WHERE id = (SELECT user_id FROM sessions WHERE id = v_cred_id);
	ELSIF p_kind = 'token' THEN
		SELECT t.id, t.public_id, t.last_used_at INTO v_cred_id, v_cred_public, v_touch
		FROM api_tokens t
		WHERE t.token_hash = p_hash AND t.revoked_at IS NULL
		    AND (t.expires_at IS NULL OR t.expires_at > now());
		IF FOUND AND (v_touch IS NULL OR v_touch < now() - interval '1 minute') THEN
			UPDATE api_tokens SET last_used_at = now() WHERE id = v_cred_id;
		END IF;
		SELECT * INTO u FROM users WHERE id = (SELECT user_id FROM api_tokens WHERE id = v_cred_id);
	END IF;

	IF v_cred_id IS NULL OR u.id IS NULL OR NOT u.is_active THEN
		RAISE EXCEPTION 'invalid or expired credentials'
		    USING ERRCODE = 'CD401',
			  HINT = 'Log in again, or send a valid API token.';
	END IF;
	SELECT * INTO c FROM companies WHERE id = u.company_id;

	IF p_permission IS NOT NULL THEN
		IF p_permission = 'owner' THEN
			IF u.role <> 'owner' THEN
				v_scope := NULL;
			END IF;
		ELSIF u.role IN ('owner', 'admin') THEN
			v_scope := 'all';
		ELSIF p_permission = 'admin' THEN
			v_scope := NULL;
		ELSIF p_permission = ANY (u.permissions)
		    OR p_permission || '.all' = ANY (u.permissions) THEN
			v_scope := 'all';
		ELSIF p_permission || '.own' = ANY (u.permissions) THEN
			v_scope := 'own';
		ELSE
			v_scope := NULL;
		END IF;
		IF v_scope IS NULL THEN
			RAISE EXCEPTION 'permission denied'
			    USING ERRCODE = 'CD403',
				  DETAIL = format('This action needs the "%s" permission.', p_permission),
				  HINT = 'Ask an owner or admin of the company to grant it.';
		END IF;
	END IF;

	PERFORM set_config('app.company_id', u.company_id::text, true),
		set_config('app.user_id', u.id::text, true),
		set_config('app.role', u.role, true),
		set_config('app.scope', v_scope, true),
		set_config('app.actor_type', CASE p_kind WHEN 'token' THEN 'token' ELSE 'user' END, true),
		set_config('app.actor_id', CASE p_kind WHEN 'token' THEN v_cred_public ELSE u.public_id END, true),
		set_config('app.actor_name', u.email, true);

	RETURN QUERY SELECT u.public_id, u.email, u.name, u.role,
	    to_json(u.permissions), c.public_id, c.name, p_kind,
	    CASE p_kind WHEN 'token' THEN v_cred_public ELSE NULL END, v_scope;
END
$$;

-- Throttling: 5 failures per account or 30 per address within 15 minutes
-- lock further attempts until the oldest of them leaves the window.
CREATE FUNCTION login_retry_after(p_email text, p_ip inet) RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT GREATEST(
	    COALESCE((SELECT ceil(extract(epoch FROM min(at) + interval '15 minutes' - now()))::int
		FROM (SELECT at FROM login_failures
		      WHERE lower(email) = lower(p_email) AND at > now() - interval '15 minutes'
		      ORDER BY at DESC LIMIT 5) f
		HAVING count(*) >= 5), 0),
	    COALESCE((SELECT ceil(extract(epoch FROM min(at) + interval '15 minutes' - now()))::int
		FROM (SELECT at FROM login_failures
		      WHERE p_ip IS NOT NULL AND ip = p_ip AND at > now() - interval '15 minutes'
		      ORDER BY at DESC LIMIT 30) f
		HAVING count(*) >= 30), 0))
$$;

-- The stored hash for an email (NULL when unknown or inactive), or a
-- positive retry_after when the account or the address is throttled.
CREATE FUNCTION login_lookup(p_email text, p_ip inet)
    RETURNS TABLE (user_id bigint, password_hash text, retry_after int)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	v_retry int := login_retry_after(p_email, p_ip);
BEGIN
	IF v_retry > 0 THEN
		RETURN QUERY SELECT NULL::bigint, NULL::text, v_retry;
		RETURN;
	END IF;
	RETURN QUERY SELECT u.id, u.password_hash, 0
	    FROM users u WHERE lower(u.email) = lower(p_email) AND u.is_active;
	IF NOT FOUND THEN
		RETURN QUERY SELECT NULL::bigint, NULL::text, 0;
	END IF;
END
$$;

CREATE FUNCTION login_fail(p_email text, p_ip inet) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ INSERT INTO login_failures (email, ip) VALUES (left(p_email, 254), p_ip) $$;

-- Opens a session and returns what GET /me would show for it.
CREATE FUNCTION login_succeed(p_user_id bigint, p_ip inet, p_hash bytea,
    p_user_agent text) RETURNS TABLE (user_public_id text, user_email text,
	user_name text, user_role text, user_permissions json,
	company_public_id text, company_name text, expires_at text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
BEGIN
	UPDATE users SET last_login_at = now() WHERE id = p_user_id RETURNING * INTO u;
	DELETE FROM login_failures WHERE lower(email) = lower(u.email);
	INSERT INTO sessions (company_id, user_id, token_hash, ip, user_agent, expires_at)
	VALUES (u.company_id, u.id, p_hash, p_ip, left(p_user_agent, 256),
	    now() + interval '7 days');
	RETURN QUERY SELECT u.public_id, u.email, u.name, u.role,
	    to_json(u.permissions), c.public_id, c.name,
	    rfc3339(now() + interval '7 days')
	    FROM companies c WHERE c.id = u.company_id;
END
$$;

-- Ends a session: no tenant is needed, the hash is the capability.
CREATE FUNCTION session_end(p_hash bytea) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	WITH d AS (DELETE FROM sessions WHERE token_hash = p_hash RETURNING 1)
	SELECT count(*) > 0 FROM d
$$;

REVOKE ALL ON FUNCTION auth_begin(text, bytea, text), login_retry_after(text, inet),
    login_lookup(text, inet), login_fail(text, inet),
    login_succeed(bigint, inet, bytea, text), session_end(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_begin(text, bytea, text), login_lookup(text, inet),
    login_fail(text, inet), login_succeed(bigint, inet, bytea, text),
    session_end(bytea) TO clientd_app;

-- ---------------------------------------------------------------------------
-- Row-level security: every table with a company_id, and companies itself.
-- ---------------------------------------------------------------------------

ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON companies USING (id = app_company_id());

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'sessions', 'api_tokens', 'events', 'jobs'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON %I USING (company_id = app_company_id()) '
		    'WITH CHECK (company_id = app_company_id())', t);
	END LOOP;
END
$$;
-- No policy: nobody but the owner's functions reads failed logins.
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;

-- The worker claims jobs of every tenant, then sets the job's tenant for
-- the work itself.
CREATE POLICY worker_claim ON jobs TO clientd_worker USING (true) WITH CHECK (true);

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
GRANT EXECUTE ON FUNCTION event_add(text, text, bigint, text, jsonb, bigint) TO clientd_app, clientd_worker;

-- ---------------------------------------------------------------------------
-- Idempotency-Key
-- ---------------------------------------------------------------------------

-- Idempotency-Key: the first response to a POST with a key is kept for 24
-- hours and replayed for the same request; the same key with another
-- request is a conflict.
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

-- Claims p_key for this request. Raises CDRPL with the stored response
-- (DETAIL) and status (HINT) when the same request was answered before,
-- and 409 when the key was used for another request.
CREATE FUNCTION idem_begin(p_key text, p_fingerprint text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	r idempotency_keys%ROWTYPE;
	v_actor text := COALESCE(current_setting('app.actor_id', true), '');
BEGIN
	IF p_key IS NULL THEN
		RETURN;
	END IF;
	-- Waits for a concurrent request with the same key to finish.
	INSERT INTO idempotency_keys (company_id, actor, key, fingerprint)
	VALUES (app_company_id(), v_actor, p_key, p_fingerprint)
	ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO r FROM idempotency_keys WHERE company_id = app_company_id()
	    AND actor = v_actor AND key = p_key FOR UPDATE;
	IF r.created_at < now() - interval '24 hours' THEN
		UPDATE idempotency_keys SET fingerprint = p_fingerprint, status = NULL,
		    response = NULL, created_at = now()
		WHERE company_id = r.company_id AND actor = r.actor AND key = r.key;
		RETURN;
	END IF;
	IF r.fingerprint <> p_fingerprint THEN
		RAISE EXCEPTION 'idempotency key was already used for a different request'
		    USING ERRCODE = 'CD409',
			  DETAIL = format('Key "%s" was first used %s.', p_key, rfc3339(r.created_at)),
			  HINT = 'Use a new key for a new request.';
	END IF;
	RAISE EXCEPTION 'replay' USING ERRCODE = 'CDRPL', DETAIL = r.response,
	    HINT = r.status::text;
END
$$;

-- Stores the response of the request that claimed p_key; returns it.
CREATE FUNCTION idem_store(p_key text, p_status int, p_response json) RETURNS json
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF p_key IS NOT NULL THEN
		UPDATE idempotency_keys SET status = p_status, response = p_response::text
		WHERE company_id = app_company_id()
		    AND actor = COALESCE(current_setting('app.actor_id', true), '')
		    AND key = p_key;
	END IF;
	RETURN p_response;
END
$$;

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON idempotency_keys USING (company_id = app_company_id())
    WITH CHECK (company_id = app_company_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO clientd_app;

-- Housekeeping the worker runs on a timer: expired sessions, old failed
-- logins, idempotency keys past their 24 hours.
CREATE FUNCTION housekeeping() RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	n int;
	m int;
	k int;
BEGIN
	DELETE FROM sessions WHERE expires_at < now()
	    OR last_seen_at < now() - interval '8 hours';
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM login_failures WHERE at < now() - interval '1 day';
	GET DIAGNOSTICS m = ROW_COUNT;
	DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
	GET DIAGNOSTICS k = ROW_COUNT;
	RETURN n + m + k;
END
$$;
REVOKE ALL ON FUNCTION housekeeping() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION housekeeping() TO clientd_worker;

-- ---------------------------------------------------------------------------
-- API tokens. They act as the user who made them. Members see and revoke
-- their own; owners and admins every token of the company.
-- ---------------------------------------------------------------------------

CREATE FUNCTION app_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT COALESCE(current_setting('app.role', true), '') IN ('owner', 'admin');
END;

CREATE FUNCTION token_json(t api_tokens) RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN (SELECT json_build_object('id', t.public_id, 'name', t.name,
	    'prefix', t.prefix,
	    'user', json_build_object('id', u.public_id, 'email', u.email),
	    'created_at', rfc3339(t.created_at),
	    'last_used_at', rfc3339(t.last_used_at),
	    'expires_at', rfc3339(t.expires_at))
	FROM users u WHERE u.id = t.user_id);
END
$$;

CREATE FUNCTION token_create(p_name text, p_prefix text, p_hash bytea,
    p_expires_at timestamptz) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	t api_tokens%ROWTYPE;
BEGIN
	IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
		RAISE EXCEPTION 'expiry time must be in the future'
		    USING ERRCODE = 'CD422', COLUMN = 'expires_at';
	END IF;
	IF (SELECT count(*) FROM api_tokens WHERE user_id = app_user_id()
	    AND revoked_at IS NULL) >= 100 THEN
		RAISE EXCEPTION 'too many API tokens'
		    USING ERRCODE = 'CD409',
			  DETAIL = 'A user may hold at most 100 active tokens.',
			  HINT = 'Revoke tokens that are no longer used.';
	END IF;
	INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash, expires_at)
	VALUES (app_company_id(), app_user_id(), p_name, p_prefix, p_hash, p_expires_at)
	RETURNING * INTO t;
	PERFORM event_add('token.created', 'token', t.id, t.public_id,
	    jsonb_build_object('name', jsonb_build_object('before', NULL, 'after', t.name),
		'expires_at', jsonb_build_object('before', NULL, 'after', rfc3339(t.expires_at))));
	RETURN token_json(t);
END
$$;

CREATE FUNCTION token_revoke(p_id text) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	t api_tokens%ROWTYPE;
BEGIN
	UPDATE api_tokens SET revoked_at = now()
	WHERE public_id = p_id AND revoked_at IS NULL
	    AND company_id = app_company_id()
	    AND (app_is_admin() OR user_id = app_user_id())
	RETURNING * INTO t;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'token not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No active token has the id "%s".', p_id);
	END IF;
	PERFORM event_add('token.revoked', 'token', t.id, t.public_id,
	    jsonb_build_object('revoked_at', jsonb_build_object('before', NULL,
		'after', rfc3339(t.revoked_at))));
END
$$;
