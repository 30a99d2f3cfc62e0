/* `bangtin check` in one pass (issue 11, items 2 and 3), through the program as staff run it:
 * a playlist with one error of every kind the checks know gets all of them in one run, sorted
 * by line, each with its code, also through check --json read back as a tool would; a syntax
 * error stops the rest and says so; the glyph, control-character, contrast, tiny-image and
 * long-QR checks each give their message on their line; pack shows warnings and refuses on
 * errors. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt_test_json.h"

#define BANGTIN "env BANGTIN_CONFIG= " BT_BANGTIN_EXE
#define CHECK_DATA BT_SOURCE_DIR "/tests/data/check"
#define EVERY_KIND BT_SOURCE_DIR "/tests/data/playlists/check_every_kind"
#define EVERY_KIND_CFG CHECK_DATA "/check-every-kind.cfg"
#define CMD_BYTES 4096

static char *run(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static void must_show(const char *out, const char *what)
{
    if (!strstr(out, what))
        fail_msg("missing \"%s\" in:\n%s", what, out);
}

static char *path_in(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *p = malloc(size);
    assert_non_null(p);
    snprintf(p, size, "%s/%s", dir, name);
    return p;
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char *path = path_in(dir, name);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    free(path);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
    size_t len;
    char *data = bt_test_read_file(from, &len);
    assert_non_null(data);
    char *path = path_in(dir, name);
    assert_int_equal(bt_test_write_file(path, data, len), 0);
    free(path);
    free(data);
}

/* A playlist folder in the build tree holding playlist.cfg = text (and images/, audio/). */
static char *playlist_dir(const char *name, const char *text)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    char cmd[CMD_BYTES];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/images' '%s/audio'", dir, dir);
    assert_int_equal(system(cmd), 0);
    write_text(dir, "playlist.cfg", text);
    return dir;
}

/* `bangtin [--config CFG] check [--json] DIR`; cfg NULL: the embedded defaults. */
static char *check(const char *cfg, const char *dir, bool json, int *status)
{
    char cmd[CMD_BYTES];
    snprintf(cmd, sizeof cmd, "%s%s%s check %s'%s' 2>&1", BANGTIN, cfg ? " --config " : "",
             cfg ? cfg : "", json ? "--json " : "", dir);
    return run(cmd, status);
}

/* check --json, read back; fails the test when it is not one JSON value. */
static bt_test_json *check_json(const char *cfg, const char *dir, int *status)
{
    char *out = check(cfg, dir, true, status);
    bt_test_json *doc = bt_test_json_parse(out);
    if (!doc)
        fail_msg("check --json is not JSON:\n%s", out);
    free(out);
    return doc;
}

static const bt_test_json *member(const bt_test_json *object, const char *key,
                                  bt_test_json_type type)
{
    const bt_test_json *v = bt_test_json_get(object, key);
    if (!v || v->type != type)
        fail_msg("JSON member \"%s\" missing or of the wrong type", key);
    return v;
}

/* What one diagnostic of check_every_kind must be: its line, its code, words of its message. */
typedef struct {
    int line;
    const char *code;
    const char *words;
} expected_diag;

