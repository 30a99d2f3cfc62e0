/* What the staff panel says (bt_app_panel.h), read from the store when the panel opens; and the
 * text of public results notices. Everything a staff member reads here is Vietnamese. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_report_upcoming.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_usb.h"
#include "bangtin/bt_vi.h"

/* The airing list is read over the last quarter and a bit: the panel shows the latest few. */
#define PANEL_AIRING_DAYS 100

static const char *day_hhmm(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    snprintf(buf, size, "%02d/%02d %02d:%02d", c.day, c.month, c.hour, c.minute);
    return buf;
}

static const char *full_when(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    snprintf(buf, size, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.minute);
    return buf;
}

static bt_panel_tone tone_of(bt_target_state s)
{
    switch (s) {
    case BT_TARGET_MET: return BT_PANEL_TONE_GOOD;
    case BT_TARGET_ON_TRACK: return BT_PANEL_TONE_ON_TRACK;
    case BT_TARGET_AT_RISK: return BT_PANEL_TONE_AT_RISK;
    case BT_TARGET_MISSED: return BT_PANEL_TONE_MISSED;
    case BT_TARGET_STATE_COUNT: break; /* not a state */
    }
    return BT_PANEL_TONE_ON_TRACK;
}

/* The bars, judged like the reports: what the active playlist will still air (`upcoming`, from
 * bt_report_upcoming_find) decides whether a target that is not met yet is on track or at risk. */
static int fill_bars(bt_store *store, bt_wall now, const bt_report_options *upcoming,
                     bt_panel_info *out)
{
    bt_targets targets;
    bt_target_progress *rows = NULL;
    size_t n = 0;
    int rc = bt_report_progress_today(store, now, upcoming, &targets, &rows, &n);
    if (rc != 0) {
        snprintf(out->no_targets, sizeof out->no_targets,
                 "Không đọc được tiến độ chỉ tiêu (xem nhật ký của máy).");
        return -1;
    }
    for (size_t i = 0; i < n && out->bar_count < BT_PANEL_MAX_BARS; i++) {
        bt_panel_bar *b = &out->bars[out->bar_count++];
        const bt_target_progress *p = &rows[i];
        bt_target_public_text(p, b->label, sizeof b->label);
        if (p->days_left > 0 && p->state != BT_TARGET_MET)
            snprintf(b->state, sizeof b->state, "%s · còn %d ngày", bt_vi_target_state(p->state),
                     p->days_left);
        else
            snprintf(b->state, sizeof b->state, "%s", bt_vi_target_state(p->state));
        b->fraction = p->required > 0 ? (double)p->done / (double)p->required : 1.0;
        b->tone = tone_of(p->state);
    }
    if (n == 0)
        snprintf(out->no_targets, sizeof out->no_targets,
                 "Không có chỉ tiêu nào đang áp dụng hôm nay.");
    free(rows);
    bt_targets_free(&targets);
    return 0;
}

static bool is_missed(bt_airing_status st)
{
    return st == BT_AIRING_MISSED || st == BT_AIRING_FAILED || st == BT_AIRING_INTERRUPTED;
}

