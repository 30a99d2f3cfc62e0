/* Benchmark: the loudspeaker's timing on the real clock and the scheduler's speed (issue 3).
 *
 *   bench_broadcast [--airings N] [--period S] [--runs N] [--no-audio] [--no-simulate]
 *                   [--keep] [--tmp DIR] [--skew-ms MS]
 *
 * Part 1, playout (about N × S seconds; defaults 24 × 4 s). N sessions (a 0.5 s chime, one 1 s
 * item, the chime again) go through the real playout engine (bt_audio) to SDL's disk driver,
 * the OGG item decoded in a `bangtin decode-audio` child at each session as the kiosk does,
 * which writes what the loudspeaker would get into a raw file in real time. Each session is
 * scheduled on a whole second of the wall clock, S seconds apart, and handed to the engine
 * bt_audio_lead_ms + 250 ms before it, with a monotonic deadline computed from a (wall, mono)
 * sample taken then: what the broadcaster does. The test audio is made here with sox (tones,
 * so that any silence inside a session is a gap, not content). Measured per session:
 *   - start deviation, from the engine's STARTED event (its own estimate: the callback's clock
 *     plus the frame where it placed the first sound), and
 *   - start deviation, from the output: a thread watches the raw file with inotify and records
 *     when it grows (device buffers, two at a time through stdio: see output_facts); the first
 *     non-silent frame of the session in the file, placed inside the buffer that holds it,
 *     gives when the sound reached the "device". This one does not trust the engine's
 *     arithmetic, and includes the callback's and the watcher's wake-up latency (so it leans
 *     late).
 *   - the gap between chime and item: from the events' frames (chime ENDED vs item STARTED, item
 *     ENDED vs closing chime STARTED), and in the output file: the longest silent run at the
 *     chime → item join (the tones cross zero only for a sample), anywhere inside the session,
 *     and the session's length in the file against the frames the events report.
 * Part 2, scheduler: bt_simulate over 2025-10-01..2025-12-31 (92 days) for two quarters of 552
 * slots, timed --runs times after one untimed run: six daily sessions with a 2-day power cut
 * (the shape of the unit test's 552-slot quarter), and the same with the appliance off every
 * Monday and room for one makeup a day (78 missed, 74 made up: the makeup search works hard).
 *
 * --skew-ms tells the engine a deadline MS later than the one measured against: a check that
 * both start figures see a real error (they should move by MS), not a run for the budgets.
 *
 * Budgets (issue 3): start deviation median ≤ 20 ms and max ≤ 50 ms (absolute values), gap
 * ≤ 10 ms, simulation of a quarter < 0.1 s (median). Exit 0 when every budget passes, 1 when
 * one fails, 2 when the benchmark could not run. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_time.h"

#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL
#define RATE BT_AUDIO_RATE
#define FRAME_BYTES ((int64_t)(sizeof(int16_t) * BT_AUDIO_CHANNELS))
/* Output samples at or below this (about −50 dBFS) are silence; the tones at −16 LUFS peak near
 * 5 000, so a zero crossing leaves at most one silent sample. */
#define SILENCE 100
/* A silent stretch this long ends a session's span in the output file. */
#define SPAN_BREAK_FRAMES (RATE / 2)
/* The broadcaster arms a session this much before its lead time (ARM_MARGIN_MS there). */
#define ARM_MARGIN_MS 250
#define TARGET_LUFS (-16.0)
#define CHIME_TONE_SECONDS 0.25
#define ITEM_SECONDS 1.0

/* Budgets of issue 3. */
#define BUDGET_MEDIAN_MS 20.0
#define BUDGET_MAX_MS 50.0
#define BUDGET_GAP_MS 10.0
#define BUDGET_SIMULATE_MS 100.0

#define MIN_AIRINGS_FOR_BUDGET 20
#define MIN_RUNS_FOR_BUDGET 20

typedef struct {
    int airings;
    int period_s;
    int runs;
    int skew_ms;              /* diagnostic: the engine is told deadline + skew */
    bool audio, simulate, keep;
    const char *tmp_parent;
} options;

/* ---- clocks and small helpers ------------------------------------------------------------- */

static bt_mono_ns mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t wall_ns_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* The wall clock and the monotonic clock at (nearly) the same instant: the wall reading between
 * the two monotonic readings that lie closest together of a few tries. */
static void clock_pair(int64_t *wall_ns, bt_mono_ns *mono)
{
    bt_mono_ns best = INT64_MAX;
    for (int i = 0; i < 5; i++) {
        bt_mono_ns m1 = mono_now();
        int64_t w = wall_ns_now();
        bt_mono_ns m2 = mono_now();
        if (m2 - m1 < best) {
            best = m2 - m1;
            *wall_ns = w;
            *mono = m1 + (m2 - m1) / 2;
        }
    }
}

