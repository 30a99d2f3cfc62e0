/* Targets: the model, how versions from the store's history become the targets to count, the
 * progress of a target in a period, and the public results line.
 *
 * Progress is counted in a window: the calendar period (month, quarter, year) cut to the
 * target's validity. Only completed airings count; distinct items are distinct item ids;
 * screen minutes are whole minutes. "At risk" compares what is still missing with what the
 * rest of the schedule can add inside the window.
 *
 * Pure: no files, no clock; "today" is passed in. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"

#include "dump.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DATE_TEXT_BYTES 32
#define PERIOD_TEXT_BYTES 64

/* ---- model -------------------------------------------------------------------------------- */

void bt_targets_init(bt_targets *t)
{
    memset(t, 0, sizeof *t);
}

void bt_target_clear(bt_target *t)
{
    if (!t)
        return;
    free(t->id);
    free(t->label);
    free(t->topic);
    memset(t, 0, sizeof *t);
}

void bt_targets_free(bt_targets *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        bt_target_clear(&t->items[i]);
    free(t->items);
    bt_targets_init(t);
}

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (!copy)
        *failed = true;
    else
        memcpy(copy, s, len + 1);
    return copy;
}

int bt_target_copy(const bt_target *src, bt_target *out)
{
    bool failed = false;
    *out = *src;
    out->id = dup_or_null(src->id, &failed);
    out->label = dup_or_null(src->label, &failed);
    out->topic = dup_or_null(src->topic, &failed);
    if (failed) {
        bt_target_clear(out);
        return -1;
    }
    return 0;
}

int bt_targets_append(bt_targets *t, const bt_target *target)
{
    bt_target copy;
    if (bt_target_copy(target, &copy) != 0)
        return -1;
    bt_target *bigger = realloc(t->items, (t->count + 1) * sizeof *bigger);
    if (!bigger) {
        bt_target_clear(&copy);
        return -1;
    }
    t->items = bigger;
    t->items[t->count++] = copy;
    return 0;
}

/* ---- names -------------------------------------------------------------------------------- */

/* Each channel in words: its name, what doing the work there is called and where, for the
 * public results line ("đã đăng 1 tin bài CCHC trên Trang thông tin CCHC của Thành phố"). */
static const struct {
    const char *name, *verb, *where;
} channel_vi[] = {
    [BT_TARGET_LOUDSPEAKER] = {"loa phường", "đã phát", "trên loa phường"},
    [BT_TARGET_SCREEN] = {"màn hình sảnh", "đã hiển thị", "trên màn hình sảnh"},
    [BT_TARGET_CITY_PAGE] = {"Trang thông tin CCHC của Thành phố", "đã đăng",
                             "trên Trang thông tin CCHC của Thành phố"},
    [BT_TARGET_WARD_SITE] = {"Trang thông tin điện tử của phường", "đã đăng",
                             "trên Trang thông tin điện tử của phường"},
    [BT_TARGET_CONFERENCE] = {"hội nghị", "đã tổ chức", "lồng ghép tuyên truyền CCHC"},
    [BT_TARGET_ZALO] = {"nhóm Zalo", "đã đăng", "trên nhóm Zalo"},
    [BT_TARGET_OTHER] = {"kênh khác", "đã thực hiện", "trên kênh khác"},
};
_Static_assert(ARRAY_LEN(channel_vi) == BT_TARGET_CHANNEL_COUNT, "a channel without words");

bool bt_target_channel_recorded(bt_target_channel c)
{
    return c != BT_TARGET_LOUDSPEAKER && c != BT_TARGET_SCREEN &&
           (size_t)c < BT_TARGET_CHANNEL_COUNT;
}

const char *bt_target_channel_vi(bt_target_channel c)
{
    return (size_t)c < ARRAY_LEN(channel_vi) ? channel_vi[c].name : "không rõ";
}

const char *bt_target_channel_source_vi(bt_target_channel c)
{
    return bt_target_channel_recorded(c) ? "do cán bộ ghi nhận" : "tự động (nhật ký của máy)";
}

const char *bt_target_counts_vi(bt_target_counts c)
{
    static const char *const names[] = {
        [BT_TARGET_COUNT_ITEMS] = "số tin bài khác nhau",
        [BT_TARGET_COUNT_AIRINGS] = "số lượt phát",
        [BT_TARGET_COUNT_NOTICES] = "số thông báo khác nhau",
        [BT_TARGET_COUNT_MINUTES] = "số phút hiển thị",
    };
    return (size_t)c < ARRAY_LEN(names) ? names[c] : "?";
}

