/* The scheduler at chosen instants: slot enumeration, on-time starts, one slot never twice,
 * priority at a collision, queue give-up, emergency interrupt, missed at power-on (with grace),
 * makeup within its period and not beyond, windows and room per day (and one makeup an hour
 * when no windows are set), the playlist's validity
 * (no slot and no makeup outside it), clock jumps both ways, today's view. Models are built in
 * C so these tests depend on the scheduling rules only. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"

#define FX_MAX 8

typedef struct {
    bt_broadcasts b;
    bt_broadcast_item items[FX_MAX];
    bt_broadcast_session sessions[FX_MAX];
    char ids[2 * FX_MAX][24];
    bt_broadcast_limits lim;
    bt_schedule *s;
} fixture;

/* Local (UTC+7) civil time. 24/11/2025 is a Monday. */
static bt_wall at(int y, int mo, int d, int h, int mi, int s)
{
    return bt_time_from_civil(y, mo, d, h, mi, s);
}

static bt_wall mon(int h, int mi, int s)
{
    return at(2025, 11, 24, h, mi, s);
}

static bt_wall tue(int h, int mi, int s)
{
    return at(2025, 11, 25, h, mi, s);
}

/* Ward limits: 05:30-07:00, 16:30-18:30, 3 sessions a day, 15 minutes a session. */
static void fx_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->b.items = f->items;
    f->b.sessions = f->sessions;
    f->lim.windows[0].start_minute = 5 * 60 + 30;
    f->lim.windows[0].end_minute = 7 * 60;
    f->lim.windows[1].start_minute = 16 * 60 + 30;
    f->lim.windows[1].end_minute = 18 * 60 + 30;
    f->lim.window_count = 2;
    f->lim.max_sessions_per_day = 3;
    f->lim.max_session_minutes = 15;
}

static size_t fx_item(fixture *f, const char *id, bt_broadcast_priority p, double seconds)
{
    assert_true(f->b.item_count < FX_MAX);
    size_t i = f->b.item_count++;
    snprintf(f->ids[i], sizeof f->ids[i], "%s", id);
    f->items[i].id = f->ids[i];
    f->items[i].title = f->ids[i];
    f->items[i].audio = f->ids[i];
    f->items[i].priority = p;
    f->items[i].duration_seconds = seconds;
    return i;
}

/* A session of the given items (-1 ends the list), every day, times in minutes (-1 ends). */
static bt_broadcast_session *fx_session(fixture *f, const char *id, bt_makeup_scope makeup,
                                        const int *times, const int *items)
{
    assert_true(f->b.session_count < FX_MAX);
    size_t i = f->b.session_count++;
    bt_broadcast_session *s = &f->sessions[i];
    snprintf(f->ids[FX_MAX + i], sizeof f->ids[0], "%s", id);
    s->id = f->ids[FX_MAX + i];
    s->name = s->id;
    s->weekdays = BT_WEEKDAYS_ALL;
    s->from_day = BT_DAY_NONE_FROM;
    s->until_day = BT_DAY_NONE_UNTIL;
    s->makeup = makeup;
    for (; times && *times >= 0; times++)
        s->times[s->time_count++] = (int16_t)*times;
    for (; items && *items >= 0; items++)
        s->items[s->item_count++] = (size_t)*items;
    return s;
}

static void fx_start(fixture *f, bt_wall active_since)
{
    assert_int_equal(bt_schedule_create(&f->b, &f->lim, active_since, 0, &f->s), 0);
}

static void fx_done(fixture *f)
{
    bt_schedule_destroy(f->s);
    f->s = NULL;
}

static bt_slot slot(size_t session, bt_wall t)
{
    bt_slot s = {session, t};
    return s;
}

/* Decides at now; the appliance has been awake since `awake` (power-on reason). */
static bt_schedule_decision decide_idle(const fixture *f, bt_wall now, bt_wall awake,
                                        bt_miss_reason gap)
{
    bt_schedule_input in;
    bt_schedule_decision d;
    memset(&in, 0, sizeof in);
    in.now = now;
    in.awake_since = awake;
    in.gap_reason = gap;
    assert_int_equal(bt_schedule_decide(f->s, &in, &d), 0);
    return d;
}

static bt_schedule_decision decide_airing(const fixture *f, bt_wall now, bt_wall awake,
                                          bt_slot airing)
{
    bt_schedule_input in;
    bt_schedule_decision d;
    memset(&in, 0, sizeof in);
    in.now = now;
    in.awake_since = awake;
    in.gap_reason = BT_MISS_OFF;
    in.airing = true;
    in.airing_slot = airing;
    assert_int_equal(bt_schedule_decide(f->s, &in, &d), 0);
    return d;
}

static void record(fixture *f, bt_slot sl, bt_attempt_status st, bt_miss_reason why,
                   bt_wall started, size_t next_item, bool makeup)
{
    bt_slot_record r = {sl, st, why, started, next_item, makeup};
    assert_int_equal(bt_schedule_record(f->s, &r), 0);
}

static void completed(fixture *f, bt_slot sl, bt_wall started, bool makeup)
{
    record(f, sl, BT_ATTEMPT_COMPLETED, BT_MISS_NONE, started,
           f->sessions[sl.session].item_count, makeup);
}

static void expect_start(bt_schedule_decision d, bt_slot sl, bool makeup, size_t first_item)
{
    assert_int_equal(d.missed_count, 0);
    assert_int_equal(d.action, BT_SCHEDULE_START);
    assert_int_equal(d.start.session, sl.session);
    assert_int_equal(d.start.scheduled, sl.scheduled);
    assert_int_equal(d.makeup, makeup);
    assert_int_equal(d.first_item, first_item);
}

static void expect_wait(bt_schedule_decision d, bt_wall next_check)
{
    assert_int_equal(d.missed_count, 0);
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    assert_int_equal(d.next_check, next_check);
}

static const int six[] = {6 * 60, -1};
static const int five_forty[] = {5 * 60 + 40, -1};
static const int six_twenty[] = {6 * 60 + 20, -1};
static const int six_forty[] = {6 * 60 + 40, -1};
static const int seventeen[] = {17 * 60, -1};
static const int item0[] = {0, -1};
static const int item1[] = {1, -1};
static const int items012[] = {0, 1, 2, -1};

/* ---- slots -------------------------------------------------------------------------------- */

static void test_slots_follow_times_weekdays_range_and_one_offs(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    const int twice[] = {17 * 60, 6 * 60, -1};
    bt_broadcast_session *s = fx_session(&f, "a", BT_MAKEUP_DAY, twice, item0);
    s->weekdays = 0x1F; /* T2-T6 */
    s->from_day = bt_time_day_of(mon(0, 0, 0));
    s->until_day = bt_time_day_of(at(2025, 11, 28, 0, 0, 0));
    s->at[s->at_count++] = at(2025, 11, 29, 7, 15, 0); /* Saturday: one-offs ignore weekdays */
    s->at[s->at_count++] = tue(6, 0, 0);               /* same as a recurring slot: one slot */
    s->at[s->at_count++] = at(2025, 11, 20, 6, 15, 0); /* before from: one-offs ignore it too */
    fx_start(&f, at(2025, 11, 1, 0, 0, 0));

    bt_slot got[20];
    size_t n = bt_schedule_upcoming(f.s, at(2025, 11, 1, 0, 0, 0), got, 20);
    assert_int_equal(n, 12);
    assert_int_equal(got[0].scheduled, at(2025, 11, 20, 6, 15, 0));
    assert_int_equal(got[1].scheduled, mon(6, 0, 0));
    assert_int_equal(got[2].scheduled, mon(17, 0, 0));
    assert_int_equal(got[3].scheduled, tue(6, 0, 0));
    assert_int_equal(got[4].scheduled, tue(17, 0, 0));
    assert_int_equal(got[10].scheduled, at(2025, 11, 28, 17, 0, 0));
    assert_int_equal(got[11].scheduled, at(2025, 11, 29, 7, 15, 0));
    /* "Next" is strictly by slot order and starts at t inclusive. */
    n = bt_schedule_upcoming(f.s, mon(17, 0, 0), got, 2);
    assert_int_equal(n, 2);
    assert_int_equal(got[0].scheduled, mon(17, 0, 0));
    fx_done(&f);

    /* Slots before the playlist became active do not exist. */
    fx_start(&f, mon(12, 0, 0));
    n = bt_schedule_upcoming(f.s, at(2025, 11, 1, 0, 0, 0), got, 1);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].scheduled, mon(17, 0, 0));
    bt_schedule_decision d = decide_idle(&f, mon(16, 0, 0), at(2025, 11, 1, 0, 0, 0), BT_MISS_OFF);
    expect_wait(d, mon(17, 0, 0)); /* Monday 06:00 is not "missed": it was never ours */
    fx_done(&f);
}

