/* The loudspeaker parts of the lobby screen (issue 3), headless:
 *   - the "Lịch phát thanh hôm nay" slide with a row in every state, in both orientations: each
 *     state plate really has its colour AND its words (text pixels in the label's box), names and
 *     times are drawn, nothing is painted outside the planned boxes, and the empty schedule says
 *     so in words;
 *   - the slide is rasterised again only when the rows change;
 *   - the "ĐANG PHÁT" banner: large, inside the bottom band, never over the notice (the stage is
 *     pixel-identical with and without it), never mixed with ticker text, scrolling only when
 *     its title is too long, and a band reserved for it when there is no ticker;
 *   - screenshots with rows and banner (bt_screen_render_png_ex).
 * Screenshots land in <build>/test-tmp/ui-schedule. */
#include "ui_fixture.h"

#include "bangtin/bt_layout.h"
#include "bangtin/bt_ui_theme.h"
#include "bangtin/bt_vi.h"

#define SCHED_DIR BT_SOURCE_DIR "/tests/data/ui/schedule"
/* Notices of tests/data/ui/schedule/playlist.cfg. */
enum { S_SCHEDULE = 0, S_TEXT = 1, S_URGENT_SCHEDULE = 2, S_COUNT = 3 };

#define LONG_TITLE                                                                              \
    "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở, thanh toán phí trực tuyến"
#define SHORT_TITLE "Bản tin chiều"

static bt_playlist playlist, basic;
static char *tmp;
static bt_wall MONDAY_1705; /* 23/11/2026 17:05 in Hà Nội */
static bt_day MONDAY;

/* Today's sessions, one in each state, in time order. */
static const bt_screen_schedule_row ROWS[] = {
    {360, "Bản tin sáng", BT_SLOT_AIRED},
    {390, "Ngày Chuyển đổi số quốc gia: tin ưu tiên", BT_SLOT_MADE_UP},
    {660, "Thông báo khẩn về phòng, chống bão", BT_SLOT_MISSED},
    {1020, "Bản tin chiều", BT_SLOT_AIRING},
    {1110, "Bản tin tối", BT_SLOT_UPCOMING},
};
#define ROW_COUNT (sizeof ROWS / sizeof ROWS[0])

static const int ORIENTATIONS[][2] = {{1920, 1080}, {1080, 1920}};

static int group_setup(void **state)
{
    (void)state;
    ui_video_init();
    MONDAY_1705 = bt_time_from_civil(2026, 11, 23, 17, 5, 0);
    MONDAY = bt_time_day_of(MONDAY_1705);
    ui_load_playlist_count(&playlist, SCHED_DIR, S_COUNT);
    ui_load_playlist(&basic, UI_PLAYLIST_DIR);
    tmp = ui_temp("ui-schedule");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    bt_playlist_free(&playlist);
    bt_playlist_free(&basic);
    free(tmp);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return 0;
}

