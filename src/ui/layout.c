/* Layout of the lobby screen: pure geometry and text fitting, no SDL.
 *
 * Every length is designed for 1080 px of the short side and scaled (bt_layout_px), so the same
 * proportions hold at 1920×1080, 1080×1920, 1280×720 or 3840×2160. A wide screen gets a corner
 * column on the right for the portal QR; a tall one gets a band above the ticker instead.
 *
 * Text is fitted by searching the largest size at which the wrapped lines fit their box
 * (bt_text_wrap does the breaking with the real font's measurements). Line boxes are never
 * shorter than the face's Vietnamese ink envelope, so stacked marks on capitals (Ỗ, Ẫ) and dots
 * below (Ặ, Ệ) of neighbouring lines never touch and never leave their box. When even the
 * legibility floor is too big, the text is cut with "…" rather than overflowing, and the block
 * says it did not fit (bt_screen_check_fit turns that into a warning for staff). */
#include "bangtin/bt_layout.h"
#include "bangtin/bt_vi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Leading of the faces, ‰ of the size: Vietnamese needs more than Latin text because of its
 * marks; the ink envelope (plus a small gap) overrides these when larger. */
#define BODY_LEADING_PERMILLE 1380
#define TITLE_LEADING_PERMILLE 1240
#define INK_GAP_PERMILLE 40
/* Extra space before a paragraph that began with "\n" in the text, ‰ of the line height. */
#define PARAGRAPH_GAP_PERMILLE 350
/* Widest date the header must hold: the longest weekday name with wide digits. */
static const char *const WIDEST_DATES[] = {
    "Thứ Hai, 28/08/2028", "Thứ Ba, 28/08/2028",  "Thứ Tư, 28/08/2028",  "Thứ Năm, 28/08/2028",
    "Thứ Sáu, 28/08/2028", "Thứ Bảy, 28/08/2028", "Chủ Nhật, 28/08/2028",
};
static const char *const WIDEST_CLOCK = "08:08";

int bt_layout_px(const bt_layout_frame *frame, int at_1080)
{
    long long v = ((long long)at_1080 * frame->unit + 540) / 1080;
    if (at_1080 > 0 && v < 1)
        v = 1;
    return (int)v;
}

bool bt_rect_contains(bt_rect outer, bt_rect inner)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

bool bt_rect_overlaps(bt_rect a, bt_rect b)
{
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0)
        return false;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bt_rect rect(int x, int y, int w, int h)
{
    bt_rect r = {x, y, w < 0 ? 0 : w, h < 0 ? 0 : h};
    return r;
}

/* ---- line metrics --------------------------------------------------------------------------- */

static int leading_permille(const bt_layout_fonts *fonts, bt_face face)
{
    const bt_layout_face *f = &fonts->face[face];
    int envelope = f->ink_top_permille + f->ink_bottom_permille + INK_GAP_PERMILLE;
    int base = face == BT_FACE_BOLD ? TITLE_LEADING_PERMILLE : BODY_LEADING_PERMILLE;
    return envelope > base ? envelope : base;
}

static int ceil_permille(int size, int permille)
{
    return (int)(((long long)size * permille + 999) / 1000);
}

/* At small sizes hinting may move a mark a pixel past its designed height: the line box keeps
 * at least one spare pixel above and below the envelope whatever the size. */
int bt_layout_line_height(const bt_layout_fonts *fonts, bt_face face, int size)
{
    const bt_layout_face *f = &fonts->face[face];
    int line = ceil_permille(size, leading_permille(fonts, face));
    int envelope = ceil_permille(size, f->ink_top_permille) +
                   ceil_permille(size, f->ink_bottom_permille) + 2;
    return line > envelope ? line : envelope;
}

/* The ink envelope is centred in the line box, so the space above the first line equals the
 * space below the last. */
int bt_layout_baseline(const bt_layout_fonts *fonts, bt_face face, int size)
{
    const bt_layout_face *f = &fonts->face[face];
    int top = ceil_permille(size, f->ink_top_permille);
    int bottom = ceil_permille(size, f->ink_bottom_permille);
    int line = bt_layout_line_height(fonts, face, size);
    int spare = line - top - bottom;
    return (spare > 0 ? spare / 2 : 0) + top;
}

int bt_layout_line_x(const bt_layout_text *t, size_t line)
{
    int w = t->lines[line].width;
    switch (t->align) {
    case BT_ALIGN_CENTER: return t->box.x + (t->box.w - w) / 2;
    case BT_ALIGN_RIGHT: return t->box.x + t->box.w - w;
    case BT_ALIGN_LEFT: break;
    }
    return t->box.x;
}

/* ---- fitting one block ---------------------------------------------------------------------- */

typedef struct {
    const bt_layout_fonts *fonts;
    const char *text;
    bt_face face;
    int width;
    int keep_width;       /* compounds that fit this stay whole (0: width; balancing: the box) */
    size_t max_lines;     /* 0 = no limit */
    bt_text_wrap_result wrap;
} block_try;

static bool starts_paragraph(const char *text, const bt_text_wrap_result *w, size_t i)
{
    if (i == 0)
        return false;
    size_t from = w->lines[i - 1].start + w->lines[i - 1].length;
    return memchr(text + from, '\n', w->lines[i].start - from) != NULL;
}

/* Height of the wrapped lines with paragraph gaps; fills line y positions if `out` is set. */
static int wrapped_height(const char *text, const bt_text_wrap_result *w, size_t count,
                          int line_height, bt_layout_line *out)
{
    int y = 0, gap = (int)(((long long)line_height * PARAGRAPH_GAP_PERMILLE) / 1000);
    for (size_t i = 0; i < count; i++) {
        if (starts_paragraph(text, w, i))
            y += gap;
        if (out)
            out[i].y = y;
        y += line_height;
    }
    return y;
}

/* Wraps b->text at `size`. Returns the height it needs, or -1 if measuring failed; *ok tells
 * whether it fits the width and line limit, *clean whether no word was cut between letters. */
static int block_wrap(block_try *b, int size, bool *ok, bool *clean)
{
    if (bt_text_wrap_keeping(b->text, size, b->width, b->keep_width,
                             b->fonts->face[b->face].measure, b->fonts->face[b->face].ctx,
                             &b->wrap) != 0)
        return -1;
    *ok = b->wrap.fits && (b->max_lines == 0 || b->wrap.line_count <= b->max_lines);
    *clean = true;
    for (size_t i = 0; i + 1 < b->wrap.line_count; i++) {
        size_t end = b->wrap.lines[i].start + b->wrap.lines[i].length;
        char next = b->text[end], prev = end > 0 ? b->text[end - 1] : ' ';
        if (next == '\0' || next == '\n' || next == ' ' || next == '\t' || next == '\r')
            continue;
        if (prev != '/' && prev != '.' && prev != '-' && prev != '?' && prev != '&' &&
            prev != '=')
            *clean = false;
    }
    int lh = bt_layout_line_height(b->fonts, b->face, size);
    return wrapped_height(b->text, &b->wrap, b->wrap.line_count, lh, NULL);
}

static int measure_with_ellipsis(const bt_layout_fonts *fonts, bt_face face, int size,
                                 const char *text, size_t start, size_t length, char *buf)
{
    memcpy(buf, text + start, length);
    memcpy(buf + length, BT_LAYOUT_ELLIPSIS, sizeof BT_LAYOUT_ELLIPSIS);
    return fonts->face[face].measure(fonts->face[face].ctx, size, buf,
                                     length + sizeof BT_LAYOUT_ELLIPSIS - 1);
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Shortens line `i` until it and a trailing "…" fit the width: at a space if one is left,
 * else a character at a time. */
static int cut_with_ellipsis(const bt_layout_fonts *fonts, bt_layout_text *t, size_t i)
{
    bt_layout_line *line = &t->lines[i];
    size_t len = line->length;
    char *buf = malloc(len + sizeof BT_LAYOUT_ELLIPSIS);
    if (!buf)
        return -1;
    for (;;) {
        while (len > 0 && t->text[line->start + len - 1] == ' ')
            len--;
        int w = measure_with_ellipsis(fonts, t->face, t->size, t->text, line->start, len, buf);
        if (w < 0) {
            free(buf);
            return -1;
        }
        if (w <= t->box.w || len == 0) {
            line->length = len;
            line->width = w <= t->box.w ? w : t->box.w;
            line->ellipsis = true;
            break;
        }
        size_t space = len;
        while (space > 0 && t->text[line->start + space - 1] != ' ')
            space--;
        if (space > 0) {
            len = space - 1;
        } else {
            len--;
            while (len > 0 && is_continuation((unsigned char)t->text[line->start + len]))
                len--;
        }
    }
    free(buf);
    return 0;
}

static void text_init(bt_layout_text *out, const char *text, bt_rect box, bt_face face,
                      bt_ink ink, bt_align align)
{
    memset(out, 0, sizeof *out);
    out->text = text ? text : "";
    out->box = box;
    out->face = face;
    out->ink = ink;
    out->align = align;
    out->fits = true;
}

/* Copies a wrap at `size` into out, keeping at most what the box height allows; the last kept
 * line gets "…" when lines were dropped. */
static int text_take(const bt_layout_fonts *fonts, bt_layout_text *out,
                     const bt_text_wrap_result *wrap, int size, size_t max_lines, bool fits)
{
    out->size = size;
    out->line_height = bt_layout_line_height(fonts, out->face, size);
    out->baseline = bt_layout_baseline(fonts, out->face, size);
    size_t n = wrap->line_count;
    if (max_lines && n > max_lines)
        n = max_lines;
    for (size_t i = 0; i < n; i++) {
        out->lines[i].start = wrap->lines[i].start;
        out->lines[i].length = wrap->lines[i].length;
        out->lines[i].width = wrap->lines[i].width;
        out->lines[i].ellipsis = false;
    }
    while (n > 0 && wrapped_height(out->text, wrap, n, out->line_height, out->lines) > out->box.h)
        n--;
    wrapped_height(out->text, wrap, n, out->line_height, out->lines);
    out->line_count = n;
    out->fits = fits;
    bool dropped = n < wrap->line_count || !wrap->fits;
    if (!fits && n > 0 && dropped)
        return cut_with_ellipsis(fonts, out, n - 1);
    /* A single unbreakable cluster wider than the box (absurd sizes only): cut it. */
    for (size_t i = 0; i < n; i++) {
        if (out->lines[i].width > out->box.w) {
            out->fits = false;
            if (cut_with_ellipsis(fonts, out, i) != 0)
                return -1;
        }
    }
    return 0;
}

/* A try of a fitted block at other widths (balancing it): every listed compound its box holds
 * stays whole. */
static void block_of_text(block_try *b, const bt_layout_fonts *fonts, const bt_layout_text *t)
{
    memset(b, 0, sizeof *b);
    b->fonts = fonts;
    b->text = t->text;
    b->face = t->face;
    b->keep_width = t->box.w;
}

/* The block's lines become the first n of wrap (same size, so the same line height). */
static void text_rewrap(bt_layout_text *t, const bt_text_wrap_result *wrap, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        t->lines[i].start = wrap->lines[i].start;
        t->lines[i].length = wrap->lines[i].length;
        t->lines[i].width = wrap->lines[i].width;
        t->lines[i].ellipsis = false;
    }
    t->line_count = n;
    wrapped_height(t->text, wrap, n, t->line_height, t->lines);
}

/* Evens out the lines of a fitted title or caption (as CSS text-wrap: balance): the narrowest
 * width that keeps the same number of lines, so "Bộ phận Một cửa đang làm / việc" becomes
 * "Bộ phận Một cửa / đang làm việc". Same size, same line count, so the box still holds it. */
static int balance_text(const bt_layout_fonts *fonts, bt_layout_text *t)
{
    if (!t->fits || t->line_count < 2)
        return 0;
    for (size_t i = 0; i < t->line_count; i++)
        if (t->lines[i].ellipsis)
            return 0;
    block_try *b = malloc(sizeof *b);
    bt_text_wrap_result *best = malloc(sizeof *best);
    int rc = -1, lo = 1, hi = t->box.w, found = 0;
    if (!b || !best)
        goto done;
    block_of_text(b, fonts, t);
    for (size_t i = 0; i < t->line_count; i++)
        if (t->lines[i].width > lo)
            lo = t->lines[i].width;
    lo = lo / 2 > 1 ? lo / 2 : 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        bool ok, clean;
        b->width = mid;
        if (block_wrap(b, t->size, &ok, &clean) < 0)
            goto done;
        if (ok && clean && b->wrap.line_count == t->line_count) {
            found = mid;
            *best = b->wrap;
            hi = mid - 1;
        } else if (ok && b->wrap.line_count < t->line_count) {
            hi = mid - 1; /* cannot happen for narrower widths than the box, but stay safe */
        } else {
            lo = mid + 1;
        }
    }
    if (found)
        text_rewrap(t, best, t->line_count);
    rc = 0;
done:
    free(b);
    free(best);
    return rc;
}

/* True if line i of the block is a single word (no space inside it). */
static bool one_word(const char *text, size_t start, size_t length)
{
    while (length > 0 && (text[start + length - 1] == ' ' || text[start + length - 1] == '\n'))
        length--;
    return length > 0 && memchr(text + start, ' ', length) == NULL;
}

static bool orphan_last(const char *text, const bt_text_wrap_result *w)
{
    if (w->line_count < 2)
        return false;
    const bt_text_line *last = &w->lines[w->line_count - 1];
    return one_word(text, last->start, last->length);
}

