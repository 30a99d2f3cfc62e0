/* The command table's shape, private to the app room. cli.c parses the command line against
 * whichever table the build has: the appliance's (commands.c) or the staff tools' alone
 * (commands_staff.c, the build without the kiosk, e.g. bangtin.exe for Windows). The commands
 * both builds have are written once, below, so they read the same in both. */
#ifndef BT_APP_CLI_INTERNAL_H
#define BT_APP_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_schedule.h"

typedef struct {
    const char *name; /* "--size" */
    const char *arg;  /* "WxH", or NULL for a flag */
    const char *help;
    bool repeat;      /* may be given several times (values collected in cmd_args.repeated) */
} opt_spec;

typedef bt_cli_args cmd_args;

typedef struct command {
    const char *name;
    const char *usage;   /* after "bangtin <name>" */
    const char *summary; /* one line, Vietnamese; NULL: a child the program runs itself, not
                            listed in the help */
    int min_positional, max_positional;
    opt_spec opts[BT_CLI_MAX_OPTS];
    int (*run)(bt_app *app, const cmd_args *args);
} command;

/* This build's commands, in the order help lists them; *count receives their number. */
const command *bt_cli_commands(size_t *count);
/* What this build sets up before parsing (the appliance: the service's log sink and the
 * executable its measuring child runs). */
void bt_cli_start(void);
/* true for a command that goes on with the defaults when the configuration file has errors
 * and reports the file among its own lines (the installer's doctor). */
bool bt_cli_runs_on_bad_config(const command *c);

/* Handlers both builds share (cmd_check.c; cli.c; cmd_screenshot.c in the builds with the
 * screen). */
int bt_cmd_check(bt_app *app, const cmd_args *a);
int bt_cmd_screenshot(bt_app *app, const cmd_args *a);
int bt_cmd_config(bt_app *app, const cmd_args *a);
int bt_cmd_version(bt_app *app, const cmd_args *a);
/* The audio's (measure_isolated.c; bt_cmd_speak in bt_app_speech.h): in every build that
 * measures and speaks. */
int bt_cmd_measure(bt_app *app, const cmd_args *a);

#define BT_CLI_CMD_CHECK                                                                         \
    {"check", "DIR [--json]",                                                                    \
     "Kiểm tra một playlist: liệt kê trong một lần mọi lỗi và cảnh báo (tệp, dòng, cách sửa), "  \
     "xếp theo dòng.", 1, 1,                                                                     \
     {{"--dump", NULL, "in nội dung playlist đã chuẩn hoá", false},                              \
      {"--json", NULL, "in một đối tượng JSON cho công cụ khác: {\"diagnostics\": [{\"file\", "  \
                       "\"line\" (null = cả tệp), \"severity\" (\"error\"|\"warning\"), "        \
                       "\"code\" (loại kiểm tra, có thể thiếu), \"message\"}], \"summary\": "    \
                       "{\"valid\", \"errors\", \"warnings\", \"stopped_at_syntax\", …}}",       \
       false}},                                                                                  \
     bt_cmd_check}

#define BT_CLI_CMD_CONFIG                                                                         \
    {"config", "[FILE]", "In bảng mọi khoá cấu hình; với FILE: kiểm tra tệp cấu hình đó.", 0, 1,  \
     {{0}}, bt_cmd_config}

#define BT_CLI_CMD_KEYGEN                                                                        \
    {"keygen", "--out TÊN", "Tạo cặp khoá ký gói USB của phường: TÊN.key (bí mật) và TÊN.pub.",  \
     0, 0, {{"--out", "TÊN", "tên tệp khoá, không có đuôi (tạo TÊN.key và TÊN.pub)", false}},    \
     bt_cmd_keygen}

#define BT_CLI_CMD_PACK                                                                               \
    {"pack", "SRC DEST --key TÊN.key",                                                                \
     "Kiểm tra playlist SRC rồi đóng gói có chữ ký vào thư mục DEST (chép lên USB thành bangtin/).",  \
     2, 2, {{"--key", "TÊN.key", "khoá bí mật của phường", false}}, bt_cmd_pack}

#define BT_CLI_CMD_SCREENSHOT                                                                    \
    {"screenshot", "--playlist DIR [--at \"YYYY-MM-DD HH:MM\"] [--size WxH] -o FILE.png",         \
     "Lưu ảnh PNG đúng như màn hình hiển thị vào thời điểm chọn (không cần màn hình).", 0, 0,     \
     {{"--playlist", "DIR", "thư mục playlist (mặc định: playlist đang kích hoạt)", false},       \
      {"--at", "TIME", "thời điểm, giờ Việt Nam (mặc định: bây giờ)", false},                     \
      {"--size", "WxH", "kích thước ảnh (mặc định 1920x1080)", false},                            \
      {"-o", "FILE", "tệp PNG để ghi", false},                                                   \
      {"--notice", "ID", "chụp thông báo này thay vì thông báo đang đến lượt", false},           \
      {"--every-notice", NULL, "chụp từng thông báo của playlist; -o là một thư mục có sẵn, ảnh "  \
                               "tên SỐ-ID.png (để xem trước trước khi đóng gói)", false}},          \
     bt_cmd_screenshot}

