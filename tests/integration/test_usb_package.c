/* The package format and its tools: SHA-256 (SHA-NI path against libsodium), MANIFEST's one
 * canonical form and every malformed variant, keys and signatures, `keygen` and `pack` from
 * the command line, bt_package_check for `bangtin check`, stick detection, and the logs written
 * back onto the stick (Excel-safe CSV). */
#include "usb_fixture.h"

#include <sodium.h>
#include <sys/stat.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_proof.h"

static void test_sha256_matches_libsodium(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    enum { MAX = 5000 };
    unsigned char *data = malloc(MAX);
    randombytes_buf(data, MAX);
    for (size_t len = 0; len < MAX; len += len < 200 ? 1 : 97) {
        unsigned char want[32], got[32];
        crypto_hash_sha256(want, data, len);
        /* Whole, then in uneven pieces that straddle the 64-byte blocks. */
        for (size_t piece = 0; piece < 3; piece++) {
            bt_sha256 h;
            bt_sha256_init(&h);
            for (size_t pos = 0; pos < len;) {
                size_t n = piece == 0 ? len : piece == 1 ? 1 + pos % 7 : 63 + pos % 3;
                n = n > len - pos ? len - pos : n;
                bt_sha256_update(&h, data + pos, n);
                pos += n;
            }
            bt_sha256_final(&h, got);
            assert_memory_equal(want, got, 32);
        }
    }
    free(data);
    char hex[BT_SHA256_HEX_SIZE];
    bt_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    printf("SHA-256: %s\n", bt_sha256_native() ? "SHA-NI" : "C thuần");
}

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

static void test_manifest_canonical_round_trip(void **state)
{
    (void)state;
    const char *text = "bangtin-manifest 1\n" H1 " 1305 playlist.cfg\n" H2
                       " 0 ảnh/sơ đồ một cửa.png\n";
    bt_manifest m;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_manifest_parse(text, strlen(text), &m, &d), 0);
    assert_int_equal(m.count, 2);
    assert_int_equal(m.total_bytes, 1305);
    const bt_manifest_entry *e = bt_manifest_find(&m, "ảnh/sơ đồ một cửa.png");
    assert_non_null(e);
    assert_int_equal(e->line, 3);
    size_t len;
    char *again = bt_manifest_format(&m, &len);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(again, text, len);
    free(again);
    bt_manifest_free(&m);
    bt_diags_free(&d);
}

static void expect_bad_manifest(const char *text, const char *message)
{
    bt_manifest m;
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_manifest_parse(text, strlen(text), &m, &d), -1);
    assert_int_equal(m.count, 0);
    bool found = false;
    for (size_t i = 0; i < d.count; i++)
        found = found || strstr(d.items[i].message, message) != NULL;
    if (!found)
        fail_msg("MANIFEST %s: expected \"%s\", got \"%s\"", text, message,
                 d.count ? d.items[0].message : "(nothing)");
    bt_diags_free(&d);
}

static void test_manifest_rejects_every_variant(void **state)
{
    (void)state;
    expect_bad_manifest("bangtin-manifest 2\n", "dòng đầu phải là");
    expect_bad_manifest("bangtin-manifest 1\r\n" H1 " 1 a\r\n", "xuống dòng kiểu Windows");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 a", "bị cắt cụt");
    expect_bad_manifest("bangtin-manifest 1\n" H2 " 1 b\n" H1 " 1 a\n", "sai thứ tự");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 a\n" H1 " 1 a\n", "trùng");
    expect_bad_manifest("bangtin-manifest 1\nABCDEF1111111111111111111111111111111111111111111111"
                        "111111111111 1 a\n", "không đúng dạng");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 01 a\n", "số byte không hợp lệ");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 99999999999999999999 a\n",
                        "số byte không hợp lệ");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 /etc/passwd\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 images/../../x\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 ./a\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 a//b\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 a\\b\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 a\tb\n", "không an toàn");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 MANIFEST\n", "không được liệt kê chính nó");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 images\n" H2 " 1 images/a.png\n",
                        "vừa là tệp vừa là thư mục");
    expect_bad_manifest("bangtin-manifest 1\n" H1 " 1 \xC3\n", "UTF-8");
}

