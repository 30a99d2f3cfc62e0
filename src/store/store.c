/* The appliance's SQLite database: opening and migrating it, the active playlist, and screen
 * proof of play. One bt_store per thread (each thread its own connection); statements are
 * prepared once at open and reused, since the kiosk writes impressions for as long as it runs.
 *
 * Durability: WAL with synchronous=NORMAL. A power cut can lose the last few committed
 * impression batches but never corrupts the file, which is the right trade for counters written
 * every few minutes on an SD card. The airing log (a later issue) is evidence the culture
 * department audits: its writes must run with synchronous=FULL (the pragma is per connection,
 * so set it around those transactions or give the airing log its own connection). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "schema.h"
#include "store_internal.h"

/* How long a connection waits for another one's write lock (the USB worker's import, a report
 * query) before giving up: long enough for any transaction we make, short enough that a stuck
 * lock shows up in the log instead of freezing the screen. */
#define STORE_BUSY_TIMEOUT_MS 5000
/* "YYYY-MM-DD" plus NUL, with room to spare. */
#define STORE_DAY_TEXT 16

/* Cached statements, prepared once at open. */
typedef enum {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_DEACTIVATE_PLAYLISTS,
    ST_INSERT_PLAYLIST,
    ST_SELECT_ACTIVE_PLAYLIST,
    ST_UPSERT_IMPRESSION,
    ST_UPSERT_IMPRESSION_UNTRUSTED,
    ST_SELECT_IMPRESSION,
    ST_COUNT
} statement_id;

static const char *const statement_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE", /* take the write lock up front: no upgrade deadlock */
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_DEACTIVATE_PLAYLISTS] = "UPDATE playlists SET active = 0 WHERE active = 1",
    [ST_INSERT_PLAYLIST] = "INSERT INTO playlists (id, version, title, dir, activated_at, active)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, 1)",
    [ST_SELECT_ACTIVE_PLAYLIST] =
        "SELECT id, version, title, dir, activated_at FROM playlists WHERE active = 1",
    [ST_UPSERT_IMPRESSION] =
        "INSERT INTO impressions (day, playlist_id, notice_id, shows, seconds, video_whole,"
        " video_cut) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (day, playlist_id, notice_id) DO UPDATE SET"
        " shows = shows + excluded.shows, seconds = seconds + excluded.seconds,"
        " video_whole = video_whole + excluded.video_whole,"
        " video_cut = video_cut + excluded.video_cut",
    [ST_UPSERT_IMPRESSION_UNTRUSTED] =
        "INSERT INTO impressions_untrusted (day, playlist_id, notice_id, shows, seconds, video_whole,"
        " video_cut) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (day, playlist_id, notice_id) DO UPDATE SET"
        " shows = shows + excluded.shows, seconds = seconds + excluded.seconds,"
        " video_whole = video_whole + excluded.video_whole,"
        " video_cut = video_cut + excluded.video_cut",
    [ST_SELECT_IMPRESSION] = "SELECT shows, seconds FROM impressions"
                             " WHERE day = ?1 AND playlist_id = ?2 AND notice_id = ?3",
};

struct bt_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
};


/* Runs a statement that returns no rows and resets it. */
static int run(bt_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi %s: %s", what, bt_store_error(s->db).text);
        return -1;
    }
    return 0;
}

static void rollback(bt_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        run(s, s->st[ST_ROLLBACK], "hủy giao dịch");
}

/* journal_mode answers with the mode in effect, which is how we learn it was refused. */
static int set_wal(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        /* An in-memory database (tests, `simulate`) cannot use WAL and needs no journal file. */
        ok = mode && (strcmp(mode, "wal") == 0 || strcmp(mode, "memory") == 0);
    }
    if (!ok)
        bt_set_error(err, err_size, "Không bật được chế độ ghi WAL cho cơ sở dữ liệu “%s”: %s", path,
                bt_store_error(db).text);
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

