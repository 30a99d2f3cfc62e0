/* The city's report (`bangtin-fleet report`) and `status`. Each section is one query over every
 * ward's ingested rows, turned into a plain table of text (what a person reads: Vietnamese
 * words, decimal commas), then written as CSV for a Vietnamese-locale Excel (BOM, ';', as the
 * appliance's report_csv.c), printable HTML, or XLSX (libxlsxwriter, one sheet per section).
 *
 * A target's progress counts the report's period: loudspeaker targets from the completed
 * airings whose topics include the target's (airings, distinct items or minutes), screen
 * targets from the distinct notices shown (or the minutes on screen) on trusted days; channels the appliance cannot
 * observe count what staff recorded (export format 2), marked "do cán bộ ghi nhận". "Nguy cơ" when the
 * progress is behind the share of the period already gone. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "bangtin/bt_buf.h"
#include "fleet.h"

#define MAX_COLUMNS 14
#define MAX_TABLES 6

typedef struct {
    const char *title;
    const char *header[MAX_COLUMNS];
    size_t cols, rows, cap;
    char **cells;          /* rows × cols, malloc'd */
} table;

typedef struct {
    table t[MAX_TABLES];
    size_t count;
    char heading[512];
} report;

static void add_row(table *t, const char *const *values)
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **grown = realloc(t->cells, cap * t->cols * sizeof *grown);
        if (!grown)
            return;
        t->cells = grown;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->cols; c++)
        t->cells[t->rows * t->cols + c] = strdup(values[c] ? values[c] : "");
    t->rows++;
}

static void report_free(report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        for (size_t k = 0; k < r->t[i].rows * r->t[i].cols; k++)
            free(r->t[i].cells[k]);
        free(r->t[i].cells);
    }
}

/* A number with a decimal comma and `decimals` digits. */
static const char *decimal(double v, int decimals, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    return buf;
}

static const char *when_text(const char *epoch, char *buf, size_t size)
{
    if (!epoch || !*epoch)
        return "chưa có";
    bt_wall t = (bt_wall)strtoll(epoch, NULL, 10);
    bt_civil c = bt_time_to_civil(t);
    snprintf(buf, size, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.minute);
    return buf;
}

/* ---- the sections -------------------------------------------------------------------------- */

typedef struct {
    PGconn *db;
    const char *params[6];   /* from, to (Unix s), first, last day, whole months [from, to) */
    bt_wall from, to, now;
    char *err;
    size_t err_size;
} query_ctx;

static PGresult *query(query_ctx *q, const char *sql)
{
    return fleet_exec(q->db, PGRES_TUPLES_OK, q->err, q->err_size, sql, 6, q->params);
}

/* The report reads the summaries ingest keeps (fleet_db.c, step 3): a quarter of 126 wards is
 * 11 592 ward_days rows, not 2.3 million screen rows and 460 000 airing events. */
static const char WARDS_SQL[] =
    "WITH agg AS (SELECT device_id, sum(done) AS done, sum(missed) AS missed, sum(cut) AS cut,"
    "   sum(failed) AS failed, sum(done_ms) AS ms, sum(shows) AS shows, sum(secs) AS secs,"
    "   sum(video_whole) AS video_whole, sum(video_cut) AS video_cut"
    "  FROM ward_days WHERE day BETWEEN $3::date AND $4::date GROUP BY device_id)"
    " SELECT d.ward, d.device_id, COALESCE(agg.done, 0), COALESCE(agg.missed, 0),"
    "  COALESCE(agg.cut, 0), COALESCE(agg.failed, 0), COALESCE(agg.ms, 0),"
    "  COALESCE(agg.shows, 0), COALESCE(agg.secs, 0),"
    "  extract(epoch FROM d.last_export_at)::bigint,"
    /* A video's plays: unknown (NULL) for a device that has sent no export of format 3. */
    "  CASE WHEN d.export_version >= 3 THEN COALESCE(agg.video_whole, 0) END,"
    "  CASE WHEN d.export_version >= 3 THEN COALESCE(agg.video_cut, 0) END"
    " FROM devices d LEFT JOIN agg USING (device_id)"
    " ORDER BY d.ward, d.device_id";

/* Joined and grouped, not a subquery per target: one pass over the period's summaries for all
 * wards. $5, $6: the first day of the first whole month in the period and the day after the
 * last one; distinct notices come from notice_months for those months and from the raw rows,
 * device by device through its index, for the days of a partial month at either end. */
