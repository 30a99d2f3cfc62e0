/* Reports: gathers what a period's report says from the store — the targets in force then and
 * their progress (core/targets), the airing log and its hash-chain check, screen impressions and
 * the notice catalogue — into plain tables that the CSV, XLSX and HTML writers render as they
 * are. This room reads the store and the clock (for "generated at"); deciding stays in core. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"
#include "report_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DATE_TEXT 32
#define LABEL_TEXT 128
/* Most formatted cells fit here and are formatted once; longer ones are measured first. */
#define CELL_TEXT_BYTES 256
/* A makeup airs at most a quarter after its slot (bt_makeup_scope), so rows whose slot lies this
 * far before a window can still have aired inside it. */
#define MAKEUP_REACH_DAYS 92
/* Problems of the log's hash chain quoted in the report; the rest are counted. */
#define QUOTED_LOG_PROBLEMS 5
#define HOST_BYTES 256

/* ---- tables ------------------------------------------------------------------------------- */

static void set_err(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t size, const char *fmt, ...)
{
    if (!err || size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

static void table_init(bt_rtable *t, const char *title, const char *sheet,
                       const char *const *headers, size_t cols)
{
    memset(t, 0, sizeof *t);
    t->title = title;
    t->sheet = sheet;
    t->headers = headers;
    t->cols = cols;
}

static void table_free(bt_rtable *t)
{
    for (size_t i = 0; i < t->rows * t->cols; i++)
        free(t->cells[i].text);
    for (size_t i = 0; t->owned_headers && i < t->cols; i++)
        free(t->owned_headers[i]);
    free(t->owned_headers);
    t->owned_headers = NULL;
    free(t->cells);
    t->cells = NULL;
    t->rows = t->cap_rows = 0;
}

/* A new empty row; NULL on allocation failure. */
static bt_rcell *table_row(bt_rtable *t)
{
    if (t->rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        bt_rcell *bigger = realloc(t->cells, cap * t->cols * sizeof *bigger);
        if (!bigger)
            return NULL;
        t->cells = bigger;
        t->cap_rows = cap;
    }
    bt_rcell *row = &t->cells[t->rows * t->cols];
    memset(row, 0, t->cols * sizeof *row);
    t->rows++;
    return row;
}

typedef struct {
    bool failed;
} builder;

static void cell_text(builder *b, bt_rcell *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cell_text(builder *b, bt_rcell *c, const char *fmt, ...)
{
    /* Formatted once into the stack; only a longer text is measured and formatted again. */
    char small[CELL_TEXT_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || !(c->text = malloc((size_t)n + 1))) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        memcpy(c->text, small, (size_t)n + 1);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(c->text, (size_t)n + 1, fmt, ap);
    va_end(ap);
}

/* A plain copy: most cells are one string, and a year's airing list has ~100 000 of them. */
static void cell_str(builder *b, bt_rcell *c, const char *s)
{
    size_t len = strlen(s);
    if (!(c->text = malloc(len + 1))) {
        b->failed = true;
        return;
    }
    memcpy(c->text, s, len + 1);
}

/* Writes v's decimal digits (as %lld) at the end of tmp[24]; returns where they start. */
static char *int_text(char tmp[24], int64_t v)
{
    char *p = tmp + 23;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

static void cell_int(builder *b, bt_rcell *c, int64_t v)
{
    char tmp[24];
    cell_str(b, c, int_text(tmp, v));
    c->is_number = true;
    c->number = (double)v;
}

/* One decimal, rounded half away from zero the same way in every format. */
static void cell_dec(builder *b, bt_rcell *c, double v)
{
    double tenths = (double)(int64_t)(v * 10.0 + (v >= 0 ? 0.5 : -0.5));
    cell_text(b, c, "%.1f", tenths / 10.0);
    c->is_number = true;
    c->number = tenths / 10.0;
    c->decimals = 1;
}

/* done / required as a share with one decimal of a percent ("12.5%"), the same rounding as
 * cell_dec; the number is the fraction (0.125), which XLSX shows with a percent format. */
static void cell_percent(builder *b, bt_rcell *c, int64_t done, int64_t required)
{
    if (required <= 0)
        return;
    double v = (double)done * 100.0 / (double)required;
    double tenths = (double)(int64_t)(v * 10.0 + 0.5);
    cell_text(b, c, "%.1f%%", tenths / 10.0);
    c->is_number = true;
    c->number = tenths / 1000.0;
    c->decimals = 1;
    c->percent = true;
}

/* Days from Excel's epoch (30/12/1899) to bt_day 0 (01/01/1970). */
#define EXCEL_DAY_OFFSET 25569.0

/* "dd/mm/yyyy" of a local day. */
static void cell_date(builder *b, bt_rcell *c, bt_day day)
{
    char text[DATE_TEXT];
    cell_str(b, c, bt_time_format_ddmmyyyy(day, text, sizeof text));
    c->when = BT_RCELL_DATE;
    c->serial = (double)day + EXCEL_DAY_OFFSET;
}

/* "HH:MM" of a wall time (local). */
static void cell_hhmm(builder *b, bt_rcell *c, bt_wall t)
{
    char text[DATE_TEXT];
    cell_str(b, c, bt_time_format_hhmm(t, text, sizeof text));
    c->when = BT_RCELL_TIME;
    c->serial = (double)(bt_time_minute_of_day(t) * 60) / BT_SECONDS_PER_DAY;
}

/* "dd/mm/yyyy HH:MM:SS" of wall milliseconds; left empty for 0 (unknown). */
static void cell_datetime_ms(builder *b, bt_rcell *c, int64_t ms)
{
    if (ms <= 0)
        return;
    bt_wall t = (bt_wall)(ms / 1000);
    bt_civil v = bt_time_to_civil(t);
    /* "dd/mm/yyyy HH:MM:SS" by hand: a year's airing list has 15 000 of these, and printf was
     * a tenth of building the report. Years outside 0…9999 cannot come from the log. */
    char text[20];
    int parts[6] = {v.day, v.month, v.year, v.hour, v.minute, v.second};
    static const char seps[6] = {'/', '/', ' ', ':', ':', '\0'};
    char *p = text;
    for (int i = 0; i < 6; i++) {
        int x = parts[i] < 0 ? 0 : parts[i];
        if (i == 2) {
            x %= 10000;
            *p++ = (char)('0' + x / 1000);
            *p++ = (char)('0' + x / 100 % 10);
        }
        *p++ = (char)('0' + x / 10 % 10);
        *p++ = (char)('0' + x % 10);
        *p++ = seps[i];
    }
    cell_str(b, c, text);
    c->when = BT_RCELL_DATETIME;
    c->serial = (double)bt_time_day_of(t) + EXCEL_DAY_OFFSET +
                (double)(t - bt_time_day_start(bt_time_day_of(t))) / BT_SECONDS_PER_DAY;
}

/* Fills a row's remaining NULL cells with "" so writers never meet NULL. */
static void row_fill(builder *b, bt_rtable *t, bt_rcell *row)
{
    for (size_t i = 0; i < t->cols; i++)
        if (!row[i].text)
            cell_str(b, &row[i], "");
}

static const char *ddmmyyyy(bt_day day, char *buf, size_t size)
{
    return bt_time_format_ddmmyyyy(day, buf, size);
}

/* ---- the model ---------------------------------------------------------------------------- */

typedef struct {
    bt_store *store;
    const bt_report_options *opt;
    bt_period period;
    bt_day need_first, need_last; /* every day any target period of the report reaches */
    bt_wall now;
    bool as_of_now;               /* count only what had happened at `now` (progress today) */
    bt_airing_row *rows;
    size_t row_count;
    bt_target_airing *airings;
    bt_proof_row *impressions;
    size_t impression_count;
    char (*notice_keys)[2 * BT_MAX_ID_BYTES + 2];
    bt_target_exposure *exposure;
    bt_notice_record *notices;
    size_t notice_count;
    bt_airing_verify_result *verify;
    int verify_rc;
    size_t real_row_count;        /* rows[0, real_row_count) are the log's; the rest simulated */
    bt_record_row *records;       /* staff records dated in [need_first, need_last] */
    size_t record_count;
    bt_target_record *record_inputs;
    char *err;
    size_t err_size;
} gather;

static bt_attempt_status attempt_of(bt_airing_status st)
{
    bt_attempt_status a;
    /* An airing still open ("airing") has not completed: it counts like an interrupted one. */
    if (bt_attempt_status_from_name(bt_airing_status_name(st), &a) != 0)
        return BT_ATTEMPT_INTERRUPTED;
    return a;
}

/* When the airing went out (its actual start), else its slot. */
static bt_wall aired_at(const bt_airing_row *r)
{
    return r->started_at_ms > 0 ? (bt_wall)(r->started_at_ms / 1000) : r->subject.scheduled_at;
}

void bt_report_days_reached(const bt_targets *t, const bt_period *p, bt_day *first,
                            bt_day *last)
{
    *first = p->first;
    *last = p->last;
    for (size_t i = 0; t && i < t->count; i++) {
        bt_period a = bt_time_period_of(t->items[i].period, p->first);
        bt_period b = bt_time_period_of(t->items[i].period, p->last);
        if (a.first < *first)
            *first = a.first;
        if (b.last > *last)
            *last = b.last;
    }
}

/* The union of every target period that meets the report's period. */
static void needed_days(gather *g, const bt_targets *t)
{
    bt_report_days_reached(t, &g->period, &g->need_first, &g->need_last);
}

/* The name a person reads for a log's id: the playlist's, else the id itself. */
static const char *label_of(const bt_report_label *labels, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++)
        if (labels[i].id && labels[i].label && labels[i].label[0] && strcmp(labels[i].id, id) == 0)
            return labels[i].label;
    return id;
}

static const char *session_name(const gather *g, const char *id)
{
    return g->opt ? label_of(g->opt->session_labels, g->opt->session_label_count, id) : id;
}

static const char *playlist_name(const gather *g, const char *id)
{
    return g->opt ? label_of(g->opt->playlist_labels, g->opt->playlist_label_count, id) : id;
}

/* The slots [*from, *to) whose airings the report reads. */
static void airing_span(const gather *g, bt_wall *from, bt_wall *to)
{
    *from = bt_time_day_start(g->need_first - MAKEUP_REACH_DAYS);
    *to = bt_time_day_start(g->need_last + 1);
}

/* A forecast: the log's rows before the simulation takes over, then the simulated ones (both
 * in slot order, so the whole stays in bt_airing_list's order). */
static int add_forecast_rows(gather *g, const bt_report_forecast *f)
{
    bt_airing_row *sim = NULL;
    size_t n = 0, real = 0;
    while (real < g->row_count && g->rows[real].subject.scheduled_at < f->from)
        real++;
    g->row_count = g->real_row_count = real;
    if (bt_report_forecast_rows(f, &sim, &n) != 0)
        return -1;
    if (!n)
        return 0;
    bt_airing_row *all = realloc(g->rows, (real + n) * sizeof *all);
    if (!all) {
        free(sim);
        return -1;
    }
    g->rows = all;
    memcpy(all + real, sim, n * sizeof *all);
    g->row_count = real + n;
    free(sim);
    return 0;
}

static int load_airings(gather *g)
{
    bt_wall from, to;
    const bt_report_forecast *f = g->opt ? g->opt->forecast : NULL;
    airing_span(g, &from, &to);
    if (g->store && bt_airing_list(g->store, from, to, &g->rows, &g->row_count) != 0) {
        set_err(g->err, g->err_size, "Không đọc được nhật ký phát thanh.");
        return -1;
    }
    if (g->as_of_now) {
        size_t kept = 0;
        for (size_t i = 0; i < g->row_count; i++)
            if (aired_at(&g->rows[i]) <= g->now)
                g->rows[kept++] = g->rows[i];
        g->row_count = kept;
    }
    g->real_row_count = g->row_count;
    if (f && add_forecast_rows(g, f) != 0)
        goto oom;
    if (g->row_count && !(g->airings = calloc(g->row_count, sizeof *g->airings)))
        goto oom;
    for (size_t i = 0; i < g->row_count; i++) {
        const bt_airing_row *r = &g->rows[i];
        g->airings[i] = (bt_target_airing){r->subject.item_id, r->subject.topic, aired_at(r),
                                           attempt_of(r->status)};
    }
    return 0;
oom:
    set_err(g->err, g->err_size, "Không đủ bộ nhớ để lập báo cáo.");
    return -1;
}

/* The catalogue entry of a notice on a day: the stretch containing it, else any of its own. */
static const bt_notice_record *notice_on(const gather *g, const char *playlist_id,
                                         const char *notice_id, bt_day day)
{
    const bt_notice_record *any = NULL;
    for (size_t i = 0; i < g->notice_count; i++) {
        const bt_notice_record *r = &g->notices[i];
        if (strcmp(r->notice_id, notice_id) != 0 || strcmp(r->playlist_id, playlist_id) != 0)
            continue;
        if (day >= r->from_day && day <= r->until_day)
            return r;
        if (!any)
            any = r;
    }
    return any;
}

static int load_screen(gather *g)
{
    if (!g->store)
        return 0; /* a forecast without a store: nothing was shown yet */
    if (bt_targets_store_impressions(g->store, g->need_first, g->need_last, &g->impressions,
                                     &g->impression_count) != 0 ||
        bt_targets_store_notices(g->store, g->need_first, g->need_last, &g->notices,
                                 &g->notice_count) != 0) {
        set_err(g->err, g->err_size, "Không đọc được số liệu hiển thị trên màn hình.");
        return -1;
    }
    size_t n = g->impression_count;
    if (n && (!(g->exposure = calloc(n, sizeof *g->exposure)) ||
              !(g->notice_keys = calloc(n, sizeof *g->notice_keys)))) {
        set_err(g->err, g->err_size, "Không đủ bộ nhớ để lập báo cáo.");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const bt_proof_row *r = &g->impressions[i];
        const bt_notice_record *rec = notice_on(g, r->playlist_id, r->notice_id, r->day);
        snprintf(g->notice_keys[i], sizeof g->notice_keys[i], "%s/%s", r->playlist_id,
                 r->notice_id);
        g->exposure[i] = (bt_target_exposure){g->notice_keys[i],
                                              rec && rec->topic[0] ? rec->topic : NULL, r->day,
                                              r->shows, r->seconds};
    }
    return 0;
}

/* A plan's record as the store would give it back (playlist named by the plan). */
static void record_row_of(const bt_record *x, const char *plan_id, int version,
                          bt_record_row *out)
{
    memset(out, 0, sizeof *out);
    out->day = x->day;
    out->channel = x->channel;
    snprintf(out->title, sizeof out->title, "%s", x->title ? x->title : "");
    snprintf(out->topic, sizeof out->topic, "%s", x->topic ? x->topic : "");
    snprintf(out->link, sizeof out->link, "%s", x->link ? x->link : "");
    snprintf(out->note, sizeof out->note, "%s", x->note ? x->note : "");
    snprintf(out->playlist_id, sizeof out->playlist_id, "%s", plan_id ? plan_id : "");
    out->playlist_version = version;
    out->count = x->count;
    out->source = x->source;
    snprintf(out->key, sizeof out->key, "%s", x->key ? x->key : "");
}

/* The store holds a plan's record already: a record by its channel, day and title, a CSV row by
 * its content key. */
static bool same_record(const bt_record_row *a, const bt_record *b)
{
    if (b->source == BT_RECORD_FROM_CSV)
        return b->key && strcmp(a->key, b->key) == 0;
    return a->source == BT_RECORD_FROM_PLAYLIST && a->channel == b->channel &&
           a->day == b->day && b->title && strcmp(a->title, b->title) == 0;
}

/* A forecast's plan brings its own records: those the store does not hold yet join them. */
static int add_plan_records(gather *g, const bt_report_forecast *f)
{
    const bt_records *plan = f->records;
    for (size_t i = 0; plan && i < plan->count; i++) {
        const bt_record *x = &plan->items[i];
        bool known = x->day < g->need_first || x->day > g->need_last;
        for (size_t k = 0; k < g->record_count && !known; k++)
            known = same_record(&g->records[k], x);
        if (known)
            continue;
        bt_record_row *more = realloc(g->records, (g->record_count + 1) * sizeof *more);
        if (!more)
            return -1;
        g->records = more;
        record_row_of(x, f->playlist_id, f->playlist_version, &g->records[g->record_count++]);
    }
    return 0;
}

/* What staff recorded on the channels the appliance cannot observe, as targets count it. */
static int load_records(gather *g)
{
    const bt_report_forecast *f = g->opt ? g->opt->forecast : NULL;
    if (g->store &&
        bt_targets_store_records(g->store, g->need_first, g->need_last, &g->records,
                                 &g->record_count) != 0) {
        set_err(g->err, g->err_size, "Không đọc được các tin bài do cán bộ ghi nhận.");
        return -1;
    }
    if ((f && add_plan_records(g, f) != 0) ||
        (g->record_count &&
         !(g->record_inputs = calloc(g->record_count, sizeof *g->record_inputs)))) {
        set_err(g->err, g->err_size, "Không đủ bộ nhớ để lập báo cáo.");
        return -1;
    }
    for (size_t i = 0; i < g->record_count; i++)
        g->record_inputs[i] = (bt_target_record){g->records[i].channel, g->records[i].topic,
                                                 g->records[i].day, g->records[i].count};
    return 0;
}

static void gather_free(gather *g)
{
    free(g->records);
    free(g->record_inputs);
    free(g->rows);
    free(g->airings);
    free(g->impressions);
    free(g->notice_keys);
    free(g->exposure);
    free(g->notices);
    free(g->verify);
}

/* ---- the tables --------------------------------------------------------------------------- */

static const char *const info_headers[] = {"Mục", "Nội dung"};
static const char *const summary_headers[] = {
    "Mã chỉ tiêu", "Chỉ tiêu", "Kênh", "Chủ đề", "Cách tính", "Kỳ", "Từ ngày", "Đến ngày",
    "Đã thực hiện", "Yêu cầu", "Tỷ lệ đạt", "Còn thiếu", "Số ngày còn lại", "Trạng thái",
    "Câu công bố", "Nguồn số liệu"};
static const char *const status_headers[] = {"Kết quả phát thanh", "Số lượt"};
static const char *const airing_headers[] = {
    "Ngày", "Giờ theo lịch", "Bắt đầu", "Kết thúc", "Thời lượng (giây)", "Buổi phát", "Mã tin",
    "Tiêu đề", "Chủ đề", "Playlist", "Trạng thái", "Lý do", "Ghi chú"};
static const char *const problem_headers[] = {"Ngày", "Giờ theo lịch", "Buổi phát", "Mã tin",
                                              "Tiêu đề", "Trạng thái", "Lý do"};
static const char *const session_headers[] = {
    "Tháng", "Buổi phát", "Số buổi-tin theo lịch", "Đúng lịch", "Phát bù", "Bị ngắt",
    "Lỗi", "Bỏ lỡ", "Số phút đã phát"};
/* The video columns (issue 15): of the showings, plays of a video notice's clip, whole or cut
 * short (bt_proof_row); in the notices' table empty for a notice that played no clip. */
static const char *const screen_month_headers[] = {"Tháng", "Số thông báo đã hiển thị",
                                                   "Lượt hiển thị", "Số giờ trên màn hình",
                                                   "Lượt video chiếu trọn",
                                                   "Lượt video bị cắt ngang"};
static const char *const screen_headers[] = {
    "Playlist", "Mã thông báo", "Tiêu đề", "Chủ đề", "Đăng từ", "Đăng đến", "Số ngày đăng",
    "Lượt hiển thị", "Số phút", "Phút/ngày", "Đánh giá", "Lượt video chiếu trọn",
    "Lượt video bị cắt ngang"};
static const char *const record_headers[] = {"Ngày", "Kênh", "Số tin bài", "Tiêu đề",
                                             "Chủ đề", "Địa chỉ bài đăng", "Ghi chú",
                                             "Ghi nhận qua", "Nguồn số liệu"};

#define SHEET_SUMMARY "Tổng hợp"
#define SHEET_AIRINGS "Chi tiết phát thanh"
#define SHEET_PROBLEMS "Bỏ lỡ - bị ngắt"
#define SHEET_SCREEN "Màn hình"
#define SHEET_MONTHS "Theo tháng"
#define SHEET_RECORDS "Cán bộ ghi nhận"

static void info_row(builder *b, bt_rtable *t, const char *key, const char *value)
{
    bt_rcell *row = table_row(t);
    if (!row) {
        b->failed = true;
        return;
    }
    cell_str(b, &row[0], key);
    cell_str(b, &row[1], value);
}

/* How a forecast was made: from when the simulation takes over, of which plan, with which
 * power cuts. */
static void forecast_rows(builder *b, bt_rtable *t, const gather *g, const bt_report_forecast *f)
{
    char text[600], d[DATE_TEXT], h[DATE_TEXT];
    bt_wall from = f->from > bt_time_day_start(g->period.first) ? f->from
                                                                : bt_time_day_start(g->period.first);
    const char *plan = f->playlist_id ? f->playlist_id : "";
    if (g->store && from > bt_time_day_start(g->period.first))
        snprintf(text, sizeof text,
                 "nhật ký thật của máy đến %s %s; từ đó đến hết kỳ: mô phỏng lịch phát của "
                 "playlist \"%s\" phiên bản %d",
                 bt_time_format_ddmmyyyy(bt_time_day_of(from), d, sizeof d),
                 bt_time_format_hhmm(from, h, sizeof h), plan, f->playlist_version);
    else
        snprintf(text, sizeof text, "mô phỏng lịch phát của playlist \"%s\" phiên bản %d cho cả kỳ",
                 plan, f->playlist_version);
    info_row(b, t, "Cách lập (dự kiến)", text);
    info_row(b, t, "Khoảng máy tắt giả định",
             f->off_text && f->off_text[0] ? f->off_text : "không có");
    info_row(b, t, "Kênh màn hình và kênh do cán bộ ghi nhận",
             "không mô phỏng: chỉ tính những gì đã có (số liệu thật và tin bài đã ghi nhận)");
}

static void build_info(builder *b, bt_report *r, const gather *g, const char *ward,
                       const char *device)
{
    bt_rtable *t = &r->tables[BT_RT_INFO];
    char period[LABEL_TEXT], a[DATE_TEXT], c[DATE_TEXT], text[600];
    const bt_report_forecast *f = g->opt ? g->opt->forecast : NULL;
    bt_period_label_vi(&g->period, period, sizeof period);
    info_row(b, t, "Báo cáo",
             f ? "DỰ KIẾN kết quả thông tin, tuyên truyền cải cách hành chính (mô phỏng, không "
                 "phải số liệu đã thực hiện)"
               : "Kết quả thông tin, tuyên truyền cải cách hành chính");
    if (f)
        forecast_rows(b, t, g, f);
    info_row(b, t, "Phường", ward);
    if (g->period.kind == BT_PERIOD_DAY)
        snprintf(text, sizeof text, "%s", period);
    else
        snprintf(text, sizeof text, "%s (từ %s đến %s)", period,
                 ddmmyyyy(g->period.first, a, sizeof a), ddmmyyyy(g->period.last, c, sizeof c));
    info_row(b, t, "Kỳ báo cáo", text);
    const char *label = g->opt && g->opt->device_label ? g->opt->device_label : "";
    if (label[0])
        snprintf(text, sizeof text, "%s (%s)", label, device);
    else
        snprintf(text, sizeof text, "%s", device);
    info_row(b, t, "Thiết bị", text);
    snprintf(r->facts.device, sizeof r->facts.device, "%s", text);
    r->facts.generated_at = g->now;
    r->facts.log_rc = g->verify_rc;
    r->facts.log_rows_checked = g->verify->rows_checked;
    r->facts.log_problems = g->verify->problem_count;
    bt_civil now = bt_time_to_civil(g->now);
    snprintf(text, sizeof text, "%02d/%02d/%04d %02d:%02d (giờ Việt Nam)", now.day, now.month,
             now.year, now.hour, now.minute);
    info_row(b, t, "Thời điểm lập", text);
    if (!g->store)
        snprintf(text, sizeof text, "không có — mọi số liệu phát thanh là dự kiến");
    else if (g->verify_rc == 0 && g->verify->whole_log)
        snprintf(text, sizeof text,
                 "toàn vẹn — đã kiểm tra %zu dòng, chuỗi mã băm khớp, không dòng nào bị sửa "
                 "hay xoá",
                 g->verify->rows_checked);
    else if (g->verify_rc == 0)
        snprintf(text, sizeof text,
                 "toàn vẹn — đã kiểm tra %zu dòng của kỳ này, đầu chuỗi và nhật ký đồng hồ: "
                 "chuỗi mã băm khớp, không dòng nào bị sửa hay xoá (kiểm tra cả nhật ký: "
                 "bangtin log verify)",
                 g->verify->rows_checked);
    else if (g->verify_rc > 0)
        snprintf(text, sizeof text,
                 "KHÔNG toàn vẹn — phát hiện %zu vấn đề trong %zu dòng; số liệu dưới đây có "
                 "thể đã bị sửa",
                 g->verify->problem_count, g->verify->rows_checked);
    else
        snprintf(text, sizeof text, "không kiểm tra được (lỗi đọc cơ sở dữ liệu)");
    info_row(b, t, "Nhật ký phát thanh", text);
    for (size_t i = 0; g->verify_rc > 0 && i < g->verify->problem_count &&
                       i < BT_AIRING_MAX_PROBLEMS && i < QUOTED_LOG_PROBLEMS;
         i++)
        info_row(b, t, "Vấn đề nhật ký", g->verify->problems[i].message);
    if (r->record_count) {
        snprintf(text, sizeof text,
                 "%lld tin bài trong kỳ trên các kênh máy không tự theo dõi (Trang thông tin, hội "
                 "nghị, Zalo …): do cán bộ ghi nhận trong playlist, tệp " BT_RECORDS_CSV_FILE
                 " hoặc bảng theo dõi tại máy; máy không kiểm chứng — xem bảng \"Tin bài do cán "
                 "bộ ghi nhận\"",
                 (long long)r->record_count);
        info_row(b, t, "Số liệu do cán bộ ghi nhận", text);
    }
    snprintf(text, sizeof text, "%d phút/ngày trong thời gian đăng",
             g->opt && g->opt->min_minutes_per_day > 0 ? g->opt->min_minutes_per_day
                                                       : BT_REPORT_DEFAULT_MIN_MINUTES_PER_DAY);
    info_row(b, t, "Mức hiển thị tối thiểu", text);
}

/* Where a target's figure comes from; a forecast's loudspeaker figures are simulated (after
 * the real log's last word, when there is one). */
static const char *source_of(const bt_report *r, bt_target_channel c)
{
    if (!r->forecast || c != BT_TARGET_LOUDSPEAKER)
        return bt_target_channel_source_vi(c);
    return r->forecast_mixed ? "dự kiến: nhật ký của máy, sau đó mô phỏng lịch phát"
                             : "dự kiến: mô phỏng lịch phát";
}

const char *bt_report_state_text(const bt_report *r, const bt_target_progress *p, char *buf,
                                 size_t size)
{
    if (!r || !r->forecast)
        snprintf(buf, size, "%s", bt_vi_target_state(p->state));
    else if (p->state != BT_TARGET_MET && p->target->channel == BT_TARGET_SCREEN)
        snprintf(buf, size, "chưa dự kiến được (màn hình không được mô phỏng)");
    else
        snprintf(buf, size, "%s (dự kiến)", bt_vi_target_state(p->state));
    return buf;
}

static void build_summary(builder *b, bt_report *r)
{
    bt_rtable *t = &r->tables[BT_RT_SUMMARY];
    char period[LABEL_TEXT], a[DATE_TEXT], c[DATE_TEXT], line[512], state[LABEL_TEXT];
    if (r->progress_count && !(r->bars = calloc(r->progress_count, sizeof *r->bars))) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < r->progress_count; i++) {
        const bt_target_progress *p = &r->progress[i];
        const bt_target *x = p->target;
        bt_rcell *row = table_row(t);
        if (!row) {
            b->failed = true;
            return;
        }
        bt_period_label_vi(&p->period, period, sizeof period);
        cell_str(b, &row[0], x->id);
        cell_str(b, &row[1], x->label);
        cell_str(b, &row[2], bt_target_channel_vi(x->channel));
        cell_str(b, &row[3], x->topic ? x->topic : "mọi chủ đề");
        cell_str(b, &row[4], bt_target_counts_vi(x->counts));
        cell_str(b, &row[5], period);
        cell_date(b, &row[6], p->first);
        cell_date(b, &row[7], p->last);
        ddmmyyyy(p->first, a, sizeof a);
        ddmmyyyy(p->last, c, sizeof c);
        cell_int(b, &row[8], p->done);
        cell_int(b, &row[9], p->required);
        cell_percent(b, &row[10], p->done, p->required);
        cell_int(b, &row[11], p->remaining);
        cell_int(b, &row[12], p->days_left);
        cell_str(b, &row[13], bt_report_state_text(r, p, state, sizeof state));
        cell_str(b, &row[14], bt_target_public_text(p, line, sizeof line));
        cell_str(b, &row[15], source_of(r, x->channel));
        bt_rbar *bar = &r->bars[r->bar_count++];
        bar->done = p->done;
        bar->required = p->required;
        bar->state = p->state;
        /* Two rows of one period (a target changed mid-period) are told apart by their days. */
        char days[2 * DATE_TEXT + 8] = "";
        if (p->first != p->period.first || p->last != p->period.last)
            snprintf(days, sizeof days, " (%.5s–%.5s)", a, c);
        /* A count staff entered says so beside the appliance's own. */
        const char *source = bt_target_channel_recorded(x->channel) ? ", do cán bộ ghi nhận" : "";
        size_t n = (size_t)snprintf(NULL, 0, "%s%s — %s (%s, %s%s)", period, days, x->label,
                                    bt_target_channel_vi(x->channel),
                                    bt_target_counts_vi(x->counts), source);
        if (!(bar->label = malloc(n + 1))) {
            b->failed = true;
            return;
        }
        snprintf(bar->label, n + 1, "%s%s — %s (%s, %s%s)", period, days, x->label,
                 bt_target_channel_vi(x->channel), bt_target_counts_vi(x->counts), source);
    }
}

/* The reason of a row for staff: its code in Vietnamese, then its detail (bt_vi_reason). */
static const char *reason_vi(const bt_airing_row *r, char *buf, size_t size)
{
    if (!r->reason[0]) {
        snprintf(buf, size, "%s", r->status == BT_AIRING_COMPLETED ? "" : "không rõ");
        return buf;
    }
    return bt_vi_reason(r->reason, buf, size);
}

static bool in_report(const gather *g, const bt_airing_row *r)
{
    bt_day day = bt_time_day_of(aired_at(r));
    return day >= g->period.first && day <= g->period.last;
}

/* "04/11/2025 06:00": when a row went out (its start, else its slot). */
static const char *when_text(const bt_airing_row *a, char *buf, size_t size)
{
    char d[DATE_TEXT], h[DATE_TEXT];
    bt_wall t = aired_at(a);
    snprintf(buf, size, "%s %s", bt_time_format_ddmmyyyy(bt_time_day_of(t), d, sizeof d),
             bt_time_format_hhmm(t, h, sizeof h));
    return buf;
}

/* The lines of the status table (BT_RSLOT_*): a slot made up later is counted once, as made up. */
static const char *const status_lines[BT_RSLOT_COUNT] = {
    [BT_RSLOT_ON_TIME] = "Đã phát đúng lịch",
    [BT_RSLOT_MADE_UP] = "Đã phát bù (buổi bị lỡ hoặc bị ngắt, phát lại sau)",
    [BT_RSLOT_INTERRUPTED] = "Bị ngắt, chưa phát bù",
    [BT_RSLOT_FAILED] = "Lỗi, chưa phát bù",
    [BT_RSLOT_MISSED] = "Bỏ lỡ, chưa phát bù",
    [BT_RSLOT_AIRING] = "Đang phát"};

static int status_line(const bt_airing_row *a, bool made_up, bool is_makeup)
{
    switch (a->status) {
    case BT_AIRING_COMPLETED: return is_makeup ? BT_RSLOT_MADE_UP : BT_RSLOT_ON_TIME;
    case BT_AIRING_INTERRUPTED: return made_up ? -1 : BT_RSLOT_INTERRUPTED;
    case BT_AIRING_FAILED: return made_up ? -1 : BT_RSLOT_FAILED;
    case BT_AIRING_MISSED: return made_up ? -1 : BT_RSLOT_MISSED;
    case BT_AIRING_AIRING: return BT_RSLOT_AIRING;
    case BT_AIRING_STATUS_COUNT: break;
    }
    return -1;
}

/* The note of a row: a make-up names the slot it made up, a slot made up names when it was, and
 * a row whose times the appliance could not trust says so. "" for most rows. */
static const char *note_text(const bt_airing_row *a, const bt_airing_row *later, bool is_makeup,
                             bool simulated, char *buf, size_t size)
{
    char when[2 * DATE_TEXT + 2], d[DATE_TEXT], h[DATE_TEXT];
    size_t n = 0;
    buf[0] = '\0';
    if (simulated)
        n += (size_t)snprintf(buf, size, "dự kiến (mô phỏng)%s", later || is_makeup ? "; " : "");
    if (n >= size)
        return buf;
    if (later)
        n += (size_t)snprintf(buf + n, size - n, "đã phát bù %s",
                              when_text(later, when, sizeof when));
    else if (is_makeup && a->status == BT_AIRING_COMPLETED)
        n += (size_t)snprintf(buf + n, size - n, "phát bù cho buổi %s %s",
                              bt_time_format_ddmmyyyy(bt_time_day_of(a->subject.scheduled_at), d,
                                                      sizeof d),
                              bt_time_format_hhmm(a->subject.scheduled_at, h, sizeof h));
    if (!a->clock_trusted && n < size)
        snprintf(buf + n, size - n, "%sđồng hồ không tin cậy (thời điểm có thể sai)",
                 n ? "; " : "");
    return buf;
}

/* ---- the annex: slots per month and session ---------------------------------------------- */

/* One line of the annex: a session's slots in one month, by how they ended. */
typedef struct {
    int year, month;
    const char *session;          /* its name (borrowed: the options or the gathered rows) */
    int64_t slots[BT_RSLOT_COUNT];
    double minutes;
} session_sum;

typedef struct {
    session_sum *items;
    size_t count, cap;
} session_sums;

static session_sum *session_sum_for(session_sums *ss, int year, int month, const char *session)
{
    for (size_t i = ss->count; i-- > 0;) /* rows come in time order: the match is near the end */
        if (ss->items[i].year == year && ss->items[i].month == month &&
            strcmp(ss->items[i].session, session) == 0)
            return &ss->items[i];
    if (ss->count == ss->cap) {
        size_t cap = ss->cap ? ss->cap * 2 : 16;
        session_sum *bigger = realloc(ss->items, cap * sizeof *bigger);
        if (!bigger)
            return NULL;
        ss->items = bigger;
        ss->cap = cap;
    }
    session_sum *x = &ss->items[ss->count++];
    memset(x, 0, sizeof *x);
    x->year = year;
    x->month = month;
    x->session = session;
    return x;
}

static int session_sum_order(const void *pa, const void *pb)
{
    const session_sum *a = pa, *b = pb;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return strcmp(a->session, b->session);
}

static void session_row(builder *b, bt_rtable *t, const char *month, const char *session,
                        const int64_t *slots, double minutes)
{
    bt_rcell *row = table_row(t);
    if (!row) {
        b->failed = true;
        return;
    }
    int64_t total = 0;
    for (size_t k = 0; k < BT_RSLOT_COUNT; k++)
        total += slots[k];
    cell_str(b, &row[0], month);
    cell_str(b, &row[1], session);
    cell_int(b, &row[2], total);
    cell_int(b, &row[3], slots[BT_RSLOT_ON_TIME]);
    cell_int(b, &row[4], slots[BT_RSLOT_MADE_UP]);
    cell_int(b, &row[5], slots[BT_RSLOT_INTERRUPTED]);
    cell_int(b, &row[6], slots[BT_RSLOT_FAILED]);
    cell_int(b, &row[7], slots[BT_RSLOT_MISSED]);
    cell_dec(b, &row[8], minutes);
}

static void build_sessions(builder *b, bt_report *r, session_sums *ss)
{
    bt_rtable *t = &r->tables[BT_RT_SESSIONS];
    int64_t total[BT_RSLOT_COUNT] = {0};
    double minutes = 0;
    char month[16];
    if (ss->count)
        qsort(ss->items, ss->count, sizeof *ss->items, session_sum_order);
    for (size_t i = 0; i < ss->count && !b->failed; i++) {
        const session_sum *x = &ss->items[i];
        snprintf(month, sizeof month, "%02d/%04d", x->month, x->year);
        session_row(b, t, month, x->session, x->slots, x->minutes);
        for (size_t k = 0; k < BT_RSLOT_COUNT; k++)
            total[k] += x->slots[k];
        minutes += x->minutes;
    }
    if (ss->count && !b->failed)
        session_row(b, t, "Cộng", "", total, minutes);
}

/* Why a slot did not air, for the document's sentence: the log's code ("off" of "off",
 * "playback" of "playback: <detail>"), counted. */
static void count_reason(bt_rfacts *f, const char *stored)
{
    size_t n = strcspn(stored, ":");
    char code[sizeof f->reasons[0].code];
    snprintf(code, sizeof code, "%.*s", (int)n, stored);
    for (size_t i = 0; i < f->reason_count; i++)
        if (strcmp(f->reasons[i].code, code) == 0) {
            f->reasons[i].count++;
            return;
        }
    if (f->reason_count < BT_RREASON_MAX) {
        snprintf(f->reasons[f->reason_count].code, sizeof code, "%s", code);
        f->reasons[f->reason_count++].count = 1;
    }
}

static int reason_order(const void *pa, const void *pb)
{
    const bt_rreason *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* Distinct tin/bài aired completely in the period: item ids compared as the targets do. */
static int64_t distinct_completed(const gather *g)
{
    const char **seen = g->row_count ? malloc(g->row_count * sizeof *seen) : NULL;
    int64_t n = 0;
    for (size_t i = 0; seen && i < g->row_count; i++) {
        const bt_airing_row *a = &g->rows[i];
        if (a->status != BT_AIRING_COMPLETED || !in_report(g, a))
            continue;
        bool dup = false;
        for (int64_t k = 0; k < n && !dup; k++)
            dup = strcmp(seen[k], a->subject.item_id) == 0;
        if (!dup)
            seen[n++] = a->subject.item_id;
    }
    free(seen);
    return n;
}

static void build_airings(builder *b, bt_report *r, const gather *g)
{
    bt_rtable *t = &r->tables[BT_RT_AIRINGS], *pt = &r->tables[BT_RT_PROBLEMS];
    bt_rfacts *facts = &r->facts;
    int64_t *counts = facts->slots;
    session_sums sessions = {0};
    char why[BT_AIRING_REASON_BYTES + 64], when[2 * DATE_TEXT + 2];
    size_t *made_up_by = g->row_count ? malloc(g->row_count * sizeof *made_up_by) : NULL;
    bool *is_makeup = g->row_count ? malloc(g->row_count * sizeof *is_makeup) : NULL;
    if (g->row_count && (!made_up_by || !is_makeup)) {
        free(made_up_by);
        free(is_makeup);
        b->failed = true;
        return;
    }
    bt_airing_link_makeups(g->rows, g->row_count, made_up_by, is_makeup);
    for (size_t i = 0; i < g->row_count && !b->failed; i++) {
        const bt_airing_row *a = &g->rows[i];
        if (!in_report(g, a))
            continue;
        const bt_airing_row *later = made_up_by[i] != SIZE_MAX ? &g->rows[made_up_by[i]] : NULL;
        int line = status_line(a, later != NULL, is_makeup[i]);
        bt_civil aired = bt_time_to_civil(aired_at(a));
        session_sum *sum = session_sum_for(&sessions, aired.year, aired.month,
                                           session_name(g, a->subject.session_id));
        if (!sum) {
            b->failed = true;
            break;
        }
        double minutes = a->duration_ms > 0 ? (double)a->duration_ms / 60000.0 : 0;
        sum->minutes += minutes;
        facts->aired_minutes += minutes;
        if (!a->clock_trusted)
            facts->untrusted_rows++;
        if (line >= 0) {
            counts[line]++;
            sum->slots[line]++;
            if (line == BT_RSLOT_INTERRUPTED || line == BT_RSLOT_FAILED ||
                line == BT_RSLOT_MISSED)
                count_reason(facts, a->reason);
        }
        bt_rcell *row = table_row(t);
        if (!row) {
            b->failed = true;
            break;
        }
        bt_day slot_day = bt_time_day_of(a->subject.scheduled_at);
        cell_date(b, &row[0], slot_day);
        cell_hhmm(b, &row[1], a->subject.scheduled_at);
        cell_datetime_ms(b, &row[2], a->started_at_ms);
        cell_datetime_ms(b, &row[3], a->ended_at_ms);
        if (a->duration_ms >= 0)
            cell_int(b, &row[4], (a->duration_ms + 500) / 1000);
        cell_str(b, &row[5], session_name(g, a->subject.session_id));
        cell_str(b, &row[6], a->subject.item_id);
        cell_str(b, &row[7], a->subject.title);
        cell_str(b, &row[8], a->subject.topic);
        cell_text(b, &row[9], "%s (phiên bản %d)", playlist_name(g, a->subject.playlist_id),
                  a->subject.playlist_version);
        if (is_makeup[i] && a->status == BT_AIRING_COMPLETED)
            cell_str(b, &row[10], "đã phát bù");
        else
            cell_str(b, &row[10], bt_airing_status_label(a->status));
        cell_str(b, &row[11], reason_vi(a, why, sizeof why));
        note_text(a, later, is_makeup[i], i >= g->real_row_count, why, sizeof why);
        cell_str(b, &row[12], why);
        row_fill(b, t, row);
        if (a->status == BT_AIRING_COMPLETED)
            continue;
        bt_rcell *prow = table_row(pt);
        if (!prow) {
            b->failed = true;
            break;
        }
        cell_date(b, &prow[0], slot_day);
        cell_hhmm(b, &prow[1], a->subject.scheduled_at);
        cell_str(b, &prow[2], session_name(g, a->subject.session_id));
        cell_str(b, &prow[3], a->subject.item_id);
        cell_str(b, &prow[4], a->subject.title);
        if (later)
            cell_text(b, &prow[5], "%s — đã phát bù %s", bt_airing_status_label(a->status),
                      when_text(later, when, sizeof when));
        else
            cell_str(b, &prow[5], bt_airing_status_label(a->status));
        cell_str(b, &prow[6], reason_vi(a, why, sizeof why));
    }
    free(made_up_by);
    free(is_makeup);
    if (!b->failed)
        build_sessions(b, r, &sessions);
    free(sessions.items);
    if (facts->reason_count > 1)
        qsort(facts->reasons, facts->reason_count, sizeof facts->reasons[0], reason_order);
    facts->items_completed = distinct_completed(g);
    bt_rtable *st = &r->tables[BT_RT_STATUS];
    int64_t total = 0;
    for (size_t i = 0; i < BT_RSLOT_COUNT && !b->failed; i++) {
        bt_rcell *row = table_row(st);
        if (!row) {
            b->failed = true;
            return;
        }
        cell_str(b, &row[0], status_lines[i]);
        cell_int(b, &row[1], counts[i]);
        total += counts[i];
    }
    facts->slot_total = total;
    bt_rcell *row = table_row(st);
    if (!row) {
        b->failed = true;
        return;
    }
    cell_str(b, &row[0], "Tổng số buổi-tin theo lịch (mỗi buổi-tin tính một lần)");
    cell_int(b, &row[1], total);
}

/* Days in [first, last] on which the weekday mask lets the notice show. */
static int64_t posting_days(bt_day first, bt_day last, uint8_t weekdays)
{
    int64_t n = 0;
    if (weekdays == 0)
        weekdays = BT_WEEKDAYS_ALL;
    for (bt_day d = first; d <= last; d++)
        if (weekdays & (1u << (bt_time_weekday_of_day(d) - 1)))
            n++;
    return n;
}

/* What one notice's rows add up to: showings, seconds and its clip's plays. */
typedef struct {
    int64_t shows;
    double seconds;
    int64_t video_whole, video_cut;
} exposure_sum;

static void exposure_add(exposure_sum *sum, const bt_proof_row *r)
{
    sum->shows += r->shows;
    sum->seconds += r->seconds;
    sum->video_whole += r->video_whole;
    sum->video_cut += r->video_cut;
}

/* Impressions of a notice between two days not yet claimed by another row of the table, from
 * the row `from` on, summed and claimed. */
static exposure_sum exposure_of(const gather *g, const char *playlist_id, const char *notice_id,
                                bt_day first, bt_day last, size_t from, bool *claimed)
{
    exposure_sum sum = {0, 0, 0, 0};
    for (size_t i = from; i < g->impression_count; i++) {
        const bt_proof_row *r = &g->impressions[i];
        if (claimed[i] || r->day < first || r->day > last ||
            strcmp(r->notice_id, notice_id) != 0 || strcmp(r->playlist_id, playlist_id) != 0)
            continue;
        exposure_add(&sum, r);
        claimed[i] = true;
    }
    return sum;
}

/* One notice's row: its names (playlist, notice, title, topic), its posting days (from is
 * BT_DAY_NONE_FROM for a notice the catalogue does not know), days posted in the period (-1:
 * unknown) and its exposure. */
static void screen_row(builder *b, bt_rtable *t, const char *const *text, bt_day from,
                       bt_day until, int64_t days, const exposure_sum *e, int min_per_day)
{
    int64_t shows = e->shows;
    double seconds = e->seconds;
    bt_rcell *row = table_row(t);
    if (!row) {
        b->failed = true;
        return;
    }
    for (size_t k = 0; k < 4; k++)
        cell_str(b, &row[k], text[k]);
    if (from != BT_DAY_NONE_FROM)
        cell_date(b, &row[4], from);
    if (until == BT_DAY_NONE_UNTIL && from != BT_DAY_NONE_FROM)
        cell_str(b, &row[5], "đang đăng");
    else if (until != BT_DAY_NONE_UNTIL)
        cell_date(b, &row[5], until);
    if (days >= 0)
        cell_int(b, &row[6], days);
    cell_int(b, &row[7], shows);
    double minutes = seconds / 60.0;
    cell_dec(b, &row[8], minutes);
    if (days > 0) {
        double per_day = minutes / (double)days;
        cell_dec(b, &row[9], per_day);
        if (shows == 0 && seconds <= 0)
            cell_str(b, &row[10], "chưa hiển thị lần nào");
        else if (row[9].number < min_per_day)
            cell_text(b, &row[10], "dưới mức tối thiểu (%d phút/ngày)", min_per_day);
        else
            cell_str(b, &row[10], "đạt");
    } else if (days == 0) {
        /* its weekdays fall on no day of the period */
        cell_str(b, &row[10], "không có ngày đăng trong kỳ");
    } else {
        cell_str(b, &row[10], "không có trong danh mục thông báo");
    }
    if (e->video_whole || e->video_cut) {
        cell_int(b, &row[11], e->video_whole);
        cell_int(b, &row[12], e->video_cut);
    }
    row_fill(b, t, row);
}

/* The screen per month: notices shown at least once, shows and hours (the document's annex). */
static void build_screen_months(builder *b, bt_report *r, const gather *g)
{
    bt_rtable *t = &r->tables[BT_RT_SCREEN_MONTHS];
    const bt_proof_row **seen = g->impression_count ? malloc(g->impression_count * sizeof *seen)
                                                    : NULL;
    if (g->impression_count && !seen) {
        b->failed = true;
        return;
    }
    bt_civil first = bt_time_to_civil(bt_time_day_start(g->period.first));
    bt_civil last = bt_time_to_civil(bt_time_day_start(g->period.last));
    for (int month = first.year * 12 + first.month - 1;
         month <= last.year * 12 + last.month - 1; month++) {
        int y = month / 12, m = month % 12 + 1;
        bt_day from = bt_time_day_from_ymd(y, m, 1);
        bt_day to = bt_time_day_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
        if (from < g->period.first)
            from = g->period.first;
        if (to > g->period.last)
            to = g->period.last;
        size_t distinct = 0;
        exposure_sum sum = {0, 0, 0, 0};
        for (size_t i = 0; i < g->impression_count; i++) {
            const bt_proof_row *p = &g->impressions[i];
            if (p->day < from || p->day > to || p->shows <= 0)
                continue;
            exposure_add(&sum, p);
            bool dup = false;
            for (size_t k = 0; k < distinct && !dup; k++)
                dup = strcmp(seen[k]->notice_id, p->notice_id) == 0 &&
                      strcmp(seen[k]->playlist_id, p->playlist_id) == 0;
            if (!dup)
                seen[distinct++] = p;
        }
        bt_rcell *row = table_row(t);
        if (!row) {
            b->failed = true;
            break;
        }
        cell_text(b, &row[0], "%02d/%04d", m, y);
        cell_int(b, &row[1], (int64_t)distinct);
        cell_int(b, &row[2], sum.shows);
        cell_dec(b, &row[3], sum.seconds / 3600.0);
        cell_int(b, &row[4], sum.video_whole);
        cell_int(b, &row[5], sum.video_cut);
    }
    free(seen);
}

static void build_screen(builder *b, bt_report *r, const gather *g)
{
    bt_rtable *t = &r->tables[BT_RT_SCREEN];
    int min_per_day = g->opt && g->opt->min_minutes_per_day > 0
                          ? g->opt->min_minutes_per_day
                          : BT_REPORT_DEFAULT_MIN_MINUTES_PER_DAY;
    bool *claimed = g->impression_count ? calloc(g->impression_count, sizeof *claimed) : NULL;
    if (g->impression_count && !claimed) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < g->notice_count && !b->failed; i++) {
        const bt_notice_record *n = &g->notices[i];
        bt_day first = n->from_day > g->period.first ? n->from_day : g->period.first;
        bt_day last = n->until_day < g->period.last ? n->until_day : g->period.last;
        if (first > last)
            continue;
        exposure_sum e = exposure_of(g, n->playlist_id, n->notice_id, first, last, 0, claimed);
        const char *text[4] = {n->playlist_id, n->notice_id, n->title, n->topic};
        screen_row(b, t, text, n->from_day, n->until_day, posting_days(first, last, n->weekdays),
                   &e, min_per_day);
    }
    /* Impressions of notices the catalogue does not know (recorded before it existed). */
    for (size_t i = 0; i < g->impression_count && !b->failed; i++) {
        const bt_proof_row *p = &g->impressions[i];
        if (claimed[i] || p->day < g->period.first || p->day > g->period.last)
            continue;
        exposure_sum e = exposure_of(g, p->playlist_id, p->notice_id, p->day, g->period.last, i,
                                     claimed);
        const char *text[4] = {p->playlist_id, p->notice_id, "", ""};
        screen_row(b, t, text, BT_DAY_NONE_FROM, BT_DAY_NONE_UNTIL, -1, &e, min_per_day);
    }
    free(claimed);
    bt_rfacts *f = &r->facts;
    f->min_minutes_per_day = min_per_day;
    for (size_t i = 0; i < t->rows && !b->failed; i++) {
        const bt_rcell *row = bt_rtable_cell(t, i, 0);
        if (row[7].number > 0)
            f->screen_notices++;
        f->screen_shows += (int64_t)row[7].number;
        f->screen_minutes += row[8].number;
        if (row[9].is_number && row[9].number < min_per_day)
            f->screen_low++;
        if (row[11].is_number || row[12].is_number) {
            f->screen_videos++;
            f->screen_video_whole += (int64_t)row[11].number;
            f->screen_video_cut += (int64_t)row[12].number;
        }
    }
    build_screen_months(b, r, g);
}

/* How a record reached the appliance: the playlist that carried it (in its records or its
 * ghi-nhan.csv), or the staff panel, with when, and what a correction undoes. */
static void record_origin(builder *b, bt_rcell *c, const bt_record_row *x)
{
    char when[DATE_TEXT], hhmm[DATE_TEXT];
    if (x->source == BT_RECORD_FROM_PANEL)
        cell_text(b, c, "bảng theo dõi tại máy, %s %s",
                  bt_time_format_hhmm(x->recorded_at, hhmm, sizeof hhmm),
                  bt_time_format_ddmmyyyy(bt_time_day_of(x->recorded_at), when, sizeof when));
    else if (x->source == BT_RECORD_FROM_CSV)
        cell_text(b, c, "tệp %s của playlist %s (phiên bản %d)", BT_RECORDS_CSV_FILE,
                  x->playlist_id, x->playlist_version);
    else if (x->playlist_version > 0)
        cell_text(b, c, "%s (phiên bản %d)", x->playlist_id, x->playlist_version);
    else
        cell_str(b, c, x->playlist_id);
}

/* The records of the period, each with where it was posted; the table is left out (no
 * columns) when the report has neither such records nor a target of those channels. */
static void build_records(builder *b, bt_report *r, const gather *g)
{
    bt_rtable *t = &r->tables[BT_RT_RECORDS];
    bool recorded_target = false;
    for (size_t i = 0; i < r->progress_count; i++)
        recorded_target = recorded_target ||
                          bt_target_channel_recorded(r->progress[i].target->channel);
    for (size_t i = 0; i < g->record_count && !b->failed; i++) {
        const bt_record_row *x = &g->records[i];
        if (x->day < g->period.first || x->day > g->period.last)
            continue;
        bt_rcell *row = table_row(t);
        if (!row) {
            b->failed = true;
            return;
        }
        cell_date(b, &row[0], x->day);
        cell_str(b, &row[1], bt_target_channel_vi(x->channel));
        cell_int(b, &row[2], x->count);
        cell_str(b, &row[3], x->title);
        cell_str(b, &row[4], x->topic);
        cell_str(b, &row[5], x->link);
        cell_str(b, &row[6], x->note);
        record_origin(b, &row[7], x);
        cell_str(b, &row[8], bt_target_channel_source_vi(x->channel));
        r->record_count += x->count;
    }
    if (!t->rows && !recorded_target)
        t->cols = 0;
}

/* ---- building ----------------------------------------------------------------------------- */

static const char *host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0 || !buf[0])
        snprintf(buf, size, "%s", "không rõ");
    buf[size - 1] = '\0';
    return buf;
}