static int configure(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    if (set_wal(db, path, err, err_size) != 0)
        return -1;
    char *msg = NULL;
    /* NORMAL is enough for impressions (see the top of this file); FULL is for the airing log. */
    if (sqlite3_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", NULL, NULL,
                     &msg) != SQLITE_OK) {
        bt_set_error(err, err_size, "Không cấu hình được cơ sở dữ liệu “%s”: %s", path,
                bt_store_error(db).text);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int prepare_all(bt_store *s, char *err, size_t err_size)
{
    for (size_t i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            bt_set_error(err, err_size, "Lỗi chuẩn bị câu lệnh cơ sở dữ liệu (%s): %s",
                    statement_sql[i], bt_store_error(s->db).text);
            return -1;
        }
    }
    return 0;
}

int bt_store_open(const char *path, bt_store **out, char *err, size_t err_size)
{
    char schema_err[512];
    int version = 0;
    *out = NULL;
    bt_store_test_faults();
    if (err && err_size > 0)
        err[0] = '\0';
    if (!path || !path[0]) {
        bt_set_error(err, err_size, "Chưa chỉ định đường dẫn cơ sở dữ liệu.");
        return -1;
    }
    bt_store *s = calloc(1, sizeof(*s));
    if (!s) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để mở cơ sở dữ liệu “%s”.", path);
        return -1;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        bt_set_error(err, err_size, "Không mở được cơ sở dữ liệu “%s”: %s", path,
                bt_store_error(s->db).text);
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);

    /* The version is checked before any pragma or write, so a database from a newer bangtin
     * (or a file that is not a database at all) is left untouched. */
    if (bt_schema_check(s->db, &version, schema_err, sizeof(schema_err)) != 0) {
        if (sqlite3_errcode(s->db) == SQLITE_NOTADB)
            bt_set_error(err, err_size, "Tệp “%s” không phải cơ sở dữ liệu SQLite hoặc đã hỏng.",
                    path);
        else
            bt_set_error(err, err_size, "Cơ sở dữ liệu “%s”: %s", path, schema_err);
        goto fail;
    }
    if (configure(s->db, path, err, err_size) != 0)
        goto fail;
    if (bt_schema_migrate(s->db, &version, schema_err, sizeof(schema_err)) != 0) {
        bt_set_error(err, err_size, "Cơ sở dữ liệu “%s”: %s", path, schema_err);
        goto fail;
    }
    if (prepare_all(s, err, err_size) != 0)
        goto fail;
    *out = s;
    return 0;

fail:
    bt_store_close(s);
    return -1;
}

void bt_store_close(bt_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]); /* NULL is a no-op */
    /* Closing the last connection checkpoints the WAL into the main file. */
    if (sqlite3_close(s->db) != SQLITE_OK)
        bt_log_error("Không đóng được cơ sở dữ liệu: %s", bt_store_error(s->db).text);
    free(s);
}

int bt_store_set_cache_kib(bt_store *s, int kib)
{
    char sql[64];
    if (!s || kib <= 0)
        return -1;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
    return bt_store_exec(s->db, sql, "giới hạn bộ nhớ đệm");
}

int bt_store_schema_version(bt_store *s)
{
    char err[256];
    int version = -1;
    if (!s || bt_schema_check(s->db, &version, err, sizeof(err)) != 0)
        return -1;
    return version;
}

void bt_store_folder_of(const char *path, char *dir, size_t size)
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

/* ---- durable transactions ------------------------------------------------------------------ */

static int read_synchronous(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int level = 1; /* NORMAL, the store's default */
    if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        level = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return level;
}

int bt_store_set_synchronous(sqlite3 *db, int level)
{
    char sql[48];
    snprintf(sql, sizeof(sql), "PRAGMA synchronous = %d", level);
    return bt_store_exec(db, sql, "đặt chế độ ghi đồng bộ");
}

int bt_store_durable_begin(sqlite3 *db, int *saved, const char *what)
{
    *saved = read_synchronous(db);
    if (bt_store_set_synchronous(db, 2 /* FULL */) != 0 || read_synchronous(db) != 2) {
        bt_log_error("Không %s: không bật được chế độ ghi đồng bộ (synchronous=FULL), không ghi "
                     "gì.", what);
        bt_store_set_synchronous(db, *saved);
        return -1;
    }
    char step[160];
    snprintf(step, sizeof step, "bắt đầu %s", what);
    if (bt_store_exec(db, "BEGIN IMMEDIATE", step) != 0) {
        bt_store_set_synchronous(db, *saved);
        return -1;
    }
    return 0;
}

