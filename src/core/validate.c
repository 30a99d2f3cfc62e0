/* The shared toolkit of the playlist validators (see validate.h): reporting, key tables with
 * suggestions, and the readers of the values that several groups of playlist.cfg share, each
 * with one set of Vietnamese messages. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "validate.h"

/* ---- reporting ---------------------------------------------------------------------------- */

void bt_validate_report(bt_validator *v, bt_diag_severity sev, int line, const char *fmt, ...)
{
    char msg[BT_MAX_DIAG_MESSAGE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == BT_DIAG_ERROR)
        v->errors++;
    bt_diags_add(v->diags, sev, v->file, line, "%s", msg);
}

void bt_validate_no_memory(bt_validator *v, int line)
{
    if (!v->out_of_memory)
        bt_validate_report(v, BT_DIAG_ERROR, line, "%s", v->no_memory);
    else
        v->errors++;
    v->out_of_memory = true;
}

const char *bt_validate_echo(const char *s, char *buf, size_t size)
{
    size_t n = 0, i = 0, limit = size - sizeof "…";
    bool valid = bt_text_utf8_valid(s, strlen(s));
    if (limit > BT_VALIDATE_ECHO_MAX_BYTES)
        limit = BT_VALIDATE_ECHO_MAX_BYTES;
    while (s[i] != '\0') {
        unsigned char ch = (unsigned char)s[i];
        size_t len = 1;
        if (valid && ch >= 0xF0)
            len = 4;
        else if (valid && ch >= 0xE0)
            len = 3;
        else if (valid && ch >= 0xC0)
            len = 2;
        if (n + len > limit) {
            memcpy(buf + n, "…", sizeof "…");
            return buf;
        }
        if (len > 1)
            memcpy(buf + n, s + i, len);
        else
            buf[n] = (ch >= 0x20 && ch < 0x7F) ? (char)ch : '?';
        n += len;
        i += len;
    }
    buf[n] = '\0';
    return buf;
}

char *bt_validate_copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

const char *bt_validate_string(const bt_node *node)
{
    return node->string_value ? node->string_value : "";
}

/* ---- suggestions -------------------------------------------------------------------------- */

