/* Issue 15, item 4: an infographic much taller than the stage fills its width and scrolls from
 * top to bottom over the notice's duration, resting at both ends; `fit = "whole"` keeps the
 * letterboxed picture; `screenshot --at` shows the scroll position of that time; the kiosk's
 * frames come while it moves and stop when it rests at the bottom. The picture's rows carry their
 * own number in the green channel, so each frame says which rows of it are on screen. */
#include "ui_fixture.h"

#include <sys/stat.h>

#include "bangtin/bt_layout.h"
#include "bt_test_tree.h"

/* Tall: 1000×6000 fitted to a 1920 px stage is 11 520 rows, more than BT_LAYOUT_SCROLL_MAX_PX. */
#define TALL_W 1000
#define TALL_H 6000
#define DURATION_S 40

typedef struct {
    char *dir;
    bt_playlist playlist;
    bt_wall at;   /* a time the notice shows from its first second */
} infographic;

/* Row y is green y·255/(h-1): the frame tells which source row each screen row shows. Red and
 * blue are constant, so a letterbox band (the theme background) is never mistaken for it. */
static void write_tall_png(const char *path, int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    for (int y = 0; y < h; y++) {
        Uint32 px = 0xFF000000u | (200u << 16) | ((Uint32)(y * 255 / (h - 1)) << 8) | 17u;
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < w; x++)
            row[x] = px;
    }
    assert_int_equal(IMG_SavePNG(s, path), 0);
    SDL_FreeSurface(s);
}

