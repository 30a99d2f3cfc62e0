/* The bangtin binary as staff and the culture department use it: help texts, check, screenshot,
 * activate, the kiosk without a display (PNG previews), and a kiosk run whose proof of play is
 * all on disk after a clean exit (end of --duration, or SIGTERM from systemd). */
#include "bt_test_support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BANGTIN BT_BANGTIN_EXE
#define DEMO BT_DEMO_DIR

static char *run(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static void test_help_lists_commands_and_global_options(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " --help", &status);
    assert_int_equal(status, 0);
    static const char *const commands[] = {"run", "check", "screenshot", "activate", "config"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        assert_non_null(strstr(out, commands[i]));
    free(out);
    out = run(BANGTIN " screenshot --help", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "--at"));
    assert_non_null(strstr(out, "--config FILE"));
    assert_non_null(strstr(out, "--data DIR"));
    free(out);
    out = run(BANGTIN " no-such-command 2>&1", &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "no-such-command"));
    free(out);
}

static void test_check_demo_is_valid(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " check " DEMO, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Hợp lệ: playlist \"demo-cchc\""));
    /* Every demo notice fits at the legibility floor in both orientations: no warnings. */
    assert_null(strstr(out, "cảnh báo"));
    free(out);
}

static void test_check_bad_playlist_names_file_and_line(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-bad");
    char path[1024];
    snprintf(path, sizeof path, "%s/playlist.cfg", dir);
    const char *text = "id = \"x\";\nversion = 1;\ntitle = \"Thử\";\nnotices = (\n"
                       "  { id = \"a\"; kind = \"text\"; title = \"A\"; until = \"31/02/2026\"; }\n);\n";
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, BANGTIN " check %s", dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "playlist.cfg:5: lỗi:"));
    assert_non_null(strstr(out, "31/02/2026"));
    assert_non_null(strstr(out, "Không hợp lệ"));
    free(out);
    free(dir);
}

static void test_bad_config_refused_with_line(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " --config " BT_SOURCE_DIR "/tests/data/config/bad.cfg version 2>&1",
                    &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "bad.cfg:2: lỗi:"));
    free(out);
}

static void test_screenshot_decodes_portal_qr(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-shot");
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data %s/data screenshot --playlist " DEMO
             " --at \"2025-11-24 09:00\" --size 1080x1920 -o %s/shot.png", dir, dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus --raw -q %s/shot.png", dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "https://dichvucong.gov.vn\n"));
    free(out);
    free(dir);
}

static int count_pngs(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ls %s/*.png 2>/dev/null | wc -l", dir);
    int status;
    char *out = bt_test_run(cmd, &status);
    int n = out ? atoi(out) : -1;
    free(out);
    return n;
}

/* xem-truoc.bat's command: each notice of the demo as NN-ID.png in the playlist's order, each
 * the very picture --notice gives for that notice; a folder that is not there is named. */
static void test_screenshot_every_notice(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-every");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data %s/data screenshot --playlist " DEMO
             " --at \"2025-11-24 09:00\" --every-notice -o %s/", dir, dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "/01-mot-cua-dang-lam-viec.png\n"));
    assert_non_null(strstr(out, "/04-lich-phat-thanh.png\n"));
    assert_non_null(strstr(out, "/21-y-tuong-cchc.png\n"));
    free(out);
    assert_int_equal(count_pngs(dir), 21);
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data %s/data screenshot --playlist " DEMO
             " --at \"2025-11-24 09:00\" --notice dvc-quoc-gia -o %s/one.png >/dev/null && "
             "cmp %s/one.png %s/05-dvc-quoc-gia.png && ! cmp -s %s/one.png %s/06-dvc-ha-noi.png",
             dir, dir, dir, dir, dir, dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data %s/data screenshot --playlist " DEMO
             " --every-notice -o %s/khong-co 2>&1", dir, dir);
    out = run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "khong-co/01-mot-cua-dang-lam-viec.png"));
    free(out);
    free(dir);
}