/* CPU time of this thread: what a run costs, whatever else the machine is doing. */
static bt_mono_ns thread_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (bt_mono_ns)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_until(bt_mono_ns t)
{
    struct timespec ts = {(time_t)(t / NS_PER_S), (long)(t % NS_PER_S)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static void sleep_ms(int ms)
{
    sleep_until(mono_now() + (bt_mono_ns)ms * NS_PER_MS);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, min, max;
    size_t n;
} stats;

/* Sorts v in place. */
static stats stats_of(double *v, size_t n)
{
    stats s = {NAN, NAN, NAN, n};
    if (n == 0)
        return s;
    qsort(v, n, sizeof *v, compare_doubles);
    s.min = v[0];
    s.max = v[n - 1];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    return s;
}

/* ---- the machine -------------------------------------------------------------------------- */

static void read_first_line(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static void cpu_model(char *out, size_t size)
{
    snprintf(out, size, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                snprintf(out, size, "%s", colon);
                out[strcspn(out, "\n")] = '\0';
            }
            break;
        }
    }
    fclose(f);
}

/* What `nproc` says (CPUs this process may use), else the online count. */
static long usable_cpus(void)
{
    long n = -1;
    FILE *p = popen("nproc 2>/dev/null", "r");
    if (p) {
        if (fscanf(p, "%ld", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n > 0 ? n : sysconf(_SC_NPROCESSORS_ONLN);
}

static void load_average(char *out, size_t size)
{
    char line[128];
    read_first_line("/proc/loadavg", line, sizeof line);
    double a = 0, b = 0, c = 0;
    if (sscanf(line, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(out, size, "%.2f %.2f %.2f", a, b, c);
    else
        snprintf(out, size, "?");
}

/* ---- the result table --------------------------------------------------------------------- */

typedef enum { VERDICT_INFO, VERDICT_PASS, VERDICT_FAIL } verdict;

typedef struct {
    char figure[96];
    char measured[160];
    char budget[24];
    verdict v;
} row;

#define MAX_ROWS 32

typedef struct {
    row rows[MAX_ROWS];
    size_t n;
    int failed;
} table;

static void add_row(table *t, const char *figure, const char *budget, verdict v, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void add_row(table *t, const char *figure, const char *budget, verdict v, const char *fmt,
                    ...)
{
    if (t->n == MAX_ROWS)
        return;
    row *r = &t->rows[t->n++];
    snprintf(r->figure, sizeof r->figure, "%s", figure);
    snprintf(r->budget, sizeof r->budget, "%s", budget);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->measured, sizeof r->measured, fmt, ap);
    va_end(ap);
    r->v = v;
    if (v == VERDICT_FAIL)
        t->failed++;
}

/* Columns measured in characters, not bytes (the figures may hold "→" or "≤"). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void print_padded(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t n = utf8_chars(s); n < width; n++)
        putchar(' ');
}

static void print_table(const table *t)
{
    size_t w[3] = {strlen("figure"), strlen("measured"), strlen("budget")};
    for (size_t i = 0; i < t->n; i++) {
        const row *r = &t->rows[i];
        size_t c[3] = {utf8_chars(r->figure), utf8_chars(r->measured), utf8_chars(r->budget)};
        for (int k = 0; k < 3; k++)
            if (c[k] > w[k])
                w[k] = c[k];
    }
    const char *heads[3] = {"figure", "measured", "budget"};
    for (int k = 0; k < 3; k++) {
        print_padded(heads[k], w[k]);
        fputs("  ", stdout);
    }
    puts("result");
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < w[k]; i++)
            putchar('-');
        fputs("  ", stdout);
    }
    puts("------");
    static const char *const words[3] = {"info", "PASS", "FAIL"};
    for (size_t i = 0; i < t->n; i++) {
        const row *r = &t->rows[i];
        print_padded(r->figure, w[0]);
        fputs("  ", stdout);
        print_padded(r->measured, w[1]);
        fputs("  ", stdout);
        print_padded(r->budget, w[2]);
        fputs("  ", stdout);
        puts(words[r->v]);
    }
}

static verdict judge(bool ok)
{
    return ok ? VERDICT_PASS : VERDICT_FAIL;
}

/* ---- part 2: the simulated quarter -------------------------------------------------------- */

/* A model built in static storage: the strings are writable arrays because the model's fields
 * are `char *` (it owns them when a playlist is parsed; here nothing is freed). */
typedef struct {
    bt_broadcasts b;
    bt_broadcast_item items[2];
    bt_broadcast_session sessions[6];
    bt_broadcast_limits lim;
} quarter_model;

static char item_a_id[] = "tin-cchc-a", item_b_id[] = "tin-cchc-b";
static char session_ids[6][4] = {"s1", "s2", "s3", "s4", "s5", "s6"};

/* Six sessions a day inside the ward's two windows (05:30–07:00, 16:30–18:30), two items each
 * (90 s and 75 s, one of them priority), makeups allowed within the quarter: 6 × 92 = 552
 * slots. per_day is the ward's maximum sessions a day (6: no room for makeups; 7: one a day). */
static void quarter_build(quarter_model *q, int per_day)
{
    memset(q, 0, sizeof *q);
    q->b.items = q->items;
    q->b.sessions = q->sessions;
    char *ids[2] = {item_a_id, item_b_id};
    const double seconds[2] = {90, 75};
    for (size_t i = 0; i < 2; i++) {
        bt_broadcast_item *it = &q->items[q->b.item_count++];
        it->id = ids[i];
        it->title = ids[i];
        it->audio = ids[i];
        it->priority = i ? BT_BROADCAST_PRIORITY : BT_BROADCAST_NORMAL;
        it->duration_seconds = seconds[i];
    }
    static const int minutes[6] = {5 * 60 + 40, 6 * 60 + 10, 6 * 60 + 40,
                                   16 * 60 + 40, 17 * 60 + 20, 18 * 60};
    for (size_t i = 0; i < 6; i++) {
        bt_broadcast_session *s = &q->sessions[q->b.session_count++];
        s->id = session_ids[i];
        s->name = session_ids[i];
        s->weekdays = BT_WEEKDAYS_ALL;
        s->from_day = BT_DAY_NONE_FROM;
        s->until_day = BT_DAY_NONE_UNTIL;
        s->makeup = BT_MAKEUP_QUARTER;
        s->times[s->time_count++] = (int16_t)minutes[i];
        s->items[s->item_count++] = i % 2;
        s->items[s->item_count++] = (i + 1) % 2;
    }
    q->lim.windows[0].start_minute = 5 * 60 + 30;
    q->lim.windows[0].end_minute = 7 * 60;
    q->lim.windows[1].start_minute = 16 * 60 + 30;
    q->lim.windows[1].end_minute = 18 * 60 + 30;
    q->lim.window_count = 2;
    q->lim.max_sessions_per_day = per_day;
    q->lim.max_session_minutes = 15;
}

/* "# tổng kết lịch: 552 lượt; phát theo lịch 540, phát bù 0, không bù được 0, còn chờ bù 12" */
static int parse_fates(const char *text, long fates[5])
{
    const char *p = strstr(text, "# tổng kết lịch: ");
    if (!p)
        return -1;
    if (sscanf(p, "# tổng kết lịch: %ld lượt; phát theo lịch %ld, phát bù %ld, không bù được "
                  "%ld, còn chờ bù %ld",
               &fates[0], &fates[1], &fates[2], &fates[3], &fates[4]) != 5)
        return -1;
    return 0;
}

static long parse_event_count(const char *text, const char *name)
{
    const char *p = strstr(text, "# tổng kết sự kiện:");
    char key[32];
    snprintf(key, sizeof key, " %s=", name);
    p = p ? strstr(p, key) : NULL;
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

typedef struct {
    const char *name;
    int per_day;
    bt_wall_span off[16];
    size_t off_count;
} scenario;

static int time_scenario(const scenario *sc, int runs, table *t)
{
    quarter_model q;
    quarter_build(&q, sc->per_day);
    bt_simulation sim = {bt_time_day_from_ymd(2025, 10, 1), bt_time_day_from_ymd(2025, 12, 31),
                         sc->off, sc->off_count, 4.0};
    char *text = NULL;
    bt_mono_ns t0 = mono_now();
    if (bt_simulate(&q.b, &q.lim, &sim, &text) != 0) {
        fprintf(stderr, "bench_broadcast: bt_simulate failed (%s)\n", sc->name);
        return -1;
    }
    double cold_ms = (double)(mono_now() - t0) / NS_PER_MS;
    long fates[5];
    if (parse_fates(text, fates) != 0) {
        fprintf(stderr, "bench_broadcast: no summary in the timeline (%s)\n", sc->name);
        free(text);
        return -1;
    }
    long missed = parse_event_count(text, "missed");
    long made_up = parse_event_count(text, "made-up");
    size_t length = strlen(text);
    free(text);

    double *ms = calloc((size_t)runs, sizeof *ms), *cpu = calloc((size_t)runs, sizeof *cpu);
    if (!ms || !cpu) {
        free(ms);
        free(cpu);
        return -1;
    }
    for (int i = 0; i < runs; i++) {
        text = NULL;
        bt_mono_ns c0 = thread_cpu_now();
        t0 = mono_now();
        int rc = bt_simulate(&q.b, &q.lim, &sim, &text);
        ms[i] = (double)(mono_now() - t0) / NS_PER_MS;
        cpu[i] = (double)(thread_cpu_now() - c0) / NS_PER_MS;
        free(text);
        if (rc != 0) {
            free(ms);
            free(cpu);
            return -1;
        }
    }
    stats s = stats_of(ms, (size_t)runs), c = stats_of(cpu, (size_t)runs);
    free(ms);
    free(cpu);

    char figure[96];
    snprintf(figure, sizeof figure, "simulate a quarter: %s", sc->name);
    bool enough = runs >= MIN_RUNS_FOR_BUDGET && fates[0] >= 500;
    add_row(t, figure, "< 100 ms", enough ? judge(s.median < BUDGET_SIMULATE_MS) : VERDICT_FAIL,
            "median %.2f ms (min %.2f, max %.2f; n=%zu); CPU median %.2f ms", s.median, s.min,
            s.max, s.n, c.median);
    add_row(t, "  slots; on time / made up / lost / waiting", "", VERDICT_INFO,
            "%ld; %ld / %ld / %ld / %ld (missed=%ld, made-up=%ld)", fates[0], fates[1], fates[2],
            fates[3], fates[4], missed, made_up);
    add_row(t, "  first run (not counted); timeline text", "", VERDICT_INFO,
            "%.2f ms; %zu bytes", cold_ms, length);
    return 0;
}

static int bench_simulate(int runs, table *t)
{
    scenario cut = {"552 slots, off 2 days", 6, {{0, 0}}, 0};
    if (bt_simulate_parse_off("2025-11-10 00:00..2025-11-12 00:00", &cut.off[0]) != 0)
        return -1;
    cut.off_count = 1;

    /* Off every Monday (13 in the quarter, 6 slots each), one makeup a day allowed. */
    scenario mondays = {"552 slots, off 13 Mondays", 7, {{0, 0}}, 0};
    bt_day monday = bt_time_day_from_ymd(2025, 10, 6);
    for (int w = 0; w < 13; w++) {
        bt_day d = monday + 7 * w;
        mondays.off[mondays.off_count].from = bt_time_day_start(d);
        mondays.off[mondays.off_count].until = bt_time_day_start(d + 1);
        mondays.off_count++;
    }
    if (time_scenario(&cut, runs, t) != 0 || time_scenario(&mondays, runs, t) != 0)
        return -1;
    return 0;
}

/* ---- part 1: playout on the real clock ---------------------------------------------------- */

/* When the raw output file grew to how many bytes, as the watcher saw it. */
typedef struct {
    bt_mono_ns mono;
    int64_t size;
} growth;

typedef struct {
    int inotify_fd;
    int file_fd;
    SDL_atomic_t stop;
    growth *v;
    size_t n, cap;
    bool failed;
} watcher;

/* Records the file's size each time inotify says it was written. Blocks in poll, so it costs
 * nothing between the device's writes. */
static int watcher_thread(void *arg)
{
    watcher *w = arg;
    _Alignas(struct inotify_event) char buf[4096];
    int64_t last = -1;
    while (!SDL_AtomicGet(&w->stop)) {
        struct pollfd pfd = {w->inotify_fd, POLLIN, 0};
        int rc = poll(&pfd, 1, 100);
        if (rc <= 0)
            continue;
        bt_mono_ns now = mono_now();
        if (read(w->inotify_fd, buf, sizeof buf) <= 0)
            continue;
        struct stat st;
        if (fstat(w->file_fd, &st) != 0 || (int64_t)st.st_size == last)
            continue;
        last = (int64_t)st.st_size;
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 8192;
            growth *v = realloc(w->v, cap * sizeof *v);
            if (!v) {
                w->failed = true;
                break;
            }
            w->v = v;
            w->cap = cap;
        }
        w->v[w->n].mono = now;
        w->v[w->n].size = last;
        w->n++;
    }
    return 0;
}

typedef struct {
    int64_t scheduled;        /* the whole wall second it was scheduled for */
    bt_mono_ns deadline;      /* that second on the monotonic clock, when it was handed over */
    bt_mono_ns handed;        /* when bt_audio_start was called */
    bool started, complete, failed;
    char reason[BT_AUDIO_REASON_BYTES];
    bt_mono_ns start_mono;    /* STARTED (opening chime) */
    int64_t start_wall_ms;
    int64_t chime_end, item_start, item_end, close_start, close_end; /* event frames */
    int64_t chime_frames, item_frames;
    /* From the output file. */
    bool found;
    int64_t onset, span;      /* first non-silent frame, frames until the last non-silent one */
    double output_dev_ms;
    bool output_exact;        /* its buffer was the last of a growth step: no period estimated */
    double join_silence_ms;   /* longest silent run at the chime → item join */
    double inner_silence_ms;  /* longest silent run anywhere inside the span */
    bool join_heard;          /* chime's 880 Hz before the join, the item's 440 Hz after */
} airing;

static void on_event(airing *a, const bt_audio_event *e)
{
    bool chime = e->item < 0;
    switch (e->kind) {
    case BT_AUDIO_STARTED:
        if (chime && !e->closing_chime) {
            a->started = true;
            a->start_mono = e->mono;
            a->start_wall_ms = e->wall_ms;
        } else if (chime) {
            a->close_start = e->frame;
        } else {
            a->item_start = e->frame;
        }
        break;
    case BT_AUDIO_ENDED:
        if (chime && !e->closing_chime) {
            a->chime_end = e->frame;
            a->chime_frames = e->frames;
        } else if (chime) {
            a->close_end = e->frame;
            a->complete = !a->failed;
        } else {
            a->item_end = e->frame;
            a->item_frames = e->frames;
        }
        break;
    case BT_AUDIO_INTERRUPTED:
    case BT_AUDIO_FAILED:
    case BT_AUDIO_CANCELLED:
        a->failed = true;
        a->complete = false;
        snprintf(a->reason, sizeof a->reason, "%s", e->reason);
        break;
    case BT_AUDIO_SESSION_ENDED:
        break;
    }
}

/* Polls the engine until SESSION_ENDED; -1 after timeout_ms. */
static int collect(bt_audio *engine, airing *a, int timeout_ms)
{
    bt_mono_ns until = mono_now() + (bt_mono_ns)timeout_ms * NS_PER_MS;
    for (;;) {
        bt_audio_event e;
        while (bt_audio_poll(engine, &e)) {
            on_event(a, &e);
            if (e.kind == BT_AUDIO_SESSION_ENDED)
                return 0;
        }
        if (mono_now() > until)
            return -1;
        sleep_ms(2);
    }
}

static int run_command(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "bench_broadcast: failed (%d): %s\n", rc, cmd);
        return -1;
    }
    return 0;
}

/* The test audio, made with sox: a two-tone chime (1175 Hz then 880 Hz, 0.25 s each, WAV
 * 48 kHz) and a 1 s item (440 Hz, OGG 44.1 kHz mono, quiet: the engine must add gain and
 * resample, as for a real item). 3 ms fades; no silence at either end. */
static int make_audio(const char *dir, char *chime, char *item, size_t size)
{
    char cmd[8192]; /* six paths of at most 1 KiB and the words around them */
    snprintf(chime, size, "%s/chuong.wav", dir);
    snprintf(item, size, "%s/tin.ogg", dir);
    snprintf(cmd, sizeof cmd,
             "sox -R -n -r 48000 -c 1 '%s/c1.wav' synth %.2f sine 1175 gain -20 && "
             "sox -R -n -r 48000 -c 1 '%s/c2.wav' synth %.2f sine 880 gain -20 && "
             "sox -R '%s/c1.wav' '%s/c2.wav' '%s' fade t 0.003 -0 0.003 && "
             "sox -R -n -r 44100 -c 1 '%s' synth %.2f sine 440 gain -30 fade t 0.003 -0 0.003",
             dir, CHIME_TONE_SECONDS, dir, CHIME_TONE_SECONDS, dir, dir, chime, item,
             ITEM_SECONDS);
    return run_command(cmd);
}

static bool silent_at(const int16_t *pcm, int64_t i)
{
    return abs(pcm[2 * i]) <= SILENCE && abs(pcm[2 * i + 1]) <= SILENCE;
}

/* Dominant frequency from the left channel's zero crossings over [from, from + n). */
static double frequency(const int16_t *pcm, int64_t from, int64_t n)
{
    int64_t crossings = 0;
    for (int64_t i = from + 1; i < from + n; i++)
        if ((pcm[2 * (i - 1)] < 0) != (pcm[2 * i] < 0))
            crossings++;
    return (double)crossings * RATE / (2.0 * (double)n);
}

/* Longest run of silent frames within [lo, hi) that touches [from, to). */
static int64_t silent_run(const int16_t *pcm, int64_t lo, int64_t hi, int64_t from, int64_t to)
{
    int64_t best = 0;
    for (int64_t i = from < lo ? lo : from; i < to && i < hi; i++) {
        if (!silent_at(pcm, i))
            continue;
        int64_t a = i, b = i;
        while (a > lo && silent_at(pcm, a - 1))
            a--;
        while (b + 1 < hi && silent_at(pcm, b + 1))
            b++;
        if (b - a + 1 > best)
            best = b - a + 1;
        i = b;
    }
    return best;
}

/* How the disk driver's output reached the file. SDL hands the driver one buffer per callback
 * and the driver fwrite()s it; stdio then holds every other 4 KiB buffer until the next one
 * arrives (glibc fills its empty 4 KiB buffer instead of writing through), so the file grows by
 * two buffers every two periods. The last buffer of each growth step reached the file when it
 * was handed over; an earlier one in the same step was handed over whole periods before. */
typedef struct {
    int64_t buffer_frames;    /* one device buffer: the smallest growth step */
    double period_ms;         /* median time per buffer between growth steps */
    double step_median_ms, step_max_ms; /* time between growth steps */
    size_t steps, multi;      /* growth steps; steps of more than one buffer */
    size_t spans;             /* sound spans found in the file */
    size_t onsets_exact, onsets_estimated;
} output_facts;

static int model_output(const watcher *w, output_facts *facts)
{
    int64_t smallest = INT64_MAX;
    for (size_t i = 1; i < w->n; i++) {
        int64_t step = w->v[i].size - w->v[i - 1].size;
        if (step > 0 && step < smallest)
            smallest = step;
    }
    if (smallest == INT64_MAX || smallest % FRAME_BYTES != 0)
        return -1;
    facts->buffer_frames = smallest / FRAME_BYTES;
    double *per = calloc(w->n + 1, sizeof *per), *gap = calloc(w->n + 1, sizeof *gap);
    if (!per || !gap) {
        free(per);
        free(gap);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 2; i < w->n; i++) { /* from the second step: the first one has no "before" */
        int64_t step = w->v[i].size - w->v[i - 1].size;
        if (step <= 0)
            continue;
        double ms = (double)(w->v[i].mono - w->v[i - 1].mono) / NS_PER_MS;
        gap[n] = ms;
        per[n] = ms / ((double)step / (double)smallest);
        n++;
        facts->multi += step > smallest;
    }
    facts->steps = n;
    stats sp = stats_of(per, n), sg = stats_of(gap, n);
    facts->period_ms = sp.median;
    facts->step_median_ms = sg.median;
    facts->step_max_ms = sg.max;
    free(per);
    free(gap);
    return n > 0 ? 0 : -1;
}

/* When frame f was handed to the device: the first time the watcher saw the file hold the
 * buffer that contains it, less one period for each buffer that came after it in the same
 * growth step (*exact false then), plus f's place inside its buffer. -1 if never seen. */
static bt_mono_ns output_time_of(const watcher *w, const output_facts *m, int64_t f, bool *exact)
{
    int64_t frames = m->buffer_frames;
    int64_t buffer = f / frames;
    int64_t need = (buffer + 1) * frames * FRAME_BYTES;
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->v[mid].size >= need)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo == w->n)
        return -1;
    int64_t behind = w->v[lo].size / FRAME_BYTES / frames - 1 - buffer;
    *exact = behind == 0;
    return w->v[lo].mono - (bt_mono_ns)llround((double)behind * m->period_ms * NS_PER_MS) +
           (f - buffer * frames) * NS_PER_S / RATE;
}

/* Finds each session's span in the raw output and measures it against its airing. */
static int analyse_output(const char *raw, const watcher *w, airing *air, int count,
                          output_facts *facts)
{
    memset(facts, 0, sizeof *facts);
    if (model_output(w, facts) != 0) {
        fprintf(stderr, "bench_broadcast: the output file did not grow as expected\n");
        return -1;
    }
    FILE *f = fopen(raw, "rb");
    if (!f) {
        fprintf(stderr, "bench_broadcast: cannot open %s\n", raw);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    int16_t *pcm = malloc(len > 0 ? (size_t)len : 1);
    if (!pcm || fread(pcm, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(pcm);
        fprintf(stderr, "bench_broadcast: cannot read %s\n", raw);
        return -1;
    }
    fclose(f);
    int64_t frames = len / FRAME_BYTES;

    int k = 0; /* the next airing that sounded */
    int64_t i = 0;
    while (i < frames) {
        if (silent_at(pcm, i)) {
            i++;
            continue;
        }
        int64_t start = i, last = i, quiet = 0;
        for (i = start; i < frames && quiet < SPAN_BREAK_FRAMES; i++) {
            if (silent_at(pcm, i)) {
                quiet++;
            } else {
                quiet = 0;
                last = i;
            }
        }
        facts->spans++;
        while (k < count && !air[k].started)
            k++;
        if (k == count)
            continue; /* more sound than sessions: counted, shown as a mismatch */
        airing *a = &air[k++];
        a->found = true;
        a->onset = start;
        a->span = last + 1 - start;
        bool exact = false;
        bt_mono_ns at = output_time_of(w, facts, start, &exact);
        a->output_dev_ms = at < 0 ? NAN : (double)(at - a->deadline) / NS_PER_MS;
        a->output_exact = exact;
        if (at >= 0) {
            facts->onsets_exact += exact;
            facts->onsets_estimated += !exact;
        }
        int64_t join = start + a->chime_end;
        int64_t end = last + 1;
        a->join_silence_ms =
            (double)silent_run(pcm, start, end, join - RATE / 100, join + RATE / 100) * 1000.0 /
            RATE;
        a->inner_silence_ms = (double)silent_run(pcm, start, end, start, end) * 1000.0 / RATE;
        int64_t probe = RATE / 50, margin = RATE / 100; /* 20 ms windows, 10 ms from the join */
        if (join - margin - probe >= start && join + margin + probe <= end) {
            double before = frequency(pcm, join - margin - probe, probe);
            double after = frequency(pcm, join + margin, probe);
            a->join_heard = fabs(before - 880.0) < 60.0 && fabs(after - 440.0) < 40.0;
        }
    }
    free(pcm);
    return 0;
}

static int open_watcher(watcher *w, const char *raw)
{
    memset(w, 0, sizeof *w);
    w->inotify_fd = -1;
    w->file_fd = open(raw, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (w->file_fd < 0)
        return -1;
    w->inotify_fd = inotify_init1(IN_CLOEXEC);
    if (w->inotify_fd < 0 || inotify_add_watch(w->inotify_fd, raw, IN_MODIFY) < 0)
        return -1;
    return 0;
}

static void close_watcher(watcher *w)
{
    if (w->inotify_fd >= 0)
        close(w->inotify_fd);
    if (w->file_fd >= 0)
        close(w->file_fd);
    free(w->v);
}

static void log_to_stderr(void *ctx, bt_log_level level, const char *line)
{
    (void)ctx;
    (void)level;
    fprintf(stderr, "bangtin: %s\n", line);
}

typedef struct {
    char driver[32];
    int lead_ms;
    double chime_seconds, item_seconds, item_lufs;
    output_facts out;
    int airings;
} playout_facts;

/* Plays opt->airings sessions on the real clock; fills air[]. 0, or -1 if it could not run. */
extern char **environ;

/* Where the decoding child writes: the run's temporary folder. */
typedef struct {
    const char *dir;
    unsigned count;
} decode_place;

/* The kiosk's way with a compressed item (broadcaster.c gives the engine decode_isolated.c):
 * the program run again as `bangtin decode-audio FILE OUT.wav SECONDS`, here the bangtin built
 * beside this benchmark, so its cost falls in the session's preparation as on the appliance. */
static int decode_in_child(void *ctx, const char *path, int max_seconds, char *wav,
                           size_t wav_size, char *reason, size_t reason_size)
{
    decode_place *place = ctx;
    char exe[1024], seconds[16];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 16);
    if (n > 0)
        exe[n] = '\0';
    char *slash = n > 0 ? strrchr(exe, '/') : NULL;
    if (!slash) {
        snprintf(reason, reason_size, "no /proc/self/exe");
        return -1;
    }
    snprintf(slash, sizeof exe - (size_t)(slash - exe), "/bangtin");
    snprintf(wav, wav_size, "%s/giai-ma-%u.wav", place->dir, place->count++);
    snprintf(seconds, sizeof seconds, "%d", max_seconds);
    char command[] = "decode-audio", file[1024];
    snprintf(file, sizeof file, "%s", path);
    char *argv[] = {exe, command, file, wav, seconds, NULL};
    pid_t pid;
    int status = 0;
    /* Its one-line answer ("ok FRAMES") is for the kiosk; the exit status says enough here. */
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawn(&pid, exe, &quiet, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (rc != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        snprintf(reason, reason_size, "%s decode-audio %s failed (spawn %d, status %d)", exe,
                 path, rc, status);
        return -1;
    }
    return 0;
}

static int run_playout(const options *opt, const char *dir, airing *air, playout_facts *pf)
{
    char chime[1024], item[1024], raw[1024];
    int rc = -1;
    bt_audio *engine = NULL;
    SDL_Thread *thread = NULL;
    watcher w;
    memset(&w, 0, sizeof w);
    w.inotify_fd = w.file_fd = -1;

    if (make_audio(dir, chime, item, sizeof chime) != 0)
        return -1;
    bt_loudness measured;
    char err[512] = "";
    /* As the broadcaster does when the playlist is loaded: measured once, hash checked at play. */
    if (bt_loudness_measure(item, &measured, err, sizeof err) != 0) {
        fprintf(stderr, "bench_broadcast: %s\n", err);
        return -1;
    }
    pf->item_seconds = measured.duration_seconds;
    pf->item_lufs = measured.integrated_lufs;

    snprintf(raw, sizeof raw, "%s/loa.raw", dir);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    unsetenv("SDL_DISKAUDIODELAY"); /* real time */
    if (open_watcher(&w, raw) != 0) {
        fprintf(stderr, "bench_broadcast: cannot watch %s: %s\n", raw, strerror(errno));
        goto done;
    }
    SDL_AtomicSet(&w.stop, 0);
    thread = SDL_CreateThread(watcher_thread, "bench-watch", &w);
    if (!thread) {
        fprintf(stderr, "bench_broadcast: no watcher thread: %s\n", SDL_GetError());
        goto done;
    }

    bt_audio_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.chime_path = chime;
    cfg.loudness_target_lufs = TARGET_LUFS;
    cfg.volume_percent = 100;
    decode_place place = {dir, 0};
    cfg.decode_elsewhere = decode_in_child;
    cfg.decode_ctx = &place;
    if (bt_audio_open(&cfg, &engine, err, sizeof err) != 0) {
        fprintf(stderr, "bench_broadcast: bt_audio_open: %s\n", err);
        goto done;
    }
    if (!bt_audio_has_device(engine)) {
        fprintf(stderr, "bench_broadcast: no audio device: %s\n", bt_audio_device_problem(engine));
        goto done;
    }
    if (bt_audio_chime_problem(engine)) {
        fprintf(stderr, "bench_broadcast: %s\n", bt_audio_chime_problem(engine));
        goto done;
    }
    snprintf(pf->driver, sizeof pf->driver, "%s", SDL_GetCurrentAudioDriver());
    pf->chime_seconds = bt_audio_chime_seconds(engine);
    pf->lead_ms = bt_audio_lead_ms(engine, pf->item_seconds) + ARM_MARGIN_MS;

    bt_audio_item items[1] = {{item, measured.integrated_lufs, measured.sha256}};
    int64_t wall_ns;
    bt_mono_ns mono;
    clock_pair(&wall_ns, &mono);
    /* The first whole second at least one lead time (and a second to settle) away. */
    int64_t first = (wall_ns + (int64_t)pf->lead_ms * NS_PER_MS) / NS_PER_S + 2;
    for (int k = 0; k < opt->airings; k++) {
        airing *a = &air[k];
        memset(a, 0, sizeof *a);
        pf->airings = k + 1;
        a->scheduled = first + (int64_t)k * opt->period_s;
        clock_pair(&wall_ns, &mono);
        sleep_until(mono + (a->scheduled * NS_PER_S - wall_ns) -
                    (bt_mono_ns)pf->lead_ms * NS_PER_MS);
        /* The deadline from a fresh sample, as the broadcaster computes it at its tick. */
        clock_pair(&wall_ns, &mono);
        a->deadline = mono + (a->scheduled * NS_PER_S - wall_ns);
        a->handed = mono_now();
        bt_audio_session s = {items, 1, true,
                              a->deadline + (bt_mono_ns)opt->skew_ms * NS_PER_MS};
        if (bt_audio_start(engine, &s, (uint64_t)k + 1, err, sizeof err) != 0) {
            a->failed = true;
            snprintf(a->reason, sizeof a->reason, "%.190s", err);
            continue;
        }
        if (collect(engine, a, (opt->period_s + 10) * 1000) != 0) {
            fprintf(stderr, "bench_broadcast: session %d never ended\n", k + 1);
            goto done;
        }
    }
    bt_audio_close(engine); /* closes the device: the raw file is complete */
    engine = NULL;
    sleep_ms(200);
    SDL_AtomicSet(&w.stop, 1);
    SDL_WaitThread(thread, NULL);
    thread = NULL;
    if (w.failed) {
        fprintf(stderr, "bench_broadcast: out of memory in the watcher\n");
        goto done;
    }
    rc = analyse_output(raw, &w, air, pf->airings, &pf->out);

done:
    if (engine)
        bt_audio_close(engine);
    if (thread) {
        SDL_AtomicSet(&w.stop, 1);
        SDL_WaitThread(thread, NULL);
    }
    close_watcher(&w);
    return rc;
}

typedef struct {
    double *v, *abs;
    size_t n;
} samples;

static int samples_init(samples *x, size_t cap)
{
    x->n = 0;
    x->v = calloc(cap + 1, sizeof(double));
    x->abs = calloc(cap + 1, sizeof(double));
    return x->v && x->abs ? 0 : -1;
}

static void samples_add(samples *x, double v)
{
    x->v[x->n] = v;
    x->abs[x->n] = fabs(v);
    x->n++;
}

static void samples_free(samples *x)
{
    free(x->v);
    free(x->abs);
}

/* Two rows (median and max of |deviation|) for one way of measuring the start. */
static void deviation_rows(table *t, const char *how, samples *x, bool ok, int decimals)
{
    stats a = stats_of(x->abs, x->n), d = stats_of(x->v, x->n);
    char figure[96];
    snprintf(figure, sizeof figure, "start − scheduled second, %s: median", how);
    add_row(t, figure, "≤ 20 ms", judge(ok && x->n > 0 && a.median <= BUDGET_MEDIAN_MS),
            "%.*f ms |dev| (signed: min %+.*f, median %+.*f, max %+.*f; n=%zu)", decimals,
            a.median, decimals, d.min, decimals, d.median, decimals, d.max, a.n);
    snprintf(figure, sizeof figure, "start − scheduled second, %s: max", how);
    add_row(t, figure, "≤ 50 ms", judge(ok && x->n > 0 && a.max <= BUDGET_MAX_MS),
            "%.*f ms |dev|", decimals, a.max);
}

static void report_playout(const options *opt, const airing *air, const playout_facts *pf,
                           table *t)
{
    int n = pf->airings;
    samples event, output, exact, wall, lead;
    memset(&event, 0, sizeof event);
    output = exact = wall = lead = event;
    if (samples_init(&event, (size_t)n) != 0 || samples_init(&output, (size_t)n) != 0 ||
        samples_init(&exact, (size_t)n) != 0 || samples_init(&wall, (size_t)n) != 0 ||
        samples_init(&lead, (size_t)n) != 0) {
        fprintf(stderr, "bench_broadcast: out of memory\n");
        t->failed++;
        goto done;
    }
    size_t complete = 0, heard = 0, found = 0;
    int64_t event_gap_max = INT64_MIN, excess_min = INT64_MAX, excess_max = INT64_MIN;
    double join_max = 0, inner_max = 0;
    for (int k = 0; k < n; k++) {
        const airing *a = &air[k];
        if (a->failed)
            fprintf(stderr, "bench_broadcast: session %d: %s\n", k + 1, a->reason);
        if (!a->started)
            continue;
        samples_add(&event, (double)(a->start_mono - a->deadline) / NS_PER_MS);
        samples_add(&wall, (double)(a->start_wall_ms - a->scheduled * 1000));
        samples_add(&lead, (double)(a->deadline - a->handed) / NS_PER_MS);
        if (a->complete) {
            complete++;
            int64_t g1 = a->item_start - a->chime_end, g2 = a->close_start - a->item_end;
            if (g1 > event_gap_max)
                event_gap_max = g1;
            if (g2 > event_gap_max)
                event_gap_max = g2;
        }
        if (!a->found)
            continue;
        found++;
        if (!isnan(a->output_dev_ms)) {
            samples_add(&output, a->output_dev_ms);
            if (a->output_exact)
                samples_add(&exact, a->output_dev_ms);
        }
        if (a->join_silence_ms > join_max)
            join_max = a->join_silence_ms;
        if (a->inner_silence_ms > inner_max)
            inner_max = a->inner_silence_ms;
        heard += a->join_heard;
        if (a->complete) {
            int64_t excess = a->span - a->close_end;
            if (excess < excess_min)
                excess_min = excess;
            if (excess > excess_max)
                excess_max = excess;
        }
    }
    /* Every figure below is judged on every session: one that did not air or was not found in
     * the output fails them all. */
    bool all = (int)complete == n && n == opt->airings && (int)found == n &&
               pf->out.spans == (size_t)n && output.n == (size_t)n;

    add_row(t, "sessions aired complete (chime, item, chime)", "≥ 20",
            judge(all && n >= MIN_AIRINGS_FOR_BUDGET),
            "%zu of %d (%zu sound spans in the output file)", complete, n, pf->out.spans);
    deviation_rows(t, "output file", &output, all, 2);
    if (exact.n > 0) {
        stats e = stats_of(exact.abs, exact.n);
        add_row(t, "  of which in a buffer seen written at once", "", VERDICT_INFO,
                "median %.2f ms, max %.2f ms |dev| (n=%zu; the rest: one period, %.2f ms, "
                "before their write)",
                e.median, e.max, exact.n, pf->out.period_ms);
    } else {
        add_row(t, "  of which in a buffer seen written at once", "", VERDICT_INFO,
                "none (all: one period, %.2f ms, before their write)",
                pf->out.period_ms);
    }
    deviation_rows(t, "engine event", &event, all, 3);
    {
        stats w = stats_of(wall.v, wall.n), l = stats_of(lead.v, lead.n);
        add_row(t, "  engine's wall-clock stamp − scheduled second", "", VERDICT_INFO,
                "median %+.0f ms (min %+.0f, max %+.0f; whole ms, truncated)", w.median, w.min,
                w.max);
        add_row(t, "  handed to the engine before the deadline", "", VERDICT_INFO,
                "median %.1f ms (min %.1f, max %.1f)", l.median, l.min, l.max);
    }
    add_row(t, "gap chime ↔ item, event frames (both joins)", "≤ 10 ms",
            judge(all && event_gap_max >= 0 &&
                  (double)event_gap_max * 1000.0 / RATE <= BUDGET_GAP_MS),
            "max %lld frames = %.3f ms", (long long)event_gap_max,
            (double)event_gap_max * 1000.0 / RATE);
    add_row(t, "gap chime → item, output file: silence at the join", "≤ 10 ms",
            judge(all && join_max <= BUDGET_GAP_MS && heard == (size_t)n),
            "max %.3f ms = %.0f frames (880 → 440 Hz at the join in %zu of %d)", join_max,
            join_max * RATE / 1000.0, heard, n);
    add_row(t, "  longest silence anywhere inside a session", "", VERDICT_INFO, "max %.3f ms",
            inner_max);
    add_row(t, "  session length in the file − events' frames", "", VERDICT_INFO,
            "%+lld .. %+lld frames (the fades' outermost samples count as silence)",
            (long long)(excess_min == INT64_MAX ? 0 : excess_min),
            (long long)(excess_max == INT64_MIN ? 0 : excess_max));
    add_row(t, "  disk driver: buffer, period, file growth", "", VERDICT_INFO,
            "%lld frames = %.2f ms each; the file grew every %.2f ms (max %.2f), by 2+ "
            "buffers in %zu of %zu steps",
            (long long)pf->out.buffer_frames, pf->out.period_ms, pf->out.step_median_ms,
            pf->out.step_max_ms, pf->out.multi, pf->out.steps);
done:
    samples_free(&event);
    samples_free(&output);
    samples_free(&exact);
    samples_free(&wall);
    samples_free(&lead);
}

/* ---- main --------------------------------------------------------------------------------- */

static int usage(void)
{
    fputs("usage: bench_broadcast [--airings N] [--period S] [--runs N] [--no-audio] "
          "[--no-simulate] [--keep] [--tmp DIR] [--skew-ms MS]\n",
          stderr);
    return 2;
}

static int parse_options(int argc, char **argv, options *o)
{
    o->airings = 24;
    o->period_s = 4;
    o->runs = 50;
    o->skew_ms = 0;
    o->audio = o->simulate = true;
    o->keep = false;
    o->tmp_parent = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--airings") == 0 && has_value)
            o->airings = atoi(argv[++i]);
        else if (strcmp(a, "--period") == 0 && has_value)
            o->period_s = atoi(argv[++i]);
        else if (strcmp(a, "--runs") == 0 && has_value)
            o->runs = atoi(argv[++i]);
        else if (strcmp(a, "--skew-ms") == 0 && has_value)
            o->skew_ms = atoi(argv[++i]);
        else if (strcmp(a, "--tmp") == 0 && has_value)
            o->tmp_parent = argv[++i];
        else if (strcmp(a, "--no-audio") == 0)
            o->audio = false;
        else if (strcmp(a, "--no-simulate") == 0)
            o->simulate = false;
        else if (strcmp(a, "--keep") == 0)
            o->keep = true;
        else
            return -1;
    }
    /* A session is 2 s and the next is handed over ~1.3 s before its time. */
    if (o->airings < 1 || o->airings > 1000 || o->period_s < 4 || o->period_s > 60 ||
        o->runs < 1 || o->runs > 100000 || o->skew_ms < -1000 || o->skew_ms > 1000)
        return -1;
    return 0;
}

static void print_header(const options *opt, const char *load_start)
{
    char date[64], cpu[256], distro[256] = "";
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm);
    cpu_model(cpu, sizeof cpu);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    FILE *f = fopen("/etc/os-release", "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
                const char *v = line + 12;
                v += *v == '"';
                snprintf(distro, sizeof distro, "%s", v);
                distro[strcspn(distro, "\"\n")] = '\0';
            }
        fclose(f);
    }
    SDL_version sdl;
    SDL_GetVersion(&sdl);
    const SDL_version *mix = Mix_Linked_Version();
    printf("bangtin loudspeaker benchmark — %s\n", date);
    printf("machine : nproc %ld (%ld online), %s; kernel %s %s (%s); %s; load %s (start)\n",
           usable_cpus(), sysconf(_SC_NPROCESSORS_ONLN), cpu, u.sysname, u.release, u.machine,
           distro[0] ? distro : "?", load_start);
    printf("versions: SDL %d.%d.%d, SDL2_mixer %d.%d.%d, sox for the test audio\n", sdl.major,
           sdl.minor, sdl.patch, mix->major, mix->minor, mix->patch);
    if (opt->audio)
        printf("playout : %d sessions, one every %d s on a whole wall-clock second, real clock%s\n",
               opt->airings, opt->period_s,
               opt->skew_ms ? "; DIAGNOSTIC: the engine is told a skewed deadline" : "");
    if (opt->audio && opt->skew_ms)
        printf("skew    : the engine's deadline is the scheduled second %+d ms\n", opt->skew_ms);
    if (opt->simulate)
        printf("simulate: bt_simulate 2025-10-01..2025-12-31, %d timed runs after one untimed\n",
               opt->runs);
}

int main(int argc, char **argv)
{
    options opt;
    if (parse_options(argc, argv, &opt) != 0)
        return usage();
    bt_log_set_sink(log_to_stderr, NULL);
    bt_log_set_level(BT_LOG_WARN);
    char load_start[64], load_end[64];
    load_average(load_start, sizeof load_start);
    print_header(&opt, load_start);
    fflush(stdout);

    table t;
    memset(&t, 0, sizeof t);
    int status = 0;
    if (opt.simulate && bench_simulate(opt.runs, &t) != 0)
        status = 2;

    char dir[512] = ""; /* room for the file names after it in 1 KiB paths */
    airing *air = NULL;
    playout_facts pf;
    memset(&pf, 0, sizeof pf);
    if (status == 0 && opt.audio) {
        snprintf(dir, sizeof dir, "%s/bangtin-bench-loa-XXXXXX", opt.tmp_parent);
        air = calloc((size_t)opt.airings, sizeof *air);
        if (!air || !mkdtemp(dir)) {
            fprintf(stderr, "bench_broadcast: cannot make a temp dir under %s\n",
                    opt.tmp_parent);
            dir[0] = '\0';
            status = 2;
        } else if (run_playout(&opt, dir, air, &pf) != 0) {
            status = 2;
        }
    }
    if (status == 0 && opt.audio) {
        printf("audio   : SDL driver \"%s\" (SDL_DISKAUDIOFILE in %s, real time), %d Hz S16 "
               "stereo, %lld-frame buffers\n",
               pf.driver, dir, BT_AUDIO_RATE, (long long)pf.out.buffer_frames);
        printf("session : chime %.3f s (1175 + 880 Hz, WAV 48 kHz) + item %.3f s (440 Hz, OGG "
               "44.1 kHz mono, %.1f LUFS) + chime, aired at %.0f LUFS; handed over %d ms ahead "
               "(bt_audio_lead_ms + %d ms)\n",
               pf.chime_seconds, pf.item_seconds, pf.item_lufs, TARGET_LUFS, pf.lead_ms,
               ARM_MARGIN_MS);
        report_playout(&opt, air, &pf, &t);
    }
    load_average(load_end, sizeof load_end);
    printf("load    : %s (start) → %s (end)\n\n", load_start, load_end);
    print_table(&t);
    if (status == 0)
        status = t.failed ? 1 : 0;
    if (status == 2)
        printf("\nverdict : could not run (see stderr)\n");
    else if (t.failed)
        printf("\nverdict : %d budget(s) FAIL\n", t.failed);
    else
        printf("\nverdict : every budget PASS\n");
    if (!opt.audio || !opt.simulate || opt.airings < MIN_AIRINGS_FOR_BUDGET ||
        opt.runs < MIN_RUNS_FOR_BUDGET || opt.skew_ms)
    {
        char why[128] = "";
        if (!opt.audio)
            strcat(why, "; no playout");
        if (!opt.simulate)
            strcat(why, "; no simulation");
        if (opt.airings < MIN_AIRINGS_FOR_BUDGET || opt.runs < MIN_RUNS_FOR_BUDGET)
            strcat(why, "; too few samples");
        if (opt.skew_ms)
            strcat(why, "; skewed deadline");
        printf("note    : not a run for the budgets (%s); they need ≥ %d sessions, ≥ %d runs, "
               "no skew\n",
               why + 2, MIN_AIRINGS_FOR_BUDGET, MIN_RUNS_FOR_BUDGET);
    }
    if (dir[0]) {
        if (opt.keep) {
            printf("kept    : %s\n", dir);
        } else {
            char cmd[600];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
            if (system(cmd) != 0)
                fprintf(stderr, "bench_broadcast: could not remove %s\n", dir);
        }
    }
    free(air);
    SDL_Quit();
    return status;
}
