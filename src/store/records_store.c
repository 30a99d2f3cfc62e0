/* Staff records of the channels the appliance cannot observe (bt_records.h), kept in
 * staff_records (schema steps 10 and 11) for good: a later playlist need not carry them again.
 * A playlist's record (channel, day, title) brought again updates its topic, link and note
 * rather than counting twice; a row of its ghi-nhan.csv brought again (its content key) adds
 * nothing. Written with each activation (bt_targets_record_in), read back for reports. The staff
 * panel's entries and their undoing (bt_records_store.h) are rows too, never edits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_time.h"
#include "store_internal.h"

#define DAY_TEXT 16

static void bind_text_or_null(sqlite3_stmt *st, int index, const char *text)
{
    if (text && text[0])
        sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, index);
}

/* Parameters 1 and 2 of every insert: the channel's code and the day as ISO text. */
static void bind_channel_day(sqlite3_stmt *st, bt_target_channel channel, bt_day day)
{
    char text[DAY_TEXT];
    sqlite3_bind_text(st, 1, bt_target_channel_name(channel), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, bt_time_format_iso_day(day, text, sizeof text), -1,
                      SQLITE_TRANSIENT);
}

/* A playlist's record: added, or its topic, link and note updated. An older version of the
 * playlist that brought it (a rollback, a stick found in a drawer) does not undo the correction
 * a newer one made. */
#define UPSERT_RECORD                                                                            \
    "INSERT INTO staff_records (channel, day, title, topic, link, note, playlist_id,"            \
    " playlist_version, recorded_at, updated_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8," \
    " ?9, ?9, 'playlist') ON CONFLICT (channel, day, title) WHERE source = 'playlist'"           \
    " DO UPDATE SET topic = excluded.topic, link = excluded.link, note = excluded.note,"          \
    " playlist_id = excluded.playlist_id, playlist_version = excluded.playlist_version,"          \
    " updated_at = excluded.updated_at WHERE excluded.playlist_id <> staff_records.playlist_id"   \
    " OR excluded.playlist_version >= staff_records.playlist_version"
/* A row of ghi-nhan.csv: added once; the same row of a file imported again is already there. */
#define INSERT_CSV_ROW                                                                           \
    "INSERT INTO staff_records (channel, day, title, topic, link, note, playlist_id,"            \
    " playlist_version, recorded_at, updated_at, source, count, entry_key) VALUES (?1, ?2, ?3,"  \
    " ?4, ?5, ?6, ?7, ?8, ?9, ?9, 'csv', ?10, ?11)"                                              \
    " ON CONFLICT (entry_key) WHERE entry_key IS NOT NULL DO NOTHING"

int bt_records_store_in(sqlite3 *db, const bt_playlist *p)
{
    sqlite3_stmt *upsert = NULL, *csv = NULL;
    if (!p->records.count)
        return 0;
    int rc = sqlite3_prepare_v2(db, UPSERT_RECORD, -1, &upsert, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, INSERT_CSV_ROW, -1, &csv, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < p->records.count; i++) {
        const bt_record *r = &p->records.items[i];
        bool from_csv = r->source == BT_RECORD_FROM_CSV;
        if ((from_csv ? !r->key || r->count <= 0 : !r->title) ||
            !bt_target_channel_recorded(r->channel))
            continue; /* a validated playlist has none */
        sqlite3_stmt *st = from_csv ? csv : upsert;
        bind_channel_day(st, r->channel, r->day);
        bind_text_or_null(st, 3, r->title);
        bind_text_or_null(st, 4, r->topic);
        bind_text_or_null(st, 5, r->link);
        bind_text_or_null(st, 6, r->note);
        sqlite3_bind_text(st, 7, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 8, p->version);
        sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
        if (from_csv) {
            sqlite3_bind_int(st, 10, r->count);
            sqlite3_bind_text(st, 11, r->key, -1, SQLITE_STATIC);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(upsert);
    sqlite3_finalize(csv);
    if (rc != SQLITE_OK)
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi các tin bài do cán bộ ghi nhận của playlist "
                     "\"%s\": %s",
                     p->id, bt_store_error(db).text);
    return rc == SQLITE_OK ? 0 : -1;
}

static void copy_column(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? text : "");
}

static bt_record_source source_of(const char *text)
{
    if (text && strcmp(text, "csv") == 0)
        return BT_RECORD_FROM_CSV;
    return text && strcmp(text, "panel") == 0 ? BT_RECORD_FROM_PANEL : BT_RECORD_FROM_PLAYLIST;
}

