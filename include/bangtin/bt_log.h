/* One log module with levels for the operator (journalctl), separate from user-facing
 * diagnostics (bt_diag.h). Core only formats; where the lines go is the shell's choice through
 * a sink it installs (the app installs stderr; tests may capture). No sink = lines dropped. */
#ifndef BT_LOG_H
#define BT_LOG_H

#include <stdbool.h>

typedef enum { BT_LOG_DEBUG, BT_LOG_INFO, BT_LOG_WARN, BT_LOG_ERROR } bt_log_level;

typedef void (*bt_log_sink)(void *ctx, bt_log_level level, const char *line);

void bt_log_set_sink(bt_log_sink sink, void *ctx);
void bt_log_set_level(bt_log_level min_level);
/* "debug" | "info" | "warn" | "error" → 0 and *out; -1 if unknown. */
int bt_log_level_parse(const char *name, bt_log_level *out);
void bt_log(bt_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line told to the log as a warning, or else as debug: for the platform layer's module loader
 * (bt_os_module_once), which has no log of its own. */
void bt_log_note(bool warning, const char *line);

#define bt_log_debug(...) bt_log(BT_LOG_DEBUG, __VA_ARGS__)
#define bt_log_info(...) bt_log(BT_LOG_INFO, __VA_ARGS__)
#define bt_log_warn(...) bt_log(BT_LOG_WARN, __VA_ARGS__)
#define bt_log_error(...) bt_log(BT_LOG_ERROR, __VA_ARGS__)

#endif
