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
#include <strings.h>


#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "dump.h"
#include "validate.h"

/* ---- key tables --------------------------------------------------------------------------- */

/* Results notices validate as a kind of their own and are then held as text notices with a
 * target (bt_playlist.h); this index exists only inside the validator. */
enum { KIND_INDEX_RESULTS = BT_NOTICE_VIDEO + 1 };

enum { KIND_TEXT = 1u << BT_NOTICE_TEXT, KIND_IMAGE = 1u << BT_NOTICE_IMAGE,
       KIND_QR = 1u << BT_NOTICE_QR, KIND_SCHEDULE = 1u << BT_NOTICE_SCHEDULE,
       KIND_RESULTS = 1u << KIND_INDEX_RESULTS, KIND_VIDEO = 1u << BT_NOTICE_VIDEO,
       KIND_ALL = KIND_TEXT | KIND_IMAGE | KIND_QR | KIND_SCHEDULE | KIND_RESULTS | KIND_VIDEO };

enum { TOP_ID, TOP_VERSION, TOP_TITLE, TOP_VALID_FROM, TOP_VALID_UNTIL, TOP_NOTICES, TOP_TICKER,
       TOP_BROADCASTS, TOP_TARGETS, TOP_RECORDS, TOP_COUNT };

static const bt_key_spec top_keys[TOP_COUNT] = {
    [TOP_ID] = {"id", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_ALL, "mã playlist",
                "id = \"bachmai-cchc\";"},
    [TOP_VERSION] = {"version", BT_NODE_INT, BT_NODE_BIT(BT_NODE_INT), KIND_ALL, "số phiên bản",
                     "version = 3;"},
    [TOP_TITLE] = {"title", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_ALL,
                   "tiêu đề playlist", "title = \"Thông tin CCHC phường Bạch Mai\";"},
    [TOP_VALID_FROM] = {"valid_from", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0,
                        "ngày bắt đầu hiệu lực", "valid_from = \"01/10/2025\";"},
    [TOP_VALID_UNTIL] = {"valid_until", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0,
                         "ngày hết hiệu lực", "valid_until = \"31/12/2026\";"},
    [TOP_NOTICES] = {"notices", BT_NODE_LIST,
                     BT_NODE_BIT(BT_NODE_LIST) | BT_NODE_BIT(BT_NODE_ARRAY), KIND_ALL,
                     "danh sách thông báo",
                     "notices = ( { id = \"dvc\"; kind = \"text\"; title = \"...\"; } );"},
    [TOP_TICKER] = {"ticker", BT_NODE_ARRAY, BT_NODE_BIT(BT_NODE_ARRAY) | BT_NODE_BIT(BT_NODE_LIST),
                    0, "dòng chữ chạy", "ticker = [ \"Dòng thứ nhất\", \"Dòng thứ hai\" ];"},
    [TOP_BROADCASTS] = {"broadcasts", BT_NODE_GROUP, BT_NODE_BIT(BT_NODE_GROUP), 0,
                        "lịch phát thanh trên loa",
                        "broadcasts = { items = ( ... ); sessions = ( ... ); };"},
    [TOP_TARGETS] = {"targets", BT_NODE_LIST,
                     BT_NODE_BIT(BT_NODE_LIST) | BT_NODE_BIT(BT_NODE_ARRAY), 0, "chỉ tiêu",
                     "targets = ( { id = \"cchc-quy\"; channel = \"loudspeaker\"; ... } );"},
    [TOP_RECORDS] = {"records", BT_NODE_LIST,
                     BT_NODE_BIT(BT_NODE_LIST) | BT_NODE_BIT(BT_NODE_ARRAY), 0,
                     "tin bài do cán bộ ghi nhận",
                     "records = ( { date = \"15/08/2025\"; channel = \"city-page\"; title = "
                     "\"...\"; } );"},
};

enum {
    NK_ID,
    NK_KIND,
    NK_TITLE,
    NK_BODY,
    NK_QR_URL,
    NK_QR_CAPTION,
    NK_IMAGE,
    NK_DURATION,
    NK_FROM,
    NK_UNTIL,
    NK_WEEKDAYS,
    NK_HOURS,
    NK_PRIORITY,
    NK_URGENT,
    NK_TOPIC,
    NK_TARGET,
    NK_CAPTION,
    NK_FIT,
    NK_VIDEO,
    NK_LOOP,
    NK_SOUND,
    NK_COUNT
};

static const bt_key_spec notice_keys[NK_COUNT] = {
    [NK_ID] = {"id", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_ALL, "mã thông báo",
               "id = \"dvc-truc-tuyen\";"},
    [NK_KIND] = {"kind", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_ALL, "loại thông báo",
                 "kind = \"text\";"},
    [NK_TITLE] = {"title", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_TEXT | KIND_QR,
                  "tiêu đề", "title = \"Nộp hồ sơ trực tuyến\";"},
    [NK_BODY] = {"body", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0, "nội dung",
                 "body = \"Công dân có thể nộp hồ sơ tại nhà.\";"},
    [NK_QR_URL] = {"qr_url", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_QR,
                   "địa chỉ trang web của mã QR", "qr_url = \"https://dichvucong.gov.vn\";"},
    [NK_QR_CAPTION] = {"qr_caption", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0,
                       "chú thích dưới mã QR", "qr_caption = \"Quét mã để nộp hồ sơ trực tuyến\";"},
    [NK_IMAGE] = {"image", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_IMAGE,
                  "đường dẫn tệp ảnh", "image = \"images/quy-trinh.png\";"},
    [NK_DURATION] = {"duration", BT_NODE_INT, BT_NODE_BIT(BT_NODE_INT), 0,
                     "thời lượng hiển thị (giây)", "duration = 20;"},
    [NK_FROM] = {"from", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0, "ngày bắt đầu hiển thị",
                 "from = \"01/10/2025\";"},
    [NK_UNTIL] = {"until", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0, "ngày kết thúc hiển thị",
                  "until = \"31/12/2025\";"},
    [NK_WEEKDAYS] = {"weekdays", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0,
                     "các thứ trong tuần", "weekdays = \"T2-T6\";"},
    [NK_HOURS] = {"hours", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0, "khung giờ",
                  "hours = \"07:30-11:30,13:30-17:00\";"},
    [NK_PRIORITY] = {"priority", BT_NODE_INT, BT_NODE_BIT(BT_NODE_INT), 0, "độ ưu tiên",
                     "priority = 5;"},
    [NK_URGENT] = {"urgent", BT_NODE_BOOL, BT_NODE_BIT(BT_NODE_BOOL), 0, "thông báo khẩn",
                   "urgent = false;"},
    [NK_TOPIC] = {"topic", BT_NODE_STRING, BT_TOPIC_BITS, 0, "chủ đề (một mã, hoặc vài mã trong [ ])",
                  "topic = [\"cchc\", \"dich-vu-cong\"];"},
    [NK_TARGET] = {"target", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_RESULTS,
                   "mã chỉ tiêu trong targets", "target = \"cchc-loa-quy\";"},
    [NK_CAPTION] = {"caption", BT_NODE_BOOL, BT_NODE_BIT(BT_NODE_BOOL), 0,
                    "hiện tiêu đề dưới ảnh", "caption = true;"},
    [NK_FIT] = {"fit", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), 0,
                "cách đặt ảnh cao (\"auto\" hoặc \"whole\")", "fit = \"whole\";"},
    [NK_VIDEO] = {"video", BT_NODE_STRING, BT_NODE_BIT(BT_NODE_STRING), KIND_VIDEO,
                  "đường dẫn tệp video", "video = \"videos/cchc.mp4\";"},
    [NK_LOOP] = {"loop", BT_NODE_BOOL, BT_NODE_BIT(BT_NODE_BOOL), 0,
                 "chiếu lại video từ đầu cho hết duration", "loop = true;"},
    [NK_SOUND] = {"sound", BT_NODE_BOOL, BT_NODE_BIT(BT_NODE_BOOL), 0,
                  "phát tiếng của video ra loa của màn hình", "sound = true;"},
};

/* The notice kinds that may have each key (bt_key_spec.required holds those that must). */
static const unsigned notice_allowed[NK_COUNT] = {
    [NK_ID] = KIND_ALL,
    [NK_KIND] = KIND_ALL,
    [NK_TITLE] = KIND_ALL,
    [NK_BODY] = KIND_TEXT,
    [NK_QR_URL] = KIND_TEXT | KIND_QR | KIND_IMAGE,
    [NK_QR_CAPTION] = KIND_TEXT | KIND_QR | KIND_IMAGE,
    [NK_IMAGE] = KIND_IMAGE,
    [NK_DURATION] = KIND_ALL,
    [NK_FROM] = KIND_ALL,
    [NK_UNTIL] = KIND_ALL,
    [NK_WEEKDAYS] = KIND_ALL,
    [NK_HOURS] = KIND_ALL,
    [NK_PRIORITY] = KIND_ALL,
    [NK_URGENT] = KIND_ALL,
    [NK_TOPIC] = KIND_ALL,
    [NK_TARGET] = KIND_RESULTS,
    [NK_CAPTION] = KIND_IMAGE,
    [NK_FIT] = KIND_IMAGE,
    [NK_VIDEO] = KIND_VIDEO,
    [NK_LOOP] = KIND_VIDEO,
    [NK_SOUND] = KIND_VIDEO,
};

/* Values of `fit`, in the order of their index: "auto" lets a tall infographic scroll. */
static const char *const fit_names[] = {"auto", "whole"};
enum { FIT_AUTO, FIT_WHOLE, FIT_COUNT };

static const char *const kind_names[] = {[BT_NOTICE_TEXT] = "text",
                                         [BT_NOTICE_IMAGE] = "image",
                                         [BT_NOTICE_QR] = "qr",
                                         [BT_NOTICE_SCHEDULE] = "schedule",
                                         [BT_NOTICE_VIDEO] = "video",
                                         [KIND_INDEX_RESULTS] = BT_NOTICE_RESULTS_NAME};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

