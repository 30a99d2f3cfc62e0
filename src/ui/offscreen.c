/* The screen without a display: `bangtin screenshot` (a PNG of exactly what the lobby shows at
 * a given time) and `bangtin check` (does every notice fit at the legibility floor). */
#include "bangtin/bt_screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_sdl_image.h"
#include "bangtin/bt_limits.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_image.h"
#include "bangtin/bt_ui_qr.h"
#include "bangtin/bt_vi.h"

/* Restores a hint to what it was before we changed it (NULL = SDL's default). */
static void hint_restore(const char *name, char *saved)
{
    if (saved)
        SDL_SetHint(name, saved);
    else
        SDL_ResetHint(name);
    SDL_free(saved);
}

static char *dup_or_null(const char *s)
{
    return s ? SDL_strdup(s) : NULL;
}

int bt_screen_render_png(const bt_screen_config *cfg, const bt_playlist *p, const char *dir,
                         bt_wall at, int width, int height, const char *png_path, char *err,
                         size_t err_size)
{
    return bt_screen_render_png_ex(cfg, p, dir, at, width, height, NULL, png_path, err,
                                   err_size);
}

int bt_screen_render_png_ex(const bt_screen_config *cfg, const bt_playlist *p, const char *dir,
                            bt_wall at, int width, int height, const bt_screen_extras *extras,
                            const char *png_path, char *err, size_t err_size)
{
    bool own_video = SDL_WasInit(SDL_INIT_VIDEO) == 0, env_set = false;
    char *saved_driver = NULL, *saved_accel = NULL, *saved_render = NULL;
    SDL_Window *window = NULL;
    SDL_Renderer *renderer = NULL;
    SDL_Surface *shot = NULL;
    bt_screen *screen = NULL;
    int rc = -1;
    /* Software rendering on the offscreen driver: no display, no OpenGL test window (Mesa),
     * and pixels identical to what the kiosk's software path shows. */
    saved_accel = dup_or_null(SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION));
    saved_render = dup_or_null(SDL_GetHint(SDL_HINT_RENDER_DRIVER));
    if (own_video) {
        saved_driver = dup_or_null(SDL_getenv("SDL_VIDEODRIVER"));
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
        env_set = true;
    }
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    if (own_video && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, err_size, "không khởi động được SDL (offscreen): %s",
                 bt_vi_library_error(SDL_GetError()));
        own_video = false;
        goto done;
    }
    window = SDL_CreateWindow("bangtin", 0, 0, width, height, SDL_WINDOW_HIDDEN);
    if (!window) {
        snprintf(err, err_size, "không tạo được cửa sổ ẩn %d×%d: %s", width, height,
                 bt_vi_library_error(SDL_GetError()));
        goto done;
    }
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) {
        snprintf(err, err_size, "không tạo được bộ vẽ phần mềm: %s",
                 bt_vi_library_error(SDL_GetError()));
        goto done;
    }
    if (bt_screen_create(renderer, width, height, cfg, &screen, err, err_size) != 0)
        goto done;
    bt_screen_set_playlist(screen, p, dir);
    if (extras && extras->has_schedule)
        bt_screen_set_schedule(screen, extras->schedule, extras->schedule_count,
                               bt_time_day_of(at));
    if (extras && extras->now_playing)
        bt_screen_set_now_playing(screen, extras->now_playing);
    bt_rotation_pick pick = bt_rotation_at(p, at);
    bt_screen_show(screen, extras && extras->pick_notice ? extras->notice : pick.notice, false,
                   0);
    /* The screen's monotonic clock reads 0 at `at`: the showing began (at - shown_since) before,
     * so a scrolling picture is where the kiosk shows it then. A picked notice began at `at`. */
    if (!(extras && extras->pick_notice) && pick.notice != BT_ROTATION_NONE)
        bt_screen_set_shown_since(screen, -(bt_mono_ns)(at - pick.shown_since) * 1000000000LL);
    bt_screen_draw(screen, at, 0);
    shot = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!shot || SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
                                      shot->pitch) != 0) {
        snprintf(err, err_size, "không đọc được điểm ảnh: %s", bt_vi_library_error(SDL_GetError()));
        goto done;
    }
    if (bt_sdl_image_save_png(shot, png_path) != 0) {
        snprintf(err, err_size, "không ghi được \"%s\": %s", png_path,
                 bt_vi_library_error(SDL_GetError()));
        goto done;
    }
    rc = 0;
