/* Reports for the culture department (src/report): targets met per period, the airing list,
 * missed and interrupted airings with their reasons, and screen exposure per notice — as CSV
 * (opens in a Vietnamese-locale Excel by double-click: UTF-8 with BOM, ';' between fields,
 * decimal commas, CRLF, formula-safe), XLSX (a summary sheet and detail
 * sheets, Vietnamese headers) or one printable, self-contained HTML file with an SVG chart.
 * Every report states the ward, the period, the device, when it was made and whether the
 * airing log's hash chain verifies.
 *
 * A report is built once from the store (bt_report_build) and then saved in any format
 * (bt_report_save), so the three files of one import carry the same figures. */
#ifndef BT_REPORT_H
#define BT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "bt_airing.h"
#include "bt_records.h"
#include "bt_store.h"
#include "bt_targets.h"
#include "bt_time.h"

/* HTML and DOCX are the báo cáo document in the form of Nghị định 30/2020/NĐ-CP (report_doc.c):
 * masthead, written summary, the targets' table and chart, nơi nhận and signature, and an annex
 * per month and session; the row-by-row lists are in the CSV and XLSX only. */
typedef enum {
    BT_REPORT_CSV = 0,
    BT_REPORT_XLSX = 1,
    BT_REPORT_HTML = 2,
    BT_REPORT_DOCX = 3
} bt_report_format;

/* A notice whose average time on screen over its posting days falls below this is listed as
 * under-exposed: a 15 s slide in a rotation of 20 gets about two hours a day, so ten minutes a
 * day means it was barely shown (screen off, wrong hours, a crowded rotation). */
#define BT_REPORT_DEFAULT_MIN_MINUTES_PER_DAY 10

/* "2025-Q4", "2025-11", "2025-9M", "2025", "2025-10-01..2025-12-31" (either date form of
 * bt_time_parse_date on both sides, first <= last; at most BT_REPORT_MAX_RANGE_DAYS days) into a
 * period (kind BT_PERIOD_DAY for a range). 0, or -1 if malformed. */
int bt_report_period_parse(const char *text, bt_period *out);
/* The code of a period as parsed above ("2025-Q4" …), for file names. Returns buf. */
const char *bt_report_period_code(const bt_period *p, char *buf, size_t size);
/* "bao-cao-2025-Q4.xlsx": the file name a report of that period and format gets. Returns buf. */
const char *bt_report_file_name(const bt_period *p, bt_report_format f, char *buf, size_t size);
/* "csv" | "xlsx" | "html" | "docx" */
int bt_report_format_parse(const char *name, bt_report_format *out);
const char *bt_report_format_name(bt_report_format f);

/* A report covers at most ten years: beyond that it is a typo, not a request. */
#define BT_REPORT_MAX_RANGE_DAYS 3660

/* The document's fixed parts, as the ward writes them (config `report.*`). Every field may be
 * NULL or "": the document then derives what it can from the ward's name. */
typedef struct {
    const char *issuer;       /* the body that reports, as a sentence writes it: "Ủy ban nhân
                               * dân phường Bạch Mai"; printed in capitals in the masthead */
    const char *parent;       /* the body above it, printed over it; "" = none */
    const char *place;        /* the place of the date line: "Bạch Mai" */
    const char *symbol;       /* after "Số: …/": "BC-UBND" */
    const char *signer_title; /* lines split by '/': "TM. ỦY BAN NHÂN DÂN/KT. CHỦ TỊCH/PHÓ CHỦ
                               * TỊCH" */
    const char *signer_name;  /* "" = left blank, to be written by hand */
    const char *recipients;   /* nơi nhận, split by ';': "Phòng Văn hóa - Xã hội;Lưu: VT" */
} bt_report_document;

/* A name a person reads for an id the log keeps ("ban-tin-sang" → "Bản tin sáng"). */
typedef struct {
    const char *id;
    const char *label;
} bt_report_label;

/* A forecast (`bangtin report --plan DIR`): the report of a period built from a simulation of a
 * playlist (bt_simulate_airings) after `from`, beside the real log before it when there is a
 * store. Its title and every format say "Dự kiến". Everything is borrowed until build returns. */
typedef struct {
    const bt_targets *targets;        /* the plan's targets, counted instead of the stored history */
    const bt_records *records;        /* the plan's staff records, beside the stored ones (may be NULL) */
    const bt_broadcasts *broadcasts;  /* the plan's loudspeaker part, which the airings index */
    const char *playlist_id;          /* the plan, as its rows and the report name it */
    int playlist_version;
    const bt_sim_airing *airings;     /* simulated, in slot order; those before `from` are ignored */
    size_t airing_count;
    bt_wall from;                     /* the real log counts before it, the simulation from it */
    const char *off_text;             /* the power-off ranges simulated, in words; NULL or "" = none */
} bt_report_forecast;

