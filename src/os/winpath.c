/* Windows path text (bt_winpath.h): pure, compiled on every platform so the Linux unit tests
 * check what the Windows build does with "D:/bangtin/", "C:\\" or "playlist\\.\\images". */
#include "bangtin/bt_winpath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool is_sep(char c)
{
    return c == '/' || c == '\\';
}

static bool is_drive(const char *p)
{
    return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':';
}

bool bt_winpath_is_absolute(const char *path)
{
    return is_sep(path[0]) || (is_drive(path) && is_sep(path[2]));
}

int bt_winpath_normalize(const char *path, char *out, size_t size)
{
    size_t n = strlen(path), o = 0, i = 0, root = 0;
    if (n == 0) {
        errno = EINVAL;
        return -1;
    }
    if (size < n + 2) { /* the result is never longer than path + a root separator */
        errno = ENAMETOOLONG;
        return -1;
    }
    /* The root: "\\" of UNC and "\\?\", "C:\", "C:", "\" — kept as written, in native form. */
    if (is_sep(path[0]) && is_sep(path[1])) {
        out[o++] = '\\';
        out[o++] = '\\';
        i = 2;
    } else if (is_drive(path)) {
        out[o++] = path[0];
        out[o++] = ':';
        i = 2;
        if (is_sep(path[2])) {
            out[o++] = '\\';
            i = 3;
        }
    } else if (is_sep(path[0])) {
        out[o++] = '\\';
        i = 1;
    }
    root = o;
    while (i < n) {
        while (i < n && is_sep(path[i]))
            i++;
        size_t start = i;
        while (i < n && !is_sep(path[i]))
            i++;
        size_t len = i - start;
        if (len == 0 || (len == 1 && path[start] == '.'))
            continue; /* "a//b", "a/./b", a trailing "/" */
        if (o > root)
            out[o++] = '\\';
        memcpy(out + o, path + start, len);
        o += len;
    }
    if (o == 0)
        out[o++] = '.'; /* "." or "./" alone: the working folder */
    out[o] = '\0';
    return 0;
}

int bt_winpath_join(const char *dir, const char *name, char *out, size_t size)
{
    size_t d = strlen(dir), n = strlen(name);
    if (bt_winpath_is_absolute(name) || d == 0)
        return bt_winpath_normalize(name, out, size);
    char *joined = malloc(d + n + 2);
    if (!joined) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(joined, dir, d);
    joined[d] = '\\';
    memcpy(joined + d + 1, name, n + 1);
    int rc = bt_winpath_normalize(joined, out, size);
    int saved = errno;
    free(joined);
    errno = saved;
    return rc;
}
