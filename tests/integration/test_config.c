/* The appliance configuration table: defaults, a full good file, every kind of bad value with
 * its exact message, and the printed reference listing every key. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_config.h"

static void test_defaults(void **state)
{
    (void)state;
    bt_config cfg;
    bt_config_defaults(&cfg);
    assert_string_equal(cfg.portal_url, "https://dichvucong.gov.vn");
    assert_string_equal(cfg.display_orientation, "auto");
    assert_true(cfg.display_fullscreen);
    assert_int_equal(cfg.display_width, 0);
    bt_display_schedule on;
    bt_config_display_schedule(&cfg, &on);
    assert_true(on.always); /* the display is on day and night unless the ward says */
    assert_true(cfg.ticker_enabled);
    assert_true(cfg.usb_require_signature);
    assert_int_equal(cfg.trusted_keys.count, 0);
    assert_int_equal(cfg.usb_mount_roots.count, 3);
    assert_string_equal(cfg.usb_mount_roots.paths[1], "/run/media");
    assert_int_equal(cfg.theme_background.r, 0x0B);
    assert_int_equal(cfg.theme_background.g, 0x25);
    assert_int_equal(cfg.theme_background.b, 0x45);
    /* Empty font keys resolve to the bundled fonts, which exist. */
    assert_non_null(strstr(cfg.font_regular, "NotoSans-Regular.ttf"));
    FILE *f = fopen(cfg.font_bold, "rb");
    assert_non_null(f);
    fclose(f);
}

static void test_good_file(void **state)
{
    (void)state;
    bt_config cfg;
    bt_diags d;
    bt_diags_init(&d);
    int rc = bt_config_load(&cfg, BT_SOURCE_DIR "/tests/data/config/good.cfg", &d);
    assert_int_equal(d.count, 0);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.ward_name, "UBND phường Việt Hưng");
    assert_int_equal(cfg.display_width, 1080);
    assert_int_equal(cfg.display_height, 1920);
    assert_string_equal(cfg.display_orientation, "portrait");
    assert_false(cfg.display_fullscreen);
    bt_display_schedule on;
    bt_config_display_schedule(&cfg, &on);
    assert_false(on.always);
    assert_int_equal(on.count, 2);
    assert_int_equal(on.spans[1].start, 7 * 60 + 30);
    assert_string_equal(cfg.portal_url, "https://dichvucong.hanoi.gov.vn");
    assert_int_equal(cfg.theme_background.r, 0);
    assert_int_equal(cfg.min_text_px, 48);
    assert_false(cfg.ticker_enabled);
    assert_int_equal(cfg.ticker_speed, 90);
    assert_int_equal(cfg.transition_ms, 0);
    assert_string_equal(cfg.log_level, "warn");
    assert_int_equal(cfg.trusted_keys.count, 2);
    assert_string_equal(cfg.trusted_keys.paths[1], "/etc/bangtin/du-phong.pub");
    assert_int_equal(cfg.usb_mount_roots.count, 1);
    assert_false(cfg.usb_require_signature);
    assert_int_equal(cfg.usb_keep_playlists, 5);
    /* Keys not in the file keep their defaults. */
    assert_int_equal(cfg.theme_accent.r, 0xFF);
    bt_diags_free(&d);
}

static void test_bad_file_messages(void **state)
{
    (void)state;
    size_t len;
    char *text = bt_test_read_file(BT_SOURCE_DIR "/tests/data/config/bad.cfg", &len);
    char *expected = bt_test_read_file(BT_SOURCE_DIR "/tests/data/config/bad.expected", NULL);
    assert_non_null(text);
    assert_non_null(expected);
    bt_node *root = NULL;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_cfgfile_parse(text, len, "bad.cfg", &root, &d), 0);
    bt_config cfg;
    bt_config_defaults(&cfg);
    assert_int_equal(bt_config_apply_tree(&cfg, root, "bad.cfg", &d), -1);
    bt_diags_sort(&d);
    char got[8192] = "", line[2048];
    for (size_t i = 0; i < d.count; i++) {
        strcat(got, bt_diag_format(&d.items[i], line, sizeof line));
        strcat(got, "\n");
    }
    assert_string_equal(got, expected);
    /* A rejected value leaves the default in place. */
    assert_string_equal(cfg.portal_url, "https://dichvucong.gov.vn");
    bt_node_destroy(root);
    bt_diags_free(&d);
    free(text);
    free(expected);
}

static void test_missing_file_named(void **state)
{
    (void)state;
    bt_config cfg;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_config_load(&cfg, "/nonexistent/bangtin.cfg", &d), -1);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].file, "bangtin.cfg"));
    bt_diags_free(&d);
}