/* The columns read_row reads, in its order. */
#define ROW_COLUMNS                                                                              \
    "r.channel, r.day, r.title, r.topic, r.link, r.note, r.playlist_id, r.playlist_version,"    \
    " r.id, r.count, r.source, r.corrects, r.recorded_at, r.entry_key,"                         \
    " EXISTS (SELECT 1 FROM staff_records c WHERE c.corrects = r.id)"

/* One row into *r; -1 if the stored channel or day is not one this program knows. */
static int read_row(sqlite3_stmt *st, bt_record_row *r)
{
    memset(r, 0, sizeof *r);
    const char *channel = (const char *)sqlite3_column_text(st, 0);
    const char *day = (const char *)sqlite3_column_text(st, 1);
    if (!channel || bt_target_channel_parse(channel, &r->channel) != 0 || !day ||
        bt_time_parse_date(day, &r->day) != 0)
        return -1;
    copy_column(r->title, sizeof r->title, st, 2);
    copy_column(r->topic, sizeof r->topic, st, 3);
    copy_column(r->link, sizeof r->link, st, 4);
    copy_column(r->note, sizeof r->note, st, 5);
    copy_column(r->playlist_id, sizeof r->playlist_id, st, 6);
    r->playlist_version = sqlite3_column_int(st, 7);
    r->id = sqlite3_column_int64(st, 8);
    r->count = sqlite3_column_int(st, 9);
    r->source = source_of((const char *)sqlite3_column_text(st, 10));
    r->corrects = sqlite3_column_int64(st, 11);
    r->recorded_at = (bt_wall)sqlite3_column_int64(st, 12);
    copy_column(r->key, sizeof r->key, st, 13);
    r->undone = sqlite3_column_int(st, 14) != 0;
    return 0;
}

/* Every row the prepared statement st gives, into a malloc'd list. 0 / -1 (logged). */
static int read_rows(sqlite3 *db, sqlite3_stmt *st, int rc, bt_record_row **out, size_t *count)
{
    bt_record_row *list = NULL;
    size_t n = 0, cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        bt_record_row *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        rc = SQLITE_OK;
        if (read_row(st, &list[n]) == 0)
            n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc các tin bài do cán bộ ghi nhận: %s",
                     bt_store_error(db).text);
        free(list);
        return -1;
    }
    *out = list;
    *count = n;
    return 0;
}

int bt_targets_store_records(bt_store *s, bt_day first, bt_day last, bt_record_row **out,
                             size_t *count)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    char a[DAY_TEXT], b[DAY_TEXT];
    *out = NULL;
    *count = 0;
    if (!db)
        return -1;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT " ROW_COLUMNS " FROM staff_records r"
                                " WHERE r.day BETWEEN ?1 AND ?2 ORDER BY r.day, r.id",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, bt_time_format_iso_day(first, a, sizeof a), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bt_time_format_iso_day(last, b, sizeof b), -1, SQLITE_STATIC);
    }
    return read_rows(db, st, rc, out, count);
}

int bt_records_store_recent(bt_store *s, bt_record_row *out, size_t max, size_t *count)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    bt_record_row *list = NULL;
    size_t n = 0;
    *count = 0;
    if (!db)
        return -1;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT " ROW_COLUMNS " FROM staff_records r WHERE r.count > 0"
                                " AND NOT EXISTS (SELECT 1 FROM staff_records c"
                                " WHERE c.corrects = r.id) ORDER BY r.id DESC"
                                " LIMIT ?1",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(st, 1, (int64_t)max);
    if (read_rows(db, st, rc, &list, &n) != 0)
        return -1;
    if (n)
        memcpy(out, list, n * sizeof *list);
    free(list);
    *count = n;
    return 0;
}

/* Runs one prepared write in a durable transaction (bt_store_durable_begin): it is on the disk
 * when this returns 0. *id: the row written. */