/* Every error of tests/data/playlists/check_every_kind, in the order check lists them. */
static const expected_diag EVERY_KIND_DIAGS[] = {
    {5, "playlist", "số phiên bản version = 0 không hợp lệ"},
    {13, "glyph", "\"通\" (U+901A), \"知\" (U+77E5)"},
    {14, "control-char", "khoá \"body\" có ký tự tab (U+0009, \\t)"},
    {15, "playlist", "khoá \"duraton\" không hợp lệ — có phải ý bạn là \"duration\"?"},
    {18, "playlist", "mã thông báo \"Thông Báo 2\" có ký tự không được phép"},
    {20, "glyph", "\"→\" (U+2192) — màn hình sẽ hiện ô trống"},
    {21, "playlist", "khoá \"urgent\" phải là đúng/sai"},
    {22, "playlist", "độ ưu tiên priority = 10 không hợp lệ"},
    {28, "playlist", "ngày \"31/02/2027\" không tồn tại"},
    {29, "playlist", "thứ \"T8\" không hợp lệ"},
    {30, "playlist", "khung giờ \"17:00-07:30\" bị ngược"},
    {37, "playlist", "khoảng ngày bị ngược"},
    {38, "playlist", "thời lượng duration = 1 giây"},
    {41, "playlist", "mã thông báo \"dvc\" bị trùng với thông báo ở dòng 11"},
    {45, "playlist", "thiếu khoá bắt buộc \"qr_url\""},
    {49, "playlist", "khoá \"body\" không dùng cho thông báo loại \"qr\""},
    {55, "playlist", "có phải ý bạn là \"https://dichvucong.gov.vn\"?"},
    {59, "playlist", "loại thông báo \"chu\" không hợp lệ"},
    {65, "image", "không tìm thấy tệp ảnh \"images/khong-co.png\""},
    {70, "image", "tệp \"images/hong.png\" không phải ảnh PNG hoặc JPEG"},
    {75, "playlist", "đường dẫn ảnh \"../ngoai.png\" không được phép"},
    {77, "playlist", "chỉ tiêu \"khong-co\" không có trong targets"},
    {85, "control-char", "dòng chữ chạy thứ 1 có ký tự xuống dòng (\\n)"},
    {89, "glyph", "\"📢\" (U+1F4E2)"},
    {90, "audio", "tin \"mat\" (audio/khong-co.ogg)"},
    {91, "audio", "tin \"hong\" (audio/hong.ogg)"},
    {92, "playlist", "tệp âm thanh \"audio/tin.m4a\" không được hỗ trợ"},
    {93, "playlist", "mã tin \"ngan\" bị trùng với tin ở dòng 88"},
    {98, "ward-limits", "buổi phát \"sat-gio\" lúc 06:59 dài 1:04 nên kéo dài đến 07:01"},
    {98, "ward-limits", "vượt giới hạn 1 phút mỗi buổi"},
    {99, "ward-limits", "có 5 buổi phát"},
    {100, "ward-limits", "buổi phát \"toi\" lúc 19:00 nằm ngoài khung giờ phát thanh"},
    {101, "playlist", "giờ phát \"25:00\" không có thật"},
    {101, "playlist", "dùng tin \"tin-khong-co\" nhưng không có tin nào mang mã này"},
    {102, "playlist", "cách phát bù \"thang\" không hợp lệ"},
    {103, "playlist", "buổi phát \"khong-gio\" chưa có giờ phát"},
    {104, "ward-limits", "buổi phát \"cuoi-tuan\" phát vào Thứ Bảy, Chủ Nhật, là ngày phường "
                         "không cho phát thanh: chỉ được phát T2-T6 của playlist (playlist.cfg dòng 86)"},
    {108, "playlist", "kênh \"loa\" không hợp lệ"},
};
#define EVERY_KIND_COUNT (sizeof EVERY_KIND_DIAGS / sizeof EVERY_KIND_DIAGS[0])

