/*
 * multipart/form-data, streaming. An upload of up to 100 MiB arrives as a
 * body that Kore keeps on disk; it is read in pieces and fed here, and
 * each part's content goes on to the caller as it comes, so nothing holds
 * the file. Parts are separated by CRLF "--" boundary; the search for that
 * delimiter holds back at most its own length of bytes between two feeds
 * (a delimiter cut by the end of a read is completed by the next one).
 *
 * The delimiter's only CR is its first byte, so after a partial match
 * fails the search resumes at the byte that failed it: no byte can start a
 * match inside the part already matched.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/multipart.h"

static void fail(struct multipart *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct multipart *m, int status, const char *fmt, ...)
{
	va_list ap;

	if (m->status != 0)
		return;
	m->status = status;
	va_start(ap, fmt);
	vsnprintf(m->error, sizeof(m->error), fmt, ap);
	va_end(ap);
}

/* RFC 2046 bchars. */
static int
bchar(char c)
{
	return (
	    isalnum((unsigned char)c) || strchr("'()+_,-./:=? ", c) != NULL);
}

int
multipart_boundary(const char *ctype, char *out, size_t outlen)
{
	const char *p, *v;
	size_t	    n;

	if (ctype == NULL)
		return (CORE_E_INVALID);
	while (*ctype == ' ')
		ctype++;
	if (strncasecmp(ctype, "multipart/form-data", 19) != 0 ||
	    (ctype[19] != ';' && ctype[19] != ' ' && ctype[19] != '\0'))
		return (CORE_E_INVALID);
	for (p = ctype + 19; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		v = p + 9;
		if (*v == '"') {
			v++;
			n = strcspn(v, "\"");
			if (v[n] != '"')
				return (CORE_E_INVALID);
		} else {
			n = strcspn(v, "; \t");
		}
		if (n == 0 || n > MULTIPART_BOUNDARY_MAX || n >= outlen ||
		    v[n - 1] == ' ')
			return (CORE_E_INVALID);
		memcpy(out, v, n);
		out[n] = '\0';
		for (p = out; *p != '\0'; p++) {
			if (!bchar(*p))
				return (CORE_E_INVALID);
		}
		return (0);
	}
	return (CORE_E_INVALID);
}

void
multipart_init(struct multipart *m, const char *boundary,
    const struct multipart_cb *cb, void *arg)
{
	memset(m, 0, sizeof(*m));
	m->cb = cb;
	m->arg = arg;
	snprintf(m->delim, sizeof(m->delim), "\r\n--%.*s",
	    MULTIPART_BOUNDARY_MAX, boundary);
	m->dlen = strlen(m->delim);
	m->state = MULTIPART_PREAMBLE;
	/* The first boundary has no CRLF before it: count it as seen. */
	m->matched = 2;
}

static void
emit(struct multipart *m, const char *s, size_t n)
{
	if (m->state != MULTIPART_BODY || n == 0 || m->status != 0)
		return;
	if (m->cb->data(s, n, m->arg) != 0)
		m->status = MULTIPART_STOPPED;
}

/*
 * A parameter of a Content-Disposition value: name="x" or name=x, with
 * backslash escapes in a quoted string. Returns 1 when found.
 */
static int
disposition_param(const char *v, const char *name, char *out, size_t outlen)
{
	const char *p = v;
	size_t	    nlen = strlen(name), o = 0;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, name, nlen) != 0 || p[nlen] != '=')
			continue;
		p += nlen + 1;
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (o + 1 < outlen)
					out[o++] = *p;
			}
			if (*p != '"')
				return (0);
		} else {
			for (; *p != '\0' && *p != ';' && *p != ' '; p++) {
				if (o + 1 < outlen)
					out[o++] = *p;
			}
		}
		out[o] = '\0';
		return (1);
	}
	return (0);
}

/* Reads the part's headers (the bytes before the blank line). */
static int
parse_headers(struct multipart *m)
{
	struct multipart_part *pt = &m->part;
	char		      *line, *next, *colon, *v;
	int		       disposition = 0;

	memset(pt, 0, sizeof(*pt));
	m->headers[m->hlen] = '\0';
	for (line = m->headers; line != NULL && *line != '\0'; line = next) {
		if ((next = strstr(line, "\r\n")) != NULL) {
			*next = '\0';
			next += 2;
		}
		if ((colon = strchr(line, ':')) == NULL) {
			fail(m, CORE_E_INVALID, "a part header has no colon");
			return (-1);
		}
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (strcasecmp(line, "content-disposition") == 0) {
			if (strncasecmp(v, "form-data", 9) != 0 ||
			    !disposition_param(
				v, "name", pt->name, sizeof(pt->name)) ||
			    pt->name[0] == '\0') {
				fail(m, CORE_E_INVALID,
				    "a part is not form-data with a name");
				return (-1);
			}
			pt->is_file = disposition_param(
			    v, "filename", pt->filename, sizeof(pt->filename));
			disposition = 1;
		} else if (strcasecmp(line, "content-type") == 0) {
			snprintf(pt->content_type, sizeof(pt->content_type),
			    "%s", v);
		}
	}
	if (!disposition) {
		fail(m, CORE_E_INVALID, "a part has no Content-Disposition");
		return (-1);
	}
	if (++m->parts > MULTIPART_PARTS_MAX) {
		fail(m, CORE_E_TOOBIG, "the body has more than %d parts",
		    MULTIPART_PARTS_MAX);
		return (-1);
	}
	return (0);
}