/* Room for one dd/mm/yyyy date or a short range text. */
#define DATE_TEXT_BYTES 32
#define RANGE_TEXT_BYTES 96

/* ---- validation context ------------------------------------------------------------------- */

#define NO_MEMORY "không đủ bộ nhớ để kiểm tra playlist — hãy thử lại"

typedef struct {
    bt_validator v; /* first, so the shared readers take &c->v */
    const bt_asset_probe *probe;
} vctx;

/* ---- unknown keys ------------------------------------------------------------------------- */

/* Notice keys and top-level keys are easily swapped: say where a key of the other level
 * belongs. The level's tag is 1 inside a notice. */
static bool misplaced_key(bt_validator *v, const bt_node *node, const char *shown,
                          const bt_key_level *level)
{
    bool in_notice = level->tag != 0;
    const bt_key_spec *other = in_notice ? top_keys : notice_keys;
    size_t other_count = in_notice ? TOP_COUNT : NK_COUNT;
    if (!bt_validate_find_key(node->name ? node->name : "", other, other_count))
        return false;
    if (in_notice)
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng bên trong một thông báo — khoá này đặt ở cấp "
                           "ngoài cùng của tệp, bên ngoài notices = ( ... )",
                           shown);
    else
        bt_validate_report(v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng ở cấp ngoài cùng của tệp — khoá này thuộc về "
                           "từng thông báo, hãy đặt nó bên trong { } của một thông báo trong "
                           "notices = ( ... )",
                           shown);
    return true;
}

static const bt_key_level top_level = {top_keys, TOP_COUNT, "cấp ngoài cùng của tệp", misplaced_key,
                                       0};
static const bt_key_level notice_level = {notice_keys, NK_COUNT, "một thông báo", misplaced_key, 1};

/* ---- values ------------------------------------------------------------------------------- */

/* A text shown on screen: valid UTF-8, stored NFC without surrounding space, within max_bytes.
 * An empty value is an error when required, otherwise a warning and *out stays NULL. */
static int take_text(vctx *c, const bt_node *node, const char *what, const char *element,
                     size_t max_bytes, bool required, char **out)
{
    char where[128];
    bt_validate_where(node, element, where, sizeof where);
    *out = NULL;
    if (!bt_validate_require_utf8(&c->v, node, where))
        return -1;
    char *text = bt_text_nfc(node->string_value ? node->string_value : "");
    if (!text) {
        bt_validate_no_memory(&c->v, node->line);
        return -1;
    }
    bt_validate_trim_in_place(text);
    size_t len = strlen(text);
    if (len == 0) {
        free(text);
        if (required) {
            bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                               "%s (%s) đang để trống — hãy điền nội dung", where, what);
            return -1;
        }
        bt_validate_report(&c->v, BT_DIAG_WARNING, node->line,
                           "%s (%s) để trống nên sẽ bị bỏ qua — xoá dòng này nếu không dùng", where,
                           what);
        return 0;
    }
    if (len > max_bytes) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "%s (%s) quá dài: %zu ký tự (%zu byte), tối đa %zu byte — hãy rút gọn; mỗi "
            "trang chỉ nên có một ý",
            where, what, bt_text_codepoints(text), len, max_bytes);
        free(text);
        return -1;
    }
    *out = text;
    return 0;
}

/* An identifier (playlist id, notice id, target id): [a-z0-9-_], 1..max_bytes. */
static int take_id(vctx *c, const bt_node *node, const char *what, size_t max_bytes, char **out)
{
    return bt_validate_take_id(&c->v, node, what, max_bytes, "thong-bao-1", out);
}

static int take_date(vctx *c, const bt_node *node, bt_day *out)
{
    char where[64], token[BT_VALIDATE_TOKEN_BYTES], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *s = node->string_value ? node->string_value : "";
    int year, month, day;
    bool year_first;
    if (!bt_validate_require_utf8(&c->v, node,
                                  bt_validate_where(node, "ngày", where, sizeof where)))
        return -1;
    if (bt_validate_trimmed_copy(s, strlen(s), token, sizeof token) &&
        bt_time_parse_date(token, out) == 0)
        return 0;
    bt_validate_echo(s, shown, sizeof shown);
    if (bt_validate_trimmed_copy(s, strlen(s), token, sizeof token) && token[0] == '\0') {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "%s đang để trống — xoá dòng này nếu không giới hạn ngày, hoặc viết ngày dạng "
            "dd/mm/yyyy, ví dụ \"31/12/2025\"",
            where);
    } else if (!bt_validate_trimmed_copy(s, strlen(s), token, sizeof token) ||
               !bt_validate_loose_date(token, &year, &month, &day, &year_first)) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "ngày \"%s\" không đúng dạng — hãy viết dd/mm/yyyy (ví dụ \"31/12/2025\") hoặc "
            "yyyy-mm-dd (ví dụ \"2025-12-31\")",
            shown);
    } else if ((month < 1 || month > 12) && year_first) {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không tồn tại — tháng phải từ 01 đến 12", shown);
    } else if (month < 1 || month > 12) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "ngày \"%s\" không tồn tại — tháng phải từ 1 đến 12 (viết ngày trước, tháng sau: "
            "dd/mm/yyyy)",
            shown);
    } else if (day < 1) {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không tồn tại — ngày trong tháng bắt đầu từ 01", shown);
    } else if (day > bt_time_days_in_month(year, month)) {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "ngày \"%s\" không tồn tại — tháng %d năm %d chỉ có %d ngày", shown,
                           month, year, bt_time_days_in_month(year, month));
    } else {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "ngày \"%s\" không đúng dạng — hãy viết \"%02d/%02d/%04d\" (dd/mm/yyyy) hoặc "
            "\"%04d-%02d-%02d\" (yyyy-mm-dd)",
            shown, day, month, year, year, month, day);
    }
    return -1;
}

/* "01/10/2025" for messages. */
static const char *day_text(bt_day day, char *buf, size_t size)
{
    return bt_time_format_ddmmyyyy(day, buf, size);
}

static void check_range(vctx *c, const bt_node *from_node, bt_day from, const bt_node *until_node,
                        bt_day until)
{
    char a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    if (from <= until)
        return;
    bt_validate_report(
        &c->v, BT_DIAG_ERROR, until_node->line,
        "khoảng ngày bị ngược: \"%s\" (%s) sau \"%s\" (%s) — ngày bắt đầu phải trước hoặc "
        "trùng ngày kết thúc",
        from_node->name, day_text(from, a, sizeof a), until_node->name,
        day_text(until, b, sizeof b));
}

static int take_int(vctx *c, const bt_node *node, long long min, long long max, int *out)
{
    if (node->int_value >= min && node->int_value <= max) {
        *out = (int)node->int_value;
        return 0;
    }
    const char *name = node->name ? node->name : "";
    if (strcmp(name, "version") == 0)
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "số phiên bản version = %lld không hợp lệ — phải là số nguyên từ 1 trở lên; mỗi "
            "lần sửa playlist hãy tăng số này thêm 1",
            node->int_value);
    else if (strcmp(name, "duration") == 0)
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "thời lượng duration = %lld giây nằm ngoài khoảng cho phép — phải từ %lld đến "
            "%lld giây (mặc định %d)",
            node->int_value, min, max, BT_DEFAULT_NOTICE_SECONDS);
    else if (strcmp(name, "priority") == 0)
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "độ ưu tiên priority = %lld không hợp lệ — phải từ %lld (thấp nhất) đến %lld (cao "
            "nhất), mặc định %d",
            node->int_value, min, max, BT_DEFAULT_PRIORITY);
    else
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "%s = %lld nằm ngoài khoảng %lld..%lld", name, node->int_value, min,
                           max);
    return -1;
}

/* ---- weekdays and hours ------------------------------------------------------------------- */

static void report_hours_shape(vctx *c, int line, const char *span)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_validate_report(
        &c->v, BT_DIAG_ERROR, line,
        "khung giờ \"%s\" không đúng dạng — viết giờ bắt đầu-giờ kết thúc dạng HH:MM-HH:MM, "
        "nhiều khung cách nhau bằng dấu phẩy, ví dụ \"07:30-11:30,13:30-17:00\"",
        bt_validate_echo(span, shown, sizeof shown));
}

/* One "HH:MM-HH:MM" span; false after reporting a problem. */
static bool hour_span(vctx *c, int line, char *span, bt_minute_span *out)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_clock_span parts;
    if (!bt_validate_clock_span(span, &parts)) {
        report_hours_shape(c, line, span);
        return false;
    }
    const char *first = parts.first, *last = parts.last;
    bt_clock_status a = parts.start_status, b = parts.end_status;
    int start = parts.start, end = parts.end;
    bt_validate_echo(span, shown, sizeof shown);
    if (a == BT_CLOCK_SHAPE || b == BT_CLOCK_SHAPE) {
        report_hours_shape(c, line, span);
        return false;
    }
    if (a == BT_CLOCK_24_START) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, line,
            "khung giờ \"%s\" không hợp lệ — 24:00 chỉ dùng làm giờ kết thúc; bắt đầu từ nửa "
            "đêm hãy viết 00:00",
            shown);
        return false;
    }
    if (a == BT_CLOCK_RANGE && b == BT_CLOCK_RANGE) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, line,
            "giờ \"%s\" và \"%s\" trong khung giờ \"%s\" không có thật — giờ từ 00 đến 23, "
            "phút từ 00 đến 59 (riêng giờ kết thúc được viết 24:00)",
            first, last, shown);
        return false;
    }
    if (a == BT_CLOCK_RANGE || b == BT_CLOCK_RANGE) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, line,
            "giờ \"%s\" trong khung giờ \"%s\" không có thật — giờ từ 00 đến 23, phút từ 00 "
            "đến 59 (riêng giờ kết thúc được viết 24:00)",
            a == BT_CLOCK_RANGE ? first : last, shown);
        return false;
    }
    if (end <= start) {
        if (end < start)
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, line,
                "khung giờ \"%s\" bị ngược — giờ kết thúc phải sau giờ bắt đầu; nếu muốn qua "
                "nửa đêm, hãy tách thành hai khung \"%s-24:00,00:00-%s\"",
                shown, first, last);
        else
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, line,
                "khung giờ \"%s\" không có thời gian nào — giờ kết thúc phải sau giờ bắt đầu",
                shown);
        return false;
    }
    out->start_minute = (int16_t)start;
    out->end_minute = (int16_t)end;
    return true;
}

