/* The playout engine. A session is decoded and gain-corrected before it starts, then rendered by
 * our own audio callback on decode.c's device (SDL's for the whole run; a compressed item is
 * decoded by the caller's decode_elsewhere, a child process in the kiosk): the callback copies
 * segment after segment into the device buffer, so chime and item join at the sample (no
 * gap), and the first sound is placed inside the buffer at the frame that matches the deadline,
 * so start precision does not depend on the buffer size. A session thread runs the amplifier
 * hooks and watches the device; the main loop polls events.
 *
 * State (guarded by `lock`, also taken by the audio callback for a few microseconds):
 *   IDLE → PREPARING (session thread decodes, runs amp-on and warm-up) → ARMED (waiting for the
 *   deadline) → PLAYING → DRAINING (sound over, amplifier-off hook running) → IDLE
 *   (SESSION_ENDED queued).
 * Lock order: decode.c's device lock, then SDL's device lock, then `lock`. Never call into
 * decode.c (or SDL2_mixer) while holding `lock`. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_vi.h"
#include "audio_internal.h"

/* Fade applied when a session is cut, so the loudspeakers do not click. */
#define STOP_FADE_FRAMES (BT_AUDIO_RATE / 100)
/* The device is declared dead if the callback has not run for this long while sounding. */
#define WATCHDOG_NS (2000LL * 1000 * 1000)
/* The session thread wakes at least this often to run the watchdog. */
#define SESSION_TICK_MS 100
/* Preparing a session: a fixed part (thread, files) plus decoding, measured at ~2.5 ms per
 * second of audio on a 2-core x86 server; 20 ms covers a slow ARM board and SD card. */
#define PREPARE_BASE_MS 1000
#define PREPARE_MS_PER_AUDIO_SECOND 20
/* Enough for every event of one session (3 per segment) plus a backlog of a few more. */
#define EVENT_CAPACITY (4 * (BT_MAX_SESSION_ITEMS + 2) + 16)
#define MAX_SEGMENTS (BT_MAX_SESSION_ITEMS + 2)
#define NS_PER_S 1000000000LL
/* The amplifier is switched on this long before the deadline plus its warm-up: room for the
 * hook itself (a relay or GPIO switch takes milliseconds), without leaving the amplifier humming
 * for the whole lead time. */
#define AMP_HOOK_ALLOWANCE_MS 1500

typedef enum { STATE_IDLE, STATE_PREPARING, STATE_ARMED, STATE_PLAYING, STATE_DRAINING } play_state;

/* An item as asked for, copied: the caller's strings need not outlive bt_audio_start. */
typedef struct {
    char *path;
    double loudness_lufs;
    char sha256[BT_SHA256_HEX_BYTES + 1];
    bool failed;             /* FAILED already reported */
} pending_item;

typedef struct {
    const int16_t *pcm;  /* mono, gain applied */
    int16_t *owned;      /* freed at the end of the session (NULL for the chime) */
    size_t frames;
    int item;            /* -1 = chime */
    bool closing;
} segment;

struct bt_audio {
    /* Configuration, copied. */
    char *device, *amp_on, *amp_off;
    double target_lufs;
    int volume_percent;
    int warmup_ms, hook_timeout_ms, amp_hold_ms;
    void (*notify)(void *ctx);
    void *notify_ctx;
    bt_audio_decode_fn decode_elsewhere; /* compressed files, e.g. in a child; NULL: here */
    void *decode_ctx;

    bool has_device;
    char device_problem[512];
    char chime_problem[512];
    int16_t *chime;
    size_t chime_frames;
    /* The chime's gain waits for its loudness (chime_loudness_later): applied by the session
     * thread at the first preparation, from chime_lufs once the caller gave it (under lock). */
    bool chime_gain_pending;
    bool chime_lufs_given;
    double chime_lufs;
    char *chime_path;

    SDL_mutex *lock;
    SDL_cond *wake;          /* the session thread waits on it */
    SDL_Thread *thread;

    /* The session, under lock (pending and segments are written by the session thread while
     * PREPARING, when the callback does not look at them). */
    play_state state;
    pending_item pending[BT_MAX_SESSION_ITEMS];
    size_t pending_count;
    bool chime_wanted;
    uint64_t tag;
    bt_mono_ns start_at;
    bt_mono_ns ready_at;     /* when preparation, amplifier and warm-up were done */
    bool stop_requested;
    /* The amplifier between a cut and the session that follows it (under lock): hold_requested
     * by bt_audio_stop_and_hold; amp_held while the ended session's thread keeps it on, waiting
     * for amp_claimed (a new session takes it over), the hold time, or closing. */
    bool hold_requested, amp_held, amp_claimed, closing;
    segment segments[MAX_SEGMENTS];
    size_t segment_count, current;
    size_t position;         /* frames of the current segment already sent */
    int64_t session_frame;   /* frames sent since the first sound */
    bt_mono_ns last_callback;

    /* Waiting events, a ring, under lock. */
    bt_audio_event events[EVENT_CAPACITY];
    size_t event_head, event_count;
    size_t events_dropped;
    unsigned long events_pushed; /* ever, dropped ones included: the callback's "anything new?" */
};

