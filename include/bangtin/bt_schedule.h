/* The loudspeaker scheduler: which broadcast slot is due at t, what was missed, what may be made
 * up, and a whole-period simulation. Pure: it reads no clock, opens no file; the caller passes
 * the time and the airing history in, and writes the airing rows it is told about.
 *
 * Words used throughout:
 *   slot     one airing a session owes: (session, scheduled wall time). A session's `times` give
 *            one slot per time on each day of its weekdays within from..until; each `at` gives
 *            one slot whatever the weekdays and range (an `at` equal to a recurring slot is that
 *            slot). Neither gives a slot outside the playlist's validity. A slot's identity
 *            never changes, and a slot never airs completely twice.
 *   record   what happened to one attempt at a slot (completed, interrupted, failed, missed).
 *   queue    due slots wait while something airs; emergency > priority > normal, then the
 *            earlier slot, then the session earlier in the file. Only an emergency session cuts
 *            into a non-emergency one (the cut slot is recorded `interrupted`).
 *   makeup   a slot missed (off, clock jump, no audio device, interrupted, queue overflow) airs
 *            later, from the first item that did not air, if its session's `makeup` scope allows,
 *            before the end of the day/week/month/quarter of its scheduled time, inside a
 *            permitted window (all-emergency sessions: any time), without pushing any day past
 *            max_sessions_per_day, and only when no regular slot is due and it ends before the
 *            next regular slot; never after the playlist's last valid day. Higher priority first,
 *            then the oldest. At most BT_SCHEDULE_MAKEUPS_PER_WINDOW makeups start in one window
 *            occurrence, so listeners never hear a string of missed bulletins back to back (after
 *            a long power cut or a clock jump the backlog spreads over the following windows;
 *            with no windows set, at most that many in any BT_SCHEDULE_MAKEUP_SPACING_SECONDS).
 *            A slot whose attempt failed (no device, bad file) waits BT_SCHEDULE_RETRY_SECONDS
 *            before the next try.
 *   per day  a day's sessions are the attempts that reached the loudspeaker (completed or
 *            interrupted) that started that day, plus the regular slots still to come.
 *
 * The running appliance keeps one bt_schedule per active playlist: it feeds the store's history
 * in once (bt_schedule_record for each slot attempt), then loops: bt_schedule_decide(now) →
 * write the missed rows it returns and record them → start / interrupt as told → when an airing
 * ends, record it and decide again. `bangtin simulate` runs exactly that loop on simulated time. */
#ifndef BT_SCHEDULE_H
#define BT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_broadcast.h"
#include "bt_time.h"

/* A wall clock that disagrees with the monotonic clock by more than this was set or reset (NTP
 * slews far less; wall samples are whole seconds, so 1 s of disagreement is rounding). */
#define BT_CLOCK_JUMP_THRESHOLD_SECONDS 2
/* After power-on or a forward clock jump, the most recent slot still airs as itself if it was
 * due at most this long ago (a reboot takes ~30 s); anything older is missed and made up. */
#define BT_SCHEDULE_GRACE_SECONDS 60
/* A queued slot that could not start within this long after its time (or before its window
 * closes) is missed with reason "queue" and goes to makeup instead of airing very late. */
#define BT_SCHEDULE_MAX_WAIT_SECONDS (30 * 60)
/* Makeups started in one occurrence of a permitted window (all-emergency sessions, which need
 * no window, are not limited by this). One keeps a backlog from turning into a burst. */
#define BT_SCHEDULE_MAKEUPS_PER_WINDOW 1
/* With no permitted windows (broadcast.windows = ""), the same limit holds over any stretch this
 * long instead: a ward's usual windows (05:30-07:00, 16:30-18:30) are 1½-2 h and take one makeup
 * each, so an hour keeps a backlog (a power cut, a clock set back) to one makeup an hour rather
 * than a string of them back to back, and still lets a day's misses be made up that day. */
#define BT_SCHEDULE_MAKEUP_SPACING_SECONDS 3600
/* After a failed attempt (no audio device, undecodable file) the slot is not tried again for
 * this long: such faults do not clear in seconds, and a tight retry loop would fill the log. */
#define BT_SCHEDULE_RETRY_SECONDS (10 * 60)
/* Missed slots returned by one decision; the caller records them and asks again. */
#define BT_SCHEDULE_MAX_MISSES 64
/* "Never" for next_check and similar. */
#define BT_WALL_NEVER INT64_MAX

typedef struct {
    size_t session;     /* index into bt_broadcasts.sessions (store rows: map the id) */
    bt_wall scheduled;  /* the slot's time, never the actual start */
} bt_slot;

