/* The audio stage of `check` (check_media.h), as the appliance runs it: SDL_mixer and
 * libebur128 measure every item, espeak-ng speaks text bulletins first. */
#include <stdio.h>

#include "bangtin/bt_app_check.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_loudness.h"

#include "check_media.h"

/* Decodes and measures every item whose audio path validated, and judges each one's silence;
 * the ward's limits need the durations. Text bulletins are spoken first, as the appliance will
 * air them, into a folder of this command's own (a check changes nothing on the appliance), and
 * measured the same way. An item that cannot be measured keeps duration 0, which the limits
 * read as unknown (its sessions' length is then not judged). */
bool check_measure_items(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d)
{
    char err[512], name[BT_MAX_ID_BYTES + 32];
    size_t before = d->errors;
    bt_broadcast_limits lim;
    bt_speech_cache speech;
    bool speaking = bt_speech_cache_speak_for_check(&speech, app->data_dir,
                                                    app->cfg.broadcast_loudness_target,
                                                    &p->broadcasts, d);
    for (size_t i = 0; i < p->broadcasts.item_count; i++) {
        bt_broadcast_item *item = &p->broadcasts.items[i];
        if (!item->audio && !item->speech_path)
            continue; /* no valid path, or a text whose speaking failed (said above) */
        if (bt_loudness_measure_item(dir, item, err, sizeof err) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, item->line, "%s (%s): %s",
                         bt_broadcast_item_label(item, i, name, sizeof name),
                         bt_broadcast_item_source(item), err);
    }
    if (speaking)
        bt_speech_cache_close(&speech);
    bool all_measured = d->errors == before;
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_broadcasts_check_silence(&p->broadcasts, &lim, BT_PLAYLIST_FILE, d);
    return all_measured;
}

void check_audio(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d,
                 bt_app_check_result *result)
{
    (void)result;
    const char *previous = bt_diags_set_code(d, "audio");
    check_measure_items(app, dir, p, d);
    bt_diags_set_code(d, previous);
}
