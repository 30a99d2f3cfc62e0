/* Target history, the notice catalogue and impression read-back for reports.
 *
 * Tables (schema step "targets and notices for reports"): target_sets (one row per recorded
 * activation: playlist id, version, since when), target_defs (its targets) and target_notices
 * (its notices). Append only: reports must count a past quarter against the targets in force
 * then, whatever was loaded since. A set is in force from the local day of its `in_force_from`
 * until the day before the next set's; the resolution into targets is core's
 * (bt_targets_resolve_history). Days are stored as 'YYYY-MM-DD' text like the impressions, NULL
 * for an open end. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_time.h"
#include "store_internal.h"

/* "YYYY-MM-DD" plus NUL, with room to spare. */
#define DAY_TEXT 16

typedef struct {
    int64_t set_id;
    bt_day from, until; /* days in force */
} set_span;

static void bind_day(sqlite3_stmt *st, int index, bt_day day)
{
    char text[DAY_TEXT];
    if (day == BT_DAY_NONE_FROM || day == BT_DAY_NONE_UNTIL)
        sqlite3_bind_null(st, index);
    else
        sqlite3_bind_text(st, index, bt_time_format_iso_day(day, text, sizeof text), -1,
                          SQLITE_TRANSIENT);
}

static bt_day column_day(sqlite3_stmt *st, int col, bt_day none)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    bt_day day;
    if (!text || bt_time_parse_date(text, &day) != 0)
        return none;
    return day;
}

static void bind_text_or_null(sqlite3_stmt *st, int index, const char *text)
{
    if (text && text[0])
        sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, index);
}

static void copy_column(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? text : "");
}

/* ---- recording ---------------------------------------------------------------------------- */

/* 1 if the latest set is this playlist version at this time already, 0 if not, -1 on error. */
static int already_recorded(sqlite3 *db, const bt_playlist *p, bt_wall since)
{
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT playlist_id, playlist_version, in_force_from FROM target_sets"
                           " ORDER BY in_force_from DESC, set_id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto done;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        result = 0;
    } else if (rc == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        result = id && strcmp(id, p->id) == 0 && sqlite3_column_int(st, 1) == p->version &&
                 sqlite3_column_int64(st, 2) == since;
    }
done:
    sqlite3_finalize(st);
    return result;
}