static int take_hours(vctx *c, const bt_node *node, bt_minute_span *spans, size_t *count)
{
    char where[64], item[BT_VALIDATE_TOKEN_BYTES * 2 + 2], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *p = node->string_value ? node->string_value : "";
    size_t n = 0, total = 0;
    bool ok = true, extra_comma = false;
    if (!bt_validate_require_utf8(&c->v, node, bt_validate_where(node, "", where, sizeof where)))
        return -1;
    if (bt_validate_trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "khoá \"hours\" để trống — xoá dòng này nếu thông báo hiện cả ngày, hoặc viết ví "
            "dụ \"07:30-11:30,13:30-17:00\"");
        return -1;
    }
    for (;;) {
        bt_minute_span span;
        bool more;
        bool fits = bt_validate_next_piece(&p, item, sizeof item, &more);
        total++;
        if (!fits) {
            report_hours_shape(c, node->line, "…");
            ok = false;
        } else if (item[0] == '\0') {
            if (!extra_comma)
                bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                                   "danh sách khung giờ \"%s\" có dấu phẩy thừa — ví dụ đúng: "
                                   "\"07:30-11:30,13:30-17:00\"",
                                   bt_validate_echo(node->string_value, shown, sizeof shown));
            ok = false;
            extra_comma = true;
        } else if (!hour_span(c, node->line, item, &span)) {
            ok = false;
        } else if (n < BT_MAX_HOUR_SPANS) {
            spans[n++] = span;
        }
        if (!more)
            break;
    }
    if (total > BT_MAX_HOUR_SPANS) {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "quá nhiều khung giờ (%zu, tối đa %d) — hãy gộp các khung giờ liền nhau",
                           total, BT_MAX_HOUR_SPANS);
        ok = false;
    }
    if (!ok)
        return -1;
    *count = n;
    return 0;
}

/* ---- urls, images, kinds ------------------------------------------------------------------ */

static bool has_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (bt_validate_lower_ascii(*s) != *prefix)
            return false;
    return true;
}

/* "dichvucong.gov.vn/abc": letters, digits, '-' and '.' up to the first '/', with a dot. Worth
 * suggesting "https://" in front of. */
static bool looks_like_host(const char *s)
{
    bool dot = false;
    size_t i = 0;
    for (; s[i] != '\0' && s[i] != '/'; i++) {
        char ch = bt_validate_lower_ascii(s[i]);
        if (ch == '.')
            dot = true;
        else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return false;
    }
    return dot && i > 0 && s[0] != '.';
}

static int take_url(vctx *c, const bt_node *node, char **out)
{
    char where[64], shown[BT_VALIDATE_SHOWN_BYTES];
    *out = NULL;
    if (!bt_validate_require_utf8(&c->v, node, bt_validate_where(node, "", where, sizeof where)))
        return -1;
    char *url = bt_validate_copy_string(node->string_value ? node->string_value : "");
    if (!url) {
        bt_validate_no_memory(&c->v, node->line);
        return -1;
    }
    bt_validate_trim_in_place(url);
    bt_validate_echo(url, shown, sizeof shown);
    size_t scheme = has_prefix_ci(url, "https://") ? 8 : has_prefix_ci(url, "http://") ? 7 : 0;
    if (url[0] == '\0') {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "khoá \"qr_url\" đang để trống — hãy điền địa chỉ trang web, ví dụ "
                           "\"https://dichvucong.gov.vn\"");
    } else if (strlen(url) > BT_MAX_URL_BYTES) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "địa chỉ qr_url quá dài (%zu byte, tối đa %d) — mã QR sẽ quá dày, khó quét; hãy "
            "dùng địa chỉ ngắn hơn",
            strlen(url), BT_MAX_URL_BYTES);
    } else if (scheme == 0 && looks_like_host(url)) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "địa chỉ \"%s\" không hợp lệ — qr_url phải bắt đầu bằng \"https://\" hoặc "
            "\"http://\"; có phải ý bạn là \"https://%s\"?",
            shown, shown);
    } else if (scheme == 0) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "địa chỉ \"%s\" không hợp lệ — qr_url chỉ được bắt đầu bằng \"https://\" hoặc "
            "\"http://\", ví dụ \"https://dichvucong.gov.vn\"",
            shown);
    } else if (url[scheme] == '\0' || url[scheme] == '/' || url[scheme] == ':' ||
               url[scheme] == '?' || url[scheme] == '#') {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "địa chỉ \"%s\" thiếu tên trang web sau \"%.*s\" — ví dụ "
                           "\"https://dichvucong.gov.vn\"",
                           shown, (int)scheme, url);
    } else {
        for (const char *q = url; *q; q++) {
            if ((unsigned char)*q <= 0x20 || *q == 0x7F) {
                bt_validate_report(
                    &c->v, BT_DIAG_ERROR, node->line,
                    "địa chỉ \"%s\" có dấu cách hoặc ký tự xuống dòng — địa chỉ trang web "
                    "không được chứa dấu cách (nếu cần, thay dấu cách bằng %%20)",
                    shown);
                free(url);
                return -1;
            }
        }
        *out = url;
        return 0;
    }
    free(url);
    return -1;
}

/* How messages name an asset of each kind: an image notice's picture, a video notice's clip. */
typedef struct {
    const char *key;      /* "image" */
    const char *noun;     /* "ảnh" */
    const char *example;  /* "images/quy-trinh.png" */
} asset_words;
static const asset_words image_words = {"image", "ảnh", "images/quy-trinh.png"};
static const asset_words video_words = {"video", "video", "videos/cchc.mp4"};

/* Syntactic path safety, before the probe touches anything: relative, no "..", "/" separators. */
static bool asset_path_safe(vctx *c, const bt_node *node, const char *path, const asset_words *w)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_validate_echo(path, shown, sizeof shown);
    if (strchr(path, '\\')) {
        char fixed[BT_VALIDATE_SHOWN_BYTES];
        size_t i = 0;
        for (; shown[i] != '\0'; i++)
            fixed[i] = shown[i] == '\\' ? '/' : shown[i];
        fixed[i] = '\0';
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "đường dẫn %s \"%s\" dùng dấu \"\\\" — hãy dùng dấu \"/\": \"%s\"",
                           w->noun, shown, fixed);
        return false;
    }
    bool absolute = path[0] == '/' || (path[0] != '\0' && path[1] == ':');
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
    if (absolute || parent) {
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, node->line,
            "đường dẫn %s \"%s\" không được phép — chỉ dùng đường dẫn tương đối nằm trong "
            "thư mục playlist, ví dụ \"%s\" (không bắt đầu bằng \"/\", không dùng \"..\")",
            w->noun, shown, w->example);
        return false;
    }
    return true;
}

/* Room for the two halves of a probe message (an echoed path is at most
 * BT_VALIDATE_SHOWN_BYTES). */
#define PROBE_WHAT_BYTES (BT_VALIDATE_SHOWN_BYTES + 160)
#define PROBE_FIX_BYTES 192

/* What is wrong with an image the probe refused (*what), and how whoever prepares the stick
 * fixes it (*fix): the two halves of one message, so the kiosk's warning can say the first and
 * its own remedy. */
static void probe_problem(bt_asset_status status, const char *shown, int width, int height,
                          char *what, char *fix)
{
    what[0] = fix[0] = '\0';
    switch (status) {
    case BT_ASSET_OK:
        return;
    case BT_ASSET_MISSING:
        snprintf(what, PROBE_WHAT_BYTES,
                 "không tìm thấy tệp ảnh \"%s\" trong thư mục playlist", shown);
        snprintf(fix, PROBE_FIX_BYTES,
                 "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường và phần đuôi .png/.jpg) và "
                 "thư mục chứa ảnh");
        return;
    case BT_ASSET_UNSAFE_PATH:
        snprintf(what, PROBE_WHAT_BYTES,
                 "tệp ảnh \"%s\" là một liên kết (shortcut/symlink) hoặc nằm ngoài thư mục "
                 "playlist", shown);
        snprintf(fix, PROBE_FIX_BYTES, "hãy chép chính tệp ảnh vào thư mục images/ của playlist");
        return;
    case BT_ASSET_UNDECODABLE:
    case BT_ASSET_NO_DECODER: /* a video's; an image probe never says it */
        snprintf(what, PROBE_WHAT_BYTES,
                 "tệp \"%s\" không phải ảnh PNG hoặc JPEG đọc được (tệp hỏng hoặc sai định dạng)",
                 shown);
        snprintf(fix, PROBE_FIX_BYTES, "hãy mở ảnh và lưu lại dưới dạng PNG hoặc JPEG");
        return;
    case BT_ASSET_TOO_LARGE:
        if (width > 0 && height > 0) {
            snprintf(what, PROBE_WHAT_BYTES, "ảnh \"%s\" quá lớn (%d×%d điểm ảnh)", shown, width,
                     height);
            snprintf(fix, PROBE_FIX_BYTES,
                     "mỗi cạnh tối đa %d điểm ảnh; hãy thu nhỏ ảnh, ví dụ về 1920×1080",
                     BT_MAX_IMAGE_SIDE);
        } else {
            snprintf(what, PROBE_WHAT_BYTES, "tệp ảnh \"%s\" quá lớn", shown);
            snprintf(fix, PROBE_FIX_BYTES,
                     "hãy thu nhỏ ảnh (mỗi cạnh tối đa %d điểm ảnh) và lưu lại",
                     BT_MAX_IMAGE_SIDE);
        }
        return;
    }
}

