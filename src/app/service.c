/* The service protocol with systemd (bt_service.h): sd_notify from libsystemd for READY=1,
 * STATUS= and WATCHDOG=1, and journald priorities on log lines. The watchdog is pinged from the
 * kiosk's main loop itself, never from a thread of its own, so a loop that stops turning (a
 * stuck SQLite call, a deadlock, an endless redraw) stops the pings and systemd restarts it. */
#include "bangtin/bt_service.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <systemd/sd-daemon.h>

/* Pings per watchdog interval: one late turn (a slow first measure, a stick's first read)
 * must not cost a restart, so the loop pings three times as often as systemd requires. */
#define WATCHDOG_PINGS_PER_INTERVAL 3
/* Longest status line kept for comparison; systemd shows one line anyway. */
#define STATUS_BYTES 256

static struct {
    bool managed;         /* NOTIFY_SOCKET is set */
    bool journal;         /* stderr is the journal's stream */
    uint64_t watchdog_us; /* 0: no watchdog asked for */
    bt_mono_ns next_ping;
    char status[STATUS_BYTES];
    double hang_after;
} service;

/* JOURNAL_STREAM is "DEV:INODE" of the journal's socket; stderr is that stream only if its own
 * device and inode match (a shell started from the service would inherit the variable). */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) != 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static double parse_hang_fault(void)
{
    const char *fault = getenv("BANGTIN_TEST_FAULT");
    double seconds = 0;
    if (fault && sscanf(fault, "hang-loop:%lf", &seconds) == 1 && seconds > 0)
        return seconds;
    return 0;
}

void bt_service_init(void)
{
    const char *socket = getenv("NOTIFY_SOCKET");
    service.managed = socket && *socket;
    service.journal = stderr_is_journal();
    uint64_t usec = 0;
    /* > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID, if set, is this process. */
    service.watchdog_us = sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
    service.next_ping = 0;
    service.status[0] = '\0';
    service.hang_after = parse_hang_fault();
}

bool bt_service_managed(void)
{
    return service.managed;
}

void bt_service_ready(const char *status)
{
    if (!service.managed)
        return;
    snprintf(service.status, sizeof service.status, "%s", status);
    sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void bt_service_status(const char *status)
{
    if (!service.managed || strcmp(status, service.status) == 0)
        return;
    snprintf(service.status, sizeof service.status, "%s", status);
    sd_notifyf(0, "STATUS=%s", status);
}

void bt_service_extend_start(uint64_t usec)
{
    if (service.managed)
        sd_notifyf(0, "EXTEND_TIMEOUT_USEC=%llu", (unsigned long long)usec);
}

bool bt_service_watchdog_due(bt_mono_ns now)
{
    return service.managed && service.watchdog_us && now >= service.next_ping;
}

int bt_service_watchdog(bt_mono_ns now)
{
    if (!service.managed || !service.watchdog_us)
        return INT_MAX;
    bt_mono_ns every = (bt_mono_ns)(service.watchdog_us / WATCHDOG_PINGS_PER_INTERVAL) * 1000;
    if (now >= service.next_ping) {
        sd_notify(0, "WATCHDOG=1");
        service.next_ping = now + every;
    }
    int64_t ms = (service.next_ping - now) / 1000000;
    return ms < 1 ? 1 : ms > INT_MAX ? INT_MAX : (int)ms;
}

void bt_service_log_sink(void *ctx, bt_log_level level, const char *line)
{
    /* Staff running a command read these lines too: the level in Vietnamese. */
    static const char *const names[] = {"gỡ lỗi", "thông tin", "cảnh báo", "lỗi"};
    /* sd-daemon.h's SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR for the same levels. */
    static const char *const priorities[] = {SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR};
    FILE *out = ctx ? ctx : stderr;
    fprintf(out, "%sbangtin[%s]: %s\n", service.journal ? priorities[level] : "", names[level],
            line);
}

double bt_service_fault_hang_after(void)
{
    return service.hang_after;
}
