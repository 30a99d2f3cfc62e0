/* The content store's index (bt_content_store.h): which imported playlists and file objects
 * are kept, activation of an imported playlist in one durable transaction, the rollback target,
 * and pruning down to the last N playlists. Statements are prepared per call: imports and
 * rollbacks are rare, and the kiosk's hot statements stay in store.c. */
#include "bangtin/bt_buf.h"
#include "bangtin/bt_content_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_time.h"
#include "store_internal.h"

/* A stored playlist's row with its latest activation and whether it is the active one: a
 * playlist is activated by directory, so both come from `playlists` by dir. */
#define CONTENT_SELECT                                                                         \
    "SELECT c.key, c.id, c.version, c.title, c.dir, c.notices, c.items, c.signer,"            \
    " c.imported_at, c.rolled_back,"                                                           \
    " COALESCE((SELECT max(p.activation) FROM playlists p WHERE p.dir = c.dir), 0)"            \
    " AS last_activation,"                                                                     \
    " EXISTS (SELECT 1 FROM playlists p WHERE p.dir = c.dir AND p.active = 1) AS is_active,"   \
    " COALESCE((SELECT p.pin_approved_at FROM playlists p WHERE p.dir = c.dir"                 \
    " ORDER BY p.activation DESC LIMIT 1), 0) AS pin_approved_at"                               \
    " FROM content_playlists c"

static void rollback_if_open(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        bt_store_exec(db, "ROLLBACK", "hủy giao dịch kho nội dung");
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        bt_log_error("Lỗi chuẩn bị câu lệnh kho nội dung: %s", bt_store_error(db).text);
        return NULL;
    }
    return st;
}

/* Steps a statement that returns no rows and finalizes it. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc != SQLITE_DONE)
        bt_log_error("Lỗi cơ sở dữ liệu khi %s: %s", what, bt_store_error(db).text);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", text ? text : "");
}

static void read_playlist(sqlite3_stmt *st, bt_content_playlist *p)
{
    memset(p, 0, sizeof(*p));
    copy_text(p->key, sizeof(p->key), st, 0);
    copy_text(p->id, sizeof(p->id), st, 1);
    p->version = sqlite3_column_int(st, 2);
    copy_text(p->title, sizeof(p->title), st, 3);
    copy_text(p->dir, sizeof(p->dir), st, 4);
    p->notices = sqlite3_column_int(st, 5);
    p->items = sqlite3_column_int(st, 6);
    copy_text(p->signer, sizeof(p->signer), st, 7);
    p->imported_at = sqlite3_column_int64(st, 8);
    p->rolled_back = sqlite3_column_int(st, 9) != 0;
    p->last_activation = sqlite3_column_int64(st, 10);
    p->active = sqlite3_column_int(st, 11) != 0;
    p->pin_approved_at = sqlite3_column_int64(st, 12);
}

/* Runs a CONTENT_SELECT query with an optional text parameter; 1 and *out for a row. */
static int select_one(bt_store *s, const char *sql, const char *param, bt_content_playlist *out)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || !out)
        return -1;
    sqlite3_stmt *st = prepare(db, sql);
    if (!st)
        return -1;
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int result = 0;
    if (rc == SQLITE_ROW) {
        read_playlist(st, out);
        result = 1;
    } else if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc kho nội dung: %s", bt_store_error(db).text);
        result = -1;
    }
    sqlite3_finalize(st);
    return result;
}

int bt_content_get(bt_store *s, const char *key, bt_content_playlist *out)
{
    return select_one(s, CONTENT_SELECT " WHERE c.key = ?1", key, out);
}

int bt_content_active(bt_store *s, bt_content_playlist *out)
{
    return select_one(s, CONTENT_SELECT
                      " WHERE c.dir = (SELECT dir FROM playlists WHERE active = 1)", NULL, out);
}

int bt_content_rollback_target(bt_store *s, bt_content_playlist *out)
{
    return select_one(s, "SELECT * FROM (" CONTENT_SELECT ") WHERE NOT is_active"
                         " AND rolled_back = 0 ORDER BY last_activation DESC LIMIT 1", NULL, out);
}

int bt_content_list(bt_store *s, bt_content_playlist **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    sqlite3 *db = bt_store_sqlite(s);
    if (!db)
        return -1;
    sqlite3_stmt *st =
        prepare(db, CONTENT_SELECT " ORDER BY is_active DESC, last_activation DESC, c.key");
    if (!st)
        return -1;
    bt_content_playlist *list = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bt_content_playlist *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        read_playlist(st, &list[n++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi liệt kê kho nội dung: %s", bt_store_error(db).text);
        free(list);
        return -1;
    }
    *out = list;
    *count = n;
    return 0;
}

static int exists(bt_store *s, const char *sql, const char *param)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || !param)
        return -1;
    sqlite3_stmt *st = prepare(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int result = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (result < 0)
        bt_log_error("Lỗi cơ sở dữ liệu khi tra kho nội dung: %s", bt_store_error(db).text);
    sqlite3_finalize(st);
    return result;
}

