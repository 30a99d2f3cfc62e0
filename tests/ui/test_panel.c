/* The staff panel and the USB overlays, headless: the PIN state machine driven with fake times
 * (wrong PIN does not open, right PIN opens, Esc and the inactivity timeout close, a long press
 * in the corner asks for the PIN); the panel rendered over the lobby screen in 1920×1080 and
 * 1080×1920 from a store with known targets and airings — the plan holds the right figures whole,
 * their pixels are inked, text contrast is ≥ 7:1, nothing leaves the screen, drawing again
 * rasterises nothing; a target the schedule can no longer reach reads "có nguy cơ không đạt" beside
 * a swatch in its colour; the progress, result and PIN overlays; the PIN entry's on-screen keypad
 * driven by clicks and fingers at its keys (also on a turned screen): the right PIN opens, a wrong
 * one says so, five lock it out for 30 s, 60 s idle closes it; the open panel's Đóng button
 * (finger-sized, in a corner, covering no text) closes it by click or finger, also on a turned
 * screen, while a press elsewhere does not; "Đặt ngày giờ" beside it: the clock page reached
 * by it, digits typed on its keypad (incomplete, impossible and too early entries said and not
 * set), a fake clock setter that refuses (no CAP_SYS_TIME: said, whole) then sets the time
 * typed, Huỷ back to the panel, on both orientations and turned; the real setter, its
 * capability dropped, refusing in Vietnamese; and the public results notice
 * (kind "results": validated, filled from the target's progress); the approval screen of a stick
 * without a trusted signature (usb.unsigned = "pin") in both orientations, with every kind of
 * change listed whole, keys a finger can press, a wrong PIN said and the right one approving.
 * Screenshots, for review,
 * are written to the build dir as test-panel-*.png. */
#include "ui_fixture.h"

#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_clock_set.h"
#include "bangtin/bt_panel.h"
#include "bangtin/bt_panel_state.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_ui_theme.h"
#include "bangtin/bt_usb.h"

static const char PLAYLIST_CFG[] =
    "id = \"panel-thu\";\nversion = 1;\ntitle = \"Thử bảng theo dõi\";\n"
    "notices = (\n"
    "  { id = \"gio\"; kind = \"text\"; title = \"Giờ làm việc\"; body = \"Sáng 7:30–11:30\"; },\n"
    "  { id = \"ket-qua\"; kind = \"results\"; target = \"cchc-loa-quy\"; }\n"
    ");\n"
    "broadcasts = {\n"
    "  items = ( { id = \"tin-d\"; title = \"Thủ tục đất đai\"; audio = \"audio/tin-d.ogg\";\n"
    "              topic = \"cchc\"; } );\n"
    "  sessions = ( { id = \"ban-tin-sang\"; name = \"Bản tin sáng\"; times = \"06:00\";\n"
    "                 items = [ \"tin-d\" ]; } );\n"
    "};\n"
    "targets = (\n"
    "  { id = \"cchc-loa-quy\"; label = \"tin bài CCHC\"; channel = \"loudspeaker\";\n"
    "    period = \"quarter\"; minimum = 2; counts = \"items\"; },\n"
    "  { id = \"loa-luot-thang\"; label = \"bản tin\"; channel = \"loudspeaker\";\n"
    "    period = \"month\"; minimum = 8; counts = \"airings\"; },\n"
    "  { id = \"chuyen-muc-quy\"; label = \"tin bài chuyên mục CCHC\"; channel = \"loudspeaker\";\n"
    "    topic = \"cchc\"; period = \"quarter\"; minimum = 5; counts = \"items\"; }\n"
    ");\n";

#define Q4_TEXT "Quý IV/2025: đã phát 2 tin bài CCHC trên loa phường (chỉ tiêu: 2)"
#define NOV_TEXT "Tháng 11/2025: đã phát 2 lượt bản tin trên loa phường (chỉ tiêu: 8)"
/* Only "tin-d" still airs with topic cchc (daily 06:00): 0 done + 1 possible < 5. */
#define RISK_TEXT "Quý IV/2025: đã phát 0 tin bài chuyên mục CCHC trên loa phường (chỉ tiêu: 5)"
#define RISK_STATE "có nguy cơ không đạt · còn 38 ngày"
/* The daily session still airs 25–30/11: 2 done + 6 to come reach 8. */
#define ON_TRACK_STATE "đang thực hiện · còn 7 ngày"

/* ---- the state machine --------------------------------------------------------------------- */

static void type_pin(bt_panel_state *s, const char *digits, int64_t t)
{
    for (const char *d = digits; *d; d++)
        bt_panel_state_input(s, BT_PANEL_IN_DIGIT, *d - '0', t);
    bt_panel_state_input(s, BT_PANEL_IN_ENTER, 0, t);
}