/* ---- on time, and never twice ------------------------------------------------------------- */

static void test_due_on_the_second_and_never_twice(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "sang", BT_MAKEUP_QUARTER, six, item0);
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);

    expect_wait(decide_idle(&f, mon(5, 59, 59), awake, BT_MISS_OFF), mon(6, 0, 0));
    expect_start(decide_idle(&f, mon(6, 0, 0), awake, BT_MISS_OFF), slot(0, mon(6, 0, 0)), false,
                 0);
    /* On air: nothing else to do until tomorrow's slot. */
    expect_wait(decide_airing(&f, mon(6, 0, 0), awake, slot(0, mon(6, 0, 0))),
                tue(6, 0, 0));
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 0, 0), false);
    expect_wait(decide_idle(&f, mon(6, 1, 40), awake, BT_MISS_OFF), tue(6, 0, 0));
    /* Asked again at the very same second (a restart, a repeated wake-up): no second airing. */
    expect_wait(decide_idle(&f, mon(6, 0, 0), awake, BT_MISS_OFF), tue(6, 0, 0));
    expect_wait(decide_idle(&f, mon(6, 0, 30), mon(6, 0, 10), BT_MISS_OFF), tue(6, 0, 0));

    bt_slot_info info;
    assert_true(bt_schedule_slot_info(f.s, slot(0, mon(6, 0, 0)), &info));
    assert_true(info.completed);
    assert_false(info.made_up);
    assert_int_equal(info.completed_at, mon(6, 0, 0));
    assert_false(bt_schedule_slot_info(f.s, slot(0, tue(6, 0, 0)), &info));
    /* A second "completed" record changes nothing; one of another playlist's session is ignored. */
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 30, 0), true);
    assert_true(bt_schedule_slot_info(f.s, slot(0, mon(6, 0, 0)), &info));
    assert_false(info.made_up);
    assert_int_equal(info.completed_at, mon(6, 0, 0));
    record(&f, slot(5, mon(6, 0, 0)), BT_ATTEMPT_COMPLETED, BT_MISS_NONE, mon(6, 0, 0), 1, false);
    fx_done(&f);
}

static void test_nothing_to_do_is_never(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_start(&f, mon(0, 0, 0));
    expect_wait(decide_idle(&f, mon(6, 0, 0), mon(0, 0, 0), BT_MISS_OFF), BT_WALL_NEVER);
    bt_slot got;
    assert_int_equal(bt_schedule_upcoming(f.s, mon(0, 0, 0), &got, 1), 0);
    fx_done(&f);
}

/* ---- collisions and the queue ------------------------------------------------------------- */

static void test_priority_goes_first_then_file_order(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    f.lim.max_sessions_per_day = 0; /* not what this test is about */
    fx_item(&f, "thuong", BT_BROADCAST_NORMAL, 100);
    fx_item(&f, "uu-tien", BT_BROADCAST_PRIORITY, 120);
    const int mixed[] = {0, 1, -1};
    fx_session(&f, "thuong-1", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "uu-tien", BT_MAKEUP_DAY, six, mixed); /* priority: its highest item */
    fx_session(&f, "thuong-2", BT_MAKEUP_DAY, six, item0);
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);

    bt_schedule_decision d = decide_idle(&f, mon(6, 0, 0), awake, BT_MISS_OFF);
    expect_start(d, slot(1, mon(6, 0, 0)), false, 0);
    /* The normal ones wait; a priority session does not interrupt anyone, nor do they. */
    d = decide_airing(&f, mon(6, 1, 0), awake, slot(1, mon(6, 0, 0)));
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    assert_int_equal(d.missed_count, 0);
    completed(&f, slot(1, mon(6, 0, 0)), mon(6, 0, 0), false);
    expect_start(decide_idle(&f, mon(6, 3, 40), awake, BT_MISS_OFF), slot(0, mon(6, 0, 0)), false,
                 0);
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 3, 40), false);
    expect_start(decide_idle(&f, mon(6, 5, 20), awake, BT_MISS_OFF), slot(2, mon(6, 0, 0)), false,
                 0);
    fx_done(&f);
}

static void test_queued_slot_gives_up_when_its_window_closes(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "dai", BT_BROADCAST_PRIORITY, 300);
    fx_item(&f, "thuong", BT_BROADCAST_NORMAL, 360);
    const int six_fifty[] = {6 * 60 + 50, -1};
    fx_session(&f, "uu-tien", BT_MAKEUP_DAY, six_fifty, item0);
    fx_session(&f, "thuong", BT_MAKEUP_DAY, six_fifty, item1);
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);

    expect_start(decide_idle(&f, mon(6, 50, 0), awake, BT_MISS_OFF), slot(0, mon(6, 50, 0)), false,
                 0);
    /* "thuong" must start by 06:54 to end by 07:00: the airing wakes us just after that. */
    bt_schedule_decision d =
        decide_airing(&f, mon(6, 50, 0), awake, slot(0, mon(6, 50, 0)));
    expect_wait(d, mon(6, 54, 1));
    d = decide_airing(&f, mon(6, 54, 1), awake, slot(0, mon(6, 50, 0)));
    assert_int_equal(d.missed_count, 1);
    assert_int_equal(d.missed[0].slot.session, 1);
    assert_int_equal(d.missed[0].reason, BT_MISS_QUEUE);
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    record(&f, d.missed[0].slot, BT_ATTEMPT_MISSED, BT_MISS_QUEUE, mon(6, 54, 1), 0, false);
    completed(&f, slot(0, mon(6, 50, 0)), mon(6, 50, 0), false);
    /* Made up the same day in the evening window. */
    expect_wait(decide_idle(&f, mon(6, 55, 0), awake, BT_MISS_OFF), mon(7, 0, 0));
    expect_wait(decide_idle(&f, mon(7, 0, 0), awake, BT_MISS_OFF), mon(16, 30, 0));
    expect_start(decide_idle(&f, mon(16, 30, 0), awake, BT_MISS_OFF), slot(1, mon(6, 50, 0)), true,
                 0);
    fx_done(&f);
}

/* ---- emergency ---------------------------------------------------------------------------- */

