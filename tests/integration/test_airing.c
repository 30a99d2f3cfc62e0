/* The airing log on real files: airings begin, end and are recorded; the `airings` view gives
 * one row each; writes run with synchronous=FULL; triggers refuse edits; verify names a row
 * edited or deleted with the triggers dropped (middle, tail, clock events); a process killed
 * with SIGKILL mid-airing (and in the middle of a write storm) loses no committed row and its
 * open airing is recovered as interrupted/crash. */
#include "bt_test_support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "../../src/store/store_internal.h" /* white box: observe the pragmas of the connection */

static char *db_path(const char *name)
{
    char *dir = bt_test_temp_dir(name);
    assert_non_null(dir);
    size_t size = strlen(dir) + 32;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", dir, BT_STORE_FILE);
    free(dir);
    return path;
}

static bt_store *open_ok(const char *path)
{
    char err[512] = "";
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof(err)) != 0)
        fail_msg("bt_store_open: %s", err);
    return s;
}

/* Runs SQL on a separate plain connection, as a person with the sqlite3 tool would. */
static int exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static int64_t query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void query_text(const char *path, const char *sql, char *buf, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    snprintf(buf, size, "%s", t ? t : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static bt_airing_subject subject(const char *item, const char *session, bt_wall slot)
{
    bt_airing_subject s;
    memset(&s, 0, sizeof(s));
    snprintf(s.item_id, sizeof(s.item_id), "%s", item);
    snprintf(s.title, sizeof(s.title), "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở");
    snprintf(s.topic, sizeof(s.topic), "cchc");
    snprintf(s.sha256, sizeof(s.sha256), "%064d", 7);
    snprintf(s.playlist_id, sizeof(s.playlist_id), "bachmai-cchc");
    s.playlist_version = 3;
    snprintf(s.session_id, sizeof(s.session_id), "%s", session);
    s.scheduled_at = slot;
    return s;
}

static bt_wall slot_at(int day, int hour, int minute)
{
    return bt_time_from_civil(2025, 10, day, hour, minute, 0);
}

/* One completed airing; returns its id. */
static int64_t air(bt_store *s, const char *item, bt_wall slot)
{
    bt_airing_subject subj = subject(item, "ban-tin-sang", slot);
    int64_t id = 0;
    assert_int_equal(bt_airing_begin(s, &subj, slot * 1000 + 12, true, &id), 0);
    assert_true(id > 0);
    assert_int_equal(
        bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL, slot * 1000 + 45012, 45000, true), 0);
    return id;
}

static void expect_verify_ok(bt_store *s)
{
    bt_airing_verify_result r;
    int rc = bt_airing_verify(s, &r);
    if (rc != 0)
        fail_msg("verify: %d, %zu problems, first: %s", rc, r.problem_count,
                 r.problem_count ? r.problems[0].message : "");
}

/* ---- the log as the app uses it ------------------------------------------------------------- */

static void test_begin_end_record_and_view(void **state)
{
    (void)state;
    char *path = db_path("airing_view");
    bt_store *s = open_ok(path);
    assert_true(bt_store_schema_version(s) >= 2); /* the airing log arrived in step 2 */

    bt_wall slot = slot_at(10, 6, 0);
    int64_t done = air(s, "tin-dvc-truc-tuyen", slot);

    bt_airing_subject subj = subject("tin-vneid", "ban-tin-sang", slot);
    int64_t open_id = 0, cut = 0, missed = 0, failed = 0;
    assert_int_equal(bt_airing_begin(s, &subj, slot * 1000 + 45012, false, &open_id), 0);

    bt_airing_subject subj2 = subject("tin-chinh-quyen-hai-cap", "ban-tin-chieu",
                                      slot_at(10, 17, 0));
    assert_int_equal(bt_airing_begin(s, &subj2, slot_at(10, 17, 0) * 1000, true, &cut), 0);
    assert_int_equal(bt_airing_end(s, cut, BT_AIRING_INTERRUPTED, "phát khẩn cấp",
                                   slot_at(10, 17, 0) * 1000 + 9000, 9000, true),
                     0);
    bt_airing_subject subj3 = subject("tin-sipas", "ban-tin-sang", slot_at(11, 6, 0));
    subj3.sha256[0] = '\0';
    subj3.topic[0] = '\0';
    assert_int_equal(bt_airing_record(s, &subj3, BT_AIRING_MISSED, "thiết bị tắt", true, &missed),
                     0);
    assert_int_equal(bt_airing_record(s, &subj3, BT_AIRING_FAILED, "không có thiết bị âm thanh",
                                      true, &failed),
                     0);
    /* Only missed/failed can be recorded whole; completed needs a start. */
    assert_int_equal(bt_airing_record(s, &subj3, BT_AIRING_COMPLETED, NULL, true, NULL), -1);

    bt_airing_row r;
    assert_int_equal(bt_airing_get(s, done, &r), 1);
    assert_int_equal(r.status, BT_AIRING_COMPLETED);
    assert_string_equal(r.subject.item_id, "tin-dvc-truc-tuyen");
    assert_string_equal(r.subject.title, "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở");
    assert_string_equal(r.subject.topic, "cchc");
    assert_string_equal(r.subject.playlist_id, "bachmai-cchc");
    assert_int_equal(r.subject.playlist_version, 3);
    assert_string_equal(r.subject.session_id, "ban-tin-sang");
    assert_int_equal(r.subject.scheduled_at, slot);
    assert_int_equal(r.started_at_ms, slot * 1000 + 12);
    assert_int_equal(r.ended_at_ms, slot * 1000 + 45012);
    assert_int_equal(r.duration_ms, 45000);
    assert_true(r.clock_trusted);

    assert_int_equal(bt_airing_get(s, open_id, &r), 1);
    assert_int_equal(r.status, BT_AIRING_AIRING);
    assert_false(r.clock_trusted);
    assert_int_equal(r.duration_ms, -1);

    assert_int_equal(bt_airing_get(s, cut, &r), 1);
    assert_int_equal(r.status, BT_AIRING_INTERRUPTED);
    assert_string_equal(r.reason, "phát khẩn cấp");

    assert_int_equal(bt_airing_get(s, missed, &r), 1);
    assert_int_equal(r.status, BT_AIRING_MISSED);
    assert_string_equal(r.reason, "thiết bị tắt");
    assert_int_equal(r.started_at_ms, 0);
    assert_string_equal(r.subject.sha256, "");
    assert_string_equal(r.subject.topic, "");
    assert_int_equal(bt_airing_get(s, 999, &r), 0);

    /* An airing ends once; a record or an unknown id cannot be ended. */
    assert_int_equal(bt_airing_end(s, done, BT_AIRING_COMPLETED, NULL, 1, 1, true), -1);
    assert_int_equal(bt_airing_end(s, missed, BT_AIRING_COMPLETED, NULL, 1, 1, true), -1);
    assert_int_equal(bt_airing_end(s, 999, BT_AIRING_COMPLETED, NULL, 1, 1, true), -1);
    assert_int_equal(bt_airing_end(s, open_id, BT_AIRING_MISSED, NULL, 1, 1, true), -1);

    /* Listing by slot: the 10th only, in slot order. */
    bt_airing_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_list(s, bt_time_day_start(bt_time_day_of(slot)),
                                    bt_time_day_start(bt_time_day_of(slot) + 1), &rows, &n),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].airing, done);
    assert_int_equal(rows[1].airing, open_id);
    assert_int_equal(rows[2].airing, cut);
    free(rows);
    assert_int_equal(bt_airing_list(s, 0, INT64_MAX, &rows, &n), 0);
    assert_int_equal(n, 5);
    free(rows);

    expect_verify_ok(s);
    bt_store_close(s);
    /* Seven events: start+end, start, start+end, record, record. */
    assert_int_equal(query_int(path, "SELECT count(*) FROM airing_events"), 7);
    assert_int_equal(query_int(path, "SELECT count(*) FROM airings"), 5);
    free(path);
}

