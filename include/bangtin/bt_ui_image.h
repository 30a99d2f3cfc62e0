/* Images of image notices: decoded once with SDL_image (PNG, JPEG) and scaled once to exactly
 * the size they are shown at, so a large photo does not stay in memory at full size. */
#ifndef BT_UI_IMAGE_H
#define BT_UI_IMAGE_H

#include <stddef.h>

#include <SDL2/SDL.h>

/* Decodes a PNG/JPEG file. NULL with a Vietnamese message in err. Caller frees. */
SDL_Surface *bt_ui_image_load(const char *path, char *err, size_t err_size);
/* A new ARGB8888 surface of w×h: area-averaged when shrinking (no aliasing in fine print),
 * bilinear when enlarging; alpha is respected (averaged premultiplied). NULL on failure. */
SDL_Surface *bt_ui_image_scale(SDL_Surface *src, int w, int h);

#endif
