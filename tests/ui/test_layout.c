/* Layout and text fitting with the real fonts, at many screen sizes: every box inside the
 * screen and clear of header, ticker and corner QR; every fitted line inside its box (lines ×
 * line height, widths re-measured with SDL_ttf); QR sizes scannable; the Vietnamese ink
 * envelope respected by the rasteriser; and WCAG contrast of the default theme. */
#include "ui_fixture.h"

#include <math.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_text.h"
#include "../../src/core/vi_compounds.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_qr.h"
#include "bangtin/bt_ui_theme.h"
#include "bangtin/bt_vi.h"

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
    bt_layout_params p = {w, h, true, fx.sc.min_text_px, fx.sc.ward_name, fx.sc.portal_caption,
                          false, 0, 0};
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
    /* An image slide under the slim header owns the stage below that header (issue 14). */
    bt_rect stage = s->slim_header ? f->image_stage : f->stage;
    bt_rect header = s->slim_header ? f->slim.band : f->header;
    if (s->slim_header)
        assert_true(s->kind == BT_SLIDE_IMAGE && f->slim.band.h > 0);
    assert_inside(screen, s->area, id, w, h);
    assert_inside(stage, s->area, id, w, h);
    if (s->corner)
        assert_apart(s->area, f->corner, id, w, h);
    /* One QR per slide: the corner's portal QR shows only where the notice has none. */
    assert_true(s->portal_qr == (s->corner && s->qr.w == 0));
    if (s->band.w) {
        assert_inside(s->area, s->band, id, w, h);
        assert_inside(s->band, s->qr, id, w, h);
        assert_apart(s->band, s->image, id, w, h);
    }
    for (size_t i = 0; i < s->text_count; i++) {
        const bt_layout_text *t = &s->texts[i];
        snprintf(what, sizeof what, "%s text %zu", id, i);
        check_block(t, what, w, h);
        if (t->line_count == 0)
            continue;
        assert_inside(s->area, t->box, what, w, h);
        assert_apart(t->box, header, what, w, h);
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
    if (s->image.w) {
        assert_inside(s->area, s->image, id, w, h);
        assert_apart(s->image, s->qr, id, w, h);
        assert_apart(s->image, s->badge, id, w, h);
    }
    if (s->badge.w)
        assert_inside(s->area, s->badge, id, w, h);
    /* The schedule table: rows inside the area, one under the other, each state plate inside
     * its row and clear of every text but its own label, which it holds. */
    for (size_t k = 0; k < s->row_count; k++) {
        snprintf(what, sizeof what, "%s row %zu", id, k);
        assert_inside(s->area, s->rows[k], what, w, h);
        assert_inside(s->rows[k], s->chips[k], what, w, h);
        assert_apart(s->rows[k], s->badge, what, w, h);
        if (k > 0)
            assert_true(s->rows[k].y >= s->rows[k - 1].y + s->rows[k - 1].h);
        size_t labels = 0;
        for (size_t i = 0; i < s->text_count; i++) {
            const bt_layout_text *t = &s->texts[i];
            if (t->line_count == 0)
                continue;
            if (bt_rect_contains(s->chips[k], t->box)) {
                labels++;
                assert_string_equal(t->text, bt_vi_slot_state(s->row_states[k]));
                assert_int_equal(t->ink, bt_layout_slot_ink(s->row_states[k]));
                continue;
            }
            assert_apart(s->chips[k], t->box, what, w, h);
            /* A text touching a row lies wholly inside it. */
            if (bt_rect_overlaps(s->rows[k], t->box))
                assert_inside(s->rows[k], t->box, what, w, h);
        }
        /* A miss has no plate and no label on the lobby (issue 14). */
        assert_int_equal(labels, bt_layout_slot_plate(s->row_states[k]) ? 1 : 0);
    }
}

static bool on_scale(const bt_layout_frame *f, int size)
{
    for (size_t k = 0; k < f->scale_count; k++)
        if (f->scale[k] == size)
            return true;
    return false;
}

/* Issue 14: one type scale per screen. Every text of the slide (title, body, the urgent label, a
 * QR code's caption and printed address, the schedule's rows) at one of the frame's steps. */
static void check_on_scale(const bt_layout_frame *f, const bt_layout_slide *s, const char *id,
                           int w, int h)
{
    for (size_t t = 0; t < s->text_count; t++)
        if (s->texts[t].line_count && !on_scale(f, s->texts[t].size))
            fail_msg("%dx%d %s: \"%s\" at %d px, not a step of the scale (%d .. %d)", w, h, id,
                     s->texts[t].text, s->texts[t].size, f->scale[0],
                     f->scale[f->scale_count - 1]);
}

/* A printed address is typed by whoever cannot scan: on a wide screen one as long as a site's
 * name (≤ 30 characters) stays on one line ("dichvucong.hanoi." / "gov.vn" reads as two); a long
 * one with its query may break after punctuation. */
static void check_address_one_line(const bt_layout_content *c, const bt_layout_slide *s,
                                   const char *id, int w, int h)
{
    size_t u = c->qr_url ? strlen(c->qr_url) : 0;
    for (size_t t = 0; t < s->text_count; t++) {
        const bt_layout_text *b = &s->texts[t];
        size_t n = b->text ? strlen(b->text) : 0;
        bool is_address = n >= 8 && n <= 30 && n <= u && strcmp(c->qr_url + u - n, b->text) == 0;
        if (is_address && b->line_count != 1)
            fail_msg("%dx%d %s: address \"%s\" on %zu lines", w, h, id, b->text,
                     b->line_count);
    }
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
            if (roomy)
                check_address_one_line(&c, s, id, w, h);
        }
    }
    free(s);
}

