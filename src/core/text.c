/* Text for the lobby screen: UTF-8 validation, NFC normalisation, line breaking and auto-fit.
 *
 * Wrapping is pure: widths come from a caller-supplied measuring function (the ui room wraps
 * SDL_ttf, tests use a fake monospace one), so the breaking rules are tested without a font.
 * Lines are measured as whole spans rather than summed per word so kerning and shaping of the
 * real renderer are respected. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_text.h"
#include "vi_compounds.h"

/* Decodes one code point at s[i] (i < len). Returns its byte length, or 0 if the bytes there
 * are not a well-formed, shortest-form, non-surrogate UTF-8 sequence. */
static size_t utf8_decode(const unsigned char *s, size_t len, size_t i, int32_t *cp)
{
    unsigned char c = s[i];
    size_t need, k;
    int32_t value, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        value = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3;
        value = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        value = c & 0x07;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (len - i < need)
        return 0;
    for (k = 1; k < need; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (s[i + k] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *cp = value;
    return need;
}

bool bt_text_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n;
    int32_t cp;
    if (!s)
        return false;
    while (i < len) {
        n = utf8_decode(u, len, i, &cp);
        if (n == 0 || cp == 0)
            return false;
        i += n;
    }
    return true;
}

char *bt_text_nfc(const char *s)
{
    if (!s || !bt_text_utf8_valid(s, strlen(s)))
        return NULL;
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

char *bt_text_upper(const char *s)
{
    if (!s || !bt_text_utf8_valid(s, strlen(s)))
        return NULL;
    /* A capital never takes more than 4 bytes, but may take more than its small letter (ı→I
     * is fewer): room for 4 per input byte is always enough. */
    size_t len = strlen(s);
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (utf8proc_ssize_t i = 0; i < (utf8proc_ssize_t)len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)len - i, &cp);
        if (n <= 0)
            break;
        o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + o);
        i += n;
    }
    out[o] = '\0';
    return out;
}

size_t bt_text_bom_length(const char *s, size_t len)
{
    if (s && len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        return 3;
    return 0;
}

static bool is_mark(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

const char *bt_text_count(long long v, char *buf, size_t size)
{
    char digits[24], out[32];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", u), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    if (size > 0)
        snprintf(buf, size, "%s", out);
    return buf;
}

char *bt_text_clip(const char *s, char *out, size_t size)
{
    static const char ellipsis[] = "…";
    if (size == 0)
        return out;
    size_t len = strlen(s);
    if (len < size) {
        memcpy(out, s, len + 1);
        return out;
    }
    if (size < sizeof ellipsis) {
        out[0] = '\0';
        return out;
    }
    size_t keep = size - sizeof ellipsis; /* room for the ellipsis and the NUL */
    /* Back off continuation bytes (10xxxxxx) so the cut falls before a lead byte. */
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    while (keep > 0 && s[keep - 1] == ' ')
        keep--;
    memcpy(out, s, keep);
    memcpy(out + keep, ellipsis, sizeof ellipsis);
    return out;
}

size_t bt_text_codepoints(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len, i = 0, n, count = 0;
    int32_t cp;
    if (!s)
        return 0;
    len = strlen(s);
    while (i < len) {
        n = utf8_decode(u, len, i, &cp);
        if (n == 0) {
            /* A broken byte still takes a place on screen (as a replacement box). */
            count++;
            i++;
            continue;
        }
        if (!is_mark(cp))
            count++;
        i += n;
    }
    return count;
}

/* ---- wrapping ----------------------------------------------------------------------------- */

typedef struct {
    const char *text;
    size_t len;
    int size;
    int max_width;
    int keep_width;       /* a compound no wider than this is kept on one line */
    bt_text_measure_fn measure;
    void *ctx;
    bt_text_wrap_result *out;
} wrapper;

/* Outcome of a wrapping step: go on, stop because the line limit was hit, or measuring failed. */
enum { WRAP_OK = 0, WRAP_FULL = 1, WRAP_FAILED = -1 };

static bool is_space(char c)
{
    /* '\r' counts as a space so CRLF text from Windows breaks like LF text. */
    return c == ' ' || c == '\t' || c == '\r';
}

/* Characters after which a long URL or path may be broken. */
static bool is_break_after(char c)
{
    return c == '/' || c == '.' || c == '-' || c == '?' || c == '&' || c == '=';
}

/* Index just past the user-visible character at i: one code point plus any combining marks
 * that follow it, so a mark is never separated from its base letter. */
static size_t next_cluster(const wrapper *w, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)w->text;
    int32_t cp;
    size_t n = utf8_decode(u, end, i, &cp);
    i += n ? n : 1;
    while (i < end) {
        n = utf8_decode(u, end, i, &cp);
        if (n == 0 || !is_mark(cp))
            break;
        i += n;
    }
    return i;
}

static size_t skip_spaces(const wrapper *w, size_t i, size_t end)
{
    while (i < end && is_space(w->text[i]))
        i++;
    return i;
}

static size_t find_space(const wrapper *w, size_t i, size_t end)
{
    while (i < end && !is_space(w->text[i]))
        i++;
    return i;
}

/* ---- compound words --------------------------------------------------------------------------
 * Vietnamese writes a word of several syllables with spaces between them ("thành phố", "dịch vụ
 * công"), so a line broken at any space splits words ("Thành / phố"). The listed compounds
 * (vi_compounds.c, sorted bytewise) are kept on one line, the longest listed one that
 * starts at a word; one wider than a whole line breaks like plain words. */

#define COMPOUND_MAX_WORDS 5
#define COMPOUND_MAX_BYTES 96

static int compare_compound(const void *key, const void *entry)
{
    return strcmp((const char *)key, *(const char *const *)entry);
}

/* [start, end) in lower case into out, trailing punctuation dropped ("phố," reads "phố").
 * false when it does not fit. */
static bool lower_words(const char *s, size_t start, size_t end, char *out, size_t size)
{
    while (end > start && strchr(",.;:!?)\"'", s[end - 1]))
        end--;
    size_t o = 0;
    for (size_t i = start; i < end;) {
        int32_t cp;
        size_t n = utf8_decode((const unsigned char *)s, end, i, &cp);
        if (n == 0 || o + 5 > size)
            return false;
        o += (size_t)utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)out + o);
        i += n;
    }
    out[o] = '\0';
    return true;
}

