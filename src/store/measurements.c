/* Loudness measurements by content hash (schema step 3). A cache in the strict sense: losing a
 * row costs one decode, so the writes use the connection's ordinary synchronous=NORMAL. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_measurements.h"
#include "store_internal.h"

static bool hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int bt_measurement_get(bt_store *s, const char *sha256, const char *method, bt_measurement *out)
{
    sqlite3 *db = bt_store_sqlite(s);
    memset(out, 0, sizeof(*out));
    if (!db || !hex64(sha256) || !method)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT integrated_lufs, sample_peak_dbfs, true_peak_dbtp,"
                           " duration_seconds, measured_at FROM audio_measurements"
                           " WHERE sha256 = ?1 AND method = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, method, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            snprintf(out->sha256, sizeof(out->sha256), "%s", sha256);
            snprintf(out->method, sizeof(out->method), "%s", method);
            out->integrated_lufs = sqlite3_column_double(st, 0);
            out->sample_peak_dbfs = sqlite3_column_double(st, 1);
            out->true_peak_dbtp = sqlite3_column_double(st, 2);
            out->duration_seconds = sqlite3_column_double(st, 3);
            out->measured_at = sqlite3_column_int64(st, 4);
            result = 1;
        } else if (rc == SQLITE_DONE) {
            result = 0;
        }
    }
    if (result < 0)
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc kết quả đo âm thanh: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return result;
}

int bt_measurement_put(bt_store *s, const bt_measurement *m)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || !m || !hex64(m->sha256) || !m->method[0] || !isfinite(m->integrated_lufs) ||
        !isfinite(m->sample_peak_dbfs) || !isfinite(m->true_peak_dbtp) ||
        !(m->duration_seconds > 0))
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO audio_measurements (sha256, method,"
                                " integrated_lufs, sample_peak_dbfs, true_peak_dbtp,"
                                " duration_seconds, measured_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, m->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m->method, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, m->integrated_lufs);
        sqlite3_bind_double(st, 4, m->sample_peak_dbfs);
        sqlite3_bind_double(st, 5, m->true_peak_dbtp);
        sqlite3_bind_double(st, 6, m->duration_seconds);
        sqlite3_bind_int64(st, 7, m->measured_at);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi kết quả đo âm thanh: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}