static void status_names_round_trip(void **state)
{
    (void)state;
    for (int st = BT_AIRING_AIRING; st <= BT_AIRING_MISSED; st++) {
        bt_airing_status back;
        assert_int_equal(bt_airing_status_parse(bt_airing_status_name(st), &back), 0);
        assert_int_equal(back, st);
    }
    assert_string_equal(bt_airing_status_label(BT_AIRING_COMPLETED), "đã phát");
    assert_string_equal(bt_airing_status_label(BT_AIRING_MISSED), "bỏ lỡ");
    bt_airing_status x;
    assert_int_equal(bt_airing_status_parse("done", &x), -1);
}

/* Durability: every log write runs with synchronous=FULL, and the connection goes back to
 * NORMAL for impressions afterwards. */
static int trace_statement(unsigned type, void *ctx, void *p, void *x)
{
    (void)type;
    (void)x;
    char *log = ctx;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (sql && strlen(log) + strlen(sql) + 2 < 8192) {
        strcat(log, sql);
        strcat(log, "\n");
    }
    return 0;
}

static void writes_are_synchronous_full(void **state)
{
    (void)state;
    char *path = db_path("airing_sync");
    bt_store *s = open_ok(path);
    sqlite3 *db = bt_store_sqlite(s);
    static char log[8192];
    log[0] = '\0';
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_statement, log);
    air(s, "tin-vneid", slot_at(12, 6, 0));
    sqlite3_trace_v2(db, 0, NULL, NULL);

    /* Each of the two transactions: FULL, BEGIN … COMMIT, back to NORMAL (1). */
    const char *p = log;
    for (int tx = 0; tx < 2; tx++) {
        const char *full = strstr(p, "PRAGMA synchronous = 2");
        assert_non_null(full);
        const char *begin = strstr(full, "BEGIN IMMEDIATE");
        assert_non_null(begin);
        const char *insert = strstr(begin, "INSERT INTO airing_events");
        assert_non_null(insert);
        const char *commit = strstr(insert, "COMMIT");
        assert_non_null(commit);
        const char *normal = strstr(commit, "PRAGMA synchronous = 1");
        assert_non_null(normal);
        p = normal + 1;
    }
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    bt_store_close(s);
    free(path);
}

