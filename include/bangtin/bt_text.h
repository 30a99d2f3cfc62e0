/* Text: UTF-8 validation, NFC normalisation, word wrapping and auto-fit.
 * Wrapping is pure: the caller supplies a measuring function (the ui room wraps SDL_ttf). */
#ifndef BT_TEXT_H
#define BT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True if the bytes are well-formed UTF-8 with no NUL and no overlong forms. */
bool bt_text_utf8_valid(const char *s, size_t len);
/* Returns a malloc'd NFC copy (caller frees), or NULL if the input is not valid UTF-8. */
char *bt_text_nfc(const char *s);
/* A malloc'd copy in capitals, letter by letter ("phường Bạch Mai" → "PHƯỜNG BẠCH MAI": an
 * official document's masthead), or NULL if the input is not valid UTF-8. NFC in, NFC out:
 * Vietnamese letters keep their precomposed form. */
char *bt_text_upper(const char *s);
/* Strips a leading UTF-8 BOM in place by returning the offset past it (0 or 3). */
size_t bt_text_bom_length(const char *s, size_t len);
/* Counts user-visible characters (grapheme clusters approximated by code points not marks). */
size_t bt_text_codepoints(const char *s);
/* s copied into out (size bytes with the NUL), cut at a character boundary with "…" when it
 * does not fit, never inside a UTF-8 sequence: a line for the screen that a cut would otherwise
 * end with a broken letter. Returns out. */
char *bt_text_clip(const char *s, char *out, size_t size);
/* A count as Vietnamese writes it, dots between groups of three: 44640 → "44.640", -1200 →
 * "-1.200". Returns buf. */
const char *bt_text_count(long long v, char *buf, size_t size);

/* Width in pixels of s[0..len) at font size `size`; returns < 0 on failure. */
typedef int (*bt_text_measure_fn)(void *ctx, int size, const char *s, size_t len);

typedef struct {
    size_t start, length; /* byte span in the source text, trailing spaces trimmed */
    int width;            /* measured pixels */
} bt_text_line;

#define BT_TEXT_MAX_LINES 64

typedef struct {
    bt_text_line lines[BT_TEXT_MAX_LINES];
    size_t line_count;
    int widest;
    bool fits;            /* every piece fitted in max_width and line_count within the limit */
} bt_text_wrap_result;

/* Breaks text into lines no wider than max_width, at spaces; an explicit "\n" starts a new line;
 * a single token wider than the line (a long URL) is broken after '/', '.', '-', '?', '&' or, as
 * a last resort, between characters. Returns 0, or -1 if measuring failed. */
int bt_text_wrap(const char *text, int size, int max_width, bt_text_measure_fn measure,
                 void *ctx, bt_text_wrap_result *out);
/* The same, keeping whole every listed compound no wider than keep_width (≥ max_width), even
 * where that makes a line too wide (fits = false) or cuts the compound between letters: a block
 * balanced to a narrower measure than its box breaks no compound that the box holds. */
int bt_text_wrap_keeping(const char *text, int size, int max_width, int keep_width,
                         bt_text_measure_fn measure, void *ctx, bt_text_wrap_result *out);

typedef struct {
    int size;             /* chosen font size in px */
    bool fits;            /* false: even at min_size it does not fit (shown at min_size) */
    bt_text_wrap_result wrap;
} bt_text_fit_result;

/* The largest size in [min_size, max_size] at which text wraps into max_width and its lines
 * (line_height(size) px each, supplied as a ratio ×1000 of size) fit max_height. */
int bt_text_fit(const char *text, int min_size, int max_size, int max_width, int max_height,
                int line_height_permille, bt_text_measure_fn measure, void *ctx,
                bt_text_fit_result *out);

#endif
