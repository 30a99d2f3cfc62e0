/* Rotation at chosen instants: date ranges, weekdays, hours, priority, urgent preemption,
 * playlist validity, notices whose file is missing, the midnight-anchored cycle and next_change.
 * Playlists are built in C so these tests depend on the rotation rules only, not on the
 * parser. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_playlist.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_time.h"

#define FX_MAX_NOTICES 8

typedef struct {
    bt_playlist pl;
    bt_notice notices[FX_MAX_NOTICES];
    char ids[FX_MAX_NOTICES][16];
    char pl_id[16];
    char pl_title[16];
} fixture;

static void fx_init(fixture *f)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->pl_id, sizeof(f->pl_id), "thu-nghiem");
    snprintf(f->pl_title, sizeof(f->pl_title), "Thử nghiệm");
    f->pl.id = f->pl_id;
    f->pl.title = f->pl_title;
    f->pl.version = 1;
    f->pl.valid_from = BT_DAY_NONE_FROM;
    f->pl.valid_until = BT_DAY_NONE_UNTIL;
    f->pl.notices = f->notices;
}

static bt_notice *fx_add(fixture *f, const char *id, int duration, int priority)
{
    assert_true(f->pl.notice_count < FX_MAX_NOTICES);
    size_t i = f->pl.notice_count++;
    bt_notice *n = &f->notices[i];
    snprintf(f->ids[i], sizeof(f->ids[i]), "%s", id);
    n->id = f->ids[i];
    n->kind = BT_NOTICE_TEXT;
    n->title = f->ids[i];
    n->duration_seconds = duration;
    n->from_day = BT_DAY_NONE_FROM;
    n->until_day = BT_DAY_NONE_UNTIL;
    n->weekdays = BT_WEEKDAYS_ALL;
    n->priority = priority;
    n->line = (int)i + 1;
    return n;
}

static void add_span(bt_notice *n, int h1, int m1, int h2, int m2)
{
    assert_true(n->hour_count < BT_MAX_HOUR_SPANS);
    n->hours[n->hour_count].start_minute = (int16_t)(h1 * 60 + m1);
    n->hours[n->hour_count].end_minute = (int16_t)(h2 * 60 + m2);
    n->hour_count++;
}

/* Local (UTC+7) civil time. */
static bt_wall at(int y, int mo, int d, int h, int mi, int s)
{
    return bt_time_from_civil(y, mo, d, h, mi, s);
}

/* 24/11/2025 is a Monday. */
static bt_wall mon(int h, int mi, int s)
{
    return at(2025, 11, 24, h, mi, s);
}

static void expect_pick(const bt_playlist *p, bt_wall t, size_t notice, bt_wall since,
                        bt_wall next_change)
{
    bt_rotation_pick r = bt_rotation_at(p, t);
    assert_int_equal(r.notice, notice);
    assert_int_equal(r.shown_since, since);
    assert_int_equal(r.next_change, next_change);
}

static void test_null_playlist_idles_minute_by_minute(void **state)
{
    (void)state;
    bt_rotation_pick r = bt_rotation_at(NULL, mon(9, 0, 30));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.eligible, 0);
    assert_false(r.urgent);
    assert_int_equal(r.next_change, mon(9, 1, 0));
    assert_int_equal(bt_rotation_at(NULL, mon(9, 1, 0)).next_change, mon(9, 2, 0));
    assert_int_equal(bt_rotation_at(NULL, mon(23, 59, 59)).next_change, at(2025, 11, 25, 0, 0, 0));
}

static void test_empty_playlist_idles_until_midnight(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(9, 0, 30));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.eligible, 0);
    assert_int_equal(r.next_change, at(2025, 11, 25, 0, 0, 0));
}

