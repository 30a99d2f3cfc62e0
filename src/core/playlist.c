/* The playlist model and its validator.
 *
 * Validation walks the parsed tree once and reports EVERY problem it finds (file, line and a
 * Vietnamese message saying what is wrong and how to fix it), so a staff member preparing a
 * USB stick fixes all mistakes in one round instead of one per try. The keys are described
 * once, as tables (name, type, which notice kinds may or must have it, an example line); the
 * messages and the unknown-key suggestions are built from those tables.
 *
 * Pure: no files, no clock. Images are checked through the probe the shell passes in. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

/* ---- key tables --------------------------------------------------------------------------- */

enum { KIND_TEXT = 1u << BT_NOTICE_TEXT, KIND_IMAGE = 1u << BT_NOTICE_IMAGE,
       KIND_QR = 1u << BT_NOTICE_QR, KIND_ALL = KIND_TEXT | KIND_IMAGE | KIND_QR };

#define TYPE_BIT(t) (1u << (t))

typedef struct {
    const char *name;
    bt_node_type type;  /* the type named in messages */
    unsigned accepts;   /* TYPE_BIT set of node types accepted */
    unsigned allowed;   /* notice kinds that may have the key (notice keys only) */
    unsigned required;  /* notice kinds that must have it; for top-level keys KIND_ALL = required */
    const char *what;   /* Vietnamese name of the value, for messages */
    const char *example;/* a correct line to copy */
} key_spec;

enum { TOP_ID, TOP_VERSION, TOP_TITLE, TOP_VALID_FROM, TOP_VALID_UNTIL, TOP_NOTICES, TOP_TICKER,
       TOP_COUNT };

static const key_spec top_keys[TOP_COUNT] = {
    [TOP_ID] = {"id", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, KIND_ALL,
                "mã playlist", "id = \"bachmai-cchc\";"},
    [TOP_VERSION] = {"version", BT_NODE_INT, TYPE_BIT(BT_NODE_INT), KIND_ALL, KIND_ALL,
                     "số phiên bản", "version = 3;"},
    [TOP_TITLE] = {"title", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, KIND_ALL,
                   "tiêu đề playlist", "title = \"Thông tin CCHC phường Bạch Mai\";"},
    [TOP_VALID_FROM] = {"valid_from", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                        "ngày bắt đầu hiệu lực", "valid_from = \"01/10/2025\";"},
    [TOP_VALID_UNTIL] = {"valid_until", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                         "ngày hết hiệu lực", "valid_until = \"31/12/2026\";"},
    [TOP_NOTICES] = {"notices", BT_NODE_LIST,
                     TYPE_BIT(BT_NODE_LIST) | TYPE_BIT(BT_NODE_ARRAY), KIND_ALL, KIND_ALL,
                     "danh sách thông báo",
                     "notices = ( { id = \"dvc\"; kind = \"text\"; title = \"...\"; } );"},
    [TOP_TICKER] = {"ticker", BT_NODE_ARRAY,
                    TYPE_BIT(BT_NODE_ARRAY) | TYPE_BIT(BT_NODE_LIST), KIND_ALL, 0,
                    "dòng chữ chạy", "ticker = [ \"Dòng thứ nhất\", \"Dòng thứ hai\" ];"},
};

enum { NK_ID, NK_KIND, NK_TITLE, NK_BODY, NK_QR_URL, NK_QR_CAPTION, NK_IMAGE, NK_DURATION,
       NK_FROM, NK_UNTIL, NK_WEEKDAYS, NK_HOURS, NK_PRIORITY, NK_URGENT, NK_TOPIC, NK_COUNT };