/* Widths looked at, at most, when a title's last line is one word ("chuyển đổi số của /
 * phường"): from the box's width down to a third of it. */
#define ORPHAN_WIDTH_STEPS 48

/* A title whose last line is one word is broken again at the same size: the narrowest width
 * that keeps its line count and leaves two words or more on the last line; failing that, one
 * line more when the box and max_lines allow it. Left as it is when neither exists (a title of
 * two long words). */
static int avoid_orphan(const bt_layout_fonts *fonts, bt_layout_text *t, size_t max_lines)
{
    if (!t->fits || t->line_count < 2)
        return 0;
    const bt_layout_line *last = &t->lines[t->line_count - 1];
    if (last->ellipsis || !one_word(t->text, last->start, last->length))
        return 0;
    block_try *b = malloc(sizeof *b);
    bt_text_wrap_result *best = malloc(sizeof *best);
    int rc = -1, step = t->box.w / ORPHAN_WIDTH_STEPS > 0 ? t->box.w / ORPHAN_WIDTH_STEPS : 1;
    size_t found = 0;
    if (!b || !best)
        goto done;
    block_of_text(b, fonts, t);
    for (size_t want = t->line_count; want <= t->line_count + 1 && !found; want++) {
        if ((max_lines && want > max_lines) || want > BT_TEXT_MAX_LINES ||
            (int)want * t->line_height > t->box.h)
            break;
        for (int w = t->box.w; w >= t->box.w / 3; w -= step) {
            bool ok, clean;
            b->width = w;
            int h = block_wrap(b, t->size, &ok, &clean);
            if (h < 0)
                goto done;
            if (ok && clean && h <= t->box.h && b->wrap.line_count == want &&
                !orphan_last(t->text, &b->wrap)) {
                found = want;
                *best = b->wrap; /* keep going: the narrowest is the most even */
            } else if (b->wrap.line_count > want) {
                break;
            }
        }
    }
    if (found)
        text_rewrap(t, best, found);
    rc = 0;
done:
    free(b);
    free(best);
    return rc;
}

/* bt_layout_fit_block, then balanced. */
static int fit_balanced(const bt_layout_fonts *fonts, const char *text, bt_rect box, bt_face face,
                        int min_size, int max_size, size_t max_lines, bt_ink ink, bt_align align,
                        bt_layout_text *out)
{
    if (bt_layout_fit_block(fonts, text, box, face, min_size, max_size, max_lines, ink, align,
                            out) != 0)
        return -1;
    return balance_text(fonts, out);
}

