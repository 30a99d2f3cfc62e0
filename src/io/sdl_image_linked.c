/* SDL_image linked into the program (bt_sdl_image.h): the staff tools' build (bangtin.exe). */
#include "bangtin/bt_sdl_image.h"

#include <SDL2/SDL_image.h>

SDL_Surface *bt_sdl_image_load(const char *path)
{
    return IMG_Load(path);
}

SDL_Surface *bt_sdl_image_load_typed(SDL_RWops *rw, int freesrc, const char *type)
{
    return IMG_LoadTyped_RW(rw, freesrc, type);
}

int bt_sdl_image_save_png(SDL_Surface *surface, const char *path)
{
    return IMG_SavePNG(surface, path);
}
