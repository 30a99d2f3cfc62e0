/* The loudspeaker runtime of the kiosk: ties the pure scheduler (bt_schedule.h), the playout
 * engine (bt_audio.h), the airing log (bt_airing.h) and clock trust together, so the kiosk's
 * main loop only calls bt_broadcaster_tick() and sleeps for as long as it says.
 *
 * What it does, in order:
 *   - at create: closes airings a crash left open (bt_airing_recover) before anything airs, and
 *     opens the one audio engine of the process;
 *   - when a playlist is set: measures every item once (hash, duration, loudness, silence) on a
 *     worker thread with its own store connection, reusing stored measurements by content hash;
 *     an item that cannot be measured, or is mostly silent (bt_silence_refused), makes every
 *     session holding it fail, with the reason in the log; long silence at an item's ends or
 *     inside is a warning in the journal;
 *     then checks the ward's limits (a playlist breaking them airs nothing), and feeds the airing
 *     log's history, condensed per slot attempt, to a new scheduler;
 *   - at each tick: samples the clock (a wall-clock jump against the monotonic clock is written
 *     as a clock event, the airing on air is flagged, and slots jumped over are missed with
 *     reason "clock-jump"), turns engine events into airing rows, writes the misses the
 *     scheduler reports, and hands a session to the engine early enough (bt_audio_lead_ms) for
 *     its first sound to fall on the scheduled second; an emergency cuts what airs.
 *
 * Rows: one per item of a session (an "airing"). Reasons are the scheduler's stable codes
 * (bt_miss_reason_code), optionally followed by ": " and a Vietnamese detail, e.g.
 * "playback: tệp âm thanh “a.ogg” chỉ có im lặng".
 *
 * Threads: every function from the thread that owns the store connection passed in (the
 * kiosk's main thread). The wake callback may be called from the audio and worker threads. */
#ifndef BT_BROADCASTER_H
#define BT_BROADCASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_airing.h"
#include "bt_broadcast.h"
#include "bt_config.h"
#include "bt_schedule.h"
#include "bt_store.h"
#include "bt_store_writer.h"
#include "bt_time.h"

/* Longest sleep the broadcaster ever asks for when nothing is pending: the caller wakes this
 * often anyway to sample the clock. */
#define BT_BROADCASTER_IDLE_MS 1000
/* Missed slots written per tick: a long power cut leaves many, and each row is an fsync; the
 * rest follow on the next ticks so the screen keeps drawing in between. */
#define BT_BROADCASTER_MISSES_PER_TICK 8
/* Within one session attempt the next item starts when the previous one ends (gapless); a row
 * starting later than this after the previous row's end belongs to a new attempt. */
#define BT_BROADCASTER_ATTEMPT_GAP_MS 5000
/* The method stored with each measurement (bt_measurements.h); change it when the way items are
 * decoded or measured changes, so old figures are not reused. v2: the silence is measured too
 * (bt_silence.h); v1 rows have none. */
#define BT_BROADCASTER_MEASURE_METHOD "sdl2mixer-48k-dualmono-r128 v2"

typedef struct bt_broadcaster bt_broadcaster;

typedef struct {
    bt_store_writer *writer;    /* borrowed: every log row and log read goes through it; NULL =
                                   the broadcaster opens its own on store_path */
    const char *store_path;     /* the database, for the measuring worker's own connection (and
                                   the writer when none is given); NULL = measurements are not
                                   stored (measured at every load) */
    const bt_config *cfg;       /* broadcast.* keys: limits, chime, device, volume, amplifier */
    bool no_device;             /* force the do-nothing audio backend */
    void (*wake)(void *ctx);    /* something is waiting: call bt_broadcaster_tick soon. From any
                                   thread (e.g. SDL_PushEvent). May be NULL. */
    void *wake_ctx;
} bt_broadcaster_config;

/* Recovers the airing log and opens the audio engine (without a device it is the do-nothing
 * backend: sessions are logged failed, reason "no-device"). 0, or -1 with err. */
int bt_broadcaster_create(const bt_broadcaster_config *cfg, bt_broadcaster **out, char *err,
                          size_t err_size);
/* Cuts what airs (rows: interrupted, reason "off"), waits for the amplifier-off hook, stops the
 * measuring worker and closes the engine. NULL is fine. */
void bt_broadcaster_destroy(bt_broadcaster *b);

/* The playlist whose broadcasts to air from now on. The model is copied (the broadcaster
 * measures its own copy); dir resolves the items' audio paths. active_since: when this playlist
 * version became active (slots before it are not its own). validity: the playlist's
 * valid_from..valid_until; nothing airs, nor is made up, outside it (bt_schedule_set_validity).
 * A session on air finishes first; the new schedule takes over when it has been measured. 0, or
 * -1 (out of memory). */
