/* Finding and opening one of the program's plug-in modules (bt_os.h): the video decoders and
 * the report writers, each a shared object beside the program that only a process needing it
 * opens. Both had written the same lookup and the same sentences for staff. */
#include "bangtin/bt_os.h"

#include <stdio.h>
#include <stdlib.h>
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
