/* The lobby screen: header (ward, Vietnamese date, clock), the current notice, a scrolling ticker
 * and the corner QR to the public-service portal.
 *
 * Event-driven and cached. A notice is laid out (layout.c) and rasterised to textures once, when
 * it is first shown; the current and the previous notice are kept (a playlist of two alternates
 * without any new rasterising). bt_screen_draw only copies textures, except the clock and date,
 * which are re-rendered when their text changes (once a minute).
 *
 * Crossfade without a black frame: the old slide is drawn fully, the stage is washed with the
 * theme background at the new slide's opacity, then the new slide is drawn at that opacity. Each
 * frame is therefore a blend of the two slides over the theme background, never an empty one.
 * Chrome that belongs to only one of them (the corner QR is absent on the idle screen, which has
 * its own large clock) fades with it. */
#include "bangtin/bt_screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_image.h"
#include "bangtin/bt_ui_qr.h"
#include "bangtin/bt_ui_stats.h"
#include "bangtin/bt_ui_theme.h"

/* ~60 frames per second while something moves. */
#define FRAME_MS 16
/* Ticker textures kept ready beyond this many bytes are made when they scroll into view and
 * dropped when they leave (a playlist may carry 50 lines of 600 bytes). */
#define TICKER_BUDGET_BYTES (8u * 1024u * 1024u)
#define NOW_PLAYING_LABEL "ĐANG PHÁT"

typedef struct {
    SDL_Texture *tex;
    SDL_Rect dst;
} sprite;

typedef struct {
    sprite *items;
    size_t count, cap;
} sprites;

typedef struct {
    bool valid;
    size_t notice;           /* index in the playlist, or BT_ROTATION_NONE (idle) */
    bt_layout_slide *plan;   /* owned */
    sprites text;
    SDL_Texture *qr, *image;
    SDL_Rect qr_dst, image_dst;
    bool failed;             /* its image could not be loaded */
} slide;

/* A line whose text changes with time (clock, date): re-rendered only when the text changes. */
typedef struct {
    char text[64];
    SDL_Texture *tex;
    int w, h, baseline;
} live_text;

typedef struct {
    char *text;              /* owned copy, control characters blanked */
    int width;
    SDL_Texture *tex;
    int h, baseline;
} ticker_seg;

struct bt_screen {
    SDL_Renderer *renderer;
    bt_screen_config cfg;
    bt_ui_font *font[BT_FACE_COUNT];
    bt_layout_fonts fonts;
    bt_layout_frame frame;
    const bt_playlist *playlist;
    char dir[BT_MAX_PATH_BYTES];
    slide slides[2];
    int current;             /* index into slides; the other one is the previous slide */
    bool fading;
    bt_mono_ns fade_start;
    sprites ward, caption;   /* ward name in the header, caption under the corner QR */
    SDL_Texture *corner_qr;
    SDL_Rect corner_qr_dst;
    live_text clock, date, big_clock, big_date;
    ticker_seg *ticker;
    size_t ticker_count;
    SDL_Texture *ticker_sep;
    int sep_w, sep_h, sep_baseline, ticker_cycle;
    size_t ticker_bytes;
    char *now_playing;
    sprites banner;
    SDL_Rect banner_plate;
    int banner_right;
    bt_ui_stats stats;
};

/* ---- textures and sprites ------------------------------------------------------------------- */

static SDL_Texture *texture_from(bt_screen *s, SDL_Surface *surf)
{
    SDL_Texture *tex = SDL_CreateTextureFromSurface(s->renderer, surf);
    if (tex) {
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        s->stats.texture_bytes += (size_t)surf->w * (size_t)surf->h * 4;
    }
    return tex;
}

static void texture_drop(bt_screen *s, SDL_Texture **tex)
{
    if (!*tex)
        return;
    int w = 0, h = 0;
    SDL_QueryTexture(*tex, NULL, NULL, &w, &h);
    size_t bytes = (size_t)w * (size_t)h * 4;
    s->stats.texture_bytes -= bytes < s->stats.texture_bytes ? bytes : s->stats.texture_bytes;
    SDL_DestroyTexture(*tex);
    *tex = NULL;
}

