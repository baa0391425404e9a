/*
 * clientd check-ledger: proves, for every client of every company, that
 * the balance and paid-to-date equal the sums of the client's ledger and
 * that each entry's balance_after and paid_to_date_after are the running
 * sums (ledger_check() in sql/functions/ledger.sql). Runs as the owner role,
 * which row-level security does not limit. Exits 1 on any difference.
 */
#include <stdio.h>

#include "cli/cli_ledger.h"
#include "pq/pq.h"

/* clang-format off */
static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM clients) AS clients, "
    "    (SELECT count(*) FROM ledger_entries) AS entries";

static const char sql_check[] =
    "SELECT co.name AS company, k.client_id, COALESCE(k.entry_id, '-') AS entry, "
    "    k.problem, k.expected, k.actual "
    "FROM ledger_check() k JOIN companies co ON co.id = k.company_id "
    "ORDER BY co.name, k.client_id, k.entry_id";
/* clang-format on */

int
cli_ledger_check(const struct cli_opts *o)
{
	PGconn	 *conn;
	PGresult *counts = NULL, *diffs = NULL;
	char	  err[1024];
	int	  i, n, rc = 1;

	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		return (1);
	if ((counts = PQ_QUERY(conn, sql_counts, err, sizeof(err))) == NULL ||
	    (diffs = PQ_QUERY(conn, sql_check, err, sizeof(err))) == NULL) {
		cli_error("%s", err);
		goto out;
	}
	n = PQntuples(diffs);
	for (i = 0; i < n; i++)
		printf("%s: client %s entry %s: %s (expected %s, found %s)\n",
		    PQgetvalue(diffs, i, 0), PQgetvalue(diffs, i, 1),
		    PQgetvalue(diffs, i, 2), PQgetvalue(diffs, i, 3),
		    PQgetvalue(diffs, i, 4), PQgetvalue(diffs, i, 5));
	printf("ledger check: %s clients, %s entries, %d differences\n",
	    PQgetvalue(counts, 0, 0), PQgetvalue(counts, 0, 1), n);
	rc = n == 0 ? 0 : 1;
out:
	PQclear(counts);
	PQclear(diffs);
	PQfinish(conn);
	return (rc);
}
