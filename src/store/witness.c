/* The airing log's witness (store_internal.h): the heads of both chains, also kept in a small
 * text file beside the database and rewritten after every log write,
 *
 *     bangtin log head v1
 *     airing_events 1234 <sha256 hex>
 *     clock_events 7 <sha256 hex>
 *     written_at 1765000000
 *
 * `bangtin log verify` checks that the database still holds the rows it names. The chain's own
 * head (table log_heads) lives in the same file as the rows, so a database that was emptied,
 * cut short, swapped for an older copy or lost whole looked intact; its witness does not. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_vi.h"
#include "store_internal.h"

#define WITNESS_MAGIC "bangtin log head v1"
/* The file is four short lines; anything longer is not ours. */
#define WITNESS_MAX_BYTES 512

int bt_witness_path(sqlite3 *db, char *buf, size_t size)
{
    const char *file = sqlite3_db_filename(db, "main");
    if (!file || !*file)
        return -1;
    int n = snprintf(buf, size, "%s%s", file, BT_WITNESS_SUFFIX);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int parse_head(const char *line, const char *table, bt_witness_head *h)
{
    char name[32], hash[80];
    long long seq;
    if (sscanf(line, "%31s %lld %79s", name, &seq, hash) != 3 || strcmp(name, table) != 0 ||
        seq < 0 || strlen(hash) != sizeof h->hash - 1)
        return -1;
    h->seq = seq;
    memcpy(h->hash, hash, sizeof h->hash);
    return 0;
}

int bt_witness_read(const char *path, bt_witness *out)
{
    memset(out, 0, sizeof *out);
    char text[WITNESS_MAX_BYTES + 1];
    int found = bt_store_small_file_read(path, text, sizeof text);
    if (found <= 0)
        return found;
    char *lines[4] = {0};
    char *save = NULL;
    size_t n = 0;
    for (char *line = strtok_r(text, "\n", &save); line && n < 4; line = strtok_r(NULL, "\n", &save))
        lines[n++] = line;
    long long written = 0;
    if (n != 4 || strcmp(lines[0], WITNESS_MAGIC) != 0 ||
        parse_head(lines[1], "airing_events", &out->airing) != 0 ||
        parse_head(lines[2], "clock_events", &out->clock) != 0 ||
        sscanf(lines[3], "written_at %lld", &written) != 1)
        return -1;
    out->written_at = written;
    return 1;
}

int bt_witness_in_db(sqlite3 *db, const char *table, const bt_witness_head *h)
{
    if (h->seq == 0)
        return 1;
    char sql[96];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT hash FROM %s WHERE seq = ?1", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, h->seq);
    int rc = sqlite3_step(st);
    const char *hash = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int found = rc == SQLITE_ROW ? (hash && strcmp(hash, h->hash) == 0)
                : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return found;
}

/* Both heads as the database's log_heads table has them (seq 0 for a chain never written). */
static int heads_in_db(sqlite3 *db, bt_witness *out)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    snprintf(out->airing.hash, sizeof out->airing.hash, "%064d", 0);
    snprintf(out->clock.hash, sizeof out->clock.hash, "%064d", 0);
    if (sqlite3_prepare_v2(db, "SELECT chain, seq, hash FROM log_heads", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *chain = (const char *)sqlite3_column_text(st, 0);
        const char *hash = (const char *)sqlite3_column_text(st, 2);
        bt_witness_head *h = chain && strcmp(chain, "airing_events") == 0 ? &out->airing
                             : chain && strcmp(chain, "clock_events") == 0 ? &out->clock
                                                                           : NULL;
        if (h) {
            h->seq = sqlite3_column_int64(st, 1);
            snprintf(h->hash, sizeof h->hash, "%s", hash ? hash : "");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Replaces the witness whole (bt_store_small_file_write): after a power cut the file is the old
 * witness or the new one. */
static int write_witness(const char *path, const bt_witness *w)
{
    char text[WITNESS_MAX_BYTES];
    int n = snprintf(text, sizeof text, "%s\nairing_events %" PRId64 " %s\nclock_events %" PRId64
                     " %s\nwritten_at %" PRId64 "\n", WITNESS_MAGIC, w->airing.seq,
                     w->airing.hash, w->clock.seq, w->clock.hash, w->written_at);
    if (n <= 0 || n >= (int)sizeof text)
        return -1;
    return bt_store_small_file_write(path, text, (size_t)n);
}

/* The old witness names rows the database lost: keep it under another name, for good. */
static void set_aside_lost(const char *path, const bt_witness *old)
{
    char lost[BT_MAX_PATH_BYTES + 64];
    const char *base = path + strlen(path) - strlen(BT_WITNESS_SUFFIX);
    snprintf(lost, sizeof lost, "%.*s%s%lld", (int)(base - path), path, BT_WITNESS_LOST_INFIX,
             (long long)time(NULL));
    if (rename(path, lost) != 0)
        bt_log_error("Không giữ được tệp đầu chuỗi cũ \"%s\": %s", path, bt_vi_errno(errno).text);
    else
        bt_log_error("Nhật ký phát thanh đã mất dòng: cơ sở dữ liệu không còn dòng #%lld mà tệp "
                     "đầu chuỗi ghi (lúc %lld); tệp đó được giữ lại là \"%s\" làm bằng chứng.",
                     (long long)old->airing.seq, (long long)old->written_at, lost);
}

void bt_witness_update(sqlite3 *db)
{
    char path[BT_MAX_PATH_BYTES + 16], lock[BT_MAX_PATH_BYTES + 32];
    if (bt_witness_path(db, path, sizeof path) != 0)
        return;
    snprintf(lock, sizeof lock, "%s.lock", path);
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
        bt_log_error("Không khoá được tệp đầu chuỗi \"%s\": %s", lock, bt_vi_errno(errno).text);
        if (lfd >= 0)
            close(lfd);
        return;
    }
    bt_witness old, now;
    if (bt_witness_read(path, &old) == 1 &&
        (bt_witness_in_db(db, "airing_events", &old.airing) == 0 ||
         bt_witness_in_db(db, "clock_events", &old.clock) == 0))
        set_aside_lost(path, &old);
    if (heads_in_db(db, &now) != 0) {
        bt_log_error("Không đọc được đầu chuỗi nhật ký để ghi ra tệp \"%s\"", path);
    } else {
        now.written_at = (int64_t)time(NULL);
        if (write_witness(path, &now) != 0)
            bt_log_error("Không ghi được tệp đầu chuỗi nhật ký \"%s\": %s (dòng nhật ký đã được "
                         "ghi vào cơ sở dữ liệu)", path, bt_vi_errno(errno).text);
    }
    flock(lfd, LOCK_UN);
    close(lfd);
}

int bt_store_witness_rows(const char *db_path, int64_t *rows)
{
    char path[BT_MAX_PATH_BYTES + 16];
    bt_witness w;
    *rows = 0;
    if (snprintf(path, sizeof path, "%s%s", db_path, BT_WITNESS_SUFFIX) >= (int)sizeof path)
        return -1;
    int rc = bt_witness_read(path, &w);
    if (rc != 1)
        return rc;
    *rows = w.airing.seq;
    return w.airing.seq > 0;
}

void bt_witness_each_lost(const char *path,
                          void (*fn)(void *ctx, const char *file, const bt_witness *w), void *ctx)
{
    char dir[BT_MAX_PATH_BYTES + 16], prefix[BT_MAX_PATH_BYTES];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t stem = strlen(base) - strlen(BT_WITNESS_SUFFIX);
    snprintf(prefix, sizeof prefix, "%.*s%s", (int)stem, base, BT_WITNESS_LOST_INFIX);
    bt_store_folder_of(path, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char lost[BT_MAX_PATH_BYTES * 2 + 8];
        bt_witness w;
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        snprintf(lost, sizeof lost, "%s/%s", dir, e->d_name);
        if (bt_witness_read(lost, &w) == 1)
            fn(ctx, lost, &w);
    }
    closedir(d);
}
