/* Issue 14, item 9: the kiosk's memory. SDL2_mixer (with libfluidsynth and its chain),
 * libebur128 and libespeak-ng are the audio module's (audio/audio_module.h), opened on first use:
 * the real `bangtin run` on the demo playlist (offscreen video, SDL's disk audio driver) has
 * opened its device and loaded and measured its chime without mapping any of them. A session
 * with a compressed item leaves it so: the item is decoded in a child (bt_decode_isolated.h),
 * and what the amplifier gets is, sample for sample, what SDL2_mixer decodes in-process; a
 * decoder that crashes fails that item only. And a machine whose module is missing still shows
 * its lobby: a session that needs the module is logged failed with the sentence staff read
 * (which file is missing, what to do). */
#include "bt_test_support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_time.h"

#define BANGTIN BT_BANGTIN_EXE
/* Seconds from start to the session: start-up and measuring fit, also under ASan. */
#define LEAD_SECONDS 8

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
    char *log = bt_test_run_expect(cmd, 0);
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

/* A playlist in dir/NAME with one session at `at` airing audio/FILE. */
static void write_session_playlist(const char *dir, const char *name, const char *file,
                                   const char *at)
{
    char path[1200], text[2048];
    snprintf(text, sizeof text,
             "id = \"%s\";\nversion = 1;\ntitle = \"Tệp nén\";\n"
             "notices = ( { id = \"chao\"; kind = \"text\"; title = \"Xin chào\"; duration = 3; } );\n"
             "broadcasts = {\n"
             "  items = ( { id = \"tin\"; title = \"Tin\"; audio = \"audio/%s\"; } );\n"
             "  sessions = ( { id = \"phien\"; name = \"Phiên\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin\" ]; } );\n"
             "};\n",
             name, file, at);
    snprintf(path, sizeof path, "%s/%s/playlist.cfg", dir, name);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
}

/* The expectation, made in this process as the kiosk decoded before: SDL2_mixer on the dummy
 * driver in the engine's format, folded to mono, written as a WAV of the engine's format with
 * that mono on both channels (SDL loads it unconverted, and folds it back to the same mono). */
