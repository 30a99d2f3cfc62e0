/* The staff mark (issue 10), rasterised: private to the ui room. screen.c keeps the text and the
 * texture and decides when to repaint; the geometry is bt_layout_staff_mark_build's. */
#ifndef BT_UI_STAFF_MARK_H
#define BT_UI_STAFF_MARK_H

#include <SDL2/SDL.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_ui_font.h"

/* The whole mark as one opaque surface of mark->plate's size, in the 32-bit format of the
 * software renderer's window: the plate in the corner panel's tint, the amber dot with a smooth
 * edge, the line of text blended on (BT_INK_CORNER). Drawn with a plain copy, never blended.
 * Caller frees; NULL with SDL's (or SDL_ttf's) error set. */
SDL_Surface *bt_ui_staff_mark_render(const bt_layout_staff_mark *mark, bt_ui_font *font,
                                     const bt_screen_config *cfg);

#endif