const char *bt_target_state_name(bt_target_state s)
{
    static const char *const names[] = {[BT_TARGET_MET] = "met",
                                        [BT_TARGET_ON_TRACK] = "on-track",
                                        [BT_TARGET_AT_RISK] = "at-risk",
                                        [BT_TARGET_MISSED] = "missed"};
    return (size_t)s < ARRAY_LEN(names) ? names[s] : "?";
}


const char *bt_period_label_vi(const bt_period *p, char *buf, size_t size)
{
    int y, m;
    char a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    if (!buf || size == 0)
        return buf;
    bt_time_ymd_from_day(p->first, &y, &m, NULL);
    switch (p->kind) {
    case BT_PERIOD_MONTH:
        snprintf(buf, size, "Tháng %d/%d", m, y);
        break;
    case BT_PERIOD_QUARTER:
        bt_time_quarter_label(p->first, buf, size);
        break;
    case BT_PERIOD_NINE_MONTHS:
        snprintf(buf, size, "9 tháng năm %d", y);
        break;
    case BT_PERIOD_YEAR:
        snprintf(buf, size, "Năm %d", y);
        break;
    case BT_PERIOD_DAY:
    default:
        if (p->first == p->last)
            snprintf(buf, size, "Ngày %s", bt_time_format_ddmmyyyy(p->first, a, sizeof a));
        else
            snprintf(buf, size, "Từ %s đến %s", bt_time_format_ddmmyyyy(p->first, a, sizeof a),
                     bt_time_format_ddmmyyyy(p->last, b, sizeof b));
        break;
    }
    return buf;
}

/* ---- history ------------------------------------------------------------------------------ */

static bt_day max_day(bt_day a, bt_day b)
{
    return a > b ? a : b;
}

static bt_day min_day(bt_day a, bt_day b)
{
    return a < b ? a : b;
}

static bool same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Same id and the same rule; the label is only its name, so a renamed target stays one. */
static bool same_definition(const bt_target *a, const bt_target *b)
{
    return same_text(a->id, b->id) && same_text(a->topic, b->topic) &&
           a->channel == b->channel && a->period == b->period && a->minimum == b->minimum &&
           a->counts == b->counts;
}

static int compare_by_id_then_from(const void *pa, const void *pb)
{
    const bt_target *a = pa, *b = pb;
    int c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
    if (c != 0)
        return c;
    return (a->from_day > b->from_day) - (a->from_day < b->from_day);
}

int bt_targets_resolve_history(const bt_target_version *v, size_t count, bt_targets *out)
{
    bt_targets all;
    bt_targets_init(out);
    bt_targets_init(&all);
    for (size_t i = 0; i < count; i++) {
        bt_target cut = v[i].target;
        cut.from_day = max_day(cut.from_day, v[i].in_force_from);
        cut.until_day = min_day(cut.until_day, v[i].in_force_until);
        if (cut.from_day > cut.until_day)
            continue; /* never in force on a day it was valid */
        if (bt_targets_append(&all, &cut) != 0)
            goto fail;
    }
    if (all.count > 1)
        qsort(all.items, all.count, sizeof *all.items, compare_by_id_then_from);
    for (size_t i = 0; i < all.count; i++) {
        bt_target *last = out->count ? &out->items[out->count - 1] : NULL;
        const bt_target *x = &all.items[i];
        /* Adjacent or overlapping days of the same rule: one stretch (the later label wins). */
        if (last && same_definition(last, x) &&
            (last->until_day == BT_DAY_NONE_UNTIL || x->from_day <= last->until_day + 1)) {
            last->until_day = max_day(last->until_day, x->until_day);
            if (!same_text(last->label, x->label)) {
                bool failed = false;
                char *label = dup_or_null(x->label, &failed);
                if (failed)
                    goto fail;
                free(last->label);
                last->label = label;
            }
            continue;
        }
        if (bt_targets_append(out, x) != 0)
            goto fail;
    }
    bt_targets_free(&all);
    return 0;

fail:
    bt_targets_free(&all);
    bt_targets_free(out);
    return -1;
}

/* ---- progress ----------------------------------------------------------------------------- */

bool bt_topics_has(const char *topics, const char *topic)
{
    size_t want = topic ? strlen(topic) : 0;
    if (!topics || want == 0)
        return false;
    for (const char *p = topics; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == want && memcmp(p, topic, n) == 0)
            return true;
        p += n;
    }
    return false;
}