/* Outcome of one attempt at a slot. Same words as the airing log's statuses (bt_airing.h in the
 * store room, which core may not include): map a row with
 * bt_attempt_status_from_name(bt_airing_status_name(row.status), &st); an open row ("airing")
 * is first closed by bt_airing_recover as interrupted, reason "crash". */
typedef enum {
    BT_ATTEMPT_COMPLETED = 0,  /* every remaining item aired to its end */
    BT_ATTEMPT_INTERRUPTED = 1,/* cut short (emergency, power loss, crash); next_item says where */
    BT_ATTEMPT_FAILED = 2,     /* started but could not play (device gone, undecodable) */
    BT_ATTEMPT_MISSED = 3,     /* never started */
    BT_ATTEMPT_STATUS_COUNT    /* not a status: how many there are (bt_vi.h has a word for each) */
} bt_attempt_status;

/* Why a slot did not (completely) air. The codes are stable ASCII, meant for the log's reason
 * column ("crash" is the word bt_airing_recover writes); bt_vi_miss_reason (bt_vi.h) is for
 * staff. */
typedef enum {
    BT_MISS_NONE = 0,
    BT_MISS_OFF,          /* "off": the appliance was switched off */
    BT_MISS_CLOCK_JUMP,   /* "clock-jump": the wall clock jumped over it */
    BT_MISS_NO_DEVICE,    /* "no-device": no audio output device */
    BT_MISS_PLAYBACK,     /* "playback": the audio could not be played */
    BT_MISS_EMERGENCY,    /* "emergency": cut by an emergency bulletin */
    BT_MISS_CRASH,        /* "crash": the program died while airing */
    BT_MISS_QUEUE,        /* "queue": waited too long behind other sessions */
    BT_MISS_STORE,        /* "store": its row could not be written, so it did not air */
    BT_MISS_CLOCK_UNTRUSTED,/* "clock-untrusted": due while the clock could not be believed */
    BT_MISS_REASON_COUNT    /* not a reason: how many there are (bt_vi.h has a word for each) */
} bt_miss_reason;

const char *bt_attempt_status_name(bt_attempt_status s);  /* "completed" … "missed" */
int bt_attempt_status_from_name(const char *name, bt_attempt_status *out); /* 0 / -1 */
const char *bt_miss_reason_code(bt_miss_reason r);      /* "off" …; "" for NONE */
int bt_miss_reason_from_code(const char *code, bt_miss_reason *out);     /* 0 / -1 */

/* One attempt at a slot, condensed from the airing log's per-item rows. */
typedef struct {
    bt_slot slot;
    bt_attempt_status status;
    bt_miss_reason reason;  /* NONE for completed */
    bt_wall started;        /* actual start (wall); for MISSED, when it was recorded */
    size_t next_item;       /* first item of the session not aired after this attempt: item_count
                             * when completed, the cut item when interrupted, 0 when missed */
    bool makeup;            /* the attempt was a makeup (not in the slot's own turn) */
} bt_slot_record;

typedef struct bt_schedule bt_schedule;

/* Builds the scheduler for one model and the ward's limits; both are borrowed and must outlive
 * it. Slots before active_since (when the playlist became active) are not ours: never due, never
 * missed. chime_seconds is played before and after each session (0 if unknown); it counts in the
 * fit checks. Returns 0, or -1 on allocation failure (*out NULL). */
int bt_schedule_create(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                       bt_wall active_since, double chime_seconds, bt_schedule **out);
void bt_schedule_destroy(bt_schedule *s);

/* The days a playlist is in force: its valid_from..valid_until, inclusive (BT_DAY_NONE_FROM /
 * BT_DAY_NONE_UNTIL of bt_playlist.h, i.e. INT32_MIN / INT32_MAX, when open-ended). */
typedef struct {
    bt_day from, until;
} bt_validity;

/* Bounds the loudspeaker by the playlist's validity (a new scheduler is unbounded): no slot
 * exists on a day outside it (neither `times` nor `at`), and a missed slot is made up no later
 * than `until` whatever its makeup scope, so a Q4 playlist's misses never air, or count, in Q1.
 * Call before recording history or deciding. */
void bt_schedule_set_validity(bt_schedule *s, bt_validity v);

/* Adds one attempt to the history. Records of sessions that do not exist are ignored. A slot is
 * done once any record says completed; otherwise it resumes at the highest next_item. Returns 0,
 * or -1 on allocation failure (history unchanged). */
int bt_schedule_record(bt_schedule *s, const bt_slot_record *r);

typedef struct {
    bt_wall now;
    /* Since when the appliance has run with a trusted clock: set it to the start time at
     * power-on and to `now` after a clock jump. Unrecorded slots before it are missed with
     * gap_reason (only the most recent may still air, within BT_SCHEDULE_GRACE_SECONDS). */
    bt_wall awake_since;
    bt_miss_reason gap_reason;  /* BT_MISS_OFF after power-on, BT_MISS_CLOCK_JUMP after a jump */
    bool airing;                /* something is on air now, */
    bt_slot airing_slot;        /*   for this slot (not yet recorded) */
} bt_schedule_input;

