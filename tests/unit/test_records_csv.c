/* ghi-nhan.csv (bt_records_csv_parse): what a Vietnamese-locale Excel and LibreOffice save, read
 * into records; every bad row named with its line and what to fix, nothing kept from a file with
 * one; the content keys that make a second import of the same file add nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"

static bt_day day(int y, int m, int d)
{
    return bt_time_day_from_ymd(y, m, d);
}

/* Parses text with the targets of a plan (the ward site and the City page count "cchc"). */
static int parse(const char *text, bt_records *out, bt_diags *d)
{
    static bt_target items[] = {
        {.id = "trang-phuong", .channel = BT_TARGET_WARD_SITE, .topic = "cchc"},
        {.id = "trang-tp", .channel = BT_TARGET_CITY_PAGE, .topic = "cchc"},
        {.id = "trang-tp-dvc", .channel = BT_TARGET_CITY_PAGE, .topic = "dich-vu-cong"},
    };
    bt_targets targets = {items, 3};
    bt_records_init(out);
    bt_diags_init(d);
    return bt_records_csv_parse(text, strlen(text), BT_RECORDS_CSV_FILE, &targets, out, d);
}

static void must_say(const bt_diags *d, int line, const char *what)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line == line && strstr(d->items[i].message, what) &&
            strcmp(d->items[i].file, BT_RECORDS_CSV_FILE) == 0)
            return;
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%s:%d: %s\n", d->items[i].file, d->items[i].line, d->items[i].message);
    fail_msg("no message on line %d saying \"%s\"", line, what);
}

/* As Excel in a vi-VN locale saves it: BOM, `;`, CRLF, a header, a note holding `;` in quotes. */
static void test_excel_semicolons(void **state)
{
    (void)state;
    bt_records r;
    bt_diags d;
    const char *text = "\xEF\xBB\xBFNgày;Kênh;Số lượng;Ghi chú\r\n"
                       "15/08/2025;Trang thông tin CCHC của Thành phố;1;Phòng VH-XH gửi\r\n"
                       "3/9/2025;trang phuong;2;\"Hai bài; một về VNeID\"\r\n"
                       ";;;\r\n"
                       "2025-09-26;Hội nghị;1\r\n"
                       "27/09/2025; Nhóm Zalo ;4;\r\n";
    assert_int_equal(parse(text, &r, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.items[0].day, day(2025, 8, 15));
    assert_int_equal(r.items[0].channel, BT_TARGET_CITY_PAGE);
    assert_int_equal(r.items[0].count, 1);
    assert_string_equal(r.items[0].note, "Phòng VH-XH gửi");
    /* Counts toward every City page target: their topics. */
    assert_string_equal(r.items[0].topic, "cchc, dich-vu-cong");
    assert_int_equal(r.items[0].source, BT_RECORD_FROM_CSV);
    assert_int_equal(r.items[0].line, 2);
    assert_null(r.items[0].title);
    assert_int_equal(r.items[1].day, day(2025, 9, 3));
    assert_int_equal(r.items[1].channel, BT_TARGET_WARD_SITE);
    assert_int_equal(r.items[1].count, 2);
    assert_string_equal(r.items[1].note, "Hai bài; một về VNeID");
    assert_string_equal(r.items[1].topic, "cchc");
    assert_int_equal(r.items[2].channel, BT_TARGET_CONFERENCE);
    assert_null(r.items[2].note);
    assert_null(r.items[2].topic); /* no target on conferences */
    assert_int_equal(r.items[2].line, 5);
    assert_int_equal(r.items[3].channel, BT_TARGET_ZALO);
    assert_int_equal(r.items[3].count, 4);
    for (size_t i = 0; i < r.count; i++) {
        assert_non_null(r.items[i].key);
        assert_int_equal(strncmp(r.items[i].key, "csv:", 4), 0);
        assert_int_equal(strlen(r.items[i].key), 4 + 64);
    }
    bt_records_free(&r);
    bt_diags_free(&d);
}

/* LibreOffice's default: `,`, LF, no BOM, a note with a comma in quotes and "" inside. */
static void test_commas_and_quotes(void **state)
{
    (void)state;
    bt_records r;
    bt_diags d;
    assert_int_equal(parse("01/10/2025,ward-site,1,\"Bài \"\"Một cửa\"\", số 2\"\n"
                           "02/10/2025,city-page,3,\n",
                           &r, &d),
                     0);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.items[0].note, "Bài \"Một cửa\", số 2");
    assert_int_equal(r.items[1].count, 3);
    bt_records_free(&r);
    bt_diags_free(&d);
}

/* The key says what a row is: the same file twice gives the same keys in any order of rows;
 * a row added keeps the others' keys; two identical rows are two keys (two conferences). */
static void test_keys_by_content(void **state)
{
    (void)state;
    bt_records a, b;
    bt_diags d;
    assert_int_equal(parse("01/10/2025;Hội nghị;1;\n01/10/2025;Hội nghị;1;\n05/10/2025;Zalo;2;x\n",
                           &a, &d),
                     0);
    bt_diags_free(&d);
    assert_int_equal(a.count, 3);
    assert_string_not_equal(a.items[0].key, a.items[1].key);
    assert_int_equal(parse("Ngày;Kênh;Số lượng;Ghi chú\n05/10/2025;Zalo;2;x\n"
                           "06/10/2025;Zalo;1;\n01/10/2025;hoi nghi;1;\n01/10/2025;Hội nghị;1\n",
                           &b, &d),
                     0);
    bt_diags_free(&d);
    assert_int_equal(b.count, 4);
    assert_string_equal(b.items[0].key, a.items[2].key);
    assert_string_equal(b.items[2].key, a.items[0].key);
    assert_string_equal(b.items[3].key, a.items[1].key);
    for (size_t i = 0; i < a.count; i++)
        assert_string_not_equal(b.items[1].key, a.items[i].key);
    bt_records_free(&a);
    bt_records_free(&b);
}

