/* Back onto the stick: a receipt of what the import did and the logs the culture department
 * collects (loudspeaker airings and screen proof of play, current and previous quarter), as
 * files staff open on a Windows PC: UTF-8 with a BOM and CRLF line ends, CSV that a
 * Vietnamese-locale Excel opens by double-click with the Vietnamese intact and never evaluates
 * as a formula: ';' between fields (that Excel's list separator) and decimal commas. Every file is written whole or
 * not at all (temp file, fsync, rename, fsync of the folder). A read-only or full stick is
 * said in a note; it never changes what the import did. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_airing.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"
#include "bangtin/bt_file_name.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"
#include "usb_export.h"
#include "usb_internal.h"

static const char BOM[] = "\xEF\xBB\xBF";
/* The list separator of a Vietnamese-locale Windows (report_csv.c writes the same by default). */
#define CSV_SEP ";"

/* ---- a growing text buffer ----------------------------------------------------------------- */

/* Text with LF line ends as CRLF (Notepad on older Windows shows LF as one long line). */
static void tb_crlf(bt_buf *b, const char *s)
{
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        size_t n = (size_t)(nl - s);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        bt_buf_add(b, s, n);
        bt_buf_str(b, "\r\n");
    }
    if (*s) {
        bt_buf_str(b, s);
        bt_buf_str(b, "\r\n");
    }
}

static char *tb_take(bt_buf *b, size_t *len)
{
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    if (!b->data)
        bt_buf_add(b, "", 0);
    *len = b->len;
    return b->data;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

/* One text field, always quoted. A leading = + - @ or tab would make Excel run it as a
 * formula (a hostile title on a stick could): prefix an apostrophe, as Excel itself does. */
static void csv_text(bt_buf *b, const char *s, bool last)
{
    bt_buf_str(b, "\"");
    if (s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
              s[0] == '\r'))
        bt_buf_str(b, "'");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            bt_buf_str(b, "\"\"");
        else
            bt_buf_add(b, p, 1);
    }
    bt_buf_str(b, last ? "\"\r\n" : "\"" CSV_SEP);
}

/* A number with `decimals` digits after the decimal comma (0 for counts). */
static void csv_number(bt_buf *b, int decimals, double v, bool last)
{
    char text[64];
    snprintf(text, sizeof text, "%.*f", decimals, v);
    char *point = strchr(text, '.');
    if (point)
        *point = ',';
    bt_buf_str(b, text);
    bt_buf_str(b, last ? "\r\n" : CSV_SEP);
}

static void csv_header(bt_buf *b, const char *const *names, size_t n)
{
    bt_buf_str(b, BOM);
    for (size_t i = 0; i < n; i++)
        csv_text(b, names[i], i + 1 == n);
}

static void format_ms(int64_t ms, char *buf, size_t size)
{
    if (ms <= 0)
        buf[0] = '\0';
    else
        bt_time_format_iso((bt_wall)(ms / 1000), buf, size);
}

char *usb_airings_csv(bt_store *store, bt_wall from, bt_wall to, size_t *len)
{
    static const char *const header[] = {
        "Mã lần phát", "Ngày", "Giờ theo lịch", "Buổi phát", "Mã tin", "Tiêu đề", "Chủ đề",
        "Playlist", "Phiên bản", "Bắt đầu", "Kết thúc", "Thời lượng (giây)", "Trạng thái",
        "Lý do", "Đồng hồ tin cậy"};
    bt_airing_row *rows = NULL;
    size_t count = 0;
    if (bt_airing_list(store, from, to, &rows, &count) != 0)
        return NULL;
    bt_buf b = {0};
    csv_header(&b, header, sizeof(header) / sizeof(header[0]));
    for (size_t i = 0; i < count; i++) {
        const bt_airing_row *r = &rows[i];
        char day[16], hhmm[16], start[32], end[32];
        bt_time_format_ddmmyyyy(bt_time_day_of(r->subject.scheduled_at), day, sizeof(day));
        bt_time_format_hhmm(r->subject.scheduled_at, hhmm, sizeof(hhmm));
        format_ms(r->started_at_ms, start, sizeof(start));
        format_ms(r->ended_at_ms, end, sizeof(end));
        csv_number(&b, 0, (double)r->airing, false);
        csv_text(&b, day, false);
        csv_text(&b, hhmm, false);
        csv_text(&b, r->subject.session_id, false);
        csv_text(&b, r->subject.item_id, false);
        csv_text(&b, r->subject.title, false);
        csv_text(&b, r->subject.topic, false);
        csv_text(&b, r->subject.playlist_id, false);
        csv_number(&b, 0, (double)r->subject.playlist_version, false);
        csv_text(&b, start, false);
        csv_text(&b, end, false);
        if (r->duration_ms >= 0)
            csv_number(&b, 1, (double)r->duration_ms / 1000.0, false);
        else
            bt_buf_str(&b, CSV_SEP);
        csv_text(&b, bt_airing_status_label(r->status), false);
        char why[BT_AIRING_REASON_BYTES + 64];
        csv_text(&b, bt_vi_reason(r->reason, why, sizeof why), false);
        csv_text(&b, r->clock_trusted ? "có" : "không", true);
    }
    free(rows);
    return tb_take(&b, len);
}

