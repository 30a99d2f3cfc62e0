/* Opening a package on a stick: signature first (nothing else is trusted before it), then
 * MANIFEST, then a walk of every entry that refuses what a hostile stick could hold, and the
 * check of `bangtin check DIR` for packages (which also hashes every file). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_package.h"
#include "bangtin/bt_playlist.h"
#include "usb_internal.h"

/* The walk gives up after this many entries: a stick with a million files is an attack on the
 * import's time, not a playlist. */
#define SCAN_MAX_ENTRIES (BT_MAX_PACKAGE_FILES * 4)

typedef struct {
    const bt_manifest *manifest;
    unsigned char *seen;       /* per manifest entry: found as a regular file of the right size */
    size_t entries;
    bool gave_up;
    bt_diags *diags;
} walk_state;

usb_signature_policy usb_signature_policy_of(const bt_config *cfg, bool asks_pin)
{
    if (!cfg->usb_require_signature)
        return USB_SIGNATURE_OPTIONAL;
    return asks_pin && bt_config_usb_asks_pin(cfg) ? USB_SIGNATURE_PIN : USB_SIGNATURE_REQUIRED;
}

bool usb_signature_approvable(bt_signature_status st)
{
    return st == BT_SIGNATURE_MISSING || st == BT_SIGNATURE_UNTRUSTED;
}

static void report_signature(bt_signature_status st, const char *signer,
                             const bt_config_paths *trusted, usb_signature_policy policy,
                             bt_diags *d)
{
    const char *S = BT_PACKAGE_SIGNATURE;
    if (policy == USB_SIGNATURE_PIN && usb_signature_approvable(st)) {
        bt_diags_add(d, BT_DIAG_WARNING, S, 0,
                     "%s%s%s — máy kiểm tra gói như gói đã ký rồi hỏi mã PIN trên màn hình để cán "
                     "bộ duyệt (usb.unsigned = \"pin\"); nạp chỉ khi nhập đúng mã PIN trong 2 phút",
                     st == BT_SIGNATURE_MISSING ? "gói chưa được ký (thiếu tệp MANIFEST.sig)"
                                                : "gói được ký bằng khoá ",
                     st == BT_SIGNATURE_MISSING ? "" : signer,
                     st == BT_SIGNATURE_MISSING ? "" : ", không phải khoá tin cậy của máy");
        return;
    }
    bool require = policy != USB_SIGNATURE_OPTIONAL;
    bt_diag_severity sev = require ? BT_DIAG_ERROR : BT_DIAG_WARNING;
    const char *tail = require ? "" : " (vẫn nhận vì usb.require_signature = false)";
    switch (st) {
    case BT_SIGNATURE_VALID:
        return;
    case BT_SIGNATURE_MISSING:
        bt_diags_add(d, sev, S, 0,
                     "gói chưa được ký (thiếu tệp MANIFEST.sig) — máy chỉ nhận gói có chữ ký của "
                     "phường: trên máy tính của phường chạy \"bangtin pack THƯ_MỤC_PLAYLIST "
                     "Ổ_USB/bangtin --key KHOÁ.key\"%s", tail);
        return;
    case BT_SIGNATURE_UNTRUSTED:
        if (!trusted || trusted->count == 0)
            bt_diags_add(d, sev, S, 0,
                         "máy chưa có khoá tin cậy nào (trusted_keys trong bangtin.cfg trống), "
                         "nên không nhận được gói ký bằng khoá %s — chép tệp .pub của phường "
                         "vào máy và khai báo trong trusted_keys%s", signer, tail);
        else
            bt_diags_add(d, sev, S, 0,
                         "gói được ký bằng khoá %s, không phải khoá tin cậy của máy "
                         "(trusted_keys) — ký lại bằng khoá của phường%s", signer, tail);
        return;
    case BT_SIGNATURE_BAD:
        bt_diags_add(d, sev, S, 0,
                     "chữ ký (khoá %s) không khớp nội dung MANIFEST: MANIFEST đã bị sửa sau khi "
                     "ký — đóng gói lại bằng bangtin pack%s", signer, tail);
        return;
    case BT_SIGNATURE_MALFORMED:
        bt_diags_add(d, sev, S, 0,
                     "MANIFEST.sig không phải tệp chữ ký của bangtin hoặc đã hỏng — đóng gói lại "
                     "bằng bangtin pack%s", tail);
        return;
    }
}