done:
    SDL_FreeSurface(shot);
    bt_screen_destroy(screen);
    if (renderer)
        SDL_DestroyRenderer(renderer);
    if (window)
        SDL_DestroyWindow(window);
    if (own_video)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (env_set) {
        if (saved_driver)
            SDL_setenv("SDL_VIDEODRIVER", saved_driver, 1);
        else
            unsetenv("SDL_VIDEODRIVER");
    }
    SDL_free(saved_driver);
    hint_restore(SDL_HINT_FRAMEBUFFER_ACCELERATION, saved_accel);
    hint_restore(SDL_HINT_RENDER_DRIVER, saved_render);
    return rc;
}

/* The start of a text for a message: its first line, cut after a whole word once it passes
 * `want` bytes, with "…" when something was left out. buf holds at least want + 64 bytes. */
static void excerpt(const char *text, char *buf, size_t size, size_t want)
{
    size_t n = 0;
    if (!text)
        text = "";
    while (text[n] && text[n] != '\n' && n + 4 < size && (n < want || text[n] != ' '))
        n++;
    while (n > 0 && (text[n] & 0xC0) == 0x80) /* never split a character */
        n--;
    memcpy(buf, text, n);
    buf[n] = '\0';
    if (text[n])
        strcat(buf, "…");
}

/* A schedule notice's rows change through the day; what staff control is the session names.
 * Each name is laid out in a full table of the playlist's sessions (at most a slide's worth at a
 * time, each with the widest state label), and a name that is cut even at the floor is named
 * in a warning. The title is checked with the table. */
static void check_schedule_fit(const bt_layout_fonts *fonts, const bt_layout_frame *frame,
                               bt_layout_slide *plan, const bt_playlist *p, const char *file,
                               const bt_notice *n, bt_diags *diags)
{
    const bt_broadcasts *b = &p->broadcasts;
    bt_layout_schedule_row rows[BT_LAYOUT_SCHEDULE_MAX_ROWS];
    char times[BT_LAYOUT_SCHEDULE_MAX_ROWS][16];
    const char *orientation = frame->width >= frame->height ? "ngang" : "dọc";
    size_t total = b->session_count, done = 0;
    bool title_warned = false;
    do {
        size_t count = total - done < BT_LAYOUT_SCHEDULE_MAX_ROWS ? total - done
                                                                  : BT_LAYOUT_SCHEDULE_MAX_ROWS;
        for (size_t k = 0; k < count; k++) {
            const bt_broadcast_session *se = &b->sessions[done + k];
            int m = se->time_count ? se->times[0] : 0;
            snprintf(times[k], sizeof times[k], "%02d:%02d", m / 60, m % 60);
            /* A name that was wrong is NULL in the model `check` keeps from a playlist with
             * errors: its row is laid out empty (the name has its own error). */
            rows[k] = (bt_layout_schedule_row){times[k], se->name ? se->name : "",
                                               BT_SLOT_MADE_UP};
        }
        bt_layout_content c = {.kind = n->kind, .title = n->title, .urgent = n->urgent,
                               .rows = rows, .row_count = count,
                               .schedule_date = "Chủ Nhật, 28/08/2028"};
        if (bt_layout_slide_build(frame, fonts, &c, plan) != 0) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, n->line,
                         "thông báo \"%s\": không đo được chữ để dàn trang", n->id);
            return;
        }
        const bt_layout_text *title = &plan->texts[n->urgent ? 1 : 0];
        if (!title->fits && !title_warned) {
            title_warned = true;
            bt_diags_add(diags, BT_DIAG_WARNING, file, n->line,
                         "thông báo \"%s\": tiêu đề quá dài cho màn hình %s %d×%d — hãy rút gọn",
                         n->id, orientation, frame->width, frame->height);
        }
        for (size_t t = 0; t < plan->text_count; t++) {
            const bt_layout_text *x = &plan->texts[t];
            for (size_t k = 0; k < count; k++) {
                const bt_broadcast_session *se = &b->sessions[done + k];
                char what[160];
                if (!se->name || x->text != se->name || x->fits)
                    continue;
                excerpt(se->name, what, sizeof what, 48);
                bt_diags_add(diags, BT_DIAG_WARNING, file, se->line,
                             "tên buổi phát \"%s\" quá dài để hiện trọn trong bảng lịch phát "
                             "thanh (thông báo \"%s\") trên màn hình %s %d×%d, ngay cả ở cỡ chữ "
                             "nhỏ nhất (%d px) — hãy rút gọn",
                             what, n->id, orientation, frame->width, frame->height,
                             frame->min_body_px);
            }
        }
        done += count;
    } while (done < total);
}

