/*
 * Readiness: the background workers' state from their heartbeats.
 */
#include <stdio.h>

#include "core/health.h"

/* From the workers seen within the hour and the newest heartbeat's age. */
enum health_worker
health_worker_state(long workers, double age)
{
	if (workers <= 0 || age < 0)
		return (HEALTH_WORKER_MISSING);
	if (age > HEALTH_HEARTBEAT_EVERY * HEALTH_BEATS_MISSED)
		return (HEALTH_WORKER_LATE);
	return (HEALTH_WORKER_OK);
}

const char *
health_worker_name(enum health_worker s)
{
	switch (s) {
	case HEALTH_WORKER_OK:
		return ("ok");
	case HEALTH_WORKER_LATE:
		return ("late");
	case HEALTH_WORKER_MISSING:
	default:
		return ("missing");
	}
}

/* What a person reading /readyz needs to know ("" when all is well). */
void
health_worker_reason(enum health_worker s, double age, char *out, size_t len)
{
	switch (s) {
	case HEALTH_WORKER_LATE:
		snprintf(out, len,
		    "no worker heartbeat for %.0f seconds (one is due every "
		    "%d): background jobs (mail, webhooks, imports) wait until "
		    "a worker runs again",
		    age, HEALTH_HEARTBEAT_EVERY);
		break;
	case HEALTH_WORKER_MISSING:
		snprintf(out, len,
		    "no worker has reported within the hour: background jobs "
		    "(mail, webhooks, imports) wait until a worker runs");
		break;
	case HEALTH_WORKER_OK:
	default:
		snprintf(out, len, "%s", "");
		break;
	}
}
