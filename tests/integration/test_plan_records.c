/* The whole plan (issue 13, item 4): the Bạch Mai 2025 CCHC communication plan written as a
 * playlist (tests/data/plan/bachmai-2025-v1.cfg, -v2.cfg) with its three measurable targets —
 * the loudspeaker (≥ 2 CCHC items a quarter), the City's CCHC page (≥ 1 a month, Aug–Dec) and the
 * ward website (6 in the year) — and the tin/bài staff recorded on the channels the appliance
 * cannot observe (`records`). Activated through the store's activation door as an import does,
 * with the loudspeaker log written through the airing log's API, then:
 *
 *   - the 9-month report (2025-9M, made 05/10/2025) and the year report (2025, made 05/01/2026)
 *     give each target's figure and state as the records and the log say, worked out by hand
 *     below;
 *   - records survive a later playlist that no longer carries them, and the same record
 *     brought again is one (its corrected link wins);
 *   - the counts staff entered are marked "do cán bộ ghi nhận" in the CSV, the HTML and the
 *     XLSX, beside the appliance's own, with a table of the records;
 *   - every mistake in `records` is named with its line and how to fix it, in Vietnamese. */
#include "bt_test_support.h"
#include "bt_test_zip.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"

#define DATA_DIR BT_SOURCE_DIR "/tests/data/plan"
#define WARD "Phường Bạch Mai"

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

static bt_day day(int y, int mo, int d)
{
    return bt_time_day_from_ymd(y, mo, d);
}

/* playlist.cfg text → the model, as the import reads it (no asset probe: the audio files are
 * not part of this test). */
static void read_playlist(const char *file, bt_playlist *p)
{
    bt_node *root = NULL;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_cfgfile_read(file, "playlist.cfg", &root, &d), 0);
    int rc = bt_playlist_from_tree(root, "playlist.cfg", NULL, p, &d);
    for (size_t i = 0; i < d.count; i++)
        fprintf(stderr, "%s:%d: %s\n", d.items[i].file, d.items[i].line, d.items[i].message);
    assert_int_equal(rc, 0);
    assert_int_equal(d.errors, 0);
    bt_diags_free(&d);
    bt_node_destroy(root);
}

/* The playlist of file with the rows of a ghi-nhan.csv holding csv (NULL: none) read into its
 * records, as the loader reads a playlist folder's file, activated at `when`. */
static void activate_with_csv(bt_store *s, const char *file, const char *csv, bt_wall when)
{
    bt_playlist p;
    bt_store_playlist sp;
    read_playlist(file, &p);
    if (csv) {
        bt_diags d;
        bt_diags_init(&d);
        assert_int_equal(bt_records_csv_parse(csv, strlen(csv), BT_RECORDS_CSV_FILE, &p.targets,
                                              &p.records, &d),
                         0);
        bt_diags_free(&d);
    }
    memset(&sp, 0, sizeof sp);
    snprintf(sp.id, sizeof sp.id, "%s", p.id);
    sp.version = p.version;
    snprintf(sp.title, sizeof sp.title, "%s", p.title);
    snprintf(sp.dir, sizeof sp.dir, "%s", DATA_DIR);
    sp.activated_at = when;
    assert_int_equal(bt_store_activate(s, &sp, &p), 0);
    bt_playlist_free(&p);
}

static void activate(bt_store *s, const char *file, bt_wall when)
{
    activate_with_csv(s, file, NULL, when);
}

static void air(bt_store *s, const char *item, bt_wall slot, bt_airing_status status, int version)
{
    bt_airing_subject subj;
    memset(&subj, 0, sizeof subj);
    snprintf(subj.item_id, sizeof subj.item_id, "%s", item);
    snprintf(subj.title, sizeof subj.title, "%s", item);
    snprintf(subj.topic, sizeof subj.topic, "cchc");
    snprintf(subj.playlist_id, sizeof subj.playlist_id, "bachmai-cchc-2025");
    subj.playlist_version = version;
    snprintf(subj.session_id, sizeof subj.session_id, "ban-tin-sang");
    subj.scheduled_at = slot;
    int64_t id = 0;
    if (status == BT_AIRING_MISSED) {
        assert_int_equal(bt_airing_record(s, &subj, status, "off", true, &id), 0);
        return;
    }
    int64_t start = (int64_t)slot * 1000 + 4000;
    assert_int_equal(bt_airing_begin(s, &subj, start, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, status, status == BT_AIRING_COMPLETED ? NULL : "off",
                                   start + 90000, 90000, true),
                     0);
}