static void fixture_open(ui_fixture *f, int w, int h, const bt_playlist *p, bool ticker)
{
    char err[512];
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->sc.ticker_enabled = ticker;
    f->width = w;
    f->height = h;
    f->window = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    assert_non_null(f->window);
    f->renderer = SDL_CreateRenderer(f->window, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(f->renderer);
    int rc = bt_screen_create(f->renderer, w, h, &f->sc, &f->screen, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "bt_screen_create: %s\n", err);
    assert_int_equal(rc, 0);
    bt_screen_set_playlist(f->screen, p, p == &basic ? UI_PLAYLIST_DIR : SCHED_DIR);
    f->pixels = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(f->pixels);
}

static void shot(const ui_fixture *f, const char *name)
{
    char png[1024];
    snprintf(png, sizeof png, "%s/%s-%dx%d.png", tmp, name, f->width, f->height);
    ui_save(f, png);
}

static Uint32 px(const ui_fixture *f, int x, int y)
{
    return f->pixels[(size_t)y * (size_t)f->width + (size_t)x];
}

static bool inside(bt_rect r, int x, int y)
{
    return r.w > 0 && r.h > 0 && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* Pixels of the box within `tolerance` of colour c. */
static size_t count_rgb(const ui_fixture *f, bt_rect r, bt_rgb c, int tolerance)
{
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += ui_is_rgb(px(f, x, y), c, tolerance);
    return n;
}

/* The block of the plan whose text is exactly `text` (NULL if none). */
static const bt_layout_text *block_with(const bt_layout_slide *p, const char *text)
{
    for (size_t i = 0; i < p->text_count; i++)
        if (p->texts[i].text && strcmp(p->texts[i].text, text) == 0)
            return &p->texts[i];
    return NULL;
}

/* The block of row k whose text is `text` (time, name and label lie within the row's band). */
static const bt_layout_text *row_block(const bt_layout_slide *p, size_t k, const char *text)
{
    for (size_t i = 0; i < p->text_count; i++) {
        const bt_layout_text *t = &p->texts[i];
        if (t->text && strcmp(t->text, text) == 0 && bt_rect_contains(p->rows[k], t->box))
            return t;
    }
    return NULL;
}

/* Ink of a line box actually painted: pixels of the text's colour within its box. */
static size_t text_pixels(const ui_fixture *f, const bt_layout_text *t)
{
    return count_rgb(f, t->box, bt_ui_ink_text(&f->sc, t->ink), 24);
}

static void set_rows(ui_fixture *f, size_t n)
{
    bt_screen_set_schedule(f->screen, ROWS, n, MONDAY);
}

/* ---- the table ------------------------------------------------------------------------------ */

/* Every pixel of the slide's area that is not the background lies in a planned box: a text, a
 * row band (the row on air is tinted; rules sit at row tops), a state plate or the badge. */
static void check_nothing_stray(const ui_fixture *f, const bt_layout_slide *plan)
{
    size_t stray = 0;
    bt_rect area = plan->area;
    for (int y = area.y; y < area.y + area.h; y++)
        for (int x = area.x; x < area.x + area.w; x++) {
            if (ui_is_rgb(px(f, x, y), f->sc.background, 0))
                continue;
            bool ok = inside(plan->badge, x, y);
            for (size_t k = 0; k < plan->row_count && !ok; k++)
                ok = inside(plan->rows[k], x, y) || inside(plan->chips[k], x, y);
            for (size_t i = 0; i < plan->text_count && !ok; i++)
                ok = inside(plan->texts[i].box, x, y);
            stray += !ok;
        }
    assert_int_equal(stray, 0);
    /* And nothing of the slide outside its area: the area is clear of the corner and band. */
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    assert_false(bt_rect_overlaps(area, fr->corner));
    assert_false(bt_rect_overlaps(area, fr->ticker));
}

/* The salmon plate the lobby once showed a miss on. */
static const bt_rgb OLD_MISSED_PLATE = {0xFF, 0xB1, 0x99};

/* Row k is a miss: its time and name are there, but no word of failure and no plate (issue 14:
 * "bỏ lỡ" is for staff), and nothing of the old salmon plate anywhere in the row. */
static void check_miss_unsaid(const ui_fixture *f, const bt_layout_slide *plan, size_t k)
{
    assert_int_equal(plan->chips[k].w, 0);
    assert_null(block_with(plan, bt_vi_slot_state(BT_SLOT_MISSED)));
    assert_int_equal(count_rgb(f, plan->rows[k], OLD_MISSED_PLATE, 8), 0);
    char time[16];
    snprintf(time, sizeof time, "%02d:%02d", ROWS[k].minute / 60, ROWS[k].minute % 60);
    const bt_layout_text *t = row_block(plan, k, time);
    const bt_layout_text *name = row_block(plan, k, ROWS[k].name);
    assert_non_null(t);
    assert_non_null(name);
    assert_true(text_pixels(f, t) > (size_t)t->size);
    assert_true(text_pixels(f, name) > (size_t)name->size);
}

static void check_rows_painted(const ui_fixture *f, const bt_layout_slide *plan, size_t n)
{
    char time[16];
    assert_int_equal(plan->row_count, n);
    assert_int_equal(plan->rows_hidden, 0);
    for (size_t k = 0; k < n; k++) {
        const bt_screen_schedule_row *row = &ROWS[k];
        bt_rect chip = plan->chips[k];
        bt_ink ink = bt_layout_slot_ink(row->state);
        assert_int_equal(plan->row_states[k], row->state);
        if (!bt_layout_slot_plate(row->state)) {
            check_miss_unsaid(f, plan, k);
            continue;
        }
        assert_true(bt_rect_contains(plan->rows[k], chip));
        /* Words: the state label is in the plate and its letters are painted. */
        const bt_layout_text *label = row_block(plan, k, bt_vi_slot_state(row->state));
        assert_non_null(label);
        assert_int_equal(label->ink, ink);
        assert_true(bt_rect_contains(chip, label->box));
        size_t letters = text_pixels(f, label);
        if (letters < (size_t)label->size * 4)
            fail_msg("row %zu: label \"%s\" has only %zu text pixels", k, label->text, letters);
        /* Colour: the plate is filled with the state's colour (an outline for "sắp phát"). */
        size_t area = (size_t)chip.w * (size_t)chip.h;
        if (row->state == BT_SLOT_UPCOMING) {
            bt_rect top = {chip.x, chip.y, chip.w, 1}, left = {chip.x, chip.y, 1, chip.h};
            assert_int_equal(count_rgb(f, top, f->sc.foreground, 0), (size_t)chip.w);
            assert_int_equal(count_rgb(f, left, f->sc.foreground, 0), (size_t)chip.h);
        } else {
            size_t plate = count_rgb(f, chip, bt_ui_ink_ground(&f->sc, ink), 0);
            if (plate * 2 < area)
                fail_msg("row %zu: plate of \"%s\" is only %zu of %zu px", k, label->text, plate,
                         area);
        }
        /* Time and name are painted, as large as the label and never below the floor. */
        snprintf(time, sizeof time, "%02d:%02d", row->minute / 60, row->minute % 60);
        const bt_layout_text *t = row_block(plan, k, time);
        const bt_layout_text *name = row_block(plan, k, row->name);
        assert_non_null(t);
        assert_non_null(name);
        assert_true(text_pixels(f, t) > (size_t)t->size);
        assert_true(text_pixels(f, name) > (size_t)name->size);
        const bt_layout_frame *fr = bt_screen_frame(f->screen);
        assert_true(name->size >= fr->min_body_px && t->size >= fr->min_body_px &&
                    label->size >= fr->min_body_px);
        for (size_t l = 0; l < name->line_count; l++)
            assert_false(name->lines[l].ellipsis);
        /* The session on air stands out: its row is tinted. */
        if (row->state == BT_SLOT_AIRING) {
            size_t tint = count_rgb(f, plan->rows[k], bt_ui_ink_ground(&f->sc, BT_INK_CORNER), 0);
            assert_true(tint * 3 > (size_t)plan->rows[k].w * (size_t)plan->rows[k].h);
        }
    }
}

static void test_table_every_state_both_orientations(void **state)
{
    (void)state;
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        set_rows(&f, ROW_COUNT);
        bt_screen_show(f.screen, S_SCHEDULE, false, 0);
        ui_frame(&f, MONDAY_1705, 0);
        shot(&f, "sched-table");
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_non_null(plan);
        assert_int_equal(plan->kind, BT_SLIDE_SCHEDULE);
        assert_true(plan->fits);
        assert_true(plan->corner); /* the portal QR stays in its corner */
        /* Title (the default) and the day under it. */
        const bt_layout_text *title = block_with(plan, BT_SCHEDULE_NOTICE_TITLE);
        assert_non_null(title);
        assert_true(text_pixels(&f, title) > 100);
        assert_non_null(block_with(plan, "Thứ Hai, 23/11/2026"));
        check_rows_painted(&f, plan, ROW_COUNT);
        check_nothing_stray(&f, plan);

        /* The same slide without sessions: the sentence instead of the table. */
        Uint32 *with_rows = malloc((size_t)f.width * (size_t)f.height * 4);
        assert_non_null(with_rows);
        memcpy(with_rows, f.pixels, (size_t)f.width * (size_t)f.height * 4);
        bt_screen_set_schedule(f.screen, NULL, 0, MONDAY);
        ui_frame(&f, MONDAY_1705, 0);
        shot(&f, "sched-empty");
        plan = bt_screen_current_plan(f.screen);
        assert_int_equal(plan->row_count, 0);
        const bt_layout_text *msg = block_with(plan, BT_LAYOUT_SCHEDULE_EMPTY);
        assert_non_null(msg);
        assert_true(msg->fits);
        assert_true(text_pixels(&f, msg) > 200);
        check_nothing_stray(&f, plan);
        /* The plates are gone: no pixel of any state colour is left on the slide. */
        for (bt_slot_state st = BT_SLOT_AIRED; st <= BT_SLOT_MADE_UP; st++)
            assert_int_equal(count_rgb(&f, plan->area,
                                       bt_ui_ink_ground(&f.sc, bt_layout_slot_ink(st)), 0),
                             0);
        assert_memory_not_equal(with_rows, f.pixels, (size_t)f.width * (size_t)f.height * 4);
        free(with_rows);
        ui_close(&f);
    }
}

/* Before the app has passed any rows the slide does not invent a date. */
static void test_table_before_any_rows(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, &playlist, true);
    bt_screen_show(f.screen, S_SCHEDULE, false, 0);
    ui_frame(&f, MONDAY_1705, 0);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    assert_int_equal(plan->kind, BT_SLIDE_SCHEDULE);
    assert_int_equal(plan->text_count, 2); /* title and the sentence */
    assert_non_null(block_with(plan, BT_LAYOUT_SCHEDULE_EMPTY));
    ui_close(&f);
}