static void test_emergency_interrupts_and_the_cut_slot_resumes(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    f.lim.max_sessions_per_day = 6;
    fx_item(&f, "a", BT_BROADCAST_NORMAL, 100);
    fx_item(&f, "b", BT_BROADCAST_NORMAL, 100);
    fx_item(&f, "c", BT_BROADCAST_NORMAL, 100);
    size_t k = fx_item(&f, "bao", BT_BROADCAST_EMERGENCY, 60);
    size_t p = fx_item(&f, "uu-tien", BT_BROADCAST_PRIORITY, 60);
    const int khan[] = {(int)k, -1};
    const int uu[] = {(int)p, -1};
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, items012);
    bt_broadcast_session *e = fx_session(&f, "bao", BT_MAKEUP_NONE, NULL, khan);
    e->at[e->at_count++] = mon(6, 2, 0);
    e->at[e->at_count++] = mon(6, 2, 30);
    bt_broadcast_session *pr = fx_session(&f, "uu-tien", BT_MAKEUP_NONE, NULL, uu);
    pr->at[pr->at_count++] = mon(6, 1, 0);
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);

    expect_start(decide_idle(&f, mon(6, 0, 0), awake, BT_MISS_OFF), slot(0, mon(6, 0, 0)), false,
                 0);
    /* A priority session waits for the normal one on air. */
    bt_schedule_decision d =
        decide_airing(&f, mon(6, 1, 0), awake, slot(0, mon(6, 0, 0)));
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    assert_int_equal(d.next_check, mon(6, 2, 0));
    /* The emergency cuts in. */
    d = decide_airing(&f, mon(6, 2, 0), awake, slot(0, mon(6, 0, 0)));
    assert_int_equal(d.action, BT_SCHEDULE_INTERRUPT);
    assert_int_equal(d.start.session, 1);
    assert_int_equal(d.start.scheduled, mon(6, 2, 0));
    record(&f, slot(0, mon(6, 0, 0)), BT_ATTEMPT_INTERRUPTED, BT_MISS_EMERGENCY, mon(6, 0, 0), 1,
           false);
    /* An emergency never cuts another emergency: the second one queues... */
    d = decide_airing(&f, mon(6, 2, 30), awake, slot(1, mon(6, 2, 0)));
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    completed(&f, slot(1, mon(6, 2, 0)), mon(6, 2, 0), false);
    /* ...and goes before the waiting priority session when the first ends. */
    expect_start(decide_idle(&f, mon(6, 3, 0), awake, BT_MISS_OFF), slot(1, mon(6, 2, 30)), false,
                 0);
    completed(&f, slot(1, mon(6, 2, 30)), mon(6, 3, 0), false);
    expect_start(decide_idle(&f, mon(6, 4, 0), awake, BT_MISS_OFF), slot(2, mon(6, 1, 0)), false,
                 0);
    completed(&f, slot(2, mon(6, 1, 0)), mon(6, 4, 0), false);
    /* The cut session resumes at the item that was cut, as a makeup. */
    expect_start(decide_idle(&f, mon(6, 5, 0), awake, BT_MISS_OFF), slot(0, mon(6, 0, 0)), true,
                 1);
    record(&f, slot(0, mon(6, 0, 0)), BT_ATTEMPT_COMPLETED, BT_MISS_NONE, mon(6, 5, 0), 3, true);
    bt_slot_info info;
    assert_true(bt_schedule_slot_info(f.s, slot(0, mon(6, 0, 0)), &info));
    assert_true(info.completed);
    assert_true(info.made_up);
    assert_int_equal(info.attempts, 2);
    expect_wait(decide_idle(&f, mon(6, 8, 20), awake, BT_MISS_OFF), tue(6, 0, 0));
    fx_done(&f);
}

static void test_cut_in_the_closing_chime_counts_as_aired(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "a", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_start(&f, mon(0, 0, 0));
    record(&f, slot(0, mon(6, 0, 0)), BT_ATTEMPT_INTERRUPTED, BT_MISS_CRASH, mon(6, 0, 0), 1,
           false);
    bt_slot_info info;
    assert_true(bt_schedule_slot_info(f.s, slot(0, mon(6, 0, 0)), &info));
    assert_true(info.completed);
    expect_wait(decide_idle(&f, mon(6, 10, 0), mon(6, 10, 0), BT_MISS_OFF), tue(6, 0, 0));
    fx_done(&f);
}

/* ---- power-on ----------------------------------------------------------------------------- */

static void test_power_on_grace_then_missed_and_made_up(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "chieu", BT_MAKEUP_DAY, seventeen, item0);
    fx_start(&f, mon(0, 0, 0));

    /* Back 45 s after the slot: it still airs as itself. */
    expect_start(decide_idle(&f, mon(6, 0, 45), mon(6, 0, 40), BT_MISS_OFF), slot(0, mon(6, 0, 0)),
                 false, 0);
    fx_done(&f);

    /* Back 90 s after: missed (máy tắt), then made up at once (window open, room today). */
    fx_start(&f, mon(0, 0, 0));
    bt_schedule_decision d = decide_idle(&f, mon(6, 1, 30), mon(6, 1, 30), BT_MISS_OFF);
    assert_int_equal(d.missed_count, 1);
    assert_int_equal(d.missed[0].slot.scheduled, mon(6, 0, 0));
    assert_int_equal(d.missed[0].reason, BT_MISS_OFF);
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    assert_int_equal(d.next_check, mon(6, 1, 30));
    record(&f, d.missed[0].slot, BT_ATTEMPT_MISSED, BT_MISS_OFF, mon(6, 1, 30), 0, false);
    expect_start(decide_idle(&f, mon(6, 1, 30), mon(6, 1, 30), BT_MISS_OFF),
                 slot(0, mon(6, 0, 0)), true, 0);
    fx_done(&f);
}

static void test_only_the_most_recent_slot_may_start_after_a_gap(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    f.lim.max_sessions_per_day = 0;
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "a", BT_MAKEUP_DAY, five_forty, item0);
    fx_session(&f, "b", BT_MAKEUP_DAY, six, item0);
    fx_start(&f, mon(0, 0, 0));
    bt_schedule_decision d = decide_idle(&f, mon(6, 0, 30), mon(6, 0, 30), BT_MISS_OFF);
    assert_int_equal(d.missed_count, 1);
    assert_int_equal(d.missed[0].slot.session, 0);
    record(&f, d.missed[0].slot, BT_ATTEMPT_MISSED, BT_MISS_OFF, mon(6, 0, 30), 0, false);
    expect_start(decide_idle(&f, mon(6, 0, 30), mon(6, 0, 30), BT_MISS_OFF), slot(1, mon(6, 0, 0)),
                 false, 0);
    fx_done(&f);
}

/* ---- makeup periods ----------------------------------------------------------------------- */

static void test_makeup_deadlines(void **state)
{
    (void)state;
    bt_wall wed = at(2025, 11, 26, 6, 0, 0);
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_NONE, wed), bt_time_day_of(wed) - 1);
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_DAY, wed), bt_time_day_of(wed));
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_WEEK, wed),
                     bt_time_day_from_ymd(2025, 11, 30));
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_WEEK, at(2025, 11, 30, 6, 0, 0)),
                     bt_time_day_from_ymd(2025, 11, 30));
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_WEEK, at(2025, 12, 29, 6, 0, 0)),
                     bt_time_day_from_ymd(2026, 1, 4));
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_MONTH, wed),
                     bt_time_day_from_ymd(2025, 11, 30));
    assert_int_equal(bt_schedule_makeup_deadline(BT_MAKEUP_QUARTER, wed),
                     bt_time_day_from_ymd(2025, 12, 31));
}

/* Off from `off` until `on`; returns after recording the misses found at power-on. */
static void power_on(fixture *f, bt_wall on, size_t expect_missed)
{
    bt_schedule_decision d = decide_idle(f, on, on, BT_MISS_OFF);
    assert_int_equal(d.missed_count, expect_missed);
    for (size_t i = 0; i < d.missed_count; i++)
        record(f, d.missed[i].slot, BT_ATTEMPT_MISSED, d.missed[i].reason, on, 0, false);
}

