/*
 * Unit tests for core/health.c: the workers' state for /readyz.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/health.h"
#include "unit.h"

/* hardening-5.1: three missed heartbeats make a worker late. */
static void
test_health_worker(void **state)
{
	char reason[256];

	assert_int_equal(health_worker_state(1, 0.5), HEALTH_WORKER_OK);
	assert_int_equal(health_worker_state(2, 30.0), HEALTH_WORKER_OK);
	assert_int_equal(health_worker_state(1, 30.1), HEALTH_WORKER_LATE);
	assert_int_equal(health_worker_state(1, 3599), HEALTH_WORKER_LATE);
	assert_int_equal(health_worker_state(0, -1), HEALTH_WORKER_MISSING);
	assert_int_equal(health_worker_state(0, 5), HEALTH_WORKER_MISSING);
	assert_string_equal(health_worker_name(HEALTH_WORKER_LATE), "late");
	health_worker_reason(HEALTH_WORKER_LATE, 31.2, reason, sizeof(reason));
	assert_non_null(strstr(reason, "no worker heartbeat for 31 seconds"));
	/* Twin: all well, no reason. */
	health_worker_reason(HEALTH_WORKER_OK, 2, reason, sizeof(reason));
	assert_string_equal(reason, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_worker),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
