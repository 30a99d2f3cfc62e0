/* The staff tools without the screen (BT_KIOSK=OFF, BT_STAFF_SCREEN=OFF): no screen commands,
 * so no screenshot in the table (cmd_screenshot.c has it in the builds with the screen). */
#include "cli_internal.h"

const command *bt_cli_screen_commands(size_t *count)
{
    *count = 0;
    return NULL;
}