/* What every check of a notice's slide needs at one screen size: the screen's faces, its frame
 * and room for one slide's plan. */
typedef struct {
    bt_ui_font *font[BT_FACE_COUNT];
    bt_layout_fonts fonts;
    bt_layout_frame *frame;
    bt_layout_slide *plan;
    bool ttf;
    const char *orientation; /* "ngang" or "dọc", for messages */
} slide_checker;

static void checker_close(slide_checker *k)
{
    for (int i = 0; i < BT_FACE_COUNT; i++)
        bt_ui_font_close(k->font[i]);
    if (k->ttf)
        TTF_Quit();
    free(k->frame);
    free(k->plan);
    memset(k, 0, sizeof *k);
}

/* Opens the faces and builds the frame the kiosk would show p in at width×height; 0, or -1
 * after an error in diags. */
static int checker_open(slide_checker *k, const bt_screen_config *cfg, const bt_playlist *p,
                        int width, int height, const char *file, bt_diags *diags)
{
    char err[BT_MAX_PATH_BYTES + 128];
    memset(k, 0, sizeof *k);
    k->ttf = TTF_Init() == 0;
    k->frame = malloc(sizeof *k->frame);
    k->plan = malloc(sizeof *k->plan);
    if (!k->ttf || !k->frame || !k->plan) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, 0, "không kiểm tra được bố cục: %s",
                     k->ttf ? "hết bộ nhớ" : bt_vi_library_error(TTF_GetError()));
        goto fail;
    }
    const char *paths[BT_FACE_COUNT] = {cfg->font_regular, cfg->font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (bt_ui_font_open(paths[i], &k->font[i], err, sizeof err) != 0) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, 0, "%s", err);
            goto fail;
        }
        bt_ui_font_layout_face(k->font[i], &k->fonts.face[i]);
    }
    /* The same frame as the screen's: the band is reserved for the banner when the playlist
     * has loudspeaker sessions. */
    int logo_w, logo_h; /* unreadable: the screen shows none either (logged there) */
    bt_ui_image_file_size(cfg->ward_logo, &logo_w, &logo_h, err, sizeof err);
    bt_layout_params lp = {width, height, cfg->ticker_enabled, cfg->min_text_px,
                           cfg->ward_name ? cfg->ward_name : "",
                           cfg->portal_caption ? cfg->portal_caption : "",
                           p && p->broadcasts.session_count > 0, logo_w, logo_h};
    if (bt_layout_frame_build(&lp, &k->fonts, k->frame) != 0) {
        bt_diags_add(diags, BT_DIAG_ERROR, file, 0, "không dàn được bố cục màn hình %d×%d",
                     width, height);
        goto fail;
    }
    k->orientation = width >= height ? "ngang" : "dọc";
    return 0;