/* Every bad row named with its line and what to fix; nothing kept, the records as they were. */
static void test_bad_rows_named(void **state)
{
    (void)state;
    bt_records r;
    bt_diags d;
    const char *text = "Ngày;Kênh;Số lượng;Ghi chú\n"
                       "31/02/2025;Zalo;1;\n"              /* 2: no such day */
                       "01/03/2025;Loa phường;1;\n"        /* 3: the machine logs it */
                       "01/03/2025;Báo Nhân Dân;1;\n"      /* 4: not a channel */
                       "01/03/2025;Zalo;0;\n"              /* 5: a count from 1 */
                       "01/03/2025;Zalo;2,5;\n"            /* 6: not a whole number */
                       "01/03/2025;Zalo;1;a;b\n"           /* 7: five columns */
                       "01/03/2025;Zalo;1;\"mở mà không đóng\n" /* 8: quote left open */
                       "01/03/2025;Zalo;1000;\n"           /* 9: beyond 999 */
                       "01/03/2025;Zalo;;\n"               /* 10: no count */
                       "01/03/2025;Zalo;1;đúng\n";         /* 11: good */
    bt_records_init(&r);
    bt_record keep = {.day = day(2025, 1, 1), .channel = BT_TARGET_ZALO, .count = 1};
    r.items = calloc(1, sizeof *r.items);
    r.items[0] = keep;
    r.count = 1;
    bt_diags_init(&d);
    assert_int_equal(bt_records_csv_parse(text, strlen(text), BT_RECORDS_CSV_FILE, NULL, &r, &d),
                     -1);
    assert_int_equal(r.count, 1);
    assert_int_equal(d.errors, 9);
    must_say(&d, 2, "ngày \"31/02/2025\" không hợp lệ — hãy ghi ngày có thật");
    must_say(&d, 3, "kênh \"Loa phường\" không cần ghi nhận — máy tự ghi");
    must_say(&d, 4, "không rõ kênh \"Báo Nhân Dân\" — hãy ghi một trong: \"Trang thành phố\"");
    must_say(&d, 5, "số lượng \"0\" không hợp lệ — hãy ghi một số nguyên từ 1 đến 999");
    must_say(&d, 6, "số lượng \"2,5\" không hợp lệ");
    must_say(&d, 7, "dòng có 5 cột — mỗi dòng có 4 cột: ngày;kênh;số lượng;ghi chú");
    must_say(&d, 8, "ngoặc kép \" mở mà không đóng");
    must_say(&d, 9, "số lượng \"1000\" không hợp lệ");
    must_say(&d, 10, "thiếu số lượng ở cột thứ 3");
    bt_records_free(&r);
    bt_diags_free(&d);
}

static void test_not_utf8_or_no_columns(void **state)
{
    (void)state;
    bt_records r;
    bt_diags d;
    assert_int_equal(parse("15/08/2025;H\xf4i ngh\xef;1;\n", &r, &d), -1);
    must_say(&d, 0, "tệp không ở dạng UTF-8");
    bt_diags_free(&d);
    assert_int_equal(parse("15/08/2025 Zalo 1\n", &r, &d), -1);
    must_say(&d, 1, "dòng không có dấu chấm phẩy (;) hay dấu phẩy (,) giữa các cột");
    assert_int_equal(r.count, 0);
    bt_diags_free(&d);
    /* An empty file, or one with a header only, records nothing and is no error. */
    assert_int_equal(parse("\xEF\xBB\xBFNgày;Kênh;Số lượng;Ghi chú\r\n\r\n", &r, &d), 0);
    assert_int_equal(r.count, 0);
    bt_diags_free(&d);
}

static void test_channel_words(void **state)
{
    (void)state;
    static const struct {
        const char *words;
        bt_target_channel channel;
    } cases[] = {
        {"city-page", BT_TARGET_CITY_PAGE},
        {"Trang thông tin CCHC của Thành phố", BT_TARGET_CITY_PAGE},
        {"TRANG THANH PHO", BT_TARGET_CITY_PAGE},
        {"Trang thông tin điện tử của phường", BT_TARGET_WARD_SITE},
        {"Hội nghị tổ dân phố phường", BT_TARGET_CONFERENCE},
        {"tập huấn", BT_TARGET_CONFERENCE},
        {"Nhóm Zalo khu phố", BT_TARGET_ZALO},
        {"Khác", BT_TARGET_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bt_target_channel c = BT_TARGET_LOUDSPEAKER;
        bool loud = true;
        assert_int_equal(bt_records_channel_from_words(cases[i].words, &c, &loud), 0);
        assert_int_equal(c, cases[i].channel);
        assert_false(loud);
    }
    bt_target_channel c;
    bool loud = false;
    assert_int_equal(bt_records_channel_from_words("Màn hình sảnh", &c, &loud), -1);
    assert_true(loud);
    assert_int_equal(bt_records_channel_from_words("Báo giấy", &c, &loud), -1);
    assert_false(loud);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excel_semicolons),
        cmocka_unit_test(test_commas_and_quotes),
        cmocka_unit_test(test_keys_by_content),
        cmocka_unit_test(test_bad_rows_named),
        cmocka_unit_test(test_not_utf8_or_no_columns),
        cmocka_unit_test(test_channel_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
