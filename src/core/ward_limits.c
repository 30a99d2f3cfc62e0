/* The ward's limits on the loudspeaker (bt_broadcast.h): the permitted hours and days — from
 * the appliance config and from the playlist's `broadcasts.limits`, both holding — the sessions
 * a day and the minutes a session. Here: the check of a playlist against them, whose messages
 * name the line that sets the limit a session breaks (so staff know whether to fix the playlist
 * or ask for the appliance's config to change), the parsers of the hours and days, and the join
 * the scheduler keeps.
 *
 * Pure: no files, no clock. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "validate.h"
#include "ward_limits.h"

#define DATE_TEXT_BYTES 32
/* Room for "HH:MM" and for "H:MM:SS" durations, with margin for any int the compiler imagines. */
#define HHMM_BYTES 24
#define DURATION_BYTES 64
/* One source's hours or days with where they were written: "05:30-07:00, 16:30-18:30 của máy
 * (bangtin.cfg dòng 12)". */
#define SOURCE_TEXT_BYTES 256
#define NOTE_BYTES 256
#define NO_MEMORY "không đủ bộ nhớ để kiểm tra lịch phát thanh — hãy thử lại"
#define ALL_DAYS 0x7Fu

/* ---- the two sources: the playlist's limits and the appliance's ---------------------------- */

typedef struct {
    const bt_broadcast_limits *lim[2];
    size_t count;
} sources;

/* The playlist's first: it is what staff can fix themselves. */
static sources sources_of(const bt_broadcasts *b, const bt_broadcast_limits *appliance)
{
    sources s = {{NULL, NULL}, 0};
    if (b)
        s.lim[s.count++] = &b->limits;
    if (appliance)
        s.lim[s.count++] = appliance;
    return s;
}

/* "của playlist (playlist.cfg dòng 4)", "của máy (bangtin.cfg dòng 12)", "của máy (mặc định)". */
static const char *origin_text(const bt_broadcast_limits *lim, int line, char *buf, size_t size)
{
    const char *file = lim->origin[0] ? lim->origin
                                      : lim->appliance ? "bangtin.cfg" : BT_PLAYLIST_FILE;
    const char *whose = lim->appliance ? "của máy" : "của playlist";
    if (line > 0)
        snprintf(buf, size, "%s (%s dòng %d)", whose, file, line);
    else if (lim->appliance)
        snprintf(buf, size, "%s (mặc định)", whose);
    else
        snprintf(buf, size, "%s (%s)", whose, file);
    return buf;
}

static const char *windows_text(const bt_broadcast_limits *lim, char *buf, size_t size)
{
    size_t n = 0;
    char a[HHMM_BYTES], b[HHMM_BYTES];
    buf[0] = '\0';
    for (size_t i = 0; i < lim->window_count && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s-%s", i ? ", " : "",
                         bt_validate_hhmm_text(lim->windows[i].start_minute, a, sizeof a),
                         bt_validate_hhmm_text(lim->windows[i].end_minute, b, sizeof b));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

const char *bt_broadcast_weekdays_text(unsigned mask, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < 7 && n < size;) {
        if (!(mask & (1u << i))) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < 7 && (mask & (1u << (j + 1))))
            j++;
        int w;
        if (j - i >= 2)
            w = snprintf(buf + n, size - n, "%s%s-%s", n ? ", " : "",
                         bt_validate_weekday_codes[i], bt_validate_weekday_codes[j]);
        else if (j > i)
            w = snprintf(buf + n, size - n, "%s%s, %s", n ? ", " : "",
                         bt_validate_weekday_codes[i], bt_validate_weekday_codes[j]);
        else
            w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", bt_validate_weekday_codes[i]);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
        i = j + 1;
    }
    return buf;
}

