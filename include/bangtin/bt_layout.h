/* The geometry of the lobby screen: every box for a screen size and a notice, and the text
 * fitted into each box. Pure: no SDL. Text is measured through a callback per face (the ui room
 * wraps SDL_ttf), so tests can check that nothing overflows with the real font metrics.
 *
 * Sizes are designed at 1080 px of the short side and scale with it, so landscape 1920×1080,
 * portrait 1080×1920 and any other size keep the same proportions. */
#ifndef BT_LAYOUT_H
#define BT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_playlist.h"
#include "bt_schedule.h"
#include "bt_text.h"

typedef struct {
    int x, y, w, h;
} bt_rect;

typedef enum { BT_FACE_REGULAR = 0, BT_FACE_BOLD = 1, BT_FACE_COUNT = 2 } bt_face;

/* Which colour pair a text is painted with (see bt_ui_theme.h for the colours). */
typedef enum {
    BT_INK_TEXT,     /* foreground on background: body text, captions */
    BT_INK_ACCENT,   /* accent on background: titles */
    BT_INK_MUTED,    /* a softer foreground on background: printed URLs */
    BT_INK_HEADER,   /* header foreground on header background */
    BT_INK_TICKER,   /* ticker foreground on ticker background */
    BT_INK_BADGE,    /* background colour on an accent plate: "THÔNG BÁO KHẨN" */
    BT_INK_CORNER,   /* foreground on the corner panel's tint: the portal QR's caption, and the
                      * highlighted row of the schedule table (the session on air) */
    /* Issue 3: the state label of a schedule row on its plate, one ink per bt_slot_state in the
     * same order (bt_layout_slot_ink). Colour tells the state at a glance; the words say it. A
     * miss has no plate on the lobby (issue 14): failure wording is for staff. */
    BT_INK_SLOT_UPCOMING,  /* "sắp phát": foreground on the background, an outlined plate */
    BT_INK_SLOT_AIRING,    /* "đang phát": the header pair, like the "ĐANG PHÁT" banner */
    BT_INK_SLOT_AIRED,     /* "đã phát": dark text on green */
    BT_INK_SLOT_MADE_UP,   /* "đã phát bù": dark text on blue */
    BT_INK_COUNT
} bt_ink;

typedef enum { BT_ALIGN_LEFT, BT_ALIGN_CENTER, BT_ALIGN_RIGHT } bt_align;

/* What the layout needs from a face: a measuring function and how far its ink reaches above
 * and below the baseline for Vietnamese (stacked marks on capitals such as Ỗ, dots below such
 * as Ặ), in thousandths of the font size. Line boxes are never shorter than that envelope. */
typedef struct {
    bt_text_measure_fn measure;
    void *ctx;
    int ink_top_permille;
    int ink_bottom_permille;
} bt_layout_face;

typedef struct {
    bt_layout_face face[BT_FACE_COUNT];
} bt_layout_fonts;

typedef struct {
    size_t start, length; /* bytes of the block's text */
    int width;            /* measured px, including the ellipsis when there is one */
    int y;                /* top of the line box, relative to the block's box */
    bool ellipsis;        /* "…" follows: the text was cut because it cannot fit */
} bt_layout_line;

/* One block of text fitted into a box. Every line box lies inside `box`:
 * lines[i].y + line_height <= box.h and lines[i].width <= box.w. */
typedef struct {
    const char *text;     /* not owned: points into the notice, the config or a constant */
    bt_rect box;
    bt_face face;
    bt_ink ink;
    bt_align align;
    int size;             /* font size, px */
    int line_height;      /* px */
    int baseline;         /* px from the top of a line box to its baseline */
    size_t line_count;
    bt_layout_line lines[BT_TEXT_MAX_LINES];
    bool fits;            /* false: at the legibility floor and still too long (cut with "…") */
} bt_layout_text;