static bool engine_exists; /* decode.c's device is global: one engine per process */


static bt_mono_ns mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_or_null(const char *s)
{
    if (!s || !s[0])
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- events (call with lock held) ---------------------------------------------------------- */

static void push_event(bt_audio *a, bt_audio_event_kind kind, const segment *seg, int item,
                       int64_t frame, int64_t frames, bt_mono_ns mono, int64_t wall_ms,
                       const char *reason)
{
    a->events_pushed++;
    if (a->event_count == EVENT_CAPACITY) {
        a->events_dropped++; /* the main loop is not polling; keep what is already queued */
        return;
    }
    bt_audio_event *ev = &a->events[(a->event_head + a->event_count) % EVENT_CAPACITY];
    memset(ev, 0, sizeof(*ev));
    ev->kind = kind;
    ev->session_tag = a->tag;
    ev->item = seg ? seg->item : item;
    ev->closing_chime = seg ? seg->closing : false;
    ev->frame = frame;
    ev->frames = frames;
    ev->mono = mono;
    ev->wall_ms = wall_ms;
    if (reason)
        snprintf(ev->reason, sizeof(ev->reason), "%s", reason);
    a->event_count++;
}

/* Items after the current segment never sounded: CANCELLED. */
static void cancel_rest(bt_audio *a, size_t from, bt_mono_ns mono, int64_t wall_ms,
                        const char *reason)
{
    for (size_t i = from; i < a->segment_count; i++)
        if (a->segments[i].item >= 0)
            push_event(a, BT_AUDIO_CANCELLED, &a->segments[i], 0, a->session_frame, 0, mono,
                       wall_ms, reason);
}

static void notify(bt_audio *a)
{
    if (a->notify)
        a->notify(a->notify_ctx);
}

/* ---- the audio callback -------------------------------------------------------------------- */

static void write_mono(Uint8 *stream, size_t at, const int16_t *pcm, size_t frames)
{
    int16_t *out = (int16_t *)(void *)stream + at * BT_AUDIO_CHANNELS;
    for (size_t i = 0; i < frames; i++) {
        out[2 * i] = pcm[i];
        out[2 * i + 1] = pcm[i];
    }
}

/* Cuts the current segment with a short fade; returns the frames written. */
static size_t render_stop(bt_audio *a, Uint8 *stream, size_t at, size_t room, bt_mono_ns t0,
                          int64_t w0)
{
    segment *seg = &a->segments[a->current];
    size_t left = seg->frames - a->position;
    size_t n = left < STOP_FADE_FRAMES ? left : STOP_FADE_FRAMES;
    if (n > room)
        n = room;
    int16_t *out = (int16_t *)(void *)stream + at * BT_AUDIO_CHANNELS;
    for (size_t i = 0; i < n; i++) {
        double k = 1.0 - (double)(i + 1) / (double)(n + 1);
        int16_t v = (int16_t)lrint(seg->pcm[a->position + i] * k);
        out[2 * i] = v;
        out[2 * i + 1] = v;
    }
    a->position += n;
    a->session_frame += n;
    bt_mono_ns when = t0 + (bt_mono_ns)(at + n) * NS_PER_S / BT_AUDIO_RATE;
    int64_t wall = w0 + (int64_t)(at + n) * 1000 / BT_AUDIO_RATE;
    push_event(a, BT_AUDIO_INTERRUPTED, seg, 0, a->session_frame, (int64_t)a->position, when,
               wall, "phiên phát bị dừng");
    cancel_rest(a, a->current + 1, when, wall, "phiên phát bị dừng trước khi đến lượt");
    a->state = STATE_DRAINING;
    return n;
}

/* Copies segments into the buffer from frame `at`; STARTED/ENDED at their exact frames. */
static void render_segments(bt_audio *a, Uint8 *stream, size_t at, size_t room, bt_mono_ns t0,
                            int64_t w0)
{
    while (room > 0 && a->current < a->segment_count) {
        segment *seg = &a->segments[a->current];
        size_t n = seg->frames - a->position;
        if (n > room)
            n = room;
        write_mono(stream, at, seg->pcm + a->position, n);
        a->position += n;
        a->session_frame += (int64_t)n;
        at += n;
        room -= n;
        if (a->position == seg->frames) {
            bt_mono_ns when = t0 + (bt_mono_ns)at * NS_PER_S / BT_AUDIO_RATE;
            int64_t wall = w0 + (int64_t)at * 1000 / BT_AUDIO_RATE;
            push_event(a, BT_AUDIO_ENDED, seg, 0, a->session_frame, (int64_t)seg->frames, when,
                       wall, NULL);
            a->current++;
            a->position = 0;
            if (a->current < a->segment_count)
                push_event(a, BT_AUDIO_STARTED, &a->segments[a->current], 0, a->session_frame,
                           0, when, wall, NULL);
        }
    }
    if (a->current == a->segment_count)
        a->state = STATE_DRAINING;
}

static void SDLCALL audio_callback(void *udata, Uint8 *stream, int len)
{
    bt_audio *a = udata;
    size_t room = (size_t)len / (sizeof(int16_t) * BT_AUDIO_CHANNELS);
    memset(stream, 0, (size_t)len);
    bt_mono_ns t0 = mono_now();
    int64_t w0 = wall_now_ms();
    bool wake = false;

    SDL_LockMutex(a->lock);
    a->last_callback = t0;
    size_t at = 0;
    if (a->state == STATE_ARMED && !a->stop_requested) {
        bt_mono_ns begin = a->start_at > a->ready_at ? a->start_at : a->ready_at;
        bt_mono_ns buffer_end = t0 + (bt_mono_ns)room * NS_PER_S / BT_AUDIO_RATE;
        if (begin < buffer_end) {
            /* Place the first sound at its frame inside this buffer (or at once if late). */
            at = begin > t0 ? (size_t)((begin - t0) * BT_AUDIO_RATE / NS_PER_S) : 0;
            if (at >= room)
                at = room - 1;
            a->state = STATE_PLAYING;
            a->current = 0;
            a->position = 0;
            a->session_frame = 0;
            push_event(a, BT_AUDIO_STARTED, &a->segments[0], 0, 0, 0,
                       t0 + (bt_mono_ns)at * NS_PER_S / BT_AUDIO_RATE,
                       w0 + (int64_t)at * 1000 / BT_AUDIO_RATE, NULL);
            wake = true;
        }
    }
    if (a->state == STATE_PLAYING) {
        unsigned long pushed = a->events_pushed;
        if (a->stop_requested)
            render_stop(a, stream, at, room - at, t0, w0);
        else
            render_segments(a, stream, at, room - at, t0, w0);
        /* The main loop is woken for news only (an item started or ended, the session drains),
         * not for every buffer: ~47 wake-ups a second while a session sounds otherwise. */
        if (a->events_pushed != pushed || a->state != STATE_PLAYING)
            wake = true;
        if (a->state == STATE_DRAINING)
            SDL_CondSignal(a->wake);
    }
    SDL_UnlockMutex(a->lock);
    if (wake)
        notify(a);
}

/* ---- preparing ----------------------------------------------------------------------------- */

static int bring_to_target(bt_audio *a, const char *path, double loudness, int16_t *pcm,
                           size_t frames, double *gain_out, char *reason, size_t reason_size,
                           int16_t **owner);

/* Decodes a file's bytes: a WAV here with SDL; a compressed file by decode_elsewhere when given
 * (the kiosk's child, into a WAV of the device's format, loaded here and deleted), so this
 * process never maps SDL2_mixer nor hands its device over. Items are decoded on the session
 * thread (prepare_segments), never the thread that draws; only a compressed chime is decoded at
 * open, on the caller's thread, as it was before. */
static int decode_file(bt_audio *a, const unsigned char *data, size_t len, const char *path,
                       int max_seconds, int16_t **pcm, size_t *frames, char *reason,
                       size_t reason_size)
{
    if (!a->decode_elsewhere || bt_audio_is_wav(data, len))
        /* The engine's own decodes happen before its session sounds: no need to wait. */
        return bt_audio_decode(data, len, path, max_seconds, false, pcm, frames, reason,
                               reason_size);
    char wav[BT_MAX_PATH_BYTES];
    if (a->decode_elsewhere(a->decode_ctx, path, max_seconds, wav, sizeof wav, reason,
                            reason_size) != 0)
        return -1;
    int rc = bt_audio_decode_wav_file(wav, path, max_seconds, pcm, frames, reason, reason_size);
    remove(wav);
    return rc;
}

/* Reads one file, checks it is the one loaded (sha256, when given) and decodes it. On failure
 * *pcm is NULL and reason says why. */
static int read_and_decode(bt_audio *a, const char *path, const char *sha256, int max_seconds,
                           int16_t **pcm, size_t *frames, char *reason, size_t reason_size)
{
    unsigned char *data = NULL;
    size_t len = 0;
    *pcm = NULL;
    *frames = 0;
    if (bt_audio_read_file(path, BT_MAX_AUDIO_FILE_BYTES, &data, &len, reason, reason_size) != 0)
        return -1;
    if (sha256 && sha256[0]) {
        char hex[BT_SHA256_HEX_BYTES + 1];
        if (bt_audio_sha256_hex(data, len, hex) != 0 || strcasecmp(hex, sha256) != 0) {
            bt_set_error(reason, reason_size,
                    "tệp âm thanh “%s” đã thay đổi từ khi được nạp (mã SHA-256 khác)", path);
            free(data);
            return -1;
        }
    }
    int rc = decode_file(a, data, len, path, max_seconds, pcm, frames, reason, reason_size);
    free(data);
    return rc;
}

/* Decodes one file and brings it to the target. On failure *pcm is NULL and reason says why. */
static int prepare_pcm(bt_audio *a, const char *path, double loudness, const char *sha256,
                       int max_seconds, int16_t **pcm, size_t *frames, double *gain_out,
                       char *reason, size_t reason_size)
{
    if (read_and_decode(a, path, sha256, max_seconds, pcm, frames, reason, reason_size) != 0)
        return -1;
    return bring_to_target(a, path, loudness, *pcm, *frames, gain_out, reason, reason_size,
                           pcm);
}

/* Brings decoded pcm from its loudness (measured here when not finite) to the engine's target
 * and volume. On failure frees *owner, sets it NULL and says why. */
static int bring_to_target(bt_audio *a, const char *path, double loudness, int16_t *pcm,
                           size_t frames, double *gain_out, char *reason, size_t reason_size,
                           int16_t **owner)
{
    if (!isfinite(loudness)) {
        double sp, tp;
        if (bt_audio_module_load(reason, reason_size) != 0) { /* libebur128 measures */
            free(*owner);
            *owner = NULL;
            return -1;
        }
        if (bt_audio_measure_mono(pcm, frames, &loudness, &sp, &tp) != 0)
            loudness = -HUGE_VAL;
    }
    if (!isfinite(loudness) || loudness < BT_LOUDNESS_SILENCE_LUFS) {
        bt_set_error(reason, reason_size, "tệp âm thanh “%s” chỉ có im lặng", path);
        free(*owner);
        *owner = NULL;
        return -1;
    }
    double gain = bt_loudness_gain_db(loudness, bt_audio_sample_peak_dbfs(pcm, frames),
                                      a->target_lufs, BT_LOUDNESS_PEAK_CEILING_DBFS);
    double volume = a->volume_percent <= 0 ? -HUGE_VAL : 20.0 * log10(a->volume_percent / 100.0);
    bt_audio_apply_gain(pcm, frames, gain + volume);
    if (gain_out)
        *gain_out = gain;
    return 0;
}

/* The engine goes on without a chime; staff read why (bt_audio_chime_problem). */
static void chime_unusable(bt_audio *a, const char *reason)
{
    snprintf(a->chime_problem, sizeof(a->chime_problem), "Không dùng được tiếng chuông: %s",
             reason);
    bt_log_warn("%s", a->chime_problem);
}

/* The chime's gain, once its loudness is known or measured here: at the first preparation of
 * a session after bt_audio_set_chime_loudness, on the session thread (nothing sounds). */
static void settle_chime(bt_audio *a)
{
    if (!a->chime_gain_pending)
        return;
    SDL_LockMutex(a->lock);
    double lufs = a->chime_lufs_given ? a->chime_lufs : NAN;
    SDL_UnlockMutex(a->lock);
    a->chime_gain_pending = false;
    char reason[400];
    double gain = 0;
    if (bring_to_target(a, a->chime_path, lufs, a->chime, a->chime_frames, &gain, reason,
                        sizeof reason, &a->chime) != 0) {
        chime_unusable(a, reason);
        return;
    }
    bt_log_info("Tiếng chuông “%s”: bù %+.1f dB.", a->chime_path, gain);
}

void bt_audio_set_chime_loudness(bt_audio *a, double lufs)
{
    if (!a)
        return;
    SDL_LockMutex(a->lock);
    a->chime_lufs = lufs;
    a->chime_lufs_given = true;
    SDL_UnlockMutex(a->lock);
}

static void load_chime(bt_audio *a, const char *path, bool loudness_later)
{
    if (!path || !path[0])
        return;
    char reason[400];
    int16_t *pcm = NULL;
    size_t frames = 0;
    double gain = 0;
    if (loudness_later) {
        /* Decoded now (its length places the sessions); its gain when its loudness comes. */
        if (!(a->chime_path = dup_or_null(path))) {
            chime_unusable(a, "không đủ bộ nhớ");
            return;
        }
        if (read_and_decode(a, path, NULL, BT_MAX_CHIME_SECONDS, &pcm, &frames, reason,
                            sizeof reason) != 0) {
            chime_unusable(a, reason);
            return;
        }
        a->chime = pcm;
        a->chime_frames = frames;
        a->chime_gain_pending = true;
        bt_log_info("Tiếng chuông “%s”: %.2f giây.", path, (double)frames / BT_AUDIO_RATE);
        return;
    }
    if (prepare_pcm(a, path, NAN, NULL, BT_MAX_CHIME_SECONDS, &pcm, &frames, &gain,
                    reason, sizeof(reason)) != 0) {
        chime_unusable(a, reason);
        return;
    }
    a->chime = pcm;
    a->chime_frames = frames;
    bt_log_info("Tiếng chuông “%s”: %.2f giây, bù %+.1f dB.", path,
                (double)frames / BT_AUDIO_RATE, gain);
}

/* Opens the real device, or explains why not. */
static void open_device(bt_audio *a, const char *device)
{
    char why[400];
    if (bt_audio_device_open(device, false, why, sizeof(why)) != 0) {
        snprintf(a->device_problem, sizeof(a->device_problem), "%s (%s)",
                 BT_AUDIO_NO_DEVICE_REASON, why);
        return;
    }
    /* SDL's dummy driver accepts everything and sounds nowhere: that is no device. */
    if (strcmp(bt_audio_device_driver(), "dummy") == 0) {
        snprintf(a->device_problem, sizeof(a->device_problem), "%s (trình điều khiển “dummy”)",
                 BT_AUDIO_NO_DEVICE_REASON);
        bt_audio_device_close();
        return;
    }
    a->has_device = true;
}

int bt_audio_open(const bt_audio_config *cfg, bt_audio **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!cfg || cfg->volume_percent < 0 || cfg->volume_percent > 100 ||
        !isfinite(cfg->loudness_target_lufs) || cfg->amp_warmup_ms < 0 ||
        cfg->hook_timeout_ms < 0) {
        bt_set_error(err, err_size, "Cấu hình âm thanh không hợp lệ.");
        return -1;
    }
    if (engine_exists) {
        bt_set_error(err, err_size, "Bộ phát âm thanh đã được mở.");
        return -1;
    }
    bt_audio *a = calloc(1, sizeof(*a));
    if (!a) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ cho bộ phát âm thanh.");
        return -1;
    }
    a->target_lufs = cfg->loudness_target_lufs;
    a->volume_percent = cfg->volume_percent;
    a->warmup_ms = cfg->amp_warmup_ms;
    a->hook_timeout_ms =
        cfg->hook_timeout_ms > 0 ? cfg->hook_timeout_ms : BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS;
    a->amp_hold_ms = cfg->amp_hold_ms > 0 ? cfg->amp_hold_ms : BT_AUDIO_DEFAULT_AMP_HOLD_MS;
    a->notify = cfg->notify;
    a->notify_ctx = cfg->notify_ctx;
    a->decode_elsewhere = cfg->decode_elsewhere;
    a->decode_ctx = cfg->decode_ctx;
    a->device = dup_or_null(cfg->device);
    a->amp_on = dup_or_null(cfg->amp_on_command);
    a->amp_off = dup_or_null(cfg->amp_off_command);
    a->lock = SDL_CreateMutex();
    a->wake = SDL_CreateCond();
    if ((cfg->device && cfg->device[0] && !a->device) ||
        (cfg->amp_on_command && cfg->amp_on_command[0] && !a->amp_on) ||
        (cfg->amp_off_command && cfg->amp_off_command[0] && !a->amp_off) || !a->lock ||
        !a->wake) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ cho bộ phát âm thanh.");
        goto fail;
    }
    engine_exists = true;

    if (cfg->no_device)
        snprintf(a->device_problem, sizeof(a->device_problem), "%s (đã tắt trong cấu hình)",
                 BT_AUDIO_NO_DEVICE_REASON);
    else
        open_device(a, a->device);
    /* Without a device the engine still decodes and measures (decode.c needs no device for
     * a WAV and opens a dummy mixer for a compressed file), so a broken chime is reported either way. */
    if (!a->has_device)
        bt_log_warn("Âm thanh: %s; các phiên phát thanh sẽ được ghi là lỗi.", a->device_problem);
    else
        bt_log_info("Âm thanh: trình điều khiển “%s”, thiết bị “%s”.", bt_audio_device_driver(),
                    a->device ? a->device : "mặc định");
    load_chime(a, cfg->chime_path, cfg->chime_loudness_later);
    if (a->has_device)
        bt_audio_device_hook(audio_callback, a);
    *out = a;
    return 0;