static void test_cycle_is_anchored_at_midnight(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "a", 20, 5);
    fx_add(&f, "b", 30, 5);
    fx_add(&f, "c", 17, 5); /* cycle of 67 s: does not divide a minute, an hour or a day */

    expect_pick(&f.pl, mon(0, 0, 0), 0, mon(0, 0, 0), mon(0, 0, 20));
    expect_pick(&f.pl, mon(0, 0, 19), 0, mon(0, 0, 0), mon(0, 0, 20));
    expect_pick(&f.pl, mon(0, 0, 20), 1, mon(0, 0, 20), mon(0, 0, 50));
    expect_pick(&f.pl, mon(0, 1, 6), 2, mon(0, 0, 50), mon(0, 1, 7));
    expect_pick(&f.pl, mon(0, 1, 7), 0, mon(0, 1, 7), mon(0, 1, 27));
    /* 09:00 is 32400 s after midnight; 32400 mod 67 = 39, inside b (20..50). */
    expect_pick(&f.pl, mon(9, 0, 0), 1, mon(8, 59, 41), mon(9, 0, 11));
    /* 86399 mod 67 = 36: b would run to 00:00:14, but the cycle restarts at midnight. */
    expect_pick(&f.pl, mon(23, 59, 59), 1, mon(23, 59, 43), at(2025, 11, 25, 0, 0, 0));
    expect_pick(&f.pl, at(2025, 11, 25, 0, 0, 0), 0, at(2025, 11, 25, 0, 0, 0),
                at(2025, 11, 25, 0, 0, 20));
    assert_int_equal(bt_rotation_at(&f.pl, mon(12, 0, 0)).eligible, 3);
}

static void test_priority_high_first_then_file_order(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "thap", 10, 3);
    fx_add(&f, "cao", 10, 9);
    fx_add(&f, "vua-1", 10, 5);
    fx_add(&f, "vua-2", 10, 5);
    /* Order: cao, vua-1, vua-2, thap; 09:00 is a multiple of the 40 s cycle. */
    assert_int_equal(bt_rotation_at(&f.pl, mon(9, 0, 0)).notice, 1);
    assert_int_equal(bt_rotation_at(&f.pl, mon(9, 0, 10)).notice, 2);
    assert_int_equal(bt_rotation_at(&f.pl, mon(9, 0, 20)).notice, 3);
    assert_int_equal(bt_rotation_at(&f.pl, mon(9, 0, 30)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, mon(9, 0, 40)).notice, 1);
}

static void test_date_range_is_inclusive(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    bt_notice *a = fx_add(&f, "thang-11", 20, 5);
    a->from_day = bt_time_day_from_ymd(2025, 11, 1);
    a->until_day = bt_time_day_from_ymd(2025, 11, 30);

    /* Alone and out of range: idle until the range opens at midnight. */
    bt_rotation_pick r = bt_rotation_at(&f.pl, at(2025, 10, 31, 12, 0, 0));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.next_change, at(2025, 11, 1, 0, 0, 0));
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 11, 1, 0, 0, 0)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 11, 30, 23, 59, 59)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 11, 30, 23, 59, 59)).next_change,
                     at(2025, 12, 1, 0, 0, 0));
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 12, 1, 0, 0, 0)).notice, BT_ROTATION_NONE);

    fx_add(&f, "luon-luon", 10, 5);
    assert_int_equal(bt_rotation_at(&f.pl, mon(12, 0, 0)).eligible, 2);
    r = bt_rotation_at(&f.pl, at(2025, 12, 1, 12, 0, 0));
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.notice, 1);
}

static void test_weekdays(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "ngay-thuong", 20, 5)->weekdays = 0x1F; /* T2-T6 */
    fx_add(&f, "chu-nhat", 20, 5)->weekdays = 0x40;    /* CN */

    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(10, 0, 0));
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.notice, 0);
    r = bt_rotation_at(&f.pl, at(2025, 11, 28, 10, 0, 0)); /* Friday */
    assert_int_equal(r.notice, 0);
    r = bt_rotation_at(&f.pl, at(2025, 11, 29, 10, 0, 0)); /* Saturday: nobody */
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.eligible, 0);
    assert_int_equal(r.next_change, at(2025, 11, 30, 0, 0, 0));
    assert_int_equal(r.shown_since, at(2025, 11, 29, 0, 0, 0));
    r = bt_rotation_at(&f.pl, at(2025, 11, 30, 10, 0, 0)); /* Sunday */
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.notice, 1);
}

