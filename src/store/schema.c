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

    /* 2: the airing log and clock events (airing.c). Evidence for the culture department, so
     * append only: every row is an event (an airing starts, ends, or is recorded whole when it
     * never started), carries the hash of the previous row of its chain and its own hash, and
     * log_heads remembers each chain's last row so a deleted tail shows too. Triggers refuse
     * UPDATE and DELETE; bt_airing_verify still catches edits made with them dropped. */
    "CREATE TABLE airing_events ("
    "  seq INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('start', 'end', 'record')),"
    "  airing INTEGER NOT NULL,"
    "  item_id TEXT,"
    "  title TEXT,"
    "  topic TEXT,"
    "  sha256 TEXT,"
    "  playlist_id TEXT,"
    "  playlist_version INTEGER,"
    "  session_id TEXT,"
    "  scheduled_at INTEGER,"
    "  started_at_ms INTEGER,"
    "  ended_at_ms INTEGER,"
    "  duration_ms INTEGER,"
    "  status TEXT NOT NULL"
    "    CHECK (status IN ('airing', 'completed', 'interrupted', 'failed', 'missed')),"
    "  reason TEXT,"
    "  clock_trusted INTEGER NOT NULL CHECK (clock_trusted IN (0, 1)),"
    "  logged_at_ms INTEGER NOT NULL,"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64),"
    "  CHECK ((kind = 'start' AND status = 'airing' AND airing = seq)"
    "      OR (kind = 'record' AND status IN ('missed', 'failed') AND airing = seq)"
    "      OR (kind = 'end' AND status IN ('completed', 'interrupted', 'failed') AND airing < seq)),"
    "  CHECK (kind = 'end' OR (item_id IS NOT NULL AND title IS NOT NULL"
    "      AND playlist_id IS NOT NULL AND session_id IS NOT NULL AND scheduled_at IS NOT NULL))"
    ");"
    /* An airing ends once. */
    "CREATE UNIQUE INDEX airing_events_one_end ON airing_events (airing) WHERE kind = 'end';"
    "CREATE INDEX airing_events_scheduled ON airing_events (scheduled_at) WHERE kind <> 'end';"
    "CREATE TRIGGER airing_events_no_update BEFORE UPDATE ON airing_events BEGIN"
    "  SELECT RAISE(ABORT, 'nhật ký phát thanh chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER airing_events_no_delete BEFORE DELETE ON airing_events BEGIN"
    "  SELECT RAISE(ABORT, 'nhật ký phát thanh chỉ được ghi thêm, không được xóa'); END;"
    /* Wall-clock jumps seen against the monotonic clock. */
    "CREATE TABLE clock_events ("
    "  seq INTEGER PRIMARY KEY,"
    "  detected_at_ms INTEGER NOT NULL,"
    "  jump_ms INTEGER NOT NULL,"
    "  mono_ns INTEGER NOT NULL,"
    "  note TEXT,"
    "  logged_at_ms INTEGER NOT NULL,"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ");"
    "CREATE TRIGGER clock_events_no_update BEFORE UPDATE ON clock_events BEGIN"
    "  SELECT RAISE(ABORT, 'nhật ký đồng hồ chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER clock_events_no_delete BEFORE DELETE ON clock_events BEGIN"
    "  SELECT RAISE(ABORT, 'nhật ký đồng hồ chỉ được ghi thêm, không được xóa'); END;"
    "CREATE TABLE log_heads ("
    "  chain TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER log_heads_forward BEFORE UPDATE ON log_heads"
    "  WHEN NEW.seq <= OLD.seq OR NEW.chain <> OLD.chain BEGIN"
    "  SELECT RAISE(ABORT, 'đầu chuỗi nhật ký chỉ được tiến lên'); END;"
    "CREATE TRIGGER log_heads_no_delete BEFORE DELETE ON log_heads BEGIN"
    "  SELECT RAISE(ABORT, 'đầu chuỗi nhật ký không được xóa'); END;"
    /* One row per airing: its start (or whole record) joined with its end, if any. */
    "CREATE VIEW airings AS"
    "  SELECT s.seq AS airing, s.item_id, s.title, s.topic, s.sha256, s.playlist_id,"
    "    s.playlist_version, s.session_id, s.scheduled_at, s.started_at_ms,"
    "    e.ended_at_ms, e.duration_ms,"
    "    CASE WHEN s.kind = 'record' THEN s.status ELSE COALESCE(e.status, 'airing') END"
    "      AS status,"
    "    CASE WHEN s.kind = 'record' THEN s.reason ELSE e.reason END AS reason,"
    "    (s.clock_trusted AND COALESCE(e.clock_trusted, 1)) AS clock_trusted"
    "  FROM airing_events s"
    "  LEFT JOIN airing_events e ON e.kind = 'end' AND e.airing = s.seq"
    "  WHERE s.kind IN ('start', 'record');",
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
