/* Civil time in Asia/Ho_Chi_Minh: calendar arithmetic, parsing, Vietnamese formatting, periods.
 * Known dates are checked against the calendar, not against our own functions. */
#include "bt_test_support.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_time.h"

static bt_day ymd(int y, int m, int d)
{
    return bt_time_day_from_ymd(y, m, d);
}

static void test_epoch_and_known_days(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1970, 1, 2), 1);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 3, 1), 11017);
    assert_int_equal(ymd(2026, 11, 23), 20780);
    assert_int_equal(ymd(2099, 12, 31), 47481);
    /* 1970-01-01 was a Thursday; 2026-11-23 is a Monday; 2025-11-23 a Sunday. */
    assert_int_equal(bt_time_weekday_of_day(0), 4);
    assert_int_equal(bt_time_weekday_of_day(-1), 3);
    assert_int_equal(bt_time_weekday_of_day(-4), 7);
    assert_int_equal(bt_time_weekday_of_day(ymd(2026, 11, 23)), 1);
    assert_int_equal(bt_time_weekday_of_day(ymd(2025, 11, 23)), 7);
    assert_int_equal(bt_time_weekday_of_day(ymd(2000, 2, 29)), 2);
}

/* Every day from 1970 to the end of 2099 maps back to itself, advances the calendar by one
 * and the weekday by one. */
