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
#include "store_internal.h"

/* A file shorter than SQLite's 100-byte header cannot be a database (0 bytes: a new one). */
#define SQLITE_HEADER_BYTES 100

/* Opens the file through the store's create-nothing read-only URI (snapshot.c) and checks it. */
static bt_store_state check_file(const char *path, char *problem, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char err[BT_MAX_PATH_BYTES + 128], quick[256] = "";
    if (bt_store_open_readonly_raw(path, &db, err, sizeof err) != 0) {
        snprintf(problem, size, "không đọc được tệp cơ sở dữ liệu \"%s\"", path);
        return BT_STORE_UNREADABLE;
    }
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    bt_store_state state = BT_STORE_FINE;
    problem[0] = '\0';
    if (version > bt_schema_latest_version()) {
        snprintf(problem, size, "cơ sở dữ liệu \"%s\" thuộc bản bangtin mới hơn (phiên bản %d, "
                                "bản này hiểu đến %d) — cài lại bản mới hơn; không sửa tệp này",
                 path, version, bt_schema_latest_version());
        state = BT_STORE_NEWER;
    } else {
        if (version >= 0)
            bt_store_quick_check(db, quick, sizeof quick);
        if (version < 0 || strcmp(quick, "ok") != 0) {
            snprintf(problem, size, "cơ sở dữ liệu \"%s\" bị hỏng (%s)", path,
                     version < 0 ? "không phải cơ sở dữ liệu SQLite"
                                 : "kiểm tra quick_check báo lỗi");
            state = BT_STORE_CORRUPT;
        }
    }
    sqlite3_close(db);
    return state;
}

bt_store_state bt_store_diagnose(const char *path, char *problem, size_t size)
{
    char dir[BT_MAX_PATH_BYTES];
    struct stat st;
    struct statvfs vfs;
    bt_store_folder_of(path, dir, sizeof dir);
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
