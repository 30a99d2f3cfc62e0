/* The screen's sound output (bt_screen_sound.h). Three parties share one lock:
 *   - the kiosk's loop says what shows (play/stop) and whether the loudspeaker is on air;
 *   - a feeder thread decodes the clip's sound a little ahead into a ring, placed on the
 *     showing's timeline (frame t = t/RATE seconds after `since`), and sets it right when the
 *     device's position drifts from the picture's clock;
 *   - SDL's audio callback takes frames from the ring and applies the gain, which moves towards
 *     0 (ducked, stopped) or 1 over BT_SCREEN_SOUND_FADE_MS, so a duck takes effect at once and
 *     never waits for what was decoded ahead.
 * Decoding happens outside the lock; the callback holds it only to copy. */
#define _POSIX_C_SOURCE 200809L

#include "bangtin/bt_screen_sound.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_ui_video_sound.h"
#include "bangtin/bt_vi.h"

#define RATE BT_VIDEO_SOUND_RATE
#define CHANNELS BT_VIDEO_SOUND_CHANNELS
/* Decoded ahead of the device: covers a slow decode of a few packets on a busy two-core box. */
#define AHEAD_MS 300
#define RING_FRAMES (RATE / 2)
/* Frames decoded at a time, outside the lock. */
#define CHUNK_FRAMES 1024
/* The device's buffer: 20 ms, so a duck starts within a frame of the picture's clock (a whole
 * number of ms: SDL's disk driver, the tests' output, sleeps that many per buffer). */
#define DEVICE_FRAMES 960
/* How often the feeder looks, when the callback does not wake it first. */
#define FEED_POLL_MS 20
#define PATH_BYTES 1024

struct bt_screen_sound {
    SDL_AudioDeviceID dev;
    int latency_frames;          /* the device's buffer: played this long after the callback */
    SDL_mutex *lock;
    SDL_cond *wake;
    SDL_Thread *thread;
    bool quit;
    /* What the kiosk asks (lock) */
    char path[PATH_BYTES];
    long long clip_ms;
    bool loop;
    bt_mono_ns since;
    bool playing, ducked;
    unsigned asked;              /* raised with every new clip or stop */
    /* The ring (lock): `count` frames from `head`, the first of them frame `ring_t` of the
     * showing; valid = it holds the clip asked for, placed where the picture is. */
    int16_t ring[RING_FRAMES * CHANNELS];
    size_t head, count;
    int64_t ring_t;
    bool valid;
    unsigned epoch;              /* raised whenever the ring is emptied: a decode in flight
                                  * for the old one is dropped */
    /* The callback's account (lock) */
    double gain;
    bt_mono_ns played_mono;      /* when the last callback ran */
    int64_t played_t;            /* and the frame of the showing it reached */
    bool starved;                /* it found the ring empty while playing */
    size_t hold;                 /* frames of silence to give before the ring (sound early) */
    unsigned long resyncs, underruns;
    /* The feeder's own */
    bt_ui_video_sound *dec;
    unsigned dec_asked;
    int64_t dec_next;            /* the clip frame the decoder gives next; -1 unknown */
    int64_t clip_frames;
    bool dec_loop;               /* the clip's `loop`, as taken with it */
};

static bt_mono_ns mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The frame of the showing the picture is at, at mono. */
static int64_t frame_at(const bt_screen_sound *s, bt_mono_ns mono)
{
    bt_mono_ns d = mono - s->since;
    return d > 0 ? (int64_t)(d / 1000 * RATE / 1000000) : 0;
}

/* ---- the callback ---------------------------------------------------------------------------- */

