/* The platform layer on Windows (bt_os.h): the console and the command line in UTF-8, and
 * where the program is. The POSIX file calls are in win_posix.c. */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_os.h"

void bt_os_init(int *argc, char ***argv)
{
    /* Vietnamese in a cmd.exe window, and typed into it. Windows 10's console draws UTF-8 once
     * the code page says so; the font (Consolas, Cascadia) has the letters. */
    SetConsoleOutputCP(CP_UTF8);
    SetConsoleCP(CP_UTF8);
    /* LF as on the appliance: output redirected to a file is the appliance's byte for byte. */
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    int n = 0;
    wchar_t **wide = CommandLineToArgvW(GetCommandLineW(), &n);
    if (!wide || n <= 0)
        return; /* keep the C runtime's (ANSI) arguments */
    /* Kept for the life of the process, as argv is. */
    char **utf8 = calloc((size_t)n + 1, sizeof *utf8);
    for (int i = 0; utf8 && i < n; i++) {
        int len = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, NULL, 0, NULL, NULL);
        if (len <= 0 || !(utf8[i] = malloc((size_t)len))) {
            LocalFree(wide);
            return;
        }
        WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, utf8[i], len, NULL, NULL);
    }
    LocalFree(wide);
    if (!utf8)
        return;
    *argc = n;
    *argv = utf8;
}

void bt_os_exe_dir(char *buf, size_t size)
{
    wchar_t w[32768];
    DWORD n = GetModuleFileNameW(NULL, w, sizeof w / sizeof w[0]);
    buf[0] = '\0';
    if (n == 0 || n >= sizeof w / sizeof w[0] ||
        WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)size, NULL, NULL) <= 0) {
        buf[0] = '\0';
        return;
    }
    char *sep = strrchr(buf, '\\');
    if (sep)
        *sep = '\0';
    else
        buf[0] = '\0';
}
