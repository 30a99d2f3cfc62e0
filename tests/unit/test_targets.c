/* Targets (core): the `targets` list of playlist.cfg (good input, its dump, and every kind of
 * mistake with its exact Vietnamese message and line); progress in a period from airing rows
 * and screen exposure (only completed airings count, distinct items, validity cuts the period);
 * the four states, with "at risk" raised exactly when the remaining scheduled airings cannot
 * reach the minimum; history versions resolved into targets in force; the public results line.
 *
 * Unit tests link bt_core only, so the tree is built by the same tiny reader of the libconfig
 * subset that test_broadcast.c uses. */
#include "bt_test_support.h"
#include "bt_test_tree.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"
#include "bangtin/bt_vi.h"

/* ---- parsing ------------------------------------------------------------------------------ */

/* Validates the `targets` list of text; returns the rc and all diagnostics, one per line. */
static int validate(const char *text, bt_targets *out, char **messages)
{
    bt_node *root = bt_test_parse_cfg(text);
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_targets_from_tree(bt_node_child(root, "targets"), "playlist.cfg", out, &diags);
    bt_diags_sort(&diags); /* by line; insertion order within a line */
    size_t cap = 1, len = 0;
    for (size_t i = 0; i < diags.count; i++)
        cap += BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64;
    char *all = malloc(cap);
    all[0] = '\0';
    for (size_t i = 0; i < diags.count; i++) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        bt_diag_format(&diags.items[i], line, sizeof line);
        len += (size_t)snprintf(all + len, cap - len, "%s\n", line);
    }
    *messages = all;
    bt_diags_free(&diags);
    bt_node_destroy(root);
    return rc;
}

static void expect_errors(const char *text, const char *expected)
{
    bt_targets t;
    char *got = NULL;
    int rc = validate(text, &t, &got);
    if (strcmp(got, expected) != 0)
        fail_msg("diagnostics differ\n--- expected\n%s--- got\n%s", expected, got);
    assert_int_equal(rc, -1);
    assert_int_equal(t.count, 0);
    assert_null(t.items);
    free(got);
}

static const char good_cfg[] =
    "id = \"x\";\n"
    "targets = (\n"
    "  { id = \"cchc-loa-quy\"; label = \"  tin bài CCHC \"; channel = \"loudspeaker\";\n"
    "    topic = \"cchc\"; period = \"quarter\"; minimum = 2; counts = \"items\";\n"
    "    from = \"01/10/2025\"; until = \"2026-12-31\"; },\n"
    "  { id = \"loa-luot\"; channel = \"loudspeaker\"; period = \"month\"; minimum = 8;"
    " counts = \"airings\"; },\n"
    "  { id = \"man-hinh\"; channel = \"screen\"; period = \"year\"; minimum = 6; },\n"
    "  { id = \"man-hinh-phut\"; label = \"thông báo CCHC\"; channel = \"screen\"; topic = "
    "\"cchc\";\n"
    "    period = \"month\"; minimum = 300; counts = \"minutes\"; }\n"
    ");\n";

static const char good_dump[] =
    "targets = 4\n"
    "targets[0].id = \"cchc-loa-quy\"\n"
    "targets[0].label = \"tin bài CCHC\"\n"
    "targets[0].channel = loudspeaker\n"
    "targets[0].topic = cchc\n"
    "targets[0].period = quarter\n"
    "targets[0].minimum = 2\n"
    "targets[0].counts = items\n"
    "targets[0].from = 2025-10-01\n"
    "targets[0].until = 2026-12-31\n"
    "targets[1].id = \"loa-luot\"\n"
    "targets[1].label = \"tin bài\"\n"
    "targets[1].channel = loudspeaker\n"
    "targets[1].topic = -\n"
    "targets[1].period = month\n"
    "targets[1].minimum = 8\n"
    "targets[1].counts = airings\n"
    "targets[1].from = -\n"
    "targets[1].until = -\n"
    "targets[2].id = \"man-hinh\"\n"
    "targets[2].label = \"thông báo\"\n"
    "targets[2].channel = screen\n"
    "targets[2].topic = -\n"
    "targets[2].period = year\n"
    "targets[2].minimum = 6\n"
    "targets[2].counts = notices\n"
    "targets[2].from = -\n"
    "targets[2].until = -\n"
    "targets[3].id = \"man-hinh-phut\"\n"
    "targets[3].label = \"thông báo CCHC\"\n"
    "targets[3].channel = screen\n"
    "targets[3].topic = cchc\n"
    "targets[3].period = month\n"
    "targets[3].minimum = 300\n"
    "targets[3].counts = minutes\n"
    "targets[3].from = -\n"
    "targets[3].until = -\n";

