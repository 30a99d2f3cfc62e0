/* bangtin-fleet against a real PostgreSQL (issue 16, "Must show"): one cluster for the whole
 * file, made with Debian's initdb in a temporary folder, listening only on a Unix socket there,
 * stopped and removed after. The appliances are two stores made here with fixed device keys and
 * fixed times, so the reports compare with golden files. In order: enrol (and an unknown key
 * refused), ingest, re-ingest, a gap, an edited row, a wrong key, a replayed old export, an
 * ingest killed with SIGKILL in the middle of its COPY, then the reports.
 *
 * Skipped, saying so, only when PostgreSQL's server programs are not installed (CI installs
 * postgresql: scripts/deps.sh). */
#include "bt_test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

typedef struct {
    char dir[128];            /* the cluster, its socket, the appliances: short (socket path) */
    char bin[256];            /* PostgreSQL's server programs */
    char run_as[160];         /* "runuser -u postgres -- " when root (initdb refuses root) */
    char url[512];
    bool ready;
} cluster;

static cluster pg;

typedef struct {
    char data[256];
    bt_store *store;
    bt_device_key key;
    char pub[300];
    int airings;
} appliance;

static appliance ward_a, ward_b;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* bangtin-fleet with args; its stdout and stderr together, exit status in *status. */
static char *fleet(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *fleet(int *status, const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, BT_FLEET_EXE " %s 2>&1", args);
    char *out = bt_test_run(cmd, status);
    assert_non_null(out);
    return out;
}

static long long count(const char *sql)
{
    char cmd[2048];
    int status;
    snprintf(cmd, sizeof cmd, "psql -X -A -t -q '%s' -c \"%s\"", pg.url, sql);
    char *out = bt_test_run(cmd, &status);
    assert_int_equal(status, 0);
    long long v = strtoll(out, NULL, 10);
    free(out);
    return v;
}

/* ---- the cluster --------------------------------------------------------------------------- */

static int start_cluster(void **state)
{
    (void)state;
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        printf("SKIP: PostgreSQL's initdb is not installed (Debian: postgresql); the fleet "
               "tests need it.\n");
        return 0;
    }
    snprintf(pg.bin, sizeof pg.bin, "%s", g.gl_pathv[g.gl_pathc - 1]);
    *strrchr(pg.bin, '/') = '\0';
    globfree(&g);
    /* A short folder: a Unix socket's path holds at most 107 bytes. */
    const char *tmp = getenv("TMPDIR");
    snprintf(pg.dir, sizeof pg.dir, "%s/btfleet-XXXXXX", tmp && strlen(tmp) < 60 ? tmp : "/tmp");
    if (!mkdtemp(pg.dir))
        return -1;
    chmod(pg.dir, 0755);
    if (geteuid() == 0) {
        const char *user = getpwnam("postgres") ? "postgres" : "nobody";
        snprintf(pg.run_as, sizeof pg.run_as, "runuser -u %s -- ", user);
        sh("chown %s '%s'", user, pg.dir);
    }
    if (sh("%s'%s/initdb' -D '%s/pg' -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync "
           ">'%s/initdb.log' 2>&1", pg.run_as, pg.bin, pg.dir, pg.dir) != 0 ||
        sh("%s'%s/pg_ctl' -D '%s/pg' -l '%s/pg.log' -w -o \"-k %s -c listen_addresses='' "
           "-c fsync=off\" start >/dev/null", pg.run_as, pg.bin, pg.dir, pg.dir, pg.dir) != 0 ||
        sh("createdb -h '%s' -U postgres fleet", pg.dir) != 0) {
        printf("PostgreSQL did not start: see %s/initdb.log and %s/pg.log\n", pg.dir, pg.dir);
        return -1;
    }
    snprintf(pg.url, sizeof pg.url, "postgresql:///fleet?host=%s&user=postgres", pg.dir);
    pg.ready = true;
    return 0;
}

