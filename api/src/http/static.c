/*
 * The single-page app's files, served from memory. At worker start the
 * built SPA (CLIENTD_STATIC_DIR, frontend/dist) is read once; requests
 * that are not API routes are answered from that table:
 *
 *  - a file that exists is sent with its type and a strong ETag (which
 *    nginx makes weak when it compresses the file: If-None-Match compares
 *    weakly); files under /assets/ have content hashes in their names and
 *    are cached for a year (immutable), everything else is revalidated
 *    (no-cache);
 *  - a path whose last segment has no extension is a client-side route:
 *    index.html is sent (history-API fallback);
 *  - anything else is a JSON 404.
 *
 * Without a built SPA a small placeholder page says so.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/api_error.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/etag.h"
#include "core/mem.h"
#include "core/router.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/static.h"

#define STATIC_MAX_FILES 4096
#define STATIC_MAX_BYTES ((size_t)128 * 1024 * 1024)

struct static_file {
	char	   *path; /* URL path, "/assets/app-1234.js" */
	char	   *data;
	size_t	    len;
	const char *ctype;
	char	    etag[20];
	int	    immutable;
};

static struct static_file files[STATIC_MAX_FILES];
static size_t		  nfiles;
static size_t		  total_bytes;

static const char placeholder[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>clientd</title></head><body><h1>clientd</h1>"
    "<p>The API is running at <code>/api/v1</code>. The web app has not "
    "been built (frontend/dist is missing).</p></body></html>";

static const struct {
	const char *ext;
	const char *type;
} media_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
media_type(const char *path)
{
	const char *dot;
	size_t	    i;

	if ((dot = strrchr(path, '.')) == NULL)
		return ("application/octet-stream");
	for (i = 0; i < CORE_ARRAY_LEN(media_types); i++) {
		if (strcasecmp(dot, media_types[i].ext) == 0)
			return (media_types[i].type);
	}
	return ("application/octet-stream");
}

static int
read_file(const char *fs, struct static_file *f)
{
	struct stat st;
	ssize_t	    r;
	size_t	    off;
	int	    fd, rc = -1;
	char	    hex[SHA256_LEN * 2 + 1];

	if ((fd = open(fs, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &st) == -1 || st.st_size < 0 ||
	    (size_t)st.st_size > STATIC_MAX_BYTES - total_bytes)
		goto out;
	f->len = (size_t)st.st_size;
	f->data = mem_alloc(f->len + 1);
	for (off = 0; off < f->len; off += (size_t)r) {
		if ((r = read(fd, f->data + off, f->len - off)) <= 0) {
			free(f->data);
			f->data = NULL;
			goto out;
		}
	}
	crypto_sha256_hex(f->data, f->len, hex);
	snprintf(f->etag, sizeof(f->etag), "\"%.16s\"", hex);
	total_bytes += f->len;
	rc = 0;
out:
	close(fd);
	return (rc);
}

static void
load_dir(const char *root, const char *rel)
{
	DIR	      *d;
	struct dirent *e;
	struct stat    st;
	char	       fs[2048], url[1024];

	snprintf(fs, sizeof(fs), "%s%s", root, rel);
	if ((d = opendir(fs)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && nfiles < STATIC_MAX_FILES) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(url, sizeof(url), "%s/%s", rel, e->d_name) >=
			(int)sizeof(url) ||
		    snprintf(fs, sizeof(fs), "%s%s", root, url) >=
			(int)sizeof(fs) ||
		    stat(fs, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			load_dir(root, url);
			continue;
		}
		if (!S_ISREG(st.st_mode) || read_file(fs, &files[nfiles]) != 0)
			continue;
		files[nfiles].path = mem_strdup(url);
		files[nfiles].ctype = media_type(url);
		files[nfiles].immutable = strncmp(url, "/assets/", 8) == 0;
		nfiles++;
	}
	closedir(d);
}

/* Loads the SPA from dir; returns the number of files. */
int
static_load(const char *dir)
{
	if (dir[0] != '\0')
		load_dir(dir, "");
	return ((int)nfiles);
}

static const struct static_file *
find(const char *path)
{
	size_t i;

	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i].path, path) == 0)
			return (&files[i]);
	}
	return (NULL);
}

static void
send_file(struct request *req, const struct static_file *f)
{
	const char *inm;

	reply_security_headers(req->http, 1);
	reply_header(req, "etag", f->etag);
	reply_header(req, "cache-control",
	    f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	inm = request_header(req, "if-none-match");
	if (etag_none_match(inm, f->etag)) {
		http_response(req->http, 304, NULL, 0);
	} else {
		reply_header(req, "content-type", f->ctype);
		http_response(req->http, 200, f->data, f->len);
	}
	req->responded = 1;
}

void
static_serve(struct request *req)
{
	const struct static_file *f;
	const char		 *path = req->http->path, *last;

	if (!(req->method & (ROUTE_GET | ROUTE_HEAD))) {
		reply_header(req, "allow", "GET, HEAD");
		reply_errorf(req, API_ERR_METHOD,
		    "method %s is not allowed on \"%s\"",
		    http_method_text(req->http->method), path);
		return;
	}
	if (strstr(path, "/..") != NULL || strchr(path, '\\') != NULL) {
		reply_errorf(
		    req, API_ERR_ROUTE_NOT_FOUND, "no such file \"%s\"", path);
		return;
	}

	if (strcmp(path, "/") != 0 && (f = find(path)) != NULL) {
		send_file(req, f);
		return;
	}
	last = strrchr(path, '/');
	if (last != NULL && strchr(last, '.') != NULL) {
		reply_errorf(
		    req, API_ERR_ROUTE_NOT_FOUND, "no such file \"%s\"", path);
		return;
	}
	if ((f = find("/index.html")) != NULL) {
		send_file(req, f);
		return;
	}
	reply_security_headers(req->http, 1);
	reply_header(req, "content-type", "text/html; charset=utf-8");
	reply_header(req, "cache-control", "no-cache");
	http_response(req->http, 200, placeholder, sizeof(placeholder) - 1);
	req->responded = 1;
}
