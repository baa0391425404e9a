/*
 * Entity tags, If-Match and If-None-Match (core/etag.c).
 */
#ifndef CLIENTD_CORE_ETAG_H
#define CLIENTD_CORE_ETAG_H

#define ETAG_VERSION_MAX 2147483647L /* versions are SQL integers */

void etag_if_match(const char *, long *);
int  etag_none_match(const char *, const char *);

#endif
