/* The kiosk: the lobby screen's main loop. One thread owns SDL and the store. It sleeps in
 * SDL_WaitEventTimeout until the next thing that must change (slide end, the clock's next
 * minute, a ticker or crossfade frame, the proof-of-play flush, the next broadcast deadline),
 * so a static screen costs almost nothing. Decisions come from core (rotation); pixels from ui;
 * rows go to the store. The loudspeaker runs through the broadcaster (bt_broadcaster.h): each
 * turn of the loop hands it a (wall, mono) clock sample, and its engine and measuring worker
 * wake the loop with an SDL user event when they have something to report. A stick's package is
 * imported on a worker thread (kiosk_usb.c) that wakes the loop the same way; its progress and
 * result, and the staff panel (kiosk_panel.c, bt_panel_state.h), are painted over the frame by
 * the ui's overlays (bt_panel.h). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_path.h"
#include "bangtin/bt_app.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_broadcaster.h"
#include "bangtin/bt_clock_set.h"
#include "bangtin/bt_display_power.h"
#include "bangtin/bt_store_writer.h"
#include "frame_stats.h"
#include "kiosk_caption.h"
#include "kiosk_sound.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_os.h"
#include "bangtin/bt_panel.h"
#include "bangtin/bt_panel_state.h"
#include "bangtin/bt_report.h"
#include "bangtin/bt_playlist_load.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_proof.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_service.h"
#include "bangtin/bt_sdl_image.h"
#include "bangtin/bt_store.h"
#include "bangtin/bt_ui_display_power.h"
#include "bangtin/bt_ui_display_send.h"
#include "bangtin/bt_ui_turn.h"
#include "bangtin/bt_vi.h"

/* Proof of play reaches the disk at least this often (issue: "at least every minute"). */
#define PROOF_FLUSH_SECONDS 60
/* Longest sleep: bounds how late we notice a wall-clock change made by hand. */
#define MAX_SLEEP_MS 1000
/* Sessions of one day shown by the "Lịch phát thanh hôm nay" notice; a ward airs a few. */
#define MAX_DAY_SLOTS 32
/* Results notices and the open panel are read from the store again this often. */
#define RESULTS_REFRESH_MS 60000
#define PANEL_REFRESH_MS 30000
/* The corner that opens the panel on a long press: this share of the short side. */
#define PANEL_CORNER_DIVISOR 8
/* Under systemd, a display that cannot be opened (TV off at boot, cable out) is tried again
 * after 5 s, then twice as long each time up to a minute: never a restart loop. */
#define DISPLAY_RETRY_FIRST_S 5
#define DISPLAY_RETRY_MAX_S 60
/* systemd's start timeout is extended by the wait plus this much for the next attempt. */
#define DISPLAY_RETRY_GRACE_S 30
#define SERVICE_STATUS_BYTES 256
/* In the data folder: the folder of the last playlist the screen showed, so that a store that
 * cannot be opened does not blank the screen. */
#define LAST_PLAYLIST_FILE "playlist-dang-chieu"
/* A store that could not be opened is tried again this often (a disk remounted, space freed). */
#define STORE_RETRY_MS 60000

typedef struct {
    bt_app *app;
    bt_store *store;        /* start-up, activation and the panel's reads */
    bt_store_writer *writer;/* every write while running, and the reads that must follow them */
    bt_store_writer_state writer_state; /* as of the last service turn */
    bt_playlist playlist;
    bool has_playlist;
    char playlist_dir[BT_MAX_PATH_BYTES];
    bt_screen *screen;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *rotated;   /* portrait content on a landscape output (or the reverse) */
    bt_ui_turn *turn;       /* the same on SDL's software renderer: turned by us, changes only */
    /* SDL's software renderer paints straight into the window's surface: a present then sends
     * only `damage` to the display (bt_ui_display_send_rects), not the whole window. */
    bool window_surface;
    bt_ui_display_send *send; /* how window_surface frames reach the display; with the window */
    SDL_Thread *prefault;     /* making the surfaces resident, until the first draw */
    SDL_Surface *prefault_surfaces[2];
    SDL_Rect damage;        /* what the last kiosk_draw changed, in content pixels */
    int width, height;      /* of the content, after rotation */
    bt_proof proof;
    bt_mono_ns next_flush;  /* on the monotonic clock: a clock set back a day must not stop it */
    bt_wall active_since;   /* when the playlist's version became active (broadcast slots) */
    bt_broadcaster *broadcaster; /* NULL: no loudspeaker (it could not start) */
    Uint32 wake_event;      /* pushed by the audio and measuring threads */
    SDL_atomic_t wake_pending; /* one wake event in the queue at a time */
    char now_playing[BT_MAX_TITLE_BYTES + 1];
    kiosk_caption caption;  /* the words of the item on air, phrase by phrase (issue 14) */
    bt_screen_schedule_row day_rows[MAX_DAY_SLOTS]; /* what the schedule notice was given */
    size_t day_count;
    bt_day day;
    bt_kiosk_usb *usb;      /* NULL: no stick detection (it could not start) */
    bt_panel *overlay;      /* paints the panel and the USB overlays; NULL: none */
    bt_panel_state panel;
    SDL_Keycode panel_key;
    bt_panel_info *panel_info; /* gathered when the panel opens, refreshed while open */
    bt_panel_proof_view *panel_proof; /* "Màn hình đã chiếu": gathered as for panel_info */
    /* "Ghi nhận kênh khác": the latest entries to undo, the answer to the last write */
    bt_app_panel_records *panel_records;
    int64_t panel_info_ms;  /* mono ms of the last gathering */
    bool overlay_drawn;     /* the last frame carries overlay pixels */
    bt_panel_mode panel_shown; /* the panel's mode in the last frame: what its keys answer for */
    char clock_answer[BT_PANEL_LINE_BYTES]; /* the clock page's answer to its last OK */
    bool reshow;            /* a new playlist: show the rotation's pick again */
    bool has_results;       /* the playlist has results notices */
    int64_t results_next_ms;
    /* The store could not be opened ("": it is fine): the screen goes on with the last playlist
     * shown (LAST_PLAYLIST_FILE), the loudspeaker and sticks wait, the panel and the journal say
     * why, and the store is tried again every STORE_RETRY_MS. */
    char store_problem[BT_MAX_PATH_BYTES + 256];
    int64_t store_retry_ms;
    bool clock_untrusted;   /* the screen shows no date or time (kiosk_check_clock) */
    /* Proof of play takes the verdict only when it was reached after the wall clock's last jump
     * (kiosk_proof_clock): the loop counts jumps, each check notes how many it saw. */
    bt_clock_sample clock_seen; /* the loop's previous reading */
    unsigned clock_jumps, clock_judged;
    bool redraw_asked;      /* a result from the store's writer changed what the screen shows */
    char staff_notice[BT_SCREEN_STAFF_NOTICE_MAX_BYTES]; /* the discreet mark shown ("" none) */
    bool staff_time_set;    /* staff set the clock from the panel (PIN) at these two readings */
    bt_wall staff_time_wall;
    bt_mono_ns staff_time_mono;
    bt_wall status_second;  /* when the service status was last worked out */
    bool audio_stuck_said;  /* the journal was told the audio threads stopped */
    /* The display outside display.on (bt_display_power.h): asleep, nothing is drawn and no
     * impression counted; DPMS and HDMI-CEC switch it when they can, else it is painted black. */
    bt_display_power power;
    bt_ui_dpms *dpms;
    bt_ui_cec *cec;
    kiosk_sound sound;      /* a video notice's own sound on the screen's output (issue 15) */
    bool audio_held;        /* the kiosk's own hold on SDL's audio (kiosk_hold_audio) */
} kiosk;

static bt_wall wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bt_mono_ns mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (bt_mono_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t mono_ms_of(bt_mono_ns mono)
{
    return mono / 1000000;
}

/* A reading for proof of play (bt_proof.h): seconds come from mono; the wall clock places them
 * only while a verdict reached since its last jump believes it. */
static bt_proof_clock kiosk_proof_clock(const kiosk *k, bt_wall now, bt_mono_ns mono)
{
    bt_proof_clock c = {now, mono, !k->clock_untrusted && k->clock_judged == k->clock_jumps};
    return c;
}

/* True when the wall clock moved apart from the monotonic one since the loop's last turn (set
 * by hand, by the panel, or at start: no verdict yet), so that the clock is judged again. */
static bool kiosk_clock_jumped(kiosk *k, bt_wall now, bt_mono_ns mono)
{
    bt_clock_sample seen = {now, mono};
    bool first = k->clock_seen.mono == 0;
    bool jumped = first || bt_clock_check(k->clock_seen, seen).kind != BT_CLOCK_STEADY;
    k->clock_seen = seen;
    if (jumped)
        k->clock_jumps++;
    return jumped;
}

/* Today's target progress, read for the results notices. */
typedef struct {
    kiosk *k;
    bt_wall now;
    int rc;
    bt_targets targets;
    bt_target_progress *rows;
    size_t n;
    bool screen;
} results_read;

static void results_run(bt_store *s, void *arg)
{
    results_read *r = arg;
    r->rc = bt_report_progress_today(s, r->now, NULL, &r->targets, &r->rows, &r->n);
}

/* Fills the results notices from what was read. */
static void results_done(void *arg)
{
    results_read *r = arg;
    kiosk *k = r->k;
    /* Without figures the notice says they will come, rather than showing nothing. */
    bool changed = k->has_results &&
                   bt_app_results_fill(&k->playlist, r->rc == 0 ? r->rows : NULL,
                                       r->rc == 0 ? r->n : 0);
    if (r->rc == 0)
        bt_targets_free(&r->targets);
    free(r->rows);
    if (changed && r->screen && k->screen) {
        bt_screen_set_playlist(k->screen, &k->playlist, k->playlist_dir);
        k->reshow = true;
    }
    free(r);
}

/* Public results notices: their text from today's target progress. screen: tell the screen when
 * the text changed (false before the screen exists). Read by the store's writer while running,
 * so a period's worth of log is never read on the thread that draws. */
static void kiosk_results_refresh(kiosk *k, bt_wall now, bool screen)
{
    k->has_results = false;
    for (size_t i = 0; k->has_playlist && i < k->playlist.notice_count; i++)
        k->has_results |= k->playlist.notices[i].target != NULL;
    if (!k->has_results)
        return;
    results_read *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->k = k;
    r->now = now;
    r->rc = -1;
    r->screen = screen;
    if (k->writer && screen) {
        if (bt_store_writer_query(k->writer, results_run, results_done, r) != 0)
            free(r);
        return;
    }
    if (k->store)
        results_run(k->store, r);
    results_done(r);
}

static void print_diags_to_log(bt_diags *d)
{
    char line[BT_MAX_PATH_BYTES + BT_MAX_DIAG_MESSAGE + 64];
    bt_diags_sort(d);
    for (size_t i = 0; i < d->count; i++)
        bt_log_warn("%s", bt_diag_format(&d->items[i], line, sizeof line));
}

/* Remembers, outside the database, which playlist the screen shows (written whole through a
 * temporary file and a rename; a read-only folder just keeps the old note). */
static void kiosk_note_last_playlist(const kiosk *k)
{
    char path[BT_MAX_PATH_BYTES + 64], tmp[BT_MAX_PATH_BYTES + 80];
    snprintf(path, sizeof path, "%s/%s", k->app->data_dir, LAST_PLAYLIST_FILE);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    bool ok = fprintf(f, "%s\n", k->playlist_dir) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        bt_log_debug("không ghi được \"%s\"", path);
    }
}

