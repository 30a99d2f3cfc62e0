/* The appliance configuration table. Each key is described once below; validation, defaults
 * and the printed reference all come from that one table (habit borrowed from tmux's
 * options-table.c). */
#include "bangtin/bt_config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/bt_broadcast.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_path.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_ui_theme.h"

typedef enum { KEY_STRING, KEY_PATH, KEY_URL, KEY_INT, KEY_BOOL, KEY_COLOR, KEY_CHOICE, KEY_WINDOWS, KEY_WEEKDAYS,
               KEY_PATH_LIST, KEY_DISPLAY_SCHEDULE } key_type;

typedef struct {
    const char *key;      /* dotted: "display.width" is `display = { width = ...; };` */
    key_type type;
    size_t offset;
    size_t size;          /* for strings: buffer size */
    long min, max;        /* ints: range; strings: max bytes is size - 1 */
    const char *choices;  /* KEY_CHOICE: "a|b|c" */
    const char *fallback; /* default, written as it would be in the file */
    const char *help;     /* Vietnamese, one line */
} key_spec;

#define STR(field) offsetof(bt_config, field), sizeof(((bt_config *)0)->field)
#define NUM(field) offsetof(bt_config, field), sizeof(((bt_config *)0)->field)

static const key_spec KEYS[] = {
    {"ward_name", KEY_STRING, STR(ward_name), 0, 0, NULL, BT_CONFIG_WARD_NAME_UNSET,
     "Tên đơn vị hiện ở đầu màn hình, bảng theo dõi và báo cáo, ví dụ \"UBND phường Bạch Mai\""},
    {"ward_logo", KEY_PATH, STR(ward_logo), 0, 0, NULL, "",
     "Tệp PNG logo của đơn vị, hiện ở đầu màn hình bên trái tên đơn vị (cao bằng dải tiêu đề) "
     "và ở khung góc cạnh đường dây nóng; đường dẫn tương đối tính từ thư mục của tệp cấu hình; "
     "trống = không có logo"},
    /* The báo cáo (bangtin report --format html|docx) in the form of Nghị định 30/2020. */
    {"report.issuer", KEY_STRING, STR(report_issuer), 0, 0, NULL, "",
     "Cơ quan báo cáo, viết như trong câu, ví dụ \"Ủy ban nhân dân phường Bạch Mai\" (đầu báo "
     "cáo in hoa); trống = \"Ủy ban nhân dân\" + tên phường ở ward_name"},
    {"report.parent", KEY_STRING, STR(report_parent), 0, 0, NULL, "",
     "Cơ quan chủ quản in phía trên cơ quan báo cáo; trống = không có"},
    {"report.place", KEY_STRING, STR(report_place), 0, 0, NULL, "",
     "Địa danh ở dòng ngày tháng, ví dụ \"Bạch Mai\"; trống = tên phường ở ward_name"},
    {"report.symbol", KEY_STRING, STR(report_symbol), 0, 0, NULL, "BC-UBND",
     "Ký hiệu văn bản sau \"Số: …/\""},
    {"report.signer", KEY_STRING, STR(report_signer), 0, 0, NULL,
     "TM. ỦY BAN NHÂN DÂN/KT. CHỦ TỊCH/PHÓ CHỦ TỊCH",
     "Chức vụ người ký, các dòng cách nhau bằng dấu /"},
    {"report.signer_name", KEY_STRING, STR(report_signer_name), 0, 0, NULL, "",
     "Họ tên người ký; trống = để trống, ký và ghi tay"},
    {"report.recipients", KEY_STRING, STR(report_recipients), 0, 0, NULL,
     "Phòng Văn hóa - Xã hội;Lưu: VT, VHXH",
     "Nơi nhận, cách nhau bằng dấu chấm phẩy"},
    {"device_label", KEY_STRING, STR(device_label), 0, 0, NULL, "",
     "Tên máy do người lắp đặt đặt, in trong báo cáo bên cạnh tên máy, ví dụ \"Máy bảng tin "
     "sảnh Bộ phận Một cửa\"; trống = chỉ tên máy"},
    {"data_dir", KEY_PATH, STR(data_dir), 0, 0, NULL, "bangtin-data",
     "Thư mục dữ liệu (cơ sở dữ liệu, nhật ký); tương đối thì tính từ thư mục đang chạy"},
    {"display.width", KEY_INT, NUM(display_width), 0, 16384, NULL, "0",
     "Chiều rộng màn hình (px); 0 = theo màn hình"},
    {"display.height", KEY_INT, NUM(display_height), 0, 16384, NULL, "0",
     "Chiều cao màn hình (px); 0 = theo màn hình"},
    {"display.orientation", KEY_CHOICE, STR(display_orientation), 0, 0,
     "auto|landscape|portrait", "auto",
     "Hướng màn hình: auto (theo kích thước), landscape (ngang), portrait (dọc)"},
    {"display.fullscreen", KEY_BOOL, NUM(display_fullscreen), 0, 1, NULL, "true",
     "true = toàn màn hình; false = cửa sổ (để thử)"},
    {"display.renderer", KEY_CHOICE, STR(display_renderer), 0, 0, "auto|software|accelerated",
     "auto", "Cách vẽ: auto (phần mềm, trừ KMSDRM), software (CPU, ít bộ nhớ), accelerated (GPU)"},
    {"display.on", KEY_DISPLAY_SCHEDULE, STR(display_on), 0, 0, NULL, "",
     "Giờ bật màn hình, ví dụ \"T2-T6 07:00-17:30, T7 07:30-11:30\"; ngoài giờ màn hình được tắt "
     "(DPMS hoặc HDMI-CEC) và không tính lượt hiển thị, trừ khi có tin khẩn cấp hoặc đang nạp "
     "USB; trống = luôn bật"},
    {"display.audio_device", KEY_STRING, STR(display_audio_device), 0, 0, NULL, "",
     "Tên đầu ra âm thanh của màn hình (loa TV qua HDMI) cho tiếng video có sound = true, như "
     "\"bangtin doctor\" liệt kê; trống = video chiếu không tiếng. Không bao giờ là đầu ra của "
     "ampli loa phường (broadcast.audio_device)"},
    {"portal.url", KEY_URL, STR(portal_url), 0, 0, NULL, "https://dichvucong.gov.vn",
     "Địa chỉ Cổng Dịch vụ công cho mã QR ở góc màn hình"},
    {"portal.caption", KEY_STRING, STR(portal_caption), 0, 0, NULL,
     "Quét mã để nộp hồ sơ trực tuyến", "Dòng chữ dưới mã QR ở góc màn hình"},
    {"corner.shows", KEY_CHOICE, STR(corner_shows), 0, 0, "next_session|hotline|none",
     "next_session",
     "Khung góc màn hình cho thấy gì ngoài mã QR (và thay mã QR khi thông báo có mã QR riêng): "
     "next_session (buổi phát thanh đang phát hoặc sắp phát hôm nay, hết buổi thì đường dây "
     "nóng), hotline (chỉ đường dây nóng), none (không gì)"},
    {"hotline", KEY_STRING, STR(hotline), 0, 0, NULL, "",
     "Đường dây nóng của phường, hiện ở khung góc màn hình, ví dụ \"024 3869 0000\"; trống = "
     "không hiện"},
    {"theme.background", KEY_COLOR, NUM(theme_background), 0, 0, NULL, "#0B2545",
     "Màu nền nội dung (#RRGGBB)"},
    {"theme.foreground", KEY_COLOR, NUM(theme_foreground), 0, 0, NULL, "#FFFFFF",
     "Màu chữ nội dung (#RRGGBB); tương phản với nền phải ≥ 7:1"},
    {"theme.accent", KEY_COLOR, NUM(theme_accent), 0, 0, NULL, "#FFD166",
     "Màu nhấn (tiêu đề, đường kẻ, nền nhãn THÔNG BÁO KHẨN) (#RRGGBB); tương phản với "
     "theme.background phải ≥ 7:1"},
    {"theme.header_background", KEY_COLOR, NUM(theme_header_background), 0, 0, NULL, "#8D0801",
     "Màu nền dải tiêu đề trên cùng (#RRGGBB)"},
    {"theme.header_foreground", KEY_COLOR, NUM(theme_header_foreground), 0, 0, NULL, "#FFFFFF",
     "Màu chữ dải tiêu đề (#RRGGBB); tương phản với theme.header_background phải ≥ 7:1"},
    {"theme.ticker_background", KEY_COLOR, NUM(theme_ticker_background), 0, 0, NULL, "#FFD166",
     "Màu nền dòng chữ chạy (#RRGGBB)"},
    {"theme.ticker_foreground", KEY_COLOR, NUM(theme_ticker_foreground), 0, 0, NULL, "#0B2545",
     "Màu dòng chữ chạy (#RRGGBB); tương phản với theme.ticker_background phải ≥ 7:1"},
    {"fonts.regular", KEY_PATH, STR(font_regular), 0, 0, NULL, "",
     "Phông chữ thường (TTF, đủ dấu tiếng Việt); trống = Noto Sans kèm theo"},
    {"fonts.bold", KEY_PATH, STR(font_bold), 0, 0, NULL, "",
     "Phông chữ đậm (TTF); trống = Noto Sans Bold kèm theo"},
    {"text.min_px", KEY_INT, NUM(min_text_px), 24, 200, NULL, "40",
     "Cỡ chữ nhỏ nhất (px, ở cạnh ngắn 1080 px) để đọc được từ xa"},
    {"ticker.enabled", KEY_BOOL, NUM(ticker_enabled), 0, 1, NULL, "true",
     "Bật dòng chữ chạy ở chân màn hình"},
    {"ticker.speed", KEY_INT, NUM(ticker_speed), 20, 600, NULL, "120",
     "Tốc độ chữ chạy (px/giây, ở cạnh ngắn 1080 px)"},
    {"transition_ms", KEY_INT, NUM(transition_ms), 0, 5000, NULL, "700",
     "Thời gian chuyển mờ dần giữa hai thông báo (ms); 0 = chuyển ngay"},
    {"broadcast.windows", KEY_WINDOWS, STR(broadcast_windows), 0, 0, NULL, "05:30-07:00,16:30-18:30",
     "Khung giờ được phép phát loa, ví dụ \"05:30-07:00,16:30-18:30\"; trống = không giới hạn"},
    {"broadcast.weekdays", KEY_WEEKDAYS, STR(broadcast_weekdays), 0, 0, NULL, "T2-CN",
     "Các thứ được phép phát loa, ví dụ \"T2-T6\" (bù buổi lỡ cũng chỉ vào những ngày này; tin "
     "khẩn cấp phát mọi ngày); trống = mọi ngày"},
    {"broadcast.max_sessions_per_day", KEY_INT, NUM(broadcast_max_sessions_per_day), 1, 24, NULL,
     "3", "Số buổi phát tối đa mỗi ngày"},
    {"broadcast.max_session_minutes", KEY_INT, NUM(broadcast_max_session_minutes), 1, 180, NULL,
     "15", "Thời lượng tối đa một buổi phát (phút)"},
    {"broadcast.chime", KEY_PATH, STR(broadcast_chime), 0, 0, NULL, "",
     "Tệp nhạc hiệu đầu và cuối buổi phát; trống = nhạc hiệu kèm theo"},
    {"broadcast.amp_on_command", KEY_STRING, STR(broadcast_amp_on_command), 0, 0, NULL, "",
     "Lệnh bật ampli trước buổi phát (trống = không dùng)"},
    {"broadcast.amp_warmup_ms", KEY_INT, NUM(broadcast_amp_warmup_ms), 0, 30000, NULL, "2000",
     "Thời gian chờ ampli sẵn sàng sau lệnh bật (ms)"},
    {"broadcast.amp_off_command", KEY_STRING, STR(broadcast_amp_off_command), 0, 0, NULL, "",
     "Lệnh tắt ampli sau buổi phát (trống = không dùng)"},
    {"broadcast.audio_device", KEY_STRING, STR(broadcast_audio_device), 0, 0, NULL, "",
     "Tên thiết bị âm thanh ra ampli; trống = thiết bị mặc định"},
    {"broadcast.volume", KEY_INT, NUM(broadcast_volume), 0, 100, NULL, "100",
     "Âm lượng (%)"},
    {"broadcast.loudness_target", KEY_INT, NUM(broadcast_loudness_target), -40, -5, NULL, "-16",
     "Độ to mục tiêu của mọi tin/bài (LUFS, chuẩn EBU R128)"},
    /* Dead air (bt_silence.h). Two seconds of quiet before or after a bulletin already reads as
     * "the loudspeaker is broken" in the street; inside, a pause over four seconds is a lost
     * passage or a recorder left running: the demo's five spoken items pause at most 0.8 s. */
    {"broadcast.silence_end_max_seconds", KEY_INT, NUM(broadcast_silence_end_max_seconds), 0, 60,
     NULL, "2",
     "Im lặng dài nhất cho phép ở đầu hoặc cuối một tin (giây); dài hơn thì check cảnh báo; "
     "0 = không kiểm tra"},
    {"broadcast.silence_inside_max_seconds", KEY_INT, NUM(broadcast_silence_inside_max_seconds),
     0, 60, NULL, "4",
     "Khoảng lặng dài nhất cho phép giữa một tin (giây); dài hơn thì check cảnh báo; "
     "0 = không kiểm tra"},
    /* A read bulletin is mostly voice: the demo's five spoken items are 14–17 % silent (the
     * same at any recording level down to −40 LUFS). More silence than sound is no bulletin,
     * whatever is cut, and 50 % leaves three times the margin of a normal read. */
    {"broadcast.silent_max_percent", KEY_INT, NUM(broadcast_silent_max_percent), 10, 100, NULL,
     "50",
     "Tin có phần im lặng quá chừng này phần trăm thời lượng bị từ chối (không phát); "
     "100 = không từ chối"},
    {"trusted_keys", KEY_PATH_LIST, NUM(trusted_keys), 0, BT_CONFIG_MAX_PATHS, NULL, "",
     "Các tệp khoá công khai (.pub) của phường được tin cậy để nạp playlist từ USB"},
    {"usb.mount_roots", KEY_PATH_LIST, NUM(usb_mount_roots), 0, BT_CONFIG_MAX_PATHS, NULL,
     "/media,/run/media,/mnt", "Các thư mục nơi hệ điều hành gắn USB (kiểm tra mỗi 2 giây)"},
    {"usb.require_signature", KEY_BOOL, NUM(usb_require_signature), 0, 1, NULL, "true",
     "true = chỉ nạp gói có chữ ký hợp lệ; false chỉ dùng để thử nghiệm"},
    {"usb.unsigned", KEY_CHOICE, STR(usb_unsigned), 0, 0, "refuse|pin", "refuse",
     "Gói USB không có chữ ký tin cậy: refuse = từ chối; pin = kiểm tra đủ như gói đã ký, rồi "
     "màn hình hỏi mã PIN của bảng theo dõi (panel.pin) để cán bộ duyệt trong 2 phút"},
    {"usb.keep_playlists", KEY_INT, NUM(usb_keep_playlists), 1, 20, NULL, "3",
     "Số playlist gần nhất được giữ lại để quay lui (bangtin rollback)"},
    {"panel.key", KEY_STRING, STR(panel_key), 0, 0, NULL, "F12",
     "Phím mở bảng theo dõi của cán bộ (tên phím SDL, ví dụ \"F12\"); giữ 3 giây ở góc trên "
     "bên trái màn hình cũng mở"},
    {"panel.pin", KEY_STRING, STR(panel_pin), 0, 0, NULL, "",
     "Mã PIN (chỉ chữ số, tối đa 12) để vào bảng theo dõi; trống = tắt bảng theo dõi"},
    {"panel.timeout_seconds", KEY_INT, NUM(panel_timeout_seconds), 10, 3600, NULL, "60",
     "Bảng theo dõi tự đóng sau chừng này giây không thao tác"},
    {"log_level", KEY_CHOICE, STR(log_level), 0, 0, "debug|info|warn|error",
     "info", "Mức ghi nhật ký: debug, info, warn, error"},
};
#define KEY_COUNT (sizeof KEYS / sizeof KEYS[0])

