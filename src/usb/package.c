/* The package format (bt_package.h): MANIFEST parsing and writing in one canonical form, path
 * rules, per-file limits, Ed25519 keys (libsodium) and signatures. */
#include "bangtin/bt_buf.h"
#include "bangtin/bt_package.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "usb_internal.h"

#define HEX64 64

void bt_manifest_init(bt_manifest *m)
{
    memset(m, 0, sizeof(*m));
}

void bt_manifest_free(bt_manifest *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->entries[i].path);
    free(m->entries);
    bt_manifest_init(m);
}

bool bt_package_path_safe(const char *path)
{
    size_t len = strlen(path);
    if (len == 0 || len >= BT_MAX_PATH_BYTES || path[0] == '/' || !bt_text_utf8_valid(path, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < 0x20 || c == 0x7F || c == '\\')
            return false;
    }
    for (const char *p = path;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!slash)
            return true;
        p = slash + 1;
    }
}

bool bt_package_name_ignored(const char *name)
{
    static const char *const junk[] = {".DS_Store", "Thumbs.db", "desktop.ini", ".Spotlight-V100",
                                       ".Trashes", ".fseventsd", ".TemporaryItems"};
    if (strncmp(name, "._", 2) == 0) /* macOS AppleDouble files on FAT sticks */
        return true;
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
        if (strcasecmp(name, junk[i]) == 0)
            return true;
    return false;
}

static bool has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), s = strlen(suffix);
    return n >= s && strcasecmp(path + n - s, suffix) == 0;
}

static bool is_image_path(const char *p)
{
    return has_suffix(p, ".png") || has_suffix(p, ".jpg") || has_suffix(p, ".jpeg");
}

static bool is_audio_path(const char *p)
{
    return has_suffix(p, ".ogg") || has_suffix(p, ".oga") || has_suffix(p, ".mp3") ||
           has_suffix(p, ".wav") || has_suffix(p, ".flac") || has_suffix(p, ".opus");
}

static bool is_video_path(const char *p)
{
    return has_suffix(p, ".mp4") || has_suffix(p, ".m4v") || has_suffix(p, ".mov") ||
           has_suffix(p, ".webm") || has_suffix(p, ".mkv");
}

uint64_t bt_package_file_limit(const char *path)
{
    if (strcmp(path, BT_PLAYLIST_FILE) == 0)
        return BT_MAX_CONFIG_FILE_BYTES;
    if (is_image_path(path))
        return BT_MAX_IMAGE_FILE_BYTES;
    if (is_audio_path(path))
        return BT_MAX_AUDIO_FILE_BYTES;
    if (is_video_path(path))
        return BT_MAX_VIDEO_FILE_BYTES;
    return BT_MAX_PACKAGE_FILE_BYTES;
}

const bt_manifest_entry *bt_manifest_find(const bt_manifest *m, const char *path)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->entries[mid].path, path);
        if (c == 0)
            return &m->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static size_t path_depth(const char *path)
{
    size_t d = 0;
    for (const char *p = path; *p; p++)
        d += *p == '/';
    return d;
}

void usb_manifest_check_limits(const bt_manifest *m, bt_diags *d)
{
    char shown[BT_MAX_PATH_BYTES];
    if (m->count > BT_MAX_PACKAGE_FILES)
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0,
                     "gói có %zu tệp, quá giới hạn %d tệp — bỏ bớt tệp không dùng", m->count,
                     BT_MAX_PACKAGE_FILES);
    if (m->total_bytes > (uint64_t)BT_MAX_PACKAGE_BYTES)
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0,
                     "gói nặng %" PRIu64 " MB, quá giới hạn %lld MB — bỏ bớt hoặc nén nhỏ ảnh, "
                     "âm thanh",
                     m->total_bytes / 1000000, BT_MAX_PACKAGE_BYTES / 1000000);
    for (size_t i = 0; i < m->count; i++) {
        const bt_manifest_entry *e = &m->entries[i];
        uint64_t limit = bt_package_file_limit(e->path);
        if (e->size > limit)
            bt_diags_add(d, BT_DIAG_ERROR, usb_printable(e->path, shown, sizeof(shown)), 0,
                         "tệp nặng %" PRIu64 " byte, quá giới hạn %" PRIu64 " byte (%" PRIu64
                         " MB) cho loại tệp này — thu nhỏ hoặc nén lại tệp",
                         e->size, limit, limit / (1024 * 1024));
        if (path_depth(e->path) > BT_MAX_PACKAGE_DEPTH)
            bt_diags_add(d, BT_DIAG_ERROR, usb_printable(e->path, shown, sizeof(shown)), 0,
                         "tệp nằm sâu quá %d lớp thư mục — đặt nó gần thư mục gốc hơn",
                         BT_MAX_PACKAGE_DEPTH);
    }
}

