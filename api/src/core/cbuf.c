/*
 * A growable byte buffer that always ends in NUL, and the JSON helpers
 * that write into one (a JSON string, and PostgreSQL's JSON text without
 * its insignificant white space).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cbuf.h"
#include "core/core.h"
#include "core/mem.h"

void
cbuf_init(struct cbuf *b, size_t initial)
{
	b->cap = initial < 64 ? 64 : initial;
	b->data = mem_alloc(b->cap);
	b->data[0] = '\0';
	b->len = 0;
}

void
cbuf_cleanup(struct cbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
cbuf_reset(struct cbuf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* Grows b so that len more bytes and a NUL fit; checks for overflow. */
static void
cbuf_reserve(struct cbuf *b, size_t len)
{
	size_t need;

	if (len > SIZE_MAX - b->len - 1)
		core_fatal("cbuf: size overflow");
	need = b->len + len + 1;
	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = mem_realloc(b->data, b->cap);
}

void
cbuf_append(struct cbuf *b, const void *data, size_t len)
{
	cbuf_reserve(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
cbuf_appendstr(struct cbuf *b, const char *s)
{
	cbuf_append(b, s, strlen(s));
}

void
cbuf_appendf(struct cbuf *b, const char *fmt, ...)
{
	va_list ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		core_fatal("cbuf_appendf: bad format");

	cbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n)
		core_fatal("cbuf_appendf: vsnprintf changed its mind");
	va_end(ap);
	b->len += (size_t)n;
}

/* Bytes that a JSON string cannot hold as they are (RFC 8259, 7). */
static const unsigned char json_special[256] = {
	[0x00] = 1,
	[0x01] = 1,
	[0x02] = 1,
	[0x03] = 1,
	[0x04] = 1,
	[0x05] = 1,
	[0x06] = 1,
	[0x07] = 1,
	[0x08] = 1,
	[0x09] = 1,
	[0x0a] = 1,
	[0x0b] = 1,
	[0x0c] = 1,
	[0x0d] = 1,
	[0x0e] = 1,
	[0x0f] = 1,
	[0x10] = 1,
	[0x11] = 1,
	[0x12] = 1,
	[0x13] = 1,
	[0x14] = 1,
	[0x15] = 1,
	[0x16] = 1,
	[0x17] = 1,
	[0x18] = 1,
	[0x19] = 1,
	[0x1a] = 1,
	[0x1b] = 1,
	[0x1c] = 1,
	[0x1d] = 1,
	[0x1e] = 1,
	[0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
};

/* The escape of byte c, one that json_special[] names. */
static const char *
json_escape(unsigned char c, char *esc, size_t len)
{
	switch (c) {
	case '"':
		return ("\\\"");
	case '\\':
		return ("\\\\");
	case '\n':
		return ("\\n");
	case '\r':
		return ("\\r");
	case '\t':
		return ("\\t");
	default:
		snprintf(esc, len, "\\u%04x", c);
		return (esc);
	}
}

/*
 * Appends s as a JSON string literal, quotes included: the runs of bytes
 * that need no escape in one copy each.
 */
void
cbuf_append_json_string(struct cbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char		     esc[8];

	cbuf_append(b, "\"", 1);
	for (; *p != '\0'; p++) {
		if (!json_special[*p])
			continue;
		cbuf_append(b, run, (size_t)(p - run));
		cbuf_appendstr(b, json_escape(*p, esc, sizeof(esc)));
		run = p + 1;
	}
	cbuf_append(b, run, (size_t)(p - run));
	cbuf_append(b, "\"", 1);
}

/* Hands the bytes to the caller (free() them); b is left empty. */
char *
cbuf_release(struct cbuf *b, size_t *len)
{
	char *p;

	p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return (p);
}

/*
 * Appends JSON text s without the whitespace between tokens (PostgreSQL's
 * json_build_object() writes "key" : value). Strings are copied verbatim,
 * escapes included; s is trusted to be valid JSON.
 */
void
cbuf_append_json_min(struct cbuf *b, const char *s)
{
	const char *p, *run;
	int	    in_str = 0;

	cbuf_reserve(b, strlen(s));
	for (p = run = s; *p != '\0'; p++) {
		if (in_str) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '"') {
			in_str = 1;
		} else if (*p == ' ' || *p == '\n' || *p == '\t' ||
		    *p == '\r') {
			cbuf_append(b, run, (size_t)(p - run));
			run = p + 1;
		}
	}
	cbuf_append(b, run, (size_t)(p - run));
}
