/* The kiosk's stick watcher (issue 4 point 4, issue 5 point 6). The main loop calls
 * bt_kiosk_usb_tick every turn; every BT_USB_POLL_MS it asks the poller (a few readdir/stat
 * calls) whether a new bangtin/ folder appeared. Then a worker thread (SDL_CreateThread) runs
 * bt_usb_import with its own database connection, records the new playlist's targets, and
 * writes the quarter reports onto the stick; its progress reaches the main loop through atomics
 * and the wake callback (an SDL user event), so the screen and the loudspeaker never wait. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>

#include "bangtin/bt_app_video.h"
#include "bangtin/bt_app_speech.h"
#include "bangtin/bt_app_panel.h"
#include "bangtin/bt_app_usb.h"
#include "bangtin/bt_measure_isolated.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_loudness.h"
#include "bangtin/bt_ui_glyphs.h"
#include "bangtin/bt_vi.h"

/* Before the worker reports anything, the bar shows a sliver so staff see it started. */
#define START_PERCENT 1
/* Import stages as shares of the bar: copying dominates a real stick. */
#define VERIFY_END 5
#define COPY_END 80
#define VALIDATE_END 90
#define ACTIVATE_END 93
#define WRITE_BACK_END 96

struct bt_kiosk_usb {
    const bt_app *app;
    bt_usb_poller *poller;
    int64_t next_poll_ms;
    void (*wake)(void *ctx);
    void *wake_ctx;
    bt_broadcast_limits limits;
    /* The screen's fonts for the import's text check: opened here on the loop's thread (SDL_ttf
     * and FreeType open faces on one thread at a time), only looked up by the worker. */
    bt_ui_glyphs *glyphs;
    SDL_Thread *thread;
    atomic_bool cancel;
    SDL_atomic_t percent;     /* written by the worker */
    SDL_atomic_t finished;    /* the worker has left its result below */
    char package[BT_MAX_PATH_BYTES];
    bt_kiosk_usb_phase phase;
    int shown_percent;
    int64_t result_until_ms;
    /* Written by the worker before `finished`, read by the main thread after. */
    char *result_text;
    bool result_ok, result_cancelled;
    bt_wall result_at;
    char result_headline[1024];
    /* A stick waiting for staff's PIN (usb.unsigned = "pin"): the worker leaves the preview,
     * sets `asking` and waits on `answered`; the main loop shows the question and posts the
     * answer. */
    SDL_atomic_t asking;
    SDL_atomic_t question;     /* counts the worker's questions */
    int answered_question;     /* main thread: the last question answered */
    SDL_sem *answered;
    bt_usb_preview preview;    /* written by the worker before `asking` */
    bt_usb_approval answer;    /* written by the main thread before posting `answered` */
    bt_wall answer_at;
    /* The last import, for the staff panel (main thread). */
    bool has_last;
    bt_wall last_at;
    char last_headline[1024];
};

static bt_wall wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (bt_wall)ts.tv_sec;
}

int bt_kiosk_usb_percent(const bt_usb_progress *p)
{
    double in = 0.0;
    int lo = 0, hi = 100;
    switch (p->stage) {
    case BT_USB_STAGE_VERIFY: lo = 0; hi = VERIFY_END; break;
    case BT_USB_STAGE_COPY:
        lo = VERIFY_END;
        hi = COPY_END;
        if (p->bytes_total)
            in = (double)p->bytes_done / (double)p->bytes_total;
        else if (p->files_total)
            in = (double)p->files_done / (double)p->files_total;
        break;
    case BT_USB_STAGE_VALIDATE:
        lo = COPY_END;
        hi = VALIDATE_END;
        if (p->files_total)
            in = (double)p->files_done / (double)p->files_total;
        break;
    case BT_USB_STAGE_ACTIVATE: lo = VALIDATE_END; hi = ACTIVATE_END; break;
    case BT_USB_STAGE_WRITE_BACK: lo = ACTIVATE_END; hi = WRITE_BACK_END; break;
    case BT_USB_STAGE_DONE:
    case BT_USB_STAGE_COUNT: lo = hi = WRITE_BACK_END; break;
    }
    if (in < 0.0)
        in = 0.0;
    if (in > 1.0)
        in = 1.0;
    return lo + (int)((hi - lo) * in);
}

