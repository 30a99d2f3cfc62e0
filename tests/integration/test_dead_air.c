/* Dead air as staff meet it in `bangtin check`: items made here as WAV files with silence at
 * their start, at their end, inside, or nearly everywhere, in one playlist; check warns about
 * the long silences (item, file, line, figures, what to cut), refuses the mostly silent items,
 * and the ward's config moves the limits. */
#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANGTIN BT_BANGTIN_EXE

/* Spans of an item: a 440 Hz tone of RMS −20 dBFS, or digital silence. */
#define SOUND(seconds) {seconds, -20.0}
#define QUIET(seconds) {seconds, -INFINITY}

#define ITEM(dir, name, ...)                                                                   \
    do {                                                                                       \
        const bt_test_span spans_[] = {__VA_ARGS__};                                           \
        char path_[1200];                                                                      \
        snprintf(path_, sizeof path_, "%s/%s", dir, name);                                     \
        assert_int_equal(bt_test_write_wav(path_, spans_, sizeof spans_ / sizeof spans_[0]),   \
                         0);                                                                   \
    } while (0)

static const char PLAYLIST[] =
    "id = \"loa-lang\";\n"                                                          /* 1 */
    "version = 1;\n"                                                                /* 2 */
    "title = \"Thử khoảng lặng\";\n"                                                /* 3 */
    "notices = ( { id = \"a\"; kind = \"text\"; title = \"Lịch tiếp dân\"; } );\n"  /* 4 */
    "broadcasts = {\n"                                                              /* 5 */
    "  items = (\n"                                                                 /* 6 */
    "    { id = \"dau-ngan\"; title = \"Đầu 1,5 giây\"; audio = \"audio/dau-ngan.wav\"; },\n"
    "    { id = \"dau-dai\"; title = \"Đầu 3 giây\"; audio = \"audio/dau-dai.wav\"; },\n"
    "    { id = \"cuoi-dai\"; title = \"Cuối 2,5 giây\"; audio = \"audio/cuoi-dai.wav\"; },\n"
    "    { id = \"giua-5s\"; title = \"Giữa 5 giây\"; audio = \"audio/giua-5s.wav\"; },\n"
    "    { id = \"lang-90\"; title = \"Im lặng 90 %\"; audio = \"audio/lang-90.wav\"; },\n"
    "    { id = \"lang-98\"; title = \"Im lặng 98 %\"; audio = \"audio/lang-98.wav\"; }\n"
    "  );\n"                                                                        /* 13 */
    "  sessions = (\n"
    "    { id = \"sang\"; name = \"Bản tin sáng\"; times = \"06:00\";\n"
    "      items = [ \"dau-ngan\", \"dau-dai\", \"cuoi-dai\", \"giua-5s\", \"lang-90\","
    " \"lang-98\" ]; }\n"
    "  );\n"
    "};\n";

/* The playlist above with its six items; returns its folder (caller frees). */
static char *make_playlist(const char *name, const char *text)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    char audio[1024], cfg[1024];
    snprintf(audio, sizeof audio, "%s/audio", dir);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", audio);
    assert_int_equal(system(cmd), 0);
    /* 1.5 s of silence before the bulletin: under the 2-second limit. */
    ITEM(audio, "dau-ngan.wav", QUIET(1.5), SOUND(6.0));
    ITEM(audio, "dau-dai.wav", QUIET(3.0), SOUND(6.0));
    ITEM(audio, "cuoi-dai.wav", SOUND(6.0), QUIET(2.5));
    ITEM(audio, "giua-5s.wav", SOUND(5.0), QUIET(5.0), SOUND(5.0));
    /* 1 s of sound in 10 s, and in 50 s. */
    ITEM(audio, "lang-90.wav", QUIET(4.5), SOUND(1.0), QUIET(4.5));
    ITEM(audio, "lang-98.wav", QUIET(24.5), SOUND(1.0), QUIET(24.5));
    snprintf(cfg, sizeof cfg, "%s/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(cfg, text, strlen(text)), 0);
    return dir;
}

