/*
 * Plain libpq helpers: connecting with the options every clientd process
 * needs, one-shot queries with $n parameters, and readable errors.
 */
#include <stdio.h>
#include <string.h>

#include "core/cbuf.h"
#include "pq/pq.h"

/*
 * Rewrites a conninfo (keyword=value or URI) as keyword=value with the
 * defaults clientd relies on: connect_timeout=2 (PQconnectdb blocks a Kore
 * worker until it returns) and gssencmode=disable (no Kerberos probing
 * under the worker's seccomp filter). Values the caller set are kept.
 */
int
pq_conninfo_normalize(
    const char *in, char *out, size_t outlen, char *err, size_t errlen)
{
	PQconninfoOption *opts, *o;
	char		 *perr = NULL;
	struct cbuf	  b;
	const char	 *v, *p;
	int		  have_timeout = 0, have_gss = 0;

	if ((opts = PQconninfoParse(in, &perr)) == NULL) {
		snprintf(err, errlen, "invalid database connection string: %s",
		    perr != NULL ? perr : "out of memory");
		PQfreemem(perr);
		return (-1);
	}
	cbuf_init(&b, 256);
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "connect_timeout") == 0)
			have_timeout = 1;
		if (strcmp(o->keyword, "gssencmode") == 0)
			have_gss = 1;
		cbuf_appendf(&b, "%s%s='", b.len ? " " : "", o->keyword);
		for (v = o->val; *v != '\0'; v++) {
			p = (*v == '\'' || *v == '\\') ? "\\" : "";
			cbuf_appendf(&b, "%s%c", p, *v);
		}
		cbuf_append(&b, "'", 1);
	}
	if (!have_timeout)
		cbuf_appendstr(&b, " connect_timeout=2");
	if (!have_gss)
		cbuf_appendstr(&b, " gssencmode=disable");
	PQconninfoFree(opts);

	if (b.len >= outlen) {
		snprintf(err, errlen, "database connection string is too long");
		cbuf_cleanup(&b);
		return (-1);
	}
	memcpy(out, b.data, b.len + 1);
	cbuf_cleanup(&b);
	return (0);
}

PGconn *
pq_connect(const char *conninfo, char *err, size_t errlen)
{
	PGconn *conn;
	char	norm[2048];

	if (pq_conninfo_normalize(conninfo, norm, sizeof(norm), err, errlen) !=
	    0)
		return (NULL);
	conn = PQconnectdb(norm);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "could not connect to the database: %s",
		    PQerrorMessage(conn));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(conn);
		return (NULL);
	}
	return (conn);
}

/* "message (SQLSTATE)", plus detail and hint when there are any. */
void
pq_error_text(const PGresult *res, PGconn *conn, char *out, size_t len)
{
	const char *msg, *state, *detail, *hint;

	msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (msg == NULL) {
		snprintf(out, len, "%s", PQerrorMessage(conn));
		out[strcspn(out, "\n")] = '\0';
		return;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	snprintf(out, len, "%s (%s)%s%s%s%s", msg, state ? state : "?",
	    detail ? "\nDETAIL: " : "", detail ? detail : "",
	    hint ? "\nHINT: " : "", hint ? hint : "");
}

/*
 * Runs one parameterised statement. Returns the result (PQclear it) when it
 * succeeded, NULL with err filled in otherwise.
 */
PGresult *
pq_query(PGconn *conn, const char *sql, int n, const char *const *params,
    char *err, size_t errlen)
{
	PGresult *res;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		return (res);
	default:
		pq_error_text(res, conn, err, errlen);
		PQclear(res);
		return (NULL);
	}
}

/*
 * Runs SQL text (several statements allowed, no parameters). Text with
 * no statement at all (only comments) succeeds: a migration may be one.
 */
int
pq_exec(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res;
	int	  rc = 0;

	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		pq_error_text(res, conn, err, errlen);
		rc = -1;
	}
	PQclear(res);
	return (rc);
}

/*
 * Row-level security only protects tenants if the daemon's role is subject
 * to it: refuse superusers, BYPASSRLS roles and owners of the tables.
 */
int
pq_check_runtime_role(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int	  rc = -1;

	res = pq_query(conn,
	    "SELECT r.rolname, r.rolsuper OR r.rolbypassrls AS bypass, "
	    "    EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' "
	    "        AND t.tableowner = current_user) AS owner "
	    "FROM pg_roles r WHERE r.rolname = current_user",
	    0, NULL, err, errlen);
	if (res == NULL)
		return (-1);
	if (PQntuples(res) != 1) {
		snprintf(err, errlen, "could not read the current role");
	} else if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		snprintf(err, errlen,
		    "role \"%s\" bypasses row-level security "
		    "(superuser or BYPASSRLS); connect as clientd_app instead",
		    PQgetvalue(res, 0, 0));
	} else if (strcmp(PQgetvalue(res, 0, 2), "t") == 0) {
		snprintf(err, errlen,
		    "role \"%s\" owns the tables, so "
		    "row-level security does not apply to it; connect as "
		    "clientd_app instead",
		    PQgetvalue(res, 0, 0));
	} else {
		rc = 0;
	}
	PQclear(res);
	return (rc);
}
