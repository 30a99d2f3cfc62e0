/* Finding and opening one of the program's plug-in modules (bt_os.h): the video decoders, the
 * report writers and the audio decoders, each a shared object beside the program that only a
 * process needing it opens. Their users had each written the same lookup, the same sentences
 * for staff and the same open-once. */
#include "bangtin/bt_os.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"

/* $env_var, else bin/../lib/bangtin beside the program (the build tree mirrors the install),
 * else the installed path for a program copied elsewhere. */
static void module_path(const bt_os_module_spec *s, char *path, size_t size)
{
    const char *env = getenv(s->env_var);
    if (env && *env) {
        snprintf(path, size, "%s", env);
        return;
    }
    char here[BT_MAX_PATH_BYTES], probe[BT_MAX_PATH_BYTES + 96];
    bt_os_exe_dir(here, sizeof here);
    snprintf(probe, sizeof probe, "%s/%s", here, s->relative);
    char *real = here[0] ? realpath(probe, NULL) : NULL; /* malloc'd: no PATH_MAX buffer */
    snprintf(path, size, "%s", real ? real : s->installed);
    free(real);
}

int bt_os_module_open(const bt_os_module_spec *s, void *fn, char *path, size_t path_size,
                      char *why, size_t why_size, char *message, size_t message_size)
{
    module_path(s, path, path_size);
    if (bt_os_module_entry(path, s->symbol, fn, why, why_size) == 0)
        return 0;
    if (access(path, F_OK) != 0)
        snprintf(message, message_size,
                 "máy này thiếu %s của bangtin (không có tệp %s) — hãy cài lại gói: sudo apt "
                 "install --reinstall bangtin",
                 s->what, path);
    else
        snprintf(message, message_size,
                 "không nạp được %s của bangtin (%s hỏng hoặc thiếu %s mà nó cần) — hãy cài lại "
                 "gói: sudo apt install --reinstall bangtin",
                 s->what, path, s->needs);
    return -1;
}

void bt_os_module_stale(const bt_os_module_spec *s, const char *path, char *message,
                        size_t message_size)
{
    snprintf(message, message_size,
             "%s %s không cùng phiên bản với chương trình bangtin — hãy cài lại gói: sudo apt "
             "install --reinstall bangtin",
             s->what, path);
}

/* One lock for every module: each is opened once, and a second thread asking meanwhile waits
 * for that open rather than opening it twice. */
static pthread_mutex_t once_lock = PTHREAD_MUTEX_INITIALIZER;

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((format(printf, 3, 4))) static void note(const bt_os_module_once *m, bool warning,
                                                       const char *fmt, ...)
{
    char line[BT_MAX_PATH_BYTES + 768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    m->log(warning, line);
}

static const void *open_once(bt_os_module_once *m)
{
    char path[BT_MAX_PATH_BYTES], why[512];
    bt_os_module_fn entry = NULL;
    double t0 = mono_ms();
    if (bt_os_module_open(m->spec, &entry, path, sizeof path, why, sizeof why, m->message,
                          sizeof m->message) != 0) {
        note(m, true, "không nạp được mô-đun %s %s: %s", m->noun, path, why);
        return NULL;
    }
    const void *table = m->table_of(entry);
    if (!table) {
        note(m, true, "mô-đun %s %s khác phiên bản chương trình", m->noun, path);
        bt_os_module_stale(m->spec, path, m->message, sizeof m->message);
        return NULL;
    }
    /* Debug, not info: every command that meets a clip or measures an item opens one (check
     * twice: the probe and its child), and staff reading check's answer have no use for a file
     * path of the machine; its cost, dynamic linking, is there to be seen. */
    note(m, false, "đã nạp mô-đun %s %s trong %.1f ms", m->noun, path, mono_ms() - t0);
    return table;
}

const void *bt_os_module_load(bt_os_module_once *m, char *err, size_t err_size)
{
    pthread_mutex_lock(&once_lock);
    if (!m->tried) {
        m->table = open_once(m);
        m->tried = true;
    }
    const void *table = m->table;
    if (!table && err && err_size)
        snprintf(err, err_size, "%s", m->message);
    pthread_mutex_unlock(&once_lock);
    return table;
}

const void *bt_os_module_loaded(bt_os_module_once *m)
{
    pthread_mutex_lock(&once_lock);
    const void *table = m->table;
    pthread_mutex_unlock(&once_lock);
    return table;
}
