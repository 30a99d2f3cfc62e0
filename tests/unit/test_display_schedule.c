/* display.on (bt_display_schedule.h): what staff write, what it means minute by minute, and the
 * message for each mistake. 2026-11-23 is a Monday (checked in test_time.c). */
#include "bt_test_support.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_display_schedule.h"

/* Local time on the week of Monday 2026-11-23: weekday 1 = T2 … 7 = CN. */
static bt_wall at(int weekday, int hour, int minute)
{
    return bt_time_from_civil(2026, 11, 22 + weekday, hour, minute, 0);
}

static bt_display_schedule parse_ok(const char *text)
{
    bt_display_schedule s;
    bt_diags d;
    bt_diags_init(&d);
    int rc = bt_display_schedule_parse(text, "bangtin.cfg", 12, &s, &d);
    if (rc != 0 || d.count != 0) {
        char line[BT_MAX_DIAG_MESSAGE + 64];
        fail_msg("\"%s\": %s", text, d.count ? bt_diag_format(&d.items[0], line, sizeof line)
                                             : "rc != 0");
    }
    bt_diags_free(&d);
    return s;
}

static void test_office_week(void **state)
{
    (void)state;
    bt_display_schedule s = parse_ok("T2-T6 07:00-17:30, T7 07:30-11:30");
    assert_false(s.always);
    assert_int_equal(s.count, 2);
    for (int day = 1; day <= 5; day++) {
        assert_false(bt_display_schedule_on(&s, at(day, 6, 59)));
        assert_true(bt_display_schedule_on(&s, at(day, 7, 0)));
        assert_true(bt_display_schedule_on(&s, at(day, 17, 29)));
        assert_false(bt_display_schedule_on(&s, at(day, 17, 30)));
    }
    assert_false(bt_display_schedule_on(&s, at(6, 7, 29)));
    assert_true(bt_display_schedule_on(&s, at(6, 7, 30)));
    assert_true(bt_display_schedule_on(&s, at(6, 11, 29)));
    assert_false(bt_display_schedule_on(&s, at(6, 11, 30)));
    for (int h = 0; h < 24; h++)
        assert_false(bt_display_schedule_on(&s, at(7, h, 0)));
    /* The next change: tonight off, Saturday noon off until Monday 07:00. */
    assert_int_equal(bt_display_schedule_next_change(&s, at(1, 9, 0)), at(1, 17, 30));
    assert_int_equal(bt_display_schedule_next_change(&s, at(1, 17, 30)), at(2, 7, 0));
    assert_int_equal(bt_display_schedule_next_change(&s, at(5, 20, 0)), at(6, 7, 30));
    assert_int_equal(bt_display_schedule_next_change(&s, at(6, 11, 30)),
                     at(7, 0, 0) + 86400 + 7 * 3600);
    char text[BT_DISPLAY_SCHEDULE_TEXT_BYTES];
    assert_string_equal(bt_display_schedule_text(&s, text, sizeof text),
                        "T2-T6 07:00-17:30, T7 07:30-11:30");
}

static void test_lists_and_shared_days(void **state)
{
    (void)state;
    /* Days alone join the next item; hours alone take the item before's days; spaces around
     * dashes and in any case are fine. */
    bt_display_schedule s = parse_ok(" t2 , T4 07:00 - 11:30 13:30-17:00, 18:00-19:00 ,CN 08:00-10:00");
    assert_int_equal(s.count, 4);
    assert_true(bt_display_schedule_on(&s, at(1, 18, 30)));
    assert_true(bt_display_schedule_on(&s, at(3, 13, 30)));
    assert_false(bt_display_schedule_on(&s, at(3, 12, 0)));
    assert_false(bt_display_schedule_on(&s, at(2, 8, 0)));
    assert_true(bt_display_schedule_on(&s, at(7, 9, 59)));
    assert_false(bt_display_schedule_on(&s, at(7, 10, 0)));
    char text[BT_DISPLAY_SCHEDULE_TEXT_BYTES];
    assert_string_equal(bt_display_schedule_text(&s, text, sizeof text),
                        "T2, T4 07:00-11:30 13:30-17:00 18:00-19:00, CN 08:00-10:00");
    /* What it prints reads back the same. */
    bt_display_schedule again = parse_ok(text);
    assert_int_equal(again.count, s.count);
    assert_memory_equal(again.spans, s.spans, s.count * sizeof s.spans[0]);
}

static void test_overnight_and_whole_days(void **state)
{
    (void)state;
    /* Friday 18:00 to Saturday 02:00, and Sunday's span runs into Monday. */
    bt_display_schedule s = parse_ok("T6 18:00-02:00, CN 22:00-01:30, T3 00:00-24:00");
    assert_false(bt_display_schedule_on(&s, at(5, 17, 59)));
    assert_true(bt_display_schedule_on(&s, at(5, 23, 59)));
    assert_true(bt_display_schedule_on(&s, at(6, 1, 59)));
    assert_false(bt_display_schedule_on(&s, at(6, 2, 0)));
    assert_false(bt_display_schedule_on(&s, at(4, 1, 0))); /* Thursday night was not listed */
    assert_true(bt_display_schedule_on(&s, at(1, 1, 0)));  /* Monday 01:00, from Sunday 22:00 */
    assert_false(bt_display_schedule_on(&s, at(1, 1, 30)));
    assert_false(bt_display_schedule_on(&s, at(1, 23, 0)));
    assert_true(bt_display_schedule_on(&s, at(2, 0, 0)));
    assert_true(bt_display_schedule_on(&s, at(2, 23, 59)));
    assert_false(bt_display_schedule_on(&s, at(3, 0, 0)));
    assert_int_equal(bt_display_schedule_next_change(&s, at(5, 19, 0)), at(6, 2, 0));
    assert_int_equal(bt_display_schedule_next_change(&s, at(7, 22, 0)), at(1, 1, 30) + 7 * 86400);
    assert_int_equal(bt_display_schedule_next_change(&s, at(1, 12, 0)), at(2, 0, 0));
    assert_int_equal(bt_display_schedule_next_change(&s, at(2, 12, 0)), at(3, 0, 0));
}

