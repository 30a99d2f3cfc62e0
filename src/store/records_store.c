/* Staff records of the channels the appliance cannot observe (bt_records.h), kept in
 * staff_records (schema step 10) for good: a later playlist need not carry them again, and the
 * same record (channel, day, title) brought again updates its topic, link and note rather than
 * counting twice. Written with each activation (bt_targets_record_in), read back for reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
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

int bt_records_store_in(sqlite3 *db, const bt_playlist *p)
{
    sqlite3_stmt *st = NULL;
    char day[DAY_TEXT];
    if (!p->records.count)
        return 0;
    /* An older version of the playlist that brought a record (a rollback, a stick found in a
     * drawer) does not undo the correction a newer one made. */
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO staff_records (channel, day, title, topic, link, note, playlist_id,"
        " playlist_version, recorded_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
        " ON CONFLICT (channel, day, title) DO UPDATE SET topic = excluded.topic,"
        " link = excluded.link, note = excluded.note, playlist_id = excluded.playlist_id,"
        " playlist_version = excluded.playlist_version, updated_at = excluded.updated_at"
        " WHERE excluded.playlist_id <> staff_records.playlist_id"
        " OR excluded.playlist_version >= staff_records.playlist_version",
        -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < p->records.count; i++) {
        const bt_record *r = &p->records.items[i];
        if (!r->title || !bt_target_channel_recorded(r->channel))
            continue; /* a validated playlist has neither */
        sqlite3_bind_text(st, 1, bt_target_channel_name(r->channel), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bt_time_format_iso_day(r->day, day, sizeof day), -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, r->title, -1, SQLITE_STATIC);
        bind_text_or_null(st, 4, r->topic);
        bind_text_or_null(st, 5, r->link);
        bind_text_or_null(st, 6, r->note);
        sqlite3_bind_text(st, 7, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 8, p->version);
        sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
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
    return 0;
}

int bt_targets_store_records(bt_store *s, bt_day first, bt_day last, bt_record_row **out,
                             size_t *count)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    bt_record_row *list = NULL;
    size_t n = 0, cap = 0;
    char a[DAY_TEXT], b[DAY_TEXT];
    *out = NULL;
    *count = 0;
    if (!db)
        return -1;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT channel, day, title, topic, link, note, playlist_id,"
                                " playlist_version FROM staff_records WHERE day BETWEEN ?1 AND ?2"
                                " ORDER BY day, channel, title",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, bt_time_format_iso_day(first, a, sizeof a), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bt_time_format_iso_day(last, b, sizeof b), -1, SQLITE_STATIC);
    }
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
