/* A turned monitor on SDL's software renderer (bt_ui_turn): every content pixel lands on window
 * pixel (content_h − 1 − y, x), the same mapping the panel's touch handling inverts; a present
 * limited to a damaged rectangle changes that part of the window and nothing else; a renderer
 * painting into the content surface shows up turned. */
#include "ui_fixture.h"

#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_ui_turn.h"

enum { CW = 120, CH = 200 }; /* portrait content on a 200 × 120 landscape window */

typedef struct {
    SDL_Window *window;
    bt_ui_turn *turn;
    SDL_Surface *content;
} turned;

static void turned_open(turned *t)
{
    t->window = SDL_CreateWindow("turn", 0, 0, CH, CW, SDL_WINDOW_HIDDEN);
    assert_non_null(t->window);
    t->turn = bt_ui_turn_create(t->window, CW, CH);
    assert_non_null(t->turn);
    t->content = bt_ui_turn_content(t->turn);
    assert_int_equal(t->content->w, CW);
    assert_int_equal(t->content->h, CH);
}

static void turned_close(turned *t)
{
    bt_ui_turn_destroy(t->turn);
    SDL_DestroyWindow(t->window);
}

static Uint32 *content_px(const turned *t, int x, int y)
{
    return (Uint32 *)((Uint8 *)t->content->pixels + (size_t)y * (size_t)t->content->pitch) + x;
}

static Uint32 window_px(const turned *t, int x, int y)
{
    SDL_Surface *ws = SDL_GetWindowSurface(t->window);
    assert_non_null(ws);
    return ((const Uint32 *)((const Uint8 *)ws->pixels + (size_t)y * (size_t)ws->pitch))[x];
}

/* Content pixel (x, y) holds a value unique to it (with full alpha). */
static Uint32 stamp(int x, int y, Uint32 salt)
{
    return 0xFF000000u | (((Uint32)y * CW + (Uint32)x + salt) & 0x00FFFFFFu);
}

static void stamp_all(turned *t, Uint32 salt)
{
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++)
            *content_px(t, x, y) = stamp(x, y, salt);
}

static void every_pixel_lands_turned(void **state)
{
    (void)state;
    turned t;
    turned_open(&t);
    stamp_all(&t, 1);
    assert_int_equal(bt_ui_turn_present(t.turn, NULL), 0);
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++)
            if (window_px(&t, CH - 1 - y, x) != stamp(x, y, 1))
                fail_msg("content (%d,%d) not at window (%d,%d)", x, y, CH - 1 - y, x);
    /* The touch mapping inverts it: a press on window (CH-1-y, x) is content (x, y). */
    int cx, cy;
    bt_app_panel_window_to_content(CH, CW, CW, CH, true, CH - 1 - 37, 11, &cx, &cy);
    assert_int_equal(cx, 11);
    assert_int_equal(cy, 37);
    turned_close(&t);
}

static void damage_limits_what_changes(void **state)
{
    (void)state;
    turned t;
    turned_open(&t);
    stamp_all(&t, 1);
    assert_int_equal(bt_ui_turn_present(t.turn, NULL), 0);
    /* Everything changes in the content; only the bottom band is presented. */
    stamp_all(&t, 7);
    SDL_Rect band = {0, CH - 20, CW, 20};
    assert_int_equal(bt_ui_turn_present(t.turn, &band), 0);
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++) {
            Uint32 want = y >= CH - 20 ? stamp(x, y, 7) : stamp(x, y, 1);
            if (window_px(&t, CH - 1 - y, x) != want)
                fail_msg("content (%d,%d): %s", x, y, y >= CH - 20 ? "band not presented"
                                                                   : "outside the band changed");
        }
    /* A rectangle outside the content presents nothing and is not an error. */
    SDL_Rect outside = {CW + 5, 0, 10, 10};
    assert_int_equal(bt_ui_turn_present(t.turn, &outside), 0);
    turned_close(&t);
}

static void a_renderer_paints_upright(void **state)
{
    (void)state;
    turned t;
    turned_open(&t);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(t.content);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
    SDL_RenderClear(r);
    /* A red bar across the top of the content: the window's right column, top to bottom. */
    SDL_SetRenderDrawColor(r, 255, 0, 0, 255);
    SDL_Rect top = {0, 0, CW, 4};
    SDL_RenderFillRect(r, &top);
    SDL_RenderPresent(r);
    assert_int_equal(bt_ui_turn_present(t.turn, NULL), 0);
    SDL_Surface *ws = SDL_GetWindowSurface(t.window);
    Uint8 red, green, blue;
    for (int wy = 0; wy < CW; wy++) {
        SDL_GetRGB(window_px(&t, CH - 1, wy), ws->format, &red, &green, &blue);
        assert_true(red == 255 && green == 0 && blue == 0);
        SDL_GetRGB(window_px(&t, 0, wy), ws->format, &red, &green, &blue);
        assert_true(red == 0 && green == 0 && blue == 0);
    }
    SDL_DestroyRenderer(r);
    turned_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_pixel_lands_turned),
        cmocka_unit_test(damage_limits_what_changes),
        cmocka_unit_test(a_renderer_paints_upright),
    };
    return cmocka_run_group_tests(tests, ui_video_setup, ui_video_teardown);
}