/* The folder noted by kiosk_note_last_playlist; false when there is none. */
static bool kiosk_last_playlist(const kiosk *k, char *dir, size_t size)
{
    char path[BT_MAX_PATH_BYTES + 64];
    snprintf(path, sizeof path, "%s/%s", k->app->data_dir, LAST_PLAYLIST_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool got = fgets(dir, (int)size, f) != NULL;
    fclose(f);
    dir[got ? strcspn(dir, "\n") : 0] = '\0';
    return dir[0] != '\0';
}

/* Loads `dir`; on success it becomes the active playlist (in the store too, when named on the
 * command line). A bad playlist leaves the previous one playing. */
static int kiosk_load_playlist(kiosk *k, const char *dir, bool activate)
{
    bt_playlist p;
    bt_diags d;
    bt_playlist_init(&p);
    bt_diags_init(&d);
    int rc = bt_playlist_load_for_display(dir, &p, &d);
    print_diags_to_log(&d);
    bt_diags_free(&d);
    if (rc != 0) {
        bt_log_error("playlist \"%s\" có lỗi — giữ nguyên nội dung đang chiếu", dir);
        return -1;
    }
    if (activate && k->store) {
        bt_store_playlist sp = {0}, before;
        snprintf(sp.id, sizeof sp.id, "%s", p.id);
        sp.version = p.version;
        snprintf(sp.title, sizeof sp.title, "%s", p.title);
        if (bt_path_real(dir, sp.dir, sizeof sp.dir) != 0)
            snprintf(sp.dir, sizeof sp.dir, "%s", dir);
        sp.activated_at = wall_now();
        /* The same version started again (a restart with --playlist) has been active all
         * along: its broadcast slots since then are still its own, missed or not. */
        if (bt_store_active_playlist(k->store, &before) == 1 && strcmp(before.id, sp.id) == 0 &&
            before.version == sp.version)
            sp.activated_at = before.activated_at;
        if (bt_store_activate(k->store, &sp, &p) != 0)
            bt_log_warn("không ghi được playlist đang chạy vào cơ sở dữ liệu");
        k->active_since = sp.activated_at;
    }
    if (k->has_playlist)
        bt_playlist_free(&k->playlist);
    k->playlist = p;
    k->has_playlist = true;
    snprintf(k->playlist_dir, sizeof k->playlist_dir, "%s", dir);
    /* A notice whose file is gone was kept but will not show (bt_playlist_load_for_display);
     * the warnings above name each one. */
    size_t usable = bt_playlist_usable_notices(&p);
    if (usable < p.notice_count)
        bt_log_warn("đang chiếu playlist \"%s\" phiên bản %d (%zu thông báo, bỏ qua %zu thông "
                    "báo thiếu tệp ảnh) — hãy nạp lại playlist từ USB",
                    p.id, p.version, usable, p.notice_count - usable);
    else
        bt_log_info("đang chiếu playlist \"%s\" phiên bản %d (%zu thông báo)", p.id, p.version,
                    p.notice_count);
    kiosk_note_last_playlist(k);
    return 0;
}

static int kiosk_pick_playlist(kiosk *k, const bt_kiosk_options *opt)
{
    if (opt->playlist_dir)
        return kiosk_load_playlist(k, opt->playlist_dir, true);
    bt_store_playlist active;
    if (k->store && bt_store_active_playlist(k->store, &active) == 1) {
        k->active_since = active.activated_at;
        return kiosk_load_playlist(k, active.dir, false);
    }
    /* No store, or a new one that replaced a broken database: the screen goes on with what it
     * showed last (made active again in a new store, so the loudspeaker resumes too). */
    char dir[BT_MAX_PATH_BYTES];
    if (kiosk_last_playlist(k, dir, sizeof dir)) {
        bt_log_warn("cơ sở dữ liệu không cho biết playlist đang kích hoạt — chiếu tiếp playlist "
                    "lần trước \"%s\"", dir);
        return kiosk_load_playlist(k, dir, k->store != NULL);
    }
    bt_log_info("chưa có playlist nào được kích hoạt — màn hình chờ");
    return 0;
}

/* The store as the app opens it, with the kiosk's small page cache (BT_KIOSK_STORE_CACHE_KIB). */
static bt_store *kiosk_store_open(kiosk *k)
{
    bt_store *s = bt_app_open_store(k->app);
    if (s)
        bt_store_set_cache_kib(s, BT_KIOSK_STORE_CACHE_KIB);
    return s;
}

/* Opens the store; a broken database is set aside (kept) and a new one started; a store that
 * cannot be opened leaves k->store NULL with the reason in k->store_problem. */
static void kiosk_open_store_file(kiosk *k)
{
    char path[BT_MAX_PATH_BYTES + 32], problem[BT_MAX_PATH_BYTES + 128];
    char moved[BT_MAX_PATH_BYTES + 64];
    snprintf(path, sizeof path, "%s/%s", k->app->data_dir, BT_STORE_FILE);
    k->store_problem[0] = '\0';
    /* The usual case costs one open; the diagnosis (a quick_check that reads the whole file,
     * years of log) runs only for a store that will not open. */
    if ((k->store = kiosk_store_open(k)) != NULL)
        return;
    bt_store_state state = bt_store_diagnose(path, problem, sizeof problem);
    if (state == BT_STORE_CORRUPT) {
        if (bt_store_set_aside(path, moved, sizeof moved) == 0) {
            bt_log_error("%s — đã chuyển sang \"%s\" (giữ lại để phục hồi) và bắt đầu cơ sở dữ "
                         "liệu mới", problem, moved);
            state = BT_STORE_FINE;
        } else {
            bt_log_error("%s — không chuyển sang bên được: %s", problem, bt_vi_errno(errno).text);
        }
    }
    if (state == BT_STORE_FINE || state == BT_STORE_DISK_FULL)
        k->store = kiosk_store_open(k);
    if (k->store)
        return;
    snprintf(k->store_problem, sizeof k->store_problem, "%s",
             problem[0] ? problem : "không mở được cơ sở dữ liệu");
    bt_log_error("%s — màn hình vẫn chiếu playlist lần trước; loa và nạp USB tạm dừng vì không "
                 "ghi được nhật ký; thử lại sau %d giây", k->store_problem, STORE_RETRY_MS / 1000);
}

static void kiosk_wake(void *ctx);

/* The store and its writer (which, opening, writes rows an earlier run could not and closes
 * airings a crash left open). Without a writer nothing could be recorded: as without a store. */
static void kiosk_open_store(kiosk *k)
{
    kiosk_open_store_file(k);
    if (!k->store)
        return;
    char path[BT_MAX_PATH_BYTES + 32], err[512];
    snprintf(path, sizeof path, "%s/%s", k->app->data_dir, BT_STORE_FILE);
    bt_store_writer_config wc = {path, NULL, kiosk_wake, k};
    if (bt_store_writer_open(&wc, &k->writer, err, sizeof err) == 0)
        return;
    snprintf(k->store_problem, sizeof k->store_problem, "%s", err);
    bt_log_error("không mở được luồng ghi cơ sở dữ liệu: %s — loa và nạp USB tạm dừng; thử lại "
                 "sau %d giây", err, STORE_RETRY_MS / 1000);
    bt_store_close(k->store);
    k->store = NULL;
}

/* The impressions gathered so far go to the store's writer, which keeps them while the store
 * refuses them. */
static void kiosk_flush_proof(kiosk *k, bt_wall now)
{
    bt_proof_advance(&k->proof, kiosk_proof_clock(k, now, mono_now()));
    if (bt_proof_pending(&k->proof) == 0 || !k->writer)
        return;
    if (bt_store_writer_impressions(k->writer, k->proof.rows, k->proof.count) == 0)
        bt_proof_clear_rows(&k->proof);
    else
        bt_log_warn("hết bộ nhớ: chưa ghi được số lần hiển thị; sẽ thử lại");
}

/* True when SDL fell back to a driver that shows nothing (PITFALLS: silent offscreen). */
static bool no_real_display(void)
{
    const char *driver = SDL_GetCurrentVideoDriver();
    const char *asked = SDL_getenv("SDL_VIDEODRIVER");
    bool headless = driver && (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0);
    return headless && !(asked && *asked);
}

/* Reads back what the renderer drew (before present) and writes a PNG. */
static int save_frame_png(SDL_Renderer *r, int w, int h, const char *path)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf)
        return -1;
    int rc = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, surf->pixels, surf->pitch);
    if (rc == 0)
        rc = bt_sdl_image_save_png(surf, path);
    SDL_FreeSurface(surf);
    return rc == 0 ? 0 : -1;
}

/* No display: render the idle screen and each notice to PNG so staff can still see the result. */
static int kiosk_write_previews(kiosk *k)
{
    char dir[BT_MAX_PATH_BYTES + 32];
    snprintf(dir, sizeof dir, "%s/%s", k->app->data_dir, BT_DEMO_PREVIEW_DIR);
    if (bt_app_ensure_dir(dir) != 0) {
        fprintf(stderr, "bangtin: không tạo được thư mục \"%s\": %s\n", dir,
                bt_vi_errno(errno).text);
        return 1;
    }
    printf("Không tìm thấy màn hình (không có X11/Wayland/KMSDRM). Đã vẽ từng trang ra tệp PNG:\n");
    size_t count = k->has_playlist ? k->playlist.notice_count : 0;
    bt_wall now = wall_now();
    for (size_t i = 0; i <= count; i++) {
        char path[BT_MAX_PATH_BYTES + 160];
        size_t index = i < count ? i : BT_ROTATION_NONE;
        if (i < count)
            snprintf(path, sizeof path, "%s/%02zu-%s.png", dir, i + 1, k->playlist.notices[i].id);
        else
            snprintf(path, sizeof path, "%s/00-man-hinh-cho.png", dir);
        bt_screen_show(k->screen, index, false, 0);
        if (k->rotated)
            SDL_SetRenderTarget(k->renderer, k->rotated);
        bt_screen_draw(k->screen, now, 0);
        if (save_frame_png(k->renderer, k->width, k->height, path) != 0) {
            fprintf(stderr, "bangtin: không ghi được \"%s\": %s\n", path,
                    bt_vi_library_error(SDL_GetError()));
            return 1;
        }
        printf("  %s\n", path);
    }
    return 0;
}

