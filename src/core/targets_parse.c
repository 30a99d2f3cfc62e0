/* The `targets` list of playlist.cfg: the ward plan's targets, validated like the notices and
 * the broadcasts (playlist.c, broadcast.c): the tree is walked once and EVERY problem is reported
 * with file, line and a Vietnamese message saying what is wrong and how to fix it. Keys are
 * described once, in a table; unknown-key suggestions and "missing key" examples come from it.
 * The small helpers of those validators are file-local there, so the ones needed here (echo,
 * edit distance, dates, ids) are written again with the same messages.
 *
 * Pure: no files, no clock. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#define TYPE_BIT(t) (1u << (t))
/* Longest user value echoed back in a message; longer ones are cut with "…". */
#define ECHO_MAX_BYTES 80
/* Longest date token worth analysing; anything longer is simply malformed. */
#define TOKEN_BYTES 32
#define DATE_TEXT_BYTES 32
#define LABEL_BYTES (BT_MAX_ID_BYTES + 32)

typedef struct {
    const char *name;
    bt_node_type type;   /* the type named in messages */
    unsigned accepts;    /* TYPE_BIT set of node types accepted */
    bool required;
    const char *what;    /* Vietnamese name of the value, for messages */
    const char *example; /* a correct line to copy */
} key_spec;

enum { TK_ID, TK_LABEL, TK_CHANNEL, TK_TOPIC, TK_PERIOD, TK_MINIMUM, TK_COUNTS, TK_FROM,
       TK_UNTIL, TK_COUNT };

static const key_spec target_keys[TK_COUNT] = {
    [TK_ID] = {"id", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "mã chỉ tiêu",
               "id = \"cchc-loa-quy\";"},
    [TK_LABEL] = {"label", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "tên chỉ tiêu",
                  "label = \"tin bài CCHC\";"},
    [TK_CHANNEL] = {"channel", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "kênh",
                    "channel = \"loudspeaker\";"},
    [TK_TOPIC] = {"topic", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "chủ đề",
                  "topic = \"cchc\";"},
    [TK_PERIOD] = {"period", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "kỳ tính",
                   "period = \"quarter\";"},
    [TK_MINIMUM] = {"minimum", BT_NODE_INT, TYPE_BIT(BT_NODE_INT), true, "mức tối thiểu mỗi kỳ",
                    "minimum = 2;"},
    [TK_COUNTS] = {"counts", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "cách tính",
                   "counts = \"items\";"},
    [TK_FROM] = {"from", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "ngày bắt đầu áp dụng",
                 "from = \"01/10/2025\";"},
    [TK_UNTIL] = {"until", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false,
                  "ngày kết thúc áp dụng", "until = \"31/12/2025\";"},
};

static const char *const channel_words[] = {"loudspeaker", "screen"};
static const char *const period_words[] = {"month", "quarter", "year"};
static const bt_period_kind period_kinds[] = {BT_PERIOD_MONTH, BT_PERIOD_QUARTER, BT_PERIOD_YEAR};
static const char *const counts_words[] = {"items", "airings", "notices", "minutes"};
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- reporting ---------------------------------------------------------------------------- */

typedef struct {
    const char *file;
    bt_diags *diags;
    size_t errors; /* our own count: the caller's diags may already hold errors */
    bool out_of_memory;
} vctx;

