/* The staff panel's records (src/store/records_store.c): a tin/bài staff entered on the panel
 * for a channel the appliance cannot observe, and the undoing of an entry. Rows of staff_records
 * are never edited or deleted (the table is evidence for the department's report): an entry is
 * undone by a correcting row of its negative count, on the same channel and day, that names it.
 * Both writes wait for the disk (synchronous=FULL) before they return, like the airing log's, so
 * an entry staff saw confirmed survives a power cut. */
#ifndef BT_RECORDS_STORE_H
#define BT_RECORDS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bt_store.h"
#include "bt_targets.h"
#include "bt_targets_store.h"
#include "bt_time.h"

/* What staff entered on the panel. */
typedef struct {
    bt_target_channel channel; /* a recorded channel */
    bt_day day;
    int count;                 /* 1..BT_MAX_RECORD_COUNT */
    const char *note;          /* NULL or "" = none */
    const char *topic;         /* the topics of the targets on that channel; NULL = none */
    const char *key;           /* NULL, or what makes it one entry: written again, it adds
                                * nothing (the store writer's "panel:RUN:N") */
} bt_record_entry;

/* Appends e as a panel entry written at `now`; *id is its row (the row already there when an
 * entry with e->key was written before). 0, or -1 with why in err (in Vietnamese: what the
 * store refused). */
int bt_records_store_add(bt_store *s, const bt_record_entry *e, bt_wall now, int64_t *id,
                         char *err, size_t err_size);

/* Undoes entry `id` at `now` with a correcting panel row. 0 done, 1 when it was undone already
 * (nothing written), 2 when there is nothing to undo (no such entry, or a correction itself:
 * why in err), -1 when the store refused (why in err). */
int bt_records_store_undo(bt_store *s, int64_t id, bt_wall now, char *err, size_t err_size);

/* The latest entries still standing (a positive count, not undone), newest written first, up to
 * max into out. 0 / -1. */
int bt_records_store_recent(bt_store *s, bt_record_row *out, size_t max, size_t *count);

#endif
