/*
 * CSV imports of clients (issue 16): the upload, the mapping and duplicate
 * rule, the dry run and the run (jobs of clientd-worker), their progress
 * (also pushed as server-sent events), per-row errors and the rejected
 * rows as CSV, and saved mapping templates.
 *
 * The upload is multipart/form-data of up to 100 MiB, which Kore keeps on
 * disk: it is read twice in pieces (http_body_read), never whole. The
 * first pass finds the text encoding (and refuses a workbook); the second
 * converts the file to UTF-8 and reads it with the CSV reader the worker
 * uses (core/csv_read.c: caps, and errors with row and column), counting
 * its rows, keeping its first rows and a few values of each column, and
 * storing it in PostgreSQL in pieces of about 1 MiB, so that any worker
 * on any machine can run it. Then it answers the columns, the first rows
 * and the suggested mapping (core/import.c, or a saved template for the
 * same header).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/core.h"
#include "core/csv.h"
#include "core/csv_read.h"
#include "core/encoding.h"
#include "core/import.h"
#include "core/mem.h"
#include "core/multipart.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/stream.h"

#define UPLOAD_READ   ((size_t)64 * 1024)
#define UPLOAD_CHUNK  ((size_t)1024 * 1024) /* stored pieces */
#define UPLOAD_SAMPLE ((size_t)64 * 1024)   /* sniffed for delimiter, header */
#define UPLOAD_OVERHEAD \
	((size_t)64 * 1024) /* multipart headers, other fields */
#define PREVIEW_ROWS  10
#define SAMPLES	      5
#define SAMPLE_CHARS  100
#define REJECTED_PAGE 2000 /* rejected rows per query */

/* clang-format off */
#define IMPORT_RESULT(expr) \
	"SELECT j AS item, j ->> 'id' AS id, j ->> 'version' AS version " \
	"FROM " expr " AS t(j)"

static const char sql_create[] =
    "SELECT import_create($1, $2::bigint) AS id";
static const char sql_chunk[] =
    "SELECT import_chunk_add($1, $2::int, $3)";
static const char sql_finish[] =
    IMPORT_RESULT("import_upload_finish($1, $2::jsonb)");
static const char sql_discard[] = "SELECT import_upload_discard($1)";
static const char sql_get[] = IMPORT_RESULT("import_get($1)");
static const char sql_configure[] =
    IMPORT_RESULT("import_configure($1, $2::jsonb, $3::jsonb, $4::int)");
static const char sql_queue[] = IMPORT_RESULT("import_queue($1, $2)");
static const char sql_cancel[] = IMPORT_RESULT("import_cancel($1)");
static const char sql_delete[] = "SELECT import_delete($1)";
static const char sql_list[] =
    "SELECT import_json(i) AS item FROM imports i "
    "WHERE i.company_id = app_company_id() AND i.status <> 'uploading' "
    "ORDER BY i.created_at DESC, i.public_id DESC "
    "LIMIT $1::int OFFSET $2::int";
static const char sql_list_total[] =
    "SELECT count(*) AS total FROM imports i "
    "WHERE i.company_id = app_company_id() AND i.status <> 'uploading'";
static const char sql_rejected[] =
    "SELECT s.row, s.cells::text AS cells, s.errors::text AS errors "
    "FROM import_issues s WHERE s.import_id = (import_find($1, false)).id "
    "AND s.company_id = app_company_id() AND s.phase = $2 "
    "AND s.kind = 'error' AND s.row > $3::int ORDER BY s.row LIMIT $4::int";
static const char sql_fields[] = "SELECT 1";
static const char sql_templates[] =
    "SELECT import_template_json(t) AS item FROM import_templates t "
    "WHERE t.company_id = app_company_id() "
    "ORDER BY lower(t.name), t.public_id";
static const char sql_template_save[] =
    "SELECT import_template_save($1, $2, $3::jsonb, $4::jsonb, $5::jsonb) "
    "AS item";
static const char sql_template_delete[] = "SELECT import_template_delete($1)";
/* clang-format on */

/* JSON text of j (reference stolen); the caller frees it. */
static char *
dump_json(json_t *j)
{
	char *s;

	if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
		core_fatal("api_imports: json_dumps failed");
	json_decref(j);
	return (s);
}

/* ---- the upload ------------------------------------------------------------- */

struct column_stats {
	json_t			   *samples;
	long			    filled;
	struct import_decimal_stats dec;
};

struct upload {
	struct request	      *req;
	struct api_error      *err;
	char		       id[PUBLIC_ID_LEN + 1];
	int		       pass; /* 1: detect, 2: convert and read */
	int		       in_file;
	int		       files;
	char		       file_name[256];
	uint64_t	       size;
	struct encoding_detect detect;
	struct cbuf	       sample;
	unsigned char	       magic[8];
	size_t		       nmagic;
	enum encoding_kind     kind;
	struct encoding_conv   conv;
	struct cbuf	       text; /* converted, not yet stored */
	int		       seq;  /* pieces stored */
	struct csv_read	       csv;
	struct csv_sniff       sniff;
	json_t		      *header;
	json_t		      *preview;
	struct column_stats   *cols;
	size_t		       ncols;
	long		       rows;
	int		       failed;
};

/*
 * Marks the upload failed. msg is the error's message unless field errors
 * were added already (a 422 names its first one).
 */
static int
up_fail(struct upload *u, enum api_error_kind kind, const char *msg)
{
	if (!u->failed && u->err->errors == NULL)
		api_error_setf(u->err, kind, "%s", msg);
	u->failed = 1;
	return (1);
}

