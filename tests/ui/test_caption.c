/* Captions of a bulletin on the lobby screen (issue 14, item 8), headless: every phrase of the
 * demo's five bulletins, and the longest phrase of capitals with stacked marks, fits its plate
 * whole (no "…", at or above the legibility floor) in 1920×1080, 1366×768 and 1080×1920, over
 * every notice; the plate sits on the bottom band, clear of the header, up to the corner column
 * in landscape (its QR code whole) and over the whole corner band in portrait; the
 * phrase's ink is on it, in the band's colours; nothing outside the plate changes; taking the
 * caption away gives back the frame without it byte for byte; the same phrase again costs
 * nothing. Frames with a caption over the demo land in <build>/test-tmp/ui-caption for review. */
#include "ui_fixture.h"

#include "bangtin/bt_caption.h"
#include "bangtin/bt_layout.h"
#include "bangtin/bt_ui_caption.h"
#include "bangtin/bt_ui_theme.h"

#define DEMO_TEXTS BT_SOURCE_DIR "/playlists/demo/audio/"

static bt_playlist playlist;
static char *tmp;
static bt_wall MONDAY_0905; /* 23/11/2026 09:05 in Hà Nội */

/* BT_CAPTION_MAX_CHARS characters of capitals with marks above and below, the widest kind. */
static const char *WIDEST = "ỦY BAN NHÂN DÂN PHƯỜNG ĐỀ NGHỊ CÁC HỘ GIA ĐÌNH THỰC HIỆN "
                            "PHÂN LOẠI RÁC ĐÚNG QUY ĐỊNH";

static const int SIZES[][2] = {{1920, 1080}, {1366, 768}, {1080, 1920}};
#define SIZE_COUNT (sizeof SIZES / sizeof SIZES[0])
static const char *DEMO_NAMES[] = {"tin-chi-so-hai-long", "tin-chinh-quyen-hai-cap",
                                   "tin-dvc-truc-tuyen", "tin-ngay-chuyen-doi-so", "tin-vneid"};
#define DEMO_COUNT (sizeof DEMO_NAMES / sizeof DEMO_NAMES[0])

static int group_setup(void **state)
{
    (void)state;
    ui_suite_setup(&playlist, &MONDAY_0905, &tmp, "ui-caption");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    ui_suite_teardown(&playlist, &tmp);
    return 0;
}

