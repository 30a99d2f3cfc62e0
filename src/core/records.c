/* The `records` list of playlist.cfg (bt_records.h): tin/bài staff posted or presented on the
 * channels the appliance cannot observe. Validated like the targets (targets_parse.c): keys
 * described once in a table, the tree walked once, EVERY problem reported with file, line and a
 * Vietnamese message saying how to fix it, with the shared readers of dates, words and topics
 * (validate.c), so a wrong date reads the same here as anywhere else.
 *
 * Pure: no files, no clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_records.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "dump.h"
#include "validate.h"

#define STRING_BIT BT_NODE_BIT(BT_NODE_STRING)
#define LABEL_BYTES 64
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NO_MEMORY "không đủ bộ nhớ để kiểm tra các tin bài đã ghi nhận — hãy thử lại"
#define TOPIC_EXAMPLE "topic = \"cchc\";"
/* What a whole record looks like, for messages that show one. */
#define RECORD_EXAMPLE                                                                            \
    "{ date = \"15/08/2025\"; channel = \"city-page\"; title = \"Tên tin bài\"; topic = "        \
    "\"cchc\"; }"

enum { RK_DATE, RK_CHANNEL, RK_TITLE, RK_TOPIC, RK_LINK, RK_NOTE, RK_COUNT };

static const bt_key_spec record_keys[RK_COUNT] = {
    [RK_DATE] = {"date", BT_NODE_STRING, STRING_BIT, true, "ngày đăng hoặc ngày tổ chức",
                 "date = \"15/08/2025\";"},
    [RK_CHANNEL] = {"channel", BT_NODE_STRING, STRING_BIT, true, "kênh",
                    "channel = \"city-page\";"},
    [RK_TITLE] = {"title", BT_NODE_STRING, STRING_BIT, true, "tiêu đề tin bài",
                  "title = \"Phường triển khai dịch vụ công trực tuyến\";"},
    [RK_TOPIC] = {"topic", BT_NODE_STRING,
                  STRING_BIT | BT_NODE_BIT(BT_NODE_ARRAY) | BT_NODE_BIT(BT_NODE_LIST), false,
                  "chủ đề", TOPIC_EXAMPLE},
    [RK_LINK] = {"link", BT_NODE_STRING, STRING_BIT, false, "địa chỉ bài đăng",
                 "link = \"https://bachmai.hanoi.gov.vn/tin-tuc/...\";"},
    [RK_NOTE] = {"note", BT_NODE_STRING, STRING_BIT, false, "ghi chú",
                 "note = \"Phòng VH-XH gửi đăng\";"},
};

/* Keys of targets and notices, often copied into a record by mistake. */
static const char *const foreign_keys[] = {"id", "label", "period", "minimum", "counts", "from",
                                           "until", "body", "kind", "qr_url"};

static bool misplaced_in_record(bt_validator *c, const bt_node *node, const char *shown,
                                const bt_key_level *level)
{
    const char *name = node->name ? node->name : "";
    char list[256];
    for (size_t i = 0; i < ARRAY_LEN(foreign_keys); i++) {
        if (strcmp(name, foreign_keys[i]) != 0)
            continue;
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng cho một tin bài đã ghi nhận — khoá này thuộc về "
                           "chỉ tiêu hoặc thông báo; một tin bài trong records chỉ dùng các khoá: "
                           "%s",
                           shown, bt_validate_key_list(level->keys, level->count, list,
                                                       sizeof list));
        return true;
    }
    return false;
}

static const bt_key_level record_level = {record_keys, RK_COUNT,
                                          "một tin bài đã ghi nhận (trong records = ( ... ))",
                                          misplaced_in_record, 0};

size_t bt_records_key_places(bt_key_place *out, size_t cap)
{
    if (cap > 0)
        out[0] = (bt_key_place){"records", &record_level};
    return 1;
}

static const bt_text_rule title_rule = {
    .what = "tiêu đề tin bài",
    .max_bytes = BT_MAX_TITLE_BYTES,
    .if_empty = "hãy chép tiêu đề của tin bài đã đăng, ví dụ title = \"Phường triển khai dịch vụ "
                "công trực tuyến\";",
};

static const bt_text_rule note_rule = {
    .what = "ghi chú",
    .max_bytes = BT_MAX_RECORD_NOTE_BYTES,
    .if_empty = "hãy điền ghi chú hoặc xoá dòng note",
    .optional = true,
};

/* ---- model -------------------------------------------------------------------------------- */

void bt_records_init(bt_records *r)
{
    memset(r, 0, sizeof *r);
}

static void record_clear(bt_record *x)
{
    free(x->title);
    free(x->topic);
    free(x->link);
    free(x->note);
    free(x->key);
    memset(x, 0, sizeof *x);
}