static void callback(void *userdata, Uint8 *stream, int len)
{
    bt_screen_sound *s = userdata;
    int16_t *out = (int16_t *)(void *)stream;
    size_t frames = (size_t)len / (CHANNELS * sizeof *out);
    double step = 1000.0 / (BT_SCREEN_SOUND_FADE_MS * (double)RATE);
    SDL_LockMutex(s->lock);
    double target = s->playing && !s->ducked ? 1.0 : 0.0;
    bool short_of = false;
    for (size_t i = 0; i < frames; i++) {
        int16_t l = 0, r = 0;
        if (s->valid && s->hold > 0) {
            s->hold--;
        } else if (s->valid && s->count > 0) {
            l = s->ring[s->head * CHANNELS];
            r = s->ring[s->head * CHANNELS + 1];
            s->head = (s->head + 1) % RING_FRAMES;
            s->count--;
            s->ring_t++;
        } else if (s->valid && s->playing) {
            short_of = true;
        }
        if (s->gain < target)
            s->gain = s->gain + step > target ? target : s->gain + step;
        else if (s->gain > target)
            s->gain = s->gain - step < target ? target : s->gain - step;
        out[i * CHANNELS] = (int16_t)(l * s->gain);
        out[i * CHANNELS + 1] = (int16_t)(r * s->gain);
    }
    if (short_of) {
        s->starved = true;
        s->underruns++;
    }
    s->played_mono = mono_now();
    s->played_t = s->ring_t;
    SDL_CondSignal(s->wake);
    SDL_UnlockMutex(s->lock);
}

/* ---- the feeder ----------------------------------------------------------------------------- */

/* Empties the ring and places it at frame t of the showing (lock held). */
static void ring_restart(bt_screen_sound *s, int64_t t)
{
    s->head = s->count = s->hold = 0;
    s->ring_t = t;
    s->epoch++;
    s->starved = false;
}

/* The clip's sound for frames [t, t + n) of the showing into out: the clip once, silence after
 * its end; with loop, again from the start. Seeks when the decoder is elsewhere. */
static void decode_span(bt_screen_sound *s, int64_t t, int16_t *out, size_t n)
{
    memset(out, 0, n * CHANNELS * sizeof *out);
    char err[512];
    size_t done = 0;
    while (done < n && s->dec && s->clip_frames > 0) {
        int64_t at = t + (int64_t)done;
        if (!s->dec_loop && at >= s->clip_frames)
            break; /* the picture holds its last frame: silence */
        int64_t c = s->dec_loop ? at % s->clip_frames : at;
        size_t want = n - done;
        if ((int64_t)want > s->clip_frames - c)
            want = (size_t)(s->clip_frames - c);
        if (c != s->dec_next) {
            if (bt_ui_video_sound_seek(s->dec, c * 1000 / RATE, err, sizeof err) != 0) {
                bt_log_warn("%s", err);
                bt_ui_video_sound_close(s->dec);
                s->dec = NULL;
                break;
            }
            s->dec_next = c;
        }
        long got = bt_ui_video_sound_read(s->dec, out + done * CHANNELS, want, err, sizeof err);
        if (got < 0) {
            bt_log_warn("%s", err);
            bt_ui_video_sound_close(s->dec);
            s->dec = NULL;
            break;
        }
        /* A sound shorter than the picture: silence up to the picture's end (left zero). */
        s->dec_next = c + (int64_t)want;
        if ((size_t)got < want)
            s->dec_next = -1;
        done += want;
    }
}

/* A new clip asked for (or none): the old decoder goes, the new one opens (lock held on entry
 * and exit, released while opening). */
static void take_new_clip(bt_screen_sound *s)
{
    char path[PATH_BYTES], err[512];
    bool playing = s->playing;
    snprintf(path, sizeof path, "%s", s->path);
    s->dec_asked = s->asked;
    s->clip_frames = s->clip_ms * RATE / 1000;
    s->dec_loop = s->loop;
    s->valid = false;
    ring_restart(s, 0);
    bt_ui_video_sound *old = s->dec;
    s->dec = NULL;
    SDL_UnlockMutex(s->lock);
    bt_ui_video_sound_close(old);
    bt_ui_video_sound *dec = playing ? bt_ui_video_sound_open(path, err, sizeof err) : NULL;
    if (playing && !dec)
        bt_log_warn("%s", err);
    SDL_LockMutex(s->lock);
    if (s->dec_asked != s->asked) {
        bt_ui_video_sound_close(dec); /* asked again meanwhile: the next turn takes it */
        return;
    }
    s->dec = dec;
    s->dec_next = 0;
}

