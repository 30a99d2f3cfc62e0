/* The ward plan's targets and how far each is met. A target is (channel, topic, period, minimum,
 * what counts, validity): "at least 2 CCHC news items per quarter on the loudspeakers". It comes
 * from the playlist's `targets` group; the store keeps every version, so a report on a past
 * period uses the targets in force then.
 *
 * Pure (core room): progress is computed from plain rows the caller passes in — airing rows
 * (only completed airings count), per-day screen exposure, and what the schedule can still air —
 * and a day passed in as "today". Nothing here reads a clock or opens a file.
 *
 * playlist.cfg:
 *   targets = (
 *     { id = "cchc-loa"; label = "tin bài CCHC"; channel = "loudspeaker"; topic = "cchc";
 *       period = "quarter"; minimum = 2; counts = "items";
 *       from = "01/10/2025"; until = "31/12/2026"; }
 *   );
 * id is required (a slug, unique); channel, period and minimum are required; counts defaults to
 * "items" (loudspeaker) or "notices" (screen); topic absent = every topic; label is the noun
 * phrase read in reports and in the public results notice (default "tin bài" / "thông báo"). */
#ifndef BT_TARGETS_H
#define BT_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_broadcast.h"
#include "bt_buf.h"
#include "bt_diag.h"
#include "bt_limits.h"
#include "bt_schedule.h"
#include "bt_time.h"
#include "bt_tree.h"

/* Where the work is done. The loudspeaker and the screen are counted by the appliance itself
 * (the airing log, the impressions). The others it cannot observe: staff record each tin/bài
 * posted or presented there (the playlist's `records`, bt_records.h), and reports mark their
 * counts "do cán bộ ghi nhận". Appended only: the store keeps the slugs. */
typedef enum {
    BT_TARGET_LOUDSPEAKER = 0,
    BT_TARGET_SCREEN = 1,
    BT_TARGET_CITY_PAGE = 2,   /* "city-page": Trang thông tin CCHC của Thành phố */
    BT_TARGET_WARD_SITE = 3,   /* "ward-site": Trang thông tin điện tử của phường */
    BT_TARGET_CONFERENCE = 4,  /* "conference": hội nghị, hội thảo */
    BT_TARGET_ZALO = 5,        /* "zalo": nhóm Zalo của phường */
    BT_TARGET_OTHER = 6,       /* "other": kênh khác */
    BT_TARGET_CHANNEL_COUNT    /* not a channel: how many there are */
} bt_target_channel;

/* Is the channel one staff record by hand (not the loudspeaker or the screen)? */
bool bt_target_channel_recorded(bt_target_channel c);

/* What one unit of progress is. Loudspeaker: distinct tin/bài aired completely at least once in
 * the period (ITEMS) or completed airings (AIRINGS). Screen: distinct notices shown at least once
 * (NOTICES) or whole minutes on screen (MINUTES). A recorded channel: ITEMS, the records staff
 * entered for it in the period (each record is one tin/bài, bài đăng or hội nghị). */
typedef enum {
    BT_TARGET_COUNT_ITEMS = 0,
    BT_TARGET_COUNT_AIRINGS = 1,
    BT_TARGET_COUNT_NOTICES = 2,
    BT_TARGET_COUNT_MINUTES = 3
} bt_target_counts;

typedef struct {
    char *id;                  /* owned slug, unique within a playlist; names the target in history */
    char *label;               /* owned NFC noun phrase, never NULL once parsed ("tin bài CCHC") */
    bt_target_channel channel;
    char *topic;               /* owned slug; NULL = every topic counts */
    bt_period_kind period;     /* BT_PERIOD_MONTH, BT_PERIOD_QUARTER or BT_PERIOD_YEAR */
    int minimum;               /* 1..BT_MAX_TARGET_MINIMUM units per period */
    bt_target_counts counts;
    bt_day from_day, until_day;/* inclusive validity; BT_DAY_NONE_FROM / BT_DAY_NONE_UNTIL */
    int line;                  /* line in playlist.cfg (0 when read back from the store) */
} bt_target;

typedef struct {
    bt_target *items;          /* owned */
    size_t count;
} bt_targets;

void bt_targets_init(bt_targets *t);
void bt_targets_free(bt_targets *t);
/* Deep copy of one target into *out (owned by the caller: free with bt_target_clear). 0 / -1. */
int bt_target_copy(const bt_target *src, bt_target *out);
void bt_target_clear(bt_target *t);
/* Appends a deep copy; 0, or -1 on allocation failure (t unchanged). */
int bt_targets_append(bt_targets *t, const bt_target *target);