static void mixer_decode_to_wav(const char *ogg, const char *wav)
{
    SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
    assert_int_equal(SDL_InitSubSystem(SDL_INIT_AUDIO), 0);
    assert_int_equal(Mix_OpenAudioDevice(BT_AUDIO_RATE, AUDIO_S16SYS, BT_AUDIO_CHANNELS, 1024,
                                         NULL, 0), 0);
    Mix_Chunk *chunk = Mix_LoadWAV(ogg);
    if (!chunk)
        fail_msg("SDL2_mixer: %s", Mix_GetError());
    size_t n = chunk->alen / (sizeof(int16_t) * BT_AUDIO_CHANNELS);
    int16_t *lr = (int16_t *)chunk->abuf;
    for (size_t i = 0; i < n; i++)
        lr[2 * i] = lr[2 * i + 1] = (int16_t)(((int32_t)lr[2 * i] + lr[2 * i + 1]) / 2);
    /* SDL writes no WAV: the 44-byte header by hand (a little-endian host, as the samples). */
    uint32_t data_bytes = (uint32_t)(n * 2 * BT_AUDIO_CHANNELS);
    uint32_t fields32[] = {36 + data_bytes, 16, BT_AUDIO_RATE, BT_AUDIO_RATE * 4};
    uint16_t fields16[] = {1, BT_AUDIO_CHANNELS, 4, 16};
    unsigned char h[44];
    memcpy(h, "RIFF", 4);
    memcpy(h + 4, &fields32[0], 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    memcpy(h + 16, &fields32[1], 4);
    memcpy(h + 20, &fields16[0], 4); /* PCM, channels */
    memcpy(h + 24, &fields32[2], 8); /* rate, bytes a second */
    memcpy(h + 32, &fields16[2], 4); /* bytes a frame, bits */
    memcpy(h + 36, "data", 4);
    memcpy(h + 40, &data_bytes, 4);
    FILE *f = fopen(wav, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(h, 1, sizeof h, f), sizeof h);
    assert_int_equal(fwrite(lr, 1, data_bytes, f), data_bytes);
    assert_int_equal(fclose(f), 0);
    Mix_FreeChunk(chunk);
    Mix_CloseAudio();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

/* The span of out.raw from its first to its last sample that is not silence (the disk driver
 * pads with silence before and after), malloc'd into *span. */
static size_t sounding_span(const char *raw, unsigned char **span)
{
    size_t len = 0;
    unsigned char *data = (unsigned char *)bt_test_read_file(raw, &len);
    assert_non_null(data);
    size_t first = 0, last = len;
    while (first < len && data[first] == 0)
        first++;
    while (last > first && data[last - 1] == 0)
        last--;
    first &= ~(size_t)3; /* whole stereo frames */
    last = (last + 3) & ~(size_t)3;
    if (last > len)
        last = len;
    *span = malloc(last - first + 1);
    assert_non_null(*span);
    memcpy(*span, data + first, last - first);
    free(data);
    return last - first;
}

static void compressed_item_airs_from_a_child_and_maps_no_mixer(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-audio-child");
    assert_non_null(dir);
    write_config(dir);
    char cmd[8192], path[1200], wav[1200], at[32];
    /* The demo's own compressed chime as the item: 2.6 s of OGG at 48 kHz. */
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/ogg/audio' '%s/wav/audio' '%s/d-ogg' '%s/d-wav' && "
             "cp '%s/assets/chime.ogg' '%s/ogg/audio/tin.ogg'",
             dir, dir, dir, dir, BT_STAGE_DIR, dir);
    free(bt_test_run_expect(cmd, 0));
    snprintf(path, sizeof path, "%s/ogg/audio/tin.ogg", dir);
    snprintf(wav, sizeof wav, "%s/wav/audio/tin.wav", dir);
    mixer_decode_to_wav(path, wav);

    /* Two kiosks side by side: the OGG item, and the same samples decoded here as a WAV. */
    bt_wall first = (bt_wall)time(NULL) + LEAD_SECONDS + 4;
    bt_time_format_iso(first, at, sizeof at);
    write_session_playlist(dir, "ogg", "tin.ogg", at);
    write_session_playlist(dir, "wav", "tin.wav", at);
    long after = (long)(first - (bt_wall)time(NULL)) + 12; /* chime, item, chime, amp-off */
    snprintf(cmd, sizeof cmd,
             "cd '%s' || exit 1; for k in ogg wav; do "
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE=\"$PWD/$k.raw\" "
             BANGTIN " --config bangtin.cfg --data \"d-$k\" run --playlist \"$k\" "
             "--size 640x360 --duration %ld > \"$k.log\" 2>&1 & eval \"pid_$k=$!\"; done; "
             "sleep %ld; cat /proc/$pid_ogg/maps > maps; "
             "wait; cat ogg.log",
             dir, after + 3, after);
    char *log = bt_test_run_expect(cmd, 0);
    snprintf(path, sizeof path, "%s/maps", dir);
    char *maps = bt_test_read_file(path, NULL);
    assert_non_null(maps);
    assert_non_null(strstr(maps, "libSDL2-2.0"));
    /* libglib itself is HarfBuzz's (SDL_ttf): gobject, instpatch and jack come with the mixer. */
    const char *absent[] = {"libSDL2_mixer", "libfluidsynth", "libgobject", "libinstpatch",
                            "libjack",       "bangtin-audio"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (strstr(maps, absent[i]))
            fail_msg("the kiosk maps %s after a session with an OGG item:\n%s", absent[i], log);
    free(maps);
    free(log);

    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "sqlite3 '%s/d-%s/bangtin.db' \"SELECT item_id, status FROM airings "
                 "WHERE item_id = 'tin'\" 2>&1",
                 dir, k ? "wav" : "ogg");
        char *rows = bt_test_run_expect(cmd, 0);
        if (strcmp(rows, "tin|completed\n") != 0)
            fail_msg("%s: %s", k ? "wav" : "ogg", rows);
        free(rows);
    }
    unsigned char *from_child = NULL, *from_here = NULL;
    snprintf(path, sizeof path, "%s/ogg.raw", dir);
    size_t n_child = sounding_span(path, &from_child);
    snprintf(path, sizeof path, "%s/wav.raw", dir);
    size_t n_here = sounding_span(path, &from_here);
    /* Chime, item (2.6 s), chime: at least the item's 4 bytes a frame at 48 kHz. */
    assert_true(n_here > (size_t)(2.6 * BT_AUDIO_RATE * 4));
    assert_int_equal(n_child, n_here);
    assert_memory_equal(from_child, from_here, n_here);
    free(from_child);
    free(from_here);
    free(dir);
}