/* A line break of a block falls inside a listed compound word ("Thành / phố", "Dịch / vụ
 * công"): the words around each break, lower-cased, are the middle of a listed compound that
 * fits the block's width on its own. Returns the compound, or NULL. */
static const char *break_inside_compound(const bt_layout_fonts *fs, const bt_layout_text *b)
{
    static char pair[600];
    for (size_t l = 1; l < b->line_count; l++) {
        const char *prev_end = b->text + b->lines[l - 1].start + b->lines[l - 1].length;
        const char *prev = prev_end;
        while (prev > b->text && prev[-1] != ' ' && prev[-1] != '\n')
            prev--;
        const char *next = b->text + b->lines[l].start;
        size_t next_len = strcspn(next, " \n");
        if (prev_end > prev && strchr(",.;:!?", prev_end[-1]))
            continue; /* punctuation ends a phrase */
        if (prev_end == b->text || prev_end[0] == '\n')
            continue; /* a forced break */
        char raw[256];
        snprintf(raw, sizeof raw, "%.*s %.*s", (int)(prev_end - prev), prev, (int)next_len, next);
        char *low = bt_text_upper(raw); /* compare in one case: the list's, upper-cased */
        for (size_t i = 0; low && i < bt_vi_compound_count; i++) {
            char *word = bt_text_upper(bt_vi_compounds[i]);
            const char *at = word ? strstr(word, low) : NULL;
            /* whole words only: the pair starts and ends at the compound's word limits */
            bool whole = at && (at == word || at[-1] == ' ') &&
                         (at[strlen(low)] == '\0' || at[strlen(low)] == ' ');
            int width = whole ? fs->face[b->face].measure(fs->face[b->face].ctx, b->size,
                                                          bt_vi_compounds[i],
                                                          strlen(bt_vi_compounds[i]))
                              : 0;
            if (whole && width <= b->box.w) {
                snprintf(pair, sizeof pair, "%s (\"%s\")", raw, bt_vi_compounds[i]);
                free(word);
                free(low);
                return pair;
            }
            free(word);
        }
        free(low);
    }
    return NULL;
}

/* ---- image slides (issue 14) ------------------------------------------------------------------ */

/* Picture of an image slide over the content area of that slide: the screen less the header it
 * is drawn under and the bottom band. */
static double image_coverage(const bt_layout_frame *f, const bt_layout_slide *s)
{
    int top = s->slim_header ? f->slim.rule.y + f->slim.rule.h
                             : f->header_rule.y + f->header_rule.h;
    double content = (double)f->width * (f->ticker.y - top);
    return (double)s->image.w * s->image.h / content;
}

/* The test playlist's image notice laid out at SIZES[k] as an iw×ih picture, with its own QR
 * (qr_url, or NULL), urgent or not, its caption asked for or not; checked like every slide. */
static void image_slide_at(size_t k, int iw, int ih, const char *qr_url, bool urgent,
                           bool caption, bt_layout_frame *f, bt_layout_slide *s)
{
    int w = SIZES[k][0], h = SIZES[k][1];
    frame_for(w, h, f);
    bt_layout_content c;
    content_of(&playlist.notices[N_IMAGE], &c);
    c.image_w = iw;
    c.image_h = ih;
    c.qr_url = qr_url;
    c.qr_caption = qr_url ? "Quét mã để xem sơ đồ chi tiết" : NULL;
    c.urgent = urgent;
    c.caption = caption;
    assert_int_equal(bt_layout_slide_build(f, &fonts, &c, s), 0);
    check_slide(f, s, "image", w, h);
}

/* An image notice of the screen's own size covers at least 85 % of the content area at every
 * size (a 16:9 picture under the full header would cover 79 %), and its slide has no corner
 * column and no caption unless asked. */
static void test_image_fills_content_area(void **state)
{
    (void)state;
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bt_layout_frame f;
        image_slide_at(k, w, h, NULL, false, false, &f, s);
        double cover = image_coverage(&f, s);
        printf("# %dx%d: a %dx%d picture covers %.1f %% of the content area (%dx%d shown)\n", w,
               h, w, h, 100 * cover, s->image.w, s->image.h);
        if (cover < 0.85)
            fail_msg("%dx%d: the picture covers %.1f %% of the content area", w, h, 100 * cover);
        assert_int_equal(s->text_count, 0); /* the title is not shown unless asked */
        assert_false(s->portal_qr);
        assert_true(s->slim_header == (w >= h));
        /* Asked for, the caption shows under the picture, inside the area. */
        image_slide_at(k, w, h, NULL, false, true, &f, s);
        assert_int_equal(s->text_count, 1);
        assert_true(s->texts[0].line_count > 0);
        assert_true(s->texts[0].box.y >= s->image.y + s->image.h);
    }
    free(s);
}

/* A wide picture on a tall screen sits in the middle of what it owns (no top-heavy slide), and
 * keeps the corner band where that costs it nothing; on a wide screen it fills the height. */
static void test_image_balanced(void **state)
{
    (void)state;
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    const int shapes[][2] = {{1600, 900}, {1200, 1200}, {900, 1600}};
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        for (size_t i = 0; i < 3; i++) {
            bt_layout_frame f;
            int iw = shapes[i][0], ih = shapes[i][1];
            image_slide_at(k, iw, ih, NULL, false, false, &f, s);
            int above = s->image.y - s->area.y;
            int below = s->area.y + s->area.h - s->image.y - s->image.h;
            int left = s->image.x - s->area.x;
            int right = s->area.x + s->area.w - s->image.x - s->image.w;
            if (abs(above - below) > 1 || abs(left - right) > 1)
                fail_msg("%dx%d, %dx%d picture: %d px above, %d below, %d left, %d right", w, h,
                         iw, ih, above, below, left, right);
            /* Fitted: it touches two opposite sides of its area. */
            assert_true(above <= 1 || left <= 1);
            if (s->corner) {
                /* Kept only where the picture is as large as in the whole stage. */
                assert_false(f.landscape);
                int full_w = (int)((long long)iw * f.stage.h / ih);
                assert_true(s->image.w == f.stage.w && full_w >= f.stage.w);
            }
        }
    }
    free(s);
}

