/* The video module's one exported function (bt_video_module.h): the table of ui/video.c and
 * io/video_probe.c, compiled into bangtin-video.so with every other symbol hidden, so nothing
 * in it can be confused with the program's own functions of the same name. */
#include <stdarg.h>
#include <stdio.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_video_module.h"

#include "video_probe.h"

static bt_video_module_log_fn host_log;

/* video.c logs through bt_log as in the static build; here its lines go to the program's log,
 * which the module does not link (the program's sink, level and journald priorities apply). */
void bt_log(bt_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (!host_log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    host_log((int)level, line);
}

static const bt_video_module table = {
    .abi = BT_VIDEO_MODULE_ABI,
    .open = bt_ui_video_open,
    .close = bt_ui_video_close,
    .size = bt_ui_video_size,
    .duration_ms = bt_ui_video_duration_ms,
    .hardware = bt_ui_video_hardware,
    .draw_size = bt_ui_video_draw_size,
    .texture = bt_ui_video_texture,
    .frame_at = bt_ui_video_frame_at,
    .frame_into = bt_ui_video_frame_into,
    .next_ms = bt_ui_video_next_ms,
    .counts = bt_ui_video_counts,
    .decode_whole = bt_ui_video_decode_whole,
    .probe = io_video_probe,
    .sound_open = bt_ui_video_sound_open,
    .sound_close = bt_ui_video_sound_close,
    .sound_read = bt_ui_video_sound_read,
    .sound_seek = bt_ui_video_sound_seek,
};

/* Declared here, not in a header: the program reaches it by name through dlsym only. */
__attribute__((visibility("default"))) const bt_video_module *
bt_video_module_get(unsigned abi, bt_video_module_log_fn log);

const bt_video_module *bt_video_module_get(unsigned abi, bt_video_module_log_fn log)
{
    if (abi != BT_VIDEO_MODULE_ABI)
        return NULL;
    host_log = log;
    return &table;
}
