-- ---------------------------------------------------------------------------
-- auth: credentials, permissions, login and its throttling, sessions, and
-- re-authentication. Credentials are looked up before the tenant is known,
-- so these run as the owner (SECURITY DEFINER, PUBLIC may not call them)
-- and hand back only what the daemon needs. auth_begin() also sets the
-- tenant for the rest of the transaction, which is how row-level security
-- costs no extra round trip.
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
REVOKE ALL ON FUNCTION auth_begin(text, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_begin(text, bytea, text) TO clientd_app;

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
REVOKE ALL ON FUNCTION login_retry_after(text, inet) FROM PUBLIC;

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
REVOKE ALL ON FUNCTION login_lookup(text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_lookup(text, inet) TO clientd_app;

CREATE FUNCTION login_fail(p_email text, p_ip inet) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ INSERT INTO login_failures (email, ip) VALUES (left(p_email, 254), p_ip) $$;
REVOKE ALL ON FUNCTION login_fail(text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_fail(text, inet) TO clientd_app;

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
REVOKE ALL ON FUNCTION login_succeed(bigint, inet, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_succeed(bigint, inet, bytea, text) TO clientd_app;

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
    AS $$ INSERT INTO login_failures (email, ip)
	SELECT email, NULL FROM users WHERE id = app_user_id() $$;
REVOKE ALL ON FUNCTION reauth_fail() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reauth_fail() TO clientd_app;
