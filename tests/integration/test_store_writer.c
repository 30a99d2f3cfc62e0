/* The store's writer thread and its fallback journal (issue 10, items 1 and 8): rows go into the
 * store in order; while the store refuses them (faults injected by tests/support/bt_fault_vfs.c)
 * they wait in the journal, in memory and in a file, and reach the log when it takes writes
 * again, at the next run at the latest, before crash recovery; draining twice writes nothing
 * twice; a must_store row is refused, never journaled; the scheduler's history sees journaled
 * rows. The staff panel's records (issue 13) take the same road: journaled while the store
 * refuses, written once, and asking for one never waits for a busy store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_store_writer.h"
#include "../../src/store/store_internal.h" /* white box: the writer connection's pragmas */
#include "bt_fault_vfs.h"
#include "bt_test_support.h"

#define PATH_BYTES 1024
#define SLOT 1790000000 /* 2026-09-21 */

static char *tmp;

typedef struct {
    char dir[PATH_BYTES];
    char db[PATH_BYTES + 32];
    char journal_dir[PATH_BYTES + 32];
    char journal[PATH_BYTES + 64];
} place;

static void place_init(place *p, const char *name)
{
    bt_fault_vfs_disarm(); /* whatever a failed test left armed */
    snprintf(p->dir, sizeof p->dir, "%s/%s", tmp, name);
    snprintf(p->db, sizeof p->db, "%s/%s", p->dir, BT_STORE_FILE);
    snprintf(p->journal_dir, sizeof p->journal_dir, "%s/run", p->dir);
    snprintf(p->journal, sizeof p->journal, "%s/bangtin.db.pending", p->journal_dir);
    assert_int_equal(mkdir(p->dir, 0755), 0);
    assert_int_equal(mkdir(p->journal_dir, 0755), 0);
    /* The store exists before the faults: the writer opens it as the kiosk does. */
    bt_store *s = NULL;
    char err[256];
    assert_int_equal(bt_store_open(p->db, &s, err, sizeof err), 0);
    bt_store_close(s);
}

static bt_store_writer *writer_open(const place *p)
{
    bt_store_writer *w = NULL;
    char err[512] = "";
    bt_store_writer_config cfg = {p->db, p->journal_dir, NULL, NULL};
    if (bt_store_writer_open(&cfg, &w, err, sizeof err) != 0)
        fail_msg("bt_store_writer_open: %s", err);
    return w;
}

static bt_airing_subject subject(const char *item, int minute)
{
    bt_airing_subject s;
    memset(&s, 0, sizeof s);
    snprintf(s.item_id, sizeof s.item_id, "%s", item);
    snprintf(s.title, sizeof s.title, "Tin %s", item);
    snprintf(s.topic, sizeof s.topic, "cchc");
    snprintf(s.playlist_id, sizeof s.playlist_id, "q4");
    s.playlist_version = 1;
    snprintf(s.session_id, sizeof s.session_id, "sang");
    s.scheduled_at = SLOT + minute * 60;
    return s;
}

/* Results of must_store requests, gathered by the callback. */
typedef struct {
    int calls;
    bt_write_outcome outcome;
    char problem[BT_STORE_WRITER_PROBLEM_BYTES];
} outcome_seen;

static void note_outcome(void *ctx, const bt_write_result *r)
{
    outcome_seen *o = ctx;
    o->calls++;
    o->outcome = r->outcome;
    snprintf(o->problem, sizeof o->problem, "%s", r->problem);
}

static void settle(bt_store_writer *w)
{
    assert_int_equal(bt_store_writer_flush(w, 10000), 0);
    bt_store_writer_poll(w);
}

static size_t list_all(const place *p, bt_airing_row **rows)
{
    bt_store *s = NULL;
    char err[256];
    size_t n = 0;
    assert_int_equal(bt_store_open(p->db, &s, err, sizeof err), 0);
    assert_int_equal(bt_airing_list(s, INT64_MIN, INT64_MAX, rows, &n), 0);
    bt_airing_verify_result v;
    assert_int_equal(bt_airing_verify(s, &v), 0);
    bt_store_close(s);
    return n;
}