/* ---- MANIFEST ------------------------------------------------------------------------------ */

static bool lower_hex64(const char *s)
{
    for (int i = 0; i < HEX64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Canonical decimal: digits only, no leading zero (except "0"), fits uint64_t. */
static bool parse_size(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned digit = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *out = v;
    return true;
}

static int add_entry(bt_manifest *m, size_t *cap, const char *path, size_t path_len,
                     uint64_t size, const char *hex, int line)
{
    bt_manifest_entry *room = bt_grow(m->entries, cap, m->count + 1, sizeof *room);
    if (!room)
        return -1;
    m->entries = room;
    bt_manifest_entry *e = &m->entries[m->count];
    e->path = strndup(path, path_len);
    if (!e->path)
        return -1;
    e->size = size;
    memcpy(e->sha256, hex, HEX64);
    e->sha256[HEX64] = '\0';
    e->line = line;
    m->count++;
    m->total_bytes += size;
    return 0;
}

/* Checks one line "<hex> <size> <path>" and appends it. 0, or -1 after a diagnostic. */
static int parse_line(const char *s, size_t n, int line, bt_manifest *m, size_t *cap,
                      bt_diags *d)
{
    const char *M = BT_PACKAGE_MANIFEST;
    uint64_t size;
    char shown[BT_MAX_PATH_BYTES];
    if (n < HEX64 + 4 || s[HEX64] != ' ' || !lower_hex64(s)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "dòng không đúng dạng \"<mã SHA-256> <số byte> "
                     "<đường dẫn>\" — đừng sửa MANIFEST bằng tay; đóng gói lại bằng bangtin pack");
        return -1;
    }
    const char *size_start = s + HEX64 + 1;
    const char *space = memchr(size_start, ' ', n - (HEX64 + 1));
    if (!space || !parse_size(size_start, (size_t)(space - size_start), &size)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "số byte không hợp lệ — đóng gói lại bằng "
                     "bangtin pack");
        return -1;
    }
    const char *path = space + 1;
    size_t path_len = n - (size_t)(path - s);
    char buf[BT_MAX_PATH_BYTES];
    if (path_len == 0 || path_len >= sizeof(buf)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "đường dẫn trống hoặc dài quá %d byte",
                     BT_MAX_PATH_BYTES - 1);
        return -1;
    }
    memcpy(buf, path, path_len);
    buf[path_len] = '\0';
    if (strlen(buf) != path_len || !bt_package_path_safe(buf)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line,
                     "đường dẫn \"%s\" không an toàn (tuyệt đối, có \"..\", \".\", ký tự điều "
                     "khiển hoặc dấu \\) — gói bị làm giả hoặc hỏng; không nạp",
                     usb_printable(buf, shown, sizeof(shown)));
        return -1;
    }
    if (strcmp(buf, BT_PACKAGE_MANIFEST) == 0 || strcmp(buf, BT_PACKAGE_SIGNATURE) == 0) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "MANIFEST không được liệt kê chính nó hay tệp "
                     "chữ ký");
        return -1;
    }
    if (m->count > 0 && strcmp(m->entries[m->count - 1].path, buf) >= 0) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "\"%s\" trùng hoặc sai thứ tự (MANIFEST phải "
                     "xếp theo đường dẫn, mỗi tệp một lần) — đóng gói lại bằng bangtin pack",
                     usb_printable(buf, shown, sizeof(shown)));
        return -1;
    }
    if (add_entry(m, cap, buf, path_len, size, s, line) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, M, line, "không đủ bộ nhớ để đọc MANIFEST");
        return -1;
    }
    return 0;
}

