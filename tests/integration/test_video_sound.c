/* A video notice's own sound (issue 15, item 2), on clips Debian's ffmpeg makes here with a
 * 1 kHz tone for 3 s of every 4 (AAC in MP4, Opus in WebM), played through SDL's disk audio
 * driver in real time, which opens one file per device name, so the amplifier's output and the
 * screen's are two files of the same run:
 *   - the decoder gives the tone where the clip has it, to the frame after a seek;
 *   - the screen's output follows the picture's clock (the tone's edges where the clip's
 *     position says, the showing having begun before the output opened), is ducked to silence
 *     within a fade and comes back;
 *   - the real kiosk with `sound = true` and a loudspeaker session: the screen's file carries
 *     the tone before and after the session and is silent during it; the amplifier's file holds
 *     the bulletin (440 Hz) and no trace of the clip's 1 kHz;
 *   - a display.audio_device equal to broadcast.audio_device is refused by the config check,
 *     and without display.audio_device the clip stays silent and the log says why. */
#define _POSIX_C_SOURCE 200809L

#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_screen_sound.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_ui_video_sound.h"

#define BANGTIN "env BANGTIN_CONFIG= " BT_BANGTIN_EXE
#define FFMPEG "ffmpeg -v error -nostdin -y "
#define RATE BT_VIDEO_SOUND_RATE
#define TONE_HZ 1000.0
#define BULLETIN_HZ 440.0
/* The clip: 4 s, the tone in its first 3. */
#define CLIP_MS 4000
#define TONE_MS 3000
/* 5 ms windows: an edge is placed to 5 ms. */
#define WINDOW (RATE / 200)

static char dir[512];

static bt_mono_ns mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* A 4 s clip with the tone (lavfi's sine: 1/8 of full scale, −18 dBFS) in its first 3 s,
 * `codec` and `acodec` ffmpeg options. */
static void make_clip(const char *name, const char *codec, const char *acodec)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             FFMPEG "-f lavfi -i color=c=navy:s=160x90:r=10:d=4 "
             "-f lavfi -i \"sine=f=%.0f:r=%d:d=3,apad=whole_dur=4\" "
             "%s %s -t 4 -pix_fmt yuv420p '%s/%s' 2>&1",
             TONE_HZ, RATE, codec, acodec, dir, name);
    bt_test_run_ok(cmd);
}

/* The amplitude of frequency hz in n frames of channel 0 of interleaved stereo pcm (Goertzel). */
static double tone_level(const int16_t *pcm, size_t n, double hz)
{
    double w = 2.0 * M_PI * hz / RATE, c = 2.0 * cos(w), s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double s0 = pcm[2 * i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - c * s1 * s2;
    return 2.0 * sqrt(power > 0 ? power : 0) / (double)n;
}

/* RMS of channel 0 over n frames. */
static double rms(const int16_t *pcm, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)pcm[2 * i] * pcm[2 * i];
    return n ? sqrt(sum / (double)n) : 0;
}

/* When each part of a disk driver's file went out: SDL's disk driver writes a buffer right after
 * its callback and then sleeps a buffer's worth of ms, which runs a little slower than the clock
 * (the sleep's overhead). So the file's frames are placed in time by watching it grow. */
typedef struct {
    bt_mono_ns mono[4096];
    size_t frames[4096];
    size_t n;
} growth;

static void watch_growth(growth *g, const char *path, long ms)
{
    bt_mono_ns end = mono_now() + (bt_mono_ns)ms * 1000000;
    while (mono_now() < end) {
        struct stat st;
        if (g->n < 4096 && stat(path, &st) == 0 &&
            (g->n == 0 || (size_t)st.st_size / 4 != g->frames[g->n - 1])) {
            g->mono[g->n] = mono_now();
            g->frames[g->n++] = (size_t)st.st_size / 4;
        }
        sleep_ms(2);
    }
}

/* The time file frame x went out: when the file first held it. */
static bt_mono_ns time_of(const growth *g, size_t x)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->frames[i] > x)
            return g->mono[i];
    return g->n ? g->mono[g->n - 1] : 0;
}

/* The file frame that went out at mono t. */
static size_t frame_at_time(const growth *g, bt_mono_ns t)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->mono[i] >= t)
            return g->frames[i];
    return g->n ? g->frames[g->n - 1] : 0;
}

static int16_t *read_raw(const char *path, size_t *frames)
{
    size_t len = 0;
    int16_t *pcm = (int16_t *)(void *)bt_test_read_file(path, &len);
    if (!pcm)
        fail_msg("no output written to %s", path);
    *frames = len / 4;
    return pcm;
}

