/* The content store on disk: data_dir/content/{objects,playlists,tmp} and a lock file.
 * Files become visible only by rename after fsync, and the SQLite index (bt_content_store.h)
 * decides what is kept: anything on disk the index does not name is debris of an interrupted
 * or refused import, and the sweep at the start of the next import deletes it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_path.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_usb.h"
#include "usb_internal.h"

/* *made: the last folder of dir was created now. */
static int mkdir_p(const char *dir, bool *made)
{
    char path[BT_MAX_PATH_BYTES];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    *made = mkdir(path, 0755) == 0;
    return !*made && errno != EEXIST ? -1 : 0;
}

static int open_sub(int rootfd, const char *name, bool *made)
{
    if (mkdirat(rootfd, name, 0755) == 0)
        *made = true;
    else if (errno != EEXIST)
        return -1;
    return openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* A folder made now is on the disk (its entry in its parent synced) before anything stored in
 * it is said to be: the import's fsyncs of the files and their folder do not cover it. */
static int fsync_parent_of(int dirfd)
{
    int fd = openat(dirfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : usb_fsync_dir(fd);
    int err = errno;
    if (fd >= 0)
        close(fd);
    errno = err;
    return rc;
}

int usb_cstore_open(const char *data_dir, usb_cstore *cs, bt_diags *d)
{
    char content[BT_MAX_PATH_BYTES], real[PATH_MAX];
    bool made_root = false, made_sub = false;
    memset(cs, 0, sizeof(*cs));
    cs->rootfd = cs->objfd = cs->plfd = cs->tmpfd = cs->lockfd = -1;
    if (snprintf(content, sizeof(content), "%s/%s", data_dir, BT_USB_CONTENT_DIR) >=
            (int)sizeof(content) ||
        mkdir_p(content, &made_root) != 0 || bt_path_real(content, real, sizeof real) != 0 ||
        snprintf(cs->root, sizeof(cs->root), "%s", real) >= (int)sizeof(cs->root)) {
        bt_diags_add(d, BT_DIAG_ERROR, data_dir, 0, "không tạo được kho nội dung: %s",
                     usb_disk_reason(errno));
        return -1;
    }
    cs->rootfd = open(cs->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cs->rootfd < 0 || (made_root && fsync_parent_of(cs->rootfd) != 0))
        goto fail;
    cs->lockfd = openat(cs->rootfd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (cs->lockfd < 0)
        goto fail;
    /* flock is released by the kernel when the holder dies, even by kill -9. */
    if (flock(cs->lockfd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            bt_diags_add(d, BT_DIAG_ERROR, "", 0, "máy đang nạp một gói khác — chờ xong rồi "
                         "thử lại");
            usb_cstore_close(cs);
            return -1;
        }
        goto fail;
    }
    if ((cs->objfd = open_sub(cs->rootfd, "objects", &made_sub)) < 0 ||
        (cs->plfd = open_sub(cs->rootfd, "playlists", &made_sub)) < 0 ||
        (cs->tmpfd = open_sub(cs->rootfd, "tmp", &made_sub)) < 0 ||
        (made_sub && usb_fsync_dir(cs->rootfd) != 0))
        goto fail;
    return 0;

fail:
    bt_diags_add(d, BT_DIAG_ERROR, cs->root[0] ? cs->root : data_dir, 0,
                 "không mở được kho nội dung: %s", usb_disk_reason(errno));
    usb_cstore_close(cs);
    return -1;
}

void usb_cstore_close(usb_cstore *cs)
{
    int *fds[] = {&cs->objfd, &cs->plfd, &cs->tmpfd, &cs->lockfd, &cs->rootfd};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
        if (*fds[i] >= 0)
            close(*fds[i]); /* closing the lock file releases the flock */
        *fds[i] = -1;
    }
}

static bool is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

typedef int (*known_fn)(bt_store *s, const char *name);

/* Removes every entry of the directory open as fd that the index does not know. */
static void sweep_dir(int fd, bt_store *s, known_fn known)
{
    /* A new open file description: a dup() would share (and find at its end) the read
     * position of an earlier walk of the same directory. */
    int own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = own >= 0 ? fdopendir(own) : NULL;
    if (!dir) {
        if (own >= 0)
            close(own);
        return;
    }
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        const char *name = ent->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        /* Keep only what the index names; a database error keeps everything (-1). */
        int k = known && is_hex64(name) ? known(s, name) : 0;
        if (k == 0)
            usb_remove_tree(fd, name);
    }
    closedir(dir);
}

void usb_cstore_sweep(usb_cstore *cs, bt_store *s)
{
    sweep_dir(cs->tmpfd, s, NULL);
    sweep_dir(cs->objfd, s, bt_content_has_object);
    sweep_dir(cs->plfd, s, bt_content_has_playlist);
}

bool usb_cstore_has_object(usb_cstore *cs, bt_store *s, const char *sha256, uint64_t size)
{
    struct stat st;
    return bt_content_has_object(s, sha256) == 1 &&
           fstatat(cs->objfd, sha256, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
           (uint64_t)st.st_size == size;
}

void usb_cstore_playlist_dir(const usb_cstore *cs, const char *key, char *out, size_t size)
{
    snprintf(out, size, "%s/playlists/%s", cs->root, key);
}

void usb_cstore_remove_playlist(usb_cstore *cs, const char *key)
{
    if (is_hex64(key))
        usb_remove_tree(cs->plfd, key);
}

void usb_cstore_remove_object(usb_cstore *cs, const char *sha256)
{
    if (is_hex64(sha256))
        unlinkat(cs->objfd, sha256, 0);
}
