/*
 * clientd: the command line for operators and for the run/test scripts.
 *
 *   clientd migrate [--status]      apply pending migrations (owner role)
 *   clientd check                   verify the schema as the daemon would
 *   clientd create-user ...         add a user (and a company) for production
 *   clientd set-password ...        a new password for an account
 *   clientd create-token ...        mint an API token for a user
 *   clientd demo                    load the demo data once
 *   clientd routes                  print the route table
 *   clientd check-ledger            verify balances against the ledger
 *
 * Database connections come from --database-url, else DATABASE_OWNER_URL
 * for the commands that change the schema or accounts, DATABASE_URL for
 * `check`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_demo.h"
#include "cli/cli_ledger.h"
#include "cli/cli_users.h"
#include "core/core.h"
#include "core/crypto.h"
#include "core/router.h"
#include "core/routes.h"
#include "pq/pq.h"

static int cmd_migrate(const struct cli_opts *);
static int cmd_check(const struct cli_opts *);
static int cmd_routes(const struct cli_opts *);

static const struct {
	const char *name;
	int (*fn)(const struct cli_opts *);
	const char *help;
} commands[] = {
	{ "migrate", cmd_migrate,
	    "apply pending migrations (--status lists them)" },
	{ "check", cmd_check, "verify the schema and the runtime role" },
	{ "create-user", cli_users_create,
	    "--email E (--company-name N | --company ID) [--name N] "
	    "[--role owner|admin|member] [--password-stdin]" },
	{ "set-password", cli_users_set_password,
	    "--email E [--password-stdin]: a new password; ends its sessions" },
	{ "create-token", cli_users_create_token,
	    "--email E --token-name N [--replace]: prints a new API token" },
	{ "demo", cli_demo, "load the demo companies, users and clients once" },
	{ "routes", cmd_routes, "print the API's route table" },
	{ "check-ledger", cli_ledger_check,
	    "verify every client's balance against its ledger" },
};

static int
cmd_migrate(const struct cli_opts *o)
{
	PGconn *conn;
	char	err[2048];
	int	rc;

	if ((conn = cli_connect(o->database_url, "DATABASE_OWNER_URL")) == NULL)
		return (1);
	if (o->status)
		rc = migrate_status(conn, stdout, err, sizeof(err));
	else
		rc = migrate_apply(conn, stdout, err, sizeof(err));
	if (rc != MIGRATE_OK)
		cli_error("%s", err);
	PQfinish(conn);
	return (rc == MIGRATE_OK ? 0 : 1);
}

static int
cmd_check(const struct cli_opts *o)
{
	PGconn *conn;
	char	err[2048];
	int	rc = 1;

	if ((conn = cli_connect(o->database_url, "DATABASE_URL")) == NULL)
		return (1);
	if (migrate_check(conn, err, sizeof(err)) != MIGRATE_OK ||
	    pq_check_runtime_role(conn, err, sizeof(err)) != 0)
		cli_error("%s", err);
	else {
		printf("schema and role are fine\n");
		rc = 0;
	}
	PQfinish(conn);
	return (rc);
}

static int
cmd_routes(const struct cli_opts *o)
{
	size_t i;

	for (i = 0; i < routes_count; i++) {
		printf("%s %s %s\n",
		    router_method_name(routes_table[i].def.method),
		    routes_table[i].def.pattern, routes_table[i].operation_id);
	}
	return (0);
}

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: clientd <command> [options]\n\n");
	for (i = 0; i < CORE_ARRAY_LEN(commands); i++)
		fprintf(
		    stderr, "  %-13s %s\n", commands[i].name, commands[i].help);
	fprintf(stderr,
	    "\n  --database-url URL overrides DATABASE_OWNER_URL "
	    "(DATABASE_URL for check)\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "database-url", required_argument, NULL, 'd' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "company", required_argument, NULL, 'c' },
		{ "company-name", required_argument, NULL, 'C' },
		{ "token-name", required_argument, NULL, 't' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "replace", no_argument, NULL, 'R' },
		{ "status", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct cli_opts o;
	size_t		i;
	int		ch;

	memset(&o, 0, sizeof(o));
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage();
		return (argc < 2 ? 2 : 0);
	}
	if (crypto_init() != 0) {
		cli_error("libsodium could not be initialised");
		return (1);
	}

	optind = 2;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.database_url = optarg;
			break;
		case 'e':
			o.email = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'r':
			o.role = optarg;
			break;
		case 'c':
			o.company = optarg;
			break;
		case 'C':
			o.company_name = optarg;
			break;
		case 't':
			o.token_name = optarg;
			break;
		case 'p':
			o.password_stdin = 1;
			break;
		case 'R':
			o.replace = 1;
			break;
		case 's':
			o.status = 1;
			break;
		default:
			usage();
			return (2);
		}
	}
	if (optind != argc) {
		cli_error("unexpected argument \"%s\"", argv[optind]);
		return (2);
	}

	for (i = 0; i < CORE_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, argv[1]) == 0)
			return (commands[i].fn(&o));
	}
	cli_error("unknown command \"%s\"", argv[1]);
	usage();
	return (2);
}
