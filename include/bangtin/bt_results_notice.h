#ifndef BT_RESULTS_NOTICE_H
#define BT_RESULTS_NOTICE_H
/* The public results notices (src/app/results_notice.c): pure, in every build that draws or
 * checks the screen (the kiosk, screenshot on the appliance and in the staff tools). */
#include <stdbool.h>
#include <stddef.h>

#include "bt_playlist.h"
#include "bt_targets.h"

/* Public results notices (kind "results"): for each, the title (the notice's own or
 * BT_RESULTS_NOTICE_TITLE) and a body made of bt_target_public_text of its target in today's
 * period, from `progress` (bt_report_progress_today's rows). The notice becomes a text notice for
 * the screen (its `target` stays set so it can be refreshed). Returns true if any text changed. */
bool bt_app_results_fill(bt_playlist *p, const bt_target_progress *progress, size_t count);

#endif