typedef enum {
    BT_SCHEDULE_WAIT = 0,   /* nothing to start now */
    BT_SCHEDULE_START,      /* start `start` now (nothing is airing) */
    BT_SCHEDULE_INTERRUPT   /* cut what airs (record it interrupted, reason emergency) and
                             * start `start` */
} bt_schedule_action;

typedef struct {
    bt_slot slot;
    bt_miss_reason reason;
} bt_schedule_miss;

typedef struct {
    /* Slots that must be recorded missed now. When there are any, action is WAIT and next_check
     * is `now`: record them (bt_schedule_record, status MISSED) and decide again. */
    bt_schedule_miss missed[BT_SCHEDULE_MAX_MISSES];
    size_t missed_count;
    bool more_missed;        /* more than BT_SCHEDULE_MAX_MISSES were found */
    bt_schedule_action action;
    bt_slot start;           /* START / INTERRUPT: the slot to air */
    bool makeup;             /*   it is a makeup of a missed slot */
    size_t first_item;       /*   air its items from this index on */
    /* Decide again by this time at the latest (a slot comes due, a window opens or closes, a new
     * day brings room for makeups, a queued slot expires) — and whenever an airing ends or a
     * record is added. BT_WALL_NEVER if nothing can ever change. Always > now unless misses. */
    bt_wall next_check;
} bt_schedule_decision;

/* The heart of it: what to do at in->now given the history. Returns 0, or -1 on bad input. */
int bt_schedule_decide(const bt_schedule *s, const bt_schedule_input *in,
                       bt_schedule_decision *out);

/* The next `cap` slots scheduled at or after t (recorded or not), in order; returns how many. */
size_t bt_schedule_upcoming(const bt_schedule *s, bt_wall t, bt_slot *out, size_t cap);

/* Seconds a session airs from first_item: items + both chimes, rounded up; 0 if any item's
 * duration is unknown (not measured). */
int64_t bt_schedule_airing_seconds(const bt_schedule *s, size_t session, size_t first_item);

/* ---- today's sessions, for the "Lịch phát thanh hôm nay" notice ---------------------------- */

typedef enum {
    BT_SLOT_UPCOMING = 0, /* "sắp phát": not aired yet (later today, or due and waiting) */
    BT_SLOT_AIRING,       /* "đang phát" */
    BT_SLOT_AIRED,        /* "đã phát" */
    BT_SLOT_MADE_UP,      /* "đã phát bù" */
    BT_SLOT_MISSED,       /* "bỏ lỡ" (see makeup_pending) */
    BT_SLOT_STATE_COUNT   /* not a state: how many there are (bt_vi_slot_state has each) */
} bt_slot_state;

typedef struct {
    bt_slot slot;
    bt_slot_state state;
    bt_miss_reason reason;   /* MISSED: why (from the latest record) */
    bool makeup_pending;     /* MISSED: may still be made up (scope and period allow) */
    bt_wall aired_at;        /* AIRED / MADE_UP: start of the completing attempt; AIRING: of
                              * the attempt on air when the caller knows it (airing_started) */
    bool other_day;          /* a make-up aired (or airing) this day of a slot of an earlier
                              * day: it belongs to this day's list at aired_at, not at its slot */
} bt_slot_view;

/* The slots of a local day with their state at `now`, and the make-ups of earlier days' slots
 * that aired that day (other_day, MADE_UP) or air now (other_day, AIRING): a day without slots
 * of its own on which a make-up aired lists it. In the order of their time of day: a slot's
 * scheduled minute, a make-up's aired_at. airing may be NULL; airing_started is when the attempt
 * on air began (placing an earlier day's make-up on air; ignored otherwise). Returns how many
 * were written (at most cap). */
size_t bt_schedule_day(const bt_schedule *s, bt_day day, bt_wall now, const bt_slot *airing,
                       bt_wall airing_started, bt_slot_view *out, size_t cap);
/* Where a view stands in its day's list: aired_at for an other_day make-up, else its slot. */
bt_wall bt_slot_view_time(const bt_slot_view *v);

/* Everything known about one slot (false if it has no record). */
typedef struct {
    bool completed, made_up;
    size_t next_item;
    bt_wall completed_at;     /* start of the completing attempt */
    bt_attempt_status last_status;
    bt_miss_reason last_reason;
    unsigned attempts;        /* records of any kind */
} bt_slot_info;
bool bt_schedule_slot_info(const bt_schedule *s, bt_slot slot, bt_slot_info *out);