/* Worker thread: only ever raises the bar, then wakes the main loop. */
static void on_progress(void *ctx, const bt_usb_progress *p)
{
    bt_kiosk_usb *u = ctx;
    int pct = bt_kiosk_usb_percent(p);
    int old = SDL_AtomicGet(&u->percent);
    if (pct > old) {
        SDL_AtomicSet(&u->percent, pct);
        if (u->wake)
            u->wake(u->wake_ctx);
    }
}

/* bt_usb_measure_audio_fn over bt_loudness_measure (the usb room must not link SDL_mixer). */
static int measure_audio(void *ctx, const char *path, double *duration_seconds,
                         bt_silence *silence, char *err, size_t err_size)
{
    (void)ctx;
    bt_loudness l;
    /* A stick's audio is decoded in a child: a hostile file cannot crash the lobby screen. */
    if (bt_measure_isolated(path, &l, err, err_size) != 0)
        return -1;
    if (duration_seconds)
        *duration_seconds = l.duration_seconds;
    if (silence)
        *silence = l.silence;
    return 0;
}

bt_usb_approval bt_kiosk_usb_approval_of(bt_approval_status st)
{
    switch (st) {
    case BT_APPROVAL_APPROVED: return BT_USB_APPROVAL_APPROVED;
    case BT_APPROVAL_REFUSED: return BT_USB_APPROVAL_REFUSED;
    case BT_APPROVAL_LOCKED: return BT_USB_APPROVAL_LOCKED;
    case BT_APPROVAL_TIMED_OUT: return BT_USB_APPROVAL_TIMED_OUT;
    case BT_APPROVAL_NONE:
    case BT_APPROVAL_WAITING: break;
    }
    return BT_USB_APPROVAL_UNAVAILABLE;
}

/* The main loop answers within BT_PANEL_APPROVAL_MS; past this margin beyond it the worker stops
 * waiting on its own (a loop that can no longer answer must not hold the stick for ever). */
#define ASK_MARGIN_MS 30000
/* How often the waiting worker looks at the cancel flag (the kiosk stopping). */
#define ASK_POLL_MS 200

/* bt_usb_approve_fn, on the worker: hands the question to the main loop and waits. */
static bt_usb_approval ask_staff(void *ctx, const bt_usb_preview *p, bt_wall *at)
{
    bt_kiosk_usb *u = ctx;
    while (SDL_SemTryWait(u->answered) == 0) {
    } /* an answer left over from a question given up */
    u->preview = *p;
    SDL_AtomicAdd(&u->question, 1);
    SDL_AtomicSet(&u->asking, 1); /* a full barrier: the preview is visible after it */
    if (u->wake)
        u->wake(u->wake_ctx);
    bt_usb_approval a = BT_USB_APPROVAL_UNAVAILABLE;
    for (int waited = 0; waited < BT_PANEL_APPROVAL_MS + ASK_MARGIN_MS; waited += ASK_POLL_MS) {
        if (SDL_SemWaitTimeout(u->answered, ASK_POLL_MS) == 0) {
            a = u->answer;
            *at = u->answer_at;
            break;
        }
        if (atomic_load(&u->cancel)) {
            a = BT_USB_APPROVAL_CANCELLED;
            break;
        }
    }
    if (a == BT_USB_APPROVAL_UNAVAILABLE && !atomic_load(&u->cancel))
        bt_log_error("USB: màn hình không trả lời câu hỏi duyệt bằng mã PIN — không nạp");
    SDL_AtomicSet(&u->asking, 0);
    return a;
}

/* The whole message: the usb room's text and, when the reports could not go onto the stick
 * (and the receipt could, else its note already says why), that too. */
static char *compose_text(const bt_usb_result *r, const char *report_note)
{
    char *base = bt_usb_result_text(r);
    if (!base)
        return NULL;
    if (!report_note[0] || r->stick_note[0])
        return base;
    size_t n = strlen(base) + strlen(report_note) + 2;
    char *text = malloc(n);
    if (text)
        snprintf(text, n, "%s%s\n", base, report_note);
    free(base);
    return text;
}

