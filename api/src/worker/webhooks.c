/*
 * Webhook delivery: the worker's second loop.
 *
 * Why a loop of its own rather than a kind of job: a delivery is an HTTP
 * request that may take seconds (a slow receiver, a timeout), and many
 * receivers must be served at once without one holding up another. So
 * deliveries run here, on a thread with its own connection, as concurrent
 * libcurl transfers in one curl_multi loop that also watches the
 * database socket: NOTIFY clientd_webhooks (sent when a delivery is
 * queued) wakes it, and it polls once a second for retries that fall due.
 * Jobs (imports, mail) keep the main loop; neither waits for the other.
 *
 * Lanes. A webhook's deliveries go out one at a time, in order. The loop
 * takes a lane with webhook_claim() (a session advisory lock: it ends
 * with this connection, so a worker killed with -9 frees its lanes at
 * once and another worker carries on), sends the lane's next delivery,
 * records the attempt, takes the lane's next deliveries in the same
 * round trip, and gives the lane back with webhook_release() once it has
 * nothing due. Up to CLIENTD_WEBHOOKS_CONCURRENCY lanes are in flight at
 * once.
 *
 * Where a busy lane's time goes: per delivery, the HTTP request (well
 * under a millisecond against a receiver on the same machine) and the
 * record, one round trip and one commit (about 1.4 ms on a quiet machine,
 * several on a loaded one; the line logged at stop has both). Each
 * delivery is recorded before the next one is sent, so that a worker
 * that dies repeats at most the one in flight: that commit is per
 * delivery, but it does not wait for the disk (sql_session below).
 *
 * Batches (CLIENTD_WEBHOOKS_BATCH, 1 by default) trade that for more
 * deliveries per second on one lane: a lane takes up to that many of its
 * due deliveries at once (webhook_next_batch()), sends them one after
 * another, each when the previous one succeeded, and records them all in
 * one transaction (webhook_record_batch()), which hands back the next
 * batch. Batches grow only with a backlog (a lane that keeps up has one
 * delivery at a time). The first attempt that does not succeed ends the
 * batch (its retry holds up the rest, as always); the ones not sent stay
 * queued. A batch is sent within BATCH_WINDOW_MS of being read, or the
 * rest is read afresh: a webhook paused, changed or deleted meanwhile
 * gets no more than a second of its old batch. A worker that dies
 * mid-batch has sent deliveries it did not record: another worker sends
 * them again (the same webhook-id), up to a batch of them.
 *
 * Waking. NOTIFY clientd_webhooks names the lanes a commit queued
 * deliveries on. A lane this worker holds takes them when it records its
 * current delivery (or looks again when it gives the lane back), so a
 * busy lane does not make the loop look for work (webhook_claim(), a
 * round trip) on every event, as it did: half the claims of a lane at
 * 200 events/s found nothing.
 *
 * Each request: POST of the payload (core/events.c) signed per Standard
 * Webhooks (core/signature.c) with the webhook's secret (and, during a
 * rotation, the previous one), opened from its sealed form with
 * CLIENTD_SECRET_KEY (core/vault.c); custom headers; no redirects; no
 * proxy; connect and total timeouts; at most RESPONSE_MAX bytes of the
 * answer read. Every address curl is about to connect to, after name
 * resolution, is held to the address policy (core/netpolicy.c): a name
 * that resolves or rebinds to a refused address does not get through.
 * What the answer means and when to retry is core/retry.c's.
 *
 * Environment:
 *   CLIENTD_SECRET_KEY              the key the secrets are sealed with
 *                                   (without it, nothing is delivered)
 *   CLIENTD_WEBHOOKS_ALLOW_PRIVATE  1, or loopback,private,link-local
 *   CLIENTD_WEBHOOKS_ALLOW_HTTP     1 to allow http:// targets
 *   CLIENTD_WEBHOOKS_CONCURRENCY    lanes in flight (32)
 *   CLIENTD_WEBHOOKS_BATCH          deliveries of a lane sent before they
 *                                   are recorded, in one transaction (1;
 *                                   at most 64)
 *   CLIENTD_WEBHOOKS_TIMEOUT        seconds a request may take (10)
 *   CLIENTD_WEBHOOKS                0: this worker delivers nothing
 *   CLIENTD_PUBLIC_URL              the web app's address, for the link in
 *                                   the mail to the owner of a webhook
 *                                   this worker disables (the daemon's
 *                                   default, http://127.0.0.1:8888)
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/events.h"
#include "core/netpolicy.h"
#include "core/retry.h"
#include "core/signature.h"
#include "core/utf8.h"
#include "core/vault.h"
#include "pq/pq.h"
#include "worker/webhooks.h"

#define RESPONSE_MAX	8192 /* bytes of an answer read */
#define EXCERPT_MAX	2048 /* of which the log keeps */
#define CONNECT_TIMEOUT 5000 /* ms */
#define POLL_MS		1000
#define STOP_GRACE_MS	3000
#define CONCURRENCY_MAX 256
#define BATCH_MAX	64
#define BATCH_WINDOW_MS 1000 /* a batch taken longer ago is taken afresh */
#define USER_AGENT	"clientd-webhooks/" CLIENTD_VERSION

