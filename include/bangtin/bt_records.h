/* What staff did on the channels the appliance cannot observe: a tin/bài posted on the City's
 * CCHC page or the ward website, a conference that carried CCHC content, a post in the Zalo
 * group. The culture department's plan counts those too, so staff write them in the playlist's
 * `records` list; they are imported with the playlist and kept in the store for good (a later
 * playlist need not carry them again), and the targets of those channels count them.
 *
 * playlist.cfg:
 *   records = (
 *     { date = "15/08/2025"; channel = "city-page"; title = "Phường Bạch Mai triển khai ...";
 *       topic = "cchc"; link = "https://..."; note = "Phòng VH-XH gửi"; }
 *   );
 * date, channel and title are required; topic (one or a list, like an item's), link (http or
 * https) and note are optional. A record is known by its channel, date and title: the same
 * three on a later stick are the same record (its topic, link and note are updated), never a
 * second one.
 *
 * Pure (core room): validation of the parsed tree, no files, no clock. */
#ifndef BT_RECORDS_H
#define BT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_diag.h"
#include "bt_targets.h"
#include "bt_time.h"
#include "bt_tree.h"

/* A playlist carries at most this many records: a ward posts a few a month, and a stick that
 * brings the whole year again stays far below it. */
#define BT_MAX_RECORDS 2000
/* A note is a line or two for the department ("Phòng VH-XH gửi ngày 14/08"). */
#define BT_MAX_RECORD_NOTE_BYTES 1000

typedef struct {
    bt_day day;                /* when it was posted or held */
    bt_target_channel channel; /* a recorded channel (bt_target_channel_recorded) */
    char *title;               /* owned NFC, never NULL once parsed */
    char *topic;               /* owned "cchc" or "cchc, dich-vu-cong"; NULL = none */
    char *link;                /* owned http(s) address; NULL = none */
    char *note;                /* owned NFC; NULL = none */
    int line;                  /* line in playlist.cfg (0 when read back from the store) */
} bt_record;

typedef struct {
    bt_record *items;          /* owned */
    size_t count;
} bt_records;

void bt_records_init(bt_records *r);
void bt_records_free(bt_records *r);

/* Validates the `records = ( ... );` list of playlist.cfg, reporting EVERY problem with file,
 * line and a Vietnamese message saying how to fix it. keep: *out holds what validated also when
 * there were errors (check). 0, or -1 on errors (then *out is empty unless keep). `group` NULL:
 * no records, 0. */
int bt_records_validate(const bt_node *group, const char *file, bool keep, bt_records *out,
                        bt_diags *d);

/* The records as targets count them (strings borrow from r). out has room for r->count. */
void bt_records_as_inputs(const bt_records *r, bt_target_record *out);

/* A stable text dump (golden tests, `bangtin check --dump`); malloc'd, NULL on OOM. */
char *bt_records_dump(const bt_records *r);

#endif