/* An urgent schedule notice carries the urgent label, its own title, and the table under. */
static void test_urgent_table(void **state)
{
    (void)state;
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        set_rows(&f, ROW_COUNT);
        bt_screen_show(f.screen, S_URGENT_SCHEDULE, false, 0);
        ui_frame(&f, MONDAY_1705, 0);
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_true(plan->badge.w > 0);
        assert_non_null(block_with(plan, BT_LAYOUT_URGENT_LABEL));
        assert_non_null(block_with(plan, "Lịch phát thanh khẩn hôm nay"));
        check_rows_painted(&f, plan, ROW_COUNT);
        check_nothing_stray(&f, plan);
        ui_close(&f);
    }
}

/* The slide is rasterised once per change of the rows, never on a repeated call, and not at
 * all while another notice shows. */
static void test_table_rasterised_only_on_change(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, &playlist, true);
    set_rows(&f, ROW_COUNT);
    bt_screen_show(f.screen, S_SCHEDULE, false, 0);
    ui_frame(&f, MONDAY_1705, 0);
    unsigned long r0 = bt_screen_raster_count(f.screen);
    for (int i = 0; i < 5; i++) {
        set_rows(&f, ROW_COUNT); /* the app calls on every decision */
        bt_screen_draw(f.screen, MONDAY_1705, (bt_mono_ns)i * 16000000);
    }
    assert_int_equal(bt_screen_raster_count(f.screen), r0);
    /* "Bản tin chiều" ends: one change, one new rasterisation of the slide. */
    bt_screen_schedule_row changed[ROW_COUNT];
    memcpy(changed, ROWS, sizeof changed);
    changed[3].state = BT_SLOT_AIRED;
    bt_screen_set_schedule(f.screen, changed, ROW_COUNT, MONDAY);
    unsigned long r1 = bt_screen_raster_count(f.screen);
    assert_true(r1 > r0);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    assert_int_equal(plan->row_states[3], BT_SLOT_AIRED);
    assert_non_null(row_block(plan, 3, "đã phát"));
    bt_screen_set_schedule(f.screen, changed, ROW_COUNT, MONDAY);
    assert_int_equal(bt_screen_raster_count(f.screen), r1);
    /* A new day with the same rows is a change too (the date line). */
    bt_screen_set_schedule(f.screen, changed, ROW_COUNT, MONDAY + 1);
    assert_true(bt_screen_raster_count(f.screen) > r1);
    assert_non_null(block_with(bt_screen_current_plan(f.screen), "Thứ Ba, 24/11/2026"));
    /* Another notice on screen (the schedule slide still cached as the previous one): the
     * schedule slide is brought up to date, the text notice is untouched. */
    bt_screen_show(f.screen, S_TEXT, false, 0);
    ui_frame(&f, MONDAY_1705, 0);
    unsigned long r2 = bt_screen_raster_count(f.screen);
    set_rows(&f, ROW_COUNT);
    unsigned long r3 = bt_screen_raster_count(f.screen);
    assert_true(r3 > r2);
    assert_int_equal(bt_screen_current_plan(f.screen)->kind, BT_SLIDE_TEXT);
    bt_screen_show(f.screen, S_SCHEDULE, false, 0);
    ui_frame(&f, MONDAY_1705, 0);
    assert_int_equal(bt_screen_raster_count(f.screen), r3); /* cached, already current */
    assert_int_equal(bt_screen_current_plan(f.screen)->row_states[3], BT_SLOT_AIRING);
    ui_close(&f);
}

