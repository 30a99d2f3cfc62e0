/* `bangtin log`: the airing log as the culture department reads it — a table of every airing
 * (one row per item of a session) with its slot, state, times and reason, then the silence
 * measured in each item aired (by its content hash) — and
 * `bangtin log verify`, which walks the log's hash chains and names any row that was edited or
 * deleted. Read only: neither command writes to the database. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_config.h"
#include "bangtin/bt_measurements.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_vi.h"

/* Columns of the table, in characters (code points, so Vietnamese headers line up). */
#define COL_SEQ 6
#define COL_SLOT 19
#define COL_SESSION 18
#define COL_ITEM 24
#define COL_TITLE 36
#define COL_STATUS 11
/* "15/11 06:00:02": a start on another day than its slot (a make-up) carries its date. */
#define COL_TIME 14
#define COL_DURATION 10

static size_t chars_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Prints s in a column of `width` characters: cut (with "…") if longer, padded if shorter. */
static void cell(const char *s, size_t width)
{
    size_t chars = chars_of(s);
    if (chars <= width) {
        fputs(s, stdout);
        for (size_t i = chars; i < width; i++)
            putchar(' ');
    } else {
        size_t kept = 0;
        const char *p = s;
        while (*p && kept < width - 1) {
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
            kept++;
        }
        fwrite(s, 1, (size_t)(p - s), stdout);
        fputs("…", stdout);
    }
    putchar(' ');
}

/* "23/11/2026 06:00" (with ":30" when a one-off slot has seconds). */
static void slot_text(bt_wall t, char *buf, size_t size)
{
    bt_civil c = bt_time_to_civil(t);
    if (c.second)
        snprintf(buf, size, "%02d/%02d/%04d %02d:%02d:%02d", c.day, c.month, c.year, c.hour,
                 c.minute, c.second);
    else
        snprintf(buf, size, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour,
                 c.minute);
}

/* "06:00:02", with the date in front when it is not the slot's day. */
static void time_text(int64_t ms, bt_wall slot, char *buf, size_t size)
{
    if (ms <= 0) {
        snprintf(buf, size, "—");
        return;
    }
    bt_wall t = ms / 1000;
    bt_civil c = bt_time_to_civil(t);
    if (bt_time_day_of(t) != bt_time_day_of(slot))
        snprintf(buf, size, "%02d/%02d %02d:%02d:%02d", c.day, c.month, c.hour, c.minute,
                 c.second);
    else
        snprintf(buf, size, "%02d:%02d:%02d", c.hour, c.minute, c.second);
}

static void duration_text(int64_t ms, char *buf, size_t size)
{
    if (ms < 0) {
        snprintf(buf, size, "—");
        return;
    }
    int64_t tenths = (ms + 50) / 100;
    snprintf(buf, size, "%lld:%02lld.%lld", (long long)(tenths / 600),
             (long long)(tenths / 10 % 60), (long long)(tenths % 10));
}

/* The reason column's "code: detail" in words for staff. */
static void reason_words(const bt_airing_row *r, char *buf, size_t size)
{
    bt_vi_reason(r->reason, buf, size);
    if (!r->clock_trusted) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%sđồng hồ không tin cậy", used ? "; " : "");
    }
}

static int parse_day(const char *name, const char *text, bt_day *out)
{
    if (bt_time_parse_date(text, out) != 0) {
        fprintf(stderr, "bangtin log: %s \"%s\" không hợp lệ — viết dạng 2025-10-01 hoặc "
                        "01/10/2025.\n", name, text);
        return -1;
    }
    return 0;
}

static void print_header(void)
{
    cell("Số", COL_SEQ);
    cell("Khung giờ", COL_SLOT);
    cell("Phiên", COL_SESSION);
    cell("Mã tin", COL_ITEM);
    cell("Tiêu đề", COL_TITLE);
    cell("Trạng thái", COL_STATUS);
    cell("Bắt đầu", COL_TIME);
    cell("Kết thúc", COL_TIME);
    cell("Thời lượng", COL_DURATION);
    fputs("Ghi chú\n", stdout);
}