static int worker(void *arg)
{
    bt_kiosk_usb *u = arg;
    const bt_app *app = u->app;
    bt_usb_options o;
    bt_usb_result r;
    memset(&o, 0, sizeof o);
    o.cfg = &app->cfg;
    o.data_dir = app->data_dir;
    o.limits = &u->limits;
    o.now = wall_now();
    o.measure_audio = measure_audio;
    o.decode_video = bt_app_video_decode_for_usb; /* a decoder's crash refuses the file only */
    /* Text bulletins are spoken now, while the stick is read: the loudspeaker never waits. */
    bt_speech_cache speech;
    char speech_err[512];
    if (bt_speech_cache_open(&speech, app->data_dir, app->cfg.broadcast_loudness_target,
                             speech_err, sizeof speech_err) == 0) {
        o.speak = bt_speech_cache_speak;
        o.speak_ctx = &speech;
    } else {
        bt_log_warn("USB: %s — bản tin văn bản sẽ được đọc khi phát thanh nạp playlist",
                    speech_err);
    }
    o.progress = on_progress;
    o.progress_ctx = u;
    o.cancel = &u->cancel;
    o.write_back = true;
    o.glyphs = bt_ui_glyphs_probe(u->glyphs);
    if (u->answered) {
        o.approve = ask_staff;
        o.approve_ctx = u;
    }
    int rc = bt_usb_import(u->package, &o, &r);
    char note[1024] = "", path[BT_MAX_PATH_BYTES + 32], err[512];
    bool cancelled = r.outcome == BT_USB_CANCELLED || atomic_load(&u->cancel);
    /* A stick pulled before the import began leaves no folder: nothing to write beside it. */
    if (!cancelled && !r.package_missing) {
        bt_store *store = NULL;
        snprintf(path, sizeof path, "%s/%s", app->data_dir, BT_STORE_FILE);
        if (bt_store_open(path, &store, err, sizeof err) == 0) {
            if (rc == 0 && o.speak)
                bt_speech_cache_prune(&speech, store); /* with the playlists just pruned */
            /* The import recorded the new playlist's targets with its activation: the reports
             * count against them. */
            SDL_AtomicSet(&u->percent, 97);
            if (u->wake)
                u->wake(u->wake_ctx);
            bt_app_write_stick_reports(app, store, u->package, o.now, note, sizeof note);
            bt_store_close(store);
        } else {
            bt_log_warn("USB: không mở được cơ sở dữ liệu để ghi báo cáo: %s", err);
        }
    }
    u->result_text = compose_text(&r, note);
    u->result_ok = rc == 0;
    u->result_cancelled = cancelled;
    u->result_at = o.now;
    snprintf(u->result_headline, sizeof u->result_headline, "%s", r.headline);
    bt_usb_result_free(&r);
    SDL_AtomicSet(&u->percent, 100);
    SDL_AtomicSet(&u->finished, 1); /* a full barrier: the fields above are visible after it */
    if (u->wake)
        u->wake(u->wake_ctx);
    return 0;
}

/* The screen's faces for the import's glyph check, opened here on the loop's thread (FreeType
 * opens faces on one thread) for the import alone: held all day they were about 0.2 MB of the
 * lobby's memory for a stick a month (issue 14, item 9). */
static void glyphs_open(bt_kiosk_usb *u)
{
    bt_screen_config sc;
    char err[BT_MAX_PATH_BYTES + 128];
    bt_config_screen(&u->app->cfg, &sc);
    if (bt_ui_glyphs_open(&sc, &u->glyphs, err, sizeof err) != 0)
        bt_log_warn("USB: %s — gói nạp vào sẽ không được kiểm tra chữ với phông chữ của màn hình",
                    err);
}

static void glyphs_close(bt_kiosk_usb *u)
{
    bt_ui_glyphs_close(u->glyphs);
    u->glyphs = NULL;
}

int bt_kiosk_usb_create(const bt_app *app, void (*wake)(void *ctx), void *wake_ctx,
                        bt_kiosk_usb **out)
{
    bt_kiosk_usb *u = calloc(1, sizeof *u);
    *out = NULL;
    if (!u)
        return -1;
    u->app = app;
    u->wake = wake;
    u->wake_ctx = wake_ctx;
    atomic_init(&u->cancel, false);
    bt_config_broadcast_limits(&app->cfg, &u->limits);
    if (bt_usb_poller_create(&app->cfg.usb_mount_roots, &u->poller) != 0) {
        free(u);
        return -1;
    }
    /* Without it nothing can ask: a stick without a trusted signature is refused as before. */
    if (bt_config_usb_asks_pin(&app->cfg) && !(u->answered = SDL_CreateSemaphore(0)))
        bt_log_error("USB: không tạo được semaphore (%s) — gói chưa ký sẽ bị từ chối",
                     bt_vi_library_error(SDL_GetError()));
    *out = u;
    return 0;
}

