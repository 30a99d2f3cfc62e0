/* When the store cannot be opened (bt_store.h, "rescue"): what is wrong, in words staff can act
 * on, and setting a broken database aside so a new one can start. Nothing here deletes: a
 * database that is set aside keeps its name with ".hong-<time>" added, for recovery.
 *
 * The diagnosis looks from outside SQLite's write path: a read-only open of the file (which
 * creates nothing), its header, its schema version and PRAGMA quick_check; the folder's write
 * permission and free space. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_store.h"
#include "schema.h"

/* A file shorter than SQLite's 100-byte header cannot be a database (0 bytes: a new one). */
#define SQLITE_HEADER_BYTES 100

/* The folder part of path (".": none). */
static void folder_of(const char *path, char *dir, size_t size)
{
    snprintf(dir, size, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* Opens the file read-only and immutable (no -wal/-shm made, no lock taken) and checks it. */
static bt_store_state check_file(const char *path, char *problem, size_t size)
{
    char uri[BT_MAX_PATH_BYTES + 64];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bt_store_state state = BT_STORE_CORRUPT;
    snprintf(uri, sizeof uri, "file:%s?mode=ro&immutable=1", path);
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        snprintf(problem, size, "không đọc được tệp cơ sở dữ liệu \"%s\"", path);
        sqlite3_close(db);
        return BT_STORE_UNREADABLE;
    }
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version > bt_schema_latest_version()) {
        snprintf(problem, size, "cơ sở dữ liệu \"%s\" thuộc bản bangtin mới hơn (phiên bản %d, "
                                "bản này hiểu đến %d) — cài lại bản mới hơn; không sửa tệp này",
                 path, version, bt_schema_latest_version());
        state = BT_STORE_NEWER;
    } else if (version < 0 ||
               sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
               sqlite3_step(st) != SQLITE_ROW ||
               strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        snprintf(problem, size, "cơ sở dữ liệu \"%s\" bị hỏng (%s)", path,
                 version < 0 ? "không phải cơ sở dữ liệu SQLite" : "kiểm tra quick_check báo lỗi");
    } else {
        problem[0] = '\0';
        state = BT_STORE_FINE;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return state;
}

bt_store_state bt_store_diagnose(const char *path, char *problem, size_t size)
{
    char dir[BT_MAX_PATH_BYTES];
    struct stat st;
    struct statvfs vfs;
    folder_of(path, dir, sizeof dir);
    problem[0] = '\0';
    if (stat(dir, &st) == 0 && access(dir, W_OK) != 0) {
        snprintf(problem, size, "thư mục dữ liệu \"%s\" chỉ đọc (%s) — kiểm tra quyền và ổ đĩa",
                 dir, errno == EROFS ? "ổ đĩa chỉ đọc" : "không có quyền ghi");
        return BT_STORE_READONLY_DIR;
    }
    if (statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0) {
        snprintf(problem, size, "đĩa đầy: thư mục dữ liệu \"%s\" không còn chỗ trống — xoá bớt "
                                "tệp không cần trên ổ đĩa này", dir);
        return BT_STORE_DISK_FULL;
    }
    if (stat(path, &st) != 0)
        return BT_STORE_FINE; /* a new installation: the store makes it */
    if (st.st_size > 0 && st.st_size < SQLITE_HEADER_BYTES) {
        snprintf(problem, size, "cơ sở dữ liệu \"%s\" bị cắt cụt (%lld byte)", path,
                 (long long)st.st_size);
        return BT_STORE_CORRUPT;
    }
    if (st.st_size == 0)
        return BT_STORE_FINE; /* emptied: started anew; the log's witness reports the loss */
    return check_file(path, problem, size);
}

int bt_store_set_aside(const char *path, char *moved, size_t size)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char stamp[32], from[BT_MAX_PATH_BYTES + 8], to[BT_MAX_PATH_BYTES + 64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    if (snprintf(moved, size, "%s.hong-%s", path, stamp) >= (int)size)
        return -1;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(from, sizeof from, "%s%s", path, suffixes[i]);
        snprintf(to, sizeof to, "%s%s", moved, suffixes[i]);
        if (rename(from, to) != 0 && errno != ENOENT)
            return -1;
    }
    return 0;
}
