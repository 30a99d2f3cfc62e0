/* A forecast report's inputs: the playlist's schedule simulated (plan_sim.c) over the days the
 * period's targets reach, after the real log's last word; the report room turns the simulated
 * items into log rows (src/report/report_forecast.c). */
#include "report_forecast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_time.h"

#include "plan_sim.h"

#define DATE_TEXT 32

/* "03/11/2025 05:00 đến 30/11/2025 20:00; …" */
static void off_words(const bt_wall_span *off, size_t count, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && n < size; i++) {
        char a[DATE_TEXT], ah[DATE_TEXT], b[DATE_TEXT], bh[DATE_TEXT];
        n += (size_t)snprintf(buf + n, size - n, "%stừ %s %s đến %s %s", i ? "; " : "",
                              bt_time_format_ddmmyyyy(bt_time_day_of(off[i].from), a, sizeof a),
                              bt_time_format_hhmm(off[i].from, ah, sizeof ah),
                              bt_time_format_ddmmyyyy(bt_time_day_of(off[i].until), b, sizeof b),
                              bt_time_format_hhmm(off[i].until, bh, sizeof bh));
    }
}

int bt_forecast_parts_make(bt_app *app, const char *dir, const bt_period *period,
                           const bt_wall_span *off, size_t off_count, bt_wall from,
                           bt_forecast_parts *parts, FILE *err_out)
{
    memset(parts, 0, sizeof *parts);
    bt_playlist_init(&parts->plan);
    bt_simulation sim = {.off = off, .off_count = off_count};
    bt_day first, last;
    if (bt_plan_sim_load(app, dir, &sim, &parts->plan, err_out) != 0)
        return -1;
    bt_report_days_reached(&parts->plan.targets, period, &first, &last);
    sim.from_day = bt_time_day_of(from) > first ? bt_time_day_of(from) : first;
    sim.to_day = last;
    if (sim.from_day <= sim.to_day &&
        bt_plan_sim_days(app, &parts->plan, &sim, NULL, &parts->simulated,
                         &parts->simulated_count) != 0)
        return -1;
    off_words(off, off_count, parts->off_text, sizeof parts->off_text);
    parts->forecast = (bt_report_forecast){.targets = &parts->plan.targets,
                                           .records = &parts->plan.records,
                                           .broadcasts = &parts->plan.broadcasts,
                                           .playlist_id = parts->plan.id,
                                           .playlist_version = parts->plan.version,
                                           .airings = parts->simulated,
                                           .airing_count = parts->simulated_count,
                                           .from = from,
                                           .off_text = parts->off_text};
    return 0;
}

void bt_forecast_parts_free(bt_forecast_parts *parts)
{
    free(parts->simulated);
    bt_playlist_free(&parts->plan);
    memset(parts, 0, sizeof *parts);
}
