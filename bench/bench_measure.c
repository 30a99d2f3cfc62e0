/* What measuring one broadcast item costs (bt_loudness_measure: read, hash, decode, loudness,
 * silence), in-process so a child's start-up does not blur it: each file given is measured
 * --runs times (default 9) after one warm-up, and the median, lowest and highest wall times and
 * the median CPU time (steadier on a shared machine) are printed with the item's length; then
 * the silence pass alone (bt_silence_measure) on 40 s of 48 kHz signal. The same source builds
 * against a tree without bt_silence.h, to compare. Run it on the demo's items:
 *   build/bin/bench_measure build/share/bangtin/playlists/demo/audio/tin-*.ogg
 * (the shell expands the pattern). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/bt_loudness.h"
#if __has_include("bangtin/bt_silence.h")
#include <math.h>

#include "bangtin/bt_silence.h"
#define HAVE_SILENCE 1
#endif

#define MAX_RUNS 101

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

static double cpu_ms(void)
{
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 9, first = 1;
    if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (runs < 1 || runs > MAX_RUNS || first >= argc) {
        fprintf(stderr, "usage: bench_measure [--runs N (1..%d)] FILE...\n", MAX_RUNS);
        return 2;
    }
    double all[MAX_RUNS * 16], all_cpu[MAX_RUNS * 16];
    size_t all_count = 0;
    printf("%-32s %8s %10s %10s %10s %12s\n", "file", "seconds", "median ms", "min ms", "max ms",
           "median CPU");
    for (int f = first; f < argc; f++) {
        bt_loudness l;
        char err[512];
        if (bt_loudness_measure(argv[f], &l, err, sizeof err) != 0) { /* warm-up */
            fprintf(stderr, "bench_measure: %s\n", err);
            return 1;
        }
        double t[MAX_RUNS], c[MAX_RUNS];
        for (int r = 0; r < runs; r++) {
            double start = now_ms(), cpu = cpu_ms();
            if (bt_loudness_measure(argv[f], &l, err, sizeof err) != 0) {
                fprintf(stderr, "bench_measure: %s\n", err);
                return 1;
            }
            t[r] = now_ms() - start;
            c[r] = cpu_ms() - cpu;
            if (all_count < sizeof all / sizeof all[0]) {
                all[all_count] = t[r];
                all_cpu[all_count++] = c[r];
            }
        }
        qsort(t, (size_t)runs, sizeof t[0], compare_double);
        qsort(c, (size_t)runs, sizeof c[0], compare_double);
        const char *name = strrchr(argv[f], '/');
        printf("%-32s %8.1f %10.2f %10.2f %10.2f %12.2f\n", name ? name + 1 : argv[f],
               l.duration_seconds, t[runs / 2], t[0], t[runs - 1], c[runs / 2]);
    }
    qsort(all, all_count, sizeof all[0], compare_double);
    qsort(all_cpu, all_count, sizeof all_cpu[0], compare_double);
    printf("all runs: median %.2f ms wall, %.2f ms CPU over %zu measurements\n",
           all[all_count / 2], all_cpu[all_count / 2], all_count);
#ifdef HAVE_SILENCE
    /* The silence pass alone, on a signal like a bulletin's: sound with pauses. */
    size_t frames = 40 * 48000;
    int16_t *pcm = malloc(frames * sizeof *pcm);
    if (!pcm)
        return 1;
    for (size_t i = 0; i < frames; i++)
        pcm[i] = (i / 48000) % 5 == 4 ? 0 : (int16_t)(8000 * sin((double)i * 0.0576));
    double t[MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        bt_silence v;
        double start = now_ms();
        bt_silence_measure(pcm, frames, 48000, BT_SILENCE_FLOOR_DBFS, &v);
        t[r] = now_ms() - start;
    }
    free(pcm);
    qsort(t, (size_t)runs, sizeof t[0], compare_double);
    printf("silence pass alone, 40 s at 48 kHz: median %.2f ms (min %.2f)\n", t[runs / 2], t[0]);
#endif
    return 0;
}
