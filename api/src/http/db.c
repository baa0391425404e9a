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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/utf8.h"
#include "http/db.h"
#include "http/observe.h"

#define DB_NAME	      "db"
#define DB_TIMEOUT_MS 30000.0 /* the longest a request waits for results */

/*
 * SQLSTATEs and classes mapped to API errors, most specific first. The
 * CDxxx codes are raised by our own SQL functions; xxx is the HTTP status.
 */
static const struct {
	const char	   *state; /* 5 chars, or a 2-char class */
	enum api_error_kind kind;
} sqlstate_map[] = {
	{ "CD401", API_ERR_UNAUTHORIZED },	    /* our functions: 401 */
	{ "CD403", API_ERR_FORBIDDEN },		    /* our functions: 403 */
	{ "CD404", API_ERR_NOT_FOUND },		    /* our functions: 404 */
	{ "CD409", API_ERR_CONFLICT },		    /* our functions: 409 */
	{ "CD410", API_ERR_GONE },		    /* our functions: 410 */
	{ "CD412", API_ERR_PRECONDITION },	    /* our functions: 412 */
	{ "CD413", API_ERR_TOO_LARGE },		    /* our functions: 413 */
	{ "CD422", API_ERR_VALIDATION },	    /* our functions: 422 */
	{ "CD428", API_ERR_PRECONDITION_REQUIRED }, /* our functions: 428 */
	{ "CD429", API_ERR_THROTTLED },		    /* our functions: 429 */
	{ "23505", API_ERR_CONFLICT },		    /* unique_violation */
	{ "23503", API_ERR_VALIDATION },	    /* foreign_key_violation */
	{ "23514", API_ERR_VALIDATION },	    /* check_violation */
	{ "23502", API_ERR_VALIDATION },	    /* not_null_violation */
	{ "40001", API_ERR_UNAVAILABLE },	    /* serialization_failure */
	{ "40P01", API_ERR_UNAVAILABLE },	    /* deadlock_detected */
	{ "55P03", API_ERR_UNAVAILABLE },	    /* lock_not_available */
	{ "57014", API_ERR_UNAVAILABLE },	    /* query_canceled */
	{ "22", API_ERR_VALIDATION },		    /* data exception */
	{ "08", API_ERR_UNAVAILABLE },		    /* connection exception */
	{ "53", API_ERR_UNAVAILABLE },		    /* insufficient resources */
	{ "57", API_ERR_UNAVAILABLE },		    /* operator intervention */
};

void
db_init(struct db *db)
{
	memset(db, 0, sizeof(*db));
	kore_pgsql_init(&db->pg);
	db->failed = -1;
	db->auth_stmt = -1;
	db->idem_stmt = -1;
}

static void
db_clear_results(struct db *db)
{
	int i;

	for (i = 0; i < db->n; i++) {
		if (db->res[i] != NULL)
			PQclear(db->res[i]);
		if (db->prep[i] != NULL)
			PQclear(db->prep[i]);
		db->res[i] = NULL;
		db->prep[i] = NULL;
	}
	db->failed = -1;
	db->err = NULL;
}

/*
 * Releases the connection. A held transaction still open (a request that
 * failed half way) is rolled back first, so that the pool gets an idle
 * connection.
 */
void
db_cleanup(struct db *db)
{
	PGresult *r;

	db_clear_results(db);
	if (db->held && db->pg.conn != NULL &&
	    PQtransactionStatus(db->pg.conn->db) != PQTRANS_IDLE &&
	    PQpipelineStatus(db->pg.conn->db) == PQ_PIPELINE_OFF) {
		if ((r = PQexec(db->pg.conn->db, "ROLLBACK")) != NULL)
			PQclear(r);
	}
	db->held = 0;
	kore_pgsql_cleanup(&db->pg);
	db->n = 0;
}

/*
 * Statement i's parameter p is binary: len bytes at data (borrowed like
 * the text ones).
 */
void
db_bind_binary(struct db *db, int i, int p, const void *data, size_t len)
{
	struct db_stmt *st;

	if (i < 0 || i >= db->n || p < 0 || p >= db->stmts[i].n ||
	    len > INT32_MAX)
		core_fatal("db_bind_binary: no parameter %d of %d", p, i);
	st = &db->stmts[i];
	st->params[p] = data;
	st->lengths[p] = (int)len;
	st->formats[p] = 1;
	st->binary = 1;
}

