/* The real `bangtin run` airing the loudspeaker schedule, headless (offscreen video, SDL's disk
 * audio driver in real time): a session due a few seconds after start airs with completed rows
 * for its items and sound in the output at the loudness target; a kiosk killed with -9 in the
 * middle of an airing leaves a row that says so after restart (interrupted, crash), loses no
 * committed row, keeps the database intact, and makes the session up; `bangtin log` lists the
 * rows and `bangtin log verify` fails, naming the row, once a row is edited or deleted. */
#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

#define BANGTIN BT_BANGTIN_EXE
/* Seconds from start to the session: start-up, measuring and the engine's lead fit easily. */
#define LEAD_SECONDS 4
/* Output quieter than this (about −50 dBFS) is silence. */
#define SILENCE 100

static char *run(const char *cmd, int *status)
{
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A mono 16-bit WAV sine with 5 ms fades. */
static void write_wav(const char *path, int rate, double freq, double dbfs, double seconds)
{
    size_t frames = (size_t)lrint(seconds * rate), data = frames * 2;
    unsigned char *buf = calloc(1, 44 + data);
    assert_non_null(buf);
    memcpy(buf, "RIFF", 4);
    put_le(buf + 4, (uint32_t)(36 + data), 4);
    memcpy(buf + 8, "WAVEfmt ", 8);
    put_le(buf + 16, 16, 4);
    put_le(buf + 20, 1, 2);
    put_le(buf + 22, 1, 2);
    put_le(buf + 24, (uint32_t)rate, 4);
    put_le(buf + 28, (uint32_t)(rate * 2), 4);
    put_le(buf + 32, 2, 2);
    put_le(buf + 34, 16, 2);
    memcpy(buf + 36, "data", 4);
    put_le(buf + 40, (uint32_t)data, 4);
    double amp = 32767.0 * pow(10.0, dbfs / 20.0);
    size_t fade = (size_t)(rate / 200);
    for (size_t i = 0; i < frames; i++) {
        double env = 1.0;
        if (i < fade)
            env = (double)i / (double)fade;
        else if (frames - i < fade)
            env = (double)(frames - i) / (double)fade;
        put_le(buf + 44 + i * 2,
               (uint16_t)(int16_t)lrint(amp * env * sin(2.0 * M_PI * freq * (double)i / rate)), 2);
    }
    assert_int_equal(bt_test_write_file(path, buf, 44 + data), 0);
    free(buf);
}

typedef struct {
    char dir[512];
    bt_wall at;     /* the session's one-off slot */
    double chime;   /* seconds of the bundled chime */
} fixture;

/* A data dir, a config without window restriction, and a playlist whose session "thu-loa" airs
 * tin-a (a_seconds, 440 Hz) then tin-b (2 s, 660 Hz) LEAD_SECONDS from now. */
static void make_fixture(fixture *f, const char *name, double a_seconds)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    free(dir);
    char path[1200], cmd[2600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/pl/audio' '%s/data'", f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/pl/audio/a.wav", f->dir);
    write_wav(path, 48000, 440, -20, a_seconds);
    snprintf(path, sizeof path, "%s/pl/audio/b.wav", f->dir);
    write_wav(path, 44100, 660, -28, 2.0);

    f->at = (bt_wall)time(NULL) + LEAD_SECONDS;
    char at[32], text[2048];
    bt_time_format_iso(f->at, at, sizeof at);
    snprintf(text, sizeof text,
             "id = \"thu-loa\";\nversion = 1;\ntitle = \"Thử loa phường\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; } );\n"
             "broadcasts = {\n"
             "  items = (\n"
             "    { id = \"tin-a\"; title = \"Tin thử A\"; audio = \"audio/a.wav\"; topic = \"cchc\"; },\n"
             "    { id = \"tin-b\"; title = \"Tin thử B\"; audio = \"audio/b.wav\"; }\n"
             "  );\n"
             "  sessions = ( { id = \"thu\"; name = \"Phiên thử\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin-a\", \"tin-b\" ]; } );\n"
             "};\n", at);
    snprintf(path, sizeof path, "%s/pl/playlist.cfg", f->dir);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    const char *cfg = "broadcast = { windows = \"\"; amp_warmup_ms = 0; };\n";
    snprintf(path, sizeof path, "%s/bangtin.cfg", f->dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);

    bt_loudness chime;
    char err[512];
    if (bt_loudness_measure(BT_STAGE_DIR "/assets/chime.ogg", &chime, err, sizeof err) != 0)
        fail_msg("chime: %s", err);
    f->chime = chime.duration_seconds;
}

/* The kiosk command line (without the trailing redirections). */
static void kiosk_cmd(const fixture *f, double duration, char *cmd, size_t size)
{
    snprintf(cmd, size,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' "
             "--size 640x360 --duration %.1f",
             f->dir, f->dir, f->dir, f->dir, duration);
}

static bt_store *open_store(const fixture *f)
{
    char path[1200], err[512];
    snprintf(path, sizeof path, "%s/data/bangtin.db", f->dir);
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    return s;
}

static bt_airing_row *airings(const fixture *f, size_t *n)
{
    bt_store *s = open_store(f);
    bt_airing_row *rows = NULL;
    assert_int_equal(bt_airing_list(s, INT64_MIN, INT64_MAX, &rows, n), 0);
    bt_store_close(s);
    return rows;
}

static char *sql(const fixture *f, const char *query, int *status)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s/data/bangtin.db' \"%s\" 2>&1", f->dir, query);
    return run(cmd, status);
}

