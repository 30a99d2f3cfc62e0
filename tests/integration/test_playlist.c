/* Playlist loading and validation, driven by data: every directory under tests/data/playlists is
 * a case, so adding a case is adding a folder.
 *   good_*  must load with no diagnostics (unless an expected.txt lists warnings) and dump
 *           exactly as expected_dump.txt;
 *   bad_*   must fail, with exactly the diagnostics in expected.txt (bt_diag_format, sorted);
 *   warn_*  must load, with exactly the warnings in expected.txt.
 * With BT_UPDATE_GOLDEN=1 in the environment the expected files are (re)written instead, for a
 * human to review before committing.
 * Also: the staff template validates, the libconfig shell refuses @include/NUL/huge/deep files,
 * symlinks are refused, a missing or broken image fails `check` but costs only its notice when
 * the kiosk loads for display, sessions outside the playlist's validity are warned about, and
 * the time predicates. */
#include "bt_test_support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#define DATA_DIR BT_SOURCE_DIR "/tests/data/playlists"
#define MAX_CASES 256

static char *path_join(const char *a, const char *b)
{
    size_t size = strlen(a) + strlen(b) + 2;
    char *p = malloc(size);
    assert_non_null(p);
    snprintf(p, size, "%s/%s", a, b);
    return p;
}

