/* Loudspeaker playout: one audio engine per process, on an SDL device. A session is
 * chime → items → chime, rendered gaplessly (sample-exact joins) from PCM decoded before the
 * session, each item at the loudness target, starting at a monotonic deadline. Amplifier hooks
 * run around the session; an emergency can cut it at once. Everything that happens comes back
 * as events the app's main loop polls (and turns into airing-log rows).
 *
 * With no audio device (or SDL's "dummy" driver, or no_device set) the engine is the
 * do-nothing backend: it still decodes and measures, and every item of a session it is asked
 * to play comes back FAILED with the reason BT_AUDIO_NO_DEVICE_REASON.
 *
 * Threads: open/close/start/stop/poll from one thread (the app's main thread); none of them
 * blocks for long (close waits for the amplifier-off hook). The engine decodes and runs the
 * amplifier hooks on its own session thread and renders on SDL's audio thread; the notify
 * callback may be called from either. Deadlines are CLOCK_MONOTONIC nanoseconds. */
#ifndef BT_AUDIO_H
#define BT_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_time.h"

/* Output format: 48 kHz, signed 16-bit, stereo (the same mono signal on both channels). */
#define BT_AUDIO_RATE 48000
#define BT_AUDIO_CHANNELS 2
#define BT_AUDIO_NO_DEVICE_REASON "không có thiết bị âm thanh"
/* A hook that has not finished by then is killed (its whole process group). */
#define BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS 5000
/* How long bt_audio_stop_and_hold keeps the amplifier on for the session that follows. */
#define BT_AUDIO_DEFAULT_AMP_HOLD_MS 30000
#define BT_AUDIO_REASON_BYTES 200

typedef struct bt_audio bt_audio;

/* Decodes the compressed audio file path (OGG, MP3, FLAC, OPUS) away from the engine's process
 * into a WAV of BT_AUDIO_RATE / S16 / stereo, at most max_seconds long, whose path it writes into
 * wav (the engine loads it and deletes it). 0, or -1 with a Vietnamese reason naming the file in
 * reason. Called on the engine's session thread while it prepares, and once at open for a
 * compressed chime. */
typedef int (*bt_audio_decode_fn)(void *ctx, const char *path, int max_seconds, char *wav,
                                  size_t wav_size, char *reason, size_t reason_size);

typedef struct {
    const char *device;          /* SDL output device name; NULL or "" = the system default */
    const char *chime_path;      /* played before and after a session; NULL or "" = none */
    double loudness_target_lufs; /* e.g. -16; every item and the chime air at this loudness */
    int volume_percent;          /* 0..100, scales the output after the loudness gain */
    const char *amp_on_command;  /* /bin/sh -c before a session, about warm-up + 1.5 s before
                                    its deadline; NULL or "" = none. A failing hook is logged and
                                    the session still airs. */
    int amp_warmup_ms;           /* after amp_on finishes, before the first sound */
    const char *amp_off_command; /* /bin/sh -c after a session (if the amplifier was switched on) */
    int hook_timeout_ms;         /* 0 = BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS */
    bool no_device;              /* force the do-nothing backend (simulate, validate, tests) */
    void (*notify)(void *ctx);   /* events are waiting; called from the audio or session thread,
                                    e.g. to SDL_PushEvent a wake-up. May be NULL. */
    void *notify_ctx;
    int amp_hold_ms;             /* 0 = BT_AUDIO_DEFAULT_AMP_HOLD_MS (bt_audio_stop_and_hold) */
    /* The caller measures the chime's loudness and gives it with bt_audio_set_chime_loudness
     * (the kiosk does, in its measuring child, so that its own process loads no libebur128 for
     * it): the chime is only decoded here, its gain applied at the first session. Else it is
     * measured here. */
    bool chime_loudness_later;
    /* Compressed files decoded elsewhere (the kiosk: a child process, so that it never maps
     * SDL2_mixer and its device stays SDL's all day, and a decoder's crash ends the child
     * only). NULL: in this process, possible only without a device (no_device). */
    bt_audio_decode_fn decode_elsewhere;
    void *decode_ctx;
} bt_audio_config;

/* Opens the engine. Falls back to the do-nothing backend when no device opens (see
 * bt_audio_device_problem). A chime that cannot be used leaves the engine without one (see
 * bt_audio_chime_problem). -1 with err only for bad arguments, a second engine, or no memory. */
int bt_audio_open(const bt_audio_config *cfg, bt_audio **out, char *err, size_t err_size);
/* Stops any session (its amplifier-off hook still runs), closes the device. NULL is fine. */
void bt_audio_close(bt_audio *a);

bool bt_audio_has_device(const bt_audio *a);
/* NULL when all is well, else a Vietnamese reason (owned by the engine). */
const char *bt_audio_device_problem(const bt_audio *a);
const char *bt_audio_chime_problem(const bt_audio *a);
/* The chime's integrated loudness for chime_loudness_later (NAN: it could not be measured,
 * the engine measures it itself at the first session). Any thread. */