/* Statement i's results come in binary format (bytea as its bytes). */
void
db_binary_result(struct db *db, int i)
{
	if (i < 0 || i >= db->n)
		core_fatal("db_binary_result: no statement %d", i);
	db->stmts[i].binary_result = 1;
}

/*
 * The next batch keeps the connection, and the transaction its first
 * batch opened with BEGIN: statements are queued anew (no auth_begin()
 * again: the transaction's settings stay), and db_cleanup() rolls back
 * what was not committed.
 */
void
db_hold(struct db *db)
{
	db->held = 1;
}

void
db_next(struct db *db)
{
	db_clear_results(db);
	db->n = 0;
	db->auth_stmt = -1;
	db->idem_stmt = -1;
}

/*
 * Queues a statement; params (n of them, NULL for SQL NULL) are borrowed
 * and must live until db_run() returns. sql must be a string constant: it
 * is prepared once per connection and remembered by its address. Returns
 * the statement's index.
 */
int
db_add(struct db *db, const char *sql, int n, const char *const *params)
{
	struct db_stmt *s;
	int		i;

	if (db->n == DB_STMTS_MAX || n > DB_PARAMS_MAX)
		core_fatal("db_add: batch limits exceeded");
	s = &db->stmts[db->n];
	s->sql = sql;
	s->prepare = 1;
	s->n = n;
	s->binary = 0;
	s->binary_result = 0;
	for (i = 0; i < n; i++) {
		s->params[i] = params[i];
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
	return (db->n++);
}

/*
 * Queues a statement built by core/stmt.c; its values are borrowed like
 * db_add()'s, and st must live until db_run() returns. Its interned text is
 * prepared like a constant's; past the interning limit it runs unprepared.
 */
int
db_add_stmt(struct db *db, struct stmt *st)
{
	const char *const *values;
	const char	  *sql;
	int		   n, i;

	sql = stmt_text(st);
	values = stmt_values(st, &n);
	i = db_add(db, sql != NULL ? sql : st->text.data, n, values);
	db->stmts[i].prepare = sql != NULL;
	return (i);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/*
 * Whether an idle pooled connection must be replaced. An idle connection
 * has nothing to read; if its socket is readable, the server has closed it
 * (a restart sends FATAL and EOF) or sent something we do not expect, and
 * either way it is reset. Asking libpq instead is not enough: a read that
 * gets the FATAL message returns before it sees the EOF, so the connection
 * still looks healthy. One poll() with no timeout, no round trip: it lets
 * the first request after a restart, a write included, reconnect instead
 * of failing.
 */
static int
db_stale(PGconn *conn)
{
	struct pollfd pfd;

	pfd.fd = PQsocket(conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		return (1);
	return (poll(&pfd, 1, 0) > 0);
}

/* Makes sure db->pg holds a healthy connection. */
static int
db_acquire(struct db *db)
{
	PGconn *conn;

	if (db->pg.conn == NULL &&
	    !kore_pgsql_setup(&db->pg, DB_NAME, KORE_PGSQL_SYNC)) {
		snprintf(db->down_reason, sizeof(db->down_reason), "%s",
		    db->pg.error != NULL ? db->pg.error : "no connection");
		db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
		return (DB_ERR_DOWN);
	}
	conn = db->pg.conn->db;
	/* A held transaction's next batch: the connection is in it. */
	if (db->held && PQstatus(conn) == CONNECTION_OK &&
	    PQtransactionStatus(conn) == PQTRANS_INTRANS)
		return (DB_OK);
	/*
	 * A pooled connection must be idle, out of pipeline mode and out of
	 * any transaction; anything else (or a dead one) is reset.
	 */
	if (PQstatus(conn) != CONNECTION_OK ||
	    PQpipelineStatus(conn) != PQ_PIPELINE_OFF ||
	    PQtransactionStatus(conn) != PQTRANS_IDLE || db_stale(conn)) {
		PQreset(conn);
		if (PQstatus(conn) != CONNECTION_OK) {
			snprintf(db->down_reason, sizeof(db->down_reason), "%s",
			    PQerrorMessage(conn));
			db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
			return (DB_ERR_DOWN);
		}
	}
	return (DB_OK);
}

static int conn_is_new(PGconn *);

/* db_acquire(), timed for the metrics, which also count new connections. */
static int
db_connect(struct db *db)
{
	double start = now_ms();
	int    rc = db_acquire(db);

	if (rc != DB_OK)
		observe_db_connection(-1, now_ms() - start);
	else
		observe_db_connection(
		    conn_is_new(db->pg.conn->db), now_ms() - start);
	return (rc);
}

/*
 * With CLIENTD_SQL_LOG set (benchmarks only), each pipeline is appended to
 * that file as one JSON line: [{"sql": ..., "params": [...]}, ...], so
 * that bench/ can replay exactly what the daemon sent with pgbench.
 */
static void
db_log(struct db *db)
{
	static FILE *log;
	static int   tried;
	const char  *path;
	json_t	    *arr, *st, *params;
	char	    *line;
	int	     i, j;

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
			json_array_append_new(params,
			    db->stmts[i].params[j]
				? utf8_json_lossy(db->stmts[i].params[j])
				: json_null());
		}
		st = json_pack(
		    "{s:s, s:o}", "sql", db->stmts[i].sql, "params", params);
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
 * Prepared statements. Every statement text is parsed and analysed once per
 * connection instead of once per request; PostgreSQL then plans it as it
 * sees fit (a generic plan once it costs no more than fresh ones). Texts
 * are numbered by address (they are constants); what each connection has
 * prepared is kept by connection and backend pid, so a reset or a new
 * connection starts over. A connection the table cannot track runs its
 * statements unprepared.
 */
#define PREP_MAX   192
#define PREP_CONNS 16

struct prep_conn {
	PGconn	     *conn;
	int	      pid;
	unsigned char done[PREP_MAX];
};

static const char      *prep_sql[PREP_MAX];
static int		prep_count;
static struct prep_conn prep_conns[PREP_CONNS];

static int
prep_id(const char *sql)
{
	int i;

	for (i = 0; i < prep_count; i++) {
		if (prep_sql[i] != sql)
			continue;
		if (strcmp(prep_sql[i], sql) != 0)
			core_fatal("db: statement text changed at one address");
		return (i);
	}
	if (prep_count == PREP_MAX)
		return (-1);
	prep_sql[prep_count] = sql;
	return (prep_count++);
}

/* Whether conn is a connection (a backend) no statement has used yet. */
static int
conn_is_new(PGconn *conn)
{
	int i;

	for (i = 0; i < PREP_CONNS; i++) {
		if (prep_conns[i].conn == conn)
			return (prep_conns[i].pid != PQbackendPID(conn));
	}
	return (1);
}

static struct prep_conn *
prep_conn(PGconn *conn)
{
	struct prep_conn *free_slot = NULL;
	int		  i, pid;

	pid = PQbackendPID(conn);
	for (i = 0; i < PREP_CONNS; i++) {
		if (prep_conns[i].conn == conn) {
			if (prep_conns[i].pid != pid) {
				memset(prep_conns[i].done, 0,
				    sizeof(prep_conns[i].done));
				prep_conns[i].pid = pid;
			}
			return (&prep_conns[i]);
		}
		if (prep_conns[i].conn == NULL && free_slot == NULL)
			free_slot = &prep_conns[i];
	}
	if (free_slot != NULL) {
		free_slot->conn = conn;
		free_slot->pid = pid;
		memset(free_slot->done, 0, sizeof(free_slot->done));
	}
	return (free_slot);
}

/*
 * Sends statement i, preparing it first when this connection has not.
 * Sets *preparing when a Parse went out (its result comes first).
 */
static int
db_send(
    struct db *db, PGconn *conn, struct prep_conn *pc, int i, int *preparing)
{
	struct db_stmt *st = &db->stmts[i];
	const int      *lengths = st->binary ? st->lengths : NULL;
	const int      *formats = st->binary ? st->formats : NULL;
	char		name[16];
	int		id;

	*preparing = 0;
	if (pc == NULL || !st->prepare || (id = prep_id(st->sql)) < 0)
		return (PQsendQueryParams(conn, st->sql, st->n, NULL,
		    st->params, lengths, formats, st->binary_result));
	snprintf(name, sizeof(name), "s%d", id);
	if (!pc->done[id]) {
		if (!PQsendPrepare(conn, name, st->sql, st->n, NULL))
			return (0);
		*preparing = 1;
	}
	return (PQsendQueryPrepared(conn, name, st->n, st->params, lengths,
	    formats, st->binary_result));
}

/*
 * The next result, waiting at most until deadline (CLOCK_MONOTONIC ms).
 * libpq's own wait has no limit; a worker must never hang on a database
 * that does not answer. Returns NULL with *timed_out set on timeout.
 */
static PGresult *
db_result(PGconn *conn, double deadline, int *timed_out)
{
	struct pollfd pfd;
	double	      left;
	int	      n;

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

/*
 * Statement i failed with r (kept in the caller's slot): an SQL error is
 * remembered as the batch's first failure (db->failed, db->err) and gives
 * DB_ERR_SQL; a result without SQLSTATE means the connection broke.
 */
static int
db_failure(struct db *db, int i, PGresult *r)
{
	if (PQresultErrorField(r, PG_DIAG_SQLSTATE) == NULL)
		return (DB_ERR_DOWN);
	if (db->failed == -1) {
		db->failed = i;
		db->err = r;
	}
	return (DB_ERR_SQL);
}

/* Each statement's results end with a NULL: rc, or DB_ERR_DOWN if not. */
static int
db_result_end(PGconn *conn, double deadline, int *timed_out, int rc)
{
	PGresult *r;

	if ((r = db_result(conn, deadline, timed_out)) != NULL) {
		PQclear(r);
		return (DB_ERR_DOWN);
	}
	return (rc);
}

/*
 * Reads the result of a Parse sent for statement i: marks the statement
 * prepared, or keeps a failure as the statement's error. Returns DB_OK,
 * DB_ERR_SQL or DB_ERR_DOWN.
 */
static int
db_read_prepare(struct db *db, PGconn *conn, struct prep_conn *pc, int i,
    double deadline, int *timed_out)
{
	PGresult *r;
	int	  rc = DB_OK;

	if ((r = db_result(conn, deadline, timed_out)) == NULL)
		return (DB_ERR_DOWN);
	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
		pc->done[prep_id(db->stmts[i].sql)] = 1;
		PQclear(r);
		break;
	case PGRES_PIPELINE_ABORTED:
		PQclear(r);
		break;
	case PGRES_FATAL_ERROR:
		db->prep[i] = r;
		if ((rc = db_failure(db, i, r)) == DB_ERR_DOWN)
			return (rc);
		break;
	default:
		PQclear(r);
		return (DB_ERR_DOWN);
	}
	return (db_result_end(conn, deadline, timed_out, rc));
}

/*
 * Reads statement i's result into db->res[i]. Returns DB_OK, DB_ERR_SQL
 * (the first failure is kept in db->failed and db->err) or DB_ERR_DOWN.
 */
static int
db_read_result(
    struct db *db, PGconn *conn, int i, double deadline, int *timed_out)
{
	PGresult *r;
	int	  rc = DB_OK;

	if ((r = db_result(conn, deadline, timed_out)) == NULL)
		return (DB_ERR_DOWN);
	db->res[i] = r;
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
	case PGRES_PIPELINE_ABORTED:
		break;
	case PGRES_FATAL_ERROR:
		if ((rc = db_failure(db, i, r)) == DB_ERR_DOWN)
			return (rc);
		break;
	default:
		return (DB_ERR_DOWN);
	}
	return (db_result_end(conn, deadline, timed_out, rc));
}

/* Sends the batch and collects one result per statement. */
static int
db_pipeline(struct db *db)
{
	PGconn		 *conn = db->pg.conn->db;
	struct prep_conn *pc;
	PGresult	 *r;
	double		  deadline;
	int		  i, rc = DB_OK, st, timed_out = 0;
	int		  preparing[DB_STMTS_MAX];

	db_log(db);
	deadline = now_ms() + DB_TIMEOUT_MS;
	pc = prep_conn(conn);
	if (!PQenterPipelineMode(conn))
		return (DB_ERR_DOWN);
	for (i = 0; i < db->n; i++) {
		if (!db_send(db, conn, pc, i, &preparing[i])) {
			rc = DB_ERR_DOWN;
			goto out;
		}
	}
	if (!PQpipelineSync(conn)) {
		rc = DB_ERR_DOWN;
		goto out;
	}

	for (i = 0; i < db->n; i++) {
		if (preparing[i] &&
		    (st = db_read_prepare(
			 db, conn, pc, i, deadline, &timed_out)) != DB_OK) {
			rc = st;
			if (rc == DB_ERR_DOWN)
				goto out;
		}
		if ((st = db_read_result(db, conn, i, deadline, &timed_out)) !=
		    DB_OK) {
			rc = st;
			if (rc == DB_ERR_DOWN)
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
		    timed_out ? "no answer from the database in time"
			      : PQerrorMessage(conn));
		db->down_reason[strcspn(db->down_reason, "\n")] = '\0';
		/* Kore would hand this connection out again: reset it now. */
		PQreset(conn);
		return (DB_ERR_DOWN);
	}
	return (rc);
}

/*
 * Runs the queued statements as one round trip. Returns DB_OK, DB_ERR_SQL
 * (db_error() explains) or DB_ERR_DOWN. retry_read says the batch only
 * reads: if its pooled connection died under it (a server restart), it is
 * sent once more on the connection just reset. Adds the round trips and
 * their time to db->trips and db->ms. The connection stays with db until
 * db_cleanup().
 */
int
db_run(struct db *db, int retry_read)
{
	double start;
	int    rc, attempt, sent;

	for (attempt = 0;; attempt++) {
		db_clear_results(db);
		start = now_ms();
		sent = 0;
		if ((rc = db_connect(db)) == DB_OK) {
			sent = 1;
			rc = db_pipeline(db);
		}
		db->trips++;
		db->ms += now_ms() - start;
		if (rc == DB_ERR_DOWN && sent && attempt == 0 && retry_read &&
		    !db->held && PQstatus(db->pg.conn->db) == CONNECTION_OK)
			continue;
		break;
	}
	if (rc == DB_ERR_DOWN)
		observe_log(OBSERVE_WARNING, NULL, "database unavailable: %s",
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
	int c;

	if ((c = PQfnumber(r, name)) < 0)
		core_fatal("db: result has no column \"%s\"", name);
	return (c);
}

/* The value of column name in row of statement i ("" for NULL). */
const char *
db_get(struct db *db, int i, int row, const char *name)
{
	PGresult *r = db_res(db, i);

	return (PQgetvalue(r, row, column(r, name)));
}

int
db_isnull(struct db *db, int i, int row, const char *name)
{
	PGresult *r = db_res(db, i);

	return (PQgetisnull(r, row, column(r, name)));
}

/*
 * The columns of statement i that hold the values of the n fields of
 * table f, into cols (-1 for a field without a column), found once for
 * all the rows db_render() then writes.
 */
void
db_columns(
    struct db *db, int i, const struct render_field *f, size_t n, int *cols)
{
	PGresult *r = db_res(db, i);
	size_t	  j;

	if (n > RENDER_FIELDS_MAX)
		core_fatal("db_columns: %zu fields", n);
	for (j = 0; j < n; j++)
		cols[j] = f[j].column != NULL ? column(r, f[j].column) : -1;
}

/* A row db_render() writes: its result, its number, its fields' columns. */
struct db_row {
	PGresult  *r;
	int	   row;
	const int *cols;
};

static const char *
db_row_value(void *arg, size_t i)
{
	struct db_row *x = arg;

	if (x->cols[i] < 0 || PQgetisnull(x->r, x->row, x->cols[i]))
		return (NULL);
	return (PQgetvalue(x->r, x->row, x->cols[i]));
}

/*
 * Writes row of statement i as the members of an object with the n fields
 * of table f (core/render.c), whose columns db_columns() found.
 */
void
db_render(struct db *db, int i, int row, const struct render_field *f, size_t n,
    const int *cols, struct cbuf *out)
{
	struct db_row x = { db_res(db, i), row, cols };

	render_fields(out, f, n, db_row_value, &x);
}

/* The SQLSTATE of the failed statement, or NULL. */
const char *
db_sqlstate(struct db *db)
{
	if (db->err == NULL)
		return (NULL);
	return (PQresultErrorField(db->err, PG_DIAG_SQLSTATE));
}

static enum api_error_kind
sqlstate_kind(const char *state)
{
	size_t i, len;

	for (i = 0; i < CORE_ARRAY_LEN(sqlstate_map); i++) {
		len = strlen(sqlstate_map[i].state);
		if (strncmp(state, sqlstate_map[i].state, len) == 0)
			return (sqlstate_map[i].kind);
	}
	return (API_ERR_INTERNAL);
}

/*
 * The field a constraint stands for. Some are named in the map (their
 * index names no column); otherwise PostgreSQL's own names are
 * "<table>_<column>_<check|key|fkey>", so the column is what is left
 * between the table's name and the suffix.
 */
static void
field_from_constraint(
    const char *table, const char *constraint, char *out, size_t len)
{
	static const struct {
		const char *constraint;
		const char *field;
	} map[] = {
		{ "users_email_key", "email" },
		{ "clients_number_key", "number" },
	};
	static const char *const suffixes[] = { "_check", "_key", "_fkey" };
	size_t			 i, tl, cl, sl;

	out[0] = '\0';
	if (constraint == NULL)
		return;
	for (i = 0; i < CORE_ARRAY_LEN(map); i++) {
		if (strcmp(map[i].constraint, constraint) == 0) {
			snprintf(out, len, "%s", map[i].field);
			return;
		}
	}
	if (table == NULL)
		return;
	tl = strlen(table);
	cl = strlen(constraint);
	for (i = 0; i < CORE_ARRAY_LEN(suffixes); i++) {
		sl = strlen(suffixes[i]);
		if (cl > tl + 1 + sl && strncmp(constraint, table, tl) == 0 &&
		    constraint[tl] == '_' &&
		    strcmp(constraint + cl - sl, suffixes[i]) == 0) {
			snprintf(out, len, "%.*s", (int)(cl - tl - 1 - sl),
			    constraint + tl + 1);
			return;
		}
	}
}

/*
 * Turns the failed statement's error into an API error (db_error). Our own functions
 * raise CDxxx with an API-ready message, detail, hint and column (the
 * field); anything else keeps a generic message, and 5xx details go to the
 * log, not to the client.
 */
void
db_error(struct db *db, struct api_error *err)
{
	const char	   *state, *msg, *detail, *hint, *col, *cons, *table;
	enum api_error_kind kind;
	char		    field[64];

	if (db->err == NULL) {
		api_error_setf(
		    err, API_ERR_UNAVAILABLE, "database is unavailable");
		api_error_hint(err, "Retry in a moment.");
		return;
	}
	state = PQresultErrorField(db->err, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(db->err, PG_DIAG_MESSAGE_PRIMARY);
	detail = PQresultErrorField(db->err, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(db->err, PG_DIAG_MESSAGE_HINT);
	col = PQresultErrorField(db->err, PG_DIAG_COLUMN_NAME);
	cons = PQresultErrorField(db->err, PG_DIAG_CONSTRAINT_NAME);
	table = PQresultErrorField(db->err, PG_DIAG_TABLE_NAME);
	if (state == NULL)
		state = "XX000";
	if (msg == NULL)
		msg = "error";
	kind = sqlstate_kind(state);

	if (kind == API_ERR_INTERNAL || kind == API_ERR_UNAVAILABLE) {
		observe_log(OBSERVE_ERROR, NULL,
		    "sql error %s: %s (statement %d)", state, msg ? msg : "?",
		    db->failed);
		api_error_setf(err, kind, "%s",
		    kind == API_ERR_INTERNAL
			? "internal error"
			: "database is busy, retry the request");
		return;
	}

	field[0] = '\0';
	if (col != NULL)
		snprintf(field, sizeof(field), "%s", col);
	else
		field_from_constraint(table, cons, field, sizeof(field));

	if (strncmp(state, "CD", 2) == 0) {
		if (kind == API_ERR_VALIDATION && field[0] != '\0')
			api_error_add_field(
			    err, field, "invalid_value", "%s", msg);
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
		api_error_detail(err,
		    "Another record of this company has the "
		    "same %s.",
		    field);
	} else if (strcmp(state, "23505") == 0) {
		api_error_setf(err, kind, "record already exists");
	} else if (field[0] != '\0') {
		api_error_add_field(err, field, "invalid_value",
		    "field \"%s\" has an invalid value", field);
	} else if (kind == API_ERR_VALIDATION) {
		/* Every 422 names a field; this one can only name the body. */
		api_error_add_field(err, "body", "invalid_value",
		    "request has a value the database cannot take");
	} else {
		api_error_setf(err, kind, "request has invalid values");
	}
}
