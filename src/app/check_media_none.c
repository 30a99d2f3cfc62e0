/* The media stages of `check` in the staff tools' build without SDL (BT_KIOSK=OFF, e.g.
 * bangtin.exe on Windows): nothing is measured or laid out here, and the result says which
 * stages were left to the appliance, which runs every one of them when it imports the stick.
 * Why they are absent on Windows (SDL2, SDL2_ttf with HarfBuzz, SDL2_mixer, espeak-ng not yet
 * cross-built): docs/windows.md. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_vi.h"

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

void check_audio(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result)
{
    (void)app;
    if (p->broadcasts.item_count)
        result->not_checked |= BT_CHECK_NOT_AUDIO;
    /* Nothing is decoded, but a recorded item's file must be there: the message the
     * appliance's decoder gives when it cannot open one (audio/decode.c). */
    const char *previous = bt_diags_set_code(d, "audio");
    for (size_t i = 0; i < p->broadcasts.item_count; i++) {
        bt_broadcast_item *item = &p->broadcasts.items[i];
        char path[BT_MAX_PATH_BYTES * 2], name[BT_MAX_ID_BYTES + 32];
        if (!item->audio || !item->audio[0] ||
            bt_broadcast_item_file(dir, item, path, sizeof path) != 0)
            continue;
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            continue;
        }
        if (item->id)
            snprintf(name, sizeof name, "tin \"%s\"", item->id);
        else
            snprintf(name, sizeof name, "tin thứ %zu", i + 1);
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, item->line,
                     "%s (%s): Không mở được tệp âm thanh “%s”: %s", name,
                     bt_broadcast_item_source(item), path, bt_vi_errno(errno).text);
    }
    bt_diags_set_code(d, previous);
}

void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                  bt_app_check_result *result)
{
    (void)d;
    if (p->notice_count)
        result->not_checked |= BT_CHECK_NOT_LAYOUT;
    result->size_count = bt_app_check_screen_sizes(&app->cfg, result->sizes);
}
