/* Captions of a bulletin (bt_caption.h): phrases cut from the text as a reader takes them in,
 * and the item's duration shared out by how long each takes to say.
 *
 * Cutting, in order: a line break always ends a phrase; within a line, sentences end at ". ! ? …"
 * followed by a space (closing quotes and brackets stay with their sentence), so "10.000" and
 * "30/2020/NĐ-CP" are never cut, nor "TP. Hà Nội"; a sentence longer than BT_CAPTION_MAX_CHARS is
 * cut between words where it reads best: after a comma, else before a word that starts a phrase
 * ("và", "để", "tại" …), in as few phrases as that allows (cut_sentence weighs it). Last, a
 * phrase too short to read before it goes joins its neighbour on the same line when both fit.
 * Pure. */
#include "bangtin/bt_caption.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_speech_text.h"
#include "bangtin/bt_text.h"

/* A span of the text [start, end) and the pause that follows it. */
typedef struct {
    size_t start, end;
    int pause;        /* weight units */
    bool line_end;    /* a line break (or the text's end) follows: never joined across */
    int64_t at_ms;    /* a transcript line's time stamp: the phrase starts then; -1 none */
} span;

typedef struct {
    const char *text;
    span *spans;
    size_t count, cap;
    bool failed;
    int64_t stamp_ms; /* the time stamp of the line being cut, for its first phrase; -1 none */
} cutter;

/* White space, and every other control character with it: a stray one pasted from Word
 * separates words and is shown as a space, never as a box. */
static bool is_space(unsigned char c)
{
    return c <= ' ' || c == 0x7F;
}

/* Characters in s[start, end): bytes that do not continue a UTF-8 sequence. */
static size_t chars(const char *s, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t i = start; i < end; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void push(cutter *c, size_t start, size_t end, int pause, bool line_end)
{
    while (start < end && is_space((unsigned char)c->text[start]))
        start++;
    while (end > start && is_space((unsigned char)c->text[end - 1]))
        end--;
    if (start == end || c->failed)
        return;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        span *grown = realloc(c->spans, cap * sizeof *grown);
        if (!grown) {
            c->failed = true;
            return;
        }
        c->spans = grown;
        c->cap = cap;
    }
    c->spans[c->count++] = (span){start, end, pause, line_end, c->stamp_ms};
    c->stamp_ms = -1;
}

/* Length in bytes of a sentence-ending mark at s[i] ("." "!" "?" "…"), or 0. */
static size_t sentence_mark(const char *s, size_t i)
{
    if (s[i] == '.' || s[i] == '!' || s[i] == '?')
        return 1;
    return strncmp(s + i, "…", 3) == 0 ? 3 : 0;
}

/* Length of a closing quote or bracket at s[i] that stays with the sentence before it, or 0. */
static size_t closer(const char *s, size_t i)
{
    if (s[i] == '"' || s[i] == '\'' || s[i] == ')' || s[i] == ']')
        return 1;
    if (strncmp(s + i, "”", 3) == 0 || strncmp(s + i, "’", 3) == 0 || strncmp(s + i, "»", 2) == 0)
        return s[i] == (char)0xC2 ? 2 : 3;
    return 0;
}

/* A full stop at s[i] after an abbreviation written with a capital ("TP. Hà Nội", "Q. Đống
 * Đa", "ThS. Lan"): one to three ASCII letters from a word's start. */
static bool after_abbreviation(const char *s, size_t line_start, size_t i)
{
    size_t k = i;
    while (k > line_start && ((s[k - 1] | 0x20) >= 'a' && (s[k - 1] | 0x20) <= 'z'))
        k--;
    bool word_start = k == line_start || is_space((unsigned char)s[k - 1]);
    return word_start && i - k >= 1 && i - k <= 3 && s[k] >= 'A' && s[k] <= 'Z';
}

/* End of the sentence whose mark is at s[i]: past the mark (and any closers), when a space or
 * `end` follows; 0 when s[i] ends no sentence. */
static size_t sentence_end(const char *s, size_t start, size_t i, size_t end)
{
    size_t n = sentence_mark(s, i);
    if (n == 0 || (s[i] == '.' && s[i + 1] != '.' && after_abbreviation(s, start, i)))
        return 0;
    size_t j = i + n, k;
    while (j < end && ((k = sentence_mark(s, j)) != 0 || (k = closer(s, j)) != 0))
        j += k;
    return j == end || is_space((unsigned char)s[j]) ? j : 0;
}

