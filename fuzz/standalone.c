/* A small stand-in for libFuzzer's driver, so every fuzz target also runs in the ordinary test
 * build (gcc with ASan and UBSan, scripts/test) where libFuzzer does not exist. It runs every
 * seed once, then feeds random mutations of the seeds (bit flips, byte changes, inserts,
 * deletes, copies within an input, splices from another seed) to LLVMFuzzerTestOneInput until
 * the time or run budget is spent. There is no coverage feedback: it finds shallow bugs in
 * seconds and keeps the targets building and running; long runs belong to libFuzzer
 * (fuzz/run-long.sh). The random sequence depends only on --seed, so a run is repeatable.
 *
 *   fuzz_NAME_smoke [--seconds S] [--runs N] [--seed N] [--max-len N] FILE|DIR...
 *
 * A directory stands for the regular files in it (not its subdirectories). When an input makes
 * the target crash or fail a check, it is written to crash-NAME-EXEC (in $FUZZ_CRASH_DIR, else
 * the working directory) before the process dies, to replay with: fuzz_NAME_smoke that-file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The target's entry points; LLVMFuzzerInitialize is optional, as in libFuzzer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Called by ASan (gcc's and clang's) just before it ends the process with a report. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* Seeds bigger than this are skipped: nothing a target reads legitimately comes near it. */
#define SEED_MAX_BYTES (4u * 1024 * 1024)
/* libFuzzer's own default for -max_len when the corpus is small. */
#define DEFAULT_MIN_MAX_LEN 4096u
/* Mutations stacked on one input: 1..MAX_STACK, like libFuzzer's default depth. */
#define MAX_STACK 5

typedef struct {
    uint8_t *data;
    size_t size;
    char *name;
} seed;

typedef struct {
    seed *items;
    size_t count, cap;
} seed_list;

/* The input being run, for the crash handlers. */
static struct {
    const uint8_t *data;
    size_t size;
    unsigned long long exec;
    const char *program;
    volatile sig_atomic_t saved;
} current;

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* xorshift64*: tiny, fast and good enough to pick mutations. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t rng_below(size_t n)
{
    return n ? (size_t)(rng_next() % n) : 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- saving the input that crashed (async-signal-safe) -------------------------------------- */

static size_t append(char *dst, size_t at, size_t size, const char *s)
{
    while (*s && at + 1 < size)
        dst[at++] = *s++;
    dst[at] = '\0';
    return at;
}

static size_t append_number(char *dst, size_t at, size_t size, unsigned long long v)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < sizeof digits);
    while (n > 0 && at + 1 < size)
        dst[at++] = digits[--n];
    dst[at] = '\0';
    return at;
}

static void save_current(void)
{
    char path[1024];
    size_t at = 0;
    const char *dir = getenv("FUZZ_CRASH_DIR");
    if (current.saved || !current.data)
        return;
    current.saved = 1;
    if (dir && *dir) {
        at = append(path, at, sizeof path, dir);
        at = append(path, at, sizeof path, "/");
    }
    at = append(path, at, sizeof path, "crash-");
    at = append(path, at, sizeof path, current.program);
    at = append(path, at, sizeof path, "-");
    append_number(path, at, sizeof path, current.exec);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        size_t done = 0;
        while (done < current.size) {
            ssize_t n = write(fd, current.data + done, current.size - done);
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        close(fd);
    }
    static const char before[] = "\n==standalone== input written to ";
    if (write(2, before, sizeof before - 1) < 0 || write(2, path, strlen(path)) < 0 ||
        write(2, "\n", 1) < 0)
        return;
}

static void on_fatal_signal(int sig)
{
    save_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handlers(void)
{
    static const int signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &sa, NULL);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(save_current);
}

/* ---- seeds ----------------------------------------------------------------------------------- */

static int add_seed_file(seed_list *list, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *data = malloc(SEED_MAX_BYTES + 1);
    size_t size = data ? fread(data, 1, SEED_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!data || size > SEED_MAX_BYTES) {
        free(data);
        fprintf(stderr, "%s: skipped (over %u bytes)\n", path, SEED_MAX_BYTES);
        return 0;
    }
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        seed *items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            free(data);
            return -1;
        }
        list->items = items;
        list->cap = cap;
    }
    seed *s = &list->items[list->count++];
    s->data = data;
    s->size = size;
    s->name = malloc(strlen(path) + 1);
    if (s->name)
        memcpy(s->name, path, strlen(path) + 1);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The regular files directly in dir, in name order (so runs are repeatable). */
static int add_seed_dir(seed_list *list, const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    if (!d) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            names = grown;
        }
        size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
        names[count] = malloc(len);
        if (!names[count]) {
            rc = -1;
            break;
        }
        snprintf(names[count], len, "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = add_seed_file(list, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int add_seed_path(seed_list *list, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    return S_ISDIR(st.st_mode) ? add_seed_dir(list, path) : add_seed_file(list, path);
}

/* ---- running and mutating -------------------------------------------------------------------- */

/* Runs one input from an exact-size heap copy, so ASan sees any read past its end. */
static void run_one(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    if (size)
        memcpy(copy, data, size);
    current.data = copy;
    current.size = size;
    current.exec++;
    LLVMFuzzerTestOneInput(copy, size);
    current.data = NULL;
    free(copy);
}

/* Bytes that mean something to the parsers under test: syntax of libconfig, dates, times and
 * MANIFEST, line ends, NUL, and the lead bytes of Vietnamese UTF-8. */
static const uint8_t interesting[] = {0x00, 0xFF, 0x7F, 0x80, 0xC3, 0xE1, 0xBB, '\n', '\r', '\t',
                                      ' ', '"', '\\', ';', ',', '=', ':', '-', '/', '.', '{', '}',
                                      '(', ')', '[', ']', '#', '@', '0', '1', '2', '9', 'T', 'Q'};

