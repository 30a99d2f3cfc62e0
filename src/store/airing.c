/* The airing log and clock events: append-only tables whose rows form hash chains.
 *
 * Each row's hash is SHA-256 over a canonical text: a domain line naming the chain and format,
 * the previous row's hash, then every content column as `name=<value>\n` where a value is `n`
 * (NULL), `i<decimal>` (integer) or `t<byte length>:<bytes>` (text), so no two rows can
 * serialise alike. The first row links to 64 zeros. log_heads keeps each chain's last row, so
 * verify also sees rows deleted from the end. Keys are not secret: the chain defeats edits made
 * with a database browser, not an attacker who recomputes every hash; that would need a signing
 * key kept off the appliance.
 *
 * Durability: these writes switch the shared connection to synchronous=FULL for their
 * transaction (WAL fsync on commit), then back, so an airing reported written survives a power
 * cut, while impressions keep the cheaper NORMAL. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_airing.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"
#include "store_internal.h"

#define HASH_HEX 64
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
/* SQL text built from a chain's column list: room for every column name twice. */
#define SQL_BYTES 1024
/* Verify's own connection waits this long for a writer's lock, as the store's does. */
#define READER_BUSY_TIMEOUT_MS 5000
/* The widest chain's column count (airing_events has 19, clock_events 6). */
#define MAX_COLUMNS 19

typedef enum { V_NULL, V_INT, V_TEXT } value_type;

typedef struct {
    value_type type;
    int64_t i;
    const char *t;
} value;

typedef struct {
    const char *table;
    const char *domain;          /* first line of the hashed text; bump the version to change */
    const char *const *columns;  /* content columns in hash order; seq first */
    size_t count;
    /* Columns from this index on were added by a later migration: each is hashed only when it
     * holds a value, so every row written before it still hashes as it did (and verifies),
     * while a value put into an old row, or taken out of a new one, changes the hash. */
    size_t added_from;
} chain;

enum {
    A_SEQ, A_KIND, A_AIRING, A_ITEM_ID, A_TITLE, A_TOPIC, A_SHA256, A_PLAYLIST_ID,
    A_PLAYLIST_VERSION, A_SESSION_ID, A_SCHEDULED_AT, A_STARTED_AT_MS, A_ENDED_AT_MS,
    A_DURATION_MS, A_STATUS, A_REASON, A_CLOCK_TRUSTED, A_LOGGED_AT_MS,
    A_TEXT_SHA256, /* schema step 8: a text bulletin's words */
    A_COUNT
};

static const char *const airing_columns[A_COUNT] = {
    "seq", "kind", "airing", "item_id", "title", "topic", "sha256", "playlist_id",
    "playlist_version", "session_id", "scheduled_at", "started_at_ms", "ended_at_ms",
    "duration_ms", "status", "reason", "clock_trusted", "logged_at_ms", "text_sha256",
};

enum { C_SEQ, C_DETECTED_AT_MS, C_JUMP_MS, C_MONO_NS, C_NOTE, C_LOGGED_AT_MS, C_COUNT };

static const char *const clock_columns[C_COUNT] = {
    "seq", "detected_at_ms", "jump_ms", "mono_ns", "note", "logged_at_ms",
};

static const chain airing_chain = {"airing_events", "bangtin airing_events v1", airing_columns,
                                   A_COUNT, A_TEXT_SHA256};
static const chain clock_chain = {"clock_events", "bangtin clock_events v1", clock_columns,
                                  C_COUNT, C_COUNT};

_Static_assert(HASH_HEX == BT_SHA256_HEX_BYTES, "a row hash is a SHA-256 in hex");
_Static_assert(A_COUNT <= MAX_COLUMNS && C_COUNT <= MAX_COLUMNS, "MAX_COLUMNS too small");

static const char *const status_names[] = {
    [BT_AIRING_AIRING] = "airing",           [BT_AIRING_COMPLETED] = "completed",
    [BT_AIRING_INTERRUPTED] = "interrupted", [BT_AIRING_FAILED] = "failed",
    [BT_AIRING_MISSED] = "missed",
};

#define STATUS_COUNT (sizeof(status_names) / sizeof(status_names[0]))
_Static_assert(STATUS_COUNT == BT_AIRING_STATUS_COUNT, "a status without its stored code");

const char *bt_airing_status_name(bt_airing_status st)
{
    return (size_t)st < STATUS_COUNT ? status_names[st] : "?";
}

const char *bt_airing_status_label(bt_airing_status st)
{
    /* The words live in the one table of Vietnamese (bt_vi.h), keyed by the stored code. */
    const char *vi = (size_t)st < STATUS_COUNT ? bt_vi_airing_status(status_names[st]) : NULL;
    return vi ? vi : "không rõ";
}

int bt_airing_status_parse(const char *name, bt_airing_status *out)
{
    for (size_t i = 0; name && i < STATUS_COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (bt_airing_status)i;
            return 0;
        }
    }
    return -1;
}

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static value v_int(int64_t i)
{
    return (value){V_INT, i, NULL};
}

static value v_null(void)
{
    return (value){V_NULL, 0, NULL};
}

/* Empty optional text is stored as NULL. */
static value v_text(const char *t)
{
    return t && t[0] ? (value){V_TEXT, 0, t} : v_null();
}

/* ---- hashing ------------------------------------------------------------------------------- */

/* The canonical text is gathered in this buffer and handed to SHA-256 in one piece: a row is a
 * few hundred bytes, and dozens of tiny update calls plus printf per column cost more than the
 * hash itself when verify walks years of log. Longer rows (text an editor pasted in) spill.
 * SHA-256 is core's (SHA-NI where the CPU has it): libsodium's portable code alone took about
 * 200 ms of CPU over five years of log, the whole budget of a report. */
#define CANON_BYTES 1024
/* Room one column needs besides its text: name (≤ 31 bytes), "=", a type letter, an int64 in
 * decimal with its sign or a text's length and ":", the newline. */
#define CANON_COLUMN_BYTES 64

typedef struct {
    bt_sha256 h;
    size_t used;
    unsigned char buf[CANON_BYTES];
} canon;

/* A place to write n bytes (n <= CANON_BYTES), handing what is gathered to the hash first if
 * it does not fit. */
static unsigned char *canon_room(canon *k, size_t n)
{
    if (n > sizeof(k->buf) - k->used) {
        bt_sha256_update(&k->h, k->buf, k->used);
        k->used = 0;
    }
    return k->buf + k->used;
}

