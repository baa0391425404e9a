/*
 * Unit tests for core/metrics.c: histograms, status slots and the
 * Prometheus text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/mem.h"
#include "core/metrics.h"
#include "unit.h"

static struct metrics *
fresh(void)
{
	struct metrics *m = mem_alloc(sizeof(*m));

	memset(m, 0, sizeof(*m));
	return (m);
}

/* hardening-9.1: an observation lands in the first bucket that holds it. */
static void
test_metrics_histogram(void **state)
{
	struct metrics *m = fresh();

	metrics_observe(&m->db_pipeline, 0.0004);
	metrics_observe(&m->db_pipeline, 0.001); /* le="0.001" holds 0.001 */
	metrics_observe(&m->db_pipeline, 0.0011);
	metrics_observe(&m->db_pipeline, 7.0);	/* +Inf */
	metrics_observe(&m->db_pipeline, -1.0); /* a clock step: 0 */
	assert_int_equal(m->db_pipeline.buckets[0], 3);
	assert_int_equal(m->db_pipeline.buckets[1], 1);
	assert_int_equal(m->db_pipeline.buckets[METRICS_BUCKETS], 1);
	assert_int_equal(m->db_pipeline.count, 5);
	assert_int_equal(m->db_pipeline.sum_us, 400 + 1000 + 1100 + 7000000);
	free(m);
}

/* Known statuses get their own slot, the rest "other". */
static void
test_metrics_statuses(void **state)
{
	struct metrics *m = fresh();
	char		label[16];
	size_t		i;

	metrics_count_status(&m->routes[0], 200);
	metrics_count_status(&m->routes[0], 422);
	metrics_count_status(&m->routes[0], 299);
	metrics_count_status(&m->routes[0], 0);
	for (i = 0; metrics_status_label(i, label, sizeof(label)) == 0; i++) {
		if (strcmp(label, "200") == 0 || strcmp(label, "422") == 0)
			assert_int_equal(m->routes[0].by_status[i], 1);
		else if (strcmp(label, "other") == 0)
			assert_int_equal(m->routes[0].by_status[i], 2);
		else
			assert_int_equal(m->routes[0].by_status[i], 0);
	}
	assert_int_equal(i, METRICS_STATUSES + 1);
	free(m);
}

/* hardening-9.2: the exposition: names, cumulative buckets, labels. */
static void
test_metrics_render(void **state)
{
	static const char *const routes[] = { "getClient", "listClients" };
	struct metrics		*m = fresh();
	struct metrics_db_gauges g = { 1, 3, 42.5, 1, 4.2, 1 };
	struct cbuf		 b;

	metrics_count_status(&m->routes[1], 200);
	metrics_count_status(&m->routes[1], 200);
	metrics_observe(&m->routes[1].duration, 0.002);
	metrics_observe(&m->routes[1].duration, 0.3);
	metrics_add(&m->db_round_trips, 5);
	cbuf_init(&b, 256);
	metrics_render(m, routes, 2, &g, "1.2.3", &b);

	assert_non_null(
	    strstr(b.data, "clientd_build_info{version=\"1.2.3\"} 1\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_requests_total{route=\"listClients\",code=\"200\"} 2\n"));
	/* A route without requests has no series. */
	assert_null(strstr(b.data, "route=\"getClient\""));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_bucket{route=\"listClients\",le=\"0.0025\"} 1\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_bucket{route=\"listClients\",le=\"0.25\"} 1\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_bucket{route=\"listClients\",le=\"0.5\"} 2\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_bucket{route=\"listClients\",le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_sum{route=\"listClients\"} 0.302000\n"));
	assert_non_null(strstr(b.data,
	    "clientd_http_request_duration_seconds_count{route=\"listClients\"} 2\n"));
	assert_non_null(strstr(
	    b.data, "clientd_db_pipeline_seconds_bucket{le=\"+Inf\"} 0\n"));
	assert_non_null(strstr(b.data, "clientd_db_round_trips_total 5\n"));
	assert_non_null(strstr(b.data,
	    "# TYPE clientd_jobs_queued gauge\nclientd_jobs_queued 3.000\n"));
	assert_non_null(
	    strstr(b.data, "clientd_jobs_oldest_age_seconds 42.500\n"));
	assert_non_null(
	    strstr(b.data, "clientd_worker_heartbeat_age_seconds 4.200\n"));
	assert_non_null(strstr(b.data, "clientd_metrics_database_up 1.000\n"));

	/* Twin: without the database, no job or worker series, and up 0. */
	g.have = 0;
	cbuf_reset(&b);
	metrics_render(m, routes, 2, &g, "1.2.3", &b);
	assert_non_null(strstr(b.data, "clientd_metrics_database_up 0.000\n"));
	assert_null(strstr(b.data, "clientd_jobs_queued"));
	assert_null(strstr(b.data, "clientd_worker_heartbeat_age_seconds"));
	/* No worker reported: no heartbeat age (absent, not a made-up 0). */
	g.have = 1;
	g.heartbeat_age = -1;
	cbuf_reset(&b);
	metrics_render(m, routes, 2, &g, "1.2.3", &b);
	assert_null(strstr(b.data, "clientd_worker_heartbeat_age_seconds"));
	cbuf_cleanup(&b);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_histogram),
		cmocka_unit_test(test_metrics_statuses),
		cmocka_unit_test(test_metrics_render),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
