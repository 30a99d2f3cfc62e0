/* The discreet notice for staff (issue 10), headless: the mark changes only its own rectangle,
 * which is clear of every notice, QR code, the header's clock and the bottom band (landscape
 * 1920×1080 and 1366×768, portrait 1080×1920, every notice and the idle screen); on the software
 * renderer its frame repaints just that rectangle and is pixel for pixel the full frame; taking
 * it away gives back the frame without it byte for byte; the same text again costs nothing; a
 * long text is cut with "…" inside its box, the Vietnamese marks whole. Frames with the mark land
 * in <build>/test-tmp/ui-staff-notice for review. */
#include "ui_fixture.h"

#include "bangtin/bt_layout.h"
#include "bangtin/bt_ui_theme.h"

static bt_playlist playlist;
static char *tmp;
static bt_wall MONDAY_0905; /* 23/11/2026 09:05 in Hà Nội */

/* What the kiosk passes when the store fails (issue 10). */
static const char *DISK_FULL = "Lỗi lưu dữ liệu: đĩa đầy — xem bảng theo dõi";
static const char *READ_ONLY = "Không ghi được nhật ký: thư mục dữ liệu chỉ đọc";
/* Far too long for the mark, with line breaks and capitals with stacked marks. */
static const char *TOO_LONG =
    "KHÔNG GHI ĐƯỢC NHẬT KÝ PHÁT THANH: Ổ ĐĨA ĐẦY\nCơ sở dữ liệu bangtin.db không mở được, "
    "đã thử lại nhiều lần; màn hình vẫn chiếu danh sách đang chiếu, loa chờ đến khi ghi được "
    "nhật ký. Cán bộ xem bảng theo dõi, giải phóng chỗ trống rồi khởi động lại dịch vụ.";

static const int SIZES[][2] = {{1920, 1080}, {1366, 768}, {1080, 1920}};
#define SIZE_COUNT (sizeof SIZES / sizeof SIZES[0])

static int group_setup(void **state)
{
    (void)state;
    ui_suite_setup(&playlist, &MONDAY_0905, &tmp, "ui-staff-notice");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    ui_suite_teardown(&playlist, &tmp);
    return 0;
}

static void fixture_open(ui_fixture *f, int w, int h, bool with_playlist)
{
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->playlist = playlist;
    ui_open(f, w, h, with_playlist);
}

static size_t pixel_count(const ui_fixture *f)
{
    return (size_t)f->width * (size_t)f->height;
}

/* Draws at the fixed test time (nothing moves between two draws) and returns a copy. */
static Uint32 *frame_copy(ui_fixture *f)
{
    ui_frame(f, MONDAY_0905, 0);
    Uint32 *copy = malloc(pixel_count(f) * 4);
    assert_non_null(copy);
    memcpy(copy, f->pixels, pixel_count(f) * 4);
    return copy;
}

