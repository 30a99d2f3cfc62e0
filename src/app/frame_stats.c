/* Turn times of the kiosk loop (see frame_stats.h). */
#include "frame_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_buf.h"

/* Turns after the loudspeaker was last busy that still count as around its activity: its last
 * rows are written when the session has ended. */
#define AFTER_AIR_NS (3LL * 1000000000LL)

typedef struct {
    float *ms;
    size_t count, cap;
    float max;
    double max_at;           /* seconds after the first turn */
} series;

struct frame_stats {
    series all, air;
    bt_mono_ns last_on_air;
    bt_mono_ns first;        /* the first turn (start-up: timed as first-frame, not here) */
};

frame_stats *frame_stats_create(void)
{
    const char *want = getenv("BANGTIN_FRAME_STATS");
    if (!want || strcmp(want, "1") != 0)
        return NULL;
    return calloc(1, sizeof(frame_stats));
}

static void push(series *s, float ms, double at)
{
    if (ms > s->max) {
        s->max = ms;
        s->max_at = at;
    }
    float *room = bt_grow(s->ms, &s->cap, s->count + 1, sizeof *room);
    if (!room)
        return;
    s->ms = room;
    s->ms[s->count++] = ms;
}

void frame_stats_add(frame_stats *s, bt_mono_ns from, bt_mono_ns to, bool on_air)
{
    if (!s)
        return;
    if (!s->first) {
        s->first = from;
        return;
    }
    float ms = (float)((double)(to - from) / 1e6);
    double at = (double)(from - s->first) / 1e9;
    if (on_air)
        s->last_on_air = to;
    push(&s->all, ms, at);
    if (on_air || (s->last_on_air && to - s->last_on_air < AFTER_AIR_NS))
        push(&s->air, ms, at);
}

static int by_value(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, series *s)
{
    if (s->count == 0) {
        fprintf(stderr, "bangtin: frame-times %s n=0\n", name);
        return;
    }
    qsort(s->ms, s->count, sizeof *s->ms, by_value);
    size_t p99 = (size_t)((double)(s->count - 1) * 0.99);
    fprintf(stderr, "bangtin: frame-times %s n=%zu p50=%.3f p99=%.3f max=%.3f ms (at +%.1f s)\n",
            name, s->count, s->ms[(s->count - 1) / 2], s->ms[p99], s->ms[s->count - 1],
            s->max_at);
}

void frame_stats_finish(frame_stats *s)
{
    if (!s)
        return;
    report("all", &s->all);
    report("loudspeaker", &s->air);
    free(s->all.ms);
    free(s->air.ms);
    free(s);
}