static void test_pin_and_timeout(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "2468", 60);
    assert_true(bt_panel_state_enabled(&s));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    /* Digits and Enter while closed do nothing. */
    type_pin(&s, "2468", 0);
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 1000));
    assert_int_equal(s.mode, BT_PANEL_PIN);
    type_pin(&s, "1234", 2000);
    assert_int_equal(s.mode, BT_PANEL_PIN);
    assert_true(s.wrong_pin);
    assert_int_equal(s.typed_len, 0);
    type_pin(&s, "24680", 3000); /* a longer PIN that starts right is wrong too */
    assert_int_equal(s.mode, BT_PANEL_PIN);
    type_pin(&s, "2468", 4000);
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_false(s.wrong_pin);
    /* Input keeps it open; 60 s without closes it. */
    bt_panel_state_input(&s, BT_PANEL_IN_OTHER, 0, 30000);
    assert_false(bt_panel_state_tick(&s, 89999));
    assert_int_equal(s.mode, BT_PANEL_OPEN);
    assert_int_equal(bt_panel_state_next_ms(&s, 89999), 1);
    assert_true(bt_panel_state_tick(&s, 90000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(bt_panel_state_next_ms(&s, 90000), -1);
    /* Esc closes the PIN entry; the PIN entry times out as well. */
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 100000);
    bt_panel_state_input(&s, BT_PANEL_IN_DIGIT, 2, 100500);
    assert_true(bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 101000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    assert_int_equal(s.typed_len, 0);
    bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 200000);
    assert_true(bt_panel_state_tick(&s, 260000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
}

static void test_long_press_and_disabled(void **state)
{
    (void)state;
    bt_panel_state s;
    bt_panel_state_init(&s, "0000", 60);
    bt_panel_state_input(&s, BT_PANEL_IN_PRESS, 0, 0);
    assert_int_equal(bt_panel_state_next_ms(&s, 1000), BT_PANEL_LONG_PRESS_MS - 1000);
    assert_false(bt_panel_state_tick(&s, BT_PANEL_LONG_PRESS_MS - 1));
    assert_true(bt_panel_state_tick(&s, BT_PANEL_LONG_PRESS_MS));
    assert_int_equal(s.mode, BT_PANEL_PIN);
    bt_panel_state_input(&s, BT_PANEL_IN_ESCAPE, 0, 4000);
    /* A tap (released early) does not open. */
    bt_panel_state_input(&s, BT_PANEL_IN_PRESS, 0, 10000);
    bt_panel_state_input(&s, BT_PANEL_IN_RELEASE, 0, 11000);
    assert_false(bt_panel_state_tick(&s, 20000));
    assert_int_equal(s.mode, BT_PANEL_CLOSED);
    /* No PIN, or a PIN that is not digits: the panel never opens. */
    const char *bad[] = {"", "12a4", "1234567890123"};
    for (size_t i = 0; i < 3; i++) {
        bt_panel_state_init(&s, bad[i], 60);
        assert_false(bt_panel_state_enabled(&s));
        assert_false(bt_panel_state_input(&s, BT_PANEL_IN_KEY, 0, 0));
        bt_panel_state_input(&s, BT_PANEL_IN_PRESS, 0, 0);
        assert_false(bt_panel_state_tick(&s, 10000));
        assert_int_equal(s.mode, BT_PANEL_CLOSED);
    }
}

/* ---- a store with known figures ------------------------------------------------------------ */

typedef struct {
    char *dir;
    char pl[900];
    bt_app app;
    bt_store *store;
    bt_playlist playlist;
    bt_wall now;
} store_fixture;

static bt_wall at(int y, int mo, int d, int h, int mi)
{
    return bt_time_from_civil(y, mo, d, h, mi, 0);
}

static void air(bt_store *s, const char *item, const char *title, bt_wall slot,
                bt_airing_status status, const char *reason)
{
    bt_airing_subject subj;
    memset(&subj, 0, sizeof subj);
    snprintf(subj.item_id, sizeof subj.item_id, "%s", item);
    snprintf(subj.title, sizeof subj.title, "%s", title);
    snprintf(subj.playlist_id, sizeof subj.playlist_id, "panel-thu");
    subj.playlist_version = 1;
    snprintf(subj.session_id, sizeof subj.session_id, "ban-tin-sang");
    subj.scheduled_at = slot;
    int64_t id = 0;
    if (status == BT_AIRING_MISSED) {
        assert_int_equal(bt_airing_record(s, &subj, status, reason, true, &id), 0);
        return;
    }
    int64_t start = (int64_t)slot * 1000 + 4000;
    assert_int_equal(bt_airing_begin(s, &subj, start, true, &id), 0);
    assert_int_equal(bt_airing_end(s, id, status, reason, start + 90000, 90000, true), 0);
}

static void store_setup(store_fixture *f)
{
    char path[1000], err[512];
    memset(f, 0, sizeof *f);
    f->dir = bt_test_temp_dir("panel");
    assert_non_null(f->dir);
    snprintf(f->pl, sizeof f->pl, "%s/pl", f->dir);
    assert_int_equal(mkdir(f->pl, 0755), 0);
    snprintf(path, sizeof path, "%s/playlist.cfg", f->pl);
    assert_int_equal(bt_test_write_file(path, PLAYLIST_CFG, strlen(PLAYLIST_CFG)), 0);
    snprintf(path, sizeof path, "%s/audio", f->pl);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/audio/tin-d.ogg", f->pl);
    assert_int_equal(bt_test_write_file(path, "OggS", 4), 0);
    ui_load_playlist_count(&f->playlist, f->pl, 2);
    bt_config_defaults(&f->app.cfg);
    f->app.data_dir = f->dir;
    snprintf(path, sizeof path, "%s/%s", f->dir, BT_STORE_FILE);
    assert_int_equal(bt_store_open(path, &f->store, err, sizeof err), 0);
    bt_store_playlist sp = {0};
    snprintf(sp.id, sizeof sp.id, "panel-thu");
    sp.version = 1;
    snprintf(sp.title, sizeof sp.title, "Thử bảng theo dõi");
    snprintf(sp.dir, sizeof sp.dir, "%s", f->pl);
    sp.activated_at = at(2025, 10, 1, 8, 0);
    assert_int_equal(bt_store_activate_playlist(f->store, &sp), 0);
    assert_int_equal(bt_targets_store_record(f->store, &f->playlist, &f->playlist.targets,
                                             sp.activated_at),
                     0);
    air(f->store, "tin-a", "Cải cách hành chính tháng 10", at(2025, 10, 6, 6, 0),
        BT_AIRING_COMPLETED, NULL);
    air(f->store, "tin-b", "Dịch vụ công trực tuyến", at(2025, 11, 3, 6, 0), BT_AIRING_COMPLETED,
        NULL);
    air(f->store, "tin-a", "Cải cách hành chính tháng 10", at(2025, 11, 10, 6, 0),
        BT_AIRING_COMPLETED, NULL);
    air(f->store, "tin-c", "Định danh điện tử VNeID", at(2025, 11, 17, 6, 0), BT_AIRING_MISSED,
        "off");
    f->now = at(2025, 11, 24, 10, 0);
}

static void store_teardown(store_fixture *f)
{
    bt_store_close(f->store);
    bt_playlist_free(&f->playlist);
    free(f->dir);
}

/* ---- rendering ------------------------------------------------------------------------------ */

static void save_shot(ui_fixture *u, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/test-panel-%s", BT_BINARY_DIR, name);
    ui_save(u, path);
}

/* Pixels inside a text block's box that are not its ground: the text was really painted. */
static size_t inked(const ui_fixture *u, const bt_layout_text *t, bt_rgb ground)
{
    size_t n = 0;
    for (int y = t->box.y; y < t->box.y + t->box.h && y < u->height; y++)
        for (int x = t->box.x; x < t->box.x + t->box.w && x < u->width; x++)
            if (y >= 0 && x >= 0 && !ui_is_rgb(u->pixels[(size_t)y * u->width + x], ground, 24))
                n++;
    return n;
}

static const bt_layout_text *find_text(const bt_panel_plan *plan, const char *needle, size_t *index)
{
    for (size_t i = 0; i < plan->text_count; i++)
        if (strstr(plan->texts[i].text, needle)) {
            *index = i;
            return &plan->texts[i];
        }
    return NULL;
}

/* Where a block's lines really are (a box may keep room for a second line it did not need). */
static bt_rect lines_rect(const bt_layout_text *t)
{
    if (t->line_count == 0)
        return (bt_rect){t->box.x, t->box.y, 0, 0};
    int top = t->lines[0].y, bottom = t->lines[t->line_count - 1].y + t->line_height;
    return (bt_rect){t->box.x, t->box.y + top, t->box.w, bottom - top};
}

static void check_plan_sane(const ui_fixture *u, const bt_panel_plan *plan)
{
    for (size_t i = 0; i < plan->text_count; i++) {
        const bt_layout_text *t = &plan->texts[i];
        bt_rect screen = {0, 0, u->width, u->height};
        if (!bt_rect_contains(screen, t->box))
            fail_msg("text \"%s\" leaves the screen", t->text);
        if (bt_ui_contrast(plan->colors[i], plan->grounds[i]) < BT_UI_MIN_CONTRAST)
            fail_msg("text \"%s\" has contrast %.2f", t->text,
                     bt_ui_contrast(plan->colors[i], plan->grounds[i]));
        for (size_t j = 0; j < i; j++) {
            const bt_layout_text *o = &plan->texts[j];
            if (t->line_count && o->line_count && bt_rect_overlaps(lines_rect(t), lines_rect(o)))
                fail_msg("\"%s\" overlaps \"%s\"", t->text, o->text);
        }
    }
}

/* The swatch of the bar whose state reads `state`: the box just left of those words, on their
 * line; its pixels on screen are the tone's colour and no other tone's. */
static void check_swatch(const ui_fixture *u, const bt_panel_plan *plan, const char *state,
                         bt_panel_tone tone)
{
    size_t idx;
    const bt_layout_text *t = find_text(plan, state, &idx);
    assert_non_null(t);
    bt_rect line = lines_rect(t);
    const bt_panel_box *swatch = NULL;
    for (size_t i = 0; i < plan->box_count; i++) {
        bt_rect r = plan->boxes[i].rect;
        int right = r.x + r.w;
        if (right <= t->box.x && right >= t->box.x - 40 && r.y >= line.y &&
            r.y + r.h <= line.y + line.h && r.w == r.h)
            swatch = &plan->boxes[i];
    }
    if (!swatch)
        fail_msg("no colour swatch beside \"%s\"", state);
    bt_rgb want = bt_panel_tone_color(tone);
    size_t right = 0, total = 0;
    for (int y = swatch->rect.y; y < swatch->rect.y + swatch->rect.h; y++)
        for (int x = swatch->rect.x; x < swatch->rect.x + swatch->rect.w; x++, total++)
            right += ui_is_rgb(u->pixels[(size_t)y * u->width + x], want, 2);
    assert_true(total > 100 && right == total);
    for (int other = BT_PANEL_TONE_GOOD; other <= BT_PANEL_TONE_MISSED; other++) {
        bt_rgb o = bt_panel_tone_color((bt_panel_tone)other);
        if (other != (int)tone)
            assert_true(abs(o.r - want.r) + abs(o.g - want.g) + abs(o.b - want.b) > 60);
    }
}

/* The open panel's Đóng button: as big as a keypad key at its largest, inside the screen in its
 * bottom-right corner, over no other text, its label painted dark on the accent; the only key
 * of this overlay (a press where the keypad's keys would be finds none). */
static void check_close_button(const ui_fixture *u, const bt_panel_plan *plan)
{
    int unit = u->width < u->height ? u->width : u->height;
    bt_rect b = plan->keys[BT_PANEL_KEY_CLOSE];
    assert_true(plan->has_keys);
    assert_true(b.h * 1080 >= 120 * unit && b.w >= 2 * b.h);
    assert_true(bt_rect_contains((bt_rect){0, 0, u->width, u->height}, b));
    assert_true(b.x + b.w > u->width * 3 / 4 && b.y + b.h > u->height * 3 / 4);
    for (int k = 0; k < BT_PANEL_KEY_CLOSE; k++)
        assert_true(plan->keys[k].w == 0 && plan->keys[k].h == 0);
    size_t label = plan->text_count;
    for (size_t i = 0; i < plan->text_count; i++) {
        const bt_layout_text *t = &plan->texts[i];
        if (strcmp(t->text, BT_PANEL_CLOSE_LABEL) == 0) {
            label = i;
            assert_true(bt_rect_contains(b, lines_rect(t)));
        } else if (t->line_count && bt_rect_overlaps(lines_rect(t), b)) {
            fail_msg("the Đóng button covers \"%s\"", t->text);
        }
    }
    if (label == plan->text_count)
        fail_msg("no text \"%s\" on the button", BT_PANEL_CLOSE_LABEL);
    assert_true(inked(u, &plan->texts[label], plan->grounds[label]) > 100);
    /* The plate is the accent, and what is drawn on it is the dark ground: high contrast. */
    size_t accent = 0, total = 0;
    for (int y = b.y + b.h / 10; y < b.y + b.h / 5; y++)
        for (int x = b.x + b.w / 10; x < b.x + b.w * 9 / 10; x++, total++)
            accent += ui_is_rgb(u->pixels[(size_t)y * u->width + x], u->sc.accent, 2);
    assert_true(total > 0 && accent == total);
    assert_true(bt_ui_contrast(plan->colors[label], plan->grounds[label]) >= BT_UI_MIN_CONTRAST);
}

static void render_panel(store_fixture *f, int w, int h, const char *shot)
{
    ui_fixture u;
    char err[512];
    memset(&u, 0, sizeof u);
    ui_config(&u);
    ui_open(&u, w, h, false);
    bt_panel_info info;
    assert_int_equal(bt_app_panel_info(&f->app, f->store, f->now, NULL, &info), 0);
    bt_panel *panel = NULL;
    assert_int_equal(bt_panel_create(u.renderer, w, h, &u.sc, &panel, err, sizeof err), 0);
    bt_screen_draw(u.screen, f->now, 0);
    assert_int_equal(bt_panel_draw_info(panel, &info), 0);
    ui_read(&u);
    save_shot(&u, shot);
    const bt_panel_plan *plan = bt_panel_last_plan(panel);
    assert_non_null(plan);
    /* The figures, whole. */
    char footer[256];
    snprintf(footer, sizeof footer, BT_APP_PANEL_FOOTER, "Đóng", 60);
    const char *must[] = {Q4_TEXT, NOV_TEXT, "đã đạt", "Cải cách hành chính tháng 10",
                          "Dịch vụ công trực tuyến", "Định danh điện tử VNeID", "bỏ lỡ",
                          "'Thử bảng theo dõi' (panel-thu, phiên bản 1)", "01/10/2025 08:00",
                          "Còn trống",
                          footer,
                          "Quý IV/2025",
                          "Bảng theo dõi — " BT_CONFIG_WARD_NAME_UNSET, ON_TRACK_STATE, RISK_TEXT,
                          RISK_STATE};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (!bt_panel_plan_shows(plan, must[i]))
            fail_msg("%dx%d: the panel does not show \"%s\"", w, h, must[i]);
    assert_int_equal(plan->rows_dropped, 0);
    check_plan_sane(&u, plan);
    /* And they are on screen. */
    size_t idx;
    const bt_layout_text *t = find_text(plan, Q4_TEXT, &idx);
    assert_non_null(t);
    assert_true(inked(&u, t, plan->grounds[idx]) > 200);
    t = find_text(plan, "Định danh điện tử VNeID", &idx);
    assert_non_null(t);
    assert_true(inked(&u, t, plan->grounds[idx]) > 200);
    /* The met quarter's bar is full: its fill box is as wide as its track. */
    size_t full = 0;
    for (size_t i = 1; i < plan->box_count; i++)
        if (plan->boxes[i].rect.w == plan->boxes[i - 1].rect.w &&
            plan->boxes[i].rect.y == plan->boxes[i - 1].rect.y &&
            ui_is_rgb(u.pixels[(size_t)(plan->boxes[i].rect.y + 2) * w + plan->boxes[i].rect.x +
                               plan->boxes[i].rect.w - 3],
                      plan->boxes[i].color, 2))
            full++;
    assert_true(full >= 1);
    /* Each state in its colour: the swatch left of the state's words is painted in it. */
    check_swatch(&u, plan, RISK_STATE, BT_PANEL_TONE_AT_RISK);
    check_swatch(&u, plan, ON_TRACK_STATE, BT_PANEL_TONE_ON_TRACK);
    check_close_button(&u, plan);
    /* "Đã chiếu" (issue 14): a key of its own, inside the screen, its label whole. */
    bt_rect proof = plan->keys[BT_PANEL_KEY_PROOF];
    assert_true(proof.w > 0 && bt_rect_contains((bt_rect){0, 0, w, h}, proof));
    assert_false(bt_rect_overlaps(proof, plan->keys[BT_PANEL_KEY_SET_CLOCK]));
    assert_true(bt_panel_plan_shows(plan, BT_PANEL_PROOF_LABEL));
    assert_int_equal(bt_panel_key_at(panel, proof.x + proof.w / 2, proof.y + proof.h / 2),
                     BT_PANEL_KEY_PROOF);
    /* Cached: the same panel again rasterises nothing. */
    unsigned long before = bt_panel_raster_count(panel);
    assert_int_equal(bt_panel_draw_info(panel, &info), 0);
    assert_int_equal(bt_panel_raster_count(panel), before);
    bt_panel_destroy(panel);
    ui_close(&u);
}

static void test_panel_shows_figures(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    render_panel(&f, 1920, 1080, "panel-1920x1080.png");
    render_panel(&f, 1080, 1920, "panel-1080x1920.png");
    store_teardown(&f);
}

/* ---- "Màn hình đã chiếu" (issue 14) ------------------------------------------------------- */

static void impression(bt_store *s, const char *notice, bt_day day, int64_t shows, double secs)
{
    bt_proof_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.playlist_id, sizeof r.playlist_id, "panel-thu");
    snprintf(r.notice_id, sizeof r.notice_id, "%s", notice);
    r.day = day;
    r.shows = shows;
    r.seconds = secs;
    assert_int_equal(bt_store_add_impressions(s, &r, 1), 0);
}

/* The page drawn over the lobby at w × h: every figure whole and inked, contrast, nothing off
 * screen or overlapping, Quay lại a finger-sized key inside the screen, cached on a second
 * draw; `dropped` rows left out (SIZE_MAX: any, counted in words). Returns how many were. */
static size_t render_proof(const bt_panel_proof_view *v, int w, int h, const char *shot,
                           const char *const *must, size_t must_count, size_t dropped)
{
    ui_fixture u;
    char err[512];
    memset(&u, 0, sizeof u);
    ui_config(&u);
    ui_open(&u, w, h, false);
    bt_panel *panel = NULL;
    assert_int_equal(bt_panel_create(u.renderer, w, h, &u.sc, &panel, err, sizeof err), 0);
    bt_screen_draw(u.screen, at(2025, 11, 24, 10, 0), 0);
    assert_int_equal(bt_panel_draw_proof(panel, v), 0);
    ui_read(&u);
    save_shot(&u, shot);
    const bt_panel_plan *plan = bt_panel_last_plan(panel);
    for (size_t i = 0; i < must_count; i++) {
        if (!bt_panel_plan_shows(plan, must[i]))
            fail_msg("%dx%d: the page does not show \"%s\"", w, h, must[i]);
        size_t idx;
        const bt_layout_text *t = find_text(plan, must[i], &idx);
        if (inked(&u, t, plan->grounds[idx]) < 50)
            fail_msg("%dx%d: \"%s\" is not painted", w, h, must[i]);
        /* Readable from a step away: never below 24 px at 1080. */
        int unit = w < h ? w : h;
        assert_true(t->size * 1080 >= 24 * unit);
    }
    if (dropped != SIZE_MAX)
        assert_int_equal(plan->rows_dropped, dropped);
    else if (plan->rows_dropped) {
        /* The rows left out are counted in words. */
        char more[96];
        snprintf(more, sizeof more, "… và %zu thông báo khác", plan->rows_dropped);
        assert_true(bt_panel_plan_shows(plan, more));
    }
    size_t rows_dropped = plan->rows_dropped;
    check_plan_sane(&u, plan);
    int unit = w < h ? w : h;
    bt_rect back = plan->keys[BT_PANEL_KEY_PROOF];
    assert_true(back.h * 1080 >= 120 * unit);
    assert_true(bt_rect_contains((bt_rect){0, 0, w, h}, back));
    assert_true(bt_panel_plan_shows(plan, BT_PANEL_PROOF_BACK_LABEL));
    assert_int_equal(bt_panel_key_at(panel, back.x + back.w / 2, back.y + back.h / 2),
                     BT_PANEL_KEY_PROOF);
    unsigned long before = bt_panel_raster_count(panel);
    assert_int_equal(bt_panel_draw_proof(panel, v), 0);
    assert_int_equal(bt_panel_raster_count(panel), before);
    bt_panel_destroy(panel);
    ui_close(&u);
    return rows_dropped;
}

/* The figures from a store with known impressions (24/11/2025): "Giờ làm việc" shown today and
 * yesterday (and in October, which this month leaves out), the results notice never; in both
 * orientations. A playlist of 40 notices lists what fits and counts the rest. */
static void test_proof_page(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    bt_day today = bt_time_day_of(f.now);
    impression(f.store, "gio", today, 48, 720);
    impression(f.store, "gio", today - 1, 100, 1500);
    impression(f.store, "gio", bt_time_day_from_ymd(2025, 10, 31), 90, 1350);
    bt_panel_proof_view *v = malloc(sizeof *v);
    assert_non_null(v);
    assert_int_equal(bt_app_panel_proof(f.store, &f.playlist, f.now, 60, v), 0);
    assert_int_equal(v->row_count, 2);
    assert_string_equal(v->rows[0].name, "Giờ làm việc");
    assert_string_equal(v->rows[0].today, "48 lượt · 12 phút");
    assert_string_equal(v->rows[0].month, "148 lượt · 37 phút");
    assert_string_equal(v->rows[0].last, "hôm nay");
    assert_string_equal(v->rows[1].today, "0 lượt · 0 phút");
    assert_string_equal(v->rows[1].month, "0 lượt · 0 phút");
    assert_string_equal(v->rows[1].last, "chưa chiếu");
    assert_string_equal(v->head_month, "Tháng 11/2025");
    assert_non_null(strstr(v->title, "Thứ Hai, 24/11/2025"));
    /* Yesterday's last showing, and another month's, are said as such. */
    impression(f.store, "ket-qua", bt_time_day_from_ymd(2025, 10, 30), 3, 20);
    assert_int_equal(bt_app_panel_proof(f.store, &f.playlist, f.now, 60, v), 0);
    assert_string_equal(v->rows[1].last, "30/10/2025");
    assert_string_equal(v->rows[1].month, "0 lượt · 0 phút");
    assert_int_equal(bt_app_panel_proof(f.store, &f.playlist, f.now + 86400, 60, v), 0);
    assert_string_equal(v->rows[0].last, "hôm qua");
    assert_string_equal(v->rows[0].today, "0 lượt · 0 phút");
    assert_int_equal(bt_app_panel_proof(f.store, &f.playlist, f.now, 60, v), 0);
    const char *must[] = {"Giờ làm việc", "48 lượt · 12 phút", "148 lượt · 37 phút", "hôm nay",
                          "30/10/2025", "Tháng 11/2025", "Lần cuối", "Quay lại",
                          "Playlist «Thử bảng theo dõi»"};
    render_proof(v, 1920, 1080, "proof-1920x1080.png", must, sizeof must / sizeof must[0], 0);
    render_proof(v, 1080, 1920, "proof-1080x1920.png", must, sizeof must / sizeof must[0], 0);
    /* Forty notices: the first ones whole, the rest counted in words. */
    for (size_t i = 0; i < 40; i++) {
        snprintf(v->rows[i].name, sizeof v->rows[i].name, "Thông báo số %zu về thủ tục hành chính",
                 i + 1);
        snprintf(v->rows[i].today, sizeof v->rows[i].today, "%zu lượt · %zu phút", i, i);
        snprintf(v->rows[i].month, sizeof v->rows[i].month, "1.%03zu lượt · 2%02zu phút", i, i);
        snprintf(v->rows[i].last, sizeof v->rows[i].last, "hôm nay");
    }
    v->row_count = 40;
    const char *first[] = {"Thông báo số 1 về thủ tục hành chính", "1.000 lượt · 200 phút",
                           "… và "};
    for (int o = 0; o < 2; o++) {
        int w = o ? 1080 : 1920, h = o ? 1920 : 1080;
        size_t dropped = render_proof(v, w, h, o ? "proof-many-1080x1920.png"
                                               : "proof-many-1920x1080.png",
                                      first, 3, SIZE_MAX);
        if (dropped == 0 || 40 - dropped < 10)
            fail_msg("%dx%d: %zu of 40 notices shown", w, h, 40 - dropped);
    }
    free(v);
    store_teardown(&f);
}

/* A video notice's plays (issue 15) on a line under its figures, today and this month, whole
 * and cut short, read from the store's rows; no such line for the other notices. The fixture's
 * second notice is made a video notice here: the page reads only its kind. */
static void test_proof_page_video(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    bt_day today = bt_time_day_of(f.now);
    bt_notice *clip = &f.playlist.notices[1];
    bt_notice_kind kind = clip->kind;
    clip->kind = BT_NOTICE_VIDEO;
    bt_proof_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.playlist_id, sizeof r.playlist_id, "panel-thu");
    snprintf(r.notice_id, sizeof r.notice_id, "%s", clip->id);
    r.day = today;
    r.shows = 4;
    r.seconds = 150;
    r.video_whole = 3;
    r.video_cut = 1;
    assert_int_equal(bt_store_add_impressions(f.store, &r, 1), 0);
    r.day = today - 3;
    r.video_whole = 1200;
    r.video_cut = 2;
    assert_int_equal(bt_store_add_impressions(f.store, &r, 1), 0);
    impression(f.store, "gio", today, 48, 720);
    bt_panel_proof_view *v = malloc(sizeof *v);
    assert_non_null(v);
    assert_int_equal(bt_app_panel_proof(f.store, &f.playlist, f.now, 60, v), 0);
    assert_string_equal(v->rows[0].video, "");
    assert_string_equal(v->rows[1].video, "Video — hôm nay: 3 lượt trọn, 1 lượt bị cắt ngang; "
                                          "tháng này: 1.203 lượt trọn, 3 lượt bị cắt ngang");
    assert_string_equal(v->rows[1].today, "4 lượt · 3 phút");
    const char *must[] = {"Giờ làm việc", "48 lượt · 12 phút", v->rows[1].video, "Quay lại"};
    render_proof(v, 1920, 1080, "proof-video-1920x1080.png", must, 4, 0);
    render_proof(v, 1080, 1920, "proof-video-1080x1920.png", must, 4, 0);
    clip->kind = kind;
    free(v);
    store_teardown(&f);
}

