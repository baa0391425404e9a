/*
 * The migration runner. The SQL is embedded into the binaries at build
 * time (cmake/embed-sql.cmake), each file with the SHA-256 of its exact
 * bytes, in two kinds:
 *
 *  - migrations, the numbered files in sql/: the schema (tables, columns,
 *    indexes, constraints, grants on them, data moves). Forward-only: the
 *    database records each one it applied in schema_migrations (version,
 *    name, checksum); a recorded migration whose file changed is an error
 *    (edited), and so is one this build does not have (unknown: the
 *    database was migrated by a newer build);
 *  - function files, the .sql files of sql/functions/ in the order of
 *    sql/functions/ORDER: the functions, views, triggers and policies
 *    (repeatable). The database records each file's checksum in
 *    schema_function_files; when any differs, they are all applied again
 *    from scratch.
 *
 * migrate_apply() runs in one transaction, under an advisory lock so that
 * two runners never interleave: when a migration is pending or a function
 * file changed, it drops every repeatable object (repeatables_drop), so
 * that the database holds exactly what the files define and a migration
 * never trips over a function that depends on a column; applies the
 * pending migrations in order; applies every function file; records them;
 * and writes the registries the code declares (registry.c). Nothing of it
 * is left half-done: it commits all or nothing.
 *
 * migrate_check() is what the daemon and the worker run at start: it
 * refuses on any of the above, including pending migrations, function
 * files that differ from the build's, and registries that differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "pq/pq.h"

#define MIGRATE_LOCK_KEY "7213006101" /* pg_advisory_lock key */

/*
 * sql/0001..0005 as every database built before issue 9 applied them:
 * with the functions, triggers and policies that now live in
 * sql/functions/. Issue 9 rewrote them in place to schema only; the tables
 * they make are the same, so such a database counts as having applied
 * today's files, and upgrades with 0006 and the function files (the
 * copies are in tests/sql/legacy/, and tests/sql/layout.sh proves the
 * upgraded schema identical to a new one). Any other checksum is still an
 * edited migration.
 */
static const struct {
	int	    version;
	const char *sha256;
} legacy_checksums[] = {
	{ 1,
	    "315d06c034d7b71e0f3201f4b09ed95e3ee31958d695e0452b62262a18508c53" },
	{ 2,
	    "dbde5733f4f8ea726830782f922fd90d2f9b2764a32c94ac420759a5b365acf2" },
	{ 3,
	    "8747b5c4661efa2c2e96c92d67d25d5aeb91c7bbe120b9090d7fc2a8413ded6e" },
	{ 4,
	    "b882e1e81c05aa8412c4934bdcea7acd0aa386e6bc5091876eccb4b77bf7e860" },
	{ 5,
	    "ee3a7df1ab5326fe00ab5662929e53105ba0af90d18e2c7468a7ce4a15a17e08" },
};