static const char TARGETS_SQL[] =
    "WITH ts AS (SELECT DISTINCT ON (device_id) device_id, set_id FROM target_sets"
    "  WHERE in_force_from < $2::bigint ORDER BY device_id, in_force_from DESC, set_id DESC),"
    " t AS (SELECT d.* FROM target_defs d JOIN ts USING (device_id, set_id)),"
    /* The period's completed airings by item and topics first: the join with the targets'
     * topics then reads a ward's few items, not its items of every day. */
    " air AS (SELECT device_id, item_id, topic, sum(airings) AS airings, sum(ms) AS ms"
    "  FROM item_days WHERE day BETWEEN $3::date AND $4::date"
    "  GROUP BY device_id, item_id, topic),"
    " loud AS (SELECT t.device_id, t.target_id, CASE t.counts"
    "     WHEN 'items' THEN count(DISTINCT air.item_id)"
    "     WHEN 'minutes' THEN COALESCE(sum(air.ms), 0) / 60000"
    "     ELSE COALESCE(sum(air.airings), 0) END AS progress"
    "  FROM t LEFT JOIN air ON air.device_id = t.device_id AND (t.topic IS NULL"
    "   OR (', ' || air.topic || ', ') LIKE ('%, ' || t.topic || ', %'))"
    "  WHERE t.channel = 'loudspeaker' GROUP BY t.device_id, t.target_id, t.counts),"
    " sdev AS (SELECT DISTINCT t.device_id, dv.device_no FROM t JOIN devices dv"
    "  USING (device_id) WHERE t.channel = 'screen'),"
    " seen AS (SELECT device_id, notice_id FROM notice_months"
    "   WHERE month >= $5::date AND month < $6::date"
    "    AND device_id IN (SELECT device_id FROM sdev)"
    "  UNION ALL SELECT s.device_id, e.notice_id FROM sdev s, LATERAL (SELECT notice_id"
    "   FROM impressions i WHERE i.device_no = s.device_no AND i.trusted = 1 AND i.shows > 0"
    "    AND i.day >= $3::date AND i.day < LEAST($5::date, $4::date + 1)) e"
    "  UNION ALL SELECT s.device_id, e.notice_id FROM sdev s, LATERAL (SELECT notice_id"
    "   FROM impressions i WHERE i.device_no = s.device_no AND i.trusted = 1 AND i.shows > 0"
    "    AND i.day >= GREATEST($6::date, $3::date) AND i.day <= $4::date) e),"
    /* Grouped, then joined: as subqueries per device they ran once per target row too. */
    " sn AS (SELECT device_id, count(DISTINCT notice_id) AS notices FROM seen"
    "  GROUP BY device_id),"
    " sm AS (SELECT device_id, (sum(shown_secs) / 60)::bigint AS minutes FROM ward_days"
    "  WHERE day BETWEEN $3::date AND $4::date AND device_id IN (SELECT device_id FROM sdev)"
    "  GROUP BY device_id),"
    " sd AS (SELECT s.device_id, sn.notices, sm.minutes FROM sdev s"
    "  LEFT JOIN sn USING (device_id) LEFT JOIN sm USING (device_id)),"
    " scr AS (SELECT t.device_id, t.target_id, CASE t.counts"
    "     WHEN 'minutes' THEN COALESCE(sd.minutes, 0) ELSE COALESCE(sd.notices, 0) END AS progress"
    "  FROM t LEFT JOIN sd USING (device_id) WHERE t.channel = 'screen'),"
    /* The channels staff record: the tin/bài of the records (a correction counts negative),
     * as the appliance's report counts them; unknown (NULL) for a device that has sent no
     * export of format 2 yet. */
    " rec AS (SELECT t.device_id, t.target_id, CASE WHEN dv.export_version >= 2"
    "     THEN GREATEST(COALESCE(sum(r.count), 0), 0) END AS progress"
    "  FROM t JOIN devices dv USING (device_id) LEFT JOIN staff_records r"
    "   ON r.device_id = t.device_id AND r.channel = t.channel"
    "   AND r.day BETWEEN $3::date AND $4::date AND (t.topic IS NULL"
    "   OR (', ' || r.topic || ', ') LIKE ('%, ' || t.topic || ', %'))"
    "  WHERE t.channel NOT IN ('loudspeaker', 'screen')"
    "  GROUP BY t.device_id, t.target_id, dv.export_version)"
    " SELECT dv.ward, t.label, t.channel, t.minimum, t.counts,"
    "  COALESCE(loud.progress, scr.progress, rec.progress) AS progress, dv.device_id"
    " FROM t JOIN devices dv USING (device_id)"
    " LEFT JOIN loud USING (device_id, target_id) LEFT JOIN scr USING (device_id, target_id)"
    " LEFT JOIN rec USING (device_id, target_id)"
    " ORDER BY dv.ward, dv.device_id, t.target_id";