static void canon_put(canon *k, const void *p, size_t n)
{
    if (n > sizeof(k->buf) - k->used) {
        bt_sha256_update(&k->h, k->buf, k->used);
        k->used = 0;
        if (n > sizeof(k->buf)) {
            bt_sha256_update(&k->h, p, n);
            return;
        }
    }
    memcpy(k->buf + k->used, p, n);
    k->used += n;
}

/* Writes the decimal digits of u at p (as %llu would); returns the end. */
static unsigned char *put_digits(unsigned char *p, uint64_t u)
{
    unsigned char tmp[20];
    size_t n = 0;
    do {
        tmp[sizeof(tmp) - ++n] = (unsigned char)('0' + u % 10);
        u /= 10;
    } while (u);
    memcpy(p, tmp + sizeof(tmp) - n, n);
    return p + n;
}

/* One column as `name=n`, `name=i<decimal>` or `name=t<bytes>:<text>`, then a newline. */
static void canon_column(canon *k, const char *name, const value *v, size_t text_len)
{
    size_t name_len = strlen(name);
    unsigned char *p = canon_room(k, CANON_COLUMN_BYTES);
    memcpy(p, name, name_len);
    p += name_len;
    *p++ = '=';
    switch (v->type) {
    case V_NULL:
        *p++ = 'n';
        break;
    case V_INT:
        *p++ = 'i';
        if (v->i < 0) {
            *p++ = '-';
            p = put_digits(p, (uint64_t)0 - (uint64_t)v->i); /* INT64_MIN included */
        } else {
            p = put_digits(p, (uint64_t)v->i);
        }
        break;
    case V_TEXT:
        *p++ = 't';
        p = put_digits(p, text_len);
        *p++ = ':';
        k->used = (size_t)(p - k->buf);
        canon_put(k, v->t, text_len);
        p = canon_room(k, 1);
        break;
    }
    *p++ = '\n';
    k->used = (size_t)(p - k->buf);
}

/* The row's hash in hex. t_len[i]: the byte length of text column i (NULL: its strlen, as for
 * rows being written). */
static void row_hash(const chain *c, const char *prev_hash, const value *v, const size_t *t_len,
                     char *hex)
{
    canon k;
    bt_sha256_init(&k.h);
    k.used = 0;
    canon_put(&k, c->domain, strlen(c->domain));
    canon_put(&k, "\n", 1);
    canon_put(&k, prev_hash, strlen(prev_hash));
    canon_put(&k, "\n", 1);
    for (size_t i = 0; i < c->count; i++) {
        size_t len = 0;
        if (i >= c->added_from && v[i].type == V_NULL)
            continue;
        if (v[i].type == V_TEXT)
            len = t_len ? t_len[i] : strlen(v[i].t);
        canon_column(&k, c->columns[i], &v[i], len);
    }
    bt_sha256_update(&k.h, k.buf, k.used);
    bt_sha256_final_hex(&k.h, hex);
}

/* ---- transactions -------------------------------------------------------------------------- */

/* Starts a durable write transaction; *saved is the level to restore. A connection that cannot
 * be switched to FULL (read back to be sure) writes nothing: its commit would not wait for the
 * disk, and a row reported written could vanish in a power cut. */
static int log_begin(sqlite3 *db, int *saved)
{
    return bt_store_durable_begin(db, saved, "ghi nhật ký phát thanh");
}

static int log_commit(sqlite3 *db, int saved)
{
    int rc = bt_store_exec(db, "COMMIT", "ghi nhật ký phát thanh");
    if (rc != 0 && !sqlite3_get_autocommit(db))
        bt_store_exec(db, "ROLLBACK", "hủy ghi nhật ký phát thanh");
    bt_store_set_synchronous(db, saved);
    if (rc == 0)
        bt_witness_update(db);
    return rc;
}

static void log_rollback(sqlite3 *db, int saved)
{
    if (!sqlite3_get_autocommit(db))
        bt_store_exec(db, "ROLLBACK", "hủy ghi nhật ký phát thanh");
    bt_store_set_synchronous(db, saved);
}

/* ---- appending ----------------------------------------------------------------------------- */

