/* Rotation: which notice the lobby screen shows at time t.
 *
 * Everything here is a pure function of the playlist and t, so the kiosk, `screenshot --at` and
 * the tests compute the same answer. No allocation: the priority order is produced by walking
 * the priority levels from high to low, so any playlist size works without a scratch buffer.
 *
 * Eligibility (bt_notice_in_time, bt_playlist_in_validity) can only change at a minute boundary
 * that is an edge of some notice's hours span, or at local midnight (date ranges, weekdays,
 * playlist validity and the cycle anchor). Between two such edges the set of notices taking
 * part is constant, which is what makes next_change and shown_since computable. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_time.h"

#define SECONDS_PER_MINUTE 60
#define MINUTES_PER_DAY 1440

/* The slide showing at one instant, as the cycle formula gives it. */
typedef struct {
    size_t notice;     /* BT_ROTATION_NONE when nothing takes part */
    bt_wall slot_start;/* start of the slide in the cycle (may precede the current regime) */
    bt_wall slot_end;  /* end of the slide in the cycle, capped at the next midnight */
    size_t eligible;
    bool urgent;
} slot_info;

/* Priority outside 1..9 can only come from a playlist built by hand; clamp it so it still sorts. */
static int clamped_priority(const bt_notice *n)
{
    if (n->priority < BT_MIN_PRIORITY)
        return BT_MIN_PRIORITY;
    if (n->priority > BT_MAX_PRIORITY)
        return BT_MAX_PRIORITY;
    return n->priority;
}

/* A zero or negative duration would make the cycle length zero; the validator forbids it, but a
 * hand-built playlist must not crash the kiosk. */
static int64_t slide_seconds(const bt_notice *n)
{
    return n->duration_seconds > 0 ? (int64_t)n->duration_seconds : 1;
}

/* In its time and showable: a notice whose file went missing (`unavailable`) is passed over as
 * if it were out of its time, so it neither takes a slide nor, if urgent, silences the others. */
static bool showable(const bt_notice *n, bt_wall t)
{
    return !n->unavailable && bt_notice_in_time(n, t);
}

static bool any_urgent_in_time(const bt_playlist *p, bt_wall t)
{
    for (size_t i = 0; i < p->notice_count; i++)
        if (p->notices[i].urgent && showable(&p->notices[i], t))
            return true;
    return false;
}

/* Does notice i take part in the rotation at t, given the mode (urgent or not) at t? */
static bool takes_part(const bt_playlist *p, size_t i, bool urgent_mode, bt_wall t)
{
    const bt_notice *n = &p->notices[i];
    if (urgent_mode && !n->urgent)
        return false;
    return showable(n, t);
}

static bool rotation_mode(const bt_playlist *p, bt_wall t, bool *urgent_mode)
{
    *urgent_mode = false;
    if (!p || p->notice_count == 0 || !bt_playlist_in_validity(p, t))
        return false;
    *urgent_mode = any_urgent_in_time(p, t);
    return true;
}

/* The cycle formula at t: position (t - midnight) mod total, walked in priority order. */
static slot_info slot_at(const bt_playlist *p, bt_wall t)
{
    slot_info s = { BT_ROTATION_NONE, t, t, 0, false };
    bool urgent_mode;
    if (!rotation_mode(p, t, &urgent_mode))
        return s;
    s.urgent = urgent_mode;

    int64_t total = 0;
    for (size_t i = 0; i < p->notice_count; i++) {
        if (takes_part(p, i, urgent_mode, t)) {
            total += slide_seconds(&p->notices[i]);
            s.eligible++;
        }
    }
    if (s.eligible == 0)
        return s;

    bt_wall midnight = bt_time_day_start(bt_time_day_of(t));
    bt_wall next_midnight = midnight + BT_SECONDS_PER_DAY;
    int64_t pos = (t - midnight) % total;
    int64_t cum = 0;
    for (int prio = BT_MAX_PRIORITY; prio >= BT_MIN_PRIORITY; prio--) {
        for (size_t i = 0; i < p->notice_count; i++) {
            const bt_notice *n = &p->notices[i];
            if (clamped_priority(n) != prio || !takes_part(p, i, urgent_mode, t))
                continue;
            int64_t len = slide_seconds(n);
            if (pos < cum + len) {
                s.notice = i;
                s.slot_start = t - (pos - cum);
                s.slot_end = t + (cum + len - pos);
                if (s.slot_end > next_midnight)
                    s.slot_end = next_midnight; /* the cycle restarts at midnight */
                return s;
            }
            cum += len;
        }
    }
    return s; /* not reached: pos < total */
}

/* Can this notice's hours edges matter on `day`? Date range and weekday only change at midnight,
 * so a notice excluded for the whole day (or unavailable) contributes no edge. */