/* Validates the `targets = ( ... );` list of playlist.cfg. Reports EVERY problem (file, line,
 * Vietnamese message saying how to fix it), like the notice validator. On success (no errors of
 * its own; warnings allowed) fills *out and returns 0; otherwise returns -1 and *out is empty.
 * `group` NULL means the playlist has no targets: *out empty, 0. */
int bt_targets_from_tree(const bt_node *group, const char *file, bt_targets *out, bt_diags *d);

/* Warnings for targets that can never move: a topic that no broadcast item (loudspeaker) or no
 * notice (screen) of the playlist carries. `notice_topics` are the topics of the playlist's
 * notices (NULL entries allowed). Never errors: targets may name content that arrives later. */
/* Does a stored topic list ("cchc" or "cchc, dich-vu-cong", as bt_validate_take_topics keeps
 * it) hold `topic`? NULL or "" holds none. A target counts an item or notice when any of its
 * topics is the target's. */
bool bt_topics_has(const char *topics, const char *topic);
void bt_targets_check_topics(const bt_targets *t, const bt_broadcasts *b,
                             const char *const *notice_topics, size_t notice_count,
                             const char *file, bt_diags *d);

/* A stable text dump (golden tests, `bangtin check --dump`); malloc'd, NULL on OOM. */
char *bt_targets_dump(const bt_targets *t);

const char *bt_target_channel_name(bt_target_channel c);   /* "loudspeaker" | "screen" | "city-page" … */
const char *bt_target_channel_vi(bt_target_channel c);     /* "loa phường" | "màn hình sảnh" | … */
/* Where a count comes from, for reports: "tự động (nhật ký của máy)" or "do cán bộ ghi nhận". */
const char *bt_target_channel_source_vi(bt_target_channel c);
const char *bt_target_counts_name(bt_target_counts c);     /* "items" … "minutes" */
const char *bt_target_counts_vi(bt_target_counts c);       /* "số tin bài khác nhau" … */
const char *bt_target_period_name(bt_period_kind k);       /* "month" | "quarter" | "year" */
int bt_target_channel_parse(const char *s, bt_target_channel *out);   /* 0 / -1 */
int bt_target_counts_parse(const char *s, bt_target_counts *out);     /* 0 / -1 */
int bt_target_period_parse(const char *s, bt_period_kind *out);       /* 0 / -1 */

/* "Tháng 11/2025", "Quý IV/2025", "Năm 2025", "9 tháng năm 2025", "Ngày 01/10/2025"; returns buf. */
const char *bt_period_label_vi(const bt_period *p, char *buf, size_t size);

/* ---- history: the same target over several playlist versions -------------------------------
 * A target version is in force from its playlist's activation day until the day before the next
 * activation (day granularity: when two playlists are activated on one day, the later wins that
 * day). Consecutive versions of one id with the same definition are one target; a changed
 * definition (other minimum, topic …) is another, each counted only inside its own days. */
typedef struct {
    bt_target target;          /* borrowed */
    bt_day in_force_from;      /* first day in force */
    bt_day in_force_until;     /* last day in force; BT_DAY_NONE_UNTIL while still active */
} bt_target_version;

/* Resolves versions (any order) into targets whose from/until are their own validity cut to the
 * days they were in force, merged as above, dropping empty ones; sorted by id then from_day.
 * *out is filled (caller frees with bt_targets_free). 0 / -1 on allocation failure. */
int bt_targets_resolve_history(const bt_target_version *v, size_t count, bt_targets *out);

/* ---- progress ------------------------------------------------------------------------------ */

/* One airing as targets see it (core cannot include the store's bt_airing.h). */
typedef struct {
    const char *item;          /* identity of the tin/bài: its item id (a corrected recording
                                * under the same id is the same tin/bài) */
    const char *topic;         /* NULL or "" = none */
    bt_wall at;                /* when it aired (actual start), else its slot */
    bt_attempt_status status;  /* only COMPLETED counts */
} bt_target_airing;

/* One tin/bài staff recorded on a channel the appliance cannot observe (the store's records). */
typedef struct {
    bt_target_channel channel; /* a recorded channel */
    const char *topic;         /* "cchc" or "cchc, dich-vu-cong"; NULL or "" = none */
    bt_day day;
    int count;                 /* tin/bài it stands for; a correction is negative */
} bt_target_record;

/* Screen exposure of one notice on one local day (the store's per-day impression totals). */
typedef struct {
    const char *notice;        /* identity: "playlist_id/notice_id" or the notice id */
    const char *topic;         /* NULL or "" = none */
    bt_day day;
    int64_t shows;
    double seconds;
} bt_target_exposure;

