/* What a text bulletin is read as (bt_speech_text.h): the text is cut into tokens (words,
 * digit runs, spaces, single symbols) and read left to right; at each token the rules below are
 * tried in order, the first that matches writes its words and consumes its tokens, and anything
 * no rule takes is copied as written for espeak-ng to read.
 *
 * Every word the rules produce comes from the tables in the first section, so a change of usage
 * (say "ngàn" for "nghìn", "lẻ" for "linh") is a change of data; the rules only decide which
 * table entry a token needs. Northern usage throughout: the appliance serves Hanoi wards.
 *
 * Pure: no files, no clock. */
#include "bangtin/bt_speech_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_text.h"

/* ---- the rules' data ---------------------------------------------------------------------- */

static const char *const digit_words[10] = {"không", "một", "hai", "ba", "bốn",
                                            "năm", "sáu", "bảy", "tám", "chín"};

/* The words that make numbers above nine, where Vietnamese changes a digit's name by its
 * place: 10 "mười" but 20 "hai mươi"; 21 "hai mươi mốt" but 11 "mười một"; 15 "mười lăm";
 * 24 "hai mươi tư"; 105 "một trăm linh năm". */
static const struct {
    const char *ten;            /* 10-19: "mười" */
    const char *tens;           /* 20-90: "hai mươi" */
    const char *one_after_tens; /* 21, 31 …: "mốt" */
    const char *four_after_tens;/* 24, 34 …: "tư" (Hanoi); "bốn" in the South */
    const char *five_after_ten; /* 15, 25 …: "lăm" */
    const char *zero_tens;      /* 105: "linh" (Hanoi); "lẻ" in the South */
    const char *hundred;
    const char *comma;          /* decimal comma: "phẩy" */
    const char *dot;            /* "5.2" as numbering: "chấm" */
    const char *per_cent;
    const char *over;           /* "24/7": "trên" */
    const char *to;             /* ranges "2025-2030": "đến" */
} number_words = {"mười", "mươi", "mốt", "tư", "lăm", "linh", "trăm", "phẩy", "chấm",
                  "phần trăm", "trên", "đến"};

/* Groups of three digits, from the units up. Beyond 10^15 digits are read one by one. */
static const char *const scale_words[] = {"", "nghìn", "triệu", "tỷ", "nghìn tỷ"};
#define SCALE_COUNT (sizeof scale_words / sizeof scale_words[0])
#define MAX_NUMBER_DIGITS (3 * SCALE_COUNT)

/* Months are said with their own words: "tháng tư", never "tháng bốn". */
static const char *const month_words[12] = {"một", "hai", "ba", "tư", "năm", "sáu",
                                             "bảy", "tám", "chín", "mười", "mười một",
                                             "mười hai"};

static const struct {
    const char *day;            /* "ngày" */
    const char *early_day;      /* days 1-10: "mồng một" */
    const char *month;          /* "tháng" */
    const char *year;           /* "năm" */
    const char *hour;           /* "giờ" */
    const char *minute;         /* "phút" */
} date_words = {"ngày", "mồng", "tháng", "năm", "giờ", "phút"};

/* Words that already say what follows, so a date after "ngày" does not say "ngày" twice. */
static const char *const day_context[] = {"ngày", "mồng", "mùng"};
static const char *const month_context[] = {"tháng"};
/* A Roman numeral is a number only after these ("Quý IV", "Phần II"); elsewhere "I" and "V"
 * may be letters or words. */
static const char *const roman_context[] = {"quý", "phần", "chương", "mục", "khóa", "khoá"};
static const char *const roman_numerals[] = {"I",   "II", "III", "IV", "V",  "VI",
                                             "VII", "VIII", "IX", "X", "XI", "XII"};
#define ROMAN_COUNT (sizeof roman_numerals / sizeof roman_numerals[0])

typedef struct {
    const char *written;
    const char *said;
} pair;