/* `bangtin check DIR` under config (a file, or "" for the embedded defaults): its diagnostic
 * lines ("playlist.cfg:…"), in order, and in *status its exit status. */
static char *check_lines(const char *config, const char *dir, int *status)
{
    char cmd[3072], env[1200];
    if (config[0])
        snprintf(env, sizeof env, "BANGTIN_CONFIG='%s'", config);
    else
        snprintf(env, sizeof env, "BANGTIN_CONFIG=");
    snprintf(cmd, sizeof cmd, "%s '%s' check '%s' > '%s.check.out'; echo $?; "
             "grep '^playlist.cfg:' '%s.check.out'", env, BANGTIN, dir, dir, dir);
    int shell_status;
    char *out = bt_test_run(cmd, &shell_status);
    assert_non_null(out);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    *status = atoi(out);
    memmove(out, nl + 1, strlen(nl + 1) + 1);
    return out;
}

static const char EXPECTED_DEFAULTS[] =
    "playlist.cfg:8: cảnh báo: tin \"dau-dai\" (audio/dau-dai.wav): im lặng 3,0 giây ở đầu tệp, "
    "dài hơn 2 giây cho phép — cắt bớt khoảng lặng ở đầu tệp rồi xuất lại tệp\n"
    "playlist.cfg:9: cảnh báo: tin \"cuoi-dai\" (audio/cuoi-dai.wav): im lặng 2,5 giây ở cuối "
    "tệp, dài hơn 2 giây cho phép — cắt bớt khoảng lặng ở cuối tệp rồi xuất lại tệp\n"
    "playlist.cfg:10: cảnh báo: tin \"giua-5s\" (audio/giua-5s.wav): khoảng lặng 5,0 giây giữa "
    "tệp (từ 0:05 đến 0:10), dài hơn 4 giây cho phép — cắt bớt khoảng lặng đó rồi xuất lại tệp, "
    "hoặc nghe lại xem bản ghi có bị mất tiếng đoạn đó không\n"
    "playlist.cfg:11: lỗi: tin \"lang-90\" (audio/lang-90.wav): 90 % thời lượng là im lặng "
    "(9,0/10,0 giây), quá 50 % cho phép: không phát được — nghe lại bản ghi (micrô, mức thu) rồi "
    "xuất lại tệp\n"
    "playlist.cfg:12: lỗi: tin \"lang-98\" (audio/lang-98.wav): 98 % thời lượng là im lặng "
    "(49,0/50,0 giây), quá 50 % cho phép: không phát được — nghe lại bản ghi (micrô, mức thu) "
    "rồi xuất lại tệp\n";

static void check_warns_and_refuses_with_default_limits(void **state)
{
    (void)state;
    char *dir = make_playlist("dead-air", PLAYLIST);
    int status;
    char *out = check_lines("", dir, &status);
    assert_string_equal(out, EXPECTED_DEFAULTS);
    /* 1.5 s at the start is under the limit: nothing about "dau-ngan". */
    assert_null(strstr(out, "dau-ngan"));
    free(out);
    assert_int_equal(status, 1);
    free(dir);
}