static void test_every_kind_in_one_pass(void **state)
{
    (void)state;
    int status;
    bt_test_json *doc = check_json(EVERY_KIND_CFG, EVERY_KIND, &status);
    assert_int_equal(status, 1);
    const bt_test_json *diags = member(doc, "diagnostics", BT_TEST_JSON_ARRAY);
    if (diags->count != EVERY_KIND_COUNT)
        fail_msg("%zu diagnostics, expected %zu", diags->count, EVERY_KIND_COUNT);
    int previous = 0;
    bool codes[6] = {false};
    static const char *const kinds[6] = {"playlist", "image", "glyph", "control-char", "audio",
                                         "ward-limits"};
    for (size_t i = 0; i < diags->count; i++) {
        const bt_test_json *d = &diags->items[i];
        const expected_diag *want = &EVERY_KIND_DIAGS[i];
        int line = (int)member(d, "line", BT_TEST_JSON_NUMBER)->number;
        const char *code = member(d, "code", BT_TEST_JSON_STRING)->string;
        const char *message = member(d, "message", BT_TEST_JSON_STRING)->string;
        assert_string_equal(member(d, "file", BT_TEST_JSON_STRING)->string, "playlist.cfg");
        assert_string_equal(member(d, "severity", BT_TEST_JSON_STRING)->string, "error");
        /* Sorted by line, whatever stage found it. */
        assert_true(line >= previous);
        previous = line;
        if (line != want->line || strcmp(code, want->code) != 0 || !strstr(message, want->words))
            fail_msg("diagnostic %zu: line %d, code %s, \"%s\"; expected line %d, code %s, "
                     "with \"%s\"", i, line, code, message, want->line, want->code, want->words);
        for (size_t k = 0; k < 6; k++)
            codes[k] = codes[k] || strcmp(code, kinds[k]) == 0;
    }
    for (size_t k = 0; k < 6; k++)
        if (!codes[k])
            fail_msg("no diagnostic with code %s", kinds[k]);
    const bt_test_json *summary = member(doc, "summary", BT_TEST_JSON_OBJECT);
    assert_false(member(summary, "valid", BT_TEST_JSON_BOOL)->boolean);
    assert_int_equal((int)member(summary, "errors", BT_TEST_JSON_NUMBER)->number,
                     (int)EVERY_KIND_COUNT);
    assert_int_equal((int)member(summary, "warnings", BT_TEST_JSON_NUMBER)->number, 0);
    assert_false(member(summary, "stopped_at_syntax", BT_TEST_JSON_BOOL)->boolean);
    member(summary, "playlist", BT_TEST_JSON_NULL);
    bt_test_json_free(doc);

    /* The text staff read: the same list, one "file:line: lỗi:" per line, then the verdict. */
    char *out = check(EVERY_KIND_CFG, EVERY_KIND, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:13: lỗi: khoá \"title\" có ký tự mà phông chữ của màn hình "
                   "không có: \"通\" (U+901A), \"知\" (U+77E5)");
    must_show(out, "playlist.cfg:100: lỗi: buổi phát \"toi\" lúc 19:00 nằm ngoài khung giờ");
    char verdict[128];
    snprintf(verdict, sizeof verdict, "Không hợp lệ: %zu lỗi trong", EVERY_KIND_COUNT);
    must_show(out, verdict);
    free(out);
}

/* The issue's own case: a key typo, a missing image and a session outside the ward's hours
 * used to show 3 errors, then 1, then a new one. All three come out of the first run. */
static void test_typo_image_and_hours_together(void **state)
{
    (void)state;
    char *dir = playlist_dir("check-three-stages",
        "id = \"ba-loi\";\nversion = 1;\ntitle = \"Ba lỗi\";\n"
        "notices = (\n"
        "  { id = \"a\"; kind = \"text\"; title = \"A\"; duraton = 20; },\n"
        "  { id = \"b\"; kind = \"image\"; image = \"images/khong-co.png\"; }\n);\n"
        "broadcasts = {\n"
        "  items = ( { id = \"t\"; title = \"Tin\"; audio = \"audio/t.ogg\"; } );\n"
        "  sessions = ( { id = \"toi\"; name = \"Tối\"; times = \"20:00\"; items = [ \"t\" ]; } );\n"
        "};\n");
    copy_file(EVERY_KIND "/audio/ngan.ogg", dir, "audio/t.ogg");
    int status;
    char *out = check(NULL, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:5: lỗi: khoá \"duraton\" không hợp lệ");
    must_show(out, "playlist.cfg:6: lỗi: không tìm thấy tệp ảnh \"images/khong-co.png\"");
    must_show(out, "playlist.cfg:10: lỗi: buổi phát \"toi\" lúc 20:00 nằm ngoài khung giờ");
    must_show(out, "Không hợp lệ: 3 lỗi trong");
    /* Sorted by line. */
    assert_true(strstr(out, "cfg:5:") < strstr(out, "cfg:6:"));
    assert_true(strstr(out, "cfg:6:") < strstr(out, "cfg:10:"));
    free(out);
    free(dir);
}