/* Q1, Q2, Q4: both CCHC items aired; Q3: only tin-dvc completed (tin-vneid cut, then missed). */
static void write_log(bt_store *s)
{
    air(s, "tin-dvc", at(2025, 1, 6, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-vneid", at(2025, 1, 6, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-dvc", at(2025, 4, 7, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-vneid", at(2025, 4, 7, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-dvc", at(2025, 7, 7, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-vneid", at(2025, 7, 7, 6, 0), BT_AIRING_INTERRUPTED, 1);
    air(s, "tin-dvc", at(2025, 8, 4, 6, 0), BT_AIRING_COMPLETED, 1);
    air(s, "tin-vneid", at(2025, 8, 4, 6, 0), BT_AIRING_MISSED, 1);
}

static void write_log_q4(bt_store *s)
{
    air(s, "tin-dvc", at(2025, 12, 1, 6, 0), BT_AIRING_COMPLETED, 2);
    air(s, "tin-vneid", at(2025, 12, 1, 6, 0), BT_AIRING_COMPLETED, 2);
}

typedef struct {
    char *dir, *db;
    bt_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    f->dir = bt_test_temp_dir("plan-records");
    assert_non_null(f->dir);
    size_t n = strlen(f->dir) + 32;
    f->db = malloc(n);
    snprintf(f->db, n, "%s/%s", f->dir, BT_STORE_FILE);
    if (bt_store_open(f->db, &f->store, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bt_store_close(f->store);
    free(f->db);
    free(f->dir);
    free(f);
    return 0;
}

/* The progress row of target id whose period begins on `first`. */
static const bt_target_progress *row_of(const bt_report *r, const char *id, bt_day first)
{
    size_t n;
    const bt_target_progress *p = bt_report_progress(r, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].target->id, id) == 0 && p[i].period.first == first)
            return &p[i];
    fail_msg("no row for %s from day %d", id, (int)first);
    return NULL;
}

static void expect(const bt_report *r, const char *id, bt_day first, int64_t done,
                   int64_t required, bt_target_state state)
{
    const bt_target_progress *p = row_of(r, id, first);
    if (p->done != done || p->required != required || p->state != state)
        fail_msg("%s from day %d: done %lld/%lld %s, expected %lld/%lld %s", id, (int)first,
                 (long long)p->done, (long long)p->required, bt_target_state_name(p->state),
                 (long long)done, (long long)required, bt_target_state_name(state));
}

static size_t row_count(const bt_report *r)
{
    size_t n;
    bt_report_progress(r, &n);
    return n;
}

static bt_report *build(bt_store *s, const char *period_text, bt_wall now)
{
    bt_period period;
    bt_report *r = NULL;
    char err[512];
    assert_int_equal(bt_report_period_parse(period_text, &period), 0);
    bt_report_options o = {.ward = WARD, .device = "bangtin-sanh-1", .generated_at = now,
                           .loudspeaker_upcoming_known = true};
    if (bt_report_build(s, &period, &o, &r, err, sizeof err) != 0)
        fail_msg("bt_report_build: %s", err);
    return r;
}

static int64_t count_records(const char *db)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, "SELECT count(*) FROM staff_records", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(c);
    return n;
}

/* ---- the 9-month report ------------------------------------------------------------------- */

static void test_nine_month_report(void **state)
{
    fixture *f = *state;
    activate(f->store, DATA_DIR "/bachmai-2025-v1.cfg", at(2025, 1, 2, 8, 0));
    write_log(f->store);
    assert_int_equal(count_records(f->db), 8);
    bt_report *r = build(f->store, "2025-9M", at(2025, 10, 5, 9, 0));
    /* Loudspeaker, per quarter: Q1 and Q2 two items each; Q3 only tin-dvc completed. */
    expect(r, "cchc-loa-quy", day(2025, 1, 1), 2, 2, BT_TARGET_MET);
    expect(r, "cchc-loa-quy", day(2025, 4, 1), 2, 2, BT_TARGET_MET);
    expect(r, "cchc-loa-quy", day(2025, 7, 1), 1, 2, BT_TARGET_MISSED);
    /* City page from August: one record in August, one in September. */
    expect(r, "cchc-trang-tp", day(2025, 8, 1), 1, 1, BT_TARGET_MET);
    expect(r, "cchc-trang-tp", day(2025, 9, 1), 1, 1, BT_TARGET_MET);
    /* Ward website, the year still running: 4 of 6 recorded (20/03, 15/05, 10/07, 25/09); what
     * staff will still record is unknown, so it is not called at risk. */
    expect(r, "cchc-trang-phuong", day(2025, 1, 1), 4, 6, BT_TARGET_ON_TRACK);
    assert_int_equal(row_count(r), 6);
    bt_report_destroy(r);
}

/* ---- the year report, after a later playlist ---------------------------------------------- */

static char *save(const fixture *f, const bt_report *r, bt_report_format fmt, const char *name)
{
    char err[512];
    size_t n = strlen(f->dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", f->dir, name);
    if (bt_report_save(r, fmt, path, err, sizeof err) != 0)
        fail_msg("bt_report_save: %s", err);
    return path;
}

static void test_year_report(void **state)
{
    fixture *f = *state;
    activate(f->store, DATA_DIR "/bachmai-2025-v1.cfg", at(2025, 1, 2, 8, 0));
    write_log(f->store);
    activate(f->store, DATA_DIR "/bachmai-2025-v2.cfg", at(2025, 12, 1, 5, 0));
    write_log_q4(f->store);
    /* v2 brings 11 records: 7 already kept (one with a corrected link), 4 new; the record of
     * 15/05 it no longer carries stays. Brought again, nothing changes. */
    assert_int_equal(count_records(f->db), 12);
    activate(f->store, DATA_DIR "/bachmai-2025-v2.cfg", at(2025, 12, 2, 5, 0));
    assert_int_equal(count_records(f->db), 12);

    bt_report *r = build(f->store, "2025", at(2026, 1, 5, 9, 0));
    expect(r, "cchc-loa-quy", day(2025, 1, 1), 2, 2, BT_TARGET_MET);
    expect(r, "cchc-loa-quy", day(2025, 4, 1), 2, 2, BT_TARGET_MET);
    expect(r, "cchc-loa-quy", day(2025, 7, 1), 1, 2, BT_TARGET_MISSED);
    expect(r, "cchc-loa-quy", day(2025, 10, 1), 2, 2, BT_TARGET_MET);
    expect(r, "cchc-trang-tp", day(2025, 8, 1), 1, 1, BT_TARGET_MET);
    expect(r, "cchc-trang-tp", day(2025, 9, 1), 1, 1, BT_TARGET_MET);
    expect(r, "cchc-trang-tp", day(2025, 10, 1), 0, 1, BT_TARGET_MISSED);
    expect(r, "cchc-trang-tp", day(2025, 11, 1), 1, 1, BT_TARGET_MET);
    expect(r, "cchc-trang-tp", day(2025, 12, 1), 1, 1, BT_TARGET_MET);
    /* 20/03, 15/05 (kept though v2 dropped it), 10/07, 25/09, 14/10, 20/11. */
    expect(r, "cchc-trang-phuong", day(2025, 1, 1), 6, 6, BT_TARGET_MET);
    assert_int_equal(row_count(r), 10);

    char line[512];
    assert_string_equal(bt_target_public_text(row_of(r, "cchc-trang-tp", day(2025, 11, 1)), line,
                                              sizeof line),
                        "Tháng 11/2025: đã đăng 1 tin bài CCHC trên Trang thông tin CCHC của "
                        "Thành phố (chỉ tiêu: 1)");

    /* Every format marks what staff entered, and lists the records. */
    char *csv = save(f, r, BT_REPORT_CSV, "nam-2025.csv");
    char *html = save(f, r, BT_REPORT_HTML, "nam-2025.html");
    char *xlsx = save(f, r, BT_REPORT_XLSX, "nam-2025.xlsx");
    char *text = bt_test_read_file(csv, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "Nguồn số liệu"));
    assert_non_null(strstr(text, ";tự động (nhật ký của máy)\r\n"));
    assert_non_null(strstr(text, "Trang thông tin CCHC của Thành phố;cchc"));
    assert_non_null(strstr(text, ";do cán bộ ghi nhận\r\n"));
    assert_non_null(strstr(text, "Tin bài do cán bộ ghi nhận (các kênh máy không tự theo dõi)"));
    assert_non_null(strstr(text, "12 tin bài trong kỳ"));
    assert_non_null(strstr(text, "https://bachmai.hanoi.gov.vn/tin-tuc/bo-phan-mot-cua"));
    assert_null(strstr(text, "https://bachmai.hanoi.gov.vn/tin-tuc/mot-cua;"));
    assert_non_null(strstr(text, "15/05/2025;Trang thông tin điện tử của phường;1;Hướng dẫn nộp "
                                 "hồ sơ trực tuyến"));
    assert_non_null(strstr(text, "hội nghị;1;Hội nghị tuyên truyền CCHC tổ dân phố số 5"));
    assert_non_null(strstr(text, "đã thực hiện (do cán bộ ghi nhận)"));
    free(text);
    text = bt_test_read_file(html, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "id=\"bt-records\""));
    assert_non_null(strstr(text, "do cán bộ ghi nhận"));
    free(text);
    text = bt_test_zip_read(xlsx, "xl/workbook.xml", NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "Cán bộ ghi nhận"));
    free(text);
    bool marked = false;
    for (int i = 1; i <= 6 && !marked; i++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", i);
        text = bt_test_zip_read(xlsx, part, NULL);
        marked = text && strstr(text, "do cán bộ ghi nhận");
        free(text);
    }
    assert_true(marked);
    char *chart = bt_test_zip_names(xlsx);
    assert_non_null(chart);
    /* a chart per channel with a target: loudspeaker, City page, ward website */
    assert_non_null(strstr(chart, "xl/charts/chart3.xml"));
    free(chart);
    free(csv);
    free(html);
    free(xlsx);
    bt_report_destroy(r);
}

/* ---- ghi-nhan.csv and the staff panel ------------------------------------------------------ */

/* What the ward's office keeps: two ward-site posts in October, a conference; the same file
 * brought again by the next stick, then with one row more. */
#define CSV_V1                                                                                   \
    "\xEF\xBB\xBFNgày;Kênh;Số lượng;Ghi chú\r\n"                                                   \
    "14/10/2025;Trang phường;2;Hai bài về Một cửa\r\n"                                           \
    "20/10/2025;Hội nghị;1;\r\n"
#define CSV_V2 CSV_V1 "03/11/2025;Trang thông tin CCHC của Thành phố;1;Phòng VH-XH gửi\r\n"

static int64_t count_where(const char *db, const char *sql)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -rc;
    sqlite3_finalize(st);
    sqlite3_close(c);
    return n;
}

