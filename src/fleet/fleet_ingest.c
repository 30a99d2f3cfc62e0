/* Enrolling appliances and ingesting their signed exports (docs/export.md, docs/fleet.md).
 *
 * An export is believed only after: its signature over the file's bytes checks against the key
 * the city enrolled for the device it names; every row inside hashes and links (the appliance's
 * own code, bt_export_inspect); it continues what the database holds for that device (its first
 * new row links to the last row ingested, rows it repeats carry the hashes already stored); and
 * its number is not below one already ingested (a replay). Then everything is loaded with COPY
 * into temporary tables and moved in the same transaction, with the device's row locked, so a
 * killed ingest or a refusal leaves nothing behind and two ingests of one device take turns. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_sha256.h"
#include "fleet.h"

/* COPY data is sent in pieces of this size (libpq buffers each). */
#define COPY_CHUNK_BYTES (256 * 1024)

/* ---- enrol --------------------------------------------------------------------------------- */

int fleet_enroll(PGconn *db, const char *ward, const char *pub_path, char *msg, size_t msg_size)
{
    char *text = NULL, err[512], hex[65];
    size_t len = 0;
    bt_device_key key;
    if (bt_export_read_file(pub_path, BT_DEVICE_KEY_FILE_MAX_BYTES, &text, &len, err,
                            sizeof err) != 0) {
        snprintf(msg, msg_size, "%s", err);
        return -1;
    }
    int rc = bt_device_key_parse_public(text, len, &key, err, sizeof err);
    free(text);
    if (rc != 0) {
        snprintf(msg, msg_size, "\"%s\": %s", pub_path, err);
        return -1;
    }
    sodium_bin2hex(hex, sizeof hex, key.public_key, 32);
    const char *p[3] = {key.id, hex, ward};
    PGresult *r = fleet_exec(db, PGRES_TUPLES_OK, err, sizeof err,
                             "INSERT INTO devices (device_id, public_key, ward)"
                             " VALUES ($1, decode($2, 'hex'), $3)"
                             " ON CONFLICT (device_id) DO NOTHING RETURNING device_id",
                             3, p);
    if (!r) {
        snprintf(msg, msg_size, "không đăng ký được máy %s: %s", key.fingerprint, err);
        return -1;
    }
    bool added = PQntuples(r) == 1;
    PQclear(r);
    if (added) {
        snprintf(msg, msg_size, "Đã đăng ký máy %s (dấu vân tay %s) cho %s.", key.id,
                 key.fingerprint, ward);
        return 0;
    }
    r = fleet_exec(db, PGRES_TUPLES_OK, err, sizeof err,
                   "SELECT ward FROM devices WHERE device_id = $1", 1, p);
    bool same = r && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), ward) == 0;
    snprintf(msg, msg_size, same ? "Máy %s (dấu vân tay %s) đã được đăng ký cho %s: không đổi gì."
                                 : "Máy %s (dấu vân tay %s) đã được đăng ký cho %s, không phải "
                                   "cho phường này: kiểm tra lại tệp .pub.",
             key.id, key.fingerprint, r && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "?");
    PQclear(r);
    return same ? 0 : -1;
}

/* ---- COPY ---------------------------------------------------------------------------------- */

/* A test holds an ingest mid-COPY to kill it (tests/fleet): the named file appears once the
 * first piece of rows was sent, then the process waits. */
static void test_stall(void)
{
    const char *flag = getenv("BANGTIN_FLEET_TEST_STALL_COPY");
    if (!flag || !*flag)
        return;
    FILE *f = fopen(flag, "w");
    if (f)
        fclose(f);
    sleep(60);
}

typedef struct {
    const char *temp;     /* temporary table in PostgreSQL */
    const char *like;     /* the table it copies */
    const char *select;   /* the rows from the export, in the temp table's column order */
    const char *columns;  /* the temp table's columns after the device's */
    const char *device;   /* the device's column: device_id (text) or device_no (integer) */
    const char *select_v2; /* NULL, or the select for an export before format 3 */
} copy_spec;

