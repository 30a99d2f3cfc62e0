/* The cheap ticker, headless: on SDL's software renderer a frame in which only the bottom band
 * moves repaints that band alone, and is pixel for pixel the full repaint at the same time (in
 * the window and in a render target, landscape and portrait, ticker and scrolling banner); every
 * other change (a new slide, the clock's next minute, a banner or schedule, a new playlist,
 * bt_screen_invalidate) brings a full frame; the later steps of a crossfade between slides under
 * the same header repaint only what the slides paint, pixel for pixel the full frame too; the
 * ticker runs at 24 frames per second on a grid of the monotonic clock, every step the same number
 * of pixels; what a frame says it changed (bt_screen_damage, all the kiosk sends to the display)
 * holds every pixel it changed, and for a ticker frame only the band's rows with text. */
#include "ui_fixture.h"

static bt_playlist playlist;
static bt_wall MONDAY_0905; /* 23/11/2026 09:05 in Hà Nội */

static const bt_mono_ns MS = 1000000;
/* Long enough for the banner to scroll at any test size. */
static const char *LONG_TITLE =
    "Bản tin chiều: cải cách hành chính, dịch vụ công trực tuyến toàn trình, thanh toán "
    "trực tuyến, định danh điện tử VNeID mức 2 và chỉ số hài lòng của người dân";

static int group_setup(void **state)
{
    (void)state;
    ui_video_init();
    MONDAY_0905 = bt_time_from_civil(2026, 11, 23, 9, 5, 0);
    ui_load_playlist(&playlist, UI_PLAYLIST_DIR);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    bt_playlist_free(&playlist);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return 0;
}

static void fixture_open(ui_fixture *f, int w, int h)
{
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->playlist = playlist;
    ui_open(f, w, h, true);
}

static void counts(const ui_fixture *f, unsigned long *full, unsigned long *partial,
                   unsigned long *fade)
{
    bt_ui_stats st;
    bt_screen_stats(f->screen, &st);
    *full = st.full_frames;
    *partial = st.partial_frames;
    *fade = st.fade_frames;
}

/* Draws at wall/mono and says which kind of frame it was: 'f' full, 'p' band only, 'r' the
 * slides' region of a crossfade (and the band). */
static char frame_kind(ui_fixture *f, bt_wall wall, bt_mono_ns mono)
{
    unsigned long full0, part0, fade0, full1, part1, fade1;
    counts(f, &full0, &part0, &fade0);
    bt_screen_draw(f->screen, wall, mono);
    counts(f, &full1, &part1, &fade1);
    assert_int_equal((full1 - full0) + (part1 - part0) + (fade1 - fade0), 1);
    return full1 > full0 ? 'f' : fade1 > fade0 ? 'r' : 'p';
}

/* ---- band-only frames are the full frame -------------------------------------------------- */

/* From a full frame, draws band-only frames at `n` times; after each, the same time drawn in
 * full (invalidated) must give the same pixels, and the band must have moved since the last
 * time checked (else a band-only frame that painted nothing would pass too). */
static void check_band_frames(ui_fixture *f, const bt_mono_ns *times, size_t n)
{
    size_t npx = (size_t)f->width * (size_t)f->height;
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    size_t band = (size_t)fr->ticker.y * (size_t)f->width;
    size_t band_px = (size_t)fr->ticker.h * (size_t)f->width;
    assert_true(band_px > 0);
    Uint32 *partial = malloc(npx * 4), *last_band = malloc(band_px * 4);
    assert_non_null(partial);
    assert_non_null(last_band);
    bt_screen_invalidate(f->screen);
    assert_int_equal(frame_kind(f, MONDAY_0905, times[0]), 'f');
    ui_read(f);
    memcpy(last_band, f->pixels + band, band_px * 4);
    for (size_t i = 1; i < n; i++) {
        /* Several band-only frames in a row, as the kiosk draws them. */
        assert_int_equal(frame_kind(f, MONDAY_0905, times[i] - 40 * MS), 'p');
        assert_int_equal(frame_kind(f, MONDAY_0905 + 20, times[i]), 'p');
        ui_read(f);
        memcpy(partial, f->pixels, npx * 4);
        assert_memory_not_equal(last_band, partial + band, band_px * 4);
        memcpy(last_band, partial + band, band_px * 4);
        bt_screen_invalidate(f->screen);
        assert_int_equal(frame_kind(f, MONDAY_0905 + 20, times[i]), 'f');
        ui_read(f);
        if (memcmp(partial, f->pixels, npx * 4) != 0) {
            size_t k = 0;
            while (partial[k] == f->pixels[k])
                k++;
            fail_msg("%dx%d at %lld ms: band-only frame differs from the full one at (%zu, %zu)",
                     f->width, f->height, (long long)(times[i] / MS), k % (size_t)f->width,
                     k / (size_t)f->width);
        }
    }
    free(partial);
    free(last_band);
}

