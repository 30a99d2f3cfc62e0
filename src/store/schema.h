/* Private to the store room: the schema as an ordered list of migration steps. */
#ifndef BT_STORE_SCHEMA_H
#define BT_STORE_SCHEMA_H

#include <stddef.h>

#include <sqlite3.h>

/* The schema version this build knows: the number of migration steps. */
int bt_schema_latest_version(void);

/* Reads PRAGMA user_version into *version without writing anything. -1 with a Vietnamese
 * message in err if it cannot be read, or if the database is newer than this build knows. */
int bt_schema_check(sqlite3 *db, int *version, char *err, size_t err_size);

/* Brings db up to bt_schema_latest_version(): one transaction per step, each also setting
 * PRAGMA user_version to the step's number. *version ends as what the database holds.
 * 0 on success; -1 with a Vietnamese message in err. */
int bt_schema_migrate(sqlite3 *db, int *version, char *err, size_t err_size);

#endif
