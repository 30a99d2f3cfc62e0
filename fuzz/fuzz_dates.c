/* Fuzz target: the date, time and period parsers that read what staff type — in playlist.cfg,
 * bangtin.cfg and on the command line. The first byte picks the parser, the rest is its text:
 *   0  bt_time_parse_date        "2025-11-24" | "24/11/2025"
 *   1  bt_time_parse_datetime    "2025-11-24 09:00[:30]" | "2025-11-24T09:00" | "24/11/2025 09:00"
 *   2  bt_time_parse_hhmm        "07:30", with and without "24:00"
 *   3  bt_report_period_parse    "2025-Q4" | "2025-11" | "2025-9M" | "2025" | "A..B"
 *   4  bt_simulate_parse_off     "2025-11-03 05:00..2025-11-05 20:00"
 *   5  bt_broadcast_windows_parse "05:30-07:00,16:30-18:30"
 *   6  the small names: target period, channel and counts, report format
 * Every parser that accepts a text must accept what its own formatter writes for the result and
 * get the same value back (a date written into a report file name is read back the same way). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "fuzz.h"

enum { PARSE_DATE, PARSE_DATETIME, PARSE_HHMM, PARSE_PERIOD, PARSE_OFF, PARSE_WINDOWS,
       PARSE_NAMES, PARSER_COUNT };

static void fuzz_date(const char *s)
{
    bt_day day, again;
    char text[64];
    if (bt_time_parse_date(s, &day) != 0)
        return;
    int y, m, d;
    bt_time_ymd_from_day(day, &y, &m, &d);
    FUZZ_CHECK(bt_time_date_valid(y, m, d));
    FUZZ_CHECK(bt_time_day_from_ymd(y, m, d) == day);
    FUZZ_CHECK(bt_time_parse_date(bt_time_format_iso_day(day, text, sizeof text), &again) == 0);
    FUZZ_CHECK(again == day);
    FUZZ_CHECK(bt_time_parse_date(bt_time_format_ddmmyyyy(day, text, sizeof text), &again) == 0);
    FUZZ_CHECK(again == day);
    FUZZ_CHECK(bt_time_weekday_of_day(day) >= 1 && bt_time_weekday_of_day(day) <= 7);
}

static void fuzz_datetime(const char *s)
{
    bt_wall t, again;
    char text[64];
    if (bt_time_parse_datetime(s, &t) != 0)
        return;
    bt_civil c = bt_time_to_civil(t);
    FUZZ_CHECK(bt_time_from_civil(c.year, c.month, c.day, c.hour, c.minute, c.second) == t);
    FUZZ_CHECK(bt_time_parse_datetime(bt_time_format_iso(t, text, sizeof text), &again) == 0);
    FUZZ_CHECK(again == t);
    int minute = bt_time_minute_of_day(t);
    FUZZ_CHECK(minute >= 0 && minute < 1440);
    bt_time_format_date_vi(t, text, sizeof text);
    bt_time_format_hhmm(t, text, sizeof text);
}

static void fuzz_hhmm(const char *s)
{
    int plain = bt_time_parse_hhmm(s, false), with_24 = bt_time_parse_hhmm(s, true);
    FUZZ_CHECK(plain >= -1 && plain < 1440);
    FUZZ_CHECK(with_24 >= -1 && with_24 <= 1440);
    FUZZ_CHECK(plain == -1 || plain == with_24);
}

static void fuzz_period(const char *s)
{
    bt_period p, again;
    char code[64], name[128], label[128];
    if (bt_report_period_parse(s, &p) != 0)
        return;
    FUZZ_CHECK(p.first <= p.last);
    FUZZ_CHECK(p.last - p.first + 1 <= (p.kind == BT_PERIOD_DAY ? BT_REPORT_MAX_RANGE_DAYS : 366));
    bt_report_period_code(&p, code, sizeof code);
    FUZZ_CHECK(bt_report_period_parse(code, &again) == 0);
    FUZZ_CHECK(again.kind == p.kind && again.first == p.first && again.last == p.last);
    bt_report_file_name(&p, BT_REPORT_XLSX, name, sizeof name);
    FUZZ_CHECK(fuzz_terminated(name, sizeof name));
    bt_period_label_vi(&p, label, sizeof label);
    FUZZ_CHECK(bt_text_utf8_valid(label, strlen(label)));
}

static void fuzz_off(const char *s)
{
    bt_wall_span span;
    if (bt_simulate_parse_off(s, &span) == 0)
        FUZZ_CHECK(span.from < span.until);
}

static void fuzz_windows(const char *s)
{
    bt_broadcast_limits lim;
    bt_diags d;
    memset(&lim, 0, sizeof lim);
    lim.window_count = 99; /* must be untouched on failure */
    bt_diags_init(&d);
    int rc = bt_broadcast_windows_parse(s, "bangtin.cfg", 7, &lim, &d);
    FUZZ_CHECK(rc == 0 ? d.errors == 0 : d.errors > 0);
    if (rc == 0) {
        fuzz_check_windows(&lim);
    } else {
        FUZZ_CHECK(lim.window_count == 99);
    }
    for (size_t i = 0; i < d.count; i++)
        FUZZ_CHECK(d.items[i].line == 7);
    fuzz_check_diags(&d);
    bt_diags_free(&d);
}

static void fuzz_names(const char *s)
{
    bt_period_kind kind;
    bt_target_channel channel;
    bt_target_counts counts;
    bt_report_format format;
    if (bt_target_period_parse(s, &kind) == 0)
        FUZZ_CHECK(strcmp(bt_target_period_name(kind), s) == 0);
    if (bt_target_channel_parse(s, &channel) == 0)
        FUZZ_CHECK(strcmp(bt_target_channel_name(channel), s) == 0);
    if (bt_target_counts_parse(s, &counts) == 0)
        FUZZ_CHECK(strcmp(bt_target_counts_name(counts), s) == 0);
    if (bt_report_format_parse(s, &format) == 0)
        FUZZ_CHECK(strcmp(bt_report_format_name(format), s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *s = fuzz_strndup(data + 1, size - 1);
    /* '0'..'6' pick 0..6, so seed files stay readable text; every other byte picks one too. */
    switch ((uint8_t)(data[0] - '0') % PARSER_COUNT) {
    case PARSE_DATE:
        fuzz_date(s);
        break;
    case PARSE_DATETIME:
        fuzz_datetime(s);
        break;
    case PARSE_HHMM:
        fuzz_hhmm(s);
        break;
    case PARSE_PERIOD:
        fuzz_period(s);
        break;
    case PARSE_OFF:
        fuzz_off(s);
        break;
    case PARSE_WINDOWS:
        fuzz_windows(s);
        break;
    default:
        fuzz_names(s);
        break;
    }
    free(s);
    return 0;
}