static void test_makeup_day_scope_expires_at_midnight(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    f.lim.max_sessions_per_day = 1; /* tonight's regular slot takes the only session */
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 283);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "chieu", BT_MAKEUP_DAY, seventeen, item0);
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(8, 0, 0), 1);
    /* No room today: wake at the next edge (window, midnight) or slot, never start. */
    expect_wait(decide_idle(&f, mon(8, 0, 0), mon(8, 0, 0), BT_MISS_OFF), mon(16, 30, 0));
    expect_wait(decide_idle(&f, mon(16, 30, 0), mon(8, 0, 0), BT_MISS_OFF), mon(17, 0, 0));
    expect_start(decide_idle(&f, mon(17, 0, 0), mon(8, 0, 0), BT_MISS_OFF), slot(1, mon(17, 0, 0)),
                 false, 0);
    completed(&f, slot(1, mon(17, 0, 0)), mon(17, 0, 0), false);
    expect_wait(decide_idle(&f, mon(17, 4, 43), mon(8, 0, 0), BT_MISS_OFF), mon(18, 30, 0));
    /* Tuesday: Monday's slot is past its period; nothing is live, only tomorrow's slot counts. */
    expect_wait(decide_idle(&f, tue(5, 30, 0), mon(8, 0, 0), BT_MISS_OFF), tue(6, 0, 0));
    fx_done(&f);

    /* With room, the same miss is made up in the evening window, before the 17:00 slot. */
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 283);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "chieu", BT_MAKEUP_DAY, seventeen, item0);
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(8, 0, 0), 1);
    expect_wait(decide_idle(&f, mon(8, 0, 0), mon(8, 0, 0), BT_MISS_OFF), mon(16, 30, 0));
    expect_start(decide_idle(&f, mon(16, 30, 0), mon(8, 0, 0), BT_MISS_OFF), slot(0, mon(6, 0, 0)),
                 true, 0);
    fx_done(&f);
}

static void test_makeup_must_end_before_the_next_slot_and_window(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 283);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "chieu", BT_MAKEUP_DAY, seventeen, item0);
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(16, 56, 0), 1);
    /* 16:56 + 4:43 would run past 17:00: wait for the regular slot, then make up after it. */
    expect_wait(decide_idle(&f, mon(16, 56, 0), mon(16, 56, 0), BT_MISS_OFF), mon(17, 0, 0));
    expect_start(decide_idle(&f, mon(17, 0, 0), mon(16, 56, 0), BT_MISS_OFF),
                 slot(1, mon(17, 0, 0)), false, 0);
    completed(&f, slot(1, mon(17, 0, 0)), mon(17, 0, 0), false);
    expect_start(decide_idle(&f, mon(17, 4, 43), mon(16, 56, 0), BT_MISS_OFF),
                 slot(0, mon(6, 0, 0)), true, 0);
    fx_done(&f);

    /* Back at 18:27: 4:43 does not fit before 18:30, and the next window is tomorrow. */
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 283);
    fx_session(&f, "sang", BT_MAKEUP_WEEK, six, item0);
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(18, 27, 0), 1);
    expect_wait(decide_idle(&f, mon(18, 27, 0), mon(18, 27, 0), BT_MISS_OFF), mon(18, 30, 0));
    expect_wait(decide_idle(&f, mon(18, 30, 0), mon(18, 27, 0), BT_MISS_OFF), tue(0, 0, 0));
    expect_wait(decide_idle(&f, tue(0, 0, 0), mon(18, 27, 0), BT_MISS_OFF), tue(5, 30, 0));
    /* Tuesday 05:30: fits before 06:00 and before the window closes. */
    expect_start(decide_idle(&f, tue(5, 30, 0), mon(18, 27, 0), BT_MISS_OFF),
                 slot(0, mon(6, 0, 0)), true, 0);
    fx_done(&f);
}

static void test_makeup_week_and_quarter_stop_at_their_period(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    bt_broadcast_session *s = fx_session(&f, "cuoi-tuan", BT_MAKEUP_WEEK, six, item0);
    s->weekdays = 0x60; /* T7, CN */
    fx_start(&f, at(2025, 11, 29, 0, 0, 0));
    /* Off from Saturday morning to Monday: Saturday's and Sunday's slots are past their week. */
    power_on(&f, at(2025, 12, 1, 5, 30, 0), 2);
    expect_wait(decide_idle(&f, at(2025, 12, 1, 5, 30, 0), at(2025, 12, 1, 5, 30, 0), BT_MISS_OFF),
                at(2025, 12, 6, 6, 0, 0));
    fx_done(&f);

    /* Off on Saturday only: made up on Sunday morning, before Sunday's own slot. */
    fx_start(&f, at(2025, 11, 29, 0, 0, 0));
    power_on(&f, at(2025, 11, 29, 20, 0, 0), 1);
    expect_start(decide_idle(&f, at(2025, 11, 30, 5, 30, 0), at(2025, 11, 29, 20, 0, 0),
                             BT_MISS_OFF),
                 slot(0, at(2025, 11, 29, 6, 0, 0)), true, 0);
    fx_done(&f);

    /* Quarter: 31/12 missed is lost on 01/01; 30/12 missed is made up on 31/12. */
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "moi-ngay", BT_MAKEUP_QUARTER, six, item0);
    fx_start(&f, at(2025, 12, 30, 0, 0, 0));
    power_on(&f, at(2025, 12, 31, 5, 50, 0), 1);
    expect_start(decide_idle(&f, at(2025, 12, 31, 5, 50, 0), at(2025, 12, 31, 5, 50, 0),
                             BT_MISS_OFF),
                 slot(0, at(2025, 12, 30, 6, 0, 0)), true, 0);
    fx_done(&f);
    fx_start(&f, at(2025, 12, 31, 0, 0, 0));
    power_on(&f, at(2026, 1, 1, 5, 30, 0), 1);
    expect_wait(decide_idle(&f, at(2026, 1, 1, 5, 30, 0), at(2026, 1, 1, 5, 30, 0), BT_MISS_OFF),
                at(2026, 1, 1, 6, 0, 0));
    fx_done(&f);

    /* none: never made up, even with every window open. */
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "mot-lan", BT_MAKEUP_NONE, six, item0);
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(6, 10, 0), 1);
    expect_wait(decide_idle(&f, mon(6, 10, 0), mon(6, 10, 0), BT_MISS_OFF), tue(6, 0, 0));
    fx_done(&f);
}

static void test_emergency_makeup_ignores_windows(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "bao", BT_BROADCAST_EMERGENCY, 60);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 60);
    const int nine_pm[] = {21 * 60, -1};
    const int both[] = {0, 1, -1};
    fx_session(&f, "bao", BT_MAKEUP_DAY, nine_pm, item0);
    fx_session(&f, "lan", BT_MAKEUP_DAY, nine_pm, both); /* emergency + normal: windows apply */
    fx_start(&f, mon(0, 0, 0));
    power_on(&f, mon(22, 0, 0), 2);
    expect_start(decide_idle(&f, mon(22, 0, 0), mon(22, 0, 0), BT_MISS_OFF), slot(0, mon(21, 0, 0)),
                 true, 0);
    completed(&f, slot(0, mon(21, 0, 0)), mon(22, 0, 0), true);
    expect_wait(decide_idle(&f, mon(22, 1, 0), mon(22, 0, 0), BT_MISS_OFF), tue(0, 0, 0));
    fx_done(&f);
}

