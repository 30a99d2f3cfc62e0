/* `bangtin report --period P --format F [-o FILE] [--csv-sep ;|,] [--plan DIR [--off A..B]...]`:
 * the culture department's report of a period (src/report), written to a file. The app's part
 * is what only it knows: the ward's name from the config, and what the active playlist's
 * schedule will still air (so a target of a period still running can be called "at risk").
 * With --plan, a forecast ("Dự kiến"): the named playlist's schedule simulated from now to the
 * period's end (report_forecast.c), the real log before now when the appliance has one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_report_upcoming.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_vi.h"

#include "plan_sim.h"
#include "report_forecast.h"

/* Upcoming slots looked at for "at risk": a year of the busiest schedule the limits allow
 * (BT_MAX_BROADCAST_SESSIONS a day would be absurd; ward limits keep it to a few). */
#define UPCOMING_SLOT_CAP (366 * 24)
/* --min-minutes: a day has 1440. */
#define MAX_MIN_MINUTES 1440


static int parse_options(const bt_cli_args *a, bt_period *period, bt_report_format *format,
                         int *min_minutes, char *csv_separator)
{
    const char *sep = bt_cli_opt(a, "--csv-sep");
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
        fprintf(stderr, "bangtin report: định dạng \"%s\" không hợp lệ — dùng csv, xlsx, html "
                        "hoặc docx.\n", fmt);
        return -1;
    }
    *csv_separator = ';';
    if (sep && strcmp(sep, ";") != 0 && strcmp(sep, ",") != 0) {
        fprintf(stderr, "bangtin report: --csv-sep chỉ nhận \";\" (Excel tiếng Việt) hoặc \",\".\n");
        return -1;
    }
    if (sep)
        *csv_separator = sep[0];
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

/* Is there a store in the data directory (a forecast reads the real log only when there is)? */
static bool have_store(const bt_app *app)
{
    char path[BT_MAX_PATH_BYTES + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    return stat(path, &st) == 0;
}

/* Builds and saves; prints what the report says of each target. */
static int build_and_save(bt_store *store, const bt_period *period, const bt_report_options *opt,
                          bt_report_format format, const char *path)
{
    char err[512];
    bt_report *r = NULL;
    int rc = 1;
    if (bt_report_build(store, period, opt, &r, err, sizeof err) != 0 ||
        bt_report_save(r, format, path, err, sizeof err) != 0) {
        fprintf(stderr, "bangtin report: %s\n", err);
    } else {
        size_t count;
        const bt_target_progress *p = bt_report_progress(r, &count);
        char line[512], state[128];
        printf("Đã ghi %s: %s\n", bt_report_is_forecast(r) ? "báo cáo DỰ KIẾN" : "báo cáo", path);
        for (size_t i = 0; i < count; i++)
            printf("  %s — %s\n", bt_target_public_text(&p[i], line, sizeof line),
                   bt_report_state_text(r, &p[i], state, sizeof state));
        if (!bt_report_log_intact(r))
            printf("CẢNH BÁO: nhật ký phát thanh không toàn vẹn — xem \"bangtin log verify\".\n");
        rc = 0;
    }
    bt_report_destroy(r);
    return rc;
}

/* bangtin report --plan: the real log (if any) up to now, the playlist simulated after it. The
 * simulation covers everything still to come, so nothing else is "upcoming". */
static int forecast_report(bt_app *app, const struct bt_cli_args *a, const bt_period *period,
                           bt_report_options *opt, bt_report_format format, const char *path)
{
    bt_wall_span off[BT_CLI_MAX_REPEATED];
    bt_forecast_parts parts;
    if (bt_plan_sim_parse_off("report", a->repeated, a->repeated_count, off, stderr) != 0)
        return 2;
    bt_store *store = have_store(app) ? bt_app_open_existing_store(app) : NULL;
    if (have_store(app) && !store)
        return 1;
    bt_wall from = store ? opt->generated_at : bt_time_day_start(period->first);
    int rc = 1;
    if (bt_forecast_parts_make(app, bt_cli_opt(a, "--plan"), period, off,
                               (size_t)a->repeated_count, from, &parts, stderr) == 0) {
        bt_report_upcoming names = {0};
        opt->forecast = &parts.forecast;
        opt->loudspeaker_upcoming_known = true;
        bt_report_upcoming_name_ids(&names, &parts.plan, opt);
        rc = build_and_save(store, period, opt, format, path);
        bt_report_upcoming_free(&names);
    }
    bt_forecast_parts_free(&parts);
    bt_store_close(store);
    return rc;
}

int bt_cmd_report(bt_app *app, const struct bt_cli_args *a)
{
    bt_period period;
    bt_report_format format;
    bt_report_options opt = {0};
    char name[128];
    bt_report_upcoming u = {0};
    if (parse_options(a, &period, &format, &opt.min_minutes_per_day, &opt.csv_separator) != 0)
        return 2;
    const char *path = bt_cli_opt(a, "-o");
    if (!path)
        path = bt_report_file_name(&period, format, name, sizeof name);
    bt_report_options_from_config(app, &opt);
    opt.generated_at = (bt_wall)time(NULL);
    if (bt_cli_opt(a, "--plan"))
        return forecast_report(app, a, &period, &opt, format, path);
    if (a->repeated_count > 0) {
        fprintf(stderr, "bangtin report: --off chỉ dùng cùng --plan DIR (báo cáo dự kiến).\n");
        return 2;
    }
    bt_store *store = bt_app_open_existing_store(app);
    if (!store)
        return 1;
    bt_report_upcoming_find(app, store, opt.generated_at, UPCOMING_SLOT_CAP, &u, &opt);
    int rc = build_and_save(store, &period, &opt, format, path);
    bt_report_upcoming_free(&u);
    bt_store_close(store);
    return rc;
}