/* Abbreviations of the ward's documents, matched as written (case and all) as a whole word. */
static const pair abbreviations[] = {
    {"UBND", "Ủy ban nhân dân"},
    {"HĐND", "Hội đồng nhân dân"},
    {"CCHC", "cải cách hành chính"},
    {"TTHC", "thủ tục hành chính"},
    {"DVCTT", "dịch vụ công trực tuyến"},
    {"DVC", "dịch vụ công"},
    {"CĐS", "chuyển đổi số"},
    {"CSDL", "cơ sở dữ liệu"},
    {"CCCD", "căn cước công dân"},
    {"MTTQ", "Mặt trận Tổ quốc"},
    {"BCĐ", "Ban Chỉ đạo"},
    {"CBCCVC", "cán bộ, công chức, viên chức"},
    {"KT-XH", "kinh tế - xã hội"},
    {"ANTT", "an ninh trật tự"},
    {"PCCC", "phòng cháy chữa cháy"},
    {"BHYT", "bảo hiểm y tế"},
    {"BHXH", "bảo hiểm xã hội"},
    {"THCS", "trung học cơ sở"},
    {"THPT", "trung học phổ thông"},
    {"SĐT", "số điện thoại"},
    {"HCC", "hành chính công"},
    {"TP.", "thành phố"},
    {"TP", "thành phố"},
    {"Tp.", "thành phố"},
    {"NĐ-CP", "nghị định của Chính phủ"},
};

/* Units written after a number ("5km", "50.000đ", "3 ha"). */
static const pair units[] = {
    {"km", "ki-lô-mét"}, {"kg", "ki-lô-gam"}, {"m2", "mét vuông"}, {"m²", "mét vuông"},
    {"ha", "héc-ta"},    {"cm", "xăng-ti-mét"}, {"m", "mét"},      {"đ", "đồng"},
    {"VNĐ", "đồng"},     {"VND", "đồng"},
};

/* A document number "30/2020/NĐ-CP" is read "ba mươi năm hai nghìn không trăm hai mươi" and
 * then who issued it, named by the code's last part. */
static const pair issuers[] = {
    {"CP", "của Chính phủ"},
    {"TTg", "của Thủ tướng Chính phủ"},
    {"QH", "của Quốc hội"},
    {"UBND", "của Ủy ban nhân dân"},
    {"HĐND", "của Hội đồng nhân dân"},
    {"BTTTT", "của Bộ Thông tin và Truyền thông"},
    {"BNV", "của Bộ Nội vụ"},
    {"BCA", "của Bộ Công an"},
    {"TW", "của Ban Chấp hành Trung ương"},
};

/* Symbols with a name of their own. */
static const pair symbols[] = {
    {"%", "phần trăm"},
    {"&", "và"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tokens -------------------------------------------------------------------------------- */

typedef enum { TK_WORD, TK_NUM, TK_SPACE, TK_SYM } token_kind;

typedef struct {
    token_kind kind;
    size_t start, len;
    bool newline;        /* a space token holding a line break */
} token;

typedef struct {
    const char *text;
    token *tokens;
    size_t count;
    bt_buf out;
} reader;

static bool is_letter(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return true;
    default:
        return cp == 0xB2; /* "m²": the superscript two belongs to the unit */
    }
}

/* Control characters (a tab, a stray \x01 pasted from a document) say nothing: a space. */
static bool is_space(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return cp == ' ' || c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_CC ||
           c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

static token_kind kind_of(utf8proc_int32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return TK_NUM;
    if (is_letter(cp))
        return TK_WORD;
    return is_space(cp) ? TK_SPACE : TK_SYM;
}

/* Cuts text into tokens; words, digit runs and spaces are runs, a symbol is one code point. */
static int tokenize(reader *r)
{
    size_t cap = 0, pos = 0, len = strlen(r->text);
    while (pos < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)r->text + pos,
                                              (utf8proc_ssize_t)(len - pos), &cp);
        if (n <= 0)
            return -1;
        token_kind k = kind_of(cp);
        token *last = r->count ? &r->tokens[r->count - 1] : NULL;
        if (last && last->kind == k && k != TK_SYM) {
            last->len += (size_t)n;
            last->newline = last->newline || cp == '\n';
        } else {
            token *room = bt_grow(r->tokens, &cap, r->count + 1, sizeof *room);
            if (!room)
                return -1;
            r->tokens = room;
            r->tokens[r->count++] = (token){k, pos, (size_t)n, cp == '\n'};
        }
        pos += (size_t)n;
    }
    return 0;
}