/* Inputs of the frame (the parts of the screen that do not change with the notice). */
typedef struct {
    int width, height;
    bool ticker;          /* reserve the ticker band */
    int min_text_px;      /* legibility floor for body text at 1080 px of the short side */
    const char *ward_name;
    const char *portal_caption;
    bool banner;          /* reserve the bottom band for the "ĐANG PHÁT" banner even without a
                           * ticker, so the banner never covers a notice (issue 3; appended) */
    int logo_w, logo_h;   /* the ward's logo in px (issue 14; appended); 0: no logo */
} bt_layout_params;

/* The header band: ward name, date and clock. */
typedef struct {
    bt_rect band;         /* full-width band at the top (h = 0: this header is not used) */
    bt_rect rule;         /* thin accent line under it */
    bt_layout_text ward;
    bt_rect date_box, clock_box;
    int date_size, clock_size;
    bt_rect logo;         /* the ward's logo left of its name (issue 14; appended); w = 0: none */
} bt_layout_header;

/* Steps of a screen's type scale at most (bt_layout_frame.scale): 96 px at 1080 px of the short
 * side times (3/4)^k down to the floor, which is 40 px by default (4 steps) and may be configured
 * down to 24 (6 steps). */
#define BT_LAYOUT_SCALE_MAX 8
/* The step each role starts from (later steps when its text must shrink): titles at the top, a
 * body one step under its title, an image's caption and a QR code's caption two steps under. */
enum { BT_LAYOUT_STEP_TITLE = 0, BT_LAYOUT_STEP_BODY = 1, BT_LAYOUT_STEP_CAPTION = 2 };

typedef struct {
    int width, height;
    int unit;             /* the short side, px; every size is designed at 1080 */
    bool landscape;       /* wide enough for a side column; else things stack vertically */
    int margin;
    int min_body_px;      /* the legibility floor at this size */
    bt_rect header;       /* full-width band at the top */
    bt_rect header_rule;  /* thin accent line under the header */
    bt_rect ticker;       /* full-width band at the bottom (h = 0 without ticker and banner) */
    bt_rect ticker_text;  /* where the ticker scrolls (clip) */
    int ticker_size;      /* font size of the ticker */
    int ticker_baseline;  /* px from ticker_text.y */
    bt_rect stage;        /* between header and ticker */
    bt_rect corner;       /* the corner panel: a column (landscape) or a band (portrait) */
    bt_rect corner_qr;    /* white plate of the portal QR, quiet zone included */
    bt_rect main;         /* where a notice is laid out: clear of header, ticker, corner */
    bt_rect main_idle;    /* the idle screen has no corner QR, so it may use the whole stage */
    bt_layout_text ward;  /* ward name in the header */
    bt_layout_text corner_caption;
    bt_rect date_box, clock_box; /* header date and clock (text changes; sizes do not) */
    int date_size, clock_size;
    /* Issue 14 (appended): an image slide on a wide screen has a slim header of one row, so
     * the picture gets the height (a 16:9 picture covers ~86 % of the content area instead of
     * 79 %). slim.band.h = 0 on a tall screen: its image slides keep the full header.
     * image_stage is what an image slide owns: the whole width between its header and the
     * bottom band (no corner column). */
    bt_layout_header slim;
    bt_rect image_stage;
    /* Issue 14 (appended): the type scale of this screen, largest first. Every notice title,
     * body and caption is set at one of these sizes, so a title keeps its size from slide to
     * slide and a text that must shrink falls back to the next step, never to a size of its
     * own. The last step is the legibility floor (min_body_px). */
    int scale[BT_LAYOUT_SCALE_MAX];
    size_t scale_count;
    bt_rect header_logo;  /* the ward's logo in the full header (w = 0: none); frame.slim.logo in
                           * the slim one */
} bt_layout_frame;

/* ---- the schedule table (issue 3) ----------------------------------------------------------- */

/* Rows one schedule slide shows at most; more are summed up in a line under the table. Eight
 * large rows still read from across the hall (Hanoi wards air a few sessions a day). */
#define BT_LAYOUT_SCHEDULE_MAX_ROWS 8
/* What the table says when nothing airs today. */
#define BT_LAYOUT_SCHEDULE_EMPTY "Hôm nay không có buổi phát thanh."