static bool inside(bt_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* Pixels that differ between two frames, inside r and outside it. */
static void diff_split(const ui_fixture *f, const Uint32 *a, const Uint32 *b, bt_rect r,
                       size_t *in, size_t *out)
{
    *in = *out = 0;
    for (int y = 0; y < f->height; y++)
        for (int x = 0; x < f->width; x++) {
            size_t k = (size_t)y * (size_t)f->width + (size_t)x;
            if ((a[k] & 0xFFFFFF) == (b[k] & 0xFFFFFF))
                continue;
            if (inside(r, x, y))
                (*in)++;
            else
                (*out)++;
        }
}

static void counts(const ui_fixture *f, bt_ui_stats *st)
{
    bt_screen_stats(f->screen, st);
}

/* The plate is on the screen, in the stage, and touches nothing else the screen shows: the
 * frame's boxes and every box of the slide being shown. */
static void check_clear_of_everything(const ui_fixture *f, bt_rect plate)
{
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    assert_true(plate.w > 0 && plate.h > 0);
    assert_true(bt_rect_contains((bt_rect){0, 0, f->width, f->height}, plate));
    assert_true(bt_rect_contains(fr->stage, plate));
    const bt_rect frame_boxes[] = {fr->header,      fr->header_rule,    fr->ticker,
                                   fr->main,        fr->main_idle,      fr->corner_qr,
                                   fr->clock_box,   fr->date_box,       fr->ward.box,
                                   fr->corner_caption.box};
    for (size_t i = 0; i < sizeof frame_boxes / sizeof frame_boxes[0]; i++)
        assert_false(bt_rect_overlaps(plate, frame_boxes[i]));
    const bt_layout_slide *p = bt_screen_current_plan(f->screen);
    assert_non_null(p);
    const bt_rect slide_boxes[] = {p->area, p->qr,       p->image,
                                   p->badge, p->clock_box, p->date_box};
    for (size_t i = 0; i < sizeof slide_boxes / sizeof slide_boxes[0]; i++)
        assert_false(bt_rect_overlaps(plate, slide_boxes[i]));
    for (size_t i = 0; i < p->text_count; i++)
        assert_false(bt_rect_overlaps(plate, p->texts[i].box));
}

/* ---- (1) only the mark's rectangle changes, and it is clear of everything else ------------ */

/* For one slide: without the mark, with it (repainted in its rectangle alone), the same drawn in
 * full, and with it taken away. */
static void check_slide(ui_fixture *f, size_t notice, bool save)
{
    bt_screen_show(f->screen, notice, false, 0);
    bt_screen_invalidate(f->screen);
    Uint32 *without = frame_copy(f);

    bt_ui_stats st0, st1;
    counts(f, &st0);
    bt_screen_set_staff_notice(f->screen, DISK_FULL);
    Uint32 *with = frame_copy(f);
    counts(f, &st1);
    if (!bt_screen_staff_mark(f->screen)) {
        /* Issue 14: a picture that fills the stage, the mark's strip included, is not covered:
         * the mark waits for the next slide, and nothing is repainted for it. */
        const bt_layout_slide *p = bt_screen_current_plan(f->screen);
        assert_int_equal(p->kind, BT_SLIDE_IMAGE);
        const bt_layout_frame *fr = bt_screen_frame(f->screen);
        assert_int_equal(p->area.y + p->area.h, fr->stage.y + fr->stage.h);
        assert_int_equal(st1.mark_frames, st0.mark_frames);
        assert_int_equal(st1.full_frames, st0.full_frames);
        assert_memory_equal(with, without, pixel_count(f) * 4);
        bt_screen_set_staff_notice(f->screen, NULL);
        free(without);
        free(with);
        return;
    }
    /* Not a full frame: the mark's rectangle (and the band) alone. */
    assert_int_equal(st1.full_frames, st0.full_frames);
    assert_int_equal(st1.mark_frames, st0.mark_frames + 1);
    assert_int_equal(st1.partial_frames, st0.partial_frames);

    const bt_layout_staff_mark *m = bt_screen_staff_mark(f->screen);
    assert_non_null(m);
    check_clear_of_everything(f, m->plate);
    size_t in, out;
    diff_split(f, without, with, m->plate, &in, &out);
    assert_int_equal(out, 0);
    assert_true(in > (size_t)m->plate.h * 4); /* it is drawn */

    /* The repainted rectangle is exactly what a full frame paints. */
    bt_screen_invalidate(f->screen);
    Uint32 *full = frame_copy(f);
    assert_memory_equal(with, full, pixel_count(f) * 4);
    if (save) {
        char png[1024];
        snprintf(png, sizeof png, "%s/%s-%dx%d.png", tmp,
                 notice == BT_ROTATION_NONE ? "idle" : "notice", f->width, f->height);
        ui_save(f, png);
    }

    /* (2) Taken away: the frame without it, byte for byte, again by repainting the rectangle. */
    counts(f, &st0);
    bt_screen_set_staff_notice(f->screen, NULL);
    assert_null(bt_screen_staff_mark(f->screen));
    Uint32 *cleared = frame_copy(f);
    counts(f, &st1);
    assert_int_equal(st1.full_frames, st0.full_frames);
    assert_int_equal(st1.mark_frames, st0.mark_frames + 1);
    assert_memory_equal(cleared, without, pixel_count(f) * 4);
    free(without);
    free(with);
    free(full);
    free(cleared);
}

static void test_mark_changes_only_its_rectangle(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        ui_fixture f;
        fixture_open(&f, SIZES[i][0], SIZES[i][1], true);
        check_slide(&f, BT_ROTATION_NONE, true);
        for (size_t n = 0; n < N_COUNT; n++)
            check_slide(&f, n, n == N_TEXT_QR);
        ui_close(&f);
    }
}

/* Without a ticker and nothing to broadcast there is no bottom band: the mark sits just above
 * the screen's bottom edge, still clear of everything. */
static void test_mark_without_band(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        ui_fixture f;
        memset(&f, 0, sizeof f);
        ui_config(&f);
        f.sc.ticker_enabled = false;
        ui_open(&f, SIZES[i][0], SIZES[i][1], false);
        assert_int_equal(bt_screen_frame(f.screen)->ticker.h, 0);
        check_slide(&f, BT_ROTATION_NONE, false);
        ui_close(&f);
    }
}

