-- ---------------------------------------------------------------------------
-- tokens: API tokens. They act as the user who made them. Members see and
-- revoke their own; owners and admins every token of the company. A token
-- may make tokens only when its user has the explicit permission
-- "tokens.create" (a role does not imply it); what it makes acts as the
-- same user, never outlives it (an expiry no later than its own), and is
-- revoked with it.
-- ---------------------------------------------------------------------------

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

-- The token the request authenticated with, when it did with one.
CREATE FUNCTION token_current() RETURNS api_tokens
    LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT t.* FROM api_tokens t
	WHERE current_setting('app.actor_type', true) = 'token'
	    AND t.public_id = current_setting('app.actor_id', true)
	    AND t.company_id = app_company_id();
END;

CREATE FUNCTION token_create(p_name text, p_prefix text, p_hash bytea,
    p_expires_at timestamptz) RETURNS json
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	t api_tokens%ROWTYPE;
	parent api_tokens%ROWTYPE := token_current();
BEGIN
	IF parent.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users
	    WHERE id = app_user_id() AND 'tokens.create' = ANY (permissions)) THEN
		RAISE EXCEPTION 'permission denied'
		    USING ERRCODE = 'CD403',
			  DETAIL = 'An API token may create tokens only when its user has the "tokens.create" permission.',
			  HINT = 'Create the token while signed in, or ask an owner to grant the permission.';
	END IF;
	IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
		RAISE EXCEPTION 'expiry time must be in the future'
		    USING ERRCODE = 'CD422', COLUMN = 'expires_at';
	END IF;
	IF parent.expires_at IS NOT NULL THEN
		IF p_expires_at > parent.expires_at THEN
			RAISE EXCEPTION 'expiry time is later than the creating token''s'
			    USING ERRCODE = 'CD422', COLUMN = 'expires_at',
				  DETAIL = format('The token making it expires at %s; a token never outlives the one that made it.',
				      rfc3339(parent.expires_at));
		END IF;
		p_expires_at := COALESCE(p_expires_at, parent.expires_at);
	END IF;
	IF (SELECT count(*) FROM api_tokens WHERE user_id = app_user_id()
	    AND revoked_at IS NULL) >= 100 THEN
		RAISE EXCEPTION 'too many API tokens'
		    USING ERRCODE = 'CD409',
			  DETAIL = 'A user may hold at most 100 active tokens.',
			  HINT = 'Revoke tokens that are no longer used.';
	END IF;
	INSERT INTO api_tokens (company_id, user_id, name, prefix, token_hash,
	    expires_at, parent_id)
	VALUES (app_company_id(), app_user_id(), p_name, p_prefix, p_hash,
	    p_expires_at, parent.id)
	RETURNING * INTO t;
	PERFORM event_add('token.created', 'token', t.id, t.public_id,
	    jsonb_build_object('name', jsonb_build_object('before', NULL, 'after', t.name),
		'expires_at', jsonb_build_object('before', NULL, 'after', rfc3339(t.expires_at))));
	RETURN token_json(t);
END
$$;

-- Revokes a token and every token it made, and those they made; one event
-- per revoked token.
CREATE FUNCTION token_revoke(p_id text) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
	t api_tokens%ROWTYPE;
BEGIN
	SELECT * INTO t FROM api_tokens
	WHERE public_id = p_id AND revoked_at IS NULL
	    AND company_id = app_company_id()
	    AND (app_is_admin() OR user_id = app_user_id());
	IF NOT FOUND THEN
		RAISE EXCEPTION 'token not found'
		    USING ERRCODE = 'CD404',
			  DETAIL = format('No active token has the id "%s".', p_id);
	END IF;
	FOR t IN WITH RECURSIVE made (id) AS (
		SELECT t.id
		UNION
		SELECT k.id FROM api_tokens k JOIN made m ON k.parent_id = m.id
		WHERE k.company_id = app_company_id())
	    UPDATE api_tokens SET revoked_at = now()
	    WHERE id IN (SELECT id FROM made) AND revoked_at IS NULL
	    RETURNING * LOOP
		PERFORM event_add('token.revoked', 'token', t.id, t.public_id,
		    jsonb_build_object('revoked_at', jsonb_build_object('before', NULL,
			'after', rfc3339(t.revoked_at))));
	END LOOP;
END
$$;