/* clang-format off */
static const char sql_create[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version int PRIMARY KEY,"
    "  name text NOT NULL,"
    "  checksum text NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now());"
    "GRANT SELECT ON schema_migrations TO clientd_app, clientd_worker;"
    "CREATE TABLE IF NOT EXISTS schema_function_files ("
    "  name text PRIMARY KEY,"
    "  checksum text NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now());"
    "GRANT SELECT ON schema_function_files TO clientd_app, clientd_worker;";

static const char sql_applied[] =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

static const char sql_exists[] =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";

static const char sql_record[] =
    "INSERT INTO schema_migrations (version, name, checksum) "
    "VALUES ($1::int, $2, $3)";

static const char sql_functions_recorded[] =
    "SELECT name, checksum FROM schema_function_files ORDER BY name";

static const char sql_functions_exist[] =
    "SELECT to_regclass('schema_function_files') IS NOT NULL";

static const char sql_functions_forget[] =
    "DELETE FROM schema_function_files";

static const char sql_functions_record[] =
    "INSERT INTO schema_function_files (name, checksum) VALUES ($1, $2)";

/*
 * Drops what the function files define, and whatever else of the kind an
 * earlier build left: every policy on a table of schema public, every
 * trigger that is not a constraint's own, every view, and every function
 * or procedure of schema public except extension members and those a
 * table definition calls (a column default or generated column, a
 * constraint, an index expression), which are schema (new_public_id()).
 * Functions go in one statement, so that those calling each other need
 * no CASCADE; anything else still depending on one makes it fail loudly.
 */
static const char sql_drop_repeatables[] =
    "DO $$\n"
    "DECLARE\n"
    "	r record;\n"
    "	v text;\n"
    "BEGIN\n"
    "	FOR r IN SELECT p.policyname, p.tablename FROM pg_policies p\n"
    "	    WHERE p.schemaname = 'public' LOOP\n"
    "		EXECUTE format('DROP POLICY %I ON public.%I', r.policyname,\n"
    "		    r.tablename);\n"
    "	END LOOP;\n"
    "	FOR r IN SELECT t.tgname, c.relname FROM pg_trigger t\n"
    "	    JOIN pg_class c ON c.oid = t.tgrelid\n"
    "	    WHERE c.relnamespace = 'public'::regnamespace\n"
    "		AND NOT t.tgisinternal LOOP\n"
    "		EXECUTE format('DROP TRIGGER %I ON public.%I', r.tgname,\n"
    "		    r.relname);\n"
    "	END LOOP;\n"
    "	SELECT string_agg(format('public.%I', c.relname), ', ') INTO v\n"
    "	FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace\n"
    "	    AND c.relkind = 'v' AND NOT EXISTS (SELECT 1\n"
    "		FROM pg_depend d WHERE d.classid = 'pg_class'::regclass\n"
    "		AND d.objid = c.oid AND d.deptype = 'e');\n"
    "	IF v IS NOT NULL THEN\n"
    "		EXECUTE 'DROP VIEW ' || v;\n"
    "	END IF;\n"
    "	SELECT string_agg(p.oid::regprocedure::text, ', ') INTO v\n"
    "	FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace\n"
    "	    AND p.prokind IN ('f', 'p', 'w')\n"
    "	    AND NOT EXISTS (SELECT 1 FROM pg_depend d\n"
    "		WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid\n"
    "		AND d.deptype = 'e')\n"
    "	    AND NOT EXISTS (SELECT 1 FROM pg_depend d\n"
    "		WHERE d.refclassid = 'pg_proc'::regclass\n"
    "		AND d.refobjid = p.oid\n"
    "		AND (d.classid IN ('pg_attrdef'::regclass,\n"
    "		    'pg_constraint'::regclass)\n"
    "		    OR (d.classid = 'pg_class'::regclass AND EXISTS (SELECT 1\n"
    "			FROM pg_index i WHERE i.indexrelid = d.objid))));\n"
    "	IF v IS NOT NULL THEN\n"
    "		EXECUTE 'DROP ROUTINE ' || v;\n"
    "	END IF;\n"
    "END\n"
    "$$";
/* clang-format on */

static const struct pq_migration *
migration_find(int version)
{
	size_t i;

	for (i = 0; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version == version)
			return (&pq_migrations[i]);
	}
	return (NULL);
}

static int
migration_latest(void)
{
	if (pq_migrations_count == 0)
		return (0);
	return (pq_migrations[pq_migrations_count - 1].version);
}

/* Whether sum is what migration version's file had before issue 9. */
static int
legacy_checksum(int version, const char *sum)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(legacy_checksums); i++) {
		if (legacy_checksums[i].version == version &&
		    strcmp(legacy_checksums[i].sha256, sum) == 0)
			return (1);
	}
	return (0);
}

/*
 * Compares what the database has applied with this build. Sets *applied
 * to the highest applied version. Returns 0, or -1 with err set.
 */
static int
migrate_compare(PGconn *conn, int *applied, char *err, size_t errlen)
{
	const struct pq_migration *m;
	PGresult		  *res;
	const char		  *name, *sum;
	int			   i, v, rc = -1;

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
			snprintf(err, errlen,
			    "database has migration %04d (%s), "
			    "which this build does not know; it was migrated by "
			    "a newer clientd: run that version, or restore a "
			    "backup taken before it",
			    v, name);
			goto out;
		}
		if ((strcmp(m->sha256, sum) != 0 && !legacy_checksum(v, sum)) ||
		    strcmp(m->name, name) != 0) {
			snprintf(err, errlen,
			    "migration %s was edited after it "
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

/* The recorded checksum of function file name in res (may be NULL), or NULL. */
static const char *
function_recorded(PGresult *res, const char *name)
{
	int i;

	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 0), name) == 0)
			return (PQgetvalue(res, i, 1));
	}
	return (NULL);
}

static int
function_in_build(const char *name)
{
	size_t i;

	for (i = 0; i < pq_function_files_count; i++) {
		if (strcmp(pq_function_files[i].name, name) == 0)
			return (1);
	}
	return (0);
}

/*
 * What the database recorded of the function files: a result to PQclear,
 * or NULL with *rc 0 when it has not recorded any (a database migrated
 * before issue 9), -1 with err set on an error.
 */
