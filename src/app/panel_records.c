/* "Ghi nhận kênh khác" on the staff panel (bt_app_panel.h): what the page says at each step of
 * its state machine (core/panel_records.c), and its writes into the store's staff_records: an
 * entry, or the correcting row that undoes one, handed to the store's writer
 * (bt_store_writer_staff) like every other write of the kiosk, so the drawing thread never waits
 * for the disk and a store that refuses keeps them in the writer's journal. Everything a staff
 * member reads here is Vietnamese. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_store_writer.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"

#define TOPICS_BYTES 256

/* The page lists what the writer hands back after a write. */
_Static_assert(BT_STORE_WRITER_RECENT == BT_PANEL_RECORD_RECENT, "the page's list is the writer's");

static bt_day today_of(bt_wall now)
{
    return bt_time_day_of(now);
}

void bt_app_panel_records_options(bt_panel_state *s, bt_store *store, const bt_playlist *p,
                                  bt_wall now, bt_app_panel_recent *recent)
{
    bt_target_channel channels[BT_PANEL_RECORD_CHANNELS];
    size_t n = bt_panel_records_channels(p ? &p->targets : NULL, channels);
    recent->count = 0;
    if (store && bt_records_store_recent(store, recent->rows, BT_PANEL_RECORD_RECENT,
                                         &recent->count) != 0)
        recent->count = 0;
    bt_panel_state_records_options(s, channels, n, recent->count, today_of(now));
}

/* "12/11/2025 · 3 tin bài · Trang thông tin điện tử của phường · Bài về VNeID (bảng theo dõi)" */
static void entry_line(const bt_record_row *r, char *buf, size_t size)
{
    char day[16], what[160], line[512];
    static const char *const from[] = {"playlist", "tệp ghi-nhan.csv", "bảng theo dõi"};
    /* A playlist's title may be long: the panel's line shows its start, the report all of it. */
    bt_text_clip(r->title[0] ? r->title : r->note, what, sizeof what);
    snprintf(line, sizeof line, "%s · %d tin bài · %s%s%s (%s)",
             bt_time_format_ddmmyyyy(r->day, day, sizeof day), r->count,
             bt_target_channel_vi(r->channel), what[0] ? " · " : "", what, from[r->source]);
    bt_text_clip(line, buf, size);
}

/* The page's answer, the state machine and the list after a write (or a write that could not
 * be asked for). */
static void answered(bt_app_panel_records *pr, bool ok, const bt_record_row *recent,
                     size_t recent_count)
{
    if (ok)
        bt_log_info("Bảng theo dõi, ghi nhận kênh khác: %s", pr->answer);
    else
        bt_log_error("Bảng theo dõi, ghi nhận kênh khác: %s", pr->answer);
    if (recent) {
        if (recent_count > BT_PANEL_RECORD_RECENT)
            recent_count = BT_PANEL_RECORD_RECENT;
        memcpy(pr->recent.rows, recent, recent_count * sizeof *recent);
        pr->recent.count = recent_count;
    }
    pr->state->record_recent = pr->recent.count;
    bt_panel_records_result(&pr->state->records, ok, pr->recent.count);
    pr->answered = true;
}


/* The answer, cut at a letter when the entry's line makes it too long for the page. */
__attribute__((format(printf, 2, 3))) static void say(bt_app_panel_records *pr, const char *fmt,
                                                      ...)
{
    char text[BT_PANEL_LINE_BYTES * 3];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    bt_text_clip(text, pr->answer, sizeof pr->answer);
}

static void failed_text(bt_app_panel_records *pr, const char *why)
{
    say(pr, "Chưa ghi được: %s. Bấm OK để thử lại; nếu vẫn lỗi, báo cán bộ kỹ thuật.", why);
}

static void failed(bt_app_panel_records *pr, const char *why)
{
    failed_text(pr, why);
    answered(pr, false, NULL, 0);
}

