/* Injected storage faults (issue 10, item 11). A test VFS (tests/support/bt_fault_vfs.c) wraps
 * SQLite's unix VFS as the process's default, so the store opens through it unchanged, and
 * fails the Nth open, read, write, sync or truncate of any file (database, WAL, rollback
 * journal) with an I/O error, a full disk, a failed fsync or a read-only disk. Paths:
 *   (a) the airing log: begin, end, record, a clock event, recovery after a crash;
 *   (b) an impression flush;
 *   (c) an activation: bt_store_activate and bt_content_activate, with targets and notices;
 *   (d) building a report (reads only);
 *   (e) creating a new database (rollback journal, then WAL, then the migrations);
 *   (f) closing the store (the checkpoint of a WAL a crash left).
 * For each, the calls of each kind are counted on a fault-free run; then for every N up to that
 * count the operation runs with the Nth call failing, and afterwards, reopened normally — and
 * also from a copy of the files as a crash right after the fault would have left them:
 *   - every row committed before is there (a dump of every table, before and after);
 *   - the operation left nothing or its whole effect; one that said it succeeded left its
 *     whole effect; a failure retried on the same connection leaves it exactly once;
 *   - PRAGMA integrity_check and foreign_key_check are clean and bt_airing_verify finds no
 *     problem (the witness bangtin.db.head is rewritten only after a commit);
 *   - a report that hit a fault failed with a message or carries exactly the fault-free
 *     figures (at most its log line says the check could not be made).
 * The matrix (path × fault × N → outcome) is printed; BT_FAULT_VERBOSE=1 adds every trial.
 * Seen, and allowed by the rule above: when the fsync of a commit fails, SQLite has already
 * written the WAL frames, so a crash copy taken then holds the whole effect of an operation that
 * reported failure (counted "trọn vẹn"); a clean close or the next commit discards them.
 * Also: a connection that cannot switch to synchronous=FULL writes no log row, activation or
 * prune (refuses_without_full). */
#include "bt_test_support.h"

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_buf.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "bt_fault_vfs.h"
#include "../../src/store/store_internal.h" /* white box: the store's connection */

#define PATH_BYTES 1024
#define WARD "Phường Bạch Mai"
#define DEVICE "bangtin-sanh-1"
/* The files a crash leaves: the database, its WAL and the log's witness (not the -shm index,
 * which SQLite rebuilds). */
static const char *const db_files[] = {BT_STORE_FILE, BT_STORE_FILE "-wal",
                                       BT_STORE_FILE ".head"};

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

/* ---- the log, captured ---------------------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    int errors;
    char last[512];
} logged = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void capture(void *ctx, bt_log_level level, const char *line)
{
    (void)ctx;
    if (level < BT_LOG_ERROR)
        return;
    pthread_mutex_lock(&logged.lock);
    logged.errors++;
    snprintf(logged.last, sizeof logged.last, "%s", line);
    pthread_mutex_unlock(&logged.lock);
}

static void log_reset(void)
{
    pthread_mutex_lock(&logged.lock);
    logged.errors = 0;
    logged.last[0] = '\0';
    pthread_mutex_unlock(&logged.lock);
}

/* ---- files ---------------------------------------------------------------------------------- */

static void path_join(char *out, const char *dir, const char *name)
{
    if (snprintf(out, PATH_BYTES, "%s/%s", dir, name) >= PATH_BYTES)
        fail_msg("path too long: %s/%s", dir, name);
}

