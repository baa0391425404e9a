/*
 * Delivery outcomes and the retry schedule.
 *
 * An attempt that got no answer (connection refused or reset, timeout,
 * DNS failure, TLS error, an address the policy refuses), or an answer of
 * 408, 429 or 5xx, is tried again: after 30 s, then twice as long each
 * time up to 12 hours, each delay varied by up to 20% either way so that
 * receivers coming back are not hit by every sender at once; a
 * Retry-After on the answer (seconds or an HTTP date) is followed
 * instead, within 1 s and 12 hours. Retries stop three days after the
 * first attempt: some 17 attempts in all. 410 Gone means the receiver
 * wants no more (Zapier answers it after an unsubscribe). Any other
 * status, redirects included (they are not followed), is a failure that
 * retrying would only repeat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "core/retry.h"

enum retry_outcome
retry_classify(int status)
{
	if (status >= 200 && status <= 299)
		return (RETRY_DELIVERED);
	if (status == 410)
		return (RETRY_GONE);
	if (status <= 0 || status == 408 || status == 429 ||
	    (status >= 500 && status <= 599))
		return (RETRY_AGAIN);
	return (RETRY_FAILED);
}

const char *
retry_outcome_name(enum retry_outcome o)
{
	switch (o) {
	case RETRY_DELIVERED:
		return ("delivered");
	case RETRY_AGAIN:
		return ("retry");
	case RETRY_FAILED:
		return ("failed");
	case RETRY_GONE:
		return ("gone");
	}
	core_fatal("retry_outcome_name: %d", (int)o);
}

/*
 * The delay after the failures-th failed attempt (1 for the first), in
 * milliseconds: RETRY_BASE_S doubled per failure, at most RETRY_CAP_S,
 * times 0.8 to 1.2 as rnd (uniform over 32 bits) says.
 */
long
retry_backoff_ms(int failures, uint32_t rnd)
{
	long long ms = RETRY_BASE_S * 1000LL;
	int	  i;

	for (i = 1; i < failures && ms < RETRY_CAP_S * 1000LL; i++)
		ms *= 2;
	if (ms > RETRY_CAP_S * 1000LL)
		ms = RETRY_CAP_S * 1000LL;
	/* 0.8 + 0.4 * rnd / 2^32 */
	ms = ms * 4 / 5 +
	    (long long)(((unsigned long long)ms * 2 / 5 * rnd) >> 32);
	return ((long)ms);
}

/*
 * Retry-After: delta-seconds or an IMF-fixdate ("Sun, 06 Nov 1994
 * 08:49:37 GMT"), as seconds from now (0 for a date in the past); -1 when
 * value is NULL or neither.
 */
long
retry_after_parse(const char *value, long long now)
{
	struct tm   tm;
	const char *end;
	char	   *e;
	long long   v;
	time_t	    t;

	if (value == NULL)
		return (-1);
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value >= '0' && *value <= '9') {
		v = strtoll(value, &e, 10);
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e != '\0' || v < 0)
			return (-1);
		return (v > 100L * 24 * 3600 ? 100L * 24 * 3600 : (long)v);
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL)
		return (-1);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' || (t = timegm(&tm)) == (time_t)-1)
		return (-1);
	if ((long long)t <= now)
		return (0);
	v = (long long)t - now;
	return (v > 100L * 24 * 3600 ? 100L * 24 * 3600 : (long)v);
}

/*
 * When to try again after the failures-th failed attempt of a message
 * first attempted at first (seconds since the epoch) when it is now;
 * retry_after is the answer's Retry-After in seconds, or -1. Sets *delay
 * (milliseconds) and returns 0, or returns RETRY_EXHAUSTED when the three
 * days are over. The last retry falls at the end of the window.
 */
int
retry_next(int failures, long retry_after, long long first, long long now,
    uint32_t rnd, long *delay)
{
	long long left;

	left = first + RETRY_WINDOW_S - now;
	if (left <= 0)
		return (RETRY_EXHAUSTED);
	if (retry_after >= 0) {
		if (retry_after < RETRY_AFTER_MIN_S)
			retry_after = RETRY_AFTER_MIN_S;
		if (retry_after > RETRY_CAP_S)
			retry_after = RETRY_CAP_S;
		*delay = retry_after * 1000L;
	} else
		*delay = retry_backoff_ms(failures, rnd);
	if (*delay > left * 1000LL)
		*delay = (long)(left * 1000LL);
	return (0);
}
