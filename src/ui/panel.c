/* Overlays over the lobby screen (bt_panel.h): the staff panel, its PIN entry, the USB import's
 * progress and result. Each overlay is laid out into a plan (boxes and fitted text blocks, pure
 * geometry from bt_layout) and its lines rasterised into textures once; while the content stays
 * the same (compared by a hash of what was asked), drawing again only blits. */
#include "bangtin/bt_panel.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_theme.h"

typedef struct {
    SDL_Texture *tex;
    SDL_Rect dst;
} sprite;

struct bt_panel {
    SDL_Renderer *renderer;
    int width, height;
    bt_screen_config cfg;
    bt_ui_font *font[BT_FACE_COUNT];
    bt_layout_fonts fonts;
    bt_panel_plan *plan;
    bool has_plan;
    uint64_t signature;
    sprite *sprites;
    size_t sprite_count, sprite_cap;
    unsigned long rasters;
    bool ttf;
};

/* Bar fills: not text, so they need only to be told apart (the words say the state). */
static const bt_rgb TONE_COLORS[] = {
    [BT_PANEL_TONE_GOOD] = {0x3B, 0xB2, 0x73},
    [BT_PANEL_TONE_ON_TRACK] = {0x4C, 0x9B, 0xE8},
    [BT_PANEL_TONE_AT_RISK] = {0xF4, 0xA2, 0x59},
    [BT_PANEL_TONE_MISSED] = {0xE4, 0x57, 0x2E},
};

/* ---- hashing what was asked (FNV-1a) -------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return hash_bytes(h, s, strlen(s) + 1);
}

static uint64_t hash_int(uint64_t h, long long v)
{
    return hash_bytes(h, &v, sizeof v);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static void drop_sprites(bt_panel *p)
{
    for (size_t i = 0; i < p->sprite_count; i++)
        SDL_DestroyTexture(p->sprites[i].tex);
    p->sprite_count = 0;
}

int bt_panel_create(SDL_Renderer *renderer, int width, int height, const bt_screen_config *cfg,
                    bt_panel **out, char *err, size_t err_size)
{
    bt_panel *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p || !(p->plan = calloc(1, sizeof *p->plan))) {
        snprintf(err, err_size, "không đủ bộ nhớ cho bảng theo dõi");
        free(p);
        return -1;
    }
    p->renderer = renderer;
    p->width = width;
    p->height = height;
    p->cfg = *cfg;
    if (TTF_Init() != 0) {
        snprintf(err, err_size, "không khởi động được SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    p->ttf = true;
    const char *paths[BT_FACE_COUNT] = {cfg->font_regular, cfg->font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (bt_ui_font_open(paths[i], &p->font[i], err, err_size) != 0)
            goto fail;
        bt_ui_font_layout_face(p->font[i], &p->fonts.face[i]);
    }
    *out = p;
    return 0;
fail:
    bt_panel_destroy(p);
    return -1;
}

void bt_panel_destroy(bt_panel *p)
{
    if (!p)
        return;
    drop_sprites(p);
    free(p->sprites);
    for (int i = 0; i < BT_FACE_COUNT; i++)
        bt_ui_font_close(p->font[i]);
    if (p->ttf)
        TTF_Quit();
    free(p->plan);
    free(p);
}

/* ---- building a plan ----------------------------------------------------------------------- */

static int px(const bt_panel *p, int at_1080)
{
    int unit = p->width < p->height ? p->width : p->height;
    long long v = ((long long)at_1080 * unit + 540) / 1080;
    return v < 1 ? 1 : (int)v;
}

static void plan_reset(bt_panel *p)
{
    p->plan->box_count = 0;
    p->plan->text_count = 0;
    p->plan->rows_dropped = 0;
    p->has_plan = true;
}

static void add_box(bt_panel *p, bt_rect r, bt_rgb c)
{
    bt_panel_plan *plan = p->plan;
    if (plan->box_count < BT_PANEL_MAX_BOXES && r.w > 0 && r.h > 0)
        plan->boxes[plan->box_count++] = (bt_panel_box){r, c};
}

