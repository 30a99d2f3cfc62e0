/* ghi-nhan.csv (bt_records.h): what staff recorded on the channels the appliance cannot observe,
 * kept as a spreadsheet in the office and put in the playlist folder. A Vietnamese-locale Excel
 * saves CSV with `;` between fields and often a BOM; LibreOffice and Google Sheets save `,`; both
 * quote a field that holds the separator. Rows are read whole or not at all: every bad row is
 * reported with the file, its line and what to fix, and the caller refuses the playlist.
 *
 * Pure: the text comes in, records and diagnostics go out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bangtin/bt_buf.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_sha256.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* ngày; kênh; số lượng; ghi chú. */
#define CSV_FIELDS 4
/* A field longer than a note cannot be one of ours; bounds the line buffer. */
#define FIELD_BYTES (BT_MAX_RECORD_NOTE_BYTES + 1)
#define ECHO_BYTES 80
#define COLUMNS_HINT "mỗi dòng có 4 cột: ngày;kênh;số lượng;ghi chú (ghi chú có thể để trống)"
#define CHANNEL_HINT                                                                             \
    "hãy ghi một trong: \"Trang thành phố\" (Trang thông tin CCHC của Thành phố), \"Trang "      \
    "phường\" (Trang thông tin điện tử của phường), \"Hội nghị\", \"Zalo\" hoặc \"Khác\""

/* Words that name each recorded channel, without diacritics and in lower case, tried in this
 * order: "hội nghị phường" is a conference, "trang thông tin CCHC của Thành phố" the City's
 * page before the word "phường" could claim it. */
static const struct {
    const char *word;
    bt_target_channel channel;
} channel_words[] = {
    {"city-page", BT_TARGET_CITY_PAGE}, {"ward-site", BT_TARGET_WARD_SITE},
    {"conference", BT_TARGET_CONFERENCE}, {"zalo", BT_TARGET_ZALO},
    {"hoi nghi", BT_TARGET_CONFERENCE}, {"hoi thao", BT_TARGET_CONFERENCE},
    {"tap huan", BT_TARGET_CONFERENCE}, {"thanh pho", BT_TARGET_CITY_PAGE},
    {"phuong", BT_TARGET_WARD_SITE}, {"other", BT_TARGET_OTHER}, {"khac", BT_TARGET_OTHER},
};
/* Words of the channels the machine logs itself. */
static const char *const logged_words[] = {"loa", "loudspeaker", "man hinh", "screen"};

int bt_records_channel_from_words(const char *words, bt_target_channel *out, bool *loud)
{
    *loud = false;
    utf8proc_uint8_t *folded = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)words, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                         UTF8PROC_CASEFOLD) < 0)
        return -1;
    const char *f = (const char *)folded;
    int rc = -1;
    /* The loudspeaker first: "loa phường" names the ward's loudspeaker, not its website. */
    for (size_t i = 0; i < ARRAY_LEN(logged_words) && !*loud; i++)
        *loud = strstr(f, logged_words[i]) != NULL;
    for (size_t i = 0; i < ARRAY_LEN(channel_words) && rc != 0 && !*loud; i++)
        if (strstr(f, channel_words[i].word)) {
            *out = channel_words[i].channel;
            rc = 0;
        }
    free(folded);
    return rc;
}

const char *bt_records_channel_topics(const bt_targets *targets, bt_target_channel channel,
                                      char *buf, size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; targets && i < targets->count; i++) {
        const bt_target *t = &targets->items[i];
        if (t->channel != channel || !t->topic || !t->topic[0] || bt_topics_has(buf, t->topic))
            continue;
        int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", t->topic);
        if (w < 0 || (size_t)w >= size - n) {
            buf[n] = '\0'; /* a topic that does not fit is left out whole */
            break;
        }
        n += (size_t)w;
    }
    return buf;
}

/* ---- one line ----------------------------------------------------------------------------- */

typedef struct {
    const char *file;
    bt_diags *d;
    int line;
    int errors;
} reader;