/* A monitor mounted on its side still reports a landscape mode unless the OS rotates it; then
 * the content is painted upright into a texture and presented turned 90° clockwise. */
/* SDL's software renderer paints the upright content into a surface of its own and bt_ui_turn
 * turns only what changed into the window; false (and the window's renderer untouched) when
 * that cannot be set up. */
static bool kiosk_setup_turn(kiosk *k, int w, int h)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(k->renderer, &info) != 0 || strcmp(info.name, "software") != 0)
        return false;
    /* The window's surface is the software renderer's target: the renderer goes first. */
    SDL_DestroyRenderer(k->renderer);
    k->renderer = NULL;
    k->turn = bt_ui_turn_create(k->window, w, h);
    if (k->turn) {
        bt_ui_turn_set_send(k->turn, k->send);
        k->renderer = SDL_CreateSoftwareRenderer(bt_ui_turn_content(k->turn));
    }
    if (k->renderer)
        return true;
    bt_log_warn("xoay bằng phần mềm không được (%s), dùng cách xoay của SDL",
                bt_vi_library_error(SDL_GetError()));
    bt_ui_turn_destroy(k->turn);
    k->turn = NULL;
    k->renderer = SDL_CreateRenderer(k->window, -1, 0);
    return false;
}

static int kiosk_setup_rotation(kiosk *k, bool headless)
{
    const char *want = k->app->cfg.display_orientation;
    bool output_portrait = k->height > k->width;
    bool turn = (strcmp(want, "portrait") == 0 && !output_portrait) ||
                (strcmp(want, "landscape") == 0 && output_portrait);
    if (!turn)
        return 0;
    int w = k->height, h = k->width;
    /* Headless previews read the frame back through the renderer: SDL's route for them. */
    if (headless || !kiosk_setup_turn(k, w, h)) {
        if (k->renderer)
            k->rotated = SDL_CreateTexture(k->renderer, SDL_PIXELFORMAT_ARGB8888,
                                           SDL_TEXTUREACCESS_TARGET, w, h);
        if (!k->rotated) {
            bt_log_error("không xoay được màn hình: %s", bt_vi_library_error(SDL_GetError()));
            return -1;
        }
    }
    k->width = w;
    k->height = h;
    bt_log_info("nội dung %dx%d được xoay 90° cho màn hình đặt %s", w, h,
                output_portrait ? "ngang" : "dọc");
    return 0;
}

static bool kiosk_turned(const kiosk *k)
{
    return k->rotated || k->turn;
}

/* Paints what lies over the frame: the staff panel (or its PIN entry) above the USB import's
 * progress or result. The screen may repaint only its bottom band on the next frame; with
 * overlay pixels in the target it must repaint everything, and once more after they go. */
static void kiosk_draw_overlays(kiosk *k)
{
    bool drawn = false;
    k->panel_shown = BT_PANEL_CLOSED;
    const bt_usb_preview *question = bt_kiosk_usb_question(k->usb);
    if (k->overlay && k->panel.mode == BT_PANEL_APPROVE && question) {
        k->panel_shown = BT_PANEL_APPROVE;
        bt_panel_approval_view *v = malloc(sizeof *v);
        if (v) {
            bt_kiosk_usb_approval_view(question, &k->panel, mono_ms_of(mono_now()), v);
            bt_panel_draw_approval(k->overlay, v);
            free(v);
        }
        drawn = true;
    } else if (k->overlay && k->panel.mode == BT_PANEL_OPEN && k->panel_info) {
        k->panel_shown = BT_PANEL_OPEN;
        bt_panel_draw_info(k->overlay, k->panel_info);
        drawn = true;
    } else if (k->overlay && k->panel.mode == BT_PANEL_PROOF && k->panel_proof) {
        k->panel_shown = BT_PANEL_PROOF;
        bt_panel_draw_proof(k->overlay, k->panel_proof);
        drawn = true;
    } else if (k->overlay && k->panel.mode == BT_PANEL_RECORDS && k->panel_records) {
        k->panel_shown = BT_PANEL_RECORDS;
        bt_panel_records_view *v = malloc(sizeof *v);
        if (v) {
            bt_app_panel_records_view(&k->panel, &k->panel_records->recent,
                                      k->panel_records->answer, v);
            bt_panel_draw_records(k->overlay, v);
            free(v);
        }
        drawn = true;
    } else if (k->overlay && k->panel.mode == BT_PANEL_PIN) {
        k->panel_shown = BT_PANEL_PIN;
        bt_panel_draw_pin_state(k->overlay, &k->panel);
        drawn = true;
    } else if (k->overlay && k->panel.mode == BT_PANEL_CLOCK) {
        k->panel_shown = BT_PANEL_CLOCK;
        bt_panel_clock_view v;
        bt_app_panel_clock_view(&k->panel, wall_now(), !k->clock_untrusted, k->clock_answer, &v);
        bt_panel_draw_clock(k->overlay, &v);
        drawn = true;
    } else if (k->overlay && k->usb) {
        bt_kiosk_usb_view v;
        bt_kiosk_usb_view_get(k->usb, &v);
        if (v.phase == BT_KIOSK_USB_IMPORTING) {
            bt_panel_draw_progress(k->overlay, v.percent);
            drawn = true;
        } else if (v.phase == BT_KIOSK_USB_RESULT) {
            bt_panel_draw_result(k->overlay, v.text, v.ok);
            drawn = true;
        }
    }
    if (drawn || k->overlay_drawn)
        bt_screen_invalidate(k->screen);
    k->overlay_drawn = drawn;
}

static void kiosk_prefault_wait(kiosk *k);

/* Paints a frame into the window (through the rotation texture when the screen is turned) and
 * notes what it changed. */
static int kiosk_draw(kiosk *k, bt_wall now, bt_mono_ns mono)
{
    kiosk_prefault_wait(k);
    k->damage = (SDL_Rect){0, 0, k->width, k->height};
    if (!k->rotated) {
        int ms = bt_screen_draw(k->screen, now, mono);
        kiosk_draw_overlays(k);
        /* Overlay pixels are in this frame (the next one is full again). */
        if (!k->overlay_drawn)
            k->damage = bt_screen_damage(k->screen);
        return ms;
    }
    SDL_SetRenderTarget(k->renderer, k->rotated);
    int ms = bt_screen_draw(k->screen, now, mono);
    kiosk_draw_overlays(k);
    SDL_SetRenderTarget(k->renderer, NULL);
    /* Centre of the turned texture must land on the output's centre. */
    SDL_Rect dst = {(k->height - k->width) / 2, (k->width - k->height) / 2, k->width, k->height};
    SDL_RenderCopyEx(k->renderer, k->rotated, NULL, &dst, 90.0, NULL, SDL_FLIP_NONE);
    return ms;
}

/* Tells the screen which surface the software renderer paints into (the ticker moves its
 * pixels there instead of painting them again). */
static void kiosk_set_target(kiosk *k)
{
    if (k->turn)
        bt_screen_set_target_surface(k->screen, bt_ui_turn_content(k->turn));
    else if (k->window_surface)
        bt_screen_set_target_surface(k->screen, SDL_GetWindowSurface(k->window));
}

/* Sends the frame to the display: what it changed only, where the renderer lets us. */
static void kiosk_present(kiosk *k)
{
    if (k->turn) {
        bt_ui_turn_present(k->turn, &k->damage);
    } else if (k->window_surface) {
        /* SDL_RenderPresent would send the whole window (8 MB at 1920×1080, copied by the X
         * server) for a ticker frame that changed a strip of it. */
        SDL_RenderFlush(k->renderer);
        if (k->damage.w > 0 && k->damage.h > 0)
            bt_ui_display_send_rects(k->send, &k->damage, 1);
    } else {
        SDL_RenderPresent(k->renderer);
    }
}

/* The surfaces the software renderer paints into (the window's, and the upright content's when
 * the screen is turned), made resident and written once, on a thread of their own while the
 * first notice is laid out: one madvise instead of a page fault per page, then a pass of zeros
 * over what is still zeros, since on the measured VM a page's first write after it was populated
 * still costs (the first frame's clear took ~10 ms of the loop, a later one 0.5 ms). */
static int prefault_run(void *arg)
{
    SDL_Surface **surfaces = arg;
    for (int i = 0; i < 2; i++) {
        SDL_Surface *surf = surfaces[i];
        if (!surf || !surf->pixels)
            continue;
        size_t size = (size_t)surf->pitch * (size_t)surf->h;
        bt_os_prefault(surf->pixels, size);
        memset(surf->pixels, 0, size);
    }
    return 0;
}

static void kiosk_prefault(kiosk *k)
{
    k->prefault_surfaces[0] = k->turn ? bt_ui_turn_content(k->turn) : NULL;
    k->prefault_surfaces[1] = k->turn || k->window_surface ? SDL_GetWindowSurface(k->window) : NULL;
    if (!k->prefault_surfaces[0] && !k->prefault_surfaces[1])
        return;
    k->prefault = SDL_CreateThread(prefault_run, "bt-prefault", k->prefault_surfaces);
    if (!k->prefault) /* no thread: here, then */
        prefault_run(k->prefault_surfaces);
}

/* Before anything paints into those surfaces (or they go). */
static void kiosk_prefault_wait(kiosk *k)
{
    if (k->prefault)
        SDL_WaitThread(k->prefault, NULL);
    k->prefault = NULL;
}

