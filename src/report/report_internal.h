/* Private to the report room: a built report as plain tables of cells, which every writer
 * (CSV, XLSX, HTML) renders as it is, so the three formats cannot disagree on a figure. */
#ifndef BT_REPORT_INTERNAL_H
#define BT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bangtin/bt_report.h"
#include "bangtin/bt_targets.h"

/* What a date or time cell is, for XLSX, which stores it as a number with a date format
 * (Excel can sort and filter it, and unique date strings would bloat the shared strings). */
typedef enum { BT_RCELL_PLAIN = 0, BT_RCELL_DATE, BT_RCELL_TIME, BT_RCELL_DATETIME } bt_rcell_when;

/* A cell: text as every format shows it; numbers, dates and times also carry their value for
 * XLSX (dates as Excel serial days: 1899-12-30 = 0). */
typedef struct {
    char *text;      /* owned, UTF-8 */
    bool is_number;
    double number;
    int decimals;    /* for numbers: 0 or 1 */
    bt_rcell_when when;
    double serial;   /* for dates and times */
} bt_rcell;

typedef struct {
    const char *title;            /* Vietnamese section title */
    const char *sheet;            /* XLSX sheet it goes to (≤ 31 characters) */
    const char *const *headers;
    size_t cols;
    bt_rcell *cells;              /* rows × cols, row major; owned */
    size_t rows, cap_rows;
} bt_rtable;

enum { BT_RT_INFO, BT_RT_SUMMARY, BT_RT_STATUS, BT_RT_AIRINGS, BT_RT_PROBLEMS, BT_RT_SCREEN,
       BT_RT_COUNT };

/* One bar of the HTML chart. */
typedef struct {
    char *label;                  /* owned */
    int64_t done, required;
    bt_target_state state;
} bt_rbar;

struct bt_report {
    bt_period period;
    bt_rtable tables[BT_RT_COUNT];
    char *title;                  /* owned: "Báo cáo ... — Quý IV/2025" */
    bt_rbar *bars;                /* owned */
    size_t bar_count;
    bool log_intact;
    /* the model the tables were made from (progress rows borrow from targets) */
    bt_targets targets;
    bt_target_progress *progress;
    size_t progress_count;
};

/* Writers: 0, or -1 with a Vietnamese message in err. */
int bt_report_write_csv(const bt_report *r, FILE *out, char *err, size_t err_size);
int bt_report_write_html(const bt_report *r, FILE *out, char *err, size_t err_size);
int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size);

/* xl/theme/theme1.xml of every XLSX (report_xlsx_theme.c). */
extern const char bt_report_xlsx_theme[];

/* The cell at (row, col). */
static inline const bt_rcell *bt_rtable_cell(const bt_rtable *t, size_t row, size_t col)
{
    return &t->cells[row * t->cols + col];
}

#endif
