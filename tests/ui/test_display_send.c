/* bt_ui_display_send on a real X server (Xvfb, started for this test with xvfb-run): the window
 * shows exactly the surface's pixels after every send — the first frame, which goes over the
 * socket while SDL's shared image is still cold, and the frames after it, each of which also
 * sends a band of unchanged rows through the shared image — and the warming that was put off
 * until after the first frame does happen: the cold rows fall at every later send until none
 * are left, after which sending is SDL's call alone and still exact. */
#include "bt_test_support.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "bangtin/bt_ui_display_send.h"

enum { W = 320, H = 240, BAND = 24 };
/* Set in the environment of the copy of this test that runs inside the X server. */
#define UNDER_X "BT_TEST_DISPLAY_SEND_UNDER_X"
/* Sends after the first frame by which every row must have been warmed (64 rows a send today;
 * this leaves room for smaller bands, not for never). */
#define MAX_WARMING_SENDS 16

typedef struct {
    SDL_Window *window;
    SDL_Surface *surface;
    bt_ui_display_send *send;
    Display *dpy;
    Window xwindow;
    XImage *(*get_image)(Display *, Drawable, int, int, unsigned int, unsigned int,
                         unsigned long, int);
} screen;

static void screen_open(screen *s)
{
    memset(s, 0, sizeof *s);
    s->window = SDL_CreateWindow("display_send", 0, 0, W, H, SDL_WINDOW_SHOWN);
    assert_non_null(s->window);
    /* The surface first, as the kiosk's software renderer makes it, then the sender. */
    s->surface = SDL_GetWindowSurface(s->window);
    assert_non_null(s->surface);
    assert_int_equal(s->surface->format->BytesPerPixel, 4);
    s->send = bt_ui_display_send_create(s->window);
    assert_non_null(s->send);
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    assert_true(SDL_GetWindowWMInfo(s->window, &info));
    assert_int_equal(info.subsystem, SDL_SYSWM_X11);
    s->dpy = info.info.x11.display;
    s->xwindow = info.info.x11.window;
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    assert_non_null(x11);
    void *fn = dlsym(x11, "XGetImage");
    assert_non_null(fn);
    memcpy(&s->get_image, &fn, sizeof fn);
}

static void screen_close(screen *s)
{
    bt_ui_display_send_destroy(s->send);
    SDL_DestroyWindow(s->window);
}

/* A value for pixel (x, y) that differs from its neighbours and between `salt`s. */
static Uint32 stamp(int x, int y, Uint32 salt)
{
    return ((Uint32)(x * 7 + y * 1031) * 2654435761u + salt * 40503u) & 0x00FFFFFFu;
}

static void paint(screen *s, int y0, int y1, Uint32 salt)
{
    for (int y = y0; y < y1; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->surface->pixels + (size_t)y * (size_t)s->surface->pitch);
        for (int x = 0; x < W; x++)
            row[x] = SDL_MapRGB(s->surface->format, (Uint8)(stamp(x, y, salt) >> 16),
                                (Uint8)(stamp(x, y, salt) >> 8), (Uint8)stamp(x, y, salt));
    }
}

/* The window's pixels, read back from the X server, are the surface's. */
static void window_shows_surface(screen *s, const char *when)
{
    XImage *img = s->get_image(s->dpy, s->xwindow, 0, 0, W, H, AllPlanes, ZPixmap);
    assert_non_null(img);
    int wrong = 0, first_x = -1, first_y = -1;
    unsigned long first_shown = 0, first_want = 0;
    for (int y = 0; y < H; y++) {
        const Uint32 *row =
            (const Uint32 *)((const Uint8 *)s->surface->pixels + (size_t)y * (size_t)s->surface->pitch);
        for (int x = 0; x < W; x++) {
            unsigned long shown = XGetPixel(img, x, y) & 0x00FFFFFFul;
            if (shown != (row[x] & 0x00FFFFFFu)) {
                if (wrong++ == 0) {
                    first_x = x;
                    first_y = y;
                    first_shown = shown;
                    first_want = row[x] & 0x00FFFFFFu;
                }
            }
        }
    }
    XDestroyImage(img);
    if (wrong)
        fail_msg("%s: %d pixels differ from the surface, the first at (%d, %d): %06lx, not %06lx",
                 when, wrong, first_x, first_y, first_shown, first_want);
}

