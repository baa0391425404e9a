/*
 * Service metrics: atomic counters and histograms, and their text in
 * Prometheus' exposition format. The daemon's worker processes share one
 * struct metrics (http/observe.c maps it before they fork); a scrape reads
 * it while they write, each number on its own (a scrape is a moment's
 * view, not a transaction, as Prometheus expects of counters).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/metrics.h"

const double metrics_bounds[METRICS_BUCKETS] = { 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };

/* The statuses the API answers with, each counted under its own label. */
static const int statuses[] = { 200, 201, 202, 204, 304, 400, 401, 403, 404,
	405, 408, 409, 410, 411, 412, 413, 414, 415, 422, 428, 429, 431, 500,
	501, 502, 503 };

_Static_assert(CORE_ARRAY_LEN(statuses) == METRICS_STATUSES,
    "METRICS_STATUSES is the length of statuses[]");

void
metrics_add(uint64_t *counter, uint64_t n)
{
	(void)__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

void
metrics_gauge_add(int64_t *gauge, int64_t n)
{
	(void)__atomic_fetch_add(gauge, n, __ATOMIC_RELAXED);
}

static uint64_t
load(const uint64_t *counter)
{
	return (__atomic_load_n(counter, __ATOMIC_RELAXED));
}

/* Counts one observation of seconds (negative ones count as 0). */
void
metrics_observe(struct metrics_histogram *h, double seconds)
{
	size_t i;

	if (!(seconds > 0))
		seconds = 0;
	for (i = 0; i < METRICS_BUCKETS && seconds > metrics_bounds[i]; i++)
		;
	metrics_add(&h->buckets[i], 1);
	metrics_add(&h->count, 1);
	metrics_add(&h->sum_us, (uint64_t)(seconds * 1e6 + 0.5));
}

void
metrics_count_status(struct metrics_route *r, int status)
{
	size_t i;

	for (i = 0; i < METRICS_STATUSES && statuses[i] != status; i++)
		;
	metrics_add(&r->by_status[i], 1);
}

/* The label of status slot i ("200" ... or "other"); -1 past the last. */
int
metrics_status_label(size_t i, char *out, size_t len)
{
	if (i > METRICS_STATUSES)
		return (-1);
	if (i == METRICS_STATUSES)
		snprintf(out, len, "other");
	else
		snprintf(out, len, "%d", statuses[i]);
	return (0);
}

static void
help(struct cbuf *b, const char *name, const char *type, const char *text)
{
	cbuf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* One histogram's series; labels is "" or "route=\"x\"". */
static void
histogram_series(struct cbuf *b, const char *name, const char *labels,
    const struct metrics_histogram *h)
{
	const char *sep = labels[0] != '\0' ? "," : "";
	uint64_t    cumulative = 0;
	size_t	    i;

	for (i = 0; i <= METRICS_BUCKETS; i++) {
		cumulative += load(&h->buckets[i]);
		if (i < METRICS_BUCKETS)
			cbuf_appendf(b,
			    "%s_bucket{%s%sle=\"%g\"} %" PRIu64 "\n", name,
			    labels, sep, metrics_bounds[i], cumulative);
		else
			cbuf_appendf(b,
			    "%s_bucket{%s%sle=\"+Inf\"} %" PRIu64 "\n", name,
			    labels, sep, cumulative);
	}
	cbuf_appendf(b, "%s_sum%s%s%s %.6f\n", name, labels[0] ? "{" : "",
	    labels, labels[0] ? "}" : "", (double)load(&h->sum_us) / 1e6);
	cbuf_appendf(b, "%s_count%s%s%s %" PRIu64 "\n", name,
	    labels[0] ? "{" : "", labels, labels[0] ? "}" : "",
	    load(&h->count));
}

static void
render_requests(struct cbuf *b, const struct metrics *m,
    const char *const *routes, size_t nroutes)
{
	char   label[16], labels[160];
	size_t r, s;

	help(b, "clientd_http_requests_total", "counter",
	    "Requests answered, by route (the operationId of openapi.yaml; "
	    "static: the web app's files; unmatched: no route) and status.");
	for (r = 0; r < nroutes; r++) {
		for (s = 0; s <= METRICS_STATUSES; s++) {
			if (load(&m->routes[r].by_status[s]) == 0)
				continue;
			(void)metrics_status_label(s, label, sizeof(label));
			cbuf_appendf(b,
			    "clientd_http_requests_total{route=\"%s\","
			    "code=\"%s\"} %" PRIu64 "\n",
			    routes[r], label, load(&m->routes[r].by_status[s]));
		}
	}
	help(b, "clientd_http_request_duration_seconds", "histogram",
	    "Time from a request's arrival to its response, by route.");
	for (r = 0; r < nroutes; r++) {
		if (load(&m->routes[r].duration.count) == 0)
			continue;
		snprintf(labels, sizeof(labels), "route=\"%s\"", routes[r]);
		histogram_series(b, "clientd_http_request_duration_seconds",
		    labels, &m->routes[r].duration);
	}
}

static void
render_histogram(struct cbuf *b, const char *name, const char *text,
    const struct metrics_histogram *h)
{
	help(b, name, "histogram", text);
	histogram_series(b, name, "", h);
}

static void
render_counter(
    struct cbuf *b, const char *name, const char *text, const uint64_t *c)
{
	help(b, name, "counter", text);
	cbuf_appendf(b, "%s %" PRIu64 "\n", name, load(c));
}

static void
render_gauge(struct cbuf *b, const char *name, const char *text, double v)
{
	help(b, name, "gauge", text);
	cbuf_appendf(b, "%s %.3f\n", name, v);
}

static void
render_db(struct cbuf *b, const struct metrics *m)
{
	render_histogram(b, "clientd_http_request_queue_seconds",
	    "Time a request waited between its arrival and its handler "
	    "(the event loop was serving others).",
	    &m->queue_wait);
	render_histogram(b, "clientd_db_pipeline_seconds",
	    "Database time of a request: its round trips, connecting "
	    "included.",
	    &m->db_pipeline);
	render_histogram(b, "clientd_db_acquire_seconds",
	    "Time to get a database connection from the pool "
	    "(a new connection when none is idle).",
	    &m->db_acquire);
	render_counter(b, "clientd_db_round_trips_total",
	    "Database round trips.", &m->db_round_trips);
	render_counter(b, "clientd_db_connections_opened_total",
	    "Database connections opened.", &m->db_connects);
	render_counter(b, "clientd_db_connection_failures_total",
	    "Database connections that could not be opened.",
	    &m->db_connect_failures);
	render_counter(b, "clientd_db_unavailable_total",
	    "Requests answered 503 because the database did not answer.",
	    &m->db_unavailable);
}

static void
render_process(struct cbuf *b, const struct metrics *m)
{
	render_gauge(b, "clientd_password_hashing_in_flight",
	    "Password checks queued or running on task threads.",
	    (double)__atomic_load_n(&m->hashing_in_flight, __ATOMIC_RELAXED));
	render_counter(b, "clientd_password_hashing_rejected_total",
	    "Logins answered 503 because the hashing queue was full.",
	    &m->hashing_rejected);
	render_counter(b, "clientd_log_lines_suppressed_total",
	    "Repeated log lines not written (their count is logged).",
	    &m->log_suppressed);
}

static void
render_jobs(struct cbuf *b, const struct metrics_db_gauges *g)
{
	render_gauge(b, "clientd_metrics_database_up",
	    "Whether the database answered this scrape's query.",
	    g->have ? 1 : 0);
	if (!g->have)
		return;
	render_gauge(b, "clientd_jobs_queued",
	    "Background jobs waiting to run (all companies).", g->jobs_queued);
	render_gauge(b, "clientd_jobs_oldest_age_seconds",
	    "Age of the oldest job waiting to run; 0 when none waits.",
	    g->jobs_oldest_age);
	render_gauge(b, "clientd_jobs_failed",
	    "Jobs given up after their last attempt.", g->jobs_failed);
	render_gauge(b, "clientd_workers",
	    "Background workers that reported within the last hour.",
	    g->workers);
	if (g->heartbeat_age >= 0)
		render_gauge(b, "clientd_worker_heartbeat_age_seconds",
		    "Seconds since the newest worker heartbeat.",
		    g->heartbeat_age);
}

/*
 * Appends the exposition of m to b: routes names its first nroutes route
 * slots, g what the database said, version the build.
 */
void
metrics_render(const struct metrics *m, const char *const *routes,
    size_t nroutes, const struct metrics_db_gauges *g, const char *version,
    struct cbuf *b)
{
	if (nroutes > METRICS_ROUTES_MAX)
		core_fatal("metrics_render: %zu routes", nroutes);
	help(b, "clientd_build_info", "gauge", "The running build.");
	cbuf_appendf(b, "clientd_build_info{version=\"%s\"} 1\n", version);
	render_requests(b, m, routes, nroutes);
	render_db(b, m);
	render_process(b, m);
	render_jobs(b, g);
}