/* An image notice with its own QR: the code in a band beside (wide) or under (tall) the picture,
 * large enough to scan, and no portal QR. */
static void test_image_with_qr_band(void **state)
{
    (void)state;
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int unit = SIZES[k][0] < SIZES[k][1] ? SIZES[k][0] : SIZES[k][1];
        for (int urgent = 0; urgent < 2; urgent++) {
            bt_layout_frame f;
            image_slide_at(k, 640, 480, UI_NOTICE_URL, urgent, false, &f, s);
            assert_true(s->band.w > 0 && s->qr.w > 0 && s->image.w > 0);
            assert_false(s->corner);
            assert_false(s->portal_qr);
            assert_string_equal(s->qr_text, UI_NOTICE_URL);
            assert_true(s->qr.w * 1080 >= 260 * unit);
            if (f.landscape)
                assert_true(s->band.x >= s->image.x + s->image.w && s->band.h == s->area.h);
            else
                assert_true(s->band.y >= s->image.y + s->image.h && s->band.w == s->area.w);
            if (urgent)
                assert_true(s->badge.w > 0 && s->texts[BT_LAYOUT_TEXT_BADGE].line_count == 1);
        }
    }
    free(s);
}

/* The corner's information block: inside the panel, clear of the portal QR and its caption when
 * they show; on a tall screen only in place of the QR. A text too long for the panel is not
 * shown cut. */
static void test_corner_info(void **state)
{
    (void)state;
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        for (int qr = 0; qr < 2; qr++) {
            bt_layout_corner_info ci;
            assert_int_equal(bt_layout_corner_info_build(&f, &fonts, "Phát thanh tiếp theo",
                                                         "17:00", "Bản tin chiều", qr, 0, 0,
                                                         &ci), 0);
            assert_true(ci.shown == (f.landscape || !qr));
            if (!ci.shown)
                continue;
            const bt_layout_text *parts[] = {&ci.label, &ci.value, &ci.detail};
            for (size_t i = 0; i < 3; i++) {
                char what[64];
                snprintf(what, sizeof what, "corner info %zu (QR %d)", i, qr);
                check_block(parts[i], what, w, h);
                assert_true(parts[i]->fits && parts[i]->line_count > 0);
                assert_inside(f.corner, parts[i]->box, what, w, h);
                if (qr) {
                    assert_apart(parts[i]->box, f.corner_qr, what, w, h);
                    assert_apart(parts[i]->box, f.corner_caption.box, what, w, h);
                }
                if (i > 0)
                    assert_true(parts[i]->box.y >= parts[i - 1]->box.y + parts[i - 1]->box.h);
            }
            /* The time reads from across the hall, like the header clock. */
            assert_true(ci.value.size >= f.clock_size * 6 / 10);
            if ((w == 1920 && h == 1080) || (w == 1080 && h == 1920)) {
                /* On the type scale: the label and the name at the floor, the time a step. */
                for (size_t i = 0; i < 3; i++)
                    if (!on_scale(&f, parts[i]->size))
                        fail_msg("%dx%d corner text %zu (QR %d) at %d px, not on the scale", w,
                                 h, i, qr, parts[i]->size);
                assert_int_equal(ci.label.size, f.min_body_px);
                assert_int_equal(ci.detail.size, f.min_body_px);
                assert_true(ci.value.size > f.min_body_px);
            }
        }
        if ((w == 1920 && h == 1080) || (w == 1080 && h == 1920))
            assert_int_equal(f.corner_caption.size, f.min_body_px); /* the portal QR's caption */
        bt_layout_corner_info none;
        assert_int_equal(bt_layout_corner_info_build(&f, &fonts, NULL, "", NULL, false, 0, 0,
                                                     &none), 0);
        assert_false(none.shown);
        /* The ward's logo with its hotline: inside the panel, clear of every text, of the QR
         * and its caption; above the texts in a column, left of them in a band. Where it leaves
         * no room, the texts show alone. */
        for (int qr = 0; qr < 2; qr++) {
            bt_layout_corner_info ci;
            assert_int_equal(bt_layout_corner_info_build(&f, &fonts, "Đường dây nóng",
                                                         "024 0000 0000", NULL, qr, 200, 160,
                                                         &ci), 0);
            assert_true(ci.shown == (f.landscape || !qr));
            if (!ci.shown) {
                assert_int_equal(ci.logo.w, 0);
                continue;
            }
            if (!qr)
                assert_true(ci.logo.w > 0); /* the whole panel has room for it */
            if (ci.logo.w == 0)
                continue;
            assert_inside(f.corner, ci.logo, "corner logo", w, h);
            assert_true(llabs((long long)ci.logo.w * 160 - (long long)ci.logo.h * 200) <= 200);
            const bt_layout_text *parts[] = {&ci.label, &ci.value};
            for (size_t i = 0; i < 2; i++) {
                assert_apart(ci.logo, parts[i]->box, "corner logo and text", w, h);
                if (f.landscape)
                    assert_true(parts[i]->box.y >= ci.logo.y + ci.logo.h);
                else
                    assert_true(bt_layout_line_x(parts[i], 0) >= ci.logo.x + ci.logo.w);
            }
            if (qr) {
                assert_apart(ci.logo, f.corner_qr, "corner logo and QR", w, h);
                assert_apart(ci.logo, f.corner_caption.box, "corner logo and caption", w, h);
            }
        }
    }
}

