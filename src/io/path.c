/* Path helpers (bt_path.h). */
#include "bangtin/bt_path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int bt_path_real(const char *path, char *out, size_t size)
{
    char *real = realpath(path, NULL);
    if (!real)
        return -1;
    size_t len = strlen(real);
    int rc = 0;
    if (len >= size) {
        errno = ENAMETOOLONG;
        rc = -1;
    } else {
        memcpy(out, real, len + 1);
    }
    free(real);
    return rc;
}