/* All diagnostics, sorted and formatted one per line (what expected.txt holds). */
static char *format_diags(bt_diags *diags)
{
    size_t cap = 1024, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    bt_diags_sort(diags);
    for (size_t i = 0; i < diags->count; i++) {
        char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
        bt_diag_format(&diags->items[i], line, sizeof line);
        size_t n = strlen(line);
        while (len + n + 2 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        memcpy(out + len, line, n);
        len += n;
        out[len++] = '\n';
        out[len] = '\0';
    }
    return out;
}

static bool updating(void)
{
    const char *v = getenv("BT_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

/* Prints the first line where two texts differ (cmocka truncates long messages). */
static void report_difference(const char *dir, const char *name, const char *expected,
                              const char *got)
{
    int line = 1;
    while (*expected && *got) {
        size_t le = strcspn(expected, "\n"), lg = strcspn(got, "\n");
        if (le != lg || memcmp(expected, got, le) != 0)
            break;
        expected += le + (expected[le] == '\n');
        got += lg + (got[lg] == '\n');
        line++;
    }
    print_error("%s/%s differs at line %d (BT_UPDATE_GOLDEN=1 rewrites it)\n", dir, name, line);
    print_error("  expected: %.*s\n", (int)strcspn(expected, "\n"), expected);
    print_error("  got:      %.*s\n", (int)strcspn(got, "\n"), got);
}

/* Compares text with the file's contents (missing file = empty); rewrites it when updating. */
static void expect_file(const char *dir, const char *name, const char *text)
{
    char *path = path_join(dir, name);
    if (updating()) {
        if (text[0] != '\0')
            assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
        else
            unlink(path);
        free(path);
        return;
    }
    char *expected = bt_test_read_file(path, NULL);
    if (!expected)
        expected = calloc(1, 1);
    assert_non_null(expected);
    if (strcmp(expected, text) != 0) {
        report_difference(dir, name, expected, text);
        fail();
    }
    free(expected);
    free(path);
}

/* Case directories with the given prefix, sorted, so failures read in a stable order. */
static size_t list_cases(const char *prefix, char **names)
{
    DIR *d = opendir(DATA_DIR);
    struct dirent *e;
    size_t n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        assert_true(n < MAX_CASES);
        names[n] = malloc(strlen(e->d_name) + 1);
        assert_non_null(names[n]);
        strcpy(names[n], e->d_name);
        n++;
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return n;
}

/* Loads one case and checks it against its expected files; returns the load status. */
static int run_case(const char *name, bool want_ok, bool check_dump)
{
    char *dir = path_join(DATA_DIR, name);
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_playlist_load(dir, &p, &diags);
    char *got = format_diags(&diags);
    if (rc != (want_ok ? 0 : -1) && !updating()) {
        print_error("case %s: load returned %d\n%s", name, rc, got);
        fail();
    }
    expect_file(dir, "expected.txt", got);
    if (want_ok) {
        assert_int_equal(diags.errors, 0);
        if (check_dump) {
            char *dump = bt_playlist_dump(&p);
            assert_non_null(dump);
            expect_file(dir, "expected_dump.txt", dump);
            free(dump);
        }
    } else {
        /* A failed load leaves nothing half-built behind. */
        assert_true(diags.errors > 0);
        assert_null(p.id);
        assert_null(p.notices);
        assert_int_equal(p.notice_count, 0);
        assert_int_equal(p.ticker_count, 0);
    }
    bt_playlist_free(&p);
    bt_diags_free(&diags);
    free(got);
    free(dir);
    return rc;
}

static void run_prefix(const char *prefix, bool want_ok, bool check_dump, size_t at_least)
{
    char *names[MAX_CASES];
    size_t n = list_cases(prefix, names);
    assert_true(n >= at_least);
    for (size_t i = 0; i < n; i++) {
        run_case(names[i], want_ok, check_dump);
        free(names[i]);
    }
}

static void test_good_playlists(void **state)
{
    (void)state;
    run_prefix("good_", true, true, 4);
}

static void test_bad_playlists(void **state)
{
    (void)state;
    run_prefix("bad_", false, false, 20);
}

static void test_warning_playlists(void **state)
{
    (void)state;
    run_prefix("warn_", true, false, 2);
}

/* The NFD case really is NFD on disk, and the model holds NFC. */
static void test_nfd_is_normalised(void **state)
{
    (void)state;
    char *cfg = bt_test_read_file(DATA_DIR "/good_nfd/playlist.cfg", NULL);
    char *dump = bt_test_read_file(DATA_DIR "/good_nfd/expected_dump.txt", NULL);
    assert_non_null(cfg);
    assert_non_null(dump);
    /* "Định" decomposed: D + U+0323 (dot below)... ; composed: U+0110 Đ then "ịnh". */
    assert_null(strstr(cfg, "Định danh"));
    assert_non_null(strstr(cfg, "i\xcc\xa3"));
    assert_non_null(strstr(dump, "title = \"Định danh điện tử cho người dân\""));
    assert_null(strstr(dump, "\xcc\xa3"));
    free(cfg);
    free(dump);

    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load(DATA_DIR "/good_nfd", &p, &diags), 0);
    assert_string_equal(p.notices[0].title, "Kích hoạt tài khoản định danh điện tử mức độ 2");
    bt_playlist_free(&p);
    bt_diags_free(&diags);
}

static void test_bom_case_has_bom(void **state)
{
    (void)state;
    char *cfg = bt_test_read_file(DATA_DIR "/good_bom/playlist.cfg", NULL);
    assert_non_null(cfg);
    assert_memory_equal(cfg, "\xef\xbb\xbf", 3);
    free(cfg);
}

/* The template staff copy must validate with no errors and no warnings. */
static void test_template_validates(void **state)
{
    (void)state;
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_playlist_load(BT_SOURCE_DIR "/playlists/template", &p, &diags);
    char *got = format_diags(&diags);
    if (rc != 0 || diags.count != 0) {
        print_error("template:\n%s", got);
        fail();
    }
    /* It shows every kind, so staff see an example of each. */
    bool kinds[BT_NOTICE_VIDEO + 1] = {false};
    for (size_t i = 0; i < p.notice_count; i++)
        kinds[p.notices[i].kind] = true;
    assert_true(kinds[BT_NOTICE_TEXT] && kinds[BT_NOTICE_IMAGE] && kinds[BT_NOTICE_QR] &&
                kinds[BT_NOTICE_VIDEO]);
    assert_true(p.ticker_count > 0);
    free(got);
    bt_playlist_free(&p);
    bt_diags_free(&diags);
}

/* Parses text as a file named "t.cfg" and returns the formatted diagnostics. */
static char *parse_diags(const char *text, size_t len, int *rc)
{
    bt_node *root = NULL;
    bt_diags diags;
    bt_diags_init(&diags);
    *rc = bt_cfgfile_parse(text, len, "t.cfg", &root, &diags);
    if (*rc == 0)
        assert_non_null(root);
    else
        assert_null(root);
    bt_node_destroy(root);
    char *out = format_diags(&diags);
    bt_diags_free(&diags);
    return out;
}

static void test_cfgfile_refuses_include(void **state)
{
    (void)state;
    int rc;
    /* libconfig 1.5 would read these files; they must never be opened. */
    const char *text = "a = 1;\n  @include \"/etc/hostname\"\nb = 2;\n";
    char *out = parse_diags(text, strlen(text), &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, "t.cfg:2: lỗi: không cho phép @include — hãy chép toàn bộ nội dung "
                             "vào một tệp duy nhất\n");
    free(out);
}

static void test_cfgfile_syntax_error(void **state)
{
    (void)state;
    int rc;
    const char *text = "a = 1;\nb 2;\nc = 3;\n";
    char *out = parse_diags(text, strlen(text), &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, "t.cfg:2: lỗi: cú pháp không hợp lệ — kiểm tra dấu ; "
                             ", ngoặc và dấu \" ở dòng này hoặc dòng trên\n");
    free(out);
    /* libconfig only notices an unclosed string at the end of the file: point at its start. */
    text = "a = 1;\nb = \"abc;\nc = 2;\n# \"trong ghi chú\"\n";
    out = parse_diags(text, strlen(text), &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, "t.cfg:4: lỗi: cú pháp không hợp lệ — có thể thiếu "
                             "dấu \" đóng chuỗi bắt đầu ở dòng 2\n");
    free(out);
    /* An escaped quote and a quote inside a comment do not mislead the hint. */
    text = "# \"\na = \"x\\\"y\";\nb = ;\n";
    out = parse_diags(text, strlen(text), &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, "t.cfg:3: lỗi: cú pháp không hợp lệ — kiểm tra dấu ; "
                             ", ngoặc và dấu \" ở dòng này hoặc dòng trên\n");
    free(out);
}

static void test_cfgfile_nul_and_size(void **state)
{
    (void)state;
    int rc;
    const char text[] = "a = 1;\nb = 2;\0c = 3;\n";
    char *out = parse_diags(text, sizeof text - 1, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(out, "t.cfg:2: lỗi: tệp chứa ký tự NUL"));
    free(out);

    size_t big = (size_t)BT_MAX_CONFIG_FILE_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    out = parse_diags(huge, big, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(out, "t.cfg: lỗi: tệp quá lớn"));
    free(out);
    /* Exactly at the limit is still read. */
    out = parse_diags(huge, big - 1, &rc);
    assert_int_equal(rc, 0);
    free(out);
    free(huge);
}

static void test_cfgfile_depth_limit(void **state)
{
    (void)state;
    char text[512] = "a = ";
    int rc;
    for (int i = 0; i < BT_MAX_CONFIG_DEPTH + 2; i++)
        strcat(text, "(");
    strcat(text, "1");
    for (int i = 0; i < BT_MAX_CONFIG_DEPTH + 2; i++)
        strcat(text, ")");
    strcat(text, ";\n");
    char *out = parse_diags(text, strlen(text), &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(out, "lồng nhau quá sâu"));
    free(out);
    /* Far deeper than libconfig's own parser stack: refused, not crashed. */
    size_t deep = 50000;
    char *huge = malloc(deep + 8);
    assert_non_null(huge);
    memcpy(huge, "a = ", 4);
    memset(huge + 4, '(', deep);
    out = parse_diags(huge, deep + 4, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(out, "lồng nhau quá sâu"));
    free(out);
    free(huge);
}

static void test_cfgfile_tree_lines_and_types(void **state)
{
    (void)state;
    const char *text = "\xef\xbb\xbf# c\nn = 5000000000L;\nf = 1.5;\nb = true;\n"
                       "s = \"x\";\ng = { l = ( 1, \"a\" ); r = [ 1, 2 ]; };\n";
    bt_node *root = NULL;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_cfgfile_parse(text, strlen(text), "t.cfg", &root, &diags), 0);
    assert_int_equal(diags.count, 0);
    const bt_node *n = bt_node_child(root, "n");
    assert_non_null(n);
    assert_int_equal(n->type, BT_NODE_INT);
    assert_true(n->int_value == 5000000000LL);
    assert_int_equal(n->line, 2);
    assert_int_equal(bt_node_child(root, "f")->type, BT_NODE_FLOAT);
    assert_int_equal(bt_node_child(root, "b")->type, BT_NODE_BOOL);
    assert_string_equal(bt_node_child(root, "s")->string_value, "x");
    const bt_node *g = bt_node_child(root, "g");
    assert_int_equal(g->type, BT_NODE_GROUP);
    assert_int_equal(g->line, 6);
    assert_int_equal(bt_node_child(g, "l")->type, BT_NODE_LIST);
    assert_int_equal(bt_node_child(g, "l")->child_count, 2);
    assert_int_equal(bt_node_child(g, "r")->type, BT_NODE_ARRAY);
    bt_node_destroy(root);
    bt_diags_free(&diags);
}

static void test_missing_files(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("playlist-missing");
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load(dir, &p, &diags), -1);
    assert_int_equal(diags.count, 1);
    assert_non_null(strstr(diags.items[0].message, "không tìm thấy tệp playlist.cfg"));
    assert_non_null(strstr(diags.items[0].message, dir));
    bt_diags_free(&diags);

    bt_node *root = NULL;
    bt_diags_init(&diags);
    char *path = path_join(dir, "khong-co.cfg");
    assert_int_equal(bt_cfgfile_read(path, "khong-co.cfg", &root, &diags), -1);
    char line[1024];
    bt_diag_format(&diags.items[0], line, sizeof line);
    assert_string_equal(line, "khong-co.cfg: lỗi: không đọc được tệp \"khong-co.cfg\": không tìm "
                              "thấy tệp — kiểm tra tên tệp và thư mục");
    bt_diags_free(&diags);
    free(path);
    free(dir);
}