static void test_overlays(void **state)
{
    (void)state;
    static const int sizes[2][2] = {{1920, 1080}, {1080, 1920}};
    const char *refusal =
        "Không nạp: gói trên USB có 1 lỗi.\n"
        "playlist.cfg:12: lỗi: thông báo \"gio\" thiếu khoá bắt buộc \"title\" (tiêu đề) — thêm "
        "dòng, ví dụ: title = \"Nộp hồ sơ trực tuyến\";\n" BT_USB_KEPT_MESSAGE "\n";
    for (int s = 0; s < 2; s++) {
        ui_fixture u;
        char err[512], name[96];
        int w = sizes[s][0], h = sizes[s][1];
        memset(&u, 0, sizeof u);
        ui_config(&u);
        ui_open(&u, w, h, false);
        bt_panel *panel = NULL;
        assert_int_equal(bt_panel_create(u.renderer, w, h, &u.sc, &panel, err, sizeof err), 0);

        bt_screen_draw(u.screen, 0, 0);
        assert_int_equal(bt_panel_draw_progress(panel, 45), 0);
        ui_read(&u);
        snprintf(name, sizeof name, "panel-usb-progress-%dx%d.png", w, h);
        save_shot(&u, name);
        assert_true(bt_panel_plan_shows(bt_panel_last_plan(panel), "Đang nạp USB… 45 %"));
        check_plan_sane(&u, bt_panel_last_plan(panel));

        bt_screen_invalidate(u.screen);
        bt_screen_draw(u.screen, 0, 0);
        assert_int_equal(bt_panel_draw_result(panel, refusal, false), 0);
        ui_read(&u);
        snprintf(name, sizeof name, "panel-usb-refused-%dx%d.png", w, h);
        save_shot(&u, name);
        const bt_panel_plan *plan = bt_panel_last_plan(panel);
        assert_true(bt_panel_plan_shows(plan, "KHÔNG NẠP ĐƯỢC USB"));
        assert_true(bt_panel_plan_shows(plan, "playlist.cfg:12"));
        assert_true(bt_panel_plan_shows(plan, BT_USB_KEPT_MESSAGE));
        check_plan_sane(&u, plan);

        bt_screen_invalidate(u.screen);
        bt_screen_draw(u.screen, 0, 0);
        assert_int_equal(bt_panel_draw_pin(panel, 3, true), 0);
        ui_read(&u);
        snprintf(name, sizeof name, "panel-pin-%dx%d.png", w, h);
        save_shot(&u, name);
        plan = bt_panel_last_plan(panel);
        assert_true(bt_panel_plan_shows(plan, "• • •"));
        assert_false(bt_panel_plan_shows(plan, "• • • •"));
        assert_true(bt_panel_plan_shows(plan, "Mã PIN không đúng"));
        check_plan_sane(&u, plan);
        bt_panel_destroy(panel);
        ui_close(&u);
    }
}

