/* The loudspeaker part of a playlist: the `broadcasts` group's model and its validator (the
 * ward's limits and their check are ward_limits.c).
 *
 * Like the notice validator (playlist.c), validation walks the parsed tree once and reports
 * EVERY problem with file, line and a Vietnamese message saying what is wrong and how to fix it,
 * so staff fix a USB stick in one round. The keys are described once, as tables; unknown-key
 * suggestions and "missing key" examples come from those tables. The readers of values shared
 * with the other validators (texts, ids, words, dates, weekdays, HH:MM) live in validate.c, so a
 * value says the same thing wherever it is written.
 *
 * Pure: no files, no clock. Audio files are not opened here: the shell measures them at load. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_caption.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_speech_text.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_time.h"
#include "bangtin/bt_tree.h"

#include "dump.h"
#include "validate.h"
#include "ward_limits.h"

/* ---- key tables --------------------------------------------------------------------------- */

#define STRING_BIT BT_NODE_BIT(BT_NODE_STRING)
#define STRINGS_BITS (BT_NODE_BIT(BT_NODE_ARRAY) | BT_NODE_BIT(BT_NODE_LIST))

enum { GK_ITEMS, GK_SESSIONS, GK_LIMITS, GK_COUNT };

static const bt_key_spec group_keys[GK_COUNT] = {
    [GK_ITEMS] = {"items", BT_NODE_LIST, STRINGS_BITS, true, "danh sách tin",
                  "items = ( { id = \"tin-dvc\"; title = \"...\"; audio = "
                  "\"audio/tin-dvc.ogg\"; } );"},
    [GK_SESSIONS] = {"sessions", BT_NODE_LIST, STRINGS_BITS, true, "danh sách buổi phát",
                     "sessions = ( { id = \"ban-tin-sang\"; name = \"Bản tin sáng\"; times = "
                     "\"06:00\"; items = [ \"tin-dvc\" ]; } );"},
    [GK_LIMITS] = {"limits", BT_NODE_GROUP, BT_NODE_BIT(BT_NODE_GROUP), false,
                   "giới hạn của phường (giờ và thứ được phép phát thanh)",
                   "limits = { hours = \"05:30-07:00,16:30-18:30\"; weekdays = \"T2-T6\"; };"},
};

/* The ward's own limits, written in the playlist (ward_limits.c holds what they mean). */
enum { LK_HOURS, LK_WEEKDAYS, LK_COUNT };

static const bt_key_spec limit_keys[LK_COUNT] = {
    [LK_HOURS] = {"hours", BT_NODE_STRING, STRING_BIT, false, "khung giờ được phép phát thanh",
                  "hours = \"05:30-07:00,16:30-18:30\";"},
    [LK_WEEKDAYS] = {"weekdays", BT_NODE_STRING, STRING_BIT, false,
                     "các thứ được phép phát thanh", "weekdays = \"T2-T6\";"},
};

enum { IK_ID, IK_TITLE, IK_AUDIO, IK_TEXT, IK_TOPIC, IK_PRIORITY, IK_TRANSCRIPT, IK_COUNT };

static const bt_key_spec item_keys[IK_COUNT] = {
    [IK_ID] = {"id", BT_NODE_STRING, STRING_BIT, true, "mã tin", "id = \"tin-dvc-truc-tuyen\";"},
    [IK_TITLE] = {"title", BT_NODE_STRING, STRING_BIT, true, "tiêu đề tin",
                  "title = \"Dịch vụ công trực tuyến\";"},
    /* One of audio and text is required: validate_item says so in its own words. */
    [IK_AUDIO] = {"audio", BT_NODE_STRING, STRING_BIT, false, "tệp âm thanh",
                  "audio = \"audio/tin-dvc-truc-tuyen.ogg\";"},
    [IK_TEXT] = {"text", BT_NODE_STRING, STRING_BIT, false, "văn bản để máy đọc",
                 "text = \"UBND phường thông báo: …\";"},
    [IK_TOPIC] = {"topic", BT_NODE_STRING, BT_TOPIC_BITS, false,
                  "chủ đề (một mã, hoặc vài mã trong [ ])",
                  "topic = [\"cchc\", \"dich-vu-cong\"];"},
    [IK_PRIORITY] = {"priority", BT_NODE_STRING, STRING_BIT, false, "mức ưu tiên",
                     "priority = \"normal\";"},
    [IK_TRANSCRIPT] = {"transcript", BT_NODE_STRING, STRING_BIT, false,
                       "lời của tệp ghi âm (chữ hiện trên màn hình khi phát)",
                       "transcript = \"Kính thưa bà con. …\";"},
};

enum { SK_ID, SK_NAME, SK_TIMES, SK_WEEKDAYS, SK_FROM, SK_UNTIL, SK_AT, SK_ITEMS, SK_MAKEUP,
       SK_COUNT };

