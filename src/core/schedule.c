/* The loudspeaker scheduler (see bt_schedule.h for the rules in words).
 *
 * Slots are never materialised as a list: the next slot of a session after a time is computed
 * from its times, weekdays, date range and sorted one-offs (at most 8 days are looked at), and
 * the next slot overall is the smallest of those. Ordering is (scheduled, session index).
 *
 * The history is kept condensed, one entry per slot that has any record, in an array sorted by
 * slot (binary search; records arrive nearly in time order, so inserts land near the end). Two
 * small indexes keep decide() proportional to what is pending rather than to the history:
 *   - `settled`: every slot ordered before it has a record, so due slots are searched from there;
 *   - `open`: slots with a record but not completed, i.e. the makeup candidates.
 * Sessions aired per local day (for max_sessions_per_day) are counted as records come in.
 *
 * Pure: no clock, no files; the caller passes time in. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"

/* A session's times fall within 8 consecutive days of any instant (one full week of weekdays
 * plus the rest of today). */
#define DAYS_TO_NEXT_OCCURRENCE 8

typedef struct {
    int16_t times[BT_MAX_SESSION_TIMES]; /* sorted, unique */
    size_t time_count;
    bt_wall at[BT_MAX_SESSION_ONE_OFFS]; /* sorted, unique */
    size_t at_count;
    bt_broadcast_priority priority;
    bool exempt; /* every item is an emergency: windows do not apply */
} session_info;

typedef struct {
    bt_slot slot;
    bool completed, made_up;
    size_t next_item;
    bt_wall completed_at;
    bt_wall failed_at;       /* start of the latest failed attempt (for the retry back-off) */
    bt_attempt_status last_status;
    bt_miss_reason last_reason;
    unsigned attempts;
} slot_entry;

typedef struct {
    bt_day day;
    int count;
} day_count;

struct bt_schedule {
    const bt_broadcasts *b;
    bt_broadcast_limits lim; /* the appliance's with the playlist's hours and days joined in */
    bt_wall active_since;
    bt_validity validity;   /* the playlist's days; unbounded unless set */
    bt_wall valid_start;    /* 00:00 of validity.from, or INT64_MIN */
    bt_wall valid_end;      /* 00:00 after validity.until, or BT_WALL_NEVER */
    double chime_seconds;
    session_info *info;
    slot_entry *entries;
    size_t entry_count, entry_cap;
    bt_slot *open;
    size_t open_count, open_cap;
    day_count *days;
    size_t day_len, day_cap;
    bt_wall *makeup_starts; /* actual starts of makeup attempts, for the per-window limit */
    size_t makeup_len, makeup_cap;
    /* First slot that may lack a record: `scheduled` and the lowest session index at that time. */
    bt_slot settled;
};

/* ---- names -------------------------------------------------------------------------------- */

static const char *const status_names[] = {"completed", "interrupted", "failed", "missed"};
static const char *const reason_codes[] = {"", "off", "clock-jump", "no-device", "playback",
                                           "emergency", "crash", "queue", "store",
                                           "clock-untrusted"};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(COUNT_OF(status_names) == BT_ATTEMPT_STATUS_COUNT, "a status without its code");
_Static_assert(COUNT_OF(reason_codes) == BT_MISS_REASON_COUNT, "a reason without its code");

const char *bt_attempt_status_name(bt_attempt_status s)
{
    return (size_t)s < COUNT_OF(status_names) ? status_names[s] : "?";
}

int bt_attempt_status_from_name(const char *name, bt_attempt_status *out)
{
    for (size_t i = 0; name && i < COUNT_OF(status_names); i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (bt_attempt_status)i;
            return 0;
        }
    }
    return -1;
}

const char *bt_miss_reason_code(bt_miss_reason r)
{
    return (size_t)r < COUNT_OF(reason_codes) ? reason_codes[r] : "?";
}

int bt_miss_reason_from_code(const char *code, bt_miss_reason *out)
{
    for (size_t i = 0; code && i < COUNT_OF(reason_codes); i++) {
        if (strcmp(code, reason_codes[i]) == 0) {
            *out = (bt_miss_reason)i;
            return 0;
        }
    }
    return -1;
}


/* ---- slot arithmetic ---------------------------------------------------------------------- */

