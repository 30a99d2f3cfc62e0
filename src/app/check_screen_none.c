/* The screen's stages of `check` in the staff tools' build without SDL (BT_KIOSK=OFF,
 * BT_STAFF_SCREEN=OFF): nothing is laid out here and texts are not held against the fonts, and
 * the result says which stages were left to the appliance, which runs every one of them when
 * it imports the stick. */
#include <stdint.h>
#include <string.h>

#include "check_media.h"

/* Every character counts as drawable: the validator still refuses control characters and line
 * breaks where they do not belong (its checks of texts run only with a probe), and only the
 * fonts' coverage is left to the appliance. */
static bool covers_everything(void *ctx, uint32_t codepoint)
{
    (void)ctx;
    (void)codepoint;
    return true;
}

void check_fonts_open(const bt_app *app, check_fonts *f, bt_diags *d, bt_app_check_result *r)
{
    (void)app;
    (void)d;
    memset(f, 0, sizeof *f);
    f->probe.covers = covers_everything;
    r->not_checked |= BT_CHECK_NOT_GLYPHS;
}

void check_fonts_close(check_fonts *f)
{
    (void)f;
}

void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                  bt_app_check_result *result)
{
    (void)d;
    if (p->notice_count)
        result->not_checked |= BT_CHECK_NOT_LAYOUT;
    result->size_count = bt_app_check_screen_sizes(&app->cfg, result->sizes);
}