/* An item too long for the ward's sessions is reported beside a date error, not after it. */
static void test_audio_length_beside_date_error(void **state)
{
    (void)state;
    char *dir = playlist_dir("check-audio-date",
        "id = \"dai\";\nversion = 1;\ntitle = \"Dài\";\nvalid_until = \"31/02/2027\";\n"
        "notices = ( { id = \"a\"; kind = \"text\"; title = \"A\"; } );\n"
        "broadcasts = {\n"
        "  items = ( { id = \"d\"; title = \"Tin dài\"; audio = \"audio/d.ogg\"; } );\n"
        "  sessions = ( { id = \"s\"; name = \"Sáng\"; times = \"06:00\"; items = [ \"d\", \"d\" ]; } );\n"
        "};\n");
    copy_file(EVERY_KIND "/audio/dai.ogg", dir, "audio/d.ogg");
    int status;
    char *out = check(EVERY_KIND_CFG, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:4: lỗi: ngày \"31/02/2027\" không tồn tại");
    must_show(out, "playlist.cfg:8: lỗi: buổi phát \"s\" dài 1:04 (2 tin), vượt giới hạn 1 phút");
    must_show(out, "Không hợp lệ: 2 lỗi trong");
    free(out);
    free(dir);
}

/* The ward's limits from both places (issue 11): the playlist permits 05:30-07:00 on T2-T6, the
 * appliance's config only 06:00-06:30 on T2-T5; the stricter config wins, and check names its
 * file and line and says why the playlist's own limits were not enough. */
static void test_appliance_limits_stricter_than_playlist(void **state)
{
    (void)state;
    char *dir = playlist_dir("check-ward-limits",
        "id = \"gioi-han\";\nversion = 1;\ntitle = \"Giới hạn\";\n"
        "notices = ( { id = \"a\"; kind = \"text\"; title = \"A\"; } );\n"
        "broadcasts = {\n"
        "  limits = { hours = \"05:30-07:00\"; weekdays = \"T2-T6\"; };\n"
        "  items = ( { id = \"n\"; title = \"Tin ngắn\"; audio = \"audio/n.ogg\"; } );\n"
        "  sessions = ( { id = \"s\"; name = \"Sáng\"; times = \"06:45\"; weekdays = \"T2-T6\";\n"
        "                 items = [ \"n\" ]; } );\n"
        "};\n");
    copy_file(EVERY_KIND "/audio/ngan.ogg", dir, "audio/n.ogg");
    write_text(dir, "may.cfg",
               "# the appliance's config\n"
               "broadcast = {\n"
               "  windows = \"06:00-06:30,16:30-18:30\";\n"
               "  weekdays = \"T2-T5\";\n"
               "};\n");
    char *cfg = path_in(dir, "may.cfg");
    int status;
    char *out = check(cfg, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:8: lỗi: buổi phát \"s\" lúc 06:45 nằm ngoài khung giờ phát thanh "
                   "của phường: 06:00-06:30, 16:30-18:30 của máy (may.cfg dòng 3) (playlist cho "
                   "phép, nhưng cấu hình của máy chặt hơn nên được áp dụng");
    must_show(out, "playlist.cfg:8: lỗi: buổi phát \"s\" phát vào Thứ Sáu, là ngày phường không "
                   "cho phát thanh: chỉ được phát T2-T5 của máy (may.cfg dòng 4) (playlist cho "
                   "phép, nhưng cấu hình của máy chặt hơn nên được áp dụng; muốn đổi thì nhờ người "
                   "quản trị máy sửa may.cfg)");
    must_show(out, "Không hợp lệ: 2 lỗi trong");
    free(out);
    /* With the appliance's defaults the playlist's own limits hold and it passes. */
    out = check(NULL, dir, false, &status);
    if (status != 0)
        fail_msg("expected valid with the default config:\n%s", out);
    free(out);
    free(cfg);
    free(dir);
}

