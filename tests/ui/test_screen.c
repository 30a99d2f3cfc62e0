/* The lobby screen, headless: screenshots whose QR codes decode to the exact URLs, the idle
 * screen, text that never leaves its box (pixel level), crossfades without a dark frame, image
 * letterboxing, the draw loop's timing contract, caching (no re-rasterising), a vanished image,
 * the now-playing banner and the fit check. Screenshots land in <build>/test-tmp/ui-screen. */
#include "ui_fixture.h"

#include <sys/stat.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_ui_theme.h"

static bt_playlist playlist;
static char *tmp;
static bt_wall MONDAY_0905; /* 23/11/2026 09:05 in Hà Nội */

static int group_setup(void **state)
{
    (void)state;
    ui_video_init();
    MONDAY_0905 = bt_time_from_civil(2026, 11, 23, 9, 5, 0);
    ui_load_playlist(&playlist, UI_PLAYLIST_DIR);
    tmp = ui_temp("ui-screen");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    bt_playlist_free(&playlist);
    free(tmp);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return 0;
}

static void fixture_open(ui_fixture *f, int w, int h, bool with_playlist)
{
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->playlist = playlist;
    ui_open(f, w, h, with_playlist);
}

/* ---- screenshots and QR codes ------------------------------------------------------------ */

/* Writes `png` again at half its size, each pixel the mean of a 2×2 block (what a camera makes
 * of a screen seen from twice as far). */
static void png_half(const char *png, const char *half_png)
{
    SDL_Surface *img = IMG_Load(png);
    assert_non_null(img);
    SDL_Surface *src = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(src);
    int w = src->w / 2, h = src->h / 2;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(dst);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sum[3] = {0, 0, 0};
            for (int k = 0; k < 4; k++) {
                const Uint32 *row = (const Uint32 *)((const Uint8 *)src->pixels +
                                                     (size_t)(2 * y + k / 2) * src->pitch);
                Uint32 q = row[2 * x + k % 2];
                sum[0] += ui_r(q);
                sum[1] += ui_g(q);
                sum[2] += ui_b(q);
            }
            Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * dst->pitch);
            out[x] = 0xFF000000u | (Uint32)((sum[0] + 2) / 4) << 16 |
                     (Uint32)((sum[1] + 2) / 4) << 8 | (Uint32)((sum[2] + 2) / 4);
        }
    assert_int_equal(IMG_SavePNG(dst, half_png), 0);
    SDL_FreeSurface(dst);
    SDL_FreeSurface(src);
    SDL_FreeSurface(img);
}

/* The screenshot decodes to exactly `expected`, and so does the same screenshot at half its
 * size (issue 14: every QR still scans from twice the distance). */
static void png_decodes(const char *png, const char *expected)
{
    char *out = ui_zbar(png);
    assert_string_equal(out, expected);
    free(out);
    char half[1100];
    snprintf(half, sizeof half, "%.1000s-half.png", png);
    png_half(png, half);
    out = ui_zbar(half);
    if (strcmp(out, expected) != 0)
        fail_msg("%s at 50 %%: decoded \"%s\", expected \"%s\"", png, out, expected);
    free(out);
}

static void shot_decodes(const bt_screen_config *sc, const bt_playlist *p, bt_wall at, int w,
                         int h, const char *name, const char *expected)
{
    char png[1024], err[512];
    snprintf(png, sizeof png, "%s/%s-%dx%d.png", tmp, name, w, h);
    int rc = bt_screen_render_png(sc, p, UI_PLAYLIST_DIR, at, w, h, png, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "render_png: %s\n", err);
    assert_int_equal(rc, 0);
    png_decodes(png, expected);
}

static void test_screenshot_qr_codes(void **state)
{
    (void)state;
    ui_fixture f;
    ui_config(&f);
    bt_wall text_at = ui_time_showing(&playlist, N_TEXT_QR);
    bt_wall qr_at = ui_time_showing(&playlist, N_QR);
    bt_wall long_at = ui_time_showing(&playlist, N_LONG_URL);
    bt_wall image_at = ui_time_showing(&playlist, N_IMAGE);
    char expect_long[1024];
    snprintf(expect_long, sizeof expect_long, "%s\n", playlist.notices[N_LONG_URL].qr_url);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        /* One QR per slide (issue 14): a notice with its own QR shows that one alone, the
         * corner's portal QR steps aside. */
        shot_decodes(&f.sc, &playlist, text_at, w, h, "text-qr", UI_NOTICE_URL "\n");
        shot_decodes(&f.sc, &playlist, qr_at, w, h, "qr", "https://dichvucong.hanoi.gov.vn\n");
        shot_decodes(&f.sc, &playlist, long_at, w, h, "long-url", expect_long);
        /* Without one, the portal QR: in the corner, or on a tall screen under a wide picture. */
        shot_decodes(&f.sc, &playlist, bt_time_from_civil(2026, 11, 24, 14, 0, 0), w, h, "urgent",
                     UI_PORTAL_URL "\n");
        shot_decodes(&f.sc, &playlist, image_at, w, h, "image",
                     w > h ? "" : UI_PORTAL_URL "\n");
    }
}

/* The screenshot command renders what the rotation shows: at 24/11 the urgent notice. */
static void test_screenshot_follows_rotation(void **state)
{
    (void)state;
    ui_fixture f;
    ui_config(&f);
    bt_wall urgent = bt_time_from_civil(2026, 11, 24, 14, 0, 0);
    assert_int_equal(bt_rotation_at(&playlist, urgent).notice, N_URGENT);
    /* The urgent notice has no QR of its own: only the corner portal QR decodes. */
    shot_decodes(&f.sc, &playlist, urgent, 1920, 1080, "urgent", UI_PORTAL_URL "\n");
}

/* ---- idle --------------------------------------------------------------------------------- */