static int insert_set(sqlite3 *db, const bt_playlist *p, bt_wall since, int64_t *set_id)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO target_sets (playlist_id, playlist_version,"
                                " in_force_from, recorded_at) VALUES (?1, ?2, ?3, ?4)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, p->version);
        sqlite3_bind_int64(st, 3, since);
        sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    *set_id = sqlite3_last_insert_rowid(db);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_targets(sqlite3 *db, int64_t set_id, const bt_targets *t)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO target_defs (set_id, target_id, label, channel, topic,"
                                " period, minimum, counts, from_day, until_day)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && t && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        sqlite3_bind_int64(st, 1, set_id);
        sqlite3_bind_text(st, 2, x->id ? x->id : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, x->label ? x->label : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, bt_target_channel_name(x->channel), -1, SQLITE_STATIC);
        bind_text_or_null(st, 5, x->topic);
        sqlite3_bind_text(st, 6, bt_target_period_name(x->period), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, x->minimum);
        sqlite3_bind_text(st, 8, bt_target_counts_name(x->counts), -1, SQLITE_STATIC);
        bind_day(st, 9, x->from_day);
        bind_day(st, 10, x->until_day);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static int insert_notices(sqlite3 *db, int64_t set_id, const bt_playlist *p)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO target_notices (set_id, notice_id, title, topic,"
                                " from_day, until_day, weekdays)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        /* The playlist's own validity bounds its notices' posting days. */
        bt_day from = n->from_day > p->valid_from ? n->from_day : p->valid_from;
        bt_day until = n->until_day < p->valid_until ? n->until_day : p->valid_until;
        sqlite3_bind_int64(st, 1, set_id);
        sqlite3_bind_text(st, 2, n->id ? n->id : "", -1, SQLITE_STATIC);
        bind_text_or_null(st, 3, n->title);
        bind_text_or_null(st, 4, n->topic);
        bind_day(st, 5, from);
        bind_day(st, 6, until);
        sqlite3_bind_int(st, 7, n->weekdays);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

int bt_targets_record_in(sqlite3 *db, const bt_playlist *p, const bt_targets *targets,
                         bt_wall since)
{
    int64_t set_id = 0;
    if (!p || !p->id || !p->id[0] || p->version < 1)
        return -1;
    int seen = already_recorded(db, p, since);
    if (seen < 0 || bt_records_store_in(db, p) != 0 ||
        (seen == 0 && (insert_set(db, p, since, &set_id) != 0 ||
                                   insert_targets(db, set_id, targets) != 0 ||
                                   insert_notices(db, set_id, p) != 0))) {
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi chỉ tiêu của playlist \"%s\": %s", p->id,
                     bt_store_error(db).text);
        return -1;
    }
    return 0;
}

int bt_targets_store_record(bt_store *s, const bt_playlist *p, const bt_targets *targets,
                            bt_wall since)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || bt_store_exec(db, "BEGIN IMMEDIATE", "bắt đầu ghi chỉ tiêu") != 0)
        return -1;
    if (bt_targets_record_in(db, p, targets, since) == 0 &&
        bt_store_exec(db, "COMMIT", "ghi chỉ tiêu") == 0)
        return 0;
    if (!sqlite3_get_autocommit(db))
        bt_store_exec(db, "ROLLBACK", "hủy ghi chỉ tiêu");
    return -1;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Every set with the days it was in force, oldest first. *spans malloc'd. */
static int load_spans(sqlite3 *db, set_span **spans, size_t *count)
{
    sqlite3_stmt *st = NULL;
    set_span *list = NULL;
    size_t n = 0, cap = 0;
    *spans = NULL;
    *count = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT set_id, in_force_from FROM target_sets"
                                " ORDER BY in_force_from, set_id",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        set_span *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        list[n].set_id = sqlite3_column_int64(st, 0);
        list[n].from = bt_time_day_of(sqlite3_column_int64(st, 1));
        list[n].until = BT_DAY_NONE_UNTIL;
        if (n > 0)
            list[n - 1].until = list[n].from - 1; /* the later set wins its first day */
        n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc lịch sử chỉ tiêu: %s", bt_store_error(db).text);
        free(list);
        return -1;
    }
    *spans = list;
    *count = n;
    return 0;
}

static const set_span *find_span(const set_span *spans, size_t count, int64_t set_id)
{
    for (size_t i = 0; i < count; i++)
        if (spans[i].set_id == set_id)
            return &spans[i];
    return NULL;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, text, len + 1);
    return copy;
}

/* Reads one target_defs row into an owned target; -1 on allocation failure or bad row. */
static int read_target(sqlite3_stmt *st, bt_target *t)
{
    memset(t, 0, sizeof *t);
    t->id = column_dup(st, 1);
    t->label = column_dup(st, 2);
    t->topic = column_dup(st, 4);
    t->minimum = sqlite3_column_int(st, 6);
    t->from_day = column_day(st, 8, BT_DAY_NONE_FROM);
    t->until_day = column_day(st, 9, BT_DAY_NONE_UNTIL);
    if (!t->id || !t->label ||
        bt_target_channel_parse((const char *)sqlite3_column_text(st, 3), &t->channel) != 0 ||
        bt_target_period_parse((const char *)sqlite3_column_text(st, 5), &t->period) != 0 ||
        bt_target_counts_parse((const char *)sqlite3_column_text(st, 7), &t->counts) != 0) {
        bt_target_clear(t);
        return -1;
    }
    return 0;
}

int bt_targets_store_history(bt_store *s, bt_targets *out)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    set_span *spans = NULL;
    size_t span_count = 0, n = 0, cap = 0;
    bt_target_version *versions = NULL;
    int result = -1;
    bt_targets_init(out);
    if (!db)
        return -1;
    /* No transaction of its own, so a caller may read inside one: the rows are append only. */
    if (load_spans(db, &spans, &span_count) != 0)
        goto done;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT set_id, target_id, label, channel, topic, period, minimum,"
                                " counts, from_day, until_day FROM target_defs"
                                " ORDER BY set_id, target_id",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        const set_span *span = find_span(spans, span_count, sqlite3_column_int64(st, 0));
        if (!span || span->from > span->until)
            continue; /* replaced on its own first day */
        bt_target_version *room = bt_grow(versions, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        versions = room;
        if (read_target(st, &versions[n].target) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        versions[n].in_force_from = span->from;
        versions[n].in_force_until = span->until;
        n++;
    }
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc chỉ tiêu: %s", bt_store_error(db).text);
        goto done;
    }
    result = bt_targets_resolve_history(versions, n, out);