static const char *type_name_vi(key_type type)
{
    switch (type) {
    case KEY_STRING: return "chuỗi";
    case KEY_PATH: return "đường dẫn";
    case KEY_URL: return "địa chỉ http(s)";
    case KEY_INT: return "số nguyên";
    case KEY_BOOL: return "true/false";
    case KEY_COLOR: return "màu #RRGGBB";
    case KEY_CHOICE: return "lựa chọn";
    case KEY_WINDOWS: return "khung giờ";
    case KEY_WEEKDAYS: return "các thứ trong tuần";
    case KEY_PATH_LIST: return "mảng đường dẫn [ \"...\" ]";
    case KEY_DISPLAY_SCHEDULE: return "lịch bật màn hình";
    }
    return "?";
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_color(const char *s, bt_rgb *out)
{
    if (strlen(s) != 7 || s[0] != '#')
        return -1;
    int v[6];
    for (int i = 0; i < 6; i++) {
        if ((v[i] = hex_digit(s[i + 1])) < 0)
            return -1;
    }
    out->r = (uint8_t)(v[0] * 16 + v[1]);
    out->g = (uint8_t)(v[2] * 16 + v[3]);
    out->b = (uint8_t)(v[4] * 16 + v[5]);
    return 0;
}

static bool choice_allowed(const char *choices, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p += len + (bar ? 1 : 0);
    }
    return false;
}