void bt_audio_set_chime_loudness(bt_audio *a, double lufs);
/* Seconds of the chime as aired (0 without one). */
double bt_audio_chime_seconds(const bt_audio *a);
/* How long before its deadline bt_audio_start should be called for a session of audio_seconds
 * (the items' measured durations): decoding, the amp-on hook's timeout and the warm-up. Starting
 * later still plays, late. */
int bt_audio_lead_ms(const bt_audio *a, double audio_seconds);

typedef struct {
    const char *path;        /* the audio file */
    double loudness_lufs;    /* measured at load (bt_loudness); NAN = measure while preparing */
    const char *sha256;      /* expected hex hash of the file; NULL or "" = not checked */
} bt_audio_item;

typedef struct {
    const bt_audio_item *items;
    size_t item_count;       /* 1..BT_MAX_SESSION_ITEMS */
    bool chime;              /* frame the items with the chime (if the engine has one) */
    bt_mono_ns start_at;     /* deadline of the first sound, CLOCK_MONOTONIC */
} bt_audio_session;

/* Returns at once; the session thread then decodes every item and applies its gain, runs the
 * amplifier-on hook and the warm-up, and arms the session to sound at start_at. If that is not
 * done by start_at the session starts late (never into a cold amplifier). An item that cannot
 * be prepared comes back as a FAILED event and the others still air. The items are copied.
 * session_tag is echoed in every event. 0 on success (including the do-nothing backend); -1
 * with err if a session is still busy or the arguments are wrong. */
int bt_audio_start(bt_audio *a, const bt_audio_session *s, uint64_t session_tag, char *err,
                   size_t err_size);
/* Emergency stop: the sound fades out within 10 ms, the playing item comes back INTERRUPTED and
 * the rest CANCELLED (all of them if nothing sounded yet); the amplifier-off hook runs if the
 * amplifier had been switched on, then SESSION_ENDED follows. Start the emergency session after
 * SESSION_ENDED. */
void bt_audio_stop(bt_audio *a);
/* The same, for a session that starts right after (an emergency cutting in): the amplifier is
 * left on, and the next session starts without the amplifier-on hook and its warm-up. If none
 * starts within the hold time (amp_hold_ms), the amplifier-off hook runs then; bt_audio_close
 * runs it at once. */
void bt_audio_stop_and_hold(bt_audio *a);
/* A session is armed, sounding, or finishing its hooks: wait for SESSION_ENDED. */
bool bt_audio_busy(bt_audio *a);
/* True when a session should be sounding but neither the device's callback nor the session
 * thread's own watchdog has moved for BT_AUDIO_STUCK_SECONDS: the audio threads are dead or hung
 * and only a restart brings the loudspeaker back (the kiosk then stops pinging systemd). */
#define BT_AUDIO_STUCK_SECONDS 30
bool bt_audio_stuck(bt_audio *a, bt_mono_ns now);

typedef enum {
    BT_AUDIO_STARTED,       /* a segment (item or chime) started sounding */
    BT_AUDIO_ENDED,         /* … and played to its end */
    BT_AUDIO_INTERRUPTED,   /* … and was cut by bt_audio_stop or a device failure */
    BT_AUDIO_FAILED,        /* an item could not air at all (reason) */
    BT_AUDIO_CANCELLED,     /* an item did not air because the session was stopped */
    BT_AUDIO_SESSION_ENDED  /* the session is over, hooks included; the engine is free */
} bt_audio_event_kind;

typedef struct {
    bt_audio_event_kind kind;
    uint64_t session_tag;
    int item;                /* index into the session's items; -1 for the chime and SESSION_ENDED */
    bool closing_chime;      /* item -1: the chime after the items (false: the one before) */
    int64_t frame;           /* where in the session's output it happened, frames since its
                                first sound (sample-exact; gaps between segments are 0) */
    int64_t frames;          /* ENDED/INTERRUPTED: frames of this segment that sounded */
    bt_mono_ns mono;         /* when it sounds (estimated from the audio callback's clock) */
    int64_t wall_ms;         /* the same instant on the wall clock, ms since the epoch */
    char reason[BT_AUDIO_REASON_BYTES]; /* FAILED/CANCELLED/INTERRUPTED, Vietnamese */
} bt_audio_event;

/* Takes the oldest waiting event: 1 and *ev filled, or 0 when there is none. */
int bt_audio_poll(bt_audio *a, bt_audio_event *ev);

/* Runs command with /bin/sh -c in its own process group, stdin from /dev/null, killing the group
 * after timeout_ms. Returns its exit status (0..255), or -1 with a Vietnamese reason in err
 * (could not start, killed by a signal, timed out). Used for the amplifier hooks. */
int bt_audio_run_hook(const char *command, int timeout_ms, char *err, size_t err_size);

/* The decoding child's side of decode_elsewhere (`bangtin decode-audio`): decodes path in this
 * process (it must have no engine) and writes it to out as a WAV of BT_AUDIO_RATE / S16 /
 * stereo, the mono signal the engine would have decoded on both channels. 0 with its *frames,
 * or -1 with a Vietnamese reason naming the file (out then not left behind). */
int bt_audio_decode_to_wav(const char *path, int max_seconds, const char *out, size_t *frames,
                           char *err, size_t err_size);

#endif