static void sprites_clear(bt_screen *s, sprites *l)
{
    for (size_t i = 0; i < l->count; i++)
        texture_drop(s, &l->items[i].tex);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int sprites_push(sprites *l, SDL_Texture *tex, SDL_Rect dst)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        sprite *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count].tex = tex;
    l->items[l->count].dst = dst;
    l->count++;
    return 0;
}

static void copy_alpha(SDL_Renderer *r, SDL_Texture *tex, const SDL_Rect *dst, Uint8 alpha)
{
    if (!tex || alpha == 0)
        return;
    SDL_SetTextureAlphaMod(tex, alpha);
    SDL_RenderCopy(r, tex, NULL, dst);
}

static void sprites_draw(SDL_Renderer *r, const sprites *l, Uint8 alpha)
{
    for (size_t i = 0; i < l->count; i++)
        copy_alpha(r, l->items[i].tex, &l->items[i].dst, alpha);
}

static void fill(SDL_Renderer *r, bt_rect box, bt_rgb c, Uint8 alpha)
{
    if (box.w <= 0 || box.h <= 0 || alpha == 0)
        return;
    SDL_Rect rr = {box.x, box.y, box.w, box.h};
    SDL_SetRenderDrawBlendMode(r, alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, alpha);
    SDL_RenderFillRect(r, &rr);
}

static SDL_Color sdl_color(bt_rgb c)
{
    SDL_Color out = {c.r, c.g, c.b, 255};
    return out;
}

/* Rasterises one line; counts it. */
static SDL_Texture *render_line(bt_screen *s, bt_face face, int size, const char *text,
                                size_t len, bool ellipsis, bt_ink ink, int *w, int *h,
                                int *baseline)
{
    SDL_Surface *surf = bt_ui_font_render(s->font[face], size, text, len, ellipsis,
                                          sdl_color(bt_ui_ink_text(&s->cfg, ink)), baseline);
    if (!surf)
        return NULL;
    s->stats.text_rasters++;
    SDL_Texture *tex = texture_from(s, surf);
    *w = surf->w;
    *h = surf->h;
    SDL_FreeSurface(surf);
    return tex;
}

/* Rasterises every line of a fitted block into sprites at their layout positions. */
static int render_block(bt_screen *s, const bt_layout_text *t, sprites *out)
{
    for (size_t i = 0; i < t->line_count; i++) {
        const bt_layout_line *line = &t->lines[i];
        if (line->length == 0 && !line->ellipsis)
            continue;
        int w, h, baseline;
        SDL_Texture *tex = render_line(s, t->face, t->size, t->text + line->start, line->length,
                                       line->ellipsis, t->ink, &w, &h, &baseline);
        if (!tex)
            return -1;
        SDL_Rect dst = {bt_layout_line_x(t, i), t->box.y + line->y + t->baseline - baseline, w, h};
        if (sprites_push(out, tex, dst) != 0) {
            texture_drop(s, &tex);
            return -1;
        }
    }
    return 0;
}

/* A QR code as a small texture (one pixel per module) and where it goes, scaled by a whole
 * number, inside its white plate; counts it. */
static SDL_Texture *render_qr(bt_screen *s, const char *text, bt_rect plate, SDL_Rect *dst)
{
    int scale;
    SDL_Surface *surf = bt_ui_qr_render(text, plate.w, &scale);
    if (!surf) {
        bt_log_warn("không tạo được mã QR cho \"%s\" (khung %d px)", text ? text : "", plate.w);
        return NULL;
    }
    s->stats.qr_rasters++;
    SDL_Texture *tex = texture_from(s, surf);
    if (tex)
        SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    *dst = bt_ui_qr_placement((SDL_Rect){plate.x, plate.y, plate.w, plate.h}, surf->w, scale);
    SDL_FreeSurface(surf);
    return tex;
}

