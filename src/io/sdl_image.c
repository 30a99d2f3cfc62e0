/* SDL_image opened at its first use (bt_sdl_image.h): the appliance's build. */
#include "bangtin/bt_sdl_image.h"

#include <pthread.h>
#include <stdbool.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"

/* Debian's SDL2_image (the package the appliance depends on). */
#define SDL_IMAGE_LIBRARY "libSDL2_image-2.0.so.0"

typedef SDL_Surface *(*load_fn)(const char *path);
typedef SDL_Surface *(*load_typed_fn)(SDL_RWops *rw, int freesrc, const char *type);
typedef int (*save_png_fn)(SDL_Surface *surface, const char *path);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool opened;
static load_fn load;
static load_typed_fn load_typed;
static save_png_fn save_png;

static void open_library(void)
{
    char why[512];
    if (bt_os_module_entry(SDL_IMAGE_LIBRARY, "IMG_Load", &load, why, sizeof why) != 0 ||
        bt_os_module_entry(SDL_IMAGE_LIBRARY, "IMG_LoadTyped_RW", &load_typed, why,
                           sizeof why) != 0 ||
        bt_os_module_entry(SDL_IMAGE_LIBRARY, "IMG_SavePNG", &save_png, why, sizeof why) != 0) {
        bt_log_warn("không mở được %s: %s", SDL_IMAGE_LIBRARY, why);
        return;
    }
    opened = true;
}

/* True when the library is open; else SDL's error says what to do. */
static bool ready(void)
{
    pthread_once(&once, open_library);
    if (!opened)
        SDL_SetError("máy này thiếu thư viện đọc ảnh %s — hãy cài lại gói: "
                     "sudo apt install --reinstall bangtin", SDL_IMAGE_LIBRARY);
    return opened;
}

SDL_Surface *bt_sdl_image_load(const char *path)
{
    return ready() ? load(path) : NULL;
}

SDL_Surface *bt_sdl_image_load_typed(SDL_RWops *rw, int freesrc, const char *type)
{
    if (ready())
        return load_typed(rw, freesrc, type);
    if (freesrc && rw)
        SDL_RWclose(rw);
    return NULL;
}

int bt_sdl_image_save_png(SDL_Surface *surface, const char *path)
{
    return ready() ? save_png(surface, path) : -1;
}