/* The clip's tone (4 096 peak in the mono clip, spread to both channels at −3 dB: 2 896 peak,
 * RMS 2 048) versus silence: a window is "tone" above this. */
#define TONE_RMS 1500.0
#define SILENT_RMS 30.0

static int setup(void **state)
{
    (void)state;
    char *d = bt_test_temp_dir("video-sound");
    assert_non_null(d);
    snprintf(dir, sizeof dir, "%s", d);
    free(d);
    make_clip("tone.mp4", "-c:v libx264 -preset ultrafast -g 10", "-c:a aac");
    make_clip("tone.webm", "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 10",
              "-c:a libopus");
    make_clip("mute.mp4", "-c:v libx264 -preset ultrafast -g 10", "-an");
    return 0;
}

/* ---- the decoder --------------------------------------------------------------------------- */

static void decoder_reads_and_seeks(const char *name)
{
    char path[700], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    bt_ui_video_sound *s = bt_ui_video_sound_open(path, err, sizeof err);
    if (!s)
        fail_msg("%s: %s", name, err);
    size_t cap = 5 * RATE, n = 0;
    int16_t *pcm = calloc(cap * 2, sizeof *pcm);
    long got;
    while ((got = bt_ui_video_sound_read(s, pcm + n * 2, 4096 < cap - n ? 4096 : cap - n, err,
                                         sizeof err)) > 0)
        n += (size_t)got;
    assert_true(got == 0);
    print_message("%s: %.3f s of sound\n", name, (double)n / RATE);
    /* The whole clip, give or take an encoder's frame. */
    assert_true(n >= (size_t)(RATE * 3.95) && n <= (size_t)(RATE * 4.05));
    /* Tone at 0.5–2.5 s (lavfi's sine at 1/8 of full scale, 4 096, made stereo: 2 896 peak),
     * none at 3.2–3.9 s. */
    double in = tone_level(pcm + RATE / 2 * 2, 2 * RATE, TONE_HZ);
    double out = rms(pcm + (size_t)(RATE * 3.2) * 2, (size_t)(RATE * 0.7));
    print_message("%s: tone %.0f, after it rms %.1f\n", name, in, out);
    assert_true(in > 2600 && in < 3200);
    assert_true(out < SILENT_RMS);
    /* A seek to 2.5 s: the next 0.5 s is tone, then it stops where the clip's tone stops. */
    assert_int_equal(bt_ui_video_sound_seek(s, 2500, err, sizeof err), 0);
    n = 0;
    while ((got = bt_ui_video_sound_read(s, pcm + n * 2, 1024, err, sizeof err)) > 0 && n < cap)
        n += (size_t)got;
    size_t edge = 0;
    for (size_t i = 0; i + WINDOW <= n; i += WINDOW)
        if (rms(pcm + i * 2, WINDOW) > TONE_RMS)
            edge = i + WINDOW;
    print_message("%s: tone ends %.3f s after the seek\n", name, (double)edge / RATE);
    assert_true(labs((long)edge - RATE / 2) <= RATE / 100); /* 10 ms */
    assert_true(n >= (size_t)(RATE * 1.45) && n <= (size_t)(RATE * 1.55));
    free(pcm);
    bt_ui_video_sound_close(s);
}

static void test_decoder(void **state)
{
    (void)state;
    decoder_reads_and_seeks("tone.mp4");
    decoder_reads_and_seeks("tone.webm");
    char path[700], err[512];
    snprintf(path, sizeof path, "%s/mute.mp4", dir);
    assert_null(bt_ui_video_sound_open(path, err, sizeof err));
    assert_non_null(strstr(err, "không có tiếng"));
    snprintf(path, sizeof path, "%s/none.mp4", dir);
    assert_null(bt_ui_video_sound_open(path, err, sizeof err));
    assert_non_null(strstr(err, "không đọc được"));
}

/* ---- the screen's output --------------------------------------------------------------------- */

/* Where the tone ends (falling edges) in pcm[from, to), in frames. */
static size_t falling_edges(const int16_t *pcm, size_t from, size_t to, size_t *out, size_t max)
{
    size_t n = 0;
    bool was = false;
    for (size_t i = from; i + WINDOW <= to && n < max; i += WINDOW) {
        bool is = rms(pcm + i * 2, WINDOW) > TONE_RMS;
        if (was && !is)
            out[n++] = i;
        was = is;
    }
    return n;
}

/* The showing began 0.7 s before the output opened (a kiosk that starts mid-notice): the tone
 * ends when the picture is at 3 s into the clip, every 4 s, within what ITU-R BT.1359 finds
 * undetectable (sound at most 45 ms late, 125 ms early); the duck silences within its fade, and
 * the tone returns. */
