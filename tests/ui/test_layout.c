/* Layout and text fitting with the real fonts, at many screen sizes: every box inside the
 * screen and clear of header, ticker and corner QR; every fitted line inside its box (lines ×
 * line height, widths re-measured with SDL_ttf); QR sizes scannable; the Vietnamese ink
 * envelope respected by the rasteriser; and WCAG contrast of the default theme. */
#include "ui_fixture.h"

#include <math.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_qr.h"
#include "bangtin/bt_ui_theme.h"

static bt_playlist playlist;
static ui_fixture fx;
static bt_ui_font *font[BT_FACE_COUNT];
static bt_layout_fonts fonts;

static const int SIZES[][2] = {
    {1920, 1080}, {1080, 1920}, {1280, 720}, {1366, 768}, {768, 1366},
    {3840, 2160}, {1080, 1080}, {1024, 768}, {800, 1280}, {2560, 1080},
};
#define SIZE_COUNT (sizeof SIZES / sizeof SIZES[0])

static int group_setup(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(TTF_Init(), 0);
    ui_config(&fx);
    ui_load_playlist(&playlist, UI_PLAYLIST_DIR);
    const char *paths[BT_FACE_COUNT] = {fx.sc.font_regular, fx.sc.font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        assert_int_equal(bt_ui_font_open(paths[i], &font[i], err, sizeof err), 0);
        bt_ui_font_layout_face(font[i], &fonts.face[i]);
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < BT_FACE_COUNT; i++)
        bt_ui_font_close(font[i]);
    bt_playlist_free(&playlist);
    TTF_Quit();
    return 0;
}

static void frame_for(int w, int h, bt_layout_frame *f)
{
    bt_layout_params p = {w, h, true, fx.sc.min_text_px, fx.sc.ward_name, fx.sc.portal_caption};
    assert_int_equal(bt_layout_frame_build(&p, &fonts, f), 0);
}

static void content_of(const bt_notice *n, bt_layout_content *c)
{
    memset(c, 0, sizeof *c);
    c->kind = n->kind;
    c->title = n->title;
    c->body = n->body;
    c->qr_url = n->qr_url;
    c->qr_caption = n->qr_caption;
    c->urgent = n->urgent;
    c->has_image = n->kind == BT_NOTICE_IMAGE;
    c->image_w = 640;
    c->image_h = 480;
}

/* ---- contrast ------------------------------------------------------------------------------ */

static void test_wcag_formula(void **state)
{
    (void)state;
    bt_rgb black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x77, 0x77, 0x77};
    assert_true(fabs(bt_ui_contrast(black, white) - 21.0) < 1e-9);
    assert_true(fabs(bt_ui_contrast(white, white) - 1.0) < 1e-9);
    /* #777 on white is the classic "just fails AA" grey: 4.48:1. */
    assert_true(fabs(bt_ui_contrast(grey, white) - 4.48) < 0.01);
    assert_true(fabs(bt_ui_luminance(white) - 1.0) < 1e-9);
}

static void test_default_theme_contrast(void **state)
{
    (void)state;
    for (int ink = 0; ink < BT_INK_COUNT; ink++) {
        bt_rgb t = bt_ui_ink_text(&fx.sc, (bt_ink)ink), g = bt_ui_ink_ground(&fx.sc, (bt_ink)ink);
        double ratio = bt_ui_contrast(t, g);
        if (ratio < BT_UI_MIN_CONTRAST)
            fail_msg("ink %d: #%02X%02X%02X on #%02X%02X%02X is only %.2f:1", ink, t.r, t.g, t.b,
                     g.r, g.g, g.b, ratio);
    }
    /* A theme whose accent is too weak for text falls back to the foreground for titles. */
    bt_screen_config weak = fx.sc;
    weak.accent = (bt_rgb){0x30, 0x50, 0x80};
    assert_true(bt_ui_contrast(bt_ui_ink_text(&weak, BT_INK_ACCENT), weak.background) >= 7.0);
}

/* ---- frame geometry ------------------------------------------------------------------------ */

static void assert_inside(bt_rect outer, bt_rect inner, const char *what, int w, int h)
{
    if (!bt_rect_contains(outer, inner))
        fail_msg("%dx%d: %s {%d,%d %dx%d} leaves {%d,%d %dx%d}", w, h, what, inner.x, inner.y,
                 inner.w, inner.h, outer.x, outer.y, outer.w, outer.h);
}

static void assert_apart(bt_rect a, bt_rect b, const char *what, int w, int h)
{
    if (bt_rect_overlaps(a, b))
        fail_msg("%dx%d: %s overlap: {%d,%d %dx%d} and {%d,%d %dx%d}", w, h, what, a.x, a.y, a.w,
                 a.h, b.x, b.y, b.w, b.h);
}