static int slot_compare(bt_slot a, bt_slot b)
{
    if (a.scheduled != b.scheduled)
        return a.scheduled < b.scheduled ? -1 : 1;
    return (a.session > b.session) - (a.session < b.session);
}

static bool slot_equal(bt_slot a, bt_slot b)
{
    return a.scheduled == b.scheduled && a.session == b.session;
}

static int compare_minutes(const void *pa, const void *pb)
{
    int16_t a = *(const int16_t *)pa, b = *(const int16_t *)pb;
    return (a > b) - (a < b);
}

static int compare_walls(const void *pa, const void *pb)
{
    bt_wall a = *(const bt_wall *)pa, b = *(const bt_wall *)pb;
    return (a > b) - (a < b);
}

/* Sorts and removes repeats in place; returns the new count. */
static size_t sort_unique_minutes(int16_t *v, size_t n)
{
    size_t u = 0;
    qsort(v, n, sizeof *v, compare_minutes);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[u - 1] != v[i])
            v[u++] = v[i];
    return u;
}

static size_t sort_unique_walls(bt_wall *v, size_t n)
{
    size_t u = 0;
    qsort(v, n, sizeof *v, compare_walls);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[u - 1] != v[i])
            v[u++] = v[i];
    return u;
}

static bool after(bt_wall w, bt_wall t, bool inclusive)
{
    return w > t || (inclusive && w == t);
}

/* The earliest slot time of session i after t (or at t when inclusive); BT_WALL_NEVER if none.
 * Slots before active_since, and outside the playlist's validity, do not exist for this
 * scheduler. */
static bt_wall session_next(const bt_schedule *s, size_t i, bt_wall t, bool inclusive)
{
    const session_info *si = &s->info[i];
    const bt_broadcast_session *bs = &s->b->sessions[i];
    bt_wall best = BT_WALL_NEVER;
    if (t < s->active_since) {
        t = s->active_since;
        inclusive = true;
    }
    if (t < s->valid_start) {
        t = s->valid_start;
        inclusive = true;
    }
    if (si->time_count > 0) {
        int64_t d = bt_time_day_of(t);
        if (d < bs->from_day)
            d = bs->from_day;
        for (int k = 0; k < DAYS_TO_NEXT_OCCURRENCE && d <= bs->until_day && best == BT_WALL_NEVER;
             k++, d++) {
            if (!(bs->weekdays & (1u << (bt_time_weekday_of_day((bt_day)d) - 1))))
                continue;
            bt_wall base = bt_time_day_start((bt_day)d);
            for (size_t j = 0; j < si->time_count; j++) {
                bt_wall w = base + (bt_wall)si->times[j] * 60;
                if (after(w, t, inclusive)) {
                    best = w;
                    break;
                }
            }
        }
    }
    size_t lo = 0, hi = si->at_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (after(si->at[mid], t, inclusive))
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo < si->at_count && si->at[lo] < best)
        best = si->at[lo];
    /* Slots come in time order: the first one past the validity means none is left. */
    return best >= s->valid_end ? BT_WALL_NEVER : best;
}

/* The first slot at or after the key (t, i_min): sessions >= i_min may be at t, the others
 * strictly after t. False if no slot follows. */
static bool next_slot(const bt_schedule *s, bt_wall t, size_t i_min, bt_slot *out)
{
    bt_slot best = {SIZE_MAX, BT_WALL_NEVER};
    for (size_t i = 0; i < s->b->session_count; i++) {
        bt_wall w = session_next(s, i, t, i >= i_min);
        if (w < best.scheduled) {
            best.scheduled = w;
            best.session = i;
        }
    }
    *out = best;
    return best.scheduled != BT_WALL_NEVER;
}

/* The slot right after `cur` in slot order. */
static bool slot_after(const bt_schedule *s, bt_slot cur, bt_slot *out)
{
    return next_slot(s, cur.scheduled, cur.session + 1, out);
}

/* ---- history ------------------------------------------------------------------------------ */

