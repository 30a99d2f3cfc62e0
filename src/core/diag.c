/* Diagnostics as data: a list of (file, line, message) records that validation hands back.
 *
 * Adding never fails, so a validator can report without checking a status after every
 * problem: past BT_MAX_DIAGS (or if memory runs out) the record is counted as dropped. The
 * error and warning counts include dropped records, so "errors > 0" stays true even then. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"

/* Room for a few records before the first growth; most playlists have none or a handful. */
#define BT_DIAGS_INITIAL_CAPACITY 8

/* Cuts s back to its first n bytes without splitting a UTF-8 sequence (the message may be shown
 * on screen; half a character would render as a replacement box). */
static void utf8_truncate(char *s, size_t n)
{
    size_t lead, need;
    unsigned char c;
    s[n] = '\0';
    if (n == 0)
        return;
    /* Find the lead byte of the last sequence (at most 3 continuation bytes back). */
    lead = n - 1;
    while (lead > 0 && ((unsigned char)s[lead] & 0xC0) == 0x80 && n - lead < 4)
        lead--;
    c = (unsigned char)s[lead];
    if ((c & 0xE0) == 0xC0)
        need = 2;
    else if ((c & 0xF0) == 0xE0)
        need = 3;
    else if ((c & 0xF8) == 0xF0)
        need = 4;
    else
        need = 1; /* ASCII, or an invalid byte that is not ours to repair */
    if (lead + need > n)
        s[lead] = '\0';
}

/* snprintf-like copy that never leaves half a UTF-8 sequence at the end. */
static void copy_truncated(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    if (len < size) {
        memcpy(dst, src, len + 1);
        return;
    }
    memcpy(dst, src, size - 1);
    utf8_truncate(dst, size - 1);
}

void bt_diags_init(bt_diags *d)
{
    memset(d, 0, sizeof(*d));
}

void bt_diags_free(bt_diags *d)
{
    if (!d)
        return;
    free(d->items);
    memset(d, 0, sizeof(*d));
}

static bt_diag *diags_slot(bt_diags *d)
{
    if (d->count >= BT_MAX_DIAGS)
        return NULL;
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? d->capacity * 2 : BT_DIAGS_INITIAL_CAPACITY;
        bt_diag *items;
        if (cap > BT_MAX_DIAGS)
            cap = BT_MAX_DIAGS;
        items = realloc(d->items, cap * sizeof(*items));
        if (!items)
            return NULL;
        d->items = items;
        d->capacity = cap;
    }
    return &d->items[d->count++];
}

void bt_diags_add(bt_diags *d, bt_diag_severity sev, const char *file, int line,
                  const char *fmt, ...)
{
    bt_diag *diag;
    va_list ap;
    int n;
    if (sev == BT_DIAG_WARNING)
        d->warnings++;
    else
        d->errors++;
    diag = diags_slot(d);
    if (!diag) {
        d->dropped++;
        return;
    }
    memset(diag, 0, sizeof(*diag));
    diag->severity = sev;
    diag->line = line < 0 ? 0 : line;
    copy_truncated(diag->file, sizeof(diag->file), file ? file : "");
    copy_truncated(diag->code, sizeof(diag->code), d->code ? d->code : "");
    va_start(ap, fmt);
    n = vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
    va_end(ap);
    if (n < 0)
        diag->message[0] = '\0';
    else if ((size_t)n >= sizeof(diag->message))
        utf8_truncate(diag->message, sizeof(diag->message) - 1);
}

const char *bt_diags_set_code(bt_diags *d, const char *code)
{
    const char *previous = d->code;
    d->code = code;
    return previous;
}

const char *bt_diag_format(const bt_diag *diag, char *buf, size_t size)
{
    /* file + line + label + message, all bounded by the record's own fields. */
    char tmp[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
    const char *label = diag->severity == BT_DIAG_WARNING ? "cảnh báo" : "lỗi";
    if (!buf || size == 0)
        return buf;
    if (diag->file[0] == '\0')
        snprintf(tmp, sizeof(tmp), "%s: %s", label, diag->message);
    else if (diag->line > 0)
        snprintf(tmp, sizeof(tmp), "%s:%d: %s: %s", diag->file, diag->line, label,
                 diag->message);
    else
        snprintf(tmp, sizeof(tmp), "%s: %s: %s", diag->file, label, diag->message);
    copy_truncated(buf, size, tmp);
    return buf;
}

static int diag_compare(const bt_diag *a, const bt_diag *b)
{
    int c = strcmp(a->file, b->file);
    if (c != 0)
        return c;
    return (a->line > b->line) - (a->line < b->line);
}

/* Insertion sort: stable, no allocation, and at most BT_MAX_DIAGS records. */
void bt_diags_sort(bt_diags *d)
{
    bt_diag tmp;
    size_t i, j;
    for (i = 1; i < d->count; i++) {
        if (diag_compare(&d->items[i - 1], &d->items[i]) <= 0)
            continue;
        tmp = d->items[i];
        j = i;
        while (j > 0 && diag_compare(&d->items[j - 1], &tmp) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = tmp;
    }
}

void bt_set_error(char *err, size_t size, const char *fmt, ...)
{
    if (!err || size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}
