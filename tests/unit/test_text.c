/* Text: UTF-8 validation, NFC, BOM, wrapping with a fake monospace measurer, and auto-fit.
 * The fake font gives every visible character `size` pixels and combining marks none, so at
 * size 10 a line of max_width 100 holds exactly ten characters. */
#include "bt_test_support.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_text.h"
#include "../../src/core/vi_compounds.h"

typedef struct {
    int calls;
    int fail_after; /* fail on this call (1-based); 0 never */
} fake_font;

/* U+0300..U+036F (lead bytes CC/CD) are the combining marks our tests use. */
static int mono_measure(void *ctx, int size, const char *s, size_t len)
{
    fake_font *font = ctx;
    size_t i;
    int chars = 0;
    if (font) {
        font->calls++;
        if (font->fail_after && font->calls >= font->fail_after)
            return -1;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c == 0xCC || c == 0xCD)
            continue;
        chars++;
    }
    return chars * size;
}

/* Copies line i of a wrap result out of the source text (static buffer, test use only). */
static const char *line_text(const char *text, const bt_text_wrap_result *r, size_t i)
{
    static char buf[512];
    size_t len = r->lines[i].length;
    assert_true(i < r->line_count);
    assert_true(len < sizeof(buf));
    memcpy(buf, text + r->lines[i].start, len);
    buf[len] = '\0';
    return buf;
}

/* Properties every wrap must have: whole characters, no trailing space, width as measured. */
static void check_lines_sane(const char *text, const bt_text_wrap_result *r, int size)
{
    size_t i;
    int widest = 0;
    for (i = 0; i < r->line_count; i++) {
        const char *s = text + r->lines[i].start;
        size_t len = r->lines[i].length;
        assert_true(bt_text_utf8_valid(s, len));
        if (len > 0) {
            assert_true(s[len - 1] != ' ');
            assert_true(s[0] != ' ');
            /* never starts with a combining mark (cut from its base letter) */
            assert_false((unsigned char)s[0] == 0xCC || (unsigned char)s[0] == 0xCD);
        }
        assert_int_equal(r->lines[i].width, mono_measure(NULL, size, s, len));
        if (r->lines[i].width > widest)
            widest = r->lines[i].width;
    }
    assert_int_equal(r->widest, widest);
}

static void expect_lines(const char *text, int max_width, const char *const *expected, size_t n)
{
    bt_text_wrap_result r;
    size_t i;
    assert_int_equal(bt_text_wrap(text, 10, max_width, mono_measure, NULL, &r), 0);
    check_lines_sane(text, &r, 10);
    for (i = 0; i < n && i < r.line_count; i++)
        assert_string_equal(line_text(text, &r, i), expected[i]);
    assert_int_equal(r.line_count, n);
    assert_true(r.fits);
    assert_true(r.widest <= max_width);
}

static void test_utf8_valid(void **state)
{
    static const char overlong_slash[] = {(char)0xC0, (char)0xAF};
    static const char overlong3[] = {(char)0xE0, (char)0x80, (char)0xAF};
    static const char overlong4[] = {(char)0xF0, (char)0x80, (char)0x80, (char)0xAF};
    static const char surrogate[] = {(char)0xED, (char)0xA0, (char)0x80};
    static const char too_big[] = {(char)0xF4, (char)0x90, (char)0x80, (char)0x80};
    static const char truncated[] = {'a', (char)0xE1, (char)0xBB};
    static const char lone_cont[] = {'a', (char)0x80, 'b'};
    static const char ff[] = {(char)0xFF};
    static const char bad_cont[] = {(char)0xE1, (char)0xBB, 'a'};
    static const char max_cp[] = {(char)0xF4, (char)0x8F, (char)0xBF, (char)0xBF};
    const char *vi = "Cải cách hành chính: ệ ặ ổ ữ Ữ Đ";
    (void)state;
    assert_true(bt_text_utf8_valid(vi, strlen(vi)));
    assert_true(bt_text_utf8_valid("", 0));
    assert_true(bt_text_utf8_valid("😀 QR", strlen("😀 QR")));
    assert_true(bt_text_utf8_valid(max_cp, sizeof(max_cp)));
    assert_false(bt_text_utf8_valid("ab\0cd", 5)); /* NUL inside */
    assert_false(bt_text_utf8_valid(overlong_slash, sizeof(overlong_slash)));
    assert_false(bt_text_utf8_valid(overlong3, sizeof(overlong3)));
    assert_false(bt_text_utf8_valid(overlong4, sizeof(overlong4)));
    assert_false(bt_text_utf8_valid(surrogate, sizeof(surrogate)));
    assert_false(bt_text_utf8_valid(too_big, sizeof(too_big)));
    assert_false(bt_text_utf8_valid(truncated, sizeof(truncated)));
    assert_false(bt_text_utf8_valid(lone_cont, sizeof(lone_cont)));
    assert_false(bt_text_utf8_valid(ff, sizeof(ff)));
    assert_false(bt_text_utf8_valid(bad_cont, sizeof(bad_cont)));
    /* A length that ends inside "ệ" is a truncated sequence. */
    assert_false(bt_text_utf8_valid("ệ", 2));
    assert_false(bt_text_utf8_valid(NULL, 0));
}