#define BT_CLI_CMD_MEASURE                                                                      \
    {"measure", "FILE [--machine]",                                                              \
     "Đo độ to (LUFS), đỉnh, độ dài và mã SHA-256 của một tệp âm thanh.", 1, 1,                  \
     {{"--machine", NULL, "in một dòng kết quả cho chương trình khác đọc", false}},              \
     bt_cmd_measure}

#define BT_CLI_CMD_SPEAK                                                                        \
    {"speak", "\"VĂN BẢN\" -o TỆP.wav  |  --file TỆP.txt -o TỆP.wav",                             \
     "Đọc một bản tin văn bản thành tệp WAV đúng như máy sẽ phát, để nghe thử trước khi chép "   \
     "USB.",                                                                                     \
     0, 1,                                                                                       \
     {{"-o", "TỆP", "tệp WAV để ghi", false},                                                    \
      {"--file", "TỆP", "đọc văn bản từ tệp UTF-8 (\"-\": đầu vào chuẩn)", false},                \
      {"--target", "LUFS", "độ lớn cần đạt (mặc định: broadcast.loudness_target của máy)",       \
       false},                                                                                   \
      {"--machine", NULL, "in một dòng kết quả cho chương trình khác đọc", false}},              \
     bt_cmd_speak}

/* The whole decode of a video (cmd_video_check.c): check's child in the builds with video. */
int bt_cmd_video_check(bt_app *app, const cmd_args *a);
#define BT_CLI_CMD_VIDEO_CHECK                                                                  \
    {"video-check", "FILE [--machine]",                                                          \
     "Giải mã trọn một tệp video như máy làm khi nạp USB, báo tệp hỏng hay bị cắt.", 1, 1,       \
     {{"--machine", NULL, "in một dòng kết quả cho chương trình khác đọc", false}},              \
     bt_cmd_video_check}

#define BT_CLI_CMD_VERSION                                                                      \
    {"version", "", "In phiên bản.", 0, 0, {{0}}, bt_cmd_version}

/* The screen's commands this build has (screenshot; none without the screen), which the staff
 * tools' table lists after check (cmd_screenshot.c or screen_none.c). */
const command *bt_cli_screen_commands(size_t *count);
/* The audio's commands this build has (measure, speak; none without the audio), which the
 * staff tools' table lists after the screen's (audio_commands.c or audio_none.c), and what
 * they need set up first: the program a measuring or speaking child runs, and the voice data
 * shipped beside the program. */
const command *bt_cli_audio_commands(size_t *count);
void bt_cli_audio_start(void);
/* The video's commands this build has (video-check; none without video), which the staff
 * tools' table lists after the audio's (check_video.c or check_video_none.c). The appliance's
 * table lists video-check whatever the build. */
const command *bt_cli_video_commands(size_t *count);

/* Shared by the commands (cmd_screenshot.c). "WxH" between 320x240 and 16384x16384, else -1
 * after saying so on stderr. */
int bt_cli_parse_size(const char *s, int *w, int *h);
/* Loads a playlist and prints its problems to out; 0 if usable. */
int bt_cli_load_playlist_verbose(const char *dir, bt_playlist *p, FILE *out);
bt_wall bt_cli_wall_now(void);
/* Measures every broadcast item (duration, loudness, silence, hash) of a loaded playlist,
 * judges its silence and checks the ward's limits, which need the durations. Problems go to
 * diags; 0 if none is an error. */
int bt_cli_measure_broadcasts(bt_app *app, const char *dir, bt_playlist *p, bt_diags *d);

/* The loudspeaker item on air at a screenshot's moment: the kiosk's banner. */
typedef struct {
    bool on;
    bt_slot slot;                         /* its slot in the playlist's sessions */
    bt_wall started;                      /* its attempt's first item's start */
    char title[BT_MAX_TITLE_BYTES + 1];
} bt_cli_on_air;

/* What differs between the builds for screenshot: the active playlist's folder (the
 * appliance's store; the staff tools have none and say "--playlist") — 1 found, 0 none active,
 * -1 after saying why — and the state of `at` as the kiosk knew it then: what the airing log
 * says had happened by then, over the history the kiosk keeps (so a make-up of an earlier day
 * is listed), fed to sched when there is one, the item then on air in *air, and the results
 * notices filled as of `at` (the staff tools' PC has no log: nothing aired, and the results
 * notices say figures will come). */
int bt_cli_active_playlist_dir(bt_app *app, char *dir, size_t size);
void bt_cli_state_at(bt_app *app, bt_playlist *p, bt_wall at, bt_schedule *sched,
                     bt_cli_on_air *air);

#endif