/* Empties a flat directory (creating it if needed). */
static void clear_dir(const char *dir)
{
    mkdir(dir, 0755);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char path[PATH_BYTES];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        path_join(path, dir, e->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(d);
}

/* Copies the database's files that exist from one directory into another (emptied first). */
static void copy_db_files(const char *from, const char *to)
{
    char src[PATH_BYTES], dst[PATH_BYTES];
    clear_dir(to);
    for (size_t i = 0; i < sizeof db_files / sizeof db_files[0]; i++) {
        path_join(src, from, db_files[i]);
        path_join(dst, to, db_files[i]);
        size_t len = 0;
        char *data = bt_test_read_file(src, &len);
        if (!data)
            continue;
        assert_int_equal(bt_test_write_file(dst, data, len), 0);
        free(data);
    }
}

/* ---- what a database holds ------------------------------------------------------------------ */

static const char *const dumped_tables[] = {
    "airing_events", "clock_events",   "log_heads",         "impressions",
    "playlists",     "target_sets",    "target_defs",       "target_notices",
    "content_playlists", "content_files", "content_objects", "audio_measurements",
    "impressions_untrusted",
};

/* Columns that hold when a row was written, or a hash over that: they differ between runs
 * (the chain itself is bt_airing_verify's to check). */
static bool written_at_column(const char *name)
{
    return strcmp(name, "logged_at_ms") == 0 || strcmp(name, "prev_hash") == 0 ||
           strcmp(name, "hash") == 0 || strcmp(name, "recorded_at") == 0;
}

static sqlite3 *open_plain(const char *db)
{
    sqlite3 *c = NULL;
    if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("cannot open %s: %s", db, c ? sqlite3_errmsg(c) : "?");
    return c;
}

/* Every row of every table, one line each, in key order; "" when there is no database. */
static char *dump(const char *db)
{
    bt_buf b = {0};
    if (access(db, F_OK) != 0)
        return strdup("");
    sqlite3 *c = open_plain(db);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bt_buf_printf(&b, "user_version|%d\n", sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    for (size_t t = 0; t < sizeof dumped_tables / sizeof dumped_tables[0]; t++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2, 3", dumped_tables[t]);
        if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
            bt_buf_printf(&b, "%s|missing\n", dumped_tables[t]);
            continue;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            bt_buf_str(&b, dumped_tables[t]);
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                if (written_at_column(sqlite3_column_name(st, i)))
                    continue;
                const char *v = (const char *)sqlite3_column_text(st, i);
                bt_buf_printf(&b, "|%s", v ? v : "∅");
            }
            bt_buf_str(&b, "\n");
        }
        assert_int_equal(rc, SQLITE_DONE);
        sqlite3_finalize(st);
    }
    sqlite3_close(c);
    assert_false(b.failed);
    return b.data ? b.data : strdup("");
}

static void expect_integrity(const char *db, const char *what)
{
    sqlite3 *c = open_plain(db);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(st, 0);
    if (!v || strcmp(v, "ok") != 0)
        fail_msg("%s: integrity_check: %s", what, v ? v : "?");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA foreign_key_check", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) != SQLITE_DONE)
        fail_msg("%s: foreign_key_check names rows of %s", what, sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(c);
}

/* Reopens a database as the appliance would (fault-free), checks the log's chains and witness
 * and SQLite's own integrity; returns the dump. */
static char *reopen_and_check(const char *db, const char *what)
{
    bt_store *s = NULL;
    char err[512];
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("%s: the store does not open again: %s", what, err);
    bt_airing_verify_result *v = calloc(1, sizeof *v);
    assert_non_null(v);
    int rc = bt_airing_verify(s, v);
    if (rc != 0)
        fail_msg("%s: log verify returns %d (%zu problems): %s", what, rc, v->problem_count,
                 v->problem_count ? v->problems[0].message : "không đọc được");
    free(v);
    bt_store_close(s);
    expect_integrity(db, what);
    return dump(db);
}

/* The first line where two dumps differ, for a failure message. */
static void first_difference(const char *a, const char *b, char *out, size_t size)
{
    size_t line = 1;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++;
        b++;
    }
    while (line > 1 && a[-1] != '\n') {
        a--;
        b--;
    }
    snprintf(out, size, "line %zu: «%.*s» ≠ «%.*s»", line, (int)strcspn(a, "\n"), a,
             (int)strcspn(b, "\n"), b);
}

/* ---- the world the operations run on -------------------------------------------------------- */

static struct {
    char root[PATH_BYTES];
    char clean[PATH_BYTES];   /* committed rows, closed cleanly */
    char crashed[PATH_BYTES]; /* the same plus committed rows still in the WAL (a crash image) */
    bt_playlist model;        /* the demo playlist, as loaded: targets and notices */
    int64_t open_airing;      /* begun in the templates, never ended */
    char *report;             /* the Q4 2025 report's CSV, built without faults */
} world;

static bt_airing_subject subject(const char *item, const char *topic, const char *session,
                                 bt_wall slot)
{
    bt_airing_subject s;
    memset(&s, 0, sizeof s);
    snprintf(s.item_id, sizeof s.item_id, "%s", item);
    snprintf(s.title, sizeof s.title, "Tin %s", item);
    snprintf(s.topic, sizeof s.topic, "%s", topic);
    snprintf(s.playlist_id, sizeof s.playlist_id, "%s", world.model.id);
    s.playlist_version = world.model.version;
    snprintf(s.session_id, sizeof s.session_id, "%s", session);
    s.scheduled_at = slot;
    return s;
}

