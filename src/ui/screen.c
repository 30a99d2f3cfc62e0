/* The lobby screen: header (ward, Vietnamese date, clock), the current notice, a scrolling ticker
 * and the corner QR to the public-service portal.
 *
 * Event-driven and cached. A notice is laid out (layout.c) and rasterised to textures once, when
 * it is first shown; the current and the previous notice are kept (a playlist of two alternates
 * without any new rasterising). bt_screen_draw only copies textures, except the clock and date,
 * which are re-rendered when their text changes (once a minute).
 *
 * Crossfade without a black frame: over the theme background the old slide is drawn at the
 * opacity the new one has not reached, then the new slide at its opacity. Each frame is
 * therefore a blend of the two slides over the theme background, never an empty one.
 * Chrome that belongs to only one of them (the corner QR is absent on the idle screen, which has
 * its own large clock) fades with it.
 *
 * Cheap motion: the ticker (or a long "ĐANG PHÁT" title) scrolls at 24 frames per second, its
 * position a pure function of the monotonic time. On SDL's software renderer, whose target keeps
 * the last frame, a frame in which only the bottom band moves repaints that band alone; a new
 * slide, a crossfade, the clock's next minute, a new banner or schedule, or
 * bt_screen_invalidate make the next frame full again. Other renderers always get full frames.
 *
 * Issue 3: the "Lịch phát thanh hôm nay" slide shows the rows the app hands in
 * (bt_screen_set_schedule; the ui never runs the scheduler), re-rasterised only when they change;
 * the "ĐANG PHÁT" banner fills the bottom band while a broadcast airs.
 *
 * Issue 10: a discreet mark for staff (bt_screen_set_staff_notice) in the strip above the bottom
 * band that nothing else uses (staff_mark.c). It is opaque and never fades; when its text
 * changes, the software renderer repaints just its rectangle (old and new).
 *
 * Issue 14: while a bulletin airs, its words one phrase at a time (bt_screen_set_caption) on a
 * plate above the bottom band (caption.c places it); a new phrase makes the next frame full. */
#include "bangtin/bt_screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_layout.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_rotation.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_ui_caption.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_image.h"
#include "bangtin/bt_ui_video.h"
#include "bangtin/bt_ui_qr.h"
#include "bangtin/bt_ui_stats.h"
#include "bangtin/bt_ui_theme.h"
#include "bangtin/bt_vi.h"

#include "staff_mark.h"

/* The ticker and a scrolling banner title move at 24 frames per second, the rate of film: at
 * 120 px/s a 5 px step, which reads as smooth motion from across the hall. Every frame costs
 * the same whatever it moves (the kiosk's turn, the band's shift and strip, the update sent and
 * the X server's copy of it), so the lobby's CPU follows the frame rate: 24 instead of 30 is a
 * fifth less (issue 14, item 9; bench/README.md). The step is rounded to whole pixels and the
 * frame period derived from it (scroll_step), so frames on time all move by the same step. */
#define SCROLL_FRAME_MS 42
/* A crossfade's opacity moves in steps of this many ms, every other ticker frame (12 steps a
 * second, 9 over the default 700 ms). Every step is a full repaint blending both slides, 5–10 ms
 * of CPU at 1920×1080 in software and all of the screen sent to the display; between two steps
 * the ticker goes on moving in band-only frames over the step in the target. */
#define FADE_STEP_MS (2 * SCROLL_FRAME_MS - 1)
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL
/* Ticker lines are rasterised when they first scroll into view (not all before the first
 * frame, which must come quickly). They stay as textures while all of them fit in this many
 * bytes; beyond it a line's texture is dropped when it leaves and made again when it comes
 * round (a playlist may carry 50 lines of 600 bytes). One line costs 1–3 ms to rasterise, once
 * per pass of the whole ticker (a minute or more); the memory is what the lobby budget counts. */
#define TICKER_BUDGET_BYTES (1024u * 1024u)
/* A scrolling banner title rests this long at its start on each pass, so its beginning (what
 * is on air) can be read before it moves. */
#define BANNER_HOLD_MS 2500
/* A slide's line of text kept as coverage is turned back into pixels this many rows at a time,
 * in one streaming texture as wide as the screen (line_band, 240 KB at 1920 px): the lobby holds
 * a band instead of every line at four bytes a pixel. */
#define LINE_BAND_ROWS 32
/* More rows than any day can have (50 sessions × 8 times, plus one-offs); beyond it the copy is
 * cut rather than grown without bound. */
#define SCHEDULE_MAX_COPY 1024

typedef struct {
    SDL_Texture *tex;
    SDL_Rect dst;
    /* Instead of tex, a slide's line of text as one byte a pixel (line_cover): its alpha,
     * dst.w × dst.h, and the two values that give back each pixel exactly. */
    Uint8 *cover;
    Uint32 ink;              /* a pixel with alpha a is ink | a << 24 */
    Uint32 clear;            /* every pixel with alpha 0 */
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
    bool image_dropped;      /* its picture was let go once it was no longer shown */
    bt_mono_ns since;        /* when its showing began (a scrolling picture moves from it) */
    bt_ui_video *video;      /* a video notice's clip; its frames go into `image` (issue 15) */
    bt_rect extent;          /* everything it paints (its area and every glyph's surface) */
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
    SDL_Texture *tex;        /* or, kept as coverage (ticker_cover), cover and lut */
    Uint8 *cover;            /* w × h: each pixel's alpha as SDL_ttf drew it */
    Uint32 *lut;             /* 256: the pixel that alpha gave blended on the band's ground */
    int w, h, baseline;
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
    bt_layout_banner banner_plan;
    sprites banner;          /* the label */
    sprites banner_title;    /* the title, one line */
    bool banner_started;     /* banner_epoch is set (first frame drawn with it) */
    long long banner_epoch;  /* the scroll clock (scroll_px) at that first frame */
    /* Today's sessions for the schedule notice (copied), with what the layout points into. */
    bt_screen_schedule_row *sched;
    size_t sched_count;
    bool sched_set;
    bt_day sched_day;
    char (*sched_time)[16];
    bt_layout_schedule_row *sched_rows;
    char sched_date[64];
    /* Partial repaint. SDL's software renderer draws straight into the window surface (or a
     * target texture), which keeps the last frame; then a frame in which only the bottom band
     * moves repaints just that band. Any other renderer's back buffer is undefined after a
     * present, so it always gets the full frame. */
    bool keeps_frame;        /* the renderer is SDL's software renderer */
    bool painted;            /* the target holds a complete frame of the current state */
    bool clock_untrusted;    /* show no date or time: the appliance cannot vouch for them */
    bt_wall painted_minute;  /* the minute (wall / 60) that frame's clock shows */
    /* Issue 10: the staff mark. */
    char *staff_given;       /* the text as the caller gave it (compared on every call), or NULL */
    char *staff_text;        /* what is shown: one line of NFC UTF-8 without control characters */
    bt_layout_staff_mark staff_plan; /* points into staff_text; plate.w = 0: no mark */
    SDL_Texture *staff_tex;
    int painted_scroll;      /* the scrolling picture's offset in that frame */
    int painted_fade;        /* the crossfade's step in that frame (FADE_STEP_MS), -1: none */
    bt_rect staff_damage;    /* what changed since the last frame because of the mark (w = 0:
                              * nothing); on its own it is repainted without a full frame */
    /* What the last draw changed (bt_screen_damage), and the bottom band's rows that carry text
     * in that frame and the one before: the band is filled whole at every frame, but its rows
     * above and below the text never change, so a band-only frame sends only the text's rows. */
    bt_rect damage;
    bt_rect band_ink, band_ink_before;
    /* The surface the software renderer paints into (bt_screen_set_target_surface), or NULL;
     * and the scroll clock (scroll_px) of the ticker it holds in the band (band_px_valid). */
    SDL_Surface *target;
    long long band_px;
    bool band_px_valid;
    /* Issue 14: the phrase of the bulletin on air. */
    char *spoken;            /* what is shown (one line of NFC UTF-8), or NULL */
    bt_layout_caption spoken_plan; /* points into spoken; plate.w = 0: none */
    sprites spoken_lines;
    bt_ui_stats stats;
    /* The band a line kept as coverage is drawn through (cover_draw), made at its first use. */
    SDL_Texture *line_band;
    int line_band_w;
    /* The same for the ticker's lines (ticker_draw_seg), opaque, in their textures' format. */
    SDL_Texture *ticker_band;
    Uint32 ticker_format;    /* its format: the ground's, when the renderer takes it */
    bool ticker_format_known;
    /* Issue 14: the slim header of image slides, and the corner panel's information block
     * beside the portal QR ([0]) and in its place ([1]), made again when its text changes. */
    sprites ward_slim;
    live_text slim_clock, slim_date;
    sprites info[2];
    /* Issue 14: the ward's logo (bt_screen_config.ward_logo), its size as the file says and
     * decoded once per header at the size it is shown at (full header, slim header). */
    int logo_w, logo_h;
    SDL_Texture *logo, *logo_slim;
    SDL_Texture *logo_info[2]; /* beside the hotline in info[i]; NULL: none */
    bt_rect logo_info_dst[2];
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

static void sprite_drop(bt_screen *s, sprite *sp)
{
    texture_drop(s, &sp->tex);
    if (sp->cover) {
        size_t bytes = (size_t)sp->dst.w * (size_t)sp->dst.h;
        s->stats.cover_bytes -= bytes < s->stats.cover_bytes ? bytes : s->stats.cover_bytes;
        free(sp->cover);
        sp->cover = NULL;
    }
}

static void sprites_clear(bt_screen *s, sprites *l)
{
    for (size_t i = 0; i < l->count; i++)
        sprite_drop(s, &l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Appends sp (a texture or a coverage, owned by the list from here on). */
static int sprites_push(sprites *l, const sprite *sp)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        sprite *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count++] = *sp;
    return 0;
}

static void copy_alpha(SDL_Renderer *r, SDL_Texture *tex, const SDL_Rect *dst, Uint8 alpha)
{
    if (!tex || alpha == 0)
        return;
    SDL_SetTextureAlphaMod(tex, alpha);
    SDL_RenderCopy(r, tex, NULL, dst);
}

/* A texture without transparency (a QR code): at full opacity it is copied without blending,
 * which for a scaled copy lets SDL's software renderer take its plain stretch instead of the
 * per-pixel blending one (about 4× faster for a large QR, same pixels). */
static void copy_opaque(SDL_Renderer *r, SDL_Texture *tex, const SDL_Rect *dst, Uint8 alpha)
{
    if (!tex || alpha == 0)
        return;
    SDL_SetTextureBlendMode(tex, alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(tex, alpha);
    SDL_RenderCopy(r, tex, NULL, dst);
}

/* The band line_cover's lines are drawn through, at least w pixels wide; NULL when it cannot be
 * made. Counted in texture_bytes like any texture. */
static SDL_Texture *line_band(bt_screen *s, int w)
{
    if (s->line_band && s->line_band_w >= w)
        return s->line_band;
    texture_drop(s, &s->line_band);
    int bw = w > s->frame.width ? w : s->frame.width;
    s->line_band = SDL_CreateTexture(s->renderer, SDL_PIXELFORMAT_ARGB8888,
                                     SDL_TEXTUREACCESS_STREAMING, bw, LINE_BAND_ROWS);
    if (!s->line_band)
        return NULL;
    SDL_SetTextureBlendMode(s->line_band, SDL_BLENDMODE_BLEND);
    s->line_band_w = bw;
    s->stats.texture_bytes += (size_t)bw * LINE_BAND_ROWS * 4;
    return s->line_band;
}

/* A line kept as coverage: its pixels made again, exactly as SDL_ttf gave them, a band of rows at
 * a time, each copied as its texture would have been (unscaled, blended at alpha), so the
 * frame's pixels are the same. Locking the band again makes SDL run the copies queued from it
 * first. */
static void cover_draw(bt_screen *s, const sprite *sp, Uint8 alpha)
{
    int w = sp->dst.w, h = sp->dst.h;
    SDL_Texture *band = alpha > 0 ? line_band(s, w) : NULL;
    if (!band)
        return;
    for (int top = 0; top < h; top += LINE_BAND_ROWS) {
        int rows = h - top < LINE_BAND_ROWS ? h - top : LINE_BAND_ROWS;
        SDL_Rect src = {0, 0, w, rows};
        void *pixels;
        int pitch;
        if (SDL_LockTexture(band, &src, &pixels, &pitch) != 0)
            return;
        for (int y = 0; y < rows; y++) {
            Uint32 *out = (Uint32 *)((Uint8 *)pixels + (size_t)y * (size_t)pitch);
            const Uint8 *a = sp->cover + (size_t)(top + y) * (size_t)w;
            for (int x = 0; x < w; x++)
                out[x] = a[x] ? sp->ink | (Uint32)a[x] << 24 : sp->clear;
        }
        SDL_UnlockTexture(band);
        SDL_SetTextureAlphaMod(band, alpha);
        SDL_RenderCopy(s->renderer, band, &src, &(SDL_Rect){sp->dst.x, sp->dst.y + top, w, rows});
    }
}

static void sprites_draw(bt_screen *s, const sprites *l, Uint8 alpha)
{
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i].cover)
            cover_draw(s, &l->items[i], alpha);
        else
            copy_alpha(s->renderer, l->items[i].tex, &l->items[i].dst, alpha);
    }
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

