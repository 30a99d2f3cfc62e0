/* Overlays painted on top of the lobby screen (ui room): the staff panel (issue 5: targets as
 * bars, last airings, missed items, the active playlist, disk space, the last import), its PIN
 * entry, its "Đặt ngày giờ" page, and the USB import's progress bar and result (issue 4). Each draws into the renderer's
 * current target after bt_screen_draw, without presenting. What they show comes in as plain
 * text the app prepared (the ui never opens the store). Lines are rasterised once per change of
 * content and cached as textures, so a panel left open over a running ticker costs blits only.
 * Colours are the theme's ink pairs (≥ 7:1); text goes through bt_ui_font (HarfBuzz, NFC). */
#ifndef BT_PANEL_H
#define BT_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL2/SDL.h>

#include "bt_layout.h"
#include "bt_panel_state.h"
#include "bt_screen.h"

/* Target bars the panel shows: a ward has a handful of targets in force at a time. */
#define BT_PANEL_MAX_BARS 8
/* Rows of the airing and missed lists ("the last ~8"). */
#define BT_PANEL_MAX_ROWS 8
#define BT_PANEL_LINE_BYTES 512
/* Text blocks and filled boxes of one overlay (bars: track + fill each). */
#define BT_PANEL_MAX_TEXTS 128
#define BT_PANEL_MAX_BOXES 64
/* Notices the proof-of-play page lists: a playlist holds a few dozen at most; those that do not
 * fit the screen are counted in a closing line. */
#define BT_PANEL_MAX_PROOF_ROWS 48

typedef enum {
    BT_PANEL_TONE_GOOD,      /* met */
    BT_PANEL_TONE_ON_TRACK,  /* not met yet, can be */
    BT_PANEL_TONE_AT_RISK,
    BT_PANEL_TONE_MISSED
} bt_panel_tone;

typedef struct {
    char label[BT_PANEL_LINE_BYTES];  /* "Quý IV/2025: đã phát 3/2 tin bài CCHC trên loa phường" */
    char state[96];                   /* "đã đạt · còn 38 ngày" */
    double fraction;                  /* done / required, 0..1 (clamped when drawn) */
    bt_panel_tone tone;
} bt_panel_bar;

/* What the staff panel shows, prepared by the app (bt_app_panel.h). */
typedef struct {
    char title[BT_PANEL_LINE_BYTES];      /* "Bảng theo dõi — UBND phường Bạch Mai" */
    char subtitle[BT_PANEL_LINE_BYTES];   /* date, time and period */
    bt_panel_bar bars[BT_PANEL_MAX_BARS];
    size_t bar_count;
    char no_targets[BT_PANEL_LINE_BYTES]; /* shown instead of bars when bar_count is 0 */
    char airings[BT_PANEL_MAX_ROWS][BT_PANEL_LINE_BYTES];
    size_t airing_count;
    char missed[BT_PANEL_MAX_ROWS][BT_PANEL_LINE_BYTES];
    size_t missed_count;
    char playlist[BT_PANEL_LINE_BYTES];
    char disk[BT_PANEL_LINE_BYTES];
    char last_import[BT_PANEL_LINE_BYTES];
    char footer[BT_PANEL_LINE_BYTES];     /* how to close: "Chạm «Đóng» hoặc nhấn Esc để đóng ·
                                           * tự đóng sau 60 giây không thao tác" (shown beside
                                           * the Đóng button, up to two lines) */
} bt_panel_info;

/* The keys a finger can press on an overlay (a touch screen has no keyboard). The PIN entry's
 * keypad (the clock page has the same): 1–9 in three rows, then Xoá 0 OK, then Huỷ across; values
 * 0..9 are the digits. The open staff panel: Đóng in its bottom-right corner, "Đặt ngày giờ"
 * beside it and "Đã chiếu" (proof of play) beside that; the proof page has Quay lại. */
typedef enum {
    BT_PANEL_KEY_NONE = -1,
    BT_PANEL_KEY_BACK = 10,    /* "Xoá": the last digit */
    BT_PANEL_KEY_OK = 11,      /* like Enter */
    BT_PANEL_KEY_CANCEL = 12,  /* "Huỷ": like Esc */
    BT_PANEL_KEY_CLOSE = 13,   /* "Đóng" on the open staff panel: like Esc */
    BT_PANEL_KEY_SET_CLOCK = 14, /* "Đặt ngày giờ" on the open staff panel: like Enter */
    BT_PANEL_KEY_PROOF = 15,   /* "Đã chiếu" on the open panel, "Quay lại" on the proof page:
                                * BT_PANEL_IN_PROOF */
    BT_PANEL_KEY_RECORDS = 16, /* "Ghi nhận kênh khác" on the open panel: BT_PANEL_IN_RECORDS */
    BT_PANEL_KEY_COUNT = 17
} bt_panel_key;

/* The Đóng button's label: the app's footer names it ("Chạm «Đóng» …"). */
#define BT_PANEL_CLOSE_LABEL "Đóng"
#define BT_PANEL_SET_CLOCK_LABEL "Đặt ngày giờ"
#define BT_PANEL_PROOF_LABEL "Đã chiếu"
#define BT_PANEL_PROOF_BACK_LABEL "Quay lại"
#define BT_PANEL_RECORDS_LABEL "Ghi nhận kênh khác"