static int stop_cluster(void **state)
{
    (void)state;
    if (ward_a.store)
        bt_store_close(ward_a.store);
    if (ward_b.store)
        bt_store_close(ward_b.store);
    if (pg.dir[0]) {
        sh("%s'%s/pg_ctl' -D '%s/pg' -m immediate -w stop >/dev/null 2>&1", pg.run_as, pg.bin,
           pg.dir);
        sh("rm -rf '%s'", pg.dir);
    }
    return 0;
}

#define NEED_CLUSTER()                                                                           \
    do {                                                                                         \
        if (!pg.ready)                                                                           \
            skip();                                                                              \
    } while (0)

/* ---- the appliances ------------------------------------------------------------------------ */

/* A device key from a fixed seed, written where the appliance keeps it, so ids and reports are
 * the same every run. */
static void appliance_open(appliance *a, const char *name, unsigned char seed_byte)
{
    char path[400], err[512], hex[129], text[400];
    unsigned char seed[32], pk[32], sk[64];
    memset(seed, seed_byte, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
    snprintf(a->data, sizeof a->data, "%s/%s", pg.dir, name);
    mkdir(a->data, 0755);
    snprintf(path, sizeof path, "%s/%s", a->data, BT_DEVICE_KEY_FILE);
    snprintf(text, sizeof text, "%s%s\n", BT_DEVICE_SECRET_PREFIX, hex);
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    chmod(path, 0600);
    snprintf(path, sizeof path, "%s/%s", a->data, BT_STORE_FILE);
    if (bt_store_open(path, &a->store, err, sizeof err) != 0)
        fail_msg("store: %s", err);
    assert_int_equal(bt_device_key_read(a->data, &a->key, err, sizeof err), 1);
    char *pub = bt_device_key_public_text(&a->key, NULL);
    snprintf(a->pub, sizeof a->pub, "%s/khoa.pub", a->data);
    assert_int_equal(bt_test_write_file(a->pub, pub, strlen(pub)), 0);
    free(pub);
}

/* n airings of a "cchc" bulletin in October 2025, completed but every fifth missed. */
static void air(appliance *a, int n)
{
    for (int i = 0; i < n; i++, a->airings++) {
        bt_airing_subject s;
        memset(&s, 0, sizeof s);
        snprintf(s.item_id, sizeof s.item_id, "ban-tin-%d", a->airings % 3);
        snprintf(s.title, sizeof s.title, "Dịch vụ công trực tuyến\tsố %d", a->airings);
        snprintf(s.topic, sizeof s.topic, "cchc, dich-vu-cong");
        snprintf(s.sha256, sizeof s.sha256, "%064d", a->airings);
        snprintf(s.playlist_id, sizeof s.playlist_id, "cchc-q4");
        s.playlist_version = 1;
        snprintf(s.session_id, sizeof s.session_id, "sang");
        s.scheduled_at = bt_time_from_civil(2025, 10, 1 + a->airings % 28, 7, a->airings % 60, 0);
        int64_t id = 0;
        if (a->airings % 5 == 4) {
            assert_int_equal(bt_airing_record(a->store, &s, BT_AIRING_MISSED, "máy tắt", true,
                                              &id), 0);
            continue;
        }
        assert_int_equal(bt_airing_begin(a->store, &s, s.scheduled_at * 1000, true, &id), 0);
        assert_int_equal(bt_airing_end(a->store, id, BT_AIRING_COMPLETED, NULL,
                                       s.scheduled_at * 1000 + 90000, 90000, true), 0);
    }
}

/* When the staff records below were written: before the first export (T0). */
#define T_RECORDED ((bt_wall)1761868800) /* 2025-10-31 07:00 in Hanoi */

/* Targets in force from 1 October 2025 (written as the appliance's targets_store writes them)
 * and a month of screen time on trusted days, so the report has targets to judge. */
static void targets_and_screen(appliance *a)
{
    char path[400], sql[2048];
    sqlite3 *db = NULL;
    snprintf(path, sizeof path, "%s/%s", a->data, BT_STORE_FILE);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO target_sets VALUES (1, 'cchc-q4', 1, %lld, %lld);"
             "INSERT INTO target_defs VALUES (1, 'loa-cchc', 'Phát thanh CCHC', 'loudspeaker',"
             " 'cchc', 'quarter', 30, 'airings', NULL, NULL);"
             "INSERT INTO target_defs VALUES (1, 'loa-ban-tin', 'Bản tin CCHC', 'loudspeaker',"
             " 'dich-vu-cong', 'quarter', 2, 'items', NULL, NULL);"
             "INSERT INTO target_defs VALUES (1, 'man-hinh', 'Thông báo CCHC', 'screen', NULL,"
             " 'quarter', 1, 'notices', NULL, NULL);"
             "INSERT INTO target_defs VALUES (1, 'zalo', 'Tin Zalo', 'zalo', NULL, 'quarter', 4,"
             " 'items', NULL, NULL);",
             (long long)bt_time_from_civil(2025, 10, 1, 0, 0, 0),
             (long long)bt_time_from_civil(2025, 10, 1, 0, 0, 0));
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    /* What staff recorded by hand (store step 11): in the quarter 3 tin/bài on Zalo from the
     * panel, 2 from a ghi-nhan.csv row undone by a correction, a playlist's record on the
     * City page; 5 on Zalo in September, outside it. */
    snprintf(sql, sizeof sql,
             "INSERT INTO staff_records (id, channel, day, title, count, source, entry_key,"
             " corrects, playlist_id, playlist_version, recorded_at, updated_at) VALUES"
             " (1, 'zalo', '2025-10-05', NULL, 3, 'panel', NULL, NULL, 'cchc-q4', 1, %lld, %lld),"
             " (2, 'city-page', '2025-10-10', 'Bài CCHC trên trang thành phố', 1, 'playlist',"
             "  NULL, NULL, 'cchc-q4', 1, %lld, %lld),"
             " (3, 'zalo', '2025-10-06', NULL, 2, 'csv', 'k-3', NULL, 'cchc-q4', 1, %lld, %lld),"
             " (4, 'zalo', '2025-10-06', NULL, -2, 'panel', NULL, 3, 'cchc-q4', 1, %lld, %lld),"
             " (5, 'zalo', '2025-09-20', NULL, 5, 'panel', NULL, NULL, 'cchc-q4', 1, %lld, %lld)",
             (long long)T_RECORDED, (long long)T_RECORDED, (long long)T_RECORDED,
             (long long)T_RECORDED, (long long)T_RECORDED, (long long)T_RECORDED,
             (long long)T_RECORDED, (long long)T_RECORDED, (long long)T_RECORDED,
             (long long)T_RECORDED);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    for (int d = 1; d <= 31; d++) {
        /* a video notice: its clip played whole 10 times a day, cut short twice (format 3) */
        bt_proof_row row = {.playlist_id = "cchc-q4", .notice_id = "dich-vu-cong",
                            .day = bt_time_day_from_ymd(2025, 10, d), .shows = 360,
                            .seconds = 3600, .video_whole = 10, .video_cut = 2};
        assert_int_equal(bt_store_add_impressions(a->store, &row, 1), 0);
    }
}