char *usb_impressions_csv(bt_store *store, bt_day first, bt_day last, size_t *len)
{
    static const char *const header[] = {"Ngày", "Playlist", "Thông báo", "Số lần hiển thị",
                                         "Số giây trên màn hình", "Lượt video chiếu trọn",
                                         "Lượt video bị cắt ngang"};
    bt_proof_row *rows = NULL;
    size_t count = 0;
    if (bt_store_impressions_list(store, first, last, &rows, &count) != 0)
        return NULL;
    bt_buf b = {0};
    csv_header(&b, header, sizeof(header) / sizeof(header[0]));
    for (size_t i = 0; i < count; i++) {
        char day[16];
        bt_time_format_ddmmyyyy(rows[i].day, day, sizeof(day));
        csv_text(&b, day, false);
        csv_text(&b, rows[i].playlist_id, false);
        csv_text(&b, rows[i].notice_id, false);
        csv_number(&b, 0, (double)rows[i].shows, false);
        csv_number(&b, 0, rows[i].seconds, false);
        csv_number(&b, 0, (double)rows[i].video_whole, false);
        csv_number(&b, 0, (double)rows[i].video_cut, true);
    }
    free(rows);
    return tb_take(&b, len);
}

/* ---- the results folder and its files on the stick ----------------------------------------- */

static const char *stick_write_reason(int err)
{
    switch (err) {
    case EROFS:
        return "USB đang ở chế độ chỉ đọc (gạt khoá ghi trên USB, hoặc USB bị lỗi)";
    case ENOSPC:
    case EDQUOT:
        return "USB đã đầy";
    case EACCES:
    case EPERM:
        return "không có quyền ghi lên USB";
    case ENOENT:
    case ENODEV:
    case ENXIO:
    case EIO:
        return "USB đã bị rút ra hoặc lỗi ghi";
    default:
        return "lỗi ghi lên USB";
    }
}

/* Opens the folder that holds the package folder (the stick's root) with O_NOFOLLOW, and checks
 * that the package folder is there (a real folder, or a symlink that the import refused: its
 * receipt goes beside it). A missing path gets nothing written anywhere. fd, or -1 with err. */
static int open_stick_root(const char *package_dir, char *root, size_t root_size, char *err,
                           size_t err_size)
{
    char dir[BT_MAX_PATH_BYTES], shown[BT_MAX_PATH_BYTES];
    const char *name;
    struct stat st;
    usb_printable(package_dir ? package_dir : "", shown, sizeof(shown));
    if (usb_path_trim(package_dir, dir, sizeof(dir)) != 0 ||
        usb_path_split(dir, root, root_size, &name) != 0) {
        snprintf(err, err_size, "đường dẫn gói \"%s\" không dùng được — không ghi gì", shown);
        return -1;
    }
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = fd < 0 ? errno : 0;
    if (fd < 0 && lstat(root, &st) == 0 && S_ISLNK(st.st_mode))
        e = ELOOP; /* O_DIRECTORY on a symlink may say ENOTDIR instead */
    if (fd >= 0 && (fstat(fd, &st) != 0 || fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                    !(S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode))))
        e = ENOENT;
    if (!e)
        return fd;
    if (fd >= 0)
        close(fd);
    if (e == ELOOP)
        snprintf(err, err_size, "thư mục \"%s\" là liên kết (symlink), không phải thư mục thật — "
                 "không ghi gì qua nó; chỉ ra đường dẫn thật của USB",
                 usb_printable(root, shown, sizeof(shown)));
    else if (e == ENOENT || e == ENOTDIR)
        snprintf(err, err_size, "không có thư mục gói \"%s\" — không ghi gì", shown);
    else
        snprintf(err, err_size, "%s", stick_write_reason(e));
    return -1;
}