static int64_t count_sql(const place *p, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(p->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- the store takes the rows ---------------------------------------------------------------- */

static void rows_reach_the_store_in_order(void **state)
{
    (void)state;
    place p;
    place_init(&p, "in-order");
    bt_store_writer *w = writer_open(&p);
    bt_airing_subject a = subject("tin-a", 0), b = subject("tin-b", 0), c = subject("tin-c", 5);
    outcome_seen seen = {0};
    uint64_t ta = bt_store_writer_begin(w, &a, (int64_t)SLOT * 1000 + 2000, true, true,
                                        note_outcome, &seen);
    assert_true(ta != 0);
    assert_int_equal(bt_store_writer_end(w, ta, BT_AIRING_COMPLETED, NULL,
                                         (int64_t)SLOT * 1000 + 9000, 7000, true), 0);
    uint64_t tb = bt_store_writer_begin(w, &b, (int64_t)SLOT * 1000 + 9000, true, false, NULL,
                                        NULL);
    assert_int_equal(bt_store_writer_end(w, tb, BT_AIRING_INTERRUPTED, "emergency",
                                         (int64_t)SLOT * 1000 + 10000, 1000, true), 0);
    assert_int_equal(bt_store_writer_record(w, &c, BT_AIRING_MISSED, "off", true), 0);
    settle(w);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.outcome, BT_WRITE_STORED);
    bt_store_writer_state st;
    bt_store_writer_state_get(w, &st);
    assert_false(st.failing);
    assert_int_equal(st.waiting, 0);
    bt_store_writer_close(w);

    bt_airing_row *rows = NULL;
    size_t n = list_all(&p, &rows);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].subject.item_id, "tin-a");
    assert_int_equal(rows[0].status, BT_AIRING_COMPLETED);
    assert_int_equal(rows[0].duration_ms, 7000);
    assert_string_equal(rows[1].subject.item_id, "tin-b");
    assert_int_equal(rows[1].status, BT_AIRING_INTERRUPTED);
    assert_string_equal(rows[1].reason, "emergency");
    assert_int_equal(rows[2].status, BT_AIRING_MISSED);
    assert_true(rows[0].airing < rows[1].airing);
    free(rows);
    assert_false(exists(p.journal));
}

/* ---- the store refuses, then takes them again ------------------------------------------------- */

static void refused_rows_wait_in_the_journal_then_reach_the_log(void **state)
{
    (void)state;
    place p;
    place_init(&p, "disk-full");
    bt_store_writer *w = writer_open(&p);
    bt_airing_subject a = subject("tin-a", 0), b = subject("tin-b", 0);

    /* A start row stored while the disk still had room… */
    uint64_t ta = bt_store_writer_begin(w, &a, (int64_t)SLOT * 1000, true, true, NULL, NULL);
    settle(w);
    /* …then the disk fills: every write fails from now on. */
    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_FULL, true);
    assert_int_equal(bt_store_writer_end(w, ta, BT_AIRING_COMPLETED, NULL,
                                         (int64_t)SLOT * 1000 + 5000, 5000, true), 0);
    /* An emergency's rows go to the journal… */
    uint64_t tb = bt_store_writer_begin(w, &b, (int64_t)SLOT * 1000 + 5000, true, false, NULL,
                                        NULL);
    assert_int_equal(bt_store_writer_end(w, tb, BT_AIRING_COMPLETED, NULL,
                                         (int64_t)SLOT * 1000 + 8000, 3000, true), 0);
    /* …a normal session's first row is refused, and nothing of it is journaled. */
    bt_airing_subject c = subject("tin-c", 10);
    outcome_seen seen = {0};
    bt_store_writer_begin(w, &c, (int64_t)SLOT * 1000 + 600000, true, true, note_outcome, &seen);
    assert_int_equal(bt_store_writer_record(w, &c, BT_AIRING_FAILED, "store: đĩa đầy", true), 0);
    settle(w);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.outcome, BT_WRITE_REFUSED);
    assert_non_null(strstr(seen.problem, "đĩa đầy"));

    bt_store_writer_state st;
    bt_store_writer_state_get(w, &st);
    assert_true(st.failing);
    assert_int_equal(st.waiting, 4); /* end of a, start and end of b, the record of c */
    assert_int_equal(st.waiting_in_memory, 0);
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 4);

    /* Space returns: the next retry writes everything, in order. */
    bt_fault_vfs_disarm();
    for (int i = 0; i < 100; i++) {
        bt_store_writer_state_get(w, &st);
        if (st.waiting == 0)
            break;
        usleep(100 * 1000);
    }
    assert_int_equal(st.waiting, 0);
    assert_false(st.failing);
    assert_false(exists(p.journal));
    bt_store_writer_close(w);

    bt_airing_row *rows = NULL;
    size_t n = list_all(&p, &rows);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].subject.item_id, "tin-a");
    assert_int_equal(rows[0].status, BT_AIRING_COMPLETED); /* not "crash" */
    assert_string_equal(rows[1].subject.item_id, "tin-b");
    assert_int_equal(rows[1].status, BT_AIRING_COMPLETED);
    assert_int_equal(rows[1].duration_ms, 3000);
    assert_string_equal(rows[2].subject.item_id, "tin-c");
    assert_int_equal(rows[2].status, BT_AIRING_FAILED);
    assert_non_null(strstr(rows[2].reason, "store: đĩa đầy"));
    assert_non_null(strstr(rows[2].reason, "nhật ký chờ"));
    free(rows);
}