void bt_records_free(bt_records *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        record_clear(&r->items[i]);
    free(r->items);
    bt_records_init(r);
}

void bt_records_as_inputs(const bt_records *r, bt_target_record *out)
{
    for (size_t i = 0; r && i < r->count; i++)
        out[i] = (bt_target_record){r->items[i].channel, r->items[i].topic, r->items[i].day,
                                    r->items[i].count};
}

/* ---- one record --------------------------------------------------------------------------- */

static const char *record_label(size_t index, char *buf, size_t size)
{
    snprintf(buf, size, "tin bài thứ %zu trong records", index + 1);
    return buf;
}

/* A link: http(s)://, no spaces, within BT_MAX_URL_BYTES. */
static void take_link(bt_validator *c, const bt_node *node, char **out)
{
    const char *url = bt_validate_string(node);
    char echo[96];
    if (!bt_validate_require_utf8(c, node, "địa chỉ link"))
        return;
    if (!url[0]) {
        bt_validate_report(c, BT_DIAG_WARNING, node->line,
                           "khoá \"link\" đang để trống — hãy dán địa chỉ bài đăng, hoặc xoá dòng "
                           "này");
        return;
    }
    if (strlen(url) > BT_MAX_URL_BYTES) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "địa chỉ link quá dài (%zu byte, tối đa %d) — hãy dán địa chỉ ngắn hơn "
                           "của bài đăng",
                           strlen(url), BT_MAX_URL_BYTES);
        return;
    }
    if ((strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) ||
        strpbrk(url, " \t\r\n")) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "địa chỉ link \"%s\" không hợp lệ — phải bắt đầu bằng \"https://\" hoặc "
                           "\"http://\" và không có dấu cách; hãy chép nguyên địa chỉ từ thanh "
                           "địa chỉ của trình duyệt",
                           bt_validate_echo(url, echo, sizeof echo));
        return;
    }
    if (!(*out = bt_validate_copy_string(url)))
        bt_validate_no_memory(c, node->line);
}

static void take_channel(bt_validator *c, const bt_node *node, bt_record *r, bool *ok)
{
    static const char *const words[] = {"city-page", "ward-site", "conference", "zalo", "other"};
    static const bt_target_channel channels[] = {BT_TARGET_CITY_PAGE, BT_TARGET_WARD_SITE,
                                                 BT_TARGET_CONFERENCE, BT_TARGET_ZALO,
                                                 BT_TARGET_OTHER};
    _Static_assert(ARRAY_LEN(words) == ARRAY_LEN(channels), "a channel word without its code");
    const char *text = bt_validate_string(node);
    int word;
    if (strcmp(text, "loudspeaker") == 0 || strcmp(text, "screen") == 0) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "kênh \"%s\" không cần ghi nhận — máy tự ghi những gì phát trên loa và "
                           "hiển thị trên màn hình; records chỉ dùng cho \"city-page\" (Trang "
                           "thông tin CCHC của Thành phố), \"ward-site\" (Trang thông tin điện tử "
                           "của phường), \"conference\" (hội nghị), \"zalo\" (nhóm Zalo) hoặc "
                           "\"other\" (kênh khác)",
                           text);
        return;
    }
    if (bt_validate_take_word(c, node, words, ARRAY_LEN(words), "kênh",
                              "chỉ dùng \"city-page\" (Trang thông tin CCHC của Thành phố), "
                              "\"ward-site\" (Trang thông tin điện tử của phường), \"conference\" "
                              "(hội nghị), \"zalo\" (nhóm Zalo) hoặc \"other\" (kênh khác)",
                              &word) == 0) {
        r->channel = channels[word];
        *ok = true;
    }
}

static void validate_record(bt_validator *c, const bt_node *group, size_t index, bt_record *r)
{
    const bt_node *found[RK_COUNT] = {0};
    char label[LABEL_BYTES];
    bool channel_ok = false;
    memset(r, 0, sizeof *r);
    r->line = group->line;
    r->channel = BT_TARGET_OTHER;
    r->count = 1;
    bt_validate_scan_group(c, group, &record_level, found);
    for (size_t k = 0; k < RK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || !bt_validate_check_type(c, &record_keys[k], node))
            continue;
        switch (k) {
        case RK_DATE:
            bt_validate_take_date(c, node, &r->day);
            break;
        case RK_CHANNEL:
            take_channel(c, node, r, &channel_ok);
            break;
        case RK_TITLE:
            bt_validate_take_text(c, node, &title_rule, &r->title);
            break;
        case RK_TOPIC:
            bt_validate_take_topics(c, node, TOPIC_EXAMPLE, &r->topic);
            break;
        case RK_LINK:
            take_link(c, node, &r->link);
            break;
        case RK_NOTE:
            bt_validate_take_text(c, node, &note_rule, &r->note);
            break;
        default:
            break;
        }
    }
    for (size_t k = 0; k < RK_COUNT; k++)
        if (!found[k] && record_keys[k].required)
            bt_validate_report_missing(c, group->line, record_label(index, label, sizeof label),
                                       &record_keys[k]);
}

