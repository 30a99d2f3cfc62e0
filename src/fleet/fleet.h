/* bangtin-fleet (issue 16, point 3): the city's view of every ward's appliance, in PostgreSQL.
 * Private to src/fleet: the schema and its migrations (fleet_db.c), enrolment and ingesting
 * signed exports (fleet_ingest.c), the city's report (fleet_report.c), the command line
 * (fleet_main.c). The appliance links none of it (docs/fleet.md). */
#ifndef BT_FLEET_H
#define BT_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "bangtin/bt_time.h"

/* Errors for a person: Vietnamese, naming the device, the file and the row. */
#define FLEET_ERR_BYTES 2048

/* Connects to url (a libpq connection string or URI). NULL with err. */
PGconn *fleet_connect(const char *url, char *err, size_t err_size);
/* Brings the schema to the latest step, each step in its own transaction. *version: the
 * version now. 0 / -1 with err. */
int fleet_migrate(PGconn *db, int *version, char *err, size_t err_size);
/* The schema's version (0: not initialised); -1 on error. */
int fleet_schema_version(PGconn *db);
int fleet_schema_latest(void);
/* Runs sql with text parameters; the result (caller PQclear's), or NULL with err when it did
 * not return `want` (PGRES_COMMAND_OK or PGRES_TUPLES_OK). */
PGresult *fleet_exec(PGconn *db, ExecStatusType want, char *err, size_t err_size, const char *sql,
                     int n, const char *const *params);
/* "; " + the server's first message line (English from PostgreSQL: kept for IT). */
const char *fleet_pg_error(PGconn *db, char *buf, size_t size);

/* `enroll`: registers the device whose KEY.pub is at pub_path for ward. */
int fleet_enroll(PGconn *db, const char *ward, const char *pub_path, char *msg, size_t msg_size);

typedef enum {
    FLEET_INGEST_LOADED,    /* rows added */
    FLEET_INGEST_NOTHING,   /* the same export again: nothing added */
    FLEET_INGEST_REFUSED,   /* wrong signature, unknown key, gap, edited row, replay … */
    FLEET_INGEST_FAILED     /* the database or the file could not be read or written */
} fleet_ingest_outcome;

typedef struct {
    int64_t airing_rows, clock_rows, impression_rows, other_rows;
} fleet_ingest_counts;

/* One export (path and path.sig): checked, then loaded in one transaction. msg says what
 * happened in Vietnamese. */
fleet_ingest_outcome fleet_ingest(PGconn *db, const char *path, fleet_ingest_counts *counts,
                                  char *msg, size_t msg_size);

typedef enum { FLEET_REPORT_CSV, FLEET_REPORT_XLSX, FLEET_REPORT_HTML } fleet_report_format;

/* The city's report of period p into out_path. now: "as of" for the wards' last reports. */
int fleet_report(PGconn *db, const bt_period *p, fleet_report_format f, const char *out_path,
                 bt_wall now, char *err, size_t err_size);
/* `status`: devices, last export, gaps — printed to stdout. */
int fleet_status(PGconn *db, bt_wall now, char *err, size_t err_size);

#endif
