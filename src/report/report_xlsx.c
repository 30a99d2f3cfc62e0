/* XLSX: a summary sheet ("Tổng hợp": report facts, targets, log totals) and detail sheets (the
 * airing list, missed and interrupted airings, screen exposure), each table with its Vietnamese
 * title and header row. Cells are strings or numbers — never formulas — so text from a USB stick
 * cannot run in Excel.
 *
 * Written here rather than through libxlsxwriter: a year's airing list is some 80 000 cells,
 * and libxlsxwriter took about 200 ms to lay them out and deflate them at zlib's default level,
 * the whole budget of a report. This writes the same parts with the same XML (the package
 * libxlsxwriter writes, which Excel and LibreOffice open: shared strings, the same styles and
 * theme, dates as numbers with a date format) straight into memory, and deflates at level 1:
 * five times faster, a file about a quarter larger. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "bangtin/bt_buf.h"
#include "report_internal.h"

/* Column widths in Excel's character units: wide enough to read, never a screen wide. */
#define MIN_COLUMN_WIDTH 8
#define MAX_COLUMN_WIDTH 60
#define MAX_COLUMNS 16
#define MAX_SHEETS BT_RT_COUNT
/* zlib level for the parts: 1 deflates XML five times faster than the default 6 and gives up a
 * fifth of the compression. */
#define DEFLATE_LEVEL 1
/* A zip without ZIP64 holds parts and offsets below 4 GiB; a report is a few MB. */
#define ZIP_LIMIT 0xFFFFFFFFu
/* Parts in the package: seven fixed ones plus one per sheet. */
#define MAX_PARTS (8 + MAX_SHEETS)

/* Style indices into cellXfs of styles.xml below. */
enum { XF_NONE, XF_TITLE, XF_HEADING, XF_HEADER, XF_DATE, XF_NUMBER, XF_TIME, XF_DATETIME,
       XF_DECIMAL };

/* ---- a growing buffer ---------------------------------------------------------------------- */

typedef bt_buf buf;

static void put_uint(buf *b, uint64_t u)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[sizeof(tmp) - ++n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    bt_buf_add(b, tmp + sizeof(tmp) - n, n);
}

/* A number as libxlsxwriter writes it (%.16G). */
static void put_double(buf *b, double v)
{
    char tmp[40];
    if (v >= 0 && v < 1e15 && v == (double)(uint64_t)v) {
        put_uint(b, (uint64_t)v); /* what %.16G prints for a whole number, without printf */
        return;
    }
    int n = snprintf(tmp, sizeof(tmp), "%.16G", v);
    bt_buf_add(b, tmp, n > 0 ? (size_t)n : 0);
}

/* XML text: &, < and > escaped (and " in attributes); control characters other than tab and
 * newline, which XML cannot carry, as Excel's _xHHHH_ escapes. */
static void put_escaped(buf *b, const char *s, bool attribute)
{
    const char *run = s;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        const char *esc = NULL;
        char ctl[8];
        if (ch == '&')
            esc = "&amp;";
        else if (ch == '<')
            esc = "&lt;";
        else if (ch == '>')
            esc = "&gt;";
        else if (ch == '"' && attribute)
            esc = "&quot;";
        else if (ch < 0x20 && ch != '\t' && ch != '\n') {
            snprintf(ctl, sizeof(ctl), "_x%04X_", ch);
            esc = ctl;
        }
        if (esc) {
            bt_buf_add(b, run, (size_t)(s - run));
            bt_buf_str(b, esc);
            run = s + 1;
        }
    }
    bt_buf_add(b, run, (size_t)(s - run));
}

/* ---- shared strings ------------------------------------------------------------------------ */

/* Every distinct string once, in first-use order, found again through an open-addressing hash
 * table: a session's or an item's name repeats thousands of times in a year's airing list. */
