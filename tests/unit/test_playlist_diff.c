/* What a new playlist changes against the one playing (core/playlist_diff.c), as staff see it
 * before approving a stick with the PIN: notices added, removed and changed (a title, a body, a
 * timing, an image's bytes under the same name through the injected comparison), sessions added,
 * removed and changed (a time), matched by id; nothing playing makes everything added; a long
 * list names the first few and counts the rest; the same playlist twice changes nothing. */
#include "bt_test_support.h"
#include "bt_test_tree.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_playlist_diff.h"

static void load(const char *text, bt_playlist *p)
{
    bt_node *root = bt_test_parse_cfg(text);
    bt_asset_probe probe = {0};
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(p);
    if (bt_playlist_from_tree(root, "playlist.cfg", &probe, p, &d) != 0)
        fail_msg("playlist: %s", d.count ? d.items[0].message : "?");
    bt_diags_free(&d);
    bt_node_destroy(root);
}

#define HEAD "id = \"p\"; version = 1; title = \"Thử\";\n"
#define ITEMS "items = ( { id = \"a\"; title = \"Tin A\"; audio = \"a.ogg\"; } );"

static const char OLD[] = HEAD
    "notices = (\n"
    " { id = \"gio\"; kind = \"text\"; title = \"Giờ làm việc\"; body = \"Sáng 7:30\"; },\n"
    " { id = \"so-do\"; kind = \"image\"; title = \"Sơ đồ\"; image = \"so-do.png\"; },\n"
    " { id = \"cu\"; kind = \"text\"; title = \"Thông báo cũ\"; body = \"x\"; },\n"
    " { id = \"giu\"; kind = \"text\"; title = \"Giữ nguyên\"; body = \"y\"; }\n"
    ");\n"
    "broadcasts = { " ITEMS " sessions = (\n"
    " { id = \"sang\"; name = \"Bản tin sáng\"; times = \"06:00\"; items = [ \"a\" ]; },\n"
    " { id = \"chieu\"; name = \"Bản tin chiều\"; times = \"17:00\"; items = [ \"a\" ]; }\n"
    "); };\n";

static const char NEW[] = HEAD
    "notices = (\n"
    " { id = \"gio\"; kind = \"text\"; title = \"Giờ làm việc\"; body = \"Sáng 8:00\"; },\n"
    " { id = \"so-do\"; kind = \"image\"; title = \"Sơ đồ\"; image = \"so-do.png\"; },\n"
    " { id = \"moi\"; kind = \"text\"; title = \"Lịch tiếp dân tháng 12\"; body = \"z\"; },\n"
    " { id = \"giu\"; kind = \"text\"; title = \"Giữ nguyên\"; body = \"y\"; }\n"
    ");\n"
    "broadcasts = { " ITEMS " sessions = (\n"
    " { id = \"sang\"; name = \"Bản tin sáng\"; times = \"06:30\"; items = [ \"a\" ]; },\n"
    " { id = \"toi\"; name = \"Bản tin tối\"; times = \"18:00\"; items = [ \"a\" ]; }\n"
    "); };\n";

static bool images_differ(void *ctx, const char *a, const char *b)
{
    (void)a;
    (void)b;
    ++*(int *)ctx;
    return false;
}

static void test_changes_named_by_kind(void **state)
{
    (void)state;
    bt_playlist a, b;
    load(OLD, &a);
    load(NEW, &b);
    bt_playlist_diff d;
    char line[512];
    bt_playlist_diff_compute(&a, &b, NULL, NULL, &d);
    assert_false(bt_playlist_diff_empty(&d));
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_ADDED, line, sizeof line),
                        "Thông báo thêm (1): «Lịch tiếp dân tháng 12»");
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_REMOVED, line, sizeof line),
                        "Thông báo bỏ (1): «Thông báo cũ»");
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_CHANGED, line, sizeof line),
                        "Thông báo sửa (1): «Giờ làm việc»");
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_SESSIONS_ADDED, line, sizeof line),
                        "Buổi phát loa thêm (1): «Bản tin tối»");
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_SESSIONS_REMOVED, line, sizeof line),
                        "Buổi phát loa bỏ (1): «Bản tin chiều»");
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_SESSIONS_CHANGED, line, sizeof line),
                        "Buổi phát loa sửa (1): «Bản tin sáng»");
    /* An image with the same name but other bytes: the shell's comparison says so. */
    int asked = 0;
    bt_playlist_diff_compute(&a, &b, images_differ, &asked, &d);
    assert_int_equal(asked, 1);
    assert_int_equal(d.count[BT_DIFF_NOTICES_CHANGED], 2);
    assert_string_equal(d.names[BT_DIFF_NOTICES_CHANGED][1], "Sơ đồ");
    /* The same playlist: nothing, and no line. */
    bt_playlist_diff_compute(&b, &b, NULL, NULL, &d);
    assert_true(bt_playlist_diff_empty(&d));
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_ADDED, line, sizeof line), "");
    bt_playlist_free(&a);
    bt_playlist_free(&b);
}

static void test_nothing_playing_and_long_lists(void **state)
{
    (void)state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, HEAD "notices = (\n");
    for (int i = 0; i < 7; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s { id = \"n%d\"; kind = \"text\"; title = \"Thông báo số %d\"; "
                              "body = \"b\"; }\n", i ? "," : "", i, i);
    snprintf(text + n, sizeof text - n, ");\n");
    bt_playlist p;
    load(text, &p);
    bt_playlist_diff d;
    char line[512];
    bt_playlist_diff_compute(NULL, &p, NULL, NULL, &d);
    assert_int_equal(d.count[BT_DIFF_NOTICES_ADDED], 7);
    assert_int_equal(d.count[BT_DIFF_NOTICES_REMOVED], 0);
    assert_string_equal(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_ADDED, line, sizeof line),
                        "Thông báo thêm (7): «Thông báo số 0», «Thông báo số 1», «Thông báo số "
                        "2», «Thông báo số 3» … và 3 mục khác");
    /* A short buffer is cut, never overrun. */
    assert_int_equal(strlen(bt_playlist_diff_line(&d, BT_DIFF_NOTICES_ADDED, line, 20)), 19);
    bt_playlist_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_named_by_kind),
        cmocka_unit_test(test_nothing_playing_and_long_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