static void test_frame_geometry(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        int w = SIZES[i][0], h = SIZES[i][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        bt_rect screen = {0, 0, w, h};
        int unit = w < h ? w : h;
        assert_inside(screen, f.header, "header", w, h);
        assert_inside(screen, f.ticker, "ticker", w, h);
        assert_inside(f.stage, f.main, "main", w, h);
        assert_inside(f.stage, f.main_idle, "main_idle", w, h);
        assert_inside(f.stage, f.corner, "corner", w, h);
        assert_inside(f.corner, f.corner_qr, "corner QR", w, h);
        assert_apart(f.main, f.corner, "main/corner", w, h);
        assert_apart(f.header, f.ticker, "header/ticker", w, h);
        assert_apart(f.main, f.header, "main/header", w, h);
        assert_apart(f.main, f.ticker, "main/ticker", w, h);
        /* Proportional: header ≈ 130 px and ticker ≈ 90 px at 1080 of the short side. */
        assert_int_equal(f.header.h, (130 * unit + 540) / 1080);
        assert_int_equal(f.ticker.h, (90 * unit + 540) / 1080);
        /* Corner QR: ≥ 200 px at 1080, square, its quiet zone intact at its module scale. */
        assert_true(f.corner_qr.w * 1080 >= 200 * unit);
        assert_int_equal(f.corner_qr.w, f.corner_qr.h);
        assert_true(f.landscape == (w >= h));
        /* Header texts inside the header and apart from each other. */
        assert_inside(f.header, f.ward.box, "ward", w, h);
        assert_inside(f.header, f.clock_box, "clock", w, h);
        assert_inside(f.header, f.date_box, "date", w, h);
        assert_apart(f.ward.box, f.date_box, "ward/date", w, h);
        assert_apart(f.ward.box, f.clock_box, "ward/clock", w, h);
        assert_apart(f.date_box, f.clock_box, "date/clock", w, h);
        assert_inside(f.corner, f.corner_caption.box, "corner caption", w, h);
        assert_apart(f.corner_caption.box, f.corner_qr, "corner caption/QR", w, h);
        assert_true(f.ward.line_count >= 1);
        assert_true(f.ward.fits);
    }
}

/* ---- every notice fits its boxes ----------------------------------------------------------- */

/* Lines of a block: count × height within the box, every width (re-measured with the font, "…"
 * included) within the box. */
static void check_block(const bt_layout_text *t, const char *what, int w, int h)
{
    if (t->line_count == 0)
        return;
    assert_true(t->line_height >= bt_layout_line_height(&fonts, t->face, t->size));
    int bottom = t->lines[t->line_count - 1].y + t->line_height;
    if (bottom > t->box.h)
        fail_msg("%dx%d %s: lines need %d px, box has %d", w, h, what, bottom, t->box.h);
    for (size_t i = 0; i < t->line_count; i++) {
        const bt_layout_line *l = &t->lines[i];
        char buf[BT_MAX_BODY_BYTES + 8];
        memcpy(buf, t->text + l->start, l->length);
        buf[l->length] = '\0';
        if (l->ellipsis)
            strcat(buf, BT_LAYOUT_ELLIPSIS);
        int measured = bt_ui_font_measure(font[t->face], t->size, buf, strlen(buf));
        assert_true(measured >= 0);
        if (measured > t->box.w || l->width != measured)
            fail_msg("%dx%d %s line %zu \"%s\": %d px (layout says %d) in a %d px box", w, h,
                     what, i, buf, measured, l->width, t->box.w);
        int x = bt_layout_line_x(t, i);
        assert_true(x >= t->box.x && x + measured <= t->box.x + t->box.w);
        if (i > 0)
            assert_true(l->y >= t->lines[i - 1].y + t->line_height); /* never overlapping */
    }
}

static void check_slide(const bt_layout_frame *f, const bt_layout_slide *s, const char *id, int w,
                        int h)
{
    char what[160];
    bt_rect screen = {0, 0, w, h};
    assert_inside(screen, s->area, id, w, h);
    assert_inside(f->stage, s->area, id, w, h);
    if (s->corner)
        assert_apart(s->area, f->corner, id, w, h);
    for (size_t i = 0; i < s->text_count; i++) {
        const bt_layout_text *t = &s->texts[i];
        snprintf(what, sizeof what, "%s text %zu", id, i);
        check_block(t, what, w, h);
        if (t->line_count == 0)
            continue;
        assert_inside(s->area, t->box, what, w, h);
        assert_apart(t->box, f->header, what, w, h);
        assert_apart(t->box, f->ticker, what, w, h);
        if (s->corner)
            assert_apart(t->box, f->corner, what, w, h);
        assert_apart(t->box, s->qr, what, w, h);
        assert_apart(t->box, s->image, what, w, h);
        for (size_t j = i + 1; j < s->text_count; j++)
            if (s->texts[j].line_count)
                assert_apart(t->box, s->texts[j].box, what, w, h);
    }
    if (s->qr.w) {
        assert_inside(s->area, s->qr, id, w, h);
        int scale;
        SDL_Surface *code = bt_ui_qr_render(s->qr_text, s->qr.w, &scale);
        assert_non_null(code);
        assert_true(scale >= 2);
        assert_true(code->w * scale <= s->qr.w); /* quiet zone included */
        SDL_FreeSurface(code);
    }
    if (s->image.w)
        assert_inside(s->area, s->image, id, w, h);
    if (s->badge.w)
        assert_inside(s->area, s->badge, id, w, h);
}