int bt_layout_fit_block(const bt_layout_fonts *fonts, const char *text, bt_rect box, bt_face face,
                        int min_size, int max_size, size_t max_lines, bt_ink ink, bt_align align,
                        bt_layout_text *out)
{
    text_init(out, text, box, face, ink, align);
    if (min_size < 1)
        min_size = 1;
    if (max_size < min_size)
        max_size = min_size;
    out->size = min_size;
    out->line_height = bt_layout_line_height(fonts, face, min_size);
    out->baseline = bt_layout_baseline(fonts, face, min_size);
    if (!*out->text)
        return 0;
    if (box.w <= 0 || box.h <= 0) {
        out->fits = false; /* no room at all: nothing shown, and said so */
        return 0;
    }
    block_try *b = malloc(sizeof *b);
    bt_text_wrap_result *best = malloc(sizeof *best);
    int rc = -1, found = 0;
    if (!b || !best)
        goto done;
    b->fonts = fonts;
    b->text = out->text;
    b->face = face;
    b->width = box.w;
    b->max_lines = max_lines;
    /* Clean breaks first (no word cut between letters), then accept cuts (a long URL). */
    for (int pass = 0; pass < 2 && !found; pass++) {
        int lo = min_size, hi = max_size;
        while (lo <= hi) {
            int mid = lo + (hi - lo) / 2;
            bool ok, clean;
            int h = block_wrap(b, mid, &ok, &clean);
            if (h < 0)
                goto done;
            if (ok && h <= box.h && (clean || pass == 1)) {
                found = mid;
                *best = b->wrap;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
    }
    if (found) {
        rc = text_take(fonts, out, best, found, max_lines, true);
    } else {
        bool ok, clean;
        if (block_wrap(b, min_size, &ok, &clean) < 0)
            goto done;
        rc = text_take(fonts, out, &b->wrap, min_size, max_lines, false);
    }
done:
    free(b);
    free(best);
    return rc;
}

/* The step index a role starts from on this frame (a short scale has fewer steps). */
static size_t scale_step(const bt_layout_frame *f, size_t step)
{
    return step < f->scale_count ? step : f->scale_count - 1;
}

static int scale_size(const bt_layout_frame *f, size_t step)
{
    return f->scale[scale_step(f, step)];
}

int bt_layout_fit_scale(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                        const char *text, bt_rect box, bt_face face, size_t first_step,
                        size_t max_lines, bool balance, bt_ink ink, bt_align align,
                        bt_layout_text *out)
{
    size_t last = f->scale_count - 1, first = scale_step(f, first_step);
    if (bt_layout_fit_block(fonts, text, box, face, f->scale[last], f->scale[last], max_lines, ink,
                            align, out) != 0)
        return -1;
    if (!*out->text || box.w <= 0 || box.h <= 0)
        return 0;
    block_try *b = malloc(sizeof *b);
    int rc = -1;
    size_t found = last + 1;
    if (!b)
        goto done;
    memset(b, 0, sizeof *b);
    b->fonts = fonts;
    b->text = out->text;
    b->face = face;
    b->width = box.w;
    b->max_lines = max_lines;
    /* Clean breaks at any step first (no word cut between letters), then cuts (a long URL). */
    for (int pass = 0; pass < 2 && found > last; pass++) {
        for (size_t k = first; k <= last && found > last; k++) {
            bool ok, clean;
            int h = block_wrap(b, f->scale[k], &ok, &clean);
            if (h < 0)
                goto done;
            if (ok && h <= box.h && (clean || pass == 1))
                found = k;
        }
    }
    /* Not found: the block fitted at the last step above stands (cut with "…"). */
    if (found <= last && found < last) {
        bool ok, clean;
        if (block_wrap(b, f->scale[found], &ok, &clean) < 0)
            goto done;
        if (text_take(fonts, out, &b->wrap, f->scale[found], max_lines, true) != 0)
            goto done;
    }
    rc = 0;
    if (balance && (balance_text(fonts, out) != 0 || avoid_orphan(fonts, out, max_lines) != 0))
        rc = -1;
done:
    free(b);
    return rc;
}

int bt_layout_single_line(const bt_layout_fonts *fonts, const char *text, bt_rect box,
                          bt_face face, int size, bt_ink ink, bt_align align,
                          bt_layout_text *out)
{
    text_init(out, text, box, face, ink, align);
    out->size = size;
    out->line_height = bt_layout_line_height(fonts, face, size);
    out->baseline = bt_layout_baseline(fonts, face, size);
    if (!*out->text)
        return 0;
    size_t len = strlen(out->text);
    const char *nl = strchr(out->text, '\n');
    if (nl)
        len = (size_t)(nl - out->text);
    int w = fonts->face[face].measure(fonts->face[face].ctx, size, out->text, len);
    if (w < 0)
        return -1;
    out->line_count = 1;
    out->lines[0].start = 0;
    out->lines[0].length = len;
    out->lines[0].width = w;
    out->lines[0].y = (box.h - out->line_height) / 2;
    if (out->lines[0].y < 0)
        out->lines[0].y = 0;
    if (w > box.w || nl) {
        out->fits = w <= box.w;
        return cut_with_ellipsis(fonts, out, 0);
    }
    return 0;
}

/* Height the block actually uses (its last line box's bottom). */
static int text_used_height(const bt_layout_text *t)
{
    if (t->line_count == 0)
        return 0;
    return t->lines[t->line_count - 1].y + t->line_height;
}

/* Shrinks a fitted block's box to the height it uses, placed at y. */
static void text_place(bt_layout_text *t, int y)
{
    t->box.y = y;
    t->box.h = text_used_height(t);
}

/* ---- fitting a pair (title + body) ------------------------------------------------------------ */

typedef struct {
    const char *text;
    bt_face face;
    bt_ink ink;
    size_t first_step;    /* the scale step it starts from (BT_LAYOUT_STEP_*) */
    size_t max_lines;
} pair_part;

/* Gap between the two blocks of a pair, from the second block's size. */
static int pair_gap(int second_size)
{
    return (second_size * 7) / 10;
}

/* Places a fitted pair in its box: one above the other, centred vertically when `centre` is
 * set (else from the top). */
static void pair_place(bt_rect box, bool centre, bt_layout_text *a, bt_layout_text *b)
{
    int ha = text_used_height(a), hb = text_used_height(b);
    int gap = hb > 0 && ha > 0 ? pair_gap(b->size) : 0;
    int total = ha + gap + hb;
    int y = centre ? box.y + (box.h - total) / 2 : box.y;
    if (y < box.y)
        y = box.y;
    text_place(a, y);
    text_place(b, y + ha + gap);
}

/* Steps a body may sit under its title at most: 96 over 54 px still reads as one notice; under
 * that the body (what people read) would shrink to the floor while the title stays large, so
 * the title steps down with it instead. */
#define PAIR_MAX_STEP_SPAN 2

/* The steps (i, j) of the pair at the frame's type scale that fit the box, in the order they
 * are tried: the title keeps its step as long as a body fits under it at one of the next
 * PAIR_MAX_STEP_SPAN steps (the body shrinks first), so titles keep one size from slide to slide.
 * *i is past the last step when none fits; -1 on a measuring failure. */
static int pair_steps(const bt_layout_frame *f, bt_rect box, const pair_part *a,
                      const pair_part *b, block_try *ta, block_try *tb, size_t *i_out,
                      size_t *j_out)
{
    size_t last = f->scale_count - 1;
    *i_out = last + 1;
    for (size_t i = scale_step(f, a->first_step); i <= last; i++) {
        bool oka, okb, clean;
        int ha = block_wrap(ta, f->scale[i], &oka, &clean);
        if (ha < 0)
            return -1;
        if (!oka || ha > box.h)
            continue;
        size_t j = scale_step(f, b->first_step);
        if (j <= i)
            j = i + 1 <= last ? i + 1 : last;
        /* a caption that starts lower still gets one step to shrink */
        size_t lowest = i + PAIR_MAX_STEP_SPAN > j + 1 ? i + PAIR_MAX_STEP_SPAN : j + 1;
        if (lowest > last)
            lowest = last;
        for (; j <= lowest; j++) {
            int hb = block_wrap(tb, f->scale[j], &okb, &clean);
            if (hb < 0)
                return -1;
            if (okb && ha + pair_gap(f->scale[j]) + hb <= box.h) {
                *i_out = i;
                *j_out = j;
                return 0;
            }
        }
    }
    return 0;
}

/* Fits two blocks stacked in one box (a title and its body) at steps of the frame's type scale
 * (pair_steps); the first is balanced, the second fills the measure (a paragraph, read line by
 * line). When even the last step is too big, the first (the title) is kept whole first and the
 * second is cut with "…". */
static int fit_pair(const bt_layout_frame *f, const bt_layout_fonts *fonts, bt_rect box,
                    const pair_part *a, const pair_part *b, bt_align align, bool centre,
                    bt_layout_text *out_a, bt_layout_text *out_b)
{
    bool has_a = a->text && *a->text, has_b = b->text && *b->text;
    if (box.w <= 0 || box.h <= 0) {
        text_init(out_a, a->text, rect(box.x, box.y, 0, 0), a->face, a->ink, align);
        text_init(out_b, b->text, rect(box.x, box.y, 0, 0), b->face, b->ink, align);
        out_a->fits = !has_a;
        out_b->fits = !has_b;
        return 0;
    }
    if (!has_a || !has_b) {
        const pair_part *only = has_a ? a : b;
        bt_layout_text *out = has_a ? out_a : out_b;
        bt_layout_text *none = has_a ? out_b : out_a;
        text_init(none, NULL, rect(box.x, box.y, box.w, 0), has_a ? b->face : a->face,
                  has_a ? b->ink : a->ink, align);
        if (bt_layout_fit_scale(f, fonts, only->text, box, only->face, only->first_step,
                                only->max_lines, has_a, only->ink, align, out) != 0)
            return -1;
        int used = text_used_height(out);
        text_place(out, centre ? box.y + (box.h - used) / 2 : box.y);
        return 0;
    }
    block_try *ta = malloc(sizeof *ta), *tb = malloc(sizeof *tb);
    int rc = -1;
    /* pair_steps sets both on success; mingw's gcc cannot see it (-Werror=maybe-uninitialized
     * broke the Windows build). */
    size_t i = 0, j = 0, last = f->scale_count - 1;
    if (!ta || !tb)
        goto done;
    memset(ta, 0, sizeof *ta);
    memset(tb, 0, sizeof *tb);
    ta->fonts = tb->fonts = fonts;
    ta->text = a->text;
    tb->text = b->text;
    ta->face = a->face;
    tb->face = b->face;
    ta->width = tb->width = box.w;
    ta->max_lines = a->max_lines;
    tb->max_lines = b->max_lines;
    if (pair_steps(f, box, a, b, ta, tb, &i, &j) != 0)
        goto done;
    if (i <= last) {
        /* The body at its step, then the title in what the body leaves (where it fits at its
         * step, so balancing it cannot push the pair out of the box). */
        if (bt_layout_fit_scale(f, fonts, b->text, box, b->face, j, b->max_lines, false, b->ink,
                                align, out_b) != 0)
            goto done;
        bt_rect abox = box;
        abox.h -= text_used_height(out_b) + pair_gap(out_b->size);
        if (bt_layout_fit_scale(f, fonts, a->text, abox, a->face, i, a->max_lines, true, a->ink,
                                align, out_a) != 0)
            goto done;
    } else {
        /* At the floor and still too long: the first block as it is (cut only if it alone is
         * too tall), the second gets the rest of the box and is cut with "…". */
        if (bt_layout_fit_scale(f, fonts, a->text, box, a->face, last, a->max_lines, true, a->ink,
                                align, out_a) != 0)
            goto done;
        int rest = box.h - text_used_height(out_a) - pair_gap(f->scale[last]);
        bt_rect bbox = rect(box.x, box.y, box.w, rest);
        if (bt_layout_fit_scale(f, fonts, b->text, bbox, b->face, last, b->max_lines, false,
                                b->ink, align, out_b) != 0)
            goto done;
        out_a->fits = out_b->fits = false;
    }
    pair_place(box, centre, out_a, out_b);
    rc = 0;
done:
    free(ta);
    free(tb);
    return rc;
}

/* ---- the frame ------------------------------------------------------------------------------ */

/* A secondary text (the portal QR's caption, the corner's lines) at the type scale's last step,
 * the legibility floor (issue 14); only a text that does not fit there whole falls back to the
 * smaller sizes it had before (min_px..max_px at 1080 px), so nothing is cut. */
static int fit_floor_or(const bt_layout_frame *f, const bt_layout_fonts *fonts, const char *text,
                        bt_rect box, bt_face face, int min_px, int max_px, size_t max_lines,
                        bt_ink ink, bt_align align, bt_layout_text *out)
{
    int floor = f->scale[f->scale_count - 1];
    if (fit_balanced(fonts, text, box, face, floor, floor, max_lines, ink, align, out) != 0)
        return -1;
    if (out->fits || !text || !*text)
        return 0;
    return fit_balanced(fonts, text, box, face, bt_layout_px(f, min_px), bt_layout_px(f, max_px),
                        max_lines, ink, align, out);
}

/* A QR code's caption and printed address (issue 14): at a step of the type scale from
 * `first_step` down to the floor, like every other text of a slide. Only a text that does not fit
 * whole even at the floor falls under it, down to QR_TEXT_LEAST_PX at 1080, so an address is never
 * cut (people type it); the demo's never do (tests/ui/test_layout.c). The address is not balanced:
 * it breaks only after its punctuation. */
#define QR_TEXT_LEAST_PX 24

static int fit_qr_text(const bt_layout_frame *f, const bt_layout_fonts *fonts, const char *text,
                       bt_rect box, bt_face face, size_t first_step, size_t max_lines,
                       bool balance, bt_ink ink, bt_align align, bt_layout_text *out)
{
    if (bt_layout_fit_scale(f, fonts, text, box, face, first_step, max_lines, balance, ink, align,
                            out) != 0)
        return -1;
    int floor = f->scale[f->scale_count - 1], least = bt_layout_px(f, QR_TEXT_LEAST_PX);
    if (out->fits || !text || !*text || least >= floor)
        return 0;
    if (balance)
        return fit_balanced(fonts, text, box, face, least, floor - 1, max_lines, ink, align, out);
    return bt_layout_fit_block(fonts, text, box, face, least, floor - 1, max_lines, ink, align,
                               out);
}

/* Lines the printed address under or beside a QR may take. */
#define QR_URL_LINES 2

/* Height the printed address is given: QR_URL_LINES lines at the floor. */
static int qr_url_height(const bt_layout_frame *f, const bt_layout_fonts *fonts)
{
    return QR_URL_LINES * bt_layout_line_height(fonts, BT_FACE_REGULAR,
                                                f->scale[f->scale_count - 1]);
}

static int widest(const bt_layout_fonts *fonts, bt_face face, int size, const char *const *texts,
                  size_t count)
{
    int best = 0;
    for (size_t i = 0; i < count; i++) {
        int w = fonts->face[face].measure(fonts->face[face].ctx, size, texts[i], strlen(texts[i]));
        if (w < 0)
            return -1;
        if (w > best)
            best = w;
    }
    return best;
}

/* Sizes of a header at 1080 px of the short side: clock, date, ward name (largest, floor). */
typedef struct {
    int clock, date, ward_max, ward_min;
} header_sizes;
static const header_sizes HEADER_ROW = {76, 40, 56, 30};
static const header_sizes HEADER_STACKED = {62, 30, 50, 30};
/* Issue 14: the slim header of an image slide, one row in a 62 px band (+ a 4 px rule). The clock
 * stays the largest text of the band: 46 px is ~2 cm tall on a 43-inch screen, readable from
 * across a lobby; the picture below gains 70 px of height (with the 90 px ticker the chrome is
 * 156 px, so a 16:9 picture covers 86 % of the content area). */
static const header_sizes HEADER_SLIM = {46, 30, 38, 26};
#define HEADER_PX 130
#define HEADER_RULE_PX 6
#define SLIM_HEADER_PX 62
#define SLIM_RULE_PX 4

/* An iw×ih picture fitted into box by its tighter side, centred; the other side gets bands of
 * background (never stretched). w = 0 when either has no size. */
static bt_rect fit_aspect(bt_rect box, int iw, int ih)
{
    if (iw <= 0 || ih <= 0 || box.w <= 0 || box.h <= 0)
        return rect(box.x, box.y, 0, 0);
    int w, h;
    if ((long long)box.w * ih <= (long long)box.h * iw) {
        w = box.w;
        h = (int)(((long long)ih * box.w + iw / 2) / iw);
    } else {
        h = box.h;
        w = (int)(((long long)iw * box.h + ih / 2) / ih);
    }
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    return rect(box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h);
}

/* The ward's logo (issue 14) at the left of a header: as tall as the band less LOGO_PAD_PX above
 * and below, with its own aspect, at most LOGO_MAX_ASPECT times as wide as tall (a wide wordmark
 * is scaled down to that width and centred in the band's height). Lengths at 1080 px. */
#define LOGO_PAD_PX 8
#define LOGO_MAX_ASPECT 3

static bt_rect header_logo(const bt_layout_params *p, const bt_layout_frame *f, bt_rect band)
{
    int pad = bt_layout_px(f, LOGO_PAD_PX), h = band.h - 2 * pad;
    bt_rect logo = fit_aspect(rect(f->margin, band.y + pad, LOGO_MAX_ASPECT * h, h), p->logo_w,
                              p->logo_h);
    logo.x = f->margin; /* at the margin, not in the middle of its widest place */
    return logo;
}

/* Lays out a header in `band`: one row ([logo] ward … date clock) or, when !row, the clock above
 * the date on the right. */
static int header_build(const bt_layout_params *p, const bt_layout_fonts *fonts,
                        const bt_layout_frame *f, bt_rect band, const header_sizes *hs, bool row,
                        bt_layout_header *h)
{
    int gap = bt_layout_px(f, 40);
    h->band = band;
    if (row) {
        /* One row: ward name … date  clock. */
        h->clock_size = bt_layout_px(f, hs->clock);
        h->date_size = bt_layout_px(f, hs->date);
        int cw = widest(fonts, BT_FACE_BOLD, h->clock_size, &WIDEST_CLOCK, 1);
        int dw = widest(fonts, BT_FACE_REGULAR, h->date_size, WIDEST_DATES, 7);
        if (cw < 0 || dw < 0)
            return -1;
        h->clock_box = rect(f->width - f->margin - cw, band.y, cw, band.h);
        h->date_box = rect(h->clock_box.x - gap - dw, band.y, dw, band.h);
    } else {
        /* Narrow: clock above the date on the right. */
        h->clock_size = bt_layout_px(f, hs->clock);
        h->date_size = bt_layout_px(f, hs->date);
        int cw = widest(fonts, BT_FACE_BOLD, h->clock_size, &WIDEST_CLOCK, 1);
        int dw = widest(fonts, BT_FACE_REGULAR, h->date_size, WIDEST_DATES, 7);
        if (cw < 0 || dw < 0)
            return -1;
        int col = cw > dw ? cw : dw;
        int ch = bt_layout_line_height(fonts, BT_FACE_BOLD, h->clock_size);
        int dh = bt_layout_line_height(fonts, BT_FACE_REGULAR, h->date_size);
        int top = band.y + (band.h - (ch + dh)) / 2;
        if (top < band.y)
            top = band.y;
        h->clock_box = rect(f->width - f->margin - col, top, col, ch);
        h->date_box = rect(f->width - f->margin - col, top + ch, col, dh);
        if (h->date_box.y + h->date_box.h > band.y + band.h)
            h->date_box.h = band.y + band.h - h->date_box.y;
    }
    int right = (row ? h->date_box.x : h->clock_box.x) - gap;
    h->logo = header_logo(p, f, band);
    int left = h->logo.w > 0 ? h->logo.x + h->logo.w + gap / 2 : f->margin;
    bt_rect ward = rect(left, band.y, right - left, band.h);
    if (fit_balanced(fonts, p->ward_name, ward, BT_FACE_BOLD, bt_layout_px(f, hs->ward_min),
                     bt_layout_px(f, hs->ward_max), row ? 1 : 2, BT_INK_HEADER, BT_ALIGN_LEFT,
                     &h->ward) != 0)
        return -1;
    int used = text_used_height(&h->ward);
    text_place(&h->ward, band.y + (band.h - used) / 2);
    if (row) {
        /* One row reads as one line of type: ward name and date sit on the clock's baseline. */
        int lc = bt_layout_line_height(fonts, BT_FACE_BOLD, h->clock_size);
        int baseline = h->clock_box.y + (h->clock_box.h - lc) / 2 +
                       bt_layout_baseline(fonts, BT_FACE_BOLD, h->clock_size);
        int ld = bt_layout_line_height(fonts, BT_FACE_REGULAR, h->date_size);
        h->date_box.y = baseline - bt_layout_baseline(fonts, BT_FACE_REGULAR, h->date_size);
        h->date_box.h = ld;
        if (h->ward.line_count == 1) {
            int y = baseline - h->ward.baseline - h->ward.lines[0].y;
            if (y >= band.y && y + h->ward.box.h <= band.y + band.h)
                h->ward.box.y = y;
        }
    }
    return 0;
}

/* The full header into the frame's own fields, and on a wide screen the slim one of image
 * slides. */
static int frame_header(const bt_layout_params *p, const bt_layout_fonts *fonts,
                        bt_layout_frame *f)
{
    /* One row (ward … date clock) needs a wide screen; otherwise clock above date. */
    bool row = (long long)f->width * 10 >= (long long)f->height * 15;
    bt_layout_header h;
    memset(&h, 0, sizeof h);
    if (header_build(p, fonts, f, f->header, row ? &HEADER_ROW : &HEADER_STACKED, row, &h) != 0)
        return -1;
    f->ward = h.ward;
    f->date_box = h.date_box;
    f->clock_box = h.clock_box;
    f->date_size = h.date_size;
    f->clock_size = h.clock_size;
    f->header_logo = h.logo;
    f->image_stage = f->stage;
    /* On every wide screen, 4:3 and square ones included (their full header is two rows; the
     * slim one is one row at smaller sizes, which still fits). A tall screen's picture is held
     * by the width far more often than by the height: its header stays. */
    if (!f->landscape)
        return 0;
    bt_rect band = rect(0, 0, f->width, bt_layout_px(f, SLIM_HEADER_PX));
    if (header_build(p, fonts, f, band, &HEADER_SLIM, true, &f->slim) != 0)
        return -1;
    f->slim.rule = rect(0, band.h, f->width, bt_layout_px(f, SLIM_RULE_PX));
    int top = f->slim.rule.y + f->slim.rule.h;
    f->image_stage = rect(0, top, f->width, f->ticker.y - top);
    return 0;
}

static int frame_corner(const bt_layout_params *p, const bt_layout_fonts *fonts,
                        bt_layout_frame *f)
{
    int q = bt_layout_px(f, 260); /* ≥ 200 px at 1080p: scannable from 1–2 m */
    if (f->landscape) {
        int cw = bt_layout_px(f, 380), pad = bt_layout_px(f, 36);
        f->corner = rect(f->width - cw, f->stage.y, cw, f->stage.h);
        int floor = f->scale[f->scale_count - 1];
        bt_rect cap = rect(f->corner.x + pad, f->stage.y, cw - 2 * pad,
                           3 * bt_layout_line_height(fonts, BT_FACE_REGULAR, floor));
        if (fit_floor_or(f, fonts, p->portal_caption, cap, BT_FACE_REGULAR, 24, 32, 3,
                         BT_INK_CORNER, BT_ALIGN_CENTER, &f->corner_caption) != 0)
            return -1;
        int ch = text_used_height(&f->corner_caption);
        int bottom = f->stage.y + f->stage.h - bt_layout_px(f, 44);
        int qr_gap = ch > 0 ? bt_layout_px(f, 18) : 0;
        int top = bottom - ch - qr_gap - q;
        f->corner_qr = rect(f->corner.x + (cw - q) / 2, top, q, q);
        text_place(&f->corner_caption, top + q + qr_gap);
        f->main = rect(f->margin, f->stage.y + bt_layout_px(f, 56),
                       f->corner.x - bt_layout_px(f, 56) - f->margin,
                       f->stage.h - 2 * bt_layout_px(f, 56));
    } else {
        int pad = bt_layout_px(f, 36);
        int bh = q + 2 * pad;
        f->corner = rect(0, f->stage.y + f->stage.h - bh, f->width, bh);
        f->corner_qr = rect(f->width - f->margin - q, f->corner.y + pad, q, q);
        bt_rect cap = rect(f->margin, f->corner.y + pad,
                           f->corner_qr.x - bt_layout_px(f, 40) - f->margin, q);
        if (fit_floor_or(f, fonts, p->portal_caption, cap, BT_FACE_REGULAR, 28, 40, 4,
                         BT_INK_CORNER, BT_ALIGN_LEFT, &f->corner_caption) != 0)
            return -1;
        int used = text_used_height(&f->corner_caption);
        text_place(&f->corner_caption, cap.y + (cap.h - used) / 2);
        int top = f->stage.y + bt_layout_px(f, 56);
        f->main = rect(f->margin, top, f->width - 2 * f->margin,
                       f->corner.y - bt_layout_px(f, 48) - top);
    }
    int top = f->stage.y + bt_layout_px(f, 56);
    f->main_idle = rect(f->margin, top, f->width - 2 * f->margin,
                        f->stage.y + f->stage.h - bt_layout_px(f, 56) - top);
    return 0;
}

/* The type scale (issue 14): a modular scale of ratio 4:3 down from SCALE_TOP_PX at 1080 px of
 * the short side (96, 72, 54) ending on the legibility floor; a step within 10 % of the floor is
 * the floor (54 × 3/4 = 40.5 against the default 40). Four sizes tell title, body and caption
 * apart from across the hall; the 4:3 ratio keeps a title a full step above its body. */
#define SCALE_TOP_PX 96
#define SCALE_NEAR_FLOOR_PERMILLE 1100

static void frame_scale(bt_layout_frame *f)
{
    int floor = f->min_body_px;
    f->scale_count = 0;
    for (long long size = bt_layout_px(f, SCALE_TOP_PX);
         f->scale_count + 1 < BT_LAYOUT_SCALE_MAX &&
         size * 1000 > (long long)floor * SCALE_NEAR_FLOOR_PERMILLE;
         size = (size * 3 + 2) / 4)
        f->scale[f->scale_count++] = (int)size;
    f->scale[f->scale_count++] = floor;
}

int bt_layout_frame_build(const bt_layout_params *p, const bt_layout_fonts *fonts,
                          bt_layout_frame *f)
{
    memset(f, 0, sizeof *f);
    if (!p || !fonts || p->width < 64 || p->height < 64)
        return -1;
    f->width = p->width;
    f->height = p->height;
    f->unit = p->width < p->height ? p->width : p->height;
    /* A side column for the corner QR when the screen is at least as wide as tall; a band
     * above the ticker otherwise. */
    f->landscape = p->width >= p->height;
    f->margin = bt_layout_px(f, f->landscape ? 64 : 56);
    f->min_body_px = bt_layout_px(f, p->min_text_px > 0 ? p->min_text_px : 40);
    f->header = rect(0, 0, p->width, bt_layout_px(f, HEADER_PX));
    f->header_rule = rect(0, f->header.h, p->width, bt_layout_px(f, HEADER_RULE_PX));
    int stage_top = f->header_rule.y + f->header_rule.h;
    if (p->ticker || p->banner) {
        /* The banner uses the ticker's band; without a ticker the band is still reserved when
         * a banner may come, so that it never covers a notice. */
        int th = bt_layout_px(f, 90);
        f->ticker = rect(0, p->height - th, p->width, th);
        f->ticker_size = bt_layout_px(f, 44);
        f->ticker_text = f->ticker;
        int lh = bt_layout_line_height(fonts, BT_FACE_REGULAR, f->ticker_size);
        f->ticker_baseline = (th - lh) / 2 + bt_layout_baseline(fonts, BT_FACE_REGULAR,
                                                                  f->ticker_size);
    } else {
        f->ticker = rect(0, p->height, p->width, 0);
        f->ticker_text = f->ticker;
    }
    f->stage = rect(0, stage_top, p->width, f->ticker.y - stage_top);
    frame_scale(f);
    if (frame_header(p, fonts, f) != 0 || frame_corner(p, fonts, f) != 0)
        return -1;
    return 0;
}

/* ---- slides --------------------------------------------------------------------------------- */

/* "https://dichvucong.gov.vn" is printed as "dichvucong.gov.vn": what a person would type. */
static const char *printable_url(const char *url)
{
    if (!url)
        return NULL;
    if (strncmp(url, "https://", 8) == 0)
        return url + 8;
    if (strncmp(url, "http://", 7) == 0)
        return url + 7;
    return url;
}

static bt_layout_text *next_text(bt_layout_slide *s)
{
    return s->text_count < BT_LAYOUT_MAX_TEXTS ? &s->texts[s->text_count++] : NULL;
}

/* The floor of body text: the configured legibility floor (the type scale's last step). */
static int body_floor(const bt_layout_frame *f)
{
    return f->min_body_px;
}

/* A QR plate size: `want`, at least `least` (scannable), never more than `room`. */
static int clamp_plate(int want, int least, int room)
{
    int v = want < least ? least : want;
    return v > room ? room : v;
}

/* The largest size ≤ max at which `text` (one line) is at most `width` px wide. */
static int size_for_width(const bt_layout_fonts *fonts, bt_face face, const char *const *texts,
                          size_t count, int max, int width)
{
    int w = widest(fonts, face, max, texts, count);
    if (w <= width || w <= 0)
        return max;
    int size = (int)(((long long)max * width) / w);
    while (size > 1 && widest(fonts, face, size, texts, count) > width)
        size--;
    return size > 1 ? size : 1;
}

/* The urgent label on an accent plate at the top of `area`; returns the height it takes. */
static int slide_badge(const bt_layout_frame *f, const bt_layout_fonts *fonts, bt_layout_slide *s,
                       bt_rect area, bt_align align)
{
    bt_layout_text *t = next_text(s);
    /* At the floor, the type scale's last step: capitals on a plate read at that size. */
    int size = body_floor(f), pad = bt_layout_px(f, 26);
    int lh = bt_layout_line_height(fonts, BT_FACE_BOLD, size);
    bt_rect box = rect(area.x + pad, area.y, area.w - 2 * pad, lh);
    if (bt_layout_single_line(fonts, BT_LAYOUT_URGENT_LABEL, box, BT_FACE_BOLD, size,
                              BT_INK_BADGE, BT_ALIGN_LEFT, t) != 0)
        return -1;
    int w = t->lines[0].width + 2 * pad;
    int x = align == BT_ALIGN_CENTER ? area.x + (area.w - w) / 2 : area.x;
    t->box = rect(x + pad, area.y, t->lines[0].width, lh);
    s->badge = rect(x, area.y, w, lh);
    return lh + bt_layout_px(f, 30);
}

/* QR plate with caption and printed URL under it, centred on the column; the caption from the
 * scale's step cap_step down, the URL at the floor (fit_qr_text). Returns the group's height
 * (laid out from `top`). */
static int qr_group_below(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                          bt_layout_slide *s, const bt_layout_content *c, int column_x,
                          int column_w, int plate, int top, size_t cap_step, size_t cap_lines,
                          int max_height)
{
    int gap = bt_layout_px(f, 22);
    s->qr = rect(column_x + (column_w - plate) / 2, top, plate, plate);
    s->qr_text = c->qr_url;
    int y = top + plate + gap;
    int room = max_height - plate - gap;
    bt_layout_text *cap = NULL, *url;
    if (c->qr_caption && *c->qr_caption) {
        cap = next_text(s);
        int limit = (int)cap_lines * bt_layout_line_height(fonts, BT_FACE_BOLD,
                                                           scale_size(f, cap_step));
        bt_rect box = rect(column_x, y, column_w, limit < room ? limit : room);
        if (fit_qr_text(f, fonts, c->qr_caption, box, BT_FACE_BOLD, cap_step, cap_lines, true,
                        BT_INK_TEXT, BT_ALIGN_CENTER, cap) != 0)
            return -1;
        text_place(cap, y);
        y += cap->box.h + bt_layout_px(f, 6);
        room = max_height - (y - top);
    }
    url = next_text(s);
    int limit = qr_url_height(f, fonts);
    bt_rect box = rect(column_x, y, column_w, limit < room ? limit : room);
    if (fit_qr_text(f, fonts, printable_url(c->qr_url), box, BT_FACE_REGULAR,
                    f->scale_count - 1, QR_URL_LINES, false, BT_INK_MUTED, BT_ALIGN_CENTER,
                    url) != 0)
        return -1;
    text_place(url, y);
    y += url->box.h;
    return y - top;
}

/* Moves every block and plate of the slide from index `first_text` on down by dy. */
static void shift_down(bt_layout_slide *s, size_t first_text, bool qr, int dy)
{
    for (size_t i = first_text; i < s->text_count; i++)
        s->texts[i].box.y += dy;
    if (qr)
        s->qr.y += dy;
}

/* A row of `row.h` px: the QR plate (row.h square) on the left, its caption and printed URL
 * beside it, the two centred on the plate. */
static int qr_row(const bt_layout_frame *f, const bt_layout_fonts *fonts, bt_layout_slide *s,
                  const bt_layout_content *c, bt_rect row)
{
    int gap = bt_layout_px(f, 40), plate = row.h;
    s->qr = rect(row.x, row.y, plate, plate);
    s->qr_text = c->qr_url;
    bt_rect side = rect(row.x + plate + gap, s->qr.y, row.w - plate - gap, plate);
    bt_layout_text *cap = NULL, *url;
    int url_h = qr_url_height(f, fonts);
    if (c->qr_caption && *c->qr_caption) {
        cap = next_text(s);
        bt_rect box = side;
        box.h = side.h - url_h - bt_layout_px(f, 8);
        if (fit_qr_text(f, fonts, c->qr_caption, box, BT_FACE_BOLD, BT_LAYOUT_STEP_CAPTION, 3,
                        true, BT_INK_TEXT, BT_ALIGN_LEFT, cap) != 0)
            return -1;
        text_place(cap, side.y);
    }
    url = next_text(s);
    bt_rect box = rect(side.x, side.y, side.w, url_h);
    if (fit_qr_text(f, fonts, printable_url(c->qr_url), box, BT_FACE_REGULAR,
                    f->scale_count - 1, QR_URL_LINES, false, BT_INK_MUTED, BT_ALIGN_LEFT,
                    url) != 0)
        return -1;
    int cap_h = cap ? cap->box.h + bt_layout_px(f, 8) : 0;
    int group = cap_h + url->box.h;
    int y = side.y + (side.h - group) / 2;
    if (cap)
        text_place(cap, y);
    text_place(url, y + cap_h);
    return 0;
}

/* Between a text and the QR row under it (portrait), at 1080 px, when there is room. */
#define QR_ROW_GAP_PX 96

static int slide_text(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                      const bt_layout_content *c, bt_layout_slide *s)
{
    bt_rect area = s->area, text = area;
    bool qr = c->qr_url && *c->qr_url;
    if (c->urgent) {
        int used = slide_badge(f, fonts, s, area, BT_ALIGN_LEFT);
        if (used < 0)
            return -1;
        text.y += used;
        text.h -= used;
    }
    /* The QR goes beside the text when the area is wide, else in a row under it. Its plate is
     * 360 px at 1080 and shrinks on cramped screens, never under 200 px at 1080. */
    bool beside = (long long)area.w * 10 >= (long long)area.h * 14;
    int plate = bt_layout_px(f, 360);
    if (qr) {
        int limit = beside ? area.h / 2 : (area.h * 32) / 100;
        if (plate > limit)
            plate = limit;
        if (plate < bt_layout_px(f, 200))
            plate = bt_layout_px(f, 200);
    }
    if (qr && beside) {
        /* The column is the plate and a margin, widened (up to half the plate again) so the
         * printed address fits on one line at the floor: an address broken after its dot reads
         * as two, and people type it. The gap to the text keeps them apart. */
        int col = (plate * 7) / 6;
        int url_w = fonts->face[BT_FACE_REGULAR].measure(
            fonts->face[BT_FACE_REGULAR].ctx, f->scale[f->scale_count - 1],
            printable_url(c->qr_url), strlen(printable_url(c->qr_url)));
        if (url_w < 0)
            return -1;
        if (url_w > col)
            col = url_w < (plate * 3) / 2 ? url_w : (plate * 3) / 2;
        text.w = area.w - col - bt_layout_px(f, 72);
        size_t first = s->text_count;
        int h = qr_group_below(f, fonts, s, c, area.x + area.w - col, col, plate, area.y,
                               f->scale_count - 1, 3, area.h);
        if (h < 0)
            return -1;
        shift_down(s, first, true, (area.h - h) / 2);
    }
    size_t row_first = s->text_count, row_end = row_first;
    if (qr && !beside) {
        if (qr_row(f, fonts, s, c, rect(area.x, area.y + area.h - plate, area.w, plate)) != 0)
            return -1;
        row_end = s->text_count;
        text.h = s->qr.y - bt_layout_px(f, 56) - text.y;
    }
    pair_part title = {c->title, BT_FACE_BOLD, BT_INK_ACCENT, BT_LAYOUT_STEP_TITLE, 0};
    pair_part body = {c->body, BT_FACE_REGULAR, BT_INK_TEXT, BT_LAYOUT_STEP_BODY, 0};
    s->title_text = (int)s->text_count;
    bt_layout_text *tt = next_text(s), *bt = next_text(s);
    bool row_under = qr && !beside;
    if (fit_pair(f, fonts, text, &title, &body, BT_ALIGN_LEFT, !row_under, tt, bt) != 0)
        return -1;
    s->fits = tt->fits && bt->fits;
    if (row_under) {
        /* The text and the QR row under it as one group centred in the area (portrait): a
         * short text no longer leaves an empty band between itself and a row pinned to the
         * bottom. The gap between them grows to QR_ROW_GAP_PX, never shrinks. */
        int top = tt->line_count ? tt->box.y : bt->box.y;
        int bottom = bt->line_count ? bt->box.y + bt->box.h : tt->box.y + tt->box.h;
        int least = bt_layout_px(f, 56), want = bt_layout_px(f, QR_ROW_GAP_PX);
        int free = area.y + area.h - text.y - (bottom - top) - plate;
        int gap = free > want ? want : (free > least ? free : least);
        int start = text.y + (free - gap > 0 ? (free - gap) / 2 : 0);
        shift_down(s, (size_t)s->title_text, false, start - top);
        int dy = start + (bottom - top) + gap - s->qr.y;
        for (size_t i = row_first; i < row_end; i++)
            s->texts[i].box.y += dy;
        s->qr.y += dy;
    }
    if (s->badge.w > 0 && tt->line_count > 0) {
        /* Keep the label just above the title rather than at the top of a tall box. */
        int label_gap = bt_layout_px(f, 30);
        int top = tt->box.y - s->badge.h - label_gap;
        if (top > s->badge.y) {
            s->texts[BT_LAYOUT_TEXT_BADGE].box.y += top - s->badge.y;
            s->badge.y = top;
        }
    }
    return 0;
}

static void letterbox(bt_layout_slide *s, bt_rect box, int iw, int ih)
{
    bt_rect r = fit_aspect(box, iw, ih);
    if (r.w > 0)
        s->image = r;
}

/* Issue 15: a picture BT_LAYOUT_SCROLL_MIN_SHAPE times as tall as wide or more, and at least
 * BT_LAYOUT_SCROLL_MIN_PERCENT of the box's height when fitted to its width, fills the width (no taller than BT_LAYOUT_SCROLL_MAX_PX) and scrolls in the box;
 * false (nothing set) for any other picture. */
static bool scroll_fit(bt_layout_slide *s, bt_rect box, const bt_layout_content *c)
{
    if (c->image_w <= 0 || c->image_h <= 0 || box.w <= 0 || box.h <= 0 ||
        (long long)c->image_h < (long long)c->image_w * BT_LAYOUT_SCROLL_MIN_SHAPE)
        return false;
    long long h = ((long long)c->image_h * box.w + c->image_w / 2) / c->image_w;
    if (h * 100 < (long long)box.h * BT_LAYOUT_SCROLL_MIN_PERCENT)
        return false;
    int w = box.w;
    if (h > BT_LAYOUT_SCROLL_MAX_PX) {
        w = (int)(((long long)c->image_w * BT_LAYOUT_SCROLL_MAX_PX + c->image_h / 2) / c->image_h);
        h = BT_LAYOUT_SCROLL_MAX_PX;
    }
    if (w < 1 || h <= box.h)
        return false;
    s->image_clip = rect(box.x + (box.w - w) / 2, box.y, w, box.h);
    s->image = rect(s->image_clip.x, box.y, w, (int)h);
    s->scroll_travel = (int)h - box.h;
    return true;
}

int bt_layout_scroll_offset(int travel, long long elapsed_ms, long long duration_ms)
{
    if (travel <= 0 || elapsed_ms <= 0 || duration_ms <= 0)
        return 0;
    long long hold = BT_LAYOUT_SCROLL_HOLD_MS;
    if (duration_ms < 4 * hold)
        hold = duration_ms / 4;
    long long moving = duration_ms - 2 * hold;
    if (elapsed_ms <= hold)
        return 0;
    if (elapsed_ms >= hold + moving)
        return travel;
    return (int)(((elapsed_ms - hold) * travel + moving / 2) / moving);
}

/* Issue 14: an image notice's own QR sits in a tinted band: a column as wide as the corner's on
 * a wide screen, a row at the bottom of a tall one. The plate is larger than the portal's corner
 * QR (260): it is the one code on the slide. Lengths at 1080 px of the short side. */
#define IMAGE_QR_COLUMN_PX 380
#define IMAGE_QR_PX 300
#define IMAGE_BAND_PAD_PX 36

/* The picture fills the stage (the whole width between the header and the bottom band, no corner
 * column), fitted with its own aspect and centred, so a poster's small print can be read; the
 * title shows under it only when asked. The picture and its caption are centred together, so a
 * wide picture on a tall screen has equal bands above and below. A tall screen keeps its corner
 * band (portal QR, next session) when the picture is no smaller above it: a wide picture is
 * limited by the width there, and the band fills what would be empty background. */
/* Height a caption takes under the picture with its gaps (an estimate at its largest size, two
 * lines: enough to decide whether the picture fits somewhere). */
static int cap_estimate(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                        const bt_layout_content *c, int gap)
{
    if (!c->caption || !c->title || !*c->title)
        return 0;
    int max = scale_size(f, BT_LAYOUT_STEP_CAPTION);
    return 2 * gap + 2 * bt_layout_line_height(fonts, BT_FACE_BOLD, max);
}

static int slide_image(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                       const bt_layout_content *c, bt_layout_slide *s)
{
    s->slim_header = f->slim.band.h > 0;
    s->area = s->slim_header ? f->image_stage : f->stage;
    bt_rect area = s->area, box = area;
    int pad = bt_layout_px(f, IMAGE_BAND_PAD_PX);
    bool qr = c->qr_url && *c->qr_url;
    int plate = bt_layout_px(f, IMAGE_QR_PX);
    if (qr && f->landscape) {
        int cw = bt_layout_px(f, IMAGE_QR_COLUMN_PX);
        s->band = rect(area.x + area.w - cw, area.y, cw, area.h);
        box.w -= cw;
        if (plate > cw - 2 * pad)
            plate = cw - 2 * pad;
    } else if (qr) {
        int bh = plate + 2 * pad;
        s->band = rect(area.x, area.y + area.h - bh, area.w, bh);
        box.h -= bh;
    }
    if (c->urgent) {
        /* The label first (text 0), above the picture. */
        bt_rect inset = rect(box.x + f->margin, box.y + pad, box.w - 2 * f->margin, box.h);
        int used = slide_badge(f, fonts, s, inset, BT_ALIGN_CENTER);
        if (used < 0)
            return -1;
        box.y += pad + used;
        box.h -= pad + used;
    }
    if (qr && f->landscape) {
        size_t first = s->text_count;
        int h = qr_group_below(f, fonts, s, c, s->band.x + pad, s->band.w - 2 * pad, plate,
                               area.y, f->scale_count - 1, 3, area.h - 2 * pad);
        if (h < 0)
            return -1;
        shift_down(s, first, true, (area.h - h) / 2);
    } else if (qr) {
        bt_rect row = rect(f->margin, s->band.y + pad, area.w - 2 * f->margin, plate);
        if (qr_row(f, fonts, s, c, row) != 0)
            return -1;
    }
    int gap = bt_layout_px(f, 28), cap_h = 0;
    bt_layout_text *cap = NULL;
    bool keep_corner = false;
    if (!qr && !f->landscape && !c->urgent && c->image_w > 0 && c->image_h > 0) {
        /* Width-limited above the band: the same size as in the whole stage. */
        int above = f->corner.y - bt_layout_px(f, 48) - box.y - cap_estimate(f, fonts, c, gap);
        keep_corner = above > 0 && (long long)box.w * c->image_h <= (long long)above * c->image_w;
        if (keep_corner) {
            box.h = f->corner.y - box.y;
            s->area = box;
        }
    }
    s->corner = keep_corner;
    if (c->caption && c->title && *c->title) {
        s->title_text = (int)s->text_count;
        cap = next_text(s);
        int max = scale_size(f, BT_LAYOUT_STEP_CAPTION);
        int limit = 2 * bt_layout_line_height(fonts, BT_FACE_BOLD, max);
        bt_rect cb = rect(box.x + f->margin, box.y + box.h - gap - limit, box.w - 2 * f->margin,
                          limit);
        if (bt_layout_fit_scale(f, fonts, c->title, cb, BT_FACE_BOLD, BT_LAYOUT_STEP_CAPTION, 2,
                                true, BT_INK_ACCENT, BT_ALIGN_CENTER, cap) != 0)
            return -1;
        cap_h = gap + text_used_height(cap) + gap;
        s->fits = cap->fits;
    }
    if (c->scroll_tall && scroll_fit(s, rect(box.x, box.y, box.w, box.h - cap_h), c)) {
        if (cap)
            text_place(cap, s->image_clip.y + s->image_clip.h + gap);
        return 0;
    }
    letterbox(s, rect(box.x, box.y, box.w, box.h - cap_h), c->image_w, c->image_h);
    int group = s->image.h + cap_h;
    int top = box.y + (box.h - group) / 2;
    s->image.y = top;
    if (cap)
        text_place(cap, top + s->image.h + gap);
    return 0;
}

static int slide_title_only(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                            const bt_layout_content *c, bt_layout_slide *s)
{
    bt_rect box = s->area;
    if (c->urgent) {
        int used = slide_badge(f, fonts, s, box, BT_ALIGN_CENTER);
        if (used < 0)
            return -1;
        box.y += used;
        box.h -= used;
    }
    s->title_text = (int)s->text_count;
    bt_layout_text *t = next_text(s);
    if (bt_layout_fit_scale(f, fonts, c->title, box, BT_FACE_BOLD, BT_LAYOUT_STEP_TITLE, 0, true,
                            BT_INK_ACCENT, BT_ALIGN_CENTER, t) != 0)
        return -1;
    int used = text_used_height(t);
    text_place(t, box.y + (box.h - used) / 2);
    s->fits = t->fits;
    return 0;
}

/* Height the QR's caption and printed URL take under a plate in a column of width w. */
static int under_plate(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                       const bt_layout_content *c, int w, size_t cap_step, size_t cap_lines)
{
    int h = bt_layout_px(f, 22) + qr_url_height(f, fonts);
    if (c->qr_caption && *c->qr_caption) {
        bt_layout_text probe;
        int limit = (int)cap_lines * bt_layout_line_height(fonts, BT_FACE_BOLD,
                                                           scale_size(f, cap_step));
        if (fit_qr_text(f, fonts, c->qr_caption, rect(0, 0, w, limit), BT_FACE_BOLD, cap_step,
                        cap_lines, true, BT_INK_TEXT, BT_ALIGN_CENTER, &probe) != 0)
            return -1;
        h += text_used_height(&probe) + bt_layout_px(f, 6);
    }
    return h;
}

static int slide_qr(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                    const bt_layout_content *c, bt_layout_slide *s)
{
    bt_rect area = s->area;
    if (c->urgent) {
        int used = slide_badge(f, fonts, s, area, f->landscape ? BT_ALIGN_LEFT : BT_ALIGN_CENTER);
        if (used < 0)
            return -1;
        area.y += used;
        area.h -= used;
    }
    int qr_min = (f->unit * 44) / 100; /* scannable from 1–2 m: ≥ 40 % of the short side */
    if ((long long)area.w * 10 >= (long long)area.h * 14) {
        int url_h = qr_url_height(f, fonts);
        int want = bt_layout_px(f, 540) < (area.w * 45) / 100 ? bt_layout_px(f, 540)
                                                              : (area.w * 45) / 100;
        int room = area.h - url_h - bt_layout_px(f, 22);
        if (room > (area.w * 55) / 100)
            room = (area.w * 55) / 100;
        int plate = clamp_plate(want, qr_min, room);
        int col = plate + bt_layout_px(f, 80);
        bt_layout_content qc = *c;
        qc.qr_caption = NULL; /* the caption goes beside, with the title */
        size_t first = s->text_count;
        int h = qr_group_below(f, fonts, s, &qc, area.x, col, plate, area.y, 0, 0, area.h);
        if (h < 0)
            return -1;
        shift_down(s, first, true, (area.h - h) / 2);
        int gap = bt_layout_px(f, 64);
        bt_rect text = rect(area.x + col + gap, area.y, area.w - col - gap, area.h);
        pair_part title = {c->title, BT_FACE_BOLD, BT_INK_ACCENT, BT_LAYOUT_STEP_TITLE, 0};
        pair_part cap = {c->qr_caption, BT_FACE_REGULAR, BT_INK_TEXT, BT_LAYOUT_STEP_CAPTION, 0};
        s->title_text = (int)s->text_count;
        bt_layout_text *tt = next_text(s), *ct = next_text(s);
        if (fit_pair(f, fonts, text, &title, &cap, BT_ALIGN_LEFT, true, tt, ct) != 0)
            return -1;
        s->fits = tt->fits && ct->fits;
        return 0;
    }
    /* Stacked: title on top, the QR large in the middle, caption and URL under it. The QR
     * comes first: it gets up to 640 px at 1080 (at least 40 % of the short side when the
     * screen allows), and the title takes what is left, at most 3 lines and a third of the
     * height. On cramped screens the QR gives way down to 200 px at 1080, never below. */
    int gap = bt_layout_px(f, 48), qr_floor = bt_layout_px(f, 200);
    /* The caption stays under the title in the hierarchy: QR, title, caption, URL. */
    int under = under_plate(f, fonts, c, area.w, BT_LAYOUT_STEP_CAPTION, 3);
    if (under < 0)
        return -1;
    int want = (area.w * 66) / 100 < bt_layout_px(f, 640) ? (area.w * 66) / 100
                                                         : bt_layout_px(f, 640);
    int plate = clamp_plate(want, qr_min, area.w);
    /* What the title needs at its floor (up to 3 lines, a third of the height). */
    bt_layout_text *probe = malloc(sizeof *probe);
    if (!probe || bt_layout_fit_scale(f, fonts, c->title, rect(area.x, area.y, area.w, area.h / 3),
                                      BT_FACE_BOLD, f->scale_count - 1, 3, true, BT_INK_ACCENT,
                                      BT_ALIGN_CENTER, probe) != 0) {
        free(probe);
        return -1;
    }
    int title_need = text_used_height(probe);
    free(probe);
    int title_room = area.h - plate - under - gap;
    if (title_room < title_need) {
        plate = clamp_plate(area.h - under - gap - title_need, qr_floor, area.w);
        title_room = area.h - plate - under - gap;
    }
    if (title_room > area.h / 3)
        title_room = area.h / 3;
    s->title_text = (int)s->text_count;
    bt_layout_text *tt = next_text(s);
    if (bt_layout_fit_scale(f, fonts, c->title, rect(area.x, area.y, area.w, title_room),
                            BT_FACE_BOLD, BT_LAYOUT_STEP_TITLE, 3, true, BT_INK_ACCENT,
                            BT_ALIGN_CENTER, tt) != 0)
        return -1;
    text_place(tt, area.y);
    int top = area.y + tt->box.h + (tt->box.h ? gap : 0);
    int room = area.y + area.h - top - under;
    if (plate > room)
        plate = room > qr_floor ? room : qr_floor;
    size_t first = s->text_count;
    int h = qr_group_below(f, fonts, s, c, area.x, area.w, plate, top, BT_LAYOUT_STEP_CAPTION, 3,
                           area.y + area.h - top);
    if (h < 0)
        return -1;
    /* Centre the whole stack (title, QR, caption, URL) vertically. */
    int total = top + h - area.y;
    int dy = (area.h - total) / 2;
    if (dy > 0) {
        tt->box.y += dy;
        shift_down(s, first, true, dy);
    }
    s->fits = tt->fits;
    for (size_t i = first; i + 1 < s->text_count; i++)
        s->fits = s->fits && s->texts[i].fits; /* the caption; the URL may be cut */
    return 0;
}

/* ---- the schedule table ---------------------------------------------------------------------- */

/* The table's text is set on the frame's type scale (issue 14): few rows at the body's step
 * (readable across the hall), many rows a step lower, down to the legibility floor; the date
 * under or beside the heading at the floor. */
/* A row's name wraps to at most this many lines beside the time (more would make a row tall and
 * its time hard to pair with it), or this many across a stacked row. */
#define SCHEDULE_NAME_LINES 2
#define SCHEDULE_STACKED_NAME_LINES 3
/* Padding inside a row band and a state plate, ‰ of the row's font size. */
#define SCHEDULE_ROW_PAD_PERMILLE 150
#define SCHEDULE_CHIP_PAD_PERMILLE 420

bt_ink bt_layout_slot_ink(bt_slot_state state)
{
    switch (state) {
    case BT_SLOT_UPCOMING: return BT_INK_SLOT_UPCOMING;
    case BT_SLOT_AIRING: return BT_INK_SLOT_AIRING;
    case BT_SLOT_AIRED: return BT_INK_SLOT_AIRED;
    case BT_SLOT_MADE_UP: return BT_INK_SLOT_MADE_UP;
    case BT_SLOT_MISSED: break; /* no plate on the lobby (bt_layout_slot_plate) */
    case BT_SLOT_STATE_COUNT: break; /* not a state */
    }
    return BT_INK_SLOT_UPCOMING;
}

/* The states the lobby reads on a plate. A miss has none: failure wording is for staff (the
 * panel, the log), and a citizen reads a past session without "đã phát" as not aired. */
static const bt_slot_state ALL_STATES[] = {BT_SLOT_UPCOMING, BT_SLOT_AIRING, BT_SLOT_AIRED,
                                           BT_SLOT_MADE_UP};

bool bt_layout_slot_plate(bt_slot_state state)
{
    return state != BT_SLOT_MISSED;
}
#define STATE_COUNT (sizeof ALL_STATES / sizeof ALL_STATES[0])

/* Column geometry of the table at one font size: the time and state columns are as wide as the
 * widest time and the widest state label, so rows line up whatever their state. A narrow table
 * (portrait) may stack each row instead: time and state on one line, the name under them across
 * the whole width, which lets everything be larger. */
typedef struct {
    bool stacked;
    int size, pad, chip_pad, gap;
    int time_w, chip_w, chip_h, name_x, name_w;
    int lh_bold, lh_name;
    size_t name_lines;
} table_cols;


static int table_columns(const bt_layout_frame *f, const bt_layout_fonts *fonts, bt_rect table,
                         int size, bool stacked, table_cols *t)
{
    const char *labels[STATE_COUNT];
    for (size_t i = 0; i < STATE_COUNT; i++)
        labels[i] = bt_vi_slot_state(ALL_STATES[i]);
    memset(t, 0, sizeof *t);
    t->stacked = stacked;
    t->size = size;
    t->name_lines = stacked ? SCHEDULE_STACKED_NAME_LINES : SCHEDULE_NAME_LINES;
    t->pad = (int)(((long long)size * SCHEDULE_ROW_PAD_PERMILLE) / 1000);
    t->chip_pad = (int)(((long long)size * SCHEDULE_CHIP_PAD_PERMILLE) / 1000);
    t->gap = bt_layout_px(f, 36);
    t->time_w = widest(fonts, BT_FACE_BOLD, size, &WIDEST_CLOCK, 1);
    int label_w = widest(fonts, BT_FACE_BOLD, size, labels, STATE_COUNT);
    if (t->time_w < 0 || label_w < 0)
        return -1;
    t->lh_bold = bt_layout_line_height(fonts, BT_FACE_BOLD, size);
    t->lh_name = bt_layout_line_height(fonts, BT_FACE_REGULAR, size);
    t->chip_w = label_w + 2 * t->chip_pad;
    t->chip_h = t->lh_bold;
    t->name_x = table.x + t->time_w + t->gap;
    t->name_w = table.w - t->time_w - t->chip_w - 2 * t->gap;
    if (stacked) {
        t->name_x = table.x;
        t->name_w = table.w;
        if (t->time_w + t->gap + t->chip_w > table.w)
            t->name_w = 0; /* not even time and state fit a line: unusable at this size */
    }
    return 0;
}

/* Height of rows [first, first + count) at the columns' size, names wrapped to at most
 * t->name_lines lines; *whole says whether every name fitted without a cut and, when `limit` is
 * given, in at most limit[i - first] lines. The lines each name takes go to lines_out if given.
 * -1 on a measuring failure. */
static int table_height(const bt_layout_fonts *fonts, const bt_layout_content *c,
                        const table_cols *t, size_t first, size_t count, bool *whole,
                        const size_t *limit, size_t *lines_out, bt_text_wrap_result *wrap)
{
    int total = 0;
    *whole = t->name_w > t->size;
    for (size_t i = first; i < first + count; i++) {
        size_t lines = 1;
        const char *name = c->rows[i].name ? c->rows[i].name : "";
        if (*name && t->name_w > 0) {
            if (bt_text_wrap(name, t->size, t->name_w, fonts->face[BT_FACE_REGULAR].measure,
                             fonts->face[BT_FACE_REGULAR].ctx, wrap) != 0)
                return -1;
            lines = wrap->line_count;
            if (!wrap->fits || lines > t->name_lines ||
                (limit && lines > limit[i - first]))
                *whole = false;
            if (lines > t->name_lines)
                lines = t->name_lines;
            if (lines == 0)
                lines = 1;
        }
        if (lines_out)
            lines_out[i - first] = lines;
        int body = (int)lines * t->lh_name;
        if (t->stacked)
            body += t->chip_h;
        else if (body < t->chip_h)
            body = t->chip_h;
        total += body + 2 * t->pad;
    }
    return total;
}

/* Which rows to show when there are more than fit: the window keeps the session on air or next
 * to air in view, with one finished row before it for context. */
static size_t window_start(const bt_layout_content *c, size_t count)
{
    size_t n = c->row_count, active = n;
    if (count >= n)
        return 0;
    for (size_t i = 0; i < n && active == n; i++)
        if (c->rows[i].state == BT_SLOT_UPCOMING || c->rows[i].state == BT_SLOT_AIRING)
            active = i;
    size_t start = active > 0 ? active - 1 : 0;
    return start > n - count ? n - count : start;
}

/* The rows of the table from y down, at the columns' size. */
static int table_place(const bt_layout_fonts *fonts, const bt_layout_content *c,
                       const table_cols *t, bt_rect table, int y, bt_layout_slide *s)
{
    for (size_t k = 0; k < s->row_count; k++) {
        const bt_layout_schedule_row *row = &c->rows[s->first_row + k];
        bool on_air = row->state == BT_SLOT_AIRING;
        bt_ink ink = on_air ? BT_INK_CORNER : BT_INK_TEXT;
        bt_layout_text *name = NULL, *time = next_text(s), *label;
        if (!time)
            return -1;
        if (row->name && *row->name) {
            name = next_text(s);
            if (!name)
                return -1;
            bt_rect nb = rect(t->name_x, y + t->pad + (t->stacked ? t->chip_h : 0), t->name_w,
                              (int)t->name_lines * t->lh_name);
            if (bt_layout_fit_block(fonts, row->name, nb, BT_FACE_REGULAR, t->size, t->size,
                                    t->name_lines, ink, BT_ALIGN_LEFT, name) != 0)
                return -1;
            if (balance_text(fonts, name) != 0)
                return -1;
            s->fits = s->fits && name->fits;
        }
        int body = name ? text_used_height(name) : 0;
        int mid;
        if (t->stacked) {
            /* Time and state on the first line, the name under them. */
            mid = y + t->pad + t->chip_h / 2;
            if (name)
                text_place(name, y + t->pad + t->chip_h);
            body += t->chip_h;
        } else {
            if (body < t->chip_h)
                body = t->chip_h;
            mid = y + t->pad + body / 2;
            if (name)
                text_place(name, mid - text_used_height(name) / 2);
        }
        s->rows[k] = rect(table.x, y, table.w, body + 2 * t->pad);
        s->row_states[k] = row->state;
        if (bt_layout_single_line(fonts, row->time ? row->time : "",
                                  rect(table.x, mid - t->lh_bold / 2, t->time_w, t->lh_bold),
                                  BT_FACE_BOLD, t->size, ink, BT_ALIGN_LEFT, time) != 0)
            return -1;
        int chip_x = table.x + table.w - t->chip_w;
        bool plate = bt_layout_slot_plate(row->state);
        s->chips[k] = rect(chip_x, mid - t->chip_h / 2, plate ? t->chip_w : 0, t->chip_h);
        label = next_text(s);
        if (!label)
            return -1;
        if (bt_layout_single_line(fonts, plate ? bt_vi_slot_state(row->state) : "",
                                  rect(chip_x + t->chip_pad, s->chips[k].y,
                                       t->chip_w - 2 * t->chip_pad, t->chip_h),
                                  BT_FACE_BOLD, t->size, bt_layout_slot_ink(row->state),
                                  BT_ALIGN_CENTER, label) != 0)
            return -1;
        y += s->rows[k].h;
    }
    return y;
}

/* Title and date of the schedule slide from `top`, the title at most `tmax` px; the date beside
 * a one-line title when it fits, else under it. Returns where the table may start, or -1. */
static int schedule_heading(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                            const bt_layout_content *c, bt_layout_slide *s, bt_rect area,
                            int top, size_t step)
{
    const char *heading = c->title && *c->title ? c->title : BT_SCHEDULE_NOTICE_TITLE;
    s->title_text = (int)s->text_count;
    bt_layout_text *title = next_text(s);
    int tmax = scale_size(f, step);
    bt_rect tb = rect(area.x, top, area.w, 2 * bt_layout_line_height(fonts, BT_FACE_BOLD, tmax));
    if (!title || bt_layout_fit_scale(f, fonts, heading, tb, BT_FACE_BOLD, step, 2, true,
                                      BT_INK_ACCENT, BT_ALIGN_LEFT, title) != 0)
        return -1;
    text_place(title, top);
    int y = top + title->box.h;
    if (!c->schedule_date || !*c->schedule_date)
        return y + bt_layout_px(f, 36);
    bt_layout_text *date = next_text(s);
    int size = body_floor(f);
    int lh = bt_layout_line_height(fonts, BT_FACE_REGULAR, size);
    int gap = bt_layout_px(f, 48);
    int dw = fonts->face[BT_FACE_REGULAR].measure(fonts->face[BT_FACE_REGULAR].ctx, size,
                                                  c->schedule_date, strlen(c->schedule_date));
    int tw = title->line_count ? title->lines[0].width : 0;
    if (!date || dw < 0)
        return -1;
    if (title->line_count == 1 && tw + gap + dw <= area.w) {
        /* Beside a one-line title, on its baseline: the rows get that line's height. */
        int baseline = title->box.y + title->lines[0].y + title->baseline;
        title->box.w = tw;
        if (bt_layout_single_line(fonts, c->schedule_date,
                                  rect(area.x + area.w - dw,
                                       baseline - bt_layout_baseline(fonts, BT_FACE_REGULAR, size),
                                       dw, lh),
                                  BT_FACE_REGULAR, size, BT_INK_MUTED, BT_ALIGN_RIGHT, date) != 0)
            return -1;
        if (date->box.y + date->box.h > y)
            y = date->box.y + date->box.h;
    } else {
        y += bt_layout_px(f, 6);
        if (bt_layout_single_line(fonts, c->schedule_date, rect(area.x, y, area.w, lh),
                                  BT_FACE_REGULAR, size, BT_INK_MUTED, BT_ALIGN_LEFT, date) != 0)
            return -1;
        y += lh;
    }
    return y + bt_layout_px(f, 36);
}

/* Height the rows [first, first + count) need at the floor with the columns of that size (names
 * cut at two lines), plus the summary line when rows are left out; -1 on a measuring failure. */
static int rows_at_floor(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                         const bt_layout_content *c, bt_rect table, size_t count,
                         bt_text_wrap_result *wrap)
{
    table_cols t;
    bool whole;
    if (table_columns(f, fonts, table, body_floor(f), false, &t) != 0)
        return -1;
    int h = table_height(fonts, c, &t, window_start(c, count), count, &whole, NULL, NULL, wrap);
    if (h >= 0 && count < c->row_count)
        h += bt_layout_line_height(fonts, BT_FACE_REGULAR, body_floor(f));
    return h;
}

/* The largest step of the type scale, from the body's down, at which `count` rows fit the
 * table whole (every name within its line limit, and in no more lines than at the floor: a
 * larger size that breaks "Bản tin sáng" onto two lines reads worse than a smaller one that keeps
 * it whole); 0 if none does, -1 on a measuring failure. */
static int rows_best_size(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                          const bt_layout_content *c, bt_rect table, size_t count, bool stacked,
                          bt_text_wrap_result *wrap)
{
    int floor = body_floor(f);
    int more_h = count < c->row_count ? bt_layout_line_height(fonts, BT_FACE_REGULAR, floor) : 0;
    size_t first = window_start(c, count);
    size_t floor_lines[BT_LAYOUT_SCHEDULE_MAX_ROWS];
    table_cols t;
    bool whole;
    if (table_columns(f, fonts, table, floor, stacked, &t) != 0 ||
        table_height(fonts, c, &t, first, count, &whole, NULL, floor_lines, wrap) < 0)
        return -1;
    for (size_t k = scale_step(f, BT_LAYOUT_STEP_BODY); k < f->scale_count; k++) {
        int h = table_columns(f, fonts, table, f->scale[k], stacked, &t) == 0
                    ? table_height(fonts, c, &t, first, count, &whole, floor_lines, NULL, wrap)
                    : -1;
        if (h < 0)
            return -1;
        if (whole && h + more_h <= table.h)
            return f->scale[k];
    }
    return 0;
}

/* "Lịch phát thanh hôm nay": title, the date, then one row per session (time, name, a state
 * label on a coloured plate), the largest size at which the rows fit; or a sentence saying that
 * nothing airs today. The rows are what matters: when they are many the title gives up size
 * before any row is left out. The group is centred vertically in the area. */
static int slide_schedule(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                          const bt_layout_content *c, bt_layout_slide *s)
{
    bt_rect area = s->area;
    int top = area.y;
    if (c->urgent) {
        int used = slide_badge(f, fonts, s, area, BT_ALIGN_LEFT);
        if (used < 0)
            return -1;
        top += used;
    }
    size_t first_text = s->text_count;
    int y, bottom;
    if (c->row_count == 0 || !c->rows) {
        y = schedule_heading(f, fonts, c, s, area, top, BT_LAYOUT_STEP_TITLE);
        if (y < 0)
            return -1;
        bt_rect table = rect(area.x, y, area.w, area.y + area.h - y);
        bt_layout_text *msg = next_text(s);
        if (!msg || bt_layout_fit_scale(f, fonts, BT_LAYOUT_SCHEDULE_EMPTY, table,
                                        BT_FACE_REGULAR, BT_LAYOUT_STEP_BODY, 0, true,
                                        BT_INK_TEXT, BT_ALIGN_LEFT, msg) != 0)
            return -1;
        text_place(msg, table.y);
        s->fits = s->texts[first_text].fits && msg->fits;
        bottom = table.y + msg->box.h;
    } else {
        bt_text_wrap_result *wrap = malloc(sizeof *wrap);
        size_t count = c->row_count < BT_LAYOUT_SCHEDULE_MAX_ROWS ? c->row_count
                                                                  : BT_LAYOUT_SCHEDULE_MAX_ROWS;
        bt_rect table;
        int size = 0;
        bool stacked = false;
        if (!wrap)
            return -1;
        /* The title steps down the type scale until the rows fit at the floor. */
        for (size_t step = BT_LAYOUT_STEP_TITLE;; step++) {
            s->text_count = first_text;
            y = schedule_heading(f, fonts, c, s, area, top, step);
            if (y < 0) {
                free(wrap);
                return -1;
            }
            table = rect(area.x, y, area.w, area.y + area.h - y);
            int h = rows_at_floor(f, fonts, c, table, count, wrap);
            if (h < 0) {
                free(wrap);
                return -1;
            }
            if (h <= table.h || step + 1 >= f->scale_count)
                break;
        }
        /* Fewer rows (the rest summed up) only when even then the floor cannot hold them. */
        for (;;) {
            size = rows_best_size(f, fonts, c, table, count, false, wrap);
            int tall = size < 0 ? -1 : rows_best_size(f, fonts, c, table, count, true, wrap);
            if (tall < 0) {
                free(wrap);
                return -1;
            }
            /* Stacked rows read less like a table: only when side by side the rows would
             * fall to the floor (or not fit) and stacked they keep a larger step. */
            if (size <= body_floor(f) && tall > size) {
                size = tall;
                stacked = true;
            }
            if (size != 0)
                break;
            int h = rows_at_floor(f, fonts, c, table, count, wrap);
            if (h < 0) {
                free(wrap);
                return -1;
            }
            /* Names too long for two lines are cut, not a reason to drop rows. */
            if (h <= table.h || count == 1)
                break;
            count--;
        }
        free(wrap);
        table_cols t;
        if (table_columns(f, fonts, table, size ? size : body_floor(f), stacked, &t) != 0)
            return -1;
        s->fits = s->texts[first_text].fits && size != 0;
        s->row_count = count;
        s->first_row = window_start(c, count);
        s->rows_hidden = c->row_count - count;
        s->row_rule = bt_layout_px(f, 3);
        bottom = table_place(fonts, c, &t, table, table.y, s);
        if (bottom < 0)
            return -1;
        if (s->rows_hidden > 0) {
            bt_layout_text *more = next_text(s);
            int floor = body_floor(f);
            int lh = bt_layout_line_height(fonts, BT_FACE_REGULAR, floor);
            snprintf(s->more, sizeof s->more, "… và %zu buổi phát khác trong ngày",
                     s->rows_hidden);
            if (!more || bt_layout_single_line(fonts, s->more, rect(table.x, bottom, table.w, lh),
                                               BT_FACE_REGULAR, floor, BT_INK_MUTED,
                                               BT_ALIGN_LEFT, more) != 0)
                return -1;
            bottom += lh;
        }
    }
    /* Centre the group (title, date, table) in what is left of the area. */
    int dy = (area.y + area.h - bottom) / 2;
    if (dy > 0 && !c->urgent) {
        for (size_t i = first_text; i < s->text_count; i++)
            s->texts[i].box.y += dy;
        for (size_t k = 0; k < s->row_count; k++) {
            s->rows[k].y += dy;
            s->chips[k].y += dy;
        }
    }
    return 0;
}

/* ---- the now-playing banner ------------------------------------------------------------------ */

int bt_layout_banner_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                           const char *title, bt_layout_banner *out)
{
    memset(out, 0, sizeof *out);
    out->band = f->ticker;
    if (f->ticker.h <= 0)
        return -1;
    bt_rect band = f->ticker;
    /* The plate is a full-height tab at the band's left; the text as large as the band holds
     * (line boxes keep the Vietnamese marks inside), since it has to read from across the hall
     * and the band is the only place it may go. */
    int pad = 0, gap = bt_layout_px(f, 28);
    int max = bt_layout_px(f, 60);
    while (max > 1 && bt_layout_line_height(fonts, BT_FACE_BOLD, max) > band.h - 2 * pad)
        max--;
    int floor = f->min_body_px < max ? f->min_body_px : max;
    int label_size = max;
    bt_rect lbox = rect(f->margin / 2 + gap, band.y, band.w / 2, band.h);
    if (bt_layout_single_line(fonts, BT_LAYOUT_NOW_PLAYING_LABEL, lbox, BT_FACE_BOLD, label_size,
                              BT_INK_HEADER, BT_ALIGN_LEFT, &out->label) != 0)
        return -1;
    out->plate = rect(f->margin / 2, band.y + pad, out->label.lines[0].width + 2 * gap,
                      band.h - 2 * pad);
    /* The label's box is the plate's inside, its line in the middle. */
    out->label.box = rect(out->plate.x + gap, out->plate.y, out->label.lines[0].width,
                          out->plate.h);
    out->label.lines[0].y = (out->plate.h - out->label.line_height) / 2;
    int tx = out->plate.x + out->plate.w + gap;
    out->title_clip = rect(tx, band.y, band.x + band.w - f->margin / 2 - tx, band.h);
    out->gap = bt_layout_px(f, 160);
    const char *text = title ? title : "";
    /* The largest size at which the title is one line in the clip; else it scrolls at the
     * largest size (a moving line read whole beats a cut one). */
    int lo = floor, hi = max, found = 0;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int w = fonts->face[BT_FACE_BOLD].measure(fonts->face[BT_FACE_BOLD].ctx, mid, text,
                                                  strlen(text));
        if (w < 0)
            return -1;
        if (w <= out->title_clip.w) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    int size = found ? found : max;
    int w = fonts->face[BT_FACE_BOLD].measure(fonts->face[BT_FACE_BOLD].ctx, size, text,
                                              strlen(text));
    if (w < 0)
        return -1;
    out->scrolls = !found && *text;
    bt_rect tbox = out->title_clip;
    if (out->scrolls)
        tbox.w = w;
    if (bt_layout_single_line(fonts, text, tbox, BT_FACE_BOLD, size, BT_INK_TICKER,
                              BT_ALIGN_LEFT, &out->title) != 0)
        return -1;
    return 0;
}

/* The idle screen: a large clock and the date, and the portal QR large with its caption;
 * side by side on wide areas, stacked on tall ones. Sizes shrink to what the area holds. */
static int slide_idle(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                      const bt_layout_content *c, bt_layout_slide *s)
{
    bt_rect area = s->area;
    bool qr = c->qr_url && *c->qr_url;
    bool wide = (long long)area.w * 10 >= (long long)area.h * 12;
    int qr_min = (f->unit * 44) / 100, gap = bt_layout_px(f, 64);
    if (wide && qr) {
        int col = bt_layout_px(f, 760) < area.w / 2 ? bt_layout_px(f, 760) : area.w / 2;
        int under = under_plate(f, fonts, c, col, BT_LAYOUT_STEP_CAPTION, 2);
        if (under < 0)
            return -1;
        int room = area.h - under < col ? area.h - under : col;
        int plate = clamp_plate(bt_layout_px(f, 500), qr_min, room);
        if (col < plate)
            col = plate;
        int left_w = area.w - col - gap;
        s->clock_size = size_for_width(fonts, BT_FACE_BOLD, &WIDEST_CLOCK, 1,
                                       bt_layout_px(f, 220), left_w);
        s->date_size = size_for_width(fonts, BT_FACE_REGULAR, WIDEST_DATES, 7,
                                      bt_layout_px(f, 60), left_w);
        int ch = bt_layout_line_height(fonts, BT_FACE_BOLD, s->clock_size);
        int dh = bt_layout_line_height(fonts, BT_FACE_REGULAR, s->date_size);
        int y = area.y + (area.h - ch - dh) / 2;
        s->clock_box = rect(area.x, y, left_w, ch);
        s->date_box = rect(area.x, y + ch, left_w, dh);
        size_t first = s->text_count;
        int h = qr_group_below(f, fonts, s, c, area.x + area.w - col, col, plate, area.y,
                               BT_LAYOUT_STEP_CAPTION, 2, area.h);
        if (h < 0)
            return -1;
        shift_down(s, first, true, (area.h - h) / 2);
        return 0;
    }
    s->clock_size = size_for_width(fonts, BT_FACE_BOLD, &WIDEST_CLOCK, 1, bt_layout_px(f, 200),
                                   area.w);
    s->date_size = size_for_width(fonts, BT_FACE_REGULAR, WIDEST_DATES, 7, bt_layout_px(f, 56),
                                  area.w);
    int ch = bt_layout_line_height(fonts, BT_FACE_BOLD, s->clock_size);
    int dh = bt_layout_line_height(fonts, BT_FACE_REGULAR, s->date_size);
    s->clock_box = rect(area.x, area.y, area.w, ch);
    s->date_box = rect(area.x, area.y + ch, area.w, dh);
    int total = ch + dh;
    size_t first = s->text_count;
    if (qr) {
        int top = s->date_box.y + dh + gap;
        int under = under_plate(f, fonts, c, area.w, BT_LAYOUT_STEP_CAPTION, 3);
        if (under < 0)
            return -1;
        int room = area.y + area.h - top - under;
        int plate = clamp_plate(bt_layout_px(f, 600), qr_min, room < area.w ? room : area.w);
        int h = qr_group_below(f, fonts, s, c, area.x, area.w, plate, top,
                               BT_LAYOUT_STEP_CAPTION, 3, area.y + area.h - top);
        if (h < 0)
            return -1;
        total = top + h - area.y;
    }
    int dy = (area.h - total) / 2;
    if (dy > 0) {
        s->clock_box.y += dy;
        s->date_box.y += dy;
        shift_down(s, first, qr, dy);
    }
    return 0;
}

static int slide_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                       const bt_layout_content *c, bt_layout_slide *s)
{
    memset(s, 0, sizeof *s);
    s->fits = true;
    s->title_text = -1;
    if (c->idle) {
        s->kind = BT_SLIDE_IDLE;
        s->area = f->main_idle;
        return slide_idle(f, fonts, c, s);
    }
    s->corner = true;
    s->area = f->main;
    switch (c->kind) {
    case BT_NOTICE_TEXT:
        s->kind = BT_SLIDE_TEXT;
        return slide_text(f, fonts, c, s);
    case BT_NOTICE_IMAGE:
    case BT_NOTICE_VIDEO: /* a clip is laid out as a picture of its size */
        if (!c->has_image) {
            s->kind = BT_SLIDE_TITLE_ONLY;
            return slide_title_only(f, fonts, c, s);
        }
        s->kind = BT_SLIDE_IMAGE;
        return slide_image(f, fonts, c, s);
    case BT_NOTICE_QR:
        s->kind = BT_SLIDE_QR;
        return slide_qr(f, fonts, c, s);
    case BT_NOTICE_SCHEDULE:
        s->kind = BT_SLIDE_SCHEDULE;
        return slide_schedule(f, fonts, c, s);
    }
    return -1;
}

