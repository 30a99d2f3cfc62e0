/* What staff get back on the stick reads well on the ward's Windows PC (issue 12, item 3): after
 * `bangtin import` of a package with errors, every file in the stick's results folder has a name
 * Windows accepts (bt_file_name_windows_ok); the receipt and every CSV are UTF-8 with a BOM and
 * CRLF line ends only; the receipt lists every error with its file and line exactly as `bangtin
 * check` prints them for the same package; and LibreOffice (headless, a profile set to vi-VN,
 * importing UTF-8) reads the receipt and each CSV back with the Vietnamese intact. The LibreOffice part needs
 * soffice (scripts/deps.sh installs libreoffice-calc-nogui for CI) and says SKIP without it. */
#include "usb_fixture.h"

#include <dirent.h>

#include "bangtin/bt_file_name.h"

typedef struct {
    usb_fixture f;
    char pkg[1024], results[1100];
} fixture;

/* A signed package whose playlist.cfg has two errors on known lines, imported by the CLI (as
 * staff's `bangtin import` does): refused, with the receipt, the logs and the reports written. */
static void import_broken(fixture *x)
{
    usb_fixture_setup(&x->f, "stick-windows", NULL);
    snprintf(x->pkg, sizeof x->pkg, "%s/stick/bangtin", x->f.root);
    snprintf(x->results, sizeof x->results, "%s/stick/" BT_USB_RESULTS_DIR, x->f.root);
    usb_make_playlist(x->pkg, 1);
    char cfg[1100];
    snprintf(cfg, sizeof cfg, "%s/playlist.cfg", x->pkg);
    usb_replace_in_file(cfg, "    title = \"Giờ làm việc\";\n", "");
    usb_replace_in_file(cfg, "duration = 20;", "duration = 2;");
    usb_sign_dir(x->pkg, x->f.ward_key, NULL, 0);
    int status;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' --data '%s' import '%s' 2>&1",
             x->f.cfg_path, x->f.data, x->pkg);
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_not_equal(status, 0);
    free(out);
}

static char *results_file(const fixture *x, const char *name, size_t *len)
{
    char path[1500];
    snprintf(path, sizeof path, "%s/%.300s", x->results, name); /* names are short */
    char *text = bt_test_read_file(path, len);
    assert_non_null(text);
    return text;
}

/* Names of the results folder's files ending in suffix; count returned. */
static size_t list(const fixture *x, const char *suffix, char names[][300], size_t cap)
{
    DIR *d = opendir(x->results);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name), sl = strlen(suffix);
        if (e->d_name[0] == '.' || len < sl || strcmp(e->d_name + len - sl, suffix) != 0)
            continue;
        if (n < cap)
            snprintf(names[n], sizeof names[0], "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static void test_names_bom_crlf_and_check_lines(void **state)
{
    (void)state;
    fixture x;
    import_broken(&x);
    char names[32][300];
    size_t all = list(&x, "", names, 32);
    assert_true(all >= 1 + 4 + 6); /* receipt, two quarters' two logs, six reports */
    for (size_t i = 0; i < all && i < 32; i++)
        if (!bt_file_name_windows_ok(names[i]))
            fail_msg("\"%s\" is a name Windows refuses", names[i]);
    char texts[16][300];
    size_t receipts = list(&x, ".txt", texts, 16);
    assert_int_equal(receipts, 1);
    size_t csvs = list(&x, ".csv", texts + 1, 15);
    assert_int_equal(csvs, 2 * 2 + 2); /* the logs of two quarters, two reports */
    for (size_t i = 0; i <= csvs; i++) {
        size_t len;
        char *text = results_file(&x, texts[i], &len);
        assert_true(len > 3);
        if (memcmp(text, "\xEF\xBB\xBF", 3) != 0)
            fail_msg("%s has no UTF-8 BOM", texts[i]);
        for (size_t k = 0; k < len; k++)
            if (text[k] == '\n' && (k == 0 || text[k - 1] != '\r'))
                fail_msg("%s: a line ends in LF alone at byte %zu", texts[i], k);
        assert_true(len >= 2 && memcmp(text + len - 2, "\r\n", 2) == 0);
        free(text);
    }
    /* Every error line of `bangtin check` on the same package is on the receipt, whole. */
    int status;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, BANGTIN " --config '%s' check '%s' 2>&1", x.f.cfg_path, x.pkg);
    char *check = bt_test_run(cmd, &status);
    assert_non_null(check);
    char *receipt = results_file(&x, texts[0], NULL);
    size_t errors = 0;
    for (char *line = strtok(check, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, ": lỗi: "))
            continue;
        errors++;
        char want[2048];
        snprintf(want, sizeof want, "%s\r\n", line);
        if (!strstr(receipt, want))
            fail_msg("check's line is not on the receipt:\n%s\nreceipt:\n%s", line, receipt);
    }
    assert_int_equal(errors, 2);
    assert_non_null(strstr(receipt, "playlist.cfg:26: lỗi: "));
    assert_non_null(strstr(receipt, "playlist.cfg:15: lỗi: "));
    free(receipt);
    free(check);
}