static void test_keys_and_signatures(void **state)
{
    (void)state;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-keys", NULL);
    struct stat st;
    assert_int_equal(stat(f.ward_key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char err[1024], base[800];
    snprintf(base, sizeof(base), "%s/ward", f.root);
    assert_int_equal(bt_package_keygen(base, NULL, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "đã có"));

    const char *manifest = "bangtin-manifest 1\n" H1 " 1 a\n";
    unsigned char secret[64], other[64];
    char id[BT_PACKAGE_KEY_ID_SIZE], signer[BT_PACKAGE_KEY_ID_SIZE];
    assert_int_equal(bt_package_read_secret_key(f.ward_key, secret, id, err, sizeof(err)), 0);
    assert_int_equal(bt_package_read_secret_key(f.other_key, other, NULL, err, sizeof(err)), 0);
    bt_package_public_key pub;
    assert_int_equal(bt_package_read_public_key(f.ward_pub, &pub, err, sizeof(err)), 0);
    assert_string_equal(pub.id, id);

    bt_diags d;
    bt_diags_init(&d);
    char *sig = bt_package_sign(manifest, strlen(manifest), secret);
    assert_int_equal(bt_package_verify(manifest, strlen(manifest), sig, strlen(sig),
                                       &f.cfg.trusted_keys, signer, &d), BT_SIGNATURE_VALID);
    assert_string_equal(signer, id);
    /* One changed byte of MANIFEST: the trusted key named in the signature no longer matches. */
    char tampered[256];
    snprintf(tampered, sizeof(tampered), "%s", manifest);
    tampered[strlen(tampered) - 2] = 'b';
    assert_int_equal(bt_package_verify(tampered, strlen(tampered), sig, strlen(sig),
                                       &f.cfg.trusted_keys, signer, &d), BT_SIGNATURE_BAD);
    char *sig_other = bt_package_sign(manifest, strlen(manifest), other);
    assert_int_equal(bt_package_verify(manifest, strlen(manifest), sig_other, strlen(sig_other),
                                       &f.cfg.trusted_keys, signer, &d), BT_SIGNATURE_UNTRUSTED);
    assert_int_equal(bt_package_verify(manifest, strlen(manifest), NULL, 0, &f.cfg.trusted_keys,
                                       signer, &d), BT_SIGNATURE_MISSING);
    const char *fake = "chữ ký giả\n";
    assert_int_equal(bt_package_verify(manifest, strlen(manifest), fake, strlen(fake),
                                       &f.cfg.trusted_keys, signer, &d), BT_SIGNATURE_MALFORMED);
    assert_int_equal(d.errors, 0);
    free(sig);
    free(sig_other);
    bt_diags_free(&d);

    /* A public key file where a secret one is expected is refused, with the reason. */
    assert_int_equal(bt_package_read_secret_key(f.ward_pub, secret, NULL, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "không phải tệp khoá bí mật"));
}

static void test_keygen_pack_and_check(void **state)
{
    (void)state;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-pack", NULL);
    char cmd[4096], dest[1024], src[1024];
    snprintf(cmd, sizeof(cmd), BANGTIN " keygen --out '%s/phuong'", f.root);
    char *out = bt_test_run_expect(cmd, 0);
    assert_non_null(strstr(out, "Đã tạo cặp khoá, mã khoá "));
    free(out);

    snprintf(dest, sizeof(dest), "%s/usb/bangtin", f.root);
    usb_sh("mkdir -p '%s/usb'", f.root);
    snprintf(cmd, sizeof(cmd), BANGTIN " --config '%s' pack '%s' '%s' --key '%s'", f.cfg_path,
             USB_BASIC, dest, f.ward_key);
    out = bt_test_run_expect(cmd, 0);
    assert_non_null(strstr(out, "Đã đóng gói"));
    free(out);
    /* What check (and the import) read: signed by the trusted key, every hash right. */
    bt_diags d;
    bt_diags_init(&d);
    assert_int_equal(bt_package_check(dest, &f.cfg, &d), 1);
    assert_int_equal(d.count, 0);
    /* What pack wrote imports from the command line. */
    char import_cmd[4096];
    snprintf(import_cmd, sizeof(import_cmd),
             BANGTIN " --config '%s' --data '%s' import '%s' --no-write-back", f.cfg_path, f.data,
             dest);
    out = bt_test_run_expect(import_cmd, 0);
    assert_non_null(strstr(out, "Đã nạp 'Tuyên truyền CCHC Quý IV/2025': 3 thông báo, 1 bản tin. "
                                "Có thể rút USB."));
    free(out);
    /* DEST exists now: pack never writes over it. */
    out = bt_test_run_expect(cmd, 1);
    assert_non_null(strstr(out, "đã có"));
    free(out);

    /* One changed byte: check names the file. */
    char path[1200];
    snprintf(path, sizeof(path), "%s/playlist.cfg", dest);
    usb_replace_in_file(path, "Giờ làm việc", "Giờ làm việt");
    assert_int_equal(bt_package_check(dest, &f.cfg, &d), 1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].file, "playlist.cfg");
    assert_non_null(strstr(d.items[0].message, "mã SHA-256 không khớp"));
    bt_diags_free(&d);
    /* A cut PNG, signed as it is: check says so (and the caller must not decode it). */
    char cut[1100];
    snprintf(cut, sizeof(cut), "%s/usb/cut", f.root);
    usb_make_playlist(cut, 3);
    snprintf(path, sizeof(path), "%s/images/so-do.png", cut);
    assert_int_equal(truncate(path, 120), 0);
    usb_sign_dir(cut, f.ward_key, NULL, 0);
    bt_diags_init(&d);
    assert_int_equal(bt_package_check(cut, &f.cfg, &d), 1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].file, "images/so-do.png");
    assert_non_null(strstr(d.items[0].message, "tệp PNG bị cụt"));
    bt_diags_free(&d);
    /* A plain playlist folder is not a package: check validates it as before. */
    bt_diags_init(&d);
    assert_int_equal(bt_package_check(USB_BASIC, &f.cfg, &d), 0);
    assert_int_equal(d.count, 0);
    bt_diags_free(&d);

    /* pack refuses what the import would refuse, before writing anything. */
    snprintf(src, sizeof(src), "%s/src-link", f.root);
    usb_make_playlist(src, 5);
    usb_sh("ln -s /etc/passwd '%s/images/passwd.png'", src);
    snprintf(dest, sizeof(dest), "%s/usb/bangtin-2", f.root);
    snprintf(cmd, sizeof(cmd), BANGTIN " --config '%s' pack '%s' '%s' --key '%s'", f.cfg_path,
             src, dest, f.ward_key);
    out = bt_test_run_expect(cmd, 1);
    assert_non_null(strstr(out, "images/passwd.png: lỗi: là liên kết"));
    free(out);
    assert_int_equal(access(dest, F_OK), -1);
    /* … and an invalid playlist, with the validator's file:line. */
    usb_sh("rm '%s/images/passwd.png'", src);
    snprintf(path, sizeof(path), "%s/playlist.cfg", src);
    usb_replace_in_file(path, "kind = \"qr\";", "kind = \"audio\";");
    out = bt_test_run_expect(cmd, 1);
    assert_non_null(strstr(out, "playlist.cfg:11: lỗi:"));
    free(out);
    /* The public key is no secret key. */
    usb_replace_in_file(path, "kind = \"audio\";", "kind = \"qr\";");
    snprintf(cmd, sizeof(cmd), BANGTIN " --config '%s' pack '%s' '%s' --key '%s'", f.cfg_path,
             src, dest, f.ward_pub);
    out = bt_test_run_expect(cmd, 1);
    assert_non_null(strstr(out, "không phải tệp khoá bí mật"));
    free(out);
}