static void test_idle_screen(void **state)
{
    (void)state;
    ui_fixture f;
    ui_config(&f);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        char png[1024], err[512];
        snprintf(png, sizeof png, "%s/idle-%dx%d.png", tmp, w, h);
        assert_int_equal(bt_screen_render_png(&f.sc, NULL, NULL, MONDAY_0905, w, h, png, err,
                                               sizeof err),
                         0);
        png_decodes(png, UI_PORTAL_URL "\n");
        /* Not black: the theme background, a red header, white text, a white QR plate. */
        SDL_Surface *img = IMG_Load(png);
        assert_non_null(img);
        SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
        assert_non_null(argb);
        size_t n = (size_t)w * (size_t)h, dark = 0, white = 0, bg = 0;
        const Uint32 *px = argb->pixels;
        for (size_t k = 0; k < n; k++) {
            int luma = (299 * ui_r(px[k]) + 587 * ui_g(px[k]) + 114 * ui_b(px[k])) / 1000;
            dark += luma < 12;
            white += luma > 245;
            bg += ui_is_rgb(px[k], f.sc.background, 0);
        }
        assert_true(dark * 100 < n * 15);  /* QR modules only: < 15 % near-black */
        assert_true(white * 100 > n * 3);  /* QR plate and text */
        assert_true(bg * 100 > n * 30);    /* the theme background dominates */
        SDL_FreeSurface(argb);
        SDL_FreeSurface(img);
    }
}

/* Before any show() the screen draws the idle slide, never nothing. */
static void test_draw_before_show_is_idle(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1280, 720, true);
    ui_frame(&f, MONDAY_0905, 0);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    assert_non_null(plan);
    assert_int_equal(plan->kind, BT_SLIDE_IDLE);
    assert_true(plan->qr.w > 0);
    ui_close(&f);
}

/* ---- text stays in its boxes (pixels) ------------------------------------------------------- */

static bool inside(bt_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* Every pixel of the slide area that is not the background belongs to a text box, the QR plate,
 * the image, the QR band or the urgent label; and outside the area the frame equals `chrome`
 * (the same screen with another notice of the same chrome; NULL: none to compare with), so no
 * ink reached the header, ticker, corner or margins. */
static void check_pixels_in_boxes(const ui_fixture *f, const bt_layout_slide *plan,
                                  const Uint32 *chrome)
{
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    bt_rect area = plan->kind == BT_SLIDE_IMAGE ? plan->area : fr->main;
    size_t stray = 0, outside = 0;
    for (int y = 0; y < f->height; y++) {
        for (int x = 0; x < f->width; x++) {
            Uint32 p = f->pixels[(size_t)y * (size_t)f->width + (size_t)x];
            if (!inside(area, x, y)) {
                if (chrome)
                    outside += (p & 0xFFFFFF) !=
                               (chrome[(size_t)y * (size_t)f->width + (size_t)x] & 0xFFFFFF);
                continue;
            }
            if (ui_is_rgb(p, f->sc.background, 0))
                continue;
            bool ok = inside(plan->qr, x, y) || inside(plan->image, x, y) ||
                      inside(plan->badge, x, y) || inside(plan->band, x, y);
            for (size_t i = 0; i < plan->text_count && !ok; i++)
                ok = inside(plan->texts[i].box, x, y);
            stray += !ok;
        }
    }
    assert_int_equal(outside, 0);
    assert_int_equal(stray, 0);
}

static void test_text_pixels_stay_in_boxes(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}, {1280, 720}};
    for (size_t s = 0; s < 3; s++) {
        ui_fixture f;
        fixture_open(&f, sizes[s][0], sizes[s][1], true);
        size_t npx = (size_t)f.width * (size_t)f.height;
        /* The chrome around the notice comes in three shapes (issue 14): the corner with the
         * portal QR, the corner without it (the notice has its own), an image slide's. Each
         * notice is compared with the first one shown of its shape. */
        Uint32 *chrome[3] = {NULL, NULL, NULL};
        size_t first[3] = {N_COUNT, N_COUNT, N_COUNT};
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < N_COUNT; i++) {
                bt_screen_show(f.screen, i, false, 0);
                ui_frame(&f, MONDAY_0905, 0);
                const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
                assert_non_null(plan);
                int shape = plan->kind == BT_SLIDE_IMAGE ? 2 : plan->portal_qr ? 0 : 1;
                assert_true(plan->corner == (shape != 2) || f.height > f.width);
                assert_true(plan->portal_qr == (plan->qr.w == 0 && plan->corner));
                if (pass == 0 && !chrome[shape]) {
                    chrome[shape] = malloc(npx * 4);
                    assert_non_null(chrome[shape]);
                    memcpy(chrome[shape], f.pixels, npx * 4);
                    first[shape] = i;
                }
                if (pass == 1)
                    check_pixels_in_boxes(&f, plan, first[shape] != i ? chrome[shape] : NULL);
            }
        for (int k = 0; k < 3; k++) {
            assert_non_null(chrome[k]); /* the test playlist shows every shape */
            free(chrome[k]);
        }
        ui_close(&f);
    }
}

/* Stacked marks of the capitals line stay inside the title box: the line just above the box and
 * the box's first pixel rows are checked explicitly (a clipped or overflowing Ỗ would show). */
static void test_capital_marks_inside_title_box(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_CAPITALS, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    char png[1024];
    snprintf(png, sizeof png, "%s/capitals-1920x1080.png", tmp);
    ui_save(&f, png);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    const bt_layout_text *title = NULL;
    for (size_t i = 0; i < plan->text_count; i++)
        if (plan->texts[i].face == BT_FACE_BOLD && plan->texts[i].ink == BT_INK_ACCENT)
            title = &plan->texts[i];
    assert_non_null(title);
    assert_true(title->line_count >= 1);
    /* The topmost accent-coloured row is inside the box, and some accent ink is in its upper
     * fifth (the marks are drawn, not cut off). */
    bt_rgb accent = bt_ui_ink_text(&f.sc, BT_INK_ACCENT);
    int top = -1;
    for (int y = bt_screen_frame(f.screen)->stage.y; y < f.height && top < 0; y++)
        for (int x = title->box.x; x < title->box.x + title->box.w; x++)
            if (ui_is_rgb(f.pixels[(size_t)y * (size_t)f.width + (size_t)x], accent, 40)) {
                top = y;
                break;
            }
    assert_true(top >= title->box.y);
    assert_true(top < title->box.y + title->line_height / 5);
    ui_close(&f);
}