/* Words a Vietnamese phrase naturally starts with (conjunctions and prepositions): a cut just
 * before one reads as two phrases, where a cut elsewhere may split a compound ("căn | cước"). */
static const char *const PHRASE_STARTS[] = {
    "và", "hoặc", "nhưng", "để", "của", "cho", "với", "tại", "trên", "trong", "từ", "đến",
    "theo", "khi", "nếu", "thì", "mà", "xin", "vì", "do", "bằng", "như", "nơi", "là", "qua",
    "sau", "trước", "cùng", "hay", "nên",
};
/* What a sentence cut into phrases costs, so that the cheapest cut reads best: each phrase
 * shown, and where it ends (nothing at the sentence's end or after a comma, a little before a
 * word that starts a phrase, much elsewhere, where a compound may be split: "căn | cước"), and
 * a phrase too short to read. A cut between plain words costs more than one phrase more, even
 * a short one. */
#define COST_PHRASE 100
#define COST_CUT_CLAUSE 0
#define COST_CUT_PHRASE_START 40
#define COST_CUT_WORDS 300
#define COST_SHORT 120

static bool starts_phrase(const char *s, size_t at, size_t end)
{
    size_t w = at;
    while (w < end && !is_space((unsigned char)s[w]))
        w++;
    for (size_t i = 0; i < sizeof PHRASE_STARTS / sizeof PHRASE_STARTS[0]; i++)
        if (strlen(PHRASE_STARTS[i]) == w - at && memcmp(PHRASE_STARTS[i], s + at, w - at) == 0)
            return true;
    return false;
}

/* The cost of a phrase [from, to) of a sentence ending at `end`. */
static long phrase_cost(const char *s, size_t from, size_t to, size_t end)
{
    long len = (long)chars(s, from, to);
    /* The square of its length breaks ties towards phrases of even length (at most 35). */
    long cost = COST_PHRASE + len * len / 200;
    if (len < BT_CAPTION_MIN_CHARS)
        cost += COST_SHORT;
    if (to < end) {
        size_t next = to;
        while (next < end && is_space((unsigned char)s[next]))
            next++;
        char mark = s[to - 1];
        cost += mark == ',' || mark == ';' || mark == ':' ? COST_CUT_CLAUSE
                : starts_phrase(s, next, end)            ? COST_CUT_PHRASE_START
                                                         : COST_CUT_WORDS;
    }
    return cost;
}

/* A sentence too long for one phrase: cut between words where it costs least (phrase_cost),
 * every phrase at most BT_CAPTION_MAX_CHARS (a single word longer than that stays whole: the
 * screen breaks it). A phrase ending at a comma pauses as a comma does. */
static void cut_sentence(cutter *c, size_t start, size_t end, int pause, bool line_end)
{
    const char *s = c->text;
    size_t m = 0, cap = 64;
    size_t *at = malloc(cap * sizeof *at); /* where words end: at[0] = start … end */
    if (!at) {
        c->failed = true;
        return;
    }
    at[m++] = start;
    for (size_t i = start + 1; i <= end; i++) {
        if (i < end && !(is_space((unsigned char)s[i]) && !is_space((unsigned char)s[i - 1])))
            continue;
        if (m == cap) {
            size_t *grown = realloc(at, 2 * cap * sizeof *grown);
            if (!grown) {
                free(at);
                c->failed = true;
                return;
            }
            at = grown;
            cap *= 2;
        }
        at[m++] = i;
    }
    /* best[j]: the least cost of the words before at[j]; from[j]: where its last phrase starts. */
    long *best = malloc(m * sizeof *best);
    size_t *from = malloc(m * sizeof *from);
    if (!best || !from) {
        free(at);
        free(best);
        free(from);
        c->failed = true;
        return;
    }
    best[0] = 0;
    for (size_t j = 1; j < m; j++) {
        best[j] = -1;
        for (size_t i = j; i-- > 0;) {
            if (j - i > 1 && chars(s, at[i], at[j]) > BT_CAPTION_MAX_CHARS)
                break;
            long cost = best[i] + phrase_cost(s, at[i], at[j], end);
            if (best[j] < 0 || cost < best[j]) {
                best[j] = cost;
                from[j] = i;
            }
        }
    }
    /* Read back from the end, pushed in order. */
    size_t n = 0;
    for (size_t j = m - 1; j > 0; j = from[j])
        best[n++] = (long)j;
    for (size_t g = n; g-- > 0;) {
        size_t j = (size_t)best[g], i = from[j];
        bool last = g == 0;
        char mark = s[at[j] - 1];
        int after = last ? pause
                    : mark == ',' || mark == ';' || mark == ':' ? BT_CAPTION_WEIGHT_COMMA
                                                                : 0;
        push(c, at[i], at[j], after, last && line_end);
    }
    free(at);
    free(best);
    free(from);
}