static void test_band_only_equals_full(void **state)
{
    (void)state;
    /* Off the frame grid too, and long after the start (a later pass of the ticker). */
    const bt_mono_ns times[] = {5000 * MS, 5033 * MS, 5101 * MS, 6000 * MS, 9876 * MS,
                                600000 * MS + 17, 3600000 * MS};
    const size_t n = sizeof times / sizeof times[0];
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, sizes[o][0], sizes[o][1]);
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        check_band_frames(&f, times, n);
        /* The idle screen (its own large clock) and a notice with an image. */
        bt_screen_show(f.screen, BT_ROTATION_NONE, false, 0);
        check_band_frames(&f, times, n);
        bt_screen_show(f.screen, N_IMAGE, false, 0);
        check_band_frames(&f, times, n);
        /* A long "ĐANG PHÁT" title scrolls in the band instead of the ticker: at rest first
         * (the band still must be repainted: the ticker is gone), then moving. */
        bt_screen_set_now_playing(f.screen, LONG_TITLE);
        assert_true(bt_screen_banner_plan(f.screen)->scrolls);
        const bt_mono_ns banner_times[] = {1000 * MS, 4000 * MS, 4500 * MS, 9000 * MS};
        ui_frame(&f, MONDAY_0905, 0); /* the banner's first frame: its pass starts here */
        check_band_frames(&f, banner_times, 4);
        ui_close(&f);
    }
}

/* A crossfade between two text notices: each of its frames that repaints only the slides'
 * region (and moves the band) is pixel for pixel the full frame at the same time, landscape and
 * portrait, and there are such frames. */
static void test_fade_region_equals_full(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, sizes[o][0], sizes[o][1]);
        size_t npx = (size_t)f.width * (size_t)f.height;
        Uint32 *drawn = malloc(npx * 4);
        assert_non_null(drawn);
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        assert_int_equal(frame_kind(&f, MONDAY_0905, 1000 * MS), 'f');
        bt_mono_ns start = 2000 * MS;
        bt_screen_show(f.screen, N_QR, true, start);
        int regions = 0;
        for (bt_mono_ns t = start + 42 * MS; t <= start + 800 * MS; t += 42 * MS) {
            char kind = frame_kind(&f, MONDAY_0905, t);
            if (kind != 'r')
                continue;
            regions++;
            ui_read(&f);
            memcpy(drawn, f.pixels, npx * 4);
            bt_screen_invalidate(f.screen);
            assert_int_equal(frame_kind(&f, MONDAY_0905, t), 'f');
            ui_read(&f);
            if (memcmp(drawn, f.pixels, npx * 4) != 0) {
                size_t k = 0;
                while (drawn[k] == f.pixels[k])
                    k++;
                fail_msg("%dx%d at %lld ms: crossfade region frame differs from the full one "
                         "at (%zu, %zu)", f.width, f.height, (long long)((t - start) / MS),
                         k % (size_t)f.width, k / (size_t)f.width);
            }
        }
        assert_true(regions >= 8);
        free(drawn);
        ui_close(&f);
    }
}

/* The kiosk turns the screen by drawing into a target texture: that keeps the frame too. */
static void test_band_only_in_render_target(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1080, 1920);
    SDL_Texture *target = SDL_CreateTexture(f.renderer, SDL_PIXELFORMAT_ARGB8888,
                                            SDL_TEXTUREACCESS_TARGET, f.width, f.height);
    assert_non_null(target);
    assert_int_equal(SDL_SetRenderTarget(f.renderer, target), 0);
    bt_screen_show(f.screen, N_QR, false, 0);
    const bt_mono_ns times[] = {2000 * MS, 2033 * MS, 2500 * MS, 7777 * MS};
    check_band_frames(&f, times, 4);
    SDL_SetRenderTarget(f.renderer, NULL);
    SDL_DestroyTexture(target);
    ui_close(&f);
}

