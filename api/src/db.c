/*
 * Database access for request handlers: a batch of parameterised
 * statements sent as one libpq pipeline over a connection from Kore's
 * pgsql pool (KORE_PGSQL_SYNC; Kore never watches a SYNC connection's
 * socket, so libpq may drive it directly).
 *
 * Why a pipeline: a request's statements (the authentication that also
 * sets the tenant for row-level security, then the request's own SQL) go
 * out together and their results come back together, so the whole request
 * costs one network round trip. Up to the Sync they run in one implicit
 * transaction: if one fails, the server skips the rest and rolls back.
 *
 * Connections that die (PostgreSQL restarted, network cut) are reset here:
 * Kore 4.1's pool never drops them on its own. A request that finds the
 * database gone answers 503 with Retry-After; a GET that failed only
 * because its pooled connection was stale is retried once on a fresh one.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clientd.h"

#define DB_NAME		"db"
#define DB_TIMEOUT_MS	30000.0	/* the longest a request waits for results */

/*
 * SQLSTATEs and classes mapped to API errors, most specific first. The
 * CDxxx codes are raised by our own SQL functions; xxx is the HTTP status.
 */
static const struct {
	const char		*state;		/* 5 chars, or a 2-char class */
	enum api_error_kind	 kind;
} sqlstate_map[] = {
	{ "CD401", API_ERR_UNAUTHORIZED },
	{ "CD403", API_ERR_FORBIDDEN },
	{ "CD404", API_ERR_NOT_FOUND },
	{ "CD409", API_ERR_CONFLICT },
	{ "CD412", API_ERR_PRECONDITION },
	{ "CD422", API_ERR_VALIDATION },
	{ "CD428", API_ERR_PRECONDITION_REQUIRED },
	{ "CD429", API_ERR_THROTTLED },
	{ "23505", API_ERR_CONFLICT },		/* unique_violation */
	{ "23503", API_ERR_VALIDATION },	/* foreign_key_violation */
	{ "23514", API_ERR_VALIDATION },	/* check_violation */
	{ "23502", API_ERR_VALIDATION },	/* not_null_violation */
	{ "40001", API_ERR_UNAVAILABLE },	/* serialization_failure */
	{ "40P01", API_ERR_UNAVAILABLE },	/* deadlock_detected */
	{ "55P03", API_ERR_UNAVAILABLE },	/* lock_not_available */
	{ "57014", API_ERR_UNAVAILABLE },	/* query_canceled */
	{ "22", API_ERR_VALIDATION },		/* data exception */
	{ "08", API_ERR_UNAVAILABLE },		/* connection exception */
	{ "53", API_ERR_UNAVAILABLE },		/* insufficient resources */
	{ "57", API_ERR_UNAVAILABLE },		/* operator intervention */
};

void
db_init(struct db *db)
{
	memset(db, 0, sizeof(*db));
	kore_pgsql_init(&db->pg);
	db->failed = -1;
}

static void
db_clear_results(struct db *db)
{
	int	i;

	for (i = 0; i < db->n; i++) {
		if (db->res[i] != NULL)
			PQclear(db->res[i]);
		db->res[i] = NULL;
	}
	db->failed = -1;
	db->err = NULL;
}

void
db_cleanup(struct db *db)
{
	db_clear_results(db);
	kore_pgsql_cleanup(&db->pg);
	db->n = 0;
}

/*
 * Queues a statement; params (n of them, NULL for SQL NULL) are borrowed
 * and must live until db_run() returns. Returns the statement's index.
 */
