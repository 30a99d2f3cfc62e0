/* The month-by-month table of a report: for every target of the period, what was done in its
 * own period (month, quarter, year) up to the end of each month, beside what that period
 * requires. The XLSX charts each channel from it (columns against the target's line), and the
 * CSV and HTML carry the same figures.
 *
 * Cumulative, not per month: a target counts distinct tin/bài or notices in its period, which
 * do not add up month by month (the same item aired in October and November is one). So the
 * figure for a month is the target's progress computed over only what happened up to that
 * month's end — core's own count, on inputs cut at that day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "report_internal.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int set_int(bt_rcell *c, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    c->is_number = true;
    c->number = (double)v;
    return (c->text = dup_text(text)) ? 0 : -1;
}

static const char *period_word(bt_period_kind k)
{
    switch (k) {
    case BT_PERIOD_MONTH: return "tháng";
    case BT_PERIOD_QUARTER: return "quý";
    case BT_PERIOD_YEAR: return "năm";
    default: return "kỳ";
    }
}

/* The columns' targets: one per target id with a row in the report, loudspeaker first (a chart
 * per channel then reads adjacent columns). Returns how many; ids[] borrow from progress. */
static size_t distinct_targets(const bt_report *r, const bt_target **first_of, size_t cap)
{
    size_t n = 0;
    for (int ch = BT_TARGET_LOUDSPEAKER; ch < BT_TARGET_CHANNEL_COUNT; ch++)
        for (size_t i = 0; i < r->progress_count; i++) {
            const bt_target *t = r->progress[i].target;
            if ((int)t->channel != ch)
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = strcmp(first_of[k]->id, t->id) == 0;
            if (!seen && n < cap)
                first_of[n++] = t;
        }
    return n;
}

/* The progress row of target `id` that counts the month [first, last]: the latest version in
 * force in it (a target changed mid-month is read as it stood at the month's end). */
static const bt_target_progress *row_for(const bt_report *r, const char *id, bt_day first,
                                         bt_day last)
{
    const bt_target_progress *best = NULL;
    for (size_t i = 0; i < r->progress_count; i++) {
        const bt_target_progress *p = &r->progress[i];
        if (strcmp(p->target->id, id) != 0 || p->last < first || p->first > last)
            continue;
        if (!best || p->first > best->first)
            best = p;
    }
    return best;
}

/* The inputs cut at the end of day `last`: what had happened by then. The caller frees the two
 * arrays it fills. */
static int inputs_until(const bt_target_inputs *in, bt_day last, bt_target_inputs *out,
                        bt_target_airing **airings, bt_target_exposure **exposure)
{
    bt_wall end = bt_time_day_start(last + 1);
    *out = *in;
    out->upcoming_airings = NULL;
    out->upcoming_airing_count = 0;
    out->upcoming_exposure = NULL;
    out->upcoming_exposure_count = 0;
    out->airing_count = out->exposure_count = 0;
    *airings = in->airing_count ? malloc(in->airing_count * sizeof **airings) : NULL;
    *exposure = in->exposure_count ? malloc(in->exposure_count * sizeof **exposure) : NULL;
    if ((in->airing_count && !*airings) || (in->exposure_count && !*exposure))
        return -1;
    for (size_t i = 0; i < in->airing_count; i++)
        if (in->airings[i].at < end)
            (*airings)[out->airing_count++] = in->airings[i];
    for (size_t i = 0; i < in->exposure_count; i++)
        if (in->exposure[i].day <= last)
            (*exposure)[out->exposure_count++] = in->exposure[i];
    out->airings = *airings;
    out->exposure = *exposure;
    return 0;
}