static void test_failed_attempt_is_retried_after_a_pause(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    f.lim.max_sessions_per_day = 0;
    fx_item(&f, "bao", BT_BROADCAST_EMERGENCY, 60);
    const int nine_pm[] = {21 * 60, -1};
    fx_session(&f, "bao", BT_MAKEUP_DAY, nine_pm, item0); /* needs no window: no window limit */
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);
    expect_start(decide_idle(&f, mon(21, 0, 0), awake, BT_MISS_OFF), slot(0, mon(21, 0, 0)), false,
                 0);
    /* No audio device: the attempt fails at once. Not again before the pause is over. */
    record(&f, slot(0, mon(21, 0, 0)), BT_ATTEMPT_FAILED, BT_MISS_NO_DEVICE, mon(21, 0, 0), 0,
           false);
    expect_wait(decide_idle(&f, mon(21, 0, 0), awake, BT_MISS_OFF),
                mon(21, 0, 0) + BT_SCHEDULE_RETRY_SECONDS);
    expect_wait(decide_idle(&f, mon(21, 9, 59), awake, BT_MISS_OFF),
                mon(21, 0, 0) + BT_SCHEDULE_RETRY_SECONDS);
    expect_start(decide_idle(&f, mon(21, 10, 0), awake, BT_MISS_OFF), slot(0, mon(21, 0, 0)), true,
                 0);
    fx_done(&f);
}

/* ---- the playlist's validity -------------------------------------------------------------- */

/* A Q4 playlist: valid 01/10/2025 .. 31/12/2025. */
static void fx_q4(fixture *f)
{
    bt_schedule_set_validity(f->s, (bt_validity){bt_time_day_from_ymd(2025, 10, 1),
                                                 bt_time_day_from_ymd(2025, 12, 31)});
}

static void test_validity_bounds_slots_and_one_offs(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    bt_broadcast_session *s = fx_session(&f, "moi-ngay", BT_MAKEUP_QUARTER, six, item0);
    s->at[s->at_count++] = at(2025, 9, 30, 6, 30, 0);   /* before the playlist */
    s->at[s->at_count++] = at(2025, 12, 31, 17, 0, 0);  /* its last day: airs */
    s->at[s->at_count++] = at(2026, 1, 1, 6, 30, 0);    /* after it */
    fx_start(&f, at(2025, 9, 1, 0, 0, 0));
    fx_q4(&f);

    bt_slot got[8];
    assert_int_equal(bt_schedule_upcoming(f.s, at(2025, 9, 29, 0, 0, 0), got, 1), 1);
    assert_int_equal(got[0].scheduled, at(2025, 10, 1, 6, 0, 0));
    assert_int_equal(bt_schedule_upcoming(f.s, at(2025, 12, 31, 0, 0, 0), got, 8), 2);
    assert_int_equal(got[0].scheduled, at(2025, 12, 31, 6, 0, 0));
    assert_int_equal(got[1].scheduled, at(2025, 12, 31, 17, 0, 0));
    bt_slot_view views[4];
    assert_int_equal(bt_schedule_day(f.s, bt_time_day_from_ymd(2026, 1, 1), at(2026, 1, 1, 5, 0, 0),
                                     NULL, 0, views, 4),
                     0);
    fx_done(&f);

    /* 31/12 aired: on 01/01 nothing is due, nothing ever will be, and the scheduler says so. */
    fx_start(&f, at(2025, 12, 31, 0, 0, 0));
    fx_q4(&f);
    bt_wall awake = at(2025, 12, 31, 0, 0, 0);
    expect_start(decide_idle(&f, at(2025, 12, 31, 6, 0, 0), awake, BT_MISS_OFF),
                 slot(0, at(2025, 12, 31, 6, 0, 0)), false, 0);
    completed(&f, slot(0, at(2025, 12, 31, 6, 0, 0)), at(2025, 12, 31, 6, 0, 0), false);
    completed(&f, slot(0, at(2025, 12, 31, 17, 0, 0)), at(2025, 12, 31, 17, 0, 0), false);
    expect_wait(decide_idle(&f, at(2025, 12, 31, 17, 1, 40), awake, BT_MISS_OFF), BT_WALL_NEVER);
    expect_wait(decide_idle(&f, at(2026, 1, 1, 6, 0, 0), awake, BT_MISS_OFF), BT_WALL_NEVER);
    expect_wait(decide_idle(&f, at(2026, 1, 1, 6, 30, 0), awake, BT_MISS_OFF), BT_WALL_NEVER);
    fx_done(&f);
}

static void test_validity_ends_makeups(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "moi-ngay", BT_MAKEUP_WEEK, six, item0);
    /* Unbounded, Wednesday 31/12's miss belongs to the week ending Sunday 04/01: it is made up
     * on Thursday 01/01 before that day's own slot. */
    fx_start(&f, at(2025, 12, 31, 0, 0, 0));
    power_on(&f, at(2026, 1, 1, 5, 30, 0), 1);
    expect_start(decide_idle(&f, at(2026, 1, 1, 5, 30, 0), at(2026, 1, 1, 5, 30, 0), BT_MISS_OFF),
                 slot(0, at(2025, 12, 31, 6, 0, 0)), true, 0);
    fx_done(&f);

    /* The Q4 playlist ends on 31/12: the miss is lost, in 2026 nothing airs or is made up. */
    fx_start(&f, at(2025, 12, 31, 0, 0, 0));
    fx_q4(&f);
    bool by_validity = false;
    assert_int_equal(bt_schedule_slot_deadline(f.s, slot(0, at(2025, 12, 31, 6, 0, 0)),
                                               &by_validity),
                     bt_time_day_from_ymd(2025, 12, 31));
    assert_true(by_validity);
    assert_int_equal(bt_schedule_slot_deadline(f.s, slot(0, at(2025, 12, 24, 6, 0, 0)),
                                               &by_validity),
                     bt_time_day_from_ymd(2025, 12, 28));
    assert_false(by_validity);
    power_on(&f, at(2026, 1, 1, 5, 30, 0), 1);
    expect_wait(decide_idle(&f, at(2026, 1, 1, 5, 30, 0), at(2026, 1, 1, 5, 30, 0), BT_MISS_OFF),
                BT_WALL_NEVER);
    bt_slot_view v;
    assert_int_equal(bt_schedule_day(f.s, bt_time_day_from_ymd(2025, 12, 31),
                                     at(2026, 1, 1, 5, 30, 0), NULL, 0, &v, 1),
                     1);
    assert_int_equal(v.state, BT_SLOT_MISSED);
    assert_false(v.makeup_pending);
    fx_done(&f);

    /* Quarter scope, but the playlist is replaced mid-quarter (valid until 30/11): 29/11's miss
     * is made up on 30/11, 30/11's is not made up in December. */
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "moi-ngay", BT_MAKEUP_QUARTER, six, item0);
    fx_start(&f, at(2025, 11, 29, 0, 0, 0));
    bt_schedule_set_validity(f.s, (bt_validity){bt_time_day_from_ymd(2025, 10, 1),
                                                bt_time_day_from_ymd(2025, 11, 30)});
    power_on(&f, at(2025, 11, 30, 5, 30, 0), 1);
    expect_start(decide_idle(&f, at(2025, 11, 30, 5, 30, 0), at(2025, 11, 30, 5, 30, 0),
                             BT_MISS_OFF),
                 slot(0, at(2025, 11, 29, 6, 0, 0)), true, 0);
    completed(&f, slot(0, at(2025, 11, 29, 6, 0, 0)), at(2025, 11, 30, 5, 30, 0), true);
    power_on(&f, at(2025, 12, 1, 5, 30, 0), 1);
    expect_wait(decide_idle(&f, at(2025, 12, 1, 5, 30, 0), at(2025, 12, 1, 5, 30, 0), BT_MISS_OFF),
                BT_WALL_NEVER);
    fx_done(&f);
}

/* ---- clock trust -------------------------------------------------------------------------- */

