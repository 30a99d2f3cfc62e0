/* SDL_image, for what libpng and libjpeg are not called for directly: the full decode check of
 * an image (io/image_decode.c), interlaced PNGs and CMYK JPEGs on the screen (ui/image.c), and
 * PNG files written (screenshot, the kiosk's previews).
 *
 * In the appliance's build (sdl_image.c) the library is opened with dlopen the first time one
 * of these is needed: SDL_image links libtiff, libwebp, libLerc, libjbig, libdeflate and
 * libstdc++ for formats bangtin refuses anyway, and mapped into the lobby kiosk at every start
 * they were ~0.6 MB of its memory (issue 14, item 9) and part of its dynamic linking. The staff
 * tools' build (bangtin.exe, static) links it (sdl_image_linked.c). The answers are SDL_image's;
 * when the library cannot be opened, NULL or -1 with SDL_GetError() saying so in Vietnamese. */
#ifndef BT_SDL_IMAGE_H
#define BT_SDL_IMAGE_H

#include <SDL2/SDL.h>

/* IMG_Load. Caller frees the surface. */
SDL_Surface *bt_sdl_image_load(const char *path);
/* IMG_LoadTyped_RW (type "PNG", "JPG"). Caller frees the surface; with freesrc, rw is closed. */
SDL_Surface *bt_sdl_image_load_typed(SDL_RWops *rw, int freesrc, const char *type);
/* IMG_SavePNG: 0 or -1. */
int bt_sdl_image_save_png(SDL_Surface *surface, const char *path);

#endif
