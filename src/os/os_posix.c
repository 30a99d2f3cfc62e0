/* The platform layer on the appliance (bt_os.h): Debian, where the rooms call POSIX directly. */
#include "bangtin/bt_os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void bt_os_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

void bt_os_exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

void bt_os_self_exe(char *buf, size_t size)
{
    snprintf(buf, size, "%s", "/proc/self/exe");
}

void bt_os_temp_dir(char *buf, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s", tmp && *tmp ? tmp : "/tmp");
}

int bt_os_setenv_path(const char *name, const char *path)
{
    return setenv(name, path, 1);
}