static void report_probe(vctx *c, int line, const char *path, bt_asset_status status, int width,
                         int height)
{
    char shown[BT_VALIDATE_SHOWN_BYTES], what[PROBE_WHAT_BYTES], fix[PROBE_FIX_BYTES];
    if (status == BT_ASSET_OK)
        return;
    probe_problem(status, bt_validate_echo(path, shown, sizeof shown), width, height, what, fix);
    const char *previous = bt_diags_set_code(c->v.diags, "image");
    bt_validate_report(&c->v, BT_DIAG_ERROR, line, "%s — %s", what, fix);
    bt_diags_set_code(c->v.diags, previous);
}

/* The display load's account of a notice it keeps but cannot show (bt_asset_probe): a warning
 * naming the notice and the file, and what staff do about it. The file was there when the
 * playlist was imported, so the remedy is the stick, not editing playlist.cfg on the kiosk. */
static void report_unavailable(vctx *c, int line, const char *label, const char *path,
                               bt_asset_status status, int width, int height)
{
    char shown[BT_VALIDATE_SHOWN_BYTES], what[PROBE_WHAT_BYTES], fix[PROBE_FIX_BYTES];
    probe_problem(status, bt_validate_echo(path, shown, sizeof shown), width, height, what, fix);
    bt_validate_report(&c->v, BT_DIAG_WARNING, line,
                       "%s: %s — thông báo này tạm không chiếu, các thông báo khác vẫn chiếu "
                       "bình thường; hãy nạp lại playlist từ USB",
                       label, what);
}

/* "./images//a.png" → "images/a.png": drops "." and empty components so the model (and the dump)
 * holds one spelling of each path. The path has already been checked for "..". */
static char *normalise_path(const char *path)
{
    char *clean = malloc(strlen(path) + 1);
    size_t n = 0;
    if (!clean)
        return NULL;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len > 0 && !(len == 1 && p[0] == '.')) {
            if (n > 0)
                clean[n++] = '/';
            memcpy(clean + n, p, len);
            n += len;
        }
        p += len;
        if (*p == '/')
            p++;
    }
    clean[n] = '\0';
    return clean;
}

/* The checks of an asset's path before any probe: set, not too long, safe. The path without
 * "." and empty components (malloc'd), or NULL after reporting. */
static char *take_asset_path(vctx *c, const bt_node *node, const asset_words *w)
{
    char where[64];
    const char *path = node->string_value ? node->string_value : "";
    if (!bt_validate_require_utf8(&c->v, node, bt_validate_where(node, "", where, sizeof where)))
        return NULL;
    if (path[0] == '\0') {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" đang để trống — hãy ghi đường dẫn tệp %s, ví dụ \"%s\"",
                           w->key, w->noun, w->example);
        return NULL;
    }
    if (strlen(path) >= BT_MAX_PATH_BYTES) {
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line,
                           "đường dẫn %s quá dài (%zu byte, tối đa %d) — hãy đặt tên tệp ngắn hơn",
                           w->noun, strlen(path), BT_MAX_PATH_BYTES - 1);
        return NULL;
    }
    if (!asset_path_safe(c, node, path, w))
        return NULL;
    char *clean = normalise_path(path);
    if (!clean) {
        bt_validate_no_memory(&c->v, node->line);
        return NULL;
    }
    return clean;
}

/* The image path of notice n (label: how messages name it). A file the probe refuses fails the
 * notice, or, when the probe says so (a display load), leaves it kept but `unavailable`. */
static int take_image(vctx *c, const bt_node *node, const char *label, bt_notice *n)
{
    const char *path = node->string_value ? node->string_value : "";
    n->image = NULL;
    char *clean = take_asset_path(c, node, &image_words);
    if (!clean)
        return -1;
    if (clean[0] == '\0') {
        report_probe(c, node->line, path, BT_ASSET_MISSING, 0, 0);
        free(clean);
        return -1;
    }
    if (c->probe && c->probe->probe_image) {
        int width = 0, height = 0;
        bt_asset_status status = c->probe->probe_image(c->probe->ctx, clean, &width, &height);
        if (status != BT_ASSET_OK && c->probe->skip_unavailable) {
            report_unavailable(c, node->line, label, path, status, width, height);
            n->unavailable = true;
        } else if (status != BT_ASSET_OK) {
            report_probe(c, node->line, path, status, width, height);
            free(clean);
            return -1;
        } else {
            n->image_width = width;
            n->image_height = height;
        }
    }
    n->image = clean;
    return 0;
}

/* ---- videos (issue 15) --------------------------------------------------------------------- */

/* "3:05" or "4:00:00": a clip's length as staff read it. */
static const char *clip_length(long long ms, char *buf, size_t size)
{
    long long s = (ms + 999) / 1000;
    if (s >= 3600)
        snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

static bool has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n >= e && strcasecmp(path + n - e, ext) == 0;
}

#define VIDEO_REEXPORT "hãy xuất lại video dạng MP4 H.264 (xem mục \"Video\" trong hướng dẫn)"

/* Judges what the probe read against what the screen plays and bt_limits.h: the first problem
 * as one message (what is wrong — what to do), or "" when the clip is fine. */
static void judge_video(const char *path, const bt_video_facts *f, char *why, size_t size)
{
    char shown[BT_VALIDATE_SHOWN_BYTES], len[32];
    bt_validate_echo(path, shown, sizeof shown);
    bool mp4_name = has_ext(path, ".mp4") || has_ext(path, ".m4v") || has_ext(path, ".mov");
    bool webm_name = has_ext(path, ".webm") || has_ext(path, ".mkv");
    bool mp4 = strstr(f->container, "mp4") != NULL;
    bool webm = strstr(f->container, "webm") != NULL || strstr(f->container, "matroska") != NULL;
    why[0] = '\0';
    if (!mp4_name && !webm_name)
        snprintf(why, size, "tệp \"%s\" không phải video máy chiếu được: chỉ nhận tệp .mp4 "
                 "(H.264) hoặc .webm (VP9) — " VIDEO_REEXPORT, shown);
    else if ((mp4_name && !mp4) || (webm_name && !webm))
        snprintf(why, size, "tệp \"%s\" mang đuôi %s nhưng bên trong không phải %s (là \"%s\") "
                 "— " VIDEO_REEXPORT, shown, mp4_name ? ".mp4" : ".webm",
                 mp4_name ? "MP4" : "WebM", f->container[0] ? f->container : "không rõ");
    else if (!f->video_codec[0])
        snprintf(why, size, "tệp \"%s\" không có hình (chỉ có tiếng) — " VIDEO_REEXPORT, shown);
    else if (mp4 ? strcmp(f->video_codec, "h264") != 0
                 : strcmp(f->video_codec, "vp9") != 0 && strcmp(f->video_codec, "vp8") != 0)
        snprintf(why, size, "video \"%s\" mã hoá hình bằng %s, máy chỉ chiếu được H.264 (MP4) "
                 "hoặc VP9 (WebM) — " VIDEO_REEXPORT, shown, f->video_codec);
    else if (f->audio_codec[0] &&
             (mp4 ? strcmp(f->audio_codec, "aac") != 0
                  : strcmp(f->audio_codec, "opus") != 0 && strcmp(f->audio_codec, "vorbis") != 0))
        snprintf(why, size, "video \"%s\" mã hoá tiếng bằng %s, máy chỉ nhận AAC (MP4) hoặc "
                 "Opus (WebM) — " VIDEO_REEXPORT, shown, f->audio_codec);
    else if ((f->width > f->height ? f->width : f->height) > BT_MAX_VIDEO_LONG_SIDE ||
             (f->width > f->height ? f->height : f->width) > BT_MAX_VIDEO_SHORT_SIDE)
        snprintf(why, size, "video \"%s\" có kích thước %d×%d, lớn hơn %d×%d — hãy xuất lại "
                 "video ở 1080p (%d×%d) dạng MP4 H.264", shown, f->width, f->height,
                 BT_MAX_VIDEO_LONG_SIDE, BT_MAX_VIDEO_SHORT_SIDE, BT_MAX_VIDEO_LONG_SIDE,
                 BT_MAX_VIDEO_SHORT_SIDE);
    else if (f->fps_milli > BT_MAX_VIDEO_FPS * 1000 + BT_VIDEO_FPS_SLACK_MILLI)
        snprintf(why, size, "video \"%s\" có %d,%02d khung hình/giây, tối đa %d — hãy xuất lại "
                 "video với %d khung hình/giây dạng MP4 H.264", shown, f->fps_milli / 1000,
                 f->fps_milli % 1000 / 10, BT_MAX_VIDEO_FPS, BT_MAX_VIDEO_FPS);
    else if (f->duration_ms <= 0)
        snprintf(why, size, "không đọc được độ dài của video \"%s\" (tệp hỏng hoặc bị cắt) — "
                 VIDEO_REEXPORT, shown);
    else if (f->duration_ms > BT_MAX_VIDEO_SECONDS * 1000LL)
        snprintf(why, size, "video \"%s\" dài %s, tối đa %d phút — hãy cắt lấy đoạn ngắn cần "
                 "chiếu rồi " VIDEO_REEXPORT, shown, clip_length(f->duration_ms, len, sizeof len),
                 BT_MAX_VIDEO_SECONDS / 60);
    else if (f->bytes > BT_MAX_VIDEO_FILE_BYTES)
        snprintf(why, size, "tệp video \"%s\" nặng %lld MB, tối đa %lld MB — hãy xuất lại video "
                 "dạng MP4 H.264 với chất lượng khoảng 8 Mbit/s", shown,
                 f->bytes / (1024 * 1024), BT_MAX_VIDEO_FILE_BYTES / (1024 * 1024));
}

