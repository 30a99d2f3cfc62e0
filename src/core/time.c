/* Civil time in Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975) by pure arithmetic.
 *
 * The appliance must show the same date whatever TZ the machine was installed with, and the
 * core never reads a clock, so this file never calls time(), localtime() or mktime(): a wall
 * time is shifted by a fixed offset and split into civil days with the days-from-civil
 * algorithm (proleptic Gregorian calendar, valid for any year an int can hold). */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_time.h"

/* Years outside this range are typos in a playlist, never a real notice date. */
#define BT_TIME_MIN_YEAR 1
#define BT_TIME_MAX_YEAR 9999

static const char *const weekday_names[7] = {
    "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật",
};

static const char *const quarter_roman[4] = {"I", "II", "III", "IV"};

/* Floor division: the C operator truncates toward zero, which is wrong before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int bt_time_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

bool bt_time_date_valid(int year, int month, int day)
{
    if (year < BT_TIME_MIN_YEAR || year > BT_TIME_MAX_YEAR)
        return false;
    if (month < 1 || month > 12)
        return false;
    return day >= 1 && day <= bt_time_days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil: eras of 400 years make the leap rule exact. */
bt_day bt_time_day_from_ymd(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2 ? 1 : 0);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                          /* 0..399 */
    int64_t mp = month > 2 ? month - 3 : month + 9;                       /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + day - 1;                           /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                  /* 0..146096 */
    return (bt_day)(era * 146097 + doe - 719468);
}

void bt_time_ymd_from_day(bt_day day, int *year, int *month, int *dom)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (year)
        *year = (int)y;
    if (month)
        *month = (int)m;
    if (dom)
        *dom = (int)d;
}

/* 1970-01-01 was a Thursday (4 when Monday is 1). */
int bt_time_weekday_of_day(bt_day day)
{
    int64_t shifted = (int64_t)day + 3;
    return (int)(shifted - floor_div(shifted, 7) * 7) + 1;
}

bt_day bt_time_day_of(bt_wall t)
{
    return (bt_day)floor_div(t + BT_UTC_OFFSET_SECONDS, BT_SECONDS_PER_DAY);
}

bt_wall bt_time_day_start(bt_day day)
{
    return (bt_wall)day * BT_SECONDS_PER_DAY - BT_UTC_OFFSET_SECONDS;
}

bt_civil bt_time_to_civil(bt_wall t)
{
    bt_civil c;
    bt_day day = bt_time_day_of(t);
    int64_t secs = t + BT_UTC_OFFSET_SECONDS - (int64_t)day * BT_SECONDS_PER_DAY;
    bt_time_ymd_from_day(day, &c.year, &c.month, &c.day);
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs / 60 % 60);
    c.second = (int)(secs % 60);
    c.weekday = bt_time_weekday_of_day(day);
    return c;
}

bt_wall bt_time_from_civil(int year, int month, int day, int hour, int minute, int second)
{
    return bt_time_day_start(bt_time_day_from_ymd(year, month, day)) + (bt_wall)hour * 3600 +
           (bt_wall)minute * 60 + second;
}

int bt_time_minute_of_day(bt_wall t)
{
    int64_t local = t + BT_UTC_OFFSET_SECONDS;
    int64_t secs = local - floor_div(local, BT_SECONDS_PER_DAY) * BT_SECONDS_PER_DAY;
    return (int)(secs / 60);
}

/* ---- parsing ------------------------------------------------------------------------------ */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads between min and max decimal digits at *p; advances *p. -1 if the count is wrong. */
static int read_digits(const char **p, int min, int max)
{
    int value = 0, n = 0;
    const char *s = *p;
    while (n < max && is_digit(s[n])) {
        value = value * 10 + (s[n] - '0');
        n++;
    }
    if (n < min || is_digit(s[n]))
        return -1;
    *p = s + n;
    return value;
}

/* Parses a date at the start of s; *end is set past it. Both staff forms are accepted. */
static int parse_date_prefix(const char *s, bt_day *out, const char **end, bool *iso)
{
    const char *p = s;
    int year, month, day;
    if (!s)
        return -1;
    if (is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-') {
        year = read_digits(&p, 4, 4);
        p++; /* '-' */
        month = read_digits(&p, 2, 2);
        if (month < 0 || *p != '-')
            return -1;
        p++;
        day = read_digits(&p, 2, 2);
        *iso = true;
    } else {
        day = read_digits(&p, 1, 2);
        if (day < 0 || *p != '/')
            return -1;
        p++;
        month = read_digits(&p, 1, 2);
        if (month < 0 || *p != '/')
            return -1;
        p++;
        year = read_digits(&p, 4, 4);
        *iso = false;
    }
    if (year < 0 || month < 0 || day < 0 || !bt_time_date_valid(year, month, day))
        return -1;
    *out = bt_time_day_from_ymd(year, month, day);
    *end = p;
    return 0;
}

