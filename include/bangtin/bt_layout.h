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
    BT_INK_CORNER,   /* foreground on the corner panel's tint: the portal QR's caption */
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
} bt_layout_params;

typedef struct {
    int width, height;
    int unit;             /* the short side, px; every size is designed at 1080 */
    bool landscape;       /* wide enough for a side column; else things stack vertically */
    int margin;
    int min_body_px;      /* the legibility floor at this size */
    bt_rect header;       /* full-width band at the top */
    bt_rect header_rule;  /* thin accent line under the header */
    bt_rect ticker;       /* full-width band at the bottom (h = 0 without ticker) */
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
} bt_layout_frame;

/* What one slide shows. For the idle screen set idle and point qr_url/qr_caption at the portal. */
typedef struct {
    bool idle;
    bt_notice_kind kind;
    const char *title, *body, *qr_url, *qr_caption;
    bool urgent;
    bool has_image;       /* image notices: false when the image could not be loaded */
    int image_w, image_h; /* decoded size of the image */
} bt_layout_content;

typedef enum {
    BT_SLIDE_IDLE,        /* ward clock, date, the portal QR large */
    BT_SLIDE_TEXT,        /* title + body, optional QR beside (landscape) or below (portrait) */
    BT_SLIDE_IMAGE,       /* letterboxed image, optional caption */
    BT_SLIDE_QR,          /* a large QR, title, caption, printed URL */
    BT_SLIDE_TITLE_ONLY   /* an image notice whose image failed: its title alone */
} bt_slide_kind;

enum {
    BT_LAYOUT_MAX_TEXTS = 6,
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
} bt_layout_slide;

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