/* ---- crossfade ---------------------------------------------------------------------------- */

static double stage_luma(const ui_fixture *f)
{
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    return ui_mean_luma(f, 0, fr->stage.y, f->width, fr->stage.h);
}

static void fade_between(ui_fixture *f, size_t from, size_t to)
{
    const bt_mono_ns ms = 1000000;
    int dur = f->sc.transition_ms;
    bt_mono_ns t0 = 10000 * ms;
    bt_screen_show(f->screen, from, false, 0);
    ui_frame(f, MONDAY_0905, t0 - 5000 * ms);
    double a = stage_luma(f);
    bt_screen_show(f->screen, to, true, t0);
    double lowest = 1e9;
    for (int k = 0; k <= 10; k++) {
        int rc = ui_frame(f, MONDAY_0905, t0 + (bt_mono_ns)(dur * k / 10) * ms);
        if (k < 10)
            assert_true(rc > 0); /* frames keep coming until the fade ends */
        double l = stage_luma(f);
        if (l < lowest)
            lowest = l;
    }
    ui_frame(f, MONDAY_0905, t0 + (bt_mono_ns)(dur + 50) * ms);
    double b = stage_luma(f);
    /* Compared with the bare theme background, the slides' content lifts the stage's mean;
     * mid-fade that lift may sag a little where old and new ink overlap (the new slide is
     * blended over the old one, not mixed in a separate full-screen buffer) but never by more
     * than a tenth: no frame goes towards black, and none is an empty background. */
    bt_rgb bg = f->sc.background;
    double bare = 0.299 * bg.r + 0.587 * bg.g + 0.114 * bg.b;
    double low_end = a < b ? a : b;
    double floor = low_end - 0.1 * (low_end - bare);
    if (lowest < floor || lowest < bare + 2.0)
        fail_msg("fade %zu → %zu: a frame at luma %.2f, endpoints %.2f and %.2f (bare %.2f)",
                 from, to, lowest, a, b, bare);
}

static void test_crossfade_never_dark(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, true);
    assert_true(f.sc.transition_ms > 0);
    fade_between(&f, N_TEXT_QR, N_IMAGE);
    fade_between(&f, N_IMAGE, N_QR);
    fade_between(&f, N_QR, BT_ROTATION_NONE);
    fade_between(&f, BT_ROTATION_NONE, N_LONG_FITS);
    /* Mid-fade, both slides' ink is on screen: the old QR plate and the new image. */
    bt_mono_ns ms = 1000000;
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    const bt_layout_slide *old_plan = bt_screen_current_plan(f.screen);
    bt_rect qr = old_plan->qr;
    bt_screen_show(f.screen, N_IMAGE, true, 100 * ms);
    ui_frame(&f, MONDAY_0905, (100 + f.sc.transition_ms / 2) * ms);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    Uint32 mid_img = f.pixels[(size_t)(plan->image.y + plan->image.h / 2) * (size_t)f.width +
                              (size_t)(plan->image.x + 5)];
    Uint32 qr_corner = f.pixels[(size_t)(qr.y + 2) * (size_t)f.width + (size_t)(qr.x + qr.w - 3)];
    /* Magenta blended with navy: red and blue well above the background's. */
    assert_true(ui_r(mid_img) > 80 && ui_b(mid_img) > 100);
    /* The old white plate, half faded, under the half-shown picture that now fills the stage
     * (issue 14): its green lifts the pixel well above magenta over navy (~18). */
    assert_true(ui_g(qr_corner) > 50);
    ui_close(&f);
}

/* ---- image letterboxing -------------------------------------------------------------------- */

static void test_image_letterbox(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}, {1280, 1024}};
    bt_rgb magenta = {255, 0, 255};
    for (size_t s = 0; s < 3; s++) {
        ui_fixture f;
        fixture_open(&f, sizes[s][0], sizes[s][1], true);
        bt_screen_show(f.screen, N_IMAGE, false, 0);
        ui_frame(&f, MONDAY_0905, 0);
        assert_false(bt_screen_current_failed(f.screen));
        int x0 = f.width, y0 = f.height, x1 = -1, y1 = -1;
        for (int y = 0; y < f.height; y++)
            for (int x = 0; x < f.width; x++)
                if (ui_is_rgb(f.pixels[(size_t)y * (size_t)f.width + (size_t)x], magenta, 2)) {
                    x0 = x < x0 ? x : x0;
                    y0 = y < y0 ? y : y0;
                    x1 = x > x1 ? x : x1;
                    y1 = y > y1 ? y : y1;
                }
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        double ratio = (double)w / h;
        if (ratio < 4.0 / 3 * 0.99 || ratio > 4.0 / 3 * 1.01)
            fail_msg("image shown %dx%d (ratio %.4f) at %dx%d", w, h, ratio, f.width, f.height);
        /* Solid: every pixel of the rectangle is the image (no stretch beyond, no hole). */
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                assert_true(ui_is_rgb(f.pixels[(size_t)y * (size_t)f.width + (size_t)x], magenta, 2));
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_int_equal(plan->image.x, x0);
        assert_int_equal(plan->image.y, y0);
        assert_int_equal(plan->image.w, w);
        assert_int_equal(plan->image.h, h);
        /* Fills its area along one side (letterboxed, not shrunk for nothing); the area is the
         * whole stage under the slide's header (issue 14). */
        assert_true(w == plan->area.w || h == plan->area.h);
        assert_true(bt_rect_contains(plan->area, plan->image));
        char png[1024];
        snprintf(png, sizeof png, "%s/image-%dx%d.png", tmp, f.width, f.height);
        ui_save(&f, png);
        ui_close(&f);
    }
}

/* ---- image slides fill the screen, one QR per slide (issue 14) ----------------------------- */

