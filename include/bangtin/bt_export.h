/* Signed exports for the city (issue 16, docs/export.md): a small SQLite database holding a
 * contiguous piece of both hash chains (airing and clock events, rows exactly as stored), the
 * screen impressions, the targets in force and the playlist labels of a period, with the chains'
 * heads and the device's id and public key, and beside it FILE.sig, a detached Ed25519
 * signature of its bytes by the device key (bt_device_key.h). The city's `bangtin-fleet ingest`
 * checks both and that the piece continues what it already holds. */
#ifndef BT_EXPORT_H
#define BT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

/* The container's name and version, in its meta table and PRAGMA user_version. */
#define BT_EXPORT_FORMAT "bangtin-export"
#define BT_EXPORT_VERSION 3 /* 2: staff_records; 3: impressions' video_whole, video_cut */
/* "bangtin" in ASCII, as PRAGMA application_id, so `file` and a reader can tell it apart. */
#define BT_EXPORT_APPLICATION_ID 0x62616E67
/* Beside the store: which rows the last export carried, and the last export's number. */
#define BT_EXPORT_STATE_SUFFIX ".export"
/* An export a reader accepts: five years of a busy ward are ~50 MB; more is not ours. */
#define BT_EXPORT_MAX_BYTES (256L * 1024 * 1024)

typedef struct {
    /* true: every row after the previous such export (the stick's write-back, `bangtin export`
     * without dates); false: the rows logged on the days first..last (a re-export for the city). */
    bool since_last;
    bt_day first, last;
    const char *ward;   /* the ward's name, for the city's reader; may be NULL */
    bt_wall now;
} bt_export_request;

typedef struct {
    int64_t export_no;                    /* 1, 2, 3 … per device */
    int64_t airing_first, airing_last;    /* the piece of the airing chain (0, 0: none) */
    int64_t clock_first, clock_last;
    int64_t airing_head;                  /* the chain's last row when exported */
    size_t impression_rows;
    uint64_t bytes;
} bt_export_summary;

/* Builds the export database at path (replaced if there) from the store. With since_last, the
 * piece starts after the rows the last completed since-last export carried (the whole log the
 * first time); impressions from that export's day on (a day's totals grow until it ends).
 * Reserves the next export number. 0 / -1 with err. */
int bt_export_build(bt_store *s, const bt_device_key *k, const bt_export_request *req,
                    const char *path, bt_export_summary *sum, char *err, size_t err_size);
/* After a since-last export was written where it goes: the next one starts after it. */
int bt_export_mark_sent(bt_store *s, const bt_export_request *req, const bt_export_summary *sum,
                        char *err, size_t err_size);
/* The whole job for `bangtin export -o FILE`: builds FILE (through a temporary beside it), signs
 * its bytes into FILE.sig, and with since_last marks it sent. 0 / -1 with err. */
int bt_export_write_file(bt_store *s, const bt_device_key *k, const bt_export_request *req,
                         const char *path, bt_export_summary *sum, char *err, size_t err_size);

/* A file read whole (an export, at most BT_EXPORT_MAX_BYTES, or its signature); malloc'd. */
int bt_export_read_file(const char *path, size_t max, char **data, size_t *len, char *err,
                        size_t err_size);

/* What an export says about itself, read back (the city's side). */
typedef struct {
    int version;
    char device_id[BT_DEVICE_ID_SIZE];
    unsigned char public_key[32];
    char ward[BT_MAX_TITLE_BYTES + 1];
    int64_t export_no;
    int64_t created_at;
    int64_t airing_first, airing_last, airing_head;
    char airing_head_hash[65];
    char airing_prev_hash[65];            /* what the piece's first row links to */
    int64_t clock_first, clock_last, clock_head;
    char clock_head_hash[65];
    char clock_prev_hash[65];
    char range_first[11], range_last[11]; /* "YYYY-MM-DD", or "" for a since-last export */
} bt_export_meta;

/* Opens the export at path read-only, reads its meta and checks both chains inside it (each
 * row's hash and link; the heads it names against its last rows): 0 intact, 1 problems in
 * *check (rows named), -1 with err (not an export, a newer version, unreadable). */
int bt_export_inspect(const char *path, bt_export_meta *meta, bt_airing_verify_result *check,
                      char *err, size_t err_size);

#endif