/* Copies the minimal good case plus an image notice into a temp dir, with `image` made by cmd. */
static char *symlink_case(const char *name, const char *image_value, const char *setup)
{
    char *dir = bt_test_temp_dir(name);
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "cd '%s' && mkdir -p images && %s", dir, setup);
    free(bt_test_run(cmd, &status));
    assert_int_equal(status, 0);
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "id = \"s\";\nversion = 1;\ntitle = \"S\";\nnotices = (\n"
             "  { id = \"a\"; kind = \"image\";\n    image = \"%s\"; }\n);\n",
             image_value);
    char *path = path_join(dir, "playlist.cfg");
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
    free(path);
    return dir;
}

static void expect_single(const char *dir, const char *expected)
{
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_playlist_load(dir, &p, &diags);
    char *got = format_diags(&diags);
    assert_int_equal(rc, expected ? -1 : 0);
    assert_string_equal(got, expected ? expected : "");
    free(got);
    bt_playlist_free(&p);
    bt_diags_free(&diags);
}

static void test_symlinks_refused(void **state)
{
    (void)state;
    const char *link_msg = "playlist.cfg:6: lỗi: tệp ảnh \"images/a.png\" là một liên kết "
                           "(shortcut/symlink) hoặc nằm ngoài thư mục playlist — hãy chép chính "
                           "tệp ảnh vào thư mục images/ của playlist\n";
    char src[1024];
    snprintf(src, sizeof src, "%s/good_full/images/quy-trinh.png", DATA_DIR);
    char setup[2048];

    /* The real file works... */
    snprintf(setup, sizeof setup, "cp '%s' images/a.png", src);
    char *dir = symlink_case("playlist-real", "images/a.png", setup);
    expect_single(dir, NULL);
    free(dir);
    /* ...a symlink to the same file does not. */
    snprintf(setup, sizeof setup, "ln -s '%s' images/a.png", src);
    dir = symlink_case("playlist-link-file", "images/a.png", setup);
    expect_single(dir, link_msg);
    free(dir);
    /* Nor does a real file inside a symlinked directory. */
    snprintf(setup, sizeof setup, "rmdir images && mkdir -p ../outside && cp '%s' ../outside/a.png "
             "&& ln -s ../outside images", src);
    dir = symlink_case("playlist-link-dir", "images/a.png", setup);
    expect_single(dir, link_msg);
    free(dir);
    /* A directory where a file is expected is "missing". */
    dir = symlink_case("playlist-dir-as-image", "images", "true");
    expect_single(dir, "playlist.cfg:6: lỗi: không tìm thấy tệp ảnh \"images\" trong thư mục "
                       "playlist — kiểm tra tên tệp (phân biệt chữ hoa, chữ thường và phần đuôi "
                       ".png/.jpg) và thư mục chứa ảnh\n");
    free(dir);
}