/* usb.require_signature = false (testing only): an unsigned package imports, with a warning. */
static void test_unsigned_accepted_when_not_required(void **state)
{
    (void)state;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-nosig", "usb = { require_signature = false; };");
    char pkg[1024];
    snprintf(pkg, sizeof(pkg), "%s/stick/bangtin", f.root);
    usb_make_playlist(pkg, 1);
    usb_sign_dir(pkg, NULL, NULL, 0);
    bt_usb_options o;
    usb_options(&f, &o);
    o.write_back = false;
    bt_usb_result r;
    assert_int_equal(bt_usb_import(pkg, &o, &r), 0);
    assert_int_equal(r.diags.errors, 0);
    assert_int_equal(r.diags.warnings, 1);
    assert_non_null(strstr(r.diags.items[0].message, "vẫn nhận vì usb.require_signature = false"));
    bt_usb_result_free(&r);
    /* The hashes are still checked. */
    snprintf(pkg, sizeof(pkg), "%s/stick2/bangtin", f.root);
    usb_make_playlist(pkg, 2);
    usb_sign_dir(pkg, NULL, NULL, 0);
    char path[1200];
    snprintf(path, sizeof(path), "%s/playlist.cfg", pkg);
    usb_replace_in_file(path, "Giờ làm việc", "Giờ làm việt");
    assert_int_equal(bt_usb_import(pkg, &o, &r), -1);
    assert_int_equal(r.outcome, BT_USB_REFUSED);
    bt_usb_result_free(&r);
}