/* The white plate (the quiet zone, widened to the plate's size) and the code on it. */
static void draw_qr(bt_screen *s, SDL_Texture *tex, bt_rect plate, const SDL_Rect *dst,
                    Uint8 alpha)
{
    if (!tex)
        return;
    bt_rgb white = {255, 255, 255};
    fill(s->renderer, plate, white, alpha);
    copy_alpha(s->renderer, tex, dst, alpha);
}

/* ---- live text (clock, date) ---------------------------------------------------------------- */

static void live_update(bt_screen *s, live_text *lt, const char *text, bt_face face, int size,
                        bt_ink ink)
{
    if (lt->tex && strcmp(lt->text, text) == 0)
        return;
    texture_drop(s, &lt->tex);
    snprintf(lt->text, sizeof lt->text, "%s", text);
    lt->tex = render_line(s, face, size, text, strlen(text), false, ink, &lt->w, &lt->h,
                          &lt->baseline);
    if (!lt->tex)
        lt->text[0] = '\0';
}

static void live_draw(bt_screen *s, const live_text *lt, bt_rect box, bt_face face, int size,
                      bt_align align, Uint8 alpha)
{
    if (!lt->tex)
        return;
    int lh = bt_layout_line_height(&s->fonts, face, size);
    int top = box.y + (box.h - lh) / 2;
    int x = box.x;
    if (align == BT_ALIGN_RIGHT)
        x = box.x + box.w - lt->w;
    else if (align == BT_ALIGN_CENTER)
        x = box.x + (box.w - lt->w) / 2;
    SDL_Rect dst = {x, top + bt_layout_baseline(&s->fonts, face, size) - lt->baseline, lt->w,
                    lt->h};
    copy_alpha(s->renderer, lt->tex, &dst, alpha);
}

/* ---- slides --------------------------------------------------------------------------------- */

static void slide_clear(bt_screen *s, slide *sl)
{
    sprites_clear(s, &sl->text);
    texture_drop(s, &sl->qr);
    texture_drop(s, &sl->image);
    free(sl->plan);
    memset(sl, 0, sizeof *sl);
}

static void idle_content(const bt_screen *s, bt_layout_content *c)
{
    memset(c, 0, sizeof *c);
    c->idle = true;
    c->qr_url = s->cfg.portal_url;
    c->qr_caption = s->cfg.portal_caption;
}

static SDL_Surface *load_notice_image(bt_screen *s, const bt_notice *n)
{
    char path[BT_MAX_PATH_BYTES * 2 + 2];
    char err[BT_MAX_PATH_BYTES * 2 + 128];
    if (s->dir[0])
        snprintf(path, sizeof path, "%s/%s", s->dir, n->image);
    else
        snprintf(path, sizeof path, "%s", n->image);
    s->stats.image_decodes++;
    SDL_Surface *img = bt_ui_image_load(path, err, sizeof err);
    if (!img)
        bt_log_warn("thông báo \"%s\": %s — bỏ qua ảnh", n->id, err);
    return img;
}

/* Lays out and rasterises the slide for `index`. Problems are logged; the slide is still valid
 * (it shows what could be drawn over the theme background). */