/* "Thứ Bảy, Chủ Nhật". */
static const char *weekday_names_text(unsigned mask, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < 7 && n < size; i++) {
        if (!(mask & (1u << i)))
            continue;
        int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", bt_time_weekday_vi(i + 1));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

/* The sources in `which` (bit i = s->lim[i]) with their hours or days, joined by " và ". */
static const char *sources_text(const sources *s, unsigned which, bool days, char *buf,
                                size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->count && n < size; i++) {
        if (!(which & (1u << i)))
            continue;
        const bt_broadcast_limits *lim = s->lim[i];
        char what[SOURCE_TEXT_BYTES / 2], where[96];
        if (days)
            bt_broadcast_weekdays_text(ALL_DAYS & ~lim->closed_weekdays, what, sizeof what);
        else
            windows_text(lim, what, sizeof what);
        int w = snprintf(buf + n, size - n, "%s%s %s", n ? " và " : "", what,
                         origin_text(lim, days ? lim->weekdays_line : lim->windows_line, where,
                                     sizeof where));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

/* When a session breaks only the appliance's limit while the playlist sets its own, staff must
 * learn why the playlist's hours or days were not enough, and whom to ask. "" otherwise. */
static const char *stricter_note(const sources *s, unsigned broken, bool days, char *buf,
                                 size_t size)
{
    const bt_broadcast_limits *appliance = NULL;
    bool playlist_permits = false;
    buf[0] = '\0';
    for (size_t i = 0; i < s->count; i++) {
        const bt_broadcast_limits *lim = s->lim[i];
        bool restricts = days ? lim->closed_weekdays != 0 : lim->window_count > 0;
        if (lim->appliance)
            appliance = lim;
        else if (broken & (1u << i))
            return buf;
        else if (restricts)
            playlist_permits = true;
    }
    if (appliance && playlist_permits)
        snprintf(buf, size,
                 " (playlist cho phép, nhưng cấu hình của máy chặt hơn nên được áp dụng; muốn đổi "
                 "thì nhờ người quản trị máy sửa %s)",
                 appliance->origin[0] ? appliance->origin : "bangtin.cfg");
    return buf;
}

/* "4:35", or "1:02:03" past an hour. */
static const char *duration_text(double seconds, char *buf, size_t size)
{
    long long s = (long long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

/* A session's id for messages (a model built by hand might lack one). */
static const char *sid(const bt_broadcast_session *s)
{
    return s->id ? s->id : "?";
}

/* The window of lim holding second-of-day `sec`, or -1. */
static int window_of(const bt_broadcast_limits *lim, long sec)
{
    for (size_t i = 0; i < lim->window_count; i++)
        if (sec >= lim->windows[i].start_minute * 60L && sec < lim->windows[i].end_minute * 60L)
            return (int)i;
    return -1;
}

/* One start (a time of day, or a one-off) against every source's windows. `when` names it. */
static void check_start_in_windows(bt_validator *c, const sources *src,
                                   const bt_broadcast_session *s, long sec, double seconds,
                                   const char *when)
{
    char list[2 * SOURCE_TEXT_BYTES], dur[DURATION_BYTES], end[HHMM_BYTES], wa[HHMM_BYTES],
        wb[HHMM_BYTES], where[96], note[NOTE_BYTES];
    unsigned outside = 0;
    for (size_t i = 0; i < src->count; i++)
        if (src->lim[i]->window_count > 0 && window_of(src->lim[i], sec) < 0)
            outside |= 1u << i;
    if (outside) {
        bt_validate_report(c, BT_DIAG_ERROR, s->line,
                           "buổi phát \"%s\" lúc %s nằm ngoài khung giờ phát thanh của phường: "
                           "%s%s — hãy dời giờ phát vào trong khung giờ; chỉ buổi phát mà mọi tin "
                           "đều khẩn cấp (priority = \"emergency\") mới được phát ngoài khung giờ",
                           sid(s), when, sources_text(src, outside, false, list, sizeof list),
                           stricter_note(src, outside, false, note, sizeof note));
        return;
    }
    long finish = sec + (long)(seconds + 0.999);
    for (size_t i = 0; i < src->count && seconds > 0; i++) {
        const bt_broadcast_limits *lim = src->lim[i];
        int w = lim->window_count > 0 ? window_of(lim, sec) : -1;
        if (w < 0 || finish <= lim->windows[w].end_minute * 60L)
            continue;
        bt_validate_report(c, BT_DIAG_ERROR, s->line,
                           "buổi phát \"%s\" lúc %s dài %s nên kéo dài đến %s, quá khung giờ phát "
                           "thanh %s-%s %s — hãy phát sớm hơn hoặc bớt tin",
                           sid(s), when, duration_text(seconds, dur, sizeof dur),
                           bt_validate_hhmm_text((int)((finish + 59) / 60), end, sizeof end),
                           bt_validate_hhmm_text(lim->windows[w].start_minute, wa, sizeof wa),
                           bt_validate_hhmm_text(lim->windows[w].end_minute, wb, sizeof wb),
                           origin_text(lim, lim->windows_line, where, sizeof where));
        return; /* one overrun per start is enough to fix it */
    }
}

/* The weekdays a recurring session really airs on: its weekdays, narrowed by a from..until
 * shorter than a week. */
static unsigned session_days(const bt_broadcast_session *s)
{
    unsigned mask = s->weekdays;
    if (s->from_day != BT_DAY_NONE_FROM && s->until_day != BT_DAY_NONE_UNTIL &&
        s->until_day - s->from_day < 7) {
        unsigned in_range = 0;
        for (bt_day d = s->from_day; d <= s->until_day; d++)
            in_range |= 1u << (bt_time_weekday_of_day(d) - 1);
        mask &= in_range;
    }
    return mask;
}

/* Which sources close any of the days in mask (bit i = src->lim[i]), and the union of the days
 * they close. */
static unsigned closing_sources(const sources *src, unsigned mask, unsigned *closed)
{
    unsigned which = 0;
    *closed = 0;
    for (size_t i = 0; i < src->count; i++) {
        unsigned hit = mask & src->lim[i]->closed_weekdays;
        if (hit) {
            which |= 1u << i;
            *closed |= hit;
        }
    }
    return which;
}

static void check_days(bt_validator *c, const sources *src, const bt_broadcast_session *s)
{
    char list[2 * SOURCE_TEXT_BYTES], names[96], when[64], hm[HHMM_BYTES], dd[DATE_TEXT_BYTES],
        note[NOTE_BYTES];
    unsigned closed, which;
    if (s->time_count > 0 && (which = closing_sources(src, session_days(s), &closed)) != 0)
        bt_validate_report(c, BT_DIAG_ERROR, s->line,
                           "buổi phát \"%s\" phát vào %s, là ngày phường không cho phát thanh: "
                           "chỉ được phát %s%s — hãy bỏ các ngày đó khỏi weekdays của buổi phát; "
                           "chỉ buổi phát mà mọi tin đều khẩn cấp (priority = \"emergency\") mới "
                           "được phát vào những ngày đó",
                           sid(s), weekday_names_text(closed, names, sizeof names),
                           sources_text(src, which, true, list, sizeof list),
                           stricter_note(src, which, true, note, sizeof note));
    for (size_t k = 0; k < s->at_count; k++) {
        bt_day day = bt_time_day_of(s->at[k]);
        unsigned bit = 1u << (bt_time_weekday_of_day(day) - 1);
        if ((which = closing_sources(src, bit, &closed)) == 0)
            continue;
        snprintf(when, sizeof when, "%s ngày %s", bt_time_format_hhmm(s->at[k], hm, sizeof hm),
                 bt_time_format_ddmmyyyy(day, dd, sizeof dd));
        bt_validate_report(c, BT_DIAG_ERROR, s->line,
                           "buổi phát \"%s\" lúc %s (%s) rơi vào ngày phường không cho phát "
                           "thanh: chỉ được phát %s%s — hãy đổi sang ngày khác; chỉ buổi phát mà "
                           "mọi tin đều khẩn cấp (priority = \"emergency\") mới được phát vào "
                           "ngày đó",
                           sid(s), when, bt_time_weekday_vi(bt_time_weekday_of_day(day)),
                           sources_text(src, which, true, list, sizeof list),
                           stricter_note(src, which, true, note, sizeof note));
    }
}

typedef struct {
    long sec;       /* second of the day */
    size_t session;
} day_slot;

static int day_slot_compare(const void *pa, const void *pb)
{
    const day_slot *a = pa, *b = pb;
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    return (a->session > b->session) - (a->session < b->session);
}

/* Every airing of a local day (recurring times and one-offs, a one-off equal to a recurring
 * time counted once), sorted by time. buf must hold session_count × (times + one-offs). */
static size_t slots_of_day(const bt_broadcasts *b, bt_day day, day_slot *buf)
{
    size_t n = 0;
    int weekday_bit = 1 << (bt_time_weekday_of_day(day) - 1);
    bt_wall start = bt_time_day_start(day);
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        bool recurring = s->time_count > 0 && day >= s->from_day && day <= s->until_day &&
                         (s->weekdays & weekday_bit);
        size_t first = n;
        for (size_t k = 0; recurring && k < s->time_count; k++)
            buf[n++] = (day_slot){s->times[k] * 60L, i};
        for (size_t k = 0; k < s->at_count; k++) {
            if (bt_time_day_of(s->at[k]) != day)
                continue;
            long sec = (long)(s->at[k] - start);
            bool dup = false;
            for (size_t j = first; j < n; j++)
                dup = dup || buf[j].sec == sec;
            if (!dup)
                buf[n++] = (day_slot){sec, i};
        }
    }
    qsort(buf, n, sizeof *buf, day_slot_compare);
    return n;
}

static int compare_day(const void *pa, const void *pb)
{
    bt_day a = *(const bt_day *)pa, b = *(const bt_day *)pb;
    return (a > b) - (a < b);
}

/* Days on which the set of airing rules can change: a session's from and until+1, each one-off
 * day and the day after. Between two such days only the weekday matters, so seven consecutive
 * days of each stretch stand for all of it. */
static size_t change_days(const bt_broadcasts *b, bt_day *days)
{
    size_t n = 0;
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        if (s->time_count > 0 && s->from_day != BT_DAY_NONE_FROM)
            days[n++] = s->from_day;
        if (s->time_count > 0 && s->until_day != BT_DAY_NONE_UNTIL)
            days[n++] = s->until_day + 1;
        for (size_t k = 0; k < s->at_count; k++) {
            days[n++] = bt_time_day_of(s->at[k]);
            days[n++] = bt_time_day_of(s->at[k]) + 1;
        }
    }
    qsort(days, n, sizeof *days, compare_day);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || days[u - 1] != days[i])
            days[u++] = days[i];
    return u;
}

/* Reports the first day with too many sessions; true if one was found. */
static bool check_day(bt_validator *c, const bt_broadcasts *b, const bt_broadcast_limits *lim,
                      bt_day day, bool weekly, day_slot *buf)
{
    char list[BT_MAX_DIAG_MESSAGE / 2], dd[DATE_TEXT_BYTES], hm[HHMM_BYTES];
    size_t n = slots_of_day(b, day, buf), len = 0;
    if ((long)n <= lim->max_sessions_per_day)
        return false;
    list[0] = '\0';
    for (size_t i = 0; i < n && len < sizeof list; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s %s", i ? ", " : "",
                         sid(&b->sessions[buf[i].session]),
                         bt_validate_hhmm_text((int)(buf[i].sec / 60), hm, sizeof hm));
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
    }
    const bt_broadcast_session *over = &b->sessions[buf[lim->max_sessions_per_day].session];
    const char *weekday = bt_time_weekday_vi(bt_time_weekday_of_day(day));
    if (weekly)
        bt_validate_report(c, BT_DIAG_ERROR, over->line,
                           "mỗi %s có %zu buổi phát (%s), vượt giới hạn %d buổi mỗi ngày của "
                           "phường — hãy bớt buổi phát hoặc đổi thứ, ngày phát",
                           weekday, n, list, lim->max_sessions_per_day);
    else
        bt_validate_report(c, BT_DIAG_ERROR, over->line,
                           "ngày %s (%s) có %zu buổi phát (%s), vượt giới hạn %d buổi mỗi ngày của "
                           "phường — hãy bớt buổi phát hoặc đổi thứ, ngày phát",
                           bt_time_format_ddmmyyyy(day, dd, sizeof dd), weekday, n, list,
                           lim->max_sessions_per_day);
    return true;
}

