/* Putting the lobby display to sleep outside its schedule (bt_display_schedule.h) and waking it
 * for what the lobby must see at any hour: an emergency bulletin on air, a stick being imported
 * and its result, staff at the panel. Pure: the kiosk passes the time and what is going on; the
 * display itself is reached through backends (a struct of function pointers: DPMS on X11 or
 * KMSDRM, HDMI-CEC, in src/ui; a fake one in the tests), so the decisions are tested without a
 * screen. While asleep the kiosk draws nothing and counts no impressions.
 *
 * A waker keeps the display on for BT_DISPLAY_WAKE_HOLD_SECONDS after it ends: the lobby sees the
 * end of what woke it, and a TV is not switched off and on between two items. While asleep the
 * sleep is asked again every BT_DISPLAY_REASSERT_SECONDS: a monitor woken by a stray key or by
 * its own remote goes back to sleep. */
#ifndef BT_DISPLAY_POWER_H
#define BT_DISPLAY_POWER_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_display_schedule.h"
#include "bt_time.h"

/* DPMS and HDMI-CEC, and a spare. */
#define BT_DISPLAY_MAX_BACKENDS 3
/* Long enough to read a result or the last lines of a bulletin, short against a night. */
#define BT_DISPLAY_WAKE_HOLD_SECONDS 60
/* A TV that a passer-by turned on with its remote is put back to sleep within this. */
#define BT_DISPLAY_REASSERT_SECONDS 300
#define BT_DISPLAY_ERROR_BYTES 256

/* One way to switch the display. Each call returns 0, or -1 with a Vietnamese reason in err. */
typedef struct {
    const char *name;   /* "DPMS (X11)", "HDMI-CEC": for the journal and doctor */
    int (*sleep)(void *ctx, char *err, size_t err_size);
    int (*wake)(void *ctx, char *err, size_t err_size);
    void *ctx;
} bt_display_backend;

/* What, besides the schedule, wants the display on right now. */
typedef struct {
    bool emergency;     /* an emergency bulletin is on air */
    bool stick;         /* a stick is being imported, asks for the PIN, or shows its result */
    bool staff;         /* staff use the panel */
} bt_display_wakers;

typedef enum {
    BT_DISPLAY_ON_SCHEDULE,   /* on: within display.on */
    BT_DISPLAY_ON_EMERGENCY,  /* on outside the schedule: an emergency bulletin */
    BT_DISPLAY_ON_STICK,      /* … a stick */
    BT_DISPLAY_ON_STAFF,      /* … staff at the panel */
    BT_DISPLAY_ON_HOLD,       /* … what woke it ended less than the hold ago */
    BT_DISPLAY_ASLEEP
} bt_display_state;

typedef struct {
    bt_display_schedule schedule;
    bt_display_backend backends[BT_DISPLAY_MAX_BACKENDS];
    size_t backend_count;
    bool failing[BT_DISPLAY_MAX_BACKENDS]; /* its last switch failed (said once) */
    bt_display_state state;
    bt_mono_ns hold_until;    /* a waker ended: on until here */
    bt_mono_ns reassert_at;   /* asleep: ask the backends again at this time */
    bool started;             /* the first turn was taken */
} bt_display_power;

/* Starts with the display on (as the kiosk opens it) and no backend. */
void bt_display_power_init(bt_display_power *p, const bt_display_schedule *schedule);
/* Adds a backend (copied); -1 when BT_DISPLAY_MAX_BACKENDS are there. */
int bt_display_power_add(bt_display_power *p, const bt_display_backend *b);
/* One turn at (now, mono) with what is going on: decides, and on a change between on and asleep
 * calls every backend's sleep or wake (a backend that starts failing is written to the log
 * once, the others still switch). Returns true when it went to sleep or woke up in this turn. */
bool bt_display_power_tick(bt_display_power *p, bt_wall now, bt_mono_ns mono,
                           bt_display_wakers w);
/* The kiosk stops: a sleeping display is woken, for whatever comes next (a restart, the
 * console, a technician). */
void bt_display_power_release(bt_display_power *p);
static inline bool bt_display_power_asleep(const bt_display_power *p)
{
    return p->state == BT_DISPLAY_ASLEEP;
}
/* Why the display is on or asleep, in Vietnamese for the journal and the service status. */
const char *bt_display_state_vi(bt_display_state s);

#endif
