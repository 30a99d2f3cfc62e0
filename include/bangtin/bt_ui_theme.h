/* Colours of the lobby screen and their contrast. Every text is drawn with one of the ink
 * pairs of bt_layout.h; WCAG 2 asks ≥ 7:1 (level AAA) for text read by older people at a
 * distance, which the tests check for the default theme. */
#ifndef BT_UI_THEME_H
#define BT_UI_THEME_H

#include "bt_layout.h"
#include "bt_screen_config.h"

/* The minimum contrast ratio for text (WCAG 2, level AAA). */
#define BT_UI_MIN_CONTRAST 7.0

/* WCAG 2 relative luminance (0..1) and contrast ratio (1..21). */
double bt_ui_luminance(bt_rgb c);
double bt_ui_contrast(bt_rgb a, bt_rgb b);

/* Colour of an ink's text and of what it is drawn on (for BT_INK_SLOT_*: the state's plate). */
bt_rgb bt_ui_ink_text(const bt_screen_config *cfg, bt_ink ink);
bt_rgb bt_ui_ink_ground(const bt_screen_config *cfg, bt_ink ink);
/* The thin rule between rows of the schedule table (not text: a visible line, nothing more). */
bt_rgb bt_ui_table_rule(const bt_screen_config *cfg);

/* The least contrast of a mark that is not text against what is around it (WCAG 2.1, 1.4.11). */
#define BT_UI_MIN_GRAPHIC_CONTRAST 3.0

/* The staff mark's dot (bt_screen_set_staff_notice): amber, "look at this" without the red of an
 * alarm. Its plate and text are the BT_INK_CORNER pair. */
bt_rgb bt_ui_staff_mark_dot(const bt_screen_config *cfg);
/* The corner panel's tint (the background itself if a tint would weaken the caption). */
bt_rgb bt_ui_corner_background(const bt_screen_config *cfg);
/* a blended towards b by t/255. */
bt_rgb bt_ui_mix(bt_rgb a, bt_rgb b, int t);

#endif
