/* Path helpers for the rooms that touch files (io, usb, app). */
#ifndef BT_PATH_H
#define BT_PATH_H

#include <stddef.h>

/* realpath() into a buffer of any size. glibc's realpath(path, buf) may write PATH_MAX bytes,
 * and under _FORTIFY_SOURCE (Debian's hardened package build) it aborts whenever buf is
 * smaller, however short the answer: this asks for an allocated answer and copies it.
 * 0, or -1 with errno (ENAMETOOLONG when the answer does not fit in size). */
int bt_path_real(const char *path, char *out, size_t size);

#endif
