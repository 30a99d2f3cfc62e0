/* `bangtin simulate` at the core: a quarter (2025-10-01..2025-12-31) with the appliance off for
 * two and a half days is compared with a reviewed timeline in tests/data/simulate/; a harsher
 * scenario is checked for the properties that must always hold (no slot twice, no overlap,
 * windows, sessions per day, nothing airs while off); the playlist's validity ends the timeline
 * and its makeups; a quarter of 552 slots runs through the same path (the entry point a
 * benchmark times), and the --off parser. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"

#define GOLDEN_QUARTER BT_SOURCE_DIR "/tests/data/simulate/quarter-2025q4-off.txt"

/* ---- the demo-like quarter ---------------------------------------------------------------- */

typedef struct {
    bt_broadcasts b;
    bt_broadcast_item items[8];
    bt_broadcast_session sessions[8];
    bt_broadcast_limits lim;
} quarter;

static void add_item(quarter *q, const char *id, bt_broadcast_priority p, double seconds)
{
    bt_broadcast_item *it = &q->items[q->b.item_count++];
    it->id = (char *)(uintptr_t)id; /* the model never writes through these in this test */
    it->title = it->id;
    it->audio = it->id;
    it->priority = p;
    it->duration_seconds = seconds;
}

static bt_broadcast_session *add_session(quarter *q, const char *id, bt_makeup_scope makeup)
{
    bt_broadcast_session *s = &q->sessions[q->b.session_count++];
    s->id = (char *)(uintptr_t)id;
    s->name = s->id;
    s->weekdays = BT_WEEKDAYS_ALL;
    s->from_day = BT_DAY_NONE_FROM;
    s->until_day = BT_DAY_NONE_UNTIL;
    s->makeup = makeup;
    return s;
}

static void ward_limits(bt_broadcast_limits *lim, int per_day)
{
    lim->windows[0].start_minute = 5 * 60 + 30;
    lim->windows[0].end_minute = 7 * 60;
    lim->windows[1].start_minute = 16 * 60 + 30;
    lim->windows[1].end_minute = 18 * 60 + 30;
    lim->window_count = 2;
    lim->max_sessions_per_day = per_day;
    lim->max_session_minutes = 15;
}

/* Mirrors what a ward would schedule: morning news on weekdays (makeup within the day), evening
 * news with a priority item (within the quarter), a weekend bulletin (within the week), a
 * one-off for Digital Transformation Day colliding with the morning news, and emergency storm
 * warnings (one cuts into the weekend bulletin, one is outside the windows). */
static void quarter_init(quarter *q)
{
    memset(q, 0, sizeof *q);
    q->b.items = q->items;
    q->b.sessions = q->sessions;
    add_item(q, "tin-dvc-truc-tuyen", BT_BROADCAST_NORMAL, 95);
    add_item(q, "tin-vneid", BT_BROADCAST_NORMAL, 80);
    add_item(q, "tin-thanh-toan", BT_BROADCAST_NORMAL, 100);
    add_item(q, "tin-chi-so-cchc", BT_BROADCAST_PRIORITY, 120);
    add_item(q, "tin-canh-bao-bao", BT_BROADCAST_EMERGENCY, 60);
    add_item(q, "tin-ngay-cds", BT_BROADCAST_NORMAL, 90);

    bt_broadcast_session *s = add_session(q, "ban-tin-sang", BT_MAKEUP_DAY);
    s->times[s->time_count++] = 6 * 60;
    s->weekdays = 0x1F;
    s->from_day = bt_time_day_from_ymd(2025, 10, 1);
    s->until_day = bt_time_day_from_ymd(2025, 12, 31);
    s->items[s->item_count++] = 0;
    s->items[s->item_count++] = 1;
    s->items[s->item_count++] = 2;

    s = add_session(q, "ban-tin-chieu", BT_MAKEUP_QUARTER);
    s->times[s->time_count++] = 17 * 60;
    s->weekdays = 0x1F;
    s->items[s->item_count++] = 3;
    s->items[s->item_count++] = 0;

    s = add_session(q, "ban-tin-cuoi-tuan", BT_MAKEUP_WEEK);
    s->times[s->time_count++] = 6 * 60 + 30;
    s->weekdays = 0x60;
    s->items[s->item_count++] = 1;
    s->items[s->item_count++] = 2;
    s->items[s->item_count++] = 0;

    s = add_session(q, "ngay-chuyen-doi-so", BT_MAKEUP_NONE);
    s->at[s->at_count++] = bt_time_from_civil(2025, 10, 10, 6, 0, 0);
    s->items[s->item_count++] = 5;
    s->items[s->item_count++] = 3;

    s = add_session(q, "canh-bao-bao", BT_MAKEUP_NONE);
    s->at[s->at_count++] = bt_time_from_civil(2025, 11, 22, 6, 33, 0);
    s->at[s->at_count++] = bt_time_from_civil(2025, 12, 5, 21, 0, 0);
    s->items[s->item_count++] = 4;

    ward_limits(&q->lim, 3);
}