static void slide_build(bt_screen *s, slide *sl, size_t index)
{
    slide_clear(s, sl);
    sl->valid = true;
    sl->notice = index;
    sl->plan = calloc(1, sizeof *sl->plan);
    if (!sl->plan) {
        bt_log_error("hết bộ nhớ khi dựng trang");
        return;
    }
    bt_layout_content c;
    SDL_Surface *img = NULL;
    const bt_notice *n = index != BT_ROTATION_NONE ? &s->playlist->notices[index] : NULL;
    if (!n) {
        idle_content(s, &c);
    } else {
        memset(&c, 0, sizeof c);
        c.kind = n->kind;
        c.title = n->title;
        c.body = n->body;
        c.qr_url = n->qr_url;
        c.qr_caption = n->qr_caption;
        c.urgent = n->urgent;
        if (n->kind == BT_NOTICE_IMAGE) {
            img = n->image ? load_notice_image(s, n) : NULL;
            if (!img) {
                sl->failed = true;
                if (!n->title || !*n->title)
                    idle_content(s, &c); /* nothing of this notice is left to show */
            } else {
                c.has_image = true;
                c.image_w = img->w;
                c.image_h = img->h;
            }
        }
    }
    if (bt_layout_slide_build(&s->frame, &s->fonts, &c, sl->plan) != 0) {
        bt_log_error("không dàn trang được thông báo \"%s\"", n ? n->id : "(màn hình chờ)");
        memset(sl->plan, 0, sizeof *sl->plan);
        SDL_FreeSurface(img);
        return;
    }
    const bt_layout_slide *p = sl->plan;
    for (size_t i = 0; i < p->text_count; i++) {
        if (render_block(s, &p->texts[i], &sl->text) != 0) {
            bt_log_error("không vẽ được chữ: %s", TTF_GetError());
            break;
        }
    }
    if (p->qr.w > 0) {
        sl->qr = render_qr(s, p->qr_text, p->qr, &sl->qr_dst);
    }
    if (img && p->image.w > 0) {
        /* Scaled once to exactly the shown size; the full-size decode is freed right here. */
        SDL_Surface *scaled = bt_ui_image_scale(img, p->image.w, p->image.h);
        SDL_FreeSurface(img);
        img = NULL;
        if (scaled) {
            sl->image = texture_from(s, scaled);
            SDL_FreeSurface(scaled);
            sl->image_dst = (SDL_Rect){p->image.x, p->image.y, p->image.w, p->image.h};
        } else {
            bt_log_warn("không thu nhỏ được ảnh của thông báo \"%s\"", n ? n->id : "");
        }
    }
    SDL_FreeSurface(img);
}

static bool slide_is_idle(const slide *sl)
{
    return !sl->plan || sl->plan->kind == BT_SLIDE_IDLE;
}

static void draw_slide(bt_screen *s, slide *sl, Uint8 alpha, bt_wall wall)
{
    const bt_layout_slide *p = sl->plan;
    if (!p)
        return;
    copy_alpha(s->renderer, sl->image, &sl->image_dst, alpha);
    if (p->badge.w > 0)
        fill(s->renderer, p->badge, s->cfg.accent, alpha);
    sprites_draw(s->renderer, &sl->text, alpha);
    draw_qr(s, sl->qr, p->qr, &sl->qr_dst, alpha);
    if (p->kind == BT_SLIDE_IDLE && p->clock_size > 0) {
        char buf[64];
        live_update(s, &s->big_clock, bt_time_format_hhmm(wall, buf, sizeof buf), BT_FACE_BOLD,
                    p->clock_size, BT_INK_TEXT);
        live_update(s, &s->big_date, bt_time_format_date_vi(wall, buf, sizeof buf),
                    BT_FACE_REGULAR, p->date_size, BT_INK_ACCENT);
        bt_align align = BT_ALIGN_CENTER;
        live_draw(s, &s->big_clock, p->clock_box, BT_FACE_BOLD, p->clock_size, align, alpha);
        live_draw(s, &s->big_date, p->date_box, BT_FACE_REGULAR, p->date_size, align, alpha);
    }
}

/* ---- chrome: header, corner, ticker ------------------------------------------------------------ */

static int build_chrome(bt_screen *s)
{
    if (render_block(s, &s->frame.ward, &s->ward) != 0)
        return -1;
    if (s->cfg.portal_url && *s->cfg.portal_url) {
        if (render_block(s, &s->frame.corner_caption, &s->caption) != 0)
            return -1;
        s->corner_qr = render_qr(s, s->cfg.portal_url, s->frame.corner_qr, &s->corner_qr_dst);
    }
    return 0;
}