/* The kiosk (with env before it) on a playlist whose one session, LEAD_SECONDS from now, airs
 * the demo's compressed chime as its item, run to the session's end; what it printed (it must
 * exit 0: the lobby went on). */
static char *kiosk_with_ogg_session(const char *dir, const char *env)
{
    char cmd[4096], at[32];
    write_config(dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/pl/audio' '%s/data' && cp '%s/assets/chime.ogg' '%s/pl/audio/tin.ogg'",
             dir, dir, BT_STAGE_DIR, dir);
    free(bt_test_run_expect(cmd, 0));
    bt_wall first = (bt_wall)time(NULL) + LEAD_SECONDS;
    bt_time_format_iso(first, at, sizeof at);
    write_session_playlist(dir, "pl", "tin.ogg", at);
    double seconds = (double)(first - (bt_wall)time(NULL)) + 4.0;
    snprintf(cmd, sizeof cmd,
             "%s SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='%s/out.raw' "
             BANGTIN " --config '%s/bangtin.cfg' --data '%s/data' run --playlist '%s/pl' "
             "--size 640x360 --duration %.1f 2>&1",
             env, dir, dir, dir, dir, seconds);
    return bt_test_run_expect(cmd, 0);
}

/* The session's rows (session|status|reason) after kiosk_with_ogg_session; asserts the lobby
 * counted its notice meanwhile. */
static char *session_rows_and_lobby_shown(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/data/bangtin.db' \"SELECT notice_id FROM impressions WHERE shows > 0\"",
             dir);
    char *out = bt_test_run_expect(cmd, 0);
    assert_string_equal(out, "chao\n");
    free(out);
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s/data/bangtin.db' \"SELECT session_id, status, reason FROM airings\" 2>&1",
             dir);
    return bt_test_run_expect(cmd, 0);
}

static void missing_module_fails_the_session_and_the_lobby_goes_on(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-audio-missing");
    assert_non_null(dir);
    char env[1400];
    snprintf(env, sizeof env, "BANGTIN_AUDIO_MODULE='%s/khong-co/bangtin-audio.so'", dir);
    char *out = kiosk_with_ogg_session(dir, env);
    const char *sentence = "máy này thiếu bộ giải mã và đo âm thanh của bangtin (không có tệp ";
    if (!strstr(out, sentence))
        fail_msg("no sentence for staff in the journal:\n%s", out);
    assert_non_null(strstr(out, "hãy cài lại gói: sudo apt install --reinstall bangtin"));
    free(out);
    /* The session's row: failed, with that sentence. */
    out = session_rows_and_lobby_shown(dir);
    assert_non_null(strstr(out, "phien|failed|"));
    assert_non_null(strstr(out, sentence));
    free(out);
    free(dir);
}

static void crashing_decoder_fails_its_item_and_the_kiosk_goes_on(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("kiosk-audio-crash");
    assert_non_null(dir);
    /* The decoding child aborts (as a decoder crashing on a file would); the measuring child
     * does not read the variable. */
    free(kiosk_with_ogg_session(dir, "BANGTIN_TEST_FAULT=crash-decode-audio"));
    char *out = session_rows_and_lobby_shown(dir);
    if (!strstr(out, "phien|failed|") || !strstr(out, "Tiến trình giải mã “") ||
        !strstr(out, "tin.ogg” bị lỗi (tín hiệu "))
        fail_msg("the crash is not the item's reason:\n%s", out);
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lobby_maps_none_of_the_audio_module_libraries),
        cmocka_unit_test(missing_module_fails_the_session_and_the_lobby_goes_on),
        cmocka_unit_test(compressed_item_airs_from_a_child_and_maps_no_mixer),
        cmocka_unit_test(crashing_decoder_fails_its_item_and_the_kiosk_goes_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