/* Index of the first entry not ordered before `slot`. */
static size_t entry_lower_bound(const bt_schedule *s, bt_slot slot)
{
    size_t lo = 0, hi = s->entry_count;
    /* Records usually concern the newest slot: try the end first. */
    if (hi > 0 && slot_compare(s->entries[hi - 1].slot, slot) < 0)
        return hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (slot_compare(s->entries[mid].slot, slot) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const slot_entry *find_entry(const bt_schedule *s, bt_slot slot)
{
    size_t i = entry_lower_bound(s, slot);
    if (i < s->entry_count && slot_equal(s->entries[i].slot, slot))
        return &s->entries[i];
    return NULL;
}

static int grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    void *room = bt_grow(*buf, cap, need, elem);
    if (!room)
        return -1;
    *buf = room;
    return 0;
}

static int day_used(const bt_schedule *s, bt_day day)
{
    for (size_t i = s->day_len; i > 0; i--)
        if (s->days[i - 1].day == day)
            return s->days[i - 1].count;
    return 0;
}

static int count_day(bt_schedule *s, bt_day day)
{
    for (size_t i = s->day_len; i > 0; i--) {
        if (s->days[i - 1].day == day) {
            s->days[i - 1].count++;
            return 0;
        }
    }
    if (grow((void **)&s->days, &s->day_cap, s->day_len + 1, sizeof *s->days) != 0)
        return -1;
    s->days[s->day_len++] = (day_count){day, 1};
    return 0;
}

static void open_remove(bt_schedule *s, bt_slot slot)
{
    for (size_t i = 0; i < s->open_count; i++) {
        if (slot_equal(s->open[i], slot)) {
            s->open[i] = s->open[--s->open_count];
            return;
        }
    }
}

static bool open_contains(const bt_schedule *s, bt_slot slot)
{
    for (size_t i = 0; i < s->open_count; i++)
        if (slot_equal(s->open[i], slot))
            return true;
    return false;
}

static void advance_settled(bt_schedule *s)
{
    bt_slot next;
    while (next_slot(s, s->settled.scheduled, s->settled.session, &next) && find_entry(s, next)) {
        s->settled.scheduled = next.scheduled;
        s->settled.session = next.session + 1;
    }
}

int bt_schedule_record(bt_schedule *s, const bt_slot_record *r)
{
    if (!s || !r)
        return -1;
    if (r->slot.session >= s->b->session_count)
        return 0; /* a session of an older playlist version */
    size_t items = s->b->sessions[r->slot.session].item_count;
    size_t at = entry_lower_bound(s, r->slot);
    bool exists = at < s->entry_count && slot_equal(s->entries[at].slot, r->slot);
    bool aired = r->status == BT_ATTEMPT_COMPLETED || r->status == BT_ATTEMPT_INTERRUPTED;

    /* Reserve everything first so a failure leaves the history unchanged. */
    if (!exists && grow((void **)&s->entries, &s->entry_cap, s->entry_count + 1,
                        sizeof *s->entries) != 0)
        return -1;
    if (grow((void **)&s->open, &s->open_cap, s->open_count + 1, sizeof *s->open) != 0)
        return -1;
    bool started = aired || r->status == BT_ATTEMPT_FAILED;
    if (r->makeup && started &&
        grow((void **)&s->makeup_starts, &s->makeup_cap, s->makeup_len + 1,
             sizeof *s->makeup_starts) != 0)
        return -1;
    if (aired && count_day(s, bt_time_day_of(r->started)) != 0)
        return -1;
    if (r->makeup && started)
        s->makeup_starts[s->makeup_len++] = r->started;
    if (!exists) {
        memmove(&s->entries[at + 1], &s->entries[at],
                (s->entry_count - at) * sizeof *s->entries);
        s->entry_count++;
        memset(&s->entries[at], 0, sizeof s->entries[at]);
        s->entries[at].slot = r->slot;
    }
    slot_entry *e = &s->entries[at];
    e->attempts++;
    e->last_status = r->status;
    e->last_reason = r->reason;
    if (r->status == BT_ATTEMPT_FAILED)
        e->failed_at = r->started;
    if (r->next_item > e->next_item)
        e->next_item = r->next_item < items ? r->next_item : items;
    /* Cut during the closing chime: every item aired, so the slot is done. */
    if (!e->completed && (r->status == BT_ATTEMPT_COMPLETED ||
                          (r->status == BT_ATTEMPT_INTERRUPTED && e->next_item >= items))) {
        e->completed = true;
        e->made_up = r->makeup;
        e->completed_at = r->started;
        e->next_item = items;
    }
    if (e->completed)
        open_remove(s, r->slot);
    else if (!open_contains(s, r->slot))
        s->open[s->open_count++] = r->slot;
    advance_settled(s);
    return 0;
}

bool bt_schedule_slot_info(const bt_schedule *s, bt_slot slot, bt_slot_info *out)
{
    const slot_entry *e = find_entry(s, slot);
    memset(out, 0, sizeof *out);
    if (!e)
        return false;
    out->completed = e->completed;
    out->made_up = e->made_up;
    out->next_item = e->next_item;
    out->completed_at = e->completed_at;
    out->last_status = e->last_status;
    out->last_reason = e->last_reason;
    out->attempts = e->attempts;
    return true;
}

/* ---- create / destroy --------------------------------------------------------------------- */

int bt_schedule_create(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                       bt_wall active_since, double chime_seconds, bt_schedule **out)
{
    bt_schedule *s = NULL;
    *out = NULL;
    if (!b || !lim)
        return -1;
    s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->b = b;
    bt_broadcast_limits_join(lim, &b->limits, &s->lim);
    s->active_since = active_since;
    s->chime_seconds = chime_seconds > 0 ? chime_seconds : 0;
    s->settled = (bt_slot){0, active_since};
    s->validity = (bt_validity){INT32_MIN, INT32_MAX};
    s->valid_start = INT64_MIN;
    s->valid_end = BT_WALL_NEVER;
    s->info = calloc(b->session_count ? b->session_count : 1, sizeof *s->info);
    if (!s->info)
        goto fail;
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *bs = &b->sessions[i];
        session_info *si = &s->info[i];
        si->time_count = bs->time_count < BT_MAX_SESSION_TIMES ? bs->time_count
                                                               : BT_MAX_SESSION_TIMES;
        memcpy(si->times, bs->times, si->time_count * sizeof si->times[0]);
        si->time_count = sort_unique_minutes(si->times, si->time_count);
        si->at_count = bs->at_count < BT_MAX_SESSION_ONE_OFFS ? bs->at_count
                                                             : BT_MAX_SESSION_ONE_OFFS;
        memcpy(si->at, bs->at, si->at_count * sizeof si->at[0]);
        si->at_count = sort_unique_walls(si->at, si->at_count);
        si->priority = bt_broadcast_session_priority(b, i);
        si->exempt = bt_broadcast_session_all_emergency(b, i);
    }
    *out = s;
    return 0;
fail:
    bt_schedule_destroy(s);
    return -1;
}

