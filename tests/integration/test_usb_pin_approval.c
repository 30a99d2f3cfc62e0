/* A stick without a trusted signature approved with the staff PIN (issue 12, item 2), through
 * the usb room's import and the panel's real state machine (core/panel_state.c) standing in for
 * the kiosk's keypad: with usb.unsigned = "pin" an unsigned package is copied and checked like
 * a signed one, then staff are shown what it would load and change; the right PIN imports it,
 * the activation keeps the time of the PIN (the store's history) and the receipt says "được
 * duyệt bằng mã PIN"; five wrong PINs lock the entry and change nothing; two minutes without an
 * answer change nothing, and the receipt says why; a package signed by a key the appliance does
 * not trust is asked about too, one whose signature does not match is refused without asking;
 * without the setting (or with nothing to ask on, as `bangtin import`) an unsigned stick is
 * refused exactly as before. "Nothing changed": the active playlist in the store, the content
 * store's objects and playlist folders, and no temporary file left. */
#include "usb_fixture.h"

#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_panel_state.h"

#define PIN "2468"
#define PIN_CFG "usb = { unsigned = \"pin\"; }; panel = { pin = \"" PIN "\"; };"

/* How the fake staff member answers, played on the real state machine. */
typedef enum { TYPE_RIGHT, TYPE_WRONG_FIVE, WALK_AWAY, PRESS_CANCEL } staff_does;

typedef struct {
    staff_does does;
    int asked;
    bt_usb_preview seen;
    bt_approval_status ended;
} staff;

/* bt_usb_approve_fn: the kiosk's keypad, without SDL. Time in ms from the question. */
static bt_usb_approval approve(void *ctx, const bt_usb_preview *p, bt_wall *approved_at)
{
    staff *s = ctx;
    s->asked++;
    s->seen = *p;
    bt_panel_state ps;
    bt_panel_state_init(&ps, PIN, 60);
    assert_true(bt_panel_state_approval_begin(&ps, 0));
    int64_t t = 0;
    switch (s->does) {
    case TYPE_RIGHT:
        for (const char *d = PIN; *d; d++)
            bt_panel_state_input(&ps, BT_PANEL_IN_DIGIT, *d - '0', t += 400);
        bt_panel_state_input(&ps, BT_PANEL_IN_ENTER, 0, t += 400);
        break;
    case TYPE_WRONG_FIVE:
        for (int i = 0; i < BT_PANEL_MAX_WRONG_PINS; i++) {
            bt_panel_state_input(&ps, BT_PANEL_IN_DIGIT, 1, t += 400);
            bt_panel_state_input(&ps, BT_PANEL_IN_ENTER, 0, t += 400);
        }
        assert_true(ps.locked_until_ms > 0);
        break;
    case WALK_AWAY:
        for (t = 0; ps.mode == BT_PANEL_APPROVE && t <= BT_PANEL_APPROVAL_MS; t += 1000)
            bt_panel_state_tick(&ps, t);
        break;
    case PRESS_CANCEL:
        bt_panel_state_input(&ps, BT_PANEL_IN_ESCAPE, 0, t += 400);
        break;
    }
    s->ended = bt_panel_state_approval_take(&ps);
    *approved_at = 1763942400 + 95; /* 07:01:35, the moment of the right PIN */
    return bt_kiosk_usb_approval_of(s->ended);
}

typedef struct {
    usb_fixture f;
    char v1[1024];
} fixture;

/* The ward's signed v1 is active; config as given. */
static void setup(fixture *x, const char *name, const char *cfg)
{
    usb_fixture_setup(&x->f, name, cfg);
    snprintf(x->v1, sizeof x->v1, "%s/sticks/v1/bangtin", x->f.root);
    usb_make_playlist(x->v1, 1);
    usb_sign_dir(x->v1, x->f.ward_key, NULL, 0);
    bt_usb_options o;
    bt_usb_result r;
    usb_options(&x->f, &o);
    if (bt_usb_import(x->v1, &o, &r) != 0)
        fail_msg("v1: %s", r.headline);
    bt_usb_result_free(&r);
}