static int
part_begin(const struct multipart_part *p, void *arg)
{
	struct upload *u = arg;
	size_t	       len;

	u->in_file = 0;
	if (strcmp(p->name, "file") != 0) {
		api_error_add_field(u->err, p->name, "unknown_field",
		    "unknown field \"%s\"", p->name);
		return (up_fail(u, API_ERR_VALIDATION, "unknown field"));
	}
	if (u->files++ > 0) {
		api_error_add_field(u->err, "file", "invalid_value",
		    "send one file per import");
		return (up_fail(u, API_ERR_VALIDATION, "more than one file"));
	}
	u->in_file = 1;
	len = strlen(p->filename);
	if (len == 0 || !utf8_valid(p->filename, len) ||
	    validate_has_control(p->filename, 0)) {
		snprintf(u->file_name, sizeof(u->file_name), "upload.csv");
	} else {
		/* At most 255 bytes, cut at a character. */
		len = encoding_utf8_cut(p->filename, len < 255 ? len : 255);
		memcpy(u->file_name, p->filename, len);
		u->file_name[len] = '\0';
	}
	return (0);
}

static int
part_end(void *arg)
{
	((struct upload *)arg)->in_file = 0;
	return (0);
}

/* Stores the converted text but a tail cut at a character (last: all). */
static int
store_text(struct upload *u, int last)
{
	struct db db;
	char	  seq[16], *piece;
	size_t	  cut;
	int	  rc;

	if (u->text.len < UPLOAD_CHUNK && !last)
		return (0);
	cut = last ? u->text.len : encoding_utf8_cut(u->text.data, u->text.len);
	if (cut == 0)
		return (0);
	snprintf(seq, sizeof(seq), "%d", u->seq);
	piece = mem_strndup(u->text.data, cut);
	pipeline_init_lookup(u->req, &db);
	DB_ADD(&db, sql_chunk, u->id, seq, piece);
	rc = pipeline_exec(u->req, &db);
	if (rc != DB_OK) {
		db_error(&db, u->err);
		u->failed = 1;
	} else {
		u->seq++;
		memmove(u->text.data, u->text.data + cut, u->text.len - cut);
		u->text.len -= cut;
		u->text.data[u->text.len] = '\0';
	}
	db_cleanup(&db);
	free(piece);
	return (rc == DB_OK ? 0 : -1);
}

/* The CSV reader's error as a 422 that says what and where. */
static void
upload_csv_error(struct upload *u, const struct csv_read_error *e, int status)
{
	(void)status;
	api_error_add_field(u->err, "file", "invalid_format", "%s", e->message);
	if (e->column > 0)
		api_error_detail(u->err, "Row %lu (line %lu), column %lu.",
		    e->row, e->line, e->column);
	else
		api_error_detail(
		    u->err, "Row %lu (line %lu).", e->row, e->line);
	if (e->hint[0] != '\0')
		api_error_hint(u->err, "%s", e->hint);
	u->failed = 1;
}

static int
file_data(const char *s, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t	       from, k;
	int	       rc;

	if (!u->in_file)
		return (0);
	if (u->pass == 1) {
		for (k = 0; k < n && u->nmagic < sizeof(u->magic); k++)
			u->magic[u->nmagic++] = (unsigned char)s[k];
		if (u->sample.len < UPLOAD_SAMPLE)
			cbuf_append(&u->sample, s,
			    n < UPLOAD_SAMPLE - u->sample.len
				? n
				: UPLOAD_SAMPLE - u->sample.len);
		encoding_detect_feed(&u->detect, s, n);
		u->size += n;
		if (u->size > (uint64_t)IMPORT_FILE_MAX) {
			api_error_detail(
			    u->err, "Files may have at most 100 MiB.");
			return (
			    up_fail(u, API_ERR_TOO_LARGE, "file is too large"));
		}
		return (0);
	}
	from = u->text.len;
	if (encoding_conv_feed(&u->conv, s, n, &u->text) != 0) {
		(void)csv_read_feed(
		    &u->csv, u->text.data + from, u->text.len - from);
		api_error_setf(u->err, API_ERR_VALIDATION,
		    "the file is not valid %s", encoding_name(u->kind));
		api_error_detail(u->err,
		    "Line %lu holds bytes that are not %s text.", u->csv.line,
		    encoding_name(u->kind));
		api_error_hint(u->err,
		    "Save the sheet again as CSV UTF-8, or remove the byte "
		    "order mark that says it is %s.",
		    encoding_name(u->kind));
		api_error_add_field(u->err, "file", "invalid_format",
		    "line %lu is not %s", u->csv.line, encoding_name(u->kind));
		u->failed = 1;
		return (1);
	}
	rc = csv_read_feed(&u->csv, u->text.data + from, u->text.len - from);
	if (u->failed)
		return (1);
	if (rc != 0) {
		upload_csv_error(u, &u->csv.err, rc);
		return (1);
	}
	return (store_text(u, 0) != 0);
}

/* ---- the second pass: records ---------------------------------------------------- */

static json_t *
clipped(const char *s, size_t len)
{
	size_t n =
	    len < (size_t)SAMPLE_CHARS * 4 ? len : (size_t)SAMPLE_CHARS * 4;

	n = encoding_utf8_cut(s, n);
	return (json_stringn_nocheck(s, n));
}

static void
column_grow(struct upload *u, size_t n)
{
	size_t i;

	if (n <= u->ncols)
		return;
	u->cols = mem_realloc(u->cols, n * sizeof(*u->cols));
	for (i = u->ncols; i < n; i++) {
		memset(&u->cols[i], 0, sizeof(u->cols[i]));
		u->cols[i].samples = json_array();
	}
	u->ncols = n;
}