/* ---- 1: a session airs ---------------------------------------------------------------------- */

static void kiosk_airs_session_and_logs_it(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "kiosk-airing", 2.0);
    double session = 2 * f.chime + 4.0;
    char cmd[4096];
    kiosk_cmd(&f, LEAD_SECONDS + session + 1.5, cmd, sizeof cmd);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    int status;
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    /* The kiosk's own account of its first sound against the scheduled second. */
    const char *said = strstr(out, "Phiên “Phiên thử” bắt đầu, lệch ");
    assert_non_null(said);
    long session_deviation = 0;
    assert_int_equal(sscanf(said + strlen("Phiên “Phiên thử” bắt đầu, lệch "), "%ld",
                            &session_deviation), 1);
    print_message("session start deviation: %+ld ms\n", session_deviation);
    assert_true(labs(session_deviation) <= 50);
    free(out);

    size_t n = 0;
    bt_airing_row *rows = airings(&f, &n);
    assert_int_equal(n, 2);
    static const char *const ids[] = {"tin-a", "tin-b"};
    static const int64_t ms[] = {2000, 2000};
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(rows[i].subject.item_id, ids[i]);
        assert_string_equal(rows[i].subject.playlist_id, "thu-loa");
        assert_string_equal(rows[i].subject.session_id, "thu");
        assert_int_equal(rows[i].subject.scheduled_at, f.at);
        assert_int_equal(rows[i].status, BT_AIRING_COMPLETED);
        assert_true(rows[i].clock_trusted);
        assert_true(llabs(rows[i].duration_ms - ms[i]) <= 50);
    }
    /* The item follows the chime (its logged start carries the event timing's jitter). */
    int64_t deviation = rows[0].started_at_ms - (f.at * 1000 + lrint(f.chime * 1000));
    print_message("first item start deviation (as logged): %+lld ms\n", (long long)deviation);
    assert_true(llabs(deviation) <= 50);
    free(rows);

    /* What the loudspeaker got: chime, item, item, chime, and not silence. */
    char raw[1200];
    snprintf(raw, sizeof raw, "%s/out.raw", f.dir);
    size_t len = 0;
    int16_t *pcm = (int16_t *)(void *)bt_test_read_file(raw, &len);
    assert_non_null(pcm);
    size_t frames = len / 4, first = frames, last = 0;
    for (size_t i = 0; i < frames; i++) {
        if (abs(pcm[2 * i]) > SILENCE || abs(pcm[2 * i + 1]) > SILENCE) {
            if (first == frames)
                first = i;
            last = i + 1;
        }
    }
    assert_true(first < frames);
    /* Sound until the items end (the chime's tail fades under the silence threshold). */
    size_t chime = (size_t)lrint(f.chime * BT_AUDIO_RATE);
    assert_true(last >= first + chime + 4 * BT_AUDIO_RATE);
    assert_true(last <= first + (size_t)lrint(session * BT_AUDIO_RATE) + BT_AUDIO_RATE / 20);
    /* Each item in its stretch, at the loudness target (−16 LUFS by default) ±1 LU, although
     * the files were made 4 and 12 dB quieter. */
    for (size_t k = 0; k < 2; k++) {
        size_t from = first + chime + k * 2 * BT_AUDIO_RATE + BT_AUDIO_RATE / 10;
        double lufs, peak;
        assert_int_equal(bt_loudness_of_pcm(pcm + 2 * from, BT_AUDIO_RATE * 18 / 10, 2,
                                            BT_AUDIO_RATE, &lufs, &peak), 0);
        print_message("item %zu: %.2f LUFS\n", k + 1, lufs);
        assert_true(fabs(lufs - (-16.0)) <= 1.0);
    }
    free(pcm);
}

