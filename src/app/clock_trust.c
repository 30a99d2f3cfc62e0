/* Whether the wall clock can be believed, from what an offline box knows (bt_app_clock in
 * bt_app.h): the day this bangtin was built and the airing log's last row. Used by the kiosk
 * (which then hides the date and time), `bangtin doctor` and `bangtin status`. */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app.h"

/* The day this bangtin was built (BT_BUILD_DATE, "2026-12-06", from CMake: SOURCE_DATE_EPOCH
 * when set, as the Debian package build sets it, so the build stays reproducible): no real
 * clock is earlier. */
static bt_day build_day(void)
{
    int year = 0, month = 0, day = 0;
    if (sscanf(BT_BUILD_DATE, "%d-%d-%d", &year, &month, &day) != 3)
        return 0;
    return bt_time_day_from_ymd(year, month, day);
}

void bt_app_clock_check(bt_store *store, bt_wall now, bt_app_clock *out)
{
    memset(out, 0, sizeof *out);
    out->now = now;
    out->build_day = build_day();
    out->before_build = bt_time_day_of(now) < out->build_day;
    if (store && bt_airing_last_time_ms(store, &out->log_last_ms) != 0)
        out->log_last_ms = 0;
    out->behind_log = out->log_last_ms > 0 &&
                      out->log_last_ms - now * 1000 > BT_APP_CLOCK_SLACK_MS;
}