static bt_wall_span off_span(const char *text)
{
    bt_wall_span sp;
    assert_int_equal(bt_simulate_parse_off(text, &sp), 0);
    return sp;
}

/* The timeline text comes back in a heap block the caller frees; it is handed over through a
 * heap cell rather than a local variable, which GCC 12 at -O3 mistook for a dangling pointer
 * once this was inlined (-Wdangling-pointer). */
static char *simulate(const quarter *q, const bt_wall_span *off, size_t off_count)
{
    bt_simulation sim = {bt_time_day_from_ymd(2025, 10, 1), bt_time_day_from_ymd(2025, 12, 31),
                         off, off_count, 4};
    char **cell = calloc(1, sizeof *cell);
    assert_non_null(cell);
    assert_int_equal(bt_simulate(&q->b, &q->lim, &sim, cell), 0);
    char *text = *cell;
    free(cell);
    assert_non_null(text);
    return text;
}

/* ---- golden ------------------------------------------------------------------------------- */

static void test_quarter_with_power_cut_matches_golden(void **state)
{
    (void)state;
    quarter q;
    quarter_init(&q);
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_broadcasts_check_limits(&q.b, &q.lim, "playlist.cfg", &d), 0);
    bt_diags_free(&d);

    bt_wall_span off = off_span("2025-11-03 05:00..2025-11-05 16:40");
    char *text = simulate(&q, &off, 1);
    char *expected = bt_test_read_file(GOLDEN_QUARTER, NULL);
    assert_non_null(expected);
    if (strcmp(text, expected) != 0) {
        const char *out = BT_BINARY_DIR "/quarter-2025q4-off.actual.txt";
        bt_test_write_file(out, text, strlen(text));
        fail_msg("timeline differs from %s; actual written to %s (diff them)", GOLDEN_QUARTER, out);
    }
    free(expected);
    free(text);
}

/* ---- properties over a timeline ----------------------------------------------------------- */

typedef struct {
    bt_wall start, end;
    char session[80];
    bt_wall slot;
} airing_line;

static bt_wall parse_wall(const char *date, const char *time)
{
    char buf[64];
    bt_wall t;
    snprintf(buf, sizeof buf, "%s %s", date, time);
    assert_int_equal(bt_time_parse_datetime(buf, &t), 0);
    return t;
}

/* Reads "…, m:ss" (the first duration after a comma) from an aired/made-up detail. */
static int64_t detail_seconds(const char *detail)
{
    for (const char *p = strstr(detail, ", "); p; p = strstr(p + 1, ", ")) {
        int m, s;
        char colon;
        if (sscanf(p + 2, "%d%c%d", &m, &colon, &s) == 3 && colon == ':')
            return (int64_t)m * 60 + s;
    }
    return -1;
}

typedef struct {
    airing_line *airings;
    size_t airing_count;
    size_t interrupted, missed;
    size_t per_day[120]; /* sessions started per day of the quarter */
} timeline;

