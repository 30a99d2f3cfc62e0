/* The lobby screen: header (ward, Vietnamese date, clock), the current notice, a scrolling
 * ticker, a corner QR to the public-service portal. Paints with an SDL_Renderer it is given;
 * knows nothing of the store. Which notice to show is decided by core/rotation in the caller. */
#ifndef BT_SCREEN_H
#define BT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "bt_diag.h"
#include "bt_playlist.h"
#include "bt_time.h"

typedef struct { uint8_t r, g, b; } bt_rgb;

typedef struct {
    const char *ward_name;       /* "UBND phường Bạch Mai" */
    const char *portal_url;      /* corner QR, e.g. "https://dichvucong.gov.vn" */
    const char *portal_caption;  /* under the corner QR */
    const char *font_regular;    /* TTF paths with full Vietnamese coverage */
    const char *font_bold;
    bt_rgb background, foreground, accent;
    bt_rgb header_background, header_foreground;
    bt_rgb ticker_background, ticker_foreground;
    int min_text_px;             /* legibility floor for body text at 1080 px of the short side */
    bool ticker_enabled;
    int ticker_speed_px;         /* pixels per second at 1080 px of the short side */
    int transition_ms;           /* crossfade length; 0 = cut */
} bt_screen_config;

typedef struct bt_screen bt_screen;

/* The screen keeps pointers to cfg's strings: they must outlive it. Fonts are opened here.
 * Returns 0, or -1 with a message in err. */
int bt_screen_create(SDL_Renderer *renderer, int width, int height, const bt_screen_config *cfg,
                     bt_screen **out, char *err, size_t err_size);
void bt_screen_destroy(bt_screen *s); /* NULL is fine */

/* Sets the playlist to paint (NULL = none: the idle screen). The screen keeps the pointer; the
 * caller keeps the playlist alive until the next call or destroy. dir resolves image paths.
 * Drops every cached texture. */
void bt_screen_set_playlist(bt_screen *s, const bt_playlist *p, const char *dir);
/* From now on show notice `index` (BT_ROTATION_NONE = idle screen: ward, clock, portal QR).
 * animate: crossfade from what was shown, starting at `now`. */
void bt_screen_show(bt_screen *s, size_t index, bool animate, bt_mono_ns now);
/* "Đang phát: <title>" banner while a broadcast airs; NULL hides it. Copied. */
void bt_screen_set_now_playing(bt_screen *s, const char *title);
/* Paints one full frame for wall time `wall` (header clock/date) and monotonic `mono` (ticker,
 * crossfade) into the renderer, without presenting. Returns the milliseconds until the screen
 * next needs a frame for animation (ticker or crossfade), or -1 when it is static until the
 * clock's next minute or a new show() call. */
int bt_screen_draw(bt_screen *s, bt_wall wall, bt_mono_ns mono);
/* True if the current notice's asset failed to load (it is skipped visually and logged). */
bool bt_screen_current_failed(const bt_screen *s);

/* Checks that every notice's text fits its boxes at or above the legibility floor at the given
 * size, adding a warning per notice that does not. Needs only SDL_ttf (no window). */
int bt_screen_check_fit(const bt_screen_config *cfg, const bt_playlist *p, int width, int height,
                        const char *file, bt_diags *diags);

/* Renders exactly what the screen shows at `at` (no crossfade, ticker at its start) into a PNG,
 * using SDL's offscreen driver and the software renderer; no display needed. p may be NULL. */
int bt_screen_render_png(const bt_screen_config *cfg, const bt_playlist *p, const char *dir,
                         bt_wall at, int width, int height, const char *png_path,
                         char *err, size_t err_size);

#endif
