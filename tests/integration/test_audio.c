/* Audio really played: loudness measurement against a reference tone, rejection of silent,
 * undecodable and missing files, the do-nothing backend, amplifier hooks (exit code, timeout
 * kills the whole group), and playout through SDL's disk driver: the captured output holds
 * chime, item, chime, gapless, each at the loudness target ±1 LU and the expected length
 * ±50 ms; a session starts at its deadline, waits for a warm amplifier, and an emergency stop
 * cuts it. Test audio is synthesised here (WAV) or with sox (OGG). */
#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_loudness.h"

#define RATE BT_AUDIO_RATE
#define TARGET (-16.0)
/* Output samples quieter than this (about −50 dBFS) count as silence. */
#define SILENCE 100

static char *tmp;

static char *path_in(const char *name)
{
    size_t size = strlen(tmp) + strlen(name) + 2;
    char *p = malloc(size);
    assert_non_null(p);
    snprintf(p, size, "%s/%s", tmp, name);
    return p;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A 16-bit PCM WAV of a sine (all channels equal) with short fades against clicks. */
static char *write_tone(const char *name, int rate, int channels, double freq, double dbfs,
                        double seconds)
{
    size_t frames = (size_t)lrint(seconds * rate);
    size_t data = frames * (size_t)channels * 2;
    unsigned char *buf = calloc(1, 44 + data);
    assert_non_null(buf);
    memcpy(buf, "RIFF", 4);
    put_le(buf + 4, (uint32_t)(36 + data), 4);
    memcpy(buf + 8, "WAVEfmt ", 8);
    put_le(buf + 16, 16, 4);
    put_le(buf + 20, 1, 2);
    put_le(buf + 22, (uint32_t)channels, 2);
    put_le(buf + 24, (uint32_t)rate, 4);
    put_le(buf + 28, (uint32_t)(rate * channels * 2), 4);
    put_le(buf + 32, (uint32_t)(channels * 2), 2);
    put_le(buf + 34, 16, 2);
    memcpy(buf + 36, "data", 4);
    put_le(buf + 40, (uint32_t)data, 4);
    double amp = 32767.0 * pow(10.0, dbfs / 20.0);
    size_t fade = (size_t)(rate / 200); /* 5 ms */
    for (size_t i = 0; i < frames; i++) {
        double env = 1.0;
        if (i < fade)
            env = (double)i / (double)fade;
        if (frames - i < fade)
            env = (double)(frames - i) / (double)fade;
        int16_t v = (int16_t)lrint(amp * env * sin(2.0 * M_PI * freq * (double)i / rate));
        for (int c = 0; c < channels; c++)
            put_le(buf + 44 + (i * (size_t)channels + (size_t)c) * 2, (uint16_t)v, 2);
    }
    char *path = path_in(name);
    assert_int_equal(bt_test_write_file(path, buf, 44 + data), 0);
    free(buf);
    return path;
}

static int64_t mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int setup(void **state)
{
    (void)state;
    tmp = bt_test_temp_dir("audio");
    return tmp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    SDL_Quit(); /* as the app does at exit: frees SDL's hints (the dummy-driver override) */
    free(tmp);
    return 0;
}

/* ---- measurement ---------------------------------------------------------------------------- */

static void gain_is_target_minus_measured_within_the_peak_ceiling(void **state)
{
    (void)state;
    assert_float_equal(bt_loudness_gain_db(-30, -20, -16, -1), 14.0, 1e-9);
    assert_float_equal(bt_loudness_gain_db(-10, -0.5, -16, -1), -6.0, 1e-9);
    /* +4 dB would push the peak to +1 dBFS: only +2 is allowed. */
    assert_float_equal(bt_loudness_gain_db(-20, -3, -16, -1), 2.0, 1e-9);
    assert_float_equal(bt_loudness_gain_db(-HUGE_VAL, -3, -16, -1), 0.0, 1e-9);
}

/* BS.1770: a 997 Hz sine at A dBFS on both channels measures A LUFS. */
static void measures_reference_tone(void **state)
{
    (void)state;
    char *stereo = write_tone("ref-stereo.wav", 48000, 2, 997, -20, 5.0);
    bt_loudness l;
    char err[512] = "";
    if (bt_loudness_measure(stereo, &l, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_float_equal(l.integrated_lufs, -20.0, 0.1);
    assert_float_equal(l.sample_peak_dbfs, -20.0, 0.05);
    assert_true(l.true_peak_dbtp >= l.sample_peak_dbfs - 0.01);
    assert_float_equal(l.duration_seconds, 5.0, 0.001);

    /* The content hash is the file's SHA-256. */
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "sha256sum '%s'", stereo);
    int status = -1;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 0);
    assert_int_equal(strncmp(out, l.sha256, 64), 0);
    assert_int_equal(strlen(l.sha256), 64);
    free(out);

    /* A mono file at another rate airs on both channels: the same loudness. */
    char *mono = write_tone("ref-mono.wav", 44100, 1, 997, -20, 5.0);
    if (bt_loudness_measure(mono, &l, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_float_equal(l.integrated_lufs, -20.0, 0.15);
    assert_float_equal(l.duration_seconds, 5.0, 0.001);

    /* The PCM helper used on captured output agrees (2 channels, each weighted 1). */
    size_t frames = 48000 * 3;
    int16_t *pcm = malloc(frames * 2 * sizeof(int16_t));
    assert_non_null(pcm);
    for (size_t i = 0; i < frames; i++)
        pcm[2 * i] = pcm[2 * i + 1] =
            (int16_t)lrint(3276.7 * sin(2.0 * M_PI * 997.0 * (double)i / 48000.0));
    double lufs, peak;
    assert_int_equal(bt_loudness_of_pcm(pcm, frames, 2, 48000, &lufs, &peak), 0);
    assert_float_equal(lufs, -20.0, 0.1);
    assert_float_equal(peak, -20.0, 0.05);
    free(pcm);
    free(stereo);
    free(mono);
}

static void measures_ogg_made_by_sox(void **state)
{
    (void)state;
    char *ogg = path_in("tone.ogg");
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "sox -R -n -r 44100 -c 1 '%s' synth 3 sine 997 gain -23 2>&1", ogg);
    int status = -1;
    free(bt_test_run(cmd, &status));
    assert_int_equal(status, 0);
    bt_loudness l;
    char err[512] = "";
    if (bt_loudness_measure(ogg, &l, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_float_equal(l.integrated_lufs, -23.0, 0.3);
    /* SDL_mixer 2.6's OGG path drops the last ~13 ms when it resamples 44.1 → 48 kHz. */
    assert_float_equal(l.duration_seconds, 3.0, 0.02);

    /* The playlist helper fills the item's measured fields. */
    bt_broadcast_item item;
    memset(&item, 0, sizeof(item));
    item.audio = "tone.ogg";
    assert_int_equal(bt_loudness_measure_item(tmp, &item, err, sizeof(err)), 0);
    assert_string_equal(item.sha256, l.sha256);
    assert_float_equal(item.loudness_lufs, l.integrated_lufs, 1e-9);
    assert_float_equal(item.duration_seconds, l.duration_seconds, 1e-9);
    free(ogg);
}

static void expect_rejected(const char *path, const char *words)
{
    bt_loudness l;
    char err[512] = "";
    assert_int_equal(bt_loudness_measure(path, &l, err, sizeof(err)), -1);
    if (!strstr(err, words))
        fail_msg("expected “%s” in: %s", words, err);
    assert_string_equal(l.sha256, "");
    assert_true(l.integrated_lufs == 0.0);
}

static void rejects_silence_garbage_and_missing_files(void **state)
{
    (void)state;
    char *silent = write_tone("silent.wav", 48000, 1, 440, -HUGE_VAL, 2.0);
    expect_rejected(silent, "chỉ có im lặng");
    char *whisper = write_tone("whisper.wav", 48000, 1, 440, -85, 2.0);
    expect_rejected(whisper, "chỉ có im lặng");

    unsigned char noise[4096];
    unsigned seed = 12345;
    for (size_t i = 0; i < sizeof(noise); i++) {
        seed = seed * 1103515245u + 12345u;
        noise[i] = (unsigned char)(seed >> 16);
    }
    char *garbage = path_in("garbage.ogg");
    assert_int_equal(bt_test_write_file(garbage, noise, sizeof(noise)), 0);
    expect_rejected(garbage, "Không giải mã được");

    /* A WAV header that promises more than it holds: a truncated copy from a stick. */
    char *good = write_tone("good.wav", 48000, 1, 440, -20, 1.0);
    size_t len = 0;
    char *bytes = bt_test_read_file(good, &len);
    assert_non_null(bytes);
    char *cut = path_in("cut.wav");
    assert_int_equal(bt_test_write_file(cut, bytes, 30), 0);
    expect_rejected(cut, "Không giải mã được");

    char *empty = path_in("empty.mp3");
    assert_int_equal(bt_test_write_file(empty, "", 0), 0);
    expect_rejected(empty, "rỗng");
    char *missing = path_in("khong-co.ogg");
    expect_rejected(missing, "Không mở được");
    free(bytes);
    free(silent);
    free(whisper);
    free(garbage);
    free(good);
    free(cut);
    free(empty);
    free(missing);
}

/* ---- hooks ---------------------------------------------------------------------------------- */

static void hooks_report_status_and_are_killed_at_timeout(void **state)
{
    (void)state;
    char err[512] = "";
    assert_int_equal(bt_audio_run_hook("exit 3", 1000, err, sizeof(err)), 3);
    assert_int_equal(bt_audio_run_hook("true", 1000, err, sizeof(err)), 0);
    /* stdin is /dev/null: a hook that reads does not hang on the terminal. */
    assert_int_equal(bt_audio_run_hook("cat", 1000, err, sizeof(err)), 0);

    char *marker = path_in("hook-marker");
    unlink(marker);
    char cmd[1024];
    /* The shell's child (sleep, then touch) is in the hook's group and dies with it. */
    snprintf(cmd, sizeof(cmd), "(sleep 0.4; touch '%s') & wait", marker);
    int64_t t0 = mono_now();
    assert_int_equal(bt_audio_run_hook(cmd, 100, err, sizeof(err)), -1);
    int64_t took_ms = (mono_now() - t0) / 1000000;
    assert_true(took_ms >= 100 && took_ms < 400);
    assert_non_null(strstr(err, "quá 100 ms"));
    sleep_ms(600);
    assert_int_not_equal(access(marker, F_OK), 0);
    free(marker);
}

/* ---- playout -------------------------------------------------------------------------------- */

typedef struct {
    bt_audio_event ev[64];
    size_t n;
} event_log;

/* Polls until SESSION_ENDED (or fails after timeout_ms). */
static void collect(bt_audio *a, event_log *log, int timeout_ms)
{
    int64_t until = mono_now() + (int64_t)timeout_ms * 1000000;
    for (;;) {
        bt_audio_event e;
        while (bt_audio_poll(a, &e)) {
            assert_true(log->n < 64);
            log->ev[log->n++] = e;
            if (e.kind == BT_AUDIO_SESSION_ENDED)
                return;
        }
        if (mono_now() > until)
            fail_msg("no SESSION_ENDED after %d ms (%zu events)", timeout_ms, log->n);
        sleep_ms(2);
    }
}

static const bt_audio_event *find(const event_log *log, bt_audio_event_kind kind, int item,
                                  bool closing)
{
    for (size_t i = 0; i < log->n; i++)
        if (log->ev[i].kind == kind && log->ev[i].item == item &&
            (item >= 0 || log->ev[i].closing_chime == closing))
            return &log->ev[i];
    return NULL;
}

static bt_audio_config base_config(const char *chime)
{
    bt_audio_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.chime_path = chime;
    cfg.loudness_target_lufs = TARGET;
    cfg.volume_percent = 100;
    return cfg;
}

static bt_audio *open_disk(const bt_audio_config *cfg, const char *raw, bool fast)
{
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    if (fast)
        setenv("SDL_DISKAUDIODELAY", "0", 1);
    else
        unsetenv("SDL_DISKAUDIODELAY");
    bt_audio *a = NULL;
    char err[512] = "";
    if (bt_audio_open(cfg, &a, err, sizeof(err)) != 0)
        fail_msg("bt_audio_open: %s", err);
    if (!bt_audio_has_device(a))
        fail_msg("no device: %s", bt_audio_device_problem(a));
    assert_null(bt_audio_chime_problem(a));
    return a;
}

typedef struct {
    int16_t *pcm; /* interleaved stereo */
    size_t frames;
    size_t first, last; /* the non-silent span [first, last) */
} capture;

static capture read_capture(const char *raw)
{
    capture c;
    memset(&c, 0, sizeof(c));
    size_t len = 0;
    c.pcm = (int16_t *)(void *)bt_test_read_file(raw, &len);
    assert_non_null(c.pcm);
    c.frames = len / 4;
    c.first = c.frames;
    for (size_t i = 0; i < c.frames; i++) {
        if (abs(c.pcm[2 * i]) > SILENCE || abs(c.pcm[2 * i + 1]) > SILENCE) {
            if (c.first == c.frames)
                c.first = i;
            c.last = i + 1;
        }
    }
    assert_true(c.first < c.frames); /* not silent */
    return c;
}

/* Dominant frequency from zero crossings of the left channel over [from, from + n). */
static double frequency(const capture *c, size_t from, size_t n)
{
    size_t crossings = 0;
    for (size_t i = from + 1; i < from + n; i++)
        if ((c->pcm[2 * (i - 1)] < 0) != (c->pcm[2 * i] < 0))
            crossings++;
    return (double)crossings * RATE / (2.0 * (double)n);
}

static double loudness(const capture *c, size_t from, size_t n)
{
    double lufs, peak;
    assert_int_equal(bt_loudness_of_pcm(c->pcm + 2 * from, n, 2, RATE, &lufs, &peak), 0);
    assert_true(peak <= -0.9); /* never clipped */
    return lufs;
}

/* Longest run of silent frames inside the span: a gap between segments would show here. */
static size_t longest_silence(const capture *c)
{
    size_t best = 0, run = 0;
    for (size_t i = c->first; i < c->last; i++) {
        if (abs(c->pcm[2 * i]) <= SILENCE && abs(c->pcm[2 * i + 1]) <= SILENCE) {
            if (++run > best)
                best = run;
        } else {
            run = 0;
        }
    }
    return best;
}

static void count_notify(void *ctx)
{
    SDL_AtomicIncRef((SDL_atomic_t *)ctx);
}

/* The engine wakes the main loop when it has news (a segment started or ended, the session
 * ends), not for every audio buffer: a 2 s session in real time is ~95 buffers of 1024 frames. */
static void wakes_the_main_loop_only_for_news(void **state)
{
    (void)state;
    char *chime = write_tone("chime-n.wav", 48000, 1, 880, -30, 0.5);
    char *item = write_tone("item-n.wav", 48000, 1, 440, -30, 1.0);
    char *raw = path_in("out-notify.raw");
    SDL_atomic_t calls;
    SDL_AtomicSet(&calls, 0);
    bt_audio_config cfg = base_config(chime);
    cfg.notify = count_notify;
    cfg.notify_ctx = &calls;
    bt_audio *a = open_disk(&cfg, raw, false);
    bt_loudness measured;
    char err[512] = "";
    assert_int_equal(bt_loudness_measure(item, &measured, err, sizeof(err)), 0);
    bt_audio_item items[] = {{item, measured.integrated_lufs, measured.sha256}};
    bt_audio_session s = {items, 1, true, mono_now()};
    SDL_AtomicSet(&calls, 0);
    assert_int_equal(bt_audio_start(a, &s, 7, err, sizeof(err)), 0);
    event_log log = {0};
    collect(a, &log, 10000);
    bt_audio_close(a);
    int n = SDL_AtomicGet(&calls);
    /* At least one wake for the events, and far fewer than one per buffer. */
    assert_true(n >= 1);
    if (n > (int)log.n + 4)
        fail_msg("%d wake-ups for %zu events", n, log.n);
    free(chime);
    free(item);
    free(raw);
}

static void plays_chime_item_chime_gapless_at_target(void **state)
{
    (void)state;
    /* Chime 880 Hz, quiet; item 440 Hz, much quieter, mono 44.1 kHz: both need gain. */
    char *chime = write_tone("chime.wav", 48000, 1, 880, -30, 0.5);
    char *item = write_tone("item.wav", 44100, 1, 440, -35, 2.0);
    char *raw = path_in("out-fast.raw");
    char *hooks = path_in("hooks.txt");
    unlink(hooks);
    char on[1024], off[1024];
    snprintf(on, sizeof(on), "echo on >> '%s'", hooks);
    snprintf(off, sizeof(off), "echo off >> '%s'", hooks);

    bt_audio_config cfg = base_config(chime);
    cfg.amp_on_command = on;
    cfg.amp_off_command = off;
    bt_audio *a = open_disk(&cfg, raw, true);
    assert_float_equal(bt_audio_chime_seconds(a), 0.5, 1e-6);

    bt_loudness measured;
    char err[512] = "";
    assert_int_equal(bt_loudness_measure(item, &measured, err, sizeof(err)), 0);
    bt_audio_item items[] = {{item, measured.integrated_lufs, measured.sha256}};
    bt_audio_session s = {items, 1, true, mono_now()};
    if (bt_audio_start(a, &s, 42, err, sizeof(err)) != 0)
        fail_msg("start: %s", err);
    assert_true(bt_audio_busy(a));
    /* One session at a time. */
    assert_int_equal(bt_audio_start(a, &s, 43, err, sizeof(err)), -1);
    event_log log = {0};
    collect(a, &log, 20000);
    assert_false(bt_audio_busy(a));
    bt_audio_close(a);

    /* Events: sample-exact joins, every segment whole. */
    const bt_audio_event *c1s = find(&log, BT_AUDIO_STARTED, -1, false);
    const bt_audio_event *c1e = find(&log, BT_AUDIO_ENDED, -1, false);
    const bt_audio_event *is = find(&log, BT_AUDIO_STARTED, 0, false);
    const bt_audio_event *ie = find(&log, BT_AUDIO_ENDED, 0, false);
    const bt_audio_event *c2s = find(&log, BT_AUDIO_STARTED, -1, true);
    const bt_audio_event *c2e = find(&log, BT_AUDIO_ENDED, -1, true);
    assert_true(c1s && c1e && is && ie && c2s && c2e);
    assert_int_equal(c1s->session_tag, 42);
    assert_int_equal(c1s->frame, 0);
    assert_int_equal(c1e->frames, 24000);
    assert_int_equal(is->frame, c1e->frame); /* gap 0 */
    assert_int_equal(ie->frames, 96000);
    assert_int_equal(c2s->frame, ie->frame);
    assert_int_equal(c2e->frame, 24000 + 96000 + 24000);
    assert_true(ie->mono >= is->mono && ie->wall_ms >= is->wall_ms);

    /* Output: chime, item, chime; the span as long as the three together. */
    capture c = read_capture(raw);
    double span = (double)(c.last - c.first) / RATE;
    assert_float_equal(span, 3.0, 0.05);
    assert_true(longest_silence(&c) < RATE / 100); /* no gap of 10 ms anywhere */
    size_t chime_n = 24000, item_n = 96000, margin = 960;
    assert_float_equal(frequency(&c, c.first + margin, chime_n - 2 * margin), 880.0, 15.0);
    assert_float_equal(frequency(&c, c.first + chime_n + margin, item_n - 2 * margin), 440.0,
                       10.0);
    assert_float_equal(frequency(&c, c.first + chime_n + item_n + margin, chime_n - 2 * margin),
                       880.0, 15.0);
    /* The item's own span (where 440 Hz is) lasts 2.0 s ± 50 ms. */
    size_t from = c.first + chime_n, to = from + item_n;
    while (from > c.first && frequency(&c, from - 480, 480) < 660)
        from -= 480;
    while (to < c.last && frequency(&c, to, 480) < 660)
        to += 480;
    assert_float_equal((double)(to - from) / RATE, 2.0, 0.05);
    /* Loudness at the target ±1 LU: item and chime alike. */
    assert_float_equal(loudness(&c, c.first + chime_n, item_n), TARGET, 1.0);
    assert_float_equal(loudness(&c, c.first, chime_n), TARGET, 1.0);

    char *h = bt_test_read_file(hooks, NULL);
    assert_non_null(h);
    assert_string_equal(h, "on\noff\n");
    free(h);
    free(c.pcm);
    free(chime);
    free(item);
    free(raw);
    free(hooks);
}

static void starts_at_deadline_and_waits_for_warm_amplifier(void **state)
{
    (void)state;
    char *item = write_tone("short.wav", 48000, 1, 660, -25, 0.3);
    char *raw = path_in("out-realtime.raw");
    bt_audio_config cfg = base_config(NULL);
    int64_t opened = mono_now();
    bt_audio *a = open_disk(&cfg, raw, false);
    char err[512] = "";
    bt_audio_item items[] = {{item, NAN, NULL}};

    /* On time: the first sound within 20 ms of the deadline (the budget's median). */
    int64_t deadline = mono_now() + 400 * 1000000LL;
    bt_audio_session s = {items, 1, true, deadline};
    assert_int_equal(bt_audio_start(a, &s, 1, err, sizeof(err)), 0);
    event_log log = {0};
    collect(a, &log, 5000);
    const bt_audio_event *st = find(&log, BT_AUDIO_STARTED, 0, false);
    assert_non_null(st);
    int64_t deviation_ms = (st->mono - deadline) / 1000000;
    assert_true(deviation_ms >= -20 && deviation_ms <= 20);
    const bt_audio_event *en = find(&log, BT_AUDIO_ENDED, 0, false);
    assert_non_null(en);
    assert_int_equal(en->frames, 14400);
    assert_float_equal((double)(en->mono - st->mono) / 1e9, 0.3, 0.05);
    bt_audio_close(a);
    /* Independently of our own clock reading: where the sound is in the real-time output. The
     * disk driver starts its file at open and paces itself by the buffer; when its thread is
     * starved (a loaded machine) the file runs behind the clock and the sound lands earlier in
     * it, never later. So: not late by more than the budget. */
    capture c = read_capture(raw);
    assert_true((double)c.first / RATE <= (double)(deadline - opened) / 1e9 + 0.03);
    assert_float_equal((double)(c.last - c.first) / RATE, 0.3, 0.05);
    free(c.pcm);

    /* A cold amplifier: warm-up 300 ms after amp-on, the deadline in 50 ms: start late. */
    cfg.amp_on_command = "true";
    cfg.amp_warmup_ms = 300;
    a = open_disk(&cfg, raw, false);
    assert_true(bt_audio_lead_ms(a, 0.3) >= 300 + BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS);
    int64_t t0 = mono_now();
    s.start_at = t0 + 50 * 1000000LL;
    assert_int_equal(bt_audio_start(a, &s, 2, err, sizeof(err)), 0);
    memset(&log, 0, sizeof(log));
    collect(a, &log, 5000);
    st = find(&log, BT_AUDIO_STARTED, 0, false);
    assert_non_null(st);
    assert_true(st->mono - t0 >= 300 * 1000000LL);
    assert_non_null(find(&log, BT_AUDIO_ENDED, 0, false));
    bt_audio_close(a);
    free(item);
    free(raw);
}

static void emergency_stop_cuts_and_cancels(void **state)
{
    (void)state;
    char *chime = write_tone("chime2.wav", 48000, 1, 880, -20, 0.2);
    char *one = write_tone("long.wav", 48000, 1, 440, -20, 3.0);
    char *two = write_tone("next.wav", 48000, 1, 550, -20, 1.0);
    char *raw = path_in("out-stop.raw");
    bt_audio_config cfg = base_config(chime);
    bt_audio *a = open_disk(&cfg, raw, false);
    char err[512] = "";
    bt_audio_item items[] = {{one, NAN, NULL}, {two, NAN, NULL}};
    bt_audio_session s = {items, 2, true, mono_now() + 50 * 1000000LL};
    assert_int_equal(bt_audio_start(a, &s, 7, err, sizeof(err)), 0);

    /* Wait until item 0 sounds, let it play 300 ms, then cut. */
    event_log log = {0};
    int64_t until = mono_now() + 3000 * 1000000LL;
    while (!find(&log, BT_AUDIO_STARTED, 0, false)) {
        bt_audio_event e;
        while (bt_audio_poll(a, &e))
            log.ev[log.n++] = e;
        assert_true(mono_now() < until);
        sleep_ms(2);
    }
    sleep_ms(300);
    bt_audio_stop(a);
    collect(a, &log, 3000);
    bt_audio_close(a);

    const bt_audio_event *cut = find(&log, BT_AUDIO_INTERRUPTED, 0, false);
    assert_non_null(cut);
    assert_true(cut->frames > RATE / 5 && cut->frames < RATE); /* ~0.3 s of 3 s */
    assert_non_null(strstr(cut->reason, "dừng"));
    assert_null(find(&log, BT_AUDIO_ENDED, 0, false));
    const bt_audio_event *cancelled = find(&log, BT_AUDIO_CANCELLED, 1, false);
    assert_non_null(cancelled);
    assert_null(find(&log, BT_AUDIO_STARTED, 1, false));
    assert_null(find(&log, BT_AUDIO_STARTED, -1, true)); /* no closing chime after a cut */

    capture c = read_capture(raw);
    double span = (double)(c.last - c.first) / RATE;
    /* Opening chime 0.2 s + about 0.3 s of the item (+ the fade), far from 0.2 + 3 + 1 + 0.2. */
    assert_true(span > 0.4 && span < 1.0);
    free(c.pcm);
    free(chime);
    free(one);
    free(two);
    free(raw);
}

/* Polls until an event of `kind` for `item` arrives (fails after 5 s). */
static void wait_for(bt_audio *a, event_log *log, bt_audio_event_kind kind, int item)
{
    int64_t until = mono_now() + 5000 * 1000000LL;
    while (!find(log, kind, item, false)) {
        bt_audio_event e;
        while (bt_audio_poll(a, &e)) {
            assert_true(log->n < 64);
            log->ev[log->n++] = e;
        }
        if (mono_now() > until)
            fail_msg("no event %d for item %d", (int)kind, item);
        sleep_ms(2);
    }
}

/* A session sounding with amplifier hooks (writing "on"/"off" to a file), cut with
 * bt_audio_stop_and_hold once its item sounds; returns the engine with the cut session ended. */
static bt_audio *cut_and_hold(const char *name, int hold_ms, char **hooks_out)
{
    char file[64];
    snprintf(file, sizeof(file), "%s-hooks.txt", name);
    char *hooks = path_in(file);
    unlink(hooks);
    static char on[1024], off[1024];
    snprintf(on, sizeof(on), "echo on >> '%s'", hooks);
    snprintf(off, sizeof(off), "echo off >> '%s'", hooks);
    snprintf(file, sizeof(file), "%s.wav", name);
    char *one = write_tone(file, 48000, 1, 440, -20, 3.0);
    snprintf(file, sizeof(file), "%s.raw", name);
    char *raw = path_in(file);
    bt_audio_config cfg = base_config(NULL);
    cfg.amp_on_command = on;
    cfg.amp_off_command = off;
    cfg.amp_warmup_ms = 800;
    cfg.amp_hold_ms = hold_ms;
    bt_audio *a = open_disk(&cfg, raw, false);
    char err[512] = "";
    bt_audio_item items[] = {{one, NAN, NULL}};
    bt_audio_session s = {items, 1, false, mono_now()};
    assert_int_equal(bt_audio_start(a, &s, 1, err, sizeof(err)), 0);
    event_log log = {0};
    wait_for(a, &log, BT_AUDIO_STARTED, 0);
    sleep_ms(200);
    bt_audio_stop_and_hold(a);
    collect(a, &log, 5000);
    assert_non_null(find(&log, BT_AUDIO_INTERRUPTED, 0, false));
    free(one);
    free(raw);
    *hooks_out = hooks;
    return a;
}

static void hooks_are(const char *hooks, const char *want)
{
    char *h = bt_test_read_file(hooks, NULL);
    assert_non_null(h);
    assert_string_equal(h, want);
    free(h);
}

/* An emergency cutting in keeps the amplifier on: no off/on cycle and no second warm-up, the
 * emergency sounds at once; the amplifier goes off after it. */
static void a_cut_hands_the_amplifier_to_the_next_session(void **state)
{
    (void)state;
    char *hooks = NULL;
    bt_audio *a = cut_and_hold("hold-next", 30000, &hooks);
    hooks_are(hooks, "on\n");
    char *urgent = write_tone("hold-urgent.wav", 48000, 1, 880, -20, 0.5);
    bt_audio_item items[] = {{urgent, NAN, NULL}};
    bt_mono_ns asked = mono_now();
    bt_audio_session s = {items, 1, false, asked};
    char err[512] = "";
    assert_int_equal(bt_audio_start(a, &s, 2, err, sizeof(err)), 0);
    event_log log = {0};
    wait_for(a, &log, BT_AUDIO_STARTED, 0);
    const bt_audio_event *st = find(&log, BT_AUDIO_STARTED, 0, false);
    /* Well under the 800 ms warm-up a cold amplifier would get. */
    if (st->mono - asked > 500 * 1000000LL)
        fail_msg("emergency sounded %lld ms after it was asked for",
                 (long long)((st->mono - asked) / 1000000));
    collect(a, &log, 5000);
    hooks_are(hooks, "on\noff\n");
    bt_audio_close(a);
    hooks_are(hooks, "on\noff\n");
    free(urgent);
    free(hooks);
}

/* Nobody takes the amplifier over: it goes off when the hold ends, or at once on close. */
static void a_held_amplifier_goes_off_when_nothing_follows(void **state)
{
    (void)state;
    char *hooks = NULL;
    bt_audio *a = cut_and_hold("hold-expire", 300, &hooks);
    hooks_are(hooks, "on\n");
    sleep_ms(900);
    hooks_are(hooks, "on\noff\n");
    bt_audio_close(a);
    hooks_are(hooks, "on\noff\n");
    free(hooks);

    a = cut_and_hold("hold-close", 30000, &hooks);
    hooks_are(hooks, "on\n");
    bt_mono_ns t0 = mono_now();
    bt_audio_close(a);
    assert_true(mono_now() - t0 < 3000 * 1000000LL); /* not the 30 s hold */
    hooks_are(hooks, "on\noff\n");
    free(hooks);
}

static void changed_or_broken_item_fails_alone(void **state)
{
    (void)state;
    char *good = write_tone("good2.wav", 48000, 1, 440, -20, 0.3);
    char *silent = write_tone("silent2.wav", 48000, 1, 440, -HUGE_VAL, 0.3);
    char *raw = path_in("out-fail.raw");
    bt_audio_config cfg = base_config(NULL);
    bt_audio *a = open_disk(&cfg, raw, true);
    char err[512] = "";
    char wrong[65];
    memset(wrong, 'a', 64);
    wrong[64] = '\0';
    bt_audio_item items[] = {{good, NAN, wrong}, {silent, NAN, NULL}, {good, NAN, NULL}};
    bt_audio_session s = {items, 3, false, mono_now()};
    assert_int_equal(bt_audio_start(a, &s, 9, err, sizeof(err)), 0);
    event_log log = {0};
    collect(a, &log, 10000);
    bt_audio_close(a);
    const bt_audio_event *f0 = find(&log, BT_AUDIO_FAILED, 0, false);
    const bt_audio_event *f1 = find(&log, BT_AUDIO_FAILED, 1, false);
    assert_true(f0 && f1);
    assert_non_null(strstr(f0->reason, "SHA-256"));
    assert_non_null(strstr(f1->reason, "im lặng"));
    assert_non_null(find(&log, BT_AUDIO_ENDED, 2, false));
    assert_null(find(&log, BT_AUDIO_STARTED, -1, false)); /* chime not asked for */
    free(good);
    free(silent);
    free(raw);
}

/* Stops before anything sounded: long before the deadline (the amplifier was never switched
 * on), and while armed after the warm-up (it is switched off again). Every item CANCELLED. */
static void stop_before_deadline_cancels_all(void **state)
{
    (void)state;
    char *item = write_tone("armed.wav", 48000, 1, 440, -20, 1.0);
    char *raw = path_in("out-armed.raw");
    char *hooks = path_in("hooks-armed.txt");
    char on[1024], off[1024];
    snprintf(on, sizeof(on), "echo on >> '%s'", hooks);
    snprintf(off, sizeof(off), "echo off >> '%s'", hooks);
    bt_audio_config cfg = base_config(NULL);
    cfg.amp_on_command = on;
    cfg.amp_off_command = off;
    cfg.amp_warmup_ms = 200;
    bt_audio *a = open_disk(&cfg, raw, false);
    const int64_t deadline_in[2] = {10000, 1800}; /* ms; amp-on due at deadline − 1.7 s */
    const char *expected[2] = {NULL, "on\noff\n"};
    for (int round = 0; round < 2; round++) {
        unlink(hooks);
        char err[512] = "";
        bt_audio_item items[] = {{item, NAN, NULL}, {item, NAN, NULL}};
        bt_audio_session s = {items, 2, true, mono_now() + deadline_in[round] * 1000000};
        int64_t t0 = mono_now();
        assert_int_equal(bt_audio_start(a, &s, 3, err, sizeof(err)), 0);
        assert_true(mono_now() - t0 < 200 * 1000000LL); /* preparing is not on the caller */
        sleep_ms(600);
        bt_audio_stop(a);
        event_log log = {0};
        collect(a, &log, 3000);
        assert_non_null(find(&log, BT_AUDIO_CANCELLED, 0, false));
        assert_non_null(find(&log, BT_AUDIO_CANCELLED, 1, false));
        assert_null(find(&log, BT_AUDIO_STARTED, 0, false));
        assert_null(find(&log, BT_AUDIO_STARTED, -1, false));
        char *h = bt_test_read_file(hooks, NULL);
        if (expected[round]) {
            assert_non_null(h);
            assert_string_equal(h, expected[round]);
        } else {
            assert_null(h);
        }
        free(h);
    }
    bt_audio_close(a);
    free(item);
    free(raw);
    free(hooks);
}

typedef struct {
    const char *path;
    int64_t done;
    int rc;
} measure_job;

/* An SDL thread, as the app's worker should be: SDL frees its per-thread error buffer only for
 * threads it created. */
static int measure_thread(void *arg)
{
    measure_job *job = arg;
    bt_loudness l;
    char err[256];
    job->rc = bt_loudness_measure(job->path, &l, err, sizeof(err));
    job->done = mono_now();
    return 0;
}

/* Decoding compressed audio stalls SDL's audio device: a measurement waits for the silence. */
static void measuring_waits_until_the_session_has_sounded(void **state)
{
    (void)state;
    char *item = write_tone("sounding.wav", 48000, 1, 440, -20, 0.8);
    char *raw = path_in("out-sounding.raw");
    bt_audio_config cfg = base_config(NULL);
    bt_audio *a = open_disk(&cfg, raw, false);
    char err[512] = "";
    bt_audio_item items[] = {{item, NAN, NULL}};
    bt_audio_session s = {items, 1, false, mono_now() + 100 * 1000000LL};
    assert_int_equal(bt_audio_start(a, &s, 4, err, sizeof(err)), 0);
    event_log log = {0};
    while (!find(&log, BT_AUDIO_STARTED, 0, false)) {
        bt_audio_event e;
        while (bt_audio_poll(a, &e))
            log.ev[log.n++] = e;
        sleep_ms(2);
    }
    measure_job job = {item, 0, -1};
    SDL_Thread *th = SDL_CreateThread(measure_thread, "measure", &job);
    assert_non_null(th);
    collect(a, &log, 5000);
    SDL_WaitThread(th, NULL);
    bt_audio_close(a);
    assert_int_equal(job.rc, 0);
    const bt_audio_event *started = find(&log, BT_AUDIO_STARTED, 0, false);
    const bt_audio_event *ended = find(&log, BT_AUDIO_ENDED, 0, false);
    assert_non_null(ended);
    /* It waited for the 0.8 s of sound (its last buffer may still be in the device: that one
     * cannot be stalled any more). */
    assert_true(job.done - started->mono >= 700 * 1000000LL);
    assert_true(job.done >= ended->mono - 50 * 1000000LL);
    free(item);
    free(raw);
}

static void no_device_backend_fails_every_item(void **state)
{
    (void)state;
    char *item = write_tone("nodev.wav", 48000, 1, 440, -20, 0.5);
    char *chime = write_tone("nodev-chime.wav", 48000, 1, 880, -20, 0.2);
    /* Forced off, and the dummy driver (what ctest sets): both are no device. */
    for (int forced = 1; forced >= 0; forced--) {
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        bt_audio_config cfg = base_config(chime);
        cfg.no_device = forced;
        cfg.amp_on_command = "exit 1"; /* never run without a device */
        bt_audio *a = NULL;
        char err[512] = "";
        assert_int_equal(bt_audio_open(&cfg, &a, err, sizeof(err)), 0);
        assert_false(bt_audio_has_device(a));
        assert_non_null(strstr(bt_audio_device_problem(a), BT_AUDIO_NO_DEVICE_REASON));
        /* It still decodes: the chime is there, and measuring works. */
        assert_null(bt_audio_chime_problem(a));
        bt_loudness l;
        assert_int_equal(bt_loudness_measure(item, &l, err, sizeof(err)), 0);

        bt_audio_item items[] = {{item, NAN, NULL}, {item, NAN, NULL}};
        bt_audio_session s = {items, 2, true, mono_now()};
        assert_int_equal(bt_audio_start(a, &s, 5, err, sizeof(err)), 0);
        event_log log = {0};
        collect(a, &log, 1000);
        assert_int_equal(log.n, 3);
        for (int i = 0; i < 2; i++) {
            const bt_audio_event *f = find(&log, BT_AUDIO_FAILED, i, false);
            assert_non_null(f);
            assert_string_equal(f->reason, BT_AUDIO_NO_DEVICE_REASON);
            assert_int_equal(f->session_tag, 5);
        }
        assert_false(bt_audio_busy(a));
        bt_audio_close(a);
    }
    free(item);
    free(chime);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gain_is_target_minus_measured_within_the_peak_ceiling),
        cmocka_unit_test(measures_reference_tone),
        cmocka_unit_test(measures_ogg_made_by_sox),
        cmocka_unit_test(rejects_silence_garbage_and_missing_files),
        cmocka_unit_test(hooks_report_status_and_are_killed_at_timeout),
        cmocka_unit_test(plays_chime_item_chime_gapless_at_target),
        cmocka_unit_test(wakes_the_main_loop_only_for_news),
        cmocka_unit_test(starts_at_deadline_and_waits_for_warm_amplifier),
        cmocka_unit_test(emergency_stop_cuts_and_cancels),
        cmocka_unit_test(a_cut_hands_the_amplifier_to_the_next_session),
        cmocka_unit_test(a_held_amplifier_goes_off_when_nothing_follows),
        cmocka_unit_test(changed_or_broken_item_fails_alone),
        cmocka_unit_test(stop_before_deadline_cancels_all),
        cmocka_unit_test(measuring_waits_until_the_session_has_sounded),
        cmocka_unit_test(no_device_backend_fails_every_item),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
