/* Screen proof of play: the kiosk tells this module what is on screen from which clock reading
 * on, and it keeps per (playlist, notice, local day, clock trust) totals of showings and seconds
 * until the shell flushes them to the store. Pure bookkeeping on readings passed in.
 *
 * How long: always the monotonic clock. The wall clock can be set back, forward, or boot at
 * 2000; a showing's seconds are the monotonic time between two readings, so no jump can make
 * the screen's proof of play longer than the time it really showed (a clock at 2000 set right
 * 8 s later once counted 236 075 hours).
 *
 * Which day: each stretch of time between two readings is placed on the wall clock's timeline
 * and split at local midnight, so every day's figure is what was on screen that day. Where it is
 * placed depends on what an auditor could check afterwards:
 *   - the closing reading is trusted: the stretch ends at its wall time (looking back from a
 *     trusted clock by the monotonic time is exact, even for time the clock got wrong before
 *     it was set right). If the wall clock jumped inside the stretch, the row is flagged: the
 *     clock was changed during that showing.
 *   - the closing reading is not trusted: the seconds still count (the screen did show them),
 *     on a flagged row, placed from the last trusted reading carried forward by the monotonic
 *     clock — the day it really was, as far as the box can know — or, when no trusted reading
 *     was seen since the kiosk started, on BT_PROOF_DAY_UNKNOWN rather than 01/01/2000.
 * Flagged rows are stored apart (impressions_untrusted): they are evidence that the screen
 * showed, not figures for a target, since the day they count on was not vouched for by a clock.
 *
 * A showing counts on the row of its first second. Rows for the same key are merged in memory,
 * so a flush writes one row per key however many showings it covers. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"

#define PROOF_FIRST_CAPACITY 16
#define NS_PER_SECOND 1000000000LL
/* Wall readings are placed in nanoseconds; beyond 2100-01-01 that would overflow int64 within a
 * few decades, and no appliance of this kind runs that long: such a reading is not used to place
 * anything (as if untrusted). */
#define PROOF_WALL_MAX ((bt_wall)4102444800LL)

/* Where the open showing's time since the last reading falls on the wall clock's timeline. */
typedef struct {
    bool untrusted;       /* the row is flagged */
    bool unknown_day;     /* no trusted reading yet: all of it on BT_PROOF_DAY_UNKNOWN */
    int64_t from_ns, to_ns;
} placement;

void bt_proof_init(bt_proof *p)
{
    memset(p, 0, sizeof(*p));
}

void bt_proof_free(bt_proof *p)
{
    if (!p)
        return;
    free(p->rows);
    bt_proof_init(p);
}

/* Makes room for `more` further rows so a whole step can be recorded or nothing at all. */
static int reserve_rows(bt_proof *p, size_t more)
{
    if (more > SIZE_MAX / sizeof(bt_proof_row) - p->count)
        return -1;
    size_t need = p->count + more;
    if (need <= p->capacity)
        return 0;
    size_t cap = p->capacity ? p->capacity : PROOF_FIRST_CAPACITY;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 / sizeof(bt_proof_row) ? need : cap * 2;
    bt_proof_row *rows = realloc(p->rows, cap * sizeof(*rows));
    if (!rows)
        return -1;
    p->rows = rows;
    p->capacity = cap;
    return 0;
}

/* The row for a key, appended if new. Capacity must have been reserved by the caller. */
static bt_proof_row *row_for(bt_proof *p, bt_day day, bool untrusted)
{
    for (size_t i = 0; i < p->count; i++) {
        bt_proof_row *r = &p->rows[i];
        if (r->day == day && r->clock_untrusted == untrusted &&
            strcmp(r->notice_id, p->current_notice) == 0 &&
            strcmp(r->playlist_id, p->current_playlist) == 0)
            return r;
    }
    bt_proof_row *r = &p->rows[p->count++];
    memset(r, 0, sizeof(*r));
    strcpy(r->playlist_id, p->current_playlist); /* lengths checked in bt_proof_show */
    strcpy(r->notice_id, p->current_notice);
    r->day = day;
    r->clock_untrusted = untrusted;
    return r;
}

static bool wall_usable(bt_wall t)
{
    return t >= 0 && t <= PROOF_WALL_MAX;
}