static void test_hours_spans(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    bt_notice *a = fx_add(&f, "gio-lam-viec", 17, 5);
    add_span(a, 7, 30, 11, 30);
    add_span(a, 13, 30, 17, 0);

    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(6, 0, 0));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.shown_since, mon(0, 0, 0));
    assert_int_equal(r.next_change, mon(7, 30, 0));
    assert_int_equal(bt_rotation_at(&f.pl, mon(7, 29, 59)).notice, BT_ROTATION_NONE);
    /* 07:30 is 27000 s, 27000 mod 17 = 4: the formula's slide began at 07:29:56, but the notice
     * was not on screen before 07:30. */
    expect_pick(&f.pl, mon(7, 30, 0), 0, mon(7, 30, 0), mon(7, 30, 13));
    expect_pick(&f.pl, mon(7, 30, 12), 0, mon(7, 30, 0), mon(7, 30, 13));
    expect_pick(&f.pl, mon(7, 30, 13), 0, mon(7, 30, 13), mon(7, 30, 30));
    assert_int_equal(bt_rotation_at(&f.pl, mon(11, 29, 59)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, mon(11, 29, 59)).next_change, mon(11, 30, 0));
    expect_pick(&f.pl, mon(11, 30, 0), BT_ROTATION_NONE, mon(11, 30, 0), mon(13, 30, 0));
    expect_pick(&f.pl, mon(12, 15, 7), BT_ROTATION_NONE, mon(11, 30, 0), mon(13, 30, 0));
    assert_int_equal(bt_rotation_at(&f.pl, mon(13, 30, 0)).notice, 0);
    expect_pick(&f.pl, mon(17, 0, 0), BT_ROTATION_NONE, mon(17, 0, 0), at(2025, 11, 25, 0, 0, 0));

    /* A slide that would run past a span edge ends there: b alone has 7 s slides, and at 07:29:59
     * (26999 mod 7 = 0) a new one would end at 07:30:06, but a joins the rotation at 07:30. */
    fx_add(&f, "luon-luon", 7, 5);
    expect_pick(&f.pl, mon(7, 29, 59), 1, mon(7, 29, 59), mon(7, 30, 0));
    assert_int_equal(bt_rotation_at(&f.pl, mon(7, 29, 59)).eligible, 1);
    assert_int_equal(bt_rotation_at(&f.pl, mon(7, 30, 0)).eligible, 2);
}

static void test_span_to_midnight(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    add_span(fx_add(&f, "toi", 20, 5), 22, 0, 24, 0);
    assert_int_equal(bt_rotation_at(&f.pl, mon(21, 59, 59)).notice, BT_ROTATION_NONE);
    assert_int_equal(bt_rotation_at(&f.pl, mon(21, 59, 59)).next_change, mon(22, 0, 0));
    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(23, 59, 59));
    assert_int_equal(r.notice, 0);
    assert_int_equal(r.next_change, at(2025, 11, 25, 0, 0, 0));
    r = bt_rotation_at(&f.pl, at(2025, 11, 25, 0, 0, 0));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.next_change, at(2025, 11, 25, 22, 0, 0));
}

static void test_urgent_preempts_then_rotation_resumes(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "thuong", 25, 5);                  /* 0 */
    fx_add(&f, "quan-trong", 33, 9);              /* 1; normal cycle: 1 (0..33), 0 (33..58) */
    bt_notice *u = fx_add(&f, "khan", 15, 5);     /* 2 */
    u->urgent = true;
    add_span(u, 10, 0, 10, 5);
    bt_notice *u2 = fx_add(&f, "khan-hon", 10, 9); /* 3 */
    u2->urgent = true;
    add_span(u2, 10, 0, 10, 2);
    bt_notice *late = fx_add(&f, "trong-gio-khan", 10, 9); /* 4: not urgent, in time 10:00-10:10 */
    add_span(late, 10, 0, 10, 10);

    /* 09:59:55: 35995 mod 58 = 35 → "thuong" (33..58) until 10:00:18, cut at 10:00. */
    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(9, 59, 55));
    assert_int_equal(r.notice, 0);
    assert_false(r.urgent);
    assert_int_equal(r.eligible, 2);
    assert_int_equal(r.shown_since, mon(9, 59, 53));
    assert_int_equal(r.next_change, mon(10, 0, 0));

    /* 10:00: both urgent notices, and only them, higher priority first: cycle 3 (10) + 2 (15). */
    r = bt_rotation_at(&f.pl, mon(10, 0, 0));
    assert_true(r.urgent);
    assert_int_equal(r.eligible, 2);
    assert_int_equal(r.notice, 3);
    assert_int_equal(r.shown_since, mon(10, 0, 0));
    assert_int_equal(r.next_change, mon(10, 0, 10));
    assert_int_equal(bt_rotation_at(&f.pl, mon(10, 0, 10)).notice, 2);

    /* 10:02 on: "khan" alone; 36120 mod 15 = 0. */
    r = bt_rotation_at(&f.pl, mon(10, 2, 0));
    assert_true(r.urgent);
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.notice, 2);
    assert_int_equal(r.next_change, mon(10, 2, 15));
    assert_int_equal(bt_rotation_at(&f.pl, mon(10, 4, 59)).next_change, mon(10, 5, 0));

    /* 10:05: the normal rotation (now with "trong-gio-khan") resumes where the midnight-anchored
     * cycle stands, as if the urgent notices had never been there. Order 1 (33), 4 (10), 0 (25),
     * cycle 68; 36300 mod 68 = 56 → "thuong" (43..68), slide began before 10:05 in the formula. */
    r = bt_rotation_at(&f.pl, mon(10, 5, 0));
    assert_false(r.urgent);
    assert_int_equal(r.eligible, 3);
    assert_int_equal(r.notice, 0);
    assert_int_equal(r.shown_since, mon(10, 5, 0));
    assert_int_equal(r.next_change, mon(10, 5, 12));
    /* 10:10: back to the two all-day notices: 36600 mod 58 = 2 → "quan-trong". */
    r = bt_rotation_at(&f.pl, mon(10, 10, 0));
    assert_int_equal(r.notice, 1);
    assert_int_equal(r.eligible, 2);
}

