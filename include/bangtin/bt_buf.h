/* A growing byte buffer: the models' text dumps, the simulated timeline, the logs written back
 * to a USB stick and the parts of an XLSX file are built in one. The bytes are always followed
 * by a NUL, so text can be used as a string. After a failed allocation every later call does
 * nothing and `failed` says so: a writer checks once, at the end. */
#ifndef BT_BUF_H
#define BT_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;  /* malloc'd (NULL until the first byte); the owner frees it */
    size_t len, cap;
    bool failed;
} bt_buf;

/* Room for `more` bytes after len (and the NUL); false when failed. */
bool bt_buf_reserve(bt_buf *b, size_t more);
void bt_buf_add(bt_buf *b, const void *bytes, size_t n);
void bt_buf_str(bt_buf *b, const char *s);
void bt_buf_printf(bt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An array of `elem`-byte items with room for at least `need` of them: `items` itself when it
 * has room, else a bigger block (the capacity doubles, so appending one at a time stays
 * linear) with *cap updated. NULL when out of memory; `items` and *cap are then unchanged. */
void *bt_grow(void *items, size_t *cap, size_t need, size_t elem);

#endif
