/* Setting the appliance's clock by hand: the staff panel's "Đặt ngày giờ" (bt_panel_state.h).
 * The system clock is set with clock_settime, which needs CAP_SYS_TIME (packaging/bangtin.service
 * grants the kiosk that one capability), then the hardware clock through /dev/rtc0 so the time
 * outlives a power cut; that second step fails softly. The setter is a function pointer so that
 * tests drive the whole panel flow without root. */
#ifndef BT_CLOCK_SET_H
#define BT_CLOCK_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_panel_state.h"
#include "bt_time.h"

/* The hardware clock, and where util-linux says whether it keeps local time or UTC. */
#define BT_CLOCK_RTC_DEVICE "/dev/rtc0"
#define BT_CLOCK_ADJTIME_FILE "/etc/adjtime"

/* Sets the clock to `when`. 0 when the system clock is set (err may then hold a note: what did
 * not work besides, in Vietnamese); -1 when it is not, with the reason in err (Vietnamese, says
 * what to do). */
typedef int (*bt_clock_setter)(void *ctx, bt_wall when, char *err, size_t err_size);

/* The real one: clock_settime(CLOCK_REALTIME), then RTC_SET_TIME on BT_CLOCK_RTC_DEVICE (UTC, or
 * local time when BT_CLOCK_ADJTIME_FILE says LOCAL); ctx unused. */
int bt_clock_set_system(void *ctx, bt_wall when, char *err, size_t err_size);

typedef enum {
    BT_CLOCK_SET_NONE = 0,  /* the panel asked nothing */
    BT_CLOCK_SET_DONE,      /* the clock was set to *set_to */
    BT_CLOCK_SET_REFUSED    /* not set: message says why */
} bt_clock_set_outcome;

/* Carries out the clock page's request, if there is one: a time before this bangtin was built is
 * refused (the kiosk could never trust that clock); otherwise set() is called. The state machine
 * is told how it went, *message gets what the page says (Vietnamese) and *set_to the time set.
 * Returns what happened. */
bt_clock_set_outcome bt_clock_set_from_panel(bt_panel_state *s, bt_clock_setter set, void *ctx,
                                             char *message, size_t size, bt_wall *set_to);

#endif
