/* Benchmark: time of a quarterly and a yearly report over five years of synthetic logs.
 *
 *   bench_report DB [--runs N] [--cli BANGTIN]
 *
 * DB is created on first use (and reused: filling it goes through the airing log's API, one
 * durable transaction per row, which takes a while): 2021-01-01 … 2025-12-31, 20 airings a day
 * (two sessions of ten items; about 3 % missed and 2 % interrupted), screen impressions of a
 * notice every 10 s all day, rotating 20 notices (8 640 shows a day, stored as the per-day
 * totals the kiosk writes), a new playlist version with 4 targets every quarter.
 *
 * For 2025-Q4 and 2025 it times, N runs each (median, min, max in ms, and the median CPU time):
 * the log's hash-chain check alone (it walks all five years), building a report, then — the
 * figures held to the budget, < 200 ms a quarter and < 500 ms a year — build + save in CSV, XLSX, HTML and DOCX with the
 * hash-chain check the report states done inside it, as `bangtin report` does; with --cli, the
 * same as whole `bangtin report` processes (start-up, config and schedule included; their CPU
 * is the children's); and, for reference, the reports with the check done once beforehand, as
 * the USB import does for its six reports (bt_report_options.log_check). CPU time says what a
 * quiet machine would show when other work competes for the cores; the check runs on two
 * threads, so its CPU time can exceed its wall time. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_time.h"

#define FIRST_YEAR 2021
#define LAST_YEAR 2025
#define ITEMS 40
#define ITEMS_PER_SESSION 10
#define NOTICES 20
#define SHOWS_PER_DAY (24 * 3600 / 10)
#define MAX_RUNS 101
/* Budgets per report, the whole process (issue 13): a quarter < 200 ms, a year < 500 ms (a year's
 * XLSX holds ~80 000 airing-list cells, which libxlsxwriter lays out at close). */
#define QUARTER_BUDGET_MS 200.0
#define YEAR_BUDGET_MS 500.0

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this process: on a busy machine (other builds running) it says what the wall time
 * would be on a quiet one, minus I/O waits. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Deterministic pseudo-random numbers (xorshift), so every run builds the same log. */
static uint32_t rng = 2463534242u;
static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int fill_airings(bt_store *s, bt_day day, int version)
{
    static const int session_minutes[2] = {6 * 60, 17 * 60};
    static const char *const session_ids[2] = {"ban-tin-sang", "ban-tin-chieu"};
    for (int k = 0; k < 2; k++) {
        bt_wall slot = bt_time_day_start(day) + session_minutes[k] * 60;
        int64_t start_ms = (int64_t)slot * 1000 + 4000;
        for (int i = 0; i < ITEMS_PER_SESSION; i++) {
            bt_airing_subject subj;
            memset(&subj, 0, sizeof subj);
            int item = (int)((day * 7 + k * ITEMS_PER_SESSION + i) % ITEMS);
            snprintf(subj.item_id, sizeof subj.item_id, "tin-%03d", item);
            snprintf(subj.title, sizeof subj.title, "Tin bài số %d về cải cách hành chính", item);
            snprintf(subj.topic, sizeof subj.topic, "%s", item % 2 ? "cchc" : "chuyen-doi-so");
            snprintf(subj.playlist_id, sizeof subj.playlist_id, "bachmai-cchc");
            subj.playlist_version = version;
            snprintf(subj.session_id, sizeof subj.session_id, "%s", session_ids[k]);
            subj.scheduled_at = slot;
            uint32_t roll = next_random() % 100;
            int64_t id;
            if (roll < 3) {
                if (bt_airing_record(s, &subj, BT_AIRING_MISSED, "off", true, &id) != 0)
                    return -1;
                continue;
            }
            int64_t dur = 90000 + (int64_t)(next_random() % 120000);
            if (bt_airing_begin(s, &subj, start_ms, true, &id) != 0)
                return -1;
            bool cut = roll < 5;
            if (bt_airing_end(s, id, cut ? BT_AIRING_INTERRUPTED : BT_AIRING_COMPLETED,
                              cut ? "emergency" : NULL, start_ms + dur / (cut ? 3 : 1),
                              dur / (cut ? 3 : 1), true) != 0)
                return -1;
            start_ms += dur;
        }
    }
    return 0;
}

