/* Shared helpers of the headless screen tests: the default appliance theme, the test playlist,
 * an offscreen software renderer, pixel read-back and QR decoding with zbarimg. Header-only
 * (static inline) because every tests/ui/test_*.c is its own executable. */
#ifndef UI_FIXTURE_H
#define UI_FIXTURE_H

#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_ui_stats.h"

#define UI_PLAYLIST_DIR BT_SOURCE_DIR "/tests/data/ui/basic"
#define UI_PORTAL_URL "https://dichvucong.gov.vn"
/* Indices of the notices in tests/data/ui/basic/playlist.cfg. */
enum {
    N_TEXT_QR = 0,
    N_IMAGE = 1,
    N_QR = 2,
    N_URGENT = 3,
    N_CAPITALS = 4,
    N_LONG_FITS = 5,
    N_TOO_LONG = 6,
    N_LONG_URL = 7,
    N_COUNT = 8
};
#define UI_NOTICE_URL "https://dichvucong.hanoi.gov.vn/TraCuu?ma=BM-2026&Loai=HoSo"

typedef struct {
    bt_config cfg;          /* the appliance defaults (the theme staff get out of the box) */
    bt_screen_config sc;
    bt_playlist playlist;
    SDL_Window *window;
    SDL_Renderer *renderer;
    bt_screen *screen;
    int width, height;
    Uint32 *pixels;         /* last read-back, ARGB8888, width × height */
} ui_fixture;

static inline void ui_config(ui_fixture *f)
{
    bt_config_defaults(&f->cfg);
    snprintf(f->cfg.portal_url, sizeof f->cfg.portal_url, "%s", UI_PORTAL_URL);
    bt_config_screen(&f->cfg, &f->sc);
}

/* Loads a playlist that must validate (e.g. the demo), whatever its notices. */
static inline void ui_load_playlist_any(bt_playlist *p, const char *dir)
{
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(p);
    int rc = bt_playlist_load(dir, p, &d);
    for (size_t i = 0; i < d.count; i++) {
        char line[2048];
        fprintf(stderr, "%s\n", bt_diag_format(&d.items[i], line, sizeof line));
    }
    bt_diags_free(&d);
    assert_int_equal(rc, 0);
}

/* Loads a test playlist that must validate and hold `count` notices. */
static inline void ui_load_playlist_count(bt_playlist *p, const char *dir, size_t count)
{
    ui_load_playlist_any(p, dir);
    assert_int_equal(p->notice_count, count);
}

static inline void ui_load_playlist(bt_playlist *p, const char *dir)
{
    ui_load_playlist_count(p, dir, N_COUNT);
}

static inline void ui_video_init(void)
{
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    assert_int_equal(SDL_InitSubSystem(SDL_INIT_VIDEO), 0);
}

/* cmocka group setup/teardown for suites that only need the video subsystem. */
static inline int ui_video_setup(void **state)
{
    (void)state;
    ui_video_init();
    return 0;
}

static inline int ui_video_teardown(void **state)
{
    (void)state;
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return 0;
}

/* A screen of w×h on a hidden offscreen window with the software renderer. */
static inline void ui_open(ui_fixture *f, int w, int h, bool with_playlist)
{
    char err[512];
    f->width = w;
    f->height = h;
    f->window = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    assert_non_null(f->window);
    f->renderer = SDL_CreateRenderer(f->window, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(f->renderer);
    int rc = bt_screen_create(f->renderer, w, h, &f->sc, &f->screen, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "bt_screen_create: %s\n", err);
    assert_int_equal(rc, 0);
    bt_screen_set_playlist(f->screen, with_playlist ? &f->playlist : NULL, UI_PLAYLIST_DIR);
    /* As the kiosk does: ticker frames then move the band's pixels (bt_screen_draw). */
    bt_screen_set_target_surface(f->screen, SDL_GetWindowSurface(f->window));
    f->pixels = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(f->pixels);
}

static inline void ui_close(ui_fixture *f)
{
    bt_screen_destroy(f->screen);
    SDL_DestroyRenderer(f->renderer);
    SDL_DestroyWindow(f->window);
    free(f->pixels);
    f->screen = NULL;
    f->renderer = NULL;
    f->window = NULL;
    f->pixels = NULL;
}

static inline void ui_read(ui_fixture *f)
{
    assert_int_equal(SDL_RenderReadPixels(f->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, f->pixels,
                                          f->width * 4),
                     0);
}

/* Draws at wall/mono and reads the frame back; returns draw's result. */
static inline int ui_frame(ui_fixture *f, bt_wall wall, bt_mono_ns mono)
{
    int rc = bt_screen_draw(f->screen, wall, mono);
    ui_read(f);
    return rc;
}

static inline void ui_save(const ui_fixture *f, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(f->pixels, f->width, f->height, 32,
                                                        f->width * 4, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    assert_int_equal(IMG_SavePNG(s, path), 0);
    SDL_FreeSurface(s);
}

static inline int ui_r(Uint32 p) { return (int)((p >> 16) & 0xFF); }
static inline int ui_g(Uint32 p) { return (int)((p >> 8) & 0xFF); }
static inline int ui_b(Uint32 p) { return (int)(p & 0xFF); }

/* Mean luma (0..255, Rec. 601 weights) over a rectangle of the last frame. */
static inline double ui_mean_luma(const ui_fixture *f, int x0, int y0, int w, int h)
{
    double sum = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            Uint32 p = f->pixels[(size_t)y * (size_t)f->width + (size_t)x];
            sum += 0.299 * ui_r(p) + 0.587 * ui_g(p) + 0.114 * ui_b(p);
        }
    return sum / ((double)w * h);
}

static inline bool ui_is_rgb(Uint32 p, bt_rgb c, int tolerance)
{
    return abs(ui_r(p) - c.r) <= tolerance && abs(ui_g(p) - c.g) <= tolerance &&
           abs(ui_b(p) - c.b) <= tolerance;
}

/* Runs zbarimg on a PNG; returns its output lines sorted and joined with '\n' (malloc'd). */
static inline char *ui_zbar(const char *png)
{
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus --raw -q '%s' | LC_ALL=C sort", png);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    return out;
}

/* A time on Monday 23/11/2026 at which the rotation shows notice `index` (searched second by
 * second from 08:00, so the rotation module decides, not the test). */
static inline bt_wall ui_time_showing(const bt_playlist *p, size_t index)
{
    bt_wall start = bt_time_from_civil(2026, 11, 23, 8, 0, 0);
    for (bt_wall t = start; t < start + 4 * 3600; t++)
        if (bt_rotation_at(p, t).notice == index)
            return t;
    fail_msg("notice %zu never shows on 23/11/2026", index);
    return 0;
}

static inline char *ui_temp(const char *name)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    return dir;
}

/* What a suite's setup makes: video, the fixed test time (Monday 23/11/2026 09:05 in Hà Nội),
 * the test playlist, and <build>/test-tmp/<tmp_name> for frames to review. */
static inline void ui_suite_setup(bt_playlist *p, bt_wall *monday_0905, char **tmp,
                                  const char *tmp_name)
{
    ui_video_init();
    *monday_0905 = bt_time_from_civil(2026, 11, 23, 9, 5, 0);
    ui_load_playlist_count(p, UI_PLAYLIST_DIR, N_COUNT);
    *tmp = ui_temp(tmp_name);
}

static inline void ui_suite_teardown(bt_playlist *p, char **tmp)
{
    bt_playlist_free(p);
    free(*tmp);
    *tmp = NULL;
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

#endif
