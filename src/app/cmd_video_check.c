/* `bangtin video-check FILE [--machine]` (issue 15): the child side of bt_app_video_check_file
 * (--machine: one line for the parent), or the same decode for staff. In every build: the
 * appliance's table lists it always (without video it says the build has no decoder), the staff
 * tools' only with video (check_video.c's bt_cli_video_commands), since check's child is this
 * program there too (bangtin.exe). */
#include <stdio.h>

#include "bangtin/bt_app_video.h"

#include "cli_internal.h"

int bt_cmd_video_check(bt_app *app, const cmd_args *a)
{
    (void)app;
    if (bt_cli_opt(a, "--machine"))
        return bt_app_video_check_print(a->positional[0], stdout);
    long long ms = 0;
    char err[768];
    if (bt_app_video_check_file(a->positional[0], &ms, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin video-check: %s: %s\n", a->positional[0], err);
        return 1;
    }
    printf("Tệp: %s\nGiải mã được trọn tệp: %lld,%lld giây\n", a->positional[0], ms / 1000,
           ms % 1000 / 100);
    return 0;
}