/* A plate with an outline of `line` px in `edge`. */
static void add_plate(bt_panel *p, bt_rect r, bt_rgb fill, bt_rgb edge, int line)
{
    add_box(p, r, edge);
    add_box(p, (bt_rect){r.x + line, r.y + line, r.w - 2 * line, r.h - 2 * line}, fill);
}

/* Fits `s` into box (at most max_lines, sizes min..size) and returns the height it takes;
 * -1 when the plan is full or measuring failed. */
static int add_text(bt_panel *p, const char *s, bt_rect box, bt_face face, int size, int min_size,
                    size_t max_lines, bt_rgb color, bt_rgb ground, bt_align align)
{
    bt_panel_plan *plan = p->plan;
    if (plan->text_count >= BT_PANEL_MAX_TEXTS)
        return -1;
    size_t i = plan->text_count;
    snprintf(plan->strings[i], sizeof plan->strings[i], "%s", s ? s : "");
    bt_layout_text *t = &plan->texts[i];
    int rc;
    if (max_lines == 1 && min_size >= size) {
        box.h = bt_layout_line_height(&p->fonts, face, size);
        rc = bt_layout_single_line(&p->fonts, plan->strings[i], box, face, size, BT_INK_TEXT,
                                   align, t);
    } else {
        rc = bt_layout_fit_block(&p->fonts, plan->strings[i], box, face, min_size, size,
                                 max_lines, BT_INK_TEXT, align, t);
    }
    if (rc != 0)
        return -1;
    plan->colors[i] = color;
    plan->grounds[i] = ground;
    plan->text_count++;
    return (int)t->line_count * t->line_height;
}

static int line_h(const bt_panel *p, bt_face face, int size)
{
    return bt_layout_line_height(&p->fonts, face, size);
}

/* ---- the staff panel ----------------------------------------------------------------------- */

typedef struct {
    bt_rect col;
    int y;        /* cursor */
    int bottom;
} column;

static void section_title(bt_panel *p, column *c, const char *title)
{
    int size = px(p, 40);
    c->y += px(p, 18);
    if (c->y + line_h(p, BT_FACE_BOLD, size) > c->bottom)
        return;
    c->y += add_text(p, title, (bt_rect){c->col.x, c->y, c->col.w, 0}, BT_FACE_BOLD, size, size,
                     1, p->cfg.accent, p->cfg.background, BT_ALIGN_LEFT);
    add_box(p, (bt_rect){c->col.x, c->y, c->col.w, px(p, 3)}, p->cfg.accent);
    c->y += px(p, 10);
}

/* One line of a list; false (and counted) when it no longer fits. */
static bool row_line(bt_panel *p, column *c, const char *text, size_t max_lines)
{
    int size = px(p, 32);
    int h = line_h(p, BT_FACE_REGULAR, size);
    if (c->y + h > c->bottom) {
        p->plan->rows_dropped++;
        return false;
    }
    size_t lines = max_lines;
    while (lines > 1 && c->y + (int)lines * h > c->bottom)
        lines--;
    int used = add_text(p, text, (bt_rect){c->col.x, c->y, c->col.w, (int)lines * h},
                        BT_FACE_REGULAR, size, size - px(p, 4), lines, p->cfg.foreground,
                        p->cfg.background, BT_ALIGN_LEFT);
    c->y += (used > 0 ? used : h) + px(p, 4);
    return true;
}

