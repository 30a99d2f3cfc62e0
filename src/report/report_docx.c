/* The báo cáo (report_doc.c) as an editable DOCX that Word and LibreOffice Writer open: the
 * few WordprocessingML parts a document needs (no well-kept C library writes DOCX), built in
 * memory and zipped with minizip (zlib's own zip writer, as libxlsxwriter uses). A4 portrait,
 * the decree's margins, Times New Roman 14 pt (LibreOffice substitutes the metric-compatible
 * Liberation Serif), page numbers at the top from page 2, the chart as a native chart part
 * whose figures are cached in it (no embedded workbook: the chart shows and prints, its data
 * is edited by retyping). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minizip/zip.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_time.h"
#include "report_doc.h"

/* Twentieths of a point: A4 and the margins of Nghị định 30/2020 (20, 15, 20, 30 mm). */
#define PAGE_W 11906
#define PAGE_H 16838
#define MARGIN_TOP 1134
#define MARGIN_RIGHT 850
#define MARGIN_BOTTOM 1134
#define MARGIN_LEFT 1701
#define TEXT_W (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
#define FIRST_LINE 720 /* 1,27 cm */
#define EMU_PER_PT 12700
#define MAX_CHARTS 4

static const char *const series_colours[] = {"1F4E79", "C55A11", "548235", "7030A0",
                                             "BF9000", "2E75B6", "843C0C", "375623"};
#define SERIES_COLOURS (sizeof series_colours / sizeof *series_colours)

typedef struct {
    bt_buf body;                   /* word/document.xml's <w:body> content */
    bt_buf charts[MAX_CHARTS];     /* word/charts/chartN.xml */
    size_t chart_count;
} docx;

static void xml_text(bt_buf *b, const char *s)
{
    while (s && *s) {
        size_t run = strcspn(s, "&<>\"");
        bt_buf_add(b, s, run);
        s += run;
        switch (*s) {
        case '&': bt_buf_str(b, "&amp;"); break;
        case '<': bt_buf_str(b, "&lt;"); break;
        case '>': bt_buf_str(b, "&gt;"); break;
        case '"': bt_buf_str(b, "&quot;"); break;
        default: return;
        }
        s++;
    }
}

/* Run properties: bold, italic, size in half-points. */
static void run(bt_buf *b, const char *text, bool bold, bool italic, int half_points)
{
    bt_buf_str(b, "<w:r><w:rPr>");
    if (bold)
        bt_buf_str(b, "<w:b/>");
    if (italic)
        bt_buf_str(b, "<w:i/>");
    bt_buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr><w:t xml:space=\"preserve\">",
                  half_points, half_points);
    xml_text(b, text);
    bt_buf_str(b, "</w:t></w:r>");
}

/* A paragraph of one run. align: "both", "center", "left", "right". */
static void paragraph(bt_buf *b, const char *text, const char *align, int first_line,
                      int before, int after, bool bold, bool italic, int half_points,
                      bool keep_next)
{
    bt_buf_str(b, "<w:p><w:pPr>");
    if (keep_next)
        bt_buf_str(b, "<w:keepNext/>");
    bt_buf_printf(b, "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"264\" "
                     "w:lineRule=\"auto\"/>",
                  before, after);
    if (first_line)
        bt_buf_printf(b, "<w:ind w:firstLine=\"%d\"/>", first_line);
    bt_buf_printf(b, "<w:jc w:val=\"%s\"/></w:pPr>", align);
    if (text && text[0])
        run(b, text, bold, italic, half_points);
    bt_buf_str(b, "</w:p>");
}

/* A short rule under a masthead line or the trích yếu: an empty paragraph's bottom border,
 * its width set by indenting both sides of the column. */
static void rule(bt_buf *b, int column_width, int percent, int after)
{
    int indent = column_width * (100 - percent) / 200;
    bt_buf_printf(b,
                  "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" "
                  "w:color=\"000000\"/></w:pBdr><w:spacing w:before=\"0\" w:after=\"%d\" "
                  "w:line=\"120\" w:lineRule=\"exact\"/><w:ind w:left=\"%d\" w:right=\"%d\"/>"
                  "</w:pPr></w:p>",
                  after, indent, indent);
}

/* A two-column table without borders: the masthead and the closing. */
static void frame_table_open(bt_buf *b, int left, int right)
{
    bt_buf_printf(b,
                  "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblLayout "
                  "w:type=\"fixed\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/>"
                  "<w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/>"
                  "<w:insideV w:val=\"nil\"/></w:tblBorders><w:tblCellMar><w:left w:w=\"0\" "
                  "w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
                  "<w:tblGrid><w:gridCol w:w=\"%d\"/><w:gridCol w:w=\"%d\"/></w:tblGrid>"
                  "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"%d\" "
                  "w:type=\"dxa\"/></w:tcPr>",
                  left + right, left, right, left);
}