static void cut_line(cutter *c, size_t start, size_t end)
{
    const char *s = c->text;
    size_t sentence = start;
    for (size_t i = start; i < end; i++) {
        size_t b = sentence_end(s, start, i, end);
        if (b == 0)
            continue;
        bool last = b >= end;
        if (chars(s, sentence, b) > BT_CAPTION_MAX_CHARS)
            cut_sentence(c, sentence, b, BT_CAPTION_WEIGHT_SENTENCE, last);
        else
            push(c, sentence, b, BT_CAPTION_WEIGHT_SENTENCE, last);
        sentence = b;
        i = b - 1;
    }
    if (sentence < end) {
        /* A line without a full stop at its end (a heading) still pauses like one. */
        if (chars(s, sentence, end) > BT_CAPTION_MAX_CHARS)
            cut_sentence(c, sentence, end, BT_CAPTION_WEIGHT_SENTENCE, true);
        else
            push(c, sentence, end, BT_CAPTION_WEIGHT_SENTENCE, true);
    }
    if (c->count > 0)
        c->spans[c->count - 1].line_end = true;
}

/* Joins a phrase too short to read with its neighbour on the same line when both fit. */
static void join_short(cutter *c)
{
    size_t out = 0;
    for (size_t i = 0; i < c->count; i++) {
        span cur = c->spans[i];
        if (out > 0) {
            span *prev = &c->spans[out - 1];
            bool short_one = chars(c->text, prev->start, prev->end) < BT_CAPTION_MIN_CHARS ||
                             chars(c->text, cur.start, cur.end) < BT_CAPTION_MIN_CHARS;
            if (!prev->line_end && short_one &&
                chars(c->text, prev->start, cur.end) <= BT_CAPTION_MAX_CHARS) {
                /* The pause inside stays part of what the joined phrase takes to say. */
                prev->end = cur.end;
                prev->pause += cur.pause;
                prev->line_end = cur.line_end;
                continue;
            }
        }
        c->spans[out++] = cur;
    }
    c->count = out;
}

/* Syllables the synthesiser says for a phrase: words of its spoken form (Vietnamese writes one
 * syllable per word), numbers and abbreviations spelt out first. */
static int syllables(const char *phrase)
{
    char *spoken = bt_speech_text_normalise(phrase);
    const char *s = spoken ? spoken : phrase;
    int n = 0;
    bool in_word = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool letter = *p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' &&
                                                                  (*p | 0x20) <= 'z');
        if (letter && !in_word)
            n++;
        in_word = letter || (in_word && !is_space(*p));
    }
    free(spoken);
    return n;
}

void bt_captions_free(bt_captions *c)
{
    if (!c)
        return;
    free(c->buffer);
    free(c->cues);
    memset(c, 0, sizeof *c);
}

/* Copies the phrases into one buffer and weighs them. */
static int fill_cues(const cutter *c, bt_captions *out, int64_t *total_weight)
{
    size_t bytes = 0;
    for (size_t i = 0; i < c->count; i++)
        bytes += c->spans[i].end - c->spans[i].start + 1;
    out->buffer = malloc(bytes ? bytes : 1);
    out->cues = calloc(c->count ? c->count : 1, sizeof *out->cues);
    if (!out->buffer || !out->cues)
        return -1;
    char *at = out->buffer;
    *total_weight = 0;
    for (size_t i = 0; i < c->count; i++) {
        size_t n = c->spans[i].end - c->spans[i].start;
        memcpy(at, c->text + c->spans[i].start, n);
        at[n] = '\0';
        /* Tabs and other control characters inside a phrase would show as boxes. */
        for (size_t k = 0; k < n; k++)
            if (is_space((unsigned char)at[k]))
                at[k] = ' ';
        int w = syllables(at) * BT_CAPTION_WEIGHT_SYLLABLE + c->spans[i].pause;
        out->cues[i].text = at;
        out->cues[i].weight = w > 0 ? w : 1;
        *total_weight += out->cues[i].weight;
        at += n + 1;
    }
    out->count = c->count;
    return 0;
}