/* ---- the history sees the journal ------------------------------------------------------------ */

typedef struct {
    int calls;
    size_t n;
    bool ok;
    bt_airing_status status[8];
    int64_t airing[8];
} history_seen;

static void note_history(void *ctx, const bt_airing_row *rows, size_t n, bool ok)
{
    history_seen *h = ctx;
    h->calls++;
    h->n = n;
    h->ok = ok;
    for (size_t i = 0; i < n && i < 8; i++) {
        h->status[i] = rows[i].status;
        h->airing[i] = rows[i].airing;
    }
}

static void history_holds_journaled_rows(void **state)
{
    (void)state;
    place p;
    place_init(&p, "history");
    bt_store_writer *w = writer_open(&p);
    bt_airing_subject a = subject("tin-a", 0), b = subject("tin-b", 0);
    uint64_t ta = bt_store_writer_begin(w, &a, (int64_t)SLOT * 1000, true, true, NULL, NULL);
    settle(w);
    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_IOERR_WRITE, true);
    bt_store_writer_end(w, ta, BT_AIRING_COMPLETED, NULL, (int64_t)SLOT * 1000 + 4000, 4000, true);
    uint64_t tb = bt_store_writer_begin(w, &b, (int64_t)SLOT * 1000 + 4000, true, false, NULL, NULL);
    bt_store_writer_end(w, tb, BT_AIRING_COMPLETED, NULL, (int64_t)SLOT * 1000 + 6000, 2000, true);
    history_seen h = {0};
    assert_int_equal(bt_store_writer_airings(w, SLOT - 60, SLOT + 60, note_history, &h), 0);
    settle(w);
    assert_int_equal(h.calls, 1);
    assert_true(h.ok);
    assert_int_equal(h.n, 2);
    /* The stored start row carries its journaled end; the journaled airing follows it. */
    assert_int_equal(h.status[0], BT_AIRING_COMPLETED);
    assert_int_equal(h.status[1], BT_AIRING_COMPLETED);
    assert_true(h.airing[0] < h.airing[1]);
    bt_store_writer_close(w); /* still failing: the journal stays for the next run */
    bt_fault_vfs_disarm();
    assert_true(exists(p.journal));
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 3);
}

/* ---- the next run ----------------------------------------------------------------------------- */