static const bt_key_spec session_keys[SK_COUNT] = {
    [SK_ID] = {"id", BT_NODE_STRING, STRING_BIT, true, "mã buổi phát", "id = \"ban-tin-sang\";"},
    [SK_NAME] = {"name", BT_NODE_STRING, STRING_BIT, true, "tên buổi phát",
                 "name = \"Bản tin sáng\";"},
    [SK_TIMES] = {"times", BT_NODE_STRING, STRING_BIT, false, "giờ phát",
                  "times = \"06:00,17:00\";"},
    [SK_WEEKDAYS] = {"weekdays", BT_NODE_STRING, STRING_BIT, false, "các thứ trong tuần",
                     "weekdays = \"T2-T6\";"},
    [SK_FROM] = {"from", BT_NODE_STRING, STRING_BIT, false, "ngày bắt đầu phát",
                 "from = \"01/10/2025\";"},
    [SK_UNTIL] = {"until", BT_NODE_STRING, STRING_BIT, false, "ngày kết thúc phát",
                  "until = \"31/12/2025\";"},
    [SK_AT] = {"at", BT_NODE_ARRAY, STRINGS_BITS | STRING_BIT, false,
               "các thời điểm phát một lần", "at = [ \"2025-10-10 06:15\" ];"},
    [SK_ITEMS] = {"items", BT_NODE_ARRAY, STRINGS_BITS, true, "các tin phát trong buổi",
                  "items = [ \"tin-dvc-truc-tuyen\", \"tin-vneid\" ];"},
    [SK_MAKEUP] = {"makeup", BT_NODE_STRING, STRING_BIT, false, "cách phát bù",
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

#define DATE_TEXT_BYTES 32
#define LABEL_BYTES (BT_MAX_ID_BYTES + 32)
/* Room for "HH:MM" and for "H:MM:SS" durations, with margin for any int the compiler imagines. */
#define HHMM_BYTES 24
/* Audio formats SDL2_mixer decodes on the appliance and the issue names. */
static const char *const audio_extensions[] = {".wav", ".ogg", ".mp3"};
/* An example id shown when an id is left empty. */
#define ID_EXAMPLE "ban-tin-sang"

#define NO_MEMORY "không đủ bộ nhớ để kiểm tra lịch phát thanh — hãy thử lại"
/* What an empty weekdays = "" says. */
static const char weekdays_empty[] = "khoá \"weekdays\" để trống — xoá dòng này nếu buổi phát "
                                     "phát mọi ngày, hoặc viết ví dụ \"T2-T6\"";

static const bt_text_rule title_rule = {.what = "tiêu đề tin", .max_bytes = BT_MAX_TITLE_BYTES};
static const bt_text_rule name_rule = {.what = "tên buổi phát", .max_bytes = BT_MAX_TITLE_BYTES};
static const bt_text_rule transcript_rule = {
    .what = "lời của tệp ghi âm",
    .max_bytes = BT_MAX_TRANSCRIPT_BYTES,
    .if_empty = "hãy chép lời của tệp ghi âm để hiện trên màn hình khi phát, hoặc xoá dòng này",
    .if_long = "hãy chia tệp ghi âm thành nhiều tin ngắn hơn, mỗi tin một lời",
};
static const bt_text_rule speech_rule = {
    .what = "văn bản để máy đọc",
    .max_bytes = BT_SPEECH_MAX_TEXT_BYTES,
    .if_empty = "hãy viết nội dung bản tin để máy đọc, hoặc dùng audio = \"...\" cho tệp ghi âm",
    .if_long = "hãy chia thành nhiều tin ngắn hơn (mỗi tin một khoá text)",
};

/* ---- the levels of the group -------------------------------------------------------------- */

/* Item and session keys are easily swapped: say where a key of the other level belongs. */
static bool misplaced_in_item(bt_validator *c, const bt_node *node, const char *shown,
                              const bt_key_level *level)
{
    const char *name = node->name ? node->name : "";
    (void)level;
    if (strcmp(name, "name") == 0)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"name\" không dùng cho một tin — tiêu đề của tin viết là title "
                           "= \"...\";");
    else if (bt_validate_find_key(name, session_keys, SK_COUNT))
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng cho một tin — khoá này thuộc về buổi phát, hãy "
                           "đặt nó trong sessions = ( ... )",
                           shown);
    else
        return false;
    return true;
}

static bool misplaced_in_session(bt_validator *c, const bt_node *node, const char *shown,
                                 const bt_key_level *level)
{
    const char *name = node->name ? node->name : "";
    (void)level;
    if (strcmp(name, "title") == 0)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"title\" không dùng cho một buổi phát — tên buổi phát viết là "
                           "name = \"...\";");
    else if (bt_validate_find_key(name, item_keys, IK_COUNT))
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"%s\" không dùng cho một buổi phát — khoá này thuộc về từng tin "
                           "trong items = ( ... ) của nhóm broadcasts; buổi phát chỉ ghi mã tin "
                           "trong items = [ ... ]",
                           shown);
    else
        return false;
    return true;
}

static const bt_key_level group_level = {group_keys, GK_COUNT, "nhóm broadcasts", NULL, 0};
static const bt_key_level limits_level = {limit_keys, LK_COUNT,
                                          "nhóm limits (trong broadcasts)", NULL, 0};
static const bt_key_level item_level = {item_keys, IK_COUNT, "một tin (trong items = ( ... ))",
                                        misplaced_in_item, 0};
static const bt_key_level session_level = {session_keys, SK_COUNT,
                                           "một buổi phát (trong sessions = ( ... ))",
                                           misplaced_in_session, 0};

size_t bt_broadcasts_key_places(bt_key_place *out, size_t cap)
{
    const bt_key_place places[] = {{"broadcasts", &group_level},
                                   {"broadcasts.items", &item_level},
                                   {"broadcasts.sessions", &session_level},
                                   {"broadcasts.limits", &limits_level}};
    size_t count = sizeof places / sizeof places[0];
    for (size_t i = 0; i < count && i < cap; i++)
        out[i] = places[i];
    return count;
}

/* ---- audio and path ----------------------------------------------------------------------- */

static bool has_suffix_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && bt_validate_ascii_iequal(s + ls - lx, suffix);
}