static void check_sessions_per_day(bt_validator *c, const bt_broadcasts *b,
                                   const bt_broadcast_limits *lim)
{
    size_t slots_cap = 1, days_cap = 1;
    for (size_t i = 0; i < b->session_count; i++) {
        slots_cap += b->sessions[i].time_count + b->sessions[i].at_count;
        days_cap += 2 + 2 * b->sessions[i].at_count;
    }
    day_slot *buf = malloc(slots_cap * sizeof *buf);
    bt_day *days = malloc(days_cap * sizeof *days);
    if (!buf || !days) {
        bt_validate_no_memory(c, 0);
        goto done;
    }
    size_t n = change_days(b, days);
    if (n == 0) {
        /* Only weekly rules, for ever: any week shows every case. */
        for (bt_day d = 0; d < 7; d++)
            if (check_day(c, b, lim, d, true, buf))
                goto done;
        goto done;
    }
    for (bt_day d = days[0] - 7; d < days[0]; d++)
        if (check_day(c, b, lim, d, true, buf))
            goto done;
    for (size_t k = 0; k < n; k++) {
        int64_t end = k + 1 < n ? (int64_t)days[k + 1] : (int64_t)days[k] + 7;
        for (int64_t d = days[k]; d < end && d < (int64_t)days[k] + 7; d++)
            if (check_day(c, b, lim, (bt_day)d, false, buf))
                goto done;
    }
done:
    free(buf);
    free(days);
}