/* A busy day (twelve sessions): eight rows at most, the session on air in view, the others
 * summed up in words; and long session names: never cut, in both orientations. */
static void test_table_many_rows_and_long_names(void **state)
{
    (void)state;
    static const struct { int minute; const char *name; bt_slot_state state; } day[] = {
        {330, "Bản tin sáng sớm", BT_SLOT_AIRED},
        {360, "Bản tin sáng", BT_SLOT_AIRED},
        {390, "Tin cải cách hành chính", BT_SLOT_MISSED},
        {420, "Tin dịch vụ công trực tuyến", BT_SLOT_AIRED},
        {660, "Bản tin trưa", BT_SLOT_AIRED},
        {690, "Tin định danh điện tử", BT_SLOT_MADE_UP},
        {990, "Tin phòng, chống thiên tai", BT_SLOT_AIRED},
        {1020, "Bản tin chiều", BT_SLOT_AIRING},
        {1050, "Tin chuyển đổi số", BT_SLOT_UPCOMING},
        {1080, "Bản tin tối", BT_SLOT_UPCOMING},
        {1095, "Tin an ninh trật tự", BT_SLOT_UPCOMING},
        {1110, "Tin văn hoá, thể thao", BT_SLOT_UPCOMING},
    };
    static const char *const long_names[] = {
        "Thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân phường",
        "Hướng dẫn nộp hồ sơ trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia",
        "Tuyên truyền Ngày Chuyển đổi số quốc gia và kích hoạt tài khoản VNeID mức 2",
    };
    bt_screen_schedule_row rows[12];
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        memset(rows, 0, sizeof rows);
        for (size_t i = 0; i < 12; i++) {
            rows[i].minute = day[i].minute;
            snprintf(rows[i].name, sizeof rows[i].name, "%s", day[i].name);
            rows[i].state = day[i].state;
        }
        bt_screen_set_schedule(f.screen, rows, 12, MONDAY);
        bt_screen_show(f.screen, S_SCHEDULE, false, 0);
        ui_frame(&f, MONDAY_1705, 0);
        shot(&f, "sched-many");
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_true(plan->fits);
        assert_int_equal(plan->row_count, BT_LAYOUT_SCHEDULE_MAX_ROWS);
        assert_int_equal(plan->rows_hidden, 12 - BT_LAYOUT_SCHEDULE_MAX_ROWS);
        bool on_air = false;
        for (size_t k = 0; k < plan->row_count; k++)
            on_air = on_air || plan->row_states[k] == BT_SLOT_AIRING;
        assert_true(on_air);
        const bt_layout_text *more = block_with(plan, "… và 4 buổi phát khác trong ngày");
        assert_non_null(more);
        assert_true(text_pixels(&f, more) > 100);
        check_nothing_stray(&f, plan);

        for (size_t i = 0; i < 3; i++) {
            snprintf(rows[i].name, sizeof rows[i].name, "%s", long_names[i]);
            rows[i].minute = 360 + 30 * (int)i;
            rows[i].state = i == 0 ? BT_SLOT_AIRED : i == 1 ? BT_SLOT_AIRING : BT_SLOT_UPCOMING;
        }
        bt_screen_set_schedule(f.screen, rows, 3, MONDAY);
        ui_frame(&f, MONDAY_1705, 0);
        shot(&f, "sched-long-names");
        plan = bt_screen_current_plan(f.screen);
        assert_true(plan->fits);
        assert_int_equal(plan->row_count, 3);
        for (size_t k = 0; k < 3; k++) {
            const bt_layout_text *name = row_block(plan, k, rows[k].name);
            assert_non_null(name);
            for (size_t l = 0; l < name->line_count; l++)
                assert_false(name->lines[l].ellipsis);
            assert_true(text_pixels(&f, name) > 200);
        }
        check_nothing_stray(&f, plan);
        ui_close(&f);
    }
}

