/*
 * clientd-worker: runs background jobs from the jobs table.
 *
 * Jobs are claimed with FOR UPDATE SKIP LOCKED, so any number of workers
 * on any number of machines share one queue, and a job survives restarts:
 * one whose worker died is claimed again once its lock is five minutes
 * old. A failed job is retried with exponential backoff until it has used
 * its max_attempts. New jobs are announced with NOTIFY clientd_jobs; the
 * worker also polls, so a lost notification only delays a job.
 *
 * Alongside jobs the worker writes a heartbeat row every 10 seconds (read
 * by /readyz) and runs housekeeping() every 5 minutes. It never exits on
 * a job's error or a lost database; SIGTERM or SIGINT stop it cleanly.
 *
 * Environment: CLIENTD_DATABASE_URL (as clientd_worker); mail's in
 * worker/mailer.c.
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
#include "worker/mailer.h"

#define HOUSEKEEPING_EVERY 300
#define POLL_EVERY	   5

struct job {
	const char *id;
	const char *kind;
	const char *payload;
	const char *company_id;
};

static int job_heartbeat(PGconn *, const struct job *, char *, size_t);
static int job_mail(PGconn *, const struct job *, char *, size_t);

static const struct {
	const char *kind;
	int (*run)(PGconn *, const struct job *, char *, size_t);
} job_kinds[] = {
	{ "heartbeat", job_heartbeat },
	{ "mail", job_mail }, /* worker/mailer.c */
};

/* clang-format off */
static const char sql_beat[] =
    "INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, "
    "    beat_at) VALUES ($1, $2, $3::int, $4::timestamptz, now()) "
    "ON CONFLICT (worker_id) DO UPDATE SET beat_at = now(), "
    "    beats = worker_heartbeats.beats + 1";

static const char sql_unbeat[] =
    "DELETE FROM worker_heartbeats WHERE worker_id = $1";

static const char sql_claim[] =
    "UPDATE jobs SET locked_by = $1, locked_at = now(), "
    "    attempts = attempts + 1 "
    "WHERE id = (SELECT id FROM jobs WHERE finished_at IS NULL "
    "    AND run_at <= now() AND attempts < max_attempts "
    "    AND (locked_at IS NULL OR locked_at < now() - interval '5 minutes') "
    "    ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "
    "RETURNING id, kind, payload::text, company_id";

static const char sql_tenant[] =
    "SELECT set_config('app.company_id', COALESCE($1, ''), true), "
    "    set_config('app.actor_type', 'system', true), "
    "    set_config('app.actor_name', 'clientd-worker', true)";

static const char sql_done[] =
    "UPDATE jobs SET finished_at = now(), locked_by = NULL, "
    "    last_error = NULL WHERE id = $1::bigint";

static const char sql_failed[] =
    "UPDATE jobs SET locked_by = NULL, locked_at = NULL, last_error = $2, "
    "    run_at = now() + least(interval '1 hour', "
    "        interval '5 seconds' * power(2, attempts)) "
    "WHERE id = $1::bigint";
/* clang-format on */

static volatile sig_atomic_t stopping;
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

static int
job_mail(PGconn *conn, const struct job *j, char *err, size_t len)
{
	return (mailer_job(conn, j->payload, err, len));
}

static int
job_dispatch(PGconn *conn, const struct job *j, char *err, size_t len)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(job_kinds); i++) {
		if (strcmp(job_kinds[i].kind, j->kind) == 0)
			return (job_kinds[i].run(conn, j, err, len));
	}
	snprintf(err, len, "unknown job kind \"%s\"", j->kind);
	return (-1);
}

/*
 * Claims and runs one job in its own transaction. Returns 1 if a job ran
 * (whatever its outcome), 0 if none was due, -1 if the database failed.
 */
static int
job_run_one(PGconn *conn)
{
	PGresult  *claim, *r;
	struct job j;
	char	   err[1024], jerr[1024];
	int	   ok;

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

	ok = pq_exec(conn, "BEGIN", jerr, sizeof(jerr)) == 0;
	if (ok &&
	    (r = PQ_QUERY(
		 conn, sql_tenant, jerr, sizeof(jerr), j.company_id)) != NULL) {
		PQclear(r);
		ok = job_dispatch(conn, &j, jerr, sizeof(jerr)) == 0;
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
	struct job beat = { "0", "heartbeat", "{}", NULL };

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
	serve(url);
	wlog("stopped");
	return (0);
}