fail:
    checker_close(k);
    return -1;
}

/* "thông báo \"dvc\"", or "thông báo thứ 3" in a model `check` built from a playlist with
 * errors, where a notice whose id was wrong has none. */
static const char *notice_name(const bt_notice *n, size_t index, char *buf, size_t size)
{
    if (n->id)
        snprintf(buf, size, "thông báo \"%s\"", n->id);
    else
        snprintf(buf, size, "thông báo thứ %zu", index + 1);
    return buf;
}

/* Whether the notice has what its slide is built from. A valid playlist always does; the model
 * `check` keeps from a playlist with errors may lack a text its kind requires (already an
 * error of its own), and such a slide says nothing worth a warning. */
static bool slide_complete(const bt_notice *n)
{
    switch (n->kind) {
    case BT_NOTICE_TEXT: return n->title != NULL;
    case BT_NOTICE_QR: return n->title != NULL && n->qr_url != NULL;
    default: return true;
    }
}

/* Lays out notice n at the checker's size; the image counts as imw×imh (0: unknown). */
static int layout_notice(slide_checker *k, const bt_notice *n, int imw, int imh)
{
    bt_layout_content c = {.kind = n->kind, .title = n->title, .body = n->body,
                           .qr_url = n->qr_url, .qr_caption = n->qr_caption,
                           .urgent = n->urgent, .caption = n->caption,
                           .scroll_tall = !n->fit_whole};
    if (n->kind == BT_NOTICE_IMAGE) {
        c.has_image = true;
        c.image_w = imw > 0 ? imw : 4;
        c.image_h = imh > 0 ? imh : 3;
    }
    return bt_layout_slide_build(k->frame, &k->fonts, &c, k->plan);
}

int bt_screen_check_fit(const bt_screen_config *cfg, const bt_playlist *p, int width, int height,
                        const char *file, bt_diags *diags)
{
    slide_checker k;
    char name[BT_MAX_ID_BYTES + 32];
    if (checker_open(&k, cfg, p, width, height, file, diags) != 0)
        return -1;
    for (size_t i = 0; p && i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (!slide_complete(n))
            continue;
        if (n->kind == BT_NOTICE_SCHEDULE && n->id) {
            check_schedule_fit(&k.fonts, k.frame, k.plan, p, file, n, diags);
            continue;
        }
        if (n->kind == BT_NOTICE_SCHEDULE) {
            continue;
        }
        /* The caption's room does not depend on the picture's shape. */
        if (layout_notice(&k, n, 0, 0) != 0) {
            bt_diags_add(diags, BT_DIAG_ERROR, file, n->line,
                         "%s: không đo được chữ để dàn trang", notice_name(n, i, name, sizeof name));
            continue;
        }
        if (k.plan->fits)
            continue;
        char what[160];
        excerpt(n->body && *n->body ? n->body : n->title, what, sizeof what, 48);
        bt_diags_add(diags, BT_DIAG_WARNING, file, n->line,
                     "%s (\"%s\") quá dài cho màn hình %s %d×%d: ngay cả ở cỡ "
                     "chữ nhỏ nhất (%d px) chữ vẫn không vừa khung nên phần cuối bị cắt — hãy "
                     "rút gọn tiêu đề hoặc nội dung",
                     notice_name(n, i, name, sizeof name), what, k.orientation, width, height,
                     k.frame->min_body_px);
    }
    checker_close(&k);
    return 0;
}

/* An image shown at more than BT_MAX_IMAGE_UPSCALE times its own pixels (in both directions:
 * letterboxing keeps the aspect, so the smaller factor is the one shown). */
