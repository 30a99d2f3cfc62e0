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
    /* A text a parent sends a child (speak --file -) arrives as its bytes: no CRLF folding,
     * no end at a Ctrl-Z. */
    _setmode(_fileno(stdin), _O_BINARY);
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

void bt_os_self_exe(char *buf, size_t size)
{
    wchar_t w[32768];
    DWORD n = GetModuleFileNameW(NULL, w, sizeof w / sizeof w[0]);
    if (n == 0 || n >= sizeof w / sizeof w[0] ||
        WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)size, NULL, NULL) <= 0)
        buf[0] = '\0';
}

void bt_os_exe_dir(char *buf, size_t size)
{
    bt_os_self_exe(buf, size);
    char *sep = strrchr(buf, '\\');
    if (sep)
        *sep = '\0';
    else
        buf[0] = '\0';
}

void bt_os_temp_dir(char *buf, size_t size)
{
    wchar_t w[MAX_PATH + 2];
    DWORD n = GetTempPathW(sizeof w / sizeof w[0], w);
    if (n == 0 || n >= sizeof w / sizeof w[0] ||
        WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)size, NULL, NULL) <= 0) {
        snprintf(buf, size, "%s", ".");
        return;
    }
    size_t len = strlen(buf);
    while (len > 3 && (buf[len - 1] == '\\' || buf[len - 1] == '/')) /* keep "C:\\" whole */
        buf[--len] = '\0';
}

int bt_os_setenv_path(const char *name, const char *path)
{
    wchar_t wide[32768], shrt[32768];
    char ansi[MAX_PATH * 2];
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wide, 32768) <= 0)
        return -1;
    DWORD n = GetShortPathNameW(wide, shrt, 32768);
    const wchar_t *use = n > 0 && n < 32768 ? shrt : wide; /* no 8.3 names on this volume */
    BOOL lossy = FALSE;
    if (WideCharToMultiByte(CP_ACP, 0, use, -1, ansi, (int)sizeof ansi, NULL, &lossy) <= 0 ||
        lossy)
        return -1;
    /* Both the C runtime's copy (getenv) and the process's (GetEnvironmentVariable). */
    return _putenv_s(name, ansi) == 0 && SetEnvironmentVariableA(name, ansi) ? 0 : -1;
}

int bt_os_module_entry(const char *path, const char *symbol, void *fn, char *why,
                       size_t why_size)
{
    wchar_t wide[32768];
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wide, 32768) <= 0) {
        snprintf(why, why_size, "path is not UTF-8");
        return -1;
    }
    HMODULE lib = LoadLibraryW(wide);
    FARPROC p = lib ? GetProcAddress(lib, symbol) : NULL;
    if (!p) {
        snprintf(why, why_size, "%s (error %lu)", lib ? "no such symbol" : "does not load",
                 (unsigned long)GetLastError());
        if (lib)
            FreeLibrary(lib);
        return -1;
    }
    memcpy(fn, &p, sizeof p);
    return 0;
}

void bt_os_prefault(void *p, size_t size)
{
    (void)p;
    (void)size; /* pages are made resident as they are first written */
}
