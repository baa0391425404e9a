/*
 * Documents (issue 14): files kept for a client or a group, in PostgreSQL
 * (sql/functions/documents.sql), uploaded and downloaded by staff and by
 * the client's contacts in the portal.
 *
 * An upload is multipart/form-data with one or more "file" parts (and an
 * optional "visible" field). Kore keeps a large body on disk; it is read
 * twice in pieces (http_body_read), never whole. The first pass hashes
 * each file (SHA-256), counts its bytes and keeps its first bytes to sniff
 * its type. Then one transaction, over several round trips: the owner and
 * the company's per-file limit are checked and each file's blob claimed
 * (the company may have the bytes already: then nothing is stored again);
 * the second pass stores the new blobs' bytes in chunks of 512 KiB; the
 * last round trip writes the documents and their events and commits. A
 * daemon killed in the middle leaves nothing behind: PostgreSQL rolls the
 * transaction back.
 *
 * A download is authorized and recorded first (one round trip), then
 * streamed with its Content-Length, 256 KiB per round trip, each piece a
 * slice of one chunk (document_chunks keeps its values uncompressed, so a
 * slice does not read the whole value), so a file of any size costs one
 * piece of memory. Range asks for a part (206); the ETag is the SHA-256.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/api_error.h"
#include "core/cbuf.h"
#include "core/clients.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/cursor.h"
#include "core/documents.h"
#include "core/mem.h"
#include "core/multipart.h"
#include "core/public_id.h"
#include "core/qs.h"
#include "core/validate.h"
#include "http/db.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/pipeline.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/stream.h"

#define DOC_READ      ((size_t)64 * 1024)  /* body read per call */
#define DOC_CHUNK     ((size_t)512 * 1024) /* a stored chunk */
#define DOC_PIECE     ((size_t)256 * 1024) /* a download's piece */
#define DOC_FILES_MAX 10		   /* files per upload */

/* clang-format off */
static const char sql_begin[] =
    "SELECT ord, blob_id, created FROM document_upload_begin($1, $2, "
    "    $3::jsonb, $4::int) ORDER BY ord";
static const char sql_portal_begin[] =
    "SELECT ord, blob_id, created FROM portal_document_upload_begin("
    "    $1::jsonb, $2::int) ORDER BY ord";
static const char sql_chunk[] =
    "INSERT INTO document_chunks (blob_id, company_id, seq, data) "
    "VALUES ($1::bigint, app_company_id(), $2::int, $3::bytea)";
static const char sql_create[] =
    "SELECT documents_create($1, $2, $3::jsonb) AS items";
static const char sql_portal_create[] =
    "SELECT portal_documents_create($1::jsonb) AS items";
static const char sql_commit[] = "COMMIT";
static const char sql_get[] =
    "SELECT document_get($1) AS item";
static const char sql_update[] =
    "SELECT document_update($1, $2::jsonb, $3::int) AS item";
static const char sql_delete[] = "SELECT document_delete($1, $2::int)";
static const char sql_download[] =
    "SELECT blob_id, chunk_size, size, sha256, name, content_type, "
    "    sniffed_type, tenant FROM document_download($1)";
static const char sql_portal_download[] =
    "SELECT blob_id, chunk_size, size, sha256, name, content_type, "
    "    sniffed_type, tenant FROM portal_document_download($1)";
static const char sql_tenant[] =
    "SELECT set_config('app.company_id', $1, true)";
static const char sql_piece[] =
    "SELECT substring(data FROM $3::int FOR $4::int) AS data "
    "FROM document_chunks WHERE blob_id = $1::bigint AND seq = $2::int "
    "AND company_id = app_company_id()";
static const char sql_portal_list[] = "SELECT portal_documents() AS items";
static const char sql_owner[] = "SELECT document_owner($1, $2)";

static const char sql_list[] =
    "SELECT document_json(d) AS item, d.created_at::text AS sort_value, "
    "    d.public_id AS pid "
    "FROM documents d WHERE ";
static const char sql_list_total[] =
    "SELECT count(*) AS total FROM documents d WHERE ";
static const char sql_list_scope[] =
    "d.company_id = app_company_id() "
    "AND (d.client_id IS NULL OR app_scope_all() OR EXISTS (SELECT 1 "
    "    FROM clients c WHERE c.id = d.client_id "
    "    AND (c.user_id = app_user_id() "
    "    OR c.assigned_user_id = app_user_id()))) ";