/* ---- the on-screen keypad ------------------------------------------------------------------- */

typedef struct {
    ui_fixture u;
    bt_panel *panel;
    bt_panel_state s;
    bool rotated;   /* content cw × ch shown turned 90° clockwise in the window */
    int cw, ch;
} pad_world;

static void pad_open(pad_world *w, int win_w, int win_h, bool rotated)
{
    char err[512];
    memset(w, 0, sizeof *w);
    ui_config(&w->u);
    ui_open(&w->u, win_w, win_h, false);
    w->rotated = rotated;
    w->cw = rotated ? win_h : win_w;
    w->ch = rotated ? win_w : win_h;
    assert_int_equal(bt_panel_create(w->u.renderer, w->cw, w->ch, &w->u.sc, &w->panel, err,
                                     sizeof err),
                     0);
    bt_panel_state_init(&w->s, "2468", 60);
}

static void pad_close(pad_world *w)
{
    bt_panel_destroy(w->panel);
    ui_close(&w->u);
}

/* What the kiosk does after a change: paint the PIN entry over the screen (read back when the
 * window is the content: not rotated). */
static const bt_panel_plan *pad_draw(pad_world *w)
{
    bt_screen_invalidate(w->u.screen);
    bt_screen_draw(w->u.screen, 0, 0);
    assert_int_equal(bt_panel_draw_pin_state(w->panel, &w->s), 0);
    if (!w->rotated)
        ui_read(&w->u);
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    assert_non_null(plan);
    assert_true(plan->has_keys);
    return plan;
}

/* The event of a press at content point (cx, cy), in window terms. */
static SDL_Event pad_event(const pad_world *w, int cx, int cy, bool finger)
{
    int wx = cx, wy = cy;
    if (w->rotated) {
        wx = w->ch - 1 - cy;
        wy = cx;
    }
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    if (finger) {
        ev.type = SDL_FINGERDOWN;
        ev.tfinger.x = (float)((wx + 0.5) / w->u.width);
        ev.tfinger.y = (float)((wy + 0.5) / w->u.height);
    } else {
        ev.type = SDL_MOUSEBUTTONDOWN;
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.x = wx;
        ev.button.y = wy;
    }
    return ev;
}

/* A click (or a finger) on the middle of key `key`, fed to the state machine like the kiosk. */
static void pad_press(pad_world *w, int key, bool finger, int64_t t)
{
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    bt_rect r = plan->keys[key];
    SDL_Event ev = pad_event(w, r.x + r.w / 2, r.y + r.h / 2, finger);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    if (!bt_app_panel_keypad(w->panel, w->u.window, w->rotated, &ev, &in, &digit))
        fail_msg("key %d at (%d,%d) did not answer", key, r.x + r.w / 2, r.y + r.h / 2);
    if (bt_panel_state_input(&w->s, in, digit, t))
        pad_draw(w);
}

static void pad_type(pad_world *w, const char *digits, bool finger, int64_t t)
{
    for (const char *d = digits; *d; d++)
        pad_press(w, *d - '0', finger, t);
    pad_press(w, BT_PANEL_KEY_OK, finger, t);
}

/* Keys big enough for a finger (≥ 90 px at 1080, taller on neither axis than wide), inside the
 * screen, not overlapping, each label painted. */
static void check_keys(const pad_world *w, const bt_panel_plan *plan)
{
    int unit = w->cw < w->ch ? w->cw : w->ch;
    bt_rect screen = {0, 0, w->cw, w->ch};
    assert_true(plan->keys[BT_PANEL_KEY_CLOSE].w == 0 && plan->keys[BT_PANEL_KEY_CLOSE].h == 0);
    for (int k = 0; k <= BT_PANEL_KEY_CANCEL; k++) {
        bt_rect r = plan->keys[k];
        assert_true(r.h * 1080 >= 90 * unit && r.w >= r.h);
        assert_true(bt_rect_contains(screen, r));
        for (int j = 0; j < k; j++)
            assert_false(bt_rect_overlaps(r, plan->keys[j]));
    }
    static const char *const labels[] = {"0", "5", "9", "Xoá", "OK", "Huỷ"};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t idx = 0;
        const bt_layout_text *t = NULL;
        for (size_t j = 0; j < plan->text_count && !t; j++)
            if (strcmp(plan->texts[j].text, labels[i]) == 0) {
                t = &plan->texts[j];
                idx = j;
            }
        if (!t)
            fail_msg("no key labelled \"%s\"", labels[i]);
        if (!w->rotated)
            assert_true(inked(&w->u, t, plan->grounds[idx]) > 50);
    }
}

static void keypad_session(int win_w, int win_h, bool rotated)
{
    pad_world w;
    char name[96];
    pad_open(&w, win_w, win_h, rotated);
    const char *size = rotated ? "rotated" : win_w > win_h ? "1920x1080" : "1080x1920";
    /* The corner's long press (or the key) opens the entry; the right PIN by clicks opens. */
    assert_true(bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, 0));
    const bt_panel_plan *plan = pad_draw(&w);
    check_keys(&w, plan);
    if (!rotated)
        check_plan_sane(&w.u, plan);
    pad_press(&w, 2, false, 100);
    pad_press(&w, 4, false, 200);
    pad_press(&w, 6, false, 300);
    pad_press(&w, 9, false, 400);
    assert_true(bt_panel_plan_shows(bt_panel_last_plan(w.panel), "• • • •"));
    pad_press(&w, BT_PANEL_KEY_BACK, false, 500);
    assert_int_equal(w.s.typed_len, 3);
    assert_false(bt_panel_plan_shows(bt_panel_last_plan(w.panel), "• • • •"));
    if (!rotated) {
        snprintf(name, sizeof name, "panel-pin-typing-%s.png", size);
        save_shot(&w.u, name);
    }
    pad_press(&w, 8, false, 600);
    pad_press(&w, BT_PANEL_KEY_OK, false, 700);
    assert_int_equal(w.s.mode, BT_PANEL_OPEN);

    /* A wrong PIN by finger: not open, a message, the digits cleared. */
    bt_panel_state_input(&w.s, BT_PANEL_IN_ESCAPE, 0, 1000);
    bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, 1100);
    pad_draw(&w);
    pad_type(&w, "1357", true, 1200);
    assert_int_equal(w.s.mode, BT_PANEL_PIN);
    plan = bt_panel_last_plan(w.panel);
    assert_true(bt_panel_plan_shows(plan, "Mã PIN không đúng — còn 4 lần thử."));
    assert_true(bt_panel_plan_shows(plan, "_"));
    if (!rotated) {
        check_plan_sane(&w.u, plan);
        snprintf(name, sizeof name, "panel-pin-wrong-%s.png", size);
        save_shot(&w.u, name);
    }
    /* Four more: locked; the right PIN is refused while the countdown runs. */
    for (int i = 0; i < BT_PANEL_MAX_WRONG_PINS - 1; i++)
        pad_type(&w, "0000", i % 2 == 0, 2000 + i * 100);
    plan = bt_panel_last_plan(w.panel);
    assert_true(bt_panel_plan_shows(plan, "Nhập sai 5 lần — thử lại sau 30 giây."));
    if (!rotated) {
        check_plan_sane(&w.u, plan);
        snprintf(name, sizeof name, "panel-pin-locked-%s.png", size);
        save_shot(&w.u, name);
    }
    int64_t locked_at = 2000 + (BT_PANEL_MAX_WRONG_PINS - 2) * 100;
    pad_type(&w, "2468", false, locked_at + 1000);
    assert_int_equal(w.s.mode, BT_PANEL_PIN);
    if (bt_panel_state_tick(&w.s, locked_at + 10000))
        pad_draw(&w);
    assert_true(bt_panel_plan_shows(bt_panel_last_plan(w.panel), "thử lại sau 20 giây"));
    assert_true(bt_panel_state_tick(&w.s, locked_at + BT_PANEL_LOCKOUT_MS));
    plan = pad_draw(&w);
    assert_false(bt_panel_plan_shows(plan, "Nhập sai"));
    pad_type(&w, "2468", true, locked_at + BT_PANEL_LOCKOUT_MS + 100);
    assert_int_equal(w.s.mode, BT_PANEL_OPEN);

    /* Huỷ closes; the entry left alone closes itself after 60 s. */
    bt_panel_state_input(&w.s, BT_PANEL_IN_ESCAPE, 0, 40000);
    bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, 41000);
    pad_draw(&w);
    pad_press(&w, BT_PANEL_KEY_CANCEL, true, 42000);
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);
    bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, 50000);
    pad_draw(&w);
    pad_press(&w, 1, false, 51000);
    assert_true(bt_panel_plan_shows(bt_panel_last_plan(w.panel), "Tự đóng sau 60 giây"));
    assert_false(bt_panel_state_tick(&w.s, 110999));
    assert_true(bt_panel_state_tick(&w.s, 111000));
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);

    /* Presses that are no key: between the title and the keys, a mouse event SDL made up from a
     * touch (the finger event already counted), a button going up. */
    bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, 200000);
    plan = pad_draw(&w);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    SDL_Event ev = pad_event(&w, plan->keys[1].x - 60, plan->keys[1].y - 5, false);
    assert_true(plan->keys[1].x >= 60);
    assert_false(bt_app_panel_keypad(w.panel, w.u.window, rotated, &ev, &in, &digit));
    ev = pad_event(&w, plan->keys[5].x + 5, plan->keys[5].y + 5, false);
    assert_true(bt_app_panel_keypad(w.panel, w.u.window, rotated, &ev, &in, &digit));
    assert_int_equal(in, BT_PANEL_IN_DIGIT);
    assert_int_equal(digit, 5);
    ev.button.which = SDL_TOUCH_MOUSEID;
    in = BT_PANEL_IN_OTHER;
    assert_false(bt_app_panel_keypad(w.panel, w.u.window, rotated, &ev, &in, &digit));
    assert_int_equal(in, BT_PANEL_IN_OTHER);
    ev.type = SDL_MOUSEBUTTONUP;
    ev.button.which = 0;
    assert_false(bt_app_panel_keypad(w.panel, w.u.window, rotated, &ev, &in, &digit));
    /* Another overlay drawn last: no keypad to press. */
    assert_int_equal(bt_panel_draw_progress(w.panel, 10), 0);
    ev = pad_event(&w, plan->keys[5].x + 5, plan->keys[5].y + 5, false);
    assert_false(bt_app_panel_keypad(w.panel, w.u.window, rotated, &ev, &in, &digit));
    pad_close(&w);
}