/* ---- tampering ------------------------------------------------------------------------------ */

/* A log of three airings (seq 1..6) and one clock event, closed. */
static char *three_airings(const char *name)
{
    char *path = db_path(name);
    bt_store *s = open_ok(path);
    air(s, "tin-dvc-truc-tuyen", slot_at(13, 6, 0));
    air(s, "tin-vneid", slot_at(13, 6, 1));
    air(s, "tin-sipas", slot_at(13, 6, 2));
    bt_clock_event ev = {0, slot_at(13, 7, 0) * 1000, 3600 * 1000, 123456789, "đồng hồ bị chỉnh"};
    int64_t seq = 0;
    assert_int_equal(bt_airing_add_clock_event(s, &ev, &seq), 0);
    assert_int_equal(seq, 1);
    expect_verify_ok(s);
    bt_store_close(s);
    return path;
}

static const char drop_triggers[] =
    "DROP TRIGGER airing_events_no_update; DROP TRIGGER airing_events_no_delete;"
    "DROP TRIGGER clock_events_no_update; DROP TRIGGER clock_events_no_delete;"
    "DROP TRIGGER log_heads_forward; DROP TRIGGER log_heads_no_delete;";

static void verify_fails_naming(const char *path, const char *table, int64_t seq,
                                const char *words)
{
    bt_store *s = open_ok(path);
    bt_airing_verify_result r;
    assert_int_equal(bt_airing_verify(s, &r), 1);
    assert_true(r.problem_count >= 1);
    bool named = false;
    for (size_t i = 0; i < r.problem_count && i < BT_AIRING_MAX_PROBLEMS; i++) {
        char tag[32];
        snprintf(tag, sizeof(tag), "#%lld", (long long)seq);
        if (strcmp(r.problems[i].table, table) == 0 && r.problems[i].seq == seq &&
            strstr(r.problems[i].message, tag) && strstr(r.problems[i].message, words))
            named = true;
    }
    if (!named)
        fail_msg("no problem naming %s #%lld with “%s”; first: %s", table, (long long)seq, words,
                 r.problems[0].message);
    bt_store_close(s);
}

static void triggers_refuse_edits(void **state)
{
    (void)state;
    char *path = three_airings("airing_triggers");
    assert_int_not_equal(exec_sql(path, "UPDATE airing_events SET title = 'x' WHERE seq = 1"),
                         SQLITE_OK);
    assert_int_not_equal(exec_sql(path, "DELETE FROM airing_events WHERE seq = 6"), SQLITE_OK);
    assert_int_not_equal(exec_sql(path, "DELETE FROM clock_events"), SQLITE_OK);
    assert_int_not_equal(exec_sql(path, "UPDATE log_heads SET seq = 1"), SQLITE_OK);
    assert_int_not_equal(exec_sql(path, "DELETE FROM log_heads"), SQLITE_OK);
    assert_int_equal(query_int(path, "SELECT count(*) FROM airing_events"), 6);
    bt_store *s = open_ok(path);
    expect_verify_ok(s);
    bt_store_close(s);
    free(path);
}

static void verify_names_edited_row(void **state)
{
    (void)state;
    char *path = three_airings("airing_edit");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    /* A "completed" turned into a different item: a browser edit of one cell. */
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET item_id = 'tin-khac' WHERE seq = 3"),
                     SQLITE_OK);
    verify_fails_naming(path, "airing_events", 3, "sửa");
    free(path);
}

static void verify_names_edited_status(void **state)
{
    (void)state;
    char *path = three_airings("airing_edit_status");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET duration_ms = 60000 WHERE seq = 4"),
                     SQLITE_OK);
    verify_fails_naming(path, "airing_events", 4, "kết thúc lần phát #3");
    free(path);
}

static void verify_names_rehashed_row(void **state)
{
    (void)state;
    char *path = three_airings("airing_rehash");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    /* Someone also replaces the row's own hash: the next row's link gives it away. */
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET hash = "
                                    "'1111111111111111111111111111111111111111111111111111111111111111'"
                                    " WHERE seq = 2"),
                     SQLITE_OK);
    verify_fails_naming(path, "airing_events", 2, "thay");
    free(path);
}

static void verify_names_deleted_row(void **state)
{
    (void)state;
    char *path = three_airings("airing_delete");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "DELETE FROM airing_events WHERE seq = 3"), SQLITE_OK);
    verify_fails_naming(path, "airing_events", 3, "xóa");
    free(path);
}

