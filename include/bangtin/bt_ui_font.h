/* One TrueType face for the lobby screen, resized on demand (one TTF_Font per face, not one per
 * size). Measures for the layout and rasterises single lines with TTF_RenderUTF8_Blended
 * (SDL_ttf with HarfBuzz shaping). Needs TTF_Init; no renderer. */
#ifndef BT_UI_FONT_H
#define BT_UI_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "bt_layout.h"

typedef struct bt_ui_font bt_ui_font;

/* Opens a TTF file; 0, or -1 with a Vietnamese message in err. */
int bt_ui_font_open(const char *path, bt_ui_font **out, char *err, size_t err_size);
void bt_ui_font_close(bt_ui_font *font); /* NULL is fine */
/* Faces open in the process now (each holds FreeType's and HarfBuzz's tables): for tests. */
int bt_ui_font_open_count(void);

/* Does this face hold a glyph for the character (TTF_GlyphIsProvided32)? */
bool bt_ui_font_covers(bt_ui_font *font, uint32_t codepoint);

/* bt_text_measure_fn over TTF_SizeUTF8: width of s[0..len) at `size` px, or -1. */
int bt_ui_font_measure(void *font, int size, const char *s, size_t len);
/* Fills a layout face: the measuring function and the Vietnamese ink envelope of this face. */
void bt_ui_font_layout_face(bt_ui_font *font, bt_layout_face *out);

/* Rasterises s[0..len) (followed by "…" if ellipsis) in `color`. *baseline receives the distance
 * from the surface's top to the baseline (SDL_ttf grows the surface upward when marks rise
 * above the ascent, so this is not always the ascent). Caller frees the surface; NULL on error. */
SDL_Surface *bt_ui_font_render(bt_ui_font *font, int size, const char *s, size_t len,
                               bool ellipsis, SDL_Color color, int *baseline);

#endif
