/* When the lobby display is on: the appliance config's display.on, e.g.
 * "T2-T6 07:00-17:30, T7 07:30-11:30". Outside it the kiosk puts the display to sleep
 * (bt_display_power.h). Pure: the time is passed in, in Asia/Ho_Chi_Minh civil time (bt_time.h).
 *
 * Grammar: items separated by commas; an item is weekdays (T2..T7, CN, a range "T2-T6") followed
 * by one or more spans "HH:MM-HH:MM" separated by spaces. An item of weekdays alone adds its days
 * to the next item ("T2, T4 07:00-11:00"); an item of spans alone takes the days of the item
 * before it ("T2-T6 07:00-11:30, 13:30-17:00"). A span whose end is earlier than its start runs
 * past midnight into the next day ("T6 18:00-02:00": Friday 18:00 to Saturday 02:00). "24:00"
 * ends a day. An empty text means always on. */
#ifndef BT_DISPLAY_SCHEDULE_H
#define BT_DISPLAY_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_diag.h"
#include "bt_time.h"

/* Spans in one schedule: an office writes two to four (morning, afternoon, Saturday); sixteen
 * leaves room for a different hour every weekday, morning and afternoon, and a little more. */
#define BT_DISPLAY_MAX_SPANS 16
/* Longest display.on text kept; the config's buffer for it is this size. */
#define BT_DISPLAY_SCHEDULE_TEXT_BYTES 256

typedef struct {
    uint8_t days;          /* bit 0 = T2 … bit 6 = CN: the days the span starts on */
    int16_t start, end;    /* minutes of the day; end <= start: it ends on the next day */
} bt_display_span;

typedef struct {
    bool always;           /* no schedule: the display is always on */
    size_t count;
    bt_display_span spans[BT_DISPLAY_MAX_SPANS];
} bt_display_schedule;

/* Reads text into *out; every problem goes to diags with file, line and what to write instead
 * (the messages name the key "display.on"). Returns 0, or -1 with *out set to always on. */
int bt_display_schedule_parse(const char *text, const char *file, int line,
                              bt_display_schedule *out, bt_diags *diags);
/* Is the display on at now? */
bool bt_display_schedule_on(const bt_display_schedule *s, bt_wall now);
/* The first second after now at which bt_display_schedule_on changes; 0 when it never does
 * (always on). */
bt_wall bt_display_schedule_next_change(const bt_display_schedule *s, bt_wall now);
/* The schedule as staff write it, e.g. "T2-T6 07:00-17:30, T7 07:30-11:30", or "luôn bật".
 * Returns buf. */
const char *bt_display_schedule_text(const bt_display_schedule *s, char *buf, size_t size);

#endif
