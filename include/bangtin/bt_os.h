/* The few things that differ between the appliance (Debian) and the ward's Windows office PC,
 * where the staff tools also run (bangtin.exe: check, keygen, pack). One header, two
 * implementations in src/os (os_posix.c, os_windows.c); no other room has an #ifdef _WIN32.
 *
 * On Windows the usb and io rooms' POSIX file calls (openat, fstatat, fdopendir, O_NOFOLLOW,
 * fsync …) come from src/os/win_posix.c, written over the wide-character API (docs/windows.md
 * says why that and not a rewrite of the rooms). */
#ifndef BT_OS_H
#define BT_OS_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_limits.h"

/* Called first in main. Windows: the console reads and writes UTF-8 (SetConsoleOutputCP), the
 * standard streams are binary (the output is byte for byte the appliance's: LF, no CRLF), and
 * *argv is replaced by the command line in UTF-8 (from the wide command line: a folder named
 * "Thông báo" arrives whatever the ANSI code page). Nothing on the appliance. */
void bt_os_init(int *argc, char ***argv);

/* The folder that holds the running program, into buf ("" when it cannot be known). */
void bt_os_exe_dir(char *buf, size_t size);

/* The running program's own file, to run it again as a child (bt_child.h: measuring, speaking):
 * "/proc/self/exe" on Linux (the same file even if the package is upgraded meanwhile); on
 * Windows the module's full path in UTF-8 ("" when it cannot be known). */
void bt_os_self_exe(char *buf, size_t size);

/* The folder for temporary files, without a trailing separator: $TMPDIR or /tmp; on Windows
 * the user's (GetTempPathW: %TMP%, %TEMP%), in UTF-8. */
void bt_os_temp_dir(char *buf, size_t size);

/* Sets the environment variable name to path (UTF-8), for a library that opens it with the C
 * runtime's narrow calls (espeak-ng's ESPEAK_DATA_PATH). On Windows those calls read the ANSI
 * code page, so the path is given in its short (8.3) form, which is ASCII: a folder named in
 * Vietnamese still opens. 0, or -1 when it cannot be set. */
int bt_os_setenv_path(const char *name, const char *path);

/* Opens the program's own plug-in module at path (the video decoders, bt_video_module.h) for
 * the rest of the process's life and stores the address of its function `symbol` into the
 * function pointer at fn (dlopen/dlsym; LoadLibraryW/GetProcAddress). 0, or -1 when the file
 * does not open (missing, or a library it needs is missing) or lacks the symbol, with the
 * system's own reason, in English, in why: for the operator's log, not for staff. */
int bt_os_module_entry(const char *path, const char *symbol, void *fn, char *why,
                       size_t why_size);

/* One of the program's plug-in modules (bangtin-video.so, bangtin-reports.so, bangtin-audio.so; Linux builds
 * only, src/os/module_open.c): where it is looked for, its entry, and how staff hear of it. */
typedef struct {
    const char *env_var;   /* a file named here wins (the tests name a missing one) */
    const char *relative;  /* to the program's folder: the build tree and the install */
    const char *installed; /* for a program copied elsewhere */
    const char *symbol;    /* its entry */
    const char *what;      /* for staff, "bộ giải mã video" */
    const char *needs;     /* what a broken one lacks, "thư viện FFmpeg" */
} bt_os_module_spec;

/* Opens the module s names (bt_os_module_entry) and stores its entry into fn; path gets the
 * file tried. 0, or -1 with the system's reason in why (for the log) and, in message, the
 * Vietnamese sentence for staff: missing or broken, reinstall the package. */
int bt_os_module_open(const bt_os_module_spec *s, void *fn, char *path, size_t path_size,
                      char *why, size_t why_size, char *message, size_t message_size);

/* The sentence for staff when the module at path was built for another version of the program. */
void bt_os_module_stale(const bt_os_module_spec *s, const char *path, char *message,
                        size_t message_size);

/* A module's entry as found, before its caller casts it to the type it has. */
typedef void (*bt_os_module_fn)(void);

/* The sentence for staff names the module's path: room for the longest and the words. */
#define BT_OS_MODULE_MESSAGE_BYTES (BT_MAX_PATH_BYTES + 512)

/* One plug-in module opened once in the process's life, by whichever thread needs it first (the
 * loop, the stick's worker, a session's preparation). Its user fills the first four fields
 * statically; the rest is bt_os_module_load's. */
typedef struct {
    const bt_os_module_spec *spec;
    const char *noun; /* in the operator's log: "mô-đun <noun> <path>" */
    /* Its table for this program's version, from its entry; NULL when built for another. */
    const void *(*table_of)(bt_os_module_fn entry);
    /* The log (bt_log_note): a warning when it does not open, a debug line when it does. */
    void (*log)(bool warning, const char *line);
    bool tried;
    const void *table;
    char message[BT_OS_MODULE_MESSAGE_BYTES]; /* why it did not open, for staff */
} bt_os_module_once;

/* The module's table, opened the first time (bt_os_module_open, then table_of); NULL with the
 * sentence for staff in err when it did not open, then or before. */
const void *bt_os_module_load(bt_os_module_once *m, char *err, size_t err_size);

/* The table if the module is already open, else NULL; never opens it. */
const void *bt_os_module_loaded(bt_os_module_once *m);

/* Makes the memory of a buffer the program is about to write resident, in one call instead of a
 * page fault per page (Linux: madvise MADV_POPULATE_WRITE, 5.14 and later; its contents are
 * unchanged). For the window's frame buffer, 8 MB at 1920×1080, whose first writes otherwise
 * cost ~30 ms of page faults in the first frame on a virtual machine (populated: ~18 ms, before
 * the main loop). Nothing where the system cannot (older kernels, Windows). */
void bt_os_prefault(void *p, size_t size);

#endif