static void test_run_without_display_writes_previews(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-nodisplay");
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER " BANGTIN
             " --data %s run --playlist " DEMO, dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Không tìm thấy màn hình"));
    assert_non_null(strstr(out, ".png"));
    char previews[1100];
    snprintf(previews, sizeof previews, "%s/preview", dir);
    /* One PNG per demo notice plus the idle screen. */
    snprintf(cmd, sizeof cmd, BANGTIN " check --dump " DEMO " | sed -n 's/^notices = //p'");
    char *dump = run(cmd, &status);
    int notices = atoi(dump);
    free(dump);
    assert_true(notices >= 8);
    assert_int_equal(count_pngs(previews), notices + 1);
    free(out);
    free(dir);
}

/* Sum of impressions in the store of a data dir, via the sqlite3 shell (a second reader). */
static void impressions(const char *dir, long *shows, double *seconds)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/bangtin.db 'SELECT coalesce(sum(shows),0), coalesce(sum(seconds),0) "
             "FROM impressions'", dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_int_equal(sscanf(out, "%ld|%lf", shows, seconds), 2);
    free(out);
}

static void test_kiosk_clean_exit_keeps_every_impression(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-run");
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen " BANGTIN " --data %s run --playlist " DEMO
             " --size 960x540 --duration 3 2>&1", dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "first-frame"));
    free(out);
    long shows;
    double seconds;
    impressions(dir, &shows, &seconds);
    assert_true(shows >= 1);
    /* The 3 s run was on screen for about 3 s, all of it recorded. */
    assert_true(seconds >= 2.0 && seconds <= 4.5);
    free(dir);
}

static void test_kiosk_sigterm_flushes(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-term");
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen " BANGTIN " --data %s run --playlist " DEMO
             " --size 960x540 --duration 600 >/dev/null 2>&1 & pid=$!; sleep 3; kill -TERM $pid;"
             " wait $pid", dir);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    long shows;
    double seconds;
    impressions(dir, &shows, &seconds);
    assert_true(shows >= 1);
    assert_true(seconds >= 1.5);
    free(dir);
}

static void test_activate_bad_keeps_active(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("cli-activate");
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " --data %s activate " DEMO, dir);
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/bad && printf 'id = 5;\\n' > %s/bad/playlist.cfg && "
             BANGTIN " --data %s activate %s/bad", dir, dir, dir, dir);
    out = run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "giữ nguyên"));
    free(out);
    snprintf(cmd, sizeof cmd, "sqlite3 %s/bangtin.db \"SELECT id FROM playlists WHERE active=1\"",
             dir);
    out = run(cmd, &status);
    assert_string_equal(out, "demo-cchc\n");
    free(out);
    free(dir);
}

/* The culture department's question "what airs this quarter, and what if the power is cut?"
 * answered from the demo playlist's measured audio: missed sessions are made up. */
static void test_simulate_quarter_with_power_cut(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " simulate --playlist " DEMO " --from 2025-10-01 --to 2025-12-31"
                    " --off \"2025-11-03 05:00..2025-11-05 20:00\"", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "2025-11-03 06:00:00  bỏ lỡ        ban-tin-sang"));
    assert_non_null(strstr(out, "phát bù      ban-tin-sang         2025-11-03 06:00"));
    assert_non_null(strstr(out, "2025-11-05 20:00:00  máy bật"));
    /* Nothing airs while the appliance is off. */
    assert_null(strstr(out, "2025-11-04 06:00:00  đã phát"));
    assert_non_null(strstr(out, "# tổng kết lịch:"));
    free(out);
    out = run(BANGTIN " simulate --playlist " DEMO " --from 2025-10-01 --to 2025-12-31"
              " --off \"yesterday\" 2>&1", &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "--off \"yesterday\" không hợp lệ"));
    free(out);
}

/* `bangtin measure --machine` is what the kiosk runs in a child to measure audio: one parseable
 * line. */
static void test_measure_prints_one_line(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " measure " DEMO "/audio/tin-vneid.ogg --machine", &status);
    assert_int_equal(status, 0);
    double lufs, peak, true_peak, seconds, lead, trail, inside, inside_at, silent;
    char hash[80];
    assert_int_equal(sscanf(out, "ok %lf %lf %lf %lf %79s %lf %lf %lf %lf %lf", &lufs, &peak,
                            &true_peak, &seconds, hash, &lead, &trail, &inside, &inside_at,
                            &silent),
                     10);
    assert_true(lufs < -5 && lufs > -40);
    assert_true(seconds > 10 && seconds < 120);
    assert_int_equal(strlen(hash), 64);
    /* Spoken by espeak-ng: little silence at the ends, pauses between sentences only. */
    assert_true(lead >= 0 && lead < 2 && trail >= 0 && trail < 2);
    assert_true(inside > 0 && inside < 4 && inside_at > lead && inside_at < seconds);
    assert_true(silent > 0 && silent < 0.5);
    free(out);
    out = run(BANGTIN " measure " BT_SOURCE_DIR "/README.md --machine", &status);
    assert_int_equal(status, 1);
    assert_true(strncmp(out, "error ", 6) == 0);
    assert_non_null(strstr(out, "README.md"));
    free(out);
}

