/* The validator for `check` (issue 11): the model it keeps when a playlist has errors, and the
 * check of every text a person reads (control characters, characters the screen's fonts lack
 * through an injected glyph probe), each with its key's line and exact Vietnamese message.
 * Core only: the probe is a function here, not a font. */
#include "bt_test_support.h"
#include "bt_test_tree.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_tree.h"

/* A font that has Latin, precomposed Vietnamese and general punctuation, but no arrows, CJK or
 * emoji (roughly the bundled Noto Sans), and, to show that texts are judged composed (NFC), no
 * combining marks either. */
static bool covers_latin(void *ctx, uint32_t cp)
{
    (void)ctx;
    return cp < 0x2190 && !(cp >= 0x0300 && cp < 0x0370);
}

/* Validates text (as bt_playlist_validate) with the probe; every diagnostic, one per line. */
static char *validate(const char *text, bool glyphs, bt_playlist *p, int *rc)
{
    bt_node *root = bt_test_parse_cfg(text);
    bt_asset_probe probe = {NULL, NULL, false, {glyphs ? covers_latin : NULL, NULL}, NULL};
    bt_diags d;
    bt_diags_init(&d);
    *rc = bt_playlist_validate(root, "playlist.cfg", &probe, p, &d);
    bt_diags_sort(&d);
    size_t cap = 1 + d.count * (BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64), len = 0;
    char *all = malloc(cap);
    assert_non_null(all);
    all[0] = '\0';
    for (size_t i = 0; i < d.count; i++) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        len += (size_t)snprintf(all + len, cap - len, "%s [%s]\n",
                                bt_diag_format(&d.items[i], line, sizeof line), d.items[i].code);
    }
    bt_diags_free(&d);
    bt_node_destroy(root);
    return all;
}

static void expect(const char *text, bool glyphs, const char *expected)
{
    bt_playlist p;
    int rc;
    char *got = validate(text, glyphs, &p, &rc);
    if (strcmp(got, expected) != 0)
        fail_msg("diagnostics differ\n--- expected\n%s--- got\n%s", expected, got);
    assert_int_equal(rc, expected[0] && strstr(expected, ": lỗi: ") ? -1 : 0);
    bt_playlist_free(&p);
    free(got);
}

#define HEAD "id = \"t\";\nversion = 1;\ntitle = \"Thử\";\n"

static void test_control_characters(void **state)
{
    (void)state;
    expect(HEAD "notices = (\n"
                "  { id = \"a\"; kind = \"text\"; title = \"Tiêu đề\\nhai dòng\";\n"
                "    body = \"Đoạn một.\\nĐoạn hai.\\tCột\"; }\n"
                ");\n"
                "ticker = [ \"Một\\ndòng\", \"Có ký tự \\u0007\" ];\n",
           true,
           "playlist.cfg:6: lỗi: khoá \"body\" có ký tự tab (U+0009, \\t) — màn hình không hiển "
           "thị được ký tự này; hãy thay bằng một dấu cách [control-char]\n"
           "playlist.cfg:8: lỗi: dòng chữ chạy thứ 1 có ký tự xuống dòng (\\n), nhưng chữ này "
           "hiện trên một dòng nên phần sau sẽ bị cắt — hãy bỏ \\n (chỉ nội dung, tiêu đề và chú "
           "thích của thông báo mới được xuống dòng) [control-char]\n");
}

/* The tree reader has no \u escape: the C1 control and the escape code are written raw. */
static void test_other_controls(void **state)
{
    (void)state;
    expect(HEAD "notices = ( { id = \"a\"; kind = \"text\"; title = \"Chép từ Word\xc2\x85\"; },\n"
                "  { id = \"b\"; kind = \"text\"; title = \"Mã \x1b[1m\"; } );\n",
           true,
           "playlist.cfg:4: lỗi: khoá \"title\" có ký tự điều khiển U+0085 không hiển thị được "
           "(thường do chép từ Word hay Excel) — hãy gõ lại đoạn chữ đó hoặc xoá ký tự này "
           "[control-char]\n"
           "playlist.cfg:5: lỗi: khoá \"title\" có ký tự điều khiển U+001B không hiển thị được "
           "(thường do chép từ Word hay Excel) — hãy gõ lại đoạn chữ đó hoặc xoá ký tự này "
           "[control-char]\n");
}

