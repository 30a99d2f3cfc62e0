/* The staff tools' commands: the build without the kiosk (BT_KIOSK=OFF), e.g. bangtin.exe on
 * the ward's Windows office PC. The same entries as the appliance's table (cli_internal.h), so
 * check, keygen, pack, (with the screen, BT_STAFF_SCREEN) screenshot, (with the audio,
 * BT_STAFF_AUDIO) measure and speak, and (with video, BT_VIDEO) video-check read and answer
 * exactly as they do there. */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_results_notice.h"

#include "cli_internal.h"

static const command SHARED[] = {
    BT_CLI_CMD_CHECK,
    BT_CLI_CMD_CONFIG,
    BT_CLI_CMD_KEYGEN,
    BT_CLI_CMD_PACK,
    BT_CLI_CMD_VERSION,
};
#define SHARED_COUNT (sizeof SHARED / sizeof SHARED[0])
/* The screen's commands (screenshot today), the audio's (measure, speak) and the video's
 * (video-check): room for a few more. */
#define BT_STAFF_MAX_MEDIA_COMMANDS 8

/* check, the screen's and the audio's commands, then the rest, in the order the appliance
 * lists them. */
const command *bt_cli_commands(size_t *count)
{
    static command table[SHARED_COUNT + BT_STAFF_MAX_MEDIA_COMMANDS];
    static size_t n;
    if (!n) {
        size_t screen_count = 0, audio_count = 0, video_count = 0, media = 0;
        const command *screen = bt_cli_screen_commands(&screen_count);
        const command *audio = bt_cli_audio_commands(&audio_count);
        const command *video = bt_cli_video_commands(&video_count);
        table[n++] = SHARED[0];
        for (size_t i = 0; i < screen_count && media < BT_STAFF_MAX_MEDIA_COMMANDS; i++, media++)
            table[n++] = screen[i];
        for (size_t i = 0; i < audio_count && media < BT_STAFF_MAX_MEDIA_COMMANDS; i++, media++)
            table[n++] = audio[i];
        for (size_t i = 0; i < video_count && media < BT_STAFF_MAX_MEDIA_COMMANDS; i++, media++)
            table[n++] = video[i];
        for (size_t i = 1; i < SHARED_COUNT; i++)
            table[n++] = SHARED[i];
    }
    *count = n;
    return table;
}

bool bt_cli_runs_on_bad_config(const command *c)
{
    (void)c;
    return false;
}

void bt_cli_start(void)
{
    /* No service manager: logs go to stderr. The audio's child and voice, in a build with it. */
    bt_cli_audio_start();
}

int bt_cli_active_playlist_dir(bt_app *app, char *dir, size_t size)
{
    (void)app;
    (void)dir;
    (void)size;
    /* No appliance here, so no playlist is active: the folder must be named. */
    fprintf(stderr, "bangtin: máy tính này không có playlist đang chạy — hãy chỉ thư mục "
                    "playlist: --playlist THƯ-MỤC\n");
    return -1;
}

void bt_cli_state_at(bt_app *app, bt_playlist *p, bt_wall at, bt_schedule *sched,
                     bt_cli_on_air *air)
{
    /* The office PC keeps no airing log: the day shows as not yet aired, nothing on air, and the
     * results notices say their figures will come, as an appliance without a log does. */
    (void)app;
    (void)at;
    (void)sched;
    memset(air, 0, sizeof *air);
    bt_app_results_fill(p, NULL, 0);
}