int bt_broadcasts_check_limits(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                               const char *file, bt_diags *diags)
{
    bt_validator c = {file ? file : BT_PLAYLIST_FILE, diags, NO_MEMORY, 0, false};
    char when[64], hm[HHMM_BYTES], dd[DATE_TEXT_BYTES], dur[DURATION_BYTES];
    if (!b || !lim)
        return 0;
    sources src = sources_of(b, lim);
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        double seconds = bt_broadcast_session_seconds(b, i, 0);
        if (!bt_broadcast_session_all_emergency(b, i)) {
            for (size_t k = 0; k < s->time_count; k++)
                check_start_in_windows(&c, &src, s, s->times[k] * 60L, seconds,
                                       bt_validate_hhmm_text(s->times[k], hm, sizeof hm));
            for (size_t k = 0; k < s->at_count; k++) {
                bt_day day = bt_time_day_of(s->at[k]);
                snprintf(when, sizeof when, "%s ngày %s",
                         bt_time_format_hhmm(s->at[k], hm, sizeof hm),
                         bt_time_format_ddmmyyyy(day, dd, sizeof dd));
                check_start_in_windows(&c, &src, s, (long)(s->at[k] - bt_time_day_start(day)),
                                       seconds, when);
            }
            check_days(&c, &src, s);
        }
        if (lim->max_session_minutes > 0 && seconds > lim->max_session_minutes * 60.0)
            bt_validate_report(&c, BT_DIAG_ERROR, s->line,
                               "buổi phát \"%s\" dài %s (%zu tin), vượt giới hạn %d phút mỗi buổi "
                               "của phường — hãy bớt tin hoặc chia thành hai buổi phát",
                               sid(s), duration_text(seconds, dur, sizeof dur), s->item_count,
                               lim->max_session_minutes);
    }
    if (lim->max_sessions_per_day > 0)
        check_sessions_per_day(&c, b, lim);
    return c.errors > 0 ? -1 : 0;
}

