/*
 * Documents: the pure decisions about a file (core/documents.h).
 *
 * A stored name never carries a path, a control character or a quote, so
 * that no header, file system or shell that meets it later is surprised;
 * the original name still reaches the user intact through the
 * Content-Disposition's filename* (RFC 6266, RFC 8187), with an ASCII
 * fallback for old clients. What a file is served as and whether it may be
 * shown inline are decided from both what the uploader declared and what
 * its bytes are: HTML, SVG and XML are never shown inline, whatever they
 * are called.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/documents.h"
#include "core/utf8.h"

/* Appends one byte to out (at most DOCUMENTS_NAME_MAX). */
static void
name_put(char *out, size_t *n, char c)
{
	if (*n < DOCUMENTS_NAME_MAX)
		out[(*n)++] = c;
}

void
documents_name(const char *in, size_t len, char *out)
{
	char	    tmp[DOCUMENTS_NAME_MAX * 4 + 1];
	size_t	    i = 0, n = 0, k, cut, ext;
	const char *dot;

	while (i < len && n < sizeof(tmp) - 4) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80) {
			if ((k = utf8_seq_len(in + i, len - i)) == 0) {
				tmp[n++] = '_';
				i++;
				continue;
			}
			memcpy(tmp + n, in + i, k);
			n += k;
			i += k;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (c == '/' || c == '\\' || c == '"' || c == '\'' ||
		    c == '`' || c == '<' || c == '>' || c == '|' || c == ':' ||
		    c == '*' || c == '?')
			c = '_';
		if (n == 0 && (c == '.' || c == ' '))
			c = 0;
		if (c != 0)
			tmp[n++] = (char)c;
		i++;
	}
	while (n > 0 && (tmp[n - 1] == ' ' || tmp[n - 1] == '.'))
		n--;
	tmp[n] = '\0';
	if (n == 0) {
		snprintf(out, DOCUMENTS_NAME_MAX + 1, "file");
		return;
	}
	if (n <= DOCUMENTS_NAME_MAX) {
		memcpy(out, tmp, n + 1);
		return;
	}
	/* Too long: cut the stem at a character, keep a short extension. */
	dot = strrchr(tmp, '.');
	ext = dot != NULL && strlen(dot) <= 16 ? strlen(dot) : 0;
	cut = DOCUMENTS_NAME_MAX - ext;
	while (cut > 0 && ((unsigned char)tmp[cut] & 0xc0) == 0x80)
		cut--;
	n = 0;
	for (k = 0; k < cut; k++)
		name_put(out, &n, tmp[k]);
	for (k = 0; k < ext; k++)
		name_put(out, &n, dot[k]);
	out[n] = '\0';
}

int
documents_name_check(const char *s, char *msg, size_t len)
{
	size_t n = strlen(s), i;

	if (n == 0) {
		snprintf(msg, len, "a name must not be empty");
		return (CORE_E_INVALID);
	}
	if (n > DOCUMENTS_NAME_MAX) {
		snprintf(msg, len, "a name may have at most %d bytes",
		    DOCUMENTS_NAME_MAX);
		return (CORE_E_TOOBIG);
	}
	if (!utf8_valid(s, n)) {
		snprintf(msg, len, "a name must be UTF-8 text");
		return (CORE_E_INVALID);
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(msg, len,
			    "a name must not contain control characters");
			return (CORE_E_INVALID);
		}
		if (c == '/' || c == '\\') {
			snprintf(msg, len, "a name must not contain \"%c\"", c);
			return (CORE_E_INVALID);
		}
	}
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || s[0] == ' ' ||
	    s[n - 1] == ' ') {
		snprintf(msg, len,
		    "a name must not be \".\" or \"..\", nor begin or end "
		    "with a space");
		return (CORE_E_INVALID);
	}
	return (0);
}

/* Whether the text after leading white space starts with word (any case). */
static int
starts_ci(const unsigned char *p, size_t len, const char *word)
{
	size_t i = 0, w = strlen(word);

	while (i < len &&
	    (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n' ||
		p[i] == '\f'))
		i++;
	if (len >= 3 && i == 0 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return (starts_ci(p + 3, len - 3, word));
	return (len - i >= w && strncasecmp((const char *)p + i, word, w) == 0);
}

/* Whether the bytes hold word anywhere (any case). */
static int
holds_ci(const unsigned char *p, size_t len, const char *word)
{
	size_t i, w = strlen(word);

	for (i = 0; i + w <= len; i++) {
		if (strncasecmp((const char *)p + i, word, w) == 0)
			return (1);
	}
	return (0);
}

static const struct {
	const char *magic;
	size_t	    len;
	const char *type;
} magics[] = {
	{ "%PDF-", 5, "application/pdf" },
	{ "\x89PNG\r\n\x1a\n", 8, "image/png" },
	{ "\xff\xd8\xff", 3, "image/jpeg" },
	{ "GIF87a", 6, "image/gif" },
	{ "GIF89a", 6, "image/gif" },
	{ "PK\x03\x04", 4, "application/zip" },
	{ "\x1f\x8b", 2, "application/gzip" },
	{ "%!PS", 4, "application/postscript" },
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "application/x-ole-storage" },
};

static const char *const markup[] = { "<!doctype html", "<html", "<head",
	"<body", "<script", "<iframe", "<title", "<style", "<div", "<a ",
	"<img", "<table", "<p>", "<br", "<h1", "<font", "<b>", "<!--" };