static void verify_names_deleted_tail_and_keeps_logging(void **state)
{
    (void)state;
    char *path = three_airings("airing_delete_tail");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "DELETE FROM airing_events WHERE seq >= 5"), SQLITE_OK);
    verify_fails_naming(path, "airing_events", 5, "xóa");

    /* The appliance keeps logging after tampering; the gap stays visible. */
    bt_store *s = open_ok(path);
    int64_t id = air(s, "tin-papi", slot_at(14, 6, 0));
    assert_int_equal(id, 7);
    bt_store_close(s);
    verify_fails_naming(path, "airing_events", 5, "xóa");
    free(path);
}

static void verify_names_edited_clock_event(void **state)
{
    (void)state;
    char *path = three_airings("airing_clock_edit");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE clock_events SET jump_ms = 0 WHERE seq = 1"),
                     SQLITE_OK);
    verify_fails_naming(path, "clock_events", 1, "sửa");
    free(path);
}

/* A report checks what it reads: the rows of the airings in its period, their link to the row
 * before, the head and the clock chain; the whole log is `bangtin log verify`'s. */
static int verify_middle(const char *path, bt_airing_verify_result *r)
{
    bt_store *s = open_ok(path);
    int rc = bt_airing_verify_slots(s, slot_at(13, 6, 1), slot_at(13, 6, 2), r);
    bt_store_close(s);
    return rc;
}

static bool names_seq(const bt_airing_verify_result *r, int64_t seq, const char *words)
{
    for (size_t i = 0; i < r->problem_count && i < BT_AIRING_MAX_PROBLEMS; i++)
        if (r->problems[i].seq == seq && strstr(r->problems[i].message, words))
            return true;
    return false;
}

static void verify_slots_checks_the_period(void **state)
{
    (void)state;
    bt_airing_verify_result *r = malloc(sizeof *r);
    assert_non_null(r);
    char *path = three_airings("airing_slots");
    /* Intact: the middle airing's start and end (#3, #4) and the one clock event. */
    assert_int_equal(verify_middle(path, r), 0);
    assert_false(r->whole_log);
    assert_int_equal(r->first_seq, 3);
    assert_int_equal(r->last_seq, 4);
    assert_int_equal(r->rows_checked, 3);
    /* An edit outside the period is not this report's (the whole check names it). */
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET title = 'x' WHERE seq = 1"),
                     SQLITE_OK);
    assert_int_equal(verify_middle(path, r), 0);
    verify_fails_naming(path, "airing_events", 1, "sửa");
    /* Inside the period it is. */
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET title = 'x' WHERE seq = 3"),
                     SQLITE_OK);
    assert_int_equal(verify_middle(path, r), 1);
    assert_true(names_seq(r, 3, "sửa"));
    free(path);

    /* The row before the period re-hashed: the period's first row no longer links to it. */
    path = three_airings("airing_slots_link");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET hash = "
                                    "'1111111111111111111111111111111111111111111111111111111111111111'"
                                    " WHERE seq = 2"),
                     SQLITE_OK);
    assert_int_equal(verify_middle(path, r), 1);
    assert_true(names_seq(r, 2, "thay"));
    free(path);

    /* Rows cut from the end, after the period: the head gives them away. */
    path = three_airings("airing_slots_tail");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "DELETE FROM airing_events WHERE seq >= 5"), SQLITE_OK);
    assert_int_equal(verify_middle(path, r), 1);
    assert_true(names_seq(r, 5, "xóa"));
    free(path);

    /* A period without airings still checks the head and the clock chain. */
    path = three_airings("airing_slots_empty");
    bt_store *st = open_ok(path);
    assert_int_equal(bt_airing_verify_slots(st, slot_at(20, 6, 0), slot_at(21, 6, 0), r), 0);
    assert_int_equal(r->first_seq, 0);
    assert_int_equal(r->rows_checked, 1);
    bt_store_close(st);
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE clock_events SET jump_ms = 0 WHERE seq = 1"),
                     SQLITE_OK);
    st = open_ok(path);
    assert_int_equal(bt_airing_verify_slots(st, slot_at(20, 6, 0), slot_at(21, 6, 0), r), 1);
    bt_store_close(st);
    free(path);
    free(r);
}

/* The time the log last saw, for the start-up clock check: the last row that has one (an end a
 * crash recovery wrote has none), or a later clock event's detection. */