/* SDL_ttf's line `surf` blended onto the opaque ground of `ink`, in the format of the software
 * renderer's window surface; NULL when it cannot be made. Caller frees. */
static SDL_Surface *line_on_ground(bt_screen *s, SDL_Surface *surf, bt_ink ink)
{
    SDL_Surface *flat = SDL_CreateRGBSurfaceWithFormat(0, surf->w, surf->h, 32,
                                                       SDL_PIXELFORMAT_RGB888);
    if (!flat)
        return NULL;
    bt_rgb g = bt_ui_ink_ground(&s->cfg, ink);
    SDL_FillRect(flat, NULL, SDL_MapRGB(flat->format, g.r, g.g, g.b));
    SDL_SetSurfaceBlendMode(surf, SDL_BLENDMODE_BLEND);
    if (SDL_BlitSurface(surf, NULL, flat, NULL) != 0) {
        SDL_FreeSurface(flat);
        return NULL;
    }
    return flat;
}

/* Rasterises one line already blended onto an opaque `ground` (line_on_ground), so SDL's blitter
 * does once here what it would otherwise do at every frame: copied without blending, the line
 * then costs a plain copy per frame. For text that always sits on a flat ground of one colour
 * (the ticker); counts it. */
static SDL_Texture *render_line_on(bt_screen *s, bt_face face, int size, const char *text,
                                   size_t len, bt_ink ink, int *w, int *h, int *baseline)
{
    SDL_Surface *surf = bt_ui_font_render(s->font[face], size, text, len, false,
                                          sdl_color(bt_ui_ink_text(&s->cfg, ink)), baseline);
    if (!surf)
        return NULL;
    s->stats.text_rasters++;
    SDL_Texture *tex = NULL;
    SDL_Surface *flat = line_on_ground(s, surf, ink);
    if (flat) {
        tex = texture_from(s, flat);
        if (tex)
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
        SDL_FreeSurface(flat);
    }
    *w = surf->w;
    *h = surf->h;
    SDL_FreeSurface(surf);
    return tex;
}

/* The smallest rectangle of a rendered line (SDL_ttf's ARGB8888, alpha in the top byte) that
 * holds every pixel with any ink; w = 0 when none has. */
static SDL_Rect ink_box(const SDL_Surface *surf)
{
    SDL_Rect box = {0, 0, 0, 0};
    int top = surf->h, bottom = -1, left = surf->w, right = -1;
    for (int y = 0; y < surf->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + (size_t)y * surf->pitch);
        int first = -1, last = -1;
        for (int x = 0; x < surf->w; x++)
            if (row[x] >> 24) {
                if (first < 0)
                    first = x;
                last = x;
            }
        if (first < 0)
            continue;
        top = y < top ? y : top;
        bottom = y;
        left = first < left ? first : left;
        right = last > right ? last : right;
    }
    if (bottom >= 0)
        box = (SDL_Rect){left, top, right - left + 1, bottom - top + 1};
    return box;
}

/* The pixels of box in a line SDL_ttf rendered (ARGB8888) as one byte each, their alpha, when
 * ink | alpha << 24 gives back every pixel with ink and one value every pixel without: SDL_ttf's
 * blended lines are one colour whose alpha is the glyphs' coverage. Then a quarter of the
 * texture's bytes hold the same pixels. NULL when the line is not so (or out of memory). */
static Uint8 *line_cover(const SDL_Surface *surf, SDL_Rect box, Uint32 *ink, Uint32 *clear)
{
    Uint8 *cover = malloc((size_t)box.w * (size_t)box.h);
    bool inked = false, cleared = false;
    *ink = *clear = 0;
    for (int y = 0; cover && y < box.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels +
                                             (size_t)(box.y + y) * (size_t)surf->pitch) + box.x;
        Uint8 *a = cover + (size_t)y * (size_t)box.w;
        for (int x = 0; x < box.w; x++) {
            Uint32 p = row[x];
            a[x] = (Uint8)(p >> 24);
            if (a[x] && !inked) {
                *ink = p & 0xFFFFFFu;
                inked = true;
            } else if (!a[x] && !cleared) {
                *clear = p;
                cleared = true;
            }
            if (a[x] ? (p & 0xFFFFFFu) != *ink : p != *clear) {
                free(cover);
                return NULL;
            }
        }
    }
    return cover;
}

/* Rasterises one line of text and keeps only its inked rectangle: SDL_ttf's surface is as tall
 * as the face's line (room for stacked Vietnamese marks and descenders the line may not have)
 * and its fully transparent pixels change nothing when blended, so the pixels drawn are the same
 * while what is cached, the lobby's largest use of memory, shrinks (issue 14, item 9). With
 * `cover`, a line SDL_ttf drew in one colour is kept as its coverage (line_cover), a byte a pixel
 * instead of a texture's four: for lines drawn only in full frames (a slide's text), never for
 * what moves at every frame. out->dst starts as where the line's surface would go and is narrowed
 * to the kept rectangle (w = 0: a line with no ink, nothing kept). Counts it. */
static int render_line_inked(bt_screen *s, bt_face face, int size, const char *text, size_t len,
                             bool ellipsis, bt_ink ink, bool cover, sprite *out)
{
    int baseline;
    SDL_Rect *dst = &out->dst;
    SDL_Surface *surf = bt_ui_font_render(s->font[face], size, text, len, ellipsis,
                                          sdl_color(bt_ui_ink_text(&s->cfg, ink)), &baseline);
    if (!surf)
        return -1;
    s->stats.text_rasters++;
    dst->y -= baseline;
    int rc = 0;
    SDL_Rect box = {0, 0, surf->w, surf->h};
    if (surf->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(surf)) {
        out->tex = texture_from(s, surf); /* not SDL_ttf's usual surface: kept whole */
        rc = out->tex ? 0 : -1;
    } else if ((box = ink_box(surf)).w > 0) {
        out->cover = cover ? line_cover(surf, box, &out->ink, &out->clear) : NULL;
        if (out->cover) {
            s->stats.cover_bytes += (size_t)box.w * (size_t)box.h;
        } else {
            /* A view into the line's pixels, copied into the texture as they are. */
            SDL_Surface *kept = SDL_CreateRGBSurfaceWithFormatFrom(
                (Uint8 *)surf->pixels + (size_t)box.y * surf->pitch + (size_t)box.x * 4, box.w,
                box.h, 32, surf->pitch, SDL_PIXELFORMAT_ARGB8888);
            out->tex = kept ? texture_from(s, kept) : NULL;
            SDL_FreeSurface(kept);
            rc = out->tex ? 0 : -1;
        }
    }
    *dst = (SDL_Rect){dst->x + box.x, dst->y + box.y, box.w, box.h};
    SDL_FreeSurface(surf);
    return rc;
}

/* Rasterises every line of a fitted block into sprites at their layout positions; with `cover`
 * as coverage where it can (render_line_inked). */
static int render_block_as(bt_screen *s, const bt_layout_text *t, sprites *out, bool cover)
{
    for (size_t i = 0; i < t->line_count; i++) {
        const bt_layout_line *line = &t->lines[i];
        if (line->length == 0 && !line->ellipsis)
            continue;
        sprite sp = {.dst = {bt_layout_line_x(t, i), t->box.y + line->y + t->baseline, 0, 0}};
        if (render_line_inked(s, t->face, t->size, t->text + line->start, line->length,
                              line->ellipsis, t->ink, cover, &sp) != 0)
            return -1;
        if (!sp.tex && !sp.cover)
            continue; /* nothing to see (spaces) */
        if (sprites_push(out, &sp) != 0) {
            sprite_drop(s, &sp);
            return -1;
        }
    }
    return 0;
}