/* Validates playlist.cfg text in core alone (no probe: files are not looked at), expecting rc;
 * returns the diagnostics as expected.txt would hold them (caller frees). */
static char *validate_text(const char *text, int rc)
{
    bt_node *root = NULL;
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_cfgfile_parse(text, strlen(text), "playlist.cfg", &root, &diags), 0);
    assert_int_equal(bt_playlist_from_tree(root, "playlist.cfg", NULL, &p, &diags), rc);
    char *got = format_diags(&diags);
    bt_playlist_free(&p);
    bt_node_destroy(root);
    bt_diags_free(&diags);
    return got;
}

/* Validation without a probe (core alone) still checks paths but not files. */
static void test_no_probe(void **state)
{
    (void)state;
    char *got = validate_text(
        "id = \"x\"; version = 1; title = \"T\";\nnotices = (\n"
        " { id = \"a\"; kind = \"image\"; image = \"images/khong-co.png\"; },\n"
        " { id = \"b\"; kind = \"image\"; image = \"../x.png\"; }\n);\n",
        -1);
    assert_non_null(strstr(got, "playlist.cfg:4: lỗi: đường dẫn ảnh \"../x.png\" không được phép"));
    assert_int_equal(strchr(got, '\n') - got + 1, (long)strlen(got)); /* one line only */
    free(got);
}