static void parse_timeline(const char *text, timeline *tl)
{
    bt_day first = bt_time_day_from_ymd(2025, 10, 1);
    memset(tl, 0, sizeof *tl);
    tl->airings = calloc(2000, sizeof *tl->airings);
    assert_non_null(tl->airings);
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        char buf[1024];
        size_t len = (size_t)(nl - line);
        assert_true(len < sizeof buf);
        memcpy(buf, line, len);
        buf[len] = '\0';
        line = nl + 1;
        if (buf[0] == '#')
            continue;
        char date[16], time[16], session[80], sdate[16], stime[16];
        int used = 0;
        assert_int_equal(sscanf(buf, "%15s %15s", date, time), 2);
        /* The event's words (Vietnamese, may hold spaces) follow "YYYY-MM-DD HH:MM:SS  ". */
        const char *rest = buf + strlen("2025-10-01 06:00:00  ");
        int event = -1;
        for (int k = 0; k < BT_SIM_EVENT_COUNT && event < 0; k++) {
            const char *w = bt_vi_sim_event((bt_sim_event)k);
            if (strncmp(rest, w, strlen(w)) == 0 && rest[strlen(w)] == ' ') {
                event = k;
                rest += strlen(w);
            }
        }
        if (event < 0)
            fail_msg("no event in: %s", buf);
        assert_int_equal(sscanf(rest, "%79s %15s %15s %n", session, sdate, stime, &used), 3);
        used += (int)(rest - buf);
        bt_wall when = parse_wall(date, time);
        bt_day day = bt_time_day_of(when);
        if (event == BT_SIM_AIRED || event == BT_SIM_MADE_UP) {
            airing_line *a = &tl->airings[tl->airing_count++];
            int64_t seconds = detail_seconds(buf + used);
            assert_true(seconds > 0);
            a->start = when;
            a->end = when + seconds;
            snprintf(a->session, sizeof a->session, "%s", session);
            a->slot = parse_wall(sdate, stime);
            tl->per_day[day - first]++;
        } else if (event == BT_SIM_INTERRUPTED) {
            tl->interrupted++;
            tl->per_day[day - first]++;
        } else if (event == BT_SIM_MISSED) {
            tl->missed++;
        } else {
            assert_true(event == BT_SIM_OFF || event == BT_SIM_ON);
        }
    }
}

static bool in_window(const bt_broadcast_limits *lim, bt_wall start, bt_wall end)
{
    bt_wall base = bt_time_day_start(bt_time_day_of(start));
    for (size_t i = 0; i < lim->window_count; i++)
        if (start >= base + lim->windows[i].start_minute * 60 &&
            end <= base + lim->windows[i].end_minute * 60)
            return true;
    return false;
}

static void check_properties(const quarter *q, const timeline *tl, const bt_wall_span *off,
                             size_t off_count)
{
    for (size_t i = 0; i < tl->airing_count; i++) {
        const airing_line *a = &tl->airings[i];
        /* One slot never airs (completely) twice. */
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->session, tl->airings[j].session) == 0 && a->slot == tl->airings[j].slot)
                fail_msg("slot %s %lld aired twice", a->session, (long long)a->slot);
        /* The loudspeaker plays one session at a time (lines are in time order; a session cut
         * by an emergency has an `interrupted` line, not an `aired` one). */
        if (i > 0 && a->start < tl->airings[i - 1].end)
            fail_msg("%s at %lld overlaps %s", a->session, (long long)a->start,
                     tl->airings[i - 1].session);
        /* Never before its slot; only all-emergency sessions outside the windows. */
        assert_true(a->start >= a->slot);
        if (strcmp(a->session, "canh-bao-bao") != 0 && !in_window(&q->lim, a->start, a->end))
            fail_msg("%s (slot %lld) aired outside the windows", a->session, (long long)a->slot);
        /* Nothing airs while the appliance is off. */
        for (size_t k = 0; k < off_count; k++)
            assert_true(a->end <= off[k].from || a->start >= off[k].until);
    }
    for (size_t d = 0; d < 120; d++)
        assert_true(tl->per_day[d] <= (size_t)q->lim.max_sessions_per_day);
}

/* The "# tổng kết lịch" line: slots, then aired in turn, made up, lost, still waiting. */
static void summary_fates(const char *text, size_t fates[5])
{
    const char *line = strstr(text, "# tổng kết lịch: ");
    assert_non_null(line);
    assert_int_equal(sscanf(line,
                            "# tổng kết lịch: %zu lượt; phát theo lịch %zu, phát bù %zu, không bù "
                            "được %zu, còn chờ bù %zu",
                            &fates[0], &fates[1], &fates[2], &fates[3], &fates[4]),
                     5);
}

static void test_golden_timeline_keeps_the_rules(void **state)
{
    (void)state;
    quarter q;
    quarter_init(&q);
    char *text = bt_test_read_file(GOLDEN_QUARTER, NULL);
    assert_non_null(text);
    timeline tl;
    parse_timeline(text, &tl);
    bt_wall_span off = off_span("2025-11-03 05:00..2025-11-05 16:40");
    check_properties(&q, &tl, &off, 1);
    assert_int_equal(tl.airing_count, 155 + 3);
    assert_int_equal(tl.missed, 5);
    assert_int_equal(tl.interrupted, 1);
    free(tl.airings);
    free(text);
}

