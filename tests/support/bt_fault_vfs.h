/* A SQLite VFS for tests that fails the Nth open, read, write, sync or truncate (issue 10, item
 * 11). It wraps the process's default VFS (unix) and becomes the default itself, so the program
 * under test opens its database as always (bt_store_open, verify's own connections) and needs no
 * change. Every file is counted: the database, its WAL and rollback journal, temp files.
 *
 * Use: bt_fault_vfs_register() once; bt_fault_vfs_arm(kinds, 0, …) counts the calls of those
 * kinds an operation makes; bt_fault_vfs_arm(kinds, n, error, sticky) makes the nth such call
 * fail with `error` (and, sticky, every later one: a disk that stays full or read-only);
 * bt_fault_vfs_disarm() lets every call through again. Thread-safe: a report checks the log on a
 * thread of its own. Modelled on SQLite's own fault shims (src/test_vfs.c, test_malloc.c). */
#ifndef BT_FAULT_VFS_H
#define BT_FAULT_VFS_H

#include <stdbool.h>
#include <stddef.h>

/* The calls that can fail, as bits of a mask. */
#define BT_FAULT_OPEN 0x01u     /* xOpen (the file is not opened) */
#define BT_FAULT_READ 0x02u     /* xRead */
#define BT_FAULT_WRITE 0x04u    /* xWrite */
#define BT_FAULT_SYNC 0x08u     /* xSync */
#define BT_FAULT_TRUNCATE 0x10u /* xTruncate */

/* Wraps the default VFS as "bt_fault" and makes it the default. 0, or an SQLite error. Calling
 * it again does nothing. */
int bt_fault_vfs_register(void);

/* Counts the calls of the kinds in `kinds` from now on (the count starts at 0). nth > 0: the nth
 * of them fails with `error` (an SQLite result code: SQLITE_IOERR_WRITE, SQLITE_FULL …), and with
 * `sticky` every one after it too. nth == 0: count only. */
void bt_fault_vfs_arm(unsigned kinds, long nth, int error, bool sticky);
/* No call fails any more; the count stays readable. */
void bt_fault_vfs_disarm(void);
/* Calls of the armed kinds since bt_fault_vfs_arm. */
long bt_fault_vfs_calls(void);
/* Calls that were made to fail since bt_fault_vfs_arm. */
long bt_fault_vfs_injected(void);
/* What bt_fault_vfs_first writes at most. */
#define BT_FAULT_WHAT_BYTES 160
/* The first call made to fail, e.g. "xWrite bangtin.db-wal (wal) @4152 ×24 → 778"; "" if none.
 * Returns buf. */
const char *bt_fault_vfs_first(char *buf, size_t size);

#endif