/* bt_staff_done: on the kiosk's thread, at a poll of the store's writer. */
static void write_done(void *ctx, const bt_staff_result *r)
{
    bt_app_panel_records *pr = ctx;
    char day[16];
    const char *channel = bt_target_channel_vi(pr->channel);
    bt_time_format_ddmmyyyy(pr->day, day, sizeof day);
    /* The store refused it for now: kept on the disk outside it (or only in memory, which a
     * power cut loses) and written when the store takes writes again. */
    const char *kept = r->in_memory_only
                           ? "chỉ giữ được trong bộ nhớ (mất nếu tắt máy trước khi ghi được)"
                           : "đã giữ trong nhật ký chờ ghi, sẽ tự ghi vào khi ghi được";
    switch (r->outcome) {
    case BT_WRITE_STORED:
        if (!pr->undo)
            say(pr, "Đã ghi: %s · %d tin bài · %s. Bấm OK để ghi tiếp.", day, pr->count,
                channel);
        else
            say(pr, "%s: %s. Dòng điều chỉnh đã được ghi, báo cáo không còn tính ghi nhận này.",
                r->undone_before ? "Đã hủy từ trước" : "Đã hủy", pr->line);
        break;
    case BT_WRITE_JOURNALED:
        if (!pr->undo)
            say(pr, "Đã nhận: %s · %d tin bài · %s — cơ sở dữ liệu chưa ghi được (%s), %s. Bấm "
                "OK để ghi tiếp.", day, pr->count, channel, r->problem, kept);
        else
            say(pr, "Đã nhận lệnh hủy: %s — cơ sở dữ liệu chưa ghi được (%s), %s.", pr->line,
                r->problem, kept);
        break;
    case BT_WRITE_REFUSED:
        if (pr->undo)
            say(pr, "Không hủy được: %s.", r->problem);
        else
            failed_text(pr, r->problem);
        break;
    }
    answered(pr, r->outcome != BT_WRITE_REFUSED, r->recent_ok ? r->recent : NULL,
             r->recent_count);
}

bool bt_app_panel_records_write(bt_app_panel_records *pr, bt_panel_state *s, bt_store_writer *w,
                                const bt_playlist *p, bt_wall now)
{
    bt_panel_record_request q;
    char topics[TOPICS_BYTES];
    if (!bt_panel_records_take(&s->records, &q))
        return false;
    pr->state = s;
    pr->undo = q.undo;
    pr->channel = q.channel;
    pr->day = q.day;
    pr->count = q.count;
    bt_staff_request r = {.undo = q.undo, .channel = q.channel, .day = q.day, .count = q.count,
                          .note = q.note, .at = now};
    if (q.undo) {
        if (q.undo_index >= pr->recent.count) {
            say(pr, "Không hủy được: danh sách đã đổi — hãy chọn lại.");
            answered(pr, false, NULL, 0);
            return true;
        }
        entry_line(&pr->recent.rows[q.undo_index], pr->line, sizeof pr->line);
        r.entry = pr->recent.rows[q.undo_index].id;
    } else {
        r.topic = bt_records_channel_topics(p ? &p->targets : NULL, q.channel, topics,
                                            sizeof topics);
    }
    if (!w)
        failed(pr, "chưa mở được cơ sở dữ liệu");
    else if (bt_store_writer_staff(w, &r, write_done, pr) != 0)
        failed(pr, "hết bộ nhớ");
    return true;
}

/* ---- what the page says ------------------------------------------------------------------ */