/* The last row of a chain (seq 0 and the genesis hash when empty) and the head's seq. */
static int chain_tail(sqlite3 *db, const chain *c, int64_t *last_seq, char *last_hash,
                      int64_t *head_seq)
{
    char sql[SQL_BYTES];
    sqlite3_stmt *st = NULL;
    *last_seq = 0;
    *head_seq = 0;
    snprintf(last_hash, HASH_HEX + 1, "%s", GENESIS_HASH);
    snprintf(sql, sizeof(sql), "SELECT seq, hash FROM %s ORDER BY seq DESC LIMIT 1", c->table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *last_seq = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(last_hash, HASH_HEX + 1, "%s", h ? h : "");
    } else if (rc != SQLITE_DONE) {
        goto fail;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT seq FROM log_heads WHERE chain = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *head_seq = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    return 0;

fail:
    bt_log_error("Lỗi cơ sở dữ liệu khi đọc cuối nhật ký %s: %s", c->table,
                 bt_store_error(db).text);
    sqlite3_finalize(st);
    return -1;
}

static void bind_value(sqlite3_stmt *st, int index, const value *v)
{
    switch (v->type) {
    case V_NULL:
        sqlite3_bind_null(st, index);
        break;
    case V_INT:
        sqlite3_bind_int64(st, index, v->i);
        break;
    case V_TEXT:
        sqlite3_bind_text(st, index, v->t, -1, SQLITE_STATIC);
        break;
    }
}

/* Inside a transaction: numbers, hashes and inserts one row, then moves the head. v[0] (seq) is
 * filled here; so is v[self] when self >= 0 (a row that is its own airing). */
static int chain_append(sqlite3 *db, const chain *c, value *v, int self, int64_t *seq_out)
{
    int64_t last_seq, head_seq;
    char prev[HASH_HEX + 1], hash[HASH_HEX + 1];
    if (chain_tail(db, c, &last_seq, prev, &head_seq) != 0)
        return -1;
    /* After a deleted tail the head is ahead: number past it, so the gap stays visible and the
     * log keeps working. */
    int64_t seq = (last_seq > head_seq ? last_seq : head_seq) + 1;
    v[0] = v_int(seq);
    if (self >= 0)
        v[self] = v_int(seq);
    row_hash(c, prev, v, NULL, hash);

    char sql[SQL_BYTES];
    size_t used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (", c->table);
    for (size_t i = 0; i < c->count; i++)
        used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s, ", c->columns[i]);
    used += (size_t)snprintf(sql + used, sizeof(sql) - used, "prev_hash, hash) VALUES (");
    for (size_t i = 0; i < c->count + 2; i++)
        used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?%zu", i ? ", " : "", i + 1);
    snprintf(sql + used, sizeof(sql) - used, ")");

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        for (size_t i = 0; i < c->count; i++)
            bind_value(st, (int)i + 1, &v[i]);
        sqlite3_bind_text(st, (int)c->count + 1, prev, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, (int)c->count + 2, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_store_note_failure(db);
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi nhật ký %s: %s", c->table, bt_store_error(db).text);
        return -1;
    }
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO log_heads (chain, seq, hash) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq,"
                            " hash = excluded.hash",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_store_note_failure(db);
        bt_log_error("Lỗi cơ sở dữ liệu khi ghi đầu chuỗi nhật ký %s: %s", c->table,
                     bt_store_error(db).text);
        return -1;
    }
    if (seq_out)
        *seq_out = seq;
    return 0;
}

static void fill_subject(value *v, const bt_airing_subject *subj)
{
    v[A_ITEM_ID] = v_text(subj->item_id);
    v[A_TITLE] = v_text(subj->title);
    v[A_TOPIC] = v_text(subj->topic);
    v[A_SHA256] = v_text(subj->sha256);
    v[A_PLAYLIST_ID] = v_text(subj->playlist_id);
    v[A_PLAYLIST_VERSION] = v_int(subj->playlist_version);
    v[A_SESSION_ID] = v_text(subj->session_id);
    v[A_SCHEDULED_AT] = v_int(subj->scheduled_at);
    v[A_TEXT_SHA256] = v_text(subj->text_sha256);
}

static void clear_values(value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = v_null();
}

static bool subject_ok(const bt_airing_subject *subj)
{
    return subj && subj->item_id[0] && subj->title[0] && subj->playlist_id[0] &&
           subj->session_id[0];
}

/* One row in its own durable transaction. *seq is set only once the row is committed: the id
 * of a rolled-back row must never reach a caller, who would end or cite a row that is not. */
static int append_one(bt_store *s, const chain *c, value *v, int self, int64_t *seq)
{
    sqlite3 *db = bt_store_sqlite(s);
    int saved;
    int64_t appended = 0;
    if (!db || log_begin(db, &saved) != 0)
        return -1;
    if (chain_append(db, c, v, self, &appended) != 0) {
        log_rollback(db, saved);
        return -1;
    }
    if (log_commit(db, saved) != 0)
        return -1;
    if (seq)
        *seq = appended;
    return 0;
}

int bt_airing_begin(bt_store *s, const bt_airing_subject *subject, int64_t started_at_ms,
                    bool clock_trusted, int64_t *airing)
{
    if (airing)
        *airing = 0;
    if (!s || !subject_ok(subject))
        return -1;
    value v[A_COUNT];
    clear_values(v, A_COUNT);
    v[A_KIND] = v_text("start");
    fill_subject(v, subject);
    v[A_STARTED_AT_MS] = v_int(started_at_ms);
    v[A_STATUS] = v_text(status_names[BT_AIRING_AIRING]);
    v[A_CLOCK_TRUSTED] = v_int(clock_trusted ? 1 : 0);
    v[A_LOGGED_AT_MS] = v_int(wall_now_ms());
    return append_one(s, &airing_chain, v, A_AIRING, airing);
}

int bt_airing_record(bt_store *s, const bt_airing_subject *subject, bt_airing_status status,
                     const char *reason, bool clock_trusted, int64_t *airing)
{
    if (airing)
        *airing = 0;
    if (!s || !subject_ok(subject) ||
        (status != BT_AIRING_MISSED && status != BT_AIRING_FAILED))
        return -1;
    value v[A_COUNT];
    clear_values(v, A_COUNT);
    v[A_KIND] = v_text("record");
    fill_subject(v, subject);
    v[A_STATUS] = v_text(status_names[status]);
    v[A_REASON] = v_text(reason);
    v[A_CLOCK_TRUSTED] = v_int(clock_trusted ? 1 : 0);
    v[A_LOGGED_AT_MS] = v_int(wall_now_ms());
    return append_one(s, &airing_chain, v, A_AIRING, airing);
}

/* 1 if airing is a start row with no end yet, 0 if not, -1 on error. *trusted = its flag. */
static int airing_is_open(sqlite3 *db, int64_t airing, bool *trusted)
{
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT s.clock_trusted, (SELECT count(*) FROM airing_events e"
                           "  WHERE e.kind = 'end' AND e.airing = s.seq)"
                           " FROM airing_events s WHERE s.seq = ?1 AND s.kind = 'start'",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, airing);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *trusted = sqlite3_column_int(st, 0) != 0;
            result = sqlite3_column_int(st, 1) == 0 ? 1 : 0;
        } else if (rc == SQLITE_DONE) {
            result = 0;
        }
    }
    if (result < 0)
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc lần phát #%lld: %s", (long long)airing,
                     bt_store_error(db).text);
    sqlite3_finalize(st);
    return result;
}

static void fill_end(value *v, int64_t airing, bt_airing_status status, const char *reason,
                     int64_t ended_at_ms, int64_t duration_ms, bool clock_trusted)
{
    clear_values(v, A_COUNT);
    v[A_KIND] = v_text("end");
    v[A_AIRING] = v_int(airing);
    v[A_ENDED_AT_MS] = ended_at_ms > 0 ? v_int(ended_at_ms) : v_null();
    v[A_DURATION_MS] = duration_ms >= 0 ? v_int(duration_ms) : v_null();
    v[A_STATUS] = v_text(status_names[status]);
    v[A_REASON] = v_text(reason);
    v[A_CLOCK_TRUSTED] = v_int(clock_trusted ? 1 : 0);
    v[A_LOGGED_AT_MS] = v_int(wall_now_ms());
}

int bt_airing_end(bt_store *s, int64_t airing, bt_airing_status status, const char *reason,
                  int64_t ended_at_ms, int64_t duration_ms, bool clock_trusted)
{
    if (!s || (status != BT_AIRING_COMPLETED && status != BT_AIRING_INTERRUPTED &&
               status != BT_AIRING_FAILED))
        return -1;
    sqlite3 *db = bt_store_sqlite(s);
    int saved;
    if (!db || log_begin(db, &saved) != 0)
        return -1;
    bool start_trusted = true;
    int open = airing_is_open(db, airing, &start_trusted);
    if (open != 1) {
        if (open == 0)
            bt_log_error("Lần phát #%lld không tồn tại hoặc đã kết thúc.", (long long)airing);
        log_rollback(db, saved);
        return -1;
    }
    value v[A_COUNT];
    fill_end(v, airing, status, reason, ended_at_ms, duration_ms, clock_trusted);
    if (chain_append(db, &airing_chain, v, -1, NULL) != 0) {
        log_rollback(db, saved);
        return -1;
    }
    return log_commit(db, saved);
}

