/* The app room: CLI subcommands and the kiosk loop. The only room that knows all others. */
#ifndef BT_APP_H
#define BT_APP_H

#include "bt_config.h"

#define BT_DEMO_PREVIEW_DIR "preview"

typedef struct {
    bt_config cfg;
    const char *config_path; /* NULL = embedded defaults */
    const char *data_dir;    /* resolved: --data, else the config's data_dir */
} bt_app;

/* Entry point of the bangtin binary; returns the process exit status. */
int bt_app_main(int argc, char **argv);

typedef struct {
    const char *playlist_dir; /* NULL = the store's active playlist */
    int width, height;        /* 0 = config / display */
    bool windowed;
    double duration_seconds;  /* > 0: exit cleanly after this long (tests, benchmarks) */
} bt_kiosk_options;

/* Runs the lobby screen until quit. With no display, renders previews and returns 0. */
int bt_kiosk_run(bt_app *app, const bt_kiosk_options *opt);

/* Subcommands that live in their own files (src/app/cmd_*.c); the parsed arguments are a
 * bt_cli_args (bt_cli.h). Each returns the process exit status. */
struct bt_cli_args;
/* `bangtin log [--from D] [--to D]` lists airings; `bangtin log verify` checks the hash chains
 * (exit 1 and every problem, naming its row, when the log was edited or rows were deleted). */
int bt_cmd_log(bt_app *app, const struct bt_cli_args *a);
/* `bangtin report --period 2025-Q4|2025-11|2025-9M|2025|A..B --format csv|xlsx|html [-o FILE]`
 * writes the culture department's report of that period (src/app/cmd_report.c). */
int bt_cmd_report(bt_app *app, const struct bt_cli_args *a);
/* USB packages (src/app/cmd_usb.c, usb room): `keygen --out NAME` writes the ward's Ed25519
 * key pair; `pack SRC DEST --key NAME.key` validates a playlist and writes the signed package
 * folder; `import DIR [--force]` imports a package (the stick's bangtin/ folder) atomically;
 * `rollback` returns to the previous imported playlist. */
int bt_cmd_keygen(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_pack(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_import(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_rollback(bt_app *app, const struct bt_cli_args *a);

/* Creates the data directory (and parents) if missing; 0 on success. */
int bt_app_ensure_dir(const char *dir);
/* Opens the store in the data directory; prints a Vietnamese message and returns NULL on error. */
struct bt_store *bt_app_open_store(const bt_app *app);

#endif