/* Why the results folder could not be made or opened. A symlink or a file in its place gets its
 * own sentence: what it is, that nothing went through it, what to do. */
static const char *results_refusal(int rootfd, int err)
{
    struct stat st;
    if (fstatat(rootfd, BT_USB_RESULTS_DIR, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode))
            return "\"" BT_USB_RESULTS_DIR "\" trên USB là một liên kết (symlink/shortcut), "
                   "không phải thư mục thật, nên máy không ghi gì qua nó — xoá liên kết \""
                   BT_USB_RESULTS_DIR "\" trên USB rồi cắm lại";
        if (!S_ISDIR(st.st_mode))
            return "trên USB đã có một tệp tên \"" BT_USB_RESULTS_DIR "\" (không phải thư mục) — "
                   "xoá hoặc đổi tên tệp đó trên USB rồi cắm lại";
    }
    return stick_write_reason(err);
}

int bt_usb_results_open(const char *package_dir, char *path, size_t path_size, char *err,
                        size_t err_size)
{
    char root[BT_MAX_PATH_BYTES];
    struct stat st;
    int rootfd = open_stick_root(package_dir, root, sizeof(root), err, err_size);
    if (rootfd < 0)
        return -1;
    /* mkdirat's EEXIST says nothing about what the name is: the openat below decides. */
    int fd = -1;
    if (mkdirat(rootfd, BT_USB_RESULTS_DIR, 0755) == 0 || errno == EEXIST)
        fd = openat(rootfd, BT_USB_RESULTS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))) {
        close(fd);
        fd = -1;
        errno = ENOTDIR;
    }
    if (fd < 0)
        snprintf(err, err_size, "%s", results_refusal(rootfd, errno));
    else if (path)
        snprintf(path, path_size, "%s/%s", strcmp(root, "/") == 0 ? "" : root,
                 BT_USB_RESULTS_DIR);
    close(rootfd);
    return fd;
}

int bt_usb_write_atomic(int dirfd, const char *name, const void *data, size_t len, char *err,
                        size_t err_size)
{
    char tmp[BT_MAX_PATH_BYTES], safe[BT_FILE_NAME_MAX_BYTES + 1];
    int e = 0;
    /* Staff open the stick on Windows: a name it refuses would be a file nobody can open. The
     * names written are chosen so (the tests hold them unchanged); this keeps it so. */
    name = bt_file_name_windows(name, safe, sizeof safe);
    snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
    /* A temp file left by a stick pulled mid-write, or a symlink planted under its name, is
     * removed (unlinkat removes a link, never its target); O_EXCL|O_NOFOLLOW then creates a new
     * file or fails. renameat replaces `name` itself, even a symlink, without following it. */
    unlinkat(dirfd, tmp, 0);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, err_size, "%s", stick_write_reason(errno));
        return -1;
    }
    if (usb_pwrite_all(fd, data, len, 0) != 0 || fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && renameat(dirfd, tmp, dirfd, name) != 0)
        e = errno;
    if (e) {
        unlinkat(dirfd, tmp, 0);
        snprintf(err, err_size, "%s", stick_write_reason(e));
        return -1;
    }
    /* Until the folder is synced the new name may not be on the stick: pulled now, it could
     * hold the old file, or none. */
    if (usb_fsync_dir(dirfd) != 0) {
        snprintf(err, err_size, "%s — tệp \"%s\" có thể chưa được lưu trên USB",
                 stick_write_reason(errno), name);
        return -1;
    }
    return 0;
}

/* ---- the write-back ------------------------------------------------------------------------ */

typedef struct {
    int dirfd;               /* the results folder, or -1 */
    char dir[BT_MAX_PATH_BYTES];
    char written[8][64];
    size_t written_count;
    char failure[512];       /* first failure's reason */
    int has_key;             /* the device key: 1 read or made, -1 not (key_err says why) */
    bt_device_key key;
    char key_err[BT_MAX_PATH_BYTES + 512];
    char export_name[96];    /* the signed export written for the city, or "" */
    bt_export_summary export_sum;
    char export_err[BT_MAX_PATH_BYTES + 512];
} write_back_state;

