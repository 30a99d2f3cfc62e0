/* `bangtin screenshot`: a PNG of the screen exactly as the kiosk would paint it at a chosen
 * moment, rendered offscreen (ui/offscreen.c). In both builds that have the screen: the
 * appliance, and the staff tools with BT_STAFF_SCREEN (bangtin.exe on the ward's Windows PC,
 * where staff see each slide before the stick leaves the office). What differs between them —
 * where the active playlist is and what has aired today — comes from the build's command table
 * (bt_cli_active_playlist_dir, bt_cli_record_aired in commands.c / commands_staff.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_screen.h"

#include "check_media.h"
#include "cli_internal.h"

/* A day has at most a few loudspeaker sessions; the schedule notice shows 8 rows. */
#define BT_SCREENSHOT_MAX_ROWS 32

int bt_cli_parse_size(const char *s, int *w, int *h)
{
    char extra;
    if (!s || sscanf(s, "%dx%d%c", w, h, &extra) != 2 || *w < 320 || *h < 240 || *w > 16384 ||
        *h > 16384) {
        fprintf(stderr, "bangtin: kích thước \"%s\" không hợp lệ — viết dạng 1920x1080 "
                        "(từ 320x240 đến 16384x16384)\n", s ? s : "");
        return -1;
    }
    return 0;
}

int bt_cli_load_playlist_verbose(const char *dir, bt_playlist *p, FILE *out)
{
    bt_diags d;
    bt_diags_init(&d);
    int rc = bt_playlist_load(dir, p, &d);
    bt_cli_print_diags(&d, out);
    bt_diags_free(&d);
    return rc;
}

bt_wall bt_cli_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

int bt_cli_measure_broadcasts(bt_app *app, const char *dir, bt_playlist *p, bt_diags *d)
{
    size_t before = d->errors;
    bool all_measured = check_measure_items(app, dir, p, d);
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&app->cfg, &lim);
    if (all_measured && p->broadcasts.session_count)
        bt_broadcasts_check_limits(&p->broadcasts, &lim, BT_PLAYLIST_FILE, d);
    return d->errors == before ? 0 : -1;
}

/* Today's loudspeaker sessions as the screen's schedule notice showed them at `at`: the pure
 * scheduler fed with what the build's log says had happened by then (bt_cli_state_at, which
 * also tells what was on air: the banner). Durations are measured (text bulletins spoken first)
 * so the states match what the kiosk would show; an item that cannot be measured (a build
 * without audio decoders) counts as 0 s. */
static size_t schedule_rows_at(bt_app *app, bt_playlist *p, const char *dir, bt_wall at,
                               bt_screen_schedule_row *rows, size_t cap, bt_cli_on_air *air)
{
    bt_diags ignored;
    bt_diags_init(&ignored);
    bt_cli_measure_broadcasts(app, dir, p, &ignored);
    bt_diags_free(&ignored);
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_schedule *sched = NULL;
    if (bt_schedule_create(&p->broadcasts, &lim, 0, 0, &sched) != 0) {
        bt_cli_state_at(app, p, at, NULL, air);
        return 0;
    }
    bt_schedule_set_validity(sched, (bt_validity){p->valid_from, p->valid_until});
    bt_cli_state_at(app, p, at, sched, air);
    bt_slot_view views[BT_SCREENSHOT_MAX_ROWS];
    size_t n = bt_schedule_day(sched, bt_time_day_of(at), at, air->on ? &air->slot : NULL,
                               air->started, views, cap);
    size_t count = bt_screen_schedule_rows(&p->broadcasts, views, n, rows);
    bt_schedule_destroy(sched);
    return count;
}

/* The playlist directory to use: the one named, else the build's active one. 1 if there is a
 * playlist, 0 if none is active, -1 after saying why. */
static int resolve_playlist_dir(bt_app *app, const char *named, char *dir, size_t size)
{
    if (named) {
        snprintf(dir, size, "%s", named);
        return 1;
    }
    return bt_cli_active_playlist_dir(app, dir, size);
}

/* --notice ID: its index, or BT_ROTATION_NONE. */
static size_t find_notice(const bt_playlist *p, const char *id)
{
    for (size_t i = 0; i < p->notice_count; i++)
        if (strcmp(p->notices[i].id, id) == 0)
            return i;
    return BT_ROTATION_NONE;
}

/* One PNG at `out`, its name printed; 0, or 1 after saying why. */
static int render_one(const bt_screen_config *sc, const bt_playlist *p, const char *dir,
                      bt_wall at, int width, int height, const bt_screen_extras *extras,
                      const char *out)
{
    char err[512];
    if (bt_screen_render_png_ex(sc, p, dir, at, width, height, extras, out, err,
                                sizeof err) != 0) {
        fprintf(stderr, "bangtin screenshot: %s\n", err);
        return 1;
    }
    printf("%s\n", out);
    return 0;
}