static int64_t begin_at(bt_store *s, const char *item, bt_wall slot)
{
    bt_airing_subject subj = subject(item, "dich-vu-cong", "ban-tin-sang", slot);
    int64_t id = 0;
    assert_int_equal(bt_airing_begin(s, &subj, slot * 1000LL + 4000, true, &id), 0);
    return id;
}

static void aired(bt_store *s, const char *item, bt_wall slot, bt_airing_status status)
{
    int64_t id = begin_at(s, item, slot);
    assert_int_equal(bt_airing_end(s, id, status, status == BT_AIRING_COMPLETED ? NULL : "crash",
                                   slot * 1000LL + 124000, 120000, true),
                     0);
}

static bt_proof_row impression(const char *notice, bt_day day, int64_t shows, double seconds)
{
    bt_proof_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.playlist_id, sizeof r.playlist_id, "%s", world.model.id);
    snprintf(r.notice_id, sizeof r.notice_id, "%s", notice);
    r.day = day;
    r.shows = shows;
    r.seconds = seconds;
    return r;
}

static bt_content_playlist stored_playlist(char key_digit)
{
    bt_content_playlist p;
    memset(&p, 0, sizeof p);
    memset(p.key, key_digit, 64);
    snprintf(p.id, sizeof p.id, "%s", world.model.id);
    p.version = world.model.version;
    snprintf(p.title, sizeof p.title, "%s", world.model.title ? world.model.title : "demo");
    snprintf(p.dir, sizeof p.dir, "/var/lib/bangtin/content/playlists/%s", p.key);
    p.notices = (int)world.model.notice_count;
    p.items = (int)world.model.broadcasts.item_count;
    snprintf(p.signer, sizeof p.signer, "0123456789abcdef");
    p.imported_at = at(2025, 9, 20, 10, 0);
    return p;
}

static char hex_a[65], hex_b[65], hex_c[65], hex_d[65];

static void make_clean_template(void)
{
    char db[PATH_BYTES], err[512];
    bt_store *s = NULL;
    path_join(db, world.clean, BT_STORE_FILE);
    clear_dir(world.clean);
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    bt_content_playlist p = stored_playlist('a');
    const bt_content_file files[] = {{"playlist.cfg", hex_a, 4000}, {"images/a.png", hex_b, 90000}};
    assert_int_equal(bt_content_activate(s, &p, files, 2, at(2025, 9, 20, 10, 0), false,
                                         &world.model),
                     0);
    aired(s, "tin-dvc-truc-tuyen", at(2025, 10, 6, 6, 0), BT_AIRING_COMPLETED);
    aired(s, "tin-vneid", at(2025, 11, 3, 6, 0), BT_AIRING_INTERRUPTED);
    bt_airing_subject missed = subject("tin-vneid", "dinh-danh-dien-tu", "ban-tin-sang",
                                       at(2025, 11, 10, 6, 0));
    assert_int_equal(bt_airing_record(s, &missed, BT_AIRING_MISSED, "off", true, NULL), 0);
    bt_clock_event ev = {.detected_at_ms = at(2025, 11, 12, 9, 0) * 1000LL, .jump_ms = 62000,
                         .mono = 123456789};
    snprintf(ev.note, sizeof ev.note, "nhảy tới");
    assert_int_equal(bt_airing_add_clock_event(s, &ev, NULL), 0);
    /* Two airings a crash left open: one to end, both to recover. */
    world.open_airing = begin_at(s, "tin-chi-so-hai-long", at(2025, 12, 15, 6, 0));
    begin_at(s, "tin-chinh-quyen-hai-cap", at(2025, 12, 15, 6, 5));
    const bt_proof_row rows[] = {
        impression("mot-cua-dang-lam-viec", bt_time_day_from_ymd(2025, 10, 1), 120, 1800),
        impression("quy-trinh-mot-cua", bt_time_day_from_ymd(2025, 10, 1), 60, 900),
        impression("mot-cua-dang-lam-viec", bt_time_day_from_ymd(2025, 10, 2), 118, 1770),
    };
    assert_int_equal(bt_store_add_impressions(s, rows, 3), 0);
    bt_store_close(s);
}

/* The clean template with more committed rows, copied while its store is still open: the rows
 * are in the WAL, as a crash or power cut leaves them. */