/* Without the two mostly silent items the playlist is valid: long silences are only warnings. */
static void long_silences_alone_are_warnings(void **state)
{
    (void)state;
    static const char FOUR[] =
        "id = \"loa-lang\";\nversion = 1;\ntitle = \"Thử khoảng lặng\";\n"
        "notices = ( { id = \"a\"; kind = \"text\"; title = \"Lịch tiếp dân\"; } );\n"
        "broadcasts = {\n  items = (\n"
        "    { id = \"dau-ngan\"; title = \"Đầu 1,5 giây\"; audio = \"audio/dau-ngan.wav\"; },\n"
        "    { id = \"dau-dai\"; title = \"Đầu 3 giây\"; audio = \"audio/dau-dai.wav\"; },\n"
        "    { id = \"cuoi-dai\"; title = \"Cuối 2,5 giây\"; audio = \"audio/cuoi-dai.wav\"; },\n"
        "    { id = \"giua-5s\"; title = \"Giữa 5 giây\"; audio = \"audio/giua-5s.wav\"; }\n"
        "  );\n  sessions = (\n"
        "    { id = \"sang\"; name = \"Bản tin sáng\"; times = \"06:00\";\n"
        "      items = [ \"dau-ngan\", \"dau-dai\", \"cuoi-dai\", \"giua-5s\" ]; }\n"
        "  );\n};\n";
    char *dir = make_playlist("dead-air-four", FOUR);
    int status;
    char *out = check_lines("", dir, &status);
    static const char want[] =
        "playlist.cfg:8: cảnh báo: tin \"dau-dai\" (audio/dau-dai.wav): im lặng 3,0 giây ở đầu "
        "tệp, dài hơn 2 giây cho phép — cắt bớt khoảng lặng ở đầu tệp rồi xuất lại tệp\n"
        "playlist.cfg:9: cảnh báo: tin \"cuoi-dai\" (audio/cuoi-dai.wav): im lặng 2,5 giây ở "
        "cuối tệp, dài hơn 2 giây cho phép — cắt bớt khoảng lặng ở cuối tệp rồi xuất lại tệp\n"
        "playlist.cfg:10: cảnh báo: tin \"giua-5s\" (audio/giua-5s.wav): khoảng lặng 5,0 giây "
        "giữa tệp (từ 0:05 đến 0:10), dài hơn 4 giây cho phép — cắt bớt khoảng lặng đó rồi xuất "
        "lại tệp, hoặc nghe lại xem bản ghi có bị mất tiếng đoạn đó không\n";
    assert_string_equal(out, want);
    free(out);
    assert_int_equal(status, 0);
    char path[1200];
    snprintf(path, sizeof path, "%s.check.out", dir);
    out = bt_test_read_file(path, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "Hợp lệ: playlist \"loa-lang\" phiên bản 1"));
    assert_non_null(strstr(out, "(3 cảnh báo)"));
    free(out);
    free(dir);
}

/* The ward's config moves the limits: 3 s at the ends, no check inside, refused above 95 %. */
static void config_moves_the_limits(void **state)
{
    (void)state;
    char *dir = make_playlist("dead-air-config", PLAYLIST);
    char config[1200];
    snprintf(config, sizeof config, "%s/bangtin.cfg", dir);
    static const char cfg[] = "broadcast = {\n"
                              "  silence_end_max_seconds = 3;\n"
                              "  silence_inside_max_seconds = 0;\n"
                              "  silent_max_percent = 95;\n"
                              "};\n";
    assert_int_equal(bt_test_write_file(config, cfg, strlen(cfg)), 0);
    int status;
    char *out = check_lines(config, dir, &status);
    /* 3,0 s and 2,5 s at the ends are within 3 s now, the 5-second gap is not checked; the
     * 90 %-silent item airs, so its 4,5 s at each end are warned about. */
    assert_string_equal(out,
                        "playlist.cfg:11: cảnh báo: tin \"lang-90\" (audio/lang-90.wav): im lặng "
                        "4,5 giây ở đầu tệp, dài hơn 3 giây cho phép — cắt bớt khoảng lặng ở đầu "
                        "tệp rồi xuất lại tệp\n"
                        "playlist.cfg:11: cảnh báo: tin \"lang-90\" (audio/lang-90.wav): im lặng "
                        "4,5 giây ở cuối tệp, dài hơn 3 giây cho phép — cắt bớt khoảng lặng ở cuối "
                        "tệp rồi xuất lại tệp\n"
                        "playlist.cfg:12: lỗi: tin \"lang-98\" (audio/lang-98.wav): 98 % thời "
                        "lượng là im lặng (49,0/50,0 giây), quá 95 % cho phép: không phát được — "
                        "nghe lại bản ghi (micrô, mức thu) rồi xuất lại tệp\n");
    free(out);
    assert_int_equal(status, 1);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_warns_and_refuses_with_default_limits),
        cmocka_unit_test(long_silences_alone_are_warnings),
        cmocka_unit_test(config_moves_the_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
