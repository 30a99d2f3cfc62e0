/* The loudspeaker part of a playlist: the `broadcasts` group's model, its validator, the ward's
 * limits check and the windows parser.
 *
 * Like the notice validator (playlist.c), validation walks the parsed tree once and reports
 * EVERY problem with file, line and a Vietnamese message saying what is wrong and how to fix it,
 * so staff fix a USB stick in one round. The keys are described once, as tables; unknown-key
 * suggestions and "missing key" examples come from those tables. playlist.c's helpers are
 * file-local, so the small ones needed here (echo, edit distance, dates, weekdays, HH:MM) are
 * written again with the same messages.
 *
 * Pure: no files, no clock. Audio files are not opened here: the shell measures them at load. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

/* ---- key tables --------------------------------------------------------------------------- */

#define TYPE_BIT(t) (1u << (t))
#define STRINGS_BITS (TYPE_BIT(BT_NODE_ARRAY) | TYPE_BIT(BT_NODE_LIST))

typedef struct {
    const char *name;
    bt_node_type type;  /* the type named in messages */
    unsigned accepts;   /* TYPE_BIT set of node types accepted */
    bool required;
    const char *what;   /* Vietnamese name of the value, for messages */
    const char *example;/* a correct line to copy */
} key_spec;

enum { GK_ITEMS, GK_SESSIONS, GK_COUNT };

static const key_spec group_keys[GK_COUNT] = {
    [GK_ITEMS] = {"items", BT_NODE_LIST, STRINGS_BITS, true, "danh sách tin",
                  "items = ( { id = \"tin-dvc\"; title = \"...\"; audio = "
                  "\"audio/tin-dvc.ogg\"; } );"},
    [GK_SESSIONS] = {"sessions", BT_NODE_LIST, STRINGS_BITS, true, "danh sách buổi phát",
                     "sessions = ( { id = \"ban-tin-sang\"; name = \"Bản tin sáng\"; times = "
                     "\"06:00\"; items = [ \"tin-dvc\" ]; } );"},
};

enum { IK_ID, IK_TITLE, IK_AUDIO, IK_TOPIC, IK_PRIORITY, IK_COUNT };

static const key_spec item_keys[IK_COUNT] = {
    [IK_ID] = {"id", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "mã tin",
               "id = \"tin-dvc-truc-tuyen\";"},
    [IK_TITLE] = {"title", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "tiêu đề tin",
                  "title = \"Dịch vụ công trực tuyến\";"},
    [IK_AUDIO] = {"audio", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "tệp âm thanh",
                  "audio = \"audio/tin-dvc-truc-tuyen.ogg\";"},
    [IK_TOPIC] = {"topic", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "chủ đề",
                  "topic = \"cchc\";"},
    [IK_PRIORITY] = {"priority", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "mức ưu tiên",
                     "priority = \"normal\";"},
};

enum { SK_ID, SK_NAME, SK_TIMES, SK_WEEKDAYS, SK_FROM, SK_UNTIL, SK_AT, SK_ITEMS, SK_MAKEUP,
       SK_COUNT };

static const key_spec session_keys[SK_COUNT] = {
    [SK_ID] = {"id", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "mã buổi phát",
               "id = \"ban-tin-sang\";"},
    [SK_NAME] = {"name", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), true, "tên buổi phát",
                 "name = \"Bản tin sáng\";"},
    [SK_TIMES] = {"times", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "giờ phát",
                  "times = \"06:00,17:00\";"},
    [SK_WEEKDAYS] = {"weekdays", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false,
                     "các thứ trong tuần", "weekdays = \"T2-T6\";"},
    [SK_FROM] = {"from", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "ngày bắt đầu phát",
                 "from = \"01/10/2025\";"},
    [SK_UNTIL] = {"until", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "ngày kết thúc phát",
                  "until = \"31/12/2025\";"},
    [SK_AT] = {"at", BT_NODE_ARRAY, STRINGS_BITS | TYPE_BIT(BT_NODE_STRING), false,
               "các thời điểm phát một lần", "at = [ \"2025-10-10 06:15\" ];"},
    [SK_ITEMS] = {"items", BT_NODE_ARRAY, STRINGS_BITS, true, "các tin phát trong buổi",
                  "items = [ \"tin-dvc-truc-tuyen\", \"tin-vneid\" ];"},
    [SK_MAKEUP] = {"makeup", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), false, "cách phát bù",
                   "makeup = \"quarter\";"},
};

static const char *const priority_names[] = {[BT_BROADCAST_NORMAL] = "normal",
                                             [BT_BROADCAST_PRIORITY] = "priority",
                                             [BT_BROADCAST_EMERGENCY] = "emergency"};
#define PRIORITY_COUNT (sizeof priority_names / sizeof priority_names[0])

static const char *const makeup_names[] = {[BT_MAKEUP_NONE] = "none", [BT_MAKEUP_DAY] = "day",
                                           [BT_MAKEUP_WEEK] = "week", [BT_MAKEUP_MONTH] = "month",
                                           [BT_MAKEUP_QUARTER] = "quarter"};
#define MAKEUP_COUNT (sizeof makeup_names / sizeof makeup_names[0])

static const char *const weekday_codes[7] = {"T2", "T3", "T4", "T5", "T6", "T7", "CN"};

/* Longest user value echoed back in a message; longer ones are cut with "…". */
#define ECHO_MAX_BYTES 80
/* Longest date, time or weekday token worth analysing; anything longer is simply malformed. */
#define TOKEN_BYTES 32
#define DATE_TEXT_BYTES 32
#define LABEL_BYTES (BT_MAX_ID_BYTES + 32)
/* Room for "HH:MM" and for "H:MM:SS" durations, with margin for any int the compiler imagines. */
#define HHMM_BYTES 24
#define DURATION_BYTES 64
/* Audio formats SDL2_mixer decodes on the appliance and the issue names. */
static const char *const audio_extensions[] = {".wav", ".ogg", ".mp3"};
/* What a level of the group is called in messages. */
enum { LEVEL_GROUP, LEVEL_ITEM, LEVEL_SESSION };

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
        report(c, BT_DIAG_ERROR, line, "không đủ bộ nhớ để kiểm tra lịch phát thanh — hãy thử lại");
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
        if (!candidates[i])
            continue;
        size_t allowed = strlen(candidates[i]) >= 6 ? 2 : 1;
        size_t dist = edit_distance(name, candidates[i]);
        if (dist <= allowed && dist < best_distance) {
            best = candidates[i];
            best_distance = dist;
        }
    }
    return best;
}

static const key_spec *find_key(const char *name, const key_spec *keys, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static const char *nearest_key(const char *name, const key_spec *keys, size_t count)
{
    const char *names[SK_COUNT];
    for (size_t i = 0; i < count && i < SK_COUNT; i++)
        names[i] = keys[i].name;
    return nearest(name, names, count < SK_COUNT ? count : SK_COUNT);
}

static const char *key_list(const key_spec *keys, size_t count, char *buf, size_t size)
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

static const key_spec *level_keys(int level, size_t *count)
{
    switch (level) {
    case LEVEL_ITEM:
        *count = IK_COUNT;
        return item_keys;
    case LEVEL_SESSION:
        *count = SK_COUNT;
        return session_keys;
    default:
        *count = GK_COUNT;
        return group_keys;
    }
}

static const char *level_vi(int level)
{
    switch (level) {
    case LEVEL_ITEM:
        return "một tin (trong items = ( ... ))";
    case LEVEL_SESSION:
        return "một buổi phát (trong sessions = ( ... ))";
    default:
        return "nhóm broadcasts";
    }
}

static void report_unknown_key(vctx *c, const bt_node *node, int level)
{
    size_t count;
    const key_spec *keys = level_keys(level, &count);
    const char *name = node->name ? node->name : "";
    char shown[ECHO_MAX_BYTES + 8], list[256];
    const char *guess = nearest_key(name, keys, count);
    echo(name, shown, sizeof shown);

    if (guess && ascii_iequal(guess, name)) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"? (tên khoá viết bằng chữ "
               "thường)",
               shown, guess);
    } else if (level == LEVEL_ITEM && strcmp(name, "name") == 0) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"name\" không dùng cho một tin — tiêu đề của tin viết là title = \"...\";");
    } else if (level == LEVEL_SESSION && strcmp(name, "title") == 0) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"title\" không dùng cho một buổi phát — tên buổi phát viết là name = "
               "\"...\";");
    } else if (level == LEVEL_ITEM && find_key(name, session_keys, SK_COUNT)) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không dùng cho một tin — khoá này thuộc về buổi phát, hãy đặt nó "
               "trong sessions = ( ... )",
               shown);
    } else if (level == LEVEL_SESSION && find_key(name, item_keys, IK_COUNT)) {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"%s\" không dùng cho một buổi phát — khoá này thuộc về từng tin trong "
               "items = ( ... ) của nhóm broadcasts; buổi phát chỉ ghi mã tin trong items = "
               "[ ... ]",
               shown);
    } else if (guess) {
        report(c, BT_DIAG_ERROR, node->line, "khoá \"%s\" không hợp lệ — có phải ý bạn là \"%s\"?",
               shown, guess);
    } else {
        report(c, BT_DIAG_ERROR, node->line, "khoá \"%s\" không hợp lệ — %s chỉ dùng các khoá: %s",
               shown, level_vi(level), key_list(keys, count, list, sizeof list));
    }
}