/* One session of the day as the layout sees it (strings not owned). */
typedef struct bt_layout_schedule_row {
    const char *time;     /* "06:00" */
    const char *name;     /* "Bản tin sáng" */
    bt_slot_state state;  /* its label is bt_slot_state_vi(state) */
} bt_layout_schedule_row;

/* The ink of a state's label (BT_INK_SLOT_*). */
bt_ink bt_layout_slot_ink(bt_slot_state state);
/* Whether the lobby shows the state on a plate: every state but BT_SLOT_MISSED, which the public
 * schedule leaves without words (misses are told to staff on the panel, not to the lobby). */
bool bt_layout_slot_plate(bt_slot_state state);

/* What one slide shows. For the idle screen set idle and point qr_url/qr_caption at the portal. */
typedef struct {
    bool idle;
    bt_notice_kind kind;
    const char *title, *body, *qr_url, *qr_caption;
    bool urgent;
    bool has_image;       /* image notices: false when the image could not be loaded */
    int image_w, image_h; /* decoded size of the image */
    /* Schedule notices (issue 3; appended): today's sessions in time order (any number; the
     * slide shows a window of them) and the date line under the title (NULL = none). */
    const bt_layout_schedule_row *rows;
    size_t row_count;
    const char *schedule_date;
    /* Image notices (issue 14; appended): the title is shown under the picture only when asked
     * (the notice key "caption = true"); qr_url/qr_caption, when set, go in a band beside
     * (wide screens) or under (tall ones) the picture. */
    bool caption;
    /* Image notices (issue 15; appended): a picture much taller than its box (an infographic)
     * fills the box's width and scrolls (bt_layout_slide.scroll_travel) instead of shrinking to a
     * strip; false (`fit = "whole"`) letterboxes it whole as before. */
    bool scroll_tall;
} bt_layout_content;

typedef enum {
    BT_SLIDE_IDLE,        /* ward clock, date, the portal QR large */
    BT_SLIDE_TEXT,        /* title + body, optional QR beside (landscape) or below (portrait) */
    BT_SLIDE_IMAGE,       /* the picture fitted to the whole stage, optional caption and QR band */
    BT_SLIDE_QR,          /* a large QR, title, caption, printed URL */
    BT_SLIDE_TITLE_ONLY,  /* an image notice whose image failed: its title alone */
    BT_SLIDE_SCHEDULE     /* "Lịch phát thanh hôm nay": a table of today's sessions */
} bt_slide_kind;

enum {
    /* Title, date, 3 per row (time, name, state), the empty message or the "more" line, and the
     * urgent label. */
    BT_LAYOUT_MAX_TEXTS = 4 + 3 * BT_LAYOUT_SCHEDULE_MAX_ROWS,
    /* Roles of the text blocks, in this order when present. */
    BT_LAYOUT_TEXT_BADGE = 0
};

typedef struct {
    bt_slide_kind kind;
    bool corner;          /* the corner portal QR shows with this slide */
    bt_rect area;         /* the region the slide owns (frame.main or frame.main_idle) */
    bt_layout_text texts[BT_LAYOUT_MAX_TEXTS];
    size_t text_count;
    bt_rect badge;        /* accent plate behind the urgent label (w = 0: none) */
    bt_rect qr;           /* white plate of the QR, quiet zone included (w = 0: none) */
    const char *qr_text;  /* what the QR encodes (not owned) */
    bt_rect image;        /* where the image goes, aspect kept (w = 0: none) */
    bt_rect clock_box, date_box; /* idle: the large clock and date */
    int clock_size, date_size;
    bool fits;            /* every block fitted at or above the floor */
    /* BT_SLIDE_SCHEDULE (issue 3; appended). */
    size_t row_count;     /* rows shown: content rows first_row .. first_row + row_count - 1 */
    size_t first_row;
    size_t rows_hidden;   /* content rows not shown (summed up in `more`) */
    bt_rect rows[BT_LAYOUT_SCHEDULE_MAX_ROWS];   /* band of each row, full table width */
    bt_rect chips[BT_LAYOUT_SCHEDULE_MAX_ROWS];  /* plate behind each state label */
    bt_slot_state row_states[BT_LAYOUT_SCHEDULE_MAX_ROWS];
    int row_rule;         /* px of the rule between rows (drawn at the top of rows 1..) */
    char more[96];        /* "… và 4 buổi phát khác trong ngày"; a text block points here, so a
                           * plan is used where it was built (never copied by value) */
    /* Issue 14 (appended). One QR per slide: the corner panel shows the portal QR only when the
     * notice has no QR of its own (the panel's information block takes its place). */
    bool portal_qr;
    bool slim_header;     /* drawn under frame.slim instead of the full header */
    bt_rect band;         /* tinted band holding an image notice's own QR (w = 0: none) */
    /* Issue 15 (appended): an infographic that scrolls. `image` is the whole picture at its shown
     * size with its top at the top of image_clip; only image_clip shows, the picture moved up by
     * bt_layout_scroll_offset() px (0 .. scroll_travel). scroll_travel = 0: it does not scroll. */
    bt_rect image_clip;
    int scroll_travel;
    /* Issue 14 (appended): which block of texts is the notice's title (a schedule's heading, an
     * image's caption), set at a step of the frame's type scale; -1: none shown. */
    int title_text;
} bt_layout_slide;