/* The ends of the listed compounds whose first word starts at `start`, shortest first ("dịch
 * vụ", "dịch vụ công"); returns how many. */
static size_t compound_ends(const wrapper *w, size_t start, size_t end,
                            size_t ends[COMPOUND_MAX_WORDS])
{
    char key[COMPOUND_MAX_BYTES];
    size_t n = 0, i = find_space(w, start, end);
    for (int words = 2; words <= COMPOUND_MAX_WORDS; words++) {
        /* one plain space between syllables, as the list writes them */
        if (i + 1 >= end || w->text[i] != ' ' || w->text[i + 1] == ' ')
            break;
        size_t next_end = find_space(w, i + 1, end);
        if (!lower_words(w->text, start, next_end, key, sizeof key))
            break;
        if (bsearch(key, bt_vi_compounds, bt_vi_compound_count, sizeof bt_vi_compounds[0],
                    compare_compound))
            ends[n++] = next_end;
        /* a word ending in punctuation closes the phrase */
        if (strchr(",.;:!?", w->text[next_end - 1]))
            break;
        i = next_end;
    }
    return n;
}

static int measure_span(const wrapper *w, size_t start, size_t end);

/* Where the unit starting at `start` ends: the longest listed compound that fits a line on its
 * own ("Cổng Dịch vụ công" too wide keeps "Dịch vụ công" whole), else the word. -1 when
 * measuring failed. */
static int unit_end(const wrapper *w, size_t start, size_t end, size_t *out)
{
    size_t ends[COMPOUND_MAX_WORDS];
    size_t n = compound_ends(w, start, end, ends);
    *out = find_space(w, start, end);
    while (n-- > 0) {
        int alone = measure_span(w, start, ends[n]);
        if (alone < 0)
            return -1;
        if (alone <= w->keep_width) {
            *out = ends[n];
            break;
        }
    }
    return 0;
}

static int measure_span(const wrapper *w, size_t start, size_t end)
{
    return w->measure(w->ctx, w->size, w->text + start, end - start);
}

static int emit_line(wrapper *w, size_t start, size_t end, int width)
{
    bt_text_wrap_result *out = w->out;
    if (out->line_count == BT_TEXT_MAX_LINES) {
        out->fits = false;
        return WRAP_FULL;
    }
    out->lines[out->line_count].start = start;
    out->lines[out->line_count].length = end - start;
    out->lines[out->line_count].width = width;
    out->line_count++;
    if (width > out->widest)
        out->widest = width;
    if (width > w->max_width)
        out->fits = false;
    return WRAP_OK;
}

