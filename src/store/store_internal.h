/* Private to the store room: what the store's modules (airing.c …) share beyond bt_store.h. */
#ifndef BT_STORE_INTERNAL_H
#define BT_STORE_INTERNAL_H

#include <stdbool.h>

#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_vi.h"

/* What went wrong on db, in Vietnamese (bt_vi_sqlite of its extended code; db NULL means out of
 * memory, as SQLite says), for every message a person may read. SQLite's own text is English:
 * it goes to the journal at debug level only, for IT. Use .text within the same expression. */
bt_vi_text bt_store_error(sqlite3 *db);

/* The connection of an open store (owned by it). */
sqlite3 *bt_store_sqlite(bt_store *s);

/* Runs SQL that returns no rows; on failure logs "Lỗi cơ sở dữ liệu khi <what>: …" and
 * returns -1. */
int bt_store_exec(sqlite3 *db, const char *sql, const char *what);
/* The extended result code of the last failed write on this thread (bt_store_exec and the log's
 * appends note it), so the writer can say why the store refuses after the rollback that
 * followed has reset the connection's own code. */
void bt_store_note_failure(sqlite3 *db);
int bt_store_last_failure(void);
/* BANGTIN_TEST_FAULT=slow-sync:MS makes every SQLite sync MS ms slower (slow_sync.c), for the
 * frame-time benchmark. Called once, by the first bt_store_open; does nothing otherwise. */
void bt_store_test_faults(void);

/* A write transaction whose commit waits for the disk: synchronous=FULL (read back to be sure;
 * *saved is the level to restore with bt_store_set_synchronous after COMMIT or ROLLBACK), then
 * BEGIN IMMEDIATE. A connection that cannot be switched writes nothing and logs "Không <what>":
 * what follows such a commit (a log row reported written, staff told to pull the stick, files
 * deleted) assumes it survives a power cut. 0 / -1. */
int bt_store_durable_begin(sqlite3 *db, int *saved, const char *what);
int bt_store_set_synchronous(sqlite3 *db, int level);

/* Inside the caller's transaction: what playlist p brings to reports as of `since` (its
 * targets and notices; see bt_targets_store_record). Every activation door records them in the
 * transaction that makes the playlist active (bt_store_activate, bt_content_activate). */
int bt_targets_record_in(sqlite3 *db, const bt_playlist *p, const bt_targets *targets,
                         bt_wall since);

/* Inside the caller's transaction: p's staff records into staff_records, each added or, when
 * its channel, day and title are there already, its topic, link and note updated (unless it
 * comes from an older version of the playlist that brought it). 0 / -1. */
int bt_records_store_in(sqlite3 *db, const bt_playlist *p);

/* Screen impressions (bt_proof_row, video plays included): of `impressions` between the days
 * first and last, or every row of `impressions_untrusted` (flagged, days ignored). *rows
 * malloc'd (caller frees). 0, or -1 logged. */
int bt_store_read_impressions(sqlite3 *db, bool untrusted, bt_day first, bt_day last,
                              bt_proof_row **rows, size_t *count);

/* The folder part of path into dir ("." when it names none). */
void bt_store_folder_of(const char *path, char *dir, size_t size);

/* Small text files beside the database (small_file.c). read: the file's first size-1 bytes into
 * text, NUL-terminated; 1 read, 0 absent (text empty), -1 unreadable. write: a temporary file,
 * synced, renamed over path, the folder synced: after a power cut path holds the old text or
 * the new one, whole. 0 / -1. */
int bt_store_small_file_read(const char *path, char *text, size_t size);
int bt_store_small_file_write(const char *path, const char *text, size_t len);

/* ---- reading without writing (snapshot.c) -------------------------------------------------- */
/* "file:" + a path with every byte percent-encoded + the query. */
#define BT_STORE_URI_BYTES (BT_MAX_PATH_BYTES * 3 + 64)
/* A read-only URI for the database at path that makes SQLite create no file (immutable when
 * the store was closed cleanly, so no -wal/-shm appear). 0, or -1 if it does not fit. */
int bt_store_readonly_uri(const char *path, char *uri, size_t size);
/* A read-only connection through that URI (close with sqlite3_close). 0, or -1 with err. */
int bt_store_open_readonly_raw(const char *path, sqlite3 **out, char *err, size_t err_size);
/* PRAGMA quick_check's first line into out: "ok" when the file is sound, else the complaint. */
void bt_store_quick_check(sqlite3 *db, char *out, size_t size);

/* ---- the log's witness (witness.c) ---------------------------------------------------------
 * The heads of both log chains kept also outside the database, in a small file beside it
 * (bangtin.db.head), so that the loss of the database itself (emptied, truncated, replaced by
 * an older copy) shows: its head inside the same file would vanish with it. */
/* Both chains of a piece of log in db (an export's airing_events and clock_events, same columns
 * as the store's): every row's hash and its link to the row before it, from the piece's first
 * row on (whose own link is the caller's to check). 0 intact, 1 problems in *out, -1 unreadable. */
int bt_airing_verify_piece(sqlite3 *db, bt_airing_verify_result *out);

#define BT_WITNESS_SUFFIX ".head"
/* An earlier witness whose rows the database no longer holds is kept as
 * bangtin.db.head.lost-<unix time>: the evidence that a log was lost outlives new writes. */
#define BT_WITNESS_LOST_INFIX ".head.lost-"

typedef struct {
    int64_t seq;       /* 0: the chain was empty */
    char hash[64 + 1];
} bt_witness_head;

typedef struct {
    bt_witness_head airing, clock;  /* airing_events, clock_events */
    int64_t written_at;             /* unix seconds */
} bt_witness;

/* The witness file of db's main database into buf; -1 for an in-memory database. */
int bt_witness_path(sqlite3 *db, char *buf, size_t size);
/* 1 and *out, 0 when there is no such file, -1 when it cannot be read or is garbled. */
int bt_witness_read(const char *path, bt_witness *out);
/* 1 if the chain `table` holds row h->seq with hash h->hash (always for seq 0), 0 if not, -1 on
 * a database error. */
int bt_witness_in_db(sqlite3 *db, const char *table, const bt_witness_head *h);
/* After a committed log write: rewrites the witness from the database's heads (under a lock, so
 * the last writer of several connections or processes leaves the newest heads). A previous
 * witness the database does not hold is first set aside (BT_WITNESS_LOST_INFIX). Failures are
 * logged: the row itself is already durable. */
void bt_witness_update(sqlite3 *db);
/* Calls fn for each witness set aside beside the witness at path (BT_WITNESS_LOST_INFIX) that
 * can be read, with its file name and what it names. */
void bt_witness_each_lost(const char *path,
                          void (*fn)(void *ctx, const char *file, const bt_witness *w), void *ctx);

#endif