static void bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(reader *r, const char *fmt, ...)
{
    char text[BT_MAX_RECORD_NOTE_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    bt_diags_add(r->d, BT_DIAG_ERROR, r->file, r->line, "%s", text);
    r->errors++;
}

/* A field shown in a message: cut, never mid-character. */
static const char *echo(const char *s, char *buf)
{
    size_t n = strlen(s);
    if (n < ECHO_BYTES) {
        memcpy(buf, s, n + 1);
        return buf;
    }
    n = ECHO_BYTES - 4;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "…", sizeof "…");
    return buf;
}

/* Splits one line (no line end) into fields at sep, honouring "double quotes" with "" inside.
 * Returns the number of fields (up to cap kept; more counted), or -1 for a quote left open. */
static int split(const char *line, size_t len, char sep, char fields[][FIELD_BYTES], int cap,
                 bool *too_long)
{
    int n = 0;
    size_t i = 0;
    *too_long = false;
    for (;;) {
        char *out = n < cap ? fields[n] : NULL;
        size_t o = 0;
        bool quoted = i < len && line[i] == '"';
        if (quoted)
            i++;
        for (; i < len; i++) {
            char c = line[i];
            if (quoted && c == '"') {
                if (i + 1 < len && line[i + 1] == '"') {
                    i++;
                } else {
                    quoted = false;
                    continue;
                }
            } else if (!quoted && c == sep) {
                break;
            }
            if (out && o + 1 < FIELD_BYTES)
                out[o++] = c;
            else if (out)
                *too_long = true;
        }
        if (quoted)
            return -1;
        if (out)
            out[o] = '\0';
        n++;
        if (i >= len)
            return n;
        i++; /* past the separator */
    }
}

/* Spaces Excel leaves around a field. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool all_empty(char fields[][FIELD_BYTES], int n)
{
    for (int i = 0; i < n && i < CSV_FIELDS; i++)
        if (trim(fields[i])[0])
            return false;
    return true;
}

/* d/m/yyyy as well as dd/mm/yyyy (Excel drops the zeros in some locales), and yyyy-mm-dd. */
static int parse_day(const char *s, bt_day *out)
{
    int d, m, y, used = 0;
    if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && s[used] == '\0' && y >= 1000) {
        if (!bt_time_date_valid(y, m, d))
            return -1;
        *out = bt_time_day_from_ymd(y, m, d);
        return 0;
    }
    return bt_time_parse_date(s, out);
}

static int parse_count(reader *r, const char *s, int *out)
{
    char e[ECHO_BYTES];
    long v = 0;
    if (!s[0]) {
        bad(r, "thiếu số lượng ở cột thứ 3 — hãy ghi số tin bài, ví dụ 1");
        return -1;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > BT_MAX_RECORD_COUNT) {
            v = -1;
            break;
        }
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > BT_MAX_RECORD_COUNT) {
        char range[48];
        snprintf(range, sizeof range, "từ 1 đến %d", BT_MAX_RECORD_COUNT);
        bad(r, "số lượng \"%s\" không hợp lệ — hãy ghi một số nguyên %s (số tin bài đã đăng, "
               "không ghi chữ hay dấu chấm)",
            echo(s, e), range);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_note(reader *r, const char *s, char **out)
{
    *out = NULL;
    if (!s[0])
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20) {
            bad(r, "ghi chú có ký tự điều khiển — hãy gõ lại ghi chú");
            return -1;
        }
    if (strlen(s) > BT_MAX_RECORD_NOTE_BYTES) {
        char max[32];
        snprintf(max, sizeof max, "%d", BT_MAX_RECORD_NOTE_BYTES);
        bad(r, "ghi chú quá dài (tối đa %s byte)%s — hãy viết ngắn lại", max, "");
        return -1;
    }
    if (!(*out = bt_text_nfc(s))) {
        bad(r, "không đủ bộ nhớ để đọc ghi chú — hãy thử lại");
        return -1;
    }
    return 0;
}

