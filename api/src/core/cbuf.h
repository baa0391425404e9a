/*
 * A growable byte buffer; data is always NUL-terminated (core/cbuf.c).
 */
#ifndef CLIENTD_CORE_CBUF_H
#define CLIENTD_CORE_CBUF_H

#include <stddef.h>

struct cbuf {
	char  *data;
	size_t len;
	size_t cap;
};

void cbuf_init(struct cbuf *, size_t);
void cbuf_cleanup(struct cbuf *);
void cbuf_reset(struct cbuf *);
void cbuf_append(struct cbuf *, const void *, size_t);
void cbuf_appendstr(struct cbuf *, const char *);
void cbuf_appendf(struct cbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void  cbuf_append_json_string(struct cbuf *, const char *);
void  cbuf_append_json_min(struct cbuf *, const char *);
char *cbuf_release(struct cbuf *, size_t *);

#endif
