/* The app's side of a USB import (src/app/stick_reports.c, src/app/kiosk_usb.c): the reports
 * that go back onto the stick with every import, and the kiosk's stick watcher, which imports on
 * a worker thread while the screen and the loudspeaker keep running. */
#ifndef BT_APP_USB_H
#define BT_APP_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_app.h"
#include "bt_panel.h"
#include "bt_panel_state.h"
#include "bt_store.h"
#include "bt_time.h"
#include "bt_usb.h"

/* Files one import writes beside the receipt: two quarters × CSV, XLSX, HTML, DOCX. */
#define BT_STICK_REPORT_FILES 8

/* Writes the reports of the current and the previous quarter (of `now`) in CSV, XLSX, HTML and
 * DOCX
 * into the stick's results folder beside package_dir (bt_usb_results_open: never through a
 * symlink), each atomically (bt_usb_write_atomic). The airing log's hash chain is checked once
 * for all eight. The store is the caller's connection (any thread, one connection per thread).
 * Returns the number of files written; on any failure -1 and a Vietnamese sentence in note
 * ("Không ghi được báo cáo lên USB: USB đang ở chế độ chỉ đọc."), the files already written
 * stay. `bangtin import` and the kiosk both call it after bt_usb_import, whatever the import's
 * outcome, unless the package path did not exist (bt_usb_result.package_missing). */
int bt_app_write_stick_reports(const bt_app *app, bt_store *store, const char *package_dir,
                               bt_wall now, char *note, size_t note_size);

/* The share of the whole import a progress report stands for, 0..100 (copy weighs most). */
int bt_kiosk_usb_percent(const bt_usb_progress *p);

/* The import's answer for how a stick's approval ended on the panel (bt_panel_state.h). */
bt_usb_approval bt_kiosk_usb_approval_of(bt_approval_status st);

/* ---- the kiosk's stick watcher ------------------------------------------------------------- */

typedef struct bt_kiosk_usb bt_kiosk_usb;

/* How long the result stays on screen. */
#define BT_KIOSK_USB_RESULT_MS 20000

typedef enum {
    BT_KIOSK_USB_IDLE,       /* nothing to show */
    BT_KIOSK_USB_IMPORTING,  /* progress bar */
    BT_KIOSK_USB_ASKING,     /* a stick without a trusted signature waits for staff's PIN
                              * (bt_kiosk_usb_question) */
    BT_KIOSK_USB_RESULT      /* the result text, for BT_KIOSK_USB_RESULT_MS */
} bt_kiosk_usb_phase;

typedef struct {
    bt_kiosk_usb_phase phase;
    int percent;             /* IMPORTING: 0..100 */
    const char *text;        /* RESULT: the whole message (borrowed until the next tick) */
    bool ok;                 /* RESULT: the package is the active playlist now */
} bt_kiosk_usb_view;

/* wake: called from the worker thread when the main loop should tick (e.g. push an SDL event).
 * app must outlive the watcher. 0 / -1. */
int bt_kiosk_usb_create(const bt_app *app, void (*wake)(void *ctx), void *wake_ctx,
                        bt_kiosk_usb **out);
/* Cancels an import under way (the old playlist stays) and joins the worker. NULL is fine. */
void bt_kiosk_usb_destroy(bt_kiosk_usb *u);
/* One turn of the main loop at monotonic time mono_ms: polls the mount roots every
 * BT_USB_POLL_MS, starts an import on a worker thread when a new bangtin/ folder appears,
 * picks up progress and the result. *changed: the overlay must be redrawn; *activated: a new
 * playlist became active (reload it from the store). Returns ms until it wants the next turn. */
int bt_kiosk_usb_tick(bt_kiosk_usb *u, int64_t mono_ms, bool *changed, bool *activated);
void bt_kiosk_usb_view_get(const bt_kiosk_usb *u, bt_kiosk_usb_view *out);
/* The stick waiting for staff's answer (usb.unsigned = "pin"): what it would load, or NULL.
 * Valid until bt_kiosk_usb_answer. */
const bt_usb_preview *bt_kiosk_usb_question(const bt_kiosk_usb *u);
/* Staff's answer to the question (at: when it was given); the import goes on or stops. */
void bt_kiosk_usb_answer(bt_kiosk_usb *u, bt_usb_approval answer, bt_wall at);
/* The approval screen's content (bt_panel.h) for the question, as the state machine s stands at
 * now_ms. */
void bt_kiosk_usb_approval_view(const bt_usb_preview *q, const bt_panel_state *s, int64_t now_ms,
                                bt_panel_approval_view *out);

/* The last import in this process: true and its time and first line (headline). */
bool bt_kiosk_usb_last(const bt_kiosk_usb *u, bt_wall *at, char *headline, size_t size);

#endif
