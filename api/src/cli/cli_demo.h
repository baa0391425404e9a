/*
 * The demo data (cli/cli_demo.c).
 */
#ifndef CLIENTD_CLI_DEMO_H
#define CLIENTD_CLI_DEMO_H

#include "cli/cli.h"

int cli_demo(const struct cli_opts *);

#endif