/* Local day of a wall time in nanoseconds (never negative: see wall_usable and place). */
static bt_day day_at(int64_t ns)
{
    return bt_time_day_of((bt_wall)(ns / NS_PER_SECOND));
}

/* The wall clock moved differently from the monotonic one since the last reading. */
static bool jumped_since_last(const bt_proof *p, bt_proof_clock c)
{
    if (!p->has_last || !wall_usable(p->last.wall) || !wall_usable(c.wall))
        return false;
    bt_clock_sample before = {p->last.wall, p->last.mono}, now = {c.wall, c.mono};
    return bt_clock_check(before, now).kind != BT_CLOCK_STEADY;
}

/* See the top of this file for why each case is placed where it is. */
static placement place(const bt_proof *p, bt_proof_clock c)
{
    placement pl = {0};
    int64_t elapsed = p->open ? c.mono - p->accounted : 0;
    if (c.trusted && wall_usable(c.wall)) {
        pl.to_ns = c.wall * NS_PER_SECOND;
        pl.untrusted = jumped_since_last(p, c);
    } else if (p->has_anchor) {
        pl.to_ns = p->anchor_wall * NS_PER_SECOND + (c.mono - p->anchor_mono);
        pl.untrusted = true;
    } else {
        pl.to_ns = elapsed;
        pl.untrusted = true;
        pl.unknown_day = true;
    }
    pl.from_ns = pl.to_ns - elapsed;
    if (pl.from_ns < 0) {
        /* Time before 1970 on the wall clock's timeline: no day to place it on. */
        pl.from_ns = 0;
        pl.to_ns = elapsed;
        pl.unknown_day = true;
        pl.untrusted = true;
    }
    return pl;
}

/* How many rows accounting pl can append. */
static size_t rows_needed(const bt_proof *p, const placement *pl)
{
    if (!p->open)
        return 0;
    if (pl->to_ns <= pl->from_ns || pl->unknown_day)
        return p->show_pending || pl->to_ns > pl->from_ns ? 1 : 0;
    return (size_t)(day_at(pl->to_ns - 1) - day_at(pl->from_ns)) + 1;
}

/* Adds the open showing's time in pl to its rows, one per local day. Capacity for
 * rows_needed() rows must be reserved. */
static void account(bt_proof *p, const placement *pl, bt_mono_ns mono)
{
    if (!p->open)
        return;
    if (p->show_pending) {
        bt_day first = pl->unknown_day ? BT_PROOF_DAY_UNKNOWN : day_at(pl->from_ns);
        row_for(p, first, pl->untrusted)->shows++;
        p->show_pending = false;
        p->placed = true;
        p->first_day = first;
        p->first_untrusted = pl->untrusted;
    }
    for (int64_t from = pl->from_ns; from < pl->to_ns;) {
        int64_t to = pl->to_ns;
        bt_day day = BT_PROOF_DAY_UNKNOWN;
        if (!pl->unknown_day) {
            day = day_at(from);
            int64_t day_end = bt_time_day_start(day + 1) * NS_PER_SECOND;
            if (day_end < to)
                to = day_end;
        }
        row_for(p, day, pl->untrusted)->seconds += (double)(to - from) / NS_PER_SECOND;
        from = to;
    }
    p->accounted = mono;
}

/* Remembers the reading: the next one is compared with it, and a trusted one becomes the
 * anchor that untrusted time is placed from. */
static void note_reading(bt_proof *p, bt_proof_clock c)
{
    p->last = c;
    p->has_last = true;
    if (c.trusted && wall_usable(c.wall)) {
        p->has_anchor = true;
        p->anchor_wall = c.wall;
        p->anchor_mono = c.mono;
    }
}

/* Monotonic readings never go back; one taken out of order must not count time twice. */
static bt_proof_clock in_order(const bt_proof *p, bt_proof_clock c)
{
    if (p->has_last && c.mono < p->last.mono)
        c.mono = p->last.mono;
    return c;
}