void bt_schedule_set_validity(bt_schedule *s, bt_validity v)
{
    if (!s)
        return;
    s->validity = v;
    s->valid_start = v.from == INT32_MIN ? INT64_MIN : bt_time_day_start(v.from);
    s->valid_end = v.until == INT32_MAX ? BT_WALL_NEVER : bt_time_day_start(v.until + 1);
}

void bt_schedule_destroy(bt_schedule *s)
{
    if (!s)
        return;
    free(s->info);
    free(s->entries);
    free(s->open);
    free(s->days);
    free(s->makeup_starts);
    free(s);
}

/* ---- windows, periods, durations ---------------------------------------------------------- */

int64_t bt_schedule_airing_seconds(const bt_schedule *s, size_t session, size_t first_item)
{
    double items = bt_broadcast_session_seconds(s->b, session, first_item);
    if (items <= 0 && first_item < s->b->sessions[session].item_count)
        return 0;
    return (int64_t)ceil(items + 2 * s->chime_seconds);
}

bt_day bt_schedule_makeup_deadline(bt_makeup_scope scope, bt_wall scheduled)
{
    bt_day day = bt_time_day_of(scheduled);
    switch (scope) {
    case BT_MAKEUP_DAY:
        return day;
    case BT_MAKEUP_WEEK:
        return day + (7 - bt_time_weekday_of_day(day));
    case BT_MAKEUP_MONTH:
        return bt_time_period_of(BT_PERIOD_MONTH, day).last;
    case BT_MAKEUP_QUARTER:
        return bt_time_period_of(BT_PERIOD_QUARTER, day).last;
    case BT_MAKEUP_NONE:
    default:
        return day - 1;
    }
}

bt_day bt_schedule_slot_deadline(const bt_schedule *s, bt_slot slot, bool *by_validity)
{
    bt_day deadline = bt_schedule_makeup_deadline(s->b->sessions[slot.session].makeup,
                                                  slot.scheduled);
    /* A makeup on a day the playlist no longer covers would air content that has expired and
     * count toward the next period's targets. */
    bool cut = deadline > s->validity.until;
    if (by_validity)
        *by_validity = cut;
    return cut ? s->validity.until : deadline;
}

