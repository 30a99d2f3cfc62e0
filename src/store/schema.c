/* Schema and migrations. Each step is SQL applied in its own transaction together with
 * `PRAGMA user_version = <step number>`, so a database is always at exactly one known version
 * even if the power goes mid-upgrade. Steps are append only: never edit a released step, add a
 * new one that changes what it made. */
#include <stdio.h>

#include <sqlite3.h>

#include "schema.h"

static const char *const migration_steps[] = {
    /* 1: activation history and screen impressions. */
    /* One row per activation; the playlist's own id repeats when a new version is loaded, so
     * the row key is separate. At most one row is active (partial unique index). */
    "CREATE TABLE playlists ("
    "  activation INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  title TEXT NOT NULL,"
    "  dir TEXT NOT NULL,"
    "  activated_at INTEGER NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))"
    ");"
    "CREATE UNIQUE INDEX playlists_one_active ON playlists (active) WHERE active = 1;"
    /* Totals per local day; rows are upserted with added counts, so a flush is idempotent only
     * per batch: the kiosk clears its rows after a successful write. No foreign key to
     * playlists: a playlist id is not unique there (history), and proof of play must survive
     * any pruning of the history. */
    "CREATE TABLE impressions ("
    "  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  playlist_id TEXT NOT NULL,"
    "  notice_id TEXT NOT NULL,"
    "  shows INTEGER NOT NULL DEFAULT 0 CHECK (shows >= 0),"
    "  seconds REAL NOT NULL DEFAULT 0 CHECK (seconds >= 0),"
    "  PRIMARY KEY (day, playlist_id, notice_id)"
    ") WITHOUT ROWID;",
};

#define STEP_COUNT ((int)(sizeof(migration_steps) / sizeof(migration_steps[0])))

int bt_schema_latest_version(void)
{
    return STEP_COUNT;
}

static int read_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version;", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static void newer_error(int version, char *err, size_t err_size)
{
    snprintf(err, err_size,
             "Cơ sở dữ liệu có phiên bản %d, mới hơn phiên bản %d mà chương trình này hiểu. "
             "Hãy cài bản bangtin mới hơn; không dùng cơ sở dữ liệu này với bản cũ.",
             version, STEP_COUNT);
}

/* One step in one transaction. The version is read again inside the write lock, so two
 * processes opening the same new database cannot apply a step twice. *version is what the
 * database holds afterwards. */
static int apply_next_step(sqlite3 *db, int *version, char *err, size_t err_size)
{
    char *msg = NULL;
    int step = *version + 1;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE;", NULL, NULL, &msg) != SQLITE_OK)
        goto fail;
    if (read_version(db, version) != 0)
        goto fail_rollback;
    if (*version > STEP_COUNT) {
        sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
        newer_error(*version, err, err_size);
        return -1;
    }
    if (*version >= STEP_COUNT) {
        /* Another connection finished the upgrade while we waited for the lock. */
        if (sqlite3_exec(db, "COMMIT;", NULL, NULL, &msg) != SQLITE_OK)
            goto fail_rollback;
        return 0;
    }
    step = *version + 1;

    char set_version[64];
    snprintf(set_version, sizeof(set_version), "PRAGMA user_version = %d;", step);
    if (sqlite3_exec(db, migration_steps[step - 1], NULL, NULL, &msg) != SQLITE_OK)
        goto fail_rollback;
    if (sqlite3_exec(db, set_version, NULL, NULL, &msg) != SQLITE_OK)
        goto fail_rollback;
    if (sqlite3_exec(db, "COMMIT;", NULL, NULL, &msg) != SQLITE_OK)
        goto fail_rollback;
    *version = step;
    return 0;

fail_rollback:
    sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
fail:
    snprintf(err, err_size, "Không nâng cấp được cơ sở dữ liệu lên phiên bản %d: %s", step,
             msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

int bt_schema_check(sqlite3 *db, int *version, char *err, size_t err_size)
{
    if (read_version(db, version) != 0) {
        snprintf(err, err_size, "Không đọc được phiên bản cơ sở dữ liệu: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (*version > STEP_COUNT) {
        newer_error(*version, err, err_size);
        return -1;
    }
    if (*version < 0) {
        snprintf(err, err_size, "Cơ sở dữ liệu có phiên bản không hợp lệ (%d).", *version);
        return -1;
    }
    return 0;
}

int bt_schema_migrate(sqlite3 *db, int *version, char *err, size_t err_size)
{
    if (bt_schema_check(db, version, err, err_size) != 0)
        return -1;
    while (*version < STEP_COUNT)
        if (apply_next_step(db, version, err, err_size) != 0)
            return -1;
    return 0;
}