static int kiosk_open_window(kiosk *k, const bt_kiosk_options *opt, bool headless)
{
    const bt_config *cfg = &k->app->cfg;
    int w = opt->width ? opt->width : cfg->display_width;
    int h = opt->height ? opt->height : cfg->display_height;
    const char *driver = SDL_GetCurrentVideoDriver();
    bool virtual_display = headless || (driver && (strcmp(driver, "offscreen") == 0 ||
                                                   strcmp(driver, "dummy") == 0));
    /* FULLSCREEN_DESKTOP takes the display's size; an explicit size gets a borderless window
     * of exactly that size instead (offscreen/dummy would otherwise give 1024×768). */
    bool explicit_size = w && h;
    bool fullscreen = cfg->display_fullscreen && !opt->windowed && !virtual_display &&
                      !explicit_size;
    bool borderless = cfg->display_fullscreen && !opt->windowed && !virtual_display &&
                      explicit_size;
    SDL_DisplayMode mode;
    if ((!w || !h) && !headless && SDL_GetDesktopDisplayMode(0, &mode) == 0) {
        w = mode.w;
        h = mode.h;
    }
    if (!w || !h) {
        bool portrait = strcmp(cfg->display_orientation, "portrait") == 0;
        w = portrait ? 1080 : 1920;
        h = portrait ? 1920 : 1080;
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (borderless)
        flags |= SDL_WINDOW_BORDERLESS;
    int pos = borderless ? 0 : (int)SDL_WINDOWPOS_CENTERED;
    k->window = SDL_CreateWindow("bangtin", pos, pos, w, h, flags);
    if (!k->window) {
        bt_log_error("không mở được cửa sổ trên màn hình: %s", bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    /* First, so that the X server warms the window's pixels while the rest is set up. */
    if (!headless && !(k->send = bt_ui_display_send_create(k->window))) {
        bt_log_error("không mở được cửa sổ trên màn hình: %s", bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    k->renderer = SDL_CreateRenderer(k->window, -1, 0);
    if (!k->renderer) {
        bt_log_error("không tạo được bộ vẽ cho màn hình: %s", bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    SDL_GetRendererOutputSize(k->renderer, &k->width, &k->height);
    if (kiosk_setup_rotation(k, headless) != 0)
        return -1;
    SDL_RendererInfo info;
    k->window_surface = !headless && !kiosk_turned(k) &&
                        SDL_GetRendererInfo(k->renderer, &info) == 0 &&
                        strcmp(info.name, "software") == 0;
    kiosk_prefault(k);
    if (fullscreen || borderless)
        SDL_ShowCursor(SDL_DISABLE);
    bt_screen_config sc;
    bt_config_screen(cfg, &sc);
    char err[512];
    if (bt_screen_create(k->renderer, k->width, k->height, &sc, &k->screen, err, sizeof err) != 0) {
        bt_log_error("%s", err);
        return -1;
    }
    bt_screen_set_playlist(k->screen, k->has_playlist ? &k->playlist : NULL, k->playlist_dir);
    kiosk_set_target(k);
    bt_log_info("màn hình %dx%d, trình điều khiển %s", k->width, k->height,
                SDL_GetCurrentVideoDriver());
    bt_panel_state_init(&k->panel, cfg->panel_pin, cfg->panel_timeout_seconds);
    k->panel_key = SDL_GetKeyFromName(cfg->panel_key);
    if (cfg->panel_pin[0] && !bt_panel_state_enabled(&k->panel))
        bt_log_warn("panel.pin chỉ được gồm chữ số (tối đa %d) — bảng theo dõi đang tắt",
                    BT_PANEL_MAX_PIN_DIGITS);
    if (bt_panel_state_enabled(&k->panel) && k->panel_key == SDLK_UNKNOWN)
        bt_log_warn("panel.key \"%s\" không phải tên phím — chỉ mở được bằng cách giữ góc trên "
                    "bên trái 3 giây", cfg->panel_key);
    return 0;
}

static bool handle_event(kiosk *k, const SDL_Event *ev, bool *redraw)
{
    switch (ev->type) {
    case SDL_QUIT:
        return false;
    case SDL_KEYDOWN:
        /* Ctrl+Q quits; a stray key on a lobby keyboard does not. */
        if (ev->key.keysym.sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))
            return false;
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
            ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            /* The window's pixels are gone (or a new surface): the next frame must be whole, not
             * just the ticker band. */
            bt_screen_invalidate(k->screen);
            if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                kiosk_set_target(k);
            *redraw = true;
        }
        break;
    default:
        break;
    }
    return true;
}

static int ms_until(bt_wall target, bt_wall now)
{
    if (target <= now)
        return 0;
    int64_t ms = (target - now) * 1000;
    return ms > MAX_SLEEP_MS ? MAX_SLEEP_MS : (int)ms;
}

/* Called from the audio, measuring and store-writing threads: wake the main loop (one event at
 * a time). Before the loop has its event, its turns come at least every MAX_SLEEP_MS anyway. */
static void kiosk_wake(void *ctx)
{
    kiosk *k = ctx;
    if (k->wake_event && SDL_AtomicCAS(&k->wake_pending, 0, 1)) {
        SDL_Event ev;
        SDL_zero(ev);
        ev.type = k->wake_event;
        if (SDL_PushEvent(&ev) != 1)
            SDL_AtomicSet(&k->wake_pending, 0);
    }
}

/* Hands the playlist on screen to the loudspeaker, bounded by its validity. */
static void kiosk_give_broadcasts(kiosk *k)
{
    bt_validity validity = {k->playlist.valid_from, k->playlist.valid_until};
    /* Text bulletins air their renders in the content store, spoken at activation; one that is
     * missing is spoken by the broadcaster's measuring thread, never by this one. */
    if (bt_broadcasts_text_count(&k->playlist.broadcasts) > 0) {
        bt_speech_cache speech;
        char err[512] = "";
        if (bt_speech_cache_open(&speech, k->app->data_dir,
                                 k->app->cfg.broadcast_loudness_target, err, sizeof err) != 0 ||
            bt_speech_cache_locate(&speech, &k->playlist.broadcasts) != 0)
            bt_log_error("bản tin văn bản: %s", err[0] ? err : "không đủ bộ nhớ");
    }
    if (bt_broadcaster_set_playlist(k->broadcaster, k->playlist.id, k->playlist.version,
                                    &k->playlist.broadcasts, k->playlist_dir, k->active_since,
                                    validity) != 0)
        bt_log_error("không đủ bộ nhớ cho lịch phát thanh");
}

/* SDL's audio held for the kiosk's life (SDL_Quit lets it go). Each device that opens takes its
 * own hold and gives it back when it closes or fails to open (a PC with no sound card, a USB
 * card unplugged); the last one given back stops SDL's audio driver, and ALSA's stops by joining
 * its hot-plug thread, which looks up only every 100 ms: up to 100 ms on the loop's thread, three
 * frames of a clip playing (measured: the kiosk's start on the benchmark's machine, which has no
 * sound card). */
static void kiosk_hold_audio(kiosk *k)
{
    if (!k->audio_held)
        k->audio_held = SDL_InitSubSystem(SDL_INIT_AUDIO) == 0;
}

/* Starts the loudspeaker side; without it the screen still runs (and says why in the log). */
static void kiosk_start_broadcasts(kiosk *k)
{
    kiosk_hold_audio(k);
    char path[BT_MAX_PATH_BYTES + 32], err[512];
    if (!k->wake_event) {
        bt_log_error("không phát thanh được: SDL hết mã sự kiện");
        return;
    }
    snprintf(path, sizeof path, "%s/%s", k->app->data_dir, BT_STORE_FILE);
    bt_broadcaster_config bc = {k->writer, path, &k->app->cfg, false, kiosk_wake, k};
    if (bt_broadcaster_create(&bc, &k->broadcaster, err, sizeof err) != 0) {
        bt_log_error("không phát thanh được: %s", err);
        return;
    }
    if (k->has_playlist)
        kiosk_give_broadcasts(k);
}

static bool same_rows(const bt_screen_schedule_row *a, const bt_screen_schedule_row *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].minute != b[i].minute || a[i].state != b[i].state ||
            strcmp(a[i].name, b[i].name) != 0)
            return false;
    return true;
}

/* Today's sessions for the schedule notice, passed on only when they change. */
static void kiosk_schedule_view(kiosk *k, bt_wall now, bool *redraw)
{
    bt_slot_view views[MAX_DAY_SLOTS];
    bt_screen_schedule_row rows[MAX_DAY_SLOTS];
    bt_day day = bt_time_day_of(now);
    const bt_broadcasts *model = bt_broadcaster_model(k->broadcaster);
    size_t n = model ? bt_broadcaster_day(k->broadcaster, day, now, views, MAX_DAY_SLOTS) : 0;
    n = n ? bt_screen_schedule_rows(model, views, n, rows) : 0;
    if (day == k->day && n == k->day_count && same_rows(rows, k->day_rows, n))
        return;
    memcpy(k->day_rows, rows, n * sizeof rows[0]);
    k->day_count = n;
    k->day = day;
    bt_screen_set_schedule(k->screen, rows, n, day);
    *redraw = true;
}

/* The broadcast turn of the loop: returns its wake-up in ms; the banner follows what airs. */
static int kiosk_broadcast(kiosk *k, int64_t wall_ms, bt_mono_ns mono, bool *redraw)
{
    if (!k->broadcaster)
        return MAX_SLEEP_MS;
    int ms = bt_broadcaster_tick(k->broadcaster, wall_ms, mono);
    const char *playing = bt_broadcaster_now_playing(k->broadcaster);
    if (strcmp(playing ? playing : "", k->now_playing) != 0) {
        snprintf(k->now_playing, sizeof k->now_playing, "%s", playing ? playing : "");
        bt_screen_set_now_playing(k->screen, playing);
        *redraw = true;
    }
    int caption_ms = kiosk_caption_turn(&k->caption, k->broadcaster, k->screen, mono, redraw);
    kiosk_schedule_view(k, (bt_wall)(wall_ms / 1000), redraw);
    return caption_ms < ms ? caption_ms : ms;
}

/* Tests (BANGTIN_TEST_CAPTION_SHOTS=DIR): the first frame after each change of the caption is
 * written as DIR/caption-NN.png, with a line "NN<TAB>ms since the item's first sound<TAB>the
 * phrase" ("" once it is gone) in DIR/captions.txt, so a test sees what the lobby saw. */
static void kiosk_caption_shot(kiosk *k, bt_mono_ns mono)
{
    static unsigned count;
    const char *dir = getenv("BANGTIN_TEST_CAPTION_SHOTS");
    if (!dir || !*dir || k->rotated || k->turn)
        return;
    long long elapsed = 0;
    const char *text = kiosk_caption_shown(&k->caption, mono, &elapsed);
    char path[BT_MAX_PATH_BYTES + 64];
    snprintf(path, sizeof path, "%s/caption-%02u.png", dir, count);
    if (save_frame_png(k->renderer, k->width, k->height, path) != 0)
        return;
    snprintf(path, sizeof path, "%s/captions.txt", dir);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%02u\t%lld\t%s\n", count, elapsed, text ? text : "");
        fclose(f);
    }
    count++;
}

/* The store's active playlist changed (a stick was imported): play it, screen and loudspeaker.
 * If it does not load, what played goes on (kiosk_load_playlist says why in the log). */
static void kiosk_reload_active(kiosk *k, bt_wall now)
{
    bt_store_playlist active;
    if (!k->store || bt_store_active_playlist(k->store, &active) != 1 ||
        kiosk_load_playlist(k, active.dir, false) != 0)
        return;
    k->active_since = active.activated_at;
    kiosk_results_refresh(k, now, false);
    bt_screen_set_playlist(k->screen, &k->playlist, k->playlist_dir);
    k->reshow = true;
    k->day = INT32_MIN; /* the schedule notice gets the new sessions at the next turn */
    if (k->broadcaster)
        kiosk_give_broadcasts(k);
}

/* The last import of this process, for the panel ("" = none: the panel asks the store). */
static void last_import_line(const kiosk *k, char *buf, size_t size)
{
    bt_wall at;
    char headline[1024], when[64], hhmm[16];
    buf[0] = '\0';
    if (bt_kiosk_usb_last(k->usb, &at, headline, sizeof headline))
        snprintf(buf, size, "%s %s — %s", bt_time_format_date_vi(at, when, sizeof when),
                 bt_time_format_hhmm(at, hhmm, sizeof hhmm), headline);
}

static void kiosk_panel_gather(kiosk *k, bt_wall now, int64_t mono_ms)
{
    char line[1200];
    if (!k->panel_info && !(k->panel_info = malloc(sizeof *k->panel_info)))
        return;
    last_import_line(k, line, sizeof line);
    bt_app_panel_info(k->app, k->store, now, line, k->panel_info);
    if (!k->store && k->store_problem[0])
        snprintf(k->panel_info->no_targets, sizeof k->panel_info->no_targets,
                 "Không ghi được dữ liệu: %.300s. Màn hình vẫn chiếu; loa và nạp USB tạm dừng.",
                 k->store_problem);
    else if (k->writer_state.waiting > 0)
        snprintf(k->panel_info->no_targets, sizeof k->panel_info->no_targets,
                 "Không ghi được nhật ký: %.300s. %zu dòng đang chờ ghi; buổi phát thường tạm "
                 "dừng cho đến khi ghi được.", k->writer_state.problem, k->writer_state.waiting);
    else if (bt_broadcaster_problem(k->broadcaster))
        snprintf(k->panel_info->no_targets, sizeof k->panel_info->no_targets, "%.400s.",
                 bt_broadcaster_problem(k->broadcaster));
    k->panel_info_ms = mono_ms;
    /* What "Ghi nhận kênh khác" will offer: the playing plan's channels, today, the latest
     * entries. */
    if (k->panel_records || (k->panel_records = calloc(1, sizeof *k->panel_records)))
        bt_app_panel_records_options(&k->panel, k->store, k->has_playlist ? &k->playlist : NULL,
                                     now, &k->panel_records->recent);
}

/* The proof-of-play page's figures, read from the store as the panel's are. */
static void kiosk_proof_gather(kiosk *k, bt_wall now, int64_t mono_ms)
{
    if (!k->panel_proof && !(k->panel_proof = malloc(sizeof *k->panel_proof)))
        return;
    bt_app_panel_proof(k->store, k->has_playlist ? &k->playlist : NULL, now,
                       k->app->cfg.panel_timeout_seconds, k->panel_proof);
    k->panel_info_ms = mono_ms;
}

/* True if a press at window point (x, y) is in the top-left corner that opens the panel. */
/* The content's top-left corner, where the viewer sees it: on a turned monitor that is the
 * window's top-right. */
static bool in_corner(const kiosk *k, int x, int y)
{
    int w = 0, h = 0, cx, cy;
    SDL_GetWindowSize(k->window, &w, &h);
    bt_app_panel_window_to_content(w, h, k->width, k->height, kiosk_turned(k), x, y, &cx, &cy);
    int side = (k->width < k->height ? k->width : k->height) / PANEL_CORNER_DIVISOR;
    return cx >= 0 && cy >= 0 && cx < side && cy < side;
}

static bt_panel_input key_input(const kiosk *k, SDL_Keycode sym, int *digit)
{
    if (sym == k->panel_key && k->panel_key != SDLK_UNKNOWN) {
        if (k->panel.mode == BT_PANEL_APPROVE)
            return BT_PANEL_IN_OTHER; /* only Huỷ (Esc) refuses a stick */
        return k->panel.mode == BT_PANEL_CLOSED ? BT_PANEL_IN_KEY : BT_PANEL_IN_ESCAPE;
    }
    if (sym >= SDLK_0 && sym <= SDLK_9) {
        *digit = sym - SDLK_0;
        return BT_PANEL_IN_DIGIT;
    }
    if (sym >= SDLK_KP_1 && sym <= SDLK_KP_9) {
        *digit = sym - SDLK_KP_1 + 1;
        return BT_PANEL_IN_DIGIT;
    }
    switch (sym) {
    case SDLK_KP_0: *digit = 0; return BT_PANEL_IN_DIGIT;
    case SDLK_BACKSPACE: return BT_PANEL_IN_BACKSPACE;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return BT_PANEL_IN_ENTER;
    case SDLK_ESCAPE: return BT_PANEL_IN_ESCAPE;
    case SDLK_TAB: return BT_PANEL_IN_PROOF;
    default: return BT_PANEL_IN_OTHER;
    }
}

static void kiosk_check_clock(kiosk *k, bt_wall now, bool first);

/* The clock page's OK (bt_clock_set.h): sets the clock and says who did, in the journal and as a
 * clock event in the log (the jump itself the loop and the broadcaster notice at their next
 * turn). True when there was something to do. */
static bool kiosk_panel_set_clock(kiosk *k, bt_wall now)
{
    bt_wall to = 0;
    char was[32], set[32];
    bt_clock_set_outcome o = bt_clock_set_from_panel(&k->panel, bt_clock_set_system, NULL,
                                                     k->clock_answer, sizeof k->clock_answer, &to);
    if (o == BT_CLOCK_SET_NONE)
        return false;
    if (o == BT_CLOCK_SET_REFUSED) {
        bt_log_warn("Bảng theo dõi: %s", k->clock_answer);
        return true;
    }
    bt_time_format_iso(now, was, sizeof was);
    bt_time_format_iso(to, set, sizeof set);
    bt_log_warn("Đồng hồ được đặt từ Bảng theo dõi (mã PIN): %s → %s. %s", was, set,
                k->clock_answer);
    bt_clock_event ce;
    memset(&ce, 0, sizeof ce);
    ce.detected_at_ms = (int64_t)to * 1000;
    ce.jump_ms = (int64_t)(to - now) * 1000;
    ce.mono = mono_now();
    snprintf(ce.note, sizeof ce.note, "đặt từ Bảng theo dõi (mã PIN): %s → %s", was, set);
    if (k->writer && bt_store_writer_clock_event(k->writer, &ce) != 0)
        bt_log_error("Hết bộ nhớ: không ghi được sự kiện đồng hồ vào nhật ký.");
    /* Staff vouched for this time with the PIN: it is the reference from now on, even when it is
     * earlier than rows a clock that ran ahead wrote (kiosk_apply_clock). */
    k->staff_time_set = true;
    k->staff_time_wall = to;
    k->staff_time_mono = ce.mono;
    k->redraw_asked = true;
    kiosk_check_clock(k, to, true);
    return true;
}

/* A stick waiting for the PIN (usb.unsigned = "pin"): puts the question on the panel's entry,
 * and hands staff's answer to the import. True when the screen changes. */
static bool kiosk_usb_approval(kiosk *k, int64_t mono_ms)
{
    const bt_usb_preview *q = bt_kiosk_usb_question(k->usb);
    bt_approval_status st = bt_panel_state_approval_take(&k->panel);
    if (st != BT_APPROVAL_NONE && st != BT_APPROVAL_WAITING) {
        bt_usb_approval a = bt_kiosk_usb_approval_of(st);
        bt_log_info("USB: %s", a == BT_USB_APPROVAL_APPROVED ? "cán bộ nhập đúng mã PIN, duyệt gói"
                              : a == BT_USB_APPROVAL_LOCKED  ? "nhập sai mã PIN 5 lần — không duyệt"
                              : a == BT_USB_APPROVAL_TIMED_OUT ? "hết 2 phút chờ mã PIN — không duyệt"
                                                               : "cán bộ bấm Huỷ — không duyệt");
        bt_kiosk_usb_answer(k->usb, a, wall_now());
        return true;
    }
    if (q && st == BT_APPROVAL_NONE) {
        if (!k->overlay || !bt_panel_state_approval_begin(&k->panel, mono_ms)) {
            bt_log_warn("USB: gói chưa ký cần duyệt bằng mã PIN nhưng %s — không nạp",
                        k->overlay ? "chưa đặt panel.pin" : "màn hình không hiện được câu hỏi");
            bt_kiosk_usb_answer(k->usb, BT_USB_APPROVAL_UNAVAILABLE, wall_now());
        }
        return true;
    }
    if (!q && st == BT_APPROVAL_WAITING) {
        bt_panel_state_approval_cancel(&k->panel); /* the import stopped waiting */
        return true;
    }
    return false;
}

/* Feeds keyboard, mouse and touch to the panel's state machine; true when the screen changes. */
static bool kiosk_panel_event(kiosk *k, const SDL_Event *ev, bt_wall now, int64_t mono_ms)
{
    bt_panel_input in;
    int digit = 0, w = 0, h = 0;
    switch (ev->type) {
    case SDL_KEYDOWN:
        in = key_input(k, ev->key.keysym.sym, &digit);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.which == SDL_TOUCH_MOUSEID)
            return false; /* the finger event below already said it */
        in = in_corner(k, ev->button.x, ev->button.y) ? BT_PANEL_IN_PRESS : BT_PANEL_IN_OTHER;
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which == SDL_TOUCH_MOUSEID)
            return false;
        in = BT_PANEL_IN_RELEASE;
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !ev->motion.state ||
            in_corner(k, ev->motion.x, ev->motion.y))
            return false;
        in = BT_PANEL_IN_RELEASE; /* dragged out of the corner */
        break;
    case SDL_FINGERDOWN:
        SDL_GetWindowSize(k->window, &w, &h);
        in = in_corner(k, (int)(ev->tfinger.x * w), (int)(ev->tfinger.y * h)) ? BT_PANEL_IN_PRESS
                                                                               : BT_PANEL_IN_OTHER;
        break;
    case SDL_FINGERUP:
        in = BT_PANEL_IN_RELEASE;
        break;
    default:
        return false;
    }
    /* On the PIN entry a press on its keypad is a digit, Xoá, OK or Huỷ; on the open panel a
     * press on Đóng is Esc (kiosk_panel.c). Only while the screen shows that mode: a second tap
     * queued behind the right PIN's OK must not hit the keypad's Huỷ, which the open panel has
     * not yet replaced on screen. */
    if (k->panel.mode != BT_PANEL_CLOSED && k->panel.mode == k->panel_shown)
        bt_app_panel_keypad(k->overlay, k->window, kiosk_turned(k), ev, &in, &digit);
    bt_panel_mode before = k->panel.mode;
    bool changed = bt_panel_state_input(&k->panel, in, digit, mono_ms);
    changed |= kiosk_panel_set_clock(k, now);
    /* Written by the store's writer; its answer redraws the page at a later poll. */
    if (k->panel_records &&
        bt_app_panel_records_write(k->panel_records, &k->panel, k->writer,
                                   k->has_playlist ? &k->playlist : NULL, now))
        changed = true;
    changed |= kiosk_usb_approval(k, mono_ms);
    if (before != BT_PANEL_OPEN && k->panel.mode == BT_PANEL_OPEN) {
        if (before != BT_PANEL_PROOF && before != BT_PANEL_RECORDS)
            bt_log_info("bảng theo dõi của cán bộ được mở");
        kiosk_panel_gather(k, now, mono_ms);
    }
    if (before != BT_PANEL_PROOF && k->panel.mode == BT_PANEL_PROOF)
        kiosk_proof_gather(k, now, mono_ms);
    return changed;
}