static const token *tok(const reader *r, size_t i)
{
    return i < r->count ? &r->tokens[i] : NULL;
}

static bool tok_is(const reader *r, size_t i, token_kind k)
{
    const token *t = tok(r, i);
    return t && t->kind == k;
}

/* True if token i is the symbol s (one code point). */
static bool tok_sym(const reader *r, size_t i, const char *s)
{
    const token *t = tok(r, i);
    return t && t->kind == TK_SYM && t->len == strlen(s) && memcmp(r->text + t->start, s, t->len) == 0;
}

static bool tok_equals(const reader *r, size_t i, const char *s)
{
    const token *t = tok(r, i);
    return t && t->len == strlen(s) && memcmp(r->text + t->start, s, t->len) == 0;
}

/* A digit run of min..max digits. */
static bool tok_digits(const reader *r, size_t i, size_t min, size_t max)
{
    const token *t = tok(r, i);
    return t && t->kind == TK_NUM && t->len >= min && t->len <= max;
}

/* The value of a digit run of at most 18 digits. */
static uint64_t tok_value(const reader *r, size_t i)
{
    const token *t = tok(r, i);
    uint64_t v = 0;
    for (size_t k = 0; k < t->len && k < 18; k++)
        v = v * 10 + (uint64_t)(r->text[t->start + k] - '0');
    return v;
}

/* The word before token i (one space between at most), casefolded, is one of list. */
static bool word_before_in(const reader *r, size_t i, const char *const *list, size_t count)
{
    if (i > 0 && tok_is(r, i - 1, TK_SPACE) && !tok(r, i - 1)->newline)
        i--;
    if (i == 0 || !tok_is(r, i - 1, TK_WORD))
        return false;
    const token *t = tok(r, i - 1);
    utf8proc_uint8_t *folded = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)r->text + t->start, (utf8proc_ssize_t)t->len,
                     &folded, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE) < 0)
        return false;
    bool found = false;
    for (size_t k = 0; k < count && !found; k++)
        found = strcmp((const char *)folded, list[k]) == 0;
    free(folded);
    return found;
}

/* Of the pairs whose written form starts at byte pos and ends where a word does, the longest;
 * NULL if none. *end receives the byte after it. */
static const pair *match_at(const reader *r, size_t pos, const pair *table, size_t count,
                            size_t *end)
{
    const pair *best = NULL;
    size_t best_len = 0, len = strlen(r->text);
    for (size_t k = 0; k < count; k++) {
        size_t n = strlen(table[k].written);
        if (n <= best_len || pos + n > len || memcmp(r->text + pos, table[k].written, n) != 0)
            continue;
        utf8proc_int32_t cp = 0;
        if (pos + n < len &&
            utf8proc_iterate((const utf8proc_uint8_t *)r->text + pos + n,
                             (utf8proc_ssize_t)(len - pos - n), &cp) > 0 &&
            (kind_of(cp) == TK_WORD || kind_of(cp) == TK_NUM))
            continue; /* "TPHCM" is not "TP" followed by something */
        best = &table[k];
        best_len = n;
    }
    if (best)
        *end = pos + best_len;
    return best;
}