/* What a video the probe refused is, in the words of the image's messages where they fit. */
static void video_probe_problem(bt_asset_status status, const char *shown, char *why, size_t size)
{
    switch (status) {
    case BT_ASSET_MISSING:
        snprintf(why, size, "không tìm thấy tệp video \"%s\" trong thư mục playlist — kiểm tra "
                 "tên tệp (phân biệt chữ hoa, chữ thường và phần đuôi .mp4) và thư mục chứa "
                 "video", shown);
        return;
    case BT_ASSET_UNSAFE_PATH:
        snprintf(why, size, "tệp video \"%s\" là một liên kết (shortcut/symlink) hoặc nằm ngoài "
                 "thư mục playlist — hãy chép chính tệp video vào thư mục videos/ của playlist",
                 shown);
        return;
    case BT_ASSET_TOO_LARGE:
        snprintf(why, size, "tệp video \"%s\" quá lớn (tối đa %lld MB) — hãy xuất lại video "
                 "dạng MP4 H.264 với chất lượng khoảng 8 Mbit/s", shown,
                 BT_MAX_VIDEO_FILE_BYTES / (1024 * 1024));
        return;
    case BT_ASSET_NO_DECODER:
        snprintf(why, size, "máy này không nạp được bộ giải mã video của bangtin (mô-đun "
                 "bangtin-video thiếu hoặc hỏng; nhật ký máy ghi rõ) nên không đọc được \"%s\" "
                 "— hãy cài lại gói bangtin: sudo apt install --reinstall bangtin; các thông báo "
                 "khác không bị ảnh hưởng", shown);
        return;
    default:
        snprintf(why, size, "tệp \"%s\" không đọc được như một video (tệp hỏng, bị cắt hoặc "
                 "không phải video) — " VIDEO_REEXPORT, shown);
        return;
    }
}

/* The video path of notice n, its headers probed and judged (issue 15). As with images, a
 * display load keeps a notice whose file went bad as `unavailable`. */
static int take_video(vctx *c, const bt_node *node, const char *label, bt_notice *n)
{
    char why[BT_MAX_DIAG_MESSAGE - 64], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *path = node->string_value ? node->string_value : "";
    n->video = NULL;
    char *clean = take_asset_path(c, node, &video_words);
    if (!clean)
        return -1;
    bt_validate_echo(path, shown, sizeof shown);
    why[0] = '\0';
    bt_video_facts facts;
    memset(&facts, 0, sizeof facts);
    if (clean[0] == '\0')
        video_probe_problem(BT_ASSET_MISSING, shown, why, sizeof why);
    else if (c->probe && c->probe->probe_video) {
        bt_asset_status status = c->probe->probe_video(c->probe->ctx, clean, &facts);
        if (status != BT_ASSET_OK)
            video_probe_problem(status, shown, why, sizeof why);
        else
            judge_video(clean, &facts, why, sizeof why);
    }
    if (why[0] && c->probe && c->probe->skip_unavailable && clean[0]) {
        bt_validate_report(&c->v, BT_DIAG_WARNING, node->line,
                           "%s: %s — thông báo này tạm không chiếu, các thông báo khác vẫn chiếu "
                           "bình thường; hãy nạp lại playlist từ USB", label, why);
        n->unavailable = true;
    } else if (why[0]) {
        const char *previous = bt_diags_set_code(c->v.diags, "video");
        bt_validate_report(&c->v, BT_DIAG_ERROR, node->line, "%s", why);
        bt_diags_set_code(c->v.diags, previous);
        free(clean);
        return -1;
    } else {
        n->image_width = facts.width;
        n->image_height = facts.height;
        n->video_ms = facts.duration_ms;
    }
    n->video = clean;
    return 0;
}

/* A video notice lasts its clip unless `duration` says otherwise; a longer duration without
 * `loop` holds the clip's last frame, which is rarely meant. */
static void video_duration(vctx *c, bt_notice *n, const bt_node *duration, const bt_node *loop)
{
    char len[32];
    if (n->video_ms <= 0) {
        if (loop && n->loop && !n->duration_set)
            bt_validate_report(&c->v, BT_DIAG_WARNING, loop->line,
                               "\"loop = true\" chỉ có tác dụng khi có \"duration\" — hãy thêm "
                               "duration (số giây chiếu) hoặc xoá dòng này");
        return;
    }
    /* Rounded up, less a few ms: AAC's priming makes a 6 s export 6.02 s long, and a 7th second
     * of frozen last frame would be a mistake. */
    long long clip_s = (n->video_ms - BT_VIDEO_LENGTH_SLACK_MS + 999) / 1000;
    if (!n->duration_set) {
        n->duration_seconds = (int)(clip_s < BT_MIN_NOTICE_SECONDS ? BT_MIN_NOTICE_SECONDS
                                    : clip_s > BT_MAX_NOTICE_SECONDS ? BT_MAX_NOTICE_SECONDS
                                                                     : clip_s);
        if (loop && n->loop)
            bt_validate_report(&c->v, BT_DIAG_WARNING, loop->line,
                               "\"loop = true\" không có tác dụng khi không có \"duration\": "
                               "video được chiếu một lần (%s) — hãy thêm duration (số giây "
                               "chiếu, ví dụ duration = %lld;) hoặc xoá dòng này",
                               clip_length(n->video_ms, len, sizeof len), clip_s * 3);
    } else if (duration && !n->loop && n->duration_seconds > clip_s) {
        bt_validate_report(&c->v, BT_DIAG_WARNING, duration->line,
                           "video chỉ dài %s mà duration = %d giây: hình cuối sẽ đứng yên %lld "
                           "giây — hãy thêm \"loop = true;\" để chiếu lại từ đầu, hoặc bớt "
                           "duration", clip_length(n->video_ms, len, sizeof len),
                           n->duration_seconds, n->duration_seconds - clip_s);
    }
}

static int take_kind(vctx *c, const bt_node *node, bt_notice_kind *out)
{
    char where[64], shown[BT_VALIDATE_SHOWN_BYTES], hint[96];
    const char *s = node->string_value ? node->string_value : "";
    if (!bt_validate_require_utf8(&c->v, node, bt_validate_where(node, "", where, sizeof where)))
        return -1;
    for (size_t i = 0; i < KIND_COUNT; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (bt_notice_kind)i;
            return 0;
        }
    }
    const char *guess = bt_validate_nearest(s, kind_names, KIND_COUNT);
    if (guess)
        snprintf(hint, sizeof hint, "có phải ý bạn là \"%s\"? Chỉ", guess);
    else
        snprintf(hint, sizeof hint, "chỉ");
    bt_validate_report(
        &c->v, BT_DIAG_ERROR, node->line,
        "loại thông báo \"%s\" không hợp lệ — %s dùng \"text\" (chữ), \"image\" (ảnh), "
        "\"qr\" (mã QR), \"schedule\" (lịch phát thanh hôm nay), \"results\" (kết quả "
        "thực hiện chỉ tiêu) hoặc \"video\" (đoạn phim ngắn)",
        bt_validate_echo(s, shown, sizeof shown), hint);
    return -1;
}

/* "\"text\"" or "\"text\" và \"qr\"": the kinds a key belongs to, for messages. */
static const char *kinds_text(unsigned kinds, char *buf, size_t size)
{
    size_t n = 0, shown = 0, total = 0;
    for (size_t i = 0; i < KIND_COUNT; i++)
        total += (kinds >> i) & 1u;
    buf[0] = '\0';
    for (size_t i = 0; i < KIND_COUNT; i++) {
        if (!((kinds >> i) & 1u))
            continue;
        const char *sep = shown == 0 ? "" : (shown + 1 == total ? " và " : ", ");
        int w = snprintf(buf + n, size - n, "%s\"%s\"", sep, kind_names[i]);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
        shown++;
    }
    return buf;
}

/* ---- notices ------------------------------------------------------------------------------ */

static void notice_defaults(bt_notice *n, int line)
{
    memset(n, 0, sizeof *n);
    n->kind = BT_NOTICE_TEXT;
    n->duration_seconds = BT_DEFAULT_NOTICE_SECONDS;
    n->from_day = BT_DAY_NONE_FROM;
    n->until_day = BT_DAY_NONE_UNTIL;
    n->weekdays = BT_WEEKDAYS_ALL;
    n->priority = BT_DEFAULT_PRIORITY;
    n->line = line;
}

static void notice_free(bt_notice *n)
{
    free(n->id);
    free(n->title);
    free(n->body);
    free(n->qr_url);
    free(n->qr_caption);
    free(n->image);
    free(n->video);
    free(n->topic);
    free(n->target);
    memset(n, 0, sizeof *n);
}

/* "thông báo \"dvc\"" or "thông báo thứ 3": how messages name a notice. */
static const char *notice_label(const bt_notice *n, size_t index, char *buf, size_t size)
{
    if (n->id)
        snprintf(buf, size, "thông báo \"%s\"", n->id);
    else
        snprintf(buf, size, "thông báo thứ %zu", index + 1);
    return buf;
}

