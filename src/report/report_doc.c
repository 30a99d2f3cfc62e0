/* The báo cáo the culture department files, in the form of Nghị định 30/2020/NĐ-CP: masthead
 * (issuing body, quốc hiệu and tiêu ngữ, "Số: …/BC-UBND", place and date), BÁO CÁO with its
 * trích yếu, a body written as sentences from the report's figures, the targets' table and a
 * chart by month, nơi nhận and the signature block, then an annex summed per month and session.
 * The row-by-row lists stay in the XLSX and CSV: a year of them printed as 683 pages.
 *
 * Every sentence is built here from the same built report the tables come from (bt_rfacts,
 * the progress rows, the months table); the HTML and DOCX writers only render. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"
#include "report_doc.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_LINES 12 /* of the signature block and of nơi nhận */
#define NUM_TEXT 32

/* ---- words -------------------------------------------------------------------------------- */

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The ward's name without "UBND" or "Ủy ban nhân dân" before it: "phường Bạch Mai". */
static const char *ward_unit(const char *ward, char *buf, size_t size)
{
    static const char *const bodies[] = {"UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân ",
                                         "ỦY BAN NHÂN DÂN ", "Ủy Ban Nhân Dân "};
    static const char *const kinds[][2] = {
        {"Phường ", "phường "}, {"PHƯỜNG ", "phường "}, {"Xã ", "xã "}, {"XÃ ", "xã "},
        {"Thị trấn ", "thị trấn "}, {"THỊ TRẤN ", "thị trấn "}};
    while (*ward == ' ')
        ward++;
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++)
        if (starts_with(ward, bodies[i])) {
            ward += strlen(bodies[i]);
            break;
        }
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (starts_with(ward, kinds[i][0])) {
            snprintf(buf, size, "%s%s", kinds[i][1], ward + strlen(kinds[i][0]));
            return buf;
        }
    snprintf(buf, size, "%s", ward);
    return buf;
}

/* "Bạch Mai" of "phường Bạch Mai": the place of the date line. */
static const char *place_of(const char *unit)
{
    static const char *const kinds[] = {"phường ", "xã ", "thị trấn "};
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (starts_with(unit, kinds[i]))
            return unit + strlen(kinds[i]);
    return unit;
}

static const char *const roman[] = {"I", "II", "III", "IV"};

/* A period as a sentence reads it: "quý IV năm 2025", "9 tháng đầu năm 2025". */
static const char *period_phrase(const bt_period *p, char *buf, size_t size)
{
    int y, m;
    char a[32], b[32];
    bt_time_ymd_from_day(p->first, &y, &m, NULL);
    switch (p->kind) {
    case BT_PERIOD_MONTH: snprintf(buf, size, "tháng %d năm %d", m, y); break;
    case BT_PERIOD_QUARTER: snprintf(buf, size, "quý %s năm %d", roman[(m - 1) / 3], y); break;
    case BT_PERIOD_NINE_MONTHS: snprintf(buf, size, "9 tháng đầu năm %d", y); break;
    case BT_PERIOD_YEAR: snprintf(buf, size, "năm %d", y); break;
    case BT_PERIOD_DAY:
    default:
        snprintf(buf, size, "từ ngày %s đến ngày %s",
                 bt_time_format_ddmmyyyy(p->first, a, sizeof a),
                 bt_time_format_ddmmyyyy(p->last, b, sizeof b));
        break;
    }
    return buf;
}

static const char *period_word(bt_period_kind k)
{
    return k == BT_PERIOD_MONTH ? "tháng" : k == BT_PERIOD_QUARTER ? "quý" : "năm";
}

/* What one unit of a target is called in a sentence. */
static const char *unit_of(const bt_target *t)
{
    switch (t->counts) {
    case BT_TARGET_COUNT_AIRINGS: return "lượt phát";
    case BT_TARGET_COUNT_NOTICES: return "thông báo";
    case BT_TARGET_COUNT_MINUTES: return "phút";
    case BT_TARGET_COUNT_ITEMS:
    default: return "tin bài";
    }
}

/* A share as Vietnamese prints it, always with one decimal after a comma: "200,0 %", "12,5 %"
 * (a whole "149 %" beside "141,5 %" in the "Tỷ lệ" column read as two precisions; the CSV and
 * the XLSX show one decimal too). The decree's texts space the sign; the space does not break,
 * so a narrow column never puts the sign on a line of its own. */
#define NBSP "\u00a0"
static const char *percent_text(int64_t done, int64_t required, char *buf, size_t size)
{
    if (required <= 0) {
        snprintf(buf, size, "–");
        return buf;
    }
    long long tenths = (long long)((double)done * 1000.0 / (double)required + 0.5);
    snprintf(buf, size, "%lld,%lld" NBSP "%%", tenths / 10, tenths % 10);
    return buf;
}

