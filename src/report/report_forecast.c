/* A forecast report's airings (bangtin report --plan): the simulated items of the plan, turned
 * into rows exactly as the airing log would have written them, so the report reads a forecast
 * with the same code as the log. Only slots from the forecast's `from` on: before it, the real
 * log speaks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "report_internal.h"

static bt_airing_status status_of(bt_attempt_status a)
{
    switch (a) {
    case BT_ATTEMPT_COMPLETED: return BT_AIRING_COMPLETED;
    case BT_ATTEMPT_INTERRUPTED: return BT_AIRING_INTERRUPTED;
    case BT_ATTEMPT_FAILED: return BT_AIRING_FAILED;
    default: return BT_AIRING_MISSED;
    }
}

/* One simulated item as the log would have written it; false if it names nothing the plan has. */
static bool row_of(const bt_report_forecast *f, const bt_sim_airing *a, int64_t id,
                   bt_airing_row *r)
{
    const bt_broadcasts *b = f->broadcasts;
    if (a->item >= b->item_count || a->slot.session >= b->session_count)
        return false;
    const bt_broadcast_item *item = &b->items[a->item];
    bt_airing_subject *s = &r->subject;
    memset(r, 0, sizeof *r);
    r->airing = id;
    snprintf(s->item_id, sizeof s->item_id, "%s", item->id);
    snprintf(s->title, sizeof s->title, "%s", item->title ? item->title : item->id);
    snprintf(s->topic, sizeof s->topic, "%s", item->topic ? item->topic : "");
    snprintf(s->playlist_id, sizeof s->playlist_id, "%s", f->playlist_id ? f->playlist_id : "");
    s->playlist_version = f->playlist_version;
    snprintf(s->session_id, sizeof s->session_id, "%s", b->sessions[a->slot.session].id);
    s->scheduled_at = a->slot.scheduled;
    r->started_at_ms = a->started ? (int64_t)a->started * 1000 : 0;
    r->ended_at_ms = a->started ? (int64_t)a->ended * 1000 : 0;
    r->duration_ms = a->started ? (int64_t)(a->ended - a->started) * 1000 : -1;
    r->status = status_of(a->status);
    snprintf(r->reason, sizeof r->reason, "%s", bt_miss_reason_code(a->reason));
    r->clock_trusted = true;
    return true;
}

int bt_report_forecast_rows(const bt_report_forecast *f, bt_airing_row **rows, size_t *count)
{
    *rows = NULL;
    *count = 0;
    if (!f->airing_count || !f->broadcasts)
        return 0;
    bt_airing_row *out = calloc(f->airing_count, sizeof *out);
    if (!out)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < f->airing_count; i++)
        if (f->airings[i].slot.scheduled >= f->from &&
            row_of(f, &f->airings[i], (int64_t)(n + 1), &out[n]))
            n++;
    *rows = out;
    *count = n;
    return 0;
}
