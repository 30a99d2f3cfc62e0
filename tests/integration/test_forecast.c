/* The forecast (issue 13, item 5): "will we meet the quarter if the power is off in November?"
 * The plan (tests/data/plan/forecast-q4.cfg) needs 2 distinct CCHC items on the loudspeaker in
 * Q4 2025; one airs only on October's Mondays, the other only on November's, never made up. So
 * the quarter is met, unless the power is off in November (or the October airings did not go
 * out in reality). Asserted through the program and the library:
 *
 *   - `bangtin simulate` prints each target's projected state under its timeline: "đã đạt" with
 *     2 items, "có nguy cơ không đạt, còn thiếu 1" with November off;
 *   - `bangtin report --plan` (no store: the whole period simulated) writes CSV, HTML and XLSX
 *     titled "DỰ KIẾN", with 2 of 2 met, and 1 of 2 not met with November off;
 *   - with a store, the real log counts up to the forecast's start and the simulation after it:
 *     October's real misses leave only November's item, so even with the power on the quarter is
 *     at risk — and the report says which rows are simulated. */
#include "bt_test_support.h"
#include "bt_test_zip.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

#define PLAN BT_SOURCE_DIR "/tests/data/plan/forecast-q4.cfg"
#define BANGTIN BT_BANGTIN_EXE
#define NOVEMBER_OFF "--off \"2025-11-01 00:00..2025-12-01 00:00\""

typedef struct {
    char *dir;
    char cmd_prefix[1024];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char path[1024];
    f->dir = bt_test_temp_dir("forecast");
    assert_non_null(f->dir);
    snprintf(path, sizeof path, "mkdir -p '%s/pl/audio' '%s/data' && cp '%s' '%s/pl/playlist.cfg'",
             f->dir, f->dir, PLAN, f->dir);
    assert_int_equal(system(path), 0);
    /* Three seconds of a steady tone stand in for each recording. */
    const bt_test_span tone = {3.0, -18.0};
    snprintf(path, sizeof path, "%s/pl/audio/tin-dvc.wav", f->dir);
    assert_int_equal(bt_test_write_wav(path, &tone, 1), 0);
    snprintf(path, sizeof path, "%s/pl/audio/tin-vneid.wav", f->dir);
    assert_int_equal(bt_test_write_wav(path, &tone, 1), 0);
    snprintf(f->cmd_prefix, sizeof f->cmd_prefix, "cd '%s' && " BANGTIN " --data '%s/data'",
             f->dir, f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->dir);
    free(f);
    return 0;
}

static char *run_ok(const fixture *f, const char *args)
{
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", f->cmd_prefix, args);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("%s\nexited %d:\n%s", cmd, status, out);
    return out;
}

static char *read_in(const fixture *f, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    char *text = bt_test_read_file(path, NULL);
    if (!text)
        fail_msg("no %s", path);
    return text;
}

/* ---- bangtin simulate --------------------------------------------------------------------- */

static void test_simulate_projects_each_target(void **state)
{
    fixture *f = *state;
    char *out = run_ok(f, "simulate --playlist pl --from 2025-10-01 --to 2025-12-31");
    assert_non_null(strstr(out, "# chỉ tiêu dự kiến sau khi phát như trên (01/10/2025..31/12/2025):\n"
                                "#   Quý IV/2025: đã phát 2 tin bài CCHC trên loa phường (chỉ "
                                "tiêu: 2) → đã đạt\n"));
    free(out);
    out = run_ok(f, "simulate --playlist pl --from 2025-10-01 --to 2025-12-31 " NOVEMBER_OFF);
    assert_non_null(strstr(out, "#   Quý IV/2025: đã phát 1 tin bài CCHC trên loa phường (chỉ "
                                "tiêu: 2) → có nguy cơ không đạt, còn thiếu 1\n"));
    assert_null(strstr(out, "→ đã đạt"));
    free(out);
    /* Only October simulated: the quarter runs on, so it cannot be called at risk. */
    out = run_ok(f, "simulate --playlist pl --from 2025-10-01 --to 2025-10-31");
    assert_non_null(strstr(out, "#   Quý IV/2025: đã phát 1 tin bài CCHC trên loa phường (chỉ "
                                "tiêu: 2) → đang thực hiện, còn thiếu 1 (kỳ còn kéo dài sau ngày "
                                "cuối mô phỏng)\n"));
    free(out);
}

/* ---- bangtin report --plan ---------------------------------------------------------------- */

