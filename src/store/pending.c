/* The writer's fallback journal (see pending.h). One line per row:
 *   p1 TAB run TAB seq TAB kind TAB fields… TAB check LF
 * text fields escaped (\\ \t \n \r), check = the first 16 hex digits of SHA-256 of everything
 * before it, so a line cut short by a crash or a full disk is never taken for a row. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_vi.h"
#include "pending.h"
#include "store_internal.h"

#define CHECK_HEX 16
/* A row whose commit failed yet reached the database was written this close to the moment it
 * was journaled (the same write, milliseconds apart). */
#define REFUSED_COMMIT_SLACK_MS "5000"
#define MAX_FIELDS 24

/* ---- writing a line ------------------------------------------------------------------------ */

static void put_text(bt_buf *b, const char *s)
{
    bt_buf_add(b, "\t", 1);
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': bt_buf_add(b, "\\\\", 2); break;
        case '\t': bt_buf_add(b, "\\t", 2); break;
        case '\n': bt_buf_add(b, "\\n", 2); break;
        case '\r': bt_buf_add(b, "\\r", 2); break;
        default: bt_buf_add(b, s, 1); break;
        }
    }
}

static void put_int(bt_buf *b, int64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, v);
    put_text(b, num);
}

static void put_subject(bt_buf *b, const bt_airing_subject *s)
{
    put_text(b, s->item_id);
    put_text(b, s->title);
    put_text(b, s->topic);
    put_text(b, s->sha256);
    put_text(b, s->playlist_id);
    put_int(b, s->playlist_version);
    put_text(b, s->session_id);
    put_int(b, s->scheduled_at);
}

static void check_of(const char *data, size_t len, char out[CHECK_HEX + 1])
{
    char hex[BT_SHA256_HEX_SIZE];
    bt_sha256_hex(data, len, hex);
    memcpy(out, hex, CHECK_HEX);
    out[CHECK_HEX] = '\0';
}

/* e as one journal line (with its LF) in b. 0 / -1. */
static int format_line(const pending_entry *e, bt_buf *b)
{
    char seq[32], kind[2] = {(char)e->kind, '\0'};
    snprintf(seq, sizeof seq, "%" PRIu64, e->seq);
    bt_buf_add(b, "p1", 2);
    put_text(b, e->run);
    put_text(b, seq);
    put_text(b, kind);
    switch (e->kind) {
    case PENDING_BEGIN:
        put_subject(b, &e->subject);
        put_int(b, e->started_ms);
        put_text(b, e->subject.text_sha256); /* last: a journal of an older bangtin lacks it */
        break;
    case PENDING_RECORD:
        put_subject(b, &e->subject);
        put_text(b, bt_airing_status_name(e->status));
        put_text(b, e->reason);
        put_text(b, e->original_reason);
        put_text(b, e->subject.text_sha256);
        break;
    case PENDING_END:
        put_int(b, e->ref.airing);
        put_text(b, e->ref.run);
        snprintf(seq, sizeof seq, "%" PRIu64, e->ref.seq);
        put_text(b, seq);
        put_text(b, bt_airing_status_name(e->status));
        put_text(b, e->reason);
        put_int(b, e->ended_ms);
        put_int(b, e->duration_ms);
        break;
    case PENDING_CLOCK:
        put_int(b, e->clock.detected_at_ms);
        put_int(b, e->clock.jump_ms);
        put_int(b, e->clock.mono);
        put_text(b, e->clock.note);
        break;
    case PENDING_STAFF: {
        char day[16];
        put_text(b, bt_target_channel_name(e->staff.channel));
        put_text(b, bt_time_format_iso_day(e->staff.day, day, sizeof day));
        put_int(b, e->staff.count);
        put_text(b, e->staff.topic);
        put_text(b, e->staff.note);
        put_text(b, e->staff.key);
        put_int(b, e->staff.at);
        break;
    }
    case PENDING_UNDO:
        put_int(b, e->staff.corrects);
        put_int(b, e->staff.at);
        break;
    }
    put_int(b, e->journaled_ms);
    put_int(b, e->trusted ? 1 : 0);
    char check[CHECK_HEX + 1];
    check_of(b->data, b->len, check);
    put_text(b, check);
    bt_buf_add(b, "\n", 1);
    return b->failed ? -1 : 0;
}

