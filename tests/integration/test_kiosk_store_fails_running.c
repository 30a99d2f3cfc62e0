/* The store fails while the kiosk runs (issue 10, items 1 and 2): the data disk fills a few
 * seconds after start, a session falls due, and space is freed later. The session must not air
 * unrecorded: it does not start, its FAILED "store" row waits in the writer's journal (in the
 * runtime folder, outside the full disk), the kiosk keeps running and says why, and once the
 * disk takes writes the row reaches the log, which verifies. The data disk is a 4 MB tmpfs in a
 * private mount namespace (unshare), filled by a file and freed by deleting it (a read-only
 * remount is refused while the database is open for writing); where the machine allows no
 * mount namespace the test is skipped and says so. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_time.h"

#define BANGTIN BT_BANGTIN_EXE
/* Seconds after start: the disk fills, the session is due, space is freed, the kiosk stops. */
#define FULL_AT 6
#define SESSION_AT 14
#define FREED_AT 22
#define RUN_SECONDS 34

static char *run_status(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static char *run_ok(const char *cmd)
{
    int status;
    char *out = run_status(cmd, &status);
    if (status != 0)
        fail_msg("exit %d: %s\n%s", status, cmd, out);
    return out;
}

static void must_show(const char *out, const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("output lacks \"%s\":\n%s", needle, out);
}

static void session_refused_while_disk_full_is_logged_when_freed(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-store-fails");
    assert_non_null(dir);
    char cmd[8192], path[1200], text[2048], at[32];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/pl/audio' '%s/data' '%s/run' && "
             "cp '%s/assets/chime.ogg' '%s/pl/audio/tin.ogg'",
             dir, dir, dir, BT_STAGE_DIR, dir);
    free(run_ok(cmd));

    snprintf(cmd, sizeof cmd, "unshare -m sh -c \"mount -t tmpfs -o size=4m tmpfs '%s/data'\"",
             dir);
    int status;
    free(run_status(cmd, &status));
    if (status != 0) {
        print_message("SKIP: no private mount namespace here (unshare/mount refused)\n");
        free(dir);
        skip();
    }

    bt_wall due = (bt_wall)time(NULL) + SESSION_AT;
    bt_time_format_iso(due, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"dia-hong\";\nversion = 1;\ntitle = \"Đĩa hỏng giữa chừng\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; duration = 3; } );\n"
             "broadcasts = {\n"
             "  items = ( { id = \"tin\"; title = \"Tin thử\"; audio = \"audio/tin.ogg\"; } );\n"
             "  sessions = ( { id = \"phien\"; name = \"Phiên thử\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin\" ]; makeup = \"none\"; } );\n"
             "};\n",
             at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    const char *cfg = "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n";
    snprintf(path, sizeof path, "%s/bangtin.cfg", dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);

    /* In a private mount namespace: the data folder is a small tmpfs, filled and freed by a
     * background timer while the kiosk runs. */
    snprintf(cmd, sizeof cmd,
             "unshare -m sh -c \"mount -t tmpfs -o size=4m tmpfs '%s/data' && "
             "(sleep %d; dd if=/dev/zero of='%s/data/filler' bs=64k 2>/dev/null; sleep %d; "
             "rm -f '%s/data/filler') & "
             "env RUNTIME_DIRECTORY='%s/run' SDL_VIDEODRIVER=offscreen "
             "SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/run/out.raw' " BANGTIN
             " --config '%s/bangtin.cfg' --data '%s/data' "
             "run --playlist '%s/pl' --size 640x360 --duration %d; st=\\$?; "
             /* The tmpfs ends with the namespace: keep what the kiosk left. */
             "mkdir -p '%s/after' && cp -a '%s/data/.' '%s/after/'; exit \\$st\" 2>&1",
             dir, FULL_AT, dir, FREED_AT - FULL_AT, dir, dir, dir, dir, dir, dir, RUN_SECONDS,
             dir, dir, dir);
    char *out = run_ok(cmd);
    /* It kept running, did not air, and said why. */
    must_show(out, "bangtin: first-frame");
    must_show(out, "Không phát phiên");
    must_show(out, "đĩa đầy");
    must_show(out, "nhật ký chờ ghi");
    must_show(out, "Cơ sở dữ liệu đã nhận ghi trở lại");
    if (strstr(out, "bắt đầu, lệch"))
        fail_msg("the session aired although its row could not be written:\n%s", out);
    free(out);

    /* The row reached the log once the disk took writes: FAILED, the store's reason, noted as
     * written late from the journal; nothing else; the journal is gone; the log verifies. */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/after/bangtin.db' \"SELECT session_id, status, reason FROM airings\"",
             dir);
    out = run_ok(cmd);
    if (!strstr(out, "phien|failed|store: đĩa đầy") ||
        !strstr(out, "ghi từ nhật ký chờ") || strchr(out, '\n') != strrchr(out, '\n'))
        fail_msg("airings:\n%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "test ! -e '%s/run/bangtin.db.pending'", dir);
    free(run_ok(cmd));
    snprintf(cmd, sizeof cmd,
             "BANGTIN_CONFIG= " BANGTIN " --data '%s/after' log verify 2>&1", dir);
    out = run_ok(cmd);
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_refused_while_disk_full_is_logged_when_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
