/* Which notice the lobby screen shows at time t. A pure function of the playlist and t, so the
 * running kiosk and `bangtin screenshot --at` always agree.
 *
 * Rules: only notices in their time (date range, weekday, hours) take part, and none if the
 * playlist itself is outside its validity; a notice marked `unavailable` (its file is missing on
 * disk) never takes part. If any urgent notice is in its time, only urgent
 * notices rotate. Otherwise all notices in time rotate, ordered by priority (high first), then
 * by their order in the file. The cycle is anchored at local midnight, so the position in the
 * cycle is (t - midnight) mod (sum of durations). */
#ifndef BT_ROTATION_H
#define BT_ROTATION_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_playlist.h"
#include "bt_time.h"

#define BT_ROTATION_NONE ((size_t)-1)

typedef struct {
    size_t notice;        /* index into playlist->notices, or BT_ROTATION_NONE (show the idle screen) */
    bt_wall shown_since;  /* when this notice's current showing began */
    bt_wall next_change;  /* when the answer may change next (slide end or an eligibility edge) */
    size_t eligible;      /* how many notices take part at t */
    bool urgent;          /* the rotation is in urgent mode */
} bt_rotation_pick;

/* p may be NULL (no playlist): returns the idle pick with next_change at the next minute. */
bt_rotation_pick bt_rotation_at(const bt_playlist *p, bt_wall t);

#endif
