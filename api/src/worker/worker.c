/*
 * clientd-worker: runs background jobs from the jobs table.
 *
 * Jobs are claimed with FOR UPDATE SKIP LOCKED, so any number of workers
 * on any number of machines share one queue, and a job survives restarts:
 * the claim also takes a session advisory lock on the job, held until the
 * job ends, so a job whose worker died (its session with it) is claimed
 * again at once, and one whose worker lives never is, however long it
 * runs. A failed job is retried with exponential backoff until it has
 * used its max_attempts. New jobs are announced with NOTIFY clientd_jobs;
 * the worker also polls, so a lost notification only delays a job.
 *
 * Most jobs run in one transaction the worker opens for them; a job that
 * manages its own (an import, worker/job_import.c) gets the connection
 * outside any, and may give its claim back when the worker stops.
 *
 * Alongside jobs the worker writes a heartbeat row every 10 seconds (read
 * by /readyz) and runs housekeeping() every 5 minutes. It never exits on
 * a job's error or a lost database; SIGTERM or SIGINT stop it cleanly.
 *
 * Webhook deliveries run beside the jobs, in a loop of their own with its
 * own connection (worker/webhooks.c): slow receivers never hold up jobs,
 * and long jobs never hold up deliveries.
 *
 * Environment: CLIENTD_DATABASE_URL (as clientd_worker); the webhook
 * settings are listed in worker/webhooks.c.
 * Mail goes out as jobs (worker/mailer.c, its settings listed there).
 */
#include <sys/select.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "core/crypto.h"
#include "core/health.h"
#include "pq/pq.h"
#include "worker/webhooks.h"
#include "worker/job_import.h"
#include "worker/mailer.h"

#define HOUSEKEEPING_EVERY 300
#define POLL_EVERY	   5

struct job {
	const char *id;
	const char *kind;
	const char *payload;
	const char *company_id;
	int	    last_attempt;
};

/* A job's outcome (job_import.h's values). */
#define JOB_DONE    0
#define JOB_FAILED  (-1)
#define JOB_RELEASE 1

static int job_heartbeat(PGconn *, const struct job *, char *, size_t);
static int job_import(PGconn *, const struct job *, char *, size_t);
static int job_mail(PGconn *, const struct job *, char *, size_t);

/*
 * The kinds of job. own_tx: the job opens and ends its transactions
 * itself; the others run in one the worker opens (with the job's tenant
 * set) and commits with the job marked done.
 */
static const struct {
	const char *kind;
	int (*run)(PGconn *, const struct job *, char *, size_t);
	int own_tx;
} job_kinds[] = {
	{ "heartbeat", job_heartbeat, 0 }, { "import", job_import, 1 },
	{ "mail", job_mail, 0 }, /* worker/mailer.c */
};

/* clang-format off */
static const char sql_beat[] =
    "INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, "
    "    beat_at) VALUES ($1, $2, $3::int, $4::timestamptz, now()) "
    "ON CONFLICT (worker_id) DO UPDATE SET beat_at = now(), "
    "    beats = worker_heartbeats.beats + 1";

static const char sql_unbeat[] =
    "DELETE FROM worker_heartbeats WHERE worker_id = $1";

/*
 * The advisory lock of job id: class 20260 ("jobs"), the id modulo 2^31.
 * A job is free when nobody holds it: never claimed, or claimed by a
 * worker whose session has ended.
 */
#define JOB_LOCK "20260, (id % 2147483647)::int"

