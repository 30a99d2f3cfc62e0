/* bt_child_run's Windows side (src/os/child_windows.c), run under wine by scripts/test-windows:
 * the cases tests/integration/test_child.c holds the POSIX side to, with this program as its
 * own child. Each way a child can end — it answers (with input on stdin, and with arguments
 * that need quoting, in Vietnamese), it cannot be started, it hangs past its deadline and is
 * killed, it dies of a fault or of abort() — must be told apart as on the appliance. Prints one
 * line per case (ĐẠT/LỖI) and exits with the number of failures. Built only for Windows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_child.h"
#include "bangtin/bt_os.h"

static int failures;

static void report(int ok, const char *what, const char *detail)
{
    printf("%s   child %s%s%s\n", ok ? "ĐẠT" : "LỖI", what, detail[0] ? ": " : "", detail);
    failures += !ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child's sides. */
static int child(int argc, char **argv)
{
    const char *mode = argv[2];
    if (strcmp(mode, "upper") == 0) { /* stdin to stdout, ASCII letters upper-cased */
        int c;
        while ((c = getchar()) != EOF)
            putchar(c >= 'a' && c <= 'z' ? c - 32 : c);
        return 0;
    }
    if (strcmp(mode, "args") == 0) { /* each argument after the mode on its own line */
        for (int i = 3; i < argc; i++)
            printf("%s\n", argv[i]);
        return 0;
    }
    if (strcmp(mode, "hang") == 0) {
        struct timespec ts = {30, 0};
        nanosleep(&ts, NULL);
        return 0;
    }
    if (strcmp(mode, "fault") == 0) {
        volatile int *nowhere = NULL;
        *nowhere = 1; /* an access violation, as a decoder's bad pointer */
        return 0;
    }
    if (strcmp(mode, "abort") == 0)
        abort();
    return 2;
}

static int run(const char *self, const char *mode, char **extra, const char *input,
               int timeout_ms, char *answer, size_t size, bt_child_result *res)
{
    char arg0[] = "child_probe", arg1[] = "--child", arg2[32];
    snprintf(arg2, sizeof arg2, "%s", mode);
    char *argv[16] = {arg0, arg1, arg2};
    size_t n = 3;
    for (size_t i = 0; extra && extra[i] && n < 15; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return bt_child_run(self, argv, NULL, input, timeout_ms, answer, size, res);
}

int main(int argc, char **argv)
{
    bt_os_init(&argc, &argv);
    if (argc >= 3 && strcmp(argv[1], "--child") == 0)
        return child(argc, argv);
    char self[4096], answer[512], detail[700];
    bt_os_self_exe(self, sizeof self);
    bt_child_result res;

    int rc = run(self, "upper", NULL, "xin chao ban, Ủy ban", 10000, answer, sizeof answer, &res);
    snprintf(detail, sizeof detail, "\"%s\"", answer);
    report(rc == 0 && res.outcome == BT_CHILD_ANSWERED && strcmp(answer, "XIN CHAO BAN, ỦY BAN") == 0,
           "answers with its input on stdin", detail);

    /* Spaces, quotes, trailing backslashes and Vietnamese: each argument arrives unchanged. */
    char a1[] = "Thư mục phường\\", a2[] = "say \"xin chào\"", a3[] = "C:\\a b\\\\", a4[] = "";
    char *extra[] = {a1, a2, a3, a4, NULL};
    rc = run(self, "args", extra, NULL, 10000, answer, sizeof answer, &res);
    char expected[512];
    snprintf(expected, sizeof expected, "%s\n%s\n%s\n%s\n", a1, a2, a3, a4);
    snprintf(detail, sizeof detail, "%s", rc == 0 && strcmp(answer, expected) == 0 ?
             "spaces, quotes, backslashes, Vietnamese, an empty one" : answer);
    report(rc == 0 && strcmp(answer, expected) == 0, "gets its arguments unchanged", detail);

    char arg0[] = "khong-co";
    char *none[] = {arg0, NULL};
    rc = bt_child_run("C:\\khong\\co\\chuong-trinh.exe", none, NULL, NULL, 1000, answer,
                      sizeof answer, &res);
    snprintf(detail, sizeof detail, "errno %d", res.error_number);
    report(rc == -1 && res.outcome == BT_CHILD_SPAWN_FAILED && res.error_number == ENOENT,
           "that cannot be started", detail);

    double t0 = now_s();
    rc = run(self, "hang", NULL, NULL, 500, answer, sizeof answer, &res);
    double took = now_s() - t0;
    snprintf(detail, sizeof detail, "killed after %.2f s (deadline 0.5 s)", took);
    report(rc == -1 && res.outcome == BT_CHILD_TIMED_OUT && res.pid > 0 && took >= 0.45 &&
               took < 10.0,
           "that hangs", detail);

    /* A child that hangs without reading its input: the writer thread must not hold us. */
    static char big[200000];
    memset(big, 'a', sizeof big - 1);
    t0 = now_s();
    rc = run(self, "hang", NULL, big, 500, answer, sizeof answer, &res);
    took = now_s() - t0;
    snprintf(detail, sizeof detail, "killed after %.2f s with 200 kB unread", took);
    report(rc == -1 && res.outcome == BT_CHILD_TIMED_OUT && took < 10.0,
           "that hangs without reading its input", detail);

    rc = run(self, "fault", NULL, NULL, 10000, answer, sizeof answer, &res);
    snprintf(detail, sizeof detail, "signal %d", res.signal_number);
    /* The numbers of the appliance's signals (Linux), which its messages name. */
    report(rc == -1 && res.outcome == BT_CHILD_SIGNALED && res.signal_number == 11,
           "that dies of an access violation (as SIGSEGV, 11)", detail);

    rc = run(self, "abort", NULL, NULL, 10000, answer, sizeof answer, &res);
    snprintf(detail, sizeof detail, "signal %d", res.signal_number);
    report(rc == -1 && res.outcome == BT_CHILD_SIGNALED && res.signal_number == 6,
           "that calls abort() (as SIGABRT, 6)", detail);
    return failures;
}
