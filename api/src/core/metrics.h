/*
 * Service metrics (core/metrics.c): counters and histograms kept in one
 * struct metrics that the daemon places in memory shared by its worker
 * processes (every update is an atomic add, so no lock is needed), and
 * their rendering in Prometheus' text exposition format (version 0.0.4).
 * Pure: the caller owns the memory and says what the routes are called.
 */
#ifndef CLIENTD_CORE_METRICS_H
#define CLIENTD_CORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/cbuf.h"

/* Latency buckets, in seconds (upper bounds; +Inf follows). */
#define METRICS_BUCKETS 12
/* Statuses counted by their own label; any other counts as "other". */
#define METRICS_STATUSES 26
/* Routes of the table plus the requests no route took (static, unmatched). */
#define METRICS_ROUTES_MAX 128

struct metrics_histogram {
	uint64_t buckets[METRICS_BUCKETS + 1]; /* not cumulative; last +Inf */
	uint64_t count;
	uint64_t sum_us; /* microseconds */
};

struct metrics_route {
	uint64_t by_status[METRICS_STATUSES + 1]; /* last: other */
	struct metrics_histogram duration;
};

struct metrics {
	struct metrics_route	 routes[METRICS_ROUTES_MAX];
	struct metrics_histogram queue_wait;  /* read to handler start */
	struct metrics_histogram db_pipeline; /* a request's database time */
	struct metrics_histogram db_acquire;  /* getting a pooled connection */
	uint64_t		 db_round_trips;
	uint64_t		 db_connects;	      /* connections opened */
	uint64_t		 db_connect_failures; /* ... that failed */
	uint64_t		 db_unavailable;    /* requests answered 503 */
	int64_t			 hashing_in_flight; /* a gauge */
	uint64_t		 hashing_rejected;  /* a full queue's 503s */
	uint64_t log_suppressed; /* repeated lines not written */
};

/* What the database says at scrape time; have = 0 when it did not answer. */
struct metrics_db_gauges {
	int    have;
	double jobs_queued;
	double jobs_oldest_age; /* seconds; 0 when none waits */
	double jobs_failed;	/* given up after their attempts */
	double heartbeat_age;	/* seconds; < 0 when no worker reported */
	double workers;		/* workers that reported within an hour */
};

extern const double metrics_bounds[METRICS_BUCKETS];

void metrics_add(uint64_t *, uint64_t);
void metrics_gauge_add(int64_t *, int64_t);
void metrics_observe(struct metrics_histogram *, double);
void metrics_count_status(struct metrics_route *, int);
int  metrics_status_label(size_t, char *, size_t);
void metrics_render(const struct metrics *, const char *const *, size_t,
    const struct metrics_db_gauges *, const char *, struct cbuf *);

#endif