/* Stores a string value after checking it; returns NULL or a Vietnamese reason. */
static const char *set_string(const key_spec *k, bt_config *cfg, const char *value)
{
    char *dst = (char *)cfg + k->offset;
    if (!bt_text_utf8_valid(value, strlen(value)))
        return "không phải UTF-8 hợp lệ — lưu tệp với bảng mã UTF-8";
    if (k->type == KEY_COLOR) {
        bt_rgb rgb;
        if (parse_color(value, &rgb) != 0)
            return "màu phải viết dạng \"#RRGGBB\", ví dụ \"#0B2545\"";
        memcpy(dst, &rgb, sizeof rgb);
        return NULL;
    }
    if (strlen(value) >= k->size)
        return "quá dài";
    if (k->type == KEY_URL && strncmp(value, "https://", 8) != 0 &&
        strncmp(value, "http://", 7) != 0)
        return "phải bắt đầu bằng https:// hoặc http://";
    if (k->type == KEY_CHOICE && !choice_allowed(k->choices, value))
        return "giá trị không hợp lệ";
    char *nfc = bt_text_nfc(value);
    if (!nfc)
        return "không phải UTF-8 hợp lệ";
    if (strlen(nfc) >= k->size) {
        free(nfc);
        return "quá dài";
    }
    memcpy(dst, nfc, strlen(nfc) + 1);
    free(nfc);
    return NULL;
}