static void test_poller_reports_each_stick_once(void **state)
{
    (void)state;
    char *root = bt_test_temp_dir("usb-poll");
    bt_config_paths roots = {.count = 2};
    snprintf(roots.paths[0], sizeof(roots.paths[0]), "%s/media", root);
    snprintf(roots.paths[1], sizeof(roots.paths[1]), "%s/mnt", root);
    usb_sh("mkdir -p '%s/media/cb/USB-PHUONG' '%s/media/cb/KHAC/tai-lieu' '%s/mnt'", root, root,
           root);
    bt_usb_poller *p;
    assert_int_equal(bt_usb_poller_create(&roots, &p), 0);
    char path[BT_MAX_PATH_BYTES], want[BT_MAX_PATH_BYTES];
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 0);

    /* /media/USER/LABEL/bangtin, as udisks2 mounts it. Away from a real mount point, a folder
     * named bangtin is a package when it holds a package's file. */
    usb_sh("mkdir '%s/media/cb/USB-PHUONG/bangtin' && "
           "touch '%s/media/cb/USB-PHUONG/bangtin/MANIFEST'", root, root);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 1);
    snprintf(want, sizeof(want), "%s/media/cb/USB-PHUONG/bangtin", root);
    assert_string_equal(path, want);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 0);

    /* A stick mounted straight on /mnt; a symlink is never followed. */
    usb_sh("mkdir '%s/mnt/bangtin' && touch '%s/mnt/bangtin/MANIFEST' && "
           "ln -s '%s/media/cb/USB-PHUONG' '%s/mnt/link'", root, root, root, root);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 1);
    snprintf(want, sizeof(want), "%s/mnt/bangtin", root);
    assert_string_equal(path, want);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 0);

    /* Pulled out and plugged in again: new again. */
    usb_sh("rm -r '%s/media/cb/USB-PHUONG/bangtin'", root);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 0);
    usb_sh("mkdir '%s/media/cb/USB-PHUONG/bangtin' && "
           "touch '%s/media/cb/USB-PHUONG/bangtin/MANIFEST'", root, root);
    assert_int_equal(bt_usb_poller_poll(p, path, sizeof(path)), 1);
    bt_usb_poller_destroy(p);
    free(root);
}

/* The logs on the stick: UTF-8 with BOM, CRLF, quoted; a title that Excel would run as a
 * formula is defused with an apostrophe. */
