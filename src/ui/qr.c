/* QR codes: one pixel per module here; the renderer scales them by a whole number with
 * nearest-neighbour sampling, so modules keep hard edges for the phone camera. */
#include "bangtin/bt_ui_qr.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

/* The one encoding every QR of the screen uses: version 0 = the smallest that holds the text;
 * case-sensitive 8-bit so URLs stay exact. */
static QRcode *encode(const char *text)
{
    return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

SDL_Surface *bt_ui_qr_render(const char *text, int plate, int *scale)
{
    *scale = 0;
    if (!text || !*text || plate <= 0)
        return NULL;
    QRcode *code = encode(text);
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

int bt_ui_qr_modules(const char *text)
{
    if (!text || !*text)
        return 0;
    QRcode *code = encode(text);
    int modules = code ? code->width : 0;
    QRcode_free(code);
    return modules;
}

size_t bt_ui_qr_max_bytes(int max_modules)
{
    /* Lower-case letters take 8-bit mode as a URL does; the capacity grows with the length, so
     * a binary search over lengths finds the last that fits. */
    enum { LONGEST = 2953 }; /* a version-40 code's 8-bit capacity at the lowest correction */
    char *probe = malloc(LONGEST + 1);
    size_t lo = 0, hi = LONGEST;
    if (!probe)
        return 0;
    memset(probe, 'a', LONGEST);
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        probe[mid] = '\0';
        int modules = bt_ui_qr_modules(probe);
        probe[mid] = 'a';
        if (modules > 0 && modules <= max_modules)
            lo = mid;
        else
            hi = mid - 1;
    }
    free(probe);
    return lo;
}

SDL_Rect bt_ui_qr_placement(SDL_Rect plate, int side, int scale)
{
    int size = side * scale;
    SDL_Rect r = {plate.x + (plate.w - size) / 2, plate.y + (plate.h - size) / 2, size, size};
    return r;
}
