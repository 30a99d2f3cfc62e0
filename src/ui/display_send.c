/* A window's surface to the display: SDL's shared image, with the rows the X server has not read
 * through it yet sent over the socket (see bt_ui_display_send.h for why). */
#include "bangtin/bt_ui_display_send.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "dl_symbol.h"

/* Bytes of pixels per XPutImage request: the X server reads a request whole into its buffer,
 * which it grows to the request's size; kept under 64 KiB the buffer is the same small, warm
 * one for every request instead of 8 MB of fresh memory faulted in for one. */
#define SOCKET_REQUEST_BYTES 65536
/* Rows of the shared image warmed up per send after the first frame: about 120 pages at
 * 1920 px (~4 ms of the X server's CPU on the measured VM), all of a 1080-row window within
 * 17 sends, i.e. the first second of the ticker. */
#define WARM_ROWS 64

/* Up to this many of the caller's rectangles, and the warm-up band, go to SDL in one call. */
#define MAX_RECTS 16

struct bt_ui_display_send {
    SDL_Window *window;
    bool x11;            /* the socket route is open */
    void *lib;           /* libX11, already in the process through SDL */
    Display *dpy;
    Window xwindow;
    GC gc;
    Visual *visual;
    int depth;
    const void *pixels;  /* the surface the warm rows are counted for */
    int rows;
    int warm;            /* rows [0, warm) went through the shared image */
    GC (*create_gc)(Display *, Drawable, unsigned long, XGCValues *);
    int (*free_gc)(Display *, GC);
    Status (*get_attributes)(Display *, Window, XWindowAttributes *);
    XImage *(*create_image)(Display *, Visual *, unsigned int, int, int, char *, unsigned int,
                            unsigned int, int, int);
    int (*put_image)(Display *, Drawable, GC, XImage *, int, int, int, int, unsigned int,
                     unsigned int);
    int (*sync)(Display *, Bool);
    int (*fill_rectangle)(Display *, Drawable, GC, int, int, unsigned int, unsigned int);
    int (*flush)(Display *);
};

/* Has the X server write every pixel under the window with the value it already holds (OR 0),
 * without waiting for it: it does so on another core while the first frame is laid out, and the
 * frame is then copied into memory the server has written since its last fork (Xvfb forks
 * xkbcomp at every reset, after which each page it writes faults once). */
static void touch_window(bt_ui_display_send *s, int w, int h)
{
    XGCValues v = {.function = GXor, .foreground = 0};
    GC gc = s->create_gc(s->dpy, s->xwindow, GCFunction | GCForeground, &v);
    if (!gc)
        return;
    s->fill_rectangle(s->dpy, s->xwindow, gc, 0, 0, (unsigned int)w, (unsigned int)h);
    s->free_gc(s->dpy, gc);
    s->flush(s->dpy);
}

/* The socket route, when the window is on X11 and its surface is laid out as the X server wants
 * a 32-bit image of the window's depth; otherwise s stays on SDL's call alone. */
static void open_x11(bt_ui_display_send *s)
{
    /* Unless told not to, SDL may keep the window's pixels in a texture of another renderer,
     * which it copies whole to the window at every update: rows sent around it would be
     * painted over with what that texture holds. With "0" they are SDL's X11 image. */
    const char *accel = SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION);
    if (!accel || (strcmp(accel, "0") != 0 && SDL_strcasecmp(accel, "false") != 0))
        return;
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(s->window, &info) || info.subsystem != SDL_SYSWM_X11)
        return;
    s->lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!bt_ui_dl_symbol(s->lib, "XCreateGC", &s->create_gc) ||
        !bt_ui_dl_symbol(s->lib, "XFreeGC", &s->free_gc) ||
        !bt_ui_dl_symbol(s->lib, "XGetWindowAttributes", &s->get_attributes) ||
        !bt_ui_dl_symbol(s->lib, "XCreateImage", &s->create_image) ||
        !bt_ui_dl_symbol(s->lib, "XPutImage", &s->put_image) ||
        !bt_ui_dl_symbol(s->lib, "XSync", &s->sync) ||
        !bt_ui_dl_symbol(s->lib, "XFillRectangle", &s->fill_rectangle) ||
        !bt_ui_dl_symbol(s->lib, "XFlush", &s->flush))
        return;
    s->dpy = info.info.x11.display;
    s->xwindow = info.info.x11.window;
    XWindowAttributes attrs;
    if (!s->get_attributes(s->dpy, s->xwindow, &attrs))
        return;
    s->visual = attrs.visual;
    s->depth = attrs.depth;
    s->gc = s->create_gc(s->dpy, s->xwindow, 0, NULL);
    s->x11 = s->gc != NULL;
    if (s->x11)
        touch_window(s, attrs.width, attrs.height);
}

