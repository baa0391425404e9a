/*
 * libpq helpers for the programs that talk to PostgreSQL outside Kore's
 * pool: the CLI, the worker, and the daemon's parent process (which checks
 * the schema before forking workers). Includes the migration runner and
 * the SQL itself, embedded at build time from sql/ (cmake/embed-sql.cmake).
 */
#ifndef CLIENTD_PQ_H
#define CLIENTD_PQ_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

struct pq_migration {
	int	    version;
	const char *name;
	const char *sha256;
	const char *sql;
};

/* A file of sql/functions/: functions, views, triggers, policies. */
struct pq_function_file {
	const char *name; /* "ledger.sql" */
	const char *sha256;
	const char *sql;
};

struct pq_script {
	const char *name;
	const char *sql;
};

/* embedded_sql.c (generated) */
extern const struct pq_migration pq_migrations[];
extern const size_t		 pq_migrations_count;
/* In the order of sql/functions/ORDER. */
extern const struct pq_function_file pq_function_files[];
extern const size_t		     pq_function_files_count;
extern const struct pq_script	     pq_demo_scripts[];
extern const size_t		     pq_demo_scripts_count;

/* pq.c */
int	  pq_conninfo_normalize(const char *, char *, size_t, char *, size_t);
PGconn	 *pq_connect(const char *, char *, size_t);
PGresult *pq_query(
    PGconn *, const char *, int, const char *const *, char *, size_t);
int  pq_exec(PGconn *, const char *, char *, size_t);
void pq_error_text(const PGresult *, PGconn *, char *, size_t);
int  pq_check_runtime_role(PGconn *, char *, size_t);

#define PQ_QUERY(conn, sql, err, errlen, ...) \
	pq_query(conn, sql, \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
	    (const char *const[]){ __VA_ARGS__ }, err, errlen)

/* registry.c */
int registry_sync(PGconn *, char *, size_t);
int registry_check(PGconn *, char *, size_t);

/* migrate.c */
#define MIGRATE_OK	0
#define MIGRATE_PENDING 1 /* check only: `clientd migrate` to run */
#define MIGRATE_ERROR	(-1)

int migrate_apply(PGconn *, FILE *, char *, size_t);
int migrate_check(PGconn *, char *, size_t);
int migrate_status(PGconn *, FILE *, char *, size_t);

#endif
