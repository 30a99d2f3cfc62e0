/* The staff panel's PIN lock-out (core/panel_state.c), with fake times: BT_PANEL_MAX_WRONG_PINS
 * wrong PINs in a row lock the entry for BT_PANEL_LOCKOUT_MS (the right PIN does nothing then),
 * the countdown moves a second at a time, closing and reopening the entry neither lifts the lock
 * nor forgets the wrong tries, and after the lock the right PIN opens; wrong tries are forgotten
 * BT_PANEL_WRONG_PIN_QUIET_MS after the last one (not a millisecond before) and at the end of a
 * lock-out, also while the entry was closed. The clock page ("Đặt ngày giờ"): reached by Enter
 * on the open panel, twelve digits shown as dd/mm/yyyy hh:mm, Enter before all twelve or on a day
 * or time that does not exist says so and asks nothing, a real one is asked once, the app's
 * answer is kept, Esc goes back to the panel and the timeout closes everything. A stick's
 * approval (usb.unsigned = "pin"): the right PIN approves once, Esc refuses, the fifth wrong PIN
 * refuses and locks the panel's entry too, two minutes without an answer refuse as timed out
 * (the panel's shorter inactivity timeout does not close it), and without a PIN nothing is asked. */
#include "bt_test_support.h"

#include "bangtin/bt_panel_state.h"
#include "bangtin/bt_time.h"

static void type_pin(bt_panel_state *s, const char *digits, int64_t t)
{
    for (const char *d = digits; *d; d++)
        bt_panel_state_input(s, BT_PANEL_IN_DIGIT, *d - '0', t);
    bt_panel_state_input(s, BT_PANEL_IN_ENTER, 0, t);
}

static void test_tries_then_lockout(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
    for (int i = 1; i < BT_PANEL_MAX_WRONG_PINS; i++) {
        type_pin(&s, "1111", i * 1000);
        assert_true(s.wrong_pin);
        assert_int_equal(s.locked_until_ms, 0);
        assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - i);
    }
    int64_t t = BT_PANEL_MAX_WRONG_PINS * 1000;
    type_pin(&s, "1111", t);
    assert_int_equal(s.locked_until_ms, t + BT_PANEL_LOCKOUT_MS);
    assert_int_equal(s.lock_seconds_left, BT_PANEL_LOCKOUT_MS / 1000);
    assert_int_equal(bt_panel_state_tries_left(&s), 0);
    /* Locked: the right PIN does not open, digits are not even taken. */
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 2, t + 100));
    assert_int_equal(s.typed_len, 0);
    type_pin(&s, "2468", t + 200);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    /* The countdown: the next change is at the next whole second, and shows one less. */
    assert_int_equal(bt_panel_state_next_ms(&s, t + 200), 800);
    assert_false(bt_panel_state_tick(&s, t + 999));
    assert_true(bt_panel_state_tick(&s, t + 1000));
    assert_int_equal(s.lock_seconds_left, BT_PANEL_LOCKOUT_MS / 1000 - 1);
    /* Esc and reopen: still locked, still counting. */
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, t + 5000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, t + 6000);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    assert_int_equal(s.lock_seconds_left, BT_PANEL_LOCKOUT_MS / 1000 - 6);
    type_pin(&s, "2468", t + 6500);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    /* The lock ends; a fresh set of tries; the right PIN opens. */
    assert_true(bt_panel_state_tick(&s, t + BT_PANEL_LOCKOUT_MS));
    assert_int_equal(s.locked_until_ms, 0);
    assert_int_equal(s.lock_seconds_left, 0);
    assert_false(s.wrong_pin);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
    type_pin(&s, "2468", t + BT_PANEL_LOCKOUT_MS + 500);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
}

static void test_escape_does_not_reset_tries(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    /* A guesser who closes the entry after each try still gets locked out. */
    int64_t t = 0;
    for (int i = 0; i < BT_PANEL_MAX_WRONG_PINS; i++, t += 1000) {
        bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, t);
        type_pin(&s, "0000", t + 100);
        bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, t + 200);
    }
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, t);
    assert_true(s.locked_until_ms > t);
    type_pin(&s, "2468", t + 10);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    /* The right PIN before the limit clears the count. */
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    type_pin(&s, "0000", 100);
    type_pin(&s, "0000", 200);
    type_pin(&s, "2468", 300);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
}

