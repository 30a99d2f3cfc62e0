/* `bangtin pack`: a playlist directory becomes a signed package folder. The same rules as the
 * import apply here first (no symlinks or special files, safe names, limits), so a package that
 * packs is a package that imports. The folder is built beside dest and renamed into place. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_sha256.h"
#include "usb_internal.h"

typedef struct {
    bt_manifest *m;
    size_t cap;
    bt_diags *d;
    const char *src;
} collect_state;

static int add(collect_state *c, const char *rel, uint64_t size)
{
    bt_manifest_entry *room = bt_grow(c->m->entries, &c->cap, c->m->count + 1, sizeof *room);
    if (!room)
        return -1;
    c->m->entries = room;
    bt_manifest_entry *e = &c->m->entries[c->m->count];
    memset(e, 0, sizeof(*e));
    if (!(e->path = strdup(rel)))
        return -1;
    e->size = size;
    c->m->count++;
    c->m->total_bytes += size;
    return 0;
}

/* Collects every regular file under fd (closed here), refusing what the import would refuse. */
static void collect(collect_state *c, int fd, const char *prefix, int depth)
{
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        bt_diags_add(c->d, BT_DIAG_ERROR, prefix[0] ? prefix : c->src, 0,
                     "không đọc được thư mục: %s", usb_errno_text(errno));
        return;
    }
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        const char *name = ent->d_name;
        char rel[BT_MAX_PATH_BYTES], shown[BT_MAX_PATH_BYTES];
        struct stat st;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || bt_package_name_ignored(name))
            continue;
        if (depth == 0 && (strcmp(name, BT_PACKAGE_MANIFEST) == 0 ||
                           strcmp(name, BT_PACKAGE_SIGNATURE) == 0 ||
                           strcmp(name, BT_PACKAGE_SIGNED_AT_FILE) == 0))
            continue; /* re-packing a package signs it afresh, at a new time */
        if (snprintf(rel, sizeof(rel), "%s%s%s", prefix, prefix[0] ? "/" : "", name) >=
                (int)sizeof(rel) ||
            !bt_package_path_safe(rel)) {
            bt_diags_add(c->d, BT_DIAG_ERROR, usb_printable(rel, shown, sizeof(shown)), 0,
                         "tên tệp hoặc thư mục không dùng được (quá dài, ký tự điều khiển, dấu \\ "
                         "hoặc không phải UTF-8) — đổi tên");
            continue;
        }
        usb_printable(rel, shown, sizeof(shown));
        if (fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            bt_diags_add(c->d, BT_DIAG_ERROR, shown, 0, "không đọc được: %s",
                         usb_errno_text(errno));
        } else if (S_ISLNK(st.st_mode)) {
            bt_diags_add(c->d, BT_DIAG_ERROR, shown, 0, "là liên kết (symlink) — chép chính tệp "
                         "vào thư mục playlist");
        } else if (S_ISDIR(st.st_mode)) {
            int sub = depth < BT_MAX_PACKAGE_DEPTH
                          ? openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                                         O_CLOEXEC)
                          : -1;
            if (sub < 0)
                bt_diags_add(c->d, BT_DIAG_ERROR, shown, 0, "thư mục lồng quá sâu hoặc không mở "
                             "được");
            else
                collect(c, sub, rel, depth + 1);
        } else if (!S_ISREG(st.st_mode)) {
            bt_diags_add(c->d, BT_DIAG_ERROR, shown, 0, "không phải tệp thường (FIFO, thiết bị…) "
                         "— xoá nó khỏi thư mục playlist");
        } else if (c->m->count >= BT_MAX_PACKAGE_FILES + 1) {
            /* counted once in the limits check */
        } else if (add(c, rel, (uint64_t)st.st_size) != 0) {
            bt_diags_add(c->d, BT_DIAG_ERROR, shown, 0, "không đủ bộ nhớ");
        }
    }
    closedir(dir);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const bt_manifest_entry *)a)->path, ((const bt_manifest_entry *)b)->path);
}

