/*
 * The import job of clientd-worker (worker/job_import.c): a dry run or a
 * run of a CSV import of clients (issue 16).
 */
#ifndef CLIENTD_WORKER_JOB_IMPORT_H
#define CLIENTD_WORKER_JOB_IMPORT_H

#include <signal.h>
#include <stddef.h>

#include <libpq-fe.h>

#define JOB_IMPORT_DONE	   0
#define JOB_IMPORT_RETRY   (-1) /* failed: try again later (err says why) */
#define JOB_IMPORT_RELEASE 1	/* the worker is stopping: give it back */

struct job_import_ctx {
	PGconn	   *conn; /* the worker's: the rows' transactions */
	const char *url;  /* for the second connection */
	const char *worker_id;
	const char *payload; /* {"import": id, "phase": ...} */
	const char *company_id;
	int	    last_attempt; /* no retry after a failure */
	volatile const sig_atomic_t *stopping;
	void (*beat)(PGconn *); /* the worker's heartbeat, during long runs */
};

/*
 * Runs the job: reads the stored file, turns its rows into clients and
 * applies them batch by batch, reporting progress and per-row problems as
 * it goes. Manages its own transactions on ctx->conn (none is open when it
 * returns). Returns JOB_IMPORT_DONE when the job is over, whatever its rows
 * did (the import's result says); JOB_IMPORT_RETRY with err set when the
 * database failed under it (a run resumes after its last committed batch,
 * or, all or nothing, starts again); JOB_IMPORT_RELEASE when the worker is
 * stopping (nothing of an open batch is kept).
 */
int job_import_run(struct job_import_ctx *, char *, size_t);

#endif