/* ---- 2: kill -9 while airing ---------------------------------------------------------------- */

/* ---- 1b: the TV is off, the loudspeaker is not -------------------------------------------- */

/* Under systemd (NOTIFY_SOCKET set) a display that cannot be opened is waited for; the ward's
 * broadcasts go out meanwhile. Here the display is an X server that is not there. */
static void loudspeaker_airs_while_the_display_is_missing(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "kiosk-airing-nodisplay", 2.0);
    double session = 2 * f.chime + 4.0;
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "NOTIFY_SOCKET=/nonexistent/notify SDL_VIDEODRIVER=x11 DISPLAY=:97 "
             "SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' timeout -s TERM -k 10 %.0f "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' 2>&1",
             f.dir, LEAD_SECONDS + session + 3.0, f.dir, f.dir, f.dir);
    int status;
    char *out = run(cmd, &status);
    /* Stopped by `timeout`'s SIGTERM while still waiting for its display (as systemd stops
     * it): at once and cleanly. */
    assert_int_equal(status, 124);
    assert_non_null(strstr(out, "Chưa mở được màn hình"));
    free(out);
    size_t n = 0;
    bt_airing_row *rows = airings(&f, &n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].status != BT_AIRING_COMPLETED)
            fail_msg("row %zu: %s (%s)", i, bt_airing_status_name(rows[i].status),
                     rows[i].reason);
        assert_int_equal(rows[i].subject.scheduled_at, f.at);
    }
    free(rows);
}

static void kill_during_airing_leaves_crash_row_and_loses_nothing(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "kiosk-crash", 3.0);
    char cmd[4096], line[8192];
    kiosk_cmd(&f, 120, cmd, sizeof cmd);
    /* Killed 1.5 s into tin-a. */
    double kill_after = (double)(f.at - (bt_wall)time(NULL)) + f.chime + 1.5;
    snprintf(line, sizeof line, "%s >'%s/run1.log' 2>&1 & pid=$!; sleep %.1f; kill -9 $pid; "
                                "{ wait $pid; } 2>/dev/null; echo $?", cmd, f.dir, kill_after);
    int status;
    char *out = run(line, &status);
    assert_string_equal(out, "137\n");
    free(out);

    /* Before any restart: the start row of tin-a is there, open. */
    out = sql(&f, "SELECT item_id, status FROM airings ORDER BY airing", &status);
    assert_string_equal(out, "tin-a|airing\n");
    free(out);
    char *before = sql(&f, "SELECT seq, hash FROM airing_events ORDER BY seq", &status);
    assert_int_equal(status, 0);

    /* Restart: the open airing is closed as a crash, and the session is made up. */
    double session = 2 * f.chime + 5.0;
    kiosk_cmd(&f, session + 3.0, cmd, sizeof cmd);
    snprintf(line, sizeof line, "%s 2>&1", cmd);
    out = run(line, &status);
    assert_int_equal(status, 0);
    free(out);

    size_t n = 0;
    bt_airing_row *rows = airings(&f, &n);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].subject.item_id, "tin-a");
    assert_int_equal(rows[0].status, BT_AIRING_INTERRUPTED);
    assert_string_equal(rows[0].reason, BT_AIRING_REASON_CRASH);
    assert_int_equal(rows[0].ended_at_ms, 0); /* unknown: nobody saw the end */
    assert_string_equal(rows[1].subject.item_id, "tin-a");
    assert_int_equal(rows[1].status, BT_AIRING_COMPLETED);
    assert_string_equal(rows[2].subject.item_id, "tin-b");
    assert_int_equal(rows[2].status, BT_AIRING_COMPLETED);
    free(rows);

    /* Every row committed before the crash is still there, unchanged. */
    char *after = sql(&f, "SELECT seq, hash FROM airing_events ORDER BY seq", &status);
    assert_int_equal(strncmp(before, after, strlen(before)), 0);
    assert_true(strlen(after) > strlen(before));
    free(before);
    free(after);
    out = sql(&f, "PRAGMA integrity_check", &status);
    assert_string_equal(out, "ok\n");
    free(out);
    snprintf(line, sizeof line, BANGTIN " --data '%s/data' log verify", f.dir);
    out = run(line, &status);
    assert_int_equal(status, 0);
    free(out);
}

