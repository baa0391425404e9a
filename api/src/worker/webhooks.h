/*
 * Webhook delivery in clientd-worker (worker/webhooks.c): a loop of its
 * own, on a thread with its own database connection, that sends queued
 * deliveries with libcurl and records each attempt.
 */
#ifndef CLIENTD_WORKER_WEBHOOKS_H
#define CLIENTD_WORKER_WEBHOOKS_H

int  webhooks_start(const char *, const char *);
void webhooks_wake(void);
void webhooks_stop(void);

#endif
