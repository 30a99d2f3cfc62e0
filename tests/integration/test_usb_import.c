/* USB import end to end: a signed stick imports and shows on screen; every kind of bad stick is
 * refused with its own message while the active playlist stays (store and screenshot) and the
 * content store keeps nothing of it; versions, --force, rollback, pruning to the last N
 * playlists, a stick pulled mid-copy, files of awkward sizes stored exactly, a file changed
 * on the stick during the copy, cancellation, a read-only or full stick, and the package's
 * signing time against the appliance's clock. */
#include "usb_fixture.h"

#include <errno.h>
#include <math.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "bangtin/bt_device_key.h"
#include "bangtin/bt_content_store.h"

typedef struct {
    usb_fixture f;
    char baseline[900];     /* screenshot with v1 active */
} state;

static int import_pkg(usb_fixture *f, const char *pkg, bool force, bt_usb_result *r)
{
    bt_usb_options o;
    usb_options(f, &o);
    o.force = force;
    return bt_usb_import(pkg, &o, r);
}

/* Imports and asserts success; returns nothing, frees the result. */
static void import_ok(usb_fixture *f, const char *pkg, bool force)
{
    bt_usb_result r;
    int rc = import_pkg(f, pkg, force, &r);
    char *text = bt_usb_result_text(&r);
    if (rc != 0)
        fail_msg("import of %s refused: %s", pkg, text);
    assert_int_equal(r.outcome, BT_USB_IMPORTED);
    free(text);
    bt_usb_result_free(&r);
}

static void pkg_path(state *s, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/sticks/%s/bangtin", s->f.root, name);
}

/* A signed v2 package in sticks/<name>/bangtin, ready to be spoiled. */
static void signed_v2(state *s, const char *name, char *pkg, size_t size)
{
    pkg_path(s, name, pkg, size);
    usb_make_playlist(pkg, 2);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
}

static int setup(void **st)
{
    state *s = calloc(1, sizeof(*s));
    usb_fixture_setup(&s->f, "usb-import", NULL);
    char pkg[1024];
    pkg_path(s, "v1", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 1);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    import_ok(&s->f, pkg, false);
    snprintf(s->baseline, sizeof(s->baseline), "%s/baseline.png", s->f.root);
    usb_screenshot(&s->f, s->baseline);
    *st = s;
    return 0;
}

static int teardown(void **st)
{
    free(*st);
    return 0;
}

/* The active playlist is still v1: in the store, on screen, and nothing of the refused package
 * is left in the content store (as many objects and directories as before it). */
static void assert_v1_unchanged(state *s, int objects, int playlists)
{
    bt_store_playlist p;
    assert_int_equal(usb_active(&s->f, &p), 1);
    assert_string_equal(p.id, "usb-thu");
    assert_int_equal(p.version, 1);
    char shot[1024];
    snprintf(shot, sizeof(shot), "%s/after.png", s->f.root);
    usb_screenshot(&s->f, shot);
    size_t a_len, b_len;
    char *a = bt_test_read_file(s->baseline, &a_len), *b = bt_test_read_file(shot, &b_len);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a_len == b_len && memcmp(a, b, a_len) == 0);
    free(a);
    free(b);
    assert_int_equal(usb_count_entries(&s->f, "objects"), objects);
    assert_int_equal(usb_count_entries(&s->f, "playlists"), playlists);
    assert_int_equal(usb_count_entries(&s->f, "tmp"), 0);
}

/* Imports pkg, expects a refusal whose text holds `expected`, and v1 still active. */
static void assert_refused(state *s, const char *pkg, const char *expected)
{
    int objects = usb_count_entries(&s->f, "objects");
    int playlists = usb_count_entries(&s->f, "playlists");
    bt_usb_result r;
    assert_int_equal(import_pkg(&s->f, pkg, false, &r), -1);
    char *text = bt_usb_result_text(&r);
    assert_non_null(text);
    if (r.outcome != BT_USB_REFUSED || !strstr(text, expected))
        fail_msg("expected a refusal with \"%s\", got (outcome %d):\n%s", expected, r.outcome,
                 text);
    assert_non_null(strstr(text, BT_USB_KEPT_MESSAGE));
    free(text);
    bt_usb_result_free(&r);
    assert_v1_unchanged(s, objects, playlists);
}

/* Issue 16: the device key was made in the data folder (0600) and its fingerprint is on the
 * receipt; the signed export, its signature and the public key are on the stick, the signature
 * verifies against that key, and the secret is nowhere on the stick. */
