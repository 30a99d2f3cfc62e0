/* The screen's faces opened only to say which characters they hold (bt_ui_glyphs.h). Opening
 * the two bundled Noto Sans files is a mapping each (font.c shares it with the screen's own
 * faces) and a few milliseconds; a lookup is FreeType's cmap search, no rasterising. */
#include "bangtin/bt_ui_glyphs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_ui_font.h"

struct bt_ui_glyphs {
    bt_ui_font *faces[BT_FACE_COUNT];
};

int bt_ui_glyphs_open(const bt_screen_config *cfg, bt_ui_glyphs **out, char *err,
                      size_t err_size)
{
    *out = NULL;
    if (TTF_Init() != 0) {
        snprintf(err, err_size, "không khởi động được bộ vẽ chữ để kiểm tra phông chữ");
        return -1;
    }
    bt_ui_glyphs *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, err_size, "hết bộ nhớ khi mở phông chữ");
        TTF_Quit();
        return -1;
    }
    const char *paths[BT_FACE_COUNT] = {cfg->font_regular, cfg->font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (bt_ui_font_open(paths[i], &g->faces[i], err, err_size) != 0) {
            bt_ui_glyphs_close(g);
            return -1;
        }
    }
    *out = g;
    return 0;
}

void bt_ui_glyphs_close(bt_ui_glyphs *g)
{
    if (!g)
        return;
    for (int i = 0; i < BT_FACE_COUNT; i++)
        bt_ui_font_close(g->faces[i]);
    free(g);
    TTF_Quit();
}

static bool covers(void *ctx, uint32_t codepoint)
{
    bt_ui_glyphs *g = ctx;
    for (int i = 0; i < BT_FACE_COUNT; i++)
        if (!bt_ui_font_covers(g->faces[i], codepoint))
            return false;
    return true;
}

bt_glyph_probe bt_ui_glyphs_probe(bt_ui_glyphs *g)
{
    bt_glyph_probe probe = {g ? covers : NULL, g};
    return probe;
}