/* "images" listed as a file while "images/a.png" is listed too cannot both exist. */
static void check_prefix_conflicts(const bt_manifest *m, bt_diags *d)
{
    char prefix[BT_MAX_PATH_BYTES], shown[BT_MAX_PATH_BYTES];
    for (size_t i = 0; i < m->count; i++) {
        const char *p = m->entries[i].path;
        for (const char *slash = strchr(p, '/'); slash; slash = strchr(slash + 1, '/')) {
            size_t n = (size_t)(slash - p);
            memcpy(prefix, p, n);
            prefix[n] = '\0';
            if (bt_manifest_find(m, prefix)) {
                bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, m->entries[i].line,
                             "\"%s\" vừa là tệp vừa là thư mục — gói hỏng; đóng gói lại",
                             usb_printable(prefix, shown, sizeof(shown)));
                break;
            }
        }
    }
}

int bt_manifest_parse(const char *text, size_t len, bt_manifest *out, bt_diags *d)
{
    const char *M = BT_PACKAGE_MANIFEST;
    size_t errors_before = d->errors, cap = 0;
    bt_manifest_init(out);
    if (len > BT_MAX_MANIFEST_BYTES) {
        bt_diags_add(d, BT_DIAG_ERROR, M, 0, "MANIFEST quá lớn (%zu byte)", len);
        return -1;
    }
    if (memchr(text, '\r', len)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, 0,
                     "MANIFEST đã bị sửa (có xuống dòng kiểu Windows) — đừng mở và lưu MANIFEST "
                     "bằng Notepad; đóng gói lại bằng bangtin pack");
        return -1;
    }
    if (!bt_text_utf8_valid(text, len)) {
        bt_diags_add(d, BT_DIAG_ERROR, M, 0, "MANIFEST không phải văn bản UTF-8 hợp lệ — gói "
                     "hỏng; đóng gói lại bằng bangtin pack");
        return -1;
    }
    size_t header_len = strlen(BT_PACKAGE_MANIFEST_HEADER);
    if (len < header_len + 1 || memcmp(text, BT_PACKAGE_MANIFEST_HEADER, header_len) != 0 ||
        text[header_len] != '\n') {
        bt_diags_add(d, BT_DIAG_ERROR, M, 1, "dòng đầu phải là \"%s\" — đây không phải MANIFEST "
                     "do bangtin pack tạo", BT_PACKAGE_MANIFEST_HEADER);
        return -1;
    }
    if (text[len - 1] != '\n') {
        bt_diags_add(d, BT_DIAG_ERROR, M, 0, "MANIFEST bị cắt cụt (dòng cuối không kết thúc) — "
                     "chép lại gói lên USB");
        return -1;
    }
    int line = 1;
    for (size_t pos = header_len + 1; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = (size_t)(nl - (text + pos));
        line++;
        if (out->count >= BT_MAX_PACKAGE_FILES) {
            bt_diags_add(d, BT_DIAG_ERROR, M, line, "gói có hơn %d tệp — bỏ bớt tệp không dùng",
                         BT_MAX_PACKAGE_FILES);
            break;
        }
        parse_line(text + pos, n, line, out, &cap, d);
        pos += n + 1;
    }
    check_prefix_conflicts(out, d);
    if (d->errors > errors_before) {
        bt_manifest_free(out);
        return -1;
    }
    return 0;
}

char *bt_manifest_format(const bt_manifest *m, size_t *len)
{
    size_t size = strlen(BT_PACKAGE_MANIFEST_HEADER) + 2;
    for (size_t i = 0; i < m->count; i++)
        size += HEX64 + 1 + 20 + 1 + strlen(m->entries[i].path) + 1;
    char *text = malloc(size);
    if (!text)
        return NULL;
    size_t used = (size_t)snprintf(text, size, "%s\n", BT_PACKAGE_MANIFEST_HEADER);
    for (size_t i = 0; i < m->count; i++)
        used += (size_t)snprintf(text + used, size - used, "%s %" PRIu64 " %s\n",
                                 m->entries[i].sha256, m->entries[i].size, m->entries[i].path);
    *len = used;
    return text;
}

/* ---- the signing time ----------------------------------------------------------------------- */