/* ---- a lost image costs its notice, not the screen (issue 10) ----------------------------- */

/* A playlist of three notices, "chao" (text) and two images, in a temp dir; both images are
 * copies of the good case's picture, then `lost` is deleted or `broken` cut short. */
static char *three_notices(const char *name, const char *setup)
{
    char *dir = bt_test_temp_dir(name);
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p images && cp '%s/good_full/images/quy-trinh.png' images/co.png "
             "&& cp images/co.png images/mat.png && %s",
             dir, DATA_DIR, setup);
    free(bt_test_run(cmd, &status));
    assert_int_equal(status, 0);
    const char *cfg = "id = \"ba\";\nversion = 1;\ntitle = \"Ba thông báo\";\nnotices = (\n"
                      "  { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; },\n"
                      "  { id = \"anh-co\"; kind = \"image\"; image = \"images/co.png\"; },\n"
                      "  { id = \"anh-mat\"; kind = \"image\"; image = \"images/mat.png\"; }\n"
                      ");\n";
    char *path = path_join(dir, "playlist.cfg");
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
    free(path);
    return dir;
}

/* Loads dir both ways: strict fails with `strict_error`, the display load keeps the playlist with
 * "anh-mat" unavailable and says `display_warning`. */
static void expect_lenient_for_display(const char *dir, const char *strict_error,
                                       const char *display_warning)
{
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load(dir, &p, &diags), -1);
    char *got = format_diags(&diags);
    assert_string_equal(got, strict_error);
    free(got);
    bt_diags_free(&diags);

    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load_for_display(dir, &p, &diags), 0);
    got = format_diags(&diags);
    assert_string_equal(got, display_warning);
    free(got);
    assert_int_equal(diags.errors, 0);
    assert_int_equal(p.notice_count, 3);
    assert_int_equal(bt_playlist_usable_notices(&p), 2);
    assert_false(p.notices[0].unavailable);
    assert_false(p.notices[1].unavailable);
    assert_true(p.notices[2].unavailable);
    assert_string_equal(p.notices[2].image, "images/mat.png");
    char *dump = bt_playlist_dump(&p);
    assert_non_null(strstr(dump, "notices[2].unavailable = true\n"));
    assert_null(strstr(dump, "notices[1].unavailable"));
    free(dump);
    bt_playlist_free(&p);
    bt_diags_free(&diags);
}

