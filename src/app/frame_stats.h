/* The kiosk loop's turn times for the frame-time benchmark (bench/frame_times.sh): how long
 * each turn of the loop worked before it slept again, all turns and those around the
 * loudspeaker's activity (a session arming, airing, ending: when the log is written). Kept only
 * when BANGTIN_FRAME_STATS is set; summarised on stderr at exit. */
#ifndef BT_APP_FRAME_STATS_H
#define BT_APP_FRAME_STATS_H

#include <stdbool.h>

#include "bangtin/bt_time.h"

typedef struct frame_stats frame_stats;

/* NULL when the environment does not ask for it (every call below accepts NULL). */
frame_stats *frame_stats_create(void);
/* One turn that worked from `from` to `to`; `on_air`: the loudspeaker was busy during it or
 * within the last seconds. The first turn (start-up, first frame, services) is left out. */
void frame_stats_add(frame_stats *s, bt_mono_ns from, bt_mono_ns to, bool on_air);
/* Prints "bangtin: frame-times …" lines (p50/p99/max in ms) and frees. */
void frame_stats_finish(frame_stats *s);

#endif
