/* The store's memory of targets and notices for reports (src/store/targets_store.c).
 *
 * Each activation of a playlist records a "set": its targets and a catalogue of its notices
 * (title, topic, posting dates), in force from the activation until the next one. The rows are
 * append only (triggers refuse edits), so a report on a past quarter counts against the targets
 * that were in force then, and names the notices as they were. Impressions are read back here
 * too, per day, for the screen's exposure figures. */
#ifndef BT_TARGETS_STORE_H
#define BT_TARGETS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_limits.h"
#include "bt_playlist.h"
#include "bt_proof.h"
#include "bt_store.h"
#include "bt_targets.h"
#include "bt_time.h"

/* Records what playlist p brings to reports as of its activation at `since` (the same time as
 * bt_store_activate_playlist's activated_at): its targets (may be NULL or empty: a playlist
 * without targets ends the previous ones), its notices and its staff records (kept for good,
 * added or updated by channel, day and title). One transaction. Recording the same playlist id
 * and version at the same `since` again is a no-op. 0 / -1. */
int bt_targets_store_record(bt_store *s, const bt_playlist *p, const bt_targets *targets,
                            bt_wall since);

/* Every target ever recorded, resolved (bt_targets_resolve_history): each with its validity cut
 * to the days it was in force, consecutive versions of one rule merged. *out is the caller's
 * (bt_targets_free). 0 / -1. */
int bt_targets_store_history(bt_store *s, bt_targets *out);

/* A notice as reports know it: posted on the days its dates allow while its playlist was in
 * force. One entry per (playlist, notice) and stretch of days; the latest title and topic. */
typedef struct {
    char playlist_id[BT_MAX_ID_BYTES + 1];
    char notice_id[BT_MAX_ID_BYTES + 1];
    char title[BT_MAX_TITLE_BYTES + 1];   /* "" for an image notice without a caption */
    char topic[BT_MAX_TOPICS_BYTES + 1];   /* "" = none */
    bt_day from_day, until_day;           /* posting days (until: BT_DAY_NONE_UNTIL = still) */
    uint8_t weekdays;                     /* bit 0 = Thứ Hai … bit 6 = Chủ Nhật */
} bt_notice_record;

/* Notices whose posting days meet [first, last], ordered by playlist, notice, first day.
 * *out malloc'd (caller frees; NULL when count is 0). 0 / -1. */
int bt_targets_store_notices(bt_store *s, bt_day first, bt_day last, bt_notice_record **out,
                             size_t *count);

/* A tin/bài staff recorded on a channel the appliance cannot observe (bt_records.h), as the
 * store keeps it: a playlist's record (one per channel, day and title, whichever playlist
 * brought it last), a row of a playlist's ghi-nhan.csv, an entry made on the staff panel, or the
 * correcting row that undid one of them (negative count, `corrects` naming it). */
typedef struct {
    int64_t id;                                /* the row (staff_records.id) */
    bt_day day;
    bt_target_channel channel;
    int count;                                 /* tin/bài; negative for a correction */
    bt_record_source source;
    int64_t corrects;                          /* the entry a correction undoes; 0 = none */
    bool undone;                               /* a later correction undoes this entry */
    bt_wall recorded_at;                       /* when it was written into the store */
    char title[BT_MAX_TITLE_BYTES + 1];        /* "" for a CSV row or a panel entry */
    char topic[BT_MAX_TOPICS_BYTES + 1];       /* "" = none */
    char link[BT_MAX_URL_BYTES + 1];           /* "" = none */
    char note[BT_MAX_RECORD_NOTE_BYTES + 1];   /* "" = none */
    char key[BT_RECORD_KEY_BYTES];             /* a CSV row's content key; "" otherwise */
    char playlist_id[BT_MAX_ID_BYTES + 1];     /* the playlist that brought it ("" = panel) */
    int playlist_version;
} bt_record_row;

/* Records dated in [first, last] (corrections included), ordered by day, then as written. *out malloc'd (caller frees;
 * NULL when count is 0). 0 / -1. */
int bt_targets_store_records(bt_store *s, bt_day first, bt_day last, bt_record_row **out,
                             size_t *count);

/* Per-day impression totals for days in [first, last], ordered by day, playlist, notice.
 * *rows malloc'd (caller frees; NULL when count is 0). 0 / -1. */
int bt_targets_store_impressions(bt_store *s, bt_day first, bt_day last, bt_proof_row **rows,
                                 size_t *count);

#endif