/* An export of the appliance at path (since the last one, or by dates when range). */
static void export_to(appliance *a, const char *name, bool range, bt_wall now, char *path,
                      size_t size)
{
    char err[1024];
    bt_export_summary sum;
    bt_export_request req = {.since_last = !range, .ward = "bangtin", .now = now};
    if (range) {
        req.first = bt_time_day_of(time(NULL)) - 1;
        req.last = req.first + 2;
    }
    snprintf(path, size, "%s/%s", a->data, name);
    if (bt_export_write_file(a->store, &a->key, &req, path, &sum, err, sizeof err) != 0)
        fail_msg("export: %s", err);
}

static const bt_wall T0 = 1761955200; /* 2025-11-01 07:00 in Hanoi */

/* An ingest of path refused: exit 1, the message names the device and says both things. */
static void ingest_refused(const char *path, const appliance *a, const char *what,
                           const char *and_what)
{
    int status;
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, a->key.id));
    assert_non_null(strstr(out, what));
    assert_non_null(strstr(out, and_what));
    free(out);
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void test_init_enroll_unknown_key(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char path[400];
    appliance_open(&ward_a, "a", 0x11);
    appliance_open(&ward_b, "b", 0x22);
    char *out = fleet(&status, "init --db '%s'", pg.url);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "từ phiên bản 0 lên 5"));
    free(out);
    out = fleet(&status, "init --db '%s'", pg.url);
    assert_non_null(strstr(out, "không đổi gì"));
    free(out);
    air(&ward_a, 6);
    targets_and_screen(&ward_a);
    export_to(&ward_a, "a1.bangtin", false, T0, path, sizeof path);
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, ward_a.key.id));
    assert_non_null(strstr(out, "chưa được đăng ký (khoá lạ)"));
    free(out);
    out = fleet(&status, "enroll --db '%s' --ward 'Phường Bạch Mai' '%s'", pg.url, ward_a.pub);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, ward_a.key.fingerprint));
    free(out);
    out = fleet(&status, "enroll --db '%s' --ward 'Phường Kim Liên' '%s'", pg.url, ward_b.pub);
    assert_int_equal(status, 0);
    free(out);
    /* The same key for another ward is refused. */
    out = fleet(&status, "enroll --db '%s' --ward 'Phường Khác' '%s'", pg.url, ward_a.pub);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "đã được đăng ký cho Phường Bạch Mai"));
    free(out);
    assert_int_equal(count("SELECT count(*) FROM devices"), 2);
}