static void check_image_scale(slide_checker *k, const bt_notice *n, size_t index,
                              const char *file, bt_diags *diags)
{
    char name[BT_MAX_ID_BYTES + 32];
    int iw = n->image_width, ih = n->image_height;
    if (n->kind != BT_NOTICE_IMAGE || iw <= 0 || ih <= 0 || !n->image)
        return;
    if (layout_notice(k, n, iw, ih) != 0)
        return;
    bt_rect shown = k->plan->image;
    if (shown.w <= BT_MAX_IMAGE_UPSCALE * iw || shown.h <= BT_MAX_IMAGE_UPSCALE * ih)
        return;
    double factor = (double)shown.w / iw;
    bt_diags_add(diags, BT_DIAG_WARNING, file, n->line,
                 "%s: ảnh \"%s\" chỉ có %d×%d điểm ảnh nhưng phải phóng to %.1f lần để lấp "
                 "khung %d×%d trên màn hình %s %d×%d nên sẽ bị nhoè — hãy dùng ảnh gốc lớn hơn, "
                 "ít nhất %d×%d điểm ảnh",
                 notice_name(n, index, name, sizeof name), n->image, iw, ih, factor, shown.w,
                 shown.h, k->orientation, k->frame->width, k->frame->height,
                 (shown.w + BT_MAX_IMAGE_UPSCALE - 1) / BT_MAX_IMAGE_UPSCALE,
                 (shown.h + BT_MAX_IMAGE_UPSCALE - 1) / BT_MAX_IMAGE_UPSCALE);
}

/* The smallest module a phone reads at this screen size (BT_MIN_QR_MODULE_PX_AT_1080 scaled
 * with the short side like every other length of the layout), never under 1. */
static int min_module_px(const bt_layout_frame *frame)
{
    int px = bt_layout_px(frame, BT_MIN_QR_MODULE_PX_AT_1080);
    return px > 0 ? px : 1;
}

/* A QR whose modules come out smaller than a phone reads from where people stand. */
static void check_qr_modules(slide_checker *k, const bt_notice *n, size_t index,
                             const char *file, bt_diags *diags)
{
    char name[BT_MAX_ID_BYTES + 32];
    if (!n->qr_url) /* text, qr and (issue 14) image notices */
        return;
    if (layout_notice(k, n, 0, 0) != 0 || k->plan->qr.w <= 0)
        return;
    int modules = bt_ui_qr_modules(n->qr_url);
    if (modules <= 0)
        return;
    int plate = k->plan->qr.w < k->plan->qr.h ? k->plan->qr.w : k->plan->qr.h;
    int side = modules + 2 * BT_UI_QR_QUIET_MODULES, px = plate / side, least = min_module_px(k->frame);
    if (px >= least)
        return;
    size_t longest = bt_ui_qr_max_bytes(plate / least - 2 * BT_UI_QR_QUIET_MODULES);
    bt_diags_add(diags, BT_DIAG_WARNING, file, n->line,
                 "%s: địa chỉ qr_url dài %zu byte nên mã QR có %d×%d ô, mỗi ô chỉ còn %d điểm "
                 "ảnh trên màn hình %s %d×%d (cần ít nhất %d để điện thoại quét được từ 1–2 m) — "
                 "hãy dùng địa chỉ ngắn hơn, tối đa khoảng %zu ký tự (ví dụ trang chủ của dịch vụ "
                 "thay vì đường dẫn đầy đủ)",
                 notice_name(n, index, name, sizeof name), strlen(n->qr_url), modules, modules,
                 px, k->orientation, k->frame->width, k->frame->height, least, longest);
}

int bt_screen_check_legibility(const bt_screen_config *cfg, const bt_playlist *p, int width,
                               int height, const char *file, bt_diags *diags)
{
    slide_checker k;
    if (checker_open(&k, cfg, p, width, height, file, diags) != 0)
        return -1;
    for (size_t i = 0; p && i < p->notice_count; i++) {
        const bt_notice *n = &p->notices[i];
        if (n->unavailable || !slide_complete(n))
            continue;
        check_image_scale(&k, n, i, file, diags);
        check_qr_modules(&k, n, i, file, diags);
    }
    checker_close(&k);
    return 0;
}
