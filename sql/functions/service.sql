-- ---------------------------------------------------------------------------
-- service: the state of the service as /readyz and /metrics report it,
-- across companies (the daemon's role sees no company's jobs otherwise):
-- counts and ages only, never a job's contents or its company.
-- ---------------------------------------------------------------------------

-- Jobs waiting to run (not finished, attempts left), how long the oldest
-- due one has waited (0 when none), jobs given up after their last
-- attempt, and the workers that reported within the hour with the age of
-- the newest heartbeat (NULL when none did).
CREATE FUNCTION service_status()
    RETURNS TABLE (jobs_queued bigint, jobs_oldest_age numeric,
	jobs_failed bigint, heartbeat_age numeric, workers bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
	SELECT
	    (SELECT count(*) FROM jobs
	     WHERE finished_at IS NULL AND attempts < max_attempts),
	    COALESCE((SELECT round(extract(epoch FROM now() - min(run_at)), 1)
	     FROM jobs WHERE finished_at IS NULL AND attempts < max_attempts
		 AND run_at <= now()), 0),
	    (SELECT count(*) FROM jobs
	     WHERE finished_at IS NULL AND attempts >= max_attempts),
	    (SELECT round(extract(epoch FROM now() - max(beat_at)), 1)
	     FROM worker_heartbeats WHERE beat_at > now() - interval '1 hour'),
	    (SELECT count(*) FROM worker_heartbeats
	     WHERE beat_at > now() - interval '1 hour')
$$;
REVOKE ALL ON FUNCTION service_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION service_status() TO clientd_app;
