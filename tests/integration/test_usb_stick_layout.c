/* Where sticks are and what the appliance writes on them (issue 9, "Sticks"): the poller finds a
 * package where our udev rule mounts sticks (/media/bangtin/sdb1/bangtin) and where udisks2 does
 * (/media/USER/LABEL/bangtin, /run/media/USER/LABEL/bangtin), and never takes the rule's own
 * /media/bangtin for one; a symlinked results folder on the stick (to a folder or to a file)
 * gets nothing written through it, for a good package and a refused one alike; a path that
 * does not exist gets nothing written anywhere; "stick/bangtin/" with a symlinked package
 * folder is refused as "stick/bangtin" is, and nothing behind the link is touched. */
#include "usb_fixture.h"

#include <errno.h>
#include <sys/mount.h>

typedef struct {
    usb_fixture f;
    bt_usb_poller *poller;
    bt_config_paths roots;           /* root/media and root/run/media */
} layout;

static void layout_setup(layout *l, const char *name)
{
    usb_fixture_setup(&l->f, name, NULL);
    l->roots.count = 2;
    snprintf(l->roots.paths[0], sizeof(l->roots.paths[0]), "%s/media", l->f.root);
    snprintf(l->roots.paths[1], sizeof(l->roots.paths[1]), "%s/run/media", l->f.root);
    usb_sh("mkdir -p '%s' '%s'", l->roots.paths[0], l->roots.paths[1]);
    assert_int_equal(bt_usb_poller_create(&l->roots, &l->poller), 0);
}

/* A signed (or, with key NULL, unsigned) package of the basic playlist as `version` at pkg. */
static void make_package(const char *pkg, int version, const char *key)
{
    usb_make_playlist(pkg, version);
    usb_sign_dir(pkg, key, NULL, 0);
}

/* The poller reports exactly `want` (root-relative), then nothing more. */
static void expect_poll(layout *l, const char *want)
{
    char path[BT_MAX_PATH_BYTES], full[BT_MAX_PATH_BYTES];
    snprintf(full, sizeof(full), "%s/%s", l->f.root, want);
    if (bt_usb_poller_poll(l->poller, path, sizeof(path)) != 1)
        fail_msg("the poller did not find %s", full);
    assert_string_equal(path, full);
    if (bt_usb_poller_poll(l->poller, path, sizeof(path)) != 0)
        fail_msg("the poller also took %s for a package", path);
}

static void expect_no_poll(layout *l)
{
    char path[BT_MAX_PATH_BYTES];
    if (bt_usb_poller_poll(l->poller, path, sizeof(path)) != 0)
        fail_msg("the poller took %s for a package", path);
}

static bool exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is there anything (even a dangling link) at the path fmt makes? */
static bool exists(const char *fmt, ...)
{
    char path[2048];
    struct stat st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    return lstat(path, &st) == 0;
}

/* Imports pkg through the library, writing back; its outcome, the result in *r (the caller
 * frees it). */
static bt_usb_outcome import_at(usb_fixture *f, const char *pkg, bt_usb_result *r)
{
    bt_usb_options o;
    usb_options(f, &o);
    bt_usb_import(pkg, &o, r);
    return r->outcome;
}

static void import_expect(usb_fixture *f, const char *pkg, bt_usb_outcome want,
                          const char *text_has)
{
    bt_usb_result r;
    bt_usb_outcome got = import_at(f, pkg, &r);
    char *text = bt_usb_result_text(&r);
    assert_non_null(text);
    if (got != want || (text_has && !strstr(text, text_has)))
        fail_msg("import of %s: outcome %d, wanted %d with \"%s\":\n%s", pkg, got, want,
                 text_has ? text_has : "", text);
    free(text);
    bt_usb_result_free(&r);
}

/* `bangtin import path` run in cwd with the fixture's config and data: its output (stdout and
 * stderr, malloc'd) and exit status. */
static char *cli_import(usb_fixture *f, const char *cwd, const char *path, int *status)
{
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && " BANGTIN " --config '%s' --data '%s' import '%s' 2>&1", cwd,
             f->cfg_path, f->data, path);
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

/* Everything about path that a write through it would change: every entry below it (type,
 * size, modification time to the nanosecond, link target) and every file's hash. malloc'd. */
static char *snapshot(const char *path)
{
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof(cmd),
             "find '%s' -printf '%%P|%%y|%%s|%%T@|%%l\\n' | LC_ALL=C sort; "
             "find '%s' -type f -exec sha256sum {} + | LC_ALL=C sort",
             path, path);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 0);
    return out;
}

