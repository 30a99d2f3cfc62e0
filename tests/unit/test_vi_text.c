/* The one table of Vietnamese (bt_vi.h): every status, reason and event code has words, no word
 * is English, and the system's and libraries' errors come out in Vietnamese. Walks each enum up
 * to its COUNT, so a code added without words fails here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bt_test_english.h"
#include "bt_test_support.h"

#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_vi.h"

/* A text a person reads: there, not empty, not the table's "don't know", no English. */
static void assert_words(const char *vi, const char *what)
{
    if (!vi)
        fail_msg("%s: no words (NULL)", what);
    if (!vi[0])
        fail_msg("%s: empty words", what);
    if (strcmp(vi, "không rõ") == 0)
        fail_msg("%s: the table has no words for it", what);
    bt_test_assert_no_english(vi, what);
}

/* The detector itself finds English and leaves Vietnamese, paths and ids alone: without this the
 * tests below could not fail. */
static void test_detector_finds_english_only(void **state)
{
    (void)state;
    char w[64];
    assert_string_equal(bt_test_english_word("unable to open database file", w, sizeof w),
                        "unable");
    assert_string_equal(bt_test_english_word("kết thúc: completed", w, sizeof w), "completed");
    assert_string_equal(bt_test_english_word("bị ngắt (Emergency)", w, sizeof w), "Emergency");
    assert_string_equal(bt_test_english_word("# tổng kết: made-up=1", w, sizeof w), "made-up");
    assert_string_equal(bt_test_english_word("lý do: no-device", w, sizeof w), "no-device");
    assert_string_equal(bt_test_english_word("cú pháp (duplicate setting name)", w, sizeof w),
                        "duplicate");
    assert_null(bt_test_english_word("không mở được cơ sở dữ liệu: ổ đĩa đã đầy", w, sizeof w));
    assert_null(bt_test_english_word("ban-tin-sang  audio/tin-vneid.ogg  SHA-256 UBND CCHC QR",
                                     w, sizeof w));
    assert_null(bt_test_english_word("Độ to: -16.0 LUFS, đỉnh -1.9 dBTP", w, sizeof w));
}

static void test_every_code_has_vietnamese_words(void **state)
{
    (void)state;
    char what[64];
    for (int r = BT_MISS_NONE + 1; r < BT_MISS_REASON_COUNT; r++) {
        snprintf(what, sizeof what, "reason %s", bt_miss_reason_code((bt_miss_reason)r));
        assert_words(bt_vi_miss_reason((bt_miss_reason)r), what);
        /* Words, not the code again. */
        assert_string_not_equal(bt_vi_miss_reason((bt_miss_reason)r),
                                bt_miss_reason_code((bt_miss_reason)r));
    }
    assert_string_equal(bt_vi_miss_reason(BT_MISS_NONE), "");
    for (int s = 0; s < BT_ATTEMPT_STATUS_COUNT; s++) {
        const char *code = bt_attempt_status_name((bt_attempt_status)s);
        snprintf(what, sizeof what, "status %s", code);
        assert_words(bt_vi_attempt_status((bt_attempt_status)s), what);
        assert_words(bt_vi_airing_status(code), what);
    }
    /* The log's open row, which no attempt status has. */
    assert_string_equal(bt_vi_airing_status("airing"), "đang phát");
    assert_null(bt_vi_airing_status("no-such-status"));
    for (int s = 0; s < BT_SLOT_STATE_COUNT; s++) {
        snprintf(what, sizeof what, "slot state %d", s);
        assert_words(bt_vi_slot_state((bt_slot_state)s), what);
    }
    for (int s = 0; s < BT_TARGET_STATE_COUNT; s++) {
        snprintf(what, sizeof what, "target state %s", bt_target_state_name((bt_target_state)s));
        assert_words(bt_vi_target_state((bt_target_state)s), what);
    }
    for (int e = 0; e < BT_SIM_EVENT_COUNT; e++) {
        snprintf(what, sizeof what, "simulated event %d", e);
        assert_words(bt_vi_sim_event((bt_sim_event)e), what);
    }
    /* Past the end: a word that says so, never NULL or garbage. */
    assert_string_equal(bt_vi_miss_reason(BT_MISS_REASON_COUNT), "không rõ");
    assert_string_equal(bt_vi_sim_event(BT_SIM_EVENT_COUNT), "không rõ");
    assert_string_equal(bt_vi_target_state(BT_TARGET_STATE_COUNT), "không rõ");
}

