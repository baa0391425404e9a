/*
 * Probes for load balancers and orchestrators: /healthz says the process
 * answers (no database), /readyz that it can serve (the database answers),
 * and how long ago a worker last reported in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_error.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"

/* clang-format off */
static const char sql_ready[] =
    "SELECT round(extract(epoch FROM now() - max(beat_at))::numeric, 1) "
    "    AS worker_age, count(*) AS workers "
    "FROM worker_heartbeats WHERE beat_at > now() - interval '1 hour'";
/* clang-format on */

void
api_health_live(struct request *req)
{
	static const char body[] = "{\"status\":\"ok\"}";

	reply_body(req, 200, body, sizeof(body) - 1);
}

void
api_health_ready(struct request *req)
{
	struct api_error err;
	struct db	 db;
	json_t		*worker;
	int		 q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_ready);
	if (pipeline_exec(req, &db) != DB_OK) {
		api_error_init(&err, API_ERR_UNAVAILABLE);
		api_error_setf(
		    &err, API_ERR_UNAVAILABLE, "database is unavailable");
		api_error_detail(&err, "%s",
		    db.down_reason[0] != '\0' ? db.down_reason
					      : "The readiness query failed.");
		reply_error(req, &err);
		api_error_cleanup(&err);
		goto out;
	}
	if (db_isnull(&db, q, 0, "worker_age")) {
		worker = json_null();
	} else {
		worker = json_pack("{s:f, s:I}", "seconds_since_heartbeat",
		    strtod(db_get(&db, q, 0, "worker_age"), NULL), "count",
		    (json_int_t)strtoll(
			db_get(&db, q, 0, "workers"), NULL, 10));
	}
	reply_json(req, 200,
	    json_pack("{s:s, s:s, s:o}", "status", "ready", "database", "ok",
		"worker", worker));
out:
	db_cleanup(&db);
}