int bt_layout_slide_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                          const bt_layout_content *c, bt_layout_slide *s)
{
    int rc = slide_build(f, fonts, c, s);
    /* One QR per slide (issue 14): the corner panel's portal QR steps aside for a notice's own. */
    s->portal_qr = s->corner && s->qr.w == 0;
    return rc;
}

/* ---- the corner panel's information block (issue 14) ----------------------------------------- */

/* Sizes at 1080 px of the short side: the value (a time, a phone number) is the largest, read
 * from across the hall like the header clock; label and detail are read from a few metres. */
#define INFO_LABEL_PX 30
#define INFO_LABEL_MIN_PX 22
#define INFO_VALUE_PX 84
#define INFO_VALUE_MIN_PX 36
#define INFO_DETAIL_PX 40
#define INFO_DETAIL_MIN_PX 26
#define INFO_GAP_PX 12
/* The ward's logo above the hotline in a wide screen's column: at most this tall, and at most a
 * third of the block's room, so the number stays the largest thing in the column. */
#define INFO_LOGO_PX 140

static bool has_text(const char *t)
{
    return t && *t;
}

/* The corner's three texts in their box, with the logo when logo_w and logo_h are set.
 * value_px > 0: on the type scale — the label and the detail at the floor, the value at
 * value_px (a step of the scale); 0: the sizes they had before the scale, for texts that do not
 * fit on it. Nothing is shown (out->shown false) when one of them would be cut. */
