/*
 * UTF-8 (core/utf8.c).
 */
#ifndef CLIENTD_CORE_UTF8_H
#define CLIENTD_CORE_UTF8_H

#include <stddef.h>

#include <jansson.h>

size_t utf8_length(const char *);
size_t utf8_length_n(const char *, size_t);
size_t utf8_seq_len(const char *, size_t);
int    utf8_valid(const char *, size_t);
/* A JSON string of s, any invalid UTF-8 replaced by '?' (new reference). */
json_t *utf8_json_lossy(const char *);

#endif
