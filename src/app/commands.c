/* The appliance's commands: its table (the staff tools' entries shared with commands_staff.c
 * through cli_internal.h) and the handlers of the kiosk, the preview and the store that have
 * no file of their own. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_path.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_app_check.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_cfgfile.h"
#include "bangtin/bt_cli.h"
#include "bangtin/bt_decode_isolated.h"
#include "bangtin/bt_device_key.h"
#include "bangtin/bt_airing.h"
#include "bangtin/bt_broadcaster.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_app_video.h"
#include "bangtin/bt_schedule.h"
#include "bangtin/bt_screen.h"
#include "bangtin/bt_service.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_targets_store.h"
#include "bangtin/bt_vi.h"

#include "check_media.h"
#include "plan_sim.h"
#include "cli_internal.h"

#define MAX_REPEATED BT_CLI_MAX_REPEATED
/* Allocations from this size up get their own mapping (see cmd_run). */
#define BT_KIOSK_MMAP_THRESHOLD (256 * 1024)

static int cmd_run(bt_app *app, const cmd_args *a);
static int cmd_activate(bt_app *app, const cmd_args *a);
static int cmd_simulate(bt_app *app, const cmd_args *a);
/* `bangtin decode-audio FILE OUT.wav SECONDS`: the child's side of bt_decode_isolated. */
static int cmd_decode_audio(bt_app *app, const cmd_args *a)
{
    (void)app;
    return bt_decode_isolated_print(a->positional[0], a->positional[1], a->positional[2], stdout);
}