/* Minutes or hours with one decimal and a comma: "7,6"; a whole number as "70" in a sentence
 * and as "70,0" in a table's column (tables keep their figures aligned). Never negative here. */
static const char *decimal(double v, bool in_column, char *buf, size_t size)
{
    long long tenths = v > 0 ? (long long)(v * 10.0 + 0.5) : 0;
    char whole[26]; /* the largest count with its dots is 25 bytes */
    bt_text_count(tenths / 10, whole, sizeof whole);
    if (tenths % 10 || in_column)
        snprintf(buf, size, "%s,%c", whole, (char)('0' + tenths % 10));
    else
        snprintf(buf, size, "%s", whole);
    return buf;
}

static const char *count(int64_t v, char *buf, size_t size)
{
    return bt_text_count(v, buf, size);
}

/* Splits text at sep into at most cap trimmed, non-empty pieces pointing into buf. */
static size_t split(const char *text, char sep, char *buf, size_t size, const char **out,
                    size_t cap)
{
    size_t n = 0;
    snprintf(buf, size, "%s", text);
    for (char *p = buf; p && n < cap;) {
        char *end = strchr(p, sep);
        if (end)
            *end = '\0';
        while (*p == ' ')
            p++;
        size_t len = strlen(p);
        while (len && p[len - 1] == ' ')
            p[--len] = '\0';
        if (len)
            out[n++] = p;
        p = end ? end + 1 : NULL;
    }
    return n;
}

/* ---- the frame: masthead and closing ------------------------------------------------------- */

typedef struct {
    char unit[256], place[256], issuer[320], number[96], date_line[320];
    char *parent_upper, *issuer_upper;
    char signer_buf[512], recipient_buf[1024];
    const char *signer[MAX_LINES], *recipient_raw[MAX_LINES];
    char recipient_lines[MAX_LINES][300];
    const char *recipient[MAX_LINES];
    rd_frame f;
} frame;

static void frame_free(frame *fr)
{
    free(fr->parent_upper);
    free(fr->issuer_upper);
}

static int frame_make(frame *fr, const bt_report *r)
{
    const bt_rdoc_text *d = &r->doc;
    memset(fr, 0, sizeof *fr);
    ward_unit(d->ward, fr->unit, sizeof fr->unit);
    if (d->issuer[0])
        snprintf(fr->issuer, sizeof fr->issuer, "%s", d->issuer);
    else
        snprintf(fr->issuer, sizeof fr->issuer, "Ủy ban nhân dân %s",
                 fr->unit[0] ? fr->unit : "phường");
    snprintf(fr->place, sizeof fr->place, "%s", d->place[0] ? d->place : place_of(fr->unit));
    if (!fr->place[0])
        snprintf(fr->place, sizeof fr->place, "……………");
    fr->parent_upper = bt_text_upper(d->parent);
    fr->issuer_upper = bt_text_upper(fr->issuer);
    if (!fr->parent_upper || !fr->issuer_upper)
        return -1;
    /* "ỦY BAN NHÂN DÂN" on a line of its own, the unit under it, as mastheads are set. */
    fr->f.issuer_lines[0] = fr->issuer_upper;
    fr->f.issuer_lines[1] = "";
    static const char body[] = "ỦY BAN NHÂN DÂN ";
    if (starts_with(fr->issuer_upper, body) && fr->issuer_upper[sizeof body - 1]) {
        fr->issuer_upper[sizeof body - 2] = '\0';
        fr->f.issuer_lines[1] = fr->issuer_upper + sizeof body - 1;
    }
    fr->f.parent = fr->parent_upper;
    /* The number and the day are left blank: the văn thư gives them when the report is signed. */
    snprintf(fr->number, sizeof fr->number, "Số:          /%s",
             d->symbol[0] ? d->symbol : "BC-UBND");
    bt_civil now = bt_time_to_civil(r->facts.generated_at);
    snprintf(fr->date_line, sizeof fr->date_line, "%s, ngày      tháng      năm %d", fr->place,
             now.year);
    fr->f.number = fr->number;
    fr->f.date_line = fr->date_line;
    fr->f.signer_count =
        split(d->signer_title[0] ? d->signer_title
                                 : "TM. ỦY BAN NHÂN DÂN/KT. CHỦ TỊCH/PHÓ CHỦ TỊCH",
              '/', fr->signer_buf, sizeof fr->signer_buf, fr->signer, MAX_LINES);
    fr->f.signer = fr->signer;
    fr->f.signer_name = d->signer_name;
    size_t n = split(d->recipients[0] ? d->recipients
                                      : "Phòng Văn hóa - Xã hội;Lưu: VT, VHXH",
                     ';', fr->recipient_buf, sizeof fr->recipient_buf, fr->recipient_raw,
                     MAX_LINES);
    for (size_t i = 0; i < n; i++) {
        snprintf(fr->recipient_lines[i], sizeof fr->recipient_lines[i], "- %s%s",
                 fr->recipient_raw[i], i + 1 == n ? "." : ";");
        fr->recipient[i] = fr->recipient_lines[i];
    }
    fr->f.recipients = fr->recipient;
    fr->f.recipient_count = n;
    fr->f.title = r->title;
    return 0;
}

