/* Private to core: the stable text dumps of the models (golden tests, `bangtin check --dump`)
 * share one growing buffer and the same spelling of strings and days. */
#ifndef BT_CORE_DUMP_H
#define BT_CORE_DUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_time.h"

typedef bt_buf bt_dump;

/* `<prefix><key> = "value"` with \\, \", \n, \t and other control characters escaped so each
 * key stays on one line; `<prefix><key> = -` when value is NULL. */
void bt_dump_string(bt_dump *d, const char *prefix, const char *key, const char *value);
/* `<prefix><key> = YYYY-MM-DD`, or `-` for an open bound. */
void bt_dump_day(bt_dump *d, const char *prefix, const char *key, bt_day day);

#endif