static const key_spec notice_keys[NK_COUNT] = {
    [NK_ID] = {"id", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, KIND_ALL,
               "mã thông báo", "id = \"dvc-truc-tuyen\";"},
    [NK_KIND] = {"kind", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, KIND_ALL,
                 "loại thông báo", "kind = \"text\";"},
    [NK_TITLE] = {"title", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL,
                  KIND_TEXT | KIND_QR, "tiêu đề", "title = \"Nộp hồ sơ trực tuyến\";"},
    [NK_BODY] = {"body", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_TEXT, 0, "nội dung",
                 "body = \"Công dân có thể nộp hồ sơ tại nhà.\";"},
    [NK_QR_URL] = {"qr_url", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_TEXT | KIND_QR,
                   KIND_QR, "địa chỉ trang web của mã QR",
                   "qr_url = \"https://dichvucong.gov.vn\";"},
    [NK_QR_CAPTION] = {"qr_caption", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING),
                       KIND_TEXT | KIND_QR, 0, "chú thích dưới mã QR",
                       "qr_caption = \"Quét mã để nộp hồ sơ trực tuyến\";"},
    [NK_IMAGE] = {"image", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_IMAGE, KIND_IMAGE,
                  "đường dẫn tệp ảnh", "image = \"images/quy-trinh.png\";"},
    [NK_DURATION] = {"duration", BT_NODE_INT, TYPE_BIT(BT_NODE_INT), KIND_ALL, 0,
                     "thời lượng hiển thị (giây)", "duration = 20;"},
    [NK_FROM] = {"from", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                 "ngày bắt đầu hiển thị", "from = \"01/10/2025\";"},
    [NK_UNTIL] = {"until", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                  "ngày kết thúc hiển thị", "until = \"31/12/2025\";"},
    [NK_WEEKDAYS] = {"weekdays", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                     "các thứ trong tuần", "weekdays = \"T2-T6\";"},
    [NK_HOURS] = {"hours", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0,
                  "khung giờ", "hours = \"07:30-11:30,13:30-17:00\";"},
    [NK_PRIORITY] = {"priority", BT_NODE_INT, TYPE_BIT(BT_NODE_INT), KIND_ALL, 0,
                     "độ ưu tiên", "priority = 5;"},
    [NK_URGENT] = {"urgent", BT_NODE_BOOL, TYPE_BIT(BT_NODE_BOOL), KIND_ALL, 0,
                   "thông báo khẩn", "urgent = false;"},
    [NK_TOPIC] = {"topic", BT_NODE_STRING, TYPE_BIT(BT_NODE_STRING), KIND_ALL, 0, "chủ đề",
                  "topic = \"dich-vu-cong\";"},
};

static const char *const kind_names[] = {[BT_NOTICE_TEXT] = "text", [BT_NOTICE_IMAGE] = "image",
                                         [BT_NOTICE_QR] = "qr"};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

/* Longest user value echoed back in a message; longer ones are cut with "…". */
#define ECHO_MAX_BYTES 80
/* Room for one dd/mm/yyyy date or a short range text. */
#define DATE_TEXT_BYTES 32
#define RANGE_TEXT_BYTES 96
/* Room for a slug suggestion (an id is at most BT_MAX_ID_BYTES). */
#define SLUG_BYTES (BT_MAX_ID_BYTES + 1)
/* Longest date or hh:mm token worth analysing; anything longer is simply malformed. */
#define TOKEN_BYTES 32

/* ---- reporting ---------------------------------------------------------------------------- */

typedef struct {
    const char *file;
    const bt_asset_probe *probe;
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
        report(c, BT_DIAG_ERROR, line, "không đủ bộ nhớ để kiểm tra playlist — hãy thử lại");
    else
        c->errors++;
    c->out_of_memory = true;
}

/* Copies a user value for quoting in a message: cut at a character boundary, control characters
 * shown as '?', so a message is always one line of valid UTF-8. The value must be valid UTF-8. */
static const char *echo(const char *s, char *buf, size_t size)
{
    size_t n = 0, i = 0, limit = size - sizeof "…";
    if (limit > ECHO_MAX_BYTES)
        limit = ECHO_MAX_BYTES;
    while (s[i] != '\0') {
        size_t len = 1;
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0xF0)
            len = 4;
        else if (ch >= 0xE0)
            len = 3;
        else if (ch >= 0xC0)
            len = 2;
        if (n + len > limit) {
            memcpy(buf + n, "…", sizeof "…");
            return buf;
        }
        for (size_t k = 0; k < len && s[i] != '\0'; k++, i++)
            buf[n++] = (ch < 0x20 || ch == 0x7F) ? '?' : s[i];
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

/* ---- suggestions -------------------------------------------------------------------------- */

static char lower_ascii(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

/* Edit distance with adjacent transpositions ("form" → "from" is one edit), case-insensitive.
 * Names longer than the buffer are never close to our short keys. */
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

/* The candidate closest to name if it is close enough to be a typo: up to one edit for short
 * words, two for words of six letters or more. NULL if nothing is close. */
static const char *nearest(const char *name, const char *const *candidates, size_t count)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(candidates[i]);
        size_t allowed = len >= 6 ? 2 : 1;
        size_t dist = edit_distance(name, candidates[i]);
        if (dist <= allowed && dist < best_distance) {
            best = candidates[i];
            best_distance = dist;
        }
    }
    return best;
}

static const char *nearest_key(const char *name, const key_spec *keys, size_t count)
{
    const char *names[NK_COUNT > TOP_COUNT ? NK_COUNT : TOP_COUNT];
    for (size_t i = 0; i < count; i++)
        names[i] = keys[i].name;
    return nearest(name, names, count);
}

static const key_spec *find_key(const char *name, const key_spec *keys, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* "id, kind, title, …": the keys a staff member may use at this level. */
static const char *key_list(const key_spec *keys, size_t count, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", keys[i].name);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return buf;
}