/* The index of the token that starts at byte pos (SIZE_MAX if none does). */
static size_t token_at(const reader *r, size_t from, size_t pos)
{
    for (size_t i = from; i < r->count; i++) {
        if (r->tokens[i].start == pos)
            return i;
        if (r->tokens[i].start > pos)
            break;
    }
    return pos >= strlen(r->text) ? r->count : SIZE_MAX;
}

/* ---- saying ------------------------------------------------------------------------------- */

/* Words are written with a space on each side; the last pass makes one space of each run. */
static void say(reader *r, const char *words)
{
    bt_buf_add(&r->out, " ", 1);
    bt_buf_str(&r->out, words);
    bt_buf_add(&r->out, " ", 1);
}

/* 0-999 as a group of a longer number. full: a group after a higher one, which says its
 * hundreds even when they are nought ("hai nghìn không trăm linh năm"). */
static void say_triple(reader *r, unsigned n, bool full)
{
    unsigned h = n / 100, t = n / 10 % 10, u = n % 10;
    bool hundreds = h > 0 || full;
    if (hundreds) {
        say(r, digit_words[h]);
        say(r, number_words.hundred);
    }
    if (t == 0) {
        if (u == 0)
            return;
        if (hundreds)
            say(r, number_words.zero_tens);
        say(r, digit_words[u]);
        return;
    }
    if (t == 1) {
        say(r, number_words.ten);
        if (u == 5)
            say(r, number_words.five_after_ten);
        else if (u)
            say(r, digit_words[u]);
        return;
    }
    say(r, digit_words[t]);
    say(r, number_words.tens);
    if (u == 1)
        say(r, number_words.one_after_tens);
    else if (u == 4)
        say(r, number_words.four_after_tens);
    else if (u == 5)
        say(r, number_words.five_after_ten);
    else if (u)
        say(r, digit_words[u]);
}

static void say_integer(reader *r, uint64_t v)
{
    if (v == 0) {
        say(r, digit_words[0]);
        return;
    }
    unsigned groups[SCALE_COUNT];
    size_t n = 0;
    for (; v > 0 && n < SCALE_COUNT; v /= 1000)
        groups[n++] = (unsigned)(v % 1000);
    for (size_t g = n; g-- > 0;) {
        if (groups[g] == 0)
            continue; /* "một triệu" for 1 000 000: empty groups are not said */
        say_triple(r, groups[g], g + 1 < n);
        if (scale_words[g][0])
            say(r, scale_words[g]);
    }
}

static void say_digits(reader *r, const char *s, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (s[k] >= '0' && s[k] <= '9')
            say(r, digit_words[s[k] - '0']);
}

/* A digit run as a number, or digit by digit when too long for one. */
static void say_run(reader *r, size_t i)
{
    const token *t = tok(r, i);
    if (t->len > MAX_NUMBER_DIGITS)
        say_digits(r, r->text + t->start, t->len);
    else
        say_integer(r, tok_value(r, i));
}

/* A fraction after the comma: "2,5" "hai phẩy năm", "2,25" "hai phẩy hai mươi lăm", but
 * "2,05" "hai phẩy không năm". */
static void say_fraction(reader *r, size_t i)
{
    const token *t = tok(r, i);
    if (r->text[t->start] == '0' || t->len > MAX_NUMBER_DIGITS)
        say_digits(r, r->text + t->start, t->len);
    else
        say_integer(r, tok_value(r, i));
}

static void say_day(reader *r, unsigned day, bool after_day_word)
{
    if (!after_day_word)
        say(r, date_words.day);
    if (day <= 10)
        say(r, date_words.early_day);
    say_integer(r, day);
}

static void say_month(reader *r, unsigned month, bool after_month_word)
{
    if (!after_month_word)
        say(r, date_words.month);
    say(r, month_words[month - 1]);
}

/* ---- rules at a digit run ------------------------------------------------------------------ */

