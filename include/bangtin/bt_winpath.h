/* Windows path text, as pure functions (no Windows API, so the unit tests run them on Linux):
 * the platform layer's Windows side (src/os/win_posix.c) turns every path the rooms hand it into
 * one of these before widening it for the wide-character API. */
#ifndef BT_WINPATH_H
#define BT_WINPATH_H

#include <stdbool.h>
#include <stddef.h>

/* "C:\x", "C:/x", "\x", "\\server\share": not relative to the working folder. */
bool bt_winpath_is_absolute(const char *path);

/* The native spelling of path: '/' becomes '\', runs of separators become one (a leading "\\"
 * of a UNC or "\\?\" path stays), "." components go, and trailing separators go unless they
 * are the root ("C:\", "\"). "." alone stays "."; an empty path is refused.
 * 0, or -1 with errno (EINVAL for an empty path, ENAMETOOLONG when out is too small). */
int bt_winpath_normalize(const char *path, char *out, size_t size);

/* name under dir, normalized; name itself when it is absolute (as openat does). 0, or -1 with
 * errno as bt_winpath_normalize. */
int bt_winpath_join(const char *dir, const char *name, char *out, size_t size);

#endif
