/* CSV for Excel on a Windows office PC: UTF-8 with a BOM (without it Excel reads the bytes as
 * the ANSI code page and Vietnamese turns to mojibake, and LibreOffice's import guesses a legacy
 * charset), CRLF line ends, fields quoted when they hold the separator, a quote or a line break.
 * One file, sections one after another, each with a title line and a header line, separated by
 * an empty line.
 *
 * The separator is the list separator of the Excel that opens the file by double-click: a
 * Vietnamese Windows has ';' (its decimal mark is the comma), so by default fields are split by
 * ';' and decimals written "465,0", which that Excel reads as numbers. With ',' (for tools and
 * an English-locale Excel) decimals keep their point.
 *
 * Formula injection: a text cell that starts with = + - @ (or a tab or CR, which Excel also
 * strips before looking) is prefixed with an apostrophe, so a notice title such as
 * "=HYPERLINK(...)" from a USB stick is shown, never evaluated. Numbers are written bare. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_vi.h"
#include "report_internal.h"

static bool needs_guard(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
           s[0] == '\r';
}

static void put_field(FILE *out, const bt_rcell *c, char sep)
{
    const char *s = c->text ? c->text : "";
    if (c->is_number) {
        /* The decimal mark that goes with the separator: the comma beside ';'. */
        for (; *s; s++)
            fputc(*s == '.' && sep == ';' ? ',' : *s, out);
        return;
    }
    bool guard = needs_guard(s);
    const char specials[] = {sep, '"', '\r', '\n', '\0'};
    bool quote = strpbrk(s, specials) != NULL;
    if (quote)
        fputc('"', out);
    if (guard)
        fputc('\'', out);
    /* Runs between quotes go out whole; a quote is doubled. */
    for (;;) {
        size_t run = strcspn(s, "\"");
        fwrite(s, 1, run, out);
        if (!s[run])
            break;
        fputs("\"\"", out);
        s += run + 1;
    }
    if (quote)
        fputc('"', out);
}

static void put_text_line(FILE *out, const char *text, char sep)
{
    bt_rcell c = {.text = (char *)(uintptr_t)text};
    put_field(out, &c, sep);
    fputs("\r\n", out);
}

static void put_table(FILE *out, const bt_rtable *t, char sep)
{
    put_text_line(out, t->title, sep);
    for (size_t k = 0; k < t->cols; k++) {
        if (k)
            fputc(sep, out);
        bt_rcell h = {.text = (char *)(uintptr_t)t->headers[k]};
        put_field(out, &h, sep);
    }
    fputs("\r\n", out);
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t k = 0; k < t->cols; k++) {
            if (k)
                fputc(sep, out);
            put_field(out, bt_rtable_cell(t, r, k), sep);
        }
        fputs("\r\n", out);
    }
}

int bt_report_write_csv(const bt_report *r, FILE *out, char sep, char *err, size_t err_size)
{
    fputs("\xEF\xBB\xBF", out); /* the UTF-8 BOM: bytes, not a character escape */
    put_text_line(out, r->title, sep);
    fputs("\r\n", out);
    for (size_t i = 0; i < BT_RT_COUNT; i++) {
        if (!r->tables[i].cols) /* the months table without targets */
            continue;
        if (i)
            fputs("\r\n", out);
        put_table(out, &r->tables[i], sep);
    }
    if (ferror(out)) {
        snprintf(err, err_size, "Không ghi được tệp CSV: %s", bt_vi_errno(errno).text);
        return -1;
    }
    return 0;
}
