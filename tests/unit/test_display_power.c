/* The display's sleep and wake (bt_display_power.h), driven by a fake clock through a fake
 * backend that records every call: it sleeps and wakes on the schedule's minutes, an emergency
 * or a stick wakes it and the hold lets it sleep again a minute after, a backend that fails does
 * not stop the others, and proof of play fed as the kiosk feeds it counts nothing while asleep.
 * 2026-11-23 is a Monday. */
#include "bt_test_support.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_display_power.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_proof.h"

#define NS 1000000000LL
#define MAX_CALLS 1024
#define STEP_SECONDS 15

typedef struct {
    bool sleep;
    bt_wall at;
} call;

/* A display that records what it was told and when (the fake clock's time). */
typedef struct {
    bool fail;
    bool asleep;
    size_t count;
    call calls[MAX_CALLS];
    const bt_wall *clock;
} fake_display;

static int fake_switch(fake_display *f, bool sleep, char *err, size_t size)
{
    if (f->fail) {
        snprintf(err, size, "TV không trả lời");
        return -1;
    }
    if (f->count < MAX_CALLS)
        f->calls[f->count++] = (call){sleep, *f->clock};
    f->asleep = sleep;
    return 0;
}

static int fake_sleep(void *ctx, char *err, size_t size)
{
    return fake_switch(ctx, true, err, size);
}

static int fake_wake(void *ctx, char *err, size_t size)
{
    return fake_switch(ctx, false, err, size);
}

/* The fake clock: wall and monotonic advance together. */
typedef struct {
    bt_wall now;
    bt_display_power power;
    fake_display display;
} rig;

static bt_wall at(int weekday, int hour, int minute, int second)
{
    return bt_time_from_civil(2026, 11, 22 + weekday, hour, minute, second);
}

static void rig_init(rig *r, const char *schedule, bt_wall start)
{
    bt_display_schedule s;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_display_schedule_parse(schedule, "bangtin.cfg", 1, &s, &d), 0);
    bt_diags_free(&d);
    memset(r, 0, sizeof *r);
    r->now = start;
    r->display.clock = &r->now;
    bt_display_power_init(&r->power, &s);
    bt_display_backend b = {"giả", fake_sleep, fake_wake, &r->display};
    assert_int_equal(bt_display_power_add(&r->power, &b), 0);
}

static bool rig_tick(rig *r, bt_display_wakers w)
{
    return bt_display_power_tick(&r->power, r->now, (bt_mono_ns)r->now * NS, w);
}

/* Runs the clock to `until` in steps, with the same wakers throughout. */
static void run_until(rig *r, bt_wall until, bt_display_wakers w)
{
    for (; r->now < until; r->now += STEP_SECONDS)
        rig_tick(r, w);
    r->now = until;
}

static const bt_display_wakers NOBODY = {false, false, false};

static void test_sleeps_and_wakes_on_the_minute(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, "T2-T6 07:00-17:30, T7 07:30-11:30", at(1, 17, 0, 0));
    /* Monday evening to Tuesday morning, then Saturday noon to Monday morning. */
    run_until(&r, at(1, 17, 29, 45), NOBODY);
    assert_int_equal(r.display.count, 0);
    assert_false(bt_display_power_asleep(&r.power));
    assert_true(rig_tick(&r, NOBODY) == false);
    r.now = at(1, 17, 30, 0);
    assert_true(rig_tick(&r, NOBODY));
    assert_true(bt_display_power_asleep(&r.power));
    assert_int_equal(r.display.count, 1);
    assert_true(r.display.calls[0].sleep);
    assert_int_equal(r.display.calls[0].at, at(1, 17, 30, 0));
    run_until(&r, at(2, 7, 0, 0), NOBODY);
    /* Asleep all night: asked again every 5 minutes (a TV turned on by its remote goes back). */
    size_t night = r.display.count;
    assert_int_equal(night, (13 * 60 + 30) / 5); /* 17:30, 17:35, … 06:55 */
    for (size_t i = 0; i < night; i++) {
        assert_true(r.display.calls[i].sleep);
        assert_int_equal(r.display.calls[i].at, at(1, 17, 30, 0) + (bt_wall)i * 300);
    }
    assert_true(rig_tick(&r, NOBODY));
    assert_false(r.display.calls[night].sleep);
    assert_int_equal(r.display.calls[night].at, at(2, 7, 0, 0));
    assert_int_equal(r.power.state, BT_DISPLAY_ON_SCHEDULE);
    /* Saturday: on at 07:30, off at 11:30; Sunday stays off; Monday 07:00 on. */
    r.now = at(6, 7, 0, 0);
    r.display.count = 0;
    run_until(&r, at(8, 7, 0, 15), NOBODY);
    size_t wakes = 0, first_sleep = MAX_CALLS;
    for (size_t i = 0; i < r.display.count; i++) {
        if (!r.display.calls[i].sleep) {
            wakes++;
            assert_true(r.display.calls[i].at == at(6, 7, 30, 0) ||
                        r.display.calls[i].at == at(8, 7, 0, 0));
        } else if (first_sleep == MAX_CALLS && r.display.calls[i].at > at(6, 7, 30, 0)) {
            first_sleep = i;
        }
    }
    assert_int_equal(wakes, 2);
    assert_int_equal(r.display.calls[first_sleep].at, at(6, 11, 30, 0));
    assert_false(bt_display_power_asleep(&r.power));
}