int bt_broadcasts_check_silence(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                                const char *file, bt_diags *diags)
{
    int rc = 0;
    for (size_t i = 0; b && lim && i < b->item_count; i++) {
        const bt_broadcast_item *it = &b->items[i];
        if (it->duration_seconds > 0 &&
            bt_silence_check(&it->silence, it->duration_seconds, &lim->silence, it->id,
                             it->audio, file ? file : BT_PLAYLIST_FILE, it->line, diags) != 0)
            rc = -1;
    }
    return rc;
}

/* ---- the hours and days: parsers and the join ------------------------------------------------ */

static void report_window_shape(bt_validator *c, int line, const char *span)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_validate_report(c, BT_DIAG_ERROR, line,
                       "khung giờ phát thanh \"%s\" không đúng dạng — viết giờ bắt đầu-giờ kết "
                       "thúc dạng HH:MM-HH:MM, nhiều khung cách nhau bằng dấu phẩy, ví dụ "
                       "\"05:30-07:00,16:30-18:30\"",
                       bt_validate_echo(span, shown, sizeof shown));
}

/* One "HH:MM-HH:MM" window; false after reporting. */
static bool window_span(bt_validator *c, int line, char *span, int *start, int *end)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_clock_span w;
    if (!bt_validate_clock_span(span, &w) || w.start_status == BT_CLOCK_SHAPE ||
        w.end_status == BT_CLOCK_SHAPE) {
        report_window_shape(c, line, span);
        return false;
    }
    bt_validate_echo(span, shown, sizeof shown);
    if (w.start_status != BT_CLOCK_OK || w.end_status != BT_CLOCK_OK) {
        bt_validate_report(c, BT_DIAG_ERROR, line,
                           "giờ \"%s\" trong khung giờ phát thanh \"%s\" không có thật — giờ từ "
                           "00 đến 23, phút từ 00 đến 59 (riêng giờ kết thúc được viết 24:00)",
                           w.start_status != BT_CLOCK_OK ? w.first : w.last, shown);
        return false;
    }
    if (w.end <= w.start) {
        bt_validate_report(c, BT_DIAG_ERROR, line,
                           "khung giờ phát thanh \"%s\" bị ngược hoặc rỗng — giờ kết thúc phải "
                           "sau giờ bắt đầu; nếu muốn qua nửa đêm, hãy tách thành hai khung "
                           "\"%s-24:00,00:00-%s\"",
                           shown, w.first, w.last);
        return false;
    }
    *start = w.start;
    *end = w.end;
    return true;
}

