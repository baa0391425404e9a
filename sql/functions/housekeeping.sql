-- ---------------------------------------------------------------------------
-- housekeeping: what the worker deletes on a timer.
-- ---------------------------------------------------------------------------

-- Housekeeping the worker runs on a timer: expired sessions, old failed
-- login attempts, idempotency keys past their 24 hours, webhook
-- deliveries finished 30 days ago (webhook_prune(), webhooks.sql).
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
	DELETE FROM login_attempts WHERE at < now() - interval '1 day';
	GET DIAGNOSTICS m = ROW_COUNT;
	DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
	GET DIAGNOSTICS k = ROW_COUNT;
	-- The portal's sessions and links, and expired secrets in mail.
	RETURN n + m + k + webhook_prune() + portal_housekeeping();
END
$$;
REVOKE ALL ON FUNCTION housekeeping() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION housekeeping() TO clientd_worker;