/* ---- strings made for the document -------------------------------------------------------- */

/* A list of malloc'd strings: a table's cells row by row, or the chart's labels. */
typedef struct {
    char **items;
    size_t count, cap;
    bool failed;
} strs;

static void strs_addf(strs *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void strs_addf(strs *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    char **bigger = bt_grow(s->items, &s->cap, s->count + 1, sizeof *s->items);
    bt_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (!bigger || n < 0 || !bt_buf_reserve(&b, (size_t)n + 1)) {
        s->failed = true;
        free(b.data);
        return;
    }
    s->items = bigger;
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->items[s->count++] = b.data;
}

static void strs_free(strs *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* ---- the document's parts ----------------------------------------------------------------- */

typedef struct {
    const bt_report *r;
    const rd_writer *w;
    void *ctx;
    const frame *fr;
    bt_buf line;       /* the sentence being written */
    bool failed;
} doc;

static void say(doc *d, rd_style st)
{
    if (d->line.failed) {
        d->failed = true;
    } else if (d->line.len) {
        d->w->para(d->ctx, st, d->line.data);
    }
    d->line.len = 0;
    if (d->line.data)
        d->line.data[0] = '\0';
}

static void para(doc *d, rd_style st, const char *text)
{
    bt_buf_str(&d->line, text);
    say(d, st);
}

/* The sentences on the loudspeaker: how the period's slots ended, each counted once. */
static void loudspeaker_part(doc *d)
{
    const bt_rfacts *f = &d->r->facts;
    char a[NUM_TEXT], b[NUM_TEXT], c[NUM_TEXT];
    para(d, RD_SUBHEADING, "1. Trên hệ thống loa truyền thanh của phường");
    if (f->slot_total == 0) {
        para(d, RD_BODY, "Trong kỳ không có buổi phát thanh nào theo lịch trên loa phường.");
        return;
    }
    bt_buf_printf(&d->line, "Trong kỳ có %s buổi-tin phát trên loa theo lịch (mỗi tin trong một "
                            "buổi tính một lần): %s phát đúng lịch",
                  count(f->slot_total, a, sizeof a), count(f->slots[BT_RSLOT_ON_TIME], b, sizeof b));
    if (f->slots[BT_RSLOT_MADE_UP])
        bt_buf_printf(&d->line, ", %s phát bù sau khi bị lỡ hoặc bị ngắt",
                      count(f->slots[BT_RSLOT_MADE_UP], a, sizeof a));
    int64_t not_aired = f->slots[BT_RSLOT_MISSED] + f->slots[BT_RSLOT_INTERRUPTED] +
                        f->slots[BT_RSLOT_FAILED];
    if (not_aired)
        bt_buf_printf(&d->line, ", %s chưa phát được và chưa phát bù",
                      count(not_aired, a, sizeof a));
    if (f->slots[BT_RSLOT_AIRING])
        bt_buf_printf(&d->line, ", %s đang phát lúc lập báo cáo",
                      count(f->slots[BT_RSLOT_AIRING], a, sizeof a));
    bt_buf_printf(&d->line, ". Đã phát trọn vẹn %s tin bài khác nhau, tổng thời lượng %s phút.",
                  count(f->items_completed, b, sizeof b), decimal(f->aired_minutes, false, c, sizeof c));
    say(d, RD_BODY);
}

static void screen_part(doc *d)
{
    const bt_rfacts *f = &d->r->facts;
    char a[NUM_TEXT], b[NUM_TEXT], c[NUM_TEXT];
    para(d, RD_SUBHEADING, "2. Trên màn hình thông tin tại Bộ phận Một cửa");
    if (f->screen_shows == 0) {
        para(d, RD_BODY, "Trong kỳ màn hình không ghi nhận lượt hiển thị thông báo nào.");
        return;
    }
    bt_buf_printf(&d->line, "Màn hình đã hiển thị %s thông báo, %s lượt, tổng cộng %s giờ.",
                  count(f->screen_notices, a, sizeof a), count(f->screen_shows, b, sizeof b),
                  decimal(f->screen_minutes / 60.0, false, c, sizeof c));
    if (f->screen_videos)
        bt_buf_printf(&d->line, " Trong đó %s video được chiếu trọn %s lượt, %s lượt bị cắt ngang "
                                "(màn hình tắt, đổi playlist hoặc thời lượng đặt ngắn hơn video).",
                      count(f->screen_videos, a, sizeof a),
                      count(f->screen_video_whole, b, sizeof b),
                      count(f->screen_video_cut, c, sizeof c));
    if (f->screen_low)
        bt_buf_printf(&d->line, " Có %s thông báo hiển thị dưới mức tối thiểu %d phút/ngày.",
                      count(f->screen_low, a, sizeof a), f->min_minutes_per_day);
    say(d, RD_BODY);
}

/* The channels the appliance cannot observe: what staff recorded, counted per channel in the
 * order the records table lists them, marked as theirs. Left out when the report has neither
 * such records nor a target of those channels (the table then has no columns). */
static bool records_part(doc *d, int number)
{
    const bt_rtable *t = &d->r->tables[BT_RT_RECORDS];
    char a[NUM_TEXT];
    if (t->cols == 0)
        return false;
    bt_buf_printf(&d->line, "%d. Trên các kênh khác (số liệu do cán bộ ghi nhận)", number);
    say(d, RD_SUBHEADING);
    if (t->rows == 0 || d->r->record_count <= 0) {
        para(d, RD_BODY, "Trong kỳ cán bộ chưa ghi nhận tin bài nào trên Trang thông tin của "
                         "Thành phố, trang thông tin điện tử của phường, hội nghị, nhóm Zalo "
                         "hay kênh khác.");
        return true;
    }
    /* Each row counts its tin/bài (column 2); a correction's negative count takes an undone
     * entry off again. */
    bt_buf_printf(&d->line, "Cán bộ đã ghi nhận %s tin bài",
                  count(d->r->record_count, a, sizeof a));
    const char *sep = ": ";
    for (size_t i = 0; i < t->rows; i++) {
        const char *channel = bt_rtable_cell(t, i, 1)->text;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(bt_rtable_cell(t, k, 1)->text, channel) == 0;
        if (seen)
            continue;
        int64_t n = 0;
        for (size_t k = i; k < t->rows; k++)
            if (strcmp(bt_rtable_cell(t, k, 1)->text, channel) == 0)
                n += (int64_t)bt_rtable_cell(t, k, 2)->number;
        if (n <= 0)
            continue; /* every entry there was undone */
        bt_buf_printf(&d->line, "%s%s trên %s", sep, count(n, a, sizeof a), channel);
        sep = ", ";
    }
    bt_buf_str(&d->line, " (danh sách tại Phụ lục; máy không tự theo dõi các kênh này nên số "
                         "liệu do cán bộ ghi nhận).");
    say(d, RD_BODY);
    return true;
}

/* "đã phát 4 tin bài, đạt chỉ tiêu 2 tin bài/quý (200 %)" and its kin, for one progress row. */
static void target_result(bt_buf *out, const bt_target_progress *p, bool forecast)
{
    const bt_target *t = p->target;
    char done[NUM_TEXT], req[NUM_TEXT], pct[NUM_TEXT], left[NUM_TEXT];
    const char *unit = unit_of(t);
    static const char *const verbs[2][2] = {{"đã phát", "đã hiển thị"},
                                            {"dự kiến phát được", "dự kiến hiển thị"}};
    bt_buf_printf(out, "%s %s %s", verbs[forecast][t->channel == BT_TARGET_SCREEN],
                  count(p->done, done, sizeof done), unit);
    count(p->required, req, sizeof req);
    percent_text(p->done, p->required, pct, sizeof pct);
    switch (p->state) {
    case BT_TARGET_MET:
        bt_buf_printf(out, ", đạt chỉ tiêu %s %s/%s (%s)", req, unit, period_word(t->period), pct);
        break;
    case BT_TARGET_MISSED:
        bt_buf_printf(out, ", không đạt chỉ tiêu %s %s/%s (%s), còn thiếu %s", req, unit,
                      period_word(t->period), pct, count(p->remaining, left, sizeof left));
        break;
    case BT_TARGET_AT_RISK:
        bt_buf_printf(out, " trên chỉ tiêu %s %s/%s (%s); lịch phát còn lại trong kỳ không đủ để "
                           "đạt (còn thiếu %s)",
                      req, unit, period_word(t->period), pct,
                      count(p->remaining, left, sizeof left));
        break;
    case BT_TARGET_ON_TRACK:
    default:
        bt_buf_printf(out, " trên chỉ tiêu %s %s/%s (%s), đang thực hiện, còn %d ngày", req, unit,
                      period_word(t->period), pct, p->days_left);
        break;
    }
}

static const unsigned char target_widths[] = {6, 14, 19, 15, 11, 10, 10, 15};
static const bool target_numeric[] = {true, false, false, false, false, true, true, false};
static const char *const target_headers[] = {"STT",    "Chỉ tiêu",     "Kênh",   "Kỳ",
                                             "Yêu cầu", "Đã thực hiện", "Tỷ lệ", "Kết quả"};

static void targets_part(doc *d, int number)
{
    const bt_report *r = d->r;
    char period[64], a[NUM_TEXT], b[NUM_TEXT], c[NUM_TEXT];
    bt_buf_printf(&d->line, "%d. Kết quả thực hiện các chỉ tiêu của kế hoạch", number);
    say(d, RD_SUBHEADING);
    if (r->progress_count == 0) {
        para(d, RD_BODY, "Trong kỳ không có chỉ tiêu nào áp dụng (chưa nạp playlist có chỉ "
                         "tiêu, xem mục targets trong hướng dẫn playlist).");
        return;
    }
    strs cells = {0};
    bool recorded = false;
    for (size_t i = 0; i < r->progress_count; i++) {
        const bt_target_progress *p = &r->progress[i];
        const bt_target *t = p->target;
        period_phrase(&p->period, period, sizeof period);
        bt_buf_printf(&d->line, "- Chỉ tiêu “%s” trên %s, %s: ", t->label,
                      bt_target_channel_vi(t->channel), period);
        target_result(&d->line, p, bt_report_is_forecast(r));
        bt_buf_str(&d->line, ".");
        say(d, RD_ITEM);
        strs_addf(&cells, "%zu", i + 1);
        strs_addf(&cells, "%s", t->label);
        strs_addf(&cells, "%s%s", bt_target_channel_vi(t->channel),
                  bt_target_channel_recorded(t->channel) ? " (*)" : "");
        recorded = recorded || bt_target_channel_recorded(t->channel);
        strs_addf(&cells, "%s", bt_period_label_vi(&p->period, period, sizeof period));
        strs_addf(&cells, "%s %s", count(p->required, a, sizeof a), unit_of(t));
        strs_addf(&cells, "%s", count(p->done, b, sizeof b));
        strs_addf(&cells, "%s", percent_text(p->done, p->required, c, sizeof c));
        char state[96];
        strs_addf(&cells, "%s", bt_report_state_text(r, p, state, sizeof state));
    }
    if (cells.failed) {
        d->failed = true;
    } else {
        para(d, RD_CAPTION, "Bảng 1. Kết quả thực hiện chỉ tiêu");
        rd_table t = {"bt-doc-targets", target_headers, ARRAY_LEN(target_headers),
                      r->progress_count, (const char *const *)cells.items, target_widths,
                      target_numeric, false};
        d->w->table(d->ctx, &t);
        if (recorded)
            para(d, RD_NOTE, "(*) Kênh máy không tự theo dõi: số liệu do cán bộ ghi nhận.");
    }
    strs_free(&cells);
}

/* A value axis from 0 over the largest share (at least 100 %), in at most eight round steps. */
static void axis_of(const double *v, size_t n, double *top, double *step)
{
    static const double steps[] = {25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000};
    double max = 100;
    for (size_t i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    *step = steps[ARRAY_LEN(steps) - 1];
    for (size_t i = 0; i < ARRAY_LEN(steps); i++)
        if (max / steps[i] <= 8) {
            *step = steps[i];
            break;
        }
    *top = ceil(max / *step - 1e-9) * *step;
}

/* The months table (report_months.c) as shares of each target's requirement. */
static void chart_part(doc *d)
{
    const bt_report *r = d->r;
    const bt_rtable *m = &r->tables[BT_RT_MONTHS];
    if (!m->cols || !m->rows || !r->month_series_count)
        return;
    size_t ns = r->month_series_count, nc = m->rows;
    strs labels = {0}, names = {0};
    double *v = malloc(ns * nc * sizeof *v);
    /* "T10" when the chart is one year (its title says which), "T10/25" across years. */
    const char *first = bt_rtable_cell(m, 0, 0)->text, *last = bt_rtable_cell(m, nc - 1, 0)->text;
    bool one_year = strlen(first) == 7 && strlen(last) == 7 && strcmp(first + 3, last + 3) == 0;
    for (size_t k = 0; k < nc; k++) {
        const char *mm_yyyy = bt_rtable_cell(m, k, 0)->text; /* "10/2025" */
        int mm = atoi(mm_yyyy);
        if (one_year || strlen(mm_yyyy) != 7)
            strs_addf(&labels, "T%d", mm);
        else
            strs_addf(&labels, "T%d/%s", mm, mm_yyyy + 5);
    }
    for (size_t s = 0; s < ns && v; s++) {
        const bt_rseries *x = &r->month_series[s];
        /* The months table's header reads "label — channel, counts/period: đã thực hiện". */
        const char *h = m->headers[x->done_col];
        const char *colon = strrchr(h, ':');
        strs_addf(&names, "%.*s", colon ? (int)(colon - h) : (int)strlen(h), h);
        for (size_t k = 0; k < nc; k++) {
            const bt_rcell *done = bt_rtable_cell(m, k, x->done_col);
            const bt_rcell *req = bt_rtable_cell(m, k, x->required_col);
            v[s * nc + k] = done->is_number && req->is_number && req->number > 0
                                ? done->number * 100.0 / req->number
                                : -1.0;
        }
    }
    if (!v || labels.failed || names.failed) {
        d->failed = true;
    } else {
        para(d, RD_CAPTION, "Biểu đồ 1. Tiến độ các chỉ tiêu theo tháng (% so với yêu cầu, lũy "
                            "kế trong kỳ của từng chỉ tiêu)");
        rd_chart c = {"Tiến độ chỉ tiêu theo tháng", nc, (const char *const *)labels.items, ns,
                      (const char *const *)names.items, v, 0, 0};
        axis_of(v, ns * nc, &c.axis_top, &c.axis_step);
        d->w->chart(d->ctx, &c);
    }
    free(v);
    strs_free(&labels);
    strs_free(&names);
}

static void trust_part(doc *d)
{
    const bt_rfacts *f = &d->r->facts;
    char a[NUM_TEXT], b[NUM_TEXT];
    para(d, RD_SUBHEADING, "4. Độ tin cậy của số liệu");
    if (f->log_rc == 0)
        bt_buf_printf(&d->line, "Số liệu lấy tự động từ nhật ký của thiết bị. Nhật ký phát thanh "
                                "đã được kiểm tra bằng chuỗi mã băm: toàn vẹn, %s dòng, không "
                                "dòng nào bị sửa hay xóa.",
                      count((int64_t)f->log_rows_checked, a, sizeof a));
    else if (f->log_rc > 0)
        bt_buf_printf(&d->line, "Nhật ký phát thanh KHÔNG toàn vẹn: phát hiện %s vấn đề trong %s "
                                "dòng; số liệu về loa trong báo cáo này có thể đã bị sửa, cần "
                                "kiểm tra thiết bị trước khi sử dụng.",
                      count((int64_t)f->log_problems, a, sizeof a),
                      count((int64_t)f->log_rows_checked, b, sizeof b));
    else
        bt_buf_str(&d->line, "Không kiểm tra được tính toàn vẹn của nhật ký phát thanh (lỗi đọc "
                             "cơ sở dữ liệu của thiết bị).");
    if (f->untrusted_rows)
        bt_buf_printf(&d->line, " Có %s lượt phát mà đồng hồ của máy bị lệch lúc phát, nên thời "
                                "điểm ghi trong nhật ký có thể chưa chính xác (đã đánh dấu trong "
                                "danh sách chi tiết).",
                      count(f->untrusted_rows, a, sizeof a));
    else
        bt_buf_str(&d->line, " Không lượt phát nào bị ảnh hưởng bởi sai lệch đồng hồ của máy.");
    say(d, RD_BODY);
}

/* II: what was not done and why, from the figures; nothing to say is said too. */
static void shortfalls_part(doc *d)
{
    const bt_report *r = d->r;
    const bt_rfacts *f = &r->facts;
    char a[NUM_TEXT], period[64], why[160];
    para(d, RD_HEADING, "II. TỒN TẠI, HẠN CHẾ");
    bool any = false;
    for (size_t i = 0; i < r->progress_count; i++) {
        const bt_target_progress *p = &r->progress[i];
        if (p->state != BT_TARGET_MISSED && p->state != BT_TARGET_AT_RISK)
            continue;
        any = true;
        bt_buf_printf(&d->line, "- Chỉ tiêu “%s” trên %s, %s %s: còn thiếu %s %s.",
                      p->target->label, bt_target_channel_vi(p->target->channel),
                      period_phrase(&p->period, period, sizeof period),
                      p->state == BT_TARGET_MISSED ? "không đạt" : "có nguy cơ không đạt",
                      count(p->remaining, a, sizeof a), unit_of(p->target));
        say(d, RD_ITEM);
    }
    int64_t not_aired = f->slots[BT_RSLOT_MISSED] + f->slots[BT_RSLOT_INTERRUPTED] +
                        f->slots[BT_RSLOT_FAILED];
    if (not_aired) {
        any = true;
        bt_buf_printf(&d->line, "- %s buổi-tin trên loa chưa phát được và chưa được phát bù, do ",
                      count(not_aired, a, sizeof a));
        for (size_t i = 0; i < f->reason_count; i++) {
            const char *words = f->reasons[i].code[0]
                                    ? bt_vi_reason(f->reasons[i].code, why, sizeof why)
                                    : "không rõ lý do";
            bt_buf_printf(&d->line, "%s%s (%s)", i ? "; " : "", words,
                          count(f->reasons[i].count, a, sizeof a));
        }
        bt_buf_str(&d->line, " (chi tiết: danh sách lượt phát trong tệp Excel của cùng kỳ).");
        say(d, RD_ITEM);
    }
    if (!any)
        para(d, RD_BODY, "Không có chỉ tiêu nào không đạt hoặc có nguy cơ không đạt; không có "
                         "buổi phát thanh nào bị lỡ mà chưa được phát bù.");
}

static const unsigned char session_widths[] = {11, 19, 11, 10, 9, 9, 8, 9, 14};
static const bool session_numeric[] = {false, false, true, true, true, true, true, true, true};
static const unsigned char screen_widths[] = {15, 17, 17, 17, 17, 17};
static const bool screen_numeric[] = {false, true, true, true, true, true};

/* A table of the report (annex) as the document prints it: the cells' own text, with the
 * thousands dots and decimal commas the document uses for figures. */
static void annex_table(doc *d, const bt_rtable *t, const char *id, const unsigned char *widths,
                        const bool *numeric)
{
    strs cells = {0};
    char a[NUM_TEXT];
    for (size_t i = 0; i < t->rows; i++)
        for (size_t k = 0; k < t->cols; k++) {
            const bt_rcell *c = bt_rtable_cell(t, i, k);
            if (c->is_number && c->decimals)
                strs_addf(&cells, "%s", decimal(c->number, true, a, sizeof a));
            else if (c->is_number)
                strs_addf(&cells, "%s", count((int64_t)c->number, a, sizeof a));
            else
                strs_addf(&cells, "%s", c->text);
        }
    if (cells.failed) {
        d->failed = true;
    } else {
        bool total = t->rows && strcmp(bt_rtable_cell(t, t->rows - 1, 0)->text, "Cộng") == 0;
        rd_table x = {id, t->headers, t->cols, t->rows, (const char *const *)cells.items, widths,
                      numeric, total};
        d->w->table(d->ctx, &x);
    }
    strs_free(&cells);
}

/* The records in the annex: when, where, what and its link, the columns a reader checks; the
 * playlist that carried each and the source column stay in the XLSX and CSV. */
static const size_t record_columns[] = {0, 1, 2, 3, 5, 6};
static const char *const record_doc_headers[] = {"Ngày", "Kênh", "Số", "Tin bài",
                                                 "Địa chỉ bài đăng", "Ghi chú"};
static const unsigned char record_widths[] = {13, 19, 6, 28, 20, 14};
static const bool record_numeric[] = {false, false, true, false, false, false};

static void records_annex(doc *d)
{
    const bt_rtable *t = &d->r->tables[BT_RT_RECORDS];
    if (t->cols == 0)
        return;
    para(d, RD_SUBHEADING, "3. Tin bài do cán bộ ghi nhận trên các kênh khác");
    if (t->rows == 0) {
        para(d, RD_BODY, "Không có tin bài nào được ghi nhận trong kỳ.");
        return;
    }
    strs cells = {0};
    for (size_t i = 0; i < t->rows; i++)
        for (size_t k = 0; k < ARRAY_LEN(record_columns); k++)
        {
            const char *text = bt_rtable_cell(t, i, record_columns[k])->text;
            strs_addf(&cells, "%s", text ? text : "");
        }
    if (cells.failed) {
        d->failed = true;
    } else {
        rd_table x = {"bt-records", record_doc_headers, ARRAY_LEN(record_doc_headers), t->rows,
                      (const char *const *)cells.items, record_widths, record_numeric, false};
        d->w->table(d->ctx, &x);
    }
    strs_free(&cells);
}

static void annex_part(doc *d)
{
    const bt_report *r = d->r;
    const bt_rfacts *f = &r->facts;
    char period[64], when[64];
    d->w->page_break(d->ctx);
    para(d, RD_ANNEX, "Phụ lục");
    bt_buf_printf(&d->line, "KẾT QUẢ PHÁT THANH VÀ HIỂN THỊ THÔNG BÁO %s",
                  period_phrase(&r->period, period, sizeof period));
    char *upper = bt_text_upper(d->line.data ? d->line.data : "");
    d->line.len = 0;
    if (!upper) {
        d->failed = true;
        return;
    }
    para(d, RD_ANNEX, upper);
    free(upper);
    bt_buf_printf(&d->line, "(Kèm theo Báo cáo số        /%s ngày      tháng      năm %d của %s)",
                  r->doc.symbol[0] ? r->doc.symbol : "BC-UBND",
                  bt_time_to_civil(f->generated_at).year, d->fr->issuer);
    say(d, RD_CENTRE_NOTE);
    para(d, RD_SUBHEADING, "1. Phát thanh trên loa theo tháng và buổi phát");
    if (r->tables[BT_RT_SESSIONS].rows)
        annex_table(d, &r->tables[BT_RT_SESSIONS], "bt-doc-sessions", session_widths,
                    session_numeric);
    else
        para(d, RD_BODY, "Không có buổi phát thanh nào trong kỳ.");
    para(d, RD_NOTE, "Mỗi tin trong một buổi theo lịch tính một lần: buổi bị lỡ rồi được phát bù "
                     "tính ở cột \"Phát bù\" của tháng phát bù; các cột \"Bị ngắt\", \"Lỗi\", "
                     "\"Bỏ lỡ\" chỉ gồm những buổi chưa được phát bù.");
    para(d, RD_SUBHEADING, "2. Hiển thị thông báo trên màn hình theo tháng");
    annex_table(d, &r->tables[BT_RT_SCREEN_MONTHS], "bt-doc-screen", screen_widths,
                screen_numeric);
    records_annex(d);
    bt_civil g = bt_time_to_civil(f->generated_at);
    snprintf(when, sizeof when, "%02d:%02d ngày %02d/%02d/%04d", g.hour, g.minute, g.day, g.month,
             g.year);
    bt_buf_printf(&d->line, "Số liệu lập tự động lúc %s từ nhật ký của thiết bị %s. Danh sách "
                            "từng lượt phát và từng thông báo: tệp Excel (XLSX) hoặc CSV của cùng "
                            "kỳ.",
                  when, f->device);
    say(d, RD_NOTE);
}

/* The value of a row of the report's information table ("Khoảng máy tắt giả định" …), or "". */
static const char *info_value(const bt_report *r, const char *key)
{
    const bt_rtable *t = &r->tables[BT_RT_INFO];
    for (size_t i = 0; i < t->rows; i++) {
        const char *k = bt_rtable_cell(t, i, 0)->text;
        const char *v = bt_rtable_cell(t, i, 1)->text;
        if (k && v && strcmp(k, key) == 0)
            return v;
    }
    return "";
}

/* A forecast says, before any figure, that its figures are a simulation and of what. */
static void forecast_note(doc *d)
{
    if (!bt_report_is_forecast(d->r))
        return;
    bt_buf_printf(&d->line, "Đây là báo cáo DỰ KIẾN, không phải số liệu đã thực hiện: %s; khoảng "
                            "máy tắt giả định: %s. Màn hình và các kênh do cán bộ ghi nhận không "
                            "được mô phỏng.",
                  info_value(d->r, "Cách lập (dự kiến)"),
                  info_value(d->r, "Khoảng máy tắt giả định"));
    say(d, RD_BODY);
}

int bt_report_doc_emit(const bt_report *r, const rd_writer *w, void *ctx)
{
    frame fr;
    char period[64], range[96], a[32], b[32];
    if (frame_make(&fr, r) != 0) {
        frame_free(&fr);
        return -1;
    }
    doc d = {r, w, ctx, &fr, {0}, false};
    w->masthead(ctx, &fr.f);
    para(&d, RD_TITLE, bt_report_is_forecast(r) ? "BÁO CÁO DỰ KIẾN" : "BÁO CÁO");
    period_phrase(&r->period, period, sizeof period);
    bt_buf_printf(&d.line, "Kết quả thông tin, tuyên truyền cải cách hành chính %s", period);
    say(&d, RD_SUBJECT);
    range[0] = '\0';
    if (r->period.kind != BT_PERIOD_DAY)
        snprintf(range, sizeof range, " (từ ngày %s đến ngày %s)",
                 bt_time_format_ddmmyyyy(r->period.first, a, sizeof a),
                 bt_time_format_ddmmyyyy(r->period.last, b, sizeof b));
    bt_buf_printf(&d.line, "Thực hiện kế hoạch thông tin, tuyên truyền về cải cách hành chính, "
                           "%s báo cáo kết quả thông tin, tuyên truyền cải cách hành chính %s%s "
                           "trên hệ thống loa truyền thanh và màn hình thông tin tại Bộ phận Một "
                           "cửa như sau:",
                  fr.issuer, period, range);
    say(&d, RD_BODY);
    forecast_note(&d);
    para(&d, RD_HEADING, "I. KẾT QUẢ THỰC HIỆN");
    loudspeaker_part(&d);
    screen_part(&d);
    targets_part(&d, records_part(&d, 3) ? 4 : 3);
    chart_part(&d);
    trust_part(&d);
    shortfalls_part(&d);
    bt_buf_printf(&d.line, "Trên đây là báo cáo kết quả thông tin, tuyên truyền cải cách hành "
                           "chính %s của %s./.",
                  period, fr.issuer);
    say(&d, RD_CLOSING);
    w->closing(ctx, &fr.f);
    annex_part(&d);
    bool failed = d.failed || d.line.failed;
    free(d.line.data);
    frame_free(&fr);
    return failed ? -1 : 0;
}