static void test_harsh_quarter_keeps_the_rules(void **state)
{
    (void)state;
    quarter q;
    quarter_init(&q);
    const bt_wall_span off[] = {
        off_span("2025-10-06 05:58..2025-10-06 06:01"),   /* back within the grace */
        off_span("2025-10-14 06:02..2025-10-14 09:00"),   /* cut in the middle of an airing */
        off_span("2025-10-20 06:04:41..2025-10-20 08:00"),/* cut in the closing chime */
        off_span("2025-10-21 06:04:43..2025-10-21 08:00"),/* off the second the airing ends */
        off_span("2025-11-03 05:00..2025-11-05 16:40"),
        off_span("2025-11-04 12:00..2025-11-04 13:00"),   /* overlaps the one above */
        off_span("2025-12-20 00:00..2025-12-27 12:00"),   /* a whole week */
        off_span("2025-12-30 17:01:30..2026-01-02 00:00"),/* off until after the end */
    };
    char *text = simulate(&q, off, sizeof off / sizeof off[0]);
    timeline tl;
    parse_timeline(text, &tl);
    check_properties(&q, &tl, off, sizeof off / sizeof off[0]);

    /* Grace: the Monday slot airs as itself, one minute late. */
    assert_non_null(strstr(text, "2025-10-06 06:01:00  đã phát      ban-tin-sang        "
                                 "2025-10-06 06:00  3 tin, 4:43, trễ 1:00\n"));
    /* Cut by the power: the item on air is the second one; made up from it, the same day. */
    assert_non_null(strstr(text, "2025-10-14 06:02:00  bị ngắt      ban-tin-sang        "
                                 "2025-10-14 06:00  bị ngắt: máy tắt khi đang phát tin 2/3 → đã bù "
                                 "lúc 2025-10-14 16:30:00\n"));
    assert_non_null(strstr(text, "2025-10-14 16:30:00  phát bù      ban-tin-sang        "
                                 "2025-10-14 06:00  phát bù, tin 2-3/3, 3:08\n"));
    /* Items all out when the power went: it aired (for as long as it really played). */
    assert_non_null(strstr(text, "2025-10-20 06:00:00  đã phát      ban-tin-sang        "
                                 "2025-10-20 06:00  3 tin, 4:41\n"));
    assert_non_null(strstr(text, "2025-10-21 06:00:00  đã phát      ban-tin-sang        "
                                 "2025-10-21 06:00  3 tin, 4:43\n"));
    assert_null(strstr(text, "2025-10-20 06:04:41  interrupted"));
    assert_null(strstr(text, "2025-10-21 06:04:43  interrupted"));
    /* The last evening news is cut at 17:01:30 and its quarter ends the next day, switched off. */
    assert_non_null(strstr(text, "2025-12-30 17:01:30  bị ngắt      ban-tin-chieu       "
                                 "2025-12-30 17:00  bị ngắt: máy tắt khi đang phát tin 1/2 → không "
                                 "bù được trước hạn 2025-12-31 (makeup = \"quarter\")\n"));
    /* Still off at the end: the last day's slots are missed, the weekly one may wait. */
    assert_non_null(strstr(text, "2025-12-31 06:00:00  bỏ lỡ        ban-tin-sang        "
                                 "2025-12-31 06:00  máy tắt → không bù được trước hạn 2025-12-31 "
                                 "(makeup = \"day\")\n"));
    /* After the week-long cut the priority evening news goes first in each window (Saturday
     * evening, Sunday morning and evening, Monday, Tuesday: five windows for five slots), so the
     * weekend bulletin of Saturday 27/12 finds no window before its week ends. */
    assert_non_null(strstr(text, "2025-12-27 06:30:00  bỏ lỡ        ban-tin-cuoi-tuan   "
                                 "2025-12-27 06:30  máy tắt → không bù được trước hạn 2025-12-28 "
                                 "(makeup = \"week\")\n"));
    assert_non_null(strstr(text, "2025-12-27 16:30:00  phát bù      ban-tin-chieu       "
                                 "2025-12-22 17:00  phát bù, 2 tin, 3:43\n"));
    assert_non_null(strstr(text, "2025-12-28 05:30:00  phát bù      ban-tin-chieu       "
                                 "2025-12-23 17:00  phát bù, 2 tin, 3:43\n"));
    assert_non_null(strstr(text, "2025-12-30 05:30:00  phát bù      ban-tin-chieu       "
                                 "2025-12-26 17:00  phát bù, 2 tin, 3:43\n"));
    assert_null(strstr(text, "2026-01-02 00:00:00  on"));
    /* Every slot has exactly one fate; the four counts add up to the 161 slots. */
    size_t fates[5];
    summary_fates(text, fates);
    assert_int_equal(fates[0], 161);
    assert_int_equal(fates[1] + fates[2] + fates[3] + fates[4], 161);
    assert_int_equal(fates[4], 0);
    free(tl.airings);
    free(text);
}