static void test_ingest_and_reingest(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char path[400];
    snprintf(path, sizeof path, "%s/a1.bangtin", ward_a.data);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "đã nạp bản xuất số 1"));
    free(out);
    /* Six airings, one of them missed (one row), five in two rows. */
    assert_int_equal(count("SELECT count(*) FROM airing_events"), 11);
    assert_int_equal(count("SELECT count(*) FROM airing_events WHERE title LIKE '%\t%'"), 6);
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "đã được nạp trước đây: không thêm gì"));
    free(out);
    assert_int_equal(count("SELECT count(*) FROM airing_events"), 11);
    assert_int_equal(count("SELECT count(*) FROM exports"), 1);
}

static void test_gap_refused_then_filled(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char p2[400], p3[400];
    air(&ward_a, 2);
    export_to(&ward_a, "a2.bangtin", false, T0 + 86400, p2, sizeof p2);
    air(&ward_a, 2);
    export_to(&ward_a, "a3.bangtin", false, T0 + 2 * 86400, p3, sizeof p3);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, p3);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "Máy "));
    assert_non_null(strstr(out, ward_a.key.id));
    assert_non_null(strstr(out, "thiếu nhật ký phát thanh các dòng #12–#15"));
    free(out);
    assert_int_equal(count("SELECT count(*) FROM airing_events"), 11);
    /* On two connections: a device's files still go in one after another, in order. */
    out = fleet(&status, "ingest --db '%s' --jobs 2 '%s' '%s'", pg.url, p2, p3);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "2 tệp: 2 nạp được, 0 bị từ chối"));
    free(out);
    /* Two airings (four rows), then one completed and one missed (three rows). */
    assert_int_equal(count("SELECT max(seq) FROM airing_events"), 18);
    assert_int_equal(count("SELECT airing_seq FROM devices WHERE ward = 'Phường Bạch Mai'"), 18);
}