static void stick_carries_signed_export(state *s)
{
    char path[1200], cmd[4096], err[512], named[BT_DEVICE_ID_SIZE];
    bt_device_key key, pub;
    struct stat sb;
    assert_int_equal(bt_device_key_read(s->f.data, &key, err, sizeof err), 1);
    snprintf(path, sizeof path, "%s/%s", s->f.data, BT_DEVICE_KEY_FILE);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(cmd, sizeof cmd, "cat '%s'/sticks/good/bangtin-ket-qua/bien-nhan-*.txt", s->f.root);
    int status;
    char *receipt = bt_test_run(cmd, &status);
    char line[160];
    snprintf(line, sizeof line, "Khoá thiết bị (ký bản xuất gửi thành phố): dấu vân tay %s\r\n",
             key.fingerprint);
    assert_non_null(strstr(receipt, line));
    /* Number 2: the fixture's first import (v1) wrote number 1. */
    snprintf(line, sizeof line, "Bản xuất gửi thành phố (số 2, có chữ ký): xuat-thanh-pho-%s-",
             key.id);
    assert_non_null(strstr(receipt, line));
    free(receipt);
    snprintf(cmd, sizeof cmd, "cd '%s'/sticks/good/bangtin-ket-qua && ls xuat-thanh-pho-*.bangtin "
             "&& ! grep -rl '%s' . ", s->f.root, BT_DEVICE_SECRET_PREFIX);
    char *export_name = bt_test_run(cmd, &status);
    assert_int_equal(status, 0);
    export_name[strcspn(export_name, "\n")] = '\0';
    size_t len = 0, sig_len = 0, pub_len = 0;
    snprintf(path, sizeof path, "%s/sticks/good/bangtin-ket-qua/khoa-thiet-bi-%s.pub", s->f.root,
             key.id);
    char *pub_text = bt_test_read_file(path, &pub_len);
    assert_non_null(pub_text);
    assert_int_equal(bt_device_key_parse_public(pub_text, pub_len, &pub, err, sizeof err), 0);
    assert_memory_equal(pub.public_key, key.public_key, 32);
    snprintf(path, sizeof path, "%s/sticks/good/bangtin-ket-qua/%s", s->f.root, export_name);
    char *data = bt_test_read_file(path, &len);
    strcat(path, ".sig");
    char *sig = bt_test_read_file(path, &sig_len);
    assert_non_null(data);
    assert_non_null(sig);
    assert_int_equal(bt_device_key_verify(pub.public_key, data, len, sig, sig_len, named, err,
                                          sizeof err), 0);
    assert_string_equal(named, key.id);
    bt_device_key_wipe(&key);
    free(pub_text);
    free(data);
    free(sig);
    free(export_name);
}

static void test_signed_stick_imports_and_plays(void **st)
{
    state *s = *st;
    char pkg[1024], shot[1024], cmd[4096];
    signed_v2(s, "good", pkg, sizeof(pkg));
    bt_usb_result r;
    assert_int_equal(import_pkg(&s->f, pkg, false, &r), 0);
    assert_string_equal(r.headline,
                        "Đã nạp 'Tuyên truyền CCHC Quý IV/2025': 3 thông báo, 1 bản tin. "
                        "Có thể rút USB.");
    assert_int_equal(r.stick_note[0], '\0');
    /* The receipt and the four quarterly logs are on the stick, whole. */
    assert_non_null(strstr(r.receipt_path, "/sticks/good/bangtin-ket-qua/bien-nhan-"));
    size_t len;
    char *receipt = bt_test_read_file(r.receipt_path, &len);
    assert_non_null(receipt);
    assert_memory_equal(receipt, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(receipt, "Kết quả: ĐÃ NẠP\r\n"));
    assert_non_null(strstr(receipt, "Playlist đang phát trên máy: 'Tuyên truyền CCHC Quý "
                                    "IV/2025' (usb-thu, phiên bản 2)"));
    /* The log's head leaves the appliance with every stick (nothing aired yet: row #0). */
    assert_non_null(strstr(receipt, "Đầu chuỗi nhật ký phát thanh (giữ để đối chiếu khi kiểm "
                                    "tra): dòng #0, mã 0000000000000000"));
    free(receipt);
    bt_usb_result_free(&r);
    snprintf(shot, sizeof(shot), "%s/sticks/good/bangtin-ket-qua/nhat-ky-loa-2025-Q3.csv",
             s->f.root);
    char *csv = bt_test_read_file(shot, &len);
    assert_non_null(csv);
    assert_memory_equal(csv, "\xEF\xBB\xBF\"Mã lần phát\"", strlen("\xEF\xBB\xBF\"Mã lần phát\""));
    assert_non_null(strstr(csv, "\"Đồng hồ tin cậy\"\r\n"));
    free(csv);
    snprintf(cmd, sizeof(cmd), "ls '%s/sticks/good/bangtin-ket-qua'", s->f.root);
    int status;
    char *list = bt_test_run(cmd, &status);
    assert_non_null(strstr(list, "nhat-ky-loa-2025-Q4.csv"));
    assert_non_null(strstr(list, "trinh-chieu-2025-Q3.csv"));
    assert_non_null(strstr(list, "trinh-chieu-2025-Q4.csv"));
    assert_null(strstr(list, ".tmp"));
    free(list);
    stick_carries_signed_export(s);

    bt_store_playlist p;
    assert_int_equal(usb_active(&s->f, &p), 1);
    assert_int_equal(p.version, 2);
    assert_non_null(strstr(p.dir, "/content/playlists/"));
    /* What the screen shows now: the new package's QR notice. */
    snprintf(shot, sizeof(shot), "%s/v2.png", s->f.root);
    snprintf(cmd, sizeof(cmd),
             BANGTIN " --config '%s' --data '%s' screenshot --at '" USB_SHOT_AT
                     "' -o '%s' >/dev/null && zbarimg --nodbus --raw -q '%s'",
             s->f.cfg_path, s->f.data, shot, shot);
    char *codes = bt_test_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(codes, "https://dichvucong.gov.vn/usb-thu-v2"));
    free(codes);

    /* Back to v1 for the refusal tests: an older version needs --force. */
    pkg_path(s, "v1", pkg, sizeof(pkg));
    assert_int_equal(import_pkg(&s->f, pkg, false, &r), -1);
    char *text = bt_usb_result_text(&r);
    assert_non_null(strstr(text, "playlist.cfg:5: lỗi: phiên bản 1 không mới hơn phiên bản đang "
                                 "phát (2)"));
    free(text);
    bt_usb_result_free(&r);
    import_ok(&s->f, pkg, true);
}