/* Each ward's staff records of the period by channel: tin/bài, entries, the last day. */
static const char RECORDS_SQL[] =
    "SELECT d.ward, r.channel, GREATEST(sum(r.count), 0), count(*) FILTER (WHERE r.count > 0),"
    " to_char(max(r.day), 'DD/MM/YYYY')"
    " FROM staff_records r JOIN devices d USING (device_id)"
    " WHERE r.day BETWEEN $3::date AND $4::date"
    " GROUP BY d.ward, d.device_id, r.channel ORDER BY d.ward, d.device_id, r.channel";

static const char REMARKS_SQL[] =
    "SELECT d.ward, d.device_id,"
    " (SELECT count(*) FROM clock_events c WHERE c.device_id = d.device_id"
    "   AND c.detected_at_ms >= $1::bigint * 1000 AND c.detected_at_ms < $2::bigint * 1000),"
    " (SELECT COALESCE(sum(untrusted), 0) FROM ward_days w WHERE w.device_id = d.device_id"
    "   AND w.day BETWEEN $3::date AND $4::date),"
    " (SELECT count(*) FROM refusals r WHERE r.device_id = d.device_id),"
    " (SELECT message FROM refusals r WHERE r.device_id = d.device_id ORDER BY id DESC LIMIT 1),"
    " d.appliance_head - d.airing_seq"
    " FROM devices d ORDER BY d.ward, d.device_id";

static bool recorded_channel(const char *channel)
{
    return strcmp(channel, "loudspeaker") != 0 && strcmp(channel, "screen") != 0;
}

static const char *unit_of(const char *counts, const char *channel)
{
    return recorded_channel(channel) ? "tin bài"
           : strcmp(counts, "minutes") == 0 ? "phút"
           : strcmp(counts, "items") == 0 ? "bản tin"
           : strcmp(counts, "notices") == 0 ? "thông báo"
                                            : "lần phát";
}

static const char *channel_of(const char *channel)
{
    return strcmp(channel, "loudspeaker") == 0 ? "Loa"
           : strcmp(channel, "screen") == 0    ? "Màn hình"
           : strcmp(channel, "city-page") == 0 ? "Trang CCHC thành phố (do cán bộ ghi nhận)"
           : strcmp(channel, "ward-site") == 0 ? "Trang phường (do cán bộ ghi nhận)"
           : strcmp(channel, "zalo") == 0      ? "Zalo (do cán bộ ghi nhận)"
           : strcmp(channel, "conference") == 0 ? "Hội nghị (do cán bộ ghi nhận)"
                                                : "Khác (do cán bộ ghi nhận)";
}

/* Reached, behind the period's elapsed share ("at risk"), on track, or no data. */
static const char *target_state(query_ctx *q, const char *progress, long minimum, bool *risk)
{
    *risk = false;
    if (!progress || !*progress)
        return "Chưa có số liệu (máy chưa gửi bản xuất mang ghi nhận của cán bộ)";
    long have = strtol(progress, NULL, 10);
    if (have >= minimum)
        return "Đạt";
    double share = q->now >= q->to ? 1.0
                   : q->now <= q->from ? 0.0
                                       : (double)(q->now - q->from) / (double)(q->to - q->from);
    if (q->now >= q->to) {
        *risk = true;
        return "Không đạt";
    }
    if ((double)have < (double)minimum * share) {
        *risk = true;
        return "Nguy cơ không đạt";
    }
    return "Đang thực hiện";
}

