/* The audio's commands, in every build that decodes and speaks (the appliance's, and the staff
 * tools' with the audio: bangtin.exe): `measure` (also the measuring child's side) and `speak`
 * (cmd_speak.c), and what they need set up before any command runs. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_os.h"

#include "cli_internal.h"

/* For staff: each figure named, with its unit, in Vietnamese. With --machine, the child side of
 * bt_measure_isolated: one parseable line on stdout. */
int bt_cmd_measure(bt_app *app, const cmd_args *a)
{
    (void)app;
    if (bt_cli_opt(a, "--machine"))
        return bt_measure_print(a->positional[0], stdout);
    return bt_measure_print_for_staff(a->positional[0], stdout);
}

static const command AUDIO[] = {
    BT_CLI_CMD_MEASURE,
    BT_CLI_CMD_SPEAK,
};

const command *bt_cli_audio_commands(size_t *count)
{
    *count = sizeof AUDIO / sizeof AUDIO[0];
    return AUDIO;
}

/* espeak-ng's voice data shipped beside the program (the Windows zip's
 * share/bangtin/espeak-ng-data: no system copy there). On the appliance the share folder has
 * none, and espeak-ng finds the system's, as does an ESPEAK_DATA_PATH already set. */
static void use_shipped_voice(void)
{
    const char *env = getenv("ESPEAK_DATA_PATH");
    char dir[BT_MAX_PATH_BYTES + 64], probe[BT_MAX_PATH_BYTES + 96];
    struct stat st;
    if (env && *env)
        return;
    snprintf(dir, sizeof dir, "%s/espeak-ng-data", bt_config_share_dir());
    snprintf(probe, sizeof probe, "%s/phontab", dir);
    if (stat(probe, &st) == 0)
        bt_os_setenv_path("ESPEAK_DATA_PATH", dir);
}

void bt_cli_audio_start(void)
{
    /* This program is the child that measures and speaks: a decoder's or the synthesiser's
     * crash or hang on a stick's file ends the child, not the command or the kiosk. */
    static char self[BT_MAX_PATH_BYTES];
    bt_os_self_exe(self, sizeof self);
    if (self[0])
        bt_measure_set_executable(self);
    use_shipped_voice();
}