static void test_edited_row_refused(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char p4[400], copy[500];
    air(&ward_a, 3);
    export_to(&ward_a, "a4.bangtin", false, T0 + 3 * 86400, p4, sizeof p4);
    snprintf(copy, sizeof copy, "%s/sua.bangtin", ward_a.data);
    assert_int_equal(sh("cp '%s' '%s' && cp '%s.sig' '%s.sig' && sqlite3 '%s' \"UPDATE "
                        "airing_events SET title = 'đã sửa' WHERE seq = 21\"",
                        p4, copy, p4, copy, copy), 0);
    ingest_refused(copy, &ward_a, "dòng #21", "đã bị sửa");
    assert_int_equal(count("SELECT max(seq) FROM airing_events"), 18);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, p4);
    assert_int_equal(status, 0);
    free(out);
}

static void test_wrong_key_refused(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char p5[400], sig_path[500];
    air(&ward_a, 1);
    export_to(&ward_a, "a5.bangtin", false, T0 + 4 * 86400, p5, sizeof p5);
    /* Signed by ward B's key but naming ward A: the signature does not hold for A's key. */
    size_t len = 0;
    char *data = bt_test_read_file(p5, &len);
    char *sig = bt_device_key_sign(&ward_b.key, data, len);
    char *id = strstr(sig, ward_b.key.id);
    memcpy(id, ward_a.key.id, BT_DEVICE_ID_SIZE - 1);
    snprintf(sig_path, sizeof sig_path, "%s.sig", p5);
    assert_int_equal(bt_test_write_file(sig_path, sig, strlen(sig)), 0);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, p5);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "chữ ký không khớp nội dung tệp"));
    assert_non_null(strstr(out, ward_a.key.id));
    free(out);
    long long before = count("SELECT count(*) FROM airing_events");
    /* Signed right again: it goes in. */
    free(sig);
    sig = bt_device_key_sign(&ward_a.key, data, len);
    assert_int_equal(bt_test_write_file(sig_path, sig, strlen(sig)), 0);
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, p5);
    assert_int_equal(status, 0);
    assert_int_equal(count("SELECT count(*) FROM airing_events"), before + 2);
    free(out);
    free(sig);
    free(data);
}

static void test_replayed_old_export_refused(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char old[400], next[400];
    air(&ward_a, 1);
    export_to(&ward_a, "cu.bangtin", true, T0 + 5 * 86400, old, sizeof old);
    export_to(&ward_a, "a6.bangtin", false, T0 + 5 * 86400, next, sizeof next);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, next);
    assert_int_equal(status, 0);
    free(out);
    long long rows = count("SELECT count(*) FROM airing_events");
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, old);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, ward_a.key.id));
    assert_non_null(strstr(out, "cũ hơn bản số"));
    free(out);
    assert_int_equal(count("SELECT count(*) FROM airing_events"), rows);
}