int bt_airing_recover(bt_store *s, size_t *recovered)
{
    return bt_airing_recover_except(s, NULL, 0, recovered);
}

static bool kept(const int64_t *keep, size_t keep_count, int64_t airing)
{
    for (size_t i = 0; i < keep_count; i++)
        if (keep[i] == airing)
            return true;
    return false;
}

int bt_airing_recover_except(bt_store *s, const int64_t *keep, size_t keep_count,
                             size_t *recovered)
{
    if (recovered)
        *recovered = 0;
    sqlite3 *db = bt_store_sqlite(s);
    int saved;
    if (!db || log_begin(db, &saved) != 0)
        return -1;
    /* Collect first: the rows we append must not feed back into the query. */
    sqlite3_stmt *st = NULL;
    int64_t *open = NULL;
    int *trusted = NULL;
    size_t count = 0, cap = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT s.seq, s.clock_trusted FROM airing_events s"
                                " WHERE s.kind = 'start' AND NOT EXISTS (SELECT 1 FROM"
                                "  airing_events e WHERE e.kind = 'end' AND e.airing = s.seq)"
                                " ORDER BY s.seq",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            int64_t *no = realloc(open, ncap * sizeof(*no));
            if (no)
                open = no;
            int *nt = realloc(trusted, ncap * sizeof(*nt));
            if (nt)
                trusted = nt;
            if (!no || !nt) {
                rc = SQLITE_NOMEM;
                break;
            }
            cap = ncap;
        }
        open[count] = sqlite3_column_int64(st, 0);
        trusted[count] = sqlite3_column_int(st, 1);
        count += !kept(keep, keep_count, open[count]);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi khi tìm các lần phát dở dang: %s", bt_store_error(db).text);
        goto fail;
    }
    for (size_t i = 0; i < count; i++) {
        value v[A_COUNT];
        fill_end(v, open[i], BT_AIRING_INTERRUPTED, BT_AIRING_REASON_CRASH, 0, -1,
                 trusted[i] != 0);
        if (chain_append(db, &airing_chain, v, -1, NULL) != 0)
            goto fail;
    }
    free(open);
    free(trusted);
    if (log_commit(db, saved) != 0)
        return -1;
    if (count > 0)
        bt_log_warn("Đã đóng %zu lần phát bị cắt ngang do mất điện hoặc lỗi chương trình.",
                    count);
    if (recovered)
        *recovered = count;
    return 0;

fail:
    free(open);
    free(trusted);
    log_rollback(db, saved);
    return -1;
}

int bt_airing_add_clock_event(bt_store *s, const bt_clock_event *ev, int64_t *seq)
{
    if (seq)
        *seq = 0;
    if (!s || !ev)
        return -1;
    value v[C_COUNT];
    clear_values(v, C_COUNT);
    v[C_DETECTED_AT_MS] = v_int(ev->detected_at_ms);
    v[C_JUMP_MS] = v_int(ev->jump_ms);
    v[C_MONO_NS] = v_int(ev->mono);
    v[C_NOTE] = v_text(ev->note);
    v[C_LOGGED_AT_MS] = v_int(wall_now_ms());
    return append_one(s, &clock_chain, v, -1, seq);
}

/* ---- reading ------------------------------------------------------------------------------- */

/* The column's text, cut to size - 1 bytes (as snprintf would): a year's report reads ~50 000
 * of these, and snprintf was a tenth of its build. */
static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    size_t n = t ? strnlen(t, size - 1) : 0;
    memcpy(dst, t ? t : "", n);
    dst[n] = '\0';
}

#define AIRING_SELECT                                                                           \
    "SELECT airing, item_id, title, topic, sha256, playlist_id, playlist_version, session_id,"  \
    " scheduled_at, started_at_ms, ended_at_ms, duration_ms, status, reason, clock_trusted,"    \
    " text_sha256 FROM airings"

static void read_airing(sqlite3_stmt *st, bt_airing_row *r)
{
    memset(r, 0, sizeof(*r));
    r->airing = sqlite3_column_int64(st, 0);
    copy_text(r->subject.item_id, sizeof(r->subject.item_id), st, 1);
    copy_text(r->subject.title, sizeof(r->subject.title), st, 2);
    copy_text(r->subject.topic, sizeof(r->subject.topic), st, 3);
    copy_text(r->subject.sha256, sizeof(r->subject.sha256), st, 4);
    copy_text(r->subject.playlist_id, sizeof(r->subject.playlist_id), st, 5);
    r->subject.playlist_version = sqlite3_column_int(st, 6);
    copy_text(r->subject.session_id, sizeof(r->subject.session_id), st, 7);
    r->subject.scheduled_at = sqlite3_column_int64(st, 8);
    r->started_at_ms = sqlite3_column_int64(st, 9);  /* NULL reads as 0 */
    r->ended_at_ms = sqlite3_column_int64(st, 10);
    r->duration_ms = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 11);
    const char *status = (const char *)sqlite3_column_text(st, 12);
    if (bt_airing_status_parse(status, &r->status) != 0)
        r->status = BT_AIRING_FAILED;
    copy_text(r->reason, sizeof(r->reason), st, 13);
    r->clock_trusted = sqlite3_column_int(st, 14) != 0;
    copy_text(r->subject.text_sha256, sizeof(r->subject.text_sha256), st, 15);
}

int bt_airing_get(bt_store *s, int64_t airing, bt_airing_row *out)
{
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    if (!db || !out)
        return -1;
    memset(out, 0, sizeof(*out));
    int result = -1;
    if (sqlite3_prepare_v2(db, AIRING_SELECT " WHERE airing = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, airing);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_airing(st, out);
            result = 1;
        } else if (rc == SQLITE_DONE) {
            result = 0;
        }
    }
    if (result < 0)
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc lần phát: %s", bt_store_error(db).text);
    sqlite3_finalize(st);
    return result;
}

int bt_airing_list(bt_store *s, bt_wall from, bt_wall to, bt_airing_row **rows, size_t *count)
{
    *rows = NULL;
    *count = 0;
    sqlite3 *db = bt_store_sqlite(s);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    bt_airing_row *list = NULL;
    size_t n = 0, cap = 0;
    int rc = sqlite3_prepare_v2(db,
                                AIRING_SELECT " WHERE scheduled_at >= ?1 AND scheduled_at < ?2"
                                              " ORDER BY scheduled_at, airing",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        bt_airing_row *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        read_airing(st, &list[n++]);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi liệt kê nhật ký phát thanh: %s",
                     bt_store_error(db).text);
        sqlite3_finalize(st);
        free(list);
        return -1;
    }
    sqlite3_finalize(st);
    *rows = list;
    *count = n;
    return 0;
}