static void draw_header(bt_screen *s, bt_wall wall, Uint8 clock_alpha)
{
    const bt_layout_frame *f = &s->frame;
    fill(s->renderer, f->header, s->cfg.header_background, 255);
    fill(s->renderer, f->header_rule, s->cfg.accent, 255);
    sprites_draw(s->renderer, &s->ward, 255);
    if (clock_alpha == 0)
        return;
    char buf[64];
    live_update(s, &s->date, bt_time_format_date_vi(wall, buf, sizeof buf), BT_FACE_REGULAR,
                f->date_size, BT_INK_HEADER);
    live_update(s, &s->clock, bt_time_format_hhmm(wall, buf, sizeof buf), BT_FACE_BOLD,
                f->clock_size, BT_INK_HEADER);
    live_draw(s, &s->date, f->date_box, BT_FACE_REGULAR, f->date_size, BT_ALIGN_RIGHT,
              clock_alpha);
    live_draw(s, &s->clock, f->clock_box, BT_FACE_BOLD, f->clock_size, BT_ALIGN_RIGHT,
              clock_alpha);
}

static void draw_corner(bt_screen *s, Uint8 alpha)
{
    const bt_layout_frame *f = &s->frame;
    if (alpha == 0 || !s->corner_qr)
        return;
    /* A slightly lighter panel sets the corner apart from the notice without a frame. */
    fill(s->renderer, f->corner, bt_ui_corner_background(&s->cfg), alpha);
    draw_qr(s, s->corner_qr, f->corner_qr, &s->corner_qr_dst, alpha);
    sprites_draw(s->renderer, &s->caption, alpha);
}

static void ticker_clear(bt_screen *s)
{
    for (size_t i = 0; i < s->ticker_count; i++) {
        texture_drop(s, &s->ticker[i].tex);
        free(s->ticker[i].text);
    }
    free(s->ticker);
    s->ticker = NULL;
    s->ticker_count = 0;
    s->ticker_bytes = 0;
    s->ticker_cycle = 0;
    texture_drop(s, &s->ticker_sep);
}

static int ticker_speed(const bt_screen *s)
{
    int v = (int)(((long long)s->cfg.ticker_speed_px * s->frame.unit + 540) / 1080);
    return v > 0 ? v : 1;
}

static size_t ticker_seg_bytes(const bt_screen *s, const ticker_seg *g)
{
    int lh = bt_layout_line_height(&s->fonts, BT_FACE_REGULAR, s->frame.ticker_size);
    return (size_t)g->width * (size_t)lh * 4;
}

static void ticker_render(bt_screen *s, ticker_seg *g)
{
    int w;
    g->tex = render_line(s, BT_FACE_REGULAR, s->frame.ticker_size, g->text, strlen(g->text),
                         false, BT_INK_TICKER, &w, &g->h, &g->baseline);
    if (g->tex)
        s->ticker_bytes += ticker_seg_bytes(s, g);
}