int bt_caption_stamp(const char *line, int64_t *ms)
{
    const char *p = line;
    long minutes = 0, seconds = 0;
    int digits = 0;
    if (*p++ != '[')
        return 0;
    for (; *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
        minutes = minutes * 10 + (*p - '0');
    if (digits == 0 || *p++ != ':')
        return 0;
    if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') || p[2] != ']')
        return 0;
    seconds = (p[0] - '0') * 10 + (p[1] - '0');
    if (seconds >= 60)
        return -1;
    *ms = (minutes * 60 + seconds) * 1000;
    p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    return (int)(p - line);
}

/* Times phrases first..last-1 (a run without stamps inside) from `from` to `until` by their
 * weights. */
static void pace(bt_captions *out, size_t first, size_t last, int64_t from, int64_t until)
{
    int64_t total = 0, before = 0;
    for (size_t i = first; i < last; i++)
        total += out->cues[i].weight;
    for (size_t i = first; i < last; i++) {
        out->cues[i].from_ms = from + (total ? (before * (until - from) + total / 2) / total : 0);
        before += out->cues[i].weight;
        out->cues[i].until_ms = until; /* until the next one sets it */
        if (i > first)
            out->cues[i - 1].until_ms = out->cues[i].from_ms;
    }
}

/* Phrases start where the weights before them put them; with stamps, each stamped phrase at its
 * stamp (one that is not after the previous, or not before the end, is left out) and the
 * phrases between two stamps paced between them. */
static void time_cues(bt_captions *out, const span *spans, int64_t duration_ms)
{
    size_t run = 0;
    /* Before a first stamp after 0:00 (a jingle), nothing shows. */
    int64_t run_from = out->count && spans[0].at_ms > 0 && spans[0].at_ms < duration_ms
                           ? spans[0].at_ms
                           : 0;
    for (size_t i = 1; i <= out->count; i++) {
        int64_t at = i < out->count ? spans[i].at_ms : duration_ms;
        if (i < out->count && (at <= run_from || at >= duration_ms))
            continue;
        pace(out, run, i, run_from, at);
        run = i;
        run_from = at;
    }
}

static int build(const char *text, int64_t duration_ms, bool stamps, bt_captions *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !bt_text_utf8_valid(text, strlen(text)))
        return -1;
    cutter c = {.text = text, .stamp_ms = -1};
    size_t len = strlen(text), line = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t from = line;
        int64_t ms;
        int n = stamps ? bt_caption_stamp(text + line, &ms) : 0;
        if (n > 0 && line + (size_t)n <= i) {
            c.stamp_ms = ms;
            from = line + (size_t)n;
        }
        size_t before = c.count;
        cut_line(&c, from, i);
        if (c.count == before)
            c.stamp_ms = -1; /* a stamp on an empty line marks nothing */
        line = i + 1;
    }
    join_short(&c);
    int64_t total = 0;
    if (c.failed || fill_cues(&c, out, &total) != 0) {
        free(c.spans);
        bt_captions_free(out);
        return -1;
    }
    if (duration_ms <= 0)
        duration_ms = total * BT_CAPTION_MS_PER_WEIGHT;
    time_cues(out, c.spans, duration_ms);
    free(c.spans);
    out->duration_ms = out->count ? duration_ms : 0;
    return 0;
}

int bt_captions_build(const char *text, int64_t duration_ms, bt_captions *out)
{
    return build(text, duration_ms, false, out);
}

int bt_captions_build_transcript(const char *text, int64_t duration_ms, bt_captions *out)
{
    return build(text, duration_ms, true, out);
}

size_t bt_captions_at(const bt_captions *c, int64_t elapsed_ms)
{
    if (!c || c->count == 0 || elapsed_ms < c->cues[0].from_ms || elapsed_ms < 0 ||
        elapsed_ms >= c->duration_ms)
        return SIZE_MAX;
    size_t lo = 0, hi = c->count; /* the last cue with from_ms <= elapsed */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->cues[mid].from_ms <= elapsed_ms)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int64_t bt_captions_next_change(const bt_captions *c, int64_t elapsed_ms)
{
    if (!c || c->count == 0 || elapsed_ms >= c->duration_ms)
        return -1;
    if (elapsed_ms < c->cues[0].from_ms || elapsed_ms < 0)
        return (c->cues[0].from_ms > 0 ? c->cues[0].from_ms : 0) - elapsed_ms;
    size_t i = bt_captions_at(c, elapsed_ms);
    return c->cues[i].until_ms - elapsed_ms;
}