/* clang-format on */

/* Answers {"data": items}, items a JSON array made by PostgreSQL. */
static void
reply_data(struct request *req, int status, const char *items)
{
	struct cbuf b;

	cbuf_init(&b, strlen(items) + 16);
	cbuf_appendstr(&b, "{\"data\":");
	cbuf_append_json_min(&b, items);
	cbuf_appendstr(&b, "}");
	reply_body(req, status, b.data, b.len);
	cbuf_cleanup(&b);
}

/* ---- the upload ------------------------------------------------------------- */

struct doc_file {
	char		     name[DOCUMENTS_NAME_MAX + 1];
	char		     declared[DOCUMENTS_TYPE_MAX];
	unsigned char	     head[DOCUMENTS_SNIFF_LEN];
	size_t		     nhead;
	uint64_t	     size;
	struct crypto_sha256 sha;
	unsigned char	     digest[SHA256_LEN];
	char		     blob[24]; /* its blob's id */
	int		     store;    /* a new blob: store its bytes */
};

struct upload {
	struct request	 *req;
	struct api_error *err;
	struct db	 *db;
	int		  pass; /* 1: hash, 2: store */
	struct doc_file	  files[DOC_FILES_MAX];
	int		  nfiles;
	struct doc_file	 *cur; /* the part being read, or NULL */
	int		  in_visible;
	char		  visible[8];
	size_t		  nvisible;
	struct cbuf	  chunk; /* the current blob's bytes not stored yet */
	int		  seq;
	int		  failed;
};

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
	struct upload	*u = arg;
	struct doc_file *f;
	int		 i;

	u->cur = NULL;
	u->in_visible = 0;
	if (strcmp(p->name, "visible") == 0 && !p->is_file) {
		u->in_visible = 1;
		u->nvisible = 0;
		return (0);
	}
	if (strcmp(p->name, "file") != 0 || !p->is_file) {
		api_error_add_field(u->err, p->name, "unknown_field",
		    strcmp(p->name, "file") == 0
			? "field \"file\" must be a file (with a filename)"
			: "unknown field \"%s\"",
		    p->name);
		return (up_fail(u, API_ERR_VALIDATION, "unknown field"));
	}
	i = u->nfiles++;
	if (i >= DOC_FILES_MAX) {
		api_error_add_field(u->err, "file", "too_many",
		    "send at most %d files at once", DOC_FILES_MAX);
		return (up_fail(u, API_ERR_VALIDATION, "too many files"));
	}
	f = &u->files[i];
	u->cur = f;
	u->seq = 0;
	cbuf_reset(&u->chunk);
	if (u->pass == 2)
		return (0);
	documents_name(p->filename, strlen(p->filename), f->name);
	if (documents_type_normalize(p->content_type, f->declared) != 0)
		f->declared[0] = '\0';
	crypto_sha256_begin(&f->sha);
	return (0);
}

/* Stores the current blob's pending bytes as its next chunk. */
static int
store_chunk(struct upload *u)
{
	char seq[16];
	int  q, rc;

	if (u->chunk.len == 0)
		return (0);
	snprintf(seq, sizeof(seq), "%d", u->seq);
	db_next(u->db);
	q = DB_ADD(u->db, sql_chunk, u->cur->blob, seq, NULL);
	db_bind_binary(u->db, q, 2, u->chunk.data, u->chunk.len);
	if ((rc = pipeline_exec(u->req, u->db)) != DB_OK) {
		if (rc == DB_ERR_SQL) {
			db_error(u->db, u->err);
		} else {
			api_error_setf(u->err, API_ERR_UNAVAILABLE,
			    "database is unavailable");
			api_error_hint(u->err, "Retry in a moment.");
		}
		u->failed = 1;
		return (-1);
	}
	u->seq++;
	cbuf_reset(&u->chunk);
	return (0);
}