static void test_parse_good(void **state)
{
    (void)state;
    bt_targets t;
    char *msgs = NULL;
    assert_int_equal(validate(good_cfg, &t, &msgs), 0);
    assert_string_equal(msgs, "");
    free(msgs);
    assert_int_equal(t.count, 4);
    assert_int_equal(t.items[0].line, 3);
    char *dump = bt_targets_dump(&t);
    assert_non_null(dump);
    if (strcmp(dump, good_dump) != 0)
        fail_msg("dump differs\n--- expected\n%s--- got\n%s", good_dump, dump);
    free(dump);
    bt_targets_free(&t);
    assert_int_equal(t.count, 0);

    /* No targets group, or an empty one: nothing, no error. */
    assert_int_equal(validate("id = \"x\";\n", &t, &msgs), 0);
    assert_int_equal(t.count, 0);
    free(msgs);
    assert_int_equal(validate("targets = ();\n", &t, &msgs), 0);
    assert_string_equal(msgs, "");
    assert_int_equal(t.count, 0);
    free(msgs);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_errors(
        "targets = (\n"
        "  { id = \"A b\"; chanel = \"loudspeaker\"; period = \"quater\"; minimum = 0; },\n"
        "  { id = \"loa\"; channel = \"radio\"; period = \"month\"; minimum = \"2\"; title = "
        "\"x\"; },\n"
        "  { id = \"loa\"; channel = \"screen\"; period = \"year\"; minimum = 3; counts = "
        "\"airings\";\n"
        "    from = \"31/12/2025\"; until = \"01/10/2025\"; weekdays = \"T2\"; },\n"
        "  \"cchc\",\n"
        "  { channel = \"loudspeaker\"; period = \"year\"; minimum = 2; from = \"31/02/2025\"; "
        "Topic = \"x\"; }\n"
        ");\n",
        "playlist.cfg:2: lỗi: khoá \"chanel\" không hợp lệ — có phải ý bạn là \"channel\"?\n"
        "playlist.cfg:2: lỗi: mã chỉ tiêu \"A b\" có ký tự không được phép — chỉ dùng chữ thường "
        "không dấu a-z, chữ số 0-9, dấu gạch ngang \"-\" và gạch dưới \"_\", ví dụ \"a-b\"\n"
        "playlist.cfg:2: lỗi: kỳ tính \"quater\" không hợp lệ — có phải ý bạn là \"quarter\"? "
        "chỉ dùng \"month\" (tháng), \"quarter\" (quý) hoặc \"year\" (năm)\n"
        "playlist.cfg:2: lỗi: mức tối thiểu minimum = 0 không hợp lệ — phải là số nguyên từ 1 đến "
        "1000000 (số tin bài, lượt phát, thông báo hoặc phút trong mỗi kỳ), ví dụ minimum = 2;\n"
        "playlist.cfg:2: lỗi: chỉ tiêu thứ 1 thiếu khoá bắt buộc \"channel\" (kênh) — thêm dòng, "
        "ví dụ: channel = \"loudspeaker\";\n"
        "playlist.cfg:3: lỗi: khoá \"title\" không dùng cho một chỉ tiêu — tên chỉ tiêu viết là "
        "label = \"tin bài CCHC\";\n"
        "playlist.cfg:3: lỗi: kênh \"radio\" không hợp lệ — chỉ dùng \"loudspeaker\" (loa "
        "phường), \"screen\" (màn hình sảnh), \"city-page\" (Trang thông tin CCHC của Thành "
        "phố), \"ward-site\" (Trang thông tin điện tử của phường), \"conference\" (hội nghị), "
        "\"zalo\" (nhóm Zalo) hoặc \"other\" (kênh khác)\n"
        "playlist.cfg:3: lỗi: khoá \"minimum\" phải là số nguyên, nhưng đang là chuỗi — ví dụ: "
        "minimum = 2;\n"
        "playlist.cfg:4: lỗi: chỉ tiêu \"loa\": cách tính counts = \"airings\" không dùng cho "
        "kênh \"screen\" — màn hình dùng \"notices\" (số thông báo khác nhau) hoặc \"minutes\" "
        "(số phút hiển thị)\n"
        "playlist.cfg:4: lỗi: mã chỉ tiêu \"loa\" bị trùng với chỉ tiêu ở dòng 3 — mỗi chỉ tiêu "
        "cần một mã riêng\n"
        "playlist.cfg:5: lỗi: khoá \"weekdays\" không dùng cho một chỉ tiêu — khoá này thuộc về "
        "thông báo hoặc lịch phát thanh; một chỉ tiêu chỉ dùng các khoá: id, label, channel, "
        "topic, period, minimum, counts, from, until\n"
        "playlist.cfg:5: lỗi: khoảng ngày bị ngược: \"from\" (31/12/2025) sau \"until\" "
        "(01/10/2025) — ngày bắt đầu phải trước hoặc trùng ngày kết thúc\n"
        "playlist.cfg:6: lỗi: phần tử thứ 4 trong targets phải là một nhóm { ... } mô tả một chỉ "
        "tiêu, nhưng đang là chuỗi — ví dụ: { id = \"cchc-loa-quy\"; channel = \"loudspeaker\"; "
        "period = \"quarter\"; minimum = 2; }\n"
        "playlist.cfg:7: lỗi: khoá \"Topic\" không hợp lệ — có phải ý bạn là \"topic\"? (tên khoá "
        "viết bằng chữ thường)\n"
        "playlist.cfg:7: lỗi: ngày \"31/02/2025\" không tồn tại — tháng 2 năm 2025 chỉ có 28 "
        "ngày\n"
        "playlist.cfg:7: lỗi: chỉ tiêu thứ 5 thiếu khoá bắt buộc \"id\" (mã chỉ tiêu) — thêm "
        "dòng, ví dụ: id = \"cchc-loa-quy\";\n");
    expect_errors("targets = { id = \"x\"; };\n",
                  "playlist.cfg:1: lỗi: khoá \"targets\" phải là danh sách ( ), nhưng đang là "
                  "nhóm { } — ví dụ: targets = ( { id = \"cchc-loa-quy\"; channel = "
                  "\"loudspeaker\"; period = \"quarter\"; minimum = 2; } );\n");
}

