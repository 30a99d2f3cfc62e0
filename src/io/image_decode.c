/* Decoding an image the probe passed, with SDL_image (PNG through libpng, JPEG through
 * libjpeg), exactly as the screen will decode it (image_decode.h). */
#include <SDL.h>

#include "bangtin/bt_sdl_image.h"

#include "image_decode.h"

/* Decodes the image from memory with SDL_image, restricted to the format its header claims. */
bool io_image_decodes(const unsigned char *data, size_t len, bt_image_format format, int *width,
                    int *height)
{
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw)
        return false;
    SDL_Surface *surface = bt_sdl_image_load_typed(rw, 1, format == BT_IMAGE_PNG ? "PNG" : "JPG");
    if (!surface)
        return false;
    *width = surface->w;
    *height = surface->h;
    SDL_FreeSurface(surface);
    return true;
}

bool bt_playlist_load_decodes_images(void)
{
    return true;
}