/* The reason column as the log stores it ("code" or "code: detail"), in words. */
static void test_stored_reasons_read_in_vietnamese(void **state)
{
    (void)state;
    char buf[256], what[64];
    for (int r = BT_MISS_NONE + 1; r < BT_MISS_REASON_COUNT; r++) {
        const char *code = bt_miss_reason_code((bt_miss_reason)r);
        snprintf(what, sizeof what, "stored reason %s", code);
        assert_words(bt_vi_reason(code, buf, sizeof buf), what);
        char stored[64];
        snprintf(stored, sizeof stored, "%s: tệp hỏng", code);
        assert_words(bt_vi_reason(stored, buf, sizeof buf), what);
    }
    assert_string_equal(bt_vi_reason("crash", buf, sizeof buf), "chương trình dừng đột ngột");
    assert_string_equal(bt_vi_reason("emergency", buf, sizeof buf),
                        "bị ngắt bởi bản tin khẩn cấp");
    assert_string_equal(bt_vi_reason("playback: không giải mã được tệp", buf, sizeof buf),
                        "lỗi phát âm thanh: không giải mã được tệp");
    assert_string_equal(bt_vi_reason("store:đĩa đầy", buf, sizeof buf),
                        "không ghi được nhật ký phát thanh: đĩa đầy");
    /* A reason written in words already, and nothing, stay as they are. */
    assert_string_equal(bt_vi_reason("đồng hồ chạy sai", buf, sizeof buf), "đồng hồ chạy sai");
    assert_string_equal(bt_vi_reason("", buf, sizeof buf), "");
    assert_string_equal(bt_vi_reason(NULL, buf, sizeof buf), "");
}

static void test_errno_in_vietnamese(void **state)
{
    (void)state;
    char what[64];
    /* Every value a system may give, known or not. */
    for (int e = 0; e < 200; e++) {
        snprintf(what, sizeof what, "errno %d", e);
        assert_words(bt_vi_errno(e).text, what);
    }
    /* The common ones have their own words, not the fallback's number. */
    static const int common[] = {ENOENT, EACCES, ENOSPC, EROFS,  EIO,    EEXIST, ENOTDIR, EISDIR,
                                 ELOOP,  ENAMETOOLONG, EMFILE, ENOMEM, EPERM, EXDEV,  EINVAL,
                                 EBUSY,  ENODEV, ENXIO, EFBIG, ENOTEMPTY};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        snprintf(what, sizeof what, "errno %d", common[i]);
        if (strstr(bt_vi_errno(common[i]).text, "lỗi hệ thống số"))
            fail_msg("%s has no words of its own", what);
    }
    assert_string_equal(bt_vi_errno(ENOSPC).text, "ổ đĩa đã đầy");
    assert_string_equal(bt_vi_errno(ENOENT).text, "không có tệp hoặc thư mục này");
    assert_string_equal(bt_vi_errno(9999).text, "lỗi hệ thống số 9999");
    assert_string_equal(bt_vi_errno(-3).text, "lỗi hệ thống số -3");
}