int bt_time_parse_date(const char *s, bt_day *out)
{
    bt_day day;
    const char *end;
    bool iso;
    if (parse_date_prefix(s, &day, &end, &iso) != 0 || *end != '\0')
        return -1;
    if (out)
        *out = day;
    return 0;
}

/* "HH:MM" or "HH:MM:SS" at p (hours one or two digits); seconds of the day, or -1. */
static int parse_clock(const char *p, bool allow_seconds, bool allow_24)
{
    int hour = read_digits(&p, 1, 2), minute, second = 0;
    if (hour < 0 || *p != ':')
        return -1;
    p++;
    minute = read_digits(&p, 2, 2);
    if (minute < 0 || minute > 59)
        return -1;
    if (allow_seconds && *p == ':') {
        p++;
        second = read_digits(&p, 2, 2);
        if (second < 0 || second > 59)
            return -1;
    }
    if (*p != '\0')
        return -1;
    if (hour == 24 && allow_24 && minute == 0 && second == 0)
        return 24 * 3600;
    if (hour > 23)
        return -1;
    return hour * 3600 + minute * 60 + second;
}

int bt_time_parse_datetime(const char *s, bt_wall *out)
{
    bt_day day;
    const char *end;
    bool iso;
    int secs;
    if (parse_date_prefix(s, &day, &end, &iso) != 0)
        return -1;
    /* 'T' is the ISO separator; a staff-written "24/11/2025 09:00" uses a space. */
    if (!(*end == ' ' || (iso && *end == 'T')))
        return -1;
    secs = parse_clock(end + 1, true, false);
    if (secs < 0)
        return -1;
    if (out)
        *out = bt_time_day_start(day) + secs;
    return 0;
}

int bt_time_parse_hhmm(const char *s, bool allow_24)
{
    int secs;
    if (!s)
        return -1;
    secs = parse_clock(s, false, allow_24);
    return secs < 0 ? -1 : secs / 60;
}

/* ---- formatting --------------------------------------------------------------------------- */

const char *bt_time_weekday_vi(int weekday)
{
    if (weekday < 1 || weekday > 7)
        return "";
    return weekday_names[weekday - 1];
}

const char *bt_time_format_date_vi(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    if (buf && size > 0)
        snprintf(buf, size, "%s, %02d/%02d/%04d", bt_time_weekday_vi(c.weekday), c.day, c.month,
                 c.year);
    return buf;
}

const char *bt_time_format_ddmmyyyy(bt_day day, char *buf, size_t size)
{
    int y, m, d;
    bt_time_ymd_from_day(day, &y, &m, &d);
    if (buf && size > 0)
        snprintf(buf, size, "%02d/%02d/%04d", d, m, y);
    return buf;
}

const char *bt_time_format_hhmm(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    if (buf && size > 0)
        snprintf(buf, size, "%02d:%02d", c.hour, c.minute);
    return buf;
}

const char *bt_time_format_iso(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    if (buf && size > 0)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                 c.minute, c.second);
    return buf;
}

const char *bt_time_format_iso_day(bt_day day, char *buf, size_t size)
{
    int y, m, d;
    bt_time_ymd_from_day(day, &y, &m, &d);
    if (buf && size > 0)
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return buf;
}

const char *bt_time_quarter_label(bt_day day, char *buf, size_t size)
{
    int y, m;
    bt_time_ymd_from_day(day, &y, &m, NULL);
    if (buf && size > 0)
        snprintf(buf, size, "Quý %s/%d", quarter_roman[(m - 1) / 3], y);
    return buf;
}

/* ---- periods ------------------------------------------------------------------------------ */

static bt_period months_span(bt_period_kind kind, int year, int first_month, int last_month)
{
    bt_period p;
    p.kind = kind;
    p.first = bt_time_day_from_ymd(year, first_month, 1);
    p.last = bt_time_day_from_ymd(year, last_month, bt_time_days_in_month(year, last_month));
    return p;
}

/* The nine-month reporting period is always Jan–Sep of the day's year, also for a day in
 * Oct–Dec (which it then does not contain): that is the "9 tháng" report of that year. */
bt_period bt_time_period_of(bt_period_kind kind, bt_day day)
{
    int y, m;
    bt_period p;
    bt_time_ymd_from_day(day, &y, &m, NULL);
    switch (kind) {
    case BT_PERIOD_MONTH:
        return months_span(kind, y, m, m);
    case BT_PERIOD_QUARTER:
        return months_span(kind, y, (m - 1) / 3 * 3 + 1, (m - 1) / 3 * 3 + 3);
    case BT_PERIOD_NINE_MONTHS:
        return months_span(kind, y, 1, 9);
    case BT_PERIOD_YEAR:
        return months_span(kind, y, 1, 12);
    case BT_PERIOD_DAY:
    default:
        break;
    }
    p.kind = BT_PERIOD_DAY;
    p.first = day;
    p.last = day;
    return p;
}
