/*
 * Streamed responses. Kore 4.1 has no chunked responses for C handlers
 * (its Python runtime does, with an iterator); this does what that does:
 * the headers go out with "transfer-encoding: chunked" and no length, the
 * connection is marked busy so that Kore reads no next request on it, and
 * each piece is queued as a stream netbuf whose completion asks the
 * producer for the next one. So a body of any size costs one piece of
 * memory, and a client that reads slowly slows the producer down instead
 * of filling the worker's memory. A producer with nothing to say yet
 * (import progress) is called again from a timer. When the body is done,
 * the last chunk goes out and the connection takes requests again; when
 * the client goes away, the producer's state is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/mem.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/stream.h"

struct stream {
	struct connection *c;
	stream_next	   next;
	stream_free	   free;
	void		  *arg;
	struct cbuf	   piece; /* what the producer made */
	struct cbuf	   out;	  /* the chunk on the wire */
	struct kore_timer *timer;
	int		   sending; /* out is queued */
	unsigned int	   waiting; /* then wait this long (ms) */
	int		   gone;    /* the connection went away */
	int		   sized;   /* Content-Length, not chunked */
	uint64_t	   left;    /* bytes of a sized body still due */
	struct stream	  *link;
};

/* The streams of this worker process, to find one by its connection. */
static struct stream *streams;

static void pump(struct stream *, int);
static void on_timer(void *, u_int64_t);

static void
stream_release(struct stream *s)
{
	struct stream **p;

	for (p = &streams; *p != NULL; p = &(*p)->link) {
		if (*p == s) {
			*p = s->link;
			break;
		}
	}
	if (s->timer != NULL)
		kore_timer_remove(s->timer);
	s->free(s->arg);
	cbuf_cleanup(&s->piece);
	cbuf_cleanup(&s->out);
	free(s);
}

/* Kore: the connection is going away. */
static void
on_disconnect(struct connection *c)
{
	struct stream *s;

	for (s = streams; s != NULL && s->c != c; s = s->link)
		;
	if (s == NULL)
		return;
	s->gone = 1;
	if (s->timer != NULL) {
		kore_timer_remove(s->timer);
		s->timer = NULL;
	}
	/* A queued piece is freed with its netbuf (on_sent). */
	if (!s->sending)
		stream_release(s);
}

/* Kore: a piece has been sent (or dropped with its connection). */
static int
on_sent(struct netbuf *nb)
{
	struct stream *s = nb->extra;

	s->sending = 0;
	if (s->gone) {
		stream_release(s);
		return (KORE_RESULT_OK);
	}
	if (s->waiting > 0) {
		s->timer =
		    kore_timer_add(on_timer, s->waiting, s, KORE_TIMER_ONESHOT);
		s->waiting = 0;
		return (KORE_RESULT_OK);
	}
	pump(s, 0);
	return (KORE_RESULT_OK);
}

static void
on_timer(void *arg, u_int64_t now)
{
	struct stream *s = arg;

	(void)now;
	s->timer = NULL; /* Kore frees a one-shot timer after this */
	pump(s, 1);
}

/* The body is over: the last chunk, and the connection is Kore's again. */
static void
finish(struct stream *s, int flush)
{
	struct connection *c = s->c;

	if (!s->sized)
		net_send_queue(c, "0\r\n\r\n", 5);
	c->flags &= ~CONN_IS_BUSY;
	c->disconnect = NULL;
	http_start_recv(c);
	stream_release(s);
	if (flush && !net_send_flush(c))
		kore_connection_disconnect(c);
	kore_connection_start_idletimer(c);
}

/*
 * Asks the producer for pieces until one is queued, it waits or it is
 * done. flush: called from a timer, outside Kore's sending loop.
 */
