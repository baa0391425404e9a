-- ---------------------------------------------------------------------------
-- tokens: API tokens. They act as the user who made them. Members see and
-- revoke their own; owners and admins every token of the company.
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