/* LibreOffice in a vi-VN profile, importing as UTF-8 (headless, it does not sniff the BOM as
 * Notepad and Excel do: the bytes of the BOM are checked above). */
static char *office_read(const fixture *x, const char *name, const char *sep, const char *out)
{
    char cmd[8192];
    int status;
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/lo/user' && printf '%%s\\n' '<?xml version=\"1.0\" "
             "encoding=\"UTF-8\"?><oor:items xmlns:oor=\"http://openoffice.org/2001/registry\" "
             "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><item "
             "oor:path=\"/org.openoffice.Setup/L10N\"><prop oor:name=\"ooLocale\" "
             "oor:op=\"fuse\"><value>vi-VN</value></prop></item><item "
             "oor:path=\"/org.openoffice.Setup/L10N\"><prop oor:name=\"ooSetupSystemLocale\" "
             "oor:op=\"fuse\"><value>vi-VN</value></prop></item></oor:items>' > "
             "'%s/lo/user/registrymodifications.xcu' && cp '%s/%s' '%s/%s' && cd '%s' && "
             "HOME='%s' timeout 180 soffice --headless --norestore "
             "'-env:UserInstallation=file://%s/lo' '--infilter=Text - txt - csv (StarCalc):%s,34,76,1' --convert-to "
             "'csv:Text - txt - csv (StarCalc):9,34,76,1' --outdir '%s/lo-out' '%s/%s' 2>&1",
             x->f.root, x->f.root, x->results, name, x->f.root, out, x->f.root, x->f.root,
             x->f.root, sep, x->f.root, x->f.root, out);
    char *log = bt_test_run(cmd, &status);
    if (status != 0)
        fail_msg("soffice failed (%d): %s", status, log ? log : "");
    free(log);
    char path[1500], base[256];
    snprintf(base, sizeof base, "%s", out);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    snprintf(path, sizeof path, "%s/lo-out/%s.csv", x->f.root, base);
    char *text = bt_test_read_file(path, NULL);
    if (!text)
        fail_msg("LibreOffice wrote no %s", path);
    return text;
}

static void test_office_reads_vietnamese(void **state)
{
    (void)state;
    int status;
    char *out = bt_test_run("command -v soffice", &status);
    free(out);
    if (status != 0) {
        printf("SKIP: soffice (LibreOffice) is not installed; scripts/deps.sh installs "
               "libreoffice-calc-nogui\n");
        skip();
    }
    fixture x;
    import_broken(&x);
    char names[16][300];
    assert_int_equal(list(&x, ".txt", names, 16), 1);
    /* The receipt, one cell per line (tab-separated: it has no tabs). */
    char *receipt = office_read(&x, names[0], "9", "bien-nhan.txt");
    assert_non_null(strstr(receipt, "BIÊN NHẬN NẠP PLAYLIST TỪ USB"));
    assert_non_null(strstr(receipt, "Kết quả: KHÔNG NẠP (gói có lỗi)"));
    assert_non_null(strstr(receipt, "Danh sách đang phát được giữ nguyên."));
    assert_non_null(strstr(receipt, "playlist.cfg:26: lỗi: "));
    assert_null(strstr(receipt, "Ã")); /* no UTF-8 read as Windows-1252 */
    free(receipt);
    /* Every CSV, ';'-separated: its Vietnamese header and cells come back as written. */
    size_t n = list(&x, ".csv", names, 16);
    for (size_t i = 0; i < n; i++) {
        char copy[160];
        snprintf(copy, sizeof copy, "doc-%zu.csv", i);
        char *csv = office_read(&x, names[i], "59", copy);
        size_t len;
        char *orig = results_file(&x, names[i], &len);
        /* The first cell of the file, as written (after the BOM, up to ';' or the line end). */
        size_t first = strcspn(orig + 3, ";\r\n");
        char cell[256];
        snprintf(cell, sizeof cell, "%.*s", (int)(first < 255 ? first : 255), orig + 3);
        if (cell[0] == '"')
            memmove(cell, cell + 1, strlen(cell));
        char *q = strchr(cell, '"');
        if (q)
            *q = '\0';
        if (!strstr(csv, cell) || strstr(csv, "Ã"))
            fail_msg("%s read back by LibreOffice lost \"%s\":\n%.600s", names[i], cell, csv);
        free(orig);
        free(csv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_bom_crlf_and_check_lines),
        cmocka_unit_test(test_office_reads_vietnamese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