/* v2 in sticks/<name>/bangtin, signed with key (NULL: unsigned). */
static void make_v2(fixture *x, const char *name, const char *key, char *pkg, size_t size)
{
    snprintf(pkg, size, "%s/sticks/%s/bangtin", x->f.root, name);
    usb_make_playlist(pkg, 2);
    usb_sign_dir(pkg, key, NULL, 0);
}

static int import_with(fixture *x, const char *pkg, staff *s, bt_usb_result *r)
{
    bt_usb_options o;
    usb_options(&x->f, &o);
    if (s) {
        o.approve = approve;
        o.approve_ctx = s;
    }
    return bt_usb_import(pkg, &o, r);
}

static char *receipt_of(const bt_usb_result *r)
{
    assert_true(r->receipt_path[0] != '\0');
    size_t len;
    char *text = bt_test_read_file(r->receipt_path, &len);
    assert_non_null(text);
    assert_memory_equal(text, "\xEF\xBB\xBF", 3);
    return text;
}

typedef struct {
    int objects, playlists;
} store_count;

static store_count count_store(fixture *x)
{
    return (store_count){usb_count_entries(&x->f, "objects"),
                         usb_count_entries(&x->f, "playlists")};
}

/* v1 is still the active playlist and the content store holds what it held. */
static void assert_nothing_changed(fixture *x, store_count before)
{
    bt_store_playlist p;
    assert_int_equal(usb_active(&x->f, &p), 1);
    assert_string_equal(p.id, "usb-thu");
    assert_int_equal(p.version, 1);
    store_count now = count_store(x);
    assert_int_equal(now.objects, before.objects);
    assert_int_equal(now.playlists, before.playlists);
    assert_int_equal(usb_count_entries(&x->f, "tmp"), 0);
}

/* The stored active playlist's row (content store), with its PIN approval. */
static bt_content_playlist content_active(fixture *x)
{
    char path[1024], err[512];
    bt_store *s = NULL;
    bt_content_playlist cp;
    snprintf(path, sizeof path, "%s/%s", x->f.data, BT_STORE_FILE);
    assert_int_equal(bt_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bt_content_active(s, &cp), 1);
    bt_store_close(s);
    return cp;
}

