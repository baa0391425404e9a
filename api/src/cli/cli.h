/*
 * The clientd command line: one file per group of commands. Every command
 * returns a process exit status (0 success, 1 failure, 2 usage).
 */
#ifndef CLIENTD_CLI_H
#define CLIENTD_CLI_H

#include "core.h"
#include "pq.h"

struct cli_opts {
	const char	*database_url;
	const char	*email;
	const char	*name;
	const char	*role;
	const char	*company;	/* public id of an existing company */
	const char	*company_name;	/* create a new company */
	const char	*token_name;
	int		 password_stdin;
	int		 replace;
	int		 status;
};

/* main.c */
PGconn	*cli_connect(const char *, const char *);
void	 cli_error(const char *, ...) __attribute__((format(printf, 1, 2)));

/* users.c */
int	 tx(PGconn *, const char *);
int	 cli_create_user(const struct cli_opts *);
int	 cli_create_token(const struct cli_opts *);
int	 users_insert(PGconn *, const char *, const char *, const char *,
	    const char *, const char *, const char *, char *, size_t);
int	 tokens_insert(PGconn *, const char *, const char *, int, char *,
	    size_t, char *, size_t);

/* ledger.c */
int	 cli_check_ledger(const struct cli_opts *);

/* demo.c */
int	 cli_demo(const struct cli_opts *);

#endif