static void test_pin_entry_times_out(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 1000);
    bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 2, 20000);
    assert_int_equal(bt_panel_state_next_ms(&s, 20000), 60000);
    assert_false(bt_panel_state_tick(&s, 79999));
    assert_true(bt_panel_state_tick(&s, 80000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(s.typed_len, 0);
}

/* Four wrong tries at 1..4 s (one left), then Esc: what a staff member who gave up leaves. */
static void four_wrong(bt_panel_state *s)
{
    bt_panel_state_init(s, "2468", 60);
    bt_panel_state_input(s, BT_PANEL_IN_KEY, 0, 0);
    for (int i = 1; i < BT_PANEL_MAX_WRONG_PINS; i++)
        type_pin(s, "1111", i * 1000);
    bt_panel_state_input(s, BT_PANEL_IN_ESCAPE, 0, BT_PANEL_MAX_WRONG_PINS * 1000);
    assert_int_equal(bt_panel_state_tries_left(s), 1);
}

static void test_wrong_tries_forgotten_after_quiet(void **state)
{
    (void)state;
    const int64_t last = (BT_PANEL_MAX_WRONG_PINS - 1) * 1000; /* the last wrong try */
    const int64_t quiet = BT_PANEL_WRONG_PIN_QUIET_MS;
    bt_panel_state s;
    /* Not before the quiet period: reopened a millisecond short, one more slip locks. */
    four_wrong(&s);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, last + quiet - 1);
    assert_int_equal(bt_panel_state_tries_left(&s), 1);
    type_pin(&s, "1111", last + quiet - 1);
    assert_int_equal(s.locked_until_ms, last + quiet - 1 + BT_PANEL_LOCKOUT_MS);
    /* At the quiet period: a full set of tries, one slip is just a slip. */
    four_wrong(&s);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, last + quiet);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
    type_pin(&s, "1111", last + quiet + 100);
    assert_int_equal(s.locked_until_ms, 0);
    assert_true(s.wrong_pin);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - 1);
    /* Days later (the reported case): the next wrong try does not lock at once. */
    four_wrong(&s);
    int64_t days = 3LL * 24 * 3600 * 1000;
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, days);
    type_pin(&s, "9999", days + 500);
    assert_int_equal(s.locked_until_ms, 0);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - 1);
    type_pin(&s, "2468", days + 900);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
}

static void test_quiet_counts_from_last_wrong_try(void **state)
{
    (void)state;
    const int64_t quiet = BT_PANEL_WRONG_PIN_QUIET_MS;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 3600); /* an entry left open longer than the quiet period */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    type_pin(&s, "1111", 1000);
    type_pin(&s, "1111", quiet - 1000);
    /* A quiet period after the first try but not after the second: both still count. */
    assert_false(bt_panel_state_tick(&s, quiet + 500));
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - 2);
    assert_true(s.wrong_pin);
    /* The open entry wakes at the end of the quiet period and drops its "còn … lần thử". */
    int64_t due = quiet - 1000 + quiet;
    assert_int_equal(bt_panel_state_next_ms(&s, quiet + 500), due - (quiet + 500));
    assert_false(bt_panel_state_tick(&s, due - 1));
    assert_true(bt_panel_state_tick(&s, due));
    assert_false(s.wrong_pin);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
    /* Nothing left to forget: the next wake-up is the inactivity timeout again. */
    assert_int_equal(bt_panel_state_next_ms(&s, due), quiet - 1000 + 3600 * 1000 - due);
}

static void test_lockout_end_resets_tries_while_closed(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    for (int i = 0; i < BT_PANEL_MAX_WRONG_PINS; i++)
        type_pin(&s, "0000", 100 + i);
    assert_true(s.locked_until_ms > 0);
    bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 1000);
    /* Closed through the whole lock-out: reopened after it, a full set of tries. */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 104 + BT_PANEL_LOCKOUT_MS);
    assert_int_equal(s.locked_until_ms, 0);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS);
    type_pin(&s, "0000", 200 + BT_PANEL_LOCKOUT_MS);
    assert_int_equal(s.locked_until_ms, 0);
    assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - 1);
}

static void type_digits(bt_panel_state *s, const char *digits, int64_t t)
{
    for (const char *d = digits; *d; d++)
        bt_panel_state_input(s, BT_PANEL_IN_DIGIT, *d - '0', t);
}