static void test_right_pin_imports_and_is_logged(void **state)
{
    (void)state;
    fixture x;
    char pkg[1024];
    setup(&x, "pin-right", PIN_CFG);
    make_v2(&x, "v2", NULL, pkg, sizeof pkg);
    staff s = {.does = TYPE_RIGHT};
    bt_usb_result r;
    int rc = import_with(&x, pkg, &s, &r);
    if (rc != 0)
        fail_msg("not imported: %s", r.headline);
    assert_int_equal(s.asked, 1);
    assert_int_equal(s.ended, BT_APPROVAL_APPROVED);
    /* What staff were shown: the package as checked and what it changes against v1. */
    assert_string_equal(s.seen.title, "Tuyên truyền CCHC Quý IV/2025");
    assert_int_equal(s.seen.version, 2);
    assert_int_equal(s.seen.notices, 3);
    assert_int_equal(s.seen.sessions, 1);
    assert_int_equal(s.seen.signature, BT_SIGNATURE_MISSING);
    assert_true(s.seen.has_active);
    assert_int_equal(s.seen.active_version, 1);
    assert_false(s.seen.active_unreadable);
    /* v2 differs from v1 only in the QR notice's address. */
    assert_int_equal(s.seen.diff.count[BT_DIFF_NOTICES_CHANGED], 1);
    assert_string_equal(s.seen.diff.names[BT_DIFF_NOTICES_CHANGED][0], "Nộp hồ sơ trực tuyến");
    assert_int_equal(s.seen.diff.count[BT_DIFF_NOTICES_ADDED] +
                         s.seen.diff.count[BT_DIFF_NOTICES_REMOVED] +
                         s.seen.diff.count[BT_DIFF_SESSIONS_ADDED] +
                         s.seen.diff.count[BT_DIFF_SESSIONS_REMOVED],
                     0);
    /* Imported; the activation keeps when the PIN was entered. */
    assert_int_equal(r.approval, BT_USB_APPROVAL_APPROVED);
    assert_non_null(strstr(r.headline, "được duyệt bằng mã PIN lúc 07:01 ngày 24/11/2025"));
    bt_store_playlist p;
    assert_int_equal(usb_active(&x.f, &p), 1);
    assert_int_equal(p.version, 2);
    bt_content_playlist cp = content_active(&x);
    assert_int_equal(cp.pin_approved_at, 1763942400 + 95);
    assert_string_equal(cp.signer, "");
    char *text = receipt_of(&r);
    assert_non_null(strstr(text, "Kết quả: ĐÃ NẠP\r\n"));
    assert_non_null(strstr(text, "Duyệt: gói chưa có chữ ký tin cậy, được duyệt bằng mã PIN lúc "
                                 "07:01 ngày 24/11/2025\r\n"));
    assert_non_null(strstr(text, "phiên bản 2, chưa ký"));
    /* What they approved: the change shown on the screen, on the receipt. */
    assert_non_null(strstr(text, "Khác với playlist đang phát (như màn hình hiện khi hỏi mã "
                                 "PIN):\r\n- Thông báo sửa (1): «Nộp hồ sơ trực tuyến»\r\n"));
    free(text);
    bt_usb_result_free(&r);

    /* A signed v1 imported after it (a rollback by hand) is not marked approved. */
    x.f.cfg.usb_keep_playlists = 5;
    char v3[1024];
    make_v2(&x, "v3", x.f.ward_key, v3, sizeof v3);
    usb_sh("sed -i 's/^version = 2;/version = 3;/' '%s/playlist.cfg'", v3);
    usb_sign_dir(v3, x.f.ward_key, NULL, 0);
    s.asked = 0;
    assert_int_equal(import_with(&x, v3, &s, &r), 0);
    assert_int_equal(s.asked, 0); /* signed by the ward's key: nobody is asked */
    assert_int_equal(r.approval, BT_USB_APPROVAL_NONE);
    assert_int_equal(content_active(&x).pin_approved_at, 0);
    bt_usb_result_free(&r);
}

/* Imports pkg with staff doing `does`; expects a refusal naming `why` on the receipt too. */
static void expect_not_approved(fixture *x, const char *pkg, staff_does does,
                                bt_usb_approval expected, const char *why)
{
    store_count before = count_store(x);
    staff s = {.does = does};
    bt_usb_result r;
    assert_int_equal(import_with(x, pkg, &s, &r), -1);
    assert_int_equal(s.asked, 1);
    assert_int_equal(r.outcome, BT_USB_REFUSED);
    assert_int_equal(r.approval, expected);
    if (!strstr(r.headline, why))
        fail_msg("headline without \"%s\": %s", why, r.headline);
    assert_nothing_changed(x, before);
    char *text = receipt_of(&r);
    assert_non_null(strstr(text, "Kết quả: KHÔNG NẠP (gói chưa ký, không được duyệt bằng mã "
                                 "PIN)\r\n"));
    assert_non_null(strstr(text, why));
    assert_non_null(strstr(text, BT_USB_KEPT_MESSAGE "\r\n"));
    assert_null(strstr(text, "được duyệt bằng mã PIN lúc"));
    assert_non_null(strstr(text, "- Thông báo sửa (1): «Nộp hồ sơ trực tuyến»\r\n"));
    free(text);
    bt_usb_result_free(&r);
}

static void test_wrong_pin_five_times_changes_nothing(void **state)
{
    (void)state;
    fixture x;
    char pkg[1024];
    setup(&x, "pin-wrong", PIN_CFG);
    make_v2(&x, "v2", NULL, pkg, sizeof pkg);
    expect_not_approved(&x, pkg, TYPE_WRONG_FIVE, BT_USB_APPROVAL_LOCKED,
                        "nhập sai mã PIN 5 lần nên máy khoá ô nhập mã 30 giây");
}