static bool valid_day_month(unsigned d, unsigned m)
{
    static const unsigned days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

/* "10/10/2025", "1-10-2025", "01.10.2025": one separator, used twice. */
static size_t rule_date(reader *r, size_t i)
{
    const char *seps[] = {"/", "-", "."};
    if (!tok_digits(r, i, 1, 2) || !tok_digits(r, i + 2, 1, 2) || !tok_digits(r, i + 4, 4, 4))
        return 0;
    for (size_t s = 0; s < COUNT(seps); s++) {
        if (!tok_sym(r, i + 1, seps[s]) || !tok_sym(r, i + 3, seps[s]))
            continue;
        unsigned d = (unsigned)tok_value(r, i), m = (unsigned)tok_value(r, i + 2);
        if (!valid_day_month(d, m) || tok_is(r, i + 5, TK_NUM) || tok_is(r, i + 5, TK_WORD))
            return 0;
        say_day(r, d, word_before_in(r, i, day_context, COUNT(day_context)));
        say_month(r, m, false);
        say(r, date_words.year);
        say_integer(r, tok_value(r, i + 4));
        return 5;
    }
    return 0;
}

/* The issuer named by a code's last part (token last): the pair, or NULL. */
static const pair *issuer_of(const reader *r, size_t last)
{
    for (size_t k = 0; k < COUNT(issuers); k++)
        if (tok_equals(r, last, issuers[k].written))
            return &issuers[k];
    return NULL;
}

/* "30/2020/NĐ-CP", "39/2020/TT-BTTTT": number, year, then a code of words joined by '-'. */
static size_t rule_document(reader *r, size_t i)
{
    if (!tok_is(r, i, TK_NUM) || !tok_sym(r, i + 1, "/") || !tok_digits(r, i + 2, 4, 4) ||
        !tok_sym(r, i + 3, "/") || !tok_is(r, i + 4, TK_WORD))
        return 0;
    size_t last = i + 4;
    while (tok_sym(r, last + 1, "-") && tok_is(r, last + 2, TK_WORD))
        last += 2;
    if (tok_is(r, last + 1, TK_NUM))
        return 0;
    say_run(r, i);
    say(r, date_words.year);
    say_integer(r, tok_value(r, i + 2));
    const pair *who = issuer_of(r, last);
    if (who) {
        say(r, who->said);
    } else {
        /* An issuer the table does not know: its letters as written, for espeak to spell. */
        const token *a = tok(r, i + 4), *z = tok(r, last);
        bt_buf_add(&r->out, " ", 1);
        bt_buf_add(&r->out, r->text + a->start, z->start + z->len - a->start);
        bt_buf_add(&r->out, " ", 1);
    }
    return last + 1 - i;
}

/* "10/2025" (month and year), said "tháng mười năm …". */
static size_t rule_month_year(reader *r, size_t i)
{
    if (!tok_digits(r, i, 1, 2) || !tok_sym(r, i + 1, "/") || !tok_digits(r, i + 2, 4, 4) ||
        tok_sym(r, i + 3, "/"))
        return 0;
    unsigned m = (unsigned)tok_value(r, i);
    if (m < 1 || m > 12)
        return 0;
    say_month(r, m, word_before_in(r, i, month_context, COUNT(month_context)));
    say(r, date_words.year);
    say_integer(r, tok_value(r, i + 2));
    return 3;
}

/* "01/10" (two digits each) or "1/10" after "ngày": a day and a month. "1/2" alone stays a
 * fraction. */
static size_t rule_day_month(reader *r, size_t i)
{
    if (!tok_digits(r, i, 1, 2) || !tok_sym(r, i + 1, "/") || !tok_digits(r, i + 2, 1, 2) ||
        tok_sym(r, i + 3, "/"))
        return 0;
    unsigned d = (unsigned)tok_value(r, i), m = (unsigned)tok_value(r, i + 2);
    bool after_day = word_before_in(r, i, day_context, COUNT(day_context));
    bool two_digits = tok(r, i)->len == 2 && tok(r, i + 2)->len == 2;
    if (!valid_day_month(d, m) || !(two_digits || after_day))
        return 0;
    say_day(r, d, after_day);
    say_month(r, m, false);
    return 3;
}

static void say_time(reader *r, unsigned h, unsigned m)
{
    say_integer(r, h);
    say(r, date_words.hour);
    if (m > 0) {
        say_integer(r, m);
        say(r, date_words.minute);
    }
}

/* "07:30", "7h30", "7h", "7g30". */
static size_t rule_time(reader *r, size_t i)
{
    if (!tok_digits(r, i, 1, 2))
        return 0;
    unsigned h = (unsigned)tok_value(r, i);
    if (h > 24)
        return 0;
    if (tok_sym(r, i + 1, ":") && tok_digits(r, i + 2, 2, 2) && !tok_sym(r, i + 3, ":")) {
        unsigned m = (unsigned)tok_value(r, i + 2);
        if (m > 59)
            return 0;
        say_time(r, h, m);
        return 3;
    }
    if (tok_equals(r, i + 1, "h") || tok_equals(r, i + 1, "g") || tok_equals(r, i + 1, "H")) {
        if (tok_digits(r, i + 2, 2, 2) && !tok_is(r, i + 3, TK_WORD)) {
            unsigned m = (unsigned)tok_value(r, i + 2);
            if (m > 59)
                return 0;
            say_time(r, h, m);
            return 3;
        }
        if (!tok_is(r, i + 2, TK_NUM)) {
            say_time(r, h, 0);
            return 2;
        }
    }
    return 0;
}

/* Telephone numbers and codes written with a leading nought ("0243 825 3536", "05"): digit by
 * digit, through groups joined by one space or a dot. */
static size_t rule_leading_zero(reader *r, size_t i)
{
    const token *t = tok(r, i);
    if (t->len < 2 || r->text[t->start] != '0')
        return 0;
    size_t used = 1, digits = t->len;
    say_digits(r, r->text + t->start, t->len);
    while ((tok_sym(r, i + used, ".") ||
            (tok_is(r, i + used, TK_SPACE) && tok(r, i + used)->len == 1 &&
             r->text[tok(r, i + used)->start] == ' ')) &&
           tok_is(r, i + used + 1, TK_NUM) && digits + tok(r, i + used + 1)->len <= 15 &&
           digits >= 4) {
        const token *g = tok(r, i + used + 1);
        say_digits(r, r->text + g->start, g->len);
        digits += g->len;
        used += 2;
    }
    return used;
}

/* "1.000.000", "1.234,5", "2,5", "5.2", "2025": a number, with its fraction if any. */
static size_t rule_number(reader *r, size_t i)
{
    size_t used = 1;
    if (tok_digits(r, i, 1, 3) && tok_sym(r, i + 1, ".") && tok_digits(r, i + 2, 3, 3)) {
        /* Dots between groups of three: thousands, as Vietnamese writes them. */
        uint64_t v = tok_value(r, i);
        size_t groups = 1;
        while (tok_sym(r, i + used, ".") && tok_digits(r, i + used + 1, 3, 3) &&
               groups < SCALE_COUNT) {
            v = v * 1000 + tok_value(r, i + used + 1);
            used += 2;
            groups++;
        }
        say_integer(r, v);
    } else {
        say_run(r, i);
    }
    if (tok_sym(r, i + used, ",") && tok_is(r, i + used + 1, TK_NUM)) {
        say(r, number_words.comma);
        say_fraction(r, i + used + 1);
        used += 2;
    } else if (tok_sym(r, i + used, ".") && tok_is(r, i + used + 1, TK_NUM)) {
        say(r, number_words.dot);
        say_fraction(r, i + used + 1);
        used += 2;
    } else {
        /* "24/7", or a date that is not one ("31/02/2025"): read as written, "trên" between. */
        while (tok_sym(r, i + used, "/") && tok_is(r, i + used + 1, TK_NUM)) {
            say(r, number_words.over);
            say_run(r, i + used + 1);
            used += 2;
        }
    }
    return used;
}

/* After a number: "%", or a unit written on it or one space after it. */
static size_t rule_after_number(reader *r, size_t i)
{
    if (tok_sym(r, i, "%")) {
        say(r, number_words.per_cent);
        return 1;
    }
    size_t at = i;
    if (tok_is(r, at, TK_SPACE) && !tok(r, at)->newline && tok(r, at)->len == 1)
        at++;
    if (!tok_is(r, at, TK_WORD))
        return 0;
    size_t end;
    const pair *u = match_at(r, tok(r, at)->start, units, COUNT(units), &end);
    size_t next = u ? token_at(r, at, end) : SIZE_MAX;
    if (!u || next == SIZE_MAX)
        return 0;
    say(r, u->said);
    return next - i;
}

/* Any number rule at token i; 0 if it is not a digit run. */
static size_t rule_at_number(reader *r, size_t i)
{
    size_t (*const rules[])(reader *, size_t) = {rule_date,  rule_document,     rule_month_year,
                                                 rule_day_month, rule_time, rule_leading_zero,
                                                 rule_number};
    for (size_t k = 0; k < COUNT(rules); k++) {
        size_t used = rules[k](r, i);
        if (used)
            return used;
    }
    return 0;
}

/* ---- rules at a word or symbol -------------------------------------------------------------- */

static size_t rule_abbreviation(reader *r, size_t i)
{
    size_t end;
    const pair *a = match_at(r, tok(r, i)->start, abbreviations, COUNT(abbreviations), &end);
    size_t next = a ? token_at(r, i, end) : SIZE_MAX;
    if (!a || next == SIZE_MAX)
        return 0;
    say(r, a->said);
    return next - i;
}

static size_t rule_roman(reader *r, size_t i)
{
    if (!word_before_in(r, i, roman_context, COUNT(roman_context)))
        return 0;
    for (size_t k = 0; k < ROMAN_COUNT; k++) {
        if (tok_equals(r, i, roman_numerals[k])) {
            say_integer(r, k + 1);
            return 1;
        }
    }
    return 0;
}

/* A dash between two numbers is a range: "2025-2030", "07:30 – 11:30". */
static size_t rule_range(reader *r, size_t i, bool after_number)
{
    if (!after_number || !(tok_sym(r, i, "-") || tok_sym(r, i, "–") || tok_sym(r, i, "—")))
        return 0;
    size_t next = i + 1;
    if (tok_is(r, next, TK_SPACE) && !tok(r, next)->newline)
        next++;
    if (!tok_is(r, next, TK_NUM))
        return 0;
    say(r, number_words.to);
    return next - i;
}

static size_t rule_symbol(reader *r, size_t i)
{
    for (size_t k = 0; k < COUNT(symbols); k++) {
        if (tok_sym(r, i, symbols[k].written)) {
            say(r, symbols[k].said);
            return 1;
        }
    }
    return 0;
}

/* ---- the walk -------------------------------------------------------------------------------- */

static bool ends_sentence(const bt_buf *b)
{
    for (size_t k = b->len; k-- > 0;) {
        char c = b->data[k];
        if (c == ' ')
            continue;
        return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ',';
    }
    return true;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* One space for each run of spaces; none at either end, before closing punctuation or a
 * closing quote, or after an opening bracket or quote. */
static char *tidy(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool space = false;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == ' ') {
            space = true;
            continue;
        }
        bool closing = strchr(".,;:!?)", s[k]) != NULL || starts_with(s + k, "”");
        bool after_opening = (o >= 1 && out[o - 1] == '(') ||
                             (o >= strlen("“") && memcmp(out + o - strlen("“"), "“",
                                                         strlen("“")) == 0);
        if (space && o > 0 && !closing && !after_opening)
            out[o++] = ' ';
        space = false;
        out[o++] = s[k];
    }
    out[o] = '\0';
    return out;
}