static void frame_table_middle(bt_buf *b, int right)
{
    bt_buf_printf(b, "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/></w:tcPr>", right);
}

static void frame_table_close(bt_buf *b)
{
    bt_buf_str(b, "</w:tc></w:tr></w:tbl>");
}

#define MAST_LEFT (TEXT_W * 38 / 100)
#define MAST_RIGHT (TEXT_W - MAST_LEFT)

static void masthead(void *ctx, const rd_frame *f)
{
    bt_buf *b = &((docx *)ctx)->body;
    frame_table_open(b, MAST_LEFT, MAST_RIGHT);
    if (f->parent[0])
        paragraph(b, f->parent, "center", 0, 0, 0, false, false, 26, false);
    paragraph(b, f->issuer_lines[0], "center", 0, 0, 0, true, false, 26, false);
    if (f->issuer_lines[1][0])
        paragraph(b, f->issuer_lines[1], "center", 0, 0, 0, true, false, 26, false);
    rule(b, MAST_LEFT, 30, 120);
    paragraph(b, f->number, "center", 0, 0, 0, false, false, 26, false);
    frame_table_middle(b, MAST_RIGHT);
    paragraph(b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "center", 0, 0, 0, true, false, 24,
              false);
    paragraph(b, "Độc lập - Tự do - Hạnh phúc", "center", 0, 0, 0, true, false, 26, false);
    rule(b, MAST_RIGHT, 57, 120);
    paragraph(b, f->date_line, "center", 0, 0, 0, false, true, 26, false);
    frame_table_close(b);
}

static void para(void *ctx, rd_style st, const char *text)
{
    bt_buf *b = &((docx *)ctx)->body;
    switch (st) {
    case RD_TITLE: paragraph(b, text, "center", 0, 360, 0, true, false, 28, true); break;
    case RD_SUBJECT:
        paragraph(b, text, "center", 0, 0, 0, true, false, 28, true);
        rule(b, TEXT_W, 30, 240);
        break;
    case RD_HEADING:
    case RD_SUBHEADING:
        paragraph(b, text, "both", FIRST_LINE, 120, 120, true, false, 28, true);
        break;
    case RD_CAPTION: paragraph(b, text, "center", 0, 120, 80, true, false, 26, true); break;
    case RD_ANNEX: paragraph(b, text, "center", 0, 0, 0, true, false, 28, true); break;
    case RD_CENTRE_NOTE: paragraph(b, text, "center", 0, 0, 240, false, true, 26, false); break;
    case RD_NOTE: paragraph(b, text, "both", 0, 80, 120, false, true, 24, false); break;
    case RD_BODY:
    case RD_ITEM:
    case RD_CLOSING:
    default: paragraph(b, text, "both", FIRST_LINE, 0, 120, false, false, 28, false); break;
    }
}

static void cell(bt_buf *b, int width, const char *text, const char *align, bool bold)
{
    bt_buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s</w:tcPr>", width,
                  bold && !strcmp(align, "center") ? "<w:vAlign w:val=\"center\"/>" : "");
    bt_buf_printf(b, "<w:p><w:pPr><w:spacing w:before=\"20\" w:after=\"20\"/><w:jc w:val=\"%s\"/>"
                     "</w:pPr>",
                  align);
    run(b, text, bold, false, 22);
    bt_buf_str(b, "</w:p></w:tc>");
}

