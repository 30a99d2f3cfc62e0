/* The `broadcasts` group: parsing good and bad input (exact Vietnamese messages with lines), the
 * ward's limits (windows, sessions per day, minutes per session; emergency outside windows), the
 * windows parser, and the small model queries.
 *
 * Unit tests link bt_core only, so the tree is built by a tiny reader of the libconfig subset
 * playlists use (named settings, groups, lists, arrays, strings, ints, booleans, comments). It
 * gives a setting the line of its name and an element the line of its value, as libconfig does. */
#include "bt_test_support.h"
#include "bt_test_tree.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_speech_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* Validates the `broadcasts` group of text; returns the rc and all diagnostics, one per line. */
static int validate(const char *text, bt_broadcasts *out, char **messages)
{
    bt_node *root = bt_test_parse_cfg(text);
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_broadcasts_from_tree(bt_node_child(root, "broadcasts"), "playlist.cfg", out,
                                     &diags);
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
    bt_broadcasts b;
    char *got = NULL;
    int rc = validate(text, &b, &got);
    if (strcmp(got, expected) != 0) {
        /* Printed whole: cmocka cuts a long failure message. */
        printf("diagnostics differ\n--- expected\n%s--- got\n%s", expected, got);
        fail();
    }
    assert_int_equal(rc, -1);
    assert_int_equal(b.item_count, 0);
    assert_int_equal(b.session_count, 0);
    assert_null(b.items);
    free(got);
}

#define ITEM_A "{ id = \"tin-a\"; title = \"Tin A\"; audio = \"audio/a.ogg\"; }"
#define ITEM_B "{ id = \"tin-b\"; title = \"Tin B\"; audio = \"audio/b.mp3\"; }"

/* ---- good input --------------------------------------------------------------------------- */

static const char good_cfg[] =
    "id = \"x\";\n"
    "broadcasts = {\n"
    "  items = (\n"
    "    { id = \"tin-dvc-truc-tuyen\";\n"
    "      title = \"Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở\";\n"
    "      audio = \"audio/tin-dvc-truc-tuyen.ogg\"; topic = \"cchc\"; priority = \"normal\"; },\n"
    "    { id = \"tin-vneid\"; title = \"  Định danh điện tử VNeID  \";"
    " audio = \"audio/Tin-VNeID.WAV\";\n"
    "      priority = \"priority\"; },\n"
    "    { id = \"canh-bao\"; title = \"Cảnh báo bão\"; audio = \"audio/bao.mp3\"; priority = "
    "\"emergency\"; }\n"
    "  );\n"
    "  sessions = (\n"
    "    { id = \"ban-tin-sang\"; name = \"Bản tin sáng\";\n"
    "      times = \"17:00, 06:00\";\n"
    "      weekdays = \"T2-T6\";\n"
    "      from = \"2025-10-01\"; until = \"31/12/2025\";\n"
    "      at = [ \"2025-10-10 06:15\", \"11/10/2025 16:45\" ];\n"
    "      items = [ \"tin-dvc-truc-tuyen\", \"tin-vneid\", \"tin-dvc-truc-tuyen\" ];\n"
    "      makeup = \"week\"; },\n"
    "    { id = \"khan-cap\"; name = \"Khẩn cấp\"; at = \"2025-11-22 21:00\"; items = ( "
    "\"canh-bao\" ); }\n"
    "  );\n"
    "};\n";

static const char good_dump[] =
    "broadcasts.items = 3\n"
    "broadcasts.items[0].id = \"tin-dvc-truc-tuyen\"\n"
    "broadcasts.items[0].title = \"Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở\"\n"
    "broadcasts.items[0].audio = \"audio/tin-dvc-truc-tuyen.ogg\"\n"
    "broadcasts.items[0].topic = \"cchc\"\n"
    "broadcasts.items[0].priority = normal\n"
    "broadcasts.items[1].id = \"tin-vneid\"\n"
    "broadcasts.items[1].title = \"Định danh điện tử VNeID\"\n"
    "broadcasts.items[1].audio = \"audio/Tin-VNeID.WAV\"\n"
    "broadcasts.items[1].topic = -\n"
    "broadcasts.items[1].priority = priority\n"
    "broadcasts.items[2].id = \"canh-bao\"\n"
    "broadcasts.items[2].title = \"Cảnh báo bão\"\n"
    "broadcasts.items[2].audio = \"audio/bao.mp3\"\n"
    "broadcasts.items[2].topic = -\n"
    "broadcasts.items[2].priority = emergency\n"
    "broadcasts.sessions = 2\n"
    "broadcasts.sessions[0].id = \"ban-tin-sang\"\n"
    "broadcasts.sessions[0].name = \"Bản tin sáng\"\n"
    "broadcasts.sessions[0].times = 17:00,06:00\n"
    "broadcasts.sessions[0].weekdays = T2,T3,T4,T5,T6\n"
    "broadcasts.sessions[0].from = 2025-10-01\n"
    "broadcasts.sessions[0].until = 2025-12-31\n"
    "broadcasts.sessions[0].at = 2025-10-10 06:15:00,2025-10-11 16:45:00\n"
    "broadcasts.sessions[0].items = tin-dvc-truc-tuyen,tin-vneid,tin-dvc-truc-tuyen\n"
    "broadcasts.sessions[0].makeup = week\n"
    "broadcasts.sessions[1].id = \"khan-cap\"\n"
    "broadcasts.sessions[1].name = \"Khẩn cấp\"\n"
    "broadcasts.sessions[1].times = -\n"
    "broadcasts.sessions[1].weekdays = T2,T3,T4,T5,T6,T7,CN\n"
    "broadcasts.sessions[1].from = -\n"
    "broadcasts.sessions[1].until = -\n"
    "broadcasts.sessions[1].at = 2025-11-22 21:00:00\n"
    "broadcasts.sessions[1].items = canh-bao\n"
    "broadcasts.sessions[1].makeup = quarter\n";

static void test_good_full_model(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *messages = NULL;
    assert_int_equal(validate(good_cfg, &b, &messages), 0);
    assert_string_equal(messages, "");
    char *dump = bt_broadcasts_dump(&b);
    assert_non_null(dump);
    if (strcmp(dump, good_dump) != 0)
        fail_msg("dump differs:\n%s", dump);
    /* Minutes of the day and local wall times, as the scheduler needs them. */
    assert_int_equal(b.sessions[0].times[0], 17 * 60);
    assert_int_equal(b.sessions[0].times[1], 6 * 60);
    assert_int_equal(b.sessions[0].weekdays, 0x1F);
    assert_int_equal(b.sessions[0].at[0], bt_time_from_civil(2025, 10, 10, 6, 15, 0));
    assert_int_equal(b.sessions[0].items[2], 0);
    assert_int_equal(b.sessions[0].line, 12);
    assert_int_equal(b.items[1].line, 7);
    assert_int_equal(b.items[0].duration_seconds, 0); /* measured later by the shell */
    free(dump);
    free(messages);
    bt_broadcasts_free(&b);
    assert_int_equal(b.item_count, 0);
    assert_null(b.sessions);
}

static void test_no_group_is_empty_and_fine(void **state)
{
    (void)state;
    bt_broadcasts b;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_broadcasts_from_tree(NULL, "playlist.cfg", &b, &d), 0);
    assert_int_equal(b.session_count, 0);
    assert_int_equal(d.count, 0);
    bt_broadcasts_free(&b);
    bt_diags_free(&d);
}