static void copy_token(reader *r, size_t i)
{
    const token *t = tok(r, i);
    if (t->kind == TK_SPACE) {
        /* A line break ends what came before: a heading without a full stop would otherwise
         * run into the next line in one breath. */
        if (t->newline && !ends_sentence(&r->out))
            bt_buf_str(&r->out, ".");
        bt_buf_add(&r->out, " ", 1);
        return;
    }
    bt_buf_add(&r->out, r->text + t->start, t->len);
}

char *bt_speech_text_normalise(const char *text)
{
    if (!text || strlen(text) > BT_SPEECH_MAX_TEXT_BYTES)
        return NULL;
    char *nfc = bt_text_nfc(text);
    if (!nfc)
        return NULL;
    reader r = {nfc, NULL, 0, {0}};
    char *result = NULL;
    if (tokenize(&r) != 0)
        goto done;
    bool after_number = false;
    for (size_t i = 0; i < r.count;) {
        size_t used = 0;
        bool number = false;
        switch (r.tokens[i].kind) {
        case TK_NUM:
            used = rule_at_number(&r, i);
            number = true;
            break;
        case TK_WORD:
            if (after_number && (used = rule_after_number(&r, i)) != 0)
                break;
            if ((used = rule_abbreviation(&r, i)) != 0)
                break;
            number = (used = rule_roman(&r, i)) != 0;
            break;
        case TK_SPACE:
            if (after_number && (used = rule_after_number(&r, i)) != 0)
                break;
            if (after_number && tok_is(&r, i + 1, TK_SYM)) {
                /* "2025 - 2030": the space before a range's dash belongs to the range. */
                size_t range = rule_range(&r, i + 1, true);
                if (range) {
                    used = range + 1;
                    break;
                }
            }
            break;
        case TK_SYM:
            if (after_number)
                used = rule_after_number(&r, i);
            if (!used)
                used = rule_range(&r, i, after_number);
            if (!used)
                used = rule_symbol(&r, i);
            break;
        }
        if (!used) {
            copy_token(&r, i);
            used = 1;
            /* A space keeps a number's claim on a following unit or range dash. */
            number = after_number && r.tokens[i].kind == TK_SPACE && !r.tokens[i].newline;
        }
        after_number = number;
        i += used;
    }
    if (!r.out.failed && r.out.data)
        result = tidy(r.out.data);
    else if (!r.out.failed)
        result = calloc(1, 1);
done:
    free(r.out.data);
    free(r.tokens);
    free(nfc);
    return result;
}