fail:
    if (a->wake)
        SDL_DestroyCond(a->wake);
    if (a->lock)
        SDL_DestroyMutex(a->lock);
    free(a->device);
    free(a->amp_on);
    free(a->amp_off);
    free(a);
    return -1;
}

static void free_segments(bt_audio *a)
{
    for (size_t i = 0; i < a->segment_count; i++)
        free(a->segments[i].owned);
    memset(a->segments, 0, sizeof(a->segments));
    a->segment_count = 0;
    for (size_t i = 0; i < a->pending_count; i++)
        free(a->pending[i].path);
    memset(a->pending, 0, sizeof(a->pending));
    a->pending_count = 0;
}

void bt_audio_close(bt_audio *a)
{
    if (!a)
        return;
    bt_audio_stop(a);
    SDL_LockMutex(a->lock);
    a->closing = true; /* a held amplifier is switched off now */
    SDL_CondSignal(a->wake);
    SDL_UnlockMutex(a->lock);
    if (a->thread)
        SDL_WaitThread(a->thread, NULL);
    a->thread = NULL;
    bt_audio_device_close(); /* removes the hook first */
    free_segments(a);
    free(a->chime);
    free(a->chime_path);
    SDL_DestroyCond(a->wake);
    SDL_DestroyMutex(a->lock);
    free(a->device);
    free(a->amp_on);
    free(a->amp_off);
    if (a->events_dropped)
        bt_log_warn("Âm thanh: %zu sự kiện bị bỏ vì không được đọc kịp.", a->events_dropped);
    free(a);
    engine_exists = false;
}