/* ---- approving a stick with the PIN --------------------------------------------------------- */

static void note_names(bt_playlist_diff *d, bt_playlist_diff_kind k, size_t count,
                       const char *const *names)
{
    d->count[k] = count;
    for (size_t i = 0; i < count && i < BT_PLAYLIST_DIFF_MAX_NAMES; i++)
        snprintf(d->names[k][i], sizeof d->names[k][i], "%s", names[i]);
}

/* A stick as busy as a ward's quarter change gets: every kind of change, long Vietnamese names. */
static void busy_preview(bt_usb_preview *q)
{
    static const char *const added[] = {"Lịch tiếp công dân tháng 12/2025",
                                        "Thu phí vệ sinh môi trường năm 2026",
                                        "Hướng dẫn đăng ký khai sinh trực tuyến",
                                        "Tuyển quân năm 2026: lịch khám sức khoẻ"};
    static const char *const removed[] = {"Lịch tiếp công dân tháng 11/2025",
                                          "Phòng chống dịch sốt xuất huyết"};
    static const char *const changed[] = {"Giờ làm việc của Bộ phận Một cửa"};
    static const char *const s_added[] = {"Bản tin tối thứ Bảy"};
    static const char *const s_removed[] = {"Bản tin chiều Chủ Nhật"};
    static const char *const s_changed[] = {"Bản tin sáng"};
    memset(q, 0, sizeof *q);
    snprintf(q->id, sizeof q->id, "cchc-quy-1-2026");
    snprintf(q->title, sizeof q->title, "Tuyên truyền cải cách hành chính Quý I/2026");
    q->version = 3;
    q->notices = 14;
    q->sessions = 3;
    q->items = 9;
    q->signature = BT_SIGNATURE_MISSING;
    q->has_active = true;
    snprintf(q->active_id, sizeof q->active_id, "cchc-quy-4-2025");
    snprintf(q->active_title, sizeof q->active_title, "Tuyên truyền CCHC Quý IV/2025");
    q->active_version = 7;
    note_names(&q->diff, BT_DIFF_NOTICES_ADDED, 6, added);
    note_names(&q->diff, BT_DIFF_NOTICES_REMOVED, 2, removed);
    note_names(&q->diff, BT_DIFF_NOTICES_CHANGED, 1, changed);
    note_names(&q->diff, BT_DIFF_SESSIONS_ADDED, 1, s_added);
    note_names(&q->diff, BT_DIFF_SESSIONS_REMOVED, 1, s_removed);
    note_names(&q->diff, BT_DIFF_SESSIONS_CHANGED, 1, s_changed);
}

static const bt_panel_plan *approval_draw(pad_world *w, const bt_usb_preview *q, int64_t t)
{
    bt_panel_approval_view v;
    bt_kiosk_usb_approval_view(q, &w->s, t, &v);
    bt_screen_invalidate(w->u.screen);
    bt_screen_draw(w->u.screen, 0, 0);
    assert_int_equal(bt_panel_draw_approval(w->panel, &v), 0);
    ui_read(&w->u);
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    assert_non_null(plan);
    return plan;
}

static void approval_press(pad_world *w, const bt_usb_preview *q, int key, int64_t t)
{
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    bt_rect r = plan->keys[key];
    SDL_Event ev = pad_event(w, r.x + r.w / 2, r.y + r.h / 2, true);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    if (!bt_app_panel_keypad(w->panel, w->u.window, false, &ev, &in, &digit))
        fail_msg("key %d did not answer", key);
    if (bt_panel_state_input(&w->s, in, digit, t) && w->s.mode == BT_PANEL_APPROVE)
        approval_draw(w, q, t);
}

static void approval_type(pad_world *w, const bt_usb_preview *q, const char *digits, int64_t t)
{
    for (const char *d = digits; *d; d++)
        approval_press(w, q, *d - '0', t);
    approval_press(w, q, BT_PANEL_KEY_OK, t);
}

static void approval_session(int win_w, int win_h)
{
    pad_world w;
    bt_usb_preview q;
    char name[96], line[BT_PANEL_LINE_BYTES];
    const char *size = win_w > win_h ? "1920x1080" : "1080x1920";
    pad_open(&w, win_w, win_h, false);
    busy_preview(&q);
    assert_true(bt_panel_state_approval_begin(&w.s, 0));
    const bt_panel_plan *plan = approval_draw(&w, &q, 0);
    snprintf(name, sizeof name, "approval-%s.png", size);
    save_shot(&w.u, name);
    check_plan_sane(&w.u, plan);
    check_keys(&w, plan);
    /* Everything staff approve is on screen whole: nothing dropped, nothing cut. */
    assert_int_equal(plan->rows_dropped, 0);
    assert_true(bt_panel_plan_shows(plan, "USB chưa ký — cần duyệt bằng mã PIN"));
    assert_true(bt_panel_plan_shows(plan, "thiếu MANIFEST.sig"));
    assert_true(bt_panel_plan_shows(plan, "«Tuyên truyền cải cách hành chính Quý I/2026» "
                                          "(cchc-quy-1-2026), phiên" BT_NBSP "bản" BT_NBSP "3 · "
                                          "14" BT_NBSP "thông" BT_NBSP "báo · 3" BT_NBSP "buổi"
                                          BT_NBSP "phát" BT_NBSP "loa · 9" BT_NBSP "bản" BT_NBSP
                                          "tin"));
    assert_true(bt_panel_plan_shows(plan, "Đang phát: «Tuyên truyền CCHC Quý IV/2025» "
                                          "(cchc-quy-4-2025), phiên" BT_NBSP "bản" BT_NBSP "7"));
    for (int k = 0; k < BT_DIFF_KIND_COUNT; k++) {
        bt_playlist_diff_line(&q.diff, (bt_playlist_diff_kind)k, line, sizeof line);
        if (!bt_panel_plan_shows(plan, line))
            fail_msg("%s: the change \"%s\" is not shown whole", size, line);
    }
    assert_true(bt_panel_plan_shows(plan, "… và 2 mục khác"));
    assert_true(bt_panel_plan_shows(plan, "Còn 2:00 để duyệt"));
    /* A wrong PIN by finger says so; the time left runs on. */
    approval_type(&w, &q, "1357", 15000);
    plan = approval_draw(&w, &q, 15500);
    assert_true(bt_panel_plan_shows(plan, "Mã PIN không đúng — còn 4 lần thử."));
    check_plan_sane(&w.u, plan);
    snprintf(name, sizeof name, "approval-wrong-%s.png", size);
    save_shot(&w.u, name);
    bt_panel_state_input(&w.s, BT_PANEL_IN_DIGIT, 2, 20000); /* the message gives way */
    plan = approval_draw(&w, &q, 20000);
    assert_true(bt_panel_plan_shows(plan, "Còn 1:40 để duyệt"));
    bt_panel_state_input(&w.s, BT_PANEL_IN_BACKSPACE, 0, 20100);
    /* The right PIN approves: the entry closes and the answer is there once. */
    approval_draw(&w, &q, 20100);
    approval_type(&w, &q, "2468", 21000);
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);
    assert_int_equal(bt_panel_state_approval_take(&w.s), BT_APPROVAL_APPROVED);
    pad_close(&w);
}

static void test_approval_screen(void **state)
{
    (void)state;
    approval_session(1920, 1080);
    approval_session(1080, 1920);
}

static void test_keypad(void **state)
{
    (void)state;
    keypad_session(1920, 1080, false);
    keypad_session(1080, 1920, false);
    /* A portrait screen on a landscape output: the kiosk turns the content 90°. */
    keypad_session(1920, 1080, true);
}

/* What the kiosk does with a press while the panel is open: a press on a key becomes its
 * input (Đóng: Esc), anything else is mere activity. True when the press was a key. */
static bool open_press(pad_world *w, int cx, int cy, bool finger, int64_t t)
{
    SDL_Event ev = pad_event(w, cx, cy, finger);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    bool key = bt_app_panel_keypad(w->panel, w->u.window, w->rotated, &ev, &in, &digit);
    bt_panel_state_input(&w->s, in, digit, t);
    return key;
}

