/* The platform layer on the appliance (bt_os.h): Debian, where the rooms call POSIX directly. */
#include "bangtin/bt_os.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

int bt_os_module_entry(const char *path, const char *symbol, void *fn, char *why,
                       size_t why_size)
{
    /* RTLD_LOCAL: the module's libraries (FFmpeg) stay out of the program's symbol scope;
     * RTLD_NOW: a library it lacks fails here, not at the first call into it. */
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    void *p = lib ? dlsym(lib, symbol) : NULL;
    if (!p) {
        const char *e = dlerror();
        snprintf(why, why_size, "%s", e ? e : "no such symbol");
        if (lib)
            dlclose(lib);
        return -1;
    }
    memcpy(fn, &p, sizeof p); /* POSIX makes the conversion work; memcpy keeps ISO C quiet */
    return 0;
}

void bt_os_prefault(void *p, size_t size)
{
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    if (!p || size == 0 || page <= 0)
        return;
    /* madvise wants a page-aligned start: the page that holds the first byte, mapped since it
     * holds that byte; populating changes nothing any page holds. */
    uintptr_t start = (uintptr_t)p & ~((uintptr_t)page - 1);
    (void)madvise((void *)start, size + ((uintptr_t)p - start), MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)size;
#endif
}