/* One random change to buf (size *size, room for cap bytes). */
static void mutate_once(uint8_t *buf, size_t *size, size_t cap, const seed_list *seeds)
{
    size_t n = *size;
    switch (rng_below(8)) {
    case 0: /* flip one bit */
        if (n)
            buf[rng_below(n)] ^= (uint8_t)(1u << rng_below(8));
        break;
    case 1: /* a random byte */
        if (n)
            buf[rng_below(n)] = (uint8_t)rng_next();
        break;
    case 2: /* a byte that means something */
        if (n)
            buf[rng_below(n)] = interesting[rng_below(sizeof interesting)];
        break;
    case 3: { /* insert one or a few bytes */
        size_t k = 1 + rng_below(4), at = rng_below(n + 1);
        if (n + k > cap)
            break;
        memmove(buf + at + k, buf + at, n - at);
        for (size_t i = 0; i < k; i++)
            buf[at + i] = rng_below(2) ? interesting[rng_below(sizeof interesting)]
                                       : (uint8_t)rng_next();
        *size = n + k;
        break;
    }
    case 4: { /* delete a range */
        if (!n)
            break;
        size_t at = rng_below(n), k = 1 + rng_below(n - at < 16 ? n - at : 16);
        memmove(buf + at, buf + at + k, n - at - k);
        *size = n - k;
        break;
    }
    case 5: { /* copy a chunk of the input somewhere else in it (repeats a line, a group …) */
        if (!n)
            break;
        size_t from = rng_below(n), k = 1 + rng_below(n - from), at = rng_below(n + 1);
        if (n + k > cap)
            k = cap - n;
        if (!k)
            break;
        uint8_t *chunk = malloc(k);
        if (!chunk)
            break;
        memcpy(chunk, buf + from, k);
        memmove(buf + at + k, buf + at, n - at);
        memcpy(buf + at, chunk, k);
        free(chunk);
        *size = n + k;
        break;
    }
    case 6: { /* splice: a chunk of another seed inserted here */
        const seed *other = &seeds->items[rng_below(seeds->count)];
        if (!other->size)
            break;
        size_t from = rng_below(other->size), k = 1 + rng_below(other->size - from);
        size_t at = rng_below(n + 1);
        if (k > 256)
            k = 1 + rng_below(256);
        if (n + k > cap)
            k = cap - n;
        memmove(buf + at + k, buf + at, n - at);
        memcpy(buf + at, other->data + from, k);
        *size = n + k;
        break;
    }
    default: /* cut the input short (a file copied half-way) */
        if (n)
            *size = rng_below(n);
        break;
    }
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--seconds S] [--runs N] [--seed N] [--max-len N] FILE|DIR...\n"
            "Runs every seed, then random mutations of them until S seconds (default 3) or N\n"
            "mutated runs are done, whichever comes first.\n",
            program);
}

int main(int argc, char **argv)
{
    double seconds = 3;
    unsigned long long runs = ~0ULL, seed_value = 1;
    size_t max_len = 0;
    seed_list seeds = {NULL, 0, 0};
    const char *name = base_name(argv[0]);

    current.program = name;
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 < argc && strcmp(a, "--seconds") == 0)
            seconds = strtod(argv[++i], NULL);
        else if (i + 1 < argc && strcmp(a, "--runs") == 0)
            runs = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(a, "--seed") == 0)
            seed_value = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(a, "--max-len") == 0)
            max_len = (size_t)strtoull(argv[++i], NULL, 10);
        else if (a[0] == '-') {
            usage(name);
            return 2;
        } else if (add_seed_path(&seeds, a) != 0)
            return 2;
    }
    if (seeds.count == 0 && add_seed_path(&seeds, "/dev/null") != 0)
        return 2;
    install_crash_handlers();
    rng_state = seed_value * 0x9E3779B97F4A7C15ULL + 1;

    size_t largest = 0;
    for (size_t i = 0; i < seeds.count; i++)
        largest = seeds.items[i].size > largest ? seeds.items[i].size : largest;
    if (!max_len)
        max_len = largest + 1024 > DEFAULT_MIN_MAX_LEN ? largest + 1024 : DEFAULT_MIN_MAX_LEN;

    double start = now_seconds();
    for (size_t i = 0; i < seeds.count; i++)
        run_one(seeds.items[i].data, seeds.items[i].size);
    run_one(NULL, 0);
    unsigned long long seed_runs = current.exec, mutated = 0;

    uint8_t *buf = malloc(max_len + 1);
    if (!buf)
        return 2;
    while (mutated < runs) {
        /* The clock is read every 64 runs: cheap, and close enough to the budget. */
        if ((mutated & 63) == 0 && now_seconds() - start >= seconds)
            break;
        const seed *s = &seeds.items[rng_below(seeds.count)];
        size_t size = s->size < max_len ? s->size : max_len;
        memcpy(buf, s->data, size);
        for (size_t k = 1 + rng_below(MAX_STACK); k > 0; k--)
            mutate_once(buf, &size, max_len, &seeds);
        run_one(buf, size);
        mutated++;
    }
    double took = now_seconds() - start;
    printf("%s: %zu seeds, %llu executions (%llu seed runs, %llu mutated) in %.1f s, %.0f/s, "
           "seed %llu, no crash\n",
           name, seeds.count, current.exec, seed_runs, mutated, took,
           took > 0 ? (double)current.exec / took : 0.0, seed_value);
    free(buf);
    for (size_t i = 0; i < seeds.count; i++) {
        free(seeds.items[i].data);
        free(seeds.items[i].name);
    }
    free(seeds.items);
    return 0;
}
