/*
 * Password work in Kore task threads (see hashing.h).
 *
 * A handler calls hashing_start(): the request (struct request, with its
 * body and credentials) moves into a struct hashing kept as the Kore
 * request's state, a task runs the argon2id work, and the handler returns
 * without answering. Kore wakes the request when the task is done and
 * calls edge_request() again, which comes here (hashing_resume): the
 * handler's done() answers, and the request is cleaned up.
 *
 * If the client goes away while the task runs, Kore keeps its request
 * (and our state) until the task has finished, and calls onfree first:
 * the state's own resources are released there, never the fields the
 * task still uses. The password leaves memory (sodium_memzero) as soon as
 * the work is done.
 */
#include <sys/resource.h>

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/password.h"
#include "http/hashing.h"
#include "http/observe.h"
#include "http/reply.h"
#include "http/request.h"

static unsigned int queued; /* this worker's work waiting or running */

/*
 * A task thread hashes at the lowest priority (nice 19), on any CPU (it
 * inherits the worker's pinning to one core, the core its event loop runs
 * on). Argon2id is tens of milliseconds of CPU; at the event loop's
 * priority it would share the core with it slice for slice and every
 * request of the worker would wait for its turns. At nice 19 the event
 * loop takes the core whenever it has work (1024 to 15 by the scheduler's
 * weights), and the hash still gets a share when the machine is busy, so
 * logins slow down under load but do not stop. Failing is harmless (the
 * work then runs at the default priority).
 */
static void
background(void)
{
	cpu_set_t all;
	int	  i;

	CPU_ZERO(&all);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	(void)sched_setaffinity(0, sizeof(all), &all);
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
}

/* The work, in a task thread: only libsodium, nothing of Kore's. */
static int
work(struct kore_task *t)
{
	struct hashing *h = (struct hashing *)t;

	background();

	switch (h->op) {
	case HASHING_VERIFY:
		if (h->hash[0] == '\0') {
			password_verify_dummy(h->password);
			h->ok = 0;
			break;
		}
		h->ok = password_verify(h->password, h->hash);
		if (h->ok && password_needs_rehash(h->hash) &&
		    password_hash(h->password, h->rehash) != 0)
			h->rehash[0] = '\0';
		break;
	case HASHING_HASH:
		h->ok = password_hash(h->password, h->hash) == 0;
		break;
	case HASHING_CHANGE:
		h->ok = h->hash[0] != '\0' &&
		    password_verify(h->password, h->hash) &&
		    password_hash(h->password2, h->rehash) == 0;
		if (h->hash[0] == '\0')
			password_verify_dummy(h->password);
		break;
	}
	return (KORE_RESULT_OK);
}

static void
uncount(struct hashing *h)
{
	if (h->counted) {
		h->counted = 0;
		queued--;
		metrics_gauge_add(&observe_metrics()->hashing_in_flight, -1);
	}
}

/* Kore frees the request: ours to release, once, nothing the task uses. */
static void
onfree(struct http_request *http)
{
	struct hashing *h = http->hdlr_extra;

	if (h == NULL)
		return;
	uncount(h);
	if (!h->released) {
		h->released = 1;
		request_cleanup(&h->req);
	}
}

static void
busy(struct request *req)
{
	struct api_error err;

	api_error_init(&err, API_ERR_UNAVAILABLE);
	api_error_setf(&err, API_ERR_UNAVAILABLE, "too many logins at once");
	api_error_hint(&err, "Retry in a moment.");
	metrics_add(&observe_metrics()->hashing_rejected, 1);
	reply_error(req, &err); /* with Retry-After: 1 */
	api_error_cleanup(&err);
}

/*
 * Starts op on password (and hash, for HASHING_VERIFY: "" or NULL checks
 * against the dummy so that an unknown account costs the same) with len
 * bytes of data for done(). Returns 0 with the request suspended (the
 * handler must return at once, without answering or cleaning up), or -1
 * when it has been answered: 503 when the queue is full.
 */
static int
start(struct request *req, enum hashing_op op, const char *password,
    const char *hash, const char *password2, const void *data, size_t len,
    hashing_done done)
{
	struct hashing *h;

	if (queued >= HASHING_QUEUE_MAX) {
		busy(req);
		return (-1);
	}
	if (strlen(password) >= sizeof(h->password) ||
	    (hash != NULL && strlen(hash) >= sizeof(h->hash)) ||
	    (password2 != NULL && strlen(password2) >= sizeof(h->password2)) ||
	    len > sizeof(h->data))
		core_fatal("hashing_start: input longer than its buffer");

	h = http_state_create(req->http, sizeof(*h), onfree);
	memcpy(&h->req, req, sizeof(h->req));
	req->suspended = 1;
	h->op = op;
	h->done = done;
	memcpy(h->password, password, strlen(password) + 1);
	if (password2 != NULL)
		memcpy(h->password2, password2, strlen(password2) + 1);
	if (hash != NULL)
		memcpy(h->hash, hash, strlen(hash) + 1);
	if (len > 0)
		memcpy(h->data, data, len);
	h->counted = 1;
	queued++;
	metrics_gauge_add(&observe_metrics()->hashing_in_flight, 1);

	kore_task_create(&h->task, work);
	kore_task_bind_request(&h->task, req->http);
	kore_task_run(&h->task);
	return (0);
}

int
hashing_start(struct request *req, enum hashing_op op, const char *password,
    const char *hash, const void *data, size_t len, hashing_done done)
{
	return (start(req, op, password, hash, NULL, data, len, done));
}

/*
 * HASHING_CHANGE: checks current against hash and, when it matches, hashes
 * replacement into rehash; otherwise as hashing_start().
 */
int
hashing_start_change(struct request *req, const char *current, const char *hash,
    const char *replacement, const void *data, size_t len, hashing_done done)
{
	return (start(
	    req, HASHING_CHANGE, current, hash, replacement, data, len, done));
}

/*
 * Called by edge_request() for a request with our state: KORE_RESULT_RETRY
 * while the work runs; then done() answers and the request is released.
 */
int
hashing_resume(struct http_request *http)
{
	struct hashing *h = http->hdlr_extra;

	if (kore_task_state(&h->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	kore_task_destroy(&h->task);
	uncount(h);
	sodium_memzero(h->password, sizeof(h->password));
	sodium_memzero(h->password2, sizeof(h->password2));
	h->done(&h->req, h);
	sodium_memzero(h->rehash, sizeof(h->rehash));
	if (!h->req.responded)
		reply_errorf(&h->req, API_ERR_INTERNAL, "internal error");
	h->released = 1;
	observe_end(&h->req);
	request_cleanup(&h->req);
	return (KORE_RESULT_OK);
}