typedef struct {
    const char **strings; /* borrowed from the report */
    size_t count, cap;
    uint32_t *slots;      /* index + 1; 0 = empty */
    size_t slot_count;    /* a power of two, at most half full */
    size_t uses;
    bool failed;
} sst;

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool sst_grow(sst *t)
{
    size_t slots = t->slot_count ? t->slot_count * 2 : 1024;
    uint32_t *s = calloc(slots, sizeof(*s));
    const char **strings = realloc(t->strings, slots / 2 * sizeof(*strings));
    if (!s || !strings) {
        free(s);
        if (strings)
            t->strings = strings;
        return false;
    }
    t->strings = strings;
    t->cap = slots / 2;
    for (size_t i = 0; i < t->count; i++) {
        size_t k = hash_text(t->strings[i]) & (slots - 1);
        while (s[k])
            k = (k + 1) & (slots - 1);
        s[k] = (uint32_t)(i + 1);
    }
    free(t->slots);
    t->slots = s;
    t->slot_count = slots;
    return true;
}

/* The string's index; 0 after a failure (checked once at the end). */
static size_t sst_index(sst *t, const char *text)
{
    if (t->failed)
        return 0;
    if (t->count + 1 > t->slot_count / 2 && !sst_grow(t)) {
        t->failed = true;
        return 0;
    }
    t->uses++;
    size_t k = hash_text(text) & (t->slot_count - 1);
    for (; t->slots[k]; k = (k + 1) & (t->slot_count - 1))
        if (strcmp(t->strings[t->slots[k] - 1], text) == 0)
            return t->slots[k] - 1;
    t->strings[t->count] = text;
    t->slots[k] = (uint32_t)++t->count;
    return t->count - 1;
}

static void sst_free(sst *t)
{
    free(t->strings);
    free(t->slots);
}

/* ---- sheets -------------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    buf rows;                      /* <row> elements of sheetData */
    size_t row;                    /* next free row, 0-based */
    size_t last_row, last_col;     /* extent of what was written, 0-based */
    double width[MAX_COLUMNS];
} sheet;

static const char xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