char bt_validate_lower_ascii(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

bool bt_validate_ascii_iequal(const char *a, const char *b)
{
    while (*a && *b && bt_validate_lower_ascii(*a) == bt_validate_lower_ascii(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Edit distance with adjacent transpositions ("form" → "from" is one edit), case-insensitive.
 * Names longer than an id (BT_MAX_ID_BYTES) are never close to anything we suggest. */
static size_t edit_distance(const char *a, const char *b)
{
    enum { MAX_LEN = 64 };
    size_t la = strlen(a), lb = strlen(b);
    size_t d[MAX_LEN + 1][MAX_LEN + 1];
    if (la > MAX_LEN || lb > MAX_LEN)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            char ai = bt_validate_lower_ascii(a[i - 1]), bj = bt_validate_lower_ascii(b[j - 1]);
            size_t cost = ai == bj ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ai == bt_validate_lower_ascii(b[j - 2]) &&
                bt_validate_lower_ascii(a[i - 2]) == bj && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* Whether name is close enough to candidate to be a typo, and closer than *best_distance. */
static bool closer(const char *name, const char *candidate, size_t *best_distance)
{
    size_t allowed = strlen(candidate) >= 6 ? 2 : 1;
    size_t dist = edit_distance(name, candidate);
    if (dist > allowed || dist >= *best_distance)
        return false;
    *best_distance = dist;
    return true;
}

const char *bt_validate_nearest(const char *name, const char *const *candidates, size_t count)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    for (size_t i = 0; i < count; i++)
        if (candidates[i] && closer(name, candidates[i], &best_distance))
            best = candidates[i];
    return best;
}

static const char *nearest_key(const char *name, const bt_key_spec *keys, size_t count)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    for (size_t i = 0; i < count; i++)
        if (closer(name, keys[i].name, &best_distance))
            best = keys[i].name;
    return best;
}

const bt_key_spec *bt_validate_find_key(const char *name, const bt_key_spec *keys, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

const char *bt_validate_key_list(const bt_key_spec *keys, size_t count, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", keys[i].name);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

/* A case slip first (the most likely mistake), then what the level knows about keys that belong
 * elsewhere, then a typo, and at last the list of keys the level takes. */
static void report_unknown_key(bt_validator *v, const bt_node *node, const bt_key_level *level)
{
    const char *name = node->name ? node->name : "";
    char shown[BT_VALIDATE_SHOWN_BYTES], list[256];
    const char *guess = nearest_key(name, level->keys, level->count);
    bt_validate_echo(name, shown, sizeof shown);

    if (guess && bt_validate_ascii_iequal(guess, name))
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"? (tên khoá viết "
                           "bằng chữ thường)",
                           shown, guess);
    else if (level->misplaced && level->misplaced(v, node, shown, level))
        return;
    else if (guess)
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"?", shown, guess);
    else
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không hợp lệ — %s chỉ dùng các khoá: %s", shown,
                           level->who,
                           bt_validate_key_list(level->keys, level->count, list, sizeof list));
}

void bt_validate_scan_group(bt_validator *v, const bt_node *group, const bt_key_level *level,
                            const bt_node **found)
{
    for (size_t i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        const bt_key_spec *spec =
            child->name ? bt_validate_find_key(child->name, level->keys, level->count) : NULL;
        if (!spec) {
            report_unknown_key(v, child, level);
            continue;
        }
        size_t k = (size_t)(spec - level->keys);
        if (found[k]) {
            /* libconfig refuses this already; other tree producers might not. */
            bt_validate_report(v, BT_DIAG_ERROR, child->line,
                               "khoá \"%s\" xuất hiện hai lần (lần đầu ở dòng %d) — giữ lại một "
                               "dòng",
                               spec->name, found[k]->line);
            continue;
        }
        found[k] = child;
    }
}

bool bt_validate_check_type(bt_validator *v, const bt_key_spec *spec, const bt_node *node)
{
    if (BT_NODE_BIT(node->type) & spec->accepts)
        return true;
    bt_validate_report(v, BT_DIAG_ERROR, node->line,
                       "khoá \"%s\" phải là %s, nhưng đang là %s — ví dụ: %s", spec->name,
                       bt_node_type_vi(spec->type), bt_node_type_vi(node->type), spec->example);
    return false;
}

void bt_validate_report_missing(bt_validator *v, int line, const char *label,
                                const bt_key_spec *spec)
{
    bt_validate_report(v, BT_DIAG_ERROR, line,
                       "%s thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s", label,
                       spec->name, spec->what, spec->example);
}

/* ---- strings ------------------------------------------------------------------------------ */

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

void bt_validate_trim_in_place(char *s)
{
    size_t len = strlen(s), start = 0;
    while (start < len && is_space(s[start]))
        start++;
    while (len > start && is_space(s[len - 1]))
        len--;
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
}

bool bt_validate_trimmed_copy(const char *s, size_t s_len, char *buf, size_t size)
{
    size_t start = 0, end = s_len;
    while (start < end && is_space(s[start]))
        start++;
    while (end > start && is_space(s[end - 1]))
        end--;
    if (end - start >= size)
        return false;
    memcpy(buf, s + start, end - start);
    buf[end - start] = '\0';
    return true;
}

bool bt_validate_require_utf8(bt_validator *v, const bt_node *node, const char *where)
{
    const char *s = bt_validate_string(node);
    if (bt_text_utf8_valid(s, strlen(s)))
        return true;
    bt_validate_report(v, BT_DIAG_ERROR, node->line,
                       "%s có chữ không đúng bảng mã UTF-8 — có lẽ tệp được lưu bằng bảng mã "
                       "khác (ANSI, TCVN3, VNI); hãy mở tệp bằng Notepad, chọn \"Lưu thành…\" và "
                       "chọn Mã hoá \"UTF-8\"",
                       where);
    return false;
}

const char *bt_validate_where(const bt_node *node, const char *element, char *buf, size_t size)
{
    if (node->name)
        snprintf(buf, size, "khoá \"%s\"", node->name);
    else
        snprintf(buf, size, "%s", element);
    return buf;
}

/* ---- texts, ids, words -------------------------------------------------------------------- */

int bt_validate_take_text(bt_validator *v, const bt_node *node, const bt_text_rule *rule,
                          char **out)
{
    char where[128];
    bt_validate_where(node, rule->element ? rule->element : rule->what, where, sizeof where);
    *out = NULL;
    if (!bt_validate_require_utf8(v, node, where))
        return -1;
    char *text = bt_text_nfc(bt_validate_string(node));
    if (!text) {
        bt_validate_no_memory(v, node->line);
        return -1;
    }
    bt_validate_trim_in_place(text);
    size_t len = strlen(text);
    if (len == 0) {
        free(text);
        if (rule->optional) {
            bt_validate_report(v, BT_DIAG_WARNING, node->line,
                               "%s (%s) để trống nên sẽ bị bỏ qua — xoá dòng này nếu không dùng",
                               where, rule->what);
            return 0;
        }
        bt_validate_report(v, BT_DIAG_ERROR, node->line, "%s (%s) đang để trống — %s", where,
                           rule->what, rule->if_empty ? rule->if_empty : "hãy điền nội dung");
        return -1;
    }
    if (len > rule->max_bytes) {
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s (%s) quá dài: %zu ký tự (%zu byte), tối đa %zu byte — %s", where,
                           rule->what, bt_text_codepoints(text), len, rule->max_bytes,
                           rule->if_long ? rule->if_long : "hãy rút gọn");
        free(text);
        return -1;
    }
    *out = text;
    return 0;
}

/* An id and the NUL; a suggestion is cut to this. */
#define SLUG_BYTES (BT_MAX_ID_BYTES + 1)

static bool is_slug_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* A valid id made from what the staff member wrote: "Thông Báo 1" → "thong-bao-1". Empty if
 * nothing usable remains. */
static void slug_suggestion(const char *s, char *buf, size_t size)
{
    utf8proc_uint8_t *folded = NULL;
    size_t n = 0;
    buf[0] = '\0';
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                        UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                            UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                            UTF8PROC_CASEFOLD);
    if (len < 0)
        return;
    for (utf8proc_ssize_t i = 0; i < len && n + 1 < size; i++) {
        unsigned char ch = folded[i];
        char out;
        if (ch == 0xC4 && i + 1 < len && folded[i + 1] == 0x91) {
            out = 'd'; /* đ has no decomposition: it is its own letter */
            i++;
        } else if (is_slug_char((char)ch)) {
            out = (char)ch;
        } else {
            out = '-';
        }
        if (out == '-' && (n == 0 || buf[n - 1] == '-'))
            continue;
        buf[n++] = out;
    }
    while (n > 0 && buf[n - 1] == '-')
        n--;
    buf[n] = '\0';
    free(folded);
}

