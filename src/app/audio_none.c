/* The staff tools without the audio (BT_KIOSK=OFF, BT_STAFF_AUDIO=OFF): no audio commands, so no
 * measure or speak in the table (audio_commands.c has them in the builds with the audio). */
#include "cli_internal.h"

const command *bt_cli_audio_commands(size_t *count)
{
    *count = 0;
    return NULL;
}

void bt_cli_audio_start(void)
{
    /* No child to run: nothing is measured or spoken. */
}