/* ---- (2) taking it away, changing it, the same text again ---------------------------------- */

static void test_clearing_restores_the_frame(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        ui_fixture f;
        fixture_open(&f, SIZES[i][0], SIZES[i][1], true);
        /* A text slide: an image slide may hide the mark under its picture (issue 14). */
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        Uint32 *without = frame_copy(&f);

        /* One text, then a longer one, then a shorter one: each frame is the full frame. */
        const char *texts[] = {DISK_FULL, READ_ONLY, "Lỗi", TOO_LONG};
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
            bt_screen_set_staff_notice(f.screen, texts[k]);
            Uint32 *partial = frame_copy(&f);
            bt_screen_invalidate(f.screen);
            Uint32 *full = frame_copy(&f);
            assert_memory_equal(partial, full, pixel_count(&f) * 4);
            size_t in, out;
            diff_split(&f, without, full, bt_screen_staff_mark(f.screen)->plate, &in, &out);
            assert_int_equal(out, 0);
            assert_true(in > 0);
            free(partial);
            free(full);
        }

        /* The same text again: nothing rasterised, nothing repainted but the band. */
        bt_ui_stats st0, st1;
        counts(&f, &st0);
        char copy[1024];
        snprintf(copy, sizeof copy, "%s", TOO_LONG); /* equal, not the same pointer */
        bt_screen_set_staff_notice(f.screen, copy);
        ui_frame(&f, MONDAY_0905, 0);
        counts(&f, &st1);
        assert_int_equal(st1.text_rasters, st0.text_rasters);
        assert_int_equal(st1.mark_frames, st0.mark_frames);
        assert_int_equal(st1.full_frames, st0.full_frames);
        assert_int_equal(st1.partial_frames, st0.partial_frames + 1);

        /* "" is none, like NULL; then none again is a no-op. */
        bt_screen_set_staff_notice(f.screen, "");
        assert_null(bt_screen_staff_mark(f.screen));
        Uint32 *cleared = frame_copy(&f);
        assert_memory_equal(cleared, without, pixel_count(&f) * 4);
        counts(&f, &st0);
        bt_screen_set_staff_notice(f.screen, NULL);
        ui_frame(&f, MONDAY_0905, 0);
        counts(&f, &st1);
        assert_int_equal(st1.mark_frames, st0.mark_frames);
        assert_int_equal(st1.partial_frames, st0.partial_frames + 1);

        /* Slides are not rasterised again for the mark: only its own line. */
        counts(&f, &st0);
        bt_screen_set_staff_notice(f.screen, DISK_FULL);
        ui_frame(&f, MONDAY_0905, 0);
        counts(&f, &st1);
        assert_int_equal(st1.text_rasters, st0.text_rasters + 1);
        assert_int_equal(st1.qr_rasters, st0.qr_rasters);
        assert_int_equal(st1.image_decodes, st0.image_decodes);
        /* Onto a landscape image slide the mark hides, and comes back on the next slide. */
        bt_screen_show(f.screen, N_IMAGE, false, 0);
        ui_frame(&f, MONDAY_0905, 0);
        const bt_layout_slide *p = bt_screen_current_plan(f.screen);
        bool covers = p->area.y + p->area.h == bt_screen_frame(f.screen)->stage.y +
                                                   bt_screen_frame(f.screen)->stage.h;
        assert_true(covers == (f.width >= f.height));
        assert_true((bt_screen_staff_mark(f.screen) == NULL) == covers);
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        ui_frame(&f, MONDAY_0905, 0);
        assert_non_null(bt_screen_staff_mark(f.screen));
        free(without);
        free(cleared);
        ui_close(&f);
    }
}

/* A crossfade under the mark leaves it untouched: it does not fade with the slides. */
static void test_mark_does_not_fade(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1080, 1920, true);
    bt_screen_set_staff_notice(f.screen, DISK_FULL);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    Uint32 *before = frame_copy(&f);
    bt_rect plate = bt_screen_staff_mark(f.screen)->plate;
    /* Into the idle screen, which has no corner panel under the mark. */
    bt_screen_show(f.screen, BT_ROTATION_NONE, true, 0);
    for (bt_mono_ns ms = 0; ms <= (bt_mono_ns)f.sc.transition_ms + 100; ms += 150) {
        ui_frame(&f, MONDAY_0905, ms * 1000000);
        for (int y = plate.y; y < plate.y + plate.h; y++)
            for (int x = plate.x; x < plate.x + plate.w; x++) {
                size_t k = (size_t)y * (size_t)f.width + (size_t)x;
                assert_int_equal(f.pixels[k] & 0xFFFFFF, before[k] & 0xFFFFFF);
            }
    }
    free(before);
    ui_close(&f);
}