/* The comma-separated fallback of a path list ("/media,/mnt") into its slots. */
static void set_path_list_default(const key_spec *k, bt_config *cfg)
{
    bt_config_paths *list = (bt_config_paths *)((char *)cfg + k->offset);
    memset(list, 0, sizeof *list);
    for (const char *p = k->fallback; *p && list->count < BT_CONFIG_MAX_PATHS;) {
        size_t len = strcspn(p, ",");
        if (len > 0 && len < sizeof list->paths[0])
            memcpy(list->paths[list->count++], p, len);
        p += len + (p[len] == ',');
    }
}

static void apply_path_list(const key_spec *k, bt_config *cfg, const bt_node *node,
                            const char *file, bt_diags *diags)
{
    bt_config_paths *list = (bt_config_paths *)((char *)cfg + k->offset);
    if (node->type != BT_NODE_ARRAY && node->type != BT_NODE_LIST) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, node->line,
                     "khoá \"%s\" cần một mảng, ví dụ %s = [ \"/đường/dẫn\" ];",
                     k->key, k->key);
        return;
    }
    if (node->child_count > BT_CONFIG_MAX_PATHS) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, node->line,
                     "khoá \"%s\" có %zu phần tử, tối đa %d", k->key, node->child_count,
                     BT_CONFIG_MAX_PATHS);
        return;
    }
    bt_config_paths parsed = {0};
    for (size_t i = 0; i < node->child_count; i++) {
        const bt_node *e = &node->children[i];
        const char *v = e->string_value;
        if (e->type != BT_NODE_STRING || !v || !*v || strlen(v) >= sizeof parsed.paths[0] ||
            !bt_text_utf8_valid(v, strlen(v))) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, e->line ? e->line : node->line,
                         "khoá \"%s\": phần tử thứ %zu phải là một đường dẫn trong dấu ngoặc "
                         "kép", k->key, i + 1);
            return;
        }
        memcpy(parsed.paths[parsed.count++], v, strlen(v) + 1);
    }
    *list = parsed;
}