static void test_refuses_unsigned(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "unsigned", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    usb_sign_dir(pkg, NULL, NULL, 0);
    assert_refused(s, pkg, "MANIFEST.sig: lỗi: gói chưa được ký");
}

static void test_refuses_untrusted_key(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "untrusted", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    usb_sign_dir(pkg, s->f.other_key, NULL, 0);
    assert_refused(s, pkg, "không phải khoá tin cậy của máy");
}

static void test_refuses_file_changed_after_signing(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    signed_v2(s, "changed", pkg, sizeof(pkg));
    /* Same size, one byte different (a pixel of the image). */
    snprintf(path, sizeof(path), "%s/images/so-do.png", pkg);
    size_t len;
    char *png = bt_test_read_file(path, &len);
    png[len - 20] ^= 0x01;
    assert_int_equal(bt_test_write_file(path, png, len), 0);
    free(png);
    assert_refused(s, pkg, "images/so-do.png: lỗi: nội dung khác với MANIFEST");
}

static void test_refuses_edited_manifest(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    signed_v2(s, "edited", pkg, sizeof(pkg));
    snprintf(path, sizeof(path), "%s/MANIFEST", pkg);
    usb_replace_in_file(path, " 317 images", " 318 images");
    assert_refused(s, pkg, "MANIFEST đã bị sửa sau khi ký");
}

static void test_refuses_missing_file(void **st)
{
    state *s = *st;
    char pkg[1024];
    signed_v2(s, "missing", pkg, sizeof(pkg));
    usb_sh("rm '%s/audio/tin-thu.ogg'", pkg);
    assert_refused(s, pkg, "audio/tin-thu.ogg: lỗi: thiếu tệp (MANIFEST dòng 2 có nó)");
}

static void test_refuses_unlisted_file(void **st)
{
    state *s = *st;
    char pkg[1024];
    signed_v2(s, "unlisted", pkg, sizeof(pkg));
    usb_sh("echo 'ghi chú' > '%s/images/ghi-chu.txt'", pkg);
    /* Desktop debris is ignored, not refused. */
    usb_sh("touch '%s/.DS_Store' '%s/images/Thumbs.db'", pkg, pkg);
    assert_refused(s, pkg, "images/ghi-chu.txt: lỗi: tệp không có trong MANIFEST");
}

static void test_refuses_dotdot_path(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "dotdot", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    usb_sh("echo 'ngoài' > '%s/../ngoai.txt'", pkg);
    const usb_extra_entry extra[] = {{"../ngoai.txt", 10, "ngoài\n"}};
    usb_sign_dir(pkg, s->f.ward_key, extra, 1);
    assert_refused(s, pkg, "đường dẫn \"../ngoai.txt\" không an toàn");
}

static void test_refuses_symlink_to_passwd(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "symlink", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    usb_sh("ln -s /etc/passwd '%s/images/anh.png'", pkg);
    /* Listed in the signed MANIFEST with the target's size and content: only the walk's
     * symlink rule stands between the stick and /etc/passwd. */
    size_t len;
    char *passwd = bt_test_read_file("/etc/passwd", &len);
    assert_non_null(passwd);
    const usb_extra_entry extra[] = {{"images/anh.png", len, passwd}};
    usb_sign_dir(pkg, s->f.ward_key, extra, 1);
    free(passwd);
    assert_refused(s, pkg, "images/anh.png: lỗi: là liên kết (symlink/shortcut)");
}

static void test_refuses_fifo(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "fifo", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/audio/ong.ogg", pkg);
    assert_int_equal(mkfifo(path, 0644), 0);
    const usb_extra_entry extra[] = {{"audio/ong.ogg", 0, ""}};
    usb_sign_dir(pkg, s->f.ward_key, extra, 1);
    assert_refused(s, pkg, "audio/ong.ogg: lỗi: là FIFO (ống dẫn), không phải tệp thường");
}