static void report(vctx *c, bt_diag_severity sev, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(vctx *c, bt_diag_severity sev, int line, const char *fmt, ...)
{
    char msg[BT_MAX_DIAG_MESSAGE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == BT_DIAG_ERROR)
        c->errors++;
    bt_diags_add(c->diags, sev, c->file, line, "%s", msg);
}

static void report_no_memory(vctx *c, int line)
{
    if (!c->out_of_memory)
        report(c, BT_DIAG_ERROR, line, "không đủ bộ nhớ để kiểm tra các chỉ tiêu — hãy thử lại");
    else
        c->errors++;
    c->out_of_memory = true;
}

/* Copies a user value for quoting: cut at a character boundary with "…", control characters and
 * bytes of invalid UTF-8 shown as '?', so a message is always one line of valid UTF-8. */
static const char *echo(const char *s, char *buf, size_t size)
{
    size_t n = 0, i = 0, limit = size - sizeof "…";
    bool valid = bt_text_utf8_valid(s, strlen(s));
    if (limit > ECHO_MAX_BYTES)
        limit = ECHO_MAX_BYTES;
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

static char *copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

static const char *str_of(const bt_node *node)
{
    return node->string_value ? node->string_value : "";
}

/* ---- suggestions -------------------------------------------------------------------------- */

static char lower_ascii(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static bool ascii_iequal(const char *a, const char *b)
{
    while (*a && *b && lower_ascii(*a) == lower_ascii(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Edit distance with adjacent transpositions, case-insensitive; long names are never close. */
static size_t edit_distance(const char *a, const char *b)
{
    enum { MAX_LEN = 32 };
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
            size_t cost = lower_ascii(a[i - 1]) == lower_ascii(b[j - 1]) ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower_ascii(a[i - 1]) == lower_ascii(b[j - 2]) &&
                lower_ascii(a[i - 2]) == lower_ascii(b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* The candidate closest to name if close enough to be a typo (1 edit, 2 from six letters). */
static const char *nearest(const char *name, const char *const *candidates, size_t count)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        size_t allowed = strlen(candidates[i]) >= 6 ? 2 : 1;
        size_t dist = edit_distance(name, candidates[i]);
        if (dist <= allowed && dist < best_distance) {
            best = candidates[i];
            best_distance = dist;
        }
    }
    return best;
}

static const key_spec *find_key(const char *name)
{
    for (size_t i = 0; i < TK_COUNT; i++)
        if (strcmp(target_keys[i].name, name) == 0)
            return &target_keys[i];
    return NULL;
}

static const char *key_list(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < TK_COUNT && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", target_keys[i].name);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

/* Keys that belong to notices or broadcast sessions, often copied into a target by mistake. */
static const char *const foreign_keys[] = {"title", "kind", "times", "weekdays", "hours",
                                           "items", "name", "duration", "priority"};

static void report_unknown_key(vctx *c, const bt_node *node)
{
    const char *name = node->name ? node->name : "";
    const char *names[TK_COUNT];
    char shown[ECHO_MAX_BYTES + 8], list[256];
    for (size_t i = 0; i < TK_COUNT; i++)
        names[i] = target_keys[i].name;
    const char *guess = nearest(name, names, TK_COUNT);
    bool foreign = false;
    for (size_t i = 0; i < ARRAY_LEN(foreign_keys); i++)
        foreign = foreign || strcmp(name, foreign_keys[i]) == 0;
    echo(name, shown, sizeof shown);

    if (guess && ascii_iequal(guess, name))
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"? (tên khoá viết bằng chữ "
               "thường)",
               shown, guess);
    else if (strcmp(name, "title") == 0)
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"title\" không dùng cho một chỉ tiêu — tên chỉ tiêu viết là label = "
               "\"tin bài CCHC\";");
    else if (foreign)
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không dùng cho một chỉ tiêu — khoá này thuộc về thông báo hoặc lịch "
               "phát thanh; một chỉ tiêu chỉ dùng các khoá: %s",
               shown, key_list(list, sizeof list));
    else if (guess)
        report(c, BT_DIAG_ERROR, node->line, "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"?",
               shown, guess);
    else
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không hợp lệ — một chỉ tiêu (trong targets = ( ... )) chỉ dùng các "
               "khoá: %s",
               shown, key_list(list, sizeof list));
}

/* Sorts a group's children into found[] by key; reports unknown and repeated keys. */
static void scan_group(vctx *c, const bt_node *group, const bt_node **found)
{
    for (size_t i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        const key_spec *spec = child->name ? find_key(child->name) : NULL;
        if (!spec) {
            report_unknown_key(c, child);
            continue;
        }
        size_t k = (size_t)(spec - target_keys);
        if (found[k]) {
            report(c, BT_DIAG_ERROR, child->line,
                   "khoá \"%s\" xuất hiện hai lần (lần đầu ở dòng %d) — giữ lại một dòng",
                   spec->name, found[k]->line);
            continue;
        }
        found[k] = child;
    }
}

static bool check_type(vctx *c, const key_spec *spec, const bt_node *node)
{
    if (TYPE_BIT(node->type) & spec->accepts)
        return true;
    report(c, BT_DIAG_ERROR, node->line, "khoá \"%s\" phải là %s, nhưng đang là %s — ví dụ: %s",
           spec->name, bt_node_type_vi(spec->type), bt_node_type_vi(node->type), spec->example);
    return false;
}

/* ---- strings ------------------------------------------------------------------------------ */

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void trim_in_place(char *s)
{
    size_t len = strlen(s), start = 0;
    while (start < len && is_space(s[start]))
        start++;
    while (len > start && is_space(s[len - 1]))
        len--;
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
}

/* Copies s without surrounding white space into buf; false if it does not fit. */
static bool trimmed_copy(const char *s, char *buf, size_t size)
{
    size_t start = 0, end = strlen(s);
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

static bool require_utf8(vctx *c, const bt_node *node)
{
    const char *s = str_of(node);
    if (bt_text_utf8_valid(s, strlen(s)))
        return true;
    report(c, BT_DIAG_ERROR, node->line,
           "khoá \"%s\" có chữ không đúng bảng mã UTF-8 — có lẽ tệp được lưu bằng bảng mã khác "
           "(ANSI, TCVN3, VNI); hãy mở tệp bằng Notepad, chọn \"Lưu thành…\" và chọn Mã hoá "
           "\"UTF-8\"",
           node->name ? node->name : "");
    return false;
}

/* The label: valid UTF-8, NFC, trimmed, non-empty, within BT_MAX_TARGET_LABEL_BYTES. */
static int take_label(vctx *c, const bt_node *node, char **out)
{
    *out = NULL;
    if (!require_utf8(c, node))
        return -1;
    char *text = bt_text_nfc(str_of(node));
    if (!text) {
        report_no_memory(c, node->line);
        return -1;
    }
    trim_in_place(text);
    size_t len = strlen(text);
    if (len == 0) {
        free(text);
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"label\" (tên chỉ tiêu) đang để trống — hãy điền, ví dụ label = \"tin bài "
               "CCHC\"; hoặc xoá dòng này để dùng tên mặc định");
        return -1;
    }
    if (len > BT_MAX_TARGET_LABEL_BYTES) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"label\" (tên chỉ tiêu) quá dài: %zu ký tự (%zu byte), tối đa %d byte — "
               "hãy rút gọn",
               bt_text_codepoints(text), len, BT_MAX_TARGET_LABEL_BYTES);
        free(text);
        return -1;
    }
    *out = text;
    return 0;
}

static bool is_slug_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* An identifier (target id, topic): [a-z0-9-_], 1..BT_MAX_ID_BYTES (topic: BT_MAX_TOPIC_BYTES). */
static int take_id(vctx *c, const bt_node *node, const char *what, size_t max_bytes, char **out)
{
    char shown[ECHO_MAX_BYTES + 8];
    const char *s = str_of(node);
    size_t len = strlen(s);
    *out = NULL;
    if (!require_utf8(c, node))
        return -1;
    if (len == 0) {
        report(c, BT_DIAG_ERROR, node->line,
               "%s (khoá \"%s\") đang để trống — hãy đặt một mã gồm chữ thường không dấu a-z, "
               "chữ số 0-9, \"-\" hoặc \"_\", ví dụ \"cchc-loa-quy\"",
               what, node->name ? node->name : "");
        return -1;
    }
    if (len > max_bytes) {
        report(c, BT_DIAG_ERROR, node->line,
               "%s \"%s\" quá dài (%zu byte, tối đa %zu) — hãy đặt mã ngắn hơn", what,
               echo(s, shown, sizeof shown), len, max_bytes);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (is_slug_char(s[i]))
            continue;
        report(c, BT_DIAG_ERROR, node->line,
               "%s \"%s\" có ký tự không được phép — chỉ dùng chữ thường không dấu a-z, chữ số "
               "0-9, dấu gạch ngang \"-\" và gạch dưới \"_\"",
               what, echo(s, shown, sizeof shown));
        return -1;
    }
    *out = copy_string(s);
    if (!*out) {
        report_no_memory(c, node->line);
        return -1;
    }
    return 0;
}

/* One of a fixed set of words; -1 after reporting with a suggestion. */
static int take_word(vctx *c, const bt_node *node, const char *const *words, size_t count,
                     const char *what, const char *choices, int *out)
{
    char shown[ECHO_MAX_BYTES + 8], hint[96] = "";
    const char *s = str_of(node);
    if (!require_utf8(c, node))
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(s, words[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    const char *guess = nearest(s, words, count);
    if (guess)
        snprintf(hint, sizeof hint, "có phải ý bạn là \"%s\"? ", guess);
    report(c, BT_DIAG_ERROR, node->line, "%s \"%s\" không hợp lệ — %s%s", what,
           echo(s, shown, sizeof shown), hint, choices);
    return -1;
}

/* ---- dates -------------------------------------------------------------------------------- */

static bool digit_run(const char **p, int min, int max, int *value)
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

/* Reads something shaped like a date in either order, so "31/02" can be explained. */
static bool loose_date(const char *s, int *year, int *month, int *day)
{
    const char *p = s;
    int a, b, y;
    if (digit_run(&p, 4, 4, &y) && is_date_separator(*p)) {
        p++;
        if (!digit_run(&p, 1, 2, month) || !is_date_separator(*p))
            return false;
        p++;
        *year = y;
        return digit_run(&p, 1, 2, day) && *p == '\0';
    }
    p = s;
    if (!digit_run(&p, 1, 2, &a) || !is_date_separator(*p))
        return false;
    p++;
    if (!digit_run(&p, 1, 2, &b) || !is_date_separator(*p))
        return false;
    p++;
    if (!digit_run(&p, 4, 4, &y) || *p != '\0')
        return false;
    *day = a;
    *month = b;
    *year = y;
    return true;
}

static int take_date(vctx *c, const bt_node *node, bt_day *out)
{
    char token[TOKEN_BYTES], shown[ECHO_MAX_BYTES + 8];
    const char *s = str_of(node);
    int year, month, day;
    if (!require_utf8(c, node))
        return -1;
    bool fits = trimmed_copy(s, token, sizeof token);
    if (fits && bt_time_parse_date(token, out) == 0)
        return 0;
    echo(s, shown, sizeof shown);
    if (!fits || !loose_date(token, &year, &month, &day))
        report(c, BT_DIAG_ERROR, node->line,
               "ngày \"%s\" không đúng dạng — hãy viết dd/mm/yyyy (ví dụ \"31/12/2025\") hoặc "
               "yyyy-mm-dd (ví dụ \"2025-12-31\")",
               shown);
    else if (month < 1 || month > 12)
        report(c, BT_DIAG_ERROR, node->line,
               "ngày \"%s\" không tồn tại — tháng phải từ 1 đến 12 (viết ngày trước, tháng sau: "
               "dd/mm/yyyy)",
               shown);
    else if (day < 1 || day > bt_time_days_in_month(year, month))
        report(c, BT_DIAG_ERROR, node->line,
               "ngày \"%s\" không tồn tại — tháng %d năm %d chỉ có %d ngày", shown, month, year,
               bt_time_days_in_month(year, month));
    else
        report(c, BT_DIAG_ERROR, node->line,
               "ngày \"%s\" không đúng dạng — hãy viết \"%02d/%02d/%04d\" (dd/mm/yyyy) hoặc "
               "\"%04d-%02d-%02d\" (yyyy-mm-dd)",
               shown, day, month, year, year, month, day);
    return -1;
}

/* ---- one target --------------------------------------------------------------------------- */

static void target_defaults(bt_target *t, int line)
{
    memset(t, 0, sizeof *t);
    t->channel = BT_TARGET_LOUDSPEAKER;
    t->period = BT_PERIOD_QUARTER;
    t->counts = BT_TARGET_COUNT_ITEMS;
    t->from_day = BT_DAY_NONE_FROM;
    t->until_day = BT_DAY_NONE_UNTIL;
    t->line = line;
}

/* "chỉ tiêu \"cchc-loa\" (dòng 12)" or "chỉ tiêu thứ 2" for messages. */
static const char *target_label(const bt_target *t, size_t index, char *buf, size_t size)
{
    if (t->id)
        snprintf(buf, size, "chỉ tiêu \"%s\"", t->id);
    else
        snprintf(buf, size, "chỉ tiêu thứ %zu", index + 1);
    return buf;
}

static bool counts_fit_channel(bt_target_counts counts, bt_target_channel channel)
{
    if (channel == BT_TARGET_LOUDSPEAKER)
        return counts == BT_TARGET_COUNT_ITEMS || counts == BT_TARGET_COUNT_AIRINGS;
    return counts == BT_TARGET_COUNT_NOTICES || counts == BT_TARGET_COUNT_MINUTES;
}

static void take_minimum(vctx *c, const bt_node *node, bt_target *t)
{
    if (node->int_value >= 1 && node->int_value <= BT_MAX_TARGET_MINIMUM) {
        t->minimum = (int)node->int_value;
        return;
    }
    report(c, BT_DIAG_ERROR, node->line,
           "mức tối thiểu minimum = %lld không hợp lệ — phải là số nguyên từ 1 đến %d (số tin "
           "bài, lượt phát, thông báo hoặc phút trong mỗi kỳ), ví dụ minimum = 2;",
           node->int_value, BT_MAX_TARGET_MINIMUM);
}

/* Takes every key present; says whether counts was given, channel read and each date read. */
static void take_values(vctx *c, const bt_node **found, bt_target *t, bool *have_counts,
                        bool *channel_ok, bool date_ok[2])
{
    int word;
    for (size_t k = 0; k < TK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || !check_type(c, &target_keys[k], node))
            continue;
        switch (k) {
        case TK_ID:
            take_id(c, node, "mã chỉ tiêu", BT_MAX_ID_BYTES, &t->id);
            break;
        case TK_LABEL:
            take_label(c, node, &t->label);
            break;
        case TK_CHANNEL:
            if (take_word(c, node, channel_words, ARRAY_LEN(channel_words), "kênh",
                          "chỉ dùng \"loudspeaker\" (loa phường) hoặc \"screen\" (màn hình sảnh)",
                          &word) == 0) {
                t->channel = (bt_target_channel)word;
                *channel_ok = true;
            }
            break;
        case TK_TOPIC:
            take_id(c, node, "chủ đề", BT_MAX_TOPIC_BYTES, &t->topic);
            break;
        case TK_PERIOD:
            if (take_word(c, node, period_words, ARRAY_LEN(period_words), "kỳ tính",
                          "chỉ dùng \"month\" (tháng), \"quarter\" (quý) hoặc \"year\" (năm)",
                          &word) == 0)
                t->period = period_kinds[word];
            break;
        case TK_MINIMUM:
            take_minimum(c, node, t);
            break;
        case TK_COUNTS:
            if (take_word(c, node, counts_words, ARRAY_LEN(counts_words), "cách tính",
                          "loa phường dùng \"items\" (số tin bài khác nhau) hoặc \"airings\" (số "
                          "lượt phát); màn hình dùng \"notices\" (số thông báo khác nhau) hoặc "
                          "\"minutes\" (số phút hiển thị)",
                          &word) == 0) {
                t->counts = (bt_target_counts)word;
                *have_counts = true;
            }
            break;
        case TK_FROM:
            date_ok[0] = take_date(c, node, &t->from_day) == 0;
            break;
        case TK_UNTIL:
            date_ok[1] = take_date(c, node, &t->until_day) == 0;
            break;
        default:
            break;
        }
    }
}

static void validate_target(vctx *c, const bt_node *group, size_t index, bt_target *t)
{
    const bt_node *found[TK_COUNT] = {0};
    char label[LABEL_BYTES], a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    bool have_counts = false, channel_ok = false, date_ok[2] = {false, false};
    target_defaults(t, group->line);
    scan_group(c, group, found);
    take_values(c, found, t, &have_counts, &channel_ok, date_ok);
    for (size_t k = 0; k < TK_COUNT; k++) {
        if (found[k] || !target_keys[k].required)
            continue;
        report(c, BT_DIAG_ERROR, group->line,
               "%s thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s",
               target_label(t, index, label, sizeof label), target_keys[k].name,
               target_keys[k].what, target_keys[k].example);
    }
    if (!have_counts)
        t->counts = t->channel == BT_TARGET_SCREEN ? BT_TARGET_COUNT_NOTICES
                                                   : BT_TARGET_COUNT_ITEMS;
    else if (channel_ok && !counts_fit_channel(t->counts, t->channel))
        report(c, BT_DIAG_ERROR, found[TK_COUNTS]->line,
               "%s: cách tính counts = \"%s\" không dùng cho kênh \"%s\" — %s",
               target_label(t, index, label, sizeof label), counts_words[t->counts],
               channel_words[t->channel],
               t->channel == BT_TARGET_LOUDSPEAKER
                   ? "loa phường dùng \"items\" (số tin bài khác nhau) hoặc \"airings\" (số lượt "
                     "phát)"
                   : "màn hình dùng \"notices\" (số thông báo khác nhau) hoặc \"minutes\" (số "
                     "phút hiển thị)");
    if (date_ok[0] && date_ok[1] && t->from_day > t->until_day)
        report(c, BT_DIAG_ERROR, found[TK_UNTIL]->line,
               "khoảng ngày bị ngược: \"from\" (%s) sau \"until\" (%s) — ngày bắt đầu phải trước "
               "hoặc trùng ngày kết thúc",
               bt_time_format_ddmmyyyy(t->from_day, a, sizeof a),
               bt_time_format_ddmmyyyy(t->until_day, b, sizeof b));
    if (!t->label) {
        t->label = copy_string(t->channel == BT_TARGET_SCREEN ? "thông báo" : "tin bài");
        if (!t->label)
            report_no_memory(c, group->line);
    }
}

static void check_duplicates(vctx *c, const bt_targets *t)
{
    for (size_t i = 0; i < t->count; i++) {
        if (!t->items[i].id)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (t->items[j].id && strcmp(t->items[i].id, t->items[j].id) == 0) {
                report(c, BT_DIAG_ERROR, t->items[i].line,
                       "mã chỉ tiêu \"%s\" bị trùng với chỉ tiêu ở dòng %d — mỗi chỉ tiêu cần một "
                       "mã riêng",
                       t->items[i].id, t->items[j].line);
                break;
            }
        }
    }
}

int bt_targets_from_tree(const bt_node *group, const char *file, bt_targets *out, bt_diags *d)
{
    vctx c = {file ? file : BT_PLAYLIST_FILE, d, 0, false};
    bt_targets t;
    bt_targets_init(out);
    bt_targets_init(&t);
    if (!group)
        return 0;
    if (group->type != BT_NODE_LIST && group->type != BT_NODE_ARRAY) {
        report(&c, BT_DIAG_ERROR, group->line,
               "khoá \"targets\" phải là %s, nhưng đang là %s — ví dụ: targets = ( { id = "
               "\"cchc-loa-quy\"; channel = \"loudspeaker\"; period = \"quarter\"; minimum = 2; "
               "} );",
               bt_node_type_vi(BT_NODE_LIST), bt_node_type_vi(group->type));
        return -1;
    }
    size_t count = group->child_count;
    if (count == 0)
        return 0;
    if (count > BT_MAX_TARGETS) {
        report(&c, BT_DIAG_ERROR, group->line,
               "quá nhiều chỉ tiêu (%zu, tối đa %d) — hãy bỏ bớt chỉ tiêu cũ", count,
               BT_MAX_TARGETS);
        return -1;
    }
    t.items = calloc(count, sizeof *t.items);
    if (!t.items) {
        report_no_memory(&c, group->line);
        return -1;
    }
    t.count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &group->children[i];
        if (elem->type != BT_NODE_GROUP) {
            target_defaults(&t.items[i], elem->line);
            report(&c, BT_DIAG_ERROR, elem->line,
                   "phần tử thứ %zu trong targets phải là một nhóm { ... } mô tả một chỉ tiêu, "
                   "nhưng đang là %s — ví dụ: { id = \"cchc-loa-quy\"; channel = \"loudspeaker\"; "
                   "period = \"quarter\"; minimum = 2; }",
                   i + 1, bt_node_type_vi(elem->type));
            continue;
        }
        validate_target(&c, elem, i, &t.items[i]);
    }
    check_duplicates(&c, &t);
    if (c.errors > 0) {
        bt_targets_free(&t);
        return -1;
    }
    *out = t;
    return 0;
}