static void set_int(const key_spec *k, bt_config *cfg, long value)
{
    if (k->type == KEY_BOOL)
        *(bool *)((char *)cfg + k->offset) = value != 0;
    else
        *(int *)((char *)cfg + k->offset) = (int)value;
}

/* An empty font key means the bundled Noto Sans; resolved once so every user sees a path. A
 * share folder too deep for the key's buffer leaves it empty: the screen then says which font
 * it could not open. */
static void resolve_font(char *key, size_t size, const char *file)
{
    if (!key[0] && snprintf(key, size, "%s/%s", bt_config_font_dir(), file) >= (int)size)
        key[0] = '\0';
}

static void resolve_fonts(bt_config *cfg)
{
    resolve_font(cfg->font_regular, sizeof cfg->font_regular, "NotoSans-Regular.ttf");
    resolve_font(cfg->font_bold, sizeof cfg->font_bold, "NotoSans-Bold.ttf");
}

void bt_config_defaults(bt_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < KEY_COUNT; i++) {
        const key_spec *k = &KEYS[i];
        if (k->type == KEY_INT)
            set_int(k, cfg, strtol(k->fallback, NULL, 10));
        else if (k->type == KEY_BOOL)
            set_int(k, cfg, strcmp(k->fallback, "true") == 0);
        else if (k->type == KEY_PATH_LIST)
            set_path_list_default(k, cfg);
        else
            set_string(k, cfg, k->fallback);
    }
    resolve_fonts(cfg);
}

static const key_spec *find_key(const char *dotted)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (strcmp(KEYS[i].key, dotted) == 0)
            return &KEYS[i];
    }
    return NULL;
}

/* True if some key lives under this group prefix (e.g. "display"). */
static bool is_group(const char *dotted)
{
    size_t n = strlen(dotted);
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (strncmp(KEYS[i].key, dotted, n) == 0 && KEYS[i].key[n] == '.')
            return true;
    }
    return false;
}

static void apply_value(const key_spec *k, bt_config *cfg, const bt_node *node, const char *file,
                        bt_diags *diags)
{
    if (k->type == KEY_PATH_LIST) {
        apply_path_list(k, cfg, node, file, diags);
        return;
    }
    bool numeric = k->type == KEY_INT || k->type == KEY_BOOL;
    bt_node_type want = k->type == KEY_INT ? BT_NODE_INT
                        : k->type == KEY_BOOL ? BT_NODE_BOOL : BT_NODE_STRING;
    if (node->type != want) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, node->line,
                     "khoá \"%s\" cần kiểu %s nhưng đang là %s%s", k->key, type_name_vi(k->type),
                     bt_node_type_vi(node->type),
                     want == BT_NODE_STRING ? " — đặt giá trị trong dấu ngoặc kép \"...\"" : "");
        return;
    }
    if (numeric) {
        long long v = k->type == KEY_BOOL ? node->bool_value : node->int_value;
        if (k->type == KEY_INT && (v < k->min || v > k->max)) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, node->line,
                         "khoá \"%s\" = %lld nằm ngoài khoảng cho phép %ld..%ld", k->key, v,
                         k->min, k->max);
            return;
        }
        set_int(k, cfg, (long)v);
        return;
    }
    if (k->type == KEY_WINDOWS || k->type == KEY_WEEKDAYS) {
        /* Same grammar as the scheduler uses, so what validates here is what it enforces. */
        bt_broadcast_limits probe;
        const char *text = node->string_value ? node->string_value : "";
        if ((k->type == KEY_WINDOWS
                 ? bt_broadcast_windows_parse(text, file, node->line, &probe, diags)
                 : bt_broadcast_weekdays_parse(text, file, node->line, &probe, diags)) != 0)
            return;
    }
    if (k->type == KEY_DISPLAY_SCHEDULE) {
        /* The kiosk reads the text again with the same reader (bt_config_display_schedule). */
        bt_display_schedule probe;
        if (bt_display_schedule_parse(node->string_value ? node->string_value : "", file,
                                      node->line, &probe, diags) != 0)
            return;
    }
    const char *why = set_string(k, cfg, node->string_value ? node->string_value : "");
    if (why) {
        if (k->type == KEY_CHOICE)
            bt_diags_add(diags, BT_DIAG_ERROR, file, node->line,
                         "khoá \"%s\": %s — chọn một trong: %s", k->key, why, k->choices);
        else
            bt_diags_add(diags, BT_DIAG_ERROR, file, node->line, "khoá \"%s\": %s", k->key, why);
    }
}

/* lines[i]: the line KEYS[i] was written on in the file, 0 when it was not (its default). */
static void apply_group(bt_config *cfg, const bt_node *group, const char *prefix, const char *file,
                        int *lines, bt_diags *diags)
{
    for (size_t i = 0; i < group->child_count; i++) {
        const bt_node *child = &group->children[i];
        char dotted[128];
        if (prefix[0])
            snprintf(dotted, sizeof dotted, "%s.%s", prefix, child->name ? child->name : "");
        else
            snprintf(dotted, sizeof dotted, "%s", child->name ? child->name : "");
        const key_spec *k = find_key(dotted);
        if (k) {
            lines[k - KEYS] = child->line;
            apply_value(k, cfg, child, file, diags);
        } else if (is_group(dotted)) {
            if (child->type != BT_NODE_GROUP)
                bt_diags_add(diags, BT_DIAG_ERROR, file, child->line,
                             "\"%s\" phải là một nhóm { ... }", dotted);
            else
                apply_group(cfg, child, dotted, file, lines, diags);
        } else {
            bt_diags_add(diags, BT_DIAG_ERROR, file, child->line,
                         "khoá \"%s\" không tồn tại — xem danh sách khoá bằng lệnh "
                         "\"bangtin config\"", dotted);
        }
    }
}