static void test_syntax_error_stops_and_says_so(void **state)
{
    (void)state;
    const char *dir = BT_SOURCE_DIR "/tests/data/playlists/bad_syntax_missing_paren";
    int status;
    char *out = check(NULL, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:6: lỗi: cú pháp không hợp lệ");
    must_show(out, "Máy dừng đọc tệp playlist.cfg ở lỗi trên (lỗi cú pháp hoặc không đọc được "
                   "tệp) nên chưa kiểm tra được phần còn lại");
    free(out);
    bt_test_json *doc = check_json(NULL, dir, &status);
    assert_int_equal(status, 1);
    const bt_test_json *summary = member(doc, "summary", BT_TEST_JSON_OBJECT);
    assert_true(member(summary, "stopped_at_syntax", BT_TEST_JSON_BOOL)->boolean);
    const bt_test_json *diags = member(doc, "diagnostics", BT_TEST_JSON_ARRAY);
    assert_int_equal(diags->count, 1);
    assert_string_equal(member(&diags->items[0], "code", BT_TEST_JSON_STRING)->string, "syntax");
    assert_int_equal((int)member(&diags->items[0], "line", BT_TEST_JSON_NUMBER)->number, 6);
    bt_test_json_free(doc);
}

/* Characters the bundled Noto Sans lacks, and a tab, each named on its own line. */
static void test_glyphs_and_tab(void **state)
{
    (void)state;
    char *dir = playlist_dir("check-glyphs",
        "id = \"chu\";\nversion = 1;\ntitle = \"Chữ\";\n"
        "notices = (\n"
        "  { id = \"a\"; kind = \"text\";\n"
        "    title = \"Thông báo 通知\";\n"
        "    body = \"Nộp hồ sơ → nhận kết quả.\\tCảm ơn.\\nĐoạn hai được xuống dòng.\"; }\n"
        ");\n"
        "ticker = [ \"📢 Loa phường thông báo\" ];\n");
    int status;
    char *out = check(NULL, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:6: lỗi: khoá \"title\" có ký tự mà phông chữ của màn hình không "
                   "có: \"通\" (U+901A), \"知\" (U+77E5) — màn hình sẽ hiện ô trống thay cho "
                   "chúng; hãy xoá hoặc thay bằng chữ tiếng Việt, chữ số hay dấu thông thường\n");
    must_show(out, "playlist.cfg:7: lỗi: khoá \"body\" có ký tự tab (U+0009, \\t) — màn hình "
                   "không hiển thị được ký tự này; hãy thay bằng một dấu cách\n");
    must_show(out, "playlist.cfg:7: lỗi: khoá \"body\" có ký tự mà phông chữ của màn hình không "
                   "có: \"→\" (U+2192) — màn hình sẽ hiện ô trống thay cho chúng; hãy xoá hoặc "
                   "thay bằng chữ tiếng Việt, chữ số hay dấu thông thường (thay \"→\" (U+2192) "
                   "bằng \"->\")\n");
    must_show(out, "playlist.cfg:9: lỗi: dòng chữ chạy thứ 1 có ký tự mà phông chữ của màn hình "
                   "không có: \"📢\" (U+1F4E2)");
    /* A line break is a paragraph in a body: not an error. */
    assert_null(strstr(out, "xuống dòng"));
    must_show(out, "Không hợp lệ: 4 lỗi trong");
    free(out);
    /* Vietnamese, Latin punctuation and the dashes staff type are all there. */
    write_text(dir, "playlist.cfg",
               "id = \"chu\";\nversion = 1;\ntitle = \"Chữ\";\nnotices = ( { id = \"a\"; "
               "kind = \"text\"; title = \"Ỗ Ặ ữ đ – “trích” 1/2 (10%)…\"; } );\n");
    out = check(NULL, dir, false, &status);
    assert_int_equal(status, 0);
    must_show(out, "Hợp lệ:");
    free(out);
    free(dir);
}

static void test_low_contrast_config_refused(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " config " CHECK_DATA "/tuong-phan-thap.cfg", &status);
    assert_int_equal(status, 1);
    must_show(out, CHECK_DATA "/tuong-phan-thap.cfg:4: lỗi: chữ nội dung: màu chữ "
                   "\"theme.foreground\" = \"#888888\" trên màu nền \"theme.background\" = "
                   "\"#777777\" chỉ tương phản 1.2:1, cần ít nhất 7:1 để người đứng xa và người "
                   "lớn tuổi đọc được — hãy chọn \"theme.foreground\" sáng hơn hoặc "
                   "\"theme.background\" tối hơn\n");
    assert_null(strstr(out, "hợp lệ."));
    free(out);
    /* Every other command refuses to run on it too. */
    out = run(BANGTIN " --config " CHECK_DATA "/tuong-phan-thap.cfg version 2>&1", &status);
    assert_int_equal(status, 1);
    must_show(out, "tuong-phan-thap.cfg:4: lỗi: chữ nội dung");
    free(out);
}