static void test_clock_check_threshold_both_ways(void **state)
{
    (void)state;
    const bt_mono_ns s = 1000000000LL;
    bt_clock_sample prev = {mon(6, 0, 0), 5 * s};
    bt_clock_sample steady = {mon(6, 0, 10), 15 * s};
    assert_int_equal(bt_clock_check(prev, steady).kind, BT_CLOCK_STEADY);
    assert_int_equal(bt_clock_check(prev, steady).skew_ms, 0);
    /* Whole-second wall samples: 0.9 s of disagreement is rounding. */
    bt_clock_sample rounding = {mon(6, 0, 10), 15 * s + 900000000LL};
    assert_int_equal(bt_clock_check(prev, rounding).kind, BT_CLOCK_STEADY);
    bt_clock_sample edge = {mon(6, 0, 12), 15 * s};
    assert_int_equal(bt_clock_check(prev, edge).kind, BT_CLOCK_STEADY); /* exactly 2 s */
    bt_clock_sample fwd = {mon(6, 0, 13), 15 * s};
    assert_int_equal(bt_clock_check(prev, fwd).kind, BT_CLOCK_FORWARD);
    assert_int_equal(bt_clock_check(prev, fwd).skew_ms, 3000);
    bt_clock_sample back = {mon(5, 50, 0), 15 * s};
    assert_int_equal(bt_clock_check(prev, back).kind, BT_CLOCK_BACKWARD);
    assert_int_equal(bt_clock_check(prev, back).skew_ms, -610000);
    bt_clock_sample hours = {mon(9, 0, 0), 6 * s};
    assert_int_equal(bt_clock_check(prev, hours).kind, BT_CLOCK_FORWARD);
}

static void test_forward_jump_misses_without_a_burst(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    fx_session(&f, "a", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "b", BT_MAKEUP_DAY, six_twenty, item0);
    fx_session(&f, "c", BT_MAKEUP_DAY, six_forty, item0);
    fx_start(&f, mon(0, 0, 0));
    expect_wait(decide_idle(&f, mon(5, 59, 50), mon(0, 0, 0), BT_MISS_OFF), mon(6, 0, 0));
    /* The wall clock leaps from 05:59:52 to 06:50:00 (the kiosk detects it with
     * bt_clock_check): all three slots are missed, none starts in that decision. */
    bt_clock_sample before = {mon(5, 59, 52), 100LL * 1000000000LL};
    bt_clock_sample after = {mon(6, 50, 0), 101LL * 1000000000LL};
    assert_int_equal(bt_clock_check(before, after).kind, BT_CLOCK_FORWARD);
    bt_schedule_decision d = decide_idle(&f, mon(6, 50, 0), mon(6, 50, 0), BT_MISS_CLOCK_JUMP);
    assert_int_equal(d.missed_count, 3);
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(d.missed[i].slot.session, i);
        assert_int_equal(d.missed[i].reason, BT_MISS_CLOCK_JUMP);
        record(&f, d.missed[i].slot, BT_ATTEMPT_MISSED, d.missed[i].reason, mon(6, 50, 0), 0,
               false);
    }
    /* All three are owed and the day has room for three sessions, yet one window takes one
     * makeup: the backlog spreads over the windows instead of playing back to back. */
    expect_start(decide_idle(&f, mon(6, 50, 0), mon(6, 50, 0), BT_MISS_CLOCK_JUMP),
                 slot(0, mon(6, 0, 0)), true, 0);
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 50, 0), true);
    expect_wait(decide_idle(&f, mon(6, 51, 40), mon(6, 50, 0), BT_MISS_CLOCK_JUMP), mon(7, 0, 0));
    expect_wait(decide_idle(&f, mon(7, 0, 0), mon(6, 50, 0), BT_MISS_CLOCK_JUMP), mon(16, 30, 0));
    expect_start(decide_idle(&f, mon(16, 30, 0), mon(6, 50, 0), BT_MISS_CLOCK_JUMP),
                 slot(1, mon(6, 20, 0)), true, 0);
    completed(&f, slot(1, mon(6, 20, 0)), mon(16, 30, 0), true);
    expect_wait(decide_idle(&f, mon(16, 31, 40), mon(6, 50, 0), BT_MISS_CLOCK_JUMP),
                mon(18, 30, 0));
    /* "c" (makeup = day) is lost at midnight: Tuesday only waits for its own slots. */
    expect_wait(decide_idle(&f, tue(5, 30, 0), mon(6, 50, 0), BT_MISS_CLOCK_JUMP), tue(6, 0, 0));
    fx_done(&f);

    /* Landing 30 s after the last slot: that one still airs as itself, the others are missed. */
    fx_start(&f, mon(0, 0, 0));
    d = decide_idle(&f, mon(6, 40, 30), mon(6, 40, 30), BT_MISS_CLOCK_JUMP);
    assert_int_equal(d.missed_count, 2);
    assert_int_equal(d.missed[0].slot.session, 0);
    assert_int_equal(d.missed[1].slot.session, 1);
    for (size_t i = 0; i < 2; i++)
        record(&f, d.missed[i].slot, BT_ATTEMPT_MISSED, d.missed[i].reason, mon(6, 40, 30), 0,
               false);
    expect_start(decide_idle(&f, mon(6, 40, 30), mon(6, 40, 30), BT_MISS_CLOCK_JUMP),
                 slot(2, mon(6, 40, 0)), false, 0);
    fx_done(&f);
}

static void test_backward_jump_never_airs_a_slot_twice(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 283);
    fx_session(&f, "sang", BT_MAKEUP_DAY, six, item0);
    fx_session(&f, "sang-muon", BT_MAKEUP_DAY, six_twenty, item0);
    fx_session(&f, "chieu", BT_MAKEUP_DAY, seventeen, item0);
    fx_start(&f, mon(0, 0, 0));
    bt_wall awake = mon(0, 0, 0);
    expect_start(decide_idle(&f, mon(6, 0, 0), awake, BT_MISS_OFF), slot(0, mon(6, 0, 0)), false,
                 0);
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 0, 0), false);
    expect_start(decide_idle(&f, mon(6, 20, 0), awake, BT_MISS_OFF), slot(1, mon(6, 20, 0)), false,
                 0);
    completed(&f, slot(1, mon(6, 20, 0)), mon(6, 20, 0), false);

    /* At 06:30 the clock is set back to 05:50 (e.g. a hand "correction"). */
    bt_clock_sample before = {mon(6, 30, 0), 500LL * 1000000000LL};
    bt_clock_sample after = {mon(5, 50, 0), 501LL * 1000000000LL};
    assert_int_equal(bt_clock_check(before, after).kind, BT_CLOCK_BACKWARD);
    awake = mon(5, 50, 0);
    /* Both morning slots are in the history: the next thing to wait for is the evening. */
    expect_wait(decide_idle(&f, mon(5, 50, 0), awake, BT_MISS_CLOCK_JUMP), mon(17, 0, 0));
    for (bt_wall t = mon(5, 50, 0); t <= mon(6, 30, 0); t += 10)
        expect_wait(decide_idle(&f, t, awake, BT_MISS_CLOCK_JUMP), mon(17, 0, 0));
    expect_start(decide_idle(&f, mon(17, 0, 0), awake, BT_MISS_CLOCK_JUMP), slot(2, mon(17, 0, 0)),
                 false, 0);
    fx_done(&f);
}

/* ---- today's view and names --------------------------------------------------------------- */