static void test_warnings_do_not_fail(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *got = NULL;
    int rc = validate("broadcasts = {\n"
                      "  items = ( " ITEM_A ",\n"
                      "    " ITEM_B " );\n"
                      "  sessions = ( { id = \"s\"; name = \"S\";\n"
                      "    weekdays = \"T2\";\n"
                      "    at = [ \"2025-10-10 06:15\" ]; items = [ \"tin-a\" ]; },\n"
                      "    { id = \"t\"; name = \"T\"; times = \"06:00\"; from = \"2025-11-01\";\n"
                      "      at = [ \"2025-10-10 06:15\" ]; items = [ \"tin-a\" ]; } );\n"
                      "};\n",
                      &b, &got);
    assert_int_equal(rc, 0);
    assert_string_equal(
        got,
        "playlist.cfg:5: cảnh báo: khoá \"weekdays\" chỉ áp dụng cho giờ phát hằng ngày (times); "
        "buổi phát \"s\" không có times nên khoá này không có tác dụng — xoá dòng này\n"
        "playlist.cfg:8: cảnh báo: thời điểm phát một lần 06:15 10/10/2025 nằm ngoài khoảng ngày "
        "của buổi phát \"t\" (từ 01/11/2025) — thời điểm trong at vẫn được phát; hãy kiểm tra lại "
        "nếu đây là nhầm lẫn\n"
        "playlist.cfg:3: cảnh báo: tin \"tin-b\" không thuộc buổi phát nào nên sẽ không bao giờ "
        "được phát — thêm mã tin vào items của một buổi phát, hoặc xoá tin này\n");
    assert_int_equal(b.session_count, 2);
    free(got);
    bt_broadcasts_free(&b);
}

/* ---- bad input: exact messages ------------------------------------------------------------ */

static void test_bad_unknown_keys_everywhere(void **state)
{
    (void)state;
    expect_errors(
        "broadcasts = {\n"
        "  items = ( { id = \"tin-a\"; title = \"A\"; audio = \"a.ogg\"; Priority = \"normal\";\n"
        "              name = \"A\"; times = \"06:00\"; } );\n"
        "  sesions = ( );\n"
        "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\"; items = [ \"tin-a\" ];\n"
        "                 audio = \"x.ogg\"; title = \"S\"; makup = \"day\"; colour = 1; } );\n"
        "};\n",
        "playlist.cfg:4: lỗi: khoá \"sesions\" không hợp lệ — có phải ý bạn là \"sessions\"?\n"
        "playlist.cfg:2: lỗi: khoá \"Priority\" không hợp lệ — có phải ý bạn là \"priority\"? (tên "
        "khoá viết bằng chữ thường)\n"
        "playlist.cfg:3: lỗi: khoá \"name\" không dùng cho một tin — tiêu đề của tin viết là title "
        "= \"...\";\n"
        "playlist.cfg:3: lỗi: khoá \"times\" không dùng cho một tin — khoá này thuộc về buổi phát, "
        "hãy đặt nó trong sessions = ( ... )\n"
        "playlist.cfg:6: lỗi: khoá \"audio\" không dùng cho một buổi phát — khoá này thuộc về từng "
        "tin trong items = ( ... ) của nhóm broadcasts; buổi phát chỉ ghi mã tin trong items = [ "
        "... ]\n"
        "playlist.cfg:6: lỗi: khoá \"title\" không dùng cho một buổi phát — tên buổi phát viết là "
        "name = \"...\";\n"
        "playlist.cfg:6: lỗi: khoá \"makup\" không hợp lệ — có phải ý bạn là \"makeup\"?\n"
        "playlist.cfg:6: lỗi: khoá \"colour\" không hợp lệ — một buổi phát (trong sessions = ( ... "
        ")) chỉ dùng các khoá: id, name, times, weekdays, from, until, at, items, makeup\n");
}

static void test_bad_items(void **state)
{
    (void)state;
    expect_errors(
        "broadcasts = {\n"
        "  items = (\n"
        "    { id = \"tin-a\"; title = \"A\"; priority = \"urgent\"; },\n"
        "    { id = \"Tin B\"; title = \"\"; audio = \"audio\\\\b.ogg\"; priority = 2; },\n"
        "    { id = \"tin-c\"; title = \"C\"; audio = \"../c.ogg\"; },\n"
        "    { id = \"tin-d\"; title = \"D\"; audio = \"audio/d.wma\"; topic = \"CCHC\"; },\n"
        "    { id = \"tin-a\"; title = \"A2\"; audio = \"a.ogg\"; priority = \"emergncy\"; },\n"
        "    \"tin-f\"\n"
        "  );\n"
        "  sessions = ( );\n"
        "};\n",
        "playlist.cfg:3: lỗi: mức ưu tiên \"urgent\" không hợp lệ — chỉ dùng \"normal\" (thường), "
        "\"priority\" (ưu tiên) hoặc \"emergency\" (khẩn cấp)\n"
        "playlist.cfg:3: lỗi: tin \"tin-a\" chưa có nội dung — ghi tệp ghi âm: audio = "
        "\"audio/tin-dvc-truc-tuyen.ogg\"; hoặc văn bản để máy đọc: text = \"UBND phường thông "
        "báo: …\";\n"
        "playlist.cfg:4: lỗi: mã tin \"Tin B\" có ký tự không được phép — chỉ dùng chữ thường "
        "không dấu a-z, chữ số 0-9, dấu gạch ngang \"-\" và gạch dưới \"_\", ví dụ \"tin-b\"\n"
        "playlist.cfg:4: lỗi: khoá \"title\" (tiêu đề tin) đang để trống — hãy điền nội dung\n"
        "playlist.cfg:4: lỗi: đường dẫn âm thanh \"audio\\b.ogg\" dùng dấu \"\\\" — hãy dùng dấu "
        "\"/\": \"audio/b.ogg\"\n"
        "playlist.cfg:4: lỗi: khoá \"priority\" phải là chuỗi, nhưng đang là số nguyên — ví dụ: "
        "priority = \"normal\";\n"
        "playlist.cfg:5: lỗi: đường dẫn âm thanh \"../c.ogg\" không được phép — chỉ dùng đường "
        "dẫn tương đối nằm trong thư mục playlist, ví dụ \"audio/tin-dvc-truc-tuyen.ogg\" (không "
        "bắt đầu bằng \"/\", không dùng \"..\")\n"
        "playlist.cfg:6: lỗi: tệp âm thanh \"audio/d.wma\" không được hỗ trợ — chỉ dùng tệp .wav, "
        ".ogg hoặc .mp3 (hãy chuyển đổi tệp sang một trong các dạng này)\n"
        "playlist.cfg:6: lỗi: chủ đề \"CCHC\" có ký tự không được phép — chỉ dùng chữ thường không "
        "dấu a-z, chữ số 0-9, dấu gạch ngang \"-\" và gạch dưới \"_\", ví dụ \"cchc\"\n"
        "playlist.cfg:7: lỗi: mức ưu tiên \"emergncy\" không hợp lệ — có phải ý bạn là "
        "\"emergency\"? chỉ dùng \"normal\" (thường), \"priority\" (ưu tiên) hoặc \"emergency\" "
        "(khẩn cấp)\n"
        "playlist.cfg:8: lỗi: phần tử thứ 6 trong items phải là một nhóm { ... } mô tả một tin, "
        "nhưng đang là chuỗi — ví dụ: { id = \"tin-dvc\"; title = \"...\"; audio = "
        "\"audio/tin-dvc.ogg\"; }\n"
        "playlist.cfg:7: lỗi: mã tin \"tin-a\" bị trùng với tin ở dòng 3 — mỗi tin cần một mã "
        "riêng\n"
        "playlist.cfg:10: cảnh báo: nhóm broadcasts chưa có buổi phát nào — các tin sẽ không được "
        "phát; hãy thêm buổi phát vào sessions = ( ... )\n");
}

/* ---- several topics per item (issue 11) ------------------------------------------------------ */