static void
pump(struct stream *s, int flush)
{
	struct connection *c = s->c;
	struct netbuf	  *nb;
	unsigned int	   wait = 1000;
	int		   rc, have;

	for (;;) {
		cbuf_reset(&s->piece);
		rc = s->next(s->arg, &s->piece, &wait);
		if (rc == STREAM_ABORT) {
			kore_connection_disconnect(c);
			return;
		}
		if (s->sized &&
		    (s->piece.len > s->left ||
			(rc == STREAM_DONE && s->piece.len != s->left))) {
			/* A body of another length than announced. */
			kore_connection_disconnect(c);
			return;
		}
		if ((have = s->piece.len > 0) && s->sized) {
			/* Swapped, not copied: the piece goes out as it is. */
			struct cbuf t = s->out;

			s->out = s->piece;
			s->piece = t;
			s->left -= s->out.len;
		} else if (have) {
			cbuf_reset(&s->out);
			cbuf_appendf(&s->out, "%zx\r\n", s->piece.len);
			cbuf_append(&s->out, s->piece.data, s->piece.len);
			cbuf_append(&s->out, "\r\n", 2);
		}
		if (rc == STREAM_DONE) {
			if (have)
				net_send_queue(c, s->out.data, s->out.len);
			finish(s, flush);
			return;
		}
		if (!have && rc == STREAM_MORE)
			continue;
		if (!have) {
			s->timer = kore_timer_add(
			    on_timer, wait, s, KORE_TIMER_ONESHOT);
			return;
		}
		/* A piece; after it, the next one, or a wait. */
		s->waiting = rc == STREAM_WAIT ? wait : 0;
		s->sending = 1;
		net_send_stream(c, s->out.data, s->out.len, on_sent, &nb);
		nb->extra = s;
		if (flush) {
			if (!net_send_flush(c)) {
				kore_connection_disconnect(c);
				return;
			}
			kore_connection_start_idletimer(c);
		}
		return;
	}
}

/* The stream of req, or NULL when there is nothing to stream. */
static struct stream *
stream_new(struct request *req, int status, const char *ctype, stream_next next,
    stream_free free_arg, void *arg)
{
	struct stream	  *s;
	struct connection *c = req->http->owner;

	if (req->method == ROUTE_HEAD || c == NULL) {
		reply_typed(req, status, ctype, "", 0);
		free_arg(arg);
		return (NULL);
	}
	s = mem_calloc(1, sizeof(*s));
	s->c = c;
	s->next = next;
	s->free = free_arg;
	s->arg = arg;
	cbuf_init(&s->piece, 16384);
	cbuf_init(&s->out, 16384);
	s->link = streams;
	streams = s;
	/* Busy before the headers: Kore must not read a next request yet. */
	c->flags |= CONN_IS_BUSY;
	c->disconnect = on_disconnect;
	return (s);
}

void
stream_start(struct request *req, int status, const char *ctype,
    stream_next next, stream_free free_arg, void *arg)
{
	struct stream *s;

	if ((s = stream_new(req, status, ctype, next, free_arg, arg)) == NULL)
		return;
	reply_chunked(req, status, ctype);
	pump(s, 0);
}

/*
 * Like stream_start(), for a body of a known length: sent with
 * Content-Length as it is made; a producer that makes more or less than
 * length bytes has the connection cut. A HEAD request gets the headers
 * only, with the length.
 */
void
stream_start_sized(struct request *req, int status, const char *ctype,
    uint64_t length, stream_next next, stream_free free_arg, void *arg)
{
	struct stream *s;
	char	       len[24];

	snprintf(len, sizeof(len), "%llu", (unsigned long long)length);
	if (req->method == ROUTE_HEAD || req->http->owner == NULL) {
		reply_sized(req, status, ctype, len);
		free_arg(arg);
		return;
	}
	s = stream_new(req, status, ctype, next, free_arg, arg);
	s->sized = 1;
	s->left = length;
	reply_sized(req, status, ctype, len);
	if (length == 0) {
		finish(s, 0);
		return;
	}
	pump(s, 0);
}