static int
on_record(const struct csv_read_record *rec, void *arg)
{
	struct upload *u = arg;
	json_t	      *row, *v;
	size_t	       i, k;
	int	       seen;

	if (rec->row == u->sniff.header_row) {
		u->header = json_array();
		for (i = 0; i < rec->n; i++)
			json_array_append_new(u->header,
			    json_stringn_nocheck(
				rec->fields[i].s, rec->fields[i].len));
		column_grow(u, rec->n);
		return (0);
	}
	if ((long)rec->row < (long)u->sniff.first_row)
		return (0); /* a title line */
	if (++u->rows > IMPORT_ROWS_MAX) {
		api_error_add_field(u->err, "file", "too_long",
		    "the file has more than %d rows", IMPORT_ROWS_MAX);
		return (up_fail(u, API_ERR_VALIDATION, "the file is too long"));
	}
	column_grow(u, rec->n);
	if (json_array_size(u->preview) < PREVIEW_ROWS) {
		row = json_array();
		for (i = 0; i < rec->n; i++)
			json_array_append_new(
			    row, clipped(rec->fields[i].s, rec->fields[i].len));
		json_array_append_new(u->preview, row);
	}
	for (i = 0; i < rec->n; i++) {
		if (rec->fields[i].len == 0)
			continue;
		u->cols[i].filled++;
		import_decimal_sniff(&u->cols[i].dec, rec->fields[i].s);
		if (json_array_size(u->cols[i].samples) >= SAMPLES)
			continue;
		v = clipped(rec->fields[i].s, rec->fields[i].len);
		for (seen = 0, k = 0; k < json_array_size(u->cols[i].samples);
		     k++)
			seen |= json_equal(
			    json_array_get(u->cols[i].samples, k), v);
		if (seen)
			json_decref(v);
		else
			json_array_append_new(u->cols[i].samples, v);
	}
	return (0);
}

/* ---- the upload, end to end ------------------------------------------------------ */

static const struct multipart_cb upload_cb = { part_begin, file_data,
	part_end };

/* Reads the whole body once through the multipart reader. */
static int
read_body(struct upload *u, const char *boundary)
{
	struct multipart mp;
	char		 buf[UPLOAD_READ];
	ssize_t		 n;
	int		 rc = 0;

	if (http_body_rewind(u->req->http) != KORE_RESULT_OK)
		return (up_fail(
		    u, API_ERR_BAD_REQUEST, "could not read the request body"));
	u->files = 0;
	multipart_init(&mp, boundary, &upload_cb, u);
	while (
	    rc == 0 && (n = http_body_read(u->req->http, buf, sizeof(buf))) > 0)
		rc = multipart_feed(&mp, buf, (size_t)n);
	if (rc == 0 && n < 0)
		return (up_fail(
		    u, API_ERR_BAD_REQUEST, "could not read the request body"));
	if (rc == 0)
		rc = multipart_finish(&mp);
	if (u->failed)
		return (-1);
	if (rc != 0) {
		api_error_setf(u->err, API_ERR_BAD_REQUEST,
		    "request body is not valid multipart/form-data");
		api_error_detail(u->err, "%s.", mp.error);
		u->failed = 1;
		return (-1);
	}
	return (0);
}

/* What the first bytes say a file is when it is no text at all. */
static const char *
binary_kind(const struct upload *u)
{
	if (u->nmagic >= 4 && memcmp(u->magic, "PK\x03\x04", 4) == 0)
		return ("a workbook (.xlsx or .ods) or another ZIP archive");
	if (u->nmagic >= 4 && memcmp(u->magic, "\xd0\xcf\x11\xe0", 4) == 0)
		return ("an Excel 97-2003 workbook (.xls)");
	if (u->nmagic >= 4 && memcmp(u->magic, "%PDF", 4) == 0)
		return ("a PDF document");
	return (NULL);
}

/* Delimiter and header row from the file's first bytes, converted. */
static void
sniff(struct upload *u)
{
	struct encoding_conv c;
	struct cbuf	     text;

	cbuf_init(&text, u->sample.len * 2 + 16);
	encoding_conv_init(&c, u->kind);
	(void)encoding_conv_feed(&c, u->sample.data, u->sample.len, &text);
	csv_read_sniff(
	    text.data, text.len, u->size <= u->sample.len, &u->sniff);
	cbuf_cleanup(&text);
}

/* What the upload found, for import_upload_finish(). */
static json_t *
upload_meta(struct upload *u)
{
	struct import_options defaults;
	char(*sugg)[IMPORT_FIELD_NAME_MAX];
	const char **names;
	json_t	    *cols, *suggested, *h;
	char	     key[65], delim[2] = { u->sniff.delim, '\0' }, dec[2];
	char	     fallback[32];
	size_t	     i;

	names = mem_calloc(u->ncols + 1, sizeof(*names));
	for (i = 0; i < u->ncols; i++) {
		h = json_array_get(u->header, i);
		names[i] = json_is_string(h) ? json_string_value(h) : "";
	}
	sugg = mem_calloc(u->ncols + 1, sizeof(*sugg));
	import_suggest(names, u->ncols, sugg);
	import_header_key(names, u->ncols, key);
	cols = json_array();
	suggested = json_array();
	for (i = 0; i < u->ncols; i++) {
		snprintf(fallback, sizeof(fallback), "Column %zu", i + 1);
		dec[0] = import_decimal_guess(&u->cols[i].dec);
		dec[1] = '\0';
		json_array_append_new(cols,
		    json_pack("{s:I, s:s, s:O, s:I, s:o, s:o}", "index",
			(json_int_t)i + 1, "name",
			names[i][0] != '\0' ? names[i] : fallback, "samples",
			u->cols[i].samples, "filled",
			(json_int_t)u->cols[i].filled, "decimal",
			dec[0] ? json_string(dec) : json_null(), "suggested",
			sugg[i][0] ? json_string(sugg[i]) : json_null()));
		json_array_append_new(
		    suggested, sugg[i][0] ? json_string(sugg[i]) : json_null());
	}
	free(names);
	free(sugg);
	import_options_default(&defaults);
	return (json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:O, s:s, s:o, s:o}",
	    "encoding", encoding_name(u->kind), "delimiter", delim,
	    "header_row", (json_int_t)u->sniff.header_row, "first_row",
	    (json_int_t)u->sniff.first_row, "rows", (json_int_t)u->rows,
	    "columns", cols, "preview", u->preview, "header_key", key,
	    "suggested", suggested, "options", import_options_json(&defaults)));
}

