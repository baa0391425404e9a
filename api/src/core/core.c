/*
 * What every part of clientd's core shares: the error-code convention and
 * the one way to stop on a broken invariant. Out of memory and "cannot
 * happen" states call core_fatal(): no caller has a better answer to them
 * than stopping, and an error value for them would be untested code on
 * every path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/core.h"

void
core_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "clientd: fatal: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
