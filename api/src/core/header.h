/*
 * HTTP header values (core/header.c): cookies, content types, bearer
 * tokens, and the client address behind trusted proxies.
 */
#ifndef CLIENTD_CORE_HEADER_H
#define CLIENTD_CORE_HEADER_H

#include <stddef.h>

int header_cookie_find(const char *, const char *, char *, size_t);
int header_is_json(const char *);
int header_bearer_token(const char *, const char **);
int header_client_ip(const char *, const char *, const char *, char *, size_t);
int header_ip_in_list(const char *, const char *);

#endif