void bt_kiosk_usb_destroy(bt_kiosk_usb *u)
{
    if (!u)
        return;
    if (u->thread) {
        atomic_store(&u->cancel, true);
        SDL_WaitThread(u->thread, NULL);
    }
    free(u->result_text);
    bt_usb_poller_destroy(u->poller);
    glyphs_close(u);
    if (u->answered)
        SDL_DestroySemaphore(u->answered);
    free(u);
}

static void start_import(bt_kiosk_usb *u, int64_t mono_ms)
{
    bt_log_info("USB: phát hiện gói \"%s\" — bắt đầu nạp", u->package);
    glyphs_open(u);
    SDL_AtomicSet(&u->percent, START_PERCENT);
    SDL_AtomicSet(&u->finished, 0);
    atomic_store(&u->cancel, false);
    free(u->result_text);
    u->result_text = NULL;
    u->thread = SDL_CreateThread(worker, "bangtin-usb", u);
    if (!u->thread) {
        glyphs_close(u);
        bt_log_error("USB: không tạo được luồng nạp: %s", bt_vi_library_error(SDL_GetError()));
        u->result_text = strdup("Không nạp được USB lúc này (thiếu tài nguyên hệ thống). Rút USB "
                                "ra rồi cắm lại.\n" BT_USB_KEPT_MESSAGE "\n");
        u->result_ok = false;
        u->phase = BT_KIOSK_USB_RESULT;
        u->result_until_ms = mono_ms + BT_KIOSK_USB_RESULT_MS;
        return;
    }
    u->phase = BT_KIOSK_USB_IMPORTING;
    u->shown_percent = -1;
}

/* The worker finished: join it and show its result. */
static void finish_import(bt_kiosk_usb *u, int64_t mono_ms, bool *activated)
{
    SDL_WaitThread(u->thread, NULL);
    u->thread = NULL;
    glyphs_close(u);
    u->has_last = true;
    u->last_at = u->result_at;
    snprintf(u->last_headline, sizeof u->last_headline, "%s", u->result_headline);
    if (u->result_cancelled) {
        u->phase = BT_KIOSK_USB_IDLE;
        return;
    }
    *activated = u->result_ok;
    u->phase = BT_KIOSK_USB_RESULT;
    u->result_until_ms = mono_ms + BT_KIOSK_USB_RESULT_MS;
}

int bt_kiosk_usb_tick(bt_kiosk_usb *u, int64_t mono_ms, bool *changed, bool *activated)
{
    *changed = false;
    *activated = false;
    /* A question answered stays "asking" until the worker reads the answer: not asked again. */
    if (u->phase == BT_KIOSK_USB_IMPORTING && SDL_AtomicGet(&u->asking) &&
        SDL_AtomicGet(&u->question) != u->answered_question) {
        u->phase = BT_KIOSK_USB_ASKING;
        *changed = true;
    }
    if (u->phase == BT_KIOSK_USB_ASKING && !SDL_AtomicGet(&u->asking)) {
        u->phase = BT_KIOSK_USB_IMPORTING; /* answered, or the worker gave up waiting */
        *changed = true;
    }
    if (u->phase == BT_KIOSK_USB_IMPORTING) {
        if (SDL_AtomicGet(&u->finished)) {
            finish_import(u, mono_ms, activated);
            *changed = true;
        } else if (SDL_AtomicGet(&u->percent) != u->shown_percent) {
            u->shown_percent = SDL_AtomicGet(&u->percent);
            *changed = true;
        }
    }
    if (u->phase == BT_KIOSK_USB_RESULT && mono_ms >= u->result_until_ms) {
        u->phase = BT_KIOSK_USB_IDLE;
        *changed = true;
    }
    /* A stick plugged in while another imports is seen at the first poll after it. */
    if (u->phase != BT_KIOSK_USB_IMPORTING && u->phase != BT_KIOSK_USB_ASKING &&
        mono_ms >= u->next_poll_ms) {
        u->next_poll_ms = mono_ms + BT_USB_POLL_MS;
        if (bt_usb_poller_poll(u->poller, u->package, sizeof u->package) == 1) {
            start_import(u, mono_ms);
            *changed = true;
        }
    }
    int64_t wait = u->next_poll_ms - mono_ms;
    if (u->phase == BT_KIOSK_USB_RESULT && u->result_until_ms - mono_ms < wait)
        wait = u->result_until_ms - mono_ms;
    if (u->phase == BT_KIOSK_USB_IMPORTING || u->phase == BT_KIOSK_USB_ASKING)
        wait = BT_USB_POLL_MS; /* the worker wakes the loop itself */
    return wait < 0 ? 0 : (int)wait;
}