/* A playlist in a new folder with one image notice: a pure magenta picture of w×h and the given
 * extra keys. */
static char *image_playlist(const char *name, int w, int h, const char *keys, bt_playlist *p)
{
    char *dir = ui_temp(name);
    char path[1024];
    snprintf(path, sizeof path, "%s/images", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/images/anh.png", dir);
    SDL_Surface *pic = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(pic);
    assert_int_equal(SDL_FillRect(pic, NULL, 0xFFFF00FFu), 0);
    assert_int_equal(IMG_SavePNG(pic, path), 0);
    SDL_FreeSurface(pic);
    char cfg[2048];
    int n = snprintf(cfg, sizeof cfg,
                     "id = \"anh\";\nversion = 1;\ntitle = \"Ảnh\";\nnotices = ( { id = \"anh\"; "
                     "kind = \"image\"; title = \"Sơ đồ Bộ phận Một cửa\"; image = "
                     "\"images/anh.png\"; %s } );\nticker = [ \"Giờ làm việc: 7:30–11:30\" ];\n",
                     keys);
    snprintf(path, sizeof path, "%s/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(path, cfg, (size_t)n), 0);
    ui_load_playlist_count(p, dir, 1);
    return dir;
}

/* An image notice of the screen's own size covers at least 85 % of the content area: its
 * magenta pixels, counted in the frame, over the screen less the header and the bottom band as
 * drawn on that slide (the header's last row found in the pixels: red band and yellow rule). */
static void test_image_covers_content_area(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    bt_rgb magenta = {255, 0, 255};
    for (size_t i = 0; i < 2; i++) {
        bt_playlist p;
        char *dir = image_playlist("ui-own-size", sizes[i][0], sizes[i][1], "", &p);
        ui_fixture f;
        memset(&f, 0, sizeof f);
        ui_config(&f);
        ui_open(&f, sizes[i][0], sizes[i][1], false);
        bt_screen_set_playlist(f.screen, &p, dir);
        bt_screen_show(f.screen, 0, false, 0);
        ui_frame(&f, MONDAY_0905, 0);
        /* The header ends at the last row of the left edge painted in header or accent colour. */
        int top = 0;
        while (top < f.height &&
               (ui_is_rgb(f.pixels[(size_t)top * (size_t)f.width], f.sc.header_background, 0) ||
                ui_is_rgb(f.pixels[(size_t)top * (size_t)f.width], f.sc.accent, 0)))
            top++;
        /* The bottom band starts at the first row of ticker colour from the bottom up. */
        int bottom = f.height;
        while (bottom > top &&
               ui_is_rgb(f.pixels[(size_t)(bottom - 1) * (size_t)f.width],
                         f.sc.ticker_background, 0))
            bottom--;
        assert_true(top > 0 && bottom < f.height);
        size_t shown = 0;
        for (int y = 0; y < f.height; y++)
            for (int x = 0; x < f.width; x++)
                shown += ui_is_rgb(f.pixels[(size_t)y * (size_t)f.width + (size_t)x], magenta, 2);
        double content = (double)f.width * (bottom - top);
        double cover = (double)shown / content;
        printf("# %dx%d: header %d px, band %d px, picture %zu px = %.1f %% of the content "
               "area\n", f.width, f.height, top, f.height - bottom, shown, 100 * cover);
        if (cover < 0.85)
            fail_msg("%dx%d: the picture covers %.1f %% of the content area", f.width, f.height,
                     100 * cover);
        /* The picture is all the slide shows: no caption, no QR. */
        const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
        assert_int_equal(plan->text_count, 0);
        assert_int_equal(plan->qr.w, 0);
        char png[1024];
        snprintf(png, sizeof png, "%s/own-size-%dx%d.png", tmp, f.width, f.height);
        ui_save(&f, png);
        ui_close(&f);
        bt_playlist_free(&p);
        free(dir);
    }
}

/* An image notice with its own QR yields exactly that one QR (no portal QR beside it), also at
 * half size; asked for, its caption shows under the picture. */
static void test_image_with_own_qr(void **state)
{
    (void)state;
    bt_playlist p;
    char *dir = image_playlist("ui-image-qr", 1600, 900,
                               "qr_url = \"" UI_NOTICE_URL "\"; qr_caption = \"Quét mã để xem "
                               "chi tiết\"; caption = true;",
                               &p);
    assert_true(p.notices[0].caption);
    ui_fixture f;
    ui_config(&f);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        char png[1024], err[512];
        snprintf(png, sizeof png, "%s/image-qr-%dx%d.png", tmp, w, h);
        bt_screen_extras ex = {.pick_notice = true, .notice = 0};
        assert_int_equal(bt_screen_render_png_ex(&f.sc, &p, dir, MONDAY_0905, w, h, &ex, png, err,
                                                 sizeof err),
                         0);
        png_decodes(png, UI_NOTICE_URL "\n");
    }
    bt_playlist_free(&p);
    free(dir);
}

/* Pixels of the corner panel that are neither its tint nor the theme background: its ink. */
static size_t corner_ink(const ui_fixture *f, bool *tinted)
{
    bt_rect c = bt_screen_frame(f->screen)->corner;
    bt_rgb tint = bt_ui_corner_background(&f->sc);
    size_t ink = 0;
    *tinted = false;
    for (int y = c.y; y < c.y + c.h; y++)
        for (int x = c.x; x < c.x + c.w; x++) {
            Uint32 p = f->pixels[(size_t)y * (size_t)f->width + (size_t)x];
            *tinted = *tinted || ui_is_rgb(p, tint, 0);
            ink += !ui_is_rgb(p, tint, 0) && !ui_is_rgb(p, f->sc.background, 0);
        }
    return ink;
}

/* A screen of w×h showing the test playlist with the corner configured, today's two sessions
 * (the second still to come unless `aired`) and the notice with its own QR, drawn. */
static void corner_screen(ui_fixture *f, int w, int h, bt_corner_shows shows,
                          const char *hotline, bool schedule, bool aired)
{
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->sc.corner_shows = shows;
    f->sc.hotline = hotline;
    f->playlist = playlist;
    ui_open(f, w, h, true);
    bt_screen_schedule_row rows[2] = {{6 * 60, "Bản tin sáng", BT_SLOT_AIRED},
                                      {17 * 60, "Bản tin chiều",
                                       aired ? BT_SLOT_AIRED : BT_SLOT_UPCOMING}};
    if (schedule)
        bt_screen_set_schedule(f->screen, rows, 2, bt_time_day_of(MONDAY_0905));
    bt_screen_show(f->screen, N_TEXT_QR, false, 0);
    ui_frame(f, MONDAY_0905, 0);
}

/* The corner panel where a notice brings its own QR (issue 14): the session on air or next to
 * air today, else the hotline, as configured; nothing (not even the panel) when there is
 * nothing to say. The text follows the schedule as it changes. */
static void test_corner_info_block(void **state)
{
    (void)state;
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        ui_fixture f;
        bool tinted;
        char png[1024];
        /* No schedule, no hotline: no panel at all. */
        corner_screen(&f, w, h, BT_CORNER_NEXT_SESSION, NULL, false, false);
        assert_int_equal(corner_ink(&f, &tinted), 0);
        assert_false(tinted);
        /* A session to come: its time and name in the panel. */
        bt_screen_schedule_row rows[2] = {{6 * 60, "Bản tin sáng", BT_SLOT_AIRED},
                                          {17 * 60, "Bản tin chiều", BT_SLOT_UPCOMING}};
        bt_screen_set_schedule(f.screen, rows, 2, bt_time_day_of(MONDAY_0905));
        ui_frame(&f, MONDAY_0905, 0);
        size_t next = corner_ink(&f, &tinted);
        assert_true(tinted && next > 500);
        snprintf(png, sizeof png, "%s/corner-next-%dx%d.png", tmp, w, h);
        ui_save(&f, png);
        /* Every session aired: nothing to announce again. */
        rows[1].state = BT_SLOT_AIRED;
        bt_screen_set_schedule(f.screen, rows, 2, bt_time_day_of(MONDAY_0905));
        ui_frame(&f, MONDAY_0905, 0);
        assert_int_equal(corner_ink(&f, &tinted), 0);
        /* The portal QR is back on a slide without a QR of its own, and only there. */
        bt_screen_show(f.screen, N_LONG_FITS, false, 0);
        ui_frame(&f, MONDAY_0905, 0);
        assert_true(corner_ink(&f, &tinted) > 1000 && tinted);
        ui_close(&f);
        /* Sessions over for the day: the hotline instead. */
        corner_screen(&f, w, h, BT_CORNER_NEXT_SESSION, "024 3869 0000", true, true);
        size_t hotline = corner_ink(&f, &tinted);
        assert_true(tinted && hotline > 500 && hotline != next);
        ui_close(&f);
        /* corner.shows = hotline: the hotline, whatever the schedule. */
        corner_screen(&f, w, h, BT_CORNER_HOTLINE, "024 3869 0000", true, false);
        assert_int_equal(corner_ink(&f, &tinted), hotline);
        snprintf(png, sizeof png, "%s/corner-hotline-%dx%d.png", tmp, w, h);
        ui_save(&f, png);
        ui_close(&f);
        /* corner.shows = none: the panel stays empty. */
        corner_screen(&f, w, h, BT_CORNER_NOTHING, "024 3869 0000", true, false);
        assert_int_equal(corner_ink(&f, &tinted), 0);
        ui_close(&f);
    }
}

