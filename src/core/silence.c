/* Dead air in broadcast items (bt_silence.h): one pass over the decoded mono signal in 50 ms
 * blocks, then the ward's limits applied to the figures. The figures are kept with the item's
 * loudness measurement, so the limits are applied again (as configured at the time) whenever an
 * item is checked or loaded, without decoding it again. */
#include "bangtin/bt_silence.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double bt_silence_threshold_dbfs(double integrated_lufs)
{
    if (!isfinite(integrated_lufs))
        return BT_SILENCE_FLOOR_DBFS;
    double relative = integrated_lufs - BT_SILENCE_BELOW_LOUDNESS_DB;
    return relative < BT_SILENCE_FLOOR_DBFS ? relative : BT_SILENCE_FLOOR_DBFS;
}

int bt_silence_measure(const int16_t *pcm, size_t frames, int rate, double threshold_dbfs,
                       bt_silence *out)
{
    memset(out, 0, sizeof(*out));
    if ((!pcm && frames > 0) || rate <= 0)
        return -1;
    if (frames == 0)
        return 0;
    size_t block = (size_t)rate * BT_SILENCE_BLOCK_MS / 1000;
    if (block == 0)
        block = 1;
    /* Compared as mean square against the threshold's, in sample units: no log per block. */
    double full_scale = 32768.0;
    double limit = pow(10.0, threshold_dbfs / 20.0) * full_scale;
    double limit_sq = limit * limit;

    size_t first_sound = SIZE_MAX, sound_end = 0; /* frames: [first_sound, sound_end) */
    size_t silent = 0, run_start = 0, run = 0, longest = 0, longest_at = 0;
    for (size_t at = 0; at < frames; at += block) {
        size_t n = frames - at < block ? frames - at : block;
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            double v = pcm[at + i];
            sum += v * v;
        }
        if (sum / (double)n < limit_sq) {
            silent += n;
            if (run == 0)
                run_start = at;
            run += n;
            continue;
        }
        /* A sound: a silence that ran since an earlier sound was inside the item. */
        if (first_sound != SIZE_MAX && run > longest) {
            longest = run;
            longest_at = run_start;
        }
        if (first_sound == SIZE_MAX)
            first_sound = at;
        sound_end = at + n;
        run = 0;
    }
    double r = (double)rate;
    out->silent_fraction = (double)silent / (double)frames;
    if (first_sound == SIZE_MAX) {
        out->leading_seconds = out->trailing_seconds = (double)frames / r;
        return 0;
    }
    out->leading_seconds = (double)first_sound / r;
    out->trailing_seconds = (double)(frames - sound_end) / r;
    out->longest_inside_seconds = (double)longest / r;
    out->longest_inside_at_seconds = (double)longest_at / r;
    return 0;
}

const char *bt_silence_seconds_text(double seconds, char *buf, size_t size)
{
    /* Rounded as bt_silence_over rounds, so the text shown is the figure judged. */
    long tenths = isfinite(seconds) && seconds > 0 ? lround(seconds * 10.0) : 0;
    snprintf(buf, size, "%ld,%ld", tenths / 10, tenths % 10);
    return buf;
}

/* "1:05": minutes and seconds from the item's start, as a media player shows them. */
static const char *position_text(double seconds, char *buf, size_t size)
{
    long s = (long)floor(seconds + 0.5);
    snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

/* The silent share as shown, in whole percent: what is judged is what staff read. */
static long shown_percent(const bt_silence *s)
{
    return lround(s->silent_fraction * 100.0);
}

/* Seconds over a limit as shown: to a tenth. */
static bool over_seconds(double seconds, int limit)
{
    return limit > 0 && lround(seconds * 10.0) > (long)limit * 10;
}

unsigned bt_silence_over(const bt_silence *s, const bt_silence_limits *lim)
{
    unsigned over = 0;
    if (!s || !lim)
        return 0;
    if (lim->max_percent > 0 && shown_percent(s) > lim->max_percent)
        over |= BT_SILENCE_MOSTLY_SILENT;
    if (over_seconds(s->leading_seconds, lim->end_max_seconds))
        over |= BT_SILENCE_LONG_LEADING;
    if (over_seconds(s->trailing_seconds, lim->end_max_seconds))
        over |= BT_SILENCE_LONG_TRAILING;
    if (over_seconds(s->longest_inside_seconds, lim->inside_max_seconds))
        over |= BT_SILENCE_LONG_INSIDE;
    return over;
}

bool bt_silence_refused(const bt_silence *s, double duration_seconds,
                        const bt_silence_limits *lim, char *buf, size_t size)
{
    if (!(bt_silence_over(s, lim) & BT_SILENCE_MOSTLY_SILENT))
        return false;
    if (buf && size) {
        char silent[32], total[32];
        snprintf(buf, size,
                 "%ld %% thời lượng là im lặng (%s/%s giây), quá %d %% cho phép: không phát "
                 "được — nghe lại bản ghi (micrô, mức thu) rồi xuất lại tệp",
                 shown_percent(s),
                 bt_silence_seconds_text(s->silent_fraction * duration_seconds, silent,
                                         sizeof(silent)),
                 bt_silence_seconds_text(duration_seconds, total, sizeof(total)),
                 lim->max_percent);
    }
    return true;
}

int bt_silence_check(const bt_silence *s, double duration_seconds, const bt_silence_limits *lim,
                     const char *item_id, const char *audio, const char *file, int line,
                     bt_diags *diags)
{
    char why[BT_MAX_DIAG_MESSAGE], a[32], b[32], c[32];
    if (!s || !lim)
        return 0;
    if (bt_silence_refused(s, duration_seconds, lim, why, sizeof(why))) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, line, "tin \"%s\" (%s): %s", item_id, audio,
                     why);
        return -1;
    }
    unsigned over = bt_silence_over(s, lim);
    if (over & BT_SILENCE_LONG_LEADING)
        bt_diags_add(diags, BT_DIAG_WARNING, file, line,
                     "tin \"%s\" (%s): im lặng %s giây ở đầu tệp, dài hơn %d giây cho phép — cắt "
                     "bớt khoảng lặng ở đầu tệp rồi xuất lại tệp",
                     item_id, audio, bt_silence_seconds_text(s->leading_seconds, a, sizeof(a)),
                     lim->end_max_seconds);
    if (over & BT_SILENCE_LONG_TRAILING)
        bt_diags_add(diags, BT_DIAG_WARNING, file, line,
                     "tin \"%s\" (%s): im lặng %s giây ở cuối tệp, dài hơn %d giây cho phép — cắt "
                     "bớt khoảng lặng ở cuối tệp rồi xuất lại tệp",
                     item_id, audio, bt_silence_seconds_text(s->trailing_seconds, a, sizeof(a)),
                     lim->end_max_seconds);
    if (over & BT_SILENCE_LONG_INSIDE)
        bt_diags_add(diags, BT_DIAG_WARNING, file, line,
                     "tin \"%s\" (%s): khoảng lặng %s giây giữa tệp (từ %s đến %s), dài hơn %d "
                     "giây cho phép — cắt bớt khoảng lặng đó rồi xuất lại tệp, hoặc nghe lại xem "
                     "bản ghi có bị mất tiếng đoạn đó không",
                     item_id, audio,
                     bt_silence_seconds_text(s->longest_inside_seconds, a, sizeof(a)),
                     position_text(s->longest_inside_at_seconds, b, sizeof(b)),
                     position_text(s->longest_inside_at_seconds + s->longest_inside_seconds, c,
                                   sizeof(c)),
                     lim->inside_max_seconds);
    return 0;
}
