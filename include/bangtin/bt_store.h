/* The appliance's SQLite database: schema and migrations (PRAGMA user_version), the active
 * playlist, and screen proof of play. WAL mode; every write is a transaction. */
#ifndef BT_STORE_H
#define BT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bt_playlist.h"
#include "bt_proof.h"
#include "bt_time.h"

typedef struct bt_store bt_store;

#define BT_STORE_FILE "bangtin.db"

typedef struct {
    char id[64 + 1];
    int version;
    char title[400 + 1];
    char dir[1024 + 1];
    bt_wall activated_at;
} bt_store_playlist;

/* Opens (creating and migrating as needed) the database at path. On failure returns -1, *out is
 * NULL and err holds a message. */
int bt_store_open(const char *path, bt_store **out, char *err, size_t err_size);
void bt_store_close(bt_store *s); /* NULL is fine */
int bt_store_schema_version(bt_store *s);
/* Caps the connection's page cache at kib KiB (PRAGMA cache_size): for the running kiosk's
 * connections (BT_KIOSK_STORE_CACHE_KIB). 0, or -1 (nothing changed) when SQLite refuses. */
int bt_store_set_cache_kib(bt_store *s, int kib);

/* The database file at path (it must exist), read without writing anything: copied through a
 * read-only connection that creates no file into memory and opened there, so every store query
 * works while the file is never written, migrated or left with -wal/-shm files. quick_check
 * (may be NULL) receives PRAGMA quick_check's first line ("ok"). 0 with *out (bt_store_close),
 * or -1 with a Vietnamese err. */
int bt_store_open_snapshot(const char *path, bt_store **out, char *quick_check,
                           size_t quick_check_size, char *err, size_t err_size);

/* ---- when the store cannot be opened (src/store/rescue.c) -------------------------------- */
typedef enum {
    BT_STORE_FINE,          /* opens (or is new): nothing to say */
    BT_STORE_READONLY_DIR,  /* its folder cannot be written: a read-only disk, no permission */
    BT_STORE_DISK_FULL,     /* no free space left where it lives */
    BT_STORE_CORRUPT,       /* not a database, cut short, or quick_check fails */
    BT_STORE_NEWER,         /* made by a newer bangtin: left untouched */
    BT_STORE_UNREADABLE     /* the file cannot be read at all */
} bt_store_state;

/* What is wrong with the database file at path, without writing anything, and a Vietnamese
 * sentence for staff in problem ("" when fine). */
bt_store_state bt_store_diagnose(const char *path, char *problem, size_t size);
/* Moves a broken database aside (with its -wal and -shm) as path.hong-<YYYYmmdd-HHMMSS>, kept
 * for recovery, so a new one can start in its place. Deletes nothing. 0 with the new name in
 * moved, or -1. */
int bt_store_set_aside(const char *path, char *moved, size_t size);

/* The log's witness beside a database file (bangtin.db.head, see store_internal.h): 1 when it
 * names airing rows (their count in *rows), 0 when there is none or it names none, -1 when it
 * cannot be read. Lets a command say "the log was lost" where a store file is missing. */
int bt_store_witness_rows(const char *db_path, int64_t *rows);

/* Records that this playlist is now active (the previous one stays in history). */
int bt_store_activate_playlist(bt_store *s, const bt_store_playlist *p);
/* The same, and in the same transaction what playlist p brings to reports (its targets and
 * notices, as bt_targets_store_record), so no door leaves a playlist active without its targets:
 * `activate` and `run --playlist` use this, a stick's import and rollback bt_content_activate.
 * p may be NULL (nothing recorded). 0 / -1 (nothing changed). */
int bt_store_activate(bt_store *s, const bt_store_playlist *sp, const bt_playlist *p);
/* 1 and *out filled if a playlist is active, 0 if none, -1 on error. */
int bt_store_active_playlist(bt_store *s, bt_store_playlist *out);

/* Adds the rows' shows and seconds to the per (day, playlist, notice) totals, in one transaction.
 * Rows flagged clock_untrusted go to their own totals (bt_store_impressions_untrusted), never to
 * the ones reports and targets count. */
int bt_store_add_impressions(bt_store *s, const bt_proof_row *rows, size_t count);
/* Totals for one notice on one day (the trusted ones); 0 on success (zeros if no row), -1 on
 * error. */
int bt_store_impressions(bt_store *s, const char *playlist_id, const char *notice_id, bt_day day,
                         int64_t *shows, double *seconds);
/* Every flagged total (screen time shown while the clock could not be believed), ordered by day
 * with BT_PROOF_DAY_UNKNOWN first, then playlist and notice. *rows is malloc'd (caller frees);
 * 0, or -1 on error (*rows NULL). */
int bt_store_impressions_untrusted(bt_store *s, bt_proof_row **rows, size_t *count);

#endif
