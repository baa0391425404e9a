/*
 * The import job: a dry run or a run of a CSV import of clients (issue 16).
 *
 * The file is read back from import_chunks (UTF-8, as the daemon stored
 * it) through the same capped CSV reader the upload used; its rows become
 * clients' JSON in core/import.c (grouped, converted, checked by the API's
 * rules) and go to sql/functions/imports.sql in batches of a few hundred,
 * where each row is applied by the functions the API's writes use, in a
 * subtransaction of its own. Memory does not grow with the file: one piece
 * of it, one batch and its results are all that is held.
 *
 * Transactions, per phase:
 *
 *   dry run         each batch in a transaction that is rolled back; what
 *                   rows of the file must remember of each other (match
 *                   keys, numbers) is kept in import_keys after it
 *   run, valid rows each batch in a transaction that commits with the
 *                   checkpoint that counts it: a killed worker resumes
 *                   after the last one, and no row is applied twice
 *   run, all or     one transaction for the whole file, committed only when
 *   nothing         no row was refused: a killed worker leaves nothing, and
 *                   the job starts again from the first row
 *
 * A second connection ("side") writes progress and per-row problems as the
 * batches go, outside their transactions, so the API shows them live, and
 * reads the pieces of the file. Events: each created or updated client's,
 * written by SQL with the client; one import.completed at the end, in the
 * transaction of the checkpoint that says the run is over.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/csv_read.h"
#include "core/import.h"
#include "core/mem.h"
#include "core/numbers.h"
#include "pq/pq.h"
#include "worker/job_import.h"

#define BATCH_ROWS   400		  /* groups per SQL batch */
#define BATCH_BYTES  ((size_t)512 * 1024) /* of cells per SQL batch */
#define ISSUES_FLUSH 200		  /* problems sent at once */

/* clang-format off */
static const char sql_side_tenant[] =
    "SELECT set_config('app.company_id', $1, false)";
static const char sql_begin[] =
    "SELECT import_phase_begin($1::bigint, $2, $3) AS info";
static const char sql_chunk[] =
    "SELECT data FROM import_chunks WHERE import_id = $1::bigint "
    "AND company_id = app_company_id() AND seq = $2::int";
static const char sql_contexts[] =
    "SELECT name, pattern, padding, group_counter, has_group, local_time "
    "FROM import_number_contexts($1::text[])";
static const char sql_apply[] =
    "SELECT import_apply($1::bigint, $2, $3::jsonb, $4::jsonb) AS r";
static const char sql_keys[] =
    "SELECT import_keys_restore($1::bigint, $2, $3::jsonb)";
static const char sql_issues[] =
    "SELECT import_issues_add($1::bigint, $2, $3::jsonb)";
static const char sql_progress[] =
    "SELECT import_progress_set($1::bigint, $2::int, $3::jsonb) AS cancel";
static const char sql_checkpoint[] =
    "SELECT import_checkpoint_set($1::bigint, $2::int, $3::int, $4::jsonb, "
    "$5::boolean)";
static const char sql_completed[] =
    "SELECT import_completed_event($1::bigint, $2::jsonb)";
static const char sql_end[] =
    "SELECT import_phase_end($1::bigint, $2, $3::jsonb)";
static const char sql_analyze[] = "SELECT import_analyze()";
/* clang-format on */

struct counts {
	long rows;
	long created;
	long updated;
	long unchanged;
	long skipped;
	long rejected;
	long duplicates;
};

/* A client's rows waiting for SQL, and their JSON row. */
struct item {
	struct import_group g;
	json_t		   *row;
	char		    group[256];
	int		    generate; /* its number is generated */
};

struct run {
	struct job_import_ctx *ctx;
	PGconn		      *side;
	char		      *err;
	size_t		       errlen;
	int		       status; /* JOB_IMPORT_*: how the job ends */
	int		       stop;   /* stop reading (failed, cancelled...) */
	int		       cancelled;

	char	import_id[24];
	char	company[24];
	int	dry;
	int	all_or_nothing;
	char	phase[16];
	char	file_name[256];
	char	user_id[24];
	char	user_public[64];
	char	user_email[256];
	char	user_role[16];
	char	delim;
	long	first_row;
	long	total;
	long	resume_after; /* rows up to this one are in */
	int	tx_open;
	json_t *columns;

	struct import_options opt;
	struct import_mapping map;
	struct import_group   g;
	struct item	     *items;
	size_t		      nitems;
	size_t		      batch_bytes;
	json_t		     *issues;
	struct counts	      c;
	long		      rows_done;
	long		      last_row;
	long   analyzed_at; /* rows applied at the last ANALYZE */
	time_t last_sent;
};

/* ---- small helpers --------------------------------------------------------- */