int bt_ward_take_windows(bt_validator *v, const char *text, int line, bt_broadcast_limits *lim)
{
    size_t errors_before = v->errors;
    char item[BT_VALIDATE_TOKEN_BYTES * 2 + 2], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *p = text ? text : "";
    int starts[BT_MAX_HOUR_SPANS], ends[BT_MAX_HOUR_SPANS];
    size_t n = 0, total = 0;
    if (bt_validate_trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        lim->window_count = 0;
        lim->windows_line = line;
        return 0;
    }
    if (!bt_text_utf8_valid(p, strlen(p))) {
        report_window_shape(v, line, p);
        return -1;
    }
    for (;;) {
        bool more;
        int start = 0, end = 0;
        bool fits = bt_validate_next_piece(&p, item, sizeof item, &more);
        total++;
        if (!fits) {
            report_window_shape(v, line, "…");
        } else if (item[0] == '\0') {
            bt_validate_report(v, BT_DIAG_ERROR, line,
                               "danh sách khung giờ phát thanh \"%s\" có dấu phẩy thừa — ví dụ "
                               "đúng: \"05:30-07:00,16:30-18:30\"",
                               bt_validate_echo(text, shown, sizeof shown));
        } else if (window_span(v, line, item, &start, &end) && n < BT_MAX_HOUR_SPANS) {
            /* Insertion keeps the windows sorted by start, which messages and makeup rely on. */
            size_t k = n++;
            while (k > 0 && starts[k - 1] > start) {
                starts[k] = starts[k - 1];
                ends[k] = ends[k - 1];
                k--;
            }
            starts[k] = start;
            ends[k] = end;
        }
        if (!more)
            break;
    }
    if (total > BT_MAX_HOUR_SPANS)
        bt_validate_report(v, BT_DIAG_ERROR, line,
                           "quá nhiều khung giờ phát thanh (%zu, tối đa %d) — hãy gộp các khung "
                           "giờ liền nhau",
                           total, BT_MAX_HOUR_SPANS);
    for (size_t k = 1; k < n && v->errors == errors_before; k++) {
        if (starts[k] < ends[k - 1]) {
            char a[HHMM_BYTES], b[HHMM_BYTES], x[HHMM_BYTES], y[HHMM_BYTES];
            bt_validate_report(v, BT_DIAG_ERROR, line,
                               "khung giờ phát thanh %s-%s và %s-%s chồng lên nhau — hãy gộp thành "
                               "một khung",
                               bt_validate_hhmm_text(starts[k - 1], a, sizeof a),
                               bt_validate_hhmm_text(ends[k - 1], b, sizeof b),
                               bt_validate_hhmm_text(starts[k], x, sizeof x),
                               bt_validate_hhmm_text(ends[k], y, sizeof y));
        }
    }
    if (v->errors > errors_before)
        return -1;
    for (size_t k = 0; k < n; k++) {
        lim->windows[k].start_minute = (int16_t)starts[k];
        lim->windows[k].end_minute = (int16_t)ends[k];
    }
    lim->window_count = n;
    lim->windows_line = line;
    return 0;
}

