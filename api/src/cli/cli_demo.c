/*
 * Demo data, loaded once: "Demo Company" (owner@demo.test) with 200
 * clients and their contacts, and "Other Company" (owner@other.test),
 * both with the documented demo-only password. The client rows come from
 * the embedded scripts in sql/demo/, run with the Demo Company as tenant.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_demo.h"
#include "cli/cli_users.h"
#include "core/password.h"
#include "pq/pq.h"

/* clang-format off */
#define DEMO_PASSWORD	"clientd-demo"

static const char sql_seeded[] =
    "SELECT 1 FROM users WHERE lower(email) = 'owner@demo.test'";

static const char sql_tenant[] =
    "SELECT set_config('app.company_id', c.id::text, true), "
    "    set_config('app.user_id', u.id::text, true), "
    "    set_config('app.actor_type', 'system', true), "
    "    set_config('app.actor_name', 'clientd demo', true) "
    "FROM users u JOIN companies c ON c.id = u.company_id "
    "WHERE u.public_id = $1";
/* clang-format on */

/* Runs the demo scripts in the caller's transaction. */
static int
run_scripts(PGconn *conn, const char *owner_id)
{
	PGresult *r;
	char	  err[2048];
	size_t	  i;

	if ((r = PQ_QUERY(conn, sql_tenant, err, sizeof(err), owner_id)) ==
	    NULL) {
		cli_error("%s", err);
		return (-1);
	}
	PQclear(r);
	for (i = 0; i < pq_demo_scripts_count; i++) {
		if (pq_exec(conn, pq_demo_scripts[i].sql, err, sizeof(err)) !=
		    0) {
			cli_error("demo script %s failed: %s",
			    pq_demo_scripts[i].name, err);
			return (-1);
		}
	}
	return (0);
}

int
cli_demo(const struct cli_opts *o)
{
	PGconn	 *conn;
	PGresult *r;
	char	  hash[PASSWORD_HASH_MAX], hash2[PASSWORD_HASH_MAX];
	char	  id[32], other[32], err[512];
	int	  rc = 1;

	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		return (1);
	if ((r = pq_query(conn, sql_seeded, 0, NULL, err, sizeof(err))) ==
	    NULL) {
		cli_error("%s", err);
		goto out;
	}
	if (PQntuples(r) > 0) {
		PQclear(r);
		printf("demo data is already loaded\n");
		rc = 0;
		goto out;
	}
	PQclear(r);

	/* One hash each: a shared hash would share its salt. */
	if (password_hash(DEMO_PASSWORD, hash) != 0 ||
	    password_hash(DEMO_PASSWORD, hash2) != 0) {
		cli_error("could not hash the demo password");
		goto out;
	}
	if (cli_users_tx(conn, "BEGIN") != 0)
		goto out;
	if (cli_users_insert(conn, NULL, "Demo Company", "owner@demo.test",
		"Demo Owner", "owner", hash, id, sizeof(id)) != 0 ||
	    cli_users_insert(conn, NULL, "Other Company", "owner@other.test",
		"Other Owner", "owner", hash2, other, sizeof(other)) != 0 ||
	    run_scripts(conn, id) != 0 || cli_users_tx(conn, "COMMIT") != 0) {
		(void)cli_users_tx(conn, "ROLLBACK");
		goto out;
	}
	printf("loaded demo data: Demo Company (owner@demo.test) and "
	       "Other Company (owner@other.test)\n");
	rc = 0;
out:
	PQfinish(conn);
	return (rc);
}