static int build(query_ctx *q, report *r)
{
    char a[64], b[64], c[64], d[64], e[64];
    table *wards = &r->t[r->count++], *targets = &r->t[r->count++], *city = &r->t[r->count++],
          *risk = &r->t[r->count++], *remarks = &r->t[r->count++];
    *wards = (table){"Các phường", {"Phường", "Máy", "Phát đủ", "Bỏ lỡ", "Gián đoạn", "Lỗi",
                                    "Phút phát loa", "Lượt hiển thị màn hình",
                                    "Giờ hiển thị", "Lượt video chiếu trọn",
                                    "Lượt video bị cắt ngang", "Chỉ tiêu đạt",
                                    "Chỉ tiêu chưa đạt", "Báo cáo gần nhất"}, 14, 0, 0, NULL};
    *targets = (table){"Chỉ tiêu", {"Phường", "Chỉ tiêu", "Kênh", "Cần", "Đã có", "Đơn vị",
                                    "Tình trạng"}, 7, 0, 0, NULL};
    *city = (table){"Toàn thành phố", {"Số phường", "Phát đủ", "Bỏ lỡ", "Gián đoạn", "Lỗi",
                                       "Phút phát loa", "Lượt hiển thị màn hình",
                                       "Lượt video chiếu trọn", "Lượt video bị cắt ngang",
                                       "Chỉ tiêu đạt", "Chỉ tiêu chưa đạt",
                                       "Phường có nguy cơ"}, 12, 0, 0, NULL};
    *risk = (table){"Phường có nguy cơ không đạt chỉ tiêu", {"Phường", "Chỉ tiêu", "Tình trạng"},
                    3, 0, 0, NULL};
    *remarks = (table){"Máy cần xem lại (đồng hồ, toàn vẹn)", {"Phường", "Máy", "Nhận xét"}, 3,
                       0, 0, NULL};
    table *records = &r->t[r->count++];
    *records = (table){"Tin bài do cán bộ ghi nhận (các kênh máy không tự theo dõi)",
                       {"Phường", "Kênh", "Số tin bài", "Số lần ghi", "Ngày ghi gần nhất"}, 5,
                       0, 0, NULL};
    PGresult *tr = query(q, TARGETS_SQL), *wr = tr ? query(q, WARDS_SQL) : NULL,
             *rr = wr ? query(q, REMARKS_SQL) : NULL, *sr = rr ? query(q, RECORDS_SQL) : NULL;
    if (!sr) {
        PQclear(tr);
        PQclear(wr);
        PQclear(rr);
        return -1;
    }
    for (int i = 0; i < PQntuples(sr); i++) {
        const char *row[5] = {PQgetvalue(sr, i, 0), channel_of(PQgetvalue(sr, i, 1)),
                              PQgetvalue(sr, i, 2), PQgetvalue(sr, i, 3), PQgetvalue(sr, i, 4)};
        add_row(records, row);
    }
    PQclear(sr);
    int64_t tot[7] = {0}, video[2] = {0};
    bool video_known = false; /* some device has sent an export of format 3 */
    long reached_all = 0, open_all = 0;
    size_t risky_wards = 0;
    char last_risk_ward[256] = "";
    for (int i = 0; i < PQntuples(tr); i++) {
        bool at_risk;
        const char *progress = PQgetisnull(tr, i, 5) ? NULL : PQgetvalue(tr, i, 5);
        long minimum = strtol(PQgetvalue(tr, i, 3), NULL, 10);
        const char *state = target_state(q, progress, minimum, &at_risk);
        const char *row[7] = {PQgetvalue(tr, i, 0), PQgetvalue(tr, i, 1),
                              channel_of(PQgetvalue(tr, i, 2)), PQgetvalue(tr, i, 3),
                              progress ? progress : "",
                              unit_of(PQgetvalue(tr, i, 4), PQgetvalue(tr, i, 2)), state};
        add_row(targets, row);
        if (at_risk) {
            const char *rk[3] = {PQgetvalue(tr, i, 0), PQgetvalue(tr, i, 1), state};
            add_row(risk, rk);
            if (strcmp(last_risk_ward, PQgetvalue(tr, i, 0)) != 0)
                risky_wards++;
            snprintf(last_risk_ward, sizeof last_risk_ward, "%s", PQgetvalue(tr, i, 0));
        }
    }
    for (int i = 0; i < PQntuples(wr); i++) {
        long reached = 0, open = 0;
        for (int k = 0; k < PQntuples(tr); k++) {
            if (strcmp(PQgetvalue(tr, k, 6), PQgetvalue(wr, i, 1)) != 0 || PQgetisnull(tr, k, 5))
                continue;
            if (strtol(PQgetvalue(tr, k, 5), NULL, 10) >= strtol(PQgetvalue(tr, k, 3), NULL, 10))
                reached++;
            else
                open++;
        }
        for (int k = 0; k < 7; k++)
            tot[k] += strtoll(PQgetvalue(wr, i, 2 + k), NULL, 10);
        for (int k = 0; k < 2 && !PQgetisnull(wr, i, 10); k++)
            video[k] += strtoll(PQgetvalue(wr, i, 10 + k), NULL, 10);
        video_known = video_known || !PQgetisnull(wr, i, 10);
        reached_all += reached;
        open_all += open;
        char f1[32], f2[32], f3[32], f4[32];
        snprintf(f3, sizeof f3, "%ld", reached);
        snprintf(f4, sizeof f4, "%ld", open);
        const char *row[14] = {
            PQgetvalue(wr, i, 0), PQgetvalue(wr, i, 1), PQgetvalue(wr, i, 2),
            PQgetvalue(wr, i, 3), PQgetvalue(wr, i, 4), PQgetvalue(wr, i, 5),
            decimal(strtod(PQgetvalue(wr, i, 6), NULL) / 60000.0, 1, f1, sizeof f1),
            PQgetvalue(wr, i, 7),
            decimal(strtod(PQgetvalue(wr, i, 8), NULL) / 3600.0, 1, f2, sizeof f2),
            PQgetvalue(wr, i, 10), PQgetvalue(wr, i, 11), f3, f4,
            when_text(PQgetisnull(wr, i, 9) ? NULL : PQgetvalue(wr, i, 9), e, sizeof e)};
        add_row(wards, row);
    }
    char n[32], t0[32], t1[32], t2[32], t3[32], t4[32], r1[32], r2[32], rw[32], v0[32], v1[32];
    snprintf(v0, sizeof v0, "%" PRId64, video[0]);
    snprintf(v1, sizeof v1, "%" PRId64, video[1]);
    snprintf(n, sizeof n, "%d", PQntuples(wr));
    snprintf(t0, sizeof t0, "%" PRId64, tot[0]);
    snprintf(t1, sizeof t1, "%" PRId64, tot[1]);
    snprintf(t2, sizeof t2, "%" PRId64, tot[2]);
    snprintf(t3, sizeof t3, "%" PRId64, tot[3]);
    snprintf(t4, sizeof t4, "%" PRId64, tot[5]);
    snprintf(r1, sizeof r1, "%ld", reached_all);
    snprintf(r2, sizeof r2, "%ld", open_all);
    snprintf(rw, sizeof rw, "%zu", risky_wards);
    const char *crow[12] = {n, t0, t1, t2, t3, decimal((double)tot[4] / 60000.0, 1, a, sizeof a),
                            t4, video_known ? v0 : "", video_known ? v1 : "", r1, r2, rw};
    add_row(city, crow);
    for (int i = 0; i < PQntuples(rr); i++) {
        char text[1024] = "";
        long jumps = strtol(PQgetvalue(rr, i, 2), NULL, 10);
        long untrusted = strtol(PQgetvalue(rr, i, 3), NULL, 10);
        long refused = strtol(PQgetvalue(rr, i, 4), NULL, 10);
        long missing = strtol(PQgetvalue(rr, i, 6), NULL, 10);
        size_t used = 0;
        if (jumps)
            used += (size_t)snprintf(text + used, sizeof text - used, "%ld lần đồng hồ bị chỉnh "
                                     "trong kỳ; ", jumps);
        if (untrusted && used < sizeof text)
            used += (size_t)snprintf(text + used, sizeof text - used, "%ld lần phát khi đồng hồ "
                                     "không tin được; ", untrusted);
        if (missing > 0 && used < sizeof text)
            used += (size_t)snprintf(text + used, sizeof text - used, "thiếu %ld dòng nhật ký "
                                     "chưa nạp; ", missing);
        if (refused && used < sizeof text)
            used += (size_t)snprintf(text + used, sizeof text - used, "%ld bản xuất bị từ chối, "
                                     "gần nhất: %s; ", refused, PQgetvalue(rr, i, 5));
        if (!used)
            continue;
        text[used - 2] = '\0';
        const char *row[3] = {PQgetvalue(rr, i, 0), PQgetvalue(rr, i, 1), text};
        add_row(remarks, row);
    }
    (void)b, (void)c, (void)d;
    PQclear(tr);
    PQclear(wr);
    PQclear(rr);
    return 0;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void csv_field(bt_buf *b, const char *s)
{
    bt_buf_str(b, "\"");
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
        bt_buf_str(b, "'");
    for (; *s; s++)
        bt_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    bt_buf_str(b, "\"");
}

static void write_csv(const report *r, bt_buf *b)
{
    bt_buf_str(b, "\xEF\xBB\xBF");
    csv_field(b, r->heading);
    bt_buf_str(b, "\r\n");
    for (size_t i = 0; i < r->count; i++) {
        const table *t = &r->t[i];
        bt_buf_str(b, "\r\n");
        csv_field(b, t->title);
        bt_buf_str(b, "\r\n");
        for (size_t c = 0; c < t->cols; c++) {
            csv_field(b, t->header[c]);
            bt_buf_str(b, c + 1 < t->cols ? ";" : "\r\n");
        }
        for (size_t row = 0; row < t->rows; row++)
            for (size_t c = 0; c < t->cols; c++) {
                csv_field(b, t->cells[row * t->cols + c]);
                bt_buf_str(b, c + 1 < t->cols ? ";" : "\r\n");
            }
    }
}

static void html_text(bt_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': bt_buf_str(b, "&lt;"); break;
        case '>': bt_buf_str(b, "&gt;"); break;
        case '&': bt_buf_str(b, "&amp;"); break;
        case '"': bt_buf_str(b, "&quot;"); break;
        default: bt_buf_add(b, s, 1);
        }
    }
}

