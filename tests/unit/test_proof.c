/* Proof-of-play bookkeeping: showings and seconds per (playlist, notice, local day), driven by
 * the real rotation over a simulated hour, and showings that cross local midnight; then the
 * wall clock misbehaving under a running rotation (at 2000 then set right, +3 min and -1 day
 * jumps during a showing, 30 days of drift): never more seconds than the screen really showed,
 * never a day the box could not know. Video notices' plays (issue 15): whole or cut short,
 * driven by the real rotation with the kiosk's lateness, and each way a play can be cut. */
#include "bt_test_support.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_playlist.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_time.h"

#define NS 1000000000LL

/* A reading of a wall clock that runs in step with the monotonic one, trusted. */
static bt_proof_clock steady(bt_wall t)
{
    bt_proof_clock c = {t, (bt_mono_ns)t * NS, true};
    return c;
}

static bt_proof_clock reading(bt_wall wall, int64_t mono_seconds, bool trusted)
{
    bt_proof_clock c = {wall, (bt_mono_ns)mono_seconds * NS, trusted};
    return c;
}

static const bt_proof_row *find_flagged(const bt_proof *p, const char *playlist,
                                        const char *notice, bt_day day, bool untrusted)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->rows[i].day == day && p->rows[i].clock_untrusted == untrusted &&
            strcmp(p->rows[i].playlist_id, playlist) == 0 &&
            strcmp(p->rows[i].notice_id, notice) == 0)
            return &p->rows[i];
    return NULL;
}

static const bt_proof_row *find_row(const bt_proof *p, const char *playlist, const char *notice,
                                    bt_day day)
{
    return find_flagged(p, playlist, notice, day, false);
}

static void expect_flagged(const bt_proof *p, const char *playlist, const char *notice,
                           bt_day day, bool untrusted, int64_t shows, double seconds)
{
    const bt_proof_row *r = find_flagged(p, playlist, notice, day, untrusted);
    if (!r)
        fail_msg("no %s row for %s/%s on day %d", untrusted ? "flagged" : "trusted", playlist,
                 notice, (int)day);
    assert_int_equal(r->shows, shows);
    if (r->seconds != seconds)
        fail_msg("%s/%s on day %d: %.9f s, expected %.9f", playlist, notice, (int)day,
                 r->seconds, seconds);
}

static void expect_row(const bt_proof *p, const char *playlist, const char *notice, bt_day day,
                       int64_t shows, double seconds)
{
    expect_flagged(p, playlist, notice, day, false, shows, seconds);
}

/* Three notices of 20, 30 and 10 s: a 60 s cycle, so an hour holds exactly 60 of each. */
typedef struct {
    bt_playlist pl;
    bt_notice notices[3];
    char ids[3][8];
    char pl_id[8];
} three_notices;

static void three_init(three_notices *f)
{
    static const int durations[3] = {20, 30, 10};
    memset(f, 0, sizeof(*f));
    snprintf(f->pl_id, sizeof(f->pl_id), "cchc");
    f->pl.id = f->pl_id;
    f->pl.version = 1;
    f->pl.valid_from = BT_DAY_NONE_FROM;
    f->pl.valid_until = BT_DAY_NONE_UNTIL;
    f->pl.notices = f->notices;
    f->pl.notice_count = 3;
    for (size_t i = 0; i < 3; i++) {
        snprintf(f->ids[i], sizeof(f->ids[i]), "n%zu", i + 1);
        f->notices[i].id = f->ids[i];
        f->notices[i].duration_seconds = durations[i];
        f->notices[i].from_day = BT_DAY_NONE_FROM;
        f->notices[i].until_day = BT_DAY_NONE_UNTIL;
        f->notices[i].weekdays = BT_WEEKDAYS_ALL;
        f->notices[i].priority = BT_DEFAULT_PRIORITY;
    }
}

static const char *notice_id(const three_notices *f, size_t notice)
{
    return notice == BT_ROTATION_NONE ? NULL : f->notices[notice].id;
}

static void expect_hour_totals(const bt_proof *p, bt_day day)
{
    assert_int_equal(bt_proof_pending(p), 3);
    expect_row(p, "cchc", "n1", day, 60, 1200);
    expect_row(p, "cchc", "n2", day, 60, 1800);
    expect_row(p, "cchc", "n3", day, 60, 600);
}