/* The turn of the panel and the stick watcher: time-outs, long presses, import progress. Returns
 * the ms until either wants the next turn. */
static void kiosk_retry_store(kiosk *k, bt_wall now, int64_t mono_ms);

static int kiosk_side_tick(kiosk *k, bt_wall now, int64_t mono_ms, bool *redraw)
{
    int wait = MAX_SLEEP_MS;
    kiosk_retry_store(k, now, mono_ms);
    if (bt_panel_state_tick(&k->panel, mono_ms)) {
        *redraw = true;
        if (k->panel.mode == BT_PANEL_CLOSED)
            bt_log_info("bảng theo dõi của cán bộ tự đóng");
    }
    if (k->panel.mode == BT_PANEL_OPEN && mono_ms - k->panel_info_ms >= PANEL_REFRESH_MS) {
        kiosk_panel_gather(k, now, mono_ms);
        *redraw = true;
    }
    if (k->panel.mode == BT_PANEL_PROOF && mono_ms - k->panel_info_ms >= PANEL_REFRESH_MS) {
        kiosk_proof_gather(k, now, mono_ms);
        *redraw = true;
    }
    int64_t next = bt_panel_state_next_ms(&k->panel, mono_ms);
    if (next >= 0 && next < wait)
        wait = (int)next;
    if (k->usb) {
        bool changed, activated;
        int ms = bt_kiosk_usb_tick(k->usb, mono_ms, &changed, &activated);
        if (activated)
            kiosk_reload_active(k, now);
        if (changed | kiosk_usb_approval(k, mono_ms))
            *redraw = true;
        if (ms < wait)
            wait = ms;
    }
    if (k->has_results && mono_ms >= k->results_next_ms) {
        k->results_next_ms = mono_ms + RESULTS_REFRESH_MS;
        kiosk_results_refresh(k, now, true);
    }
    return wait;
}