/* Pixels of colour c inside r. */
static size_t count_rgb(const ui_fixture *f, bt_rect r, bt_rgb c)
{
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += ui_is_rgb(f->pixels[(size_t)y * (size_t)f->width + (size_t)x], c, 2);
    return n;
}

/* The ward's logo (issue 14; a plain green plate made here, no real ward's emblem): drawn filling
 * its place at the left of the full header, of an image slide's slim header on a wide screen,
 * and beside the hotline in the corner; nowhere without ward_logo. */
static void test_ward_logo_drawn(void **state)
{
    (void)state;
    static const bt_rgb green = {0x10, 0xC0, 0x40};
    char logo[1024];
    snprintf(logo, sizeof logo, "%s/logo.png", tmp);
    SDL_Surface *plate = SDL_CreateRGBSurfaceWithFormat(0, 150, 100, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(plate);
    SDL_FillRect(plate, NULL, SDL_MapRGBA(plate->format, green.r, green.g, green.b, 255));
    assert_int_equal(IMG_SavePNG(plate, logo), 0);
    SDL_FreeSurface(plate);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        for (int with = 0; with < 2; with++) {
            ui_fixture f;
            memset(&f, 0, sizeof f);
            ui_config(&f);
            f.sc.ward_logo = with ? logo : NULL;
            f.sc.corner_shows = BT_CORNER_HOTLINE;
            f.sc.hotline = "024 3869 0000";
            f.playlist = playlist;
            ui_open(&f, w, h, true);
            const bt_layout_frame *fr = bt_screen_frame(f.screen);
            bt_screen_show(f.screen, N_TEXT_QR, false, 0); /* its own QR: the hotline shows */
            ui_frame(&f, MONDAY_0905, 0);
            bt_rect l = fr->header_logo;
            size_t in_header = count_rgb(&f, fr->header, green);
            size_t in_corner = count_rgb(&f, fr->corner, green);
            if (with) {
                assert_true(l.w > 0 && l.h > 0);
                /* 150×100 shown with its aspect, every pixel of its place painted green */
                assert_true(abs(l.w * 100 - l.h * 150) <= 150);
                assert_int_equal(count_rgb(&f, l, green), (size_t)l.w * (size_t)l.h);
                assert_int_equal(in_header, (size_t)l.w * (size_t)l.h);
                assert_true(in_corner > 2000);
            } else {
                assert_int_equal(l.w, 0);
                assert_int_equal(in_header + in_corner, 0);
            }
            char png[1024];
            snprintf(png, sizeof png, "%s/logo-%d-%dx%d.png", tmp, with, w, h);
            ui_save(&f, png);
            /* An image slide: under the slim header on a wide screen, its logo too. */
            bt_screen_show(f.screen, N_IMAGE, false, 0);
            ui_frame(&f, MONDAY_0905, 0);
            bt_rect band = fr->slim.band.h > 0 ? fr->slim.band : fr->header;
            bt_rect sl = fr->slim.band.h > 0 ? fr->slim.logo : fr->header_logo;
            if (with) {
                assert_true(sl.w > 0 && sl.h < band.h);
                assert_int_equal(count_rgb(&f, sl, green), (size_t)sl.w * (size_t)sl.h);
            }
            assert_int_equal(count_rgb(&f, band, green), (size_t)sl.w * (size_t)sl.h);
            ui_close(&f);
        }
    }
}

