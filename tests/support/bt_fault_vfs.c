/* The fault-injecting VFS (bt_fault_vfs.h). Each file opened through it is our small header
 * followed by the wrapped VFS's own file object; every method is passed through, and the five
 * that touch the disk ask fault_check() first whether this call is the one that fails. */
#include "bt_fault_vfs.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

/* The end of a path, for the description of the failing call. */
#define FAULT_NAME_BYTES 48

typedef struct {
    sqlite3_file base;       /* pMethods = fault_methods while the wrapped file is open */
    sqlite3_file *real;      /* the wrapped VFS's file, right after this struct */
    const char *role;        /* "db", "wal", "journal", "temp" … */
    char name[FAULT_NAME_BYTES];
} fault_file;

static struct {
    pthread_mutex_t lock;
    unsigned kinds;
    long nth, calls, injected;
    int error;
    bool sticky, tripped;
    char first[BT_FAULT_WHAT_BYTES];
} fault = {.lock = PTHREAD_MUTEX_INITIALIZER};

static sqlite3_vfs fault_vfs;

static sqlite3_vfs *real_vfs(void)
{
    return fault_vfs.pAppData;
}

/* SQLITE_OK if the call may go through, else the error to return instead. */
static int fault_check(unsigned kind, const char *call, const char *role, const char *name,
                       int64_t offset, int amount)
{
    int rc = SQLITE_OK;
    pthread_mutex_lock(&fault.lock);
    if (fault.kinds & kind) {
        fault.calls++;
        bool now = fault.nth > 0 && fault.calls == fault.nth;
        if (now || (fault.tripped && fault.sticky)) {
            rc = fault.error;
            fault.injected++;
        }
        if (now) {
            fault.tripped = true;
            snprintf(fault.first, sizeof fault.first, "%s %s (%s) @%lld ×%d → %d", call,
                     name[0] ? name : "(tạm)", role, (long long)offset, amount, rc);
        }
    }
    pthread_mutex_unlock(&fault.lock);
    return rc;
}

void bt_fault_vfs_arm(unsigned kinds, long nth, int error, bool sticky)
{
    pthread_mutex_lock(&fault.lock);
    fault.kinds = kinds;
    fault.nth = nth;
    fault.error = error;
    fault.sticky = sticky;
    fault.calls = fault.injected = 0;
    fault.tripped = false;
    fault.first[0] = '\0';
    pthread_mutex_unlock(&fault.lock);
}

void bt_fault_vfs_disarm(void)
{
    pthread_mutex_lock(&fault.lock);
    fault.nth = 0;
    fault.sticky = false;
    pthread_mutex_unlock(&fault.lock);
}

long bt_fault_vfs_calls(void)
{
    pthread_mutex_lock(&fault.lock);
    long n = fault.calls;
    pthread_mutex_unlock(&fault.lock);
    return n;
}

long bt_fault_vfs_injected(void)
{
    pthread_mutex_lock(&fault.lock);
    long n = fault.injected;
    pthread_mutex_unlock(&fault.lock);
    return n;
}

const char *bt_fault_vfs_first(char *buf, size_t size)
{
    pthread_mutex_lock(&fault.lock);
    snprintf(buf, size, "%s", fault.first);
    pthread_mutex_unlock(&fault.lock);
    return buf;
}

/* ---- the file methods ---------------------------------------------------------------------- */

static sqlite3_file *real_of(sqlite3_file *file)
{
    return ((fault_file *)file)->real;
}

static int file_check(sqlite3_file *file, unsigned kind, const char *call, int64_t offset,
                      int amount)
{
    const fault_file *f = (const fault_file *)file;
    return fault_check(kind, call, f->role, f->name, offset, amount);
}

static int fault_close(sqlite3_file *file)
{
    sqlite3_file *r = real_of(file);
    int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    file->pMethods = NULL;
    return rc;
}

static int fault_read(sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
    int rc = file_check(file, BT_FAULT_READ, "xRead", offset, amount);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_file *r = real_of(file);
    return r->pMethods->xRead(r, buf, amount, offset);
}

static int fault_write(sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
    int rc = file_check(file, BT_FAULT_WRITE, "xWrite", offset, amount);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_file *r = real_of(file);
    return r->pMethods->xWrite(r, buf, amount, offset);
}

static int fault_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    int rc = file_check(file, BT_FAULT_TRUNCATE, "xTruncate", size, 0);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_file *r = real_of(file);
    return r->pMethods->xTruncate(r, size);
}

static int fault_sync(sqlite3_file *file, int flags)
{
    int rc = file_check(file, BT_FAULT_SYNC, "xSync", 0, 0);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_file *r = real_of(file);
    return r->pMethods->xSync(r, flags);
}

static int fault_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xFileSize(r, size);
}

static int fault_lock(sqlite3_file *file, int level)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xLock(r, level);
}

static int fault_unlock(sqlite3_file *file, int level)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xUnlock(r, level);
}

static int fault_check_reserved(sqlite3_file *file, int *out)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xCheckReservedLock(r, out);
}

static int fault_file_control(sqlite3_file *file, int op, void *arg)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xFileControl(r, op, arg);
}

static int fault_sector_size(sqlite3_file *file)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xSectorSize(r);
}

static int fault_device(sqlite3_file *file)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xDeviceCharacteristics(r);
}