static const copy_spec COPIES[] = {
    {"t_airing", "airing_events",
     "SELECT seq, kind, airing, item_id, title, topic, sha256, playlist_id, playlist_version,"
     " session_id, scheduled_at, started_at_ms, ended_at_ms, duration_ms, status, reason,"
     " clock_trusted, logged_at_ms, text_sha256, prev_hash, hash FROM airing_events ORDER BY seq",
     "seq, kind, airing, item_id, title, topic, sha256, playlist_id, playlist_version,"
     " session_id, scheduled_at, started_at_ms, ended_at_ms, duration_ms, status, reason,"
     " clock_trusted, logged_at_ms, text_sha256, prev_hash, hash", "device_id", NULL},
    {"t_clock", "clock_events",
     "SELECT seq, detected_at_ms, jump_ms, mono_ns, note, logged_at_ms, prev_hash, hash"
     " FROM clock_events ORDER BY seq",
     "seq, detected_at_ms, jump_ms, mono_ns, note, logged_at_ms, prev_hash, hash", "device_id",
     NULL},
    {"t_impressions", "impressions", /* always direct, after its days are cleared */
     "SELECT day, playlist_id, notice_id, trusted, shows, seconds, video_whole, video_cut"
     " FROM impressions",
     "day, playlist_id, notice_id, trusted, shows, seconds, video_whole, video_cut", "device_no",
     /* formats 1 and 2: no video plays (the report says unknown for such a device) */
     "SELECT day, playlist_id, notice_id, trusted, shows, seconds, 0, 0 FROM impressions"},
    {"t_sets", "target_sets",
     "SELECT set_id, playlist_id, playlist_version, in_force_from, recorded_at FROM target_sets",
     "set_id, playlist_id, playlist_version, in_force_from, recorded_at", "device_id", NULL},
    {"t_defs", "target_defs",
     "SELECT set_id, target_id, label, channel, topic, period, minimum, counts, from_day,"
     " until_day FROM target_defs",
     "set_id, target_id, label, channel, topic, period, minimum, counts, from_day, until_day",
     "device_id", NULL},
    {"t_playlists", "playlists",
     "SELECT activation, id, version, title, activated_at FROM playlists",
     "activation, id, version, title, activated_at", "device_id", NULL},
    /* Last: format 2 only (an export of format 1 has no such table). */
    {"t_records", "staff_records",
     "SELECT id, channel, day, title, count, topic, link, note, source, entry_key, corrects,"
     " playlist_id, playlist_version, recorded_at, updated_at FROM staff_records ORDER BY id",
     "id, channel, day, title, count, topic, link, note, source, entry_key, corrects,"
     " playlist_id, playlist_version, recorded_at, updated_at", "device_id", NULL},
};
#define RECORDS_COPY (COPY_COUNT - 1)
#define COPY_COUNT (sizeof COPIES / sizeof COPIES[0])

/* The column types binary COPY writes (pg_type's oids): what the schema's tables hold. */
enum {
    PG_INT8 = 20, PG_INT2 = 21, PG_INT4 = 23, PG_TEXT = 25, PG_FLOAT8 = 701, PG_DATE = 1082
};
/* Days from 1970-01-01 to 2000-01-01, PostgreSQL's day 0 for dates. */
#define PG_DATE_EPOCH_DAYS 10957
#define COPY_MAX_COLUMNS 32

/* The types of table's columns (the device's, then columns…) in that order, asked of the server (the
 * schema's migrations decide them, not this file). 0, or -1 with err. */
static int column_types(PGconn *db, const copy_spec *c, Oid *types, int *n, char *err,
                        size_t err_size)
{
    char cols[1024];
    snprintf(cols, sizeof cols, "%s, %s", c->device, c->columns);
    const char *p[2] = {c->like, cols};
    PGresult *r = fleet_exec(db, PGRES_TUPLES_OK, err, err_size,
                             "SELECT a.atttypid FROM unnest(string_to_array($2, ','))"
                             " WITH ORDINALITY AS c(name, i) JOIN pg_attribute a"
                             " ON a.attrelid = $1::regclass AND a.attname = btrim(c.name)"
                             " ORDER BY c.i", 2, p);
    if (!r)
        return -1;
    *n = PQntuples(r);
    for (int i = 0; i < *n && i < COPY_MAX_COLUMNS; i++) {
        types[i] = (Oid)strtoul(PQgetvalue(r, i, 0), NULL, 10);
        if (types[i] != PG_INT8 && types[i] != PG_INT2 && types[i] != PG_INT4 &&
            types[i] != PG_TEXT && types[i] != PG_FLOAT8 && types[i] != PG_DATE)
            *n = -1;
    }
    PQclear(r);
    if (*n < 2 || *n > COPY_MAX_COLUMNS) {
        snprintf(err, err_size, "bảng %s có cột lạ (cơ sở dữ liệu không khớp phiên bản "
                 "bangtin-fleet này)", c->like);
        return -1;
    }
    return 0;
}

