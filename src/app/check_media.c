/* The stages of `check` that need the screen's fonts and an audio decoder (check_media.h), as
 * the appliance runs them: SDL_ttf for the glyph probe and the layout, SDL_mixer and libebur128
 * for the audio, espeak-ng for text bulletins. Also the strict load of `activate` and import. */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_app_check.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_loudness.h"
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

/* "tin \"tin-dvc\"", or "tin thứ 2" when the item's own id was wrong. */
static const char *item_name(const bt_broadcast_item *item, size_t index, char *buf, size_t size)
{
    if (item->id)
        snprintf(buf, size, "tin \"%s\"", item->id);
    else
        snprintf(buf, size, "tin thứ %zu", index + 1);
    return buf;
}

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
                         item_name(item, i, name, sizeof name), bt_broadcast_item_source(item),
                         err);
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