static void next_run_writes_the_journal_before_crash_recovery_and_only_once(void **state)
{
    (void)state;
    place p;
    place_init(&p, "next-run");
    bt_store_writer *w = writer_open(&p);
    bt_airing_subject a = subject("tin-a", 0), b = subject("tin-b", 0), c = subject("tin-c", 30);
    uint64_t ta = bt_store_writer_begin(w, &a, (int64_t)SLOT * 1000, true, true, NULL, NULL);
    settle(w);
    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_FULL, true);
    bt_store_writer_end(w, ta, BT_AIRING_COMPLETED, NULL, (int64_t)SLOT * 1000 + 4000, 4000, true);
    /* An airing begun while full and never ended: the appliance died during it. */
    bt_store_writer_begin(w, &b, (int64_t)SLOT * 1000 + 4000, true, false, NULL, NULL);
    bt_store_writer_record(w, &c, BT_AIRING_MISSED, "off", true);
    bt_store_writer_record(w, &c, BT_AIRING_MISSED, "off", true); /* two real records */
    settle(w);
    bt_store_writer_close(w);
    bt_fault_vfs_disarm();
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 4);

    /* A torn last line (power cut mid-append) is left out. */
    char *text = NULL;
    size_t len = 0;
    text = bt_test_read_file(p.journal, &len);
    assert_non_null(text);
    FILE *f = fopen(p.journal, "ab");
    assert_non_null(f);
    fwrite("p1\tgarbage\t9\tR\ttin-x", 1, 20, f);
    fclose(f);

    /* Keep a copy: the journal is written again as if a crash came before it was removed. */
    char copy[PATH_BYTES + 96];
    snprintf(copy, sizeof copy, "%s.copy", p.journal);
    assert_int_equal(bt_test_write_file(copy, text, len), 0);
    free(text);

    w = writer_open(&p);
    bt_store_writer_state st;
    bt_store_writer_state_get(w, &st);
    assert_int_equal(st.waiting, 0);
    bt_store_writer_close(w);
    assert_false(exists(p.journal));

    bt_airing_row *rows = NULL;
    size_t n = list_all(&p, &rows);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].status, BT_AIRING_COMPLETED); /* its end came from the journal */
    assert_string_equal(rows[1].subject.item_id, "tin-b");
    assert_int_equal(rows[1].status, BT_AIRING_INTERRUPTED); /* then crash recovery */
    assert_string_equal(rows[1].reason, BT_AIRING_REASON_CRASH);
    assert_int_equal(rows[2].status, BT_AIRING_MISSED);
    assert_int_equal(rows[3].status, BT_AIRING_MISSED);
    assert_int_equal(strncmp(rows[3].reason, "off: (ghi từ nhật ký chờ", 28), 0);
    free(rows);
    int64_t events = count_sql(&p, "SELECT count(*) FROM airing_events");

    /* The same journal again: every row is found already written. */
    assert_int_equal(rename(copy, p.journal), 0);
    w = writer_open(&p);
    bt_store_writer_close(w);
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM airing_events"), events);
    assert_false(exists(p.journal));
}

/* A text bulletin's hash goes through the journal with its row; a journal written by a bangtin
 * before text bulletins (its lines end without one) still drains. */
static void journal_keeps_text_hashes_and_reads_older_lines(void **state)
{
    (void)state;
    place p;
    place_init(&p, "journal-text");
    bt_store_writer *w = writer_open(&p);
    bt_airing_subject t = subject("tin-doc", 0);
    memset(t.text_sha256, 'a', 64);
    t.text_sha256[64] = '\0';
    settle(w);
    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_FULL, true);
    bt_store_writer_record(w, &t, BT_AIRING_MISSED, "off", true);
    settle(w);
    bt_store_writer_close(w);
    bt_fault_vfs_disarm();
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 1);

    /* A record line as the journal wrote it before: 8 subject fields, status, reasons. */
    char line[1024], check[BT_SHA256_HEX_SIZE];
    int n = snprintf(line, sizeof line,
                     "p1\tcu\t1\tR\ttin-cu\tTin cũ\tcchc\t\tq4\t1\tsang\t%d\tmissed\toff\toff"
                     "\t%lld\t1",
                     SLOT + 60, (long long)SLOT * 1000 + 60000);
    bt_sha256_hex(line, (size_t)n, check);
    FILE *f = fopen(p.journal, "ab");
    assert_non_null(f);
    fprintf(f, "%s\t%.16s\n", line, check);
    fclose(f);
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 2);

    w = writer_open(&p);
    bt_store_writer_close(w);
    assert_false(exists(p.journal));
    bt_airing_row *rows = NULL;
    assert_int_equal(list_all(&p, &rows), 2);
    assert_string_equal(rows[0].subject.item_id, "tin-doc");
    assert_string_equal(rows[0].subject.text_sha256, t.text_sha256);
    assert_string_equal(rows[1].subject.item_id, "tin-cu");
    assert_string_equal(rows[1].subject.text_sha256, "");
    assert_int_equal(rows[1].status, BT_AIRING_MISSED);
    free(rows);
}

/* ---- the staff panel's records ----------------------------------------------------------- */