static int
part_data(const char *s, size_t n, void *arg)
{
	struct upload	*u = arg;
	struct doc_file *f = u->cur;
	size_t		 k;

	if (u->in_visible) {
		for (k = 0; k < n; k++) {
			if (u->nvisible + 1 >= sizeof(u->visible))
				break;
			u->visible[u->nvisible++] = s[k];
		}
		u->visible[u->nvisible] = '\0';
		return (0);
	}
	if (f == NULL)
		return (0);
	if (u->pass == 1) {
		for (k = 0; k < n && f->nhead < sizeof(f->head); k++)
			f->head[f->nhead++] = (unsigned char)s[k];
		crypto_sha256_update(&f->sha, s, n);
		f->size += n;
		if (f->size > DOCUMENTS_HARD_LIMIT) {
			api_error_detail(u->err,
			    "\"%s\" has more than 100 MiB; files may have at "
			    "most 100 MiB.",
			    f->name);
			api_error_add_field(u->err, "file", "too_large",
			    "the file is too large");
			return (
			    up_fail(u, API_ERR_TOO_LARGE, "file is too large"));
		}
		return (0);
	}
	if (!f->store)
		return (0);
	while (n > 0) {
		k = DOC_CHUNK - u->chunk.len;
		if (k > n)
			k = n;
		cbuf_append(&u->chunk, s, k);
		s += k;
		n -= k;
		if (u->chunk.len == DOC_CHUNK && store_chunk(u) != 0)
			return (1);
	}
	return (0);
}

static int
part_end(void *arg)
{
	struct upload *u = arg;

	if (u->cur != NULL && u->pass == 1)
		crypto_sha256_end(&u->cur->sha, u->cur->digest);
	if (u->cur != NULL && u->pass == 2 && u->cur->store &&
	    store_chunk(u) != 0)
		return (1);
	u->cur = NULL;
	u->in_visible = 0;
	return (0);
}

static const struct multipart_cb upload_cb = { part_begin, part_data,
	part_end };

/* Reads the whole body once through the multipart reader. */
static int
read_body(struct upload *u, const char *boundary)
{
	struct multipart mp;
	char		*buf;
	ssize_t		 n = 0;
	int		 rc = 0;

	if (http_body_rewind(u->req->http) != KORE_RESULT_OK)
		return (up_fail(
		    u, API_ERR_BAD_REQUEST, "could not read the request body"));
	u->nfiles = 0;
	buf = mem_alloc(DOC_READ);
	multipart_init(&mp, boundary, &upload_cb, u);
	while (rc == 0 && (n = http_body_read(u->req->http, buf, DOC_READ)) > 0)
		rc = multipart_feed(&mp, buf, (size_t)n);
	free(buf);
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
		api_error_hint(u->err, "Nothing was stored; send it again.");
		u->failed = 1;
		return (-1);
	}
	return (0);
}

/* The checks before a byte of the body is read; 0 when it may go on. */
static int
upload_admit(
    struct request *req, struct api_error *err, char *boundary, size_t len)
{
	const char *ct = request_header(req, "content-type");

	if (multipart_boundary(ct, boundary, len) != 0) {
		api_error_setf(err, API_ERR_MEDIA_TYPE,
		    "content type \"%s\" is not supported",
		    ct != NULL ? ct : "(none)");
		api_error_hint(err,
		    "Send the files as multipart/form-data, each in a field "
		    "named \"file\".");
		return (-1);
	}
	return (0);
}

/* After the first pass: files, and a visible field that says yes or no. */
static int
upload_check(struct upload *u, int *visible)
{
	int i;

	*visible = -1;
	if (u->nvisible > 0 || u->visible[0] != '\0') {
		if (strcmp(u->visible, "true") == 0) {
			*visible = 1;
		} else if (strcmp(u->visible, "false") == 0) {
			*visible = 0;
		} else {
			api_error_add_field(u->err, "visible", "invalid_value",
			    "field \"visible\" must be true or false");
			return (up_fail(u, API_ERR_VALIDATION, "bad visible"));
		}
	}
	if (u->nfiles == 0) {
		api_error_add_field(u->err, "file", "required",
		    "field \"file\" is required: one or more files, as "
		    "multipart/form-data");
		return (up_fail(u, API_ERR_VALIDATION, "no file"));
	}
	for (i = 0; i < u->nfiles; i++)
		crypto_sha256_end(&u->files[i].sha, NULL);
	return (0);
}

