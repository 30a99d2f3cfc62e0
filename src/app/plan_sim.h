/* A playlist's loudspeaker schedule simulated over some days, as `bangtin simulate` prints it
 * and `bangtin report --plan` counts it (private to the app room). */
#ifndef BT_APP_PLAN_SIM_H
#define BT_APP_PLAN_SIM_H

#include <stdio.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"

/* "--off" values as given ("2025-11-03 05:00..2025-11-05 20:00") into spans; each bad one is
 * named on err_out with the command's name. 0 / -1. */
int bt_plan_sim_parse_off(const char *command, const char *const *texts, int count,
                          bt_wall_span *out, FILE *err_out);

/* Loads the playlist in dir (its problems printed to err_out), measures its items (text
 * bulletins spoken first) and the chime, and runs the scheduler over sim's days as the
 * appliance would, bounded by the playlist's validity. *p is the caller's (bt_playlist_free,
 * also on failure); sim->chime_seconds is filled; *timeline (may be NULL: not wanted) and
 * *airings are malloc'd (caller frees). 0, or -1 when the playlist is unusable. */
int bt_plan_sim_run(bt_app *app, const char *dir, bt_simulation *sim, bt_playlist *p,
                    char **timeline, bt_sim_airing **airings, size_t *count, FILE *err_out);

/* bt_plan_sim_run in two steps, for a caller that reads the playlist before choosing the days:
 * the load and measurement (fills sim->chime_seconds), then the run. */
int bt_plan_sim_load(bt_app *app, const char *dir, bt_simulation *sim, bt_playlist *p,
                     FILE *err_out);
int bt_plan_sim_days(bt_app *app, const bt_playlist *p, const bt_simulation *sim,
                     char **timeline, bt_sim_airing **airings, size_t *count);

/* The records of p as targets count them: malloc'd (caller frees), NULL when none (then *count
 * is 0). -1 on allocation failure. */
int bt_plan_sim_records(const bt_playlist *p, bt_target_record **out, size_t *count);

#endif