static int corner_info_place(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                             const char *label, const char *value, const char *detail,
                             bool with_portal_qr, int logo_w, int logo_h, int value_px,
                             bt_layout_corner_info *out)
{
    memset(out, 0, sizeof *out);
    text_init(&out->label, label, rect(0, 0, 0, 0), BT_FACE_REGULAR, BT_INK_CORNER,
              BT_ALIGN_CENTER);
    text_init(&out->value, value, rect(0, 0, 0, 0), BT_FACE_BOLD, BT_INK_CORNER,
              BT_ALIGN_CENTER);
    text_init(&out->detail, detail, rect(0, 0, 0, 0), BT_FACE_BOLD, BT_INK_CORNER,
              BT_ALIGN_CENTER);
    if (!(has_text(label) || has_text(value) || has_text(detail)) || f->corner.w <= 0)
        return 0;
    int pad = bt_layout_px(f, 36), gap = bt_layout_px(f, INFO_GAP_PX);
    bt_rect box;
    if (f->landscape) {
        /* Above the portal QR (clear of it by more than the gap between QR and caption), or
         * the whole column without it. */
        int top = f->corner.y + pad;
        int bottom = with_portal_qr ? f->corner_qr.y - bt_layout_px(f, 48)
                                    : f->corner.y + f->corner.h - pad;
        box = rect(f->corner.x + pad, top, f->corner.w - 2 * pad, bottom - top);
    } else {
        if (with_portal_qr)
            return 0; /* the band holds the QR and its caption: no room */
        box = rect(f->margin, f->corner.y + pad, f->width - 2 * f->margin, f->corner.h - 2 * pad);
    }
    if (box.w <= 0 || box.h <= 0)
        return 0;
    /* The logo above the texts in a column, at the left of a band (the texts beside it). */
    bt_rect logo = rect(box.x, box.y, 0, 0);
    if (f->landscape) {
        int lh = bt_layout_px(f, INFO_LOGO_PX) < box.h / 3 ? bt_layout_px(f, INFO_LOGO_PX)
                                                           : box.h / 3;
        logo = fit_aspect(rect(box.x, box.y, box.w, lh), logo_w, logo_h);
        logo.y = box.y;
    } else {
        logo = fit_aspect(rect(box.x, box.y, box.h, box.h), logo_w, logo_h);
        logo.x = box.x;
        if (logo.w > 0) {
            box.x += logo.w + 3 * gap;
            box.w -= logo.w + 3 * gap;
        }
    }
    int y = logo.w > 0 && f->landscape ? logo.y + logo.h + 2 * gap : box.y;
    int room = box.y + box.h - y;
    bt_layout_text *parts[3] = {&out->label, &out->value, &out->detail};
    const char *texts[3] = {label, value, detail};
    const int max[3] = {INFO_LABEL_PX, INFO_VALUE_PX, INFO_DETAIL_PX};
    const int min[3] = {INFO_LABEL_MIN_PX, INFO_VALUE_MIN_PX, INFO_DETAIL_MIN_PX};
    const size_t lines[3] = {2, 1, 3};
    for (int i = 0; i < 3; i++) {
        if (!has_text(texts[i]))
            continue;
        bt_rect b = rect(box.x, y, box.w, room);
        int hi = bt_layout_px(f, max[i]), lo = bt_layout_px(f, min[i]);
        if (i == 1 && !value_px) /* one line as large as the column's width allows */
            hi = size_for_width(fonts, BT_FACE_BOLD, &texts[i], 1, hi, box.w);
        if (value_px)
            lo = hi = i == 1 ? value_px : body_floor(f);
        if (fit_balanced(fonts, texts[i], b, parts[i]->face, lo, hi, lines[i], BT_INK_CORNER,
                         BT_ALIGN_CENTER, parts[i]) != 0)
            return -1;
        if (!parts[i]->fits || parts[i]->line_count == 0)
            return 0; /* cut text on the lobby's side panel reads as broken: none at all */
        text_place(parts[i], y);
        y += parts[i]->box.h + gap;
        room = box.y + box.h - y;
    }
    /* The block centred in its box. */
    int dy = (box.y + box.h - (y - gap)) / 2;
    out->logo = logo;
    if (f->landscape)
        out->logo.y += dy;
    for (int i = 0; i < 3; i++)
        if (has_text(texts[i]))
            parts[i]->box.y += dy;
    out->shown = true;
    return 0;
}

