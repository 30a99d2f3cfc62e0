/* Private to core: the readers of the ward's permitted hours and days that the broadcasts
 * validator shares with the config parsers (ward_limits.c). Errors count on v, so the group that
 * holds them fails with them. */
#ifndef BT_CORE_WARD_LIMITS_H
#define BT_CORE_WARD_LIMITS_H

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_tree.h"

#include "validate.h"

/* "05:30-07:00,16:30-18:30" ("" = no restriction) into lim->windows, sorted; windows_line = line.
 * 0, or -1 after reporting (lim's windows untouched). */
int bt_ward_take_windows(bt_validator *v, const char *text, int line, bt_broadcast_limits *lim);
/* "T2-T6" into lim->closed_weekdays; weekdays_line = node's line. 0, or -1 after reporting. */
int bt_ward_take_days(bt_validator *v, const bt_node *node, bt_broadcast_limits *lim);

#endif
