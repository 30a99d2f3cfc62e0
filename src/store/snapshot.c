/* Reading a store without writing anything (bt_store.h): a read-only connection that creates
 * no file, whose contents are copied into memory and opened there as an ordinary store, so every
 * store query works on it while the file itself is never written, migrated or locked for long.
 * `bangtin doctor` and `bangtin status` read through it; the kiosk's start-up diagnosis uses the
 * same read-only URI and quick_check (rescue.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_store.h"
#include "store_internal.h"

/* How long the read-only connection waits behind the kiosk's write lock (a WAL checkpoint):
 * short, so a command at the console never seems to hang. */
#define SNAPSHOT_BUSY_TIMEOUT_MS 5000
/* The in-memory copy's name: one per process, shared between the connection that fills it and
 * the store that reads it (SQLite's shared cache keeps it alive while either is open). */
#define SNAPSHOT_URI "file:bangtin-status-snapshot?mode=memory&cache=shared"

static bool side_file_exists(const char *path, const char *suffix)
{
    char side[BT_MAX_PATH_BYTES + 8];
    struct stat st;
    return snprintf(side, sizeof side, "%s%s", path, suffix) < (int)sizeof side &&
           stat(side, &st) == 0;
}

/* A store whose -wal and -shm are missing (the kiosk stopped and closed it cleanly: everything
 * is in the main file) is opened immutable, because a read-only connection would otherwise
 * create both and leave them behind, owned by whoever ran this. With both present the kiosk may
 * be writing: a plain read-only connection sees its latest commits and creates nothing. */
int bt_store_readonly_uri(const char *path, char *uri, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    bool live = side_file_exists(path, "-wal") && side_file_exists(path, "-shm");
    size_t n = (size_t)snprintf(uri, size, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p)) {
            uri[n++] = (char)*p;
        } else {
            uri[n++] = '%';
            uri[n++] = hex[*p >> 4];
            uri[n++] = hex[*p & 15];
        }
    }
    uri[n] = '\0';
    int tail = snprintf(uri + n, size - n, "?mode=ro%s", live ? "" : "&immutable=1");
    return tail > 0 && (size_t)tail < size - n ? 0 : -1;
}

void bt_store_quick_check(sqlite3 *db, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    else
        snprintf(out, size, "%s", bt_store_error(db).text);
    sqlite3_finalize(st);
}

int bt_store_open_readonly_raw(const char *path, sqlite3 **out, char *err, size_t err_size)
{
    char uri[BT_STORE_URI_BYTES];
    *out = NULL;
    /* URIs are what make a read-only, create-nothing open possible; Debian's SQLite has them
     * on, and this turns them on elsewhere (before SQLite's first use, else it is refused). */
    if (sqlite3_config(SQLITE_CONFIG_URI, 1) != SQLITE_OK && !sqlite3_compileoption_used("USE_URI")) {
        snprintf(err, err_size, "SQLite của máy không cho mở cơ sở dữ liệu chỉ để đọc");
        return -1;
    }
    if (bt_store_readonly_uri(path, uri, sizeof uri) != 0) {
        snprintf(err, err_size, "đường dẫn \"%s\" quá dài", path);
        return -1;
    }
    if (sqlite3_open_v2(uri, out, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "không mở được \"%s\" để đọc: %s", path,
                 bt_store_error(*out).text);
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_busy_timeout(*out, SNAPSHOT_BUSY_TIMEOUT_MS);
    return 0;
}

/* Copies the whole file into the shared in-memory database; the returned connection keeps it
 * alive until the store has opened it. NULL with err. */
static sqlite3 *copy_to_memory(sqlite3 *src, const char *path, char *err, size_t err_size)
{
    sqlite3 *mem = NULL;
    if (sqlite3_open_v2(SNAPSHOT_URI, &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "không đủ bộ nhớ để đọc cơ sở dữ liệu \"%s\"", path);
        sqlite3_close(mem);
        return NULL;
    }
    sqlite3_backup *b = sqlite3_backup_init(mem, "main", src, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        /* The step's code: the connection's own was reset by sqlite3_backup_finish. */
        bt_store_error(b ? src : mem); /* the English text, to the journal */
        snprintf(err, err_size, "không đọc được cơ sở dữ liệu \"%s\": %s", path,
                 bt_vi_sqlite(rc).text);
        sqlite3_close(mem);
        return NULL;
    }
    return mem;
}

int bt_store_open_snapshot(const char *path, bt_store **out, char *quick_check,
                           size_t quick_check_size, char *err, size_t err_size)
{
    sqlite3 *src = NULL, *mem = NULL;
    int rc = -1;
    *out = NULL;
    if (bt_store_open_readonly_raw(path, &src, err, err_size) != 0)
        return -1;
    if (quick_check)
        bt_store_quick_check(src, quick_check, quick_check_size);
    if (!(mem = copy_to_memory(src, path, err, err_size)))
        goto done;
    char why[512];
    if (bt_store_open(SNAPSHOT_URI, out, why, sizeof why) != 0) {
        snprintf(err, err_size, "cơ sở dữ liệu \"%s\": %s", path, why);
        goto done;
    }
    rc = 0;
done:
    sqlite3_close(mem);
    sqlite3_close(src);
    return rc;
}