static int take_audio(bt_validator *c, const bt_node *node, char **out)
{
    char where[64], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *path = bt_validate_string(node);
    *out = NULL;
    if (!bt_validate_require_utf8(c, node, bt_validate_where(node, "", where, sizeof where)))
        return -1;
    bt_validate_echo(path, shown, sizeof shown);
    if (path[0] == '\0') {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"audio\" đang để trống — hãy ghi đường dẫn tệp âm thanh, ví dụ "
                           "\"audio/tin-dvc-truc-tuyen.ogg\"");
        return -1;
    }
    if (strlen(path) >= BT_MAX_PATH_BYTES) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "đường dẫn âm thanh quá dài (%zu byte, tối đa %d) — hãy đặt tên tệp "
                           "ngắn hơn",
                           strlen(path), BT_MAX_PATH_BYTES - 1);
        return -1;
    }
    if (strchr(path, '\\')) {
        char fixed[BT_VALIDATE_SHOWN_BYTES];
        size_t i = 0;
        for (; shown[i] != '\0'; i++)
            fixed[i] = shown[i] == '\\' ? '/' : shown[i];
        fixed[i] = '\0';
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "đường dẫn âm thanh \"%s\" dùng dấu \"\\\" — hãy dùng dấu \"/\": \"%s\"",
                           shown, fixed);
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
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "đường dẫn âm thanh \"%s\" không được phép — chỉ dùng đường dẫn tương "
                           "đối nằm trong thư mục playlist, ví dụ \"audio/tin-dvc-truc-tuyen.ogg\" "
                           "(không bắt đầu bằng \"/\", không dùng \"..\")",
                           shown);
        return -1;
    }
    bool known = false;
    for (size_t i = 0; i < sizeof audio_extensions / sizeof audio_extensions[0]; i++)
        known = known || has_suffix_ci(path, audio_extensions[i]);
    if (!known) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "tệp âm thanh \"%s\" không được hỗ trợ — chỉ dùng tệp .wav, .ogg hoặc "
                           ".mp3 (hãy chuyển đổi tệp sang một trong các dạng này)",
                           shown);
        return -1;
    }
    *out = bt_validate_copy_string(path);
    if (!*out) {
        bt_validate_no_memory(c, node->line);
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
    free(it->text);
    free(it->speech_path);
    free(it->transcript);
    memset(it, 0, sizeof *it);
}

const char *bt_broadcast_item_label(const bt_broadcast_item *it, size_t index, char *buf,
                                    size_t size)
{
    if (it->id)
        snprintf(buf, size, "tin \"%s\"", it->id);
    else
        snprintf(buf, size, "tin thứ %zu", index + 1);
    return buf;
}

/* A transcript's time stamps ("[m:ss]" at a line's start, bt_caption_stamp): seconds 00-59,
 * each after the one before. */
static void check_stamps(bt_validator *c, int line, const char *text)
{
    int64_t previous = -1, ms = 0;
    int previous_n = 0;
    const char *p = text;
    for (int n = 1; p; n++) {
        const char *next = strchr(p, '\n');
        int found = bt_caption_stamp(p, &ms);
        if (found < 0) {
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "khoá \"transcript\": dòng thứ %d có mốc thời gian \"%.*s\" với "
                               "số giây từ 60 trở lên — viết [phút:giây], giây từ 00 đến 59, ví "
                               "dụ [1:05]",
                               n, (int)(strcspn(p, "]") + 1), p);
        } else if (found > 0) {
            if (ms <= previous)
                bt_validate_report(c, BT_DIAG_ERROR, line,
                                   "khoá \"transcript\": mốc thời gian ở dòng thứ %d "
                                   "(%lld:%02lld) không sau mốc ở dòng thứ %d (%lld:%02lld) — các "
                                   "mốc phải tăng dần theo thứ tự lời trong tệp ghi âm",
                                   n, (long long)(ms / 60000), (long long)(ms / 1000 % 60),
                                   previous_n, (long long)(previous / 60000),
                                   (long long)(previous / 1000 % 60));
            previous = ms;
            previous_n = n;
        }
        p = next ? next + 1 : NULL;
    }
}

static void validate_item(bt_validator *c, const bt_node *group, size_t index,
                          bt_broadcast_item *it, int *id_line)
{
    const bt_node *found[IK_COUNT] = {0};
    char label[LABEL_BYTES];
    memset(it, 0, sizeof *it);
    it->priority = BT_BROADCAST_NORMAL;
    it->line = group->line;
    bt_validate_scan_group(c, group, &item_level, found);
    for (size_t k = 0; k < IK_COUNT; k++) {
        const bt_node *node = found[k];
        int word;
        if (!node || !bt_validate_check_type(c, &item_keys[k], node))
            continue;
        switch (k) {
        case IK_ID:
            if (bt_validate_take_id(c, node, "mã tin", BT_MAX_ID_BYTES, ID_EXAMPLE, &it->id) == 0)
                *id_line = node->line;
            break;
        case IK_TITLE:
            bt_validate_take_text(c, node, &title_rule, &it->title);
            break;
        case IK_AUDIO:
            take_audio(c, node, &it->audio);
            break;
        case IK_TEXT:
            if (bt_validate_take_text(c, node, &speech_rule, &it->text) == 0)
                bt_speech_text_hash(it->text, it->text_sha256);
            break;
        case IK_TRANSCRIPT:
            if (bt_validate_take_text(c, node, &transcript_rule, &it->transcript) == 0)
                check_stamps(c, node->line, it->transcript);
            break;
        case IK_TOPIC:
            bt_validate_take_topics(c, node, "cchc", &it->topic);
            break;
        case IK_PRIORITY:
            if (bt_validate_take_word(c, node, priority_names, PRIORITY_COUNT, "mức ưu tiên",
                                      "chỉ dùng \"normal\" (thường), \"priority\" (ưu tiên) hoặc "
                                      "\"emergency\" (khẩn cấp)",
                                      &word) == 0)
                it->priority = (bt_broadcast_priority)word;
            break;
        default:
            break;
        }
    }
    bt_broadcast_item_label(it, index, label, sizeof label);
    for (size_t k = 0; k < IK_COUNT; k++)
        if (!found[k] && item_keys[k].required)
            bt_validate_report_missing(c, group->line, label, &item_keys[k]);
    if (!found[IK_AUDIO] && !found[IK_TEXT])
        bt_validate_report(c, BT_DIAG_ERROR, group->line,
                           "%s chưa có nội dung — ghi tệp ghi âm: %s hoặc văn bản để máy đọc: %s",
                           label, item_keys[IK_AUDIO].example, item_keys[IK_TEXT].example);
    else if (found[IK_AUDIO] && found[IK_TEXT])
        bt_validate_report(c, BT_DIAG_ERROR, found[IK_TEXT]->line,
                           "%s có cả audio (dòng %d) và text — một tin chỉ dùng một trong hai: "
                           "xoá text để phát tệp ghi âm, hoặc xoá audio để máy đọc văn bản",
                           label, found[IK_AUDIO]->line);
    if (found[IK_TEXT] && found[IK_TRANSCRIPT])
        bt_validate_report(c, BT_DIAG_ERROR, found[IK_TRANSCRIPT]->line,
                           "%s là văn bản để máy đọc: chữ hiện trên màn hình khi phát lấy từ chính "
                           "text (dòng %d) — xoá transcript; transcript chỉ dùng cho tệp ghi âm "
                           "(audio = \"...\")",
                           label, found[IK_TEXT]->line);
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

static void report_time_shape(bt_validator *c, int line, const char *token)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    bt_validate_report(c, BT_DIAG_ERROR, line,
                       "giờ phát \"%s\" không đúng dạng — viết HH:MM, nhiều giờ cách nhau bằng dấu "
                       "phẩy, ví dụ \"06:00,17:00\"",
                       bt_validate_echo(token, shown, sizeof shown));
}