static void test_killed_mid_copy_leaves_nothing(void **st)
{
    (void)st;
    NEED_CLUSTER();
    char path[400], flag[500];
    air(&ward_b, 40);
    bt_clock_event jump = {.detected_at_ms = bt_time_from_civil(2025, 10, 20, 8, 0, 0) * 1000LL,
                           .jump_ms = -7200000, .note = "đồng hồ lùi 2 giờ"};
    assert_int_equal(bt_airing_add_clock_event(ward_b.store, &jump, NULL), 0);
    export_to(&ward_b, "b1.bangtin", false, T0 + 6 * 86400, path, sizeof path);
    snprintf(flag, sizeof flag, "%s/copy-started", pg.dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("BANGTIN_FLEET_TEST_STALL_COPY", flag, 1);
        int null = open("/dev/null", 1);
        dup2(null, 1);
        dup2(null, 2);
        execl(BT_FLEET_EXE, BT_FLEET_EXE, "ingest", "--db", pg.url, path, (char *)NULL);
        _exit(127);
    }
    struct stat sb;
    for (int i = 0; i < 600 && stat(flag, &sb) != 0; i++)
        usleep(50 * 1000);
    assert_int_equal(stat(flag, &sb), 0);
    /* The rows are on their way into the temporary table, the COPY not ended. */
    assert_int_equal(kill(pid, SIGKILL), 0);
    int wstatus;
    waitpid(pid, &wstatus, 0);
    assert_true(WIFSIGNALED(wstatus));
    /* The server notices the dead connection and rolls back: nothing of ward B. */
    for (int i = 0; i < 100 && count("SELECT count(*) FROM pg_stat_activity WHERE "
                                     "datname = 'fleet' AND pid <> pg_backend_pid()") > 0;
         i++)
        usleep(50 * 1000);
    assert_int_equal(count("SELECT count(*) FROM airing_events a JOIN devices d USING "
                           "(device_id) WHERE d.ward = 'Phường Kim Liên'"), 0);
    assert_int_equal(count("SELECT count(*) FROM exports e JOIN devices d USING (device_id) "
                           "WHERE d.ward = 'Phường Kim Liên'"), 0);
    assert_int_equal(count("SELECT count(*) FROM ward_days w JOIN devices d USING (device_id) "
                           "WHERE d.ward = 'Phường Kim Liên'"), 0);
    assert_int_equal(count("SELECT airing_seq FROM devices WHERE ward = 'Phường Kim Liên'"), 0);
    int status;
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_int_equal(count("SELECT airing_seq FROM devices WHERE ward = 'Phường Kim Liên'"), 72);
}

/* The report's summaries follow the log: an airing begun in one export and ended in the next
 * counts as completed on its own day once the 'end' row arrives. */
static void test_summary_follows_later_end(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char path[400];
    const char *done_on_25 = "SELECT COALESCE(sum(w.done), 0) FROM ward_days w JOIN devices d"
                             " USING (device_id) WHERE d.ward = 'Phường Kim Liên'"
                             " AND w.day = '2025-10-25'";
    long long before = count(done_on_25);
    bt_airing_subject s;
    memset(&s, 0, sizeof s);
    snprintf(s.item_id, sizeof s.item_id, "ban-tin-muon");
    snprintf(s.title, sizeof s.title, "Bản tin kết thúc ở lần xuất sau");
    snprintf(s.topic, sizeof s.topic, "cchc");
    snprintf(s.sha256, sizeof s.sha256, "%064d", 7);
    snprintf(s.playlist_id, sizeof s.playlist_id, "cchc-q4");
    s.playlist_version = 1;
    snprintf(s.session_id, sizeof s.session_id, "toi");
    s.scheduled_at = bt_time_from_civil(2025, 10, 25, 23, 30, 0);
    int64_t id = 0;
    assert_int_equal(bt_airing_begin(ward_b.store, &s, s.scheduled_at * 1000, true, &id), 0);
    export_to(&ward_b, "b2.bangtin", false, T0 + 7 * 86400, path, sizeof path);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_int_equal(count(done_on_25), before);
    assert_int_equal(bt_airing_end(ward_b.store, id, BT_AIRING_COMPLETED, NULL,
                                   s.scheduled_at * 1000 + 60000, 60000, true), 0);
    export_to(&ward_b, "b3.bangtin", false, T0 + 8 * 86400, path, sizeof path);
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_int_equal(count(done_on_25), before + 1);
    /* Ward B's Zalo has no target; its records are unknown until it sends format 2: it has. */
    assert_int_equal(count("SELECT min(export_version) FROM devices"), BT_EXPORT_VERSION);
}

/* Staff records: the city keeps them by the appliance's row id; a playlist's record's later
 * note is taken, a record whose count was changed on the appliance is an edited row. */