/* ---- what brings a full frame ------------------------------------------------------------- */

static void test_full_repaint_triggers(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080);
    bt_wall w = MONDAY_0905;
    bt_mono_ns t = 1000 * MS;
    bt_screen_show(f.screen, N_TEXT_QR, false, t);
    assert_int_equal(frame_kind(&f, w, t), 'f'); /* the first frame */
    assert_int_equal(frame_kind(&f, w, t += 42 * MS), 'p');
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'p'); /* same minute */

    /* A crossfade between two text notices (the same header): a full frame at its first step,
     * a frame of the slides' region at each later step of its opacity (every 83 ms, every other
     * ticker frame) and at its end (the new slide at full opacity), the ticker's frames in
     * between band-only over it, then band-only again. */
    bt_mono_ns fade_start = t;
    bt_screen_show(f.screen, N_QR, true, t);
    bt_mono_ns fade_end = t + (bt_mono_ns)f.sc.transition_ms * MS;
    int steps = 0, between = 0;
    long long last_step = -1;
    for (t += 42 * MS; t < fade_end; t += 42 * MS) {
        long long step = (t - fade_start) / (83 * MS);
        char kind = frame_kind(&f, w + 59, t);
        assert_int_equal(kind, step == last_step ? 'p' : last_step < 0 ? 'f' : 'r');
        steps += kind != 'p';
        between += kind == 'p';
        last_step = step;
    }
    assert_true(steps >= 9 && between >= 6);
    assert_int_equal(frame_kind(&f, w + 59, t), 'r');
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'p');

    /* A crossfade to an image notice (slim header): every step full. */
    bt_screen_show(f.screen, N_IMAGE, true, t);
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'f');
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'f');
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'p');
    t += (bt_mono_ns)f.sc.transition_ms * MS;
    assert_int_equal(frame_kind(&f, w + 59, t), 'f');
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'p');

    /* A cut to another notice; showing the same one again changes nothing. */
    bt_screen_show(f.screen, N_URGENT, false, t);
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'f');
    bt_screen_show(f.screen, N_URGENT, true, t);
    assert_int_equal(frame_kind(&f, w + 59, t += 42 * MS), 'p');

    /* The clock's next minute (the header shows it). */
    assert_int_equal(frame_kind(&f, w + 60, t += 42 * MS), 'f');
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'p');

    /* The banner comes, stays (the app repeats itself), goes. */
    bt_screen_set_now_playing(f.screen, "Bản tin sáng");
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'f');
    bt_screen_set_now_playing(f.screen, "Bản tin sáng");
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'p');
    bt_screen_set_now_playing(f.screen, NULL);
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'f');
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'p');

    /* New schedule rows; the same rows again are no change. */
    bt_screen_schedule_row rows[1];
    memset(rows, 0, sizeof rows);
    rows[0].minute = 17 * 60;
    snprintf(rows[0].name, sizeof rows[0].name, "Bản tin chiều");
    rows[0].state = BT_SLOT_UPCOMING;
    bt_day day = bt_time_day_of(w);
    bt_screen_set_schedule(f.screen, rows, 1, day);
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'f');
    bt_screen_set_schedule(f.screen, rows, 1, day);
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'p');

    /* The window was exposed or resized: the kiosk invalidates. */
    bt_screen_invalidate(f.screen);
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'f');
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'p');

    /* A new playlist. */
    bt_screen_set_playlist(f.screen, &f.playlist, UI_PLAYLIST_DIR);
    assert_int_equal(frame_kind(&f, w + 61, t += 42 * MS), 'f');
    ui_close(&f);

    /* No band at all (no ticker, no broadcasts): a redraw the app asks for anyway paints
     * nothing, and the frame is still the full one. */
    memset(&f, 0, sizeof f);
    ui_config(&f);
    f.playlist = playlist;
    f.sc.ticker_enabled = false;
    ui_open(&f, 1920, 1080, true);
    assert_int_equal(bt_screen_frame(f.screen)->ticker.h, 0);
    bt_screen_show(f.screen, N_LONG_FITS, false, 0);
    assert_int_equal(frame_kind(&f, w, 0), 'f');
    size_t npx = (size_t)f.width * (size_t)f.height;
    Uint32 *full = malloc(npx * 4);
    assert_non_null(full);
    ui_read(&f);
    memcpy(full, f.pixels, npx * 4);
    assert_int_equal(frame_kind(&f, w + 30, 500 * MS), 'p');
    ui_read(&f);
    assert_memory_equal(full, f.pixels, npx * 4);
    free(full);
    ui_close(&f);
}

