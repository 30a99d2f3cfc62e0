/* The simulation of a playlist's days shared by `bangtin simulate` (the timeline and each
 * target's projected state) and `bangtin report --plan` (a forecast report): the same load,
 * measurement and scheduler run, so both answer the same question the same way. */
#include "plan_sim.h"

#include <stdlib.h>

#include "bangtin/bt_cli.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_playlist_load.h"

#include "cli_internal.h"

int bt_plan_sim_parse_off(const char *command_name, const char *const *texts, int count,
                          bt_wall_span *out, FILE *err_out)
{
    for (int i = 0; i < count; i++) {
        if (bt_simulate_parse_off(texts[i], &out[i]) != 0) {
            fprintf(err_out, "bangtin %s: --off \"%s\" không hợp lệ — viết dạng "
                             "\"2025-11-03 05:00..2025-11-05 20:00\".\n", command_name, texts[i]);
            return -1;
        }
    }
    return 0;
}

int bt_plan_sim_load(bt_app *app, const char *dir, bt_simulation *sim, bt_playlist *p,
                     FILE *err_out)
{
    bt_diags d;
    char chime_path[BT_MAX_PATH_BYTES + 32], err[512];
    bt_loudness chime;
    bt_playlist_init(p);
    bt_diags_init(&d);
    int rc = bt_playlist_load(dir, p, &d);
    /* Durations (and the ward's limits on them) decide when each airing ends. */
    if (rc == 0)
        rc = bt_cli_measure_broadcasts(app, dir, p, &d);
    bt_cli_print_diags(&d, err_out);
    bt_diags_free(&d);
    if (rc != 0)
        return -1;
    if (bt_loudness_measure(bt_config_chime_path(&app->cfg, chime_path, sizeof chime_path),
                            &chime, err, sizeof err) == 0)
        sim->chime_seconds = chime.duration_seconds;
    else
        bt_log_warn("không đọc được nhạc hiệu \"%s\": %s — mô phỏng không tính nhạc hiệu",
                    chime_path, err);
    return 0;
}

int bt_plan_sim_days(bt_app *app, const bt_playlist *p, const bt_simulation *sim,
                     char **timeline, bt_sim_airing **airings, size_t *count)
{
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&app->cfg, &lim);
    bt_validity validity = {p->valid_from, p->valid_until};
    return bt_simulate_airings(&p->broadcasts, &lim, sim, &validity, timeline, airings, count);
}

int bt_plan_sim_run(bt_app *app, const char *dir, bt_simulation *sim, bt_playlist *p,
                    char **timeline, bt_sim_airing **airings, size_t *count, FILE *err_out)
{
    if (bt_plan_sim_load(app, dir, sim, p, err_out) != 0)
        return -1;
    return bt_plan_sim_days(app, p, sim, timeline, airings, count);
}

int bt_plan_sim_records(const bt_playlist *p, bt_target_record **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!p->records.count)
        return 0;
    if (!(*out = calloc(p->records.count, sizeof **out)))
        return -1;
    bt_records_as_inputs(&p->records, *out);
    *count = p->records.count;
    return 0;
}