/* The loudspeaker (audio device, crash recovery, measuring) and the USB watcher start after
 * the first frame is on screen: opening an audio device can take a few hundred ms and the lobby
 * must never wait on it (benchmark: start → first frame < 0.2 s). */
static void kiosk_start_recording(kiosk *k);

static void kiosk_start_services(kiosk *k)
{
    /* Overlays are extras: without them the lobby screen still runs. Made here, not before the
     * first frame: they open their own faces and nothing shows them before a press or a stick. */
    bt_screen_config sc;
    bt_config_screen(&k->app->cfg, &sc);
    char err[512];
    if (bt_panel_create(k->renderer, k->width, k->height, &sc, &k->overlay, err, sizeof err) != 0)
        bt_log_error("không có bảng theo dõi và thông báo nạp USB trên màn hình: %s", err);
    kiosk_start_recording(k);
    /* After the loudspeaker's output, which it must never be. */
    kiosk_hold_audio(k);
    kiosk_sound_open(&k->sound, &k->app->cfg);
}

/* What needs the store, because it writes the record: the loudspeaker (its airing log) and the
 * stick watcher (imports). Without a store the screen runs alone (kiosk_open_store). */
static void kiosk_start_recording(kiosk *k)
{
    if (!k->store || !k->writer)
        return;
    if (!k->broadcaster) /* already on air if the kiosk had to wait for its display */
        kiosk_start_broadcasts(k);
    if (!k->usb && (!k->wake_event || bt_kiosk_usb_create(k->app, kiosk_wake, k, &k->usb) != 0))
        bt_log_error("không theo dõi được USB cắm vào (dùng \"bangtin import\" thay thế)");
}

/* Every STORE_RETRY_MS while the store could not be opened: once it opens (space freed, the disk
 * remounted writable), the loudspeaker and the sticks start and the store's playlist shows. */
static void kiosk_retry_store(kiosk *k, bt_wall now, int64_t mono_ms)
{
    if (k->store)
        return;
    if (!k->store_retry_ms)
        k->store_retry_ms = mono_ms + STORE_RETRY_MS;
    if (mono_ms < k->store_retry_ms)
        return;
    k->store_retry_ms = mono_ms + STORE_RETRY_MS;
    kiosk_open_store(k);
    if (!k->store)
        return;
    bt_log_info("đã mở được cơ sở dữ liệu — loa và nạp USB hoạt động trở lại");
    kiosk_reload_active(k, now);
    kiosk_start_recording(k);
}

/* The one line `systemctl status bangtin` shows: what the screen shows and what the loudspeaker
 * does next, e.g. "Đang chiếu 12 thông báo · buổi phát tiếp theo 17:00". */
static void kiosk_status_line(const kiosk *k, bt_wall now, char *buf, size_t size)
{
    size_t shown = 0, unavailable = 0;
    for (size_t i = 0; k->has_playlist && i < k->playlist.notice_count; i++) {
        if (k->playlist.notices[i].unavailable)
            unavailable++;
        else
            shown++;
    }
    if (bt_display_power_asleep(&k->power)) {
        int m = snprintf(buf, size, "Màn hình tắt ngoài giờ (display.on) · ");
        if (m < 0 || (size_t)m >= size)
            return;
        buf += m;
        size -= (size_t)m;
    }
    if (k->clock_untrusted) {
        int m = snprintf(buf, size, "Đồng hồ sai — không hiện ngày giờ · ");
        if (m < 0 || (size_t)m >= size)
            return;
        buf += m;
        size -= (size_t)m;
    }
    if (k->store_problem[0] && !k->store) {
        int m = snprintf(buf, size, "Không ghi được dữ liệu (%s) · ", k->store_problem);
        if (m < 0 || (size_t)m >= size)
            return;
        buf += m;
        size -= (size_t)m;
    }
    const char *refused = bt_broadcaster_problem(k->broadcaster);
    if (k->writer_state.failing || k->writer_state.waiting > 0 || refused) {
        int m = k->writer_state.waiting > 0
                    ? snprintf(buf, size, "Không ghi được nhật ký (%s): %zu dòng đang chờ ghi · ",
                               k->writer_state.problem[0] ? k->writer_state.problem : "lỗi ghi",
                               k->writer_state.waiting)
                    : snprintf(buf, size, "%s · ", refused ? refused : k->writer_state.problem);
        if (m < 0 || (size_t)m >= size)
            return;
        buf += m;
        size -= (size_t)m;
    }
    int n = !k->has_playlist
                ? snprintf(buf, size, "Màn hình chờ: chưa có playlist nào được kích hoạt")
            : unavailable
                ? snprintf(buf, size, "Đang chiếu %zu thông báo (%zu thiếu tệp ảnh, tạm không "
                                      "chiếu)", shown, unavailable)
                : snprintf(buf, size, "Đang chiếu %zu thông báo", shown);
    if (n < 0 || (size_t)n >= size)
        return;
    buf += n;
    size -= (size_t)n;
    if (k->now_playing[0]) {
        /* A long title is cut: systemd shows the status on one line anyway. */
        if (snprintf(buf, size, " · loa đang phát: %s", k->now_playing) >= (int)size)
            bt_log_debug("trạng thái dịch vụ bị cắt ngắn");
        return;
    }
    if (!k->day_count || k->day != bt_time_day_of(now))
        return;
    int minute = bt_time_minute_of_day(now);
    for (size_t i = 0; i < k->day_count; i++) {
        if (k->day_rows[i].state == BT_SLOT_UPCOMING && k->day_rows[i].minute >= minute) {
            snprintf(buf, size, " · buổi phát tiếp theo %02d:%02d", k->day_rows[i].minute / 60,
                     k->day_rows[i].minute % 60);
            return;
        }
    }
    snprintf(buf, size, " · hôm nay không còn buổi phát thanh");
}

/* The discreet mark for staff on the lobby screen while the record cannot be kept: what is
 * wrong in a few words; the panel has the whole story. */
static void kiosk_staff_notice(kiosk *k)
{
    char text[BT_SCREEN_STAFF_NOTICE_MAX_BYTES] = "";
    if (!k->store && k->store_problem[0])
        snprintf(text, sizeof text, "Không ghi được dữ liệu: %.200s — xem bảng theo dõi",
                 k->store_problem);
    else if (k->writer_state.failing || k->writer_state.waiting > 0)
        snprintf(text, sizeof text, "Không ghi được nhật ký: %.200s — xem bảng theo dõi",
                 k->writer_state.problem[0] ? k->writer_state.problem : "lỗi ghi đĩa");
    else if (bt_broadcaster_problem(k->broadcaster))
        snprintf(text, sizeof text, "Loa: một buổi phát không ghi được nhật ký — xem bảng theo "
                                    "dõi");
    if (strcmp(text, k->staff_notice) == 0)
        return;
    snprintf(k->staff_notice, sizeof k->staff_notice, "%s", text);
    bt_screen_set_staff_notice(k->screen, text[0] ? text : NULL);
    k->redraw_asked = true;
}