typedef struct {
    const char *ward;             /* the ward's name (config ward_name); NULL = "" */
    bt_report_document document;  /* the báo cáo's masthead, signature and nơi nhận */
    const char *device;           /* NULL = this machine's host name */
    const char *device_label;     /* what the ward calls the appliance (config device_label):
                                   * "Máy bảng tin sảnh Một cửa (host)"; NULL or "" = none */
    /* Names of the log's ids, from the playlist (borrowed until build returns): sessions and
     * playlists. An id without a name is shown as it is. */
    const bt_report_label *session_labels;
    size_t session_label_count;
    const bt_report_label *playlist_labels;
    size_t playlist_label_count;
    bt_wall generated_at;         /* 0 = now (the clock is read here: a shell room) */
    int min_minutes_per_day;      /* <= 0 = BT_REPORT_DEFAULT_MIN_MINUTES_PER_DAY */
    /* What is still to come, for "at risk" (see bt_target_inputs); borrowed until build
     * returns. The app derives the loudspeaker part from the active playlist's schedule. */
    const bt_target_airing *upcoming_airings;
    size_t upcoming_airing_count;
    bool loudspeaker_upcoming_known;
    const bt_target_exposure *upcoming_exposure;
    size_t upcoming_exposure_count;
    bool screen_upcoming_known;
    /* The airing log's hash-chain check (bt_airing_verify) when the caller has just run it:
     * walking five years of log takes longer than building a report, so a caller writing
     * several reports at once (the USB import: two quarters × three formats) checks once and
     * passes the result to each. NULL = the report checks the log itself. */
    const bt_airing_verify_result *log_check;
    /* How the CSV splits its fields: ';' (0 = this default) for the Excel of a Vietnamese-locale
     * Windows, which opens the file by double-click with ';' as its list separator and the comma
     * as its decimal mark; ',' for tools and other locales (decimals then with a point). */
    char csv_separator;
    /* Set: a forecast (see bt_report_forecast); the store may then be NULL (no real log). */
    const bt_report_forecast *forecast;
} bt_report_options;

typedef struct bt_report bt_report;

/* Gathers everything a report of period p says (opt may be NULL: defaults). s may be NULL only
 * for a forecast. On failure returns -1 with a Vietnamese message in err, *out NULL. */
int bt_report_build(bt_store *s, const bt_period *p, const bt_report_options *opt,
                    bt_report **out, char *err, size_t err_size);
/* Writes the report to path in format f, through a temporary file renamed into place, so a
 * half-written report never replaces a good one. 0, or -1 with a Vietnamese message in err. */
int bt_report_save(const bt_report *r, bt_report_format f, const char *path, char *err,
                   size_t err_size);
void bt_report_destroy(bt_report *r); /* NULL is fine */

/* Build and save in one call (the USB import writes reports with this). Errors go to the log. */
int bt_report_write(bt_store *s, const bt_period *p, bt_report_format f, const char *path,
                    const bt_report_options *opt);

/* Progress of every target in force on the day of `now`, each in its period containing that day
 * (the staff panel, the results notices), as of `now`: airings that began later and impressions
 * of later days are not counted. Reads the targets' history, the airing log and the
 * impressions, without the hash-chain check. opt may be NULL (only its upcoming_* fields are used). *targets and *out are
 * the caller's (bt_targets_free, free); the rows borrow from *targets. 0 / -1. */
int bt_report_progress_today(bt_store *s, bt_wall now, const bt_report_options *opt,
                             bt_targets *targets, bt_target_progress **out, size_t *count);

/* Every day a report of period p reads for targets t: the periods of t's kinds that meet p (a
 * quarter's target in a month's report counts its whole quarter). A forecast simulates these. */
void bt_report_days_reached(const bt_targets *t, const bt_period *p, bt_day *first,
                            bt_day *last);

/* The progress rows of a built report, in report order (borrowed; valid until destroy). */
const bt_target_progress *bt_report_progress(const bt_report *r, size_t *count);
/* Whether the airing log's hash chain verified when the report was built (true for a forecast
 * without a store: there was no log to doubt). */
bool bt_report_log_intact(const bt_report *r);
/* A progress row's state as the report words it: "đã đạt"; in a forecast "đã đạt (dự kiến)", and
 * for a screen target not met "chưa dự kiến được (màn hình không được mô phỏng)". Returns buf. */
const char *bt_report_state_text(const bt_report *r, const bt_target_progress *p, char *buf,
                                 size_t size);
/* Whether the report is a forecast ("Dự kiến"). */
bool bt_report_is_forecast(const bt_report *r);

#endif
