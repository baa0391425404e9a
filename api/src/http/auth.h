/*
 * Authentication (http/auth.c): the request's credentials read at the
 * edge (an API token, or the session cookie with CSRF for writes), reduced
 * to their SHA-256, and auth_begin() queued first in the request's
 * pipeline, which checks them and the route's permission and sets the
 * tenant for row-level security in the same transaction.
 */
#ifndef CLIENTD_HTTP_AUTH_H
#define CLIENTD_HTTP_AUTH_H

#include "core/api_error.h"
#include "core/crypto.h"
#include "http/db.h"
#include "http/request.h"

#define AUTH_HASH_LEN (2 + 2 * SHA256_LEN + 1)

int  auth_credentials(struct request *, struct api_error *);
int  auth_csrf_ok(struct request *);
int  auth_add(struct request *, struct db *);
void auth_read(struct request *, struct db *, int, int);
void auth_hash_secret(const char *, char[AUTH_HASH_LEN]);
void auth_session_cookie(struct request *, const char *, const char *);

#endif