/* ---- 3: log and log verify ------------------------------------------------------------------ */

static void add_rows(const fixture *f)
{
    bt_store *s = open_store(f);
    bt_airing_subject subj;
    memset(&subj, 0, sizeof subj);
    snprintf(subj.item_id, sizeof subj.item_id, "tin-dvc");
    snprintf(subj.title, sizeof subj.title, "Dịch vụ công trực tuyến");
    snprintf(subj.topic, sizeof subj.topic, "dich-vu-cong");
    snprintf(subj.playlist_id, sizeof subj.playlist_id, "demo");
    subj.playlist_version = 3;
    snprintf(subj.session_id, sizeof subj.session_id, "ban-tin-sang");
    assert_int_equal(bt_time_parse_datetime("2025-10-06 06:00", &subj.scheduled_at), 0);
    int64_t id = 0, t = subj.scheduled_at * 1000;
    assert_int_equal(bt_airing_begin(s, &subj, t + 2600, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL, t + 65600, 63000, true), 0);
    assert_int_equal(bt_time_parse_datetime("2025-10-07 06:00", &subj.scheduled_at), 0);
    assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_MISSED, "off", true, NULL), 0);
    assert_int_equal(bt_time_parse_datetime("2025-11-03 06:00", &subj.scheduled_at), 0);
    snprintf(subj.item_id, sizeof subj.item_id, "tin-vneid");
    snprintf(subj.title, sizeof subj.title, "Kích hoạt tài khoản định danh điện tử");
    assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_FAILED, "playback: tệp hỏng", true,
                                      NULL), 0);
    bt_store_close(s);
}

static void log_lists_and_verify_names_edited_and_deleted_rows(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f, "kiosk-log", 1.0);
    add_rows(&f);
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s/data' log", f.dir);
    char *out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "3 lần phát"));
    assert_non_null(strstr(out, "06/10/2025 06:00"));
    assert_non_null(strstr(out, "Dịch vụ công trực tuyến"));
    assert_non_null(strstr(out, "đã phát"));
    assert_non_null(strstr(out, "06:00:02"));
    assert_non_null(strstr(out, "1:03.0"));
    assert_non_null(strstr(out, "bỏ lỡ"));
    assert_non_null(strstr(out, "máy tắt"));
    assert_non_null(strstr(out, "lỗi phát âm thanh: tệp hỏng"));
    free(out);
    /* A range of days: only October's rows. */
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s/data' log --from 01/10/2025 --to 2025-10-31",
             f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "2 lần phát"));
    assert_null(strstr(out, "tin-vneid"));
    free(out);
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s/data' log --from hôm-qua 2>&1", f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 2);
    free(out);

    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s/data' log verify", f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "nguyên vẹn"));
    free(out);

    /* Someone edits the first row's title with the triggers out of the way. */
    free(sql(&f, "DROP TRIGGER airing_events_no_update; "
                 "UPDATE airing_events SET title = 'Tin khác' WHERE seq = 1;", &status));
    assert_int_equal(status, 0);
    out = run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "KHÔNG nguyên vẹn"));
    assert_non_null(strstr(out, "dòng #1"));
    assert_non_null(strstr(out, "tin-dvc"));
    free(out);

    /* A deleted row is named too (on a fresh log). */
    make_fixture(&f, "kiosk-log-delete", 1.0);
    add_rows(&f);
    free(sql(&f, "DROP TRIGGER airing_events_no_delete; DELETE FROM airing_events WHERE seq = 3;",
             &status));
    assert_int_equal(status, 0);
    snprintf(cmd, sizeof cmd, BANGTIN " --data '%s/data' log verify", f.dir);
    out = run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "dòng #3"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kiosk_airs_session_and_logs_it),
        cmocka_unit_test(loudspeaker_airs_while_the_display_is_missing),
        cmocka_unit_test(kill_during_airing_leaves_crash_row_and_loses_nothing),
        cmocka_unit_test(log_lists_and_verify_names_edited_and_deleted_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