static void test_no_answer_in_two_minutes_changes_nothing(void **state)
{
    (void)state;
    fixture x;
    char pkg[1024];
    setup(&x, "pin-timeout", PIN_CFG);
    make_v2(&x, "v2", NULL, pkg, sizeof pkg);
    expect_not_approved(&x, pkg, WALK_AWAY, BT_USB_APPROVAL_TIMED_OUT,
                        "không được duyệt — hết 2 phút chờ mà không ai nhập mã PIN");
    expect_not_approved(&x, pkg, PRESS_CANCEL, BT_USB_APPROVAL_REFUSED, "cán bộ đã bấm Huỷ");
}

static void test_untrusted_asked_tampered_refused(void **state)
{
    (void)state;
    fixture x;
    char pkg[1024];
    setup(&x, "pin-keys", PIN_CFG);
    /* Signed with a key the appliance does not trust: as good as unsigned, so staff decide. */
    make_v2(&x, "other", x.f.other_key, pkg, sizeof pkg);
    staff s = {.does = TYPE_RIGHT};
    bt_usb_result r;
    assert_int_equal(import_with(&x, pkg, &s, &r), 0);
    assert_int_equal(s.seen.signature, BT_SIGNATURE_UNTRUSTED);
    assert_true(s.seen.signer[0] != '\0');
    bt_usb_result_free(&r);
    /* The ward's signature over a MANIFEST edited afterwards: refused, nobody asked. */
    make_v2(&x, "edited", x.f.ward_key, pkg, sizeof pkg);
    usb_sh("sed -i 's/^version = 2;/version = 4;/' '%s/playlist.cfg'", pkg);
    char manifest[1100];
    snprintf(manifest, sizeof manifest, "%s/MANIFEST", pkg);
    usb_replace_in_file(manifest, "playlist.cfg", "playlist.cfg "); /* any byte changed */
    s.asked = 0;
    assert_int_equal(import_with(&x, pkg, &s, &r), -1);
    assert_int_equal(s.asked, 0);
    assert_int_equal(r.outcome, BT_USB_REFUSED);
    bt_usb_result_free(&r);
}

static void test_without_the_setting_refused_as_before(void **state)
{
    (void)state;
    fixture x;
    char pkg[1024];
    store_count before;
    staff s = {.does = TYPE_RIGHT};
    bt_usb_result r;
    const char *as_before = "MANIFEST.sig: lỗi: gói chưa được ký (thiếu tệp MANIFEST.sig) — máy "
                            "chỉ nhận gói có chữ ký của phường";
    /* usb.unsigned absent (the PIN set all the same): nobody is asked, the refusal of today. */
    setup(&x, "pin-absent", "panel = { pin = \"" PIN "\"; };");
    assert_false(bt_config_usb_asks_pin(&x.f.cfg));
    make_v2(&x, "v2", NULL, pkg, sizeof pkg);
    before = count_store(&x);
    assert_int_equal(import_with(&x, pkg, &s, &r), -1);
    char *text = bt_usb_result_text(&r);
    assert_non_null(strstr(text, as_before));
    free(text);
    assert_int_equal(s.asked, 0);
    assert_int_equal(r.approval, BT_USB_APPROVAL_NONE);
    assert_int_equal(r.stage, BT_USB_STAGE_VERIFY); /* refused before anything was copied */
    bt_usb_result_free(&r);
    assert_nothing_changed(&x, before);
    /* "pin" with nothing to ask on (`bangtin import`): refused the same way. */
    x.f.cfg = (bt_config){0};
    setup(&x, "pin-cli", PIN_CFG);
    make_v2(&x, "v2", NULL, pkg, sizeof pkg);
    before = count_store(&x);
    assert_int_equal(import_with(&x, pkg, NULL, &r), -1);
    text = bt_usb_result_text(&r);
    assert_non_null(strstr(text, as_before));
    free(text);
    bt_usb_result_free(&r);
    assert_nothing_changed(&x, before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_pin_imports_and_is_logged),
        cmocka_unit_test(test_wrong_pin_five_times_changes_nothing),
        cmocka_unit_test(test_no_answer_in_two_minutes_changes_nothing),
        cmocka_unit_test(test_untrusted_asked_tampered_refused),
        cmocka_unit_test(test_without_the_setting_refused_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