bool bt_audio_has_device(const bt_audio *a)
{
    return a && a->has_device;
}

const char *bt_audio_device_problem(const bt_audio *a)
{
    return a && a->device_problem[0] ? a->device_problem : NULL;
}

const char *bt_audio_chime_problem(const bt_audio *a)
{
    return a && a->chime_problem[0] ? a->chime_problem : NULL;
}

double bt_audio_chime_seconds(const bt_audio *a)
{
    return a ? (double)a->chime_frames / BT_AUDIO_RATE : 0.0;
}

int bt_audio_lead_ms(const bt_audio *a, double audio_seconds)
{
    double prepare = PREPARE_BASE_MS + (audio_seconds > 0 ? audio_seconds : 0) *
                                           PREPARE_MS_PER_AUDIO_SECOND;
    int hooks = a && a->amp_on ? a->hook_timeout_ms + a->warmup_ms : 0;
    return hooks + (int)ceil(prepare);
}

/* ---- the session thread -------------------------------------------------------------------- */

static void run_hook(bt_audio *a, const char *what, const char *command)
{
    char why[512];
    int64_t t0 = mono_now();
    int status = bt_audio_run_hook(command, a->hook_timeout_ms, why, sizeof(why));
    if (status != 0)
        bt_log_warn("Lệnh %s: %s", what,
                    status < 0 ? why : "trả về mã lỗi khác 0; vẫn tiếp tục phát");
    else
        bt_log_info("Lệnh %s xong sau %lld ms.", what, (long long)((mono_now() - t0) / 1000000));
}