/* ---- the type scale (issue 14) --------------------------------------------------------------- */

typedef struct {
    size_t count, at_top;
} title_count;

/* A slide's title: set at a step of the screen's type scale, and not ending on a one-word line
 * when it has two lines or more (a title of two long words may need it: none in the demo). */
static void check_title(const bt_layout_frame *f, const bt_layout_slide *s, const char *id,
                        title_count *n)
{
    if (s->title_text < 0)
        fail_msg("%dx%d %s: no title", f->width, f->height, id);
    const bt_layout_text *t = &s->texts[s->title_text];
    if (!on_scale(f, t->size))
        fail_msg("%dx%d %s: title at %d px, not a step of the scale", f->width, f->height, id,
                 t->size);
    n->count++;
    n->at_top += t->size == f->scale[0];
    if (t->line_count >= 2) {
        const bt_layout_line *last = &t->lines[t->line_count - 1];
        if (!memchr(t->text + last->start, ' ', last->length))
            fail_msg("%dx%d %s: the title's last line is one word: \"%.*s\"", f->width,
                     f->height, id, (int)last->length, t->text + last->start);
    }
}

/* Every screen size has a scale of 3 or 4 sizes with the default floor, largest first, a clear
 * step apart, ending on the legibility floor. */
static void test_type_scale_steps(void **state)
{
    (void)state;
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        bt_layout_frame f;
        frame_for(SIZES[k][0], SIZES[k][1], &f);
        assert_true(f.scale_count >= 3 && f.scale_count <= 4);
        assert_int_equal(f.scale[f.scale_count - 1], f.min_body_px);
        for (size_t i = 1; i < f.scale_count; i++)
            assert_true(f.scale[i - 1] * 100 >= f.scale[i] * 120);
    }
    bt_layout_frame f;
    frame_for(1920, 1080, &f);
    assert_int_equal(f.scale_count, 4);
    assert_int_equal(f.scale[0], 96);
    assert_int_equal(f.scale[1], 72);
    assert_int_equal(f.scale[2], 54);
    assert_int_equal(f.scale[3], 40);
    /* A higher floor takes the steps under it away; a lower one adds steps down to it. */
    bt_layout_params p = {1920, 1080, true, 60, "UBND phường", "", false, 0, 0};
    assert_int_equal(bt_layout_frame_build(&p, &fonts, &f), 0);
    assert_int_equal(f.scale_count, 3);
    assert_int_equal(f.scale[2], 60);
    p.min_text_px = 24;
    assert_int_equal(bt_layout_frame_build(&p, &fonts, &f), 0);
    assert_int_equal(f.scale[f.scale_count - 1], 24);
    assert_true(f.scale_count <= BT_LAYOUT_SCALE_MAX);
}

/* A text that does not fit at its step falls to the next step, not to a size of its own. */
static void test_type_scale_fallback(void **state)
{
    (void)state;
    bt_layout_frame f;
    frame_for(1920, 1080, &f);
    const char *text = "Thủ tục hành chính";
    int at[4];
    for (size_t k = 0; k < 4; k++)
        at[k] = fonts.face[BT_FACE_BOLD].measure(fonts.face[BT_FACE_BOLD].ctx, f.scale[k], text,
                                                strlen(text));
    bt_layout_text t;
    /* One line, a box a pixel too narrow for step 0 (and for anything between 0 and 1). */
    int lh = bt_layout_line_height(&fonts, BT_FACE_BOLD, f.scale[0]);
    assert_int_equal(bt_layout_fit_scale(&f, &fonts, text, (bt_rect){0, 0, at[0] - 1, lh},
                                         BT_FACE_BOLD, 0, 1, true, BT_INK_ACCENT, BT_ALIGN_LEFT,
                                         &t), 0);
    assert_true(t.fits);
    assert_int_equal(t.size, f.scale[1]);
    assert_int_equal(t.line_count, 1);
    /* Two steps down, and from a later first step. */
    assert_int_equal(bt_layout_fit_scale(&f, &fonts, text, (bt_rect){0, 0, at[1] - 1, lh},
                                         BT_FACE_BOLD, 0, 1, true, BT_INK_ACCENT, BT_ALIGN_LEFT,
                                         &t), 0);
    assert_int_equal(t.size, f.scale[2]);
    assert_int_equal(bt_layout_fit_scale(&f, &fonts, text, (bt_rect){0, 0, at[0] + 10, lh},
                                         BT_FACE_BOLD, 2, 1, true, BT_INK_ACCENT, BT_ALIGN_LEFT,
                                         &t), 0);
    assert_int_equal(t.size, f.scale[2]);
    /* Too narrow even for the floor: cut at the floor, said so. */
    assert_int_equal(bt_layout_fit_scale(&f, &fonts, text, (bt_rect){0, 0, at[3] - 1, lh},
                                         BT_FACE_BOLD, 0, 1, true, BT_INK_ACCENT, BT_ALIGN_LEFT,
                                         &t), 0);
    assert_false(t.fits);
    assert_int_equal(t.size, f.scale[3]);
}

/* The title of a text slide keeps the top step while its body grows, the body shrinking first,
 * and steps down only when the body could not fit under it; title and body are always steps of
 * the scale, the title above the body. */