static void test_always(void **state)
{
    (void)state;
    bt_display_schedule s = parse_ok("  ");
    assert_true(s.always);
    assert_true(bt_display_schedule_on(&s, at(7, 3, 0)));
    assert_int_equal(bt_display_schedule_next_change(&s, at(7, 3, 0)), 0);
    char text[32];
    assert_string_equal(bt_display_schedule_text(&s, text, sizeof text), "luôn bật");
    /* Every day, all day: on, and never changes. */
    s = parse_ok("T2-CN 00:00-24:00");
    assert_true(bt_display_schedule_on(&s, at(4, 12, 0)));
    assert_int_equal(bt_display_schedule_next_change(&s, at(4, 12, 0)), 0);
}

#define EX "\"T2-T6 07:00-17:30, T7 07:30-11:30\""

static void test_mistakes(void **state)
{
    (void)state;
    const char *bad[][2] = {
        {"T2-T6 7h-17h30", "bangtin.cfg:12: lỗi: khoá \"display.on\": khung giờ \"7h-17h30\" "
                           "không đúng dạng — viết giờ bật-giờ tắt dạng HH:MM-HH:MM sau các thứ, "
                           "ví dụ " EX},
        {"T2-T6 07:00", "bangtin.cfg:12: lỗi: khoá \"display.on\": khung giờ \"07:00\" không đúng "
                        "dạng — viết giờ bật-giờ tắt dạng HH:MM-HH:MM sau các thứ, ví dụ " EX},
        {"T2-T6 07:00-25:00", "bangtin.cfg:12: lỗi: khoá \"display.on\": giờ \"25:00\" trong khung "
                              "giờ \"07:00-25:00\" không có thật — giờ từ 00 đến 23, phút từ 00 "
                              "đến 59 (riêng giờ tắt được viết 24:00)"},
        {"T2 24:00-06:00", "bangtin.cfg:12: lỗi: khoá \"display.on\": khung giờ \"24:00-06:00\" "
                           "bắt đầu lúc 24:00 — nửa đêm là đầu ngày sau, hãy viết 00:00"},
        {"T2 07:00-07:00", "bangtin.cfg:12: lỗi: khoá \"display.on\": khung giờ \"07:00-07:00\" có "
                           "giờ bật và giờ tắt trùng nhau — muốn bật cả ngày hãy viết "
                           "\"00:00-24:00\""},
        {"07:00-17:30", "bangtin.cfg:12: lỗi: khoá \"display.on\": mục \"07:00-17:30\" thiếu thứ — "
                        "viết các thứ trước khung giờ, ví dụ " EX},
        {"T2-T6 07:00-17:30, T7", "bangtin.cfg:12: lỗi: khoá \"display.on\": các thứ cuối cùng "
                                  "chưa có khung giờ — viết giờ bật-giờ tắt sau các thứ, ví dụ " EX},
        {"Thứ 2 07:00-17:30", "bangtin.cfg:12: lỗi: thứ \"Thứ\" không hợp lệ — dùng T2, T3, T4, "
                              "T5, T6, T7 hoặc CN; ví dụ \"T2-T6\" hoặc \"T2,T4,CN\""},
        {"T6-T2 07:00-17:30", "bangtin.cfg:12: lỗi: khoảng thứ \"T6-T2\" bị ngược — tuần tính từ T2 "
                              "đến CN nên thứ đầu khoảng phải sớm hơn thứ cuối (ví dụ \"T2-T6\"); "
                              "nếu muốn vắt qua cuối tuần (từ T6 đến T2 tuần sau), hãy viết "
                              "\"T6-CN,T2\""},
        {"T2-T6 07:00-17:30,,", "bangtin.cfg:12: lỗi: khoá \"display.on\" = \"T2-T6 07:00-17:30,,\" "
                                "có dấu phẩy thừa — ví dụ đúng: " EX},
        {"T2 \xff", "bangtin.cfg:12: lỗi: khoá \"display.on\" không phải UTF-8 hợp lệ — lưu tệp "
                    "với bảng mã UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bt_display_schedule s;
        bt_diags d;
        char line[BT_MAX_DIAG_MESSAGE + 64];
        bt_diags_init(&d);
        assert_int_equal(bt_display_schedule_parse(bad[i][0], "bangtin.cfg", 12, &s, &d), -1);
        if (d.count != 1)
            fail_msg("\"%s\": %zu messages", bad[i][0], d.count);
        assert_string_equal(bt_diag_format(&d.items[0], line, sizeof line), bad[i][1]);
        assert_true(s.always); /* a refused text leaves the display always on */
        bt_diags_free(&d);
    }
    /* Seventeen spans are one too many. */
    char many[512] = "T2";
    for (int h = 0; h < 17; h++) {
        size_t n = strlen(many);
        snprintf(many + n, sizeof many - n, "%s%02d:00-%02d:30", h ? ", " : " ", h, h);
    }
    bt_display_schedule s;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_display_schedule_parse(many, "bangtin.cfg", 3, &s, &d), -1);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].message, "quá nhiều khung giờ (tối đa 16)"));
    bt_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office_week),
        cmocka_unit_test(test_lists_and_shared_days),
        cmocka_unit_test(test_overnight_and_whole_days),
        cmocka_unit_test(test_always),
        cmocka_unit_test(test_mistakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