static void test_glyphs_named_with_code_points(void **state)
{
    (void)state;
    expect(HEAD "notices = (\n"
                "  { id = \"a\"; kind = \"text\"; title = \"Thông báo 通知 通知\"; },\n"
                "  { id = \"b\"; kind = \"qr\"; title = \"Quét\"; qr_caption = \"Bước 1 → 2\";\n"
                "    qr_url = \"https://dichvucong.gov.vn\"; }\n"
                ");\n"
                "broadcasts = {\n"
                "  items = ( { id = \"i\"; title = \"📢 Tin\"; audio = \"a.ogg\"; } );\n"
                "  sessions = ( { id = \"s\"; name = \"Sáng ★\"; times = \"06:00\"; items = [ \"i\" ]; } );\n"
                "};\n"
                "targets = ( { id = \"t\"; label = \"tin ✓\"; channel = \"loudspeaker\"; "
                "period = \"quarter\"; minimum = 1; } );\n",
           true,
           "playlist.cfg:5: lỗi: khoá \"title\" có ký tự mà phông chữ của màn hình không có: "
           "\"通\" (U+901A), \"知\" (U+77E5) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá "
           "hoặc thay bằng chữ tiếng Việt, chữ số hay dấu thông thường [glyph]\n"
           "playlist.cfg:6: lỗi: khoá \"qr_caption\" có ký tự mà phông chữ của màn hình không "
           "có: \"→\" (U+2192) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc thay bằng "
           "chữ tiếng Việt, chữ số hay dấu thông thường (thay \"→\" (U+2192) bằng \"->\") "
           "[glyph]\n"
           "playlist.cfg:10: lỗi: khoá \"title\" có ký tự mà phông chữ của màn hình không có: "
           "\"📢\" (U+1F4E2) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc thay bằng "
           "chữ tiếng Việt, chữ số hay dấu thông thường [glyph]\n"
           "playlist.cfg:11: lỗi: khoá \"name\" có ký tự mà phông chữ của màn hình không có: "
           "\"★\" (U+2605) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc thay bằng "
           "chữ tiếng Việt, chữ số hay dấu thông thường (thay \"★\" (U+2605) bằng \"*\") "
           "[glyph]\n"
           "playlist.cfg:13: lỗi: khoá \"label\" có ký tự mà phông chữ của màn hình không có: "
           "\"✓\" (U+2713) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc thay bằng "
           "chữ tiếng Việt, chữ số hay dấu thông thường (thay \"✓\" (U+2713) bằng \"x\") "
           "[glyph]\n");
}

/* Issue 14: a bulletin's text and a transcript show on the screen as captions, paragraph by
 * paragraph: a line break is fine, a tab or a character the fonts lack is not. */
static void test_caption_texts(void **state)
{
    (void)state;
    expect(HEAD "notices = ( { id = \"a\"; kind = \"text\"; title = \"Chào\"; } );\n"
                "broadcasts = {\n"
                "  items = ( { id = \"i\"; title = \"Tin\"; audio = \"a.ogg\";\n"
                "              transcript = \"Đoạn một.\\nĐoạn hai.\\tCột\"; },\n"
                "            { id = \"j\"; title = \"Đọc\"; text = \"Bước 1 → 2.\\nHết.\"; } );\n"
                "  sessions = ( { id = \"s\"; name = \"Sáng\"; times = \"06:00\";"
                " items = [ \"i\", \"j\" ]; } );\n"
                "};\n",
           true,
           "playlist.cfg:7: lỗi: khoá \"transcript\" có ký tự tab (U+0009, \\t) — màn hình "
           "không hiển thị được ký tự này; hãy thay bằng một dấu cách [control-char]\n"
           "playlist.cfg:8: lỗi: khoá \"text\" có ký tự mà phông chữ của màn hình không có: "
           "\"→\" (U+2192) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc thay bằng "
           "chữ tiếng Việt, chữ số hay dấu thông thường (thay \"→\" (U+2192) bằng \"->\") "
           "[glyph]\n");
}

/* A pasted paragraph names a few characters, not all of them; invisible joiners are never
 * drawn, so a font without them is fine; decomposed Vietnamese is judged as composed. */
/* Without the screen's fonts (the kiosk re-reading its active playlist) texts are not judged. */
static void test_texts_unchecked_without_probe(void **state)
{
    (void)state;
    expect(HEAD "notices = ( { id = \"a\"; kind = \"text\"; title = \"通知\";\n"
                "  body = \"Tab\there\"; } );\n",
           false, "");
}