static void open_clock_page(bt_panel_state *s, int64_t t)
{
    bt_panel_state_input(s, BT_PANEL_IN_KEY, 0, t);
    type_pin(s, "2468", t);
    assert_int_equal(s->mode, BT_PANEL_OPEN);
    assert_true(bt_panel_state_input(s, BT_PANEL_IN_ENTER, 0, t));
    assert_int_equal(s->mode, BT_PANEL_CLOCK);
}

static void expect_text(const bt_panel_state *s, const char *want)
{
    char buf[32];
    assert_string_equal(bt_panel_state_clock_text(s, buf, sizeof buf), want);
}

/* "Màn hình đã chiếu" (issue 14): only from the open panel; a read-only page that digits and OK
 * do not leave; Esc or its button again go back to the panel; the timeout closes it. */
static void test_proof_page(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    /* Not from the closed panel nor from the PIN entry. */
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 0));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 100);
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 200));
    assert_int_equal(s.mode, BT_PANEL_PIN);
    type_pin(&s, "2468", 300);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 400));
    assert_int_equal(s.mode, BT_PANEL_PROOF);
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 5, 500));
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 600));
    assert_int_equal(s.mode, BT_PANEL_PROOF);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 700));
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 800));
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 900));
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    /* Input on the page keeps it open; 60 s without any close it. */
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_PROOF, 0, 1000));
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_OTHER, 0, 50000));
    assert_false(bt_panel_state_tick(&s, 100000));
    assert_int_equal(s.mode, BT_PANEL_PROOF);
    assert_true(bt_panel_state_tick(&s, 110001));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
}

static void test_clock_page_entry(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_wall when = 0;
    bt_panel_state_init(&s, "2468", 60);
    open_clock_page(&s, 1000);
    expect_text(&s, "__/__/____ __:__");
    assert_false(bt_panel_state_clock_request(&s, &when));
    /* The digits fill the pattern; ← takes the last one back. */
    type_digits(&s, "0712202", 2000);
    expect_text(&s, "07/12/202_ __:__");
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_BACKSPACE, 0, 2100));
    type_digits(&s, "26093", 2200);
    expect_text(&s, "07/12/2026 09:3_");
    /* OK too early: says so, asks nothing. */
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 2300));
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_INCOMPLETE);
    assert_false(bt_panel_state_clock_request(&s, &when));
    /* A thirteenth digit is not taken. */
    type_digits(&s, "05", 2400);
    expect_text(&s, "07/12/2026 09:30");
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_TYPING);
    /* OK: asked once, as the local time typed. */
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 2500));
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_ASKED);
    assert_true(bt_panel_state_clock_request(&s, &when));
    assert_int_equal(when, bt_time_from_civil(2026, 12, 7, 9, 30, 0));
    assert_false(bt_panel_state_clock_request(&s, &when));
    /* While the app is at it, keys do nothing. */
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 1, 2600));
    assert_false(bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 2600));
    /* It failed: the digits stay, OK asks again. */
    bt_panel_state_clock_result(&s, false);
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_FAILED);
    expect_text(&s, "07/12/2026 09:30");
    bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 2700);
    assert_true(bt_panel_state_clock_request(&s, &when));
    /* It was set: the page says so; the next digit starts a new entry. */
    bt_panel_state_clock_result(&s, true);
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_SET);
    bt_panel_state_clock_result(&s, false); /* an answer nobody asked for changes nothing */
    assert_int_equal(s.clock_status, BT_PANEL_CLOCK_SET);
    type_digits(&s, "3", 2800);
    expect_text(&s, "3_/__/____ __:__");
    /* Esc: back to the panel, the entry forgotten; Esc again closes. */
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 2900));
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_int_equal(s.clock_len, 0);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 3000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
}

