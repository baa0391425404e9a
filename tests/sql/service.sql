-- pgTAP: sql/functions/service.sql (what /readyz and /metrics read).
BEGIN;
\ir lib/fixture.psql
SELECT plan(8);

DELETE FROM jobs;
DELETE FROM worker_heartbeats;
SET LOCAL ROLE clientd_app;
SELECT is((SELECT row(jobs_queued, jobs_oldest_age, jobs_failed, heartbeat_age, workers)::text
    FROM service_status()), '(0,0,0,,0)',
    'service-1.1: nothing queued, no worker: zeros and no heartbeat age (not a made-up 0)');
RESET ROLE;
INSERT INTO jobs (company_id, kind, run_at, attempts, max_attempts, finished_at) VALUES
	(901, 'a', now() - interval '90 seconds', 0, 10, NULL),
	(902, 'b', now() - interval '30 seconds', 3, 10, NULL),
	(901, 'c', now() + interval '1 hour', 0, 10, NULL),
	(901, 'd', now() - interval '2 days', 10, 10, NULL),
	(902, 'e', now() - interval '3 days', 1, 10, now());
INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, beat_at) VALUES
	('w1', 'h', 1, now() - interval '1 hour', now() - interval '12 seconds'),
	('w2', 'h', 2, now() - interval '1 hour', now() - interval '45 seconds'),
	('w3', 'h', 3, now() - interval '9 hours', now() - interval '2 hours');
SET LOCAL ROLE clientd_app;
SELECT tap.none();
SELECT is((SELECT jobs_queued FROM service_status()), 3::bigint,
    'service-2.1: every company''s waiting jobs count, a later one too, with no tenant set');
SELECT is((SELECT jobs_oldest_age FROM service_status()), 90.0,
    'service-2.2: the oldest due job''s wait (the one not yet due does not count)');
SELECT is((SELECT jobs_failed FROM service_status()), 1::bigint,
    'service-2.3: a job out of attempts counts as failed, not queued');
SELECT is((SELECT heartbeat_age FROM service_status()), 12.0,
    'service-2.4: the newest heartbeat''s age');
SELECT is((SELECT workers FROM service_status()), 2::bigint,
    'service-2.5: workers seen within the hour');
SELECT is((SELECT count(*) FROM jobs), 0::bigint,
    'service-3.1: (twin) the daemon''s role itself sees no job without a tenant');
RESET ROLE;
SELECT ok(NOT has_function_privilege('clientd_worker', 'service_status()', 'EXECUTE'),
    'service-3.2: only the daemon''s role runs it');

SELECT * FROM finish();
ROLLBACK;
