/* Turning upright content 90° clockwise into the window's surface, damaged rectangles only (see
 * bt_ui_turn.h). The copy walks the source in small square tiles so both the rows read and the
 * columns written stay in cache: a whole 1080×1920 frame is one transpose of 8 MB. */
#include "bangtin/bt_ui_turn.h"

#include <stdint.h>
#include <stdlib.h>

/* Pixels per side of a tile: 32 × 32 × 4 bytes read and written stay well inside L1. */
#define TILE 32

struct bt_ui_turn {
    SDL_Window *window;
    SDL_Surface *content;
    bt_ui_display_send *send; /* NULL: SDL_UpdateWindowSurfaceRects */
};

bt_ui_turn *bt_ui_turn_create(SDL_Window *window, int content_w, int content_h)
{
    SDL_Surface *ws = SDL_GetWindowSurface(window);
    if (!ws)
        return NULL;
    if (ws->format->BytesPerPixel != 4) {
        SDL_SetError("window surface has %d bytes per pixel", ws->format->BytesPerPixel);
        return NULL;
    }
    bt_ui_turn *t = calloc(1, sizeof *t);
    if (!t) {
        SDL_OutOfMemory();
        return NULL;
    }
    t->window = window;
    /* The window's own pixel format: the turn is then a plain 32-bit copy. */
    t->content = SDL_CreateRGBSurfaceWithFormat(0, content_w, content_h, 32, ws->format->format);
    if (!t->content) {
        free(t);
        return NULL;
    }
    return t;
}

SDL_Surface *bt_ui_turn_content(bt_ui_turn *t)
{
    return t->content;
}

void bt_ui_turn_set_send(bt_ui_turn *t, bt_ui_display_send *send)
{
    t->send = send;
}

static void turn_rect(const SDL_Surface *src, SDL_Surface *dst, SDL_Rect r)
{
    const uint8_t *sp = src->pixels;
    uint8_t *dp = dst->pixels;
    int h = src->h;
    for (int ty = r.y; ty < r.y + r.h; ty += TILE) {
        int y1 = ty + TILE < r.y + r.h ? ty + TILE : r.y + r.h;
        for (int tx = r.x; tx < r.x + r.w; tx += TILE) {
            int x1 = tx + TILE < r.x + r.w ? tx + TILE : r.x + r.w;
            for (int y = ty; y < y1; y++) {
                const uint32_t *row = (const uint32_t *)(sp + (size_t)y * (size_t)src->pitch);
                size_t out_x = (size_t)(h - 1 - y);
                for (int x = tx; x < x1; x++)
                    ((uint32_t *)(dp + (size_t)x * (size_t)dst->pitch))[out_x] = row[x];
            }
        }
    }
}

int bt_ui_turn_present(bt_ui_turn *t, const SDL_Rect *damage)
{
    /* Asked for at every present: SDL makes a new one after the window changed size. */
    SDL_Surface *ws = SDL_GetWindowSurface(t->window);
    if (!ws)
        return -1;
    SDL_Rect all = {0, 0, t->content->w, t->content->h}, r;
    /* The part of the content that fits the window turned (a window of another size shows the
     * top-left of the content, never writes past its own pixels). */
    SDL_Rect fits = {0, 0, ws->h < all.w ? ws->h : all.w, ws->w < all.h ? ws->w : all.h};
    fits.y = all.h - fits.h;
    if (!SDL_IntersectRect(damage ? damage : &all, &all, &r) ||
        !SDL_IntersectRect(&r, &fits, &r))
        return 0;
    if (ws->format->format != t->content->format->format)
        return SDL_SetError("window surface format changed");
    if (SDL_MUSTLOCK(ws) && SDL_LockSurface(ws) != 0)
        return -1;
    turn_rect(t->content, ws, r);
    if (SDL_MUSTLOCK(ws))
        SDL_UnlockSurface(ws);
    SDL_Rect out = {t->content->h - (r.y + r.h), r.x, r.h, r.w};
    if (t->send)
        return bt_ui_display_send_rects(t->send, &out, 1);
    return SDL_UpdateWindowSurfaceRects(t->window, &out, 1);
}

void bt_ui_turn_destroy(bt_ui_turn *t)
{
    if (!t)
        return;
    SDL_FreeSurface(t->content);
    free(t);
}