/* Called with lock held while PLAYING or ARMED: declares the device dead if it went quiet. */
static void watchdog(bt_audio *a)
{
    bt_mono_ns now = mono_now();
    int64_t wall = wall_now_ms();
    const char *reason = "thiết bị âm thanh ngừng hoạt động";
    if (a->state == STATE_PLAYING && now - a->last_callback > WATCHDOG_NS) {
        segment *seg = &a->segments[a->current];
        push_event(a, BT_AUDIO_INTERRUPTED, seg, 0, a->session_frame, (int64_t)a->position, now,
                   wall, reason);
        cancel_rest(a, a->current + 1, now, wall, reason);
        a->state = STATE_DRAINING;
    } else if (a->state == STATE_ARMED) {
        bt_mono_ns begin = a->start_at > a->ready_at ? a->start_at : a->ready_at;
        if (now - begin > WATCHDOG_NS && now - a->last_callback > WATCHDOG_NS) {
            for (size_t i = 0; i < a->segment_count; i++)
                if (a->segments[i].item >= 0)
                    push_event(a, BT_AUDIO_FAILED, &a->segments[i], 0, 0, 0, now, wall, reason);
            a->state = STATE_DRAINING;
        }
    }
}

static void fail_all(bt_audio *a, const bt_audio_session *s, const char *reason)
{
    bt_mono_ns now = mono_now();
    int64_t wall = wall_now_ms();
    SDL_LockMutex(a->lock);
    for (size_t i = 0; i < s->item_count; i++)
        push_event(a, BT_AUDIO_FAILED, NULL, (int)i, 0, 0, now, wall, reason);
    push_event(a, BT_AUDIO_SESSION_ENDED, NULL, -1, 0, 0, now, wall, NULL);
    SDL_UnlockMutex(a->lock);
    notify(a);
}