static void
upload_cleanup(struct upload *u)
{
	size_t i;

	cbuf_cleanup(&u->sample);
	cbuf_cleanup(&u->text);
	if (u->pass == 2)
		csv_read_cleanup(&u->csv);
	for (i = 0; i < u->ncols; i++)
		json_decref(u->cols[i].samples);
	free(u->cols);
	if (u->header != NULL)
		json_decref(u->header);
	if (u->preview != NULL)
		json_decref(u->preview);
}

/* An upload that failed after its row was made goes again. */
static void
discard(struct upload *u)
{
	struct db db;

	if (u->id[0] == '\0')
		return;
	pipeline_init_lookup(u->req, &db);
	DB_ADD(&db, sql_discard, u->id);
	(void)pipeline_exec(u->req, &db);
	db_cleanup(&db);
}

/* The checks before a byte of the body is read; 0 when it may go on. */
static int
upload_admit(struct request *req, struct upload *u, char *boundary, size_t len)
{
	if (multipart_boundary(
		request_header(req, "content-type"), boundary, len) != 0) {
		api_error_setf(u->err, API_ERR_MEDIA_TYPE,
		    "content type \"%s\" is not supported",
		    request_header(req, "content-type") != NULL
			? request_header(req, "content-type")
			: "(none)");
		api_error_hint(u->err,
		    "Send the file as multipart/form-data, in a field named "
		    "\"file\".");
		return (-1);
	}
	if (req->http->http_body_length >
	    (size_t)IMPORT_FILE_MAX + UPLOAD_OVERHEAD) {
		api_error_setf(u->err, API_ERR_TOO_LARGE, "file is too large");
		api_error_detail(u->err,
		    "The upload has %zu bytes; files may have at most "
		    "100 MiB.",
		    req->http->http_body_length);
		return (-1);
	}
	return (0);
}

/* After the first pass: a file, not empty, no workbook. */
static int
upload_check_file(struct upload *u)
{
	const char *kind;

	if (u->files == 0) {
		api_error_add_field(u->err, "file", "required",
		    "field \"file\" is required: the CSV file, as "
		    "multipart/form-data");
		return (up_fail(u, API_ERR_VALIDATION, "no file"));
	}
	if (u->size == 0) {
		api_error_add_field(
		    u->err, "file", "empty", "the file is empty");
		return (up_fail(u, API_ERR_VALIDATION, "the file is empty"));
	}
	if ((kind = binary_kind(u)) != NULL) {
		api_error_add_field(u->err, "file", "invalid_format",
		    "the file is %s, not CSV", kind);
		api_error_hint(u->err,
		    "Save the sheet from your spreadsheet as \"CSV UTF-8\".");
		return (up_fail(u, API_ERR_VALIDATION, "the file is not CSV"));
	}
	return (0);
}

/* The second pass: converted, read, stored. */
static int
upload_store(struct upload *u, const char *boundary)
{
	int rc;

	u->pass = 2;
	encoding_conv_init(&u->conv, u->kind);
	csv_read_init(&u->csv, u->sniff.delim, on_record, u);
	if (read_body(u, boundary) != 0)
		return (-1);
	if (encoding_conv_finish(&u->conv) != 0) {
		api_error_add_field(u->err, "file", "invalid_format",
		    "the file ends in the middle of a %s character",
		    encoding_name(u->kind));
		return (up_fail(u, API_ERR_VALIDATION, "the file is cut"));
	}
	if ((rc = csv_read_finish(&u->csv)) != 0) {
		if (!u->failed)
			upload_csv_error(u, &u->csv.err, rc);
		return (-1);
	}
	if (u->rows == 0) {
		api_error_add_field(
		    u->err, "file", "empty", "the file has no data rows");
		api_error_hint(u->err,
		    "The first row was taken for the header; a file needs at "
		    "least one row of clients below it.");
		return (up_fail(u, API_ERR_VALIDATION, "no rows"));
	}
	return (store_text(u, 1));
}

void
api_imports_create(struct request *req)
{
	struct api_error err;
	struct upload	 u;
	struct db	 db;
	char		 boundary[MULTIPART_BOUNDARY_MAX + 1], size[24];
	char		*meta = NULL, location[96];
	int		 q;

	api_error_init(&err, API_ERR_VALIDATION);
	memset(&u, 0, sizeof(u));
	db_init(&db);
	u.req = req;
	u.err = &err;
	u.pass = 1;
	cbuf_init(&u.sample, UPLOAD_SAMPLE + 1);
	cbuf_init(&u.text, UPLOAD_CHUNK + UPLOAD_READ * 4);
	u.preview = json_array();
	encoding_detect_init(&u.detect);
	if (upload_admit(req, &u, boundary, sizeof(boundary)) != 0 ||
	    read_body(&u, boundary) != 0 || upload_check_file(&u) != 0) {
		reply_error(req, &err);
		goto out;
	}
	u.kind = encoding_detect_result(&u.detect);
	sniff(&u);

	snprintf(size, sizeof(size), "%llu", (unsigned long long)u.size);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_create, u.file_name, size);
	if (pipeline_run(req, &db) != 0)
		goto out;
	snprintf(u.id, sizeof(u.id), "%s", db_get(&db, q, 0, "id"));
	db_cleanup(&db);

	if (upload_store(&u, boundary) != 0) {
		discard(&u);
		reply_error(req, &err);
		goto out;
	}
	meta = dump_json(upload_meta(&u));
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_finish, u.id, meta);
	if (pipeline_run(req, &db) != 0) {
		discard(&u);
		goto out;
	}
	snprintf(location, sizeof(location), "/api/v1/imports/%s", u.id);
	reply_header(req, "location", location);
	reply_sql_json(req, 201, db_get(&db, q, 0, "item"));