static void make_crashed_template(void)
{
    char work[PATH_BYTES], db[PATH_BYTES], err[512];
    bt_store *s = NULL;
    path_join(work, world.root, "crashing");
    copy_db_files(world.clean, work);
    path_join(db, work, BT_STORE_FILE);
    if (bt_store_open(db, &s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    aired(s, "tin-dvc-truc-tuyen", at(2025, 12, 1, 6, 0), BT_AIRING_COMPLETED);
    const bt_proof_row row =
        impression("quy-trinh-mot-cua", bt_time_day_from_ymd(2025, 12, 1), 30, 450);
    assert_int_equal(bt_store_add_impressions(s, &row, 1), 0);
    copy_db_files(work, world.crashed);
    bt_store_close(s);
    char wal[PATH_BYTES];
    path_join(wal, world.crashed, BT_STORE_FILE "-wal");
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size > 0);
}

/* ---- the operations ------------------------------------------------------------------------- */

typedef struct {
    char dir[PATH_BYTES];
    char db[PATH_BYTES];
    bt_store *s;
    char note[512];   /* the message of a failed operation */
} trial;

/* A report built despite a fault whose only difference is that its log line says the check
 * could not be made (the check's own connection hit the fault). */
#define REPORT_LOG_UNCHECKED 1

static int op_begin(trial *t)
{
    bt_airing_subject subj =
        subject("tin-vneid", "dinh-danh-dien-tu", "ban-tin-chieu", at(2025, 12, 20, 17, 0));
    int64_t id = -1;
    int rc = bt_airing_begin(t->s, &subj, at(2025, 12, 20, 17, 0) * 1000LL + 4000, true, &id);
    /* A failed begin gives no id: the broadcaster must not end a rolled-back row later. */
    if (rc != 0 && id != 0)
        fail_msg("a failed bt_airing_begin gave airing id %lld", (long long)id);
    return rc;
}

static int op_end(trial *t)
{
    return bt_airing_end(t->s, world.open_airing, BT_AIRING_COMPLETED, NULL,
                         at(2025, 12, 15, 6, 3) * 1000LL, 176000, true);
}

static int op_record(trial *t)
{
    bt_airing_subject subj =
        subject("tin-dvc-truc-tuyen", "dich-vu-cong", "ban-tin-sang", at(2025, 12, 22, 6, 0));
    int64_t id = -1;
    int rc = bt_airing_record(t->s, &subj, BT_AIRING_FAILED, "no-device", true, &id);
    if (rc != 0 && id != 0)
        fail_msg("a failed bt_airing_record gave airing id %lld", (long long)id);
    return rc;
}

static int op_clock(trial *t)
{
    bt_clock_event ev = {.detected_at_ms = at(2025, 12, 23, 8, 0) * 1000LL, .jump_ms = -86400000,
                         .mono = 987654321};
    snprintf(ev.note, sizeof ev.note, "lùi một ngày");
    return bt_airing_add_clock_event(t->s, &ev, NULL);
}

static int op_recover(trial *t)
{
    size_t n = 0;
    int rc = bt_airing_recover(t->s, &n);
    if (rc == 0 && n != 2)
        fail_msg("recovery closed %zu airings, not 2", n);
    return rc;
}

static int op_impressions(trial *t)
{
    const bt_proof_row rows[] = {
        impression("mot-cua-dang-lam-viec", bt_time_day_from_ymd(2025, 10, 2), 7, 105),
        impression("quy-trinh-mot-cua", bt_time_day_from_ymd(2025, 10, 2), 3, 45.5),
        impression("phi-le-phi-cong-khai", bt_time_day_from_ymd(2025, 10, 2), 4, 60),
    };
    return bt_store_add_impressions(t->s, rows, 3);
}

static int op_activate(trial *t)
{
    bt_store_playlist sp;
    memset(&sp, 0, sizeof sp);
    snprintf(sp.id, sizeof sp.id, "%s", world.model.id);
    sp.version = world.model.version;
    snprintf(sp.title, sizeof sp.title, "%s", world.model.title ? world.model.title : "demo");
    snprintf(sp.dir, sizeof sp.dir, "/srv/bangtin/demo");
    sp.activated_at = at(2025, 11, 15, 8, 0);
    return bt_store_activate(t->s, &sp, &world.model);
}

static int op_content(trial *t)
{
    bt_content_playlist p = stored_playlist('b');
    const bt_content_file files[] = {
        {"playlist.cfg", hex_c, 4100},
        {"images/a.png", hex_b, 90000}, /* an object the stored playlist has too */
        {"audio/x.ogg", hex_d, 8000},
    };
    return bt_content_activate(t->s, &p, files, 3, at(2025, 11, 15, 8, 0), false, &world.model);
}

static int op_open(trial *t)
{
    if (t->s)
        bt_store_close(t->s);
    t->s = NULL;
    int rc = bt_store_open(t->db, &t->s, t->note, sizeof t->note);
    if (rc != 0 && !t->note[0])
        fail_msg("bt_store_open failed without a message");
    return rc;
}

static int op_close(trial *t)
{
    bt_store_close(t->s);
    t->s = NULL;
    return 0;
}

/* 1 if the two reports differ only in the log line, which says the check was not made. */
static bool only_log_unchecked(const char *got, const char *want)
{
    const char *g = got, *w = want;
    bool other = false, unchecked = false;
    while (*g || *w) {
        size_t gl = strcspn(g, "\n"), wl = strcspn(w, "\n");
        if (gl != wl || memcmp(g, w, gl) != 0) {
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)gl, g);
            if (strstr(line, "không kiểm tra được"))
                unchecked = true;
            else
                other = true;
        }
        g += gl + (g[gl] ? 1 : 0);
        w += wl + (w[wl] ? 1 : 0);
    }
    return unchecked && !other;
}

