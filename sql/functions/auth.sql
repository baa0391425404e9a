-- ---------------------------------------------------------------------------
-- auth: credentials, permissions, login and its throttling, sessions, and
-- re-authentication. Credentials are looked up before the tenant is known,
-- so these run as the owner (SECURITY DEFINER, PUBLIC may not call them)
-- and hand back only what the daemon needs. auth_begin() also sets the
-- tenant for the rest of the transaction, which is how row-level security
-- costs no extra round trip.
-- ---------------------------------------------------------------------------

-- Sessions end after 8 idle hours or 7 days, whichever comes first. Every
-- request of the API runs this first: one statement finds the credential,
-- its user and the company (issue 12: each statement here costs an
-- executor of its own, per request).
CREATE FUNCTION auth_begin(p_kind text, p_hash bytea, p_permission text)
    RETURNS TABLE (user_public_id text, user_email text, user_name text,
	user_role text, user_permissions json, company_public_id text,
	company_name text, via text, credential_id text, scope text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	v_cred_id bigint;
	v_cred_public text;
	v_touch timestamptz;
	v_user_id bigint;
	v_company_id bigint;
	v_user_public text;
	v_email text;
	v_name text;
	v_role text;
	v_permissions text[];
	v_active boolean;
	v_company_public text;
	v_company_name text;
	v_scope text := 'all';
BEGIN
	IF p_kind = 'session' THEN
		SELECT s.id, s.id::text, s.last_seen_at, u.id, u.company_id, u.public_id,
		    u.email, u.name, u.role, u.permissions, u.is_active, co.public_id, co.name
		INTO v_cred_id, v_cred_public, v_touch, v_user_id, v_company_id, v_user_public,
		    v_email, v_name, v_role, v_permissions, v_active, v_company_public, v_company_name
		FROM sessions s JOIN users u ON u.id = s.user_id
		JOIN companies co ON co.id = u.company_id
		WHERE s.token_hash = p_hash AND s.expires_at > now()
		    AND s.last_seen_at > now() - interval '8 hours';
		IF FOUND AND v_touch < now() - interval '1 minute' THEN
			UPDATE sessions SET last_seen_at = now() WHERE id = v_cred_id;
		END IF;
	ELSIF p_kind = 'token' THEN
		SELECT t.id, t.public_id, t.last_used_at, u.id, u.company_id, u.public_id,
		    u.email, u.name, u.role, u.permissions, u.is_active, co.public_id, co.name
		INTO v_cred_id, v_cred_public, v_touch, v_user_id, v_company_id, v_user_public,
		    v_email, v_name, v_role, v_permissions, v_active, v_company_public, v_company_name
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		JOIN companies co ON co.id = u.company_id
		WHERE t.token_hash = p_hash AND t.revoked_at IS NULL
		    AND (t.expires_at IS NULL OR t.expires_at > now());
		IF FOUND AND (v_touch IS NULL OR v_touch < now() - interval '1 minute') THEN
			UPDATE api_tokens SET last_used_at = now() WHERE id = v_cred_id;
		END IF;
	END IF;

	IF v_cred_id IS NULL OR NOT v_active THEN
		RAISE EXCEPTION 'invalid or expired credentials'
		    USING ERRCODE = 'CD401',
			  HINT = 'Log in again, or send a valid API token.';
	END IF;

	IF p_permission IS NOT NULL THEN
		IF p_permission = 'owner' THEN
			IF v_role <> 'owner' THEN
				v_scope := NULL;
			END IF;
		ELSIF v_role IN ('owner', 'admin') THEN
			v_scope := 'all';
		ELSIF p_permission = 'admin' THEN
			v_scope := NULL;
		ELSIF p_permission = ANY (v_permissions)
		    OR p_permission || '.all' = ANY (v_permissions) THEN
			v_scope := 'all';
		ELSIF p_permission || '.own' = ANY (v_permissions) THEN
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

	PERFORM set_config('app.company_id', v_company_id::text, true),
		set_config('app.user_id', v_user_id::text, true),
		set_config('app.role', v_role, true),
		set_config('app.scope', v_scope, true),
		set_config('app.actor_type', CASE p_kind WHEN 'token' THEN 'token' ELSE 'user' END, true),
		set_config('app.actor_id', CASE p_kind WHEN 'token' THEN v_cred_public ELSE v_user_public END, true),
		set_config('app.actor_name', v_email, true);

	RETURN QUERY SELECT v_user_public, v_email, v_name, v_role,
	    to_json(v_permissions), v_company_public, v_company_name, p_kind,
	    CASE p_kind WHEN 'token' THEN v_cred_public ELSE NULL END, v_scope;
END
$$;
REVOKE ALL ON FUNCTION auth_begin(text, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_begin(text, bytea, text) TO clientd_app;

-- Throttling. Within any 15 minutes an account takes 5 attempts that did
-- not succeed (failed, or still being checked) since its last successful
-- one, and 20 of any outcome; an address 30 that did not succeed and 100
-- of any outcome; past either, further attempts wait until the oldest of
-- them leaves the window. The limits of any outcome stop a client that
-- keeps logging in with the right password (each login makes a session).
-- Rows are never deleted before they leave the window: a success forgets
-- the account's failures by starting later than them, and still counts.
-- Returns the seconds to wait, 0 when an attempt may go ahead.
CREATE FUNCTION login_retry_after(p_email text, p_ip inet) RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	WITH recent AS (
		SELECT at, outcome, lower(email) = lower(p_email) AS mine,
		    p_ip IS NOT NULL AND ip = p_ip AS here
		FROM login_attempts
		WHERE at > now() - interval '15 minutes' AND realm = 'staff'
		    AND (lower(email) = lower(p_email) OR (p_ip IS NOT NULL AND ip = p_ip))),
	forgiven AS (
		SELECT COALESCE(max(at), '-infinity') AS before FROM recent
		WHERE mine AND outcome = 'succeeded'),
	limits (who, failed_only, n) AS (VALUES
		('account', true, 5), ('account', false, 20),
		('address', true, 30), ('address', false, 100))
	SELECT COALESCE(max(w.wait), 0)::int FROM limits l, forgiven f, LATERAL (
		SELECT ceil(extract(epoch FROM min(r.at) + interval '15 minutes' - now())) AS wait
		FROM (SELECT at FROM recent
		      WHERE CASE l.who WHEN 'account' THEN mine ELSE here END
			  AND (NOT l.failed_only OR (outcome <> 'succeeded'
			      AND (l.who = 'address' OR at > f.before)))
		      ORDER BY at DESC LIMIT l.n) r
		HAVING count(*) >= l.n) w
$$;
REVOKE ALL ON FUNCTION login_retry_after(text, inet) FROM PUBLIC;

-- How many more attempts the account may fail before it is paused.
CREATE FUNCTION login_attempts_left(p_email text) RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	WITH recent AS (
		SELECT at, outcome FROM login_attempts
		WHERE lower(email) = lower(p_email) AND realm = 'staff'
		    AND at > now() - interval '15 minutes')
	SELECT GREATEST(0, 5 - count(*))::int FROM recent
	WHERE outcome <> 'succeeded' AND at > COALESCE((SELECT max(at)
	    FROM recent WHERE outcome = 'succeeded'), '-infinity')
$$;
REVOKE ALL ON FUNCTION login_attempts_left(text) FROM PUBLIC;

-- Starts a login: counts the attempt before its password is checked, so
-- that attempts racing each other cannot pass a limit together (they
-- queue on the account's and the address's lock). Returns the attempt,
-- the account's stored hash (NULL when unknown or inactive: the daemon
-- then checks against a dummy, as slowly) and how many failures the
-- account has left after this one; or only retry_after (> 0) when the
-- account or the address is paused, without counting anything.
CREATE FUNCTION login_begin(p_email text, p_ip inet)
    RETURNS TABLE (attempt_id bigint, user_id bigint, password_hash text,
	retry_after int, attempts_left int)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	v_retry int;
	v_attempt bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('login:' || lower(p_email), 0));
	IF p_ip IS NOT NULL THEN
		PERFORM pg_advisory_xact_lock(hashtextextended('login-ip:' || host(p_ip), 0));
	END IF;
	v_retry := login_retry_after(p_email, p_ip);
	IF v_retry > 0 THEN
		RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::text, v_retry, 0;
		RETURN;
	END IF;
	INSERT INTO login_attempts (email, ip) VALUES (left(p_email, 254), p_ip)
	RETURNING id INTO v_attempt;
	RETURN QUERY SELECT v_attempt, u.id, u.password_hash, 0,
	    login_attempts_left(p_email)
	    FROM (SELECT 1) one LEFT JOIN users u
		ON lower(u.email) = lower(p_email) AND u.is_active;