static const char *const step_prompts[] = {
    [BT_PANEL_RECORD_CHANNEL] = "Bước 1/5 — Chọn kênh: bấm số của kênh (0: hủy một ghi nhận đã "
                                "nhập)",
    [BT_PANEL_RECORD_DAY] = "Bước 2/5 — Ngày đăng: bấm OK nếu là hôm nay, hoặc nhập "
                            "ngày/tháng/năm (8 chữ số) rồi OK",
    [BT_PANEL_RECORD_COUNT] = "Bước 3/5 — Số tin bài: bấm OK nếu là 1, hoặc nhập số rồi OK",
    [BT_PANEL_RECORD_NOTE] = "Bước 4/5 — Ghi chú: bấm số của một ghi chú, hoặc OK để không ghi "
                             "chú",
    [BT_PANEL_RECORD_CONFIRM] = "Bước 5/5 — Kiểm tra lại rồi bấm OK để ghi (Xoá: sửa lại)",
    [BT_PANEL_RECORD_UNDO_PICK] = "Hủy một ghi nhận: bấm số của dòng cần hủy (Xoá: quay lại)",
    [BT_PANEL_RECORD_UNDO_CONFIRM] = "Bấm OK để hủy ghi nhận này (Xoá: chọn dòng khác)",
};

static void form_lines(const bt_panel_records *r, bt_panel_records_view *out)
{
    char day[16], typed[32];
    bool past_channel = r->step > BT_PANEL_RECORD_CHANNEL && r->step <= BT_PANEL_RECORD_CONFIRM;
    snprintf(out->form[0], sizeof out->form[0], "Kênh: %s",
             past_channel ? bt_target_channel_vi(r->channels[r->channel_index]) : "…");
    if (r->step == BT_PANEL_RECORD_DAY)
        snprintf(out->form[1], sizeof out->form[1], "Ngày: %s",
                 r->day_len ? bt_panel_records_day_text(r, typed, sizeof typed)
                            : "hôm nay");
    else if (r->step > BT_PANEL_RECORD_DAY && r->step <= BT_PANEL_RECORD_CONFIRM)
        snprintf(out->form[1], sizeof out->form[1], "Ngày: %s%s",
                 bt_time_format_ddmmyyyy(r->day, day, sizeof day),
                 r->day == r->today ? " (hôm nay)" : "");
    else
        snprintf(out->form[1], sizeof out->form[1], "Ngày: …");
    if (r->step == BT_PANEL_RECORD_COUNT)
        snprintf(out->form[2], sizeof out->form[2], "Số tin bài: %s",
                 r->count_len ? r->count_typed : "1");
    else if (r->step > BT_PANEL_RECORD_COUNT && r->step <= BT_PANEL_RECORD_CONFIRM)
        snprintf(out->form[2], sizeof out->form[2], "Số tin bài: %d", r->count);
    else
        snprintf(out->form[2], sizeof out->form[2], "Số tin bài: …");
    const char *note = bt_panel_record_note(r->note);
    snprintf(out->form[3], sizeof out->form[3], "Ghi chú: %s",
             r->step == BT_PANEL_RECORD_CONFIRM ? (note ? note : "(không)") : "…");
    out->current = r->step <= BT_PANEL_RECORD_NOTE ? (int)r->step : -1;
}

static void list_lines(const bt_panel_records *r, const bt_app_panel_recent *recent,
                       bt_panel_records_view *out)
{
    char line[BT_PANEL_LINE_BYTES];
    size_t n = 0;
    switch (r->step) {
    case BT_PANEL_RECORD_CHANNEL:
        for (size_t i = 0; i < r->channel_count && n < BT_PANEL_RECORDS_LIST; i++)
            snprintf(out->list[n++], sizeof out->list[0], "%zu   %s", i + 1,
                     bt_target_channel_vi(r->channels[i]));
        snprintf(out->list[n++], sizeof out->list[0], "0   Hủy một ghi nhận đã nhập");
        break;
    case BT_PANEL_RECORD_NOTE:
        snprintf(out->list[n++], sizeof out->list[0], "OK  Không ghi chú");
        for (int i = 1; i <= BT_PANEL_RECORD_NOTE_COUNT && n < BT_PANEL_RECORDS_LIST; i++)
            snprintf(out->list[n++], sizeof out->list[0], "%d   %s", i, bt_panel_record_note(i));
        break;
    case BT_PANEL_RECORD_UNDO_PICK:
    case BT_PANEL_RECORD_UNDO_CONFIRM:
        for (size_t i = 0; i < recent->count && i < r->recent_count && n < BT_PANEL_RECORDS_LIST;
             i++) {
            if (r->step == BT_PANEL_RECORD_UNDO_CONFIRM && i != r->undo_index)
                continue;
            entry_line(&recent->rows[i], line, sizeof line);
            char numbered[sizeof line + 32];
            snprintf(numbered, sizeof numbered, "%zu   %s", i + 1, line);
            bt_text_clip(numbered, out->list[n++], sizeof out->list[0]);
        }
        break;
    default:
        break;
    }
    out->list_count = n;
}