done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++)
        bt_target_clear(&versions[i].target);
    free(versions);
    free(spans);
    return result;
}

static int compare_notice_records(const void *pa, const void *pb)
{
    const bt_notice_record *a = pa, *b = pb;
    int c = strcmp(a->playlist_id, b->playlist_id);
    if (c == 0)
        c = strcmp(a->notice_id, b->notice_id);
    if (c == 0)
        c = (a->from_day > b->from_day) - (a->from_day < b->from_day);
    return c;
}

/* Merges adjacent or overlapping stretches of one notice (kept in a later playlist version). */
static size_t merge_notice_records(bt_notice_record *r, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        bt_notice_record *last = u ? &r[u - 1] : NULL;
        if (last && strcmp(last->playlist_id, r[i].playlist_id) == 0 &&
            strcmp(last->notice_id, r[i].notice_id) == 0 &&
            (last->until_day == BT_DAY_NONE_UNTIL || r[i].from_day <= last->until_day + 1)) {
            if (r[i].until_day > last->until_day)
                last->until_day = r[i].until_day;
            /* the later version names it */
            memcpy(last->title, r[i].title, sizeof last->title);
            memcpy(last->topic, r[i].topic, sizeof last->topic);
            last->weekdays |= r[i].weekdays;
            continue;
        }
        r[u++] = r[i];
    }
    return u;
}

int bt_targets_store_notices(bt_store *s, bt_day first, bt_day last, bt_notice_record **out,
                             size_t *count)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    set_span *spans = NULL;
    size_t span_count = 0, n = 0, cap = 0;
    bt_notice_record *list = NULL;
    int result = -1;
    *out = NULL;
    *count = 0;
    if (!db)
        return -1;
    if (load_spans(db, &spans, &span_count) != 0)
        goto done;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT n.set_id, s.playlist_id, n.notice_id, n.title, n.topic,"
                                " n.from_day, n.until_day, n.weekdays"
                                " FROM target_notices n JOIN target_sets s USING (set_id)",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        const set_span *span = find_span(spans, span_count, sqlite3_column_int64(st, 0));
        if (!span)
            continue;
        bt_day from = column_day(st, 5, BT_DAY_NONE_FROM);
        bt_day until = column_day(st, 6, BT_DAY_NONE_UNTIL);
        from = from > span->from ? from : span->from;
        until = until < span->until ? until : span->until;
        if (from > until || until < first || from > last)
            continue;
        bt_notice_record *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        bt_notice_record *r = &list[n++];
        memset(r, 0, sizeof *r);
        copy_column(r->playlist_id, sizeof r->playlist_id, st, 1);
        copy_column(r->notice_id, sizeof r->notice_id, st, 2);
        copy_column(r->title, sizeof r->title, st, 3);
        copy_column(r->topic, sizeof r->topic, st, 4);
        r->from_day = from;
        r->until_day = until;
        r->weekdays = (uint8_t)sqlite3_column_int(st, 7);
    }
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc danh mục thông báo: %s", bt_store_error(db).text);
        free(list);
        list = NULL;
        n = 0;
        goto done;
    }
    if (n > 1) {
        qsort(list, n, sizeof *list, compare_notice_records);
        n = merge_notice_records(list, n);
    }
    *out = n ? list : NULL;
    if (!n)
        free(list);
    *count = n;
    result = 0;

done:
    sqlite3_finalize(st);
    free(spans);
    return result;
}

int bt_targets_store_impressions(bt_store *s, bt_day first, bt_day last, bt_proof_row **rows,
                                 size_t *count)
{
    return bt_store_read_impressions(bt_store_sqlite(s), false, first, last, rows, count);
}