int bt_layout_corner_info_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                                const char *label, const char *value, const char *detail,
                                bool with_portal_qr, int logo_w, int logo_h,
                                bt_layout_corner_info *out)
{
    /* With the logo first; no room for the texts beside it: the texts alone (what they say
     * matters more). Each way on the type scale first, the value a step lower at a time, then
     * at the sizes below the floor it had before the scale. */
    bool logo = logo_w > 0 && logo_h > 0;
    for (int with_logo = logo ? 1 : 0; with_logo >= 0; with_logo--) {
        for (size_t k = 0; k <= f->scale_count; k++) {
            int value_px = k < f->scale_count ? f->scale[k] : 0;
            if (corner_info_place(f, fonts, label, value, detail, with_portal_qr,
                                  with_logo ? logo_w : 0, with_logo ? logo_h : 0, value_px,
                                  out) != 0)
                return -1;
            if (out->shown)
                return 0;
        }
    }
    return 0;
}

/* ---- the staff mark (issue 10) --------------------------------------------------------------- */

/* Lengths at 1080 px of the short side. The line is for a person standing at the screen: about
 * 2 % of a landscape screen's height, half the lobby's 40 px floor, so it never competes with
 * the notices. Where the strip is shallow (portrait, under the corner QR) it may shrink to
 * STAFF_MARK_MIN_SIZE, never below: then there is no mark rather than an illegible one. */