char *bt_package_signed_at_format(bt_wall t, size_t *len)
{
    char date[32], hhmm[16];
    bt_buf b = {0};
    bt_buf_printf(&b, "%s\n%lld\n", BT_PACKAGE_SIGNED_AT_HEADER, (long long)t);
    bt_buf_printf(&b, "Gói được ký lúc %s ngày %s (giờ Việt Nam, theo đồng hồ của máy tính đóng "
                      "gói). Tệp này nằm trong chữ ký của gói: đừng sửa.\n",
                  bt_time_format_hhmm(t, hhmm, sizeof hhmm),
                  bt_time_format_ddmmyyyy(bt_time_day_of(t), date, sizeof date));
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

int bt_package_signed_at_parse(const char *text, size_t len, bt_wall *out)
{
    size_t header_len = strlen(BT_PACKAGE_SIGNED_AT_HEADER);
    *out = 0;
    if (len > BT_PACKAGE_SIGNED_AT_MAX_BYTES || len < header_len + 3 ||
        memcmp(text, BT_PACKAGE_SIGNED_AT_HEADER, header_len) != 0 || text[header_len] != '\n')
        return -1;
    const char *digits = text + header_len + 1;
    const char *nl = memchr(digits, '\n', len - header_len - 1);
    uint64_t t;
    /* pack writes the canonical decimal; the third line is for people. */
    if (!nl || !parse_size(digits, (size_t)(nl - digits), &t) || t > (uint64_t)INT64_MAX)
        return -1;
    *out = (bt_wall)t;
    return 0;
}

/* ---- keys ---------------------------------------------------------------------------------- */

static void key_id_of(const unsigned char pk[32], char id[BT_PACKAGE_KEY_ID_SIZE])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, pk, 32);
    sodium_bin2hex(id, BT_PACKAGE_KEY_ID_SIZE, digest, 8);
}

/* Finds the single "prefix<hex>" line of a key file (comments, blank lines, a BOM and CRLF
 * allowed) and decodes bytes of it. 0 or -1 with err. */
static int read_key_line(const char *path, const char *prefix, unsigned char *out, size_t bytes,
                         char *err, size_t err_size)
{
    char *text = NULL;
    size_t len = 0;
    int found = 0;
    if (usb_read_small(AT_FDCWD, path, BT_MAX_KEY_FILE_BYTES, true, &text, &len) != 0) {
        snprintf(err, err_size, "không đọc được tệp khoá \"%s\": %s", path,
                 errno == ENOENT ? "không có tệp này" : usb_stick_reason(errno));
        return -1;
    }
    size_t prefix_len = strlen(prefix);
    char *p = text + bt_text_bom_length(text, len);
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (strncmp(p, prefix, prefix_len) == 0) {
            size_t bin_len = 0;
            if (found || n - prefix_len != bytes * 2 ||
                sodium_hex2bin(out, bytes, p + prefix_len, n - prefix_len, NULL, &bin_len,
                               NULL) != 0 || bin_len != bytes) {
                found = -1;
                break;
            }
            found = 1;
        } else if (n > 0 && p[0] != '#') {
            found = -1;
            break;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    sodium_memzero(text, len);
    free(text);
    if (found != 1) {
        snprintf(err, err_size, "tệp \"%s\" không phải tệp khoá %s của bangtin (cần đúng một dòng "
                 "\"%s…\")", path, strstr(prefix, "public") ? "công khai" : "bí mật", prefix);
        return -1;
    }
    return 0;
}

int bt_package_read_public_key(const char *path, bt_package_public_key *out, char *err,
                               size_t err_size)
{
    memset(out, 0, sizeof(*out));
    if (sodium_init() < 0) {
        snprintf(err, err_size, "không khởi động được libsodium");
        return -1;
    }
    if (read_key_line(path, BT_PACKAGE_PUBLIC_PREFIX, out->key, sizeof(out->key), err,
                      err_size) != 0)
        return -1;
    key_id_of(out->key, out->id);
    snprintf(out->path, sizeof(out->path), "%s", path);
    return 0;
}

int bt_package_read_secret_key(const char *path, unsigned char secret[64],
                               char key_id[BT_PACKAGE_KEY_ID_SIZE], char *err, size_t err_size)
{
    if (sodium_init() < 0) {
        snprintf(err, err_size, "không khởi động được libsodium");
        return -1;
    }
    if (read_key_line(path, BT_PACKAGE_SECRET_PREFIX, secret, 64, err, err_size) != 0)
        return -1;
    /* libsodium's secret key is seed ‖ public key: check they belong together. */
    unsigned char pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, secret);
    bool match = sodium_memcmp(pk, secret + 32, 32) == 0;
    sodium_memzero(sk, sizeof(sk));
    if (!match) {
        sodium_memzero(secret, 64);
        snprintf(err, err_size, "tệp khoá bí mật \"%s\" bị hỏng (hai nửa khoá không khớp)", path);
        return -1;
    }
    if (key_id)
        key_id_of(secret + 32, key_id);
    return 0;
}