/* ---- draw loop and caching ----------------------------------------------------------------- */

static void test_draw_return_and_cache(void **state)
{
    (void)state;
    ui_fixture f;
    memset(&f, 0, sizeof f);
    ui_config(&f);
    f.playlist = playlist;
    f.sc.ticker_enabled = false;
    ui_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905, 0), -1); /* static: nothing moves */
    unsigned long rasters = bt_screen_raster_count(f.screen);
    bt_ui_stats st;
    bt_screen_stats(f.screen, &st);
    unsigned long qrs = st.qr_rasters;
    for (int i = 1; i <= 20; i++)
        assert_int_equal(bt_screen_draw(f.screen, MONDAY_0905 + i, (bt_mono_ns)i * 16000000), -1);
    assert_int_equal(bt_screen_raster_count(f.screen), rasters); /* only copies */
    /* The next minute re-renders exactly one line: the clock (the date is unchanged). */
    bt_screen_draw(f.screen, MONDAY_0905 + 60, 0);
    assert_int_equal(bt_screen_raster_count(f.screen), rasters + 1);
    /* A → B → A: A is still cached, coming back costs nothing. */
    bt_screen_show(f.screen, N_QR, true, 0);
    assert_true(bt_screen_draw(f.screen, MONDAY_0905 + 60, 1000000) > 0); /* fading */
    unsigned long after_b = bt_screen_raster_count(f.screen);
    assert_true(after_b > rasters + 1);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    bt_screen_draw(f.screen, MONDAY_0905 + 60, 0);
    assert_int_equal(bt_screen_raster_count(f.screen), after_b);
    bt_screen_stats(f.screen, &st);
    assert_int_equal(st.qr_rasters, qrs + 1); /* only B's QR was encoded */
    ui_close(&f);

    /* With the ticker on, frames keep coming 24 per second (test_ticker.c has the details),
     * and the ticker's position is a function of the monotonic time alone. */
    fixture_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    int ms = bt_screen_draw(f.screen, MONDAY_0905, 0);
    assert_true(ms >= 41 && ms <= 42);
    const bt_layout_frame *fr = bt_screen_frame(f.screen);
    size_t band = (size_t)fr->ticker.y * (size_t)f.width;
    size_t band_px = (size_t)fr->ticker.h * (size_t)f.width;
    Uint32 *first = malloc(band_px * 4);
    assert_non_null(first);
    ui_frame(&f, MONDAY_0905, 777000000);
    memcpy(first, f.pixels + band, band_px * 4);
    ui_frame(&f, MONDAY_0905, 1500000000);
    assert_memory_not_equal(first, f.pixels + band, band_px * 4); /* it moved */
    ui_frame(&f, MONDAY_0905 + 30, 777000000);
    assert_memory_equal(first, f.pixels + band, band_px * 4); /* same mono, same pixels */
    /* Ticker lines are rasterised when they first scroll into view: after one whole pass (a
     * frame every 100 ms moves 12 px, less than any line) a short ticker is all cached and
     * scrolling only copies. */
    for (int i = 0; i < 1200; i++)
        bt_screen_draw(f.screen, MONDAY_0905, (bt_mono_ns)i * 100000000);
    unsigned long r0 = bt_screen_raster_count(f.screen);
    for (int i = 0; i < 100; i++)
        bt_screen_draw(f.screen, MONDAY_0905, 120 * 1000000000LL + (bt_mono_ns)i * 16666666);
    assert_int_equal(bt_screen_raster_count(f.screen), r0); /* scrolling only copies */
    free(first);
    ui_close(&f);
}

/* A slide's text is cached at one byte a pixel, its coverage, instead of textures of four: what
 * a text notice adds in textures is its QR code, the header's clock and date and the band its
 * lines are drawn through, not its lines (issue 14, item 9). The pixels are those the textures
 * gave (the screenshots and text-in-box tests above; the partial frames of test_ticker.c). */