static void first_frame_then_warming(void **state)
{
    (void)state;
    screen s;
    screen_open(&s);
    paint(&s, 0, H, 1);
    SDL_Rect all = {0, 0, W, H};
    assert_int_equal(bt_ui_display_send_rects(s.send, &all, 1), 0);
    window_shows_surface(&s, "the first frame");
    /* It went over the socket: nothing of the shared image was read yet. */
    assert_int_equal(bt_ui_display_send_cold_rows(s.send), H);

    /* Ticker-like frames: a band at the bottom changes, and only it is asked for. */
    SDL_Rect band = {0, H - BAND, W, BAND};
    int cold = H, sends = 0;
    while (cold > 0) {
        sends++;
        if (sends > MAX_WARMING_SENDS)
            fail_msg("%d rows still cold after %d sends", cold, MAX_WARMING_SENDS);
        paint(&s, H - BAND, H, (Uint32)(1 + sends));
        assert_int_equal(bt_ui_display_send_rects(s.send, &band, 1), 0);
        char when[64];
        snprintf(when, sizeof when, "send %d after the first frame", sends);
        window_shows_surface(&s, when);
        int now = bt_ui_display_send_cold_rows(s.send);
        assert_true(now < cold);
        cold = now;
    }

    /* Warm: a change in the middle, sent through the shared image alone, exact as well. */
    paint(&s, H / 3, H / 2, 99);
    SDL_Rect middle = {0, H / 3, W, H / 2 - H / 3};
    assert_int_equal(bt_ui_display_send_rects(s.send, &middle, 1), 0);
    window_shows_surface(&s, "a send once warm");
    assert_int_equal(bt_ui_display_send_cold_rows(s.send), 0);
    screen_close(&s);
}

/* A rectangle narrower than the window in rows still cold goes over the socket too, exactly. */
static void narrow_rectangle_while_cold(void **state)
{
    (void)state;
    screen s;
    screen_open(&s);
    paint(&s, 0, H, 5);
    SDL_Rect all = {0, 0, W, H};
    assert_int_equal(bt_ui_display_send_rects(s.send, &all, 1), 0);
    Uint32 *px = (Uint32 *)((Uint8 *)s.surface->pixels + (size_t)(H - 10) * (size_t)s.surface->pitch);
    for (int x = 40; x < 90; x++)
        px[x] = SDL_MapRGB(s.surface->format, 10, 200, 30);
    SDL_Rect narrow = {40, H - 10, 50, 1};
    assert_int_equal(bt_ui_display_send_rects(s.send, &narrow, 1), 0);
    window_shows_surface(&s, "a narrow rectangle in cold rows");
    screen_close(&s);
}

static int video_setup(void **state)
{
    (void)state;
    /* As `bangtin run` sets it for the software renderer: the window's pixels are SDL's X11
     * image, not a texture of another renderer (and no OpenGL is loaded). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    return SDL_Init(SDL_INIT_VIDEO);
}

static int video_teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return 0;
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!getenv(UNDER_X)) {
        /* This test again, inside an X server of its own. */
        char cmd[4096];
        snprintf(cmd, sizeof cmd,
                 "%s=1 SDL_VIDEODRIVER=x11 xvfb-run -a -s '-screen 0 %dx%dx24 -nolisten tcp' '%s'",
                 UNDER_X, W, H, argv[0]);
        int status = system(cmd);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_frame_then_warming),
        cmocka_unit_test(narrow_rectangle_while_cold),
    };
    return cmocka_run_group_tests(tests, video_setup, video_teardown);
}