/* ---- reading a line ------------------------------------------------------------------------ */

/* Splits line (no LF) in place into unescaped fields. Returns the count, or -1. */
static int split(char *line, char **field, int cap)
{
    int n = 0;
    char *r = line, *w = line;
    field[n++] = w;
    for (; *r; r++) {
        if (*r == '\t') {
            *w++ = '\0';
            if (n == cap)
                return -1;
            field[n++] = w;
        } else if (*r == '\\') {
            r++;
            switch (*r) {
            case '\\': *w++ = '\\'; break;
            case 't': *w++ = '\t'; break;
            case 'n': *w++ = '\n'; break;
            case 'r': *w++ = '\r'; break;
            default: return -1;
            }
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

static bool to_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

static bool copy_field(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    if (len >= size)
        return false;
    memcpy(dst, src, len + 1);
    return true;
}

static bool read_subject(char **f, bt_airing_subject *s)
{
    int64_t version, scheduled;
    if (!copy_field(s->item_id, sizeof s->item_id, f[0]) ||
        !copy_field(s->title, sizeof s->title, f[1]) ||
        !copy_field(s->topic, sizeof s->topic, f[2]) ||
        !copy_field(s->sha256, sizeof s->sha256, f[3]) ||
        !copy_field(s->playlist_id, sizeof s->playlist_id, f[4]) || !to_int(f[5], &version) ||
        !copy_field(s->session_id, sizeof s->session_id, f[6]) || !to_int(f[7], &scheduled))
        return false;
    s->playlist_version = (int)version;
    s->scheduled_at = scheduled;
    return true;
}

/* One line (without its LF) into e; false if torn, garbled or of an unknown form. */
static bool parse_line(const char *text, size_t len, pending_entry *e)
{
    /* The check covers everything before its own TAB. */
    if (len < CHECK_HEX + 2 || text[len - CHECK_HEX - 1] != '\t')
        return false;
    char check[CHECK_HEX + 1];
    check_of(text, len - CHECK_HEX - 1, check);
    if (memcmp(check, text + len - CHECK_HEX, CHECK_HEX) != 0)
        return false;
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *f[MAX_FIELDS];
    int n = split(copy, f, MAX_FIELDS);
    bool ok = false;
    int64_t v, trusted;
    memset(e, 0, sizeof *e);
    if (n < 7 || strcmp(f[0], "p1") != 0 || !copy_field(e->run, sizeof e->run, f[1]) ||
        !to_int(f[2], &v) || strlen(f[3]) != 1 || !to_int(f[n - 3], &e->journaled_ms) ||
        !to_int(f[n - 2], &trusted))
        goto done;
    e->seq = (uint64_t)v;
    e->kind = (pending_kind)f[3][0];
    e->trusted = trusted != 0;
    char **a = f + 4;
    int args = n - 7;
    switch (e->kind) {
    /* Lines journaled before text bulletins (issue 11) end without the text hash. */
    case PENDING_BEGIN:
        ok = (args == 9 || args == 10) && read_subject(a, &e->subject) &&
             to_int(a[8], &e->started_ms) &&
             (args == 9 || copy_field(e->subject.text_sha256, sizeof e->subject.text_sha256, a[9]));
        break;
    case PENDING_RECORD:
        ok = (args == 11 || args == 12) && read_subject(a, &e->subject) &&
             bt_airing_status_parse(a[8], &e->status) == 0 &&
             copy_field(e->reason, sizeof e->reason, a[9]) &&
             copy_field(e->original_reason, sizeof e->original_reason, a[10]) &&
             (args == 11 ||
              copy_field(e->subject.text_sha256, sizeof e->subject.text_sha256, a[11]));
        break;
    case PENDING_END:
        ok = args == 7 && to_int(a[0], &e->ref.airing) &&
             copy_field(e->ref.run, sizeof e->ref.run, a[1]) && to_int(a[2], &v) &&
             bt_airing_status_parse(a[3], &e->status) == 0 &&
             copy_field(e->reason, sizeof e->reason, a[4]) && to_int(a[5], &e->ended_ms) &&
             to_int(a[6], &e->duration_ms);
        e->ref.seq = (uint64_t)v;
        break;
    case PENDING_CLOCK:
        ok = args == 4 && to_int(a[0], &e->clock.detected_at_ms) &&
             to_int(a[1], &e->clock.jump_ms) && to_int(a[2], &v) &&
             copy_field(e->clock.note, sizeof e->clock.note, a[3]);
        e->clock.mono = v;
        break;
    case PENDING_STAFF:
        ok = args == 7 && bt_target_channel_parse(a[0], &e->staff.channel) == 0 &&
             bt_target_channel_recorded(e->staff.channel) &&
             bt_time_parse_date(a[1], &e->staff.day) == 0 && to_int(a[2], &v) && v >= 1 &&
             v <= BT_MAX_RECORD_COUNT && copy_field(e->staff.topic, sizeof e->staff.topic, a[3]) &&
             copy_field(e->staff.note, sizeof e->staff.note, a[4]) &&
             copy_field(e->staff.key, sizeof e->staff.key, a[5]) && e->staff.key[0] &&
             to_int(a[6], &e->staff.at);
        e->staff.count = (int)v;
        break;
    case PENDING_UNDO:
        ok = args == 2 && to_int(a[0], &e->staff.corrects) && e->staff.corrects > 0 &&
             to_int(a[1], &e->staff.at);
        break;
    }
done:
    free(copy);
    return ok;
}

/* ---- the journal --------------------------------------------------------------------------- */

static int push(pending_journal *j, const pending_entry *e)
{
    pending_entry *copy = malloc(sizeof *copy);
    if (!copy)
        return -1;
    *copy = *e;
    copy->next = NULL;
    if (j->tail)
        j->tail->next = copy;
    else
        j->head = copy;
    j->tail = copy;
    j->count++;
    return 0;
}

int bt_pending_load(pending_journal *j, const char *path, size_t *skipped)
{
    *skipped = 0;
    snprintf(j->path, sizeof j->path, "%s", path ? path : "");
    if (!path || !path[0])
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* no journal: nothing waits */
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        pending_entry e;
        bool whole = len > 0 && line[len - 1] == '\n';
        if (!whole || !parse_line(line, (size_t)len - 1, &e)) {
            (*skipped)++;
            continue;
        }
        e.written_to_file = true;
        if (push(j, &e) != 0) {
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

/* Appends one line and waits for the disk. A short write leaves a torn line, which the check
 * rejects at load; the next line starts after it, so it is cut off with a LF first. */
static int append_file(const char *path, const bt_buf *line)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        return -1;
    const char *p = line->data;
    size_t left = line->len;
    int rc = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            if (left < line->len && write(fd, "\n", 1) < 0) {
                /* nothing more to do: the torn line fails its check */
            }
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc == 0 && fdatasync(fd) != 0)
        rc = -1;
    if (close(fd) != 0)
        rc = -1;
    return rc;
}

int bt_pending_append(pending_journal *j, const pending_entry *e)
{
    pending_entry copy = *e;
    copy.written_to_file = false;
    if (j->path[0]) {
        bt_buf line = {0};
        if (format_line(e, &line) == 0 && append_file(j->path, &line) == 0)
            copy.written_to_file = true;
        free(line.data);
    }
    if (push(j, &copy) != 0)
        return -1;
    return copy.written_to_file ? 0 : 1;
}

int64_t bt_pending_resolve(const pending_journal *j, const char *run, uint64_t seq)
{
    for (size_t i = 0; i < j->resolved_count; i++)
        if (j->resolved[i].seq == seq && strcmp(j->resolved[i].run, run) == 0)
            return j->resolved[i].airing;
    return 0;
}

static int remember(pending_journal *j, const pending_entry *e, int64_t airing)
{
    if (j->resolved_count == j->resolved_cap) {
        size_t cap = j->resolved_cap ? j->resolved_cap * 2 : 16;
        pending_resolved *r = realloc(j->resolved, cap * sizeof *r);
        if (!r)
            return -1;
        j->resolved = r;
        j->resolved_cap = cap;
    }
    pending_resolved *r = &j->resolved[j->resolved_count++];
    snprintf(r->run, sizeof r->run, "%s", e->run);
    r->seq = e->seq;
    r->airing = airing;
    return 0;
}

/* ---- writing an entry into the store, once ------------------------------------------------ */

/* Binds the subject's keys to ?1..?5 (item, session, playlist, version, slot). */
static void bind_subject(sqlite3_stmt *st, const bt_airing_subject *s)
{
    sqlite3_bind_text(st, 1, s->item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, s->session_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, s->playlist_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, s->playlist_version);
    sqlite3_bind_int64(st, 5, s->scheduled_at);
}

/* The seq of the row the query finds (> 0), 0 if none, -1 on error. */
static int64_t find_row(sqlite3 *db, const char *sql, const pending_entry *e)
{
    sqlite3_stmt *st = NULL;
    int64_t found = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    if (e->kind == PENDING_CLOCK) {
        sqlite3_bind_int64(st, 1, e->clock.detected_at_ms);
        sqlite3_bind_int64(st, 2, e->clock.jump_ms);
        sqlite3_bind_int64(st, 3, e->clock.mono);
    } else {
        bind_subject(st, &e->subject);
        if (e->kind == PENDING_BEGIN) {
            sqlite3_bind_int64(st, 6, e->started_ms);
        } else {
            sqlite3_bind_text(st, 6, bt_airing_status_name(e->status), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, e->reason, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 8, e->original_reason[0] ? e->original_reason : NULL, -1,
                              SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 9, e->journaled_ms);
        }
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        found = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        found = 0;
    sqlite3_finalize(st);
    return found;
}

#define SUBJECT_MATCH                                                                          \
    " item_id = ?1 AND session_id = ?2 AND playlist_id = ?3 AND playlist_version = ?4"        \
    " AND scheduled_at = ?5"

/* A staff entry or undo, written once: an entry by its key, an undo by the one correction an
 * entry may have. 0 written or there already (*undone_before: an undo found it undone), 2 when
 * there is nothing to undo (why in err; logged when draining, as err is NULL then), -1 when the
 * store refused (why in err). */
int bt_pending_apply_staff(bt_store *s, const pending_entry *e, bool *undone_before, char *err,
                           size_t err_size)
{
    char why[256] = "";
    if (undone_before)
        *undone_before = false;
    int rc;
    if (e->kind == PENDING_STAFF) {
        bt_record_entry r = {e->staff.channel, e->staff.day, e->staff.count, e->staff.note,
                             e->staff.topic, e->staff.key};
        int64_t id = 0;
        rc = bt_records_store_add(s, &r, e->staff.at, &id, why, sizeof why);
    } else {
        rc = bt_records_store_undo(s, e->staff.corrects, e->staff.at, why, sizeof why);
        if (rc == 1 && undone_before)
            *undone_before = true;
        if (rc == 1)
            rc = 0;
        if (rc == 2 && !err)
            bt_log_error("Nhật ký chờ ghi: không hủy được ghi nhận số %" PRId64 " (%s); bỏ qua "
                         "dòng này.", e->staff.corrects, why);
    }
    if (err)
        snprintf(err, err_size, "%s", why);
    return rc;
}

/* Writes e unless the store already holds it. 0 / -1. */
static int apply(pending_journal *j, bt_store *s, const pending_entry *e)
{
    sqlite3 *db = bt_store_sqlite(s);
    const char *reason = e->reason[0] ? e->reason : NULL;
    int64_t found;
    switch (e->kind) {
    case PENDING_BEGIN: {
        found = find_row(db, "SELECT seq FROM airing_events WHERE kind = 'start' AND"
                             SUBJECT_MATCH " AND started_at_ms = ?6", e);
        int64_t airing = found;
        if (found < 0 ||
            (found == 0 &&
             bt_airing_begin(s, &e->subject, e->started_ms, e->trusted, &airing) != 0))
            return -1;
        return remember(j, e, airing);
    }
    case PENDING_RECORD:
        found = find_row(db, "SELECT seq FROM airing_events WHERE kind = 'record' AND"
                             SUBJECT_MATCH " AND status = ?6 AND (reason IS ?7 OR (reason IS ?8"
                             " AND abs(logged_at_ms - ?9) < " REFUSED_COMMIT_SLACK_MS "))", e);
        if (found != 0)
            return found > 0 ? 0 : -1;
        return bt_airing_record(s, &e->subject, e->status, reason, e->trusted, NULL);
    case PENDING_END: {
        int64_t airing = e->ref.airing > 0 ? e->ref.airing
                                           : bt_pending_resolve(j, e->ref.run, e->ref.seq);
        bt_airing_row row;
        int got = airing > 0 ? bt_airing_get(s, airing, &row) : 0;
        if (got < 0)
            return -1;
        if (got == 0) {
            /* Its start row was never kept (a torn line): the end alone cannot be written. */
            bt_log_error("Nhật ký chờ ghi: không tìm thấy lần phát mà dòng kết thúc (%s #%" PRIu64
                         ") thuộc về; bỏ qua dòng này.", e->run, e->seq);
            return 0;
        }
        if (row.status != BT_AIRING_AIRING)
            return 0; /* already ended: by this entry before a crash, or by crash recovery */
        return bt_airing_end(s, airing, e->status, reason, e->ended_ms, e->duration_ms,
                             e->trusted);
    }
    case PENDING_CLOCK:
        found = find_row(db, "SELECT seq FROM clock_events WHERE detected_at_ms = ?1 AND"
                             " jump_ms = ?2 AND mono_ns = ?3", e);
        if (found != 0)
            return found > 0 ? 0 : -1;
        return bt_airing_add_clock_event(s, &e->clock, NULL);
    case PENDING_STAFF:
    case PENDING_UNDO:
        return bt_pending_apply_staff(s, e, NULL, NULL, 0);
    }
    return 0;
}

int bt_pending_drain(pending_journal *j, bt_store *s)
{
    while (j->head) {
        pending_entry *e = j->head;
        if (apply(j, s, e) != 0)
            return -1;
        j->head = e->next;
        if (!j->head)
            j->tail = NULL;
        j->count--;
        free(e);
    }
    /* Everything is in the log: the file has served. A failed unlink leaves rows that a later
     * drain finds already written. */
    if (j->path[0] && unlink(j->path) != 0 && errno != ENOENT)
        bt_log_warn("Không xoá được nhật ký chờ ghi \"%s\": %s.", j->path, bt_vi_errno(errno).text);
    return 0;
}

void bt_pending_free(pending_journal *j)
{
    while (j->head) {
        pending_entry *e = j->head;
        j->head = e->next;
        free(e);
    }
    j->tail = NULL;
    j->count = 0;
    free(j->resolved);
    j->resolved = NULL;
    j->resolved_count = j->resolved_cap = 0;
}