/* rows[i]'s note: its reason in words, and how it ties to a make-up ("đã phát bù 11/11
 * 05:30", "phát bù cho buổi 10/11 06:00"), so a slot made up reads as one. */
static void note_words(const bt_airing_row *rows, size_t i, size_t made_up_by, bool is_makeup,
                       char *buf, size_t size)
{
    const bt_airing_row *r = &rows[i];
    char when[32];
    reason_words(r, buf, size);
    size_t used = strlen(buf);
    if (made_up_by != SIZE_MAX) {
        const bt_airing_row *later = &rows[made_up_by];
        time_text(later->started_at_ms, 0, when, sizeof when);
        snprintf(buf + used, size - used, "%sđã phát bù %s", used ? "; " : "", when);
    } else if (is_makeup && r->status == BT_AIRING_COMPLETED) {
        bt_civil c = bt_time_to_civil(r->subject.scheduled_at);
        snprintf(buf + used, size - used, "%sphát bù cho buổi %02d/%02d %02d:%02d",
                 used ? "; " : "", c.day, c.month, c.hour, c.minute);
    }
}

static void print_row(const bt_airing_row *rows, size_t i, size_t made_up_by, bool is_makeup)
{
    const bt_airing_row *r = &rows[i];
    char buf[BT_AIRING_REASON_BYTES + 64];
    snprintf(buf, sizeof(buf), "#%lld", (long long)r->airing);
    cell(buf, COL_SEQ);
    slot_text(r->subject.scheduled_at, buf, sizeof(buf));
    cell(buf, COL_SLOT);
    cell(r->subject.session_id, COL_SESSION);
    cell(r->subject.item_id, COL_ITEM);
    cell(r->subject.title, COL_TITLE);
    cell(is_makeup && r->status == BT_AIRING_COMPLETED ? "đã phát bù"
                                                       : bt_airing_status_label(r->status),
         COL_STATUS);
    time_text(r->started_at_ms, r->subject.scheduled_at, buf, sizeof(buf));
    cell(buf, COL_TIME);
    time_text(r->ended_at_ms, r->subject.scheduled_at, buf, sizeof(buf));
    cell(buf, COL_TIME);
    duration_text(r->status == BT_AIRING_COMPLETED || r->status == BT_AIRING_INTERRUPTED
                      ? r->duration_ms
                      : -1,
                  buf, sizeof(buf));
    cell(buf, COL_DURATION);
    note_words(rows, i, made_up_by, is_makeup, buf, sizeof(buf));
    printf("%s\n", buf);
}

/* Whether rows[i]'s content appeared in an earlier row (one line per aired content). */
static bool hash_seen_before(const bt_airing_row *rows, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(rows[k].subject.sha256, rows[i].subject.sha256) == 0)
            return true;
    return false;
}

/* The silence of each content in the table, as measured when its playlist was loaded (the
 * rows carry its hash; the figures live with its measurement), with the limits it goes over
 * under this appliance's config. */