static void test_hour_second_by_second(void **state)
{
    (void)state;
    three_notices f;
    three_init(&f);
    bt_proof p;
    bt_proof_init(&p);
    bt_wall start = bt_time_from_civil(2025, 11, 24, 9, 0, 0), end = start + 3600;
    /* The screen reports what it shows every second: repeats must not count as showings. */
    for (bt_wall t = start; t < end; t++) {
        bt_rotation_pick r = bt_rotation_at(&f.pl, t);
        assert_int_equal(bt_proof_show(&p, "cchc", notice_id(&f, r.notice), steady(t)), 0);
    }
    bt_proof_advance(&p, steady(end));
    expect_hour_totals(&p, bt_time_day_of(start));
    bt_proof_free(&p);
}

static void test_hour_at_next_change_only(void **state)
{
    (void)state;
    three_notices f;
    three_init(&f);
    bt_proof p;
    bt_proof_init(&p);
    bt_wall start = bt_time_from_civil(2025, 11, 24, 9, 0, 0), end = start + 3600;
    /* The kiosk sleeps until next_change: the same totals. */
    for (bt_wall t = start; t < end;) {
        bt_rotation_pick r = bt_rotation_at(&f.pl, t);
        assert_int_equal(bt_proof_show(&p, "cchc", notice_id(&f, r.notice), steady(t)), 0);
        t = r.next_change;
    }
    bt_proof_advance(&p, steady(end));
    expect_hour_totals(&p, bt_time_day_of(start));
    bt_proof_free(&p);
}

static void test_flushing_mid_showing_loses_nothing(void **state)
{
    (void)state;
    three_notices f;
    three_init(&f);
    bt_proof p;
    bt_proof_init(&p);
    bt_wall start = bt_time_from_civil(2025, 11, 24, 9, 0, 0), end = start + 3600;
    int64_t shows[3] = {0, 0, 0};
    double seconds[3] = {0, 0, 0};
    for (bt_wall t = start; t <= end; t++) {
        if ((t - start) % 47 == 0 || t == end) { /* flush at odd moments, mid-slide too */
            bt_proof_advance(&p, steady(t));
            for (size_t i = 0; i < p.count; i++) {
                int k = p.rows[i].notice_id[1] - '1';
                shows[k] += p.rows[i].shows;
                seconds[k] += p.rows[i].seconds;
            }
            bt_proof_clear_rows(&p);
            assert_int_equal(bt_proof_pending(&p), 0);
        }
        if (t < end)
            bt_proof_show(&p, "cchc", notice_id(&f, bt_rotation_at(&f.pl, t).notice), steady(t));
    }
    assert_int_equal(shows[0], 60);
    assert_int_equal(shows[1], 60);
    assert_int_equal(shows[2], 60);
    assert_true(seconds[0] == 1200);
    assert_true(seconds[1] == 1800);
    assert_true(seconds[2] == 600);
    bt_proof_free(&p);
}

static void test_repeat_show_is_not_a_new_showing(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 11, 24, 9, 0, 0);
    bt_day day = bt_time_day_of(t);
    assert_int_equal(bt_proof_show(&p, "pl", "a", steady(t)), 0);
    assert_int_equal(bt_proof_show(&p, "pl", "a", steady(t + 5)), 0);
    assert_int_equal(bt_proof_show(&p, "pl", "a", steady(t + 10)), 0);
    bt_proof_advance(&p, steady(t + 15));
    assert_int_equal(bt_proof_pending(&p), 1);
    expect_row(&p, "pl", "a", day, 1, 15);
    /* Another notice, then back: that is a new showing. */
    bt_proof_show(&p, "pl", "b", steady(t + 15));
    bt_proof_show(&p, "pl", "a", steady(t + 20));
    bt_proof_advance(&p, steady(t + 30));
    expect_row(&p, "pl", "a", day, 2, 25);
    expect_row(&p, "pl", "b", day, 1, 5);
    /* The same notice id in another playlist is another notice. */
    bt_proof_show(&p, "khac", "a", steady(t + 30));
    bt_proof_advance(&p, steady(t + 32));
    expect_row(&p, "pl", "a", day, 2, 25);
    expect_row(&p, "khac", "a", day, 1, 2);
    bt_proof_free(&p);
}