int bt_content_has_object(bt_store *s, const char *sha256)
{
    return exists(s, "SELECT 1 FROM content_objects WHERE sha256 = ?1", sha256);
}

int bt_content_has_playlist(bt_store *s, const char *key)
{
    return exists(s, "SELECT 1 FROM content_playlists WHERE key = ?1", key);
}

/* ---- activation ---------------------------------------------------------------------------- */

/* The playlist's row and its files (it is new to the index). */
static int insert_playlist(sqlite3 *db, const bt_content_playlist *p,
                           const bt_content_file *files, size_t file_count, bt_wall now)
{
    sqlite3_stmt *st = prepare(db, "INSERT INTO content_playlists (key, id, version, title, dir,"
                                   " notices, items, signer, imported_at, rolled_back)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)");
    if (st) {
        sqlite3_bind_text(st, 1, p->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, p->version);
        sqlite3_bind_text(st, 4, p->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, p->dir, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, p->notices);
        sqlite3_bind_int(st, 7, p->items);
        sqlite3_bind_text(st, 8, p->signer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, p->imported_at ? p->imported_at : now);
    }
    if (step_done(db, st, "ghi playlist vào kho nội dung") != 0)
        return -1;

    sqlite3_stmt *obj = prepare(db, "INSERT OR IGNORE INTO content_objects (sha256, size, added_at)"
                                    " VALUES (?1, ?2, ?3)");
    sqlite3_stmt *file = prepare(db, "INSERT INTO content_files (key, path, sha256, size)"
                                     " VALUES (?1, ?2, ?3, ?4)");
    int rc = obj && file ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < file_count; i++) {
        sqlite3_bind_text(obj, 1, files[i].sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(obj, 2, (sqlite3_int64)files[i].size);
        sqlite3_bind_int64(obj, 3, now);
        sqlite3_bind_text(file, 1, p->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(file, 2, files[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(file, 3, files[i].sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(file, 4, (sqlite3_int64)files[i].size);
        if (sqlite3_step(obj) != SQLITE_DONE || sqlite3_step(file) != SQLITE_DONE) {
            bt_log_error("Lỗi cơ sở dữ liệu khi ghi tệp \"%s\" vào kho nội dung: %s",
                         files[i].path, bt_store_error(db).text);
            rc = -1;
        }
        sqlite3_reset(obj);
        sqlite3_reset(file);
    }
    sqlite3_finalize(obj);
    sqlite3_finalize(file);
    return rc;
}

int bt_content_activate(bt_store *s, const bt_content_playlist *p, const bt_content_file *files,
                        size_t file_count, bt_wall now, bool rolling_back,
                        const bt_playlist *model)
{
    sqlite3 *db = bt_store_sqlite(s);
    if (!db || !p || !p->key[0] || !p->id[0] || !p->dir[0] || (file_count && !files))
        return -1;
    /* The staff member is told "Có thể rút USB" right after this: the switch must survive a
     * power cut from then on, so this transaction is synced like the airing log. */
    int saved;
    if (bt_store_durable_begin(db, &saved, "kích hoạt playlist") != 0)
        return -1;
    sqlite3_stmt *st;
    if (rolling_back) {
        st = prepare(db, "UPDATE content_playlists SET rolled_back = 1"
                         " WHERE dir = (SELECT dir FROM playlists WHERE active = 1)");
        if (step_done(db, st, "đánh dấu playlist bị quay lui") != 0)
            goto fail;
    }
    int known = bt_content_has_playlist(s, p->key);
    if (known < 0)
        goto fail;
    if (!known && insert_playlist(db, p, files, file_count, now) != 0)
        goto fail;
    if (known) {
        st = prepare(db, "UPDATE content_playlists SET rolled_back = 0 WHERE key = ?1");
        if (st)
            sqlite3_bind_text(st, 1, p->key, -1, SQLITE_STATIC);
        if (step_done(db, st, "cập nhật kho nội dung") != 0)
            goto fail;
    }
    st = prepare(db, "UPDATE playlists SET active = 0 WHERE active = 1");
    if (step_done(db, st, "bỏ kích hoạt playlist cũ") != 0)
        goto fail;
    st = prepare(db, "INSERT INTO playlists (id, version, title, dir, activated_at, active,"
                     " pin_approved_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)");
    if (st) {
        sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, p->version);
        sqlite3_bind_text(st, 3, p->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, p->dir, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, now);
        if (p->pin_approved_at > 0 && !rolling_back)
            sqlite3_bind_int64(st, 6, p->pin_approved_at);
        else
            sqlite3_bind_null(st, 6);
    }
    if (step_done(db, st, "kích hoạt playlist") != 0)
        goto fail;
    if (model && bt_targets_record_in(db, model, &model->targets, now) != 0)
        goto fail;
    if (bt_store_exec(db, "COMMIT", "ghi giao dịch kích hoạt") != 0)
        goto fail;
    bt_store_set_synchronous(db, saved);
    return 0;

fail:
    rollback_if_open(db);
    bt_store_set_synchronous(db, saved);
    return -1;
}

/* ---- pruning ------------------------------------------------------------------------------- */

void bt_content_free_strings(char **list, size_t count)
{
    for (size_t i = 0; list && i < count; i++)
        free(list[i]);
    free(list);
}

static int push_string(char ***list, size_t *count, size_t *cap, const char *text)
{
    char **room = bt_grow(*list, cap, *count + 1, sizeof *room);
    if (!room)
        return -1;
    *list = room;
    char *copy = strdup(text ? text : "");
    if (!copy)
        return -1;
    (*list)[(*count)++] = copy;
    return 0;
}

/* Collects the first column of every row of sql (after skipping `skip` rows). */
static int collect(sqlite3 *db, const char *sql, int skip, char ***list, size_t *count)
{
    size_t cap = 0;
    sqlite3_stmt *st = prepare(db, sql);
    if (!st)
        return -1;
    int rc, seen = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (seen++ < skip)
            continue;
        if (push_string(list, count, &cap, (const char *)sqlite3_column_text(st, 0)) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        bt_log_error("Lỗi cơ sở dữ liệu khi dọn kho nội dung: %s", bt_store_error(db).text);
    return rc == SQLITE_DONE ? 0 : -1;
}

int bt_content_prune(bt_store *s, int keep, char ***keys, size_t *key_count, char ***objects,
                     size_t *object_count)
{
    *keys = NULL;
    *objects = NULL;
    *key_count = 0;
    *object_count = 0;
    sqlite3 *db = bt_store_sqlite(s);
    if (!db)
        return -1;
    if (keep < 1)
        keep = 1; /* the active playlist is never forgotten */
    /* The caller deletes the files once this commits: a commit lost in a power cut would bring
     * back index rows (a rollback target) whose files are gone. */
    int saved;
    if (bt_store_durable_begin(db, &saved, "dọn kho nội dung") != 0)
        return -1;
    if (collect(db, "SELECT key FROM (" CONTENT_SELECT ")"
                    " ORDER BY is_active DESC, last_activation DESC, key",
                keep, keys, key_count) != 0)
        goto fail;
    for (size_t i = 0; i < *key_count; i++) {
        sqlite3_stmt *st = prepare(db, "DELETE FROM content_playlists WHERE key = ?1");
        if (st)
            sqlite3_bind_text(st, 1, (*keys)[i], -1, SQLITE_STATIC);
        if (step_done(db, st, "bỏ playlist cũ khỏi kho nội dung") != 0)
            goto fail;
    }
    /* content_files go with their playlist (ON DELETE CASCADE); objects only when unused. */
    if (collect(db, "SELECT sha256 FROM content_objects WHERE sha256 NOT IN"
                    " (SELECT sha256 FROM content_files)", 0, objects, object_count) != 0)
        goto fail;
    if (bt_store_exec(db, "DELETE FROM content_objects WHERE sha256 NOT IN"
                 " (SELECT sha256 FROM content_files)", "bỏ tệp không còn dùng") != 0)
        goto fail;
    if (bt_store_exec(db, "COMMIT", "ghi giao dịch dọn kho nội dung") != 0)
        goto fail;
    bt_store_set_synchronous(db, saved);
    return 0;

fail:
    rollback_if_open(db);
    bt_store_set_synchronous(db, saved);
    bt_content_free_strings(*keys, *key_count);
    bt_content_free_strings(*objects, *object_count);
    *keys = NULL;
    *objects = NULL;
    *key_count = 0;
    *object_count = 0;
    return -1;
}

/* ---- proof of play export ------------------------------------------------------------------ */

int bt_store_impressions_list(bt_store *s, bt_day first, bt_day last, bt_proof_row **rows,
                              size_t *count)
{
    return bt_store_read_impressions(bt_store_sqlite(s), false, first, last, rows, count);
}