static void test_staff_records(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char path[400], store_path[400];
    assert_int_equal(count("SELECT count(*) FROM staff_records"), 5);
    assert_int_equal(count("SELECT sum(count) FROM staff_records WHERE channel = 'zalo'"
                           " AND day BETWEEN '2025-10-01' AND '2025-12-31'"), 3);
    snprintf(store_path, sizeof store_path, "%s/%s", ward_a.data, BT_STORE_FILE);
    assert_int_equal(sh("sqlite3 '%s' \"UPDATE staff_records SET note = 'đã đăng lại',"
                        " updated_at = %lld WHERE id = 2\"", store_path,
                        (long long)(T0 + 9 * 86400)), 0);
    export_to(&ward_a, "a7.bangtin", false, T0 + 9 * 86400, path, sizeof path);
    char *out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_int_equal(count("SELECT count(*) FROM staff_records WHERE note = 'đã đăng lại'"), 1);
    /* The store forbids it; someone with the disk does it anyway and the device signs it. */
    assert_int_equal(sh("sqlite3 '%s' \"DROP TRIGGER staff_records_no_edit; UPDATE staff_records"
                        " SET count = 30, updated_at = %lld WHERE id = 1\"", store_path,
                        (long long)(T0 + 10 * 86400)), 0);
    export_to(&ward_a, "a8.bangtin", false, T0 + 10 * 86400, path, sizeof path);
    ingest_refused(path, &ward_a, "tin bài do cán bộ ghi nhận số #1", "không nạp gì");
    assert_int_equal(count("SELECT count FROM staff_records WHERE id = 1"), 3);
    /* An export of format 1 (before staff records) still goes in, its missing table not read:
     * made from the next export by dropping the table and marking it version 1, signed again. */
    air(&ward_a, 1);
    export_to(&ward_a, "a9.bangtin", false, T0 + 11 * 86400, path, sizeof path);
    assert_int_equal(sh("sqlite3 '%s' \"DROP TABLE staff_records; PRAGMA user_version = 1;"
                        " UPDATE meta SET value = '1' WHERE key = 'format_version'; VACUUM\"",
                        path), 0);
    size_t len = 0;
    char *data = bt_test_read_file(path, &len), sig_path[500];
    char *sig = bt_device_key_sign(&ward_a.key, data, len);
    snprintf(sig_path, sizeof sig_path, "%s.sig", path);
    assert_int_equal(bt_test_write_file(sig_path, sig, strlen(sig)), 0);
    free(sig);
    free(data);
    long long rows = count("SELECT count(*) FROM airing_events");
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_true(count("SELECT count(*) FROM airing_events") > rows);
    assert_int_equal(count("SELECT count(*) FROM staff_records"), 5);
    /* What the device sent before stays known. */
    assert_int_equal(count("SELECT export_version FROM devices WHERE ward = 'Phường Bạch Mai'"),
                     BT_EXPORT_VERSION);
    /* An export of format 2 (before video plays) still goes in: its screen rows with no plays. */
    bt_proof_row row = {.playlist_id = "cchc-q4", .notice_id = "dich-vu-cong",
                        .day = bt_time_day_from_ymd(2025, 11, 12), .shows = 40, .seconds = 400,
                        .video_whole = 7, .video_cut = 1};
    assert_int_equal(bt_store_add_impressions(ward_a.store, &row, 1), 0);
    air(&ward_a, 1);
    export_to(&ward_a, "a10.bangtin", false, T0 + 12 * 86400, path, sizeof path);
    assert_int_equal(sh("sqlite3 '%s' \"ALTER TABLE impressions DROP COLUMN video_whole;"
                        " ALTER TABLE impressions DROP COLUMN video_cut; PRAGMA user_version = 2;"
                        " UPDATE meta SET value = '2' WHERE key = 'format_version'; VACUUM\"",
                        path), 0);
    data = bt_test_read_file(path, &len);
    sig = bt_device_key_sign(&ward_a.key, data, len);
    snprintf(sig_path, sizeof sig_path, "%s.sig", path);
    assert_int_equal(bt_test_write_file(sig_path, sig, strlen(sig)), 0);
    free(sig);
    free(data);
    out = fleet(&status, "ingest --db '%s' '%s'", pg.url, path);
    assert_int_equal(status, 0);
    free(out);
    assert_int_equal(count("SELECT sum(shows) FROM impressions WHERE day = '2025-11-12'"), 40);
    assert_int_equal(count("SELECT sum(video_whole) + sum(video_cut) FROM impressions"
                           " WHERE day = '2025-11-12'"), 0);
    assert_int_equal(count("SELECT sum(shows) FROM ward_days WHERE day = '2025-11-12'"), 40);
}

