/* The appliance configuration table: defaults, a full good file, every kind of bad value with
 * its exact message, and the printed reference listing every key. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_bad_file_messages),
        cmocka_unit_test(test_missing_file_named),
        cmocka_unit_test(test_reference_lists_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
