/* Every check of a playlist folder in one pass, for `check` and `pack` (bt_app_check.h).
 *
 * Before, each stage ran only when the one before had no error: a typo hid a missing image,
 * which hid a session outside the ward's hours, and a date error hid an item too long for a
 * session; every stage cost staff a trip with the stick. Here the validator keeps the model of
 * whatever it could read (bt_playlist_validate), and the audio, the ward's limits and the screen
 * are checked on that model: a value that was wrong is simply absent from it. Only a syntax
 * error stops the rest, because nothing after it was parsed. */
#include "bangtin/bt_app_check.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_ui_glyphs.h"

/* The sizes every notice must fit, whichever way the screen is mounted (check_fit). */
static const int FIT_SIZES[][2] = {{1920, 1080}, {1080, 1920}};

size_t bt_app_check_screen_sizes(const bt_config *cfg, int sizes[BT_CHECK_MAX_SIZES][2])
{
    const char *want = cfg->display_orientation;
    bool portrait = strcmp(want, "portrait") == 0, landscape = strcmp(want, "landscape") == 0;
    int w = cfg->display_width, h = cfg->display_height;
    if (w > 0 && h > 0) {
        /* As the kiosk turns its content for a monitor mounted the other way. */
        if ((portrait && w > h) || (landscape && h > w)) {
            int t = w;
            w = h;
            h = t;
        }
        sizes[0][0] = w;
        sizes[0][1] = h;
        return 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < BT_CHECK_MAX_SIZES; i++) {
        bool tall = FIT_SIZES[i][1] > FIT_SIZES[i][0];
        if ((portrait && !tall) || (landscape && tall))
            continue;
        sizes[n][0] = FIT_SIZES[i][0];
        sizes[n][1] = FIT_SIZES[i][1];
        n++;
    }
    return n;
}

/* Every record added to d since `from` gets this code (overriding what a check set inside). */
static void restamp(bt_diags *d, size_t from, const char *code)
{
    for (size_t i = from; i < d->count; i++)
        snprintf(d->items[i].code, sizeof d->items[i].code, "%s", code);
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
static void check_audio(const bt_app *app, const char *dir, bt_playlist *p, bt_diags *d)
{
    char err[512], name[BT_MAX_ID_BYTES + 32];
    bt_broadcast_limits lim;
    const char *previous = bt_diags_set_code(d, "audio");
    bt_speech_cache speech;
    bool speaking = bt_broadcasts_text_count(&p->broadcasts) > 0;
    if (speaking && bt_speech_cache_open_temporary(&speech, app->data_dir,
                                                   app->cfg.broadcast_loudness_target, err,
                                                   sizeof err) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0, "%s", err);
        speaking = false;
    } else if (speaking) {
        bt_speech_cache_items(&speech, &p->broadcasts, d);
    }
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
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_broadcasts_check_silence(&p->broadcasts, &lim, BT_PLAYLIST_FILE, d);
    bt_diags_set_code(d, previous);
}

static void check_limits(const bt_app *app, const bt_playlist *p, bt_diags *d)
{
    bt_broadcast_limits lim;
    if (!p->broadcasts.session_count)
        return;
    const char *previous = bt_diags_set_code(d, "ward-limits");
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_broadcasts_check_limits(&p->broadcasts, &lim, BT_PLAYLIST_FILE, d);
    bt_diags_set_code(d, previous);
}

static void check_screen(const bt_app *app, const bt_playlist *p, bt_diags *d,
                         bt_app_check_result *result)
{
    bt_screen_config sc;
    bt_config_screen(&app->cfg, &sc);
    const char *previous = bt_diags_set_code(d, "layout");
    /* The same notice must be readable whichever way the screen is mounted. */
    for (size_t i = 0; i < sizeof FIT_SIZES / sizeof FIT_SIZES[0]; i++)
        bt_screen_check_fit(&sc, p, FIT_SIZES[i][0], FIT_SIZES[i][1], BT_PLAYLIST_FILE, d);
    /* Blur and scanning depend on the pixels this appliance really has. */
    result->size_count = bt_app_check_screen_sizes(&app->cfg, result->sizes);
    for (size_t i = 0; i < result->size_count; i++)
        bt_screen_check_legibility(&sc, p, result->sizes[i][0], result->sizes[i][1],
                                   BT_PLAYLIST_FILE, d);
    bt_diags_set_code(d, previous);
}

int bt_app_check_playlist(bt_app *app, const char *dir, bt_playlist *out, bt_diags *d,
                          bt_app_check_result *result)
{
    char err[BT_MAX_PATH_BYTES + 128];
    memset(result, 0, sizeof *result);
    bt_playlist_init(out);
    size_t errors_before = d->errors;

    /* A packed folder (what goes on the stick) is checked as the appliance will import it:
     * signature and every hash. Its playlist is read whatever that found: the image probe
     * walks a PNG's chunks itself before decoding, so a cut file cannot hang the decoder. */
    const char *previous = bt_diags_set_code(d, "package");
    result->packaged = bt_package_check(dir, &app->cfg, d) == 1;

    bt_screen_config sc;
    bt_config_screen(&app->cfg, &sc);
    bt_ui_glyphs *glyphs = NULL;
    bt_diags_set_code(d, "layout");
    if (bt_ui_glyphs_open(&sc, &glyphs, err, sizeof err) != 0)
        bt_diags_add(d, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "không kiểm tra được chữ của playlist với phông chữ của màn hình: %s — "
                     "kiểm tra fonts.regular và fonts.bold trong tệp cấu hình",
                     err);

    bt_diags_set_code(d, "playlist");
    size_t read_from = d->count;
    bt_playlist_load_options o = {.decode_images = true, .keep_partial = true,
                                  .glyphs = bt_ui_glyphs_probe(glyphs)};
    bt_load_status status = bt_playlist_load_ex(dir, &o, out, d);
    bt_ui_glyphs_close(glyphs);
    if (status == BT_LOAD_UNREAD) {
        restamp(d, read_from, "syntax");
        result->unread = true;
    } else {
        check_audio(app, dir, out, d);
        check_limits(app, out, d);
        check_screen(app, out, d, result);
    }
    bt_diags_set_code(d, previous);
    bt_diags_sort(d);
    return d->errors == errors_before ? 0 : -1;
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
