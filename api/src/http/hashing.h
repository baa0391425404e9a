/*
 * Password work off the event loop (http/hashing.c). argon2id takes tens of
 * milliseconds of CPU and 19 MiB; run on a Kore worker's event loop it
 * would stall every other request of that worker. A handler instead hands
 * the work to a Kore task thread and leaves its request suspended; when
 * the work is done, the handler's done() runs on the event loop with the
 * request and the result, and answers.
 *
 * At most HASHING_QUEUE_MAX pieces of work wait or run per worker; past
 * that the request is answered 503 with Retry-After at once, so a burst of
 * logins delays other logins, never the rest of the API. Kore runs tasks
 * on two threads per worker (its task_threads default): at about 40 ms a
 * hash, a full queue is answered within about 0.6 s, and at most two
 * hashes' memory (2 x 19 MiB) is in use per worker whatever arrives.
 */
#ifndef CLIENTD_HTTP_HASHING_H
#define CLIENTD_HTTP_HASHING_H

#include <stddef.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include "core/password.h"
#include "http/request.h"

#define HASHING_QUEUE_MAX 32
#define HASHING_DATA_MAX  512

enum hashing_op {
	HASHING_VERIFY, /* password against hash ("" = the dummy) */
	HASHING_HASH,	/* a new hash of password */
	HASHING_CHANGE	/* VERIFY, then (when it matched) a hash of password2
			   into rehash: a password change in one piece */
};

struct hashing;
typedef void (*hashing_done)(struct request *, struct hashing *);

struct hashing {
	struct kore_task task;
	struct request	 req; /* the suspended request, owned here */
	hashing_done	 done;
	enum hashing_op	 op;
	char		 password[PASSWORD_INPUT_MAX * 4 + 1];	/* UTF-8 */
	char		 password2[PASSWORD_INPUT_MAX * 4 + 1]; /* CHANGE */
	char hash[PASSWORD_HASH_MAX];	/* in for VERIFY, out for HASH */
	char rehash[PASSWORD_HASH_MAX]; /* VERIFY: a new hash, or "" */
	int  ok;		     /* VERIFY: it matched; HASH: it was made */
	char data[HASHING_DATA_MAX]; /* the handler's own */
	int  counted;		     /* in the queue's count */
	int  released;		     /* req cleaned up */
};

int hashing_start(struct request *, enum hashing_op, const char *, const char *,
    const void *, size_t, hashing_done);
int hashing_start_change(struct request *, const char *, const char *,
    const char *, const void *, size_t, hashing_done);
int hashing_resume(struct http_request *);

#endif