static void test_playlist_validity(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "a", 20, 5);
    f.pl.valid_from = bt_time_day_from_ymd(2025, 12, 1);
    f.pl.valid_until = bt_time_day_from_ymd(2025, 12, 31);

    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(10, 0, 0));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.eligible, 0);
    assert_int_equal(r.next_change, at(2025, 11, 25, 0, 0, 0));
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 12, 1, 0, 0, 0)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, at(2025, 12, 31, 23, 59, 59)).notice, 0);
    assert_int_equal(bt_rotation_at(&f.pl, at(2026, 1, 1, 0, 0, 0)).notice, BT_ROTATION_NONE);
}

/* A notice whose file went missing (issue 10) is never picked: the cycle closes over it, an
 * urgent one does not silence the others, and with nothing left the idle screen shows. */
static void test_unavailable_notice_is_never_picked(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "a", 20, 5);
    bt_notice *lost = fx_add(&f, "anh-mat", 30, 9); /* would go first */
    fx_add(&f, "c", 17, 5);
    lost->kind = BT_NOTICE_IMAGE;
    lost->unavailable = true;
    assert_int_equal(bt_playlist_usable_notices(&f.pl), 2);

    /* Cycle a (0..20), c (20..37): 37 s, the lost notice has no slide in it. */
    expect_pick(&f.pl, mon(0, 0, 0), 0, mon(0, 0, 0), mon(0, 0, 20));
    expect_pick(&f.pl, mon(0, 0, 20), 2, mon(0, 0, 20), mon(0, 0, 37));
    expect_pick(&f.pl, mon(0, 0, 37), 0, mon(0, 0, 37), mon(0, 0, 57));
    for (bt_wall t = mon(9, 0, 0); t < mon(9, 10, 0); t++)
        assert_int_not_equal(bt_rotation_at(&f.pl, t).notice, 1);
    assert_int_equal(bt_rotation_at(&f.pl, mon(12, 0, 0)).eligible, 2);

    /* Urgent and in its hours, but not showable: the normal rotation goes on. */
    lost->urgent = true;
    add_span(lost, 10, 0, 11, 0);
    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(10, 30, 0));
    assert_false(r.urgent);
    assert_int_equal(r.eligible, 2);
    assert_int_not_equal(r.notice, 1);

    /* Nothing left to show: the idle screen, until midnight. */
    f.notices[0].unavailable = true;
    f.notices[2].unavailable = true;
    r = bt_rotation_at(&f.pl, mon(10, 30, 0));
    assert_int_equal(r.notice, BT_ROTATION_NONE);
    assert_int_equal(r.eligible, 0);
    assert_int_equal(r.next_change, at(2025, 11, 25, 0, 0, 0));
}

