/* `bangtin simulate`: the scheduler's own decide/record loop run on simulated time, so the
 * timeline shows exactly what the appliance would do. Time jumps from event to event (a slot
 * comes due, an airing ends, a window opens, the power goes off or on), so a quarter takes a few
 * thousand decisions, not millions of seconds.
 *
 * Timeline format (UTF-8, one event per line, sorted by time then by the order things happened):
 *
 *   2025-10-06 06:00:00  đã phát      ban-tin-sang  2025-10-06 06:00  3 tin, 4:43
 *   ^ when it happened   ^ event      ^ session     ^ the slot         ^ details
 *
 * Staff read it, so every word is Vietnamese (bt_vi_sim_event): "đã phát" (in its own turn,
 * possibly late after waiting), "phát bù" (a missed slot aired later), "bị ngắt", "bỏ lỡ",
 * "máy tắt" / "máy bật" (the appliance). The event column is padded by characters. A missed or
 * interrupted line ends with what became of the slot: "→ đã bù lúc …", "→ không bù được …",
 * "→ không bù …", "→ chưa bù …". Lines starting with '#' are the header and the summary, so
 * `grep -v '^#'` gives the events and `grep ' bỏ lỡ '` the misses. Dates are ISO so that `sort`
 * orders lines by time.
 *
 * Summary: event counts, then the fate of every slot in range: aired in its own turn ("phát theo
 * lịch", late after waiting included), made up ("phát bù"), lost ("không bù được": no makeup, or
 * its makeup period ended within the range) or still waiting ("còn chờ bù": its period ends after
 * the range). The four add up to the slot count, per session and in total. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"

#define ISO_BYTES 32
#define DETAIL_BYTES 256
/* Widths of the fixed columns. */
#define EVENT_WIDTH 11
#define SLOT_WIDTH 16


typedef struct {
    bt_wall time;
    size_t seq;           /* order of occurrence, for a stable sort */
    bt_sim_event kind;
    bt_slot slot;         /* not used by off/on */
    size_t first_item, next_item; /* aired/made-up: items [first, count); interrupted: cut item */
    int64_t seconds;      /* aired/made-up: length of the airing */
    bt_miss_reason reason;/* missed / interrupted */
    size_t by_session;    /* interrupted by an emergency: which session */
    bt_wall until;        /* off: when it comes back */
    bt_wall started;      /* interrupted: when the airing began */
} sim_event;

typedef struct {
    sim_event *v;
    size_t n, cap;
    bool failed;
} event_list;


typedef struct {
    bool on;
    bt_slot slot;
    bt_wall since, ends;
    size_t first_item;
    bool makeup;
} airing_state;

typedef struct {
    const bt_broadcasts *b;
    const bt_broadcast_limits *lim;
    const bt_simulation *sim;
    const bt_validity *validity; /* NULL: unbounded */
    bt_schedule *sched;
    event_list events;
    bt_wall start, end;
    bt_wall_span *off;   /* clipped, sorted, merged */
    size_t off_count;
    airing_state air;
} sim_ctx;

/* ---- small helpers ------------------------------------------------------------------------ */

static sim_event *add_event(sim_ctx *c, bt_sim_event kind, bt_wall time)
{
    event_list *l = &c->events;
    if (l->failed)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        sim_event *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    sim_event *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->seq = l->n++;
    e->kind = kind;
    e->time = time;
    return e;
}

/* Characters (code points) in UTF-8 text: what a monospace terminal lines up. */
static size_t chars_of(const char *s)
{
    size_t chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return chars;
}

/* Pads to `width` characters (not bytes), so Vietnamese headers line up. */
static void put_padded(bt_buf *t, const char *s, size_t width, bool right)
{
    size_t chars = chars_of(s);
    if (right)
        for (size_t i = chars; i < width; i++)
            bt_buf_add(t, " ", 1);
    bt_buf_add(t, s, strlen(s));
    if (!right)
        for (size_t i = chars; i < width; i++)
            bt_buf_add(t, " ", 1);
}

static const char *iso(bt_wall t, char *buf, size_t size)
{
    return bt_time_format_iso(t, buf, size);
}