int bt_airing_last_time_ms(bt_store *s, int64_t *out)
{
    static const char sql[] =
        /* The last row that has a time: an end a crash recovery wrote has none (0). */
        "SELECT max(coalesce((SELECT coalesce(nullif(ended_at_ms, 0), started_at_ms,"
        "                                     scheduled_at * 1000) AS t"
        "                     FROM airing_events WHERE t IS NOT NULL"
        "                     ORDER BY seq DESC LIMIT 1), 0),"
        "           coalesce((SELECT detected_at_ms FROM clock_events"
        "                     ORDER BY seq DESC LIMIT 1), 0))";
    sqlite3 *db = bt_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    *out = 0;
    if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int bt_airing_head(bt_store *s, int64_t *seq, char *hash, size_t hash_size)
{
    sqlite3 *db = bt_store_sqlite(s);
    int64_t last, head;
    char last_hash[HASH_HEX + 1];
    *seq = 0;
    snprintf(hash, hash_size, "%s", GENESIS_HASH);
    if (!db || chain_tail(db, &airing_chain, &last, last_hash, &head) != 0)
        return -1;
    *seq = last;
    snprintf(hash, hash_size, "%s", last_hash);
    return 0;
}

int bt_airing_clock_events(bt_store *s, bt_clock_event **events, size_t *count)
{
    *events = NULL;
    *count = 0;
    sqlite3 *db = bt_store_sqlite(s);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    bt_clock_event *list = NULL;
    size_t n = 0, cap = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT seq, detected_at_ms, jump_ms, mono_ns, note"
                                " FROM clock_events ORDER BY seq",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        bt_clock_event *room = bt_grow(list, &cap, n + 1, sizeof *room);
        if (!room) {
            rc = SQLITE_NOMEM;
            break;
        }
        list = room;
        bt_clock_event *e = &list[n++];
        memset(e, 0, sizeof(*e));
        e->seq = sqlite3_column_int64(st, 0);
        e->detected_at_ms = sqlite3_column_int64(st, 1);
        e->jump_ms = sqlite3_column_int64(st, 2);
        e->mono = sqlite3_column_int64(st, 3);
        copy_text(e->note, sizeof(e->note), st, 4);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        bt_log_error("Lỗi cơ sở dữ liệu khi đọc nhật ký đồng hồ: %s", bt_store_error(db).text);
        sqlite3_finalize(st);
        free(list);
        return -1;
    }
    sqlite3_finalize(st);
    *events = list;
    *count = n;
    return 0;
}

/* ---- verifying ----------------------------------------------------------------------------- */

static void add_problem(bt_airing_verify_result *out, const chain *c, int64_t seq,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_problem(bt_airing_verify_result *out, const chain *c, int64_t seq,
                        const char *fmt, ...)
{
    if (out->problem_count < BT_AIRING_MAX_PROBLEMS) {
        bt_airing_problem *p = &out->problems[out->problem_count];
        snprintf(p->table, sizeof(p->table), "%s", c->table);
        p->seq = seq;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->message, sizeof(p->message), fmt, ap);
        va_end(ap);
    }
    out->problem_count++;
}

static const char *chain_label(const chain *c)
{
    return c == &airing_chain ? "Nhật ký phát thanh" : "Nhật ký đồng hồ";
}

/* A few words that let a person find the row: what it records. */
static void describe_row(const chain *c, const value *v, char *buf, size_t size)
{
    if (c != &airing_chain) {
        snprintf(buf, size, "đồng hồ nhảy %+lld giây",
                 (long long)(v[C_JUMP_MS].type == V_INT ? v[C_JUMP_MS].i / 1000 : 0));
        return;
    }
    const char *kind = v[A_KIND].type == V_TEXT ? v[A_KIND].t : "?";
    if (strcmp(kind, "end") == 0) {
        snprintf(buf, size, "kết thúc lần phát #%lld",
                 (long long)(v[A_AIRING].type == V_INT ? v[A_AIRING].i : 0));
        return;
    }
    char date[16] = "?", hhmm[8] = "?";
    if (v[A_SCHEDULED_AT].type == V_INT) {
        bt_time_format_ddmmyyyy(bt_time_day_of(v[A_SCHEDULED_AT].i), date, sizeof(date));
        bt_time_format_hhmm(v[A_SCHEDULED_AT].i, hhmm, sizeof(hhmm));
    }
    snprintf(buf, size, "%s “%s”, phiên “%s”, khung giờ %s %s",
             strcmp(kind, "start") == 0 ? "bắt đầu phát" : "ghi nhận",
             v[A_ITEM_ID].type == V_TEXT ? v[A_ITEM_ID].t : "?",
             v[A_SESSION_ID].type == V_TEXT ? v[A_SESSION_ID].t : "?", hhmm, date);
}

/* The row's columns as stored; len[i] is a text's length in bytes (its byte count, not its
 * strlen, so an edit hiding bytes after a NUL still changes the hash). Read through
 * sqlite3_column_value: one call per column instead of three, each of which takes the
 * connection's mutex — a third of verify's time. Its "unprotected" value is safe here: the
 * connection is verify's own (or, failing that, the store's, which one thread uses at a time). */
static void read_values(sqlite3_stmt *st, const chain *c, value *v, size_t *len)
{
    for (size_t i = 0; i < c->count; i++) {
        sqlite3_value *col = sqlite3_column_value(st, (int)i);
        switch (sqlite3_value_type(col)) {
        case SQLITE_NULL:
            v[i] = v_null();
            break;
        case SQLITE_INTEGER:
            v[i] = v_int(sqlite3_value_int64(col));
            break;
        default:
            /* Text, or anything an editor put there: hashed as its text, never as we wrote it. */
            v[i] = (value){V_TEXT, 0, (const char *)sqlite3_value_text(col)};
            len[i] = (size_t)sqlite3_value_bytes(col);
            if (!v[i].t)
                v[i] = v_null();
            break;
        }
    }
}

/* "dòng #5" or "các dòng #5–#6". */
static void format_range(int64_t first, int64_t last, char *buf, size_t size)
{
    if (last > first)
        snprintf(buf, size, "các dòng #%lld–#%lld", (long long)first, (long long)last);
    else
        snprintf(buf, size, "dòng #%lld", (long long)first);
}

