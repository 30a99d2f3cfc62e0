/* `bangtin report --period P --format F [-o FILE]`: the culture department's report of a period
 * (src/report), written to a file. The app's part is what only it knows: the ward's name from
 * the config, and what the active playlist's schedule will still air (so a target of a period
 * still running can be called "at risk"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"

/* Upcoming slots looked at for "at risk": a year of the busiest schedule the limits allow
 * (BT_MAX_BROADCAST_SESSIONS a day would be absurd; ward limits keep it to a few). */
#define UPCOMING_SLOT_CAP (366 * 24)
/* --min-minutes: a day has 1440. */
#define MAX_MIN_MINUTES 1440

typedef struct {
    bt_playlist playlist;
    bt_schedule *schedule;
    bt_slot *slots;
    bt_target_airing *airings;
} upcoming;

static void upcoming_free(upcoming *u)
{
    free(u->airings);
    free(u->slots);
    bt_schedule_destroy(u->schedule);
    bt_playlist_free(&u->playlist);
}

/* What the active playlist will still air from now on. No active playlist: nothing will air
 * (known, empty). A playlist that no longer loads: unknown, and the report says nothing is at
 * risk rather than guess. */
static void find_upcoming(bt_app *app, bt_store *store, bt_wall now, upcoming *u,
                          bt_report_options *opt)
{
    bt_store_playlist active;
    bt_diags d;
    bt_playlist_init(&u->playlist);
    opt->loudspeaker_upcoming_known = false;
    int found = bt_store_active_playlist(store, &active);
    if (found == 0)
        opt->loudspeaker_upcoming_known = true;
    if (found != 1)
        return;
    bt_diags_init(&d);
    int rc = bt_playlist_load(active.dir, &u->playlist, &d);
    bt_diags_free(&d);
    if (rc != 0) {
        bt_log_warn("playlist đang kích hoạt \"%s\" không đọc được; báo cáo không đánh giá "
                    "nguy cơ không đạt chỉ tiêu loa",
                    active.dir);
        return;
    }
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&app->cfg, &lim);
    if (bt_schedule_create(&u->playlist.broadcasts, &lim, active.activated_at, 0, &u->schedule) !=
            0 ||
        !(u->slots = malloc(UPCOMING_SLOT_CAP * sizeof *u->slots)))
        return;
    size_t n = bt_schedule_upcoming(u->schedule, now, u->slots, UPCOMING_SLOT_CAP);
    size_t items = bt_targets_upcoming_from_slots(&u->playlist.broadcasts, u->slots, n, NULL, 0);
    if (items && !(u->airings = malloc(items * sizeof *u->airings)))
        return;
    bt_targets_upcoming_from_slots(&u->playlist.broadcasts, u->slots, n, u->airings, items);
    opt->upcoming_airings = u->airings;
    opt->upcoming_airing_count = items;
    opt->loudspeaker_upcoming_known = true;
}

static int parse_options(const bt_cli_args *a, bt_period *period, bt_report_format *format,
                         int *min_minutes)
{
    const char *text = bt_cli_opt(a, "--period");
    const char *fmt = bt_cli_opt(a, "--format");
    const char *min = bt_cli_opt(a, "--min-minutes");
    if (!text) {
        fprintf(stderr, "bangtin report: thiếu \"--period KỲ\", ví dụ --period 2025-Q4.\n");
        return -1;
    }
    if (bt_report_period_parse(text, period) != 0) {
        fprintf(stderr,
                "bangtin report: kỳ \"%s\" không hợp lệ — viết 2025-Q4 (quý), 2025-11 (tháng), "
                "2025-9M (9 tháng đầu năm), 2025 (cả năm) hoặc 2025-10-01..2025-12-31.\n",
                text);
        return -1;
    }
    *format = BT_REPORT_CSV;
    if (fmt && bt_report_format_parse(fmt, format) != 0) {
        fprintf(stderr, "bangtin report: định dạng \"%s\" không hợp lệ — dùng csv, xlsx hoặc "
                        "html.\n", fmt);
        return -1;
    }
    *min_minutes = 0;
    if (min) {
        char *end;
        long v = strtol(min, &end, 10);
        if (*end || v < 1 || v > MAX_MIN_MINUTES) {
            fprintf(stderr, "bangtin report: --min-minutes cần một số phút từ 1 đến %d.\n",
                    MAX_MIN_MINUTES);
            return -1;
        }
        *min_minutes = (int)v;
    }
    return 0;
}

int bt_cmd_report(bt_app *app, const struct bt_cli_args *a)
{
    bt_period period;
    bt_report_format format;
    bt_report_options opt = {0};
    char name[128], err[512];
    upcoming u = {0};
    if (parse_options(a, &period, &format, &opt.min_minutes_per_day) != 0)
        return 2;
    const char *path = bt_cli_opt(a, "-o");
    if (!path)
        path = bt_report_file_name(&period, format, name, sizeof name);
    bt_store *store = bt_app_open_store(app);
    if (!store)
        return 1;
    opt.ward = app->cfg.ward_name;
    opt.generated_at = (bt_wall)time(NULL);
    find_upcoming(app, store, opt.generated_at, &u, &opt);
    bt_report *r = NULL;
    int rc = 1;
    if (bt_report_build(store, &period, &opt, &r, err, sizeof err) != 0 ||
        bt_report_save(r, format, path, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin report: %s\n", err);
    } else {
        size_t count;
        const bt_target_progress *p = bt_report_progress(r, &count);
        char line[512];
        printf("Đã ghi báo cáo: %s\n", path);
        for (size_t i = 0; i < count; i++)
            printf("  %s — %s\n", bt_target_public_text(&p[i], line, sizeof line),
                   bt_target_state_vi(p[i].state));
        if (!bt_report_log_intact(r))
            printf("CẢNH BÁO: nhật ký phát thanh không toàn vẹn — xem \"bangtin log verify\".\n");
        rc = 0;
    }
    bt_report_destroy(r);
    upcoming_free(&u);
    bt_store_close(store);
    return rc;
}
