/* Loads a playlist directory from disk: reads DIR/playlist.cfg into a tree and hands it to the
 * core validator together with an asset probe that checks each image.
 *
 * The directory comes from a USB stick prepared by someone else, so the probe trusts nothing:
 * it refuses absolute paths, "..", symbolic links anywhere along the path and anything that is
 * not a regular file; it reads the image's declared size from the PNG IHDR or JPEG SOF header
 * and refuses a huge one BEFORE decoding (a 100000×100000 PNG of a few KB would otherwise ask
 * for 40 GB); and it decodes exactly the bytes it checked (read once, decoded from memory). */
#include "bangtin/bt_playlist_load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_tree.h"
#include "bangtin/bt_vi.h"

#include "image_decode.h"
#include "video_probe.h"

typedef struct {
    const char *dir;
    bool decode; /* false: header and structure only (see bt_playlist_load_for_display) */
} probe_ctx;

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return ((unsigned)p[0] << 8) | p[1];
}

/* PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height). 0 or -1. */
static int png_size(const unsigned char *data, size_t len, uint32_t *width, uint32_t *height)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len < 24 || memcmp(data, signature, sizeof signature) != 0 ||
        memcmp(data + 12, "IHDR", 4) != 0)
        return -1;
    *width = be32(data + 16);
    *height = be32(data + 20);
    return 0;
}

/* JPEG: walks the marker segments after SOI up to the first SOFn (frame header), which holds
 * height then width. 0 or -1 (no frame header in the data: not a usable JPEG). */
static int jpeg_size(const unsigned char *data, size_t len, uint32_t *width, uint32_t *height)
{
    size_t i = 2;
    if (len < 4 || data[0] != 0xFF || data[1] != 0xD8)
        return -1;
    while (i + 4 <= len) {
        if (data[i] != 0xFF)
            return -1;
        unsigned char marker = data[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { /* no length */
            i += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) /* end of image or scan before any frame */
            return -1;
        unsigned seglen = be16(data + i + 2);
        if (seglen < 2)
            return -1;
        bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                     marker != 0xCC;
        if (frame) {
            if (seglen < 7 || i + 2 + 7 > len)
                return -1;
            *height = be16(data + i + 5);
            *width = be16(data + i + 7);
            return 0;
        }
        i += 2 + seglen;
    }
    return -1;
}

/* Is rel a plain relative path with no "..", no backslash and no empty name? */
static bool relative_path_safe(const char *rel)
{
    if (rel[0] == '\0' || rel[0] == '/' || strchr(rel, '\\'))
        return false;
    for (const char *p = rel; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += len;
        if (*p == '/')
            p++;
    }
    return true;
}

/* lstat every component under dir so a symlink anywhere (images/ → /etc) is refused; the last
 * component must be a regular file. */
static bt_asset_status check_components(const char *dir, const char *rel, char *path,
                                        size_t size)
{
    int n = snprintf(path, size, "%s", dir);
    if (n < 0 || (size_t)n >= size)
        return BT_ASSET_UNSAFE_PATH;
    for (const char *p = rel; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        bool last = p[len] == '\0';
        if (len > 0 && !(len == 1 && p[0] == '.')) {
            size_t used = strlen(path);
            if (used + 1 + len >= size)
                return BT_ASSET_UNSAFE_PATH;
            path[used] = '/';
            memcpy(path + used + 1, p, len);
            path[used + 1 + len] = '\0';
            struct stat st;
            if (lstat(path, &st) != 0)
                return BT_ASSET_MISSING;
            if (S_ISLNK(st.st_mode))
                return BT_ASSET_UNSAFE_PATH;
            if (last ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode))
                return BT_ASSET_MISSING;
        } else if (last) {
            return BT_ASSET_MISSING; /* "images/" names a directory, not a file */
        }
        p += len;
        if (*p == '/')
            p++;
    }
    return BT_ASSET_OK;
}

