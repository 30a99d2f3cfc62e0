/* XLSX through libxlsxwriter: a summary sheet first ("Tổng hợp": report facts, targets, log
 * totals, the months table and a chart per channel of each target's progress by month beside
 * its requirement), then the detail sheets (the airing list, missed and interrupted airings,
 * screen exposure), each table with its Vietnamese title and header row.
 *
 * Made for the culture department's Excel: dates and times are numbers with dd/mm/yyyy and
 * hh:mm formats (they sort and filter), counts and minutes carry "#,##0" / "#,##0.0", which a
 * Vietnamese-locale Excel or LibreOffice shows as 44.640 and 465,0 (format codes are locale-free;
 * the reader's locale picks the marks), shares "0.0%" (12,5%). Header rows are frozen and repeated on every printed
 * page, detail tables have an autofilter, every sheet prints landscape on A4, one page wide.
 * Cells are strings or numbers, never formulas, so text from a USB stick cannot run in Excel.
 *
 * Speed: libxlsxwriter's XML (fprintf per cell) and its deflate at zlib's default level make a
 * year's XLSX about 100 ms of CPU dearer than the hand-written package this replaced; its
 * constant-memory mode keeps that in the budget (bench/README.md). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "bangtin/bt_log.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_vi.h"
#include "report_internal.h"

/* Column widths in Excel's character units: wide enough to read, never a screen wide. */
#define MIN_COLUMN_WIDTH 8
#define MAX_COLUMN_WIDTH 60
/* The months table's headers name their target: narrower than the text, they wrap. */
#define MONTHS_COLUMN_WIDTH 18
#define MAX_COLUMNS 64
#define MAX_SHEETS BT_RT_COUNT
/* Excel's paper size code for A4. */
#define PAPER_A4 9
/* A chart of a year's twelve months reads well at about 720 × 360 pixels. */
#define CHART_WIDTH_SCALE 1.5
#define CHART_HEIGHT_SCALE 1.25
/* Rows a chart covers at that size (15-pixel rows), and a blank one after it. */
#define CHART_ROWS 22

typedef struct {
    lxw_format *title, *heading, *header, *wrap_header, *date, *time, *datetime, *integer,
        *decimal, *percent;
} styles;

typedef struct {
    lxw_worksheet *ws;
    const char *name;
    lxw_row_t row;                /* next free row */
    double width[MAX_COLUMNS];
    size_t tables;
    lxw_row_t header_row;         /* of its first table */
    lxw_row_t last_row;           /* of its first table's data */
    size_t first_cols;            /* columns of its first table */
    bool first_has_rows;
} sheet;

static styles make_styles(lxw_workbook *wb)
{
    styles s;
    s.title = workbook_add_format(wb);
    format_set_bold(s.title);
    format_set_font_size(s.title, 14);
    s.heading = workbook_add_format(wb);
    format_set_bold(s.heading);
    format_set_font_size(s.heading, 12);
    s.header = workbook_add_format(wb);
    format_set_bold(s.header);
    format_set_bg_color(s.header, 0xE0E0E0);
    format_set_border(s.header, LXW_BORDER_THIN);
    s.wrap_header = workbook_add_format(wb);
    format_set_bold(s.wrap_header);
    format_set_bg_color(s.wrap_header, 0xE0E0E0);
    format_set_border(s.wrap_header, LXW_BORDER_THIN);
    format_set_text_wrap(s.wrap_header);
    format_set_align(s.wrap_header, LXW_ALIGN_VERTICAL_TOP);
    s.date = workbook_add_format(wb);
    format_set_num_format(s.date, "dd/mm/yyyy");
    s.time = workbook_add_format(wb);
    format_set_num_format(s.time, "hh:mm");
    s.datetime = workbook_add_format(wb);
    format_set_num_format(s.datetime, "dd/mm/yyyy hh:mm:ss");
    s.integer = workbook_add_format(wb);
    format_set_num_format(s.integer, "#,##0");
    s.decimal = workbook_add_format(wb);
    format_set_num_format(s.decimal, "#,##0.0");
    s.percent = workbook_add_format(wb);
    format_set_num_format(s.percent, "0.0%");
    return s;
}