static void test_title_keeps_its_size(void **state)
{
    (void)state;
    static const char sentence[] = "Ông/bà mang theo thẻ Căn cước khi đến làm thủ tục hành "
                                   "chính tại Bộ phận Một cửa. ";
    char body[sizeof sentence * 12];
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    for (size_t k = 0; k < 2; k++) {
        bt_layout_frame f;
        frame_for(SIZES[k][0], SIZES[k][1], &f);
        int last_title = f.scale[0], last_body = f.scale[0];
        size_t body_steps = 0;
        body[0] = '\0';
        for (int n = 1; n <= 12; n++) {
            strcat(body, sentence);
            bt_layout_content c;
            memset(&c, 0, sizeof c);
            c.kind = BT_NOTICE_TEXT;
            c.title = "Bộ phận Một cửa đang làm việc";
            c.body = body;
            assert_int_equal(bt_layout_slide_build(&f, &fonts, &c, s), 0);
            const bt_layout_text *tt = &s->texts[s->title_text], *bt = &s->texts[s->title_text + 1];
            assert_ptr_equal(bt->text, body);
            assert_true(on_scale(&f, tt->size) && on_scale(&f, bt->size));
            assert_true(tt->size > bt->size || tt->size == f.scale[f.scale_count - 1]);
            assert_true(tt->size <= last_title && bt->size <= last_body);
            if (tt->size == f.scale[0] && bt->size < last_body)
                body_steps++;
            last_title = tt->size;
            last_body = bt->size;
            if (!s->fits)
                break;
        }
        /* The body shrank under a title at the top step before the title moved, and at the end
         * the pair had to step down. */
        assert_true(body_steps >= 1);
        assert_true(last_title < f.scale[0]);
    }
    free(s);
}

/* ---- the ward's logo (issue 14) -------------------------------------------------------------- */

/* The logo sits at the left of the full header and of the slim one, as tall as the band less its
 * padding with the picture's aspect (a wide wordmark capped at three times that height), and the
 * ward's name moves right of it; without a logo the name starts at the margin. */
static void test_header_logo(void **state)
{
    (void)state;
    static const int logos[][2] = {{200, 200}, {300, 120}, {1200, 100}, {90, 160}};
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        assert_int_equal(f.header_logo.w, 0);
        assert_int_equal(f.ward.box.x, f.margin);
        for (size_t i = 0; i < sizeof logos / sizeof logos[0]; i++) {
            bt_layout_params p = {w, h, true, fx.sc.min_text_px, "UBND phường Thử Nghiệm",
                                  fx.sc.portal_caption, false, logos[i][0], logos[i][1]};
            assert_int_equal(bt_layout_frame_build(&p, &fonts, &f), 0);
            bt_layout_header full = {f.header, f.header_rule, f.ward, f.date_box, f.clock_box,
                                     f.date_size, f.clock_size, f.header_logo};
            const bt_layout_header *hs[2] = {&full, &f.slim};
            for (size_t j = 0; j < (f.landscape ? 2u : 1u); j++) {
                bt_rect logo = hs[j]->logo, band = hs[j]->band;
                assert_inside(band, logo, "logo", w, h);
                assert_true(logo.w > 0 && logo.x == f.margin);
                /* Centred in the band's height, with the picture's aspect (±1 px rounding). */
                assert_true(abs((logo.y - band.y) - (band.y + band.h - logo.y - logo.h)) <= 1);
                assert_true(llabs((long long)logo.w * logos[i][1] -
                                  (long long)logo.h * logos[i][0]) <=
                            (long long)(logos[i][0] > logos[i][1] ? logos[i][0] : logos[i][1]));
                if (logos[i][0] <= 3 * logos[i][1])
                    assert_int_equal(logo.h, band.h - 2 * bt_layout_px(&f, 8)); /* less padding */
                else
                    assert_int_equal(logo.w, 3 * (band.h - 2 * bt_layout_px(&f, 8)));
                assert_apart(logo, hs[j]->ward.box, "logo and ward name", w, h);
                assert_true(hs[j]->ward.box.x >= logo.x + logo.w);
                assert_apart(logo, hs[j]->date_box, "logo and date", w, h);
                assert_apart(logo, hs[j]->clock_box, "logo and clock", w, h);
                check_block(&hs[j]->ward, "ward name beside the logo", w, h);
            }
        }
    }
}

/* The bundled demo playlist is what a ward sees first: every notice must fit its boxes at or
 * above the legibility floor in both orientations, with no text cut, no line break inside a
 * listed compound, and its titles at one size of the screen's type scale. */
