/* The SQLite store on real files: creation and migration, reopening, the active playlist,
 * impressions added up across batches, screen time shown while the clock was not trusted kept
 * apart from what reports count, video plays (whole, cut short) beside them, an hour of proof of play surviving a clean exit, audio
 * measurements with their silence (and a store of the previous version gaining the columns),
 * and refusal of a database from a newer bangtin. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_content_store.h"
#include "bangtin/bt_measurements.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_time.h"

/* The schema version this build creates; bump with each migration step. */
#define EXPECTED_SCHEMA_VERSION 12

/* Undoes step 12 (video plays) on a table, for a database made to look older. */
#define IMPRESSIONS_BEFORE_STEP_12                                                                \
    "ALTER TABLE impressions DROP COLUMN video_whole;"                                            \
    "ALTER TABLE impressions DROP COLUMN video_cut;"
#define UNTRUSTED_BEFORE_STEP_12                                                                  \
    "ALTER TABLE impressions_untrusted DROP COLUMN video_whole;"                                  \
    "ALTER TABLE impressions_untrusted DROP COLUMN video_cut;"

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
    assert_non_null(s);
    return s;
}

/* Runs one query returning a single integer with a plain sqlite3 connection. */
static int64_t query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static const char *query_text(const char *path, const char *sql, char *buf, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static bt_store_playlist make_playlist(const char *id, int version, bt_wall at)
{
    bt_store_playlist p;
    memset(&p, 0, sizeof(p));
    snprintf(p.id, sizeof(p.id), "%s", id);
    p.version = version;
    snprintf(p.title, sizeof(p.title), "Thông tin CCHC phường Bạch Mai — bản %d", version);
    snprintf(p.dir, sizeof(p.dir), "/var/lib/bangtin/playlists/%s-%d", id, version);
    p.activated_at = at;
    return p;
}

static void test_create_migrate_reopen(void **state)
{
    (void)state;
    char *path = db_path("store-create");
    bt_store *s = open_ok(path);
    assert_int_equal(bt_store_schema_version(s), EXPECTED_SCHEMA_VERSION);
    bt_store_playlist p = make_playlist("bachmai-cchc", 3, 1764000000);
    assert_int_equal(bt_store_activate_playlist(s, &p), 0);
    bt_store_close(s);

    char buf[32];
    assert_int_equal(query_int(path, "PRAGMA user_version"), EXPECTED_SCHEMA_VERSION);
    assert_string_equal(query_text(path, "PRAGMA journal_mode", buf, sizeof(buf)), "wal");

    s = open_ok(path);
    assert_int_equal(bt_store_schema_version(s), EXPECTED_SCHEMA_VERSION);
    bt_store_playlist got;
    assert_int_equal(bt_store_active_playlist(s, &got), 1);
    assert_string_equal(got.id, "bachmai-cchc");
    assert_string_equal(got.title, p.title);
    bt_store_close(s);
    /* Reopening applied no step twice: still one activation. */
    assert_int_equal(query_int(path, "SELECT count(*) FROM playlists"), 1);
    free(path);
}

static void test_activate_and_read_active(void **state)
{
    (void)state;
    char *path = db_path("store-activate");
    bt_store *s = open_ok(path);
    bt_store_playlist got;
    assert_int_equal(bt_store_active_playlist(s, &got), 0);

    bt_store_playlist a = make_playlist("bachmai-cchc", 3, 1764000000);
    bt_store_playlist b = make_playlist("bachmai-cchc", 4, 1764086400);
    bt_store_playlist c = make_playlist("viethung-cchc", 1, 1764172800);
    assert_int_equal(bt_store_activate_playlist(s, &a), 0);
    assert_int_equal(bt_store_active_playlist(s, &got), 1);
    assert_int_equal(got.version, 3);
    assert_int_equal(bt_store_activate_playlist(s, &b), 0);
    assert_int_equal(bt_store_activate_playlist(s, &c), 0);
    assert_int_equal(bt_store_active_playlist(s, &got), 1);
    assert_string_equal(got.id, "viethung-cchc");
    assert_int_equal(got.version, 1);
    assert_string_equal(got.title, c.title);
    assert_string_equal(got.dir, c.dir);
    assert_int_equal(got.activated_at, 1764172800);

    bt_store_playlist bad = make_playlist("", 1, 0);
    assert_int_equal(bt_store_activate_playlist(s, &bad), -1);
    assert_int_equal(bt_store_active_playlist(s, &got), 1);
    assert_string_equal(got.id, "viethung-cchc");
    bt_store_close(s);

    /* History is kept; exactly one row is active. */
    assert_int_equal(query_int(path, "SELECT count(*) FROM playlists"), 3);
    assert_int_equal(query_int(path, "SELECT count(*) FROM playlists WHERE active = 1"), 1);
    free(path);
}

static bt_proof_row make_row(const char *playlist, const char *notice, bt_day day, int64_t shows,
                             double seconds)
{
    bt_proof_row r;
    memset(&r, 0, sizeof(r));
    snprintf(r.playlist_id, sizeof(r.playlist_id), "%s", playlist);
    snprintf(r.notice_id, sizeof(r.notice_id), "%s", notice);
    r.day = day;
    r.shows = shows;
    r.seconds = seconds;
    return r;
}

static void expect_impressions(bt_store *s, const char *playlist, const char *notice, bt_day day,
                               int64_t shows, double seconds)
{
    int64_t got_shows = -1;
    double got_seconds = -1;
    assert_int_equal(bt_store_impressions(s, playlist, notice, day, &got_shows, &got_seconds), 0);
    assert_int_equal(got_shows, shows);
    assert_true(got_seconds == seconds);
}

static void test_impressions_add_up(void **state)
{
    (void)state;
    char *path = db_path("store-impressions");
    bt_store *s = open_ok(path);
    bt_day day = bt_time_day_from_ymd(2025, 11, 24);
    bt_proof_row batch1[] = {make_row("pl", "a", day, 3, 60), make_row("pl", "b", day, 1, 30)};
    bt_proof_row batch2[] = {make_row("pl", "a", day, 2, 40.5),
                             make_row("pl", "a", day + 1, 1, 20)};
    assert_int_equal(bt_store_add_impressions(s, batch1, 2), 0);
    assert_int_equal(bt_store_add_impressions(s, batch2, 2), 0);
    assert_int_equal(bt_store_add_impressions(s, NULL, 0), 0);
    expect_impressions(s, "pl", "a", day, 5, 100.5);
    expect_impressions(s, "pl", "b", day, 1, 30);
    expect_impressions(s, "pl", "a", day + 1, 1, 20);
    expect_impressions(s, "pl", "c", day, 0, 0);   /* no row: zeros */
    expect_impressions(s, "khac", "a", day, 0, 0); /* another playlist's "a" is separate */
    bt_store_close(s);

    char buf[32];
    assert_string_equal(query_text(path, "SELECT min(day) FROM impressions", buf, sizeof(buf)),
                        "2025-11-24");
    assert_int_equal(query_int(path, "SELECT count(*) FROM impressions"), 3);

    /* A bad row fails the whole batch: nothing of it is written. */
    s = open_ok(path);
    bt_proof_row bad[] = {make_row("pl", "a", day, 1, 1), make_row("pl", "b", day, -5, 0)};
    assert_int_equal(bt_store_add_impressions(s, bad, 2), -1);
    expect_impressions(s, "pl", "a", day, 5, 100.5);
    expect_impressions(s, "pl", "b", day, 1, 30);
    /* The store still works after the failed batch. */
    assert_int_equal(bt_store_add_impressions(s, batch1, 1), 0);
    expect_impressions(s, "pl", "a", day, 8, 160.5);
    bt_store_close(s);
    free(path);
}

/* Three notices of 20, 30 and 10 s rotating from 23:30 to 00:30: the hour crosses midnight. */
typedef struct {
    bt_playlist pl;
    bt_notice notices[3];
    char ids[3][8];
    char pl_id[16];
} hour_playlist;

static void hour_init(hour_playlist *f)
{
    static const int durations[3] = {20, 30, 10};
    memset(f, 0, sizeof(*f));
    snprintf(f->pl_id, sizeof(f->pl_id), "bachmai-cchc");
    f->pl.id = f->pl_id;
    f->pl.version = 1;
    f->pl.valid_from = BT_DAY_NONE_FROM;
    f->pl.valid_until = BT_DAY_NONE_UNTIL;
    f->pl.notices = f->notices;
    f->pl.notice_count = 3;
    for (size_t i = 0; i < 3; i++) {
        snprintf(f->ids[i], sizeof(f->ids[i]), "n%zu", i + 1);
        f->notices[i].id = f->ids[i];
        f->notices[i].duration_seconds = durations[i];
        f->notices[i].from_day = BT_DAY_NONE_FROM;
        f->notices[i].until_day = BT_DAY_NONE_UNTIL;
        f->notices[i].weekdays = BT_WEEKDAYS_ALL;
        f->notices[i].priority = BT_DEFAULT_PRIORITY;
    }
}

/* A wall clock in step with the monotonic one, trusted: the kiosk on an ordinary day. */
static bt_proof_clock steady(bt_wall t)
{
    bt_proof_clock c = {t, (bt_mono_ns)t * 1000000000, true};
    return c;
}

static bt_proof_row flagged_row(const char *playlist, const char *notice, bt_day day,
                                int64_t shows, double seconds)
{
    bt_proof_row r = make_row(playlist, notice, day, shows, seconds);
    r.clock_untrusted = true;
    return r;
}

static double total_seconds(const bt_proof_row *rows, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += rows[i].seconds;
    return sum;
}

static void test_untrusted_impressions_kept_apart(void **state)
{
    (void)state;
    char *path = db_path("store-untrusted");
    bt_store *s = open_ok(path);
    bt_day day = bt_time_day_from_ymd(2026, 3, 10);
    bt_proof_row batch[] = {make_row("pl", "a", day, 2, 40),
                            flagged_row("pl", "a", day, 1, 8),
                            flagged_row("pl", "a", BT_PROOF_DAY_UNKNOWN, 1, 5),
                            flagged_row("pl", "b", day, 0, 12)};
    assert_int_equal(bt_store_add_impressions(s, batch, 4), 0);
    assert_int_equal(bt_store_add_impressions(s, &batch[1], 1), 0); /* adds up like the others */

    /* What reports and targets read: the trusted figures only. */
    expect_impressions(s, "pl", "a", day, 2, 40);
    expect_impressions(s, "pl", "b", day, 0, 0);
    bt_proof_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_store_impressions_list(s, day - 1, day + 1, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_true(rows[0].seconds == 40 && !rows[0].clock_untrusted);
    free(rows);
    assert_int_equal(bt_targets_store_impressions(s, day - 1, day + 1, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_true(total_seconds(rows, n) == 40);
    free(rows);

    /* The flagged ones are all there, the unknown day first. */
    assert_int_equal(bt_store_impressions_untrusted(s, &rows, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].day, BT_PROOF_DAY_UNKNOWN);
    assert_true(rows[0].seconds == 5 && rows[0].shows == 1);
    assert_int_equal(rows[1].day, day);
    assert_string_equal(rows[1].notice_id, "a");
    assert_true(rows[1].seconds == 16 && rows[1].shows == 2);
    assert_string_equal(rows[2].notice_id, "b");
    assert_true(rows[2].seconds == 12);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].clock_untrusted);
    free(rows);
    bt_store_close(s);
    char buf[32];
    assert_string_equal(query_text(path, "SELECT quote(min(day)) FROM impressions_untrusted", buf,
                                   sizeof(buf)),
                        "''");

    /* A database of the previous version gains the table and keeps its figures (the columns of
     * steps 7, 8 and 9 and the table of step 10 undone too: a version-5 database never had them). */
    exec_sql(path, "DROP TABLE impressions_untrusted; DROP TABLE staff_records;"
                   "ALTER TABLE audio_measurements DROP COLUMN leading_silence_seconds;"
                   "ALTER TABLE audio_measurements DROP COLUMN trailing_silence_seconds;"
                   "ALTER TABLE audio_measurements DROP COLUMN longest_inside_silence_seconds;"
                   "ALTER TABLE audio_measurements DROP COLUMN longest_inside_silence_at_seconds;"
                   "ALTER TABLE audio_measurements DROP COLUMN silent_fraction;"
                   "DROP VIEW airings; ALTER TABLE airing_events DROP COLUMN text_sha256;"
                   "CREATE VIEW airings AS SELECT seq AS airing FROM airing_events;"
                   "ALTER TABLE playlists DROP COLUMN pin_approved_at;"
                   IMPRESSIONS_BEFORE_STEP_12
                   "PRAGMA user_version = 5;");
    s = open_ok(path);
    assert_int_equal(bt_store_schema_version(s), EXPECTED_SCHEMA_VERSION);
    expect_impressions(s, "pl", "a", day, 2, 40);
    assert_int_equal(bt_store_impressions_untrusted(s, &rows, &n), 0);
    assert_int_equal(n, 0);
    free(rows);
    bt_store_close(s);
    free(path);
}


static bt_proof_row video_row(bt_day day, int64_t whole, int64_t cut, bool untrusted)
{
    bt_proof_row r = make_row("pl", "clip", day, whole + cut, 30.0 * (double)(whole + cut));
    r.video_whole = whole;
    r.video_cut = cut;
    r.clock_untrusted = untrusted;
    return r;
}

/* Video plays (issue 15, schema step 12) add up across batches like the showings, a row that
 * holds only a play (its showing flushed before it ended) is written, flagged plays stay apart,
 * and every reader gives them back; a store of step 11 gains the columns at 0. */
static void test_video_plays_add_up(void **state)
{
    (void)state;
    char *path = db_path("store-video");
    bt_store *s = open_ok(path);
    bt_day day = bt_time_day_from_ymd(2026, 12, 7);
    bt_proof_row batch1[] = {video_row(day, 3, 1, false), make_row("pl", "anh", day, 4, 60)};
    bt_proof_row only_play = video_row(day, 0, 1, false);
    only_play.shows = 0;
    only_play.seconds = 0;
    bt_proof_row batch2[] = {only_play, video_row(day, 2, 0, true)};
    assert_int_equal(bt_store_add_impressions(s, batch1, 2), 0);
    assert_int_equal(bt_store_add_impressions(s, batch2, 2), 0);
    bt_proof_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(bt_store_impressions_list(s, day, day, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[1].notice_id, "clip");
    assert_int_equal(rows[1].shows, 4);
    assert_int_equal(rows[1].video_whole, 3);
    assert_int_equal(rows[1].video_cut, 2);
    assert_int_equal(rows[0].video_whole + rows[0].video_cut, 0);
    free(rows);
    assert_int_equal(bt_targets_store_impressions(s, day, day, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[1].video_cut, 2);
    free(rows);
    assert_int_equal(bt_store_impressions_untrusted(s, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].video_whole, 2);
    assert_true(rows[0].clock_untrusted);
    free(rows);
    /* A negative count is refused with the whole batch. */
    bt_proof_row bad = video_row(day, -1, 0, false);
    assert_int_equal(bt_store_add_impressions(s, &bad, 1), -1);
    bt_store_close(s);
    assert_int_equal(query_int(path, "SELECT video_whole FROM impressions WHERE notice_id = 'clip'"),
                     3);

    exec_sql(path, IMPRESSIONS_BEFORE_STEP_12 UNTRUSTED_BEFORE_STEP_12 "PRAGMA user_version = 11;");
    s = open_ok(path);
    assert_int_equal(bt_store_schema_version(s), EXPECTED_SCHEMA_VERSION);
    expect_impressions(s, "pl", "clip", day, 4, 120);
    assert_int_equal(bt_store_impressions_list(s, day, day, &rows, &n), 0);
    assert_int_equal(rows[1].video_whole + rows[1].video_cut, 0);
    free(rows);
    bt_store_close(s);
    free(path);
}

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static bt_measurement measurement(const char *hash, const char *method, bt_wall at)
{
    bt_measurement m;
    memset(&m, 0, sizeof(m));
    snprintf(m.sha256, sizeof(m.sha256), "%s", hash);
    snprintf(m.method, sizeof(m.method), "%s", method);
    m.integrated_lufs = -18.5;
    m.sample_peak_dbfs = -3.0;
    m.true_peak_dbtp = -2.9;
    m.duration_seconds = 42.0;
    m.measured_at = at;
    return m;
}

/* Silence is stored beside the loudness, found by hash whatever the method, and a store of
 * the previous version keeps its measurements (without silence) after the upgrade. */
static void test_measurements_keep_silence(void **state)
{
    (void)state;
    char *path = db_path("store-measurements");
    bt_store *s = open_ok(path);
    bt_measurement old = measurement(HASH_A, "r128 v1", 1764000000);
    assert_int_equal(bt_measurement_put(s, &old), 0);
    bt_store_close(s);
    /* Back to version 6, as a store written before silence was measured (and before step 10's
     * staff records). */
    exec_sql(path, "DROP TABLE staff_records; CREATE TABLE m6 AS SELECT sha256, method, integrated_lufs, sample_peak_dbfs,"
                   " true_peak_dbtp, duration_seconds, measured_at FROM audio_measurements;"
                   "DROP TABLE audio_measurements;"
                   "CREATE TABLE audio_measurements ("
                   "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
                   "  method TEXT NOT NULL CHECK (length(method) BETWEEN 1 AND 64),"
                   "  integrated_lufs REAL NOT NULL, sample_peak_dbfs REAL NOT NULL,"
                   "  true_peak_dbtp REAL NOT NULL,"
                   "  duration_seconds REAL NOT NULL CHECK (duration_seconds > 0),"
                   "  measured_at INTEGER NOT NULL, PRIMARY KEY (sha256, method)) WITHOUT ROWID;"
                   "INSERT INTO audio_measurements SELECT * FROM m6; DROP TABLE m6;"
                   "DROP VIEW airings; ALTER TABLE airing_events DROP COLUMN text_sha256;"
                   "CREATE VIEW airings AS SELECT seq AS airing FROM airing_events;"
                   "ALTER TABLE playlists DROP COLUMN pin_approved_at;"
                   IMPRESSIONS_BEFORE_STEP_12 UNTRUSTED_BEFORE_STEP_12
                   "PRAGMA user_version = 6;");
    s = open_ok(path);
    assert_int_equal(bt_store_schema_version(s), EXPECTED_SCHEMA_VERSION);
    bt_measurement got;
    assert_int_equal(bt_measurement_get(s, HASH_A, "r128 v1", &got), 1);
    assert_false(got.has_silence);
    assert_true(got.duration_seconds == 42.0);
    assert_int_equal(bt_measurement_latest_silence(s, HASH_A, &got), 0);

    /* A newer method measures the silence; the log finds it by hash. */
    bt_measurement m = measurement(HASH_A, "r128 v2", 1764000100);
    m.has_silence = true;
    m.silence = (bt_silence){3.0, 0.25, 5.0, 13.0, 0.35};
    assert_int_equal(bt_measurement_put(s, &m), 0);
    assert_int_equal(bt_measurement_get(s, HASH_A, "r128 v2", &got), 1);
    assert_true(got.has_silence);
    assert_int_equal(bt_measurement_latest_silence(s, HASH_A, &got), 1);
    assert_string_equal(got.method, "r128 v2");
    assert_true(got.silence.leading_seconds == 3.0 && got.silence.trailing_seconds == 0.25 &&
                got.silence.longest_inside_seconds == 5.0 &&
                got.silence.longest_inside_at_seconds == 13.0 &&
                got.silence.silent_fraction == 0.35);
    assert_int_equal(bt_measurement_latest_silence(s, HASH_B, &got), 0);
    /* Figures that cannot be are refused. */
    m.silence.silent_fraction = 1.5;
    assert_int_equal(bt_measurement_put(s, &m), -1);
    m.silence.silent_fraction = 0.5;
    m.silence.leading_seconds = -1;
    assert_int_equal(bt_measurement_put(s, &m), -1);
    bt_store_close(s);
    free(path);
}

static void test_hour_survives_clean_exit(void **state)
{
    (void)state;
    char *path = db_path("store-hour");
    hour_playlist f;
    hour_init(&f);
    bt_store *s = open_ok(path);
    bt_proof p;
    bt_proof_init(&p);

    /* The in-memory truth, per notice and day (index 0 = before midnight). */
    int64_t shows[3][2] = {{0}};
    double seconds[3][2] = {{0}};
    bt_wall start = bt_time_from_civil(2025, 11, 24, 23, 30, 0), end = start + 3600;
    bt_day day0 = bt_time_day_of(start);
    bt_wall next_flush = start + 300;
    for (bt_wall t = start; t < end;) {
        bt_rotation_pick r = bt_rotation_at(&f.pl, t);
        assert_int_not_equal(r.notice, BT_ROTATION_NONE);
        assert_int_equal(bt_proof_show(&p, f.pl.id, f.notices[r.notice].id, steady(t)), 0);
        bt_wall wake = r.next_change < next_flush ? r.next_change : next_flush;
        if (wake > end)
            wake = end;
        t = wake;
        if (t == next_flush || t == end) {
            bt_proof_advance(&p, steady(t));
            for (size_t i = 0; i < p.count; i++) {
                const bt_proof_row *row = &p.rows[i];
                int k = row->notice_id[1] - '1';
                shows[k][row->day - day0] += row->shows;
                seconds[k][row->day - day0] += row->seconds;
            }
            assert_int_equal(bt_store_add_impressions(s, p.rows, p.count), 0);
            bt_proof_clear_rows(&p);
            next_flush += 300;
        }
    }
    bt_proof_free(&p);
    bt_store_close(s); /* clean exit */

    /* An hour of a 60 s cycle anchored at midnight: 30 of each notice per half hour. */
    for (int k = 0; k < 3; k++) {
        assert_int_equal(shows[k][0] + shows[k][1], 60);
        assert_true(seconds[k][0] + seconds[k][1] == 60.0 * f.notices[k].duration_seconds);
        assert_true(seconds[k][0] == 30.0 * f.notices[k].duration_seconds);
    }

    s = open_ok(path);
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 2; d++)
            expect_impressions(s, "bachmai-cchc", f.notices[k].id, day0 + d, shows[k][d],
                               seconds[k][d]);
    bt_store_close(s);
    free(path);
}

static void test_newer_database_refused(void **state)
{
    (void)state;
    char *path = db_path("store-newer");
    bt_store *s = open_ok(path);
    bt_store_close(s);
    exec_sql(path, "PRAGMA user_version = 99");

    char err[512] = "";
    s = (bt_store *)&err; /* must be reset to NULL */
    assert_int_equal(bt_store_open(path, &s, err, sizeof(err)), -1);
    assert_null(s);
    assert_non_null(strstr(err, "99"));
    assert_non_null(strstr(err, "mới hơn"));
    /* Left untouched. */
    assert_int_equal(query_int(path, "PRAGMA user_version"), 99);
    free(path);
}

static void test_not_a_database_refused(void **state)
{
    (void)state;
    char *path = db_path("store-garbage");
    static const char junk[] = "đây không phải cơ sở dữ liệu, chỉ là một tệp văn bản bình thường. "
                               "0123456789012345678901234567890123456789012345678901234567890123";
    assert_int_equal(bt_test_write_file(path, junk, sizeof(junk) - 1), 0);
    char err[512] = "";
    bt_store *s = NULL;
    assert_int_equal(bt_store_open(path, &s, err, sizeof(err)), -1);
    assert_null(s);
    assert_non_null(strstr(err, "không phải cơ sở dữ liệu"));
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_migrate_reopen),
        cmocka_unit_test(test_activate_and_read_active),
        cmocka_unit_test(test_impressions_add_up),
        cmocka_unit_test(test_untrusted_impressions_kept_apart),
        cmocka_unit_test(test_video_plays_add_up),
        cmocka_unit_test(test_measurements_keep_silence),
        cmocka_unit_test(test_hour_survives_clean_exit),
        cmocka_unit_test(test_newer_database_refused),
        cmocka_unit_test(test_not_a_database_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