/* Characters of UTF-8 text, counted as lead bytes: close enough for a column width. */
static size_t chars_of(const char *p)
{
    size_t n = 0;
    for (; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

static void widen(sheet *s, size_t col, const char *text, double cap)
{
    double w = (double)chars_of(text) + 2;
    if (w > cap)
        w = cap;
    if (col < MAX_COLUMNS && w > s->width[col])
        s->width[col] = w;
}

static lxw_error put_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const bt_rcell *c,
                          const styles *st)
{
    switch (c->when) {
    case BT_RCELL_DATE: return worksheet_write_number(ws, row, col, c->serial, st->date);
    case BT_RCELL_TIME: return worksheet_write_number(ws, row, col, c->serial, st->time);
    case BT_RCELL_DATETIME: return worksheet_write_number(ws, row, col, c->serial, st->datetime);
    case BT_RCELL_PLAIN: break;
    }
    if (c->is_number)
        return worksheet_write_number(ws, row, col, c->number,
                                      c->percent    ? st->percent
                                      : c->decimals ? st->decimal
                                                    : st->integer);
    if (c->text && c->text[0])
        return worksheet_write_string(ws, row, col, c->text, NULL);
    return LXW_NO_ERROR;
}

/* A table: its title, its header row, its rows, then an empty row. Records where the sheet's
 * first table's header and last row are (frozen, filtered, repeated when printed). */
static lxw_error put_table(sheet *s, const bt_rtable *t, const styles *st, bool months)
{
    lxw_error e = worksheet_write_string(s->ws, s->row++, 0, t->title, st->heading);
    lxw_row_t header = s->row++;
    for (size_t k = 0; k < t->cols && e == LXW_NO_ERROR; k++) {
        e = worksheet_write_string(s->ws, header, (lxw_col_t)k, t->headers[k],
                                   months ? st->wrap_header : st->header);
        widen(s, k, t->headers[k], months && k ? MONTHS_COLUMN_WIDTH : MAX_COLUMN_WIDTH);
    }
    for (size_t r = 0; r < t->rows && e == LXW_NO_ERROR; r++, s->row++)
        for (size_t k = 0; k < t->cols && e == LXW_NO_ERROR; k++) {
            const bt_rcell *c = bt_rtable_cell(t, r, k);
            e = put_cell(s->ws, s->row, (lxw_col_t)k, c, st);
            widen(s, k, c->text ? c->text : "", MAX_COLUMN_WIDTH);
        }
    if (s->tables++ == 0) {
        s->header_row = header;
        s->first_cols = t->cols;
        s->first_has_rows = t->rows > 0;
        s->last_row = t->rows ? s->row - 1 : header;
    }
    s->row++; /* an empty row between tables */
    return e;
}

/* One chart per channel on the summary sheet, under its tables: for each of the channel's
 * targets, by month, a filled column of what was done so far in its period beside a hollow
 * column, in the same colour, of what the period requires. (The target as a line over the
 * columns needs a combined chart, which libxlsxwriter does not make: issue 89 upstream.) */
static const lxw_color_t series_colours[] = {0x1F4E79, 0xC55A11, 0x548235, 0x7030A0, 0xBF8F00,
                                             0x2E75B6, 0x843C0C, 0x375623};
#define SERIES_COLOURS (sizeof series_colours / sizeof *series_colours)
/* A hollow column's outline, in points: thick enough to read as "the bar to reach". */
#define TARGET_OUTLINE_WIDTH 2.25

static lxw_error put_charts(lxw_workbook *wb, sheet *s, const bt_report *r, lxw_row_t head)
{
    const bt_rtable *t = &r->tables[BT_RT_MONTHS];
    if (!t->rows || !r->month_series_count)
        return LXW_NO_ERROR;
    lxw_row_t first = head + 1, last = head + (lxw_row_t)t->rows;
    for (int ch = BT_TARGET_LOUDSPEAKER; ch < BT_TARGET_CHANNEL_COUNT; ch++) {
        lxw_chart *chart = NULL;
        size_t shown = 0;
        for (size_t i = 0; i < r->month_series_count; i++) {
            const bt_rseries *x = &r->month_series[i];
            if ((int)x->channel != ch)
                continue;
            if (!chart && !(chart = workbook_add_chart(wb, LXW_CHART_COLUMN)))
                return LXW_ERROR_MEMORY_MALLOC_FAILED;
            lxw_chart_series *done = chart_add_series(chart, NULL, NULL);
            lxw_chart_series *need = chart_add_series(chart, NULL, NULL);
            if (!done || !need)
                return LXW_ERROR_MEMORY_MALLOC_FAILED;
            lxw_color_t colour = series_colours[shown++ % SERIES_COLOURS];
            lxw_chart_fill solid = {.color = colour};
            lxw_chart_fill hollow = {.none = LXW_TRUE};
            lxw_chart_line outline = {.color = colour, .width = TARGET_OUTLINE_WIDTH};
            chart_series_set_categories(done, s->name, first, 0, last, 0);
            chart_series_set_values(done, s->name, first, (lxw_col_t)x->done_col, last,
                                    (lxw_col_t)x->done_col);
            chart_series_set_name_range(done, s->name, head, (lxw_col_t)x->done_col);
            chart_series_set_fill(done, &solid);
            chart_series_set_categories(need, s->name, first, 0, last, 0);
            chart_series_set_values(need, s->name, first, (lxw_col_t)x->required_col, last,
                                    (lxw_col_t)x->required_col);
            chart_series_set_name_range(need, s->name, head, (lxw_col_t)x->required_col);
            chart_series_set_fill(need, &hollow);
            chart_series_set_line(need, &outline);
        }
        if (!chart)
            continue;
        char title[256];
        snprintf(title, sizeof title, "Chỉ tiêu trên %s theo tháng: đã thực hiện%s và yêu cầu",
                 bt_target_channel_vi((bt_target_channel)ch),
                 bt_target_channel_recorded((bt_target_channel)ch) ? " (do cán bộ ghi nhận)"
                                                                   : "");
        chart_title_set_name(chart, title);
        chart_axis_set_name(chart->x_axis, "Tháng");
        chart_axis_set_name(chart->y_axis, "Lũy kế trong kỳ của chỉ tiêu");
        chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
        lxw_chart_options o = {.x_scale = CHART_WIDTH_SCALE, .y_scale = CHART_HEIGHT_SCALE};
        lxw_error e = worksheet_insert_chart_opt(s->ws, s->row, 0, chart, &o);
        if (e != LXW_NO_ERROR)
            return e;
        s->row += CHART_ROWS;
    }
    return LXW_NO_ERROR;
}

/* Page set-up and views: landscape A4, one page wide, header rows frozen and repeated; the
 * detail sheets (one table each) get an autofilter on it. */
static void finish_sheet(sheet *s, bool summary)
{
    for (size_t k = 0; k < MAX_COLUMNS; k++) {
        double w = s->width[k];
        if (w <= 0)
            continue;
        w = w < MIN_COLUMN_WIDTH ? MIN_COLUMN_WIDTH : w;
        worksheet_set_column(s->ws, (lxw_col_t)k, (lxw_col_t)k, w, NULL);
    }
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, PAPER_A4);
    worksheet_fit_to_pages(s->ws, 1, 0);
    if (summary) {
        /* several tables: the report's title stays in view and heads every page */
        worksheet_freeze_panes(s->ws, 1, 0);
        worksheet_repeat_rows(s->ws, 0, 0);
        worksheet_activate(s->ws);
        return;
    }
    worksheet_freeze_panes(s->ws, s->header_row + 1, 0);
    worksheet_repeat_rows(s->ws, s->header_row, s->header_row);
    if (s->first_cols)
        worksheet_autofilter(s->ws, s->header_row, 0, s->last_row, (lxw_col_t)(s->first_cols - 1));
}