static bool notice_on_day(const bt_notice *n, bt_day day)
{
    if (n->unavailable || day < n->from_day || day > n->until_day)
        return false;
    int wd = bt_time_weekday_of_day(day); /* 1 = Monday … 7 = Sunday, bit 0 = Monday */
    return (n->weekdays >> (wd - 1)) & 1u;
}

/* The next minute of the day (strictly after `minute`) at which some notice's eligibility may
 * change; MINUTES_PER_DAY (midnight) if none. */
static int next_edge_minute(const bt_playlist *p, bt_day day, int minute)
{
    int best = MINUTES_PER_DAY;
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (!notice_on_day(n, day))
            continue;
        for (size_t k = 0; k < n->hour_count && k < BT_MAX_HOUR_SPANS; k++) {
            int a = n->hours[k].start_minute, b = n->hours[k].end_minute;
            if (a > minute && a < best)
                best = a;
            if (b > minute && b < best)
                best = b;
        }
    }
    return best;
}

/* The latest minute of the day (at or before `minute`) at which some notice's eligibility may
 * have changed; 0 (midnight) if none. */
static int prev_edge_minute(const bt_playlist *p, bt_day day, int minute)
{
    int best = 0;
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (!notice_on_day(n, day))
            continue;
        for (size_t k = 0; k < n->hour_count && k < BT_MAX_HOUR_SPANS; k++) {
            int a = n->hours[k].start_minute, b = n->hours[k].end_minute;
            if (a <= minute && a > best)
                best = a;
            if (b <= minute && b > best)
                best = b;
        }
    }
    return best;
}

/* Do the same notices take part at a and b (so both lie in one cycle)? Outside the playlist's
 * validity nothing takes part, which is the same as no notice being in its time. */
static bool same_rotation(const bt_playlist *p, bt_wall a, bt_wall b)
{
    bool ua, ub;
    bool va = rotation_mode(p, a, &ua), vb = rotation_mode(p, b, &ub);
    for (size_t i = 0; i < p->notice_count; i++) {
        bool in_a = va && takes_part(p, i, ua, a);
        bool in_b = vb && takes_part(p, i, ub, b);
        if (in_a != in_b)
            return false;
    }
    return true;
}

/* When did the set of notices taking part at t last change (never earlier than midnight)?
 * Walks back over the candidate edges that turned out not to change anything. */
static bt_wall regime_start(const bt_playlist *p, bt_wall t)
{
    bt_day day = bt_time_day_of(t);
    bt_wall midnight = bt_time_day_start(day);
    int minute = (int)((t - midnight) / SECONDS_PER_MINUTE);
    for (;;) {
        int edge = prev_edge_minute(p, day, minute);
        if (edge == 0)
            return midnight;
        bt_wall at = midnight + (bt_wall)edge * SECONDS_PER_MINUTE;
        if (!same_rotation(p, at - 1, t))
            return at;
        minute = edge - 1;
    }
}

/* Start of the notice's current showing: its slide's start, unless the rotation was
 * re-evaluated since; then the re-evaluation, or earlier if the same notice was already on
 * screen just before it. Bounded: each step moves to an earlier edge of the same day. */
static bt_wall showing_start(const bt_playlist *p, bt_wall t, const slot_info *s)
{
    bt_wall slot_start = s->slot_start;
    for (;;) {
        bt_wall regime = regime_start(p, t);
        if (slot_start >= regime)
            return slot_start;
        slot_info before = slot_at(p, regime - 1);
        if (before.notice != s->notice)
            return regime;
        t = regime - 1;
        slot_start = before.slot_start;
    }
}

bt_rotation_pick bt_rotation_at(const bt_playlist *p, bt_wall t)
{
    bt_rotation_pick pick = { BT_ROTATION_NONE, t, t, 0, false };
    bt_day day = bt_time_day_of(t);
    bt_wall midnight = bt_time_day_start(day);
    int minute = (int)((t - midnight) / SECONDS_PER_MINUTE);

    if (!p) {
        /* Nothing to rotate: wake up each minute so the idle screen's clock stays right. */
        pick.next_change = midnight + (bt_wall)(minute + 1) * SECONDS_PER_MINUTE;
        return pick;
    }

    /* Outside its validity the playlist stays dark all day: only midnight can change that. */
    int edge = bt_playlist_in_validity(p, t) ? next_edge_minute(p, day, minute) : MINUTES_PER_DAY;
    bt_wall next_edge = midnight + (bt_wall)edge * SECONDS_PER_MINUTE;
    slot_info s = slot_at(p, t);
    pick.eligible = s.eligible;
    pick.urgent = s.urgent;
    pick.notice = s.notice;
    if (s.notice == BT_ROTATION_NONE) {
        pick.shown_since = regime_start(p, t);
        pick.next_change = next_edge;
        return pick;
    }
    pick.shown_since = showing_start(p, t, &s);
    pick.next_change = s.slot_end < next_edge ? s.slot_end : next_edge;
    return pick;
}
