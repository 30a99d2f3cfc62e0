/* File names a Windows PC accepts (core, pure): what the appliance writes onto a stick (the
 * receipt, the logs, the reports) is opened on the ward's Windows office PC, where some names
 * cannot exist at all: the characters < > : " / \ | ? * and control characters, a name ending in
 * a dot or a space, and the device names CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9 (with or
 * without an extension, in any case). */
#ifndef BT_FILE_NAME_H
#define BT_FILE_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* The longest file name (one component) Windows' file systems hold, in bytes as we count it. */
#define BT_FILE_NAME_MAX_BYTES 255

/* Would Windows accept name as one file name? (Empty, or longer than BT_FILE_NAME_MAX_BYTES:
 * no.) */
bool bt_file_name_windows_ok(const char *name);
/* name made acceptable into out: each refused character becomes '-', trailing dots and spaces
 * go, a device name gets a leading '_', an empty name becomes "_"; cut to size - 1 bytes (and
 * BT_FILE_NAME_MAX_BYTES) on a UTF-8 character boundary. A name already acceptable is copied
 * unchanged. Returns out (size must be at least 2). */
const char *bt_file_name_windows(const char *name, char *out, size_t size);

#endif
