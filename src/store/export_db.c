/* Signed exports for the city (bt_export.h, docs/export.md). The export database is attached to
 * the store's connection and filled with INSERT … SELECT inside one read of the store, so the
 * chains' pieces, their heads and the impressions are one consistent moment of the log. The
 * rows are copied column for column: the city recomputes each row's hash with the same code
 * (bt_airing_verify_piece) and an edited row shows wherever the export travels.
 *
 * Beside the store, bangtin.db.export remembers the last export's number and which rows the last
 * since-last export carried:
 *
 *     bangtin export state v1
 *     export_no 12
 *     airing_events 40411
 *     clock_events 7
 *     since_at 1765000000
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bangtin/bt_export.h"
#include "bangtin/bt_log.h"
#include "store_internal.h"

#define STATE_MAGIC "bangtin export state v1"
#define STATE_MAX_BYTES 512
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct {
    int64_t export_no, airing_seq, clock_seq, since_at;
} export_state;

/* The export's tables. Columns of both chains as the store's (schema steps 2 and 8), so a
 * row's hash is recomputed from exactly what the appliance hashed. */
static const char EXPORT_SCHEMA[] =
    "CREATE TABLE x.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE x.airing_events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  airing INTEGER NOT NULL, item_id TEXT, title TEXT, topic TEXT, sha256 TEXT,"
    "  playlist_id TEXT, playlist_version INTEGER, session_id TEXT, scheduled_at INTEGER,"
    "  started_at_ms INTEGER, ended_at_ms INTEGER, duration_ms INTEGER, status TEXT NOT NULL,"
    "  reason TEXT, clock_trusted INTEGER NOT NULL, logged_at_ms INTEGER NOT NULL,"
    "  text_sha256 TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE x.clock_events (seq INTEGER PRIMARY KEY, detected_at_ms INTEGER NOT NULL,"
    "  jump_ms INTEGER NOT NULL, mono_ns INTEGER NOT NULL, note TEXT,"
    "  logged_at_ms INTEGER NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE x.impressions (day TEXT NOT NULL, playlist_id TEXT NOT NULL,"
    "  notice_id TEXT NOT NULL, trusted INTEGER NOT NULL, shows INTEGER NOT NULL,"
    "  seconds REAL NOT NULL, video_whole INTEGER NOT NULL, video_cut INTEGER NOT NULL,"
    "  PRIMARY KEY (day, playlist_id, notice_id, trusted)) WITHOUT ROWID;"
    "CREATE TABLE x.target_sets (set_id INTEGER PRIMARY KEY, playlist_id TEXT NOT NULL,"
    "  playlist_version INTEGER NOT NULL, in_force_from INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL);"
    "CREATE TABLE x.target_defs (set_id INTEGER NOT NULL, target_id TEXT NOT NULL,"
    "  label TEXT NOT NULL, channel TEXT NOT NULL, topic TEXT, period TEXT NOT NULL,"
    "  minimum INTEGER NOT NULL, counts TEXT NOT NULL, from_day TEXT, until_day TEXT,"
    "  PRIMARY KEY (set_id, target_id)) WITHOUT ROWID;"
    "CREATE TABLE x.target_notices (set_id INTEGER NOT NULL, notice_id TEXT NOT NULL,"
    "  title TEXT, topic TEXT, from_day TEXT, until_day TEXT, weekdays INTEGER NOT NULL,"
    "  PRIMARY KEY (set_id, notice_id)) WITHOUT ROWID;"
    "CREATE TABLE x.playlists (activation INTEGER PRIMARY KEY, id TEXT NOT NULL,"
    "  version INTEGER NOT NULL, title TEXT NOT NULL, activated_at INTEGER NOT NULL);"
    /* Format 2: the channels staff record by hand (store step 11), as stored. */
    "CREATE TABLE x.staff_records (id INTEGER PRIMARY KEY, channel TEXT NOT NULL,"
    "  day TEXT NOT NULL, title TEXT, count INTEGER NOT NULL, topic TEXT, link TEXT, note TEXT,"
    "  source TEXT NOT NULL, entry_key TEXT, corrects INTEGER, playlist_id TEXT NOT NULL,"
    "  playlist_version INTEGER NOT NULL, recorded_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);";