static void message_of(const bt_panel_records *r, const char *answer, bt_panel_records_view *out)
{
    char today[16];
    const char *m = "";
    switch (r->status) {
    case BT_PANEL_RECORD_NO_CHOICE: m = "Không có số đó trong danh sách — bấm một số có trong danh sách."; break;
    case BT_PANEL_RECORD_BAD_DAY:
        m = "Ngày chưa đúng: nhập đủ 8 chữ số ngày, tháng, năm (ví dụ 05122026 là 05/12/2026), "
            "ngày phải có thật, năm từ 2020. Bấm Xoá để sửa.";
        break;
    case BT_PANEL_RECORD_FUTURE_DAY:
        snprintf(out->message, sizeof out->message,
                 "Ngày này chưa tới (hôm nay là %s) — chỉ ghi nhận những gì đã đăng. Bấm Xoá để "
                 "sửa.",
                 bt_time_format_ddmmyyyy(r->today, today, sizeof today));
        return;
    case BT_PANEL_RECORD_BAD_COUNT: m = "Số tin bài phải từ 1 trở lên. Bấm Xoá để sửa."; break;
    case BT_PANEL_RECORD_NOTHING_TO_UNDO: m = "Chưa có ghi nhận nào để hủy."; break;
    case BT_PANEL_RECORD_ASKED:
    case BT_PANEL_RECORD_WRITING: m = "Đang ghi…"; break;
    case BT_PANEL_RECORD_DONE:
    case BT_PANEL_RECORD_FAILED:
        m = answer ? answer : "";
        out->message_ok = r->status == BT_PANEL_RECORD_DONE;
        break;
    default: break;
    }
    snprintf(out->message, sizeof out->message, "%s", m);
}

void bt_app_panel_records_view(const bt_panel_state *s, const bt_app_panel_recent *recent,
                               const char *answer, bt_panel_records_view *out)
{
    const bt_panel_records *r = &s->records;
    memset(out, 0, sizeof *out);
    snprintf(out->title, sizeof out->title, "Ghi nhận tin bài trên các kênh khác");
    form_lines(r, out);
    snprintf(out->prompt, sizeof out->prompt, "%s",
             r->status == BT_PANEL_RECORD_DONE
                 ? "Xong — bấm OK hoặc số của kênh để ghi tiếp, Huỷ để về bảng theo dõi"
                 : step_prompts[r->step]);
    if (r->step == BT_PANEL_RECORD_DAY)
        bt_panel_records_day_text(r, out->field, sizeof out->field);
    else if (r->step == BT_PANEL_RECORD_COUNT)
        snprintf(out->field, sizeof out->field, "%s", r->count_len ? r->count_typed : "_");
    list_lines(r, recent, out);
    message_of(r, answer, out);
    snprintf(out->footer, sizeof out->footer,
             "Bàn phím: số, OK (Enter), Xoá (Backspace: xoá số hoặc lùi một bước), Huỷ (Esc): về "
             "bảng theo dõi · Ghi nhận được lưu ngay và tính vào báo cáo (do cán bộ ghi nhận) · "
             "Tự đóng sau %d giây không thao tác",
             (int)(s->timeout_ms / 1000));
}
