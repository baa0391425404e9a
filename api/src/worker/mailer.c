/*
 * The "mail" job: sends one mail of the outbox (sql/functions/mail.sql)
 * over SMTP with libcurl, inside the job's transaction, and records the
 * attempt. A failed attempt schedules the next as a job of its own
 * (mail_attempted(): the base delay doubling, at most an hour apart) until
 * the mail is a day old, when it is marked failed with the last reason;
 * so the job itself succeeds whatever SMTP said, and only a database
 * error makes the worker retry it.
 *
 * Delivery is at least once: a mail that SMTP accepted but whose outcome
 * could not be committed is sent again.
 *
 * Environment (read once):
 *   CLIENTD_SMTP_HOST          the server; unset: every attempt fails
 *                              with that reason, and mail waits
 *   CLIENTD_SMTP_PORT          default 587 (starttls), 465 (tls), 25 (none)
 *   CLIENTD_SMTP_SECURITY      starttls (default), tls, or none
 *   CLIENTD_SMTP_USER, CLIENTD_SMTP_PASSWORD   credentials, if any
 *   CLIENTD_SMTP_TLS_VERIFY    1 (default) or 0 (testing only)
 *   CLIENTD_MAIL_FROM          the sender address (clientd@localhost.localdomain)
 *   CLIENTD_MAIL_RETRY_SECONDS the first retry's delay (30)
 *
 * Nothing of a mail's body, and no credential, is ever logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/mail.h"
#include "pq/pq.h"
#include "worker/mailer.h"

/* clang-format off */
static const char sql_next[] =
    "SELECT id, to_address, subject, body_text, body_html, company_name, "
    "    public_id FROM mail_next($1::bigint)";

static const char sql_attempted[] =
    "SELECT mail_attempted($1::bigint, $2::boolean, $3, $4::int, $5::int)";
/* clang-format on */

static struct {
	char url[512];
	char user[256];
	char password[256];
	char from[256];
	char retry[16];
	int  starttls;
	int  verify;
	int  configured;
} cfg;

static const char *
env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0' ? v : def);
}

/* Reads the configuration; 0, or -1 with the reason in err. */
int
mailer_init(char *err, size_t errlen)
{
	const char *host, *sec, *port;
	long	    retry;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		snprintf(err, errlen, "libcurl could not be initialised");
		return (-1);
	}
	sec = env("CLIENTD_SMTP_SECURITY", "starttls");
	if (strcmp(sec, "starttls") != 0 && strcmp(sec, "tls") != 0 &&
	    strcmp(sec, "none") != 0) {
		snprintf(err, errlen,
		    "CLIENTD_SMTP_SECURITY must be starttls, tls or none, not "
		    "\"%s\"",
		    sec);
		return (-1);
	}
	cfg.starttls = strcmp(sec, "starttls") == 0;
	port = env("CLIENTD_SMTP_PORT",
	    strcmp(sec, "tls") == 0 ? "465"
		: cfg.starttls	    ? "587"
				    : "25");
	if ((host = env("CLIENTD_SMTP_HOST", NULL)) != NULL) {
		cfg.configured = 1;
		snprintf(cfg.url, sizeof(cfg.url), "%s://%s:%s",
		    strcmp(sec, "tls") == 0 ? "smtps" : "smtp", host, port);
	}
	snprintf(
	    cfg.user, sizeof(cfg.user), "%s", env("CLIENTD_SMTP_USER", ""));
	snprintf(cfg.password, sizeof(cfg.password), "%s",
	    env("CLIENTD_SMTP_PASSWORD", ""));
	snprintf(cfg.from, sizeof(cfg.from), "%s",
	    env("CLIENTD_MAIL_FROM", "clientd@localhost.localdomain"));
	cfg.verify = strcmp(env("CLIENTD_SMTP_TLS_VERIFY", "1"), "0") != 0;
	retry = strtol(env("CLIENTD_MAIL_RETRY_SECONDS", "30"), NULL, 10);
	snprintf(cfg.retry, sizeof(cfg.retry), "%ld",
	    retry >= 1 && retry <= 3600 ? retry : 30);
	if (!mail_address_ok(cfg.from)) {
		snprintf(err, errlen, "CLIENTD_MAIL_FROM is not an address: %s",
		    cfg.from);
		return (-1);
	}
	return (0);
}

struct upload {
	const char *data;
	size_t	    len;
	size_t	    off;
};

static size_t
upload_read(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t	       want = size * n, left = u->len - u->off;

	if (want > left)
		want = left;
	memcpy(buf, u->data + u->off, want);
	u->off += want;
	return (want);
}

