/* XLSX through libxlsxwriter: a summary sheet ("Tổng hợp": report facts, targets, log totals)
 * and detail sheets (the airing list, missed and interrupted airings, screen exposure), each
 * table with its Vietnamese title and header row. Cells are written as strings or numbers —
 * never as formulas — so text from a USB stick cannot run in Excel. */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report_internal.h"

/* Excel limits a sheet name to 31 characters; ours are shorter. At most one sheet per table. */
#define MAX_SHEETS BT_RT_COUNT
/* Column widths in Excel's character units: wide enough to read, never a screen wide. */
#define MIN_COLUMN_WIDTH 8
#define MAX_COLUMN_WIDTH 60
#define MAX_COLUMNS 16

typedef struct {
    const char *name;
    lxw_worksheet *ws;
    lxw_row_t row;                  /* next free row */
    double width[MAX_COLUMNS];
} sheet;

typedef struct {
    lxw_format *title, *heading, *header, *number, *decimal, *date, *time, *datetime;
} formats;

static sheet *sheet_for(sheet *sheets, size_t *count, lxw_workbook *wb, const char *name,
                        const bt_report *r, const formats *f)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(sheets[i].name, name) == 0)
            return &sheets[i];
    if (*count == MAX_SHEETS)
        return NULL;
    sheet *s = &sheets[(*count)++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->ws = workbook_add_worksheet(wb, name);
    if (!s->ws)
        return NULL;
    worksheet_write_string(s->ws, 0, 0, r->title, f->title);
    s->row = 2;
    return s;
}

/* Characters of UTF-8 text, counted as lead bytes: close enough for a column width, and this
 * runs for every cell. */
static size_t chars_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void widen(sheet *s, size_t col, const char *text)
{
    double w = (double)chars_of(text) + 2;
    if (col < MAX_COLUMNS && w > s->width[col])
        s->width[col] = w;
}

static void put_table(sheet *s, const bt_rtable *t, const formats *f)
{
    worksheet_write_string(s->ws, s->row++, 0, t->title, f->heading);
    for (size_t k = 0; k < t->cols; k++) {
        worksheet_write_string(s->ws, s->row, (lxw_col_t)k, t->headers[k], f->header);
        widen(s, k, t->headers[k]);
    }
    s->row++;
    for (size_t r = 0; r < t->rows; r++, s->row++) {
        for (size_t k = 0; k < t->cols; k++) {
            const bt_rcell *c = bt_rtable_cell(t, r, k);
            if (c->when != BT_RCELL_PLAIN)
                worksheet_write_number(s->ws, s->row, (lxw_col_t)k, c->serial,
                                       c->when == BT_RCELL_DATE   ? f->date
                                       : c->when == BT_RCELL_TIME ? f->time
                                                                  : f->datetime);
            else if (c->is_number)
                worksheet_write_number(s->ws, s->row, (lxw_col_t)k, c->number,
                                       c->decimals ? f->decimal : f->number);
            else if (c->text && c->text[0])
                worksheet_write_string(s->ws, s->row, (lxw_col_t)k, c->text, NULL);
            widen(s, k, c->text ? c->text : "");
        }
    }
    s->row++; /* an empty row between tables */
}

static void make_formats(lxw_workbook *wb, formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->heading = workbook_add_format(wb);
    format_set_bold(f->heading);
    format_set_font_size(f->heading, 12);
    f->header = workbook_add_format(wb);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xE0E0E0);
    format_set_border(f->header, LXW_BORDER_THIN);
    f->number = workbook_add_format(wb);
    format_set_num_format(f->number, "0");
    f->decimal = workbook_add_format(wb);
    format_set_num_format(f->decimal, "0.0");
    /* Dates as the ward writes them; real date values underneath. */
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "dd/mm/yyyy");
    f->time = workbook_add_format(wb);
    format_set_num_format(f->time, "hh:mm");
    f->datetime = workbook_add_format(wb);
    format_set_num_format(f->datetime, "dd/mm/yyyy hh:mm:ss");
}

int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    sheet sheets[MAX_SHEETS];
    size_t sheet_count = 0;
    formats f;
    /* Not constant_memory: measured no faster on a year of airings, and the shared-string
     * table keeps the file small (a session's or an item's name repeats thousands of times). */
    lxw_workbook_options options = {.constant_memory = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb) {
        snprintf(err, err_size, "Không tạo được tệp Excel \"%s\".", path);
        return -1;
    }
    static char author[] = "bangtin", comments[] = "Báo cáo lập tự động trên thiết bị";
    lxw_doc_properties props = {.title = r->title, .author = author, .comments = comments};
    workbook_set_properties(wb, &props);
    make_formats(wb, &f);
    for (size_t i = 0; i < BT_RT_COUNT; i++) {
        sheet *s = sheet_for(sheets, &sheet_count, wb, r->tables[i].sheet, r, &f);
        if (!s) {
            workbook_close(wb);
            snprintf(err, err_size, "Không tạo được trang tính \"%s\".", r->tables[i].sheet);
            return -1;
        }
        put_table(s, &r->tables[i], &f);
    }
    for (size_t i = 0; i < sheet_count; i++) {
        for (size_t k = 0; k < MAX_COLUMNS; k++) {
            double w = sheets[i].width[k];
            if (w <= 0)
                continue;
            w = w < MIN_COLUMN_WIDTH ? MIN_COLUMN_WIDTH : w > MAX_COLUMN_WIDTH ? MAX_COLUMN_WIDTH : w;
            worksheet_set_column(sheets[i].ws, (lxw_col_t)k, (lxw_col_t)k, w, NULL);
        }
    }
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR) {
        snprintf(err, err_size, "Không ghi được tệp Excel \"%s\": %s", path, lxw_strerror(rc));
        return -1;
    }
    return 0;
}
