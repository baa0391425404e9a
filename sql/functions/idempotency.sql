-- ---------------------------------------------------------------------------
-- idempotency: Idempotency-Key. The first response to a POST with a key is
-- kept for 24 hours (idempotency_keys, 0001) and replayed for the same
-- request; the same key with another request is a conflict. housekeeping()
-- removes keys past their 24 hours.
-- ---------------------------------------------------------------------------

-- Claims p_key for this request's transaction and says whether the
-- request is a replay, as data (one row):
--
--   a new key, or one past its 24 hours: replayed is false, and the
--     request's writing statement, guarded by idem_fresh(), runs and keeps
--     its response with idem_store();
--   the same request again (same fingerprint): replayed is true with the
--     stored status and response, and idem_fresh() is false for the rest
--     of the transaction, so the writing statement does nothing and the
--     daemon sends the stored answer (core/idempotency.c);
--   the same key with another request: 409.
--
-- A concurrent request with the same key waits for the first to finish
-- (the INSERT's conflict), then replays it or, if it rolled back, claims
-- the key itself. Without a key (NULL) nothing is claimed.
CREATE FUNCTION idem_begin(p_key text, p_fingerprint text,
    OUT replayed boolean, OUT status int, OUT response text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	r idempotency_keys%ROWTYPE;
	v_actor text := COALESCE(current_setting('app.actor_id', true), '');
BEGIN
	replayed := false;
	PERFORM set_config('app.idem', 'fresh', true);
	IF p_key IS NULL THEN
		RETURN;
	END IF;
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
	-- A committed claim always holds its answer: the writing statement
	-- stores it in the claim's own transaction.
	IF r.status IS NULL OR r.response IS NULL THEN
		RAISE EXCEPTION 'idempotency key % has no stored response', p_key;
	END IF;
	PERFORM set_config('app.idem', 'replay', true);
	replayed := true;
	status := r.status;
	response := r.response;
END
$$;

-- Whether the request's writing statement should run: false only after
-- idem_begin() found the request to be a replay. The daemon's writing
-- statements use it as a one-time filter, evaluated before their select
-- list (IDEMPOTENCY_WRITE in core/idempotency.h).
CREATE FUNCTION idem_fresh() RETURNS boolean
    LANGUAGE sql STABLE
    RETURN current_setting('app.idem', true) IS DISTINCT FROM 'replay';

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
