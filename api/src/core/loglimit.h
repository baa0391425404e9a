/*
 * Repeated log lines, rate-limited (core/loglimit.c). During an outage
 * every request would log the same line; instead the first line of a kind
 * is written, the same line again within LOGLIMIT_WINDOW seconds is only
 * counted, and the count is written with the next one after the window
 * (or by loglimit_flush() when no next one comes).
 */
#ifndef CLIENTD_CORE_LOGLIMIT_H
#define CLIENTD_CORE_LOGLIMIT_H

#include <stdint.h>

#define LOGLIMIT_WINDOW 10.0 /* seconds */
#define LOGLIMIT_SLOTS	32   /* kinds of line tracked at once */
#define LOGLIMIT_LINE	160  /* what a flushed count names, at most */

struct loglimit_slot {
	uint64_t      key; /* hash of the line; 0 = free */
	double	      since;
	unsigned long suppressed;
	char	      line[LOGLIMIT_LINE];
};

struct loglimit {
	struct loglimit_slot slots[LOGLIMIT_SLOTS];
};

/* Called by loglimit_flush() with a line (cut short) and its repeats. */
typedef void (*loglimit_report)(const char *, unsigned long, void *);

void	 loglimit_init(struct loglimit *);
uint64_t loglimit_key(const char *);
int  loglimit_pass(struct loglimit *, const char *, double, unsigned long *);
void loglimit_flush(struct loglimit *, double, loglimit_report, void *);

#endif