static bool topic_matches(const bt_target *t, const char *topics)
{
    if (!t->topic)
        return true;
    return bt_topics_has(topics, t->topic);
}

static int compare_strings(const void *pa, const void *pb)
{
    const char *const *a = pa, *const *b = pb;
    return strcmp(*a, *b);
}

/* Sorts keys and drops repeats; returns the new count. */
static size_t sort_unique(const char **keys, size_t n)
{
    if (n < 2)
        return n;
    qsort(keys, n, sizeof *keys, compare_strings);
    size_t u = 1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(keys[i], keys[u - 1]) != 0)
            keys[u++] = keys[i];
    return u;
}

static bool sorted_contains(const char **keys, size_t n, const char *key)
{
    return n > 0 && bsearch(&key, keys, n, sizeof *keys, compare_strings) != NULL;
}

static bool in_window(bt_day day, bt_day first, bt_day last)
{
    return day >= first && day <= last;
}

typedef struct {
    int64_t done;
    int64_t possible; /* -1 unknown */
} tally;

/* Loudspeaker: completed airings in the window, and what the upcoming ones can add. Returns -1
 * on allocation failure. */
static int tally_airings(const bt_target *t, const bt_target_inputs *in, bt_day first,
                         bt_day last, tally *out)
{
    const char **done = NULL, **later = NULL;
    size_t nd = 0, nl = 0;
    out->done = 0;
    out->possible = in->loudspeaker_upcoming_known ? 0 : -1;
    if (in->airing_count) {
        done = malloc(in->airing_count * sizeof *done);
        if (!done)
            return -1;
    }
    for (size_t i = 0; i < in->airing_count; i++) {
        const bt_target_airing *a = &in->airings[i];
        if (a->status != BT_ATTEMPT_COMPLETED || !topic_matches(t, a->topic) ||
            !in_window(bt_time_day_of(a->at), first, last))
            continue;
        done[nd++] = a->item ? a->item : "";
    }
    if (t->counts == BT_TARGET_COUNT_AIRINGS)
        out->done = (int64_t)nd;
    else
        out->done = (int64_t)(nd = sort_unique(done, nd));
    if (in->loudspeaker_upcoming_known && in->upcoming_airing_count) {
        later = malloc(in->upcoming_airing_count * sizeof *later);
        if (!later) {
            free(done);
            return -1;
        }
        for (size_t i = 0; i < in->upcoming_airing_count; i++) {
            const bt_target_airing *a = &in->upcoming_airings[i];
            bt_day day = bt_time_day_of(a->at);
            if (!topic_matches(t, a->topic) || !in_window(day, first, last) || day < in->today)
                continue;
            const char *key = a->item ? a->item : "";
            /* An item already counted adds nothing to a distinct count. */
            if (t->counts == BT_TARGET_COUNT_ITEMS && sorted_contains(done, nd, key))
                continue;
            later[nl++] = key;
        }
        out->possible = (int64_t)(t->counts == BT_TARGET_COUNT_AIRINGS ? nl
                                                                       : sort_unique(later, nl));
    }
    free(done);
    free(later);
    return 0;
}

/* Screen: notices shown or minutes on screen in the window, and what is still expected. */
static int tally_exposure(const bt_target *t, const bt_target_inputs *in, bt_day first,
                          bt_day last, tally *out)
{
    const char **done = NULL, **later = NULL;
    size_t nd = 0, nl = 0;
    double seconds = 0, later_seconds = 0;
    out->done = 0;
    out->possible = in->screen_upcoming_known ? 0 : -1;
    if (in->exposure_count) {
        done = malloc(in->exposure_count * sizeof *done);
        if (!done)
            return -1;
    }
    for (size_t i = 0; i < in->exposure_count; i++) {
        const bt_target_exposure *e = &in->exposure[i];
        if (!topic_matches(t, e->topic) || !in_window(e->day, first, last) ||
            (e->shows <= 0 && e->seconds <= 0))
            continue;
        done[nd++] = e->notice ? e->notice : "";
        seconds += e->seconds;
    }
    nd = sort_unique(done, nd);
    out->done = t->counts == BT_TARGET_COUNT_MINUTES ? (int64_t)(seconds / 60.0) : (int64_t)nd;
    if (in->screen_upcoming_known && in->upcoming_exposure_count) {
        later = malloc(in->upcoming_exposure_count * sizeof *later);
        if (!later) {
            free(done);
            return -1;
        }
        for (size_t i = 0; i < in->upcoming_exposure_count; i++) {
            const bt_target_exposure *e = &in->upcoming_exposure[i];
            if (!topic_matches(t, e->topic) || !in_window(e->day, first, last) ||
                e->day < in->today)
                continue;
            later_seconds += e->seconds;
            if (!sorted_contains(done, nd, e->notice ? e->notice : ""))
                later[nl++] = e->notice ? e->notice : "";
        }
        if (t->counts == BT_TARGET_COUNT_MINUTES)
            out->possible = (int64_t)((seconds + later_seconds) / 60.0) - out->done;
        else
            out->possible = (int64_t)sort_unique(later, nl);
    }
    free(done);
    free(later);
    return 0;
}

