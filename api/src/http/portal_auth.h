/*
 * Contacts' portal sessions (http/portal_auth.c): the clientd_portal
 * cookie read at the edge for the routes that need a contact (AUTH_PORTAL),
 * never a staff session or token; CSRF as for staff; portal_begin() queued
 * first in the request's pipeline, which checks the session against the
 * portal of the path's company and acts as its contact for the rest of
 * the transaction.
 */
#ifndef CLIENTD_HTTP_PORTAL_AUTH_H
#define CLIENTD_HTTP_PORTAL_AUTH_H

#include "core/api_error.h"
#include "core/crypto.h"
#include "http/db.h"
#include "http/request.h"

#define PORTAL_COOKIE	   "clientd_portal"
#define PORTAL_COOKIE_PATH "/api/v1/portal/"

int  portal_auth_credentials(struct request *, struct api_error *);
int  portal_auth_cookie_token(struct request *, char[SESSION_TOKEN_LEN + 1]);
int  portal_auth_add(struct request *, struct db *);
void portal_auth_read(struct request *, struct db *, int);
void portal_auth_cookie(struct request *, const char *, const char *);
const char *portal_auth_slug(struct request *);

#endif
