/* `bangtin status [--json]`: what the staff panel says, for an installer at the console — the
 * active playlist, the last import, the next loudspeaker session and the last airings, clock
 * trust, disk space and target progress. The panel's own gathering (bt_app_panel_info_upcoming)
 * writes the lines; this file adds the few facts the panel does not show and prints them as text
 * (Vietnamese, one fact per line) or as one JSON object with stable English keys.
 *
 * Read only: the store is read through a snapshot in memory (bt_app_open_store_snapshot, shared
 * with `bangtin doctor`), so a missing store is said and never created, and running as root
 * beside the kiosk's user leaves no file behind. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bangtin/bt_path.h"
#include "bangtin/bt_airing.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_content_store.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_report_upcoming.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_store_writer.h"
#include "bangtin/bt_text.h"

#include "json.h"

/* "2025-11-24T09:05:00+07:00" and room to spare. */
#define ISO_BYTES 40

/* ---- what status says ---------------------------------------------------------------------- */

typedef struct {
    bt_wall now;
    char store_path[BT_MAX_PATH_BYTES + 32];
    bt_panel_info panel;
    int has_active;                 /* bt_store_active_playlist's answer */
    bt_store_playlist active;
    int has_import;                 /* bt_content_active's answer */
    bt_content_playlist imported;
    bool next_known;                /* false: the active playlist does not load */
    bool has_next;
    bt_slot next;
    char next_session_id[BT_MAX_ID_BYTES + 1];
    char next_session_name[BT_MAX_TITLE_BYTES + 1];
    size_t next_items;
    bt_app_clock clock;
    size_t clock_events;
    bool has_clock_event;
    bt_clock_event last_clock_event;
    bool has_disk;
    uint64_t disk_free, disk_total;
    int64_t log_rows;               /* the airing log's last row in the store */
    int64_t witnessed_rows;         /* ... as its witness beside the database says (-1: none) */
    size_t pending_rows;            /* log rows waiting in the writer's fallback journal */
    char pending_path[BT_MAX_PATH_BYTES + 32];
    int has_device_key;             /* bt_device_key_read's answer */
    bt_device_key device_key;       /* its public half only (the secret is wiped at once) */
    char device_key_err[BT_MAX_PATH_BYTES + 512];
} status_facts;

static bt_wall wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

/* The next scheduled session of the active playlist from the upcoming lookup the panel made. */
static void find_next(const bt_report_upcoming *u, const bt_report_options *upcoming,
                      status_facts *f)
{
    f->next_known = upcoming->loudspeaker_upcoming_known;
    if (!u->schedule || bt_schedule_upcoming(u->schedule, f->now, &f->next, 1) != 1)
        return;
    const bt_broadcast_session *s = &u->playlist.broadcasts.sessions[f->next.session];
    f->has_next = true;
    snprintf(f->next_session_id, sizeof f->next_session_id, "%s", s->id);
    snprintf(f->next_session_name, sizeof f->next_session_name, "%s", s->name ? s->name : "");
    f->next_items = s->item_count;
}

static void find_clock(bt_store *store, status_facts *f)
{
    bt_clock_event *events = NULL;
    bt_app_clock_check(store, f->now, &f->clock);
    if (bt_airing_clock_events(store, &events, &f->clock_events) == 0 && f->clock_events) {
        f->has_clock_event = true;
        f->last_clock_event = events[f->clock_events - 1];
    }
    free(events);
}

/* The log's head in the store against its witness beside the database (bangtin.db.head): a
 * store that holds fewer rows than were witnessed lost its log, whatever it looks like inside. */
static void find_log_loss(const bt_app *app, bt_store *store, status_facts *f)
{
    char path[BT_MAX_PATH_BYTES + 32], hash[65];
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    f->witnessed_rows = -1;
    if (bt_airing_head(store, &f->log_rows, hash, sizeof hash) != 0)
        f->log_rows = 0;
    int64_t rows = 0;
    if (bt_store_witness_rows(path, &rows) >= 0)
        f->witnessed_rows = rows;
}

/* Rows the running kiosk could not write yet (bt_store_writer.h): its journal is in the service's
 * runtime folder (the unit's RuntimeDirectory, which a command run by hand does not see in its
 * environment) or beside the database. */
static void find_pending(const bt_app *app, status_facts *f)
{
    char db[BT_MAX_PATH_BYTES + 32];
    snprintf(db, sizeof db, "%s/%s", app->data_dir, BT_STORE_FILE);
    const char *dirs[] = {NULL, BT_APP_RUNTIME_DIR, app->data_dir};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[sizeof f->pending_path];
        bt_store_writer_journal_path(db, dirs[i], path, sizeof path);
        size_t rows = bt_store_writer_journal_rows(path);
        if (rows > 0 && strcmp(path, f->pending_path) != 0) {
            f->pending_rows += rows;
            snprintf(f->pending_path, sizeof f->pending_path, "%s", path);
        }
    }
}