/* ---- 24 frames per second, even steps ----------------------------------------------------- */

static void test_ticker_frame_rate(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    /* 120 px/s at 1080 px: 5 px a frame, one frame every 41⅔ ms. */
    int ms = bt_screen_draw(f.screen, MONDAY_0905, 0);
    assert_true(ms >= 41 && ms <= 42);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 12 * MS), 30);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 41 * MS), 1); /* just before one */

    /* A loop that sleeps what draw returns, and wakes 1–3 ms late: 24 frames a second, not
     * fewer (frames are locked to the clock's grid, the lateness does not add up). */
    bt_mono_ns t = 5000 * MS, end = t + 10000 * MS;
    int frames = 0, shortest = 1000, longest = 0;
    while (t < end) {
        ms = bt_screen_draw(f.screen, MONDAY_0905, t);
        if (frames > 0) {
            shortest = ms < shortest ? ms : shortest;
            longest = ms > longest ? ms : longest;
        }
        t += (bt_mono_ns)ms * MS + (bt_mono_ns)(1 + frames % 3) * MS;
        frames++;
    }
    assert_true(frames >= 235 && frames <= 245);
    assert_true(shortest >= 37 && longest <= 42);

    /* Frames woken a little late show the step of their grid point: each band is the one
     * before moved left by exactly 5 px. Grid point k is at k × 41⅔ ms (+1 ns: rounded up). */
    const bt_layout_frame *fr = bt_screen_frame(f.screen);
    size_t w = (size_t)f.width, band_px = (size_t)fr->ticker.h * w;
    Uint32 *before = malloc(band_px * 4);
    assert_non_null(before);
    for (int k = 0; k <= 8; k++) {
        bt_mono_ns grid = (bt_mono_ns)(480 + k) * 125000000 / 3 + 1;
        ui_frame(&f, MONDAY_0905, grid + (k % 3) * 2 * MS);
        const Uint32 *now = f.pixels + (size_t)fr->ticker.y * w;
        for (size_t y = 0; k > 0 && y < (size_t)fr->ticker.h; y++)
            assert_memory_equal(now + y * w, before + y * w + 5, (w - 5) * 4);
        memcpy(before, now, band_px * 4);
    }
    free(before);

    /* A crossfade rides on the same grid while the ticker runs. */
    bt_screen_show(f.screen, N_QR, true, 30000 * MS);
    ms = bt_screen_draw(f.screen, MONDAY_0905, 30000 * MS + 5 * MS);
    assert_true(ms >= 36 && ms <= 37);
    ui_close(&f);

    /* Without the ticker: a crossfade asks for a frame at its next step, a still screen for
     * none. */
    memset(&f, 0, sizeof f);
    ui_config(&f);
    f.playlist = playlist;
    f.sc.ticker_enabled = false;
    ui_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 0), -1);
    bt_screen_show(f.screen, N_QR, true, 1000 * MS);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 1100 * MS), 66);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 5000 * MS), -1);
    ui_close(&f);
}

/* ---- damage: what a frame changed ----------------------------------------------------------- */

/* Draws at wall/mono and checks that every pixel that differs from `before` (the last frame)
 * lies inside bt_screen_damage; `before` then becomes this frame. Returns the damage. */