static void test_idle_records_nothing(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 11, 24, 9, 0, 0);
    bt_day day = bt_time_day_of(t);
    assert_int_equal(bt_proof_show(&p, "pl", NULL, steady(t)), 0);
    bt_proof_advance(&p, steady(t + 100));
    assert_int_equal(bt_proof_pending(&p), 0);

    bt_proof_show(&p, "pl", "a", steady(t + 100));
    bt_proof_show(&p, NULL, NULL, steady(t + 110)); /* idle screen from 110 on */
    bt_proof_advance(&p, steady(t + 500));
    bt_proof_show(&p, "pl", NULL, steady(t + 600));
    assert_int_equal(bt_proof_pending(&p), 1);
    expect_row(&p, "pl", "a", day, 1, 10);
    /* After idle the same notice again is a new showing. */
    bt_proof_show(&p, "pl", "a", steady(t + 700));
    bt_proof_advance(&p, steady(t + 703));
    expect_row(&p, "pl", "a", day, 2, 13);
    bt_proof_free(&p);
}

static void test_showing_across_midnight_splits_days(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 12, 31, 23, 59, 50);
    bt_day d1 = bt_time_day_of(t), d2 = d1 + 1;
    bt_proof_show(&p, "pl", "a", steady(t));
    bt_proof_show(&p, "pl", "b", steady(t + 30)); /* 00:00:20 on 01/01/2026 */
    bt_proof_advance(&p, steady(t + 35));
    assert_int_equal(bt_proof_pending(&p), 3);
    expect_row(&p, "pl", "a", d1, 1, 10); /* the showing counts on the day it began */
    expect_row(&p, "pl", "a", d2, 0, 20);
    expect_row(&p, "pl", "b", d2, 1, 5);
    assert_null(find_row(&p, "pl", "b", d1));

    /* Local midnight is 17:00 UTC: check the day really is the Vietnamese one. */
    char buf[16];
    assert_string_equal(bt_time_format_iso_day(d2, buf, sizeof(buf)), "2026-01-01");
    assert_int_equal(bt_time_day_start(d2), bt_time_from_civil(2026, 1, 1, 0, 0, 0));
    bt_proof_free(&p);
}

static void test_showing_over_several_days_and_flushes(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 11, 24, 12, 0, 0);
    bt_day day = bt_time_day_of(t);
    bt_proof_show(&p, "pl", "a", steady(t));
    bt_proof_advance(&p, steady(t + 3600));
    expect_row(&p, "pl", "a", day, 1, 3600);
    bt_proof_clear_rows(&p);
    /* Advancing again only adds what was not yet accounted, and the row has no new showing. */
    bt_proof_advance(&p, steady(t + 2 * 86400));
    assert_int_equal(bt_proof_pending(&p), 3);
    expect_row(&p, "pl", "a", day, 0, 12 * 3600 - 3600);
    expect_row(&p, "pl", "a", day + 1, 0, 86400);
    expect_row(&p, "pl", "a", day + 2, 0, 12 * 3600);
    /* A reading taken out of order (monotonic time going back) counts nothing twice. */
    bt_proof_clear_rows(&p);
    bt_proof_advance(&p, steady(t));
    assert_int_equal(bt_proof_pending(&p), 0);
    bt_proof_free(&p);
}

static void test_overlong_id_is_refused(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    char id[BT_MAX_ID_BYTES + 2];
    memset(id, 'x', sizeof(id) - 1);
    id[sizeof(id) - 1] = '\0';
    assert_int_equal(bt_proof_show(&p, "pl", id, steady(1000)), -1);
    assert_int_equal(bt_proof_pending(&p), 0);
    id[BT_MAX_ID_BYTES] = '\0'; /* exactly the limit is fine */
    assert_int_equal(bt_proof_show(&p, "pl", id, steady(1000)), 0);
    bt_proof_advance(&p, steady(1004));
    expect_row(&p, "pl", id, bt_time_day_of(1000), 1, 4);
    bt_proof_free(&p);
}

/* ---- a wall clock that misbehaves ------------------------------------------------------------
 * The kiosk's loop replayed in real seconds r (the monotonic clock is the truth): it reads the
 * wall clock, asks the rotation what to show at that wall time, tells proof when the notice
 * changes, and flushes every 60 s. A world says what the wall clock reads at r and whether the
 * kiosk's clock check believes it (after a jump the kiosk checks again before telling proof). */
typedef struct world world;
struct world {
    bt_wall truth;        /* the real local time at r = 0 */
    bt_wall (*wall_at)(const world *w, int64_t r);
    bool (*trusted_at)(const world *w, int64_t r);
    int64_t change_at;    /* real second at which the wall clock is set, jumps or starts */
    int64_t change_by;    /* seconds it jumps by */
};