static void put_file(write_back_state *w, const char *name, char *text, size_t len)
{
    char err[512];
    if (!text) {
        if (!w->failure[0])
            snprintf(w->failure, sizeof(w->failure), "không đọc được nhật ký trong máy");
        return;
    }
    if (bt_usb_write_atomic(w->dirfd, name, text, len, err, sizeof(err)) == 0) {
        if (w->written_count < sizeof(w->written) / sizeof(w->written[0]))
            snprintf(w->written[w->written_count++], sizeof(w->written[0]), "%s", name);
    } else if (!w->failure[0]) {
        snprintf(w->failure, sizeof(w->failure), "%s", err);
    }
    free(text);
}

static void quarter_name(bt_day first, const char *prefix, char *out, size_t size)
{
    int y, m, d;
    bt_time_ymd_from_day(first, &y, &m, &d);
    snprintf(out, size, "%s-%04d-Q%d.csv", prefix, y, (m - 1) / 3 + 1);
}

static void export_logs(write_back_state *w, bt_store *store, bt_wall now)
{
    bt_period cur = bt_time_period_of(BT_PERIOD_QUARTER, bt_time_day_of(now));
    bt_period prev = bt_time_period_of(BT_PERIOD_QUARTER, cur.first - 1);
    const bt_period quarters[2] = {prev, cur};
    for (int i = 0; i < 2; i++) {
        char name[64];
        size_t len = 0;
        quarter_name(quarters[i].first, "nhat-ky-loa", name, sizeof(name));
        char *csv = usb_airings_csv(store, bt_time_day_start(quarters[i].first),
                                    bt_time_day_start(quarters[i].last + 1), &len);
        put_file(w, name, csv, len);
        quarter_name(quarters[i].first, "trinh-chieu", name, sizeof(name));
        csv = usb_impressions_csv(store, quarters[i].first, quarters[i].last, &len);
        put_file(w, name, csv, len);
    }
}

/* The signed export for the city (bt_export.h): built in the data folder, signed there, then
 * the export, its .sig and the device's public key (KEY.pub for enrolment) copied whole onto
 * the stick. Only once all three are there does the next export start after these rows; a
 * stick that was pulled meanwhile leaves them for the next one. The secret key never leaves. */
static void export_signed(write_back_state *w, bt_store *store, const bt_usb_options *o)
{
    char tmp[BT_MAX_PATH_BYTES + 64], name[96], err[512];
    bt_export_request req = {.since_last = true, .ward = o->cfg->ward_name, .now = o->now};
    bt_civil c = bt_time_to_civil(o->now);
    char *data = NULL, *sig = NULL, *pub = NULL;
    size_t len = 0;
    snprintf(tmp, sizeof tmp, "%s/.xuat-thanh-pho.tmp", o->data_dir);
    if (bt_export_build(store, &w->key, &req, tmp, &w->export_sum, w->export_err,
                        sizeof w->export_err) != 0 ||
        bt_export_read_file(tmp, BT_EXPORT_MAX_BYTES, &data, &len, w->export_err,
                            sizeof w->export_err) != 0)
        goto done;
    sig = bt_device_key_sign(&w->key, data, len);
    pub = bt_device_key_public_text(&w->key, o->cfg->ward_name);
    snprintf(name, sizeof name, "xuat-thanh-pho-%s-%04d%02d%02d-%02d%02d%02d.bangtin", w->key.id,
             c.year, c.month, c.day, c.hour, c.minute, c.second);
    char sig_name[sizeof name + 8], pub_name[64];
    snprintf(sig_name, sizeof sig_name, "%s.sig", name);
    snprintf(pub_name, sizeof pub_name, "khoa-thiet-bi-%s.pub", w->key.id);
    if (!sig || !pub) {
        snprintf(w->export_err, sizeof w->export_err, "không đủ bộ nhớ để ký tệp xuất");
        goto done;
    }
    if (bt_usb_write_atomic(w->dirfd, pub_name, pub, strlen(pub), err, sizeof err) != 0 ||
        bt_usb_write_atomic(w->dirfd, sig_name, sig, strlen(sig), err, sizeof err) != 0 ||
        bt_usb_write_atomic(w->dirfd, name, data, len, err, sizeof err) != 0) {
        snprintf(w->export_err, sizeof w->export_err, "%s", err);
        if (!w->failure[0])
            snprintf(w->failure, sizeof w->failure, "%s", err);
        goto done;
    }
    snprintf(w->export_name, sizeof w->export_name, "%s", name);
    if (bt_export_mark_sent(store, &req, &w->export_sum, err, sizeof err) != 0)
        bt_log_warn("USB: %s — lần xuất sau mang lại các dòng này", err);
done:
    unlink(tmp);
    free(data);
    free(sig);
    free(pub);
}

