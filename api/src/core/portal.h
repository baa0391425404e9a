/*
 * The client portal's rules that need no database (core/portal.c): which
 * client fields contacts may edit (the portal_client_fields setting), what
 * a portal password must be, and the registration form's honeypot.
 */
#ifndef CLIENTD_CORE_PORTAL_H
#define CLIENTD_CORE_PORTAL_H

#include <jansson.h>

#include "core/api_error.h"

#define PORTAL_PASSWORD_MIN 8	       /* characters */
#define PORTAL_SLUG_MAX	    63	       /* companies.slug */
#define PORTAL_HONEYPOT	    "homepage" /* a field people never fill */

extern const char portal_client_fields_default[];

int portal_client_fields_check(json_t *, const char *, struct api_error *);
int portal_password_check(const char *, const char *, struct api_error *);
int portal_slug_ok(const char *);

#endif