/* What all the flushed rows add up to. Days are kept relative to the real first day. */
#define DAYS_KEPT 40
typedef struct {
    double seconds, trusted, flagged, unknown_day;
    int64_t shows;
    size_t rows;
    bt_day first_day, last_day;     /* over rows with a known day */
    double per_day[DAYS_KEPT];      /* seconds per day from the real first day on */
    bool day_out_of_range;          /* a row before the real first day or far after */
} totals;

static void collect(bt_proof *p, bt_day real_first_day, totals *t)
{
    for (size_t i = 0; i < p->count; i++) {
        const bt_proof_row *r = &p->rows[i];
        t->seconds += r->seconds;
        t->shows += r->shows;
        t->rows++;
        if (r->clock_untrusted)
            t->flagged += r->seconds;
        else
            t->trusted += r->seconds;
        if (r->day == BT_PROOF_DAY_UNKNOWN) {
            assert_true(r->clock_untrusted); /* only a flagged row may lack a day */
            t->unknown_day += r->seconds;
            continue;
        }
        if (t->rows == 1 || r->day < t->first_day)
            t->first_day = r->day;
        if (t->rows == 1 || r->day > t->last_day)
            t->last_day = r->day;
        int64_t k = (int64_t)r->day - real_first_day;
        if (k < 0 || k >= DAYS_KEPT)
            t->day_out_of_range = true;
        else
            t->per_day[k] += r->seconds;
    }
    bt_proof_clear_rows(p);
}

/* Runs the kiosk's loop for `seconds` real seconds, turning every `turn` seconds at most. */
static void run_world(const world *w, int64_t seconds, int64_t turn, totals *t)
{
    three_notices f;
    three_init(&f);
    bt_proof p;
    bt_proof_init(&p);
    memset(t, 0, sizeof(*t));
    bt_day first_day = bt_time_day_of(w->truth);
    size_t shown = BT_ROTATION_NONE;
    bool first = true;
    int64_t next_flush = 60;
    for (int64_t r = 0;; ) {
        bt_proof_clock c = reading(w->wall_at(w, r), r, w->trusted_at(w, r));
        if (r >= seconds) {
            assert_int_equal(bt_proof_show(&p, NULL, NULL, c), 0); /* the kiosk stops */
            collect(&p, first_day, t);
            break;
        }
        bt_rotation_pick pick = bt_rotation_at(&f.pl, c.wall);
        if (first || pick.notice != shown) {
            assert_int_equal(bt_proof_show(&p, "cchc", notice_id(&f, pick.notice), c), 0);
            shown = pick.notice;
            first = false;
        }
        if (r >= next_flush) {
            bt_proof_advance(&p, c);
            collect(&p, first_day, t);
            next_flush = r + 60;
        }
        int64_t step = pick.next_change - c.wall;
        if (step < 1 || step > turn)
            step = step < 1 ? 1 : turn;
        if (r < w->change_at && r + step > w->change_at)
            step = w->change_at - r; /* the kiosk turns at least once a second: it sees it */
        r = r + step > seconds ? seconds : r + step;
    }
    bt_proof_free(&p);
}

/* Seconds on any one day never exceed the day, and no more seconds than were really shown. */
static void expect_sane(const totals *t, int64_t real_seconds)
{
    assert_true(t->seconds <= (double)real_seconds);
    for (size_t k = 0; k < DAYS_KEPT; k++)
        assert_true(t->per_day[k] <= BT_SECONDS_PER_DAY);
    assert_false(t->day_out_of_range);
}

static bt_wall wall_boots_at_2000(const world *w, int64_t r)
{
    /* The RTC's battery is flat: 01/01/2000 until staff set the time at change_at. */
    return r < w->change_at ? bt_time_from_civil(2000, 1, 1, 0, 0, 0) + r : w->truth + r;
}

static bool trusted_after_change(const world *w, int64_t r)
{
    return r >= w->change_at;
}

static bool trusted_before_change(const world *w, int64_t r)
{
    return r < w->change_at;
}

static bool always_trusted(const world *w, int64_t r)
{
    (void)w;
    (void)r;
    return true;
}

static bt_wall wall_jumps(const world *w, int64_t r)
{
    return w->truth + r + (r >= w->change_at ? w->change_by : 0);
}