/* Opens the panel by the PIN and paints it (read back unless turned). */
static const bt_panel_plan *open_panel(pad_world *w, const bt_panel_info *info, int64_t t)
{
    bt_panel_state_input(&w->s, BT_PANEL_IN_KEY, 0, t);
    type_pin(&w->s, "2468", t + 10);
    assert_int_equal(w->s.mode, BT_PANEL_OPEN);
    bt_screen_invalidate(w->u.screen);
    bt_screen_draw(w->u.screen, 0, 0);
    assert_int_equal(bt_panel_draw_info(w->panel, info), 0);
    if (!w->rotated)
        ui_read(&w->u);
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    assert_non_null(plan);
    return plan;
}

static void close_session(const bt_panel_info *info, int win_w, int win_h, bool rotated)
{
    pad_world w;
    pad_open(&w, win_w, win_h, rotated);
    const bt_panel_plan *plan = open_panel(&w, info, 0);
    if (!rotated) {
        char name[96];
        check_close_button(&w.u, plan);
        check_plan_sane(&w.u, plan);
        snprintf(name, sizeof name, "panel2-open-%dx%d.png", win_w, win_h);
        save_shot(&w.u, name);
    }
    bt_rect b = plan->keys[BT_PANEL_KEY_CLOSE];
    int slack = (14 * (w.cw < w.ch ? w.cw : w.ch) / 1080) / 2; /* KEY_GAP / 2 */
    size_t foot_idx;
    const bt_layout_text *foot = find_text(plan, "để đóng", &foot_idx);
    assert_non_null(foot);
    bt_rect fr = lines_rect(foot);
    /* Presses elsewhere keep it open: the middle of the screen, the top-left corner (where the
     * keys this overlay lacks sit as 0 × 0), the title, the footer's text, just outside the
     * button's reach on its left (before "Đặt ngày giờ") and above it. */
    const int misses[][2] = {{w.cw / 2, w.ch / 2},
                             {3, 3},
                             {60, 60},
                             {fr.x + fr.w / 4, fr.y + fr.h / 2},
                             {b.x - slack - 2, b.y + b.h / 2},
                             {b.x + b.w / 2, b.y - slack - 2}};
    int64_t t = 1000;
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++, t += 1000) {
        if (open_press(&w, misses[i][0], misses[i][1], i % 2 == 1, t))
            fail_msg("a press at (%d,%d) answered as a key", misses[i][0], misses[i][1]);
        assert_int_equal(w.s.mode, BT_PANEL_OPEN);
    }
    /* ... and, being activity, put the timeout off. */
    assert_false(bt_panel_state_tick(&w.s, t - 1000 + 59999));
    assert_int_equal(w.s.mode, BT_PANEL_OPEN);
    /* A click on the middle of Đóng closes it. */
    assert_true(open_press(&w, b.x + b.w / 2, b.y + b.h / 2, false, t));
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);
    /* A finger near its corner (within the slack a keypad key has) closes it as well. */
    plan = open_panel(&w, info, t + 1000);
    b = plan->keys[BT_PANEL_KEY_CLOSE];
    assert_true(open_press(&w, b.x + b.w - 1 + slack / 2, b.y + 2, true, t + 2000));
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);
    /* On the PIN entry, where Đóng was is no key that closes: the keypad is all there is. */
    bt_panel_state_input(&w.s, BT_PANEL_IN_KEY, 0, t + 3000);
    assert_int_equal(bt_panel_draw_pin_state(w.panel, &w.s), 0);
    assert_int_equal(bt_panel_key_at(w.panel, b.x + b.w / 2, b.y + b.h / 2), BT_PANEL_KEY_NONE);
    pad_close(&w);
}

static void test_close_button(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    bt_panel_info *info = malloc(sizeof *info);
    assert_non_null(info);
    assert_int_equal(bt_app_panel_info(&f.app, f.store, f.now, NULL, info), 0);
    close_session(info, 1920, 1080, false);
    close_session(info, 1080, 1920, false);
    /* A portrait screen on a landscape output: the kiosk turns the content 90°. */
    close_session(info, 1920, 1080, true);
    free(info);
    store_teardown(&f);
}

/* ---- "Đặt ngày giờ" ---------------------------------------------------------------------- */

/* Stands in for the system clock: records what it was asked, answers as told. */
typedef struct {
    int calls;
    bt_wall when;
    int rc;
    const char *note;  /* its err text: the reason (rc -1) or a note (rc 0) */
} fake_clock;

static int fake_set(void *ctx, bt_wall when, char *err, size_t size)
{
    fake_clock *f = ctx;
    f->calls++;
    f->when = when;
    snprintf(err, size, "%s", f->note ? f->note : "");
    return f->rc;
}

/* What the kiosk paints on the clock page (read back when not turned). */
static const bt_panel_plan *clock_draw(pad_world *w, bt_wall now, const char *answer)
{
    bt_panel_clock_view v;
    bt_app_panel_clock_view(&w->s, now, true, answer, &v);
    bt_screen_invalidate(w->u.screen);
    bt_screen_draw(w->u.screen, 0, 0);
    assert_int_equal(bt_panel_draw_clock(w->panel, &v), 0);
    if (!w->rotated)
        ui_read(&w->u);
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    assert_non_null(plan);
    return plan;
}

/* A key pressed on the clock page, then what the kiosk does: the setter's turn, then a paint. */
static const bt_panel_plan *clock_press(pad_world *w, int key, bool finger, int64_t t,
                                        fake_clock *fake, char *answer, size_t size)
{
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    bt_rect r = plan->keys[key];
    SDL_Event ev = pad_event(w, r.x + r.w / 2, r.y + r.h / 2, finger);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    if (!bt_app_panel_keypad(w->panel, w->u.window, w->rotated, &ev, &in, &digit))
        fail_msg("clock page: key %d did not answer", key);
    bt_panel_state_input(&w->s, in, digit, t);
    bt_wall set_to = 0;
    bt_clock_set_from_panel(&w->s, fake_set, fake, answer, size, &set_to);
    return clock_draw(w, bt_time_from_civil(2000, 1, 1, 0, 5, 0), answer);
}

static const bt_panel_plan *clock_type(pad_world *w, const char *digits, int64_t t,
                                       fake_clock *fake, char *answer, size_t size)
{
    const bt_panel_plan *plan = bt_panel_last_plan(w->panel);
    for (const char *d = digits; *d; d++)
        plan = clock_press(w, *d - '0', (*d - '0') % 2 == 1, t, fake, answer, size);
    return plan;
}

/* Shows `needle` whole; on a turned screen the plan is all there is to look at. */
static void expect_shown(const pad_world *w, const bt_panel_plan *plan, const char *needle)
{
    if (!bt_panel_plan_shows(plan, needle))
        fail_msg("%dx%d%s: the clock page does not show \"%s\" whole", w->cw, w->ch,
                 w->rotated ? " turned" : "", needle);
    if (!w->rotated)
        check_plan_sane(&w->u, plan);
}

static void shot(pad_world *w, const char *what)
{
    char name[128];
    if (w->rotated)
        return;
    snprintf(name, sizeof name, "panel-clock-%s-%dx%d.png", what, w->cw, w->ch);
    save_shot(&w->u, name);
}

/* The "Đặt ngày giờ" button of the open panel: finger-sized, beside Đóng and apart from it,
 * inside the screen, over no other text, its words painted. */
static void check_set_clock_button(const pad_world *w, const bt_panel_plan *plan)
{
    int unit = w->cw < w->ch ? w->cw : w->ch;
    bt_rect b = plan->keys[BT_PANEL_KEY_SET_CLOCK], c = plan->keys[BT_PANEL_KEY_CLOSE];
    assert_true(b.h * 1080 >= 120 * unit && b.w >= 2 * b.h);
    assert_true(bt_rect_contains((bt_rect){0, 0, w->cw, w->ch}, b));
    assert_true(b.y == c.y && b.x + b.w < c.x && !bt_rect_overlaps(b, c));
    size_t label = plan->text_count;
    for (size_t i = 0; i < plan->text_count; i++) {
        const bt_layout_text *t = &plan->texts[i];
        if (strcmp(t->text, BT_PANEL_SET_CLOCK_LABEL) == 0) {
            label = i;
            assert_true(bt_rect_contains(b, lines_rect(t)));
        } else if (t->line_count && bt_rect_overlaps(lines_rect(t), b)) {
            fail_msg("the Đặt ngày giờ button covers \"%s\"", t->text);
        }
    }
    if (label == plan->text_count)
        fail_msg("no text \"%s\" on the button", BT_PANEL_SET_CLOCK_LABEL);
    assert_true(bt_panel_plan_shows(plan, BT_PANEL_SET_CLOCK_LABEL));
    if (!w->rotated)
        assert_true(inked(&w->u, &plan->texts[label], plan->grounds[label]) > 100);
}

/* What the kiosk passes when the setter is refused for want of CAP_SYS_TIME (clock_set.c's own
 * words, as test_system_setter_without_the_capability checks). */
#define NO_CAPABILITY                                                                            \
    "bangtin không có quyền đổi đồng hồ của máy (dịch vụ cần CAP_SYS_TIME). Báo cán bộ kỹ "     \
    "thuật, hoặc đặt bằng lệnh: sudo timedatectl set-time \"2099-12-07 09:30\""