/* Lines of the records page's form (channel, day, count, note) and of its list (the channels
 * and "0 — hủy", the notes, or the entries to undo). */
#define BT_PANEL_RECORDS_FORM 4
#define BT_PANEL_RECORDS_LIST 8

/* "Ghi nhận kênh khác" (bt_panel_records.h): the app words it (bt_app_panel_records_view). */
typedef struct {
    char title[BT_PANEL_LINE_BYTES];                  /* what the page is for */
    char form[BT_PANEL_RECORDS_FORM][BT_PANEL_LINE_BYTES]; /* "Kênh: …", "Ngày: …" … */
    int current;                                      /* the form line being asked; -1 none */
    char prompt[BT_PANEL_LINE_BYTES];                 /* what to press now */
    char field[64];                                   /* digits typed ("05/12/2026"); "" none */
    char list[BT_PANEL_RECORDS_LIST][BT_PANEL_LINE_BYTES]; /* "1  Trang thông tin …" */
    size_t list_count;
    char message[BT_PANEL_LINE_BYTES];                /* a refusal, or how the write went */
    bool message_ok;                                  /* the message says it was written */
    char footer[BT_PANEL_LINE_BYTES];                 /* the keys and the timeout */
} bt_panel_records_view;

/* One notice on the proof-of-play page: what the screen showed of it (the app words it). */
typedef struct {
    char name[BT_PANEL_LINE_BYTES];  /* the notice's title */
    char today[64];                  /* "48 lượt · 12 phút" */
    char month[64];                  /* "1.020 lượt · 255 phút" */
    char last[64];                   /* "hôm nay", "06/12/2026", "chưa chiếu" */
    /* A video notice's plays on a line of their own under the row (issue 15): "Video — hôm
     * nay: 3 lượt trọn, 1 lượt bị cắt ngang; …"; "" for every other notice. */
    char video[BT_PANEL_LINE_BYTES];
} bt_panel_proof_row;

/* "Màn hình đã chiếu" (issue 14): per notice of the playing playlist, today and this month. */
typedef struct {
    char title[BT_PANEL_LINE_BYTES];     /* "Màn hình đã chiếu — Thứ Hai, 07/12/2026" */
    char subtitle[BT_PANEL_LINE_BYTES];  /* the playlist, and as of when the figures are */
    char head_today[48], head_month[48]; /* "Hôm nay", "Tháng 12/2026" */
    bt_panel_proof_row rows[BT_PANEL_MAX_PROOF_ROWS];
    size_t row_count;
    char empty[BT_PANEL_LINE_BYTES];     /* shown instead of rows when row_count is 0 */
    char footer[BT_PANEL_LINE_BYTES];    /* how to go back and when it closes */
} bt_panel_proof_view;

/* What the PIN entry shows (bt_panel_pin_view_of fills it from the state machine). */
typedef struct {
    size_t typed;              /* digits typed, shown masked */
    bool wrong;                /* the last PIN entered was wrong */
    unsigned tries_left;       /* wrong PINs left before the lock-out; 0 = do not say */
    int lock_seconds;          /* > 0: locked, seconds left */
    int timeout_seconds;       /* > 0: "tự đóng sau … giây" */
} bt_panel_pin_view;

/* What the clock page shows (the app fills it: bt_app_panel_clock_view). */
typedef struct {
    char field[32];                    /* the digits typed: "07/12/2026 09:3_" */
    char machine[BT_PANEL_LINE_BYTES]; /* what the clock says now */
    char message[BT_PANEL_LINE_BYTES]; /* why OK did nothing, or how setting went; "" = none */
    bool message_ok;                   /* the message says the clock was set */
    int timeout_seconds;               /* > 0: "tự đóng sau … giây" */
} bt_panel_clock_view;

/* Lines of the approval screen's two lists. */
#define BT_PANEL_APPROVAL_FACTS 4
#define BT_PANEL_APPROVAL_CHANGES 7

/* What the approval screen shows (usb.unsigned = "pin"): a stick without a trusted signature
 * passed every check and waits for the PIN. The app fills it (bt_kiosk_usb_approval_view). */
typedef struct {
    char title[BT_PANEL_LINE_BYTES];     /* "USB chưa ký — cần duyệt bằng mã PIN" */
    char why[BT_PANEL_LINE_BYTES];       /* what is missing and that the checks passed */
    char facts[BT_PANEL_APPROVAL_FACTS][BT_PANEL_LINE_BYTES]; /* playlist, counts, playing now */
    size_t fact_count;
    char changes[BT_PANEL_APPROVAL_CHANGES][BT_PANEL_LINE_BYTES]; /* against what is playing */
    size_t change_count;
    bt_panel_pin_view pin;               /* the dots, a wrong PIN, the lock-out */
    int seconds_left;                    /* to answer */
} bt_panel_approval_view;