int bt_broadcast_windows_parse(const char *text, const char *file, int line,
                               bt_broadcast_limits *lim, bt_diags *diags)
{
    bt_validator c = {file ? file : "", diags, NO_MEMORY, 0, false};
    return bt_ward_take_windows(&c, text, line, lim);
}

int bt_ward_take_days(bt_validator *v, const bt_node *node, bt_broadcast_limits *lim)
{
    uint8_t mask = 0;
    if (bt_validate_take_weekdays(v, node,
                                  "khoá \"weekdays\" để trống — xoá dòng này nếu phường cho phát "
                                  "thanh mọi ngày, hoặc viết ví dụ \"T2-T6\"",
                                  true, &mask) != 0)
        return -1;
    lim->closed_weekdays = (uint8_t)(ALL_DAYS & ~mask);
    lim->weekdays_line = node->line;
    return 0;
}

int bt_broadcast_weekdays_parse(const char *text, const char *file, int line,
                                bt_broadcast_limits *lim, bt_diags *diags)
{
    bt_validator c = {file ? file : "", diags, NO_MEMORY, 0, false};
    char copy[BT_VALIDATE_TOKEN_BYTES];
    /* "" is the config's way to say "every day", as for the windows. */
    if (bt_validate_trimmed_copy(text ? text : "", strlen(text ? text : ""), copy, sizeof copy) &&
        copy[0] == '\0') {
        lim->closed_weekdays = 0;
        lim->weekdays_line = line;
        return 0;
    }
    bt_node node = {NULL, BT_NODE_STRING, line, 0, 0, false, (char *)(uintptr_t)(text ? text : ""),
                    NULL, 0};
    return bt_ward_take_days(&c, &node, lim);
}

/* The overlap of two sorted lists of disjoint windows, sorted. */
static void intersect_windows(const bt_broadcast_limits *a, const bt_broadcast_limits *b,
                              bt_broadcast_limits *out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->window_count; i++) {
        for (size_t k = 0; k < b->window_count; k++) {
            int start = a->windows[i].start_minute > b->windows[k].start_minute
                            ? a->windows[i].start_minute
                            : b->windows[k].start_minute;
            int end = a->windows[i].end_minute < b->windows[k].end_minute
                          ? a->windows[i].end_minute
                          : b->windows[k].end_minute;
            /* Two lists of eight make at most fifteen overlaps; past eight the rest are dropped,
             * which only permits less. */
            if (start < end && n < BT_MAX_HOUR_SPANS) {
                out->windows[n].start_minute = (int16_t)start;
                out->windows[n].end_minute = (int16_t)end;
                n++;
            }
        }
    }
    if (n == 0) {
        /* Nothing is permitted at all; an empty span keeps "restricted" (count 0 would mean
         * "no restriction"). check refuses such a playlist before it could air. */
        out->windows[0].start_minute = 0;
        out->windows[0].end_minute = 0;
        n = 1;
    }
    /* Overlaps come out in order of a's windows then b's: sort by start for window_at. */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && out->windows[k - 1].start_minute > out->windows[k].start_minute;
             k--) {
            int16_t s0 = out->windows[k].start_minute, e0 = out->windows[k].end_minute;
            out->windows[k] = out->windows[k - 1];
            out->windows[k - 1].start_minute = s0;
            out->windows[k - 1].end_minute = e0;
        }
    out->window_count = n;
}

void bt_broadcast_limits_join(const bt_broadcast_limits *appliance,
                              const bt_broadcast_limits *playlist, bt_broadcast_limits *out)
{
    bt_broadcast_limits joined = *appliance;
    if (playlist) {
        if (playlist->window_count > 0 && appliance->window_count == 0) {
            memcpy(joined.windows, playlist->windows, sizeof joined.windows);
            joined.window_count = playlist->window_count;
        } else if (playlist->window_count > 0) {
            intersect_windows(appliance, playlist, &joined);
        }
        joined.closed_weekdays |= playlist->closed_weekdays;
    }
    *out = joined;
}

bool bt_broadcast_limits_day_open(const bt_broadcast_limits *lim, bt_day day)
{
    return !(lim->closed_weekdays & (1u << (bt_time_weekday_of_day(day) - 1)));
}