/* ---- names ----------------------------------------------------------------------------------- */

bt_speech_params bt_speech_default_params(int loudness_target_lufs)
{
    return (bt_speech_params){BT_SPEECH_VOICE, BT_SPEECH_RATE_WPM, loudness_target_lufs};
}

void bt_speech_text_hash(const char *text, char hex[BT_SHA256_HEX_SIZE])
{
    bt_sha256_hex(text ? text : "", text ? strlen(text) : 0, hex);
}

void bt_speech_key(const char *text, const bt_speech_params *p, char hex[BT_SHA256_HEX_SIZE])
{
    char head[256];
    size_t len = text ? strlen(text) : 0;
    /* Each field on its own line and the text last with its length, so no two inputs serialise
     * alike. */
    int n = snprintf(head, sizeof head,
                     "bangtin speech v1\nvoice=%s\nrate=%d\nrules=%d\nloudness=%d\ntext=%zu:",
                     p->voice ? p->voice : "", p->rate_wpm, BT_SPEECH_RULES_VERSION,
                     p->loudness_target_lufs, len);
    bt_sha256 h;
    bt_sha256_init(&h);
    bt_sha256_update(&h, head, n > 0 && (size_t)n < sizeof head ? (size_t)n : 0);
    bt_sha256_update(&h, text ? text : "", len);
    bt_sha256_final_hex(&h, hex);
}
