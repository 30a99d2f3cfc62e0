/* The upcoming loudspeaker airings of the active playlist, as the reports need them to say
 * whether a target is at risk. Owned by the app room: it loads the playlist and runs the
 * scheduler, which the report room may not. */
#ifndef BT_REPORT_UPCOMING_H
#define BT_REPORT_UPCOMING_H

#include <stddef.h>

#include "bt_app.h"
#include "bt_playlist.h"
#include "bt_report.h"
#include "bt_schedule.h"
#include "bt_store.h"
#include "bt_targets.h"

typedef struct {
    bt_playlist playlist;
    bt_schedule *schedule;
    bt_slot *slots;
    bt_target_airing *airings;
    bt_report_label *session_labels;  /* the playlist's session names, for the reports */
    bt_report_label playlist_label;
} bt_report_upcoming;

/* Fills opt->upcoming_airings and the names of sessions and playlist (pointing into *u) from
 * the store's active playlist, looking at
 * most slot_cap slots ahead. No active playlist: nothing will air (known, empty). A playlist
 * that no longer loads: unknown, and reports then say nothing is at risk rather than guess.
 * *u must be zeroed first and freed with bt_report_upcoming_free after the report is built. */
void bt_report_upcoming_find(const bt_app *app, bt_store *store, bt_wall now, size_t slot_cap,
                             bt_report_upcoming *u, bt_report_options *opt);
void bt_report_upcoming_free(bt_report_upcoming *u);
/* The names of p's sessions and p's title for the reports (labels kept in *u, freed with it);
 * bt_report_upcoming_find does it for the active playlist, a forecast for its plan. */
void bt_report_upcoming_name_ids(bt_report_upcoming *u, const bt_playlist *p,
                                 bt_report_options *opt);

/* The options of a report that come from the appliance's config: the ward, and the báo cáo's
 * masthead, signature and nơi nhận (`report.*`). The strings borrow from app->cfg. */
void bt_report_options_from_config(const bt_app *app, bt_report_options *opt);

#endif
