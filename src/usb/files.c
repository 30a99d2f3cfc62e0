/* Careful file access for the usb room. Everything on a stick is hostile until checked: paths
 * are opened one component at a time with O_NOFOLLOW (a symlink anywhere is refused, not
 * followed), with O_NONBLOCK (a FIFO cannot hang the import), and checked with fstat after
 * opening (what was checked is what is read). Copying hashes the exact bytes it writes. */
#define _GNU_SOURCE /* sync_file_range, posix_fadvise */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_text.h"
#include "usb_internal.h"

const char *usb_printable(const char *raw, char *out, size_t size)
{
    size_t o = 0, i = 0, len = strlen(raw);
    if (size == 0)
        return out;
    while (i < len && o + 5 < size) {
        unsigned char c = (unsigned char)raw[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > len || !bt_text_utf8_valid(raw + i, n) || c < 0x20 || c == 0x7F) {
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, raw + i, n);
        o += n;
        i += n;
    }
    if (i < len && o + 4 <= size) {
        memcpy(out + o, "…", 3); /* cut: say so rather than show a wrong name */
        o += 3;
    }
    out[o] = '\0';
    return out;
}

int usb_read_small(int dirfd, const char *name, size_t max, bool follow, char **data,
                   size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = openat(dirfd, name, O_RDONLY | (follow ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    int saved = 0;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        saved = errno;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        saved = EINVAL;
        goto fail;
    }
    if ((uint64_t)st.st_size > max) {
        saved = EFBIG;
        goto fail;
    }
    size_t size = (size_t)st.st_size, got = 0;
    buf = malloc(size + 1);
    if (!buf) {
        saved = ENOMEM;
        goto fail;
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            saved = errno;
            goto fail;
        }
        if (n == 0) {
            saved = EIO; /* shrank under us: the stick is going away */
            goto fail;
        }
        got += (size_t)n;
    }
    buf[size] = '\0';
    close(fd);
    *data = buf;
    *len = size;
    return 0;

fail:
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}

int usb_open_beneath(int dirfd, const char *rel)
{
    char name[BT_MAX_PATH_BYTES];
    int cur = dirfd, saved;
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= sizeof(name)) {
            saved = EINVAL;
            goto fail;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (slash ? O_DIRECTORY : 0);
        int next = openat(cur, name, flags);
        if (next < 0) {
            /* O_DIRECTORY on a symlink gives ENOTDIR or ELOOP: both mean "not a real dir". */
            saved = errno == ENOTDIR && slash ? ELOOP : errno;
            goto fail;
        }
        if (cur != dirfd)
            close(cur);
        cur = next;
        if (!slash)
            break;
        p = slash + 1;
    }
    struct stat st;
    if (fstat(cur, &st) != 0) {
        saved = errno;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        saved = EINVAL;
        goto fail;
    }
    /* Regular files ignore O_NONBLOCK; clear it anyway so reads are ordinary. */
    fcntl(cur, F_SETFL, fcntl(cur, F_GETFL) & ~O_NONBLOCK);
    return cur;

fail:
    if (cur != dirfd)
        close(cur);
    errno = saved;
    return -1;
}

int usb_path_trim(const char *path, char *out, size_t size)
{
    size_t n = path ? strlen(path) : 0;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0 || n >= size) {
        errno = n == 0 ? EINVAL : ENAMETOOLONG;
        return -1;
    }
    memcpy(out, path, n);
    out[n] = '\0';
    return 0;
}

int usb_path_split(const char *path, char *parent, size_t size, const char **name)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    while (slash && n > 1 && path[n - 1] == '/') /* "a//b": the parent is "a", not "a/" */
        n--;
    if ((slash && slash[1] == '\0') || n >= size) {
        errno = n >= size ? ENAMETOOLONG : EINVAL;
        return -1;
    }
    memcpy(parent, slash ? path : ".", n);
    parent[n] = '\0';
    *name = slash ? slash + 1 : path;
    return 0;
}

int usb_fsync_dir(int dirfd)
{
    return fsync(dirfd) == 0 || errno == EINVAL ? 0 : -1; /* EINVAL: a filesystem without it */
}

