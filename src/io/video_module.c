/* Opening the video module (bt_video_module.h) on the first video the program meets. Not pure
 * file reading, but the io room is where both of its users can reach it: the probe here
 * (video_probe_module.c) and the screen's clips (ui/video_module_calls.c). */
#include "bangtin/bt_video_module.h"

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"

static void module_log(int level, const char *line)
{
    bt_log((bt_log_level)level, "%s", line);
}

static const bt_os_module_spec spec = {
    .env_var = "BANGTIN_VIDEO_MODULE",
    .relative = BT_VIDEO_MODULE_RELATIVE,
    .installed = BT_VIDEO_MODULE_INSTALLED,
    .symbol = BT_VIDEO_MODULE_ENTRY,
    .what = "bộ giải mã video",
    .needs = "thư viện FFmpeg",
};

static const void *table_of(bt_os_module_fn entry)
{
    return ((bt_video_module_get_fn)entry)(BT_VIDEO_MODULE_ABI, module_log);
}

static bt_os_module_once once = {
    .spec = &spec, .noun = "video", .table_of = table_of, .log = bt_log_note};

const bt_video_module *bt_video_module_load(char *err, size_t err_size)
{
    return bt_os_module_load(&once, err, err_size);
}

const bt_video_module *bt_video_module_loaded(void)
{
    return bt_os_module_loaded(&once);
}
