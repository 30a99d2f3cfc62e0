/* The display's sleep and wake decisions (bt_display_power.h). The backends that really switch
 * the display live in src/ui; this file only decides when, from the schedule and the wakers the
 * kiosk passes in, so the tests drive it with a fake clock and a fake backend. */
#include "bangtin/bt_display_power.h"

#include <string.h>

#include "bangtin/bt_log.h"

#define NS_PER_SECOND 1000000000LL

void bt_display_power_init(bt_display_power *p, const bt_display_schedule *schedule)
{
    memset(p, 0, sizeof *p);
    p->schedule = *schedule;
    p->state = BT_DISPLAY_ON_SCHEDULE;
}

int bt_display_power_add(bt_display_power *p, const bt_display_backend *b)
{
    if (p->backend_count == BT_DISPLAY_MAX_BACKENDS)
        return -1;
    p->backends[p->backend_count++] = *b;
    return 0;
}

const char *bt_display_state_vi(bt_display_state s)
{
    switch (s) {
    case BT_DISPLAY_ON_SCHEDULE: return "bật theo lịch display.on";
    case BT_DISPLAY_ON_EMERGENCY: return "bật ngoài giờ vì đang phát tin khẩn cấp";
    case BT_DISPLAY_ON_STICK: return "bật ngoài giờ vì đang nạp USB";
    case BT_DISPLAY_ON_STAFF: return "bật ngoài giờ vì cán bộ đang dùng bảng theo dõi";
    case BT_DISPLAY_ON_HOLD: return "bật thêm một lúc sau khi việc cần màn hình kết thúc";
    case BT_DISPLAY_ASLEEP: return "tắt ngoài giờ theo lịch display.on";
    }
    return "?";
}

/* What the display should be now; a waker that is on extends the hold. */
static bt_display_state wanted(bt_display_power *p, bt_wall now, bt_mono_ns mono,
                               bt_display_wakers w)
{
    if (w.emergency || w.stick || w.staff)
        p->hold_until = mono + BT_DISPLAY_WAKE_HOLD_SECONDS * NS_PER_SECOND;
    if (bt_display_schedule_on(&p->schedule, now))
        return BT_DISPLAY_ON_SCHEDULE;
    if (w.emergency)
        return BT_DISPLAY_ON_EMERGENCY;
    if (w.stick)
        return BT_DISPLAY_ON_STICK;
    if (w.staff)
        return BT_DISPLAY_ON_STAFF;
    if (p->started && p->state != BT_DISPLAY_ASLEEP && mono < p->hold_until)
        return BT_DISPLAY_ON_HOLD;
    return BT_DISPLAY_ASLEEP;
}

/* Every backend switches, whatever the others do. A failure is said when it starts (a machine
 * without CEC would otherwise say so every five minutes all night), and so is the recovery. */
static void switch_all(bt_display_power *p, bool sleep)
{
    for (size_t i = 0; i < p->backend_count; i++) {
        const bt_display_backend *b = &p->backends[i];
        char err[BT_DISPLAY_ERROR_BYTES] = "";
        bool failed = (sleep ? b->sleep : b->wake)(b->ctx, err, sizeof err) != 0;
        if (failed && !p->failing[i])
            bt_log_warn("%s: không %s được màn hình: %s", b->name, sleep ? "tắt" : "bật",
                        err[0] ? err : "không rõ lý do");
        else if (!failed && p->failing[i])
            bt_log_info("%s: %s được màn hình trở lại", b->name, sleep ? "tắt" : "bật");
        p->failing[i] = failed;
    }
}

bool bt_display_power_tick(bt_display_power *p, bt_wall now, bt_mono_ns mono,
                           bt_display_wakers w)
{
    bt_display_state want = wanted(p, now, mono, w);
    bool was_asleep = p->state == BT_DISPLAY_ASLEEP;
    bool first = !p->started;
    p->started = true;
    if (want == BT_DISPLAY_ASLEEP && was_asleep) {
        if (mono >= p->reassert_at) {
            switch_all(p, true);
            p->reassert_at = mono + BT_DISPLAY_REASSERT_SECONDS * NS_PER_SECOND;
        }
        return false;
    }
    bt_display_state before = p->state;
    p->state = want;
    if (want != before && want != BT_DISPLAY_ASLEEP && !was_asleep)
        bt_log_info("màn hình %s", bt_display_state_vi(want));
    if ((want == BT_DISPLAY_ASLEEP) == was_asleep)
        return false;
    if (want == BT_DISPLAY_ASLEEP) {
        char when[64], hhmm[16];
        bt_wall next = bt_display_schedule_next_change(&p->schedule, now);
        bt_log_info("màn hình %s%s — bật lại %s %s", bt_display_state_vi(want),
                    first ? " (lúc khởi động)" : "",
                    next ? bt_time_format_date_vi(next, when, sizeof when) : "khi có việc",
                    next ? bt_time_format_hhmm(next, hhmm, sizeof hhmm) : "");
        switch_all(p, true);
        p->reassert_at = mono + BT_DISPLAY_REASSERT_SECONDS * NS_PER_SECOND;
    } else {
        bt_log_info("màn hình %s", bt_display_state_vi(want));
        switch_all(p, false);
    }
    return true;
}

void bt_display_power_release(bt_display_power *p)
{
    if (p->state != BT_DISPLAY_ASLEEP)
        return;
    bt_log_info("màn hình được bật lại vì bangtin dừng");
    switch_all(p, false);
    p->state = BT_DISPLAY_ON_SCHEDULE;
}