static void test_day_view_states(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    const int times[] = {6 * 60, 6 * 60 + 30, 17 * 60, 18 * 60, -1};
    fx_session(&f, "a", BT_MAKEUP_DAY, times, item0);
    bt_broadcast_session *n = fx_session(&f, "b", BT_MAKEUP_NONE, NULL, item0);
    n->at[n->at_count++] = mon(6, 15, 0);
    fx_start(&f, mon(0, 0, 0));
    completed(&f, slot(0, mon(6, 0, 0)), mon(6, 0, 0), false);
    record(&f, slot(1, mon(6, 15, 0)), BT_ATTEMPT_MISSED, BT_MISS_NO_DEVICE, mon(6, 15, 0), 0,
           false);
    record(&f, slot(0, mon(6, 30, 0)), BT_ATTEMPT_FAILED, BT_MISS_PLAYBACK, mon(6, 30, 0), 0,
           false);
    bt_slot airing = slot(0, mon(17, 0, 0));
    bt_slot_view v[8];
    size_t count = bt_schedule_day(f.s, bt_time_day_of(mon(0, 0, 0)), mon(17, 1, 0), &airing, 0, v,
                                   8);
    assert_int_equal(count, 5);
    assert_int_equal(v[0].state, BT_SLOT_AIRED);
    assert_int_equal(v[0].aired_at, mon(6, 0, 0));
    assert_int_equal(v[1].state, BT_SLOT_MISSED);
    assert_int_equal(v[1].reason, BT_MISS_NO_DEVICE);
    assert_false(v[1].makeup_pending); /* makeup = none */
    assert_int_equal(v[2].state, BT_SLOT_MISSED);
    assert_true(v[2].makeup_pending);
    assert_int_equal(v[3].state, BT_SLOT_AIRING);
    assert_int_equal(v[4].state, BT_SLOT_UPCOMING);
    assert_string_equal(bt_vi_slot_state(v[0].state), "đã phát");
    assert_string_equal(bt_vi_slot_state(v[4].state), "sắp phát");
    assert_string_equal(bt_vi_slot_state(v[1].state), "bỏ lỡ");
    /* Later made up: shown as such. */
    completed(&f, slot(0, mon(6, 30, 0)), mon(17, 5, 0), true);
    count = bt_schedule_day(f.s, bt_time_day_of(mon(0, 0, 0)), mon(18, 0, 0), NULL, 0, v, 3);
    assert_int_equal(count, 3);
    assert_int_equal(v[2].state, BT_SLOT_MADE_UP);
    assert_string_equal(bt_vi_slot_state(v[2].state), "đã phát bù");
    fx_done(&f);
}

/* A make-up day (issue 14): Monday's one-off session missed, made up on Tuesday at 06:10. Tuesday
 * has no slot of that session, yet its list holds the make-up, at 06:10 between Tuesday's own
 * 06:00 and 06:30; while it airs it is listed as on air at the time it began. */
static void test_day_view_lists_makeups_of_other_days(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    const int times[] = {6 * 60, 6 * 60 + 30, -1};
    fx_session(&f, "a", BT_MAKEUP_DAY, times, item0);
    bt_broadcast_session *once = fx_session(&f, "b", BT_MAKEUP_WEEK, NULL, item0);
    once->at[once->at_count++] = mon(17, 0, 0);
    fx_start(&f, mon(0, 0, 0));
    record(&f, slot(1, mon(17, 0, 0)), BT_ATTEMPT_MISSED, BT_MISS_OFF, mon(17, 0, 0), 0, false);
    bt_day tuesday = bt_time_day_of(tue(0, 0, 0));
    bt_slot_view v[8];

    /* On air: listed at 06:10 as "đang phát". */
    bt_slot on_air = slot(1, mon(17, 0, 0));
    completed(&f, slot(0, tue(6, 0, 0)), tue(6, 0, 0), false);
    size_t count = bt_schedule_day(f.s, tuesday, tue(6, 11, 0), &on_air, tue(6, 10, 0), v, 8);
    assert_int_equal(count, 3);
    assert_int_equal(v[1].slot.session, 1);
    assert_true(v[1].other_day);
    assert_int_equal(v[1].state, BT_SLOT_AIRING);
    assert_int_equal(bt_slot_view_time(&v[1]), tue(6, 10, 0));
    assert_false(v[0].other_day);
    assert_int_equal(bt_slot_view_time(&v[2]), tue(6, 30, 0));

    /* Aired: "đã phát bù" at 06:10; Monday's own list keeps it at 17:00, made up. */
    completed(&f, slot(1, mon(17, 0, 0)), tue(6, 10, 0), true);
    count = bt_schedule_day(f.s, tuesday, tue(9, 0, 0), NULL, 0, v, 8);
    assert_int_equal(count, 3);
    assert_int_equal(v[0].state, BT_SLOT_AIRED);
    assert_int_equal(v[1].state, BT_SLOT_MADE_UP);
    assert_true(v[1].other_day);
    assert_int_equal(v[1].aired_at, tue(6, 10, 0));
    assert_int_equal(bt_time_minute_of_day(bt_slot_view_time(&v[1])), 6 * 60 + 10);
    count = bt_schedule_day(f.s, bt_time_day_of(mon(0, 0, 0)), tue(9, 0, 0), NULL, 0, v, 8);
    assert_int_equal(count, 3);
    assert_int_equal(v[2].slot.session, 1);
    assert_false(v[2].other_day);
    assert_int_equal(v[2].state, BT_SLOT_MADE_UP);
    /* Wednesday lists nothing of it. */
    count = bt_schedule_day(f.s, tuesday + 1, tue(23, 0, 0), NULL, 0, v, 8);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(v[i].slot.session, 0);
    /* A full list keeps its own slots first and never overflows. */
    count = bt_schedule_day(f.s, tuesday, tue(9, 0, 0), NULL, 0, v, 2);
    assert_int_equal(count, 2);
    fx_done(&f);
}

/* A day the history knows nothing of (a preview, or before the log existed): slots past their
 * grace are "bỏ lỡ", never "sắp phát"; later ones are upcoming. */
static void test_day_view_without_history(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    const int times[] = {6 * 60, 17 * 60, -1};
    fx_session(&f, "a", BT_MAKEUP_DAY, times, item0);
    fx_start(&f, mon(0, 0, 0));
    bt_slot_view v[4];
    size_t count = bt_schedule_day(f.s, bt_time_day_of(mon(0, 0, 0)), mon(9, 0, 0), NULL, 0, v, 4);
    assert_int_equal(count, 2);
    assert_int_equal(v[0].state, BT_SLOT_MISSED);
    assert_true(v[0].makeup_pending);
    assert_int_equal(v[1].state, BT_SLOT_UPCOMING);
    /* Within the grace the slot may still start: still upcoming. */
    count = bt_schedule_day(f.s, bt_time_day_of(mon(0, 0, 0)), mon(6, 0, 30), NULL, 0, v, 4);
    assert_int_equal(v[0].state, BT_SLOT_UPCOMING);
    fx_done(&f);
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int r = BT_MISS_NONE; r <= BT_MISS_QUEUE; r++) {
        bt_miss_reason back;
        const char *code = bt_miss_reason_code((bt_miss_reason)r);
        assert_int_equal(bt_miss_reason_from_code(code, &back), 0);
        assert_int_equal(back, r);
        assert_non_null(bt_vi_miss_reason((bt_miss_reason)r));
    }
    for (int s = BT_ATTEMPT_COMPLETED; s <= BT_ATTEMPT_MISSED; s++) {
        bt_attempt_status back;
        assert_int_equal(bt_attempt_status_from_name(bt_attempt_status_name((bt_attempt_status)s),
                                                    &back),
                         0);
        assert_int_equal(back, s);
    }
    bt_miss_reason r;
    assert_int_equal(bt_miss_reason_from_code("mất điện", &r), -1);
    assert_string_equal(bt_miss_reason_code(BT_MISS_CRASH), "crash");
    assert_string_equal(bt_vi_miss_reason(BT_MISS_OFF), "máy tắt");
    assert_string_equal(bt_attempt_status_name(BT_ATTEMPT_INTERRUPTED), "interrupted");
}

/* ---- no windows --------------------------------------------------------------------------- */

/* Drives the scheduler from `from` to `until` as the broadcaster does: missed slots recorded,
 * each start aired to its end, waits to next_check. Makeup starts go to starts[]. */