int bt_validate_take_id(bt_validator *v, const bt_node *node, const char *what, size_t max_bytes,
                        const char *example, char **out)
{
    char where[128], shown[BT_VALIDATE_SHOWN_BYTES], slug[SLUG_BYTES], key[BT_MAX_ID_BYTES + 16];
    const char *s = bt_validate_string(node);
    size_t len = strlen(s);
    *out = NULL;
    if (!bt_validate_require_utf8(v, node, bt_validate_where(node, what, where, sizeof where)))
        return -1;
    if (len == 0) {
        /* An element of a list has no key of its own to name. */
        if (node->name)
            snprintf(key, sizeof key, " (khoá \"%s\")", node->name);
        else
            key[0] = '\0';
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s%s đang để trống — hãy đặt một mã gồm chữ thường không dấu a-z, "
                           "chữ số 0-9, \"-\" hoặc \"_\", ví dụ \"%s\"",
                           what, key, example);
        return -1;
    }
    if (len > max_bytes) {
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s \"%s\" quá dài (%zu byte, tối đa %zu) — hãy đặt mã ngắn hơn", what,
                           bt_validate_echo(s, shown, sizeof shown), len, max_bytes);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (is_slug_char(s[i]))
            continue;
        slug_suggestion(s, slug, sizeof slug);
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "%s \"%s\" có ký tự không được phép — chỉ dùng chữ thường không dấu "
                           "a-z, chữ số 0-9, dấu gạch ngang \"-\" và gạch dưới \"_\"%s%s%s",
                           what, bt_validate_echo(s, shown, sizeof shown),
                           slug[0] ? ", ví dụ \"" : "", slug, slug[0] ? "\"" : "");
        return -1;
    }
    *out = bt_validate_copy_string(s);
    if (!*out) {
        bt_validate_no_memory(v, node->line);
        return -1;
    }
    return 0;
}

