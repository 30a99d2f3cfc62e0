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
/* One row of the CSV or one entry on the panel counts a few tin/bài (a month's posts at most);
 * three digits hold any honest figure and catch a date typed into the count. */
#define BT_MAX_RECORD_COUNT 999

/* The records file staff may put in the playlist folder beside playlist.cfg: one row per
 * ngày;kênh;số lượng;ghi chú, as a Vietnamese-locale Excel saves it (records_csv.c). */
#define BT_RECORDS_CSV_FILE "ghi-nhan.csv"
/* A year of rows is a few hundred lines; 1 MB is far beyond any honest file. */
#define BT_MAX_RECORDS_CSV_BYTES (1024 * 1024)
/* The content key of a CSV row: "csv:" and a SHA-256 in hex. */
#define BT_RECORD_KEY_BYTES 72

/* Where a record came from: the playlist's records list, its ghi-nhan.csv, or the staff panel
 * of the appliance (the store's staff_records.source). */
typedef enum {
    BT_RECORD_FROM_PLAYLIST = 0,
    BT_RECORD_FROM_CSV = 1,
    BT_RECORD_FROM_PANEL = 2
} bt_record_source;

typedef struct {
    bt_day day;                /* when it was posted or held */
    bt_target_channel channel; /* a recorded channel (bt_target_channel_recorded) */
    char *title;               /* owned NFC; never NULL for a playlist's record, NULL for a
                                * CSV row (its note says what it was) */
    char *topic;               /* owned "cchc" or "cchc, dich-vu-cong"; NULL = none */
    char *link;                /* owned http(s) address; NULL = none */
    char *note;                /* owned NFC; NULL = none */
    int line;                  /* line in playlist.cfg or ghi-nhan.csv (0 when read back) */
    int count;                 /* tin/bài it stands for: 1 for a playlist's record */
    bt_record_source source;
    char *key;                 /* owned; a CSV row's content key (bt_records_csv_parse), the
                                * store's guard against importing it twice; NULL otherwise */
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

/* Reads ghi-nhan.csv (text[0..len), as read from the file named `file`) and appends its rows to
 * *out as BT_RECORD_FROM_CSV records. UTF-8 with or without a BOM; `;` or `,` between fields
 * (the first line decides; a field may be in double quotes, as Excel writes one holding the
 * separator); an optional header line; CRLF or LF; empty lines skipped. Each row: a date
 * (dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd), a recorded channel (its code "city-page" or its words
 * "Trang thành phố", "trang phường", "hội nghị", "Zalo", "khác", with or without diacritics), a
 * count 1..BT_MAX_RECORD_COUNT and an optional note. A row's topic is the topics of the targets
 * on its channel (targets may be NULL: none), so it counts toward them as the panel's entries do.
 * Its key is the SHA-256 of its date, channel, count and note and of how many identical rows came
 * before it in the file: the same file imported again adds nothing, a row added to it adds one.
 * EVERY bad row is reported (file, line, what to fix); then -1 and *out is as it was. 0 / -1. */
int bt_records_csv_parse(const char *text, size_t len, const char *file,
                         const bt_targets *targets, bt_records *out, bt_diags *d);

/* The topics of the targets on `channel`, joined as a topic list ("cchc, dich-vu-cong") into buf;
 * "" when none names one. Returns buf. */
const char *bt_records_channel_topics(const bt_targets *targets, bt_target_channel channel,
                                      char *buf, size_t size);

/* The recorded channel a person named: its code or its words, case and diacritics ignored
 * ("Trang thông tin CCHC của Thành phố", "trang phuong", "Hội nghị", "zalo", "khác"). 0, or -1
 * (*loud true: the words name the loudspeaker or the screen, which the machine logs itself). */
int bt_records_channel_from_words(const char *words, bt_target_channel *out, bool *loud);

/* A stable text dump (golden tests, `bangtin check --dump`); malloc'd, NULL on OOM. */
char *bt_records_dump(const bt_records *r);

#endif