static char *build_report(bt_store *s, char *err, size_t err_size, const char *csv)
{
    bt_period q4;
    assert_int_equal(bt_report_period_parse("2025-Q4", &q4), 0);
    bt_report_options o = {.ward = WARD, .device = DEVICE, .generated_at = at(2026, 1, 5, 9, 30)};
    bt_report *r = NULL;
    if (bt_report_build(s, &q4, &o, &r, err, err_size) != 0)
        return NULL;
    if (bt_report_save(r, BT_REPORT_CSV, csv, err, err_size) != 0)
        fail_msg("bt_report_save: %s", err);
    bt_report_destroy(r);
    char *text = bt_test_read_file(csv, NULL);
    assert_non_null(text);
    return text;
}

static int op_report(trial *t)
{
    char csv[PATH_BYTES];
    path_join(csv, t->dir, "report.csv");
    char *got = build_report(t->s, t->note, sizeof t->note, csv);
    if (!got) {
        if (!t->note[0])
            fail_msg("the report failed without a message");
        return -1;
    }
    int rc = 0;
    if (strcmp(got, world.report) != 0) {
        if (!only_log_unchecked(got, world.report)) {
            char diff[2200];
            first_difference(got, world.report, diff, sizeof diff);
            fail_msg("a report built under a fault carries other figures: %s", diff);
        }
        rc = REPORT_LOG_UNCHECKED;
    }
    free(got);
    return rc;
}

/* ---- the trials ----------------------------------------------------------------------------- */

/* BT_FAULT_VERBOSE=1 prints every trial: the call that failed and what the operation said. */
static bool verbose;

typedef enum { FROM_CLEAN, FROM_CRASHED, FROM_NOTHING } start_state;

typedef struct {
    const char *name;
    start_state start;
    bool opens;   /* the operation opens the store itself */
    bool closes;  /* the operation closes it */
    int (*run)(trial *t);
} op_path;

typedef struct {
    const char *name;
    unsigned kinds;
    int error;
    bool sticky;  /* every call after the Nth fails too: a disk that stays full or read-only */
} fault_spec;

static const fault_spec faults[] = {
    {"ghi: lỗi I/O", BT_FAULT_WRITE, SQLITE_IOERR_WRITE, false},
    {"ghi: đĩa đầy", BT_FAULT_WRITE | BT_FAULT_TRUNCATE, SQLITE_FULL, true},
    {"fsync lỗi", BT_FAULT_SYNC, SQLITE_IOERR_FSYNC, false},
    {"truncate lỗi", BT_FAULT_TRUNCATE, SQLITE_IOERR_TRUNCATE, false},
    {"đĩa chỉ đọc", BT_FAULT_WRITE | BT_FAULT_SYNC | BT_FAULT_TRUNCATE, SQLITE_READONLY, true},
    {"không mở được", BT_FAULT_OPEN, SQLITE_CANTOPEN, true},
    {"đọc: lỗi I/O", BT_FAULT_READ, SQLITE_IOERR_READ, false},
};
#define FAULT_COUNT (sizeof faults / sizeof faults[0])

/* What the trials of one path and one fault came to. */
typedef struct {
    long calls;                /* of the fault's kinds, in the fault-free run */
    int trials;
    int ok;                    /* the operation succeeded (the fault did not matter) */
    int failed;                /* it failed and left nothing */
    int failed_written;        /* it failed but its effect is there */
    int unchecked;             /* a report built, its log check not made */
    int not_reached;           /* the Nth call did not come (a thread's reads vary) */
    int retried;               /* failed, then retried on the same store: exactly once */
    int crash_nothing, crash_whole; /* the crash copies after a failure */
} tally;