static int fill_impressions(bt_store *s, bt_day day)
{
    bt_proof_row rows[NOTICES];
    for (int n = 0; n < NOTICES; n++) {
        memset(&rows[n], 0, sizeof rows[n]);
        snprintf(rows[n].playlist_id, sizeof rows[n].playlist_id, "bachmai-cchc");
        snprintf(rows[n].notice_id, sizeof rows[n].notice_id, "thong-bao-%02d", n);
        rows[n].day = day;
        rows[n].shows = SHOWS_PER_DAY / NOTICES;
        rows[n].seconds = 10.0 * (SHOWS_PER_DAY / NOTICES);
    }
    return bt_store_add_impressions(s, rows, NOTICES);
}

static int record_version(bt_store *s, int version, bt_wall since)
{
    static char ids[4][32] = {"cchc-loa-quy", "loa-luot-thang", "man-hinh-cchc", "man-hinh-phut"};
    static char labels[2][32] = {"tin bài CCHC", "thông báo CCHC"};
    static char topic[] = "cchc";
    bt_target t[4] = {
        {ids[0], labels[0], BT_TARGET_LOUDSPEAKER, topic, BT_PERIOD_QUARTER, 2,
         BT_TARGET_COUNT_ITEMS, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, 0},
        {ids[1], labels[0], BT_TARGET_LOUDSPEAKER, NULL, BT_PERIOD_MONTH, 400,
         BT_TARGET_COUNT_AIRINGS, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, 0},
        {ids[2], labels[1], BT_TARGET_SCREEN, topic, BT_PERIOD_QUARTER, 5,
         BT_TARGET_COUNT_NOTICES, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, 0},
        {ids[3], labels[1], BT_TARGET_SCREEN, NULL, BT_PERIOD_MONTH, 6000,
         BT_TARGET_COUNT_MINUTES, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, 0},
    };
    bt_targets targets = {t, 4};
    static char nid[NOTICES][32], title[NOTICES][64];
    static char topics[2][16] = {"cchc", "dich-vu-cong"};
    static char pid[] = "bachmai-cchc";
    bt_notice notices[NOTICES];
    memset(notices, 0, sizeof notices);
    for (int n = 0; n < NOTICES; n++) {
        snprintf(nid[n], sizeof nid[n], "thong-bao-%02d", n);
        snprintf(title[n], sizeof title[n], "Thông báo số %d", n);
        notices[n].id = nid[n];
        notices[n].title = title[n];
        notices[n].topic = topics[n % 2];
        notices[n].from_day = BT_DAY_NONE_FROM;
        notices[n].until_day = BT_DAY_NONE_UNTIL;
        notices[n].weekdays = BT_WEEKDAYS_ALL;
    }
    bt_playlist p;
    bt_playlist_init(&p);
    p.id = pid;
    p.version = version;
    p.notices = notices;
    p.notice_count = NOTICES;
    return bt_targets_store_record(s, &p, &targets, since);
}

static int fill(bt_store *s)
{
    bt_day first = bt_time_day_from_ymd(FIRST_YEAR, 1, 1);
    bt_day last = bt_time_day_from_ymd(LAST_YEAR, 12, 31);
    int version = 0;
    double t0 = now_ms();
    for (bt_day d = first; d <= last; d++) {
        int y, m, dom;
        bt_time_ymd_from_day(d, &y, &m, &dom);
        if (dom == 1 && (m - 1) % 3 == 0 &&
            record_version(s, ++version, bt_time_day_start(d) + 8 * 3600) != 0)
            return -1;
        if (fill_airings(s, d, version) != 0 || fill_impressions(s, d) != 0)
            return -1;
        if (dom == 1 && m == 1)
            fprintf(stderr, "  %d … (%.0f s)\n", y, (now_ms() - t0) / 1000.0);
    }
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, min, max, cpu;
} stats;