static int verify_head(sqlite3 *db, const chain *c, int64_t last_seq, const char *last_hash,
                       bt_airing_verify_result *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM log_heads WHERE chain = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t head_seq = sqlite3_column_int64(st, 0);
        const char *head_hash = (const char *)sqlite3_column_text(st, 1);
        char range[64];
        format_range(last_seq + 1, head_seq, range, sizeof(range));
        if (head_seq > last_seq)
            add_problem(out, c, last_seq + 1,
                        "%s: %s ở cuối nhật ký đã bị xóa (đầu chuỗi ghi dòng cuối là #%lld, nhưng "
                        "nhật ký chỉ còn đến #%lld).",
                        chain_label(c), range, (long long)head_seq, (long long)last_seq);
        else if (head_seq < last_seq)
            add_problem(out, c, head_seq + 1,
                        "%s: dòng #%lld–#%lld không do bangtin ghi (đầu chuỗi dừng ở #%lld).",
                        chain_label(c), (long long)(head_seq + 1), (long long)last_seq,
                        (long long)head_seq);
        else if (!head_hash || strcmp(head_hash, last_hash) != 0)
            add_problem(out, c, last_seq,
                        "%s: dòng cuối #%lld đã bị thay (mã băm khác với đầu chuỗi).",
                        chain_label(c), (long long)last_seq);
    } else if (rc == SQLITE_DONE) {
        if (last_seq > 0)
            add_problem(out, c, 0, "%s: mất đầu chuỗi nhật ký (bảng log_heads đã bị sửa).",
                        chain_label(c));
    } else {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

/* What a walk along a chain carries from one row to the next: the highest seq seen (0 before the
 * first row) and the stored hash of the last row read, which the next row must link to. */
typedef struct {
    int64_t prev_seq;
    char prev_stored[HASH_HEX + 1];
} walk;

static void walk_link(walk *w, int64_t seq, const char *hash)
{
    /* Stored hashes are 64 characters (schema); a longer one an editor wrote is cut, as before. */
    size_t n = hash ? strnlen(hash, HASH_HEX) : 0;
    memcpy(w->prev_stored, hash ? hash : "", n);
    w->prev_stored[n] = '\0';
    if (seq > w->prev_seq)
        w->prev_seq = seq;
}

/* Checks one row against the walk so far and moves the walk on. */
static void check_row(const chain *c, sqlite3_stmt *st, walk *w, bt_airing_verify_result *out)
{
    value v[MAX_COLUMNS];
    size_t len[MAX_COLUMNS];
    out->rows_checked++;
    read_values(st, c, v, len);
    const char *prev_hash = (const char *)sqlite3_column_text(st, (int)c->count);
    const char *hash = (const char *)sqlite3_column_text(st, (int)c->count + 1);
    int64_t seq = v[0].type == V_INT ? v[0].i : -1;
    int64_t prev_seq = w->prev_seq;
    /* Described only when something is wrong: formatting dates for every row of five years
     * cost more than hashing them. */
    char what[300];

    if (seq != prev_seq + 1) {
        if (seq > prev_seq + 1) {
            char range[64];
            format_range(prev_seq + 1, seq - 1, range, sizeof(range));
            add_problem(out, c, prev_seq + 1, "%s: %s đã bị xóa (giữa dòng #%lld và dòng #%lld).",
                        chain_label(c), range, (long long)prev_seq, (long long)seq);
        } else {
            describe_row(c, v, what, sizeof(what));
            add_problem(out, c, seq, "%s: dòng có số thứ tự sai (%s).", chain_label(c), what);
        }
    } else if (!prev_hash || strcmp(prev_hash, w->prev_stored) != 0) {
        if (prev_seq == 0) {
            describe_row(c, v, what, sizeof(what));
            add_problem(out, c, seq,
                        "%s: dòng đầu #%lld (%s) không nối với đầu chuỗi: các dòng trước "
                        "nó đã bị xóa hoặc nó đã bị thay.",
                        chain_label(c), (long long)seq, what);
        } else {
            add_problem(out, c, prev_seq,
                        "%s: dòng #%lld đã bị thay (mã băm của nó không khớp liên kết ở "
                        "dòng #%lld).",
                        chain_label(c), (long long)prev_seq, (long long)seq);
        }
    }
    char expect[HASH_HEX + 1];
    row_hash(c, prev_hash ? prev_hash : "", v, len, expect);
    if (!hash || strcmp(hash, expect) != 0) {
        describe_row(c, v, what, sizeof(what));
        add_problem(out, c, seq, "%s: dòng #%lld (%s) đã bị sửa: nội dung không khớp mã băm.",
                    chain_label(c), (long long)seq, what);
    }
    walk_link(w, seq, hash);
}

/* Walks the rows of a chain with first <= seq <= last, in seq order, from walk *w. */
static int walk_rows(sqlite3 *db, const chain *c, int64_t first, int64_t last, walk *w,
                     bt_airing_verify_result *out)
{
    char sql[SQL_BYTES];
    size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT ");
    for (size_t i = 0; i < c->count; i++)
        used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s, ", c->columns[i]);
    snprintf(sql + used, sizeof(sql) - used,
             "prev_hash, hash FROM %s WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq", c->table);

    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        bt_log_error("Không đọc được nhật ký %s: %s", c->table, bt_store_error(db).text);
        return -1;
    }
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, last);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        check_row(c, st, w, out);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bt_log_error("Không đọc hết được nhật ký %s: %s", c->table, bt_store_error(db).text);
        return -1;
    }
    return 0;
}

/* Walks rows first..INT64_MAX of a chain from walk *w, then checks its head. */
static int verify_tail(sqlite3 *db, const chain *c, int64_t first, walk *w,
                       bt_airing_verify_result *out)
{
    if (walk_rows(db, c, first, INT64_MAX, w, out) != 0)
        return -1;
    if (verify_head(db, c, w->prev_seq, w->prev_stored, out) != 0) {
        bt_log_error("Không đọc được đầu chuỗi nhật ký %s: %s", c->table, bt_store_error(db).text);
        return -1;
    }
    return 0;
}

/* Verify reads through connections of its own, opened read-only without SQLite's per-call
 * mutex (each is used by one thread): every column read otherwise locks and unlocks the store's
 * shared connection. NULL when one cannot be opened. */
