/* File names a Windows PC accepts (core/file_name.c), for what the appliance writes onto a
 * stick: the names it writes today pass unchanged; each character Windows refuses becomes '-',
 * a trailing dot or space goes, the device names (any case, with an extension, with spaces
 * before the dot) get a leading '_', an empty name becomes "_", Vietnamese letters stay, and a
 * cut never splits a character. Every made name is then accepted by the check itself. */
#include "bt_test_support.h"

#include <string.h>

#include "bangtin/bt_file_name.h"

static void expect(const char *in, const char *want)
{
    char out[BT_FILE_NAME_MAX_BYTES + 1];
    bt_file_name_windows(in, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" → \"%s\", want \"%s\"", in, out, want);
    assert_true(bt_file_name_windows_ok(out));
}

static void test_names_we_write_pass(void **state)
{
    (void)state;
    static const char *const ours[] = {"bien-nhan-20251124-070000.txt",
                                       "nhat-ky-loa-2025-Q4.csv", "trinh-chieu-2025-Q3.csv",
                                       "bao-cao-2025-Q4.xlsx", "bao-cao-2025-Q4.html",
                                       "Báo cáo quý IV.csv", "console.txt", "COM10.txt",
                                       "LPT0", "nullable.csv"};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        assert_true(bt_file_name_windows_ok(ours[i]));
        expect(ours[i], ours[i]);
    }
}

static void test_refused_made_acceptable(void **state)
{
    (void)state;
    expect("a<b>c:d\"e/f\\g|h?i*j.txt", "a-b-c-d-e-f-g-h-i-j.txt");
    expect("tab\there\x01.csv", "tab-here-.csv");
    expect("del\x7f.csv", "del-.csv");
    expect("báo cáo. . .", "báo cáo");
    expect("CON", "_CON");
    expect("con.txt", "_con.txt");
    expect("Nul.tar.gz", "_Nul.tar.gz");
    expect("aux ", "_aux");
    expect("COM1 .log", "_COM1 .log");
    expect("lpt9", "_lpt9");
    expect("prn.", "_prn");
    expect("", "_");
    expect("...", "_");
    for (const char *bad = "<>:\"/\\|?*"; *bad; bad++) {
        char one[2] = {*bad, 0};
        assert_false(bt_file_name_windows_ok(one));
    }
    assert_false(bt_file_name_windows_ok("a."));
    assert_false(bt_file_name_windows_ok("a "));
    assert_false(bt_file_name_windows_ok(""));
    assert_false(bt_file_name_windows_ok(NULL));
}

static void test_cut_on_a_character(void **state)
{
    (void)state;
    char out[8];
    /* "tệp" is t + 3 bytes (ệ) + p: 7 bytes do not hold "tệpệ" (10): the cut keeps whole
     * characters. */
    bt_file_name_windows("tệpệ", out, sizeof out);
    assert_string_equal(out, "tệp");
    bt_file_name_windows("aaaaaaệ", out, sizeof out);
    assert_string_equal(out, "aaaaaa");
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_false(bt_file_name_windows_ok(longname));
    char made[BT_FILE_NAME_MAX_BYTES + 50];
    bt_file_name_windows(longname, made, sizeof made);
    assert_int_equal(strlen(made), BT_FILE_NAME_MAX_BYTES);
    assert_true(bt_file_name_windows_ok(made));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_we_write_pass),
        cmocka_unit_test(test_refused_made_acceptable),
        cmocka_unit_test(test_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