const char *
documents_sniff(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < CORE_ARRAY_LEN(magics); i++) {
		if (len >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return (magics[i].type);
	}
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return ("image/webp");
	if (starts_ci(p, len, "<svg") ||
	    (starts_ci(p, len, "<?xml") && holds_ci(p, len, "<svg")))
		return ("image/svg+xml");
	for (i = 0; i < CORE_ARRAY_LEN(markup); i++) {
		if (starts_ci(p, len, markup[i]))
			return ("text/html");
	}
	if (starts_ci(p, len, "<?xml"))
		return ("application/xml");
	if (len == 0)
		return ("application/octet-stream");
	if (memchr(p, '\0', len) == NULL) {
		/* Text, unless cut in the middle of a character. */
		for (i = len; i > 0 && len - i < 4; i--) {
			if (utf8_valid((const char *)p, i))
				return ("text/plain");
		}
	}
	return ("application/octet-stream");
}

static int
token_char(int c)
{
	return (isalnum(c) || strchr("!#$&-^_.+", c) != NULL);
}

int
documents_type_normalize(const char *in, char *out)
{
	size_t n = 0, slash = 0;
	int    c;

	if (in == NULL)
		return (CORE_E_INVALID);
	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in != '\0' && *in != ';' && *in != ' ' && *in != '\t'; in++) {
		c = (unsigned char)*in;
		if (c == '/' && slash == 0 && n > 0)
			slash = n;
		else if (!token_char(c))
			return (CORE_E_INVALID);
		if (n + 1 >= DOCUMENTS_TYPE_MAX)
			return (CORE_E_INVALID);
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	if (slash == 0 || slash + 1 >= n)
		return (CORE_E_INVALID);
	return (0);
}

void
documents_type_choose(const char *declared, const char *sniffed, char *out)
{
	char t[DOCUMENTS_TYPE_MAX];

	if (documents_type_normalize(declared, t) == 0 &&
	    strcmp(t, "application/octet-stream") != 0) {
		snprintf(out, DOCUMENTS_TYPE_MAX, "%s", t);
		return;
	}
	snprintf(out, DOCUMENTS_TYPE_MAX, "%s", sniffed);
}

int
documents_inline_ok(const char *type, const char *sniffed)
{
	static const char *const ok[] = { "image/png", "image/jpeg",
		"image/gif", "image/webp", "application/pdf" };
	size_t			 i;

	if (strcmp(type, sniffed) != 0)
		return (0);
	for (i = 0; i < CORE_ARRAY_LEN(ok); i++) {
		if (strcmp(type, ok[i]) == 0)
			return (1);
	}
	return (0);
}

/* RFC 8187's attr-char: what filename* keeps as it is. */
static int
attr_char(int c)
{
	return (isalnum(c) || strchr("!#$&+-.^_`|~", c) != NULL);
}

int
documents_disposition(
    const char *disposition, const char *name, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		  n, i;
	int		  w;

	w = snprintf(out, len, "%s; filename=\"", disposition);
	if (w < 0 || (size_t)w >= len)
		return (CORE_E_TOOBIG);
	n = (size_t)w;
	for (i = 0; name[i] != '\0'; i++) {
		unsigned char c = (unsigned char)name[i];

		if (n + 2 >= len)
			return (CORE_E_TOOBIG);
		/* The fallback: printable ASCII but quote, backslash, %. */
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%')
			c = '_';
		/* One '_' per character, not per byte. */
		if ((unsigned char)name[i] >= 0x80 &&
		    ((unsigned char)name[i] & 0xc0) == 0x80)
			continue;
		out[n++] = (char)c;
	}
	w = snprintf(out + n, len - n, "\"; filename*=UTF-8''");
	if (w < 0 || (size_t)w >= len - n)
		return (CORE_E_TOOBIG);
	n += (size_t)w;
	for (i = 0; name[i] != '\0'; i++) {
		unsigned char c = (unsigned char)name[i];

		if (n + 4 >= len)
			return (CORE_E_TOOBIG);
		if (attr_char(c)) {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
	return (0);
}

/* A decimal of at most 19 digits at *p; advances *p. */
static int
range_number(const char **p, uint64_t *v)
{
	int digits = 0;

	*v = 0;
	while (**p >= '0' && **p <= '9') {
		if (++digits > 19)
			return (CORE_E_INVALID);
		*v = *v * 10 + (uint64_t)(**p - '0');
		(*p)++;
	}
	return (digits > 0 ? 0 : CORE_E_INVALID);
}

int
documents_range(const char *h, uint64_t size, uint64_t *first, uint64_t *last)
{
	const char *p;
	uint64_t    a, b;

	if (h == NULL || strncasecmp(h, "bytes=", 6) != 0)
		return (DOCUMENTS_RANGE_WHOLE);
	p = h + 6;
	while (*p == ' ')
		p++;
	if (strchr(p, ',') != NULL)
		return (DOCUMENTS_RANGE_WHOLE); /* several: the whole body */
	if (*p == '-') {
		p++;
		if (range_number(&p, &b) != 0 || *p != '\0')
			return (DOCUMENTS_RANGE_WHOLE);
		if (b == 0 || size == 0)
			return (DOCUMENTS_RANGE_UNSATISFIABLE);
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return (DOCUMENTS_RANGE_PARTIAL);
	}
	if (range_number(&p, &a) != 0 || *p++ != '-')
		return (DOCUMENTS_RANGE_WHOLE);
	if (*p == '\0') {
		b = UINT64_MAX;
	} else if (range_number(&p, &b) != 0 || *p != '\0' || b < a) {
		return (DOCUMENTS_RANGE_WHOLE);
	}
	if (a >= size)
		return (DOCUMENTS_RANGE_UNSATISFIABLE);
	*first = a;
	*last = b >= size ? size - 1 : b;
	return (DOCUMENTS_RANGE_PARTIAL);
}
