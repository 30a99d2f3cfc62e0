/* QR codes for the lobby screen, drawn for phones 1–2 m away: libqrencode (ECC level M,
 * case-sensitive 8-bit), crisp integer-scaled modules, dark on white whatever the theme, and a
 * white quiet zone of at least four modules. */
#ifndef BT_UI_QR_H
#define BT_UI_QR_H

#include <stddef.h>

#include <SDL2/SDL.h>

/* The quiet zone the QR standard asks for, in modules on each side. */
#define BT_UI_QR_QUIET_MODULES 4

/* The code at one pixel per module, quiet zone included: an opaque square of
 * (modules + 8) px, black on white. *scale receives the largest whole number of pixels per
 * module at which that square fits a plate×plate box; the caller draws the surface scaled by
 * exactly that with nearest-neighbour sampling (crisp edges) on a white plate, so the leftover
 * pixels only widen the quiet zone. Keeping the small surface instead of the scaled one saves
 * a megabyte per large QR. NULL if the text cannot be encoded or scale would be 0. */
SDL_Surface *bt_ui_qr_render(const char *text, int plate, int *scale);

/* Modules on a side of the code bt_ui_qr_render draws for text (quiet zone not included), or 0
 * if it cannot be encoded. */
int bt_ui_qr_modules(const char *text);
/* The longest URL-like text (bytes) whose code has at most max_modules on a side, 0 if none. */
size_t bt_ui_qr_max_bytes(int max_modules);

/* Where the scaled code goes inside the plate (centred). */
SDL_Rect bt_ui_qr_placement(SDL_Rect plate, int side, int scale);

#endif