int bt_validate_take_topics(bt_validator *v, const bt_node *node, const char *example,
                            char **out)
{
    char joined[BT_MAX_TOPICS_BYTES + 1] = "", what[48], shown[BT_VALIDATE_SHOWN_BYTES];
    size_t len = 0;
    bool ok = true;
    *out = NULL;
    if (node->type == BT_NODE_STRING)
        return bt_validate_take_id(v, node, "chủ đề", BT_MAX_TOPIC_BYTES, example, out);
    if (node->child_count == 0) {
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "danh sách chủ đề (khoá \"%s\") đang trống — ghi ít nhất một chủ đề, "
                           "ví dụ topic = [\"cchc\", \"dich-vu-cong\"]; hoặc bỏ khoá này",
                           node->name ? node->name : "topic");
        return -1;
    }
    if (node->child_count > BT_MAX_TOPICS) {
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "có %zu chủ đề, nhiều nhất %d — hãy giữ những chủ đề chính mà chỉ tiêu "
                           "cần đếm",
                           node->child_count, BT_MAX_TOPICS);
        return -1;
    }
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *el = &node->children[i];
        char *id = NULL;
        snprintf(what, sizeof what, "chủ đề thứ %zu", i + 1);
        if (el->type != BT_NODE_STRING) {
            bt_validate_report(v, BT_DIAG_ERROR, el->line ? el->line : node->line,
                               "%s đang là %s — mỗi chủ đề là một mã trong dấu ngoặc kép, ví dụ "
                               "topic = [\"cchc\", \"dich-vu-cong\"];",
                               what, bt_node_type_vi(el->type));
            ok = false;
            continue;
        }
        if (bt_validate_take_id(v, el, what, BT_MAX_TOPIC_BYTES, example, &id) != 0) {
            ok = false;
            continue;
        }
        if (bt_topics_has(joined, id)) {
            bt_validate_report(v, BT_DIAG_WARNING, el->line ? el->line : node->line,
                               "chủ đề \"%s\" được ghi hai lần — chỉ cần ghi một lần",
                               bt_validate_echo(id, shown, sizeof shown));
        } else {
            /* Fits: at most BT_MAX_TOPICS ids of at most BT_MAX_TOPIC_BYTES, 2 bytes apart. */
            len += (size_t)snprintf(joined + len, sizeof joined - len, "%s%s", len ? ", " : "",
                                    id);
        }
        free(id);
    }
    if (!ok)
        return -1;
    *out = bt_validate_copy_string(joined);
    if (!*out) {
        bt_validate_no_memory(v, node->line);
        return -1;
    }
    return 0;
}

int bt_validate_take_word(bt_validator *v, const bt_node *node, const char *const *words,
                          size_t count, const char *what, const char *choices, int *out)
{
    char where[128], shown[BT_VALIDATE_SHOWN_BYTES], hint[96] = "";
    const char *s = bt_validate_string(node);
    if (!bt_validate_require_utf8(v, node, bt_validate_where(node, what, where, sizeof where)))
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(s, words[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    const char *guess = bt_validate_nearest(s, words, count);
    if (guess)
        snprintf(hint, sizeof hint, "có phải ý bạn là \"%s\"? ", guess);
    bt_validate_report(v, BT_DIAG_ERROR, node->line, "%s \"%s\" không hợp lệ — %s%s", what,
                       bt_validate_echo(s, shown, sizeof shown), hint, choices);
    return -1;
}

/* ---- dates -------------------------------------------------------------------------------- */

bool bt_validate_digit_run(const char **p, int min, int max, int *value)
{
    int n = 0, v = 0;
    while ((*p)[n] >= '0' && (*p)[n] <= '9') {
        if (n < 9)
            v = v * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n < min || n > max)
        return false;
    *p += n;
    *value = v;
    return true;
}

static bool is_date_separator(char ch)
{
    return ch == '/' || ch == '-' || ch == '.';
}

bool bt_validate_loose_date(const char *s, int *year, int *month, int *day, bool *year_first)
{
    const char *p = s;
    int a, b, y;
    bool ignored;
    if (!year_first)
        year_first = &ignored;
    *year_first = false;
    if (bt_validate_digit_run(&p, 4, 4, &y) && is_date_separator(*p)) {
        p++;
        if (!bt_validate_digit_run(&p, 1, 2, month) || !is_date_separator(*p))
            return false;
        p++;
        *year = y;
        *year_first = true;
        return bt_validate_digit_run(&p, 1, 2, day) && *p == '\0';
    }
    p = s;
    if (!bt_validate_digit_run(&p, 1, 2, &a) || !is_date_separator(*p))
        return false;
    p++;
    if (!bt_validate_digit_run(&p, 1, 2, &b) || !is_date_separator(*p))
        return false;
    p++;
    if (!bt_validate_digit_run(&p, 4, 4, &y) || *p != '\0')
        return false;
    *day = a;
    *month = b;
    *year = y;
    return true;
}

int bt_validate_take_date(bt_validator *v, const bt_node *node, bt_day *out)
{
    char where[128], token[BT_VALIDATE_TOKEN_BYTES], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *s = bt_validate_string(node);
    int year, month, day;
    if (!bt_validate_require_utf8(v, node, bt_validate_where(node, "ngày", where, sizeof where)))
        return -1;
    bool fits = bt_validate_trimmed_copy(s, strlen(s), token, sizeof token);
    if (fits && bt_time_parse_date(token, out) == 0)
        return 0;
    bt_validate_echo(s, shown, sizeof shown);
    if (!fits || !bt_validate_loose_date(token, &year, &month, &day, NULL))
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không đúng dạng — hãy viết dd/mm/yyyy (ví dụ "
                           "\"31/12/2025\") hoặc yyyy-mm-dd (ví dụ \"2025-12-31\")",
                           shown);
    else if (month < 1 || month > 12)
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không tồn tại — tháng phải từ 1 đến 12 (viết ngày trước, "
                           "tháng sau: dd/mm/yyyy)",
                           shown);
    else if (day < 1 || day > bt_time_days_in_month(year, month))
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không tồn tại — tháng %d năm %d chỉ có %d ngày", shown,
                           month, year, bt_time_days_in_month(year, month));
    else
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không đúng dạng — hãy viết \"%02d/%02d/%04d\" "
                           "(dd/mm/yyyy) hoặc \"%04d-%02d-%02d\" (yyyy-mm-dd)",
                           shown, day, month, year, year, month, day);
    return -1;
}

