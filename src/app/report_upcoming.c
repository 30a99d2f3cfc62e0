/* What the active playlist will still air, for the reports' "at risk" (bangtin report and the
 * reports written onto a USB stick share it). */
#include "bangtin/bt_report_upcoming.h"

#include <stdlib.h>

#include "bangtin/bt_config.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist_load.h"

void bt_report_upcoming_free(bt_report_upcoming *u)
{
    free(u->session_labels);
    free(u->airings);
    free(u->slots);
    bt_schedule_destroy(u->schedule);
    bt_playlist_free(&u->playlist);
}

/* The names the reports print for the log's ids: the active playlist's sessions and its own
 * title. Sessions are seldom renamed, so the names of the playlist in force name past rows of
 * the same ids too; an id it does not know is printed as it is. */
void bt_report_upcoming_name_ids(bt_report_upcoming *u, const bt_playlist *p,
                                 bt_report_options *opt)
{
    const bt_broadcasts *b = &p->broadcasts;
    if (b->session_count && (u->session_labels = calloc(b->session_count,
                                                        sizeof *u->session_labels))) {
        for (size_t i = 0; i < b->session_count; i++)
            u->session_labels[i] = (bt_report_label){b->sessions[i].id, b->sessions[i].name};
        opt->session_labels = u->session_labels;
        opt->session_label_count = b->session_count;
    }
    if (p->id && p->title) {
        u->playlist_label = (bt_report_label){p->id, p->title};
        opt->playlist_labels = &u->playlist_label;
        opt->playlist_label_count = 1;
    }
}

/* What the active playlist will still air from now on. No active playlist: nothing will air
 * (known, empty). A playlist that no longer loads: unknown, and the report says nothing is at
 * risk rather than guess. */
void bt_report_upcoming_find(const bt_app *app, bt_store *store, bt_wall now, size_t slot_cap,
                             bt_report_upcoming *u, bt_report_options *opt)
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
    /* The report needs the schedule, not the pictures: a lost image must not hide what is
     * still to air, and skipping the image decode keeps a report fast. */
    int rc = bt_playlist_load_for_display(active.dir, &u->playlist, &d);
    bt_diags_free(&d);
    if (rc != 0) {
        bt_log_warn("playlist đang kích hoạt \"%s\" không đọc được; báo cáo không đánh giá "
                    "nguy cơ không đạt chỉ tiêu loa",
                    active.dir);
        return;
    }
    bt_report_upcoming_name_ids(u, &u->playlist, opt);
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&app->cfg, &lim);
    if (bt_schedule_create(&u->playlist.broadcasts, &lim, active.activated_at, 0, &u->schedule) !=
            0 ||
        !(u->slots = malloc(slot_cap * sizeof *u->slots)))
        return;
    /* Airings after the playlist expires will not happen: they are not "coming". */
    bt_schedule_set_validity(u->schedule,
                             (bt_validity){u->playlist.valid_from, u->playlist.valid_until});
    size_t n = bt_schedule_upcoming(u->schedule, now, u->slots, slot_cap);
    size_t items = bt_targets_upcoming_from_slots(&u->playlist.broadcasts, u->slots, n, NULL, 0);
    if (items && !(u->airings = malloc(items * sizeof *u->airings)))
        return;
    bt_targets_upcoming_from_slots(&u->playlist.broadcasts, u->slots, n, u->airings, items);
    opt->upcoming_airings = u->airings;
    opt->upcoming_airing_count = items;
    opt->loudspeaker_upcoming_known = true;
}

void bt_report_options_from_config(const bt_app *app, bt_report_options *opt)
{
    const bt_config *c = &app->cfg;
    opt->ward = c->ward_name;
    opt->device_label = c->device_label;
    opt->document = (bt_report_document){c->report_issuer, c->report_parent, c->report_place,
                                         c->report_symbol, c->report_signer,
                                         c->report_signer_name, c->report_recipients};
}