static void test_refuses_file_over_size_limit(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "huge", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    /* One byte over the image limit (sparse: cheap to make, but hashed for the MANIFEST). */
    snprintf(path, sizeof(path), "%s/images/lon.png", pkg);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, BT_MAX_IMAGE_FILE_BYTES + 1), 0);
    close(fd);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "images/lon.png: lỗi: tệp nặng 33554433 byte, quá giới hạn 33554432");
}

/* A PNG header that declares w×h, with nothing after IHDR. */
static void write_png_header(const char *path, uint32_t w, uint32_t h)
{
    unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
                             'I', 'H', 'D', 'R'};
    for (int i = 0; i < 4; i++) {
        png[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        png[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    png[24] = 8; /* bit depth */
    png[25] = 6; /* RGBA */
    assert_int_equal(bt_test_write_file(path, png, sizeof(png)), 0);
}

static void test_refuses_png_of_100000_pixels(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "bomb", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/images/so-do.png", pkg);
    write_png_header(path, 100000, 100000);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "100000");
}

static void test_refuses_truncated_png(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "truncated", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/images/so-do.png", pkg);
    /* Cut inside the bKGD chunk: SDL_image would loop for ever decoding this. */
    assert_int_equal(truncate(path, 120), 0);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "images/so-do.png: lỗi: tệp PNG bị cụt");
    /* Every cut that made SDL_image loop (found by trying each length) is refused, quickly. */
    static const int cuts[] = {41, 62, 69, 76, 83, 90, 97, 125, 132, 200, 316};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        usb_make_playlist(pkg, 2);
        assert_int_equal(truncate(path, cuts[i]), 0);
        usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
        bt_usb_result r;
        assert_int_equal(import_pkg(&s->f, pkg, false, &r), -1);
        char *text = bt_usb_result_text(&r);
        if (r.outcome != BT_USB_REFUSED || !strstr(text, "images/so-do.png: lỗi: tệp PNG"))
            fail_msg("cut at %d:\n%s", cuts[i], text);
        free(text);
        bt_usb_result_free(&r);
    }
}

static void test_refuses_text_named_ogg(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "text-ogg", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/audio/tin-thu.ogg", pkg);
    const char *text = "Đây là văn bản, không phải âm thanh.\n";
    assert_int_equal(bt_test_write_file(path, text, strlen(text)), 0);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "audio/tin-thu.ogg: lỗi: không phải tệp âm thanh đúng như đuôi tên "
                           "tệp (tin \"tin-thu\", playlist.cfg dòng 38)");
}

/* A mostly silent item refuses the package as `check` refuses it; the stick says which. */
static void test_refuses_mostly_silent_item(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "silent", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/audio/tin-thu.ogg", pkg);
    assert_int_equal(remove(path), 0);
    snprintf(path, sizeof(path), "%s/audio/tin-thu.wav", pkg);
    const bt_test_span spans[] = {{9.0, -INFINITY}, {1.0, -20.0}};
    assert_int_equal(bt_test_write_wav(path, spans, 2), 0);
    snprintf(path, sizeof(path), "%s/playlist.cfg", pkg);
    usb_replace_in_file(path, "audio/tin-thu.ogg", "audio/tin-thu.wav");
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "playlist.cfg:38: lỗi: tin \"tin-thu\" (audio/tin-thu.wav): 90 % thời "
                           "lượng là im lặng (9,0/10,0 giây), quá 50 % cho phép: không phát được");
}