/* The files as documents_create() and the blob claim take them. */
static char *
upload_files_json(struct upload *u, int visible)
{
	json_t		*arr = json_array(), *o;
	struct doc_file *f;
	char		 hex[SHA256_LEN * 2 + 1], type[DOCUMENTS_TYPE_MAX];
	const char	*sniffed;
	char		*s;
	int		 i, k;

	for (i = 0; i < u->nfiles; i++) {
		f = &u->files[i];
		for (k = 0; k < SHA256_LEN; k++)
			snprintf(hex + (size_t)2 * (size_t)k, 3, "%02x",
			    f->digest[k]);
		sniffed = documents_sniff(f->head, f->nhead);
		documents_type_choose(f->declared, sniffed, type);
		o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "name", f->name,
		    "size", (json_int_t)f->size, "sha256", hex, "declared_type",
		    f->declared[0] != '\0' ? f->declared
					   : "application/octet-stream",
		    "sniffed_type", sniffed, "content_type", type);
		if (f->blob[0] != '\0')
			json_object_set_new(o, "blob_id",
			    json_integer(strtoll(f->blob, NULL, 10)));
		if (visible >= 0)
			json_object_set_new(
			    o, "visible", json_boolean(visible));
		json_array_append_new(arr, o);
	}
	if ((s = json_dumps(arr, JSON_COMPACT)) == NULL)
		core_fatal("api_documents: json_dumps failed");
	json_decref(arr);
	return (s);
}

/*
 * An upload, end to end: owner is "client" or "group" (staff, the route's
 * {id}), or NULL (the portal: the session's client).
 */
static void
upload(struct request *req, const char *owner)
{
	struct api_error err;
	struct upload	*u;
	struct db	 db;
	char		 boundary[MULTIPART_BOUNDARY_MAX + 1], chunk[16];
	char		*files = NULL;
	int		 q, i, visible;

	api_error_init(&err, API_ERR_VALIDATION);
	db_init(&db);
	u = mem_calloc(1, sizeof(*u));
	u->req = req;
	u->err = &err;
	u->db = &db;
	u->pass = 1;
	cbuf_init(&u->chunk, DOC_CHUNK + 1);
	if (upload_admit(req, &err, boundary, sizeof(boundary)) != 0 ||
	    read_body(u, boundary) != 0 || upload_check(u, &visible) != 0) {
		reply_error(req, &err);
		goto out;
	}
	if (owner == NULL)
		visible = -1; /* a contact's upload is always shown to it */
	files = upload_files_json(u, visible);
	snprintf(chunk, sizeof(chunk), "%zu", DOC_CHUNK);

	/* One transaction: the blobs claimed, their bytes, the documents. */
	pipeline_init_transaction(req, &db);
	if (owner != NULL)
		q = DB_ADD(
		    &db, sql_begin, owner, request_param(req, 0), files, chunk);
	else
		q = DB_ADD(&db, sql_portal_begin, files, chunk);
	if (pipeline_run(req, &db) != 0)
		goto out;
	if (db_rows(&db, q) != u->nfiles)
		core_fatal("api_documents: %d blobs for %d files",
		    db_rows(&db, q), u->nfiles);
	for (i = 0; i < u->nfiles; i++) {
		snprintf(u->files[i].blob, sizeof(u->files[i].blob), "%s",
		    db_get(&db, q, i, "blob_id"));
		u->files[i].store =
		    strcmp(db_get(&db, q, i, "created"), "t") == 0;
	}
	u->pass = 2;
	if (read_body(u, boundary) != 0) {
		reply_error(req, &err);
		goto out;
	}
	free(files);
	files = upload_files_json(u, visible);
	db_next(&db);
	if (owner != NULL)
		q = DB_ADD(
		    &db, sql_create, owner, request_param(req, 0), files);
	else
		q = DB_ADD(&db, sql_portal_create, files);
	DB_ADD0(&db, sql_commit);
	if (pipeline_run(req, &db) != 0)
		goto out;
	reply_data(req, 201, db_get(&db, q, 0, "items"));
out:
	free(files);
	db_cleanup(&db);
	cbuf_cleanup(&u->chunk);
	for (i = 0; i < DOC_FILES_MAX; i++)
		crypto_sha256_end(&u->files[i].sha, NULL);
	free(u);
	api_error_cleanup(&err);
}

void
api_documents_upload_client(struct request *req)
{
	upload(req, "client");
}

void
api_documents_upload_group(struct request *req)
{
	upload(req, "group");
}

void
api_documents_upload_portal(struct request *req)
{
	upload(req, NULL);
}

/* ---- the download ------------------------------------------------------------ */

struct download {
	char	 blob[24];
	char	 tenant[24];
	uint64_t chunk_size;
	uint64_t pos;  /* the next byte */
	uint64_t last; /* the last byte */
};

static void
download_free(void *arg)
{
	free(arg);
}

