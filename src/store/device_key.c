/* The appliance's device key (bt_device_key.h): made once in the data directory, read by
 * everything that signs or names the box. The secret stays in data_dir/device.key; only the
 * public half ever leaves the machine (KEY.pub on a stick, and inside every export). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bangtin/bt_device_key.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_vi.h"

#define SIGNATURE_HEADER "bangtin export signature v1"

void bt_device_key_name(const unsigned char public_key[32], char id[BT_DEVICE_ID_SIZE],
                        char fingerprint[BT_DEVICE_FINGERPRINT_SIZE])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, public_key, 32);
    sodium_bin2hex(id, BT_DEVICE_ID_SIZE, digest, 8);
    snprintf(fingerprint, BT_DEVICE_FINGERPRINT_SIZE, "%.4s %.4s %.4s %.4s", id, id + 4, id + 8,
             id + 12);
}

void bt_device_key_wipe(bt_device_key *k)
{
    sodium_memzero(k->secret_key, sizeof k->secret_key);
}

/* The one "prefix<hex>" line of a key text (a BOM, CRLF, blank and '#' lines allowed) decoded
 * into out. 0, or -1 with the line that is wrong (0: the key line is missing) in *bad_line. */
static int parse_key_text(const char *text, size_t len, const char *prefix, unsigned char *out,
                          size_t bytes, int *bad_line)
{
    size_t pos = bt_text_bom_length(text, len), prefix_len = strlen(prefix);
    int line = 0, found = 0;
    *bad_line = 0;
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + 1;
        line++;
        while (n > 0 && (start[n - 1] == '\r' || start[n - 1] == ' ' || start[n - 1] == '\t'))
            n--;
        if (n == 0 || start[0] == '#')
            continue;
        size_t bin_len = 0;
        if (found || n != prefix_len + 2 * bytes || memcmp(start, prefix, prefix_len) != 0 ||
            sodium_hex2bin(out, bytes, start + prefix_len, 2 * bytes, NULL, &bin_len, NULL) != 0 ||
            bin_len != bytes) {
            *bad_line = line;
            return -1;
        }
        found = 1;
    }
    return found ? 0 : -1;
}

static void key_path(const char *data_dir, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", data_dir, BT_DEVICE_KEY_FILE);
}

/* Reads a small file whole into buf (NUL-terminated); its length, or -1 with errno. */
static ssize_t read_small(int fd, char *buf, size_t size)
{
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        used += (size_t)n;
        if (used == size - 1) {
            errno = EFBIG;
            return -1;
        }
    }
    buf[used] = '\0';
    return (ssize_t)used;
}

int bt_device_key_read(const char *data_dir, bt_device_key *out, char *err, size_t err_size)
{
    char path[BT_MAX_PATH_BYTES + 32], text[BT_DEVICE_KEY_FILE_MAX_BYTES];
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        snprintf(err, err_size, "không khởi động được libsodium");
        return -1;
    }
    key_path(data_dir, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0) {
        snprintf(err, err_size, "không đọc được khoá thiết bị \"%s\": %s", path,
                 bt_vi_errno(errno).text);
        return -1;
    }
    struct stat st;
    /* A secret anyone on the box can read is no longer the box's alone: made private again,
     * and said, since someone changed it. */
    if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
        bt_log_warn("khoá thiết bị \"%s\" đang cho người khác đọc (quyền %03o): đã đặt lại 600",
                    path, (unsigned)(st.st_mode & 0777));
        if (fchmod(fd, 0600) != 0)
            bt_log_warn("không đặt lại được quyền của \"%s\": %s", path, bt_vi_errno(errno).text);
    }
    ssize_t len = read_small(fd, text, sizeof text);
    int saved = errno;
    close(fd);
    if (len < 0) {
        snprintf(err, err_size, "không đọc được khoá thiết bị \"%s\": %s", path,
                 bt_vi_errno(saved).text);
        return -1;
    }
    unsigned char seed_pk[32], sk[64];
    int bad_line = 0;
    int rc = parse_key_text(text, (size_t)len, BT_DEVICE_SECRET_PREFIX, out->secret_key, 64,
                            &bad_line);
    sodium_memzero(text, sizeof text);
    if (rc == 0) {
        /* libsodium's secret key is seed ‖ public key: the halves must belong together. */
        crypto_sign_seed_keypair(seed_pk, sk, out->secret_key);
        rc = sodium_memcmp(seed_pk, out->secret_key + 32, 32) == 0 ? 0 : -1;
        sodium_memzero(sk, sizeof sk);
        bad_line = -1;
    }
    if (rc != 0) {
        bt_device_key_wipe(out);
        if (bad_line > 0)
            snprintf(err, err_size, "khoá thiết bị \"%s\" hỏng ở dòng %d: cần đúng một dòng "
                     "\"%s…\". Khôi phục tệp từ bản sao lưu; nếu không còn, đổi tên tệp hỏng để "
                     "máy tạo khoá mới và đăng ký lại khoá mới với thành phố.",
                     path, bad_line, BT_DEVICE_SECRET_PREFIX);
        else
            snprintf(err, err_size, "khoá thiết bị \"%s\" hỏng (%s). Khôi phục tệp từ bản sao "
                     "lưu; nếu không còn, đổi tên tệp hỏng để máy tạo khoá mới và đăng ký lại "
                     "khoá mới với thành phố.",
                     path, bad_line < 0 ? "hai nửa khoá không khớp" : "không có dòng khoá");
        return -1;
    }
    memcpy(out->public_key, out->secret_key + 32, 32);
    bt_device_key_name(out->public_key, out->id, out->fingerprint);
    return 1;
}

