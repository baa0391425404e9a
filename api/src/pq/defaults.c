/*
 * The settings registry's defaults in the database. The registry is code
 * (core/settings.c); SQL resolves settings too (setting_value(), for lists
 * and generated numbers), so `clientd migrate` writes the defaults to
 * setting_defaults, and the daemon and the worker refuse to start when the
 * table and their registry disagree (a build was deployed without
 * migrating).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/settings.h"
#include "pq/pq.h"

static const char sql_sync[] =
    "WITH d AS (SELECT key, value FROM jsonb_each($1::jsonb)), "
    "del AS (DELETE FROM setting_defaults s WHERE NOT EXISTS "
    "    (SELECT 1 FROM d WHERE d.key = s.key)) "
    "INSERT INTO setting_defaults (key, value) SELECT key, value FROM d "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value "
    "WHERE setting_defaults.value IS DISTINCT FROM EXCLUDED.value";

static const char sql_compare[] =
    "SELECT COALESCE(jsonb_object_agg(key, value), '{}') = $1::jsonb AS same "
    "FROM setting_defaults";

static char *
defaults_text(void)
{
	char	*s;

	if ((s = json_dumps(settings_defaults(), JSON_COMPACT)) == NULL)
		core_fatal("settings defaults do not serialise");
	return (s);
}

/* Writes the registry's defaults (run by `clientd migrate`). */
int
defaults_sync(PGconn *conn, char *err, size_t errlen)
{
	PGresult	*r;
	char		*d;

	d = defaults_text();
	r = PQ_QUERY(conn, sql_sync, err, errlen, d);
	free(d);
	if (r == NULL)
		return (-1);
	PQclear(r);
	return (0);
}

/* 0 when the database holds exactly this build's defaults. */
int
defaults_check(PGconn *conn, char *err, size_t errlen)
{
	PGresult	*r;
	char		*d;
	int		 rc = -1;

	d = defaults_text();
	r = PQ_QUERY(conn, sql_compare, err, errlen, d);
	free(d);
	if (r == NULL)
		return (-1);
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
		rc = 0;
	else
		snprintf(err, errlen, "the settings defaults in the database "
		    "differ from this build's: run \"clientd migrate\"");
	PQclear(r);
	return (rc);
}