const char *usb_stick_reason(int err)
{
    switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
    case ESTALE:
    case ENOTCONN:
        return "USB đã bị rút ra hoặc không còn đọc được";
    case EIO:
        return "lỗi đọc USB (USB bị rút ra hoặc hỏng)";
    case EACCES:
    case EPERM:
        return "không có quyền đọc";
    case ELOOP:
        return "là liên kết (symlink/shortcut)";
    case EINVAL:
        return "không phải tệp thường";
    case EFBIG:
        return "quá lớn";
    case ENOMEM:
        return "không đủ bộ nhớ";
    default:
        return "lỗi đọc USB";
    }
}

const char *usb_errno_text(int err)
{
    switch (err) {
    case ENOENT: return "không có tệp hoặc thư mục này";
    case EACCES:
    case EPERM: return "không có quyền";
    case ENOSPC:
    case EDQUOT: return "hết chỗ trống";
    case EROFS: return "ổ đĩa chỉ đọc";
    case EIO: return "lỗi đọc/ghi thiết bị";
    case EEXIST: return "đã có";
    case ENOTDIR: return "không phải thư mục";
    case EISDIR: return "là thư mục";
    case ENAMETOOLONG: return "tên quá dài";
    case ELOOP: return "là liên kết (lối tắt)";
    case ENOMEM: return "không đủ bộ nhớ";
    case EMFILE:
    case ENFILE: return "mở quá nhiều tệp";
    default: return "lỗi hệ thống";
    }
}

const char *usb_disk_reason(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
        return "ổ đĩa của máy đã đầy";
    case EROFS:
        return "ổ đĩa của máy đang ở chế độ chỉ đọc";
    case EIO:
        return "lỗi ghi ổ đĩa của máy";
    case EACCES:
    case EPERM:
        return "không có quyền ghi vào thư mục dữ liệu";
    case ENOMEM:
        return "không đủ bộ nhớ";
    default:
        return "lỗi ghi ổ đĩa của máy";
    }
}

int usb_pwrite_all(int fd, const unsigned char *p, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {
            errno = ENOSPC;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

usb_copy_status usb_copy_hash(int in, int out, uint64_t size, char hex[BT_SHA256_HEX_SIZE],
                              usb_copy_tick tick, void *tick_ctx, int *err_no)
{
    bt_sha256 h;
    usb_copy_status status = USB_COPY_OK;
    uint64_t done = 0, flushed = 0;
    unsigned char *buf = malloc(USB_COPY_CHUNK);
    *err_no = 0;
    hex[0] = '\0';
    if (!buf) {
        *err_no = ENOMEM;
        return USB_COPY_WRITE_ERROR;
    }
    posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
    bt_sha256_init(&h);
    for (;;) {
        /* Ask for one byte more than remains at the end, to see a file that grew. */
        size_t want = size - done >= USB_COPY_CHUNK ? USB_COPY_CHUNK : (size_t)(size - done) + 1;
        ssize_t n = read(in, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err_no = errno;
            status = USB_COPY_READ_ERROR;
            break;
        }
        if (n == 0) {
            if (done < size)
                status = USB_COPY_SHORT;
            break;
        }
        if ((uint64_t)n > size - done) {
            status = USB_COPY_LONG;
            break;
        }
        bt_sha256_update(&h, buf, (size_t)n);
        if (out >= 0 && usb_pwrite_all(out, buf, (size_t)n, done) != 0) {
            *err_no = errno;
            status = USB_COPY_WRITE_ERROR;
            break;
        }
        done += (uint64_t)n;
        if (out >= 0 && done - flushed >= USB_WRITEBACK_BYTES) {
            /* Start writing this stretch to disk now; the fsync at the end then waits for
             * little, and the copy does not fill memory with dirty pages. */
            sync_file_range(out, (off_t)flushed, (off_t)(done - flushed), SYNC_FILE_RANGE_WRITE);
            flushed = done;
        }
        if (tick && tick(tick_ctx, (uint64_t)n) != 0) {
            status = USB_COPY_CANCELLED;
            break;
        }
    }
    if (status == USB_COPY_OK) {
        if (out >= 0 && done > flushed)
            sync_file_range(out, (off_t)flushed, (off_t)(done - flushed), SYNC_FILE_RANGE_WRITE);
        bt_sha256_final_hex(&h, hex);
    }
    free(buf);
    return status;
}

void usb_remove_tree(int parent, const char *name)
{
    if (unlinkat(parent, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
        return;
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return;
    }
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL)
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            usb_remove_tree(dirfd(dir), ent->d_name);
    closedir(dir);
    unlinkat(parent, name, AT_REMOVEDIR);
}