static void test_check_topics(void **state)
{
    (void)state;
    bt_targets t;
    char *msgs = NULL;
    assert_int_equal(validate(good_cfg, &t, &msgs), 0);
    free(msgs);
    bt_broadcast_item items[1] = {{.id = "tin", .title = "Tin", .audio = "a.ogg", .topic = "cchc"}};
    bt_broadcasts b = {.items = items, .item_count = 1, .sessions = NULL, .session_count = 0};
    const char *topics[] = {"dich-vu-cong", NULL};
    bt_diags d;
    bt_diags_init(&d);
    bt_targets_check_topics(&t, &b, topics, 2, "playlist.cfg", &d);
    /* The loudspeaker target's topic is carried; the screen one's is not. */
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.items[0].line, 8);
    assert_string_equal(d.items[0].message,
                        "chỉ tiêu \"man-hinh-phut\" tính theo chủ đề \"cchc\", nhưng chưa có "
                        "thông báo nào có chủ đề \"cchc\" (trong topic) trong playlist này — chỉ "
                        "tiêu sẽ không tăng cho đến khi có");
    bt_diags_free(&d);
    bt_targets_free(&t);
}

/* ---- progress ----------------------------------------------------------------------------- */

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

static bt_day day(int y, int mo, int d)
{
    return bt_time_day_from_ymd(y, mo, d);
}

/* The model owns mutable strings; these tests lend it literals they never free. */
static char *lend(const char *s)
{
    return (char *)(uintptr_t)s;
}

static bt_target target(const char *id, bt_target_channel ch, const char *topic,
                        bt_period_kind period, int minimum, bt_target_counts counts)
{
    bt_target t = {lend(id), lend("tin bài CCHC"), ch, lend(topic), period, minimum,
                   counts, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, 0};
    return t;
}

/* A quarter of airing rows: two completed airings of one CCHC item, an interrupted and a missed
 * one of another, a completed one on another topic, one more CCHC item in December, and two
 * completed CCHC airings just outside Q4 (local time). */
static const bt_target_airing q4_airings[] = {
    {"tin-dvc", "cchc", 0, BT_ATTEMPT_COMPLETED},
    {"tin-dvc", "cchc", 0, BT_ATTEMPT_COMPLETED},
    {"tin-vneid", "cchc", 0, BT_ATTEMPT_INTERRUPTED},
    {"tin-vneid", "cchc", 0, BT_ATTEMPT_MISSED},
    {"tin-bao", "thoi-tiet", 0, BT_ATTEMPT_COMPLETED},
    {"tin-par", "cchc", 0, BT_ATTEMPT_COMPLETED},
    {"tin-q3", "cchc", 0, BT_ATTEMPT_COMPLETED},
    {"tin-2026", "cchc", 0, BT_ATTEMPT_COMPLETED},
};

static void fill_q4(bt_target_airing *a)
{
    memcpy(a, q4_airings, sizeof q4_airings);
    a[0].at = at(2025, 10, 6, 6, 0);
    a[1].at = at(2025, 10, 13, 6, 0);
    a[2].at = at(2025, 11, 3, 6, 0);
    a[3].at = at(2025, 11, 10, 6, 0);
    a[4].at = at(2025, 11, 10, 17, 0);
    a[5].at = at(2025, 12, 1, 6, 0);
    a[6].at = at(2025, 9, 30, 23, 59);
    a[7].at = at(2026, 1, 1, 0, 0);
}

static void test_progress_loudspeaker(void **state)
{
    (void)state;
    bt_target_airing a[8];
    fill_q4(a);
    bt_target_inputs in = {.airings = a, .airing_count = 8, .today = day(2026, 1, 5)};
    bt_target items = target("cchc", BT_TARGET_LOUDSPEAKER, "cchc", BT_PERIOD_QUARTER, 2,
                             BT_TARGET_COUNT_ITEMS);
    bt_target airings = target("luot", BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_QUARTER, 5,
                               BT_TARGET_COUNT_AIRINGS);
    bt_target_progress p;

    /* Distinct CCHC items completed in Q4: tin-dvc (twice) and tin-par; tin-vneid never
     * completed; the rows of 30/09 and 01/01 are outside. */
    assert_int_equal(bt_target_progress_for(&items, day(2025, 11, 15), &in, &p), 1);
    assert_int_equal(p.period.kind, BT_PERIOD_QUARTER);
    assert_int_equal(p.first, day(2025, 10, 1));
    assert_int_equal(p.last, day(2025, 12, 31));
    assert_int_equal(p.done, 2);
    assert_int_equal(p.required, 2);
    assert_int_equal(p.remaining, 0);
    assert_int_equal(p.days_left, 0);
    assert_int_equal(p.state, BT_TARGET_MET);
    assert_int_equal(p.still_possible, -1);

    /* Completed airings of every topic: 4 of 5, and the quarter is over. */
    assert_int_equal(bt_target_progress_for(&airings, day(2025, 10, 1), &in, &p), 1);
    assert_int_equal(p.done, 4);
    assert_int_equal(p.remaining, 1);
    assert_int_equal(p.state, BT_TARGET_MISSED);

    /* Q3 sees the airing of 30/09 23:59 local (16:59 UTC): one item, one short. */
    assert_int_equal(bt_target_progress_for(&items, day(2025, 9, 1), &in, &p), 1);
    assert_int_equal(p.done, 1);
    assert_int_equal(p.state, BT_TARGET_MISSED);

    /* Validity cuts the period: from 01/11 only tin-par counts. */
    items.from_day = day(2025, 11, 1);
    assert_int_equal(bt_target_progress_for(&items, day(2025, 10, 1), &in, &p), 1);
    assert_int_equal(p.first, day(2025, 11, 1));
    assert_int_equal(p.done, 1);
    assert_int_equal(p.state, BT_TARGET_MISSED);
    /* A period the target is not valid in at all. */
    items.until_day = day(2025, 12, 31);
    assert_int_equal(bt_target_progress_for(&items, day(2026, 2, 1), &in, &p), 0);
    assert_null(p.target);
    assert_int_equal(bt_target_progress_for(&items, day(2025, 8, 1), &in, &p), 0);
}