/* The row's key: what it says, and which of the identical rows of the file it is. */
static void row_key(const bt_record *x, int repeat, char key[BT_RECORD_KEY_BYTES])
{
    char text[FIELD_BYTES + 96], day[16], hex[BT_SHA256_HEX_SIZE];
    int n = snprintf(text, sizeof text, "%s\n%s\n%d\n%s\n%d",
                     bt_time_format_iso_day(x->day, day, sizeof day),
                     bt_target_channel_name(x->channel), x->count, x->note ? x->note : "", repeat);
    bt_sha256_hex(text, n > 0 ? (size_t)n : 0, hex);
    snprintf(key, BT_RECORD_KEY_BYTES, "csv:%s", hex);
}

static bool same_row(const bt_record *a, const bt_record *b)
{
    return a->day == b->day && a->channel == b->channel && a->count == b->count &&
           strcmp(a->note ? a->note : "", b->note ? b->note : "") == 0;
}

/* One data line into *x (zeroed first); -1 with every problem of the line reported. */
static int parse_row(reader *r, char fields[][FIELD_BYTES], int n, const bt_targets *targets,
                     bt_record *x)
{
    char e[ECHO_BYTES], topics[256];
    int before = r->errors;
    memset(x, 0, sizeof *x);
    x->line = r->line;
    x->source = BT_RECORD_FROM_CSV;
    if (n < 3 || n > CSV_FIELDS) {
        char got[16];
        snprintf(got, sizeof got, "%d", n);
        bad(r, "dòng có %s cột — %s; nếu ghi chú có dấu chấm phẩy hay dấu phẩy, hãy đặt ghi chú "
               "trong ngoặc kép \"...\"",
            got, COLUMNS_HINT);
        return -1;
    }
    const char *date = trim(fields[0]), *channel = trim(fields[1]), *count = trim(fields[2]);
    if (parse_day(date, &x->day) != 0)
        bad(r, "ngày \"%s\" không hợp lệ — hãy ghi ngày có thật theo dạng ngày/tháng/năm, ví dụ "
               "15/08/2025%s",
            echo(date, e), "");
    bool loud = false;
    if (bt_records_channel_from_words(channel, &x->channel, &loud) != 0)
        bad(r, loud ? "kênh \"%s\" không cần ghi nhận — máy tự ghi những gì phát trên loa và "
                      "hiển thị trên màn hình; %s"
                    : "không rõ kênh \"%s\" — %s",
            echo(channel, e), CHANNEL_HINT);
    parse_count(r, count, &x->count);
    if (n == CSV_FIELDS)
        parse_note(r, trim(fields[3]), &x->note);
    if (r->errors > before) {
        free(x->note);
        x->note = NULL;
        return -1;
    }
    bt_records_channel_topics(targets, x->channel, topics, sizeof topics);
    if (topics[0] && !(x->topic = bt_text_nfc(topics))) {
        bad(r, "không đủ bộ nhớ để đọc dòng — hãy thử lại");
        free(x->note);
        x->note = NULL;
        return -1;
    }
    return 0;
}

/* Is this first line a header ("Ngày;Kênh;Số lượng;Ghi chú")? A row starts with a date. */
static bool is_header(char fields[][FIELD_BYTES])
{
    const char *f = trim(fields[0]);
    return !(f[0] >= '0' && f[0] <= '9');
}

/* Only spaces and tabs (the text is not NUL-terminated: its length says where it ends). */
static bool blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

/* The first line with a separator decides the file's: `;` when it has one (Vietnamese Excel),
 * else `,`; 0 when it has neither. */
static char separator_of(const char *line, size_t len)
{
    if (memchr(line, ';', len))
        return ';';
    return memchr(line, ',', len) ? ',' : 0;
}

/* ---- the file ----------------------------------------------------------------------------- */

static void free_rows(bt_record *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].topic);
        free(rows[i].note);
        free(rows[i].key);
    }
    free(rows);
}

