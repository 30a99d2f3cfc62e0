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

/* Creates the data directory (and parents) if missing; 0 on success. */
int bt_app_ensure_dir(const char *dir);
/* Opens the store in the data directory; prints a Vietnamese message and returns NULL on error. */
struct bt_store *bt_app_open_store(const bt_app *app);

#endif