/* An item or notice with several topics counts toward every target whose topic is one of them,
 * and toward none whose topic only shares a prefix or a part. */
static void test_several_topics(void **state)
{
    (void)state;
    assert_true(bt_topics_has("cchc", "cchc"));
    assert_true(bt_topics_has("cchc, dich-vu-cong", "dich-vu-cong"));
    assert_true(bt_topics_has("cchc, dich-vu-cong", "cchc"));
    assert_false(bt_topics_has("cchc, dich-vu-cong", "dich-vu"));
    assert_false(bt_topics_has("cchc-2, dich-vu-cong", "cchc"));
    assert_false(bt_topics_has("cchc", "cchc-2"));
    assert_false(bt_topics_has("", "cchc"));
    assert_false(bt_topics_has(NULL, "cchc"));
    assert_false(bt_topics_has("cchc", ""));

    bt_target_airing a[] = {
        {"tin-dvc", "cchc, dich-vu-cong", at(2025, 10, 6, 6, 0), BT_ATTEMPT_COMPLETED},
        {"tin-vneid", "dinh-danh-dien-tu, cchc", at(2025, 10, 7, 6, 0), BT_ATTEMPT_COMPLETED},
        {"tin-bao", "thoi-tiet", at(2025, 10, 8, 6, 0), BT_ATTEMPT_COMPLETED},
    };
    bt_target_inputs in = {.airings = a, .airing_count = 3, .today = day(2026, 1, 5)};
    bt_target cchc = target("cchc", BT_TARGET_LOUDSPEAKER, "cchc", BT_PERIOD_QUARTER, 2,
                            BT_TARGET_COUNT_ITEMS);
    bt_target dvc = target("dvc", BT_TARGET_LOUDSPEAKER, "dich-vu-cong", BT_PERIOD_QUARTER, 1,
                           BT_TARGET_COUNT_ITEMS);
    bt_target cds = target("cds", BT_TARGET_LOUDSPEAKER, "chuyen-doi-so", BT_PERIOD_QUARTER, 1,
                           BT_TARGET_COUNT_ITEMS);
    bt_target_progress p;
    assert_int_equal(bt_target_progress_for(&cchc, day(2025, 10, 15), &in, &p), 1);
    assert_int_equal(p.done, 2);
    assert_int_equal(p.state, BT_TARGET_MET);
    assert_int_equal(bt_target_progress_for(&dvc, day(2025, 10, 15), &in, &p), 1);
    assert_int_equal(p.done, 1);
    assert_int_equal(bt_target_progress_for(&cds, day(2025, 10, 15), &in, &p), 1);
    assert_int_equal(p.done, 0);
    assert_int_equal(p.state, BT_TARGET_MISSED);

    /* The "carried by nothing" warning looks inside the lists too. */
    bt_targets t = {0};
    char *msgs = NULL;
    assert_int_equal(validate("targets = (\n"
                              "  { id = \"dvc\"; label = \"tin DVC\"; channel = \"loudspeaker\";\n"
                              "    topic = \"dich-vu-cong\"; period = \"quarter\"; minimum = 1; },\n"
                              "  { id = \"sc\"; label = \"thông báo\"; channel = \"screen\";\n"
                              "    topic = \"dinh-danh-dien-tu\"; period = \"month\"; minimum = 1;"
                              " counts = \"notices\"; } );\n",
                              &t, &msgs),
                     0);
    free(msgs);
    bt_broadcast_item items[1] = {
        {.id = "tin", .title = "Tin", .audio = "a.ogg", .topic = lend("cchc, dich-vu-cong")}};
    bt_broadcasts b = {.items = items, .item_count = 1, .sessions = NULL, .session_count = 0};
    const char *notice_topics[] = {"cchc, dinh-danh-dien-tu"};
    bt_diags d;
    bt_diags_init(&d);
    bt_targets_check_topics(&t, &b, notice_topics, 1, "playlist.cfg", &d);
    assert_int_equal(d.count, 0);
    bt_diags_free(&d);
    bt_targets_free(&t);
}