static void test_sqlite_codes_in_vietnamese(void **state)
{
    (void)state;
    char what[64];
    /* Every primary code, and every extended code built on one (code | n << 8). */
    for (int c = 0; c < 256; c++)
        for (int ext = 0; ext < 8; ext++) {
            snprintf(what, sizeof what, "SQLite code %d", c | ext << 8);
            assert_words(bt_vi_sqlite(c | ext << 8).text, what);
        }
    assert_words(bt_vi_sqlite(100).text, "SQLITE_ROW");
    assert_words(bt_vi_sqlite(101).text, "SQLITE_DONE");
    /* The ones staff meet, by their stable numbers (sqlite3.h; test_store checks the numbers). */
    assert_string_equal(bt_vi_sqlite(14).text, "không mở được tệp cơ sở dữ liệu");
    assert_string_equal(bt_vi_sqlite(13).text, "ổ đĩa đã đầy");
    assert_non_null(strstr(bt_vi_sqlite(8).text, "chỉ cho đọc"));
    assert_string_equal(bt_vi_sqlite(11).text, "tệp cơ sở dữ liệu bị hỏng");
    assert_non_null(strstr(bt_vi_sqlite(26).text, "không phải cơ sở dữ liệu"));
    assert_string_equal(bt_vi_sqlite(10).text, "lỗi đọc ghi ổ đĩa");
    assert_non_null(strstr(bt_vi_sqlite(5).text, "đang bận"));
    /* SQLITE_IOERR_WRITE (10 | 3 << 8) reads as its primary code. */
    assert_string_equal(bt_vi_sqlite(10 | 3 << 8).text, "lỗi đọc ghi ổ đĩa");
    assert_string_equal(bt_vi_sqlite(200).text, "lỗi cơ sở dữ liệu số 200");
}

static void test_libconfig_texts_in_vietnamese(void **state)
{
    (void)state;
    /* libconfig 1.5's error texts (`strings libconfig.so`). */
    static const char *const texts[] = {
        "syntax error", "duplicate setting name", "file I/O error", "memory exhausted",
        "mismatched element type in array", "include file nesting too deep",
        "cannot open include file", "fatal flex scanner internal error--end of buffer missed"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_words(bt_vi_config_error(texts[i]), texts[i]);
    assert_string_equal(bt_vi_config_error("duplicate setting name"),
                        "một khoá được khai báo hai lần trong cùng một nhóm");
    assert_string_equal(bt_vi_config_error("file I/O error"), "lỗi đọc tệp");
    assert_string_equal(bt_vi_config_error("syntax error"), "lỗi cú pháp");
    /* Unknown or missing: still Vietnamese. */
    assert_string_equal(bt_vi_config_error("some future text"), "lỗi cú pháp");
    assert_string_equal(bt_vi_config_error(NULL), "lỗi cú pháp");
}

static void test_sdl_texts_in_vietnamese(void **state)
{
    (void)state;
    /* Texts SDL, SDL_ttf, SDL_image and SDL_mixer give (printf'd with names). */
    static const char *const texts[] = {
        "Unrecognized audio format",
        "Unsupported image format",
        "Couldn't open /usr/share/fonts/x.ttf",
        "Out of memory",
        "No available video device",
        "Couldn't find matching render driver",
        "Text has zero width",
        "Library not initialized",
        "Invalid renderer",
        "Audio subsystem is not initialized",
        "ALSA: Couldn't open audio device: No such file or directory",
        "something no table knows",
        "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_words(bt_vi_library_error(texts[i]), texts[i]);
    assert_string_equal(bt_vi_library_error("Unrecognized audio format"),
                        "định dạng âm thanh không nhận ra");
    assert_string_equal(bt_vi_library_error("Out of memory"), "không đủ bộ nhớ");
    assert_words(bt_vi_library_error(NULL), "NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detector_finds_english_only),
        cmocka_unit_test(test_every_code_has_vietnamese_words),
        cmocka_unit_test(test_stored_reasons_read_in_vietnamese),
        cmocka_unit_test(test_errno_in_vietnamese),
        cmocka_unit_test(test_sqlite_codes_in_vietnamese),
        cmocka_unit_test(test_libconfig_texts_in_vietnamese),
        cmocka_unit_test(test_sdl_texts_in_vietnamese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