static void last_time_survives_crash_recovery(void **state)
{
    (void)state;
    char *path = db_path("airing_last_time");
    bt_store *s = open_ok(path);
    int64_t t = -1;
    assert_int_equal(bt_airing_last_time_ms(s, &t), 0);
    assert_int_equal(t, 0); /* empty log */
    air(s, "tin-dvc-truc-tuyen", slot_at(13, 6, 0));
    assert_int_equal(bt_airing_last_time_ms(s, &t), 0);
    assert_int_equal(t, slot_at(13, 6, 0) * 1000 + 45012); /* its end */
    bt_airing_subject subj = subject("tin-vneid", "ban-tin-sang", slot_at(13, 6, 5));
    int64_t id = 0;
    assert_int_equal(bt_airing_begin(s, &subj, slot_at(13, 6, 5) * 1000 + 7, true, &id), 0);
    bt_store_close(s);
    s = open_ok(path); /* the power came back */
    size_t recovered = 0;
    assert_int_equal(bt_airing_recover(s, &recovered), 0);
    assert_int_equal(recovered, 1);
    assert_int_equal(bt_airing_last_time_ms(s, &t), 0);
    assert_int_equal(t, slot_at(13, 6, 5) * 1000 + 7); /* the cut airing's start */
    bt_clock_event ev = {0, slot_at(13, 7, 0) * 1000, 60000, 1, "thử"};
    assert_int_equal(bt_airing_add_clock_event(s, &ev, NULL), 0);
    assert_int_equal(bt_airing_last_time_ms(s, &t), 0);
    assert_int_equal(t, slot_at(13, 7, 0) * 1000);
    bt_store_close(s);
    free(path);
}

/* ---- the stored format ---------------------------------------------------------------------- */

/* The canonical text of bangtin.db's rows as first written (airing.c's header), hashed the way
 * the first implementation did: libsodium, printf, one column at a time. Every stored hash must
 * match it, so databases written before verify was made fast still verify, and rows written now
 * still verify on an older bangtin. */
static void reference_hash(sqlite3_stmt *st, int columns, const char *domain, char *hex)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    char head[200];
    snprintf(head, sizeof head, "%s\n%s\n", domain, (const char *)sqlite3_column_text(st, columns));
    crypto_hash_sha256_update(&h, (const unsigned char *)head, strlen(head));
    for (int i = 0; i < columns; i++) {
        char piece[600];
        const char *name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
            snprintf(piece, sizeof piece, "%s=n\n", name);
            break;
        case SQLITE_INTEGER:
            snprintf(piece, sizeof piece, "%s=i%lld\n", name,
                     (long long)sqlite3_column_int64(st, i));
            break;
        default: {
            const char *t = (const char *)sqlite3_column_text(st, i);
            snprintf(piece, sizeof piece, "%s=t%zu:%s\n", name, strlen(t), t);
            break;
        }
        }
        crypto_hash_sha256_update(&h, (const unsigned char *)piece, strlen(piece));
    }
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

static size_t expect_reference_hashes(const char *path, const char *sql, int columns,
                                      const char *domain)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    size_t rows = 0;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char hex[65];
        reference_hash(st, columns, domain, hex);
        assert_string_equal((const char *)sqlite3_column_text(st, columns + 1), hex);
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

static void stored_hashes_match_the_original_format(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    char *path = db_path("airing_format");
    bt_store *s = open_ok(path);
    air(s, "tin-dvc-truc-tuyen", slot_at(13, 6, 0));
    bt_airing_subject subj = subject("tin-vneid", "ban-tin-chieu", slot_at(13, 17, 0));
    subj.topic[0] = '\0'; /* NULL columns */
    int64_t id = 0;
    assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_MISSED, "tắt máy", false, &id), 0);
    /* A negative number, as a clock set back writes. */
    bt_clock_event ev = {0, slot_at(13, 7, 0) * 1000, -3600 * 1000, 123456789, "đồng hồ lùi"};
    assert_int_equal(bt_airing_add_clock_event(s, &ev, NULL), 0);
    expect_verify_ok(s);
    bt_store_close(s);
    assert_int_equal(
        expect_reference_hashes(
            path,
            "SELECT seq, kind, airing, item_id, title, topic, sha256, playlist_id,"
            " playlist_version, session_id, scheduled_at, started_at_ms, ended_at_ms, duration_ms,"
            " status, reason, clock_trusted, logged_at_ms, prev_hash, hash FROM airing_events"
            " ORDER BY seq",
            18, "bangtin airing_events v1"),
        3);
    assert_int_equal(expect_reference_hashes(path,
                                             "SELECT seq, detected_at_ms, jump_ms, mono_ns, note,"
                                             " logged_at_ms, prev_hash, hash FROM clock_events"
                                             " ORDER BY seq",
                                             6, "bangtin clock_events v1"),
                     1);
    free(path);
}