static void test_progress_at_risk(void **state)
{
    (void)state;
    bt_target_airing a[8];
    fill_q4(a);
    bt_target items = target("cchc", BT_TARGET_LOUDSPEAKER, "cchc", BT_PERIOD_QUARTER, 2,
                             BT_TARGET_COUNT_ITEMS);
    items.from_day = day(2025, 11, 1); /* done so far: tin-par only */
    bt_target airings = target("luot", BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_QUARTER, 5,
                               BT_TARGET_COUNT_AIRINGS);
    bt_target_airing upcoming[4] = {
        {"tin-par", "cchc", at(2025, 12, 22, 6, 0), BT_ATTEMPT_COMPLETED}, /* counted already */
        {"tin-new", "cchc", at(2026, 1, 2, 6, 0), BT_ATTEMPT_COMPLETED},   /* after Q4 */
        {"tin-new", "cchc", at(2025, 12, 19, 6, 0), BT_ATTEMPT_COMPLETED}, /* before today */
        {"tin-bao", "thoi-tiet", at(2025, 12, 23, 6, 0), BT_ATTEMPT_COMPLETED}, /* other topic */
    };
    bt_target_inputs in = {.airings = a, .airing_count = 8, .upcoming_airings = upcoming,
                           .upcoming_airing_count = 4, .loudspeaker_upcoming_known = true,
                           .today = day(2025, 12, 20)};
    bt_target_progress p;

    /* Nothing still scheduled in Q4 brings a new CCHC item: at risk, 12 days left. */
    assert_int_equal(bt_target_progress_for(&items, in.today, &in, &p), 1);
    assert_int_equal(p.done, 1);
    assert_int_equal(p.remaining, 1);
    assert_int_equal(p.still_possible, 0);
    assert_int_equal(p.days_left, 12);
    assert_int_equal(p.state, BT_TARGET_AT_RISK);

    /* All topics, counted as airings: tin-par on 22/12 and tin-bao on 23/12 make 6 ≥ 5. */
    assert_int_equal(bt_target_progress_for(&airings, in.today, &in, &p), 1);
    assert_int_equal(p.done, 4);
    assert_int_equal(p.still_possible, 2);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    airings.minimum = 7;
    assert_int_equal(bt_target_progress_for(&airings, in.today, &in, &p), 1);
    assert_int_equal(p.state, BT_TARGET_AT_RISK);

    /* A new CCHC item scheduled on 29/12 can still make it. */
    upcoming[1].at = at(2025, 12, 29, 6, 0);
    assert_int_equal(bt_target_progress_for(&items, in.today, &in, &p), 1);
    assert_int_equal(p.still_possible, 1);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    /* ... but one item can fill only one of two missing. */
    items.minimum = 3;
    assert_int_equal(bt_target_progress_for(&items, in.today, &in, &p), 1);
    assert_int_equal(p.state, BT_TARGET_AT_RISK);

    /* Without knowledge of the schedule nothing is called at risk. */
    in.loudspeaker_upcoming_known = false;
    assert_int_equal(bt_target_progress_for(&items, in.today, &in, &p), 1);
    assert_int_equal(p.still_possible, -1);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);

    /* Before the window opens the days left are still counted from today (15/10 to 31/12), as
     * a person reads "còn N ngày", not the window's own 61 days. */
    in.today = day(2025, 10, 15);
    assert_int_equal(bt_target_progress_for(&items, in.today, &in, &p), 1);
    assert_int_equal(p.days_left, 78);
}

static void test_progress_screen(void **state)
{
    (void)state;
    bt_target_exposure e[] = {
        {"pl/dvc", "cchc", day(2025, 10, 2), 100, 1500.0},
        {"pl/dvc", "cchc", day(2025, 10, 3), 100, 1500.0},
        {"pl/vneid", "cchc", day(2025, 11, 2), 0, 0.0},
        {"pl/bao", NULL, day(2025, 11, 2), 10, 150.0},
        {"pl/thue", "cchc", day(2025, 11, 20), 3, 59.0},
    };
    bt_target_inputs in = {.exposure = e, .exposure_count = 5, .today = day(2026, 1, 5)};
    bt_target notices = target("mh", BT_TARGET_SCREEN, "cchc", BT_PERIOD_QUARTER, 3,
                               BT_TARGET_COUNT_NOTICES);
    bt_target minutes = target("phut", BT_TARGET_SCREEN, NULL, BT_PERIOD_MONTH, 50,
                               BT_TARGET_COUNT_MINUTES);
    bt_target_progress p;
    /* pl/dvc and pl/thue were shown; pl/vneid never was. */
    assert_int_equal(bt_target_progress_for(&notices, day(2025, 12, 1), &in, &p), 1);
    assert_int_equal(p.done, 2);
    assert_int_equal(p.state, BT_TARGET_MISSED);
    /* October: 3000 s = 50 minutes; November: 209 s = 3 whole minutes. */
    assert_int_equal(bt_target_progress_for(&minutes, day(2025, 10, 31), &in, &p), 1);
    assert_int_equal(p.done, 50);
    assert_int_equal(p.state, BT_TARGET_MET);
    assert_int_equal(bt_target_progress_for(&minutes, day(2025, 11, 1), &in, &p), 1);
    assert_int_equal(p.done, 3);
    assert_int_equal(p.remaining, 47);

    /* Expected exposure on the days still to come. */
    bt_target_exposure later[] = {
        {"pl/vneid", "cchc", day(2025, 11, 25), 0, 1800.0},
        {"pl/dvc", "cchc", day(2025, 11, 26), 0, 1200.0},
        {"pl/dvc", "cchc", day(2025, 11, 10), 0, 9999.0}, /* before today: ignored */
    };
    in.today = day(2025, 11, 21);
    in.upcoming_exposure = later;
    in.upcoming_exposure_count = 3;
    in.screen_upcoming_known = true;
    assert_int_equal(bt_target_progress_for(&minutes, in.today, &in, &p), 1);
    assert_int_equal(p.still_possible, 50); /* (209 + 3000) s = 53 min, minus 3 done */
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    assert_int_equal(bt_target_progress_for(&notices, in.today, &in, &p), 1);
    assert_int_equal(p.still_possible, 1); /* pl/vneid; pl/dvc is counted already */
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    notices.minimum = 4;
    assert_int_equal(bt_target_progress_for(&notices, in.today, &in, &p), 1);
    assert_int_equal(p.state, BT_TARGET_AT_RISK);
}

