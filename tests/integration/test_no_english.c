/* No English reaches staff (issue 11, item 8): the real program's output that staff read —
 * `simulate`, `measure`, `log`, the report's CSV, the stick's airing CSV, and the errors of a
 * store or a config file that will not open — holds no English word (tests/support's detector),
 * with a log that holds a row of every status and every reason. The SQLite codes the table keys
 * by number are checked against sqlite3.h here (core may not include it). */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"
#include "bt_test_english.h"
#include "../../src/usb/usb_export.h" /* white box: the airing CSV written to the stick */

#define BANGTIN "BANGTIN_CONFIG= " BT_BANGTIN_EXE
#define DEMO BT_DEMO_DIR

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

static bt_airing_subject subject(const char *item, bt_wall slot)
{
    bt_airing_subject s;
    memset(&s, 0, sizeof s);
    snprintf(s.item_id, sizeof s.item_id, "%s", item);
    snprintf(s.title, sizeof s.title, "Tin %s", item);
    snprintf(s.topic, sizeof s.topic, "cchc");
    snprintf(s.sha256, sizeof s.sha256, "%064d", 0);
    snprintf(s.playlist_id, sizeof s.playlist_id, "demo");
    s.playlist_version = 1;
    snprintf(s.session_id, sizeof s.session_id, "ban-tin-sang");
    s.scheduled_at = slot;
    return s;
}

/* A data folder whose log has a row of every status and of every reason code, the way the
 * appliance writes them ("code" or "code: detail"), and one left open for recovery's "crash". */
static char *log_of_every_kind(void)
{
    char *dir = bt_test_temp_dir("no_english_log");
    assert_non_null(dir);
    char path[1024], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", dir, BT_STORE_FILE);
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    int64_t id;
    int day = 1;
    bt_airing_subject subj = subject("tin-xong", at(2025, 10, day++, 6, 0));
    assert_int_equal(bt_airing_begin(s, &subj, subj.scheduled_at * 1000, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL,
                                   subj.scheduled_at * 1000 + 60000, 60000, true), 0);
    for (int r = BT_MISS_NONE + 1; r < BT_MISS_REASON_COUNT; r++) {
        char reason[128];
        const char *code = bt_miss_reason_code((bt_miss_reason)r);
        /* Missed, failed with a detail, and interrupted: each status with each reason. */
        subj = subject("tin-lo", at(2025, 10, day, 6, 0));
        assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_MISSED, code, true, &id), 0);
        subj = subject("tin-loi", at(2025, 10, day, 17, 0));
        snprintf(reason, sizeof reason, "%s: tệp hỏng", code);
        assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_FAILED, reason, true, &id), 0);
        subj = subject("tin-ngat", at(2025, 10, day++, 18, 0));
        assert_int_equal(bt_airing_begin(s, &subj, subj.scheduled_at * 1000, true, &id), 0);
        assert_int_equal(bt_airing_end(s, id, BT_AIRING_INTERRUPTED, code,
                                       subj.scheduled_at * 1000 + 5000, 5000, true), 0);
    }
    subj = subject("tin-dang-phat", at(2025, 10, day, 6, 0));
    assert_int_equal(bt_airing_begin(s, &subj, subj.scheduled_at * 1000, false, &id), 0);
    /* The stick's CSV while one airing is still open ("đang phát"). */
    size_t len = 0;
    char *csv = usb_airings_csv(s, at(2025, 10, 1, 0, 0), at(2026, 1, 1, 0, 0), &len);
    assert_non_null(csv);
    bt_test_assert_no_english(csv, "the stick's airing CSV");
    assert_non_null(strstr(csv, "đang phát"));
    assert_non_null(strstr(csv, "chương trình dừng đột ngột"));
    assert_non_null(strstr(csv, "bị ngắt bởi bản tin khẩn cấp"));
    free(csv);
    bt_store_close(s);
    return dir;
}

static void test_simulate_speaks_vietnamese(void **state)
{
    (void)state;
    char *out = bt_test_run_expect(BANGTIN " simulate --playlist " DEMO " --from 2025-10-01 --to 2025-12-31"
                       " --off \"2025-11-03 05:00..2025-11-05 20:00\"", 0);
    bt_test_assert_no_english(out, "bangtin simulate");
    assert_non_null(strstr(out, "# chỉ tiêu dự kiến sau khi phát như trên"));
    /* It can fail: every kind of event is in this quarter. */
    static const char *const seen[] = {"đã phát", "phát bù", "bỏ lỡ", "máy tắt", "máy bật"};
    for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++)
        if (!strstr(out, seen[i]))
            fail_msg("no \"%s\" in:\n%s", seen[i], out);
    free(out);
}

static void test_measure_names_every_figure(void **state)
{
    (void)state;
    char *out = bt_test_run_expect(BANGTIN " measure " DEMO "/audio/tin-vneid.ogg", 0);
    bt_test_assert_no_english(out, "bangtin measure");
    static const char *const labels[] = {"Độ to tích hợp: ", " LUFS\n", "Đỉnh thực: ", " dBTP\n",
                                         "Độ dài: ", " giây\n", "Im lặng ở đầu: ", "Phần im lặng: ",
                                         "Mã SHA-256: "};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strstr(out, labels[i]))
            fail_msg("no \"%s\" in:\n%s", labels[i], out);
    free(out);
    /* A file that is not audio: SDL_mixer's "Unrecognized audio format" reaches nobody. */
    out = bt_test_run_expect(BANGTIN " measure " DEMO "/README.md 2>&1", 1);
    bt_test_assert_no_english(out, "bangtin measure (not audio)");
    assert_non_null(strstr(out, "định dạng âm thanh không nhận ra"));
    free(out);
}