static void test_clock_at_2000_then_set_right(void **state)
{
    (void)state;
    /* The case that once gave 9 843 rows and 236 075 hours: set right 8 s after start. */
    world w = {bt_time_from_civil(2026, 3, 10, 9, 0, 5), wall_boots_at_2000, trusted_after_change,
               8, 0};
    totals t;
    run_world(&w, 3600, 1, &t);
    expect_sane(&t, 3600);
    assert_true(t.seconds == 3600);          /* every real second, once */
    assert_true(t.unknown_day == 0);         /* looked back from the set clock: the real day */
    assert_int_equal(t.first_day, bt_time_day_of(w.truth));
    assert_int_equal(t.last_day, bt_time_day_of(w.truth));
    assert_true(t.flagged > 0 && t.flagged <= 30); /* only the showing the clock was set in */
    assert_true(t.rows <= 3 * 2 * 60);       /* per notice, flag and flush: no row per day */
}

static void test_clock_at_2000_never_set(void **state)
{
    (void)state;
    world w = {bt_time_from_civil(2026, 3, 10, 9, 0, 0), wall_boots_at_2000, trusted_after_change,
               INT64_MAX, 0};
    totals t;
    run_world(&w, 600, 1, &t);
    /* Counted (the screen showed), flagged, and on no day: not on 01/01/2000. */
    assert_true(t.seconds == 600);
    assert_true(t.flagged == 600);
    assert_true(t.unknown_day == 600);
    assert_true(t.shows > 0);
}

static void test_forward_3_minutes_during_a_showing(void **state)
{
    (void)state;
    /* 09:00:30 falls inside the 30 s notice (20..50 of each minute); the kiosk still trusts
     * the clock afterwards (a forward step is how a clock is set right). */
    world w = {bt_time_from_civil(2026, 3, 10, 9, 0, 0), wall_jumps, always_trusted, 30, 180};
    totals t;
    run_world(&w, 3600, 1, &t);
    expect_sane(&t, 3600);
    assert_true(t.seconds == 3600);
    assert_true(t.flagged > 0 && t.flagged <= 30); /* the showing the jump fell in */
    assert_true(t.unknown_day == 0);
    assert_int_equal(t.first_day, bt_time_day_of(w.truth));
    assert_int_equal(t.last_day, bt_time_day_of(w.truth));
}

static void test_back_one_day_during_a_showing(void **state)
{
    (void)state;
    /* Set back a day at 09:00:30; the kiosk then no longer trusts it (behind the airing log):
     * the time goes on counting, flagged, on the day it really was. */
    world w = {bt_time_from_civil(2026, 3, 10, 9, 0, 0), wall_jumps, trusted_before_change, 30,
               -BT_SECONDS_PER_DAY};
    totals t;
    run_world(&w, 3600, 1, &t);
    expect_sane(&t, 3600);
    assert_true(t.seconds == 3600);
    assert_true(t.trusted <= 30);
    assert_true(t.flagged >= 3600 - 30);
    assert_true(t.unknown_day == 0);
    assert_int_equal(t.first_day, bt_time_day_of(w.truth)); /* nothing on the day before */
    assert_int_equal(t.last_day, bt_time_day_of(w.truth));
}

static bt_wall wall_gains_a_second_a_day(const world *w, int64_t r)
{
    return w->truth + r + r / BT_SECONDS_PER_DAY;
}

static void test_thirty_days_of_drift(void **state)
{
    (void)state;
    world w = {bt_time_from_civil(2026, 3, 1, 12, 0, 0), wall_gains_a_second_a_day, always_trusted,
               INT64_MAX, 0};
    int64_t real = 30LL * BT_SECONDS_PER_DAY;
    totals t;
    run_world(&w, real, 60, &t);
    expect_sane(&t, real);
    assert_true(t.seconds == (double)real);
    assert_true(t.flagged == 0); /* a second a day never looks like a jump */
    bt_day d0 = bt_time_day_of(w.truth);
    assert_int_equal(t.first_day, d0);
    assert_int_equal(t.last_day, d0 + 30);
    for (int k = 1; k < 30; k++) /* whole days in between: the day, give or take the drift */
        assert_true(t.per_day[k] > BT_SECONDS_PER_DAY - 60 && t.per_day[k] <= BT_SECONDS_PER_DAY);
}