/* What a staff write handed back, gathered by its callback. */
typedef struct {
    int calls;
    bt_staff_result last;
} staff_seen;

static void note_staff(void *ctx, const bt_staff_result *r)
{
    staff_seen *s = ctx;
    s->calls++;
    s->last = *r;
}

static bt_staff_request staff_entry(bt_target_channel channel, int count)
{
    bt_staff_request q = {.channel = channel, .day = bt_time_day_of(SLOT), .count = count,
                          .topic = "cchc", .note = "Phòng Văn hóa - Xã hội gửi", .at = SLOT};
    return q;
}

static bt_staff_request staff_undo(int64_t entry)
{
    bt_staff_request q = {.undo = true, .entry = entry, .at = SLOT + 60};
    return q;
}

/* Submits q and waits for its answer. */
static bt_staff_result staff_write(bt_store_writer *w, bt_staff_request q)
{
    staff_seen seen = {0};
    assert_int_equal(bt_store_writer_staff(w, &q, note_staff, &seen), 0);
    settle(w);
    assert_int_equal(seen.calls, 1);
    return seen.last;
}

/* An entry and the undoing of another while the disk is full: both wait in the journal (the
 * page is told so, and no longer offers the entry being undone), reach staff_records when the
 * next run opens the store, and a journal drained again writes neither twice. An undo with
 * nothing to undo is refused, never journaled. */
static void staff_records_wait_in_the_journal_and_are_written_once(void **state)
{
    (void)state;
    place p;
    place_init(&p, "staff");
    bt_store_writer *w = writer_open(&p);
    bt_staff_result r = staff_write(w, staff_entry(BT_TARGET_WARD_SITE, 3));
    assert_int_equal(r.outcome, BT_WRITE_STORED);
    assert_true(r.recent_ok);
    assert_int_equal(r.recent_count, 1);
    int64_t ward = r.recent[0].id;
    assert_int_equal(r.recent[0].count, 3);
    assert_int_equal(r.recent[0].source, BT_RECORD_FROM_PANEL);

    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 1, SQLITE_FULL, true);
    r = staff_write(w, staff_entry(BT_TARGET_ZALO, 2));
    assert_int_equal(r.outcome, BT_WRITE_JOURNALED);
    assert_false(r.in_memory_only);
    assert_non_null(strstr(r.problem, "đĩa đầy"));
    r = staff_write(w, staff_undo(ward));
    assert_int_equal(r.outcome, BT_WRITE_JOURNALED);
    assert_true(r.recent_ok);
    assert_int_equal(r.recent_count, 0); /* the entry being undone is not offered again */
    bt_store_writer_state st;
    bt_store_writer_state_get(w, &st);
    assert_true(st.failing);
    assert_int_equal(st.waiting, 2);
    bt_store_writer_close(w); /* still full: the journal stays for the next run */
    bt_fault_vfs_disarm();
    assert_int_equal(bt_store_writer_journal_rows(p.journal), 2);
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 1);
    size_t len = 0;
    char *text = bt_test_read_file(p.journal, &len);
    assert_non_null(text);
    char copy[PATH_BYTES + 96];
    snprintf(copy, sizeof copy, "%s.copy", p.journal);
    assert_int_equal(bt_test_write_file(copy, text, len), 0);
    free(text);

    w = writer_open(&p); /* the next run writes what waited, in order */
    bt_store_writer_close(w);
    assert_false(exists(p.journal));
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 3);
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records WHERE channel = 'zalo'"
                                   " AND count = 2 AND source = 'panel' AND note = 'Phòng Văn"
                                   " hóa - Xã hội gửi' AND entry_key LIKE 'panel:%'"),
                     1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM staff_records WHERE corrects = %lld AND"
                              " count = -3 AND recorded_at = %d", (long long)ward, SLOT + 60);
    assert_int_equal(count_sql(&p, sql), 1);

    /* The same journal again (a crash before it was removed): nothing is written twice. */
    assert_int_equal(rename(copy, p.journal), 0);
    w = writer_open(&p);
    assert_false(exists(p.journal));
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 3);

    /* Undone already: said so, nothing written; no such entry: refused, not journaled. */
    r = staff_write(w, staff_undo(ward));
    assert_int_equal(r.outcome, BT_WRITE_STORED);
    assert_true(r.undone_before);
    r = staff_write(w, staff_undo(999999));
    assert_int_equal(r.outcome, BT_WRITE_REFUSED);
    assert_non_null(strstr(r.problem, "không có ghi nhận này"));
    bt_store_writer_state_get(w, &st);
    assert_int_equal(st.waiting, 0);
    bt_store_writer_close(w);
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 3);
}

