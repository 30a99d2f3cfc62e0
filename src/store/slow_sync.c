/* BANGTIN_TEST_FAULT=slow-sync:MS: every fsync SQLite makes takes MS milliseconds longer, as on a
 * worn SD card or a cheap USB stick (50–500 ms per sync is common there; this machine's disk
 * syncs in about a millisecond). For the frame-time benchmark (bench/frame_times.sh), which
 * shows what the kiosk's loop does while the loudspeaker's rows are written; never set in
 * production. A VFS wrapping the default one, made the default before the store opens. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bangtin/bt_log.h"
#include "store_internal.h"

static sqlite3_vfs *base;
static sqlite3_vfs slow;
static const sqlite3_io_methods *base_methods;
static sqlite3_io_methods slow_methods;
static long delay_ms;

typedef struct {
    sqlite3_file file;     /* our methods */
    sqlite3_file *real;    /* the base VFS's file, right after this struct */
} slow_file;

static int slow_sync(sqlite3_file *f, int flags)
{
    struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    slow_file *s = (slow_file *)f;
    return s->real->pMethods->xSync(s->real, flags);
}

/* Every other method passes straight through to the real file. */
#define PASS(name, params, args)                                                              \
    static int slow_##name params                                                             \
    {                                                                                          \
        slow_file *s = (slow_file *)f;                                                         \
        return s->real->pMethods->x##name args;                                                \
    }
PASS(Close, (sqlite3_file * f), (s->real))
PASS(Read, (sqlite3_file * f, void *b, int n, sqlite3_int64 o), (s->real, b, n, o))
PASS(Write, (sqlite3_file * f, const void *b, int n, sqlite3_int64 o), (s->real, b, n, o))
PASS(Truncate, (sqlite3_file * f, sqlite3_int64 n), (s->real, n))
PASS(FileSize, (sqlite3_file * f, sqlite3_int64 *n), (s->real, n))
PASS(Lock, (sqlite3_file * f, int l), (s->real, l))
PASS(Unlock, (sqlite3_file * f, int l), (s->real, l))
PASS(CheckReservedLock, (sqlite3_file * f, int *r), (s->real, r))
PASS(FileControl, (sqlite3_file * f, int op, void *a), (s->real, op, a))
PASS(SectorSize, (sqlite3_file * f), (s->real))
PASS(DeviceCharacteristics, (sqlite3_file * f), (s->real))
PASS(ShmMap, (sqlite3_file * f, int i, int n, int e, void volatile **p), (s->real, i, n, e, p))
PASS(ShmLock, (sqlite3_file * f, int o, int n, int fl), (s->real, o, n, fl))
PASS(ShmUnmap, (sqlite3_file * f, int d), (s->real, d))
PASS(Fetch, (sqlite3_file * f, sqlite3_int64 o, int n, void **p), (s->real, o, n, p))
PASS(Unfetch, (sqlite3_file * f, sqlite3_int64 o, void *p), (s->real, o, p))

static void slow_ShmBarrier(sqlite3_file *f)
{
    slow_file *s = (slow_file *)f;
    s->real->pMethods->xShmBarrier(s->real);
}

static int slow_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    slow_file *s = (slow_file *)f;
    s->real = (sqlite3_file *)(s + 1);
    int rc = base->xOpen(base, name, s->real, flags, out);
    if (rc != SQLITE_OK) {
        f->pMethods = NULL;
        return rc;
    }
    if (!base_methods) {
        base_methods = s->real->pMethods;
        slow_methods = *base_methods;
        slow_methods.xClose = slow_Close;
        slow_methods.xRead = slow_Read;
        slow_methods.xWrite = slow_Write;
        slow_methods.xTruncate = slow_Truncate;
        slow_methods.xSync = slow_sync;
        slow_methods.xFileSize = slow_FileSize;
        slow_methods.xLock = slow_Lock;
        slow_methods.xUnlock = slow_Unlock;
        slow_methods.xCheckReservedLock = slow_CheckReservedLock;
        slow_methods.xFileControl = slow_FileControl;
        slow_methods.xSectorSize = slow_SectorSize;
        slow_methods.xDeviceCharacteristics = slow_DeviceCharacteristics;
        slow_methods.xShmMap = slow_ShmMap;
        slow_methods.xShmLock = slow_ShmLock;
        slow_methods.xShmBarrier = slow_ShmBarrier;
        slow_methods.xShmUnmap = slow_ShmUnmap;
        slow_methods.xFetch = slow_Fetch;
        slow_methods.xUnfetch = slow_Unfetch;
    }
    f->pMethods = &slow_methods;
    return SQLITE_OK;
}

static void install(void)
{
    const char *fault = getenv("BANGTIN_TEST_FAULT");
    if (!fault || sscanf(fault, "slow-sync:%ld", &delay_ms) != 1 || delay_ms <= 0)
        return;
    base = sqlite3_vfs_find(NULL);
    if (!base)
        return;
    slow = *base;
    slow.zName = "bangtin-slow-sync";
    slow.szOsFile = (int)sizeof(slow_file) + base->szOsFile;
    slow.xOpen = slow_open;
    if (sqlite3_vfs_register(&slow, 1) == SQLITE_OK)
        bt_log_warn("BANGTIN_TEST_FAULT: mỗi lần đồng bộ đĩa của SQLite chậm thêm %ld ms "
                    "(chỉ để đo hiệu năng)", delay_ms);
}

void bt_store_test_faults(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
}