int bt_store_activate(bt_store *s, const bt_store_playlist *sp, const bt_playlist *p)
{
    int saved;
    if (!s || !sp || !sp->id[0])
        return -1;
    /* Like a stick's activation: once said done, the switch survives a power cut. */
    if (bt_store_durable_begin(s->db, &saved, "kích hoạt playlist") != 0)
        return -1;
    if (run(s, s->st[ST_DEACTIVATE_PLAYLISTS], "bỏ kích hoạt danh sách phát cũ") != 0)
        goto fail;
    sqlite3_stmt *st = s->st[ST_INSERT_PLAYLIST];
    sqlite3_bind_text(st, 1, sp->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, sp->version);
    sqlite3_bind_text(st, 3, sp->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sp->dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, sp->activated_at);
    if (run(s, st, "ghi danh sách phát được kích hoạt") != 0)
        goto fail;
    if (p && bt_targets_record_in(s->db, p, &p->targets, sp->activated_at) != 0)
        goto fail;
    if (run(s, s->st[ST_COMMIT], "ghi giao dịch") != 0)
        goto fail;
    bt_store_set_synchronous(s->db, saved);
    return 0;

fail:
    rollback(s);
    bt_store_set_synchronous(s->db, saved);
    return -1;
}

int bt_store_activate_playlist(bt_store *s, const bt_store_playlist *p)
{
    return bt_store_activate(s, p, NULL);
}

static void copy_column(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? text : "");
}

int bt_store_active_playlist(bt_store *s, bt_store_playlist *out)
{
    if (!s || !out)
        return -1;
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = s->st[ST_SELECT_ACTIVE_PLAYLIST];
    int rc = sqlite3_step(st);
    int result = 0;
    if (rc == SQLITE_ROW) {
        copy_column(out->id, sizeof(out->id), st, 0);
        out->version = sqlite3_column_int(st, 1);
        copy_column(out->title, sizeof(out->title), st, 2);
        copy_column(out->dir, sizeof(out->dir), st, 3);
        out->activated_at = sqlite3_column_int64(st, 4);
        result = 1;
    } else if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc danh sách phát đang dùng: %s",
                     bt_store_error(s->db).text);
        result = -1;
    }
    sqlite3_reset(st);
    return result;
}

int bt_store_add_impressions(bt_store *s, const bt_proof_row *rows, size_t count)
{
    if (!s || (count > 0 && !rows))
        return -1;
    if (count == 0)
        return 0;
    if (run(s, s->st[ST_BEGIN], "bắt đầu giao dịch") != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const bt_proof_row *r = &rows[i];
        if (r->shows == 0 && r->seconds == 0 && r->video_whole == 0 && r->video_cut == 0)
            continue; /* nothing to add; do not create an empty row */
        char day[STORE_DAY_TEXT] = "";
        if (r->day != BT_PROOF_DAY_UNKNOWN) /* '' in the table: see schema step 6 */
            bt_time_format_iso_day(r->day, day, sizeof(day));
        sqlite3_stmt *st = s->st[r->clock_untrusted ? ST_UPSERT_IMPRESSION_UNTRUSTED
                                                    : ST_UPSERT_IMPRESSION];
        sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, r->playlist_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->notice_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, r->shows);
        sqlite3_bind_double(st, 5, r->seconds);
        sqlite3_bind_int64(st, 6, r->video_whole);
        sqlite3_bind_int64(st, 7, r->video_cut);
        if (run(s, st, "ghi số lần hiển thị") != 0)
            goto fail;
    }
    if (run(s, s->st[ST_COMMIT], "ghi giao dịch") != 0)
        goto fail;
    return 0;

fail:
    /* All or nothing: the caller keeps its rows and retries the whole batch later. */
    rollback(s);
    return -1;
}

