/* Private to the store room: the fallback journal of the store's writer (writer.c).
 *
 * When the database refuses a log row (a full or read-only disk, an I/O error), the row is not
 * dropped: it is kept in memory and appended to a small text file outside the failing store
 * (the service's runtime folder, else beside the database), one line per row, each line with its
 * own check so a line torn by a crash is recognised and left out. When the store accepts writes
 * again the rows are written into the log in their order ("drained"), and at the next start a
 * journal left by an earlier run is drained before anything else.
 *
 * Draining may be interrupted (a crash, the disk full again) after some rows were written, so
 * it is idempotent: a start row is found again by its subject and start time, an end by its
 * airing having ended, a record by its subject, status and reason (which carries the time it
 * was journaled, so two real records of one slot stay two), or by its original reason and a
 * write time within seconds of when it was journaled (a commit whose sync failed may still
 * reach the database: its WAL frames are replayed at the next open), a clock event by its
 * times, a staff entry from the panel by its key, the undoing of one by the one correction an
 * entry may have. */
#ifndef BT_STORE_PENDING_H
#define BT_STORE_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"

#define BT_PENDING_FILE "bangtin.db.pending"
#define BT_PENDING_RUN_BYTES 32
#define BT_PENDING_TOPIC_BYTES 256
#define BT_PENDING_NOTE_BYTES 256

typedef enum { PENDING_BEGIN = 'B', PENDING_END = 'E', PENDING_RECORD = 'R',
               PENDING_CLOCK = 'C', PENDING_STAFF = 'S', PENDING_UNDO = 'U' } pending_kind;

/* STAFF: an entry staff made on the panel (bt_records_store_add), written once by its key;
 * UNDO: the undoing of entry `corrects` (bt_records_store_undo), once by the store's rule. */
typedef struct {
    bt_target_channel channel;
    bt_day day;
    int count;
    char topic[BT_PENDING_TOPIC_BYTES];
    char note[BT_PENDING_NOTE_BYTES];
    char key[BT_RECORD_KEY_BYTES];
    int64_t corrects;
    bt_wall at;                        /* when staff pressed OK */
} pending_staff;

/* A journaled row names the journaled start row it ends by (run, seq); one that was stored
 * before the store failed by its airing id. */
typedef struct {
    int64_t airing;                    /* > 0: a stored start row */
    char run[BT_PENDING_RUN_BYTES];    /* else: the journal entry of the start row */
    uint64_t seq;
} pending_ref;

typedef struct pending_entry {
    char run[BT_PENDING_RUN_BYTES];    /* the writer run that journaled it */
    uint64_t seq;                      /* its order within that run */
    pending_kind kind;
    bt_airing_subject subject;         /* BEGIN, RECORD */
    int64_t started_ms;                /* BEGIN */
    pending_ref ref;                   /* END */
    bt_airing_status status;           /* END, RECORD */
    char reason[BT_AIRING_REASON_BYTES]; /* END, RECORD ("" = none) */
    char original_reason[BT_AIRING_REASON_BYTES]; /* RECORD: before the journal's note */
    int64_t journaled_ms;              /* wall clock when the store refused it */
    int64_t ended_ms, duration_ms;     /* END */
    bool trusted;
    bt_clock_event clock;              /* CLOCK */
    pending_staff staff;               /* STAFF, UNDO */
    bool written_to_file;              /* also in the file (else in memory only) */
    struct pending_entry *next;
} pending_entry;

/* A start row written while draining: which journal entry became which airing id. */
typedef struct {
    char run[BT_PENDING_RUN_BYTES];
    uint64_t seq;
    int64_t airing;
} pending_resolved;

typedef struct {
    pending_entry *head, *tail;
    size_t count;
    char path[BT_MAX_PATH_BYTES + 32]; /* the journal file ("" = memory only) */
    pending_resolved *resolved;
    size_t resolved_count, resolved_cap;
} pending_journal;

/* Reads the file at path (if any) into j, in order; torn or garbled lines are skipped and
 * counted in *skipped. 0, or -1 when out of memory. */
int bt_pending_load(pending_journal *j, const char *path, size_t *skipped);
/* Appends e (copied) to memory and, when possible, to the file (fdatasync'd). 0 when the file
 * holds it, 1 when only memory does, -1 when out of memory. */
int bt_pending_append(pending_journal *j, const pending_entry *e);
/* Writes the entries into the store in order, each removed once written; stops at the first
 * the store refuses. When all are written the file is removed. 0 when empty, -1 when some
 * remain. */
int bt_pending_drain(pending_journal *j, bt_store *s);
/* Writes a STAFF or UNDO entry once (pending.c). 0 written or there already (*undone_before
 * when an undo found its entry undone), 2 nothing to undo, -1 the store refused; why in err.
 * undone_before and err may be NULL. */
int bt_pending_apply_staff(bt_store *s, const pending_entry *e, bool *undone_before, char *err,
                           size_t err_size);
/* The airing id a drained start entry became (0 if unknown). */
int64_t bt_pending_resolve(const pending_journal *j, const char *run, uint64_t seq);
void bt_pending_free(pending_journal *j);

#endif