static const char sql_claim[] =
    "UPDATE jobs SET locked_by = $1, locked_at = now(), "
    "    attempts = attempts + 1 "
    "WHERE id = (SELECT j.id FROM jobs j WHERE j.finished_at IS NULL "
    "    AND j.run_at <= now() AND j.attempts < j.max_attempts "
    "    AND (j.locked_by IS NULL OR NOT EXISTS (SELECT 1 FROM pg_locks l "
    "        WHERE l.locktype = 'advisory' AND l.classid = 20260 "
    "        AND l.objid = (j.id % 2147483647)::oid AND l.objsubid = 2 "
    "        AND l.database = (SELECT oid FROM pg_database "
    "            WHERE datname = current_database()))) "
    "    ORDER BY j.run_at, j.id FOR UPDATE SKIP LOCKED LIMIT 1) "
    "AND pg_try_advisory_lock(" JOB_LOCK ") "
    "RETURNING id, kind, payload::text, company_id, "
    "    attempts >= max_attempts AS last_attempt";

static const char sql_tenant[] =
    "SELECT set_config('app.company_id', COALESCE($1, ''), true), "
    "    set_config('app.actor_type', 'system', true), "
    "    set_config('app.actor_name', 'clientd-worker', true)";

static const char sql_done[] =
    "UPDATE jobs SET finished_at = now(), locked_by = NULL, "
    "    last_error = NULL WHERE id = $1::bigint "
    "RETURNING pg_advisory_unlock(" JOB_LOCK ")";

static const char sql_failed[] =
    "UPDATE jobs SET locked_by = NULL, locked_at = NULL, last_error = $2, "
    "    run_at = now() + least(interval '1 hour', "
    "        interval '5 seconds' * power(2, attempts)) "
    "WHERE id = $1::bigint "
    "RETURNING pg_advisory_unlock(" JOB_LOCK ")";

/* A job given back when the worker stops: the try does not count. */
static const char sql_release[] =
    "UPDATE jobs SET locked_by = NULL, locked_at = NULL, "
    "    attempts = greatest(attempts - 1, 0) WHERE id = $1::bigint "
    "RETURNING pg_advisory_unlock(" JOB_LOCK ")";
/* clang-format on */

static volatile sig_atomic_t stopping;
static const char	    *database_url;
static char		     worker_id[128];
static char		     hostname[64];
static char		     started_at[64];

static void
wlog(const char *fmt, ...)
{
	va_list	  ap;
	time_t	  now;
	struct tm tm;
	char	  ts[32];

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s clientd-worker[%d]: ", ts, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void
on_signal(int sig)
{
	stopping = 1;
	webhooks_wake();
}

static int
job_heartbeat(PGconn *conn, const struct job *j, char *err, size_t len)
{
	char	  pid[16];
	PGresult *r;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	r = PQ_QUERY(
	    conn, sql_beat, err, len, worker_id, hostname, pid, started_at);
	if (r == NULL)
		return (-1);
	PQclear(r);
	return (0);
}

/* The heartbeat during a long job, on its connection (errors logged). */
static void
beat_during(PGconn *conn)
{
	static time_t last;
	struct job    beat = { "0", "heartbeat", "{}", NULL, 0 };
	char	      err[512];

	if (time(NULL) - last < HEALTH_HEARTBEAT_EVERY)
		return;
	last = time(NULL);
	if (job_heartbeat(conn, &beat, err, sizeof(err)) != 0)
		wlog("heartbeat failed: %s", err);
}

static int
job_import(PGconn *conn, const struct job *j, char *err, size_t len)
{
	struct job_import_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conn = conn;
	ctx.url = database_url;
	ctx.worker_id = worker_id;
	ctx.payload = j->payload;
	ctx.company_id = j->company_id;
	ctx.last_attempt = j->last_attempt;
	ctx.stopping = &stopping;
	ctx.beat = beat_during;
	return (job_import_run(&ctx, err, len));
}

static int
job_mail(PGconn *conn, const struct job *j, char *err, size_t len)
{
	return (mailer_job(conn, j->payload, err, len));
}

static int
job_find(const char *kind)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(job_kinds); i++) {
		if (strcmp(job_kinds[i].kind, kind) == 0)
			return ((int)i);
	}
	return (-1);
}

