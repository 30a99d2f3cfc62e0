/* Private to core: the stable text dumps of the models (golden tests, `bangtin check --dump`)
 * share one growing buffer and the same spelling of strings and days. */
#ifndef BT_CORE_DUMP_H
#define BT_CORE_DUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_time.h"

typedef struct {
    char *buf;   /* malloc'd, NUL-terminated; the caller takes it (or frees it when failed) */
    size_t len, cap;
    bool failed; /* out of memory: every later call does nothing */
} bt_dump;

void bt_dump_raw(bt_dump *d, const char *s, size_t len);
void bt_dump_printf(bt_dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `<prefix><key> = "value"` with \\, \", \n, \t and other control characters escaped so each
 * key stays on one line; `<prefix><key> = -` when value is NULL. */
void bt_dump_string(bt_dump *d, const char *prefix, const char *key, const char *value);
/* `<prefix><key> = YYYY-MM-DD`, or `-` for an open bound. */
void bt_dump_day(bt_dump *d, const char *prefix, const char *key, bt_day day);

#endif