static void ticker_build(bt_screen *s)
{
    ticker_clear(s);
    const bt_playlist *p = s->playlist;
    if (!p || p->ticker_count == 0 || s->frame.ticker.h == 0)
        return;
    s->ticker = calloc(p->ticker_count, sizeof *s->ticker);
    if (!s->ticker)
        return;
    int size = s->frame.ticker_size;
    for (size_t i = 0; i < p->ticker_count; i++) {
        const char *line = p->ticker[i];
        if (!line || !*line)
            continue;
        ticker_seg *g = &s->ticker[s->ticker_count];
        g->text = strdup(line);
        if (!g->text)
            break;
        for (char *c = g->text; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        g->width = bt_ui_font_measure(s->font[BT_FACE_REGULAR], size, g->text, strlen(g->text));
        if (g->width <= 0) {
            free(g->text);
            g->text = NULL;
            continue;
        }
        s->ticker_count++;
    }
    int dot_w;
    s->ticker_sep = render_line(s, BT_FACE_BOLD, size, "•", strlen("•"), false, BT_INK_TICKER,
                                &dot_w, &s->sep_h, &s->sep_baseline);
    s->sep_w = dot_w + 2 * bt_layout_px(&s->frame, 44);
    s->ticker_cycle = 0;
    for (size_t i = 0; i < s->ticker_count; i++) {
        s->ticker_cycle += s->ticker[i].width + s->sep_w;
        /* Rasterised now while the budget allows: drawing then only copies. */
        if (s->ticker_bytes + ticker_seg_bytes(s, &s->ticker[i]) <= TICKER_BUDGET_BYTES)
            ticker_render(s, &s->ticker[i]);
    }
}

/* Pixels the ticker has scrolled at `mono`: a pure function of time, so frames are repeatable. */
static int ticker_offset(const bt_screen *s, bt_mono_ns mono)
{
    if (s->ticker_cycle <= 0)
        return 0;
    long long us = mono / 1000;
    if (us < 0)
        us = 0;
    long long px = us * ticker_speed(s) / 1000000;
    return (int)(px % s->ticker_cycle);
}

static void draw_ticker(bt_screen *s, bt_mono_ns mono)
{
    const bt_layout_frame *f = &s->frame;
    bt_rect band = f->ticker;
    if (band.h == 0 && s->banner.count > 0)
        band = (bt_rect){0, f->height - bt_layout_px(f, 90), f->width, bt_layout_px(f, 90)};
    /* An empty band would look broken: without ticker lines or a banner the space stays the
     * theme background. */
    if (band.h == 0 || (s->ticker_count == 0 && s->banner.count == 0))
        return;
    fill(s->renderer, band, s->cfg.ticker_background, 255);
    int left = 0, right = f->width;
    if (s->banner.count > 0) {
        fill(s->renderer, (bt_rect){s->banner_plate.x, s->banner_plate.y, s->banner_plate.w,
                                    s->banner_plate.h},
             s->cfg.header_background, 255);
        sprites_draw(s->renderer, &s->banner, 255);
        left = s->banner_right;
    }
    if (s->ticker_count == 0 || s->ticker_cycle <= 0 || f->ticker.h == 0)
        return;
    SDL_Rect clip = {left, band.y, right - left, band.h};
    SDL_RenderSetClipRect(s->renderer, &clip);
    int x = left + f->margin - ticker_offset(s, mono);
    size_t i = 0;
    bool over = s->ticker_bytes > TICKER_BUDGET_BYTES;
    /* Segments that could be visible this frame; over budget, the others give their textures
     * back afterwards. */
    while (x < right) {
        ticker_seg *g = &s->ticker[i % s->ticker_count];
        if (x + g->width > left) {
            if (!g->tex)
                ticker_render(s, g);
            SDL_Rect dst = {x, band.y + f->ticker_baseline - g->baseline, g->width, g->h};
            if (g->tex) {
                SDL_QueryTexture(g->tex, NULL, NULL, &dst.w, &dst.h);
                copy_alpha(s->renderer, g->tex, &dst, 255);
            }
        }
        x += g->width;
        if (x + s->sep_w > left && s->ticker_sep) {
            int w, h;
            SDL_QueryTexture(s->ticker_sep, NULL, NULL, &w, &h);
            SDL_Rect dst = {x + (s->sep_w - w) / 2, band.y + f->ticker_baseline - s->sep_baseline,
                            w, h};
            copy_alpha(s->renderer, s->ticker_sep, &dst, 255);
        }
        x += s->sep_w;
        i++;
    }
    SDL_RenderSetClipRect(s->renderer, NULL);
    if (over) {
        int start = left + f->margin - ticker_offset(s, mono);
        for (size_t k = 0; k < s->ticker_count && s->ticker_bytes > TICKER_BUDGET_BYTES; k++) {
            /* Visible iff some repetition of segment k intersects [left, right). */
            int pos = start;
            for (size_t j = 0; j < k; j++)
                pos += s->ticker[j].width + s->sep_w;
            bool visible = false;
            for (int p = pos; p < right; p += s->ticker_cycle)
                if (p + s->ticker[k].width > left)
                    visible = true;
            if (!visible && s->ticker[k].tex) {
                texture_drop(s, &s->ticker[k].tex);
                size_t b = ticker_seg_bytes(s, &s->ticker[k]);
                s->ticker_bytes -= b < s->ticker_bytes ? b : s->ticker_bytes;
            }
        }
    }
}

static void banner_build(bt_screen *s)
{
    sprites_clear(s, &s->banner);
    if (!s->now_playing)
        return;
    const bt_layout_frame *f = &s->frame;
    bt_rect band = f->ticker.h ? f->ticker
                               : (bt_rect){0, f->height - bt_layout_px(f, 90), f->width,
                                           bt_layout_px(f, 90)};
    int pad = bt_layout_px(f, 14), gap = bt_layout_px(f, 24);
    int size = bt_layout_px(f, 38);
    bt_layout_text label, title;
    bt_rect lbox = {f->margin / 2 + gap, band.y, f->width / 4, band.h};
    if (bt_layout_single_line(&s->fonts, NOW_PLAYING_LABEL, lbox, BT_FACE_BOLD, size,
                              BT_INK_HEADER, BT_ALIGN_LEFT, &label) != 0)
        return;
    lbox.w = label.lines[0].width;
    label.box.w = lbox.w;
    s->banner_plate = (SDL_Rect){f->margin / 2, band.y + pad, lbox.w + 2 * gap, band.h - 2 * pad};
    int tx = s->banner_plate.x + s->banner_plate.w + gap;
    bt_rect tbox = {tx, band.y, (f->width * 45) / 100, band.h};
    if (bt_layout_single_line(&s->fonts, s->now_playing, tbox, BT_FACE_BOLD,
                              bt_layout_px(f, 40), BT_INK_TICKER, BT_ALIGN_LEFT, &title) != 0)
        return;
    if (render_block(s, &label, &s->banner) != 0 || render_block(s, &title, &s->banner) != 0)
        return;
    s->banner_right = tx + (title.line_count ? title.lines[0].width : 0) + 2 * gap;
}

/* ---- public --------------------------------------------------------------------------------- */

int bt_screen_create(SDL_Renderer *renderer, int width, int height, const bt_screen_config *cfg,
                     bt_screen **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!renderer || !cfg || width < 64 || height < 64) {
        snprintf(err, err_size, "kích thước màn hình %d×%d không dùng được", width, height);
        return -1;
    }
    bt_screen *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "hết bộ nhớ khi tạo màn hình");
        return -1;
    }
    s->renderer = renderer;
    s->cfg = *cfg;
    if (TTF_Init() != 0) {
        snprintf(err, err_size, "không khởi động được SDL_ttf: %s", TTF_GetError());
        free(s);
        return -1;
    }
    const char *paths[BT_FACE_COUNT] = {cfg->font_regular, cfg->font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (bt_ui_font_open(paths[i], &s->font[i], err, err_size) != 0)
            goto fail;
        bt_ui_font_layout_face(s->font[i], &s->fonts.face[i]);
    }
    bt_layout_params lp = {width, height, cfg->ticker_enabled, cfg->min_text_px,
                           cfg->ward_name ? cfg->ward_name : "",
                           cfg->portal_caption ? cfg->portal_caption : ""};
    if (bt_layout_frame_build(&lp, &s->fonts, &s->frame) != 0) {
        snprintf(err, err_size, "không dàn được bố cục màn hình %d×%d", width, height);
        goto fail;
    }
    if (build_chrome(s) != 0) {
        snprintf(err, err_size, "không vẽ được phần đầu màn hình: %s", TTF_GetError());
        goto fail;
    }
    *out = s;
    return 0;
