/* The `targets` list of playlist.cfg: the ward plan's targets, validated like the notices and
 * the broadcasts (playlist.c, broadcast.c): the tree is walked once and EVERY problem is reported
 * with file, line and a Vietnamese message saying what is wrong and how to fix it. Keys are
 * described once, in a table; unknown-key suggestions and "missing key" examples come from it.
 * The readers of ids, words and dates are those of the other validators (validate.c), so they
 * say the same thing here.
 *
 * Pure: no files, no clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "validate.h"

#define STRING_BIT BT_NODE_BIT(BT_NODE_STRING)
#define DATE_TEXT_BYTES 32
#define LABEL_BYTES (BT_MAX_ID_BYTES + 32)

enum { TK_ID, TK_LABEL, TK_CHANNEL, TK_TOPIC, TK_PERIOD, TK_MINIMUM, TK_COUNTS, TK_FROM,
       TK_UNTIL, TK_COUNT };

static const bt_key_spec target_keys[TK_COUNT] = {
    [TK_ID] = {"id", BT_NODE_STRING, STRING_BIT, true, "mã chỉ tiêu", "id = \"cchc-loa-quy\";"},
    [TK_LABEL] = {"label", BT_NODE_STRING, STRING_BIT, false, "tên chỉ tiêu",
                  "label = \"tin bài CCHC\";"},
    [TK_CHANNEL] = {"channel", BT_NODE_STRING, STRING_BIT, true, "kênh",
                    "channel = \"loudspeaker\";"},
    [TK_TOPIC] = {"topic", BT_NODE_STRING, STRING_BIT, false, "chủ đề", "topic = \"cchc\";"},
    [TK_PERIOD] = {"period", BT_NODE_STRING, STRING_BIT, true, "kỳ tính",
                   "period = \"quarter\";"},
    [TK_MINIMUM] = {"minimum", BT_NODE_INT, BT_NODE_BIT(BT_NODE_INT), true,
                    "mức tối thiểu mỗi kỳ", "minimum = 2;"},
    [TK_COUNTS] = {"counts", BT_NODE_STRING, STRING_BIT, false, "cách tính",
                   "counts = \"items\";"},
    [TK_FROM] = {"from", BT_NODE_STRING, STRING_BIT, false, "ngày bắt đầu áp dụng",
                 "from = \"01/10/2025\";"},
    [TK_UNTIL] = {"until", BT_NODE_STRING, STRING_BIT, false, "ngày kết thúc áp dụng",
                  "until = \"31/12/2025\";"},
};

/* The stored and written slug of each channel (bt_target_channel's order). */
static const char *const channel_words[] = {
    [BT_TARGET_LOUDSPEAKER] = "loudspeaker", [BT_TARGET_SCREEN] = "screen",
    [BT_TARGET_CITY_PAGE] = "city-page",     [BT_TARGET_WARD_SITE] = "ward-site",
    [BT_TARGET_CONFERENCE] = "conference",   [BT_TARGET_ZALO] = "zalo",
    [BT_TARGET_OTHER] = "other"};
_Static_assert(sizeof channel_words / sizeof channel_words[0] == BT_TARGET_CHANNEL_COUNT,
               "a channel without its slug");
/* The choices as a message lists them, each with its Vietnamese name. */
#define CHANNEL_CHOICES                                                                           \
    "chỉ dùng \"loudspeaker\" (loa phường), \"screen\" (màn hình sảnh), \"city-page\" (Trang "   \
    "thông tin CCHC của Thành phố), \"ward-site\" (Trang thông tin điện tử của phường), "          \
    "\"conference\" (hội nghị), \"zalo\" (nhóm Zalo) hoặc \"other\" (kênh khác)"
static const char *const period_words[] = {"month", "quarter", "year"};
static const bt_period_kind period_kinds[] = {BT_PERIOD_MONTH, BT_PERIOD_QUARTER, BT_PERIOD_YEAR};
static const char *const counts_words[] = {"items", "airings", "notices", "minutes"};
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define NO_MEMORY "không đủ bộ nhớ để kiểm tra các chỉ tiêu — hãy thử lại"
/* An example id shown when an id is left empty. */
#define ID_EXAMPLE "cchc-loa-quy"