static void test_untrusted_time_is_placed_from_the_last_trusted_reading(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 12, 31, 23, 59, 50);
    bt_day d = bt_time_day_of(t);
    bt_proof_show(&p, "pl", "a", reading(t, 0, true));
    /* 30 s later the wall clock reads a day earlier and is not trusted: the 30 s are placed
     * from 23:59:50 on by the monotonic clock, split at the real midnight, and flagged. */
    bt_proof_advance(&p, reading(t - BT_SECONDS_PER_DAY + 30, 30, false));
    assert_int_equal(bt_proof_pending(&p), 2);
    expect_flagged(&p, "pl", "a", d, true, 1, 10);
    expect_flagged(&p, "pl", "a", d + 1, true, 0, 20);
    /* Set right (trusted again, jumped): looked back from it. */
    bt_proof_clear_rows(&p);
    bt_proof_advance(&p, reading(t + 40, 40, true));
    assert_int_equal(bt_proof_pending(&p), 1);
    expect_flagged(&p, "pl", "a", d + 1, true, 0, 10);
    /* Then steady: plain rows again. */
    bt_proof_clear_rows(&p);
    bt_proof_advance(&p, reading(t + 45, 45, true));
    expect_row(&p, "pl", "a", d + 1, 0, 5);
    assert_int_equal(bt_proof_pending(&p), 1);
    bt_proof_free(&p);
}

static void test_fractions_of_a_second_add_up(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 11, 24, 9, 0, 0);
    bt_proof_clock c = {t, 5 * NS, true};
    bt_proof_show(&p, "pl", "a", c);
    c.mono += NS / 4; /* a quarter of a second later, the wall clock still reads t */
    bt_proof_show(&p, "pl", "b", c);
    c.wall += 1;
    c.mono += NS;
    bt_proof_advance(&p, c);
    expect_row(&p, "pl", "a", bt_time_day_of(t), 1, 0.25);
    expect_row(&p, "pl", "b", bt_time_day_of(t), 1, 1.0);
    bt_proof_free(&p);
}

/* The panel's figures (issue 14): today, the month up to today, and the last day shown, per
 * notice of the playlist; other playlists, flagged rows and days after today are left out. */
static void row_of(bt_proof_row *r, const char *playlist, const char *notice, bt_day day,
                   int64_t shows, double seconds, bool untrusted)
{
    memset(r, 0, sizeof *r);
    snprintf(r->playlist_id, sizeof r->playlist_id, "%s", playlist);
    snprintf(r->notice_id, sizeof r->notice_id, "%s", notice);
    r->day = day;
    r->shows = shows;
    r->seconds = seconds;
    r->clock_untrusted = untrusted;
}

static void test_tally_for_the_panel(void **state)
{
    (void)state;
    bt_day today = bt_time_day_from_ymd(2026, 12, 7);
    bt_proof_row rows[8];
    row_of(&rows[0], "p", "a", today, 48, 720, false);
    row_of(&rows[1], "p", "a", today - 1, 100, 1500, false);
    row_of(&rows[2], "p", "a", bt_time_day_from_ymd(2026, 11, 30), 90, 1350, false); /* Nov */
    row_of(&rows[3], "p", "b", bt_time_day_from_ymd(2026, 11, 20), 5, 60, false);
    row_of(&rows[4], "other", "a", today, 999, 9999, false);
    row_of(&rows[5], "p", "a", today, 7, 70, true); /* untrusted clock: not counted */
    row_of(&rows[6], "p", "a", today + 1, 3, 30, false);  /* after today */
    row_of(&rows[7], "p", "b", bt_time_day_from_ymd(2026, 12, 2), 0, 0, false);
    const char *ids[] = {"a", "b", "c"};
    bt_proof_tally t[3];
    bt_proof_tally_notices(rows, 8, "p", ids, 3, today, t);
    assert_int_equal(t[0].shows_today, 48);
    assert_true(t[0].seconds_today == 720);
    assert_int_equal(t[0].shows_month, 148);
    assert_true(t[0].seconds_month == 2220);
    assert_int_equal(t[0].last_day, today);
    assert_int_equal(t[1].shows_today, 0);
    assert_int_equal(t[1].shows_month, 0);
    assert_int_equal(t[1].last_day, bt_time_day_from_ymd(2026, 11, 20)); /* a row of 0 shows */
    assert_int_equal(t[2].shows_month, 0);
    assert_int_equal(t[2].last_day, BT_PROOF_NEVER);
}

/* ---- video plays (issue 15) ----------------------------------------------------------------- */

static void expect_video(const bt_proof *p, const char *notice, bt_day day, bool untrusted,
                         int64_t whole, int64_t cut)
{
    const bt_proof_row *r = find_flagged(p, "pl", notice, day, untrusted);
    if (!r)
        fail_msg("no row for %s on day %d", notice, (int)day);
    if (r->video_whole != whole || r->video_cut != cut)
        fail_msg("%s on day %d: %lld whole, %lld cut; expected %lld, %lld", notice, (int)day,
                 (long long)r->video_whole, (long long)r->video_cut, (long long)whole,
                 (long long)cut);
}