fail:
    bt_screen_destroy(s);
    return -1;
}

void bt_screen_destroy(bt_screen *s)
{
    if (!s)
        return;
    slide_clear(s, &s->slides[0]);
    slide_clear(s, &s->slides[1]);
    sprites_clear(s, &s->ward);
    sprites_clear(s, &s->caption);
    sprites_clear(s, &s->banner);
    texture_drop(s, &s->corner_qr);
    texture_drop(s, &s->clock.tex);
    texture_drop(s, &s->date.tex);
    texture_drop(s, &s->big_clock.tex);
    texture_drop(s, &s->big_date.tex);
    ticker_clear(s);
    free(s->now_playing);
    for (int i = 0; i < BT_FACE_COUNT; i++)
        bt_ui_font_close(s->font[i]);
    TTF_Quit();
    free(s);
}

void bt_screen_set_playlist(bt_screen *s, const bt_playlist *p, const char *dir)
{
    slide_clear(s, &s->slides[0]);
    slide_clear(s, &s->slides[1]);
    s->fading = false;
    s->playlist = p;
    snprintf(s->dir, sizeof s->dir, "%s", dir ? dir : "");
    ticker_build(s);
}

void bt_screen_show(bt_screen *s, size_t index, bool animate, bt_mono_ns now)
{
    if (!s->playlist || index >= s->playlist->notice_count)
        index = BT_ROTATION_NONE;
    slide *cur = &s->slides[s->current];
    if (cur->valid && cur->notice == index)
        return;
    slide *next = &s->slides[1 - s->current];
    /* The previous slide is reused when the rotation comes back to it (two notices). */
    if (!(next->valid && next->notice == index))
        slide_build(s, next, index);
    s->fading = animate && s->cfg.transition_ms > 0 && cur->valid;
    s->fade_start = now;
    s->current = 1 - s->current;
}