static void test_clock_page_refuses_what_does_not_exist(void **state)
{
    (void)state;
    /* 31/02, 29/02 of a common year, 24:00, :60, month 13, day 00, a year out of range. */
    static const char *const bad[] = {"310220260930", "290220270930", "070120262400",
                                      "070120260960", "071320260930", "000120260930",
                                      "070120190930", "070121000930", "010120000000"};
    bt_wall when = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bt_panel_state s;
        bt_panel_state_init(&s, "2468", 60);
        open_clock_page(&s, 0);
        type_digits(&s, bad[i], 100);
        bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 200);
        if (s.clock_status != BT_PANEL_CLOCK_BAD_DATE)
            fail_msg("%s: status %d", bad[i], (int)s.clock_status);
        assert_false(bt_panel_state_clock_request(&s, &when));
        /* ← fixes it without retyping everything. */
        assert_true(bt_panel_state_input(&s, BT_PANEL_IN_BACKSPACE, 0, 300));
        assert_int_equal(s.clock_status, BT_PANEL_CLOCK_TYPING);
    }
    /* 29/02 of a leap year and the last minute of a year are real. */
    static const char *const good[] = {"290220280000", "311220992359", "010120200000"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        bt_panel_state s;
        bt_panel_state_init(&s, "2468", 60);
        open_clock_page(&s, 0);
        type_digits(&s, good[i], 100);
        bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 200);
        if (!bt_panel_state_clock_request(&s, &when))
            fail_msg("%s was refused", good[i]);
    }
}

static void test_clock_page_times_out_and_needs_the_pin(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_wall when;
    bt_panel_state_init(&s, "2468", 60);
    /* Enter on the PIN entry is the PIN's, not the clock page's: a wrong PIN leads nowhere. */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    type_pin(&s, "1111", 100);
    bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 200);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    /* The page left alone closes everything with the usual timeout, and forgets the entry. */
    type_pin(&s, "2468", 300);
    bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 400);
    assert_int_equal(s.mode, BT_PANEL_CLOCK);
    type_digits(&s, "0712", 500);
    assert_false(bt_panel_state_tick(&s, 60499));
    assert_true(bt_panel_state_tick(&s, 60500));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(s.clock_len, 0);
    /* Closed: digits and Enter neither reach the page nor ask anything. */
    type_digits(&s, "071220260930", 70000);
    bt_panel_state_input(&s, BT_PANEL_IN_ENTER, 0, 70100);
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_false(bt_panel_state_clock_request(&s, &when));
}

static void test_approval_right_pin(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0); /* the panel's entry was open: it gives way */
    assert_true(bt_panel_state_approval_begin(&s, 1000));
    assert_int_equal(s.mode, BT_PANEL_APPROVE);
    assert_false(bt_panel_state_approval_begin(&s, 1500)); /* one question at a time */
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_WAITING);
    assert_int_equal(bt_panel_state_approval_seconds_left(&s, 1000), BT_PANEL_APPROVAL_MS / 1000);
    /* The corner, the panel's key and other input neither answer nor open the panel. */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 2000);
    bt_panel_state_input(&s, BT_PANEL_IN_PRESS, 0, 2000);
    assert_int_equal(s.mode, BT_PANEL_APPROVE);
    /* A wrong PIN says so and leaves the question standing. */
    type_pin(&s, "1357", 3000);
    assert_true(s.wrong_pin);
    assert_int_equal(s.mode, BT_PANEL_APPROVE);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_WAITING);
    /* Past the panel's own 60 s timeout, the question still stands. */
    assert_false(bt_panel_state_tick(&s, 61500) && s.mode != BT_PANEL_APPROVE);
    assert_int_equal(s.mode, BT_PANEL_APPROVE);
    bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 2, 62000);
    bt_panel_state_input(&s, BT_PANEL_IN_BACKSPACE, 0, 62000);
    type_pin(&s, "2468", 62100);
    assert_int_equal(s.mode, BT_PANEL_CLOSED);            /* not the panel: only the import */
    assert_int_equal(s.wrong_count, 0);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_APPROVED);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_NONE); /* taken once */
    assert_int_equal(bt_panel_state_next_ms(&s, 63000), -1);
}

static void test_approval_locks_after_wrong_pins(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    assert_true(bt_panel_state_approval_begin(&s, 0));
    for (int i = 1; i < BT_PANEL_MAX_WRONG_PINS; i++) {
        type_pin(&s, "0000", i * 1000);
        assert_int_equal(s.mode, BT_PANEL_APPROVE);
        assert_int_equal(bt_panel_state_tries_left(&s), BT_PANEL_MAX_WRONG_PINS - i);
    }
    int64_t t = BT_PANEL_MAX_WRONG_PINS * 1000;
    type_pin(&s, "0000", t);
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_LOCKED);
    /* The panel's entry is locked as well: the stick gave the guesser no fresh tries. */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, t + 1000);
    type_pin(&s, "2468", t + 1500);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    assert_true(s.locked_until_ms > 0);
    /* A stick plugged again during the lock-out waits it out: digits do nothing until it ends. */
    bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, t + 2000);
    assert_true(bt_panel_state_approval_begin(&s, t + 2000));
    type_pin(&s, "2468", t + 2500);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_WAITING);
    bt_panel_state_tick(&s, t + BT_PANEL_LOCKOUT_MS);
    type_pin(&s, "2468", t + BT_PANEL_LOCKOUT_MS + 100);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_APPROVED);
}

