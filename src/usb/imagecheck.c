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

/* The bytes being checked: an open regular file, read at offsets, or a buffer in memory
 * (usb_image_check_buffer). Both go through the same walk below. */
typedef struct {
    int fd;                    /* the file, or -1: the bytes are data[0..len) */
    const unsigned char *data;
    size_t len;
} image_bytes;

/* The size of the file or buffer; 0, or -1 if the file cannot be stat'ed. */
static int bytes_size(const image_bytes *b, uint64_t *size)
{
    if (b->fd < 0) {
        *size = b->len;
        return 0;
    }
    struct stat st;
    if (fstat(b->fd, &st) != 0)
        return -1;
    *size = (uint64_t)st.st_size;
    return 0;
}

/* Reads up to n bytes at offset off into buf; how many it got (fewer only at the end, or on a
 * read error). */
static size_t read_at(const image_bytes *b, unsigned char *buf, size_t n, uint64_t off)
{
    if (b->fd < 0) {
        if (off >= b->len)
            return 0;
        size_t have = b->len - (size_t)off;
        n = n < have ? n : have;
        memcpy(buf, b->data + off, n);
        return n;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t got = pread(b->fd, buf + done, n - done, (off_t)(off + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    return done;
}

/* Walks the chunk headers (skipping over their data): every chunk must lie inside the file and
 * IEND must come before its end. CRCs are libpng's business: a bad one is an error or a
 * skipped chunk there, never a read past the end. */
static int check_png(const image_bytes *b, unsigned char *buf, char *why, size_t why_size)
{
    uint64_t size, pos = 8;
    if (bytes_size(b, &size) != 0) {
        snprintf(why, why_size, "không đọc lại được tệp ảnh");
        return -1;
    }
    bool first = true;
    for (;;) {
        unsigned char head[8];
        if (pos + 12 > size || read_at(b, head, sizeof(head), pos) != sizeof(head)) {
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
        if (first && len >= 8 && read_at(b, buf, 8, pos + 8) == 8 &&
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

static int check_jpeg(const image_bytes *b, unsigned char *buf, char *why, size_t why_size)
{
    uint64_t end;
    if (bytes_size(b, &end) != 0)
        end = 0; /* reported as cut below */
    uint64_t from = end > JPEG_TAIL_SCAN ? end - JPEG_TAIL_SCAN : 0;
    size_t n = (size_t)(end - from);
    if (end < 4 || read_at(b, buf, n, from) != n) {
        snprintf(why, why_size, "tệp JPEG bị cụt — chép lại tệp ảnh gốc");
        return -1;
    }
    for (size_t i = n - 1; i > 0; i--)
        if (buf[i - 1] == 0xFF && buf[i] == 0xD9)
            return 0;
    snprintf(why, why_size, "tệp JPEG bị cụt (thiếu dấu kết thúc ảnh) — chép lại tệp ảnh gốc");
    return -1;
}

/* What usb_image_check and usb_image_check_buffer share: the header says PNG, JPEG or neither,
 * then the walk for that format. */
static int check_image(const image_bytes *b, char *why, size_t why_size)
{
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char sig[8];
    size_t got = read_at(b, sig, sizeof(sig), 0);
    bool png = got == 8 && memcmp(sig, png_signature, 8) == 0;
    bool jpeg = got >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF;
    if (!png && !jpeg)
        return 0; /* not an image this checks: the validator decides */
    unsigned char *buf = malloc(CHECK_BUFFER);
    int rc;
    if (!buf) {
        snprintf(why, why_size, "không đủ bộ nhớ để kiểm tra ảnh");
        rc = -1;
    } else {
        rc = png ? check_png(b, buf, why, why_size) : check_jpeg(b, buf, why, why_size);
    }
    free(buf);
    return rc;
}

int usb_image_check(int dirfd, const char *rel, char *why, size_t why_size)
{
    int fd = usb_open_beneath(dirfd, rel);
    if (fd < 0)
        return 0; /* not an image we can open: the validator reports a missing file */
    image_bytes b = {fd, NULL, 0};
    int rc = check_image(&b, why, why_size);
    close(fd);
    return rc;
}

int usb_image_check_buffer(const unsigned char *data, size_t len, char *why, size_t why_size)
{
    image_bytes b = {-1, data, len};
    return check_image(&b, why, why_size);
}
