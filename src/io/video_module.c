/* Opening the video module (bt_video_module.h) on the first video the program meets. Not pure
 * file reading, but the io room is where both of its users can reach it: the probe here
 * (video_probe_module.c) and the screen's clips (ui/video_module_calls.c). */
#include "bangtin/bt_video_module.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_path.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool tried;
static const bt_video_module *table;
static char message[BT_MAX_PATH_BYTES + 512];

static void module_log(int level, const char *line)
{
    bt_log((bt_log_level)level, "%s", line);
}

/* The module's file: $BANGTIN_VIDEO_MODULE, else bin/../lib/bangtin beside the program (the
 * build tree mirrors the install), else the installed path for a program copied elsewhere. */
static void module_path(char *path, size_t size)
{
    const char *env = getenv("BANGTIN_VIDEO_MODULE");
    if (env && *env) {
        snprintf(path, size, "%s", env);
        return;
    }
    char here[BT_MAX_PATH_BYTES], probe[BT_MAX_PATH_BYTES + 96];
    bt_os_exe_dir(here, sizeof here);
    snprintf(probe, sizeof probe, "%s/%s", here, BT_VIDEO_MODULE_RELATIVE);
    if (!here[0] || bt_path_real(probe, path, size) != 0)
        snprintf(path, size, "%s", BT_VIDEO_MODULE_INSTALLED);
}

static const bt_video_module *open_module(void)
{
    char path[BT_MAX_PATH_BYTES], why[512];
    bt_video_module_get_fn get = NULL;
    module_path(path, sizeof path);
    if (bt_os_module_entry(path, BT_VIDEO_MODULE_ENTRY, &get, why, sizeof why) != 0) {
        bt_log_warn("không nạp được mô-đun video %s: %s", path, why);
        if (access(path, F_OK) != 0)
            snprintf(message, sizeof message,
                     "máy này thiếu bộ giải mã video của bangtin (không có tệp %s) — hãy cài "
                     "lại gói: sudo apt install --reinstall bangtin", path);
        else
            snprintf(message, sizeof message,
                     "không nạp được bộ giải mã video của bangtin (%s hỏng hoặc thiếu thư viện "
                     "FFmpeg mà nó cần) — hãy cài lại gói: sudo apt install --reinstall bangtin",
                     path);
        return NULL;
    }
    const bt_video_module *m = get(BT_VIDEO_MODULE_ABI, module_log);
    if (!m) {
        bt_log_warn("mô-đun video %s khác phiên bản chương trình", path);
        snprintf(message, sizeof message,
                 "bộ giải mã video %s không cùng phiên bản với chương trình bangtin — hãy cài "
                 "lại gói: sudo apt install --reinstall bangtin", path);
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
