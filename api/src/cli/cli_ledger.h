/*
 * The ledger check from the command line (cli/cli_ledger.c).
 */
#ifndef CLIENTD_CLI_LEDGER_H
#define CLIENTD_CLI_LEDGER_H

#include "cli/cli.h"

int cli_ledger_check(const struct cli_opts *);

#endif