/* CPU times of the current measurement, beside the wall times in t. */
static double cpu_t[MAX_RUNS];

static stats summarise(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, compare_doubles);
    qsort(cpu_t, (size_t)n, sizeof *cpu_t, compare_doubles);
    return (stats){t[n / 2], t[0], t[n - 1], cpu_t[n / 2]};
}

/* budget: the period's budget in ms, 0 for a reference row. */
static void print_row(const char *period, const char *what, stats st, double budget)
{
    printf("%-8s %-22s %9.1f %9.1f %9.1f %9.1f  %s\n", period, what, st.median, st.min, st.max,
           st.cpu, budget <= 0 ? "" : st.median < budget ? "PASS" : "FAIL");
}

/* Runs `bangtin --data DIR report --period CODE --format F -o PATH` and waits: a whole process,
 * as staff run it from the shell (start-up, config, the schedule's upcoming airings, the report
 * with its log check, saving). Its output goes to /dev/null. -1 if it could not run or failed. */
static int run_cli(const char *cli, const char *dir, const char *code, const char *format,
                   const char *path)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(cli, cli, "--data", dir, "report", "--period", code, "--format", format, "-o", path,
              (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* CPU time of finished children (the bangtin processes above). */
static double children_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

static void judge(const char *code, const char *what, double *t, int runs, double budget,
                  int *failed)
{
    stats st = summarise(t, runs);
    print_row(code, what, st, budget);
    if (st.median >= budget)
        (*failed)++;
}

static int bench_period(bt_store *s, const char *code, double budget, int runs, const char *dir,
                        const char *cli, int *failed)
{
    bt_period p;
    double t[MAX_RUNS];
    char err[512], path[1024], what[64];
    bt_report_options opt = {.ward = "Phường Bạch Mai", .device = "bench"};
    if (bt_report_period_parse(code, &p) != 0)
        return -1;
    for (int i = 0; i < runs; i++) {
        bt_airing_verify_result *v = malloc(sizeof *v);
        double t0 = now_ms(), c0 = cpu_ms();
        int rc = v ? bt_airing_verify(s, v) : -1;
        t[i] = now_ms() - t0;
        cpu_t[i] = cpu_ms() - c0;
        free(v);
        if (rc != 0)
            return -1;
    }
    print_row(code, "hash-chain check only", summarise(t, runs), 0);
    for (int i = 0; i < runs; i++) {
        bt_report *r = NULL;
        double t0 = now_ms(), c0 = cpu_ms();
        if (bt_report_build(s, &p, &opt, &r, err, sizeof err) != 0) {
            fprintf(stderr, "build: %s\n", err);
            return -1;
        }
        t[i] = now_ms() - t0;
        cpu_t[i] = cpu_ms() - c0;
        bt_report_destroy(r);
    }
    print_row(code, "build + check, no file", summarise(t, runs), 0);
    /* The budget: a report as `bangtin report` makes it, the log check it states included. */
    for (bt_report_format f = BT_REPORT_CSV; f <= BT_REPORT_DOCX; f++) {
        for (int i = 0; i < runs; i++) {
            snprintf(path, sizeof path, "%s/bench-report.%s", dir, bt_report_format_name(f));
            double t0 = now_ms(), c0 = cpu_ms();
            if (bt_report_write(s, &p, f, path, &opt) != 0)
                return -1;
            t[i] = now_ms() - t0;
            cpu_t[i] = cpu_ms() - c0;
        }
        snprintf(what, sizeof what, "%s, check included", bt_report_format_name(f));
        judge(code, what, t, runs, budget, failed);
    }
    /* The same as a whole `bangtin report` process, when the benchmark was given the binary. */
    for (bt_report_format f = BT_REPORT_CSV; cli && f <= BT_REPORT_DOCX; f++) {
        for (int i = 0; i < runs; i++) {
            snprintf(path, sizeof path, "%s/bench-cli.%s", dir, bt_report_format_name(f));
            double t0 = now_ms(), c0 = children_cpu_ms();
            if (run_cli(cli, dir, code, bt_report_format_name(f), path) != 0) {
                fprintf(stderr, "%s report failed\n", cli);
                return -1;
            }
            t[i] = now_ms() - t0;
            cpu_t[i] = children_cpu_ms() - c0;
        }
        snprintf(what, sizeof what, "%s, bangtin report", bt_report_format_name(f));
        judge(code, what, t, runs, budget, failed);
    }
    /* For reference: the log checked once beforehand, as the USB import does for its reports
     * (bt_report_options.log_check). */
    bt_airing_verify_result *checked = malloc(sizeof *checked);
    if (!checked || bt_airing_verify(s, checked) != 0) {
        free(checked);
        return -1;
    }
    bt_report_options pre = opt;
    pre.log_check = checked;
    for (bt_report_format f = BT_REPORT_CSV; f <= BT_REPORT_DOCX; f++) {
        for (int i = 0; i < runs; i++) {
            snprintf(path, sizeof path, "%s/bench-report.%s", dir, bt_report_format_name(f));
            double t0 = now_ms(), c0 = cpu_ms();
            if (bt_report_write(s, &p, f, path, &pre) != 0) {
                free(checked);
                return -1;
            }
            t[i] = now_ms() - t0;
            cpu_t[i] = cpu_ms() - c0;
        }
        snprintf(what, sizeof what, "%s, checked before", bt_report_format_name(f));
        print_row(code, what, summarise(t, runs), 0);
    }
    free(checked);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 9;
    const char *cli = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_report DB [--runs N] [--cli BANGTIN]\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--cli") == 0)
            cli = argv[i + 1];
    }
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "--runs: 1..%d\n", MAX_RUNS);
        return 2;
    }
    bool exists = access(argv[1], F_OK) == 0;
    bt_store *s = NULL;
    char err[512];
    if (bt_store_open(argv[1], &s, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (!exists) {
        fprintf(stderr, "filling %s with %d–%d …\n", argv[1], FIRST_YEAR, LAST_YEAR);
        if (fill(s) != 0) {
            fprintf(stderr, "filling failed\n");
            bt_store_close(s);
            remove(argv[1]);
            return 2;
        }
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    /* bangtin finds its database as DIR/bangtin.db: only then is it the same one. */
    const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    if (cli && strcmp(base, BT_STORE_FILE) != 0) {
        fprintf(stderr, "--cli skipped: bangtin reads DIR/%s, not %s\n", BT_STORE_FILE, base);
        cli = NULL;
    }
    char host[256] = "?";
    gethostname(host, sizeof host);
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    printf("bangtin report benchmark — %s, %s, %ld CPUs, load %.2f %.2f %.2f, SHA-NI %s; %d runs "
           "each; database %s\n",
           when, host, sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2],
           bt_sha256_native() ? "yes" : "no", runs, argv[1]);
    printf("%-8s %-22s %9s %9s %9s %9s  budget < %.0f ms a quarter, < %.0f ms a year (wall "
           "median)\n", "period", "what", "median", "min", "max", "cpu", QUARTER_BUDGET_MS,
           YEAR_BUDGET_MS);
    int failed = 0;
    if (bench_period(s, "2025-Q4", QUARTER_BUDGET_MS, runs, dir, cli, &failed) != 0 ||
        bench_period(s, "2025", YEAR_BUDGET_MS, runs, dir, cli, &failed) != 0) {
        fprintf(stderr, "benchmark failed\n");
        bt_store_close(s);
        return 2;
    }
    bt_store_close(s);
    return failed ? 1 : 0;
}