static size_t drive_makeups(fixture *f, bt_wall from, bt_wall until, bt_wall awake,
                            bt_miss_reason gap, bt_wall *starts, size_t cap)
{
    size_t n = 0;
    for (bt_wall t = from; t < until;) {
        bt_schedule_decision d = decide_idle(f, t, awake, gap);
        for (size_t i = 0; i < d.missed_count; i++)
            record(f, d.missed[i].slot, BT_ATTEMPT_MISSED, d.missed[i].reason, t, 0, false);
        if (d.missed_count > 0)
            continue;
        if (d.action == BT_SCHEDULE_START) {
            if (d.makeup) {
                assert_true(n < cap);
                starts[n++] = t;
            }
            completed(f, d.start, t, d.makeup);
            t += bt_schedule_airing_seconds(f->s, d.start.session, d.first_item);
            continue;
        }
        assert_true(d.next_check > t);
        t = d.next_check;
    }
    return n;
}

/* A makeup waits for a day the ward permits (issue 11): with weekends closed — by the playlist's
 * own limits or by the appliance's — Friday evening's missed session is made up on Monday
 * morning, not on Saturday. The control without closed days makes it on Saturday. */
static void test_makeup_waits_for_a_permitted_day(void **state)
{
    (void)state;
    bt_wall starts[8];
    for (int closer = 0; closer < 3; closer++) {
        fixture f;
        fx_init(&f);
        fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
        bt_broadcast_session *s = fx_session(&f, "chieu", BT_MAKEUP_QUARTER, seventeen, item0);
        s->weekdays = 0x1F; /* T2-T6 */
        if (closer == 1)
            f.b.limits.closed_weekdays = 0x60; /* the playlist closes T7 and CN */
        else if (closer == 2)
            f.lim.closed_weekdays = 0x60;      /* the appliance does */
        fx_start(&f, at(2025, 11, 28, 0, 0, 0));
        /* Off all Friday 28/11; on at 19:00, after the evening window. */
        bt_wall on = at(2025, 11, 28, 19, 0, 0);
        size_t n = drive_makeups(&f, on, at(2025, 12, 1, 12, 0, 0), on, BT_MISS_OFF, starts, 8);
        assert_int_equal(n, 1);
        if (closer == 0)
            assert_int_equal(starts[0], at(2025, 11, 29, 5, 30, 0)); /* Saturday */
        else
            assert_int_equal(starts[0], at(2025, 12, 1, 5, 30, 0));  /* Monday */
        fx_done(&f);
    }
}

static void test_no_windows_makeups_one_an_hour(void **state)
{
    (void)state;
    /* broadcast.windows = "" and no cap on sessions a day: only the spacing holds makeups back
     * (it once let 11 air back to back). Six sessions 06:00..06:50, made up within the week. */
    static const int times[6][2] = {{360, -1}, {370, -1}, {380, -1},
                                    {390, -1}, {400, -1}, {410, -1}};
    fixture f;
    fx_init(&f);
    f.lim.window_count = 0;
    f.lim.max_sessions_per_day = 0;
    fx_item(&f, "tin", BT_BROADCAST_NORMAL, 100);
    for (int i = 0; i < 6; i++) {
        char id[8];
        snprintf(id, sizeof id, "s%d", i);
        fx_session(&f, id, BT_MAKEUP_WEEK, times[i], item0);
    }
    fx_start(&f, mon(0, 0, 0));
    /* Off from Monday 05:00 to Tuesday 12:00: twelve slots owed. */
    bt_wall starts[32];
    size_t n = drive_makeups(&f, tue(12, 0, 0), tue(23, 59, 0), tue(12, 0, 0), BT_MISS_OFF, starts,
                             32);
    assert_int_equal(n, 12); /* all made up the same day, */
    assert_int_equal(starts[0], tue(12, 0, 0));
    for (size_t i = 1; i < n; i++) /* one an hour, never back to back */
        assert_true(starts[i] - starts[i - 1] >= BT_SCHEDULE_MAKEUP_SPACING_SECONDS);
    assert_int_equal(starts[n - 1], tue(23, 0, 0));
    fx_done(&f);

    /* Set back a day after three makeups (Tuesday 14:01:40 → Monday 14:01:40): the makeups that
     * aired "tomorrow" still count, so none follows until the clock has passed them again. */
    fx_start(&f, mon(0, 0, 0));
    n = drive_makeups(&f, tue(12, 0, 0), tue(14, 1, 40), tue(12, 0, 0), BT_MISS_OFF, starts, 32);
    assert_int_equal(n, 3);
    bt_wall back = mon(14, 1, 40);
    bt_schedule_decision d = decide_idle(&f, back, back, BT_MISS_CLOCK_JUMP);
    assert_int_equal(d.missed_count, 0);
    assert_int_equal(d.action, BT_SCHEDULE_WAIT);
    assert_true(d.next_check > back);
    n = drive_makeups(&f, back, tue(12, 0, 0), back, BT_MISS_CLOCK_JUMP, starts, 32);
    assert_int_equal(n, 0);
    n = drive_makeups(&f, tue(12, 0, 0), tue(16, 0, 0), back, BT_MISS_CLOCK_JUMP, starts, 32);
    assert_true(n >= 1);
    assert_true(starts[0] >= tue(15, 0, 0)); /* an hour after the last one that aired */
    fx_done(&f);

    /* An emergency session needs no window, so no spacing holds it either. */
    fixture g;
    fx_init(&g);
    g.lim.window_count = 0;
    g.lim.max_sessions_per_day = 0;
    fx_item(&g, "bao", BT_BROADCAST_EMERGENCY, 60);
    fx_session(&g, "k1", BT_MAKEUP_DAY, times[0], item0);
    fx_session(&g, "k2", BT_MAKEUP_DAY, times[1], item0);
    fx_start(&g, mon(0, 0, 0));
    n = drive_makeups(&g, mon(8, 0, 0), mon(9, 0, 0), mon(8, 0, 0), BT_MISS_OFF, starts, 32);
    assert_int_equal(n, 2);
    assert_true(starts[1] - starts[0] < BT_SCHEDULE_MAKEUP_SPACING_SECONDS);
    fx_done(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots_follow_times_weekdays_range_and_one_offs),
        cmocka_unit_test(test_due_on_the_second_and_never_twice),
        cmocka_unit_test(test_nothing_to_do_is_never),
        cmocka_unit_test(test_priority_goes_first_then_file_order),
        cmocka_unit_test(test_queued_slot_gives_up_when_its_window_closes),
        cmocka_unit_test(test_emergency_interrupts_and_the_cut_slot_resumes),
        cmocka_unit_test(test_cut_in_the_closing_chime_counts_as_aired),
        cmocka_unit_test(test_power_on_grace_then_missed_and_made_up),
        cmocka_unit_test(test_only_the_most_recent_slot_may_start_after_a_gap),
        cmocka_unit_test(test_makeup_deadlines),
        cmocka_unit_test(test_makeup_waits_for_a_permitted_day),
        cmocka_unit_test(test_makeup_day_scope_expires_at_midnight),
        cmocka_unit_test(test_makeup_must_end_before_the_next_slot_and_window),
        cmocka_unit_test(test_makeup_week_and_quarter_stop_at_their_period),
        cmocka_unit_test(test_emergency_makeup_ignores_windows),
        cmocka_unit_test(test_no_windows_makeups_one_an_hour),
        cmocka_unit_test(test_failed_attempt_is_retried_after_a_pause),
        cmocka_unit_test(test_validity_bounds_slots_and_one_offs),
        cmocka_unit_test(test_validity_ends_makeups),
        cmocka_unit_test(test_clock_check_threshold_both_ways),
        cmocka_unit_test(test_forward_jump_misses_without_a_burst),
        cmocka_unit_test(test_backward_jump_never_airs_a_slot_twice),
        cmocka_unit_test(test_day_view_states),
        cmocka_unit_test(test_day_view_without_history),
        cmocka_unit_test(test_day_view_lists_makeups_of_other_days),
        cmocka_unit_test(test_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
