/* Opening the video module (bt_video_module.h) on the first video the program meets. Not pure
 * file reading, but the io room is where both of its users can reach it: the probe here
 * (video_probe_module.c) and the screen's clips (ui/video_module_calls.c). */
#include "bangtin/bt_video_module.h"

#include <pthread.h>
#include <stdio.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool tried;
static const bt_video_module *table;
static char message[BT_MAX_PATH_BYTES + 512];

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

static const bt_video_module *open_module(void)
{
    char path[BT_MAX_PATH_BYTES], why[512];
    bt_video_module_get_fn get = NULL;
    if (bt_os_module_open(&spec, &get, path, sizeof path, why, sizeof why, message,
                          sizeof message) != 0) {
        bt_log_warn("không nạp được mô-đun video %s: %s", path, why);
        return NULL;
    }
    const bt_video_module *m = get(BT_VIDEO_MODULE_ABI, module_log);
    if (!m) {
        bt_log_warn("mô-đun video %s khác phiên bản chương trình", path);
        bt_os_module_stale(&spec, path, message, sizeof message);
        return NULL;
    }
    /* Debug, not info: every command that meets a clip loads it (check twice: the probe and its
     * decoding child), and staff reading check's answer have no use for a file path of the
     * machine there; a module that fails to load is a warning above. */
    bt_log_debug("đã nạp mô-đun video %s", path);
    return m;
}

const bt_video_module *bt_video_module_load(char *err, size_t err_size)
{
    pthread_mutex_lock(&lock);
    if (!tried) {
        table = open_module();
        tried = true;
    }
    const bt_video_module *m = table;
    if (!m)
        snprintf(err, err_size, "%s", message);
    pthread_mutex_unlock(&lock);
    return m;
}

const bt_video_module *bt_video_module_loaded(void)
{
    pthread_mutex_lock(&lock);
    const bt_video_module *m = table;
    pthread_mutex_unlock(&lock);
    return m;
}