/* Reads the whole regular file at path (not following a symlink) into *out. */
static bt_asset_status read_image_file(const char *path, unsigned char **out, size_t *out_len)
{
    bt_asset_status status = BT_ASSET_MISSING;
    unsigned char *data = NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    *out = NULL;
    if (fd < 0) {
        status = errno == ELOOP ? BT_ASSET_UNSAFE_PATH : BT_ASSET_MISSING;
        goto done;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto done;
    if (st.st_size > BT_MAX_IMAGE_FILE_BYTES) {
        status = BT_ASSET_TOO_LARGE;
        goto done;
    }
    size_t size = (size_t)st.st_size, len = 0;
    data = malloc(size ? size : 1);
    if (!data) {
        status = BT_ASSET_TOO_LARGE;
        goto done;
    }
    while (len < size) {
        ssize_t got = read(fd, data + len, size - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    *out = data;
    *out_len = len;
    data = NULL;
    status = BT_ASSET_OK;
done:
    free(data);
    if (fd >= 0)
        close(fd);
    return status;
}

static uint32_t read_be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* SDL_image 2.6.3 ignores short reads, so libpng re-reads a stale buffer forever on a PNG cut in
 * the middle of a chunk: the decode never returns (found by the USB tests). Walking the chunks
 * first (each inside the data, IEND present) guarantees libpng reaches IEND. A JPEG must end
 * with its EOI marker (a cut one decodes half grey). */
static bool image_whole(const unsigned char *data, size_t len, bt_image_format format)
{
    if (format == BT_IMAGE_JPEG) {
        /* Editors may leave a few bytes after EOI; look at the tail only: both bytes of the
         * marker within the last 4096, as the import's check (usb/imagecheck.c) does. */
        size_t from = len > 4096 ? len - 4095 : 1;
        for (size_t i = len - 1; i >= from; i--)
            if (data[i - 1] == 0xFF && data[i] == 0xD9)
                return true;
        return false;
    }
    size_t pos = 8; /* past the signature */
    while (pos + 12 <= len) {
        uint32_t chunk = read_be32(data + pos);
        if (chunk > len - pos - 12)
            return false;
        if (memcmp(data + pos + 4, "IEND", 4) == 0)
            return true;
        pos += 12 + (size_t)chunk;
    }
    return false;
}

bt_asset_status bt_image_header_check(const unsigned char *data, size_t len,
                                      bt_image_format *format, uint32_t *width, uint32_t *height)
{
    *format = BT_IMAGE_UNKNOWN;
    *width = 0;
    *height = 0;
    if (len > (size_t)INT32_MAX)
        return BT_ASSET_TOO_LARGE;
    if (png_size(data, len, width, height) == 0)
        *format = BT_IMAGE_PNG;
    else if (jpeg_size(data, len, width, height) == 0)
        *format = BT_IMAGE_JPEG;
    else
        return BT_ASSET_UNDECODABLE;
    if (*width == 0 || *height == 0)
        return BT_ASSET_UNDECODABLE;
    if (*width > BT_MAX_IMAGE_SIDE || *height > BT_MAX_IMAGE_SIDE)
        return BT_ASSET_TOO_LARGE;
    return image_whole(data, len, *format) ? BT_ASSET_OK : BT_ASSET_UNDECODABLE;
}

bt_asset_status bt_image_file_check(const char *path, bt_image_format *format, int *width,
                                    int *height)
{
    unsigned char *data = NULL;
    size_t len = 0;
    uint32_t w = 0, h = 0;
    *format = BT_IMAGE_UNKNOWN;
    *width = 0;
    *height = 0;
    bt_asset_status status = read_image_file(path, &data, &len);
    if (status != BT_ASSET_OK)
        return status;
    status = bt_image_header_check(data, len, format, &w, &h);
    *width = w > INT32_MAX ? INT32_MAX : (int)w;
    *height = h > INT32_MAX ? INT32_MAX : (int)h;
    if (status == BT_ASSET_OK && !io_image_decodes(data, len, *format, width, height))
        status = BT_ASSET_UNDECODABLE;
    free(data);
    return status;
}

static bt_asset_status probe_image(void *ctx, const char *rel, int *width, int *height)
{
    const probe_ctx *probe = ctx;
    char path[BT_MAX_PATH_BYTES * 2];
    unsigned char *data = NULL;
    size_t len = 0;
    uint32_t w = 0, h = 0;
    bt_image_format format;

    *width = 0;
    *height = 0;
    if (!relative_path_safe(rel))
        return BT_ASSET_UNSAFE_PATH;
    bt_asset_status status = check_components(probe->dir, rel, path, sizeof path);
    if (status != BT_ASSET_OK)
        return status;
    status = read_image_file(path, &data, &len);
    if (status != BT_ASSET_OK)
        return status;
    status = bt_image_header_check(data, len, &format, &w, &h);
    if (status == BT_ASSET_TOO_LARGE && format != BT_IMAGE_UNKNOWN) {
        /* a side declared too large: say how large */
        *width = w > INT32_MAX ? INT32_MAX : (int)w;
        *height = h > INT32_MAX ? INT32_MAX : (int)h;
    } else if (status == BT_ASSET_OK && probe->decode) {
        /* The declared size, which the decode replaces by what it found (a build without a
         * decoder keeps it: image_decode_none.c). */
        *width = (int)w;
        *height = (int)h;
        if (!io_image_decodes(data, len, format, width, height)) {
            status = BT_ASSET_UNDECODABLE;
            *width = 0;
            *height = 0;
        }
    }
    free(data);
    return status;
}

/* DIR/ghi-nhan.csv into p's records when the folder has one (bt_records_csv_parse). 0 when there
 * is none or it is good, -1 with every problem in diags. */
static int load_records_csv(const char *dir, bt_playlist *p, bt_diags *diags)
{
    char path[BT_MAX_PATH_BYTES + sizeof "/" BT_RECORDS_CSV_FILE];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/%s", dir, BT_RECORDS_CSV_FILE);
    if (n < 0 || (size_t)n >= sizeof path || lstat(path, &st) != 0)
        return 0; /* no such file: nothing recorded that way */
    if (!S_ISREG(st.st_mode)) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_RECORDS_CSV_FILE, 0,
                     "%s không phải một tệp thường (liên kết, thư mục…) — hãy chép chính tệp "
                     "CSV vào thư mục playlist",
                     BT_RECORDS_CSV_FILE);
        return -1;
    }
    if (st.st_size > BT_MAX_RECORDS_CSV_BYTES) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_RECORDS_CSV_FILE, 0,
                     "tệp quá lớn (%lld byte, tối đa %d) — hãy bỏ các dòng của những năm trước, "
                     "máy đã lưu chúng",
                     (long long)st.st_size, BT_MAX_RECORDS_CSV_BYTES);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    char *text = malloc((size_t)st.st_size + 1);
    ssize_t got = 0, r = 0;
    while (fd >= 0 && text && got < st.st_size &&
           (r = read(fd, text + got, (size_t)(st.st_size - got))) > 0)
        got += r;
    if (fd >= 0)
        close(fd);
    if (fd < 0 || !text || r < 0 || got != st.st_size) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_RECORDS_CSV_FILE, 0,
                     "không đọc được tệp (%s) — hãy chép lại tệp vào USB",
                     text ? bt_vi_errno(errno).text : "không đủ bộ nhớ");
        free(text);
        return -1;
    }
    text[got] = '\0';
    int rc = bt_records_csv_parse(text, (size_t)got, BT_RECORDS_CSV_FILE, &p->targets,
                                  &p->records, diags);
    free(text);
    return rc;
}