static void test_output_follows_the_picture_and_ducks(void **state)
{
    (void)state;
    char raw[700], clip[700], err[512];
    snprintf(raw, sizeof raw, "%s/screen-inproc.raw", dir);
    snprintf(clip, sizeof clip, "%s/tone.mp4", dir);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    bt_mono_ns t0 = mono_now();
    bt_screen_sound *s = bt_screen_sound_open(raw, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    bt_mono_ns since = t0 - 700 * 1000000LL;
    bt_screen_sound_play(s, clip, CLIP_MS, true, since);
    growth *g = calloc(1, sizeof *g);
    assert_non_null(g);
    watch_growth(g, raw, 13000);
    bt_mono_ns duck = mono_now();
    bt_screen_sound_duck(s, true);
    watch_growth(g, raw, 2000);
    bt_mono_ns unduck = mono_now();
    bt_screen_sound_duck(s, false);
    watch_growth(g, raw, 3000);
    bt_screen_sound_view v;
    bt_screen_sound_view_get(s, &v);
    bt_screen_sound_close(s);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    print_message("resyncs %lu, underruns %lu\n", v.resyncs, v.underruns);
    assert_int_equal(v.underruns, 0);

    size_t frames = 0;
    int16_t *pcm = read_raw(raw, &frames);
    size_t at_duck = frame_at_time(g, duck), at_unduck = frame_at_time(g, unduck);
    assert_true(frames > at_unduck + 2 * RATE);
    size_t edges[16];
    size_t n = falling_edges(pcm, RATE / 2, at_duck, edges, 16);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        /* where the picture was when that frame went out; > 3 s: the sound is late */
        double pos = fmod((double)(time_of(g, edges[i]) - since) / 1e9, CLIP_MS / 1000.0);
        double late_ms = (pos - TONE_MS / 1000.0) * 1000.0;
        print_message("tone ends with the picture at %.3f s: sound %+.0f ms late\n", pos,
                      late_ms);
        assert_true(late_ms <= 45.0 && late_ms >= -125.0);
    }
    free(g);
    /* Ducked: silent from a fade (and the device's buffer) after the duck to the unduck. */
    size_t quiet_from = at_duck + (size_t)(BT_SCREEN_SOUND_FADE_MS + 50) * RATE / 1000;
    double ducked = rms(pcm + quiet_from * 2, at_unduck - quiet_from);
    print_message("ducked: rms %.1f\n", ducked);
    assert_true(ducked < SILENT_RMS);
    /* Back after it, where the picture is: the tone at its level in its part of the clip. */
    size_t back = at_unduck + (size_t)(BT_SCREEN_SOUND_FADE_MS + 50) * RATE / 1000;
    double loudest = 0;
    for (size_t i = back; i + WINDOW <= back + 2 * RATE; i += WINDOW)
        if (rms(pcm + i * 2, WINDOW) > loudest)
            loudest = rms(pcm + i * 2, WINDOW);
    assert_true(loudest > TONE_RMS);
    free(pcm);
}

/* ---- the kiosk ------------------------------------------------------------------------------- */

/* Seconds from start to the session, and the bulletin: a 440 Hz chime of 1 s, a 3 s item. */
#define LEAD_SECONDS 10
#define ITEM_SECONDS 3.0
#define CHIME_SECONDS 1.0

static void kiosk_fixture(const char *sub, const char *sound_device, time_t *at)
{
    char path[1200], cmd[2600], text[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s/pl/audio' '%s/%s/data' && cp '%s/tone.mp4' "
             "'%s/%s/pl/tone.mp4'", dir, sub, dir, sub, dir, dir, sub);
    bt_test_run_ok(cmd);
    bt_test_span item = {ITEM_SECONDS, -20}, chime = {CHIME_SECONDS, -20};
    snprintf(path, sizeof path, "%s/%s/pl/audio/tin.wav", dir, sub);
    assert_int_equal(bt_test_write_wav(path, &item, 1), 0);
    snprintf(path, sizeof path, "%s/%s/chime.wav", dir, sub);
    assert_int_equal(bt_test_write_wav(path, &chime, 1), 0);
    *at = time(NULL) + LEAD_SECONDS;
    char when[32];
    bt_time_format_iso((bt_wall)*at, when, sizeof when);
    snprintf(text, sizeof text,
             "id = \"tieng-video\";\nversion = 1;\ntitle = \"Tiếng video\";\n"
             "notices = ( { id = \"clip\"; kind = \"video\"; title = \"Video CCHC\";\n"
             "              video = \"tone.mp4\"; duration = 600; loop = true; sound = true; } );\n"
             "broadcasts = {\n"
             "  items = ( { id = \"tin\"; title = \"Tin thử\"; audio = \"audio/tin.wav\"; } );\n"
             "  sessions = ( { id = \"thu\"; name = \"Phiên thử\"; at = [ \"%s\" ];\n"
             "                 items = [ \"tin\" ]; } );\n"
             "};\n", when);
    snprintf(path, sizeof path, "%s/%s/pl/playlist.cfg", dir, sub);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    snprintf(text, sizeof text,
             "broadcast = { windows = \"\"; amp_warmup_ms = 0; chime = \"%s/%s/chime.wav\";\n"
             "              audio_device = \"%s/%s/amp.raw\"; };\n"
             "display = { audio_device = \"%s\"; };\n",
             dir, sub, dir, sub, sound_device);
    snprintf(path, sizeof path, "%s/%s/bangtin.cfg", dir, sub);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
}

