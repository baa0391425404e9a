/*
 * Start-up of the Kore module: the hooks Kore calls in the parent and in
 * each worker, the seccomp filter, and the configuration.
 *
 * Parent (once, before the workers fork): read the configuration from the
 * environment, check that the database's schema is exactly this build's
 * (no edited, unknown or pending migrations) and that the daemon's role is
 * subject to row-level security, then register the connection string with
 * Kore's pgsql pool. Any failure stops the daemon with a clear message.
 *
 * Workers: initialise libsodium, verify the route bindings, load the SPA.
 *
 * Configuration (environment):
 *   CLIENTD_DATABASE_URL (or DATABASE_URL)  libpq conninfo or URI, as clientd_app
 *   CLIENTD_TRUSTED_PROXIES   addresses whose X-Forwarded-For/-Proto are believed
 *   CLIENTD_COOKIE_SECURE     auto (default: when the proxy says https), 1, 0
 *   CLIENTD_STATIC_DIR        the built SPA (frontend/dist)
 *   CLIENTD_DB_WAIT           seconds to wait for the database at start (30)
 *   CLIENTD_SECRET_KEY        the key webhook secrets are sealed with
 *   CLIENTD_WEBHOOKS_ALLOW_PRIVATE, CLIENTD_WEBHOOKS_ALLOW_HTTP
 *                             where webhooks may go (core/netpolicy.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>

#include "core/crypto.h"
#include "core/netpolicy.h"
#include "core/password.h"
#include "core/vault.h"
#include "http/handlers.h"
#include "http/module.h"
#include "http/observe.h"
#include "http/static.h"
#include "pq/pq.h"

struct module_config module_cfg;

MODULE_EXPORT void kore_parent_configure(int, char **);
MODULE_EXPORT void kore_worker_configure(void);

/*
 * Syscalls glibc 2.36 and our code need that Debian's Kore 4.1 worker
 * filter lacks (see ../shared/reference/kore-4.1-notes.md, section 3).
 * The sanitizer build allows everything: its runtime's reporting path
 * uses syscalls nobody can list in advance.
 */
#pragma GCC visibility push(default)
#if defined(CLIENTD_SANITIZE)
KORE_SECCOMP_FILTER("clientd", KORE_BPF_RET(SECCOMP_RET_ALLOW));
#else
KORE_SECCOMP_FILTER("clientd", KORE_SYSCALL_ALLOW(newfstatat),
    KORE_SYSCALL_ALLOW(faccessat2), KORE_SYSCALL_ALLOW(getdents64),
    KORE_SYSCALL_ALLOW(clone3), KORE_SYSCALL_ALLOW(rseq),
    KORE_SYSCALL_ALLOW(fsync), KORE_SYSCALL_ALLOW(fdatasync),
    KORE_SYSCALL_ALLOW(rename), KORE_SYSCALL_ALLOW(mkdir),
    KORE_SYSCALL_ALLOW(ftruncate), KORE_SYSCALL_ALLOW(uname),
    KORE_SYSCALL_ALLOW(sysinfo), KORE_SYSCALL_ALLOW(sched_setaffinity),
    KORE_SYSCALL_ALLOW(gettid), KORE_SYSCALL_ALLOW(setpriority));
#endif
#pragma GCC visibility pop

static const char *
env(const char *name, const char *def)
{
	const char *v;

	if ((v = getenv(name)) == NULL || v[0] == '\0')
		return (def);
	return (v);
}