static void test_nfc(void **state)
{
    /* "Nghị quyết" as macOS saves it: i + U+0323 (dot below); e + U+0302 (circumflex) + U+0301
     * (acute). Written as bytes so the decomposition is visible. */
    static const char nfd[] = {'N',        'g',        'h',        'i', (char)0xCC, (char)0xA3,
                               ' ',        'q',        'u',        'y', 'e',        (char)0xCC,
                               (char)0x82, (char)0xCC, (char)0x81, 't', '\0'};
    static const char bad[] = {'a', (char)0xC0, (char)0xAF, '\0'};
    char *out;
    (void)state;
    assert_int_equal(strlen(nfd), 16);
    out = bt_text_nfc(nfd);
    assert_non_null(out);
    assert_string_equal(out, "Nghị quyết");
    assert_int_equal(strlen(out), strlen("Nghị quyết"));
    free(out);

    out = bt_text_nfc("Thông tin CCHC phường Bạch Mai");
    assert_non_null(out);
    assert_string_equal(out, "Thông tin CCHC phường Bạch Mai");
    free(out);

    out = bt_text_nfc("");
    assert_non_null(out);
    assert_string_equal(out, "");
    free(out);

    assert_null(bt_text_nfc(bad));
    assert_null(bt_text_nfc(NULL));

    /* Visible characters: the decomposed and composed forms count the same. */
    assert_int_equal(bt_text_codepoints(nfd), 10);
    assert_int_equal(bt_text_codepoints("Nghị quyết"), 10);
    assert_int_equal(bt_text_codepoints(""), 0);
}

static void test_bom(void **state)
{
    static const char with_bom[] = {(char)0xEF, (char)0xBB, (char)0xBF, 'i', 'd', '\0'};
    (void)state;
    assert_int_equal(bt_text_bom_length(with_bom, 5), 3);
    assert_int_equal(bt_text_bom_length(with_bom, 2), 0);
    assert_int_equal(bt_text_bom_length("id = 1;", 7), 0);
    assert_int_equal(bt_text_bom_length("", 0), 0);
}

static void test_wrap_words(void **state)
{
    /* "Dịch vụ công" is one word (vi_compounds.c) but wider than 100 px: "dịch vụ" stays */
    static const char *const expected[] = {"Nộp hồ sơ", "trực tuyến", "tại Cổng", "Dịch vụ",
                                           "công"};
    static const char *const spaced[] = {"Một", "hai ba", "bốn"};
    (void)state;
    expect_lines("Nộp hồ sơ trực tuyến tại Cổng Dịch vụ công", 100, expected, 5);
    /* Runs of spaces never start or end a line. */
    expect_lines("  Một      hai ba   bốn   ", 60, spaced, 3);
}