/* The full delimiter was just read: the part before it (if any) ends. */
static void
on_delimiter(struct multipart *m)
{
	if (m->state == MULTIPART_BODY && m->cb->end(m->arg) != 0)
		m->status = MULTIPART_STOPPED;
	m->state = MULTIPART_AFTER_BOUNDARY;
	m->nafter = 0;
	m->matched = 0;
}

/* Bytes after a boundary: "--" ends the body, CRLF starts a part. */
static size_t
feed_after(struct multipart *m, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && m->nafter < 2) {
		if (m->nafter == 0 && (s[i] == ' ' || s[i] == '\t')) {
			i++; /* transport padding */
			continue;
		}
		m->after[m->nafter++] = s[i++];
	}
	if (m->nafter < 2)
		return (i);
	if (m->after[0] == '-' && m->after[1] == '-') {
		m->state = MULTIPART_DONE;
	} else if (m->after[0] == '\r' && m->after[1] == '\n') {
		m->state = MULTIPART_HEADERS;
		m->hlen = 0;
	} else {
		fail(m, CORE_E_INVALID,
		    "a boundary line is followed by neither CRLF nor \"--\"");
	}
	return (i);
}

static size_t
feed_headers(struct multipart *m, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (m->hlen + 1 >= sizeof(m->headers)) {
			fail(m, CORE_E_TOOBIG,
			    "a part's headers are longer than %d bytes",
			    MULTIPART_HEADERS_MAX);
			return (i);
		}
		m->headers[m->hlen++] = s[i];
		if (m->hlen == 2 && memcmp(m->headers, "\r\n", 2) == 0) {
			m->hlen = 0; /* a part without headers */
			fail(m, CORE_E_INVALID, "a part has no headers");
			return (i + 1);
		}
		if (m->hlen >= 4 &&
		    memcmp(m->headers + m->hlen - 4, "\r\n\r\n", 4) == 0) {
			m->hlen -= 4;
			if (parse_headers(m) != 0)
				return (i + 1);
			m->state = MULTIPART_BODY;
			m->matched = 0;
			if (m->cb->begin(&m->part, m->arg) != 0)
				m->status = MULTIPART_STOPPED;
			return (i + 1);
		}
	}
	return (i);
}

/* The preamble or a part's content, up to the next delimiter. */
static size_t
feed_content(struct multipart *m, const char *s, size_t len)
{
	const char *cr;
	size_t	    i = 0;

	while (i < len && m->status == 0) {
		if (m->matched > 0) {
			while (i < len && m->matched < m->dlen &&
			    s[i] == m->delim[m->matched]) {
				i++;
				m->matched++;
			}
			if (m->matched == m->dlen) {
				on_delimiter(m);
				return (i);
			}
			if (i == len)
				return (i);
			/* Not the delimiter: what was held back is content. */
			emit(m, m->delim, m->matched);
			m->matched = 0;
			continue;
		}
		if ((cr = memchr(s + i, '\r', len - i)) == NULL) {
			emit(m, s + i, len - i);
			return (len);
		}
		emit(m, s + i, (size_t)(cr - (s + i)));
		i = (size_t)(cr - s) + 1;
		m->matched = 1;
	}
	return (i);
}

int
multipart_feed(struct multipart *m, const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len && m->status == 0) {
		switch (m->state) {
		case MULTIPART_PREAMBLE:
		case MULTIPART_BODY:
			n = feed_content(m, s + i, len - i);
			break;
		case MULTIPART_AFTER_BOUNDARY:
			n = feed_after(m, s + i, len - i);
			break;
		case MULTIPART_HEADERS:
			n = feed_headers(m, s + i, len - i);
			break;
		default:
			n = len - i; /* the epilogue is ignored */
			break;
		}
		i += n;
		m->offset += n;
	}
	return (m->status);
}

int
multipart_finish(struct multipart *m)
{
	if (m->status != 0)
		return (m->status);
	if (m->state != MULTIPART_DONE) {
		fail(m, CORE_E_INVALID,
		    m->parts == 0
			? "the body has no multipart boundary line"
			: "the body ends before its closing boundary");
		return (m->status);
	}
	return (0);
}