static void test_item_topics(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *messages = NULL;
    /* One id, an array of ids, and a repeated one (warned, kept once). */
    assert_int_equal(validate("broadcasts = {\n"
                              "  items = (\n"
                              "    { id = \"tin-a\"; title = \"A\"; audio = \"a.ogg\"; topic = \"cchc\"; },\n"
                              "    { id = \"tin-b\"; title = \"B\"; audio = \"b.ogg\";\n"
                              "      topic = [ \"cchc\", \"dich-vu-cong\", \"dinh-danh-dien-tu\" ]; },\n"
                              "    { id = \"tin-c\"; title = \"C\"; audio = \"c.ogg\";\n"
                              "      topic = [ \"chuyen-doi-so\",\n"
                              "                \"chuyen-doi-so\" ]; }\n"
                              "  );\n"
                              "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\";"
                              " items = [ \"tin-a\", \"tin-b\", \"tin-c\" ]; } );\n"
                              "};\n",
                              &b, &messages),
                     0);
    assert_string_equal(messages, "playlist.cfg:8: cảnh báo: chủ đề \"chuyen-doi-so\" được ghi hai "
                                  "lần — chỉ cần ghi một lần\n");
    assert_string_equal(b.items[0].topic, "cchc");
    assert_string_equal(b.items[1].topic, "cchc, dich-vu-cong, dinh-danh-dien-tu");
    assert_string_equal(b.items[2].topic, "chuyen-doi-so");
    free(messages);
    bt_broadcasts_free(&b);

    expect_errors(
        "broadcasts = {\n"
        "  items = (\n"
        "    { id = \"tin-a\"; title = \"A\"; audio = \"a.ogg\"; topic = [ ]; },\n"
        "    { id = \"tin-b\"; title = \"B\"; audio = \"b.ogg\"; topic = [ \"cchc\", \"Dịch vụ công\" ]; },\n"
        "    { id = \"tin-c\"; title = \"C\"; audio = \"c.ogg\"; topic = ( \"cchc\", 5 ); },\n"
        "    { id = \"tin-d\"; title = \"D\"; audio = \"d.ogg\";\n"
        "      topic = [ \"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\" ]; },\n"
        "    { id = \"tin-e\"; title = \"E\"; audio = \"e.ogg\"; topic = [ \"\" ]; },\n"
        "    { id = \"tin-f\"; title = \"F\"; audio = \"f.ogg\"; topic = 3; }\n"
        "  );\n"
        "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\"; items = [ \"tin-a\" ]; } );\n"
        "};\n",
        "playlist.cfg:3: lỗi: danh sách chủ đề (khoá \"topic\") đang trống — ghi ít nhất một chủ "
        "đề, ví dụ topic = [\"cchc\", \"dich-vu-cong\"]; hoặc bỏ khoá này\n"
        "playlist.cfg:4: lỗi: chủ đề thứ 2 \"Dịch vụ công\" có ký tự không được phép — chỉ dùng "
        "chữ thường không dấu a-z, chữ số 0-9, dấu gạch ngang \"-\" và gạch dưới \"_\", ví dụ "
        "\"dich-vu-cong\"\n"
        "playlist.cfg:5: lỗi: chủ đề thứ 2 đang là số nguyên — mỗi chủ đề là một mã trong dấu "
        "ngoặc kép, ví dụ topic = [\"cchc\", \"dich-vu-cong\"];\n"
        "playlist.cfg:7: lỗi: có 7 chủ đề, nhiều nhất 6 — hãy giữ những chủ đề chính mà chỉ tiêu "
        "cần đếm\n"
        "playlist.cfg:8: lỗi: chủ đề thứ 1 đang để trống — hãy đặt một mã gồm chữ thường không "
        "dấu a-z, chữ số 0-9, \"-\" hoặc \"_\", ví dụ \"cchc\"\n"
        "playlist.cfg:9: lỗi: khoá \"topic\" phải là chuỗi, nhưng đang là số nguyên — ví dụ: "
        "topic = [\"cchc\", \"dich-vu-cong\"];\n");
}

/* ---- text bulletins (issue 11) --------------------------------------------------------------- */

static void test_text_bulletin_items(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *messages = NULL;
    assert_int_equal(validate("broadcasts = {\n"
                              "  items = (\n"
                              "    { id = \"tin-doc\"; title = \"Tin đọc\";\n"
                              "      text = \"  UBND phường thông báo: nộp hồ sơ trực tuyến.  \"; "
                              "topic = \"cchc\"; },\n"
                              "    " ITEM_A "\n"
                              "  );\n"
                              "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\";"
                              " items = [ \"tin-doc\", \"tin-a\" ]; } );\n"
                              "};\n",
                              &b, &messages),
                     0);
    assert_string_equal(messages, "");
    free(messages);
    const bt_broadcast_item *t = &b.items[0], *a = &b.items[1];
    /* Trimmed as every text; the hash is of what the playlist holds after that. */
    assert_string_equal(t->text, "UBND phường thông báo: nộp hồ sơ trực tuyến.");
    char hex[BT_SHA256_HEX_SIZE];
    bt_sha256_hex(t->text, strlen(t->text), hex);
    assert_string_equal(t->text_sha256, hex);
    assert_null(t->audio);
    assert_null(t->speech_path);
    assert_null(a->text);
    assert_string_equal(a->text_sha256, "");

    char *dump = bt_broadcasts_dump(&b);
    assert_non_null(strstr(dump, "broadcasts.items[0].text = \"UBND phường thông báo: nộp hồ sơ "
                                 "trực tuyến.\"\n"));
    assert_null(strstr(dump, "broadcasts.items[0].audio"));
    assert_non_null(strstr(dump, "broadcasts.items[1].audio = \"audio/a.ogg\"\n"));
    free(dump);

    /* The file each airs: the recorded one in the playlist's folder; the text bulletin only once
     * the shell has rendered it. */
    char path[64];
    assert_int_equal(bt_broadcast_item_file("/pl", a, path, sizeof path), 0);
    assert_string_equal(path, "/pl/audio/a.ogg");
    assert_int_equal(bt_broadcast_item_file("/pl", t, path, sizeof path), -1);
    assert_string_equal(path, "");
    assert_int_equal(bt_broadcast_item_set_speech(&b.items[0], "/data/content/speech/k.wav"), 0);
    assert_int_equal(bt_broadcast_item_file("/pl", t, path, sizeof path), 0);
    assert_string_equal(path, "/data/content/speech/k.wav");
    assert_int_equal(bt_broadcast_item_file("/pl", t, path, 8), -1); /* does not fit */
    assert_string_equal(bt_broadcast_item_source(t), "văn bản đọc");
    assert_string_equal(bt_broadcast_item_source(a), "audio/a.ogg");
    bt_broadcasts_free(&b);
}

/* head, then `n` letters "a", then tail: a config with a value too long by construction
 * (malloc'd). */
static char *with_long_value(const char *head, size_t n, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    char *cfg = malloc(h + n + t + 1);
    assert_non_null(cfg);
    memcpy(cfg, head, h);
    memset(cfg + h, 'a', n);
    memcpy(cfg + h + n, tail, t + 1);
    return cfg;
}

static void test_bad_text_bulletins(void **state)
{
    (void)state;
    char *long_text = with_long_value("broadcasts = {\n  items = (\n"
                                      "    { id = \"ca-hai\"; title = \"Cả hai\"; audio = \"a.ogg\";\n"
                                      "      text = \"Đọc.\"; },\n"
                                      "    { id = \"trong\"; title = \"Trống\"; text = \"   \"; },\n"
                                      "    { id = \"dai\"; title = \"Dài\"; text = \"",
                                      BT_SPEECH_MAX_TEXT_BYTES + 1,
                                      "\"; },\n    { id = \"so\"; title = \"Số\"; text = 5; }\n"
                                      "  );\n  sessions = ( );\n};\n");
    char expected[2048];
    snprintf(expected, sizeof expected,
             "playlist.cfg:4: lỗi: tin \"ca-hai\" có cả audio (dòng 3) và text — một tin chỉ "
             "dùng một trong hai: xoá text để phát tệp ghi âm, hoặc xoá audio để máy đọc văn "
             "bản\n"
             "playlist.cfg:5: lỗi: khoá \"text\" (văn bản để máy đọc) đang để trống — hãy viết "
             "nội dung bản tin để máy đọc, hoặc dùng audio = \"...\" cho tệp ghi âm\n"
             "playlist.cfg:6: lỗi: khoá \"text\" (văn bản để máy đọc) quá dài: %d ký tự (%d "
             "byte), tối đa %d byte — hãy chia thành nhiều tin ngắn hơn (mỗi tin một khoá "
             "text)\n"
             "playlist.cfg:7: lỗi: khoá \"text\" phải là chuỗi, nhưng đang là số nguyên — ví "
             "dụ: text = \"UBND phường thông báo: …\";\n"
             "playlist.cfg:9: cảnh báo: nhóm broadcasts chưa có buổi phát nào — các tin sẽ "
             "không được phát; hãy thêm buổi phát vào sessions = ( ... )\n",
             BT_SPEECH_MAX_TEXT_BYTES + 1, BT_SPEECH_MAX_TEXT_BYTES + 1, BT_SPEECH_MAX_TEXT_BYTES);
    expect_errors(long_text, expected);
    free(long_text);
}