static void add_segment(bt_audio *a, const int16_t *pcm, int16_t *owned, size_t frames, int item,
                        bool closing)
{
    segment *seg = &a->segments[a->segment_count++];
    seg->pcm = pcm;
    seg->owned = owned;
    seg->frames = frames;
    seg->item = item;
    seg->closing = closing;
}

/* Decodes every pending item into a segment (FAILED events for those that cannot air),
 * framed by the chime. Runs on the session thread while PREPARING. Returns the items ready. */
static size_t prepare_segments(bt_audio *a)
{
    settle_chime(a);
    bool chime = a->chime_wanted && a->chime;
    if (chime)
        add_segment(a, a->chime, NULL, a->chime_frames, -1, false);
    size_t prepared = 0;
    for (size_t i = 0; i < a->pending_count; i++) {
        const pending_item *it = &a->pending[i];
        char reason[BT_AUDIO_REASON_BYTES];
        int16_t *pcm = NULL;
        size_t frames = 0;
        double gain = 0;
        SDL_LockMutex(a->lock);
        bool stop = a->stop_requested;
        SDL_UnlockMutex(a->lock);
        if (stop)
            break; /* the session thread cancels what was not prepared */
        if (prepare_pcm(a, it->path, it->loudness_lufs, it->sha256, BT_MAX_AUDIO_ITEM_SECONDS,
                        &pcm, &frames, &gain, reason, sizeof(reason)) != 0) {
            bt_log_warn("Không phát được “%s”: %s", it->path, reason);
            a->pending[i].failed = true;
            SDL_LockMutex(a->lock);
            push_event(a, BT_AUDIO_FAILED, NULL, (int)i, 0, 0, mono_now(), wall_now_ms(), reason);
            SDL_UnlockMutex(a->lock);
            notify(a);
            continue;
        }
        bt_log_debug("Chuẩn bị “%s”: %.1f giây, bù %+.1f dB.", it->path,
                     (double)frames / BT_AUDIO_RATE, gain);
        add_segment(a, pcm, pcm, frames, (int)i, false);
        prepared++;
    }
    if (chime)
        add_segment(a, a->chime, NULL, a->chime_frames, -1, true);
    return prepared;
}