/* Frames the sound is ahead of the picture (< 0: behind), as of the last callback: it filled the
 * device's next buffer, so the frame after it, played_t, is heard one buffer later, when the
 * picture is latency_frames further. 0 before a callback saw the ring. */
static int64_t drift_of(const bt_screen_sound *s)
{
    if (!s->played_mono)
        return 0;
    return s->played_t - (frame_at(s, s->played_mono) + s->latency_frames);
}

/* Sets the sound right by less than BT_SCREEN_SOUND_SYNC_MS off (lock held). Behind: the frames
 * it is late are dropped from the ring's head; ahead: the callback gives as many frames of
 * silence first. Either is a jump of a few tens of ms, never a gap of the whole ring. false
 * when the ring cannot (starved, or too far behind for what is decoded): start again. */
static bool resync(bt_screen_sound *s)
{
    if (!s->valid || s->starved)
        return false;
    int64_t drift = drift_of(s), limit = (int64_t)BT_SCREEN_SOUND_SYNC_MS * RATE / 1000;
    if (drift <= limit && drift >= -limit)
        return true;
    s->resyncs++;
    if (drift > 0) {
        s->hold = (size_t)drift;
    } else {
        if ((size_t)-drift > s->count)
            return false;
        s->head = (s->head + (size_t)-drift) % RING_FRAMES;
        s->count -= (size_t)-drift;
        s->ring_t += -drift;
    }
    s->played_mono = 0; /* judged again after the next callback */
    return true;
}

/* One turn of the feeder (lock held on entry and exit). */
static void feed(bt_screen_sound *s)
{
    /* A stop lets what is decoded fade out first; a new clip is taken at once. */
    bool fading_out = !s->playing && s->valid && s->count > 0 && s->gain > 0;
    if (s->dec_asked != s->asked && !fading_out)
        take_new_clip(s);
    if (!s->playing || !s->dec)
        return;
    if (!resync(s)) {
        if (s->valid)
            s->resyncs++;
        /* Valid again with its first chunk: the callback meanwhile plays silence, not a
         * starved ring. */
        ring_restart(s, frame_at(s, mono_now()) + s->latency_frames);
        s->valid = false;
        s->played_mono = 0;
    }
    int16_t chunk[CHUNK_FRAMES * CHANNELS];
    size_t ahead = (size_t)AHEAD_MS * RATE / 1000;
    while (s->playing && s->dec && s->count < ahead && s->dec_asked == s->asked) {
        size_t n = ahead - s->count < CHUNK_FRAMES ? ahead - s->count : CHUNK_FRAMES;
        int64_t t = s->ring_t + (int64_t)s->count;
        unsigned epoch = s->epoch;
        SDL_UnlockMutex(s->lock);
        decode_span(s, t, chunk, n);
        SDL_LockMutex(s->lock);
        if (epoch != s->epoch)
            continue; /* the ring was emptied meanwhile (a new clip): the chunk is stale */
        for (size_t i = 0; i < n; i++) {
            size_t at = (s->head + s->count) % RING_FRAMES;
            s->ring[at * CHANNELS] = chunk[i * CHANNELS];
            s->ring[at * CHANNELS + 1] = chunk[i * CHANNELS + 1];
            s->count++;
        }
        s->valid = true;
    }
}

static int feeder(void *userdata)
{
    bt_screen_sound *s = userdata;
    SDL_LockMutex(s->lock);
    while (!s->quit) {
        feed(s);
        SDL_CondWaitTimeout(s->wake, s->lock, FEED_POLL_MS);
    }
    SDL_UnlockMutex(s->lock);
    return 0;
}

/* ---- the kiosk's side ---------------------------------------------------------------------- */