/* ---- (3) a long text is cut with "…" inside its box; the marks are whole ------------------ */

/* Rows and columns of the plate where something other than the plate colour shows. */
static void ink_extent(const ui_fixture *f, bt_rect plate, bt_rgb ground, int *x0, int *x1,
                       int *y0, int *y1)
{
    *x0 = *y0 = 1 << 30;
    *x1 = *y1 = -1;
    for (int y = plate.y; y < plate.y + plate.h; y++)
        for (int x = plate.x; x < plate.x + plate.w; x++) {
            if (ui_is_rgb(f->pixels[(size_t)y * (size_t)f->width + (size_t)x], ground, 8))
                continue;
            *x0 = x < *x0 ? x : *x0;
            *x1 = x > *x1 ? x : *x1;
            *y0 = y < *y0 ? y : *y0;
            *y1 = y > *y1 ? y : *y1;
        }
}

static void test_long_text_is_cut_with_ellipsis(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        ui_fixture f;
        fixture_open(&f, SIZES[i][0], SIZES[i][1], true);
        bt_screen_show(f.screen, N_TEXT_QR, false, 0);
        bt_screen_set_staff_notice(f.screen, TOO_LONG);
        ui_frame(&f, MONDAY_0905, 0);
        const bt_layout_staff_mark *m = bt_screen_staff_mark(f.screen);
        assert_non_null(m);
        const bt_layout_frame *fr = bt_screen_frame(f.screen);
        const bt_layout_text *t = &m->text;
        assert_int_equal(t->line_count, 1);
        assert_true(t->lines[0].ellipsis);
        assert_false(t->fits);
        /* Cut between characters, on one line (the "\n" became a space, so the cut is later). */
        const char *end = t->text + t->lines[0].start + t->lines[0].length;
        assert_true(((unsigned char)*end & 0xC0) != 0x80);
        assert_null(memchr(t->text, '\n', strlen(t->text)));
        assert_true(t->lines[0].length > strlen("KHÔNG GHI ĐƯỢC NHẬT KÝ PHÁT THANH: Ổ ĐĨA ĐẦY"));
        /* The line and the dot inside the plate; the plate a short line, not a banner. */
        assert_true(bt_rect_contains(m->plate, t->box));
        assert_true(bt_rect_contains(m->plate, m->dot));
        assert_true(t->lines[0].width <= t->box.w);
        assert_true(m->plate.w <= bt_layout_px(fr, 900));
        check_clear_of_everything(&f, m->plate);
        /* Ink: inside the text box and the dot, never on the plate's edge (nothing clipped), and
         * reaching the end of the text box (the "…" is drawn). */
        bt_rgb ground = bt_ui_ink_ground(&f.sc, BT_INK_CORNER);
        int x0, x1, y0, y1;
        ink_extent(&f, m->plate, ground, &x0, &x1, &y0, &y1);
        assert_true(x0 >= m->dot.x);
        assert_true(x1 < t->box.x + t->box.w);
        assert_true(x1 >= t->box.x + t->box.w - t->size);
        assert_true(y0 > m->plate.y && y0 >= t->box.y);
        assert_true(y1 < m->plate.y + m->plate.h - 1 && y1 < t->box.y + t->box.h);
        char png[1024];
        snprintf(png, sizeof png, "%s/long-%dx%d.png", tmp, f.width, f.height);
        ui_save(&f, png);
        ui_close(&f);
    }
}

/* ---- legibility ----------------------------------------------------------------------------- */

/* Legible close up and discreet: 1.5–2.2 % of the short side (the lobby's text is 40 px and
 * more at 1080), the text at 7:1 on its plate, the dot at 3:1; the kiosk's messages whole. */
static void test_size_contrast_and_whole_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        ui_fixture f;
        fixture_open(&f, SIZES[i][0], SIZES[i][1], true);
        bt_screen_show(f.screen, N_QR, false, 0);
        const char *texts[] = {DISK_FULL, READ_ONLY};
        for (size_t k = 0; k < 2; k++) {
            bt_screen_set_staff_notice(f.screen, texts[k]);
            ui_frame(&f, MONDAY_0905, 0);
            const bt_layout_staff_mark *m = bt_screen_staff_mark(f.screen);
            assert_non_null(m);
            int unit = bt_screen_frame(f.screen)->unit;
            assert_true(m->text.size * 1000 >= unit * 15);
            assert_true(m->text.size * 1000 <= unit * 22);
            assert_true(m->text.size * 2 <= bt_screen_frame(f.screen)->min_body_px);
            assert_true(m->text.fits);
            assert_false(m->text.lines[0].ellipsis);
            assert_int_equal(m->text.lines[0].length, strlen(texts[k]));
            char png[1024];
            snprintf(png, sizeof png, "%s/qr-%zu-%dx%d.png", tmp, k, f.width, f.height);
            ui_save(&f, png);
        }
        bt_rgb plate = bt_ui_ink_ground(&f.sc, BT_INK_CORNER);
        assert_true(bt_ui_contrast(bt_ui_ink_text(&f.sc, BT_INK_CORNER), plate) >=
                    BT_UI_MIN_CONTRAST);
        assert_true(bt_ui_contrast(bt_ui_staff_mark_dot(&f.sc), plate) >=
                    BT_UI_MIN_GRAPHIC_CONTRAST);
        ui_close(&f);
    }
}