static void test_showing_continues_across_an_edge(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    fx_add(&f, "a", 50, 9);
    add_span(fx_add(&f, "b", 60, 5), 10, 0, 11, 0);
    /* Before 10:00 a runs in 50 s slides: 35950 mod 50 = 0, so one began at 09:59:10. At 10:00
     * the cycle becomes a (0..50) b (50..110), 36000 mod 110 = 30: a again, so the showing that
     * began at 09:59:10 simply goes on. */
    expect_pick(&f.pl, mon(9, 59, 59), 0, mon(9, 59, 10), mon(10, 0, 0));
    expect_pick(&f.pl, mon(10, 0, 0), 0, mon(9, 59, 10), mon(10, 0, 20));
    expect_pick(&f.pl, mon(10, 0, 20), 1, mon(10, 0, 20), mon(10, 1, 20));
}

/* Walks a whole day second by second: the answer never changes before next_change, a change
 * always starts a showing, and no slide is promised longer than its duration. */
static void test_next_change_over_a_day(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    bt_notice *a = fx_add(&f, "a", 20, 5);
    add_span(a, 7, 30, 11, 30);
    add_span(a, 13, 30, 17, 0);
    fx_add(&f, "b", 30, 7);
    bt_notice *c = fx_add(&f, "c", 10, 5);
    c->weekdays = 0x1F;
    add_span(c, 8, 0, 8, 3);
    bt_notice *u = fx_add(&f, "u", 15, 5);
    u->urgent = true;
    add_span(u, 9, 0, 9, 2);
    add_span(u, 12, 0, 12, 1);
    add_span(fx_add(&f, "d", 13, 3), 16, 59, 17, 1);
    bt_notice *e = fx_add(&f, "e", 11, 6);
    add_span(e, 18, 0, 19, 0);
    add_span(e, 19, 0, 20, 0); /* adjacent spans: 19:00 is an edge where nothing changes */

    bt_wall start = mon(0, 0, 0), end = at(2025, 11, 25, 0, 2, 0);
    bt_rotation_pick prev = bt_rotation_at(&f.pl, start - 1);
    size_t changes = 0, wakeups = 0;
    for (bt_wall t = start; t < end; t++) {
        bt_rotation_pick r = bt_rotation_at(&f.pl, t);
        assert_true(r.next_change > t);
        assert_true(r.shown_since <= t);
        if (r.notice != BT_ROTATION_NONE)
            assert_true(r.next_change - t <= f.notices[r.notice].duration_seconds);
        if (t < prev.next_change) {
            assert_int_equal(r.notice, prev.notice);
            assert_int_equal(r.shown_since, prev.shown_since);
            assert_int_equal(r.next_change, prev.next_change);
            assert_int_equal(r.eligible, prev.eligible);
            assert_int_equal(r.urgent, prev.urgent);
            continue;
        }
        /* A wake-up is either a new slide or a minute boundary (a possible eligibility edge). */
        wakeups++;
        bool new_slide = r.notice != BT_ROTATION_NONE && r.shown_since == t;
        assert_true(new_slide || (t - start) % 60 == 0);
        if (r.notice != prev.notice) {
            changes++;
            if (r.notice != BT_ROTATION_NONE)
                assert_true(new_slide);
        } else {
            assert_true(r.shown_since == prev.shown_since || new_slide);
        }
        prev = r;
    }
    /* Slides of 10 s or more and a few edges: far fewer wake-ups than seconds. */
    assert_true(changes > 1000);
    assert_true(wakeups < 86400 / 10 + 100);

    /* 19:00 is an edge where nothing changes (adjacent spans of e): b and e rotate from 18:00
     * to 20:00 (b 0..30, e 30..41); 68400 mod 41 = 12, so the b slide that began at 18:59:48
     * goes on. */
    bt_rotation_pick r = bt_rotation_at(&f.pl, mon(19, 0, 0));
    assert_int_equal(r.notice, 1);
    assert_int_equal(r.shown_since, mon(18, 59, 48));
    assert_int_equal(r.next_change, mon(19, 0, 18));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_playlist_idles_minute_by_minute),
        cmocka_unit_test(test_empty_playlist_idles_until_midnight),
        cmocka_unit_test(test_cycle_is_anchored_at_midnight),
        cmocka_unit_test(test_priority_high_first_then_file_order),
        cmocka_unit_test(test_date_range_is_inclusive),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_hours_spans),
        cmocka_unit_test(test_span_to_midnight),
        cmocka_unit_test(test_urgent_preempts_then_rotation_resumes),
        cmocka_unit_test(test_playlist_validity),
        cmocka_unit_test(test_unavailable_notice_is_never_picked),
        cmocka_unit_test(test_showing_continues_across_an_edge),
        cmocka_unit_test(test_next_change_over_a_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
