/* The real switches behind bt_display_backend (bt_display_power.h): DPMS through the window's
 * own display connection — the X server's DPMS extension (libXext) or, on KMSDRM, the
 * connector's "DPMS" property (libdrm) — and HDMI-CEC standby/on to the TV (libcec). Every
 * library is loaded with dlopen when first needed: the kiosk's start-up and its hard
 * dependencies stay as they were (libXext and libdrm come with SDL; libcec6 is only recommended),
 * and a machine without them still runs, its display blanked instead of switched off. */
#ifndef BT_UI_DISPLAY_POWER_H
#define BT_UI_DISPLAY_POWER_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL2/SDL.h>

#include "bt_display_power.h"

typedef struct bt_ui_dpms bt_ui_dpms;
typedef struct bt_ui_cec bt_ui_cec;

/* DPMS of the display that window is on (X11 or KMSDRM); nothing is loaded until the first
 * switch. NULL when out of memory. */
bt_ui_dpms *bt_ui_dpms_create(SDL_Window *window);
/* DPMS of this machine without a window, for doctor: the X server in $DISPLAY, else the first
 * /dev/dri card. */
bt_ui_dpms *bt_ui_dpms_create_system(void);
void bt_ui_dpms_destroy(bt_ui_dpms *d);
void bt_ui_dpms_backend(bt_ui_dpms *d, bt_display_backend *out);
/* Opens what switching needs, without switching: 0 and what was found in `found` (e.g. "X11
 * :0, màn hình đang bật"), or -1 and why not in Vietnamese. */
int bt_ui_dpms_probe(bt_ui_dpms *d, char *found, size_t size);

/* HDMI-CEC through the first adapter libcec finds; nothing is loaded until the first switch. */
bt_ui_cec *bt_ui_cec_create(void);
void bt_ui_cec_destroy(bt_ui_cec *c);
void bt_ui_cec_backend(bt_ui_cec *c, bt_display_backend *out);
/* Finds an adapter without opening it (the kiosk may hold it): 0 and its name in `found`, or
 * -1 and why not. */
int bt_ui_cec_probe(bt_ui_cec *c, char *found, size_t size);

#endif
