/* Sends rectangles of a window's surface (SDL's software framebuffer) to the display, as
 * SDL_UpdateWindowSurfaceRects does, but on X11 without making the first frame wait for the X
 * server to fault in the memory it copies through.
 *
 * Why: on X11 SDL keeps the window's pixels in a MIT-SHM image. The X server maps it but touches
 * its pages only when it first copies from them, one page fault per 4 KiB page, and it writes
 * the frame into its own framebuffer, whose pages fault once more after every fork of the server
 * (Xvfb runs xkbcomp at each reset, i.e. whenever its last client left). On the virtual machine
 * the kiosk is measured on, the first full copy of a 1920×1080 frame cost the X server 60–110 ms
 * of CPU (perf: page faults and the copy through them); a second one 1–2 ms. The kiosk waited
 * for all of it before its first frame was on screen. So:
 *   - when made, it asks the X server to write every pixel under the window with the value it
 *     already holds (OR 0), without waiting: the server faults its framebuffer in on the other
 *     core while the kiosk lays out its first notice;
 *   - rows of the window the X server has not yet read through the shared image go over the
 *     connection's socket (XPutImage, a few rows per request so that the server's request
 *     buffer stays small and warm), and each later send adds one band of rows already on screen,
 *     unchanged, to SDL's shared-image update, so the server faults that image in a band at a
 *     time after the first frame instead of all of it before. Once every row went through the
 *     shared image, sending is SDL's call alone.
 *
 * Elsewhere (KMSDRM, Wayland, offscreen, an X11 surface of another pixel layout, a window surface
 * SDL keeps in a texture because SDL_HINT_FRAMEBUFFER_ACCELERATION is not "0") it is SDL's call
 * alone from the start. libX11 is the one SDL already loaded (dlopen). */
#ifndef BT_UI_DISPLAY_SEND_H
#define BT_UI_DISPLAY_SEND_H

#include <SDL2/SDL.h>

typedef struct bt_ui_display_send bt_ui_display_send;

/* For window, whose surface the software renderer paints into. NULL when out of memory. */
bt_ui_display_send *bt_ui_display_send_create(SDL_Window *window);
void bt_ui_display_send_destroy(bt_ui_display_send *s);
/* Sends the rectangles (window pixels) and waits for the display to have them, like
 * SDL_UpdateWindowSurfaceRects. 0, or -1 with SDL's error set. */
int bt_ui_display_send_rects(bt_ui_display_send *s, const SDL_Rect *rects, int count);
/* Rows of the window not yet read by the X server through SDL's shared image (0 once all were,
 * and always 0 where there is no such image): what the next sends still go through the socket
 * for, or warm up. */
int bt_ui_display_send_cold_rows(const bt_ui_display_send *s);

#endif