static int render_block(bt_screen *s, const bt_layout_text *t, sprites *out)
{
    return render_block_as(s, t, out, false);
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
    copy_opaque(s->renderer, tex, dst, alpha); /* black on white, no transparency */
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

static bt_rect sdl_rect_to_bt(SDL_Rect r)
{
    return (bt_rect){r.x, r.y, r.w, r.h};
}

/* fill() over box except where it meets hole: the up to four bands of box around it. */
static void fill_around(SDL_Renderer *r, bt_rect box, bt_rect hole, bt_rgb c, Uint8 alpha)
{
    int x0 = hole.x > box.x ? hole.x : box.x, y0 = hole.y > box.y ? hole.y : box.y;
    int x1 = hole.x + hole.w < box.x + box.w ? hole.x + hole.w : box.x + box.w;
    int y1 = hole.y + hole.h < box.y + box.h ? hole.y + hole.h : box.y + box.h;
    if (x1 <= x0 || y1 <= y0) {
        fill(r, box, c, alpha);
        return;
    }
    fill(r, (bt_rect){box.x, box.y, box.w, y0 - box.y}, c, alpha);
    fill(r, (bt_rect){box.x, y1, box.w, box.y + box.h - y1}, c, alpha);
    fill(r, (bt_rect){box.x, y0, x0 - box.x, y1 - y0}, c, alpha);
    fill(r, (bt_rect){x1, y0, box.x + box.w - x1, y1 - y0}, c, alpha);
}

/* ---- slides --------------------------------------------------------------------------------- */

static void slide_clear(bt_screen *s, slide *sl)
{
    sprites_clear(s, &sl->text);
    texture_drop(s, &sl->qr);
    texture_drop(s, &sl->image);
    bt_ui_video_close(sl->video);
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

/* Opens the notice's image (its header: decoding comes once the layout knows its size). */
static bt_ui_image *open_notice_image(bt_screen *s, const bt_notice *n)
{
    char path[BT_MAX_PATH_BYTES * 2 + 2];
    char err[BT_MAX_PATH_BYTES * 2 + 128];
    if (s->dir[0])
        snprintf(path, sizeof path, "%s/%s", s->dir, n->image);
    else
        snprintf(path, sizeof path, "%s", n->image);
    s->stats.image_decodes++;
    bt_ui_image *img = bt_ui_image_open(path, err, sizeof err);
    if (!img)
        bt_log_warn("thông báo \"%s\": %s — bỏ qua ảnh", n->id, err);
    return img;
}

static bool rects_meet(bt_rect a, bt_rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

static bt_rect rect_union(bt_rect a, bt_rect b)
{
    if (a.w <= 0 || a.h <= 0)
        return b;
    if (b.w <= 0 || b.h <= 0)
        return a;
    int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (bt_rect){x0, y0, x1 - x0, y1 - y0};
}

/* Where a built slide paints: its area, widened by any glyph surface reaching past its line box.
 * The idle slide's clock is rasterised while drawing, so it claims the whole stage. */
static void slide_measure_extent(bt_screen *s, slide *sl)
{
    const bt_layout_slide *p = sl->plan;
    if (!p || p->kind == BT_SLIDE_IDLE) {
        sl->extent = s->frame.stage;
        return;
    }
    sl->extent = p->area;
    for (size_t i = 0; i < sl->text.count; i++) {
        SDL_Rect d = sl->text.items[i].dst;
        sl->extent = rect_union(sl->extent, (bt_rect){d.x, d.y, d.w, d.h});
    }
}

/* Lays out and rasterises content c into sl; with img, decodes it at the size the layout gives
 * it. -1 when the image could not be decoded (nothing else is left in sl then). */
static int slide_render(bt_screen *s, slide *sl, const bt_layout_content *c, bt_ui_image *img,
                        const char *id)
{
    if (bt_layout_slide_build(&s->frame, &s->fonts, c, sl->plan) != 0) {
        bt_log_error("không dàn trang được thông báo \"%s\"", id);
        memset(sl->plan, 0, sizeof *sl->plan);
        return 0;
    }
    const bt_layout_slide *p = sl->plan;
    if (img && p->image.w > 0) {
        /* Decoded once, row by row, to exactly the shown size (bt_ui_image.h), straight into
         * the texture: the picture is in memory once. */
        char err[BT_MAX_PATH_BYTES * 2 + 256];
        SDL_Texture *tex = SDL_CreateTexture(s->renderer, SDL_PIXELFORMAT_ARGB8888,
                                             SDL_TEXTUREACCESS_STREAMING, p->image.w, p->image.h);
        void *pixels;
        int pitch;
        int rc = -1;
        if (!tex)
            snprintf(err, sizeof err, "không tạo được ảnh %dx%d: %s", p->image.w, p->image.h,
                     bt_vi_library_error(SDL_GetError()));
        else if (SDL_LockTexture(tex, NULL, &pixels, &pitch) != 0)
            snprintf(err, sizeof err, "không ghi được ảnh: %s",
                     bt_vi_library_error(SDL_GetError()));
        else {
            rc = bt_ui_image_read_into(img, p->image.w, p->image.h, pixels, pitch, err,
                                       sizeof err);
            SDL_UnlockTexture(tex);
        }
        if (rc != 0) {
            if (tex)
                SDL_DestroyTexture(tex);
            bt_log_warn("thông báo \"%s\": %s — bỏ qua ảnh", id, err);
            return -1;
        }
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        s->stats.texture_bytes += (size_t)p->image.w * (size_t)p->image.h * 4;
        sl->image = tex;
        sl->image_dst = (SDL_Rect){p->image.x, p->image.y, p->image.w, p->image.h};
    }
    for (size_t i = 0; i < p->text_count; i++) {
        /* A slide's text is drawn in full frames only (a crossfade's steps among them). */
        if (render_block_as(s, &p->texts[i], &sl->text, true) != 0) {
            bt_log_error("không vẽ được chữ: %s", bt_vi_library_error(TTF_GetError()));
            break;
        }
    }
    if (p->qr.w > 0)
        sl->qr = render_qr(s, p->qr_text, p->qr, &sl->qr_dst);
    return 0;
}

/* Issue 15: the clip of a video notice, laid out as a picture of its size (letterboxed in the
 * stage under the slim header, no caption). -1 (logged) when it does not open. */
static int video_open(bt_screen *s, slide *sl, const bt_notice *n, bt_layout_content *c)
{
    char path[BT_MAX_PATH_BYTES * 2 + 2], err[BT_MAX_PATH_BYTES * 2 + 256];
    if (s->dir[0])
        snprintf(path, sizeof path, "%s/%s", s->dir, n->video);
    else
        snprintf(path, sizeof path, "%s", n->video);
    sl->video = bt_ui_video_open(path, err, sizeof err);
    if (!sl->video) {
        bt_log_warn("thông báo \"%s\": %s — bỏ qua video", n->id, err);
        return -1;
    }
    c->kind = BT_NOTICE_IMAGE;
    c->has_image = true;
    bt_ui_video_size(sl->video, &c->image_w, &c->image_h);
    return 0;
}

/* Where in the clip the slide is `elapsed_ms` into its showing: the clip once (its last frame
 * after its end), or again from the start with `loop`. */
static long long video_position(const bt_notice *n, long long clip_ms, long long elapsed_ms)
{
    if (elapsed_ms < 0)
        elapsed_ms = 0;
    if (n->loop && clip_ms > 0)
        return elapsed_ms % clip_ms;
    return elapsed_ms;
}

/* A texture for the slide's clip (the clip's size, or the drawn size), counted as texture_drop
 * counts it: -1 with err. */
static int video_texture(bt_screen *s, slide *sl, char *err, size_t err_size)
{
    SDL_Texture *tex = bt_ui_video_texture(sl->video, s->renderer, err, err_size);
    if (!tex)
        return -1;
    int w = 0, h = 0;
    SDL_QueryTexture(tex, NULL, NULL, &w, &h);
    s->stats.texture_bytes += (size_t)w * (size_t)h * 4;
    sl->image = tex;
    return 0;
}

/* The clip's texture with its first frame in it before the slide is ever drawn, so the
 * crossfade in shows a picture from its first frame, never an empty (black) one. */
static void video_first_frame(bt_screen *s, slide *sl, const bt_notice *n)
{
    char err[512];
    const bt_layout_slide *p = sl->plan;
    bt_ui_video_draw_size(sl->video, s->renderer, p->image.w, p->image.h);
    if (video_texture(s, sl, err, sizeof err) != 0 ||
        bt_ui_video_frame_at(sl->video, 0, sl->image, err, sizeof err) < 0) {
        texture_drop(s, &sl->image);
        bt_log_warn("thông báo \"%s\": %s — bỏ qua video", n->id, err);
        bt_ui_video_close(sl->video);
        sl->video = NULL;
        sl->failed = true;
        return;
    }
    sl->image_dst = (SDL_Rect){p->image.x, p->image.y, p->image.w, p->image.h};
}

/* Lays out and rasterises the slide for `index`. Problems are logged; the slide is still valid
 * (it shows what could be drawn over the theme background). */
static void slide_build(bt_screen *s, slide *sl, size_t index)
{
    s->painted = false;
    slide_clear(s, sl);
    sl->valid = true;
    sl->notice = index;
    sl->plan = calloc(1, sizeof *sl->plan);
    if (!sl->plan) {
        bt_log_error("hết bộ nhớ khi dựng trang");
        return;
    }
    bt_layout_content c;
    bt_ui_image *img = NULL;
    const bt_notice *n = index != BT_ROTATION_NONE ? &s->playlist->notices[index] : NULL;
    const char *id = n ? n->id : "(màn hình chờ)";
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
        if (n->kind == BT_NOTICE_SCHEDULE) {
            c.rows = s->sched_rows;
            c.row_count = s->sched_count;
            c.schedule_date = s->sched_set ? s->sched_date : NULL;
        }
        if (n->kind == BT_NOTICE_VIDEO && n->video && video_open(s, sl, n, &c) == 0) {
            slide_render(s, sl, &c, NULL, id);
            video_first_frame(s, sl, n);
            slide_measure_extent(s, sl);
            return;
        }
        if (n->kind == BT_NOTICE_IMAGE) {
            c.caption = n->caption;
            c.scroll_tall = !n->fit_whole;
            img = n->image ? open_notice_image(s, n) : NULL;
            if (img) {
                c.has_image = true;
                bt_ui_image_size(img, &c.image_w, &c.image_h);
            }
        }
    }
    if (img && slide_render(s, sl, &c, img, id) == 0) {
        bt_ui_image_close(img);
        slide_measure_extent(s, sl);
        return;
    }
    bt_ui_image_close(img);
    if (n && (n->kind == BT_NOTICE_IMAGE || n->kind == BT_NOTICE_VIDEO)) {
        c.kind = BT_NOTICE_IMAGE; /* a clip that will not open: its title, as a lost image */
        /* The image is missing or does not decode: what is left of the notice, or the idle
         * screen when nothing is. */
        sl->failed = true;
        c.has_image = false;
        if (!n->title || !*n->title)
            idle_content(s, &c);
    }
    slide_render(s, sl, &c, NULL, id);
    slide_measure_extent(s, sl);
}

static bool slide_is_idle(const slide *sl)
{
    return !sl->plan || sl->plan->kind == BT_SLIDE_IDLE;
}

/* The slide is drawn under the slim header (an image slide on a wide screen). */
static bool slide_slim(const slide *sl)
{
    return sl->valid && sl->plan && sl->plan->slim_header;
}

/* The schedule table under its text: the row on air tinted, thin rules between rows, and the
 * state plates (an outline for "sắp phát"). */
static void draw_table(bt_screen *s, const bt_layout_slide *p, Uint8 alpha)
{
    int border = p->row_rule > 0 ? p->row_rule : 1;
    for (size_t k = 0; k < p->row_count; k++) {
        bt_rect row = p->rows[k], chip = p->chips[k];
        bt_ink ink = bt_layout_slot_ink(p->row_states[k]);
        if (p->row_states[k] == BT_SLOT_AIRING)
            fill(s->renderer, row, bt_ui_ink_ground(&s->cfg, BT_INK_CORNER), alpha);
        if (k > 0)
            fill(s->renderer, (bt_rect){row.x, row.y, row.w, p->row_rule},
                 bt_ui_table_rule(&s->cfg), alpha);
        if (chip.w == 0)
            continue; /* no plate (bt_layout_slot_plate) */
        if (p->row_states[k] == BT_SLOT_UPCOMING) {
            bt_rgb line = bt_ui_ink_text(&s->cfg, ink);
            fill(s->renderer, (bt_rect){chip.x, chip.y, chip.w, border}, line, alpha);
            fill(s->renderer, (bt_rect){chip.x, chip.y + chip.h - border, chip.w, border}, line,
                 alpha);
            fill(s->renderer, (bt_rect){chip.x, chip.y, border, chip.h}, line, alpha);
            fill(s->renderer, (bt_rect){chip.x + chip.w - border, chip.y, border, chip.h}, line,
                 alpha);
        } else {
            fill(s->renderer, chip, bt_ui_ink_ground(&s->cfg, ink), alpha);
        }
    }
}

/* While a scrolling picture rests at its top, the screen looks this often whether it moves yet:
 * it starts at most this late, then steps to where its time says (nothing accumulates). */
#define SCROLL_HOLD_POLL_MS 100

/* Issue 15: the notice a slide shows (NULL for the idle slide). */
static const bt_notice *slide_notice(const bt_screen *s, const slide *sl)
{
    return s->playlist && sl->notice < s->playlist->notice_count ? &s->playlist->notices[sl->notice]
                                                                 : NULL;
}

/* Where the slide's clip is at mono (ms into it). */
static long long video_ms_at(const bt_screen *s, const slide *sl, bt_mono_ns mono)
{
    const bt_notice *n = slide_notice(s, sl);
    long long elapsed = (mono - sl->since) / NS_PER_MS;
    return n ? video_position(n, bt_ui_video_duration_ms(sl->video), elapsed) : 0;
}

/* Milliseconds until the clip's next frame is due: -1 once its last frame shows for good (no
 * loop), so a clip cut short by the rotation or ended costs no frames. */
static int video_next_ms(const bt_screen *s, const slide *sl, bt_mono_ns mono)
{
    long long at = video_ms_at(s, sl, mono);
    long long next = bt_ui_video_next_ms(sl->video);
    const bt_notice *n = slide_notice(s, sl);
    if (next < 0) {
        if (!n || !n->loop)
            return -1;
        next = bt_ui_video_duration_ms(sl->video); /* where it starts again */
    }
    long long ms = next - at;
    return ms < 1 ? 1 : ms > SCROLL_HOLD_POLL_MS ? SCROLL_HOLD_POLL_MS : (int)ms;
}

/* Issue 15: how far the slide's scrolling picture has moved at mono (0 when it does not scroll). */
static int slide_scroll(const bt_screen *s, const slide *sl, bt_mono_ns mono)
{
    const bt_layout_slide *p = sl->plan;
    if (!p || p->scroll_travel <= 0 || !sl->image || !s->playlist ||
        sl->notice >= s->playlist->notice_count)
        return 0;
    long long duration_ms = (long long)s->playlist->notices[sl->notice].duration_seconds * 1000;
    return bt_layout_scroll_offset(p->scroll_travel, (mono - sl->since) / NS_PER_MS, duration_ms);
}

/* Milliseconds until the current slide's picture next moves: -1 when it is still for good (or
 * does not scroll), the rest of the hold at its top, one frame while it moves. */
static int slide_scroll_next_ms(const bt_screen *s, bt_mono_ns mono)
{
    const slide *cur = &s->slides[s->current];
    if (cur->video)
        return video_next_ms(s, cur, mono);
    int travel = cur->plan ? cur->plan->scroll_travel : 0;
    if (travel <= 0 || slide_scroll(s, cur, mono) >= travel)
        return -1;
    if (slide_scroll(s, cur, mono + SCROLL_FRAME_MS * NS_PER_MS) == 0)
        return SCROLL_HOLD_POLL_MS; /* still resting at its top: look again shortly */
    return SCROLL_FRAME_MS;
}

/* Whether the slide's clip can be drawn straight into the software renderer's target
 * (bt_ui_video_frame_into) rather than through its texture: opaque, painted into the target
 * itself (no target texture between: the SDL route of a turned screen), nothing scaled or
 * moved, and its whole rectangle inside the clip of what is painted (a repaint of a part of
 * it goes through the texture, which SDL clips). */
static bool video_direct(const bt_screen *s, const slide *sl, Uint8 alpha)
{
    SDL_Renderer *r = s->renderer;
    if (!s->target || alpha != 255 || sl->image_dst.w <= 0 || SDL_GetRenderTarget(r))
        return false;
    float sx = 0, sy = 0;
    SDL_Rect view;
    SDL_RenderGetScale(r, &sx, &sy);
    SDL_RenderGetViewport(r, &view);
    if (sx != 1.0f || sy != 1.0f || view.x != 0 || view.y != 0)
        return false;
    SDL_Rect clip, both;
    if (!SDL_RenderIsClipEnabled(r))
        return true;
    SDL_RenderGetClipRect(r, &clip);
    return SDL_IntersectRect(&clip, &sl->image_dst, &both) &&
           SDL_RectEquals(&both, &sl->image_dst);
}

/* The clip's frame at mono. Straight into the target's pixels when it can: its texture, 4
 * bytes a pixel of the drawn size (6.7 MB on a 1080p stage), then goes, and a frame costs one
 * copy of it fewer. Otherwise (a crossfade, a part repainted) through the texture, made again
 * from the frame shown when it went. */
static void draw_video(bt_screen *s, slide *sl, Uint8 alpha, bt_mono_ns mono)
{
    char err[512];
    long long ms = video_ms_at(s, sl, mono);
    if (video_direct(s, sl, alpha)) {
        SDL_RenderFlush(s->renderer); /* what lies under it first: the fill, the old slide */
        if (bt_ui_video_frame_into(sl->video, ms, s->target, sl->image_dst, err, sizeof err) >
            0) {
            texture_drop(s, &sl->image);
            return;
        }
    }
    if (!sl->image && video_texture(s, sl, err, sizeof err) != 0) {
        bt_log_warn("video: %s", err);
        return;
    }
    if (bt_ui_video_frame_at(sl->video, ms, sl->image, err, sizeof err) < 0)
        bt_log_warn("video: %s", err); /* the last frame that decoded stays */
    copy_opaque(s->renderer, sl->image, &sl->image_dst, alpha); /* a clip has no holes */
}

/* The picture: whole, or the part of a scrolling one that shows in its clip. */
static void draw_picture(bt_screen *s, slide *sl, Uint8 alpha, bt_mono_ns mono)
{
    const bt_layout_slide *p = sl->plan;
    if (alpha == 0)
        return;
    if (sl->video) {
        draw_video(s, sl, alpha, mono);
        return;
    }
    if (!sl->image)
        return;
    if (p->scroll_travel <= 0) {
        copy_alpha(s->renderer, sl->image, &sl->image_dst, alpha);
        return;
    }
    SDL_Rect src = {0, slide_scroll(s, sl, mono), p->image_clip.w, p->image_clip.h};
    SDL_Rect dst = {p->image_clip.x, p->image_clip.y, p->image_clip.w, p->image_clip.h};
    SDL_SetTextureAlphaMod(sl->image, alpha);
    SDL_RenderCopy(s->renderer, sl->image, &src, &dst);
}

static void draw_slide(bt_screen *s, slide *sl, Uint8 alpha, bt_wall wall, bt_mono_ns mono)
{
    const bt_layout_slide *p = sl->plan;
    if (!p)
        return;
    if (p->kind == BT_SLIDE_SCHEDULE)
        draw_table(s, p, alpha);
    if (p->band.w > 0) /* an image notice's own QR: tinted like the corner panel */
        fill(s->renderer, p->band, bt_ui_corner_background(&s->cfg), alpha);
    draw_picture(s, sl, alpha, mono);
    if (p->badge.w > 0)
        fill(s->renderer, p->badge, s->cfg.accent, alpha);
    sprites_draw(s, &sl->text, alpha);
    draw_qr(s, sl->qr, p->qr, &sl->qr_dst, alpha);
    if (p->kind == BT_SLIDE_IDLE && p->clock_size > 0 && !s->clock_untrusted) {
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

/* The logo's size from its header, before the frame is laid out; none (logged) when it cannot
 * be read: the config's load checked it, so this is a file changed since. */
static void logo_probe(bt_screen *s)
{
    char err[BT_MAX_PATH_BYTES + 256];
    if (bt_ui_image_file_size(s->cfg.ward_logo, &s->logo_w, &s->logo_h, err, sizeof err) != 0)
        bt_log_warn("logo (ward_logo): %s — màn hình không có logo", err);
}

/* The logo decoded at exactly `box`'s size (area-averaged: a large emblem stays crisp). */
static SDL_Texture *logo_texture(bt_screen *s, bt_rect box)
{
    if (box.w <= 0 || box.h <= 0)
        return NULL;
    char err[BT_MAX_PATH_BYTES + 256];
    bt_ui_image *img = bt_ui_image_open(s->cfg.ward_logo, err, sizeof err);
    SDL_Surface *surf = img ? bt_ui_image_read_scaled(img, box.w, box.h, err, sizeof err) : NULL;
    bt_ui_image_close(img);
    if (!surf) {
        bt_log_warn("logo (ward_logo): %s — màn hình không có logo", err);
        return NULL;
    }
    SDL_Texture *tex = texture_from(s, surf);
    SDL_FreeSurface(surf);
    return tex;
}

/* What the corner's information block says now: the session on air, else the next one today,
 * else the hotline; only the hotline when so configured. Strings point into the schedule copy or
 * the config, so the block is made again whenever the schedule changes. */
static void info_texts(const bt_screen *s, const char **label, const char **value,
                       const char **detail)
{
    *label = *value = *detail = NULL;
    if (s->cfg.corner_shows == BT_CORNER_NOTHING)
        return;
    if (s->cfg.corner_shows == BT_CORNER_NEXT_SESSION && s->sched_set) {
        for (int pass = 0; pass < 2 && !*value; pass++)
            for (size_t i = 0; i < s->sched_count && !*value; i++)
                if (s->sched[i].state == (pass == 0 ? BT_SLOT_AIRING : BT_SLOT_UPCOMING)) {
                    *label = pass == 0 ? BT_SCREEN_INFO_ON_AIR : BT_SCREEN_INFO_NEXT;
                    *value = s->sched_time[i];
                    *detail = s->sched[i].name;
                }
        if (*value)
            return;
    }
    if (s->cfg.hotline && *s->cfg.hotline) {
        *label = BT_SCREEN_INFO_HOTLINE;
        *value = s->cfg.hotline;
    }
}

/* Lays out and rasterises the corner's information block (both placements). */
static int info_build(bt_screen *s)
{
    const char *label, *value, *detail;
    info_texts(s, &label, &value, &detail);
    for (int i = 0; i < 2; i++) {
        sprites_clear(s, &s->info[i]);
        bt_layout_corner_info ci;
        /* The ward's logo goes with its hotline (issue 14), not with a session's time. */
        bool hotline = label && strcmp(label, BT_SCREEN_INFO_HOTLINE) == 0;
        if (bt_layout_corner_info_build(&s->frame, &s->fonts, label, value, detail, i == 0,
                                        hotline ? s->logo_w : 0, hotline ? s->logo_h : 0,
                                        &ci) != 0)
            return -1;
        texture_drop(s, &s->logo_info[i]);
        if (!ci.shown)
            continue;
        s->logo_info[i] = logo_texture(s, ci.logo);
        s->logo_info_dst[i] = ci.logo;
        if (render_block(s, &ci.label, &s->info[i]) != 0 ||
            render_block(s, &ci.value, &s->info[i]) != 0 ||
            render_block(s, &ci.detail, &s->info[i]) != 0)
            return -1;
    }
    return 0;
}

static int build_chrome(bt_screen *s)
{
    s->logo = logo_texture(s, s->frame.header_logo);
    s->logo_slim = logo_texture(s, s->frame.slim.logo);
    if (render_block(s, &s->frame.ward, &s->ward) != 0)
        return -1;
    if (s->frame.slim.band.h > 0 && render_block(s, &s->frame.slim.ward, &s->ward_slim) != 0)
        return -1;
    if (info_build(s) != 0)
        return -1;
    if (s->cfg.portal_url && *s->cfg.portal_url) {
        if (render_block(s, &s->frame.corner_caption, &s->caption) != 0)
            return -1;
        s->corner_qr = render_qr(s, s->cfg.portal_url, s->frame.corner_qr, &s->corner_qr_dst);
    }
    return 0;
}

/* The full header, or with `slim` the one-row header of image slides (issue 14). */
static void draw_header(bt_screen *s, bt_wall wall, Uint8 clock_alpha, bool slim)
{
    const bt_layout_frame *f = &s->frame;
    slim = slim && f->slim.band.h > 0;
    bt_layout_header full = {f->header,    f->header_rule, f->ward,        f->date_box,
                             f->clock_box, f->date_size,   f->clock_size, f->header_logo};
    const bt_layout_header *h = slim ? &f->slim : &full;
    live_text *date = slim ? &s->slim_date : &s->date, *clock = slim ? &s->slim_clock : &s->clock;
    fill(s->renderer, h->band, s->cfg.header_background, 255);
    fill(s->renderer, h->rule, s->cfg.accent, 255);
    sprites_draw(s, slim ? &s->ward_slim : &s->ward, 255);
    SDL_Texture *logo = slim ? s->logo_slim : s->logo;
    if (logo)
        SDL_RenderCopy(s->renderer, logo, NULL,
                       &(SDL_Rect){h->logo.x, h->logo.y, h->logo.w, h->logo.h});
    if (clock_alpha == 0 || s->clock_untrusted)
        return;
    char buf[64];
    live_update(s, date, bt_time_format_date_vi(wall, buf, sizeof buf), BT_FACE_REGULAR,
                h->date_size, BT_INK_HEADER);
    live_update(s, clock, bt_time_format_hhmm(wall, buf, sizeof buf), BT_FACE_BOLD,
                h->clock_size, BT_INK_HEADER);
    live_draw(s, date, h->date_box, BT_FACE_REGULAR, h->date_size, BT_ALIGN_RIGHT, clock_alpha);
    live_draw(s, clock, h->clock_box, BT_FACE_BOLD, h->clock_size, BT_ALIGN_RIGHT, clock_alpha);
}

/* The corner panel of slide plan p: the portal QR unless the notice has its own (one QR per
 * slide), and the information block beside or instead of it. Nothing, not even the panel's
 * tint, when it would be empty. */
static void draw_corner(bt_screen *s, const bt_layout_slide *p, Uint8 alpha)
{
    const bt_layout_frame *f = &s->frame;
    if (alpha == 0 || !p || !p->corner)
        return;
    bool qr = p->portal_qr && s->corner_qr;
    const sprites *info = &s->info[qr ? 0 : 1];
    if (!qr && info->count == 0)
        return;
    /* A slightly lighter panel sets the corner apart from the notice without a frame. */
    fill(s->renderer, f->corner, bt_ui_corner_background(&s->cfg), alpha);
    if (qr) {
        draw_qr(s, s->corner_qr, f->corner_qr, &s->corner_qr_dst, alpha);
        sprites_draw(s, &s->caption, alpha);
    }
    sprites_draw(s, info, alpha);
    SDL_Texture *logo = s->logo_info[qr ? 0 : 1];
    if (logo) {
        bt_rect d = s->logo_info_dst[qr ? 0 : 1];
        SDL_SetTextureAlphaMod(logo, alpha);
        SDL_RenderCopy(s->renderer, logo, NULL, &(SDL_Rect){d.x, d.y, d.w, d.h});
    }
}

static void ticker_seg_drop(bt_screen *s, ticker_seg *g)
{
    texture_drop(s, &g->tex);
    if (g->cover) {
        size_t bytes = (size_t)g->w * (size_t)g->h;
        s->stats.cover_bytes -= bytes < s->stats.cover_bytes ? bytes : s->stats.cover_bytes;
    }
    free(g->cover);
    free(g->lut);
    g->cover = NULL;
    g->lut = NULL;
}

static void ticker_clear(bt_screen *s)
{
    for (size_t i = 0; i < s->ticker_count; i++) {
        ticker_seg_drop(s, &s->ticker[i]);
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
    return (size_t)g->width * (size_t)lh * (g->cover ? 1 : 4);
}

/* Whether the renderer makes a texture of a line on its ground (line_on_ground) in the ground's
 * own format, so that its pixels are the surface's as they are (SDL_CreateTextureFromSurface
 * takes an exact match): then a band of that format copies the same pixels. */
static bool ticker_format_ok(bt_screen *s, Uint32 format)
{
    SDL_RendererInfo info;
    if (!s->ticker_format_known) {
        s->ticker_format_known = true;
        s->ticker_format = SDL_PIXELFORMAT_UNKNOWN;
        if (SDL_GetRendererInfo(s->renderer, &info) == 0)
            for (Uint32 i = 0; i < info.num_texture_formats; i++)
                if (info.texture_formats[i] == format)
                    s->ticker_format = format;
    }
    return format != SDL_PIXELFORMAT_UNKNOWN && s->ticker_format == format;
}

/* A ticker line as its coverage (a byte a pixel) and the pixel each alpha gave on the ground,
 * when every pixel of one alpha gave the same pixel (as SDL's per-pixel blend does): a quarter
 * of the texture's bytes for the same pixels. false when not so (or out of memory). */
static bool ticker_cover(ticker_seg *g, const SDL_Surface *surf, const SDL_Surface *flat)
{
    if (surf->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(surf) ||
        flat->format->BytesPerPixel != 4 || SDL_MUSTLOCK(flat) || surf->w != flat->w ||
        surf->h != flat->h)
        return false;
    Uint8 *cover = malloc((size_t)surf->w * (size_t)surf->h);
    Uint32 *lut = calloc(256, sizeof *lut);
    bool seen[256] = {false};
    for (int y = 0; cover && lut && y < surf->h; y++) {
        const Uint32 *src = (const Uint32 *)((const Uint8 *)surf->pixels +
                                             (size_t)y * (size_t)surf->pitch);
        const Uint32 *out = (const Uint32 *)((const Uint8 *)flat->pixels +
                                             (size_t)y * (size_t)flat->pitch);
        Uint8 *a = cover + (size_t)y * (size_t)surf->w;
        for (int x = 0; x < surf->w; x++) {
            a[x] = (Uint8)(src[x] >> 24);
            if (!seen[a[x]]) {
                seen[a[x]] = true;
                lut[a[x]] = out[x];
            } else if (lut[a[x]] != out[x]) {
                free(cover);
                cover = NULL;
                break;
            }
        }
    }
    if (!cover || !lut) {
        free(cover);
        free(lut);
        return false;
    }
    g->cover = cover;
    g->lut = lut;
    return true;
}

/* Rasterises a ticker line when it first scrolls into view: as its coverage where it can be
 * (issue 14, item 9), else as a texture of it on its ground (render_line_on). Counts it. */
static void ticker_render(bt_screen *s, ticker_seg *g)
{
    SDL_Surface *surf = bt_ui_font_render(s->font[BT_FACE_REGULAR], s->frame.ticker_size, g->text,
                                          strlen(g->text), false,
                                          sdl_color(bt_ui_ink_text(&s->cfg, BT_INK_TICKER)),
                                          &g->baseline);
    if (!surf)
        return;
    s->stats.text_rasters++;
    SDL_Surface *flat = line_on_ground(s, surf, BT_INK_TICKER);
    g->w = surf->w;
    g->h = surf->h;
    if (flat && ticker_format_ok(s, flat->format->format) && ticker_cover(g, surf, flat)) {
        s->stats.cover_bytes += (size_t)g->w * (size_t)g->h;
    } else if (flat && (g->tex = texture_from(s, flat))) {
        SDL_SetTextureBlendMode(g->tex, SDL_BLENDMODE_NONE);
    }
    SDL_FreeSurface(flat);
    SDL_FreeSurface(surf);
    if (g->tex || g->cover)
        s->ticker_bytes += ticker_seg_bytes(s, g);
}

/* Copies the columns of a ticker line at dst that lie in `clip` (the strip a band-only frame
 * paints, else the band): from its coverage, made into its pixels a band of rows at a time and
 * copied as its texture was, without blending, so the band's pixels are the same. */
static void ticker_draw_seg(bt_screen *s, const ticker_seg *g, SDL_Rect dst, SDL_Rect clip)
{
    if (g->tex) {
        copy_alpha(s->renderer, g->tex, &dst, 255);
        return;
    }
    int x0 = clip.x - dst.x > 0 ? clip.x - dst.x : 0;
    int x1 = clip.x + clip.w - dst.x < g->w ? clip.x + clip.w - dst.x : g->w;
    if (x1 <= x0)
        return;
    if (!s->ticker_band) {
        s->ticker_band = SDL_CreateTexture(s->renderer, s->ticker_format,
                                           SDL_TEXTUREACCESS_STREAMING, s->frame.width,
                                           LINE_BAND_ROWS);
        if (!s->ticker_band)
            return;
        SDL_SetTextureBlendMode(s->ticker_band, SDL_BLENDMODE_NONE);
        s->stats.texture_bytes += (size_t)s->frame.width * LINE_BAND_ROWS * 4;
    }
    int w = x1 - x0;
    for (int top = 0; top < g->h; top += LINE_BAND_ROWS) {
        int rows = g->h - top < LINE_BAND_ROWS ? g->h - top : LINE_BAND_ROWS;
        SDL_Rect src = {0, 0, w, rows};
        void *pixels;
        int pitch;
        if (SDL_LockTexture(s->ticker_band, &src, &pixels, &pitch) != 0)
            return;
        for (int y = 0; y < rows; y++) {
            Uint32 *out = (Uint32 *)((Uint8 *)pixels + (size_t)y * (size_t)pitch);
            const Uint8 *a = g->cover + (size_t)(top + y) * (size_t)g->w + x0;
            for (int x = 0; x < w; x++)
                out[x] = g->lut[a[x]];
        }
        SDL_UnlockTexture(s->ticker_band);
        SDL_RenderCopy(s->renderer, s->ticker_band, &src,
                       &(SDL_Rect){dst.x + x0, dst.y + top, w, rows});
    }
}

static void ticker_build(bt_screen *s)
{
    ticker_clear(s);
    const bt_playlist *p = s->playlist;
    /* The band may be reserved for the banner alone (bt_layout_params.banner). */
    if (!p || p->ticker_count == 0 || s->frame.ticker.h == 0 || !s->cfg.ticker_enabled)
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
    int dot_w = 0;
    s->ticker_sep = render_line_on(s, BT_FACE_BOLD, size, "•", strlen("•"), BT_INK_TICKER,
                                   &dot_w, &s->sep_h, &s->sep_baseline);
    s->sep_w = dot_w + 2 * bt_layout_px(&s->frame, 44);
    s->ticker_cycle = 0;
    for (size_t i = 0; i < s->ticker_count; i++)
        s->ticker_cycle += s->ticker[i].width + s->sep_w;
}

/* The scroll clock: pixels travelled since monotonic 0 at the ticker's speed,
 * floor(mono × speed / 1 s), exact and without overflow for any uptime. Ticker and banner
 * positions are pure functions of it, so a frame depends on its time alone, never on how many
 * frames came before. */
static long long scroll_px(const bt_screen *s, bt_mono_ns mono)
{
    if (mono < 0)
        mono = 0;
    long long v = ticker_speed(s);
    return (mono / NS_PER_S) * v + (mono % NS_PER_S) * v / NS_PER_S;
}

/* Whole pixels a scroll moves per frame: SCROLL_FRAME_MS worth, at least 1. */
static long long scroll_step(const bt_screen *s)
{
    long long step = ((long long)ticker_speed(s) * SCROLL_FRAME_MS + 500) / 1000;
    return step > 0 ? step : 1;
}

/* Milliseconds until the scroll clock reaches its next multiple of scroll_step (at least 1).
 * Frames are thereby locked to a grid of the monotonic clock: one woken a little late still
 * shows the step of its grid point, and a loop that sleeps this long after drawing keeps an
 * average of exactly one step per period instead of drifting by its own drawing time. */
static int scroll_next_ms(const bt_screen *s, bt_mono_ns mono)
{
    if (mono < 0)
        mono = 0;
    long long v = ticker_speed(s), step = scroll_step(s);
    long long ahead = step - scroll_px(s, mono) % step;       /* whole pixels to go */
    long long done = (mono % NS_PER_S) * v % NS_PER_S;       /* of the current pixel, in px·ns */
    long long ns = (ahead * NS_PER_S - done + v - 1) / v;
    long long ms = (ns + NS_PER_MS - 1) / NS_PER_MS;
    return ms < 1 ? 1 : (int)ms;
}

/* Pixels the ticker has scrolled at `mono`. */
static int ticker_offset(const bt_screen *s, bt_mono_ns mono)
{
    if (s->ticker_cycle <= 0)
        return 0;
    return (int)(scroll_px(s, mono) % s->ticker_cycle);
}

/* Where a scrolling banner title has moved to at `mono`: it rests BANNER_HOLD_MS at its start,
 * then scrolls one pass (its width and a gap) at the ticker's speed, and again. Counted on the
 * scroll clock from the first frame that shows it, so it steps with the ticker's grid. */
static int banner_offset(bt_screen *s, bt_mono_ns mono)
{
    const bt_layout_banner *b = &s->banner_plan;
    if (!b->scrolls)
        return 0;
    long long now = scroll_px(s, mono);
    if (!s->banner_started) {
        s->banner_started = true;
        s->banner_epoch = now;
    }
    long long hold = (long long)BANNER_HOLD_MS * ticker_speed(s) / 1000;
    long long period = hold + b->title.lines[0].width + b->gap;
    long long moved = now - s->banner_epoch;
    if (moved < 0 || period <= 0)
        return 0;
    moved %= period;
    return moved < hold ? 0 : (int)(moved - hold);
}

/* The bottom band while a broadcast airs: "ĐANG PHÁT" on the header-red plate and the title,
 * nothing else (the ticker pauses), so neither can run into the other. */
static void draw_banner(bt_screen *s, bt_mono_ns mono)
{
    const bt_layout_banner *b = &s->banner_plan;
    s->band_ink = b->band;
    s->band_px_valid = false;
    fill(s->renderer, b->band, s->cfg.ticker_background, 255);
    fill(s->renderer, b->plate, s->cfg.header_background, 255);
    sprites_draw(s, &s->banner, 255);
    if (s->banner_title.count == 0)
        return;
    SDL_Rect clip = {b->title_clip.x, b->title_clip.y, b->title_clip.w, b->title_clip.h};
    SDL_RenderSetClipRect(s->renderer, &clip);
    int dx = banner_offset(s, mono);
    for (size_t i = 0; i < s->banner_title.count; i++) {
        SDL_Rect dst = s->banner_title.items[i].dst;
        dst.x -= dx;
        copy_alpha(s->renderer, s->banner_title.items[i].tex, &dst, 255);
        if (b->scrolls) {
            dst.x += b->title.lines[0].width + b->gap;
            copy_alpha(s->renderer, s->banner_title.items[i].tex, &dst, 255);
        }
    }
    SDL_RenderSetClipRect(s->renderer, NULL);
}

static bool banner_on(const bt_screen *s)
{
    return s->banner.count > 0;
}

/* Widens the band's text rows to those of `dst` (the full width: the text moves along it),
 * inside the band. */
static void band_ink_add(bt_screen *s, SDL_Rect dst)
{
    bt_rect band = s->frame.ticker;
    int y0 = dst.y > band.y ? dst.y : band.y;
    int y1 = dst.y + dst.h < band.y + band.h ? dst.y + dst.h : band.y + band.h;
    if (y1 > y0)
        s->band_ink = rect_union(s->band_ink, (bt_rect){band.x, y0, band.w, y1 - y0});
}

/* A ticker frame over the last one in the target: the text a frame shows is a function of the
 * scroll clock alone (within one pass of the ticker), so the band's pixels, moved left by the
 * distance travelled since, are the new frame's, all but the strip that comes in at the right.
 * Moves them and returns that strip's width; -1 when the band must be painted whole (no target
 * surface, another pass, moved too far). A copy of the band's rows instead of blending every
 * glyph of the line again, at 24 frames per second. */
static int band_shift(bt_screen *s, long long px)
{
    bt_rect band = s->frame.ticker;
    SDL_Surface *t = s->target;
    if (!t || !s->band_px_valid || SDL_GetRenderTarget(s->renderer) ||
        t->format->BytesPerPixel != 4 || band.x < 0 ||
        band.y < 0 || band.x + band.w > t->w || band.y + band.h > t->h)
        return -1;
    long long moved = px - s->band_px;
    if (moved < 0 || moved >= band.w || px / s->ticker_cycle != s->band_px / s->ticker_cycle)
        return -1;
    if (moved == 0)
        return 0;
    /* What the renderer still holds back must be in the pixels moved. */
    SDL_RenderFlush(s->renderer);
    if (SDL_MUSTLOCK(t) && SDL_LockSurface(t) != 0)
        return -1;
    for (int y = band.y; y < band.y + band.h; y++) {
        Uint8 *row = (Uint8 *)t->pixels + (size_t)y * (size_t)t->pitch + (size_t)band.x * 4;
        memmove(row, row + moved * 4, (size_t)(band.w - moved) * 4);
    }
    if (SDL_MUSTLOCK(t))
        SDL_UnlockSurface(t);
    return (int)moved;
}

/* band_frame: the target holds the last frame's band (bt_screen_draw's band-only frames). */
static void draw_ticker(bt_screen *s, bt_mono_ns mono, bool band_frame)
{
    const bt_layout_frame *f = &s->frame;
    bt_rect band = f->ticker;
    s->band_ink = (bt_rect){0, 0, 0, 0};
    if (banner_on(s)) {
        draw_banner(s, mono);
        return;
    }
    /* An empty band would look broken: without ticker lines the space stays the theme
     * background. */
    if (band.h == 0 || s->ticker_count == 0 || s->ticker_cycle <= 0)
        return;
    int left = 0, right = f->width;
    long long px = scroll_px(s, mono);
    int moved = band_frame ? band_shift(s, px) : -1;
    s->band_px = px;
    s->band_px_valid = true;
    /* Painted from here to the right edge: the whole band, or the strip the shift left. */
    int from = moved >= 0 ? right - moved : left;
    if (moved >= 0)
        s->band_ink = s->band_ink_before; /* the moved text keeps its rows */
    fill(s->renderer, (bt_rect){from, band.y, right - from, band.h}, s->cfg.ticker_background,
         255);
    SDL_Rect clip = {from, band.y, right - from, band.h};
    SDL_RenderSetClipRect(s->renderer, &clip);
    int x = left + f->margin - ticker_offset(s, mono);
    size_t i = 0;
    bool over = s->ticker_bytes > TICKER_BUDGET_BYTES;
    /* Segments that could be visible this frame; over budget, the others give their textures
     * back afterwards. */
    while (x < right && from < right) {
        ticker_seg *g = &s->ticker[i % s->ticker_count];
        if (x + g->width > from) {
            if (!g->tex && !g->cover)
                ticker_render(s, g);
            SDL_Rect dst = {x, band.y + f->ticker_baseline - g->baseline, g->w, g->h};
            if (g->tex || g->cover) {
                ticker_draw_seg(s, g, dst, clip);
                band_ink_add(s, dst);
            }
        }
        x += g->width;
        if (x + s->sep_w > from && s->ticker_sep) {
            int w, h;
            SDL_QueryTexture(s->ticker_sep, NULL, NULL, &w, &h);
            SDL_Rect dst = {x + (s->sep_w - w) / 2, band.y + f->ticker_baseline - s->sep_baseline,
                            w, h};
            copy_alpha(s->renderer, s->ticker_sep, &dst, 255);
            band_ink_add(s, dst);
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
            if (!visible && (s->ticker[k].tex || s->ticker[k].cover)) {
                size_t b = ticker_seg_bytes(s, &s->ticker[k]);
                s->ticker_bytes -= b < s->ticker_bytes ? b : s->ticker_bytes;
                ticker_seg_drop(s, &s->ticker[k]);
            }
        }
    }
}

static void banner_build(bt_screen *s)
{
    sprites_clear(s, &s->banner);
    sprites_clear(s, &s->banner_title);
    s->banner_started = false;
    if (!s->now_playing)
        return;
    if (bt_layout_banner_build(&s->frame, &s->fonts, s->now_playing, &s->banner_plan) != 0) {
        bt_log_warn("không dàn được dòng \"%s\"", BT_LAYOUT_NOW_PLAYING_LABEL);
        return;
    }
    if (render_block(s, &s->banner_plan.label, &s->banner) != 0 ||
        render_block(s, &s->banner_plan.title, &s->banner_title) != 0) {
        bt_log_error("không vẽ được dòng \"%s\": %s", BT_LAYOUT_NOW_PLAYING_LABEL,
                     bt_vi_library_error(TTF_GetError()));
        sprites_clear(s, &s->banner);
        sprites_clear(s, &s->banner_title);
    }
}

/* ---- the staff mark (issue 10) --------------------------------------------------------------- */

/* What the mark or the caption shows for `given`: at most max bytes of it, cut between
 * characters, in NFC, on one line (line breaks, tabs and other control characters become
 * spaces); bytes that are not UTF-8 become "?". Caller frees; NULL when out of memory. */
static char *line_clean(const char *given, size_t max)
{
    size_t n = strnlen(given, max);
    while (n > 0 && given[n] != '\0' && ((unsigned char)given[n] & 0xC0) == 0x80)
        n--;
    char *line = strndup(given, n);
    if (!line)
        return NULL;
    for (unsigned char *c = (unsigned char *)line; *c; c++)
        if (*c < 0x20 || *c == 0x7F)
            *c = ' ';
    char *nfc = bt_text_nfc(line);
    if (nfc) {
        free(line);
        return nfc;
    }
    for (unsigned char *c = (unsigned char *)line; *c; c++)
        if (*c >= 0x80)
            *c = '?';
    return line;
}

/* Lays out and rasterises the mark for staff_text in the current frame (nothing without text). */
static void staff_build(bt_screen *s)
{
    texture_drop(s, &s->staff_tex);
    memset(&s->staff_plan, 0, sizeof s->staff_plan);
    if (!s->staff_text || !*s->staff_text)
        return;
    if (bt_layout_staff_mark_build(&s->frame, &s->fonts, s->staff_text, &s->staff_plan) != 0 ||
        s->staff_plan.plate.w <= 0) {
        bt_log_warn("màn hình %d×%d không có chỗ cho dòng báo cán bộ \"%s\"", s->frame.width,
                    s->frame.height, s->staff_text);
        memset(&s->staff_plan, 0, sizeof s->staff_plan);
        return;
    }
    SDL_Surface *surf = bt_ui_staff_mark_render(&s->staff_plan, s->font[BT_FACE_REGULAR],
                                                &s->cfg);
    if (surf) {
        s->stats.text_rasters++;
        s->staff_tex = texture_from(s, surf);
        SDL_FreeSurface(surf);
    }
    if (!s->staff_tex) {
        bt_log_error("không vẽ được dòng báo cán bộ: %s", bt_vi_library_error(SDL_GetError()));
        memset(&s->staff_plan, 0, sizeof s->staff_plan);
        return;
    }
    SDL_SetTextureBlendMode(s->staff_tex, SDL_BLENDMODE_NONE); /* opaque: a plain copy */
}

static bool caption_on(const bt_screen *s)
{
    return s->spoken_lines.count > 0;
}

/* An image slide's picture may fill the stage, strip of the mark included: then the mark waits
 * for the next slide rather than cover the picture (issue 14). While a caption shows, the
 * mark's strip lies under its plate: the mark waits for its end. */
static bool staff_hidden(const bt_screen *s)
{
    const slide *cur = &s->slides[s->current];
    return caption_on(s) || (cur->valid && cur->plan && cur->plan->kind == BT_SLIDE_IMAGE &&
                             bt_rect_overlaps(cur->plan->area, s->staff_plan.plate));
}

static void draw_staff_mark(bt_screen *s)
{
    if (!s->staff_tex || staff_hidden(s))
        return;
    bt_rect p = s->staff_plan.plate;
    SDL_Rect dst = {p.x, p.y, p.w, p.h};
    SDL_RenderCopy(s->renderer, s->staff_tex, NULL, &dst);
}

/* ---- the caption of a bulletin on air (issue 14) ---------------------------------------------- */

static void caption_build(bt_screen *s)
{
    sprites_clear(s, &s->spoken_lines);
    memset(&s->spoken_plan, 0, sizeof s->spoken_plan);
    if (!s->spoken)
        return;
    if (bt_layout_caption_build(&s->frame, &s->fonts, s->spoken, &s->spoken_plan) != 0) {
        bt_log_warn("không dàn được lời đang phát \"%s\"", s->spoken);
        memset(&s->spoken_plan, 0, sizeof s->spoken_plan);
        return;
    }
    if (!s->spoken_plan.text.fits)
        bt_log_warn("lời đang phát \"%s\" không vừa khung chữ %d×%d", s->spoken,
                    s->spoken_plan.text.box.w, s->spoken_plan.text.box.h);
    if (render_block(s, &s->spoken_plan.text, &s->spoken_lines) != 0) {
        bt_log_error("không vẽ được lời đang phát: %s", bt_vi_library_error(TTF_GetError()));
        sprites_clear(s, &s->spoken_lines);
        memset(&s->spoken_plan, 0, sizeof s->spoken_plan);
    }
}

/* The plate in the band's colours, over the notice and the corner, and the phrase on it. */
static void draw_caption(bt_screen *s)
{
    if (!caption_on(s))
        return;
    fill(s->renderer, s->spoken_plan.plate, s->cfg.ticker_background, 255);
    sprites_draw(s, &s->spoken_lines, 255);
}

/* The plate the target shows now (w = 0: none). */
static bt_rect staff_shown(const bt_screen *s)
{
    return s->staff_tex && !staff_hidden(s) ? s->staff_plan.plate : (bt_rect){0, 0, 0, 0};
}

/* ---- frame and relayout ---------------------------------------------------------------------- */

/* The bottom band is needed for the ticker, or, without one, for a banner that may come: the
 * playlist has loudspeaker sessions, or something is on air already. */
static bool band_wanted(const bt_screen *s)
{
    return s->cfg.ticker_enabled || s->now_playing ||
           (s->playlist && s->playlist->broadcasts.session_count > 0);
}

static int frame_build(bt_screen *s, int width, int height)
{
    const bt_screen_config *cfg = &s->cfg;
    bt_layout_params lp = {width, height, cfg->ticker_enabled, cfg->min_text_px,
                           cfg->ward_name ? cfg->ward_name : "",
                           cfg->portal_caption ? cfg->portal_caption : "", band_wanted(s),
                           s->logo_w, s->logo_h};
    return bt_layout_frame_build(&lp, &s->fonts, &s->frame);
}

static void chrome_clear(bt_screen *s)
{
    texture_drop(s, &s->logo);
    texture_drop(s, &s->logo_slim);
    texture_drop(s, &s->logo_info[0]);
    texture_drop(s, &s->logo_info[1]);
    sprites_clear(s, &s->ward_slim);
    sprites_clear(s, &s->info[0]);
    sprites_clear(s, &s->info[1]);
    sprites_clear(s, &s->ward);
    sprites_clear(s, &s->caption);
    texture_drop(s, &s->corner_qr);
}

/* When the band comes or goes (ticker off, a playlist with broadcasts), every box moves: the
 * frame, its chrome and the cached slides are made again, in place. */
static void relayout_if_needed(bt_screen *s)
{
    if ((s->frame.ticker.h > 0) == band_wanted(s))
        return;
    int w = s->frame.width, h = s->frame.height;
    s->painted = false;
    chrome_clear(s);
    if (frame_build(s, w, h) != 0 || build_chrome(s) != 0) {
        bt_log_error("không dàn lại được bố cục màn hình %d×%d", w, h);
        return;
    }
    for (int i = 0; i < 2; i++)
        if (s->slides[i].valid)
            slide_build(s, &s->slides[i], s->slides[i].notice);
    ticker_build(s);
    staff_build(s); /* its strip ends where the band begins */
    caption_build(s); /* so does the caption's plate */
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
    SDL_RendererInfo info;
    s->keeps_frame = SDL_GetRendererInfo(renderer, &info) == 0 && info.name &&
                     strcmp(info.name, "software") == 0;
    if (TTF_Init() != 0) {
        snprintf(err, err_size, "không khởi động được SDL_ttf: %s",
                 bt_vi_library_error(TTF_GetError()));
        free(s);
        return -1;
    }
    const char *paths[BT_FACE_COUNT] = {cfg->font_regular, cfg->font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (bt_ui_font_open(paths[i], &s->font[i], err, err_size) != 0)
            goto fail;
        bt_ui_font_layout_face(s->font[i], &s->fonts.face[i]);
    }
    logo_probe(s);
    if (frame_build(s, width, height) != 0) {
        snprintf(err, err_size, "không dàn được bố cục màn hình %d×%d", width, height);
        goto fail;
    }
    if (build_chrome(s) != 0) {
        snprintf(err, err_size, "không vẽ được phần đầu màn hình: %s",
                 bt_vi_library_error(TTF_GetError()));
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
    texture_drop(s, &s->line_band);
    texture_drop(s, &s->ticker_band);
    chrome_clear(s);
    sprites_clear(s, &s->banner);
    sprites_clear(s, &s->banner_title);
    texture_drop(s, &s->clock.tex);
    texture_drop(s, &s->date.tex);
    texture_drop(s, &s->slim_clock.tex);
    texture_drop(s, &s->slim_date.tex);
    texture_drop(s, &s->big_clock.tex);
    texture_drop(s, &s->big_date.tex);
    ticker_clear(s);
    texture_drop(s, &s->staff_tex);
    free(s->staff_given);
    free(s->staff_text);
    sprites_clear(s, &s->spoken_lines);
    free(s->spoken);
    free(s->now_playing);
    free(s->sched);
    free(s->sched_time);
    free(s->sched_rows);
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
    s->painted = false;
    s->playlist = p;
    snprintf(s->dir, sizeof s->dir, "%s", dir ? dir : "");
    relayout_if_needed(s);
    ticker_build(s);
    banner_build(s);
}

void bt_screen_show(bt_screen *s, size_t index, bool animate, bt_mono_ns now)
{
    if (!s->playlist || index >= s->playlist->notice_count)
        index = BT_ROTATION_NONE;
    slide *cur = &s->slides[s->current];
    if (cur->valid && cur->notice == index)
        return;
    slide *next = &s->slides[1 - s->current];
    /* The previous slide is reused when the rotation comes back to it (two notices), unless its
     * picture was let go (slide_let_go). */
    if (!(next->valid && next->notice == index && !next->image_dropped))
        slide_build(s, next, index);
    s->fading = animate && s->cfg.transition_ms > 0 && cur->valid;
    s->fade_start = now;
    next->since = now;
    s->painted = false;
    s->current = 1 - s->current;
}

void bt_screen_set_shown_since(bt_screen *s, bt_mono_ns since)
{
    slide *cur = &s->slides[s->current];
    if (!cur->valid || cur->since == since)
        return;
    cur->since = since;
    s->painted = false;
}

void bt_screen_set_clock_trusted(bt_screen *s, bool trusted)
{
    if (!s || s->clock_untrusted == !trusted)
        return;
    s->clock_untrusted = !trusted;
    s->painted = false; /* the header (and an idle clock) change: the next frame is whole */
}

void bt_screen_set_staff_notice(bt_screen *s, const char *text)
{
    if (!s)
        return;
    if (text && !*text)
        text = NULL;
    size_t n = text ? strnlen(text, BT_SCREEN_STAFF_NOTICE_MAX_BYTES) : 0;
    if (!text ? !s->staff_given
              : s->staff_given && strlen(s->staff_given) == n &&
                    memcmp(s->staff_given, text, n) == 0)
        return; /* unchanged: nothing to rasterise or repaint */
    char *given = NULL, *shown = NULL;
    if (text && (!(given = strndup(text, n)) || !(shown = line_clean(text, BT_SCREEN_STAFF_NOTICE_MAX_BYTES)))) {
        bt_log_error("hết bộ nhớ khi nhận dòng báo cán bộ");
        free(given);
        return;
    }
    bt_rect before = staff_shown(s);
    free(s->staff_given);
    free(s->staff_text);
    s->staff_given = given;
    s->staff_text = shown;
    staff_build(s);
    /* Only the old and the new plate change; the slides and their textures stay. Under a
     * caption nothing shows, and the frame after the caption is whole anyway. */
    if (!caption_on(s))
        s->staff_damage = rect_union(s->staff_damage, rect_union(before, staff_shown(s)));
}

void bt_screen_set_caption(bt_screen *s, const char *text)
{
    if (!s)
        return;
    if (text && !*text)
        text = NULL;
    char *shown = text ? line_clean(text, BT_SCREEN_CAPTION_MAX_BYTES) : NULL;
    if (text && !shown) {
        bt_log_error("hết bộ nhớ khi nhận lời đang phát");
        return;
    }
    if ((!shown && !s->spoken) || (shown && s->spoken && strcmp(shown, s->spoken) == 0)) {
        free(shown);
        return; /* unchanged: no rasterising, no repaint */
    }
    free(s->spoken);
    s->spoken = shown;
    s->painted = false; /* the plate covers part of the slide: the next frame is whole */
    caption_build(s);
}

void bt_screen_set_now_playing(bt_screen *s, const char *title)
{
    if (title && !*title)
        title = NULL;
    if ((!title && !s->now_playing) ||
        (title && s->now_playing && strcmp(title, s->now_playing) == 0))
        return; /* unchanged: the banner keeps its textures and its scrolling position */
    free(s->now_playing);
    s->now_playing = title && *title ? strdup(title) : NULL;
    s->painted = false;
    relayout_if_needed(s);
    banner_build(s);
}

size_t bt_screen_schedule_rows(const bt_broadcasts *b, const bt_slot_view *views, size_t n,
                               bt_screen_schedule_row *out)
{
    for (size_t i = 0; i < n; i++) {
        const bt_slot_view *v = &views[i];
        const char *name = b && v->slot.session < b->session_count
                               ? b->sessions[v->slot.session].name
                               : NULL;
        memset(&out[i], 0, sizeof out[i]);
        out[i].minute = bt_time_minute_of_day(bt_slot_view_time(v));
        snprintf(out[i].name, sizeof out[i].name, "%s", name ? name : "");
        out[i].state = v->state;
    }
    return n;
}

static bool schedule_same(const bt_screen *s, const bt_screen_schedule_row *rows, size_t n,
                          bt_day day)
{
    if (!s->sched_set || s->sched_day != day || s->sched_count != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s->sched[i].minute != rows[i].minute || s->sched[i].state != rows[i].state ||
            strcmp(s->sched[i].name, rows[i].name) != 0)
            return false;
    return true;
}

void bt_screen_set_schedule(bt_screen *s, const bt_screen_schedule_row *rows, size_t n,
                            bt_day day)
{
    if (!rows)
        n = 0;
    if (n > SCHEDULE_MAX_COPY)
        n = SCHEDULE_MAX_COPY;
    if (schedule_same(s, rows, n, day))
        return; /* nothing changed: the cached slide stays */
    bt_screen_schedule_row *copy = n ? malloc(n * sizeof *copy) : NULL;
    char(*times)[16] = n ? malloc(n * sizeof *times) : NULL;
    bt_layout_schedule_row *lrows = n ? malloc(n * sizeof *lrows) : NULL;
    if (n && (!copy || !times || !lrows)) {
        bt_log_error("hết bộ nhớ khi nhận lịch phát thanh");
        free(copy);
        free(times);
        free(lrows);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        copy[i] = rows[i];
        copy[i].name[sizeof copy[i].name - 1] = '\0';
        int m = copy[i].minute < 0 ? 0 : copy[i].minute > 1439 ? 1439 : copy[i].minute;
        snprintf(times[i], sizeof times[i], "%02d:%02d", m / 60, m % 60);
        lrows[i] = (bt_layout_schedule_row){times[i], copy[i].name, copy[i].state};
    }
    /* The slides' text points into the old copy: rebuild them before it goes. */
    bt_screen_schedule_row *old = s->sched;
    char(*old_times)[16] = s->sched_time;
    bt_layout_schedule_row *old_rows = s->sched_rows;
    s->sched = copy;
    s->sched_time = times;
    s->sched_rows = lrows;
    s->sched_count = n;
    s->sched_set = true;
    s->painted = false;
    s->sched_day = day;
    bt_time_format_date_vi(bt_time_day_start(day), s->sched_date, sizeof s->sched_date);
    for (int i = 0; i < 2; i++) {
        slide *sl = &s->slides[i];
        if (sl->valid && s->playlist && sl->notice < s->playlist->notice_count &&
            s->playlist->notices[sl->notice].kind == BT_NOTICE_SCHEDULE)
            slide_build(s, sl, sl->notice);
    }
    if (info_build(s) != 0) /* the next session may have changed */
        bt_log_error("không vẽ được khung thông tin ở góc màn hình");
    free(old);
    free(old_times);
    free(old_rows);
}

bool bt_screen_current_failed(const bt_screen *s)
{
    const slide *cur = &s->slides[s->current];
    return cur->valid && cur->failed;
}

long long bt_screen_current_clip_ms(const bt_screen *s)
{
    const slide *cur = &s->slides[s->current];
    return cur->valid && cur->video ? bt_ui_video_duration_ms(cur->video) : 0;
}

void bt_screen_invalidate(bt_screen *s)
{
    s->painted = false;
}

/* The bottom band is the only thing that can differ from the frame in the target: same slide,
 * the same step of a crossfade (or none), the clock on the same minute, nothing set or
 * invalidated since. */
static bool band_only(const bt_screen *s, bt_wall wall, bt_mono_ns mono, int fade_step)
{
    return s->keeps_frame && s->painted && s->painted_fade == fade_step &&
           s->painted_minute == wall / 60 &&
           s->painted_scroll == slide_scroll(s, &s->slides[s->current], mono);
}

/* Issue 15: the clip's frame at mono put into its texture before the frame is planned. 1 when
 * it changed (its picture must be painted again), 0 when it is the one painted. */
static int video_refresh(bt_screen *s, slide *sl, bt_mono_ns mono)
{
    char err[512];
    if (!sl->video)
        return 0;
    /* Only picked when draw_video puts it straight into the target; else into its texture. */
    bool direct = video_direct(s, sl, 255);
    if (!direct && !sl->image && video_texture(s, sl, err, sizeof err) != 0) {
        bt_log_warn("video: %s", err);
        return 0;
    }
    int rc = bt_ui_video_frame_at(sl->video, video_ms_at(s, sl, mono), direct ? NULL : sl->image,
                                  err, sizeof err);
    if (rc < 0)
        bt_log_warn("video: %s", err); /* the last frame that decoded stays */
    return rc > 0;
}

/* Everything a built slide may paint: its extent, and whole every plate and picture in it, so
 * that no scaled copy is cut by a clip around it (a cut one may round differently). */
static bt_rect slide_reach(const slide *sl)
{
    bt_rect r = sl->extent;
    const bt_layout_slide *p = sl->plan;
    if (!p)
        return r;
    r = rect_union(r, p->qr);
    r = rect_union(r, p->band);
    r = rect_union(r, p->badge);
    r = rect_union(r, p->image_clip);
    r = rect_union(r, sdl_rect_to_bt(sl->qr_dst));
    return rect_union(r, sdl_rect_to_bt(sl->image_dst));
}

/* A frame of a crossfade (a new step, or its end) over one of the same crossfade in the target,
 * when only the slides' opacity changed: the header the same for both slides (full or slim, clock
 * or not), the same minute, no clip, no staff mark to repaint. Then only what either slide paints
 * changes (with the corner panel when it fades or the slides reach into it), and the band moves as
 * in a band-only frame: for two text notices, about half the screen repainted and sent instead of
 * all of it, at every step (issue 14, item 9). Sets *region; false when the frame must be full. */
static bool fade_region(const bt_screen *s, bt_wall wall, bt_mono_ns mono, int fade_step,
                        bt_rect *region)
{
    const slide *cur = &s->slides[s->current], *prev = &s->slides[1 - s->current];
    if (!s->keeps_frame || !s->painted || s->painted_fade == fade_step ||
        (s->painted_fade < 0 && fade_step < 0) || s->painted_minute != wall / 60 ||
        s->staff_damage.w > 0 || !cur->valid || !prev->valid || cur->video || prev->video ||
        slide_slim(cur) != slide_slim(prev) || slide_is_idle(cur) != slide_is_idle(prev))
        return false;
    (void)mono;
    const bt_layout_frame *f = &s->frame;
    bt_rect r = rect_union(slide_reach(cur), slide_reach(prev));
    bool cur_corner = cur->plan && cur->plan->corner, prev_corner = prev->plan && prev->plan->corner;
    bool corner_stays = cur_corner && prev_corner && cur->plan->portal_qr == prev->plan->portal_qr;
    if ((cur_corner || prev_corner) && (!corner_stays || rects_meet(r, f->corner)))
        r = rect_union(r, f->corner);
    bt_rect header = slide_slim(cur) && f->slim.band.h > 0 ? f->slim.band : f->header;
    bt_rect rule = slide_slim(cur) && f->slim.band.h > 0 ? f->slim.rule : f->header_rule;
    if (r.w <= 0 || r.h <= 0 || rects_meet(r, header) || rects_meet(r, rule) ||
        rects_meet(r, f->ticker))
        return false;
    *region = r;
    return true;
}

/* Everything: background, slide(s), corner, header, band. With `only`, just what lies in that
 * rectangle, which meets neither the header nor the band (fade_region): the same pixels there,
 * since every scaled copy in it lies wholly inside it. */
static void draw_full(bt_screen *s, bt_wall wall, bt_mono_ns mono, int alpha, const bt_rect *only)
{
    slide *cur = &s->slides[s->current];
    slide *prev = &s->slides[1 - s->current];
    SDL_Renderer *r = s->renderer;
    bt_rgb bg = s->cfg.background;
    if (only) {
        SDL_RenderSetClipRect(r, &(SDL_Rect){only->x, only->y, only->w, only->h});
        fill(r, *only, bg, 255);
    } else {
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, 255);
        SDL_RenderClear(r);
    }
    int clock = slide_is_idle(cur) ? 0 : 255;
    bool slim = slide_slim(cur);
    if (s->fading) {
        /* The old slide fades out over the background as the new one fades in. Painting it at
         * the remaining opacity gives what painting it whole and washing its extent with the
         * background would (up to rounding, and where its own layers overlap), without the wash:
         * a blend of most of the screen, the costliest step of a crossfade frame in software.
         * Not under a clip fading in (issue 15: no dark frame): it is opaque, so drawn at its
         * opacity over the whole old slide it mixes the two evenly, where fading the old one
         * towards the background first would dim both; around it the wash is kept. */
        if (cur->video) {
            draw_slide(s, prev, 255, wall, mono);
            fill_around(r, prev->extent, sdl_rect_to_bt(cur->image_dst), bg, (Uint8)alpha);
        } else {
            draw_slide(s, prev, (Uint8)(255 - alpha), wall, mono);
        }
        draw_slide(s, cur, (Uint8)alpha, wall, mono);
        int prev_clock = slide_is_idle(prev) ? 0 : 255;
        clock = (clock * alpha + prev_clock * (255 - alpha)) / 255;
        /* The corner panels cross-fade like the slides (their QR and text may differ); the
         * header takes the shape of the slide that shows more. */
        bool prev_corner = prev->plan && prev->plan->corner;
        bool cur_corner = cur->plan && cur->plan->corner;
        if (prev_corner && cur_corner && prev->plan->portal_qr == cur->plan->portal_qr) {
            draw_corner(s, cur->plan, 255); /* the same panel: it stays */
        } else {
            if (prev_corner)
                draw_corner(s, prev->plan, (Uint8)(cur_corner ? 255 : 255 - alpha));
            draw_corner(s, cur->plan, (Uint8)alpha);
        }
        if (alpha < 128)
            slim = slide_slim(prev);
    } else {
        draw_slide(s, cur, 255, wall, mono);
        draw_corner(s, cur->plan, 255);
    }
    draw_caption(s); /* over the notice and the corner; it does not fade with the slides */
    if (!only) {
        draw_header(s, wall, (Uint8)clock, slim);
        draw_ticker(s, mono, false);
    }
    draw_staff_mark(s); /* over the corner's tint; it never fades */
    if (only)
        SDL_RenderSetClipRect(r, NULL);
}

/* Repaints `box` alone, as draw_full paints it when no crossfade runs: everything clipped to it,
 * over the theme background. The staff mark's strip only ever holds fills and unscaled copies
 * (never a QR code, whose scaled copy could round differently when clipped), so the pixels are
 * the full frame's (test_staff_notice.c). */
static void draw_region(bt_screen *s, bt_rect box, bt_wall wall, bt_mono_ns mono)
{
    slide *cur = &s->slides[s->current];
    SDL_Rect clip = {box.x, box.y, box.w, box.h};
    SDL_RenderSetClipRect(s->renderer, &clip);
    fill(s->renderer, box, s->cfg.background, 255);
    draw_slide(s, cur, 255, wall, mono);
    draw_corner(s, cur->plan, 255);
    draw_header(s, wall, slide_is_idle(cur) ? 0 : 255, slide_slim(cur));
    draw_staff_mark(s);
    SDL_RenderSetClipRect(s->renderer, NULL);
}

/* The previous slide's picture once no crossfade shows it: a decoded image is the largest thing a
 * slide holds (6 MB for a picture filling the stage at 1920×1080) and the rotation seldom comes
 * straight back to it, so it is decoded again then rather than held through the next notice
 * (issue 14, item 9). Its rectangles stay: the frame after a crossfade repaints what it covered.
 * A clip's texture is left to the clip. */
static void slide_let_go(bt_screen *s, slide *sl)
{
    if (!sl->valid || !sl->image || sl->video)
        return;
    texture_drop(s, &sl->image);
    sl->image_dropped = true;
}

int bt_screen_draw(bt_screen *s, bt_wall wall, bt_mono_ns mono)
{
    slide *cur = &s->slides[s->current];
    if (!cur->valid)
        slide_build(s, cur, BT_ROTATION_NONE); /* drawn before any show(): the idle screen */
    slide *prev = &s->slides[1 - s->current];
    int alpha = 255, fade_step = -1;
    long long fade_ms = 0;
    if (s->fading) {
        fade_ms = (mono - s->fade_start) / NS_PER_MS;
        if (fade_ms >= s->cfg.transition_ms || fade_ms < 0 || !prev->valid) {
            s->fading = false;
        } else {
            fade_step = (int)(fade_ms / FADE_STEP_MS);
            alpha = (int)(((long long)fade_step * FADE_STEP_MS * 255) / s->cfg.transition_ms);
        }
    }
    if (!s->fading)
        slide_let_go(s, prev);
    s->band_ink_before = s->band_ink;
    bt_rect region;
    /* A clip's new frame repaints its picture's rectangle alone (everything there clipped to
     * it, as draw_full paints it) when nothing else changed; a turn without one, the band. A
     * caption or a staff mark over it takes the full frame. */
    int clip_changed = cur->video && s->fading ? 1 : video_refresh(s, cur, mono);
    bool rest_same = band_only(s, wall, mono, fade_step);
    if (clip_changed && rest_same && !s->fading && s->staff_damage.w == 0 && !caption_on(s) &&
        cur->image_dst.w > 0) {
        bt_rect box = sdl_rect_to_bt(cur->image_dst);
        draw_region(s, box, wall, mono);
        s->stats.partial_frames++;
        draw_ticker(s, mono, true);
        s->damage = rect_union(box, rect_union(s->band_ink, s->band_ink_before));
    } else if (rest_same && !clip_changed) {
        /* A ticker or banner paints every pixel of the band (its background first); an empty
         * band is still the background of the last full frame. Either way the result is the
         * full frame's, pixel for pixel (test_ticker.c). A staff mark that changed since is
         * repainted in its rectangle the same way. */
        if (s->staff_damage.w > 0) {
            draw_region(s, s->staff_damage, wall, mono);
            s->stats.mark_frames++;
        } else {
            s->stats.partial_frames++;
        }
        draw_ticker(s, mono, !rects_meet(s->staff_damage, s->frame.ticker));
        /* Where the text is now and where it was: the rest of the band is its background in
         * both frames. */
        s->damage = rect_union(s->staff_damage, rect_union(s->band_ink, s->band_ink_before));
    } else if (fade_region(s, wall, mono, fade_step, &region)) {
        draw_full(s, wall, mono, alpha, &region);
        draw_ticker(s, mono, true);
        s->stats.fade_frames++;
        s->painted_fade = fade_step;
        s->painted_scroll = slide_scroll(s, cur, mono);
        s->damage = rect_union(region, rect_union(s->band_ink, s->band_ink_before));
    } else {
        draw_full(s, wall, mono, alpha, NULL);
        s->stats.full_frames++;
        /* A crossfade frame is what the next frames of its step build on. */
        s->painted = true;
        s->painted_fade = fade_step;
        s->painted_minute = wall / 60;
        s->painted_scroll = slide_scroll(s, cur, mono);
        s->damage = (bt_rect){0, 0, s->frame.width, s->frame.height};
    }
    s->staff_damage = (bt_rect){0, 0, 0, 0};
    bool scrolls = banner_on(s) ? s->banner_plan.scrolls
                                : s->ticker_count > 0 && s->frame.ticker.h > 0;
    int picture_ms = slide_scroll_next_ms(s, mono);
    if (scrolls) {
        int ms = scroll_next_ms(s, mono); /* a crossfade's frames ride on the same grid */
        return picture_ms >= 0 && picture_ms < ms ? picture_ms : ms;
    }
    if (s->fading) {
        int step_ms = (int)(FADE_STEP_MS - fade_ms % FADE_STEP_MS);
        return picture_ms >= 0 && picture_ms < step_ms ? picture_ms : step_ms;
    }
    return picture_ms;
}

void bt_screen_set_target_surface(bt_screen *s, SDL_Surface *target)
{
    s->target = target;
    s->band_px_valid = false;
}

SDL_Rect bt_screen_damage(const bt_screen *s)
{
    return (SDL_Rect){s->damage.x, s->damage.y, s->damage.w, s->damage.h};
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

const bt_layout_banner *bt_screen_banner_plan(const bt_screen *s)
{
    return banner_on(s) ? &s->banner_plan : NULL;
}

const bt_layout_staff_mark *bt_screen_staff_mark(const bt_screen *s)
{
    return s->staff_tex && !staff_hidden(s) ? &s->staff_plan : NULL;
}

const bt_layout_caption *bt_screen_caption_plan(const bt_screen *s)
{
    return caption_on(s) ? &s->spoken_plan : NULL;
}
