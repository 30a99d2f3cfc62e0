/* Civil time in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), whatever the machine's TZ.
 * Pure arithmetic: nothing here reads a clock. Wall time and monotonic time are distinct types. */
#ifndef BT_TIME_H
#define BT_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BT_UTC_OFFSET_SECONDS (7 * 3600)
#define BT_SECONDS_PER_DAY 86400

typedef int64_t bt_wall;     /* seconds since 1970-01-01T00:00:00Z */
typedef int64_t bt_mono_ns;  /* monotonic nanoseconds, meaningful only as differences */
typedef int32_t bt_day;      /* local civil day number: days since 1970-01-01 (local) */

typedef struct {
    int year, month, day;      /* month 1..12, day 1..31 */
    int hour, minute, second;
    int weekday;               /* 1 = Thứ Hai (Monday) … 7 = Chủ Nhật (Sunday) */
} bt_civil;

typedef enum { BT_PERIOD_DAY, BT_PERIOD_MONTH, BT_PERIOD_QUARTER, BT_PERIOD_NINE_MONTHS,
               BT_PERIOD_YEAR } bt_period_kind;

typedef struct {
    bt_period_kind kind;
    bt_day first, last; /* inclusive */
} bt_period;

bool bt_time_date_valid(int year, int month, int day);
int bt_time_days_in_month(int year, int month);
bt_day bt_time_day_from_ymd(int year, int month, int day);
void bt_time_ymd_from_day(bt_day day, int *year, int *month, int *dom);
int bt_time_weekday_of_day(bt_day day); /* 1 = Monday … 7 = Sunday */

bt_civil bt_time_to_civil(bt_wall t);
bt_day bt_time_day_of(bt_wall t);
bt_wall bt_time_day_start(bt_day day); /* 00:00:00 local */
bt_wall bt_time_from_civil(int year, int month, int day, int hour, int minute, int second);
int bt_time_minute_of_day(bt_wall t); /* 0..1439 local */

/* "2025-11-24" or "24/11/2025"; 0 on success, -1 if malformed or impossible (31/02). */
int bt_time_parse_date(const char *s, bt_day *out);
/* "2025-11-24 09:00", "2025-11-24 09:00:30", "2025-11-24T09:00"; local time. */
int bt_time_parse_datetime(const char *s, bt_wall *out);
/* "07:30" → 450; -1 if malformed. Accepts "24:00" as 1440 only when allow_24 is true. */
int bt_time_parse_hhmm(const char *s, bool allow_24);

/* Vietnamese formatting. All write a NUL-terminated string and return buf. */
const char *bt_time_weekday_vi(int weekday);                 /* "Thứ Hai" … "Chủ Nhật" */
const char *bt_time_format_date_vi(bt_wall t, char *buf, size_t size); /* "Thứ Hai, 23/11/2026" */
const char *bt_time_format_ddmmyyyy(bt_day day, char *buf, size_t size); /* "23/11/2026" */
const char *bt_time_format_hhmm(bt_wall t, char *buf, size_t size);     /* "09:05" */
const char *bt_time_format_iso(bt_wall t, char *buf, size_t size); /* "2026-11-23 09:05:00" */
const char *bt_time_format_iso_day(bt_day day, char *buf, size_t size); /* "2026-11-23" */
const char *bt_time_quarter_label(bt_day day, char *buf, size_t size);  /* "Quý IV/2025" */

/* Calendar periods containing a day (quarters are calendar quarters; nine months = Jan–Sep). */
bt_period bt_time_period_of(bt_period_kind kind, bt_day day);

#endif