static void bar_row(bt_panel *p, column *c, const bt_panel_bar *b)
{
    int size = px(p, 32);
    int h = line_h(p, BT_FACE_REGULAR, size);
    int bar_h = px(p, 26);
    if (c->y + h + bar_h + px(p, 12) > c->bottom) {
        p->plan->rows_dropped++;
        return;
    }
    row_line(p, c, b->label, 2);
    int state_w = c->col.w * 11 / 20; /* "đang thực hiện · còn 38 ngày" whole */
    int bar_w = c->col.w - state_w - px(p, 20);
    double f = b->fraction < 0 ? 0 : b->fraction > 1 ? 1 : b->fraction;
    int bar_y = c->y + (h - bar_h) / 2;
    add_box(p, (bt_rect){c->col.x, bar_y, bar_w, bar_h},
            bt_ui_mix(p->cfg.background, p->cfg.foreground, 70));
    int tone = b->tone <= BT_PANEL_TONE_MISSED ? (int)b->tone : 0;
    add_box(p, (bt_rect){c->col.x, bar_y, (int)(bar_w * f), bar_h}, TONE_COLORS[tone]);
    add_text(p, b->state, (bt_rect){c->col.x + bar_w + px(p, 20), c->y, state_w, 0},
             BT_FACE_BOLD, size, size, 1, p->cfg.foreground, p->cfg.background, BT_ALIGN_LEFT);
    c->y += h + px(p, 12);
}

static void info_plan(bt_panel *p, const bt_panel_info *in)
{
    const bt_screen_config *cfg = &p->cfg;
    int m = px(p, 40);
    bool landscape = p->width > p->height;
    plan_reset(p);
    add_box(p, (bt_rect){0, 0, p->width, p->height}, cfg->background);
    int y = m;
    int title = px(p, 52), sub = px(p, 32);
    /* A long ward name shrinks the title rather than losing its end. */
    y += add_text(p, in->title, (bt_rect){m, y, p->width - 2 * m, line_h(p, BT_FACE_BOLD, title)},
                  BT_FACE_BOLD, title, px(p, 36), 1, cfg->foreground, cfg->background,
                  BT_ALIGN_LEFT);
    y += add_text(p, in->subtitle, (bt_rect){m, y, p->width - 2 * m, 0}, BT_FACE_REGULAR, sub,
                  sub, 1, cfg->foreground, cfg->background, BT_ALIGN_LEFT);
    int foot_h = line_h(p, BT_FACE_REGULAR, sub);
    int bottom = p->height - m - foot_h - px(p, 10);
    add_text(p, in->footer, (bt_rect){m, p->height - m - foot_h, p->width - 2 * m, 0},
             BT_FACE_REGULAR, sub, sub, 1, cfg->accent, cfg->background, BT_ALIGN_LEFT);
    int gap = px(p, 48);
    column a = {{m, y, p->width - 2 * m, bottom - y}, y, bottom};
    column b = a;
    if (landscape) {
        a.col.w = (p->width - 2 * m - gap) / 2;
        b.col.x = m + a.col.w + gap;
        b.col.w = a.col.w;
    }
    section_title(p, &a, "Tiến độ chỉ tiêu kỳ này");
    for (size_t i = 0; i < in->bar_count && i < BT_PANEL_MAX_BARS; i++)
        bar_row(p, &a, &in->bars[i]);
    if (in->bar_count == 0)
        row_line(p, &a, in->no_targets, 2);
    section_title(p, &a, "Playlist đang phát");
    row_line(p, &a, in->playlist, 2);
    section_title(p, &a, "Dung lượng đĩa");
    row_line(p, &a, in->disk, 1);
    section_title(p, &a, "Lần nạp USB gần nhất");
    row_line(p, &a, in->last_import, 2);
    column *c = landscape ? &b : &a;
    if (!landscape)
        c->y += px(p, 10);
    section_title(p, c, "Các lần phát gần nhất");
    for (size_t i = 0; i < in->airing_count && i < BT_PANEL_MAX_ROWS; i++)
        row_line(p, c, in->airings[i], 1);
    if (in->airing_count == 0)
        row_line(p, c, "Chưa có lần phát nào.", 1);
    section_title(p, c, "Bỏ lỡ hoặc lỗi (quý này)");
    for (size_t i = 0; i < in->missed_count && i < BT_PANEL_MAX_ROWS; i++)
        row_line(p, c, in->missed[i], 1);
    if (in->missed_count == 0)
        row_line(p, c, "Không có buổi nào bị bỏ lỡ.", 1);
}

/* ---- the small overlays -------------------------------------------------------------------- */