/* An infographic scrolls when it is at least twice as tall as wide (the shape of one, not of a
 * 9:16 poster or a 4:3 photo, which keep today's letterbox) and, fitted to its box's width, at
 * least this many percent of the box's height: below that, shrinking it whole costs less than a
 * third of its size, and it stays readable without moving. */
#define BT_LAYOUT_SCROLL_MIN_SHAPE 2
#define BT_LAYOUT_SCROLL_MIN_PERCENT 150
/* The tallest scrolling picture, in px as shown: a texture of 8192 rows is what every SDL
 * renderer takes (OpenGL ES 2 drivers guarantee no more), 64 MB at 1920 px wide; a taller one
 * is shown narrower. */
#define BT_LAYOUT_SCROLL_MAX_PX 8192
/* A scrolling picture rests this long at its top (the crossfade in is over, the heading is read)
 * and at its bottom before the next notice. */
#define BT_LAYOUT_SCROLL_HOLD_MS 4000

/* How far (px, 0..travel) a scrolling picture has moved `elapsed_ms` into a showing of
 * `duration_ms`: still during the holds at both ends, at an even speed between. When the
 * duration is too short for both holds, each takes a quarter of it. Pure. */
int bt_layout_scroll_offset(int travel, long long elapsed_ms, long long duration_ms);

/* The "ĐANG PHÁT: <title>" banner while a broadcast airs (issue 3). It takes the whole bottom
 * band (the ticker pauses), so it never covers a notice nor runs into ticker text. The title is
 * one line as large as the band allows; one too long for the band at the legibility floor
 * scrolls inside title_clip instead of being cut. */
#define BT_LAYOUT_NOW_PLAYING_LABEL "ĐANG PHÁT"
typedef struct {
    bt_rect band;         /* frame.ticker */
    bt_rect plate;        /* header-coloured plate behind the label */
    bt_layout_text label;
    bt_rect title_clip;   /* what the title may paint */
    bt_layout_text title; /* one line; when it scrolls its box is as wide as the line */
    bool scrolls;
    int gap;              /* px between two passes of a scrolling title */
} bt_layout_banner;

/* Lays out the banner in the frame's bottom band; 0, or -1 if there is no band or measuring
 * failed. */
int bt_layout_banner_build(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                           const char *title, bt_layout_banner *out);

/* ---- the staff mark (issue 10) -------------------------------------------------------------- */

/* A discreet notice for staff (bt_screen_set_staff_notice): an amber dot and one short line on a
 * small plate at the bottom right of the stage, just above the bottom band, in the strip that no
 * notice (idle or not), QR code, caption, clock or band ever uses. Sized for someone standing
 * close (20 px at 1080 px of the short side), not for the lobby. */
typedef struct {
    bt_rect plate;        /* everything the mark paints, opaque (w = 0: no mark) */
    bt_rect dot;          /* the square the dot is inscribed in */
    bt_layout_text text;  /* one line, cut with "…" when too long; its box inside the plate */
} bt_layout_staff_mark;

