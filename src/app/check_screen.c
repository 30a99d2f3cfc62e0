/* The stages of `check` that need the screen's fonts (check_media.h), as the appliance runs
 * them: SDL_ttf for the glyph probe and the layout. Also the strict load of `activate` and
 * import. In the appliance and in the staff tools with the screen (BT_STAFF_SCREEN). */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_app_check.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_ui_glyphs.h"

#include "check_media.h"

void check_fonts_open(const bt_app *app, check_fonts *f, bt_diags *d, bt_app_check_result *r)
{
    char err[BT_MAX_PATH_BYTES + 128];
    bt_screen_config sc;
    bt_ui_glyphs *glyphs = NULL;
    (void)r;
    bt_config_screen(&app->cfg, &sc);
    memset(f, 0, sizeof *f);
    if (bt_ui_glyphs_open(&sc, &glyphs, err, sizeof err) != 0)
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "không kiểm tra được chữ của playlist với phông chữ của màn hình: %s — "
                     "kiểm tra fonts.regular và fonts.bold trong tệp cấu hình",
                     err);
    f->glyphs = glyphs;
    f->probe = bt_ui_glyphs_probe(glyphs);
}

void check_fonts_close(check_fonts *f)
{
    bt_ui_glyphs_close(f->glyphs);
    f->glyphs = NULL;
}

void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                         bt_app_check_result *result)
{
    bt_screen_config sc;
    bt_config_screen(&app->cfg, &sc);
    const char *previous = bt_diags_set_code(d, "layout");
    /* The same notice must be readable whichever way the screen is mounted. */
    for (size_t i = 0; i < BT_CHECK_MAX_SIZES; i++)
        bt_screen_check_fit(&sc, p, BT_CHECK_FIT_SIZES[i][0], BT_CHECK_FIT_SIZES[i][1],
                            BT_PLAYLIST_FILE, d);
    /* Blur and scanning depend on the pixels this appliance really has. */
    result->size_count = bt_app_check_screen_sizes(&app->cfg, result->sizes);
    for (size_t i = 0; i < result->size_count; i++)
        bt_screen_check_legibility(&sc, p, result->sizes[i][0], result->sizes[i][1],
                                   BT_PLAYLIST_FILE, d);
    bt_diags_set_code(d, previous);
}

int bt_app_load_playlist(const bt_app *app, const char *dir, bt_playlist *out, bt_diags *d)
{
    char err[BT_MAX_PATH_BYTES + 128];
    bt_screen_config sc;
    bt_ui_glyphs *glyphs = NULL;
    bt_config_screen(&app->cfg, &sc);
    bt_playlist_init(out);
    if (bt_ui_glyphs_open(&sc, &glyphs, err, sizeof err) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "không kiểm tra được chữ của playlist với phông chữ của màn hình: %s — "
                     "kiểm tra fonts.regular và fonts.bold trong tệp cấu hình",
                     err);
        return -1;
    }
    bt_playlist_load_options o = {.decode_images = true, .glyphs = bt_ui_glyphs_probe(glyphs)};
    bt_load_status status = bt_playlist_load_ex(dir, &o, out, d);
    bt_ui_glyphs_close(glyphs);
    return status == BT_LOAD_VALID ? 0 : -1;
}