static void test_quarter_without_power_cuts(void **state)
{
    (void)state;
    quarter q;
    quarter_init(&q);
    char *text = simulate(&q, NULL, 0);
    timeline tl;
    parse_timeline(text, &tl);
    check_properties(&q, &tl, NULL, 0);
    assert_int_equal(tl.missed, 0);
    assert_int_equal(tl.interrupted, 1); /* the storm warning still cuts in */
    assert_non_null(strstr(text, "# tổng kết lịch: 161 lượt; phát theo lịch 160, phát bù 1, không "
                                 "bù được 0, còn chờ bù 0\n"));
    free(tl.airings);
    free(text);
}

/* ---- the playlist's validity -------------------------------------------------------------- */

/* The Q4 quarter plus a Wednesday bulletin made up within its week, simulated into January
 * with the appliance off all of 31/12; bounded by the playlist (valid until 31/12) or not. */
static char *simulate_new_year(quarter *q, const bt_validity *validity)
{
    quarter_init(q);
    bt_broadcast_session *s = add_session(q, "ban-tin-thu-tu", BT_MAKEUP_WEEK);
    s->times[s->time_count++] = 16 * 60 + 40;
    s->weekdays = 0x04; /* T4 */
    s->items[s->item_count++] = 1;
    bt_wall_span off = off_span("2025-12-31 05:00..2025-12-31 20:00");
    bt_simulation sim = {bt_time_day_from_ymd(2025, 12, 29), bt_time_day_from_ymd(2026, 1, 9),
                         &off, 1, 4};
    char *text = NULL;
    assert_int_equal(bt_simulate_bounded(&q->b, &q->lim, &sim, validity, &text), 0);
    assert_non_null(text);
    return text;
}

static void test_validity_bounds_the_timeline(void **state)
{
    (void)state;
    quarter q;
    /* Unbounded (what the appliance did before): 2026 has airings, and 31/12's Wednesday
     * bulletin is made up on 01/01, in the next quarter. */
    char *text = simulate_new_year(&q, NULL);
    assert_non_null(strstr(text, "\n2026-01-01 05:30:00  phát bù      ban-tin-thu-tu"));
    assert_non_null(strstr(text, "\n2026-01-02 17:00:00  đã phát"));
    free(text);

    const bt_validity q4 = {bt_time_day_from_ymd(2025, 10, 1), bt_time_day_from_ymd(2025, 12, 31)};
    text = simulate_new_year(&q, &q4);
    timeline tl;
    parse_timeline(text, &tl);
    bt_wall_span off = off_span("2025-12-31 05:00..2025-12-31 20:00");
    check_properties(&q, &tl, &off, 1);
    assert_non_null(strstr(text, "\n# thời hạn playlist: 2025-10-01..2025-12-31 (ngoài thời hạn "
                                 "không phát, không phát bù)\n"));
    assert_null(strstr(text, "\n2026-")); /* no event at all in 2026 */
    assert_non_null(strstr(text, "2025-12-31 16:40:00  bỏ lỡ        ban-tin-thu-tu      "
                                 "2025-12-31 16:40  máy tắt → không bù được: playlist hết hạn "
                                 "ngày 2025-12-31\n"));
    /* 29/12 and 30/12 air morning and evening; all three slots of 31/12 are lost. */
    size_t fates[5];
    summary_fates(text, fates);
    assert_int_equal(fates[0], 7);
    assert_int_equal(fates[1], 4);
    assert_int_equal(fates[3], 3);
    free(tl.airings);
    free(text);
}

/* ---- scale -------------------------------------------------------------------------------- */

/* Six sessions a day, every day: 552 slots in the quarter. This is also the shape a benchmark
 * should time (bt_simulate over 2025-10-01..2025-12-31): the budget is < 0.1 s. */
