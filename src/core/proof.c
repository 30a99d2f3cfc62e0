/* Screen proof of play: the kiosk tells this module what is on screen from when, and it keeps
 * per (playlist, notice, local day) totals of showings and seconds until the shell flushes them
 * to the store. Pure bookkeeping on times passed in.
 *
 * A showing is counted on the day it began; its seconds are split at local midnight so every
 * day's figure is what was on screen that day. Rows for the same key are merged in memory, so
 * a flush writes one row per key however many showings it covers. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_time.h"

#define PROOF_FIRST_CAPACITY 16

void bt_proof_init(bt_proof *p)
{
    memset(p, 0, sizeof(*p));
    p->current_since = -1;
    p->accounted_until = -1;
}

void bt_proof_free(bt_proof *p)
{
    if (!p)
        return;
    free(p->rows);
    bt_proof_init(p);
}

static bool has_open_showing(const bt_proof *p)
{
    return p->current_since >= 0;
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
static bt_proof_row *row_for(bt_proof *p, const char *playlist_id, const char *notice_id,
                             bt_day day)
{
    for (size_t i = 0; i < p->count; i++) {
        bt_proof_row *r = &p->rows[i];
        if (r->day == day && strcmp(r->notice_id, notice_id) == 0 &&
            strcmp(r->playlist_id, playlist_id) == 0)
            return r;
    }
    bt_proof_row *r = &p->rows[p->count++];
    memset(r, 0, sizeof(*r));
    strcpy(r->playlist_id, playlist_id); /* lengths checked in bt_proof_show */
    strcpy(r->notice_id, notice_id);
    r->day = day;
    return r;
}

/* How many day rows accounting the open showing up to t can touch. */
static size_t days_touched(const bt_proof *p, bt_wall t)
{
    if (!has_open_showing(p) || t <= p->accounted_until)
        return 0;
    return (size_t)(bt_time_day_of(t - 1) - bt_time_day_of(p->accounted_until)) + 1;
}

/* Adds the open showing's seconds from accounted_until to t, one row per local day. Capacity
 * for days_touched() rows must be reserved. */
static void account_until(bt_proof *p, bt_wall t)
{
    if (!has_open_showing(p) || t <= p->accounted_until)
        return; /* nothing open, or the clock went back: never count a second twice */
    bt_wall from = p->accounted_until;
    while (from < t) {
        bt_day day = bt_time_day_of(from);
        bt_wall day_end = bt_time_day_start(day + 1);
        bt_wall to = t < day_end ? t : day_end;
        bt_proof_row *r = row_for(p, p->current_playlist, p->current_notice, day);
        r->seconds += (double)(to - from);
        from = to;
    }
    p->accounted_until = t;
}

void bt_proof_advance(bt_proof *p, bt_wall t)
{
    /* On allocation failure the seconds stay unaccounted and are picked up by the next call,
     * so nothing is lost and nothing is counted twice. */
    if (reserve_rows(p, days_touched(p, t)) != 0)
        return;
    account_until(p, t);
}

int bt_proof_show(bt_proof *p, const char *playlist_id, const char *notice_id, bt_wall t)
{
    if (!playlist_id)
        playlist_id = "";
    if (notice_id && (strlen(playlist_id) > BT_MAX_ID_BYTES || strlen(notice_id) > BT_MAX_ID_BYTES))
        return -1; /* the validator never lets such an id through; truncating would merge notices */

    bool same = notice_id && has_open_showing(p) && strcmp(p->current_notice, notice_id) == 0 &&
                strcmp(p->current_playlist, playlist_id) == 0;
    /* Reserve for the close of the previous showing and the new showing's row together, so a
     * failure records nothing. */
    size_t more = days_touched(p, t) + (notice_id && !same ? 1 : 0);
    if (reserve_rows(p, more) != 0)
        return -1;

    account_until(p, t);
    if (same)
        return 0; /* the same notice goes on: not a new showing */

    if (!notice_id) {
        /* The idle screen is not a notice: close the showing and record nothing more. */
        p->current_since = -1;
        p->current_playlist[0] = '\0';
        p->current_notice[0] = '\0';
        return 0;
    }
    strcpy(p->current_playlist, playlist_id);
    strcpy(p->current_notice, notice_id);
    p->current_since = t;
    p->accounted_until = t;
    row_for(p, playlist_id, notice_id, bt_time_day_of(t))->shows++;
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