static void print_silence(bt_store *store, const bt_config *cfg, const bt_airing_row *rows,
                          size_t n)
{
    bt_broadcast_limits lim;
    bt_config_broadcast_limits(cfg, &lim);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const bt_airing_row *r = &rows[i];
        bt_measurement m;
        if (!r->subject.sha256[0] || hash_seen_before(rows, i) ||
            bt_measurement_latest_silence(store, r->subject.sha256, &m) != 1)
            continue;
        if (!any)
            printf("\nKhoảng lặng trong các tin (đo khi nạp playlist):\n");
        any = true;
        const bt_silence *v = &m.silence;
        char lead[16], trail[16], inside[16];
        printf("  tin \"%s\" (SHA-256 %.12s…): lặng đầu %s giây, lặng cuối %s giây, khoảng "
               "lặng giữa dài nhất %s giây, tổng im lặng %ld %%", r->subject.item_id,
               r->subject.sha256,
               bt_silence_seconds_text(v->leading_seconds, lead, sizeof(lead)),
               bt_silence_seconds_text(v->trailing_seconds, trail, sizeof(trail)),
               bt_silence_seconds_text(v->longest_inside_seconds, inside, sizeof(inside)),
               lround(v->silent_fraction * 100.0));
        unsigned over = bt_silence_over(v, &lim.silence);
        if (over & BT_SILENCE_MOSTLY_SILENT)
            printf(" — quá %d %%: không phát", lim.silence.max_percent);
        else if (over)
            printf(" — dài hơn giới hạn%s%s%s", over & BT_SILENCE_LONG_LEADING ? " ở đầu" : "",
                   over & BT_SILENCE_LONG_TRAILING ? " ở cuối" : "",
                   over & BT_SILENCE_LONG_INSIDE ? " ở giữa" : "");
        printf("\n");
    }
}

/* Clock events detected within [from, to), after the table: they explain untrusted rows. */
static void print_clock_events(bt_store *store, bt_wall from, bt_wall to)
{
    bt_clock_event *ev = NULL;
    size_t n = 0;
    if (bt_airing_clock_events(store, &ev, &n) != 0)
        return;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        bt_wall t = ev[i].detected_at_ms / 1000;
        if (t < from || t >= to)
            continue;
        if (!any)
            printf("\nĐồng hồ bị chỉnh:\n");
        any = true;
        char when[32];
        bt_time_format_iso(t, when, sizeof(when));
        printf("  #%lld  %s  %s%.1f giây  %s\n", (long long)ev[i].seq, when,
               ev[i].jump_ms >= 0 ? "+" : "−",
               (double)(ev[i].jump_ms >= 0 ? ev[i].jump_ms : -ev[i].jump_ms) / 1000.0,
               ev[i].note);
    }
    free(ev);
}

static int log_list(bt_store *store, const bt_config *cfg, const bt_cli_args *a)
{
    const char *from_text = bt_cli_opt(a, "--from"), *to_text = bt_cli_opt(a, "--to");
    bt_day from_day = 0, to_day = 0;
    bt_wall from = INT64_MIN, to = INT64_MAX;
    if (from_text) {
        if (parse_day("--from", from_text, &from_day) != 0)
            return 2;
        from = bt_time_day_start(from_day);
    }
    if (to_text) {
        if (parse_day("--to", to_text, &to_day) != 0)
            return 2;
        to = bt_time_day_start(to_day) + BT_SECONDS_PER_DAY;
    }
    if (from_text && to_text && to_day < from_day) {
        fprintf(stderr, "bangtin log: --to %s trước --from %s.\n", to_text, from_text);
        return 2;
    }
    bt_airing_row *rows = NULL;
    size_t n = 0;
    if (bt_airing_list(store, from, to, &rows, &n) != 0) {
        fprintf(stderr, "bangtin log: không đọc được nhật ký phát thanh.\n");
        return 1;
    }
    char a_text[16] = "", b_text[16] = "", range[64] = "toàn bộ";
    if (from_text)
        bt_time_format_ddmmyyyy(from_day, a_text, sizeof(a_text));
    if (to_text)
        bt_time_format_ddmmyyyy(to_day, b_text, sizeof(b_text));
    if (from_text && to_text)
        snprintf(range, sizeof(range), "khung giờ từ %s đến %s", a_text, b_text);
    else if (from_text)
        snprintf(range, sizeof(range), "khung giờ từ %s", a_text);
    else if (to_text)
        snprintf(range, sizeof(range), "khung giờ đến hết %s", b_text);
    printf("Nhật ký phát thanh — %s: %zu lần phát\n\n", range, n);
    size_t by_status[BT_AIRING_MISSED + 1] = {0};
    if (n == 0) {
        printf("Chưa có lần phát nào trong khoảng này.\n");
    } else {
        size_t *made_up_by = malloc(n * sizeof *made_up_by);
        bool *is_makeup = malloc(n * sizeof *is_makeup);
        if (!made_up_by || !is_makeup) {
            free(made_up_by);
            free(is_makeup);
            free(rows);
            fprintf(stderr, "bangtin log: không đủ bộ nhớ.\n");
            return 1;
        }
        bt_airing_link_makeups(rows, n, made_up_by, is_makeup);
        print_header();
        size_t made_up = 0;
        for (size_t i = 0; i < n; i++) {
            print_row(rows, i, made_up_by[i], is_makeup[i]);
            /* A slot made up later is counted once, with its make-up. */
            if ((size_t)rows[i].status <= BT_AIRING_MISSED && made_up_by[i] == SIZE_MAX)
                by_status[rows[i].status]++;
            made_up += is_makeup[i] && rows[i].status == BT_AIRING_COMPLETED;
        }
        free(made_up_by);
        free(is_makeup);
        printf("\nTổng cộng: %zu đã phát (trong đó %zu phát bù), %zu bị ngắt, %zu lỗi, %zu bỏ lỡ "
               "chưa phát bù",
               by_status[BT_AIRING_COMPLETED], made_up, by_status[BT_AIRING_INTERRUPTED],
               by_status[BT_AIRING_FAILED], by_status[BT_AIRING_MISSED]);
        if (by_status[BT_AIRING_AIRING])
            printf(", %zu đang phát", by_status[BT_AIRING_AIRING]);
        printf(".\n");
        print_silence(store, cfg, rows, n);
    }
    print_clock_events(store, from, to);
    free(rows);
    return 0;
}