static int
fail(struct run *r, const char *what)
{
	if (r->status == JOB_IMPORT_DONE)
		snprintf(r->err, r->errlen, "%s", what);
	r->status = JOB_IMPORT_RETRY;
	r->stop = 1;
	return (-1);
}

/* A query on the side connection; NULL (and the run failed) on error. */
static PGresult *
side_query(struct run *r, const char *sql, int n, const char *const *params)
{
	PGresult *res;

	if ((res = pq_query(r->side, sql, n, params, r->err, r->errlen)) ==
	    NULL) {
		r->status = JOB_IMPORT_RETRY;
		r->stop = 1;
	}
	return (res);
}

static PGresult *
work_query(struct run *r, const char *sql, int n, const char *const *params)
{
	PGresult *res;

	if ((res = pq_query(r->ctx->conn, sql, n, params, r->err, r->errlen)) ==
	    NULL) {
		r->status = JOB_IMPORT_RETRY;
		r->stop = 1;
	}
	return (res);
}

#define SIDE(r, sql, ...) \
	side_query(r, sql, \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
	    (const char *const[]){ __VA_ARGS__ })
#define WORK(r, sql, ...) \
	work_query(r, sql, \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
	    (const char *const[]){ __VA_ARGS__ })

static int
side_exec(struct run *r, PGresult *res)
{
	if (res == NULL)
		return (-1);
	PQclear(res);
	return (0);
}

/*
 * Opens a transaction on the worker's connection acting as the user who
 * started the import, as auth_begin() would for their request.
 */
static int
tx_begin(struct run *r)
{
	char	  sql[1024], *email;
	PGresult *res;

	if (r->tx_open)
		return (0);
	email =
	    PQescapeLiteral(r->ctx->conn, r->user_email, strlen(r->user_email));
	if (email == NULL)
		return (fail(r, "could not quote the user's email"));
	snprintf(sql, sizeof(sql),
	    "BEGIN; SELECT set_config('app.company_id', '%s', true), "
	    "set_config('app.user_id', '%s', true), "
	    "set_config('app.role', '%s', true), "
	    "set_config('app.scope', 'all', true), "
	    "set_config('app.actor_type', 'user', true), "
	    "set_config('app.actor_id', '%s', true), "
	    "set_config('app.actor_name', %s, true)",
	    r->company, r->user_id, r->user_role, r->user_public, email);
	PQfreemem(email);
	res = PQexec(r->ctx->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pq_error_text(res, r->ctx->conn, r->err, r->errlen);
		PQclear(res);
		r->status = JOB_IMPORT_RETRY;
		r->stop = 1;
		return (-1);
	}
	PQclear(res);
	r->tx_open = 1;
	return (0);
}

static int
tx_end(struct run *r, const char *how)
{
	char err[512];

	if (!r->tx_open)
		return (0);
	r->tx_open = 0;
	if (pq_exec(r->ctx->conn, how, err, sizeof(err)) != 0)
		return (fail(r, err));
	return (0);
}

static json_t *
counts_json(const struct counts *c)
{
	return (json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "rows",
	    (json_int_t)c->rows, "created", (json_int_t)c->created, "updated",
	    (json_int_t)c->updated, "unchanged", (json_int_t)c->unchanged,
	    "skipped", (json_int_t)c->skipped, "rejected",
	    (json_int_t)c->rejected, "duplicates", (json_int_t)c->duplicates));
}

static void
counts_read(struct counts *c, json_t *j)
{
	c->rows = (long)json_integer_value(json_object_get(j, "rows"));
	c->created = (long)json_integer_value(json_object_get(j, "created"));
	c->updated = (long)json_integer_value(json_object_get(j, "updated"));
	c->unchanged =
	    (long)json_integer_value(json_object_get(j, "unchanged"));
	c->skipped = (long)json_integer_value(json_object_get(j, "skipped"));
	c->rejected = (long)json_integer_value(json_object_get(j, "rejected"));
	c->duplicates =
	    (long)json_integer_value(json_object_get(j, "duplicates"));
}

/* JSON text of j (reference stolen); the caller frees it. */
static char *
dump(json_t *j)
{
	char *s;

	if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
		core_fatal("job_import: json_dumps failed");
	json_decref(j);
	return (s);
}

/* ---- problems and progress ----------------------------------------------------- */

/* The header name of column n (1-based), or null. */
static json_t *
column_name(struct run *r, json_t *column)
{
	json_t *c;

	if (!json_is_integer(column))
		return (json_null());
	c = json_array_get(r->columns, (size_t)json_integer_value(column) - 1);
	c = json_object_get(c, "name");
	return (json_is_string(c) ? json_incref(c) : json_null());
}

/*
 * The group's rows as problems: each row with the errors pinned to it,
 * the others refused with it ("rejected with row N").
 */