static void test_demo_notices_fit_both_orientations(void **state)
{
    (void)state;
    bt_playlist demo;
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(&demo);
    assert_int_equal(bt_playlist_load(BT_DEMO_DIR, &demo, &d), 0);
    bt_diags_free(&d);
    assert_true(demo.notice_count >= 8);
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    static const int orientations[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t k = 0; k < 2; k++) {
        int w = orientations[k][0], h = orientations[k][1];
        bt_layout_frame f;
        title_count titles = {0, 0};
        frame_for(w, h, &f);
        /* The schedule notice lists the demo's sessions (the widest state on each). */
        bt_layout_schedule_row rows[BT_LAYOUT_SCHEDULE_MAX_ROWS];
        size_t row_count = 0;
        for (size_t i = 0; i < demo.broadcasts.session_count && row_count < 8; i++)
            rows[row_count++] = (bt_layout_schedule_row){"06:00", demo.broadcasts.sessions[i].name,
                                                         BT_SLOT_MADE_UP};
        assert_true(row_count >= 3);
        bool schedule = false;
        for (size_t i = 0; i < demo.notice_count; i++) {
            bt_layout_content c;
            content_of(&demo.notices[i], &c);
            if (c.kind == BT_NOTICE_SCHEDULE) {
                c.rows = rows;
                c.row_count = row_count;
                c.schedule_date = "Chủ Nhật, 28/08/2028";
                schedule = true;
            }
            if (bt_layout_slide_build(&f, &fonts, &c, s) != 0)
                fail_msg("%dx%d %s: layout failed", w, h, demo.notices[i].id);
            check_slide(&f, s, demo.notices[i].id, w, h);
            if (w > h)
                check_address_one_line(&c, s, demo.notices[i].id, w, h);
            if (!s->fits)
                fail_msg("%dx%d demo notice %s does not fit at the floor", w, h,
                         demo.notices[i].id);
            for (size_t t = 0; t < s->text_count; t++) {
                for (size_t l = 0; l < s->texts[t].line_count; l++)
                    assert_false(s->texts[t].lines[l].ellipsis);
                const char *split = break_inside_compound(&fonts, &s->texts[t]);
                if (split)
                    fail_msg("%dx%d %s: a line breaks inside %s", w, h, demo.notices[i].id,
                             split);
            }
            if (c.kind == BT_NOTICE_SCHEDULE)
                assert_int_equal(s->row_count, row_count);
            int bsize = 0;
            for (size_t t = 0; t < s->text_count; t++)
                if (c.body && s->texts[t].text == c.body)
                    bsize = s->texts[t].size;
            if (c.kind != BT_NOTICE_IMAGE)
                check_title(&f, s, demo.notices[i].id, &titles);
            if (s->kind == BT_SLIDE_TEXT && s->qr.w == 0) {
                /* Not top-heavy: the title and body (and the urgent label) in the middle of the
                 * area, as much room above as below. */
                int top = s->badge.w > 0 ? s->badge.y : s->texts[s->title_text].box.y;
                const bt_layout_text *last = &s->texts[s->text_count - 1];
                int above = top - s->area.y;
                int below = s->area.y + s->area.h - (last->box.y + last->box.h);
                if (abs(above - below) > 2)
                    fail_msg("%dx%d %s: %d px above the text, %d below", w, h,
                             demo.notices[i].id, above, below);
            }
            if (s->kind == BT_SLIDE_TEXT && s->qr.w > 0 && s->qr.x == s->area.x) {
                /* The QR in a row under the text (portrait): text and row one group in the
                 * middle of the area, as much room above as below, the row clear of the body. */
                const bt_layout_text *title = &s->texts[s->title_text];
                const bt_layout_text *body = &s->texts[s->title_text + 1];
                int top = s->badge.w > 0 ? s->badge.y : title->box.y;
                int text_bottom = body->line_count ? body->box.y + body->box.h
                                                   : title->box.y + title->box.h;
                int above = top - s->area.y;
                int below = s->area.y + s->area.h - (s->qr.y + s->qr.h);
                if (abs(above - below) > 2 || s->qr.y - text_bottom < bt_layout_px(&f, 56))
                    fail_msg("%dx%d %s: %d px above the text, %d below its QR row, %d between",
                             w, h, demo.notices[i].id, above, below, s->qr.y - text_bottom);
            }
            /* Every text at a step of the type scale: the heading, the date and every row of
             * the schedule, a QR code's caption and its printed address as much as a title. */
            check_on_scale(&f, s, demo.notices[i].id, w, h);
            printf("# %dx%d %-24s title %3d px, body %3d px\n", w, h, demo.notices[i].id,
                   s->title_text >= 0 ? s->texts[s->title_text].size : 0, bsize);
        }
        assert_true(schedule); /* the demo shows its loudspeaker schedule */
        /* The idle screen between notices: the portal QR's caption and address on the scale. */
        bt_layout_content idle;
        memset(&idle, 0, sizeof idle);
        idle.idle = true;
        idle.qr_url = fx.sc.portal_url;
        idle.qr_caption = fx.sc.portal_caption;
        assert_int_equal(bt_layout_slide_build(&f, &fonts, &idle, s), 0);
        check_slide(&f, s, "idle", w, h);
        assert_true(s->text_count >= 2);
        check_on_scale(&f, s, "idle", w, h);
        /* One title size on the screen: most titles at the top step; the others stepped down
         * (check_title: only to a step of the scale). */
        printf("# %dx%d: %zu of %zu titles at %d px (scale", w, h, titles.at_top, titles.count,
               f.scale[0]);
        for (size_t step = 0; step < f.scale_count; step++)
            printf(" %d", f.scale[step]);
        printf(")\n");
        assert_true(titles.count >= 8);
        assert_true(titles.at_top * 4 >= titles.count * 3);
    }
    free(s);
    bt_playlist_free(&demo);
}

/* ---- the schedule table (issue 3) ------------------------------------------------------------ */

typedef struct {
    const char *name;
    size_t count;
    bt_layout_schedule_row rows[12];
} row_set;