static void test_wrap_forced_newlines(void **state)
{
    static const char *const expected[] = {"Dòng một", "Dòng hai", "", "Dòng bốn"};
    static const char *const trimmed[] = {"abc", "xyz"};
    static const char *const crlf[] = {"Thứ Hai", "Thứ Ba"};
    static const char *const wrapped_para[] = {"một hai", "ba", "bốn"};
    (void)state;
    expect_lines("Dòng một\nDòng hai\n\nDòng bốn", 1000, expected, 4);
    expect_lines("abc   \nxyz\n", 1000, trimmed, 2);
    expect_lines("Thứ Hai\r\nThứ Ba", 1000, crlf, 2);
    /* A forced break does not disturb wrapping inside each paragraph. */
    expect_lines("một hai ba\nbốn", 70, wrapped_para, 3);
}

static void test_wrap_long_url(void **state)
{
    static const char *const url[] = {"https://", "dichvucong.gov.", "vn/p/home/dvc-",
                                      "trang-chu.html"};
    /* A break after punctuation is preferred even when more letters would fit. */
    static const char *const with_words[] = {"Truy cập",   "https://",   "dichvucong.",
                                             "hanoi.gov.", "vn?a=1&b=2", "nhé"};
    static const char *const plain[] = {"aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"};
    (void)state;
    expect_lines("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html", 150, url, 4);
    expect_lines("Truy cập https://dichvucong.hanoi.gov.vn?a=1&b=2 nhé", 120, with_words, 6);
    /* No punctuation: broken between characters, as full as possible. */
    expect_lines("aaaaaaaaaaaaaaaaaaaaaaaaa", 100, plain, 3);
}

/* Compound words stay on one line (vi_compounds.c): the whole compound moves to the next
 * line, the longest listed one wins, case and trailing punctuation do not matter, and one wider
 * than a line breaks like plain words. (mono_measure: 10 px a character at size 10.) */
static void test_wrap_keeps_compounds(void **state)
{
    static const char *const portal[] = {"Cổng", "Dịch vụ công"};
    static const char *const city[] = {"Dịch vụ công trực", "tuyến Thành phố Hà", "Nội"};
    static const char *const city_kept[] = {"Dịch vụ công", "trực tuyến", "Thành phố Hà Nội"};
    static const char *const staff[] = {"Mời gặp", "cán bộ,", "công chức"};
    static const char *const narrow[] = {"thành", "phố"};
    (void)state;
    /* "Cổng Dịch vụ" would fit 120 px; "Dịch / vụ công" would split the word */
    expect_lines("Cổng Dịch vụ công", 120, portal, 2);
    /* without the list a greedy break would give "city"; the list gives "city_kept" */
    (void)city;
    expect_lines("Dịch vụ công trực tuyến Thành phố Hà Nội", 180, city_kept, 3);
    /* "cán bộ," ends at its comma: "bộ, công" is no compound; "công chức" is one */
    expect_lines("Mời gặp cán bộ, công chức", 120, staff, 3);
    /* a compound wider than the line breaks between its syllables */
    expect_lines("thành phố", 60, narrow, 2);
}

/* The word list as the build sorted it: lower case, NFC, two to five syllables with one space
 * between, no duplicates, in strcmp order (the wrapper searches it with bsearch). */
static void test_compound_list(void **state)
{
    (void)state;
    assert_true(bt_vi_compound_count >= 100);
    for (size_t i = 0; i < bt_vi_compound_count; i++) {
        const char *w = bt_vi_compounds[i];
        char *nfc = bt_text_nfc(w), *upper = bt_text_upper(w);
        assert_non_null(nfc);
        assert_string_equal(nfc, w);
        assert_string_not_equal(upper, w); /* it has letters */
        free(nfc);
        free(upper);
        size_t spaces = 0;
        for (const char *p = w; *p; p++)
            if (*p == ' ') {
                spaces++;
                assert_true(p > w && p[1] && p[1] != ' ');
            }
        assert_true(spaces >= 1 && spaces <= 4);
        if (i)
            assert_true(strcmp(bt_vi_compounds[i - 1], w) < 0);
    }
}