static int fill_airings(bt_store *store, bt_wall now, bt_panel_info *out)
{
    bt_airing_row *rows = NULL;
    size_t n = 0;
    if (bt_airing_list(store, now - PANEL_AIRING_DAYS * 86400, now + 1, &rows, &n) != 0)
        return -1;
    bt_period quarter = bt_time_period_of(BT_PERIOD_QUARTER, bt_time_day_of(now));
    bt_wall q_start = bt_time_day_start(quarter.first);
    char when[32];
    /* Newest first: the list is in slot order. */
    for (size_t k = n; k-- > 0;) {
        const bt_airing_row *r = &rows[k];
        bt_wall at = r->started_at_ms > 0 ? (bt_wall)(r->started_at_ms / 1000)
                                          : r->subject.scheduled_at;
        if (r->started_at_ms > 0 && out->airing_count < BT_PANEL_MAX_ROWS)
            snprintf(out->airings[out->airing_count++], BT_PANEL_LINE_BYTES, "%s  %.200s — %s",
                     day_hhmm(at, when, sizeof when), r->subject.title,
                     bt_airing_status_label(r->status));
        if (is_missed(r->status) && r->subject.scheduled_at >= q_start &&
            out->missed_count < BT_PANEL_MAX_ROWS) {
            char why[BT_AIRING_REASON_BYTES + 64];
            bt_vi_reason(r->reason, why, sizeof why); /* staff read words, not the log's codes */
            snprintf(out->missed[out->missed_count++], BT_PANEL_LINE_BYTES,
                     "%s  %.200s — %s%s%.250s%s",
                     day_hhmm(r->subject.scheduled_at, when, sizeof when), r->subject.title,
                     bt_airing_status_label(r->status), why[0] ? " (" : "", why,
                     why[0] ? ")" : "");
        }
    }
    free(rows);
    return 0;
}

int bt_app_disk_space(const char *dir, uint64_t *free_bytes, uint64_t *total_bytes)
{
    struct statvfs v;
    *free_bytes = *total_bytes = 0;
    if (statvfs(dir, &v) != 0)
        return -1;
    /* f_bavail, not f_bfree: what the kiosk's own user may still write (root's reserve aside). */
    *free_bytes = (uint64_t)v.f_bavail * v.f_frsize;
    *total_bytes = (uint64_t)v.f_blocks * v.f_frsize;
    return 0;
}

/* "12,3": Vietnamese writes a decimal comma. */
static const char *gb_vi(uint64_t bytes, char *buf, size_t size)
{
    snprintf(buf, size, "%.1f", (double)bytes / BT_APP_PANEL_BYTES_PER_GB);
    for (char *c = buf; *c; c++)
        if (*c == '.')
            *c = ',';
    return buf;
}

const char *bt_app_disk_text(uint64_t free_bytes, uint64_t total_bytes, char *buf, size_t size)
{
    char a[32], t[32];
    double avail = (double)free_bytes / BT_APP_PANEL_BYTES_PER_GB;
    double total = (double)total_bytes / BT_APP_PANEL_BYTES_PER_GB;
    int pct = total > 0 ? (int)(avail * 100.0 / total + 0.5) : 0;
    snprintf(buf, size, "Còn trống %s GB trên %s GB (%d %%)", gb_vi(free_bytes, a, sizeof a),
             gb_vi(total_bytes, t, sizeof t), pct);
    return buf;
}

static void fill_disk(const bt_app *app, bt_panel_info *out)
{
    uint64_t avail, total;
    if (bt_app_disk_space(app->data_dir, &avail, &total) != 0)
        snprintf(out->disk, sizeof out->disk, "Không đọc được dung lượng thư mục dữ liệu.");
    else
        bt_app_disk_text(avail, total, out->disk, sizeof out->disk);
}

int bt_app_panel_info(const bt_app *app, bt_store *store, bt_wall now, const char *last_import,
                      bt_panel_info *out)
{
    bt_report_upcoming u = {0};
    bt_report_options upcoming = {0};
    if (store)
        bt_report_upcoming_find(app, store, now, BT_APP_PANEL_UPCOMING_SLOT_CAP, &u, &upcoming);
    int rc = bt_app_panel_info_upcoming(app, store, now, last_import, &upcoming, out);
    bt_report_upcoming_free(&u);
    return rc;
}