static void test_round_trip_all_days(void **state)
{
    bt_day first = ymd(1970, 1, 1), last = ymd(2099, 12, 31), d;
    int py, pm, pd;
    (void)state;
    bt_time_ymd_from_day(first, &py, &pm, &pd);
    assert_int_equal(py, 1970);
    assert_int_equal(pm, 1);
    assert_int_equal(pd, 1);
    for (d = first + 1; d <= last; d++) {
        int y, m, dd;
        bt_time_ymd_from_day(d, &y, &m, &dd);
        assert_true(bt_time_date_valid(y, m, dd));
        assert_int_equal(ymd(y, m, dd), d);
        if (dd == 1) {
            assert_int_equal(pd, bt_time_days_in_month(py, pm));
            assert_int_equal(m, pm == 12 ? 1 : pm + 1);
            assert_int_equal(y, pm == 12 ? py + 1 : py);
        } else {
            assert_int_equal(dd, pd + 1);
            assert_int_equal(m, pm);
        }
        assert_int_equal(bt_time_weekday_of_day(d) % 7, (bt_time_weekday_of_day(d - 1) + 1) % 7);
        py = y;
        pm = m;
        pd = dd;
    }
    assert_int_equal(py, 2099);
    assert_int_equal(pm, 12);
    assert_int_equal(pd, 31);
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_int_equal(bt_time_days_in_month(2024, 2), 29);
    assert_int_equal(bt_time_days_in_month(2025, 2), 28);
    assert_int_equal(bt_time_days_in_month(2000, 2), 29);
    assert_int_equal(bt_time_days_in_month(2100, 2), 28);
    assert_int_equal(bt_time_days_in_month(1900, 2), 28);
    assert_int_equal(bt_time_days_in_month(2025, 4), 30);
    assert_int_equal(bt_time_days_in_month(2025, 13), 0);
    assert_true(bt_time_date_valid(2024, 2, 29));
    assert_false(bt_time_date_valid(2025, 2, 29));
    assert_false(bt_time_date_valid(2025, 2, 31));
    assert_false(bt_time_date_valid(2025, 4, 31));
    assert_false(bt_time_date_valid(2025, 0, 1));
    assert_false(bt_time_date_valid(2025, 1, 0));
    /* Year 0 and five-digit years are typos, not notice dates. */
    assert_true(bt_time_date_valid(1, 1, 1));
    assert_true(bt_time_date_valid(9999, 12, 31));
    assert_false(bt_time_date_valid(0, 1, 1));
    assert_false(bt_time_date_valid(10000, 1, 1));
    assert_int_equal(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
    assert_int_equal(ymd(2025, 3, 1) - ymd(2025, 2, 28), 1);
    assert_int_equal(ymd(2025, 1, 1) - ymd(2024, 1, 1), 366);
}

/* Local midnight in Hà Nội is 17:00 UTC of the previous day. */
static void test_wall_to_civil(void **state)
{
    bt_civil c;
    (void)state;
    c = bt_time_to_civil(0);
    assert_int_equal(c.year, 1970);
    assert_int_equal(c.hour, 7);
    assert_int_equal(c.weekday, 4);

    c = bt_time_to_civil(1763917200); /* 2025-11-23T17:00:00Z = 2025-11-24 00:00 local */
    assert_int_equal(c.year, 2025);
    assert_int_equal(c.month, 11);
    assert_int_equal(c.day, 24);
    assert_int_equal(c.hour, 0);
    assert_int_equal(c.minute, 0);
    assert_int_equal(c.weekday, 1);
    c = bt_time_to_civil(1763917199);
    assert_int_equal(c.day, 23);
    assert_int_equal(c.hour, 23);
    assert_int_equal(c.minute, 59);
    assert_int_equal(c.second, 59);
    assert_int_equal(c.weekday, 7);

    assert_int_equal(bt_time_from_civil(2025, 11, 24, 0, 0, 0), 1763917200);
    assert_int_equal(bt_time_day_start(ymd(2025, 11, 24)), 1763917200);
    assert_int_equal(bt_time_day_of(1763917200), ymd(2025, 11, 24));
    assert_int_equal(bt_time_day_of(1763917199), ymd(2025, 11, 23));
    assert_int_equal(bt_time_minute_of_day(bt_time_from_civil(2025, 11, 24, 7, 30, 59)), 450);
    assert_int_equal(bt_time_minute_of_day(bt_time_from_civil(2025, 11, 24, 23, 59, 0)), 1439);

    /* Before the epoch: 1969-12-31 23:00 local. */
    c = bt_time_to_civil(-8 * 3600);
    assert_int_equal(c.year, 1969);
    assert_int_equal(c.month, 12);
    assert_int_equal(c.day, 31);
    assert_int_equal(c.hour, 23);
    assert_int_equal(bt_time_minute_of_day(-8 * 3600), 23 * 60);
}

static void test_civil_round_trip_seconds(void **state)
{
    bt_wall t;
    (void)state;
    /* A prime step visits every hour, minute and second over 1970..2100. */
    for (t = -86400; t < (bt_wall)4102444800LL; t += 999983) {
        bt_civil c = bt_time_to_civil(t);
        assert_int_equal(bt_time_from_civil(c.year, c.month, c.day, c.hour, c.minute, c.second),
                         t);
        assert_int_equal(bt_time_weekday_of_day(bt_time_day_of(t)), c.weekday);
        assert_true(bt_time_day_start(bt_time_day_of(t)) <= t);
        assert_true(t - bt_time_day_start(bt_time_day_of(t)) < BT_SECONDS_PER_DAY);
    }
}

static void check_formats_fixed(void)
{
    char buf[64];
    bt_wall t = bt_time_from_civil(2026, 11, 23, 9, 5, 7);
    assert_string_equal(bt_time_format_date_vi(t, buf, sizeof(buf)), "Thứ Hai, 23/11/2026");
    assert_string_equal(bt_time_format_hhmm(t, buf, sizeof(buf)), "09:05");
    assert_string_equal(bt_time_format_iso(t, buf, sizeof(buf)), "2026-11-23 09:05:07");
    /* 2026-11-23 00:30 local is still 2026-11-22 in UTC and in New York. */
    t = bt_time_from_civil(2026, 11, 23, 0, 30, 0);
    assert_int_equal(t, 1763832600 + 365 * 86400);
    assert_string_equal(bt_time_format_date_vi(t, buf, sizeof(buf)), "Thứ Hai, 23/11/2026");
    assert_int_equal(bt_time_to_civil(t).weekday, 1);
}

/* The machine's TZ must make no difference: the test runs with TZ=UTC, then New York. */
static void test_tz_independent(void **state)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    (void)state;
    check_formats_fixed();
    setenv("TZ", "America/New_York", 1);
    tzset();
    check_formats_fixed();
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    check_formats_fixed();
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

static void test_weekday_names(void **state)
{
    char buf[64];
    (void)state;
    assert_string_equal(bt_time_weekday_vi(1), "Thứ Hai");
    assert_string_equal(bt_time_weekday_vi(2), "Thứ Ba");
    assert_string_equal(bt_time_weekday_vi(3), "Thứ Tư");
    assert_string_equal(bt_time_weekday_vi(4), "Thứ Năm");
    assert_string_equal(bt_time_weekday_vi(5), "Thứ Sáu");
    assert_string_equal(bt_time_weekday_vi(6), "Thứ Bảy");
    assert_string_equal(bt_time_weekday_vi(7), "Chủ Nhật");
    assert_string_equal(bt_time_weekday_vi(0), "");
    assert_string_equal(bt_time_weekday_vi(8), "");
    assert_string_equal(bt_time_format_date_vi(bt_time_from_civil(2025, 11, 23, 12, 0, 0), buf,
                                               sizeof(buf)),
                        "Chủ Nhật, 23/11/2025");
    assert_string_equal(bt_time_format_date_vi(bt_time_from_civil(2025, 10, 10, 8, 0, 0), buf,
                                               sizeof(buf)),
                        "Thứ Sáu, 10/10/2025");
    assert_string_equal(bt_time_format_date_vi(bt_time_from_civil(2025, 1, 4, 23, 59, 59), buf,
                                               sizeof(buf)),
                        "Thứ Bảy, 04/01/2025");
    assert_string_equal(bt_time_format_date_vi(bt_time_from_civil(2025, 1, 5, 0, 0, 0), buf,
                                               sizeof(buf)),
                        "Chủ Nhật, 05/01/2025");
}

static void test_format_days(void **state)
{
    char buf[32], small[6];
    (void)state;
    assert_string_equal(bt_time_format_ddmmyyyy(ymd(2026, 1, 5), buf, sizeof(buf)), "05/01/2026");
    assert_string_equal(bt_time_format_iso_day(ymd(2026, 1, 5), buf, sizeof(buf)), "2026-01-05");
    assert_string_equal(bt_time_format_iso_day(ymd(1970, 1, 1), buf, sizeof(buf)), "1970-01-01");
    /* A short buffer is truncated and still terminated. */
    assert_string_equal(bt_time_format_ddmmyyyy(ymd(2026, 1, 5), small, sizeof(small)), "05/01");
}

static void test_quarter_labels(void **state)
{
    char buf[32];
    (void)state;
    assert_string_equal(bt_time_quarter_label(ymd(2025, 1, 1), buf, sizeof(buf)), "Quý I/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 3, 31), buf, sizeof(buf)), "Quý I/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 4, 1), buf, sizeof(buf)), "Quý II/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 6, 30), buf, sizeof(buf)), "Quý II/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 7, 1), buf, sizeof(buf)), "Quý III/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 9, 30), buf, sizeof(buf)), "Quý III/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 10, 1), buf, sizeof(buf)), "Quý IV/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2025, 12, 31), buf, sizeof(buf)), "Quý IV/2025");
    assert_string_equal(bt_time_quarter_label(ymd(2026, 1, 1), buf, sizeof(buf)), "Quý I/2026");
}