/* A decomposed long word: each "ệ" is e + two marks; a break never lands before a mark. */
static void test_wrap_keeps_marks(void **state)
{
    static const char e_nfd[] = {'e', (char)0xCC, (char)0xA3, (char)0xCC, (char)0x82};
    char text[12 * sizeof(e_nfd) + 1];
    bt_text_wrap_result r;
    size_t i;
    (void)state;
    for (i = 0; i < 12; i++)
        memcpy(text + i * sizeof(e_nfd), e_nfd, sizeof(e_nfd));
    text[sizeof(text) - 1] = '\0';
    assert_int_equal(bt_text_wrap(text, 10, 50, mono_measure, NULL, &r), 0);
    check_lines_sane(text, &r, 10);
    assert_int_equal(r.line_count, 3);
    assert_int_equal(r.lines[0].length, 5 * sizeof(e_nfd));
    assert_int_equal(r.lines[1].length, 5 * sizeof(e_nfd));
    assert_int_equal(r.lines[2].length, 2 * sizeof(e_nfd));
    assert_int_equal(r.lines[0].width, 50);
    assert_true(r.fits);

    /* Precomposed 3-byte letters are never split either. */
    assert_int_equal(bt_text_wrap("ệệệệệệệ", 10, 30, mono_measure, NULL, &r), 0);
    check_lines_sane("ệệệệệệệ", &r, 10);
    assert_int_equal(r.line_count, 3);
    assert_int_equal(r.lines[0].length, 9);
}

static void test_wrap_limits(void **state)
{
    bt_text_wrap_result r;
    char many[400];
    size_t i;
    fake_font font = {0, 0};
    (void)state;
    /* 100 one-letter words at one per line: capped at BT_TEXT_MAX_LINES, reported as not fitting. */
    for (i = 0; i < 100; i++) {
        many[i * 2] = 'a';
        many[i * 2 + 1] = ' ';
    }
    many[199] = '\0';
    assert_int_equal(bt_text_wrap(many, 10, 15, mono_measure, NULL, &r), 0);
    assert_int_equal(r.line_count, BT_TEXT_MAX_LINES);
    assert_false(r.fits);

    /* Narrower than one character: still progresses one character per line, flagged. */
    assert_int_equal(bt_text_wrap("ab", 10, 5, mono_measure, NULL, &r), 0);
    assert_int_equal(r.line_count, 2);
    assert_string_equal(line_text("ab", &r, 1), "b");
    assert_int_equal(r.widest, 10);
    assert_false(r.fits);

    /* Empty text: no lines, fits. */
    assert_int_equal(bt_text_wrap("", 10, 100, mono_measure, NULL, &r), 0);
    assert_int_equal(r.line_count, 0);
    assert_true(r.fits);

    /* Measuring fails: -1 and an empty result. */
    font.fail_after = 3;
    assert_int_equal(bt_text_wrap("một hai ba bốn năm", 10, 1000, mono_measure, &font, &r), -1);
    assert_int_equal(r.line_count, 0);
    assert_int_equal(bt_text_wrap(NULL, 10, 100, mono_measure, NULL, &r), -1);
    assert_int_equal(bt_text_wrap("a", 10, 0, mono_measure, NULL, &r), -1);
}

/* True if a line ends inside a word at a letter (not a space, "\n" or URL punctuation). */
static bool cuts_word(const char *text, const bt_text_wrap_result *r)
{
    size_t i;
    for (i = 0; i + 1 < r->line_count; i++) {
        size_t end = r->lines[i].start + r->lines[i].length;
        if (text[end] != ' ' && text[end] != '\n' && !strchr("/.-?&=", text[end - 1]))
            return true;
    }
    return false;
}

/* Brute force: the largest size in [min, max] whose wrap fits the box without cutting a word,
 * else the largest that fits with cuts, else 0. */
static int brute_force_fit(const char *text, int min, int max, int w, int h, int permille)
{
    int size, cut_fit = 0;
    bt_text_wrap_result r;
    for (size = max; size >= min; size--) {
        int line_h = (size * permille + 999) / 1000;
        assert_int_equal(bt_text_wrap(text, size, w, mono_measure, NULL, &r), 0);
        if (r.fits && (long)r.line_count * line_h <= h) {
            if (!cuts_word(text, &r))
                return size;
            if (!cut_fit)
                cut_fit = size;
        }
    }
    return cut_fit;
}