/* clang-format off */
#define SEND_COLUMNS "lane, delivery, url, headers, secret, previous_secret, " \
    "message_id, type, created_at, data, previous, attempts, " \
    "first_attempt_epoch"

static const char sql_claim[] =
    "SELECT " SEND_COLUMNS " FROM webhook_claim($1::int, $2::bigint[])";

static const char sql_record[] =
    "SELECT " SEND_COLUMNS " FROM webhook_record_batch($1::jsonb, $2, "
    "    $3::interval, $4::int)";

static const char sql_release[] = "SELECT webhook_release($1::bigint)";

/*
 * The session: what webhook_disable() starts its mail's link with, and
 * commits that do not wait for the WAL to reach the disk, which was most
 * of a record's time with a backlog. A record is visible to every other
 * session at once either way (no worker sends it again); what only a
 * crash of the database server itself can lose (its last fraction of a
 * second of records) is sent again, with the same webhook-id.
 */
static const char sql_session[] =
    "SELECT set_config('app.public_url', $1, false), "
    "    set_config('synchronous_commit', 'off', false)";
/* clang-format on */

/* What sending one delivery takes (a webhook_send row: sql/0014). */
struct send {
	char	 *lane;
	char	 *delivery;
	char	 *url;
	char	 *headers;
	char	 *secret;
	char	 *previous_secret;
	char	 *message_id;
	char	 *type;
	char	 *created_at;
	char	 *data;
	char	 *previous;
	int	  attempts;
	long long first_attempt; /* 0: never attempted */
};

/* One lane in flight. */
struct slot {
	int		   used;
	struct send	   s;	  /* the delivery being sent */
	struct send	  *queue; /* the rest of its batch, W.batch */
	int		   qlen;
	int		   qpos;
	json_t		  *done;  /* attempts sent, not yet recorded */
	struct timespec	   taken; /* when the batch was read */
	int		   poked; /* a delivery was queued on its lane since */
	CURL		  *easy;
	struct curl_slist *hdrs;
	struct cbuf	   body;
	char		   excerpt[EXCERPT_MAX + 1];
	size_t		   excerpt_len;
	size_t		   read;
	int		   capped;
	long		   retry_after;
	char		   location[256];
	char		   refused[160];
	char		   errbuf[CURL_ERROR_SIZE];
	char		   started[40];
	struct timespec	   t0;
};

static struct {
	char		 url[2048];
	char		 worker_id[160];
	char		 public_url[512];
	struct netpolicy policy;
	unsigned char	 key[VAULT_KEY_LEN];
	int		 concurrency;
	int		 batch;
	long		 timeout_ms;

	pthread_t    thread;
	int	     running;
	int	     wake[2];
	atomic_int   stop;
	PGconn	    *conn;
	CURLM	    *multi;
	struct slot *slots;
	int	     inflight;
	int	     notified;

	/* Where the time goes (logged when the loop stops): microseconds
	 * spent in each kind of step, and how many of each. */
	struct {
		long long n, us;
	} st_http, st_record, st_claim, st_release;
} W = { .wake = { -1, -1 } };

static void wlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
wlog(const char *fmt, ...)
{
	va_list	  ap;
	time_t	  now;
	struct tm tm;
	char	  ts[32];

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s clientd-worker[%d] webhooks: ", ts, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0' ? v : NULL);
}

static long
env_long(const char *name, long def, long min, long max)
{
	const char *v = env(name);
	char	   *end;
	long	    n;

	if (v == NULL)
		return (def);
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max) {
		wlog("%s must be a number from %ld to %ld, not \"%s\"", name,
		    min, max, v);
		exit(1);
	}
	return (n);
}

static long long
us_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((long long)(t.tv_sec - t0->tv_sec) * 1000000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((long)((t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000));
}

static void
send_clear(struct send *s)
{
	char **f[] = { &s->lane, &s->delivery, &s->url, &s->headers, &s->secret,
		&s->previous_secret, &s->message_id, &s->type, &s->created_at,
		&s->data, &s->previous };
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(f); i++) {
		if (*f[i] != NULL)
			sodium_memzero(*f[i], strlen(*f[i]));
		free(*f[i]);
		*f[i] = NULL;
	}
	memset(s, 0, sizeof(*s));
}

static char *
col(PGresult *r, int row, const char *name)
{
	int c = PQfnumber(r, name);

	if (c < 0)
		core_fatal("webhooks: no column \"%s\"", name);
	if (PQgetisnull(r, row, c))
		return (NULL);
	return (strdup(PQgetvalue(r, row, c)));
}