/* Checks one notice key whose type is right and stores its value. */
static void take_notice_value(vctx *c, size_t key, const bt_node *node, bool kind_known,
                              size_t index, bt_notice *n, bool *date_ok)
{
    char label[BT_MAX_ID_BYTES + 32];
    bool title_required = kind_known && (notice_keys[NK_TITLE].required & (1u << n->kind));
    switch (key) {
    case NK_TITLE:
        take_text(c, node, "tiêu đề", "", BT_MAX_TITLE_BYTES, title_required, &n->title);
        break;
    case NK_BODY:
        take_text(c, node, "nội dung", "", BT_MAX_BODY_BYTES, false, &n->body);
        break;
    case NK_QR_URL:
        take_url(c, node, &n->qr_url);
        break;
    case NK_QR_CAPTION:
        take_text(c, node, "chú thích dưới mã QR", "", BT_MAX_CAPTION_BYTES, false,
                  &n->qr_caption);
        break;
    case NK_IMAGE:
        take_image(c, node, notice_label(n, index, label, sizeof label), n);
        break;
    case NK_VIDEO:
        take_video(c, node, notice_label(n, index, label, sizeof label), n);
        break;
    case NK_LOOP:
        n->loop = node->bool_value;
        break;
    case NK_SOUND:
        n->sound = node->bool_value;
        break;
    case NK_DURATION:
        n->duration_set = take_int(c, node, BT_MIN_NOTICE_SECONDS, BT_MAX_NOTICE_SECONDS,
                                   &n->duration_seconds) == 0;
        break;
    case NK_FROM:
        date_ok[0] = take_date(c, node, &n->from_day) == 0;
        break;
    case NK_UNTIL:
        date_ok[1] = take_date(c, node, &n->until_day) == 0;
        break;
    case NK_WEEKDAYS:
        bt_validate_take_weekdays(
            &c->v, node,
            "khoá \"weekdays\" để trống — xoá dòng này nếu thông báo hiện mọi ngày, hoặc viết "
            "ví dụ \"T2-T6\"",
            true, &n->weekdays);
        break;
    case NK_HOURS:
        take_hours(c, node, n->hours, &n->hour_count);
        break;
    case NK_PRIORITY:
        take_int(c, node, BT_MIN_PRIORITY, BT_MAX_PRIORITY, &n->priority);
        break;
    case NK_URGENT:
        n->urgent = node->bool_value;
        break;
    case NK_CAPTION:
        n->caption = node->bool_value;
        break;
    case NK_FIT: {
        int fit = FIT_AUTO;
        if (bt_validate_take_word(&c->v, node, fit_names, FIT_COUNT, "cách đặt ảnh",
                                  "chỉ dùng \"auto\" (ảnh rất cao thì cuộn chậm từ trên xuống) hoặc "
                                  "\"whole\" (thu nhỏ cho thấy trọn ảnh)",
                                  &fit) == 0)
            n->fit_whole = fit == FIT_WHOLE;
        break;
    }
    case NK_TOPIC:
        bt_validate_take_topics(&c->v, node, "dich-vu-cong", &n->topic);
        break;
    case NK_TARGET:
        take_id(c, node, "mã chỉ tiêu", BT_MAX_ID_BYTES, &n->target);
        break;
    default:
        break;
    }
}

static void check_notice_required(vctx *c, const bt_node *group, size_t index,
                                  const bt_node **found, bool kind_known, const bt_notice *n)
{
    char label[BT_MAX_ID_BYTES + 32];
    notice_label(n, index, label, sizeof label);
    for (size_t k = 0; k < NK_COUNT; k++) {
        const bt_key_spec *spec = &notice_keys[k];
        if (found[k] || spec->required == 0)
            continue;
        if (spec->required == KIND_ALL)
            bt_validate_report_missing(&c->v, group->line, label, spec);
        else if (kind_known && (spec->required & (1u << n->kind)))
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, group->line,
                "%s loại \"%s\" thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s", label,
                kind_names[n->kind], spec->name, spec->what, spec->example);
    }
}

static void validate_notice(vctx *c, const bt_node *group, size_t index, bt_notice *n, int *id_line)
{
    const bt_node *found[NK_COUNT] = {0};
    bool kind_known = false, date_ok[2] = {false, false};
    char kinds[64];

    notice_defaults(n, group->line);
    bt_validate_scan_group(&c->v, group, &notice_level, found);
    if (found[NK_ID] && bt_validate_check_type(&c->v, &notice_keys[NK_ID], found[NK_ID]) &&
        take_id(c, found[NK_ID], "mã thông báo", BT_MAX_ID_BYTES, &n->id) == 0)
        *id_line = found[NK_ID]->line;
    if (found[NK_KIND] && bt_validate_check_type(&c->v, &notice_keys[NK_KIND], found[NK_KIND]))
        kind_known = take_kind(c, found[NK_KIND], &n->kind) == 0;

    for (size_t k = 0; k < NK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || k == NK_ID || k == NK_KIND)
            continue;
        if (kind_known && !(notice_allowed[k] & (1u << n->kind))) {
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, node->line,
                "khoá \"%s\" không dùng cho thông báo loại \"%s\" — khoá này chỉ dùng cho loại "
                "%s; hãy xoá dòng này hoặc đổi kind",
                notice_keys[k].name, kind_names[n->kind],
                kinds_text(notice_allowed[k], kinds, sizeof kinds));
            continue;
        }
        if (bt_validate_check_type(&c->v, &notice_keys[k], node))
            take_notice_value(c, k, node, kind_known, index, n, date_ok);
    }
    check_notice_required(c, group, index, found, kind_known, n);
    bool results = kind_known && (int)n->kind == KIND_INDEX_RESULTS;
    if (kind_known && (n->kind == BT_NOTICE_SCHEDULE || results) && !n->title) {
        /* The slide needs a heading; staff rarely want another one. */
        n->title = bt_validate_copy_string(n->kind == BT_NOTICE_SCHEDULE ? BT_SCHEDULE_NOTICE_TITLE
                                                                         : BT_RESULTS_NOTICE_TITLE);
        if (!n->title)
            bt_validate_no_memory(&c->v, group->line);
    }
    if (date_ok[0] && date_ok[1])
        check_range(c, found[NK_FROM], n->from_day, found[NK_UNTIL], n->until_day);
    if (n->qr_caption && !found[NK_QR_URL] && kind_known &&
        (n->kind == BT_NOTICE_TEXT || n->kind == BT_NOTICE_IMAGE))
        bt_validate_report(
            &c->v, BT_DIAG_WARNING, found[NK_QR_CAPTION]->line,
            "khoá \"qr_caption\" không có tác dụng vì thông báo không có qr_url — thêm qr_url "
            "hoặc xoá dòng này");
    if (kind_known && n->kind == BT_NOTICE_VIDEO)
        video_duration(c, n, found[NK_DURATION], found[NK_LOOP]);
    if (results)
        n->kind = BT_NOTICE_TEXT; /* from here on a text notice with a target */
}

static void check_duplicate_ids(vctx *c, const bt_playlist *p, const int *id_lines)
{
    for (size_t i = 0; i < p->notice_count; i++) {
        if (!p->notices[i].id)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (p->notices[j].id && strcmp(p->notices[i].id, p->notices[j].id) == 0) {
                bt_validate_report(
                    &c->v, BT_DIAG_ERROR, id_lines[i],
                    "mã thông báo \"%s\" bị trùng với thông báo ở dòng %d — mỗi thông báo "
                    "cần một mã riêng",
                    p->notices[i].id, id_lines[j]);
                break;
            }
        }
    }
}

static void validate_notices(vctx *c, const bt_node *list, bt_playlist *p)
{
    size_t count = list->child_count;
    int *id_lines = NULL;
    if (count == 0) {
        bt_validate_report(
            &c->v, BT_DIAG_WARNING, list->line,
            "playlist chưa có thông báo nào — màn hình sẽ chỉ hiện đồng hồ và dòng chữ chạy; "
            "hãy thêm thông báo vào notices = ( ... )");
        return;
    }
    if (count > BT_MAX_NOTICES)
        bt_validate_report(
            &c->v, BT_DIAG_ERROR, list->line,
            "quá nhiều thông báo (%zu, tối đa %d) — hãy bỏ bớt thông báo cũ hoặc chia thành "
            "nhiều playlist",
            count, BT_MAX_NOTICES);
    p->notices = calloc(count, sizeof *p->notices);
    id_lines = calloc(count, sizeof *id_lines);
    if (!p->notices || !id_lines) {
        bt_validate_no_memory(&c->v, list->line);
        free(id_lines);
        return;
    }
    p->notice_count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *item = &list->children[i];
        if (item->type != BT_NODE_GROUP) {
            notice_defaults(&p->notices[i], item->line);
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, item->line,
                "phần tử thứ %zu trong notices phải là một nhóm { ... } mô tả một thông báo, "
                "nhưng đang là %s — ví dụ: { id = \"dvc\"; kind = \"text\"; title = \"...\"; }",
                i + 1, bt_node_type_vi(item->type));
            continue;
        }
        validate_notice(c, item, i, &p->notices[i], &id_lines[i]);
    }
    check_duplicate_ids(c, p, id_lines);
    free(id_lines);
}

/* ---- playlist ----------------------------------------------------------------------------- */

static void validate_ticker(vctx *c, const bt_node *list, bt_playlist *p)
{
    size_t count = list->child_count;
    if (count == 0)
        return;
    if (count > BT_MAX_TICKER_LINES)
        bt_validate_report(&c->v, BT_DIAG_ERROR, list->line,
                           "quá nhiều dòng chữ chạy (%zu, tối đa %d) — hãy bỏ bớt", count,
                           BT_MAX_TICKER_LINES);
    p->ticker = calloc(count, sizeof *p->ticker);
    if (!p->ticker) {
        bt_validate_no_memory(&c->v, list->line);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const bt_node *item = &list->children[i];
        char element[64];
        char *line = NULL;
        snprintf(element, sizeof element, "dòng chữ chạy thứ %zu", i + 1);
        if (item->type != BT_NODE_STRING) {
            bt_validate_report(&c->v, BT_DIAG_ERROR, item->line,
                               "%s phải là chuỗi trong dấu \"...\", nhưng đang là %s", element,
                               bt_node_type_vi(item->type));
            continue;
        }
        if (take_text(c, item, "ticker", element, BT_MAX_TICKER_LINE_BYTES, false, &line) == 0 &&
            line)
            p->ticker[p->ticker_count++] = line;
    }
}