/* Nothing has sounded: every item not already FAILED is CANCELLED. With lock held. */
static void cancel_unsounded(bt_audio *a)
{
    for (size_t i = 0; i < a->pending_count; i++)
        if (!a->pending[i].failed)
            push_event(a, BT_AUDIO_CANCELLED, NULL, (int)i, 0, 0, mono_now(), wall_now_ms(),
                       "phiên phát bị dừng trước khi đến lượt");
}

/* Waits until `until` unless the session is stopped; with lock held. */
static void wait_unless_stopped(bt_audio *a, bt_mono_ns until)
{
    while (!a->stop_requested) {
        bt_mono_ns now = mono_now();
        if (now >= until)
            break;
        SDL_CondWaitTimeout(a->wake, a->lock, (Uint32)((until - now) / 1000000 + 1));
    }
}

/* After a session cut by bt_audio_stop_and_hold (amp_held set, state IDLE, so a new session can
 * start meanwhile): the amplifier stays on until a new session claims it, the hold time passes,
 * or the engine closes. True when claimed: amp_claimed then stays set for the new session's
 * thread. Called with the lock held. */
static bool hold_amplifier(bt_audio *a)
{
    bt_mono_ns until = mono_now() + (bt_mono_ns)a->amp_hold_ms * 1000000;
    while (!a->amp_claimed && !a->closing) {
        bt_mono_ns now = mono_now();
        if (now >= until)
            break;
        SDL_CondWaitTimeout(a->wake, a->lock, (Uint32)((until - now) / 1000000 + 1));
    }
    a->amp_held = false;
    return a->amp_claimed;
}

static int session_thread(void *udata)
{
    bt_audio *a = udata;
    SDL_LockMutex(a->lock);
    bool held = a->amp_claimed; /* the amplifier is still on from the session this one cut */
    a->amp_claimed = false;
    SDL_UnlockMutex(a->lock);
    size_t prepared = prepare_segments(a);

    SDL_LockMutex(a->lock);
    bool stop = a->stop_requested;
    if (stop)
        cancel_unsounded(a);
    SDL_UnlockMutex(a->lock);

    if (!stop && prepared > 0) {
        /* From here until the sound is over, other threads' decodes wait (see decode.c). */
        bt_audio_device_set_sounding(true);
        /* The amplifier may be on: switch it off afterwards. */
        bool amp_switched = held;
        SDL_LockMutex(a->lock);
        if (!held)
            wait_unless_stopped(a, a->start_at - (bt_mono_ns)(a->warmup_ms +
                                                             AMP_HOOK_ALLOWANCE_MS) *
                                                     1000000);
        stop = a->stop_requested;
        SDL_UnlockMutex(a->lock);
        if (!stop && !held) {
            amp_switched = true;
            if (a->amp_on) {
                run_hook(a, "bật âm ly", a->amp_on);
                /* Warm-up: the amplifier needs time before it passes sound cleanly. */
                SDL_LockMutex(a->lock);
                wait_unless_stopped(a, mono_now() + (bt_mono_ns)a->warmup_ms * 1000000);
                SDL_UnlockMutex(a->lock);
            }
        }
        SDL_LockMutex(a->lock);
        if (a->stop_requested) {
            cancel_unsounded(a);
        } else {
            a->ready_at = mono_now();
            a->last_callback = a->ready_at;
            a->current = 0;
            a->position = 0;
            a->state = STATE_ARMED;
            while (a->state == STATE_ARMED || a->state == STATE_PLAYING) {
                SDL_CondWaitTimeout(a->wake, a->lock, SESSION_TICK_MS);
                if (a->state == STATE_ARMED && a->stop_requested) {
                    cancel_unsounded(a);
                    break;
                }
                watchdog(a);
            }
        }
        a->state = STATE_DRAINING;
        bool hold = amp_switched && a->hold_requested;
        SDL_UnlockMutex(a->lock);
        bt_audio_device_set_sounding(false);
        notify(a);
        if (amp_switched && !hold && a->amp_off)
            run_hook(a, "tắt âm ly", a->amp_off);
        held = hold;
    } else if (held && a->amp_off) {
        /* Cut before it sounded: the amplifier it took over goes off. */
        run_hook(a, "tắt âm ly", a->amp_off);
        held = false;
    }

    SDL_LockMutex(a->lock);
    free_segments(a);
    a->hold_requested = false;
    push_event(a, BT_AUDIO_SESSION_ENDED, NULL, -1, a->session_frame, 0, mono_now(),
               wall_now_ms(), NULL);
    /* Held for the session that cut this one: marked before IDLE can be seen, so a session
     * started from here on claims it. */
    a->amp_held = held;
    a->state = STATE_IDLE;
    SDL_UnlockMutex(a->lock);
    notify(a);
    if (!held)
        return 0;
    SDL_LockMutex(a->lock);
    bool claimed = hold_amplifier(a);
    SDL_UnlockMutex(a->lock);
    if (!claimed && a->amp_off)
        run_hook(a, "tắt âm ly", a->amp_off);
    return 0;
}

/* ---- public session API -------------------------------------------------------------------- */

