/*
 * Readiness (core/health.c): what /readyz makes of the background
 * workers' heartbeats. A worker writes one every HEALTH_HEARTBEAT_EVERY
 * seconds (api/src/worker/worker.c); none for HEALTH_BEATS_MISSED of
 * them, and the service is degraded.
 */
#ifndef CLIENTD_CORE_HEALTH_H
#define CLIENTD_CORE_HEALTH_H

#include <stddef.h>

#define HEALTH_HEARTBEAT_EVERY 10 /* seconds */
#define HEALTH_BEATS_MISSED    3

enum health_worker {
	HEALTH_WORKER_OK,     /* a heartbeat within three intervals */
	HEALTH_WORKER_LATE,   /* the newest is older than that */
	HEALTH_WORKER_MISSING /* none within the hour */
};

enum health_worker health_worker_state(long, double);
const char	  *health_worker_name(enum health_worker);
void health_worker_reason(enum health_worker, double, char *, size_t);

#endif
