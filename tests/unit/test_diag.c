/* Diagnostics as data: formatting, limits, UTF-8-safe truncation, stable sorting; and the
 * Vietnamese names of config node types. */
#include "bt_test_support.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_tree.h"

static void test_format(void **state)
{
    bt_diags d;
    char buf[256];
    (void)state;
    bt_diags_init(&d);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 12, "khóa '%s' không hợp lệ", "bodi");
    bt_diags_add(&d, BT_DIAG_WARNING, "playlist.cfg", 3, "thiếu %d ảnh", 2);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 0, "không đọc được tệp");
    bt_diags_add(&d, BT_DIAG_ERROR, NULL, 0, "USB không có tệp playlist.cfg");
    assert_int_equal(d.count, 4);
    assert_int_equal(d.errors, 3);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.dropped, 0);
    assert_string_equal(bt_diag_format(&d.items[0], buf, sizeof(buf)),
                        "playlist.cfg:12: lỗi: khóa 'bodi' không hợp lệ");
    assert_string_equal(bt_diag_format(&d.items[1], buf, sizeof(buf)),
                        "playlist.cfg:3: cảnh báo: thiếu 2 ảnh");
    assert_string_equal(bt_diag_format(&d.items[2], buf, sizeof(buf)),
                        "playlist.cfg: lỗi: không đọc được tệp");
    assert_string_equal(bt_diag_format(&d.items[3], buf, sizeof(buf)),
                        "lỗi: USB không có tệp playlist.cfg");
    assert_int_equal(d.items[0].line, 12);
    assert_string_equal(d.items[0].file, "playlist.cfg");
    bt_diags_free(&d);
    assert_null(d.items);
    assert_int_equal(d.count, 0);
}

/* "playlist.cfg:1: lỗi: " is 23 bytes ("ỗ" is 3); a buffer ending inside "ỗ" must drop it. */
static void test_format_truncation_utf8(void **state)
{
    bt_diags d;
    char buf[64];
    size_t size;
    (void)state;
    bt_diags_init(&d);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 1, "ệệệ");
    for (size = 1; size <= 40; size++) {
        bt_diag_format(&d.items[0], buf, size);
        assert_true(strlen(buf) < size);
        assert_true(bt_text_utf8_valid(buf, strlen(buf)));
        assert_memory_equal(buf, "playlist.cfg:1: lỗi: ệệệ", strlen(buf));
    }
    bt_diag_format(&d.items[0], buf, 19); /* "playlist.cfg:1: l" (17 bytes), then 3-byte "ỗ" */
    assert_string_equal(buf, "playlist.cfg:1: l");
    bt_diag_format(&d.items[0], buf, 20);
    assert_string_equal(buf, "playlist.cfg:1: l");
    bt_diag_format(&d.items[0], buf, 21);
    assert_string_equal(buf, "playlist.cfg:1: lỗ");
    bt_diags_free(&d);
}

/* A message longer than the record keeps whole characters only. */
static void test_long_message_truncated(void **state)
{
    bt_diags d;
    char *long_text;
    size_t i, n = BT_MAX_DIAG_MESSAGE; /* "ữ" repeated: 3 bytes each, ~3× the capacity */
    (void)state;
    long_text = malloc(n * 3 + 2);
    assert_non_null(long_text);
    long_text[0] = 'a'; /* shift so the cut falls inside a sequence at least once */
    for (i = 0; i < n; i++)
        memcpy(long_text + 1 + i * 3, "ữ", 3);
    long_text[1 + n * 3] = '\0';
    bt_diags_init(&d);
    bt_diags_add(&d, BT_DIAG_ERROR, "a.cfg", 5, "%s", long_text);
    bt_diags_add(&d, BT_DIAG_ERROR, "a.cfg", 5, "x%s", long_text);
    bt_diags_add(&d, BT_DIAG_ERROR, "a.cfg", 5, "xy%s", long_text);
    for (i = 0; i < 3; i++) {
        size_t len = strlen(d.items[i].message);
        assert_true(len < BT_MAX_DIAG_MESSAGE);
        assert_true(len >= BT_MAX_DIAG_MESSAGE - 4);
        assert_true(bt_text_utf8_valid(d.items[i].message, len));
    }
    bt_diags_free(&d);
    free(long_text);
}