static void clock_session(const bt_panel_info *info, int win_w, int win_h, bool rotated)
{
    pad_world w;
    fake_clock fake = {0, 0, 0, NULL};
    char answer[BT_PANEL_LINE_BYTES] = "";
    pad_open(&w, win_w, win_h, rotated);
    const bt_panel_plan *plan = open_panel(&w, info, 0);
    check_set_clock_button(&w, plan);
    /* Its button (a finger) opens the clock page; the remote's OK does the same. */
    bt_rect b = plan->keys[BT_PANEL_KEY_SET_CLOCK];
    assert_true(open_press(&w, b.x + b.w / 2, b.y + b.h / 2, true, 1000));
    assert_int_equal(w.s.mode, BT_PANEL_CLOCK);
    plan = clock_draw(&w, bt_time_from_civil(2000, 1, 1, 0, 5, 0), answer);
    assert_true(plan->has_keys);
    assert_true(plan->keys[BT_PANEL_KEY_CLOSE].w == 0 && plan->keys[BT_PANEL_KEY_SET_CLOCK].w == 0);
    expect_shown(&w, plan, "Đặt ngày giờ của máy");
    expect_shown(&w, plan, "Nhập ngày/tháng/năm giờ:phút (12 chữ số) rồi bấm OK");
    expect_shown(&w, plan, "Đồng hồ của máy đang chỉ: 00:05, Thứ Bảy, 01/01/2000");
    expect_shown(&w, plan, "__/__/____ __:__");
    expect_shown(&w, plan, "Esc để quay lại");

    /* OK too early. The day typed is in the last year the page takes: a day before the day
     * this bangtin was built would be refused (tested below), and the build day moves on. */
    plan = clock_type(&w, "0712209", 2000, &fake, answer, sizeof answer);
    expect_shown(&w, plan, "07/12/209_ __:__");
    plan = clock_press(&w, BT_PANEL_KEY_OK, false, 2100, &fake, answer, sizeof answer);
    expect_shown(&w, plan, "Chưa đủ: nhập đủ 12 chữ số");
    shot(&w, "incomplete");
    /* A day that does not exist: said, nothing set; Xoá mends it. */
    plan = clock_press(&w, BT_PANEL_KEY_BACK, false, 2200, &fake, answer, sizeof answer);
    plan = clock_type(&w, "99253", 2300, &fake, answer, sizeof answer);
    expect_shown(&w, plan, "07/12/2099 25:3_");
    plan = clock_type(&w, "0", 2400, &fake, answer, sizeof answer);
    plan = clock_press(&w, BT_PANEL_KEY_OK, true, 2500, &fake, answer, sizeof answer);
    expect_shown(&w, plan, "Không có ngày giờ 07/12/2099 25:30");
    assert_int_equal(fake.calls, 0);
    shot(&w, "bad-date");
    for (int i = 0; i < 4; i++)
        plan = clock_press(&w, BT_PANEL_KEY_BACK, false, 2600, &fake, answer, sizeof answer);
    plan = clock_type(&w, "0930", 2700, &fake, answer, sizeof answer);
    expect_shown(&w, plan, "07/12/2099 09:30");
    shot(&w, "typed");

    /* No capability: the setter refuses, the page says why and what to do, whole. */
    fake.rc = -1;
    fake.note = NO_CAPABILITY;
    plan = clock_press(&w, BT_PANEL_KEY_OK, false, 2800, &fake, answer, sizeof answer);
    assert_int_equal(fake.calls, 1);
    assert_int_equal(w.s.clock_status, BT_PANEL_CLOCK_FAILED);
    expect_shown(&w, plan, "Không đặt được ngày giờ: " NO_CAPABILITY ".");
    shot(&w, "refused");

    /* Given the capability: set to what was typed, said; the digits kept after the refusal
     * were the ones OK sent again. */
    fake.rc = 0;
    fake.note = NULL;
    plan = clock_press(&w, BT_PANEL_KEY_OK, true, 2900, &fake, answer, sizeof answer);
    assert_int_equal(fake.calls, 2);
    assert_int_equal(fake.when, bt_time_from_civil(2099, 12, 7, 9, 30, 0));
    expect_shown(&w, plan, "Đã đặt: 09:30, Thứ Hai, 07/12/2099.");
    shot(&w, "set");

    /* A year before this bangtin was made is refused without asking the clock. */
    plan = clock_type(&w, "010120210800", 3000, &fake, answer, sizeof answer);
    plan = clock_press(&w, BT_PANEL_KEY_OK, false, 3100, &fake, answer, sizeof answer);
    assert_int_equal(fake.calls, 2);
    expect_shown(&w, plan, "Không đặt: Thứ Sáu, 01/01/2021 sớm hơn ngày làm ra phần mềm");

    /* Huỷ goes back to the panel; Đóng there closes it. */
    clock_press(&w, BT_PANEL_KEY_CANCEL, true, 3200, &fake, answer, sizeof answer);
    assert_int_equal(w.s.mode, BT_PANEL_OPEN);
    assert_int_equal(bt_panel_draw_info(w.panel, info), 0);
    plan = bt_panel_last_plan(w.panel);
    b = plan->keys[BT_PANEL_KEY_CLOSE];
    assert_true(open_press(&w, b.x + b.w / 2, b.y + b.h / 2, false, 4100));
    assert_int_equal(w.s.mode, BT_PANEL_CLOSED);
    pad_close(&w);
}

static void test_set_clock_from_the_panel(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    bt_panel_info *info = malloc(sizeof *info);
    assert_non_null(info);
    assert_int_equal(bt_app_panel_info(&f.app, f.store, f.now, NULL, info), 0);
    clock_session(info, 1920, 1080, false);
    clock_session(info, 1080, 1920, false);
    clock_session(info, 1920, 1080, true);
    free(info);
    store_teardown(&f);
}

/* The real setter without CAP_SYS_TIME (dropped in a child first, so it can never set the clock
 * of the machine running the tests, root or not): refused, in Vietnamese, naming the capability
 * and the command that would do it. */
static void test_system_setter_without_the_capability(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2];
        char err[512] = "";
        int rc = -2;
        if (syscall(SYS_capget, &hdr, data) == 0) {
            for (int i = 0; i < 2; i++)
                data[i].effective = data[i].permitted = data[i].inheritable = 0;
            /* Only once no capability is left is the real setter called, with now: even a
             * failure to drop could not move the clock. */
            if (syscall(SYS_capset, &hdr, data) == 0)
                rc = bt_clock_set_system(NULL, time(NULL), err, sizeof err);
        }
        dprintf(fds[1], "%d|%s", rc, err);
        _exit(0);
    }
    close(fds[1]);
    char out[700] = "";
    ssize_t n = read(fds[0], out, sizeof out - 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(n > 0);
    out[n] = '\0';
    if (strncmp(out, "-1|bangtin không có quyền đổi đồng hồ của máy (dịch vụ cần CAP_SYS_TIME)",
                strlen("-1|bangtin không có quyền đổi đồng hồ của máy (dịch vụ cần "
                       "CAP_SYS_TIME)")) != 0)
        fail_msg("the setter without the capability said: %s", out);
    assert_non_null(strstr(out, "sudo timedatectl set-time \""));
}

static void test_window_to_content(void **state)
{
    (void)state;
    int x, y;
    bt_app_panel_window_to_content(1920, 1080, 1920, 1080, false, 100, 200, &x, &y);
    assert_true(x == 100 && y == 200);
    /* A window half the content's size (high-DPI scaling). */
    bt_app_panel_window_to_content(960, 540, 1920, 1080, false, 480, 270, &x, &y);
    assert_true(x == 960 && y == 540);
    /* Turned clockwise: the window's top-right is the content's top-left. */
    bt_app_panel_window_to_content(1920, 1080, 1080, 1920, true, 1919, 0, &x, &y);
    assert_true(x == 0 && y == 0);
    bt_app_panel_window_to_content(1920, 1080, 1080, 1920, true, 0, 1079, &x, &y);
    assert_true(x == 1079 && y == 1919);
    bt_app_panel_window_to_content(0, 0, 1080, 1920, true, 5, 5, &x, &y);
    assert_true(x == -1 && y == -1);
}

/* ---- the public results notice ------------------------------------------------------------- */

static void test_results_notice(void **state)
{
    (void)state;
    store_fixture f;
    store_setup(&f);
    bt_notice *n = &f.playlist.notices[1];
    assert_string_equal(n->target, "cchc-loa-quy");
    assert_int_equal(n->kind, BT_NOTICE_TEXT);
    assert_string_equal(n->title, BT_RESULTS_NOTICE_TITLE);
    char *dump = bt_playlist_dump(&f.playlist);
    assert_non_null(strstr(dump, "notices[1].kind = results"));
    assert_non_null(strstr(dump, "notices[1].target = \"cchc-loa-quy\""));
    free(dump);
    bt_targets targets;
    bt_target_progress *rows = NULL;
    size_t count = 0;
    assert_int_equal(bt_report_progress_today(f.store, f.now, NULL, &targets, &rows, &count), 0);
    assert_true(bt_app_results_fill(&f.playlist, rows, count));
    assert_string_equal(n->body, Q4_TEXT);
    assert_false(bt_app_results_fill(&f.playlist, rows, count)); /* unchanged: no repaint */
    free(rows);
    bt_targets_free(&targets);
    /* Another day of the period with nothing new: same text. A store without the target: the
     * notice says the figures will come. */
    assert_true(bt_app_results_fill(&f.playlist, NULL, 0));
    assert_non_null(strstr(n->body, "cập nhật"));
    store_teardown(&f);
}

static void expect_invalid(const char *cfg, const char *message)
{
    char *dir = bt_test_temp_dir("panel-bad");
    char path[700];
    snprintf(path, sizeof path, "%s/playlist.cfg", dir);
    assert_int_equal(bt_test_write_file(path, cfg, strlen(cfg)), 0);
    bt_playlist p;
    bt_diags d;
    bt_playlist_init(&p);
    bt_diags_init(&d);
    assert_int_equal(bt_playlist_load(dir, &p, &d), -1);
    bool found = false;
    for (size_t i = 0; i < d.count; i++)
        found |= strstr(d.items[i].message, message) != NULL;
    if (!found)
        fail_msg("no error containing \"%s\" (%zu diags, first: %s)", message, d.count,
                 d.count ? d.items[0].message : "-");
    bt_diags_free(&d);
    free(dir);
}

static void test_results_notice_invalid(void **state)
{
    (void)state;
    char cfg[2048];
    /* A target that is not in the playlist. */
    snprintf(cfg, sizeof cfg, "%s", PLAYLIST_CFG);
    char *t = strstr(cfg, "target = \"cchc-loa-quy\"");
    assert_non_null(t);
    memcpy(t, "target = \"cchc-loa-qxy\"", strlen("target = \"cchc-loa-qxy\""));
    expect_invalid(cfg, "chỉ tiêu \"cchc-loa-qxy\" không có trong targets");
    /* Without a target; and a body on a results notice. */
    expect_invalid("id = \"x\"; version = 1; title = \"T\";\n"
                   "notices = ( { id = \"k\"; kind = \"results\"; } );\n",
                   "thiếu khoá bắt buộc \"target\"");
    expect_invalid("id = \"x\"; version = 1; title = \"T\";\n"
                   "notices = ( { id = \"k\"; kind = \"results\"; target = \"a\"; body = \"b\"; } );\n"
                   "targets = ( { id = \"a\"; channel = \"loudspeaker\"; period = \"quarter\"; "
                   "minimum = 2; } );\n",
                   "khoá \"body\" không dùng cho thông báo loại \"results\"");
}

/* ---- "Ghi nhận kênh khác" ------------------------------------------------------------------ */

typedef struct {
    pad_world w;
    store_fixture *f;
    bt_store_writer *writer; /* the kiosk's: it makes the page's writes */
    bt_app_panel_records pr;
} records_world;

/* What the kiosk paints on the records page (read back when not turned). */
static const bt_panel_plan *records_draw(records_world *r)
{
    bt_panel_records_view v;
    bt_app_panel_records_view(&r->w.s, &r->pr.recent, r->pr.answer, &v);
    bt_screen_invalidate(r->w.u.screen);
    bt_screen_draw(r->w.u.screen, 0, 0);
    assert_int_equal(bt_panel_draw_records(r->w.panel, &v), 0);
    if (!r->w.rotated)
        ui_read(&r->w.u);
    const bt_panel_plan *plan = bt_panel_last_plan(r->w.panel);
    assert_non_null(plan);
    if (!r->w.rotated)
        check_plan_sane(&r->w.u, plan);
    return plan;
}