/* ---- topics that nothing carries ---------------------------------------------------------- */

void bt_targets_check_topics(const bt_targets *t, const bt_broadcasts *b,
                             const char *const *notice_topics, size_t notice_count,
                             const char *file, bt_diags *d)
{
    vctx c = {file ? file : BT_PLAYLIST_FILE, d, 0, false};
    char label[LABEL_BYTES];
    for (size_t i = 0; t && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        if (!x->topic)
            continue;
        bool carried = false;
        if (x->channel == BT_TARGET_LOUDSPEAKER) {
            for (size_t k = 0; b && k < b->item_count && !carried; k++)
                carried = b->items[k].topic && strcmp(b->items[k].topic, x->topic) == 0;
        } else {
            for (size_t k = 0; notice_topics && k < notice_count && !carried; k++)
                carried = notice_topics[k] && strcmp(notice_topics[k], x->topic) == 0;
        }
        if (!carried)
            report(&c, BT_DIAG_WARNING, x->line,
                   "%s tính theo chủ đề \"%s\", nhưng chưa có %s nào có topic = \"%s\" trong "
                   "playlist này — chỉ tiêu sẽ không tăng cho đến khi có",
                   target_label(x, i, label, sizeof label), x->topic,
                   x->channel == BT_TARGET_LOUDSPEAKER ? "tin phát thanh" : "thông báo",
                   x->topic);
    }
}

