/*
 * The registries the code declares, copied into the database for SQL to
 * read. The code is the one place each is declared; SQL needs them too:
 *
 *  - setting_defaults: the settings registry's defaults (core/settings.c),
 *    for setting_value() in lists and generated numbers;
 *  - ledger_kinds: the kinds of ledger entry and their sign rules
 *    (core/ledger.c), for ledger_post() and the trigger that keeps every
 *    entry to them (sql/functions/ledger.sql);
 *  - webhook_event_types: the event types webhooks deliver
 *    (core/events.c), for the trigger that queues deliveries
 *    (sql/functions/webhooks.sql).
 *
 * `clientd migrate` writes them (registry_sync, in its transaction, after
 * the migrations and function files), and the daemon and the worker refuse
 * to start when a table and their build disagree (registry_check): a build
 * was deployed without migrating.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/events.h"
#include "core/ledger.h"
#include "core/settings.h"
#include "pq/pq.h"

struct registry {
	const char *table;
	json_t *(*json)(void); /* a new reference */
	const char *sql_sync;  /* $1: the JSON */
	const char *sql_same;  /* $1: the JSON; one row, "t" or "f" */
};

static json_t *defaults_json(void);

/* clang-format off */
static const char sql_defaults_sync[] =
    "WITH d AS (SELECT key, value FROM jsonb_each($1::jsonb)), "
    "del AS (DELETE FROM setting_defaults s WHERE NOT EXISTS "
    "    (SELECT 1 FROM d WHERE d.key = s.key)) "
    "INSERT INTO setting_defaults (key, value) SELECT key, value FROM d "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value "
    "WHERE setting_defaults.value IS DISTINCT FROM EXCLUDED.value";

static const char sql_defaults_same[] =
    "SELECT COALESCE(jsonb_object_agg(key, value), '{}') = $1::jsonb AS same "
    "FROM setting_defaults";

#define LIMITS_FROM_JSON \
    "SELECT key, min, max FROM jsonb_to_recordset($1::jsonb) " \
    "    AS l(key text, min bigint, max bigint)"

static const char sql_limits_sync[] =
    "WITH l AS (" LIMITS_FROM_JSON "), "
    "del AS (DELETE FROM setting_limits s WHERE NOT EXISTS "
    "    (SELECT 1 FROM l WHERE l.key = s.key)) "
    "INSERT INTO setting_limits (key, min, max) SELECT key, min, max FROM l "
    "ON CONFLICT (key) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max "
    "WHERE (setting_limits.min, setting_limits.max) IS DISTINCT FROM "
    "    (EXCLUDED.min, EXCLUDED.max)";

static const char sql_limits_same[] =
    "SELECT ARRAY(SELECT row(key, min, max)::text FROM setting_limits "
    "    ORDER BY key) = "
    "ARRAY(SELECT row(key, min, max)::text FROM (" LIMITS_FROM_JSON ") l "
    "    ORDER BY key) AS same";

/* The "example" of each kind is for messages: the database needs none. */
#define LEDGER_KINDS_FROM_JSON \
    "SELECT kind, sign, moves_paid_to_date, postable " \
    "FROM jsonb_to_recordset($1::jsonb) AS k(kind text, sign text, " \
    "    moves_paid_to_date boolean, postable boolean)"

/* Deleting a kind that entries use fails on the foreign key, as it should. */
static const char sql_kinds_sync[] =
    "WITH k AS (" LEDGER_KINDS_FROM_JSON "), "
    "del AS (DELETE FROM ledger_kinds l WHERE NOT EXISTS "
    "    (SELECT 1 FROM k WHERE k.kind = l.kind)) "
    "INSERT INTO ledger_kinds (kind, sign, moves_paid_to_date, postable) "
    "SELECT kind, sign, moves_paid_to_date, postable FROM k "
    "ON CONFLICT (kind) DO UPDATE SET sign = EXCLUDED.sign, "
    "    moves_paid_to_date = EXCLUDED.moves_paid_to_date, "
    "    postable = EXCLUDED.postable "
    "WHERE (ledger_kinds.sign, ledger_kinds.moves_paid_to_date, "
    "    ledger_kinds.postable) IS DISTINCT FROM (EXCLUDED.sign, "
    "    EXCLUDED.moves_paid_to_date, EXCLUDED.postable)";