static void write_html(const report *r, bt_buf *b)
{
    bt_buf_str(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>");
    html_text(b, r->heading);
    bt_buf_str(b, "</title><style>body{font-family:'Times New Roman',serif}"
                  "table{border-collapse:collapse;margin-bottom:1em}"
                  "td,th{border:1px solid #444;padding:2px 6px}th{background:#eee}"
                  "td.n{text-align:right}</style></head><body>\n<h1>");
    html_text(b, r->heading);
    bt_buf_str(b, "</h1>\n");
    for (size_t i = 0; i < r->count; i++) {
        const table *t = &r->t[i];
        bt_buf_str(b, "<h2>");
        html_text(b, t->title);
        bt_buf_str(b, "</h2>\n<table><tr>");
        for (size_t c = 0; c < t->cols; c++) {
            bt_buf_str(b, "<th>");
            html_text(b, t->header[c]);
            bt_buf_str(b, "</th>");
        }
        bt_buf_str(b, "</tr>\n");
        if (!t->rows)
            bt_buf_printf(b, "<tr><td colspan=\"%zu\">Không có.</td></tr>\n", t->cols);
        for (size_t row = 0; row < t->rows; row++) {
            bt_buf_str(b, "<tr>");
            for (size_t c = 0; c < t->cols; c++) {
                const char *v = t->cells[row * t->cols + c];
                bt_buf_str(b, strspn(v, "0123456789,") == strlen(v) && *v ? "<td class=\"n\">"
                                                                           : "<td>");
                html_text(b, v);
                bt_buf_str(b, "</td>");
            }
            bt_buf_str(b, "</tr>\n");
        }
        bt_buf_str(b, "</table>\n");
    }
    bt_buf_str(b, "</body></html>\n");
}

static int write_xlsx(const report *r, const char *path, char *err, size_t err_size)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, err_size, "không tạo được tệp \"%s\"", path);
        return -1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (size_t i = 0; i < r->count; i++) {
        const table *t = &r->t[i];
        char name[32];
        snprintf(name, sizeof name, "%zu", i + 1);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        worksheet_write_string(ws, 0, 0, t->title, bold);
        for (size_t c = 0; c < t->cols; c++)
            worksheet_write_string(ws, 1, (lxw_col_t)c, t->header[c], bold);
        for (size_t row = 0; row < t->rows; row++)
            for (size_t c = 0; c < t->cols; c++) {
                const char *v = t->cells[row * t->cols + c];
                if (*v && strspn(v, "0123456789") == strlen(v))
                    worksheet_write_number(ws, (lxw_row_t)(row + 2), (lxw_col_t)c, strtod(v, NULL),
                                           NULL);
                else
                    worksheet_write_string(ws, (lxw_row_t)(row + 2), (lxw_col_t)c, v, NULL);
            }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        snprintf(err, err_size, "không ghi được tệp \"%s\"", path);
        return -1;
    }
    return 0;
}