static int active_version(usb_fixture *f)
{
    bt_store_playlist p;
    return usb_active(f, &p) == 1 ? p.version : 0;
}

/* ---- (1) the mount layouts ----------------------------------------------------------------- */

/* The udev rule's layout, ROOT/media/bangtin/sdb1/bangtin, then udisks2's: each found as the
 * package and imported; the rule's folder itself, full or empty, is never taken for one. */
static void test_rule_and_udisks_layouts_import(void **st)
{
    (void)st;
    layout l;
    char pkg[1200];
    layout_setup(&l, "stick-layout-mounts");
    const char *media = l.roots.paths[0], *run = l.roots.paths[1];
    usb_sh("mkdir -p '%s/bangtin/sdb1' '%s/bangtin/sdc1' '%s/cb'", media, media, run);
    expect_no_poll(&l); /* the rule's folder with two empty mount points */

    snprintf(pkg, sizeof(pkg), "%s/bangtin/sdb1/bangtin", media);
    make_package(pkg, 1, l.f.ward_key);
    expect_poll(&l, "media/bangtin/sdb1/bangtin");
    import_expect(&l.f, pkg, BT_USB_IMPORTED, "Có thể rút USB.");
    assert_true(exists("%s/bangtin/sdb1/%s", media, BT_USB_RESULTS_DIR));
    assert_false(exists("%s/%s", media, BT_USB_RESULTS_DIR));
    assert_false(exists("%s/bangtin/%s", media, BT_USB_RESULTS_DIR));
    /* The Debian package's configuration: the rule's folder is the only mount root. */
    layout packaged = l;
    packaged.roots.count = 1;
    assert_true((size_t)snprintf(packaged.roots.paths[0], sizeof(packaged.roots.paths[0]),
                                 "%s/bangtin", media) < sizeof(packaged.roots.paths[0]));
    assert_int_equal(bt_usb_poller_create(&packaged.roots, &packaged.poller), 0);
    expect_poll(&packaged, "media/bangtin/sdb1/bangtin");
    bt_usb_poller_destroy(packaged.poller);

    /* udisks2 on Debian, through the command the staff would type. */
    snprintf(pkg, sizeof(pkg), "%s/cb/USB-PHUONG/bangtin", media);
    make_package(pkg, 2, l.f.ward_key);
    expect_poll(&l, "media/cb/USB-PHUONG/bangtin");
    int status;
    char *out = cli_import(&l.f, l.f.root, pkg, &status);
    if (status != 0 || !strstr(out, "Đã nạp"))
        fail_msg("bangtin import %s failed:\n%s", pkg, out);
    free(out);
    assert_true(exists("%s/cb/USB-PHUONG/%s", media, BT_USB_RESULTS_DIR));

    /* udisks2 elsewhere: /run/media/USER/LABEL. */
    snprintf(pkg, sizeof(pkg), "%s/cb/NHAN-SU/bangtin", run);
    make_package(pkg, 3, l.f.ward_key);
    expect_poll(&l, "run/media/cb/NHAN-SU/bangtin");
    import_expect(&l.f, pkg, BT_USB_IMPORTED, NULL);
    assert_int_equal(active_version(&l.f), 3);

    /* Every stick pulled, the mount points gone: the rule's folder stays, empty. */
    usb_sh("rm -rf '%s/bangtin'/* '%s/cb' '%s/cb'", media, media, run);
    expect_no_poll(&l);
    assert_false(exists("%s/%s", media, BT_USB_RESULTS_DIR));
    bt_usb_poller_destroy(l.poller);
}

/* With a real mount point (a tmpfs where the rule mounts sdb1): a bangtin folder at a stick's
 * root is the package whatever it holds, so one holding only a subfolder (which, away from a
 * mount point, would make it a container) gets a receipt on the stick that says to pack it.
 * Needs permission to mount (root); skipped otherwise. */
