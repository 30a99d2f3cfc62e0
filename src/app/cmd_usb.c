/* USB subcommands on the appliance: `import` (a package becomes the active playlist, or nothing
 * changes) and `rollback` (back to the previous imported playlist). The work is in the usb
 * room; this file wires the config, the clock and audio measuring (bt_loudness) into it.
 * `keygen` and `pack`, which the office PC runs too, are in cmd_pack.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_app_video.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_ui_glyphs.h"
#include "bangtin/bt_usb.h"

static bt_wall wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

/* bt_usb_measure_audio_fn over bt_loudness_measure: decodes the file once and gives its length
 * and silence (the usb room itself must not link SDL_mixer). */
static int measure_audio(void *ctx, const char *path, double *duration_seconds,
                         bt_silence *silence, char *err, size_t err_size)
{
    (void)ctx;
    bt_loudness l;
    if (bt_loudness_measure(path, &l, err, err_size) != 0)
        return -1;
    if (duration_seconds)
        *duration_seconds = l.duration_seconds;
    if (silence)
        *silence = l.silence;
    return 0;
}

static void fill_options(bt_app *app, bt_usb_options *o, bt_broadcast_limits *lim)
{
    memset(o, 0, sizeof(*o));
    bt_config_broadcast_limits(&app->cfg, lim);
    o->cfg = &app->cfg;
    o->data_dir = app->data_dir;
    o->limits = lim;
    o->now = wall_now();
    o->measure_audio = measure_audio;
    o->decode_video = bt_app_video_decode_for_usb; /* each clip whole, in a child */
}

static void print_result(const bt_usb_result *r, bool timing)
{
    char *text = bt_usb_result_text(r);
    fputs(text ? text : r->headline, stdout);
    free(text);
    if (r->receipt_path[0])
        printf("Biên nhận: %s\n", r->receipt_path);
    if (timing) {
        static const char *const names[BT_USB_STAGE_COUNT] = {
            "verify", "copy", "validate", "activate", "write-back", "done"};
        fprintf(stderr, "bangtin import: %" PRIu64 " byte, %" PRIu64 " byte chép mới;",
                r->bytes_total, r->bytes_copied);
        for (int i = 0; i < BT_USB_STAGE_DONE; i++)
            fprintf(stderr, " %s %.3f s", names[i], r->stage_seconds[i]);
        fprintf(stderr, "\n");
    }
}

int bt_cmd_import(bt_app *app, const struct bt_cli_args *a)
{
    bt_usb_options o;
    bt_broadcast_limits lim;
    bt_usb_result r;
    if (bt_app_ensure_dir(app->data_dir) != 0) {
        fprintf(stderr, "bangtin import: không tạo được thư mục dữ liệu \"%s\".\n", app->data_dir);
        return 1;
    }
    fill_options(app, &o, &lim);
    o.force = bt_cli_opt(a, "--force") != NULL;
    o.write_back = bt_cli_opt(a, "--no-write-back") == NULL;
    /* Texts the screen cannot draw are refused as `check` refuses them; without the fonts
     * (a broken install) the import goes on and `doctor` says why. */
    bt_screen_config sc;
    bt_ui_glyphs *glyphs = NULL;
    char err[BT_MAX_PATH_BYTES + 128];
    bt_config_screen(&app->cfg, &sc);
    if (bt_ui_glyphs_open(&sc, &glyphs, err, sizeof err) != 0)
        fprintf(stderr, "bangtin import: %s — không kiểm tra được chữ với phông chữ của màn "
                        "hình.\n", err);
    o.glyphs = bt_ui_glyphs_probe(glyphs);
    /* Text bulletins are spoken into the content store during the import, at activation. */
    bt_speech_cache speech;
    if (bt_speech_cache_open(&speech, app->data_dir, app->cfg.broadcast_loudness_target, err,
                             sizeof err) == 0) {
        o.speak = bt_speech_cache_speak;
        o.speak_ctx = &speech;
    } else {
        fprintf(stderr, "bangtin import: %s\n", err);
    }
    int rc = bt_usb_import(a->positional[0], &o, &r);
    bt_ui_glyphs_close(glyphs);
    if (speech.rendered + speech.found > 0)
        printf("Bản tin văn bản: đọc mới %zu, có sẵn %zu (%.1f giây).\n", speech.rendered,
               speech.found, speech.render_seconds);
    bool missing = r.package_missing, stick_noted = r.stick_note[0] != '\0';
    print_result(&r, bt_cli_opt(a, "--timing") != NULL);
    bt_usb_result_free(&r);
    /* Like the kiosk: the culture department's reports for this and the previous quarter go
     * back onto the stick, whatever the outcome (counted against the targets the import
     * recorded with its activation); a path that is no folder gets nothing. */
    bt_store *store = bt_app_open_store(app);
    if (store && rc == 0 && o.speak)
        bt_speech_cache_prune(&speech, store); /* renders go with the playlists just pruned */
    if (store) {
        if (o.write_back && !missing) {
            char note[1024] = "";
            int files = bt_app_write_stick_reports(app, store, a->positional[0], o.now, note,
                                                   sizeof note);
            if (note[0] && !stick_noted) /* else the receipt's note already said why */
                printf("%s\n", note);
            else if (files > 0)
                printf("Đã ghi %d báo cáo lên USB.\n", files);
        }
        bt_store_close(store);
    }
    return rc == 0 ? 0 : 1;
}

int bt_cmd_rollback(bt_app *app, const struct bt_cli_args *a)
{
    (void)a;
    bt_usb_options o;
    bt_broadcast_limits lim;
    bt_usb_result r;
    fill_options(app, &o, &lim);
    int rc = bt_usb_rollback(&o, &r);
    print_result(&r, false);
    bt_usb_result_free(&r);
    return rc == 0 ? 0 : 1;
}
