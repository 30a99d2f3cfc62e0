/* The store's writer: a thread with its own connection that makes every write of the running
 * kiosk (airing log rows, clock events, screen impressions, what staff record on the panel) and
 * the reads that must see them,
 * in the order they were asked for, so the thread that draws the screen never waits on the disk.
 *
 * When the store refuses a log row (a full or read-only disk, an I/O error, a broken file), the
 * row is kept in a fallback journal (memory, and a file outside the failing store: the
 * service's runtime folder $RUNTIME_DIRECTORY, else beside the database; src/store/pending.h)
 * and every later row follows it there, so the log keeps its order; every few seconds the
 * writer tries the store again and writes the journal into it. A journal left by an earlier run
 * is written at open, before crash recovery, so a row that waited there is never turned into
 * "cut by a crash" or "appliance off". Until then the rows waiting count as the log for the
 * scheduler's history (bt_store_writer_airings), so nothing airs twice.
 *
 * A row asked for with must_store (the first row of a normal or priority session) is never
 * journaled: it is written into the store or refused, and the caller does not air.
 *
 * Threads: every function from the owner's thread (the kiosk's main thread), except that the
 * wake callback is called from the writer's thread. Results come back through
 * bt_store_writer_poll on the owner's thread. */
#ifndef BT_STORE_WRITER_H
#define BT_STORE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_airing.h"
#include "bt_proof.h"
#include "bt_store.h"
#include "bt_targets.h"
#include "bt_targets_store.h"
#include "bt_time.h"

/* How often a failing store is tried again. */
#define BT_STORE_WRITER_RETRY_MS 5000
#define BT_STORE_WRITER_PROBLEM_BYTES 320
/* Set to "1", the writer starts no thread and does each request when it is asked, on the
 * caller's thread: how the kiosk wrote before the writer existed, kept for the frame-time
 * benchmark's comparison (bench/frame_times.sh). Never set in production. */
#define BT_STORE_WRITER_INLINE_ENV "BANGTIN_WRITER_INLINE"

typedef struct bt_store_writer bt_store_writer;

typedef enum {
    BT_WRITE_STORED,     /* durable in the store */
    BT_WRITE_JOURNALED,  /* the store refused it: kept in the fallback journal */
    BT_WRITE_REFUSED     /* must_store and the store refused it: nothing written */
} bt_write_outcome;

typedef struct {
    uint64_t token;      /* the start row's token (bt_store_writer_begin) */
    bt_write_outcome outcome;
    char problem[BT_STORE_WRITER_PROBLEM_BYTES]; /* Vietnamese, when not stored */
} bt_write_result;

typedef void (*bt_write_done)(void *ctx, const bt_write_result *r);

typedef struct {
    const char *db_path;
    const char *journal_dir;   /* NULL or "": $RUNTIME_DIRECTORY if set, else the db's folder */
    void (*wake)(void *ctx);   /* a result waits: call bt_store_writer_poll soon. May be NULL. */
    void *wake_ctx;
} bt_store_writer_config;

/* Opens the writer's connection, writes a journal left by an earlier run into it and closes
 * airings a crash left open (bt_airing_recover), then starts the thread. 0, or -1 with err when
 * the store cannot be opened at all. */
int bt_store_writer_open(const bt_store_writer_config *cfg, bt_store_writer **out, char *err,
                         size_t err_size);
/* Writes what is queued (into the store, else the journal), stops the thread, runs the last
 * results' callbacks and closes. NULL is fine. */
void bt_store_writer_close(bt_store_writer *w);

/* Runs the callbacks of finished requests, in order. Returns how many. */
size_t bt_store_writer_poll(bt_store_writer *w);
/* Waits until every request so far is done (its callback not yet run: poll). 0, or -1 when
 * timeout_ms passed first. For shutdown and tests. */
int bt_store_writer_flush(bt_store_writer *w, int timeout_ms);

/* An airing's start row. Returns its token (never 0) for bt_store_writer_end, or 0 when out of
 * memory. done (may be NULL) gets the outcome. */
uint64_t bt_store_writer_begin(bt_store_writer *w, const bt_airing_subject *subject,
                               int64_t started_at_ms, bool clock_trusted, bool must_store,
                               bt_write_done done, void *ctx);