/* A recorded channel: the records of its channel in the window, each the tin/bài it stands for
 * (1 for a playlist's record, a CSV row's or a panel entry's count, a correction's negative one).
 * What staff will still record is unknown. */
static void tally_records(const bt_target *t, const bt_target_inputs *in, bt_day first,
                          bt_day last, tally *out)
{
    out->done = 0;
    out->possible = -1;
    for (size_t i = 0; i < in->record_count; i++) {
        const bt_target_record *r = &in->records[i];
        if (r->channel == t->channel && topic_matches(t, r->topic) &&
            in_window(r->day, first, last))
            out->done += r->count;
    }
    /* Only the window's total is clamped: a correction may be read before the record it undoes
     * (rows come in any order), so a running total below zero is not yet wrong. A total below
     * zero is a correction whose record the window does not hold. */
    if (out->done < 0)
        out->done = 0;
}

static bt_target_state judge(int64_t done, int64_t required, int64_t possible, bt_day last,
                             bt_day today)
{
    if (done >= required)
        return BT_TARGET_MET;
    if (today > last)
        return BT_TARGET_MISSED;
    if (possible < 0 || done + possible >= required)
        return BT_TARGET_ON_TRACK;
    return BT_TARGET_AT_RISK;
}

int bt_target_progress_for(const bt_target *t, bt_day day, const bt_target_inputs *in,
                           bt_target_progress *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (!t || !in || (t->period != BT_PERIOD_MONTH && t->period != BT_PERIOD_QUARTER &&
                      t->period != BT_PERIOD_YEAR))
        return -1;
    bt_period p = bt_time_period_of(t->period, day);
    bt_day first = max_day(p.first, t->from_day), last = min_day(p.last, t->until_day);
    if (first > last)
        return 0;
    tally n;
    int rc = 0;
    if (t->channel == BT_TARGET_SCREEN)
        rc = tally_exposure(t, in, first, last, &n);
    else if (t->channel == BT_TARGET_LOUDSPEAKER)
        rc = tally_airings(t, in, first, last, &n);
    else
        tally_records(t, in, first, last, &n);
    if (rc != 0)
        return -1;
    out->target = t;
    out->period = p;
    out->first = first;
    out->last = last;
    out->done = n.done;
    out->required = t->minimum;
    out->remaining = n.done >= t->minimum ? 0 : t->minimum - n.done;
    out->still_possible = n.possible;
    if (in->today > last)
        out->days_left = 0;
    else
        /* From today, as a person counts "còn N ngày" — also for a period not begun yet, where
         * the period's own length was read as the days left. */
        out->days_left = (int)(last - in->today + 1);
    out->state = judge(n.done, t->minimum, n.possible, last, in->today);
    return 1;
}

size_t bt_targets_progress_today(const bt_targets *t, const bt_target_inputs *in,
                                 bt_target_progress *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; t && in && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        if (in->today < x->from_day || in->today > x->until_day)
            continue;
        bt_target_progress p;
        if (bt_target_progress_for(x, in->today, in, &p) != 1)
            continue;
        if (n < cap)
            out[n] = p;
        n++;
    }
    return n;
}

size_t bt_targets_progress_range(const bt_targets *t, bt_day first, bt_day last,
                                 const bt_target_inputs *in, bt_target_progress *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; t && in && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        bt_day from = max_day(first, x->from_day), until = min_day(last, x->until_day);
        for (bt_day d = from; d <= until;) {
            bt_target_progress p;
            int rc = bt_target_progress_for(x, d, in, &p);
            if (rc < 0)
                break;
            if (rc == 1) {
                if (n < cap)
                    out[n] = p;
                n++;
            }
            bt_period period = bt_time_period_of(x->period, d);
            d = period.last + 1;
        }
    }
    return n;
}