static const command COMMANDS[] = {
    {"run", "[--playlist DIR] [--windowed] [--size WxH]",
     "Chạy màn hình sảnh (toàn màn hình). Không có màn hình: lưu ảnh xem trước từng thông báo.",
     0, 0,
     {{"--playlist", "DIR", "thư mục playlist (mặc định: playlist đang kích hoạt)", false},
      {"--windowed", NULL, "chạy trong cửa sổ thay vì toàn màn hình", false},
      {"--size", "WxH", "kích thước, ví dụ 1920x1080 hoặc 1080x1920", false},
      {"--duration", "SECONDS", "tự thoát sau ngần ấy giây (kiểm thử, đo hiệu năng)", false}},
     cmd_run},
    BT_CLI_CMD_CHECK,
    BT_CLI_CMD_SCREENSHOT,
    {"activate", "DIR", "Kiểm tra rồi kích hoạt một playlist trên máy.", 1, 1, {{0}},
     cmd_activate},
    BT_CLI_CMD_CONFIG,
    {"simulate", "--playlist DIR --from YYYY-MM-DD --to YYYY-MM-DD [--off \"A..B\"]...",
     "In trước lịch phát loa: buổi nào sẽ phát, bị lỡ và được phát bù.", 0, 0,
     {{"--playlist", "DIR", "thư mục playlist có nhóm broadcasts", false},
      {"--from", "DATE", "ngày đầu (giờ Việt Nam)", false},
      {"--to", "DATE", "ngày cuối (tính cả ngày đó)", false},
      {"--off", "\"A..B\"", "khoảng máy tắt, ví dụ \"2025-11-03 05:00..2025-11-05 20:00\"; "
                              "lặp lại được", true}},
     cmd_simulate},
    {"log", "[--from YYYY-MM-DD] [--to YYYY-MM-DD] | verify",
     "Nhật ký phát thanh: liệt kê các lần phát; \"verify\" kiểm tra nhật ký có bị sửa hay xóa.",
     0, 1,
     {{"--from", "DATE", "từ ngày (theo khung giờ phát, giờ Việt Nam)", false},
      {"--to", "DATE", "đến ngày (tính cả ngày đó)", false}},
     bt_cmd_log},
    {"report", "--period KỲ [--format csv|xlsx|html|docx] [-o FILE] [--csv-sep ;|,] [--plan DIR "
               "[--off \"A..B\"]...]",
     "Lập báo cáo kết quả tuyên truyền CCHC của một kỳ (chỉ tiêu, nhật ký phát thanh, màn hình); "
     "với --plan: báo cáo DỰ KIẾN theo lịch phát của một playlist.",
     0, 0,
     {{"--period", "KỲ", "2025-Q4 (quý), 2025-11 (tháng), 2025-9M (9 tháng), 2025 (năm) hoặc "
                         "2025-10-01..2025-12-31", false},
      {"--format", "FORMAT", "csv (mặc định), xlsx hoặc html", false},
      {"-o", "FILE", "tệp để ghi (mặc định: bao-cao-<kỳ>.<định dạng> trong thư mục hiện tại)",
       false},
      {"--min-minutes", "N", "mức hiển thị tối thiểu của một thông báo, phút/ngày (mặc định 10)",
       false},
      {"--csv-sep", "KÝ_TỰ", "dấu phân cách của CSV: ; (mặc định, Excel tiếng Việt mở bằng nhấp "
                             "đúp) hoặc , (cho công cụ khác; số thập phân dùng dấu chấm)", false},
      {"--plan", "DIR", "lập báo cáo DỰ KIẾN: mô phỏng lịch phát của playlist này từ bây giờ "
                        "đến hết kỳ (trước đó: nhật ký thật, nếu máy có)", false},
      {"--off", "\"A..B\"", "với --plan: khoảng máy tắt giả định, ví dụ \"2025-11-01 "
                              "00:00..2025-12-01 00:00\"; lặp lại được", true}},
     bt_cmd_report},
    {"export", "-o TỆP [--from YYYY-MM-DD --to YYYY-MM-DD]",
     "Xuất nhật ký có chữ ký của máy để gửi thành phố (TỆP và TỆP.sig): mặc định mọi dòng từ lần "
     "xuất trước.",
     0, 0,
     {{"-o", "TỆP", "tệp xuất (SQLite); chữ ký ghi vào TỆP.sig", false},
      {"--from", "DATE", "xuất lại các dòng ghi từ ngày này (giờ Việt Nam)", false},
      {"--to", "DATE", "đến ngày này (tính cả ngày đó)", false}},
     bt_cmd_export},
    BT_CLI_CMD_KEYGEN,
    BT_CLI_CMD_PACK,
    {"import", "DIR [--force]",
     "Nạp gói playlist (thư mục bangtin/ trên USB): kiểm chữ ký, kiểm tra, chép, kích hoạt.", 1, 1,
     {{"--force", NULL, "nhận cả phiên bản cũ hơn hoặc bằng playlist đang phát", false},
      {"--no-write-back", NULL, "không ghi biên nhận và nhật ký lên USB", false},
      {"--timing", NULL, "in thời gian từng bước (đo hiệu năng)", false}},
     bt_cmd_import},
    {"rollback", "", "Quay lại playlist nạp trước đó (máy giữ usb.keep_playlists playlist).", 0, 0,
     {{0}}, bt_cmd_rollback},
    BT_CLI_CMD_MEASURE,
    BT_CLI_CMD_SPEAK,
    BT_CLI_CMD_VIDEO_CHECK,
    /* The kiosk's own child (bt_decode_isolated.h): not listed for staff. */
    {"decode-audio", "FILE OUT.wav SECONDS", NULL, 3, 3, {{0}}, cmd_decode_audio},
    {"doctor", "", "Kiểm tra máy sau khi cài: màn hình, loa, khoá, dữ liệu, đồng hồ, phông, USB.",
     0, 0, {{0}}, bt_cmd_doctor},
    {"status", "[--json]", "Tình trạng máy: playlist, lần nạp USB, buổi phát tới, đồng hồ, đĩa.",
     0, 0, {{"--json", NULL, "in một đối tượng JSON (khoá tiếng Anh) thay vì văn bản", false}},
     bt_cmd_status},
    BT_CLI_CMD_VERSION,
};

const command *bt_cli_commands(size_t *count)
{
    *count = sizeof COMMANDS / sizeof COMMANDS[0];
    return COMMANDS;
}

bool bt_cli_runs_on_bad_config(const command *c)
{
    return c->run == bt_cmd_doctor;
}

void bt_cli_start(void)
{
    bt_service_init();
    bt_log_set_sink(bt_service_log_sink, stderr);
    /* This is the bangtin binary: the kiosk may run it again to measure audio in isolation. */
    bt_cli_audio_start();
}