/* The report with the temporary folder's path written as <TMP>, against tests/data/fleet. */
static void compare_golden(const char *path, const char *golden_name)
{
    size_t len = 0, glen = 0;
    char golden[1024];
    char *got = bt_test_read_file(path, &len);
    assert_non_null(got);
    char *norm = malloc(len + 1);
    size_t n = 0, dl = strlen(pg.dir);
    for (size_t i = 0; i < len;) {
        if (strncmp(got + i, pg.dir, dl) == 0) {
            memcpy(norm + n, "<TMP>", 5);
            n += 5;
            i += dl;
        } else {
            norm[n++] = got[i++];
        }
    }
    norm[n] = '\0';
    snprintf(golden, sizeof golden, "%s/tests/data/fleet/%s", BT_SOURCE_DIR, golden_name);
    if (getenv("BT_UPDATE_GOLDEN"))
        bt_test_write_file(golden, norm, n);
    char *want = bt_test_read_file(golden, &glen);
    assert_non_null(want);
    if (glen != n || memcmp(want, norm, n) != 0)
        fail_msg("%s differs from %s:\n%s", path, golden, norm);
    free(want);
    free(norm);
    free(got);
}

static void test_reports_match_golden(void **st)
{
    (void)st;
    NEED_CLUSTER();
    int status;
    char out_path[400];
    const char *formats[] = {"csv", "html"};
    for (int i = 0; i < 2; i++) {
        snprintf(out_path, sizeof out_path, "%s/bao-cao.%s", pg.dir, formats[i]);
        char *out = fleet(&status, "report --db '%s' --period 2025-Q4 --format %s -o '%s' "
                                   "--now '2025-11-15 17:00'", pg.url, formats[i], out_path);
        assert_int_equal(status, 0);
        free(out);
        char golden[32];
        snprintf(golden, sizeof golden, "report-2025-Q4.%s", formats[i]);
        compare_golden(out_path, golden);
    }
    snprintf(out_path, sizeof out_path, "%s/bao-cao.xlsx", pg.dir);
    char *out = fleet(&status, "report --db '%s' --period 2025-Q4 --format xlsx -o '%s'", pg.url,
                      out_path);
    assert_int_equal(status, 0);
    free(out);
    size_t len = 0;
    char *x = bt_test_read_file(out_path, &len);
    assert_true(len > 1000);
    assert_memory_equal(x, "PK", 2);
    free(x);
    out = fleet(&status, "status --db '%s'", pg.url);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "2 máy đã đăng ký"));
    assert_non_null(strstr(out, "Phường Kim Liên — máy"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_enroll_unknown_key),
        cmocka_unit_test(test_ingest_and_reingest),
        cmocka_unit_test(test_gap_refused_then_filled),
        cmocka_unit_test(test_edited_row_refused),
        cmocka_unit_test(test_wrong_key_refused),
        cmocka_unit_test(test_replayed_old_export_refused),
        cmocka_unit_test(test_killed_mid_copy_leaves_nothing),
        cmocka_unit_test(test_summary_follows_later_end),
        cmocka_unit_test(test_reports_match_golden),
        cmocka_unit_test(test_staff_records),
    };
    return cmocka_run_group_tests(tests, start_cluster, stop_cluster);
}