/* times = "06:00,17:00": minutes of the day, each once. */
static void take_times(bt_validator *c, const bt_node *node, bt_broadcast_session *s)
{
    char where[64], item[BT_VALIDATE_TOKEN_BYTES], shown[BT_VALIDATE_SHOWN_BYTES];
    const char *p = bt_validate_string(node);
    size_t total = 0;
    if (!bt_validate_require_utf8(c, node, bt_validate_where(node, "", where, sizeof where)))
        return;
    if (bt_validate_trimmed_copy(p, strlen(p), item, sizeof item) && item[0] == '\0') {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "khoá \"times\" để trống — viết giờ phát, ví dụ \"06:00,17:00\", hoặc "
                           "xoá dòng này nếu buổi phát chỉ phát vào các thời điểm trong at");
        return;
    }
    for (;;) {
        bool more;
        int minutes = 0;
        bool fits = bt_validate_next_piece(&p, item, sizeof item, &more);
        total++;
        if (!fits) {
            report_time_shape(c, node->line, "…");
        } else if (item[0] == '\0') {
            bt_validate_report(c, BT_DIAG_ERROR, node->line,
                               "danh sách giờ phát \"%s\" có dấu phẩy thừa — ví dụ đúng: "
                               "\"06:00,17:00\"",
                               bt_validate_echo(bt_validate_string(node), shown, sizeof shown));
        } else {
            bt_clock_status st = bt_validate_clock_minutes(item, false, &minutes);
            if (st == BT_CLOCK_SHAPE) {
                report_time_shape(c, node->line, item);
            } else if (st != BT_CLOCK_OK) {
                bt_validate_report(c, BT_DIAG_ERROR, node->line,
                                   "giờ phát \"%s\" không có thật — giờ từ 00 đến 23, phút từ 00 "
                                   "đến 59 (nửa đêm viết 00:00)",
                                   bt_validate_echo(item, shown, sizeof shown));
            } else {
                bool repeated = false;
                for (size_t i = 0; i < s->time_count; i++)
                    repeated = repeated || s->times[i] == minutes;
                if (repeated)
                    bt_validate_report(c, BT_DIAG_ERROR, node->line,
                                       "giờ phát \"%s\" bị lặp lại trong times — mỗi giờ chỉ ghi "
                                       "một lần",
                                       bt_validate_echo(item, shown, sizeof shown));
                else if (s->time_count < BT_MAX_SESSION_TIMES)
                    s->times[s->time_count++] = (int16_t)minutes;
            }
        }
        if (!more)
            break;
    }
    if (total > BT_MAX_SESSION_TIMES)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "quá nhiều giờ phát trong một buổi (%zu, tối đa %d) — hãy tách thành "
                           "nhiều buổi phát",
                           total, BT_MAX_SESSION_TIMES);
}

/* One `at` value: a local date-time; explains a bad date and a bad time separately. */
static void take_one_at(bt_validator *c, const bt_node *elem, int line, bt_broadcast_session *s,
                        size_t *total)
{
    char text[BT_VALIDATE_TOKEN_BYTES * 2] = "", shown[BT_VALIDATE_SHOWN_BYTES];
    const char *raw = bt_validate_string(elem);
    bt_wall when;
    (*total)++;
    bt_validate_echo(raw, shown, sizeof shown);
    bool copied = bt_text_utf8_valid(raw, strlen(raw)) &&
                  bt_validate_trimmed_copy(raw, strlen(raw), text, sizeof text);
    if (!copied || bt_time_parse_datetime(text, &when) != 0) {
        char date[BT_VALIDATE_TOKEN_BYTES];
        const char *space = copied ? strpbrk(text, " T") : NULL;
        int y, m, d;
        bt_day day;
        bool date_shaped = space && (size_t)(space - text) < sizeof date;
        if (date_shaped) {
            memcpy(date, text, (size_t)(space - text));
            date[space - text] = '\0';
        }
        if (date_shaped && bt_time_parse_date(date, &day) == 0)
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "thời điểm phát \"%s\" có giờ không đúng — viết giờ dạng HH:MM từ "
                               "00:00 đến 23:59, ví dụ \"2025-10-10 06:15\"",
                               shown);
        else if (date_shaped && bt_validate_loose_date(date, &y, &m, &d, NULL))
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "thời điểm phát \"%s\" có ngày không tồn tại — kiểm tra ngày và "
                               "tháng (dd/mm/yyyy hoặc yyyy-mm-dd)",
                               shown);
        else
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "thời điểm phát \"%s\" không đúng dạng — viết \"yyyy-mm-dd HH:MM\" "
                               "(ví dụ \"2025-10-10 06:15\") hoặc \"dd/mm/yyyy HH:MM\" (ví dụ "
                               "\"10/10/2025 06:15\")",
                               shown);
        return;
    }
    for (size_t i = 0; i < s->at_count; i++) {
        if (s->at[i] == when) {
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "thời điểm phát \"%s\" bị lặp lại trong at — mỗi thời điểm chỉ ghi "
                               "một lần",
                               shown);
            return;
        }
    }
    if (s->at_count < BT_MAX_SESSION_ONE_OFFS)
        s->at[s->at_count++] = when;
}

