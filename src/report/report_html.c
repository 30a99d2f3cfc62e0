/* The báo cáo (report_doc.c) as one self-contained HTML file (no external CSS, script, font or
 * image) that prints on A4 portrait with the decree's margins and Times New Roman metrics
 * (Liberation Serif where Times is absent): open it in a browser and print, or print it to PDF.
 * The chart is inline SVG drawn here from the document's figures. Tables carry an id
 * (bt-doc-targets …) so tests and tools can find the figures. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_vi.h"
#include "report_doc.h"

/* Series colours of the chart: dark enough for black-and-white printing to tell them apart by
 * shade, and the same in the DOCX. */
static const char *const series_colours[] = {"#1f4e79", "#c55a11", "#548235", "#7030a0",
                                             "#bf9000", "#2e75b6", "#843c0c", "#375623"};
#define SERIES_COLOURS (sizeof series_colours / sizeof *series_colours)

static void put_escaped(FILE *out, const char *s)
{
    while (s && *s) {
        /* Runs without markup characters go out whole. */
        size_t run = strcspn(s, "&<>\"'");
        fwrite(s, 1, run, out);
        s += run;
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: return;
        }
        s++;
    }
}

static void put_line(FILE *out, const char *cls, const char *text)
{
    fprintf(out, "<p class=\"%s\">", cls);
    put_escaped(out, text);
    fputs("</p>\n", out);
}