/* The same channel, date and title twice in one playlist is one record written twice: the
 * second would be dropped silently by the store, so say where the first is. */
static void check_repeats(bt_validator *c, const bt_records *r)
{
    char date[32];
    for (size_t i = 0; i < r->count; i++) {
        const bt_record *x = &r->items[i];
        if (!x->title)
            continue;
        for (size_t j = 0; j < i; j++) {
            const bt_record *y = &r->items[j];
            if (y->title && y->channel == x->channel && y->day == x->day &&
                strcmp(y->title, x->title) == 0) {
                bt_validate_report(c, BT_DIAG_ERROR, x->line,
                                   "tin bài \"%s\" ngày %s trên %s đã được ghi ở dòng %d — mỗi tin "
                                   "bài chỉ ghi một lần; hãy xoá một trong hai",
                                   x->title, bt_time_format_ddmmyyyy(x->day, date, sizeof date),
                                   bt_target_channel_vi(x->channel), y->line);
                break;
            }
        }
    }
}

int bt_records_validate(const bt_node *group, const char *file, bool keep, bt_records *out,
                        bt_diags *d)
{
    bt_validator c = {file ? file : BT_PLAYLIST_FILE, d, NO_MEMORY, 0, false};
    bt_records r;
    bt_records_init(out);
    bt_records_init(&r);
    if (!group)
        return 0;
    if (group->type != BT_NODE_LIST && group->type != BT_NODE_ARRAY) {
        bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                           "khoá \"records\" phải là %s, nhưng đang là %s — ví dụ: records = ( "
                           RECORD_EXAMPLE " );",
                           bt_node_type_vi(BT_NODE_LIST), bt_node_type_vi(group->type));
        return -1;
    }
    size_t count = group->child_count;
    if (count == 0)
        return 0;
    if (count > BT_MAX_RECORDS) {
        bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                           "quá nhiều tin bài trong records (%zu, tối đa %d) — máy đã lưu những "
                           "tin bài nạp lần trước, hãy bỏ bớt các tin bài cũ",
                           count, BT_MAX_RECORDS);
        return -1;
    }
    if (!(r.items = calloc(count, sizeof *r.items))) {
        bt_validate_no_memory(&c, group->line);
        return -1;
    }
    r.count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &group->children[i];
        if (elem->type != BT_NODE_GROUP) {
            r.items[i].line = elem->line;
            bt_validate_report(&c, BT_DIAG_ERROR, elem->line,
                               "phần tử thứ %zu trong records phải là một nhóm { ... } mô tả một "
                               "tin bài, nhưng đang là %s — ví dụ: " RECORD_EXAMPLE,
                               i + 1, bt_node_type_vi(elem->type));
            continue;
        }
        validate_record(&c, elem, i, &r.items[i]);
    }
    check_repeats(&c, &r);
    if (c.errors > 0 && !keep) {
        bt_records_free(&r);
        return -1;
    }
    *out = r;
    return c.errors > 0 ? -1 : 0;
}

/* ---- dump --------------------------------------------------------------------------------- */

char *bt_records_dump(const bt_records *r)
{
    bt_dump d = {NULL, 0, 0, false};
    bt_buf_printf(&d, "records = %zu\n", r ? r->count : 0);
    for (size_t i = 0; r && i < r->count; i++) {
        const bt_record *x = &r->items[i];
        char prefix[32];
        snprintf(prefix, sizeof prefix, "records[%zu].", i);
        bt_dump_day(&d, prefix, "date", x->day);
        bt_buf_printf(&d, "%schannel = %s\n", prefix, bt_target_channel_name(x->channel));
        bt_dump_string(&d, prefix, "title", x->title);
        bt_dump_string(&d, prefix, "topic", x->topic);
        bt_dump_string(&d, prefix, "link", x->link);
        bt_dump_string(&d, prefix, "note", x->note);
        if (x->source == BT_RECORD_FROM_CSV)
            bt_buf_printf(&d, "%scount = %d\n%ssource = %s line %d\n", prefix, x->count, prefix,
                          BT_RECORDS_CSV_FILE, x->line);
    }
    if (d.failed) {
        free(d.data);
        return NULL;
    }
    return d.data;
}