static void test_mounted_stick_root_decides(void **st)
{
    (void)st;
    layout l;
    char stick[1200], pkg[1300], found[BT_MAX_PATH_BYTES] = "";
    layout_setup(&l, "stick-layout-mounted");
    snprintf(stick, sizeof(stick), "%s/bangtin/sdb1", l.roots.paths[0]);
    snprintf(pkg, sizeof(pkg), "%s/bangtin", stick);
    usb_sh("mkdir -p '%s'", stick);
    if (mount("tmpfs", stick, "tmpfs", 0, "size=16m") != 0) {
        fprintf(stderr, "(không gắn được tmpfs: %s — bỏ qua)\n", strerror(errno));
        bt_usb_poller_destroy(l.poller);
        skip();
    }
    /* Everything is looked at before the stick is unmounted, asserted after: a failure must
     * not leave a mount behind in the build tree. */
    usb_sh("mkdir '%s' && cp -r '%s/images' '%s/'", pkg, USB_BASIC, pkg);
    int polled = bt_usb_poller_poll(l.poller, found, sizeof(found));
    bt_usb_result r;
    bt_usb_outcome outcome = import_at(&l.f, pkg, &r);
    char *text = bt_usb_result_text(&r);
    bt_usb_result_free(&r);
    bool receipt = exists("%s/%s", stick, BT_USB_RESULTS_DIR);
    assert_int_equal(umount(stick), 0);
    assert_int_equal(polled, 1);
    assert_string_equal(found, pkg);
    assert_non_null(text);
    if (outcome != BT_USB_REFUSED || !strstr(text, "thiếu MANIFEST"))
        fail_msg("outcome %d:\n%s", outcome, text);
    free(text);
    assert_true(receipt);
    expect_no_poll(&l);
    bt_usb_poller_destroy(l.poller);
}

/* ---- (2) a symlinked results folder ------------------------------------------------------- */

/* One stick whose bangtin-ket-qua is a symlink to a folder or a file outside it, with a signed
 * good package (imported) or an unsigned one (refused): the target and its folder are exactly
 * as before, the link is still the same link, and staff are told to delete it. */
static void results_link_case(usb_fixture *f, const char *name, bool to_folder, bool is_signed,
                              int version)
{
    char stick[1200], pkg[1300], target[1200], link[1300], targets[1000];
    snprintf(targets, sizeof(targets), "%s/targets", f->root);
    snprintf(stick, sizeof(stick), "%s/sticks/%s", f->root, name);
    snprintf(pkg, sizeof(pkg), "%s/bangtin", stick);
    snprintf(link, sizeof(link), "%s/%s", stick, BT_USB_RESULTS_DIR);
    snprintf(target, sizeof(target), "%s/%s%s", targets, name, to_folder ? "" : ".txt");
    make_package(pkg, version, is_signed ? f->ward_key : NULL);
    if (to_folder)
        usb_sh("mkdir -p '%s' && printf 'giữ nguyên\\n' > '%s/giu-nguyen.txt'", target, target);
    else
        usb_sh("mkdir -p '%s' && printf 'giữ nguyên\\n' > '%s'", targets, target);
    usb_sh("ln -s '%s' '%s'", target, link);
    usb_sh("touch -d '2025-01-01 00:00' '%s' '%s'", target, targets); /* mtimes to compare */
    char *before = snapshot(targets);

    int status;
    char *out = cli_import(f, f->root, pkg, &status);
    char *after = snapshot(targets);
    if (strcmp(before, after) != 0)
        fail_msg("%s: written through the link:\nbefore:\n%s\nafter:\n%s", name, before, after);
    if (status != (is_signed ? 0 : 1) ||
        !strstr(out, "xoá liên kết \"" BT_USB_RESULTS_DIR "\" trên USB"))
        fail_msg("%s: exit %d, no word of the link:\n%s", name, status, out);
    free(out);
    char dest[1300];
    ssize_t n = readlink(link, dest, sizeof(dest) - 1);
    assert_true(n > 0);
    dest[n] = '\0';
    assert_string_equal(dest, target);
    free(before);
    free(after);
}

static void test_symlinked_results_left_untouched(void **st)
{
    (void)st;
    usb_fixture f;
    usb_fixture_setup(&f, "stick-layout-results-link", NULL);
    results_link_case(&f, "ky-thu-muc", true, true, 1);
    results_link_case(&f, "ky-tep", false, true, 2);
    assert_int_equal(active_version(&f), 2);
    results_link_case(&f, "khong-ky-thu-muc", true, false, 3);
    results_link_case(&f, "khong-ky-tep", false, false, 4);
    assert_int_equal(active_version(&f), 2);
}

/* ---- (3) a path that does not exist ---------------------------------------------------------- */