/* Creates path exclusively with mode and writes text, fsync'd. */
static int write_new_file(const char *path, mode_t mode, const char *text, char *err,
                          size_t err_size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        snprintf(err, err_size, errno == EEXIST
                                    ? "tệp \"%s\" đã có — không ghi đè khoá cũ; chọn tên khác"
                                    : "không tạo được tệp \"%s\": %s",
                 path, usb_errno_text(errno));
        return -1;
    }
    size_t len = strlen(text);
    bool ok = fchmod(fd, mode) == 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!ok) {
        unlink(path);
        snprintf(err, err_size, "không ghi được tệp \"%s\": %s", path, usb_errno_text(saved));
        return -1;
    }
    return 0;
}

int bt_package_keygen(const char *name, char key_id[BT_PACKAGE_KEY_ID_SIZE], char *err,
                      size_t err_size)
{
    char key_path[BT_MAX_PATH_BYTES], pub_path[BT_MAX_PATH_BYTES], id[BT_PACKAGE_KEY_ID_SIZE];
    unsigned char pk[32], sk[64];
    char secret_hex[129], public_hex[65];
    char text[512];
    int rc = -1;
    if (sodium_init() < 0) {
        snprintf(err, err_size, "không khởi động được libsodium");
        return -1;
    }
    if (!name || !name[0] || snprintf(key_path, sizeof(key_path), "%s.key", name) >=
                                 (int)sizeof(key_path) ||
        snprintf(pub_path, sizeof(pub_path), "%s.pub", name) >= (int)sizeof(pub_path)) {
        snprintf(err, err_size, "tên khoá trống hoặc quá dài");
        return -1;
    }
    crypto_sign_keypair(pk, sk);
    key_id_of(pk, id);
    sodium_bin2hex(secret_hex, sizeof(secret_hex), sk, sizeof(sk));
    sodium_bin2hex(public_hex, sizeof(public_hex), pk, sizeof(pk));
    snprintf(text, sizeof(text),
             "# Khoá BÍ MẬT ký gói playlist bangtin (Ed25519), mã khoá %s.\n"
             "# Giữ kín trên máy của phường; KHÔNG chép lên USB, không gửi qua mạng.\n%s%s\n",
             id, BT_PACKAGE_SECRET_PREFIX, secret_hex);
    if (write_new_file(key_path, 0600, text, err, err_size) != 0)
        goto done;
    snprintf(text, sizeof(text),
             "# Khoá công khai bangtin (Ed25519), mã khoá %s.\n"
             "# Chép tệp này vào máy bảng tin và thêm đường dẫn vào trusted_keys trong "
             "bangtin.cfg.\n%s%s\n",
             id, BT_PACKAGE_PUBLIC_PREFIX, public_hex);
    if (write_new_file(pub_path, 0644, text, err, err_size) != 0) {
        unlink(key_path);
        goto done;
    }
    if (key_id)
        memcpy(key_id, id, sizeof(id));
    rc = 0;
done:
    sodium_memzero(sk, sizeof(sk));
    sodium_memzero(secret_hex, sizeof(secret_hex));
    sodium_memzero(text, sizeof(text));
    return rc;
}

/* ---- signatures ---------------------------------------------------------------------------- */

