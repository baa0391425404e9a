-- ---------------------------------------------------------------------------
-- users: the people who sign in to the admin portal, as the company's
-- other users see them (GET /users: whom a client can be assigned to) and
-- as each one sees and changes their own account (GET and PATCH /profile,
-- POST /profile/password).
--
-- Accounts are made with `clientd create-user`. The daemon hashes and
-- verifies passwords (core/password.c, argon2id); the app role may neither
-- read nor write password_hash: a new hash is stored only through
-- user_password_set(), for the signed-in user, after the daemon checked
-- the current password (reauth_lookup() in auth.sql).
-- ---------------------------------------------------------------------------

-- A user as the company's users see one (the app may not read the whole
-- row: password_hash is not granted, so the columns are named).
CREATE FUNCTION user_json(p_public_id text, p_name text, p_email text,
    p_role text) RETURNS json
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN json_build_object('id', p_public_id, 'name', p_name,
	'email', p_email, 'role', p_role);

-- The signed-in user's own account, as GET /profile shows it.
CREATE FUNCTION profile_get() RETURNS json
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	r json;
BEGIN
	SELECT json_build_object('id', u.public_id, 'email', u.email, 'name', u.name,
	    'role', u.role, 'permissions', to_json(u.permissions),
	    'created_at', rfc3339(u.created_at), 'last_login_at', rfc3339(u.last_login_at))
	INTO r FROM users u WHERE u.id = app_user_id() AND u.company_id = app_company_id();
	IF r IS NULL THEN
		RAISE EXCEPTION 'no signed-in user' USING ERRCODE = 'CD401';
	END IF;
	RETURN r;
END
$$;

-- PATCH /profile: the signed-in user's name ("" for none: the email then
-- stands for it). One user.updated event when it changes.
CREATE FUNCTION profile_update(p_name text) RETURNS json
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id bigint;
	v_public text;
	v_old text;
BEGIN
	SELECT u.id, u.public_id, u.name INTO v_id, v_public, v_old FROM users u
	WHERE u.id = app_user_id() AND u.company_id = app_company_id() FOR UPDATE;
	IF v_id IS NULL THEN
		RAISE EXCEPTION 'no signed-in user' USING ERRCODE = 'CD401';
	END IF;
	IF v_old IS DISTINCT FROM COALESCE(p_name, '') THEN
		UPDATE users SET name = COALESCE(p_name, ''), updated_at = now() WHERE id = v_id;
		PERFORM event_add('user.updated', 'user', v_id, v_public,
		    jsonb_build_object('name', jsonb_build_object('before', v_old,
			'after', COALESCE(p_name, ''))));
	END IF;
	RETURN profile_get();
END
$$;

-- POST /profile/password, once the daemon has checked the current password
-- and hashed the new one: stores p_hash (argon2id, the table's CHECK says)
-- for the signed-in user, signs out every other session of theirs (all of
-- them but the one whose token hash is p_keep; NULL ends them all, as for
-- a change made with an API token) and forgives their failed logins, as a
-- successful login does (a succeeded attempt, later than them: auth.sql). API tokens keep working. Returns how many
-- sessions ended.
CREATE FUNCTION user_password_set(p_hash text, p_keep bytea) RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
	u users%ROWTYPE;
	n int;
BEGIN
	SELECT * INTO u FROM users WHERE id = app_user_id()
	    AND company_id = app_company_id() AND is_active FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no signed-in user' USING ERRCODE = 'CD401';
	END IF;
	UPDATE users SET password_hash = p_hash, updated_at = now() WHERE id = u.id;
	DELETE FROM sessions WHERE user_id = u.id AND token_hash IS DISTINCT FROM p_keep;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO login_attempts (email, outcome, realm)
	    VALUES (u.email, 'succeeded', 'staff');
	PERFORM event_add('user.password_changed', 'user', u.id, u.public_id,
	    jsonb_build_object('sessions_ended', jsonb_build_object('before', NULL, 'after', n)));
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION user_password_set(text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION user_password_set(text, bytea) TO clientd_app;