static int write_durably(sqlite3 *db, sqlite3_stmt *st, const char *what, int64_t *id, char *err,
                         size_t err_size)
{
    int saved;
    if (bt_store_durable_begin(db, &saved, what) != 0) {
        snprintf(err, err_size, "không ghi được vào cơ sở dữ liệu (%s)", bt_store_error(db).text);
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        *id = sqlite3_last_insert_rowid(db);
        rc = bt_store_exec(db, "COMMIT", what) == 0 ? SQLITE_OK : SQLITE_ERROR;
    } else {
        bt_store_note_failure(db);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "cơ sở dữ liệu không nhận (%s)", bt_store_error(db).text);
        bt_log_error("Lỗi cơ sở dữ liệu khi %s: %s", what, bt_store_error(db).text);
        if (!sqlite3_get_autocommit(db))
            bt_store_exec(db, "ROLLBACK", what);
    }
    bt_store_set_synchronous(db, saved);
    return rc == SQLITE_OK ? 0 : -1;
}

/* The row of the entry written with `key` (0 if none). */
static int64_t row_of_key(sqlite3 *db, const char *key)
{
    sqlite3_stmt *q = NULL;
    int64_t id = 0;
    if (key && sqlite3_prepare_v2(db, "SELECT id FROM staff_records WHERE entry_key = ?1", -1, &q,
                                  NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            id = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return id;
}

int bt_records_store_add(bt_store *s, const bt_record_entry *e, bt_wall now, int64_t *id,
                         char *err, size_t err_size)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    *id = 0;
    if (!db || !bt_target_channel_recorded(e->channel) || e->count < 1 ||
        e->count > BT_MAX_RECORD_COUNT) {
        snprintf(err, err_size, "%s", db ? "kênh hoặc số lượng không hợp lệ"
                                         : "chưa mở được cơ sở dữ liệu");
        return -1;
    }
    /* With a key, the same entry written again (the writer's journal drained after a commit
     * that did reach the disk) adds nothing. */
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO staff_records (channel, day, count, topic, note, source,"
                           " playlist_id, playlist_version, recorded_at, updated_at, entry_key)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, 'panel', '', 0, ?6, ?6, ?7)"
                           " ON CONFLICT (entry_key) WHERE entry_key IS NOT NULL DO NOTHING",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cơ sở dữ liệu không nhận (%s)", bt_store_error(db).text);
        sqlite3_finalize(st);
        return -1;
    }
    bind_channel_day(st, e->channel, e->day);
    sqlite3_bind_int(st, 3, e->count);
    bind_text_or_null(st, 4, e->topic);
    bind_text_or_null(st, 5, e->note);
    sqlite3_bind_int64(st, 6, (int64_t)now);
    bind_text_or_null(st, 7, e->key);
    int before = sqlite3_total_changes(db);
    if (write_durably(db, st, "ghi nhận tin bài từ bảng theo dõi", id, err, err_size) != 0)
        return -1;
    if (sqlite3_total_changes(db) == before) /* there already: its row */
        *id = row_of_key(db, e->key);
    return 0;
}

int bt_records_store_undo(bt_store *s, int64_t id, bt_wall now, char *err, size_t err_size)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    int64_t row = 0;
    if (!db) {
        snprintf(err, err_size, "chưa mở được cơ sở dữ liệu");
        return -1;
    }
    /* The correction copies the entry's channel, day and topic, so it nets out in every period
     * and target the entry counted in; the unique index on `corrects` refuses a second one. */
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO staff_records (channel, day, count, topic, note, source, corrects,"
        " playlist_id, playlist_version, recorded_at, updated_at)"
        " SELECT channel, day, -count, topic, 'hủy ghi nhận', 'panel', id, '', 0, ?2, ?2"
        " FROM staff_records WHERE id = ?1 AND count > 0"
        " ON CONFLICT (corrects) WHERE corrects IS NOT NULL DO NOTHING",
        -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "cơ sở dữ liệu không nhận (%s)", bt_store_error(db).text);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)now);
    int before = sqlite3_total_changes(db);
    if (write_durably(db, st, "hủy ghi nhận tin bài từ bảng theo dõi", &row, err, err_size) != 0)
        return -1;
    if (sqlite3_total_changes(db) != before)
        return 0;
    /* Nothing written: undone already, or no entry to undo. */
    sqlite3_stmt *q = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT count FROM staff_records WHERE id = ?1", -1, &q, NULL) ==
            SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        found = sqlite3_step(q) == SQLITE_ROW ? (sqlite3_column_int(q, 0) > 0 ? 1 : 2) : 0;
    }
    sqlite3_finalize(q);
    if (found == 1)
        return 1;
    snprintf(err, err_size, "%s", found ? "dòng này là một lần hủy, không hủy được nữa"
                                        : "không có ghi nhận này trong cơ sở dữ liệu");
    return 2;
}