/* ---- the now-playing banner ------------------------------------------------------------------ */

/* The banner's boxes: inside the band, apart from each other, from the notice area, the corner
 * and the header; its text at or above the floor. */
static void check_banner_plan(const ui_fixture *f, const bt_layout_banner *b)
{
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    assert_non_null(b);
    assert_true(fr->ticker.h > 0);
    assert_memory_equal(&b->band, &fr->ticker, sizeof b->band);
    assert_true(bt_rect_contains(fr->ticker, b->plate));
    assert_true(bt_rect_contains(fr->ticker, b->title_clip));
    assert_true(bt_rect_contains(b->plate, b->label.box));
    assert_false(bt_rect_overlaps(b->plate, b->title_clip));
    assert_false(bt_rect_overlaps(fr->ticker, fr->main));
    assert_false(bt_rect_overlaps(fr->ticker, fr->corner));
    assert_false(bt_rect_overlaps(fr->ticker, fr->header));
    assert_true(b->label.size >= fr->min_body_px);
    assert_true(b->title.size >= fr->min_body_px);
    assert_int_equal(b->label.line_count, 1);
    assert_int_equal(b->title.line_count, 1);
    assert_false(b->title.lines[0].ellipsis); /* never cut: it scrolls instead */
    assert_true(b->title.line_height <= fr->ticker.h);
}

/* Pixels of the band outside the plate and the title's clip are the band's colour: no ticker
 * text beside or under the banner. */
static void check_band_clean(const ui_fixture *f, const bt_layout_banner *b)
{
    size_t other = 0;
    for (int y = b->band.y; y < b->band.y + b->band.h; y++)
        for (int x = b->band.x; x < b->band.x + b->band.w; x++)
            if (!inside(b->plate, x, y) && !inside(b->title_clip, x, y))
                other += !ui_is_rgb(px(f, x, y), f->sc.ticker_background, 0);
    assert_int_equal(other, 0);
    assert_true(count_rgb(f, b->plate, f->sc.header_background, 0) > 1000);
    assert_true(count_rgb(f, b->label.box, f->sc.header_foreground, 24) > 200);
    assert_true(count_rgb(f, b->title_clip, f->sc.ticker_foreground, 24) > 200);
}

static void test_banner_never_overlaps(void **state)
{
    (void)state;
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        set_rows(&f, ROW_COUNT);
        const bt_layout_frame *fr = bt_screen_frame(f.screen);
        size_t npx = (size_t)f.width * (size_t)f.height;
        size_t above = (size_t)fr->ticker.y * (size_t)f.width; /* everything over the band */
        Uint32 *plain = malloc(npx * 4);
        assert_non_null(plain);
        for (size_t n = 0; n < 2; n++) {
            size_t notice = n == 0 ? S_TEXT : S_SCHEDULE;
            bt_screen_set_now_playing(f.screen, NULL);
            bt_screen_show(f.screen, notice, false, 0);
            ui_frame(&f, MONDAY_1705, 0);
            memcpy(plain, f.pixels, npx * 4);
            /* Short title: static, the ticker pauses, nothing moves. */
            bt_screen_set_now_playing(f.screen, SHORT_TITLE);
            assert_int_equal(ui_frame(&f, MONDAY_1705, 0), -1);
            const bt_layout_banner *b = bt_screen_banner_plan(f.screen);
            check_banner_plan(&f, b);
            assert_false(b->scrolls);
            assert_memory_equal(plain, f.pixels, above * 4); /* the notice is untouched */
            check_band_clean(&f, b);
            if (n == 0)
                shot(&f, "sched-banner-short");
            Uint32 *still = malloc(npx * 4);
            assert_non_null(still);
            memcpy(still, f.pixels, npx * 4);
            ui_frame(&f, MONDAY_1705, 3000000000LL);
            assert_memory_equal(still, f.pixels, npx * 4); /* no ticker moving under it */
            free(still);
            /* Long title: as large, never cut, it scrolls within its clip. */
            bt_screen_set_now_playing(f.screen, LONG_TITLE);
            int ms = ui_frame(&f, MONDAY_1705, 0);
            b = bt_screen_banner_plan(f.screen);
            check_banner_plan(&f, b);
            assert_true(b->scrolls);
            assert_true(ms > 0 && ms <= 42);
            assert_true(b->title.lines[0].width > b->title_clip.w);
            assert_true(b->title.size * 10 >= fr->min_body_px * 11); /* larger than the floor */
            assert_memory_equal(plain, f.pixels, above * 4);
            check_band_clean(&f, b);
            if (n == 0)
                shot(&f, "sched-banner-long");
            Uint32 *start = malloc(npx * 4);
            assert_non_null(start);
            memcpy(start, f.pixels, npx * 4);
            unsigned long rasters = bt_screen_raster_count(f.screen);
            bt_screen_set_now_playing(f.screen, LONG_TITLE); /* the app repeats itself */
            assert_int_equal(bt_screen_raster_count(f.screen), rasters);
            ui_frame(&f, MONDAY_1705, 1000000000LL); /* still resting at its start */
            assert_memory_equal(start, f.pixels, npx * 4);
            ui_frame(&f, MONDAY_1705, 6000000000LL); /* moving */
            assert_memory_not_equal(start + above, f.pixels + above, (npx - above) * 4);
            assert_memory_equal(plain, f.pixels, above * 4);
            check_band_clean(&f, b);
            free(start);
        }
        /* Off again: the ticker is back exactly as it was. */
        bt_screen_set_now_playing(f.screen, NULL);
        assert_null(bt_screen_banner_plan(f.screen));
        ui_frame(&f, MONDAY_1705, 0);
        assert_memory_equal(plain, f.pixels, npx * 4);
        free(plain);
        ui_close(&f);
    }
}