/* A disk that is busy (another connection holds the write lock, as a long checkpoint or a
 * `bangtin report` may): asking for the write returns at once, the answer comes only once the
 * store took it, and the asking thread was never held. */
static void staff_write_does_not_wait_for_a_busy_store(void **state)
{
    (void)state;
    place p;
    place_init(&p, "staff-busy");
    bt_store_writer *w = writer_open(&p);
    settle(w);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    staff_seen seen = {0};
    bt_staff_request q = staff_entry(BT_TARGET_CITY_PAGE, 1);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(bt_store_writer_staff(w, &q, note_staff, &seen), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double asked_ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
    usleep(500 * 1000);
    bt_store_writer_poll(w);
    assert_int_equal(seen.calls, 0); /* still waiting for the lock */
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    settle(w);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.last.outcome, BT_WRITE_STORED);
    print_message("asking took %.3f ms while the store was locked\n", asked_ms);
    assert_true(asked_ms < 50);
    bt_store_writer_close(w);
    assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 1);
}

/* ---- every write failing once ----------------------------------------------------------------- */

/* One session's rows through the writer: two items, a record, a clock event; and a staff entry
 * from the panel and the undoing of entry `undo`. */
static void write_session(bt_store_writer *w, int64_t undo)
{
    bt_airing_subject a = subject("tin-a", 0), b = subject("tin-b", 0), c = subject("tin-c", 5);
    uint64_t ta = bt_store_writer_begin(w, &a, (int64_t)SLOT * 1000, true, false, NULL, NULL);
    bt_store_writer_end(w, ta, BT_AIRING_COMPLETED, NULL, (int64_t)SLOT * 1000 + 2000, 2000, true);
    uint64_t tb = bt_store_writer_begin(w, &b, (int64_t)SLOT * 1000 + 2000, true, false, NULL,
                                        NULL);
    bt_store_writer_end(w, tb, BT_AIRING_COMPLETED, NULL, (int64_t)SLOT * 1000 + 5000, 3000, true);
    bt_store_writer_record(w, &c, BT_AIRING_MISSED, "off", true);
    bt_clock_event ce = {0, (int64_t)SLOT * 1000 + 6000, 180000, 123456789, "đồng hồ nhảy tới"};
    bt_store_writer_clock_event(w, &ce);
    bt_staff_request q = staff_entry(BT_TARGET_ZALO, 2);
    bt_store_writer_staff(w, &q, NULL, NULL);
    q = staff_undo(undo);
    bt_store_writer_staff(w, &q, NULL, NULL);
    settle(w);
}

/* A fresh store's writer with one staff entry in place (its row in *entry), for the session to
 * undo. */
static bt_store_writer *writer_with_entry(const place *p, int64_t *entry)
{
    bt_store_writer *w = writer_open(p);
    bt_staff_result r = staff_write(w, staff_entry(BT_TARGET_WARD_SITE, 3));
    assert_int_equal(r.outcome, BT_WRITE_STORED);
    *entry = r.recent[0].id;
    return w;
}

/* For each kind of fault and each N up to the writes one session makes: the Nth call fails
 * once (or from then on, for a disk that stays full until the next run). After the next run's
 * open, every row is in the log exactly once, in order, and the log verifies. */
