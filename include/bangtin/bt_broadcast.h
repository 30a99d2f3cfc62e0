/* The loudspeaker part of a playlist: recorded items and the sessions that air them, plus the
 * ward's limits from the appliance config. Plain data shared by the validator (core/playlist),
 * the scheduler (core/schedule), playout (audio) and the airing log (store). */
#ifndef BT_BROADCAST_H
#define BT_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_limits.h"
#include "bt_time.h"

/* Circular 39/2020/TT-BTTTT distinguishes normal, priority and emergency bulletins. */
typedef enum {
    BT_BROADCAST_NORMAL = 0,
    BT_BROADCAST_PRIORITY = 1,
    BT_BROADCAST_EMERGENCY = 2
} bt_broadcast_priority;

/* Until when a missed session may still be made up: never, or by the end of the same day,
 * week, month or quarter (quarters are what the ward's targets count). */
typedef enum {
    BT_MAKEUP_NONE, BT_MAKEUP_DAY, BT_MAKEUP_WEEK, BT_MAKEUP_MONTH, BT_MAKEUP_QUARTER
} bt_makeup_scope;

typedef struct {
    char *id;                  /* owned, unique among items */
    char *title;               /* owned NFC, shown as "Đang phát: <title>" */
    char *audio;               /* owned, path relative to the playlist directory */
    char *topic;               /* owned, may be NULL */
    bt_broadcast_priority priority;
    int line;
    /* Filled by the shell when the playlist is loaded (audio decoded and measured once). */
    char sha256[64 + 1];       /* hex of the file's content; "" until measured */
    double duration_seconds;   /* 0 until measured */
    double loudness_lufs;      /* integrated EBU R128 loudness; 0 until measured */
} bt_broadcast_item;

typedef struct {
    char *id;                  /* owned, unique among sessions; part of every slot's identity */
    char *name;                /* owned NFC, e.g. "Bản tin sáng" */
    int16_t times[BT_MAX_SESSION_TIMES]; /* minutes of the local day at which it airs */
    size_t time_count;
    uint8_t weekdays;          /* bit 0 = Thứ Hai … bit 6 = Chủ Nhật */
    bt_day from_day, until_day;/* inclusive; BT_DAY_NONE_FROM / BT_DAY_NONE_UNTIL */
    bt_wall at[BT_MAX_SESSION_ONE_OFFS]; /* one-off local date-times, besides `times` */
    size_t at_count;
    size_t items[BT_MAX_SESSION_ITEMS]; /* indices into bt_broadcasts.items, in airing order */
    size_t item_count;
    bt_makeup_scope makeup;
    int line;
} bt_broadcast_session;

typedef struct {
    bt_broadcast_item *items;        /* owned */
    size_t item_count;
    bt_broadcast_session *sessions;  /* owned */
    size_t session_count;
} bt_broadcasts;

/* The ward's limits (appliance config, `broadcast` group). Emergency items may air outside the
 * windows; nothing may break the other limits. */
typedef struct {
    struct { int16_t start_minute, end_minute; } windows[BT_MAX_HOUR_SPANS];
    size_t window_count;             /* 0 = no window restriction */
    int max_sessions_per_day;
    int max_session_minutes;
} bt_broadcast_limits;

/* The priority of a session: the highest of its items'. */
bt_broadcast_priority bt_broadcast_session_priority(const bt_broadcasts *b, size_t session);
const char *bt_broadcast_priority_name(bt_broadcast_priority p); /* "normal" … */
void bt_broadcasts_free(bt_broadcasts *b);

#endif
