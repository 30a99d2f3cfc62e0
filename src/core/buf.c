/* See bt_buf.h. */
#include "bangtin/bt_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first allocation: most dumps and parts fit, few grow more than a handful of times. */
#define BUF_FIRST_BYTES 4096

bool bt_buf_reserve(bt_buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : BUF_FIRST_BYTES;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *bigger = realloc(b->data, cap);
    if (!bigger) {
        b->failed = true;
        return false;
    }
    b->data = bigger;
    b->cap = cap;
    return true;
}

void bt_buf_add(bt_buf *b, const void *bytes, size_t n)
{
    if (!bt_buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void bt_buf_str(bt_buf *b, const char *s)
{
    bt_buf_add(b, s, strlen(s));
}

void bt_buf_printf(bt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!bt_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Capacity of an array's first block. */
#define GROW_FIRST_ITEMS 16

void *bt_grow(void *items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && items)
        return items;
    size_t n = *cap ? *cap : GROW_FIRST_ITEMS;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / elem)
        return NULL;
    void *bigger = realloc(items, n * elem);
    if (bigger)
        *cap = n;
    return bigger;
}
