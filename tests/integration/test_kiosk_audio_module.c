/* Issue 14, item 9: the kiosk's memory. SDL2_mixer (with libfluidsynth and its chain),
 * libebur128 and libespeak-ng are the audio module's (audio/audio_module.h), opened on first use:
 * the real `bangtin run` on the demo playlist (offscreen video, SDL's disk audio driver) has
 * opened its device and loaded and measured its chime without mapping any of them. And a machine
 * whose module is missing still shows its lobby: a session that needs the module is logged
 * failed with the sentence staff read (which file is missing, what to do). */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_time.h"

#define BANGTIN BT_BANGTIN_EXE
/* Seconds from start to the session: start-up and measuring fit, also under ASan. */
#define LEAD_SECONDS 8

static char *run_ok(const char *cmd)
{
    int status;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("exit %d: %s\n%s", status, cmd, out);
    return out;
}

static void write_config(const char *dir)
{
    char path[1200];
    const char *cfg = "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n";
    snprintf(path, sizeof path, "%s/bangtin.cfg", dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
}

static void lobby_maps_none_of_the_audio_module_libraries(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-audio-maps");
    assert_non_null(dir);
    write_config(dir);
    /* The maps are read once the engine has its device and its chime (logged by then), and the
     * demo's items have been handed to the measuring child. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' || exit 1; mkdir -p data; "
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s' "
             "--size 640x360 --duration 20 > log 2>&1 & pid=$!; "
             "for i in $(seq 150); do grep -q 'Tiếng chuông' log && break; sleep 0.1; done; "
             "sleep 2; cat /proc/$pid/maps > maps; kill $pid; wait $pid; cat log",
             dir, dir, dir, dir, BT_DEMO_DIR);
    char *log = run_ok(cmd);
    assert_non_null(strstr(log, "Âm thanh: trình điều khiển “disk”"));
    assert_non_null(strstr(log, "Tiếng chuông"));
    char path[1200];
    snprintf(path, sizeof path, "%s/maps", dir);
    char *maps = bt_test_read_file(path, NULL);
    assert_non_null(maps);
    assert_non_null(strstr(maps, "libSDL2-2.0")); /* the kiosk's, read while it ran */
    const char *absent[] = {"libSDL2_mixer", "libfluidsynth", "libebur128", "libespeak-ng",
                            "bangtin-audio"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (strstr(maps, absent[i]))
            fail_msg("the kiosk maps %s in its lobby:\n%s", absent[i], log);
    free(maps);
    free(log);
    free(dir);
}

static void missing_module_fails_the_session_and_the_lobby_goes_on(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-audio-missing");
    assert_non_null(dir);
    write_config(dir);
    char cmd[4096], path[1200], at[32], text[2048];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/pl/audio' '%s/data' && cp '%s/assets/chime.ogg' '%s/pl/audio/tin.ogg'",
             dir, dir, BT_STAGE_DIR, dir);
    free(run_ok(cmd));
    bt_wall first = (bt_wall)time(NULL) + LEAD_SECONDS;
    bt_time_format_iso(first, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"khong-mo-dun\";\nversion = 1;\ntitle = \"Thiếu mô-đun\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; duration = 3; } );\n"
             "broadcasts = {\n"
             "  items = ( { id = \"tin\"; title = \"Tin\"; audio = \"audio/tin.ogg\"; } );\n"
             "  sessions = ( { id = \"phien\"; name = \"Phiên\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin\" ]; } );\n"
             "};\n",
             at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);

    double seconds = (double)(first - (bt_wall)time(NULL)) + 4.0;
    snprintf(cmd, sizeof cmd,
             "BANGTIN_AUDIO_MODULE='%s/khong-co/bangtin-audio.so' "
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' "
             "--size 640x360 --duration %.1f 2>&1",
             dir, dir, dir, dir, dir, seconds);
    char *out = run_ok(cmd); /* the kiosk ran its whole duration and exited 0 */
    const char *sentence = "máy này thiếu bộ giải mã và đo âm thanh của bangtin (không có tệp ";
    if (!strstr(out, sentence))
        fail_msg("no sentence for staff in the journal:\n%s", out);
    assert_non_null(strstr(out, "hãy cài lại gói: sudo apt install --reinstall bangtin"));
    free(out);

    /* The session's row: failed, with that sentence; the lobby counted its notice. */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/data/bangtin.db' \"SELECT session_id, status, reason FROM airings\" 2>&1",
             dir);
    out = run_ok(cmd);
    assert_non_null(strstr(out, "phien|failed|"));
    assert_non_null(strstr(out, sentence));
    free(out);
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/data/bangtin.db' \"SELECT notice_id FROM impressions WHERE shows > 0\"",
             dir);
    out = run_ok(cmd);
    assert_string_equal(out, "chao\n");
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lobby_maps_none_of_the_audio_module_libraries),
        cmocka_unit_test(missing_module_fails_the_session_and_the_lobby_goes_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
