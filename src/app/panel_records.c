/* "Ghi nhận kênh khác" on the staff panel (bt_app_panel.h): what the page says at each step of
 * its state machine (core/panel_records.c), and its writes into the store's staff_records
 * (bt_records_store.h): an entry, or the correcting row that undoes one. Everything a staff
 * member reads here is Vietnamese. */
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_records_store.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"

#define TOPICS_BYTES 256

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

bool bt_app_panel_records_write(bt_panel_state *s, bt_store *store, const bt_playlist *p,
                                bt_wall now, bt_app_panel_recent *recent, char *answer,
                                size_t answer_size)
{
    bt_panel_record_request q;
    char why[256] = "", line[BT_PANEL_LINE_BYTES], topics[TOPICS_BYTES], day[16];
    if (!bt_panel_records_take(&s->records, &q))
        return false;
    int rc;
    if (q.undo) {
        if (q.undo_index >= recent->count) {
            snprintf(answer, answer_size, "Không hủy được: danh sách đã đổi — hãy chọn lại.");
            bt_panel_records_result(&s->records, false, recent->count);
            return true;
        }
        const bt_record_row *r = &recent->rows[q.undo_index];
        entry_line(r, line, sizeof line);
        rc = bt_records_store_undo(store, r->id, now, why, sizeof why);
        if (rc >= 0)
            snprintf(answer, answer_size, "%s: %s. Dòng điều chỉnh đã được ghi, báo cáo không "
                     "còn tính ghi nhận này.",
                     rc == 0 ? "Đã hủy" : "Đã hủy từ trước", line);
    } else {
        bt_record_entry e = {q.channel, q.day, q.count, q.note,
                             bt_records_channel_topics(p ? &p->targets : NULL, q.channel, topics,
                                                       sizeof topics)};
        int64_t id = 0;
        rc = bt_records_store_add(store, &e, now, &id, why, sizeof why);
        if (rc == 0)
            snprintf(answer, answer_size, "Đã ghi: %s · %d tin bài · %s. Bấm OK để ghi tiếp.",
                     bt_time_format_ddmmyyyy(q.day, day, sizeof day), q.count,
                     bt_target_channel_vi(q.channel));
    }
    if (rc < 0)
        snprintf(answer, answer_size, "Chưa ghi được: %s. Bấm OK để thử lại; nếu vẫn lỗi, báo "
                 "cán bộ kỹ thuật.",
                 why);
    if (rc < 0)
        bt_log_error("Bảng theo dõi, ghi nhận kênh khác: %s", answer);
    else
        bt_log_info("Bảng theo dõi, ghi nhận kênh khác: %s", answer);
    if (store && bt_records_store_recent(store, recent->rows, BT_PANEL_RECORD_RECENT,
                                         &recent->count) != 0)
        recent->count = 0;
    s->record_recent = recent->count;
    bt_panel_records_result(&s->records, rc >= 0, recent->count);
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
