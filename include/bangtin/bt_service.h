/* The service protocol with systemd, a thin part of the app room: readiness, the watchdog and a
 * one-line status for `systemctl status` (sd_notify), and log lines that carry their priority
 * when stderr goes to the journal. Without systemd (no NOTIFY_SOCKET) every call does nothing,
 * so the kiosk runs the same from a terminal. */
#ifndef BT_SERVICE_H
#define BT_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bt_log.h"
#include "bt_time.h"

/* Reads the environment systemd gives a service (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID,
 * JOURNAL_STREAM). Call once, early, before threads start. */
void bt_service_init(void);
/* True when a service manager listens (NOTIFY_SOCKET is set): the kiosk then waits for a
 * missing display instead of exiting. */
bool bt_service_managed(void);
/* The service is up (the first frame is on screen): READY=1 with the status line. */
void bt_service_ready(const char *status);
/* The status line shown by `systemctl status bangtin`; sent only when it changed. */
void bt_service_status(const char *status);
/* Still starting (waiting for a display): asks systemd for `usec` more before it gives up. */
void bt_service_extend_start(uint64_t usec);
/* Called once per turn of the main loop, and only when every watched part is healthy: sends
 * WATCHDOG=1 at a third of the interval systemd asked for. Returns the ms until the next ping
 * is due (INT32_MAX without a watchdog), for the loop's sleep. */
int bt_service_watchdog(bt_mono_ns now);
/* True when bt_service_watchdog would ping now (a watchdog is asked for and its time came). */
bool bt_service_watchdog_due(bt_mono_ns now);
/* The log sink for the CLI and the kiosk: "bangtin[level]: line" on `out`, prefixed with the
 * syslog priority ("<4>") when `out` is the journal's stream, so that
 * `journalctl -p warning -u bangtin` shows the warnings. ctx is the FILE*. */
void bt_service_log_sink(void *ctx, bt_log_level level, const char *line);

/* For tests and faults: a main loop told to hang stops turning after `seconds` (from
 * BANGTIN_TEST_FAULT=hang-loop:SECONDS), as a stuck SQLite call or a deadlock would; the
 * watchdog must then get the process restarted. 0 = no such fault. */
double bt_service_fault_hang_after(void);

#endif