static void take_at(bt_validator *c, const bt_node *node, bt_broadcast_session *s)
{
    size_t total = 0;
    if (node->type == BT_NODE_STRING) {
        take_one_at(c, node, node->line, s, &total);
        return;
    }
    if (node->child_count == 0)
        bt_validate_report(c, BT_DIAG_WARNING, node->line,
                           "khoá \"at\" không có thời điểm nào — xoá dòng này nếu buổi phát không "
                           "phát một lần");
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *elem = &node->children[i];
        int line = elem->line > 0 ? elem->line : node->line;
        if (elem->type != BT_NODE_STRING) {
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "phần tử thứ %zu trong at phải là thời điểm trong dấu \"...\", ví "
                               "dụ \"2025-10-10 06:15\", nhưng đang là %s",
                               i + 1, bt_node_type_vi(elem->type));
            total++;
            continue;
        }
        take_one_at(c, elem, line, s, &total);
    }
    if (total > BT_MAX_SESSION_ONE_OFFS)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "quá nhiều thời điểm phát một lần trong một buổi (%zu, tối đa %d) — hãy "
                           "tách thành nhiều buổi phát",
                           total, BT_MAX_SESSION_ONE_OFFS);
}

/* items = [ "tin-a", "tin-b" ]: resolved against the items already read. */
static void take_item_refs(bt_validator *c, const bt_node *node, const bt_broadcasts *b,
                           bt_broadcast_session *s, const char *label)
{
    char shown[BT_VALIDATE_SHOWN_BYTES];
    if (node->child_count == 0) {
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "%s chưa có tin nào — thêm mã tin vào items, ví dụ: items = [ "
                           "\"tin-dvc-truc-tuyen\" ];",
                           label);
        return;
    }
    if (node->child_count > BT_MAX_SESSION_ITEMS)
        bt_validate_report(c, BT_DIAG_ERROR, node->line,
                           "%s có quá nhiều tin (%zu, tối đa %d) — hãy chia thành nhiều buổi phát",
                           label, node->child_count, BT_MAX_SESSION_ITEMS);
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *elem = &node->children[i];
        int line = elem->line > 0 ? elem->line : node->line;
        if (elem->type != BT_NODE_STRING) {
            bt_validate_report(c, BT_DIAG_ERROR, line,
                               "phần tử thứ %zu trong items của %s phải là mã tin trong dấu "
                               "\"...\", nhưng đang là %s",
                               i + 1, label, bt_node_type_vi(elem->type));
            continue;
        }
        size_t index = bt_broadcasts_item_index(b, bt_validate_string(elem));
        if (index == SIZE_MAX) {
            const char **ids = calloc(b->item_count ? b->item_count : 1, sizeof *ids);
            const char *guess = NULL;
            if (ids) {
                for (size_t k = 0; k < b->item_count; k++)
                    ids[k] = b->items[k].id;
                guess = bt_validate_nearest(bt_validate_string(elem), ids, b->item_count);
            }
            bt_validate_echo(bt_validate_string(elem), shown, sizeof shown);
            if (guess)
                bt_validate_report(c, BT_DIAG_ERROR, line,
                                   "%s dùng tin \"%s\" nhưng không có tin nào mang mã này — có "
                                   "phải ý bạn là \"%s\"?",
                                   label, shown, guess);
            else
                bt_validate_report(c, BT_DIAG_ERROR, line,
                                   "%s dùng tin \"%s\" nhưng không có tin nào mang mã này trong "
                                   "items = ( ... ) của nhóm broadcasts — hãy kiểm tra lại mã tin",
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
static void check_session(bt_validator *c, const bt_node **found, const bt_node *group,
                          const bt_broadcast_session *s, const char *label, bool from_ok,
                          bool until_ok)
{
    char a[DATE_TEXT_BYTES], b2[DATE_TEXT_BYTES], range[96], when[64];
    if (!found[SK_TIMES] && !found[SK_AT])
        bt_validate_report(c, BT_DIAG_ERROR, group->line,
                           "%s chưa có giờ phát — thêm times = \"06:00\"; (phát theo giờ hằng "
                           "ngày) hoặc at = [ \"2025-10-10 06:15\" ]; (phát một lần)",
                           label);
    if (from_ok && until_ok && s->from_day > s->until_day)
        bt_validate_report(c, BT_DIAG_ERROR, found[SK_UNTIL]->line,
                           "khoảng ngày bị ngược: \"from\" (%s) sau \"until\" (%s) — ngày bắt đầu "
                           "phải trước hoặc trùng ngày kết thúc",
                           bt_time_format_ddmmyyyy(s->from_day, a, sizeof a),
                           bt_time_format_ddmmyyyy(s->until_day, b2, sizeof b2));
    if (!found[SK_TIMES] && found[SK_AT]) {
        static const size_t recurring_only[] = {SK_WEEKDAYS, SK_FROM, SK_UNTIL};
        for (size_t i = 0; i < sizeof recurring_only / sizeof recurring_only[0]; i++) {
            const bt_node *node = found[recurring_only[i]];
            if (node)
                bt_validate_report(c, BT_DIAG_WARNING, node->line,
                                   "khoá \"%s\" chỉ áp dụng cho giờ phát hằng ngày (times); %s "
                                   "không có times nên khoá này không có tác dụng — xoá dòng này",
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
        bt_validate_report(c, BT_DIAG_WARNING, found[SK_AT]->line,
                           "thời điểm phát một lần %s nằm ngoài khoảng ngày của %s (%s) — thời "
                           "điểm trong at vẫn được phát; hãy kiểm tra lại nếu đây là nhầm lẫn",
                           when, label, range_text(s->from_day, s->until_day, range, sizeof range));
    }
}

static void validate_session(bt_validator *c, const bt_node *group, size_t index,
                             const bt_broadcasts *b, bt_broadcast_session *s, int *id_line)
{
    const bt_node *found[SK_COUNT] = {0};
    char label[LABEL_BYTES];
    bool from_ok = false, until_ok = false;
    int word;

    session_defaults(s, group->line);
    bt_validate_scan_group(c, group, &session_level, found);
    if (found[SK_ID] && bt_validate_check_type(c, &session_keys[SK_ID], found[SK_ID]) &&
        bt_validate_take_id(c, found[SK_ID], "mã buổi phát", BT_MAX_ID_BYTES, ID_EXAMPLE,
                            &s->id) == 0)
        *id_line = found[SK_ID]->line;
    session_label(s, index, label, sizeof label);
    for (size_t k = 0; k < SK_COUNT; k++) {
        const bt_node *node = found[k];
        if (!node || k == SK_ID || !bt_validate_check_type(c, &session_keys[k], node))
            continue;
        switch (k) {
        case SK_NAME:
            bt_validate_take_text(c, node, &name_rule, &s->name);
            break;
        case SK_TIMES:
            take_times(c, node, s);
            break;
        case SK_WEEKDAYS:
            bt_validate_take_weekdays(c, node, weekdays_empty, false, &s->weekdays);
            break;
        case SK_FROM:
            from_ok = bt_validate_take_date(c, node, &s->from_day) == 0;
            break;
        case SK_UNTIL:
            until_ok = bt_validate_take_date(c, node, &s->until_day) == 0;
            break;
        case SK_AT:
            take_at(c, node, s);
            break;
        case SK_ITEMS:
            take_item_refs(c, node, b, s, label);
            break;
        case SK_MAKEUP:
            if (bt_validate_take_word(c, node, makeup_names, MAKEUP_COUNT, "cách phát bù",
                                      "chỉ dùng \"none\" (không phát bù), \"day\" (bù trong ngày), "
                                      "\"week\" (trong tuần), \"month\" (trong tháng) hoặc "
                                      "\"quarter\" (trong quý)",
                                      &word) == 0)
                s->makeup = (bt_makeup_scope)word;
            break;
        default:
            break;
        }
    }
    for (size_t k = 0; k < SK_COUNT; k++)
        if (!found[k] && session_keys[k].required)
            bt_validate_report_missing(c, group->line, label, &session_keys[k]);
    check_session(c, found, group, s, label, from_ok, until_ok);
}

/* ---- the group ---------------------------------------------------------------------------- */

/* ids[i] is NULL where the id itself was wrong (already reported). */
static void check_duplicates(bt_validator *c, const char *what, const char *each,
                             const char *const *ids, size_t count, const int *lines)
{
    for (size_t i = 0; i < count; i++) {
        if (!ids[i])
            continue;
        for (size_t j = 0; j < i; j++) {
            if (ids[j] && strcmp(ids[i], ids[j]) == 0) {
                bt_validate_report(c, BT_DIAG_ERROR, lines[i],
                                   "%s \"%s\" bị trùng với %s ở dòng %d — mỗi %s cần một mã riêng",
                                   what, ids[i], each, lines[j], each);
                break;
            }
        }
    }
}

static void validate_items(bt_validator *c, const bt_node *list, bt_broadcasts *b)
{
    size_t count = list->child_count;
    int *lines;
    if (count == 0) {
        bt_validate_report(c, BT_DIAG_WARNING, list->line,
                           "nhóm broadcasts chưa có tin nào — loa sẽ không phát gì; hãy thêm tin "
                           "vào items = ( ... )");
        return;
    }
    if (count > BT_MAX_BROADCAST_ITEMS)
        bt_validate_report(c, BT_DIAG_ERROR, list->line,
                           "quá nhiều tin phát thanh (%zu, tối đa %d) — hãy bỏ bớt tin cũ", count,
                           BT_MAX_BROADCAST_ITEMS);
    b->items = calloc(count, sizeof *b->items);
    lines = calloc(count, sizeof *lines);
    if (!b->items || !lines) {
        bt_validate_no_memory(c, list->line);
        free(lines);
        return;
    }
    b->item_count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &list->children[i];
        lines[i] = elem->line;
        if (elem->type != BT_NODE_GROUP) {
            b->items[i].line = elem->line;
            bt_validate_report(c, BT_DIAG_ERROR, elem->line,
                               "phần tử thứ %zu trong items phải là một nhóm { ... } mô tả một "
                               "tin, nhưng đang là %s — ví dụ: { id = \"tin-dvc\"; title = "
                               "\"...\"; audio = \"audio/tin-dvc.ogg\"; }",
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

static void validate_sessions(bt_validator *c, const bt_node *list, bt_broadcasts *b)
{
    size_t count = list->child_count;
    int *lines;
    if (count == 0) {
        if (b->item_count > 0)
            bt_validate_report(c, BT_DIAG_WARNING, list->line,
                               "nhóm broadcasts chưa có buổi phát nào — các tin sẽ không được "
                               "phát; hãy thêm buổi phát vào sessions = ( ... )");
        return;
    }
    if (count > BT_MAX_BROADCAST_SESSIONS)
        bt_validate_report(c, BT_DIAG_ERROR, list->line,
                           "quá nhiều buổi phát (%zu, tối đa %d) — hãy gộp các buổi phát", count,
                           BT_MAX_BROADCAST_SESSIONS);
    b->sessions = calloc(count, sizeof *b->sessions);
    lines = calloc(count, sizeof *lines);
    if (!b->sessions || !lines) {
        bt_validate_no_memory(c, list->line);
        free(lines);
        return;
    }
    b->session_count = count;
    for (size_t i = 0; i < count; i++) {
        const bt_node *elem = &list->children[i];
        lines[i] = elem->line;
        if (elem->type != BT_NODE_GROUP) {
            session_defaults(&b->sessions[i], elem->line);
            bt_validate_report(c, BT_DIAG_ERROR, elem->line,
                               "phần tử thứ %zu trong sessions phải là một nhóm { ... } mô tả một "
                               "buổi phát, nhưng đang là %s — ví dụ: { id = \"ban-tin-sang\"; name "
                               "= \"Bản tin sáng\"; times = \"06:00\"; items = [ \"tin-dvc\" ]; }",
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
static void warn_unused_items(bt_validator *c, const bt_broadcasts *b)
{
    char label[LABEL_BYTES];
    for (size_t i = 0; i < b->item_count; i++) {
        bool used = false;
        for (size_t s = 0; s < b->session_count && !used; s++)
            for (size_t k = 0; k < b->sessions[s].item_count && !used; k++)
                used = b->sessions[s].items[k] == i;
        if (!used && b->items[i].id)
            bt_validate_report(c, BT_DIAG_WARNING, b->items[i].line,
                               "%s không thuộc buổi phát nào nên sẽ không bao giờ được phát — thêm "
                               "mã tin vào items của một buổi phát, hoặc xoá tin này",
                               bt_broadcast_item_label(&b->items[i], i, label, sizeof label));
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

/* `limits = { hours = "…"; weekdays = "…"; };`: the ward's permitted hours and days. */
static void validate_limits(bt_validator *c, const bt_node *group, bt_broadcast_limits *lim)
{
    const bt_node *found[LK_COUNT] = {0};
    bt_validate_scan_group(c, group, &limits_level, found);
    snprintf(lim->origin, sizeof lim->origin, "%s", c->file);
    if (found[LK_HOURS] && bt_validate_check_type(c, &limit_keys[LK_HOURS], found[LK_HOURS]))
        bt_ward_take_windows(c, bt_validate_string(found[LK_HOURS]), found[LK_HOURS]->line, lim);
    if (found[LK_WEEKDAYS] &&
        bt_validate_check_type(c, &limit_keys[LK_WEEKDAYS], found[LK_WEEKDAYS]))
        bt_ward_take_days(c, found[LK_WEEKDAYS], lim);
    if (!found[LK_HOURS] && !found[LK_WEEKDAYS])
        bt_validate_report(c, BT_DIAG_WARNING, group->line,
                           "nhóm limits chưa ghi giới hạn nào — ghi %s và/hoặc %s, hoặc bỏ nhóm "
                           "này",
                           limit_keys[LK_HOURS].example, limit_keys[LK_WEEKDAYS].example);
}

/* keep: *out holds what validated even when there were errors (bt_broadcasts_validate). */
static int validate_group(const bt_node *group, const char *file, bool keep, bt_broadcasts *out,
                          bt_diags *diags)
{
    bt_validator c = {file ? file : BT_PLAYLIST_FILE, diags, NO_MEMORY, 0, false};
    const bt_node *found[GK_COUNT] = {0};
    bt_broadcasts b;

    bt_broadcasts_init(out);
    bt_broadcasts_init(&b);
    if (!group)
        return 0;
    if (group->type != BT_NODE_GROUP) {
        bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                           "khoá \"broadcasts\" phải là %s, nhưng đang là %s — ví dụ: broadcasts = "
                           "{ items = ( ... ); sessions = ( ... ); };",
                           bt_node_type_vi(BT_NODE_GROUP), bt_node_type_vi(group->type));
        return -1;
    }
    bt_validate_scan_group(&c, group, &group_level, found);
    /* Items first, whatever the order in the file: sessions refer to them by id. */
    if (found[GK_ITEMS] && bt_validate_check_type(&c, &group_keys[GK_ITEMS], found[GK_ITEMS]))
        validate_items(&c, found[GK_ITEMS], &b);
    if (found[GK_SESSIONS] &&
        bt_validate_check_type(&c, &group_keys[GK_SESSIONS], found[GK_SESSIONS]))
        validate_sessions(&c, found[GK_SESSIONS], &b);
    if (found[GK_LIMITS] && bt_validate_check_type(&c, &group_keys[GK_LIMITS], found[GK_LIMITS]))
        validate_limits(&c, found[GK_LIMITS], &b.limits);
    for (size_t k = 0; k < GK_COUNT; k++)
        if (!found[k] && group_keys[k].required)
            bt_validate_report(&c, BT_DIAG_ERROR, group->line,
                               "nhóm broadcasts thiếu khoá bắt buộc \"%s\" (%s) — thêm dòng, ví "
                               "dụ: %s",
                               group_keys[k].name, group_keys[k].what, group_keys[k].example);
    if (c.errors == 0)
        warn_unused_items(&c, &b);
    if (c.errors > 0 && !keep) {
        bt_broadcasts_free(&b);
        return -1;
    }
    *out = b;
    return c.errors > 0 ? -1 : 0;
}

int bt_broadcasts_from_tree(const bt_node *group, const char *file, bt_broadcasts *out,
                            bt_diags *diags)
{
    return validate_group(group, file, false, out, diags);
}

int bt_broadcasts_validate(const bt_node *group, const char *file, bt_broadcasts *out,
                           bt_diags *diags)
{
    return validate_group(group, file, true, out, diags);
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

/* ---- dump --------------------------------------------------------------------------------- */


static void dump_session(bt_dump *d, const bt_broadcasts *b, size_t index)
{
    const bt_broadcast_session *s = &b->sessions[index];
    char prefix[64], hm[HHMM_BYTES], iso[32];
    snprintf(prefix, sizeof prefix, "broadcasts.sessions[%zu].", index);
    bt_dump_string(d, prefix, "id", s->id);
    bt_dump_string(d, prefix, "name", s->name);
    bt_buf_printf(d, "%stimes = %s", prefix, s->time_count ? "" : "-");
    for (size_t k = 0; k < s->time_count; k++)
        bt_buf_printf(d, "%s%s", k ? "," : "", bt_validate_hhmm_text(s->times[k], hm, sizeof hm));
    bt_buf_printf(d, "\n%sweekdays = ", prefix);
    bool first = true;
    for (int i = 0; i < 7; i++) {
        if (!(s->weekdays & (1u << i)))
            continue;
        bt_buf_printf(d, "%s%s", first ? "" : ",", bt_validate_weekday_codes[i]);
        first = false;
    }
    bt_buf_printf(d, "%s\n", first ? "-" : "");
    bt_dump_day(d, prefix, "from", s->from_day);
    bt_dump_day(d, prefix, "until", s->until_day);
    bt_buf_printf(d, "%sat = %s", prefix, s->at_count ? "" : "-");
    for (size_t k = 0; k < s->at_count; k++)
        bt_buf_printf(d, "%s%s", k ? "," : "", bt_time_format_iso(s->at[k], iso, sizeof iso));
    bt_buf_printf(d, "\n%sitems = ", prefix);
    for (size_t k = 0; k < s->item_count; k++)
        bt_buf_printf(d, "%s%s", k ? "," : "",
                    s->items[k] < b->item_count && b->items[s->items[k]].id
                        ? b->items[s->items[k]].id
                        : "?");
    bt_buf_printf(d, "\n%smakeup = %s\n", prefix, bt_broadcast_makeup_name(s->makeup));
}

char *bt_broadcasts_dump(const bt_broadcasts *b)
{
    bt_dump d = {NULL, 0, 0, false};
    bt_buf_printf(&d, "broadcasts.items = %zu\n", b->item_count);
    for (size_t i = 0; i < b->item_count; i++) {
        const bt_broadcast_item *it = &b->items[i];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "broadcasts.items[%zu].", i);
        bt_dump_string(&d, prefix, "id", it->id);
        bt_dump_string(&d, prefix, "title", it->title);
        if (it->text)
            bt_dump_string(&d, prefix, "text", it->text);
        else
            bt_dump_string(&d, prefix, "audio", it->audio);
        bt_dump_string(&d, prefix, "topic", it->topic);
        if (it->transcript) /* only when written: older dumps stay as they were */
            bt_dump_string(&d, prefix, "transcript", it->transcript);
        bt_buf_printf(&d, "%spriority = %s\n", prefix, bt_broadcast_priority_name(it->priority));
    }
    bt_buf_printf(&d, "broadcasts.sessions = %zu\n", b->session_count);
    for (size_t i = 0; i < b->session_count; i++)
        dump_session(&d, b, i);
    /* Only when written, so dumps of playlists without limits stay as they were. */
    for (size_t i = 0; i < b->limits.window_count; i++) {
        char a[HHMM_BYTES], z[HHMM_BYTES];
        bt_buf_printf(&d, "broadcasts.limits.hours[%zu] = %s-%s\n", i,
                      bt_validate_hhmm_text(b->limits.windows[i].start_minute, a, sizeof a),
                      bt_validate_hhmm_text(b->limits.windows[i].end_minute, z, sizeof z));
    }
    for (int day = 0; day < 7; day++)
        if (b->limits.closed_weekdays & (1u << day))
            bt_buf_printf(&d, "broadcasts.limits.closed = %s\n", bt_validate_weekday_codes[day]);
    if (d.failed) {
        free(d.data);
        return NULL;
    }
    return d.data;
}

/* ---- text bulletins ------------------------------------------------------------------------- */

int bt_broadcast_item_file(const char *dir, const bt_broadcast_item *it, char *buf, size_t size)
{
    int n;
    if (size > 0)
        buf[0] = '\0';
    if (it->text)
        n = it->speech_path ? snprintf(buf, size, "%s", it->speech_path) : -1;
    else
        n = it->audio ? snprintf(buf, size, "%s/%s", dir ? dir : ".", it->audio) : -1;
    return n >= 0 && (size_t)n < size ? 0 : -1;
}

const char *bt_broadcast_item_source(const bt_broadcast_item *it)
{
    if (it->text)
        return "văn bản đọc";
    return it->audio ? it->audio : "";
}

size_t bt_broadcasts_text_count(const bt_broadcasts *b)
{
    size_t n = 0;
    for (size_t i = 0; b && i < b->item_count; i++)
        n += b->items[i].text != NULL;
    return n;
}

int bt_broadcast_item_set_speech(bt_broadcast_item *it, const char *path)
{
    char *copy = NULL;
    if (path && !(copy = bt_validate_copy_string(path)))
        return -1;
    free(it->speech_path);
    it->speech_path = copy;
    return 0;
}

const char *bt_broadcast_item_caption_text(const bt_broadcast_item *it)
{
    return it->text ? it->text : it->transcript;
}