/* The permitted window holding t as [*start, end); returns end, or -1 if t is in none. */
static bt_wall window_at(const bt_schedule *s, bt_wall t, bt_wall *start)
{
    bt_day day = bt_time_day_of(t);
    bt_wall base = bt_time_day_start(day);
    int64_t sec = t - base;
    for (size_t i = 0; i < s->lim.window_count; i++) {
        if (sec >= s->lim.windows[i].start_minute * 60L &&
            sec < s->lim.windows[i].end_minute * 60L) {
            if (start)
                *start = base + s->lim.windows[i].start_minute * 60L;
            return base + s->lim.windows[i].end_minute * 60L;
        }
    }
    return -1;
}

static bt_wall window_end_at(const bt_schedule *s, bt_wall t)
{
    return window_at(s, t, NULL);
}

/* Makeups already started in [from, to]. */
static size_t makeups_between(const bt_schedule *s, bt_wall from, bt_wall to)
{
    size_t n = 0;
    for (size_t i = 0; i < s->makeup_len; i++)
        n += s->makeup_starts[i] >= from && s->makeup_starts[i] <= to;
    return n;
}

/* Without windows: when the next makeup may start, by BT_SCHEDULE_MAKEUP_SPACING_SECONDS — now,
 * or when the oldest of the makeups that fill the limit leaves the stretch. A start ahead of now
 * counts too: it can only come from a clock set back, and it aired before the clock was. */
static bt_wall makeup_spacing_free_at(const bt_schedule *s, bt_wall now)
{
    size_t n = 0;
    bt_wall free_at = BT_WALL_NEVER;
    for (size_t i = 0; i < s->makeup_len; i++) {
        bt_wall t = s->makeup_starts[i];
        if (t > now - BT_SCHEDULE_MAKEUP_SPACING_SECONDS) {
            n++;
            if (t + BT_SCHEDULE_MAKEUP_SPACING_SECONDS < free_at)
                free_at = t + BT_SCHEDULE_MAKEUP_SPACING_SECONDS;
        }
    }
    return n >= BT_SCHEDULE_MAKEUPS_PER_WINDOW ? free_at : now;
}

/* The next instant after t at which a window opens or closes, or the day changes. */
static bt_wall next_boundary(const bt_schedule *s, bt_wall t)
{
    bt_wall base = bt_time_day_start(bt_time_day_of(t));
    bt_wall best = base + BT_SECONDS_PER_DAY;
    for (size_t i = 0; i < s->lim.window_count; i++) {
        bt_wall a = base + s->lim.windows[i].start_minute * 60L;
        bt_wall z = base + s->lim.windows[i].end_minute * 60L;
        if (a > t && a < best)
            best = a;
        if (z > t && z < best)
            best = z;
    }
    return best;
}

/* Latest start of a queued slot: its time + max wait, and early enough to end inside its window. */
static bt_wall queue_deadline(const bt_schedule *s, bt_slot slot)
{
    bt_wall latest = slot.scheduled + BT_SCHEDULE_MAX_WAIT_SECONDS;
    if (!s->info[slot.session].exempt && s->lim.window_count > 0) {
        bt_wall end = window_end_at(s, slot.scheduled);
        if (end >= 0) {
            bt_wall last_start = end - bt_schedule_airing_seconds(s, slot.session, 0);
            if (last_start < slot.scheduled)
                last_start = slot.scheduled;
            if (last_start < latest)
                latest = last_start;
        }
    }
    return latest;
}

/* Who goes first: higher priority, then the earlier slot, then the session earlier in the file. */
static bool goes_before(const bt_schedule *s, bt_slot a, bt_slot b)
{
    bt_broadcast_priority pa = s->info[a.session].priority, pb = s->info[b.session].priority;
    if (pa != pb)
        return pa > pb;
    return slot_compare(a, b) < 0;
}

/* ---- decide ------------------------------------------------------------------------------- */

static bool is_airing(const bt_schedule_input *in, bt_slot slot)
{
    return in->airing && slot_equal(in->airing_slot, slot);
}

/* The first slot after t that still has to air (no record, not on air); NEVER if none. Recorded
 * slots after t only exist after the clock went back; the loop is bounded by the history. */