/* Everything status prints; 0, or -1 if the panel could not read the store. */
static int gather(const bt_app *app, bt_store *store, status_facts *f)
{
    bt_report_upcoming u = {0};
    bt_report_options upcoming = {0};
    bt_report_upcoming_find(app, store, f->now, BT_APP_PANEL_UPCOMING_SLOT_CAP, &u, &upcoming);
    int rc = bt_app_panel_info_upcoming(app, store, f->now, NULL, &upcoming, &f->panel);
    find_next(&u, &upcoming, f);
    bt_report_upcoming_free(&u);
    f->has_active = bt_store_active_playlist(store, &f->active);
    f->has_import = bt_content_active(store, &f->imported);
    find_clock(store, f);
    f->has_disk = bt_app_disk_space(app->data_dir, &f->disk_free, &f->disk_total) == 0;
    find_log_loss(app, store, f);
    find_pending(app, f);
    f->has_device_key = bt_device_key_read(app->data_dir, &f->device_key, f->device_key_err,
                                           sizeof f->device_key_err);
    bt_device_key_wipe(&f->device_key);
    return rc;
}

/* ---- text ---------------------------------------------------------------------------------- */

static const char *when_vi(bt_wall t, char *buf, size_t size)
{
    char date[64], hhmm[16];
    snprintf(buf, size, "%s %s", bt_time_format_date_vi(t, date, sizeof date),
             bt_time_format_hhmm(t, hhmm, sizeof hhmm));
    return buf;
}

static void print_next_text(const status_facts *f)
{
    char when[96];
    if (f->has_next)
        printf("Buổi phát loa tiếp theo: %s — %s (%s, %zu tin)\n",
               when_vi(f->next.scheduled, when, sizeof when), f->next_session_name,
               f->next_session_id, f->next_items);
    else if (f->has_active != 1)
        printf("Buổi phát loa tiếp theo: không có (chưa có playlist nào được kích hoạt)\n");
    else if (f->next_known)
        printf("Buổi phát loa tiếp theo: không có (playlist đang phát không có buổi phát nào "
               "sắp tới)\n");
    else
        printf("Buổi phát loa tiếp theo: không biết — playlist đang kích hoạt \"%s\" không đọc "
               "được (chạy \"bangtin check %s\")\n", f->active.dir, f->active.dir);
}

static void print_clock_text(const status_facts *f)
{
    char when[96], last[96];
    if (f->clock.before_build)
        printf("Đồng hồ: KHÔNG tin được — sớm hơn ngày biên dịch bangtin; đặt lại ngày giờ và "
               "kiểm tra pin đồng hồ của máy\n");
    else if (f->clock.behind_log)
        printf("Đồng hồ: KHÔNG tin được — sớm hơn dòng cuối của nhật ký (%s); đặt lại ngày giờ\n",
               when_vi(f->clock.log_last_ms / 1000, last, sizeof last));
    else
        printf("Đồng hồ: tin được (không sớm hơn ngày biên dịch và dòng cuối của nhật ký)\n");
    if (f->has_clock_event)
        printf("Sự kiện đồng hồ trong nhật ký: %zu, gần nhất %s — %s\n", f->clock_events,
               when_vi(f->last_clock_event.detected_at_ms / 1000, when, sizeof when),
               f->last_clock_event.note);
    else
        printf("Sự kiện đồng hồ trong nhật ký: không có (đồng hồ chưa lần nào bị chỉnh)\n");
}