/* Tells systemd how the kiosk is and, while every part turns, that it is alive. Returns the ms
 * until the next watchdog ping is due. The pings come from this loop only: a turn that never
 * ends (a stuck SQLite call, a deadlock) or audio threads that died stop them, and systemd
 * restarts the kiosk. */
static int kiosk_service_turn(kiosk *k, bt_wall now, bt_mono_ns mono, bt_mono_ns started)
{
    /* The loop may turn at frame rate (ticker, crossfade): the status is worked out once a
     * second, and only when a service manager listens. */
    if (now != k->status_second) {
        bt_store_writer_state_get(k->writer, &k->writer_state);
        kiosk_staff_notice(k);
    }
    if (bt_service_managed() && now != k->status_second) {
        char status[SERVICE_STATUS_BYTES];
        k->status_second = now;
        kiosk_status_line(k, now, status, sizeof status);
        bt_service_status(status);
    }
    double hang_after = bt_service_fault_hang_after();
    if (hang_after > 0 && (mono - started) / 1e9 >= hang_after) {
        bt_log_error("BANGTIN_TEST_FAULT: vòng lặp chính dừng hẳn (thử bộ giám sát của systemd)");
        for (;;)
            SDL_Delay(MAX_SLEEP_MS);
    }
    /* The audio engine's lock is taken only when a ping is due, not on every frame. */
    if (bt_service_watchdog_due(mono) && bt_broadcaster_stuck(k->broadcaster, mono)) {
        if (!k->audio_stuck_said)
            bt_log_error("luồng phát thanh không còn chạy — chờ systemd khởi động lại bangtin");
        k->audio_stuck_said = true;
        return MAX_SLEEP_MS;
    }
    return bt_service_watchdog(mono);
}

/* Each minute: a wall clock before this build's date or behind the airing log's last row
 * cannot be believed, so the lobby is shown no date or time until it is set right (notices go
 * on). Returns true when that changed. */
static bool kiosk_apply_clock(kiosk *k, const bt_app_clock *c)
{
    bool untrusted = c->before_build || c->behind_log;
    /* Behind the log, but on the time staff set with the PIN and not moved since (wall and
     * monotonic clocks agree): a clock that had run ahead was corrected, believe the staff. */
    if (untrusted && !c->before_build && k->staff_time_set) {
        int64_t drift = (int64_t)(c->now - k->staff_time_wall) -
                        (mono_now() - k->staff_time_mono) / 1000000000;
        untrusted = drift < -BT_CLOCK_JUMP_THRESHOLD_SECONDS ||
                    drift > BT_CLOCK_JUMP_THRESHOLD_SECONDS;
    }
    /* The loudspeaker follows the same verdict: nothing airs at an hour nobody can vouch for. */
    bt_broadcaster_set_clock_trusted(k->broadcaster, !untrusted);
    if (untrusted == k->clock_untrusted)
        return false;
    k->clock_untrusted = untrusted;
    bt_screen_set_clock_trusted(k->screen, !untrusted);
    if (untrusted)
        bt_log_warn("đồng hồ của máy không tin được (%s) — màn hình tạm không hiện ngày giờ; hãy "
                    "đặt lại ngày giờ (timedatectl set-time)",
                    c->before_build ? "sớm hơn ngày biên dịch bangtin"
                                    : "sớm hơn dòng cuối của nhật ký phát thanh");
    else
        bt_log_info("đồng hồ đã đúng trở lại — màn hình hiện lại ngày giờ");
    return true;
}

typedef struct {
    kiosk *k;
    bt_app_clock c;
    unsigned jumps;     /* the loop's jump count when it was asked */
} clock_read;

static void clock_run(bt_store *s, void *arg)
{
    clock_read *r = arg;
    bt_app_clock_check(s, r->c.now, &r->c);
}

static void clock_done(void *arg)
{
    clock_read *r = arg;
    r->k->clock_judged = r->jumps;
    if (kiosk_apply_clock(r->k, &r->c))
        r->k->redraw_asked = true;
    free(r);
}

/* The first check (before the first frame) reads the log here; later ones go through the
 * store's writer, after the rows it still has to write. */
static void kiosk_check_clock(kiosk *k, bt_wall now, bool first)
{
    clock_read *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->k = k;
    r->c.now = now;
    r->jumps = k->clock_jumps;
    if (!first && k->writer &&
        bt_store_writer_query(k->writer, clock_run, clock_done, r) == 0)
        return;
    bt_app_clock_check(k->store, now, &r->c);
    k->clock_judged = r->jumps;
    kiosk_apply_clock(k, &r->c);
    free(r);
}

/* The display's schedule and its switches. Always on (the default): no backend, nothing is
 * ever switched. Otherwise DPMS through the window and HDMI-CEC to the TV, both loaded at the
 * first sleep. */
static void kiosk_display_setup(kiosk *k)
{
    bt_display_schedule schedule;
    bt_config_display_schedule(&k->app->cfg, &schedule);
    bt_display_power_init(&k->power, &schedule);
    if (schedule.always)
        return;
    bt_display_backend b;
    char text[BT_DISPLAY_SCHEDULE_TEXT_BYTES * 2];
    if ((k->dpms = bt_ui_dpms_create(k->window)) != NULL) {
        bt_ui_dpms_backend(k->dpms, &b);
        bt_display_power_add(&k->power, &b);
    }
    if ((k->cec = bt_ui_cec_create()) != NULL) {
        bt_ui_cec_backend(k->cec, &b);
        bt_display_power_add(&k->power, &b);
    }
    bt_log_info("lịch bật màn hình (display.on): %s",
                bt_display_schedule_text(&schedule, text, sizeof text));
}

/* Paints the whole output black: the sleep of a display neither DPMS nor CEC can switch, and
 * what shows for the moment before one does. */
static void kiosk_draw_black(kiosk *k)
{
    kiosk_prefault_wait(k);
    if (k->rotated)
        SDL_SetRenderTarget(k->renderer, NULL);
    SDL_SetRenderDrawColor(k->renderer, 0, 0, 0, 255);
    SDL_RenderClear(k->renderer);
    if (k->turn) {
        SDL_Rect all = {0, 0, k->width, k->height};
        bt_ui_turn_present(k->turn, &all);
    } else {
        SDL_RenderPresent(k->renderer);
    }
}

/* The display's turn: what wakes it, and what changes when it sleeps or wakes. Asleep, the
 * showing is closed (no impressions) and SDL lets the screen saver run, since SDL's X11 driver
 * otherwise resets it every 30 s, which switches a DPMS-off monitor back on. */
static void kiosk_display_turn(kiosk *k, bt_wall now, bt_mono_ns mono, bool *redraw)
{
    bt_kiosk_usb_view usb = {BT_KIOSK_USB_IDLE, 0, NULL, false};
    if (k->usb)
        bt_kiosk_usb_view_get(k->usb, &usb);
    bt_display_wakers w = {bt_broadcaster_emergency(k->broadcaster),
                           usb.phase != BT_KIOSK_USB_IDLE, k->panel.mode != BT_PANEL_CLOSED};
    if (!bt_display_power_tick(&k->power, now, mono, w))
        return;
    if (bt_display_power_asleep(&k->power)) {
        bt_proof_show(&k->proof, NULL, NULL, kiosk_proof_clock(k, now, mono));
        kiosk_sound_show(&k->sound, NULL, NULL, 0, 0);
        SDL_EnableScreenSaver();
        kiosk_draw_black(k);
        *redraw = false;
    } else {
        SDL_DisableScreenSaver();
        bt_screen_invalidate(k->screen);
        k->reshow = true;
        *redraw = true;
    }
}

static void kiosk_loop(kiosk *k, const bt_kiosk_options *opt)
{
    size_t shown = BT_ROTATION_NONE;
    bool first = true, redraw = true, running = true;
    int last_minute = -1;
    bt_mono_ns started = mono_now();
    frame_stats *stats = frame_stats_create();
    k->next_flush = mono_now() + (bt_mono_ns)PROOF_FLUSH_SECONDS * 1000000000;
    while (running) {
        /* One clock sample per turn, wall then mono back to back: the broadcaster checks the
         * wall clock against the monotonic one and places the next session's first sound. */
        int64_t wall_ms = wall_now_ms();
        bt_mono_ns mono = mono_now();
        bt_wall now = wall_ms / 1000;
        if (opt->duration_seconds > 0 && (mono - started) / 1e9 >= opt->duration_seconds)
            break;
        bt_store_writer_poll(k->writer);
        if (k->panel_records && k->panel_records->answered) {
            k->panel_records->answered = false;
            redraw = true;
        }
        if (k->redraw_asked) {
            k->redraw_asked = false;
            redraw = true;
        }
        bool jumped = kiosk_clock_jumped(k, now, mono);
        int side_ms = kiosk_side_tick(k, now, mono_ms_of(mono), &redraw);
        int broadcast_ms = kiosk_broadcast(k, wall_ms, mono, &redraw);
        bt_screen_sound_duck(k->sound.out, bt_broadcaster_busy(k->broadcaster));
        /* After the first frame: it is what tells systemd the kiosk is up and starts the rest. */
        if (!first)
            kiosk_display_turn(k, now, mono, &redraw);
        bool asleep = bt_display_power_asleep(&k->power);
        bt_rotation_pick pick = bt_rotation_at(k->has_playlist ? &k->playlist : NULL, now);
        if (!asleep && (first || pick.notice != shown || k->reshow)) {
            k->reshow = false;
            bt_screen_show(k->screen, pick.notice, !first, mono);
            /* Where the rotation says this showing began (the kiosk may start mid-notice), as
             * screenshot --at computes it. */
            bt_mono_ns since = mono - (wall_ms - (int64_t)pick.shown_since * 1000) * 1000000;
            bt_screen_set_shown_since(k->screen, since);
            const bt_notice *n = pick.notice != BT_ROTATION_NONE ? &k->playlist.notices[pick.notice]
                                                                 : NULL;
            bt_proof_show(&k->proof, k->has_playlist ? k->playlist.id : NULL, n ? n->id : NULL,
                          kiosk_proof_clock(k, now, mono));
            bt_proof_video(&k->proof, bt_screen_current_clip_ms(k->screen));
            kiosk_sound_show(&k->sound, n, k->playlist_dir, bt_screen_current_clip_ms(k->screen),
                             since);
            shown = pick.notice;
            redraw = true;
        }
        int minute = bt_time_minute_of_day(now);
        if (minute != last_minute || jumped) {
            last_minute = minute;
            kiosk_check_clock(k, now, first);
            redraw = !asleep;
        }
        int frame_ms = -1;
        if (redraw && asleep) { /* an exposed window, a banner that changed: still black */
            kiosk_draw_black(k);
            redraw = false;
        }
        if (redraw) {
            frame_ms = kiosk_draw(k, now, mono);
            if (k->caption.changed)
                kiosk_caption_shot(k, mono);
            kiosk_present(k);
            redraw = frame_ms >= 0;
            if (first) {
                /* The benchmark reads this line to time start → first frame. */
                fprintf(stderr, "bangtin: first-frame %.1f ms\n", (mono_now() - started) / 1e6);
                first = false;
                char status[SERVICE_STATUS_BYTES];
                kiosk_status_line(k, now, status, sizeof status);
                bt_service_ready(status);
                kiosk_start_services(k);
            }
        }
        int service_ms = kiosk_service_turn(k, now, mono, started);
        if (mono >= k->next_flush) {
            kiosk_flush_proof(k, now);
            k->next_flush = mono + (bt_mono_ns)PROOF_FLUSH_SECONDS * 1000000000;
        }
        int timeout = ms_until(pick.next_change, now);
        int to_minute = ms_until(now - now % 60 + 60, now);
        if (to_minute < timeout)
            timeout = to_minute;
        if (frame_ms >= 0 && frame_ms < timeout)
            timeout = frame_ms;
        if (broadcast_ms < timeout)
            timeout = broadcast_ms;
        if (side_ms < timeout)
            timeout = side_ms;
        if (service_ms < timeout)
            timeout = service_ms;
        if (timeout < 1 && frame_ms < 0)
            timeout = 1;
        frame_stats_add(stats, mono, mono_now(), bt_broadcaster_busy(k->broadcaster));
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, timeout)) {
            do {
                if (k->wake_event && ev.type == k->wake_event) {
                    SDL_AtomicSet(&k->wake_pending, 0);
                } else {
                    if (kiosk_panel_event(k, &ev, wall_now(), mono_ms_of(mono_now())))
                        redraw = true;
                    running = handle_event(k, &ev, &redraw) && running;
                }
            } while (SDL_PollEvent(&ev));
        }
    }
    frame_stats_finish(stats);
    bt_wall end = wall_now();
    bt_proof_show(&k->proof, NULL, NULL, kiosk_proof_clock(k, end, mono_now()));
    kiosk_flush_proof(k, end);
}


