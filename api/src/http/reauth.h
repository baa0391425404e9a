/*
 * Re-authentication (http/reauth.c): the signed-in user's own password,
 * asked again before what a stolen session or token alone must not do.
 */
#ifndef CLIENTD_HTTP_REAUTH_H
#define CLIENTD_HTTP_REAUTH_H

#include "http/request.h"

int reauth_verify(struct request *, const char *, const char *, const char *);

#endif