bt_screen_sound *bt_screen_sound_open(const char *device, char *err, size_t err_size)
{
    bt_screen_sound *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "hết bộ nhớ");
        return NULL;
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(err, err_size, "không khởi động được âm thanh SDL: %s",
                 bt_vi_library_error(SDL_GetError()));
        free(s);
        return NULL;
    }
    s->dec_next = -1;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = RATE;
    want.format = AUDIO_S16SYS;
    want.channels = CHANNELS;
    want.samples = DEVICE_FRAMES;
    want.callback = callback;
    want.userdata = s;
    s->lock = SDL_CreateMutex();
    s->wake = SDL_CreateCond();
    if (!s->lock || !s->wake) {
        snprintf(err, err_size, "hết bộ nhớ");
        goto fail;
    }
    /* SDL converts to what the device takes: the callback always sees this format. */
    s->dev = SDL_OpenAudioDevice(device, 0, &want, &have, 0);
    if (!s->dev) {
        snprintf(err, err_size, "không mở được thiết bị âm thanh \"%s\": %s", device,
                 bt_vi_library_error(SDL_GetError()));
        goto fail;
    }
    s->latency_frames = have.samples;
    s->thread = SDL_CreateThread(feeder, "bt-screen-sound", s);
    if (!s->thread) {
        snprintf(err, err_size, "không tạo được luồng tiếng của màn hình");
        goto fail;
    }
    SDL_PauseAudioDevice(s->dev, 0);
    return s;

fail:
    if (s->dev)
        SDL_CloseAudioDevice(s->dev);
    if (s->wake)
        SDL_DestroyCond(s->wake);
    if (s->lock)
        SDL_DestroyMutex(s->lock);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(s);
    return NULL;
}

void bt_screen_sound_close(bt_screen_sound *s)
{
    if (!s)
        return;
    SDL_LockMutex(s->lock);
    s->quit = true;
    SDL_CondSignal(s->wake);
    SDL_UnlockMutex(s->lock);
    SDL_WaitThread(s->thread, NULL);
    SDL_CloseAudioDevice(s->dev); /* after it, no callback runs */
    bt_ui_video_sound_close(s->dec);
    SDL_DestroyCond(s->wake);
    SDL_DestroyMutex(s->lock);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(s);
}

void bt_screen_sound_play(bt_screen_sound *s, const char *path, long long clip_ms, bool loop,
                          bt_mono_ns since)
{
    if (!s)
        return;
    SDL_LockMutex(s->lock);
    if (!(s->playing && s->since == since && s->clip_ms == clip_ms && s->loop == loop &&
          strcmp(s->path, path) == 0)) {
        snprintf(s->path, sizeof s->path, "%s", path);
        s->clip_ms = clip_ms;
        s->loop = loop;
        s->since = since;
        s->playing = true;
        s->asked++;
        SDL_CondSignal(s->wake);
    }
    SDL_UnlockMutex(s->lock);
}

void bt_screen_sound_stop(bt_screen_sound *s)
{
    if (!s)
        return;
    SDL_LockMutex(s->lock);
    if (s->playing) {
        s->playing = false;
        s->asked++;
        SDL_CondSignal(s->wake);
    }
    SDL_UnlockMutex(s->lock);
}

void bt_screen_sound_duck(bt_screen_sound *s, bool on_air)
{
    if (!s)
        return;
    SDL_LockMutex(s->lock);
    if (s->ducked != on_air)
        bt_log_info(on_air ? "Tắt tiếng video trên màn hình: loa phường đang phát."
                           : "Mở lại tiếng video trên màn hình: loa phường đã phát xong.");
    s->ducked = on_air;
    SDL_UnlockMutex(s->lock);
}

void bt_screen_sound_view_get(bt_screen_sound *s, bt_screen_sound_view *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return;
    SDL_LockMutex(s->lock);
    out->playing = s->playing;
    out->ducked = s->ducked;
    out->gain = s->gain;
    out->resyncs = s->resyncs;
    out->underruns = s->underruns;
    SDL_UnlockMutex(s->lock);
}