static void test_report_plan_without_store(void **state)
{
    fixture *f = *state;
    char *out = run_ok(f, "report --plan pl --period 2025-Q4 --format csv -o met.csv");
    assert_non_null(strstr(out, "Đã ghi báo cáo DỰ KIẾN: met.csv"));
    assert_non_null(strstr(out, "(chỉ tiêu: 2) — đã đạt (dự kiến)"));
    free(out);
    char *csv = read_in(f, "met.csv");
    assert_memory_equal(csv, "\xEF\xBB\xBF" "DỰ KIẾN — Báo cáo dự kiến kết quả tuyên truyền CCHC — "
                             "Quý IV/2025\r\n",
                        strlen("\xEF\xBB\xBF" "DỰ KIẾN — Báo cáo dự kiến kết quả tuyên truyền CCHC — "
                               "Quý IV/2025\r\n"));
    assert_non_null(strstr(csv, "cchc-loa-quy;tin bài CCHC;loa phường;cchc;số tin bài khác nhau;"
                                "Quý IV/2025;01/10/2025;31/12/2025;2;2;100,0%;0;0;đã đạt (dự "
                                "kiến);"));
    assert_non_null(strstr(csv, ";dự kiến: mô phỏng lịch phát\r\n"));
    assert_non_null(strstr(csv, "Nhật ký phát thanh;không có — mọi số liệu phát thanh là dự kiến"));
    assert_non_null(strstr(csv, "Khoảng máy tắt giả định;không có"));
    assert_non_null(strstr(csv, ";tin-vneid;Định danh điện tử VNeID;cchc;Dự báo chỉ tiêu loa quý IV/2025 (phiên bản "
                                "3);đã phát;;dự kiến (mô phỏng)\r\n"));
    free(csv);

    out = run_ok(f, "report --plan pl --period 2025-Q4 " NOVEMBER_OFF " --format html -o off.html");
    assert_non_null(strstr(out, "Quý IV/2025: đã phát 1 tin bài CCHC trên loa phường (chỉ tiêu: "
                                "2) — "));
    free(out);
    char *html = read_in(f, "off.html");
    assert_non_null(strstr(html, "<title>DỰ KIẾN — Báo cáo dự kiến kết quả tuyên truyền CCHC — "
                                 "Quý IV/2025</title>"));
    assert_non_null(strstr(html, "từ 01/11/2025 00:00 đến 01/12/2025 00:00"));
    /* The quarter is over by the machine's clock: 1 of 2 is "không đạt" (before its end it
     * would read "có nguy cơ không đạt"); either way not met. */
    assert_non_null(strstr(html, "<td>2 tin bài</td><td class=\"num\">1</td><td "
                                 "class=\"num\">50,0\u00a0%</td><td>không đạt (dự kiến)</td>"));
    assert_non_null(strstr(html, ">BÁO CÁO DỰ KIẾN<"));
    assert_non_null(strstr(html, "dự kiến phát được 1 tin bài, không đạt chỉ tiêu 2 tin bài/quý"));
    assert_non_null(strstr(html, "không đạt (dự kiến)"));
    assert_null(strstr(html, "đã đạt (dự kiến)"));
    free(html);

    out = run_ok(f, "report --plan pl --period 2025-Q4 --format xlsx -o met.xlsx");
    free(out);
    char path[1024];
    snprintf(path, sizeof path, "%s/met.xlsx", f->dir);
    char *sheet = bt_test_zip_read(path, "xl/worksheets/sheet1.xml", NULL);
    assert_non_null(sheet);
    assert_non_null(strstr(sheet, "DỰ KIẾN — Báo cáo dự kiến"));
    assert_non_null(strstr(sheet, "đã đạt (dự kiến)"));
    free(sheet);

    /* --off without --plan is a mistake the command names. */
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "%s report --period 2025-Q4 " NOVEMBER_OFF " 2>&1", f->cmd_prefix);
    out = bt_test_run(cmd, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "--off chỉ dùng cùng --plan DIR"));
    free(out);
}

/* ---- the real log, then the simulation ---------------------------------------------------- */

static void read_plan(bt_playlist *p)
{
    bt_node *root = NULL;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_cfgfile_read(PLAN, "playlist.cfg", &root, &d), 0);
    assert_int_equal(bt_playlist_from_tree(root, "playlist.cfg", NULL, p, &d), 0);
    bt_diags_free(&d);
    bt_node_destroy(root);
    for (size_t i = 0; i < p->broadcasts.item_count; i++)
        p->broadcasts.items[i].duration_seconds = 3.0;
}

static void ward_limits(bt_broadcast_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->windows[0].start_minute = 5 * 60 + 30;
    lim->windows[0].end_minute = 7 * 60;
    lim->window_count = 1;
    lim->max_sessions_per_day = 3;
    lim->max_session_minutes = 15;
}