/* A playlist of one image notice over the tall picture, with `extra` keys. */
static void make_playlist(infographic *g, const char *name, const char *extra)
{
    char path[1024], cfg[2048];
    g->dir = ui_temp(name);
    snprintf(path, sizeof path, "%s/images", g->dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/images/cao.png", g->dir);
    write_tall_png(path, TALL_W, TALL_H);
    snprintf(cfg, sizeof cfg,
             "id = \"info\";\nversion = 1;\ntitle = \"Infographic\";\n"
             "notices = (\n  {\n    id = \"cao\";\n    kind = \"image\";\n"
             "    title = \"Quy trình\";\n    image = \"images/cao.png\";\n"
             "    duration = %d;\n%s  }\n);\n",
             DURATION_S, extra);
    snprintf(path, sizeof path, "%s/playlist.cfg", g->dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
    ui_load_playlist_any(&g->playlist, g->dir);
    /* The rotation of one notice restarts every DURATION_S from midnight. */
    g->at = bt_time_from_civil(2026, 11, 23, 9, 0, 0);
    assert_int_equal(bt_rotation_at(&g->playlist, g->at).shown_since, g->at);
}

static void drop_playlist(infographic *g)
{
    bt_playlist_free(&g->playlist);
    free(g->dir);
}

/* The source row a screen pixel shows (from its green), or -1 when it is not the picture. */
static int source_row(Uint32 px)
{
    if (abs(ui_r(px) - 200) > 6 || abs(ui_b(px) - 17) > 6)
        return -1;
    return ui_g(px) * (TALL_H - 1) / 255;
}

static void layout_scrolls_only_a_tall_picture(void **state)
{
    (void)state;
    ui_fixture f = {0};
    ui_config(&f);
    ui_open(&f, 1920, 1080, false);
    const bt_layout_frame *fr = bt_screen_frame(f.screen);
    bt_layout_fonts fonts = {0};
    (void)fonts;
    bt_layout_slide *s = calloc(1, sizeof *s);
    assert_non_null(s);
    bt_layout_content c = {.kind = BT_NOTICE_IMAGE, .has_image = true, .image_w = TALL_W,
                           .image_h = TALL_H, .scroll_tall = true};
    /* The screen's faces are not needed for a picture without caption or QR. */
    assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
    bt_rect stage = fr->image_stage;
    assert_true(s->scroll_travel > 0);
    assert_int_equal(s->image_clip.y, stage.y);
    assert_int_equal(s->image_clip.h, stage.h);
    assert_int_equal(s->image.h, BT_LAYOUT_SCROLL_MAX_PX); /* 11 520 rows capped */
    assert_int_equal(s->image.w, TALL_W * BT_LAYOUT_SCROLL_MAX_PX / TALL_H);
    assert_int_equal(s->image_clip.w, s->image.w);
    assert_int_equal(s->scroll_travel, s->image.h - stage.h);
    /* Four times its size shown whole: a strip a sixth as wide as the stage. */
    assert_true(s->image.w * 2 > stage.w);

    /* fit = "whole": letterboxed as before. */
    memset(s, 0, sizeof *s);
    c.scroll_tall = false;
    assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
    assert_int_equal(s->scroll_travel, 0);
    assert_true(s->image.h <= stage.h);
    assert_true(s->image.w < stage.w / 4);

    /* A 4:3 photo or a 9:16 poster keeps the letterbox, though fitted to the wide stage's width
     * either would be more than 1.5 times its height. */
    const int shapes[][2] = {{1600, 1200}, {1080, 1920}, {1000, 1999}};
    c.scroll_tall = true;
    for (size_t i = 0; i < 3; i++) {
        memset(s, 0, sizeof *s);
        c.image_w = shapes[i][0];
        c.image_h = shapes[i][1];
        assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
        assert_int_equal(s->scroll_travel, 0);
    }
    /* Twice as tall as wide scrolls on the wide stage, filling its width… */
    memset(s, 0, sizeof *s);
    c.image_w = 1000;
    c.image_h = 2000;
    assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
    assert_true(s->scroll_travel > 0);
    assert_int_equal(s->image.w, stage.w);
    ui_close(&f);

    /* On a tall screen a 1:2 picture fits whole well enough; a 1:4 one scrolls. */
    ui_open(&f, 1080, 1920, false);
    fr = bt_screen_frame(f.screen);
    memset(s, 0, sizeof *s);
    assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
    assert_int_equal(s->scroll_travel, 0);
    memset(s, 0, sizeof *s);
    c.image_h = 4000;
    assert_int_equal(bt_layout_slide_build(fr, &fonts, &c, s), 0);
    assert_true(s->scroll_travel > 0);
    assert_int_equal(s->image.w, fr->image_stage.w);
    free(s);
    ui_close(&f);
}

static void scroll_rests_at_both_ends_and_moves_evenly(void **state)
{
    (void)state;
    const int travel = 7000;
    const long long d = DURATION_S * 1000LL, hold = BT_LAYOUT_SCROLL_HOLD_MS;
    assert_int_equal(bt_layout_scroll_offset(travel, 0, d), 0);
    assert_int_equal(bt_layout_scroll_offset(travel, hold, d), 0);
    assert_true(bt_layout_scroll_offset(travel, hold + 100, d) > 0);
    assert_int_equal(bt_layout_scroll_offset(travel, d / 2, d), travel / 2);
    assert_int_equal(bt_layout_scroll_offset(travel, d - hold, d), travel);
    assert_int_equal(bt_layout_scroll_offset(travel, d + 5000, d), travel);
    /* Even speed: equal steps in equal times (within rounding). */
    int a = bt_layout_scroll_offset(travel, hold + 1000, d);
    int b = bt_layout_scroll_offset(travel, hold + 2000, d);
    int c = bt_layout_scroll_offset(travel, hold + 3000, d);
    assert_true(abs((b - a) - (c - b)) <= 1);
    /* A short showing: holds of a quarter each, still reaching the bottom. */
    assert_int_equal(bt_layout_scroll_offset(travel, 1000, 4000), 0);
    assert_int_equal(bt_layout_scroll_offset(travel, 2000, 4000), travel / 2);
    assert_int_equal(bt_layout_scroll_offset(travel, 3000, 4000), travel);
    assert_int_equal(bt_layout_scroll_offset(0, 2000, 4000), 0);
}

/* Renders the playlist at `at` as `screenshot --at` does and reads it back. */
static SDL_Surface *shot_at(const infographic *g, bt_wall at, const char *name)
{
    bt_config cfg;
    bt_screen_config sc;
    char png[1024], err[512];
    bt_config_defaults(&cfg);
    bt_config_screen(&cfg, &sc);
    snprintf(png, sizeof png, "%s/%s", g->dir, name);
    int rc = bt_screen_render_png(&sc, &g->playlist, g->dir, at, 1920, 1080, png, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    SDL_Surface *raw = IMG_Load(png);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

static Uint32 shot_px(const SDL_Surface *s, int x, int y)
{
    return ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

/* The source rows at the top and bottom of the picture's clip in a screenshot at `at`. */
static void rows_shown(const infographic *g, bt_wall at, const bt_layout_slide *plan, int *top,
                       int *bottom)
{
    char name[64];
    snprintf(name, sizeof name, "at-%lld.png", (long long)(at - g->at));
    SDL_Surface *s = shot_at(g, at, name);
    int x = plan->image_clip.x + plan->image_clip.w / 2;
    *top = source_row(shot_px(s, x, plan->image_clip.y + 1));
    *bottom = source_row(shot_px(s, x, plan->image_clip.y + plan->image_clip.h - 2));
    SDL_FreeSurface(s);
}

static void screenshot_at_shows_the_scroll_position_of_that_time(void **state)
{
    (void)state;
    infographic g;
    make_playlist(&g, "infographic-scroll", "");
    /* The plan the screen lays the notice out with. */
    ui_fixture f = {0};
    ui_config(&f);
    ui_open(&f, 1920, 1080, false);
    bt_screen_set_playlist(f.screen, &g.playlist, g.dir);
    bt_screen_show(f.screen, 0, false, 0);
    bt_layout_slide plan = *bt_screen_current_plan(f.screen);
    assert_true(plan.scroll_travel > 0);
    /* Rows per screen row as shown: the picture's 6000 rows over its shown height. */
    double per_px = (double)TALL_H / plan.image.h;
    int tolerance = (int)(per_px * 3) + 24; /* green steps every 23.5 source rows */

    int top, bottom;
    rows_shown(&g, g.at + 1, &plan, &top, &bottom); /* resting at the top */
    assert_true(top >= 0 && top <= tolerance);
    rows_shown(&g, g.at + DURATION_S / 2, &plan, &top, &bottom); /* half way */
    int mid = (int)(plan.scroll_travel / 2 * per_px);
    assert_true(abs(top - mid) <= tolerance);
    assert_true(abs(bottom - (mid + (int)(plan.image_clip.h * per_px))) <= tolerance);
    rows_shown(&g, g.at + DURATION_S - 1, &plan, &top, &bottom); /* resting at the bottom */
    assert_true(bottom >= TALL_H - 1 - tolerance);

    /* The kiosk's frames: none needed beyond a look while it rests at the top, one per frame
     * while it moves, none once it rests at the bottom. */
    bt_screen_set_shown_since(f.screen, 0);
    int ms = bt_screen_draw(f.screen, g.at, 0);
    assert_true(ms > 0 && ms <= 100);
    ms = bt_screen_draw(f.screen, g.at + 10, 10 * 1000000000LL);
    assert_true(ms > 0 && ms <= 42);
    ms = bt_screen_draw(f.screen, g.at + DURATION_S - 1, (DURATION_S - 1) * 1000000000LL);
    assert_int_equal(ms, -1);
    ui_close(&f);
    drop_playlist(&g);
}

static void fit_whole_keeps_the_whole_picture(void **state)
{
    (void)state;
    infographic g;
    make_playlist(&g, "infographic-whole", "    fit = \"whole\";\n");
    assert_true(g.playlist.notices[0].fit_whole);
    for (int t = 1; t < DURATION_S; t += DURATION_S / 2) {
        SDL_Surface *s = shot_at(&g, g.at + t, "whole.png");
        /* Every row from the first to the last, in a column down the middle. */
        int first = -1, last = -1;
        for (int y = 0; y < s->h; y++) {
            int row = source_row(shot_px(s, s->w / 2, y));
            if (row < 0)
                continue;
            if (first < 0)
                first = row;
            last = row;
        }
        assert_true(first >= 0 && first < 60);
        assert_true(last > TALL_H - 60);
        SDL_FreeSurface(s);
    }
    drop_playlist(&g);
}

/* `fit` takes two words, on image notices only; a wrong one names its line and the choices. */
static void fit_is_checked(void **state)
{
    (void)state;
    bt_node *root = NULL;
    bt_diags d;
    bt_playlist p;
    const char *cfg =
        "id = \"x\";\nversion = 1;\ntitle = \"X\";\nnotices = (\n"
        "  { id = \"a\"; kind = \"image\"; image = \"a.png\";\n    fit = \"wholle\"; },\n"
        "  { id = \"b\"; kind = \"text\"; title = \"B\";\n    fit = \"whole\"; }\n);\n";
    root = bt_test_parse_cfg(cfg);
    assert_non_null(root);
    bt_diags_init(&d);
    bt_playlist_init(&p);
    assert_int_equal(bt_playlist_from_tree(root, "playlist.cfg", NULL, &p, &d), -1);
    char line[2048];
    bool wrong = false, kind = false;
    for (size_t i = 0; i < d.count; i++) {
        const char *m = bt_diag_format(&d.items[i], line, sizeof line);
        if (d.items[i].line == 6 && strstr(m, "\"wholle\"") && strstr(m, "\"whole\"") &&
            strstr(m, "\"auto\""))
            wrong = true;
        if (d.items[i].line == 8 && strstr(m, "\"fit\"") && strstr(m, "\"image\""))
            kind = true;
    }
    assert_true(wrong);
    assert_true(kind);
    bt_diags_free(&d);
    bt_playlist_free(&p);
    bt_node_destroy(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_scrolls_only_a_tall_picture),
        cmocka_unit_test(scroll_rests_at_both_ends_and_moves_evenly),
        cmocka_unit_test(screenshot_at_shows_the_scroll_position_of_that_time),
        cmocka_unit_test(fit_whole_keeps_the_whole_picture),
        cmocka_unit_test(fit_is_checked),
    };
    return cmocka_run_group_tests(tests, ui_video_setup, ui_video_teardown);
}
