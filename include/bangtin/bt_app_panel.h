/* The staff panel's content, gathered by the app from the store (src/app/kiosk_panel.c) and
 * handed to the ui as plain text (bt_panel_info), and the public results notice's text. */
#ifndef BT_APP_PANEL_H
#define BT_APP_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_app.h"
#include "bt_panel.h"
#include "bt_panel_state.h"
#include "bt_playlist.h"
#include "bt_report.h"
#include "bt_results_notice.h"
#include "bt_store.h"
#include "bt_store_writer.h"
#include "bt_targets_store.h"
#include "bt_time.h"

/* U+00A0 NO-BREAK SPACE: keeps a phrase on one line where the panel wraps its text. */
#define BT_NBSP "\xc2\xa0"
/* The open panel's footer (printf: the close button's label, the timeout in seconds). Both ways
 * to close are said: a touch screen has no Esc, a keyboard user may not see a button; and the
 * remote's way to "Đặt ngày giờ" and "Ghi nhận kênh khác", whose buttons a remote cannot press. The clauses do not break,
 * so a narrow panel wraps after a "·". */
#define BT_APP_PANEL_FOOTER                                                                      \
    "Chạm «%s» hoặc nhấn Esc để đóng · OK" BT_NBSP "hoặc" BT_NBSP "Enter:" BT_NBSP "đặt"         \
    BT_NBSP "ngày" BT_NBSP "giờ · Tab:" BT_NBSP "đã" BT_NBSP "chiếu · 1:" BT_NBSP "ghi"          \
    BT_NBSP "nhận" BT_NBSP "kênh" BT_NBSP "khác · tự" BT_NBSP "đóng"                             \
    BT_NBSP "sau" BT_NBSP "%d" BT_NBSP "giây" BT_NBSP "không" BT_NBSP "thao" BT_NBSP "tác"

/* The proof-of-play page's footer (printf: the timeout in seconds). */
#define BT_APP_PANEL_PROOF_FOOTER                                                                \
    "Chạm «" BT_PANEL_PROOF_BACK_LABEL "» hoặc nhấn Esc để về bảng theo dõi · tự" BT_NBSP "đóng" \
    BT_NBSP "sau" BT_NBSP "%d" BT_NBSP "giây" BT_NBSP "không" BT_NBSP "thao" BT_NBSP "tác"
/* How far back "lần cuối" looks: a quarter and a little, the longest period a ward reports on. */
#define BT_APP_PANEL_PROOF_DAYS 93

/* Sessions the panel looks at ahead for "at risk": the longest period is a year, and a ward airs
 * a few sessions a day (the same bound as `bangtin report`). */
#define BT_APP_PANEL_UPCOMING_SLOT_CAP (366 * 24)
/* 1 GB as the panel says it: decimal, like the size printed on an SD card. */
#define BT_APP_PANEL_BYTES_PER_GB 1e9

/* Fills *out for the moment `now`: this period's target progress (bt_report_progress_today),
 * the last airings, what was missed this quarter, the active playlist, free space of the data
 * directory, and the last import — `last_import` when the caller knows one from this process
 * (e.g. "24/11/2025 09:05 — Đã nạp …"), else the content store's active playlist. 0, or -1 if
 * the store could not be read (the panel then says so in its lines). */
int bt_app_panel_info(const bt_app *app, bt_store *store, bt_wall now, const char *last_import,
                      bt_panel_info *out);
/* The same, for a caller that also wants the active playlist's upcoming slots itself (`bangtin
 * status`): `upcoming` is what bt_report_upcoming_find filled, looking
 * BT_APP_PANEL_UPCOMING_SLOT_CAP slots ahead; bt_app_panel_info is this after that lookup. */
int bt_app_panel_info_upcoming(const bt_app *app, bt_store *store, bt_wall now,
                               const char *last_import, const bt_report_options *upcoming,
                               bt_panel_info *out);

/* Free space of the file system holding dir (what an unprivileged user may still write) and its
 * size, in bytes: the panel's disk line, `bangtin doctor` and `bangtin status`. 0, or -1 (both 0)
 * when it cannot be read. */
int bt_app_disk_space(const char *dir, uint64_t *free_bytes, uint64_t *total_bytes);
/* "Còn trống 12,3 GB trên 29,1 GB (42 %)" (decimal GB, decimal comma); returns buf. */
const char *bt_app_disk_text(uint64_t free_bytes, uint64_t total_bytes, char *buf, size_t size);