/* A text colour and what it is drawn on: the screen never draws a text in a pair below
 * BT_UI_MIN_CONTRAST when the theme is the default, and the config must not make it. */
typedef struct {
    const char *text, *ground; /* keys */
    const char *what;          /* Vietnamese: which text */
} colour_pair;

static const colour_pair COLOUR_PAIRS[] = {
    {"theme.foreground", "theme.background", "chữ nội dung"},
    {"theme.header_foreground", "theme.header_background", "chữ dải tiêu đề"},
    {"theme.ticker_foreground", "theme.ticker_background", "dòng chữ chạy"},
    /* The urgent label "THÔNG BÁO KHẨN" is the background colour on an accent plate. */
    {"theme.background", "theme.accent", "nhãn \"THÔNG BÁO KHẨN\" (màu nền trên nền màu nhấn)"},
};

/* "bangtin.cfg" of "/etc/bangtin/bangtin.cfg": messages to staff name the file, not the path. */
static const char *base_name(const char *file)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    return slash ? slash + 1 : file ? file : "";
}

static int key_index(const char *dotted)
{
    const key_spec *k = find_key(dotted);
    return k ? (int)(k - KEYS) : -1;
}

static bt_rgb colour_of(const bt_config *cfg, const char *dotted)
{
    bt_rgb c;
    memcpy(&c, (const char *)cfg + find_key(dotted)->offset, sizeof c);
    return c;
}

/* Each pair at 7:1 (WCAG 2, level AAA: older people read the lobby screen from metres away),
 * reported on the line of whichever of its two keys the file sets (the text colour first);
 * the defaults pass. */
static void check_contrast(const bt_config *cfg, const int *lines, const char *file,
                           bt_diags *diags)
{
    for (size_t i = 0; i < sizeof COLOUR_PAIRS / sizeof COLOUR_PAIRS[0]; i++) {
        const colour_pair *pair = &COLOUR_PAIRS[i];
        int text_line = lines[key_index(pair->text)], ground_line = lines[key_index(pair->ground)];
        if (!text_line && !ground_line)
            continue;
        bt_rgb text = colour_of(cfg, pair->text), ground = colour_of(cfg, pair->ground);
        double ratio = bt_ui_contrast(text, ground);
        if (ratio >= BT_UI_MIN_CONTRAST)
            continue;
        /* Shown cut, not rounded, to one decimal: 6.97 must not read "7.0:1". */
        bool lighter = bt_ui_luminance(text) >= bt_ui_luminance(ground);
        bt_diags_add(diags, BT_DIAG_ERROR, file, text_line ? text_line : ground_line,
                     "%s: màu chữ \"%s\" = \"#%02X%02X%02X\" trên màu nền \"%s\" = "
                     "\"#%02X%02X%02X\" chỉ tương phản %.1f:1, cần ít nhất %.0f:1 để người đứng "
                     "xa và người lớn tuổi đọc được — hãy chọn \"%s\" %s hoặc \"%s\" %s",
                     pair->what, pair->text, text.r, text.g, text.b, pair->ground, ground.r,
                     ground.g, ground.b, (int)(ratio * 10) / 10.0, BT_UI_MIN_CONTRAST,
                     pair->text,
                     lighter ? "sáng hơn" : "tối hơn", pair->ground,
                     lighter ? "tối hơn" : "sáng hơn");
    }
}

/* The clips' sound must never reach the loudspeaker's amplifier (issue 15): the screen's output
 * named the same as the amplifier's is refused here, on the line of display.audio_device. */
static void check_sound_device(const bt_config *cfg, const int *lines, const char *file,
                               bt_diags *diags)
{
    if (!cfg->display_audio_device[0] ||
        strcmp(cfg->display_audio_device, cfg->broadcast_audio_device) != 0)
        return;
    bt_diags_add(diags, BT_DIAG_ERROR, file, lines[key_index("display.audio_device")],
                 "display.audio_device = \"%s\" là đầu ra của ampli loa phường "
                 "(broadcast.audio_device): tiếng video sẽ ra loa phường — đặt display.audio_device "
                 "là đầu ra của màn hình (HDMI, xem \"bangtin doctor\") hoặc để trống (video "
                 "chiếu không tiếng)", cfg->display_audio_device);
}

/* The ward's logo (issue 14), checked as the playlist load checks a notice's image, so a wrong
 * file is said here (bangtin config, doctor, the kiosk's start) and not found on the lobby
 * screen. A relative path is taken from the configuration file's folder. */
