/* HTML: one self-contained file (no external CSS, script, font or image) that prints on A4: the
 * report's tables as they are, and an inline SVG bar chart of each target's progress, drawn
 * here from the same figures. Every table carries an id (bt-info, bt-summary …) so tests and
 * other tools can find the figures. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_vi.h"
#include "report_internal.h"

/* Chart geometry, in SVG user units (pixels on screen). */
#define CHART_WIDTH 760
#define CHART_ROW 46
#define CHART_TRACK 480   /* width of 100 % of a target */
#define CHART_BAR_HEIGHT 16
/* Bars beyond the goal are drawn up to this share of it, so one big figure cannot crowd the
 * chart; the number next to the bar tells the rest. */
#define CHART_MAX_SHARE 1.25

static const char *const table_ids[BT_RT_COUNT] = {
    [BT_RT_INFO] = "bt-info",         [BT_RT_SUMMARY] = "bt-summary",
    [BT_RT_STATUS] = "bt-status",     [BT_RT_MONTHS] = "bt-months",
    [BT_RT_AIRINGS] = "bt-airings",
    [BT_RT_PROBLEMS] = "bt-problems", [BT_RT_SCREEN] = "bt-screen",
};

static const char *const state_colours[] = {
    [BT_TARGET_MET] = "#2e7d32",
    [BT_TARGET_ON_TRACK] = "#1565c0",
    [BT_TARGET_AT_RISK] = "#ef6c00",
    [BT_TARGET_MISSED] = "#c62828",
};

static void put_escaped(FILE *out, const char *s)
{
    while (s && *s) {
        /* Runs without markup characters go out whole. */
        size_t run = strcspn(s, "&<>\"'");
        fwrite(s, 1, run, out);
        s += run;
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            return;
        }
        s++;
    }
}

static void put_table(FILE *out, const bt_rtable *t, const char *id)
{
    fprintf(out, "<section>\n<h2>");
    put_escaped(out, t->title);
    fprintf(out, "</h2>\n<table id=\"%s\">\n<thead><tr>", id);
    for (size_t k = 0; k < t->cols; k++) {
        fputs("<th>", out);
        put_escaped(out, t->headers[k]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    if (t->rows == 0)
        fprintf(out, "<tr><td colspan=\"%zu\" class=\"empty\">Không có dòng nào.</td></tr>\n",
                t->cols);
    for (size_t r = 0; r < t->rows; r++) {
        fputs("<tr>", out);
        for (size_t k = 0; k < t->cols; k++) {
            const bt_rcell *c = bt_rtable_cell(t, r, k);
            fputs(c->is_number ? "<td class=\"num\">" : "<td>", out);
            put_escaped(out, c->text);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

static void put_chart(FILE *out, const bt_report *r)
{
    fputs("<section>\n<h2>Biểu đồ tiến độ chỉ tiêu</h2>\n", out);
    if (r->bar_count == 0) {
        fputs("<p class=\"empty\">Không có chỉ tiêu nào áp dụng trong kỳ này.</p>\n</section>\n",
              out);
        return;
    }
    int height = (int)r->bar_count * CHART_ROW + 10;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Tiến độ các chỉ tiêu\" "
            "font-family=\"sans-serif\" font-size=\"13\">\n",
            CHART_WIDTH, height, CHART_WIDTH, height);
    for (size_t i = 0; i < r->bar_count; i++) {
        const bt_rbar *b = &r->bars[i];
        int y = (int)i * CHART_ROW + 4;
        double share = b->required > 0 ? (double)b->done / (double)b->required : 0;
        if (share > CHART_MAX_SHARE)
            share = CHART_MAX_SHARE;
        int fill = (int)(share * CHART_TRACK + 0.5);
        const char *colour = (size_t)b->state < sizeof state_colours / sizeof *state_colours
                                 ? state_colours[b->state]
                                 : "#555555";
        fprintf(out, "<text x=\"0\" y=\"%d\">", y + 12);
        put_escaped(out, b->label);
        fprintf(out, "</text>\n");
        fprintf(out,
                "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e0e0e0\"/>\n"
                "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n"
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" "
                "stroke-width=\"2\"/>\n"
                "<text x=\"%d\" y=\"%d\">%lld/%lld — %s</text>\n",
                y + 18, CHART_TRACK, CHART_BAR_HEIGHT, y + 18, fill, CHART_BAR_HEIGHT, colour,
                CHART_TRACK, y + 15, CHART_TRACK, y + 18 + CHART_BAR_HEIGHT + 3,
                (int)(CHART_TRACK * CHART_MAX_SHARE) + 10, y + 31, (long long)b->done,
                (long long)b->required, bt_vi_target_state(b->state));
    }
    fputs("</svg>\n<p class=\"note\">Vạch đen: mức yêu cầu của kỳ. Xanh lá: đã đạt; xanh dương: "
          "đang thực hiện; cam: có nguy cơ không đạt; đỏ: không đạt.</p>\n</section>\n",
          out);
}

static const char style[] =
    "body{font-family:\"Noto Sans\",Arial,sans-serif;font-size:11pt;color:#000;margin:1.5em;}"
    "h1{font-size:15pt;margin:0 0 .6em 0;}h2{font-size:12.5pt;margin:1.2em 0 .4em 0;}"
    "table{border-collapse:collapse;width:100%;margin-bottom:.5em;}"
    "th,td{border:1px solid #777;padding:2px 5px;text-align:left;vertical-align:top;}"
    "th{background:#eee;}td.num{text-align:right;font-variant-numeric:tabular-nums;}"
    "td.empty,p.empty{color:#555;font-style:italic;}p.note{font-size:9pt;color:#333;}"
    "#bt-info td:first-child{width:14em;font-weight:bold;}"
    "@page{size:A4 landscape;margin:12mm;}"
    "@media print{body{margin:0;font-size:9.5pt;}section{break-inside:auto;}"
    "tr{break-inside:avoid;}thead{display:table-header-group;}h2{break-after:avoid;}}";

int bt_report_write_html(const bt_report *r, FILE *out, char *err, size_t err_size)
{
    fputs("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    put_escaped(out, r->title);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    put_escaped(out, r->title);
    fputs("</h1>\n", out);
    put_table(out, &r->tables[BT_RT_INFO], table_ids[BT_RT_INFO]);
    put_chart(out, r);
    for (size_t i = BT_RT_INFO + 1; i < BT_RT_COUNT; i++)
        if (r->tables[i].cols) /* the months table has no columns without targets */
            put_table(out, &r->tables[i], table_ids[i]);
    fputs("</body>\n</html>\n", out);
    if (ferror(out)) {
        snprintf(err, err_size, "Không ghi được tệp HTML: %s", bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}