int bt_app_ensure_dir(const char *dir)
{
    char path[BT_MAX_PATH_BYTES];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

bt_store *bt_app_open_store(const bt_app *app)
{
    char path[BT_MAX_PATH_BYTES + 32], err[512];
    /* Through the log: under systemd these carry the error priority (journalctl -p err). */
    if (bt_app_ensure_dir(app->data_dir) != 0) {
        bt_log_error("không tạo được thư mục dữ liệu \"%s\": %s", app->data_dir,
                     bt_vi_errno(errno).text);
        return NULL;
    }
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    bt_store *store = NULL;
    if (bt_store_open(path, &store, err, sizeof err) != 0) {
        bt_log_error("không mở được cơ sở dữ liệu \"%s\": %s", path, err);
        return NULL;
    }
    /* The device key is made on first start, beside the store (issue 16). A box without one
     * still runs: only its exports wait, and status and doctor say why. */
    bt_device_key key;
    if (bt_device_key_ensure(app->data_dir, &key, NULL, err, sizeof err) != 0)
        bt_log_error("%s", err);
    bt_device_key_wipe(&key);
    return store;
}

/* True if the data directory holds a store file. */
static bool store_exists(const bt_app *app)
{
    char path[BT_MAX_PATH_BYTES + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    return stat(path, &st) == 0;
}

int bt_cli_active_playlist_dir(bt_app *app, char *dir, size_t size)
{
    bt_store *store = bt_app_open_existing_store(app);
    if (!store)
        return -1;
    bt_store_playlist active;
    int found = bt_store_active_playlist(store, &active);
    bt_store_close(store);
    if (found == 1 && snprintf(dir, size, "%s", active.dir) >= (int)size)
        return -1;
    return found;
}

/* The results notices as the kiosk filled them at `at`: today's target progress as of then
 * (bt_report_progress_today); without a store, the sentence that figures will come. */
static void results_at(bt_store *store, bt_playlist *p, bt_wall at)
{
    bool any = false;
    for (size_t i = 0; i < p->notice_count; i++)
        any |= p->notices[i].target != NULL;
    if (!any)
        return;
    bt_targets targets;
    bt_target_progress *progress = NULL;
    size_t n = 0;
    int rc = store ? bt_report_progress_today(store, at, NULL, &targets, &progress, &n) : -1;
    bt_app_results_fill(p, rc == 0 ? progress : NULL, rc == 0 ? n : 0);
    if (rc == 0)
        bt_targets_free(&targets);
    free(progress);
}

void bt_cli_state_at(bt_app *app, bt_playlist *p, bt_wall at, bt_schedule *sched,
                     bt_cli_on_air *air)
{
    memset(air, 0, sizeof *air);
    air->slot.session = SIZE_MAX;
    /* Without a store (a preview) nothing has aired yet: no message. */
    bt_store *store = store_exists(app) ? bt_app_open_store(app) : NULL;
    bt_day day = bt_time_day_of(at);
    bt_airing_row *log_rows = NULL;
    size_t log_count = 0;
    bt_wall from = bt_time_day_start(day) - (bt_wall)BT_BROADCASTER_HISTORY_DAYS * BT_SECONDS_PER_DAY;
    if (sched && store && bt_airing_list(store, from, bt_time_day_start(day + 1), &log_rows,
                                         &log_count) == 0) {
        bt_broadcaster_on_air on_air;
        log_count = bt_broadcaster_as_of(log_rows, log_count, at, &on_air);
        bt_slot_record *records = NULL;
        size_t record_count = 0;
        if (bt_broadcaster_condense(&p->broadcasts, p->id, log_rows, log_count, &records,
                                    &record_count) == 0)
            for (size_t i = 0; i < record_count; i++)
                bt_schedule_record(sched, &records[i]);
        free(records);
        size_t session = on_air.on ? bt_broadcasts_session_index(&p->broadcasts, on_air.session_id)
                                   : SIZE_MAX;
        /* another playlist's session: this one's screen had no banner for it */
        if (session != SIZE_MAX) {
            air->on = true;
            air->slot = (bt_slot){session, on_air.scheduled};
            air->started = on_air.started;
            snprintf(air->title, sizeof air->title, "%s", on_air.title);
        }
    }
    free(log_rows);
    results_at(store, p, at);
    bt_store_close(store);
}

bt_store *bt_app_open_existing_store(const bt_app *app)
{
    char path[BT_MAX_PATH_BYTES + 32];
    int64_t rows = 0;
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    if (!store_exists(app) && bt_store_witness_rows(path, &rows) == 1) {
        fprintf(stderr, "bangtin: nhật ký phát thanh đã mất: không còn tệp \"%s\", nhưng tệp đầu "
                        "chuỗi bên cạnh ghi nhật ký đã có %lld dòng. Đã mất các dòng đến #%lld — "
                        "hãy chép lại tệp từ bản sao lưu.\n",
                path, (long long)rows, (long long)rows);
        return NULL;
    }
    if (!store_exists(app)) {
        fprintf(stderr, "bangtin: chưa có dữ liệu của máy ở \"%s\" (không thấy tệp %s). Hãy chỉ "
                        "đúng thư mục dữ liệu: --data DIR, hoặc data_dir trong tệp cấu hình%s%s.\n",
                app->data_dir, BT_STORE_FILE, app->config_path ? " " : "",
                app->config_path ? app->config_path : "");
        return NULL;
    }
    return bt_app_open_store(app);
}

int bt_app_open_store_snapshot(const bt_app *app, bt_store **out, char *quick_check,
                               size_t quick_check_size, char *err, size_t err_size)
{
    char path[BT_MAX_PATH_BYTES + 32], real[BT_MAX_PATH_BYTES];
    *out = NULL;
    snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
    if (bt_path_real(path, real, sizeof real) != 0) {
        bool missing = errno == ENOENT || errno == ENOTDIR;
        if (missing)
            snprintf(err, err_size, "chưa có cơ sở dữ liệu \"%s\"", path);
        else
            snprintf(err, err_size, "không đọc được \"%s\": %s", path, bt_vi_errno(errno).text);
        return missing ? 0 : -1;
    }
    return bt_store_open_snapshot(real, out, quick_check, quick_check_size, err, err_size) == 0
               ? 1
               : -1;
}

static int cmd_activate(bt_app *app, const cmd_args *a)
{
    const char *dir = a->positional[0];
    bt_playlist p;
    bt_diags d;
    bt_diags_init(&d);
    int loaded = bt_app_load_playlist(app, dir, &p, &d);
    bt_cli_print_diags(&d, stdout);
    bt_diags_free(&d);
    if (loaded != 0) {
        printf("Không kích hoạt: playlist \"%s\" có lỗi; playlist đang chạy giữ nguyên.\n", dir);
        return 1;
    }
    /* Text bulletins are spoken now, into the content store, so no session waits for it. */
    if (bt_broadcasts_text_count(&p.broadcasts) > 0) {
        bt_speech_cache speech;
        bt_diags spoken;
        char err[512];
        bt_diags_init(&spoken);
        if (bt_speech_cache_open(&speech, app->data_dir, app->cfg.broadcast_loudness_target, err,
                                 sizeof err) != 0)
            bt_diags_add(&spoken, BT_DIAG_ERROR, BT_PLAYLIST_FILE, 0, "%s", err);
        else
            bt_speech_cache_items(&speech, &p.broadcasts, &spoken);
        bt_cli_print_diags(&spoken, stdout);
        size_t errors = spoken.errors;
        bt_diags_free(&spoken);
        if (errors) {
            printf("Không kích hoạt: có bản tin văn bản không đọc được; playlist đang chạy giữ "
                   "nguyên.\n");
            bt_playlist_free(&p);
            return 1;
        }
        printf("Đã đọc %zu bản tin văn bản (%zu có sẵn từ trước) trong %.1f giây.\n",
               speech.rendered, speech.found, speech.render_seconds);
    }
    bt_store *store = bt_app_open_store(app);
    int rc = 1;
    if (store) {
        bt_store_playlist sp = {0};
        snprintf(sp.id, sizeof sp.id, "%s", p.id);
        sp.version = p.version;
        snprintf(sp.title, sizeof sp.title, "%s", p.title);
        if (bt_path_real(dir, sp.dir, sizeof sp.dir) != 0)
            snprintf(sp.dir, sizeof sp.dir, "%s", dir);
        sp.activated_at = bt_cli_wall_now();
        /* The targets in force from now on are kept with the activation, so a report on a past
         * period counts with the targets of that time. */
        if (bt_store_activate(store, &sp, &p) == 0) {
            printf("Đã kích hoạt playlist \"%s\" phiên bản %d (%zu thông báo).\n", p.id, p.version,
                   p.notice_count);
            rc = 0;
        } else {
            fprintf(stderr, "bangtin activate: không ghi được vào cơ sở dữ liệu.\n");
        }
        bt_store_close(store);
    }
    bt_playlist_free(&p);
    return rc;
}

static int parse_day_option(const char *name, const char *text, bt_day *out)
{
    if (!text || bt_time_parse_date(text, out) != 0) {
        fprintf(stderr, "bangtin simulate: %s \"%s\" không hợp lệ — viết dạng 2025-10-01 hoặc "
                        "01/10/2025.\n", name, text ? text : "");
        return -1;
    }
    return 0;
}

/* The timeline, then where each target would stand when these days are over. */
static int cmd_simulate(bt_app *app, const cmd_args *a)
{
    const char *dir = bt_cli_opt(a, "--playlist");
    bt_simulation sim = {0};
    bt_wall_span off[MAX_REPEATED];
    if (!dir) {
        fprintf(stderr, "bangtin simulate: thiếu \"--playlist DIR\".\n");
        return 2;
    }
    if (parse_day_option("--from", bt_cli_opt(a, "--from"), &sim.from_day) != 0 ||
        parse_day_option("--to", bt_cli_opt(a, "--to"), &sim.to_day) != 0 ||
        bt_plan_sim_parse_off("simulate", a->repeated, a->repeated_count, off, stderr) != 0)
        return 2;
    sim.off = off;
    sim.off_count = (size_t)a->repeated_count;
    bt_playlist p;
    bt_buf text = {NULL, 0, 0, false};
    char *timeline = NULL;
    bt_sim_airing *airings = NULL;
    bt_target_record *records = NULL;
    size_t airing_count = 0, record_count = 0;
    int rc = bt_plan_sim_run(app, dir, &sim, &p, &timeline, &airings, &airing_count, stderr);
    if (rc == 0 && (bt_plan_sim_records(&p, &records, &record_count) != 0 ||
                    bt_simulate_targets_text(&p.broadcasts, airings, airing_count, &p.targets,
                                             records, record_count, &sim, &text) != 0))
        rc = -1;
    if (rc == 0) {
        fputs(timeline, stdout);
        if (text.data)
            fputs(text.data, stdout);
    }
    free(text.data);
    free(records);
    free(airings);
    free(timeline);
    bt_playlist_free(&p);
    return rc == 0 ? 0 : 1;
}

/* Chooses SDL's renderer before SDL starts. Painting cached textures in software costs a few
 * MB and no GPU driver; on a machine without a GPU, SDL's OpenGL renderer is Mesa's llvmpipe
 * (measured on Xvfb: 137 MB RSS and 2× Chromium's CPU, against 42 MB in software). KMSDRM has
 * no software framebuffer, so it keeps SDL's choice. Environment variables still win. */
static void choose_renderer(const bt_config *cfg)
{
    const char *driver = SDL_getenv("SDL_VIDEODRIVER");
    bool kmsdrm = driver && SDL_strcasecmp(driver, "kmsdrm") == 0;
    bool software = strcmp(cfg->display_renderer, "software") == 0 ||
                    (strcmp(cfg->display_renderer, "auto") == 0 && !kmsdrm);
    if (!software)
        return;
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    /* Also skips SDL's hidden OpenGL probe window (PITFALLS: Mesa start-up cost). */
    if (!kmsdrm)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

static int cmd_run(bt_app *app, const cmd_args *a)
{
    choose_renderer(&app->cfg);
    /* Decoded images and slide surfaces are megabytes each and short-lived: from glibc's mmap
     * they go back to the system when freed, instead of raising the heap's high-water mark
     * (peak RSS budget: 50 MB at 1920×1080). */
    mallopt(M_MMAP_THRESHOLD, BT_KIOSK_MMAP_THRESHOLD);
    bt_kiosk_options o = {0};
    o.playlist_dir = bt_cli_opt(a, "--playlist");
    o.windowed = bt_cli_opt(a, "--windowed") != NULL;
    const char *size = bt_cli_opt(a, "--size");
    if (size && bt_cli_parse_size(size, &o.width, &o.height) != 0)
        return 2;
    const char *duration = bt_cli_opt(a, "--duration");
    if (duration) {
        char *end;
        o.duration_seconds = strtod(duration, &end);
        if (*end || o.duration_seconds <= 0) {
            fprintf(stderr, "bangtin run: --duration cần một số giây dương.\n");
            return 2;
        }
    }
    return bt_kiosk_run(app, &o);
}