static void
send_read(PGresult *r, int row, struct send *s)
{
	char *a, *f;

	memset(s, 0, sizeof(*s));
	s->lane = col(r, row, "lane");
	s->delivery = col(r, row, "delivery");
	s->url = col(r, row, "url");
	s->headers = col(r, row, "headers");
	s->secret = col(r, row, "secret");
	s->previous_secret = col(r, row, "previous_secret");
	s->message_id = col(r, row, "message_id");
	s->type = col(r, row, "type");
	s->created_at = col(r, row, "created_at");
	s->data = col(r, row, "data");
	s->previous = col(r, row, "previous");
	a = col(r, row, "attempts");
	f = col(r, row, "first_attempt_epoch");
	s->attempts = a != NULL ? atoi(a) : 0;
	s->first_attempt = f != NULL ? strtoll(f, NULL, 10) : 0;
	free(a);
	free(f);
	if (s->lane == NULL || s->delivery == NULL || s->url == NULL ||
	    s->secret == NULL || s->message_id == NULL || s->type == NULL)
		core_fatal("webhooks: incomplete delivery row");
}

/*
 * A notification: deliveries were queued on the lanes its payload lists
 * (comma-separated ids; empty: unknown). A lane this worker holds takes
 * them in turn (or, when it is given back, looks again: its slot is
 * poked); any other lane means looking for work (claim()).
 */