static void
config_load(void)
{
	const char *url, *secure;
	char	    err[256];

	url = env("CLIENTD_DATABASE_URL", env("DATABASE_URL", NULL));
	if (url == NULL)
		fatal("CLIENTD_DATABASE_URL is not set");
	if (snprintf(module_cfg.database_url, sizeof(module_cfg.database_url),
		"%s", url) >= (int)sizeof(module_cfg.database_url))
		fatal("CLIENTD_DATABASE_URL is too long");
	snprintf(module_cfg.trusted_proxies, sizeof(module_cfg.trusted_proxies),
	    "%s", env("CLIENTD_TRUSTED_PROXIES", ""));
	snprintf(module_cfg.static_dir, sizeof(module_cfg.static_dir), "%s",
	    env("CLIENTD_STATIC_DIR", ""));

	secure = env("CLIENTD_COOKIE_SECURE", "auto");
	if (strcmp(secure, "auto") == 0)
		module_cfg.cookie_secure = -1;
	else if (strcmp(secure, "1") == 0 || strcmp(secure, "true") == 0)
		module_cfg.cookie_secure = 1;
	else if (strcmp(secure, "0") == 0 || strcmp(secure, "false") == 0)
		module_cfg.cookie_secure = 0;
	else
		fatal("CLIENTD_COOKIE_SECURE must be auto, 1 or 0, not \"%s\"",
		    secure);
	module_cfg.json_body_max = (size_t)1024 * 1024;

	if (netpolicy_parse(env("CLIENTD_WEBHOOKS_ALLOW_PRIVATE", NULL),
		env("CLIENTD_WEBHOOKS_ALLOW_HTTP", NULL),
		&module_cfg.webhooks_policy, err, sizeof(err)) != 0)
		fatal("%s", err);
	if (env("CLIENTD_SECRET_KEY", NULL) != NULL) {
		if (vault_key_parse(env("CLIENTD_SECRET_KEY", NULL),
			module_cfg.secret_key) != 0)
			fatal("CLIENTD_SECRET_KEY must be 32 bytes in base64 "
			      "or hex (head -c 32 /dev/urandom | base64)");
		module_cfg.have_secret_key = 1;
	} else
		kore_log(LOG_NOTICE,
		    "CLIENTD_SECRET_KEY is not set: webhooks cannot be "
		    "created or rotated");
	/* Links in mail: never from a request's Host header, which anyone
	 * can set. */
	if (snprintf(module_cfg.public_url, sizeof(module_cfg.public_url), "%s",
		env("CLIENTD_PUBLIC_URL", "http://127.0.0.1:8888")) >=
	    (int)sizeof(module_cfg.public_url))
		fatal("CLIENTD_PUBLIC_URL is too long");
}

/* Waits for the database, then refuses a schema this build does not own. */
static void
schema_verify(void)
{
	PGconn *conn = NULL;
	char	err[1024];
	long	wait, waited;

	wait = strtol(env("CLIENTD_DB_WAIT", "30"), NULL, 10);
	for (waited = 0;; waited++) {
		if ((conn = pq_connect(
			 module_cfg.database_url, err, sizeof(err))) != NULL)
			break;
		if (waited >= wait)
			fatal("%s", err);
		if (waited == 0)
			kore_log(
			    LOG_NOTICE, "waiting for the database: %s", err);
		sleep(1);
	}
	if (migrate_check(conn, err, sizeof(err)) != MIGRATE_OK) {
		PQfinish(conn);
		fatal("refusing to start: %s", err);
	}
	if (pq_check_runtime_role(conn, err, sizeof(err)) != 0) {
		PQfinish(conn);
		fatal("refusing to start: %s", err);
	}
	PQfinish(conn);
}

void
kore_parent_configure(int argc, char **argv)
{
	char   norm[2048], err[512];
	size_t len;

	config_load();
	if (crypto_init() != 0)
		fatal("libsodium could not be initialised");
	schema_verify();
	if (pq_conninfo_normalize(module_cfg.database_url, norm, sizeof(norm),
		err, sizeof(err)) != 0)
		fatal("%s", err);
	/*
	 * Bound what one request can hold (a statement, a lock wait, a
	 * transaction left idle); plan prepared statements once, as the
	 * statements are written for their generic plans (api_clients.c), and
	 * never spend milliseconds compiling one (JIT); times in the ISO style
	 * that core/render.c reads. Unless the connection string sets options
	 * itself.
	 */
	len = strlen(norm);
	if (strstr(norm, "options=") == NULL &&
	    snprintf(norm + len, sizeof(norm) - len,
		" options='-c statement_timeout=20s "
		"-c lock_timeout=10s -c idle_in_transaction_session_timeout=60s "
		"-c plan_cache_mode=force_generic_plan -c jit=off "
		"-c DateStyle=ISO,MDY'") >= (int)(sizeof(norm) - len))
		fatal("database connection string is too long");
	if (!kore_pgsql_register("db", norm))
		fatal("could not register the database");
	observe_init();
	kore_log(LOG_NOTICE, "clientd %s ready", CLIENTD_VERSION);
}

void
kore_worker_configure(void)
{
	int n;

	if (crypto_init() != 0 || password_init() != 0)
		fatal("libsodium could not be initialised");
	if (handlers_verify() != 0)
		fatal("route table and handlers disagree");
	observe_worker_init();
	n = static_load(module_cfg.static_dir);
	if (n == 0 && module_cfg.static_dir[0] != '\0')
		kore_log(
		    LOG_NOTICE, "no SPA files in %s", module_cfg.static_dir);
}