/* Without a ticker, the band is kept free for the banner when the playlist has sessions (and
 * made when a banner comes anyway), so the banner never covers a notice. */
static void test_banner_without_ticker(void **state)
{
    (void)state;
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, false);
        const bt_layout_frame *fr = bt_screen_frame(f.screen);
        assert_true(fr->ticker.h > 0); /* reserved: the playlist has loudspeaker sessions */
        bt_screen_show(f.screen, S_TEXT, false, 0);
        assert_int_equal(ui_frame(&f, MONDAY_1705, 0), -1);
        size_t band = (size_t)fr->ticker.y * (size_t)f.width;
        size_t band_px = (size_t)fr->ticker.h * (size_t)f.width;
        for (size_t k = 0; k < band_px; k++) /* empty until something airs */
            assert_true(ui_is_rgb(f.pixels[band + k], f.sc.background, 0));
        bt_screen_set_now_playing(f.screen, SHORT_TITLE);
        ui_frame(&f, MONDAY_1705, 0);
        check_banner_plan(&f, bt_screen_banner_plan(f.screen));
        check_band_clean(&f, bt_screen_banner_plan(f.screen));
        ui_close(&f);

        /* A playlist without sessions: no band, until a banner needs one; the notice is laid
         * out again above it. */
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &basic, false);
        fr = bt_screen_frame(f.screen);
        assert_int_equal(fr->ticker.h, 0);
        bt_screen_show(f.screen, N_LONG_FITS, false, 0);
        ui_frame(&f, MONDAY_1705, 0);
        bt_screen_set_now_playing(f.screen, SHORT_TITLE);
        ui_frame(&f, MONDAY_1705, 0);
        fr = bt_screen_frame(f.screen);
        assert_true(fr->ticker.h > 0);
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_non_null(plan);
        assert_int_equal(plan->kind, BT_SLIDE_TEXT);
        for (size_t i = 0; i < plan->text_count; i++)
            assert_false(bt_rect_overlaps(plan->texts[i].box, fr->ticker));
        assert_false(bt_rect_overlaps(fr->corner, fr->ticker));
        check_banner_plan(&f, bt_screen_banner_plan(f.screen));
        check_band_clean(&f, bt_screen_banner_plan(f.screen));
        bt_screen_set_now_playing(f.screen, NULL);
        assert_int_equal(bt_screen_frame(f.screen)->ticker.h, 0);
        ui_close(&f);
    }
}

/* ---- from the scheduler to the screen ----------------------------------------------------- */

static bt_wall at_1123(int hour, int minute)
{
    return bt_time_from_civil(2026, 11, 23, hour, minute, 0);
}

static void record(bt_schedule *s, size_t session, bt_wall scheduled, bt_attempt_status st,
                   bt_miss_reason why, bt_wall started, bool makeup)
{
    bt_slot_record r = {{session, scheduled}, st, why, started,
                        st == BT_ATTEMPT_COMPLETED ? 1 : 0, makeup};
    assert_int_equal(bt_schedule_record(s, &r), 0);
}

/* What the app does: the scheduler's view of the day (bt_schedule_day) into rows
 * (bt_screen_schedule_rows), each with its time, its session's name and its state. */