static void test_progress_range_and_today(void **state)
{
    (void)state;
    bt_target list[3] = {
        target("thang", BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_MONTH, 1, BT_TARGET_COUNT_ITEMS),
        target("quy", BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_QUARTER, 2, BT_TARGET_COUNT_ITEMS),
        target("nam", BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_YEAR, 8, BT_TARGET_COUNT_ITEMS),
    };
    list[0].from_day = day(2025, 8, 1); /* the City's page: Aug–Dec 2025 */
    list[0].until_day = day(2025, 12, 31);
    bt_targets t = {list, 3};
    bt_target_inputs in = {.today = day(2025, 10, 20)};
    bt_target_progress p[32];
    /* The 9-month report: August and September, Q1–Q3, the year. */
    size_t n = bt_targets_progress_range(&t, day(2025, 1, 1), day(2025, 9, 30), &in, p, 32);
    assert_int_equal(n, 6);
    assert_string_equal(p[0].target->id, "thang");
    assert_int_equal(p[0].period.first, day(2025, 8, 1));
    assert_int_equal(p[1].period.first, day(2025, 9, 1));
    assert_int_equal(p[1].state, BT_TARGET_MISSED);
    assert_int_equal(p[2].period.first, day(2025, 1, 1));
    assert_int_equal(p[4].period.first, day(2025, 7, 1));
    assert_string_equal(p[5].target->id, "nam");
    assert_int_equal(p[5].state, BT_TARGET_ON_TRACK);
    assert_int_equal(p[5].days_left, 73);
    /* cap smaller than the count: the count is still the whole. */
    assert_int_equal(bt_targets_progress_range(&t, day(2025, 1, 1), day(2025, 9, 30), &in, p, 2),
                     6);
    /* Today: October, Q4, 2025. */
    n = bt_targets_progress_today(&t, &in, p, 32);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].period.first, day(2025, 10, 1));
    assert_int_equal(p[0].days_left, 12);
    assert_int_equal(p[1].days_left, 73);
    in.today = day(2026, 1, 2); /* the monthly target has expired */
    assert_int_equal(bt_targets_progress_today(&t, &in, p, 32), 2);
}

static void test_upcoming_from_slots(void **state)
{
    (void)state;
    bt_broadcast_item items[2] = {{.id = "tin-a", .topic = "cchc"}, {.id = "tin-b"}};
    bt_broadcast_session sessions[1] = {{.id = "sang", .items = {0, 1, 0}, .item_count = 3}};
    bt_broadcasts b = {.items = items, .item_count = 2, .sessions = sessions, .session_count = 1};
    bt_slot slots[2] = {{0, at(2025, 12, 22, 6, 0)}, {5, at(2025, 12, 23, 6, 0)}};
    bt_target_airing out[8];
    assert_int_equal(bt_targets_upcoming_from_slots(&b, slots, 2, out, 8), 3);
    assert_string_equal(out[0].item, "tin-a");
    assert_string_equal(out[0].topic, "cchc");
    assert_null(out[1].topic);
    assert_string_equal(out[2].item, "tin-a");
    assert_int_equal(out[2].at, at(2025, 12, 22, 6, 0));
    assert_int_equal(out[2].status, BT_ATTEMPT_COMPLETED);
    assert_int_equal(bt_targets_upcoming_from_slots(&b, slots, 2, out, 1), 3);
}

/* ---- history ------------------------------------------------------------------------------ */

static void test_resolve_history(void **state)
{
    (void)state;
    bt_target v1 = target("cchc", BT_TARGET_LOUDSPEAKER, "cchc", BT_PERIOD_QUARTER, 2,
                          BT_TARGET_COUNT_ITEMS);
    bt_target v2 = v1;
    v2.label = lend("tin, bài CCHC");
    bt_target v3 = v1;
    v3.minimum = 3;
    bt_target screen = target("mh", BT_TARGET_SCREEN, NULL, BT_PERIOD_MONTH, 1,
                              BT_TARGET_COUNT_NOTICES);
    screen.until_day = day(2025, 10, 31);
    bt_target_version v[] = {
        /* given out of order on purpose */
        {v3, day(2025, 12, 1), BT_DAY_NONE_UNTIL},
        {v1, day(2025, 10, 1), day(2025, 11, 14)},
        {v2, day(2025, 11, 15), day(2025, 11, 30)},
        {screen, day(2025, 10, 1), day(2025, 11, 14)},
        {screen, day(2025, 11, 15), day(2025, 11, 30)}, /* expired before it came back */
    };
    bt_targets out;
    assert_int_equal(bt_targets_resolve_history(v, 5, &out), 0);
    assert_int_equal(out.count, 3);
    /* v1 and v2 are one rule (a new label only): one stretch, the later label. */
    assert_string_equal(out.items[0].id, "cchc");
    assert_int_equal(out.items[0].from_day, day(2025, 10, 1));
    assert_int_equal(out.items[0].until_day, day(2025, 11, 30));
    assert_string_equal(out.items[0].label, "tin, bài CCHC");
    assert_int_equal(out.items[0].minimum, 2);
    /* v3 changed the minimum: a target of its own from 01/12. */
    assert_int_equal(out.items[1].from_day, day(2025, 12, 1));
    assert_int_equal(out.items[1].until_day, BT_DAY_NONE_UNTIL);
    assert_int_equal(out.items[1].minimum, 3);
    assert_string_equal(out.items[2].id, "mh");
    assert_int_equal(out.items[2].until_day, day(2025, 10, 31));
    assert_ptr_not_equal(out.items[0].id, v1.id); /* deep copies */

    /* The straddling quarter: each part counts only its own airings. */
    bt_target_airing a[] = {
        {"tin-1", "cchc", at(2025, 10, 6, 6, 0), BT_ATTEMPT_COMPLETED},
        {"tin-2", "cchc", at(2025, 11, 20, 6, 0), BT_ATTEMPT_COMPLETED},
        {"tin-3", "cchc", at(2025, 12, 5, 6, 0), BT_ATTEMPT_COMPLETED},
        {"tin-4", "cchc", at(2025, 12, 6, 6, 0), BT_ATTEMPT_COMPLETED},
    };
    bt_target_inputs in = {.airings = a, .airing_count = 4, .today = day(2026, 1, 5)};
    bt_target_progress p[8];
    size_t n = bt_targets_progress_range(&out, day(2025, 10, 1), day(2025, 12, 31), &in, p, 8);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].done, 2);
    assert_int_equal(p[0].state, BT_TARGET_MET);
    assert_int_equal(p[1].first, day(2025, 12, 1));
    assert_int_equal(p[1].done, 2);
    assert_int_equal(p[1].state, BT_TARGET_MISSED);
    bt_targets_free(&out);
}

