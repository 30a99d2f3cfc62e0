/* Schema and migrations. Each step is SQL applied in its own transaction together with
 * `PRAGMA user_version = <step number>`, so a database is always at exactly one known version
 * even if the power goes mid-upgrade. Steps are append only: never edit a released step, add a
 * new one that changes what it made. */
#include <stdbool.h>
#include <stdio.h>

#include <sqlite3.h>

#include "schema.h"
#include "store_internal.h"

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

    /* 3: loudness measurements of broadcast audio (measurements.c), so an item is decoded and
     * measured once, when its playlist is first loaded. Keyed by the file's content hash and
     * the measuring method: a re-copied file is found again, a new method measures afresh. */
    "CREATE TABLE audio_measurements ("
    "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    "  method TEXT NOT NULL CHECK (length(method) BETWEEN 1 AND 64),"
    "  integrated_lufs REAL NOT NULL,"
    "  sample_peak_dbfs REAL NOT NULL,"
    "  true_peak_dbtp REAL NOT NULL,"
    "  duration_seconds REAL NOT NULL CHECK (duration_seconds > 0),"
    "  measured_at INTEGER NOT NULL,"
    "  PRIMARY KEY (sha256, method)"
    ") WITHOUT ROWID;",

    /* 4: the content store's index (content.c, USB import). Files of imported playlists live
     * once each under data_dir/content/objects, named by their SHA-256; each imported playlist
     * is a directory of hard links to them, named by the SHA-256 of its signed MANIFEST. These
     * tables say which objects and directories are kept, so anything else on disk is debris of
     * an interrupted import. An activation still goes to `playlists` (history); a stored
     * playlist's latest activation is looked up there by its directory. */
    "CREATE TABLE content_objects ("
    "  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  added_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE content_playlists ("
    "  key TEXT PRIMARY KEY CHECK (length(key) = 64),"
    "  id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  title TEXT NOT NULL,"
    "  dir TEXT NOT NULL UNIQUE,"
    "  notices INTEGER NOT NULL CHECK (notices >= 0),"
    "  items INTEGER NOT NULL CHECK (items >= 0),"
    "  signer TEXT NOT NULL,"
    "  imported_at INTEGER NOT NULL,"
    /* Set when `rollback` leaves it, so a second rollback goes further back instead of
     * returning; cleared when the same package is imported again. */
    "  rolled_back INTEGER NOT NULL DEFAULT 0 CHECK (rolled_back IN (0, 1))"
    ") WITHOUT ROWID;"
    "CREATE TABLE content_files ("
    "  key TEXT NOT NULL REFERENCES content_playlists (key) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL REFERENCES content_objects (sha256),"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  PRIMARY KEY (key, path)"
    ") WITHOUT ROWID;"
    "CREATE INDEX content_files_object ON content_files (sha256);"
    "CREATE INDEX playlists_dir ON playlists (dir);",

    /* 5: targets and notices for reports (targets_store.c). Each activation records a set: the
     * playlist's targets and its notices (title, topic, posting days), in force from
     * in_force_from until the next set's, so a report on a past period counts against the
     * targets in force then and names notices as they were. Append only, like the airing log.
     * Also an index for the airing log's slot-range queries (bt_airing_list, reports): the
     * `airings` view filters kind IN ('start', 'record'), which step 2's partial index
     * (kind <> 'end') does not match for SQLite's planner, so each query scanned the whole log
     * — years of rows for a quarter's report. */
    "CREATE INDEX airing_events_slot ON airing_events (scheduled_at)"
    "  WHERE kind IN ('start', 'record');"
    "CREATE TABLE target_sets ("
    "  set_id INTEGER PRIMARY KEY,"
    "  playlist_id TEXT NOT NULL CHECK (length(playlist_id) BETWEEN 1 AND 64),"
    "  playlist_version INTEGER NOT NULL CHECK (playlist_version >= 1),"
    "  in_force_from INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX target_sets_in_force ON target_sets (in_force_from, set_id);"
    "CREATE TABLE target_defs ("
    "  set_id INTEGER NOT NULL REFERENCES target_sets (set_id),"
    "  target_id TEXT NOT NULL CHECK (length(target_id) BETWEEN 1 AND 64),"
    "  label TEXT NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('loudspeaker', 'screen')),"
    "  topic TEXT,"
    "  period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),"
    "  minimum INTEGER NOT NULL CHECK (minimum >= 1),"
    "  counts TEXT NOT NULL CHECK (counts IN ('items', 'airings', 'notices', 'minutes')),"
    "  from_day TEXT CHECK (from_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  until_day TEXT CHECK (until_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  PRIMARY KEY (set_id, target_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE target_notices ("
    "  set_id INTEGER NOT NULL REFERENCES target_sets (set_id),"
    "  notice_id TEXT NOT NULL,"
    "  title TEXT,"
    "  topic TEXT,"
    "  from_day TEXT CHECK (from_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  until_day TEXT CHECK (until_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  weekdays INTEGER NOT NULL CHECK (weekdays BETWEEN 0 AND 127),"
    "  PRIMARY KEY (set_id, notice_id)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER target_sets_no_update BEFORE UPDATE ON target_sets BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER target_sets_no_delete BEFORE DELETE ON target_sets BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được xóa'); END;"
    "CREATE TRIGGER target_defs_no_update BEFORE UPDATE ON target_defs BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER target_defs_no_delete BEFORE DELETE ON target_defs BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được xóa'); END;"
    "CREATE TRIGGER target_notices_no_update BEFORE UPDATE ON target_notices BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER target_notices_no_delete BEFORE DELETE ON target_notices BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được xóa'); END;",

    /* 6: screen time shown while the wall clock could not be believed, or across a jump of it
     * (bt_proof.h). Kept apart from `impressions` rather than flagged inside it: reports and
     * targets read `impressions` and must count only days a clock vouched for, while these
     * seconds stay on record as evidence that the screen showed. The seconds themselves are
     * monotonic-clock seconds like the others. day '' = no trusted time was known since the
     * kiosk started (a box booted at 2000 and never set right), rather than a made-up date. */
    "CREATE TABLE impressions_untrusted ("
    "  day TEXT NOT NULL"
    "    CHECK (day = '' OR day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  playlist_id TEXT NOT NULL,"
    "  notice_id TEXT NOT NULL,"
    "  shows INTEGER NOT NULL DEFAULT 0 CHECK (shows >= 0),"
    "  seconds REAL NOT NULL DEFAULT 0 CHECK (seconds >= 0),"
    "  PRIMARY KEY (day, playlist_id, notice_id)"
    ") WITHOUT ROWID;",

    /* 7: dead air in broadcast items (bt_silence.h), measured with the loudness from the same
     * decode and kept beside it, keyed by the same content hash, so `bangtin log` and reports
     * show the figures of what aired (airing rows carry the hash). NULL in rows measured
     * before this step; their method is older, so they are measured afresh anyway. */
    "ALTER TABLE audio_measurements ADD COLUMN leading_silence_seconds REAL"
    "  CHECK (leading_silence_seconds >= 0);"
    "ALTER TABLE audio_measurements ADD COLUMN trailing_silence_seconds REAL"
    "  CHECK (trailing_silence_seconds >= 0);"
    "ALTER TABLE audio_measurements ADD COLUMN longest_inside_silence_seconds REAL"
    "  CHECK (longest_inside_silence_seconds >= 0);"
    "ALTER TABLE audio_measurements ADD COLUMN longest_inside_silence_at_seconds REAL"
    "  CHECK (longest_inside_silence_at_seconds >= 0);"
    "ALTER TABLE audio_measurements ADD COLUMN silent_fraction REAL"
    "  CHECK (silent_fraction BETWEEN 0 AND 1);",

    /* 8: text bulletins (issue 11): an airing of a text item keeps the SHA-256 of its words
     * beside that of the audio that aired (sha256, the render). Rows written before have NULL
     * here, and the hash chain hashes this column only when it holds a value (airing.c), so
     * they verify as before. The view shows it. */
    "ALTER TABLE airing_events ADD COLUMN text_sha256 TEXT"
    "  CHECK (text_sha256 IS NULL OR length(text_sha256) = 64);"
    "DROP VIEW airings;"
    "CREATE VIEW airings AS"
    "  SELECT s.seq AS airing, s.item_id, s.title, s.topic, s.sha256, s.playlist_id,"
    "    s.playlist_version, s.session_id, s.scheduled_at, s.started_at_ms,"
    "    e.ended_at_ms, e.duration_ms,"
    "    CASE WHEN s.kind = 'record' THEN s.status ELSE COALESCE(e.status, 'airing') END"
    "      AS status,"
    "    CASE WHEN s.kind = 'record' THEN s.reason ELSE e.reason END AS reason,"
    "    (s.clock_trusted AND COALESCE(e.clock_trusted, 1)) AS clock_trusted,"
    "    s.text_sha256"
    "  FROM airing_events s"
    "  LEFT JOIN airing_events e ON e.kind = 'end' AND e.airing = s.seq"
    "  WHERE s.kind IN ('start', 'record');",

    /* 9: an activation of a stick staff approved with the PIN (usb.unsigned = "pin", issue 12)
     * keeps the time the right PIN was entered; NULL for every other activation (signed by a
     * trusted key, `activate`, rollback, and every row before this step). */
    "ALTER TABLE playlists ADD COLUMN pin_approved_at INTEGER;",

    /* 10: the channels the appliance cannot observe (issue 13). staff_records keeps what staff
     * recorded in a playlist's `records` (the City's CCHC page, the ward website, conferences,
     * the Zalo group, other): part of what the department reports from, so a record stays when
     * later playlists no longer carry it, and the same record on a later stick (same channel,
     * day and title: the key) updates its topic, link and note instead of counting twice. Rows
     * are never deleted. target_defs is rebuilt with the same columns and rows, only its
     * channel CHECK widened to the new slugs (SQLite cannot alter a CHECK), and its triggers
     * made again. */
    "CREATE TABLE staff_records ("
    "  channel TEXT NOT NULL"
    "    CHECK (channel IN ('city-page', 'ward-site', 'conference', 'zalo', 'other')),"
    "  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  title TEXT NOT NULL CHECK (length(title) >= 1),"
    "  topic TEXT,"
    "  link TEXT,"
    "  note TEXT,"
    "  playlist_id TEXT NOT NULL,"
    "  playlist_version INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (channel, day, title)"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_records_day ON staff_records (day);"
    "CREATE TRIGGER staff_records_no_delete BEFORE DELETE ON staff_records BEGIN"
    "  SELECT RAISE(ABORT, 'tin bài do cán bộ ghi nhận không được xóa'); END;"
    "CREATE TABLE target_defs_10 ("
    "  set_id INTEGER NOT NULL REFERENCES target_sets (set_id),"
    "  target_id TEXT NOT NULL CHECK (length(target_id) BETWEEN 1 AND 64),"
    "  label TEXT NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('loudspeaker', 'screen', 'city-page',"
    "    'ward-site', 'conference', 'zalo', 'other')),"
    "  topic TEXT,"
    "  period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),"
    "  minimum INTEGER NOT NULL CHECK (minimum >= 1),"
    "  counts TEXT NOT NULL CHECK (counts IN ('items', 'airings', 'notices', 'minutes')),"
    "  from_day TEXT CHECK (from_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  until_day TEXT CHECK (until_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  PRIMARY KEY (set_id, target_id)"
    ") WITHOUT ROWID;"
    "INSERT INTO target_defs_10 (set_id, target_id, label, channel, topic, period, minimum,"
    "  counts, from_day, until_day)"
    "  SELECT set_id, target_id, label, channel, topic, period, minimum, counts, from_day,"
    "  until_day FROM target_defs;"
    "DROP TABLE target_defs;"
    "ALTER TABLE target_defs_10 RENAME TO target_defs;"
    "CREATE TRIGGER target_defs_no_update BEFORE UPDATE ON target_defs BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được sửa'); END;"
    "CREATE TRIGGER target_defs_no_delete BEFORE DELETE ON target_defs BEGIN"
    "  SELECT RAISE(ABORT, 'lịch sử chỉ tiêu chỉ được ghi thêm, không được xóa'); END;",

    /* 11: staff records from the panel and from a playlist's ghi-nhan.csv (issue 13). Each
     * such entry counts `count` tin/bài and has no title, so the table is rebuilt with its own
     * row id: a playlist's record stays unique by channel, day and title (a partial index, the
     * upsert's target), a CSV row by its content key (the same file imported again adds
     * nothing), and an entry is undone by a correcting row of the negative count that names it
     * (`corrects`, at most one per entry) — never by a delete or an edit: the table is evidence.
     * Only a playlist's record may still have its topic, link and note updated by a later
     * version of that playlist. The rows of step 10 are kept as they were (count 1, source
     * 'playlist'). */
    "CREATE TABLE staff_records_11 ("
    "  id INTEGER PRIMARY KEY,"
    "  channel TEXT NOT NULL"
    "    CHECK (channel IN ('city-page', 'ward-site', 'conference', 'zalo', 'other')),"
    "  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  title TEXT,"
    "  count INTEGER NOT NULL DEFAULT 1 CHECK (count <> 0),"
    "  topic TEXT,"
    "  link TEXT,"
    "  note TEXT,"
    "  source TEXT NOT NULL DEFAULT 'playlist' CHECK (source IN ('playlist', 'csv', 'panel')),"
    "  entry_key TEXT,"
    "  corrects INTEGER REFERENCES staff_records_11 (id),"
    "  playlist_id TEXT NOT NULL,"
    "  playlist_version INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (source <> 'playlist' OR length(title) >= 1),"
    "  CHECK ((corrects IS NULL) = (count > 0))"
    ");"
    "INSERT INTO staff_records_11 (channel, day, title, topic, link, note, playlist_id,"
    "  playlist_version, recorded_at, updated_at)"
    "  SELECT channel, day, title, topic, link, note, playlist_id, playlist_version,"
    "  recorded_at, updated_at FROM staff_records ORDER BY recorded_at, day, channel, title;"
    "DROP TABLE staff_records;"
    "ALTER TABLE staff_records_11 RENAME TO staff_records;"
    "CREATE UNIQUE INDEX staff_records_title ON staff_records (channel, day, title)"
    "  WHERE source = 'playlist';"
    "CREATE UNIQUE INDEX staff_records_key ON staff_records (entry_key)"
    "  WHERE entry_key IS NOT NULL;"
    "CREATE UNIQUE INDEX staff_records_corrects ON staff_records (corrects)"
    "  WHERE corrects IS NOT NULL;"
    "CREATE INDEX staff_records_day ON staff_records (day);"
    "CREATE TRIGGER staff_records_no_delete BEFORE DELETE ON staff_records BEGIN"
    "  SELECT RAISE(ABORT, 'tin bài do cán bộ ghi nhận không được xóa'); END;"
    "CREATE TRIGGER staff_records_no_edit BEFORE UPDATE ON staff_records"
    "  WHEN OLD.source <> 'playlist' OR NEW.source <> OLD.source OR NEW.channel <> OLD.channel"
    "  OR NEW.day <> OLD.day OR NEW.title IS NOT OLD.title OR NEW.count <> OLD.count"
    "  OR NEW.corrects IS NOT OLD.corrects OR NEW.recorded_at <> OLD.recorded_at BEGIN"
    "  SELECT RAISE(ABORT, 'ghi nhận của cán bộ không được sửa — hãy hủy bằng một dòng điều"
    " chỉnh'); END;",

    /* 12: video notices' plays (issue 15), beside the showings they are part of: how many of a
     * day's showings of a clip played it whole and how many were cut short (bt_proof_row). 0 for
     * every other notice and for every row written before this step, when no clip played. */
    "ALTER TABLE impressions ADD COLUMN video_whole INTEGER NOT NULL DEFAULT 0"
    "  CHECK (video_whole >= 0);"
    "ALTER TABLE impressions ADD COLUMN video_cut INTEGER NOT NULL DEFAULT 0"
    "  CHECK (video_cut >= 0);"
    "ALTER TABLE impressions_untrusted ADD COLUMN video_whole INTEGER NOT NULL DEFAULT 0"
    "  CHECK (video_whole >= 0);"
    "ALTER TABLE impressions_untrusted ADD COLUMN video_cut INTEGER NOT NULL DEFAULT 0"
    "  CHECK (video_cut >= 0);",
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
    bool rollback = false;
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
    rollback = true;
fail:
    /* The cause first: the ROLLBACK below resets the connection's message ("not an error"). */
    snprintf(err, err_size, "Không nâng cấp được cơ sở dữ liệu lên phiên bản %d: %s", step,
             bt_store_error(db).text);
    if (rollback)
        sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
    sqlite3_free(msg);
    return -1;
}

int bt_schema_check(sqlite3 *db, int *version, char *err, size_t err_size)
{
    if (read_version(db, version) != 0) {
        snprintf(err, err_size, "Không đọc được phiên bản cơ sở dữ liệu: %s",
                 bt_store_error(db).text);
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