out:
	free(meta);
	db_cleanup(&db);
	upload_cleanup(&u);
	api_error_cleanup(&err);
}

/* ---- one import -------------------------------------------------------------------- */

static void
reply_import(struct request *req, struct db *db, int q, int status)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%s\"", db_get(db, q, 0, "version"));
	reply_header(req, "etag", etag);
	reply_sql_json(req, status, db_get(db, q, 0, "item"));
}

void
api_imports_list(struct request *req)
{
	struct page page;
	struct db   db;
	int	    qi, qt;

	if (list_page(req, &page) != 0)
		return;
	pipeline_init(req, &db);
	qi = DB_ADD(&db, sql_list, page.limit, page.offset);
	qt = DB_ADD0(&db, sql_list_total);
	if (pipeline_run(req, &db) == 0)
		list_reply(req, &db, qi, qt, &page, db_rows(&db, qi), NULL);
	db_cleanup(&db);
}

void
api_imports_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_import(req, &db, q, 200);
	db_cleanup(&db);
}

static const struct field_spec update_fields[] = {
	{ "mapping", FIELD_ARRAY, 0, CSV_READ_COLUMNS_MAX, NULL, 0, 0 },
	{ "options", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
};

/*
 * Checks a mapping and options against the import's columns (either may
 * be left out: the stored one is checked with the new other). Answers
 * 422 itself and returns -1 when they do not fit.
 */
static int
check_mapping(struct request *req, json_t *mapping, json_t *options)
{
	struct import_options o;
	struct import_mapping m;
	struct api_error      err;
	struct db	      db;
	json_t		     *cols, *decimals, *c, *stored_m, *stored_o;
	size_t		      i;
	int		      q, rc = -1;

	pipeline_init_lookup(req, &db);
	q = DB_ADD(&db,
	    "SELECT jsonb_array_length(columns) AS n, columns::text AS columns, "
	    "    mapping::text AS mapping, options::text AS options "
	    "FROM import_find($1, false)",
	    request_param(req, 0));
	if (pipeline_run(req, &db) != 0) {
		db_cleanup(&db);
		return (-1);
	}
	cols = json_loads(db_get(&db, q, 0, "columns"), 0, NULL);
	stored_m = db_isnull(&db, q, 0, "mapping")
	    ? NULL
	    : json_loads(db_get(&db, q, 0, "mapping"), 0, NULL);
	stored_o = db_isnull(&db, q, 0, "options")
	    ? NULL
	    : json_loads(db_get(&db, q, 0, "options"), 0, NULL);
	db_cleanup(&db);
	decimals = json_array();
	json_array_foreach(cols, i, c)
	    json_array_append(decimals, json_object_get(c, "decimal"));
	api_error_init(&err, API_ERR_VALIDATION);
	if (import_options_parse(
		options != NULL ? options : stored_o, &o, &err) == 0) {
		if (mapping == NULL)
			mapping = stored_m;
		if (mapping == NULL ||
		    import_mapping_parse(mapping, json_array_size(cols),
			decimals, &o, &m, &err) == 0) {
			if (mapping != NULL)
				import_mapping_cleanup(&m);
			rc = 0;
		}
	}
	if (rc != 0)
		reply_error(req, &err);
	api_error_cleanup(&err);
	json_decref(cols);
	json_decref(decimals);
	if (stored_m != NULL)
		json_decref(stored_m);
	if (stored_o != NULL)
		json_decref(stored_o);
	return (rc);
}

void
api_imports_update(struct request *req)
{
	struct import_options o;
	struct api_error      err;
	struct db	      db;
	json_t		     *mapping, *options;
	char		     *m = NULL, *op = NULL, ver[24];
	int		      q;

	if (reply_invalid_body(
		req, update_fields, CORE_ARRAY_LEN(update_fields)) != 0)
		return;
	mapping = json_object_get(req->body, "mapping");
	options = json_object_get(req->body, "options");
	if (mapping == NULL && options == NULL) {
		api_error_init(&err, API_ERR_VALIDATION);
		api_error_add_field(&err, "body", "empty",
		    "request body must change at least one field");
		reply_error(req, &err);
		api_error_cleanup(&err);
		return;
	}
	if (check_mapping(req, mapping, options) != 0)
		return;
	if (mapping != NULL)
		m = json_dumps(mapping, JSON_COMPACT);
	if (options != NULL) {
		/* Stored complete: every option with its value. */
		api_error_init(&err, API_ERR_VALIDATION);
		(void)import_options_parse(options, &o, &err);
		api_error_cleanup(&err);
		op = dump_json(import_options_json(&o));
	}
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_configure, request_param(req, 0), m, op,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_import(req, &db, q, 200);
	db_cleanup(&db);
	free(m);
	free(op);
}

static void
queue(struct request *req, const char *phase)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_queue, request_param(req, 0), phase);
	if (pipeline_run(req, &db) == 0)
		reply_import(req, &db, q, 202);
	db_cleanup(&db);
}

void
api_imports_dry_run(struct request *req)
{
	queue(req, "dry_run");
}

void
api_imports_run(struct request *req)
{
	queue(req, "run");
}

void
api_imports_cancel(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_cancel, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_import(req, &db, q, 202);
	db_cleanup(&db);
}

