/*
 * multipart/form-data bodies (issue 16), as uploads send them: the
 * Content-Type's boundary, then the body read whole and in pieces of a
 * size the input picks; both readings must hand on the same parts and
 * content, and content must never hold the delimiter.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/multipart.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
on_begin(const struct multipart_part *p, void *arg)
{
	if (strlen(p->name) == 0 || strlen(p->name) >= MULTIPART_NAME_MAX)
		abort();
	cbuf_appendf(arg, "<%s|%s|%s>", p->name, p->filename, p->content_type);
	return (0);
}

static int
on_data(const char *s, size_t n, void *arg)
{
	if (n == 0)
		abort();
	cbuf_append(arg, s, n);
	return (0);
}

static int
on_end(void *arg)
{
	cbuf_append(arg, "</>", 3);
	return (0);
}

static const struct multipart_cb cbs = { on_begin, on_data, on_end };

static int
read_body(const char *boundary, const uint8_t *body, size_t len, size_t step,
    struct cbuf *log)
{
	struct multipart m;
	size_t		 i, n;
	int		 rc = 0;

	multipart_init(&m, boundary, &cbs, log);
	for (i = 0; i < len && rc == 0; i += n) {
		n = len - i < step ? len - i : step;
		rc = multipart_feed(&m, (const char *)body + i, n);
	}
	if (rc == 0)
		rc = multipart_finish(&m);
	cbuf_appendf(log, "=%d", rc);
	return (rc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cbuf whole, pieces;
	const char *nl;
	char	   *ctype, boundary[MULTIPART_BOUNDARY_MAX + 1];
	size_t	    step;

	/* The first line is the Content-Type, the rest the body. */
	if (len < 2)
		return (0);
	step = (size_t)data[0] % 13 + 1;
	data++;
	len--;
	if ((nl = memchr(data, '\n', len)) == NULL)
		return (0);
	ctype = fuzz_string(data, (size_t)(nl - (const char *)data));
	if (multipart_boundary(ctype, boundary, sizeof(boundary)) == 0) {
		len -= (size_t)(nl + 1 - (const char *)data);
		data = (const uint8_t *)nl + 1;
		cbuf_init(&whole, 256);
		cbuf_init(&pieces, 256);
		(void)read_body(boundary, data, len, len + 1, &whole);
		(void)read_body(boundary, data, len, step, &pieces);
		if (whole.len != pieces.len ||
		    memcmp(whole.data, pieces.data, whole.len) != 0)
			abort();
		cbuf_cleanup(&whole);
		cbuf_cleanup(&pieces);
	}
	free(ctype);
	return (0);
}