static SDL_Rect damage_frame(ui_fixture *f, Uint32 *before, bt_wall wall, bt_mono_ns mono)
{
    bt_screen_draw(f->screen, wall, mono);
    ui_read(f);
    SDL_Rect d = bt_screen_damage(f->screen);
    for (int y = 0; y < f->height; y++)
        for (int x = 0; x < f->width; x++) {
            size_t k = (size_t)y * (size_t)f->width + (size_t)x;
            SDL_Point p = {x, y};
            if (before[k] != f->pixels[k] && !SDL_PointInRect(&p, &d))
                fail_msg("%dx%d at %lld ms: (%d, %d) changed outside the damage %d,%d %dx%d",
                         f->width, f->height, (long long)(mono / MS), x, y, d.x, d.y, d.w,
                         d.h);
        }
    memcpy(before, f->pixels, (size_t)f->width * (size_t)f->height * 4);
    return d;
}

static bool is_whole(const ui_fixture *f, SDL_Rect d)
{
    return d.x == 0 && d.y == 0 && d.w == f->width && d.h == f->height;
}

static void test_damage_holds_every_change(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, sizes[o][0], sizes[o][1]);
        Uint32 *before = calloc((size_t)f.width * (size_t)f.height, 4);
        assert_non_null(before);
        const bt_layout_frame *fr = bt_screen_frame(f.screen);
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        assert_true(is_whole(&f, damage_frame(&f, before, MONDAY_0905, 5000 * MS)));
        /* Ticker frames on and off the grid, one late by several steps: the band's text rows,
         * narrower than the band, never empty while it moves. */
        const bt_mono_ns ticks[] = {5033, 5066, 5101, 5250, 5283, 9876};
        for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
            SDL_Rect d = damage_frame(&f, before, MONDAY_0905, ticks[i] * MS);
            assert_true(d.w == f.width && d.h > 0);
            assert_true(d.y >= fr->ticker.y && d.y + d.h <= fr->ticker.y + fr->ticker.h);
            assert_true(d.h < fr->ticker.h);
        }
        /* The staff mark appears, changes, goes: its rectangle and the band. */
        bt_screen_set_staff_notice(f.screen, "Loa: chưa ghi được nhật ký");
        damage_frame(&f, before, MONDAY_0905, 10000 * MS);
        bt_screen_set_staff_notice(f.screen, "Thẻ nhớ: đang chép");
        damage_frame(&f, before, MONDAY_0905, 10033 * MS);
        bt_screen_set_staff_notice(f.screen, NULL);
        damage_frame(&f, before, MONDAY_0905, 10066 * MS);
        /* A crossfade to another text notice (frames of the slides' region), on the grid. */
        bt_screen_show(f.screen, N_QR, true, 10500 * MS);
        for (bt_mono_ns t = 10542; t <= 10542 + 42 * 18; t += 42)
            damage_frame(&f, before, MONDAY_0905 + 10, t * MS);
        /* A crossfade to an image notice, the frames after it, the next minute. */
        bt_screen_show(f.screen, N_IMAGE, true, 11000 * MS);
        for (bt_mono_ns t = 11000; t <= 12100; t += 100)
            damage_frame(&f, before, MONDAY_0905 + 10, t * MS);
        damage_frame(&f, before, MONDAY_0905 + 10, 12133 * MS);
        assert_true(is_whole(&f, damage_frame(&f, before, MONDAY_0905 + 60, 12166 * MS)));
        /* The "ĐANG PHÁT" banner comes, scrolls, goes. */
        bt_screen_set_now_playing(f.screen, LONG_TITLE);
        damage_frame(&f, before, MONDAY_0905 + 60, 13000 * MS);
        for (bt_mono_ns t = 13033; t <= 17000; t += 997)
            damage_frame(&f, before, MONDAY_0905 + 60, t * MS);
        bt_screen_set_now_playing(f.screen, NULL);
        damage_frame(&f, before, MONDAY_0905 + 60, 17033 * MS);
        damage_frame(&f, before, MONDAY_0905 + 60, 17066 * MS);
        free(before);
        ui_close(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_only_equals_full),
        cmocka_unit_test(test_band_only_in_render_target),
        cmocka_unit_test(test_fade_region_equals_full),
        cmocka_unit_test(test_full_repaint_triggers),
        cmocka_unit_test(test_ticker_frame_rate),
        cmocka_unit_test(test_damage_holds_every_change),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