/* The `airings` view as schema steps 2-7 made it, before text bulletins (step 8). */
#define VIEW_BEFORE_STEP_8                                                                     \
    "CREATE VIEW airings AS"                                                                   \
    "  SELECT s.seq AS airing, s.item_id, s.title, s.topic, s.sha256, s.playlist_id,"          \
    "    s.playlist_version, s.session_id, s.scheduled_at, s.started_at_ms,"                   \
    "    e.ended_at_ms, e.duration_ms,"                                                        \
    "    CASE WHEN s.kind = 'record' THEN s.status ELSE COALESCE(e.status, 'airing') END"      \
    "      AS status,"                                                                         \
    "    CASE WHEN s.kind = 'record' THEN s.reason ELSE e.reason END AS reason,"               \
    "    (s.clock_trusted AND COALESCE(e.clock_trusted, 1)) AS clock_trusted"                  \
    "  FROM airing_events s"                                                                   \
    "  LEFT JOIN airing_events e ON e.kind = 'end' AND e.airing = s.seq"                       \
    "  WHERE s.kind IN ('start', 'record');"

/* A text bulletin's airing (issue 11) carries the hash of its words beside the audio's. Rows
 * without one hash exactly as the 18 columns of format v1 always did; a row with one adds its
 * line. A log written before schema step 8 (the column dropped again here, the view as it was,
 * user_version 7) is migrated and still verifies, takes text rows after it, and an edit of the
 * new column is caught either way. */
static void text_hash_rows_and_the_step_8_migration(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    char *path = db_path("airing_text_hash");
    bt_store *s = open_ok(path);
    air(s, "tin-ghi-am", slot_at(15, 6, 0));
    bt_store_close(s);
    assert_int_equal(exec_sql(path, "DROP TABLE staff_records; DROP VIEW airings;"
                                    "ALTER TABLE airing_events DROP COLUMN text_sha256;"
                                    VIEW_BEFORE_STEP_8
                                    "ALTER TABLE playlists DROP COLUMN pin_approved_at;"
                                    "ALTER TABLE impressions DROP COLUMN video_whole;"
                                    "ALTER TABLE impressions DROP COLUMN video_cut;"
                                    "ALTER TABLE impressions_untrusted DROP COLUMN video_whole;"
                                    "ALTER TABLE impressions_untrusted DROP COLUMN video_cut;"
                                    "PRAGMA user_version = 7;"),
                     SQLITE_OK);

    s = open_ok(path); /* migrates through step 8 to the latest */
    assert_int_equal(bt_store_schema_version(s), 12); /* 9: the PIN's approvals, 10-11: staff records, 12: video plays */
    expect_verify_ok(s);
    bt_airing_subject subj = subject("tin-doc", "ban-tin-sang", slot_at(15, 6, 0));
    bt_sha256_hex("Ủy ban nhân dân phường thông báo.", strlen("Ủy ban nhân dân phường thông báo."),
                  subj.text_sha256);
    int64_t id = 0;
    assert_int_equal(bt_airing_begin(s, &subj, slot_at(15, 6, 1) * 1000, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL, slot_at(15, 6, 2) * 1000,
                                   60000, true),
                     0);
    bt_airing_subject missed = subject("tin-doc", "ban-tin-chieu", slot_at(15, 17, 0));
    memcpy(missed.text_sha256, subj.text_sha256, sizeof missed.text_sha256);
    assert_int_equal(bt_airing_record(s, &missed, BT_AIRING_MISSED, "off", true, NULL), 0);
    expect_verify_ok(s);

    bt_airing_row row;
    assert_int_equal(bt_airing_get(s, id, &row), 1);
    assert_string_equal(row.subject.text_sha256, subj.text_sha256);
    assert_string_equal(row.subject.sha256, subj.sha256);
    assert_int_equal(bt_airing_get(s, 1, &row), 1);
    assert_string_equal(row.subject.text_sha256, "");
    bt_store_close(s);

    /* Every row's stored hash, computed here from the columns as documented. */
    assert_int_equal(
        expect_reference_hashes(
            path,
            "SELECT seq, kind, airing, item_id, title, topic, sha256, playlist_id,"
            " playlist_version, session_id, scheduled_at, started_at_ms, ended_at_ms, duration_ms,"
            " status, reason, clock_trusted, logged_at_ms, prev_hash, hash FROM airing_events"
            " WHERE text_sha256 IS NULL ORDER BY seq",
            18, "bangtin airing_events v1"),
        3); /* the recorded airing's two rows and the text airing's end */
    assert_int_equal(
        expect_reference_hashes(
            path,
            "SELECT seq, kind, airing, item_id, title, topic, sha256, playlist_id,"
            " playlist_version, session_id, scheduled_at, started_at_ms, ended_at_ms, duration_ms,"
            " status, reason, clock_trusted, logged_at_ms, text_sha256, prev_hash, hash"
            " FROM airing_events WHERE text_sha256 IS NOT NULL ORDER BY seq",
            19, "bangtin airing_events v1"),
        2);

    /* A text hash changed, removed, or given to a row that had none: each is an edit. */
    const char *edits[] = {
        "UPDATE airing_events SET text_sha256 = printf('%064d', 1) WHERE seq = 3;",
        "UPDATE airing_events SET text_sha256 = NULL WHERE seq = 3;",
        "UPDATE airing_events SET text_sha256 = printf('%064d', 1) WHERE seq = 1;",
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *copy = db_path("airing_text_hash_edit");
        char sql[512];
        assert_int_equal(exec_sql(path, "PRAGMA wal_checkpoint(TRUNCATE);"), SQLITE_OK);
        snprintf(sql, sizeof sql, "VACUUM INTO '%s';", copy);
        remove(copy);
        assert_int_equal(exec_sql(path, sql), SQLITE_OK);
        assert_int_equal(exec_sql(copy, drop_triggers), SQLITE_OK);
        assert_int_equal(exec_sql(copy, edits[i]), SQLITE_OK);
        s = open_ok(copy);
        bt_airing_verify_result r;
        assert_int_equal(bt_airing_verify_slots(s, slot_at(15, 0, 0), slot_at(16, 0, 0), &r), 1);
        assert_true(r.problem_count >= 1);
        assert_non_null(strstr(r.problems[0].message, "đã bị sửa"));
        bt_store_close(s);
        free(copy);
    }
    free(path);
}

