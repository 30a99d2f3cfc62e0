/* The app room: CLI subcommands and the kiosk loop. The only room that knows all others. */
#ifndef BT_APP_H
#define BT_APP_H

#include "bt_config.h"

struct bt_store;
#include "bt_time.h"

#define BT_DEMO_PREVIEW_DIR "preview"

typedef struct {
    bt_config cfg;
    const char *config_path; /* the file in force; NULL = embedded defaults */
    size_t config_errors;    /* errors in that file (only `doctor` runs despite them) */
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
/* `bangtin report --period 2025-Q4|2025-11|2025-9M|2025|A..B --format csv|xlsx|html|docx [-o FILE]`
 * writes the culture department's report of that period (src/app/cmd_report.c). */
int bt_cmd_report(bt_app *app, const struct bt_cli_args *a);
/* `bangtin export -o FILE [--from D --to D]` (src/app/cmd_export.c): the signed export for the
 * city (bt_export.h), FILE and FILE.sig. */
int bt_cmd_export(bt_app *app, const struct bt_cli_args *a);
/* USB packages (src/app/cmd_usb.c, usb room): `keygen --out NAME` writes the ward's Ed25519
 * key pair; `pack SRC DEST --key NAME.key` validates a playlist and writes the signed package
 * folder; `import DIR [--force]` imports a package (the stick's bangtin/ folder) atomically;
 * `rollback` returns to the previous imported playlist. */
int bt_cmd_keygen(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_pack(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_import(bt_app *app, const struct bt_cli_args *a);
int bt_cmd_rollback(bt_app *app, const struct bt_cli_args *a);
/* `bangtin doctor` (src/app/cmd_doctor.c): checks a freshly installed appliance — display, audio
 * devices, trusted keys, data directory and store, clock, fonts, USB mount roots — one line per
 * check, and changes nothing. Exit 0 when no check failed (warnings allowed), else 1. */
int bt_cmd_doctor(bt_app *app, const struct bt_cli_args *a);
/* `bangtin status [--json]` (src/app/cmd_status.c): the staff panel's facts for the console —
 * active playlist, last import, next broadcast, clock trust, disk, targets. Exit 1 when there is
 * no store (none is created) or it cannot be read. */
int bt_cmd_status(bt_app *app, const struct bt_cli_args *a);

/* A private copy in memory of the data directory's store, for commands that only look (doctor,
 * status): the file is read through a read-only connection that creates nothing (no -wal/-shm
 * beside a store the kiosk's user owns, no migration of an older store), then every store query
 * runs on the copy. 1 with *out (close with bt_store_close), 0 when there is no store file (err
 * says where it was looked for), -1 with a Vietnamese err. quick_check (may be NULL) receives
 * "ok" or SQLite's first complaint about the file (PRAGMA quick_check). One snapshot at a time in
 * a process: the copy has one name (src/app/cmd_status.c). */
int bt_app_open_store_snapshot(const bt_app *app, struct bt_store **out, char *quick_check,
                               size_t quick_check_size, char *err, size_t err_size);

/* A start-up clock this far before the log's last row was set back; less is the write's own
 * latency or an NTP nudge (the kiosk's start-up check allows the same). */
#define BT_APP_CLOCK_SLACK_MS (60 * 1000)
/* The service's runtime folder (packaging/bangtin.service: RuntimeDirectory=bangtin), where the
 * kiosk's store writer keeps rows the database refuses; commands run by hand look there. */
#define BT_APP_RUNTIME_DIR "/run/bangtin"

/* Whether the wall clock can be believed, by what is known without a network: */
typedef struct {
    bt_wall now;
    bt_day build_day;      /* the day this bangtin was compiled: no real clock is earlier */
    int64_t log_last_ms;   /* the airing log's last row (bt_airing_last_time_ms); 0 = none */
    bool before_build;     /* now is before build_day: a flat RTC battery, never set */
    bool behind_log;       /* now is more than BT_APP_CLOCK_SLACK_MS before log_last_ms */
} bt_app_clock;

/* Fills *out for `now`; store may be NULL (no log to compare with). */
void bt_app_clock_check(struct bt_store *store, bt_wall now, bt_app_clock *out);

/* Creates the data directory (and parents) if missing; 0 on success. */
int bt_app_ensure_dir(const char *dir);
/* Opens the store in the data directory, creating both if missing; prints a Vietnamese message
 * and returns NULL on error. */
struct bt_store *bt_app_open_store(const bt_app *app);
/* The same for commands that only read or report: a missing store is said, never created. */
struct bt_store *bt_app_open_existing_store(const bt_app *app);

#endif