static const char *outcome_label(const bt_usb_result *r)
{
    bool asked = r->approval != BT_USB_APPROVAL_NONE && r->approval != BT_USB_APPROVAL_APPROVED;
    switch (r->outcome) {
    case BT_USB_IMPORTED: return "ĐÃ NẠP";
    case BT_USB_REFUSED: return asked ? "KHÔNG NẠP (gói chưa ký, không được duyệt bằng mã PIN)"
                                      : "KHÔNG NẠP (gói có lỗi)";
    case BT_USB_FAILED: return "KHÔNG NẠP ĐƯỢC (lỗi đọc/ghi)";
    case BT_USB_CANCELLED: return "ĐÃ HUỶ";
    }
    return "?";
}

/* What staff were shown before the PIN, when they were asked: the record of what they approved
 * (or would have). */
static void receipt_asked_diff(bt_buf *b, const bt_usb_result *r)
{
    if (r->approval == BT_USB_APPROVAL_NONE || r->approval == BT_USB_APPROVAL_UNAVAILABLE ||
        r->approval == BT_USB_APPROVAL_CANCELLED)
        return;
    bt_buf_str(b, "Khác với playlist đang phát (như màn hình hiện khi hỏi mã PIN):\r\n");
    if (bt_playlist_diff_empty(&r->asked_diff))
        bt_buf_str(b, "- không có thông báo hay buổi phát loa nào khác\r\n");
    for (int k = 0; k < BT_DIFF_KIND_COUNT; k++) {
        char line[BT_PLAYLIST_DIFF_MAX_NAMES * BT_PLAYLIST_DIFF_NAME_BYTES + 128];
        if (r->asked_diff.count[k])
            bt_buf_printf(b, "- %s\r\n", bt_playlist_diff_line(&r->asked_diff,
                                                               (bt_playlist_diff_kind)k, line,
                                                               sizeof line));
    }
    bt_buf_str(b, "\r\n");
}