/* Other sizes, wide, nearly square, tall and 4K: the mark shows, legible, clear of everything,
 * on the idle screen and on a notice. (Geometry only: nothing needs drawing.) */
static void test_other_sizes(void **state)
{
    (void)state;
    const int sizes[][2] = {{1280, 720}, {1280, 1024}, {1024, 768}, {3840, 2160},
                            {768, 1366}, {800, 1280},  {720, 1280}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        ui_fixture f;
        fixture_open(&f, sizes[i][0], sizes[i][1], true);
        bt_screen_set_staff_notice(f.screen, READ_ONLY);
        const size_t shown[] = {BT_ROTATION_NONE, N_TEXT_QR, N_IMAGE, N_TOO_LONG};
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
            bt_screen_show(f.screen, shown[k], false, 0);
            const bt_layout_staff_mark *m = bt_screen_staff_mark(f.screen);
            if (!m && shown[k] == N_IMAGE) {
                /* Hidden under a picture that fills the stage down to the band (issue 14). */
                const bt_layout_slide *p = bt_screen_current_plan(f.screen);
                const bt_layout_frame *fr = bt_screen_frame(f.screen);
                assert_int_equal(p->kind, BT_SLIDE_IMAGE);
                assert_int_equal(p->area.y + p->area.h, fr->stage.y + fr->stage.h);
                continue;
            }
            assert_non_null(m);
            check_clear_of_everything(&f, m->plate);
            assert_true(m->text.size * 1000 >= bt_screen_frame(f.screen)->unit * 15);
        }
        ui_close(&f);
    }
}

/* Control characters are blanked, a text past the limit is cut between characters, bytes that
 * are not UTF-8 do not reach the font: the mark still shows, on one line. */
static void test_odd_texts(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, false);
    bt_screen_set_staff_notice(f.screen, "Lỗi\tghi\r\nnhật ký");
    ui_frame(&f, MONDAY_0905, 0);
    const bt_layout_staff_mark *m = bt_screen_staff_mark(f.screen);
    assert_non_null(m);
    assert_string_equal(m->text.text, "Lỗi ghi  nhật ký");
    bt_screen_set_staff_notice(f.screen, "L\xE1\xBB x\xFF");
    ui_frame(&f, MONDAY_0905, 0);
    m = bt_screen_staff_mark(f.screen);
    assert_non_null(m);
    assert_string_equal(m->text.text, "L?? x?");
    size_t n = BT_SCREEN_STAFF_NOTICE_MAX_BYTES * 2;
    char *big = malloc(n + 1);
    assert_non_null(big);
    /* "ađ" repeated, 3 bytes each: the limit falls inside a "đ", which is left out whole. */
    for (size_t k = 0; k + 3 <= n; k += 3)
        memcpy(big + k, "ađ", 3);
    big[n - n % 3] = '\0';
    bt_screen_set_staff_notice(f.screen, big);
    ui_frame(&f, MONDAY_0905, 0);
    m = bt_screen_staff_mark(f.screen);
    assert_non_null(m);
    assert_int_equal(strlen(m->text.text), BT_SCREEN_STAFF_NOTICE_MAX_BYTES - 1);
    assert_true(bt_text_utf8_valid(m->text.text, strlen(m->text.text)));
    assert_true(m->text.lines[0].ellipsis);
    free(big);
    ui_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_changes_only_its_rectangle),
        cmocka_unit_test(test_mark_without_band),
        cmocka_unit_test(test_clearing_restores_the_frame),
        cmocka_unit_test(test_mark_does_not_fade),
        cmocka_unit_test(test_long_text_is_cut_with_ellipsis),
        cmocka_unit_test(test_size_contrast_and_whole_messages),
        cmocka_unit_test(test_other_sizes),
        cmocka_unit_test(test_odd_texts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