/* The label: valid UTF-8, NFC, trimmed, non-empty, within BT_MAX_TARGET_LABEL_BYTES. */
static const bt_text_rule label_rule = {
    .what = "tên chỉ tiêu",
    .max_bytes = BT_MAX_TARGET_LABEL_BYTES,
    .if_empty = "hãy điền, ví dụ label = \"tin bài CCHC\"; hoặc xoá dòng này để dùng tên mặc định",
};

/* ---- keys --------------------------------------------------------------------------------- */

/* Keys that belong to notices or broadcast sessions, often copied into a target by mistake. */
static const char *const foreign_keys[] = {"title", "kind", "times", "weekdays", "hours",
                                           "items", "name", "duration", "priority"};

static bool misplaced_in_target(bt_validator *c, const bt_node *node, const char *shown,
                                const bt_key_level *level)
{
    const char *name = node->name ? node->name : "";
    char list[256];
    bool foreign = false;
    for (size_t i = 0; i < ARRAY_LEN(foreign_keys); i++)
        foreign = foreign || strcmp(name, foreign_keys[i]) == 0;
    if (strcmp(name, "title") == 0)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"title\" không dùng cho một chỉ tiêu — tên chỉ tiêu viết là "
                           "label = \"tin bài CCHC\";");
    else if (foreign)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng cho một chỉ tiêu — khoá này thuộc về thông báo "
                           "hoặc lịch phát thanh; một chỉ tiêu chỉ dùng các khoá: %s",
                           shown, bt_validate_key_list(level->keys, level->count, list,
                                                       sizeof list));
    else
        return false;
    return true;
}

static const bt_key_level target_level = {target_keys, TK_COUNT,
                                          "một chỉ tiêu (trong targets = ( ... ))",
                                          misplaced_in_target, 0};

size_t bt_targets_key_places(bt_key_place *out, size_t cap)
{
    if (cap > 0)
        out[0] = (bt_key_place){"targets", &target_level};
    return 1;
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
    if (channel == BT_TARGET_SCREEN)
        return counts == BT_TARGET_COUNT_NOTICES || counts == BT_TARGET_COUNT_MINUTES;
    return counts == BT_TARGET_COUNT_ITEMS; /* a record is one tin/bài */
}

/* What counts_fit_channel allows, said for a message. */
static const char *counts_for_channel_vi(bt_target_channel channel)
{
    if (channel == BT_TARGET_LOUDSPEAKER)
        return "loa phường dùng \"items\" (số tin bài khác nhau) hoặc \"airings\" (số lượt phát)";
    if (channel == BT_TARGET_SCREEN)
        return "màn hình dùng \"notices\" (số thông báo khác nhau) hoặc \"minutes\" (số phút "
               "hiển thị)";
    return "kênh do cán bộ ghi nhận chỉ dùng \"items\" (số tin bài đã ghi trong records) — hoặc "
           "xoá dòng counts";
}

static void take_minimum(bt_validator *c, const bt_node *node, bt_target *t)
{
    if (node->int_value >= 1 && node->int_value <= BT_MAX_TARGET_MINIMUM) {
        t->minimum = (int)node->int_value;
        return;
    }
    bt_validate_report(c, BT_DIAG_ERROR, node->line,
                       "mức tối thiểu minimum = %lld không hợp lệ — phải là số nguyên từ 1 đến %d "
                       "(số tin bài, lượt phát, thông báo hoặc phút trong mỗi kỳ), ví dụ minimum = "
                       "2;",
                       node->int_value, BT_MAX_TARGET_MINIMUM);
}