/* ---- weekdays ----------------------------------------------------------------------------- */

const char *const bt_validate_weekday_codes[7] = {"T2", "T3", "T4", "T5", "T6", "T7", "CN"};

int bt_validate_weekday_index(const char *token)
{
    for (int i = 0; i < 7; i++)
        if (bt_validate_ascii_iequal(token, bt_validate_weekday_codes[i]))
            return i;
    return -1;
}

bool bt_validate_next_piece(const char **p, char *buf, size_t size, bool *more)
{
    const char *start = *p;
    const char *comma = strchr(start, ',');
    size_t len = comma ? (size_t)(comma - start) : strlen(start);
    *p = comma ? comma + 1 : start + len;
    *more = comma != NULL;
    return bt_validate_trimmed_copy(start, len, buf, size);
}

static void report_bad_weekday(bt_validator *v, int line, const char *token)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_validate_report(v, BT_DIAG_ERROR, line,
                       "thứ \"%s\" không hợp lệ — dùng T2, T3, T4, T5, T6, T7 hoặc CN; ví dụ "
                       "\"T2-T6\" hoặc \"T2,T4,CN\"",
                       bt_validate_echo(token, shown, sizeof shown));
}

/* One weekday list item ("T2" or "T2-T6") into *mask; false after reporting a problem. */
static bool weekday_item(bt_validator *v, int line, char *item, bool wrap_hint, uint8_t *mask)
{
    char *dash = strchr(item, '-');
    if (!dash) {
        int day = bt_validate_weekday_index(item);
        if (day < 0) {
            report_bad_weekday(v, line, item);
            return false;
        }
        *mask |= (uint8_t)(1u << day);
        return true;
    }
    char first[BT_VALIDATE_TOKEN_BYTES], last[BT_VALIDATE_TOKEN_BYTES];
    *dash = '\0';
    bool ok = bt_validate_trimmed_copy(item, strlen(item), first, sizeof first) &&
              bt_validate_trimmed_copy(dash + 1, strlen(dash + 1), last, sizeof last);
    *dash = '-';
    int a = ok ? bt_validate_weekday_index(first) : -1;
    int b = ok ? bt_validate_weekday_index(last) : -1;
    if (!ok) {
        report_bad_weekday(v, line, item);
        return false;
    }
    if (a < 0 || b < 0) {
        if (a < 0)
            report_bad_weekday(v, line, first);
        if (b < 0)
            report_bad_weekday(v, line, last);
        return false;
    }
    if (a > b && !wrap_hint) {
        char shown[BT_VALIDATE_SHOWN_BYTES];
        bt_validate_report(v, BT_DIAG_ERROR, line,
                           "khoảng thứ \"%s\" bị ngược — tuần tính từ T2 đến CN nên thứ đầu "
                           "khoảng phải sớm hơn thứ cuối (ví dụ \"T2-T6\")",
                           bt_validate_echo(item, shown, sizeof shown));
        return false;
    }
    if (a > b) {
        char part1[16], part2[16], shown[BT_VALIDATE_SHOWN_BYTES];
        snprintf(part1, sizeof part1, a == 6 ? "CN" : "%s-CN", bt_validate_weekday_codes[a]);
        snprintf(part2, sizeof part2, b == 0 ? "T2" : "T2-%s", bt_validate_weekday_codes[b]);
        bt_validate_report(
            v, BT_DIAG_ERROR, line,
            "khoảng thứ \"%s\" bị ngược — tuần tính từ T2 đến CN nên thứ đầu khoảng phải sớm "
            "hơn thứ cuối (ví dụ \"T2-T6\"); nếu muốn vắt qua cuối tuần (từ %s đến %s tuần sau), "
            "hãy viết \"%s,%s\"",
            bt_validate_echo(item, shown, sizeof shown), bt_validate_weekday_codes[a],
            bt_validate_weekday_codes[b], part1, part2);
        return false;
    }
    for (int d = a; d <= b; d++)
        *mask |= (uint8_t)(1u << d);
    return true;
}