static void test_missing_image_costs_one_notice_on_display(void **state)
{
    (void)state;
    char *dir = three_notices("playlist-image-deleted", "rm images/mat.png");
    expect_lenient_for_display(
        dir,
        "playlist.cfg:7: lỗi: không tìm thấy tệp ảnh \"images/mat.png\" trong thư mục playlist "
        "— kiểm tra tên tệp (phân biệt chữ hoa, chữ thường và phần đuôi .png/.jpg) và thư mục "
        "chứa ảnh\n",
        "playlist.cfg:7: cảnh báo: thông báo \"anh-mat\": không tìm thấy tệp ảnh "
        "\"images/mat.png\" trong thư mục playlist — thông báo này tạm không chiếu, các thông "
        "báo khác vẫn chiếu bình thường; hãy nạp lại playlist từ USB\n");
    free(dir);

    /* Broken rather than gone: a PNG cut in the middle of a chunk. */
    dir = three_notices("playlist-image-broken", "head -c 200 images/co.png > images/mat.png");
    expect_lenient_for_display(
        dir,
        "playlist.cfg:7: lỗi: tệp \"images/mat.png\" không phải ảnh PNG hoặc JPEG đọc được (tệp "
        "hỏng hoặc sai định dạng) — hãy mở ảnh và lưu lại dưới dạng PNG hoặc JPEG\n",
        "playlist.cfg:7: cảnh báo: thông báo \"anh-mat\": tệp \"images/mat.png\" không phải ảnh "
        "PNG hoặc JPEG đọc được (tệp hỏng hoặc sai định dạng) — thông báo này tạm không chiếu, "
        "các thông báo khác vẫn chiếu bình thường; hãy nạp lại playlist từ USB\n");
    free(dir);

    /* Only what is on disk is forgiven: a path playlist.cfg itself gets wrong still fails. */
    dir = symlink_case("playlist-display-bad-path", "../ngoai.png", "true");
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load_for_display(dir, &p, &diags), -1);
    assert_int_equal(diags.errors, 1);
    bt_diags_free(&diags);
    free(dir);
}

/* `bangtin check` says where the loudspeaker promises more than the playlist's validity. */
static void test_sessions_outside_validity_are_warned(void **state)
{
    (void)state;
    const char *text =
        "id = \"q4\"; version = 1; title = \"Quý IV\";\n"
        "valid_from = \"01/10/2025\"; valid_until = \"31/12/2025\";\n"
        "notices = ( { id = \"a\"; kind = \"text\"; title = \"A\"; } );\n"
        "broadcasts = {\n"
        "  items = ( { id = \"tin\"; title = \"Tin\"; audio = \"audio/tin.ogg\"; } );\n"
        "  sessions = (\n"
        "    { id = \"sang\"; name = \"Sáng\"; times = \"06:00\"; items = [ \"tin\" ]; },\n"
        "    { id = \"chieu\"; name = \"Chiều\"; times = \"17:00\"; until = \"31/01/2026\";\n"
        "      items = [ \"tin\" ]; },\n"
        "    { id = \"tet\"; name = \"Tết\"; times = \"07:00\"; from = \"01/02/2026\";\n"
        "      until = \"28/02/2026\"; items = [ \"tin\" ]; },\n"
        "    { id = \"mot-lan\"; name = \"Một lần\";\n"
        "      at = [ \"2025-12-31 06:30\", \"2026-01-02 06:30\" ]; items = [ \"tin\" ]; }\n"
        "  );\n"
        "};\n";
    char *got = validate_text(text, 0);
    assert_string_equal(
        got,
        "playlist.cfg:8: cảnh báo: buổi phát \"chieu\" ghi phát đến 31/01/2026, nhưng playlist "
        "chỉ có hiệu lực từ 01/10/2025 đến 31/12/2025 — loa chỉ phát (và phát bù) buổi này trong "
        "thời hạn của playlist; hãy sửa from/until của buổi phát hoặc valid_from/valid_until\n"
        "playlist.cfg:10: cảnh báo: buổi phát \"tet\" phát từ 01/02/2026 đến 28/02/2026, nằm "
        "hoàn toàn ngoài thời hạn của playlist (từ 01/10/2025 đến 31/12/2025) — buổi này sẽ không "
        "bao giờ phát trên loa; hãy kiểm tra from/until của buổi phát hoặc valid_from/valid_until\n"
        "playlist.cfg:12: cảnh báo: thời điểm phát một lần 06:30 02/01/2026 của buổi phát "
        "\"mot-lan\" nằm ngoài thời hạn của playlist (từ 01/10/2025 đến 31/12/2025) — loa sẽ "
        "không phát lần này; hãy sửa at hoặc valid_from/valid_until\n");
    free(got);
}

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