static void tables_init(bt_report *r)
{
    table_init(&r->tables[BT_RT_INFO], "Thông tin báo cáo", SHEET_SUMMARY, info_headers,
               ARRAY_LEN(info_headers));
    table_init(&r->tables[BT_RT_SUMMARY], "Kết quả thực hiện chỉ tiêu", SHEET_SUMMARY,
               summary_headers, ARRAY_LEN(summary_headers));
    table_init(&r->tables[BT_RT_STATUS], "Tổng hợp nhật ký phát thanh", SHEET_SUMMARY,
               status_headers, ARRAY_LEN(status_headers));
    /* Its columns depend on the period's targets: report_months.c makes them. */
    table_init(&r->tables[BT_RT_MONTHS], "Tiến độ chỉ tiêu theo tháng (lũy kế trong kỳ của chỉ tiêu)",
               SHEET_SUMMARY, NULL, 0);
    table_init(&r->tables[BT_RT_SESSIONS], "Phát thanh theo tháng và buổi phát", SHEET_MONTHS,
               session_headers, ARRAY_LEN(session_headers));
    table_init(&r->tables[BT_RT_SCREEN_MONTHS], "Màn hình theo tháng", SHEET_MONTHS,
               screen_month_headers, ARRAY_LEN(screen_month_headers));
    table_init(&r->tables[BT_RT_AIRINGS], "Danh sách lượt phát thanh", SHEET_AIRINGS,
               airing_headers, ARRAY_LEN(airing_headers));
    table_init(&r->tables[BT_RT_PROBLEMS], "Lượt phát bị bỏ lỡ, bị ngắt hoặc lỗi", SHEET_PROBLEMS,
               problem_headers, ARRAY_LEN(problem_headers));
    table_init(&r->tables[BT_RT_SCREEN], "Hiển thị trên màn hình theo thông báo", SHEET_SCREEN,
               screen_headers, ARRAY_LEN(screen_headers));
    table_init(&r->tables[BT_RT_RECORDS],
               "Tin bài do cán bộ ghi nhận (các kênh máy không tự theo dõi)", SHEET_RECORDS,
               record_headers, ARRAY_LEN(record_headers));
}