/* Issue 14: a recorded item's transcript (the screen's captions while it airs). */
static void test_transcripts(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *messages = NULL;
    assert_int_equal(validate("broadcasts = {\n"
                              "  items = (\n"
                              "    { id = \"tin-ghi\"; title = \"Tin ghi\"; audio = \"a.ogg\";\n"
                              "      transcript = \" Kính thưa bà con.\\nXin cảm ơn. \"; },\n"
                              "    { id = \"tin-doc\"; title = \"Tin đọc\"; text = \"Thông báo.\"; },\n"
                              "    " ITEM_A "\n"
                              "  );\n"
                              "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\";"
                              " items = [ \"tin-ghi\", \"tin-doc\", \"tin-a\" ]; } );\n"
                              "};\n",
                              &b, &messages),
                     0);
    assert_string_equal(messages, "");
    free(messages);
    /* Trimmed, its line breaks kept (each ends a phrase). */
    assert_string_equal(b.items[0].transcript, "Kính thưa bà con.\nXin cảm ơn.");
    /* What the screen shows: the transcript, a text bulletin's text, or nothing. */
    assert_ptr_equal(bt_broadcast_item_caption_text(&b.items[0]), b.items[0].transcript);
    assert_string_equal(bt_broadcast_item_caption_text(&b.items[1]), "Thông báo.");
    assert_null(bt_broadcast_item_caption_text(&b.items[2]));
    char *dump = bt_broadcasts_dump(&b);
    assert_non_null(strstr(dump, "broadcasts.items[0].transcript = "));
    assert_null(strstr(dump, "broadcasts.items[2].transcript"));
    free(dump);
    bt_broadcasts_free(&b);

    /* Time stamps: seconds 00-59, each after the one before (lines counted in the transcript). */
    expect_errors("broadcasts = {\n  items = (\n"
                  "    { id = \"ghi\"; title = \"Ghi\"; audio = \"a.ogg\";\n"
                  "      transcript = \"[0:05] Một.\\n[0:75] Hai.\\n[0:30] Ba.\\n[0:20] Bốn.\\n"
                  "[0:20] Năm.\"; }\n"
                  "  );\n  sessions = ( );\n};\n",
                  "playlist.cfg:4: lỗi: khoá \"transcript\": dòng thứ 2 có mốc thời gian "
                  "\"[0:75]\" với số giây từ 60 trở lên — viết [phút:giây], giây từ 00 đến 59, ví "
                  "dụ [1:05]\n"
                  "playlist.cfg:4: lỗi: khoá \"transcript\": mốc thời gian ở dòng thứ 4 (0:20) "
                  "không sau mốc ở dòng thứ 3 (0:30) — các mốc phải tăng dần theo thứ tự lời trong "
                  "tệp ghi âm\n"
                  "playlist.cfg:4: lỗi: khoá \"transcript\": mốc thời gian ở dòng thứ 5 (0:20) "
                  "không sau mốc ở dòng thứ 4 (0:20) — các mốc phải tăng dần theo thứ tự lời trong "
                  "tệp ghi âm\n"
                  "playlist.cfg:6: cảnh báo: nhóm broadcasts chưa có buổi phát nào — các tin sẽ "
                  "không được phát; hãy thêm buổi phát vào sessions = ( ... )\n");

    /* On a text bulletin, empty, too long, not a string: each said at its line. */
    char *cfg = with_long_value(
        "broadcasts = {\n  items = (\n"
        "    { id = \"doc\"; title = \"Đọc\"; text = \"Đọc.\";\n"
        "      transcript = \"Đọc.\"; },\n"
        "    { id = \"trong\"; title = \"Trống\"; audio = \"a.ogg\"; transcript = \" \"; },\n"
        "    { id = \"dai\"; title = \"Dài\"; audio = \"a.ogg\"; transcript = \"",
        BT_MAX_TRANSCRIPT_BYTES + 1,
        "\"; },\n    { id = \"so\"; title = \"Số\"; audio = \"a.ogg\"; transcript = 5; }\n"
        "  );\n  sessions = ( );\n};\n");
    char expected[2048];
    snprintf(expected, sizeof expected,
             "playlist.cfg:4: lỗi: tin \"doc\" là văn bản để máy đọc: chữ hiện trên màn hình "
             "khi phát lấy từ chính text (dòng 3) — xoá transcript; transcript chỉ dùng cho tệp "
             "ghi âm (audio = \"...\")\n"
             "playlist.cfg:5: lỗi: khoá \"transcript\" (lời của tệp ghi âm) đang để trống — hãy "
             "chép lời của tệp ghi âm để hiện trên màn hình khi phát, hoặc xoá dòng này\n"
             "playlist.cfg:6: lỗi: khoá \"transcript\" (lời của tệp ghi âm) quá dài: %d ký tự "
             "(%d byte), tối đa %d byte — hãy chia tệp ghi âm thành nhiều tin ngắn hơn, mỗi tin "
             "một lời\n"
             "playlist.cfg:7: lỗi: khoá \"transcript\" phải là chuỗi, nhưng đang là số nguyên — "
             "ví dụ: transcript = \"Kính thưa bà con. …\";\n"
             "playlist.cfg:9: cảnh báo: nhóm broadcasts chưa có buổi phát nào — các tin sẽ "
             "không được phát; hãy thêm buổi phát vào sessions = ( ... )\n",
             BT_MAX_TRANSCRIPT_BYTES + 1, BT_MAX_TRANSCRIPT_BYTES + 1, BT_MAX_TRANSCRIPT_BYTES);
    expect_errors(cfg, expected);
    free(cfg);
}

static void test_bad_session_references_and_missing_times(void **state)
{
    (void)state;
    expect_errors("broadcasts = {\n"
                  "  items = ( " ITEM_A ", " ITEM_B " );\n"
                  "  sessions = (\n"
                  "    { id = \"sang\"; name = \"Sáng\"; times = \"06:00\";\n"
                  "      items = [ \"tin-aa\", \"tin-xyz\", 3 ]; },\n"
                  "    { id = \"chieu\"; name = \"Chiều\"; items = [ \"tin-b\" ]; },\n"
                  "    { id = \"toi\"; name = \"Tối\"; times = \"17:00\"; items = [ ]; },\n"
                  "    { id = \"dem\"; times = \"17:30\"; items = \"tin-a\"; },\n"
                  "    { id = \"sang\"; name = \"Sáng 2\"; times = \"06:30\"; items = [ "
                  "\"tin-a\" ]; "
                  "}\n"
                  "  );\n"
                  "};\n",
                  "playlist.cfg:5: lỗi: buổi phát \"sang\" dùng tin \"tin-aa\" nhưng không có tin "
                  "nào mang mã này — có phải ý bạn là \"tin-a\"?\n"
                  "playlist.cfg:5: lỗi: buổi phát \"sang\" dùng tin \"tin-xyz\" nhưng không có tin "
                  "nào mang mã này trong items = ( ... ) của nhóm broadcasts — hãy kiểm tra lại mã "
                  "tin\n"
                  "playlist.cfg:5: lỗi: phần tử thứ 3 trong items của buổi phát \"sang\" phải là "
                  "mã tin trong dấu \"...\", nhưng đang là số nguyên\n"
                  "playlist.cfg:6: lỗi: buổi phát \"chieu\" chưa có giờ phát — thêm times = "
                  "\"06:00\"; (phát theo giờ hằng ngày) hoặc at = [ \"2025-10-10 06:15\" ]; (phát "
                  "một lần)\n"
                  "playlist.cfg:7: lỗi: buổi phát \"toi\" chưa có tin nào — thêm mã tin vào items, "
                  "ví dụ: items = [ \"tin-dvc-truc-tuyen\" ];\n"
                  "playlist.cfg:8: lỗi: khoá \"items\" phải là mảng [ ], nhưng đang là chuỗi — ví "
                  "dụ: items = [ \"tin-dvc-truc-tuyen\", \"tin-vneid\" ];\n"
                  "playlist.cfg:8: lỗi: buổi phát \"dem\" thiếu khoá bắt buộc \"name\" (tên buổi "
                  "phát) — thêm dòng, ví dụ: name = \"Bản tin sáng\";\n"
                  "playlist.cfg:9: lỗi: mã buổi phát \"sang\" bị trùng với buổi phát ở dòng 4 — "
                  "mỗi buổi phát cần một mã riêng\n");
}