void
api_imports_delete(struct request *req)
{
	struct db db;

	pipeline_init(req, &db);
	DB_ADD(&db, sql_delete, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}

/* ---- per-row problems ----------------------------------------------------------- */

static const char *const phases[] = { "dry_run", "run", NULL };
static const char *const kinds[] = { "error", "duplicate", NULL };

/*
 * The phase a request asks about: its "phase" parameter, else the run's
 * once the import has run or is running, else the dry run's. SQL decides
 * the default (the import's status); "" means "let it".
 */
static int
read_phase(struct request *req, const char **phase)
{
	const char *p = qs_get(&req->qs, "phase");

	*phase = NULL;
	if (p == NULL)
		return (0);
	if (!validate_one_of(p, phases)) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"phase\" must be dry_run or run, not "
		    "\"%s\"",
		    p);
		return (-1);
	}
	*phase = p;
	return (0);
}

/* The phase SQL takes when none is given. */
#define DEFAULT_PHASE \
	"COALESCE(:phase, (SELECT CASE WHEN i.status IN ('queued', " \
	"'running', 'completed', 'failed', 'cancelled') THEN 'run' ELSE " \
	"'dry_run' END FROM import_find(:id, false) i))"

void
api_imports_errors(struct request *req)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	const char *phase, *kind;
	int	    qi, qt;

	if (list_page(req, &page) != 0 || read_phase(req, &phase) != 0)
		return;
	kind = qs_get(&req->qs, "kind");
	if (kind != NULL && !validate_one_of(kind, kinds)) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"kind\" must be error or duplicate, not "
		    "\"%s\"",
		    kind);
		return;
	}
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items,
	    "SELECT json_build_object('row', s.row, 'line', s.line, 'kind', "
	    "s.kind, 'errors', s.errors) AS item FROM import_issues s "
	    "WHERE s.import_id = (import_find(:id, false)).id "
	    "AND s.company_id = app_company_id() AND s.phase = " DEFAULT_PHASE
	    " ");
	stmt_append(&total,
	    "SELECT count(*) AS total FROM import_issues s "
	    "WHERE s.import_id = (import_find(:id, false)).id "
	    "AND s.company_id = app_company_id() AND s.phase = " DEFAULT_PHASE
	    " ");
	if (kind != NULL) {
		stmt_append(&items, "AND s.kind = :kind ");
		stmt_append(&total, "AND s.kind = :kind ");
		stmt_bind(&items, "kind", kind);
		stmt_bind(&total, "kind", kind);
	}
	stmt_append(
	    &items, "ORDER BY s.row LIMIT :limit::int OFFSET :offset::int");
	stmt_bind(&items, "limit", page.limit);
	stmt_bind(&items, "offset", page.offset);
	stmt_bind(&items, "id", request_param(req, 0));
	stmt_bind(&total, "id", request_param(req, 0));
	stmt_bind(&items, "phase", phase);
	stmt_bind(&total, "phase", phase);
	pipeline_init(req, &db);
	/* The import must be there (an empty list would not say so). */
	DB_ADD(
	    &db, "SELECT 1 FROM import_find($1, false)", request_param(req, 0));
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply(req, &db, qi, qt, &page, db_rows(&db, qi), NULL);
	db_cleanup(&db);
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

/* ---- streams: the rejected rows, progress -------------------------------------------- */

/*
 * What a stream's later queries authenticate with: the request's
 * credentials and route (the request itself is gone by then). Each query
 * is a pipeline of its own, behind auth_begin(), as any request's.
 */
struct stream_auth {
	struct request req;
	char	       id[PUBLIC_ID_LEN + 1];
};

static void
stream_auth_init(struct stream_auth *a, struct request *req)
{
	memset(a, 0, sizeof(*a));
	a->req.route = req->route;
	a->req.method = ROUTE_GET;
	a->req.cred = req->cred;
	memcpy(a->req.cred_hash, req->cred_hash, sizeof(a->req.cred_hash));
	snprintf(a->id, sizeof(a->id), "%s", request_param(req, 0));
}

struct rejected {
	struct stream_auth a;
	char		   phase[16];
	json_t		  *columns;
	long		   after; /* the last row sent */
	int		   header_done;
};

static void
rejected_free(void *arg)
{
	struct rejected *r = arg;

	if (r->columns != NULL)
		json_decref(r->columns);
	free(r);
}

/* "column 3 (Email): field ... is not a valid email address". */
static void
error_text(struct cbuf *b, json_t *errors)
{
	json_t *e;
	size_t	i;

	json_array_foreach(errors, i, e)
	{
		if (i > 0)
			cbuf_append(b, "; ", 2);
		if (json_is_integer(json_object_get(e, "column")))
			cbuf_appendf(b, "column %lld (%s): ",
			    (long long)json_integer_value(
				json_object_get(e, "column")),
			    json_is_string(json_object_get(e, "column_name"))
				? json_string_value(
				      json_object_get(e, "column_name"))
				: "");
		cbuf_appendstr(b,
		    json_string_value(json_object_get(e, "message")) != NULL
			? json_string_value(json_object_get(e, "message"))
			: "");
	}
}