/* Writes text to a new file (O_EXCL, 0600) and fsyncs it. 0 / -1 with errno. */
static int write_private(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    /* The umask may have taken bits off 0600 but never adds any; fchmod makes it exact. */
    int ok = fchmod(fd, 0600) == 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!ok) {
        unlink(path);
        errno = saved;
        return -1;
    }
    return 0;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Makes a new key and links it into data_dir/device.key unless one is there: 1 made, 0 one was
 * already there (not touched), -1 with err. */
static int create_key(const char *data_dir, char *err, size_t err_size)
{
    char path[BT_MAX_PATH_BYTES + 32], tmp[BT_MAX_PATH_BYTES + 64];
    char text[512], hex[129], id[BT_DEVICE_ID_SIZE], fp[BT_DEVICE_FINGERPRINT_SIZE];
    unsigned char pk[32], sk[64];
    key_path(data_dir, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", data_dir, BT_DEVICE_KEY_FILE, (long)getpid());
    crypto_sign_keypair(pk, sk);
    bt_device_key_name(pk, id, fp);
    sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
    snprintf(text, sizeof text,
             "# Khoá thiết bị bangtin (Ed25519), dấu vân tay %s.\n"
             "# BÍ MẬT: chỉ nằm trong máy này; không chép ra USB, không gửi đi. Mất tệp này thì\n"
             "# máy tạo khoá mới và thành phố phải đăng ký lại máy.\n%s%s\n",
             fp, BT_DEVICE_SECRET_PREFIX, hex);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(hex, sizeof hex);
    unlink(tmp); /* debris of a start killed mid-write; the name is this process's */
    int rc = write_private(tmp, text);
    sodium_memzero(text, sizeof text);
    if (rc != 0) {
        snprintf(err, err_size, "không tạo được khoá thiết bị trong \"%s\": %s", data_dir,
                 bt_vi_errno(errno).text);
        return -1;
    }
    rc = link(tmp, path);
    int saved = errno;
    unlink(tmp);
    if (rc != 0 && saved == EEXIST)
        return 0;
    if (rc != 0) {
        snprintf(err, err_size, "không tạo được khoá thiết bị \"%s\": %s", path,
                 bt_vi_errno(saved).text);
        return -1;
    }
    fsync_dir(data_dir);
    return 1;
}

int bt_device_key_ensure(const char *data_dir, bt_device_key *out, bool *created, char *err,
                         size_t err_size)
{
    if (created)
        *created = false;
    int rc = bt_device_key_read(data_dir, out, err, err_size);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    int made = create_key(data_dir, err, err_size);
    if (made < 0)
        return -1;
    if (created)
        *created = made == 1;
    rc = bt_device_key_read(data_dir, out, err, err_size);
    if (rc == 0)
        snprintf(err, err_size, "khoá thiết bị vừa tạo trong \"%s\" đã biến mất", data_dir);
    if (rc == 1 && made == 1)
        bt_log_info("đã tạo khoá thiết bị, dấu vân tay %s", out->fingerprint);
    return rc == 1 ? 0 : -1;
}

char *bt_device_key_public_text(const bt_device_key *k, const char *ward)
{
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, k->public_key, 32);
    size_t size = 512 + (ward ? strlen(ward) : 0);
    char *text = malloc(size);
    if (text)
        snprintf(text, size,
                 "# Khoá công khai của máy bảng tin bangtin%s%s, dấu vân tay %s.\n"
                 "# Thành phố đăng ký máy bằng tệp này: bangtin-fleet enroll --ward \"…\" "
                 "TỆP.pub\n%s%s\n",
                 ward && ward[0] ? " — " : "", ward ? ward : "", k->fingerprint,
                 BT_DEVICE_PUBLIC_PREFIX, hex);
    return text;
}