static void test_fit(void **state)
{
    bt_text_fit_result f;
    const char *title = "Thông tin cải cách hành chính phường Bạch Mai, xem tại "
                        "https://bachmai.hanoi.gov.vn/cchc-cds";
    int h, w;
    (void)state;
    /* "aaaa bbbb" at size s: one line is 9s wide, two lines need 4s each. */
    assert_int_equal(bt_text_fit("aaaa bbbb", 5, 100, 100, 60, 1200, mono_measure, NULL, &f), 0);
    assert_int_equal(f.size, 25); /* two lines of 30 px */
    assert_true(f.fits);
    assert_int_equal(f.wrap.line_count, 2);
    assert_int_equal(f.wrap.widest, 100);
    assert_int_equal(bt_text_fit("aaaa bbbb", 5, 100, 100, 20, 1200, mono_measure, NULL, &f), 0);
    assert_int_equal(f.size, 11); /* one line: 99 px wide, 14 px tall */
    assert_int_equal(f.wrap.line_count, 1);
    assert_int_equal(f.wrap.lines[0].width, 99);
    /* max_size itself is chosen when it fits. */
    assert_int_equal(bt_text_fit("ab", 5, 40, 1000, 1000, 1200, mono_measure, NULL, &f), 0);
    assert_int_equal(f.size, 40);

    /* A smaller size that keeps words whole beats a larger one that cuts "Ngh|ị": at 20 px
     * "quyết" is exactly 100 px; at 50 px it would need five cut lines, which also fit. */
    assert_int_equal(bt_text_fit("Nghị quyết", 5, 50, 100, 1000, 1200, mono_measure, NULL, &f),
                     0);
    assert_int_equal(f.size, 20);
    assert_true(f.fits);
    assert_int_equal(f.wrap.line_count, 2);
    /* A word longer than the box even at min_size: cutting it is accepted, largest size wins. */
    assert_int_equal(bt_text_fit("aaaa", 5, 50, 10, 1000, 1200, mono_measure, NULL, &f), 0);
    assert_true(f.fits);
    assert_int_equal(f.size, 10); /* one letter per line */
    assert_int_equal(f.wrap.line_count, 4);

    /* Nothing fits: reported, laid out at min_size. */
    assert_int_equal(bt_text_fit("aaaa", 5, 50, 10, 10, 1200, mono_measure, NULL, &f), 0);
    assert_false(f.fits);
    assert_int_equal(f.size, 5);
    assert_int_equal(f.wrap.line_count, 2);

    /* Against brute force over many boxes. */
    for (w = 100; w <= 1000; w += 150) {
        for (h = 20; h <= 400; h += 23) {
            int expect = brute_force_fit(title, 8, 120, w, h, 1250);
            assert_int_equal(bt_text_fit(title, 8, 120, w, h, 1250, mono_measure, NULL, &f), 0);
            if (expect) {
                assert_true(f.fits);
                assert_int_equal(f.size, expect);
                check_lines_sane(title, &f.wrap, f.size);
                assert_true(f.wrap.widest <= w);
                assert_true((long)f.wrap.line_count * ((f.size * 1250 + 999) / 1000) <= h);
            } else {
                assert_false(f.fits);
                assert_int_equal(f.size, 8);
            }
        }
    }

    /* Bad arguments. */
    assert_int_equal(bt_text_fit(title, 20, 10, 100, 100, 1200, mono_measure, NULL, &f), -1);
    assert_int_equal(bt_text_fit(title, 0, 10, 100, 100, 1200, mono_measure, NULL, &f), -1);
    assert_int_equal(bt_text_fit(NULL, 1, 10, 100, 100, 1200, mono_measure, NULL, &f), -1);
}