static void test_glyph_list_is_bounded(void **state)
{
    (void)state;
    expect(HEAD "notices = ( { id = \"a\"; kind = \"text\"; title = \"Tiêu\xe2\x80\x8b"
                "đề\";\n  body = \"通知一二三四五六七八\"; } );\n",
           true,
           "playlist.cfg:5: lỗi: khoá \"body\" có ký tự mà phông chữ của màn hình không có: "
           "\"通\" (U+901A), \"知\" (U+77E5), \"一\" (U+4E00), \"二\" (U+4E8C), \"三\" (U+4E09), "
           "\"四\" (U+56DB) và các ký tự khác — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá "
           "hoặc thay bằng chữ tiếng Việt, chữ số hay dấu thông thường [glyph]\n");
    /* "ịnh" saved decomposed (i + combining dot below, as macOS writes it) is drawn composed. */
    expect(HEAD "notices = ( { id = \"a\"; kind = \"text\"; title = \"i\xcc\xa3nh\"; } );\n",
           true, "");
}

/* With errors, check's model keeps what was read: valid items, sessions and notices, a wrong
 * value simply missing; from_tree keeps nothing. */
static void test_partial_model_kept(void **state)
{
    (void)state;
    const char *text =
        HEAD "valid_until = \"31/02/2027\";\n"
             "notices = (\n"
             "  { id = \"Sai Mã\"; kind = \"text\"; title = \"Một\"; },\n"
             "  { id = \"hai\"; kind = \"image\"; image = \"images/a.png\"; duration = 1; }\n"
             ");\n"
             "broadcasts = {\n"
             "  items = ( { id = \"a\"; title = \"A\"; audio = \"a.ogg\"; },\n"
             "            { id = \"b\"; title = \"B\"; audio = \"b.m4a\"; } );\n"
             "  sessions = ( { id = \"s\"; name = \"S\"; times = \"06:00,25:00\";\n"
             "                 items = [ \"a\", \"khong-co\", \"b\" ]; } );\n"
             "};\n"
             "targets = ( { id = \"t\"; channel = \"loa\"; period = \"quarter\"; minimum = 1; } );\n";
    bt_playlist p;
    int rc;
    char *got = validate(text, false, &p, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(got, "playlist.cfg:4: lỗi: ngày \"31/02/2027\""));
    assert_string_equal(p.id, "t");
    assert_int_equal(p.valid_until, BT_DAY_NONE_UNTIL);
    assert_int_equal(p.notice_count, 2);
    assert_null(p.notices[0].id);
    assert_string_equal(p.notices[0].title, "Một");
    assert_string_equal(p.notices[1].id, "hai");
    assert_string_equal(p.notices[1].image, "images/a.png");
    assert_int_equal(p.notices[1].duration_seconds, BT_DEFAULT_NOTICE_SECONDS);
    assert_int_equal(p.broadcasts.item_count, 2);
    assert_string_equal(p.broadcasts.items[0].audio, "a.ogg");
    assert_null(p.broadcasts.items[1].audio);
    assert_int_equal(p.broadcasts.session_count, 1);
    const bt_broadcast_session *s = &p.broadcasts.sessions[0];
    assert_int_equal(s->time_count, 1);
    assert_int_equal(s->times[0], 6 * 60);
    assert_int_equal(s->item_count, 2); /* "a" and "b"; the unknown one is left out */
    assert_int_equal(s->items[0], 0);
    assert_int_equal(s->items[1], 1);
    assert_int_equal(p.targets.count, 1);
    assert_string_equal(p.targets.items[0].id, "t");
    bt_playlist_free(&p);
    free(got);

    bt_node *root = bt_test_parse_cfg(text);
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_playlist_from_tree(root, "playlist.cfg", NULL, &p, &d), -1);
    assert_null(p.id);
    assert_int_equal(p.notice_count, 0);
    assert_int_equal(p.broadcasts.item_count, 0);
    bt_diags_free(&d);
    bt_node_destroy(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_other_controls),
        cmocka_unit_test(test_glyphs_named_with_code_points),
        cmocka_unit_test(test_caption_texts),
        cmocka_unit_test(test_glyph_list_is_bounded),
        cmocka_unit_test(test_texts_unchecked_without_probe),
        cmocka_unit_test(test_partial_model_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