static void test_slide_text_kept_as_coverage(void **state)
{
    (void)state;
    ui_fixture f;
    memset(&f, 0, sizeof f);
    ui_config(&f);
    f.playlist = playlist;
    f.sc.ticker_enabled = false; /* its lines are textures, rasterised as they come */
    ui_open(&f, 1920, 1080, true);
    bt_ui_stats st0, st1;
    bt_screen_stats(f.screen, &st0);
    bt_screen_show(f.screen, N_LONG_FITS, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    bt_screen_stats(f.screen, &st1);
    size_t added = st1.texture_bytes - st0.texture_bytes;
    size_t band = (size_t)1920 * 32 * 4, header = 256 * 1024;
    fprintf(stderr, "text notice: %zu bytes of textures added, %zu of coverage\n", added,
            st1.cover_bytes);
    assert_true(added <= band + header);
    /* The lines themselves: more than a textures' worth of bytes would have been. */
    assert_true(st1.cover_bytes * 4 > band + header);
    /* Dropped with the slide. */
    bt_screen_set_playlist(f.screen, &f.playlist, UI_PLAYLIST_DIR);
    bt_screen_stats(f.screen, &st1);
    assert_int_equal(st1.cover_bytes, 0);
    ui_close(&f);
}

/* The ticker's lines too, once they have scrolled into view: their coverage and the pixel each
 * alpha gives on the band's ground, copied through one band (issue 14, item 9). */
static void test_ticker_kept_as_coverage(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_LONG_FITS, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    bt_ui_stats st0, st1;
    bt_screen_stats(f.screen, &st0);
    /* A whole pass of the ticker, a frame every 100 ms (12 px, less than any line). */
    for (int i = 1; i < 1200; i++)
        bt_screen_draw(f.screen, MONDAY_0905, (bt_mono_ns)i * 100000000);
    bt_screen_stats(f.screen, &st1);
    size_t added = st1.texture_bytes - st0.texture_bytes;
    fprintf(stderr, "ticker: %zu bytes of textures added, %zu of coverage\n", added,
            st1.cover_bytes - st0.cover_bytes);
    assert_true(added <= (size_t)1920 * 32 * 4);
    assert_true(st1.cover_bytes > st0.cover_bytes);
    ui_close(&f);
}

/* A picture is let go once its slide is no longer shown (the crossfade away from it over) and
 * decoded again when the rotation comes back to it, to the same pixels (issue 14, item 9). */
static void test_picture_let_go_after_its_slide(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_IMAGE, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    assert_non_null(plan);
    size_t picture = (size_t)plan->image.w * (size_t)plan->image.h * 4;
    assert_true(picture > 0);
    size_t frame_bytes = (size_t)f.width * (size_t)f.height * 4;
    Uint32 *first = malloc(frame_bytes);
    assert_non_null(first);
    memcpy(first, f.pixels, frame_bytes);
    bt_ui_stats st0, st1;
    bt_screen_stats(f.screen, &st0);
    bt_mono_ns at = 1000000000, ms = 1000000;
    bt_screen_show(f.screen, N_TEXT_QR, true, at);
    ui_frame(&f, MONDAY_0905, at + 100 * ms); /* fading: both slides are drawn */
    bt_screen_stats(f.screen, &st1);
    assert_true(st1.texture_bytes >= st0.texture_bytes);
    ui_frame(&f, MONDAY_0905, at + (f.sc.transition_ms + 100) * ms);
    bt_screen_stats(f.screen, &st1);
    fprintf(stderr, "after the crossfade: %zu bytes of textures, %zu before (picture %zu)\n",
            st1.texture_bytes, st0.texture_bytes, picture);
    /* (the text notice adds its QR code and the full header's clock and date) */
    assert_true(st1.texture_bytes + picture <= st0.texture_bytes + (size_t)512 * 1024);
    /* Back to it: decoded again, the same frame. */
    bt_screen_show(f.screen, N_IMAGE, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    bt_screen_stats(f.screen, &st1);
    assert_int_equal(st1.image_decodes, st0.image_decodes + 1);
    assert_memory_equal(first, f.pixels, frame_bytes);
    free(first);
    ui_close(&f);
}

/* ---- a vanished image ---------------------------------------------------------------------- */

static char logged[4096];

static void capture_log(void *ctx, bt_log_level level, const char *line)
{
    (void)ctx;
    (void)level;
    size_t n = strlen(logged);
    snprintf(logged + n, sizeof logged - n, "%s\n", line);
}

static void test_image_vanishes(void **state)
{
    (void)state;
    char *dir = ui_temp("ui-vanish");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp -r '%s/.' '%s/'", UI_PLAYLIST_DIR, dir);
    assert_int_equal(system(cmd), 0);
    bt_playlist p;
    ui_load_playlist(&p, dir);
    snprintf(cmd, sizeof cmd, "rm '%s/images/anh-4x3.png'", dir);
    assert_int_equal(system(cmd), 0);

    ui_fixture f;
    memset(&f, 0, sizeof f);
    ui_config(&f);
    f.playlist = p;
    ui_open(&f, 1920, 1080, false);
    bt_screen_set_playlist(f.screen, &p, dir);
    logged[0] = '\0';
    bt_log_set_sink(capture_log, NULL);
    bt_screen_show(f.screen, N_IMAGE, true, 0);
    ui_frame(&f, MONDAY_0905, 0);
    bt_log_set_sink(NULL, NULL);
    assert_true(bt_screen_current_failed(f.screen));
    assert_non_null(strstr(logged, "anh-4x3"));
    const bt_layout_slide *plan = bt_screen_current_plan(f.screen);
    assert_int_equal(plan->kind, BT_SLIDE_TITLE_ONLY); /* its title is still worth showing */
    assert_true(stage_luma(&f) > 20);
    /* Without a title, the slot shows the idle content (the portal QR), never a hole. */
    free(p.notices[N_IMAGE].title);
    p.notices[N_IMAGE].title = NULL;
    bt_screen_set_playlist(f.screen, &p, dir);
    bt_screen_show(f.screen, N_IMAGE, false, 0);
    ui_frame(&f, MONDAY_0905, 0);
    assert_true(bt_screen_current_failed(f.screen));
    assert_int_equal(bt_screen_current_plan(f.screen)->kind, BT_SLIDE_IDLE);
    char png[1024];
    snprintf(png, sizeof png, "%s/vanished.png", dir);
    ui_save(&f, png);
    char *out = ui_zbar(png);
    assert_string_equal(out, UI_PORTAL_URL "\n");
    free(out);
    /* Another notice is not marked failed. */
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    assert_false(bt_screen_current_failed(f.screen));
    ui_close(&f);
    bt_playlist_free(&p);
    free(dir);
}

/* ---- now playing --------------------------------------------------------------------------- */

static void test_now_playing_banner(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080, true);
    bt_screen_show(f.screen, N_TEXT_QR, false, 0);
    const bt_layout_frame *fr = bt_screen_frame(f.screen);
    size_t band = (size_t)fr->ticker.y * (size_t)f.width;
    size_t band_px = (size_t)fr->ticker.h * (size_t)f.width;
    Uint32 *plain = malloc(band_px * 4);
    assert_non_null(plain);
    ui_frame(&f, MONDAY_0905, 0);
    memcpy(plain, f.pixels + band, band_px * 4);
    bt_screen_set_now_playing(f.screen, "Bản tin cải cách hành chính tháng 11");
    ui_frame(&f, MONDAY_0905, 0);
    char png[1024];
    snprintf(png, sizeof png, "%s/now-playing-1920x1080.png", tmp);
    ui_save(&f, png);
    size_t red = 0;
    for (size_t k = 0; k < band_px; k++)
        red += ui_is_rgb(f.pixels[band + k], f.sc.header_background, 0);
    assert_true(red > 1000); /* the "ĐANG PHÁT" plate */
    /* Drawing it again does not rasterise again. */
    unsigned long r = bt_screen_raster_count(f.screen);
    ui_frame(&f, MONDAY_0905, 0);
    assert_int_equal(bt_screen_raster_count(f.screen), r);
    bt_screen_set_now_playing(f.screen, NULL);
    ui_frame(&f, MONDAY_0905, 0);
    assert_memory_equal(plain, f.pixels + band, band_px * 4);
    free(plain);
    ui_close(&f);
}

/* ---- fit check ----------------------------------------------------------------------------- */

static void test_check_fit(void **state)
{
    (void)state;
    ui_fixture f;
    ui_config(&f);
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t s = 0; s < 2; s++) {
        bt_diags d;
        bt_diags_init(&d);
        assert_int_equal(bt_screen_check_fit(&f.sc, &playlist, sizes[s][0], sizes[s][1],
                                             "playlist.cfg", &d),
                         0);
        /* Exactly one warning: the notice that is far too long, at its own line. */
        assert_int_equal(d.errors, 0);
        assert_int_equal(d.warnings, 1);
        char line[2048];
        bt_diag_format(&d.items[0], line, sizeof line);
        assert_int_equal(d.items[0].line, playlist.notices[N_TOO_LONG].line);
        assert_non_null(strstr(line, "qua-dai"));
        assert_non_null(strstr(line, "cảnh báo"));
        assert_non_null(strstr(line, "rút gọn"));
        bt_diags_free(&d);
    }
}