static bt_target_inputs inputs_of(const gather *g)
{
    const bt_report_options *o = g->opt;
    bt_target_inputs in = {
        .airings = g->airings,
        .airing_count = g->row_count,
        .exposure = g->exposure,
        .exposure_count = g->impression_count,
        .upcoming_airings = o ? o->upcoming_airings : NULL,
        .upcoming_airing_count = o ? o->upcoming_airing_count : 0,
        .loudspeaker_upcoming_known = o && o->loudspeaker_upcoming_known,
        .upcoming_exposure = o ? o->upcoming_exposure : NULL,
        .upcoming_exposure_count = o ? o->upcoming_exposure_count : 0,
        .screen_upcoming_known = o && o->screen_upcoming_known,
        .today = bt_time_day_of(g->now),
        .records = g->record_inputs,
        .record_count = g->record_count,
    };
    return in;
}

/* The plan's targets as the report's own (the stored history is not read for a forecast). */
static int copy_targets(const bt_targets *from, bt_targets *to)
{
    for (size_t i = 0; from && i < from->count; i++)
        if (bt_targets_append(to, &from->items[i]) != 0)
            return -1;
    return 0;
}

static int compute_progress(bt_report *r, gather *g)
{
    bt_target_inputs in = inputs_of(g);
    size_t n = bt_targets_progress_range(&r->targets, g->period.first, g->period.last, &in, NULL,
                                         0);
    if (n && !(r->progress = calloc(n, sizeof *r->progress)))
        return -1;
    r->progress_count =
        bt_targets_progress_range(&r->targets, g->period.first, g->period.last, &in,
                                  r->progress, n);
    if (r->progress_count != n)
        return -1;
    return bt_report_build_months(r, &in);
}

