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

#include "bangtin/bt_config.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist_load.h"

#include "check_media.h"

/* The sizes every notice must fit, whichever way the screen is mounted (check_fit). */
const int BT_CHECK_FIT_SIZES[BT_CHECK_MAX_SIZES][2] = {{1920, 1080}, {1080, 1920}};

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
        bool tall = BT_CHECK_FIT_SIZES[i][1] > BT_CHECK_FIT_SIZES[i][0];
        if ((portrait && !tall) || (landscape && tall))
            continue;
        sizes[n][0] = BT_CHECK_FIT_SIZES[i][0];
        sizes[n][1] = BT_CHECK_FIT_SIZES[i][1];
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

/* The config the appliance reads when no --config names another: the Debian package's path, not
 * BT_SYSTEM_CONFIG, which is the staff PC's own where `check` runs there (bangtin.exe). */
#define APPLIANCE_CONFIG "/etc/bangtin/bangtin.cfg"

void bt_app_check_video_sound(const bt_app *app, const bt_playlist *p, const char *file,
                              bt_diags *d)
{
    /* The kiosk plays a clip's sound only on display.audio_device, never on the amplifier's
     * output (kiosk_sound.c): without it `sound = true` is silently a mute clip. */
    if (app->cfg.display_audio_device[0])
        return;
    const char *cfg = app->config_path ? app->config_path : APPLIANCE_CONFIG;
    const char *previous = bt_diags_set_code(d, "video-sound");
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (n->kind != BT_NOTICE_VIDEO || !n->sound)
            continue;
        bt_diags_add(d, BT_DIAG_WARNING, file, n->line,
                     "video \"%s\" có sound = true nhưng %s chưa đặt display.audio_device: máy "
                     "bảng tin sẽ chiếu video này không tiếng (tiếng video không ra ampli loa "
                     "phường) — thêm display.audio_device = đầu ra HDMI của màn hình (tên thiết "
                     "bị: bangtin doctor) vào tệp đó, hoặc đặt sound = false",
                     n->id, cfg);
    }
    bt_diags_set_code(d, previous);
}

int bt_app_check_playlist(bt_app *app, const char *dir, bt_playlist *out, bt_diags *d,
                          bt_app_check_result *result)
{
    memset(result, 0, sizeof *result);
    bt_playlist_init(out);
    size_t errors_before = d->errors;

    /* A packed folder (what goes on the stick) is checked as the appliance will import it:
     * signature and every hash. Its playlist is read whatever that found: the image probe
     * walks a PNG's chunks itself before decoding, so a cut file cannot hang the decoder. */
    const char *previous = bt_diags_set_code(d, "package");
    result->packaged = bt_package_check(dir, &app->cfg, d) == 1;

    check_fonts fonts;
    bt_diags_set_code(d, "layout");
    check_fonts_open(app, &fonts, d, result);
    if (!bt_playlist_load_decodes_images())
        result->not_checked |= BT_CHECK_NOT_IMAGE_DECODE;

    bt_diags_set_code(d, "playlist");
    size_t read_from = d->count;
    bt_playlist_load_options o = {.decode_images = true, .keep_partial = true,
                                  .glyphs = fonts.probe};
    bt_load_status status = bt_playlist_load_ex(dir, &o, out, d);
    check_fonts_close(&fonts);
    if (status == BT_LOAD_UNREAD) {
        restamp(d, read_from, "syntax");
        result->unread = true;
    } else {
        check_audio(app, dir, out, d, result);
        check_video(app, dir, out, d, result);
        bt_app_check_video_sound(app, out, BT_PLAYLIST_FILE, d);
        check_limits(app, out, d);
        check_screen(app, out, d, result);
    }
    bt_diags_set_code(d, previous);
    bt_diags_sort(d);
    return d->errors == errors_before ? 0 : -1;
}

void bt_app_check_print_not_checked(const bt_app_check_result *r, FILE *out)
{
    if (!r->not_checked)
        return;
    /* Which parts a build lacks varies (bangtin.exe has the screen and the audio but not the
     * video decoders; a plain staff build has none): the heading names none, the list does. */
    fprintf(out, "Bản bangtin này thiếu một phần của máy bảng tin nên chưa kiểm tra:\n");
    if (r->not_checked & BT_CHECK_NOT_GLYPHS)
        fprintf(out, "  - chữ có đủ trong phông chữ của màn hình;\n");
    if (r->not_checked & BT_CHECK_NOT_IMAGE_DECODE)
        fprintf(out, "  - giải mã từng ảnh (ở đây chỉ kiểm tra phần đầu và cấu trúc tệp ảnh);\n");
    if (r->not_checked & BT_CHECK_NOT_AUDIO)
        fprintf(out, "  - âm thanh các tin phát loa (độ dài, độ lớn, khoảng lặng) và thời lượng "
                     "mỗi buổi phát;\n");
    if (r->not_checked & BT_CHECK_NOT_VIDEO)
        fprintf(out, "  - các tệp video (định dạng, kích thước, độ dài, giải mã trọn tệp);\n");
    if (r->not_checked & BT_CHECK_NOT_LAYOUT)
        fprintf(out, "  - bố cục trên màn hình (chữ vừa khung, ảnh và mã QR đủ rõ).\n");
    fprintf(out, "Máy bảng tin kiểm tra những phần này khi nạp USB; nếu có lỗi, máy không nạp và "
                 "giữ nguyên playlist đang chạy.\n");
}