static void test_log_and_report_read_every_status_and_reason(void **state)
{
    (void)state;
    char *dir = log_of_every_kind();
    char cmd[2048];
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s' log --from 2025-10-01 --to 2025-12-31", dir);
    char *out = bt_test_run_expect(cmd, 0);
    bt_test_assert_no_english(out, "bangtin log");
    for (int r = BT_MISS_NONE + 1; r < BT_MISS_REASON_COUNT; r++)
        if (!strstr(out, bt_vi_miss_reason((bt_miss_reason)r)))
            fail_msg("no \"%s\" in:\n%s", bt_vi_miss_reason((bt_miss_reason)r), out);
    for (int st = 0; st < BT_AIRING_STATUS_COUNT; st++)
        if (!strstr(out, bt_airing_status_label((bt_airing_status)st)))
            fail_msg("no \"%s\" in:\n%s", bt_airing_status_label((bt_airing_status)st), out);
    free(out);
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data '%s' report --period 2025-Q4 --format csv -o '%s/bao-cao.csv'", dir,
             dir);
    free(bt_test_run_expect(cmd, 0));
    snprintf(cmd, sizeof cmd, "%s/bao-cao.csv", dir);
    char *csv = bt_test_read_file(cmd, NULL);
    assert_non_null(csv);
    bt_test_assert_no_english(csv, "the report's CSV");
    assert_non_null(strstr(csv, "lỗi phát âm thanh: tệp hỏng"));
    free(csv);
    /* The forecast of the demo's plan over the same quarter, the power off for three days: what
     * it prints and writes is Vietnamese too (the demo has targets and text bulletins). */
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data '%s' report --plan " DEMO " --period 2025-Q4 --off \"2025-11-03 "
                     "05:00..2025-11-05 20:00\" --format csv -o '%s/du-kien.csv'",
             dir, dir);
    out = bt_test_run_expect(cmd, 0);
    bt_test_assert_no_english(out, "bangtin report --plan");
    free(out);
    snprintf(cmd, sizeof cmd, "%s/du-kien.csv", dir);
    csv = bt_test_read_file(cmd, NULL);
    assert_non_null(csv);
    bt_test_assert_no_english(csv, "the forecast report's CSV");
    assert_non_null(strstr(csv, "DỰ KIẾN"));
    free(csv);
    free(dir);
}

/* A store that cannot be opened and a config file libconfig refuses: the reasons are ours. */
static void test_library_errors_are_vietnamese(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("no_english_errors");
    assert_non_null(dir);
    char cmd[2048], path[1024];
    /* A data folder that is a file: SQLite's "unable to open database file". */
    snprintf(path, sizeof path, "%s/khong-phai-thu-muc", dir);
    assert_int_equal(bt_test_write_file(path, "x", 1), 0);
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s' log 2>&1", path);
    int status = 0;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_not_equal(status, 0);
    bt_test_assert_no_english(out, "bangtin log on a store that will not open");
    free(out);
    /* libconfig's "duplicate setting name". */
    snprintf(path, sizeof path, "%s/trung.cfg", dir);
    static const char twice[] = "log_level = \"info\";\nlog_level = \"warn\";\n";
    assert_int_equal(bt_test_write_file(path, twice, sizeof twice - 1), 0);
    snprintf(cmd, sizeof cmd, BT_BANGTIN_EXE " config '%s' 2>&1", path);
    out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_not_equal(status, 0);
    bt_test_assert_no_english(out, "bangtin config on a duplicate key");
    assert_non_null(strstr(out, "khai báo hai lần"));
    free(out);
    free(dir);
}

/* bt_vi_sqlite keys its table by number; these are the numbers of sqlite3.h. */
static void test_sqlite_numbers_match_sqlite3_h(void **state)
{
    (void)state;
    assert_string_equal(bt_vi_sqlite(SQLITE_CANTOPEN).text, "không mở được tệp cơ sở dữ liệu");
    assert_string_equal(bt_vi_sqlite(SQLITE_FULL).text, "ổ đĩa đã đầy");
    assert_string_equal(bt_vi_sqlite(SQLITE_CORRUPT).text, "tệp cơ sở dữ liệu bị hỏng");
    assert_string_equal(bt_vi_sqlite(SQLITE_IOERR_WRITE).text, "lỗi đọc ghi ổ đĩa");
    assert_non_null(strstr(bt_vi_sqlite(SQLITE_READONLY).text, "chỉ cho đọc"));
    assert_non_null(strstr(bt_vi_sqlite(SQLITE_NOTADB).text, "không phải cơ sở dữ liệu"));
    assert_non_null(strstr(bt_vi_sqlite(SQLITE_BUSY).text, "đang bận"));
    assert_non_null(strstr(bt_vi_sqlite(SQLITE_CONSTRAINT).text, "ràng buộc"));
    assert_string_equal(bt_vi_sqlite(SQLITE_NOMEM).text, "không đủ bộ nhớ");
    assert_string_equal(bt_vi_sqlite(SQLITE_DONE).text, "đã xong");
    /* What sqlite3_errstr says in English, we say in Vietnamese, for every primary code. */
    for (int c = 0; c <= SQLITE_WARNING; c++)
        if (strcmp(sqlite3_errstr(c), "unknown error") != 0)
            bt_test_assert_no_english(bt_vi_sqlite(c).text, sqlite3_errstr(c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simulate_speaks_vietnamese),
        cmocka_unit_test(test_measure_names_every_figure),
        cmocka_unit_test(test_log_and_report_read_every_status_and_reason),
        cmocka_unit_test(test_library_errors_are_vietnamese),
        cmocka_unit_test(test_sqlite_numbers_match_sqlite3_h),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
