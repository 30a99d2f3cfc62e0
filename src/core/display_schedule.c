/* The display's schedule (display.on): its reader, with a Vietnamese message for every mistake a
 * staff member can make in it, and the two questions the kiosk asks of it (on at t? when does
 * that change?). The weekday and clock readers are the playlist validators' own (validate.h), so
 * "T2-T6" and "07:00" mean and are explained the same everywhere. */
#include "bangtin/bt_display_schedule.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_text.h"

#include "validate.h"

#define NO_MEMORY "không đủ bộ nhớ để đọc lịch bật màn hình — hãy thử lại"
#define EXAMPLE "\"T2-T6 07:00-17:30, T7 07:30-11:30\""
/* An item: weekdays and a few spans; longer is a mistake, reported as such. */
#define ITEM_BYTES 128
/* next_change looks this many days ahead: a weekly schedule repeats within eight. */
#define LOOKAHEAD_DAYS 8

/* The bit of a local day in a span's day mask. */
static unsigned day_bit(bt_day day)
{
    return 1u << (bt_time_weekday_of_day(day) - 1);
}

/* ---- the reader ------------------------------------------------------------------------------ */

typedef struct {
    bt_validator v;
    int line;
    bt_display_schedule *out;
} reader;

/* One "HH:MM-HH:MM" token for the days in mask; false after reporting. */
static bool take_span(reader *r, char *token, uint8_t mask)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_clock_span w;
    bt_validate_echo(token, shown, sizeof shown);
    if (!bt_validate_clock_span(token, &w) || w.start_status == BT_CLOCK_SHAPE ||
        w.end_status == BT_CLOCK_SHAPE) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\": khung giờ \"%s\" không đúng dạng — viết giờ bật-giờ "
                           "tắt dạng HH:MM-HH:MM sau các thứ, ví dụ " EXAMPLE, shown);
        return false;
    }
    if (w.start_status == BT_CLOCK_24_START) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\": khung giờ \"%s\" bắt đầu lúc 24:00 — nửa đêm là "
                           "đầu ngày sau, hãy viết 00:00", shown);
        return false;
    }
    if (w.start_status != BT_CLOCK_OK || w.end_status != BT_CLOCK_OK) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\": giờ \"%s\" trong khung giờ \"%s\" không có thật — "
                           "giờ từ 00 đến 23, phút từ 00 đến 59 (riêng giờ tắt được viết 24:00)",
                           w.start_status != BT_CLOCK_OK ? w.first : w.last, shown);
        return false;
    }
    if (w.end == w.start) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\": khung giờ \"%s\" có giờ bật và giờ tắt trùng nhau "
                           "— muốn bật cả ngày hãy viết \"00:00-24:00\"", shown);
        return false;
    }
    if (r->out->count == BT_DISPLAY_MAX_SPANS) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\" có quá nhiều khung giờ (tối đa %d) — hãy gộp các "
                           "thứ có cùng giờ, ví dụ \"T2-T6 07:00-17:30\"", BT_DISPLAY_MAX_SPANS);
        return false;
    }
    bt_display_span *s = &r->out->spans[r->out->count++];
    s->days = mask;
    s->start = (int16_t)w.start;
    s->end = (int16_t)w.end;
    return true;
}

/* Copies the part of an item that holds the spans, with the spaces around each '-' dropped so
 * that "07:00 - 17:30" is one span like "07:00-17:30". */
static void join_dashes(const char *from, char *to, size_t size)
{
    size_t n = 0;
    for (const char *p = from; *p && n + 1 < size; p++) {
        if (*p == ' ' || *p == '\t') {
            const char *next = p;
            while (*next == ' ' || *next == '\t')
                next++;
            if (*next == '-' || (n > 0 && to[n - 1] == '-'))
                continue;
        }
        to[n++] = *p;
    }
    to[n] = '\0';
}

/* The spans of an item, separated by white space; false after reporting. */
static bool take_spans(reader *r, const char *text, uint8_t mask)
{
    char spans[ITEM_BYTES];
    bool ok = true;
    join_dashes(text, spans, sizeof spans);
    for (char *p = spans; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *end = p + strcspn(p, " \t");
        char keep = *end;
        *end = '\0';
        ok = take_span(r, p, mask) && ok;
        *end = keep;
        p = end;
    }
    return ok;
}

/* Where an item's spans begin: its first word that starts with a digit ("T2" does not). */
static const char *spans_start(const char *item)
{
    for (const char *p = item; *p; p++) {
        bool word_start = p == item || p[-1] == ' ' || p[-1] == '\t';
        if (word_start && *p >= '0' && *p <= '9')
            return p;
    }
    return item + strlen(item);
}

/* One comma-separated item. *days: the days waiting for spans (an item of days alone adds to
 * them; the next item with spans takes them), *last: the days of the last item with spans. */
