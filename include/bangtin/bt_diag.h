/* User-facing errors are data: a validation problem is a record (file, line, message in
 * Vietnamese) handed back to the caller. The shell decides whether to print it, show it on
 * screen or write it to the USB stick. */
#ifndef BT_DIAG_H
#define BT_DIAG_H

#include <stddef.h>

#include "bt_limits.h"

typedef enum { BT_DIAG_ERROR = 0, BT_DIAG_WARNING = 1 } bt_diag_severity;

/* Room for a diagnostic's code: a short ASCII word naming the kind of check that found it
 * ("syntax", "playlist", "glyph", "audio", "ward-limits", "layout"…), for tools reading
 * `bangtin check --json`. Staff never see it. */
#define BT_DIAG_CODE_BYTES 24

typedef struct {
    bt_diag_severity severity;
    char file[BT_MAX_PATH_BYTES]; /* as the staff member knows it, e.g. "playlist.cfg" */
    int line;                     /* 1-based; 0 when the problem is not tied to a line */
    char message[BT_MAX_DIAG_MESSAGE]; /* Vietnamese, says what to fix */
    char code[BT_DIAG_CODE_BYTES];     /* kind of check, "" when none was set (bt_diags_set_code) */
} bt_diag;

typedef struct {
    bt_diag *items; /* owned; free with bt_diags_free */
    size_t count, capacity;
    size_t errors, warnings;
    size_t dropped; /* beyond BT_MAX_DIAGS */
    const char *code; /* stamped on every record added from now on; NULL = none. Not owned:
                       * a string literal (bt_diags_set_code) */
} bt_diags;

void bt_diags_init(bt_diags *d);
void bt_diags_free(bt_diags *d);
/* Appends a diagnostic; printf-style message. Never fails: past BT_MAX_DIAGS it counts drops. */
void bt_diags_add(bt_diags *d, bt_diag_severity sev, const char *file, int line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The code stamped on the records added from now on (a string literal, or NULL for none);
 * returns the previous one so a check can put it back when it is done. */
const char *bt_diags_set_code(bt_diags *d, const char *code);
/* "playlist.cfg:12: lỗi: ..." / "playlist.cfg:12: cảnh báo: ..." into buf; returns buf. */
const char *bt_diag_format(const bt_diag *diag, char *buf, size_t size);
/* Writes a printf-style message into a caller's (err, size) buffer, the convention of every
 * function here that fails with a reason; NULL or size 0 is fine. */
void bt_set_error(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sorts by file then line, keeping insertion order among equals (stable output for tests).
 * A record without a line (the whole file) comes before the file's numbered lines. */
void bt_diags_sort(bt_diags *d);

#endif