/* The check of the part of the airing log the report reads (bt_airing_verify_slots), on a
 * thread of its own (it reads through a connection of its own) while the report is gathered
 * and built: on the appliance's two cores the report waits for the longer of the two, not for
 * their sum. */
typedef struct {
    bt_store *store;
    bt_wall from, to;
    bt_airing_verify_result *out;
    int rc;
    pthread_t thread;
    bool running;
} log_check;

static void *log_check_main(void *arg)
{
    log_check *c = arg;
    c->rc = bt_airing_verify_slots(c->store, c->from, c->to, c->out);
    return NULL;
}

static void log_check_start(log_check *c, bt_store *s, bt_wall from, bt_wall to,
                            bt_airing_verify_result *out)
{
    *c = (log_check){.store = s, .from = from, .to = to, .out = out, .rc = -1};
    c->running = pthread_create(&c->thread, NULL, log_check_main, c) == 0;
    if (!c->running)
        log_check_main(c); /* no thread to be had: the check first, then the rest */
}

static int log_check_finish(log_check *c)
{
    if (c->running)
        pthread_join(c->thread, NULL);
    c->running = false;
    return c->rc;
}

static char *copy_or_empty(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s ? s : "", n);
        c[n] = '\0';
    }
    return c;
}

/* The document's fixed parts, copied out of the options (borrowed only during the build). */
static int copy_document(bt_rdoc_text *d, const bt_report_options *opt)
{
    const bt_report_document *o = opt ? &opt->document : NULL;
    d->issuer = copy_or_empty(o ? o->issuer : NULL);
    d->parent = copy_or_empty(o ? o->parent : NULL);
    d->place = copy_or_empty(o ? o->place : NULL);
    d->symbol = copy_or_empty(o ? o->symbol : NULL);
    d->signer_title = copy_or_empty(o ? o->signer_title : NULL);
    d->signer_name = copy_or_empty(o ? o->signer_name : NULL);
    d->recipients = copy_or_empty(o ? o->recipients : NULL);
    d->ward = copy_or_empty(opt ? opt->ward : NULL);
    return d->issuer && d->parent && d->place && d->symbol && d->signer_title &&
                   d->signer_name && d->recipients && d->ward
               ? 0
               : -1;
}

