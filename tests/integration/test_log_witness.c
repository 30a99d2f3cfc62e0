/* The loss of the whole log shows (issue 10, item 4). The chains' heads are also kept in a file
 * beside the database (bangtin.db.head), so a database that was emptied to zero bytes, deleted,
 * cut short or swapped for an older copy fails `log verify`, which it passed when the head lived
 * only inside the same file. The evidence survives new writes: the old witness is kept. */
#include "bt_test_support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"

typedef struct {
    char *dir;
    char db[1024];
    char head[1024];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = bt_test_temp_dir("log-witness");
    snprintf(f->db, sizeof f->db, "%s/%s", f->dir, BT_STORE_FILE);
    snprintf(f->head, sizeof f->head, "%s/%s.head", f->dir, BT_STORE_FILE);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    (void)system(cmd);
    free(f->dir);
    free(f);
    return 0;
}

static bt_store *open_ok(const char *path)
{
    char err[512] = "";
    bt_store *s = NULL;
    if (bt_store_open(path, &s, err, sizeof err) != 0)
        fail_msg("bt_store_open: %s", err);
    return s;
}

/* `count` completed airings of the morning bulletin, a day apart from 01/10/2025. */
static void air_days(bt_store *s, int first_day, int count)
{
    for (int d = first_day; d < first_day + count; d++) {
        bt_airing_subject subj;
        memset(&subj, 0, sizeof subj);
        snprintf(subj.item_id, sizeof subj.item_id, "tin-dvc");
        snprintf(subj.title, sizeof subj.title, "Dịch vụ công trực tuyến");
        snprintf(subj.playlist_id, sizeof subj.playlist_id, "bachmai-cchc");
        snprintf(subj.session_id, sizeof subj.session_id, "ban-tin-sang");
        subj.playlist_version = 1;
        subj.scheduled_at = bt_time_from_civil(2025, 10, d, 6, 0, 0);
        int64_t id = 0;
        assert_int_equal(bt_airing_begin(s, &subj, subj.scheduled_at * 1000, true, &id), 0);
        assert_int_equal(bt_airing_end(s, id, BT_AIRING_COMPLETED, NULL,
                                       subj.scheduled_at * 1000 + 40000, 40000, true), 0);
    }
}

/* Verifies the store at path; returns the problems joined by newlines (malloc'd) and the code. */
static char *verify(const char *path, int *rc)
{
    bt_store *s = open_ok(path);
    bt_airing_verify_result *r = malloc(sizeof *r);
    assert_non_null(r);
    *rc = bt_airing_verify(s, r);
    size_t size = 1, used = 0;
    for (size_t i = 0; i < r->problem_count && i < BT_AIRING_MAX_PROBLEMS; i++)
        size += strlen(r->problems[i].message) + 1;
    char *text = calloc(1, size);
    assert_non_null(text);
    for (size_t i = 0; i < r->problem_count && i < BT_AIRING_MAX_PROBLEMS; i++)
        used += (size_t)sprintf(text + used, "%s\n", r->problems[i].message);
    free(r);
    bt_store_close(s);
    return text;
}

static void test_intact_log_and_witness_agree(void **state)
{
    fixture *f = *state;
    bt_store *s = open_ok(f->db);
    air_days(s, 1, 3);
    bt_store_close(s);
    char *head = bt_test_read_file(f->head, NULL);
    assert_non_null(head);
    assert_non_null(strstr(head, "airing_events 6 "));
    free(head);
    int rc;
    char *problems = verify(f->db, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(problems, "");
    free(problems);
}

static void test_zero_length_database_is_a_lost_log(void **state)
{
    fixture *f = *state;
    bt_store *s = open_ok(f->db);
    air_days(s, 1, 3);
    bt_store_close(s);
    /* The disk's whole log gone: the file emptied to 0 bytes, as a failing disk or a careless
     * copy leaves it. The store opens it as new; the witness beside it says otherwise. */
    assert_int_equal(truncate(f->db, 0), 0);
    int rc;
    char *problems = verify(f->db, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(problems, "cơ sở dữ liệu đã mất các dòng đến #6"));
    assert_non_null(strstr(problems, "chỉ còn đến #0"));
    free(problems);
    /* The installer's status says so too, in text and in JSON. */
    char cmd[3000];
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= '%s' --data '%s' status; BANGTIN_CONFIG= '%s' "
             "--data '%s' status --json", BT_BANGTIN_EXE, f->dir, BT_BANGTIN_EXE, f->dir);
    char *out = bt_test_run(cmd, &rc);
    assert_non_null(out);
    assert_non_null(strstr(out, "Nhật ký phát thanh: MẤT DÒNG — cơ sở dữ liệu chỉ còn đến dòng #0"
                                ", tệp đầu chuỗi bên cạnh ghi đến #6"));
    assert_non_null(strstr(out, "\"witnessed_rows\": 6"));
    assert_non_null(strstr(out, "\"rows_lost\": true"));
    free(out);

    /* New airings on the new database do not erase the evidence. */
    s = open_ok(f->db);
    air_days(s, 10, 1);
    bt_store_close(s);
    problems = verify(f->db, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(problems, "một nhật ký trước đây đã mất"));
    assert_non_null(strstr(problems, "ghi dòng cuối #6"));
    free(problems);
    /* The set-aside witness is a file of its own beside the database. */
    DIR *d = opendir(f->dir);
    assert_non_null(d);
    struct dirent *e;
    int lost = 0;
    while ((e = readdir(d)) != NULL)
        lost += strncmp(e->d_name, BT_STORE_FILE ".head.lost-", strlen(BT_STORE_FILE) + 11) == 0;
    closedir(d);
    assert_int_equal(lost, 1);
}

static void test_older_copy_and_cut_tail_show(void **state)
{
    fixture *f = *state;
    char cmd[8192];
    bt_store *s = open_ok(f->db);
    air_days(s, 1, 2);
    bt_store_close(s);
    /* A copy taken now, then more airings; then the copy put back in place of the database. */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.old'", f->db, f->db);
    assert_int_equal(system(cmd), 0);
    s = open_ok(f->db);
    air_days(s, 3, 2);
    bt_store_close(s);
    snprintf(cmd, sizeof cmd, "cp '%s.old' '%s' && rm -f '%s-wal' '%s-shm'", f->db, f->db, f->db,
             f->db);
    assert_int_equal(system(cmd), 0);
    int rc;
    char *problems = verify(f->db, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(problems, "đã mất các dòng đến #8"));
    assert_non_null(strstr(problems, "chỉ còn đến #4"));
    free(problems);
}

static void test_deleted_database_shows(void **state)
{
    fixture *f = *state;
    char cmd[8192];
    bt_store *s = open_ok(f->db);
    air_days(s, 1, 1);
    bt_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", f->db, f->db, f->db);
    assert_int_equal(system(cmd), 0);
    /* Through the command staff and inspectors use. */
    snprintf(cmd, sizeof cmd, "BANGTIN_CONFIG= '%s' --data '%s' log verify 2>&1", BT_BANGTIN_EXE,
             f->dir);
    int status;
    char *out = bt_test_run(cmd, &status);
    assert_non_null(out);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "nhật ký phát thanh đã mất"));
    assert_non_null(strstr(out, "mất các dòng đến #2"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact_log_and_witness_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_length_database_is_a_lost_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_copy_and_cut_tail_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_database_shows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
