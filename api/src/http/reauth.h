/*
 * Asking a signed-in user for their password again before a destructive
 * or sensitive action (http/reauth.c): purging a client, changing the
 * password. Checked off the event loop (http/hashing.c) and throttled like
 * logins: wrong passwords count as failed logins of the account.
 */
#ifndef CLIENTD_HTTP_REAUTH_H
#define CLIENTD_HTTP_REAUTH_H

#include <stddef.h>

#include "http/request.h"

#define REAUTH_DATA_MAX 256

/* data: the caller's; new_hash: reauth_start_change()'s, else NULL. */
typedef void (*reauth_done)(struct request *, const void *, const char *);

int reauth_start(struct request *, const char *, const char *, const void *,
    size_t, reauth_done);
int reauth_start_change(
    struct request *, const char *, const char *, const char *, reauth_done);

#endif