static void
issues_add_group(struct run *r, struct import_group *g, const char *kind)
{
	json_t *e, *errs;
	size_t	i, k;

	for (i = 0; i < g->nrows; i++) {
		errs = json_array();
		json_array_foreach(g->errors, k, e)
		{
			if ((unsigned long)json_integer_value(
				json_object_get(e, "row")) != g->pos[i].row)
				continue;
			json_object_set_new(e, "column_name",
			    column_name(r, json_object_get(e, "column")));
			json_array_append(errs, e);
		}
		if (json_array_size(errs) == 0 && strcmp(kind, "error") == 0) {
			json_array_append_new(errs,
			    json_pack("{s:n, s:n, s:n, s:n, s:s, s:s}",
				"column", "column_name", "field", "value",
				"code", "rejected_with_row", "message",
				"rejected with its client's other rows"));
		}
		json_array_append_new(r->issues,
		    json_pack("{s:I, s:I, s:s, s:O, s:o}", "row",
			(json_int_t)g->pos[i].row, "line",
			(json_int_t)g->pos[i].line, "kind", kind, "cells",
			strcmp(kind, "error") == 0
			    ? import_group_row_cells(g, i)
			    : json_null(),
			"errors", errs));
	}
}

/* Sends the problems and the progress; learns of a cancel. */
static int
send_progress(struct run *r)
{
	PGresult *res;
	char	 *issues, *counts, done[24];

	if (json_array_size(r->issues) > 0) {
		issues = dump(r->issues);
		r->issues = json_array();
		res = SIDE(r, sql_issues, r->import_id, r->phase, issues);
		free(issues);
		if (side_exec(r, res) != 0)
			return (-1);
	}
	snprintf(done, sizeof(done), "%ld", r->rows_done);
	counts = dump(counts_json(&r->c));
	res = SIDE(r, sql_progress, r->import_id, done, counts);
	free(counts);
	if (res == NULL)
		return (-1);
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		r->cancelled = 1;
	PQclear(res);
	r->last_sent = time(NULL);
	if (r->ctx->beat != NULL)
		r->ctx->beat(r->side);
	return (0);
}

/* ---- batches --------------------------------------------------------------------- */

static void
items_clear(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		import_group_cleanup(&r->items[i].g);
		json_decref(r->items[i].row);
	}
	r->nitems = 0;
	r->batch_bytes = 0;
}

/* The templates of the batch's generated numbers (numbers.c, as the API). */
static int
number_templates(struct run *r)
{
	struct number_vars vars;
	PGresult	  *res;
	json_t		  *names;
	char		  *arr, tmpl[NUMBER_MAX * 4 + 1];
	const char	  *pattern, *idn;
	size_t		   i;
	int		   k, found;

	names = json_array();
	for (i = 0; i < r->nitems; i++) {
		if (r->items[i].generate && r->items[i].group[0] != '\0')
			json_array_append_new(
			    names, json_string(r->items[i].group));
	}
	/* A text[] literal from a JSON array: same quoting rules for these. */
	arr = dump(names);
	arr[0] = '{';
	arr[strlen(arr) - 1] = '}';
	res = WORK(r, sql_contexts, arr);
	free(arr);
	if (res == NULL)
		return (-1);
	for (i = 0; i < r->nitems; i++) {
		if (!r->items[i].generate)
			continue;
		for (found = -1, k = 0; k < PQntuples(res); k++) {
			if (strcasecmp(PQgetvalue(res, k, 0),
				r->items[i].group) == 0) {
				found = k;
				break;
			}
		}
		if (found < 0)
			found = 0; /* the company's */
		memset(&vars, 0, sizeof(vars));
		if (strptime(PQgetvalue(res, found, 5), "%Y-%m-%d %H:%M:%S",
			&vars.now) == NULL)
			core_fatal("import_number_contexts: bad local_time");
		idn = json_string_value(json_object_get(
		    json_object_get(r->items[i].row, "body"), "id_number"));
		vars.client_id_number = idn != NULL ? idn : "";
		vars.user_id = r->user_public;
		pattern = PQgetvalue(res, found, 1);
		if (numbers_template(pattern, &vars, tmpl, sizeof(tmpl)) != 0) {
			/* The row fails as the API's create would. */
			json_object_set_new(
			    r->items[i].row, "template", json_null());
			json_object_set_new(
			    r->items[i].row, "number_error", json_true());
			continue;
		}
		json_object_set_new(
		    r->items[i].row, "template", json_string(tmpl));
		json_object_set_new(r->items[i].row, "padding",
		    json_integer(atoi(PQgetvalue(res, found, 2))));
		json_object_set_new(r->items[i].row, "group_counter",
		    json_boolean(strcmp(PQgetvalue(res, found, 4), "t") == 0 &&
			(strcmp(PQgetvalue(res, found, 3), "t") == 0 ||
			    numbers_pattern_uses_group_counter(pattern))));
	}
	PQclear(res);
	return (0);
}