int bt_app_panel_info_upcoming(const bt_app *app, bt_store *store, bt_wall now,
                               const char *last_import, const bt_report_options *upcoming,
                               bt_panel_info *out)
{
    char date[64], hhmm[16], quarter[32], when[32];
    int rc = 0;
    memset(out, 0, sizeof *out);
    snprintf(out->title, sizeof out->title, "Bảng theo dõi — %s", app->cfg.ward_name);
    snprintf(out->subtitle, sizeof out->subtitle, "%s, %s · %s",
             bt_time_format_date_vi(now, date, sizeof date),
             bt_time_format_hhmm(now, hhmm, sizeof hhmm),
             bt_time_quarter_label(bt_time_day_of(now), quarter, sizeof quarter));
    snprintf(out->footer, sizeof out->footer, BT_APP_PANEL_FOOTER, BT_PANEL_CLOSE_LABEL,
             app->cfg.panel_timeout_seconds);
    if (!store) {
        snprintf(out->no_targets, sizeof out->no_targets, "Không mở được cơ sở dữ liệu.");
        fill_disk(app, out);
        return -1;
    }
    if (fill_bars(store, now, upcoming, out) != 0)
        rc = -1;
    if (fill_airings(store, now, out) != 0)
        rc = -1;
    bt_store_playlist sp;
    int found = bt_store_active_playlist(store, &sp);
    if (found == 1)
        snprintf(out->playlist, sizeof out->playlist,
                 "'%.300s' (%.64s, phiên bản %d) — kích hoạt lúc %s", sp.title, sp.id, sp.version,
                 full_when(sp.activated_at, when, sizeof when));
    else
        snprintf(out->playlist, sizeof out->playlist, "Chưa có playlist nào được kích hoạt.");
    fill_disk(app, out);
    bt_content_playlist cp;
    char approved[96];
    if (last_import && *last_import)
        snprintf(out->last_import, sizeof out->last_import, "%.500s", last_import);
    else if (bt_content_active(store, &cp) == 1)
        snprintf(out->last_import, sizeof out->last_import,
                 "%s — '%.300s' phiên bản %d, %d thông báo, %d bản tin%s%s%s%s",
                 full_when(cp.imported_at, when, sizeof when), cp.title, cp.version, cp.notices,
                 cp.items, cp.signer[0] ? ", khoá " : "", cp.signer,
                 cp.pin_approved_at ? ", chưa ký, " : "",
                 cp.pin_approved_at ? bt_usb_approved_text(cp.pin_approved_at, approved,
                                                           sizeof approved)
                                    : "");
    else
        snprintf(out->last_import, sizeof out->last_import,
                 "Playlist đang phát không được nạp từ USB.");
    return rc;
}

/* ---- the keys of the PIN entry and the panel under a finger or the mouse ------------------- */

void bt_app_panel_window_to_content(int win_w, int win_h, int content_w, int content_h,
                                    bool rotated, double wx, double wy, int *cx, int *cy)
{
    if (win_w <= 0 || win_h <= 0) {
        *cx = *cy = -1;
        return;
    }
    if (!rotated) {
        *cx = (int)(wx * content_w / win_w);
        *cy = (int)(wy * content_h / win_h);
        return;
    }
    /* The content is presented turned 90° clockwise: its left edge is the window's top, its top
     * edge the window's right (the window is content_h wide and content_w high). */
    double ox = wx * content_h / win_w, oy = wy * content_w / win_h;
    *cx = (int)oy;
    *cy = content_h - 1 - (int)ox;
}