static void kiosk_cmd(const char *sub, double seconds, char *cmd, size_t size)
{
    snprintf(cmd, size,
             "cd '%s/%s' && SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=disk "
             "SDL_DISKAUDIOFILE='%s/%s/default.raw' " BANGTIN " --config '%s/%s/bangtin.cfg' "
             "--data '%s/%s/data' run --playlist '%s/%s/pl' --size 320x240 --duration %.1f 2>&1",
             dir, sub, dir, sub, dir, sub, dir, sub, dir, sub, seconds);
}

/* Runs the kiosk while watching both output files grow (see growth); its output, malloc'd. */
static char *run_kiosk_watched(const char *sub, double seconds, const char *a, growth *ga,
                               const char *b, growth *gb)
{
    char cmd[4096];
    kiosk_cmd(sub, seconds, cmd, sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int fd = fileno(p);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (;;) {
        ssize_t n = read(fd, out + len, cap - 1 - len);
        if (n == 0)
            break;
        if (n > 0)
            len += (size_t)n;
        if (len + 1 >= cap)
            len = 0; /* a runaway log: only what follows is kept */
        watch_growth(ga, a, 2);
        watch_growth(gb, b, 2);
    }
    out[len] = '\0';
    int status = pclose(p);
    if (status != 0)
        fail_msg("the kiosk failed (%d):\n%s", status, out);
    return out;
}

static char *run_kiosk(const char *sub, double seconds)
{
    char cmd[4096];
    kiosk_cmd(sub, seconds, cmd, sizeof cmd);
    int status;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("the kiosk failed (%d):\n%s", status, out);
    return out;
}

/* The first and last frame louder than silence in pcm, or false when there is none. */
static bool sound_span(const int16_t *pcm, size_t frames, size_t *first, size_t *last)
{
    *first = frames;
    *last = 0;
    for (size_t i = 0; i + WINDOW <= frames; i += WINDOW)
        if (rms(pcm + i * 2, WINDOW) > SILENT_RMS) {
            if (*first == frames)
                *first = i;
            *last = i + WINDOW;
        }
    return *first < frames;
}

static void test_kiosk_screen_and_amplifier(void **state)
{
    (void)state;
    char screen_raw[700], amp_raw[700];
    snprintf(screen_raw, sizeof screen_raw, "%s/kiosk/screen.raw", dir);
    snprintf(amp_raw, sizeof amp_raw, "%s/kiosk/amp.raw", dir);
    time_t at;
    kiosk_fixture("kiosk", screen_raw, &at);
    double session = 2 * CHIME_SECONDS + ITEM_SECONDS;
    growth *ga = calloc(1, sizeof *ga), *gs = calloc(1, sizeof *gs);
    assert_true(ga && gs);
    char *out = run_kiosk_watched("kiosk", LEAD_SECONDS + session + 5.0, amp_raw, ga,
                                  screen_raw, gs);
    assert_non_null(strstr(out, "Tiếng video (sound = true) ra"));
    assert_non_null(strstr(out, "Tắt tiếng video trên màn hình: loa phường đang phát."));
    assert_non_null(strstr(out, "Mở lại tiếng video trên màn hình"));
    free(out);

    size_t amp_frames, screen_frames;
    int16_t *amp = read_raw(amp_raw, &amp_frames);
    int16_t *screen = read_raw(screen_raw, &screen_frames);
    /* The amplifier: the bulletin, and nothing of the clip (its 1 kHz below −80 dBFS in every
     * second, against the bulletin's 440 Hz). */
    size_t first, last;
    assert_true(sound_span(amp, amp_frames, &first, &last));
    print_message("amplifier: sound %.2f–%.2f s of its file\n", (double)first / RATE,
                  (double)last / RATE);
    assert_true(last - first >= (size_t)((session - 0.3) * RATE));
    assert_true(last - first <= (size_t)((session + 0.3) * RATE));
    assert_true(tone_level(amp + (first + RATE * 3 / 2) * 2, RATE, BULLETIN_HZ) > 500);
    for (size_t i = 0; i + RATE <= amp_frames; i += RATE / 2) {
        double clip_tone = tone_level(amp + i * 2, RATE, TONE_HZ);
        if (clip_tone > 3.3) /* 1e-4 of full scale */
            fail_msg("the amplifier carries the clip's tone at %.1f s (%.1f)", (double)i / RATE,
                     clip_tone);
    }
    /* The screen: the tone before the session, silence during it, the tone after. The files
     * were watched as they grew: the session's span in time (the amplifier's file) is found
     * in the screen's, each file's frames where they went out (SDL's disk driver keeps time
     * per device, each a little off the clock in its own way). */
    size_t margin = RATE / 50, fade = (size_t)BT_SCREEN_SOUND_FADE_MS * RATE / 1000;
    size_t amp_first = first, amp_last = last;
    first = frame_at_time(gs, time_of(ga, amp_first));
    last = frame_at_time(gs, time_of(ga, amp_last));
    print_message("the session in the screen's file: %.2f–%.2f s\n", (double)first / RATE,
                  (double)last / RATE);
    free(ga);
    free(gs);
    assert_true(screen_frames > last + 3 * RATE);
    double during = rms(screen + (first + fade + margin) * 2, last - first - fade - 2 * margin);
    print_message("screen during the session: rms %.1f\n", during);
    assert_true(during < SILENT_RMS);
    /* Before: from the output's start (and the clip's fade in) to 1.5 s before the session
     * (ducking starts when the engine takes the session, about 1.4 s before its first sound
     * here), at least two whole seconds of tone. */
    double before = 0, after = 0;
    assert_true(first > 3 * RATE);
    for (size_t i = RATE / 2; i + WINDOW <= first - RATE * 3 / 2; i += WINDOW)
        before += rms(screen + i * 2, WINDOW) > TONE_RMS ? (double)WINDOW / RATE : 0;
    for (size_t i = last + fade + margin; i + WINDOW <= last + 3 * RATE && i + WINDOW <= screen_frames;
         i += WINDOW)
        after += rms(screen + i * 2, WINDOW) > TONE_RMS ? (double)WINDOW / RATE : 0;
    print_message("screen: %.2f s of tone before the session, %.2f s after\n", before, after);
    assert_true(before >= 2.0);
    assert_true(after >= 1.0);
    /* And the bulletin never reaches the screen's output. */
    for (size_t i = 0; i + RATE <= screen_frames; i += RATE / 2) {
        double bulletin = tone_level(screen + i * 2, RATE, BULLETIN_HZ);
        if (bulletin > 3.3)
            fail_msg("the screen carries the bulletin at %.1f s (%.1f)", (double)i / RATE,
                     bulletin);
    }
    free(amp);
    free(screen);
}

/* The screen's output named as the amplifier's is refused by the config check; without a
 * screen output the clip plays silent and the log says why. */
static void test_one_device(void **state)
{
    (void)state;
    char same[700], cmd[2048];
    snprintf(same, sizeof same, "%s/same/amp.raw", dir);
    time_t at;
    kiosk_fixture("same", same, &at);
    snprintf(cmd, sizeof cmd, BANGTIN " config '%s/same/bangtin.cfg' 2>&1", dir);
    int status;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_not_equal(status, 0);
    if (!strstr(out, "bangtin.cfg:3: lỗi: display.audio_device = ") ||
        !strstr(out, "là đầu ra của ampli loa phường (broadcast.audio_device)"))
        fail_msg("%s", out);
    free(out);

    kiosk_fixture("none", "", &at);
    out = run_kiosk("none", 3.0);
    if (!strstr(out, "display.audio_device trống: video có \"sound = true\" chiếu không tiếng"))
        fail_msg("%s", out);
    free(out);
    char raw[700];
    snprintf(raw, sizeof raw, "%s/none/screen.raw", dir);
    assert_int_not_equal(access(raw, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoder),
        cmocka_unit_test(test_output_follows_the_picture_and_ducks),
        cmocka_unit_test(test_kiosk_screen_and_amplifier),
        cmocka_unit_test(test_one_device),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