static struct item *
item_for_row(struct run *r, long row)
{
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		if ((long)r->items[i].g.pos[0].row == row)
			return (&r->items[i]);
	}
	return (NULL);
}

static const char *
key_words(enum import_match m)
{
	switch (m) {
	case IMPORT_MATCH_NUMBER:
		return ("client number");
	case IMPORT_MATCH_ID_NUMBER:
		return ("ID number");
	case IMPORT_MATCH_EMAIL:
		return ("email");
	default:
		return ("name");
	}
}

static const char *
error_code(const char *state)
{
	if (strcmp(state, "CD409") == 0 || strcmp(state, "23505") == 0)
		return ("conflict");
	if (strcmp(state, "CD404") == 0)
		return ("not_found");
	return ("invalid_value");
}

/* One row's outcome from SQL. */
static void
take_outcome(struct run *r, json_t *o)
{
	struct item *it;
	json_t	    *err, *dup;
	const char  *outcome;
	char	     msg[600], key[IMPORT_KEY_MAX];

	it = item_for_row(
	    r, (long)json_integer_value(json_object_get(o, "row")));
	if (it == NULL)
		core_fatal("import_apply: an outcome for a row not sent");
	outcome = json_string_value(json_object_get(o, "outcome"));
	if (strcmp(outcome, "error") == 0) {
		err = json_object_get(o, "error");
		snprintf(msg, sizeof(msg), "%s%s%s",
		    json_string_value(json_object_get(err, "message")),
		    json_is_string(json_object_get(err, "detail")) ? ": " : "",
		    json_is_string(json_object_get(err, "detail"))
			? json_string_value(json_object_get(err, "detail"))
			: "");
		import_group_error(&it->g,
		    json_string_value(json_object_get(err, "field")),
		    error_code(
			json_string_value(json_object_get(err, "state"))),
		    msg);
		issues_add_group(r, &it->g, "error");
		r->c.rejected += (long)it->g.nrows;
		return;
	}
	if (strcmp(outcome, "created") == 0)
		r->c.created++;
	else if (strcmp(outcome, "updated") == 0)
		r->c.updated++;
	else if (strcmp(outcome, "unchanged") == 0)
		r->c.unchanged++;
	else
		r->c.skipped++;
	dup = json_object_get(o, "duplicate_of");
	if (json_is_integer(dup)) {
		r->c.duplicates++;
		import_group_key(&it->g, key, sizeof(key));
		snprintf(msg, sizeof(msg),
		    "matches row %lld of this file (the same %s \"%s\"): %s",
		    (long long)json_integer_value(dup), key_words(r->opt.match),
		    key, outcome);
		json_array_append_new(it->g.errors,
		    json_pack("{s:I, s:I, s:n, s:s, s:s, s:s, s:s}", "row",
			(json_int_t)it->g.pos[0].row, "line",
			(json_int_t)it->g.pos[0].line, "column", "field", "key",
			"value", key, "code", "duplicate_in_file", "message",
			msg));
		issues_add_group(r, &it->g, "duplicate");
	}
}

/* Rows whose number pattern gave no usable number fail before SQL. */
static void
number_errors(struct run *r, json_t *rows)
{
	json_t *row;
	size_t	i;

	for (i = 0; i < r->nitems; i++) {
		row = r->items[i].row;
		if (!json_is_true(json_object_get(row, "number_error"))) {
			json_array_append(rows, row);
			continue;
		}
		import_group_error(&r->items[i].g, "number", "invalid_value",
		    "the client number pattern does not give a usable number "
		    "(longer than 64 characters, or control characters)");
		issues_add_group(r, &r->items[i].g, "error");
		r->c.rejected += (long)r->items[i].g.nrows;
	}
}

static int
checkpoint(struct run *r, int finished, json_t *result)
{
	PGresult *res;
	char	 *counts, done[24], last[24];

	snprintf(done, sizeof(done), "%ld", r->rows_done);
	snprintf(last, sizeof(last), "%ld", r->last_row);
	counts =
	    dump(result != NULL ? json_incref(result) : counts_json(&r->c));
	res = WORK(r, sql_checkpoint, r->import_id, done, last, counts,
	    finished ? "true" : "false");
	free(counts);
	return (side_exec(r, res));
}