static void free_document(bt_rdoc_text *d)
{
    free(d->issuer);
    free(d->parent);
    free(d->place);
    free(d->symbol);
    free(d->signer_title);
    free(d->signer_name);
    free(d->recipients);
    free(d->ward);
}

int bt_report_build(bt_store *s, const bt_period *p, const bt_report_options *opt,
                    bt_report **out, char *err, size_t err_size)
{
    log_check check = {0};
    char host[HOST_BYTES], label[LABEL_TEXT];
    gather g = {.store = s, .opt = opt, .err = err, .err_size = err_size};
    builder b = {false};
    const bt_report_forecast *f = opt ? opt->forecast : NULL;
    *out = NULL;
    set_err(err, err_size, "%s", "");
    if ((!s && !f) || !p || p->first > p->last) {
        set_err(err, err_size, "Kỳ báo cáo không hợp lệ.");
        return -1;
    }
    bt_report *r = calloc(1, sizeof *r);
    if (!r || !(g.verify = malloc(sizeof *g.verify))) {
        free(r);
        set_err(err, err_size, "Không đủ bộ nhớ để lập báo cáo.");
        return -1;
    }
    r->period = g.period = *p;
    r->csv_separator = opt && opt->csv_separator == ',' ? ',' : ';';
    g.now = opt && opt->generated_at ? opt->generated_at : (bt_wall)time(NULL);
    tables_init(r);
    r->forecast = f != NULL;
    r->forecast_from = f ? f->from : 0;
    r->forecast_mixed = f && s && f->from > bt_time_day_start(p->first);
    if (f ? copy_targets(f->targets, &r->targets) != 0
          : bt_targets_store_history(s, &r->targets) != 0) {
        set_err(err, err_size, "Không đọc được lịch sử chỉ tiêu.");
        goto fail;
    }
    needed_days(&g, &r->targets);
    if (!s) {
        /* A forecast with no store: no log to check. */
        memset(g.verify, 0, sizeof *g.verify);
    } else if (opt && opt->log_check) {
        *g.verify = *opt->log_check;
        g.verify_rc = g.verify->problem_count > 0 ? 1 : 0;
    } else {
        bt_wall from, to;
        airing_span(&g, &from, &to);
        log_check_start(&check, s, from, to, g.verify);
    }
    if (load_airings(&g) != 0 || load_screen(&g) != 0 || load_records(&g) != 0)
        goto fail;
    if (compute_progress(r, &g) != 0)
        goto oom;
    if (s && !(opt && opt->log_check))
        g.verify_rc = log_check_finish(&check);
    r->log_intact = !s || g.verify_rc == 0;
    if (copy_document(&r->doc, opt) != 0)
        goto oom;
    build_records(&b, r, &g); /* first: the info table counts its rows */
    build_info(&b, r, &g, opt && opt->ward ? opt->ward : "",
               opt && opt->device ? opt->device : host_name(host, sizeof host));
    build_summary(&b, r);
    build_airings(&b, r, &g);
    build_screen(&b, r, &g);
    /* A forecast says so in its title, which every format shows first. */
    const char *kind = f ? "DỰ KIẾN — Báo cáo dự kiến" : "Báo cáo";
    size_t n = (size_t)snprintf(NULL, 0, "%s kết quả tuyên truyền CCHC — %s", kind,
                                bt_period_label_vi(p, label, sizeof label));
    if (b.failed || !(r->title = malloc(n + 1)))
        goto oom;
    snprintf(r->title, n + 1, "%s kết quả tuyên truyền CCHC — %s", kind, label);
    gather_free(&g);
    *out = r;
    return 0;

oom:
    set_err(err, err_size, "Không đủ bộ nhớ để lập báo cáo.");
fail:
    log_check_finish(&check); /* it writes into g.verify, freed next */
    gather_free(&g);
    bt_report_destroy(r);
    return -1;
}