static void test_rows_from_the_scheduler(void **state)
{
    (void)state;
    const bt_broadcasts *b = &playlist.broadcasts;
    bt_broadcast_limits lim;
    memset(&lim, 0, sizeof lim);
    bt_schedule *sch = NULL;
    assert_int_equal(bt_schedule_create(b, &lim, at_1123(0, 0) - 86400, 0, &sch), 0);
    size_t sang = bt_broadcasts_session_index(b, "ban-tin-sang");
    size_t cds = bt_broadcasts_session_index(b, "chuyen-doi-so");
    size_t bao = bt_broadcasts_session_index(b, "khan-bao");
    size_t chieu = bt_broadcasts_session_index(b, "ban-tin-chieu");
    record(sch, sang, at_1123(6, 0), BT_ATTEMPT_COMPLETED, BT_MISS_NONE, at_1123(6, 0), false);
    record(sch, cds, at_1123(6, 30), BT_ATTEMPT_MISSED, BT_MISS_OFF, at_1123(7, 0), false);
    record(sch, cds, at_1123(6, 30), BT_ATTEMPT_COMPLETED, BT_MISS_NONE, at_1123(16, 40), true);
    record(sch, bao, at_1123(11, 0), BT_ATTEMPT_MISSED, BT_MISS_NO_DEVICE, at_1123(11, 0), false);
    bt_slot airing = {chieu, at_1123(17, 0)};
    bt_slot_view views[8];
    size_t n = bt_schedule_day(sch, MONDAY, MONDAY_1705, &airing, 0, views, 8);
    assert_int_equal(n, 4);
    bt_screen_schedule_row rows[8];
    assert_int_equal(bt_screen_schedule_rows(b, views, n, rows), n);
    static const struct { int minute; const char *name; bt_slot_state st; } want[] = {
        {360, "Bản tin sáng", BT_SLOT_AIRED},
        {390, "Ngày Chuyển đổi số quốc gia: tin ưu tiên", BT_SLOT_MADE_UP},
        {660, "Thông báo khẩn về phòng, chống bão", BT_SLOT_MISSED},
        {1020, "Bản tin chiều", BT_SLOT_AIRING},
    };
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].minute, want[i].minute);
        assert_string_equal(rows[i].name, want[i].name);
        assert_int_equal(rows[i].state, want[i].st);
    }
    /* On screen, in both orientations. */
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        bt_screen_set_schedule(f.screen, rows, n, MONDAY);
        bt_screen_show(f.screen, S_SCHEDULE, false, 0);
        ui_frame(&f, MONDAY_1705, 0);
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_int_equal(plan->row_count, n);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(plan->row_states[k], want[k].st);
            assert_non_null(row_block(plan, k, want[k].name));
            if (bt_layout_slot_plate(want[k].st))
                assert_non_null(row_block(plan, k, bt_vi_slot_state(want[k].st)));
            else
                assert_int_equal(plan->chips[k].w, 0);
        }
        assert_null(block_with(plan, bt_vi_slot_state(BT_SLOT_MISSED)));
        ui_close(&f);
    }
    bt_schedule_destroy(sch);
}

/* A make-up day (issue 14): the sessions air on Mondays only, Monday's 11:00 was missed and made
 * up on Tuesday at 06:10. Tuesday's slide lists the make-up at 06:10, "đã phát bù", and does not
 * say that nothing airs today. */
static void test_makeup_day_lists_its_makeup(void **state)
{
    (void)state;
    bt_broadcasts b = playlist.broadcasts;
    bt_broadcast_session sessions[8];
    assert_true(b.session_count <= 8);
    memcpy(sessions, b.sessions, b.session_count * sizeof sessions[0]);
    for (size_t i = 0; i < b.session_count; i++)
        sessions[i].weekdays = 1; /* Thứ Hai */
    b.sessions = sessions;
    bt_broadcast_limits lim;
    memset(&lim, 0, sizeof lim);
    bt_schedule *sch = NULL;
    assert_int_equal(bt_schedule_create(&b, &lim, at_1123(0, 0) - 86400, 0, &sch), 0);
    size_t bao = bt_broadcasts_session_index(&b, "khan-bao");
    bt_wall tuesday_0610 = at_1123(6, 10) + 86400;
    record(sch, bao, at_1123(11, 0), BT_ATTEMPT_MISSED, BT_MISS_OFF, at_1123(11, 0), false);
    record(sch, bao, at_1123(11, 0), BT_ATTEMPT_COMPLETED, BT_MISS_NONE, tuesday_0610, true);
    bt_slot_view views[8];
    size_t n = bt_schedule_day(sch, MONDAY + 1, tuesday_0610 + 3600, NULL, 0, views, 8);
    assert_int_equal(n, 1);
    bt_screen_schedule_row rows[8];
    assert_int_equal(bt_screen_schedule_rows(&b, views, n, rows), 1);
    assert_int_equal(rows[0].minute, 6 * 60 + 10);
    assert_int_equal(rows[0].state, BT_SLOT_MADE_UP);
    for (size_t o = 0; o < 2; o++) {
        ui_fixture f;
        fixture_open(&f, ORIENTATIONS[o][0], ORIENTATIONS[o][1], &playlist, true);
        bt_screen_set_schedule(f.screen, rows, n, MONDAY + 1);
        bt_screen_show(f.screen, S_SCHEDULE, false, 0);
        ui_frame(&f, tuesday_0610 + 3600, 0);
        shot(&f, "sched-makeup-day");
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_int_equal(plan->row_count, 1);
        assert_null(block_with(plan, BT_LAYOUT_SCHEDULE_EMPTY));
        assert_non_null(row_block(plan, 0, "06:10"));
        assert_non_null(row_block(plan, 0, "Thông báo khẩn về phòng, chống bão"));
        const bt_layout_text *label = row_block(plan, 0, "đã phát bù");
        assert_non_null(label);
        assert_true(text_pixels(&f, label) > (size_t)label->size * 4);
        check_nothing_stray(&f, plan);
        ui_close(&f);
    }
    bt_schedule_destroy(sch);
}