void bt_kiosk_usb_view_get(const bt_kiosk_usb *u, bt_kiosk_usb_view *out)
{
    memset(out, 0, sizeof *out);
    out->phase = u->phase;
    if (u->phase == BT_KIOSK_USB_IMPORTING)
        out->percent = u->shown_percent < 0 ? START_PERCENT : u->shown_percent;
    if (u->phase == BT_KIOSK_USB_RESULT) {
        out->text = u->result_text ? u->result_text : "";
        out->ok = u->result_ok;
    }
}

const bt_usb_preview *bt_kiosk_usb_question(const bt_kiosk_usb *u)
{
    return u && u->phase == BT_KIOSK_USB_ASKING ? &u->preview : NULL;
}

void bt_kiosk_usb_answer(bt_kiosk_usb *u, bt_usb_approval answer, bt_wall at)
{
    if (!u || u->phase != BT_KIOSK_USB_ASKING)
        return;
    u->answer = answer;
    u->answer_at = at;
    u->answered_question = SDL_AtomicGet(&u->question);
    u->phase = BT_KIOSK_USB_IMPORTING;
    SDL_SemPost(u->answered); /* the fields above are visible to the worker after it */
}

void bt_kiosk_usb_approval_view(const bt_usb_preview *q, const bt_panel_state *s, int64_t now_ms,
                                bt_panel_approval_view *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->title, sizeof out->title, "USB chưa ký — cần duyệt bằng mã PIN");
    if (q->signature == BT_SIGNATURE_UNTRUSTED)
        snprintf(out->why, sizeof out->why,
                 "Gói được ký bằng khoá %s, không phải khoá tin cậy của máy. Máy đã kiểm tra "
                 "toàn bộ gói như gói đã ký: không có lỗi.",
                 q->signer);
    else
        snprintf(out->why, sizeof out->why,
                 "Gói không có chữ ký của phường (thiếu MANIFEST.sig). Máy đã kiểm tra toàn bộ gói "
                 "như gói đã ký: không có lỗi.");
    size_t f = 0;
    /* The counts do not break: a narrow screen wraps after a "·". */
    snprintf(out->facts[f++], sizeof out->facts[0],
             "«%.300s» (%s), phiên" BT_NBSP "bản" BT_NBSP "%d · %zu" BT_NBSP "thông" BT_NBSP "báo · "
             "%zu" BT_NBSP "buổi" BT_NBSP "phát" BT_NBSP "loa · %zu" BT_NBSP "bản" BT_NBSP "tin",
             q->title, q->id, q->version, q->notices, q->sessions, q->items);
    if (q->has_active)
        snprintf(out->facts[f++], sizeof out->facts[0],
                 "Đang phát: «%.300s» (%s), phiên" BT_NBSP "bản" BT_NBSP "%d", q->active_title,
                 q->active_id, q->active_version);
    else
        snprintf(out->facts[f++], sizeof out->facts[0], "Máy chưa phát playlist nào.");
    out->fact_count = f;
    size_t c = 0;
    if (q->active_unreadable)
        snprintf(out->changes[c++], sizeof out->changes[0],
                 "Không đọc được playlist đang phát để so sánh: mọi mục dưới đây tính là mới.");
    for (int k = 0; k < BT_DIFF_KIND_COUNT && c < BT_PANEL_APPROVAL_CHANGES; k++)
        if (q->diff.count[k])
            bt_playlist_diff_line(&q->diff, (bt_playlist_diff_kind)k, out->changes[c++],
                                  sizeof out->changes[0]);
    if (bt_playlist_diff_empty(&q->diff) && c < BT_PANEL_APPROVAL_CHANGES)
        snprintf(out->changes[c++], sizeof out->changes[0],
                 "Không có thông báo hay buổi phát loa nào khác.");
    out->change_count = c;
    bt_panel_pin_view_of(s, &out->pin);
    out->pin.timeout_seconds = 0;
    out->seconds_left = bt_panel_state_approval_seconds_left(s, now_ms);
}

bool bt_kiosk_usb_last(const bt_kiosk_usb *u, bt_wall *at, char *headline, size_t size)
{
    if (!u || !u->has_last)
        return false;
    *at = u->last_at;
    snprintf(headline, size, "%s", u->last_headline);
    return true;
}
