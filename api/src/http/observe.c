/*
 * Logs and metrics of the daemon. The parent maps one struct metrics
 * shared by every worker (MAP_SHARED before the fork), so that a scrape
 * of any worker sees the whole daemon; each worker keeps its own log
 * limiter and flushes its held-back counts on a timer.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/http.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/loglimit.h"
#include "core/metrics.h"
#include "core/routes.h"
#include "http/observe.h"
#include "http/request.h"

#define OBSERVE_FLUSH_MS 5000

static struct metrics *shared;	/* MAP_SHARED, made by the parent */
static struct metrics  local;	/* until then (the CLI, tests) */
static struct loglimit limiter; /* this worker's */

static const char *const level_names[] = { "info", "notice", "warning",
	"error" };

static double
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/* Appends "time":"<RFC 3339, UTC, milliseconds>". */
static void
append_time(struct cbuf *b)
{
	struct timespec ts;
	struct tm	tm;
	char		s[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	cbuf_appendf(b, "{\"time\":\"%s.%03ldZ\"", s, ts.tv_nsec / 1000000);
}

/* Writes the line in b (with a newline) to standard output, whole. */
static void
emit(struct cbuf *b)
{
	size_t	off = 0;
	ssize_t n;

	cbuf_append(b, "}\n", 2);
	while (off < b->len) {
		n = write(STDOUT_FILENO, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* nowhere to log to: not a reason to stop */
		off += (size_t)n;
	}
}

static void
flush_one(const char *line, unsigned long n, void *arg)
{
	struct cbuf b;

	(void)arg;
	cbuf_init(&b, 256);
	append_time(&b);
	cbuf_appendstr(&b, ",\"level\":\"notice\",\"msg\":");
	cbuf_append_json_string(&b, line);
	cbuf_appendf(
	    &b, ",\"repeated\":%lu,\"window_s\":%.0f", n, LOGLIMIT_WINDOW);
	emit(&b);
	cbuf_cleanup(&b);
}

static void
flush_timer(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	loglimit_flush(&limiter, monotonic_ms() / 1000.0, flush_one, NULL);
}

/* Parent, before the fork: the shared metrics. */
void
observe_init(void)
{
	void *p;

	p = mmap(NULL, sizeof(struct metrics), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		core_fatal("observe_init: mmap: %s", strerror(errno));
	memset(p, 0, sizeof(struct metrics));
	shared = p;
	if (observe_route_count() > METRICS_ROUTES_MAX)
		core_fatal("observe_init: %zu routes, room for %d",
		    observe_route_count(), METRICS_ROUTES_MAX);
}

/* Each worker: its limiter, flushed on a timer. */
void
observe_worker_init(void)
{
	loglimit_init(&limiter);
	(void)kore_timer_add(flush_timer, OBSERVE_FLUSH_MS, NULL, 0);
}

struct metrics *
observe_metrics(void)
{
	return (shared != NULL ? shared : &local);
}

/*
 * The routes' names for metrics: the operationIds, then the requests no
 * route of the table takes: the web app's files, the metrics, the rest.
 */
static const char *const extra_routes[] = { "static", "metrics", "unmatched" };

enum extra_route { EXTRA_STATIC, EXTRA_METRICS, EXTRA_UNMATCHED };

const char *
observe_route_name(size_t i)
{
	if (i < routes_count)
		return (routes_table[i].operation_id);
	return (extra_routes[i - routes_count]);
}

size_t
observe_route_count(void)
{
	return (routes_count + CORE_ARRAY_LEN(extra_routes));
}

/*
 * A message of the daemon's own, as a JSON line; the same text again
 * within the limiter's window is counted instead of written.
 */
void
observe_log(
    enum observe_level level, const struct request *req, const char *fmt, ...)
{
	struct cbuf   b;
	va_list	      ap;
	char	      msg[1024];
	unsigned long repeated;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!loglimit_pass(&limiter, msg, monotonic_ms() / 1000.0, &repeated)) {
		metrics_add(&observe_metrics()->log_suppressed, 1);
		return;
	}
	cbuf_init(&b, 256);
	append_time(&b);
	cbuf_appendf(&b, ",\"level\":\"%s\",\"msg\":", level_names[level]);
	cbuf_append_json_string(&b, msg);
	if (req != NULL) {
		cbuf_appendstr(&b, ",\"request_id\":");
		cbuf_append_json_string(&b, req->request_id);
	}
	if (repeated > 0)
		cbuf_appendf(&b, ",\"repeated\":%lu", repeated);
	emit(&b);
	cbuf_cleanup(&b);
}

/*
 * A request starts its handler: how long it waited since Kore read it
 * (the event loop was busy with others; Kore's clock counts milliseconds).
 * Until the handler first returns, http->end is when the request arrived
 * (api/kore/patches/0007).
 */
void
observe_begin(struct request *req)
{
	u_int64_t now = kore_time_ms();

	req->t_begin_ms = monotonic_ms();
	req->wait_ms =
	    now > req->http->end ? (double)(now - req->http->end) : 0;
}

static size_t
route_slot(const struct request *req)
{
	const char *path = req->http->path;

	if (req->route != NULL)
		return ((size_t)(req->route - routes_table));
	if (req->metrics_listener && strcmp(path, "/metrics") == 0)
		return (routes_count + EXTRA_METRICS);
	if (req->metrics_listener || strcmp(path, "/metrics") == 0 ||
	    strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0)
		return (routes_count + EXTRA_UNMATCHED);
	return (routes_count + EXTRA_STATIC);
}

static void
access_line(const struct request *req, size_t slot, double ms)
{
	struct cbuf b;

	cbuf_init(&b, 512);
	append_time(&b);
	cbuf_appendstr(&b,
	    ",\"level\":\"info\",\"msg\":\"request\","
	    "\"request_id\":");
	cbuf_append_json_string(&b, req->request_id);
	cbuf_appendf(&b, ",\"method\":\"%s\",\"route\":\"%s\",\"path\":",
	    http_method_text(req->http->method), observe_route_name(slot));
	cbuf_append_json_string(&b, req->http->path);
	cbuf_appendf(&b,
	    ",\"status\":%d,\"duration_ms\":%.3f,\"wait_ms\":%.0f,"
	    "\"db_ms\":%.3f,\"db_trips\":%u,\"worker\":%u,\"company\":",
	    req->http->status, ms, req->wait_ms, req->db_ms, req->db_trips,
	    (unsigned int)worker->id);
	if (req->user.company_id[0] != '\0')
		cbuf_append_json_string(&b, req->user.company_id);
	else
		cbuf_appendstr(&b, "null");
	cbuf_appendstr(&b, ",\"ip\":");
	cbuf_append_json_string(&b, req->client_ip);
	emit(&b);
	cbuf_cleanup(&b);
}

/* A request was answered: its metrics and its log line. */
void
observe_end(struct request *req)
{
	struct metrics *m = observe_metrics();
	size_t		slot = route_slot(req);
	double		ms = req->wait_ms + (monotonic_ms() - req->t_begin_ms);

	metrics_count_status(&m->routes[slot], req->http->status);
	metrics_observe(&m->routes[slot].duration, ms / 1000.0);
	metrics_observe(&m->queue_wait, req->wait_ms / 1000.0);
	if (req->db_trips > 0) {
		metrics_observe(&m->db_pipeline, req->db_ms / 1000.0);
		metrics_add(&m->db_round_trips, req->db_trips);
	}
	if (req->http->status == 503 && req->db_unavailable)
		metrics_add(&m->db_unavailable, 1);
	access_line(req, slot, ms);
}

/* Getting a connection took ms; opened: a new one (1), failed (-1), or 0. */
void
observe_db_connection(int opened, double ms)
{
	struct metrics *m = observe_metrics();

	metrics_observe(&m->db_acquire, ms / 1000.0);
	if (opened > 0)
		metrics_add(&m->db_connects, 1);
	else if (opened < 0)
		metrics_add(&m->db_connect_failures, 1);
}