static bool take_item(reader *r, char *item, uint8_t *days, uint8_t *last)
{
    char shown[BT_VALIDATE_SHOWN_BYTES], day_text[ITEM_BYTES];
    const char *spans = spans_start(item);
    bt_validate_echo(item, shown, sizeof shown);
    size_t day_len = (size_t)(spans - item);
    bool have_days = bt_validate_trimmed_copy(item, day_len, day_text, sizeof day_text) &&
                     day_text[0] != '\0';
    uint8_t mask = 0;
    if (have_days) {
        bt_node node = {NULL, BT_NODE_STRING, r->line, 0, 0, false, day_text, NULL, 0};
        if (bt_validate_take_weekdays(&r->v, &node, "", true, &mask) != 0)
            return false;
    }
    if (!*spans) { /* days alone: they go with the next item's hours */
        *days |= mask;
        return true;
    }
    if (!have_days && !*days && !*last) {
        bt_validate_report(&r->v, BT_DIAG_ERROR, r->line,
                           "khoá \"display.on\": mục \"%s\" thiếu thứ — viết các thứ trước khung "
                           "giờ, ví dụ " EXAMPLE, shown);
        return false;
    }
    uint8_t use = (uint8_t)(*days | mask);
    if (!use)
        use = *last; /* "T2-T6 07:00-11:30, 13:30-17:00": the same days again */
    *days = 0;
    *last = use;
    return take_spans(r, spans, use);
}

int bt_display_schedule_parse(const char *text, const char *file, int line,
                              bt_display_schedule *out, bt_diags *diags)
{
    reader r = {{file ? file : "", diags, NO_MEMORY, 0, false}, line, out};
    char item[ITEM_BYTES], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *p = text ? text : "";
    memset(out, 0, sizeof *out);
    out->always = true;
    if (bt_validate_trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0')
        return 0;
    if (!bt_text_utf8_valid(p, strlen(p))) {
        bt_validate_report(&r.v, BT_DIAG_ERROR, line,
                           "khoá \"display.on\" không phải UTF-8 hợp lệ — lưu tệp với bảng mã "
                           "UTF-8");
        return -1;
    }
    out->always = false;
    uint8_t days = 0, last = 0;
    bool more = true, extra_comma = false;
    while (more) {
        if (!bt_validate_next_piece(&p, item, sizeof item, &more)) {
            bt_validate_report(&r.v, BT_DIAG_ERROR, line,
                               "khoá \"display.on\": một mục quá dài (tối đa %d byte) — tách "
                               "thành nhiều mục bằng dấu phẩy, ví dụ " EXAMPLE, ITEM_BYTES - 1);
        } else if (item[0] == '\0') {
            if (!extra_comma)
                bt_validate_report(&r.v, BT_DIAG_ERROR, line,
                                   "khoá \"display.on\" = \"%s\" có dấu phẩy thừa — ví dụ đúng: "
                                   EXAMPLE, bt_validate_echo(text, shown, sizeof shown));
            extra_comma = true;
        } else {
            take_item(&r, item, &days, &last);
        }
    }
    if (days && r.v.errors == 0)
        bt_validate_report(&r.v, BT_DIAG_ERROR, line,
                           "khoá \"display.on\": các thứ cuối cùng chưa có khung giờ — viết giờ "
                           "bật-giờ tắt sau các thứ, ví dụ " EXAMPLE);
    if (r.v.errors > 0) {
        memset(out, 0, sizeof *out);
        out->always = true;
        return -1;
    }
    return 0;
}

/* ---- the questions --------------------------------------------------------------------------- */

/* Does span s cover minute m of a day, counting a span that started the day before? */
static bool span_covers(const bt_display_span *s, unsigned today, unsigned yesterday, int m)
{
    if (s->start < s->end)
        return (s->days & today) && m >= s->start && m < s->end;
    /* Past midnight: from start to the end of its day, then to end on the next. */
    return ((s->days & today) && m >= s->start) || ((s->days & yesterday) && m < s->end);
}

bool bt_display_schedule_on(const bt_display_schedule *s, bt_wall now)
{
    if (s->always)
        return true;
    bt_day day = bt_time_day_of(now);
    unsigned today = day_bit(day), yesterday = day_bit(day - 1);
    int m = bt_time_minute_of_day(now);
    for (size_t i = 0; i < s->count; i++)
        if (span_covers(&s->spans[i], today, yesterday, m))
            return true;
    return false;
}

bt_wall bt_display_schedule_next_change(const bt_display_schedule *s, bt_wall now)
{
    if (s->always)
        return 0;
    /* The answer only changes at a span's start or end: the earliest such moment after now
     * whose answer differs is the change (between two of them nothing changes). */
    bool on = bt_display_schedule_on(s, now);
    bt_day today = bt_time_day_of(now);
    bt_wall best = 0;
    for (bt_day d = today; d <= today + LOOKAHEAD_DAYS; d++) {
        bt_wall start = bt_time_day_start(d);
        for (size_t i = 0; i < s->count; i++) {
            bt_wall edges[2] = {start + s->spans[i].start * 60, start + s->spans[i].end * 60};
            for (int e = 0; e < 2; e++)
                if (edges[e] > now && (best == 0 || edges[e] < best) &&
                    bt_display_schedule_on(s, edges[e]) != on)
                    best = edges[e];
        }
        if (best)
            return best;
    }
    return best;
}

const char *bt_display_schedule_text(const bt_display_schedule *s, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (s->always) {
        snprintf(buf, size, "luôn bật");
        return buf;
    }
    for (size_t i = 0; i < s->count && n < size; i++) {
        char days[64], a[8], b[8];
        const bt_display_span *sp = &s->spans[i];
        bool same_days = i > 0 && s->spans[i - 1].days == sp->days;
        int w = snprintf(buf + n, size - n, "%s%s%s%s-%s", i == 0 ? "" : same_days ? " " : ", ",
                         same_days ? "" : bt_broadcast_weekdays_text(sp->days, days, sizeof days),
                         same_days ? "" : " ", bt_validate_hhmm_text(sp->start, a, sizeof a),
                         bt_validate_hhmm_text(sp->end, b, sizeof b));
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return buf;
}
