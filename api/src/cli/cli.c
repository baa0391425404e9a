/*
 * What the clientd commands share: their options, how they report an
 * error, and how they connect.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "pq/pq.h"

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "clientd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

/* Connects to url, else the environment variable envname. */
PGconn *
cli_connect(const char *url, const char *envname)
{
	PGconn *conn;
	char	err[1024];

	if (url == NULL)
		url = getenv(envname);
	if (url == NULL || url[0] == '\0') {
		cli_error(
		    "no database: set %s or pass --database-url", envname);
		return (NULL);
	}
	if ((conn = pq_connect(url, err, sizeof(err))) == NULL)
		cli_error("%s", err);
	return (conn);
}