static int write_buf(const bt_buf *b, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && !b->failed && fwrite(b->data, 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, err_size, "không ghi được tệp \"%s\"", path);
    return ok ? 0 : -1;
}

int fleet_report(PGconn *db, const bt_period *p, fleet_report_format f, const char *out_path,
                 bt_wall now, char *err, size_t err_size)
{
    char from[24], to[24], first[16], last[16], when[32];
    int y, m, d;
    query_ctx q = {.db = db, .from = bt_time_day_start(p->first),
                   .to = bt_time_day_start(p->last + 1), .now = now, .err = err,
                   .err_size = err_size};
    snprintf(from, sizeof from, "%" PRId64, q.from);
    snprintf(to, sizeof to, "%" PRId64, q.to);
    bt_time_ymd_from_day(p->first, &y, &m, &d);
    snprintf(first, sizeof first, "%04d-%02d-%02d", y, m, d);
    bt_time_ymd_from_day(p->last, &y, &m, &d);
    snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, d);
    q.params[0] = from;
    q.params[1] = to;
    q.params[2] = first;
    q.params[3] = last;
    /* The whole months inside the period: from the first 1st of a month on or after its first
     * day, to the 1st of the month its day after ends in (an empty range when none). */
    char whole_from[32], whole_to[32];
    bt_time_ymd_from_day(p->first, &y, &m, &d);
    if (d != 1 && ++m > 12)
        m = 1, y++;
    snprintf(whole_from, sizeof whole_from, "%04d-%02d-01", y, m);
    bt_time_ymd_from_day(p->last + 1, &y, &m, &d);
    snprintf(whole_to, sizeof whole_to, "%04d-%02d-01", y, m);
    q.params[4] = whole_from;
    q.params[5] = whole_to;
    report r = {0};
    snprintf(when, sizeof when, "%" PRId64, now);
    char w[32];
    snprintf(r.heading, sizeof r.heading, "Kết quả tuyên truyền CCHC các phường, %s – %s (lập "
             "lúc %s)", first, last, when_text(when, w, sizeof w));
    int rc = build(&q, &r);
    if (rc == 0 && f == FLEET_REPORT_XLSX) {
        rc = write_xlsx(&r, out_path, err, err_size);
    } else if (rc == 0) {
        bt_buf b = {0};
        if (f == FLEET_REPORT_CSV)
            write_csv(&r, &b);
        else
            write_html(&r, &b);
        rc = write_buf(&b, out_path, err, err_size);
        free(b.data);
    }
    report_free(&r);
    return rc;
}

