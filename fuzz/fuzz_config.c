/* Fuzz target: the appliance configuration (bangtin.cfg). The bytes go through the reader
 * (src/io/cfgfile.c) and, when they parse, through bt_config_apply_tree: the key table, types,
 * ranges, choices, colours, path lists and the loudspeaker windows. Checks that every string
 * field stays terminated inside its array and every number inside its range, and that a file
 * that applied cleanly gives limits the scheduler can take. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_config.h"
#include "fuzz.h"

#define FIELD_OK(cfg, field) FUZZ_CHECK(fuzz_terminated((cfg)->field, sizeof (cfg)->field))

static void check_config(const bt_config *cfg)
{
    FIELD_OK(cfg, ward_name);
    FIELD_OK(cfg, data_dir);
    FIELD_OK(cfg, display_orientation);
    FIELD_OK(cfg, display_renderer);
    FIELD_OK(cfg, portal_url);
    FIELD_OK(cfg, portal_caption);
    FIELD_OK(cfg, font_regular);
    FIELD_OK(cfg, font_bold);
    FIELD_OK(cfg, broadcast_windows);
    FIELD_OK(cfg, broadcast_chime);
    FIELD_OK(cfg, broadcast_amp_on_command);
    FIELD_OK(cfg, broadcast_amp_off_command);
    FIELD_OK(cfg, broadcast_audio_device);
    FIELD_OK(cfg, log_level);
    FIELD_OK(cfg, panel_key);
    FIELD_OK(cfg, panel_pin);
    FUZZ_CHECK(cfg->trusted_keys.count <= BT_CONFIG_MAX_PATHS);
    FUZZ_CHECK(cfg->usb_mount_roots.count <= BT_CONFIG_MAX_PATHS);
    for (size_t i = 0; i < cfg->trusted_keys.count; i++)
        FIELD_OK(cfg, trusted_keys.paths[i]);
    for (size_t i = 0; i < cfg->usb_mount_roots.count; i++)
        FIELD_OK(cfg, usb_mount_roots.paths[i]);
    FUZZ_CHECK(cfg->display_width >= 0 && cfg->display_height >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bt_config cfg; /* tens of kB: not on the stack */
    bt_node *root = NULL;
    bt_diags diags;

    bt_diags_init(&diags);
    int rc = bt_cfgfile_parse((const char *)data, size, "bangtin.cfg", &root, &diags);
    FUZZ_CHECK((rc == 0) == (root != NULL));
    if (rc == 0) {
        size_t before = diags.errors;
        fuzz_check_tree(root);
        bt_config_defaults(&cfg);
        rc = bt_config_apply_tree(&cfg, root, "bangtin.cfg", &diags);
        FUZZ_CHECK(rc == 0 ? diags.errors == before : diags.errors > before);
        check_config(&cfg);
        if (rc == 0) {
            /* What the kiosk does next with a configuration that applied cleanly. */
            bt_broadcast_limits lim;
            bt_screen_config screen;
            bt_diags again;
            bt_diags_init(&again);
            /* bt_config_broadcast_limits trusts the stored text to parse as it did here. */
            FUZZ_CHECK(bt_broadcast_windows_parse(cfg.broadcast_windows, "bangtin.cfg", 0, &lim,
                                                  &again) == 0);
            bt_diags_free(&again);
            bt_config_broadcast_limits(&cfg, &lim);
            fuzz_check_windows(&lim);
            bt_config_screen(&cfg, &screen);
        }
    }
    fuzz_check_diags(&diags);
    bt_node_destroy(root);
    bt_diags_free(&diags);
    return 0;
}