/* A tiny image notice, laid out on the default full-HD screen. */
static char *tiny_image_playlist(const char *name)
{
    char *dir = playlist_dir(name,
        "id = \"anh-nho\";\nversion = 1;\ntitle = \"Ảnh nhỏ\";\n"
        "notices = (\n"
        "  { id = \"chu\"; kind = \"text\"; title = \"Chữ\"; },\n"
        "  { id = \"so-do\"; kind = \"image\"; image = \"images/so-do.png\"; }\n"
        ");\n");
    copy_file(CHECK_DATA "/nho-40x30.png", dir, "images/so-do.png");
    return dir;
}

static void test_tiny_image_warned(void **state)
{
    (void)state;
    char *dir = tiny_image_playlist("check-tiny-image");
    int status;
    char *out = check(NULL, dir, false, &status);
    assert_int_equal(status, 0);
    must_show(out, "playlist.cfg:6: cảnh báo: thông báo \"so-do\": ảnh \"images/so-do.png\" chỉ "
                   "có 40×30 điểm ảnh nhưng phải phóng to ");
    must_show(out, " lần để lấp khung ");
    must_show(out, " trên màn hình ngang 1920×1080 nên sẽ bị nhoè — hãy dùng ảnh gốc lớn hơn, "
                   "ít nhất ");
    must_show(out, " trên màn hình dọc 1080×1920 nên sẽ bị nhoè");
    must_show(out, "Hợp lệ: playlist \"anh-nho\" phiên bản 1 — 2 thông báo, 0 dòng chữ chạy (2 "
                   "cảnh báo).");
    free(out);
    free(dir);
}

/* ghi-nhan.csv beside playlist.cfg: check names each bad row with the file and its line, pack
 * refuses the folder; once the rows are fixed both pass. */
static void test_records_csv_checked(void **state)
{
    (void)state;
    char *dir = playlist_dir("check-records-csv",
                             "id = \"ghi-nhan\";\nversion = 1;\ntitle = \"Ghi nhận\";\n"
                             "notices = ( { id = \"chu\"; kind = \"text\"; title = \"Chữ\"; } );\n");
    write_text(dir, "ghi-nhan.csv",
               "\xEF\xBB\xBFNgày;Kênh;Số lượng;Ghi chú\r\n14/10/2025;Trang phường;2;\r\n"
               "31/10/2025;Loa phường;1;\r\n01/11/2025;Zalo;hai;\r\n");
    int status;
    char *out = check(NULL, dir, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "ghi-nhan.csv:3: lỗi: kênh \"Loa phường\" không cần ghi nhận");
    must_show(out, "ghi-nhan.csv:4: lỗi: số lượng \"hai\" không hợp lệ — hãy ghi một số nguyên");
    free(out);
    write_text(dir, "ghi-nhan.csv",
               "\xEF\xBB\xBFNgày;Kênh;Số lượng;Ghi chú\r\n14/10/2025;Trang phường;2;\r\n"
               "01/11/2025;Zalo;2;\r\n");
    out = check(NULL, dir, false, &status);
    assert_int_equal(status, 0);
    must_show(out, "Hợp lệ: playlist \"ghi-nhan\"");
    free(out);
    free(dir);
}

