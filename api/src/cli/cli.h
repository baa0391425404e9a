/*
 * The clientd command line (cli/cli.c: what the commands share). main.c
 * dispatches to one file per group of commands, cli_<group>.c, each with
 * its header. Every command returns a process exit status (0 success, 1
 * failure, 2 usage).
 */
#ifndef CLIENTD_CLI_H
#define CLIENTD_CLI_H

#include <libpq-fe.h>

struct cli_opts {
	const char *database_url;
	const char *email;
	const char *name;
	const char *role;
	const char *company;	  /* public id of an existing company */
	const char *company_name; /* create a new company */
	const char *token_name;
	int	    password_stdin;
	int	    replace;
	int	    status;
};

PGconn *cli_connect(const char *, const char *);
void	cli_error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