static PGresult *
functions_recorded(PGconn *conn, int *rc, char *err, size_t errlen)
{
	PGresult *res;
	int	  have;

	*rc = -1;
	if ((res = pq_query(conn, sql_functions_exist, 0, NULL, err, errlen)) ==
	    NULL)
		return (NULL);
	have = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	*rc = 0;
	if (!have)
		return (NULL);
	if ((res = pq_query(
		 conn, sql_functions_recorded, 0, NULL, err, errlen)) == NULL)
		*rc = -1;
	return (res);
}

/*
 * Compares the function files the database recorded with this build's.
 * Returns how many differ (changed, never applied, or recorded but gone
 * from the build), or -1 with err set. Lists every file with its state
 * to out unless it is NULL; the name of the first that differs goes to
 * first (unless NULL).
 */
static int
functions_compare(PGconn *conn, FILE *out, char *first, size_t firstlen,
    char *err, size_t errlen)
{
	PGresult   *res;
	const char *sum, *state, *name;
	size_t	    i;
	int	    r, n = 0;

	res = functions_recorded(conn, &r, err, errlen);
	if (r != 0)
		return (-1);
	for (i = 0; i < pq_function_files_count; i++) {
		name = pq_function_files[i].name;
		sum = function_recorded(res, name);
		if (sum == NULL)
			state = "pending";
		else if (strcmp(sum, pq_function_files[i].sha256) != 0)
			state = "changed";
		else
			state = "applied";
		if (out != NULL)
			fprintf(out, "%s  functions/%s\n", state, name);
		if (strcmp(state, "applied") != 0 && n++ == 0 && first != NULL)
			snprintf(first, firstlen, "functions/%s", name);
	}
	for (r = 0; res != NULL && r < PQntuples(res); r++) {
		name = PQgetvalue(res, r, 0);
		if (function_in_build(name))
			continue;
		if (out != NULL)
			fprintf(out, "removed  functions/%s\n", name);
		if (n++ == 0 && first != NULL)
			snprintf(first, firstlen, "functions/%s", name);
	}
	PQclear(res);
	return (n);
}

/* Runs one file's SQL inside the caller's transaction. */
static int
migrate_exec(PGconn *conn, const char *what, const char *name, const char *sql,
    char *err, size_t errlen)
{
	char pgerr[1024];

	if (pq_exec(conn, sql, pgerr, sizeof(pgerr)) == 0)
		return (0);
	snprintf(err, errlen, "%s %s failed: %s", what, name, pgerr);
	return (-1);
}

static int
migrate_one(
    PGconn *conn, const struct pq_migration *m, char *err, size_t errlen)
{
	char	  verbuf[16], pgerr[1024];
	PGresult *res;

	if (migrate_exec(conn, "migration", m->name, m->sql, err, errlen) != 0)
		return (-1);
	snprintf(verbuf, sizeof(verbuf), "%d", m->version);
	res = PQ_QUERY(
	    conn, sql_record, pgerr, sizeof(pgerr), verbuf, m->name, m->sha256);
	if (res == NULL) {
		snprintf(err, errlen, "could not record migration %s: %s",
		    m->name, pgerr);
		return (-1);
	}
	PQclear(res);
	return (0);
}

/* Applies the migrations after version applied; logs each (log may be NULL). */
static int
migrations_apply(PGconn *conn, int applied, FILE *log, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version <= applied)
			continue;
		if (migrate_one(conn, &pq_migrations[i], err, errlen) != 0)
			return (-1);
		if (log != NULL)
			fprintf(log, "applied %s\n", pq_migrations[i].name);
	}
	return (0);
}

/* Applies every function file in order and records them all. */
static int
functions_apply(PGconn *conn, FILE *log, char *err, size_t errlen)
{
	const struct pq_function_file *f;
	PGresult		      *res;
	char			       pgerr[1024];
	size_t			       i;

	if (pq_exec(conn, sql_functions_forget, err, errlen) != 0)
		return (-1);
	for (i = 0; i < pq_function_files_count; i++) {
		f = &pq_function_files[i];
		if (migrate_exec(conn, "function file", f->name, f->sql, err,
			errlen) != 0)
			return (-1);
		res = PQ_QUERY(conn, sql_functions_record, pgerr, sizeof(pgerr),
		    f->name, f->sha256);
		if (res == NULL) {
			snprintf(err, errlen,
			    "could not record function file "
			    "%s: %s",
			    f->name, pgerr);
			return (-1);
		}
		PQclear(res);
		if (log != NULL)
			fprintf(log, "applied functions/%s\n", f->name);
	}
	return (0);
}

/*
 * The work of migrate_apply() inside its transaction: brings migrations
 * and function files up to date when either is behind, then the
 * registries. Sets *applied_any when it applied files.
 */