static void table(void *ctx, const rd_table *t)
{
    bt_buf *b = &((docx *)ctx)->body;
    int widths[32];
    size_t cols = t->cols < 32 ? t->cols : 32;
    bt_buf_str(b, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout "
                  "w:type=\"fixed\"/><w:tblBorders>");
    static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < 6; i++)
        bt_buf_printf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
                      sides[i]);
    bt_buf_str(b, "</w:tblBorders><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right "
                  "w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
    for (size_t k = 0; k < cols; k++) {
        widths[k] = TEXT_W * t->width[k] / 100;
        bt_buf_printf(b, "<w:gridCol w:w=\"%d\"/>", widths[k]);
    }
    bt_buf_str(b, "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (size_t k = 0; k < cols; k++)
        cell(b, widths[k], t->headers[k], "center", true);
    bt_buf_str(b, "</w:tr>");
    for (size_t r = 0; r < t->rows; r++) {
        bool total = t->total_row && r + 1 == t->rows;
        bt_buf_str(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t k = 0; k < cols; k++)
            cell(b, widths[k], t->cells[r * t->cols + k], t->numeric[k] ? "right" : "left",
                 total);
        bt_buf_str(b, "</w:tr>");
    }
    bt_buf_str(b, "</w:tbl>");
    paragraph(b, "", "left", 0, 0, 60, false, false, 12, false);
}

/* One series' category labels and values, cached in the chart part. */
static void chart_refs(bt_buf *c, const rd_chart *x, size_t col, const double *values)
{
    char letter = (char)('B' + col);
    bt_buf_printf(c, "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$%zu</c:f><c:strCache><c:ptCount "
                     "val=\"%zu\"/>",
                  x->categories + 1, x->categories);
    for (size_t k = 0; k < x->categories; k++) {
        bt_buf_printf(c, "<c:pt idx=\"%zu\"><c:v>", k);
        xml_text(c, x->category[k]);
        bt_buf_str(c, "</c:v></c:pt>");
    }
    bt_buf_printf(c, "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$%c$2:$%c$%zu"
                     "</c:f><c:numCache><c:formatCode>0.0</c:formatCode><c:ptCount val=\"%zu\"/>",
                  letter, letter, x->categories + 1, x->categories);
    for (size_t k = 0; k < x->categories; k++)
        if (values[k] >= 0) /* a month the target was not in force stays a gap */
            bt_buf_printf(c, "<c:pt idx=\"%zu\"><c:v>%.1f</c:v></c:pt>", k, values[k]);
    bt_buf_str(c, "</c:numCache></c:numRef></c:val>");
}

static void series_name(bt_buf *c, size_t col, const char *name)
{
    bt_buf_printf(c, "<c:tx><c:strRef><c:f>Sheet1!$%c$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
                     "<c:pt idx=\"0\"><c:v>",
                  (char)('B' + col));
    xml_text(c, name);
    bt_buf_str(c, "</c:v></c:pt></c:strCache></c:strRef></c:tx>");
}

static void chart(void *ctx, const rd_chart *x)
{
    docx *d = ctx;
    if (d->chart_count == MAX_CHARTS || x->series + 1 > 24)
        return;
    size_t n = ++d->chart_count;
    bt_buf *c = &d->charts[n - 1];
    bt_buf_str(c, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
                  "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                  "<c:lang val=\"vi-VN\"/><c:roundedCorners val=\"0\"/><c:chart>"
                  "<c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/><c:barChart>"
                  "<c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>");
    for (size_t s = 0; s < x->series; s++) {
        bt_buf_printf(c, "<c:ser><c:idx val=\"%zu\"/><c:order val=\"%zu\"/>", s, s);
        series_name(c, s, x->name[s]);
        bt_buf_printf(c, "<c:spPr><a:solidFill><a:srgbClr val=\"%s\"/></a:solidFill></c:spPr>"
                         "<c:invertIfNegative val=\"0\"/>",
                      series_colours[s % SERIES_COLOURS]);
        chart_refs(c, x, s, x->value + s * x->categories);
        bt_buf_str(c, "</c:ser>");
    }
    bt_buf_str(c, "<c:gapWidth val=\"60\"/><c:axId val=\"5001\"/><c:axId val=\"5002\"/>"
                  "</c:barChart><c:lineChart><c:grouping val=\"standard\"/>"
                  "<c:varyColors val=\"0\"/>");
    bt_buf_printf(c, "<c:ser><c:idx val=\"%zu\"/><c:order val=\"%zu\"/>", x->series, x->series);
    series_name(c, x->series, "Mức yêu cầu (100 %)");
    bt_buf_str(c, "<c:spPr><a:ln w=\"19050\"><a:solidFill><a:srgbClr val=\"000000\"/>"
                  "</a:solidFill><a:prstDash val=\"dash\"/></a:ln></c:spPr>"
                  "<c:marker><c:symbol val=\"none\"/></c:marker>");
    double *hundred = malloc(x->categories * sizeof *hundred);
    if (!hundred) {
        c->failed = true;
        return;
    }
    for (size_t k = 0; k < x->categories; k++)
        hundred[k] = 100.0;
    chart_refs(c, x, x->series, hundred);
    free(hundred);
    bt_buf_str(c, "<c:smooth val=\"0\"/></c:ser><c:marker val=\"1\"/><c:axId val=\"5001\"/>"
                  "<c:axId val=\"5002\"/></c:lineChart>"
                  "<c:catAx><c:axId val=\"5001\"/><c:scaling><c:orientation val=\"minMax\"/>"
                  "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:numFmt "
                  "formatCode=\"General\" sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/>"
                  "<c:crossAx val=\"5002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/>"
                  "<c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/></c:catAx>");
    /* the value axis as the HTML draws it: 0 … top in round steps */
    bt_buf_printf(c, "<c:valAx><c:axId val=\"5002\"/><c:scaling><c:orientation val=\"minMax\"/>"
                     "<c:max val=\"%g\"/><c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/>"
                     "<c:axPos val=\"l\"/><c:majorGridlines><c:spPr><a:ln w=\"6350\">"
                     "<a:solidFill><a:srgbClr val=\"D0D0D0\"/></a:solidFill></a:ln></c:spPr>"
                     "</c:majorGridlines><c:numFmt formatCode=\"0&quot; %%&quot;\" "
                     "sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/>"
                     "<c:crossAx val=\"5001\"/><c:crosses val=\"autoZero\"/>"
                     "<c:crossBetween val=\"between\"/><c:majorUnit val=\"%g\"/></c:valAx>",
                  x->axis_top, x->axis_step);
    bt_buf_str(c, "</c:plotArea>"
                  "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>"
                  "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
                  "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1000\">"
                  "<a:latin typeface=\"Times New Roman\"/><a:cs typeface=\"Times New Roman\"/>"
                  "</a:defRPr></a:pPr><a:endParaRPr lang=\"vi-VN\"/></a:p></c:txPr>"
                  "</c:chartSpace>\n");
    size_t legend_rows = x->series + 1; /* one entry a line, as the HTML draws it */
    long cx = (long)RD_CHART_WIDTH_PT * EMU_PER_PT;
    long cy = (long)(RD_CHART_HEIGHT_PT + 16 * legend_rows) * EMU_PER_PT;
    bt_buf *b = &d->body;
    bt_buf_printf(b,
                  "<w:p><w:pPr><w:keepLines/><w:spacing w:before=\"0\" w:after=\"120\"/>"
                  "<w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" "
                  "distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/>"
                  "<wp:docPr id=\"%zu\" name=\"Biểu đồ %zu\"/><a:graphic "
                  "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
                  "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
                  "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
                  "r:id=\"rIdChart%zu\"/></a:graphicData></a:graphic></wp:inline></w:drawing>"
                  "</w:r></w:p>",
                  cx, cy, n, n, n);
}

#define CLOSE_LEFT (TEXT_W * 45 / 100)
#define CLOSE_RIGHT (TEXT_W - CLOSE_LEFT)

static void closing(void *ctx, const rd_frame *f)
{
    bt_buf *b = &((docx *)ctx)->body;
    frame_table_open(b, CLOSE_LEFT, CLOSE_RIGHT);
    paragraph(b, "Nơi nhận:", "left", 0, 120, 0, true, true, 24, false);
    for (size_t i = 0; i < f->recipient_count; i++)
        paragraph(b, f->recipients[i], "left", 0, 0, 0, false, false, 22, false);
    frame_table_middle(b, CLOSE_RIGHT);
    for (size_t i = 0; i < f->signer_count; i++)
        paragraph(b, f->signer[i], "center", 0, i ? 0 : 120, 0, true, false, 28, false);
    /* the space to sign and stamp */
    for (int i = 0; i < 4; i++)
        paragraph(b, "", "center", 0, 0, 0, false, false, 28, false);
    paragraph(b, f->signer_name, "center", 0, 0, 0, true, false, 28, false);
    frame_table_close(b);
}

static void page_break(void *ctx)
{
    bt_buf_str(&((docx *)ctx)->body, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
}

/* ---- the package -------------------------------------------------------------------------- */

static const char content_types_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>\n";

/* Times New Roman 14 pt, Vietnamese, for everything not set otherwise. */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" "
    "w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr>"
    "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" "
    "w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "</w:style></w:styles>\n";

/* The page number, centred at the top, from the second page (the first has titlePg). */
static const char header[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p>"
    "<w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar "
    "w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar "
    "w:fldCharType=\"end\"/></w:r></w:p></w:hdr>\n";

static const char document_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\">"
    "<w:body>";

static int put_part(zipFile zf, const zip_fileinfo *info, const char *name, const void *data,
                    size_t len)
{
    if (zipOpenNewFileInZip(zf, name, info, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6) != ZIP_OK)
        return -1;
    int rc = zipWriteInFileInZip(zf, data, (unsigned)len) == ZIP_OK ? 0 : -1;
    if (zipCloseFileInZip(zf) != ZIP_OK)
        rc = -1;
    return rc;
}

static int put_buf(zipFile zf, const zip_fileinfo *info, const char *name, const bt_buf *b)
{
    return b->failed ? -1 : put_part(zf, info, name, b->data ? b->data : "", b->len);
}

static int put_text(zipFile zf, const zip_fileinfo *info, const char *name, const char *s)
{
    return put_part(zf, info, name, s, strlen(s));
}

int bt_report_write_docx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    static const rd_writer writer = {masthead, para, table, chart, closing, page_break};
    docx d = {0};
    bt_buf types = {0}, rels = {0}, document = {0}, core = {0};
    int rc = -1;
    if (bt_report_doc_emit(r, &writer, &d) != 0) {
        snprintf(err, err_size, "Không đủ bộ nhớ để lập báo cáo.");
        goto done;
    }
    bt_buf_str(&types, content_types_head);
    bt_buf_str(&rels, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                      "relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas."
                      "openxmlformats.org/officeDocument/2006/relationships/styles\" "
                      "Target=\"styles.xml\"/><Relationship Id=\"rIdHeader\" Type=\"http://"
                      "schemas.openxmlformats.org/officeDocument/2006/relationships/header\" "
                      "Target=\"header1.xml\"/>");
    for (size_t i = 1; i <= d.chart_count; i++) {
        bt_buf_printf(&types, "<Override PartName=\"/word/charts/chart%zu.xml\" ContentType="
                              "\"application/vnd.openxmlformats-officedocument.drawingml.chart"
                              "+xml\"/>",
                      i);
        bt_buf_printf(&rels, "<Relationship Id=\"rIdChart%zu\" Type=\"http://schemas."
                             "openxmlformats.org/officeDocument/2006/relationships/chart\" "
                             "Target=\"charts/chart%zu.xml\"/>",
                      i, i);
    }
    bt_buf_str(&types, "</Types>\n");
    bt_buf_str(&rels, "</Relationships>\n");
    bt_buf_str(&document, document_head);
    bt_buf_add(&document, d.body.data ? d.body.data : "", d.body.len);
    bt_buf_printf(&document,
                  "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
                  "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
                  "w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" "
                  "w:gutter=\"0\"/><w:titlePg/></w:sectPr></w:body></w:document>\n",
                  PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT);
    bt_civil t = bt_time_to_civil(r->facts.generated_at);
    bt_buf_str(&core, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
                      "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/"
                      "1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://"
                      "www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    xml_text(&core, r->title);
    /* W3CDTF in UTC: the report's own time is Vietnam's, seven hours ahead. */
    bt_civil u = bt_time_to_civil(r->facts.generated_at - 7 * 3600);
    bt_buf_printf(&core, "</dc:title><dc:creator>bangtin</dc:creator><dc:language>vi-VN"
                         "</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">"
                         "%04d-%02d-%02dT%02d:%02d:%02dZ</dcterms:created></cp:coreProperties>\n",
                  u.year, u.month, u.day, u.hour, u.minute, u.second);
    zipFile zf = zipOpen(path, APPEND_STATUS_CREATE);
    if (!zf) {
        snprintf(err, err_size, "Không tạo được tệp Word \"%s\".", path);
        goto done;
    }
    zip_fileinfo info;
    memset(&info, 0, sizeof info);
    info.tmz_date = (tm_zip){(unsigned)t.second, (unsigned)t.minute, (unsigned)t.hour,
                             (unsigned)t.day, (unsigned)t.month - 1, (unsigned)t.year};
    int bad = put_buf(zf, &info, "[Content_Types].xml", &types) |
              put_text(zf, &info, "_rels/.rels", package_rels) |
              put_buf(zf, &info, "word/_rels/document.xml.rels", &rels) |
              put_buf(zf, &info, "word/document.xml", &document) |
              put_text(zf, &info, "word/styles.xml", styles) |
              put_text(zf, &info, "word/header1.xml", header) |
              put_buf(zf, &info, "docProps/core.xml", &core);
    for (size_t i = 0; i < d.chart_count; i++) {
        char name[48];
        snprintf(name, sizeof name, "word/charts/chart%zu.xml", i + 1);
        bad |= put_buf(zf, &info, name, &d.charts[i]);
    }
    if (zipClose(zf, NULL) != ZIP_OK)
        bad = -1;
    if (bad) {
        snprintf(err, err_size, "Không ghi được tệp Word \"%s\" (ổ đĩa đầy hoặc lỗi ghi).", path);
        remove(path);
        goto done;
    }
    rc = 0;
done:
    free(d.body.data);
    for (size_t i = 0; i < MAX_CHARTS; i++)
        free(d.charts[i].data);
    free(types.data);
    free(rels.data);
    free(document.data);
    free(core.data);
    return rc;
}