typedef struct {
    const op_path *path;
    const char *before, *after;  /* dumps: at the start, after a fault-free run */
    char label[160];
} context;

static void start_trial(const context *c, trial *t, const char *name)
{
    memset(t, 0, sizeof *t);
    path_join(t->dir, world.root, name);
    path_join(t->db, t->dir, BT_STORE_FILE);
    if (c->path->start == FROM_NOTHING)
        clear_dir(t->dir);
    else
        copy_db_files(c->path->start == FROM_CLEAN ? world.clean : world.crashed, t->dir);
    if (!c->path->opens) {
        char err[512];
        if (bt_store_open(t->db, &t->s, err, sizeof err) != 0)
            fail_msg("%s: bt_store_open: %s", c->label, err);
    }
}

static void end_trial(trial *t)
{
    bt_store_close(t->s);
    t->s = NULL;
}

/* The state a check found: 0 the one before, 1 the one after; fails on anything else. */
static int which_state(const context *c, const char *got, bool must_be_after, const char *what)
{
    if (!must_be_after && strcmp(got, c->before) == 0)
        return 0;
    if (strcmp(got, c->after) == 0)
        return 1;
    char diff_before[2200], diff_after[2200];
    first_difference(got, c->before, diff_before, sizeof diff_before);
    first_difference(got, c->after, diff_after, sizeof diff_after);
    fail_msg("%s, %s: the database holds neither the state before%s nor the whole effect\n"
             "  against before: %s\n  against after: %s",
             c->label, what, must_be_after ? " (not allowed: the operation succeeded)" : "",
             diff_before, diff_after);
    return -1;
}

/* The fault-free run: how many calls of these kinds the operation makes. */
static long count_calls(const context *c, unsigned kinds)
{
    trial t;
    start_trial(c, &t, "count");
    bt_fault_vfs_arm(kinds, 0, SQLITE_OK, false);
    int rc = c->path->run(&t);
    long n = bt_fault_vfs_calls();
    bt_fault_vfs_disarm();
    if (rc != 0)
        fail_msg("%s: fails without a fault (%d): %s", c->label, rc, t.note);
    end_trial(&t);
    return n;
}

/* One trial: the Nth call fails; then (retry) the operation runs again on the same store. */
static void run_trial(context *c, const fault_spec *f, long n, bool retry, tally *out)
{
    trial t;
    char crash_dir[PATH_BYTES], crash_db[PATH_BYTES], first[BT_FAULT_WHAT_BYTES];
    snprintf(c->label, sizeof c->label, "%s, %s, N=%ld%s", c->path->name, f->name, n,
             retry ? ", thử lại" : "");
    start_trial(c, &t, "trial");
    log_reset();
    bt_fault_vfs_arm(f->kinds, n, f->error, f->sticky);
    int rc = c->path->run(&t);
    long injected = bt_fault_vfs_injected();
    bt_fault_vfs_first(first, sizeof first);
    /* What a crash right now would leave on disk. */
    bool crash_copy = !retry && t.s && injected > 0 && rc != 0;
    if (crash_copy) {
        path_join(crash_dir, world.root, "crash");
        path_join(crash_db, crash_dir, BT_STORE_FILE);
        copy_db_files(t.dir, crash_dir);
    }
    bt_fault_vfs_disarm();
    out->trials++;
    if (injected == 0) {
        out->not_reached++;
        if (rc != 0 && rc != REPORT_LOG_UNCHECKED)
            fail_msg("%s: fails (%d) though no call failed: %s", c->label, rc, t.note);
    } else if (rc < 0) {
        pthread_mutex_lock(&logged.lock);
        int errors = logged.errors;
        pthread_mutex_unlock(&logged.lock);
        /* A store operation that fails says so in the journal; a report in its message. */
        if (errors == 0 && !t.note[0])
            fail_msg("%s: failed (%s) without a word in the log", c->label, first);
    }
    if (retry && rc < 0) {
        int again = c->path->run(&t);
        if (again < 0)
            fail_msg("%s: a retry after the fault (%s) fails too: %s", c->label, first, t.note);
    }
    end_trial(&t);

    char *state;
    if (injected > 0 && rc >= 0 && !retry) {
        /* Success despite the fault: the database must hold the whole effect as it is, before
         * bt_store_open below gets a chance to migrate or repair anything. */
        state = dump(t.db);
        which_state(c, state, true, "thành công dù có lỗi");
        free(state);
    }
    if (verbose)
        printf("    %s: %s → %s\n", c->label, first[0] ? first : "(không lần nào)",
               rc == 0   ? "thành công"
               : rc > 0  ? "báo cáo không kiểm tra được nhật ký"
               : t.note[0] ? t.note
                           : logged.last);
    state = reopen_and_check(t.db, c->label);
    int found = which_state(c, state, rc >= 0 || retry, "sau khi mở lại");
    free(state);
    if (rc == REPORT_LOG_UNCHECKED)
        out->unchecked++;
    else if (injected > 0 && rc == 0)
        out->ok++;
    else if (injected > 0 && retry)
        out->retried++;
    else if (injected > 0 && found)
        out->failed_written++;
    else if (injected > 0)
        out->failed++;
    if (crash_copy) {
        state = reopen_and_check(crash_db, c->label);
        if (which_state(c, state, false, "bản sao lúc sự cố"))
            out->crash_whole++;
        else
            out->crash_nothing++;
        free(state);
    }
}