static bt_report *forecast(bt_store *s, const bt_playlist *p, bt_wall from, bt_wall now,
                           bt_sim_airing **airings)
{
    bt_broadcast_limits lim;
    bt_simulation sim = {.from_day = bt_time_day_of(from),
                         .to_day = bt_time_day_from_ymd(2025, 12, 31)};
    size_t count = 0;
    ward_limits(&lim);
    assert_int_equal(bt_simulate_airings(&p->broadcasts, &lim, &sim, NULL, NULL, airings, &count),
                     0);
    bt_report_forecast fc = {.targets = &p->targets,
                             .records = &p->records,
                             .broadcasts = &p->broadcasts,
                             .playlist_id = p->id,
                             .playlist_version = p->version,
                             .airings = *airings,
                             .airing_count = count,
                             .from = from};
    bt_report_options o = {.ward = "Phường Bạch Mai", .device = "bangtin-sanh-1",
                           .generated_at = now, .loudspeaker_upcoming_known = true,
                           .forecast = &fc};
    bt_period q4;
    bt_report *r = NULL;
    char err[512];
    assert_int_equal(bt_report_period_parse("2025-Q4", &q4), 0);
    if (bt_report_build(s, &q4, &o, &r, err, sizeof err) != 0)
        fail_msg("bt_report_build: %s", err);
    return r;
}

static void missed(bt_store *s, const bt_playlist *p, bt_wall slot)
{
    bt_airing_subject subj;
    int64_t id;
    memset(&subj, 0, sizeof subj);
    snprintf(subj.item_id, sizeof subj.item_id, "tin-dvc");
    snprintf(subj.title, sizeof subj.title, "Dịch vụ công trực tuyến");
    snprintf(subj.topic, sizeof subj.topic, "cchc");
    snprintf(subj.playlist_id, sizeof subj.playlist_id, "%s", p->id);
    subj.playlist_version = p->version;
    snprintf(subj.session_id, sizeof subj.session_id, "ban-tin-thang-10");
    subj.scheduled_at = slot;
    assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_MISSED, "off", true, &id), 0);
}

static void test_real_log_then_simulation(void **state)
{
    fixture *f = *state;
    bt_playlist p;
    bt_store *s = NULL;
    bt_sim_airing *airings = NULL;
    char db[1024], err[512], out[4096];
    read_plan(&p);
    const bt_wall nov1 = bt_time_from_civil(2025, 11, 1, 0, 0, 0);
    const bt_wall nov1_8h = bt_time_from_civil(2025, 11, 1, 8, 0, 0);

    /* No store: the whole quarter simulated, both items air. */
    bt_report *r = forecast(NULL, &p, bt_time_day_start(bt_time_day_from_ymd(2025, 10, 1)),
                            nov1_8h, &airings);
    size_t n;
    const bt_target_progress *pr = bt_report_progress(r, &n);
    assert_int_equal(n, 1);
    assert_int_equal(pr[0].done, 2);
    assert_int_equal(pr[0].state, BT_TARGET_MET);
    assert_true(bt_report_is_forecast(r));
    bt_report_destroy(r);
    free(airings);

    /* In reality the power was off on October's Mondays: the log says so, and the forecast
     * from 1 November on cannot bring tin-dvc back. */
    snprintf(db, sizeof db, "%s/real.db", f->dir);
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    for (int day = 6; day <= 27; day += 7)
        missed(s, &p, bt_time_from_civil(2025, 10, day, 6, 0, 0));
    r = forecast(s, &p, nov1, nov1_8h, &airings);
    pr = bt_report_progress(r, &n);
    assert_int_equal(n, 1);
    assert_int_equal(pr[0].done, 1);
    assert_int_equal(pr[0].state, BT_TARGET_AT_RISK);
    snprintf(db, sizeof db, "%s/mixed.csv", f->dir);
    assert_int_equal(bt_report_save(r, BT_REPORT_CSV, db, err, sizeof err), 0);
    char *csv = read_in(f, "mixed.csv");
    assert_non_null(strstr(csv, "có nguy cơ không đạt (dự kiến)"));
    assert_non_null(strstr(csv, ";dự kiến: nhật ký của máy, sau đó mô phỏng lịch phát\r\n"));
    assert_non_null(strstr(csv, "nhật ký thật của máy đến 01/11/2025 00:00; từ đó đến hết kỳ: "
                                "mô phỏng lịch phát của playlist"));
    /* the real misses are listed as the log has them, the simulated airings marked */
    assert_non_null(strstr(csv, "06/10/2025;06:00;;;;ban-tin-thang-10;tin-dvc;Dịch vụ công trực "
                                "tuyến;cchc;du-bao-quy-iv (phiên bản 3);bỏ lỡ;máy tắt;\r\n"));
    snprintf(out, sizeof out, "03/11/2025;06:00;");
    const char *sim = strstr(csv, out);
    assert_non_null(sim);
    assert_non_null(strstr(sim, "đã phát;;dự kiến (mô phỏng)\r\n"));
    free(csv);
    bt_report_destroy(r);
    free(airings);
    bt_store_close(s);
    bt_playlist_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_simulate_projects_each_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_plan_without_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_log_then_simulation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
