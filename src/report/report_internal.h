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

/* The tables, in the order the CSV and XLSX write them. SESSIONS and SCREEN_MONTHS are the
 * document's annex: the airing list and the notices summed per month (and session), which a
 * year prints on two pages where the row-by-row lists took hundreds. RECORDS (issue 13): what
 * staff recorded on the channels the appliance cannot observe, on a sheet of its own; it has
 * columns only when the report has such records or targets. */
enum { BT_RT_INFO, BT_RT_SUMMARY, BT_RT_STATUS, BT_RT_MONTHS, BT_RT_SESSIONS, BT_RT_SCREEN_MONTHS,
       BT_RT_AIRINGS, BT_RT_PROBLEMS, BT_RT_SCREEN, BT_RT_RECORDS, BT_RT_COUNT };

/* How a slot of the loudspeaker's schedule ended, each counted once: a slot made up later is
 * counted as made up, not also as missed (the lines of the status table). */
enum { BT_RSLOT_ON_TIME, BT_RSLOT_MADE_UP, BT_RSLOT_INTERRUPTED, BT_RSLOT_FAILED,
       BT_RSLOT_MISSED, BT_RSLOT_AIRING, BT_RSLOT_COUNT };

/* Reasons told apart in the document's sentence on slots that never aired. */
#define BT_RREASON_MAX 12

/* A reason code of the log ("off", "crash" …) and how many slots it kept from airing. */
typedef struct {
    char code[32];
    int64_t count;
} bt_rreason;

/* The figures the document's sentences read (report_doc.c), gathered while the tables are
 * built, so a sentence and a table cannot disagree. */
typedef struct {
    int64_t slots[BT_RSLOT_COUNT];
    int64_t slot_total;
    double aired_minutes;         /* what went out in the period, complete or not */
    int64_t items_completed;      /* distinct tin/bài aired completely in the period */
    int64_t untrusted_rows;       /* rows of the period the clock could not vouch for */
    bt_rreason reasons[BT_RREASON_MAX]; /* why slots not made up did not air, most first */
    size_t reason_count;
    int64_t screen_notices;       /* notices shown at least once in the period */
    int64_t screen_shows;
    double screen_minutes;
    int64_t screen_low;           /* notices under the minimum minutes a day */
    int64_t screen_videos;        /* video notices whose clip played in the period (issue 15) */
    int64_t screen_video_whole, screen_video_cut; /* their plays, whole and cut short */
    int min_minutes_per_day;
    int log_rc;                   /* bt_airing_verify: 0 intact, > 0 problems, < 0 not read */
    size_t log_rows_checked, log_problems;
    bt_wall generated_at;
    char device[600];             /* "label (host)", as the info table says it */
} bt_rfacts;

/* The document's fixed parts (bt_report_document), copied: the options are only borrowed. */
typedef struct {
    char *issuer, *parent, *place, *symbol, *signer_title, *signer_name, *recipients, *ward;
} bt_rdoc_text;

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
    bt_rfacts facts;
    bt_rdoc_text doc;
    /* A forecast (bangtin report --plan): the figures after forecast_from come from a
     * simulation of the playlist, and the title and every format say "Dự kiến". */
    bool forecast;
    bt_wall forecast_from;
    bool forecast_mixed;          /* the real log counts for part of the period */
    int64_t record_count;         /* tin/bài staff recorded in the period (BT_RT_RECORDS's counts,
                                   * corrections taken off) */
    char csv_separator;           /* ';' or ',' (bt_report_options) */
    /* the model the tables were made from (progress rows borrow from targets) */
    bt_targets targets;
    bt_target_progress *progress;
    size_t progress_count;
};

/* Fills tables[BT_RT_MONTHS] and month_series from the report's progress rows and what they
 * were computed from (report_months.c). 0 / -1 on allocation failure. */
int bt_report_build_months(bt_report *r, const bt_target_inputs *in);

/* A forecast's simulated airings from its `from` on, as airing-log rows in slot order
 * (report_forecast.c). *rows malloc'd (caller frees). 0 / -1 on allocation failure. */
int bt_report_forecast_rows(const bt_report_forecast *f, bt_airing_row **rows, size_t *count);

/* Writers: 0, or -1 with a Vietnamese message in err. */
/* sep: ';' or ',' (see report_csv.c). */
int bt_report_write_csv(const bt_report *r, FILE *out, char sep, char *err, size_t err_size);
/* The báo cáo document (report_doc.c) as printable HTML and as an editable DOCX. */
int bt_report_write_html(const bt_report *r, FILE *out, char *err, size_t err_size);
int bt_report_write_docx(const bt_report *r, const char *path, char *err, size_t err_size);
int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size);

/* The cell at (row, col). */
static inline const bt_rcell *bt_rtable_cell(const bt_rtable *t, size_t row, size_t col)
{
    return &t->cells[row * t->cols + col];
}

#endif
