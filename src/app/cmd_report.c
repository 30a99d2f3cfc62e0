/* `bangtin report --period P --format F [-o FILE] [--csv-sep ;|,]`: the culture department's report of a period
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
#include "bangtin/bt_report_upcoming.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_vi.h"

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

int bt_cmd_report(bt_app *app, const struct bt_cli_args *a)
{
    bt_period period;
    bt_report_format format;
    bt_report_options opt = {0};
    char name[128], err[512];
    bt_report_upcoming u = {0};
    if (parse_options(a, &period, &format, &opt.min_minutes_per_day, &opt.csv_separator) != 0)
        return 2;
    const char *path = bt_cli_opt(a, "-o");
    if (!path)
        path = bt_report_file_name(&period, format, name, sizeof name);
    bt_store *store = bt_app_open_existing_store(app);
    if (!store)
        return 1;
    bt_report_options_from_config(app, &opt);
    opt.generated_at = (bt_wall)time(NULL);
    bt_report_upcoming_find(app, store, opt.generated_at, UPCOMING_SLOT_CAP, &u, &opt);
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
                   bt_vi_target_state(p[i].state));
        if (!bt_report_log_intact(r))
            printf("CẢNH BÁO: nhật ký phát thanh không toàn vẹn — xem \"bangtin log verify\".\n");
        rc = 0;
    }
    bt_report_destroy(r);
    bt_report_upcoming_free(&u);
    bt_store_close(store);
    return rc;
}