int bt_device_key_parse_public(const char *text, size_t len, bt_device_key *out, char *err,
                               size_t err_size)
{
    int bad_line = 0;
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0 || len > BT_DEVICE_KEY_FILE_MAX_BYTES ||
        parse_key_text(text, len, BT_DEVICE_PUBLIC_PREFIX, out->public_key, 32, &bad_line) != 0) {
        if (bad_line > 0)
            snprintf(err, err_size, "dòng %d không phải khoá công khai của máy bangtin (cần "
                     "\"%s\" và 64 chữ số hex)", bad_line, BT_DEVICE_PUBLIC_PREFIX);
        else
            snprintf(err, err_size, "không có dòng \"%s…\": đây không phải tệp khoá công khai "
                     "của máy bangtin (lấy tệp .pub mà máy ghi lên USB)", BT_DEVICE_PUBLIC_PREFIX);
        return -1;
    }
    bt_device_key_name(out->public_key, out->id, out->fingerprint);
    return 0;
}

char *bt_device_key_sign(const bt_device_key *k, const void *data, size_t len)
{
    unsigned char sig[crypto_sign_BYTES], zero[64] = {0};
    char hex[2 * crypto_sign_BYTES + 1];
    if (sodium_init() < 0 || sodium_memcmp(k->secret_key, zero, sizeof zero) == 0)
        return NULL;
    crypto_sign_detached(sig, NULL, data, len, k->secret_key);
    sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
    size_t size = sizeof SIGNATURE_HEADER + sizeof hex + 64;
    char *text = malloc(size);
    if (text)
        snprintf(text, size, "%s\ndevice %s\ned25519 %s\n", SIGNATURE_HEADER, k->id, hex);
    return text;
}

/* The three lines of a signature text: the id and the raw signature. 0 / -1. */
static int parse_signature(const char *sig, size_t sig_len, char id[BT_DEVICE_ID_SIZE],
                           unsigned char raw[crypto_sign_BYTES])
{
    char lines[3][2 * crypto_sign_BYTES + 16];
    size_t count = 0, pos = 0;
    if (sig_len > BT_DEVICE_KEY_FILE_MAX_BYTES)
        return -1;
    while (pos < sig_len) {
        const char *nl = memchr(sig + pos, '\n', sig_len - pos);
        size_t n = nl ? (size_t)(nl - (sig + pos)) : sig_len - pos;
        size_t keep = n;
        while (keep > 0 && (sig[pos + keep - 1] == '\r' || sig[pos + keep - 1] == ' '))
            keep--;
        if (keep > 0) {
            if (count == 3 || keep >= sizeof lines[0])
                return -1;
            memcpy(lines[count], sig + pos, keep);
            lines[count++][keep] = '\0';
        }
        pos += n + 1;
    }
    size_t bin_len = 0;
    if (count != 3 || strcmp(lines[0], SIGNATURE_HEADER) != 0 ||
        strncmp(lines[1], "device ", 7) != 0 || strlen(lines[1] + 7) != BT_DEVICE_ID_SIZE - 1 ||
        strncmp(lines[2], "ed25519 ", 8) != 0 || strlen(lines[2] + 8) != 2 * crypto_sign_BYTES ||
        sodium_hex2bin(raw, crypto_sign_BYTES, lines[2] + 8, 2 * crypto_sign_BYTES, NULL,
                       &bin_len, NULL) != 0 || bin_len != crypto_sign_BYTES)
        return -1;
    memcpy(id, lines[1] + 7, BT_DEVICE_ID_SIZE);
    return 0;
}

int bt_device_key_signature_id(const char *sig, size_t sig_len, char named[BT_DEVICE_ID_SIZE])
{
    unsigned char raw[crypto_sign_BYTES];
    named[0] = '\0';
    return parse_signature(sig, sig_len, named, raw) == 0 ? 0 : -1;
}

int bt_device_key_verify(const unsigned char public_key[32], const void *data, size_t len,
                         const char *sig, size_t sig_len, char named[BT_DEVICE_ID_SIZE], char *err,
                         size_t err_size)
{
    unsigned char raw[crypto_sign_BYTES];
    char id[BT_DEVICE_ID_SIZE], fp[BT_DEVICE_FINGERPRINT_SIZE];
    named[0] = '\0';
    if (sodium_init() < 0 || parse_signature(sig, sig_len, named, raw) != 0) {
        named[0] = '\0';
        snprintf(err, err_size, "tệp chữ ký không đúng dạng (cần ba dòng: \"%s\", \"device "
                 "<mã máy>\", \"ed25519 <chữ ký>\")", SIGNATURE_HEADER);
        return -1;
    }
    bt_device_key_name(public_key, id, fp);
    if (strcmp(id, named) != 0) {
        snprintf(err, err_size, "chữ ký ghi máy %s, không phải máy %s", named, id);
        return -1;
    }
    if (crypto_sign_verify_detached(raw, data, len, public_key) != 0) {
        snprintf(err, err_size, "chữ ký không khớp nội dung tệp: tệp đã bị sửa sau khi máy %s "
                 "ký, hoặc không phải do máy này ký", id);
        return -1;
    }
    return 0;
}