/* What progress is computed from. Arrays may be NULL when their count is 0. */
typedef struct {
    const bt_target_airing *airings;
    size_t airing_count;
    const bt_target_exposure *exposure;
    size_t exposure_count;
    /* What is still to come (for "at risk"): one entry per item of each scheduled slot that has
     * not aired yet (status COMPLETED, `at` = the slot) — see bt_targets_upcoming_from_slots —
     * and, for the screen, expected exposure on days still to come. Only entries inside a
     * target's period count. When a channel's upcoming_known is false, an unfinished target
     * that is not met is ON_TRACK (nothing says it cannot be reached). */
    const bt_target_airing *upcoming_airings;
    size_t upcoming_airing_count;
    bool loudspeaker_upcoming_known;
    const bt_target_exposure *upcoming_exposure;
    size_t upcoming_exposure_count;
    bool screen_upcoming_known;
    bt_day today;              /* local day "now": days left and the state are relative to it */
    /* What staff recorded on the channels the appliance cannot observe. Nothing says what they
     * will still record, so an unfinished period not yet met there is ON_TRACK. */
    const bt_target_record *records;
    size_t record_count;
} bt_target_inputs;

typedef enum {
    BT_TARGET_MET = 0,         /* "đã đạt": done >= required */
    BT_TARGET_ON_TRACK = 1,    /* "đang thực hiện": not met yet, the rest of the period can do it */
    BT_TARGET_AT_RISK = 2,     /* "có nguy cơ không đạt": what is still scheduled cannot reach it */
    BT_TARGET_MISSED = 3,      /* "không đạt": the period is over and it was not met */
    BT_TARGET_STATE_COUNT      /* not a state: how many there are (bt_vi_target_state has each) */
} bt_target_state;

typedef struct {
    const bt_target *target;   /* borrowed */
    bt_period period;          /* the calendar period (month, quarter, year) */
    bt_day first, last;        /* where it counts: period ∩ the target's validity */
    int64_t done;              /* units so far (minutes rounded down) */
    int64_t required;          /* the minimum */
    int64_t remaining;         /* max(0, required - done) */
    int64_t still_possible;    /* what the upcoming entries can add; -1 = unknown */
    int days_left;             /* days from today to `last`, both counted; 0 once it is over */
    bt_target_state state;
} bt_target_progress;

/* Progress of one target in the period of its kind that contains `day`. Returns 1 and *out,
 * 0 if the target is not valid on any day of that period (*out zeroed), -1 on bad arguments. */
int bt_target_progress_for(const bt_target *t, bt_day day, const bt_target_inputs *in,
                           bt_target_progress *out);

/* Progress of every target valid today, for today's period (the staff panel). Writes at most
 * cap entries to out (which borrow from t) and returns how many there are in all. */
size_t bt_targets_progress_today(const bt_targets *t, const bt_target_inputs *in,
                                 bt_target_progress *out, size_t cap);

/* Progress of each target in each of its periods that overlaps [first, last] (a report),
 * ordered by target then period. Writes at most cap entries and returns how many there are. */
size_t bt_targets_progress_range(const bt_targets *t, bt_day first, bt_day last,
                                 const bt_target_inputs *in, bt_target_progress *out, size_t cap);

/* Expands scheduled slots into upcoming airings: one per item of each slot's session (item =
 * its id, `at` = the slot). Writes at most cap and returns how many there are in all (strings
 * borrow from b). */
size_t bt_targets_upcoming_from_slots(const bt_broadcasts *b, const bt_slot *slots, size_t count,
                                      bt_target_airing *out, size_t cap);

/* "met" | "on-track" | "at-risk" | "missed": for JSON and tools; staff read bt_vi_target_state. */
const char *bt_target_state_name(bt_target_state s);

/* The public results line a notice can show, e.g. "Quý IV/2025: đã phát 3 tin bài CCHC trên
 * loa phường (chỉ tiêu: 2)" or "Năm 2025: đã hiển thị 1.320 phút thông báo CCHC trên màn hình
 * sảnh (chỉ tiêu: 300)". Returns buf. */
const char *bt_target_public_text(const bt_target_progress *p, char *buf, size_t size);

/* What targets would say at the end of a simulation (bt_simulate_airings): for each target, each of its periods that
 * meets [sim->from_day, sim->to_day], its projected count and state, as lines starting with '#'
 * appended to *text (bt_buf). The simulated airings count for the loudspeaker and the given
 * records for the channels staff record; judged as of sim->from_day, so a period not met is
 * "có nguy cơ không đạt" — unless it runs past the simulated days or counts the screen (not
 * simulated), then "đang thực hiện", with a note saying why. 0 / -1 on allocation failure. */
int bt_simulate_targets_text(const bt_broadcasts *b, const bt_sim_airing *airings, size_t count,
                             const bt_targets *targets, const bt_target_record *records,
                             size_t record_count, const bt_simulation *sim, bt_buf *text);

#endif
