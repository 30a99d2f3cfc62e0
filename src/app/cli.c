/* Command line: global options, parsing against this build's command table (cli_internal.h)
 * and the start every command shares: arguments, configuration, data folder.
 * Every subcommand accepts --config FILE, --data DIR and --help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/bt_app.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_os.h"

#include "cli_internal.h"

static void print_global_options(FILE *out)
{
    fprintf(out, "Tuỳ chọn chung (mọi lệnh):\n"
                 "  --config FILE   tệp cấu hình (mặc định: $BANGTIN_CONFIG, rồi %s nếu có,\n"
                 "                  không thì cấu hình nhúng sẵn)\n"
                 "  --data DIR      thư mục dữ liệu (ghi đè data_dir trong cấu hình)\n"
                 "  --help          hướng dẫn;  --version  phiên bản\n", BT_SYSTEM_CONFIG);
}

static void print_usage(FILE *out)
{
    fprintf(out, "bangtin — bảng tin cải cách hành chính cho phường (màn hình sảnh, loa phường)\n\n"
                 "Cách dùng: bangtin [--config FILE] [--data DIR] <lệnh> [tuỳ chọn]\n\nCác lệnh:\n");
    size_t count = 0;
    const command *commands = bt_cli_commands(&count);
    for (size_t i = 0; i < count; i++)
        if (commands[i].summary)
            fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n");
    print_global_options(out);
    fprintf(out, "\n\"bangtin <lệnh> --help\" cho chi tiết từng lệnh.\n");
}

static void print_command_help(const command *c, FILE *out)
{
    fprintf(out, "Cách dùng: bangtin %s %s\n%s\n\n", c->name, c->usage,
            c->summary ? c->summary : "Tiến trình con của chính chương trình, không để gọi tay.");
    if (c->opts[0].name) {
        fprintf(out, "Tuỳ chọn:\n");
        for (int i = 0; i < BT_CLI_MAX_OPTS && c->opts[i].name; i++) {
            char left[48];
            snprintf(left, sizeof left, "%s%s%s", c->opts[i].name, c->opts[i].arg ? " " : "",
                     c->opts[i].arg ? c->opts[i].arg : "");
            fprintf(out, "  %-20s %s\n", left, c->opts[i].help);
        }
        fprintf(out, "\n");
    }
    print_global_options(out);
}

static int find_opt(const command *c, const char *name, size_t len)
{
    for (int i = 0; i < BT_CLI_MAX_OPTS && c->opts[i].name; i++) {
        if (strlen(c->opts[i].name) == len && strncmp(c->opts[i].name, name, len) == 0)
            return i;
    }
    return -1;
}

/* Takes the value of "--x VALUE" or "--x=VALUE"; advances *i past a separate value. */
static const char *option_value(int argc, char **argv, int *i, const char *eq)
{
    if (eq)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* Parses argv after the program name. Returns the command, or NULL after printing why.
 * *exit_code is set when the process should stop (help printed or an error). */
static const command *parse_args(int argc, char **argv, bt_app *app, cmd_args *args,
                                 int *exit_code)
{
    const command *cmd = NULL;
    bool want_help = false;
    memset(args, 0, sizeof *args);
    *exit_code = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = arg[0] == '-' ? strchr(arg, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            want_help = true;
        } else if (!cmd && strcmp(arg, "--version") == 0) {
            printf("bangtin %s\n", BT_VERSION);
            *exit_code = 0;
            return NULL;
        } else if (strncmp(arg, "--config", name_len) == 0 && name_len == 8) {
            if (!(app->config_path = option_value(argc, argv, &i, eq)))
                goto missing;
        } else if (strncmp(arg, "--data", name_len) == 0 && name_len == 6) {
            if (!(app->data_dir = option_value(argc, argv, &i, eq)))
                goto missing;
        } else if (!cmd && arg[0] != '-') {
            size_t count = 0;
            const command *commands = bt_cli_commands(&count);
            for (size_t c = 0; c < count; c++) {
                if (strcmp(commands[c].name, arg) == 0)
                    cmd = &commands[c];
            }
            if (!cmd) {
                fprintf(stderr, "bangtin: không có lệnh \"%s\". Xem \"bangtin --help\".\n", arg);
                *exit_code = 2;
                return NULL;
            }
        } else if (cmd && arg[0] == '-' && arg[1] != '\0') {
            int o = find_opt(cmd, arg, name_len);
            if (o < 0) {
                fprintf(stderr, "bangtin %s: không có tuỳ chọn \"%.*s\". Xem \"bangtin %s --help\".\n",
                        cmd->name, (int)name_len, arg, cmd->name);
                *exit_code = 2;
                return NULL;
            }
            if (cmd->opts[o].arg) {
                if (!(args->values[o] = option_value(argc, argv, &i, eq)))
                    goto missing;
                if (cmd->opts[o].repeat && args->repeated_count < BT_CLI_MAX_REPEATED)
                    args->repeated[args->repeated_count++] = args->values[o];
            } else {
                args->values[o] = "1";
            }
        } else if (cmd && args->positional_count < BT_CLI_MAX_POSITIONAL) {
            args->positional[args->positional_count++] = arg;
        } else {
            fprintf(stderr, "bangtin: tham số thừa \"%s\".\n", arg);
            *exit_code = 2;
            return NULL;
        }
        continue;
    missing:
        fprintf(stderr, "bangtin: tuỳ chọn \"%.*s\" cần một giá trị.\n", (int)name_len, arg);
        *exit_code = 2;
        return NULL;
    }
    if (want_help || !cmd) {
        if (cmd)
            print_command_help(cmd, stdout);
        else
            print_usage(want_help ? stdout : stderr);
        *exit_code = want_help ? 0 : 2;
        return NULL;
    }
    if (args->positional_count < cmd->min_positional ||
        args->positional_count > cmd->max_positional) {
        fprintf(stderr, "Cách dùng: bangtin %s %s\n", cmd->name, cmd->usage);
        *exit_code = 2;
        return NULL;
    }
    args->cmd = cmd;
    return cmd;
}

