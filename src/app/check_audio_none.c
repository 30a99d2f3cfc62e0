/* The audio stage of `check` in the staff tools' build (BT_KIOSK=OFF, e.g. bangtin.exe on
 * Windows): no audio decoder, loudness meter or speech synthesiser, so nothing is measured; the
 * result says the stage was left to the appliance, which runs it when it imports the stick.
 * Why it is absent on Windows: docs/windows.md. */
#include <errno.h>
#include <stdio.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_vi.h"

#include "check_media.h"

bool check_measure_items(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d)
{
    /* Nothing measured: every duration stays 0, which the ward's limits and the schedule read
     * as unknown. */
    (void)app;
    (void)dir;
    (void)p;
    (void)d;
    return false;
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
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, item->line,
                     "%s (%s): Không mở được tệp âm thanh “%s”: %s",
                     bt_broadcast_item_label(item, i, name, sizeof name),
                     bt_broadcast_item_source(item), path, bt_vi_errno(errno).text);
    }
    bt_diags_set_code(d, previous);
}