static void print_text(const status_facts *f)
{
    const bt_panel_info *p = &f->panel;
    char when[96];
    printf("Cơ sở dữ liệu: %s\n", f->store_path);
    printf("Bây giờ: %s (giờ Việt Nam)\n", when_vi(f->now, when, sizeof when));
    printf("Playlist đang phát: %s\n", p->playlist);
    printf("Lần nạp USB gần nhất: %s\n", p->last_import);
    print_next_text(f);
    printf("Lần phát gần nhất: %s\n", p->airing_count ? p->airings[0] : "chưa có");
    for (size_t i = 0; i < p->missed_count; i++)
        printf("Bỏ lỡ trong quý: %s\n", p->missed[i]);
    print_clock_text(f);
    if (f->witnessed_rows > f->log_rows)
        printf("Nhật ký phát thanh: MẤT DÒNG — cơ sở dữ liệu chỉ còn đến dòng #%lld, tệp đầu chuỗi "
               "bên cạnh ghi đến #%lld; chạy \"bangtin log verify\" và chép lại từ bản sao lưu\n",
               (long long)f->log_rows, (long long)f->witnessed_rows);
    else
        printf("Nhật ký phát thanh: %lld dòng, khớp với tệp đầu chuỗi bên cạnh cơ sở dữ liệu\n",
               (long long)f->log_rows);
    if (f->pending_rows > 0)
        printf("Nhật ký chờ ghi: %zu dòng chưa ghi được vào cơ sở dữ liệu (ổ dữ liệu đầy, chỉ đọc "
               "hoặc lỗi) — đang giữ trong \"%s\"; bangtin ghi chúng vào khi ghi được\n",
               f->pending_rows, f->pending_path);
    printf("Dung lượng thư mục dữ liệu: %s\n", p->disk);
    if (f->has_device_key == 1)
        printf("Khoá thiết bị: dấu vân tay %s\n", f->device_key.fingerprint);
    else if (f->has_device_key == 0)
        printf("Khoá thiết bị: chưa có (được tạo khi bangtin chạy lần đầu)\n");
    else
        printf("Khoá thiết bị: %s\n", f->device_key_err);
    for (size_t i = 0; i < p->bar_count; i++)
        printf("Chỉ tiêu: %s — %s\n", p->bars[i].label, p->bars[i].state);
    if (!p->bar_count)
        printf("Chỉ tiêu: %s\n", p->no_targets);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

/* "2025-11-24T09:05:00+07:00": the time as bangtin shows it, with its offset. */
static void json_time(bt_json_writer *w, const char *key, bt_wall t)
{
    char iso[ISO_BYTES];
    bt_civil c = bt_time_to_civil(t);
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", c.year, c.month, c.day,
             c.hour, c.minute, c.second, BT_UTC_OFFSET_SECONDS / 3600);
    bt_json_text(w, key, iso);
}

static void json_playlist(bt_json_writer *w, const status_facts *f)
{
    if (f->has_active != 1) {
        bt_json_raw(w, "playlist", "null");
        return;
    }
    bt_json_open(w, "playlist", '{');
    bt_json_text(w, "id", f->active.id);
    bt_json_text(w, "title", f->active.title);
    bt_json_raw(w, "version", "%d", f->active.version);
    json_time(w, "activated_at", f->active.activated_at);
    bt_json_text(w, "dir", f->active.dir);
    bt_json_close(w, '}');
}

static void json_last_import(bt_json_writer *w, const status_facts *f)
{
    bt_json_open(w, "last_import", '{');
    bt_json_text(w, "text", f->panel.last_import);
    if (f->has_import == 1) {
        bt_json_text(w, "id", f->imported.id);
        bt_json_raw(w, "version", "%d", f->imported.version);
        bt_json_text(w, "title", f->imported.title);
        json_time(w, "imported_at", f->imported.imported_at);
        bt_json_text(w, "signer", f->imported.signer);
        /* A stick without a trusted signature that staff approved with the PIN: when. */
        if (f->imported.pin_approved_at)
            json_time(w, "pin_approved_at", f->imported.pin_approved_at);
        else
            bt_json_raw(w, "pin_approved_at", "null");
        bt_json_raw(w, "notices", "%d", f->imported.notices);
        bt_json_raw(w, "items", "%d", f->imported.items);
    }
    bt_json_close(w, '}');
}

static void json_next(bt_json_writer *w, const status_facts *f)
{
    bt_json_open(w, "next_broadcast", '{');
    bt_json_bool(w, "known", f->next_known || f->has_next);
    if (f->has_next) {
        json_time(w, "at", f->next.scheduled);
        bt_json_text(w, "session_id", f->next_session_id);
        bt_json_text(w, "session_name", f->next_session_name);
        bt_json_raw(w, "items", "%zu", f->next_items);
    } else {
        bt_json_raw(w, "at", "null");
    }
    bt_json_close(w, '}');
}

static void json_log(bt_json_writer *w, const status_facts *f)
{
    bt_json_open(w, "log", '{');
    bt_json_raw(w, "rows", "%lld", (long long)f->log_rows);
    if (f->witnessed_rows >= 0)
        bt_json_raw(w, "witnessed_rows", "%lld", (long long)f->witnessed_rows);
    else
        bt_json_raw(w, "witnessed_rows", "null");
    bt_json_bool(w, "rows_lost", f->witnessed_rows > f->log_rows);
    bt_json_raw(w, "rows_waiting", "%zu", f->pending_rows);
    bt_json_close(w, '}');
}

