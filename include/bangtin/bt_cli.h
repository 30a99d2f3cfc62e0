/* What a subcommand's handler receives from the command line parser (src/app/cli.c), so that
 * commands can live in their own files (src/app/cmd_*.c) while the table stays in one place. */
#ifndef BT_CLI_H
#define BT_CLI_H

#include <stdio.h>

#include "bt_app.h"
#include "bt_diag.h"

#define BT_CLI_MAX_OPTS 12
#define BT_CLI_MAX_POSITIONAL 4
#define BT_CLI_MAX_REPEATED 32

struct command;

typedef struct bt_cli_args {
    const struct command *cmd;
    const char *values[BT_CLI_MAX_OPTS]; /* by index in the command's option table; flags get "1" */
    const char *positional[BT_CLI_MAX_POSITIONAL];
    int positional_count;
    const char *repeated[BT_CLI_MAX_REPEATED]; /* values of the command's repeatable option */
    int repeated_count;
} bt_cli_args;

/* The value given for option `name` ("--from") of the parsed command, or NULL. */
const char *bt_cli_opt(const bt_cli_args *a, const char *name);
/* Sorts and prints diagnostics, one "file:line: lỗi: ..." per line. */
void bt_cli_print_diags(bt_diags *d, FILE *out);

#endif