static const row_set ROW_SETS[] = {
    {"every-state", 5, {{"06:00", "Bản tin sáng", BT_SLOT_AIRED},
                        {"06:30", "Ngày Chuyển đổi số quốc gia: tin ưu tiên", BT_SLOT_MADE_UP},
                        {"11:00", "Thông báo khẩn về phòng, chống bão", BT_SLOT_MISSED},
                        {"17:00", "Bản tin chiều", BT_SLOT_AIRING},
                        {"18:30", "Bản tin tối", BT_SLOT_UPCOMING}}},
    {"three", 3, {{"06:00", "Bản tin sáng", BT_SLOT_AIRED},
                  {"11:00", "Bản tin trưa", BT_SLOT_AIRING},
                  {"17:00", "Bản tin chiều", BT_SLOT_UPCOMING}}},
    {"eight", 8, {{"05:30", "Bản tin sáng sớm", BT_SLOT_AIRED},
                  {"06:00", "Bản tin sáng", BT_SLOT_MADE_UP},
                  {"06:30", "Tin cải cách hành chính", BT_SLOT_MISSED},
                  {"11:00", "Bản tin trưa", BT_SLOT_AIRED},
                  {"16:30", "Tin định danh điện tử", BT_SLOT_AIRING},
                  {"17:00", "Bản tin chiều", BT_SLOT_UPCOMING},
                  {"17:30", "Tin chuyển đổi số", BT_SLOT_UPCOMING},
                  {"18:00", "Bản tin tối", BT_SLOT_UPCOMING}}},
    {"twelve", 12, {{"05:30", "Bản tin sáng sớm", BT_SLOT_AIRED},
                    {"06:00", "Bản tin sáng", BT_SLOT_AIRED},
                    {"06:30", "Tin cải cách hành chính", BT_SLOT_MISSED},
                    {"07:00", "Tin dịch vụ công trực tuyến", BT_SLOT_AIRED},
                    {"11:00", "Bản tin trưa", BT_SLOT_AIRED},
                    {"11:30", "Tin định danh điện tử", BT_SLOT_MADE_UP},
                    {"16:30", "Tin phòng, chống thiên tai", BT_SLOT_AIRED},
                    {"17:00", "Bản tin chiều", BT_SLOT_AIRING},
                    {"17:30", "Tin chuyển đổi số", BT_SLOT_UPCOMING},
                    {"18:00", "Bản tin tối", BT_SLOT_UPCOMING},
                    {"18:15", "Tin an ninh trật tự", BT_SLOT_UPCOMING},
                    {"18:30", "Tin văn hoá, thể thao", BT_SLOT_UPCOMING}}},
    {"long-name", 2, {{"06:00", "Thông báo của Ủy ban nhân dân phường về việc tổ chức tiếp "
                                "công dân định kỳ, lấy ý kiến nhân dân về dự thảo quy hoạch "
                                "chi tiết khu dân cư, lịch thu gom rác thải sinh hoạt, lịch "
                                "tiêm chủng mở rộng cho trẻ em dưới năm tuổi và kế hoạch tổng "
                                "vệ sinh môi trường, khơi thông cống rãnh trước mùa mưa bão "
                                "trên địa bàn các tổ dân phố",
                       BT_SLOT_UPCOMING},
                      {"17:00", "Bản tin chiều", BT_SLOT_UPCOMING}}},
    {"empty", 0, {{NULL, NULL, BT_SLOT_UPCOMING}}},
};
#define ROW_SET_COUNT (sizeof ROW_SETS / sizeof ROW_SETS[0])

static void schedule_content(const row_set *set, bool urgent, bt_layout_content *c)
{
    memset(c, 0, sizeof *c);
    c->kind = BT_NOTICE_SCHEDULE;
    c->title = BT_SCHEDULE_NOTICE_TITLE;
    c->urgent = urgent;
    c->rows = set->count ? set->rows : NULL;
    c->row_count = set->count;
    c->schedule_date = "Chủ Nhật, 28/08/2028";
}

/* At every size, every row set: nothing leaves its box, nothing overlaps, every text at or above
 * the floor; up to eight ordinary rows all show on 16:9 screens of both orientations, few rows
 * show large, more than fit are summed up with the session on air kept in view, a name too long
 * for two lines is cut (and the slide says it does not fit), and no rows says so in words. */
static void test_schedule_slide_fits(void **state)
{
    (void)state;
    bt_layout_slide *s = malloc(sizeof *s);
    assert_non_null(s);
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bool roomy = w * 10 >= h * 16 || h * 10 >= w * 16;
        bt_layout_frame f;
        frame_for(w, h, &f);
        for (size_t r = 0; r < ROW_SET_COUNT; r++) {
            for (int urgent = 0; urgent < 2; urgent++) {
                const row_set *set = &ROW_SETS[r];
                char id[64];
                bt_layout_content c;
                snprintf(id, sizeof id, "schedule %s%s", set->name, urgent ? " urgent" : "");
                schedule_content(set, urgent, &c);
                if (bt_layout_slide_build(&f, &fonts, &c, s) != 0)
                    fail_msg("%dx%d %s: layout failed", w, h, id);
                assert_int_equal(s->kind, BT_SLIDE_SCHEDULE);
                assert_true(s->corner);
                check_slide(&f, s, id, w, h);
                for (size_t t = 0; t < s->text_count; t++) {
                    if (s->texts[t].line_count && s->texts[t].text != c.title)
                        assert_true(s->texts[t].size >= f.min_body_px);
                    /* heading, date, rows, the summary line: steps of the type scale */
                    if (s->texts[t].line_count && !on_scale(&f, s->texts[t].size))
                        fail_msg("%dx%d %s: \"%s\" at %d px, not a step of the scale", w, h, id,
                                 s->texts[t].text, s->texts[t].size);
                }
                assert_int_equal(s->row_count + s->rows_hidden, set->count);
                bool long_name = strcmp(set->name, "long-name") == 0;
                if (long_name) {
                    assert_false(s->fits);
                    continue;
                }
                if (set->count == 0) {
                    bool said = false;
                    for (size_t t = 0; t < s->text_count; t++)
                        said = said || strcmp(s->texts[t].text, BT_LAYOUT_SCHEDULE_EMPTY) == 0;
                    assert_true(said);
                }
                if (!roomy)
                    continue;
                if (!s->fits)
                    fail_msg("%dx%d %s: does not fit", w, h, id);
                if (set->count <= BT_LAYOUT_SCHEDULE_MAX_ROWS && s->row_count != set->count)
                    fail_msg("%dx%d %s: %zu of %zu rows", w, h, id, s->row_count, set->count);
                if (set->count > BT_LAYOUT_SCHEDULE_MAX_ROWS) {
                    /* The session on air (17:00) stays in view; the rest is summed up. */
                    bool on_air = false;
                    for (size_t i = 0; i < s->row_count; i++)
                        on_air = on_air || s->row_states[i] == BT_SLOT_AIRING;
                    assert_true(on_air);
                    assert_non_null(strstr(s->more, "buổi phát khác"));
                }
                if (set->count == 3 && !urgent) {
                    /* Few rows: large, for reading across the hall. */
                    for (size_t t = 0; t < s->text_count; t++)
                        if (s->texts[t].ink == BT_INK_TEXT && s->texts[t].line_count)
                            assert_true(s->texts[t].size * 10 >= f.min_body_px * 13);
                }
            }
        }
    }
    free(s);
}