/* Applies the batch: one transaction, or a part of the one. */
static int
flush_batch(struct run *r)
{
	PGresult *res;
	json_t	 *rows, *out, *o;
	char	 *text, *opts;
	size_t	  i;

	if (r->nitems == 0)
		return (r->stop ? -1 : send_progress(r));
	if (tx_begin(r) != 0)
		return (-1);
	/* Statistics as the tables grow (import_analyze() says why). */
	if (r->rows_done >= 4 * r->analyzed_at + 200) {
		if (side_exec(r, work_query(r, sql_analyze, 0, NULL)) != 0)
			return (-1);
		r->analyzed_at = r->rows_done;
	}
	if (number_templates(r) != 0)
		return (-1);
	rows = json_array();
	number_errors(r, rows);
	text = dump(rows);
	opts = dump(import_options_json(&r->opt));
	res = WORK(r, sql_apply, r->import_id, r->phase, text, opts);
	free(text);
	free(opts);
	if (res == NULL)
		return (-1);
	out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (out == NULL)
		return (fail(r, "import_apply answered no JSON"));
	json_array_foreach(json_object_get(out, "rows"), i, o)
	    take_outcome(r, o);
	if (r->dry) {
		if (tx_end(r, "ROLLBACK") != 0) {
			json_decref(out);
			return (-1);
		}
		text = dump(json_incref(json_object_get(out, "keys")));
		res = SIDE(r, sql_keys, r->import_id, r->phase, text);
		free(text);
		if (side_exec(r, res) != 0) {
			json_decref(out);
			return (-1);
		}
	} else if (!r->all_or_nothing) {
		if (checkpoint(r, 0, NULL) != 0 || tx_end(r, "COMMIT") != 0) {
			json_decref(out);
			return (-1);
		}
	}
	json_decref(out);
	items_clear(r);
	return (send_progress(r));
}

/* ---- rows --------------------------------------------------------------------------- */

/* The group is whole: refused in C, or queued for SQL. */
static void
end_group(struct run *r)
{
	struct import_group *g = &r->g;
	struct item	    *it;
	json_t		    *row;
	char		     key[IMPORT_KEY_MAX];

	if (g->nrows == 0)
		return;
	r->rows_done += (long)g->nrows;
	r->c.rows += (long)g->nrows;
	r->last_row = (long)g->pos[g->nrows - 1].row;
	if (import_group_check(g) > 0) {
		issues_add_group(r, g, "error");
		r->c.rejected += (long)g->nrows;
		import_group_reset(g);
		return;
	}
	import_group_key(g, key, sizeof(key));
	row = json_pack("{s:I, s:O, s:s}", "row", (json_int_t)g->pos[0].row,
	    "body", g->body, "key", key);
	if (g->settings != NULL)
		json_object_set(row, "settings", g->settings);
	if (g->group_name[0] != '\0')
		json_object_set_new(row, "group", json_string(g->group_name));
	if (g->opening[0] != '\0')
		json_object_set_new(
		    row, "opening_balance", json_string(g->opening));
	it = &r->items[r->nitems++];
	it->g = *g; /* the item takes the group's references */
	it->row = row;
	it->generate = json_object_get(g->body, "number") == NULL;
	snprintf(it->group, sizeof(it->group), "%s", g->group_name);
	r->batch_bytes += g->bytes;
	import_group_init(g, &r->map, &r->opt);
}

static int
on_record(const struct csv_read_record *rec, void *arg)
{
	struct run *r = arg;

	if ((long)rec->row < r->first_row || (long)rec->row <= r->resume_after)
		return (0);
	if (import_group_add(&r->g, rec) != 0) {
		end_group(r);
		if (r->nitems >= BATCH_ROWS || r->batch_bytes >= BATCH_BYTES ||
		    json_array_size(r->issues) >= ISSUES_FLUSH ||
		    (r->nitems == 0 && time(NULL) != r->last_sent)) {
			if (flush_batch(r) != 0)
				return (1);
		}
		if (r->cancelled || *r->ctx->stopping)
			return (1);
		(void)import_group_add(&r->g, rec);
	}
	return (r->stop);
}

