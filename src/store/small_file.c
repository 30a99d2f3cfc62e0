/* The store's small text files beside the database (the witness, the export state): read whole
 * or found absent, and replaced whole so a power cut leaves the old file or the new one. On
 * failure errno says why. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "store_internal.h"

int bt_store_small_file_read(const char *path, char *text, size_t size)
{
    if (size == 0)
        return -1;
    text[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    size_t len = fread(text, 1, size - 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    text[len] = '\0';
    return failed ? -1 : 1;
}

int bt_store_small_file_write(const char *path, const char *text, size_t len)
{
    char tmp[BT_MAX_PATH_BYTES + 32];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return -1;
    bool ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int saved = errno; /* the caller names why; unlink must not change it */
        unlink(tmp);
        errno = saved;
        return -1;
    }
    /* The rename is durable only once the folder's entry is on disk. */
    char dir[BT_MAX_PATH_BYTES + 32];
    bt_store_folder_of(path, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    int rc = fsync(dfd);
    close(dfd);
    return rc;
}