/* Runs a job that opens its own transactions; records how it ended. */
static void
job_run_own(PGconn *conn, const struct job *j, int k)
{
	PGresult *r;
	char	  err[1024], jerr[1024];
	int	  rc;

	jerr[0] = '\0';
	rc = job_kinds[k].run(conn, j, jerr, sizeof(jerr));
	if (rc == JOB_DONE)
		r = PQ_QUERY(conn, sql_done, err, sizeof(err), j->id);
	else if (rc == JOB_RELEASE)
		r = PQ_QUERY(conn, sql_release, err, sizeof(err), j->id);
	else {
		wlog("job %s (%s) failed: %s", j->id, j->kind, jerr);
		r = PQ_QUERY(conn, sql_failed, err, sizeof(err), j->id, jerr);
	}
	if (r == NULL)
		wlog("could not record how job %s ended: %s", j->id, err);
	else
		PQclear(r);
}

/*
 * Claims and runs one job. Returns 1 if a job ran (whatever its outcome),
 * 0 if none was due, -1 if the database failed.
 */
static int
job_run_one(PGconn *conn)
{
	PGresult  *claim, *r;
	struct job j;
	char	   err[1024], jerr[1024];
	int	   ok, k;

	claim = PQ_QUERY(conn, sql_claim, err, sizeof(err), worker_id);
	if (claim == NULL) {
		wlog("could not claim a job: %s", err);
		return (-1);
	}
	if (PQntuples(claim) == 0) {
		PQclear(claim);
		return (0);
	}
	j.id = PQgetvalue(claim, 0, 0);
	j.kind = PQgetvalue(claim, 0, 1);
	j.payload = PQgetvalue(claim, 0, 2);
	j.company_id =
	    PQgetisnull(claim, 0, 3) ? NULL : PQgetvalue(claim, 0, 3);
	j.last_attempt = strcmp(PQgetvalue(claim, 0, 4), "t") == 0;

	if ((k = job_find(j.kind)) >= 0 && job_kinds[k].own_tx) {
		job_run_own(conn, &j, k);
		PQclear(claim);
		return (PQstatus(conn) == CONNECTION_OK ? 1 : -1);
	}
	ok = pq_exec(conn, "BEGIN", jerr, sizeof(jerr)) == 0;
	if (ok &&
	    (r = PQ_QUERY(
		 conn, sql_tenant, jerr, sizeof(jerr), j.company_id)) != NULL) {
		PQclear(r);
		if (k < 0) {
			snprintf(jerr, sizeof(jerr), "unknown job kind \"%s\"",
			    j.kind);
			ok = 0;
		} else {
			ok = job_kinds[k].run(conn, &j, jerr, sizeof(jerr)) ==
			    JOB_DONE;
		}
	} else {
		ok = 0;
	}
	if (ok &&
	    (r = PQ_QUERY(conn, sql_done, jerr, sizeof(jerr), j.id)) != NULL) {
		PQclear(r);
		ok = pq_exec(conn, "COMMIT", jerr, sizeof(jerr)) == 0;
	} else {
		ok = 0;
	}
	if (!ok) {
		(void)pq_exec(conn, "ROLLBACK", err, sizeof(err));
		wlog("job %s (%s) failed: %s", j.id, j.kind, jerr);
		if ((r = PQ_QUERY(conn, sql_failed, err, sizeof(err), j.id,
			 jerr)) == NULL)
			wlog("could not record the failure: %s", err);
		else
			PQclear(r);
	}
	PQclear(claim);
	return (PQstatus(conn) == CONNECTION_OK ? 1 : -1);
}

static PGconn *
connect_ready(const char *url)
{
	PGconn *conn;
	char	err[1024];
	int	rc;

	if ((conn = pq_connect(url, err, sizeof(err))) == NULL) {
		wlog("%s", err);
		return (NULL);
	}
	rc = migrate_check(conn, err, sizeof(err));
	if (rc == MIGRATE_ERROR) {
		wlog("refusing to run: %s", err);
		PQfinish(conn);
		exit(1);
	}
	if (rc == MIGRATE_PENDING ||
	    pq_exec(conn, "LISTEN clientd_jobs", err, sizeof(err)) != 0) {
		wlog("%s", err);
		PQfinish(conn);
		return (NULL);
	}
	wlog("connected as %s", worker_id);
	return (conn);
}