int bt_audio_start(bt_audio *a, const bt_audio_session *s, uint64_t session_tag, char *err,
                   size_t err_size)
{
    if (!a || !s || !s->items || s->item_count == 0 || s->item_count > BT_MAX_SESSION_ITEMS) {
        bt_set_error(err, err_size, "Phiên phát thanh không hợp lệ.");
        return -1;
    }
    for (size_t i = 0; i < s->item_count; i++) {
        if (!s->items[i].path || !s->items[i].path[0]) {
            bt_set_error(err, err_size, "Mục thứ %zu của phiên phát thanh không có tệp âm thanh.",
                    i + 1);
            return -1;
        }
    }
    SDL_LockMutex(a->lock);
    bool busy = a->state != STATE_IDLE;
    SDL_UnlockMutex(a->lock);
    if (busy) {
        bt_set_error(err, err_size, "Đang có một phiên phát thanh khác.");
        return -1;
    }
    if (a->thread) {
        /* The previous session's thread is done (IDLE is its last state) or keeps the
         * amplifier on for this session: claim it, then wait for the thread to go. */
        SDL_LockMutex(a->lock);
        if (a->amp_held) {
            a->amp_claimed = true;
            SDL_CondSignal(a->wake);
        }
        SDL_UnlockMutex(a->lock);
        SDL_WaitThread(a->thread, NULL);
        a->thread = NULL;
    }
    a->tag = session_tag;
    a->session_frame = 0;
    if (!a->has_device) {
        fail_all(a, s, BT_AUDIO_NO_DEVICE_REASON);
        return 0;
    }

    /* IDLE and no thread: nothing else touches the session fields now. */
    free_segments(a);
    for (size_t i = 0; i < s->item_count; i++) {
        pending_item *p = &a->pending[i];
        p->path = dup_or_null(s->items[i].path);
        p->loudness_lufs = s->items[i].loudness_lufs;
        snprintf(p->sha256, sizeof(p->sha256), "%s", s->items[i].sha256 ? s->items[i].sha256 : "");
        a->pending_count++;
        if (!p->path) {
            free_segments(a);
            bt_set_error(err, err_size, "Không đủ bộ nhớ cho phiên phát thanh.");
            return -1;
        }
    }
    a->chime_wanted = s->chime;
    a->start_at = s->start_at;
    a->ready_at = 0;
    a->stop_requested = false;
    SDL_LockMutex(a->lock);
    a->state = STATE_PREPARING;
    SDL_UnlockMutex(a->lock);
    a->thread = SDL_CreateThread(session_thread, "bt-audio-session", a);
    if (!a->thread) {
        SDL_LockMutex(a->lock);
        a->state = STATE_IDLE;
        SDL_UnlockMutex(a->lock);
        free_segments(a);
        bt_set_error(err, err_size, "Không tạo được luồng phát thanh: %s",
                     bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    return 0;
}

void bt_audio_stop_and_hold(bt_audio *a)
{
    if (!a)
        return;
    SDL_LockMutex(a->lock);
    if (a->state != STATE_IDLE && a->state != STATE_DRAINING)
        a->hold_requested = true;
    SDL_UnlockMutex(a->lock);
    bt_audio_stop(a);
}

void bt_audio_stop(bt_audio *a)
{
    if (!a)
        return;
    SDL_LockMutex(a->lock);
    /* Not yet sounding: the session thread cancels every item and winds down. Sounding: the
     * callback fades out on its next buffer. */
    if (a->state != STATE_IDLE && a->state != STATE_DRAINING)
        a->stop_requested = true;
    SDL_CondSignal(a->wake);
    SDL_UnlockMutex(a->lock);
}

bool bt_audio_busy(bt_audio *a)
{
    if (!a)
        return false;
    SDL_LockMutex(a->lock);
    bool busy = a->state != STATE_IDLE;
    SDL_UnlockMutex(a->lock);
    return busy;
}

bool bt_audio_stuck(bt_audio *a, bt_mono_ns now)
{
    if (!a)
        return false;
    SDL_LockMutex(a->lock);
    bt_mono_ns begin = a->start_at > a->ready_at ? a->start_at : a->ready_at;
    bt_mono_ns last = a->last_callback > begin ? a->last_callback : begin;
    /* ARMED and PLAYING are left within WATCHDOG_NS by the session thread when the device goes
     * quiet; still there long after means that thread is gone too. */
    bool stuck = (a->state == STATE_ARMED || a->state == STATE_PLAYING) &&
                 now - last > (bt_mono_ns)BT_AUDIO_STUCK_SECONDS * NS_PER_S;
    SDL_UnlockMutex(a->lock);
    return stuck;
}

int bt_audio_poll(bt_audio *a, bt_audio_event *ev)
{
    if (!a || !ev)
        return 0;
    SDL_LockMutex(a->lock);
    int got = 0;
    if (a->event_count > 0) {
        *ev = a->events[a->event_head];
        a->event_head = (a->event_head + 1) % EVENT_CAPACITY;
        a->event_count--;
        got = 1;
    }
    SDL_UnlockMutex(a->lock);
    return got;
}