bool bt_app_panel_keypad(const bt_panel *overlay, SDL_Window *window, bool rotated,
                         const SDL_Event *ev, bt_panel_input *in, int *digit)
{
    int ww = 0, wh = 0, cw = 0, ch = 0, cx, cy;
    double wx, wy;
    if (!overlay || !window)
        return false;
    SDL_GetWindowSize(window, &ww, &wh);
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.which != SDL_TOUCH_MOUSEID) {
        wx = ev->button.x;
        wy = ev->button.y;
    } else if (ev->type == SDL_FINGERDOWN) {
        wx = (double)ev->tfinger.x * ww;
        wy = (double)ev->tfinger.y * wh;
    } else {
        return false;
    }
    bt_panel_size(overlay, &cw, &ch);
    bt_app_panel_window_to_content(ww, wh, cw, ch, rotated, wx, wy, &cx, &cy);
    bt_panel_key key = bt_panel_key_at(overlay, cx, cy);
    switch (key) {
    case BT_PANEL_KEY_NONE: return false;
    case BT_PANEL_KEY_BACK: *in = BT_PANEL_IN_BACKSPACE; return true;
    case BT_PANEL_KEY_OK:
    case BT_PANEL_KEY_SET_CLOCK: *in = BT_PANEL_IN_ENTER; return true;
    case BT_PANEL_KEY_CANCEL:
    case BT_PANEL_KEY_CLOSE: *in = BT_PANEL_IN_ESCAPE; return true;
    case BT_PANEL_KEY_PROOF: *in = BT_PANEL_IN_PROOF; return true;
    case BT_PANEL_KEY_RECORDS: *in = BT_PANEL_IN_RECORDS; return true;
    default:
        if (key < 0 || key > 9)
            return false;
        *in = BT_PANEL_IN_DIGIT;
        *digit = (int)key;
        return true;
    }
}

/* ---- the clock page ------------------------------------------------------------------------ */

void bt_app_panel_clock_view(const bt_panel_state *s, bt_wall now, bool now_trusted,
                             const char *answer, bt_panel_clock_view *out)
{
    char hhmm[16], date[48];
    memset(out, 0, sizeof *out);
    bt_panel_state_clock_text(s, out->field, sizeof out->field);
    snprintf(out->machine, sizeof out->machine, "Đồng hồ của máy đang chỉ: %s, %s%s",
             bt_time_format_hhmm(now, hhmm, sizeof hhmm),
             bt_time_format_date_vi(now, date, sizeof date), now_trusted ? "" : " (chưa đúng)");
    out->timeout_seconds = (int)(s->timeout_ms / 1000);
    switch (s->clock_status) {
    case BT_PANEL_CLOCK_INCOMPLETE:
        snprintf(out->message, sizeof out->message,
                 "Chưa đủ: nhập đủ 12 chữ số — ngày, tháng, năm (4 chữ số), giờ, phút.");
        break;
    case BT_PANEL_CLOCK_BAD_DATE:
        snprintf(out->message, sizeof out->message,
                 "Không có ngày giờ %s: ngày phải có trong tháng, giờ 00–23, phút 00–59, năm "
                 "%d–%d. Bấm Xoá để sửa.",
                 out->field, BT_PANEL_CLOCK_MIN_YEAR, BT_PANEL_CLOCK_MAX_YEAR);
        break;
    case BT_PANEL_CLOCK_SET:
    case BT_PANEL_CLOCK_FAILED:
        snprintf(out->message, sizeof out->message, "%s", answer ? answer : "");
        out->message_ok = s->clock_status == BT_PANEL_CLOCK_SET;
        break;
    default:
        break;
    }
}

/* ---- "Màn hình đã chiếu" ----------------------------------------------------------------- */

/* "48 lượt · 12 phút"; a showing shorter than half a minute is not rounded away to nothing. */
static void proof_figure(int64_t shows, double seconds, char *buf, size_t size)
{
    char n[32], m[32];
    long long minutes = (long long)(seconds / 60.0 + 0.5);
    if (shows > 0 && minutes == 0)
        snprintf(buf, size, "%s lượt · dưới 1 phút", bt_text_count(shows, n, sizeof n));
    else
        snprintf(buf, size, "%s lượt · %s phút", bt_text_count(shows, n, sizeof n),
                 bt_text_count(minutes, m, sizeof m));
}

/* A video notice's plays today and this month: "Video — hôm nay: 3 lượt trọn, 1 lượt bị cắt
 * ngang; tháng này: 40 lượt trọn, 5 lượt bị cắt ngang". */