/* ---- the fit check (`bangtin check`) --------------------------------------------------------- */

/* The schedule notice's session names fit in both orientations; a name too long for the table
 * is named in a warning at the session's own line. */
static void test_check_fit_session_names(void **state)
{
    (void)state;
    ui_fixture f;
    memset(&f, 0, sizeof f);
    ui_config(&f);
    for (size_t o = 0; o < 2; o++) {
        bt_diags d;
        bt_diags_init(&d);
        assert_int_equal(bt_screen_check_fit(&f.sc, &playlist, ORIENTATIONS[o][0],
                                             ORIENTATIONS[o][1], "playlist.cfg", &d),
                         0);
        assert_int_equal(d.count, 0);
        bt_diags_free(&d);
    }
    bt_broadcast_session *se = &playlist.broadcasts.sessions[1];
    char *saved = se->name;
    se->name = strdup("Thông báo của Ủy ban nhân dân phường về việc tổ chức tiếp công dân định kỳ, "
                      "lấy ý kiến nhân dân về dự thảo quy hoạch chi tiết khu dân cư, lịch thu gom "
                      "rác thải sinh hoạt, lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi và kế "
                      "hoạch tổng vệ sinh môi trường, khơi thông cống rãnh trước mùa mưa bão");
    assert_non_null(se->name);
    for (size_t o = 0; o < 2; o++) {
        bt_diags d;
        bt_diags_init(&d);
        assert_int_equal(bt_screen_check_fit(&f.sc, &playlist, ORIENTATIONS[o][0],
                                             ORIENTATIONS[o][1], "playlist.cfg", &d),
                         0);
        /* One per schedule notice (two of them), at the session's line. */
        assert_int_equal(d.errors, 0);
        assert_int_equal(d.warnings, 2);
        char line[2048];
        bt_diag_format(&d.items[0], line, sizeof line);
        assert_int_equal(d.items[0].line, se->line);
        assert_non_null(strstr(line, "tên buổi phát"));
        assert_non_null(strstr(line, "rút gọn"));
        bt_diags_free(&d);
    }
    free(se->name);
    se->name = saved;
}

/* ---- screenshots ----------------------------------------------------------------------------- */

static void test_screenshot_with_extras(void **state)
{
    (void)state;
    for (size_t o = 0; o < 2; o++) {
        int w = ORIENTATIONS[o][0], h = ORIENTATIONS[o][1];
        char png[1024], err[512];
        ui_fixture f;
        memset(&f, 0, sizeof f);
        ui_config(&f);
        bt_screen_extras x = {ROWS, ROW_COUNT, true,
                              "Bản tin chiều: Chính quyền địa phương hai cấp", true, S_SCHEDULE};
        snprintf(png, sizeof png, "%s/sched-screenshot-%dx%d.png", tmp, w, h);
        int rc = bt_screen_render_png_ex(&f.sc, &playlist, SCHED_DIR, MONDAY_1705, w, h, &x, png,
                                         err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "render_png_ex: %s\n", err);
        assert_int_equal(rc, 0);
        SDL_Surface *img = IMG_Load(png);
        assert_non_null(img);
        SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
        assert_non_null(argb);
        size_t green = 0, red = 0, n = (size_t)w * (size_t)h;
        const Uint32 *p = argb->pixels;
        bt_rgb aired = bt_ui_ink_ground(&f.sc, BT_INK_SLOT_AIRED);
        for (size_t k = 0; k < n; k++) {
            green += ui_is_rgb(p[k], aired, 0);
            red += ui_is_rgb(p[k], f.sc.header_background, 0);
        }
        assert_true(green > 2000); /* the "đã phát" plate */
        assert_true(red > 2000);   /* header, "đang phát" plate and the banner's plate */
        SDL_FreeSurface(argb);
        SDL_FreeSurface(img);
        /* Without extras the rotation decides, as bt_screen_render_png always did. */
        snprintf(png, sizeof png, "%s/plain-%dx%d.png", tmp, w, h);
        assert_int_equal(bt_screen_render_png_ex(&f.sc, &playlist, SCHED_DIR, MONDAY_1705, w, h,
                                                 NULL, png, err, sizeof err),
                         0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_every_state_both_orientations),
        cmocka_unit_test(test_table_before_any_rows),
        cmocka_unit_test(test_urgent_table),
        cmocka_unit_test(test_table_rasterised_only_on_change),
        cmocka_unit_test(test_table_many_rows_and_long_names),
        cmocka_unit_test(test_banner_never_overlaps),
        cmocka_unit_test(test_banner_without_ticker),
        cmocka_unit_test(test_rows_from_the_scheduler),
        cmocka_unit_test(test_makeup_day_lists_its_makeup),
        cmocka_unit_test(test_check_fit_session_names),
        cmocka_unit_test(test_screenshot_with_extras),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
