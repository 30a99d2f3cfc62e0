/* The JSON writer of the commands that speak to tools (json.h). */
#include "json.h"

#include <stdarg.h>
#include <string.h>

#include "bangtin/bt_text.h"

/* Writes s as a JSON string: quotes, backslashes and control characters escaped; valid UTF-8
 * kept as it is; a byte that does not start a valid sequence (a line cut mid-character, a path
 * in another encoding) becomes U+FFFD, so the output always parses. */
void bt_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
        if (len > 1 && strnlen((const char *)p, len) == len &&
            bt_text_utf8_valid((const char *)p, len)) {
            fwrite(p, 1, len, out);
            p += len;
            continue;
        }
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else if (*p < 0x80)
            fputc(*p, out);
        else
            fputs("\\ufffd", out);
        p++;
    }
    fputc('"', out);
}

/* Starts a member (key may be NULL inside an array): comma, newline, indent, key. */
void bt_json_member(bt_json_writer *w, const char *key)
{
    if (w->has_member[w->depth])
        fputc(',', w->out);
    w->has_member[w->depth] = true;
    fprintf(w->out, "\n%*s", 2 * w->depth, "");
    if (key) {
        bt_json_string(w->out, key);
        fputs(": ", w->out);
    }
}

void bt_json_open(bt_json_writer *w, const char *key, char bracket)
{
    if (w->depth > 0 || w->has_member[0])
        bt_json_member(w, key);
    fputc(bracket, w->out);
    if (w->depth + 1 < BT_JSON_MAX_DEPTH)
        w->has_member[++w->depth] = false;
}

void bt_json_close(bt_json_writer *w, char bracket)
{
    bool had = w->has_member[w->depth];
    w->depth--;
    if (had)
        fprintf(w->out, "\n%*s", 2 * w->depth, "");
    fputc(bracket, w->out);
}

void bt_json_text(bt_json_writer *w, const char *key, const char *value)
{
    bt_json_member(w, key);
    if (value)
        bt_json_string(w->out, value);
    else
        fputs("null", w->out);
}

void bt_json_raw(bt_json_writer *w, const char *key, const char *format, ...)
{
    va_list ap;
    bt_json_member(w, key);
    va_start(ap, format);
    vfprintf(w->out, format, ap);
    va_end(ap);
}

void bt_json_bool(bt_json_writer *w, const char *key, bool value)
{
    bt_json_raw(w, key, "%s", value ? "true" : "false");
}