/* Lays out the mark for text in the frame: plate.w = 0 for NULL or "", and when no strip of this
 * frame holds the line at a legible size. text.text points into `text`. 0, or -1 if measuring
 * failed. */
int bt_layout_staff_mark_build(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                               const char *text, bt_layout_staff_mark *out);

/* ---- the corner panel's information block (issue 14) ----------------------------------------- */

/* What the corner panel says besides the portal QR, or instead of it when a notice brings its own
 * (the next loudspeaker session, or the ward's hotline): a small label, a large value, a detail
 * ("Phát thanh tiếp theo" / "17:00" / "Bản tin chiều"). In a wide screen's column it sits above
 * the portal QR, or fills the column without it; a tall screen's band has room for it only
 * without the QR. */
typedef struct {
    bt_layout_text label, value, detail;
    bool shown;           /* false: no text, or no room for it in this frame */
    bt_rect logo;         /* the ward's logo, above the texts in a column, at the left of a band
                           * (w = 0: none; only when shown) */
} bt_layout_corner_info;

/* Lays out the block in the frame's corner panel; any text may be NULL or "". value.text and the
 * others point into the given strings. With logo_w × logo_h > 0 the ward's logo goes with it
 * ("the ward's logo and hotline", issue 14). 0, or -1 if measuring failed. */
int bt_layout_corner_info_build(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                                const char *label, const char *value, const char *detail,
                                bool with_portal_qr, int logo_w, int logo_h,
                                bt_layout_corner_info *out);

/* px for a length designed at 1080 px of the short side. */
int bt_layout_px(const bt_layout_frame *frame, int at_1080);

/* Ellipsis appended to a cut line. */
#define BT_LAYOUT_ELLIPSIS "…"
/* The label above an urgent notice. */
#define BT_LAYOUT_URGENT_LABEL "THÔNG BÁO KHẨN"

/* Builds the frame; 0, or -1 if the size is unusable or measuring failed. */
int bt_layout_frame_build(const bt_layout_params *params, const bt_layout_fonts *fonts,
                          bt_layout_frame *out);
/* Lays out one slide inside the frame; 0, or -1 if measuring failed. */
int bt_layout_slide_build(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                          const bt_layout_content *content, bt_layout_slide *out);

/* Fits text into box: the largest size in [min_size, max_size] at which its wrapped lines fit,
 * at most max_lines of them (0 = no limit). Below that, cut at min_size with "…". */
int bt_layout_fit_block(const bt_layout_fonts *fonts, const char *text, bt_rect box, bt_face face,
                        int min_size, int max_size, size_t max_lines, bt_ink ink, bt_align align,
                        bt_layout_text *out);
/* Fits text into box at a step of the frame's type scale: the first step from `first_step` on at
 * which its wrapped lines fit (at most max_lines of them, 0 = no limit); below the last step, cut
 * there with "…". With `balance` the lines are evened out and a one-word last line avoided where
 * the same or one more line allows (titles, captions). */
int bt_layout_fit_scale(const bt_layout_frame *frame, const bt_layout_fonts *fonts,
                        const char *text, bt_rect box, bt_face face, size_t first_step,
                        size_t max_lines, bool balance, bt_ink ink, bt_align align,
                        bt_layout_text *out);
/* One line at a fixed size, cut with "…" if wider than the box, placed in the box's middle. */
int bt_layout_single_line(const bt_layout_fonts *fonts, const char *text, bt_rect box,
                          bt_face face, int size, bt_ink ink, bt_align align,
                          bt_layout_text *out);
/* Line height and baseline offset the layout uses for a face at a size. */
int bt_layout_line_height(const bt_layout_fonts *fonts, bt_face face, int size);
int bt_layout_baseline(const bt_layout_fonts *fonts, bt_face face, int size);
/* x of a line inside its block according to the block's alignment. */
int bt_layout_line_x(const bt_layout_text *t, size_t line);

bool bt_rect_contains(bt_rect outer, bt_rect inner);
bool bt_rect_overlaps(bt_rect a, bt_rect b);

#endif