/* Every notice into the folder `out`, as 01-ID.png, 02-ID.png … in the playlist's order (the
 * staff's preview on the office PC: xem-truoc.bat). 0, or 1 at the first that could not be
 * written. */
static int render_every_notice(const bt_screen_config *sc, const bt_playlist *p,
                               const char *dir, bt_wall at, int width, int height,
                               const bt_screen_extras *extras, const char *out)
{
    if (!p || !p->notice_count) {
        fprintf(stderr, "bangtin screenshot: playlist \"%s\" không có thông báo nào để chụp.\n",
                dir);
        return 1;
    }
    bt_screen_extras each = *extras;
    each.pick_notice = true;
    for (size_t i = 0; i < p->notice_count; i++) {
        char path[BT_MAX_PATH_BYTES + BT_MAX_ID_BYTES + 16];
        size_t len = strlen(out);
        bool separated = len && (out[len - 1] == '/' || out[len - 1] == '\\');
        snprintf(path, sizeof path, "%s%s%02zu-%s.png", out, separated ? "" : "/", i + 1,
                 p->notices[i].id);
        each.notice = i;
        if (render_one(sc, p, dir, at, width, height, &each, path) != 0) {
            /* The next ones would fail the same way (a folder missing or read-only). */
            fprintf(stderr, "bangtin screenshot: thư mục ảnh \"%s\" phải có sẵn và ghi được — "
                            "tạo thư mục đó (hoặc chọn thư mục khác với -o) rồi chạy lại.\n",
                    out);
            return 1;
        }
    }
    return 0;
}

int bt_cmd_screenshot(bt_app *app, const cmd_args *a)
{
    const char *out = bt_cli_opt(a, "-o");
    const char *at_text = bt_cli_opt(a, "--at");
    const char *size = bt_cli_opt(a, "--size");
    int width = 1920, height = 1080;
    bt_wall at = bt_cli_wall_now();
    if (!out) {
        fprintf(stderr, "bangtin screenshot: thiếu \"-o FILE.png\" (tệp ảnh để ghi).\n");
        return 2;
    }
    if (size && bt_cli_parse_size(size, &width, &height) != 0)
        return 2;
    if (at_text && bt_time_parse_datetime(at_text, &at) != 0) {
        fprintf(stderr, "bangtin screenshot: thời điểm \"%s\" không hợp lệ — viết dạng "
                        "\"2025-11-24 09:00\" (giờ Việt Nam).\n", at_text);
        return 2;
    }
    char dir[BT_MAX_PATH_BYTES];
    int found = resolve_playlist_dir(app, bt_cli_opt(a, "--playlist"), dir, sizeof dir);
    if (found < 0)
        return 1;
    bt_playlist p;
    bt_playlist_init(&p);
    if (found == 1 && bt_cli_load_playlist_verbose(dir, &p, stderr) != 0) {
        fprintf(stderr, "bangtin screenshot: playlist \"%s\" có lỗi, không chụp được.\n", dir);
        return 1;
    }
    bt_screen_extras extras = {0};
    bt_screen_schedule_row rows[BT_SCREENSHOT_MAX_ROWS];
    const char *notice_id = bt_cli_opt(a, "--notice");
    if (notice_id) {
        extras.pick_notice = true;
        extras.notice = found == 1 ? find_notice(&p, notice_id) : BT_ROTATION_NONE;
        if (extras.notice == BT_ROTATION_NONE) {
            fprintf(stderr, "bangtin screenshot: không có thông báo \"%s\" trong playlist.\n",
                    notice_id);
            bt_playlist_free(&p);
            return 2;
        }
    }
    bt_cli_on_air air;
    if (found == 1 && p.broadcasts.session_count) {
        extras.schedule = rows;
        extras.schedule_count = schedule_rows_at(app, &p, dir, at, rows, BT_SCREENSHOT_MAX_ROWS,
                                                 &air);
        extras.has_schedule = true;
        extras.now_playing = air.on ? air.title : NULL;
    } else if (found == 1) {
        bt_cli_state_at(app, &p, at, NULL, &air);
    }
    bt_screen_config sc;
    bt_config_screen(&app->cfg, &sc);
    int rc = bt_cli_opt(a, "--every-notice")
                 ? render_every_notice(&sc, found == 1 ? &p : NULL, dir, at, width, height,
                                       &extras, out)
                 : render_one(&sc, found == 1 ? &p : NULL, dir, at, width, height, &extras, out);
    bt_playlist_free(&p);
    return rc;
}

const command *bt_cli_screen_commands(size_t *count)
{
    static const command screen[] = {BT_CLI_CMD_SCREENSHOT};
    *count = sizeof screen / sizeof screen[0];
    return screen;
}