/* Verify checks the first half of a long log on a second thread: problems on both sides of the
 * split, and at it, are all found and listed in row order. */
static void verify_finds_problems_on_both_sides_in_order(void **state)
{
    (void)state;
    char *path = db_path("airing_halves");
    bt_store *s = open_ok(path);
    for (int i = 0; i < 20; i++) /* rows 1..40: the split is at row 20 */
        air(s, "tin-dvc", slot_at(14, 6, i));
    expect_verify_ok(s);
    bt_store_close(s);
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET title = 'x' WHERE seq = 3;"
                                    "DELETE FROM airing_events WHERE seq = 21;"
                                    "UPDATE airing_events SET duration_ms = 1 WHERE seq = 38;"),
                     SQLITE_OK);
    s = open_ok(path);
    bt_airing_verify_result r;
    assert_int_equal(bt_airing_verify(s, &r), 1);
    assert_int_equal(r.rows_checked, 39 + 0); /* the clock chain is empty here */
    assert_int_equal(r.problem_count, 3);
    assert_int_equal(r.problems[0].seq, 3);
    assert_non_null(strstr(r.problems[0].message, "sửa"));
    assert_int_equal(r.problems[1].seq, 21);
    assert_non_null(strstr(r.problems[1].message, "xóa"));
    assert_int_equal(r.problems[2].seq, 38);
    bt_store_close(s);
    free(path);
}

/* Text an editor extends past a NUL byte still changes the hash. */
static void verify_sees_bytes_hidden_after_nul(void **state)
{
    (void)state;
    char *path = three_airings("airing_nul");
    assert_int_equal(exec_sql(path, drop_triggers), SQLITE_OK);
    assert_int_equal(exec_sql(path, "UPDATE airing_events SET title = CAST(title || X'00' || "
                                    "CAST('thêm' AS BLOB) AS TEXT) WHERE seq = 1"),
                     SQLITE_OK);
    verify_fails_naming(path, "airing_events", 1, "sửa");
    free(path);
}

static void clock_events_round_trip(void **state)
{
    (void)state;
    char *path = db_path("airing_clock");
    bt_store *s = open_ok(path);
    bt_clock_event a = {0, 1760050800000, -7200000, 5000000000, "đồng hồ lùi 2 giờ"};
    bt_clock_event b = {0, 1760060800000, 86400000, 9000000000, ""};
    assert_int_equal(bt_airing_add_clock_event(s, &a, NULL), 0);
    assert_int_equal(bt_airing_add_clock_event(s, &b, NULL), 0);
    bt_clock_event *list = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_clock_events(s, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].seq, 1);
    assert_int_equal(list[0].jump_ms, -7200000);
    assert_int_equal(list[0].mono, 5000000000);
    assert_string_equal(list[0].note, "đồng hồ lùi 2 giờ");
    assert_int_equal(list[1].jump_ms, 86400000);
    assert_string_equal(list[1].note, "");
    free(list);
    expect_verify_ok(s);
    bt_store_close(s);
    free(path);
}

/* ---- crashes -------------------------------------------------------------------------------- */