static void test_version_and_config_in_force(void **state)
{
    (void)state;
    int status;
    char *out = run(BANGTIN " --version", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "bangtin "));
    free(out);
    /* An explicit empty BANGTIN_CONFIG means the embedded defaults, whatever /etc holds. */
    out = run("BANGTIN_CONFIG= " BANGTIN " config", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Cấu hình đang dùng: cấu hình nhúng sẵn"));
    free(out);
    out = run("BANGTIN_CONFIG=" BT_SOURCE_DIR "/tests/data/config/good.cfg " BANGTIN " config",
              &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Cấu hình đang dùng: tệp \"" BT_SOURCE_DIR
                                "/tests/data/config/good.cfg\""));
    free(out);
}

/* Installed elsewhere (here: a prefix in a temp folder), the program finds its fonts, chime and
 * demo beside itself in ../share/bangtin; without them it does not fall back to the build tree,
 * and its text holds no path of the build machine. */
static void test_relocated_install_uses_its_own_share(void **state)
{
    (void)state;
    char *root = bt_test_temp_dir("cli-prefix");
    char cmd[4096];
    int status;
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/usr/bin' '%s/usr/share' && cp '" BANGTIN "' '%s/usr/bin/' && "
             "cp -r '" BT_STAGE_DIR "' '%s/usr/share/bangtin'", root, root, root, root);
    free(run(cmd, &status));
    assert_int_equal(status, 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && BANGTIN_CONFIG= ./usr/bin/bangtin --data data screenshot --playlist "
             "usr/share/bangtin/playlists/demo --at '2025-11-24 09:00' --size 640x360 -o a.png "
             "2>&1", root);
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    free(out);
    /* The share folder gone: the fonts are missing, although the build tree still has them. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mv usr/share/bangtin moved && BANGTIN_CONFIG= ./usr/bin/bangtin --data "
             "data screenshot --playlist moved/playlists/demo --at '2025-11-24 09:00' "
             "--size 640x360 -o b.png 2>&1", root);
    out = run(cmd, &status);
    assert_int_not_equal(status, 0);
    assert_null(strstr(out, BT_BINARY_DIR));
    free(out);
    /* No data folder of the source or build tree is compiled in. (Debug information and the
     * sanitizers' metadata name source files: that is their job, and a package strips it.) */
    snprintf(cmd, sizeof cmd,
             "objcopy --strip-debug '%s/usr/bin/bangtin' '%s/stripped' && "
             "strings -a '%s/stripped' | grep -c -e '" BT_SOURCE_DIR "/fonts' -e '" BT_SOURCE_DIR
             "/assets' -e '" BT_SOURCE_DIR "/playlists' -e '" BT_BINARY_DIR "'",
             root, root, root);
    out = run(cmd, &status);
    assert_int_equal(atoi(out), 0);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    free(run(cmd, &status));
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_lists_commands_and_global_options),
        cmocka_unit_test(test_version_and_config_in_force),
        cmocka_unit_test(test_relocated_install_uses_its_own_share),
        cmocka_unit_test(test_check_demo_is_valid),
        cmocka_unit_test(test_check_bad_playlist_names_file_and_line),
        cmocka_unit_test(test_bad_config_refused_with_line),
        cmocka_unit_test(test_screenshot_decodes_portal_qr),
        cmocka_unit_test(test_screenshot_every_notice),
        cmocka_unit_test(test_run_without_display_writes_previews),
        cmocka_unit_test(test_kiosk_clean_exit_keeps_every_impression),
        cmocka_unit_test(test_kiosk_sigterm_flushes),
        cmocka_unit_test(test_activate_bad_keeps_active),
        cmocka_unit_test(test_simulate_quarter_with_power_cut),
        cmocka_unit_test(test_measure_prints_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