static bt_wall next_regular_after(const bt_schedule *s, const bt_schedule_input *in, bt_wall t)
{
    bt_slot cur;
    bool ok = next_slot(s, t, SIZE_MAX, &cur);
    while (ok && (find_entry(s, cur) || is_airing(in, cur)))
        ok = slot_after(s, cur, &cur);
    return ok ? cur.scheduled : BT_WALL_NEVER;
}

/* Regular slots later today that will take one of the day's sessions. */
static int reserved_today(const bt_schedule *s, const bt_schedule_input *in)
{
    bt_wall end = bt_time_day_start(bt_time_day_of(in->now)) + BT_SECONDS_PER_DAY;
    bt_slot cur;
    int n = 0;
    bool ok = next_slot(s, in->now, SIZE_MAX, &cur);
    while (ok && cur.scheduled < end) {
        if (!find_entry(s, cur) && !is_airing(in, cur))
            n++;
        ok = slot_after(s, cur, &cur);
    }
    return n;
}

typedef struct {
    bool found;
    bt_slot best;
    bt_wall min_deadline;
} queue_scan;

static void add_miss(bt_schedule_decision *out, bt_slot slot, bt_miss_reason reason)
{
    if (out->missed_count < BT_SCHEDULE_MAX_MISSES)
        out->missed[out->missed_count++] = (bt_schedule_miss){slot, reason};
    else
        out->more_missed = true;
}

/* Walks the unrecorded slots due at now: the missed ones go to out, the rest form the queue. */
static void scan_due(const bt_schedule *s, const bt_schedule_input *in, bt_schedule_decision *out,
                     queue_scan *q)
{
    bt_wall awake = in->awake_since < in->now ? in->awake_since : in->now;
    bt_wall latest = BT_WALL_NEVER;
    bt_slot cur;
    bool ok;

    /* Pass 1: the most recent due slot, the only one that may air after a gap. */
    for (ok = next_slot(s, s->settled.scheduled, s->settled.session, &cur);
         ok && cur.scheduled <= in->now; ok = slot_after(s, cur, &cur))
        if (!find_entry(s, cur) && !is_airing(in, cur))
            latest = cur.scheduled;
    if (latest == BT_WALL_NEVER)
        return;
    /* Pass 2: classify. */
    for (ok = next_slot(s, s->settled.scheduled, s->settled.session, &cur);
         ok && cur.scheduled <= in->now; ok = slot_after(s, cur, &cur)) {
        if (find_entry(s, cur) || is_airing(in, cur))
            continue;
        bool gap = cur.scheduled < awake;
        if (gap && !(cur.scheduled == latest && in->now - latest <= BT_SCHEDULE_GRACE_SECONDS)) {
            add_miss(out, cur, in->gap_reason);
            continue;
        }
        bt_wall deadline = queue_deadline(s, cur);
        if (in->now > deadline) {
            add_miss(out, cur, gap ? in->gap_reason : BT_MISS_QUEUE);
            continue;
        }
        if (!q->found || goes_before(s, cur, q->best))
            q->best = cur;
        if (!q->found || deadline < q->min_deadline)
            q->min_deadline = deadline;
        q->found = true;
    }
}

/* May the missed slot `slot` start as a makeup at now? `live` is set if it may still be made up
 * some day (so the caller knows to wake at the next boundary); *retry_at is lowered to when a
 * failed slot may be tried again, or (no windows) when the spacing lets a makeup go. */