static int log_verify(bt_store *store)
{
    bt_airing_verify_result *res = malloc(sizeof(*res));
    if (!res) {
        fprintf(stderr, "bangtin log verify: không đủ bộ nhớ.\n");
        return 1;
    }
    int rc = bt_airing_verify(store, res);
    int status = 1;
    if (rc < 0) {
        fprintf(stderr, "bangtin log verify: không đọc được nhật ký phát thanh.\n");
    } else if (rc == 0) {
        printf("Nhật ký nguyên vẹn: đã kiểm tra %zu dòng, không dòng nào bị sửa hay xóa.\n",
               res->rows_checked);
        status = 0;
    } else {
        printf("Nhật ký KHÔNG nguyên vẹn: %zu vấn đề trong %zu dòng đã kiểm tra.\n",
               res->problem_count, res->rows_checked);
        size_t listed = res->problem_count < BT_AIRING_MAX_PROBLEMS ? res->problem_count
                                                                    : BT_AIRING_MAX_PROBLEMS;
        for (size_t i = 0; i < listed; i++)
            printf("  - %s\n", res->problems[i].message);
        if (res->problem_count > listed)
            printf("  ... và %zu vấn đề khác.\n", res->problem_count - listed);
    }
    free(res);
    return status;
}

int bt_cmd_log(bt_app *app, const struct bt_cli_args *a)
{
    bool verify = false;
    if (a->positional_count > 0) {
        if (strcmp(a->positional[0], "verify") != 0) {
            fprintf(stderr, "bangtin log: không hiểu \"%s\" — dùng \"bangtin log\" hoặc "
                            "\"bangtin log verify\".\n", a->positional[0]);
            return 2;
        }
        verify = true;
        if (bt_cli_opt(a, "--from") || bt_cli_opt(a, "--to")) {
            fprintf(stderr, "bangtin log verify: kiểm tra cả nhật ký, không dùng --from/--to.\n");
            return 2;
        }
    }
    bt_store *store = bt_app_open_existing_store(app);
    if (!store)
        return 1;
    int rc = verify ? log_verify(store) : log_list(store, &app->cfg, a);
    bt_store_close(store);
    return rc;
}