/* Copies every entry from srcfd into the new folder outfd, filling in the hashes. */
static int copy_files(int srcfd, int outfd, bt_manifest *m, bt_diags *d)
{
    for (size_t i = 0; i < m->count; i++) {
        bt_manifest_entry *e = &m->entries[i];
        char shown[BT_MAX_PATH_BYTES];
        usb_printable(e->path, shown, sizeof(shown));
        for (char *slash = strchr(e->path, '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            int rc = mkdirat(outfd, e->path, 0755);
            int err = errno;
            *slash = '/';
            if (rc != 0 && err != EEXIST) {
                bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không tạo được thư mục: %s",
                             usb_errno_text(err));
                return -1;
            }
        }
        int in = usb_open_beneath(srcfd, e->path);
        int out = in < 0 ? -1
                         : openat(outfd, e->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        int err_no = errno;
        usb_copy_status st = USB_COPY_READ_ERROR;
        if (in >= 0 && out >= 0) {
            st = usb_copy_hash(in, out, e->size, e->sha256, NULL, NULL, &err_no);
            if (st == USB_COPY_OK && fsync(out) != 0) {
                st = USB_COPY_WRITE_ERROR;
                err_no = errno;
            }
        }
        if (in >= 0)
            close(in);
        if (out >= 0 && close(out) != 0 && st == USB_COPY_OK) {
            st = USB_COPY_WRITE_ERROR;
            err_no = errno;
        }
        if (st != USB_COPY_OK) {
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không chép được: %s",
                         st == USB_COPY_SHORT || st == USB_COPY_LONG
                             ? "tệp thay đổi trong lúc đóng gói — thử lại"
                             : usb_errno_text(err_no));
            return -1;
        }
    }
    return 0;
}

static int write_file(int dirfd, const char *name, const char *text, size_t len)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    bool ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : -1;
}

/* Writes BT_PACKAGE_SIGNED_AT_FILE into the new folder and lists it in m (kept sorted), so
 * the signature covers the time. 0, or -1 with errno. */
static int add_signed_at(int outfd, bt_manifest *m, bt_wall signed_at)
{
    size_t len = 0, cap = m->count;
    char *text = bt_package_signed_at_format(signed_at, &len);
    bt_manifest_entry *room = bt_grow(m->entries, &cap, m->count + 1, sizeof *room);
    if (!text || !room) {
        free(text);
        errno = ENOMEM;
        return -1;
    }
    m->entries = room;
    bt_manifest_entry *e = &m->entries[m->count];
    memset(e, 0, sizeof(*e));
    if (!(e->path = strdup(BT_PACKAGE_SIGNED_AT_FILE)) ||
        write_file(outfd, BT_PACKAGE_SIGNED_AT_FILE, text, len) != 0) {
        int err = e->path ? errno : ENOMEM;
        free(e->path);
        free(text);
        errno = err;
        return -1;
    }
    e->size = len;
    bt_sha256_hex(text, len, e->sha256);
    free(text);
    m->count++;
    m->total_bytes += len;
    qsort(m->entries, m->count, sizeof(m->entries[0]), by_path);
    return 0;
}

/* fsync of every directory of the new folder (before the rename that publishes it). 0, or -1
 * with errno: a folder whose entries may not be on the stick is not a package to publish. */