/* ---- words -------------------------------------------------------------------------------- */

static void test_public_text_and_labels(void **state)
{
    (void)state;
    char buf[256];
    bt_target t = target("cchc", BT_TARGET_LOUDSPEAKER, "cchc", BT_PERIOD_QUARTER, 2,
                         BT_TARGET_COUNT_ITEMS);
    bt_target_progress p = {.target = &t,
                            .period = bt_time_period_of(BT_PERIOD_QUARTER, day(2025, 11, 1)),
                            .done = 3,
                            .required = 2};
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Quý IV/2025: đã phát 3 tin bài CCHC trên loa phường (chỉ tiêu: 2)");
    t.counts = BT_TARGET_COUNT_AIRINGS;
    p.period = bt_time_period_of(BT_PERIOD_MONTH, day(2025, 11, 1));
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 11/2025: đã phát 3 lượt tin bài CCHC trên loa phường (chỉ tiêu: 2)");
    bt_target m = target("mh", BT_TARGET_SCREEN, "cchc", BT_PERIOD_YEAR, 300,
                         BT_TARGET_COUNT_MINUTES);
    m.label = lend("thông báo CCHC");
    bt_target_progress q = {.target = &m,
                            .period = bt_time_period_of(BT_PERIOD_YEAR, day(2025, 11, 1)),
                            .done = 320,
                            .required = 300};
    assert_string_equal(bt_target_public_text(&q, buf, sizeof buf),
                        "Năm 2025: đã hiển thị 320 phút thông báo CCHC "
                        "trên màn hình sảnh (chỉ tiêu: 300)");
    /* A label that carries its unit already gets it once ("0/600 phút phút" was the demo's). */
    m.label = lend("phút giới thiệu dịch vụ công");
    assert_string_equal(bt_target_public_text(&q, buf, sizeof buf),
                        "Năm 2025: đã hiển thị 320 phút giới thiệu dịch vụ công trên màn hình "
                        "sảnh (chỉ tiêu: 300)");
    t.label = lend("Lượt tin CCHC");
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 11/2025: đã phát 3 Lượt tin CCHC trên loa phường (chỉ tiêu: 2)");
    t.label = lend("lượt phát tin CCHC");
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 11/2025: đã phát 3 lượt phát tin CCHC "
                        "trên loa phường (chỉ tiêu: 2)");
    /* Only the unit as a whole word: "lượt" inside another word is not it. */
    t.label = lend("lượtx");
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 11/2025: đã phát 3 lượt lượtx trên loa phường (chỉ tiêu: 2)");
    bt_period nine = bt_time_period_of(BT_PERIOD_NINE_MONTHS, day(2025, 11, 1));
    assert_string_equal(bt_period_label_vi(&nine, buf, sizeof buf), "9 tháng năm 2025");
    bt_period range = {BT_PERIOD_DAY, day(2025, 10, 1), day(2025, 12, 31)};
    assert_string_equal(bt_period_label_vi(&range, buf, sizeof buf),
                        "Từ 01/10/2025 đến 31/12/2025");
    assert_string_equal(bt_vi_target_state(BT_TARGET_AT_RISK), "có nguy cơ không đạt");
    assert_string_equal(bt_target_state_name(BT_TARGET_ON_TRACK), "on-track");
    bt_target_counts c;
    bt_period_kind k;
    bt_target_channel ch;
    assert_int_equal(bt_target_counts_parse("minutes", &c), 0);
    assert_int_equal(c, BT_TARGET_COUNT_MINUTES);
    assert_int_equal(bt_target_period_parse("year", &k), 0);
    assert_int_equal(k, BT_PERIOD_YEAR);
    assert_int_equal(bt_target_channel_parse("screen", &ch), 0);
    assert_int_equal(bt_target_channel_parse("radio", &ch), -1);
    assert_string_equal(bt_target_period_name(BT_PERIOD_NINE_MONTHS), "?");
}

/* A channel staff record: its own records in the window count, one each; nothing says what is
 * still to come, so a running period not met is "đang thực hiện", never "at risk". */
/* A CSV row or a panel entry counts its tin/bài; the correction that undoes one takes them off
 * again in the same period. */
static void test_progress_record_counts(void **state)
{
    (void)state;
    bt_target t = target("trang-phuong", BT_TARGET_WARD_SITE, "cchc", BT_PERIOD_QUARTER, 6,
                         BT_TARGET_COUNT_ITEMS);
    const bt_target_record records[] = {
        {BT_TARGET_WARD_SITE, "cchc", day(2025, 7, 3), 4},
        {BT_TARGET_WARD_SITE, "cchc", day(2025, 8, 9), 3},
        {BT_TARGET_WARD_SITE, "cchc", day(2025, 8, 9), -3},        /* that entry undone */
        {BT_TARGET_WARD_SITE, "cchc", day(2025, 9, 20), 2},
    };
    bt_target_inputs in = {.records = records, .record_count = 4, .today = day(2025, 9, 25),
                           .loudspeaker_upcoming_known = true, .screen_upcoming_known = true};
    bt_target_progress p;
    assert_int_equal(bt_target_progress_for(&t, day(2025, 7, 1), &in, &p), 1);
    assert_int_equal(p.done, 6);
    assert_int_equal(p.state, BT_TARGET_MET);
    in.record_count = 3; /* without the last entry: 4 of 6, the quarter still running */
    assert_int_equal(bt_target_progress_for(&t, day(2025, 7, 1), &in, &p), 1);
    assert_int_equal(p.done, 4);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
}