/* The WAL index (shared memory) and memory-mapped reads are passed through: they are memory,
 * not the disk. */
static int fault_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xShmMap(r, page, size, extend, out);
}

static int fault_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xShmLock(r, offset, n, flags);
}

static void fault_shm_barrier(sqlite3_file *file)
{
    sqlite3_file *r = real_of(file);
    r->pMethods->xShmBarrier(r);
}

static int fault_shm_unmap(sqlite3_file *file, int delete_flag)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xShmUnmap(r, delete_flag);
}

static int fault_fetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xFetch(r, offset, amount, out);
}

static int fault_unfetch(sqlite3_file *file, sqlite3_int64 offset, void *p)
{
    sqlite3_file *r = real_of(file);
    return r->pMethods->xUnfetch(r, offset, p);
}

static const sqlite3_io_methods fault_methods = {
    .iVersion = 3,
    .xClose = fault_close,
    .xRead = fault_read,
    .xWrite = fault_write,
    .xTruncate = fault_truncate,
    .xSync = fault_sync,
    .xFileSize = fault_file_size,
    .xLock = fault_lock,
    .xUnlock = fault_unlock,
    .xCheckReservedLock = fault_check_reserved,
    .xFileControl = fault_file_control,
    .xSectorSize = fault_sector_size,
    .xDeviceCharacteristics = fault_device,
    .xShmMap = fault_shm_map,
    .xShmLock = fault_shm_lock,
    .xShmBarrier = fault_shm_barrier,
    .xShmUnmap = fault_shm_unmap,
    .xFetch = fault_fetch,
    .xUnfetch = fault_unfetch,
};

/* ---- the VFS ------------------------------------------------------------------------------- */

static const char *role_of(int flags)
{
    if (flags & SQLITE_OPEN_MAIN_DB)
        return "db";
    if (flags & SQLITE_OPEN_WAL)
        return "wal";
    if (flags & SQLITE_OPEN_MAIN_JOURNAL)
        return "journal";
    if (flags & SQLITE_OPEN_SUBJOURNAL)
        return "subjournal";
    if (flags & SQLITE_OPEN_SUPER_JOURNAL)
        return "super-journal";
    return "temp";
}

static int fault_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                      int *out_flags)
{
    (void)vfs;
    fault_file *f = (fault_file *)file;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)&f[1];
    f->role = role_of(flags);
    const char *slash = name ? strrchr(name, '/') : NULL;
    snprintf(f->name, sizeof f->name, "%s", slash ? slash + 1 : name ? name : "");
    int rc = fault_check(BT_FAULT_OPEN, "xOpen", f->role, f->name, 0, 0);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vfs *r = real_vfs();
    rc = r->xOpen(r, name, f->real, flags, out_flags);
    /* SQLite calls xClose only on a file whose pMethods is set: as the wrapped VFS left it. */
    f->base.pMethods = f->real->pMethods ? &fault_methods : NULL;
    return rc;
}

static int fault_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}

static int fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

static int fault_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
    (void)vfs;
    return real_vfs()->xFullPathname(real_vfs(), name, size, out);
}

static void *fault_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs()->xDlOpen(real_vfs(), name);
}

static void fault_dl_error(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    real_vfs()->xDlError(real_vfs(), size, out);
}

static void (*fault_dl_sym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void)
{
    (void)vfs;
    return real_vfs()->xDlSym(real_vfs(), handle, symbol);
}

static void fault_dl_close(sqlite3_vfs *vfs, void *handle)
{
    (void)vfs;
    real_vfs()->xDlClose(real_vfs(), handle);
}

static int fault_randomness(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    return real_vfs()->xRandomness(real_vfs(), size, out);
}

static int fault_sleep(sqlite3_vfs *vfs, int microseconds)
{
    (void)vfs;
    return real_vfs()->xSleep(real_vfs(), microseconds);
}

static int fault_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs()->xCurrentTime(real_vfs(), out);
}

static int fault_last_error(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    return real_vfs()->xGetLastError(real_vfs(), size, out);
}

static int fault_current_time_64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

int bt_fault_vfs_register(void)
{
    if (fault_vfs.pAppData)
        return SQLITE_OK;
    sqlite3_vfs *r = sqlite3_vfs_find(NULL);
    if (!r)
        return SQLITE_ERROR;
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2, /* no system-call overrides: they are the wrapped VFS's business */
        .szOsFile = (int)sizeof(fault_file) + r->szOsFile,
        .mxPathname = r->mxPathname,
        .zName = "bt_fault",
        .pAppData = r,
        .xOpen = fault_open,
        .xDelete = fault_delete,
        .xAccess = fault_access,
        .xFullPathname = fault_full_pathname,
        .xDlOpen = fault_dl_open,
        .xDlError = fault_dl_error,
        .xDlSym = fault_dl_sym,
        .xDlClose = fault_dl_close,
        .xRandomness = fault_randomness,
        .xSleep = fault_sleep,
        .xCurrentTime = fault_current_time,
        .xGetLastError = fault_last_error,
        .xCurrentTimeInt64 = fault_current_time_64,
    };
    int rc = sqlite3_vfs_register(&fault_vfs, 1);
    if (rc != SQLITE_OK)
        fault_vfs.pAppData = NULL;
    return rc;
}