static sheet *sheet_for(lxw_workbook *wb, sheet *sheets, size_t *count, const char *name,
                        const bt_report *r, const styles *st)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(sheets[i].name, name) == 0)
            return &sheets[i];
    if (*count == MAX_SHEETS)
        return NULL;
    sheet *s = &sheets[*count];
    memset(s, 0, sizeof *s);
    s->name = name;
    if (!(s->ws = workbook_add_worksheet(wb, name)))
        return NULL;
    (*count)++;
    worksheet_write_string(s->ws, 0, 0, r->title, st->title);
    s->row = 2;
    return s;
}

/* What went wrong, for staff: libxlsxwriter's texts are English, so they go to the log for IT
 * and staff read the cause in Vietnamese (a full or read-only disk is an errno). */
static const char *xlsx_error_vi(lxw_error e, int saved_errno)
{
    bt_log_debug("libxlsxwriter: %s", lxw_strerror(e));
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED: return "không đủ bộ nhớ";
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return saved_errno ? bt_vi_errno(saved_errno).text : "lỗi đọc/ghi tệp";
    default: return "lỗi của thư viện tạo tệp Excel (chi tiết trong nhật ký)";
    }
}

/* Writes the workbook to path. 0, or -1 with a Vietnamese message in err. */
int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    sheet sheets[MAX_SHEETS];
    size_t sheet_count = 0;
    /* Rows go out to a temporary file as they are written (strings inline, no shared-string
     * tree): a year's 80 000 cells are never all in memory twice, which saved a fifth of the
     * CPU of a yearly report (bench/README.md). The rows are written in order, as it needs.
     * TMPDIR, as every tool honours it; else libxlsxwriter's tmpfile() in /tmp. */
    const char *tmp = getenv("TMPDIR");
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE,
                                 .tmpdir = (char *)(uintptr_t)(tmp && tmp[0] ? tmp : NULL)};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        snprintf(err, err_size, "Không tạo được tệp Excel \"%s\".", path);
        return -1;
    }
    lxw_doc_properties props = {.title = r->title, .author = "bangtin",
                                .comments = "Báo cáo lập tự động trên thiết bị"};
    workbook_set_properties(wb, &props);
    styles st = make_styles(wb);
    lxw_error e = LXW_NO_ERROR;
    lxw_row_t months_head = 0;
    for (size_t i = 0; i < BT_RT_COUNT && e == LXW_NO_ERROR; i++) {
        const bt_rtable *t = &r->tables[i];
        if (!t->cols)
            continue; /* the months table without targets */
        sheet *s = sheet_for(wb, sheets, &sheet_count, t->sheet, r, &st);
        if (!s) {
            snprintf(err, err_size, "Không tạo được trang tính \"%s\".", t->sheet);
            workbook_close(wb);
            unlink(path);
            return -1;
        }
        if (i == BT_RT_MONTHS)
            months_head = s->row + 1;
        e = put_table(s, t, &st, i == BT_RT_MONTHS);
        if (i == BT_RT_MONTHS && e == LXW_NO_ERROR)
            e = put_charts(wb, s, r, months_head);
    }
    for (size_t i = 0; i < sheet_count; i++)
        finish_sheet(&sheets[i], i == 0);
    errno = 0;
    lxw_error closed = workbook_close(wb);
    int saved_errno = errno;
    if (e == LXW_NO_ERROR)
        e = closed;
    if (e != LXW_NO_ERROR) {
        snprintf(err, err_size, "Không ghi được tệp Excel \"%s\": %s.", path,
                 xlsx_error_vi(e, saved_errno));
        unlink(path);
        return -1;
    }
    return 0;
}