static void print_tally(const op_path *p, const fault_spec *f, const tally *t)
{
    if (t->calls == 0) {
        printf("  %-24s %-14s 0 lần gọi — không có gì để làm hỏng\n", p->name, f->name);
        return;
    }
    printf("  %-24s %-14s N=1..%-3ld %3d lần thử: %d thành công, %d lỗi không ghi gì, "
           "%d lỗi nhưng đã ghi, %d thử lại đúng một lần, %d báo cáo không kiểm tra được nhật ký,"
           " %d không tới lần N; bản sao lúc sự cố: %d không có, %d trọn vẹn\n",
           p->name, f->name, t->calls, t->trials, t->ok, t->failed, t->failed_written,
           t->retried, t->unchecked, t->not_reached, t->crash_nothing, t->crash_whole);
    fflush(stdout);
}

static void run_path(const op_path *p)
{
    context c = {.path = p};
    snprintf(c.label, sizeof c.label, "%s", p->name);
    /* Before: the database as the operation finds it; after: once it has run without faults. */
    trial t;
    start_trial(&c, &t, "after");
    if (p->run(&t) < 0)
        fail_msg("%s: fails without a fault: %s", p->name, t.note);
    end_trial(&t);
    char *after = reopen_and_check(t.db, "after");
    /* A database that did not exist is, once reopened, a new one whatever happened. */
    char *before = p->start == FROM_NOTHING ? strdup(after) : NULL;
    if (!before) {
        start_trial(&c, &t, "before");
        end_trial(&t);
        before = reopen_and_check(t.db, "before");
    }
    c.before = before;
    c.after = after;
    if (p->run != op_report && p->run != op_close && p->run != op_open)
        assert_true(strcmp(before, after) != 0);

    for (size_t k = 0; k < FAULT_COUNT; k++) {
        const fault_spec *f = &faults[k];
        tally tl = {0};
        snprintf(c.label, sizeof c.label, "%s, %s", p->name, f->name);
        tl.calls = count_calls(&c, f->kinds);
        for (long n = 1; n <= tl.calls; n++) {
            run_trial(&c, f, n, false, &tl);
            if (!p->closes)
                run_trial(&c, f, n, true, &tl);
        }
        print_tally(p, f, &tl);
    }
    free(before);
    free(after);
}