static void test_limit_counts_drops(void **state)
{
    bt_diags d;
    size_t i;
    (void)state;
    bt_diags_init(&d);
    for (i = 0; i < BT_MAX_DIAGS + 25; i++)
        bt_diags_add(&d, i % 2 ? BT_DIAG_WARNING : BT_DIAG_ERROR, "p.cfg", (int)i + 1, "số %zu",
                     i);
    assert_int_equal(d.count, BT_MAX_DIAGS);
    assert_int_equal(d.dropped, 25);
    assert_int_equal(d.errors + d.warnings, BT_MAX_DIAGS + 25);
    assert_string_equal(d.items[BT_MAX_DIAGS - 1].message, "số 199");
    bt_diags_free(&d);
}

static void test_sort_stable(void **state)
{
    bt_diags d;
    (void)state;
    bt_diags_init(&d);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 30, "c");
    bt_diags_add(&d, BT_DIAG_ERROR, "images/a.png", 0, "ảnh");
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 7, "a1");
    bt_diags_add(&d, BT_DIAG_WARNING, "playlist.cfg", 30, "d");
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 7, "a2");
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 0, "z");
    bt_diags_sort(&d);
    assert_string_equal(d.items[0].message, "ảnh");
    assert_string_equal(d.items[1].message, "z");
    assert_string_equal(d.items[2].message, "a1");
    assert_string_equal(d.items[3].message, "a2");
    assert_string_equal(d.items[4].message, "c");
    assert_string_equal(d.items[5].message, "d");
    assert_int_equal(d.items[5].severity, BT_DIAG_WARNING);
    bt_diags_free(&d);
}

/* A check names itself on the records it adds, and puts back the code it found. */
static void test_code_stamped(void **state)
{
    bt_diags d;
    (void)state;
    bt_diags_init(&d);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 1, "không mã");
    const char *previous = bt_diags_set_code(&d, "audio");
    assert_null(previous);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 2, "âm thanh");
    const char *outer = bt_diags_set_code(&d, "glyph");
    bt_diags_add(&d, BT_DIAG_WARNING, "playlist.cfg", 3, "chữ");
    bt_diags_set_code(&d, outer);
    bt_diags_add(&d, BT_DIAG_ERROR, "playlist.cfg", 4, "âm thanh nữa");
    bt_diags_set_code(&d, previous);
    assert_string_equal(d.items[0].code, "");
    assert_string_equal(d.items[1].code, "audio");
    assert_string_equal(d.items[2].code, "glyph");
    assert_string_equal(d.items[3].code, "audio");
    assert_null(d.code);
    bt_diags_free(&d);
}

static void test_tree(void **state)
{
    bt_node *root = calloc(1, sizeof(*root));
    (void)state;
    assert_non_null(root);
    root->type = BT_NODE_GROUP;
    root->child_count = 2;
    root->children = calloc(2, sizeof(bt_node));
    assert_non_null(root->children);
    root->children[0].name = strdup("id");
    root->children[0].type = BT_NODE_STRING;
    root->children[0].string_value = strdup("bachmai-cchc");
    root->children[1].name = strdup("notices");
    root->children[1].type = BT_NODE_LIST;
    root->children[1].child_count = 1;
    root->children[1].children = calloc(1, sizeof(bt_node));
    assert_non_null(root->children[1].children);
    root->children[1].children[0].type = BT_NODE_GROUP;

    assert_ptr_equal(bt_node_child(root, "id"), &root->children[0]);
    assert_ptr_equal(bt_node_child(root, "notices"), &root->children[1]);
    assert_null(bt_node_child(root, "title"));
    assert_null(bt_node_child(&root->children[1], "id")); /* a list has no named children */
    assert_null(bt_node_child(NULL, "id"));

    assert_string_equal(bt_node_type_vi(BT_NODE_GROUP), "nhóm { }");
    assert_string_equal(bt_node_type_vi(BT_NODE_LIST), "danh sách ( )");
    assert_string_equal(bt_node_type_vi(BT_NODE_ARRAY), "mảng [ ]");
    assert_string_equal(bt_node_type_vi(BT_NODE_INT), "số nguyên");
    assert_string_equal(bt_node_type_vi(BT_NODE_FLOAT), "số thực");
    assert_string_equal(bt_node_type_vi(BT_NODE_BOOL), "đúng/sai (true/false)");
    assert_string_equal(bt_node_type_vi(BT_NODE_STRING), "chuỗi");

    bt_node_clear(&root->children[1]);
    assert_int_equal(root->children[1].child_count, 0);
    assert_null(root->children[1].name);
    bt_node_destroy(root);
    bt_node_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_code_stamped),
        cmocka_unit_test(test_format_truncation_utf8),
        cmocka_unit_test(test_long_message_truncated),
        cmocka_unit_test(test_limit_counts_drops),
        cmocka_unit_test(test_sort_stable),
        cmocka_unit_test(test_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