/* The end row of the airing begun with token. 0 / -1 (out of memory, unknown token). */
int bt_store_writer_end(bt_store_writer *w, uint64_t token, bt_airing_status status,
                        const char *reason, int64_t ended_at_ms, int64_t duration_ms,
                        bool clock_trusted);
/* A whole row for an airing that never started (bt_airing_record). */
int bt_store_writer_record(bt_store_writer *w, const bt_airing_subject *subject,
                           bt_airing_status status, const char *reason, bool clock_trusted);
int bt_store_writer_clock_event(bt_store_writer *w, const bt_clock_event *ev);
/* Adds screen impressions (bt_store_add_impressions); kept in memory while the store refuses. */
int bt_store_writer_impressions(bt_store_writer *w, const bt_proof_row *rows, size_t count);

/* run(store, arg) on the writer's thread after every earlier request; then done(arg) on the
 * owner's thread at a poll. The store is NULL-free; run must not keep it. */
int bt_store_writer_query(bt_store_writer *w, void (*run)(bt_store *s, void *arg),
                          void (*done)(void *arg), void *arg);

/* The airing rows whose slot lies in [from, to) as the log will hold them: the store's, then
 * those waiting in the journal (ids 0 for rows not yet stored), for the scheduler's history.
 * done(ctx, rows, count, ok) on the owner's thread; rows are freed after it returns. */
typedef void (*bt_airings_done)(void *ctx, const bt_airing_row *rows, size_t count, bool ok);
int bt_store_writer_airings(bt_store_writer *w, bt_wall from, bt_wall to, bt_airings_done done,
                            void *ctx);

/* ---- the staff panel's records (bt_records_store.h) ---- */

/* The latest entries a staff write hands back (bt_records_store_recent). */
#define BT_STORE_WRITER_RECENT 5

/* An entry staff made on the panel ("Ghi nhận kênh khác"), or the undoing of one. */
typedef struct {
    bool undo;
    int64_t entry;                 /* undo: the entry's row (bt_record_row.id) */
    bt_target_channel channel;     /* an entry: a recorded channel, its day and count */
    bt_day day;
    int count;                     /* 1..BT_MAX_RECORD_COUNT */
    const char *topic;             /* NULL = none; copied */
    const char *note;              /* NULL = none; copied */
    bt_wall at;                    /* when staff pressed OK */
} bt_staff_request;

typedef struct {
    /* STORED: on the disk. JOURNALED: the store refused it; it waits in the fallback journal
     * (in_memory_only: the journal file could not take it either) and is written when the store
     * takes writes again. REFUSED: an undo with nothing to undo, or out of memory; problem says
     * why. */
    bt_write_outcome outcome;
    bool in_memory_only;
    bool undone_before;            /* an undo found the entry undone already: nothing written */
    char problem[BT_STORE_WRITER_PROBLEM_BYTES]; /* Vietnamese, when not stored */
    /* The latest entries standing after it, newest first, less those a journaled undo takes
     * back; recent_ok false when the store could not be read. */
    bt_record_row recent[BT_STORE_WRITER_RECENT];
    size_t recent_count;
    bool recent_ok;
} bt_staff_result;

typedef void (*bt_staff_done)(void *ctx, const bt_staff_result *r);

/* Writes q after every earlier request, into the store or else the journal, like a log row;
 * done(ctx, result) on the owner's thread at a poll. An entry carries a key of its own, so a
 * journal drained twice, or a commit reported failed that reached the disk, writes it once.
 * 0, or -1 when out of memory (done is not called). */
int bt_store_writer_staff(bt_store_writer *w, const bt_staff_request *q, bt_staff_done done,
                          void *ctx);

typedef struct {
    bool failing;          /* the last write was refused */
    size_t waiting;        /* log rows in the fallback journal */
    size_t waiting_in_memory; /* of which the journal file could not take */
    char problem[BT_STORE_WRITER_PROBLEM_BYTES]; /* why, in Vietnamese ("" when fine) */
    char journal_path[BT_MAX_PATH_BYTES + 32];
} bt_store_writer_state;

void bt_store_writer_state_get(bt_store_writer *w, bt_store_writer_state *out);

/* Where the fallback journal of the database at db_path lives (for `bangtin status`). */
void bt_store_writer_journal_path(const char *db_path, const char *journal_dir, char *out,
                                  size_t size);
/* Rows waiting in the journal file at path (0 when there is none). */
size_t bt_store_writer_journal_rows(const char *path);

#endif
