/* The staff tools' commands: the build without the kiosk (BT_KIOSK=OFF), e.g. bangtin.exe on
 * the ward's Windows office PC. The same entries as the appliance's table (cli_internal.h), so
 * check, keygen and pack read and answer exactly as they do there. */
#include "cli_internal.h"

static const command COMMANDS[] = {
    BT_CLI_CMD_CHECK,
    BT_CLI_CMD_CONFIG,
    BT_CLI_CMD_KEYGEN,
    BT_CLI_CMD_PACK,
    BT_CLI_CMD_VERSION,
};

const command *bt_cli_commands(size_t *count)
{
    *count = sizeof COMMANDS / sizeof COMMANDS[0];
    return COMMANDS;
}

bool bt_cli_runs_on_bad_config(const command *c)
{
    (void)c;
    return false;
}

void bt_cli_start(void)
{
    /* Nothing to set up: no service manager, no measuring child; logs go to stderr. */
}