/* Reads the stored file, piece by piece, through the CSV reader. */
static int
read_file(struct run *r)
{
	struct csv_read rd;
	PGresult       *res;
	char		seq[24];
	int		i, rc = 0;

	csv_read_init(&rd, r->delim, on_record, r);
	for (i = 0; rc == 0 && !r->stop; i++) {
		snprintf(seq, sizeof(seq), "%d", i);
		if ((res = SIDE(r, sql_chunk, r->import_id, seq)) == NULL)
			break;
		if (PQntuples(res) == 0) {
			PQclear(res);
			rc = csv_read_finish(&rd);
			break;
		}
		rc = csv_read_feed(
		    &rd, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
		PQclear(res);
	}
	if (rc != 0 && rc != CSV_READ_STOPPED && !r->stop) {
		/* The daemon read this file already: it cannot be bad now. */
		snprintf(r->err, r->errlen,
		    "the stored file does not read: %s "
		    "(row %lu)",
		    rd.err.message, rd.err.row);
		r->status = JOB_IMPORT_RETRY;
		r->stop = 1;
	}
	csv_read_cleanup(&rd);
	if (r->stop)
		return (-1);
	if (r->cancelled || *r->ctx->stopping) {
		/* Rows read but never applied are not counted. */
		for (i = 0; i < (int)r->nitems; i++) {
			r->c.rows -= (long)r->items[i].g.nrows;
			r->rows_done -= (long)r->items[i].g.nrows;
		}
		items_clear(r);
		return (0);
	}
	end_group(r);
	return (flush_batch(r));
}

/* ---- the end ------------------------------------------------------------------------- */

/* A sentence being written: text appended with its length kept. */
struct sentence {
	char  *out;
	size_t len, used;
};

static void say(struct sentence *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct sentence *s, const char *fmt, ...)
{
	va_list ap;
	int	n;

	if (s->used + 1 >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->out + s->used, s->len - s->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->used = (size_t)n < s->len - s->used ? s->used + (size_t)n
						       : s->len - 1;
}

/*
 * A count as the sentence shows it: 1,596. The worker runs one job at a
 * time, so a few rotating buffers are enough for one sentence.
 */
static const char *
grouped(long n)
{
	static char buf[8][32];
	static int  next;
	char	    digits[24], *out = buf[next++ % 8];
	size_t	    len, i, o = 0;

	snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n);
	len = strlen(digits);
	if (n < 0)
		out[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return (out);
}

static const char *
plural(long n, const char *one, const char *many)
{
	return (n == 1 ? one : many);
}

/* A phrase of a list: its count between two words ("leave ", 3, " unchanged"). */
struct phrase {
	const char *before;
	long	    n;
	const char *after;
};

/* The items whose count is not zero, as "a, b and c". */
static void
say_list(struct sentence *s, const struct phrase *it, size_t k)
{
	size_t i, left = 0, said = 0;

	for (i = 0; i < k; i++)
		left += it[i].n != 0;
	for (i = 0; i < k; i++) {
		if (it[i].n == 0)
			continue;
		if (said > 0)
			say(s, "%s", said + 1 == left ? " and " : ", ");
		say(s, "%s%s%s", it[i].before, grouped(it[i].n), it[i].after);
		said++;
	}
}

/* What a phase did, in a sentence that never calls nothing a success. */
static void
summary(const struct run *r, const char *status, char *out, size_t len)
{
	const struct counts *c = &r->c;
	struct sentence	     s = { out, len, 0 };
	long		     done = c->created + c->updated;
	int		     cancelled = strcmp(status, "cancelled") == 0;

	out[0] = '\0';
	if (r->dry) {
		struct phrase it[] = {
			{ "create ", c->created,
			    plural(c->created, " client", " clients") },
			{ "update ", c->updated,
			    c->created > 0
				? ""
				: plural(c->updated, " client", " clients") },
			{ "leave ", c->unchanged, " unchanged" },
			{ "skip ", c->skipped, "" }
		};

		say(&s, "Checked %s %s: ", grouped(c->rows),
		    plural(c->rows, "row", "rows"));
		if (done + c->unchanged + c->skipped == 0)
			say(&s, "a run would import nothing");
		else {
			say(&s, "a run would ");
			say_list(&s, it, 4);
		}
		if (c->rejected > 0)
			say(&s, "; %s %s errors%s", grouped(c->rejected),
			    plural(c->rejected, "row has", "rows have"),
			    r->all_or_nothing
				? ", so as all or nothing it would import "
				  "nothing"
				: " and would be left out");
		say(&s, ".");
		return;
	}
	if (cancelled && done == 0) {
		say(&s, "Cancelled: nothing was imported.");
		return;
	}
	if (done == 0 && c->rejected > 0 && r->all_or_nothing) {
		say(&s,
		    "Nothing was imported: %s of %s %s %s errors, and the "
		    "import was all or nothing.",
		    grouped(c->rejected), grouped(c->rows),
		    plural(c->rows, "row", "rows"),
		    plural(c->rejected, "has", "have"));
		return;
	}
	if (done == 0) {
		struct phrase it[] = {
			{ "", c->skipped, " matched clients and were skipped" },
			{ "", c->unchanged, " changed nothing" },
			{ "", c->rejected, " had errors" }
		};

		say(&s, "Nothing was imported: of %s %s, ", grouped(c->rows),
		    plural(c->rows, "row", "rows"));
		say_list(&s, it, 3);
		say(&s, ".");
		return;
	}
	{
		struct phrase more[] = { { "", c->unchanged, " unchanged" },
			{ "", c->skipped, " skipped (already there)" },
			{ "", c->rejected, " left out with errors" } };

		if (cancelled)
			say(&s, "Cancelled: ");
		if (c->created > 0)
			say(&s, "%s %s created", grouped(c->created),
			    plural(c->created, "client", "clients"));
		if (c->created > 0 && c->updated > 0)
			say(&s, " and %s updated", grouped(c->updated));
		else if (c->updated > 0)
			say(&s, "%s %s updated", grouped(c->updated),
			    plural(c->updated, "client", "clients"));
		say(&s, " from %ld %s", c->rows,
		    plural(c->rows, "row", "rows"));
		if (c->unchanged + c->skipped + c->rejected > 0) {
			say(&s, "; ");
			say_list(&s, more, 3);
		}
		say(&s, ".");
	}
}

static json_t *
make_result(struct run *r, const char *status)
{
	json_t *j;
	char	text[400];
	long	done = r->c.created + r->c.updated;

	summary(r, status, text, sizeof(text));
	j = counts_json(&r->c);
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "outcome",
	    json_string(done == 0 ? "nothing"
		    : r->c.rejected > 0 || strcmp(status, "cancelled") == 0
		    ? "partial"
		    : "imported"));
	json_object_set_new(j, "mode",
	    json_string(r->all_or_nothing ? "all_or_nothing" : "valid_rows"));
	json_object_set_new(j, "summary", json_string(text));
	return (j);
}

static int
phase_end(struct run *r, json_t *report)
{
	PGresult *res;
	char	 *text;

	text = dump(report);
	res = SIDE(r, sql_end, r->import_id, r->phase, text);
	free(text);
	return (side_exec(r, res));
}

/*
 * The end of a run: the checkpoint that says so and import.completed in
 * one transaction (the rows' own when all or nothing kept them), then the
 * result for the API.
 */
static int
finish_run(struct run *r)
{
	PGresult   *res;
	json_t	   *result;
	char	   *text;
	const char *status;

	if (r->all_or_nothing && (r->c.rejected > 0 || r->cancelled)) {
		if (tx_end(r, "ROLLBACK") != 0)
			return (-1);
		r->c.created = r->c.updated = r->c.unchanged = 0;
	}
	status = r->cancelled ? "cancelled"
	    : r->c.created + r->c.updated == 0 && r->c.rejected > 0
	    ? "failed"
	    : "completed";
	result = make_result(r, status);
	if (tx_begin(r) != 0 || checkpoint(r, 1, result) != 0) {
		json_decref(result);
		return (-1);
	}
	text = dump(json_incref(result));
	res = WORK(r, sql_completed, r->import_id, text);
	free(text);
	if (side_exec(r, res) != 0 || tx_end(r, "COMMIT") != 0) {
		json_decref(result);
		return (-1);
	}
	return (phase_end(r, result));
}

/* ---- the job ----------------------------------------------------------------------------- */

static int
load(struct run *r, json_t *info)
{
	struct api_error err;
	json_t		*u, *decimals, *c;
	size_t		 i;
	const char	*d;

	snprintf(r->file_name, sizeof(r->file_name), "%s",
	    json_string_value(json_object_get(info, "file_name")));
	d = json_string_value(json_object_get(info, "delimiter"));
	r->delim = (char)(d != NULL && d[0] != '\0' ? d[0] : ',');
	r->first_row =
	    (long)json_integer_value(json_object_get(info, "first_row"));
	r->total = (long)json_integer_value(json_object_get(info, "rows"));
	r->columns = json_incref(json_object_get(info, "columns"));
	u = json_object_get(info, "user");
	snprintf(r->user_id, sizeof(r->user_id), "%lld",
	    (long long)json_integer_value(json_object_get(u, "id")));
	snprintf(r->user_public, sizeof(r->user_public), "%s",
	    json_string_value(json_object_get(u, "public_id")));
	snprintf(r->user_email, sizeof(r->user_email), "%s",
	    json_string_value(json_object_get(u, "email")));
	snprintf(r->user_role, sizeof(r->user_role), "%s",
	    json_string_value(json_object_get(u, "role")));
	if (!json_is_true(json_object_get(u, "active")))
		return (-1);
	decimals = json_array();
	json_array_foreach(r->columns, i, c)
	    json_array_append(decimals, json_object_get(c, "decimal"));
	api_error_init(&err, API_ERR_VALIDATION);
	if (import_options_parse(
		json_object_get(info, "options"), &r->opt, &err) != 0 ||
	    import_mapping_parse(json_object_get(info, "mapping"),
		json_array_size(r->columns), decimals, &r->opt, &r->map,
		&err) != 0) {
		api_error_cleanup(&err);
		json_decref(decimals);
		return (-1);
	}
	api_error_cleanup(&err);
	json_decref(decimals);
	r->all_or_nothing = r->opt.mode == IMPORT_ALL_OR_NOTHING;
	return (0);
}

/* A run whose checkpoint says it is over: only the API's result is left. */
static int
resume_finished(struct run *r, json_t *k)
{
	json_t *result = json_object_get(k, "counts");

	if (!json_is_object(result) ||
	    json_object_get(result, "status") == NULL)
		return (0);
	return (phase_end(r, json_incref(result)) == 0 ? 1 : -1);
}

static void
run_cleanup(struct run *r)
{
	if (r->tx_open)
		(void)tx_end(r, "ROLLBACK");
	items_clear(r);
	free(r->items);
	import_group_cleanup(&r->g);
	import_mapping_cleanup(&r->map);
	if (r->issues != NULL)
		json_decref(r->issues);
	if (r->columns != NULL)
		json_decref(r->columns);
	if (r->side != NULL)
		PQfinish(r->side);
}

/* The phase itself, once the import is loaded. */
static void
run_phase(struct run *r, json_t *info)
{
	json_t *k = json_object_get(info, "checkpoint");

	if (json_is_object(k)) {
		if (json_is_true(json_object_get(k, "finished"))) {
			if (resume_finished(r, k) != 0)
				return;
		}
		r->resume_after =
		    (long)json_integer_value(json_object_get(k, "last_row"));
		r->rows_done =
		    (long)json_integer_value(json_object_get(k, "rows_done"));
		counts_read(&r->c, json_object_get(k, "counts"));
	}
	r->cancelled = json_is_true(json_object_get(info, "cancel_requested"));
	if (!r->cancelled && read_file(r) != 0)
		return;
	if (*r->ctx->stopping && !r->cancelled) {
		r->status = JOB_IMPORT_RELEASE;
		return;
	}
	if (r->dry) {
		if (r->cancelled) {
			(void)phase_end(r,
			    json_pack("{s:s, s:s}", "status", "cancelled",
				"summary", "The dry run was cancelled."));
			return;
		}
		{
			json_t *report = counts_json(&r->c);
			char	text[400];

			summary(r, "checked", text, sizeof(text));
			json_object_set_new(
			    report, "status", json_string("checked"));
			json_object_set_new(report, "mode",
			    json_string(r->all_or_nothing ? "all_or_nothing"
							  : "valid_rows"));
			json_object_set_new(
			    report, "summary", json_string(text));
			(void)phase_end(r, report);
		}
		return;
	}
	(void)finish_run(r);
}

int
job_import_run(struct job_import_ctx *ctx, char *err, size_t errlen)
{
	struct run r;
	PGresult  *res;
	json_t	  *payload, *info = NULL;
	char	   worker[160];

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.err = err;
	r.errlen = errlen;
	r.status = JOB_IMPORT_DONE;
	r.issues = json_array();
	r.items = mem_calloc(BATCH_ROWS, sizeof(*r.items));
	import_options_default(&r.opt);
	import_group_init(&r.g, &r.map, &r.opt);
	err[0] = '\0';

	payload = json_loads(ctx->payload, 0, NULL);
	snprintf(r.import_id, sizeof(r.import_id), "%lld",
	    (long long)json_integer_value(json_object_get(payload, "import")));
	snprintf(r.phase, sizeof(r.phase), "%s",
	    json_string_value(json_object_get(payload, "phase")) != NULL
		? json_string_value(json_object_get(payload, "phase"))
		: "dry_run");
	json_decref(payload);
	r.dry = strcmp(r.phase, "dry_run") == 0;
	snprintf(r.company, sizeof(r.company), "%s",
	    ctx->company_id != NULL ? ctx->company_id : "");

	if ((r.side = pq_connect(ctx->url, err, errlen)) == NULL) {
		r.status = JOB_IMPORT_RETRY;
		goto out;
	}
	snprintf(worker, sizeof(worker), "%s", ctx->worker_id);
	if (side_exec(&r, SIDE(&r, sql_side_tenant, r.company)) != 0 ||
	    (res = SIDE(&r, sql_begin, r.import_id, r.phase, worker)) == NULL)
		goto out;
	if (!PQgetisnull(res, 0, 0))
		info = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (info == NULL)
		goto out; /* deleted meanwhile: nothing to do */
	if (load(&r, info) != 0) {
		(void)phase_end(&r,
		    json_pack("{s:s, s:s, s:s}", "status", "failed", "outcome",
			"nothing", "summary",
			"Nothing was imported: the user who started it is no "
			"longer active, or its mapping no longer fits its file."));
		goto out;
	}
	import_group_reset(&r.g);
	run_phase(&r, info);
	if (r.status == JOB_IMPORT_RETRY && ctx->last_attempt && !r.dry) {
		/* No more tries: say so rather than leave it running. */
		(void)tx_end(&r, "ROLLBACK");
		r.status = JOB_IMPORT_DONE;
		r.stop = 0;
		(void)phase_end(&r,
		    json_pack("{s:s, s:s, s:s}", "status", "failed", "outcome",
			"nothing", "summary",
			"The import stopped: the worker could not finish it."));
	}
out:
	if (info != NULL)
		json_decref(info);
	run_cleanup(&r);
	return (r.status);
}