/* "từ 01/10/2025 đến 31/12/2026", "từ 01/10/2025", "đến 31/12/2026" for messages. */
static const char *range_text(bt_day from, bt_day until, char *buf, size_t size)
{
    char a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    if (from != BT_DAY_NONE_FROM && until != BT_DAY_NONE_UNTIL)
        snprintf(buf, size, "từ %s đến %s", day_text(from, a, sizeof a),
                 day_text(until, b, sizeof b));
    else if (from != BT_DAY_NONE_FROM)
        snprintf(buf, size, "từ %s", day_text(from, a, sizeof a));
    else
        snprintf(buf, size, "đến %s", day_text(until, b, sizeof b));
    return buf;
}

/* A schedule notice lists the playlist's loudspeaker sessions: without any, it would always say
 * that nothing airs today. Worth a warning, not an error (the sessions may come in a later
 * version of the playlist). */
static void check_schedule_notices(vctx *c, const bt_playlist *p)
{
    char label[BT_MAX_ID_BYTES + 32];
    if (p->broadcasts.session_count > 0)
        return;
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (n->kind != BT_NOTICE_SCHEDULE)
            continue;
        bt_validate_report(
            &c->v, BT_DIAG_WARNING, n->line,
            "%s loại \"schedule\" sẽ luôn hiện \"Hôm nay không có buổi phát thanh.\" vì "
            "playlist chưa có buổi phát thanh nào — hãy thêm các buổi phát vào broadcasts = "
            "{ sessions = ( ... ); } hoặc xoá thông báo này",
            notice_label(n, i, label, sizeof label));
    }
}

static bool target_ids_known(const bt_playlist *p)
{
    for (size_t t = 0; t < p->targets.count; t++)
        if (!p->targets.items[t].id)
            return false;
    return true;
}

/* A results notice shows one of the playlist's own targets: the id must name one. */
static void check_results_notices(vctx *c, const bt_playlist *p)
{
    char label[BT_MAX_ID_BYTES + 32], known[256];
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (!n->target)
            continue;
        bool found = false;
        for (size_t t = 0; t < p->targets.count && !found; t++)
            found = strcmp(p->targets.items[t].id, n->target) == 0;
        if (found)
            continue;
        size_t used = 0;
        known[0] = '\0';
        for (size_t t = 0; t < p->targets.count && used < sizeof known; t++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s\"%s\"", t ? ", " : "",
                                     p->targets.items[t].id);
        if (p->targets.count)
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, n->line,
                "%s loại \"results\": chỉ tiêu \"%s\" không có trong targets của playlist — "
                "dùng một trong: %s",
                notice_label(n, i, label, sizeof label), n->target, known);
        else
            bt_validate_report(
                &c->v, BT_DIAG_ERROR, n->line,
                "%s loại \"results\": chỉ tiêu \"%s\" không có vì playlist chưa có chỉ tiêu "
                "nào — thêm targets = ( { id = \"%s\"; ... } ); hoặc xoá thông báo này",
                notice_label(n, i, label, sizeof label), n->target, n->target);
    }
}

/* Warns about notices that can never show because their dates miss the playlist's validity. */
static void check_notices_in_validity(vctx *c, const bt_playlist *p)
{
    char label[BT_MAX_ID_BYTES + 32], mine[RANGE_TEXT_BYTES], whole[RANGE_TEXT_BYTES];
    for (size_t i = 0; i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (n->from_day > n->until_day)
            continue; /* already an error */
        if (n->until_day >= p->valid_from && n->from_day <= p->valid_until)
            continue;
        bt_validate_report(
            &c->v, BT_DIAG_WARNING, n->line,
            "%s chỉ hiển thị %s, nằm hoàn toàn ngoài thời hạn của playlist (%s) — thông báo "
            "này sẽ không bao giờ được hiện; hãy kiểm tra from/until",
            notice_label(n, i, label, sizeof label),
            range_text(n->from_day, n->until_day, mine, sizeof mine),
            range_text(p->valid_from, p->valid_until, whole, sizeof whole));
    }
}

/* The loudspeaker airs only within the playlist's validity, makeups included (core/schedule):
 * say so where a session's own dates or one-offs promise more. A session without dates of its
 * own simply follows the playlist and gets no message. */
static void check_sessions_in_validity(vctx *c, const bt_playlist *p)
{
    char mine[RANGE_TEXT_BYTES], whole[RANGE_TEXT_BYTES], hm[16], day[DATE_TEXT_BYTES];
    if (p->valid_from == BT_DAY_NONE_FROM && p->valid_until == BT_DAY_NONE_UNTIL)
        return;
    range_text(p->valid_from, p->valid_until, whole, sizeof whole);
    for (size_t i = 0; i < p->broadcasts.session_count; i++) {
        const bt_broadcast_session *s = &p->broadcasts.sessions[i];
        bool dated = s->from_day != BT_DAY_NONE_FROM || s->until_day != BT_DAY_NONE_UNTIL;
        if (s->time_count > 0 && dated && s->from_day <= s->until_day) {
            range_text(s->from_day, s->until_day, mine, sizeof mine);
            if (s->until_day < p->valid_from || s->from_day > p->valid_until)
                bt_validate_report(
                    &c->v, BT_DIAG_WARNING, s->line,
                    "buổi phát \"%s\" phát %s, nằm hoàn toàn ngoài thời hạn của playlist (%s) — "
                    "buổi này sẽ không bao giờ phát trên loa; hãy kiểm tra from/until của buổi "
                    "phát hoặc valid_from/valid_until",
                    s->id, mine, whole);
            else if (s->from_day < p->valid_from || s->until_day > p->valid_until)
                bt_validate_report(
                    &c->v, BT_DIAG_WARNING, s->line,
                    "buổi phát \"%s\" ghi phát %s, nhưng playlist chỉ có hiệu lực %s — loa chỉ "
                    "phát (và phát bù) buổi này trong thời hạn của playlist; hãy sửa from/until "
                    "của buổi phát hoặc valid_from/valid_until",
                    s->id, mine, whole);
        }
        for (size_t k = 0; k < s->at_count; k++) {
            bt_day d = bt_time_day_of(s->at[k]);
            if (d >= p->valid_from && d <= p->valid_until)
                continue;
            bt_validate_report(
                &c->v, BT_DIAG_WARNING, s->line,
                "thời điểm phát một lần %s %s của buổi phát \"%s\" nằm ngoài thời hạn của "
                "playlist (%s) — loa sẽ không phát lần này; hãy sửa at hoặc "
                "valid_from/valid_until",
                bt_time_format_hhmm(s->at[k], hm, sizeof hm),
                bt_time_format_ddmmyyyy(d, day, sizeof day), s->id, whole);
        }
    }
}

static void check_top_required(vctx *c, const bt_node **found)
{
    for (size_t k = 0; k < TOP_COUNT; k++) {
        if (found[k] || top_keys[k].required == 0)
            continue;
        bt_validate_report(&c->v, BT_DIAG_ERROR, 0,
                           "thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví dụ: %s",
                           top_keys[k].name, top_keys[k].what, top_keys[k].example);
    }
}

void bt_playlist_init(bt_playlist *p)
{
    memset(p, 0, sizeof *p);
    p->valid_from = BT_DAY_NONE_FROM;
    p->valid_until = BT_DAY_NONE_UNTIL;
}

void bt_playlist_free(bt_playlist *p)
{
    if (!p)
        return;
    free(p->id);
    free(p->title);
    for (size_t i = 0; i < p->notice_count; i++)
        notice_free(&p->notices[i]);
    free(p->notices);
    for (size_t i = 0; i < p->ticker_count; i++)
        free(p->ticker[i]);
    free(p->ticker);
    bt_broadcasts_free(&p->broadcasts);
    bt_targets_free(&p->targets);
    bt_records_free(&p->records);
    bt_playlist_init(p);
}

/* Warns about targets whose topic no item or notice carries: they could never move. */
static void check_target_topics(vctx *c, const bt_playlist *p)
{
    const char **topics = calloc(p->notice_count ? p->notice_count : 1, sizeof *topics);
    if (!topics)
        return;
    for (size_t i = 0; i < p->notice_count; i++)
        topics[i] = p->notices[i].topic;
    bt_targets_check_topics(&p->targets, &p->broadcasts, topics, p->notice_count, c->v.file,
                            c->v.diags);
    free(topics);
}