/* Window point (wx, wy) as a point of the content (content_w × content_h, what the overlays are
 * laid out in). rotated: the content is presented turned 90° clockwise in the window (the kiosk's
 * portrait-on-landscape output). Scales when the window's size differs from the content's. */
void bt_app_panel_window_to_content(int win_w, int win_h, int content_w, int content_h,
                                    bool rotated, double wx, double wy, int *cx, int *cy);
/* On the PIN entry, the clock page or the open panel: a mouse button or finger going down on a
 * key of the last overlay `overlay` drew (bt_panel_key_at) becomes that key's input — a digit,
 * Xoá (backspace), OK or the panel's Đặt ngày giờ (Enter), Huỷ or the panel's Đóng (both Esc) —
 * in *in and *digit, and returns true. Anything
 * else: false, *in untouched. Mouse events SDL makes up from touches are skipped (the finger
 * event says it). */
bool bt_app_panel_keypad(const bt_panel *overlay, SDL_Window *window, bool rotated,
                         const SDL_Event *ev, bt_panel_input *in, int *digit);

/* What the clock page ("Đặt ngày giờ") shows: the digits typed as dd/mm/yyyy hh:mm, what the
 * clock says at `now` (now_trusted false: that it cannot be believed), and a message: `answer`
 * (the app's to the last OK, from bt_clock_set_from_panel) once the state machine has one, else
 * why OK did nothing. */
void bt_app_panel_clock_view(const bt_panel_state *s, bt_wall now, bool now_trusted,
                             const char *answer, bt_panel_clock_view *out);


/* ---- "Ghi nhận kênh khác" (panel_records.c) ---- */

/* The records page's latest entries, as the store lists them (bt_records_store_recent). */
typedef struct {
    bt_record_row rows[BT_PANEL_RECORD_RECENT];
    size_t count;
} bt_app_panel_recent;

/* What the kiosk keeps for the records page: its latest entries, the answer to its last write,
 * and the write under way (the store's writer does it: bt_store_writer_staff). */
typedef struct {
    bt_app_panel_recent recent;
    char answer[BT_PANEL_LINE_BYTES];
    bool answered;                   /* an answer came: the page is to be drawn again */
    bt_panel_state *state;           /* the panel the answer goes to */
    bool undo;                       /* the write under way: */
    char line[BT_PANEL_LINE_BYTES];  /* the entry it undoes, as the page listed it */
    bt_day day;
    int count;
    bt_target_channel channel;
} bt_app_panel_records;

/* Sets what the records page offers as of `now` — the channels of p's targets first (p NULL: none
 * playing), today, the latest entries from the store into *recent — on the state machine. */
void bt_app_panel_records_options(bt_panel_state *s, bt_store *store, const bt_playlist *p,
                                  bt_wall now, bt_app_panel_recent *recent);
/* Hands what the records page asked, if it asked (bt_panel_records_take), to the store's writer
 * w: an entry with the topics of p's targets on its channel, or the undoing of entry
 * pr->recent.rows[i]. The answer comes at a later bt_store_writer_poll: how it went in
 * pr->answer (Vietnamese, for the page and the journal) and on the state machine s, the latest
 * entries again in pr->recent, pr->answered set. The drawing thread never waits for the disk;
 * a store that refuses keeps the write in the writer's journal. w NULL (no store): the answer
 * says so at once. True when there was something to do. */
bool bt_app_panel_records_write(bt_app_panel_records *pr, bt_panel_state *s, bt_store_writer *w,
                                const bt_playlist *p, bt_wall now);
/* What the records page shows for the state s, the latest entries and the last answer. */
void bt_app_panel_records_view(const bt_panel_state *s, const bt_app_panel_recent *recent,
                               const char *answer, bt_panel_records_view *out);

/* "Màn hình đã chiếu" (issue 14): for each notice of p (the playing playlist; NULL = none), what
 * the screen showed of it today and this month and the last day it was shown, from the
 * impressions kept in the store (flushed by the kiosk every minute), as of `now`.
 * timeout_seconds goes into the footer. 0, or -1 when the store could not be read (the page
 * then says so). */
int bt_app_panel_proof(bt_store *store, const bt_playlist *p, bt_wall now, int timeout_seconds,
                       bt_panel_proof_view *out);

#endif