static void test_approval_times_out_or_is_refused(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    assert_true(bt_panel_state_approval_begin(&s, 5000));
    /* The countdown moves a second at a time. */
    assert_int_equal(bt_panel_state_next_ms(&s, 5000), 1000);
    assert_false(bt_panel_state_tick(&s, 5999));
    assert_true(bt_panel_state_tick(&s, 6000));
    assert_int_equal(bt_panel_state_approval_seconds_left(&s, 6000),
                     BT_PANEL_APPROVAL_MS / 1000 - 1);
    bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 2, 100000); /* typing does not extend it */
    assert_false(bt_panel_state_tick(&s, 5000 + BT_PANEL_APPROVAL_MS - 1) &&
                 s.mode != BT_PANEL_APPROVE);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_WAITING);
    assert_true(bt_panel_state_tick(&s, 5000 + BT_PANEL_APPROVAL_MS));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_TIMED_OUT);

    assert_true(bt_panel_state_approval_begin(&s, 200000));
    bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 201000);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_REFUSED);

    assert_true(bt_panel_state_approval_begin(&s, 300000));
    bt_panel_state_approval_cancel(&s);
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(bt_panel_state_approval_take(&s), BT_APPROVAL_NONE);

    bt_panel_state off;
    bt_panel_state_init(&off, "", 60); /* no PIN configured: nobody can approve */
    assert_false(bt_panel_state_approval_begin(&off, 0));
    assert_int_equal(off.mode, BT_PANEL_CLOSED);
}

/* "Ghi nhận kênh khác": a whole entry with the keypad's keys alone, the day's and the count's
 * defaults and refusals, the note by digit, the write asked once; then an undo. */
static void keys(bt_panel_state *s, const char *typed, int64_t t)
{
    for (const char *c = typed; *c; c++) {
        if (*c >= '0' && *c <= '9')
            bt_panel_state_input(s, BT_PANEL_IN_DIGIT, *c - '0', t);
        else if (*c == 'K')
            bt_panel_state_input(s, BT_PANEL_IN_ENTER, 0, t);
        else if (*c == 'X')
            bt_panel_state_input(s, BT_PANEL_IN_BACKSPACE, 0, t);
        else if (*c == 'H')
            bt_panel_state_input(s, BT_PANEL_IN_ESCAPE, 0, t);
    }
}