static void every_nth_write_failure_loses_nothing(void **state)
{
    (void)state;
    const struct {
        unsigned kinds;
        int error;
        bool sticky;
    } faults[] = {
        {BT_FAULT_WRITE, SQLITE_IOERR_WRITE, false},
        {BT_FAULT_SYNC, SQLITE_IOERR_FSYNC, false},
        {BT_FAULT_WRITE | BT_FAULT_SYNC, SQLITE_FULL, true},
    };
    place counting;
    place_init(&counting, "nth-count");
    int64_t entry = 0;
    bt_store_writer *w = writer_with_entry(&counting, &entry);
    bt_fault_vfs_arm(BT_FAULT_WRITE | BT_FAULT_SYNC, 0, SQLITE_OK, false);
    write_session(w, entry);
    long calls = bt_fault_vfs_calls();
    bt_fault_vfs_disarm();
    bt_store_writer_close(w);
    assert_true(calls >= 6);
    int trials = 0;
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        for (long n = 1; n <= calls; n++) {
            char name[64];
            snprintf(name, sizeof name, "nth-%zu-%ld", f, n);
            place p;
            place_init(&p, name);
            w = writer_with_entry(&p, &entry);
            bt_fault_vfs_arm(faults[f].kinds, n, faults[f].error, faults[f].sticky);
            write_session(w, entry);
            bt_store_writer_close(w);
            bt_fault_vfs_disarm();
            w = writer_open(&p); /* the next run writes what waited */
            bt_store_writer_close(w);
            bt_airing_row *rows = NULL;
            size_t count = list_all(&p, &rows); /* list_all also verifies the chain */
            if (count != 3)
                fail_msg("fault %zu at write %ld: %zu airings, expected 3", f, n, count);
            assert_string_equal(rows[0].subject.item_id, "tin-a");
            assert_int_equal(rows[0].status, BT_AIRING_COMPLETED);
            assert_string_equal(rows[1].subject.item_id, "tin-b");
            assert_int_equal(rows[1].status, BT_AIRING_COMPLETED);
            assert_int_equal(rows[2].status, BT_AIRING_MISSED);
            free(rows);
            assert_int_equal(count_sql(&p, "SELECT count(*) FROM clock_events"), 1);
            assert_int_equal(count_sql(&p, "SELECT count(*) FROM airing_events"), 5);
            /* The entry made before, the session's entry once, the undoing once. */
            assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records"), 3);
            assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records WHERE"
                                           " channel = 'zalo' AND count = 2"),
                             1);
            assert_int_equal(count_sql(&p, "SELECT count(*) FROM staff_records WHERE"
                                           " count = -3 AND corrects IS NOT NULL"),
                             1);
            sqlite3 *db = NULL;
            sqlite3_stmt *st = NULL;
            assert_int_equal(sqlite3_open_v2(p.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
            assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
                             SQLITE_OK);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
            sqlite3_finalize(st);
            sqlite3_close(db);
            assert_false(exists(p.journal));
            trials++;
        }
    }
    print_message("%d trials (%ld writes and syncs per session), nothing lost\n", trials, calls);
}

static int setup(void **state)
{
    (void)state;
    tmp = bt_test_temp_dir("store-writer");
    return tmp && bt_fault_vfs_register() == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    return 0;
}

static void cache_size_read(bt_store *s, void *arg)
{
    sqlite3_stmt *st = NULL;
    int *out = arg;
    if (sqlite3_prepare_v2(bt_store_sqlite(s), "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
}

static void nothing_after(void *arg)
{
    (void)arg;
}

/* The writer's connection keeps a small page cache (BT_KIOSK_STORE_CACHE_KIB), not SQLite's
 * 2 MB: it appends rows and reads a month's figures, and a cache once filled stays the kiosk's
 * memory (issue 14, item 9). */
static void writer_connection_keeps_a_small_cache(void **state)
{
    (void)state;
    place p;
    place_init(&p, "cache");
    bt_store_writer *w = writer_open(&p);
    int cache = 0;
    assert_int_equal(bt_store_writer_query(w, cache_size_read, nothing_after, &cache), 0);
    settle(w);
    assert_int_equal(cache, -BT_KIOSK_STORE_CACHE_KIB);
    bt_store_writer_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_reach_the_store_in_order),
        cmocka_unit_test(writer_connection_keeps_a_small_cache),
        cmocka_unit_test(refused_rows_wait_in_the_journal_then_reach_the_log),
        cmocka_unit_test(history_holds_journaled_rows),
        cmocka_unit_test(next_run_writes_the_journal_before_crash_recovery_and_only_once),
        cmocka_unit_test(journal_keeps_text_hashes_and_reads_older_lines),
        cmocka_unit_test(staff_records_wait_in_the_journal_and_are_written_once),
        cmocka_unit_test(staff_write_does_not_wait_for_a_busy_store),
        cmocka_unit_test(every_nth_write_failure_loses_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