/* A 6.02 s clip (AAC priming) gets a 6 s slot beside a 10 s image; the kiosk sees every change
 * 40 ms late, as its loop does. An hour: 225 plays of the clip, all whole; with `duration = 4`
 * all 225 cut short. The image never counts a play. */
static void run_video_hour(int video_seconds, int64_t *whole, int64_t *cut, int64_t *image_plays)
{
    bt_playlist pl;
    bt_notice n[2];
    bt_playlist_init(&pl);
    memset(n, 0, sizeof n);
    pl.id = (char *)"pl";
    pl.version = 1;
    pl.valid_from = BT_DAY_NONE_FROM;
    pl.valid_until = BT_DAY_NONE_UNTIL;
    pl.notices = n;
    pl.notice_count = 2;
    const char *ids[2] = {"clip", "anh"};
    for (size_t i = 0; i < 2; i++) {
        n[i].id = (char *)(uintptr_t)ids[i];
        n[i].from_day = BT_DAY_NONE_FROM;
        n[i].until_day = BT_DAY_NONE_UNTIL;
        n[i].weekdays = BT_WEEKDAYS_ALL;
        n[i].priority = BT_DEFAULT_PRIORITY;
    }
    n[0].kind = BT_NOTICE_VIDEO;
    n[0].video_ms = 6020;
    n[0].duration_seconds = video_seconds;
    n[1].kind = BT_NOTICE_IMAGE;
    n[1].duration_seconds = 10;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t0 = bt_time_from_civil(2025, 11, 24, 9, 0, 0);
    int cycle = video_seconds + 10, cycles = 3600 / cycle;
    size_t shown = BT_ROTATION_NONE;
    /* Start at a cycle's beginning (the rotation is anchored to local midnight). */
    bt_wall start = t0 - t0 % cycle;
    for (bt_wall t = start; t < start + (bt_wall)cycles * cycle; t++) {
        bt_rotation_pick pick = bt_rotation_at(&pl, t);
        if (pick.notice == shown)
            continue;
        bt_proof_clock c = {t, (bt_mono_ns)t * NS + 40000000, true};
        assert_int_equal(bt_proof_show(&p, "pl", pick.notice == BT_ROTATION_NONE
                                                     ? NULL : n[pick.notice].id, c), 0);
        if (pick.notice != BT_ROTATION_NONE && n[pick.notice].kind == BT_NOTICE_VIDEO)
            bt_proof_video(&p, n[pick.notice].video_ms);
        shown = pick.notice;
    }
    bt_proof_clock end = {start + (bt_wall)cycles * cycle,
                          (bt_mono_ns)(start + (bt_wall)cycles * cycle) * NS + 40000000, true};
    bt_proof_show(&p, NULL, NULL, end);
    *whole = *cut = *image_plays = 0;
    for (size_t i = 0; i < p.count; i++) {
        if (strcmp(p.rows[i].notice_id, "clip") == 0) {
            *whole += p.rows[i].video_whole;
            *cut += p.rows[i].video_cut;
            assert_int_equal(p.rows[i].shows, cycles);
        } else {
            *image_plays += p.rows[i].video_whole + p.rows[i].video_cut;
        }
    }
    bt_proof_free(&p);
}

static void test_video_plays_in_the_rotation(void **state)
{
    (void)state;
    int64_t whole, cut, image;
    run_video_hour(6, &whole, &cut, &image);
    assert_int_equal(whole, 3600 / 16);
    assert_int_equal(cut, 0);
    assert_int_equal(image, 0);
    run_video_hour(4, &whole, &cut, &image);
    assert_int_equal(whole, 0);
    assert_int_equal(cut, 3600 / 14);
    assert_int_equal(image, 0);
}

/* Every way a play ends early counts it cut short, on the day it began; loop counts one whole
 * play however many times the clip ran; a repeated mark or a reshow changes nothing. */