int fleet_status(PGconn *db, bt_wall now, char *err, size_t err_size)
{
    PGresult *r = fleet_exec(
        db, PGRES_TUPLES_OK, err, err_size,
        "SELECT ward, device_id, airing_seq, appliance_head, last_export_no,"
        " extract(epoch FROM last_export_at)::bigint, extract(epoch FROM last_ingest_at)::bigint,"
        " (SELECT count(*) FROM refusals f WHERE f.device_id = d.device_id)"
        " FROM devices d ORDER BY ward, device_id", 0, NULL);
    if (!r)
        return -1;
    char a[32], b[32];
    printf("%d máy đã đăng ký (phiên bản cơ sở dữ liệu %d).\n", PQntuples(r),
           fleet_schema_version(db));
    for (int i = 0; i < PQntuples(r); i++) {
        long long have = strtoll(PQgetvalue(r, i, 2), NULL, 10),
                  head = strtoll(PQgetvalue(r, i, 3), NULL, 10);
        printf("%s — máy %s: bản xuất số %s, lập %s, nạp %s; nhật ký đến dòng #%lld", PQgetvalue(r, i, 0),
               PQgetvalue(r, i, 1), PQgetvalue(r, i, 4),
               when_text(PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5), a, sizeof a),
               when_text(PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6), b, sizeof b), have);
        if (head > have)
            printf(", THIẾU dòng #%lld–#%lld", have + 1, head);
        if (strcmp(PQgetvalue(r, i, 7), "0") != 0)
            printf(", %s bản xuất bị từ chối", PQgetvalue(r, i, 7));
        printf("\n");
    }
    (void)now;
    PQclear(r);
    return 0;
}