static void check_period(bt_period_kind kind, bt_day day, bt_day first, bt_day last)
{
    bt_period p = bt_time_period_of(kind, day);
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.first, first);
    assert_int_equal(p.last, last);
}

static void test_periods(void **state)
{
    (void)state;
    check_period(BT_PERIOD_DAY, ymd(2025, 5, 17), ymd(2025, 5, 17), ymd(2025, 5, 17));
    check_period(BT_PERIOD_MONTH, ymd(2025, 2, 14), ymd(2025, 2, 1), ymd(2025, 2, 28));
    check_period(BT_PERIOD_MONTH, ymd(2024, 2, 29), ymd(2024, 2, 1), ymd(2024, 2, 29));
    check_period(BT_PERIOD_MONTH, ymd(2025, 12, 31), ymd(2025, 12, 1), ymd(2025, 12, 31));
    check_period(BT_PERIOD_QUARTER, ymd(2025, 1, 1), ymd(2025, 1, 1), ymd(2025, 3, 31));
    check_period(BT_PERIOD_QUARTER, ymd(2025, 3, 31), ymd(2025, 1, 1), ymd(2025, 3, 31));
    check_period(BT_PERIOD_QUARTER, ymd(2025, 4, 1), ymd(2025, 4, 1), ymd(2025, 6, 30));
    check_period(BT_PERIOD_QUARTER, ymd(2025, 8, 15), ymd(2025, 7, 1), ymd(2025, 9, 30));
    check_period(BT_PERIOD_QUARTER, ymd(2025, 12, 31), ymd(2025, 10, 1), ymd(2025, 12, 31));
    check_period(BT_PERIOD_NINE_MONTHS, ymd(2025, 1, 1), ymd(2025, 1, 1), ymd(2025, 9, 30));
    check_period(BT_PERIOD_NINE_MONTHS, ymd(2025, 9, 30), ymd(2025, 1, 1), ymd(2025, 9, 30));
    /* Oct–Dec still belong to that year's nine-month report period. */
    check_period(BT_PERIOD_NINE_MONTHS, ymd(2025, 11, 24), ymd(2025, 1, 1), ymd(2025, 9, 30));
    check_period(BT_PERIOD_YEAR, ymd(2025, 6, 1), ymd(2025, 1, 1), ymd(2025, 12, 31));
    check_period(BT_PERIOD_YEAR, ymd(2024, 12, 31), ymd(2024, 1, 1), ymd(2024, 12, 31));
    assert_int_equal(bt_time_period_of(BT_PERIOD_YEAR, ymd(2024, 7, 1)).last -
                         bt_time_period_of(BT_PERIOD_YEAR, ymd(2024, 7, 1)).first + 1,
                     366);
}