static void proof_video(const bt_proof_tally *t, char *buf, size_t size)
{
    char a[32], b[32], c[32], d[32];
    snprintf(buf, size,
             "Video — hôm nay: %s lượt trọn, %s lượt bị cắt ngang; tháng này: %s lượt trọn, %s "
             "lượt bị cắt ngang",
             bt_text_count(t->video_whole_today, a, sizeof a),
             bt_text_count(t->video_cut_today, b, sizeof b),
             bt_text_count(t->video_whole_month, c, sizeof c),
             bt_text_count(t->video_cut_month, d, sizeof d));
}

static void proof_last(bt_day last, bt_day today, char *buf, size_t size)
{
    if (last == BT_PROOF_NEVER)
        snprintf(buf, size, "chưa chiếu");
    else if (last == today)
        snprintf(buf, size, "hôm nay");
    else if (last == today - 1)
        snprintf(buf, size, "hôm qua");
    else
        bt_time_format_ddmmyyyy(last, buf, size);
}

int bt_app_panel_proof(bt_store *store, const bt_playlist *p, bt_wall now, int timeout_seconds,
                       bt_panel_proof_view *out)
{
    char date[64], hhmm[16];
    memset(out, 0, sizeof *out);
    bt_day today = bt_time_day_of(now);
    bt_civil c = bt_time_to_civil(now);
    snprintf(out->title, sizeof out->title, "Màn hình đã chiếu — %s",
             bt_time_format_date_vi(now, date, sizeof date));
    snprintf(out->head_today, sizeof out->head_today, "Hôm nay");
    snprintf(out->head_month, sizeof out->head_month, "Tháng %d/%d", c.month, c.year);
    snprintf(out->footer, sizeof out->footer, BT_APP_PANEL_PROOF_FOOTER, timeout_seconds);
    if (!p) {
        snprintf(out->empty, sizeof out->empty, "Chưa có playlist nào đang chiếu.");
        return 0;
    }
    snprintf(out->subtitle, sizeof out->subtitle,
             "Playlist «%.200s» · số lần và số phút mỗi thông báo lên màn hình, ghi mỗi phút, "
             "đến %s", p->title ? p->title : p->id, bt_time_format_hhmm(now, hhmm, sizeof hhmm));
    bt_proof_row *rows = NULL;
    size_t count = 0;
    if (!store || bt_store_impressions_list(store, today - BT_APP_PANEL_PROOF_DAYS, today, &rows,
                                            &count) != 0) {
        snprintf(out->empty, sizeof out->empty,
                 "Không đọc được số liệu trình chiếu từ cơ sở dữ liệu của máy; màn hình vẫn "
                 "chiếu. Xem \"bangtin doctor\".");
        return -1;
    }
    size_t n = p->notice_count < BT_PANEL_MAX_PROOF_ROWS ? p->notice_count
                                                         : BT_PANEL_MAX_PROOF_ROWS;
    const char *ids[BT_PANEL_MAX_PROOF_ROWS];
    bt_proof_tally tally[BT_PANEL_MAX_PROOF_ROWS];
    for (size_t i = 0; i < n; i++)
        ids[i] = p->notices[i].id;
    bt_proof_tally_notices(rows, count, p->id, ids, n, today, tally);
    free(rows);
    for (size_t i = 0; i < n; i++) {
        bt_panel_proof_row *r = &out->rows[i];
        const bt_notice *no = &p->notices[i];
        snprintf(r->name, sizeof r->name, "%s", no->title && *no->title ? no->title : no->id);
        proof_figure(tally[i].shows_today, tally[i].seconds_today, r->today, sizeof r->today);
        proof_figure(tally[i].shows_month, tally[i].seconds_month, r->month, sizeof r->month);
        proof_last(tally[i].last_day, today, r->last, sizeof r->last);
        if (no->kind == BT_NOTICE_VIDEO)
            proof_video(&tally[i], r->video, sizeof r->video);
    }
    out->row_count = n;
    if (n == 0)
        snprintf(out->empty, sizeof out->empty, "Playlist đang chiếu không có thông báo nào.");
    return 0;
}