static bool makeup_fits(const bt_schedule *s, const bt_schedule_input *in, const slot_entry *e,
                        bool room_today, bt_wall next_regular, bool *live, bt_wall *retry_at)
{
    if (e->completed || e->slot.scheduled > in->now ||
        bt_time_day_of(in->now) > bt_schedule_slot_deadline(s, e->slot, NULL))
        return false;
    *live = true;
    if (e->last_status == BT_ATTEMPT_FAILED &&
        in->now < e->failed_at + BT_SCHEDULE_RETRY_SECONDS) {
        if (e->failed_at + BT_SCHEDULE_RETRY_SECONDS < *retry_at)
            *retry_at = e->failed_at + BT_SCHEDULE_RETRY_SECONDS;
        return false;
    }
    if (!room_today)
        return false;
    int64_t seconds = bt_schedule_airing_seconds(s, e->slot.session, e->next_item);
    /* A day the ward closes to the loudspeaker (a weekend) takes no makeup; the next open day
     * may, within the makeup's deadline. */
    if (!s->info[e->slot.session].exempt &&
        !bt_broadcast_limits_day_open(&s->lim, bt_time_day_of(in->now)))
        return false;
    if (!s->info[e->slot.session].exempt && s->lim.window_count > 0) {
        bt_wall start = 0, end = window_at(s, in->now, &start);
        if (end < 0 || in->now + seconds > end ||
            makeups_between(s, start, in->now) >= BT_SCHEDULE_MAKEUPS_PER_WINDOW)
            return false;
    } else if (!s->info[e->slot.session].exempt) {
        /* No windows: the whole day is permitted, so the per-window limit becomes a spacing
         * (bt_schedule.h), woken for when it lets the next one go. */
        bt_wall free_at = makeup_spacing_free_at(s, in->now);
        if (free_at > in->now) {
            if (free_at < *retry_at)
                *retry_at = free_at;
            return false;
        }
    }
    return next_regular == BT_WALL_NEVER || in->now + seconds <= next_regular;
}

static bt_wall min_wall(bt_wall a, bt_wall b)
{
    return a < b ? a : b;
}

int bt_schedule_decide(const bt_schedule *s, const bt_schedule_input *in,
                       bt_schedule_decision *out)
{
    queue_scan q = {false, {0, 0}, BT_WALL_NEVER};
    if (!s || !in || !out)
        return -1;
    memset(out, 0, sizeof *out);
    out->action = BT_SCHEDULE_WAIT;
    out->next_check = BT_WALL_NEVER;
    if (in->airing && in->airing_slot.session >= s->b->session_count)
        return -1;

    scan_due(s, in, out, &q);
    if (out->missed_count > 0) {
        out->next_check = in->now;
        return 0;
    }
    bt_wall next_regular = next_regular_after(s, in, in->now);
    if (in->airing) {
        /* Only an emergency cuts in, and never into another emergency. */
        if (q.found && s->info[q.best.session].priority == BT_BROADCAST_EMERGENCY &&
            s->info[in->airing_slot.session].priority != BT_BROADCAST_EMERGENCY) {
            out->action = BT_SCHEDULE_INTERRUPT;
            out->start = q.best;
        }
        out->next_check = min_wall(next_regular, q.found ? q.min_deadline + 1 : BT_WALL_NEVER);
        return 0;
    }
    if (q.found) {
        out->action = BT_SCHEDULE_START;
        out->start = q.best;
        out->next_check = next_regular;
        return 0;
    }

    /* Makeups: room in today's sessions counts what aired and what is still due today. */
    bt_day today = bt_time_day_of(in->now);
    int max = s->lim.max_sessions_per_day;
    bool room = max <= 0 || day_used(s, today) + reserved_today(s, in) + 1 <= max;
    bool live = false, found = false;
    bt_wall retry_at = BT_WALL_NEVER;
    const slot_entry *best = NULL;
    for (size_t i = 0; i < s->open_count; i++) {
        const slot_entry *e = find_entry(s, s->open[i]);
        if (!e || !makeup_fits(s, in, e, room, next_regular, &live, &retry_at))
            continue;
        if (!found || goes_before(s, e->slot, best->slot))
            best = e;
        found = true;
    }
    if (found) {
        out->action = BT_SCHEDULE_START;
        out->start = best->slot;
        out->makeup = true;
        out->first_item = best->next_item;
    }
    out->next_check = min_wall(min_wall(next_regular, retry_at),
                               live ? next_boundary(s, in->now) : BT_WALL_NEVER);
    return 0;
}

/* ---- views -------------------------------------------------------------------------------- */

size_t bt_schedule_upcoming(const bt_schedule *s, bt_wall t, bt_slot *out, size_t cap)
{
    size_t n = 0;
    bt_slot cur;
    bool ok = next_slot(s, t, 0, &cur);
    while (ok && n < cap) {
        out[n++] = cur;
        ok = slot_after(s, cur, &cur);
    }
    return n;
}

bt_wall bt_slot_view_time(const bt_slot_view *v)
{
    return v->other_day ? v->aired_at : v->slot.scheduled;
}