static void test_every_notice_fits_its_boxes(void **state)
{
    (void)state;
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        int unit = w < h ? w : h;
        for (size_t i = 0; i <= playlist.notice_count; i++) {
            bt_layout_content c;
            const char *id = "idle";
            if (i < playlist.notice_count) {
                content_of(&playlist.notices[i], &c);
                id = playlist.notices[i].id;
            } else {
                memset(&c, 0, sizeof c);
                c.idle = true;
                c.qr_url = fx.sc.portal_url;
                c.qr_caption = fx.sc.portal_caption;
            }
            if (bt_layout_slide_build(&f, &fonts, &c, s) != 0)
                fail_msg("%dx%d %s: layout failed", w, h, id);
            check_slide(&f, s, id, w, h);
            /* The notice written far too long never fits at the floor. On 16:9 and 16:10
             * screens every other notice does; on squarish ones (less room beside the corner
             * QR) all but the long-but-reasonable one. */
            bool roomy = w * 10 >= h * 16 || h * 10 >= w * 16;
            bool expect = i != N_TOO_LONG && (roomy || i != N_LONG_FITS);
            if (s->fits != expect && (i == N_TOO_LONG || expect))
                fail_msg("%dx%d %s: fits=%d", w, h, id, s->fits);
            for (size_t t = 0; t < s->text_count; t++) {
                const bt_layout_text *b = &s->texts[t];
                if (b->line_count && b->face == BT_FACE_REGULAR && b->ink == BT_INK_TEXT &&
                    c.kind == BT_NOTICE_TEXT && !c.idle)
                    assert_true(b->size >= f.min_body_px); /* never below the floor */
            }
            /* The QR kind and the idle screen show a QR of ≥ 40 % of the short side on
             * 16:9-like screens; on squarish ones, where the corner column takes its share,
             * still ≥ 200 px at 1080. Every QR at least that. */
            bool wide = w * 10 >= h * 17 || h * 10 >= w * 17;
            if ((c.idle || c.kind == BT_NOTICE_QR) && wide && s->qr.w * 100 < unit * 40)
                fail_msg("%dx%d %s: QR %d px < 40 %% of %d", w, h, id, s->qr.w, unit);
            if (s->qr.w && s->qr.w * 1080 < 200 * unit)
                fail_msg("%dx%d %s: QR %d px too small", w, h, id, s->qr.w);
            if (c.kind == BT_NOTICE_TEXT && c.qr_url)
                assert_true(s->qr.w > 0);
        }
    }
    free(s);
}

/* The bundled demo playlist is what a ward sees first: every notice must fit its boxes at or
 * above the legibility floor in both orientations, with no text cut. */
