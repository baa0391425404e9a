/*
 * What a delivery attempt's result means and when to try again
 * (core/retry.c): the outcome of an HTTP status, the back-off schedule
 * (exponential with jitter, for up to three days), and Retry-After.
 */
#ifndef CLIENTD_CORE_RETRY_H
#define CLIENTD_CORE_RETRY_H

#include <stdint.h>

enum retry_outcome {
	RETRY_DELIVERED, /* 2xx */
	RETRY_AGAIN,	 /* no answer, 408, 429, 5xx: try again later */
	RETRY_FAILED,	 /* any other status: recorded, not retried */
	RETRY_GONE	 /* 410: the receiver is gone; disable the webhook */
};

#define RETRY_WINDOW_S	  (72L * 3600) /* retry for three days */
#define RETRY_BASE_S	  30	       /* the first retry's delay */
#define RETRY_CAP_S	  (12L * 3600) /* no delay is longer */
#define RETRY_AFTER_MIN_S 1
#define RETRY_EXHAUSTED	  1

enum retry_outcome retry_classify(int);
const char	  *retry_outcome_name(enum retry_outcome);
long		   retry_backoff_ms(int, uint32_t);
long		   retry_after_parse(const char *, long long);
int retry_next(int, long, long long, long long, uint32_t, long *);

#endif
