/*
 * Entity tags and If-Match (core/etag.c).
 */
#ifndef CLIENTD_CORE_ETAG_H
#define CLIENTD_CORE_ETAG_H

void etag_if_match(const char *, long *);

#endif
