/* Issue 16, points 1 and 2: the device key (made once, 0600, same key read back, a broken or
 * world-readable file said or repaired) and the signed export (since the last export and by
 * dates, pieces of both chains that continue each other, meta that names them, a signature
 * over the bytes that any changed byte breaks, an edited row found by its hash and named,
 * `bangtin export` on the command line). */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

typedef struct {
    char *dir;
    char db[1024];
    bt_store *store;
    bt_device_key key;
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    f->dir = bt_test_temp_dir("export");
    snprintf(f->db, sizeof f->db, "%s/%s", f->dir, BT_STORE_FILE);
    if (bt_store_open(f->db, &f->store, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    if (bt_device_key_ensure(f->dir, &f->key, NULL, err, sizeof err) != 0)
        fail_msg("bt_device_key_ensure: %s", err);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    bt_store_close(f->store);
    bt_device_key_wipe(&f->key);
    free(f->dir);
    free(f);
    return 0;
}

/* n airings that begin and end (two rows each), at slots on 2025-10-<day>. */
static void air(fixture *f, int n, int day)
{
    for (int i = 0; i < n; i++) {
        bt_airing_subject s;
        memset(&s, 0, sizeof s);
        snprintf(s.item_id, sizeof s.item_id, "ban-tin-%d", i);
        snprintf(s.title, sizeof s.title, "Dịch vụ công trực tuyến số %d", i);
        snprintf(s.topic, sizeof s.topic, "cchc");
        snprintf(s.sha256, sizeof s.sha256, "%064d", i);
        snprintf(s.playlist_id, sizeof s.playlist_id, "bachmai-cchc");
        s.playlist_version = 1;
        snprintf(s.session_id, sizeof s.session_id, "sang");
        s.scheduled_at = bt_time_from_civil(2025, 10, day, 7, i, 0);
        int64_t id = 0;
        assert_int_equal(bt_airing_begin(f->store, &s, s.scheduled_at * 1000, true, &id), 0);
        assert_int_equal(bt_airing_end(f->store, id, BT_AIRING_COMPLETED, NULL,
                                       s.scheduled_at * 1000 + 30000, 30000, true), 0);
    }
}

static void export_ok(fixture *f, const bt_export_request *req, const char *name,
                      bt_export_summary *sum, bt_export_meta *meta, char *path, size_t size)
{
    char err[1024];
    bt_airing_verify_result *check = malloc(sizeof *check);
    snprintf(path, size, "%s/%s", f->dir, name);
    if (bt_export_write_file(f->store, &f->key, req, path, sum, err, sizeof err) != 0)
        fail_msg("bt_export_write_file: %s", err);
    int rc = bt_export_inspect(path, meta, check, err, sizeof err);
    if (rc != 0)
        fail_msg("inspect %s: %d %s %s", name, rc, err,
                 check->problem_count ? check->problems[0].message : "");
    free(check);
}

/* One integer from the database at path (an export, or the store beside the fixture). */
static long long sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    long long v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* Format 2 carries what staff recorded by hand: a since-last export the records recorded or
 * changed since the previous one, a re-export by dates the records of those days. */
static void test_staff_records_exported(void **st)
{
    fixture *f = *st;
    char path[1200], sql[1024];
    bt_export_summary sum;
    bt_export_meta meta;
    const bt_wall t1 = 1761955200; /* 2025-11-01 07:00 in Hanoi */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO staff_records (id, channel, day, count, source, playlist_id,"
             " playlist_version, recorded_at, updated_at) VALUES"
             " (1, 'zalo', '2025-10-05', 3, 'panel', 'p', 1, %lld, %lld)",
             (long long)(t1 - 100), (long long)(t1 - 100));
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    bt_export_request req = {.since_last = true, .ward = "Phường Bạch Mai", .now = t1};
    export_ok(f, &req, "r1.bangtin", &sum, &meta, path, sizeof path);
    char err[512];
    assert_int_equal(bt_export_mark_sent(f->store, &req, &sum, err, sizeof err), 0);
    assert_int_equal(meta.version, BT_EXPORT_VERSION);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), BT_EXPORT_VERSION);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM staff_records WHERE id = 1 AND"
                                   " count = 3 AND channel = 'zalo'"), 1);
    /* Recorded after the first export: only it goes in the next. */
    snprintf(sql, sizeof sql,
             "INSERT INTO staff_records (id, channel, day, count, source, entry_key, playlist_id,"
             " playlist_version, recorded_at, updated_at) VALUES"
             " (2, 'city-page', '2025-11-01', 2, 'csv', 'k', 'p', 1, %lld, %lld)",
             (long long)(t1 + 10), (long long)(t1 + 10));
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    req.now = t1 + 20;
    export_ok(f, &req, "r2.bangtin", &sum, &meta, path, sizeof path);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM staff_records"), 1);
    assert_int_equal(sql_int(path, "SELECT id FROM staff_records"), 2);
    /* By dates: the records of those days, whenever recorded. */
    bt_export_request range = {.since_last = false, .first = bt_time_day_from_ymd(2025, 10, 1),
                               .last = bt_time_day_from_ymd(2025, 10, 31), .now = t1 + 30};
    export_ok(f, &range, "r3.bangtin", &sum, &meta, path, sizeof path);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM staff_records"), 1);
    assert_int_equal(sql_int(path, "SELECT id FROM staff_records"), 1);
}