const char *bt_cli_opt(const bt_cli_args *a, const char *name)
{
    int i = find_opt(a->cmd, name, strlen(name));
    return i >= 0 ? a->values[i] : NULL;
}

void bt_cli_print_diags(bt_diags *d, FILE *out)
{
    char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
    bt_diags_sort(d);
    for (size_t i = 0; i < d->count; i++)
        fprintf(out, "%s\n", bt_diag_format(&d->items[i], line, sizeof line));
    if (d->dropped)
        fprintf(out, "... và %zu vấn đề khác (sửa các lỗi trên rồi kiểm tra lại)\n", d->dropped);
}

int bt_cmd_config(bt_app *app, const cmd_args *a)
{
    if (a->positional_count == 0) {
        if (app->config_path)
            printf("Cấu hình đang dùng: tệp \"%s\".\n\n", app->config_path);
        else
            printf("Cấu hình đang dùng: cấu hình nhúng sẵn (không có tệp %s).\n\n",
                   BT_SYSTEM_CONFIG);
        bt_config_print_reference(stdout);
        return 0;
    }
    bt_config cfg;
    bt_diags d;
    bt_diags_init(&d);
    int rc = bt_config_load(&cfg, a->positional[0], &d);
    bt_cli_print_diags(&d, stdout);
    if (rc == 0)
        printf("Tệp cấu hình \"%s\" hợp lệ.\n", a->positional[0]);
    bt_diags_free(&d);
    return rc == 0 ? 0 : 1;
}

int bt_cmd_version(bt_app *app, const cmd_args *a)
{
    (void)app;
    (void)a;
    printf("bangtin %s\n", BT_VERSION);
    return 0;
}

int bt_app_main(int argc, char **argv)
{
    static bt_app app;
    cmd_args args;
    int exit_code;
    /* Windows: UTF-8 arguments and console; nothing on the appliance. */
    bt_os_init(&argc, &argv);
    bt_cli_start();
    const command *cmd = parse_args(argc, argv, &app, &args, &exit_code);
    if (!cmd)
        return exit_code;
    if (!app.config_path)
        app.config_path = getenv("BANGTIN_CONFIG");
    /* An installed appliance has its configuration in /etc; a developer's machine without it
     * runs on the embedded defaults. */
    if (!app.config_path && access(BT_SYSTEM_CONFIG, F_OK) == 0)
        app.config_path = BT_SYSTEM_CONFIG;
    if (app.config_path && !*app.config_path)
        app.config_path = NULL; /* BANGTIN_CONFIG= : the embedded defaults, on purpose */
    if (app.config_path) {
        bt_diags d;
        bt_diags_init(&d);
        int rc = bt_config_load(&app.cfg, app.config_path, &d);
        bt_cli_print_diags(&d, stderr);
        app.config_errors = d.errors;
        bt_diags_free(&d);
        /* The installer's check goes on with the defaults and reports the file among its lines;
         * every other command stops. */
        if (rc != 0 && bt_cli_runs_on_bad_config(cmd)) {
            bt_config_defaults(&app.cfg);
        } else if (rc != 0) {
            fprintf(stderr, "bangtin: tệp cấu hình \"%s\" có lỗi; sửa rồi chạy lại.\n",
                    app.config_path);
            return 1;
        }
    } else {
        bt_config_defaults(&app.cfg);
    }
    if (!app.data_dir)
        app.data_dir = app.cfg.data_dir;
    return cmd->run(&app, &args);
}
