/*
 * Running a request's SQL (http/pipeline.c). pipeline_init() starts the
 * batch with the steps every request of its route needs (auth_begin() for
 * an authenticated route, idem_begin() for a request with an
 * Idempotency-Key; pipeline_init_lookup() without the latter, for a
 * lookup before the write); the handler queues its own statements;
 * pipeline_run()
 * sends them all as one round trip and, when that fails or the request is
 * a replay, answers for the handler.
 */
#ifndef CLIENTD_HTTP_PIPELINE_H
#define CLIENTD_HTTP_PIPELINE_H

#include "http/db.h"
#include "http/request.h"

void	    pipeline_init(struct request *, struct db *);
void	    pipeline_init_lookup(struct request *, struct db *);
void	    pipeline_init_transaction(struct request *, struct db *);
int	    pipeline_run(struct request *, struct db *);
int	    pipeline_exec(struct request *, struct db *);
const char *pipeline_idem_key(struct request *);

#endif
