/* See dump.h. */
#include "dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_playlist.h"

/* Room for one YYYY-MM-DD. */
#define DUMP_DAY_BYTES 32

void bt_dump_string(bt_dump *d, const char *prefix, const char *key, const char *value)
{
    bt_buf_printf(d, "%s%s = ", prefix, key);
    if (!value) {
        bt_buf_add(d, "-\n", 2);
        return;
    }
    bt_buf_add(d, "\"", 1);
    for (const char *s = value; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            bt_buf_add(d, esc, 2);
        } else if (ch == '\n') {
            bt_buf_add(d, "\\n", 2);
        } else if (ch == '\t') {
            bt_buf_add(d, "\\t", 2);
        } else if (ch < 0x20 || ch == 0x7F) {
            bt_buf_printf(d, "\\x%02X", ch);
        } else {
            bt_buf_add(d, s, 1);
        }
    }
    bt_buf_add(d, "\"\n", 2);
}

void bt_dump_day(bt_dump *d, const char *prefix, const char *key, bt_day day)
{
    char text[DUMP_DAY_BYTES];
    if (day == BT_DAY_NONE_FROM || day == BT_DAY_NONE_UNTIL)
        bt_buf_printf(d, "%s%s = -\n", prefix, key);
    else
        bt_buf_printf(d, "%s%s = %s\n", prefix, key,
                       bt_time_format_iso_day(day, text, sizeof text));
}