/* ---- the state file ------------------------------------------------------------------------ */

static int state_path(sqlite3 *db, char *buf, size_t size)
{
    const char *file = sqlite3_db_filename(db, "main");
    if (!file || !*file)
        return -1;
    int n = snprintf(buf, size, "%s%s", file, BT_EXPORT_STATE_SUFFIX);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* 0 (zeroed when there is none yet) / -1 unreadable or not ours. */
static int state_read(const char *path, export_state *st)
{
    memset(st, 0, sizeof *st);
    char text[STATE_MAX_BYTES + 1];
    int found = bt_store_small_file_read(path, text, sizeof text);
    if (found <= 0)
        return found;
    long long no, a, c, since;
    if (sscanf(text, STATE_MAGIC "\nexport_no %lld\nairing_events %lld\nclock_events %lld\n"
                                 "since_at %lld", &no, &a, &c, &since) != 4 ||
        no < 0 || a < 0 || c < 0)
        return -1;
    *st = (export_state){no, a, c, since};
    return 0;
}

/* Written whole or not at all (bt_store_small_file_write). */
static int state_write(const char *path, const export_state *st)
{
    char text[STATE_MAX_BYTES];
    int n = snprintf(text, sizeof text,
                     STATE_MAGIC "\nexport_no %" PRId64 "\nairing_events %" PRId64
                                 "\nclock_events %" PRId64 "\nsince_at %" PRId64 "\n",
                     st->export_no, st->airing_seq, st->clock_seq, st->since_at);
    if (n <= 0 || n >= (int)sizeof text)
        return -1;
    return bt_store_small_file_write(path, text, (size_t)n);
}

/* ---- building ------------------------------------------------------------------------------ */

/* One integer (0 when NULL) from a query with the given arguments; -1 if it fails. */
static int query_int(sqlite3 *db, const char *sql, const int64_t *args, size_t n, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_int64(st, (int)i + 1, args[i]);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* A statement whose rows, if any, are not needed (the INSERTs). */
static int exec_bound(sqlite3 *db, const char *sql, const int64_t *args, size_t n)
{
    int64_t ignored;
    return query_int(db, sql, args, n, &ignored);
}

static int meta_put(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO x.meta (key, value) VALUES (?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value ? value : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int meta_int(sqlite3 *db, const char *key, int64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, v);
    return meta_put(db, key, text);
}

/* A chain's piece [first, last] by seq, and the hash its first row links to: the stored
 * prev_hash of row `first`, or the head's hash when the piece is empty. */
typedef struct {
    const char *table;
    int64_t first, last, head;
    char prev[65], head_hash[65];
} piece;

static int piece_bounds(sqlite3 *db, piece *p, const export_state *st, const bt_export_request *req)
{
    char sql[256];
    sqlite3_stmt *q = NULL;
    snprintf(sql, sizeof sql, "SELECT seq, hash FROM main.%s ORDER BY seq DESC LIMIT 1", p->table);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    snprintf(p->head_hash, sizeof p->head_hash, "%s", GENESIS_HASH);
    p->head = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        p->head = sqlite3_column_int64(q, 0);
        snprintf(p->head_hash, sizeof p->head_hash, "%s", (const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_finalize(q);
    if (req->since_last) {
        int64_t after = strcmp(p->table, "airing_events") == 0 ? st->airing_seq : st->clock_seq;
        p->first = after + 1;
        p->last = p->head;
    } else {
        /* The rows logged on those days, and every row between them, so the piece is whole. */
        int64_t args[2] = {bt_time_day_start(req->first) * 1000,
                           bt_time_day_start(req->last + 1) * 1000};
        snprintf(sql, sizeof sql, "SELECT min(seq) FROM main.%s WHERE logged_at_ms >= ?1 AND "
                                  "logged_at_ms < ?2", p->table);
        if (query_int(db, sql, args, 2, &p->first) != 0)
            return -1;
        snprintf(sql, sizeof sql, "SELECT max(seq) FROM main.%s WHERE logged_at_ms >= ?1 AND "
                                  "logged_at_ms < ?2", p->table);
        if (query_int(db, sql, args, 2, &p->last) != 0)
            return -1;
    }
    if (p->first == 0 || p->first > p->last) {
        p->first = p->last = 0;
        snprintf(p->prev, sizeof p->prev, "%s", p->head_hash);
        return 0;
    }
    snprintf(sql, sizeof sql, "SELECT prev_hash FROM main.%s WHERE seq = ?1", p->table);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, p->first);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        snprintf(p->prev, sizeof p->prev, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Column by column: the store's airing_events has text_sha256 last (added by step 8). */
static const char AIRING_COLUMNS[] =
    "seq, kind, airing, item_id, title, topic, sha256, playlist_id, playlist_version, session_id,"
    " scheduled_at, started_at_ms, ended_at_ms, duration_ms, status, reason, clock_trusted,"
    " logged_at_ms, text_sha256, prev_hash, hash";
static const char CLOCK_COLUMNS[] =
    "seq, detected_at_ms, jump_ms, mono_ns, note, logged_at_ms, prev_hash, hash";

static int copy_piece(sqlite3 *db, const piece *p)
{
    char sql[1024];
    int64_t args[2] = {p->first, p->last};
    const char *cols = strcmp(p->table, "airing_events") == 0 ? AIRING_COLUMNS : CLOCK_COLUMNS;
    snprintf(sql, sizeof sql, "INSERT INTO x.%s (%s) SELECT %s FROM main.%s WHERE seq BETWEEN ?1"
             " AND ?2", p->table, cols, cols, p->table);
    return p->first ? exec_bound(db, sql, args, 2) : 0;
}

/* The staff records a since-last export carries: every one recorded or changed (a playlist's
 * record gets a later topic, link or note) at or after the last export; a re-export by dates:
 * the records of those days as they stand now. The city keeps them by the store's row id. */
static int copy_staff_records(sqlite3 *db, const bt_export_request *req, bt_wall since)
{
    static const char cols[] =
        "id, channel, day, title, count, topic, link, note, source, entry_key, corrects,"
        " playlist_id, playlist_version, recorded_at, updated_at";
    char sql[512], first[16], last[16];
    sqlite3_stmt *st = NULL;
    if (req->since_last)
        snprintf(sql, sizeof sql, "INSERT INTO x.staff_records (%s) SELECT %s"
                 " FROM main.staff_records WHERE updated_at >= ?1", cols, cols);
    else
        snprintf(sql, sizeof sql, "INSERT INTO x.staff_records (%s) SELECT %s"
                 " FROM main.staff_records WHERE day BETWEEN ?2 AND ?3", cols, cols);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    if (!req->since_last) {
        sqlite3_bind_text(st, 2, bt_time_format_iso_day(req->first, first, sizeof first), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, bt_time_format_iso_day(req->last, last, sizeof last), -1,
                          SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Impressions of the days [from_day, to_day] (both tables, trusted marked), the target sets in
 * force at some time of [from, to) with their rows, and every playlist label. */
static int copy_context(sqlite3 *db, bt_day from_day, bt_day to_day, bt_wall from, bt_wall to)
{
    char first[16], last[16];
    int y, m, d;
    bt_time_ymd_from_day(from_day, &y, &m, &d);
    snprintf(first, sizeof first, "%04d-%02d-%02d", y, m, d);
    bt_time_ymd_from_day(to_day, &y, &m, &d);
    snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, d);
    sqlite3_stmt *st = NULL;
    static const char *const impressions[] = {
        "INSERT INTO x.impressions SELECT day, playlist_id, notice_id, 1, shows, seconds,"
        " video_whole, video_cut FROM main.impressions WHERE day BETWEEN ?1 AND ?2",
        "INSERT INTO x.impressions SELECT day, playlist_id, notice_id, 0, shows, seconds,"
        " video_whole, video_cut FROM main.impressions_untrusted WHERE day BETWEEN ?1 AND ?2"};
    for (size_t i = 0; i < 2; i++) {
        if (sqlite3_prepare_v2(db, impressions[i], -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    int64_t args[2] = {from, to};
    static const char sets[] =
        "INSERT INTO x.target_sets (set_id, playlist_id, playlist_version, in_force_from,"
        " recorded_at) SELECT set_id, playlist_id, playlist_version, in_force_from, recorded_at"
        " FROM main.target_sets WHERE in_force_from < ?2 AND"
        " (in_force_from >= ?1 OR set_id = (SELECT set_id FROM main.target_sets"
        "  WHERE in_force_from < ?1 ORDER BY in_force_from DESC, set_id DESC LIMIT 1))";
    if (exec_bound(db, sets, args, 2) != 0 ||
        bt_store_exec(db, "INSERT INTO x.target_defs (set_id, target_id, label, channel, topic, period,"
                          " minimum, counts, from_day, until_day) SELECT set_id, target_id, label,"
                          " channel, topic, period, minimum, counts, from_day, until_day"
                          " FROM main.target_defs d"
                          " WHERE d.set_id IN (SELECT set_id FROM x.target_sets)",
                      "xuất chỉ tiêu") != 0 ||
        bt_store_exec(db, "INSERT INTO x.target_notices (set_id, notice_id, title, topic, from_day,"
                          " until_day, weekdays) SELECT set_id, notice_id, title, topic, from_day,"
                          " until_day, weekdays FROM main.target_notices n"
                          " WHERE n.set_id IN (SELECT set_id FROM x.target_sets)",
                      "xuất chỉ tiêu") != 0 ||
        bt_store_exec(db, "INSERT INTO x.playlists SELECT activation, id, version, title,"
                          " activated_at FROM main.playlists",
                      "xuất playlist") != 0)
        return -1;
    return 0;
}

static int put_meta(sqlite3 *db, const bt_device_key *k, const bt_export_request *req,
                    const export_state *st, const piece *a, const piece *c)
{
    char hex[65], day[16] = "";
    sodium_bin2hex(hex, sizeof hex, k->public_key, 32);
    int rc = meta_put(db, "format", BT_EXPORT_FORMAT) | meta_int(db, "format_version", BT_EXPORT_VERSION) |
             meta_put(db, "device_id", k->id) | meta_put(db, "device_public_key", hex) |
             meta_put(db, "ward", req->ward) | meta_int(db, "export_no", st->export_no) |
             meta_int(db, "created_at", req->now);
    if (!req->since_last) {
        int y, m, d;
        bt_time_ymd_from_day(req->first, &y, &m, &d);
        snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
        rc |= meta_put(db, "range_first", day);
        bt_time_ymd_from_day(req->last, &y, &m, &d);
        snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
        rc |= meta_put(db, "range_last", day);
    }
    const piece *pieces[2] = {a, c};
    static const char *const names[2] = {"airing", "clock"};
    for (int i = 0; i < 2; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s_first", names[i]);
        rc |= meta_int(db, key, pieces[i]->first);
        snprintf(key, sizeof key, "%s_last", names[i]);
        rc |= meta_int(db, key, pieces[i]->last);
        snprintf(key, sizeof key, "%s_prev_hash", names[i]);
        rc |= meta_put(db, key, pieces[i]->prev);
        snprintf(key, sizeof key, "%s_head", names[i]);
        rc |= meta_int(db, key, pieces[i]->head);
        snprintf(key, sizeof key, "%s_head_hash", names[i]);
        rc |= meta_put(db, key, pieces[i]->head_hash);
    }
    return rc ? -1 : 0;
}

/* Inside the read of the store: the pieces, the rows and the meta. */
static int fill(sqlite3 *db, const bt_device_key *k, const bt_export_request *req,
                const export_state *st, bt_export_summary *sum)
{
    piece a = {.table = "airing_events"}, c = {.table = "clock_events"};
    if (piece_bounds(db, &a, st, req) != 0 || piece_bounds(db, &c, st, req) != 0 ||
        copy_piece(db, &a) != 0 || copy_piece(db, &c) != 0)
        return -1;
    bt_day from_day = req->since_last ? (st->since_at ? bt_time_day_of(st->since_at) : 0)
                                      : req->first;
    bt_day to_day = req->since_last ? bt_time_day_of(req->now) : req->last;
    bt_wall from = req->since_last ? st->since_at : bt_time_day_start(req->first);
    bt_wall to = req->since_last ? req->now + 1 : bt_time_day_start(req->last + 1);
    if (copy_context(db, from_day, to_day, from, to) != 0 ||
        copy_staff_records(db, req, st->since_at) != 0 || put_meta(db, k, req, st, &a, &c) != 0)
        return -1;
    int64_t rows = 0;
    query_int(db, "SELECT count(*) FROM x.impressions", NULL, 0, &rows);
    sum->export_no = st->export_no;
    sum->airing_first = a.first;
    sum->airing_last = a.last;
    sum->airing_head = a.head;
    sum->clock_first = c.first;
    sum->clock_last = c.last;
    sum->impression_rows = (size_t)rows;
    return 0;
}

int bt_export_build(bt_store *s, const bt_device_key *k, const bt_export_request *req,
                    const char *path, bt_export_summary *sum, char *err, size_t err_size)
{
    sqlite3 *db = bt_store_sqlite(s);
    char spath[BT_MAX_PATH_BYTES + 32];
    export_state st;
    memset(sum, 0, sizeof *sum);
    if (!db || state_path(db, spath, sizeof spath) != 0) {
        snprintf(err, err_size, "không có cơ sở dữ liệu để xuất");
        return -1;
    }
    if (state_read(spath, &st) != 0) {
        snprintf(err, err_size, "tệp \"%s\" không đọc được hoặc đã bị sửa: không biết lần xuất "
                 "trước dừng ở đâu. Đổi tên tệp đó thì lần xuất sau mang cả nhật ký", spath);
        return -1;
    }
    st.export_no++;
    if (state_write(spath, &st) != 0) {
        snprintf(err, err_size, "không ghi được \"%s\": %s", spath, bt_vi_errno(errno).text);
        return -1;
    }
    unlink(path);
    sqlite3_stmt *att = NULL;
    int rc = -1;
    bool attached = false;
    if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS x", -1, &att, NULL) == SQLITE_OK) {
        sqlite3_bind_text(att, 1, path, -1, SQLITE_STATIC);
        attached = sqlite3_step(att) == SQLITE_DONE;
    }
    sqlite3_finalize(att);
    if (!attached) {
        snprintf(err, err_size, "không tạo được tệp xuất \"%s\": %s", path,
                 bt_store_error(db).text);
        return -1;
    }
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas, "PRAGMA x.application_id = %d; PRAGMA x.user_version = %d;",
             BT_EXPORT_APPLICATION_ID, BT_EXPORT_VERSION);
    if (bt_store_exec(db, pragmas, "tạo tệp xuất") == 0 &&
        bt_store_exec(db, "BEGIN", "xuất nhật ký") == 0) {
        rc = bt_store_exec(db, EXPORT_SCHEMA, "tạo tệp xuất") == 0 &&
                     fill(db, k, req, &st, sum) == 0
                 ? 0
                 : -1;
        if (rc == 0)
            rc = bt_store_exec(db, "COMMIT", "xuất nhật ký");
        if (rc != 0) {
            snprintf(err, err_size, "không xuất được nhật ký vào \"%s\": %s", path,
                     bt_store_error(db).text);
            bt_store_exec(db, "ROLLBACK", "xuất nhật ký");
        }
    } else {
        snprintf(err, err_size, "không tạo được tệp xuất \"%s\": %s", path,
                 bt_store_error(db).text);
    }
    bt_store_exec(db, "DETACH DATABASE x", "xuất nhật ký");
    struct stat sb;
    if (rc == 0 && stat(path, &sb) == 0)
        sum->bytes = (uint64_t)sb.st_size;
    if (rc != 0)
        unlink(path);
    return rc;
}

int bt_export_mark_sent(bt_store *s, const bt_export_request *req, const bt_export_summary *sum,
                        char *err, size_t err_size)
{
    char spath[BT_MAX_PATH_BYTES + 32];
    export_state st;
    sqlite3 *db = bt_store_sqlite(s);
    if (!req->since_last)
        return 0;
    if (!db || state_path(db, spath, sizeof spath) != 0 || state_read(spath, &st) != 0) {
        snprintf(err, err_size, "không đọc được trạng thái xuất bên cạnh cơ sở dữ liệu");
        return -1;
    }
    if (sum->airing_last > st.airing_seq)
        st.airing_seq = sum->airing_last;
    if (sum->clock_last > st.clock_seq)
        st.clock_seq = sum->clock_last;
    st.since_at = req->now;
    if (state_write(spath, &st) != 0) {
        snprintf(err, err_size, "không ghi được \"%s\": %s", spath, bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}

int bt_export_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                        size_t err_size)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        snprintf(err, err_size, "không đọc được \"%s\": %s", path, bt_vi_errno(errno).text);
        if (f)
            fclose(f);
        return -1;
    }
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
        fclose(f);
        snprintf(err, err_size, "\"%s\" không phải tệp thường hoặc lớn quá %zu byte", path, max);
        return -1;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t got = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
    fclose(f);
    if (!buf || got != (size_t)sb.st_size) {
        free(buf);
        snprintf(err, err_size, "không đọc hết được \"%s\"", path);
        return -1;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

/* data written whole to path (bt_store_small_file_write: temp file, fsync, rename). */
static int write_whole(const char *path, const char *data, size_t len, char *err, size_t err_size)
{
    if (bt_store_small_file_write(path, data, len) != 0) {
        snprintf(err, err_size, "không ghi được \"%s\": %s", path, bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}

int bt_export_write_file(bt_store *s, const bt_device_key *k, const bt_export_request *req,
                         const char *path, bt_export_summary *sum, char *err, size_t err_size)
{
    char tmp[BT_MAX_PATH_BYTES + 16], sig_path[BT_MAX_PATH_BYTES + 16];
    if (snprintf(tmp, sizeof tmp, "%s.building", path) >= (int)sizeof tmp ||
        snprintf(sig_path, sizeof sig_path, "%s.sig", path) >= (int)sizeof sig_path) {
        snprintf(err, err_size, "đường dẫn \"%s\" quá dài", path);
        return -1;
    }
    if (bt_export_build(s, k, req, tmp, sum, err, err_size) != 0)
        return -1;
    char *data = NULL, *sig = NULL;
    size_t len = 0;
    int rc = -1;
    if (bt_export_read_file(tmp, BT_EXPORT_MAX_BYTES, &data, &len, err, err_size) != 0)
        goto done;
    if (!(sig = bt_device_key_sign(k, data, len))) {
        snprintf(err, err_size, "không ký được tệp xuất (khoá thiết bị không có nửa bí mật)");
        goto done;
    }
    /* The signature first: a FILE without its .sig is never left looking finished. */
    if (write_whole(sig_path, sig, strlen(sig), err, err_size) != 0)
        goto done;
    if (rename(tmp, path) != 0) {
        snprintf(err, err_size, "không ghi được \"%s\": %s", path, bt_vi_errno(errno).text);
        unlink(sig_path);
        goto done;
    }
    rc = bt_export_mark_sent(s, req, sum, err, err_size);
done:
    unlink(tmp);
    free(data);
    free(sig);
    return rc;
}

/* ---- reading back -------------------------------------------------------------------------- */

static int meta_get(sqlite3 *db, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int meta_get_int(sqlite3 *db, const char *key, int64_t *out)
{
    char text[32], *end = NULL;
    if (meta_get(db, key, text, sizeof text) != 0)
        return -1;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end)
        return -1;
    *out = v;
    return 0;
}

static bool hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

static int read_meta(sqlite3 *db, bt_export_meta *m)
{
    char format[32], key_hex[80];
    int64_t version = 0;
    size_t bin = 0;
    if (meta_get(db, "format", format, sizeof format) != 0 || strcmp(format, BT_EXPORT_FORMAT) ||
        meta_get_int(db, "format_version", &version) != 0 ||
        meta_get(db, "device_id", m->device_id, sizeof m->device_id) != 0 ||
        meta_get(db, "device_public_key", key_hex, sizeof key_hex) != 0 ||
        sodium_hex2bin(m->public_key, 32, key_hex, strlen(key_hex), NULL, &bin, NULL) != 0 ||
        bin != 32 || meta_get(db, "ward", m->ward, sizeof m->ward) != 0 ||
        meta_get_int(db, "export_no", &m->export_no) != 0 ||
        meta_get_int(db, "created_at", &m->created_at) != 0 ||
        meta_get_int(db, "airing_first", &m->airing_first) != 0 ||
        meta_get_int(db, "airing_last", &m->airing_last) != 0 ||
        meta_get_int(db, "airing_head", &m->airing_head) != 0 ||
        meta_get(db, "airing_head_hash", m->airing_head_hash, sizeof m->airing_head_hash) != 0 ||
        meta_get(db, "airing_prev_hash", m->airing_prev_hash, sizeof m->airing_prev_hash) != 0 ||
        meta_get_int(db, "clock_first", &m->clock_first) != 0 ||
        meta_get_int(db, "clock_last", &m->clock_last) != 0 ||
        meta_get_int(db, "clock_head", &m->clock_head) != 0 ||
        meta_get(db, "clock_head_hash", m->clock_head_hash, sizeof m->clock_head_hash) != 0 ||
        meta_get(db, "clock_prev_hash", m->clock_prev_hash, sizeof m->clock_prev_hash) != 0 ||
        !hex64(m->airing_head_hash) || !hex64(m->airing_prev_hash) ||
        !hex64(m->clock_head_hash) || !hex64(m->clock_prev_hash))
        return -1;
    meta_get(db, "range_first", m->range_first, sizeof m->range_first);
    meta_get(db, "range_last", m->range_last, sizeof m->range_last);
    m->version = (int)version;
    return 0;
}

/* The piece the meta names against the rows the table holds: bounds, first link, head. */
static void check_bounds(sqlite3 *db, const char *table, const char *label, int64_t first,
                         int64_t last, const char *prev, int64_t head, const char *head_hash,
                         bt_airing_verify_result *out)
{
    char sql[160];
    int64_t lo = 0, hi = 0;
    snprintf(sql, sizeof sql, "SELECT min(seq) FROM %s", table);
    query_int(db, sql, NULL, 0, &lo);
    snprintf(sql, sizeof sql, "SELECT max(seq) FROM %s", table);
    query_int(db, sql, NULL, 0, &hi);
    bt_airing_problem *p = out->problem_count < BT_AIRING_MAX_PROBLEMS
                               ? &out->problems[out->problem_count]
                               : NULL;
    char msg[sizeof p->message] = "";
    sqlite3_stmt *st = NULL;
    if (lo != first || hi != last) {
        snprintf(msg, sizeof msg, "%s: tệp ghi các dòng #%lld–#%lld nhưng chứa #%lld–#%lld", label,
                 (long long)first, (long long)last, (long long)lo, (long long)hi);
    } else if (first > 0) {
        snprintf(sql, sizeof sql, "SELECT prev_hash FROM %s WHERE seq = ?1", table);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, first);
            if (sqlite3_step(st) == SQLITE_ROW &&
                strcmp((const char *)sqlite3_column_text(st, 0), prev) != 0)
                snprintf(msg, sizeof msg, "%s: dòng đầu #%lld không nối với mã ghi trong tệp",
                         label, (long long)first);
            sqlite3_finalize(st);
        }
        snprintf(sql, sizeof sql, "SELECT hash FROM %s WHERE seq = ?1", table);
        if (!msg[0] && last == head && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, last);
            if (sqlite3_step(st) == SQLITE_ROW &&
                strcmp((const char *)sqlite3_column_text(st, 0), head_hash) != 0)
                snprintf(msg, sizeof msg, "%s: dòng cuối #%lld khác đầu chuỗi ghi trong tệp",
                         label, (long long)last);
            sqlite3_finalize(st);
        }
    } else if (strcmp(prev, head_hash) != 0) {
        snprintf(msg, sizeof msg, "%s: tệp không có dòng nào nhưng mã nối khác đầu chuỗi", label);
    }
    if (!msg[0])
        return;
    if (p) {
        snprintf(p->table, sizeof p->table, "%s", table);
        p->seq = first;
        snprintf(p->message, sizeof p->message, "%s", msg);
    }
    out->problem_count++;
}

int bt_export_inspect(const char *path, bt_export_meta *meta, bt_airing_verify_result *check,
                      char *err, size_t err_size)
{
    sqlite3 *db = NULL;
    memset(meta, 0, sizeof *meta);
    memset(check, 0, sizeof *check);
    int64_t app_id = 0, version = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        query_int(db, "PRAGMA application_id", NULL, 0, &app_id) != 0 ||
        query_int(db, "PRAGMA user_version", NULL, 0, &version) != 0 ||
        app_id != BT_EXPORT_APPLICATION_ID) {
        snprintf(err, err_size, "\"%s\" không phải tệp xuất của bangtin", path);
        sqlite3_close(db);
        return -1;
    }
    if (version > BT_EXPORT_VERSION) {
        snprintf(err, err_size, "\"%s\" là tệp xuất phiên bản %lld, mới hơn phiên bản %d mà "
                 "chương trình này đọc được: cài bản bangtin-fleet mới hơn", path,
                 (long long)version, BT_EXPORT_VERSION);
        sqlite3_close(db);
        return -1;
    }
    if (read_meta(db, meta) != 0) {
        snprintf(err, err_size, "\"%s\": bảng meta của tệp xuất thiếu hoặc sai khoá", path);
        sqlite3_close(db);
        return -1;
    }
    int rc = bt_airing_verify_piece(db, check);
    if (rc < 0) {
        snprintf(err, err_size, "\"%s\": không đọc được nhật ký trong tệp xuất: %s", path,
                 bt_store_error(db).text);
        sqlite3_close(db);
        return -1;
    }
    check_bounds(db, "airing_events", "Nhật ký phát thanh", meta->airing_first,
                 meta->airing_last, meta->airing_prev_hash, meta->airing_head,
                 meta->airing_head_hash, check);
    check_bounds(db, "clock_events", "Nhật ký đồng hồ", meta->clock_first, meta->clock_last,
                 meta->clock_prev_hash, meta->clock_head, meta->clock_head_hash, check);
    sqlite3_close(db);
    return check->problem_count ? 1 : 0;
}