static sqlite3 *open_reader(sqlite3 *db)
{
    const char *file = sqlite3_db_filename(db, "main");
    sqlite3 *r = NULL;
    if (!file || !file[0])
        return NULL;
    if (sqlite3_open_v2(file, &r, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r, READER_BUSY_TIMEOUT_MS);
    return r;
}

/* The airing chain's first half, checked by a second thread on its own connection while the
 * calling thread checks the rest: every row's check needs only its own columns and the stored
 * hash of the row before it, so the halves are independent, and two cores halve the wait for
 * a report. The log is append only, so rows 1..split read the same in both threads' snapshots. */
typedef struct {
    sqlite3 *db;
    int64_t split;
    int rc;
    bt_airing_verify_result result;
} first_half;

static void *first_half_main(void *arg)
{
    first_half *h = arg;
    walk w = {0, GENESIS_HASH};
    h->rc = -1;
    if (bt_store_exec(h->db, "BEGIN", "đọc nhật ký") == 0) {
        h->rc = walk_rows(h->db, &airing_chain, INT64_MIN, h->split, &w, &h->result);
        bt_store_exec(h->db, "COMMIT", "đọc nhật ký");
    }
    return NULL;
}

/* The walk as it stands after every row with seq <= split: the highest seq (at least 0) and the
 * stored hash of the last such row. */
static int walk_after(sqlite3 *db, const chain *c, int64_t split, walk *w)
{
    char sql[SQL_BYTES];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof(sql),
             "SELECT seq, hash FROM %s WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1", c->table);
    *w = (walk){0, GENESIS_HASH};
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, split);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        walk_link(w, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The chain's highest seq (0 when empty) in *seq; -1 when it cannot be read. */
static int last_seq(sqlite3 *db, const chain *c, int64_t *seq)
{
    char sql[SQL_BYTES];
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_ERROR;
    *seq = 0;
    snprintf(sql, sizeof(sql), "SELECT max(seq) FROM %s", c->table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        (rc = sqlite3_step(st)) == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Appends what the second half found to the first half's result, in row order. */
static void merge_results(bt_airing_verify_result *out, const bt_airing_verify_result *more)
{
    for (size_t i = 0; i < more->problem_count && i < BT_AIRING_MAX_PROBLEMS &&
                       out->problem_count + i < BT_AIRING_MAX_PROBLEMS;
         i++)
        out->problems[out->problem_count + i] = more->problems[i];
    out->problem_count += more->problem_count;
    out->rows_checked += more->rows_checked;
}

static int verify_witness(sqlite3 *db, bt_airing_verify_result *out);

/* Both chains on db in one read transaction; the airing chain's rows up to *split by a second
 * thread when helper is a connection for it (the airing chain's rows up to split are then in
 * *half, to be put before what this finds). */
static int verify_all(sqlite3 *db, sqlite3 *helper, first_half *half,
                      bt_airing_verify_result *out)
{
    pthread_t thread;
    bool threaded = false;
    int rc = -1;
    walk w = {0, GENESIS_HASH};
    int64_t first = INT64_MIN;
    if (bt_store_exec(db, "BEGIN", "đọc nhật ký") != 0)
        return -1;
    if (helper) {
        /* Rows are numbered 1, 2, 3 …: the middle number splits the work in two. */
        half->db = helper;
        int64_t last = 0;
        half->split = last_seq(db, &airing_chain, &last) == 0 ? last / 2 : 0;
        if (half->split > 0 && walk_after(db, &airing_chain, half->split, &w) == 0) {
            threaded = pthread_create(&thread, NULL, first_half_main, half) == 0;
            if (!threaded)
                first_half_main(half);
            first = half->split + 1;
        } else {
            w = (walk){0, GENESIS_HASH};
            half->rc = 0;
        }
    }
    if (verify_tail(db, &airing_chain, first, &w, out) == 0) {
        walk cw = {0, GENESIS_HASH};
        rc = verify_tail(db, &clock_chain, INT64_MIN, &cw, out);
    }
    if (rc == 0)
        rc = verify_witness(db, out);
    bt_store_exec(db, "COMMIT", "đọc nhật ký");
    if (threaded)
        pthread_join(thread, NULL);
    return helper && half->rc != 0 ? -1 : rc;
}

/* The airing chain's rows of the airings whose slot lies in [from, to): their first and last
 * seq (0, 0 when there are none). An airing's end row comes after its start, possibly long
 * after; rows of other airings logged between them are walked too. */
static int slot_rows(sqlite3 *db, bt_wall from, bt_wall to, int64_t *first, int64_t *last)
{
    static const char sql[] =
        "WITH p AS (SELECT seq FROM airing_events"
        "           WHERE kind <> 'end' AND scheduled_at >= ?1 AND scheduled_at < ?2)"
        " SELECT (SELECT min(seq) FROM p),"
        "        max(coalesce((SELECT max(seq) FROM p), 0),"
        "            coalesce((SELECT max(seq) FROM airing_events"
        "                      WHERE kind = 'end' AND airing IN p), 0))";
    sqlite3_stmt *st = NULL;
    *first = *last = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int verify_slots_on(sqlite3 *db, bt_wall from, bt_wall to, bt_airing_verify_result *out)
{
    int rc = -1;
    if (bt_store_exec(db, "BEGIN", "đọc nhật ký") != 0)
        return -1;
    walk w, end;
    if (slot_rows(db, from, to, &out->first_seq, &out->last_seq) != 0)
        goto done;
    if (out->first_seq > 0 &&
        (walk_after(db, &airing_chain, out->first_seq - 1, &w) != 0 ||
         walk_rows(db, &airing_chain, out->first_seq, out->last_seq, &w, out) != 0))
        goto done;
    /* The head against the last row as stored: rows cut from the end, or added by hand. */
    if (walk_after(db, &airing_chain, INT64_MAX, &end) != 0 ||
        verify_head(db, &airing_chain, end.prev_seq, end.prev_stored, out) != 0)
        goto done;
    walk cw = {0, GENESIS_HASH};
    rc = verify_tail(db, &clock_chain, INT64_MIN, &cw, out);
    if (rc == 0)
        rc = verify_witness(db, out);
done:
    bt_store_exec(db, "COMMIT", "đọc nhật ký");
    return rc;
}

/* The witness outside the database (witness.c) against the rows inside it: a chain whose
 * witnessed head row is gone or different means the database lost or replaced rows, even when
 * it looks whole on its own (an emptied or older copy). -1 when the rows cannot be read: the
 * check was not made, which is not the same as a log found intact or found cut. */
static int verify_witness_head(sqlite3 *db, const chain *c, const bt_witness_head *h,
                               const char *path, bt_airing_verify_result *out)
{
    int in = bt_witness_in_db(db, c->table, h);
    int64_t last = 0;
    if (in == 1)
        return 0;
    if (in < 0 || last_seq(db, c, &last) != 0) {
        bt_log_error("Không đọc được %s để đối chiếu với tệp đầu chuỗi \"%s\": %s", c->table,
                     path, bt_store_error(db).text);
        return -1;
    }
    if (last < h->seq)
        add_problem(out, c, h->seq,
                    "%s: cơ sở dữ liệu đã mất các dòng đến #%lld — tệp đầu chuỗi \"%s\" ghi dòng "
                    "cuối là #%lld, nhưng cơ sở dữ liệu chỉ còn đến #%lld (bị xóa, cắt ngắn hoặc "
                    "thay bằng bản cũ).",
                    chain_label(c), (long long)h->seq, path, (long long)h->seq, (long long)last);
    else
        add_problem(out, c, h->seq,
                    "%s: dòng #%lld khác với tệp đầu chuỗi \"%s\" — cơ sở dữ liệu đã bị thay.",
                    chain_label(c), (long long)h->seq, path);
    return 0;
}

/* Earlier witnesses set aside because their rows were lost (bt_witness_update): a lost log is
 * reported for good, not only until the next write. */
static void report_lost_witness(void *ctx, const char *file, const bt_witness *w)
{
    add_problem(ctx, &airing_chain, w->airing.seq,
                "%s: một nhật ký trước đây đã mất — tệp \"%s\" ghi dòng cuối #%lld (và %lld "
                "dòng thời gian) mà cơ sở dữ liệu không còn; kiểm tra bản sao lưu.",
                chain_label(&airing_chain), file, (long long)w->airing.seq,
                (long long)w->clock.seq);
}

static int verify_witness(sqlite3 *db, bt_airing_verify_result *out)
{
    char path[BT_MAX_PATH_BYTES + 16];
    bt_witness w;
    if (bt_witness_path(db, path, sizeof path) != 0)
        return 0;
    int rc = bt_witness_read(path, &w);
    if (rc < 0)
        add_problem(out, &airing_chain, 0,
                    "%s: tệp đầu chuỗi \"%s\" không đọc được hoặc đã bị sửa.",
                    chain_label(&airing_chain), path);
    if (rc == 1 && (verify_witness_head(db, &airing_chain, &w.airing, path, out) != 0 ||
                    verify_witness_head(db, &clock_chain, &w.clock, path, out) != 0))
        return -1;
    bt_witness_each_lost(path, report_lost_witness, out);
    return 0;
}

/* One chain of a piece of log (an export, bt_export.h): its rows from the lowest seq on, each
 * linked to the one before and matching its hash; the first row's link is what the piece says
 * it continues from, which only the holder of the earlier rows can check. */
static int verify_piece_chain(sqlite3 *db, const chain *c, bt_airing_verify_result *out)
{
    char sql[SQL_BYTES];
    sqlite3_stmt *st = NULL;
    walk w = {0, GENESIS_HASH};
    snprintf(sql, sizeof sql, "SELECT seq, prev_hash FROM %s ORDER BY seq LIMIT 1", c->table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *prev = (const char *)sqlite3_column_text(st, 1);
        w.prev_seq = sqlite3_column_int64(st, 0) - 1;
        snprintf(w.prev_stored, sizeof w.prev_stored, "%s", prev ? prev : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    return rc == SQLITE_DONE ? 0 : walk_rows(db, c, INT64_MIN, INT64_MAX, &w, out);
}

int bt_airing_verify_piece(sqlite3 *db, bt_airing_verify_result *out)
{
    memset(out, 0, sizeof *out);
    if (verify_piece_chain(db, &airing_chain, out) != 0 ||
        verify_piece_chain(db, &clock_chain, out) != 0)
        return -1;
    return out->problem_count > 0 ? 1 : 0;
}

/* Clears *out and gives the store's connection; NULL when there is nothing to verify with. */
static sqlite3 *verify_begin(bt_store *s, bt_airing_verify_result *out)
{
    if (!out)
        return NULL;
    memset(out, 0, sizeof(*out));
    return bt_store_sqlite(s);
}

int bt_airing_verify_slots(bt_store *s, bt_wall from, bt_wall to, bt_airing_verify_result *out)
{
    sqlite3 *store_db = verify_begin(s, out);
    if (!store_db)
        return -1;
    sqlite3 *reader = open_reader(store_db);
    int rc = verify_slots_on(reader ? reader : store_db, from, to, out);
    sqlite3_close(reader);
    if (rc != 0)
        return -1;
    return out->problem_count > 0 ? 1 : 0;
}

int bt_airing_verify(bt_store *s, bt_airing_verify_result *out)
{
    sqlite3 *store_db = verify_begin(s, out);
    if (!store_db)
        return -1;
    sqlite3 *reader = open_reader(store_db);
    sqlite3 *helper = reader ? open_reader(store_db) : NULL;
    first_half *half = helper ? calloc(1, sizeof(*half)) : NULL;
    if (!half) {
        sqlite3_close(helper);
        helper = NULL;
    }
    bt_airing_verify_result *tail = half ? malloc(sizeof(*tail)) : NULL;
    int rc;
    if (half && tail) {
        memset(tail, 0, sizeof(*tail));
        rc = verify_all(reader, helper, half, tail);
        *out = half->result;
        merge_results(out, tail);
    } else {
        /* No second connection (or memory): all of it here, on whichever connection opened. */
        rc = verify_all(reader ? reader : store_db, NULL, NULL, out);
    }
    free(tail);
    free(half);
    sqlite3_close(helper);
    sqlite3_close(reader);
    out->whole_log = true;
    if (rc != 0)
        return -1;
    return out->problem_count > 0 ? 1 : 0;
}

/* ---- make-ups ------------------------------------------------------------------------------ */

static bool same_slot(const bt_airing_row *a, const bt_airing_row *b)
{
    return a->subject.scheduled_at == b->subject.scheduled_at &&
           strcmp(a->subject.session_id, b->subject.session_id) == 0 &&
           strcmp(a->subject.item_id, b->subject.item_id) == 0;
}

void bt_airing_link_makeups(const bt_airing_row *rows, size_t count, size_t *made_up_by,
                            bool *is_makeup)
{
    for (size_t i = 0; i < count; i++) {
        if (made_up_by)
            made_up_by[i] = SIZE_MAX;
        if (is_makeup)
            is_makeup[i] = false;
    }
    /* Rows of one slot time are neighbours (slot, then id order); a slot's later rows are its
     * retries: the one that completed made the earlier ones up. */
    for (size_t first = 0; first < count;) {
        size_t end = first + 1;
        while (end < count && rows[end].subject.scheduled_at == rows[first].subject.scheduled_at)
            end++;
        for (size_t i = first; i < end; i++) {
            for (size_t j = i + 1; j < end; j++) {
                if (!same_slot(&rows[i], &rows[j]))
                    continue;
                if (is_makeup)
                    is_makeup[j] = true;
                if (made_up_by && rows[i].status != BT_AIRING_COMPLETED &&
                    rows[j].status == BT_AIRING_COMPLETED && made_up_by[i] == SIZE_MAX)
                    made_up_by[i] = j;
            }
        }
        first = end;
    }
}