static void test_video_cut_short(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 11, 24, 9, 0, 0);
    bt_day day = bt_time_day_of(t);
    /* Whole: 40 s of a 40 s clip, marked twice and shown again without a change meanwhile. */
    bt_proof_show(&p, "pl", "v", steady(t));
    bt_proof_video(&p, 40000);
    bt_proof_show(&p, "pl", "v", steady(t + 10));
    bt_proof_video(&p, 40000);
    bt_proof_video(&p, 5000); /* the showing's clip is set once */
    bt_proof_show(&p, "pl", "a", steady(t + 40));
    expect_video(&p, "v", day, false, 1, 0);
    /* The screen sleeps 12 s into it. */
    bt_proof_show(&p, "pl", "v", steady(t + 100));
    bt_proof_video(&p, 40000);
    bt_proof_show(&p, NULL, NULL, steady(t + 112));
    expect_video(&p, "v", day, false, 1, 1);
    /* The kiosk starts (or wakes) 30 s into the clip's slot: 10 s shown. */
    bt_proof_show(&p, "pl", "v", steady(t + 200));
    bt_proof_video(&p, 40000);
    bt_proof_show(&p, "pl", "a", steady(t + 210));
    expect_video(&p, "v", day, false, 1, 2);
    /* loop: 120 s of a 40 s clip is one whole play. */
    bt_proof_show(&p, "pl", "v", steady(t + 300));
    bt_proof_video(&p, 40000);
    bt_proof_show(&p, "pl", "a", steady(t + 420));
    expect_video(&p, "v", day, false, 2, 2);
    assert_int_equal(find_row(&p, "pl", "v", day)->shows, 4);
    assert_int_equal(find_row(&p, "pl", "a", day)->video_whole +
                         find_row(&p, "pl", "a", day)->video_cut, 0);
    /* Not open, or no clip: nothing to mark. */
    bt_proof_show(&p, NULL, NULL, steady(t + 500));
    bt_proof_video(&p, 40000);
    bt_proof_show(&p, "pl", "v", steady(t + 600));
    bt_proof_video(&p, 0);
    bt_proof_show(&p, "pl", "a", steady(t + 700));
    expect_video(&p, "v", day, false, 2, 2);
    bt_proof_free(&p);
}

/* A play that begins before midnight and ends after, flushed in between: it counts on the first
 * day, on a row that holds only the play (the showing and its seconds went out already). A play
 * under a clock that is not trusted counts on its flagged row. */
static void test_video_play_across_midnight_and_a_flush(void **state)
{
    (void)state;
    bt_proof p;
    bt_proof_init(&p);
    bt_wall t = bt_time_from_civil(2025, 12, 31, 23, 59, 40);
    bt_day d1 = bt_time_day_of(t);
    bt_proof_show(&p, "pl", "v", steady(t));
    bt_proof_video(&p, 30000);
    bt_proof_advance(&p, steady(t + 10));
    expect_video(&p, "v", d1, false, 0, 0);
    bt_proof_clear_rows(&p); /* flushed to the store */
    bt_proof_show(&p, "pl", "a", steady(t + 30));
    expect_flagged(&p, "pl", "v", d1, false, 0, 10);
    expect_video(&p, "v", d1, false, 1, 0);
    expect_flagged(&p, "pl", "v", d1 + 1, false, 0, 10);
    expect_video(&p, "v", d1 + 1, false, 0, 0);

    bt_proof_free(&p);

    bt_proof_init(&p);
    bt_proof_show(&p, "pl", "v", reading(0, 1000, false)); /* clock at 1970, never trusted yet */
    bt_proof_video(&p, 30000);
    bt_proof_show(&p, "pl", "a", reading(5, 1035, false));
    expect_flagged(&p, "pl", "v", BT_PROOF_DAY_UNKNOWN, true, 1, 35);
    expect_video(&p, "v", BT_PROOF_DAY_UNKNOWN, true, 1, 0);
    bt_proof_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hour_second_by_second),
        cmocka_unit_test(test_hour_at_next_change_only),
        cmocka_unit_test(test_flushing_mid_showing_loses_nothing),
        cmocka_unit_test(test_repeat_show_is_not_a_new_showing),
        cmocka_unit_test(test_idle_records_nothing),
        cmocka_unit_test(test_showing_across_midnight_splits_days),
        cmocka_unit_test(test_showing_over_several_days_and_flushes),
        cmocka_unit_test(test_overlong_id_is_refused),
        cmocka_unit_test(test_clock_at_2000_then_set_right),
        cmocka_unit_test(test_clock_at_2000_never_set),
        cmocka_unit_test(test_forward_3_minutes_during_a_showing),
        cmocka_unit_test(test_back_one_day_during_a_showing),
        cmocka_unit_test(test_thirty_days_of_drift),
        cmocka_unit_test(test_untrusted_time_is_placed_from_the_last_trusted_reading),
        cmocka_unit_test(test_fractions_of_a_second_add_up),
        cmocka_unit_test(test_tally_for_the_panel),
        cmocka_unit_test(test_video_plays_in_the_rotation),
        cmocka_unit_test(test_video_cut_short),
        cmocka_unit_test(test_video_play_across_midnight_and_a_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