/* ---- names -------------------------------------------------------------------------------- */

const char *bt_target_channel_name(bt_target_channel ch)
{
    return (size_t)ch < ARRAY_LEN(channel_words) ? channel_words[ch] : "?";
}

const char *bt_target_counts_name(bt_target_counts k)
{
    return (size_t)k < ARRAY_LEN(counts_words) ? counts_words[k] : "?";
}

const char *bt_target_period_name(bt_period_kind k)
{
    for (size_t i = 0; i < ARRAY_LEN(period_kinds); i++)
        if (period_kinds[i] == k)
            return period_words[i];
    return "?";
}

static int word_index(const char *s, const char *const *words, size_t count)
{
    for (size_t i = 0; s && i < count; i++)
        if (strcmp(s, words[i]) == 0)
            return (int)i;
    return -1;
}

int bt_target_channel_parse(const char *s, bt_target_channel *out)
{
    int i = word_index(s, channel_words, ARRAY_LEN(channel_words));
    if (i < 0)
        return -1;
    *out = (bt_target_channel)i;
    return 0;
}

int bt_target_counts_parse(const char *s, bt_target_counts *out)
{
    int i = word_index(s, counts_words, ARRAY_LEN(counts_words));
    if (i < 0)
        return -1;
    *out = (bt_target_counts)i;
    return 0;
}

int bt_target_period_parse(const char *s, bt_period_kind *out)
{
    int i = word_index(s, period_words, ARRAY_LEN(period_words));
    if (i < 0)
        return -1;
    *out = period_kinds[i];
    return 0;
}