/* Closes what kiosk_open_display opened, so that it can be tried again. */
static void kiosk_close_display(kiosk *k)
{
    kiosk_prefault_wait(k);
    bt_screen_destroy(k->screen);
    k->screen = NULL;
    if (k->rotated)
        SDL_DestroyTexture(k->rotated);
    k->rotated = NULL;
    if (k->renderer)
        SDL_DestroyRenderer(k->renderer);
    k->renderer = NULL;
    bt_ui_turn_destroy(k->turn); /* after its renderer, which paints into its surface */
    k->turn = NULL;
    bt_ui_display_send_destroy(k->send); /* after the turn, which sends through it */
    k->send = NULL;
    if (k->window)
        SDL_DestroyWindow(k->window);
    k->window = NULL;
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

/* SDL's video and the kiosk's window. headless: SDL fell back to a driver that shows nothing
 * (the kiosk then writes previews), which under systemd counts as no display. */
static int kiosk_open_display(kiosk *k, const bt_kiosk_options *opt, bool *headless)
{
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        bt_log_error("không mở được màn hình (SDL, trình điều khiển %s): %s",
                     SDL_getenv("SDL_VIDEODRIVER") ? SDL_getenv("SDL_VIDEODRIVER") : "tự chọn",
                     bt_vi_library_error(SDL_GetError()));
        return -1;
    }
    *headless = no_real_display();
    if (*headless && bt_service_managed()) {
        bt_log_error("không thấy màn hình thật (SDL chỉ còn trình điều khiển %s)",
                     SDL_GetCurrentVideoDriver());
        kiosk_close_display(k);
        return -1;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    if (driver && (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0)) {
        /* No GPU behind these drivers: paint in software and skip SDL's hidden OpenGL test
         * window (PITFALLS: Mesa start-up cost and leaks). */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    if (kiosk_open_window(k, opt, *headless) != 0) {
        kiosk_close_display(k);
        return -1;
    }
    return 0;
}

/* The user event the audio and measuring threads wake the loop with (once). */
static void kiosk_register_wake(kiosk *k)
{
    if (k->wake_event)
        return;
    Uint32 ev = SDL_RegisterEvents(1);
    k->wake_event = ev == (Uint32)-1 ? 0 : ev;
}

/* Waiting for the display: the loudspeaker airs meanwhile (a ward's broadcasts must not depend
 * on the lobby TV being on), and systemd's watchdog is fed, since nothing is stuck. Only the
 * broadcaster turns here; the screen, the panel and the stick watcher start with the display. */
static bool kiosk_wait_on_air(kiosk *k, int ms)
{
    if (!k->broadcaster && k->store && SDL_InitSubSystem(SDL_INIT_EVENTS) == 0) {
        kiosk_register_wake(k);
        kiosk_start_broadcasts(k);
    }
    bt_mono_ns end = mono_now() + (bt_mono_ns)ms * 1000000;
    for (bt_mono_ns mono = mono_now(); mono < end; mono = mono_now()) {
        int timeout = (int)((end - mono) / 1000000) + 1;
        int watchdog = bt_service_watchdog(mono);
        if (watchdog < timeout)
            timeout = watchdog;
        if (k->broadcaster) {
            int next = bt_broadcaster_tick(k->broadcaster, wall_now_ms(), mono);
            if (next < timeout)
                timeout = next;
        }
        SDL_Event ev;
        if (k->broadcaster && SDL_WaitEventTimeout(&ev, timeout > 0 ? timeout : 1)) {
            do {
                if (k->wake_event && ev.type == k->wake_event)
                    SDL_AtomicSet(&k->wake_pending, 0);
                else if (ev.type == SDL_QUIT) /* SIGTERM: systemd stops the service */
                    return true;
            } while (SDL_PollEvent(&ev));
        } else if (!k->broadcaster) {
            SDL_Delay((Uint32)(timeout > 0 ? timeout : 1));
        }
    }
    return false;
}

/* Opens the display. From a terminal a failure ends the command; under systemd the kiosk says
 * why in the journal and in its status, and tries again with a growing pause, so a TV switched
 * on late or a cable put back brings the screen up without a restart loop. 0: open; 1: asked to
 * stop while waiting; -1: no display. */
static int kiosk_wait_for_display(kiosk *k, const bt_kiosk_options *opt, bool *headless)
{
    int delay = DISPLAY_RETRY_FIRST_S;
    while (kiosk_open_display(k, opt, headless) != 0) {
        if (!bt_service_managed())
            return -1;
        char status[SERVICE_STATUS_BYTES];
        snprintf(status, sizeof status, "Chưa mở được màn hình — thử lại sau %d giây "
                                        "(xem \"bangtin doctor\")", delay);
        bt_log_warn("%s", status);
        bt_service_status(status);
        bt_service_extend_start((uint64_t)(delay + DISPLAY_RETRY_GRACE_S) * 1000000);
        if (kiosk_wait_on_air(k, delay * 1000))
            return 1;
        delay = delay * 2 < DISPLAY_RETRY_MAX_S ? delay * 2 : DISPLAY_RETRY_MAX_S;
    }
    return 0;
}

/* Blocks of this size and more each get a mapping of their own (glibc's default start). */
#define KIOSK_MMAP_THRESHOLD (128 * 1024)

/* glibc raises its mmap threshold to the size of every large block freed (up to 32 MB), so once
 * the lobby let go of a slide's picture (6 MB), the next pictures, lines and SDL_ttf's surfaces
 * up to that size came from the heap, whose freed middle is never given back: the heap grew with
 * the rotation. A threshold set once stays where it is (mallopt turns the raising off), and every
 * large block goes back to the system when freed: the heap at the rotation's peak 0.5-0.7 MB
 * smaller (every demo notice in 60 s, issue 14, item 9). */
static void kiosk_malloc_setup(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, KIOSK_MMAP_THRESHOLD);
#endif
}

int bt_kiosk_run(bt_app *app, const bt_kiosk_options *opt)
{
    kiosk_malloc_setup();
    kiosk k = {0};
    k.app = app;
    kiosk_caption_init(&k.caption);
    bt_proof_init(&k.proof);
    bt_playlist_init(&k.playlist);
    bt_display_schedule always = {.always = true};
    bt_display_power_init(&k.power, &always);
    int rc = 1;
    kiosk_open_store(&k);
    kiosk_pick_playlist(&k, opt);
    kiosk_results_refresh(&k, wall_now(), false);
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    /* SDL opens an X input method, and Xlib's parses the locale's whole Compose table (~6 000
     * lines) for it: 15–30 ms of a start-up budgeted at 200 ms. The kiosk takes no typed text
     * (the PIN is read from key presses), so it gets an empty table, unless the machine set
     * one on purpose. */
    setenv("XCOMPOSEFILE", "/dev/null", 0);
    bool headless = false;
    int display = kiosk_wait_for_display(&k, opt, &headless);
    if (display != 0) {
        rc = display > 0 ? 0 : 1;
        goto done;
    }
    if (headless)
        rc = kiosk_write_previews(&k);
    else {
        kiosk_register_wake(&k);
        kiosk_display_setup(&k);
        kiosk_loop(&k, opt);
        rc = 0;
    }
done:
    /* First: an import under way is cancelled (the old playlist stays) and its thread joined. */
    bt_kiosk_usb_destroy(k.usb);
    /* Before SDL goes: it cuts what airs (logged), waits for the amplifier, joins its threads. */
    bt_broadcaster_destroy(k.broadcaster);
    /* After the last impressions and airing rows were handed to it: writes them (or journals
     * them) and runs the last results' callbacks while the kiosk still exists. */
    bt_store_writer_close(k.writer);
    bt_panel_destroy(k.overlay);
    free(k.panel_info);
    free(k.panel_proof);
    free(k.panel_records);
    /* Leaves the display on for whatever comes next (a restart, the console). */
    bt_display_power_release(&k.power);
    kiosk_sound_close(&k.sound);
    bt_ui_dpms_destroy(k.dpms);
    bt_ui_cec_destroy(k.cec);
    kiosk_close_display(&k);
    SDL_Quit();
    bt_proof_free(&k.proof);
    kiosk_caption_free(&k.caption);
    if (k.has_playlist)
        bt_playlist_free(&k.playlist);
    bt_store_close(k.store);
    return rc;
}