static void test_csv_and_panel_records(void **state)
{
    fixture *f = *state;
    char err[256];
    activate_with_csv(f->store, DATA_DIR "/bachmai-2025-v1.cfg", CSV_V1, at(2025, 1, 2, 8, 0));
    assert_int_equal(count_records(f->db), 8 + 2);
    /* The same file on the next stick adds nothing; a row added to it adds that row. */
    activate_with_csv(f->store, DATA_DIR "/bachmai-2025-v1.cfg", CSV_V1, at(2025, 10, 22, 8, 0));
    assert_int_equal(count_records(f->db), 8 + 2);
    activate_with_csv(f->store, DATA_DIR "/bachmai-2025-v1.cfg", CSV_V2, at(2025, 11, 4, 8, 0));
    assert_int_equal(count_records(f->db), 8 + 3);
    assert_int_equal(count_where(f->db, "SELECT count(*) FROM staff_records WHERE source = 'csv'"
                                        " AND topic = 'cchc'"),
                     2);

    /* On the panel: 3 posts on the ward site on 12/11, one on the City page on 05/11, which
     * staff then undo; undoing it again writes nothing. */
    bt_record_entry e = {BT_TARGET_WARD_SITE, day(2025, 11, 12), 3, "Bài về VNeID", "cchc", NULL};
    int64_t ward = 0, city = 0;
    assert_int_equal(bt_records_store_add(f->store, &e, at(2025, 11, 12, 9, 30), &ward, err,
                                          sizeof err),
                     0);
    e = (bt_record_entry){BT_TARGET_CITY_PAGE, day(2025, 11, 5), 1, NULL, "cchc", NULL};
    assert_int_equal(bt_records_store_add(f->store, &e, at(2025, 11, 12, 9, 31), &city, err,
                                          sizeof err),
                     0);
    assert_true(ward > 0 && city > ward);
    bt_record_row recent[4];
    size_t n = 0;
    assert_int_equal(bt_records_store_recent(f->store, recent, 4, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(recent[0].id, city); /* newest first */
    assert_int_equal(recent[0].source, BT_RECORD_FROM_PANEL);
    assert_int_equal(recent[1].id, ward);
    assert_int_equal(recent[1].count, 3);
    assert_string_equal(recent[1].note, "Bài về VNeID");
    assert_int_equal(recent[2].source, BT_RECORD_FROM_CSV);
    assert_int_equal(bt_records_store_undo(f->store, city, at(2025, 11, 12, 9, 32), err,
                                           sizeof err),
                     0);
    assert_int_equal(bt_records_store_undo(f->store, city, at(2025, 11, 12, 9, 33), err,
                                           sizeof err),
                     1);
    assert_int_equal(bt_records_store_undo(f->store, 999999, at(2025, 11, 12, 9, 33), err,
                                           sizeof err),
                     2);
    assert_non_null(strstr(err, "không có ghi nhận này"));
    assert_int_equal(bt_records_store_recent(f->store, recent, 4, &n), 0);
    assert_int_equal(recent[0].id, ward); /* the undone entry is no longer offered */
    /* The log is evidence: an entry is neither deleted nor edited. */
    assert_int_equal(count_where(f->db, "DELETE FROM staff_records WHERE source = 'panel'"),
                     -SQLITE_CONSTRAINT);
    assert_int_equal(count_where(f->db, "UPDATE staff_records SET count = 9 WHERE source = 'panel'"),
                     -SQLITE_CONSTRAINT);
    assert_int_equal(count_where(f->db, "SELECT count(*) FROM staff_records"), 8 + 3 + 3);

    bt_report *r = build(f->store, "2025-Q4", at(2025, 11, 20, 9, 0));
    /* Ward site, the year: 4 from playlist v1 (20/03, 15/05, 10/07, 25/09) + 2 (CSV) + 3 (panel). */
    expect(r, "cchc-trang-phuong", day(2025, 1, 1), 9, 6, BT_TARGET_MET);
    /* City page: October none; November the CSV's 03/11, the panel's 05/11 undone. */
    expect(r, "cchc-trang-tp", day(2025, 10, 1), 0, 1, BT_TARGET_MISSED);
    expect(r, "cchc-trang-tp", day(2025, 11, 1), 1, 1, BT_TARGET_MET);
    char *csv = save(f, r, BT_REPORT_CSV, "q4.csv");
    char *text = bt_test_read_file(csv, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "14/10/2025;Trang thông tin điện tử của phường;2;;cchc;;Hai bài "
                                 "về Một cửa;tệp ghi-nhan.csv của playlist bachmai-cchc-2025 "
                                 "(phiên bản 1);do cán bộ ghi nhận"));
    assert_non_null(strstr(text, "12/11/2025;Trang thông tin điện tử của phường;3;;cchc;;Bài về "
                                 "VNeID;bảng theo dõi tại máy, 09:30 12/11/2025;"));
    assert_non_null(strstr(text, "05/11/2025;Trang thông tin CCHC của Thành phố;-1;;cchc;;hủy "
                                 "ghi nhận;bảng theo dõi tại máy, 09:32 12/11/2025;"));
    /* 2 + 1 + 1 (CSV) + 3 + 1 - 1 (panel) */
    assert_non_null(strstr(text, "7 tin bài trong kỳ"));
    free(text);
    char *html = save(f, r, BT_REPORT_HTML, "q4.html");
    text = bt_test_read_file(html, NULL);
    assert_non_null(text);
    const char *said = strstr(text, "Cán bộ đã ghi nhận");
    if (!said || !strstr(text, "Cán bộ đã ghi nhận 7 tin bài: 5 trên Trang thông tin điện tử "
                                 "của phường, 1 trên hội nghị, 1 trên Trang thông tin CCHC của "
                                 "Thành phố"))
        fail_msg("the document says: %.300s", said ? said : "(nothing)");
    free(text);
    free(csv);
    free(html);
    bt_report_destroy(r);
}

/* An entry the panel confirmed survives the process being killed right after: the write waited
 * for the disk (synchronous=FULL) before bt_records_store_add returned. */
static void test_panel_entry_survives_a_kill(void **state)
{
    fixture *f = *state;
    bt_store_close(f->store);
    f->store = NULL;
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        bt_store *s = NULL;
        char err[256];
        int64_t id = 0;
        bt_record_entry e = {BT_TARGET_ZALO, day(2025, 12, 1), 2, "Nhóm Zalo tổ 5", NULL, NULL};
        if (bt_store_open(f->db, &s, err, sizeof err) != 0 ||
            bt_records_store_add(s, &e, at(2025, 12, 1, 10, 0), &id, err, sizeof err) != 0)
            _exit(3);
        (void)!write(pipefd[1], &id, sizeof id);
        raise(SIGKILL); /* no close, no checkpoint: as a power cut leaves the process */
        _exit(4);
    }
    close(pipefd[1]);
    int64_t id = 0;
    assert_int_equal(read(pipefd[0], &id, sizeof id), (ssize_t)sizeof id);
    close(pipefd[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    char err[256];
    if (bt_store_open(f->db, &f->store, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    bt_record_row recent[2];
    size_t n = 0;
    assert_int_equal(bt_records_store_recent(f->store, recent, 2, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(recent[0].id, id);
    assert_int_equal(recent[0].count, 2);
    assert_int_equal(recent[0].channel, BT_TARGET_ZALO);
    assert_string_equal(recent[0].note, "Nhóm Zalo tổ 5");
}

/* ---- mistakes, each named ----------------------------------------------------------------- */

static const bt_diag *error_on(const bt_diags *d, int line, const char *part)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line == line && d->items[i].severity == BT_DIAG_ERROR &&
            strstr(d->items[i].message, part))
            return &d->items[i];
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%s:%d: %s\n", d->items[i].file, d->items[i].line, d->items[i].message);
    fail_msg("no error on line %d saying \"%s\"", line, part);
    return NULL;
}

static void test_bad_records_named(void **state)
{
    (void)state;
    bt_node *root = NULL;
    bt_diags d;
    bt_playlist p;
    bt_diags_init(&d);
    assert_int_equal(bt_cfgfile_read(DATA_DIR "/bad-records.cfg", "playlist.cfg", &root, &d), 0);
    assert_int_equal(bt_playlist_from_tree(root, "playlist.cfg", NULL, &p, &d), -1);
    error_on(&d, 9, "kênh do cán bộ ghi nhận chỉ dùng \"items\"");
    error_on(&d, 12, "31/09/2025");
    error_on(&d, 13, "máy tự ghi những gì phát trên loa");
    error_on(&d, 14, "\"city-page\" (Trang thông tin CCHC của Thành phố)");
    error_on(&d, 15, "title");
    error_on(&d, 16, "phải bắt đầu bằng \"https://\"");
    error_on(&d, 18, "đã được ghi ở dòng 17");
    error_on(&d, 19, "khoá \"minimum\" không dùng cho một tin bài đã ghi nhận");
    assert_string_equal(d.items[0].file, "playlist.cfg");
    bt_diags_free(&d);
    bt_node_destroy(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nine_month_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_and_panel_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_entry_survives_a_kill, setup, teardown),
        cmocka_unit_test(test_bad_records_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
