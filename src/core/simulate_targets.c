/* `bangtin simulate`'s last lines: where each target would stand when the simulated days are
 * over ("will we meet the quarter if the power is off in November?"). The simulated airings
 * count as the log would count them (core/targets.c); records staff wrote count for their
 * channels. Judged as of the first simulated day: what the simulation shows is all that will
 * air, so a period it does not fill is "có nguy cơ không đạt" — except where the simulation
 * cannot know: a period running past the last simulated day, the screen (not simulated), a
 * channel staff record by hand. Those stay "đang thực hiện", with the reason.
 *
 * Pure: no files, no clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"

#define LINE_BYTES 512
#define DATE_BYTES 32

/* Why the simulation cannot settle a period it does not fill; NULL when it can. */
static const char *unknowable(const bt_target_progress *p, const bt_simulation *sim)
{
    if (p->target->channel == BT_TARGET_SCREEN)
        return "màn hình không được mô phỏng";
    if (bt_target_channel_recorded(p->target->channel))
        return "kênh do cán bộ ghi nhận: chỉ tính các tin bài đã ghi trong records";
    if (p->last > sim->to_day)
        return "kỳ còn kéo dài sau ngày cuối mô phỏng";
    return NULL;
}

static void put_line(bt_buf *t, const bt_target_progress *p, const bt_simulation *sim)
{
    char text[LINE_BYTES], a[DATE_BYTES], count[32];
    bt_target_state state = p->state;
    const char *why = state == BT_TARGET_MET ? NULL : unknowable(p, sim);
    if (why && state == BT_TARGET_AT_RISK)
        state = BT_TARGET_ON_TRACK;
    bt_buf_printf(t, "#   %s → %s", bt_target_public_text(p, text, sizeof text),
                  bt_vi_target_state(state));
    if (p->remaining > 0)
        bt_buf_printf(t, ", còn thiếu %s", bt_text_count(p->remaining, count, sizeof count));
    if (p->first < sim->from_day)
        bt_buf_printf(t, " (chưa tính những gì đã phát trước %s)",
                      bt_time_format_ddmmyyyy(sim->from_day, a, sizeof a));
    if (why)
        bt_buf_printf(t, " (%s)", why);
    bt_buf_add(t, "\n", 1);
}

int bt_simulate_targets_text(const bt_broadcasts *b, const bt_sim_airing *airings, size_t count,
                             const bt_targets *targets, const bt_target_record *records,
                             size_t record_count, const bt_simulation *sim, bt_buf *text)
{
    char a[DATE_BYTES], c[DATE_BYTES];
    if (!b || !sim || !text || !targets || targets->count == 0)
        return 0;
    bt_target_airing *in_air = count ? calloc(count, sizeof *in_air) : NULL;
    if (count && !in_air)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const bt_broadcast_item *item = &b->items[airings[i].item];
        in_air[i] = (bt_target_airing){item->id, item->topic,
                                       airings[i].started ? airings[i].started
                                                          : airings[i].slot.scheduled,
                                       airings[i].status};
    }
    /* Nothing more comes than what was simulated: known, and empty. */
    bt_target_inputs in = {.airings = in_air,
                           .airing_count = count,
                           .loudspeaker_upcoming_known = true,
                           .today = sim->from_day,
                           .records = records,
                           .record_count = record_count};
    size_t n = bt_targets_progress_range(targets, sim->from_day, sim->to_day, &in, NULL, 0);
    bt_target_progress *p = n ? calloc(n, sizeof *p) : NULL;
    if (n && !p) {
        free(in_air);
        return -1;
    }
    n = bt_targets_progress_range(targets, sim->from_day, sim->to_day, &in, p, n);
    bt_buf_printf(text, "# chỉ tiêu dự kiến sau khi phát như trên (%s..%s):\n",
                  bt_time_format_ddmmyyyy(sim->from_day, a, sizeof a),
                  bt_time_format_ddmmyyyy(sim->to_day, c, sizeof c));
    for (size_t i = 0; i < n; i++)
        put_line(text, &p[i], sim);
    if (n == 0)
        bt_buf_printf(text, "#   không có chỉ tiêu nào áp dụng trong những ngày này\n");
    free(p);
    free(in_air);
    return text->failed ? -1 : 0;
}