/* Takes every key present; says whether counts was given, channel read and each date read. */
static void take_values(bt_validator *c, const bt_node **found, bt_target *t, bool *have_counts,
                        bool *channel_ok, bool date_ok[2])
{
    int word;
    for (size_t k = 0; k < TK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || !bt_validate_check_type(c, &target_keys[k], node))
            continue;
        switch (k) {
        case TK_ID:
            bt_validate_take_id(c, node, "mã chỉ tiêu", BT_MAX_ID_BYTES, ID_EXAMPLE, &t->id);
            break;
        case TK_LABEL:
            bt_validate_take_text(c, node, &label_rule, &t->label);
            break;
        case TK_CHANNEL:
            if (bt_validate_take_word(c, node, channel_words, ARRAY_LEN(channel_words), "kênh",
                                      CHANNEL_CHOICES, &word) == 0) {
                t->channel = (bt_target_channel)word;
                *channel_ok = true;
            }
            break;
        case TK_TOPIC:
            bt_validate_take_id(c, node, "chủ đề", BT_MAX_TOPIC_BYTES, ID_EXAMPLE, &t->topic);
            break;
        case TK_PERIOD:
            if (bt_validate_take_word(c, node, period_words, ARRAY_LEN(period_words), "kỳ tính",
                                      "chỉ dùng \"month\" (tháng), \"quarter\" (quý) hoặc \"year\" "
                                      "(năm)",
                                      &word) == 0)
                t->period = period_kinds[word];
            break;
        case TK_MINIMUM:
            take_minimum(c, node, t);
            break;
        case TK_COUNTS:
            if (bt_validate_take_word(c, node, counts_words, ARRAY_LEN(counts_words), "cách tính",
                                      "loa phường dùng \"items\" (số tin bài khác nhau) hoặc "
                                      "\"airings\" (số lượt phát); màn hình dùng \"notices\" (số "
                                      "thông báo khác nhau) hoặc \"minutes\" (số phút hiển thị); "
                                      "các kênh do cán bộ ghi nhận chỉ dùng \"items\"",
                                      &word) == 0) {
                t->counts = (bt_target_counts)word;
                *have_counts = true;
            }
            break;
        case TK_FROM:
            date_ok[0] = bt_validate_take_date(c, node, &t->from_day) == 0;
            break;
        case TK_UNTIL:
            date_ok[1] = bt_validate_take_date(c, node, &t->until_day) == 0;
            break;
        default:
            break;
        }
    }
}

static void validate_target(bt_validator *c, const bt_node *group, size_t index, bt_target *t)
{
    const bt_node *found[TK_COUNT] = {0};
    char label[LABEL_BYTES], a[DATE_TEXT_BYTES], b[DATE_TEXT_BYTES];
    bool have_counts = false, channel_ok = false, date_ok[2] = {false, false};
    target_defaults(t, group->line);
    bt_validate_scan_group(c, group, &target_level, found);
    take_values(c, found, t, &have_counts, &channel_ok, date_ok);
    for (size_t k = 0; k < TK_COUNT; k++)
        if (!found[k] && target_keys[k].required)
            bt_validate_report_missing(c, group->line,
                                       target_label(t, index, label, sizeof label),
                                       &target_keys[k]);
    if (!have_counts)
        t->counts = t->channel == BT_TARGET_SCREEN ? BT_TARGET_COUNT_NOTICES
                                                   : BT_TARGET_COUNT_ITEMS;
    else if (channel_ok && !counts_fit_channel(t->counts, t->channel))
        bt_validate_report(c, BT_DIAG_ERROR, found[TK_COUNTS]->line,
                           "%s: cách tính counts = \"%s\" không dùng cho kênh \"%s\" — %s",
                           target_label(t, index, label, sizeof label), counts_words[t->counts],
                           channel_words[t->channel], counts_for_channel_vi(t->channel));
    if (date_ok[0] && date_ok[1] && t->from_day > t->until_day)
        bt_validate_report(c, BT_DIAG_ERROR, found[TK_UNTIL]->line,
                           "khoảng ngày bị ngược: \"from\" (%s) sau \"until\" (%s) — ngày bắt đầu "
                           "phải trước hoặc trùng ngày kết thúc",
                           bt_time_format_ddmmyyyy(t->from_day, a, sizeof a),
                           bt_time_format_ddmmyyyy(t->until_day, b, sizeof b));
    if (!t->label) {
        t->label = bt_validate_copy_string(t->channel == BT_TARGET_SCREEN       ? "thông báo"
                                           : t->channel == BT_TARGET_CONFERENCE ? "hội nghị"
                                                                                : "tin bài");
        if (!t->label)
            bt_validate_no_memory(c, group->line);
    }
}

static void check_duplicates(bt_validator *c, const bt_targets *t)
{
    for (size_t i = 0; i < t->count; i++) {
        if (!t->items[i].id)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (t->items[j].id && strcmp(t->items[i].id, t->items[j].id) == 0) {
                bt_validate_report(c, BT_DIAG_ERROR, t->items[i].line,
                                   "mã chỉ tiêu \"%s\" bị trùng với chỉ tiêu ở dòng %d — mỗi chỉ "
                                   "tiêu cần một mã riêng",
                                   t->items[i].id, t->items[j].line);
                break;
            }
        }
    }
}