int bt_validate_take_weekdays(bt_validator *v, const bt_node *node, const char *if_empty,
                              bool wrap_hint, uint8_t *out)
{
    char where[128], item[BT_VALIDATE_TOKEN_BYTES], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *p = bt_validate_string(node);
    uint8_t mask = 0;
    bool ok = true, extra_comma = false;
    if (!bt_validate_require_utf8(v, node, bt_validate_where(node, "", where, sizeof where)))
        return -1;
    if (bt_validate_trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        bt_validate_report(v, BT_DIAG_ERROR, node->line, "%s", if_empty);
        return -1;
    }
    for (;;) {
        bool more;
        bool fits = bt_validate_next_piece(&p, item, sizeof item, &more);
        if (!fits) {
            report_bad_weekday(v, node->line, "…");
            ok = false;
        } else if (item[0] == '\0') {
            if (!extra_comma) /* once for the whole list, however many commas are extra */
                bt_validate_report(v, BT_DIAG_ERROR, node->line,
                                   "danh sách thứ \"%s\" có dấu phẩy thừa — ví dụ đúng: "
                                   "\"T2,T4,CN\"",
                                   bt_validate_echo(bt_validate_string(node), shown,
                                                    sizeof shown));
            ok = false;
            extra_comma = true;
        } else if (!weekday_item(v, node->line, item, wrap_hint, &mask)) {
            ok = false;
        }
        if (!more)
            break;
    }
    if (!ok)
        return -1;
    *out = mask;
    return 0;
}

/* ---- clock times -------------------------------------------------------------------------- */

bt_clock_status bt_validate_clock_minutes(const char *s, bool is_end, int *minutes)
{
    const char *p = s;
    int hour, minute;
    if (!bt_validate_digit_run(&p, 1, 2, &hour) || *p != ':')
        return BT_CLOCK_SHAPE;
    p++;
    if (!bt_validate_digit_run(&p, 2, 2, &minute) || *p != '\0')
        return BT_CLOCK_SHAPE;
    if (hour == 24 && minute == 0) {
        if (!is_end)
            return BT_CLOCK_24_START;
        *minutes = 1440;
        return BT_CLOCK_OK;
    }
    if (minute > 59 || hour > 23)
        return BT_CLOCK_RANGE;
    *minutes = hour * 60 + minute;
    return BT_CLOCK_OK;
}

const char *bt_validate_hhmm_text(int minutes, char *buf, size_t size)
{
    snprintf(buf, size, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

bool bt_validate_clock_span(char *span, bt_clock_span *out)
{
    char *dash = strchr(span, '-');
    memset(out, 0, sizeof *out);
    out->start_status = out->end_status = BT_CLOCK_SHAPE;
    if (!dash)
        return false;
    *dash = '\0';
    bool ok = bt_validate_trimmed_copy(span, strlen(span), out->first, sizeof out->first) &&
              bt_validate_trimmed_copy(dash + 1, strlen(dash + 1), out->last, sizeof out->last);
    *dash = '-';
    if (ok) {
        out->start_status = bt_validate_clock_minutes(out->first, false, &out->start);
        out->end_status = bt_validate_clock_minutes(out->last, true, &out->end);
    }
    return true;
}