/* A press on key `key` of the page, then what the kiosk does: the input to the state machine,
 * the write the page asked for into the real store, a paint. */
static const bt_panel_plan *records_press(records_world *r, int key, int64_t t)
{
    const bt_panel_plan *plan = bt_panel_last_plan(r->w.panel);
    bt_rect k = plan->keys[key];
    SDL_Event ev = pad_event(&r->w, k.x + k.w / 2, k.y + k.h / 2, key % 2 == 1);
    bt_panel_input in = BT_PANEL_IN_OTHER;
    int digit = -1;
    if (!bt_app_panel_keypad(r->w.panel, r->w.u.window, r->w.rotated, &ev, &in, &digit))
        fail_msg("records page: key %d did not answer", key);
    bt_panel_state_input(&r->w.s, in, digit, t);
    if (bt_app_panel_records_write(&r->pr, &r->w.s, r->writer, &r->f->playlist, r->f->now)) {
        /* The writer's thread writes; its answer comes at the kiosk's next poll. */
        assert_int_equal(bt_store_writer_flush(r->writer, 10000), 0);
        assert_false(r->pr.answered);
        bt_store_writer_poll(r->writer);
        assert_true(r->pr.answered);
        r->pr.answered = false;
    }
    if (r->w.s.mode != BT_PANEL_RECORDS)
        return plan;
    return records_draw(r);
}

/* Keys by letter: digits, K = OK, X = Xoá, H = Huỷ. */
static const bt_panel_plan *records_keys(records_world *r, const char *keys, int64_t t)
{
    const bt_panel_plan *plan = NULL;
    for (const char *c = keys; *c; c++) {
        int key = *c == 'K'   ? BT_PANEL_KEY_OK
                  : *c == 'X' ? BT_PANEL_KEY_BACK
                  : *c == 'H' ? BT_PANEL_KEY_CANCEL
                              : *c - '0';
        plan = records_press(r, key, t);
    }
    return plan;
}

static void records_expect(const records_world *r, const bt_panel_plan *plan, const char *needle)
{
    if (!bt_panel_plan_shows(plan, needle))
        fail_msg("%dx%d%s: the records page does not show \"%s\" whole", r->w.cw, r->w.ch,
                 r->w.rotated ? " turned" : "", needle);
}

static void records_shot(records_world *r, const char *what)
{
    char name[128];
    if (r->w.rotated)
        return;
    snprintf(name, sizeof name, "panel-records-%s-%dx%d.png", what, r->w.cw, r->w.ch);
    save_shot(&r->w.u, name);
}

/* A whole entry and its undoing, by clicks and fingers on the open panel's button and the
 * page's keypad, written into the store as the kiosk writes it. */
static void records_session(int win_w, int win_h, bool rotated)
{
    store_fixture f;
    store_setup(&f);
    records_world r;
    memset(&r, 0, sizeof r);
    r.f = &f;
    char db[1000], err[512] = "";
    snprintf(db, sizeof db, "%s/%s", f.dir, BT_STORE_FILE);
    bt_store_writer_config wc = {db, f.dir, NULL, NULL};
    if (bt_store_writer_open(&wc, &r.writer, err, sizeof err) != 0)
        fail_msg("bt_store_writer_open: %s", err);
    pad_open(&r.w, win_w, win_h, rotated);
    bt_panel_info *info = malloc(sizeof *info);
    assert_non_null(info);
    assert_int_equal(bt_app_panel_info(&f.app, f.store, f.now, "", info), 0);
    bt_app_panel_records_options(&r.w.s, f.store, &f.playlist, f.now, &r.pr.recent);
    const bt_panel_plan *plan = open_panel(&r.w, info, 0);
    bt_rect b = plan->keys[BT_PANEL_KEY_RECORDS];
    int unit = r.w.cw < r.w.ch ? r.w.cw : r.w.ch;
    assert_true(b.h * 1080 >= 120 * unit && b.w >= 2 * b.h);
    assert_true(bt_rect_contains((bt_rect){0, 0, r.w.cw, r.w.ch}, b));
    for (int k = BT_PANEL_KEY_CLOSE; k < BT_PANEL_KEY_COUNT; k++)
        if (k != BT_PANEL_KEY_RECORDS)
            assert_false(bt_rect_overlaps(b, plan->keys[k]));
    if (!rotated)
        check_plan_sane(&r.w.u, plan);
    assert_true(open_press(&r.w, b.x + b.w / 2, b.y + b.h / 2, true, 100));
    assert_int_equal(r.w.s.mode, BT_PANEL_RECORDS);
    plan = records_draw(&r);
    records_expect(&r, plan, "1   Trang thông tin CCHC của Thành phố");
    records_expect(&r, plan, "2   Trang thông tin điện tử của phường");
    records_expect(&r, plan, "0   Hủy một ghi nhận đã nhập");
    records_expect(&r, plan, "Bước 1/5 — Chọn kênh: bấm số của kênh (0: hủy một ghi nhận đã "
                             "nhập)");
    for (int k = 0; k <= BT_PANEL_KEY_CANCEL; k++) {
        bt_rect key = plan->keys[k];
        assert_true(key.h * 1080 >= 90 * unit && bt_rect_contains(
                                                     (bt_rect){0, 0, r.w.cw, r.w.ch}, key));
    }
    records_shot(&r, "kenh");
    records_expect(&r, records_keys(&r, "0", 200), "Chưa có ghi nhận nào để hủy.");
    plan = records_keys(&r, "2", 300);
    records_expect(&r, plan, "Kênh: Trang thông tin điện tử của phường");
    records_expect(&r, plan, "Ngày: hôm nay");
    plan = records_keys(&r, "25112025K", 400); /* tomorrow */
    records_expect(&r, plan, "Ngày này chưa tới (hôm nay là 24/11/2025) — chỉ ghi nhận những "
                             "gì đã đăng. Bấm Xoá để sửa.");
    records_shot(&r, "ngay-chua-toi");
    plan = records_keys(&r, "XXXXXXXXK3K4", 500);
    records_expect(&r, plan, "Ngày: 24/11/2025 (hôm nay)");
    records_expect(&r, plan, "Số tin bài: 3");
    records_expect(&r, plan, "Ghi chú: Phòng Văn hóa - Xã hội gửi");
    records_expect(&r, plan, "Bước 5/5 — Kiểm tra lại rồi bấm OK để ghi (Xoá: sửa lại)");
    records_shot(&r, "xac-nhan");
    plan = records_keys(&r, "K", 600);
    records_expect(&r, plan, "Đã ghi: 24/11/2025 · 3 tin bài · Trang thông tin điện tử của "
                             "phường. Bấm OK để ghi tiếp.");
    records_shot(&r, "da-ghi");
    bt_record_row *rows = NULL;
    size_t n = 0;
    bt_day today = bt_time_day_of(f.now);
    assert_int_equal(bt_targets_store_records(f.store, today, today, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].source, BT_RECORD_FROM_PANEL);
    assert_int_equal(rows[0].count, 3);
    assert_int_equal(rows[0].channel, BT_TARGET_WARD_SITE);
    assert_string_equal(rows[0].note, "Phòng Văn hóa - Xã hội gửi");
    free(rows);
    /* Undo it: the next entry's 0, the first line, OK. */
    plan = records_keys(&r, "K0", 700);
    records_expect(&r, plan, "Hủy một ghi nhận: bấm số của dòng cần hủy (Xoá: quay lại)");
    records_expect(&r, plan, "1   24/11/2025 · 3 tin bài · Trang thông tin điện tử của phường · "
                             "Phòng Văn hóa - Xã hội gửi (bảng theo dõi)");
    records_shot(&r, "huy");
    plan = records_keys(&r, "1K", 800);
    records_expect(&r, plan, "Đã hủy: 24/11/2025 · 3 tin bài · Trang thông tin điện tử của "
                             "phường · Phòng Văn hóa - Xã hội gửi (bảng theo dõi). Dòng điều chỉnh "
                             "đã được ghi, báo cáo không còn tính ghi nhận này.");
    assert_int_equal(bt_targets_store_records(f.store, today, today, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[1].count, -3);
    assert_int_equal(rows[1].corrects, rows[0].id);
    free(rows);
    /* Huỷ: back to the panel. */
    records_keys(&r, "KH", 900);
    assert_int_equal(r.w.s.mode, BT_PANEL_OPEN);
    free(info);
    pad_close(&r.w);
    bt_store_writer_close(r.writer);
    store_teardown(&f);
}

static void test_records_page(void **state)
{
    (void)state;
    records_session(1920, 1080, false);
    records_session(1080, 1920, false);
    records_session(1920, 1080, true);
}

/* The panel opens its faces when it is first drawn, not when it is made: the kiosk makes it at
 * start-up and on most days nobody opens it (issue 14, item 9). */
static void test_faces_opened_when_first_drawn(void **state)
{
    (void)state;
    ui_fixture u;
    char err[512];
    memset(&u, 0, sizeof u);
    ui_config(&u);
    ui_open(&u, 1920, 1080, false);
    int before = bt_ui_font_open_count();
    bt_panel *panel = NULL;
    assert_int_equal(bt_panel_create(u.renderer, 1920, 1080, &u.sc, &panel, err, sizeof err), 0);
    assert_int_equal(bt_ui_font_open_count(), before);
    assert_int_equal(bt_panel_draw_progress(panel, 40), 0);
    assert_int_equal(bt_ui_font_open_count(), before + BT_FACE_COUNT);
    assert_int_equal(bt_panel_draw_result(panel, "Đã nạp xong.", true), 0);
    assert_int_equal(bt_ui_font_open_count(), before + BT_FACE_COUNT);
    bt_panel_destroy(panel);
    assert_int_equal(bt_ui_font_open_count(), before);
    ui_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faces_opened_when_first_drawn),
        cmocka_unit_test(test_pin_and_timeout),
        cmocka_unit_test(test_long_press_and_disabled),
        cmocka_unit_test(test_panel_shows_figures),
        cmocka_unit_test(test_overlays),
        cmocka_unit_test(test_proof_page),
        cmocka_unit_test(test_proof_page_video),
        cmocka_unit_test(test_keypad),
        cmocka_unit_test(test_approval_screen),
        cmocka_unit_test(test_close_button),
        cmocka_unit_test(test_set_clock_from_the_panel),
        cmocka_unit_test(test_records_page),
        cmocka_unit_test(test_system_setter_without_the_capability),
        cmocka_unit_test(test_window_to_content),
        cmocka_unit_test(test_results_notice),
        cmocka_unit_test(test_results_notice_invalid),
    };
    return cmocka_run_group_tests(tests, ui_video_setup, ui_video_teardown);
}
