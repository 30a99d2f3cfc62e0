/* The command table's shape, private to the app room. cli.c parses the command line against
 * whichever table the build has: the appliance's (commands.c) or the staff tools' alone
 * (commands_staff.c, the build without the kiosk, e.g. bangtin.exe for Windows). The commands
 * both builds have are written once, below, so they read the same in both. */
#ifndef BT_APP_CLI_INTERNAL_H
#define BT_APP_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"

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
    const char *summary; /* one line, Vietnamese */
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

/* Handlers both builds share (cmd_check.c; cli.c). */
int bt_cmd_check(bt_app *app, const cmd_args *a);
int bt_cmd_config(bt_app *app, const cmd_args *a);
int bt_cmd_version(bt_app *app, const cmd_args *a);

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

#define BT_CLI_CMD_VERSION                                                                      \
    {"version", "", "In phiên bản.", 0, 0, {{0}}, bt_cmd_version}

#endif