/* A token [start, end) wider than a whole line: finds where to cut it. Prefers the last fitting
 * break after URL punctuation, then the last fitting character boundary; if not even one
 * character fits, takes one anyway (so wrapping always progresses) and the line overflows. */
static int break_token(const wrapper *w, size_t start, size_t end, size_t *cut, int *cut_width)
{
    size_t b, fit = 0, punct = 0;
    int width, fit_width = 0, punct_width = 0;
    for (b = next_cluster(w, start, end); b < end; b = next_cluster(w, b, end)) {
        width = measure_span(w, start, b);
        if (width < 0)
            return WRAP_FAILED;
        if (width > w->max_width)
            break;
        fit = b;
        fit_width = width;
        if (is_break_after(w->text[b - 1])) {
            punct = b;
            punct_width = width;
        }
    }
    if (punct) {
        *cut = punct;
        *cut_width = punct_width;
    } else if (fit) {
        *cut = fit;
        *cut_width = fit_width;
    } else {
        *cut = next_cluster(w, start, end);
        *cut_width = measure_span(w, start, *cut);
        if (*cut_width < 0)
            return WRAP_FAILED;
    }
    return WRAP_OK;
}

/* Greedy breaking of one paragraph [begin, end) (no '\n' inside). */
static int wrap_paragraph(wrapper *w, size_t begin, size_t end)
{
    size_t pos = skip_spaces(w, begin, end);
    if (pos == end)
        return emit_line(w, begin, begin, 0); /* an empty paragraph is a blank line */
    while (pos < end) {
        size_t line_start = pos, line_end = pos, i = pos;
        int line_width = 0, rc;
        for (;;) {
            size_t tok_start = skip_spaces(w, i, end), tok_end;
            int width;
            if (tok_start >= end)
                break;
            /* a word, or a compound kept whole when it fits a line by itself */
            if (unit_end(w, tok_start, end, &tok_end) != 0)
                return WRAP_FAILED;
            width = measure_span(w, line_start, tok_end);
            if (width < 0)
                return WRAP_FAILED;
            if (width <= w->max_width) {
                line_end = tok_end;
                line_width = width;
                i = tok_end;
                continue;
            }
            if (line_end == line_start &&
                break_token(w, line_start, tok_end, &line_end, &line_width) != WRAP_OK)
                return WRAP_FAILED;
            break;
        }
        rc = emit_line(w, line_start, line_end, line_width);
        if (rc != WRAP_OK)
            return rc;
        pos = skip_spaces(w, line_end, end);
    }
    return WRAP_OK;
}

int bt_text_wrap(const char *text, int size, int max_width, bt_text_measure_fn measure,
                 void *ctx, bt_text_wrap_result *out)
{
    return bt_text_wrap_keeping(text, size, max_width, max_width, measure, ctx, out);
}

int bt_text_wrap_keeping(const char *text, int size, int max_width, int keep_width,
                         bt_text_measure_fn measure, void *ctx, bt_text_wrap_result *out)
{
    wrapper w;
    size_t pos = 0;
    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    if (!text || !measure || max_width <= 0 || size <= 0)
        return -1;
    out->fits = true;
    w.text = text;
    w.len = strlen(text);
    w.size = size;
    w.max_width = max_width;
    w.keep_width = keep_width > max_width ? keep_width : max_width;
    w.measure = measure;
    w.ctx = ctx;
    w.out = out;
    /* Each '\n' ends a paragraph; a final '\n' does not add an empty last line. */
    while (pos < w.len) {
        const char *nl = memchr(text + pos, '\n', w.len - pos);
        size_t end = nl ? (size_t)(nl - text) : w.len;
        int rc = wrap_paragraph(&w, pos, end);
        if (rc == WRAP_FAILED) {
            memset(out, 0, sizeof(*out));
            return -1;
        }
        if (rc == WRAP_FULL)
            break;
        pos = end + 1;
    }
    return 0;
}

/* ---- auto-fit ----------------------------------------------------------------------------- */

/* How well text fits the box at one size. A size that only fits by cutting a word between two
 * letters ("Ngh|ị") is worse than a smaller size that keeps every word whole, so fit prefers
 * clean breaks: at spaces, at "\n", and after URL punctuation. */