static int
rejected_next(void *arg, struct cbuf *out, unsigned int *wait)
{
	struct rejected *r = arg;
	struct db	 db;
	struct cbuf	 err;
	json_t		*cells, *errors, *c;
	char		 after[24], limit[24];
	size_t		 i, k, n;
	int		 q, rows, rc = STREAM_MORE;

	(void)wait;
	n = json_array_size(r->columns);
	if (!r->header_done) {
		json_array_foreach(r->columns, i, c) csv_append_cell(out,
		    json_string_value(json_object_get(c, "name")),
		    CSV_TEXT | (i == 0 ? CSV_FIRST : 0));
		csv_append_cell(out, "error", n == 0 ? CSV_FIRST : 0);
		csv_end_row(out);
		r->header_done = 1;
	}
	snprintf(after, sizeof(after), "%ld", r->after);
	snprintf(limit, sizeof(limit), "%d", REJECTED_PAGE);
	pipeline_init_lookup(&r->a.req, &db);
	q = DB_ADD(&db, sql_rejected, r->a.id, r->phase, after, limit);
	if (pipeline_exec(&r->a.req, &db) != DB_OK) {
		db_cleanup(&db);
		return (STREAM_ABORT);
	}
	rows = db_rows(&db, q);
	cbuf_init(&err, 256);
	for (k = 0; k < (size_t)rows; k++) {
		cells = json_loads(db_get(&db, q, (int)k, "cells"), 0, NULL);
		errors = json_loads(db_get(&db, q, (int)k, "errors"), 0, NULL);
		for (i = 0; i < n; i++) {
			c = json_array_get(cells, i);
			csv_append_cell(out,
			    json_is_string(c) ? json_string_value(c) : "",
			    CSV_TEXT | (i == 0 ? CSV_FIRST : 0));
		}
		cbuf_reset(&err);
		error_text(&err, errors);
		csv_append_cell(
		    out, err.data, CSV_TEXT | (n == 0 ? CSV_FIRST : 0));
		csv_end_row(out);
		r->after = strtol(db_get(&db, q, (int)k, "row"), NULL, 10);
		json_decref(cells);
		json_decref(errors);
	}
	cbuf_cleanup(&err);
	if (rows < REJECTED_PAGE)
		rc = STREAM_DONE;
	db_cleanup(&db);
	return (rc);
}

void
api_imports_rejected(struct request *req)
{
	struct rejected *r;
	struct db	 db;
	const char	*phase;
	char		 disposition[320], name[200], *p;
	int		 q;

	if (read_phase(req, &phase) != 0)
		return;
	pipeline_init(req, &db);
	q = DB_ADD(&db,
	    "SELECT i.columns::text AS columns, i.file_name, "
	    "    CASE WHEN i.status IN ('queued', 'running', 'completed', "
	    "        'failed', 'cancelled') THEN 'run' ELSE 'dry_run' END "
	    "        AS phase "
	    "FROM import_find($1, false) i",
	    request_param(req, 0));
	if (pipeline_run(req, &db) != 0) {
		db_cleanup(&db);
		return;
	}
	r = mem_calloc(1, sizeof(*r));
	stream_auth_init(&r->a, req);
	snprintf(r->phase, sizeof(r->phase), "%s",
	    phase != NULL ? phase : db_get(&db, q, 0, "phase"));
	r->columns = json_loads(db_get(&db, q, 0, "columns"), 0, NULL);
	/* rejected-<file name without .csv, reduced to [A-Za-z0-9_.-]>.csv */
	snprintf(name, sizeof(name), "%s", db_get(&db, q, 0, "file_name"));
	if ((p = strrchr(name, '.')) != NULL && strcasecmp(p, ".csv") == 0)
		*p = '\0';
	for (p = name; *p != '\0'; p++) {
		if (strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_.-",
			*p) == NULL)
			*p = '_';
	}
	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"rejected-%s.csv\"", name);
	db_cleanup(&db);
	reply_header(req, "content-disposition", disposition);
	stream_start(req, 200, "text/csv; charset=utf-8", rejected_next,
	    rejected_free, r);
}

/*
 * Progress pushed to the page: server-sent events. Every second the
 * import is read (one round trip, behind auth_begin() like any request);
 * when it changed, it goes out as an event "import" with the import's
 * JSON; a comment keeps the connection alive meanwhile. The stream ends
 * after the event that shows the import no longer running.
 */
struct events {
	struct stream_auth a;
	char		   last[64]; /* version and progress time sent */
	time_t		   sent;
	int		   ending;
};

static void
events_free(void *arg)
{
	free(arg);
}

static int
events_next(void *arg, struct cbuf *out, unsigned int *wait)
{
	struct events *e = arg;
	struct db      db;
	const char    *status;
	char	       mark[64];
	int	       q;

	if (e->ending)
		return (STREAM_DONE);
	pipeline_init_lookup(&e->a.req, &db);
	q = DB_ADD(&db,
	    "SELECT i.status, i.version || '/' || COALESCE((SELECT "
	    "    p.updated_at::text FROM import_progress p "
	    "    WHERE p.import_id = i.id), '') AS mark, "
	    "    import_json(i) AS item FROM import_find($1, false) i",
	    e->a.id);
	if (pipeline_exec(&e->a.req, &db) != DB_OK) {
		db_cleanup(&db);
		return (STREAM_ABORT);
	}
	status = db_get(&db, q, 0, "status");
	snprintf(mark, sizeof(mark), "%s", db_get(&db, q, 0, "mark"));
	if (strcmp(mark, e->last) != 0) {
		cbuf_appendstr(out, "event: import\ndata: ");
		cbuf_append_json_min(out, db_get(&db, q, 0, "item"));
		cbuf_appendstr(out, "\n\n");
		snprintf(e->last, sizeof(e->last), "%s", mark);
		e->sent = time(NULL);
	} else if (time(NULL) - e->sent >= 10) {
		cbuf_appendstr(out, ": waiting\n\n");
		e->sent = time(NULL);
	}
	if (strcmp(status, "checking") != 0 && strcmp(status, "queued") != 0 &&
	    strcmp(status, "running") != 0)
		e->ending = 1;
	db_cleanup(&db);
	*wait = 1000;
	return (e->ending && out->len == 0 ? STREAM_DONE : STREAM_WAIT);
}