#define STAFF_MARK_SIZE 20
#define STAFF_MARK_MIN_SIZE 16
/* The widest plate: a short line beside the notices, not a banner (~80 characters at 20 px). */
#define STAFF_MARK_MAX_WIDTH 900
/* Kept free between the plate and whatever is above or below it. */
#define STAFF_MARK_CLEARANCE 4
#define STAFF_MARK_PAD_X 12
#define STAFF_MARK_PAD_Y 4
#define STAFF_MARK_DOT_GAP 9
/* The dot's diameter and its centre's height above the baseline, ‰ of the font size: the size
 * of a lowercase letter, centred between the x-height and the capitals. */
#define STAFF_MARK_DOT_PERMILLE 560
#define STAFF_MARK_DOT_RISE_PERMILLE 330

/* The lowest bottom, at most `limit`, of the boxes that reach columns [x0, x1); `top` if none. */
static int lowest_bottom(const bt_rect *boxes, size_t n, int x0, int x1, int top, int limit)
{
    for (size_t i = 0; i < n; i++) {
        bt_rect b = boxes[i];
        if (b.w <= 0 || b.h <= 0 || b.x >= x1 || b.x + b.w <= x0)
            continue;
        int end = b.y + b.h;
        if (end > top && end <= limit)
            top = end;
    }
    return top;
}

