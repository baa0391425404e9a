/*
 * Unit tests for core/retry.c: what each status means, the back-off
 * schedule and its jitter, Retry-After, and the three-day window.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/retry.h"
#include "unit.h"

/* retry-1.1: 2xx delivered; 410 gone; no answer, 408, 429, 5xx again;
 * (twins) 3xx and other 4xx failed. */
static void
test_classify(void **state)
{
	assert_int_equal(retry_classify(200), RETRY_DELIVERED);
	assert_int_equal(retry_classify(204), RETRY_DELIVERED);
	assert_int_equal(retry_classify(299), RETRY_DELIVERED);
	assert_int_equal(retry_classify(410), RETRY_GONE);
	assert_int_equal(retry_classify(0), RETRY_AGAIN);
	assert_int_equal(retry_classify(408), RETRY_AGAIN);
	assert_int_equal(retry_classify(429), RETRY_AGAIN);
	assert_int_equal(retry_classify(500), RETRY_AGAIN);
	assert_int_equal(retry_classify(503), RETRY_AGAIN);
	assert_int_equal(retry_classify(301), RETRY_FAILED);
	assert_int_equal(retry_classify(400), RETRY_FAILED);
	assert_int_equal(retry_classify(404), RETRY_FAILED);
	assert_int_equal(retry_classify(100), RETRY_FAILED);
	assert_string_equal(retry_outcome_name(RETRY_AGAIN), "retry");
}

/* retry-1.2: 30 s doubling to 12 h, within ±20%; jitter spans it. */
static void
test_backoff(void **state)
{
	assert_int_equal(retry_backoff_ms(1, 0), 24000);
	assert_int_equal(retry_backoff_ms(1, 0x80000000U), 30000);
	assert_in_range(retry_backoff_ms(1, UINT32_MAX), 35999, 36000);
	assert_int_equal(retry_backoff_ms(2, 0x80000000U), 60000);
	assert_int_equal(retry_backoff_ms(5, 0x80000000U), 480000);
	assert_int_equal(retry_backoff_ms(12, 0x80000000U), 12L * 3600 * 1000);
	assert_int_equal(retry_backoff_ms(40, 0x80000000U), 12L * 3600 * 1000);
}

/* retry-1.3: the schedule runs three days, some 17 attempts, the last at
 * the window's end; then it is exhausted. */
static void
test_window(void **state)
{
	long long first = 1000000, now = first;
	long	  d;
	int	  n = 0;

	while (retry_next(n + 1, -1, first, now, 0x80000000U, &d) == 0) {
		now += d / 1000;
		n++;
		assert_true(n < 40);
	}
	assert_int_equal(now - first, RETRY_WINDOW_S);
	assert_in_range(n, 15, 18);
	assert_int_equal(
	    retry_next(1, -1, first, first + RETRY_WINDOW_S, 0, &d),
	    RETRY_EXHAUSTED);
}

/* retry-1.4: Retry-After in seconds or as a date is followed, within 1 s
 * and 12 h; (twins) garbage is ignored. */
static void
test_retry_after(void **state)
{
	long d;

	assert_int_equal(retry_after_parse("120", 0), 120);
	assert_int_equal(retry_after_parse(" 5 ", 0), 5);
	assert_int_equal(retry_after_parse(
			     "Sun, 06 Nov 1994 08:49:37 GMT", 784111777LL - 60),
	    60);
	assert_int_equal(retry_after_parse(
			     "Sun, 06 Nov 1994 08:49:37 GMT", 784111777LL + 60),
	    0);
	assert_int_equal(retry_after_parse(NULL, 0), -1);
	assert_int_equal(retry_after_parse("soon", 0), -1);
	assert_int_equal(retry_after_parse("-3", 0), -1);
	assert_int_equal(retry_after_parse("12abc", 0), -1);
	assert_int_equal(retry_next(1, 0, 0, 10, 0, &d), 0);
	assert_int_equal(d, 1000);
	assert_int_equal(retry_next(1, 7, 0, 10, 0, &d), 0);
	assert_int_equal(d, 7000);
	assert_int_equal(retry_next(1, 999999, 0, 10, 0, &d), 0);
	assert_int_equal(d, RETRY_CAP_S * 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_retry_after),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