static int
migrate_update(
    PGconn *conn, FILE *log, int *applied_any, char *err, size_t errlen)
{
	int  applied, changed;
	char pgerr[1024];

	*applied_any = 0;
	if (pq_exec(conn, sql_create, err, errlen) != 0 ||
	    migrate_compare(conn, &applied, err, errlen) != 0)
		return (-1);
	changed = functions_compare(conn, NULL, NULL, 0, err, errlen);
	if (changed < 0)
		return (-1);
	if (applied < migration_latest() || changed > 0) {
		if (pq_exec(conn, sql_drop_repeatables, pgerr, sizeof(pgerr)) !=
		    0) {
			snprintf(err, errlen,
			    "could not drop the functions, "
			    "views, triggers and policies to apply them again: "
			    "%s",
			    pgerr);
			return (-1);
		}
		if (migrations_apply(conn, applied, log, err, errlen) != 0 ||
		    functions_apply(conn, log, err, errlen) != 0)
			return (-1);
		*applied_any = 1;
	}
	return (registry_sync(conn, err, errlen));
}

/*
 * Brings the database up to this build in one transaction (see the top of
 * the file); logs what it applied to log (may be NULL). Returns
 * MIGRATE_OK, or MIGRATE_ERROR with err set and nothing changed.
 */
int
migrate_apply(PGconn *conn, FILE *log, char *err, size_t errlen)
{
	size_t i;
	int    applied_any, rc = MIGRATE_ERROR;
	char   tmp[256];

	for (i = 1; i < pq_migrations_count; i++) {
		if (pq_migrations[i].version <= pq_migrations[i - 1].version)
			core_fatal("embedded migrations are out of order");
	}
	if (pq_exec(conn, "SET client_min_messages = warning", err, errlen) ||
	    pq_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err,
		errlen))
		return (MIGRATE_ERROR);
	if (pq_exec(conn, "BEGIN", err, errlen) != 0)
		goto out;
	if (migrate_update(conn, log, &applied_any, err, errlen) != 0) {
		(void)pq_exec(conn, "ROLLBACK", tmp, sizeof(tmp));
		goto out;
	}
	if (pq_exec(conn, "COMMIT", err, errlen) != 0)
		goto out;
	if (log != NULL && !applied_any)
		fprintf(log,
		    "database is up to date (version %04d, %zu "
		    "function files)\n",
		    migration_latest(), pq_function_files_count);
	rc = MIGRATE_OK;
out:
	(void)pq_exec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
	    tmp, sizeof(tmp));
	return (rc);
}

/*
 * Returns MIGRATE_OK when the database is exactly at this build's version,
 * with this build's function files and registries; MIGRATE_PENDING (err
 * says which) when `clientd migrate` would change something; and
 * MIGRATE_ERROR on an edited or unknown migration or a database error.
 */
int
migrate_check(PGconn *conn, char *err, size_t errlen)
{
	char first[128];
	int  applied, n;

	if (migrate_compare(conn, &applied, err, errlen) != 0)
		return (MIGRATE_ERROR);
	if (applied < migration_latest()) {
		snprintf(err, errlen,
		    "database schema is at version %04d but "
		    "this build needs %04d: run \"clientd migrate\" first",
		    applied, migration_latest());
		return (MIGRATE_PENDING);
	}
	if ((n = functions_compare(
		 conn, NULL, first, sizeof(first), err, errlen)) < 0)
		return (MIGRATE_ERROR);
	if (n > 0) {
		snprintf(err, errlen,
		    "the SQL functions in the database differ "
		    "from this build's (%s%s): run \"clientd migrate\" first",
		    first, n > 1 ? " and others" : "");
		return (MIGRATE_PENDING);
	}
	if (registry_check(conn, err, errlen) != 0)
		return (MIGRATE_PENDING);
	return (MIGRATE_OK);
}

/*
 * Lists every migration ("applied" or "pending") and every function file
 * ("applied", "changed", "pending", or "removed" when the database has
 * one this build does not), one per line.
 */
int
migrate_status(PGconn *conn, FILE *out, char *err, size_t errlen)
{
	size_t i;
	int    applied, rc;

	rc = migrate_compare(conn, &applied, err, errlen);
	for (i = 0; i < pq_migrations_count; i++) {
		fprintf(out, "%s  %s\n",
		    pq_migrations[i].version <= applied ? "applied" : "pending",
		    pq_migrations[i].name);
	}
	if (rc != 0 || functions_compare(conn, out, NULL, 0, err, errlen) < 0)
		return (MIGRATE_ERROR);
	return (MIGRATE_OK);
}