static void put_be(bt_buf *b, uint64_t v, int bytes)
{
    unsigned char o[8];
    for (int i = 0; i < bytes; i++)
        o[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    bt_buf_add(b, o, (size_t)bytes);
}

/* One field of binary COPY (length, then the value in network order) from column col of the
 * export's row, as type. -1 when the export holds something the column cannot take (the text
 * format's COPY refused those too). */
static int copy_field(bt_buf *b, sqlite3_stmt *st, int col, Oid type)
{
    int kind = sqlite3_column_type(st, col);
    if (kind == SQLITE_NULL) {
        put_be(b, 0xFFFFFFFFu, 4);
        return 0;
    }
    switch (type) {
    case PG_INT8:
    case PG_INT4:
    case PG_INT2: {
        if (kind != SQLITE_INTEGER)
            return -1;
        int64_t v = sqlite3_column_int64(st, col);
        int bytes = type == PG_INT8 ? 8 : type == PG_INT4 ? 4 : 2;
        if (bytes < 8 && (v < -(INT64_C(1) << (8 * bytes - 1)) ||
                          v >= (INT64_C(1) << (8 * bytes - 1))))
            return -1;
        put_be(b, (uint64_t)bytes, 4);
        put_be(b, (uint64_t)v, bytes);
        return 0;
    }
    case PG_FLOAT8: {
        if (kind != SQLITE_INTEGER && kind != SQLITE_FLOAT)
            return -1;
        double d = sqlite3_column_double(st, col);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        put_be(b, 8, 4);
        put_be(b, bits, 8);
        return 0;
    }
    case PG_DATE: {
        bt_day day;
        const char *t = (const char *)sqlite3_column_text(st, col);
        if (!t || strlen(t) != 10 || t[4] != '-' || bt_time_parse_date(t, &day) != 0)
            return -1;
        put_be(b, 4, 4);
        put_be(b, (uint64_t)(int64_t)(day - PG_DATE_EPOCH_DAYS), 4);
        return 0;
    }
    default: { /* text: PostgreSQL's holds no NUL; the hash already covered the bytes */
        const unsigned char *t = sqlite3_column_text(st, col);
        int n = sqlite3_column_bytes(st, col);
        if (!t)
            return -1;
        if (!memchr(t, 0, (size_t)n)) {
            put_be(b, (uint64_t)n, 4);
            bt_buf_add(b, t, (size_t)n);
            return 0;
        }
        size_t at = b->len, kept = 0;
        put_be(b, 0, 4);
        for (int i = 0; i < n; i++)
            if (t[i]) {
                bt_buf_add(b, &t[i], 1);
                kept++;
            }
        if (!b->failed)
            for (int i = 0; i < 4; i++)
                b->data[at + (size_t)i] = (char)(kept >> (8 * (3 - i)));
        return 0;
    }
    }
}

/* The rows gathered so far to the server; the buffer is emptied. The test's stall comes after
 * the first piece. */
static int send_piece(PGconn *db, bt_buf *b, bool *stall)
{
    if (b->len && PQputCopyData(db, b->data, (int)b->len) != 1)
        return -1;
    b->len = 0;
    if (*stall) {
        *stall = false;
        test_stall();
    }
    return 0;
}

/* The export's rows of one table into its temporary table, or, when direct, straight into the
 * table itself (rows that are all new: no second write), in COPY's binary format: no number or
 * date is printed here and parsed again there. Sent in pieces as they are read, so the server
 * works while the next piece is read. *rows: how many. */
static int copy_table(PGconn *db, sqlite3 *x, const copy_spec *c, const char *device,
                      int32_t device_no, int export_version, bool direct, int64_t *rows,
                      char *err, size_t err_size)
{
    char sql[1024], why[512];
    Oid types[COPY_MAX_COLUMNS];
    int ntypes = 0;
    if (column_types(db, c, types, &ntypes, err, err_size) != 0)
        return -1;
    if (direct)
        snprintf(sql, sizeof sql, "COPY %s (%s, %s) FROM STDIN WITH (FORMAT binary)",
                 c->like, c->device, c->columns);
    else
        snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP; COPY %s "
                 "(%s, %s) FROM STDIN WITH (FORMAT binary)", c->temp, c->like, c->temp,
                 c->device, c->columns);
    PGresult *r = PQexec(db, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        PQclear(r);
        snprintf(err, err_size, "không chép được vào bảng %s: %s", c->like,
                 fleet_pg_error(db, why, sizeof why));
        return -1;
    }
    PQclear(r);
    sqlite3_stmt *st = NULL;
    bt_buf b = {0};
    bool stall = strcmp(c->temp, "t_airing") == 0;
    const char *select = c->select_v2 && export_version < 3 ? c->select_v2 : c->select;
    int rc = sqlite3_prepare_v2(x, select, -1, &st, NULL) == SQLITE_OK ? 0 : -1;
    if (rc == 0 && (sqlite3_column_count(st) != ntypes - 1 ||
                    (types[0] != PG_TEXT && types[0] != PG_INT4)))
        rc = -1;
    static const char header[19] = "PGCOPY\n\377\r\n";  /* + flags and extension: zeros */
    bt_buf_add(&b, header, sizeof header);
    size_t device_len = strlen(device);
    int64_t row = 0, bad_row = 0;
    const char *bad_column = NULL;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        row++;
        put_be(&b, (uint64_t)ntypes, 2);
        if (types[0] == PG_INT4) {
            put_be(&b, 4, 4);
            put_be(&b, (uint64_t)(uint32_t)device_no, 4);
        } else {
            put_be(&b, device_len, 4);
            bt_buf_add(&b, device, device_len);
        }
        for (int i = 0; i < ntypes - 1; i++)
            if (copy_field(&b, st, i, types[i + 1]) != 0) {
                bad_row = row;
                bad_column = sqlite3_column_name(st, i);
                rc = -1;
                break;
            }
        if (rc == 0 && b.len >= COPY_CHUNK_BYTES && !b.failed && send_piece(db, &b, &stall) != 0)
            rc = -2;
    }
    if (rc == 0)
        put_be(&b, 0xFFFF, 2);
    if (rc == -1 || b.failed) {
        PQputCopyEnd(db, "export unreadable");
        if (bad_column)
            snprintf(err, err_size, "bảng %s trong tệp xuất, dòng thứ %" PRId64 ": cột %s không "
                     "đúng kiểu", c->like, bad_row, bad_column);
        else
            snprintf(err, err_size, "không đọc được bảng %s trong tệp xuất", c->like);
        rc = -1;
    } else if (rc != 0 || send_piece(db, &b, &stall) != 0 || PQputCopyEnd(db, NULL) != 1) {
        rc = -2;
    }
    sqlite3_finalize(st);
    free(b.data);
    r = PQgetResult(db);
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
        *rows = strtoll(PQcmdTuples(r), NULL, 10);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && rc != -1) {
        snprintf(err, err_size, "COPY vào bảng %s thất bại: %s", c->like,
                 fleet_pg_error(db, why, sizeof why));
        rc = -1;
    }
    PQclear(r);
    while ((r = PQgetResult(db)) != NULL)
        PQclear(r);
    return rc == 0 ? 0 : -1;
}