int bt_layout_staff_mark_build(const bt_layout_frame *f, const bt_layout_fonts *fonts,
                               const char *text, bt_layout_staff_mark *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return 0;
    /* The strip between the bottom band (or the screen's edge) and everything above it that a
     * slide, idle or not, or the corner may paint: under the notice area and right-aligned with
     * it on a wide screen (the corner column keeps its own bottom); under the corner band, at
     * the right margin, on a tall one. */
    int bottom = f->stage.y + f->stage.h;
    int left = f->margin;
    int right = f->landscape ? f->main.x + f->main.w : f->width - f->margin;
    const bt_rect above[] = {f->header,    f->header_rule,          f->main, f->main_idle,
                             f->corner_qr, f->corner_caption.box};
    int top = lowest_bottom(above, sizeof above / sizeof above[0], left, right, f->stage.y,
                            bottom);
    int clear = bt_layout_px(f, STAFF_MARK_CLEARANCE);
    int room_h = bottom - top - 2 * clear;
    int room_w = right - left;
    if (room_w > bt_layout_px(f, STAFF_MARK_MAX_WIDTH))
        room_w = bt_layout_px(f, STAFF_MARK_MAX_WIDTH);
    int size = bt_layout_px(f, STAFF_MARK_SIZE), min = bt_layout_px(f, STAFF_MARK_MIN_SIZE);
    while (size >= min && bt_layout_line_height(fonts, BT_FACE_REGULAR, size) > room_h)
        size--;
    if (size < min)
        return 0;
    int lh = bt_layout_line_height(fonts, BT_FACE_REGULAR, size);
    int pad_y = bt_layout_px(f, STAFF_MARK_PAD_Y);
    if (lh + 2 * pad_y > room_h)
        pad_y = (room_h - lh) / 2;
    int pad_x = bt_layout_px(f, STAFF_MARK_PAD_X), gap = bt_layout_px(f, STAFF_MARK_DOT_GAP);
    int dot = ceil_permille(size, STAFF_MARK_DOT_PERMILLE);
    int text_max = room_w - 2 * pad_x - dot - gap;
    if (text_max < size)
        return 0;
    if (bt_layout_single_line(fonts, text, rect(0, 0, text_max, lh), BT_FACE_REGULAR, size,
                              BT_INK_CORNER, BT_ALIGN_LEFT, &out->text) != 0)
        return -1;
    if (out->text.line_count == 0)
        return 0;
    int tw = out->text.lines[0].width;
    int w = pad_x + dot + gap + tw + pad_x, h = lh + 2 * pad_y;
    out->plate = rect(right - w, top + clear + (room_h - h) / 2, w, h);
    out->text.box = rect(out->plate.x + pad_x + dot + gap, out->plate.y + pad_y, tw, lh);
    out->text.lines[0].y = 0;
    int centre = out->text.box.y + out->text.baseline -
                 ceil_permille(size, STAFF_MARK_DOT_RISE_PERMILLE);
    out->dot = rect(out->plate.x + pad_x, centre - dot / 2, dot, dot);
    return 0;
}
