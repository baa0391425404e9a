/*
 * libpq helpers for the programs that talk to PostgreSQL outside Kore's
 * pool: the CLI, the worker, and the daemon's parent process (which checks
 * the schema before forking workers). Includes the migration runner and
 * the migrations themselves, embedded at build time from sql/.
 */
#ifndef CLIENTD_PQ_H
#define CLIENTD_PQ_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

struct pq_migration {
	int		 version;
	const char	*name;
	const char	*sha256;
	const char	*sql;
};

struct pq_script {
	const char	*name;
	const char	*sql;
};

/* embedded_sql.c (generated) */
extern const struct pq_migration	pq_migrations[];
extern const size_t			pq_migrations_count;
extern const struct pq_script		pq_demo_scripts[];
extern const size_t			pq_demo_scripts_count;

/* pq.c */
int		 pq_conninfo_normalize(const char *, char *, size_t, char *,
		    size_t);
PGconn		*pq_connect(const char *, char *, size_t);
PGresult	*pq_query(PGconn *, const char *, int, const char *const *,
		    char *, size_t);
int		 pq_exec(PGconn *, const char *, char *, size_t);
void		 pq_error_text(const PGresult *, PGconn *, char *, size_t);
int		 pq_check_runtime_role(PGconn *, char *, size_t);

#define PQ_QUERY(conn, sql, err, errlen, ...) \
	pq_query(conn, sql, \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
	    (const char *const []){ __VA_ARGS__ }, err, errlen)

/* defaults.c */
int	 defaults_sync(PGconn *, char *, size_t);
int	 defaults_check(PGconn *, char *, size_t);

/* migrate.c */
#define MIGRATE_OK		0
#define MIGRATE_PENDING		1	/* check only: migrations to apply */
#define MIGRATE_ERROR		(-1)

int	 migrate_apply(PGconn *, FILE *, char *, size_t);
int	 migrate_check(PGconn *, char *, size_t);
int	 migrate_status(PGconn *, FILE *, char *, size_t);

#endif
