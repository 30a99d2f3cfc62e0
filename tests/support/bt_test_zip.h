/* Reading one part out of a zip file (an XLSX, a DOCX) in tests, with zlib: the tests check
 * what the writers put in the package without any tool outside the build. */
#ifndef BT_TEST_ZIP_H
#define BT_TEST_ZIP_H

#include <stddef.h>

/* The names of every entry in the zip at path, one per line (malloc'd), or NULL if it is not a
 * zip this reader understands (no ZIP64, no encryption). */
char *bt_test_zip_names(const char *path);
/* The uncompressed bytes of entry `name` (malloc'd, NUL-terminated, *len set when len is not
 * NULL), or NULL when the entry is missing or cannot be inflated. */
char *bt_test_zip_read(const char *path, const char *name, size_t *len);

#endif
