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
    bool percent;    /* a share: number is the fraction, text "12.5%" */
    bt_rcell_when when;
    double serial;   /* for dates and times */
} bt_rcell;

typedef struct {
    const char *title;            /* Vietnamese section title */
    const char *sheet;            /* XLSX sheet it goes to (≤ 31 characters) */
    const char *const *headers;
    char **owned_headers;         /* when the headers are made per report (months): owned, cols */
    size_t cols;
    bt_rcell *cells;              /* rows × cols, row major; owned */
    size_t rows, cap_rows;
} bt_rtable;

enum { BT_RT_INFO, BT_RT_SUMMARY, BT_RT_STATUS, BT_RT_MONTHS, BT_RT_AIRINGS, BT_RT_PROBLEMS,
       BT_RT_SCREEN, BT_RT_COUNT };

/* Targets charted month by month (one pair of columns each). A period holds a handful per
 * channel (BT_MAX_TARGETS per playlist); a ten-year range could name more ids, and those beyond
 * this stay in the summary table only. */
#define BT_REPORT_MAX_SERIES 64

/* One target's two columns in the months table: what was done so far and what its period
 * requires; the XLSX charts them per channel (columns against a line). */
typedef struct {
    bt_target_channel channel;
    size_t done_col, required_col;
} bt_rseries;

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
    bt_rseries month_series[BT_REPORT_MAX_SERIES]; /* columns of tables[BT_RT_MONTHS] */
    size_t month_series_count;
    bool log_intact;
    char csv_separator;           /* ';' or ',' (bt_report_options) */
    /* the model the tables were made from (progress rows borrow from targets) */
    bt_targets targets;
    bt_target_progress *progress;
    size_t progress_count;
};

/* Fills tables[BT_RT_MONTHS] and month_series from the report's progress rows and what they
 * were computed from (report_months.c). 0 / -1 on allocation failure. */
int bt_report_build_months(bt_report *r, const bt_target_inputs *in);

/* Writers: 0, or -1 with a Vietnamese message in err. */
/* sep: ';' or ',' (see report_csv.c). */
int bt_report_write_csv(const bt_report *r, FILE *out, char sep, char *err, size_t err_size);
int bt_report_write_html(const bt_report *r, FILE *out, char *err, size_t err_size);
int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size);

/* The cell at (row, col). */
static inline const bt_rcell *bt_rtable_cell(const bt_rtable *t, size_t row, size_t col)
{
    return &t->cells[row * t->cols + col];
}

#endif