/* keep: *out holds what validated even when there were errors (bt_targets_validate). */
static int validate_list(const bt_node *group, const char *file, bool keep, bt_targets *out,
                         bt_diags *d)
{
    bt_validator c = {file ? file : BT_PLAYLIST_FILE, d, NO_MEMORY, 0, false};
    bt_targets t;
    bt_targets_init(out);
    bt_targets_init(&t);
    if (!group)
        return 0;
    if (group->type != BT_NODE_LIST && group->type != BT_NODE_ARRAY) {
        bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                           "khoá \"targets\" phải là %s, nhưng đang là %s — ví dụ: targets = ( { "
                           "id = \"cchc-loa-quy\"; channel = \"loudspeaker\"; period = "
                           "\"quarter\"; minimum = 2; } );",
                           bt_node_type_vi(BT_NODE_LIST), bt_node_type_vi(group->type));
        return -1;
    }
    size_t count = group->child_count;
    if (count == 0)
        return 0;
    if (count > BT_MAX_TARGETS) {
        bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                           "quá nhiều chỉ tiêu (%zu, tối đa %d) — hãy bỏ bớt chỉ tiêu cũ", count,
                           BT_MAX_TARGETS);
        return -1;
    }
    t.items = calloc(count, sizeof *t.items);
    if (!t.items) {
        bt_validate_no_memory(&c, group->line);
        return -1;
    }
    t.count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &group->children[i];
        if (elem->type != BT_NODE_GROUP) {
            target_defaults(&t.items[i], elem->line);
            bt_validate_report(&c, BT_DIAG_ERROR, elem->line,
                               "phần tử thứ %zu trong targets phải là một nhóm { ... } mô tả một "
                               "chỉ tiêu, nhưng đang là %s — ví dụ: { id = \"cchc-loa-quy\"; "
                               "channel = \"loudspeaker\"; period = \"quarter\"; minimum = 2; }",
                               i + 1, bt_node_type_vi(elem->type));
            continue;
        }
        validate_target(&c, elem, i, &t.items[i]);
    }
    check_duplicates(&c, &t);
    if (c.errors > 0 && !keep) {
        bt_targets_free(&t);
        return -1;
    }
    *out = t;
    return c.errors > 0 ? -1 : 0;
}

int bt_targets_from_tree(const bt_node *group, const char *file, bt_targets *out, bt_diags *d)
{
    return validate_list(group, file, false, out, d);
}

int bt_targets_validate(const bt_node *group, const char *file, bt_targets *out, bt_diags *d)
{
    return validate_list(group, file, true, out, d);
}

/* ---- topics that nothing carries ---------------------------------------------------------- */

void bt_targets_check_topics(const bt_targets *t, const bt_broadcasts *b,
                             const char *const *notice_topics, size_t notice_count,
                             const char *file, bt_diags *d)
{
    bt_validator c = {file ? file : BT_PLAYLIST_FILE, d, NO_MEMORY, 0, false};
    char label[LABEL_BYTES];
    for (size_t i = 0; t && i < t->count; i++) {
        const bt_target *x = &t->items[i];
        /* Records of the other channels may come on a later stick: nothing to warn about. */
        if (!x->topic || bt_target_channel_recorded(x->channel))
            continue;
        bool carried = false;
        if (x->channel == BT_TARGET_LOUDSPEAKER) {
            for (size_t k = 0; b && k < b->item_count && !carried; k++)
                carried = bt_topics_has(b->items[k].topic, x->topic);
        } else {
            for (size_t k = 0; notice_topics && k < notice_count && !carried; k++)
                carried = bt_topics_has(notice_topics[k], x->topic);
        }
        if (!carried)
            bt_validate_report(&c, BT_DIAG_WARNING, x->line,
                               "%s tính theo chủ đề \"%s\", nhưng chưa có %s nào có chủ đề \"%s\" "
                               "(trong topic) trong playlist này — chỉ tiêu sẽ không tăng cho "
                               "đến khi có",
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
