/* Private to the report room: the báo cáo document (Nghị định 30/2020/NĐ-CP) told once, as a
 * sequence of calls to a writer, which the HTML (report_doc_html.c) and the DOCX
 * (report_docx.c) writers render. The words and figures are decided here only, so the printed
 * HTML and the editable DOCX cannot say different things. */
#ifndef BT_REPORT_DOC_H
#define BT_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "report_internal.h"

typedef enum {
    RD_BODY,        /* justified, first line indented */
    RD_HEADING,     /* "I. KẾT QUẢ THỰC HIỆN": bold */
    RD_SUBHEADING,  /* "1. Trên hệ thống loa …": bold */
    RD_ITEM,        /* "- …": a point of a list, as body */
    RD_TITLE,       /* "BÁO CÁO" */
    RD_SUBJECT,     /* the trích yếu under it: bold, centred, a short line under */
    RD_CAPTION,     /* a table's or chart's title: bold, centred */
    RD_ANNEX,       /* "Phụ lục": bold, centred */
    RD_CENTRE_NOTE, /* "(Kèm theo Báo cáo số …)": italic, centred */
    RD_NOTE,        /* a small remark under a table: italic */
    RD_CLOSING,     /* "Trên đây là báo cáo …": body */
} rd_style;

typedef struct {
    const char *id;             /* for the HTML (tests find the figures by it) */
    const char *const *headers;
    size_t cols, rows;
    const char *const *cells;   /* rows × cols, row major */
    const unsigned char *width; /* per column, percent of the text width */
    const bool *numeric;        /* per column: right-aligned figures */
    bool total_row;             /* the last row is a total: bold */
} rd_table;

/* Columns per month, one series per target: how far each target's own period had got by the
 * month's end, as a percent of what it requires (targets count different units, so only shares
 * share an axis), against the 100 % line. */
typedef struct {
    const char *title;
    size_t categories;
    const char *const *category;  /* "T10/2025" */
    size_t series;
    const char *const *name;      /* a series' legend */
    const double *value;          /* series × categories; < 0 = not in force that month */
    double axis_top, axis_step;   /* the value axis: 0 … top in steps (a round share) */
} rd_chart;

/* The masthead and the closing: what the ward writes once in its config, ready to print. */
typedef struct {
    const char *parent;           /* upper case; "" = none */
    const char *issuer_lines[2];  /* upper case: "ỦY BAN NHÂN DÂN", "PHƯỜNG BẠCH MAI" ([1] may be "") */
    const char *number;           /* "Số:        /BC-UBND" */
    const char *date_line;        /* "Bạch Mai, ngày      tháng      năm 2026" */
    const char *const *recipients;/* "- Phòng Văn hóa - Xã hội;" …, the last ending in "." */
    size_t recipient_count;
    const char *const *signer;    /* "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" */
    size_t signer_count;
    const char *signer_name;      /* "" = the space is left to sign and write */
    const char *title;            /* the document's title for its properties */
} rd_frame;

typedef struct {
    void (*masthead)(void *ctx, const rd_frame *f);
    void (*para)(void *ctx, rd_style style, const char *text);
    void (*table)(void *ctx, const rd_table *t);
    void (*chart)(void *ctx, const rd_chart *c);
    void (*closing)(void *ctx, const rd_frame *f);
    void (*page_break)(void *ctx);
} rd_writer;

/* Tells the whole document to w. 0, or -1 when memory ran out (the writer may have been called
 * for part of it). */
int bt_report_doc_emit(const bt_report *r, const rd_writer *w, void *ctx);

/* Chart geometry both writers draw at: the plot's size in points on the page. */
#define RD_CHART_WIDTH_PT 453 /* 16 cm: the text width between the decree's margins */
#define RD_CHART_HEIGHT_PT 212

#endif