static char *receipt_text(const bt_usb_options *o, bt_store *store, const bt_usb_result *r,
                          const write_back_state *w, size_t *len)
{
    bt_buf b = {0};
    char when[64], hhmm[16];
    bt_buf_str(&b, BOM);
    tb_crlf(&b, "BIÊN NHẬN NẠP PLAYLIST TỪ USB (bangtin)");
    bt_buf_printf(&b, "Đơn vị: %s\r\n", o->cfg->ward_name);
    bt_buf_printf(&b, "Thời gian: %s lúc %s\r\n", bt_time_format_date_vi(o->now, when, sizeof(when)),
              bt_time_format_hhmm(o->now, hhmm, sizeof(hhmm)));
    if (r->signed_at > 0) {
        char at_date[32], at_hhmm[16];
        bt_buf_printf(&b, "Gói được ký lúc: %s ngày %s\r\n",
                      bt_time_format_hhmm(r->signed_at, at_hhmm, sizeof(at_hhmm)),
                      bt_time_format_ddmmyyyy(bt_time_day_of(r->signed_at), at_date,
                                              sizeof(at_date)));
    }
    if (r->clock_behind_seconds > 0) /* the reasons below say what to do */
        bt_buf_str(&b, "LƯU Ý: ĐỒNG HỒ CỦA MÁY ĐANG SAI (sớm hơn lúc gói được ký): thời gian ghi "
                       "trên biên nhận này và tên tệp của nó theo đồng hồ sai đó.\r\n");
    bt_buf_printf(&b, "Kết quả: %s\r\n", outcome_label(r));
    if (r->approval == BT_USB_APPROVAL_APPROVED) {
        char approved[96];
        bt_buf_printf(&b, "Duyệt: gói chưa có chữ ký tin cậy, %s\r\n",
                      bt_usb_approved_text(r->pin_approved_at, approved, sizeof approved));
    }
    bt_buf_str(&b, "\r\n");
    char *text = bt_usb_result_text(r);
    if (text)
        tb_crlf(&b, text);
    free(text);
    bt_buf_str(&b, "\r\n");
    receipt_asked_diff(&b, r);
    if (r->id[0])
        bt_buf_printf(&b, "Gói: playlist \"%s\" phiên bản %d%s%s%s\r\n", r->id, r->version,
                      r->signer[0] ? ", ký bằng khoá " : "", r->signer,
                      r->approval == BT_USB_APPROVAL_NONE ? ""
                      : r->signer[0]                      ? " (không phải khoá tin cậy của máy)"
                                                          : ", chưa ký");
    bt_store_playlist active;
    if (store && bt_store_active_playlist(store, &active) == 1)
        bt_buf_printf(&b, "Playlist đang phát trên máy: '%s' (%s, phiên bản %d)\r\n", active.title,
                  active.id, active.version);
    int64_t head_seq;
    char head_hash[65];
    if (store && bt_airing_head(store, &head_seq, head_hash, sizeof head_hash) == 0)
        bt_buf_printf(&b, "Đầu chuỗi nhật ký phát thanh (giữ để đối chiếu khi kiểm tra): dòng "
                          "#%lld, mã %s\r\n", (long long)head_seq, head_hash);
    else if (store) /* a receipt without the head must say so: it is the copy kept off the box */
        bt_buf_str(&b, "Đầu chuỗi nhật ký phát thanh: không đọc được (lỗi cơ sở dữ liệu) — "
                       "biên nhận này không mang bản sao đầu chuỗi.\r\n");
    if (w->has_key == 1)
        bt_buf_printf(&b, "Khoá thiết bị (ký bản xuất gửi thành phố): dấu vân tay %s\r\n",
                      w->key.fingerprint);
    else
        bt_buf_printf(&b, "Khoá thiết bị: %s\r\n", w->key_err);
    if (w->export_name[0]) {
        bt_buf_printf(&b, "Bản xuất gửi thành phố (số %lld, có chữ ký): %s và %s.sig — ",
                      (long long)w->export_sum.export_no, w->export_name, w->export_name);
        if (w->export_sum.airing_first)
            bt_buf_printf(&b, "nhật ký phát thanh dòng #%lld–#%lld\r\n",
                          (long long)w->export_sum.airing_first,
                          (long long)w->export_sum.airing_last);
        else
            bt_buf_str(&b, "không có dòng nhật ký phát thanh mới\r\n");
    } else if (w->export_err[0]) {
        bt_buf_printf(&b, "Bản xuất gửi thành phố: không ghi được (%s); lần nạp USB sau sẽ mang "
                          "các dòng này, hoặc chạy \"bangtin export -o TỆP\"\r\n", w->export_err);
    }
    if (w->written_count) {
        bt_buf_str(&b, "Nhật ký kèm theo (mở bằng Excel):");
        for (size_t i = 0; i < w->written_count; i++)
            bt_buf_printf(&b, "%s %s", i ? "," : "", w->written[i]);
        bt_buf_str(&b, "\r\n");
    }
    return tb_take(&b, len);
}

void usb_write_back(const char *package_dir, const bt_usb_options *o, bt_store *store,
                    bt_usb_result *r)
{
    write_back_state w;
    memset(&w, 0, sizeof(w));
    w.dirfd = bt_usb_results_open(package_dir, w.dir, sizeof(w.dir), w.failure,
                                  sizeof(w.failure));
    w.has_key = bt_device_key_ensure(o->data_dir, &w.key, NULL, w.key_err, sizeof w.key_err) == 0
                    ? 1
                    : -1;
    if (w.dirfd >= 0 && store)
        export_logs(&w, store, o->now);
    if (w.dirfd >= 0 && store && w.has_key == 1 && !w.failure[0])
        export_signed(&w, store, o);
    if (w.dirfd >= 0 && !w.failure[0]) {
        char name[64];
        bt_civil c = bt_time_to_civil(o->now);
        snprintf(name, sizeof(name), "bien-nhan-%04d%02d%02d-%02d%02d%02d.txt", c.year, c.month,
                 c.day, c.hour, c.minute, c.second);
        size_t len = 0;
        char *text = receipt_text(o, store, r, &w, &len);
        put_file(&w, name, text, len);
        if (!w.failure[0] && snprintf(r->receipt_path, sizeof(r->receipt_path), "%.900s/%s",
                                      w.dir, name) >= (int)sizeof(r->receipt_path))
            r->receipt_path[0] = '\0';
    }
    if (w.dirfd >= 0)
        close(w.dirfd);
    bt_device_key_wipe(&w.key);
    if (w.failure[0])
        snprintf(r->stick_note, sizeof(r->stick_note),
                 "Không ghi được biên nhận và nhật ký lên USB: %s.%s", w.failure,
                 r->outcome == BT_USB_IMPORTED ? " Playlist mới vẫn đã được nạp." : "");
}
