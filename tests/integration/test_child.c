/* bt_child_run, the one runner of the kiosk's children (measuring, speaking): each way a child
 * can end — it answers (with and without input on stdin), it cannot be started, it hangs past its
 * deadline and is killed, it dies of a signal — is told apart, and a hung child costs its
 * deadline, not more. /bin/sh stands in for the bangtin executable. */
#include "bt_test_support.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_child.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sh(const char *script, const char *input, int timeout_ms, char *answer, size_t size,
              bt_child_result *res)
{
    char arg0[] = "sh", arg1[] = "-c";
    char *script_copy = strdup(script);
    assert_non_null(script_copy);
    char *argv[] = {arg0, arg1, script_copy, NULL};
    int rc = bt_child_run("/bin/sh", argv, NULL, input, timeout_ms, answer, size, res);
    free(script_copy);
    return rc;
}

static void answers_with_and_without_input(void **state)
{
    (void)state;
    char answer[64];
    bt_child_result res;
    assert_int_equal(sh("echo ok 1 2", NULL, 5000, answer, sizeof answer, &res), 0);
    assert_int_equal(res.outcome, BT_CHILD_ANSWERED);
    assert_string_equal(answer, "ok 1 2\n");
    /* The input reaches stdin whole, then EOF; the answer is cut at the buffer's size. */
    assert_int_equal(sh("tr a-z A-Z", "xin chao ban", 5000, answer, sizeof answer, &res), 0);
    assert_string_equal(answer, "XIN CHAO BAN");
    char tiny[5];
    assert_int_equal(sh("echo 123456789", NULL, 5000, tiny, sizeof tiny, &res), 0);
    assert_string_equal(tiny, "1234");
}

static void cannot_start(void **state)
{
    (void)state;
    char answer[16], arg0[] = "khong-co";
    char *argv[] = {arg0, NULL};
    bt_child_result res;
    assert_int_equal(bt_child_run("/khong/co/chuong-trinh", argv, NULL, NULL, 1000, answer,
                                  sizeof answer, &res),
                     -1);
    assert_int_equal(res.outcome, BT_CHILD_SPAWN_FAILED);
    assert_int_equal(res.error_number, ENOENT);
}

static void hung_child_is_killed_at_its_deadline(void **state)
{
    (void)state;
    char answer[16];
    bt_child_result res;
    double t0 = now_s();
    /* exec: the shell becomes sleep, so the killed pid is the one holding stdout. */
    assert_int_equal(sh("exec sleep 30", NULL, 300, answer, sizeof answer, &res), -1);
    double took = now_s() - t0;
    assert_int_equal(res.outcome, BT_CHILD_TIMED_OUT);
    assert_true(res.pid > 0);
    assert_true(took >= 0.29);
    assert_true(took < 10.0);
}

static void crashing_child_is_told_apart(void **state)
{
    (void)state;
    char answer[16];
    bt_child_result res;
    assert_int_equal(sh("kill -SEGV $$", NULL, 5000, answer, sizeof answer, &res), -1);
    assert_int_equal(res.outcome, BT_CHILD_SIGNALED);
    assert_int_equal(res.signal_number, SIGSEGV);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers_with_and_without_input),
        cmocka_unit_test(cannot_start),
        cmocka_unit_test(hung_child_is_killed_at_its_deadline),
        cmocka_unit_test(crashing_child_is_told_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
