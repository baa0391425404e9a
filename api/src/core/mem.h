/*
 * Allocation that never returns NULL (core/mem.c).
 */
#ifndef CLIENTD_CORE_MEM_H
#define CLIENTD_CORE_MEM_H

#include <stddef.h>

void *mem_alloc(size_t);
void *mem_calloc(size_t, size_t);
void *mem_realloc(void *, size_t);
char *mem_strdup(const char *);
char *mem_strndup(const char *, size_t);

#endif