static void put_ref(buf *b, size_t row, size_t col)
{
    char letters[4];
    size_t n = 0;
    for (size_t c = col + 1; c; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    while (n)
        bt_buf_add(b, &letters[--n], 1);
    put_uint(b, row + 1);
}

static void open_row(sheet *s)
{
    bt_buf_str(&s->rows, "<row r=\"");
    put_uint(&s->rows, s->row + 1);
    bt_buf_str(&s->rows, "\">");
}

static void cell_start(sheet *s, size_t col, int xf)
{
    bt_buf_str(&s->rows, "<c r=\"");
    put_ref(&s->rows, s->row, col);
    if (xf != XF_NONE) {
        bt_buf_str(&s->rows, "\" s=\"");
        put_uint(&s->rows, (uint64_t)xf);
    }
    if (s->row > s->last_row)
        s->last_row = s->row;
    if (col > s->last_col)
        s->last_col = col;
}

static void put_string_cell(sheet *s, sst *t, size_t col, const char *text, int xf)
{
    cell_start(s, col, xf);
    bt_buf_str(&s->rows, "\" t=\"s\"><v>");
    put_uint(&s->rows, sst_index(t, text));
    bt_buf_str(&s->rows, "</v></c>");
}

static void put_number_cell(sheet *s, size_t col, double v, int xf)
{
    cell_start(s, col, xf);
    bt_buf_str(&s->rows, "\"><v>");
    put_double(&s->rows, v);
    bt_buf_str(&s->rows, "</v></c>");
}

/* Characters of UTF-8 text, counted as lead bytes: close enough for a column width. */
static size_t chars_of(const char *p)
{
    size_t n = 0;
    for (; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

static void widen(sheet *s, size_t col, const char *text)
{
    double w = (double)chars_of(text) + 2;
    if (col < MAX_COLUMNS && w > s->width[col])
        s->width[col] = w;
}

static void put_table(sheet *s, sst *t, const bt_rtable *tb)
{
    open_row(s);
    put_string_cell(s, t, 0, tb->title, XF_HEADING);
    bt_buf_str(&s->rows, "</row>");
    s->row++;
    open_row(s);
    for (size_t k = 0; k < tb->cols; k++) {
        put_string_cell(s, t, k, tb->headers[k], XF_HEADER);
        widen(s, k, tb->headers[k]);
    }
    bt_buf_str(&s->rows, "</row>");
    s->row++;
    for (size_t r = 0; r < tb->rows; r++, s->row++) {
        open_row(s);
        for (size_t k = 0; k < tb->cols; k++) {
            const bt_rcell *c = bt_rtable_cell(tb, r, k);
            if (c->when != BT_RCELL_PLAIN)
                put_number_cell(s, k, c->serial,
                                c->when == BT_RCELL_DATE   ? XF_DATE
                                : c->when == BT_RCELL_TIME ? XF_TIME
                                                           : XF_DATETIME);
            else if (c->is_number)
                put_number_cell(s, k, c->number, c->decimals ? XF_DECIMAL : XF_NUMBER);
            else if (c->text && c->text[0])
                put_string_cell(s, t, k, c->text, XF_NONE);
            widen(s, k, c->text ? c->text : "");
        }
        bt_buf_str(&s->rows, "</row>");
    }
    s->row++; /* an empty row between tables */
}

/* Excel's stored width for a column n characters wide (Calibri 11: 7-pixel digits, 5 pixels of
 * padding), as libxlsxwriter and Excel compute it. */
static double stored_width(double chars)
{
    double pixels = (double)(int)(chars * 7 + 0.5) + 5;
    return (double)(int)(pixels / 7 * 256) / 256;
}

static void sheet_xml(buf *b, const sheet *s, bool first)
{
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
             "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
             "<dimension ref=\"A1:");
    put_ref(b, s->last_row, s->last_col);
    bt_buf_str(b, first ? "\"/><sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"/>"
                   : "\"/><sheetViews><sheetView workbookViewId=\"0\"/>");
    bt_buf_str(b, "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    bool cols = false;
    for (size_t k = 0; k < MAX_COLUMNS; k++) {
        double w = s->width[k];
        if (w <= 0)
            continue;
        w = w < MIN_COLUMN_WIDTH ? MIN_COLUMN_WIDTH : w > MAX_COLUMN_WIDTH ? MAX_COLUMN_WIDTH : w;
        if (!cols)
            bt_buf_str(b, "<cols>");
        cols = true;
        bt_buf_str(b, "<col min=\"");
        put_uint(b, k + 1);
        bt_buf_str(b, "\" max=\"");
        put_uint(b, k + 1);
        bt_buf_str(b, "\" width=\"");
        put_double(b, stored_width(w));
        bt_buf_str(b, "\" customWidth=\"1\"/>");
    }
    if (cols)
        bt_buf_str(b, "</cols>");
    bt_buf_str(b, "<sheetData>");
    bt_buf_add(b, s->rows.data, s->rows.len);
    bt_buf_str(b, "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" "
             "header=\"0.3\" footer=\"0.3\"/></worksheet>");
}

/* ---- the fixed parts ----------------------------------------------------------------------- */

static const char styles_xml[] =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"5\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0\"/><numFmt numFmtId=\"166\" formatCode=\"hh:mm\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"dd/mm/yyyy hh:mm:ss\"/>"
    "<numFmt numFmtId=\"168\" formatCode=\"0.0\"/></numFmts>"
    "<fonts count=\"4\">"
    "<font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font>"
    "<font><b/><sz val=\"14\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font>"
    "<font><b/><sz val=\"12\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font>"
    "<font><b/><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font></fonts>"
    "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill>"
    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFE0E0E0\"/><bgColor indexed=\"64\"/>"
    "</patternFill></fill></fills>"
    "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
    "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color "
    "auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\">"
    "<color auto=\"1\"/></bottom><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"9\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"                  /* none */
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"  /* title */
    "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"  /* heading */
    "<xf numFmtId=\"0\" fontId=\"3\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" "
    "applyFill=\"1\" applyBorder=\"1\"/>"                                                       /* header */
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"                                                                 /* date */
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"                                                                 /* number */
    "<xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"                                                                 /* time */
    "<xf numFmtId=\"167\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"                                                                 /* datetime */
    "<xf numFmtId=\"168\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"                                                                 /* decimal */
    "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
    "</cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" "
    "defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/>"
    "</styleSheet>";

static const char root_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

static void content_types(buf *b, size_t sheets)
{
    static const char ct[] = "application/vnd.openxmlformats-";
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
             "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    static const char *const fixed[][2] = {
        {"/docProps/app.xml", "officedocument.extended-properties+xml"},
        {"/docProps/core.xml", "package.core-properties+xml"},
        {"/xl/styles.xml", "officedocument.spreadsheetml.styles+xml"},
        {"/xl/theme/theme1.xml", "officedocument.theme+xml"},
        {"/xl/workbook.xml", "officedocument.spreadsheetml.sheet.main+xml"},
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        bt_buf_str(b, "<Override PartName=\"");
        bt_buf_str(b, fixed[i][0]);
        bt_buf_str(b, "\" ContentType=\"");
        bt_buf_str(b, ct);
        bt_buf_str(b, fixed[i][1]);
        bt_buf_str(b, "\"/>");
    }
    for (size_t i = 0; i < sheets; i++) {
        bt_buf_str(b, "<Override PartName=\"/xl/worksheets/sheet");
        put_uint(b, i + 1);
        bt_buf_str(b, ".xml\" ContentType=\"");
        bt_buf_str(b, ct);
        bt_buf_str(b, "officedocument.spreadsheetml.worksheet+xml\"/>");
    }
    bt_buf_str(b, "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"");
    bt_buf_str(b, ct);
    bt_buf_str(b, "officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
}

static void app_xml(buf *b, const sheet *sheets, size_t count)
{
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
             "extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/"
             "2006/docPropsVTypes\"><Application>Microsoft Excel</Application>"
             "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs>"
             "<vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets"
             "</vt:lpstr></vt:variant><vt:variant><vt:i4>");
    put_uint(b, count);
    bt_buf_str(b, "</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>"
             "<vt:vector size=\"");
    put_uint(b, count);
    bt_buf_str(b, "\" baseType=\"lpstr\">");
    for (size_t i = 0; i < count; i++) {
        bt_buf_str(b, "<vt:lpstr>");
        put_escaped(b, sheets[i].name, false);
        bt_buf_str(b, "</vt:lpstr>");
    }
    bt_buf_str(b, "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false"
             "</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false"
             "</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>");
}

static void core_xml(buf *b, const bt_report *r)
{
    char when[32] = "1980-01-01T00:00:00Z";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
             "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
             "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/"
             "dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    put_escaped(b, r->title, false);
    bt_buf_str(b, "</dc:title><dc:creator>bangtin</dc:creator><dc:description>Báo cáo lập tự động "
             "trên thiết bị</dc:description><cp:lastModifiedBy>bangtin</cp:lastModifiedBy>"
             "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
    bt_buf_str(b, when);
    bt_buf_str(b, "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">");
    bt_buf_str(b, when);
    bt_buf_str(b, "</dcterms:modified></cp:coreProperties>");
}

static void workbook_xml(buf *b, const sheet *sheets, size_t count)
{
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
             "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
             "<fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/>"
             "<workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\""
             " yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>");
    for (size_t i = 0; i < count; i++) {
        bt_buf_str(b, "<sheet name=\"");
        put_escaped(b, sheets[i].name, true);
        bt_buf_str(b, "\" sheetId=\"");
        put_uint(b, i + 1);
        bt_buf_str(b, "\" r:id=\"rId");
        put_uint(b, i + 1);
        bt_buf_str(b, "\"/>");
    }
    bt_buf_str(b, "</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
}

static void workbook_rels(buf *b, size_t count)
{
    static const char type[] = "http://schemas.openxmlformats.org/officeDocument/2006/"
                               "relationships/";
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
             "relationships\">");
    for (size_t i = 0; i < count + 3; i++) {
        bt_buf_str(b, "<Relationship Id=\"rId");
        put_uint(b, i + 1);
        bt_buf_str(b, "\" Type=\"");
        bt_buf_str(b, type);
        if (i < count) {
            bt_buf_str(b, "worksheet\" Target=\"worksheets/sheet");
            put_uint(b, i + 1);
            bt_buf_str(b, ".xml\"/>");
        } else {
            bt_buf_str(b, i == count       ? "theme\" Target=\"theme/theme1.xml\"/>"
                     : i == count + 1 ? "styles\" Target=\"styles.xml\"/>"
                                      : "sharedStrings\" Target=\"sharedStrings.xml\"/>");
        }
    }
    bt_buf_str(b, "</Relationships>");
}

static void shared_strings_xml(buf *b, const sst *t)
{
    bt_buf_str(b, xml_head);
    bt_buf_str(b, "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"");
    put_uint(b, t->uses);
    bt_buf_str(b, "\" uniqueCount=\"");
    put_uint(b, t->count);
    bt_buf_str(b, "\">");
    for (size_t i = 0; i < t->count; i++) {
        const char *s = t->strings[i];
        size_t n = strlen(s);
        /* Leading or trailing blanks survive only with xml:space="preserve". */
        bool keep = n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[n - 1] == ' ' ||
                          s[n - 1] == '\t' || s[n - 1] == '\n');
        bt_buf_str(b, keep ? "<si><t xml:space=\"preserve\">" : "<si><t>");
        put_escaped(b, s, false);
        bt_buf_str(b, "</t></si>");
    }
    bt_buf_str(b, "</sst>");
}

/* ---- the zip container --------------------------------------------------------------------- */

/* Part names are short and ASCII ("xl/worksheets/sheet1.xml"). */
#define PART_NAME_BYTES 48

typedef struct {
    char name[PART_NAME_BYTES];
    uint32_t crc, packed, size, offset;
} zip_entry;

typedef struct {
    FILE *f;
    uint32_t offset;
    zip_entry entries[MAX_PARTS];
    size_t count;
    bool failed;
} zip;

static void le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xFFFF);
    le16(p + 2, v >> 16);
}

static void zip_write(zip *z, const void *p, size_t n)
{
    if (z->failed)
        return;
    if (n > ZIP_LIMIT - z->offset || fwrite(p, 1, n, z->f) != n) {
        z->failed = true;
        return;
    }
    z->offset += (uint32_t)n;
}

/* The fixed fields of a local or central header from "version needed" to the name's length. DOS
 * time 0:00, 1 January 1980, as libxlsxwriter writes, so the same report gives the same bytes. */
static void entry_fields(unsigned char *p, const zip_entry *e)
{
    le16(p, 20);          /* version needed: deflate */
    le16(p + 2, 0);       /* flags */
    le16(p + 4, 8);       /* method: deflate */
    le16(p + 6, 0);       /* time */
    le16(p + 8, 0x21);    /* date: 1980-01-01 */
    le32(p + 10, e->crc);
    le32(p + 14, e->packed);
    le32(p + 18, e->size);
    le16(p + 22, (uint32_t)strlen(e->name));
}

/* Deflates one part and writes it with its local header. */
static void zip_add(zip *z, const char *name, const buf *part)
{
    if (z->failed || part->failed || z->count == MAX_PARTS || part->len > ZIP_LIMIT) {
        z->failed = true;
        return;
    }
    zip_entry *e = &z->entries[z->count++];
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->size = (uint32_t)part->len;
    e->crc = (uint32_t)crc32(0L, (const Bytef *)part->data, (uInt)part->len);
    e->offset = z->offset;

    z_stream s;
    memset(&s, 0, sizeof(s));
    if (deflateInit2(&s, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        z->failed = true;
        return;
    }
    uLong bound = deflateBound(&s, (uLong)part->len);
    unsigned char *out = malloc(bound ? bound : 1);
    if (!out) {
        deflateEnd(&s);
        z->failed = true;
        return;
    }
    s.next_in = (Bytef *)part->data;
    s.avail_in = (uInt)part->len;
    s.next_out = out;
    s.avail_out = (uInt)bound;
    int rc = deflate(&s, Z_FINISH);
    e->packed = (uint32_t)s.total_out;
    deflateEnd(&s);
    if (rc != Z_STREAM_END) {
        free(out);
        z->failed = true;
        return;
    }
    unsigned char h[30];
    le32(h, 0x04034b50);
    entry_fields(h + 4, e);
    le16(h + 28, 0); /* extra field length */
    zip_write(z, h, sizeof(h));
    zip_write(z, e->name, strlen(e->name));
    zip_write(z, out, e->packed);
    free(out);
}

static void zip_finish(zip *z)
{
    uint32_t start = z->offset;
    for (size_t i = 0; i < z->count; i++) {
        const zip_entry *e = &z->entries[i];
        unsigned char h[46];
        le32(h, 0x02014b50);
        le16(h + 4, 20); /* made by: MS-DOS, 2.0 */
        entry_fields(h + 6, e);
        le16(h + 30, 0); /* extra */
        le16(h + 32, 0); /* comment */
        le16(h + 34, 0); /* disk */
        le16(h + 36, 0); /* internal attributes */
        le32(h + 38, 0); /* external attributes */
        le32(h + 42, e->offset);
        zip_write(z, h, sizeof(h));
        zip_write(z, e->name, strlen(e->name));
    }
    unsigned char end[22];
    le32(end, 0x06054b50);
    le16(end + 4, 0);
    le16(end + 6, 0);
    le16(end + 8, (uint32_t)z->count);
    le16(end + 10, (uint32_t)z->count);
    le32(end + 12, z->offset - start);
    le32(end + 16, start);
    le16(end + 20, 0);
    zip_write(z, end, sizeof(end));
}

/* ---- the workbook -------------------------------------------------------------------------- */

static sheet *sheet_for(sheet *sheets, size_t *count, const char *name, sst *t, const bt_report *r)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(sheets[i].name, name) == 0)
            return &sheets[i];
    if (*count == MAX_SHEETS)
        return NULL;
    sheet *s = &sheets[(*count)++];
    memset(s, 0, sizeof(*s));
    s->name = name;
    open_row(s);
    put_string_cell(s, t, 0, r->title, XF_TITLE);
    bt_buf_str(&s->rows, "</row>");
    s->row = 2;
    return s;
}

/* Adds a part made by fill to the zip; the buffer is reused from part to part. */
#define ADD_PART(name, call)                                                                    \
    do {                                                                                        \
        part.len = 0;                                                                           \
        call;                                                                                   \
        zip_add(&z, name, &part);                                                               \
    } while (0)

int bt_report_write_xlsx(const bt_report *r, const char *path, char *err, size_t err_size)
{
    sheet sheets[MAX_SHEETS];
    size_t sheet_count = 0;
    sst strings = {0};
    buf part = {0};
    zip z = {0};
    int rc = -1;
    for (size_t i = 0; i < BT_RT_COUNT; i++) {
        sheet *s = sheet_for(sheets, &sheet_count, r->tables[i].sheet, &strings, r);
        if (!s) {
            snprintf(err, err_size, "Không tạo được trang tính \"%s\".", r->tables[i].sheet);
            goto done;
        }
        put_table(s, &strings, &r->tables[i]);
    }
    bool failed = strings.failed;
    for (size_t i = 0; i < sheet_count; i++)
        failed = failed || sheets[i].rows.failed;
    if (failed) {
        snprintf(err, err_size, "Không đủ bộ nhớ để lập tệp Excel \"%s\".", path);
        goto done;
    }
    z.f = fopen(path, "wb");
    if (!z.f) {
        snprintf(err, err_size, "Không tạo được tệp Excel \"%s\".", path);
        goto done;
    }
    ADD_PART("[Content_Types].xml", content_types(&part, sheet_count));
    ADD_PART("_rels/.rels", (bt_buf_str(&part, xml_head), bt_buf_str(&part, root_rels)));
    ADD_PART("docProps/app.xml", app_xml(&part, sheets, sheet_count));
    ADD_PART("docProps/core.xml", core_xml(&part, r));
    ADD_PART("xl/workbook.xml", workbook_xml(&part, sheets, sheet_count));
    ADD_PART("xl/_rels/workbook.xml.rels", workbook_rels(&part, sheet_count));
    ADD_PART("xl/styles.xml", (bt_buf_str(&part, xml_head), bt_buf_str(&part, styles_xml)));
    ADD_PART("xl/theme/theme1.xml", bt_buf_str(&part, bt_report_xlsx_theme));
    for (size_t i = 0; i < sheet_count; i++) {
        char name[PART_NAME_BYTES];
        snprintf(name, sizeof(name), "xl/worksheets/sheet%zu.xml", i + 1);
        ADD_PART(name, sheet_xml(&part, &sheets[i], i == 0));
    }
    ADD_PART("xl/sharedStrings.xml", shared_strings_xml(&part, &strings));
    zip_finish(&z);
    if (fclose(z.f) != 0 || z.failed) {
        snprintf(err, err_size, "Không ghi được tệp Excel \"%s\".", path);
        goto done;
    }
    rc = 0;

done:
    for (size_t i = 0; i < sheet_count; i++)
        free(sheets[i].rows.data);
    sst_free(&strings);
    free(part.data);
    return rc;
}