/* Sorts a group's children into found[] by key; reports unknown and repeated keys. */
static void scan_group(vctx *c, const bt_node *group, int level, const bt_node **found)
{
    size_t count;
    const key_spec *keys = level_keys(level, &count);
    for (size_t i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        const key_spec *spec = child->name ? find_key(child->name, keys, count) : NULL;
        if (!spec) {
            report_unknown_key(c, child, level);
            continue;
        }
        size_t k = (size_t)(spec - keys);
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

/* Copies s[0..s_len) without surrounding white space into buf; false if it does not fit. */
static bool trimmed_copy(const char *s, size_t s_len, char *buf, size_t size)
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

static bool require_utf8(vctx *c, const bt_node *node, const char *where)
{
    const char *s = str_of(node);
    if (bt_text_utf8_valid(s, strlen(s)))
        return true;
    report(c, BT_DIAG_ERROR, node->line,
           "%s có chữ không đúng bảng mã UTF-8 — có lẽ tệp được lưu bằng bảng mã khác (ANSI, "
           "TCVN3, VNI); hãy mở tệp bằng Notepad, chọn \"Lưu thành…\" và chọn Mã hoá \"UTF-8\"",
           where);
    return false;
}

static const char *where_of(const bt_node *node, const char *element, char *buf, size_t size)
{
    if (node->name)
        snprintf(buf, size, "khoá \"%s\"", node->name);
    else
        snprintf(buf, size, "%s", element);
    return buf;
}

/* A text heard or shown (title, name): valid UTF-8, NFC, trimmed, non-empty, within max_bytes. */
static int take_text(vctx *c, const bt_node *node, const char *what, size_t max_bytes,
                     char **out)
{
    char where[64];
    where_of(node, what, where, sizeof where);
    *out = NULL;
    if (!require_utf8(c, node, where))
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
        report(c, BT_DIAG_ERROR, node->line, "%s (%s) đang để trống — hãy điền nội dung", where,
               what);
        return -1;
    }
    if (len > max_bytes) {
        report(c, BT_DIAG_ERROR, node->line,
               "%s (%s) quá dài: %zu ký tự (%zu byte), tối đa %zu byte — hãy rút gọn", where,
               what, bt_text_codepoints(text), len, max_bytes);
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

/* An identifier (item id, session id, topic): [a-z0-9-_], 1..max_bytes. */
static int take_id(vctx *c, const bt_node *node, const char *what, size_t max_bytes, char **out)
{
    char where[64], shown[ECHO_MAX_BYTES + 8];
    const char *s = str_of(node);
    size_t len = strlen(s);
    *out = NULL;
    if (!require_utf8(c, node, where_of(node, what, where, sizeof where)))
        return -1;
    if (len == 0) {
        report(c, BT_DIAG_ERROR, node->line,
               "%s (khoá \"%s\") đang để trống — hãy đặt một mã gồm chữ thường không dấu a-z, "
               "chữ số 0-9, \"-\" hoặc \"_\", ví dụ \"ban-tin-sang\"",
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

/* One of a fixed set of words ("normal", "week" …); -1 after reporting with a suggestion. */
static int take_word(vctx *c, const bt_node *node, const char *const *words, size_t count,
                     const char *what, const char *choices, int *out)
{
    char where[64], shown[ECHO_MAX_BYTES + 8], hint[96] = "";
    const char *s = str_of(node);
    if (!require_utf8(c, node, where_of(node, what, where, sizeof where)))
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

/* ---- dates, weekdays, clock times --------------------------------------------------------- */

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
    char where[64], token[TOKEN_BYTES], shown[ECHO_MAX_BYTES + 8];
    const char *s = str_of(node);
    int year, month, day;
    if (!require_utf8(c, node, where_of(node, "ngày", where, sizeof where)))
        return -1;
    bool fits = trimmed_copy(s, strlen(s), token, sizeof token);
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

static int weekday_index(const char *token)
{
    for (int i = 0; i < 7; i++)
        if (ascii_iequal(token, weekday_codes[i]))
            return i;
    return -1;
}

/* Splits at the next comma: copies the trimmed piece into buf (false if too long), advances *p
 * past the comma and says whether another piece follows (so a trailing comma is seen). */
static bool next_piece(const char **p, char *buf, size_t size, bool *more)
{
    const char *start = *p;
    const char *comma = strchr(start, ',');
    size_t len = comma ? (size_t)(comma - start) : strlen(start);
    *p = comma ? comma + 1 : start + len;
    *more = comma != NULL;
    return trimmed_copy(start, len, buf, size);
}

static void report_bad_weekday(vctx *c, int line, const char *token)
{
    char shown[ECHO_MAX_BYTES + 8];
    report(c, BT_DIAG_ERROR, line,
           "thứ \"%s\" không hợp lệ — dùng T2, T3, T4, T5, T6, T7 hoặc CN; ví dụ \"T2-T6\" hoặc "
           "\"T2,T4,CN\"",
           echo(token, shown, sizeof shown));
}

static bool weekday_item(vctx *c, int line, char *item, uint8_t *mask)
{
    char *dash = strchr(item, '-');
    if (!dash) {
        int day = weekday_index(item);
        if (day < 0) {
            report_bad_weekday(c, line, item);
            return false;
        }
        *mask |= (uint8_t)(1u << day);
        return true;
    }
    char first[TOKEN_BYTES], last[TOKEN_BYTES];
    *dash = '\0';
    bool ok = trimmed_copy(item, strlen(item), first, sizeof first) &&
              trimmed_copy(dash + 1, strlen(dash + 1), last, sizeof last);
    *dash = '-';
    int a = ok ? weekday_index(first) : -1, b = ok ? weekday_index(last) : -1;
    if (!ok) {
        report_bad_weekday(c, line, item);
        return false;
    }
    if (a < 0 || b < 0) {
        if (a < 0)
            report_bad_weekday(c, line, first);
        if (b < 0)
            report_bad_weekday(c, line, last);
        return false;
    }
    if (a > b) {
        char shown[ECHO_MAX_BYTES + 8];
        report(c, BT_DIAG_ERROR, line,
               "khoảng thứ \"%s\" bị ngược — tuần tính từ T2 đến CN nên thứ đầu khoảng phải sớm "
               "hơn thứ cuối (ví dụ \"T2-T6\")",
               echo(item, shown, sizeof shown));
        return false;
    }
    for (int d = a; d <= b; d++)
        *mask |= (uint8_t)(1u << d);
    return true;
}

static int take_weekdays(vctx *c, const bt_node *node, uint8_t *out)
{
    char where[64], item[TOKEN_BYTES], shown[ECHO_MAX_BYTES + 8];
    const char *p = str_of(node);
    uint8_t mask = 0;
    bool ok = true;
    if (!require_utf8(c, node, where_of(node, "", where, sizeof where)))
        return -1;
    if (trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"weekdays\" để trống — xoá dòng này nếu buổi phát phát mọi ngày, hoặc viết "
               "ví dụ \"T2-T6\"");
        return -1;
    }
    for (;;) {
        bool more;
        bool fits = next_piece(&p, item, sizeof item, &more);
        if (!fits) {
            report_bad_weekday(c, node->line, "…");
            ok = false;
        } else if (item[0] == '\0') {
            report(c, BT_DIAG_ERROR, node->line,
                   "danh sách thứ \"%s\" có dấu phẩy thừa — ví dụ đúng: \"T2,T4,CN\"",
                   echo(str_of(node), shown, sizeof shown));
            ok = false;
        } else if (!weekday_item(c, node->line, item, &mask)) {
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

typedef enum { CLOCK_OK, CLOCK_SHAPE, CLOCK_RANGE, CLOCK_24_START } clock_status;

/* "07:30" → minutes of the day; "24:00" only as the end of a span. */
static clock_status clock_minutes(const char *s, bool is_end, int *minutes)
{
    const char *p = s;
    int hour, minute;
    if (!digit_run(&p, 1, 2, &hour) || *p != ':')
        return CLOCK_SHAPE;
    p++;
    if (!digit_run(&p, 2, 2, &minute) || *p != '\0')
        return CLOCK_SHAPE;
    if (hour == 24 && minute == 0) {
        if (!is_end)
            return CLOCK_24_START;
        *minutes = 1440;
        return CLOCK_OK;
    }
    if (minute > 59 || hour > 23)
        return CLOCK_RANGE;
    *minutes = hour * 60 + minute;
    return CLOCK_OK;
}

static const char *hhmm_text(int minutes, char *buf, size_t size)
{
    snprintf(buf, size, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

/* ---- audio and path ----------------------------------------------------------------------- */

static bool has_suffix_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && ascii_iequal(s + ls - lx, suffix);
}

static int take_audio(vctx *c, const bt_node *node, char **out)
{
    char where[64], shown[ECHO_MAX_BYTES + 8];
    const char *path = str_of(node);
    *out = NULL;
    if (!require_utf8(c, node, where_of(node, "", where, sizeof where)))
        return -1;
    echo(path, shown, sizeof shown);
    if (path[0] == '\0') {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"audio\" đang để trống — hãy ghi đường dẫn tệp âm thanh, ví dụ "
               "\"audio/tin-dvc-truc-tuyen.ogg\"");
        return -1;
    }
    if (strlen(path) >= BT_MAX_PATH_BYTES) {
        report(c, BT_DIAG_ERROR, node->line,
               "đường dẫn âm thanh quá dài (%zu byte, tối đa %d) — hãy đặt tên tệp ngắn hơn",
               strlen(path), BT_MAX_PATH_BYTES - 1);
        return -1;
    }
    if (strchr(path, '\\')) {
        char fixed[ECHO_MAX_BYTES + 8];
        size_t i = 0;
        for (; shown[i] != '\0'; i++)
            fixed[i] = shown[i] == '\\' ? '/' : shown[i];
        fixed[i] = '\0';
        report(c, BT_DIAG_ERROR, node->line,
               "đường dẫn âm thanh \"%s\" dùng dấu \"\\\" — hãy dùng dấu \"/\": \"%s\"", shown,
               fixed);
        return -1;
    }
    bool parent = false;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.')
            parent = true;
        p += len;
        if (*p == '/')
            p++;
    }
    if (path[0] == '/' || path[1] == ':' || parent) {
        report(c, BT_DIAG_ERROR, node->line,
               "đường dẫn âm thanh \"%s\" không được phép — chỉ dùng đường dẫn tương đối nằm "
               "trong thư mục playlist, ví dụ \"audio/tin-dvc-truc-tuyen.ogg\" (không bắt đầu "
               "bằng \"/\", không dùng \"..\")",
               shown);
        return -1;
    }
    bool known = false;
    for (size_t i = 0; i < sizeof audio_extensions / sizeof audio_extensions[0]; i++)
        known = known || has_suffix_ci(path, audio_extensions[i]);
    if (!known) {
        report(c, BT_DIAG_ERROR, node->line,
               "tệp âm thanh \"%s\" không được hỗ trợ — chỉ dùng tệp .wav, .ogg hoặc .mp3 (hãy "
               "chuyển đổi tệp sang một trong các dạng này)",
               shown);
        return -1;
    }
    *out = copy_string(path);
    if (!*out) {
        report_no_memory(c, node->line);
        return -1;
    }
    return 0;
}

/* ---- items -------------------------------------------------------------------------------- */

static void item_free(bt_broadcast_item *it)
{
    free(it->id);
    free(it->title);
    free(it->audio);
    free(it->topic);
    memset(it, 0, sizeof *it);
}

static const char *item_label(const bt_broadcast_item *it, size_t index, char *buf, size_t size)
{
    if (it->id)
        snprintf(buf, size, "tin \"%s\"", it->id);
    else
        snprintf(buf, size, "tin thứ %zu", index + 1);
    return buf;
}

static void report_missing(vctx *c, int line, const char *label, const key_spec *spec)
{
    report(c, BT_DIAG_ERROR, line, "%s thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s",
           label, spec->name, spec->what, spec->example);
}

static void validate_item(vctx *c, const bt_node *group, size_t index, bt_broadcast_item *it,
                          int *id_line)
{
    const bt_node *found[IK_COUNT] = {0};
    char label[LABEL_BYTES];
    memset(it, 0, sizeof *it);
    it->priority = BT_BROADCAST_NORMAL;
    it->line = group->line;
    scan_group(c, group, LEVEL_ITEM, found);
    for (size_t k = 0; k < IK_COUNT; k++) {
        const bt_node *node = found[k];
        int word;
        if (!node || !check_type(c, &item_keys[k], node))
            continue;
        switch (k) {
        case IK_ID:
            if (take_id(c, node, "mã tin", BT_MAX_ID_BYTES, &it->id) == 0)
                *id_line = node->line;
            break;
        case IK_TITLE:
            take_text(c, node, "tiêu đề tin", BT_MAX_TITLE_BYTES, &it->title);
            break;
        case IK_AUDIO:
            take_audio(c, node, &it->audio);
            break;
        case IK_TOPIC:
            take_id(c, node, "chủ đề", BT_MAX_TOPIC_BYTES, &it->topic);
            break;
        case IK_PRIORITY:
            if (take_word(c, node, priority_names, PRIORITY_COUNT, "mức ưu tiên",
                          "chỉ dùng \"normal\" (thường), \"priority\" (ưu tiên) hoặc "
                          "\"emergency\" (khẩn cấp)",
                          &word) == 0)
                it->priority = (bt_broadcast_priority)word;
            break;
        default:
            break;
        }
    }
    item_label(it, index, label, sizeof label);
    for (size_t k = 0; k < IK_COUNT; k++)
        if (!found[k] && item_keys[k].required)
            report_missing(c, group->line, label, &item_keys[k]);
}

/* ---- sessions ----------------------------------------------------------------------------- */

static void session_defaults(bt_broadcast_session *s, int line)
{
    memset(s, 0, sizeof *s);
    s->weekdays = BT_WEEKDAYS_ALL;
    s->from_day = BT_DAY_NONE_FROM;
    s->until_day = BT_DAY_NONE_UNTIL;
    s->makeup = BT_MAKEUP_QUARTER;
    s->line = line;
}

static void session_free(bt_broadcast_session *s)
{
    free(s->id);
    free(s->name);
    memset(s, 0, sizeof *s);
}

static const char *session_label(const bt_broadcast_session *s, size_t index, char *buf,
                                 size_t size)
{
    if (s->id)
        snprintf(buf, size, "buổi phát \"%s\"", s->id);
    else
        snprintf(buf, size, "buổi phát thứ %zu", index + 1);
    return buf;
}

static void report_time_shape(vctx *c, int line, const char *token)
{
    char shown[ECHO_MAX_BYTES + 8];
    report(c, BT_DIAG_ERROR, line,
           "giờ phát \"%s\" không đúng dạng — viết HH:MM, nhiều giờ cách nhau bằng dấu phẩy, ví "
           "dụ \"06:00,17:00\"",
           echo(token, shown, sizeof shown));
}

/* times = "06:00,17:00": minutes of the day, each once. */
static void take_times(vctx *c, const bt_node *node, bt_broadcast_session *s)
{
    char where[64], item[TOKEN_BYTES], shown[ECHO_MAX_BYTES + 8];
    const char *p = str_of(node);
    size_t total = 0;
    if (!require_utf8(c, node, where_of(node, "", where, sizeof where)))
        return;
    if (trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        report(c, BT_DIAG_ERROR, node->line,
               "khoá \"times\" để trống — viết giờ phát, ví dụ \"06:00,17:00\", hoặc xoá dòng "
               "này nếu buổi phát chỉ phát vào các thời điểm trong at");
        return;
    }
    for (;;) {
        bool more;
        int minutes = 0;
        bool fits = next_piece(&p, item, sizeof item, &more);
        total++;
        if (!fits) {
            report_time_shape(c, node->line, "…");
        } else if (item[0] == '\0') {
            report(c, BT_DIAG_ERROR, node->line,
                   "danh sách giờ phát \"%s\" có dấu phẩy thừa — ví dụ đúng: \"06:00,17:00\"",
                   echo(str_of(node), shown, sizeof shown));
        } else {
            clock_status st = clock_minutes(item, false, &minutes);
            if (st == CLOCK_SHAPE) {
                report_time_shape(c, node->line, item);
            } else if (st != CLOCK_OK) {
                report(c, BT_DIAG_ERROR, node->line,
                       "giờ phát \"%s\" không có thật — giờ từ 00 đến 23, phút từ 00 đến 59 "
                       "(nửa đêm viết 00:00)",
                       echo(item, shown, sizeof shown));
            } else {
                bool repeated = false;
                for (size_t i = 0; i < s->time_count; i++)
                    repeated = repeated || s->times[i] == minutes;
                if (repeated)
                    report(c, BT_DIAG_ERROR, node->line,
                           "giờ phát \"%s\" bị lặp lại trong times — mỗi giờ chỉ ghi một lần",
                           echo(item, shown, sizeof shown));
                else if (s->time_count < BT_MAX_SESSION_TIMES)
                    s->times[s->time_count++] = (int16_t)minutes;
            }
        }
        if (!more)
            break;
    }
    if (total > BT_MAX_SESSION_TIMES)
        report(c, BT_DIAG_ERROR, node->line,
               "quá nhiều giờ phát trong một buổi (%zu, tối đa %d) — hãy tách thành nhiều buổi "
               "phát",
               total, BT_MAX_SESSION_TIMES);
}

/* One `at` value: a local date-time; explains a bad date and a bad time separately. */
static void take_one_at(vctx *c, const bt_node *elem, int line, bt_broadcast_session *s,
                        size_t *total)
{
    char text[TOKEN_BYTES * 2] = "", shown[ECHO_MAX_BYTES + 8];
    const char *raw = str_of(elem);
    bt_wall when;
    (*total)++;
    echo(raw, shown, sizeof shown);
    bool copied = bt_text_utf8_valid(raw, strlen(raw)) &&
                  trimmed_copy(raw, strlen(raw), text, sizeof text);
    if (!copied || bt_time_parse_datetime(text, &when) != 0) {
        char date[TOKEN_BYTES];
        const char *space = copied ? strpbrk(text, " T") : NULL;
        int y, m, d;
        bt_day day;
        bool date_shaped = space && (size_t)(space - text) < sizeof date;
        if (date_shaped) {
            memcpy(date, text, (size_t)(space - text));
            date[space - text] = '\0';
        }
        if (date_shaped && bt_time_parse_date(date, &day) == 0)
            report(c, BT_DIAG_ERROR, line,
                   "thời điểm phát \"%s\" có giờ không đúng — viết giờ dạng HH:MM từ 00:00 đến "
                   "23:59, ví dụ \"2025-10-10 06:15\"",
                   shown);
        else if (date_shaped && loose_date(date, &y, &m, &d))
            report(c, BT_DIAG_ERROR, line,
                   "thời điểm phát \"%s\" có ngày không tồn tại — kiểm tra ngày và tháng "
                   "(dd/mm/yyyy hoặc yyyy-mm-dd)",
                   shown);
        else
            report(c, BT_DIAG_ERROR, line,
                   "thời điểm phát \"%s\" không đúng dạng — viết \"yyyy-mm-dd HH:MM\" (ví dụ "
                   "\"2025-10-10 06:15\") hoặc \"dd/mm/yyyy HH:MM\" (ví dụ \"10/10/2025 06:15\")",
                   shown);
        return;
    }
    for (size_t i = 0; i < s->at_count; i++) {
        if (s->at[i] == when) {
            report(c, BT_DIAG_ERROR, line,
                   "thời điểm phát \"%s\" bị lặp lại trong at — mỗi thời điểm chỉ ghi một lần",
                   shown);
            return;
        }
    }
    if (s->at_count < BT_MAX_SESSION_ONE_OFFS)
        s->at[s->at_count++] = when;
}

static void take_at(vctx *c, const bt_node *node, bt_broadcast_session *s)
{
    size_t total = 0;
    if (node->type == BT_NODE_STRING) {
        take_one_at(c, node, node->line, s, &total);
        return;
    }
    if (node->child_count == 0)
        report(c, BT_DIAG_WARNING, node->line,
               "khoá \"at\" không có thời điểm nào — xoá dòng này nếu buổi phát không phát một "
               "lần");
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *elem = &node->children[i];
        int line = elem->line > 0 ? elem->line : node->line;
        if (elem->type != BT_NODE_STRING) {
            report(c, BT_DIAG_ERROR, line,
                   "phần tử thứ %zu trong at phải là thời điểm trong dấu \"...\", ví dụ "
                   "\"2025-10-10 06:15\", nhưng đang là %s",
                   i + 1, bt_node_type_vi(elem->type));
            total++;
            continue;
        }
        take_one_at(c, elem, line, s, &total);
    }
    if (total > BT_MAX_SESSION_ONE_OFFS)
        report(c, BT_DIAG_ERROR, node->line,
               "quá nhiều thời điểm phát một lần trong một buổi (%zu, tối đa %d) — hãy tách "
               "thành nhiều buổi phát",
               total, BT_MAX_SESSION_ONE_OFFS);
}

/* items = [ "tin-a", "tin-b" ]: resolved against the items already read. */
static void take_item_refs(vctx *c, const bt_node *node, const bt_broadcasts *b,
                           bt_broadcast_session *s, const char *label)
{
    char shown[ECHO_MAX_BYTES + 8];
    if (node->child_count == 0) {
        report(c, BT_DIAG_ERROR, node->line,
               "%s chưa có tin nào — thêm mã tin vào items, ví dụ: items = [ "
               "\"tin-dvc-truc-tuyen\" ];",
               label);
        return;
    }
    if (node->child_count > BT_MAX_SESSION_ITEMS)
        report(c, BT_DIAG_ERROR, node->line,
               "%s có quá nhiều tin (%zu, tối đa %d) — hãy chia thành nhiều buổi phát", label,
               node->child_count, BT_MAX_SESSION_ITEMS);
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *elem = &node->children[i];
        int line = elem->line > 0 ? elem->line : node->line;
        if (elem->type != BT_NODE_STRING) {
            report(c, BT_DIAG_ERROR, line,
                   "phần tử thứ %zu trong items của %s phải là mã tin trong dấu \"...\", nhưng "
                   "đang là %s",
                   i + 1, label, bt_node_type_vi(elem->type));
            continue;
        }
        size_t index = bt_broadcasts_item_index(b, str_of(elem));
        if (index == SIZE_MAX) {
            const char **ids = calloc(b->item_count ? b->item_count : 1, sizeof *ids);
            const char *guess = NULL;
            if (ids) {
                for (size_t k = 0; k < b->item_count; k++)
                    ids[k] = b->items[k].id;
                guess = nearest(str_of(elem), ids, b->item_count);
            }
            echo(str_of(elem), shown, sizeof shown);
            if (guess)
                report(c, BT_DIAG_ERROR, line,
                       "%s dùng tin \"%s\" nhưng không có tin nào mang mã này — có phải ý bạn là "
                       "\"%s\"?",
                       label, shown, guess);
            else
                report(c, BT_DIAG_ERROR, line,
                       "%s dùng tin \"%s\" nhưng không có tin nào mang mã này trong items = ( "
                       "... ) của nhóm broadcasts — hãy kiểm tra lại mã tin",
                       label, shown);
            free(ids);
            continue;
        }
        if (s->item_count < BT_MAX_SESSION_ITEMS)
            s->items[s->item_count++] = index;
    }
}

static const char *range_text(bt_day from, bt_day until, char *buf, size_t size)
{
    char a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    if (from != BT_DAY_NONE_FROM && until != BT_DAY_NONE_UNTIL)
        snprintf(buf, size, "từ %s đến %s", bt_time_format_ddmmyyyy(from, a, sizeof a),
                 bt_time_format_ddmmyyyy(until, b, sizeof b));
    else if (from != BT_DAY_NONE_FROM)
        snprintf(buf, size, "từ %s", bt_time_format_ddmmyyyy(from, a, sizeof a));
    else
        snprintf(buf, size, "đến %s", bt_time_format_ddmmyyyy(until, b, sizeof b));
    return buf;
}

/* Cross-key checks of one session once its keys are read. */
static void check_session(vctx *c, const bt_node **found, const bt_node *group,
                          const bt_broadcast_session *s, const char *label, bool from_ok,
                          bool until_ok)
{
    char a[DATE_TEXT_BYTES], b2[DATE_TEXT_BYTES], range[96], when[64];
    if (!found[SK_TIMES] && !found[SK_AT])
        report(c, BT_DIAG_ERROR, group->line,
               "%s chưa có giờ phát — thêm times = \"06:00\"; (phát theo giờ hằng ngày) hoặc at = "
               "[ \"2025-10-10 06:15\" ]; (phát một lần)",
               label);
    if (from_ok && until_ok && s->from_day > s->until_day)
        report(c, BT_DIAG_ERROR, found[SK_UNTIL]->line,
               "khoảng ngày bị ngược: \"from\" (%s) sau \"until\" (%s) — ngày bắt đầu phải trước "
               "hoặc trùng ngày kết thúc",
               bt_time_format_ddmmyyyy(s->from_day, a, sizeof a),
               bt_time_format_ddmmyyyy(s->until_day, b2, sizeof b2));
    if (!found[SK_TIMES] && found[SK_AT]) {
        static const size_t recurring_only[] = {SK_WEEKDAYS, SK_FROM, SK_UNTIL};
        for (size_t i = 0; i < sizeof recurring_only / sizeof recurring_only[0]; i++) {
            const bt_node *node = found[recurring_only[i]];
            if (node)
                report(c, BT_DIAG_WARNING, node->line,
                       "khoá \"%s\" chỉ áp dụng cho giờ phát hằng ngày (times); %s không có times "
                       "nên khoá này không có tác dụng — xoá dòng này",
                       node->name, label);
        }
        return;
    }
    if (s->from_day > s->until_day || (s->from_day == BT_DAY_NONE_FROM &&
                                       s->until_day == BT_DAY_NONE_UNTIL))
        return;
    for (size_t i = 0; i < s->at_count; i++) {
        bt_day day = bt_time_day_of(s->at[i]);
        if (day >= s->from_day && day <= s->until_day)
            continue;
        char hm[HHMM_BYTES], dd[DATE_TEXT_BYTES];
        snprintf(when, sizeof when, "%s %s", bt_time_format_hhmm(s->at[i], hm, sizeof hm),
                 bt_time_format_ddmmyyyy(day, dd, sizeof dd));
        report(c, BT_DIAG_WARNING, found[SK_AT]->line,
               "thời điểm phát một lần %s nằm ngoài khoảng ngày của %s (%s) — thời điểm trong at "
               "vẫn được phát; hãy kiểm tra lại nếu đây là nhầm lẫn",
               when, label, range_text(s->from_day, s->until_day, range, sizeof range));
    }
}

static void validate_session(vctx *c, const bt_node *group, size_t index, const bt_broadcasts *b,
                             bt_broadcast_session *s, int *id_line)
{
    const bt_node *found[SK_COUNT] = {0};
    char label[LABEL_BYTES];
    bool from_ok = false, until_ok = false;
    int word;

    session_defaults(s, group->line);
    scan_group(c, group, LEVEL_SESSION, found);
    if (found[SK_ID] && check_type(c, &session_keys[SK_ID], found[SK_ID]) &&
        take_id(c, found[SK_ID], "mã buổi phát", BT_MAX_ID_BYTES, &s->id) == 0)
        *id_line = found[SK_ID]->line;
    session_label(s, index, label, sizeof label);
    for (size_t k = 0; k < SK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || k == SK_ID || !check_type(c, &session_keys[k], node))
            continue;
        switch (k) {
        case SK_NAME:
            take_text(c, node, "tên buổi phát", BT_MAX_TITLE_BYTES, &s->name);
            break;
        case SK_TIMES:
            take_times(c, node, s);
            break;
        case SK_WEEKDAYS:
            take_weekdays(c, node, &s->weekdays);
            break;
        case SK_FROM:
            from_ok = take_date(c, node, &s->from_day) == 0;
            break;
        case SK_UNTIL:
            until_ok = take_date(c, node, &s->until_day) == 0;
            break;
        case SK_AT:
            take_at(c, node, s);
            break;
        case SK_ITEMS:
            take_item_refs(c, node, b, s, label);
            break;
        case SK_MAKEUP:
            if (take_word(c, node, makeup_names, MAKEUP_COUNT, "cách phát bù",
                          "chỉ dùng \"none\" (không phát bù), \"day\" (bù trong ngày), \"week\" "
                          "(trong tuần), \"month\" (trong tháng) hoặc \"quarter\" (trong quý)",
                          &word) == 0)
                s->makeup = (bt_makeup_scope)word;
            break;
        default:
            break;
        }
    }
    for (size_t k = 0; k < SK_COUNT; k++)
        if (!found[k] && session_keys[k].required)
            report_missing(c, group->line, label, &session_keys[k]);
    check_session(c, found, group, s, label, from_ok, until_ok);
}

/* ---- the group ---------------------------------------------------------------------------- */

/* ids[i] is NULL where the id itself was wrong (already reported). */
static void check_duplicates(vctx *c, const char *what, const char *each, const char *const *ids,
                             size_t count, const int *lines)
{
    for (size_t i = 0; i < count; i++) {
        if (!ids[i])
            continue;
        for (size_t j = 0; j < i; j++) {
            if (ids[j] && strcmp(ids[i], ids[j]) == 0) {
                report(c, BT_DIAG_ERROR, lines[i],
                       "%s \"%s\" bị trùng với %s ở dòng %d — mỗi %s cần một mã riêng", what,
                       ids[i], each, lines[j], each);
                break;
            }
        }
    }
}

static void validate_items(vctx *c, const bt_node *list, bt_broadcasts *b)
{
    size_t count = list->child_count;
    int *lines;
    if (count == 0) {
        report(c, BT_DIAG_WARNING, list->line,
               "nhóm broadcasts chưa có tin nào — loa sẽ không phát gì; hãy thêm tin vào items = "
               "( ... )");
        return;
    }
    if (count > BT_MAX_BROADCAST_ITEMS)
        report(c, BT_DIAG_ERROR, list->line,
               "quá nhiều tin phát thanh (%zu, tối đa %d) — hãy bỏ bớt tin cũ", count,
               BT_MAX_BROADCAST_ITEMS);
    b->items = calloc(count, sizeof *b->items);
    lines = calloc(count, sizeof *lines);
    if (!b->items || !lines) {
        report_no_memory(c, list->line);
        free(lines);
        return;
    }
    b->item_count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &list->children[i];
        lines[i] = elem->line;
        if (elem->type != BT_NODE_GROUP) {
            b->items[i].line = elem->line;
            report(c, BT_DIAG_ERROR, elem->line,
                   "phần tử thứ %zu trong items phải là một nhóm { ... } mô tả một tin, nhưng "
                   "đang là %s — ví dụ: { id = \"tin-dvc\"; title = \"...\"; audio = "
                   "\"audio/tin-dvc.ogg\"; }",
                   i + 1, bt_node_type_vi(elem->type));
            continue;
        }
        validate_item(c, elem, i, &b->items[i], &lines[i]);
    }
    const char **ids = calloc(count, sizeof *ids);
    if (ids) {
        for (size_t i = 0; i < count; i++)
            ids[i] = b->items[i].id;
        check_duplicates(c, "mã tin", "tin", ids, count, lines);
    }
    free(ids);
    free(lines);
}

static void validate_sessions(vctx *c, const bt_node *list, bt_broadcasts *b)
{
    size_t count = list->child_count;
    int *lines;
    if (count == 0) {
        if (b->item_count > 0)
            report(c, BT_DIAG_WARNING, list->line,
                   "nhóm broadcasts chưa có buổi phát nào — các tin sẽ không được phát; hãy thêm "
                   "buổi phát vào sessions = ( ... )");
        return;
    }
    if (count > BT_MAX_BROADCAST_SESSIONS)
        report(c, BT_DIAG_ERROR, list->line,
               "quá nhiều buổi phát (%zu, tối đa %d) — hãy gộp các buổi phát", count,
               BT_MAX_BROADCAST_SESSIONS);
    b->sessions = calloc(count, sizeof *b->sessions);
    lines = calloc(count, sizeof *lines);
    if (!b->sessions || !lines) {
        report_no_memory(c, list->line);
        free(lines);
        return;
    }
    b->session_count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &list->children[i];
        lines[i] = elem->line;
        if (elem->type != BT_NODE_GROUP) {
            session_defaults(&b->sessions[i], elem->line);
            report(c, BT_DIAG_ERROR, elem->line,
                   "phần tử thứ %zu trong sessions phải là một nhóm { ... } mô tả một buổi phát, "
                   "nhưng đang là %s — ví dụ: { id = \"ban-tin-sang\"; name = \"Bản tin sáng\"; "
                   "times = \"06:00\"; items = [ \"tin-dvc\" ]; }",
                   i + 1, bt_node_type_vi(elem->type));
            continue;
        }
        validate_session(c, elem, i, b, &b->sessions[i], &lines[i]);
    }
    const char **ids = calloc(count, sizeof *ids);
    if (ids) {
        for (size_t i = 0; i < count; i++)
            ids[i] = b->sessions[i].id;
        check_duplicates(c, "mã buổi phát", "buổi phát", ids, count, lines);
    }
    free(ids);
    free(lines);
}

/* An item no session airs is almost always a forgotten id in a session's items. */
static void warn_unused_items(vctx *c, const bt_broadcasts *b)
{
    char label[LABEL_BYTES];
    for (size_t i = 0; i < b->item_count; i++) {
        bool used = false;
        for (size_t s = 0; s < b->session_count && !used; s++)
            for (size_t k = 0; k < b->sessions[s].item_count && !used; k++)
                used = b->sessions[s].items[k] == i;
        if (!used && b->items[i].id)
            report(c, BT_DIAG_WARNING, b->items[i].line,
                   "%s không thuộc buổi phát nào nên sẽ không bao giờ được phát — thêm mã tin "
                   "vào items của một buổi phát, hoặc xoá tin này",
                   item_label(&b->items[i], i, label, sizeof label));
    }
}

void bt_broadcasts_init(bt_broadcasts *b)
{
    memset(b, 0, sizeof *b);
}

void bt_broadcasts_free(bt_broadcasts *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->item_count; i++)
        item_free(&b->items[i]);
    free(b->items);
    for (size_t i = 0; i < b->session_count; i++)
        session_free(&b->sessions[i]);
    free(b->sessions);
    bt_broadcasts_init(b);
}

int bt_broadcasts_from_tree(const bt_node *group, const char *file, bt_broadcasts *out,
                            bt_diags *diags)
{
    vctx c = {file ? file : BT_PLAYLIST_FILE, diags, 0, false};
    const bt_node *found[GK_COUNT] = {0};
    bt_broadcasts b;

    bt_broadcasts_init(out);
    bt_broadcasts_init(&b);
    if (!group)
        return 0;
    if (group->type != BT_NODE_GROUP) {
        report(&c, BT_DIAG_ERROR, group->line,
               "khoá \"broadcasts\" phải là %s, nhưng đang là %s — ví dụ: broadcasts = { items = "
               "( ... ); sessions = ( ... ); };",
               bt_node_type_vi(BT_NODE_GROUP), bt_node_type_vi(group->type));
        return -1;
    }
    scan_group(&c, group, LEVEL_GROUP, found);
    /* Items first, whatever the order in the file: sessions refer to them by id. */
    if (found[GK_ITEMS] && check_type(&c, &group_keys[GK_ITEMS], found[GK_ITEMS]))
        validate_items(&c, found[GK_ITEMS], &b);
    if (found[GK_SESSIONS] && check_type(&c, &group_keys[GK_SESSIONS], found[GK_SESSIONS]))
        validate_sessions(&c, found[GK_SESSIONS], &b);
    for (size_t k = 0; k < GK_COUNT; k++)
        if (!found[k])
            report(&c, BT_DIAG_ERROR, group->line,
                   "nhóm broadcasts thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s",
                   group_keys[k].name, group_keys[k].what, group_keys[k].example);
    if (c.errors == 0)
        warn_unused_items(&c, &b);
    if (c.errors > 0) {
        bt_broadcasts_free(&b);
        return -1;
    }
    *out = b;
    return 0;
}

/* ---- small queries ------------------------------------------------------------------------ */

bt_broadcast_priority bt_broadcast_session_priority(const bt_broadcasts *b, size_t session)
{
    bt_broadcast_priority best = BT_BROADCAST_NORMAL;
    if (!b || session >= b->session_count)
        return best;
    const bt_broadcast_session *s = &b->sessions[session];
    for (size_t k = 0; k < s->item_count; k++)
        if (s->items[k] < b->item_count && b->items[s->items[k]].priority > best)
            best = b->items[s->items[k]].priority;
    return best;
}

bool bt_broadcast_session_all_emergency(const bt_broadcasts *b, size_t session)
{
    if (!b || session >= b->session_count || b->sessions[session].item_count == 0)
        return false;
    const bt_broadcast_session *s = &b->sessions[session];
    for (size_t k = 0; k < s->item_count; k++)
        if (s->items[k] >= b->item_count ||
            b->items[s->items[k]].priority != BT_BROADCAST_EMERGENCY)
            return false;
    return true;
}

double bt_broadcast_session_seconds(const bt_broadcasts *b, size_t session, size_t first_item)
{
    double total = 0;
    if (!b || session >= b->session_count)
        return 0;
    const bt_broadcast_session *s = &b->sessions[session];
    for (size_t k = first_item; k < s->item_count; k++) {
        if (s->items[k] >= b->item_count || b->items[s->items[k]].duration_seconds <= 0)
            return 0;
        total += b->items[s->items[k]].duration_seconds;
    }
    return total;
}

const char *bt_broadcast_priority_name(bt_broadcast_priority p)
{
    return (size_t)p < PRIORITY_COUNT ? priority_names[p] : "?";
}

const char *bt_broadcast_makeup_name(bt_makeup_scope m)
{
    return (size_t)m < MAKEUP_COUNT ? makeup_names[m] : "?";
}

size_t bt_broadcasts_session_index(const bt_broadcasts *b, const char *id)
{
    for (size_t i = 0; b && id && i < b->session_count; i++)
        if (b->sessions[i].id && strcmp(b->sessions[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

size_t bt_broadcasts_item_index(const bt_broadcasts *b, const char *id)
{
    for (size_t i = 0; b && id && i < b->item_count; i++)
        if (b->items[i].id && strcmp(b->items[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

/* ---- ward limits -------------------------------------------------------------------------- */

/* "4:35", or "1:02:03" past an hour. */
static const char *duration_text(double seconds, char *buf, size_t size)
{
    long long s = (long long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

static const char *windows_text(const bt_broadcast_limits *lim, char *buf, size_t size)
{
    size_t n = 0;
    char a[HHMM_BYTES], b[HHMM_BYTES];
    buf[0] = '\0';
    for (size_t i = 0; i < lim->window_count && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s-%s", i ? ", " : "",
                         hhmm_text(lim->windows[i].start_minute, a, sizeof a),
                         hhmm_text(lim->windows[i].end_minute, b, sizeof b));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

/* A session's id for messages (a model built by hand might lack one). */
static const char *sid(const bt_broadcast_session *s)
{
    return s->id ? s->id : "?";
}

/* The window holding second-of-day `sec`, or -1. */
static int window_of(const bt_broadcast_limits *lim, long sec)
{
    for (size_t i = 0; i < lim->window_count; i++)
        if (sec >= lim->windows[i].start_minute * 60L && sec < lim->windows[i].end_minute * 60L)
            return (int)i;
    return -1;
}

/* One start (a time of day, or a one-off) against the windows. `when` names it in messages. */
static void check_start_in_windows(vctx *c, const bt_broadcast_limits *lim,
                                   const bt_broadcast_session *s, long sec, double seconds,
                                   const char *when)
{
    char list[128], dur[DURATION_BYTES], end[HHMM_BYTES], wa[HHMM_BYTES], wb[HHMM_BYTES];
    int w = window_of(lim, sec);
    if (w < 0) {
        report(c, BT_DIAG_ERROR, s->line,
               "buổi phát \"%s\" lúc %s nằm ngoài khung giờ phát thanh của phường (%s) — hãy dời "
               "giờ phát vào trong khung giờ; chỉ buổi phát mà mọi tin đều khẩn cấp (priority = "
               "\"emergency\") mới được phát ngoài khung giờ",
               sid(s), when, windows_text(lim, list, sizeof list));
        return;
    }
    long finish = sec + (long)(seconds + 0.999);
    if (seconds > 0 && finish > lim->windows[w].end_minute * 60L)
        report(c, BT_DIAG_ERROR, s->line,
               "buổi phát \"%s\" lúc %s dài %s nên kéo dài đến %s, quá khung giờ phát thanh "
               "%s-%s của phường — hãy phát sớm hơn hoặc bớt tin",
               sid(s), when, duration_text(seconds, dur, sizeof dur),
               hhmm_text((int)((finish + 59) / 60), end, sizeof end),
               hhmm_text(lim->windows[w].start_minute, wa, sizeof wa),
               hhmm_text(lim->windows[w].end_minute, wb, sizeof wb));
}

typedef struct {
    long sec;       /* second of the day */
    size_t session;
} day_slot;

static int day_slot_compare(const void *pa, const void *pb)
{
    const day_slot *a = pa, *b = pb;
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    return (a->session > b->session) - (a->session < b->session);
}

/* Every airing of a local day (recurring times and one-offs, a one-off equal to a recurring
 * time counted once), sorted by time. buf must hold session_count × (times + one-offs). */
static size_t slots_of_day(const bt_broadcasts *b, bt_day day, day_slot *buf)
{
    size_t n = 0;
    int weekday_bit = 1 << (bt_time_weekday_of_day(day) - 1);
    bt_wall start = bt_time_day_start(day);
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        bool recurring = s->time_count > 0 && day >= s->from_day && day <= s->until_day &&
                         (s->weekdays & weekday_bit);
        size_t first = n;
        for (size_t k = 0; recurring && k < s->time_count; k++)
            buf[n++] = (day_slot){s->times[k] * 60L, i};
        for (size_t k = 0; k < s->at_count; k++) {
            if (bt_time_day_of(s->at[k]) != day)
                continue;
            long sec = (long)(s->at[k] - start);
            bool dup = false;
            for (size_t j = first; j < n; j++)
                dup = dup || buf[j].sec == sec;
            if (!dup)
                buf[n++] = (day_slot){sec, i};
        }
    }
    qsort(buf, n, sizeof *buf, day_slot_compare);
    return n;
}

static int compare_day(const void *pa, const void *pb)
{
    bt_day a = *(const bt_day *)pa, b = *(const bt_day *)pb;
    return (a > b) - (a < b);
}

/* Days on which the set of airing rules can change: a session's from and until+1, each one-off
 * day and the day after. Between two such days only the weekday matters, so seven consecutive
 * days of each stretch stand for all of it. */
static size_t change_days(const bt_broadcasts *b, bt_day *days)
{
    size_t n = 0;
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        if (s->time_count > 0 && s->from_day != BT_DAY_NONE_FROM)
            days[n++] = s->from_day;
        if (s->time_count > 0 && s->until_day != BT_DAY_NONE_UNTIL)
            days[n++] = s->until_day + 1;
        for (size_t k = 0; k < s->at_count; k++) {
            days[n++] = bt_time_day_of(s->at[k]);
            days[n++] = bt_time_day_of(s->at[k]) + 1;
        }
    }
    qsort(days, n, sizeof *days, compare_day);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || days[u - 1] != days[i])
            days[u++] = days[i];
    return u;
}

/* Reports the first day with too many sessions; true if one was found. */
static bool check_day(vctx *c, const bt_broadcasts *b, const bt_broadcast_limits *lim, bt_day day,
                      bool weekly, day_slot *buf)
{
    char list[BT_MAX_DIAG_MESSAGE / 2], dd[DATE_TEXT_BYTES], hm[HHMM_BYTES];
    size_t n = slots_of_day(b, day, buf), len = 0;
    if ((long)n <= lim->max_sessions_per_day)
        return false;
    list[0] = '\0';
    for (size_t i = 0; i < n && len < sizeof list; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s %s", i ? ", " : "",
                         sid(&b->sessions[buf[i].session]),
                         hhmm_text((int)(buf[i].sec / 60), hm, sizeof hm));
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
    }
    const bt_broadcast_session *over = &b->sessions[buf[lim->max_sessions_per_day].session];
    const char *weekday = bt_time_weekday_vi(bt_time_weekday_of_day(day));
    if (weekly)
        report(c, BT_DIAG_ERROR, over->line,
               "mỗi %s có %zu buổi phát (%s), vượt giới hạn %d buổi mỗi ngày của phường — hãy "
               "bớt buổi phát hoặc đổi thứ, ngày phát",
               weekday, n, list, lim->max_sessions_per_day);
    else
        report(c, BT_DIAG_ERROR, over->line,
               "ngày %s (%s) có %zu buổi phát (%s), vượt giới hạn %d buổi mỗi ngày của phường — "
               "hãy bớt buổi phát hoặc đổi thứ, ngày phát",
               bt_time_format_ddmmyyyy(day, dd, sizeof dd), weekday, n, list,
               lim->max_sessions_per_day);
    return true;
}

static void check_sessions_per_day(vctx *c, const bt_broadcasts *b, const bt_broadcast_limits *lim)
{
    size_t slots_cap = 1, days_cap = 1;
    for (size_t i = 0; i < b->session_count; i++) {
        slots_cap += b->sessions[i].time_count + b->sessions[i].at_count;
        days_cap += 2 + 2 * b->sessions[i].at_count;
    }
    day_slot *buf = malloc(slots_cap * sizeof *buf);
    bt_day *days = malloc(days_cap * sizeof *days);
    if (!buf || !days) {
        report_no_memory(c, 0);
        goto done;
    }
    size_t n = change_days(b, days);
    if (n == 0) {
        /* Only weekly rules, for ever: any week shows every case. */
        for (bt_day d = 0; d < 7; d++)
            if (check_day(c, b, lim, d, true, buf))
                goto done;
        goto done;
    }
    for (bt_day d = days[0] - 7; d < days[0]; d++)
        if (check_day(c, b, lim, d, true, buf))
            goto done;
    for (size_t k = 0; k < n; k++) {
        int64_t end = k + 1 < n ? (int64_t)days[k + 1] : (int64_t)days[k] + 7;
        for (int64_t d = days[k]; d < end && d < (int64_t)days[k] + 7; d++)
            if (check_day(c, b, lim, (bt_day)d, false, buf))
                goto done;
    }
done:
    free(buf);
    free(days);
}

int bt_broadcasts_check_limits(const bt_broadcasts *b, const bt_broadcast_limits *lim,
                               const char *file, bt_diags *diags)
{
    vctx c = {file ? file : BT_PLAYLIST_FILE, diags, 0, false};
    char when[64], hm[HHMM_BYTES], dd[DATE_TEXT_BYTES], dur[DURATION_BYTES];
    if (!b || !lim)
        return 0;
    for (size_t i = 0; i < b->session_count; i++) {
        const bt_broadcast_session *s = &b->sessions[i];
        double seconds = bt_broadcast_session_seconds(b, i, 0);
        if (lim->window_count > 0 && !bt_broadcast_session_all_emergency(b, i)) {
            for (size_t k = 0; k < s->time_count; k++)
                check_start_in_windows(&c, lim, s, s->times[k] * 60L, seconds,
                                       hhmm_text(s->times[k], hm, sizeof hm));
            for (size_t k = 0; k < s->at_count; k++) {
                bt_day day = bt_time_day_of(s->at[k]);
                snprintf(when, sizeof when, "%s ngày %s",
                         bt_time_format_hhmm(s->at[k], hm, sizeof hm),
                         bt_time_format_ddmmyyyy(day, dd, sizeof dd));
                check_start_in_windows(&c, lim, s, (long)(s->at[k] - bt_time_day_start(day)),
                                       seconds, when);
            }
        }
        if (lim->max_session_minutes > 0 && seconds > lim->max_session_minutes * 60.0)
            report(&c, BT_DIAG_ERROR, s->line,
                   "buổi phát \"%s\" dài %s (%zu tin), vượt giới hạn %d phút mỗi buổi của phường "
                   "— hãy bớt tin hoặc chia thành hai buổi phát",
                   sid(s), duration_text(seconds, dur, sizeof dur), s->item_count,
                   lim->max_session_minutes);
    }
    if (lim->max_sessions_per_day > 0)
        check_sessions_per_day(&c, b, lim);
    return c.errors > 0 ? -1 : 0;
}

/* ---- windows (appliance config) ----------------------------------------------------------- */

static void report_window_shape(vctx *c, int line, const char *span)
{
    char shown[ECHO_MAX_BYTES + 8];
    report(c, BT_DIAG_ERROR, line,
           "khung giờ phát thanh \"%s\" không đúng dạng — viết giờ bắt đầu-giờ kết thúc dạng "
           "HH:MM-HH:MM, nhiều khung cách nhau bằng dấu phẩy, ví dụ \"05:30-07:00,16:30-18:30\"",
           echo(span, shown, sizeof shown));
}

/* One "HH:MM-HH:MM" window; false after reporting. */
static bool window_span(vctx *c, int line, char *span, int *start, int *end)
{
    char first[TOKEN_BYTES], last[TOKEN_BYTES], shown[ECHO_MAX_BYTES + 8];
    char *dash = strchr(span, '-');
    if (!dash) {
        report_window_shape(c, line, span);
        return false;
    }
    *dash = '\0';
    bool ok = trimmed_copy(span, strlen(span), first, sizeof first) &&
              trimmed_copy(dash + 1, strlen(dash + 1), last, sizeof last);
    *dash = '-';
    clock_status a = ok ? clock_minutes(first, false, start) : CLOCK_SHAPE;
    clock_status b = ok ? clock_minutes(last, true, end) : CLOCK_SHAPE;
    echo(span, shown, sizeof shown);
    if (a == CLOCK_SHAPE || b == CLOCK_SHAPE) {
        report_window_shape(c, line, span);
        return false;
    }
    if (a != CLOCK_OK || b != CLOCK_OK) {
        report(c, BT_DIAG_ERROR, line,
               "giờ \"%s\" trong khung giờ phát thanh \"%s\" không có thật — giờ từ 00 đến 23, "
               "phút từ 00 đến 59 (riêng giờ kết thúc được viết 24:00)",
               a != CLOCK_OK ? first : last, shown);
        return false;
    }
    if (*end <= *start) {
        report(c, BT_DIAG_ERROR, line,
               "khung giờ phát thanh \"%s\" bị ngược hoặc rỗng — giờ kết thúc phải sau giờ bắt "
               "đầu; nếu muốn qua nửa đêm, hãy tách thành hai khung \"%s-24:00,00:00-%s\"",
               shown, first, last);
        return false;
    }
    return true;
}

int bt_broadcast_windows_parse(const char *text, const char *file, int line,
                               bt_broadcast_limits *lim, bt_diags *diags)
{
    vctx c = {file ? file : "", diags, 0, false};
    char item[TOKEN_BYTES * 2 + 2], shown[ECHO_MAX_BYTES + 8];
    const char *p = text ? text : "";
    int starts[BT_MAX_HOUR_SPANS], ends[BT_MAX_HOUR_SPANS];
    size_t n = 0, total = 0;
    if (trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        lim->window_count = 0;
        return 0;
    }
    if (!bt_text_utf8_valid(p, strlen(p))) {
        report_window_shape(&c, line, p);
        return -1;
    }
    for (;;) {
        bool more;
        int start = 0, end = 0;
        bool fits = next_piece(&p, item, sizeof item, &more);
        total++;
        if (!fits) {
            report_window_shape(&c, line, "…");
        } else if (item[0] == '\0') {
            report(&c, BT_DIAG_ERROR, line,
                   "danh sách khung giờ phát thanh \"%s\" có dấu phẩy thừa — ví dụ đúng: "
                   "\"05:30-07:00,16:30-18:30\"",
                   echo(text, shown, sizeof shown));
        } else if (window_span(&c, line, item, &start, &end) && n < BT_MAX_HOUR_SPANS) {
            /* Insertion keeps the windows sorted by start, which messages and makeup rely on. */
            size_t k = n++;
            while (k > 0 && starts[k - 1] > start) {
                starts[k] = starts[k - 1];
                ends[k] = ends[k - 1];
                k--;
            }
            starts[k] = start;
            ends[k] = end;
        }
        if (!more)
            break;
    }
    if (total > BT_MAX_HOUR_SPANS)
        report(&c, BT_DIAG_ERROR, line,
               "quá nhiều khung giờ phát thanh (%zu, tối đa %d) — hãy gộp các khung giờ liền nhau",
               total, BT_MAX_HOUR_SPANS);
    for (size_t k = 1; k < n && c.errors == 0; k++) {
        if (starts[k] < ends[k - 1]) {
            char a[HHMM_BYTES], b[HHMM_BYTES], x[HHMM_BYTES], y[HHMM_BYTES];
            report(&c, BT_DIAG_ERROR, line,
                   "khung giờ phát thanh %s-%s và %s-%s chồng lên nhau — hãy gộp thành một khung",
                   hhmm_text(starts[k - 1], a, sizeof a), hhmm_text(ends[k - 1], b, sizeof b),
                   hhmm_text(starts[k], x, sizeof x), hhmm_text(ends[k], y, sizeof y));
        }
    }
    if (c.errors > 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        lim->windows[k].start_minute = (int16_t)starts[k];
        lim->windows[k].end_minute = (int16_t)ends[k];
    }
    lim->window_count = n;
    return 0;
}

/* ---- dump --------------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} dump_buf;

static void dump_raw(dump_buf *d, const char *s, size_t len)
{
    if (d->failed)
        return;
    if (d->len + len + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 1024;
        while (cap < d->len + len + 1)
            cap *= 2;
        char *bigger = realloc(d->buf, cap);
        if (!bigger) {
            d->failed = true;
            return;
        }
        d->buf = bigger;
        d->cap = cap;
    }
    memcpy(d->buf + d->len, s, len);
    d->len += len;
    d->buf[d->len] = '\0';
}

static void dump_printf(dump_buf *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void dump_printf(dump_buf *d, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        d->failed = true;
    else
        dump_raw(d, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* `key = "value"` with \\, \" and control characters escaped; `key = -` when absent. */
static void dump_string(dump_buf *d, const char *prefix, const char *key, const char *value)
{
    dump_printf(d, "%s%s = ", prefix, key);
    if (!value) {
        dump_raw(d, "-\n", 2);
        return;
    }
    dump_raw(d, "\"", 1);
    for (const char *s = value; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            dump_raw(d, esc, 2);
        } else if (ch < 0x20 || ch == 0x7F) {
            dump_printf(d, "\\x%02X", ch);
        } else {
            dump_raw(d, s, 1);
        }
    }
    dump_raw(d, "\"\n", 2);
}

static void dump_day(dump_buf *d, const char *prefix, const char *key, bt_day day)
{
    char text[DATE_TEXT_BYTES];
    if (day == BT_DAY_NONE_FROM || day == BT_DAY_NONE_UNTIL)
        dump_printf(d, "%s%s = -\n", prefix, key);
    else
        dump_printf(d, "%s%s = %s\n", prefix, key, bt_time_format_iso_day(day, text, sizeof text));
}

static void dump_session(dump_buf *d, const bt_broadcasts *b, size_t index)
{
    const bt_broadcast_session *s = &b->sessions[index];
    char prefix[64], hm[HHMM_BYTES], iso[32];
    snprintf(prefix, sizeof prefix, "broadcasts.sessions[%zu].", index);
    dump_string(d, prefix, "id", s->id);
    dump_string(d, prefix, "name", s->name);
    dump_printf(d, "%stimes = %s", prefix, s->time_count ? "" : "-");
    for (size_t k = 0; k < s->time_count; k++)
        dump_printf(d, "%s%s", k ? "," : "", hhmm_text(s->times[k], hm, sizeof hm));
    dump_printf(d, "\n%sweekdays = ", prefix);
    bool first = true;
    for (int i = 0; i < 7; i++) {
        if (!(s->weekdays & (1u << i)))
            continue;
        dump_printf(d, "%s%s", first ? "" : ",", weekday_codes[i]);
        first = false;
    }
    dump_printf(d, "%s\n", first ? "-" : "");
    dump_day(d, prefix, "from", s->from_day);
    dump_day(d, prefix, "until", s->until_day);
    dump_printf(d, "%sat = %s", prefix, s->at_count ? "" : "-");
    for (size_t k = 0; k < s->at_count; k++)
        dump_printf(d, "%s%s", k ? "," : "", bt_time_format_iso(s->at[k], iso, sizeof iso));
    dump_printf(d, "\n%sitems = ", prefix);
    for (size_t k = 0; k < s->item_count; k++)
        dump_printf(d, "%s%s", k ? "," : "",
                    s->items[k] < b->item_count && b->items[s->items[k]].id
                        ? b->items[s->items[k]].id
                        : "?");
    dump_printf(d, "\n%smakeup = %s\n", prefix, bt_broadcast_makeup_name(s->makeup));
}

char *bt_broadcasts_dump(const bt_broadcasts *b)
{
    dump_buf d = {NULL, 0, 0, false};
    dump_printf(&d, "broadcasts.items = %zu\n", b->item_count);
    for (size_t i = 0; i < b->item_count; i++) {
        const bt_broadcast_item *it = &b->items[i];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "broadcasts.items[%zu].", i);
        dump_string(&d, prefix, "id", it->id);
        dump_string(&d, prefix, "title", it->title);
        dump_string(&d, prefix, "audio", it->audio);
        dump_string(&d, prefix, "topic", it->topic);
        dump_printf(&d, "%spriority = %s\n", prefix, bt_broadcast_priority_name(it->priority));
    }
    dump_printf(&d, "broadcasts.sessions = %zu\n", b->session_count);
    for (size_t i = 0; i < b->session_count; i++)
        dump_session(&d, b, i);
    if (d.failed) {
        free(d.buf);
        return NULL;
    }
    return d.buf;
}