static void test_refuses_invalid_playlist_cfg(void **st)
{
    state *s = *st;
    char pkg[1024], path[1200];
    pkg_path(s, "bad-cfg", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    snprintf(path, sizeof(path), "%s/playlist.cfg", pkg);
    usb_replace_in_file(path, "priority = 9;", "priority = 12;");
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_refused(s, pkg, "playlist.cfg:16: lỗi:");
}

static void test_refuses_folder_without_manifest(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "plain", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    assert_refused(s, pkg, "thư mục chưa được đóng gói (thiếu MANIFEST)");
}

/* Stick pulled mid-copy: the file being copied ends early. */
static void pull_stick(void *ctx, const bt_usb_progress *p)
{
    const char *big = ctx;
    if (p->stage == BT_USB_STAGE_COPY && p->file && strcmp(p->file, "tai-lieu/ke-hoach.bin") == 0 &&
        p->bytes_done > 0)
        assert_int_equal(truncate(big, 4 * 1024 * 1024), 0);
}

static void test_stick_pulled_mid_copy(void **st)
{
    state *s = *st;
    char pkg[1024], big[1200];
    pkg_path(s, "pulled", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    /* Larger than one read of the import (16 MiB), so the pull lands in the middle. */
    usb_sh("mkdir -p '%s/tai-lieu' && head -c 40000000 /dev/urandom > '%s/tai-lieu/ke-hoach.bin'",
           pkg, pkg);
    snprintf(big, sizeof(big), "%s/tai-lieu/ke-hoach.bin", pkg);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    int objects = usb_count_entries(&s->f, "objects");
    int playlists = usb_count_entries(&s->f, "playlists");
    bt_usb_options o;
    usb_options(&s->f, &o);
    o.progress = pull_stick;
    o.progress_ctx = big;
    bt_usb_result r;
    assert_int_equal(bt_usb_import(pkg, &o, &r), -1);
    char *text = bt_usb_result_text(&r);
    assert_int_equal(r.outcome, BT_USB_FAILED);
    assert_int_equal(r.stage, BT_USB_STAGE_COPY);
    assert_non_null(
        strstr(text, "USB bị rút ra hoặc lỗi đọc khi đang chép 'tai-lieu/ke-hoach.bin'"));
    assert_non_null(strstr(text, BT_USB_KEPT_MESSAGE));
    free(text);
    bt_usb_result_free(&r);
    assert_v1_unchanged(s, objects, playlists);
}

/* Files of every awkward length for the copy (empty, shorter and longer than a disk block,
 * exactly one read of the import (16 MiB) and just over it, a duplicate of another file) land
 * in the store byte for byte. */
static void test_awkward_sizes_stored_exactly(void **st)
{
    state *s = *st;
    char pkg[1024], cmd[4096];
    pkg_path(s, "sizes", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 3);
    usb_sh("cd '%s' && mkdir -p tai-lieu && : > tai-lieu/rong.bin && "
           "head -c 1 /dev/urandom > tai-lieu/mot.bin && "
           "head -c 4095 /dev/urandom > tai-lieu/le.bin && "
           "head -c 4096 /dev/urandom > tai-lieu/khoi.bin && "
           "head -c 16777216 /dev/urandom > tai-lieu/dung-16m.bin && "
           "head -c 16781313 /dev/urandom > tai-lieu/hon-16m.bin && "
           "cp tai-lieu/le.bin tai-lieu/ban-sao.bin",
           pkg);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    import_ok(&s->f, pkg, false);
    bt_store_playlist p;
    assert_int_equal(usb_active(&s->f, &p), 1);
    assert_int_equal(p.version, 3);
    snprintf(cmd, sizeof(cmd), "diff -r -x MANIFEST -x MANIFEST.sig '%s' '%s'", pkg, p.dir);
    int status;
    char *out = bt_test_run(cmd, &status);
    if (status != 0)
        fail_msg("the stored playlist differs from the stick:\n%s", out);
    free(out);
    pkg_path(s, "v1", pkg, sizeof(pkg)); /* back to v1 for the tests after this one */
    import_ok(&s->f, pkg, true);
}

typedef struct {
    char path[1200];
    bool grow;        /* append a byte; else flip a byte far behind what was read */
    bool done;
} change_ctx;

/* Changes the file on the stick once the import has read its first part. */
static void change_mid_copy(void *ctx, const bt_usb_progress *p)
{
    change_ctx *c = ctx;
    if (c->done || p->stage != BT_USB_STAGE_COPY || !p->file ||
        strcmp(p->file, "tai-lieu/ke-hoach.bin") != 0 || p->bytes_done == 0)
        return;
    c->done = true;
    FILE *f = fopen(c->path, "r+b");
    assert_non_null(f);
    if (c->grow) {
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        assert_int_equal(fputc('x', f), 'x');
    } else {
        assert_int_equal(fseek(f, 39000000, SEEK_SET), 0);
        int byte = fgetc(f);
        assert_int_equal(fseek(f, 39000000, SEEK_SET), 0);
        assert_int_equal(fputc(byte ^ 0x5A, f), byte ^ 0x5A);
    }
    assert_int_equal(fclose(f), 0);
}

/* A file changed on the stick while it is being copied, after the import read (and hashed)
 * its first part: rewritten further on, or grown. Neither version may reach the store. */
static void test_refuses_file_changed_during_copy(void **st)
{
    state *s = *st;
    for (int grow = 0; grow <= 1; grow++) {
        char pkg[1024];
        pkg_path(s, grow ? "grown" : "rewritten", pkg, sizeof(pkg));
        usb_make_playlist(pkg, 2);
        /* Larger than one read of the import (16 MiB), so the change lands mid-copy. */
        usb_sh("mkdir -p '%s/tai-lieu' && head -c 40000000 /dev/urandom > "
               "'%s/tai-lieu/ke-hoach.bin'", pkg, pkg);
        usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
        int objects = usb_count_entries(&s->f, "objects");
        int playlists = usb_count_entries(&s->f, "playlists");
        change_ctx c = {.grow = grow};
        snprintf(c.path, sizeof(c.path), "%s/tai-lieu/ke-hoach.bin", pkg);
        bt_usb_options o;
        usb_options(&s->f, &o);
        o.progress = change_mid_copy;
        o.progress_ctx = &c;
        bt_usb_result r;
        assert_int_equal(bt_usb_import(pkg, &o, &r), -1);
        assert_true(c.done);
        char *text = bt_usb_result_text(&r);
        assert_int_equal(r.outcome, BT_USB_REFUSED);
        assert_non_null(strstr(text, "tai-lieu/ke-hoach.bin: lỗi: nội dung khác với MANIFEST"));
        free(text);
        bt_usb_result_free(&r);
        assert_v1_unchanged(s, objects, playlists);
    }
}

static void cancel_in_copy(void *ctx, const bt_usb_progress *p)
{
    if (p->stage == BT_USB_STAGE_COPY && p->bytes_done > 0)
        atomic_store((atomic_bool *)ctx, true);
}

static void test_cancel_keeps_playlist(void **st)
{
    state *s = *st;
    char pkg[1024];
    pkg_path(s, "cancel", pkg, sizeof(pkg));
    usb_make_playlist(pkg, 2);
    usb_sh("mkdir -p '%s/tai-lieu' && head -c 9000000 /dev/urandom > '%s/tai-lieu/ke-hoach.bin'",
           pkg, pkg);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    int objects = usb_count_entries(&s->f, "objects");
    int playlists = usb_count_entries(&s->f, "playlists");
    atomic_bool cancel = false;
    bt_usb_options o;
    usb_options(&s->f, &o);
    o.progress = cancel_in_copy;
    o.progress_ctx = &cancel;
    o.cancel = &cancel;
    bt_usb_result r;
    assert_int_equal(bt_usb_import(pkg, &o, &r), -1);
    assert_int_equal(r.outcome, BT_USB_CANCELLED);
    bt_usb_result_free(&r);
    assert_v1_unchanged(s, objects, playlists);
}

static bool mount_tmpfs(const char *dir, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof(opts), "size=%s", size);
    umount(dir);
    return mount("tmpfs", dir, "tmpfs", 0, opts) == 0;
}

/* A write-protected stick and a full one: the import counts, the note says why there is no
 * receipt. Needs permission to mount a tmpfs (root); skipped otherwise. */
static void test_read_only_and_full_stick(void **st)
{
    state *s = *st;
    char stick[1024], pkg[1100];
    snprintf(stick, sizeof(stick), "%s/sticks/ro", s->f.root);
    usb_sh("mkdir -p '%s'", stick);
    if (!mount_tmpfs(stick, "2m")) {
        fprintf(stderr, "(không gắn được tmpfs: %s — bỏ qua phần USB chỉ đọc/đầy)\n",
                strerror(errno));
        skip();
    }
    snprintf(pkg, sizeof(pkg), "%s/bangtin", stick);
    usb_make_playlist(pkg, 3);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    assert_int_equal(mount("tmpfs", stick, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), 0);
    bt_usb_result r;
    assert_int_equal(import_pkg(&s->f, pkg, false, &r), 0);
    assert_non_null(strstr(r.stick_note, "USB đang ở chế độ chỉ đọc"));
    assert_non_null(strstr(r.stick_note, "Playlist mới vẫn đã được nạp."));
    bt_usb_result_free(&r);

    /* Full: writable again, then filled up. */
    assert_int_equal(mount("tmpfs", stick, "tmpfs", MS_REMOUNT, "size=2m"), 0);
    usb_make_playlist(pkg, 4);
    usb_sign_dir(pkg, s->f.ward_key, NULL, 0);
    usb_sh("head -c 4000000 /dev/zero > '%s/day.bin' 2>/dev/null; true", stick);
    assert_int_equal(import_pkg(&s->f, pkg, false, &r), 0);
    assert_non_null(strstr(r.stick_note, "USB đã đầy"));
    bt_usb_result_free(&r);
    umount(stick);

    bt_store_playlist p;
    assert_int_equal(usb_active(&s->f, &p), 1);
    assert_int_equal(p.version, 4);
    /* Back to v1 for whatever runs next. */
    char v1[1024];
    pkg_path(s, "v1", v1, sizeof(v1));
    import_ok(&s->f, v1, true);
}

/* Rollback walks back through the kept playlists; the store keeps usb.keep_playlists of them. */
static void test_rollback_and_pruning(void **st)
{
    (void)st;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-rollback", "usb = { keep_playlists = 2; };");
    char pkg[1200];
    for (int v = 1; v <= 3; v++) {
        snprintf(pkg, sizeof(pkg), "%s/v%d/bangtin", f.root, v);
        usb_make_playlist(pkg, v);
        usb_sign_dir(pkg, f.ward_key, NULL, 0);
        import_ok(&f, pkg, false);
    }
    /* v1 is gone: two playlist directories, and v1's playlist.cfg object is deleted while the
     * image and audio every version shares stay once. */
    assert_int_equal(usb_count_entries(&f, "playlists"), 2);
    assert_int_equal(usb_count_entries(&f, "objects"), 4);

    bt_usb_options o;
    usb_options(&f, &o);
    bt_usb_result r;
    assert_int_equal(bt_usb_rollback(&o, &r), 0);
    assert_string_equal(r.headline, "Đã quay lại 'Tuyên truyền CCHC Quý IV/2025' (phiên bản 2): "
                                    "3 thông báo, 1 bản tin.");
    bt_usb_result_free(&r);
    bt_store_playlist p;
    assert_int_equal(usb_active(&f, &p), 1);
    assert_int_equal(p.version, 2);
    /* v3 was rolled back and v1 is no longer kept: nothing further back. */
    assert_int_equal(bt_usb_rollback(&o, &r), -1);
    assert_int_equal(r.outcome, BT_USB_REFUSED);
    assert_non_null(strstr(r.headline, "Không có playlist nào trước đó"));
    bt_usb_result_free(&r);
    assert_int_equal(usb_active(&f, &p), 1);
    assert_int_equal(p.version, 2);

    /* The CLI says the same. */
    char cmd[4096];
    int status;
    snprintf(cmd, sizeof(cmd), BANGTIN " --config '%s' --data '%s' rollback", f.cfg_path, f.data);
    char *out = bt_test_run(cmd, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(out, "Không có playlist nào trước đó"));
    assert_non_null(strstr(out, BT_USB_KEPT_MESSAGE));
    free(out);
}

/* Packs version v of the basic playlist into f.root/signed-<v>/bangtin with `pack`'s own code,
 * signed at `at`. */
static void pack_signed_at(usb_fixture *f, int v, bt_wall at, char *pkg, size_t size)
{
    char src[1200];
    snprintf(src, sizeof(src), "%s/src-%d", f->root, v);
    usb_make_playlist(src, v);
    snprintf(pkg, size, "%s/signed-%d", f->root, v);
    usb_sh("rm -rf '%s' && mkdir -p '%s'", pkg, pkg);
    strncat(pkg, "/bangtin", size - strlen(pkg) - 1);
    bt_diags d;
    bt_diags_init(&d);
    if (bt_package_pack(src, pkg, f->ward_key, at, NULL, &d) != 0)
        fail_msg("pack: %s", d.count ? d.items[0].message : "?");
    bt_diags_free(&d);
}

/* Imports pkg as if the appliance's clock read `now`; expects it imported. */
static void import_at(usb_fixture *f, const char *pkg, bt_wall now, bt_usb_result *r,
                      char **text)
{
    bt_usb_options o;
    usb_options(f, &o);
    o.now = now;
    int rc = bt_usb_import(pkg, &o, r);
    *text = bt_usb_result_text(r);
    assert_non_null(*text);
    if (rc != 0)
        fail_msg("import of %s refused: %s", pkg, *text);
}

/* The signing time travels in the signed package; the import compares the appliance's clock with
 * it and says plainly, in the result the panel shows and on the receipt, when the clock is
 * behind it by more than two minutes. Ahead is normal; a package from an older pack (no signing
 * time) is imported without the check; an edited signing time is refused like any edited file. */
static void test_signing_time_against_the_clock(void **st)
{
    (void)st;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-signed-at", NULL);
    const bt_wall signed_at = bt_time_from_civil(2025, 11, 25, 7, 0, 0);
    char pkg[1300];
    bt_usb_result r;
    char *text;

    /* What pack wrote: the file is listed in the signed MANIFEST and passes `check`. */
    pack_signed_at(&f, 1, signed_at, pkg, sizeof(pkg));
    char path[1400];
    snprintf(path, sizeof(path), "%s/" BT_PACKAGE_MANIFEST, pkg);
    size_t len;
    char *manifest = bt_test_read_file(path, &len);
    assert_non_null(manifest);
    assert_non_null(strstr(manifest, " " BT_PACKAGE_SIGNED_AT_FILE "\n"));
    free(manifest);
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_package_check(pkg, &f.cfg, &d), 1);
    assert_int_equal(d.count, 0);
    bt_diags_free(&d);

    /* The appliance's clock a day behind: imported, with the warning and on the receipt. */
    import_at(&f, pkg, signed_at - BT_SECONDS_PER_DAY, &r, &text);
    assert_int_equal(r.signed_at, signed_at);
    assert_int_equal(r.clock_behind_seconds, BT_SECONDS_PER_DAY);
    if (!strstr(text, "cảnh báo: ĐỒNG HỒ CỦA MÁY ĐANG SAI: máy chỉ 07:00 ngày 24/11/2025, sớm hơn "
                      "lúc gói được ký (07:00 ngày 25/11/2025) 24 giờ — hãy đặt lại ngày giờ"))
        fail_msg("no clock warning in:\n%s", text);
    free(text);
    char *receipt = bt_test_read_file(r.receipt_path, &len);
    assert_non_null(receipt);
    assert_non_null(strstr(receipt, "Gói được ký lúc: 07:00 ngày 25/11/2025\r\n"));
    assert_non_null(strstr(receipt, "LƯU Ý: ĐỒNG HỒ CỦA MÁY ĐANG SAI"));
    assert_non_null(strstr(receipt, "cảnh báo: ĐỒNG HỒ CỦA MÁY ĐANG SAI"));
    free(receipt);
    bt_usb_result_free(&r);

    /* Within two minutes behind: the two clocks' drift, no warning. */
    pack_signed_at(&f, 2, signed_at, pkg, sizeof(pkg));
    import_at(&f, pkg, signed_at - BT_PACKAGE_CLOCK_SLACK_SECONDS, &r, &text);
    assert_int_equal(r.signed_at, signed_at);
    assert_int_equal(r.clock_behind_seconds, 0);
    assert_null(strstr(text, "ĐỒNG HỒ"));
    free(text);
    bt_usb_result_free(&r);

    /* Two minutes and a second behind: the warning, in minutes. */
    pack_signed_at(&f, 3, signed_at, pkg, sizeof(pkg));
    import_at(&f, pkg, signed_at - BT_PACKAGE_CLOCK_SLACK_SECONDS - 1, &r, &text);
    assert_int_equal(r.clock_behind_seconds, BT_PACKAGE_CLOCK_SLACK_SECONDS + 1);
    assert_non_null(strstr(text, "sớm hơn lúc gói được ký (07:00 ngày 25/11/2025) 3 phút"));
    free(text);
    bt_usb_result_free(&r);

    /* A package signed five days ago: normal. */
    pack_signed_at(&f, 4, signed_at, pkg, sizeof(pkg));
    import_at(&f, pkg, signed_at + 5 * BT_SECONDS_PER_DAY, &r, &text);
    assert_int_equal(r.clock_behind_seconds, 0);
    assert_null(strstr(text, "ĐỒNG HỒ"));
    free(text);
    receipt = bt_test_read_file(r.receipt_path, &len);
    assert_non_null(receipt);
    assert_non_null(strstr(receipt, "Gói được ký lúc: 07:00 ngày 25/11/2025\r\n"));
    assert_null(strstr(receipt, "LƯU Ý"));
    free(receipt);
    bt_usb_result_free(&r);

    /* Packed by an older bangtin (no signing time): imported, nothing compared, nothing said. */
    snprintf(pkg, sizeof(pkg), "%s/old/bangtin", f.root);
    usb_make_playlist(pkg, 5);
    usb_sign_dir(pkg, f.ward_key, NULL, 0);
    import_at(&f, pkg, bt_time_from_civil(2000, 1, 1, 0, 0, 0), &r, &text);
    assert_int_equal(r.signed_at, 0);
    assert_int_equal(r.clock_behind_seconds, 0);
    assert_null(strstr(text, "ĐỒNG HỒ"));
    free(text);
    bt_usb_result_free(&r);

    /* The time edited on the stick to hide a wrong clock: the signature covers it. */
    pack_signed_at(&f, 6, signed_at, pkg, sizeof(pkg));
    snprintf(path, sizeof(path), "%s/" BT_PACKAGE_SIGNED_AT_FILE, pkg);
    char digits[32];
    snprintf(digits, sizeof(digits), "%lld", (long long)signed_at);
    usb_replace_in_file(path, digits, "1700000000"); /* same length: only the hash differs */
    bt_usb_options o;
    usb_options(&f, &o);
    assert_int_equal(bt_usb_import(pkg, &o, &r), -1);
    assert_int_equal(r.outcome, BT_USB_REFUSED);
    text = bt_usb_result_text(&r);
    assert_non_null(strstr(text, BT_PACKAGE_SIGNED_AT_FILE ": lỗi: nội dung khác với MANIFEST"));
    free(text);
    bt_usb_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_stick_imports_and_plays),
        cmocka_unit_test(test_refuses_unsigned),
        cmocka_unit_test(test_refuses_untrusted_key),
        cmocka_unit_test(test_refuses_file_changed_after_signing),
        cmocka_unit_test(test_refuses_edited_manifest),
        cmocka_unit_test(test_refuses_missing_file),
        cmocka_unit_test(test_refuses_unlisted_file),
        cmocka_unit_test(test_refuses_dotdot_path),
        cmocka_unit_test(test_refuses_symlink_to_passwd),
        cmocka_unit_test(test_refuses_fifo),
        cmocka_unit_test(test_refuses_file_over_size_limit),
        cmocka_unit_test(test_refuses_png_of_100000_pixels),
        cmocka_unit_test(test_refuses_truncated_png),
        cmocka_unit_test(test_refuses_text_named_ogg),
        cmocka_unit_test(test_refuses_mostly_silent_item),
        cmocka_unit_test(test_refuses_invalid_playlist_cfg),
        cmocka_unit_test(test_refuses_folder_without_manifest),
        cmocka_unit_test(test_stick_pulled_mid_copy),
        cmocka_unit_test(test_awkward_sizes_stored_exactly),
        cmocka_unit_test(test_refuses_file_changed_during_copy),
        cmocka_unit_test(test_cancel_keeps_playlist),
        cmocka_unit_test(test_read_only_and_full_stick),
        cmocka_unit_test(test_rollback_and_pruning),
        cmocka_unit_test(test_signing_time_against_the_clock),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