static void test_missing_path_writes_nothing(void **st)
{
    (void)st;
    usb_fixture f;
    char cwd[1000], file[1100];
    usb_fixture_setup(&f, "stick-layout-missing", NULL);
    snprintf(cwd, sizeof(cwd), "%s/cwd", f.root);
    snprintf(file, sizeof(file), "%s/tep", cwd);
    usb_sh("mkdir -p '%s' && echo x > '%s'", cwd, file);
    bool root_had_results = exists("/" BT_USB_RESULTS_DIR);
    assert_false(exists("/nonexistent-xyz"));
    /* "khong-co" alone: the old code took "." for the stick and wrote into the cwd. */
    static const char *const paths[] = {"khong-co", "khong-co/", "khong-co/bangtin",
                                        "/nonexistent-xyz/bangtin", "tep", "tep/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        int status;
        char *out = cli_import(&f, cwd, paths[i], &status);
        bool is_file = strncmp(paths[i], "tep", 3) == 0;
        if (exists("%s/%s", cwd, BT_USB_RESULTS_DIR) || exists("%s/khong-co", cwd))
            fail_msg("import '%s' wrote into the cwd:\n%s", paths[i], out);
        if (status != 1 || !strstr(out, "Không có thư mục gói") ||
            !strstr(out, is_file ? "là một tệp, không phải thư mục" : "thư mục không tồn tại") ||
            strstr(out, "Không ghi được"))
            fail_msg("import '%s': exit %d:\n%s", paths[i], status, out);
        free(out);
    }
    /* The library's own answer: nothing written, nothing to write. */
    bt_usb_result r;
    char missing[1100];
    snprintf(missing, sizeof(missing), "%s/khong-co/bangtin", cwd);
    assert_int_equal(import_at(&f, missing, &r), BT_USB_FAILED);
    assert_true(r.package_missing);
    assert_string_equal(r.receipt_path, "");
    assert_string_equal(r.stick_note, "");
    bt_usb_result_free(&r);

    /* The cwd holds only what it held; its parent (the fixture's root) changed only where the
     * appliance keeps its data; nothing appeared at the filesystem's root. */
    char cmd[1200];
    int status;
    snprintf(cmd, sizeof(cmd), "ls -A '%s'", cwd);
    char *listing = bt_test_run(cmd, &status);
    assert_string_equal(listing, "tep\n");
    free(listing);
    snprintf(cmd, sizeof(cmd), "find '%s' -name '%s' | grep -c .", f.root, BT_USB_RESULTS_DIR);
    char *count = bt_test_run(cmd, &status);
    assert_string_equal(count, "0\n");
    free(count);
    assert_false(exists("/nonexistent-xyz"));
    assert_int_equal(exists("/" BT_USB_RESULTS_DIR), root_had_results);
}

/* ---- (4) a trailing slash on a symlinked package folder ----------------------------------- */

static void test_trailing_slash_symlink_refused(void **st)
{
    (void)st;
    usb_fixture f;
    char real[1100], stick[1000], link[1100], elsewhere[1000];
    usb_fixture_setup(&f, "stick-layout-slash", NULL);
    snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", f.root);
    snprintf(real, sizeof(real), "%s/bangtin", elsewhere);
    snprintf(stick, sizeof(stick), "%s/sticks/slash", f.root);
    snprintf(link, sizeof(link), "%s/bangtin", stick);
    make_package(real, 5, f.ward_key); /* a good package: only the link stands in the way */
    usb_sh("mkdir -p '%s' && ln -s '%s' '%s' && touch -d '2025-01-01 00:00' '%s' '%s'", stick,
           real, link, real, elsewhere);
    char *before = snapshot(elsewhere);

    static const char *const tails[] = {"/", "//", ""};
    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        char path[1200];
        snprintf(path, sizeof(path), "%s%s", link, tails[i]);
        import_expect(&f, path, BT_USB_REFUSED, "là liên kết (symlink/shortcut)");
    }
    int status;
    char *out = cli_import(&f, stick, "bangtin/", &status);
    if (status != 1 || !strstr(out, "là liên kết (symlink/shortcut)"))
        fail_msg("bangtin import bangtin/: exit %d:\n%s", status, out);
    free(out);
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "cd '%s' && " BANGTIN " --config '%s' check bangtin/ 2>&1", stick,
             f.cfg_path);
    out = bt_test_run(cmd, &status);
    if (status == 0 || !strstr(out, "là liên kết (symlink/shortcut)"))
        fail_msg("bangtin check bangtin/: exit %d:\n%s", status, out);
    free(out);

    char *after = snapshot(elsewhere);
    if (strcmp(before, after) != 0)
        fail_msg("written behind the link:\nbefore:\n%s\nafter:\n%s", before, after);
    free(before);
    free(after);
    assert_int_equal(active_version(&f), 0);
    /* The receipt saying why lies beside the link, on the stick itself. */
    assert_true(exists("%s/%s", stick, BT_USB_RESULTS_DIR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_and_udisks_layouts_import),
        cmocka_unit_test(test_mounted_stick_root_decides),
        cmocka_unit_test(test_symlinked_results_left_untouched),
        cmocka_unit_test(test_missing_path_writes_nothing),
        cmocka_unit_test(test_trailing_slash_symlink_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