static void test_in_time(void **state)
{
    (void)state;
    bt_playlist p;
    bt_diags diags;
    bt_diags_init(&diags);
    assert_int_equal(bt_playlist_load(DATA_DIR "/good_full", &p, &diags), 0);
    const bt_notice *dvc = &p.notices[0]; /* 01/10–31/12/2025, T2-T6, 07:30-11:30,13:30-17:00 */
    assert_true(bt_notice_in_time(dvc, at(2025, 10, 1, 7, 30)));      /* Wednesday */
    assert_false(bt_notice_in_time(dvc, at(2025, 10, 1, 7, 29)));
    assert_true(bt_notice_in_time(dvc, at(2025, 10, 1, 11, 29)));
    assert_false(bt_notice_in_time(dvc, at(2025, 10, 1, 11, 30)));    /* end is exclusive */
    assert_true(bt_notice_in_time(dvc, at(2025, 10, 1, 16, 59)));
    assert_false(bt_notice_in_time(dvc, at(2025, 10, 4, 9, 0)));      /* Saturday */
    assert_false(bt_notice_in_time(dvc, at(2025, 9, 30, 9, 0)));      /* before from */
    assert_true(bt_notice_in_time(dvc, at(2025, 12, 31, 9, 0)));      /* until inclusive */
    assert_false(bt_notice_in_time(dvc, at(2026, 1, 1, 9, 0)));
    const bt_notice *hn = &p.notices[3]; /* 10–12/10/2025 (Fri–Sun), T7-CN, 08:00-09:00 */
    assert_false(bt_notice_in_time(hn, at(2025, 10, 10, 8, 30)));     /* Friday */
    assert_true(bt_notice_in_time(hn, at(2025, 10, 11, 8, 30)));      /* Saturday */
    assert_false(bt_notice_in_time(hn, at(2025, 10, 11, 9, 0)));
    assert_true(bt_notice_in_time(hn, at(2025, 10, 12, 8, 0)));       /* Sunday */
    assert_false(bt_notice_in_time(hn, at(2025, 10, 13, 8, 30)));     /* after until */
    const bt_notice *qt = &p.notices[1]; /* T2,T4,CN all day */
    assert_true(bt_notice_in_time(qt, at(2025, 10, 5, 0, 0)));        /* Sunday */
    assert_true(bt_notice_in_time(qt, at(2025, 10, 6, 23, 59)));      /* Monday */
    assert_false(bt_notice_in_time(qt, at(2025, 10, 7, 12, 0)));      /* Tuesday */

    assert_false(bt_playlist_in_validity(&p, at(2025, 9, 30, 23, 59)));
    assert_true(bt_playlist_in_validity(&p, at(2025, 10, 1, 0, 0)));
    assert_true(bt_playlist_in_validity(&p, at(2026, 12, 31, 23, 59)));
    assert_false(bt_playlist_in_validity(&p, at(2027, 1, 1, 0, 0)));
    /* Local midnight, not UTC: 31/12/2026 17:00 UTC is already 01/01/2027 in Hà Nội. */
    assert_false(bt_playlist_in_validity(&p, (bt_wall)1798736400));
    assert_string_equal(bt_notice_kind_name(BT_NOTICE_QR), "qr");
    bt_playlist_free(&p);
    bt_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_playlists),
        cmocka_unit_test(test_bad_playlists),
        cmocka_unit_test(test_warning_playlists),
        cmocka_unit_test(test_nfd_is_normalised),
        cmocka_unit_test(test_bom_case_has_bom),
        cmocka_unit_test(test_template_validates),
        cmocka_unit_test(test_cfgfile_refuses_include),
        cmocka_unit_test(test_cfgfile_syntax_error),
        cmocka_unit_test(test_cfgfile_nul_and_size),
        cmocka_unit_test(test_cfgfile_depth_limit),
        cmocka_unit_test(test_cfgfile_tree_lines_and_types),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_symlinks_refused),
        cmocka_unit_test(test_no_probe),
        cmocka_unit_test(test_missing_image_costs_one_notice_on_display),
        cmocka_unit_test(test_sessions_outside_validity_are_warned),
        cmocka_unit_test(test_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