/* The whole frame at `wall`, copied out (malloc'd). */
static Uint32 *frame_at(ui_fixture *f, bt_wall wall)
{
    bt_screen_invalidate(f->screen);
    ui_frame(f, wall, 0);
    size_t n = (size_t)f->width * (size_t)f->height;
    Uint32 *copy = malloc(n * sizeof *copy);
    assert_non_null(copy);
    memcpy(copy, f->pixels, n * sizeof *copy);
    return copy;
}

/* Pixels that differ between two frames inside r. */
static size_t differing(const ui_fixture *f, const Uint32 *a, const Uint32 *b, bt_rect r)
{
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += a[(size_t)y * (size_t)f->width + (size_t)x] !=
                 b[(size_t)y * (size_t)f->width + (size_t)x];
    return n;
}

/* A wall clock the appliance cannot vouch for (set to 2000 by a flat RTC battery, set back
 * behind its own log) shows the lobby no date and no time, in the header and on the idle
 * screen's big clock; the notices go on. Trusted again, they come back. */
static void test_untrusted_clock_hides_date_and_time(void **state)
{
    (void)state;
    const bool with_playlist[] = {true, false, true, false};
    const int sizes[][2] = {{1920, 1080}, {1920, 1080}, {1080, 1920}, {1080, 1920}};
    for (size_t i = 0; i < 4; i++) {
        ui_fixture f;
        fixture_open(&f, sizes[i][0], sizes[i][1], with_playlist[i]);
        /* A notice has the clock in the header; the idle screen has its big clock instead. */
        bt_screen_show(f.screen, with_playlist[i] ? 0 : BT_ROTATION_NONE, false, 0);
        const bt_layout_frame *fr = bt_screen_frame(f.screen);
        bt_rect area = with_playlist[i] ? fr->header : fr->stage;
        bt_wall later = MONDAY_0905 + 3 * 86400 + 92 * 60; /* another day, another minute */
        Uint32 *a = frame_at(&f, MONDAY_0905), *b = frame_at(&f, later);
        assert_true(differing(&f, a, b, area) > 0); /* the date and time are drawn */
        free(a);
        free(b);
        bt_screen_set_clock_trusted(f.screen, false);
        a = frame_at(&f, MONDAY_0905);
        b = frame_at(&f, later);
        assert_int_equal(differing(&f, a, b, area), 0);
        char png[1024];
        snprintf(png, sizeof png, "%s/clock-untrusted-%s-%dx%d.png", tmp,
                 with_playlist[i] ? "notice" : "idle", f.width, f.height);
        ui_save(&f, png); /* the last frame read: untrusted, for review */
        free(b);
        bt_screen_set_clock_trusted(f.screen, true);
        b = frame_at(&f, MONDAY_0905);
        assert_true(differing(&f, a, b, area) > 0); /* back: the date and time are there */
        free(a);
        free(b);
        ui_close(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screenshot_qr_codes),
        cmocka_unit_test(test_screenshot_follows_rotation),
        cmocka_unit_test(test_idle_screen),
        cmocka_unit_test(test_untrusted_clock_hides_date_and_time),
        cmocka_unit_test(test_draw_before_show_is_idle),
        cmocka_unit_test(test_text_pixels_stay_in_boxes),
        cmocka_unit_test(test_capital_marks_inside_title_box),
        cmocka_unit_test(test_crossfade_never_dark),
        cmocka_unit_test(test_image_letterbox),
        cmocka_unit_test(test_image_covers_content_area),
        cmocka_unit_test(test_image_with_own_qr),
        cmocka_unit_test(test_corner_info_block),
        cmocka_unit_test(test_ward_logo_drawn),
        cmocka_unit_test(test_draw_return_and_cache),
        cmocka_unit_test(test_slide_text_kept_as_coverage),
        cmocka_unit_test(test_ticker_kept_as_coverage),
        cmocka_unit_test(test_picture_let_go_after_its_slide),
        cmocka_unit_test(test_image_vanishes),
        cmocka_unit_test(test_now_playing_banner),
        cmocka_unit_test(test_check_fit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