/* A 509-byte URL makes a version-18 code (89 modules): 3 px a module at 1366×768. */
static void test_long_qr_warned(void **state)
{
    (void)state;
    char url[600] = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
                    "?ma_thu_tuc=";
    for (size_t n = strlen(url); n < 509; n++)
        url[n] = (char)('a' + n % 26);
    url[509] = '\0';
    char text[2048];
    snprintf(text, sizeof text,
             "id = \"qr-dai\";\nversion = 1;\ntitle = \"QR dài\";\nnotices = (\n"
             "  { id = \"ngan\"; kind = \"qr\"; title = \"Cổng Dịch vụ công\";\n"
             "    qr_url = \"https://dichvucong.gov.vn\"; },\n"
             "  { id = \"tra-cuu\"; kind = \"qr\"; title = \"Tra cứu thủ tục hành chính\";\n"
             "    qr_url = \"%s\"; }\n);\n", url);
    char *dir = playlist_dir("check-long-qr", text);
    int status;
    char *out = check(CHECK_DATA "/man-hinh-1366x768.cfg", dir, false, &status);
    assert_int_equal(status, 0);
    must_show(out, "playlist.cfg:7: cảnh báo: thông báo \"tra-cuu\": địa chỉ qr_url dài 509 byte "
                   "nên mã QR có 89×89 ô, mỗi ô chỉ còn 3 điểm ảnh trên màn hình ngang 1366×768 "
                   "(cần ít nhất 4 để điện thoại quét được từ 1–2 m) — hãy dùng địa chỉ ngắn "
                   "hơn, tối đa khoảng 504 ký tự");
    /* Only the configured screen is judged, and the short URL scans. */
    assert_null(strstr(out, "1920×1080"));
    assert_null(strstr(out, "thông báo \"ngan\""));
    must_show(out, "(1 cảnh báo).");
    free(out);
    bt_test_json *doc = check_json(CHECK_DATA "/man-hinh-1366x768.cfg", dir, &status);
    const bt_test_json *diags = member(doc, "diagnostics", BT_TEST_JSON_ARRAY);
    assert_int_equal(diags->count, 1);
    assert_string_equal(member(&diags->items[0], "severity", BT_TEST_JSON_STRING)->string,
                        "warning");
    assert_string_equal(member(&diags->items[0], "code", BT_TEST_JSON_STRING)->string, "layout");
    const bt_test_json *sizes =
        member(member(doc, "summary", BT_TEST_JSON_OBJECT), "screen_sizes", BT_TEST_JSON_ARRAY);
    assert_int_equal(sizes->count, 1);
    assert_string_equal(sizes->items[0].string, "1366x768");
    bt_test_json_free(doc);
    free(dir);
}

static void test_demo_json_is_valid(void **state)
{
    (void)state;
    int status;
    bt_test_json *doc = check_json(NULL, BT_DEMO_DIR, &status);
    assert_int_equal(status, 0);
    assert_int_equal(member(doc, "diagnostics", BT_TEST_JSON_ARRAY)->count, 0);
    const bt_test_json *summary = member(doc, "summary", BT_TEST_JSON_OBJECT);
    assert_true(member(summary, "valid", BT_TEST_JSON_BOOL)->boolean);
    assert_int_equal((int)member(summary, "errors", BT_TEST_JSON_NUMBER)->number, 0);
    const bt_test_json *playlist = member(summary, "playlist", BT_TEST_JSON_OBJECT);
    assert_string_equal(member(playlist, "id", BT_TEST_JSON_STRING)->string, "demo-cchc");
    assert_true(member(playlist, "notices", BT_TEST_JSON_NUMBER)->number >= 8);
    bt_test_json_free(doc);
}

