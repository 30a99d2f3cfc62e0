/* Which characters the lobby screen can draw: the screen's faces (regular and bold) opened only
 * to answer that, for the playlist validator's glyph probe (bt_glyph_probe), so `check`, `pack`,
 * `activate` and the USB import refuse a text that would show empty boxes. Needs no display. */
#ifndef BT_UI_GLYPHS_H
#define BT_UI_GLYPHS_H

#include <stddef.h>

#include "bt_playlist.h"
#include "bt_screen.h"

typedef struct bt_ui_glyphs bt_ui_glyphs;

/* Opens cfg's font_regular and font_bold (SDL_ttf is started here and stopped at close; its
 * start is counted, so other users are unaffected). 0, or -1 with a Vietnamese message in err.
 * The caller closes *out. */
int bt_ui_glyphs_open(const bt_screen_config *cfg, bt_ui_glyphs **out, char *err,
                      size_t err_size);
void bt_ui_glyphs_close(bt_ui_glyphs *g); /* NULL is fine */
/* The validator's probe over g: a character counts as drawn when every face has it (a title is
 * drawn bold, a body regular, and either may move). g must outlive the probe's use; one thread
 * at a time. NULL g gives a probe that checks nothing. */
bt_glyph_probe bt_ui_glyphs_probe(bt_ui_glyphs *g);

#endif