/* Issue 15: a video's path is checked as an image's (inside the folder, no link on the way),
 * then its headers read by libavformat; the validator judges what they say. */
static bt_asset_status probe_video(void *ctx, const char *rel, bt_video_facts *facts)
{
    const probe_ctx *probe = ctx;
    char path[BT_MAX_PATH_BYTES * 2];
    memset(facts, 0, sizeof *facts);
    if (!relative_path_safe(rel))
        return BT_ASSET_UNSAFE_PATH;
    bt_asset_status status = check_components(probe->dir, rel, path, sizeof path);
    if (status != BT_ASSET_OK)
        return status;
    return io_video_probe(path, facts);
}

int bt_playlist_load(const char *dir, bt_playlist *out, bt_diags *diags)
{
    bt_playlist_load_options o = {.decode_images = true};
    return bt_playlist_load_ex(dir, &o, out, diags) == BT_LOAD_VALID ? 0 : -1;
}

int bt_playlist_load_for_display(const char *dir, bt_playlist *out, bt_diags *diags)
{
    bt_playlist_load_options o = {.decode_images = false};
    return bt_playlist_load_ex(dir, &o, out, diags) == BT_LOAD_VALID ? 0 : -1;
}

bt_load_status bt_playlist_load_ex(const char *dir, const bt_playlist_load_options *options,
                                   bt_playlist *out, bt_diags *diags)
{
    char path[BT_MAX_PATH_BYTES + sizeof "/" BT_PLAYLIST_FILE];
    bt_node *root = NULL;
    struct stat st;
    bool decode = options->decode_images;
    probe_ctx ctx = {dir, decode};
    /* Loading to show (no decode) is the kiosk with its active playlist: a lost image costs
     * its notice, not the screen (bt_asset_probe.skip_unavailable). */
    bt_asset_probe probe = {probe_image, &ctx, !decode, options->glyphs,
                            io_video_probes() ? probe_video : NULL};

    bt_playlist_init(out);
    int n = snprintf(path, sizeof path, "%s/%s", dir, BT_PLAYLIST_FILE);
    if (n < 0 || (size_t)n >= sizeof path) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "đường dẫn thư mục playlist quá dài — hãy đặt thư mục gần gốc USB hơn");
        return BT_LOAD_UNREAD;
    }
    if (lstat(path, &st) != 0) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "không tìm thấy tệp %s trong thư mục \"%s\" — mỗi playlist là một thư mục "
                     "chứa tệp %s (và thư mục images/ nếu có ảnh)",
                     BT_PLAYLIST_FILE, dir, BT_PLAYLIST_FILE);
        return BT_LOAD_UNREAD;
    }
    if (S_ISLNK(st.st_mode)) {
        bt_diags_add(diags, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0,
                     "tệp %s là một liên kết (shortcut/symlink) — hãy chép chính tệp vào thư mục "
                     "playlist",
                     BT_PLAYLIST_FILE);
        return BT_LOAD_UNREAD;
    }
    if (bt_cfgfile_read(path, BT_PLAYLIST_FILE, &root, diags) != 0)
        return BT_LOAD_UNREAD;
    int rc = options->keep_partial
                 ? bt_playlist_validate(root, BT_PLAYLIST_FILE, &probe, out, diags)
                 : bt_playlist_from_tree(root, BT_PLAYLIST_FILE, &probe, out, diags);
    bt_node_destroy(root);
    /* ghi-nhan.csv is read with the playlist (its rows count toward the playlist's targets), and
     * a bad row refuses the playlist as a bad line of playlist.cfg does: import all or none. */
    if ((rc == 0 || options->keep_partial) && load_records_csv(dir, out, diags) != 0) {
        if (!options->keep_partial)
            bt_playlist_free(out);
        rc = -1;
    }
    return rc == 0 ? BT_LOAD_VALID : BT_LOAD_INVALID;
}