static int fsync_tree(int outfd, const bt_manifest *m)
{
    if (usb_fsync_dir(outfd) != 0)
        return -1;
    for (size_t i = 0; i < m->count; i++) {
        char dir[BT_MAX_PATH_BYTES];
        const char *slash = strrchr(m->entries[i].path, '/');
        if (!slash)
            continue;
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - m->entries[i].path), m->entries[i].path);
        int fd = openat(outfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int rc = fd < 0 ? -1 : usb_fsync_dir(fd);
        if (fd >= 0)
            close(fd);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* fsync of the folder that holds path, so a rename into it is on the disk. 0, or -1 with errno. */
static int fsync_parent(const char *path)
{
    char parent[BT_MAX_PATH_BYTES + 32];
    snprintf(parent, sizeof(parent), "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent)
        *slash = '\0';
    int fd = open(slash ? parent : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = usb_fsync_dir(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int bt_package_pack(const char *src, const char *dest, const char *secret_key_path,
                    bt_wall signed_at, char key_id[BT_PACKAGE_KEY_ID_SIZE], bt_diags *d)
{
    unsigned char secret[64];
    char err[BT_MAX_PATH_BYTES + 256], id[BT_PACKAGE_KEY_ID_SIZE], tmp[BT_MAX_PATH_BYTES + 32];
    bt_manifest m;
    size_t errors_before = d->errors;
    int srcfd = -1, outfd = -1, rc = -1;
    char *text = NULL, *sig = NULL;
    bool made_tmp = false;
    struct stat st;
    bt_manifest_init(&m);

    if (bt_package_read_secret_key(secret_key_path, secret, id, err, sizeof(err)) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, secret_key_path, 0, "%s", err);
        return -1;
    }
    if (lstat(dest, &st) == 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "đã có — chọn thư mục đích mới (hoặc xoá thư mục "
                     "bangtin cũ trên USB trước)");
        goto done;
    }
    srcfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (srcfd < 0) {
        bt_diags_add(d, BT_DIAG_ERROR, src, 0, "không mở được thư mục playlist: %s",
                     usb_errno_text(errno));
        goto done;
    }
    collect_state c = {&m, 0, d, src};
    int walk_fd = openat(srcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (walk_fd >= 0)
        collect(&c, walk_fd, "", 0);
    qsort(m.entries, m.count, sizeof(m.entries[0]), by_path);
    usb_manifest_check_limits(&m, d);
    if (d->errors > errors_before)
        goto done;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dest, (long)getpid()) >= (int)sizeof(tmp) ||
        mkdir(tmp, 0755) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "không tạo được thư mục: %s",
                     usb_errno_text(errno));
        goto done;
    }
    made_tmp = true;
    outfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (outfd < 0 || copy_files(srcfd, outfd, &m, d) != 0)
        goto done;
    if (add_signed_at(outfd, &m, signed_at) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "không ghi được thời điểm ký: %s",
                     usb_errno_text(errno));
        goto done;
    }
    usb_manifest_check_limits(&m, d); /* one file more: a playlist at the file limit is over */
    if (d->errors > errors_before)
        goto done;
    size_t len = 0;
    text = bt_manifest_format(&m, &len);
    sig = text ? bt_package_sign(text, len, secret) : NULL;
    if (!sig || write_file(outfd, BT_PACKAGE_MANIFEST, text, len) != 0 ||
        write_file(outfd, BT_PACKAGE_SIGNATURE, sig, strlen(sig)) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "không ghi được MANIFEST và chữ ký: %s",
                     usb_errno_text(errno));
        goto done;
    }
    if (fsync_tree(outfd, &m) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "không đồng bộ được thư mục gói xuống đĩa: %s",
                     usb_errno_text(errno));
        goto done;
    }
    if (rename(tmp, dest) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "không đổi tên được thư mục gói: %s",
                     usb_errno_text(errno));
        goto done;
    }
    made_tmp = false;
    /* The new name is on disk too before we say the package is written. */
    if (fsync_parent(dest) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, dest, 0, "đã ghi gói nhưng không đồng bộ được thư mục chứa "
                     "nó xuống đĩa (%s): rút USB lúc này có thể mất gói — xoá thư mục này rồi "
                     "đóng gói lại", usb_errno_text(errno));
        goto done;
    }
    if (key_id)
        memcpy(key_id, id, sizeof(id));
    rc = 0;

done:
    sodium_memzero(secret, sizeof(secret));
    if (made_tmp)
        usb_remove_tree(AT_FDCWD, tmp);
    if (outfd >= 0)
        close(outfd);
    if (srcfd >= 0)
        close(srcfd);
    free(text);
    free(sig);
    bt_manifest_free(&m);
    return rc;
}
