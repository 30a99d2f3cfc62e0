/* One activation (issue 10, item 7). A playlist becomes active through four doors: `bangtin
 * activate`, `bangtin run --playlist`, a stick's import and `bangtin rollback`. Each makes it
 * active and records what it brings to reports (targets, notices) in ONE transaction, so all four
 * leave the same rows, in force from the activation itself. Before, `run --playlist` and rollback
 * recorded no targets and the import recorded them in a second transaction. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usb_fixture.h"

/* What the newest activation recorded, one line per row, without ids or times. */
static const char DUMP_SQL[] =
    "WITH s AS (SELECT * FROM target_sets ORDER BY set_id DESC LIMIT 1) "
    "SELECT 'set|' || playlist_id || '|' || playlist_version FROM s "
    "UNION ALL SELECT * FROM (SELECT 'def|' || target_id || '|' || label || '|' || channel || '|' "
    "  || ifnull(topic, '') || '|' || period || '|' || minimum || '|' || counts || '|' "
    "  || ifnull(from_day, '') || '|' || ifnull(until_day, '') FROM target_defs "
    "  WHERE set_id = (SELECT set_id FROM s) ORDER BY target_id) "
    "UNION ALL SELECT * FROM (SELECT 'notice|' || notice_id || '|' || ifnull(title, '') || '|' "
    "  || ifnull(topic, '') || '|' || ifnull(from_day, '') || '|' || ifnull(until_day, '') || '|' "
    "  || weekdays FROM target_notices WHERE set_id = (SELECT set_id FROM s) ORDER BY notice_id) "
    "UNION ALL SELECT 'same-time|' || ((SELECT in_force_from FROM s) = "
    "  (SELECT activated_at FROM playlists WHERE active = 1)) "
    "UNION ALL SELECT 'active|' || id || '|' || version FROM playlists WHERE active = 1;";

static char *dump(const char *data)
{
    char cmd[4096];
    int status;
    snprintf(cmd, sizeof cmd, "sqlite3 '%s/bangtin.db' \"%s\"", data, DUMP_SQL);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 0);
    return out;
}

static void cli(const usb_fixture *f, const char *data, const char *args)
{
    char cmd[4096];
    int status;
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy " BANGTIN
             " --config '%s' --data '%s' %s 2>&1", f->cfg_path, data, args);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("%s: exit %d\n%s", cmd, status, out);
    free(out);
}

/* A signed copy of the demo (targets and notices) as `version`, in dir. */
static void demo_package(const usb_fixture *f, const char *dir, int version)
{
    char path[1200], to[32];
    usb_sh("rm -rf '%s' && mkdir -p '%s' && cp -r '%s'/. '%s'", dir, dir, BT_DEMO_DIR, dir);
    snprintf(path, sizeof path, "%s/playlist.cfg", dir);
    snprintf(to, sizeof to, "version = %d;", version);
    usb_replace_in_file(path, "version = 1;", to);
    usb_sign_dir(dir, f->ward_key, NULL, 0);
}

static void test_four_doors_leave_the_same_rows(void **state)
{
    (void)state;
    usb_fixture f;
    usb_fixture_setup(&f, "activation-doors", NULL);
    char data[4][1024], pkg1[1024], pkg2[1024], args[2600];
    for (int i = 0; i < 4; i++)
        snprintf(data[i], sizeof data[i], "%s/data-%d", f.root, i);
    snprintf(pkg1, sizeof pkg1, "%s/stick-1/bangtin", f.root);
    snprintf(pkg2, sizeof pkg2, "%s/stick-2/bangtin", f.root);
    demo_package(&f, pkg1, 1);
    demo_package(&f, pkg2, 2);

    snprintf(args, sizeof args, "activate '%s'", pkg1);
    cli(&f, data[0], args);
    snprintf(args, sizeof args, "run --playlist '%s' --size 640x360 --duration 1", pkg1);
    cli(&f, data[1], args);
    snprintf(args, sizeof args, "import '%s' --no-write-back", pkg1);
    cli(&f, data[2], args);
    /* The fourth: import version 1, then 2, then roll back to 1. */
    cli(&f, data[3], args);
    snprintf(args, sizeof args, "import '%s' --no-write-back", pkg2);
    cli(&f, data[3], args);
    cli(&f, data[3], "rollback");

    char *want = dump(data[0]);
    /* The demo brings targets and notices, recorded with the activation itself. */
    assert_non_null(strstr(want, "set|demo-cchc|1\n"));
    assert_non_null(strstr(want, "\ndef|"));
    assert_non_null(strstr(want, "\nnotice|"));
    assert_non_null(strstr(want, "same-time|1\n"));
    assert_non_null(strstr(want, "active|demo-cchc|1\n"));
    for (int i = 1; i < 4; i++) {
        char *got = dump(data[i]);
        if (strcmp(got, want) != 0)
            fail_msg("door %d recorded other rows:\n%s\nthan `activate`:\n%s", i, got, want);
        free(got);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_doors_leave_the_same_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
