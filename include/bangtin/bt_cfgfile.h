/* Reads a libconfig file (appliance config or playlist.cfg) into a plain bt_node tree.
 * Handles what libconfig 1.5 does not: a UTF-8 BOM (Windows Notepad), a size limit, and a
 * Vietnamese message with file and line for a syntax error. */
#ifndef BT_CFGFILE_H
#define BT_CFGFILE_H

#include <stddef.h>

#include "bt_diag.h"
#include "bt_tree.h"

/* Parses text[0..len). On success *out is a heap tree (free with bt_node_destroy) and 0 is
 * returned; on failure *out is NULL, a diagnostic naming `display_name` is added, -1 returned. */
int bt_cfgfile_parse(const char *text, size_t len, const char *display_name, bt_node **out,
                     bt_diags *diags);
/* Reads and parses a file; messages name it as `display_name` (NULL = the path). */
int bt_cfgfile_read(const char *path, const char *display_name, bt_node **out, bt_diags *diags);

#endif
