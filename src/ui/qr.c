/* QR codes: one pixel per module here; the renderer scales them by a whole number with
 * nearest-neighbour sampling, so modules keep hard edges for the phone camera. */
#include "bangtin/bt_ui_qr.h"

#include <stdbool.h>

#include <qrencode.h>

SDL_Surface *bt_ui_qr_render(const char *text, int plate, int *scale)
{
    *scale = 0;
    if (!text || !*text || plate <= 0)
        return NULL;
    /* Version 0 = the smallest that holds the text; case-sensitive so URLs stay exact. */
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return NULL;
    int modules = code->width, side = modules + 2 * BT_UI_QR_QUIET_MODULES;
    SDL_Surface *surf = NULL;
    if (plate / side < 1)
        goto done;
    surf = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_RGB888);
    if (!surf)
        goto done;
    Uint32 white = SDL_MapRGB(surf->format, 255, 255, 255);
    Uint32 black = SDL_MapRGB(surf->format, 0, 0, 0);
    for (int y = 0; y < side; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)surf->pixels + (size_t)y * (size_t)surf->pitch);
        for (int x = 0; x < side; x++) {
            int mx = x - BT_UI_QR_QUIET_MODULES, my = y - BT_UI_QR_QUIET_MODULES;
            bool dark = mx >= 0 && my >= 0 && mx < modules && my < modules &&
                        (code->data[(size_t)my * (size_t)modules + (size_t)mx] & 1);
            row[x] = dark ? black : white;
        }
    }
    *scale = plate / side;
done:
    QRcode_free(code);
    return surf;
}

SDL_Rect bt_ui_qr_placement(SDL_Rect plate, int side, int scale)
{
    int size = side * scale;
    SDL_Rect r = {plate.x + (plate.w - size) / 2, plate.y + (plate.h - size) / 2, size, size};
    return r;
}