static void test_started_outside_the_schedule(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, "T2-T6 07:00-17:30", at(7, 3, 0, 0));
    assert_true(rig_tick(&r, NOBODY));
    assert_true(r.display.asleep);
    assert_int_equal(r.display.calls[0].at, at(7, 3, 0, 0));
    /* Always on: never told anything. */
    rig_init(&r, "", at(7, 3, 0, 0));
    run_until(&r, at(8, 3, 0, 0), NOBODY);
    assert_int_equal(r.display.count, 0);
}

static void test_woken_by_an_emergency_and_a_stick(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, "T2-T6 07:00-17:30", at(7, 9, 0, 0));
    run_until(&r, at(7, 10, 0, 0), NOBODY);
    assert_true(r.display.asleep);
    /* An emergency airs 10:00-10:05 on Sunday: on at once, off one minute after it ends. */
    bt_display_wakers emergency = {true, false, false};
    assert_true(rig_tick(&r, emergency));
    assert_false(r.display.asleep);
    assert_int_equal(r.power.state, BT_DISPLAY_ON_EMERGENCY);
    assert_int_equal(r.display.calls[r.display.count - 1].at, at(7, 10, 0, 0));
    run_until(&r, at(7, 10, 5, 0), emergency);
    /* The last tick that saw it was 10:04:45: on for a minute more, off at 10:05:45. */
    run_until(&r, at(7, 10, 5, 45), NOBODY);
    assert_false(r.display.asleep);
    assert_int_equal(r.power.state, BT_DISPLAY_ON_HOLD);
    assert_true(rig_tick(&r, NOBODY));
    assert_true(r.display.asleep);
    assert_int_equal(r.display.calls[r.display.count - 1].at, at(7, 10, 5, 45));
    /* A stick at 20:00: on while it imports and shows its result, then off again. */
    run_until(&r, at(7, 20, 0, 0), NOBODY);
    bt_display_wakers stick = {false, true, false};
    assert_true(rig_tick(&r, stick));
    assert_int_equal(r.power.state, BT_DISPLAY_ON_STICK);
    run_until(&r, at(7, 20, 2, 0), stick);
    assert_false(r.display.asleep);
    run_until(&r, at(7, 20, 4, 0), NOBODY);
    assert_true(r.display.asleep);
    /* An emergency inside the schedule changes nothing. */
    rig_init(&r, "T2-T6 07:00-17:30", at(1, 9, 0, 0));
    run_until(&r, at(1, 9, 10, 0), emergency);
    assert_int_equal(r.display.count, 0);
    assert_int_equal(r.power.state, BT_DISPLAY_ON_SCHEDULE);
    /* An emergency still on at 17:30 keeps the display on until it ends. */
    run_until(&r, at(1, 17, 31, 0), emergency);
    assert_int_equal(r.power.state, BT_DISPLAY_ON_EMERGENCY);
    assert_int_equal(r.display.count, 0);
}

