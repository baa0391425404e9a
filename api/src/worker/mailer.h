/*
 * Sending the outbox's mail over SMTP with libcurl (worker/mailer.c): the
 * worker's "mail" job kind. Configured from the environment once, at start
 * (mailer_init); see README, "Mail".
 */
#ifndef CLIENTD_WORKER_MAILER_H
#define CLIENTD_WORKER_MAILER_H

#include <stddef.h>

#include <libpq-fe.h>

int mailer_init(char *, size_t);
int mailer_job(PGconn *, const char *, char *, size_t);

#endif