static void test_records_page(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_record_request req;
    bt_day today = bt_time_day_from_ymd(2026, 12, 7);
    bt_target items[] = {{.id = "loa", .channel = BT_TARGET_LOUDSPEAKER},
                         {.id = "phuong", .channel = BT_TARGET_WARD_SITE},
                         {.id = "tp", .channel = BT_TARGET_CITY_PAGE}};
    bt_targets targets = {items, 3};
    bt_target_channel channels[BT_PANEL_RECORD_CHANNELS];
    size_t n = bt_panel_records_channels(&targets, channels);
    assert_int_equal(n, BT_PANEL_RECORD_CHANNELS);
    assert_int_equal(channels[0], BT_TARGET_WARD_SITE); /* the plan's channels first */
    assert_int_equal(channels[1], BT_TARGET_CITY_PAGE);
    assert_int_equal(channels[2], BT_TARGET_CONFERENCE);
    bt_panel_state_init(&s, "2468", 60);
    bt_panel_state_records_options(&s, channels, n, 0, today);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0);
    type_pin(&s, "2468", 100);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    keys(&s, "1", 200);
    assert_int_equal(s.mode, BT_PANEL_RECORDS);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_CHANNEL);
    keys(&s, "0", 300); /* nothing recorded yet: nothing to undo */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_NOTHING_TO_UNDO);
    keys(&s, "8", 300); /* no channel 8 */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_NO_CHOICE);
    keys(&s, "1", 400); /* the ward site */
    assert_int_equal(s.records.step, BT_PANEL_RECORD_DAY);
    keys(&s, "0812202", 500); /* tomorrow, seven digits: not yet a day */
    keys(&s, "K", 500);
    assert_int_equal(s.records.status, BT_PANEL_RECORD_BAD_DAY);
    keys(&s, "6K", 600);
    assert_int_equal(s.records.status, BT_PANEL_RECORD_FUTURE_DAY);
    char text[32];
    assert_string_equal(bt_panel_records_day_text(&s.records, text, sizeof text), "08/12/2026");
    keys(&s, "XXXXXXXX", 700); /* Xoá empties the field */
    assert_int_equal(s.records.day_len, 0);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_DAY);
    keys(&s, "31112026K", 800); /* 31/11 does not exist */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_BAD_DAY);
    keys(&s, "XXXXXXXX05122026K", 900);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_COUNT);
    assert_int_equal(s.records.day, bt_time_day_from_ymd(2026, 12, 5));
    keys(&s, "0K", 1000);
    assert_int_equal(s.records.status, BT_PANEL_RECORD_BAD_COUNT);
    keys(&s, "X3K", 1100);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_NOTE);
    keys(&s, "9", 1200); /* no preset 9 */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_NO_CHOICE);
    keys(&s, "3", 1300);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_CONFIRM);
    assert_false(bt_panel_records_take(&s.records, &req)); /* not before OK */
    keys(&s, "K", 1400);
    assert_true(bt_panel_records_take(&s.records, &req));
    assert_false(bt_panel_records_take(&s.records, &req)); /* asked once */
    assert_false(req.undo);
    assert_int_equal(req.channel, BT_TARGET_WARD_SITE);
    assert_int_equal(req.day, bt_time_day_from_ymd(2026, 12, 5));
    assert_int_equal(req.count, 3);
    assert_string_equal(req.note, "Định danh điện tử VNeID");
    keys(&s, "H", 1500); /* Huỷ waits while the write is under way */
    assert_int_equal(s.mode, BT_PANEL_RECORDS);
    bt_panel_records_result(&s.records, true, 1);
    assert_int_equal(s.records.status, BT_PANEL_RECORD_DONE);
    /* The next entry with every default: channel 2, today, 1, no note. */
    keys(&s, "2KKKK", 1600);
    assert_true(bt_panel_records_take(&s.records, &req));
    assert_int_equal(req.channel, BT_TARGET_CITY_PAGE);
    assert_int_equal(req.day, today);
    assert_int_equal(req.count, 1);
    assert_null(req.note);
    bt_panel_records_result(&s.records, false, 1); /* refused: OK tries again */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_FAILED);
    keys(&s, "K", 1700);
    assert_true(bt_panel_records_take(&s.records, &req));
    bt_panel_records_result(&s.records, true, 2);
    /* Undo the second latest entry. */
    keys(&s, "K0", 1800);
    assert_int_equal(s.records.step, BT_PANEL_RECORD_UNDO_PICK);
    keys(&s, "3", 1900); /* only two listed */
    assert_int_equal(s.records.status, BT_PANEL_RECORD_NO_CHOICE);
    keys(&s, "2K", 2000);
    assert_true(bt_panel_records_take(&s.records, &req));
    assert_true(req.undo);
    assert_int_equal(req.undo_index, 1);
    bt_panel_records_result(&s.records, true, 1);
    /* Xoá on the first step, or Huỷ, goes back to the panel; the timeout closes everything. */
    keys(&s, "KX", 2100);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    keys(&s, "1H", 2200);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    keys(&s, "1", 2300);
    assert_true(bt_panel_state_tick(&s, 2300 + 60000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tries_then_lockout),
        cmocka_unit_test(test_escape_does_not_reset_tries),
        cmocka_unit_test(test_pin_entry_times_out),
        cmocka_unit_test(test_wrong_tries_forgotten_after_quiet),
        cmocka_unit_test(test_quiet_counts_from_last_wrong_try),
        cmocka_unit_test(test_lockout_end_resets_tries_while_closed),
        cmocka_unit_test(test_clock_page_entry),
        cmocka_unit_test(test_proof_page),
        cmocka_unit_test(test_clock_page_refuses_what_does_not_exist),
        cmocka_unit_test(test_clock_page_times_out_and_needs_the_pin),
        cmocka_unit_test(test_approval_right_pin),
        cmocka_unit_test(test_approval_locks_after_wrong_pins),
        cmocka_unit_test(test_approval_times_out_or_is_refused),
        cmocka_unit_test(test_records_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
