/* The platform layer on the appliance (bt_os.h): Debian, where the rooms call POSIX directly. */
#include "bangtin/bt_os.h"

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