/* A centred plate of width w holding `n` blocks; returns the inner box. */
static bt_rect centred_plate(bt_panel *p, int w, int h, int y_centre)
{
    int line = px(p, 5);
    bt_rect r = {(p->width - w) / 2, y_centre - h / 2, w, h};
    if (r.y < 0)
        r.y = 0;
    add_plate(p, r, p->cfg.background, p->cfg.accent, line);
    int pad = px(p, 36);
    return (bt_rect){r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
}

static int plate_width(const bt_panel *p, int at_1080)
{
    int w = px(p, at_1080), max = p->width - 2 * px(p, 40);
    return w < max ? w : max;
}

static void pin_plan(bt_panel *p, size_t typed, bool wrong)
{
    const bt_screen_config *cfg = &p->cfg;
    int t = px(p, 48), body = px(p, 36), dots = px(p, 64);
    plan_reset(p);
    int h = line_h(p, BT_FACE_BOLD, t) + line_h(p, BT_FACE_REGULAR, body) * 3 +
            line_h(p, BT_FACE_BOLD, dots) + px(p, 72) + px(p, 40);
    bt_rect in = centred_plate(p, plate_width(p, 1000), h, p->height / 2);
    int y = in.y;
    y += add_text(p, "Bảng theo dõi của cán bộ", (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, t, t,
                  1, cfg->accent, cfg->background, BT_ALIGN_CENTER);
    y += add_text(p, "Nhập mã PIN rồi nhấn Enter", (bt_rect){in.x, y, in.w, 0}, BT_FACE_REGULAR,
                  body, body, 1, cfg->foreground, cfg->background, BT_ALIGN_CENTER);
    char mask[4 * BT_PANEL_MAX_ROWS * 4 + 8] = "";
    size_t n = 0;
    for (size_t i = 0; i < typed && n + 5 < sizeof mask; i++)
        n += (size_t)snprintf(mask + n, sizeof mask - n, "%s•", i ? " " : "");
    y += px(p, 10);
    y += add_text(p, typed ? mask : "_", (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, dots, dots,
                  1, cfg->foreground, cfg->background, BT_ALIGN_CENTER);
    y += px(p, 10);
    y += add_text(p, wrong ? "Mã PIN không đúng — nhập lại." : " ", (bt_rect){in.x, y, in.w, 0},
                  BT_FACE_BOLD, body, body, 1, cfg->accent, cfg->background, BT_ALIGN_CENTER);
    add_text(p, "Esc: huỷ", (bt_rect){in.x, y, in.w, 0}, BT_FACE_REGULAR, body, body, 1,
             cfg->foreground, cfg->background, BT_ALIGN_CENTER);
}

static void progress_plan(bt_panel *p, int percent)
{
    const bt_screen_config *cfg = &p->cfg;
    int t = px(p, 52), body = px(p, 34), bar_h = px(p, 40);
    char title[96];
    if (percent < 0)
        percent = 0;
    if (percent > 100)
        percent = 100;
    snprintf(title, sizeof title, "Đang nạp USB… %d %%", percent);
    plan_reset(p);
    int h = line_h(p, BT_FACE_BOLD, t) + bar_h + 2 * line_h(p, BT_FACE_REGULAR, body) +
            px(p, 72) + px(p, 40);
    bt_rect in = centred_plate(p, plate_width(p, 1200), h, p->height * 3 / 5);
    int y = in.y;
    y += add_text(p, title, (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, t, t, 1, cfg->foreground,
                  cfg->background, BT_ALIGN_CENTER);
    y += px(p, 14);
    add_box(p, (bt_rect){in.x, y, in.w, bar_h}, bt_ui_mix(cfg->background, cfg->foreground, 70));
    add_box(p, (bt_rect){in.x, y, in.w * percent / 100, bar_h}, cfg->accent);
    y += bar_h + px(p, 14);
    add_text(p, "Màn hình và loa vẫn hoạt động. Chưa rút USB cho đến khi có thông báo.",
             (bt_rect){in.x, y, in.w, 2 * line_h(p, BT_FACE_REGULAR, body)}, BT_FACE_REGULAR,
             body, body - px(p, 6), 2, cfg->foreground, cfg->background, BT_ALIGN_CENTER);
}

static void result_plan(bt_panel *p, const char *text, bool ok)
{
    const bt_screen_config *cfg = &p->cfg;
    int t = px(p, 56), body = px(p, 40), small = px(p, 30);
    int m = px(p, 40);
    plan_reset(p);
    bt_rect in = centred_plate(p, plate_width(p, 1700), p->height - 2 * m, p->height / 2);
    int y = in.y;
    y += add_text(p, ok ? "ĐÃ NẠP USB" : "KHÔNG NẠP ĐƯỢC USB", (bt_rect){in.x, y, in.w, 0},
                  BT_FACE_BOLD, t, t, 1, cfg->accent, cfg->background, BT_ALIGN_LEFT);
    y += px(p, 16);
    int foot = line_h(p, BT_FACE_REGULAR, small);
    int room = in.y + in.h - foot - px(p, 16) - y;
    /* Long refusals (many reasons) shrink to a smaller size before being cut. */
    add_text(p, text, (bt_rect){in.x, y, in.w, room}, BT_FACE_REGULAR, body, px(p, 26), 0,
             cfg->foreground, cfg->background, BT_ALIGN_LEFT);
    add_text(p, "Thông báo này tự ẩn sau 20 giây.", (bt_rect){in.x, in.y + in.h - foot, in.w, 0},
             BT_FACE_REGULAR, small, small, 1, cfg->foreground, cfg->background, BT_ALIGN_LEFT);
}

/* ---- painting ------------------------------------------------------------------------------ */

static SDL_Color sdl_color(bt_rgb c)
{
    return (SDL_Color){c.r, c.g, c.b, 255};
}

static int push_sprite(bt_panel *p, SDL_Texture *tex, SDL_Rect dst)
{
    if (p->sprite_count == p->sprite_cap) {
        size_t cap = p->sprite_cap ? p->sprite_cap * 2 : 64;
        sprite *s = realloc(p->sprites, cap * sizeof *s);
        if (!s)
            return -1;
        p->sprites = s;
        p->sprite_cap = cap;
    }
    p->sprites[p->sprite_count++] = (sprite){tex, dst};
    return 0;
}

/* Rasterises every line of the plan into textures. */
static int rasterise(bt_panel *p)
{
    drop_sprites(p);
    const bt_panel_plan *plan = p->plan;
    for (size_t i = 0; i < plan->text_count; i++) {
        const bt_layout_text *t = &plan->texts[i];
        for (size_t l = 0; l < t->line_count; l++) {
            const bt_layout_line *line = &t->lines[l];
            if (line->length == 0 && !line->ellipsis)
                continue;
            int baseline;
            SDL_Surface *surf = bt_ui_font_render(p->font[t->face], t->size, t->text + line->start,
                                                  line->length, line->ellipsis,
                                                  sdl_color(plan->colors[i]), &baseline);
            if (!surf)
                return -1;
            p->rasters++;
            SDL_Texture *tex = SDL_CreateTextureFromSurface(p->renderer, surf);
            SDL_Rect dst = {bt_layout_line_x(t, l), t->box.y + line->y + t->baseline - baseline,
                            surf->w, surf->h};
            SDL_FreeSurface(surf);
            if (!tex || push_sprite(p, tex, dst) != 0) {
                if (tex)
                    SDL_DestroyTexture(tex);
                return -1;
            }
        }
    }
    return 0;
}

static int paint(bt_panel *p)
{
    const bt_panel_plan *plan = p->plan;
    SDL_SetRenderDrawBlendMode(p->renderer, SDL_BLENDMODE_NONE);
    for (size_t i = 0; i < plan->box_count; i++) {
        const bt_panel_box *b = &plan->boxes[i];
        SDL_Rect r = {b->rect.x, b->rect.y, b->rect.w, b->rect.h};
        SDL_SetRenderDrawColor(p->renderer, b->color.r, b->color.g, b->color.b, 255);
        SDL_RenderFillRect(p->renderer, &r);
    }
    for (size_t i = 0; i < p->sprite_count; i++)
        SDL_RenderCopy(p->renderer, p->sprites[i].tex, NULL, &p->sprites[i].dst);
    return 0;
}

/* Builds and rasterises only when what is asked differs from the cached overlay. */
#define DRAW_CACHED(p, sig, build)                                                             \
    do {                                                                                       \
        if (!(p)->has_plan || (p)->signature != (sig) || (p)->sprite_count == 0) {             \
            build;                                                                             \
            (p)->signature = (sig);                                                            \
            if (rasterise(p) != 0) {                                                           \
                (p)->has_plan = false;                                                         \
                return -1;                                                                     \
            }                                                                                  \
        }                                                                                      \
        return paint(p);                                                                       \
    } while (0)

static const uint64_t FNV_OFFSET = 14695981039346656037ULL;

int bt_panel_draw_info(bt_panel *p, const bt_panel_info *in)
{
    uint64_t h = hash_int(FNV_OFFSET, 1);
    h = hash_str(hash_str(hash_str(h, in->title), in->subtitle), in->no_targets);
    for (size_t i = 0; i < in->bar_count && i < BT_PANEL_MAX_BARS; i++) {
        h = hash_str(hash_str(h, in->bars[i].label), in->bars[i].state);
        h = hash_int(hash_int(h, (long long)(in->bars[i].fraction * 1000)), in->bars[i].tone);
    }
    h = hash_int(h, (long long)in->bar_count);
    for (size_t i = 0; i < in->airing_count && i < BT_PANEL_MAX_ROWS; i++)
        h = hash_str(h, in->airings[i]);
    h = hash_int(h, (long long)in->airing_count);
    for (size_t i = 0; i < in->missed_count && i < BT_PANEL_MAX_ROWS; i++)
        h = hash_str(h, in->missed[i]);
    h = hash_int(h, (long long)in->missed_count);
    h = hash_str(hash_str(hash_str(hash_str(h, in->playlist), in->disk), in->last_import),
                 in->footer);
    DRAW_CACHED(p, h, info_plan(p, in));
}

int bt_panel_draw_pin(bt_panel *p, size_t typed, bool wrong)
{
    uint64_t h = hash_int(hash_int(hash_int(FNV_OFFSET, 2), (long long)typed), wrong);
    DRAW_CACHED(p, h, pin_plan(p, typed, wrong));
}

int bt_panel_draw_progress(bt_panel *p, int percent)
{
    uint64_t h = hash_int(hash_int(FNV_OFFSET, 3), percent);
    DRAW_CACHED(p, h, progress_plan(p, percent));
}

int bt_panel_draw_result(bt_panel *p, const char *text, bool ok)
{
    uint64_t h = hash_int(hash_str(hash_int(FNV_OFFSET, 4), text ? text : ""), ok);
    DRAW_CACHED(p, h, result_plan(p, text ? text : "", ok));
}

const bt_panel_plan *bt_panel_last_plan(const bt_panel *p)
{
    return p && p->has_plan ? p->plan : NULL;
}

bool bt_panel_plan_shows(const bt_panel_plan *plan, const char *needle)
{
    if (!plan || !needle)
        return false;
    for (size_t i = 0; i < plan->text_count; i++) {
        const bt_layout_text *t = &plan->texts[i];
        const char *hit = strstr(t->text, needle);
        if (!hit || t->line_count == 0)
            continue;
        /* Shown whole if it ends within the lines laid out (a cut block ends with "…"). */
        const bt_layout_line *last = &t->lines[t->line_count - 1];
        size_t end = (size_t)(hit - t->text) + strlen(needle);
        if (end <= last->start + last->length)
            return true;
    }
    return false;
}

unsigned long bt_panel_raster_count(const bt_panel *p)
{
    return p ? p->rasters : 0;
}