static void test_device_key_made_once_private(void **st)
{
    fixture *f = *st;
    char path[1200], err[1024];
    struct stat sb;
    bt_device_key again;
    bool created = true;
    snprintf(path, sizeof path, "%s/%s", f->dir, BT_DEVICE_KEY_FILE);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(bt_device_key_ensure(f->dir, &again, &created, err, sizeof err), 0);
    assert_false(created);
    assert_memory_equal(again.public_key, f->key.public_key, 32);
    assert_string_equal(again.fingerprint, f->key.fingerprint);
    assert_int_equal(strlen(f->key.fingerprint), 19);
    /* Opened up by someone: read, said, and private again. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(bt_device_key_read(f->dir, &again, err, sizeof err), 1);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* A public-key text round trip, and a broken secret file named by its line. */
    char *pub = bt_device_key_public_text(&f->key, "Phường Bạch Mai");
    bt_device_key parsed;
    assert_int_equal(bt_device_key_parse_public(pub, strlen(pub), &parsed, err, sizeof err), 0);
    assert_memory_equal(parsed.public_key, f->key.public_key, 32);
    assert_non_null(strstr(pub, "Phường Bạch Mai"));
    free(pub);
    char *other = bt_test_temp_dir("export-broken");
    snprintf(path, sizeof path, "%s/%s", other, BT_DEVICE_KEY_FILE);
    const char broken[] = "# khoá\n\nbangtin-device-secret-v1 abc\n";
    assert_int_equal(bt_test_write_file(path, broken, strlen(broken)), 0);
    assert_int_equal(bt_device_key_ensure(other, &again, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "hỏng ở dòng 3"));
    free(other);
    bt_device_key_wipe(&again);
}

