/* Loudness and silence measurements by content hash (schema steps 3 and 7). A cache in the
 * strict sense for playout: losing a row costs one decode, so the writes use the connection's
 * ordinary synchronous=NORMAL. Rows are never deleted, so the silence figures of whatever aired
 * stay findable by the hash in its airing rows (`bangtin log`). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_measurements.h"
#include "store_internal.h"

#define COLUMNS                                                                                \
    "integrated_lufs, sample_peak_dbfs, true_peak_dbtp, duration_seconds, measured_at,"        \
    " leading_silence_seconds, trailing_silence_seconds, longest_inside_silence_seconds,"     \
    " longest_inside_silence_at_seconds, silent_fraction, method"

static bool hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* A row of COLUMNS into *out. */
static void read_row(sqlite3_stmt *st, const char *sha256, bt_measurement *out)
{
    snprintf(out->sha256, sizeof(out->sha256), "%s", sha256);
    out->integrated_lufs = sqlite3_column_double(st, 0);
    out->sample_peak_dbfs = sqlite3_column_double(st, 1);
    out->true_peak_dbtp = sqlite3_column_double(st, 2);
    out->duration_seconds = sqlite3_column_double(st, 3);
    out->measured_at = sqlite3_column_int64(st, 4);
    out->has_silence = true;
    for (int c = 5; c <= 9; c++)
        out->has_silence &= sqlite3_column_type(st, c) != SQLITE_NULL;
    if (out->has_silence) {
        out->silence.leading_seconds = sqlite3_column_double(st, 5);
        out->silence.trailing_seconds = sqlite3_column_double(st, 6);
        out->silence.longest_inside_seconds = sqlite3_column_double(st, 7);
        out->silence.longest_inside_at_seconds = sqlite3_column_double(st, 8);
        out->silence.silent_fraction = sqlite3_column_double(st, 9);
    }
    const char *method = (const char *)sqlite3_column_text(st, 10);
    snprintf(out->method, sizeof(out->method), "%s", method ? method : "");
}

/* One row found by sql (?1 = sha256, ?2 = method when given): 1, 0 or -1. */
static int get_one(bt_store *s, const char *sql, const char *sha256, const char *method,
                   bt_measurement *out)
{
    sqlite3 *db = bt_store_sqlite(s);
    memset(out, 0, sizeof(*out));
    if (!db || !hex64(sha256))
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
        if (method)
            sqlite3_bind_text(st, 2, method, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_row(st, sha256, out);
            result = 1;
        } else if (rc == SQLITE_DONE) {
            result = 0;
        }
    }
    if (result < 0)
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc kết quả đo âm thanh: %s", bt_store_error(db).text);
    sqlite3_finalize(st);
    return result;
}

int bt_measurement_get(bt_store *s, const char *sha256, const char *method, bt_measurement *out)
{
    if (!method) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return get_one(s,
                   "SELECT " COLUMNS " FROM audio_measurements WHERE sha256 = ?1 AND method = ?2",
                   sha256, method, out);
}

int bt_measurement_latest_silence(bt_store *s, const char *sha256, bt_measurement *out)
{
    return get_one(s,
                   "SELECT " COLUMNS " FROM audio_measurements"
                   " WHERE sha256 = ?1 AND silent_fraction IS NOT NULL"
                   " ORDER BY measured_at DESC, method DESC LIMIT 1",
                   sha256, NULL, out);
}

static bool silence_ok(const bt_silence *v)
{
    return isfinite(v->leading_seconds) && v->leading_seconds >= 0 &&
           isfinite(v->trailing_seconds) && v->trailing_seconds >= 0 &&
           isfinite(v->longest_inside_seconds) && v->longest_inside_seconds >= 0 &&
           isfinite(v->longest_inside_at_seconds) && v->longest_inside_at_seconds >= 0 &&
           v->silent_fraction >= 0 && v->silent_fraction <= 1;
}

int bt_measurement_put(bt_store *s, const bt_measurement *m)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || !m || !hex64(m->sha256) || !m->method[0] || !isfinite(m->integrated_lufs) ||
        !isfinite(m->sample_peak_dbfs) || !isfinite(m->true_peak_dbtp) ||
        !(m->duration_seconds > 0) || (m->has_silence && !silence_ok(&m->silence)))
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO audio_measurements (sha256, method,"
                                " integrated_lufs, sample_peak_dbfs, true_peak_dbtp,"
                                " duration_seconds, measured_at, leading_silence_seconds,"
                                " trailing_silence_seconds, longest_inside_silence_seconds,"
                                " longest_inside_silence_at_seconds, silent_fraction)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, m->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m->method, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, m->integrated_lufs);
        sqlite3_bind_double(st, 4, m->sample_peak_dbfs);
        sqlite3_bind_double(st, 5, m->true_peak_dbtp);
        sqlite3_bind_double(st, 6, m->duration_seconds);
        sqlite3_bind_int64(st, 7, m->measured_at);
        if (m->has_silence) {
            sqlite3_bind_double(st, 8, m->silence.leading_seconds);
            sqlite3_bind_double(st, 9, m->silence.trailing_seconds);
            sqlite3_bind_double(st, 10, m->silence.longest_inside_seconds);
            sqlite3_bind_double(st, 11, m->silence.longest_inside_at_seconds);
            sqlite3_bind_double(st, 12, m->silence.silent_fraction);
        } /* else NULL: unbound parameters are NULL */
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi kết quả đo âm thanh: %s", bt_store_error(db).text);
        return -1;
    }
    return 0;
}
