/* The platform layer's Windows path text (bt_winpath.h), run on Linux: what bangtin.exe makes
 * of the paths staff type or a .bat file passes ("D:/bangtin/", "C:\\", "playlist\\.\\images",
 * a UNC share, a Vietnamese folder) before it widens them for the wide-character API. */
#include "bt_test_support.h"

#include <errno.h>
#include <string.h>

#include "bangtin/bt_winpath.h"

static void expect_normal(const char *in, const char *want)
{
    char out[256];
    assert_int_equal(bt_winpath_normalize(in, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void expect_join(const char *dir, const char *name, const char *want)
{
    char out[256];
    assert_int_equal(bt_winpath_join(dir, name, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_normalize(void **state)
{
    (void)state;
    expect_normal("D:/bangtin/", "D:\\bangtin");
    expect_normal("D:\\bangtin\\\\", "D:\\bangtin");
    expect_normal("C:\\", "C:\\");
    expect_normal("C:/", "C:\\");
    expect_normal("C:", "C:");
    expect_normal("/", "\\");
    expect_normal(".", ".");
    expect_normal("./", ".");
    expect_normal("playlist\\.\\images//a.png", "playlist\\images\\a.png");
    expect_normal("\\\\may-chu\\chia-se\\bangtin\\", "\\\\may-chu\\chia-se\\bangtin");
    expect_normal("\\\\?\\C:\\dài\\", "\\\\?\\C:\\dài");
    /* Names are bytes to it: NFC and NFD Vietnamese pass unchanged. */
    expect_normal("Thông báo/ảnh", "Thông báo\\ảnh");
    expect_normal("Tho\xcc\x82ng ba\xcc\x81o/", "Tho\xcc\x82ng ba\xcc\x81o");
    /* ".." is left for Windows to resolve (GetFullPathNameW); the rooms refuse it anyway. */
    expect_normal("a/../b", "a\\..\\b");
}

static void test_normalize_limits(void **state)
{
    (void)state;
    char out[8];
    errno = 0;
    assert_int_equal(bt_winpath_normalize("", out, sizeof out), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(bt_winpath_normalize("C:\\rất-dài", out, sizeof out), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(bt_winpath_normalize("C:\\a", out, sizeof out), 0);
    assert_string_equal(out, "C:\\a");
}

static void test_absolute(void **state)
{
    (void)state;
    assert_true(bt_winpath_is_absolute("C:\\x"));
    assert_true(bt_winpath_is_absolute("c:/x"));
    assert_true(bt_winpath_is_absolute("\\x"));
    assert_true(bt_winpath_is_absolute("\\\\server\\share"));
    assert_false(bt_winpath_is_absolute("C:x")); /* relative to drive C's own folder */
    assert_false(bt_winpath_is_absolute("playlist"));
    assert_false(bt_winpath_is_absolute(""));
}

static void test_join(void **state)
{
    (void)state;
    expect_join("C:\\Users\\Lan\\playlist", "images/a.png",
                "C:\\Users\\Lan\\playlist\\images\\a.png");
    expect_join("C:\\Users\\Lan\\playlist", ".", "C:\\Users\\Lan\\playlist");
    expect_join("C:\\", "bangtin", "C:\\bangtin");
    expect_join("E:\\bangtin", "D:\\other", "D:\\other"); /* absolute: as openat does */
    expect_join("", "a/b", "a\\b");
    char out[12];
    errno = 0;
    assert_int_equal(bt_winpath_join("C:\\folder", "name.txt", out, sizeof out), -1);
    assert_int_equal(errno, ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_limits),
        cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
