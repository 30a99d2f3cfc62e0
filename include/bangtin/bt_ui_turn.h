/* A monitor mounted on its side whose output the OS does not rotate: the content is painted
 * upright (portrait on a landscape output, or the reverse) with SDL's software renderer into a
 * surface of its own, and only what changed is turned 90° clockwise into the window's surface
 * and sent to the display. SDL's own route (a target texture and SDL_RenderCopyEx) rotates the
 * whole frame through a new 8 MB surface at every ticker frame: 80 % of a core and 72 MB
 * measured at 1080×1920 content, against ~3 % and ~40 MB the right way up.
 *
 * Content (x, y) lands on window pixel (content_h − 1 − y, x): the content's left edge is the
 * window's top, its top edge the window's right (bt_app_panel_window_to_content inverts it). */
#ifndef BT_UI_TURN_H
#define BT_UI_TURN_H

#include <SDL2/SDL.h>

#include "bt_ui_display_send.h"

typedef struct bt_ui_turn bt_ui_turn;

/* For a window of content_h × content_w pixels. NULL with SDL's error set when the window's
 * surface is not 32 bits per pixel (then use SDL_RenderCopyEx). */
bt_ui_turn *bt_ui_turn_create(SDL_Window *window, int content_w, int content_h);
/* The upright content surface to paint into (SDL_CreateSoftwareRenderer on it). */
SDL_Surface *bt_ui_turn_content(bt_ui_turn *t);
/* Turns the content rectangle `damage` (NULL: all of it) into the window and updates that part
 * of the display. 0, or -1 with SDL's error set. */
int bt_ui_turn_present(bt_ui_turn *t, const SDL_Rect *damage);
/* What turned rectangles reach the display through (kept by the caller; NULL: SDL's call). */
void bt_ui_turn_set_send(bt_ui_turn *t, bt_ui_display_send *send);
void bt_ui_turn_destroy(bt_ui_turn *t);

#endif
