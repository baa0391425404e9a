/*
 * Probes and metrics. /healthz says the process answers (no database);
 * /readyz that it can serve (the database answers) and whether background
 * work runs (the workers' heartbeats); GET /metrics, on the metrics
 * listener only (edge.c), the daemon's metrics in Prometheus' format.
 *
 * A worker without a heartbeat for three intervals makes /readyz answer
 * 200 with "status": "degraded", not 503: readiness takes a daemon out of
 * a load balancer's rotation, and a stopped worker does not stop the API
 * from serving (jobs wait in the database and run when a worker is back),
 * so a 503 would turn late mail into an outage of every daemon at once.
 * Monitoring alerts on "degraded" (or on the heartbeat's age in /metrics).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/health.h"
#include "core/metrics.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/observe.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_status[] =
    "SELECT jobs_queued, jobs_oldest_age, jobs_failed, heartbeat_age, "
    "    workers FROM service_status()";
/* clang-format on */

void
api_health_live(struct request *req)
{
	static const char body[] = "{\"status\":\"ok\"}";

	reply_body(req, 200, body, sizeof(body) - 1);
}

/* 503 with a reason that names nothing of the machine; the log has it. */
static void
not_ready(struct request *req, struct db *db)
{
	struct api_error err;

	observe_log(OBSERVE_WARNING, req, "readyz: database unavailable: %s",
	    db->down_reason[0] != '\0' ? db->down_reason
				       : "the readiness query failed");
	api_error_init(&err, API_ERR_UNAVAILABLE);
	api_error_setf(&err, API_ERR_UNAVAILABLE, "database is unavailable");
	api_error_detail(
	    &err, "The database does not answer; the daemon's log says why.");
	api_error_hint(&err, "Retry in a moment.");
	reply_error(req, &err);
	api_error_cleanup(&err);
}

static double
number(struct db *db, int q, const char *col, double none)
{
	return (db_isnull(db, q, 0, col) ? none
					 : strtod(db_get(db, q, 0, col), NULL));
}

void
api_health_ready(struct request *req)
{
	struct db	   db;
	enum health_worker state;
	json_t		  *worker;
	char		   reason[256];
	double		   age;
	long		   workers;
	int		   q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_status);
	if (pipeline_exec(req, &db) != DB_OK) {
		not_ready(req, &db);
		goto out;
	}
	age = number(&db, q, "heartbeat_age", -1);
	workers = (long)number(&db, q, "workers", 0);
	state = health_worker_state(workers, age);
	health_worker_reason(state, age, reason, sizeof(reason));
	worker = json_pack("{s:s, s:o, s:I, s:o}", "status",
	    health_worker_name(state), "seconds_since_heartbeat",
	    age >= 0 ? json_real(age) : json_null(), "count",
	    (json_int_t)workers, "reason",
	    reason[0] != '\0' ? json_string(reason) : json_null());
	reply_json(req, 200,
	    json_pack("{s:s, s:s, s:o}", "status",
		state == HEALTH_WORKER_OK ? "ready" : "degraded", "database",
		"ok", "worker", worker));
out:
	db_cleanup(&db);
}

/* GET /metrics (metrics listener): the shared metrics and the jobs. */
void
api_health_metrics(struct request *req)
{
	struct metrics_db_gauges g;
	const char		*names[METRICS_ROUTES_MAX];
	struct cbuf		 b;
	struct db		 db;
	size_t			 i, n = observe_route_count();
	int			 q;

	memset(&g, 0, sizeof(g));
	db_init(&db); /* no credentials: the listener is the access control */
	q = DB_ADD0(&db, sql_status);
	if (pipeline_exec(req, &db) == DB_OK) {
		g.have = 1;
		g.jobs_queued = number(&db, q, "jobs_queued", 0);
		g.jobs_oldest_age = number(&db, q, "jobs_oldest_age", 0);
		g.jobs_failed = number(&db, q, "jobs_failed", 0);
		g.heartbeat_age = number(&db, q, "heartbeat_age", -1);
		g.workers = number(&db, q, "workers", 0);
	}
	for (i = 0; i < n; i++)
		names[i] = observe_route_name(i);
	cbuf_init(&b, 16384);
	metrics_render(observe_metrics(), names, n, &g, CLIENTD_VERSION, &b);
	reply_typed(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    b.data, b.len);
	cbuf_cleanup(&b);
	db_cleanup(&db);
}
