/* The staff mark (issue 10): a small plate with an amber dot and one line for staff, at the
 * bottom right of the stage (bt_layout_staff_mark_build places it). It is rasterised once, when
 * its text changes, into an opaque surface: the screen then copies it without blending, and the
 * few pixels it covers can be repainted on their own. */
#include "staff_mark.h"

#include "bangtin/bt_ui_theme.h"

/* Subsamples per side of a pixel on the dot's edge: 4 × 4 gives 17 levels of coverage, a round
 * edge at the dot's 11–12 px. */
#define DOT_SUBSAMPLES 4

static void put_pixel(SDL_Surface *surf, int x, int y, bt_rgb c)
{
    if (x < 0 || y < 0 || x >= surf->w || y >= surf->h)
        return;
    Uint32 *row = (Uint32 *)((Uint8 *)surf->pixels + (size_t)y * (size_t)surf->pitch);
    row[x] = SDL_MapRGB(surf->format, c.r, c.g, c.b);
}

/* A filled disc inscribed in `box` (surface pixels), blended onto `plate` by its coverage. */
static void paint_dot(SDL_Surface *surf, SDL_Rect box, bt_rgb plate, bt_rgb dot)
{
    const int n = DOT_SUBSAMPLES;
    /* In subsample units, so the test is exact integer arithmetic. */
    long long cx = (long long)(2 * box.x + box.w) * n, cy = (long long)(2 * box.y + box.h) * n;
    long long r = (long long)box.w * n;
    for (int y = box.y; y < box.y + box.h; y++) {
        for (int x = box.x; x < box.x + box.w; x++) {
            int inside = 0;
            for (int sy = 0; sy < n; sy++) {
                for (int sx = 0; sx < n; sx++) {
                    long long dx = 2LL * (x * n + sx) + 1 - cx;
                    long long dy = 2LL * (y * n + sy) + 1 - cy;
                    inside += dx * dx + dy * dy <= r * r;
                }
            }
            if (inside > 0)
                put_pixel(surf, x, y, bt_ui_mix(plate, dot, inside * 255 / (n * n)));
        }
    }
}

SDL_Surface *bt_ui_staff_mark_render(const bt_layout_staff_mark *mark, bt_ui_font *font,
                                     const bt_screen_config *cfg)
{
    const bt_rect *p = &mark->plate;
    const bt_layout_text *t = &mark->text;
    if (p->w <= 0 || p->h <= 0 || t->line_count == 0) {
        SDL_SetError("no staff mark to draw");
        return NULL;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, p->w, p->h, 32, SDL_PIXELFORMAT_RGB888);
    if (!surf)
        return NULL;
    bt_rgb plate = bt_ui_ink_ground(cfg, BT_INK_CORNER), ink = bt_ui_ink_text(cfg, BT_INK_CORNER);
    SDL_FillRect(surf, NULL, SDL_MapRGB(surf->format, plate.r, plate.g, plate.b));
    if (SDL_LockSurface(surf) != 0) {
        SDL_FreeSurface(surf);
        return NULL;
    }
    SDL_Rect dot = {mark->dot.x - p->x, mark->dot.y - p->y, mark->dot.w, mark->dot.h};
    paint_dot(surf, dot, plate, bt_ui_staff_mark_dot(cfg));
    SDL_UnlockSurface(surf);
    const bt_layout_line *line = &t->lines[0];
    int baseline;
    SDL_Color color = {ink.r, ink.g, ink.b, 255};
    SDL_Surface *glyphs = bt_ui_font_render(font, t->size, t->text + line->start, line->length,
                                            line->ellipsis, color, &baseline);
    if (!glyphs) {
        SDL_FreeSurface(surf);
        return NULL;
    }
    /* The line box holds the Vietnamese ink envelope, and the plate holds the line box. */
    SDL_Rect at = {t->box.x - p->x, t->box.y + line->y + t->baseline - baseline - p->y,
                   glyphs->w, glyphs->h};
    SDL_SetSurfaceBlendMode(glyphs, SDL_BLENDMODE_BLEND);
    int rc = SDL_BlitSurface(glyphs, NULL, surf, &at);
    SDL_FreeSurface(glyphs);
    if (rc != 0) {
        SDL_FreeSurface(surf);
        return NULL;
    }
    return surf;
}