int bt_store_impressions(bt_store *s, const char *playlist_id, const char *notice_id, bt_day day,
                         int64_t *shows, double *seconds)
{
    *shows = 0;
    *seconds = 0;
    if (!s || !playlist_id || !notice_id)
        return -1;
    char day_text[STORE_DAY_TEXT];
    bt_time_format_iso_day(day, day_text, sizeof(day_text));
    sqlite3_stmt *st = s->st[ST_SELECT_IMPRESSION];
    sqlite3_bind_text(st, 1, day_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, playlist_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, notice_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int result = 0;
    if (rc == SQLITE_ROW) {
        *shows = sqlite3_column_int64(st, 0);
        *seconds = sqlite3_column_double(st, 1);
    } else if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc số lần hiển thị: %s", bt_store_error(s->db).text);
        result = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return result;
}

/* The columns every reader of impressions takes, in the order read_impression_rows reads. */
#define IMPRESSION_COLUMNS "day, playlist_id, notice_id, shows, seconds, video_whole, video_cut"

int bt_store_read_impressions(sqlite3 *db, bool untrusted, bt_day first, bt_day last,
                              bt_proof_row **rows, size_t *count)
{
    *rows = NULL;
    *count = 0;
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    bt_proof_row *list = NULL;
    size_t n = 0, cap = 0;
    char from[STORE_DAY_TEXT], to[STORE_DAY_TEXT];
    int rc = sqlite3_prepare_v2(db,
                                untrusted ? "SELECT " IMPRESSION_COLUMNS " FROM impressions_untrusted"
                                            " ORDER BY day, playlist_id, notice_id"
                                          : "SELECT " IMPRESSION_COLUMNS " FROM impressions"
                                            " WHERE day BETWEEN ?1 AND ?2"
                                            " ORDER BY day, playlist_id, notice_id",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && !untrusted) {
        sqlite3_bind_text(st, 1, bt_time_format_iso_day(first, from, sizeof from), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bt_time_format_iso_day(last, to, sizeof to), -1, SQLITE_STATIC);
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        bt_proof_row *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        bt_proof_row *r = &list[n++];
        memset(r, 0, sizeof *r);
        r->clock_untrusted = untrusted;
        /* '' in impressions_untrusted: no day was known (schema step 6) */
        const char *day = (const char *)sqlite3_column_text(st, 0);
        if (!day || !day[0] || bt_time_parse_date(day, &r->day) != 0)
            r->day = untrusted ? BT_PROOF_DAY_UNKNOWN : 0;
        copy_column(r->playlist_id, sizeof r->playlist_id, st, 1);
        copy_column(r->notice_id, sizeof r->notice_id, st, 2);
        r->shows = sqlite3_column_int64(st, 3);
        r->seconds = sqlite3_column_double(st, 4);
        r->video_whole = sqlite3_column_int64(st, 5);
        r->video_cut = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc số lần hiển thị%s: %s",
                     untrusted ? " lúc đồng hồ sai" : "", bt_store_error(db).text);
        free(list);
        return -1;
    }
    *rows = list;
    *count = n;
    return 0;
}

int bt_store_impressions_untrusted(bt_store *s, bt_proof_row **rows, size_t *count)
{
    return bt_store_read_impressions(s ? s->db : NULL, true, 0, 0, rows, count);
}

/* For the store's other modules (store_internal.h): the airing log shares this connection. */
/* Per thread: the writer thread asks about its own last failure, whatever other connections
 * in the process do meanwhile. */
static _Thread_local int last_failure;

void bt_store_note_failure(sqlite3 *db)
{
    last_failure = sqlite3_extended_errcode(db);
}

int bt_store_last_failure(void)
{
    return last_failure;
}

int bt_store_exec(sqlite3 *db, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        bt_store_note_failure(db);
        bt_log_error("Lỗi cơ sở dữ liệu khi %s: %s", what, bt_store_error(db).text);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

bt_vi_text bt_store_error(sqlite3 *db)
{
    int code = sqlite3_extended_errcode(db);
    bt_log_debug("SQLite (mã %d): %s", code, sqlite3_errmsg(db));
    return bt_vi_sqlite(code);
}

sqlite3 *bt_store_sqlite(bt_store *s)
{
    return s ? s->db : NULL;
}