static void test_parse_date(void **state)
{
    bt_day d = 12345;
    (void)state;
    assert_int_equal(bt_time_parse_date("2025-11-24", &d), 0);
    assert_int_equal(d, ymd(2025, 11, 24));
    assert_int_equal(bt_time_parse_date("24/11/2025", &d), 0);
    assert_int_equal(d, ymd(2025, 11, 24));
    assert_int_equal(bt_time_parse_date("1/2/2025", &d), 0);
    assert_int_equal(d, ymd(2025, 2, 1));
    assert_int_equal(bt_time_parse_date("01/02/2025", &d), 0);
    assert_int_equal(d, ymd(2025, 2, 1));
    assert_int_equal(bt_time_parse_date("29/02/2024", &d), 0);
    assert_int_equal(d, ymd(2024, 2, 29));
    assert_int_equal(bt_time_parse_date("2024-02-29", &d), 0);
    assert_int_equal(bt_time_parse_date("31/12/2026", &d), 0);
    assert_int_equal(d, ymd(2026, 12, 31));

    d = 777;
    assert_int_equal(bt_time_parse_date("31/02/2025", &d), -1);
    assert_int_equal(bt_time_parse_date("29/02/2025", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-02-29", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-13-01", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-00-10", &d), -1);
    assert_int_equal(bt_time_parse_date("00/01/2025", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-1-5", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-11-24x", &d), -1);
    assert_int_equal(bt_time_parse_date("2025-11-24 ", &d), -1);
    assert_int_equal(bt_time_parse_date(" 2025-11-24", &d), -1);
    assert_int_equal(bt_time_parse_date("24/11/2025/", &d), -1);
    assert_int_equal(bt_time_parse_date("24/11/25", &d), -1);
    assert_int_equal(bt_time_parse_date("24/11/20255", &d), -1);
    assert_int_equal(bt_time_parse_date("124/11/2025", &d), -1);
    assert_int_equal(bt_time_parse_date("24-11-2025", &d), -1);
    assert_int_equal(bt_time_parse_date("24.11.2025", &d), -1);
    assert_int_equal(bt_time_parse_date("0000-01-01", &d), -1);
    assert_int_equal(bt_time_parse_date("", &d), -1);
    assert_int_equal(bt_time_parse_date("hôm nay", &d), -1);
    assert_int_equal(bt_time_parse_date(NULL, &d), -1);
    assert_int_equal(d, 777); /* untouched on failure */
}

static void test_parse_datetime(void **state)
{
    bt_wall t = 0;
    (void)state;
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:00", &t), 0);
    assert_int_equal(t, bt_time_from_civil(2025, 11, 24, 9, 0, 0));
    assert_int_equal(t, 1763917200 + 9 * 3600);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:00:30", &t), 0);
    assert_int_equal(t, bt_time_from_civil(2025, 11, 24, 9, 0, 30));
    assert_int_equal(bt_time_parse_datetime("2025-11-24T23:59:59", &t), 0);
    assert_int_equal(t, bt_time_from_civil(2025, 11, 24, 23, 59, 59));
    assert_int_equal(bt_time_parse_datetime("2025-11-24T00:00", &t), 0);
    assert_int_equal(t, 1763917200);

    assert_int_equal(bt_time_parse_datetime("2025-11-24", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 24:00", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:60", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:00:60", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:00:", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:0", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24 09:00 ", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24  09:00", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-11-24x09:00", &t), -1);
    assert_int_equal(bt_time_parse_datetime("2025-02-30 09:00", &t), -1);
    assert_int_equal(bt_time_parse_datetime("24/11/2025T09:00", &t), -1);
}

static void test_parse_hhmm(void **state)
{
    (void)state;
    assert_int_equal(bt_time_parse_hhmm("07:30", false), 450);
    assert_int_equal(bt_time_parse_hhmm("7:30", false), 450);
    assert_int_equal(bt_time_parse_hhmm("00:00", false), 0);
    assert_int_equal(bt_time_parse_hhmm("23:59", false), 1439);
    assert_int_equal(bt_time_parse_hhmm("24:00", true), 1440);
    assert_int_equal(bt_time_parse_hhmm("24:00", false), -1);
    assert_int_equal(bt_time_parse_hhmm("24:01", true), -1);
    assert_int_equal(bt_time_parse_hhmm("25:00", true), -1);
    assert_int_equal(bt_time_parse_hhmm("12:60", false), -1);
    assert_int_equal(bt_time_parse_hhmm("12:5", false), -1);
    assert_int_equal(bt_time_parse_hhmm("12:30:00", false), -1);
    assert_int_equal(bt_time_parse_hhmm("12h30", false), -1);
    assert_int_equal(bt_time_parse_hhmm("123:00", false), -1);
    assert_int_equal(bt_time_parse_hhmm("", false), -1);
    assert_int_equal(bt_time_parse_hhmm(NULL, false), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_known_days),
        cmocka_unit_test(test_round_trip_all_days),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_wall_to_civil),
        cmocka_unit_test(test_civil_round_trip_seconds),
        cmocka_unit_test(test_tz_independent),
        cmocka_unit_test(test_weekday_names),
        cmocka_unit_test(test_format_days),
        cmocka_unit_test(test_quarter_labels),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_datetime),
        cmocka_unit_test(test_parse_hhmm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