static void walk_dir(walk_state *w, int dirfd, const char *prefix, int depth);

static void visit(walk_state *w, int dirfd, const char *prefix, const char *name, int depth)
{
    char rel[BT_MAX_PATH_BYTES], shown[BT_MAX_PATH_BYTES];
    bt_diags *d = w->diags;
    if (++w->entries > SCAN_MAX_ENTRIES) {
        if (!w->gave_up)
            bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0,
                         "thư mục gói có hơn %d mục — đây không phải một playlist; chỉ chép thư "
                         "mục do bangtin pack tạo", SCAN_MAX_ENTRIES);
        w->gave_up = true;
        return;
    }
    if (snprintf(rel, sizeof(rel), "%s%s%s", prefix, prefix[0] ? "/" : "", name) >=
        (int)sizeof(rel)) {
        bt_diags_add(d, BT_DIAG_ERROR, usb_printable(prefix, shown, sizeof(shown)), 0,
                     "đường dẫn quá dài trong thư mục này — đặt tên ngắn hơn");
        return;
    }
    usb_printable(rel, shown, sizeof(shown));
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không đọc được: %s", usb_stick_reason(errno));
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0,
                     "là liên kết (symlink/shortcut), không phải tệp thật — gói chỉ được chứa tệp "
                     "và thư mục thật; xoá liên kết này khỏi USB");
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth >= BT_MAX_PACKAGE_DEPTH) {
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "thư mục lồng sâu quá %d lớp — xoá nó",
                         BT_MAX_PACKAGE_DEPTH);
            return;
        }
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không mở được thư mục: %s",
                         usb_stick_reason(errno));
            return;
        }
        walk_dir(w, fd, rel, depth + 1); /* takes fd */
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        const char *what = S_ISFIFO(st.st_mode)                       ? "FIFO (ống dẫn)"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "tệp thiết bị"
                           : S_ISSOCK(st.st_mode)                       ? "socket"
                                                                        : "mục lạ";
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0,
                     "là %s, không phải tệp thường — gói chỉ được chứa tệp và thư mục; xoá nó "
                     "khỏi USB", what);
        return;
    }
    const bt_manifest_entry *e = bt_manifest_find(w->manifest, rel);
    if (!e) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0,
                     "tệp không có trong MANIFEST (được thêm vào sau khi đóng gói) — xoá nó, hoặc "
                     "đóng gói lại bằng bangtin pack nếu nó cần có");
        return;
    }
    if ((uint64_t)st.st_size != e->size) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0,
                     "tệp nặng %" PRIu64 " byte nhưng MANIFEST ghi %" PRIu64 " byte: tệp đã bị "
                     "thay đổi sau khi ký (hoặc chép chưa xong) — chép lại hoặc đóng gói lại",
                     (uint64_t)st.st_size, e->size);
        return;
    }
    w->seen[e - w->manifest->entries] = 1;
}

/* Walks the directory open as fd (closed here). */
static void walk_dir(walk_state *w, int fd, const char *prefix, int depth)
{
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        bt_diags_add(w->diags, BT_DIAG_ERROR, prefix[0] ? prefix : ".", 0,
                     "không đọc được thư mục: %s", usb_stick_reason(errno));
        return;
    }
    struct dirent *ent;
    errno = 0;
    while (!w->gave_up && (ent = readdir(dir)) != NULL) {
        const char *name = ent->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || bt_package_name_ignored(name))
            continue;
        if (depth == 0 && (strcmp(name, BT_PACKAGE_MANIFEST) == 0 ||
                           strcmp(name, BT_PACKAGE_SIGNATURE) == 0))
            continue;
        visit(w, dirfd(dir), prefix, name, depth);
        errno = 0;
    }
    if (errno != 0 && !w->gave_up)
        bt_diags_add(w->diags, BT_DIAG_ERROR, prefix[0] ? prefix : ".", 0,
                     "không đọc hết thư mục: %s", usb_stick_reason(errno));
    closedir(dir);
}