static void test_exports_continue_each_other(void **st)
{
    fixture *f = *st;
    char path1[1200], path2[1200], path3[1200], path4[1200];
    bt_export_summary s1, s2, s3, s4;
    bt_export_meta m1, m2, m3, m4;
    bt_export_request req = {.since_last = true, .ward = "Phường Bạch Mai", .now = time(NULL)};
    air(f, 3, 1);
    bt_clock_event ev = {.detected_at_ms = 1761955200000, .jump_ms = 3600000, .note = "chỉnh tay"};
    assert_int_equal(bt_airing_add_clock_event(f->store, &ev, NULL), 0);
    bt_proof_row imp = {.playlist_id = "bachmai-cchc", .notice_id = "dvc",
                        .day = bt_time_day_of(req.now), .shows = 12, .seconds = 96,
                        .video_whole = 5, .video_cut = 2};
    assert_int_equal(bt_store_add_impressions(f->store, &imp, 1), 0);

    export_ok(f, &req, "a.bangtin", &s1, &m1, path1, sizeof path1);
    assert_int_equal(m1.export_no, 1);
    assert_int_equal(m1.airing_first, 1);
    assert_int_equal(m1.airing_last, 6);
    assert_int_equal(m1.airing_head, 6);
    assert_int_equal(m1.clock_first, 1);
    assert_int_equal(m1.clock_last, 1);
    assert_string_equal(m1.airing_prev_hash,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(m1.ward, "Phường Bạch Mai");
    assert_string_equal(m1.device_id, f->key.id);
    assert_memory_equal(m1.public_key, f->key.public_key, 32);
    assert_int_equal(s1.impression_rows, 1);
    /* Format 3: a video notice's plays, whole and cut short, beside its screen time. */
    assert_int_equal(sql_int(path1, "SELECT video_whole * 10 + video_cut FROM impressions"), 52);

    /* The next since-last export starts where this one ended, linked by hash. */
    air(f, 2, 2);
    req.now = time(NULL);
    export_ok(f, &req, "b.bangtin", &s2, &m2, path2, sizeof path2);
    assert_int_equal(m2.export_no, 2);
    assert_int_equal(m2.airing_first, 7);
    assert_int_equal(m2.airing_last, 10);
    assert_string_equal(m2.airing_prev_hash, m1.airing_head_hash);
    assert_int_equal(m2.clock_first, 0); /* no new clock event */
    assert_string_equal(m2.clock_prev_hash, m1.clock_head_hash);

    /* By dates (today, when every row was logged): the whole log, and the since-last marks
     * stay where they were. */
    bt_export_request range = {.since_last = false, .first = bt_time_day_of(req.now),
                               .last = bt_time_day_of(req.now), .now = req.now};
    export_ok(f, &range, "c.bangtin", &s3, &m3, path3, sizeof path3);
    assert_int_equal(m3.export_no, 3);
    assert_int_equal(m3.airing_first, 1);
    assert_int_equal(m3.airing_last, 10);
    assert_string_equal(m3.range_first, m3.range_last);
    export_ok(f, &req, "d.bangtin", &s4, &m4, path4, sizeof path4);
    assert_int_equal(m4.export_no, 4);
    assert_int_equal(m4.airing_first, 0);
    assert_string_equal(m4.airing_prev_hash, m2.airing_head_hash);
}

static void test_signature_and_edits_are_caught(void **st)
{
    fixture *f = *st;
    char path[1200], sig_path[1300], err[1024], named[BT_DEVICE_ID_SIZE];
    bt_export_summary sum;
    bt_export_meta meta;
    bt_export_request req = {.since_last = true, .now = time(NULL)};
    air(f, 4, 3);
    export_ok(f, &req, "e.bangtin", &sum, &meta, path, sizeof path);
    size_t len = 0, sig_len = 0;
    char *data = bt_test_read_file(path, &len);
    snprintf(sig_path, sizeof sig_path, "%s.sig", path);
    char *sig = bt_test_read_file(sig_path, &sig_len);
    assert_int_equal(bt_device_key_verify(f->key.public_key, data, len, sig, sig_len, named, err,
                                          sizeof err), 0);
    /* One byte changed anywhere: the signature fails. */
    data[len / 2] ^= 1;
    assert_int_equal(bt_device_key_verify(f->key.public_key, data, len, sig, sig_len, named, err,
                                          sizeof err), -1);
    assert_non_null(strstr(err, "chữ ký không khớp nội dung tệp"));
    /* Another device's key: named as such. */
    bt_device_key other;
    char *dir = bt_test_temp_dir("export-other");
    assert_int_equal(bt_device_key_ensure(dir, &other, NULL, err, sizeof err), 0);
    data[len / 2] ^= 1;
    assert_int_equal(bt_device_key_verify(other.public_key, data, len, sig, sig_len, named, err,
                                          sizeof err), -1);
    assert_non_null(strstr(err, f->key.id));
    bt_device_key_wipe(&other);
    free(dir);

    /* A row edited in the export (as with a database browser): its hash no longer matches,
     * and the problem names the row. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE airing_events SET title = 'đã sửa' WHERE seq = 3",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    bt_airing_verify_result *check = malloc(sizeof *check);
    assert_int_equal(bt_export_inspect(path, &meta, check, err, sizeof err), 1);
    assert_int_equal(check->problems[0].seq, 3);
    assert_non_null(strstr(check->problems[0].message, "dòng #3"));
    assert_non_null(strstr(check->problems[0].message, "đã bị sửa"));
    /* Not an export at all. */
    assert_int_equal(bt_export_inspect(f->db, &meta, check, err, sizeof err), -1);
    assert_non_null(strstr(err, "không phải tệp xuất của bangtin"));
    free(check);
    free(data);
    free(sig);
}

static void test_cli_export(void **st)
{
    fixture *f = *st;
    char cmd[4096];
    int status = 0;
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BT_BANGTIN_EXE " --data '%s' export -o "
             "'%s/cli.bangtin' 2>&1", f->dir, f->dir);
    char *out = bt_test_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, f->key.fingerprint));
    assert_non_null(strstr(out, "Đã xuất"));
    free(out);
    /* status (text and JSON) and doctor show the fingerprint staff read to the city. */
    char line[128];
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BT_BANGTIN_EXE " --data '%s' status; "
             "BANGTIN_CONFIG= " BT_BANGTIN_EXE " --data '%s' status --json; "
             "BANGTIN_CONFIG= " BT_BANGTIN_EXE " --data '%s' doctor 2>&1", f->dir, f->dir, f->dir);
    out = bt_test_run(cmd, &status);
    snprintf(line, sizeof line, "Khoá thiết bị: dấu vân tay %s\n", f->key.fingerprint);
    assert_non_null(strstr(out, line));
    snprintf(line, sizeof line, "\"device_key\": {\n    \"id\": \"%s\",\n    "
             "\"fingerprint\": \"%s\"", f->key.id, f->key.fingerprint);
    if (!strstr(out, line))
        fail_msg("no %s in:\n%s", line, out);
    snprintf(line, sizeof line, "ok        Khoá thiết bị: dấu vân tay %s", f->key.fingerprint);
    assert_non_null(strstr(out, line));
    free(out);
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= " BT_BANGTIN_EXE " --data '%s' export -o "
             "'%s/x.bangtin' --from 2025-10-02 2>&1", f->dir, f->dir);
    out = bt_test_run(cmd, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "cần cả --from và --to"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_device_key_made_once_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exports_continue_each_other, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signature_and_edits_are_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_records_exported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