END
$$;
REVOKE ALL ON FUNCTION login_begin(text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_begin(text, inet) TO clientd_app;

-- The attempt's password was wrong: returns the failures the account has
-- left before it is paused.
CREATE FUNCTION login_fail(p_attempt bigint) RETURNS int
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	UPDATE login_attempts SET outcome = 'failed'
	WHERE id = p_attempt AND outcome = 'pending'
	RETURNING login_attempts_left(email)
$$;
REVOKE ALL ON FUNCTION login_fail(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_fail(bigint) TO clientd_app;

-- The attempt succeeded: opens a session and returns what GET /me would
-- show for it. Marking the attempt succeeded forgets the account's earlier
-- failures (login_retry_after()); at most 20 live sessions are kept per
-- user (the least recently used end); p_new_hash is stored when the
-- password's hash was made with older parameters.
CREATE FUNCTION login_succeed(p_attempt bigint, p_user_id bigint, p_ip inet,
    p_hash bytea, p_user_agent text, p_new_hash text)
    RETURNS TABLE (user_public_id text, user_email text,
	user_name text, user_role text, user_permissions json,
	company_public_id text, company_name text, expires_at text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
BEGIN
	UPDATE users SET last_login_at = now(),
	    password_hash = COALESCE(p_new_hash, password_hash)
	WHERE id = p_user_id RETURNING * INTO u;
	UPDATE login_attempts SET outcome = 'succeeded' WHERE id = p_attempt;
	INSERT INTO sessions (company_id, user_id, token_hash, ip, user_agent, expires_at)
	VALUES (u.company_id, u.id, p_hash, p_ip, left(p_user_agent, 256),
	    now() + interval '7 days');
	DELETE FROM sessions WHERE id IN (SELECT id FROM sessions
	    WHERE user_id = u.id ORDER BY last_seen_at DESC, id DESC OFFSET 20);
	RETURN QUERY SELECT u.public_id, u.email, u.name, u.role,
	    to_json(u.permissions), c.public_id, c.name,
	    rfc3339(now() + interval '7 days')
	    FROM companies c WHERE c.id = u.company_id;
END
$$;
REVOKE ALL ON FUNCTION login_succeed(bigint, bigint, inet, bytea, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_succeed(bigint, bigint, inet, bytea, text, text) TO clientd_app;

-- Ends a session: no tenant is needed, the hash is the capability.
CREATE FUNCTION session_end(p_hash bytea) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	WITH d AS (DELETE FROM sessions WHERE token_hash = p_hash RETURNING 1)
	SELECT count(*) > 0 FROM d
$$;
REVOKE ALL ON FUNCTION session_end(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_end(bytea) TO clientd_app;

-- Re-authentication for destructive actions (purge): the signed-in user's
-- own password hash, or a positive retry_after while that account is
-- throttled. Failures count as failed logins of the account.
CREATE FUNCTION reauth_lookup() RETURNS TABLE (password_hash text, retry_after int)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
	v_retry int;
BEGIN
	SELECT * INTO u FROM users WHERE id = app_user_id();
	v_retry := login_retry_after(u.email, NULL);
	IF v_retry > 0 THEN
		RETURN QUERY SELECT NULL::text, v_retry;
	ELSE
		RETURN QUERY SELECT u.password_hash, 0;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION reauth_lookup() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reauth_lookup() TO clientd_app;

CREATE FUNCTION reauth_fail() RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ INSERT INTO login_attempts (email, ip, outcome)
	SELECT email, NULL, 'failed' FROM users WHERE id = app_user_id() $$;
REVOKE ALL ON FUNCTION reauth_fail() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reauth_fail() TO clientd_app;