/* Last local day on which a missed slot may still be made up; the day before its own day for
 * BT_MAKEUP_NONE. Weeks run Thứ Hai..Chủ Nhật, quarters are calendar quarters. */
bt_day bt_schedule_makeup_deadline(bt_makeup_scope scope, bt_wall scheduled);
/* The same for one slot of this scheduler: its session's scope, cut at the validity's last day
 * (bt_schedule_set_validity). *by_validity (may be NULL) says whether the cut decided it. */
bt_day bt_schedule_slot_deadline(const bt_schedule *s, bt_slot slot, bool *by_validity);

/* ---- clock trust -------------------------------------------------------------------------- */

typedef struct {
    bt_wall wall;     /* time(NULL) */
    bt_mono_ns mono;  /* CLOCK_MONOTONIC at the same moment */
} bt_clock_sample;

typedef enum { BT_CLOCK_STEADY = 0, BT_CLOCK_FORWARD, BT_CLOCK_BACKWARD } bt_clock_jump_kind;

typedef struct {
    bt_clock_jump_kind kind;
    int64_t skew_ms;  /* Δwall − Δmono in milliseconds; > 0 the wall clock went forward */
} bt_clock_jump;

/* Compares two samples: a jump when |Δwall − Δmono| > BT_CLOCK_JUMP_THRESHOLD_SECONDS. After a
 * jump the caller records a clock event, flags rows, and sets awake_since = now, gap_reason =
 * BT_MISS_CLOCK_JUMP: a forward jump then yields missed rows (not a burst of airings), and a
 * backward jump airs nothing twice because aired slots are in the history. */
bt_clock_jump bt_clock_check(bt_clock_sample previous, bt_clock_sample current);

/* ---- simulation --------------------------------------------------------------------------- */

typedef struct {
    bt_wall from, until;  /* [from, until) */
} bt_wall_span;

/* The events of the simulated timeline (bt_vi_sim_event names them for staff). */
typedef enum {
    BT_SIM_AIRED = 0,    /* a slot aired in its turn */
    BT_SIM_MADE_UP,      /* a missed slot aired later */
    BT_SIM_INTERRUPTED,  /* cut short (by an emergency, or switched off) */
    BT_SIM_MISSED,       /* recorded missed */
    BT_SIM_OFF,          /* the appliance is switched off */
    BT_SIM_ON,           /* and on again */
    BT_SIM_EVENT_COUNT   /* not an event: how many there are */
} bt_sim_event;

typedef struct {
    bt_day from_day, to_day;     /* inclusive local days */
    const bt_wall_span *off;     /* times the appliance is switched off (any order, may overlap) */
    size_t off_count;
    double chime_seconds;        /* before and after each session; 0 = no chime */
} bt_simulation;

/* Runs the scheduler over [from_day 00:00, to_day 24:00) with nothing airing at the start and
 * item durations from the model, and writes the timeline: a header, one line per event sorted
 * by time, then a summary (see simulate.c for the format). *out_text is malloc'd (caller
 * frees). Returns 0, or -1 on bad arguments or allocation failure (*out_text NULL). */
int bt_simulate(const bt_broadcasts *b, const bt_broadcast_limits *lim, const bt_simulation *sim,
                char **out_text);
/* The same, bounded by the playlist's validity as the appliance is (bt_schedule_set_validity):
 * the header names it, nothing airs outside it, and a slot whose makeup the end of the validity
 * cut off says so. validity NULL = bt_simulate. */
int bt_simulate_bounded(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                        const bt_simulation *sim, const bt_validity *validity, char **out_text);

/* One item of a simulated airing, as the airing log would hold it (a forecast report turns
 * these into log rows; `simulate` counts them against the targets). */
typedef struct {
    bt_slot slot;
    size_t item;               /* index into bt_broadcasts.items */
    bt_attempt_status status;  /* COMPLETED, INTERRUPTED (the item cut) or MISSED */
    bt_miss_reason reason;     /* BT_MISS_NONE when completed */
    bt_wall started, ended;    /* 0 when it never started */
    bool makeup;               /* aired as the make-up of its slot */
} bt_sim_airing;

/* bt_simulate_bounded that also hands back every item of every simulated airing, in slot order
 * (then the order things happened): *airings malloc'd (caller frees; NULL when none). out_text
 * may be NULL when only the airings are wanted. 0 / -1. */
int bt_simulate_airings(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                        const bt_simulation *sim, const bt_validity *validity, char **out_text,
                        bt_sim_airing **airings, size_t *count);

/* "2025-11-03 05:00..2025-11-05 20:00" (local; either date form of bt_time_parse_datetime) into
 * [from, until). 0, or -1 if malformed or empty. */
int bt_simulate_parse_off(const char *text, bt_wall_span *out);

#endif