bt_ui_display_send *bt_ui_display_send_create(SDL_Window *window)
{
    bt_ui_display_send *s = calloc(1, sizeof *s);
    if (!s) {
        SDL_OutOfMemory();
        return NULL;
    }
    s->window = window;
    open_x11(s);
    return s;
}

void bt_ui_display_send_destroy(bt_ui_display_send *s)
{
    if (!s)
        return;
    if (s->gc)
        s->free_gc(s->dpy, s->gc);
    if (s->lib)
        dlclose(s->lib);
    free(s);
}

/* The surface as an XImage without copying it, or NULL when its layout is not the X server's. */
static XImage *surface_image(bt_ui_display_send *s, SDL_Surface *surf)
{
    if (surf->format->BytesPerPixel != 4)
        return NULL;
    XImage *img = s->create_image(s->dpy, s->visual, (unsigned int)s->depth, ZPixmap, 0,
                                  surf->pixels, (unsigned int)surf->w, (unsigned int)surf->h, 32,
                                  surf->pitch);
    if (!img)
        return NULL;
    /* The pixels are in this machine's byte order, as SDL's own image says of them. */
    img->byte_order = SDL_BYTEORDER == SDL_BIG_ENDIAN ? MSBFirst : LSBFirst;
    if (img->bits_per_pixel != 32 || img->red_mask != surf->format->Rmask ||
        img->green_mask != surf->format->Gmask || img->blue_mask != surf->format->Bmask) {
        img->data = NULL; /* SDL's pixels: not the image's to free */
        XDestroyImage(img);
        return NULL;
    }
    return img;
}

/* Sends rows [y0, y1) of r over the socket, a few rows per request. */
static void put_rows(bt_ui_display_send *s, XImage *img, SDL_Rect r, int y0, int y1)
{
    int step = SOCKET_REQUEST_BYTES / (r.w * 4);
    if (step < 1)
        step = 1;
    for (int y = y0; y < y1; y += step) {
        int h = y + step < y1 ? step : y1 - y;
        s->put_image(s->dpy, s->xwindow, s->gc, img, r.x, y, r.x, y, (unsigned int)r.w,
                     (unsigned int)h);
    }
}

int bt_ui_display_send_rects(bt_ui_display_send *s, const SDL_Rect *rects, int count)
{
    SDL_Surface *surf = s->x11 ? SDL_GetWindowSurface(s->window) : NULL;
    if (!surf || count > MAX_RECTS)
        return SDL_UpdateWindowSurfaceRects(s->window, rects, count);
    if (surf->pixels != s->pixels || surf->h != s->rows) {
        /* A new surface (SDL makes one when the window's size changes): a new shared image. */
        s->pixels = surf->pixels;
        s->rows = surf->h;
        s->warm = 0;
    }
    if (s->warm >= s->rows)
        return SDL_UpdateWindowSurfaceRects(s->window, rects, count);
    XImage *img = surface_image(s, surf);
    if (!img) {
        s->warm = s->rows; /* never: SDL's call from now on */
        return SDL_UpdateWindowSurfaceRects(s->window, rects, count);
    }
    SDL_Rect shared[MAX_RECTS + 1], all = {0, 0, surf->w, surf->h};
    int n = 0, socket_rows = 0;
    for (int i = 0; i < count; i++) {
        SDL_Rect r;
        if (!SDL_IntersectRect(&rects[i], &all, &r))
            continue;
        int split = r.y + r.h < s->warm ? r.y + r.h : s->warm; /* rows above it are warm */
        if (split > r.y)
            shared[n++] = (SDL_Rect){r.x, r.y, r.w, split - r.y};
        int from = split > r.y ? split : r.y;
        if (from < r.y + r.h) {
            put_rows(s, img, r, from, r.y + r.h);
            socket_rows += r.y + r.h - from;
        }
    }
    img->data = NULL;
    XDestroyImage(img);
    /* Not with a frame that itself went mostly over the socket (the first): it would wait. */
    if (socket_rows <= WARM_ROWS) {
        int h = s->rows - s->warm < WARM_ROWS ? s->rows - s->warm : WARM_ROWS;
        shared[n++] = (SDL_Rect){0, s->warm, surf->w, h};
        s->warm += h;
    }
    if (n > 0)
        return SDL_UpdateWindowSurfaceRects(s->window, shared, n);
    s->sync(s->dpy, False);
    return 0;
}

int bt_ui_display_send_cold_rows(const bt_ui_display_send *s)
{
    return s->x11 && s->warm < s->rows ? s->rows - s->warm : 0;
}
