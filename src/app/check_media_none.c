/* The media stages of `check` in the staff tools' build without SDL (BT_KIOSK=OFF, e.g.
 * bangtin.exe on Windows): nothing is measured or laid out here, and the result says which
 * stages were left to the appliance, which runs every one of them when it imports the stick.
 * Why they are absent on Windows (SDL2, SDL2_ttf with HarfBuzz, SDL2_mixer, espeak-ng not yet
 * cross-built): docs/windows.md. */
#include <string.h>

#include "check_media.h"

void check_fonts_open(const bt_app *app, check_fonts *f, bt_diags *d, bt_app_check_result *r)
{
    (void)app;
    (void)d;
    memset(f, 0, sizeof *f);
    r->not_checked |= BT_CHECK_NOT_GLYPHS;
}

void check_fonts_close(check_fonts *f)
{
    (void)f;
}

void check_audio(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result)
{
    (void)app;
    (void)dir;
    (void)d;
    if (p->broadcasts.item_count)
        result->not_checked |= BT_CHECK_NOT_AUDIO;
}

void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                  bt_app_check_result *result)
{
    (void)d;
    if (p->notice_count)
        result->not_checked |= BT_CHECK_NOT_LAYOUT;
    result->size_count = bt_app_check_screen_sizes(&app->cfg, result->sizes);
}