/* Inserts v into out[0..n) kept in bt_slot_view_time order (a later equal time goes after);
 * returns the new count, n if out is full. */
static size_t view_insert(bt_slot_view *out, size_t n, size_t cap, const bt_slot_view *v)
{
    if (n == cap)
        return n;
    size_t at = n;
    while (at > 0 && bt_slot_view_time(&out[at - 1]) > bt_slot_view_time(v))
        at--;
    memmove(&out[at + 1], &out[at], (n - at) * sizeof *out);
    out[at] = *v;
    return n + 1;
}

/* The make-ups of earlier days' slots that completed on `day`, and the one on air now if it is
 * such a make-up, into out (time order kept). */
static size_t day_makeups(const bt_schedule *s, bt_day day, const bt_slot *airing,
                          bt_wall airing_started, bt_slot_view *out, size_t n, size_t cap)
{
    bt_wall start = bt_time_day_start(day);
    for (size_t i = 0; i < s->entry_count; i++) {
        const slot_entry *e = &s->entries[i];
        if (!e->completed || !e->made_up || e->slot.scheduled >= start ||
            bt_time_day_of(e->completed_at) != day ||
            (airing && slot_equal(*airing, e->slot)))
            continue;
        bt_slot_view v = {.slot = e->slot, .state = BT_SLOT_MADE_UP,
                          .aired_at = e->completed_at, .other_day = true};
        n = view_insert(out, n, cap, &v);
    }
    if (airing && airing->scheduled < start && bt_time_day_of(airing_started) == day) {
        bt_slot_view v = {.slot = *airing, .state = BT_SLOT_AIRING, .aired_at = airing_started,
                          .other_day = true};
        n = view_insert(out, n, cap, &v);
    }
    return n;
}

size_t bt_schedule_day(const bt_schedule *s, bt_day day, bt_wall now, const bt_slot *airing,
                       bt_wall airing_started, bt_slot_view *out, size_t cap)
{
    bt_wall end = bt_time_day_start(day) + BT_SECONDS_PER_DAY;
    size_t n = 0;
    bt_slot cur;
    bool ok = next_slot(s, bt_time_day_start(day), 0, &cur);
    while (ok && cur.scheduled < end && n < cap) {
        bt_slot_view *v = &out[n++];
        const slot_entry *e = find_entry(s, cur);
        memset(v, 0, sizeof *v);
        v->slot = cur;
        if (airing && slot_equal(*airing, cur)) {
            v->state = BT_SLOT_AIRING;
            v->aired_at = airing_started;
        } else if (e && e->completed) {
            v->state = e->made_up ? BT_SLOT_MADE_UP : BT_SLOT_AIRED;
            v->aired_at = e->completed_at;
        } else if (e) {
            v->state = BT_SLOT_MISSED;
            v->reason = e->last_reason;
            v->makeup_pending = bt_time_day_of(now) <= bt_schedule_slot_deadline(s, cur, NULL);
        } else if (now > cur.scheduled + BT_SCHEDULE_GRACE_SECONDS) {
            /* Past its grace with nothing in the history: it did not air (e.g. a preview of a
             * day the log knows nothing of); saying "sắp phát" would be untrue. */
            v->state = BT_SLOT_MISSED;
            v->makeup_pending = bt_time_day_of(now) <= bt_schedule_slot_deadline(s, cur, NULL);
        } else {
            v->state = BT_SLOT_UPCOMING;
        }
        ok = slot_after(s, cur, &cur);
    }
    return day_makeups(s, day, airing, airing_started, out, n, cap);
}

/* ---- clock trust -------------------------------------------------------------------------- */

bt_clock_jump bt_clock_check(bt_clock_sample previous, bt_clock_sample current)
{
    bt_clock_jump j;
    int64_t wall_ms = (current.wall - previous.wall) * 1000;
    int64_t mono_ms = (current.mono - previous.mono) / 1000000;
    j.skew_ms = wall_ms - mono_ms;
    if (j.skew_ms > BT_CLOCK_JUMP_THRESHOLD_SECONDS * 1000)
        j.kind = BT_CLOCK_FORWARD;
    else if (j.skew_ms < -BT_CLOCK_JUMP_THRESHOLD_SECONDS * 1000)
        j.kind = BT_CLOCK_BACKWARD;
    else
        j.kind = BT_CLOCK_STEADY;
    return j;
}