static void test_bad_times(void **state)
{
    (void)state;
    expect_errors("broadcasts = {\n"
                  "  items = ( " ITEM_A " );\n"
                  "  sessions = (\n"
                  "    { id = \"a\"; name = \"A\"; items = [ \"tin-a\" ];\n"
                  "      times = \"6h00,25:00,06:00,06:00,,24:00\"; },\n"
                  "    { id = \"b\"; name = \"B\"; items = [ \"tin-a\" ]; times = \"  \"; },\n"
                  "    { id = \"c\"; name = \"C\"; items = [ \"tin-a\" ];\n"
                  "      times = \"01:00,02:00,03:00,04:00,05:00,06:00,07:00,08:00,09:00\"; }\n"
                  "  );\n"
                  "};\n",
                  "playlist.cfg:5: lỗi: giờ phát \"6h00\" không đúng dạng — viết HH:MM, nhiều giờ "
                  "cách nhau bằng dấu phẩy, ví dụ \"06:00,17:00\"\n"
                  "playlist.cfg:5: lỗi: giờ phát \"25:00\" không có thật — giờ từ 00 đến 23, phút "
                  "từ 00 đến 59 (nửa đêm viết 00:00)\n"
                  "playlist.cfg:5: lỗi: giờ phát \"06:00\" bị lặp lại trong times — mỗi giờ chỉ "
                  "ghi một lần\n"
                  "playlist.cfg:5: lỗi: danh sách giờ phát \"6h00,25:00,06:00,06:00,,24:00\" có "
                  "dấu phẩy thừa — ví dụ đúng: \"06:00,17:00\"\n"
                  "playlist.cfg:5: lỗi: giờ phát \"24:00\" không có thật — giờ từ 00 đến 23, phút "
                  "từ 00 đến 59 (nửa đêm viết 00:00)\n"
                  "playlist.cfg:6: lỗi: khoá \"times\" để trống — viết giờ phát, ví dụ "
                  "\"06:00,17:00\", hoặc xoá dòng này nếu buổi phát chỉ phát vào các thời điểm "
                  "trong at\n"
                  "playlist.cfg:8: lỗi: quá nhiều giờ phát trong một buổi (9, tối đa 8) — hãy tách "
                  "thành nhiều buổi phát\n");
}

static void test_bad_one_offs_dates_weekdays_makeup(void **state)
{
    (void)state;
    expect_errors("broadcasts = {\n"
                  "  items = ( " ITEM_A " );\n"
                  "  sessions = (\n"
                  "    { id = \"a\"; name = \"A\"; items = [ \"tin-a\" ];\n"
                  "      at = [ \"2025-02-30 06:00\",\n"
                  "             \"2025-10-10 6h\",\n"
                  "             \"sáng mai\",\n"
                  "             \"10/10/2025 06:15\", \"2025-10-10 06:15\", true ]; },\n"
                  "    { id = \"b\"; name = \"B\"; items = [ \"tin-a\" ]; times = \"06:00\";\n"
                  "      weekdays = \"T2-T8,CN-T2\"; from = \"31/12/2025\";"
                  " until = \"2025-10-01\";\n"
                  "      makeup = \"weak\"; },\n"
                  "    { id = \"c\"; name = \"C\"; items = [ \"tin-a\" ]; times = \"06:00\";\n"
                  "      from = \"31/02/2026\"; makeup = \"quý\"; }\n"
                  "  );\n"
                  "};\n",
                  "playlist.cfg:5: lỗi: thời điểm phát \"2025-02-30 06:00\" có ngày không tồn tại "
                  "— kiểm tra ngày và tháng (dd/mm/yyyy hoặc yyyy-mm-dd)\n"
                  "playlist.cfg:6: lỗi: thời điểm phát \"2025-10-10 6h\" có giờ không đúng — viết "
                  "giờ dạng HH:MM từ 00:00 đến 23:59, ví dụ \"2025-10-10 06:15\"\n"
                  "playlist.cfg:7: lỗi: thời điểm phát \"sáng mai\" không đúng dạng — viết "
                  "\"yyyy-mm-dd HH:MM\" (ví dụ \"2025-10-10 06:15\") hoặc \"dd/mm/yyyy HH:MM\" (ví "
                  "dụ \"10/10/2025 06:15\")\n"
                  "playlist.cfg:8: lỗi: thời điểm phát \"2025-10-10 06:15\" bị lặp lại trong at — "
                  "mỗi thời điểm chỉ ghi một lần\n"
                  "playlist.cfg:8: lỗi: phần tử thứ 6 trong at phải là thời điểm trong dấu "
                  "\"...\", ví dụ \"2025-10-10 06:15\", nhưng đang là đúng/sai (true/false)\n"
                  "playlist.cfg:10: lỗi: thứ \"T8\" không hợp lệ — dùng T2, T3, T4, T5, T6, T7 "
                  "hoặc CN; ví dụ \"T2-T6\" hoặc \"T2,T4,CN\"\n"
                  "playlist.cfg:10: lỗi: khoảng thứ \"CN-T2\" bị ngược — tuần tính từ T2 đến CN "
                  "nên "
                  "thứ đầu khoảng phải sớm hơn thứ cuối (ví dụ \"T2-T6\")\n"
                  "playlist.cfg:11: lỗi: cách phát bù \"weak\" không hợp lệ — có phải ý bạn là "
                  "\"week\"? chỉ dùng \"none\" (không phát bù), \"day\" (bù trong ngày), \"week\" "
                  "(trong tuần), \"month\" (trong tháng) hoặc \"quarter\" (trong quý)\n"
                  "playlist.cfg:10: lỗi: khoảng ngày bị ngược: \"from\" (31/12/2025) sau \"until\" "
                  "(01/10/2025) — ngày bắt đầu phải trước hoặc trùng ngày kết thúc\n"
                  "playlist.cfg:13: lỗi: ngày \"31/02/2026\" không tồn tại — tháng 2 năm 2026 chỉ "
                  "có 28 ngày\n"
                  "playlist.cfg:13: lỗi: cách phát bù \"quý\" không hợp lệ — chỉ dùng \"none\" "
                  "(không phát bù), \"day\" (bù trong ngày), \"week\" (trong tuần), \"month\" "
                  "(trong tháng) hoặc \"quarter\" (trong quý)\n");
}

static void test_bad_group_shape(void **state)
{
    (void)state;
    expect_errors("broadcasts = ( 1 );\n",
                  "playlist.cfg:1: lỗi: khoá \"broadcasts\" phải là nhóm { }, nhưng đang là danh "
                  "sách ( ) — ví dụ: broadcasts = { items = ( ... ); sessions = ( ... ); };\n");
    expect_errors("broadcasts = {\n  items = ( " ITEM_A " );\n};\n",
                  "playlist.cfg:1: lỗi: nhóm broadcasts thiếu khoá bắt buộc \"sessions\" (danh "
                  "sách buổi phát) — thêm dòng, ví dụ: sessions = ( { id = \"ban-tin-sang\"; name "
                  "= \"Bản tin sáng\"; times = \"06:00\"; items = [ \"tin-dvc\" ]; } );\n");
    expect_errors("broadcasts = {\n  items = 3;\n  sessions = ( 1 );\n};\n",
                  "playlist.cfg:2: lỗi: khoá \"items\" phải là danh sách ( ), nhưng đang là số "
                  "nguyên — ví dụ: items = ( { id = \"tin-dvc\"; title = \"...\"; audio = "
                  "\"audio/tin-dvc.ogg\"; } );\n"
                  "playlist.cfg:3: lỗi: phần tử thứ 1 trong sessions phải là một nhóm { ... } mô "
                  "tả một buổi phát, nhưng đang là số nguyên — ví dụ: { id = \"ban-tin-sang\"; "
                  "name = \"Bản tin sáng\"; times = \"06:00\"; items = [ \"tin-dvc\" ]; }\n");
}