static const char sql_kinds_same[] =
    "SELECT ARRAY(SELECT row(kind, sign, moves_paid_to_date, postable)::text "
    "    FROM ledger_kinds ORDER BY kind) = "
    "ARRAY(SELECT row(kind, sign, moves_paid_to_date, postable)::text "
    "    FROM (" LEDGER_KINDS_FROM_JSON ") k ORDER BY kind) AS same";
#define EVENT_TYPES_FROM_JSON \
    "SELECT type, entity, description FROM jsonb_to_recordset($1::jsonb) " \
    "AS t(type text, entity text, description text)"

static const char sql_event_types_sync[] =
    "WITH t AS (" EVENT_TYPES_FROM_JSON "), "
    "del AS (DELETE FROM webhook_event_types e WHERE NOT EXISTS "
    "    (SELECT 1 FROM t WHERE t.type = e.type)) "
    "INSERT INTO webhook_event_types (type, entity, description) "
    "SELECT type, entity, description FROM t "
    "ON CONFLICT (type) DO UPDATE SET entity = EXCLUDED.entity, "
    "    description = EXCLUDED.description "
    "WHERE (webhook_event_types.entity, webhook_event_types.description) "
    "    IS DISTINCT FROM (EXCLUDED.entity, EXCLUDED.description)";

static const char sql_event_types_same[] =
    "SELECT ARRAY(SELECT row(type, entity, description)::text "
    "    FROM webhook_event_types ORDER BY type) = "
    "ARRAY(SELECT row(type, entity, description)::text "
    "    FROM (" EVENT_TYPES_FROM_JSON ") t ORDER BY type) AS same";
/* clang-format on */

static const struct registry registries[] = {
	{ "setting_defaults", defaults_json, sql_defaults_sync,
	    sql_defaults_same },
	{ "ledger_kinds", ledger_kinds_json, sql_kinds_sync, sql_kinds_same },
	{ "setting_limits", settings_limits_json, sql_limits_sync,
	    sql_limits_same },
	{ "webhook_event_types", events_types_json, sql_event_types_sync,
	    sql_event_types_same },
};

/* settings_defaults() is a borrowed reference; the table wants new ones. */
static json_t *
defaults_json(void)
{
	return (json_incref(settings_defaults()));
}

static char *
registry_text(const struct registry *r)
{
	json_t *j;
	char   *s;

	j = r->json();
	if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
		core_fatal("%s: the registry does not serialise", r->table);
	json_decref(j);
	return (s);
}

/* Writes every registry (run by `clientd migrate`). */
int
registry_sync(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	char	 *d, pgerr[1024];
	size_t	  i;

	for (i = 0; i < CORE_ARRAY_LEN(registries); i++) {
		d = registry_text(&registries[i]);
		res = PQ_QUERY(
		    conn, registries[i].sql_sync, pgerr, sizeof(pgerr), d);
		free(d);
		if (res == NULL) {
			snprintf(err, errlen, "could not write %s: %s",
			    registries[i].table, pgerr);
			return (-1);
		}
		PQclear(res);
	}
	return (0);
}

/* 0 when the database holds exactly this build's registries. */
int
registry_check(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	char	 *d;
	size_t	  i;
	int	  same;

	for (i = 0; i < CORE_ARRAY_LEN(registries); i++) {
		d = registry_text(&registries[i]);
		res = PQ_QUERY(conn, registries[i].sql_same, err, errlen, d);
		free(d);
		if (res == NULL)
			return (-1);
		same = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!same) {
			snprintf(err, errlen,
			    "%s in the database differs from "
			    "this build's: run \"clientd migrate\"",
			    registries[i].table);
			return (-1);
		}
	}
	return (0);
}
