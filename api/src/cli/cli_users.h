/*
 * Users and API tokens from the command line (cli/cli_users.c).
 */
#ifndef CLIENTD_CLI_USERS_H
#define CLIENTD_CLI_USERS_H

#include <stddef.h>

#include <libpq-fe.h>

#include "cli/cli.h"

int cli_users_create(const struct cli_opts *);
int cli_users_create_token(const struct cli_opts *);
int cli_users_set_password(const struct cli_opts *);
int cli_users_tx(PGconn *, const char *);
int cli_users_insert(PGconn *, const char *, const char *, const char *,
    const char *, const char *, const char *, char *, size_t);
int cli_users_insert_token(
    PGconn *, const char *, const char *, int, char *, size_t, char *, size_t);

#endif