/* "2025-11-03 06:00": a slot, to the minute (seconds only if the one-off has them). */
static const char *slot_text(bt_wall t, char *buf, size_t size)
{
    char full[ISO_BYTES];
    bt_time_format_iso(t, full, sizeof full);
    if (t % 60 == 0)
        full[16] = '\0';
    snprintf(buf, size, "%s", full);
    return buf;
}

static const char *duration_text(int64_t s, char *buf, size_t size)
{
    if (s >= 3600)
        snprintf(buf, size, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(buf, size, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
    return buf;
}

static int compare_spans(const void *pa, const void *pb)
{
    const bt_wall_span *a = pa, *b = pb;
    return (a->from > b->from) - (a->from < b->from);
}

static int compare_events(const void *pa, const void *pb)
{
    const sim_event *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Off spans that touch the simulated range, sorted and merged. A span is clipped at the start
 * only: one that runs past the end keeps its real end, which the timeline shows as given. */
static int prepare_off(sim_ctx *c)
{
    const bt_simulation *sim = c->sim;
    c->off = calloc(sim->off_count ? sim->off_count : 1, sizeof *c->off);
    if (!c->off)
        return -1;
    for (size_t i = 0; i < sim->off_count; i++) {
        bt_wall_span sp = sim->off[i];
        if (sp.from < c->start)
            sp.from = c->start;
        if (sp.from < sp.until && sp.from < c->end)
            c->off[c->off_count++] = sp;
    }
    qsort(c->off, c->off_count, sizeof *c->off, compare_spans);
    size_t u = 0;
    for (size_t i = 0; i < c->off_count; i++) {
        if (u > 0 && c->off[i].from <= c->off[u - 1].until) {
            if (c->off[i].until > c->off[u - 1].until)
                c->off[u - 1].until = c->off[i].until;
        } else {
            c->off[u++] = c->off[i];
        }
    }
    c->off_count = u;
    return 0;
}

/* ---- the loop ----------------------------------------------------------------------------- */

static int record(sim_ctx *c, bt_slot slot, bt_attempt_status status, bt_miss_reason reason,
                  bt_wall started, size_t next_item, bool makeup)
{
    bt_slot_record r = {slot, status, reason, started, next_item, makeup};
    return bt_schedule_record(c->sched, &r);
}

/* The item playing at t (the first not completed), counting the opening chime. */
static size_t item_at(const sim_ctx *c, bt_wall t)
{
    const bt_broadcast_session *s = &c->b->sessions[c->air.slot.session];
    double pos = c->sim->chime_seconds > 0 ? c->sim->chime_seconds : 0;
    double elapsed = (double)(t - c->air.since);
    size_t k = c->air.first_item;
    for (; k < s->item_count; k++) {
        double d = c->b->items[s->items[k]].duration_seconds;
        if (elapsed < pos + d)
            break;
        pos += d;
    }
    return k;
}

static int finish_airing(sim_ctx *c)
{
    sim_event *e = add_event(c, c->air.makeup ? BT_SIM_MADE_UP : BT_SIM_AIRED, c->air.since);
    if (e) {
        e->slot = c->air.slot;
        e->first_item = c->air.first_item;
        e->seconds = c->air.ends - c->air.since;
    }
    c->air.on = false;
    return record(c, c->air.slot, BT_ATTEMPT_COMPLETED, BT_MISS_NONE, c->air.since,
                  c->b->sessions[c->air.slot.session].item_count, c->air.makeup);
}

static int cut_airing(sim_ctx *c, bt_wall t, bt_miss_reason reason, size_t by_session)
{
    size_t next = item_at(c, t);
    if (next >= c->b->sessions[c->air.slot.session].item_count) {
        /* Cut in the closing chime: every item went out, so it aired. */
        c->air.ends = t;
        return finish_airing(c);
    }
    sim_event *e = add_event(c, BT_SIM_INTERRUPTED, t);
    if (e) {
        e->slot = c->air.slot;
        e->first_item = c->air.first_item;
        e->next_item = next;
        e->reason = reason;
        e->by_session = by_session;
        e->started = c->air.since;
    }
    c->air.on = false;
    return record(c, c->air.slot, BT_ATTEMPT_INTERRUPTED, reason, c->air.since, next,
                  c->air.makeup);
}

static void start_airing(sim_ctx *c, const bt_schedule_decision *d, bt_wall t)
{
    c->air.on = true;
    c->air.slot = d->start;
    c->air.since = t;
    c->air.first_item = d->first_item;
    c->air.makeup = d->makeup;
    c->air.ends = t + bt_schedule_airing_seconds(c->sched, d->start.session, d->first_item);
}

static bool in_off(const sim_ctx *c, bt_wall t)
{
    for (size_t i = 0; i < c->off_count; i++)
        if (t >= c->off[i].from && t < c->off[i].until)
            return true;
    return false;
}

static int run(sim_ctx *c)
{
    bt_schedule_input in;
    bt_schedule_decision d;
    bt_wall t = c->start;
    size_t next_off = 0;
    memset(&in, 0, sizeof in);
    in.awake_since = c->start;
    in.gap_reason = BT_MISS_OFF;

    for (;;) {
        if (c->air.on && t >= c->air.ends) {
            t = c->air.ends;
            if (finish_airing(c) != 0)
                return -1;
            continue;
        }
        if (next_off < c->off_count && t >= c->off[next_off].from) {
            const bt_wall_span *sp = &c->off[next_off++];
            if (c->air.on && cut_airing(c, sp->from, BT_MISS_OFF, SIZE_MAX) != 0)
                return -1;
            sim_event *e = add_event(c, BT_SIM_OFF, sp->from);
            if (e)
                e->until = sp->until;
            t = sp->until;
            in.awake_since = t;
            in.gap_reason = BT_MISS_OFF;
            if (t < c->end)
                add_event(c, BT_SIM_ON, t);
            continue;
        }
        if (t >= c->end) {
            if (!c->air.on)
                break;
            t = c->air.ends; /* let the last airing end; nothing new starts */
            continue;
        }
        in.now = t;
        in.airing = c->air.on;
        in.airing_slot = c->air.slot;
        if (bt_schedule_decide(c->sched, &in, &d) != 0)
            return -1;
        if (d.missed_count > 0) {
            for (size_t i = 0; i < d.missed_count; i++) {
                const bt_schedule_miss *m = &d.missed[i];
                /* A slot skipped over is shown at its own time; one given up in the queue when
                 * it was given up. */
                sim_event *e = add_event(c, BT_SIM_MISSED,
                                         m->reason == BT_MISS_QUEUE ? t : m->slot.scheduled);
                if (e) {
                    e->slot = m->slot;
                    e->reason = m->reason;
                }
                if (record(c, m->slot, BT_ATTEMPT_MISSED, m->reason, t, 0, false) != 0)
                    return -1;
            }
            continue;
        }
        if (d.action == BT_SCHEDULE_INTERRUPT) {
            if (cut_airing(c, t, BT_MISS_EMERGENCY, d.start.session) != 0)
                return -1;
            start_airing(c, &d, t);
            continue;
        }
        if (d.action == BT_SCHEDULE_START) {
            start_airing(c, &d, t);
            continue;
        }
        bt_wall next = d.next_check;
        if (c->air.on && c->air.ends < next)
            next = c->air.ends;
        if (next_off < c->off_count && c->off[next_off].from < next)
            next = c->off[next_off].from;
        if (c->end < next)
            next = c->end;
        t = next > t ? next : t + 1; /* never stand still */
    }
    return c->events.failed ? -1 : 0;
}

/* Slots the loop never decided (the power stayed off until the end) are missed too. */
static int sweep_unrecorded(sim_ctx *c)
{
    bt_slot slot;
    bt_slot_info info;
    bt_wall t = c->start;
    for (;;) {
        bt_slot batch[64];
        size_t n = bt_schedule_upcoming(c->sched, t, batch, 64);
        size_t i = 0;
        for (; i < n && batch[i].scheduled < c->end; i++) {
            slot = batch[i];
            if (bt_schedule_slot_info(c->sched, slot, &info))
                continue;
            bt_miss_reason reason = in_off(c, slot.scheduled) ? BT_MISS_OFF : BT_MISS_QUEUE;
            sim_event *e = add_event(c, BT_SIM_MISSED, slot.scheduled);
            if (e) {
                e->slot = slot;
                e->reason = reason;
            }
            if (record(c, slot, BT_ATTEMPT_MISSED, reason, c->end, 0, false) != 0)
                return -1;
        }
        if (i < n || n < 64)
            return 0;
        t = batch[n - 1].scheduled + 1;
    }
}

/* ---- output ------------------------------------------------------------------------------- */

/* "3 tin, 4:43" or, resuming, "tin 2-3/3, 3:04"; the duration only when known. */
static void items_text(const sim_ctx *c, const sim_event *e, char *buf, size_t size)
{
    char dur[32];
    size_t count = c->b->sessions[e->slot.session].item_count;
    int n = e->first_item == 0
                ? snprintf(buf, size, "%zu tin", count)
                : snprintf(buf, size, "tin %zu-%zu/%zu", e->first_item + 1, count, count);
    if (n > 0 && (size_t)n < size && e->seconds > 0)
        snprintf(buf + n, size - (size_t)n, ", %s", duration_text(e->seconds, dur, sizeof dur));
}

/* What became of a missed or interrupted slot, after the whole run. */
static void outcome_text(const sim_ctx *c, bt_slot slot, char *buf, size_t size)
{
    char when[ISO_BYTES], day[ISO_BYTES];
    bt_slot_info info;
    bt_makeup_scope scope = c->b->sessions[slot.session].makeup;
    bool expired = false;
    bt_schedule_slot_info(c->sched, slot, &info);
    bt_day deadline = bt_schedule_slot_deadline(c->sched, slot, &expired);
    if (info.completed)
        snprintf(buf, size, " → đã bù lúc %s", iso(info.completed_at, when, sizeof when));
    else if (scope == BT_MAKEUP_NONE)
        snprintf(buf, size, " → không bù (makeup = \"none\")");
    else if (expired && deadline <= c->sim->to_day)
        snprintf(buf, size, " → không bù được: playlist hết hạn ngày %s",
                 bt_time_format_iso_day(deadline, day, sizeof day));
    else if (deadline <= c->sim->to_day)
        snprintf(buf, size, " → không bù được trước hạn %s (makeup = \"%s\")",
                 bt_time_format_iso_day(deadline, day, sizeof day),
                 bt_broadcast_makeup_name(scope));
    else
        snprintf(buf, size, " → chưa bù, còn hạn đến %s",
                 bt_time_format_iso_day(deadline, day, sizeof day));
}

static void event_detail(const sim_ctx *c, const sim_event *e, char *buf, size_t size)
{
    char a[DETAIL_BYTES], b[DETAIL_BYTES], when[ISO_BYTES], dur[32];
    const bt_broadcast_session *s;
    switch (e->kind) {
    case BT_SIM_AIRED:
        items_text(c, e, a, sizeof a);
        if (e->time > e->slot.scheduled)
            snprintf(buf, size, "%s, trễ %s", a,
                     duration_text(e->time - e->slot.scheduled, dur, sizeof dur));
        else
            snprintf(buf, size, "%s", a);
        return;
    case BT_SIM_MADE_UP:
        items_text(c, e, a, sizeof a);
        snprintf(buf, size, "phát bù, %s", a);
        return;
    case BT_SIM_INTERRUPTED:
        s = &c->b->sessions[e->slot.session];
        outcome_text(c, e->slot, b, sizeof b);
        if (e->reason == BT_MISS_EMERGENCY && e->by_session < c->b->session_count)
            snprintf(a, sizeof a, "bị ngắt bởi bản tin khẩn cấp %s",
                     c->b->sessions[e->by_session].id);
        else
            snprintf(a, sizeof a, "bị ngắt: %s", bt_vi_miss_reason(e->reason));
        snprintf(buf, size, "%s khi đang phát tin %zu/%zu%s", a,
                 e->next_item < s->item_count ? e->next_item + 1 : s->item_count, s->item_count,
                 b);
        return;
    case BT_SIM_MISSED:
        outcome_text(c, e->slot, b, sizeof b);
        snprintf(buf, size, "%s%s", bt_vi_miss_reason(e->reason), b);
        return;
    case BT_SIM_OFF:
        snprintf(buf, size, "máy tắt đến %s", iso(e->until, when, sizeof when));
        return;
    case BT_SIM_ON:
    default:
        snprintf(buf, size, "máy bật lại");
        return;
    }
}

static size_t id_width(const bt_broadcasts *b)
{
    size_t w = 1;
    for (size_t i = 0; i < b->session_count; i++)
        if (b->sessions[i].id && strlen(b->sessions[i].id) > w)
            w = strlen(b->sessions[i].id);
    return w;
}

/* "# thời hạn playlist: 2025-10-01..2025-12-31 …" when the playlist bounds the loudspeaker, so
 * a timeline that goes quiet at the end of the validity says why. */
static void write_validity(const sim_ctx *c, bt_buf *t)
{
    char a[ISO_BYTES], b[ISO_BYTES];
    const bt_validity *v = c->validity;
    if (!v || (v->from == INT32_MIN && v->until == INT32_MAX))
        return;
    bt_buf_printf(t, "# thời hạn playlist: %s..%s (ngoài thời hạn không phát, không phát bù)\n",
                  v->from == INT32_MIN ? "" : bt_time_format_iso_day(v->from, a, sizeof a),
                  v->until == INT32_MAX ? "" : bt_time_format_iso_day(v->until, b, sizeof b));
}

static void write_header(const sim_ctx *c, bt_buf *t)
{
    char a[ISO_BYTES], b[ISO_BYTES];
    bt_buf_printf(t, "# bangtin simulate: lịch phát thanh mô phỏng, giờ Việt Nam (UTC+7)\n");
    bt_buf_printf(t, "# từ %s đến %s\n", bt_time_format_iso_day(c->sim->from_day, a, sizeof a),
         bt_time_format_iso_day(c->sim->to_day, b, sizeof b));
    /* What the scheduler applies: the appliance's limits with the playlist's joined in. */
    bt_broadcast_limits lim;
    char days[64];
    bt_broadcast_limits_join(c->lim, &c->b->limits, &lim);
    bt_buf_printf(t, "# khung giờ phát thanh: ");
    if (lim.window_count == 0)
        bt_buf_printf(t, "không giới hạn");
    for (size_t i = 0; i < lim.window_count; i++)
        bt_buf_printf(t, "%s%02d:%02d-%02d:%02d", i ? ", " : "", lim.windows[i].start_minute / 60,
             lim.windows[i].start_minute % 60, lim.windows[i].end_minute / 60,
             lim.windows[i].end_minute % 60);
    if (lim.closed_weekdays)
        bt_buf_printf(t, "; chỉ phát %s",
                      bt_broadcast_weekdays_text(0x7Fu & ~lim.closed_weekdays, days, sizeof days));
    if (lim.max_sessions_per_day > 0)
        bt_buf_printf(t, "; tối đa %d buổi mỗi ngày", lim.max_sessions_per_day);
    if (lim.max_session_minutes > 0)
        bt_buf_printf(t, "; tối đa %d phút mỗi buổi", lim.max_session_minutes);
    bt_buf_printf(t, "\n# chuông đầu và cuối buổi: %g giây\n",
         c->sim->chime_seconds > 0 ? c->sim->chime_seconds : 0.0);
    write_validity(c, t);
    for (size_t i = 0; i < c->off_count; i++)
        bt_buf_printf(t, "# máy tắt: %s .. %s\n", iso(c->off[i].from, a, sizeof a),
             iso(c->off[i].until, b, sizeof b));
    size_t unmeasured = 0;
    for (size_t i = 0; i < c->b->item_count; i++)
        unmeasured += c->b->items[i].duration_seconds <= 0;
    if (unmeasured > 0)
        bt_buf_printf(t, "# chú ý: %zu tin chưa đo thời lượng, tính là 0 giây\n", unmeasured);
    bt_buf_printf(t, "# cột: thời điểm | sự kiện | buổi phát | lịch gốc | chi tiết\n");
}

static void write_events(const sim_ctx *c, bt_buf *t)
{
    char when[ISO_BYTES], slot[ISO_BYTES], detail[DETAIL_BYTES * 4];
    size_t width = id_width(c->b);
    for (size_t i = 0; i < c->events.n; i++) {
        const sim_event *e = &c->events.v[i];
        bool has_slot = e->kind != BT_SIM_OFF && e->kind != BT_SIM_ON;
        event_detail(c, e, detail, sizeof detail);
        /* The event's words are Vietnamese: padded by characters, not bytes. */
        bt_buf_printf(t, "%s  ", iso(e->time, when, sizeof when));
        put_padded(t, bt_vi_sim_event(e->kind), EVENT_WIDTH, false);
        bt_buf_printf(t, "  %-*s  %-*s  %s\n", (int)width,
                      has_slot ? c->b->sessions[e->slot.session].id : "-", SLOT_WIDTH,
                      has_slot ? slot_text(e->slot.scheduled, slot, sizeof slot) : "-", detail);
    }
}

/* Final fate of each slot in range: aired in its turn, made up, lost, or still waiting. */
enum { FATE_ON_TIME, FATE_MADE_UP, FATE_LOST, FATE_PENDING, FATE_COUNT };

static int write_summary(const sim_ctx *c, bt_buf *t)
{
    enum { HEAD_COUNT = 6 };
    static const char *const heads[HEAD_COUNT] = {"buổi phát", "số lượt", "phát theo lịch",
                                                  "phát bù", "không bù được", "còn chờ bù"};
    size_t sessions = c->b->session_count;
    size_t *fate = calloc((sessions + 1) * FATE_COUNT, sizeof *fate);
    size_t ev_count[BT_SIM_EVENT_COUNT] = {0};
    if (!fate)
        return -1;
    for (size_t i = 0; i < c->events.n; i++)
        ev_count[c->events.v[i].kind]++;
    bt_wall from = c->start;
    for (;;) {
        bt_slot batch[64];
        size_t n = bt_schedule_upcoming(c->sched, from, batch, 64), i = 0;
        for (; i < n && batch[i].scheduled < c->end; i++) {
            bt_slot_info info;
            bt_slot sl = batch[i];
            bt_makeup_scope scope = c->b->sessions[sl.session].makeup;
            int f;
            bt_schedule_slot_info(c->sched, sl, &info);
            if (info.completed)
                f = info.made_up ? FATE_MADE_UP : FATE_ON_TIME;
            else if (scope == BT_MAKEUP_NONE ||
                     bt_schedule_slot_deadline(c->sched, sl, NULL) <= c->sim->to_day)
                f = FATE_LOST;
            else
                f = FATE_PENDING;
            fate[sl.session * FATE_COUNT + (size_t)f]++;
            fate[sessions * FATE_COUNT + (size_t)f]++;
        }
        if (i < n || n < 64)
            break;
        from = batch[n - 1].scheduled + 1;
    }
    const size_t *all = &fate[sessions * FATE_COUNT];
    bt_buf_printf(t, "# tổng kết sự kiện:");
    for (int k = 0; k < BT_SIM_EVENT_COUNT; k++)
        bt_buf_printf(t, " %s %zu%s", bt_vi_sim_event((bt_sim_event)k), ev_count[k],
                      k + 1 < BT_SIM_EVENT_COUNT ? "," : "\n");
    bt_buf_printf(t, "# tổng kết lịch: %zu lượt; phát theo lịch %zu, phát bù %zu, không bù được %zu, còn "
            "chờ bù %zu\n",
         all[0] + all[1] + all[2] + all[3], all[FATE_ON_TIME], all[FATE_MADE_UP], all[FATE_LOST],
         all[FATE_PENDING]);
    /* Table: session ids left-aligned, counts right-aligned under their Vietnamese heads. */
    size_t width = id_width(c->b);
    if (width < chars_of(heads[0]))
        width = chars_of(heads[0]);
    bt_buf_add(t, "# ", 2);
    for (size_t k = 0; k < HEAD_COUNT; k++) {
        bt_buf_add(t, k ? "  " : "", k ? 2 : 0);
        put_padded(t, heads[k], k == 0 ? width : chars_of(heads[k]), k > 0);
    }
    bt_buf_add(t, "\n", 1);
    for (size_t s = 0; s <= sessions; s++) {
        const size_t *f = &fate[s * FATE_COUNT];
        size_t values[HEAD_COUNT - 1] = {f[0] + f[1] + f[2] + f[3], f[0], f[1], f[2], f[3]};
        bt_buf_add(t, "# ", 2);
        put_padded(t, s < sessions ? c->b->sessions[s].id : "cộng", width, false);
        for (size_t k = 1; k < HEAD_COUNT; k++) {
            char num[32];
            snprintf(num, sizeof num, "%zu", values[k - 1]);
            bt_buf_add(t, "  ", 2);
            put_padded(t, num, chars_of(heads[k]), true);
        }
        bt_buf_add(t, "\n", 1);
    }
    free(fate);
    return 0;
}

/* ---- entry points ------------------------------------------------------------------------- */

int bt_simulate(const bt_broadcasts *b, const bt_broadcast_limits *lim, const bt_simulation *sim,
                char **out_text)
{
    return bt_simulate_bounded(b, lim, sim, NULL, out_text);
}

int bt_simulate_bounded(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                        const bt_simulation *sim, const bt_validity *validity, char **out_text)
{
    if (!out_text)
        return -1;
    return bt_simulate_airings(b, lim, sim, validity, out_text, NULL, NULL);
}

/* ---- the airings, item by item ------------------------------------------------------------ */

/* A row and what orders it: its slot, then the order things happened (a missed slot's rows
 * before its make-up's). */
typedef struct {
    bt_sim_airing row;
    size_t seq;
    size_t added;         /* within one event: the session's order of items */
} sim_row;

typedef struct {
    sim_row *v;
    size_t n, cap;
    bool failed;
} sim_rows;

static void add_row(sim_rows *r, bt_sim_airing a, size_t seq)
{
    if (r->failed)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        sim_row *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->failed = true;
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n] = (sim_row){a, seq, r->n};
    r->n++;
}

/* The items of one event as the log would write them: an airing's items each completed, from
 * the chime's end on, one after another; a cut airing's items before the cut completed and the
 * one playing cut; a missed slot's items each missed. */
static void rows_of_event(const sim_ctx *c, const sim_event *e, sim_rows *r)
{
    const bt_broadcast_session *s = &c->b->sessions[e->slot.session];
    bool makeup = e->kind == BT_SIM_MADE_UP;
    bt_wall began = e->kind == BT_SIM_INTERRUPTED ? e->started : e->time;
    double at = (double)began + (c->sim->chime_seconds > 0 ? c->sim->chime_seconds : 0);
    size_t last = e->kind == BT_SIM_INTERRUPTED ? e->next_item : s->item_count;
    if (e->kind == BT_SIM_MISSED) {
        for (size_t k = 0; k < s->item_count; k++)
            add_row(r, (bt_sim_airing){e->slot, s->items[k], BT_ATTEMPT_MISSED, e->reason, 0, 0,
                                       false},
                    e->seq);
        return;
    }
    for (size_t k = e->first_item; k < last && k < s->item_count; k++) {
        double d = c->b->items[s->items[k]].duration_seconds;
        add_row(r, (bt_sim_airing){e->slot, s->items[k], BT_ATTEMPT_COMPLETED, BT_MISS_NONE,
                                   (bt_wall)at, (bt_wall)(at + d), makeup},
                e->seq);
        at += d;
    }
    if (e->kind == BT_SIM_INTERRUPTED && last < s->item_count)
        add_row(r, (bt_sim_airing){e->slot, s->items[last], BT_ATTEMPT_INTERRUPTED, e->reason,
                                   (bt_wall)at, e->time, makeup},
                e->seq);
}

static int compare_rows(const void *pa, const void *pb)
{
    const sim_row *x = pa, *y = pb;
    if (x->row.slot.scheduled != y->row.slot.scheduled)
        return x->row.slot.scheduled < y->row.slot.scheduled ? -1 : 1;
    if (x->row.slot.session != y->row.slot.session)
        return x->row.slot.session < y->row.slot.session ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return (x->added > y->added) - (x->added < y->added);
}

static int collect_rows(const sim_ctx *c, bt_sim_airing **out, size_t *count)
{
    sim_rows r = {0};
    for (size_t i = 0; i < c->events.n; i++) {
        const sim_event *e = &c->events.v[i];
        if (e->kind != BT_SIM_OFF && e->kind != BT_SIM_ON)
            rows_of_event(c, e, &r);
    }
    bt_sim_airing *rows = r.n ? malloc(r.n * sizeof *rows) : NULL;
    if (r.failed || (r.n && !rows)) {
        free(rows);
        free(r.v);
        return -1;
    }
    if (r.n > 1)
        qsort(r.v, r.n, sizeof *r.v, compare_rows);
    for (size_t i = 0; i < r.n; i++)
        rows[i] = r.v[i].row;
    free(r.v);
    *out = rows;
    *count = r.n;
    return 0;
}

int bt_simulate_airings(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                        const bt_simulation *sim, const bt_validity *validity, char **out_text,
                        bt_sim_airing **airings, size_t *airing_count)
{
    sim_ctx c;
    bt_buf t = {NULL, 0, 0, false};
    int rc = -1;
    if (out_text)
        *out_text = NULL;
    if (airings)
        *airings = NULL;
    if (airing_count)
        *airing_count = 0;
    if (!b || !lim || !sim || (!out_text && !airings) || (airings && !airing_count) ||
        sim->to_day < sim->from_day || (sim->off_count > 0 && !sim->off))
        return -1;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.lim = lim;
    c.sim = sim;
    c.validity = validity;
    c.start = bt_time_day_start(sim->from_day);
    c.end = bt_time_day_start(sim->to_day + 1);
    if (prepare_off(&c) != 0 ||
        bt_schedule_create(b, lim, c.start, sim->chime_seconds, &c.sched) != 0)
        goto done;
    if (validity)
        bt_schedule_set_validity(c.sched, *validity);
    if (run(&c) != 0 || sweep_unrecorded(&c) != 0 || c.events.failed)
        goto done;
    if (c.events.n > 0) /* qsort's base must not be NULL, even for zero elements */
        qsort(c.events.v, c.events.n, sizeof *c.events.v, compare_events);
    if (airings && collect_rows(&c, airings, airing_count) != 0)
        goto done;
    if (out_text) {
        write_header(&c, &t);
        write_events(&c, &t);
        if (write_summary(&c, &t) != 0 || t.failed) {
            if (airings) {
                free(*airings);
                *airings = NULL;
                *airing_count = 0;
            }
            goto done;
        }
        *out_text = t.data;
        t.data = NULL;
    }
    rc = 0;
done:
    free(t.data);
    free(c.events.v);
    free(c.off);
    bt_schedule_destroy(c.sched);
    return rc;
}

int bt_simulate_parse_off(const char *text, bt_wall_span *out)
{
    char a[64], b[64];
    const char *dots = text ? strstr(text, "..") : NULL;
    if (!dots)
        return -1;
    size_t la = (size_t)(dots - text), lb = strlen(dots + 2);
    while (la > 0 && text[la - 1] == ' ')
        la--;
    while (*text == ' ' && la > 0) {
        text++;
        la--;
    }
    const char *second = dots + 2;
    while (*second == ' ') {
        second++;
        lb--;
    }
    while (lb > 0 && second[lb - 1] == ' ')
        lb--;
    if (la == 0 || la >= sizeof a || lb == 0 || lb >= sizeof b)
        return -1;
    memcpy(a, text, la);
    a[la] = '\0';
    memcpy(b, second, lb);
    b[lb] = '\0';
    bt_wall from, until;
    if (bt_time_parse_datetime(a, &from) != 0 || bt_time_parse_datetime(b, &until) != 0 ||
        until <= from)
        return -1;
    out->from = from;
    out->until = until;
    return 0;
}