static void test_invalid_utf8_title(void **state)
{
    (void)state;
    expect_errors("broadcasts = {\n"
                  "  items = ( { id = \"tin-a\"; title = \"B\xe1n tin\"; audio = \"a.ogg\"; } );\n"
                  "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\"; items = [ "
                  "\"tin-a\" ]; } );\n"
                  "};\n",
                  "playlist.cfg:2: lỗi: khoá \"title\" có chữ không đúng bảng mã UTF-8 — có lẽ tệp "
                  "được lưu bằng bảng mã khác (ANSI, TCVN3, VNI); hãy mở tệp bằng Notepad, chọn "
                  "\"Lưu thành…\" và chọn Mã hoá \"UTF-8\"\n");
}

/* ---- limits ------------------------------------------------------------------------------- */

/* The appliance's limits as bangtin.cfg would give them: windows on line 4, days on line 5. */
static void appliance_limits(bt_broadcast_limits *lim, const char *windows, const char *days)
{
    bt_diags d;
    bt_diags_init(&d);
    memset(lim, 0, sizeof *lim);
    assert_int_equal(bt_broadcast_windows_parse(windows, "bangtin.cfg", 4, lim, &d), 0);
    assert_int_equal(bt_broadcast_weekdays_parse(days, "bangtin.cfg", 5, lim, &d), 0);
    lim->max_sessions_per_day = 3;
    lim->max_session_minutes = 15;
    lim->appliance = true;
    snprintf(lim->origin, sizeof lim->origin, "bangtin.cfg");
    if (!days[0])
        lim->weekdays_line = 0;
    bt_diags_free(&d);
}

static void ward_limits(bt_broadcast_limits *lim)
{
    appliance_limits(lim, "05:30-07:00,16:30-18:30", "");
}

/* Validates text (must be valid), sets durations, checks limits against the appliance's lim;
 * returns the messages. */
static char *check_limits_against(const char *text, const double *durations, size_t n,
                                  const bt_broadcast_limits *lim, int *rc)
{
    bt_broadcasts b;
    char *got = NULL;
    assert_int_equal(validate(text, &b, &got), 0);
    free(got);
    for (size_t i = 0; i < n && i < b.item_count; i++)
        b.items[i].duration_seconds = durations[i];
    bt_diags d;
    bt_diags_init(&d);
    *rc = bt_broadcasts_check_limits(&b, lim, "playlist.cfg", &d);
    size_t cap = 1 + d.count * (BT_MAX_DIAG_MESSAGE + BT_MAX_PATH_BYTES + 64), len = 0;
    char *all = malloc(cap);
    all[0] = '\0';
    for (size_t i = 0; i < d.count; i++) {
        char line[BT_MAX_DIAG_MESSAGE + BT_MAX_PATH_BYTES + 64];
        len += (size_t)snprintf(all + len, cap - len, "%s\n",
                                bt_diag_format(&d.items[i], line, sizeof line));
    }
    bt_diags_free(&d);
    bt_broadcasts_free(&b);
    return all;
}

static char *check_limits_of(const char *text, const double *durations, size_t n, int *rc)
{
    bt_broadcast_limits lim;
    ward_limits(&lim);
    return check_limits_against(text, durations, n, &lim, rc);
}

#define LIMIT_ITEMS                                                                               \
    "  items = ( { id = \"tin-a\"; title = \"A\"; audio = \"a.ogg\"; },\n"                       \
    "            { id = \"khan\"; title = \"K\"; audio = \"k.ogg\"; priority = \"emergency\"; } " \
    ");\n"

static void test_limits_accept_a_normal_schedule(void **state)
{
    (void)state;
    int rc;
    const double d[] = {300, 60};
    char *got = check_limits_of("broadcasts = {\n" LIMIT_ITEMS
                                "  sessions = (\n"
                                "    { id = \"sang\"; name = \"S\"; times = \"06:00\"; items = [ "
                                "\"tin-a\", \"tin-a\" ]; },\n"
                                "    { id = \"chieu\"; name = \"C\"; times = \"17:00,18:00\"; "
                                "weekdays = \"T2-T6\"; items = [ \"tin-a\" ]; },\n"
                                "    { id = \"bao\"; name = \"B\"; at = [ \"2025-10-11 22:00\" ]; "
                                "items = [ \"khan\" ]; } );\n"
                                "};\n",
                                d, 2, &rc);
    assert_string_equal(got, "");
    assert_int_equal(rc, 0);
    free(got);
}