static void
notice(const char *payload)
{
	const char *p = payload, *end;
	size_t	    len;
	int	    i, held;

	if (*p == '\0') {
		W.notified = 1;
		return;
	}
	while (*p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		held = 0;
		for (i = 0; i < W.concurrency && !held; i++) {
			if (W.slots[i].used && W.slots[i].s.lane != NULL &&
			    strlen(W.slots[i].s.lane) == len &&
			    strncmp(W.slots[i].s.lane, p, len) == 0) {
				W.slots[i].poked = 1;
				held = 1;
			}
		}
		if (!held) {
			W.notified = 1;
			return;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

/* Drains notifications. */
static void
notices(void)
{
	PGnotify *n;

	while ((n = PQnotifies(W.conn)) != NULL) {
		notice(n->extra != NULL ? n->extra : "");
		PQfreemem(n);
	}
}

/*
 * Opens a sealed secret (bytea in text form, "\x..."): the signing key
 * into key (SIGNATURE_KEY_MAX bytes). Returns its length, or -1 with why.
 */
static int
secret_open(const char *hex, unsigned char *key, char *why, size_t len)
{
	unsigned char sealed[VAULT_SEALED_LEN(SIGNATURE_KEY_MAX)];
	size_t	      n;
	int	      rc;

	if (strncmp(hex, "\\x", 2) != 0 ||
	    sodium_hex2bin(sealed, sizeof(sealed), hex + 2, strlen(hex + 2),
		NULL, &n, NULL) != 0) {
		snprintf(why, len, "the stored signing secret is malformed");
		return (-1);
	}
	rc = vault_open(W.key, sealed, n, key, SIGNATURE_KEY_MAX);
	sodium_memzero(sealed, sizeof(sealed));
	if (rc == VAULT_E_OTHER_KEY) {
		snprintf(why, len,
		    "the signing secret was sealed with another "
		    "CLIENTD_SECRET_KEY than this worker's");
		return (-1);
	}
	if (rc < 0) {
		snprintf(why, len, "the signing secret cannot be opened");
		return (-1);
	}
	return (rc);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct slot *sl = arg;
	size_t	     len = size * n, keep;

	keep = EXCERPT_MAX - sl->excerpt_len;
	if (keep > len)
		keep = len;
	memcpy(sl->excerpt + sl->excerpt_len, data, keep);
	sl->excerpt_len += keep;
	sl->excerpt[sl->excerpt_len] = '\0';
	if (sl->read + len > RESPONSE_MAX) {
		sl->capped = 1;
		return (0); /* ends the transfer: we read enough */
	}
	sl->read += len;
	return (len);
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct slot *sl = arg;
	size_t	     len = size * n, v;
	char	     line[256];

	if (len >= sizeof(line))
		return (len);
	memcpy(line, data, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue): start over. */
		sl->retry_after = -1;
		sl->location[0] = '\0';
	} else if (strncasecmp(line, "retry-after:", 12) == 0) {
		sl->retry_after =
		    retry_after_parse(line + 12, (long long)time(NULL));
	} else if (strncasecmp(line, "location:", 9) == 0) {
		v = 9 + strspn(line + 9, " \t");
		snprintf(sl->location, sizeof(sl->location), "%s", line + v);
	}
	return (len);
}

/* Every address curl connects to passes the policy first. */
static curl_socket_t
on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct slot	    *sl = arg;
	const unsigned char *bytes = NULL;

	if (a->family == AF_INET)
		bytes = (const unsigned char *)&(
		    (struct sockaddr_in *)(void *)&a->addr)
			    ->sin_addr;
	else if (a->family == AF_INET6)
		bytes = (const unsigned char *)&(
		    (struct sockaddr_in6 *)(void *)&a->addr)
			    ->sin6_addr;
	if (bytes == NULL) {
		snprintf(sl->refused, sizeof(sl->refused),
		    "address family %d is not allowed", a->family);
		return (CURL_SOCKET_BAD);
	}
	if (!netpolicy_addr_check(
		&W.policy, a->family, bytes, sl->refused, sizeof(sl->refused)))
		return (CURL_SOCKET_BAD);
	return (socket(a->family, a->socktype, a->protocol));
}

static void
header_add(struct slot *sl, const char *name, const char *value)
{
	struct curl_slist *l;
	struct cbuf	   h;

	cbuf_init(&h, 64);
	cbuf_appendf(&h, "%s: %s", name, value);
	if ((l = curl_slist_append(sl->hdrs, h.data)) == NULL)
		core_fatal("curl_slist_append failed");
	sl->hdrs = l;
	cbuf_cleanup(&h);
}

/*
 * Builds the request of sl->s; -1 (with why) when it cannot be signed.
 * The signature covers id.timestamp.body with the current secret and,
 * while it still signs, the previous one.
 */
static int
request_build(struct slot *sl, char *why, size_t whylen)
{
	unsigned char key[SIGNATURE_KEY_MAX];
	char	      sig[SIGNATURE_LEN + 1], sigs[2 * SIGNATURE_LEN + 2];
	char	      ts[24];
	json_t	     *h, *v;
	const char   *name;
	long long     now = (long long)time(NULL);
	int	      n;

	cbuf_reset(&sl->body);
	events_payload(&sl->body, sl->s.message_id, sl->s.type,
	    sl->s.created_at != NULL ? sl->s.created_at : "", sl->s.data,
	    sl->s.previous);
	if ((n = secret_open(sl->s.secret, key, why, whylen)) < 0)
		return (-1);
	signature_sign(key, (size_t)n, sl->s.message_id, now, sl->body.data,
	    sl->body.len, sig);
	snprintf(sigs, sizeof(sigs), "%s", sig);
	if (sl->s.previous_secret != NULL) {
		if ((n = secret_open(sl->s.previous_secret, key, why, whylen)) <
		    0) {
			sodium_memzero(key, sizeof(key));
			return (-1);
		}
		signature_sign(key, (size_t)n, sl->s.message_id, now,
		    sl->body.data, sl->body.len, sig);
		n = (int)strlen(sigs);
		snprintf(sigs + n, sizeof(sigs) - (size_t)n, " %s", sig);
	}
	sodium_memzero(key, sizeof(key));
	snprintf(ts, sizeof(ts), "%lld", now);

	header_add(sl, "Content-Type", "application/json");
	header_add(sl, "Expect", "");
	header_add(sl, "webhook-id", sl->s.message_id);
	header_add(sl, "webhook-timestamp", ts);
	header_add(sl, "webhook-signature", sigs);
	if (sl->s.headers != NULL &&
	    (h = json_loads(sl->s.headers, 0, NULL)) != NULL) {
		json_object_foreach(h, name, v)
		{
			if (json_is_string(v))
				header_add(sl, name, json_string_value(v));
		}
		json_decref(h);
	}
	return (0);
}

/* Options that cannot fail but for a bug (or a libcurl without them). */
#define SETOPT(e, o, v) \
	do { \
		if (curl_easy_setopt(e, o, v) != CURLE_OK) \
			core_fatal("curl_easy_setopt(%s) failed", #o); \
	} while (0)

static void record(struct slot *, int, const char *);

/* Starts sending the delivery in sl->s (the slot is in use). */
static void
transfer_start(struct slot *sl)
{
	struct tm	tm;
	struct timespec now;
	char		why[256];
	CURL	       *e;

	sl->hdrs = NULL;
	sl->excerpt[0] = '\0';
	sl->excerpt_len = 0;
	sl->read = 0;
	sl->capped = 0;
	sl->retry_after = -1;
	sl->location[0] = '\0';
	sl->refused[0] = '\0';
	sl->errbuf[0] = '\0';
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(sl->started, sizeof(sl->started), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(sl->started + strlen(sl->started),
	    sizeof(sl->started) - strlen(sl->started), ".%06ldZ",
	    now.tv_nsec / 1000);
	clock_gettime(CLOCK_MONOTONIC, &sl->t0);

	if (request_build(sl, why, sizeof(why)) != 0) {
		record(sl, 0, why);
		return;
	}
	if ((e = curl_easy_init()) == NULL)
		core_fatal("curl_easy_init failed");
	sl->easy = e;
	SETOPT(e, CURLOPT_URL, sl->s.url);
	SETOPT(e, CURLOPT_POST, 1L);
	SETOPT(e, CURLOPT_POSTFIELDS, sl->body.data);
	SETOPT(e, CURLOPT_POSTFIELDSIZE, (long)sl->body.len);
	SETOPT(e, CURLOPT_HTTPHEADER, sl->hdrs);
	SETOPT(e, CURLOPT_USERAGENT, USER_AGENT);
	SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(e, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(e, CURLOPT_NOPROXY, "*");
	SETOPT(e, CURLOPT_NOSIGNAL, 1L);
	SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS,
	    W.timeout_ms < CONNECT_TIMEOUT ? W.timeout_ms
					   : (long)CONNECT_TIMEOUT);
	SETOPT(e, CURLOPT_TIMEOUT_MS, W.timeout_ms);
	SETOPT(e, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(e, CURLOPT_WRITEDATA, sl);
	SETOPT(e, CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(e, CURLOPT_HEADERDATA, sl);
	SETOPT(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	SETOPT(e, CURLOPT_OPENSOCKETDATA, sl);
	SETOPT(e, CURLOPT_ERRORBUFFER, sl->errbuf);
	SETOPT(e, CURLOPT_PRIVATE, sl);
	if (curl_multi_add_handle(W.multi, e) != CURLM_OK)
		core_fatal("curl_multi_add_handle failed");
}

static void
transfer_end(struct slot *sl)
{
	if (sl->easy != NULL) {
		curl_multi_remove_handle(W.multi, sl->easy);
		curl_easy_cleanup(sl->easy);
		sl->easy = NULL;
	}
	curl_slist_free_all(sl->hdrs);
	sl->hdrs = NULL;
}

/* Frees the batch's deliveries not sent. */
static void
queue_clear(struct slot *sl)
{
	int i;

	for (i = sl->qpos; i < sl->qlen; i++)
		send_clear(&sl->queue[i]);
	sl->qlen = sl->qpos = 0;
}

/* Frees the slot and gives its lane back (after the last record). */
static void
slot_release(struct slot *sl)
{
	struct timespec t0;
	PGresult       *r;
	char		err[512];

	if (W.conn != NULL && PQstatus(W.conn) == CONNECTION_OK) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = PQ_QUERY(W.conn, sql_release, err, sizeof(err), sl->s.lane);
		W.st_release.n++;
		W.st_release.us += us_since(&t0);
		if (r == NULL)
			wlog("could not release lane %s: %s", sl->s.lane, err);
		PQclear(r);
		notices();
	}
	queue_clear(sl);
	json_array_clear(sl->done);
	send_clear(&sl->s);
	sl->used = 0;
	W.inflight--;
	/* Queued on it after its last batch was read: look again. */
	if (sl->poked)
		W.notified = 1;
	sl->poked = 0;
}

/* len bytes of s as text the database takes (valid UTF-8, no NUL). */
static void
text_clean(char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = utf8_seq_len(s + i, len - i);
		if (n == 0 || s[i] == '\0') {
			s[i] = '?';
			n = 1;
		}
	}
}

/*
 * Records the attempts of sl->done in one transaction and moves the slot
 * on: to the lane's next batch, or releases it (also when stopping: no
 * next batch is taken then).
 */
static void
flush(struct slot *sl)
{
	struct timespec t0;
	PGresult       *r;
	char	       *attempts, next[16], disable[32], pgerr[1024];
	const char     *params[4];
	int		tries, i;

	queue_clear(sl);
	if ((attempts = json_dumps(sl->done, JSON_COMPACT)) == NULL)
		core_fatal("webhooks: out of memory");
	json_array_clear(sl->done);
	snprintf(next, sizeof(next), "%d", atomic_load(&W.stop) ? 0 : W.batch);
	snprintf(disable, sizeof(disable), "%ld seconds", RETRY_WINDOW_S);
	params[0] = attempts;
	params[1] = W.worker_id;
	params[2] = disable;
	params[3] = next;
	/* A deadlock or a serialization failure is tried again: giving up
	 * would send the deliveries twice. */
	r = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (tries = 0; tries < 3; tries++) {
		r = pq_query(
		    W.conn, sql_record, 4, params, pgerr, sizeof(pgerr));
		notices();
		if (r != NULL || PQstatus(W.conn) != CONNECTION_OK)
			break;
	}
	W.st_record.n++;
	W.st_record.us += us_since(&t0);
	free(attempts);
	if (r == NULL) {
		/* The lane is lost with the connection; another worker
		 * sends these deliveries again. */
		wlog("could not record delivery %s: %s", sl->s.delivery, pgerr);
		slot_release(sl);
		return;
	}
	if (PQntuples(r) == 0) {
		PQclear(r);
		slot_release(sl);
		return;
	}
	send_clear(&sl->s);
	send_read(r, 0, &sl->s);
	clock_gettime(CLOCK_MONOTONIC, &sl->taken);
	for (i = 1; i < PQntuples(r) && i < W.batch; i++)
		send_read(r, i, &sl->queue[sl->qlen++]);
	PQclear(r);
	transfer_start(sl);
}

/*
 * Notes the attempt (status 0: no answer; err: why, or NULL) and moves
 * the slot on: to the next delivery of its batch when this one succeeded,
 * else records the batch (flush()).
 */
static void
record(struct slot *sl, int status, const char *err)
{
	enum retry_outcome o;
	json_t		  *a;
	char		   why[600];
	long		   d = 0;
	long long	   now = (long long)time(NULL), first;
	int		   exhausted = 0;

	o = retry_classify(status);
	if (o == RETRY_AGAIN) {
		first = sl->s.first_attempt > 0 ? sl->s.first_attempt : now;
		exhausted = retry_next(sl->s.attempts + 1,
				status > 0 ? sl->retry_after : -1, first, now,
				randombytes_random(), &d) == RETRY_EXHAUSTED;
	}
	text_clean(sl->excerpt, sl->excerpt_len);
	if (err != NULL) {
		snprintf(why, sizeof(why), "%s", err);
		text_clean(why, strlen(why));
	}
	a = json_pack("{s:s, s:s, s:I, s:o, s:s, s:o, s:o, s:o}", "delivery",
	    sl->s.delivery, "started", sl->started, "latency_ms",
	    (json_int_t)ms_since(&sl->t0), "status_code",
	    status > 0 ? json_integer(status) : json_null(), "outcome",
	    retry_outcome_name(o), "error",
	    err != NULL ? json_string(why) : json_null(), "excerpt",
	    sl->excerpt_len > 0 ? json_string(sl->excerpt) : json_null(),
	    "delay_ms",
	    o == RETRY_AGAIN && !exhausted ? json_integer(d) : json_null());
	if (a == NULL || json_array_append_new(sl->done, a) != 0)
		core_fatal("webhooks: could not note an attempt");
	transfer_end(sl);
	if (o == RETRY_DELIVERED && sl->qpos < sl->qlen &&
	    ms_since(&sl->taken) < BATCH_WINDOW_MS && !atomic_load(&W.stop)) {
		send_clear(&sl->s);
		sl->s = sl->queue[sl->qpos];
		memset(&sl->queue[sl->qpos], 0, sizeof(sl->queue[sl->qpos]));
		sl->qpos++;
		transfer_start(sl);
		return;
	}
	flush(sl);
}

/* A transfer ended: what happened, in words for the log. */
static void
transfer_done(struct slot *sl, CURLcode rc)
{
	long status = 0;
	char why[512];

	W.st_http.n++;
	W.st_http.us += us_since(&sl->t0);
	(void)curl_easy_getinfo(sl->easy, CURLINFO_RESPONSE_CODE, &status);
	why[0] = '\0';
	if (rc == CURLE_OK ||
	    (rc == CURLE_WRITE_ERROR && sl->capped && status > 0)) {
		if (status >= 300 && status <= 399)
			snprintf(why, sizeof(why), "redirect not followed%s%s",
			    sl->location[0] ? " (Location: " : "",
			    sl->location[0] ? sl->location : "");
		if (status >= 300 && status <= 399 && sl->location[0])
			strncat(why, ")", sizeof(why) - strlen(why) - 1);
	} else {
		status = 0;
		if (sl->refused[0] != '\0')
			snprintf(why, sizeof(why),
			    "refused: %s (this server delivers to public "
			    "addresses only)",
			    sl->refused);
		else
			snprintf(why, sizeof(why), "%s%s%s",
			    curl_easy_strerror(rc), sl->errbuf[0] ? ": " : "",
			    sl->errbuf);
	}
	record(sl, (int)status, why[0] ? why : NULL);
}

static int
conn_open(void)
{
	PGresult *r;
	char	  err[1024];

	if ((W.conn = pq_connect(W.url, err, sizeof(err))) == NULL) {
		wlog("%s", err);
		return (-1);
	}
	if (pq_exec(W.conn, "LISTEN clientd_webhooks", err, sizeof(err)) != 0 ||
	    (r = PQ_QUERY(W.conn, sql_session, err, sizeof(err),
		 W.public_url)) == NULL) {
		wlog("%s", err);
		PQfinish(W.conn);
		W.conn = NULL;
		return (-1);
	}
	PQclear(r);
	W.notified = 1;
	return (0);
}

/* The connection is gone, and the lanes with it: drop what is in flight. */
static void
conn_lost(void)
{
	int i;

	wlog("lost the database; the lanes in flight are given up");
	for (i = 0; i < W.concurrency; i++) {
		if (!W.slots[i].used)
			continue;
		transfer_end(&W.slots[i]);
		queue_clear(&W.slots[i]);
		json_array_clear(W.slots[i].done);
		send_clear(&W.slots[i].s);
		W.slots[i].used = 0;
	}
	W.inflight = 0;
	PQfinish(W.conn);
	W.conn = NULL;
}

/* Takes lanes for the free slots and starts their deliveries. */
static void
claim(void)
{
	struct timespec t0;
	struct cbuf	held;
	PGresult       *r;
	char		limit[16], err[1024];
	int		i, j, first = 1;

	cbuf_init(&held, 64);
	cbuf_appendstr(&held, "{");
	for (i = 0; i < W.concurrency; i++) {
		if (W.slots[i].used) {
			cbuf_appendf(
			    &held, "%s%s", first ? "" : ",", W.slots[i].s.lane);
			first = 0;
		}
	}
	cbuf_appendstr(&held, "}");
	snprintf(limit, sizeof(limit), "%d", W.concurrency - W.inflight);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = PQ_QUERY(W.conn, sql_claim, err, sizeof(err), limit, held.data);
	W.st_claim.n++;
	W.st_claim.us += us_since(&t0);
	cbuf_cleanup(&held);
	notices();
	if (r == NULL) {
		wlog("could not claim deliveries: %s", err);
		return;
	}
	for (j = 0, i = 0; j < PQntuples(r) && i < W.concurrency; i++) {
		if (W.slots[i].used)
			continue;
		W.slots[i].used = 1;
		W.slots[i].poked = 0;
		W.inflight++;
		send_read(r, j++, &W.slots[i].s);
		transfer_start(&W.slots[i]);
	}
	PQclear(r);
}

static void
finished_transfers(void)
{
	CURLMsg	    *m;
	struct slot *sl;
	int	     left;

	while ((m = curl_multi_info_read(W.multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		sl = NULL;
		(void)curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &sl);
		if (sl != NULL)
			transfer_done(sl, m->data.result);
		if (W.conn == NULL || PQstatus(W.conn) != CONNECTION_OK)
			return;
	}
}

static void
wait_events(int timeout_ms)
{
	struct curl_waitfd fds[2];
	char		   buf[64];
	int		   n = 0, numfds = 0;

	fds[n].fd = W.wake[0];
	fds[n].events = CURL_WAIT_POLLIN;
	fds[n++].revents = 0;
	if (W.conn != NULL && PQsocket(W.conn) >= 0) {
		fds[n].fd = PQsocket(W.conn);
		fds[n].events = CURL_WAIT_POLLIN;
		fds[n++].revents = 0;
	}
	if (curl_multi_poll(W.multi, fds, (unsigned)n, timeout_ms, &numfds) !=
	    CURLM_OK)
		return;
	if (fds[0].revents != 0) {
		while (read(W.wake[0], buf, sizeof(buf)) > 0)
			;
	}
	if (n > 1 && fds[1].revents != 0) {
		if (PQconsumeInput(W.conn) == 0)
			return;
		notices();
	}
}

static void
loop(void)
{
	struct timespec last_poll = { 0, 0 };
	int		running, backoff = 1, timeout;

	while (!atomic_load(&W.stop)) {
		if (W.conn == NULL || PQstatus(W.conn) != CONNECTION_OK) {
			if (W.conn != NULL)
				conn_lost();
			if (conn_open() != 0) {
				wait_events(backoff * 1000);
				backoff = backoff < 16 ? backoff * 2 : 30;
				continue;
			}
			backoff = 1;
		}
		(void)curl_multi_perform(W.multi, &running);
		finished_transfers();
		if (W.conn == NULL || PQstatus(W.conn) != CONNECTION_OK)
			continue;
		if (W.inflight < W.concurrency &&
		    (W.notified || ms_since(&last_poll) >= POLL_MS)) {
			W.notified = 0;
			clock_gettime(CLOCK_MONOTONIC, &last_poll);
			claim();
			(void)curl_multi_perform(W.multi, &running);
		}
		timeout = POLL_MS - (int)ms_since(&last_poll);
		if (W.notified && W.inflight < W.concurrency)
			timeout = 0;
		wait_events(timeout < 0	    ? 0
			: timeout > POLL_MS ? POLL_MS
					    : timeout);
	}
}

/* Stopping: what is in flight gets STOP_GRACE_MS to finish. */
static void
drain(void)
{
	struct timespec t0;
	int		running, i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (W.inflight > 0 && W.conn != NULL &&
	    PQstatus(W.conn) == CONNECTION_OK &&
	    ms_since(&t0) < STOP_GRACE_MS) {
		(void)curl_multi_perform(W.multi, &running);
		finished_transfers();
		wait_events(100);
	}
	for (i = 0; i < W.concurrency; i++) {
		if (!W.slots[i].used)
			continue;
		transfer_end(&W.slots[i]);
		/* What was sent is recorded: another worker would send it
		 * again. The delivery in flight was not answered. */
		if (json_array_size(W.slots[i].done) > 0 && W.conn != NULL &&
		    PQstatus(W.conn) == CONNECTION_OK)
			flush(&W.slots[i]);
		else
			slot_release(&W.slots[i]);
	}
}

static double
st_avg(long long us, long long n)
{
	return (n > 0 ? (double)us / (double)n / 1000.0 : 0.0);
}

/* Where the time went, in one line: what to look at when a lane is slow. */
static void
stats_log(void)
{
	if (W.st_http.n == 0 && W.st_claim.n == 0)
		return;
	wlog("%lld requests (%.2f ms each, sending to answer), %lld records "
	     "(%.2f ms each), %lld claims (%.2f ms), %lld releases (%.2f ms)",
	    W.st_http.n, st_avg(W.st_http.us, W.st_http.n), W.st_record.n,
	    st_avg(W.st_record.us, W.st_record.n), W.st_claim.n,
	    st_avg(W.st_claim.us, W.st_claim.n), W.st_release.n,
	    st_avg(W.st_release.us, W.st_release.n));
}

static void *
thread_main(void *arg)
{
	loop();
	drain();
	stats_log();
	if (W.conn != NULL)
		PQfinish(W.conn);
	W.conn = NULL;
	return (NULL);
}

/*
 * Reads the configuration and starts the delivery thread (not when
 * CLIENTD_WEBHOOKS=0, or without CLIENTD_SECRET_KEY, which it logs).
 * Returns 0, or -1 on a configuration error, which the worker treats as
 * fatal.
 */
int
webhooks_start(const char *database_url, const char *worker_id)
{
	sigset_t set, old;
	char	 err[256];
	int	 i, rc;

	if (env("CLIENTD_WEBHOOKS") != NULL &&
	    strcmp(env("CLIENTD_WEBHOOKS"), "0") == 0) {
		wlog("off in this worker (CLIENTD_WEBHOOKS=0)");
		return (0);
	}
	if (netpolicy_parse(env("CLIENTD_WEBHOOKS_ALLOW_PRIVATE"),
		env("CLIENTD_WEBHOOKS_ALLOW_HTTP"), &W.policy, err,
		sizeof(err)) != 0) {
		wlog("%s", err);
		return (-1);
	}
	if (env("CLIENTD_SECRET_KEY") == NULL) {
		wlog("CLIENTD_SECRET_KEY is not set: this worker delivers no "
		     "webhooks (they stay queued)");
		return (0);
	}
	if (vault_key_parse(env("CLIENTD_SECRET_KEY"), W.key) != 0) {
		wlog("CLIENTD_SECRET_KEY must be 32 bytes in base64 or hex");
		return (-1);
	}
	W.concurrency = (int)env_long(
	    "CLIENTD_WEBHOOKS_CONCURRENCY", 32, 1, CONCURRENCY_MAX);
	W.timeout_ms = env_long("CLIENTD_WEBHOOKS_TIMEOUT", 10, 1, 60) * 1000L;
	W.batch = (int)env_long("CLIENTD_WEBHOOKS_BATCH", 1, 1, BATCH_MAX);
	snprintf(W.url, sizeof(W.url), "%s", database_url);
	snprintf(W.worker_id, sizeof(W.worker_id), "%s", worker_id);
	if (snprintf(W.public_url, sizeof(W.public_url), "%s",
		env("CLIENTD_PUBLIC_URL") != NULL
		    ? env("CLIENTD_PUBLIC_URL")
		    : "http://127.0.0.1:8888") >= (int)sizeof(W.public_url)) {
		wlog("CLIENTD_PUBLIC_URL is too long");
		return (-1);
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (W.multi = curl_multi_init()) == NULL)
		core_fatal("libcurl could not be initialised");
	if ((W.slots = calloc((size_t)W.concurrency, sizeof(*W.slots))) == NULL)
		core_fatal("out of memory");
	for (i = 0; i < W.concurrency; i++) {
		cbuf_init(&W.slots[i].body, 4096);
		if ((W.slots[i].queue = calloc(
			 (size_t)W.batch, sizeof(*W.slots[i].queue))) == NULL ||
		    (W.slots[i].done = json_array()) == NULL)
			core_fatal("out of memory");
	}
	if (pipe2(W.wake, O_NONBLOCK | O_CLOEXEC) != 0)
		core_fatal("pipe2: %s", strerror(errno));
	json_object_seed(0);
	atomic_store(&W.stop, 0);

	/* Signals go to the main thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = pthread_create(&W.thread, NULL, thread_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		core_fatal("pthread_create: %s", strerror(rc));
	W.running = 1;
	wlog("delivering, %d lanes at a time, batches of up to %d, %ld s "
	     "per request%s%s",
	    W.concurrency, W.batch, W.timeout_ms / 1000,
	    W.policy.allow & NETPOLICY_ALLOW_HTTP ? ", http allowed" : "",
	    W.policy.allow &
		    (NETPOLICY_ALLOW_LOOPBACK | NETPOLICY_ALLOW_PRIVATE |
			NETPOLICY_ALLOW_LINK_LOCAL)
		? ", non-public addresses allowed"
		: "");
	return (0);
}

/* Async-signal-safe: wakes the delivery loop (to notice a stop). */
void
webhooks_wake(void)
{
	ssize_t n;

	if (W.wake[1] >= 0) {
		n = write(W.wake[1], "x", 1);
		(void)n;
	}
}

void
webhooks_stop(void)
{
	int i;

	if (!W.running)
		return;
	atomic_store(&W.stop, 1);
	webhooks_wake();
	pthread_join(W.thread, NULL);
	W.running = 0;
	for (i = 0; i < W.concurrency; i++) {
		cbuf_cleanup(&W.slots[i].body);
		free(W.slots[i].queue);
		json_decref(W.slots[i].done);
	}
	free(W.slots);
	W.slots = NULL;
	curl_multi_cleanup(W.multi);
	W.multi = NULL;
	curl_global_cleanup();
	close(W.wake[0]);
	close(W.wake[1]);
	W.wake[0] = W.wake[1] = -1;
	sodium_memzero(W.key, sizeof(W.key));
}