/* Child: five completed airings, then one left open; tells the parent and waits to be killed. */
static void crash_child(const char *path, int fd)
{
    char err[256];
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof(err)) != 0)
        _exit(2);
    for (int i = 0; i < 5; i++) {
        bt_airing_subject subj = subject("tin-vneid", "ban-tin-sang", slot_at(15, 6, i));
        int64_t id;
        if (bt_airing_begin(s, &subj, 1, true, &id) != 0 ||
            bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL, 2, 1, true) != 0)
            _exit(3);
    }
    bt_airing_subject subj = subject("tin-dvc-truc-tuyen", "ban-tin-sang", slot_at(15, 6, 10));
    int64_t id;
    if (bt_airing_begin(s, &subj, 1, true, &id) != 0)
        _exit(4);
    if (write(fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
        _exit(5);
    for (;;)
        pause();
}

static void kill_mid_airing_recovers_crash(void **state)
{
    (void)state;
    char *path = db_path("airing_crash");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        crash_child(path, fds[1]);
    }
    close(fds[1]);
    int64_t open_id = 0;
    assert_int_equal(read(fds[0], &open_id, sizeof(open_id)), (ssize_t)sizeof(open_id));
    close(fds[0]);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    char text[64];
    query_text(path, "PRAGMA integrity_check", text, sizeof(text));
    assert_string_equal(text, "ok");

    bt_store *s = open_ok(path);
    bt_airing_row r;
    assert_int_equal(bt_airing_get(s, open_id, &r), 1);
    assert_int_equal(r.status, BT_AIRING_AIRING);
    size_t recovered = 0;
    assert_int_equal(bt_airing_recover(s, &recovered), 0);
    assert_int_equal(recovered, 1);
    assert_int_equal(bt_airing_get(s, open_id, &r), 1);
    assert_int_equal(r.status, BT_AIRING_INTERRUPTED);
    assert_string_equal(r.reason, BT_AIRING_REASON_CRASH);
    assert_int_equal(r.ended_at_ms, 0);
    assert_int_equal(r.duration_ms, -1);
    /* Nothing else is open any more; recovering again does nothing. */
    assert_int_equal(bt_airing_recover(s, &recovered), 0);
    assert_int_equal(recovered, 0);

    bt_airing_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_airing_list(s, 0, INT64_MAX, &rows, &n), 0);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(rows[i].status, BT_AIRING_COMPLETED);
    free(rows);
    expect_verify_ok(s);
    bt_store_close(s);
    query_text(path, "PRAGMA integrity_check", text, sizeof(text));
    assert_string_equal(text, "ok");
    free(path);
}

/* Child: airs as fast as it can, reporting each airing id once its end is committed. */
static void storm_child(const char *path, int fd)
{
    char err[256];
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof(err)) != 0)
        _exit(2);
    for (int i = 0;; i++) {
        bt_airing_subject subj = subject("tin-vneid", "ban-tin-sang", slot_at(16, 0, 0) + i);
        int64_t id;
        if (bt_airing_begin(s, &subj, 1, true, &id) != 0 ||
            bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL, 2, 1, true) != 0)
            _exit(3);
        if (write(fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
            _exit(4);
    }
}

static void kill_during_write_storm_loses_nothing(void **state)
{
    (void)state;
    char *path = db_path("airing_storm");
    /* Create the schema first so the child's time goes to airings. */
    bt_store_close(open_ok(path));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        storm_child(path, fds[1]);
    }
    close(fds[1]);
    int64_t ids[4096];
    size_t n = 0;
    while (n < 40 && read(fds[0], &ids[n], sizeof(ids[n])) == (ssize_t)sizeof(ids[n]))
        n++;
    assert_int_equal(kill(pid, SIGKILL), 0);
    /* Whatever the child reported before it died is committed. */
    while (n < 4096 && read(fds[0], &ids[n], sizeof(ids[n])) == (ssize_t)sizeof(ids[n]))
        n++;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_true(n >= 40);

    char text[64];
    query_text(path, "PRAGMA integrity_check", text, sizeof(text));
    assert_string_equal(text, "ok");
    bt_store *s = open_ok(path);
    size_t recovered = 0;
    assert_int_equal(bt_airing_recover(s, &recovered), 0);
    assert_true(recovered <= 1);
    for (size_t i = 0; i < n; i++) {
        bt_airing_row r;
        assert_int_equal(bt_airing_get(s, ids[i], &r), 1);
        assert_int_equal(r.status, BT_AIRING_COMPLETED);
    }
    expect_verify_ok(s);
    bt_store_close(s);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_begin_end_record_and_view),
        cmocka_unit_test(status_names_round_trip),
        cmocka_unit_test(writes_are_synchronous_full),
        cmocka_unit_test(triggers_refuse_edits),
        cmocka_unit_test(verify_names_edited_row),
        cmocka_unit_test(verify_names_edited_status),
        cmocka_unit_test(verify_names_rehashed_row),
        cmocka_unit_test(verify_names_deleted_row),
        cmocka_unit_test(verify_names_deleted_tail_and_keeps_logging),
        cmocka_unit_test(verify_names_edited_clock_event),
        cmocka_unit_test(verify_slots_checks_the_period),
        cmocka_unit_test(last_time_survives_crash_recovery),
        cmocka_unit_test(stored_hashes_match_the_original_format),
        cmocka_unit_test(text_hash_rows_and_the_step_8_migration),
        cmocka_unit_test(verify_finds_problems_on_both_sides_in_order),
        cmocka_unit_test(verify_sees_bytes_hidden_after_nul),
        cmocka_unit_test(clock_events_round_trip),
        cmocka_unit_test(kill_mid_airing_recovers_crash),
        cmocka_unit_test(kill_during_write_storm_loses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
