/*
 * Allocation. Failure is fatal (core_fatal): no caller has a better answer
 * to running out of memory than stopping, and an error value for it would
 * be untested code on every path. Zero-byte requests get one byte, so a
 * result is never NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/mem.h"

void *
mem_alloc(size_t len)
{
	void *p;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		core_fatal("out of memory allocating %zu bytes", len);
	return (p);
}

void *
mem_calloc(size_t n, size_t len)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, len == 0 ? 1 : len)) == NULL)
		core_fatal("out of memory allocating %zu x %zu bytes", n, len);
	return (p);
}

void *
mem_realloc(void *old, size_t len)
{
	void *p;

	if ((p = realloc(old, len == 0 ? 1 : len)) == NULL)
		core_fatal("out of memory reallocating %zu bytes", len);
	return (p);
}

char *
mem_strdup(const char *s)
{
	return (mem_strndup(s, strlen(s)));
}

char *
mem_strndup(const char *s, size_t len)
{
	char *p;

	p = mem_alloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}
