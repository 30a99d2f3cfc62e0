/* Screen proof of play: how many times each notice was shown per local day and for how many
 * seconds. Accumulated in memory by the running kiosk and flushed to the store in batches.
 * Pure bookkeeping: the caller passes the times in.
 *
 * Seconds are measured on the monotonic clock, so they never exceed the time the screen really
 * showed a notice, whatever the wall clock does. The wall clock only says which local day they
 * fell on, and only when the caller trusts it; seconds shown while it is not trusted are still
 * counted, but on rows flagged clock_untrusted (see proof.c for where they are placed), which
 * the store keeps apart from the figures that count toward targets. */
#ifndef BT_PROOF_H
#define BT_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_time.h"

/* Day of a flagged row whose seconds fell while no trusted wall time had been seen since the
 * kiosk started (a box that booted with its clock at 2000 and was not yet set right). */
#define BT_PROOF_DAY_UNKNOWN INT32_MIN

/* One reading of both clocks, and whether the caller believes the wall clock at that moment.
 * The verdict must be fresh: after a jump of the wall clock, check it again before passing it. */
typedef struct {
    bt_wall wall;      /* the wall clock, whole seconds */
    bt_mono_ns mono;   /* CLOCK_MONOTONIC at the same moment */
    bool trusted;
} bt_proof_clock;

typedef struct {
    char playlist_id[64 + 1];
    char notice_id[64 + 1];
    bt_day day;          /* BT_PROOF_DAY_UNKNOWN only on clock_untrusted rows */
    bool clock_untrusted;/* placed without a trusted wall clock, or across a jump of it */
    int64_t shows;       /* showings whose first second fell on that day */
    double seconds;      /* seconds on screen that fell on that day (monotonic clock) */
    /* Of those showings, plays of a video notice's clip (bt_proof_video), counted when the
     * showing ends: whole when the screen showed at least the clip's length, cut short when it
     * ended sooner (the screen slept, the playlist changed, the kiosk stopped, started midway,
     * or the notice's `duration` is shorter than the clip). 0 for every other notice. */
    int64_t video_whole;
    int64_t video_cut;
} bt_proof_row;

typedef struct {
    bt_proof_row *rows; /* owned */
    size_t count, capacity;
    char current_playlist[64 + 1];
    char current_notice[64 + 1];
    bool open;               /* a showing is open */
    bool show_pending;       /* the open showing is not yet counted as a showing in any row */
    bt_mono_ns accounted;    /* the open showing's time up to here is in rows */
    bool has_last;
    bt_proof_clock last;     /* the previous reading: a jump of the wall clock shows against it */
    bool has_anchor;         /* a trusted reading was seen: */
    bt_wall anchor_wall;     /*   its wall clock */
    bt_mono_ns anchor_mono;  /*   and its monotonic clock */
    bt_mono_ns opened;       /* when the open showing began (monotonic) */
    bool placed;             /* its first second was placed on a row: */
    bt_day first_day;        /*   that row's day */
    bool first_untrusted;    /*   and flag, where its video play counts */
    bt_mono_ns video_ns;     /* > 0: the open showing plays a clip this long (bt_proof_video) */
} bt_proof;

void bt_proof_init(bt_proof *p);
void bt_proof_free(bt_proof *p);
/* The screen now shows notice_id of playlist_id (NULL = idle screen) from reading c on. Closes
 * the previous showing at c. Showing the same notice again without a change in between is not a
 * new showing. Returns 0, or -1 on allocation failure (nothing recorded). */
int bt_proof_show(bt_proof *p, const char *playlist_id, const char *notice_id, bt_proof_clock c);
/* The open showing is a play of a clip clip_ms long (a video notice whose clip the screen
 * opened). When the showing ends it counts as a whole play if it lasted the clip's length (less
 * BT_VIDEO_WHOLE_SLACK_MS), else as cut short, on the row of its first second. Calling it again
 * for the same showing changes nothing; without an open showing, or with clip_ms <= 0, it does
 * nothing. */
void bt_proof_video(bt_proof *p, long long clip_ms);
/* Accounts the open showing's seconds up to reading c (splitting at local midnight) so rows can
 * be flushed without closing it. */
void bt_proof_advance(bt_proof *p, bt_proof_clock c);
/* Rows gathered since the last bt_proof_clear_rows; the caller writes them, then they are cleared. */
size_t bt_proof_pending(const bt_proof *p);
void bt_proof_clear_rows(bt_proof *p);

/* ---- proof of play for staff (the panel's "Màn hình đã chiếu", issue 14) ------------------- */

/* What the screen showed of one notice, today and this month, from the stored day rows. */
typedef struct {
    int64_t shows_today, shows_month;
    double seconds_today, seconds_month;
    int64_t video_whole_today, video_cut_today; /* a video notice's plays (bt_proof_row) */
    int64_t video_whole_month, video_cut_month;
    bt_day last_day;      /* the last day it was shown (shows > 0); BT_PROOF_NEVER if none */
} bt_proof_tally;

#define BT_PROOF_NEVER INT32_MIN

/* Sums rows (day rows of bt_store_impressions_list, any order, flagged rows skipped) of
 * playlist_id for each of the n notice ids into out[n]: today = `today`, month = the calendar
 * month of `today` up to it; last_day over every row given (rows after `today` are ignored). A
 * notice the rows do not name gets zeros and BT_PROOF_NEVER. */
void bt_proof_tally_notices(const bt_proof_row *rows, size_t count, const char *playlist_id,
                            const char *const *notice_ids, size_t n, bt_day today,
                            bt_proof_tally *out);

#endif