/* The ink of each state on its plate: ≥ 7:1 in the default theme and in a light theme (the
 * text colour adapts), every state a different plate colour (colour tells, words say). */
static void test_schedule_state_contrast(void **state)
{
    (void)state;
    bt_screen_config light = fx.sc;
    light.background = (bt_rgb){0xFF, 0xFF, 0xFF};
    light.foreground = (bt_rgb){0x10, 0x10, 0x10};
    const bt_screen_config *themes[] = {&fx.sc, &light};
    /* The states the lobby shows on a plate (a miss has none: bt_layout_slot_plate). */
    bt_slot_state all[] = {BT_SLOT_UPCOMING, BT_SLOT_AIRING, BT_SLOT_AIRED, BT_SLOT_MADE_UP};
    assert_false(bt_layout_slot_plate(BT_SLOT_MISSED));
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < 4; i++) {
            assert_true(bt_layout_slot_plate(all[i]));
            bt_ink ink = bt_layout_slot_ink(all[i]);
            double ratio = bt_ui_contrast(bt_ui_ink_text(themes[t], ink),
                                          bt_ui_ink_ground(themes[t], ink));
            if (ratio < BT_UI_MIN_CONTRAST)
                fail_msg("theme %zu state %s: %.2f:1", t, bt_vi_slot_state(all[i]), ratio);
            for (size_t j = 0; j < i; j++) {
                bt_rgb a = bt_ui_ink_ground(themes[t], ink);
                bt_rgb b = bt_ui_ink_ground(themes[t], bt_layout_slot_ink(all[j]));
                assert_false(a.r == b.r && a.g == b.g && a.b == b.b);
            }
            assert_true(strlen(bt_vi_slot_state(all[i])) > 0);
        }
        /* The highlighted row (the session on air) keeps its text readable too. */
        assert_true(bt_ui_contrast(bt_ui_ink_text(themes[t], BT_INK_CORNER),
                                   bt_ui_ink_ground(themes[t], BT_INK_CORNER)) >= 7.0);
    }
}

/* The "ĐANG PHÁT" banner at every size: inside the band, clear of the notice area, corner and
 * header; label and title never below the floor; a short title stays put, a long one scrolls
 * (never cut). */
static void test_banner_layout(void **state)
{
    (void)state;
    const char *titles[] = {"Bản tin chiều",
                            "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở, thanh toán "
                            "phí, lệ phí trực tuyến và nhận kết quả tại nhà"};
    bt_layout_banner *b = malloc(sizeof *b);
    assert_non_null(b);
    for (size_t k = 0; k < SIZE_COUNT; k++) {
        int w = SIZES[k][0], h = SIZES[k][1];
        bt_layout_frame f;
        frame_for(w, h, &f);
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(bt_layout_banner_build(&f, &fonts, titles[i], b), 0);
            assert_inside(f.ticker, b->plate, "banner plate", w, h);
            assert_inside(f.ticker, b->title_clip, "banner title", w, h);
            assert_inside(b->plate, b->label.box, "banner label", w, h);
            assert_apart(b->plate, b->title_clip, "banner plate/title", w, h);
            assert_apart(f.ticker, f.main, "banner/main", w, h);
            assert_apart(f.ticker, f.corner, "banner/corner", w, h);
            assert_true(b->label.size >= f.min_body_px && b->title.size >= f.min_body_px);
            assert_false(b->label.lines[0].ellipsis || b->title.lines[0].ellipsis);
            check_block(&b->label, "banner label", w, h);
            assert_int_equal(b->scrolls, i == 1);
            if (!b->scrolls)
                check_block(&b->title, "banner title", w, h);
            else
                assert_true(b->title.lines[0].width > b->title_clip.w);
            assert_true(b->title.box.y + b->title.lines[0].y + b->title.line_height <=
                        f.ticker.y + f.ticker.h);
        }
    }
    /* No band, no banner. */
    bt_layout_frame f;
    bt_layout_params p = {1920, 1080, false, fx.sc.min_text_px, fx.sc.ward_name,
                          fx.sc.portal_caption, false, 0, 0};
    assert_int_equal(bt_layout_frame_build(&p, &fonts, &f), 0);
    assert_int_equal(f.ticker.h, 0);
    assert_int_equal(bt_layout_banner_build(&f, &fonts, titles[0], b), -1);
    p.banner = true; /* reserved for it even without a ticker */
    assert_int_equal(bt_layout_frame_build(&p, &fonts, &f), 0);
    assert_true(f.ticker.h > 0);
    assert_apart(f.ticker, f.main, "reserved band/main", 1920, 1080);
    free(b);
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
        cmocka_unit_test(test_type_scale_steps),
        cmocka_unit_test(test_type_scale_fallback),
        cmocka_unit_test(test_title_keeps_its_size),
        cmocka_unit_test(test_header_logo),
        cmocka_unit_test(test_image_fills_content_area),
        cmocka_unit_test(test_image_balanced),
        cmocka_unit_test(test_image_with_qr_band),
        cmocka_unit_test(test_corner_info),
        cmocka_unit_test(test_schedule_slide_fits),
        cmocka_unit_test(test_schedule_state_contrast),
        cmocka_unit_test(test_banner_layout),
        cmocka_unit_test(test_cut_with_ellipsis),
        cmocka_unit_test(test_marks_inside_line_box),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