/*
 * The next piece: a slice of one chunk, read behind the tenant the
 * authorized first round trip named.
 */
static int
download_next(void *arg, struct cbuf *out, unsigned int *wait)
{
	struct download *d = arg;
	struct db	 db;
	uint64_t	 seq, off, len;
	char		 s_seq[24], s_off[24], s_len[24];
	PGresult	*r;
	int		 q, rc = STREAM_ABORT;

	(void)wait;
	if (d->pos > d->last)
		return (STREAM_DONE);
	seq = d->pos / d->chunk_size;
	off = d->pos % d->chunk_size;
	len = d->chunk_size - off;
	if (len > DOC_PIECE)
		len = DOC_PIECE;
	if (len > d->last - d->pos + 1)
		len = d->last - d->pos + 1;
	snprintf(s_seq, sizeof(s_seq), "%" PRIu64, seq);
	snprintf(s_off, sizeof(s_off), "%" PRIu64, off + 1);
	snprintf(s_len, sizeof(s_len), "%" PRIu64, len);
	db_init(&db);
	DB_ADD(&db, sql_tenant, d->tenant);
	q = DB_ADD(&db, sql_piece, d->blob, s_seq, s_off, s_len);
	db_binary_result(&db, q);
	if (db_run(&db, 1) == DB_OK && db_rows(&db, q) == 1) {
		r = db_res(&db, q);
		if ((uint64_t)PQgetlength(r, 0, 0) == len) {
			cbuf_append(out, PQgetvalue(r, 0, 0), len);
			d->pos += len;
			rc = d->pos > d->last ? STREAM_DONE : STREAM_MORE;
		}
	}
	db_cleanup(&db);
	return (rc);
}

/* Whether an If-None-Match / If-Range value names this ETag. */
static int
etag_matches(const char *h, const char *etag)
{
	return (h != NULL && (strcmp(h, "*") == 0 || strstr(h, etag) != NULL));
}

static void
download(struct request *req, const char *sql, const char *id)
{
	struct download *d;
	struct db	 db;
	const char	*disp, *range, *ctype, *sniffed, *name;
	char		 etag[SHA256_LEN * 2 + 3], cd[2048], cr[80];
	uint64_t	 size, first = 0, last = 0;
	int		 q, kind, status = 200, inline_ok;

	disp = qs_get(&req->qs, "disposition");
	if (disp != NULL && strcmp(disp, "attachment") != 0 &&
	    strcmp(disp, "inline") != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"disposition\" must be attachment or "
		    "inline, not \"%s\"",
		    disp);
		return;
	}
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql, id);
	if (pipeline_run(req, &db) != 0) {
		db_cleanup(&db);
		return;
	}
	size = strtoull(db_get(&db, q, 0, "size"), NULL, 10);
	snprintf(etag, sizeof(etag), "\"%s\"", db_get(&db, q, 0, "sha256"));
	ctype = db_get(&db, q, 0, "content_type");
	sniffed = db_get(&db, q, 0, "sniffed_type");
	name = db_get(&db, q, 0, "name");
	inline_ok = disp != NULL && strcmp(disp, "inline") == 0 &&
	    documents_inline_ok(ctype, sniffed);
	if (documents_disposition(
		inline_ok ? "inline" : "attachment", name, cd, sizeof(cd)) != 0)
		core_fatal("api_documents: disposition does not fit");
	reply_header(req, "content-disposition", cd);
	reply_header(req, "etag", etag);
	reply_header(req, "accept-ranges", "bytes");
	if (!inline_ok)
		reply_header(req, "content-security-policy", "sandbox");
	req->preview = inline_ok;
	if (etag_matches(request_header(req, "if-none-match"), etag)) {
		reply_empty(req, 304);
		db_cleanup(&db);
		return;
	}
	range = request_header(req, "range");
	if (request_header(req, "if-range") != NULL &&
	    !etag_matches(request_header(req, "if-range"), etag))
		range = NULL;
	kind = documents_range(range, size, &first, &last);
	if (kind == DOCUMENTS_RANGE_UNSATISFIABLE) {
		struct api_error err;

		snprintf(cr, sizeof(cr), "bytes */%" PRIu64, size);
		reply_header(req, "content-range", cr);
		api_error_init(&err, API_ERR_RANGE);
		api_error_setf(&err, API_ERR_RANGE, "range not satisfiable");
		api_error_detail(
		    &err, "The document has %" PRIu64 " bytes.", size);
		reply_error(req, &err);
		api_error_cleanup(&err);
		db_cleanup(&db);
		return;
	}
	if (kind == DOCUMENTS_RANGE_PARTIAL) {
		status = 206;
		snprintf(cr, sizeof(cr),
		    "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, first, last,
		    size);
		reply_header(req, "content-range", cr);
	} else {
		first = 0;
		last = size - 1; /* size 0: nothing is read */
	}
	d = mem_calloc(1, sizeof(*d));
	snprintf(d->blob, sizeof(d->blob), "%s", db_get(&db, q, 0, "blob_id"));
	snprintf(
	    d->tenant, sizeof(d->tenant), "%s", db_get(&db, q, 0, "tenant"));
	d->chunk_size = strtoull(db_get(&db, q, 0, "chunk_size"), NULL, 10);
	d->pos = first;
	d->last = last;
	stream_start_sized(req, status, ctype, size == 0 ? 0 : last - first + 1,
	    download_next, download_free, d);
	db_cleanup(&db);
}

