/* Reports onto the stick with every USB import (issue 5, point 6): the current and the previous
 * quarter in CSV and XLSX (the figures) and as the báo cáo in HTML (to print) and DOCX (to edit
 * and file), beside the receipt in the stick's results folder. Each report is
 * built once from the store and saved in the four formats to a temporary file on the appliance's
 * own disk, then copied onto the stick with bt_usb_write_atomic (temp file, fsync, rename), so a
 * stick pulled out mid-write never holds half a report, and a read-only or full stick gets the
 * usb room's plain Vietnamese reason. The results folder is the usb room's
 * (bt_usb_results_open): nothing is written through a symlink on the stick. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/bt_airing.h"
#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_playlist.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_report_upcoming.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_targets_store.h"

/* A report file is a few hundred kB at most (a quarter of airings); this bounds the read back. */
#define STICK_REPORT_MAX_BYTES (64L * 1024 * 1024)
/* Slots looked at for "at risk": the rest of two quarters of the busiest allowed schedule. */
#define STICK_UPCOMING_SLOT_CAP (184 * 24)

static char *read_small_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto done;
    long size = ftell(f);
    if (size < 0 || size > STICK_REPORT_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0)
        goto done;
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        *len = (size_t)size;
done:
    fclose(f);
    return buf;
}

/* One report in one format: saved locally, then copied onto the stick. 0 / -1 with err. */
static int put_report(const bt_app *app, const bt_report *r, const bt_period *p,
                      bt_report_format f, int dirfd, char *err, size_t err_size)
{
    char name[128], tmp[BT_MAX_PATH_BYTES + 160];
    bt_report_file_name(p, f, name, sizeof name);
    snprintf(tmp, sizeof tmp, "%s/.usb-%s", app->data_dir, name);
    if (bt_report_save(r, f, tmp, err, err_size) != 0)
        return -1;
    size_t len = 0;
    char *data = read_small_file(tmp, &len);
    int rc = -1;
    if (!data)
        snprintf(err, err_size, "không đọc lại được báo cáo \"%s\" trong máy", name);
    else
        rc = bt_usb_write_atomic(dirfd, name, data, len, err, err_size);
    free(data);
    unlink(tmp);
    return rc;
}

int bt_app_write_stick_reports(const bt_app *app, bt_store *store, const char *package_dir,
                               bt_wall now, char *note, size_t note_size)
{
    char dir[BT_MAX_PATH_BYTES], err[512] = "";
    int written = 0, dirfd = -1;
    bt_report_upcoming u = {0};
    bt_airing_verify_result *check = calloc(1, sizeof *check);
    bt_report_options opt = {0};
    if (note_size)
        note[0] = '\0';
    if (!check || !store) {
        snprintf(err, sizeof err, "không đủ bộ nhớ");
        goto fail;
    }
    dirfd = bt_usb_results_open(package_dir, dir, sizeof dir, err, sizeof err);
    if (dirfd < 0)
        goto fail;
    /* One walk of the hash chain for all eight files (it dominates on years of log). */
    if (bt_airing_verify(store, check) >= 0)
        opt.log_check = check;
    bt_report_options_from_config(app, &opt);
    opt.generated_at = now;
    bt_report_upcoming_find(app, store, now, STICK_UPCOMING_SLOT_CAP, &u, &opt);
    bt_period cur = bt_time_period_of(BT_PERIOD_QUARTER, bt_time_day_of(now));
    bt_period prev = bt_time_period_of(BT_PERIOD_QUARTER, cur.first - 1);
    const bt_period quarters[2] = {prev, cur};
    static const bt_report_format formats[] = {BT_REPORT_CSV, BT_REPORT_XLSX, BT_REPORT_HTML,
                                               BT_REPORT_DOCX};
    for (int q = 0; q < 2; q++) {
        bt_report *r = NULL;
        if (bt_report_build(store, &quarters[q], &opt, &r, err, sizeof err) != 0)
            goto fail;
        for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
            if (put_report(app, r, &quarters[q], formats[f], dirfd, err, sizeof err) != 0) {
                bt_report_destroy(r);
                goto fail;
            }
            written++;
        }
        bt_report_destroy(r);
    }
    bt_report_upcoming_free(&u);
    free(check);
    close(dirfd);
    bt_log_info("USB: đã ghi %d báo cáo vào \"%s\"", written, dir);
    return written;
fail:
    bt_report_upcoming_free(&u);
    free(check);
    if (dirfd >= 0)
        close(dirfd);
    snprintf(note, note_size, "Không ghi được báo cáo lên USB: %s.", err);
    bt_log_warn("USB: %s", note);
    return -1;
}