static void fixture_open(ui_fixture *f, int w, int h)
{
    memset(f, 0, sizeof *f);
    ui_config(f);
    f->playlist = playlist;
    ui_open(f, w, h, true);
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The phrases of a demo bulletin (its text as a transcript). */
static void demo_cues(size_t i, bt_captions *c)
{
    char path[512];
    snprintf(path, sizeof path, DEMO_TEXTS "%s.txt", DEMO_NAMES[i]);
    size_t len = 0;
    char *text = bt_test_read_file(path, &len);
    assert_non_null(text);
    assert_int_equal(bt_captions_build(text, 60000, c), 0);
    free(text);
}

/* The plan of a caption: whole, large, on the band, clear of the header. */
static void check_plan(const ui_fixture *f, const char *phrase)
{
    const bt_layout_caption *c = bt_screen_caption_plan(f->screen);
    const bt_layout_frame *fr = bt_screen_frame(f->screen);
    assert_non_null(c);
    if (!c->text.fits)
        fail_msg("%d×%d: \"%s\" does not fit", f->width, f->height, phrase);
    assert_true(c->text.size >= fr->min_body_px);
    assert_true(c->text.line_count >= 1);
    size_t shown = 0;
    for (size_t i = 0; i < c->text.line_count; i++) {
        const bt_layout_line *l = &c->text.lines[i];
        assert_false(l->ellipsis);
        assert_true(l->y >= 0 && l->y + c->text.line_height <= c->text.box.h);
        assert_true(l->width <= c->text.box.w);
        shown += l->length;
    }
    /* Every byte but the spaces where lines break is on a line. */
    assert_true(shown + c->text.line_count - 1 >= strlen(phrase));
    assert_true(bt_rect_contains(c->plate, c->text.box));
    assert_int_equal(c->plate.x, 0);
    assert_int_equal(c->plate.y + c->plate.h, fr->ticker.y);
    if (fr->landscape) {
        /* Up to the corner column, whose QR code stays whole. */
        assert_int_equal(c->plate.w, fr->corner.x);
        assert_false(bt_rect_overlaps(c->plate, fr->corner_qr));
    } else {
        /* Across, over the whole corner band: no QR code cut in half. */
        assert_int_equal(c->plate.w, f->width);
        assert_true(bt_rect_contains(c->plate, fr->corner));
    }
    assert_true(c->plate.y >= fr->stage.y);
    assert_false(bt_rect_overlaps(c->plate, fr->header));
    /* Large: at least the body text's floor, designed at BT_CAPTION_TEXT_PX. */
    assert_true(c->text.size <= bt_layout_px(fr, BT_CAPTION_TEXT_PX));
}

static void every_phrase_fits(void **state)
{
    (void)state;
    bt_captions demo[DEMO_COUNT];
    for (size_t i = 0; i < DEMO_COUNT; i++)
        demo_cues(i, &demo[i]);
    assert_int_equal(chars(WIDEST), BT_CAPTION_MAX_CHARS);
    for (size_t z = 0; z < SIZE_COUNT; z++) {
        ui_fixture f;
        fixture_open(&f, SIZES[z][0], SIZES[z][1]);
        bt_screen_set_now_playing(f.screen, "Kích hoạt tài khoản định danh điện tử mức hai");
        bt_screen_set_caption(f.screen, WIDEST);
        check_plan(&f, WIDEST);
        for (size_t i = 0; i < DEMO_COUNT; i++)
            for (size_t k = 0; k < demo[i].count; k++) {
                bt_screen_set_caption(f.screen, demo[i].cues[k].text);
                check_plan(&f, demo[i].cues[k].text);
            }
        ui_close(&f);
    }
    for (size_t i = 0; i < DEMO_COUNT; i++)
        bt_captions_free(&demo[i]);
}

/* Over every notice and the idle screen: the caption changes only its plate, its ink is there
 * in the band's colours, and without it the frame is what it was. */
static void only_the_plate_changes(void **state)
{
    (void)state;
    const char *phrase = "Bà con chưa có tài khoản mức hai xin mang thẻ căn cước đến cơ quan "
                         "công an nơi cư trú.";
    for (size_t z = 0; z < SIZE_COUNT; z++) {
        ui_fixture f;
        fixture_open(&f, SIZES[z][0], SIZES[z][1]);
        bt_screen_set_now_playing(f.screen, "Tin thử");
        size_t px = (size_t)f.width * (size_t)f.height;
        Uint32 *before = malloc(px * 4);
        assert_non_null(before);
        for (size_t n = 0; n <= N_COUNT; n++) {
            bt_screen_show(f.screen, n < N_COUNT ? n : BT_ROTATION_NONE, false, 0);
            ui_frame(&f, MONDAY_0905, 0);
            memcpy(before, f.pixels, px * 4);
            unsigned long rasters = bt_screen_raster_count(f.screen);
            bt_screen_set_caption(f.screen, phrase);
            assert_true(bt_screen_raster_count(f.screen) > rasters);
            ui_frame(&f, MONDAY_0905, 0);
            bt_rect plate = bt_screen_caption_plan(f.screen)->plate;
            size_t outside = 0, ink = 0, band = 0;
            for (int y = 0; y < f.height; y++)
                for (int x = 0; x < f.width; x++) {
                    size_t i = (size_t)y * (size_t)f.width + (size_t)x;
                    bool in = x >= plate.x && x < plate.x + plate.w && y >= plate.y &&
                              y < plate.y + plate.h;
                    if (!in) {
                        outside += f.pixels[i] != before[i];
                        continue;
                    }
                    if (ui_is_rgb(f.pixels[i], f.cfg.theme_ticker_background, 0))
                        band++;
                    else if (ui_is_rgb(f.pixels[i], f.cfg.theme_ticker_foreground, 40))
                        ink++;
                }
            size_t area = (size_t)plate.w * (size_t)plate.h;
            if (outside != 0)
                fail_msg("%d×%d notice %zu: %zu pixels changed outside the caption's plate",
                         f.width, f.height, n, outside);
            /* The plate is the band's colour, with the phrase's ink on it. */
            assert_true(band > area / 2);
            assert_true(ink > area / 100);
            /* The same phrase again: nothing rasterised, nothing to repaint. */
            rasters = bt_screen_raster_count(f.screen);
            bt_screen_set_caption(f.screen, phrase);
            assert_int_equal(bt_screen_raster_count(f.screen), rasters);
            /* Gone: the frame is the one before, byte for byte. */
            bt_screen_set_caption(f.screen, NULL);
            assert_null(bt_screen_caption_plan(f.screen));
            ui_frame(&f, MONDAY_0905, 0);
            assert_memory_equal(f.pixels, before, px * 4);
        }
        free(before);
        ui_close(&f);
    }
}

/* The staff mark shares the caption's strip: it waits under the caption and comes back. */
static void staff_mark_waits(void **state)
{
    (void)state;
    ui_fixture f;
    fixture_open(&f, 1920, 1080);
    bt_screen_set_staff_notice(f.screen, "Lỗi lưu dữ liệu: đĩa đầy — xem bảng theo dõi");
    assert_non_null(bt_screen_staff_mark(f.screen));
    bt_screen_set_caption(f.screen, "Kính thưa bà con.");
    assert_null(bt_screen_staff_mark(f.screen));
    bt_screen_set_caption(f.screen, NULL);
    assert_non_null(bt_screen_staff_mark(f.screen));
    ui_close(&f);
}

/* The demo's recorded items carry as transcript the very texts their audio is spoken from
 * (audio/<id>.txt), so the two never drift apart. */
static void demo_transcripts_are_its_texts(void **state)
{
    (void)state;
    bt_playlist demo;
    ui_load_playlist_any(&demo, BT_DEMO_DIR);
    assert_int_equal(demo.broadcasts.item_count, DEMO_COUNT);
    for (size_t i = 0; i < demo.broadcasts.item_count; i++) {
        const bt_broadcast_item *it = &demo.broadcasts.items[i];
        char path[512];
        snprintf(path, sizeof path, DEMO_TEXTS "%s.txt", it->id);
        size_t len = 0;
        char *text = bt_test_read_file(path, &len);
        assert_non_null(text);
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
            text[--len] = '\0';
        assert_non_null(it->transcript);
        assert_string_equal(it->transcript, text);
        free(text);
    }
    bt_playlist_free(&demo);
}

/* Frames for review: a notice of the demo with a phrase of its bulletin, both orientations. */
static void demo_frames(void **state)
{
    (void)state;
    bt_playlist demo;
    ui_load_playlist_any(&demo, BT_DEMO_DIR);
    bt_captions c;
    demo_cues(4, &c); /* tin-vneid */
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t z = 0; z < 2; z++) {
        ui_fixture f;
        memset(&f, 0, sizeof f);
        ui_config(&f);
        f.playlist = demo;
        ui_open(&f, sizes[z][0], sizes[z][1], true);
        bt_screen_set_playlist(f.screen, &demo, BT_DEMO_DIR);
        bt_screen_show(f.screen, 1, false, 0);
        bt_screen_set_now_playing(f.screen, "Kích hoạt tài khoản định danh điện tử mức hai");
        for (size_t k = 1; k < 3 && k < c.count; k++) {
            bt_screen_set_caption(f.screen, c.cues[k].text);
            check_plan(&f, c.cues[k].text);
            ui_frame(&f, MONDAY_0905, 0);
            char path[1024];
            snprintf(path, sizeof path, "%s/caption-%dx%d-%zu.png", tmp, f.width, f.height, k);
            ui_save(&f, path);
        }
        ui_close(&f);
    }
    bt_captions_free(&c);
    bt_playlist_free(&demo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_phrase_fits),
        cmocka_unit_test(only_the_plate_changes),
        cmocka_unit_test(staff_mark_waits),
        cmocka_unit_test(demo_transcripts_are_its_texts),
        cmocka_unit_test(demo_frames),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
