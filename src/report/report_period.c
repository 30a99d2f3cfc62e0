/* Report periods as staff type them ("2025-Q4", "2025-11", "2025-9M", "2025", "A..B"), their
 * codes and the file names reports get, and the format names. Pure text and calendar work. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_report.h"
#include "bangtin/bt_time.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Room for one date as typed, either form. */
#define DATE_TEXT 32

static bool parse_int(const char *s, size_t len, int *out)
{
    int v = 0;
    if (len == 0 || len > 4)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int parse_range(const char *text, const char *dots, bt_period *out)
{
    char a[DATE_TEXT], b[DATE_TEXT];
    size_t la = (size_t)(dots - text), lb = strlen(dots + 2);
    bt_day first, last;
    if (la == 0 || la >= sizeof a || lb == 0 || lb >= sizeof b)
        return -1;
    memcpy(a, text, la);
    a[la] = '\0';
    memcpy(b, dots + 2, lb + 1);
    if (bt_time_parse_date(a, &first) != 0 || bt_time_parse_date(b, &last) != 0 || first > last ||
        last - first + 1 > BT_REPORT_MAX_RANGE_DAYS)
        return -1;
    out->kind = BT_PERIOD_DAY;
    out->first = first;
    out->last = last;
    return 0;
}

int bt_report_period_parse(const char *text, bt_period *out)
{
    int year, n;
    if (!text || !out)
        return -1;
    const char *dots = strstr(text, "..");
    if (dots)
        return parse_range(text, dots, out);
    size_t len = strlen(text);
    if (len < 4 || !parse_int(text, 4, &year) || year < 1970 || year > 9999)
        return -1;
    if (len == 4) {
        *out = bt_time_period_of(BT_PERIOD_YEAR, bt_time_day_from_ymd(year, 1, 1));
        return 0;
    }
    if (text[4] != '-' || len < 6)
        return -1;
    const char *rest = text + 5;
    size_t rlen = len - 5;
    if (rlen == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4') {
        *out = bt_time_period_of(BT_PERIOD_QUARTER,
                                 bt_time_day_from_ymd(year, (rest[1] - '1') * 3 + 1, 1));
        return 0;
    }
    if (rlen == 2 && rest[0] == '9' && (rest[1] == 'M' || rest[1] == 'm')) {
        *out = bt_time_period_of(BT_PERIOD_NINE_MONTHS, bt_time_day_from_ymd(year, 1, 1));
        return 0;
    }
    if (rlen <= 2 && parse_int(rest, rlen, &n) && n >= 1 && n <= 12) {
        *out = bt_time_period_of(BT_PERIOD_MONTH, bt_time_day_from_ymd(year, n, 1));
        return 0;
    }
    return -1;
}

const char *bt_report_period_code(const bt_period *p, char *buf, size_t size)
{
    int y, m;
    char a[DATE_TEXT], b[DATE_TEXT];
    bt_time_ymd_from_day(p->first, &y, &m, NULL);
    switch (p->kind) {
    case BT_PERIOD_MONTH:
        snprintf(buf, size, "%04d-%02d", y, m);
        break;
    case BT_PERIOD_QUARTER:
        snprintf(buf, size, "%04d-Q%d", y, (m - 1) / 3 + 1);
        break;
    case BT_PERIOD_NINE_MONTHS:
        snprintf(buf, size, "%04d-9M", y);
        break;
    case BT_PERIOD_YEAR:
        snprintf(buf, size, "%04d", y);
        break;
    case BT_PERIOD_DAY:
    default:
        snprintf(buf, size, "%s..%s", bt_time_format_iso_day(p->first, a, sizeof a),
                 bt_time_format_iso_day(p->last, b, sizeof b));
        break;
    }
    return buf;
}

static const char *const format_names[] = {[BT_REPORT_CSV] = "csv", [BT_REPORT_XLSX] = "xlsx",
                                           [BT_REPORT_HTML] = "html", [BT_REPORT_DOCX] = "docx"};

int bt_report_format_parse(const char *name, bt_report_format *out)
{
    for (size_t i = 0; name && i < ARRAY_LEN(format_names); i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (bt_report_format)i;
            return 0;
        }
    }
    return -1;
}

const char *bt_report_format_name(bt_report_format f)
{
    return (size_t)f < ARRAY_LEN(format_names) ? format_names[f] : "?";
}

const char *bt_report_file_name(const bt_period *p, bt_report_format f, char *buf, size_t size)
{
    char code[64];
    bt_report_period_code(p, code, sizeof code);
    /* ".." would read as a parent directory to some tools: a range is written "A_B". */
    char *dots = strstr(code, "..");
    if (dots) {
        dots[0] = '_';
        memmove(dots + 1, dots + 2, strlen(dots + 2) + 1);
    }
    snprintf(buf, size, "bao-cao-%s.%s", code, bt_report_format_name(f));
    return buf;
}