/* Adds rows to out (which takes them over); -1 on allocation failure. */
static int append_rows(bt_records *out, bt_record *rows, size_t n)
{
    if (!n)
        return 0;
    bt_record *all = realloc(out->items, (out->count + n) * sizeof *all);
    if (!all)
        return -1;
    memcpy(all + out->count, rows, n * sizeof *rows);
    out->items = all;
    out->count += n;
    return 0;
}

int bt_records_csv_parse(const char *text, size_t len, const char *file,
                         const bt_targets *targets, bt_records *out, bt_diags *d)
{
    reader r = {file ? file : BT_RECORDS_CSV_FILE, d, 0, 0};
    char fields[CSV_FIELDS + 1][FIELD_BYTES]; /* 5 KB: on the stack, so two loads may run at once */
    bt_record *rows = NULL;
    size_t n = 0, cap = 0;
    char sep = 0;
    bool first = true;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (len > BT_MAX_RECORDS_CSV_BYTES) {
        bt_diags_add(d, BT_DIAG_ERROR, r.file, 0,
                     "tệp quá lớn (%zu byte, tối đa %d) — mỗi dòng là một lần ghi nhận; hãy bỏ "
                     "các dòng đã nạp từ những năm trước",
                     len, BT_MAX_RECORDS_CSV_BYTES);
        return -1;
    }
    if (!bt_text_utf8_valid(text, len)) {
        bt_diags_add(d, BT_DIAG_ERROR, r.file, 0,
                     "tệp không ở dạng UTF-8 — trong Excel hãy chọn Lưu thành \"CSV UTF-8 (phân "
                     "cách bằng dấu phẩy)\", hoặc trong LibreOffice chọn bộ ký tự Unicode (UTF-8)");
        return -1;
    }
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
        const char *end = memchr(line, '\n', len - at);
        size_t ll = end ? (size_t)(end - line) : len - at;
        at += ll + (end ? 1 : 0);
        r.line++;
        if (ll && line[ll - 1] == '\r')
            ll--;
        if (!sep && !(sep = separator_of(line, ll))) {
            if (!blank(line, ll))
                bad(&r, "dòng không có dấu chấm phẩy (;) hay dấu phẩy (,) giữa các cột — "
                        COLUMNS_HINT);
            continue;
        }
        bool too_long;
        int nf = split(line, ll, sep, fields, CSV_FIELDS + 1, &too_long);
        if (nf < 0) {
            bad(&r, "ngoặc kép \" mở mà không đóng — hãy đóng ngoặc ở cuối ghi chú, và đừng "
                    "xuống dòng trong một ô");
            continue;
        }
        if (all_empty(fields, nf))
            continue;
        if (first && (first = false, is_header(fields)))
            continue;
        if (too_long) {
            bad(&r, "dòng có một cột quá dài — ghi chú tối đa %d byte", BT_MAX_RECORD_NOTE_BYTES);
            continue;
        }
        bt_record x;
        if (parse_row(&r, fields, nf, targets, &x) != 0)
            continue;
        int repeat = 0;
        for (size_t i = 0; i < n; i++)
            repeat += same_row(&rows[i], &x);
        char key[BT_RECORD_KEY_BYTES];
        row_key(&x, repeat, key);
        bt_record *room = bt_grow(rows, &cap, n + 1, sizeof *room);
        if (!room || !(x.key = bt_text_nfc(key))) {
            free(x.note);
            free(x.topic);
            bad(&r, "không đủ bộ nhớ để đọc tệp — hãy thử lại");
            break;
        }
        rows = room;
        rows[n++] = x;
    }
    if (r.errors || append_rows(out, rows, n) != 0) {
        if (!r.errors)
            bt_diags_add(d, BT_DIAG_ERROR, r.file, 0, "không đủ bộ nhớ để đọc tệp — hãy thử lại");
        free_rows(rows, n);
        return -1;
    }
    free(rows);
    return 0;
}
