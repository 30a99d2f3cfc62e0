/* `bangtin report --plan DIR`: what a forecast report is built from (private to the app room). */
#ifndef BT_APP_REPORT_FORECAST_H
#define BT_APP_REPORT_FORECAST_H

#include <stdbool.h>
#include <stdio.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"

/* The length of the power-off ranges in words (the report quotes them). */
#define BT_FORECAST_OFF_TEXT_BYTES 1024

typedef struct {
    bt_playlist plan;
    bt_sim_airing *simulated;
    size_t simulated_count;
    char off_text[BT_FORECAST_OFF_TEXT_BYTES];
    bt_report_forecast forecast;  /* borrows from the fields above */
} bt_forecast_parts;

/* Simulates the playlist in dir over every day the period's targets reach, from `from` on (the
 * real log counts before it: `now` when there is a store, else the first such day), with the
 * power off in off[], and fills parts->forecast for bt_report_options.forecast. The playlist's
 * problems go to err_out. 0, or -1 when the playlist is unusable. Free with
 * bt_forecast_parts_free (also after a failure). */
int bt_forecast_parts_make(bt_app *app, const char *dir, const bt_period *period,
                           const bt_wall_span *off, size_t off_count, bt_wall from,
                           bt_forecast_parts *parts, FILE *err_out);
void bt_forecast_parts_free(bt_forecast_parts *parts);

#endif