void bt_report_destroy(bt_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < BT_RT_COUNT; i++)
        table_free(&r->tables[i]);
    for (size_t i = 0; i < r->bar_count; i++)
        free(r->bars[i].label);
    free(r->bars);
    free(r->title);
    free_document(&r->doc);
    free(r->progress);
    bt_targets_free(&r->targets);
    free(r);
}

int bt_report_progress_today(bt_store *s, bt_wall now, const bt_report_options *opt,
                             bt_targets *targets, bt_target_progress **out, size_t *count)
{
    char err[256] = "không đủ bộ nhớ";
    /* As of `now`: the running kiosk's log holds nothing later anyway, and a screenshot of a
     * past moment must not count what aired after it (issue 14). */
    gather g = {.store = s, .opt = opt, .now = now, .as_of_now = true, .err = err,
                .err_size = sizeof err};
    int rc = -1;
    bt_targets_init(targets);
    *out = NULL;
    *count = 0;
    if (!s || bt_targets_store_history(s, targets) != 0)
        return -1;
    bt_day today = bt_time_day_of(now);
    g.period = (bt_period){BT_PERIOD_DAY, today, today};
    needed_days(&g, targets);
    g.need_last = today; /* impressions of later days had not been counted yet */
    if (load_airings(&g) != 0 || load_screen(&g) != 0 || load_records(&g) != 0)
        goto done;
    bt_target_inputs in = inputs_of(&g);
    size_t n = bt_targets_progress_today(targets, &in, NULL, 0);
    if (n && !(*out = calloc(n, sizeof **out)))
        goto done;
    *count = bt_targets_progress_today(targets, &in, *out, n);
    rc = 0;
done:
    if (rc != 0) {
        bt_log_error("Không tính được tiến độ chỉ tiêu: %s", err);
        bt_targets_free(targets);
    }
    gather_free(&g);
    return rc;
}