static void check_logo(bt_config *cfg, const int *lines, const char *file, bt_diags *diags)
{
    if (!cfg->ward_logo[0])
        return;
    int line = lines[key_index("ward_logo")];
    /* The folder ends at the last separator, a backslash too in the Windows staff tools, where a
     * drive letter ("C:") or a leading backslash makes a path absolute. */
    const char *slash = file ? strrchr(file, '/') : NULL, *back = file ? strrchr(file, '\\') : NULL;
    if (back && (!slash || back > slash))
        slash = back;
    const char *logo = cfg->ward_logo;
    bool absolute = logo[0] == '/' || logo[0] == '\\' ||
                    (((logo[0] | 0x20) >= 'a' && (logo[0] | 0x20) <= 'z') && logo[1] == ':');
    if (!absolute && slash) {
        char joined[sizeof cfg->ward_logo];
        if (snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - file), file,
                     cfg->ward_logo) >= (int)sizeof joined) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                         "ward_logo: đường dẫn \"%s\" quá dài — viết đường dẫn tuyệt đối ngắn hơn",
                         cfg->ward_logo);
            return;
        }
        memcpy(cfg->ward_logo, joined, sizeof joined);
    }
    bt_image_format format;
    int w, h;
    bt_asset_status status = bt_image_file_check(cfg->ward_logo, &format, &w, &h);
    if (status == BT_ASSET_OK && format != BT_IMAGE_PNG)
        bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                     "ward_logo: \"%s\" là ảnh JPEG — logo phải là tệp PNG (giữ được nền trong "
                     "suốt trên dải tiêu đề): xuất lại logo dạng PNG rồi sửa ward_logo",
                     cfg->ward_logo);
    else if (status == BT_ASSET_MISSING)
        bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                     "ward_logo: không có tệp \"%s\" (hoặc không phải tệp thường) — chép logo PNG "
                     "vào đó hoặc sửa đường dẫn ward_logo; để trống nếu không dùng logo",
                     cfg->ward_logo);
    else if (status == BT_ASSET_UNSAFE_PATH)
        bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                     "ward_logo: \"%s\" là liên kết tượng trưng — trỏ ward_logo thẳng tới tệp PNG",
                     cfg->ward_logo);
    else if (status == BT_ASSET_TOO_LARGE)
        bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                     "ward_logo: ảnh \"%s\" quá lớn (%d×%d px; tối đa %d px mỗi cạnh và %d MB) — "
                     "thu nhỏ logo, vài trăm px mỗi cạnh là đủ", cfg->ward_logo, w, h,
                     BT_MAX_IMAGE_SIDE, BT_MAX_IMAGE_FILE_BYTES / (1024 * 1024));
    else if (status != BT_ASSET_OK)
        bt_diags_add(diags, BT_DIAG_ERROR, file, line,
                     "ward_logo: \"%s\" không phải ảnh PNG đọc được (hỏng hoặc chép dở) — xuất "
                     "lại logo dạng PNG rồi chép lại", cfg->ward_logo);
}

int bt_config_apply_tree(bt_config *cfg, const bt_node *root, const char *file, bt_diags *diags)
{
    size_t before = diags->errors;
    int lines[KEY_COUNT] = {0};
    apply_group(cfg, root, "", file, lines, diags);
    /* A check message names the line that sets the hours or days a session breaks. */
    cfg->broadcast_windows_line = lines[key_index("broadcast.windows")];
    cfg->broadcast_weekdays_line = lines[key_index("broadcast.weekdays")];
    snprintf(cfg->file_name, sizeof cfg->file_name, "%s", base_name(file));
    check_contrast(cfg, lines, file, diags);
    check_logo(cfg, lines, file, diags);
    check_sound_device(cfg, lines, file, diags);
    if (bt_config_usb_asks_pin(cfg) && !cfg->panel_pin[0])
        bt_diags_add(diags, BT_DIAG_WARNING, file, lines[key_index("usb.unsigned")],
                     "usb.unsigned = \"pin\" nhưng chưa đặt panel.pin: không ai duyệt được gói "
                     "chưa ký nên máy vẫn từ chối chúng — đặt panel.pin (chỉ chữ số), ví dụ "
                     "panel = { pin = \"2468\"; };");
    bt_log_level level;
    if (bt_log_level_parse(cfg->log_level, &level) == 0)
        bt_log_set_level(level);
    return diags->errors == before ? 0 : -1;
}

int bt_config_load(bt_config *cfg, const char *path, bt_diags *diags)
{
    bt_config_defaults(cfg);
    bt_node *root = NULL;
    if (bt_cfgfile_read(path, NULL, &root, diags) != 0)
        return -1;
    int rc = bt_config_apply_tree(cfg, root, path, diags);
    bt_node_destroy(root);
    return rc;
}

void bt_config_print_reference(FILE *out)
{
    fprintf(out, "Các khoá của bangtin.cfg (libconfig). Nhóm viết dạng  display = { width = 1920; };\n\n");
    for (size_t i = 0; i < KEY_COUNT; i++) {
        const key_spec *k = &KEYS[i];
        char range[128] = "";
        if (k->type == KEY_INT)
            snprintf(range, sizeof range, ", %ld..%ld", k->min, k->max);
        else if (k->type == KEY_CHOICE)
            snprintf(range, sizeof range, ", %s", k->choices);
        bool quoted = k->type != KEY_INT && k->type != KEY_BOOL && k->type != KEY_PATH_LIST;
        fprintf(out, "  %-26s %s%s; mặc định %s%s%s\n      %s\n", k->key, type_name_vi(k->type),
                range, quoted ? "\"" : "", k->fallback, quoted ? "\"" : "", k->help);
    }
}