static char logged[4096];

static void capture(void *ctx, bt_log_level level, const char *line)
{
    (void)ctx;
    if (level >= BT_LOG_WARN || strstr(line, "trở lại"))
        snprintf(logged + strlen(logged), sizeof logged - strlen(logged), "%s\n", line);
}

static void test_a_failing_backend(void **state)
{
    (void)state;
    rig r;
    fake_display tv = {.fail = true};
    tv.clock = &r.now;
    rig_init(&r, "T2-T6 07:00-17:30", at(1, 17, 29, 0));
    bt_display_backend cec = {"HDMI-CEC", fake_sleep, fake_wake, &tv};
    assert_int_equal(bt_display_power_add(&r.power, &cec), 0);
    assert_int_equal(bt_display_power_add(&r.power, &cec), 0);
    assert_int_equal(bt_display_power_add(&r.power, &cec), -1); /* three at most */
    logged[0] = '\0';
    bt_log_set_sink(capture, NULL);
    run_until(&r, at(1, 17, 31, 0), NOBODY);
    assert_true(r.display.asleep); /* the working one still switched */
    assert_string_equal(logged, "HDMI-CEC: không tắt được màn hình: TV không trả lời\n"
                                "HDMI-CEC: không tắt được màn hình: TV không trả lời\n");
    /* Still failing all night and at the wake: said once, not every five minutes. */
    run_until(&r, at(2, 7, 1, 0), NOBODY);
    assert_false(r.display.asleep);
    assert_int_equal(strlen(logged), 2 * strlen("HDMI-CEC: không tắt được màn hình: TV không "
                                                "trả lời\n"));
    /* The TV answers again: said once too. */
    tv.fail = false;
    logged[0] = '\0';
    run_until(&r, at(2, 17, 31, 0), NOBODY);
    bt_log_set_sink(NULL, NULL);
    assert_string_equal(logged, "HDMI-CEC: tắt được màn hình trở lại\n"
                                "HDMI-CEC: tắt được màn hình trở lại\n");
    assert_true(tv.asleep);
}

/* Proof of play as the kiosk feeds it: a notice while awake, nothing while asleep. */
static void test_no_impressions_while_asleep(void **state)
{
    (void)state;
    rig r;
    bt_proof proof;
    bt_proof_init(&proof);
    rig_init(&r, "T2-T6 07:00-17:30", at(1, 17, 0, 0));
    bt_display_wakers w = NOBODY;
    for (; r.now <= at(2, 7, 30, 0); r.now += STEP_SECONDS) {
        /* A stick from 20:00 to 20:10 wakes it at night: those minutes count, with the hold. */
        w.stick = r.now >= at(1, 20, 0, 0) && r.now < at(1, 20, 10, 0);
        rig_tick(&r, w);
        bt_proof_clock c = {r.now, (bt_mono_ns)r.now * NS, true};
        if (bt_display_power_asleep(&r.power))
            bt_proof_show(&proof, NULL, NULL, c);
        else
            bt_proof_show(&proof, "pl", "tb-1", c);
    }
    double monday = 0, tuesday = 0;
    int64_t shows = 0;
    for (size_t i = 0; i < proof.count; i++) {
        shows += proof.rows[i].shows;
        if (proof.rows[i].day == bt_time_day_of(at(1, 12, 0, 0)))
            monday += proof.rows[i].seconds;
        else
            tuesday += proof.rows[i].seconds;
    }
    bt_proof_free(&proof);
    /* 17:00-17:30; 20:00:00-20:10:45 (the stick, last seen at 20:09:45, and the minute's hold);
     * Tuesday from 07:00 to the last reading at 07:30. */
    assert_true(monday == 30 * 60 + 10 * 60 + 45);
    assert_true(tuesday == 30 * 60);
    assert_int_equal(shows, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleeps_and_wakes_on_the_minute),
        cmocka_unit_test(test_started_outside_the_schedule),
        cmocka_unit_test(test_woken_by_an_emergency_and_a_stick),
        cmocka_unit_test(test_a_failing_backend),
        cmocka_unit_test(test_no_impressions_while_asleep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
