/* A tiny JSON writer for the commands that speak to tools (`status --json`, `check --json`):
 * two-space indents, one member per line, commas where they belong, strings always valid. */
#ifndef BT_APP_JSON_H
#define BT_APP_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* Nesting the writer tracks (object → object → array and a little more). */
#define BT_JSON_MAX_DEPTH 8

typedef struct {
    FILE *out;
    int depth;
    bool has_member[BT_JSON_MAX_DEPTH];
} bt_json_writer;

/* Writes s as a JSON string: quotes, backslashes and control characters escaped; valid UTF-8
 * kept as it is; a byte that does not start a valid sequence (a line cut mid-character, a path
 * in another encoding) becomes U+FFFD, so the output always parses. */
void bt_json_string(FILE *out, const char *s);
/* Starts a member (key may be NULL inside an array): comma, newline, indent, key. */
void bt_json_member(bt_json_writer *w, const char *key);
/* Opens an object ('{') or array ('['), as a member named key when inside one. */
void bt_json_open(bt_json_writer *w, const char *key, char bracket);
void bt_json_close(bt_json_writer *w, char bracket);
/* A string member; NULL writes null. */
void bt_json_text(bt_json_writer *w, const char *key, const char *value);
/* Members whose value is a literal: numbers, true, false, null. */
void bt_json_raw(bt_json_writer *w, const char *key, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void bt_json_bool(bt_json_writer *w, const char *key, bool value);

#endif