/* ---- checks -------------------------------------------------------------------------------- */

typedef struct {
    const char *path;
    char device[BT_DEVICE_ID_SIZE];
    char ward[BT_MAX_TITLE_BYTES + 1];
    char *msg;
    size_t msg_size;
} ingest_ctx;

/* "Máy <id> (<ward>), tệp "<path>": <what>" into the message. */
static void say(ingest_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(ingest_ctx *c, const char *fmt, ...)
{
    char what[FLEET_ERR_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (c->device[0])
        snprintf(c->msg, c->msg_size, "Máy %s (%s), tệp \"%s\": %s", c->device,
                 c->ward[0] ? c->ward : "chưa đăng ký", c->path, what);
    else
        snprintf(c->msg, c->msg_size, "Tệp \"%s\": %s", c->path, what);
}

/* One chain of the export against what the database holds for the device: seq and hash of the
 * last row ingested (last, last_hash). 0 or -1 with the refusal said. */
static int check_continuity(ingest_ctx *c, const char *label, int64_t first, int64_t last_in,
                            const char *prev, int64_t head, const char *head_hash, int64_t last,
                            const char *last_hash)
{
    if (first == 0) {
        if (head < last) {
            say(c, "%s trên máy chỉ đến dòng #%" PRId64 " nhưng thành phố đã nạp đến dòng #%"
                   PRId64 ": nhật ký trên máy đã bị cắt hoặc thay. Từ chối.", label, head, last);
            return -1;
        }
        if (head > last) {
            say(c, "thiếu %s các dòng #%" PRId64 "–#%" PRId64 " (bản xuất trước chưa được nạp). "
                   "Nạp bản xuất còn thiếu trước, hoặc xin phường chạy \"bangtin export --from "
                   "… --to … -o TỆP\".", label, last + 1, head);
            return -1;
        }
        if (strcmp(head_hash, last_hash) != 0) {
            say(c, "%s: dòng #%" PRId64 " trên máy khác dòng thành phố đã nạp: nhật ký đã bị "
                   "thay. Từ chối.", label, last);
            return -1;
        }
        return 0;
    }
    if (first > last + 1) {
        say(c, "thiếu %s các dòng #%" PRId64 "–#%" PRId64 " giữa lần nạp trước và tệp này "
               "(tệp bắt đầu ở dòng #%" PRId64 "). Nạp bản xuất còn thiếu trước, hoặc xin phường "
               "chạy \"bangtin export --from … --to … -o TỆP\".",
            label, last + 1, first - 1, first);
        return -1;
    }
    if (first == last + 1 && strcmp(prev, last_hash) != 0) {
        say(c, "%s: dòng #%" PRId64 " không nối với dòng #%" PRId64 " thành phố đã nạp (mã băm "
               "khác): nhật ký trên máy đã bị thay. Từ chối.", label, first, last);
        return -1;
    }
    (void)last_in;
    return 0;
}

static void record_refusal(PGconn *db, const ingest_ctx *c)
{
    char err[256];
    const char *p[3] = {c->device[0] ? c->device : NULL, c->path, c->msg};
    PQclear(fleet_exec(db, PGRES_COMMAND_OK, err, sizeof err,
                       "INSERT INTO refusals (device_id, file, message) VALUES ($1, $2, $3)", 3,
                       p));
}

/* The signature, then the rows inside (into *meta). The verified bytes are what is inspected:
 * written to a temporary file of our own, never read twice from where they came. */
static fleet_ingest_outcome check_file(PGconn *db, ingest_ctx *c, const char *data, size_t len,
                                       const char *sig, size_t sig_len, char *tmp,
                                       bt_export_meta *meta)
{
    char err[FLEET_ERR_BYTES], named[BT_DEVICE_ID_SIZE], hex[65];
    unsigned char key[32];
    size_t bin = 0;
    if (bt_device_key_signature_id(sig, sig_len, c->device) != 0) {
        c->device[0] = '\0';
        say(c, "tệp chữ ký \"%s.sig\" không đúng dạng. Chép lại cả hai tệp từ USB.", c->path);
        return FLEET_INGEST_REFUSED;
    }
    const char *p[1] = {c->device};
    PGresult *r = fleet_exec(db, PGRES_TUPLES_OK, err, sizeof err,
                             "SELECT encode(public_key, 'hex'), ward FROM devices"
                             " WHERE device_id = $1", 1, p);
    if (!r) {
        say(c, "%s", err);
        return FLEET_INGEST_FAILED;
    }
    if (PQntuples(r) != 1) {
        PQclear(r);
        say(c, "khoá của máy này chưa được đăng ký (khoá lạ). Đăng ký bằng \"bangtin-fleet enroll "
               "--ward … khoa-thiet-bi-%s.pub\" sau khi đối chiếu dấu vân tay với phường.",
            c->device);
        return FLEET_INGEST_REFUSED;
    }
    snprintf(hex, sizeof hex, "%s", PQgetvalue(r, 0, 0));
    snprintf(c->ward, sizeof c->ward, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    sodium_hex2bin(key, sizeof key, hex, strlen(hex), NULL, &bin, NULL);
    int fd = mkstemp(tmp);
    bool written = fd >= 0 && write(fd, data, len) == (ssize_t)len;
    if (fd >= 0)
        close(fd);
    if (!written) {
        say(c, "không ghi được tệp tạm \"%s\": %s", tmp, strerror(errno));
        return FLEET_INGEST_FAILED;
    }
    bt_airing_verify_result *check = malloc(sizeof *check);
    if (!check) {
        say(c, "không đủ bộ nhớ");
        return FLEET_INGEST_FAILED;
    }
    int inspected = bt_export_inspect(tmp, meta, check, err, sizeof err);
    fleet_ingest_outcome out = FLEET_INGEST_REFUSED;
    char sig_err[512];
    if (bt_device_key_verify(key, data, len, sig, sig_len, named, sig_err, sizeof sig_err) != 0) {
        /* Name the row when the inside shows which one was touched. */
        if (inspected == 1)
            say(c, "%s; %s. Từ chối: không nạp gì.", sig_err, check->problems[0].message);
        else
            say(c, "%s. Từ chối: không nạp gì.", sig_err);
    } else if (inspected < 0) {
        say(c, "%s", err);
    } else if (inspected == 1) {
        say(c, "%s (%zu vấn đề). Từ chối: không nạp gì.", check->problems[0].message,
            check->problem_count);
    } else if (strcmp(meta->device_id, c->device) != 0 ||
               sodium_memcmp(meta->public_key, key, 32) != 0) {
        say(c, "tệp ghi máy %s, khác máy đã ký nó. Từ chối.", meta->device_id);
    } else {
        out = FLEET_INGEST_LOADED;
    }
    free(check);
    return out;
}

/* ---- loading ------------------------------------------------------------------------------- */

typedef struct {
    int64_t airing_seq, clock_seq, last_export_no;
    char airing_hash[65], clock_hash[65];
    int32_t device_no; /* the screen rows' key (schema step 5) */
} device_state;

static int lock_device(PGconn *db, ingest_ctx *c, device_state *d)
{
    char err[FLEET_ERR_BYTES];
    const char *p[1] = {c->device};
    PGresult *r = fleet_exec(db, PGRES_TUPLES_OK, err, sizeof err,
                             "SELECT airing_seq, airing_hash, clock_seq, clock_hash, last_export_no,"
                             " device_no FROM devices WHERE device_id = $1 FOR UPDATE", 1, p);
    if (!r || PQntuples(r) != 1) {
        say(c, "%s", r ? "máy vừa bị xoá khỏi danh sách" : err);
        PQclear(r);
        return -1;
    }
    d->airing_seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    snprintf(d->airing_hash, sizeof d->airing_hash, "%s", PQgetvalue(r, 0, 1));
    d->clock_seq = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
    snprintf(d->clock_hash, sizeof d->clock_hash, "%s", PQgetvalue(r, 0, 3));
    d->last_export_no = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
    d->device_no = (int32_t)strtol(PQgetvalue(r, 0, 5), NULL, 10);
    PQclear(r);
    return 0;
}

/* A statement with the device id as $1 and one more text parameter (each if it uses them): the
 * first column of its first row (-1 when none), or the rows it changed. */
static int64_t run2(PGconn *db, ingest_ctx *c, const char *sql, const char *arg, int *failed)
{
    char err[FLEET_ERR_BYTES];
    const char *p[2] = {c->device, arg};
    /* PostgreSQL refuses a parameter the statement does not use. */
    int n_params = strstr(sql, "$2") ? 2 : strstr(sql, "$1") ? 1 : 0;
    PGresult *r = PQexecParams(db, sql, n_params, NULL, p, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    int64_t n = 0;
    if (s == PGRES_TUPLES_OK)
        n = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    else if (s == PGRES_COMMAND_OK)
        n = strtoll(PQcmdTuples(r), NULL, 10);
    else {
        say(c, "lỗi cơ sở dữ liệu: %s", fleet_pg_error(db, err, sizeof err));
        *failed = 1;
    }
    PQclear(r);
    return n;
}

/* A statement whose result is not needed: 0, or -1 with the database's error said. */
static int exec_said(PGconn *db, ingest_ctx *c, ExecStatusType want, const char *sql, int n,
                     const char *const *params)
{
    char err[FLEET_ERR_BYTES];
    PGresult *r = fleet_exec(db, want, err, sizeof err, sql, n, params);
    if (!r) {
        say(c, "%s", err);
        return -1;
    }
    PQclear(r);
    return 0;
}

/* Inside the transaction, after the checks of the meta: rows it repeats must match, then the
 * new rows, the day totals, targets and labels go in and the device moves on. */
static fleet_ingest_outcome load(PGconn *db, ingest_ctx *c, const bt_export_meta *m,
                                 const device_state *d, const char *sha, const char *tmp,
                                 fleet_ingest_counts *counts)
{
    char err[FLEET_ERR_BYTES], a_seq[24], c_seq[24];
    sqlite3 *x = NULL;
    /* One thread reads it: without SQLite's mutex around every column read (8 % of ingest's
     * own CPU in perf). */
    if (sqlite3_open_v2(tmp, &x, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_close(x);
        say(c, "không mở lại được tệp xuất");
        return FLEET_INGEST_FAILED;
    }
    /* A piece that only continues what is held (the usual case) goes straight into the log's
     * tables; one that repeats rows goes through temporary tables and is compared first. The
     * screen's day totals replace those of the same days: an export carries whole days. */
    bool append_airing = m->airing_first == 0 || m->airing_first == d->airing_seq + 1;
    bool append_clock = m->clock_first == 0 || m->clock_first == d->clock_seq + 1;
    char first_day[16] = "", last_day[16] = "";
    sqlite3_stmt *days = NULL;
    if (sqlite3_prepare_v2(x, "SELECT min(day), max(day) FROM impressions", -1, &days, NULL) ==
            SQLITE_OK &&
        sqlite3_step(days) == SQLITE_ROW && sqlite3_column_type(days, 0) != SQLITE_NULL) {
        snprintf(first_day, sizeof first_day, "%s", (const char *)sqlite3_column_text(days, 0));
        snprintf(last_day, sizeof last_day, "%s", (const char *)sqlite3_column_text(days, 1));
    }
    sqlite3_finalize(days);
    int failed = 0;
    if (first_day[0]) {
        const char *p[3] = {c->device, first_day, last_day};
        PGresult *r = fleet_exec(db, PGRES_COMMAND_OK, err, sizeof err,
                                 "DELETE FROM impressions WHERE device_no = (SELECT device_no"
                                 " FROM devices WHERE device_id = $1)"
                                 " AND day BETWEEN $2::date AND $3::date", 3, p);
        failed = !r;
        PQclear(r);
    }
    const bool direct[COPY_COUNT] = {append_airing, append_clock, true, false, false, false,
                                     false};
    int64_t *copied[COPY_COUNT] = {&counts->airing_rows, &counts->clock_rows,
                                   &counts->impression_rows, NULL, NULL, NULL, NULL};
    const bool has_records = m->version >= 2;
    for (size_t i = 0; i < COPY_COUNT && !failed; i++) {
        if (i == RECORDS_COPY && !has_records)
            continue;
        int64_t rows = 0;
        if (copy_table(db, x, &COPIES[i], c->device, d->device_no, m->version, direct[i], &rows,
                       err, sizeof err) != 0) {
            sqlite3_close(x);
            say(c, "%s", err);
            return FLEET_INGEST_FAILED;
        }
        if (copied[i] && direct[i])
            *copied[i] = rows;
    }
    sqlite3_close(x);
    if (failed) {
        say(c, "%s", err);
        return FLEET_INGEST_FAILED;
    }
    snprintf(a_seq, sizeof a_seq, "%" PRId64, d->airing_seq);
    snprintf(c_seq, sizeof c_seq, "%" PRId64, d->clock_seq);
    int64_t edited = append_airing ? 0
                     : run2(db, c, "SELECT t.seq FROM t_airing t JOIN airing_events a"
                                   " ON a.device_id = $1 AND a.seq = t.seq"
                                   " WHERE a.hash <> t.hash ORDER BY t.seq LIMIT 1", NULL,
                            &failed);
    if (!failed && edited > 0) {
        say(c, "nhật ký phát thanh dòng #%" PRId64 " khác dòng cùng số thành phố đã nạp: một trong "
               "hai đã bị sửa. Từ chối: không nạp gì.", edited);
        return FLEET_INGEST_REFUSED;
    }
    edited = failed || append_clock ? 0
             : run2(db, c, "SELECT t.seq FROM t_clock t JOIN clock_events a"
                           " ON a.device_id = $1 AND a.seq = t.seq"
                           " WHERE a.hash <> t.hash ORDER BY t.seq LIMIT 1", NULL, &failed);
    if (!failed && edited > 0) {
        say(c, "nhật ký đồng hồ dòng #%" PRId64 " khác dòng cùng số thành phố đã nạp. Từ chối: "
               "không nạp gì.", edited);
        return FLEET_INGEST_REFUSED;
    }
    if (!failed && !append_airing)
        counts->airing_rows = run2(db, c, "INSERT INTO airing_events SELECT * FROM t_airing"
                                          " WHERE device_id = $1 AND seq > $2::bigint", a_seq,
                                   &failed);
    if (!failed && !append_clock)
        counts->clock_rows = run2(db, c, "INSERT INTO clock_events SELECT * FROM t_clock"
                                         " WHERE device_id = $1 AND seq > $2::bigint", c_seq,
                                  &failed);
    /* A staff record the city holds may only have had what the appliance lets change: a
     * playlist's record its topic, link, note and playlist (updated_at moves on). Anything
     * else differing is an edited row, as in the logs. */
    edited = failed || !has_records
                 ? 0
                 : run2(db, c, "SELECT t.id FROM t_records t JOIN staff_records r"
                               " ON r.device_id = $1 AND r.id = t.id"
                               " WHERE (r.channel, r.day, r.title, r.count, r.source, r.entry_key,"
                               "  r.corrects, r.recorded_at) IS DISTINCT FROM (t.channel, t.day,"
                               "  t.title, t.count, t.source, t.entry_key, t.corrects,"
                               "  t.recorded_at) ORDER BY t.id LIMIT 1", NULL, &failed);
    if (!failed && edited > 0) {
        say(c, "tin bài do cán bộ ghi nhận số #%" PRId64 " khác bản thành phố đã nhận (kênh, "
               "ngày, tiêu đề hoặc số lượng đã bị sửa). Từ chối: không nạp gì.", edited);
        return FLEET_INGEST_REFUSED;
    }
    static const char *const others[] = {
        "INSERT INTO target_sets SELECT * FROM t_sets ON CONFLICT DO NOTHING",
        "INSERT INTO target_defs SELECT * FROM t_defs ON CONFLICT DO NOTHING",
        "INSERT INTO playlists SELECT * FROM t_playlists ON CONFLICT DO NOTHING",
        "INSERT INTO staff_records SELECT * FROM t_records ON CONFLICT (device_id, id) DO UPDATE"
        " SET topic = EXCLUDED.topic, link = EXCLUDED.link, note = EXCLUDED.note,"
        "  playlist_id = EXCLUDED.playlist_id, playlist_version = EXCLUDED.playlist_version,"
        "  updated_at = EXCLUDED.updated_at"
        " WHERE EXCLUDED.updated_at > staff_records.updated_at"};
    for (size_t i = 0; i < (has_records ? 4u : 3u) && !failed; i++)
        counts->other_rows += run2(db, c, others[i], NULL, &failed);
    if (failed)
        return FLEET_INGEST_FAILED;
    /* The report's summaries, from the first day these rows touched: the day of each new
     * airing, of the airing each new 'end' row closes, and the first day of screen totals. */
    const char *rp[3] = {c->device, a_seq, first_day[0] ? first_day : NULL};
    if (exec_said(
            db, c, PGRES_TUPLES_OK,
        /* The new rows by the key's range, each 'end' row's start by the key: a join here
         * was planned, before any ANALYZE of the new rows, as a scan of the device's rows per
         * new row (minutes for a five-year export). */
        "WITH x AS MATERIALIZED (SELECT LEAST($3::date, fleet_day(min(CASE WHEN n.kind = 'end'"
        "   THEN (SELECT s.scheduled_at FROM airing_events s"
        "         WHERE s.device_id = $1 AND s.seq = n.airing)"
        "   ELSE n.scheduled_at END))) AS d"
        "  FROM airing_events n WHERE n.device_id = $1 AND n.seq > $2::bigint)"
        " SELECT fleet_refresh($1, d) FROM x WHERE d IS NOT NULL",
            3, rp) != 0)
        return FLEET_INGEST_FAILED;
    char no[24], created[24], head[24], added[24], first[24], last[24];
    snprintf(no, sizeof no, "%" PRId64, m->export_no);
    snprintf(created, sizeof created, "%" PRId64, m->created_at);
    snprintf(head, sizeof head, "%" PRId64, m->airing_head);
    snprintf(added, sizeof added, "%" PRId64,
             counts->airing_rows + counts->clock_rows + counts->impression_rows + counts->other_rows);
    snprintf(first, sizeof first, "%" PRId64, m->airing_first);
    snprintf(last, sizeof last, "%" PRId64, m->airing_last);
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *p[9] = {c->device, no, created, head, sha, added, first, last, version};
    return exec_said(
        db, c, PGRES_COMMAND_OK,
        "WITH a AS (SELECT seq, hash FROM airing_events WHERE device_id = $1"
        "           ORDER BY seq DESC LIMIT 1),"
        " k AS (SELECT seq, hash FROM clock_events WHERE device_id = $1"
        "           ORDER BY seq DESC LIMIT 1),"
        " e AS (INSERT INTO exports (device_id, export_no, sha256, created_at, airing_first,"
        "           airing_last, rows_added)"
        "       VALUES ($1, $2::bigint, $5, to_timestamp($3::bigint), $7::bigint, $8::bigint,"
        "           $6::bigint))"
        " UPDATE devices SET"
        "  airing_seq = COALESCE((SELECT seq FROM a), 0),"
        "  airing_hash = COALESCE((SELECT hash FROM a), repeat('0', 64)),"
        "  clock_seq = COALESCE((SELECT seq FROM k), 0),"
        "  clock_hash = COALESCE((SELECT hash FROM k), repeat('0', 64)),"
        "  last_export_no = $2::bigint, last_export_at = to_timestamp($3::bigint),"
        "  last_ingest_at = now(), appliance_head = $4::bigint,"
        "  export_version = GREATEST(export_version, $9::integer)"
        " WHERE device_id = $1",
        9, p) == 0 ? FLEET_INGEST_LOADED : FLEET_INGEST_FAILED;
}

static fleet_ingest_outcome ingest_locked(PGconn *db, ingest_ctx *c, const bt_export_meta *m,
                                          const char *sha, const char *tmp,
                                          fleet_ingest_counts *counts)
{
    device_state d;
    if (lock_device(db, c, &d) != 0)
        return FLEET_INGEST_FAILED;
    int failed = 0;
    int64_t seen = run2(db, c, "SELECT export_no FROM exports WHERE device_id = $1 AND sha256 = $2",
                        sha, &failed);
    if (failed)
        return FLEET_INGEST_FAILED;
    if (seen > 0) {
        say(c, "bản xuất số %" PRId64 " này đã được nạp trước đây: không thêm gì.", seen);
        return FLEET_INGEST_NOTHING;
    }
    if (m->export_no <= d.last_export_no) {
        say(c, "bản xuất số %" PRId64 " cũ hơn bản số %" PRId64 " đã nạp (gửi lại bản cũ). Từ "
               "chối: không nạp gì. Xin phường bản xuất mới (\"bangtin export\").",
            m->export_no, d.last_export_no);
        return FLEET_INGEST_REFUSED;
    }
    if (check_continuity(c, "nhật ký phát thanh", m->airing_first, m->airing_last,
                         m->airing_prev_hash, m->airing_head, m->airing_head_hash, d.airing_seq,
                         d.airing_hash) != 0 ||
        check_continuity(c, "nhật ký đồng hồ", m->clock_first, m->clock_last, m->clock_prev_hash,
                         m->clock_head, m->clock_head_hash, d.clock_seq, d.clock_hash) != 0)
        return FLEET_INGEST_REFUSED;
    fleet_ingest_outcome out = load(db, c, m, &d, sha, tmp, counts);
    if (out == FLEET_INGEST_LOADED)
        say(c, "đã nạp bản xuất số %" PRId64 ": %" PRId64 " dòng nhật ký phát thanh, %" PRId64
               " sự kiện đồng hồ, %" PRId64 " dòng số liệu màn hình mới hoặc cập nhật.",
            m->export_no, counts->airing_rows, counts->clock_rows, counts->impression_rows);
    return out;
}

fleet_ingest_outcome fleet_ingest(PGconn *db, const char *path, fleet_ingest_counts *counts,
                                  char *msg, size_t msg_size)
{
    ingest_ctx c = {.path = path, .msg = msg, .msg_size = msg_size};
    char *data = NULL, *sig = NULL, sig_path[BT_MAX_PATH_BYTES + 8], err[FLEET_ERR_BYTES];
    char sha[BT_SHA256_HEX_SIZE];
    size_t len = 0, sig_len = 0;
    bt_export_meta meta;
    fleet_ingest_outcome out = FLEET_INGEST_FAILED;
    memset(counts, 0, sizeof *counts);
    const char *tmpdir = getenv("TMPDIR");
    char tmp_path[BT_MAX_PATH_BYTES];
    snprintf(tmp_path, sizeof tmp_path, "%s/bangtin-fleet-XXXXXX",
             tmpdir && *tmpdir ? tmpdir : "/tmp");
    snprintf(sig_path, sizeof sig_path, "%s.sig", path);
    if (bt_export_read_file(path, BT_EXPORT_MAX_BYTES, &data, &len, err, sizeof err) != 0 ||
        bt_export_read_file(sig_path, BT_DEVICE_KEY_FILE_MAX_BYTES, &sig, &sig_len, err,
                            sizeof err) != 0) {
        say(&c, "%s. Cần cả tệp xuất và tệp chữ ký .sig bên cạnh.", err);
        out = FLEET_INGEST_REFUSED;
        goto done;
    }
    out = check_file(db, &c, data, len, sig, sig_len, tmp_path, &meta);
    if (out != FLEET_INGEST_LOADED)
        goto done;
    bt_sha256_hex(data, len, sha);
    PGresult *r = PQexec(db, "BEGIN");
    bool begun = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    out = begun ? ingest_locked(db, &c, &meta, sha, tmp_path, counts) : FLEET_INGEST_FAILED;
    if (!begun)
        say(&c, "lỗi cơ sở dữ liệu: %s", fleet_pg_error(db, err, sizeof err));
    if (out == FLEET_INGEST_LOADED) {
        r = PQexec(db, "COMMIT");
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            say(&c, "không ghi được (COMMIT): %s. Không nạp gì; nạp lại tệp này.",
                fleet_pg_error(db, err, sizeof err));
            out = FLEET_INGEST_FAILED;
        }
        PQclear(r);
    } else if (begun) {
        PQclear(PQexec(db, "ROLLBACK"));
    }
done:
    if (out == FLEET_INGEST_REFUSED)
        record_refusal(db, &c);
    if (strstr(tmp_path, "XXXXXX") == NULL)
        unlink(tmp_path);
    free(data);
    free(sig);
    return out;
}