static void test_quarter_of_552_slots(void **state)
{
    (void)state;
    quarter q;
    memset(&q, 0, sizeof q);
    q.b.items = q.items;
    q.b.sessions = q.sessions;
    add_item(&q, "tin-a", BT_BROADCAST_NORMAL, 90);
    add_item(&q, "tin-b", BT_BROADCAST_PRIORITY, 75);
    static const int minutes[6] = {5 * 60 + 40, 6 * 60 + 10, 6 * 60 + 40,
                                   16 * 60 + 40, 17 * 60 + 20, 18 * 60};
    static const char *const ids[6] = {"s1", "s2", "s3", "s4", "s5", "s6"};
    for (size_t i = 0; i < 6; i++) {
        bt_broadcast_session *s = add_session(&q, ids[i], BT_MAKEUP_QUARTER);
        s->times[s->time_count++] = (int16_t)minutes[i];
        s->items[s->item_count++] = i % 2;
        s->items[s->item_count++] = (i + 1) % 2;
    }
    ward_limits(&q.lim, 6);
    bt_wall_span off = off_span("2025-11-10 00:00..2025-11-12 00:00");
    char *text = simulate(&q, &off, 1);
    timeline tl;
    parse_timeline(text, &tl);
    assert_int_equal(tl.missed, 12);
    assert_true(tl.airing_count >= 540);
    for (size_t i = 1; i < tl.airing_count; i++)
        assert_true(tl.airings[i].start >= tl.airings[i - 1].end);
    size_t fates[5];
    summary_fates(text, fates);
    assert_int_equal(fates[0], 552);
    assert_int_equal(fates[1], 540); /* six regular sessions fill each day: no room for makeups */
    assert_int_equal(fates[3], 12);
    free(tl.airings);
    free(text);
}

/* ---- arguments ---------------------------------------------------------------------------- */

static void test_parse_off(void **state)
{
    (void)state;
    bt_wall_span sp;
    assert_int_equal(bt_simulate_parse_off(" 03/11/2025 05:00 .. 2025-11-05 20:00:30 ", &sp), 0);
    assert_int_equal(sp.from, bt_time_from_civil(2025, 11, 3, 5, 0, 0));
    assert_int_equal(sp.until, bt_time_from_civil(2025, 11, 5, 20, 0, 30));
    assert_int_equal(bt_simulate_parse_off("2025-11-03 05:00", &sp), -1);
    assert_int_equal(bt_simulate_parse_off("2025-11-05 20:00..2025-11-03 05:00", &sp), -1);
    assert_int_equal(bt_simulate_parse_off("2025-11-03 05:00..2025-11-03 05:00", &sp), -1);
    assert_int_equal(bt_simulate_parse_off("2025-11-03..2025-11-05", &sp), -1);
    assert_int_equal(bt_simulate_parse_off("..", &sp), -1);
    assert_int_equal(bt_simulate_parse_off(NULL, &sp), -1);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    quarter q;
    quarter_init(&q);
    char *text = (char *)"untouched";
    bt_simulation backwards = {bt_time_day_from_ymd(2025, 12, 31),
                               bt_time_day_from_ymd(2025, 10, 1), NULL, 0, 0};
    assert_int_equal(bt_simulate(&q.b, &q.lim, &backwards, &text), -1);
    assert_null(text);
    bt_simulation no_spans = {bt_time_day_from_ymd(2025, 10, 1),
                              bt_time_day_from_ymd(2025, 10, 1), NULL, 2, 0};
    assert_int_equal(bt_simulate(&q.b, &q.lim, &no_spans, &text), -1);
    /* One day, nothing to air: header and an all-zero summary. */
    bt_broadcasts empty;
    bt_broadcasts_init(&empty);
    bt_simulation day = {bt_time_day_from_ymd(2025, 10, 1), bt_time_day_from_ymd(2025, 10, 1),
                         NULL, 0, 0};
    assert_int_equal(bt_simulate(&empty, &q.lim, &day, &text), 0);
    assert_non_null(strstr(text, "# tổng kết lịch: 0 lượt;"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarter_with_power_cut_matches_golden),
        cmocka_unit_test(test_golden_timeline_keeps_the_rules),
        cmocka_unit_test(test_harsh_quarter_keeps_the_rules),
        cmocka_unit_test(test_quarter_without_power_cuts),
        cmocka_unit_test(test_validity_bounds_the_timeline),
        cmocka_unit_test(test_quarter_of_552_slots),
        cmocka_unit_test(test_parse_off),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
