/* Kill -9 during import, at random moments across the whole pipeline (verify, copy, validate,
 * activate, prune): afterwards exactly the old or the new playlist is active — its directory
 * holds exactly that package's files — never a mix, and SQLite's integrity check passes. The
 * store keeps one playlist (usb.keep_playlists = 1), so every import copies its files anew and
 * pruning runs too. */
#include "usb_fixture.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>

#include "bangtin/bt_content_store.h"
#include "bangtin/bt_playlist_load.h"

#define TRIALS 60

typedef struct {
    char dir[1024];
    bt_manifest manifest;
} package;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A package of version v without the loudspeaker part (no audio to measure keeps a trial
 * short) and with a file of its own, so switching always copies something. */
static void make_package(usb_fixture *f, int v, package *p)
{
    char path[1200];
    snprintf(p->dir, sizeof(p->dir), "%s/stick-v%d/bangtin", f->root, v);
    usb_make_playlist(p->dir, v);
    usb_sh("rm -rf '%s/audio' && sed -i '/^broadcasts = {/,$d' '%s/playlist.cfg' && mkdir -p "
           "'%s/tai-lieu' && head -c 400000 /dev/urandom > '%s/tai-lieu/ghi-chu.bin'",
           p->dir, p->dir, p->dir, p->dir);
    usb_sign_dir(p->dir, f->ward_key, NULL, 0);
    snprintf(path, sizeof(path), "%s/MANIFEST", p->dir);
    size_t len;
    char *text = bt_test_read_file(path, &len);
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_manifest_parse(text, len, &p->manifest, &d), 0);
    bt_diags_free(&d);
    free(text);
}

/* Runs `bangtin import` on pkg; kills it after delay seconds (< 0: lets it finish). Returns
 * the wait status. */
static int run_import(usb_fixture *f, const char *pkg, double delay)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(BANGTIN, BANGTIN, "--config", f->cfg_path, "--data", f->data, "import", pkg,
              "--force", "--no-write-back", (char *)NULL);
        _exit(127);
    }
    if (delay >= 0) {
        struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void assert_integrity_ok(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int count_files(const char *dir)
{
    char cmd[1200];
    int status;
    snprintf(cmd, sizeof(cmd), "find '%s' -type f -o -type l | wc -l", dir);
    char *out = bt_test_run(cmd, &status);
    int n = atoi(out);
    free(out);
    return n;
}

/* The active playlist is whole: the store names v1 or v2, and its directory holds exactly that
 * package's files with their signed content, loads and validates. Returns the version. */
static int assert_whole_playlist(usb_fixture *f, package *pk)
{
    bt_store_playlist active;
    assert_int_equal(usb_active(f, &active), 1);
    assert_string_equal(active.id, "usb-thu");
    assert_true(active.version == 1 || active.version == 2);
    const package *p = &pk[active.version - 1];
    assert_int_equal(count_files(active.dir), (int)p->manifest.count);
    for (size_t i = 0; i < p->manifest.count; i++) {
        char path[2200], hex[BT_SHA256_HEX_SIZE];
        snprintf(path, sizeof(path), "%s/%s", active.dir, p->manifest.entries[i].path);
        size_t len;
        char *data = bt_test_read_file(path, &len);
        if (!data)
            fail_msg("active v%d lacks %s", active.version, p->manifest.entries[i].path);
        bt_sha256_hex(data, len, hex);
        free(data);
        assert_string_equal(hex, p->manifest.entries[i].sha256);
    }
    bt_playlist pl;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_playlist_load(active.dir, &pl, &d), 0);
    assert_int_equal(pl.version, active.version);
    bt_playlist_free(&pl);
    bt_diags_free(&d);
    return active.version;
}

static void test_kill_9_at_random_moments(void **state)
{
    (void)state;
    usb_fixture f;
    package pk[2];
    char db[1024];
    usb_fixture_setup(&f, "usb-kill", "usb = { keep_playlists = 1; };");
    make_package(&f, 1, &pk[0]);
    make_package(&f, 2, &pk[1]);
    snprintf(db, sizeof(db), "%s/%s", f.data, BT_STORE_FILE);

    /* One whole import of each tells how long an import takes here. */
    double t0 = now_seconds();
    assert_int_equal(run_import(&f, pk[0].dir, -1), 0);
    assert_int_equal(run_import(&f, pk[1].dir, -1), 0);
    double whole = (now_seconds() - t0) / 2;
    assert_int_equal(assert_whole_playlist(&f, pk), 2);

    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    int switched = 0, kept = 0;
    for (int i = 0; i < TRIALS; i++) {
        bt_store_playlist before;
        assert_int_equal(usb_active(&f, &before), 1);
        int target = before.version == 1 ? 2 : 1;
        double delay = whole * 1.2 * rand() / (double)RAND_MAX;
        run_import(&f, pk[target - 1].dir, delay);
        assert_integrity_ok(db);
        int now_active = assert_whole_playlist(&f, pk);
        if (now_active == target)
            switched++;
        else
            kept++;
    }
    printf("kill -9: %d lần, %.0f ms mỗi lần nạp; %d lần playlist mới, %d lần playlist cũ "
           "(seed %u)\n", TRIALS, whole * 1000, switched, kept, seed);
    /* Kills landed both before and after the commit, or the window was not covered. */
    assert_true(switched > 0);
    assert_true(kept > 0);

    /* The debris of every killed run goes with the next import. */
    bt_store_playlist active;
    assert_int_equal(usb_active(&f, &active), 1);
    int target = active.version == 1 ? 2 : 1;
    assert_int_equal(run_import(&f, pk[target - 1].dir, -1), 0);
    assert_int_equal(assert_whole_playlist(&f, pk), target);
    assert_int_equal(usb_count_entries(&f, "tmp"), 0);
    assert_int_equal(usb_count_entries(&f, "playlists"), 1);
    assert_int_equal(usb_count_entries(&f, "objects"), (int)pk[target - 1].manifest.count);
    bt_manifest_free(&pk[0].manifest);
    bt_manifest_free(&pk[1].manifest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_9_at_random_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
