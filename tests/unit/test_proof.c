/* Proof-of-play bookkeeping: showings and seconds per (playlist, notice, local day), driven by
 * the real rotation over a simulated hour, and showings that cross local midnight. */
#include "bt_test_support.h"

#include <stdio.h>
#include <string.h>

#include "bangtin/bt_playlist.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_time.h"

static const bt_proof_row *find_row(const bt_proof *p, const char *playlist, const char *notice,
                                    bt_day day)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->rows[i].day == day && strcmp(p->rows[i].playlist_id, playlist) == 0 &&
            strcmp(p->rows[i].notice_id, notice) == 0)
            return &p->rows[i];
    return NULL;
}

static void expect_row(const bt_proof *p, const char *playlist, const char *notice, bt_day day,
                       int64_t shows, double seconds)
{
    const bt_proof_row *r = find_row(p, playlist, notice, day);
    if (!r)
        fail_msg("no row for %s/%s on day %d", playlist, notice, (int)day);
    assert_int_equal(r->shows, shows);
    assert_true(r->seconds == seconds);
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
        assert_int_equal(bt_proof_show(&p, "cchc", notice_id(&f, r.notice), t), 0);
    }
    bt_proof_advance(&p, end);
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
        assert_int_equal(bt_proof_show(&p, "cchc", notice_id(&f, r.notice), t), 0);
        t = r.next_change;
    }
    bt_proof_advance(&p, end);
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
            bt_proof_advance(&p, t);
            for (size_t i = 0; i < p.count; i++) {
                int k = p.rows[i].notice_id[1] - '1';
                shows[k] += p.rows[i].shows;
                seconds[k] += p.rows[i].seconds;
            }
            bt_proof_clear_rows(&p);
            assert_int_equal(bt_proof_pending(&p), 0);
        }
        if (t < end)
            bt_proof_show(&p, "cchc", notice_id(&f, bt_rotation_at(&f.pl, t).notice), t);
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
    assert_int_equal(bt_proof_show(&p, "pl", "a", t), 0);
    assert_int_equal(bt_proof_show(&p, "pl", "a", t + 5), 0);
    assert_int_equal(bt_proof_show(&p, "pl", "a", t + 10), 0);
    bt_proof_advance(&p, t + 15);
    assert_int_equal(bt_proof_pending(&p), 1);
    expect_row(&p, "pl", "a", day, 1, 15);
    /* Another notice, then back: that is a new showing. */
    bt_proof_show(&p, "pl", "b", t + 15);
    bt_proof_show(&p, "pl", "a", t + 20);
    bt_proof_advance(&p, t + 30);
    expect_row(&p, "pl", "a", day, 2, 25);
    expect_row(&p, "pl", "b", day, 1, 5);
    /* The same notice id in another playlist is another notice. */
    bt_proof_show(&p, "khac", "a", t + 30);
    bt_proof_advance(&p, t + 32);
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
    assert_int_equal(bt_proof_show(&p, "pl", NULL, t), 0);
    bt_proof_advance(&p, t + 100);
    assert_int_equal(bt_proof_pending(&p), 0);

    bt_proof_show(&p, "pl", "a", t + 100);
    bt_proof_show(&p, NULL, NULL, t + 110); /* idle screen from 110 on */
    bt_proof_advance(&p, t + 500);
    bt_proof_show(&p, "pl", NULL, t + 600);
    assert_int_equal(bt_proof_pending(&p), 1);
    expect_row(&p, "pl", "a", day, 1, 10);
    /* After idle the same notice again is a new showing. */
    bt_proof_show(&p, "pl", "a", t + 700);
    bt_proof_advance(&p, t + 703);
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
    bt_proof_show(&p, "pl", "a", t);
    bt_proof_show(&p, "pl", "b", t + 30); /* 00:00:20 on 01/01/2026 */
    bt_proof_advance(&p, t + 35);
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
    bt_proof_show(&p, "pl", "a", t);
    bt_proof_advance(&p, t + 3600);
    expect_row(&p, "pl", "a", day, 1, 3600);
    bt_proof_clear_rows(&p);
    /* Advancing again only adds what was not yet accounted, and the row has no new showing. */
    bt_proof_advance(&p, t + 2 * 86400);
    assert_int_equal(bt_proof_pending(&p), 3);
    expect_row(&p, "pl", "a", day, 0, 12 * 3600 - 3600);
    expect_row(&p, "pl", "a", day + 1, 0, 86400);
    expect_row(&p, "pl", "a", day + 2, 0, 12 * 3600);
    /* The clock going back counts nothing twice. */
    bt_proof_clear_rows(&p);
    bt_proof_advance(&p, t);
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
    assert_int_equal(bt_proof_show(&p, "pl", id, 1000), -1);
    assert_int_equal(bt_proof_pending(&p), 0);
    id[BT_MAX_ID_BYTES] = '\0'; /* exactly the limit is fine */
    assert_int_equal(bt_proof_show(&p, "pl", id, 1000), 0);
    bt_proof_advance(&p, 1004);
    expect_row(&p, "pl", id, bt_time_day_of(1000), 1, 4);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
