/*
 * The migration runner. Migrations are the numbered files in sql/, embedded
 * into the binaries at build time with the SHA-256 of their exact bytes.
 * The database records what it has applied in schema_migrations (version,
 * name, checksum). Migrations are forward-only:
 *
 *  - a recorded migration whose file changed is an error (edited);
 *  - a recorded migration this build does not have is an error (unknown:
 *    the database was migrated by a newer build);
 *  - pending migrations are applied in order, each in its own transaction,
 *    under an advisory lock so that two runners never interleave.
 *
 * migrate_check() is what the daemon and the worker run at start: it
 * refuses on any of the above, including pending migrations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "pq/pq.h"

#define MIGRATE_LOCK_KEY	"7213006101"	/* pg_advisory_lock key */

static const char sql_create[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version int PRIMARY KEY,"
    "  name text NOT NULL,"
    "  checksum text NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now());"
    "GRANT SELECT ON schema_migrations TO clientd_app, clientd_worker;";

static const char sql_applied[] =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

static const char sql_exists[] =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";

static const char sql_record[] =
    "INSERT INTO schema_migrations (version, name, checksum) "
    "VALUES ($1::int, $2, $3)";

static const struct pq_migration *
migration_find(int version)
{
	size_t	i;

	for (i = 0; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version == version)
			return (&pq_migrations[i]);
	}
	return (NULL);
}

/*
 * Compares what the database has applied with this build. Sets *applied
 * to the highest applied version. Returns 0, or -1 with err set.
 */
static int
migrate_compare(PGconn *conn, int *applied, char *err, size_t errlen)
{
	const struct pq_migration	*m;
	PGresult			*res;
	const char			*name, *sum;
	int				 i, v, rc = -1;

	*applied = 0;
	if ((res = pq_query(conn, sql_exists, 0, NULL, err, errlen)) == NULL)
		return (-1);
	v = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!v)
		return (0);

	if ((res = pq_query(conn, sql_applied, 0, NULL, err, errlen)) == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++) {
		v = atoi(PQgetvalue(res, i, 0));
		name = PQgetvalue(res, i, 1);
		sum = PQgetvalue(res, i, 2);
		if ((m = migration_find(v)) == NULL) {
			snprintf(err, errlen, "database has migration %04d (%s), "
			    "which this build does not know; it was migrated by "
			    "a newer clientd: run that version, or restore a "
			    "backup taken before it", v, name);
			goto out;
		}
		if (strcmp(m->sha256, sum) != 0 || strcmp(m->name, name) != 0) {
			snprintf(err, errlen, "migration %s was edited after it "
			    "was applied (recorded checksum %.12s, file checksum "
			    "%.12s); migrations are forward-only: restore the "
			    "file and put the change in a new numbered migration",
			    m->name, sum, m->sha256);
			goto out;
		}
		if (v > *applied)
			*applied = v;
	}
	rc = 0;
out:
	PQclear(res);
	return (rc);
}

static int
migrate_one(PGconn *conn, const struct pq_migration *m, char *err,
    size_t errlen)
{
	char		 verbuf[16], pgerr[1024];
	PGresult	*res;

	if (pq_exec(conn, "BEGIN", err, errlen) != 0)
		return (-1);
	if (pq_exec(conn, m->sql, pgerr, sizeof(pgerr)) != 0) {
		snprintf(err, errlen, "migration %s failed: %s", m->name, pgerr);
		(void)pq_exec(conn, "ROLLBACK", pgerr, sizeof(pgerr));
		return (-1);
	}
	snprintf(verbuf, sizeof(verbuf), "%d", m->version);
	res = PQ_QUERY(conn, sql_record, pgerr, sizeof(pgerr),
	    verbuf, m->name, m->sha256);
	if (res == NULL) {
		snprintf(err, errlen, "could not record migration %s: %s",
		    m->name, pgerr);
		(void)pq_exec(conn, "ROLLBACK", pgerr, sizeof(pgerr));
		return (-1);
	}
	PQclear(res);
	return (pq_exec(conn, "COMMIT", err, errlen));
}

/* Applies every pending migration; logs each to log (may be NULL). */
int
migrate_apply(PGconn *conn, FILE *log, char *err, size_t errlen)
{
	size_t		i;
	int		applied, rc = MIGRATE_ERROR, n = 0;
	char		tmp[256];

	for (i = 1; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version <= pq_migrations[i - 1].version)
			core_fatal("embedded migrations are out of order");
	}
	if (pq_exec(conn, "SET client_min_messages = warning", err, errlen) ||
	    pq_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
	    err, errlen))
		return (MIGRATE_ERROR);
	if (pq_exec(conn, sql_create, err, errlen) != 0)
		goto out;
	if (migrate_compare(conn, &applied, err, errlen) != 0)
		goto out;

	for (i = 0; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version <= applied)
			continue;
		if (migrate_one(conn, &pq_migrations[i], err, errlen) != 0)
			goto out;
		if (log != NULL)
			fprintf(log, "applied %s\n", pq_migrations[i].name);
		n++;
	}
	if (defaults_sync(conn, err, errlen) != 0)
		goto out;
	if (log != NULL && n == 0)
		fprintf(log, "database is up to date (version %04d)\n", applied);
	rc = MIGRATE_OK;
out:
	(void)pq_exec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
	    tmp, sizeof(tmp));
	return (rc);
}

/*
 * Returns MIGRATE_OK when the database is exactly at this build's version,
 * MIGRATE_PENDING (err says which) when migrations are missing, and
 * MIGRATE_ERROR on an edited or unknown migration or a database error.
 */
int
migrate_check(PGconn *conn, char *err, size_t errlen)
{
	int	applied, latest;

	if (migrate_compare(conn, &applied, err, errlen) != 0)
		return (MIGRATE_ERROR);
	latest = pq_migrations_count > 0 ?
	    pq_migrations[pq_migrations_count - 1].version : 0;
	if (applied < latest) {
		snprintf(err, errlen, "database schema is at version %04d but "
		    "this build needs %04d: run \"clientd migrate\" first",
		    applied, latest);
		return (MIGRATE_PENDING);
	}
	if (defaults_check(conn, err, errlen) != 0)
		return (MIGRATE_PENDING);
	return (MIGRATE_OK);
}

int
migrate_status(PGconn *conn, FILE *out, char *err, size_t errlen)
{
	size_t	i;
	int	applied, rc;

	rc = migrate_compare(conn, &applied, err, errlen);
	for (i = 0; i < pq_migrations_count; i++) {
		fprintf(out, "%s  %s\n",
		    pq_migrations[i].version <= applied ? "applied" : "pending",
		    pq_migrations[i].name);
	}
	return (rc == 0 ? MIGRATE_OK : MIGRATE_ERROR);
}