static int make_headers(bt_report *r, const bt_target *const *targets, size_t n)
{
    bt_rtable *t = &r->tables[BT_RT_MONTHS];
    char **h = calloc(1 + 2 * n, sizeof *h);
    if (!h)
        return -1;
    t->owned_headers = h;
    t->headers = (const char *const *)h;
    t->cols = 1 + 2 * n;
    if (!(h[0] = dup_text("Tháng")))
        return -1;
    for (size_t k = 0; k < n; k++) {
        const bt_target *x = targets[k];
        for (int req = 0; req < 2; req++) {
            /* A count staff entered is marked as such, beside the appliance's own. */
            const char *what = req ? "chỉ tiêu"
                               : bt_target_channel_recorded(x->channel)
                                   ? "đã thực hiện (do cán bộ ghi nhận)"
                                   : "đã thực hiện";
            int len = snprintf(NULL, 0, "%s — %s, %s/%s: %s", x->label,
                               bt_target_channel_vi(x->channel), bt_target_counts_vi(x->counts),
                               period_word(x->period), what);
            char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
            if (!s)
                return -1;
            snprintf(s, (size_t)len + 1, "%s — %s, %s/%s: %s", x->label,
                     bt_target_channel_vi(x->channel), bt_target_counts_vi(x->counts),
                     period_word(x->period), what);
            h[1 + 2 * k + (size_t)req] = s;
        }
        r->month_series[r->month_series_count++] =
            (bt_rseries){x->channel, 1 + 2 * k, 2 + 2 * k};
    }
    return 0;
}

static int grow(bt_rtable *t)
{
    if (t->rows < t->cap_rows)
        return 0;
    size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
    bt_rcell *bigger = realloc(t->cells, cap * t->cols * sizeof *bigger);
    if (!bigger)
        return -1;
    t->cells = bigger;
    t->cap_rows = cap;
    return 0;
}

/* One row: the month, then each target's done-so-far and requirement (empty where the target is
 * not in force in that month). */
static int month_row(bt_report *r, const bt_target *const *targets, size_t n, bt_period m,
                     const bt_target_inputs *cut)
{
    bt_rtable *t = &r->tables[BT_RT_MONTHS];
    if (grow(t) != 0)
        return -1;
    bt_rcell *row = &t->cells[t->rows * t->cols];
    memset(row, 0, t->cols * sizeof *row);
    t->rows++;
    int y, mo, d;
    bt_time_ymd_from_day(m.first, &y, &mo, &d);
    char label[16];
    snprintf(label, sizeof label, "%02d/%04d", mo, y);
    if (!(row[0].text = dup_text(label)))
        return -1;
    for (size_t k = 0; k < n; k++) {
        const bt_target_progress *p = row_for(r, targets[k]->id, m.first, m.last);
        bt_target_progress now;
        bt_day upto = p && p->last < m.last ? p->last : m.last;
        if (p && bt_target_progress_for(p->target, upto, cut, &now) == 1) {
            if (set_int(&row[1 + 2 * k], now.done) != 0 ||
                set_int(&row[2 + 2 * k], now.required) != 0)
                return -1;
        }
    }
    for (size_t k = 0; k < t->cols; k++)
        if (!row[k].text && !(row[k].text = dup_text("")))
            return -1;
    return 0;
}

int bt_report_build_months(bt_report *r, const bt_target_inputs *in)
{
    const bt_target *targets[BT_REPORT_MAX_SERIES];
    size_t n = distinct_targets(r, targets, BT_REPORT_MAX_SERIES);
    if (n == 0)
        return 0; /* no target in the period: nothing to chart */
    if (make_headers(r, targets, n) != 0)
        return -1;
    bt_day first = r->period.first;
    while (first <= r->period.last) {
        bt_period m = bt_time_period_of(BT_PERIOD_MONTH, first);
        bt_target_inputs cut;
        bt_target_airing *airings = NULL;
        bt_target_exposure *exposure = NULL;
        int rc = inputs_until(in, m.last, &cut, &airings, &exposure);
        if (rc == 0)
            rc = month_row(r, targets, n, m, &cut);
        free(airings);
        free(exposure);
        if (rc != 0)
            return -1;
        first = m.last + 1;
    }
    return 0;
}