/* Why the package folder dir (trimmed) could not be opened (err): a symlink is refused; a
 * missing path or a file is no package at all; anything else is the stick going away. */
static usb_package_status unopened(const char *dir, int err, bt_diags *d)
{
    char shown[BT_MAX_PATH_BYTES];
    struct stat st;
    usb_printable(dir, shown, sizeof(shown));
    bool found = lstat(dir, &st) == 0;
    if (found && S_ISLNK(st.st_mode)) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "là liên kết (symlink/shortcut), không phải thư "
                     "mục thật — gói phải là thư mục bangtin do bangtin pack tạo; xoá liên kết "
                     "và chép thư mục thật lên USB");
        return USB_PACKAGE_REFUSED;
    }
    if (found && !S_ISDIR(st.st_mode)) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "là một tệp, không phải thư mục — chỉ ra thư "
                     "mục bangtin do bangtin pack tạo");
        return USB_PACKAGE_MISSING;
    }
    if (!found && (errno == ENOENT || errno == ENOTDIR)) {
        bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "thư mục không tồn tại — kiểm tra lại đường dẫn "
                     "(USB đã cắm chưa, thư mục có đúng tên bangtin không?)");
        return USB_PACKAGE_MISSING;
    }
    bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không mở được thư mục gói: %s",
                 usb_stick_reason(err));
    return USB_PACKAGE_UNREADABLE;
}

usb_package_status usb_package_open(const char *path, const bt_config_paths *trusted,
                                    usb_signature_policy policy, usb_package *pkg, bt_diags *d)
{
    char *sig = NULL, dir[BT_MAX_PATH_BYTES];
    size_t sig_len = 0;
    size_t errors_before = d->errors;
    memset(pkg, 0, sizeof(*pkg));
    bt_manifest_init(&pkg->manifest);
    pkg->dirfd = -1;
    /* "link/" would make O_NOFOLLOW follow the link: the slashes go before anything opens. */
    if (usb_path_trim(path, dir, sizeof(dir)) != 0)
        return unopened(path ? path : "", errno, d);
    pkg->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (pkg->dirfd < 0)
        return unopened(dir, errno, d);
    if (usb_read_small(pkg->dirfd, BT_PACKAGE_MANIFEST, BT_MAX_MANIFEST_BYTES, false,
                       &pkg->manifest_text, &pkg->manifest_len) != 0) {
        int e = errno;
        if (e == ENOENT)
            return USB_PACKAGE_NOT_PACKAGE;
        if (e == ELOOP || e == EINVAL || e == EFBIG) {
            bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0, "MANIFEST %s — gói bị làm giả "
                         "hoặc hỏng; đóng gói lại bằng bangtin pack", usb_stick_reason(e));
            return USB_PACKAGE_REFUSED;
        }
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0, "không đọc được MANIFEST: %s",
                     usb_stick_reason(e));
        return USB_PACKAGE_UNREADABLE;
    }
    bt_sha256_hex(pkg->manifest_text, pkg->manifest_len, pkg->key);

    if (usb_read_small(pkg->dirfd, BT_PACKAGE_SIGNATURE, BT_MAX_KEY_FILE_BYTES, false, &sig,
                       &sig_len) != 0) {
        int e = errno;
        if (e != ENOENT && e != ELOOP && e != EINVAL && e != EFBIG) {
            bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_SIGNATURE, 0, "không đọc được: %s",
                         usb_stick_reason(e));
            return USB_PACKAGE_UNREADABLE;
        }
        sig = NULL; /* a symlink, FIFO or huge file is no signature */
        if (e != ENOENT) {
            pkg->signature = BT_SIGNATURE_MALFORMED;
            goto reported;
        }
    }
    pkg->signature = bt_package_verify(pkg->manifest_text, pkg->manifest_len, sig, sig_len,
                                       trusted, pkg->signer, d);