size_t bt_targets_upcoming_from_slots(const bt_broadcasts *b, const bt_slot *slots, size_t count,
                                      bt_target_airing *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; b && i < count; i++) {
        if (slots[i].session >= b->session_count)
            continue;
        const bt_broadcast_session *s = &b->sessions[slots[i].session];
        for (size_t k = 0; k < s->item_count; k++) {
            if (s->items[k] >= b->item_count)
                continue;
            const bt_broadcast_item *item = &b->items[s->items[k]];
            if (n < cap)
                out[n] = (bt_target_airing){item->id, item->topic, slots[i].scheduled,
                                            BT_ATTEMPT_COMPLETED};
            n++;
        }
    }
    return n;
}

/* ---- public results line ------------------------------------------------------------------ */

/* Whether label's first word is word (followed by a space or the label's end). */
static bool starts_with_word(const char *label, const char *word)
{
    size_t n = strlen(word);
    return strncmp(label, word, n) == 0 && (label[n] == ' ' || label[n] == '\0');
}

const char *bt_target_public_text(const bt_target_progress *p, char *buf, size_t size)
{
    char period[PERIOD_TEXT_BYTES];
    if (!buf || size == 0)
        return buf;
    if (!p || !p->target) {
        buf[0] = '\0';
        return buf;
    }
    const bt_target *t = p->target;
    size_t ch = (size_t)t->channel < ARRAY_LEN(channel_vi) ? (size_t)t->channel : BT_TARGET_OTHER;
    const char *label = t->label ? t->label : "";
    const char *unit = t->counts == BT_TARGET_COUNT_AIRINGS   ? "lượt "
                       : t->counts == BT_TARGET_COUNT_MINUTES ? "phút "
                                                              : "";
    /* The guide says to write the label without its unit, but a label that starts with it
     * anyway ("phút giới thiệu dịch vụ công") must not read "600 phút phút …". */
    if ((t->counts == BT_TARGET_COUNT_AIRINGS &&
         (starts_with_word(label, "lượt") || starts_with_word(label, "Lượt"))) ||
        (t->counts == BT_TARGET_COUNT_MINUTES &&
         (starts_with_word(label, "phút") || starts_with_word(label, "Phút"))))
        unit = "";
    /* "20 tin bài … (chỉ tiêu: 2)", never "20/2 tin bài", which reads as the 20th of February. */
    char done[32], required[32];
    snprintf(buf, size, "%s: %s %s %s%s %s (chỉ tiêu: %s)",
             bt_period_label_vi(&p->period, period, sizeof period), channel_vi[ch].verb,
             bt_text_count(p->done, done, sizeof done), unit, label, channel_vi[ch].where,
             bt_text_count(p->required, required, sizeof required));
    return buf;
}

/* ---- dump --------------------------------------------------------------------------------- */

static const char *day_or_dash(bt_day day, char *buf, size_t size)
{
    if (day == BT_DAY_NONE_FROM || day == BT_DAY_NONE_UNTIL)
        snprintf(buf, size, "-");
    else
        bt_time_format_iso_day(day, buf, size);
    return buf;
}

char *bt_targets_dump(const bt_targets *t)
{
    bt_dump d = {NULL, 0, 0, false};
    char a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    bt_buf_printf(&d, "targets = %zu\n", t ? t->count : 0);
    for (size_t i = 0; t && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        bt_buf_printf(&d,
                    "targets[%zu].id = \"%s\"\ntargets[%zu].label = \"%s\"\n"
                    "targets[%zu].channel = %s\ntargets[%zu].topic = %s\n"
                    "targets[%zu].period = %s\ntargets[%zu].minimum = %d\n"
                    "targets[%zu].counts = %s\ntargets[%zu].from = %s\ntargets[%zu].until = %s\n",
                    i, x->id ? x->id : "", i, x->label ? x->label : "", i,
                    bt_target_channel_name(x->channel), i, x->topic ? x->topic : "-", i,
                    bt_target_period_name(x->period), i, x->minimum, i,
                    bt_target_counts_name(x->counts), i, day_or_dash(x->from_day, a, sizeof a), i,
                    day_or_dash(x->until_day, b, sizeof b));
    }
    if (d.failed) {
        free(d.data);
        return NULL;
    }
    return d.data;
}