static bool share_has_fonts(const char *dir)
{
    char font[BT_MAX_PATH_BYTES + 96];
    struct stat st;
    snprintf(font, sizeof font, "%s/fonts/NotoSans-Regular.ttf", dir);
    return stat(font, &st) == 0;
}

const char *bt_config_share_dir(void)
{
    static char dir[BT_MAX_PATH_BYTES + 64];
    const char *env = getenv("BANGTIN_SHARE_DIR");
    if (env && *env)
        return env;
    if (!dir[0]) {
        char here[BT_MAX_PATH_BYTES], probe[BT_MAX_PATH_BYTES + 96];
        bt_os_exe_dir(here, sizeof here);
        snprintf(probe, sizeof probe, "%s/%s", here, BT_SHARE_RELATIVE);
        /* The build tree mirrors the install (build/bin beside build/share), so one relative
         * step serves both; a binary copied elsewhere falls back to the installed folder. The
         * folder is named as installers read it (/usr/share/bangtin, not /usr/bin/../share/…). */
        if (!here[0] || bt_path_real(probe, dir, sizeof dir) != 0 ||
            !share_has_fonts(dir))
            snprintf(dir, sizeof dir, "%s", BT_SHARE_INSTALLED);
    }
    return dir;
}

/* A folder of the shared data, or the environment's override of it. */
static const char *share_subdir(const char *env_name, const char *sub, char *buf, size_t size)
{
    const char *env = getenv(env_name);
    if (env && *env)
        return env;
    snprintf(buf, size, "%s/%s", bt_config_share_dir(), sub);
    return buf;
}

const char *bt_config_font_dir(void)
{
    static char dir[BT_MAX_PATH_BYTES + 80];
    return share_subdir("BANGTIN_FONT_DIR", "fonts", dir, sizeof dir);
}

void bt_config_screen(const bt_config *cfg, bt_screen_config *out)
{
    memset(out, 0, sizeof *out);
    out->ward_name = cfg->ward_name;
    out->portal_url = cfg->portal_url;
    out->portal_caption = cfg->portal_caption;
    out->corner_shows = strcmp(cfg->corner_shows, "hotline") == 0 ? BT_CORNER_HOTLINE
                        : strcmp(cfg->corner_shows, "none") == 0 ? BT_CORNER_NOTHING
                                                                 : BT_CORNER_NEXT_SESSION;
    out->hotline = cfg->hotline;
    out->ward_logo = cfg->ward_logo;
    out->font_regular = cfg->font_regular;
    out->font_bold = cfg->font_bold;
    out->background = cfg->theme_background;
    out->foreground = cfg->theme_foreground;
    out->accent = cfg->theme_accent;
    out->header_background = cfg->theme_header_background;
    out->header_foreground = cfg->theme_header_foreground;
    out->ticker_background = cfg->theme_ticker_background;
    out->ticker_foreground = cfg->theme_ticker_foreground;
    out->min_text_px = cfg->min_text_px;
    out->ticker_enabled = cfg->ticker_enabled;
    out->ticker_speed_px = cfg->ticker_speed;
    out->transition_ms = cfg->transition_ms;
}

void bt_config_display_schedule(const bt_config *cfg, bt_display_schedule *out)
{
    bt_diags ignored;
    bt_diags_init(&ignored);
    /* Validated when the config was applied; a text that no longer reads is always on. */
    bt_display_schedule_parse(cfg->display_on, cfg->file_name, 0, out, &ignored);
    bt_diags_free(&ignored);
}

void bt_config_broadcast_limits(const bt_config *cfg, bt_broadcast_limits *out)
{
    bt_diags ignored;
    memset(out, 0, sizeof *out);
    bt_diags_init(&ignored);
    /* Already validated when the config was applied; the defaults are valid too. */
    bt_broadcast_windows_parse(cfg->broadcast_windows, "bangtin.cfg", 0, out, &ignored);
    bt_broadcast_weekdays_parse(cfg->broadcast_weekdays, "bangtin.cfg", 0, out, &ignored);
    bt_diags_free(&ignored);
    out->appliance = true;
    snprintf(out->origin, sizeof out->origin, "%s", cfg->file_name[0] ? cfg->file_name : "");
    out->windows_line = cfg->broadcast_windows_line;
    out->weekdays_line = cfg->broadcast_weekdays_line;
    out->max_sessions_per_day = cfg->broadcast_max_sessions_per_day;
    out->max_session_minutes = cfg->broadcast_max_session_minutes;
    out->silence.end_max_seconds = cfg->broadcast_silence_end_max_seconds;
    out->silence.inside_max_seconds = cfg->broadcast_silence_inside_max_seconds;
    out->silence.max_percent = cfg->broadcast_silent_max_percent;
}

const char *bt_config_chime_path(const bt_config *cfg, char *buf, size_t size)
{
    if (cfg->broadcast_chime[0])
        snprintf(buf, size, "%s", cfg->broadcast_chime);
    else
        snprintf(buf, size, "%s/chime.wav", bt_config_asset_dir());
    return buf;
}

const char *bt_config_asset_dir(void)
{
    static char dir[BT_MAX_PATH_BYTES + 80];
    return share_subdir("BANGTIN_ASSET_DIR", "assets", dir, sizeof dir);
}