void bt_proof_advance(bt_proof *p, bt_proof_clock c)
{
    c = in_order(p, c);
    placement pl = place(p, c);
    /* On allocation failure the time stays unaccounted and is picked up by the next call, so
     * nothing is lost and nothing is counted twice. */
    if (reserve_rows(p, rows_needed(p, &pl)) != 0)
        return;
    account(p, &pl, c.mono);
    note_reading(p, c);
}

/* The open showing ends at mono: a clip it played counts, whole or cut short, on the row of its
 * first second. Room for one row must be reserved. */
static void close_video(bt_proof *p, bt_mono_ns mono)
{
    if (!p->open || p->video_ns <= 0 || !p->placed)
        return;
    bt_proof_row *r = row_for(p, p->first_day, p->first_untrusted);
    if (mono - p->opened >= p->video_ns - (bt_mono_ns)BT_VIDEO_WHOLE_SLACK_MS * 1000000)
        r->video_whole++;
    else
        r->video_cut++;
    p->video_ns = 0;
}

void bt_proof_video(bt_proof *p, long long clip_ms)
{
    if (!p->open || clip_ms <= 0 || p->video_ns > 0)
        return;
    p->video_ns = (bt_mono_ns)clip_ms * 1000000;
}

int bt_proof_show(bt_proof *p, const char *playlist_id, const char *notice_id, bt_proof_clock c)
{
    if (!playlist_id)
        playlist_id = "";
    if (notice_id && (strlen(playlist_id) > BT_MAX_ID_BYTES || strlen(notice_id) > BT_MAX_ID_BYTES))
        return -1; /* the validator never lets such an id through; truncating would merge notices */

    c = in_order(p, c);
    bool same = notice_id && p->open && strcmp(p->current_notice, notice_id) == 0 &&
                strcmp(p->current_playlist, playlist_id) == 0;
    /* Reserve for the close of the previous showing, so a failure records nothing. The new
     * showing takes its row when its first second is placed. */
    placement pl = place(p, c);
    if (reserve_rows(p, rows_needed(p, &pl) + (same ? 0 : 1)) != 0)
        return -1;

    account(p, &pl, c.mono);
    note_reading(p, c);
    if (same)
        return 0; /* the same notice goes on: not a new showing */
    close_video(p, c.mono);

    if (!notice_id) {
        /* The idle screen is not a notice: close the showing and record nothing more. */
        p->open = false;
        p->show_pending = false;
        p->current_playlist[0] = '\0';
        p->current_notice[0] = '\0';
        return 0;
    }
    strcpy(p->current_playlist, playlist_id);
    strcpy(p->current_notice, notice_id);
    p->open = true;
    p->show_pending = true;
    p->accounted = c.mono;
    p->opened = c.mono;
    p->placed = false;
    return 0;
}

size_t bt_proof_pending(const bt_proof *p)
{
    return p->count;
}

void bt_proof_clear_rows(bt_proof *p)
{
    p->count = 0;
}

/* ---- proof of play for staff ---------------------------------------------------------------- */

void bt_proof_tally_notices(const bt_proof_row *rows, size_t count, const char *playlist_id,
                            const char *const *notice_ids, size_t n, bt_day today,
                            bt_proof_tally *out)
{
    bt_civil t = bt_time_to_civil(bt_time_day_start(today));
    bt_day month_first = bt_time_day_from_ymd(t.year, t.month, 1);
    for (size_t k = 0; k < n; k++) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].last_day = BT_PROOF_NEVER;
    }
    for (size_t i = 0; i < count; i++) {
        const bt_proof_row *r = &rows[i];
        if (r->clock_untrusted || r->day > today || strcmp(r->playlist_id, playlist_id) != 0)
            continue;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(r->notice_id, notice_ids[k]) != 0)
                continue;
            bt_proof_tally *o = &out[k];
            if (r->day == today) {
                o->shows_today += r->shows;
                o->seconds_today += r->seconds;
                o->video_whole_today += r->video_whole;
                o->video_cut_today += r->video_cut;
            }
            if (r->day >= month_first) {
                o->shows_month += r->shows;
                o->seconds_month += r->seconds;
                o->video_whole_month += r->video_whole;
                o->video_cut_month += r->video_cut;
            }
            if (r->shows > 0 && r->day > o->last_day)
                o->last_day = r->day;
        }
    }
}