/* Waits up to secs for a notification or a signal. */
static void
wait_for_work(PGconn *conn, int secs)
{
	struct timeval tv;
	PGnotify      *n;
	fd_set	       rfds;
	int	       fd;

	fd = PQsocket(conn);
	if (fd < 0) {
		sleep((unsigned int)secs);
		return;
	}
	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	tv.tv_sec = secs;
	tv.tv_usec = 0;
	if (select(fd + 1, &rfds, NULL, NULL, &tv) > 0) {
		(void)PQconsumeInput(conn);
		while ((n = PQnotifies(conn)) != NULL)
			PQfreemem(n);
	}
}

static void
serve(const char *url)
{
	PGconn	  *conn = NULL;
	PGresult  *r;
	time_t	   now, last_beat = 0, last_house = 0;
	char	   err[1024];
	int	   backoff = 1;
	struct job beat = { "0", "heartbeat", "{}", NULL, 0 };

	while (!stopping) {
		if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
			if (conn != NULL) {
				wlog("lost the database; reconnecting");
				PQfinish(conn);
			}
			if ((conn = connect_ready(url)) == NULL) {
				sleep((unsigned int)backoff);
				backoff = backoff < 16 ? backoff * 2 : 30;
				continue;
			}
			backoff = 1;
		}
		now = time(NULL);
		if (now - last_beat >= HEALTH_HEARTBEAT_EVERY) {
			if (job_heartbeat(conn, &beat, err, sizeof(err)) != 0)
				wlog("heartbeat failed: %s", err);
			last_beat = now;
		}
		if (now - last_house >= HOUSEKEEPING_EVERY) {
			r = pq_query(conn, "SELECT housekeeping()", 0, NULL,
			    err, sizeof(err));
			if (r == NULL)
				wlog("housekeeping failed: %s", err);
			else
				PQclear(r);
			last_house = now;
		}
		while (!stopping && job_run_one(conn) == 1)
			;
		if (!stopping && PQstatus(conn) == CONNECTION_OK)
			wait_for_work(conn, POLL_EVERY);
	}

	if (conn != NULL && PQstatus(conn) == CONNECTION_OK) {
		if ((r = PQ_QUERY(conn, sql_unbeat, err, sizeof(err),
			 worker_id)) != NULL)
			PQclear(r);
	}
	if (conn != NULL)
		PQfinish(conn);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	const char	*url;
	char		 rnd[24], merr[256];
	time_t		 now;
	struct tm	 tm;

	url = getenv("CLIENTD_DATABASE_URL");
	if (url == NULL || url[0] == '\0') {
		wlog("CLIENTD_DATABASE_URL is not set");
		return (1);
	}
	database_url = url;
	if (crypto_init() != 0) {
		wlog("libsodium could not be initialised");
		return (1);
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (mailer_init(merr, sizeof(merr)) != 0) {
		wlog("mail: %s", merr);
		return (1);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (gethostname(hostname, sizeof(hostname)) != 0)
		snprintf(hostname, sizeof(hostname), "unknown");
	hostname[sizeof(hostname) - 1] = '\0';
	crypto_random_b64(rnd, sizeof(rnd));
	snprintf(worker_id, sizeof(worker_id), "%s:%d:%.6s", hostname,
	    (int)getpid(), rnd);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(started_at, sizeof(started_at), "%Y-%m-%dT%H:%M:%SZ", &tm);

	wlog("starting");
	if (webhooks_start(url, worker_id) != 0)
		return (1);
	serve(url);
	webhooks_stop();
	wlog("stopped");
	return (0);
}