void bt_screen_set_now_playing(bt_screen *s, const char *title)
{
    free(s->now_playing);
    s->now_playing = title && *title ? strdup(title) : NULL;
    banner_build(s);
}

bool bt_screen_current_failed(const bt_screen *s)
{
    const slide *cur = &s->slides[s->current];
    return cur->valid && cur->failed;
}

int bt_screen_draw(bt_screen *s, bt_wall wall, bt_mono_ns mono)
{
    slide *cur = &s->slides[s->current];
    if (!cur->valid)
        slide_build(s, cur, BT_ROTATION_NONE); /* drawn before any show(): the idle screen */
    slide *prev = &s->slides[1 - s->current];
    int alpha = 255;
    if (s->fading) {
        long long ms = (mono - s->fade_start) / 1000000;
        if (ms >= s->cfg.transition_ms || ms < 0 || !prev->valid)
            s->fading = false;
        else
            alpha = (int)((ms * 255) / s->cfg.transition_ms);
    }
    SDL_Renderer *r = s->renderer;
    bt_rgb bg = s->cfg.background;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(r);
    int corner = cur->plan && cur->plan->corner ? 255 : 0;
    int clock = slide_is_idle(cur) ? 0 : 255;
    if (s->fading) {
        draw_slide(s, prev, 255, wall);
        fill(r, s->frame.stage, bg, (Uint8)alpha);
        draw_slide(s, cur, (Uint8)alpha, wall);
        int prev_corner = prev->plan && prev->plan->corner ? 255 : 0;
        int prev_clock = slide_is_idle(prev) ? 0 : 255;
        corner = (corner * alpha + prev_corner * (255 - alpha)) / 255;
        clock = (clock * alpha + prev_clock * (255 - alpha)) / 255;
    } else {
        draw_slide(s, cur, 255, wall);
    }
    draw_corner(s, (Uint8)corner);
    draw_header(s, wall, (Uint8)clock);
    draw_ticker(s, mono);
    int next = s->fading ? FRAME_MS : -1;
    if (s->ticker_count > 0 && s->frame.ticker.h > 0) {
        int ms = 1000 / ticker_speed(s);
        if (ms < FRAME_MS)
            ms = FRAME_MS;
        if (next < 0 || ms < next)
            next = ms;
    }
    return next;
}

/* ---- inspection ------------------------------------------------------------------------------ */

void bt_screen_stats(const bt_screen *s, bt_ui_stats *out)
{
    *out = s->stats;
}

unsigned long bt_screen_raster_count(const bt_screen *s)
{
    return s->stats.text_rasters;
}

const bt_layout_frame *bt_screen_frame(const bt_screen *s)
{
    return &s->frame;
}

const bt_layout_slide *bt_screen_current_plan(const bt_screen *s)
{
    const slide *cur = &s->slides[s->current];
    return cur->valid ? cur->plan : NULL;
}
