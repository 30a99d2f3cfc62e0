/* Structural check of image files before anything decodes them. SDL_image 2.6.3's PNG reader
 * ignores short reads (its libpng read callback does not report EOF), so a PNG cut off in the
 * middle of an ancillary chunk makes libpng parse the stale buffer again and again: the decode
 * never returns. A stick holding such a file would hang the import. Walking the chunks first
 * (every chunk inside the file, IEND present) guarantees libpng reaches IEND before the end of
 * the data. A JPEG must end with its EOI marker (libjpeg would show a cut one half grey). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"
#include "usb_internal.h"

/* Room for the tail of a JPEG searched for its EOI marker. */
#define CHECK_BUFFER (64 * 1024)
/* Trailing bytes a camera or editor may leave after a JPEG's EOI marker. */
#define JPEG_TAIL_SCAN 4096

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Reads exactly n bytes; 0, or -1 at EOF or on error. */
static int read_exact(int fd, unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t got = read(fd, buf, n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        buf += got;
        n -= (size_t)got;
    }
    return 0;
}

/* Walks the chunk headers (seeking over their data): every chunk must lie inside the file and
 * IEND must come before its end. CRCs are libpng's business: a bad one is an error or a
 * skipped chunk there, never a read past the end. */
static int check_png(int fd, unsigned char *buf, char *why, size_t why_size)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, why_size, "không đọc lại được tệp ảnh");
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size, pos = 8;
    bool first = true;
    for (;;) {
        unsigned char head[8];
        if (pos + 12 > size || pread(fd, head, sizeof(head), (off_t)pos) != (ssize_t)sizeof(head)) {
            snprintf(why, why_size, "tệp PNG bị cụt (thiếu phần cuối IEND) — chép lại tệp ảnh "
                     "gốc");
            return -1;
        }
        uint32_t len = be32(head);
        const unsigned char *type = head + 4;
        bool letters = true;
        for (int i = 0; i < 4; i++)
            letters = letters && ((type[i] >= 'A' && type[i] <= 'Z') ||
                                  (type[i] >= 'a' && type[i] <= 'z'));
        if (len > 0x7FFFFFFFu || !letters || (first && memcmp(type, "IHDR", 4) != 0)) {
            snprintf(why, why_size, "tệp PNG hỏng (khối dữ liệu không hợp lệ) — xuất lại ảnh");
            return -1;
        }
        if (first && len >= 8 && pread(fd, buf, 8, (off_t)(pos + 8)) == 8 &&
            (be32(buf) > BT_MAX_IMAGE_SIDE || be32(buf + 4) > BT_MAX_IMAGE_SIDE))
            return 0; /* declared too large: the validator refuses it from the header alone */
        first = false;
        if (pos + 12 + len > size) {
            snprintf(why, why_size, "tệp PNG bị cụt giữa chừng — chép lại tệp ảnh gốc");
            return -1;
        }
        if (memcmp(type, "IEND", 4) == 0)
            return 0;
        pos += 12 + (uint64_t)len;
    }
}

static int check_jpeg(int fd, unsigned char *buf, char *why, size_t why_size)
{
    off_t end = lseek(fd, 0, SEEK_END);
    off_t from = end > JPEG_TAIL_SCAN ? end - JPEG_TAIL_SCAN : 0;
    size_t n = (size_t)(end - from);
    if (end < 4 || lseek(fd, from, SEEK_SET) != from || read_exact(fd, buf, n) != 0) {
        snprintf(why, why_size, "tệp JPEG bị cụt — chép lại tệp ảnh gốc");
        return -1;
    }
    for (size_t i = n - 1; i > 0; i--)
        if (buf[i - 1] == 0xFF && buf[i] == 0xD9)
            return 0;
    snprintf(why, why_size, "tệp JPEG bị cụt (thiếu dấu kết thúc ảnh) — chép lại tệp ảnh gốc");
    return -1;
}

int usb_image_check(int dirfd, const char *rel, char *why, size_t why_size)
{
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char sig[8];
    int fd = usb_open_beneath(dirfd, rel);
    if (fd < 0)
        return 0; /* not an image we can open: the validator reports a missing file */
    ssize_t got = read(fd, sig, sizeof(sig));
    bool png = got == 8 && memcmp(sig, png_signature, 8) == 0;
    bool jpeg = got >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF;
    int rc = 0;
    if (png || jpeg) {
        unsigned char *buf = malloc(CHECK_BUFFER);
        if (!buf) {
            snprintf(why, why_size, "không đủ bộ nhớ để kiểm tra ảnh");
            rc = -1;
        } else {
            rc = png ? check_png(fd, buf, why, why_size) : check_jpeg(fd, buf, why, why_size);
        }
        free(buf);
    }
    close(fd);
    return rc;
}