static void test_pack_shows_warnings_and_refuses_errors(void **state)
{
    (void)state;
    char *keys = bt_test_temp_dir("check-pack-keys");
    char *dir = tiny_image_playlist("check-pack-src");
    char cmd[CMD_BYTES];
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " keygen --out '%s/phuong'", keys);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(cmd, sizeof cmd, BANGTIN " pack '%s' '%s/goi' --key '%s/phuong.key' 2>&1", dir, keys,
             keys);
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    must_show(out, "playlist.cfg:6: cảnh báo: thông báo \"so-do\": ảnh \"images/so-do.png\" chỉ "
                   "có 40×30 điểm ảnh");
    must_show(out, "Đã đóng gói");
    must_show(out, "Có 2 cảnh báo ở trên");
    free(out);
    snprintf(cmd, sizeof cmd, BANGTIN " --config " EVERY_KIND_CFG " pack " EVERY_KIND
             " '%s/goi-loi' --key '%s/phuong.key' 2>&1", keys, keys);
    out = run(cmd, &status);
    assert_int_equal(status, 1);
    must_show(out, "playlist.cfg:100: lỗi: buổi phát \"toi\" lúc 19:00 nằm ngoài khung giờ");
    char verdict[64];
    snprintf(verdict, sizeof verdict, "Không đóng gói: %zu lỗi.", EVERY_KIND_COUNT);
    must_show(out, verdict);
    free(out);
    snprintf(cmd, sizeof cmd, "test -e '%s/goi-loi'", keys);
    assert_int_not_equal(system(cmd), 0);
    free(dir);
    free(keys);
}

/* A signed package whose PNG was cut after signing: check reports the package's broken hash and
 * still reads the playlist, where the image probe refuses the cut file before any decode (a cut
 * PNG would make SDL_image 2.6.3 loop for ever): both errors, and the command ends. */
static void test_broken_package_still_read(void **state)
{
    (void)state;
    char *keys = bt_test_temp_dir("check-package-keys");
    char *dir = tiny_image_playlist("check-package-src");
    char cmd[CMD_BYTES], cfg[CMD_BYTES / 4], text[CMD_BYTES / 4];
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " keygen --out '%s/phuong'", keys);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(text, sizeof text, "trusted_keys = [ \"%s/phuong.pub\" ];\n", keys);
    write_text(keys, "bangtin.cfg", text);
    snprintf(cfg, sizeof cfg, "%s/bangtin.cfg", keys);
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' pack '%s' '%s/goi' --key '%s/phuong.key'",
             cfg, dir, keys, keys);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(cmd, sizeof cmd, "truncate -s 50 '%s/goi/images/so-do.png'", keys);
    assert_int_equal(system(cmd), 0);
    snprintf(text, sizeof text, "%s/goi", keys);
    char *out = check(cfg, text, false, &status);
    assert_int_equal(status, 1);
    must_show(out, "images/so-do.png: lỗi: ");
    must_show(out, "playlist.cfg:6: lỗi: tệp \"images/so-do.png\" không phải ảnh PNG hoặc JPEG "
                   "đọc được");
    free(out);
    free(dir);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_in_one_pass),
        cmocka_unit_test(test_typo_image_and_hours_together),
        cmocka_unit_test(test_audio_length_beside_date_error),
        cmocka_unit_test(test_appliance_limits_stricter_than_playlist),
        cmocka_unit_test(test_syntax_error_stops_and_says_so),
        cmocka_unit_test(test_glyphs_and_tab),
        cmocka_unit_test(test_low_contrast_config_refused),
        cmocka_unit_test(test_tiny_image_warned),
        cmocka_unit_test(test_long_qr_warned),
        cmocka_unit_test(test_demo_json_is_valid),
        cmocka_unit_test(test_records_csv_checked),
        cmocka_unit_test(test_pack_shows_warnings_and_refuses_errors),
        cmocka_unit_test(test_broken_package_still_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
