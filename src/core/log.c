/* Leveled operator log. Formats into a bounded buffer and hands the line to the installed sink;
 * core never decides where logs go. */
#include "bangtin/bt_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Longer lines are truncated: a log line is for a human reading journalctl. */
#define BT_LOG_LINE_BYTES 1024

static bt_log_sink log_sink;
static void *log_ctx;
static bt_log_level log_min = BT_LOG_INFO;

void bt_log_set_sink(bt_log_sink sink, void *ctx)
{
    log_sink = sink;
    log_ctx = ctx;
}

void bt_log_set_level(bt_log_level min_level)
{
    log_min = min_level;
}

int bt_log_level_parse(const char *name, bt_log_level *out)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++) {
        if (name && strcmp(name, names[i]) == 0) {
            *out = (bt_log_level)i;
            return 0;
        }
    }
    return -1;
}

void bt_log(bt_log_level level, const char *fmt, ...)
{
    if (!log_sink || level < log_min)
        return;
    char line[BT_LOG_LINE_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    log_sink(log_ctx, level, line);
}

void bt_log_note(bool warning, const char *line)
{
    bt_log(warning ? BT_LOG_WARN : BT_LOG_DEBUG, "%s", line);
}
