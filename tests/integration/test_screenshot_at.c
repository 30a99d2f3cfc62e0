/* `bangtin screenshot --at T` draws what the kiosk showed at T from the store's state at T
 * (issue 14, item 4). The demo playlist with a results notice is activated in a real store, and
 * airing rows are written through the log's API for Monday 04/01/2027: the morning session
 * (06:00, both items), then later the afternoon one (17:00).
 *
 *   - the schedule notice and the results notice at 12:00 are the same, pixel for pixel, before
 *     and after the afternoon rows are written: nothing that began after T shows at T;
 *   - at 17:01 (the afternoon's first item on air) the bottom band carries the banner, which it
 *     did not before the rows existed;
 *   - the results notice's body is the kiosk's sentence: the screenshot equals the screen drawn
 *     with the notice filled the way the kiosk fills it (bt_app_results_fill from today's
 *     progress), and that sentence counts only the morning's two items at 12:00. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

#define BANGTIN "BANGTIN_CONFIG= " BT_BANGTIN_EXE
#define DEMO BT_DEMO_DIR
#define RESULTS_ID "ket-qua-loa"

typedef struct {
    char root[512];
    char playlist[600];
    char data[600];
} fixture;

/* The demo with a results notice for the loudspeaker target, activated in a fresh store. */
static void fixture_open(fixture *f)
{
    char *root = bt_test_temp_dir("screenshot-at");
    assert_non_null(root);
    snprintf(f->root, sizeof f->root, "%s", root);
    free(root);
    snprintf(f->playlist, sizeof f->playlist, "%s/demo", f->root);
    snprintf(f->data, sizeof f->data, "%s/data", f->root);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cp -r '%s' '%s' && sed -i 's/^notices = (/notices = (\\n  { id = \"" RESULTS_ID
             "\"; kind = \"results\"; target = \"cchc-loa-quy\"; },/' '%s/playlist.cfg' && "
             BANGTIN " --data '%s' activate '%s'",
             DEMO, f->playlist, f->playlist, f->data, f->playlist);
    free(bt_test_run_expect(cmd, 0));
}

static bt_store *fixture_store(const fixture *f)
{
    char path[700], err[256];
    snprintf(path, sizeof path, "%s/" BT_STORE_FILE, f->data);
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    return s;
}

static bt_wall jan4(int h, int mi, int s)
{
    return bt_time_from_civil(2027, 1, 4, h, mi, s);
}

/* One item of a session aired from `from` for `seconds` (completed). */
static void aired(bt_store *s, const char *session, bt_wall slot, const char *item,
                  const char *title, bt_wall from, int seconds)
{
    bt_airing_subject sub;
    memset(&sub, 0, sizeof sub);
    snprintf(sub.item_id, sizeof sub.item_id, "%s", item);
    snprintf(sub.title, sizeof sub.title, "%s", title);
    snprintf(sub.playlist_id, sizeof sub.playlist_id, "demo-cchc");
    sub.playlist_version = 1;
    snprintf(sub.session_id, sizeof sub.session_id, "%s", session);
    sub.scheduled_at = slot;
    int64_t id;
    assert_int_equal(bt_airing_begin(s, &sub, (int64_t)from * 1000, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL,
                                   ((int64_t)from + seconds) * 1000, (int64_t)seconds * 1000,
                                   true),
                     0);
}

static void shoot(const fixture *f, const char *when, const char *notice, const char *png)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             BANGTIN " --data '%s' screenshot --playlist '%s' --at '%s' --notice %s -o '%s'",
             f->data, f->playlist, when, notice, png);
    free(bt_test_run_expect(cmd, 0));
}

static SDL_Surface *load(const char *png)
{
    SDL_Surface *raw = IMG_Load(png);
    if (!raw)
        fail_msg("cannot read %s", png);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

/* Pixels that differ between two PNGs of the same size, within rows [y0, y1). */
static size_t differing(const char *a_png, const char *b_png, int y0, int y1)
{
    SDL_Surface *a = load(a_png), *b = load(b_png);
    assert_int_equal(a->w, b->w);
    assert_int_equal(a->h, b->h);
    size_t n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < (y1 > a->h ? a->h : y1); y++) {
        const Uint32 *ra = (const Uint32 *)((const Uint8 *)a->pixels + y * a->pitch);
        const Uint32 *rb = (const Uint32 *)((const Uint8 *)b->pixels + y * b->pitch);
        for (int x = 0; x < a->w; x++)
            n += ra[x] != rb[x];
    }
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return n;
}