int bt_broadcaster_set_playlist(bt_broadcaster *b, const char *playlist_id, int version,
                                const bt_broadcasts *broadcasts, const char *dir,
                                bt_wall active_since, bt_validity validity);

/* One turn of the loop. wall_ms: CLOCK_REALTIME in milliseconds, mono: CLOCK_MONOTONIC, sampled
 * together. Returns the milliseconds until it must be called again at the latest (0 = at once,
 * at most BT_BROADCASTER_IDLE_MS); it is also fine to call it earlier. */
int bt_broadcaster_tick(bt_broadcaster *b, int64_t wall_ms, bt_mono_ns mono);

/* What airs now, for the screen's "Đang phát: <title>" banner: the item's title, the session's
 * name while a chime sounds, NULL when nothing airs. Valid until the next tick. */
const char *bt_broadcaster_now_playing(const bt_broadcaster *b);
/* The item sounding now (not a chime), with its measured duration and words, and when its first
 * sound was on the monotonic clock (sample-exact from the session's first sound), for the
 * screen's captions (issue 14); NULL when no item sounds. Valid until the next tick. */
const bt_broadcast_item *bt_broadcaster_now_airing(const bt_broadcaster *b,
                                                   bt_mono_ns *first_sound);

/* True once the current playlist is measured and scheduled (tests, status displays). */
bool bt_broadcaster_ready(const bt_broadcaster *b);
/* True while a session is with the audio engine (armed, sounding, or finishing its hooks). */
bool bt_broadcaster_busy(const bt_broadcaster *b);
/* True while an emergency session is on air or about to be (it wakes a sleeping display). */
bool bt_broadcaster_emergency(const bt_broadcaster *b);
/* True when the audio engine's threads are dead or hung (bt_audio_stuck). */
bool bt_broadcaster_stuck(const bt_broadcaster *b, bt_mono_ns now);

/* Today's sessions with their state, for the "Lịch phát thanh hôm nay" notice (see
 * bt_schedule_day); 0 when nothing is scheduled. Session names: bt_broadcaster_model. */
size_t bt_broadcaster_day(const bt_broadcaster *b, bt_day day, bt_wall now, bt_slot_view *out,
                          size_t cap);
/* Whether the wall clock can be believed (the kiosk's check, bt_app_clock_check). While it
 * cannot, nothing airs but an emergency, and rows written are flagged; once it can again, the
 * slots that fell due meanwhile are logged missed with reason "clock-untrusted". */
void bt_broadcaster_set_clock_trusted(bt_broadcaster *b, bool trusted);
/* Why the last session did not air or aired unlogged (the store refused its row), in
 * Vietnamese for the panel and the service status; NULL when the last start went well. */
const char *bt_broadcaster_problem(const bt_broadcaster *b);

/* The broadcasts being aired (NULL before the first playlist is ready). */
const bt_broadcasts *bt_broadcaster_model(const bt_broadcaster *b);

/* Condenses airing-log rows (one per item) into one record per slot attempt for the scheduler:
 * rows of other playlists and of unknown sessions are skipped; within a slot, rows follow the
 * session's item order, and a row that does not continue the attempt (another item position,
 * a start more than BT_BROADCASTER_ATTEMPT_GAP_MS after the previous end, or anything but a
 * cancelled item after a cut) starts a new one; every attempt after a slot's first is a makeup.
 * *out is malloc'd (caller frees; NULL when *count is 0). 0, or -1 (out of memory). */
int bt_broadcaster_condense(const bt_broadcasts *model, const char *playlist_id,
                            const bt_airing_row *rows, size_t row_count, bt_slot_record **out,
                            size_t *count);

/* Airing-log history the scheduler is given: the longest makeup scope is a quarter (92 days);
 * slots older than this can no longer be made up, so they are left out of it entirely. */
#define BT_BROADCASTER_HISTORY_DAYS 100

/* What was on air at a moment, as the log tells it afterwards (bt_broadcaster_as_of). */
typedef struct {
    bool on;
    char session_id[BT_MAX_ID_BYTES + 1];
    bt_wall scheduled;                    /* its slot */
    bt_wall started;                      /* its attempt's first item's start */
    char title[BT_MAX_TITLE_BYTES + 1];   /* the item on air: the kiosk's banner */
} bt_broadcaster_on_air;

/* The log as the kiosk knew it at `at` (`screenshot --at`, issue 14): keeps, in place and in
 * order, the rows that had begun by then and the misses whose slot was past its grace; an item
 * on air at `at` (begun, not ended by then) is removed with its attempt's later rows and
 * described in *on_air. Returns how many rows are kept. */
size_t bt_broadcaster_as_of(bt_airing_row *rows, size_t count, bt_wall at,
                            bt_broadcaster_on_air *on_air);

#endif