/* A correction read before the record it undoes (the store's rows in any order) takes that
 * record off, no more: the running total may go below zero on the way. */
static void test_progress_record_correction_first(void **state)
{
    (void)state;
    bt_target t = target("zalo", BT_TARGET_ZALO, "cchc", BT_PERIOD_QUARTER, 3,
                         BT_TARGET_COUNT_ITEMS);
    const bt_target_record records[] = {
        {BT_TARGET_ZALO, "cchc", day(2025, 8, 9), -2},          /* undoes the next row */
        {BT_TARGET_ZALO, "cchc", day(2025, 8, 9), 2},
        {BT_TARGET_ZALO, "cchc", day(2025, 8, 20), 1},
    };
    bt_target_inputs in = {.records = records, .record_count = 3, .today = day(2025, 9, 25),
                           .loudspeaker_upcoming_known = true, .screen_upcoming_known = true};
    bt_target_progress p;
    assert_int_equal(bt_target_progress_for(&t, day(2025, 7, 1), &in, &p), 1);
    assert_int_equal(p.done, 1);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    /* The window holding only a correction says none, not a negative count. */
    in.record_count = 1;
    assert_int_equal(bt_target_progress_for(&t, day(2025, 7, 1), &in, &p), 1);
    assert_int_equal(p.done, 0);
}

static void test_progress_records(void **state)
{
    (void)state;
    bt_target t = target("trang-tp", BT_TARGET_CITY_PAGE, "cchc", BT_PERIOD_MONTH, 2,
                         BT_TARGET_COUNT_ITEMS);
    const bt_target_record records[] = {
        {BT_TARGET_CITY_PAGE, "cchc", day(2025, 8, 12), 1},
        {BT_TARGET_CITY_PAGE, "dat-dai, cchc", day(2025, 8, 30), 1},
        {BT_TARGET_CITY_PAGE, "thue", day(2025, 8, 15), 1},        /* other topic */
        {BT_TARGET_WARD_SITE, "cchc", day(2025, 8, 16), 1},        /* other channel */
        {BT_TARGET_CITY_PAGE, "cchc", day(2025, 9, 1), 1},         /* next month */
    };
    bt_target_inputs in = {.records = records, .record_count = 5, .today = day(2025, 8, 20),
                           .loudspeaker_upcoming_known = true, .screen_upcoming_known = true};
    bt_target_progress p;
    assert_int_equal(bt_target_progress_for(&t, day(2025, 8, 1), &in, &p), 1);
    assert_int_equal(p.done, 2);
    assert_int_equal(p.state, BT_TARGET_MET);
    assert_int_equal(bt_target_progress_for(&t, day(2025, 9, 1), &in, &p), 1);
    assert_int_equal(p.done, 1);
    assert_int_equal(p.still_possible, -1);
    in.today = day(2025, 9, 10);
    assert_int_equal(bt_target_progress_for(&t, day(2025, 9, 1), &in, &p), 1);
    assert_int_equal(p.state, BT_TARGET_ON_TRACK);
    in.today = day(2025, 10, 1);
    assert_int_equal(bt_target_progress_for(&t, day(2025, 9, 1), &in, &p), 1);
    assert_int_equal(p.state, BT_TARGET_MISSED);
    char buf[256];
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 9/2025: đã đăng 1 tin bài CCHC trên Trang thông tin CCHC của "
                        "Thành phố (chỉ tiêu: 2)");
    t.channel = BT_TARGET_CONFERENCE;
    t.label = lend("hội nghị");
    assert_string_equal(bt_target_public_text(&p, buf, sizeof buf),
                        "Tháng 9/2025: đã tổ chức 1 hội nghị lồng ghép tuyên truyền CCHC (chỉ "
                        "tiêu: 2)");
    assert_true(bt_target_channel_recorded(BT_TARGET_ZALO));
    assert_false(bt_target_channel_recorded(BT_TARGET_SCREEN));
    assert_string_equal(bt_target_channel_source_vi(BT_TARGET_LOUDSPEAKER),
                        "tự động (nhật ký của máy)");
    assert_string_equal(bt_target_channel_source_vi(BT_TARGET_WARD_SITE), "do cán bộ ghi nhận");
    bt_target_channel c;
    assert_int_equal(bt_target_channel_parse("ward-site", &c), 0);
    assert_int_equal(c, BT_TARGET_WARD_SITE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_check_topics),
        cmocka_unit_test(test_several_topics),
        cmocka_unit_test(test_progress_loudspeaker),
        cmocka_unit_test(test_progress_at_risk),
        cmocka_unit_test(test_progress_screen),
        cmocka_unit_test(test_progress_range_and_today),
        cmocka_unit_test(test_upcoming_from_slots),
        cmocka_unit_test(test_resolve_history),
        cmocka_unit_test(test_public_text_and_labels),
        cmocka_unit_test(test_progress_records),
        cmocka_unit_test(test_progress_record_counts),
        cmocka_unit_test(test_progress_record_correction_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