static void test_limits_windows(void **state)
{
    (void)state;
    int rc;
    const double d[] = {300, 60};
    char *got = check_limits_of(
        "broadcasts = {\n" LIMIT_ITEMS "  sessions = (\n"
        "    { id = \"trua\"; name = \"T\"; times = \"12:00\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"muon\"; name = \"M\"; times = \"06:57\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"tron\"; name = \"Tr\"; at = [ \"2025-10-10 21:30\" ];\n"
        "      items = [ \"khan\", \"tin-a\" ]; },\n"
        "    { id = \"bao\"; name = \"B\"; times = \"02:00\"; weekdays = \"T7\"; items = [ "
        "\"khan\" "
        "]; } );\n"
        "};\n",
        d, 2, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(
        got,
        "playlist.cfg:5: lỗi: buổi phát \"trua\" lúc 12:00 nằm ngoài khung giờ phát thanh của "
        "phường: 05:30-07:00, 16:30-18:30 của máy (bangtin.cfg dòng 4) — hãy dời giờ phát vào "
        "trong khung giờ; chỉ buổi phát mà mọi tin đều khẩn cấp (priority = \"emergency\") mới được phát ngoài khung giờ\n"
        "playlist.cfg:6: lỗi: buổi phát \"muon\" lúc 06:57 dài 5:00 nên kéo dài đến 07:02, quá "
        "khung giờ phát thanh 05:30-07:00 của máy (bangtin.cfg dòng 4) — hãy phát sớm hơn hoặc "
        "bớt tin\n"
        "playlist.cfg:7: lỗi: buổi phát \"tron\" lúc 21:30 ngày 10/10/2025 nằm ngoài khung giờ "
        "phát thanh của phường: 05:30-07:00, 16:30-18:30 của máy (bangtin.cfg dòng 4) — hãy dời "
        "giờ phát vào trong khung giờ; chỉ buổi phát mà mọi tin đều khẩn cấp (priority = \"emergency\") mới được phát ngoài "
        "khung giờ\n");
    free(got);
}

/* Permitted days and the playlist's own limits (issue 11): each message names the line of the
 * limit broken — the playlist's, the appliance's, or both — and says when the appliance's
 * stricter one is why the playlist's was not enough. */
static void test_limits_days_and_playlist_limits(void **state)
{
    (void)state;
    int rc;
    const double d[] = {300, 60};
    bt_broadcast_limits lim;
    appliance_limits(&lim, "05:30-07:00,16:30-18:30", "T2-T7");
    char *got = check_limits_against(
        "broadcasts = {\n"
        "  limits = { hours = \"06:00-07:00,17:00-18:00\";\n"
        "             weekdays = \"T2-T6\"; };\n" LIMIT_ITEMS "  sessions = (\n"
        "    { id = \"sang\"; name = \"S\"; times = \"06:00\"; weekdays = \"T2-T6\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"t7\"; name = \"T\"; times = \"06:00\"; weekdays = \"T7\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"cn\"; name = \"C\"; times = \"17:00\"; weekdays = \"T6-CN\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"som\"; name = \"So\"; times = \"05:45\"; weekdays = \"T2\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"le\"; name = \"L\"; at = [ \"2025-10-12 06:10\" ]; items = [ \"tin-a\" ]; },\n"
        "    { id = \"tuan\"; name = \"Tu\"; times = \"17:10\"; from = \"13/10/2025\";\n"
        "      until = \"17/10/2025\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"bao\"; name = \"B\"; times = \"23:00\"; weekdays = \"CN\"; items = [ \"khan\" ]; } );\n"
        "};\n",
        d, 2, &lim, &rc);
    assert_int_equal(rc, -1);
    /* "sang" is inside everything; "tuan" airs T2-CN but only 13-17/10 (Monday to Friday); the
     * emergency "bao" may air on Sunday night. */
    assert_string_equal(
        got,
        "playlist.cfg:8: lỗi: buổi phát \"t7\" phát vào Thứ Bảy, là ngày phường không cho phát "
        "thanh: chỉ được phát T2-T6 của playlist (playlist.cfg dòng 3) — hãy bỏ các ngày đó khỏi "
        "weekdays của buổi phát; chỉ buổi phát mà mọi tin đều khẩn cấp (priority = \"emergency\") "
        "mới được phát vào những ngày đó\n"
        "playlist.cfg:9: lỗi: buổi phát \"cn\" phát vào Thứ Bảy, Chủ Nhật, là ngày phường không "
        "cho phát thanh: chỉ được phát T2-T6 của playlist (playlist.cfg dòng 3) và T2-T7 của máy "
        "(bangtin.cfg dòng 5) — hãy bỏ các ngày đó khỏi weekdays của buổi phát; chỉ buổi phát mà "
        "mọi tin đều khẩn cấp (priority = \"emergency\") mới được phát vào những ngày đó\n"
        "playlist.cfg:10: lỗi: buổi phát \"som\" lúc 05:45 nằm ngoài khung giờ phát thanh của "
        "phường: 06:00-07:00, 17:00-18:00 của playlist (playlist.cfg dòng 2) — hãy dời giờ phát "
        "vào trong khung giờ; chỉ buổi phát mà mọi tin đều khẩn cấp (priority = \"emergency\") "
        "mới được phát ngoài khung giờ\n"
        "playlist.cfg:11: lỗi: buổi phát \"le\" lúc 06:10 ngày 12/10/2025 (Chủ Nhật) rơi vào ngày "
        "phường không cho phát thanh: chỉ được phát T2-T6 của playlist (playlist.cfg dòng 3) và "
        "T2-T7 của máy (bangtin.cfg dòng 5) — hãy đổi sang ngày khác; chỉ buổi phát mà mọi tin đều "
        "khẩn cấp (priority = \"emergency\") mới được phát vào ngày đó\n");
    free(got);

    /* The appliance is stricter than the playlist: it wins, and the message says so. */
    appliance_limits(&lim, "06:00-06:30,16:30-18:30", "T2-T5");
    got = check_limits_against(
        "broadcasts = {\n"
        "  limits = { hours = \"05:30-07:00\"; weekdays = \"T2-T6\"; };\n" LIMIT_ITEMS
        "  sessions = (\n"
        "    { id = \"sang\"; name = \"S\"; times = \"06:45\"; weekdays = \"T2-T6\"; items = [ \"tin-a\" ]; } );\n"
        "};\n",
        d, 2, &lim, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(
        got,
        "playlist.cfg:6: lỗi: buổi phát \"sang\" lúc 06:45 nằm ngoài khung giờ phát thanh của "
        "phường: 06:00-06:30, 16:30-18:30 của máy (bangtin.cfg dòng 4) (playlist cho phép, nhưng "
        "cấu hình của máy chặt hơn nên được áp dụng; muốn đổi thì nhờ người quản trị máy sửa "
        "bangtin.cfg) — hãy dời giờ phát vào trong khung giờ; chỉ buổi phát mà mọi tin đều khẩn "
        "cấp (priority = \"emergency\") mới được phát ngoài khung giờ\n"
        "playlist.cfg:6: lỗi: buổi phát \"sang\" phát vào Thứ Sáu, là ngày phường không cho phát "
        "thanh: chỉ được phát T2-T5 của máy (bangtin.cfg dòng 5) (playlist cho phép, nhưng cấu "
        "hình của máy chặt hơn nên được áp dụng; muốn đổi thì nhờ người quản trị máy sửa "
        "bangtin.cfg) — hãy bỏ các ngày đó khỏi weekdays của buổi phát; chỉ buổi phát mà mọi tin "
        "đều khẩn cấp (priority = \"emergency\") mới được phát vào những ngày đó\n");
    free(got);
}

/* The limits group's own mistakes, and the join the scheduler keeps. */
static void test_playlist_limits_parse_and_join(void **state)
{
    (void)state;
    expect_errors("broadcasts = {\n"
                  "  limits = { hours = \"07:00-05:00\"; weekdays = \"T2-T8\"; day = \"T2\"; };\n"
                  "  items = ( " ITEM_A " );\n"
                  "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00\"; items = [ \"tin-a\" ]; } );\n"
                  "};\n",
                  "playlist.cfg:2: lỗi: khoá \"day\" không hợp lệ — nhóm limits (trong broadcasts) chỉ "
                  "dùng các khoá: hours, weekdays\n"
                  "playlist.cfg:2: lỗi: khung giờ phát thanh \"07:00-05:00\" bị ngược hoặc rỗng — "
                  "giờ kết thúc phải sau giờ bắt đầu; nếu muốn qua nửa đêm, hãy tách thành hai khung "
                  "\"07:00-24:00,00:00-05:00\"\n"
                  "playlist.cfg:2: lỗi: thứ \"T8\" không hợp lệ — dùng T2, T3, T4, T5, T6, T7 hoặc CN; "
                  "ví dụ \"T2-T6\" hoặc \"T2,T4,CN\"\n");

    bt_broadcast_limits appliance, playlist, joined;
    appliance_limits(&appliance, "05:30-07:00,16:30-18:30", "T2-T7");
    appliance_limits(&playlist, "06:00-17:00", "CN,T2-T6");
    bt_broadcast_limits_join(&appliance, &playlist, &joined);
    assert_int_equal(joined.window_count, 2);
    assert_int_equal(joined.windows[0].start_minute, 6 * 60);
    assert_int_equal(joined.windows[0].end_minute, 7 * 60);
    assert_int_equal(joined.windows[1].start_minute, 16 * 60 + 30);
    assert_int_equal(joined.windows[1].end_minute, 17 * 60);
    assert_int_equal(joined.closed_weekdays, 0x60); /* T7 (playlist) and CN (appliance) */
    assert_int_equal(joined.max_sessions_per_day, 3);
    assert_false(bt_broadcast_limits_day_open(&joined, bt_time_day_from_ymd(2025, 10, 11)));
    assert_false(bt_broadcast_limits_day_open(&joined, bt_time_day_from_ymd(2025, 10, 12)));
    assert_true(bt_broadcast_limits_day_open(&joined, bt_time_day_from_ymd(2025, 10, 13)));
    /* No overlap at all stays "restricted", never "unrestricted". */
    appliance_limits(&playlist, "08:00-09:00", "");
    bt_broadcast_limits_join(&appliance, &playlist, &joined);
    assert_int_equal(joined.window_count, 1);
    assert_int_equal(joined.windows[0].start_minute, joined.windows[0].end_minute);
    /* The playlist alone restricts when the appliance does not. */
    appliance_limits(&appliance, "", "");
    bt_broadcast_limits_join(&appliance, &playlist, &joined);
    assert_int_equal(joined.window_count, 1);
    assert_int_equal(joined.windows[0].start_minute, 8 * 60);
    assert_int_equal(joined.closed_weekdays, 0);
}

static void test_limits_sessions_per_day(void **state)
{
    (void)state;
    int rc;
    /* Every Monday breaks the limit, for ever: named by weekday. */
    char *got = check_limits_of(
        "broadcasts = {\n" LIMIT_ITEMS "  sessions = (\n"
        "    { id = \"a\"; name = \"A\"; times = \"06:00,17:00\"; items = [ \"tin-a\" ]; },\n"
        "    { id = \"b\"; name = \"B\"; times = \"06:30\"; weekdays = \"T2\"; items = [ \"tin-a\" "
        "]; },\n"
        "    { id = \"c\"; name = \"C\"; times = \"18:00\"; weekdays = \"T2,T4\"; items = [ "
        "\"tin-a\" ]; } );\n"
        "};\n",
        NULL, 0, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(got, "playlist.cfg:7: lỗi: mỗi Thứ Hai có 4 buổi phát (a 06:00, b 06:30, "
                             "a 17:00, c 18:00), vượt giới hạn 3 buổi mỗi ngày của phường — hãy "
                             "bớt buổi phát hoặc đổi thứ, ngày phát\n");
    free(got);

    /* A one-off on a full day: the first such day is named, emergencies count too. A one-off at
     * the same minute as the session's own time is the same slot, counted once. */
    got = check_limits_of(
        "broadcasts = {\n" LIMIT_ITEMS "  sessions = (\n"
        "    { id = \"a\"; name = \"A\"; times = \"06:00,17:00\"; from = \"2025-10-01\";\n"
        "      at = [ \"2025-10-09 06:00\" ]; items = [ \"tin-a\" ]; },\n"
        "    { id = \"b\"; name = \"B\"; at = [ \"2025-10-09 18:00\" ]; items = [ \"tin-a\" ]; },\n"
        "    { id = \"k\"; name = \"K\"; at = [ \"2025-10-10 21:00\", \"2025-10-12 21:00\" ];\n"
        "      items = [ \"khan\" ]; },\n"
        "    { id = \"d\"; name = \"D\"; times = \"06:30\"; weekdays = \"T6,CN\"; items = [ "
        "\"tin-a\" ]; } );\n"
        "};\n",
        NULL, 0, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(got, "playlist.cfg:8: lỗi: ngày 10/10/2025 (Thứ Sáu) có 4 buổi phát (a "
                             "06:00, d 06:30, a 17:00, k 21:00), vượt giới hạn 3 buổi mỗi ngày "
                             "của phường — hãy bớt buổi phát hoặc đổi thứ, ngày phát\n");
    free(got);
}

static void test_limits_session_minutes(void **state)
{
    (void)state;
    int rc;
    const double measured[] = {301, 60};
    const char *text = "broadcasts = {\n" LIMIT_ITEMS "  sessions = (\n"
                       "    { id = \"dai\"; name = \"D\"; times = \"16:30\";\n"
                       "      items = [ \"tin-a\", \"tin-a\", \"tin-a\" ]; } );\n"
                       "};\n";
    char *got = check_limits_of(text, measured, 2, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(got, "playlist.cfg:5: lỗi: buổi phát \"dai\" dài 15:03 (3 tin), vượt giới "
                             "hạn 15 phút mỗi buổi của phường — hãy bớt tin hoặc chia thành hai "
                             "buổi phát\n");
    free(got);
    /* Exactly 15 minutes is allowed; unmeasured items (0) skip the check. */
    const double exact[] = {300, 60};
    got = check_limits_of(text, exact, 2, &rc);
    assert_int_equal(rc, 0);
    free(got);
    got = check_limits_of(text, NULL, 0, &rc);
    assert_int_equal(rc, 0);
    free(got);
}

static void test_windows_parse(void **state)
{
    (void)state;
    bt_broadcast_limits lim;
    bt_diags d;
    memset(&lim, 0, sizeof lim);
    bt_diags_init(&d);
    assert_int_equal(bt_broadcast_windows_parse(" 16:30-18:30 , 05:30-07:00", "bangtin.cfg", 3,
                                                &lim, &d),
                     0);
    assert_int_equal(lim.window_count, 2);
    assert_int_equal(lim.windows[0].start_minute, 330); /* sorted */
    assert_int_equal(lim.windows[1].end_minute, 1110);
    assert_int_equal(bt_broadcast_windows_parse("", "bangtin.cfg", 3, &lim, &d), 0);
    assert_int_equal(lim.window_count, 0);
    assert_int_equal(bt_broadcast_windows_parse("22:00-24:00", "bangtin.cfg", 3, &lim, &d), 0);
    assert_int_equal(lim.windows[0].end_minute, 1440);
    assert_int_equal(d.count, 0);

    const char *bad[][2] = {
        {"0530-0700", "bangtin.cfg:7: lỗi: khung giờ phát thanh \"0530-0700\" không đúng dạng — "
                      "viết giờ bắt đầu-giờ kết thúc dạng HH:MM-HH:MM, nhiều khung cách nhau bằng "
                      "dấu phẩy, ví dụ \"05:30-07:00,16:30-18:30\""},
        {"07:00-05:30", "bangtin.cfg:7: lỗi: khung giờ phát thanh \"07:00-05:30\" bị ngược hoặc "
                        "rỗng — giờ kết thúc phải sau giờ bắt đầu; nếu muốn qua nửa đêm, hãy tách "
                        "thành hai khung \"07:00-24:00,00:00-05:30\""},
        {"05:30-07:60", "bangtin.cfg:7: lỗi: giờ \"07:60\" trong khung giờ phát thanh "
                        "\"05:30-07:60\" không có thật — giờ từ 00 đến 23, phút từ 00 đến 59 "
                        "(riêng giờ kết thúc được viết 24:00)"},
        {"05:30-07:00,06:30-08:00", "bangtin.cfg:7: lỗi: khung giờ phát thanh 05:30-07:00 và "
                                    "06:30-08:00 chồng lên nhau — hãy gộp thành một khung"},
        {"05:30-07:00,", "bangtin.cfg:7: lỗi: danh sách khung giờ phát thanh \"05:30-07:00,\" có "
                         "dấu phẩy thừa — ví dụ đúng: \"05:30-07:00,16:30-18:30\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bt_broadcast_limits before = lim;
        char line[BT_MAX_DIAG_MESSAGE + 64];
        bt_diags_free(&d);
        bt_diags_init(&d);
        assert_int_equal(bt_broadcast_windows_parse(bad[i][0], "bangtin.cfg", 7, &lim, &d), -1);
        assert_int_equal(d.count, 1);
        assert_string_equal(bt_diag_format(&d.items[0], line, sizeof line), bad[i][1]);
        assert_memory_equal(&before, &lim, sizeof lim); /* untouched on failure */
    }
    bt_diags_free(&d);
}

/* ---- queries ------------------------------------------------------------------------------ */

static void test_queries(void **state)
{
    (void)state;
    bt_broadcasts b;
    char *got = NULL;
    assert_int_equal(validate(good_cfg, &b, &got), 0);
    free(got);
    assert_int_equal(bt_broadcast_session_priority(&b, 0), BT_BROADCAST_PRIORITY);
    assert_int_equal(bt_broadcast_session_priority(&b, 1), BT_BROADCAST_EMERGENCY);
    assert_int_equal(bt_broadcast_session_priority(&b, 7), BT_BROADCAST_NORMAL);
    assert_false(bt_broadcast_session_all_emergency(&b, 0));
    assert_true(bt_broadcast_session_all_emergency(&b, 1));
    assert_string_equal(bt_broadcast_priority_name(BT_BROADCAST_EMERGENCY), "emergency");
    assert_string_equal(bt_broadcast_makeup_name(BT_MAKEUP_WEEK), "week");
    assert_int_equal(bt_broadcasts_session_index(&b, "khan-cap"), 1);
    assert_int_equal(bt_broadcasts_session_index(&b, "khong-co"), SIZE_MAX);
    assert_int_equal(bt_broadcasts_item_index(&b, "tin-vneid"), 1);
    /* Unknown until every item is measured; then from any item on. */
    assert_true(bt_broadcast_session_seconds(&b, 0, 0) == 0);
    b.items[0].duration_seconds = 95.5;
    assert_true(bt_broadcast_session_seconds(&b, 0, 0) == 0);
    b.items[1].duration_seconds = 80;
    assert_true(bt_broadcast_session_seconds(&b, 0, 0) == 271);
    assert_true(bt_broadcast_session_seconds(&b, 0, 1) == 175.5);
    bt_broadcasts_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_full_model),
        cmocka_unit_test(test_no_group_is_empty_and_fine),
        cmocka_unit_test(test_warnings_do_not_fail),
        cmocka_unit_test(test_bad_unknown_keys_everywhere),
        cmocka_unit_test(test_bad_items),
        cmocka_unit_test(test_item_topics),
        cmocka_unit_test(test_text_bulletin_items),
        cmocka_unit_test(test_bad_text_bulletins),
        cmocka_unit_test(test_transcripts),
        cmocka_unit_test(test_bad_session_references_and_missing_times),
        cmocka_unit_test(test_bad_times),
        cmocka_unit_test(test_bad_one_offs_dates_weekdays_makeup),
        cmocka_unit_test(test_bad_group_shape),
        cmocka_unit_test(test_invalid_utf8_title),
        cmocka_unit_test(test_limits_accept_a_normal_schedule),
        cmocka_unit_test(test_limits_windows),
        cmocka_unit_test(test_limits_days_and_playlist_limits),
        cmocka_unit_test(test_playlist_limits_parse_and_join),
        cmocka_unit_test(test_limits_sessions_per_day),
        cmocka_unit_test(test_limits_session_minutes),
        cmocka_unit_test(test_windows_parse),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
