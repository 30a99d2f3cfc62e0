/* See dump.h. */
#include "dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_playlist.h"

/* Room for one YYYY-MM-DD. */
#define DUMP_DAY_BYTES 32

static bool dump_reserve(bt_dump *d, size_t more)
{
    if (d->failed)
        return false;
    if (d->len + more + 1 <= d->cap)
        return true;
    size_t cap = d->cap ? d->cap : 1024;
    while (cap < d->len + more + 1)
        cap *= 2;
    char *bigger = realloc(d->buf, cap);
    if (!bigger) {
        d->failed = true;
        return false;
    }
    d->buf = bigger;
    d->cap = cap;
    return true;
}

void bt_dump_raw(bt_dump *d, const char *s, size_t len)
{
    if (!dump_reserve(d, len))
        return;
    memcpy(d->buf + d->len, s, len);
    d->len += len;
    d->buf[d->len] = '\0';
}

void bt_dump_printf(bt_dump *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        d->failed = true;
        return;
    }
    if (!dump_reserve(d, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(d->buf + d->len, d->cap - d->len, fmt, ap);
    va_end(ap);
    d->len += (size_t)n;
}

void bt_dump_string(bt_dump *d, const char *prefix, const char *key, const char *value)
{
    bt_dump_printf(d, "%s%s = ", prefix, key);
    if (!value) {
        bt_dump_raw(d, "-\n", 2);
        return;
    }
    bt_dump_raw(d, "\"", 1);
    for (const char *s = value; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            bt_dump_raw(d, esc, 2);
        } else if (ch == '\n') {
            bt_dump_raw(d, "\\n", 2);
        } else if (ch == '\t') {
            bt_dump_raw(d, "\\t", 2);
        } else if (ch < 0x20 || ch == 0x7F) {
            bt_dump_printf(d, "\\x%02X", ch);
        } else {
            bt_dump_raw(d, s, 1);
        }
    }
    bt_dump_raw(d, "\"\n", 2);
}

void bt_dump_day(bt_dump *d, const char *prefix, const char *key, bt_day day)
{
    char text[DUMP_DAY_BYTES];
    if (day == BT_DAY_NONE_FROM || day == BT_DAY_NONE_UNTIL)
        bt_dump_printf(d, "%s%s = -\n", prefix, key);
    else
        bt_dump_printf(d, "%s%s = %s\n", prefix, key,
                       bt_time_format_iso_day(day, text, sizeof text));
}