static void test_demo_notices_fit_both_orientations(void **state)
{
    (void)state;
    bt_playlist demo;
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(&demo);
    assert_int_equal(bt_playlist_load(BT_SOURCE_DIR "/playlists/demo", &demo, &d), 0);
    bt_diags_free(&d);
    assert_true(demo.notice_count >= 8);
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    static const int orientations[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t k = 0; k < 2; k++) {
        int w = orientations[k][0], h = orientations[k][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        for (size_t i = 0; i < demo.notice_count; i++) {
            bt_layout_content c;
            content_of(&demo.notices[i], &c);
            if (bt_layout_slide_build(&f, &fonts, &c, s) != 0)
                fail_msg("%dx%d %s: layout failed", w, h, demo.notices[i].id);
            check_slide(&f, s, demo.notices[i].id, w, h);
            if (!s->fits)
                fail_msg("%dx%d demo notice %s does not fit at the floor", w, h,
                         demo.notices[i].id);
            for (size_t t = 0; t < s->text_count; t++)
                for (size_t l = 0; l < s->texts[t].line_count; l++)
                    assert_false(s->texts[t].lines[l].ellipsis);
        }
    }
    free(s);
    bt_playlist_free(&demo);
}

/* A block too long for its box, with a fake fixed-width font: cut at the floor with "…". */
static int mono_measure(void *ctx, int size, const char *s, size_t len)
{
    (void)ctx;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (int)chars * size / 2;
}

static void test_cut_with_ellipsis(void **state)
{
    (void)state;
    bt_layout_fonts mono = {{{mono_measure, NULL, 1000, 300}, {mono_measure, NULL, 1000, 300}}};
    bt_layout_text *t = malloc(sizeof *t);
    assert_non_null(t);
    const char *text = "một hai ba bốn năm sáu bảy tám chín mười một hai ba bốn năm sáu bảy";
    bt_rect box = {0, 0, 200, 90};
    assert_int_equal(bt_layout_fit_block(&mono, text, box, BT_FACE_REGULAR, 20, 40, 0, BT_INK_TEXT,
                                         BT_ALIGN_LEFT, t),
                     0);
    assert_false(t->fits);
    assert_int_equal(t->size, 20);
    int lh = bt_layout_line_height(&mono, BT_FACE_REGULAR, 20);
    assert_int_equal(t->line_count, (size_t)(90 / lh));
    assert_true(t->lines[t->line_count - 1].ellipsis);
    for (size_t i = 0; i + 1 < t->line_count; i++)
        assert_false(t->lines[i].ellipsis);
    assert_true(t->lines[t->line_count - 1].width <= 200);
    /* A box that holds it all: the largest size that fits, nothing cut. */
    bt_rect big = {0, 0, 2000, 400};
    assert_int_equal(bt_layout_fit_block(&mono, text, big, BT_FACE_REGULAR, 20, 200, 0,
                                         BT_INK_TEXT, BT_ALIGN_LEFT, t),
                     0);
    assert_true(t->fits);
    assert_true(t->size > 40);
    for (size_t i = 0; i < t->line_count; i++)
        assert_false(t->lines[i].ellipsis);
    free(t);
}

/* ---- Vietnamese marks and the rasteriser ---------------------------------------------------- */

/* At every size, the ink of capitals with stacked marks and of letters with dots below lies
 * inside the line box the layout reserves, with the baseline where the layout puts it. */
static void test_marks_inside_line_box(void **state)
{
    (void)state;
    const char *samples[] = {"ỖNG ẶNG Ệ Ữ Ở Ừ Ẵ Ẫ", "Quý vị gặp ậ ặ ỵ gì", "ĐỔI MỚI THỦ TỤC"};
    SDL_Color white = {255, 255, 255, 255};
    for (int face = 0; face < BT_FACE_COUNT; face++) {
        for (int size = 14; size <= 220; size += 3) {
            int lh = bt_layout_line_height(&fonts, (bt_face)face, size);
            int base = bt_layout_baseline(&fonts, (bt_face)face, size);
            for (size_t k = 0; k < 3; k++) {
                int surf_base;
                SDL_Surface *s = bt_ui_font_render(font[face], size, samples[k],
                                                   strlen(samples[k]), false, white, &surf_base);
                assert_non_null(s);
                assert_int_equal(SDL_LockSurface(s), 0);
                int top = -1, bottom = -1;
                for (int y = 0; y < s->h; y++) {
                    const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels +
                                                         (size_t)y * (size_t)s->pitch);
                    for (int x = 0; x < s->w; x++)
                        if ((row[x] >> 24) > 0) {
                            if (top < 0)
                                top = y;
                            bottom = y;
                            break;
                        }
                }
                SDL_UnlockSurface(s);
                /* In line-box coordinates (the surface's baseline goes on the layout's). */
                int ink_top = top - surf_base + base, ink_bottom = bottom - surf_base + base;
                if (ink_top < 0 || ink_bottom >= lh)
                    fail_msg("face %d size %d \"%s\": ink rows %d..%d outside line box 0..%d",
                             face, size, samples[k], ink_top, ink_bottom, lh - 1);
                /* The stacked marks really are drawn: ink reaches ≥ 0.95 em above the baseline
                 * for the capitals (the mark over Ỗ sits at ~1.05 em). */
                if (k == 0 && surf_base - top < (size * 95) / 100)
                    fail_msg("face %d size %d: marks reach only %d px above the baseline", face,
                             size, surf_base - top);
                SDL_FreeSurface(s);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wcag_formula),
        cmocka_unit_test(test_default_theme_contrast),
        cmocka_unit_test(test_frame_geometry),
        cmocka_unit_test(test_every_notice_fits_its_boxes),
        cmocka_unit_test(test_demo_notices_fit_both_orientations),
        cmocka_unit_test(test_cut_with_ellipsis),
        cmocka_unit_test(test_marks_inside_line_box),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