void
api_documents_download(struct request *req)
{
	download(req, sql_download, request_param(req, 0));
}

void
api_documents_download_portal(struct request *req)
{
	download(req, sql_portal_download, request_param(req, 1));
}

/* ---- metadata ------------------------------------------------------------------ */

static void
reply_document(struct request *req, struct db *db, int q, int status)
{
	json_t	   *j;
	char	    etag[32];
	const char *item = db_get(db, q, 0, "item");

	if ((j = json_loads(item, 0, NULL)) != NULL) {
		snprintf(etag, sizeof(etag), "\"%lld\"",
		    (long long)json_integer_value(
			json_object_get(j, "version")));
		reply_header(req, "etag", etag);
		json_decref(j);
	}
	reply_sql_json(req, status, item);
}

void
api_documents_get(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_get, request_param(req, 0));
	if (pipeline_run(req, &db) == 0)
		reply_document(req, &db, q, 200);
	db_cleanup(&db);
}

static const struct field_spec update_fields[] = {
	{ "name", FIELD_STRING, 0, DOCUMENTS_NAME_MAX, NULL, 0, 0 },
	{ "visible", FIELD_BOOL, 0, 0, NULL, 0, 0 },
};

void
api_documents_update(struct request *req)
{
	struct db db;
	json_t	 *name;
	char	 *body, ver[24], msg[128];
	int	  q;

	if (reply_invalid_body(
		req, update_fields, CORE_ARRAY_LEN(update_fields)) != 0)
		return;
	name = json_object_get(req->body, "name");
	if (name != NULL &&
	    documents_name_check(json_string_value(name), msg, sizeof(msg)) !=
		0) {
		struct api_error err;

		api_error_init(&err, API_ERR_VALIDATION);
		api_error_add_field(&err, "name", "invalid_value", "%s", msg);
		reply_error(req, &err);
		api_error_cleanup(&err);
		return;
	}
	if ((body = json_dumps(req->body, JSON_COMPACT)) == NULL)
		core_fatal("api_documents: json_dumps failed");
	pipeline_init(req, &db);
	q = DB_ADD(&db, sql_update, request_param(req, 0), body,
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_document(req, &db, q, 200);
	db_cleanup(&db);
	free(body);
}

void
api_documents_delete(struct request *req)
{
	struct db db;
	char	  ver[24];

	pipeline_init(req, &db);
	DB_ADD(&db, sql_delete, request_param(req, 0),
	    request_if_match(req, ver, sizeof(ver)));
	if (pipeline_run(req, &db) == 0)
		reply_empty(req, 204);
	db_cleanup(&db);
}

/* ---- lists ----------------------------------------------------------------------- */

/*
 * The list's filters. owner: "client" or "group" for a client's or a
 * group's list (its {id}), NULL for GET /documents (client and group as
 * query parameters).
 */
static int
list_where(
    struct request *req, struct stmt *st, const char *owner, const char *like)
{
	const char *v;

	stmt_append(st, sql_list_scope);
	if (owner != NULL && strcmp(owner, "client") == 0) {
		stmt_append(st,
		    "AND d.client_id = (client_find(:owner, "
		    "false)).id ");
		stmt_bind(st, "owner", request_param(req, 0));
	} else if (owner != NULL) {
		stmt_append(st,
		    "AND d.group_id = (group_find(:owner, "
		    "false)).id ");
		stmt_bind(st, "owner", request_param(req, 0));
	} else {
		if ((v = qs_get(&req->qs, "client")) != NULL) {
			stmt_append(st,
			    "AND d.client_id = (client_find("
			    ":client, false)).id ");
			stmt_bind(st, "client", v);
		}
		if ((v = qs_get(&req->qs, "group")) != NULL) {
			stmt_append(st,
			    "AND d.group_id = (group_find(:group, "
			    "false)).id ");
			stmt_bind(st, "group", v);
		}
	}
	if ((v = qs_get(&req->qs, "type")) != NULL) {
		/* "image/png", or "image" for every image/... */
		if (strchr(v, '/') != NULL) {
			stmt_append(st, "AND d.content_type = lower(:type) ");
		} else {
			stmt_append(st,
			    "AND split_part(d.content_type, '/', "
			    "1) = lower(:type) ");
		}
		stmt_bind(st, "type", v);
	}
	if ((v = qs_get(&req->qs, "uploaded_since")) != NULL) {
		if (!validate_timestamp(v)) {
			reply_errorf(req, API_ERR_BAD_REQUEST,
			    "query parameter \"uploaded_since\" must be an "
			    "RFC 3339 time, not \"%s\"",
			    v);
			return (-1);
		}
		stmt_append(st, "AND d.created_at >= :since::timestamptz ");
		stmt_bind(st, "since", v);
	}
	if (like[0] != '\0') {
		stmt_append(st, "AND lower(d.name) LIKE lower(:q) ");
		stmt_bind(st, "q", like);
	}
	return (0);
}

static void
list(struct request *req, const char *owner)
{
	struct page page;
	struct stmt items, total;
	struct db   db;
	const char *q, *v;
	char	    like[CLIENT_LIKE_LEN];
	char	    pid[PUBLIC_ID_LEN + 1], value[CURSOR_VALUE_MAX];
	int	    qi, qt;

	like[0] = '\0';
	if ((q = qs_get(&req->qs, "q")) != NULL &&
	    clients_like_pattern(q, like, sizeof(like)) != 0) {
		reply_errorf(req, API_ERR_BAD_REQUEST,
		    "query parameter \"q\" is longer than %d characters",
		    CLIENT_Q_MAX);
		return;
	}
	if (list_page(req, &page) != 0 ||
	    list_cursor(req, "documents", "timestamptz", 1, pid, sizeof(pid),
		value, sizeof(value)) != 0)
		return;
	stmt_init(&items);
	stmt_init(&total);
	stmt_append(&items, sql_list);
	stmt_append(&total, sql_list_total);
	if (list_where(req, &items, owner, like) != 0 ||
	    list_where(req, &total, owner, like) != 0)
		goto out;
	list_after(&items, "d.created_at", "timestamptz", "d.public_id", 1,
	    value, pid);
	stmt_append(&items, "ORDER BY d.created_at DESC, d.public_id DESC ");
	list_limit(&items, &page, pid);
	pipeline_init(req, &db);
	/* The owner (or the filter's client or group) must exist: 404. */
	if (owner != NULL)
		DB_ADD(&db, sql_owner, owner, request_param(req, 0));
	if (owner == NULL && (v = qs_get(&req->qs, "client")) != NULL)
		DB_ADD(&db, sql_owner, "client", v);
	if (owner == NULL && (v = qs_get(&req->qs, "group")) != NULL)
		DB_ADD(&db, sql_owner, "group", v);
	qi = db_add_stmt(&db, &items);
	qt = db_add_stmt(&db, &total);
	if (pipeline_run(req, &db) == 0)
		list_reply_page(req, &db, qi, qt, &page, "documents", 1);
	db_cleanup(&db);
out:
	stmt_cleanup(&items);
	stmt_cleanup(&total);
}

void
api_documents_list(struct request *req)
{
	list(req, NULL);
}

void
api_documents_list_client(struct request *req)
{
	list(req, "client");
}

void
api_documents_list_group(struct request *req)
{
	list(req, "group");
}

void
api_documents_list_portal(struct request *req)
{
	struct db db;
	int	  q;

	pipeline_init(req, &db);
	q = DB_ADD0(&db, sql_portal_list);
	if (pipeline_run(req, &db) == 0)
		reply_data(req, 200, db_get(&db, q, 0, "items"));
	db_cleanup(&db);
}
