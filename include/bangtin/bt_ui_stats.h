/* What the screen did, for tests and benchmarks: how often it rasterised text, QR codes and
 * images (drawing a cached frame must do none of these), full and band-only frames, and the
 * plans it is painting. */
#ifndef BT_UI_STATS_H
#define BT_UI_STATS_H

#include <stddef.h>

#include "bt_layout.h"
#include "bt_screen.h"
#include "bt_ui_caption.h"

typedef struct {
    unsigned long text_rasters;  /* lines rendered with SDL_ttf since create */
    unsigned long qr_rasters;    /* QR plates encoded and drawn */
    unsigned long image_decodes; /* image files decoded */
    size_t texture_bytes;        /* pixels held in live textures */
    /* bt_screen_draw calls that painted everything, and those that repainted only the bottom
     * band over the previous frame (software renderer; see bt_screen_draw). Appended. */
    unsigned long full_frames;
    unsigned long partial_frames;
    /* Frames that repainted the staff mark's old and new rectangle (and the band) after
     * bt_screen_set_staff_notice, neither full nor band-only: a caller presenting only what
     * changed presents the whole frame for these. Appended. */
    unsigned long mark_frames;
    /* Frames of a crossfade that repainted only what the two slides paint (and the band), over
     * the crossfade's last frame in the target (software renderer): a caller presenting only
     * what changed sends bt_screen_damage. Appended. */
    unsigned long fade_frames;
    /* Bytes held for slides' lines of text kept as coverage, one a pixel, instead of textures
     * (screen.c, line_cover). Appended. */
    size_t cover_bytes;
} bt_ui_stats;

void bt_screen_stats(const bt_screen *s, bt_ui_stats *out);
/* Text rasterisations so far (bt_ui_stats.text_rasters). */
unsigned long bt_screen_raster_count(const bt_screen *s);
const bt_layout_frame *bt_screen_frame(const bt_screen *s);
/* The plan of the slide being shown (NULL before the first show or draw). */
const bt_layout_slide *bt_screen_current_plan(const bt_screen *s);
/* The "ĐANG PHÁT" banner's plan (NULL when no banner shows). */
const bt_layout_banner *bt_screen_banner_plan(const bt_screen *s);
/* The staff mark's plan (NULL when no mark shows, or while a caption covers it). */
const bt_layout_staff_mark *bt_screen_staff_mark(const bt_screen *s);
/* The caption's plan (NULL when no caption shows). */
const bt_layout_caption *bt_screen_caption_plan(const bt_screen *s);

#endif