enum { FIT_FAILED = -1, FIT_NO = 0, FIT_CUT_WORDS = 1, FIT_CLEAN = 2 };

/* True if some line ends inside a token at a place that is not after URL punctuation. */
static bool cuts_a_word(const char *text, const bt_text_wrap_result *wrap)
{
    size_t i;
    for (i = 0; i + 1 < wrap->line_count; i++) {
        size_t end = wrap->lines[i].start + wrap->lines[i].length;
        char next = text[end];
        if (next == '\0' || next == '\n' || is_space(next))
            continue;
        if (end == 0 || !is_break_after(text[end - 1]))
            return true;
    }
    return false;
}

static int fit_level(const char *text, int size, int max_width, int max_height,
                     int line_height_permille, bt_text_measure_fn measure, void *ctx,
                     bt_text_wrap_result *wrap)
{
    long long line_height, height;
    if (bt_text_wrap(text, size, max_width, measure, ctx, wrap) != 0)
        return FIT_FAILED;
    /* Rounded up: a line box must never be shorter than the glyphs' stacked marks need. */
    line_height = ((long long)size * line_height_permille + 999) / 1000;
    height = line_height * (long long)wrap->line_count;
    if (!wrap->fits || height > max_height)
        return FIT_NO;
    return cuts_a_word(text, wrap) ? FIT_CUT_WORDS : FIT_CLEAN;
}

/* Sizes above a fit looked at one by one: keeping compounds whole makes fitting not quite
 * monotonic (at a larger size a compound no longer fits a line alone, breaks like words and
 * may need fewer lines), so a bigger fit can hide just above the one the search found. */
#define FIT_UPWARD_STEPS 8

/* Binary search for the largest size in [min_size, max_size] reaching `level`: wrapped width
 * and height grow with size for any sane font, so the sizes that fit form a prefix, but for the
 * few sizes where a compound kept whole (compound_ends) costs a line: those are looked at one
 * by one above the search's answer.
 * Returns the size (its wrap in *best) or 0 if none; -1 if measuring failed. */
static int search_size(const char *text, int min_size, int max_size, int max_width,
                       int max_height, int line_height_permille, bt_text_measure_fn measure,
                       void *ctx, int level, bt_text_wrap_result *trial,
                       bt_text_wrap_result *best)
{
    int lo = min_size, hi = max_size, found = 0;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int r = fit_level(text, mid, max_width, max_height, line_height_permille, measure, ctx,
                          trial);
        if (r == FIT_FAILED)
            return -1;
        if (r >= level) {
            found = mid;
            *best = *trial;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    for (int size = found + 1; found && size <= max_size && size <= found + FIT_UPWARD_STEPS;
         size++) {
        int r = fit_level(text, size, max_width, max_height, line_height_permille, measure, ctx,
                          trial);
        if (r == FIT_FAILED)
            return -1;
        if (r >= level) {
            found = size;
            *best = *trial;
        }
    }
    return found;
}

/* The stored wrap is always the one computed at the chosen size. */
int bt_text_fit(const char *text, int min_size, int max_size, int max_width, int max_height,
                int line_height_permille, bt_text_measure_fn measure, void *ctx,
                bt_text_fit_result *out)
{
    bt_text_wrap_result *trial = NULL;
    int size, rc = -1;
    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    if (!text || !measure || min_size < 1 || max_size < min_size || max_width <= 0 ||
        max_height <= 0 || line_height_permille <= 0)
        return -1;
    trial = malloc(sizeof(*trial)); /* ~1.5 KB; kept off the stack of the caller's loop */
    if (!trial)
        return -1;
    size = search_size(text, min_size, max_size, max_width, max_height, line_height_permille,
                       measure, ctx, FIT_CLEAN, trial, &out->wrap);
    if (size == 0) /* even min_size needs a word cut (a very long word): accept cuts */
        size = search_size(text, min_size, max_size, max_width, max_height,
                           line_height_permille, measure, ctx, FIT_CUT_WORDS, trial, &out->wrap);
    if (size < 0)
        goto done;
    if (size > 0) {
        out->size = size;
        out->fits = true;
    } else {
        /* Nothing fits: lay out at the smallest size and let the caller say so. */
        out->size = min_size;
        if (fit_level(text, min_size, max_width, max_height, line_height_permille, measure, ctx,
                      &out->wrap) == FIT_FAILED)
            goto done;
    }
    rc = 0;
done:
    free(trial);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}