static void json_clock(bt_json_writer *w, const status_facts *f)
{
    bt_json_open(w, "clock", '{');
    bt_json_bool(w, "trusted", !f->clock.before_build && !f->clock.behind_log);
    bt_json_bool(w, "before_build_date", f->clock.before_build);
    bt_json_bool(w, "behind_log", f->clock.behind_log);
    if (f->clock.log_last_ms > 0)
        json_time(w, "log_last_at", f->clock.log_last_ms / 1000);
    else
        bt_json_raw(w, "log_last_at", "null");
    bt_json_raw(w, "events", "%zu", f->clock_events);
    if (f->has_clock_event) {
        bt_json_open(w, "last_event", '{');
        json_time(w, "at", f->last_clock_event.detected_at_ms / 1000);
        bt_json_raw(w, "jump_ms", "%lld", (long long)f->last_clock_event.jump_ms);
        bt_json_text(w, "note", f->last_clock_event.note);
        bt_json_close(w, '}');
    } else {
        bt_json_raw(w, "last_event", "null");
    }
    bt_json_close(w, '}');
}

static void json_lines(bt_json_writer *w, const char *key, const char (*lines)[BT_PANEL_LINE_BYTES],
                       size_t count)
{
    bt_json_open(w, key, '[');
    for (size_t i = 0; i < count; i++)
        bt_json_text(w, NULL, lines[i]);
    bt_json_close(w, ']');
}

static void json_targets(bt_json_writer *w, const bt_panel_info *p)
{
    bt_json_open(w, "targets", '[');
    for (size_t i = 0; i < p->bar_count; i++) {
        bt_json_open(w, NULL, '{');
        bt_json_text(w, "label", p->bars[i].label);
        bt_json_text(w, "state", p->bars[i].state);
        bt_json_raw(w, "fraction", "%.3f", p->bars[i].fraction);
        bt_json_close(w, '}');
    }
    bt_json_close(w, ']');
    bt_json_text(w, "targets_note", p->bar_count ? NULL : p->no_targets);
}

static void print_json(const status_facts *f)
{
    bt_json_writer w = {.out = stdout};
    bt_json_open(&w, NULL, '{');
    bt_json_text(&w, "store", f->store_path);
    json_time(&w, "now", f->now);
    json_playlist(&w, f);
    json_last_import(&w, f);
    json_next(&w, f);
    json_lines(&w, "recent_airings", f->panel.airings, f->panel.airing_count);
    json_lines(&w, "missed_this_quarter", f->panel.missed, f->panel.missed_count);
    json_clock(&w, f);
    json_log(&w, f);
    bt_json_open(&w, "disk", '{');
    bt_json_raw(&w, "free_bytes", "%llu", (unsigned long long)f->disk_free);
    bt_json_raw(&w, "total_bytes", "%llu", (unsigned long long)f->disk_total);
    bt_json_text(&w, "text", f->has_disk ? f->panel.disk : NULL);
    bt_json_close(&w, '}');
    json_targets(&w, &f->panel);
    bt_json_open(&w, "device_key", '{');
    bt_json_text(&w, "id", f->has_device_key == 1 ? f->device_key.id : NULL);
    bt_json_text(&w, "fingerprint", f->has_device_key == 1 ? f->device_key.fingerprint : NULL);
    bt_json_text(&w, "error", f->has_device_key < 0 ? f->device_key_err : NULL);
    bt_json_close(&w, '}');
    bt_json_close(&w, '}');
    fputc('\n', stdout);
}

int bt_cmd_status(bt_app *app, const bt_cli_args *a)
{
    char err[BT_MAX_PATH_BYTES + 256];
    bt_store *store = NULL;
    int opened = bt_app_open_store_snapshot(app, &store, NULL, 0, err, sizeof err);
    if (opened != 1) {
        fprintf(stderr, "bangtin status: %s. %s\n", err,
                opened == 0 ? "Máy chưa chạy lần nào với thư mục dữ liệu này: kiểm tra data_dir "
                              "trong tệp cấu hình hoặc --data DIR."
                            : "Chạy \"bangtin doctor\" để xem cần sửa gì.");
        return 1;
    }
    status_facts *f = calloc(1, sizeof *f);
    if (!f) {
        bt_store_close(store);
        fprintf(stderr, "bangtin status: không đủ bộ nhớ.\n");
        return 1;
    }
    f->now = wall_now();
    char path[BT_MAX_PATH_BYTES + 32];
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    if (bt_path_real(path, f->store_path, sizeof f->store_path) != 0)
        snprintf(f->store_path, sizeof f->store_path, "%s", path);
    int rc = gather(app, store, f);
    if (bt_cli_opt(a, "--json"))
        print_json(f);
    else
        print_text(f);
    free(f);
    bt_store_close(store);
    return rc == 0 ? 0 : 1;
}
