/* Private to the store room: what the store's modules (airing.c …) share beyond bt_store.h. */
#ifndef BT_STORE_INTERNAL_H
#define BT_STORE_INTERNAL_H

#include <sqlite3.h>

#include "bangtin/bt_store.h"

/* The connection of an open store (owned by it). */
sqlite3 *bt_store_sqlite(bt_store *s);

/* Runs SQL that returns no rows; on failure logs "Lỗi cơ sở dữ liệu khi <what>: …" and
 * returns -1. */
int bt_store_exec(sqlite3 *db, const char *sql, const char *what);

#endif