static void test_reference_lists_every_key(void **state)
{
    (void)state;
    char path[] = BT_BINARY_DIR "/test-tmp-config-reference.txt";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    bt_config_print_reference(f);
    fclose(f);
    char *ref = bt_test_read_file(path, NULL);
    assert_non_null(ref);
    static const char *const keys[] = {"ward_name", "data_dir", "display.width",
        "display.orientation", "display.fullscreen", "display.on", "portal.url", "portal.caption",
        "theme.background", "fonts.regular", "text.min_px", "ticker.enabled", "transition_ms",
        "log_level"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(strstr(ref, keys[i]));
    assert_non_null(strstr(ref, "0..16384"));
    assert_non_null(strstr(ref, "auto|landscape|portrait"));
    free(ref);
    remove(path);
}

/* A made-up emblem for the tests (no real ward's): a red plate with a yellow square on a
 * transparent ground, w×h px. */
static SDL_Surface *test_emblem(int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 0, 0, 0, 0));
    SDL_FillRect(s, &(SDL_Rect){w / 8, h / 8, w * 3 / 4, h * 3 / 4},
                 SDL_MapRGBA(s->format, 200, 30, 30, 255));
    SDL_FillRect(s, &(SDL_Rect){w / 3, h / 3, w / 3, h / 3},
                 SDL_MapRGBA(s->format, 255, 209, 102, 255));
    return s;
}

/* Loads `ward_logo = "<logo>";` (third line of the file) from dir/bangtin.cfg; returns the
 * messages, one a line ("" when none). */
static char *load_logo(const char *dir, const char *logo, bt_config *cfg, int *rc)
{
    char path[1024], text[1200];
    snprintf(path, sizeof path, "%s/bangtin.cfg", dir);
    snprintf(text, sizeof text, "ward_name = \"UBND phường Thử Nghiệm\";\n\nward_logo = \"%s\";\n",
             logo);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    bt_diags d;
    bt_diags_init(&d);
    *rc = bt_config_load(cfg, path, &d);
    char *got = calloc(1, 8192), line[2048];
    assert_non_null(got);
    for (size_t i = 0; i < d.count; i++) {
        strncat(got, bt_diag_format(&d.items[i], line, sizeof line), 8192 - strlen(got) - 2);
        strcat(got, "\n");
    }
    bt_diags_free(&d);
    return got;
}

/* ward_logo (issue 14): a PNG is taken, its relative path made absolute from the file's folder;
 * a JPEG, a missing file, a cut PNG and one too large are refused with a message naming the
 * file, the line and what to fix; none by default. */
static void test_ward_logo(void **state)
{
    (void)state;
    bt_config cfg;
    bt_config_defaults(&cfg);
    assert_string_equal(cfg.ward_logo, ""); /* the embedded default has no logo */
    char *dir = bt_test_temp_dir("config-logo");
    char png[1024], jpg[1024], cut[1024], huge[1024], want[1100];
    snprintf(png, sizeof png, "%s/logo.png", dir);
    snprintf(jpg, sizeof jpg, "%s/logo.jpg", dir);
    snprintf(cut, sizeof cut, "%s/cut.png", dir);
    snprintf(huge, sizeof huge, "%s/huge.png", dir);
    SDL_Surface *emblem = test_emblem(240, 160);
    assert_int_equal(IMG_SavePNG(emblem, png), 0);
    assert_int_equal(IMG_SaveJPG(emblem, jpg, 90), 0);
    SDL_FreeSurface(emblem);
    SDL_Surface *wide = test_emblem(9000, 2);
    assert_int_equal(IMG_SavePNG(wide, huge), 0);
    SDL_FreeSurface(wide);
    size_t len;
    char *bytes = bt_test_read_file(png, &len);
    assert_non_null(bytes);
    assert_int_equal(bt_test_write_file(cut, bytes, len / 2), 0);
    free(bytes);

    int rc;
    char *got = load_logo(dir, "logo.png", &cfg, &rc);
    assert_string_equal(got, "");
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.ward_logo, png);
    bt_screen_config sc;
    bt_config_screen(&cfg, &sc);
    assert_string_equal(sc.ward_logo, png);
    free(got);
    got = load_logo(dir, png, &cfg, &rc); /* absolute: as written */
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.ward_logo, png);
    free(got);

    static const char *const refused[][2] = {
        {"logo.jpg", "là ảnh JPEG — logo phải là tệp PNG"},
        {"khong-co.png", "không có tệp"},
        {"cut.png", "không phải ảnh PNG đọc được"},
        {"huge.png", "quá lớn (9000×2 px; tối đa 8192 px mỗi cạnh"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        got = load_logo(dir, refused[i][0], &cfg, &rc);
        assert_int_equal(rc, -1);
        /* "…/bangtin.cfg:3: lỗi: ward_logo: "<dir>/<file>" …" */
        snprintf(want, sizeof want, "bangtin.cfg:3:");
        if (!strstr(got, want) || !strstr(got, refused[i][0]) || !strstr(got, refused[i][1]) ||
            !strstr(got, "ward_logo"))
            fail_msg("%s: got \"%s\"", refused[i][0], got);
        free(got);
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_bad_file_messages),
        cmocka_unit_test(test_missing_file_named),
        cmocka_unit_test(test_reference_lists_every_key),
        cmocka_unit_test(test_ward_logo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