static void test_screenshot_shows_the_state_at_t(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char p[8][800];
    const char *names[] = {"sched-12-before", "sched-12-after", "results-12-before",
                           "results-12-after", "sched-1701-before", "sched-1701-after"};
    for (size_t i = 0; i < 6; i++)
        snprintf(p[i], sizeof p[i], "%s/%s.png", f.root, names[i]);

    bt_store *s = fixture_store(&f);
    aired(s, "ban-tin-sang", jan4(6, 0, 0), "tin-dvc-truc-tuyen", "Dịch vụ công trực tuyến",
          jan4(6, 0, 5), 40);
    aired(s, "ban-tin-sang", jan4(6, 0, 0), "tin-vneid", "Kích hoạt tài khoản định danh",
          jan4(6, 0, 46), 40);
    bt_store_close(s);
    shoot(&f, "2027-01-04 12:00", "lich-phat-thanh", p[0]);
    shoot(&f, "2027-01-04 12:00", RESULTS_ID, p[2]);
    shoot(&f, "2027-01-04 17:01", "lich-phat-thanh", p[4]);

    /* The afternoon: its first item on air from 17:00:05 to 17:03:05. */
    s = fixture_store(&f);
    aired(s, "ban-tin-chieu", jan4(17, 0, 0), "tin-chinh-quyen-hai-cap", "Chính quyền hai cấp",
          jan4(17, 0, 5), 180);
    aired(s, "ban-tin-chieu", jan4(17, 0, 0), "tin-chi-so-hai-long", "Ý kiến của bà con",
          jan4(17, 3, 6), 60);
    bt_store_close(s);
    shoot(&f, "2027-01-04 12:00", "lich-phat-thanh", p[1]);
    shoot(&f, "2027-01-04 12:00", RESULTS_ID, p[3]);
    shoot(&f, "2027-01-04 17:01", "lich-phat-thanh", p[5]);

    assert_int_equal(differing(p[0], p[1], 0, 1080), 0);
    assert_int_equal(differing(p[2], p[3], 0, 1080), 0);
    /* On air at 17:01: the banner fills the bottom band and the row says "đang phát". */
    size_t band = differing(p[4], p[5], 1000, 1080);
    if (band < 5000)
        fail_msg("the bottom band changed in only %zu px at 17:01", band);
    assert_true(differing(p[4], p[5], 110, 1000) > 1000);

    /* The results notice as the kiosk fills it, drawn by the screen, equals the screenshot. */
    bt_playlist pl;
    bt_playlist_init(&pl);
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_playlist_load(f.playlist, &pl, &d), 0);
    bt_diags_free(&d);
    s = fixture_store(&f);
    bt_targets targets;
    bt_target_progress *progress = NULL;
    size_t n = 0;
    assert_int_equal(bt_report_progress_today(s, jan4(12, 0, 0), NULL, &targets, &progress, &n),
                     0);
    assert_true(bt_app_results_fill(&pl, progress, n));
    bt_targets_free(&targets);
    free(progress);
    bt_store_close(s);
    size_t results = SIZE_MAX;
    for (size_t i = 0; i < pl.notice_count; i++)
        if (strcmp(pl.notices[i].id, RESULTS_ID) == 0)
            results = i;
    assert_true(results != SIZE_MAX);
    const char *body = pl.notices[results].body;
    assert_non_null(body);
    /* Two items by 12:00 (the afternoon's two came later). */
    if (!strstr(body, "đã phát 2 "))
        fail_msg("results body: \"%s\"", body);
    bt_config cfg;
    bt_config_defaults(&cfg);
    bt_screen_config sc;
    bt_config_screen(&cfg, &sc);
    /* The kiosk also has today's schedule: the corner panel says what airs next (issue 14). At
     * 12:00 the afternoon session is the next one, whatever the morning's state. */
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(&cfg, &lim);
    bt_schedule *sched = NULL;
    assert_int_equal(bt_schedule_create(&pl.broadcasts, &lim, 0, 0, &sched), 0);
    bt_slot_view views[16];
    size_t nv = bt_schedule_day(sched, bt_time_day_of(jan4(12, 0, 0)), jan4(12, 0, 0), NULL, 0,
                                views, 16);
    bt_schedule_destroy(sched);
    bt_screen_schedule_row rows[16];
    size_t nrows = bt_screen_schedule_rows(&pl.broadcasts, views, nv, rows);
    bt_screen_extras extras = {.pick_notice = true, .notice = results, .schedule = rows,
                               .schedule_count = nrows, .has_schedule = true};
    char kiosk_png[800], err[256];
    snprintf(kiosk_png, sizeof kiosk_png, "%s/results-kiosk.png", f.root);
    if (bt_screen_render_png_ex(&sc, &pl, f.playlist, jan4(12, 0, 0), 1920, 1080, &extras,
                                kiosk_png, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(differing(kiosk_png, p[3], 0, 1080), 0);
    bt_playlist_free(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screenshot_shows_the_state_at_t),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