static void test_logs_on_stick_are_excel_safe(void **state)
{
    (void)state;
    usb_fixture f;
    usb_fixture_setup(&f, "usb-logs", NULL);
    char path[1200], err[512];
    usb_sh("mkdir -p '%s'", f.data);
    snprintf(path, sizeof(path), "%s/%s", f.data, BT_STORE_FILE);
    bt_store *s = NULL;
    assert_int_equal(bt_store_open(path, &s, err, sizeof(err)), 0);
    bt_airing_subject subj;
    memset(&subj, 0, sizeof(subj));
    snprintf(subj.item_id, sizeof(subj.item_id), "tin-1");
    snprintf(subj.title, sizeof(subj.title), "=HYPERLINK(\"http://x\",\"Bấm\")");
    snprintf(subj.playlist_id, sizeof(subj.playlist_id), "usb-thu");
    subj.playlist_version = 1;
    snprintf(subj.session_id, sizeof(subj.session_id), "ban-tin-sang");
    subj.scheduled_at = 1763935200; /* 2025-11-24 05:00 in Hà Nội */
    int64_t id;
    assert_int_equal(bt_airing_record(s, &subj, BT_AIRING_MISSED, "máy tắt", true, &id), 0);
    bt_proof_row row = {.playlist_id = "usb-thu", .notice_id = "qr-usb", .shows = 3,
                        .seconds = 60, .day = bt_time_day_of(1763935200)};
    assert_int_equal(bt_store_add_impressions(s, &row, 1), 0);
    bt_store_close(s);

    char pkg[1024];
    snprintf(pkg, sizeof(pkg), "%s/stick/bangtin", f.root);
    usb_make_playlist(pkg, 1);
    usb_sign_dir(pkg, f.ward_key, NULL, 0);
    bt_usb_options o;
    usb_options(&f, &o);
    bt_usb_result r;
    assert_int_equal(bt_usb_import(pkg, &o, &r), 0);
    bt_usb_result_free(&r);

    size_t len;
    snprintf(path, sizeof(path), "%s/stick/bangtin-ket-qua/nhat-ky-loa-2025-Q4.csv", f.root);
    char *csv = bt_test_read_file(path, &len);
    assert_non_null(csv);
    /* ';' between fields, as a Vietnamese-locale Excel splits them on a double-click */
    const char *want = "1;\"24/11/2025\";\"05:00\";\"ban-tin-sang\";\"tin-1\";"
                       "\"'=HYPERLINK(\"\"http://x\"\",\"\"Bấm\"\")\";\"\";\"usb-thu\";1;\"\";"
                       "\"\";;\"bỏ lỡ\";\"máy tắt\";\"có\"\r\n";
    if (!strstr(csv, want))
        fail_msg("CSV:\n%s", csv);
    free(csv);
    snprintf(path, sizeof(path), "%s/stick/bangtin-ket-qua/trinh-chieu-2025-Q4.csv", f.root);
    csv = bt_test_read_file(path, &len);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\"24/11/2025\";\"usb-thu\";\"qr-usb\";3;60;0;0\r\n"));
    free(csv);
    /* Quý III has no rows but its files are there, with their header. */
    snprintf(path, sizeof(path), "%s/stick/bangtin-ket-qua/trinh-chieu-2025-Q3.csv", f.root);
    csv = bt_test_read_file(path, &len);
    assert_non_null(csv);
    assert_string_equal(csv, "\xEF\xBB\xBF\"Ngày\";\"Playlist\";\"Thông báo\";\"Số lần hiển "
                             "thị\";\"Số giây trên màn hình\";\"Lượt video chiếu trọn\";\"Lượt video "
                             "bị cắt ngang\"\r\n");
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_libsodium),
        cmocka_unit_test(test_manifest_canonical_round_trip),
        cmocka_unit_test(test_manifest_rejects_every_variant),
        cmocka_unit_test(test_keys_and_signatures),
        cmocka_unit_test(test_keygen_pack_and_check),
        cmocka_unit_test(test_unsigned_accepted_when_not_required),
        cmocka_unit_test(test_poller_reports_each_stick_once),
        cmocka_unit_test(test_logs_on_stick_are_excel_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