/* keep: *out holds what validated even when there were errors (bt_playlist_validate). */
static int validate_playlist(const bt_node *root, const char *file, const bt_asset_probe *probe,
                             bool keep, bt_playlist *out, bt_diags *diags)
{
    vctx c = {{file ? file : BT_PLAYLIST_FILE, diags, NO_MEMORY, 0, false}, probe};
    const bt_node *found[TOP_COUNT] = {0};
    bool date_ok[2] = {false, false}, broadcasts_ok, targets_failed = false;
    bt_playlist p;

    bt_playlist_init(out);
    bt_playlist_init(&p);
    if (!root || root->type != BT_NODE_GROUP) {
        bt_validate_report(&c.v, BT_DIAG_ERROR, 0,
                           "tệp không có nội dung playlist — hãy làm theo tệp mẫu");
        return -1;
    }
    bt_validate_scan_group(&c.v, root, &top_level, found);
    /* Known only once the group validated (a broken one has its own errors). */
    broadcasts_ok = found[TOP_BROADCASTS] == NULL;
    for (size_t k = 0; k < TOP_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || !bt_validate_check_type(&c.v, &top_keys[k], node))
            continue;
        switch (k) {
        case TOP_ID:
            take_id(&c, node, "mã playlist", BT_MAX_ID_BYTES, &p.id);
            break;
        case TOP_VERSION:
            take_int(&c, node, 1, INT32_MAX, &p.version);
            break;
        case TOP_TITLE:
            take_text(&c, node, "tiêu đề playlist", "", BT_MAX_TITLE_BYTES, true, &p.title);
            break;
        case TOP_VALID_FROM:
            date_ok[0] = take_date(&c, node, &p.valid_from) == 0;
            break;
        case TOP_VALID_UNTIL:
            date_ok[1] = take_date(&c, node, &p.valid_until) == 0;
            break;
        case TOP_NOTICES:
            validate_notices(&c, node, &p);
            break;
        case TOP_TICKER:
            validate_ticker(&c, node, &p);
            break;
        case TOP_TARGETS:
            /* Targets have their own validator (core/targets_parse.c), same diagnostics. */
            if (bt_targets_validate(node, c.v.file, &p.targets, c.v.diags) != 0) {
                c.v.errors++;
                targets_failed = true;
            }
            break;
        case TOP_RECORDS:
            /* What staff recorded on the other channels (core/records.c), same diagnostics. */
            if (bt_records_validate(node, c.v.file, true, &p.records, c.v.diags) != 0)
                c.v.errors++;
            break;
        case TOP_BROADCASTS:
            /* The loudspeaker part has its own validator (core/broadcast.c), same diagnostics. */
            broadcasts_ok = bt_broadcasts_validate(node, c.v.file, &p.broadcasts, c.v.diags) == 0;
            if (!broadcasts_ok)
                c.v.errors++;
            break;
        default:
            break;
        }
    }
    /* What a person reads, whatever else is wrong with its notice (text_check.c), when the
     * shell loads for the screen with its fonts: check, pack, activate and the import. The
     * kiosk re-reading what it imported before these checks existed must not refuse it. */
    if (probe && probe->glyphs.covers)
        bt_validate_playlist_texts(&c.v, root, &probe->glyphs);
    check_top_required(&c, found);
    if (date_ok[0] && date_ok[1])
        check_range(&c, found[TOP_VALID_FROM], p.valid_from, found[TOP_VALID_UNTIL],
                    p.valid_until);
    if (p.valid_from <= p.valid_until)
        check_notices_in_validity(&c, &p);
    if (broadcasts_ok)
        check_schedule_notices(&c, &p);
    if (broadcasts_ok && p.valid_from <= p.valid_until)
        check_sessions_in_validity(&c, &p);
    /* A target whose own id was wrong cannot be matched; with every id read, a results notice
     * naming none of them is wrong whatever else its targets got wrong. */
    if (!targets_failed || target_ids_known(&p))
        check_results_notices(&c, &p);
    if (c.v.errors == 0 && p.targets.count)
        check_target_topics(&c, &p);
    if (c.v.errors > 0 && !keep) {
        bt_playlist_free(&p);
        return -1;
    }
    *out = p;
    return c.v.errors > 0 ? -1 : 0;
}

int bt_playlist_from_tree(const bt_node *root, const char *file, const bt_asset_probe *probe,
                          bt_playlist *out, bt_diags *diags)
{
    return validate_playlist(root, file, probe, false, out, diags);
}

int bt_playlist_validate(const bt_node *root, const char *file, const bt_asset_probe *probe,
                         bt_playlist *out, bt_diags *diags)
{
    return validate_playlist(root, file, probe, true, out, diags);
}

/* ---- time --------------------------------------------------------------------------------- */

bool bt_notice_in_time(const bt_notice *n, bt_wall t)
{
    bt_day day = bt_time_day_of(t);
    if (day < n->from_day || day > n->until_day)
        return false;
    if (!(n->weekdays & (1u << (bt_time_weekday_of_day(day) - 1))))
        return false;
    if (n->hour_count == 0)
        return true;
    int minute = bt_time_minute_of_day(t);
    for (size_t i = 0; i < n->hour_count; i++)
        if (minute >= n->hours[i].start_minute && minute < n->hours[i].end_minute)
            return true;
    return false;
}

bool bt_playlist_in_validity(const bt_playlist *p, bt_wall t)
{
    bt_day day = bt_time_day_of(t);
    return day >= p->valid_from && day <= p->valid_until;
}

size_t bt_playlist_usable_notices(const bt_playlist *p)
{
    size_t n = 0;
    for (size_t i = 0; p && i < p->notice_count; i++)
        n += !p->notices[i].unavailable;
    return n;
}

const char *bt_notice_kind_name(bt_notice_kind kind)
{
    if ((size_t)kind <= BT_NOTICE_VIDEO)
        return kind_names[kind];
    return "?";
}

size_t bt_playlist_known_keys(bt_playlist_key *out, size_t cap)
{
    enum { MAX_PLACES = 16 };
    bt_key_place places[MAX_PLACES] = {{"", &top_level}, {"notices", &notice_level}};
    size_t n = 2, total = 0;
    n += bt_broadcasts_key_places(places + n, MAX_PLACES - n);
    n = n < MAX_PLACES ? n : MAX_PLACES;
    n += bt_targets_key_places(places + n, MAX_PLACES - n);
    n = n < MAX_PLACES ? n : MAX_PLACES;
    n += bt_records_key_places(places + n, MAX_PLACES - n);
    n = n < MAX_PLACES ? n : MAX_PLACES;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < places[i].level->count; k++, total++)
            if (total < cap)
                out[total] = (bt_playlist_key){places[i].path, places[i].level->keys[k].name};
    }
    return total;
}

/* ---- dump --------------------------------------------------------------------------------- */


static void dump_schedule(bt_dump *d, const char *prefix, const bt_notice *n)
{
    bt_buf_printf(d, "%sweekdays = ", prefix);
    bool first = true;
    for (int i = 0; i < 7; i++) {
        if (!(n->weekdays & (1u << i)))
            continue;
        bt_buf_printf(d, "%s%s", first ? "" : ",", bt_validate_weekday_codes[i]);
        first = false;
    }
    bt_buf_printf(d, "%s\n", first ? "-" : "");
    bt_buf_printf(d, "%shours = ", prefix);
    if (n->hour_count == 0)
        bt_buf_add(d, "00:00-24:00", 11);
    for (size_t i = 0; i < n->hour_count; i++)
        bt_buf_printf(d, "%s%02d:%02d-%02d:%02d", i ? "," : "", n->hours[i].start_minute / 60,
                    n->hours[i].start_minute % 60, n->hours[i].end_minute / 60,
                    n->hours[i].end_minute % 60);
    bt_buf_add(d, "\n", 1);
}

static void dump_notice(bt_dump *d, size_t index, const bt_notice *n)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "notices[%zu].", index);
    bt_dump_string(d, prefix, "id", n->id);
    bt_buf_printf(d, "%skind = %s\n", prefix,
                n->target ? BT_NOTICE_RESULTS_NAME : bt_notice_kind_name(n->kind));
    bt_dump_string(d, prefix, "title", n->title);
    bt_dump_string(d, prefix, "body", n->body);
    bt_dump_string(d, prefix, "qr_url", n->qr_url);
    bt_dump_string(d, prefix, "qr_caption", n->qr_caption);
    bt_dump_string(d, prefix, "image", n->image);
    if (n->video) { /* only video notices, so dumps of others stay as they were */
        bt_dump_string(d, prefix, "video", n->video);
        bt_buf_printf(d, "%svideo_ms = %lld\n%sloop = %s\n%ssound = %s\n", prefix, n->video_ms,
                      prefix, n->loop ? "true" : "false", prefix, n->sound ? "true" : "false");
    }
    bt_buf_printf(d, "%sduration = %d\n", prefix, n->duration_seconds);
    bt_dump_day(d, prefix, "from", n->from_day);
    bt_dump_day(d, prefix, "until", n->until_day);
    dump_schedule(d, prefix, n);
    bt_buf_printf(d, "%spriority = %d\n", prefix, n->priority);
    bt_buf_printf(d, "%surgent = %s\n", prefix, n->urgent ? "true" : "false");
    bt_dump_string(d, prefix, "topic", n->topic);
    if (n->target)
        bt_dump_string(d, prefix, "target", n->target);
    if (n->unavailable)
        bt_buf_printf(d, "%sunavailable = true\n", prefix);
    if (n->caption) /* only when asked, so dumps of playlists without it stay as they were */
        bt_buf_printf(d, "%scaption = true\n", prefix);
    if (n->fit_whole) /* likewise */
        bt_buf_printf(d, "%sfit = whole\n", prefix);
}

char *bt_playlist_dump(const bt_playlist *p)
{
    bt_dump d = {NULL, 0, 0, false};
    bt_dump_string(&d, "", "id", p->id);
    bt_buf_printf(&d, "version = %d\n", p->version);
    bt_dump_string(&d, "", "title", p->title);
    bt_dump_day(&d, "", "valid_from", p->valid_from);
    bt_dump_day(&d, "", "valid_until", p->valid_until);
    bt_buf_printf(&d, "notices = %zu\n", p->notice_count);
    for (size_t i = 0; i < p->notice_count; i++)
        dump_notice(&d, i, &p->notices[i]);
    bt_buf_printf(&d, "ticker = %zu\n", p->ticker_count);
    for (size_t i = 0; i < p->ticker_count; i++) {
        char key[32];
        snprintf(key, sizeof key, "ticker[%zu]", i);
        bt_dump_string(&d, "", key, p->ticker[i]);
    }
    if (p->broadcasts.item_count || p->broadcasts.session_count) {
        char *broadcasts = bt_broadcasts_dump(&p->broadcasts);
        if (broadcasts)
            bt_buf_add(&d, broadcasts, strlen(broadcasts));
        else
            d.failed = true;
        free(broadcasts);
    }
    if (p->targets.count) {
        char *targets = bt_targets_dump(&p->targets);
        if (targets)
            bt_buf_add(&d, targets, strlen(targets));
        else
            d.failed = true;
        free(targets);
    }
    if (p->records.count) {
        char *records = bt_records_dump(&p->records);
        if (records)
            bt_buf_add(&d, records, strlen(records));
        else
            d.failed = true;
        free(records);
    }
    if (d.failed) {
        free(d.data);
        return NULL;
    }
    return d.data;
}