char *bt_package_sign(const char *manifest, size_t len, const unsigned char secret[64])
{
    unsigned char sig[crypto_sign_BYTES];
    char sig_hex[2 * crypto_sign_BYTES + 1], id[BT_PACKAGE_KEY_ID_SIZE];
    if (sodium_init() < 0)
        return NULL;
    crypto_sign_detached(sig, NULL, (const unsigned char *)manifest, len, secret);
    sodium_bin2hex(sig_hex, sizeof(sig_hex), sig, sizeof(sig));
    key_id_of(secret + 32, id);
    size_t size = 256 + sizeof(sig_hex);
    char *text = malloc(size);
    if (text)
        snprintf(text, size, "%s\nkey %s\ned25519 %s\n", BT_PACKAGE_SIGNATURE_HEADER, id,
                 sig_hex);
    return text;
}

/* Parses MANIFEST.sig: its key id and signature. CRLF and trailing blanks tolerated. */
static int parse_signature(const char *text, size_t len, char id[BT_PACKAGE_KEY_ID_SIZE],
                           unsigned char sig[crypto_sign_BYTES])
{
    char lines[3][160];
    size_t line = 0, pos = bt_text_bom_length(text, len);
    while (pos < len && line < 3) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        size_t keep = n;
        while (keep > 0 && (text[pos + keep - 1] == '\r' || text[pos + keep - 1] == ' '))
            keep--;
        if (keep >= sizeof(lines[0]))
            return -1;
        memcpy(lines[line], text + pos, keep);
        lines[line][keep] = '\0';
        line++;
        pos += n + 1;
    }
    for (; pos < len; pos++)
        if (text[pos] != '\n' && text[pos] != '\r' && text[pos] != ' ')
            return -1;
    if (line != 3 || strcmp(lines[0], BT_PACKAGE_SIGNATURE_HEADER) != 0 ||
        strncmp(lines[1], "key ", 4) != 0 || strlen(lines[1] + 4) != 16 ||
        strncmp(lines[2], "ed25519 ", 8) != 0)
        return -1;
    size_t bin_len = 0;
    if (sodium_hex2bin(sig, crypto_sign_BYTES, lines[2] + 8, strlen(lines[2] + 8), NULL,
                       &bin_len, NULL) != 0 || bin_len != crypto_sign_BYTES ||
        strlen(lines[2] + 8) != 2 * crypto_sign_BYTES)
        return -1;
    memcpy(id, lines[1] + 4, 16);
    id[16] = '\0';
    return 0;
}

bt_signature_status bt_package_verify(const char *manifest, size_t manifest_len, const char *sig,
                                      size_t sig_len, const bt_config_paths *trusted,
                                      char signer[BT_PACKAGE_KEY_ID_SIZE], bt_diags *d)
{
    unsigned char raw[crypto_sign_BYTES];
    char named[BT_PACKAGE_KEY_ID_SIZE];
    signer[0] = '\0';
    if (sodium_init() < 0) {
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_SIGNATURE, 0, "không khởi động được libsodium");
        return BT_SIGNATURE_MALFORMED;
    }
    if (!sig)
        return BT_SIGNATURE_MISSING;
    if (sig_len > BT_MAX_KEY_FILE_BYTES || parse_signature(sig, sig_len, named, raw) != 0)
        return BT_SIGNATURE_MALFORMED;
    memcpy(signer, named, sizeof(named));
    bool named_is_trusted = false;
    for (size_t i = 0; trusted && i < trusted->count; i++) {
        bt_package_public_key key;
        char err[BT_MAX_PATH_BYTES + 200];
        if (bt_package_read_public_key(trusted->paths[i], &key, err, sizeof(err)) != 0) {
            bt_diags_add(d, BT_DIAG_WARNING, "bangtin.cfg", 0, "trusted_keys: %s", err);
            continue;
        }
        if (crypto_sign_verify_detached(raw, (const unsigned char *)manifest, manifest_len,
                                        key.key) == 0) {
            memcpy(signer, key.id, sizeof(key.id));
            return BT_SIGNATURE_VALID;
        }
        if (strcmp(key.id, named) == 0)
            named_is_trusted = true;
    }
    return named_is_trusted ? BT_SIGNATURE_BAD : BT_SIGNATURE_UNTRUSTED;
}
