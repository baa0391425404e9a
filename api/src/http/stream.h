/*
 * Responses whose body is made piece by piece after the handler has
 * returned (http/stream.c), sent with chunked transfer encoding: a CSV
 * export of any size, and the progress events of an import.
 */
#ifndef CLIENTD_HTTP_STREAM_H
#define CLIENTD_HTTP_STREAM_H

#include <stdint.h>

#include "core/cbuf.h"
#include "http/request.h"

#define STREAM_MORE  0	  /* call again once this piece is sent */
#define STREAM_DONE  1	  /* the body is complete */
#define STREAM_WAIT  2	  /* nothing yet: call again after *wait_ms */
#define STREAM_ABORT (-1) /* the body cannot be finished: cut it off */

/*
 * Appends the next piece of the body to out (it may stay empty) and says
 * what comes next; *wait_ms is in/out for STREAM_WAIT.
 */
typedef int (*stream_next)(void *, struct cbuf *, unsigned int *);
/* Frees the producer's state: once, when the body ends or the client goes. */
typedef void (*stream_free)(void *);

/*
 * Answers req with status and content type ctype (the standard headers
 * of reply.c included) and a body made by next. arg is the producer's
 * state; the stream owns it from here (free is called, also when this
 * fails). A HEAD request gets the headers only.
 */
void stream_start(
    struct request *, int, const char *, stream_next, stream_free, void *);
void stream_start_sized(struct request *, int, const char *, uint64_t,
    stream_next, stream_free, void *);

#endif