reported:
    free(sig);
    report_signature(pkg->signature, pkg->signer, trusted, policy, d);
    if (d->errors > errors_before)
        return USB_PACKAGE_REFUSED; /* nothing else is worth reading from an untrusted package */

    if (bt_manifest_parse(pkg->manifest_text, pkg->manifest_len, &pkg->manifest, d) != 0)
        return USB_PACKAGE_REFUSED;
    usb_manifest_check_limits(&pkg->manifest, d);
    if (!bt_manifest_find(&pkg->manifest, BT_PLAYLIST_FILE))
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0,
                     "gói không có tệp %s ở thư mục gốc — đóng gói đúng thư mục playlist",
                     BT_PLAYLIST_FILE);

    walk_state w = {&pkg->manifest, calloc(pkg->manifest.count + 1, 1), 0, false, d};
    if (!w.seen) {
        bt_diags_add(d, BT_DIAG_ERROR, BT_PACKAGE_MANIFEST, 0, "không đủ bộ nhớ");
        return USB_PACKAGE_REFUSED;
    }
    int fd = openat(pkg->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* own position */
    if (fd >= 0)
        walk_dir(&w, fd, "", 0);
    for (size_t i = 0; !w.gave_up && i < pkg->manifest.count; i++) {
        char shown[BT_MAX_PATH_BYTES];
        const bt_manifest_entry *e = &pkg->manifest.entries[i];
        struct stat st;
        /* Entries reported above (symlink, FIFO, wrong size) are not "missing" as well. */
        if (!w.seen[i] && fstatat(pkg->dirfd, e->path, &st, AT_SYMLINK_NOFOLLOW) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, usb_printable(e->path, shown, sizeof(shown)), 0,
                         "thiếu tệp (MANIFEST dòng %d có nó) — chép lại đủ thư mục bangtin lên "
                         "USB", e->line);
    }
    free(w.seen);
    return d->errors > errors_before ? USB_PACKAGE_REFUSED : USB_PACKAGE_OK;
}

void usb_package_close(usb_package *pkg)
{
    if (pkg->dirfd >= 0)
        close(pkg->dirfd);
    pkg->dirfd = -1;
    free(pkg->manifest_text);
    pkg->manifest_text = NULL;
    bt_manifest_free(&pkg->manifest);
}

int bt_package_check(const char *dir, const bt_config *cfg, bt_diags *d)
{
    usb_package pkg;
    /* `check` on the appliance says what its kiosk would do with the package. */
    usb_signature_policy policy = usb_signature_policy_of(cfg, true);
    usb_package_status st = usb_package_open(dir, &cfg->trusted_keys, policy, &pkg, d);
    if (st == USB_PACKAGE_NOT_PACKAGE) {
        usb_package_close(&pkg);
        return 0;
    }
    /* A refused package is still hashed when its signature was fine: every problem at once. */
    bool signature_ok = pkg.signature == BT_SIGNATURE_VALID ||
                        policy == USB_SIGNATURE_OPTIONAL ||
                        (policy == USB_SIGNATURE_PIN && usb_signature_approvable(pkg.signature));
    for (size_t i = 0; st != USB_PACKAGE_UNREADABLE && signature_ok && i < pkg.manifest.count;
         i++) {
        const bt_manifest_entry *e = &pkg.manifest.entries[i];
        char hex[BT_SHA256_HEX_SIZE], shown[BT_MAX_PATH_BYTES];
        int fd = usb_open_beneath(pkg.dirfd, e->path);
        if (fd < 0)
            continue; /* already reported by the walk */
        int err_no = 0;
        usb_copy_status cs = usb_copy_hash(fd, -1, e->size, hex, NULL, NULL, &err_no);
        close(fd);
        usb_printable(e->path, shown, sizeof(shown));
        if (cs == USB_COPY_READ_ERROR)
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "không đọc được: %s",
                         usb_stick_reason(err_no));
        else if (cs != USB_COPY_OK || strcmp(hex, e->sha256) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0,
                         "nội dung khác với MANIFEST (mã SHA-256 không khớp): tệp đã bị thay đổi "
                         "sau khi ký — chép lại tệp gốc hoặc đóng gói lại");
        /* A cut PNG hangs the decoder the caller runs next: say so first. */
        char why[256];
        if (usb_image_check(pkg.dirfd, e->path, why, sizeof(why)) != 0)
            bt_diags_add(d, BT_DIAG_ERROR, shown, 0, "%s", why);
    }
    usb_package_close(&pkg);
    return 1;
}
