/*
 * What the daemon tells its operators (http/observe.c): one JSON log line
 * per request, its own messages as JSON lines too (repeats rate-limited,
 * core/loglimit.c), and the metrics that GET /metrics exposes on the
 * metrics listener (core/metrics.c), kept in memory shared by the Kore
 * worker processes.
 *
 * Log lines go to standard output, one write() each:
 *   {"time":"2026-12-07T15:04:05.123Z","level":"info","msg":"request",
 *    "request_id":"...","method":"GET","route":"getClient","path":"...",
 *    "status":200,"duration_ms":1.9,"wait_ms":0,"db_ms":1.2,"db_trips":1,
 *    "company":"...","ip":"..."}
 *   {"time":"...","level":"warning","msg":"database unavailable: ...",
 *    "request_id":"...","repeated":41}
 * Kore's own start-up lines keep Kore's format.
 */
#ifndef CLIENTD_HTTP_OBSERVE_H
#define CLIENTD_HTTP_OBSERVE_H

#include "core/metrics.h"
#include "http/request.h"

enum observe_level {
	OBSERVE_INFO,
	OBSERVE_NOTICE,
	OBSERVE_WARNING,
	OBSERVE_ERROR
};

void		observe_init(void);
void		observe_worker_init(void);
struct metrics *observe_metrics(void);
void		observe_begin(struct request *);
void		observe_end(struct request *);
void observe_log(enum observe_level, const struct request *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void	    observe_db_connection(int, double);
const char *observe_route_name(size_t);
size_t	    observe_route_count(void);

#endif
