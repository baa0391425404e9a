/*
 * Responses (http/reply.c). Every response leaves through here, with the
 * security headers, the request id and the Server-Timing entry that says
 * how many database round trips the request cost; errors always use the
 * envelope of core/api_error.c. A request is answered exactly once.
 */
#ifndef CLIENTD_HTTP_REPLY_H
#define CLIENTD_HTTP_REPLY_H

#include <stddef.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/validate.h"
#include "http/request.h"

void reply_header(struct request *, const char *, const char *);
#define REPLY_HTML    1 /* reply_security_headers(): the SPA's pages */
#define REPLY_PREVIEW 2 /* a document shown inline */
void reply_security_headers(struct http_request *, int);
void reply_body(struct request *, int, const char *, size_t);
void reply_typed(struct request *, int, const char *, const char *, size_t);
void reply_json(struct request *, int, json_t *);
void reply_sql_json(struct request *, int, const char *);
void reply_empty(struct request *, int);
void reply_chunked(struct request *, int, const char *);
void reply_sized(struct request *, int, const char *, const char *);
void reply_error(struct request *, struct api_error *);
void reply_errorf(struct request *, enum api_error_kind, const char *, ...)
    __attribute__((format(printf, 3, 4)));
int reply_invalid_body(struct request *, const struct field_spec *, size_t);

#endif