int
db_add(struct db *db, const char *sql, int n, const char *const *params)
{
	struct db_stmt	*s;
	int		 i;

	if (db->n == DB_STMTS_MAX || n > DB_PARAMS_MAX)
		core_fatal("db_add: batch limits exceeded");
	s = &db->stmts[db->n];
	s->sql = sql;
	s->n = n;
	for (i = 0; i < n; i++)
		s->params[i] = params[i];
	return (db->n++);
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/*
 * Whether an idle pooled connection is already dead. An idle connection
 * has nothing to read; if its socket is readable, the server has closed it
 * (a restart sends FATAL and EOF) or sent something we do not expect. One
 * poll() with no timeout, no round trip: it lets the first request after a
 * restart, a write included, reconnect instead of failing.
 */
static int
db_stale(PGconn *conn)
{
	struct pollfd	pfd;

	pfd.fd = PQsocket(conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		return (1);
	if (poll(&pfd, 1, 0) <= 0)
		return (0);
	if (!PQconsumeInput(conn))
		return (1);
	return (PQstatus(conn) != CONNECTION_OK);
}

/* Makes sure db->pg holds a healthy connection. */
static int
db_connect(struct db *db)
{
	PGconn	*conn;

	if (db->pg.conn == NULL &&
	    !kore_pgsql_setup(&db->pg, DB_NAME, KORE_PGSQL_SYNC)) {
		snprintf(db->down_reason, sizeof(db->down_reason), "%s",
		    db->pg.error != NULL ? db->pg.error : "no connection");
		db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
		return (DB_ERR_DOWN);
	}
	conn = db->pg.conn->db;
	/*
	 * A pooled connection must be idle, out of pipeline mode and out of
	 * any transaction; anything else (or a dead one) is reset.
	 */
	if (PQstatus(conn) != CONNECTION_OK ||
	    PQpipelineStatus(conn) != PQ_PIPELINE_OFF ||
	    PQtransactionStatus(conn) != PQTRANS_IDLE || db_stale(conn)) {
		PQreset(conn);
		if (PQstatus(conn) != CONNECTION_OK) {
			snprintf(db->down_reason, sizeof(db->down_reason),
			    "%s", PQerrorMessage(conn));
			db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
			return (DB_ERR_DOWN);
		}
	}
	return (DB_OK);
}

/*
 * With CLIENTD_SQL_LOG set (benchmarks only), each pipeline is appended to
 * that file as one JSON line: [{"sql": ..., "params": [...]}, ...], so
 * that bench/ can replay exactly what the daemon sent with pgbench.
 */
static void
db_log(struct db *db)
{
	static FILE	*log;
	static int	 tried;
	const char	*path;
	json_t		*arr, *st, *params;
	char		*line;
	int		 i, j;

	if (!tried) {
		tried = 1;
		if ((path = getenv("CLIENTD_SQL_LOG")) != NULL && *path != '\0')
			log = fopen(path, "a");
	}
	if (log == NULL)
		return;
	arr = json_array();
	for (i = 0; i < db->n; i++) {
		params = json_array();
		for (j = 0; j < db->stmts[i].n; j++) {
			json_array_append_new(params, db->stmts[i].params[j] ?
			    json_string_lossy(db->stmts[i].params[j]) :
			    json_null());
		}
		st = json_pack("{s:s, s:o}", "sql", db->stmts[i].sql,
		    "params", params);
		json_array_append_new(arr, st);
	}
	if ((line = json_dumps(arr, JSON_COMPACT)) != NULL) {
		fprintf(log, "%s\n", line);
		fflush(log);
		free(line);
	}
	json_decref(arr);
}

/*
 * The next result, waiting at most until deadline (CLOCK_MONOTONIC ms).
 * libpq's own wait has no limit; a worker must never hang on a database
 * that does not answer. Returns NULL with *timed_out set on timeout.
 */
static PGresult *
db_result(PGconn *conn, double deadline, int *timed_out)
{
	struct pollfd	pfd;
	double		left;
	int		n;

	*timed_out = 0;
	while (PQisBusy(conn)) {
		if ((left = deadline - now_ms()) <= 0) {
			*timed_out = 1;
			return (NULL);
		}
		pfd.fd = PQsocket(conn);
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left + 1);
		if (n < 0 && errno != EINTR)
			return (NULL);
		if (n > 0 && !PQconsumeInput(conn))
			return (NULL);
	}
	return (PQgetResult(conn));
}

/* Sends the batch and collects one result per statement. */
static int
db_pipeline(struct db *db)
{
	PGconn		*conn = db->pg.conn->db;
	PGresult	*r;
	double		 deadline;
	int		 i, rc = DB_OK, timed_out = 0;

	db_log(db);
	deadline = now_ms() + DB_TIMEOUT_MS;
	if (!PQenterPipelineMode(conn))
		return (DB_ERR_DOWN);
	for (i = 0; i < db->n; i++) {
		if (!PQsendQueryParams(conn, db->stmts[i].sql, db->stmts[i].n,
		    NULL, db->stmts[i].params, NULL, NULL, 0)) {
			rc = DB_ERR_DOWN;
			goto out;
		}
	}
	if (!PQpipelineSync(conn)) {
		rc = DB_ERR_DOWN;
		goto out;
	}

	for (i = 0; i < db->n; i++) {
		if ((r = db_result(conn, deadline, &timed_out)) == NULL) {
			rc = DB_ERR_DOWN;
			goto out;
		}
		db->res[i] = r;
		switch (PQresultStatus(r)) {
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			break;
		case PGRES_PIPELINE_ABORTED:
			break;
		case PGRES_FATAL_ERROR:
			if (PQresultErrorField(r, PG_DIAG_SQLSTATE) == NULL) {
				rc = DB_ERR_DOWN;
				goto out;
			}
			if (db->failed == -1) {
				db->failed = i;
				db->err = r;
				rc = DB_ERR_SQL;
			}
			break;
		default:
			rc = DB_ERR_DOWN;
			goto out;
		}
		/* Each statement's results end with a NULL. */
		if ((r = db_result(conn, deadline, &timed_out)) != NULL) {
			PQclear(r);
			rc = DB_ERR_DOWN;
			goto out;
		}
	}
	r = db_result(conn, deadline, &timed_out);
	if (r == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		rc = DB_ERR_DOWN;
	if (r != NULL)
		PQclear(r);
out:
	if (rc == DB_ERR_DOWN || !PQexitPipelineMode(conn)) {
		snprintf(db->down_reason, sizeof(db->down_reason), "%s",
		    timed_out ? "no answer from the database in time" :
		    PQerrorMessage(conn));
		db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
		/* Kore would hand this connection out again: reset it now. */
		PQreset(conn);
		return (DB_ERR_DOWN);
	}
	return (rc);
}

/*
 * Runs the queued statements as one round trip. Returns DB_OK, DB_ERR_SQL
 * (db_to_api_error() explains) or DB_ERR_DOWN. The connection stays with
 * db until db_cleanup().
 */
int
db_run(struct api_ctx *ctx, struct db *db)
{
	double	start;
	int	rc, attempt, sent;

	for (attempt = 0;; attempt++) {
		db_clear_results(db);
		start = now_ms();
		sent = 0;
		if ((rc = db_connect(db)) == DB_OK) {
			sent = 1;
			rc = db_pipeline(db);
		}
		if (ctx != NULL) {
			ctx->db_trips++;
			ctx->db_ms += now_ms() - start;
		}
		/*
		 * A read whose pooled connection died under it (a server
		 * restart) is retried once on the connection just reset.
		 */
		if (rc == DB_ERR_DOWN && sent && attempt == 0 && ctx != NULL &&
		    (ctx->method & (ROUTE_GET | ROUTE_HEAD)) &&
		    PQstatus(db->pg.conn->db) == CONNECTION_OK)
			continue;
		break;
	}
	if (rc == DB_ERR_DOWN)
		kore_log(LOG_NOTICE, "database unavailable: %s",
		    db->down_reason);
	return (rc);
}

PGresult *
db_res(struct db *db, int i)
{
	if (i < 0 || i >= db->n || db->res[i] == NULL)
		core_fatal("db_res: no result %d", i);
	return (db->res[i]);
}

int
db_rows(struct db *db, int i)
{
	return (PQntuples(db_res(db, i)));
}

static int
column(PGresult *r, const char *name)
{
	int	c;

	if ((c = PQfnumber(r, name)) < 0)
		core_fatal("db: result has no column \"%s\"", name);
	return (c);
}

/* The value of column name in row of statement i ("" for NULL). */
const char *
db_get(struct db *db, int i, int row, const char *name)
{
	PGresult	*r = db_res(db, i);

	return (PQgetvalue(r, row, column(r, name)));
}

int
db_isnull(struct db *db, int i, int row, const char *name)
{
	PGresult	*r = db_res(db, i);

	return (PQgetisnull(r, row, column(r, name)));
}

static enum api_error_kind
sqlstate_kind(const char *state)
{
	size_t	i, len;

	for (i = 0; i < CORE_ARRAY_LEN(sqlstate_map); i++) {
		len = strlen(sqlstate_map[i].state);
		if (strncmp(state, sqlstate_map[i].state, len) == 0)
			return (sqlstate_map[i].kind);
	}
	return (API_ERR_INTERNAL);
}

/* Constraint names that stand for a field: "<table>_<field>_key". */
static void
field_from_constraint(const char *constraint, char *out, size_t len)
{
	static const struct {
		const char	*constraint;
		const char	*field;
	} map[] = {
		{ "users_email_key", "email" },
		{ "clients_number_key", "number" },
	};
	size_t	i;

	out[0] = '\0';
	for (i = 0; constraint != NULL && i < CORE_ARRAY_LEN(map); i++) {
		if (strcmp(map[i].constraint, constraint) == 0) {
			snprintf(out, len, "%s", map[i].field);
			return;
		}
	}
}

/*
 * Turns the failed statement's error into an API error. Our own functions
 * raise CDxxx with an API-ready message, detail, hint and column (the
 * field); anything else keeps a generic message, and 5xx details go to the
 * log, not to the client.
 */
void
db_to_api_error(struct db *db, struct api_error *err)
{
	const char		*state, *msg, *detail, *hint, *col, *cons;
	enum api_error_kind	 kind;
	char			 field[64];

	if (db->err == NULL) {
		api_error_setf(err, API_ERR_UNAVAILABLE,
		    "database is unavailable");
		api_error_hint(err, "Retry in a moment.");
		return;
	}
	state = PQresultErrorField(db->err, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(db->err, PG_DIAG_MESSAGE_PRIMARY);
	detail = PQresultErrorField(db->err, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(db->err, PG_DIAG_MESSAGE_HINT);
	col = PQresultErrorField(db->err, PG_DIAG_COLUMN_NAME);
	cons = PQresultErrorField(db->err, PG_DIAG_CONSTRAINT_NAME);
	if (state == NULL)
		state = "XX000";
	if (msg == NULL)
		msg = "error";
	kind = sqlstate_kind(state);

	if (kind == API_ERR_INTERNAL || kind == API_ERR_UNAVAILABLE) {
		kore_log(LOG_ERR, "sql error %s: %s (statement %d)",
		    state, msg ? msg : "?", db->failed);
		api_error_setf(err, kind, "%s", kind == API_ERR_INTERNAL ?
		    "internal error" : "database is busy, retry the request");
		return;
	}

	field[0] = '\0';
	if (col != NULL)
		snprintf(field, sizeof(field), "%s", col);
	else
		field_from_constraint(cons, field, sizeof(field));

	if (strncmp(state, "CD", 2) == 0) {
		if (kind == API_ERR_VALIDATION && field[0] != '\0')
			api_error_add_field(err, field, "invalid_value", "%s",
			    msg);
		else
			api_error_setf(err, kind, "%s", msg);
		if (field[0] != '\0')
			api_error_field(err, field);
		if (detail != NULL)
			api_error_detail(err, "%s", detail);
		if (hint != NULL)
			api_error_hint(err, "%s", hint);
		return;
	}

	/* PostgreSQL's own detail names internal keys: never pass it on. */
	if (strcmp(state, "23505") == 0 && field[0] != '\0') {
		api_error_setf(err, kind, "%s is already in use", field);
		api_error_field(err, field);
		api_error_detail(err, "Another record of this company has the "
		    "same %s.", field);
	} else if (strcmp(state, "23505") == 0) {
		api_error_setf(err, kind, "record already exists");
	} else if (field[0] != '\0') {
		api_error_add_field(err, field, "invalid_value",
		    "field \"%s\" has an invalid value", field);
	} else {
		api_error_setf(err, kind, "request has invalid values");
	}
}

/* SELECT 1 on a pooled connection, for /readyz. */
int
db_ping(struct api_ctx *ctx, char *reason, size_t len)
{
	struct db	db;
	int		rc;

	db_init(&db);
	DB_ADD0(&db, "SELECT 1");
	rc = db_run(ctx, &db);
	if (rc != DB_OK)
		snprintf(reason, len, "%s", db.down_reason);
	db_cleanup(&db);
	return (rc);
}