static void masthead(void *ctx, const rd_frame *f)
{
    FILE *out = ctx;
    fputs("<table class=\"masthead\"><tr><td class=\"left\">\n", out);
    if (f->parent[0])
        put_line(out, "parent", f->parent);
    put_line(out, "issuer", f->issuer_lines[0]);
    if (f->issuer_lines[1][0])
        put_line(out, "issuer", f->issuer_lines[1]);
    fputs("<div class=\"rule short\"></div>\n", out);
    put_line(out, "number", f->number);
    fputs("</td><td class=\"right\">\n", out);
    put_line(out, "nation", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    put_line(out, "motto", "Độc lập - Tự do - Hạnh phúc");
    fputs("<div class=\"rule motto-rule\"></div>\n", out);
    put_line(out, "date", f->date_line);
    fputs("</td></tr></table>\n", out);
}

static const char *const style_class[] = {
    [RD_BODY] = "body",       [RD_HEADING] = "heading",   [RD_SUBHEADING] = "subheading",
    [RD_ITEM] = "item",       [RD_TITLE] = "title",       [RD_SUBJECT] = "subject",
    [RD_CAPTION] = "caption", [RD_ANNEX] = "annex",       [RD_CENTRE_NOTE] = "centre-note",
    [RD_NOTE] = "note",       [RD_CLOSING] = "body",
};

static void para(void *ctx, rd_style st, const char *text)
{
    FILE *out = ctx;
    put_line(out, style_class[st], text);
    if (st == RD_SUBJECT)
        fputs("<div class=\"rule short centre\"></div>\n", out);
}

static void table(void *ctx, const rd_table *t)
{
    FILE *out = ctx;
    fprintf(out, "<table class=\"data\" id=\"%s\">\n<colgroup>", t->id);
    for (size_t k = 0; k < t->cols; k++)
        fprintf(out, "<col style=\"width:%u%%\">", t->width[k]);
    fputs("</colgroup>\n<thead><tr>", out);
    for (size_t k = 0; k < t->cols; k++) {
        fputs("<th>", out);
        put_escaped(out, t->headers[k]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < t->rows; r++) {
        fputs(t->total_row && r + 1 == t->rows ? "<tr class=\"total\">" : "<tr>", out);
        for (size_t k = 0; k < t->cols; k++) {
            fputs(t->numeric[k] ? "<td class=\"num\">" : "<td>", out);
            put_escaped(out, t->cells[r * t->cols + k]);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

/* Columns per month and target as a share of its requirement, the 100 % line dashed across. */
static void chart(void *ctx, const rd_chart *c)
{
    FILE *out = ctx;
    const double w = RD_CHART_WIDTH_PT, h = RD_CHART_HEIGHT_PT;
    const double left = 40, right = 8, top = 10, bottom = 26;
    double top_value = c->axis_top;
    double plot_w = w - left - right, plot_h = h - top - bottom;
    /* One legend entry a line: a target's name is long ("tin bài CCHC — loa phường, số tin
     * bài khác nhau/quý") and two to a line ran into each other. */
    double total_h = h + 16.0 * (double)(c->series + 1) + 4;
    fprintf(out,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%gpt\" "
            "height=\"%gpt\" viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"",
            w, total_h, w, total_h);
    put_escaped(out, c->title);
    fputs("\" font-family=\"'Times New Roman','Liberation Serif',serif\" font-size=\"10\">\n",
          out);
    for (int step = 0; step <= (int)(top_value / c->axis_step + 0.5); step++) {
        double v = step * c->axis_step, y = top + plot_h - v / top_value * plot_h;
        fprintf(out,
                "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"#d0d0d0\" "
                "stroke-width=\"0.5\"/>\n<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%g "
                "%%</text>\n",
                left, y, w - right, y, left - 4, y + 3.5, v);
    }
    double group = plot_w / (double)c->categories;
    double bar = group * 0.8 / (double)c->series;
    for (size_t k = 0; k < c->categories; k++) {
        double x0 = left + group * (double)k + group * 0.1;
        for (size_t s = 0; s < c->series; s++) {
            double v = c->value[s * c->categories + k];
            if (v < 0)
                continue;
            double bh = v / top_value * plot_h;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x0 + bar * (double)s, top + plot_h - bh, bar * 0.92, bh,
                    series_colours[s % SERIES_COLOURS]);
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x0 + group * 0.4,
                top + plot_h + 14);
        put_escaped(out, c->category[k]);
        fputs("</text>\n", out);
    }
    double y100 = top + plot_h - 100.0 / top_value * plot_h;
    fprintf(out,
            "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"#000\" "
            "stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>\n"
            "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#000\" stroke-width=\"0.8\"/>\n",
            left, y100, w - right, y100, left, top + plot_h, w - right, top + plot_h);
    for (size_t s = 0; s <= c->series; s++) {
        double x = left, y = h + 16.0 * (double)s;
        if (s < c->series)
            fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"10\" height=\"10\" fill=\"%s\"/>", x,
                    y - 9, series_colours[s % SERIES_COLOURS]);
        else
            fprintf(out,
                    "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#000\" "
                    "stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>",
                    x, y - 4, x + 10, y - 4);
        fprintf(out, "<text x=\"%g\" y=\"%g\">", x + 14, y);
        put_escaped(out, s < c->series ? c->name[s] : "Mức yêu cầu (100 %)");
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
}

static void closing(void *ctx, const rd_frame *f)
{
    FILE *out = ctx;
    fputs("<table class=\"closing\"><tr><td class=\"left\">\n", out);
    put_line(out, "to-label", "Nơi nhận:");
    for (size_t i = 0; i < f->recipient_count; i++)
        put_line(out, "to", f->recipients[i]);
    fputs("</td><td class=\"right\">\n", out);
    for (size_t i = 0; i < f->signer_count; i++)
        put_line(out, "signer", f->signer[i]);
    fputs("<div class=\"sign-space\"></div>\n", out);
    if (f->signer_name[0])
        put_line(out, "signer", f->signer_name);
    fputs("</td></tr></table>\n", out);
}

static void page_break(void *ctx)
{
    fputs("<div class=\"page-break\"></div>\n", (FILE *)ctx);
}

/* A4 portrait, margins of Nghị định 30/2020 (top and bottom 20 mm, left 30 mm, right 15 mm),
 * 14 pt text, headings and mastheads in 13 pt as the decree sets them. On screen the page is
 * shown as a sheet. */
static const char style[] =
    "@page{size:A4 portrait;margin:20mm 15mm 20mm 30mm;"
    "@top-center{content:counter(page);font-family:'Times New Roman','Liberation Serif',serif;"
    "font-size:13pt;vertical-align:bottom;padding-bottom:4mm;}}"
    "@page:first{@top-center{content:none;}}"
    "html{background:#e6e6e6;}"
    "body{font-family:'Times New Roman','Liberation Serif',serif;font-size:14pt;color:#000;"
    "background:#fff;width:165mm;margin:10mm auto;padding:20mm 15mm 20mm 30mm;line-height:1.2;}"
    "@media print{html{background:none;}body{margin:0;padding:0;width:auto;}}"
    "p{margin:0;}"
    "table.masthead,table.closing{width:100%;border-collapse:collapse;}"
    "table.masthead td,table.closing td{vertical-align:top;padding:0;}"
    "table.masthead td.left{width:38%;text-align:center;}"
    "table.masthead td.right{width:62%;text-align:center;}"
    ".parent{font-size:13pt;}.issuer{font-size:13pt;font-weight:bold;}"
    ".number{font-size:13pt;margin-top:6pt;white-space:pre;}"
    ".nation{font-size:12pt;font-weight:bold;white-space:nowrap;}"
    ".motto{font-size:13pt;font-weight:bold;}"
    ".date{font-size:13pt;font-style:italic;margin-top:6pt;white-space:pre;}"
    ".rule{border-top:0.75pt solid #000;height:0;margin:1pt auto 0 auto;}"
    ".rule.short{width:30%;}.rule.motto-rule{width:57%;}"
    ".title{font-size:14pt;font-weight:bold;text-align:center;margin-top:18pt;}"
    ".subject{font-size:14pt;font-weight:bold;text-align:center;}"
    ".rule.centre{margin-top:3pt;margin-bottom:12pt;}"
    ".body,.item{text-align:justify;text-indent:1.27cm;margin:0 0 6pt 0;}"
    ".heading,.subheading{font-weight:bold;text-indent:1.27cm;margin:6pt 0 6pt 0;}"
    ".caption{font-weight:bold;text-align:center;font-size:13pt;margin:6pt 0 4pt 0;}"
    ".annex{font-weight:bold;text-align:center;}"
    ".centre-note{font-style:italic;text-align:center;font-size:13pt;margin-bottom:12pt;"
    "white-space:pre-wrap;}"
    ".note{font-style:italic;font-size:12pt;margin:4pt 0 6pt 0;text-align:justify;}"
    "table.data{width:100%;border-collapse:collapse;font-size:11pt;margin:0 0 8pt 0;"
    "table-layout:fixed;}"
    "table.data th,table.data td{border:0.75pt solid #000;padding:2pt 3pt;vertical-align:top;"
    "overflow-wrap:break-word;}"
    "table.data th{font-weight:bold;text-align:center;vertical-align:middle;}"
    "table.data td.num{text-align:right;white-space:nowrap;}"
    "table.data tr.total td{font-weight:bold;}"
    "thead{display:table-header-group;}tr{break-inside:avoid;}"
    "svg.chart{display:block;margin:0 auto 8pt auto;break-inside:avoid;}"
    ".caption,.heading,.subheading{break-after:avoid;}"
    "table.closing{margin-top:12pt;break-inside:avoid;}"
    "table.closing td.left{width:45%;}table.closing td.right{width:55%;text-align:center;}"
    ".to-label{font-size:12pt;font-weight:bold;font-style:italic;}.to{font-size:11pt;}"
    ".signer{font-size:14pt;font-weight:bold;}.sign-space{height:70pt;}"
    ".page-break{break-after:page;}";

int bt_report_write_html(const bt_report *r, FILE *out, char *err, size_t err_size)
{
    static const rd_writer html = {masthead, para, table, chart, closing, page_break};
    fputs("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    put_escaped(out, r->title);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
    if (bt_report_doc_emit(r, &html, out) != 0) {
        snprintf(err, err_size, "Không đủ bộ nhớ để lập báo cáo.");
        return -1;
    }
    fputs("</body>\n</html>\n", out);
    if (ferror(out)) {
        snprintf(err, err_size, "Không ghi được tệp HTML: %s", bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}