/* Sends message msg from cfg.from to to; 0, or -1 with the reason. */
static int
smtp_send(const char *to, const struct cbuf *msg, char *why, size_t whylen)
{
	struct curl_slist *rcpt = NULL;
	struct upload	   u = { msg->data, msg->len, 0 };
	CURL		  *c;
	CURLcode	   rc;
	char		   ebuf[CURL_ERROR_SIZE], addr[300];
	long		   code = 0;

	if (!cfg.configured) {
		snprintf(why, whylen,
		    "no SMTP server is configured (CLIENTD_SMTP_HOST)");
		return (-1);
	}
	if ((c = curl_easy_init()) == NULL)
		core_fatal("curl_easy_init failed");
	ebuf[0] = '\0';
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	curl_easy_setopt(c, CURLOPT_URL, cfg.url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (cfg.starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (!cfg.verify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cfg.user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg.user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.password);
	}
	snprintf(addr, sizeof(addr), "<%s>", cfg.from);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	rc = curl_easy_perform(c);
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		snprintf(why, whylen, "%s%s%s (SMTP %ld)",
		    curl_easy_strerror(rc), ebuf[0] != '\0' ? ": " : "", ebuf,
		    code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return (rc == CURLE_OK ? 0 : -1);
}

/* The outbox row's message, as SMTP carries it. */
static int
build(PGresult *r, struct cbuf *msg)
{
	struct mail_message m;
	char		    date[64], id[160], boundary[48], rnd[24];
	const char	   *name, *at;

	crypto_random_b64(rnd, sizeof(rnd));
	mail_date((long)time(NULL), date, sizeof(date));
	at = strchr(cfg.from, '@');
	snprintf(id, sizeof(id), "%s.%s@%s", PQgetvalue(r, 0, 6), rnd,
	    at != NULL ? at + 1 : "localhost");
	snprintf(boundary, sizeof(boundary), "clientd-%s", rnd);
	name = PQgetvalue(r, 0, 5);
	memset(&m, 0, sizeof(m));
	m.from_name = strpbrk(name, "\"\\\r\n") == NULL ? name : "";
	m.from = cfg.from;
	m.to = PQgetvalue(r, 0, 1);
	m.subject = PQgetvalue(r, 0, 2);
	m.text = PQgetvalue(r, 0, 3);
	m.html = PQgetisnull(r, 0, 4) ? NULL : PQgetvalue(r, 0, 4);
	m.date = date;
	m.message_id = id;
	m.boundary = boundary;
	return (mail_message_build(msg, &m));
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/*
 * Runs a "mail" job (payload {"mail": id}) in the job's transaction.
 * Returns 0 when the attempt was made and recorded (sent or not), -1 on a
 * database error (err says which).
 */
int
mailer_job(PGconn *conn, const char *payload, char *err, size_t errlen)
{
	json_t	   *p;
	PGresult   *r = NULL, *a;
	struct cbuf msg;
	char	    id[32], why[1024], ms[24];
	double	    t0;
	int	    ok, rc = -1;

	cbuf_init(&msg, 4096);
	p = json_loads(payload, 0, NULL);
	if (p == NULL || !json_is_integer(json_object_get(p, "mail"))) {
		snprintf(err, errlen, "mail job without a mail id");
		goto out;
	}
	snprintf(id, sizeof(id), "%lld",
	    (long long)json_integer_value(json_object_get(p, "mail")));
	if ((r = PQ_QUERY(conn, sql_next, err, errlen, id)) == NULL)
		goto out;
	if (PQntuples(r) == 0) {
		rc = 0; /* sent, failed or gone already */
		goto out;
	}
	t0 = now_ms();
	why[0] = '\0';
	if (build(r, &msg) != 0) {
		snprintf(why, sizeof(why),
		    "the mail cannot be sent: an address is not one, or a "
		    "header has a line break");
		ok = 0;
	} else {
		ok =
		    smtp_send(PQgetvalue(r, 0, 1), &msg, why, sizeof(why)) == 0;
	}
	snprintf(ms, sizeof(ms), "%d", (int)(now_ms() - t0));
	a = PQ_QUERY(conn, sql_attempted, err, errlen, id,
	    ok ? "true" : "false", ok ? NULL : why, ms, cfg.retry);
	if (a == NULL)
		goto out;
	PQclear(a);
	rc = 0;
out:
	if (r != NULL)
		PQclear(r);
	json_decref(p);
	cbuf_cleanup(&msg);
	return (rc);
}