const bt_target_progress *bt_report_progress(const bt_report *r, size_t *count)
{
    *count = r ? r->progress_count : 0;
    return r ? r->progress : NULL;
}

bool bt_report_log_intact(const bt_report *r)
{
    return r && r->log_intact;
}

bool bt_report_is_forecast(const bt_report *r)
{
    return r && r->forecast;
}

/* ---- saving ------------------------------------------------------------------------------- */

int bt_report_save(const bt_report *r, bt_report_format f, const char *path, char *err,
                   size_t err_size)
{
    char tmp[BT_MAX_PATH_BYTES + 16];
    set_err(err, err_size, "%s", "");
    if (!r || !path || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        set_err(err, err_size, "Đường dẫn tệp báo cáo không hợp lệ.");
        return -1;
    }
    int rc;
    if (f == BT_REPORT_XLSX || f == BT_REPORT_DOCX) {
        rc = f == BT_REPORT_XLSX ? bt_report_write_xlsx(r, tmp, err, err_size)
                                 : bt_report_write_docx(r, tmp, err, err_size);
        /* Both zip writers close their file themselves: synced here, as the other formats are. */
        int fd = rc == 0 ? open(tmp, O_RDONLY) : -1;
        if (rc == 0 && (fd < 0 || fsync(fd) != 0)) {
            set_err(err, err_size, "Không ghi được tệp \"%s\": %s", tmp, bt_vi_errno(errno).text);
            rc = -1;
        }
        if (fd >= 0)
            close(fd);
    } else {
        FILE *out = fopen(tmp, "wb");
        if (!out) {
            set_err(err, err_size, "Không tạo được tệp \"%s\": %s", tmp, bt_vi_errno(errno).text);
            return -1;
        }
        rc = f == BT_REPORT_CSV ? bt_report_write_csv(r, out, r->csv_separator, err, err_size)
                                : bt_report_write_html(r, out, err, err_size);
        /* fflush + fsync: the file goes to a USB stick that staff pull out right after. */
        if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
            if (rc == 0)
                set_err(err, err_size, "Không ghi được tệp \"%s\": %s", tmp,
                        bt_vi_errno(errno).text);
            rc = -1;
        }
        if (fclose(out) != 0 && rc == 0) {
            set_err(err, err_size, "Không ghi được tệp \"%s\": %s", tmp, bt_vi_errno(errno).text);
            rc = -1;
        }
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        set_err(err, err_size, "Không đổi tên \"%s\" thành \"%s\": %s", tmp, path,
                bt_vi_errno(errno).text);
        rc = -1;
    }
    if (rc != 0)
        remove(tmp);
    return rc;
}

int bt_report_write(bt_store *s, const bt_period *p, bt_report_format f, const char *path,
                    const bt_report_options *opt)
{
    char err[512];
    bt_report *r = NULL;
    if (bt_report_build(s, p, opt, &r, err, sizeof err) != 0 ||
        bt_report_save(r, f, path, err, sizeof err) != 0) {
        bt_log_error("Không lập được báo cáo \"%s\": %s", path ? path : "", err);
        bt_report_destroy(r);
        return -1;
    }
    bt_report_destroy(r);
    return 0;
}