void
api_imports_events(struct request *req)
{
	struct events *e;
	struct db      db;

	/* The import must be there, and the caller allowed to see it. */
	pipeline_init(req, &db);
	DB_ADD(
	    &db, "SELECT 1 FROM import_find($1, false)", request_param(req, 0));
	if (pipeline_run(req, &db) != 0) {
		db_cleanup(&db);
		return;
	}
	db_cleanup(&db);
	e = mem_calloc(1, sizeof(*e));
	stream_auth_init(&e->a, req);
	reply_header(req, "x-accel-buffering", "no");
	stream_start(
	    req, 200, "text/event-stream", events_next, events_free, e);
}

/* ---- fields and templates ----------------------------------------------------------------- */

void
api_imports_fields(struct request *req)
{
	struct db db;

	/* Static, but behind auth_begin() like every import route. */
	pipeline_init(req, &db);
	DB_ADD0(&db, sql_fields);
	if (pipeline_run(req, &db) == 0)
		reply_json(req, 200, import_fields_json());
	db_cleanup(&db);
}

void
api_imports_templates_list(struct request *req)
{
	struct db   db;
	struct cbuf b;
	int	    q, i, n;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_templates);
	if (pipeline_run(req, &db) == 0) {
		cbuf_init(&b, 1024);
		cbuf_appendstr(&b, "{\"data\":[");
		n = db_rows(&db, q);
		for (i = 0; i < n; i++) {
			if (i > 0)
				cbuf_append(&b, ",", 1);
			cbuf_append_json_min(&b, db_get(&db, q, i, "item"));
		}
		cbuf_appendstr(&b, "]}");
		reply_body(req, 200, b.data, b.len);
		cbuf_cleanup(&b);
	}
	db_cleanup(&db);
}

static const struct field_spec template_fields[] = {
	{ "name", FIELD_STRING, FIELD_REQUIRED | FIELD_NONEMPTY, 100, NULL, 0,
	    0 },
	{ "import", FIELD_ID, FIELD_REQUIRED, 0, NULL, 0, 0 },
	{ "mapping", FIELD_ARRAY, 0, CSV_READ_COLUMNS_MAX, NULL, 0, 0 },
	{ "options", FIELD_OBJECT, 0, 0, NULL, 0, 0 },
};

/*
 * POST /import-templates {name, import, mapping?, options?}: the mapping
 * (and options) of an import, or the ones given for its columns, saved
 * under a name for files with the same header.
 */
void
api_imports_templates_create(struct request *req)
{
	struct import_options o;
	struct import_mapping m;
	struct api_error      err;
	struct db	      db;
	json_t		     *cols, *names, *c, *mapping, *options;
	json_t		     *stored_m = NULL, *stored_o = NULL, *decimals;
	char		     *mt = NULL, *ot = NULL, *nt = NULL;
	const char	    **hv;
	char		      key[65];
	size_t		      i;
	int		      q, ok = 0;

	if (reply_invalid_body(
		req, template_fields, CORE_ARRAY_LEN(template_fields)) != 0)
		return;
	pipeline_init_lookup(req, &db);
	q = DB_ADD(&db,
	    "SELECT columns::text AS columns, mapping::text AS mapping, "
	    "    options::text AS options FROM import_find($1, false)",
	    json_string_value(json_object_get(req->body, "import")));
	if (pipeline_run(req, &db) != 0) {
		db_cleanup(&db);
		return;
	}
	cols = json_loads(db_get(&db, q, 0, "columns"), 0, NULL);
	if (!db_isnull(&db, q, 0, "mapping"))
		stored_m = json_loads(db_get(&db, q, 0, "mapping"), 0, NULL);
	if (!db_isnull(&db, q, 0, "options"))
		stored_o = json_loads(db_get(&db, q, 0, "options"), 0, NULL);
	db_cleanup(&db);
	mapping = json_object_get(req->body, "mapping");
	options = json_object_get(req->body, "options");
	if (mapping == NULL)
		mapping = stored_m;
	if (options == NULL)
		options = stored_o;
	api_error_init(&err, API_ERR_VALIDATION);
	decimals = json_array();
	names = json_array();
	hv = mem_calloc(json_array_size(cols) + 1, sizeof(*hv));
	json_array_foreach(cols, i, c)
	{
		json_array_append(decimals, json_object_get(c, "decimal"));
		json_array_append(names, json_object_get(c, "name"));
		hv[i] = json_string_value(json_object_get(c, "name"));
	}
	if (mapping == NULL) {
		api_error_add_field(&err, "mapping", "required",
		    "field \"mapping\" is required: the import has none yet");
	} else if (import_options_parse(options, &o, &err) == 0 &&
	    import_mapping_parse(
		mapping, json_array_size(cols), decimals, &o, &m, &err) == 0) {
		import_mapping_cleanup(&m);
		ok = 1;
	}
	if (!ok) {
		reply_error(req, &err);
		goto out;
	}
	import_header_key(hv, json_array_size(cols), key);
	mt = json_dumps(mapping, JSON_COMPACT);
	ot = dump_json(import_options_json(&o));
	nt = json_dumps(names, JSON_COMPACT);
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_template_save,
	    json_string_value(json_object_get(req->body, "name")), key, nt, mt,
	    ot);
	if (pipeline_run(req, &db) == 0)
		reply_sql_json(req, 201, db_get(&db, q, 0, "item"));
	db_cleanup(&db);
out:
	api_error_cleanup(&err);
	free(hv);
	free(mt);
	free(ot);
	free(nt);
	json_decref(names);
	json_decref(decimals);
	json_decref(cols);
	if (stored_m != NULL)
		json_decref(stored_m);
	if (stored_o != NULL)
		json_decref(stored_o);
}

void
api_imports_templates_delete(struct request *req)
{
	struct db db;

	pipeline_init(req, &db);
	DB_ADD(&db, sql_template_delete, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}