/* ---- setup and the tests -------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    bt_log_set_sink(capture, NULL);
    verbose = getenv("BT_FAULT_VERBOSE") && strcmp(getenv("BT_FAULT_VERBOSE"), "1") == 0;
    assert_int_equal(bt_fault_vfs_register(), SQLITE_OK);
    memset(hex_a, 'a', 64);
    memset(hex_b, 'b', 64);
    memset(hex_c, 'c', 64);
    memset(hex_d, 'd', 64);
    char *root = bt_test_temp_dir("store-faults");
    assert_non_null(root);
    snprintf(world.root, sizeof world.root, "%s", root);
    free(root);
    path_join(world.clean, world.root, "clean");
    path_join(world.crashed, world.root, "crashed");
    bt_diags d;
    bt_diags_init(&d);
    bt_playlist_init(&world.model);
    if (bt_playlist_load(BT_DEMO_DIR, &world.model, &d) != 0)
        fail_msg("the demo playlist does not load");
    bt_diags_free(&d);
    assert_true(world.model.targets.count > 0 && world.model.notice_count > 0);
    make_clean_template();
    make_crashed_template();

    char dir[PATH_BYTES], db[PATH_BYTES], csv[PATH_BYTES], err[512] = "";
    bt_store *s = NULL;
    path_join(dir, world.root, "reference");
    copy_db_files(world.clean, dir);
    path_join(db, dir, BT_STORE_FILE);
    path_join(csv, dir, "report.csv");
    assert_int_equal(bt_store_open(db, &s, err, sizeof err), 0);
    world.report = build_report(s, err, sizeof err, csv);
    if (!world.report)
        fail_msg("the reference report: %s", err);
    assert_non_null(strstr(world.report, "toàn vẹn"));
    bt_store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(world.report);
    bt_playlist_free(&world.model);
    bt_log_set_sink(NULL, NULL);
    return 0;
}

static const op_path paths[] = {
    {"(a) bt_airing_begin", FROM_CLEAN, false, false, op_begin},
    {"(a) bt_airing_end", FROM_CLEAN, false, false, op_end},
    {"(a) bt_airing_record", FROM_CLEAN, false, false, op_record},
    {"(a) clock event", FROM_CLEAN, false, false, op_clock},
    {"(a) bt_airing_recover", FROM_CLEAN, false, false, op_recover},
    {"(b) impressions", FROM_CLEAN, false, false, op_impressions},
    {"(c) bt_store_activate", FROM_CLEAN, false, false, op_activate},
    {"(c) bt_content_activate", FROM_CLEAN, false, false, op_content},
    {"(d) bt_report_build", FROM_CLEAN, false, false, op_report},
    {"(e) new database", FROM_NOTHING, true, false, op_open},
    {"(e) open after a crash", FROM_CRASHED, true, false, op_open},
    {"(f) close (checkpoint)", FROM_CRASHED, false, true, op_close},
};

/* ---- a connection that cannot be made durable ---------------------------------------------- */

/* Refuses `PRAGMA synchronous = 2` (FULL), as a connection might for reasons of its own. */
static int deny_full(void *ctx, int action, const char *name, const char *arg, const char *db,
                     const char *trigger)
{
    (void)ctx;
    (void)db;
    (void)trigger;
    return action == SQLITE_PRAGMA && name && strcmp(name, "synchronous") == 0 && arg &&
                   strcmp(arg, "2") == 0
               ? SQLITE_DENY
               : SQLITE_OK;
}

/* The airing log, an activation from a stick and pruning promise a write that survives a power
 * cut: a connection that cannot switch to synchronous=FULL writes none of them, and says so. */
static void refuses_without_full(void **state)
{
    (void)state;
    trial t;
    memset(&t, 0, sizeof t);
    path_join(t.dir, world.root, "no-full");
    path_join(t.db, t.dir, BT_STORE_FILE);
    copy_db_files(world.clean, t.dir);
    char *before = reopen_and_check(t.db, "no-full, before");
    char err[512];
    if (bt_store_open(t.db, &t.s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    sqlite3 *db = bt_store_sqlite(t.s);
    sqlite3_set_authorizer(db, deny_full, NULL);
    int (*const ops[])(trial *) = {op_begin, op_end, op_record, op_clock, op_recover, op_content};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        log_reset();
        assert_int_equal(ops[i](&t), -1);
        assert_non_null(strstr(logged.last, "synchronous=FULL"));
    }
    char **keys = NULL, **objects = NULL;
    size_t key_count = 0, object_count = 0;
    assert_int_equal(bt_content_prune(t.s, 1, &keys, &key_count, &objects, &object_count), -1);
    assert_int_equal(key_count + object_count, 0);
    sqlite3_set_authorizer(db, NULL, NULL);
    assert_int_equal(op_clock(&t), 0); /* the same connection, once it can */
    end_trial(&t);
    char *after = reopen_and_check(t.db, "no-full, after");
    char diff[2200];
    first_difference(after, before, diff, sizeof diff);
    /* Only the clock event written at the end is new. */
    assert_non_null(strstr(diff, "clock_events|2|"));
    free(before);
    free(after);
}

/* Paths first..first+count-1 of the table, as one test. */
typedef struct {
    size_t first, count;
} path_group;

static void run_group(void **state)
{
    const path_group *g = *state;
    for (size_t i = 0; i < g->count; i++)
        run_path(&paths[g->first + i]);
}

int main(void)
{
    static path_group groups[] = {{0, 5}, {5, 1}, {6, 2}, {8, 1}, {9, 3}};
    const struct CMUnitTest tests[] = {
        {"airing_log", run_group, NULL, NULL, &groups[0]},
        {"impressions", run_group, NULL, NULL, &groups[1]},
        {"activation", run_group, NULL, NULL, &groups[2]},
        {"report", run_group, NULL, NULL, &groups[3]},
        {"open_and_close", run_group, NULL, NULL, &groups[4]},
        cmocka_unit_test(refuses_without_full),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