static void test_fit_measure_failure(void **state)
{
    bt_text_fit_result f;
    fake_font font = {0, 5};
    (void)state;
    assert_int_equal(
        bt_text_fit("một hai ba bốn năm sáu", 8, 80, 200, 200, 1200, mono_measure, &font, &f), -1);
    assert_int_equal(f.size, 0);
    assert_int_equal(f.wrap.line_count, 0);
}

/* Counts as Vietnamese writes them: dots between thousands ("44.640"), nothing under 1 000. */
static void test_count_groups_thousands_with_dots(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(bt_text_count(0, buf, sizeof buf), "0");
    assert_string_equal(bt_text_count(999, buf, sizeof buf), "999");
    assert_string_equal(bt_text_count(1000, buf, sizeof buf), "1.000");
    assert_string_equal(bt_text_count(44640, buf, sizeof buf), "44.640");
    assert_string_equal(bt_text_count(1234567, buf, sizeof buf), "1.234.567");
    assert_string_equal(bt_text_count(-1200, buf, sizeof buf), "-1.200");
    assert_string_equal(bt_text_count(-9223372036854775807LL - 1, buf, sizeof buf),
                        "-9.223.372.036.854.775.808");
    char small[4];
    assert_string_equal(bt_text_count(44640, small, sizeof small), "44."); /* cut, NUL-ended */
}

/* Capitals for a document's masthead: every Vietnamese letter keeps its marks, precomposed. */
static void test_upper(void **state)
{
    (void)state;
    char *u = bt_text_upper("Ủy ban nhân dân phường Bạch Mai, quận Hai Bà Trưng");
    assert_string_equal(u, "ỦY BAN NHÂN DÂN PHƯỜNG BẠCH MAI, QUẬN HAI BÀ TRƯNG");
    free(u);
    u = bt_text_upper("đường ơ ư ỹ ữ ặ 12/BC-ubnd");
    assert_string_equal(u, "ĐƯỜNG Ơ Ư Ỹ Ữ Ặ 12/BC-UBND");
    free(u);
    u = bt_text_upper("");
    assert_string_equal(u, "");
    free(u);
    assert_null(bt_text_upper("\xff\xfe"));
    assert_null(bt_text_upper(NULL));
}

/* A cut for the screen never splits a letter: "Phường" is P h ư(2 bytes) ờ(3 bytes) n g. */
static void test_clip(void **state)
{
    (void)state;
    char out[32];
    const char *s = "Phường Phường Phường";
    assert_string_equal(bt_text_clip("Bạch Mai", out, sizeof out), "Bạch Mai");
    /* 17 bytes: room for 13 bytes of text, "…" (3) and the NUL. Byte 13 is the second byte of
     * the second word's "ư": the cut backs off to before it. */
    assert_string_equal(bt_text_clip(s, out, 17), "Phường Ph…");
    /* 14 bytes leave 10: byte 10 starts the second word; the space before it is dropped. */
    assert_string_equal(bt_text_clip(s, out, 14), "Phường…");
    /* Every size from 0 up: valid UTF-8, within the buffer, a prefix of the text plus "…". */
    for (size_t size = 1; size <= strlen(s) + 1; size++) {
        char buf[64];
        bt_text_clip(s, buf, size);
        size_t len = strlen(buf);
        assert_true(len < size);
        assert_true(bt_text_utf8_valid(buf, len));
        if (size > strlen(s))
            assert_string_equal(buf, s);
        else if (len > 0)
            assert_memory_equal(buf + len - 3, "…", 3);
    }
    char none[1] = {'x'};
    assert_string_equal(bt_text_clip(s, none, sizeof none), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_groups_thousands_with_dots),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_wrap_words),
        cmocka_unit_test(test_wrap_forced_newlines),
        cmocka_unit_test(test_wrap_long_url),
        cmocka_unit_test(test_wrap_keeps_marks),
        cmocka_unit_test(test_wrap_keeps_compounds),
        cmocka_unit_test(test_compound_list),
        cmocka_unit_test(test_wrap_limits),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_fit_measure_failure),
        cmocka_unit_test(test_upper),
        cmocka_unit_test(test_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
