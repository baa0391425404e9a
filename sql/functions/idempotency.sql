-- ---------------------------------------------------------------------------
-- idempotency: Idempotency-Key. The first response to a POST with a key is
-- kept for 24 hours (idempotency_keys, 0001) and replayed for the same
-- request; the same key with another request is a conflict. housekeeping()
-- removes keys past their 24 hours.
-- ---------------------------------------------------------------------------

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