/* A filled rectangle of an overlay (plates, bar tracks and fills, outlines). */
typedef struct {
    bt_rect rect;
    bt_rgb color;
} bt_panel_box;

/* What an overlay paints: boxes first, then text blocks. The texts point into `strings`. */
typedef struct {
    bt_panel_box boxes[BT_PANEL_MAX_BOXES];
    size_t box_count;
    bt_layout_text texts[BT_PANEL_MAX_TEXTS];
    bt_rgb colors[BT_PANEL_MAX_TEXTS];    /* of each text */
    bt_rgb grounds[BT_PANEL_MAX_TEXTS];   /* what each text sits on (contrast checks) */
    size_t text_count;
    char strings[BT_PANEL_MAX_TEXTS][BT_PANEL_LINE_BYTES * 2];
    size_t rows_dropped;                  /* list rows that did not fit the screen */
    /* Where a press on each key counts (0 × 0 for a key the overlay does not have: the PIN
     * entry and the clock page have keys 0..BT_PANEL_KEY_CANCEL, the staff panel
     * BT_PANEL_KEY_CLOSE, BT_PANEL_KEY_SET_CLOCK and BT_PANEL_KEY_PROOF, the proof page
     * BT_PANEL_KEY_PROOF only). */
    bt_rect keys[BT_PANEL_KEY_COUNT];
    bool has_keys;
} bt_panel_plan;

typedef struct bt_panel bt_panel;

/* Opens the two faces of cfg (fonts must cover Vietnamese). The panel keeps cfg's values.
 * 0, or -1 with a Vietnamese message in err. */
int bt_panel_create(SDL_Renderer *renderer, int width, int height, const bt_screen_config *cfg,
                    bt_panel **out, char *err, size_t err_size);
void bt_panel_destroy(bt_panel *p); /* NULL is fine */

/* Each paints one overlay over what is in the current target (0 / -1). */
int bt_panel_draw_info(bt_panel *p, const bt_panel_info *info);
/* PIN entry with its keypad: `typed` digits shown masked; wrong: the last PIN entered was wrong.
 * (Kept for callers without the state machine: says nothing of tries left or a lock-out.) */
int bt_panel_draw_pin(bt_panel *p, size_t typed, bool wrong);
/* PIN entry with its keypad, the tries left, the lock-out's countdown and the timeout. */
int bt_panel_draw_pin_view(bt_panel *p, const bt_panel_pin_view *v);
/* The approval screen: what the stick would load and change, the PIN entry with its keypad
 * (OK approves, Huỷ refuses) and the time left; over the whole screen. */
int bt_panel_draw_approval(bt_panel *p, const bt_panel_approval_view *v);
/* The proof-of-play page: a table of the notices (name, today, this month, last shown), the
 * rows that do not fit counted in a closing line (plan rows_dropped), Quay lại at the bottom. */
int bt_panel_draw_proof(bt_panel *p, const bt_panel_proof_view *v);
/* The records page: the form with the line being asked marked, the prompt, the digits typed, the
 * list to pick from, a message and the keypad (Huỷ: back to the panel). */
int bt_panel_draw_records(bt_panel *p, const bt_panel_records_view *v);
/* The clock page ("Đặt ngày giờ"): the digits typed, the clock now, a message, the keypad. */
int bt_panel_draw_clock(bt_panel *p, const bt_panel_clock_view *v);
/* Shorthand: the PIN entry as the state machine s stands. */
int bt_panel_draw_pin_state(bt_panel *p, const bt_panel_state *s);
void bt_panel_pin_view_of(const bt_panel_state *s, bt_panel_pin_view *out);
/* The key under point (x, y) of the overlay (its coordinates: width × height as created) in
 * the last overlay drawn: a keypad key of the PIN entry or the clock page, or Đóng or Đặt ngày
 * giờ of the staff panel;
 * BT_PANEL_KEY_NONE elsewhere or when the last overlay has no keys (progress, result). A key
 * answers a little beyond its edge, up to half the gap between keypad keys. */
bt_panel_key bt_panel_key_at(const bt_panel *p, int x, int y);
/* "Đang nạp USB… 45 %" and a bar. */
int bt_panel_draw_progress(bt_panel *p, int percent);
/* The import's result (bt_usb_result_text, several lines); ok: it was loaded. */
int bt_panel_draw_result(bt_panel *p, const char *text, bool ok);

/* The plan of the last overlay drawn (NULL before any). */
const bt_panel_plan *bt_panel_last_plan(const bt_panel *p);
/* True if some text block of the plan shows `needle` whole (inside one block, not cut off by
 * an ellipsis). */
bool bt_panel_plan_shows(const bt_panel_plan *plan, const char *needle);
/* The colour of a target bar's fill and swatch in each state (not text: the words say it). */
bt_rgb bt_panel_tone_color(bt_panel_tone tone);
/* The size the overlays are laid out in (as created). */
void bt_panel_size(const bt_panel *p, int *width, int *height);
/* Lines rasterised since create (a cached overlay drawn again adds none). */
unsigned long bt_panel_raster_count(const bt_panel *p);

#endif
