/* Overlays over the lobby screen (bt_panel.h): the staff panel, its PIN entry and clock page,
 * the USB import's progress and result. Each overlay is laid out into a plan (boxes and fitted
 * text blocks, pure geometry from bt_layout) and its lines rasterised into textures once; while
 * the content stays the same (compared by a hash of what was asked), drawing again only blits. */
#include "bangtin/bt_panel.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_log.h"
#include "bangtin/bt_ui_font.h"
#include "bangtin/bt_ui_theme.h"
#include "bangtin/bt_vi.h"

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
    bool faces_failed;       /* panel_faces logged that they do not open */
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
        snprintf(err, err_size, "không khởi động được SDL_ttf: %s",
                 bt_vi_library_error(TTF_GetError()));
        goto fail;
    }
    p->ttf = true;
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
    memset(p->plan->keys, 0, sizeof p->plan->keys);
    p->plan->has_keys = false;
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

/* A target: its label, then a bar filled in the colour of its state, a swatch of that colour
 * (seen even when the bar is empty) and the state in words. */
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
    /* A third for the bar, the rest for "có nguy cơ không đạt · còn 38 ngày" whole. */
    int bar_w = c->col.w / 3;
    double f = b->fraction < 0 ? 0 : b->fraction > 1 ? 1 : b->fraction;
    int bar_y = c->y + (h - bar_h) / 2;
    add_box(p, (bt_rect){c->col.x, bar_y, bar_w, bar_h},
            bt_ui_mix(p->cfg.background, p->cfg.foreground, 70));
    bt_rgb tone = bt_panel_tone_color(b->tone);
    add_box(p, (bt_rect){c->col.x, bar_y, (int)(bar_w * f), bar_h}, tone);
    int sw_x = c->col.x + bar_w + px(p, 20), text_x = sw_x + bar_h + px(p, 12);
    add_box(p, (bt_rect){sw_x, bar_y, bar_h, bar_h}, tone);
    add_text(p, b->state, (bt_rect){text_x, c->y, c->col.x + c->col.w - text_x, h},
             BT_FACE_BOLD, size, px(p, 24), 1, p->cfg.foreground, p->cfg.background,
             BT_ALIGN_LEFT);
    c->y += h + px(p, 12);
}

static void targets_section(bt_panel *p, column *c, const bt_panel_info *in)
{
    section_title(p, c, "Tiến độ chỉ tiêu kỳ này");
    for (size_t i = 0; i < in->bar_count && i < BT_PANEL_MAX_BARS; i++)
        bar_row(p, c, &in->bars[i]);
    if (in->bar_count == 0)
        row_line(p, c, in->no_targets, 2);
}

/* The active playlist, disk space and the last import. */
static void facts_section(bt_panel *p, column *c, const bt_panel_info *in)
{
    section_title(p, c, "Playlist đang phát");
    row_line(p, c, in->playlist, 2);
    section_title(p, c, "Dung lượng đĩa");
    row_line(p, c, in->disk, 1);
    section_title(p, c, "Lần nạp USB gần nhất");
    row_line(p, c, in->last_import, 2);
}

static void airings_section(bt_panel *p, column *c, const bt_panel_info *in)
{
    section_title(p, c, "Các lần phát gần nhất");
    for (size_t i = 0; i < in->airing_count && i < BT_PANEL_MAX_ROWS; i++)
        row_line(p, c, in->airings[i], 1);
    if (in->airing_count == 0)
        row_line(p, c, "Chưa có lần phát nào.", 1);
}

static void missed_section(bt_panel *p, column *c, const bt_panel_info *in)
{
    section_title(p, c, "Bỏ lỡ hoặc lỗi (quý này)");
    for (size_t i = 0; i < in->missed_count && i < BT_PANEL_MAX_ROWS; i++)
        row_line(p, c, in->missed[i], 1);
    if (in->missed_count == 0)
        row_line(p, c, "Không có buổi nào bị bỏ lỡ.", 1);
}

/* The Đóng button: as tall as the keypad's keys at their largest, in the accent like OK (the
 * one thing to press on this overlay), so a touch-only user need not wait for the timeout. */
#define CLOSE_W 300
#define CLOSE_H 130
/* Between the footer text and the button, at 1080 px. */
#define CLOSE_GAP 32
/* "Đặt ngày giờ" beside Đóng: as tall, wide enough for its words at the button size, drawn
 * like a keypad key (Đóng stays the one accent), a finger's width apart from Đóng. */
#define SET_CLOCK_W 420
#define SET_CLOCK_GAP 28
/* "Đã chiếu" left of "Đặt ngày giờ": as wide as its words at the button size; a portrait
 * screen gives it what is left of the row (its words shrink to the floor of the buttons). */
#define PROOF_W 300
/* "Ghi nhận kênh khác": its words at the button size. */
#define RECORDS_W 470
/* The footer's words stay beside the buttons only when this share of the width is left for
 * them (a landscape screen); on a narrow one they go above the buttons, whole. */
#define FOOTER_BESIDE_MIN_PERCENT 35

static void close_button(bt_panel *p, bt_rect r)
{
    const bt_screen_config *cfg = &p->cfg;
    int size = px(p, 48);
    int lh = line_h(p, BT_FACE_BOLD, size);
    add_plate(p, r, cfg->accent, cfg->foreground, px(p, 4));
    add_text(p, BT_PANEL_CLOSE_LABEL, (bt_rect){r.x, r.y + (r.h - lh) / 2, r.w, 0}, BT_FACE_BOLD,
             size, size, 1, cfg->background, cfg->accent, BT_ALIGN_CENTER);
    p->plan->keys[BT_PANEL_KEY_CLOSE] = r;
    p->plan->has_keys = true;
}

/* A button drawn like a keypad key (Đóng stays the one accent): "Đặt ngày giờ", "Đã chiếu". */
static void side_button(bt_panel *p, bt_rect r, const char *label, bt_panel_key key)
{
    const bt_screen_config *cfg = &p->cfg;
    int size = px(p, 44);
    int lh = line_h(p, BT_FACE_BOLD, size);
    bt_rgb fill = bt_ui_mix(cfg->background, cfg->foreground, 40);
    add_plate(p, r, fill, bt_ui_mix(cfg->background, cfg->foreground, 120), px(p, 3));
    add_text(p, label, (bt_rect){r.x, r.y + (r.h - lh) / 2, r.w, lh}, BT_FACE_BOLD, size,
             px(p, 32), 1, cfg->foreground, fill, BT_ALIGN_CENTER);
    p->plan->keys[key] = r;
}

/* The bottom strip: the Đóng button in the bottom-right corner (no information lives there),
 * "Đặt ngày giờ" on its left, and how to close, up to two lines: beside them centred on their
 * height when there is room, else above them. Returns the top of the strip. */
static int info_footer(bt_panel *p, const bt_panel_info *in, int m)
{
    const bt_screen_config *cfg = &p->cfg;
    int w = px(p, CLOSE_W), h = px(p, CLOSE_H), size = px(p, 32);
    bt_rect button = {p->width - m - w, p->height - m - h, w, h};
    close_button(p, button);
    int sw = px(p, SET_CLOCK_W);
    bt_rect set = {button.x - px(p, SET_CLOCK_GAP) - sw, button.y, sw, h};
    side_button(p, set, BT_PANEL_SET_CLOCK_LABEL, BT_PANEL_KEY_SET_CLOCK);
    int pw = px(p, PROOF_W), room = set.x - px(p, SET_CLOCK_GAP) - m;
    bt_rect proof = {set.x - px(p, SET_CLOCK_GAP) - (pw < room ? pw : room), button.y,
                     pw < room ? pw : room, h};
    side_button(p, proof, BT_PANEL_PROOF_LABEL, BT_PANEL_KEY_PROOF);
    /* Portrait: "Ghi nhận kênh khác" above Đóng (the row is full); a landscape panel has it in
     * its top-right corner (info_plan), where the title leaves room. */
    int row_top = button.y;
    if (p->width <= p->height) {
        int rw = px(p, RECORDS_W);
        bt_rect records = {p->width - m - rw, button.y - px(p, SET_CLOCK_GAP) - h, rw, h};
        side_button(p, records, BT_PANEL_RECORDS_LABEL, BT_PANEL_KEY_RECORDS);
        row_top = records.y;
    }
    bt_rect box = {m, button.y, proof.x - px(p, CLOSE_GAP) - m, h};
    bool beside = box.w * 100 >= p->width * FOOTER_BESIDE_MIN_PERCENT;
    if (!beside) {
        int two = 2 * line_h(p, BT_FACE_REGULAR, size);
        box = (bt_rect){m, row_top - px(p, 16) - two, p->width - 2 * m, two};
    }
    size_t i = p->plan->text_count;
    /* Beside the buttons the strip is as tall as they are: room for a third line. */
    int used = add_text(p, in->footer, box, BT_FACE_REGULAR, size, px(p, 24), beside ? 3 : 2,
                        cfg->accent, cfg->background, BT_ALIGN_LEFT);
    if (!beside)
        return box.y;
    if (used > 0 && used < h) {
        p->plan->texts[i].box.y += (h - used) / 2;
        p->plan->texts[i].box.h = used;
    }
    return row_top;
}

static void info_plan(bt_panel *p, const bt_panel_info *in)
{
    const bt_screen_config *cfg = &p->cfg;
    int m = px(p, 40);
    bool landscape = p->width > p->height;
    plan_reset(p);
    add_box(p, (bt_rect){0, 0, p->width, p->height}, cfg->background);
    int y = m;
    int title = px(p, 52), sub = px(p, 32), head_w = p->width - 2 * m;
    if (landscape) { /* "Ghi nhận kênh khác" in the top-right corner, beside the title */
        int rw = px(p, RECORDS_W);
        side_button(p, (bt_rect){p->width - m - rw, m, rw, px(p, CLOSE_H)},
                    BT_PANEL_RECORDS_LABEL, BT_PANEL_KEY_RECORDS);
        head_w -= rw + px(p, CLOSE_GAP);
    }
    /* A long ward name shrinks the title rather than losing its end. */
    y += add_text(p, in->title, (bt_rect){m, y, head_w, line_h(p, BT_FACE_BOLD, title)},
                  BT_FACE_BOLD, title, px(p, 36), 1, cfg->foreground, cfg->background,
                  BT_ALIGN_LEFT);
    y += add_text(p, in->subtitle, (bt_rect){m, y, head_w, 0}, BT_FACE_REGULAR, sub, sub, 1,
                  cfg->foreground, cfg->background, BT_ALIGN_LEFT);
    if (landscape && y < m + px(p, CLOSE_H) + px(p, 10))
        y = m + px(p, CLOSE_H) + px(p, 10);
    int bottom = info_footer(p, in, m) - px(p, 10);
    int gap = px(p, 48);
    column a = {{m, y, p->width - 2 * m, bottom - y}, y, bottom};
    column b = a;
    if (landscape) {
        a.col.w = (p->width - 2 * m - gap) / 2;
        b.col.x = m + a.col.w + gap;
        b.col.w = a.col.w;
    }
    /* Landscape: the targets and what was missed on the left, the facts of the machine and the
     * airing list on the right; each column ends with a list that may lose its oldest rows,
     * never a fact. Portrait: one column, the targets first. */
    column *c = landscape ? &b : &a;
    targets_section(p, &a, in);
    if (landscape)
        missed_section(p, &a, in);
    facts_section(p, c, in);
    airings_section(p, c, in);
    if (!landscape)
        missed_section(p, &a, in);
}

/* ---- "Màn hình đã chiếu" (proof of play) -------------------------------------------------- */

/* Columns of the figures at 1080 px: "1.020 lượt · 255 phút" whole at the table's size, and a
 * date. The name takes what is left (landscape), or a line of its own (portrait). */
#define PROOF_FIGURE_W 340
#define PROOF_LAST_W 230
#define PROOF_COL_GAP 24
#define PROOF_TEXT_PX 30
/* Every other row sits on a faint band, so a row's figures are read with its name. */
#define PROOF_BAND_MIX 22

typedef struct {
    bool stacked;          /* portrait: the name on its own line, figures under it */
    int name_x, name_w;
    int x[3], w[3];        /* today, month, last shown */
    int lh;
} proof_cols;

static proof_cols proof_columns(const bt_panel *p, int left, int width)
{
    proof_cols c;
    memset(&c, 0, sizeof c);
    c.stacked = p->width <= p->height;
    c.lh = line_h(p, BT_FACE_REGULAR, px(p, PROOF_TEXT_PX));
    int gap = px(p, PROOF_COL_GAP);
    c.w[0] = c.w[1] = px(p, PROOF_FIGURE_W);
    c.w[2] = px(p, PROOF_LAST_W);
    int figures = c.w[0] + c.w[1] + c.w[2] + 2 * gap;
    int x = c.stacked ? left : left + width - figures;
    for (int i = 0; i < 3; i++) {
        c.x[i] = x;
        x += c.w[i] + gap;
    }
    c.name_x = left;
    c.name_w = c.stacked ? width : c.x[0] - gap - left;
    return c;
}

/* The figures of a row (or the column heads) on the line at y. */
static void proof_figures(bt_panel *p, const proof_cols *c, int y, const char *const f[3],
                          bt_face face, bt_rgb ground)
{
    int size = px(p, PROOF_TEXT_PX);
    for (int i = 0; i < 3; i++)
        add_text(p, f[i], (bt_rect){c->x[i], y, c->w[i], c->lh}, face, size, px(p, 24), 1,
                 p->cfg.foreground, ground, BT_ALIGN_LEFT);
}

/* Rows from y down to bottom; the rows left over are counted in a closing line. */
static void proof_rows(bt_panel *p, const bt_panel_proof_view *v, const proof_cols *c, int left,
                       int width, int y, int bottom)
{
    const bt_screen_config *cfg = &p->cfg;
    int size = px(p, PROOF_TEXT_PX), pad = px(p, 6);
    int figures_h = c->stacked ? 2 * c->lh : c->lh;
    size_t n = v->row_count < BT_PANEL_MAX_PROOF_ROWS ? v->row_count : BT_PANEL_MAX_PROOF_ROWS;
    bt_rgb band = bt_ui_mix(cfg->background, cfg->foreground, PROOF_BAND_MIX);
    for (size_t i = 0; i < n; i++) {
        const bt_panel_proof_row *r = &v->rows[i];
        /* A video notice's plays take a line under its figures; two on a portrait screen. */
        int video_lines = r->video[0] ? (c->stacked ? 2 : 1) : 0;
        int row_h = figures_h + video_lines * c->lh + 2 * pad;
        /* Room for this row, and for the closing line unless it is the last. */
        int need = row_h + (i + 1 < n ? c->lh : 0);
        if (y + need > bottom) {
            p->plan->rows_dropped = n - i;
            char more[96];
            snprintf(more, sizeof more, "… và %zu thông báo khác (xem đủ trong báo cáo).", n - i);
            add_text(p, more, (bt_rect){left, y, width, c->lh}, BT_FACE_REGULAR, size, size, 1,
                     cfg->accent, cfg->background, BT_ALIGN_LEFT);
            return;
        }
        bt_rgb ground = i % 2 ? band : cfg->background;
        if (i % 2)
            add_box(p, (bt_rect){left, y, width, row_h}, band);
        add_text(p, r->name, (bt_rect){c->name_x, y + pad, c->name_w, c->lh}, BT_FACE_REGULAR,
                 size, size, 1, cfg->foreground, ground, BT_ALIGN_LEFT);
        const char *f[3] = {r->today, r->month, r->last};
        proof_figures(p, c, y + pad + (c->stacked ? c->lh : 0), f, BT_FACE_BOLD, ground);
        if (r->video[0])
            add_text(p, r->video,
                     (bt_rect){left, y + pad + figures_h, width, video_lines * c->lh},
                     BT_FACE_REGULAR, size, px(p, 24), (size_t)video_lines, cfg->foreground,
                     ground, BT_ALIGN_LEFT);
        y += row_h;
    }
}

static void proof_plan(bt_panel *p, const bt_panel_proof_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int m = px(p, 40), w = px(p, CLOSE_W), h = px(p, CLOSE_H);
    plan_reset(p);
    add_box(p, (bt_rect){0, 0, p->width, p->height}, cfg->background);
    int y = m, title = px(p, 52), sub = px(p, 32);
    y += add_text(p, v->title, (bt_rect){m, y, p->width - 2 * m, line_h(p, BT_FACE_BOLD, title)},
                  BT_FACE_BOLD, title, px(p, 36), 1, cfg->foreground, cfg->background,
                  BT_ALIGN_LEFT);
    y += add_text(p, v->subtitle,
                  (bt_rect){m, y, p->width - 2 * m, 2 * line_h(p, BT_FACE_REGULAR, sub)},
                  BT_FACE_REGULAR, sub, px(p, 26), 2, cfg->foreground, cfg->background,
                  BT_ALIGN_LEFT);
    /* Quay lại where Đóng is on the panel, and how to leave beside or above it. */
    bt_rect button = {p->width - m - w, p->height - m - h, w, h};
    int lh = line_h(p, BT_FACE_BOLD, px(p, 48));
    add_plate(p, button, cfg->accent, cfg->foreground, px(p, 4));
    add_text(p, BT_PANEL_PROOF_BACK_LABEL, (bt_rect){button.x, button.y + (h - lh) / 2, w, 0},
             BT_FACE_BOLD, px(p, 48), px(p, 48), 1, cfg->background, cfg->accent,
             BT_ALIGN_CENTER);
    p->plan->keys[BT_PANEL_KEY_PROOF] = button;
    p->plan->has_keys = true;
    bt_rect foot = {m, button.y, button.x - px(p, CLOSE_GAP) - m, h};
    add_text(p, v->footer, foot, BT_FACE_REGULAR, px(p, 32), px(p, 24), 2, cfg->accent,
             cfg->background, BT_ALIGN_LEFT);
    int bottom = button.y - px(p, 16);
    int width = p->width - 2 * m;
    y += px(p, 18);
    proof_cols c = proof_columns(p, m, width);
    const char *heads[3] = {v->head_today, v->head_month, "Lần cuối"};
    int size = px(p, PROOF_TEXT_PX);
    if (!c.stacked)
        add_text(p, "Thông báo", (bt_rect){c.name_x, y, c.name_w, c.lh}, BT_FACE_BOLD, size,
                 size, 1, cfg->accent, cfg->background, BT_ALIGN_LEFT);
    for (int i = 0; i < 3; i++)
        add_text(p, heads[i], (bt_rect){c.x[i], y, c.w[i], c.lh}, BT_FACE_BOLD, size, px(p, 24),
                 1, cfg->accent, cfg->background, BT_ALIGN_LEFT);
    y += c.lh + px(p, 6);
    add_box(p, (bt_rect){m, y, width, px(p, 3)}, cfg->accent);
    y += px(p, 10);
    if (v->row_count == 0)
        add_text(p, v->empty, (bt_rect){m, y, width, 2 * c.lh}, BT_FACE_REGULAR, size, size, 2,
                 cfg->foreground, cfg->background, BT_ALIGN_LEFT);
    else
        proof_rows(p, v, &c, m, width, y, bottom);
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

/* Labels of the keypad, in bt_panel_key order (Đóng is the staff panel's, not the keypad's). */
static const char *const KEY_LABELS[BT_PANEL_KEY_CANCEL + 1] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "Xoá", "OK", "Huỷ"};

/* Where each key sits in a grid of 3 columns: 1 2 3 / 4 5 6 / 7 8 9 / Xoá 0 OK / Huỷ (across). */
static void key_cell(int key, int *row, int *col, int *span)
{
    *span = 1;
    if (key >= 1 && key <= 9) {
        *row = (key - 1) / 3;
        *col = (key - 1) % 3;
    } else if (key == BT_PANEL_KEY_BACK || key == 0 || key == BT_PANEL_KEY_OK) {
        *row = 3;
        *col = key == BT_PANEL_KEY_BACK ? 0 : key == 0 ? 1 : 2;
    } else {
        *row = 4;
        *col = 0;
        *span = 3;
    }
}

#define KEY_ROWS 5
/* Between keys, at 1080 px: keys read as separate, a finger between two hits one of them. */
#define KEY_GAP 14

/* The keys: plain keys are a lighter plate with an outline, OK is the accent (the way on). */
static void keypad_plan(bt_panel *p, bt_rect pad, int key_h, int gap)
{
    const bt_screen_config *cfg = &p->cfg;
    int key_w = (pad.w - 2 * gap) / 3;
    int digit = px(p, 56), word = px(p, 40);
    bt_rgb fill = bt_ui_mix(cfg->background, cfg->foreground, 40);
    bt_rgb edge = bt_ui_mix(cfg->background, cfg->foreground, 120);
    for (int k = 0; k <= BT_PANEL_KEY_CANCEL; k++) {
        int row, col, span;
        key_cell(k, &row, &col, &span);
        bt_rect r = {pad.x + col * (key_w + gap), pad.y + row * (key_h + gap),
                     span * key_w + (span - 1) * gap, key_h};
        bool ok = k == BT_PANEL_KEY_OK;
        bt_rgb ground = ok ? cfg->accent : fill;
        add_plate(p, r, ground, ok ? cfg->accent : edge, px(p, 3));
        p->plan->keys[k] = r;
        int size = k <= 9 ? digit : word;
        int lh = line_h(p, BT_FACE_BOLD, size);
        add_text(p, KEY_LABELS[k], (bt_rect){r.x, r.y + (r.h - lh) / 2, r.w, 0}, BT_FACE_BOLD,
                 size, size, 1, ok ? cfg->background : cfg->foreground, ground, BT_ALIGN_CENTER);
    }
    p->plan->has_keys = true;
}

/* The line under the dots: why the entry refused, or the lock-out's countdown. */
static void pin_message(const bt_panel_pin_view *v, char *buf, size_t size)
{
    if (v->lock_seconds > 0)
        snprintf(buf, size, "Nhập sai %d lần — thử lại sau %d giây.", BT_PANEL_MAX_WRONG_PINS,
                 v->lock_seconds);
    else if (v->wrong && v->tries_left > 0)
        snprintf(buf, size, "Mã PIN không đúng — còn %u lần thử.", v->tries_left);
    else if (v->wrong)
        snprintf(buf, size, "Mã PIN không đúng — nhập lại.");
    else
        snprintf(buf, size, " ");
}

/* The PIN typed (masked), the line under it (message, at least min_size) and the keypad with
 * keys key_h tall, from the top of at (its x, y and width); returns the y below them. The PIN
 * entry and the approval screen share it. */
static int pin_field(bt_panel *p, const bt_panel_pin_view *v, const char *message, int min_size,
                     bt_rect at, int key_h)
{
    const bt_screen_config *cfg = &p->cfg;
    int body = px(p, 34), dots = px(p, 60), gap = px(p, KEY_GAP), space = px(p, 10);
    int y = at.y;
    char mask[BT_PANEL_MAX_PIN_DIGITS * 4 + 8] = "";
    size_t n = 0;
    for (size_t i = 0; i < v->typed && i < BT_PANEL_MAX_PIN_DIGITS; i++)
        n += (size_t)snprintf(mask + n, sizeof mask - n, "%s•", i ? " " : "");
    y += add_text(p, v->typed ? mask : "_", (bt_rect){at.x, y, at.w, 0}, BT_FACE_BOLD, dots,
                  dots, 1, cfg->foreground, cfg->background, BT_ALIGN_CENTER) + space;
    int msg_h = line_h(p, BT_FACE_BOLD, body);
    add_text(p, message, (bt_rect){at.x, y, at.w, msg_h}, BT_FACE_BOLD, body, min_size, 1,
             cfg->accent, cfg->background, BT_ALIGN_CENTER);
    y += msg_h + space;
    int keys_h = KEY_ROWS * key_h + (KEY_ROWS - 1) * gap;
    keypad_plan(p, (bt_rect){at.x, y, at.w, keys_h}, key_h, gap);
    return y + keys_h + space;
}

static void pin_plan(bt_panel *p, const bt_panel_pin_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int t = px(p, 46), body = px(p, 34), dots = px(p, 60), small = px(p, 28);
    int pad = px(p, 36), gap = px(p, KEY_GAP), m = px(p, 40), space = px(p, 10);
    plan_reset(p);
    int text_h = line_h(p, BT_FACE_BOLD, t) + line_h(p, BT_FACE_REGULAR, body) +
                 line_h(p, BT_FACE_BOLD, dots) + line_h(p, BT_FACE_BOLD, body) +
                 line_h(p, BT_FACE_REGULAR, small) + 4 * space;
    /* Keys as tall as fit between the texts and the screen's edges, within a finger's range:
     * never under ~1 cm on a 10" screen, never taller than needed on a big one. */
    int room = p->height - 2 * m - 2 * pad - text_h - (KEY_ROWS - 1) * gap - 2 * space;
    int key_h = room / KEY_ROWS;
    if (key_h > px(p, 140))
        key_h = px(p, 140);
    if (key_h < px(p, 90))
        key_h = px(p, 90);
    int keys_h = KEY_ROWS * key_h + (KEY_ROWS - 1) * gap;
    int h = 2 * pad + text_h + keys_h + 2 * space;
    bt_rect in = centred_plate(p, plate_width(p, 900), h, p->height / 2);
    int y = in.y;
    y += add_text(p, "Bảng theo dõi của cán bộ", (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, t, t,
                  1, cfg->accent, cfg->background, BT_ALIGN_CENTER) + space;
    y += add_text(p, "Nhập mã PIN rồi bấm OK", (bt_rect){in.x, y, in.w, 0}, BT_FACE_REGULAR,
                  body, body, 1, cfg->foreground, cfg->background, BT_ALIGN_CENTER) + space;
    char message[160];
    pin_message(v, message, sizeof message);
    y = pin_field(p, v, message, px(p, 26), (bt_rect){in.x, y, in.w, 0}, key_h);
    char foot[128];
    if (v->timeout_seconds > 0)
        snprintf(foot, sizeof foot, "Bàn phím: số, Enter, Esc · Tự đóng sau %d giây không thao tác",
                 v->timeout_seconds);
    else
        snprintf(foot, sizeof foot, "Bàn phím: số, Enter, Esc");
    add_text(p, foot, (bt_rect){in.x, y, in.w, line_h(p, BT_FACE_REGULAR, small)},
             BT_FACE_REGULAR, small, px(p, 22), 1, cfg->foreground, cfg->background,
             BT_ALIGN_CENTER);
}

/* The clock page: like the PIN entry (same keypad, same place), with the digits typed shown
 * in their dd/mm/yyyy hh:mm pattern, what the clock says now, and room for a message of a few
 * lines (the reason setting failed says what to do, which takes words). */
#define CLOCK_MESSAGE_LINES 3

static void clock_plan(bt_panel *p, const bt_panel_clock_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int t = px(p, 46), body = px(p, 32), field = px(p, 60), small = px(p, 28);
    int pad = px(p, 36), gap = px(p, KEY_GAP), m = px(p, 40), space = px(p, 10);
    plan_reset(p);
    int msg_h = CLOCK_MESSAGE_LINES * line_h(p, BT_FACE_BOLD, small);
    int text_h = line_h(p, BT_FACE_BOLD, t) + line_h(p, BT_FACE_REGULAR, body) +
                 line_h(p, BT_FACE_REGULAR, small) + line_h(p, BT_FACE_BOLD, field) + msg_h +
                 line_h(p, BT_FACE_REGULAR, small) + 5 * space;
    /* The keypad as on the PIN entry, a little shorter when the screen is: never under the
     * ~1 cm a finger needs. */
    int room = p->height - 2 * m - 2 * pad - text_h - (KEY_ROWS - 1) * gap - space;
    int key_h = room / KEY_ROWS;
    if (key_h > px(p, 140))
        key_h = px(p, 140);
    if (key_h < px(p, 90))
        key_h = px(p, 90);
    int keys_h = KEY_ROWS * key_h + (KEY_ROWS - 1) * gap;
    int h = 2 * pad + text_h + keys_h + space;
    bt_rect in = centred_plate(p, plate_width(p, 1000), h, p->height / 2);
    int y = in.y;
    y += add_text(p, "Đặt ngày giờ của máy", (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, t, t, 1,
                  cfg->accent, cfg->background, BT_ALIGN_CENTER) + space;
    int line = line_h(p, BT_FACE_REGULAR, body);
    add_text(p, "Nhập ngày/tháng/năm giờ:phút (12 chữ số) rồi bấm OK",
             (bt_rect){in.x, y, in.w, line}, BT_FACE_REGULAR, body, px(p, 22), 1,
             cfg->foreground, cfg->background, BT_ALIGN_CENTER);
    y += line + space;
    line = line_h(p, BT_FACE_REGULAR, small);
    add_text(p, v->machine, (bt_rect){in.x, y, in.w, line}, BT_FACE_REGULAR, small, px(p, 20), 1,
             cfg->foreground, cfg->background, BT_ALIGN_CENTER);
    y += line + space;
    y += add_text(p, v->field, (bt_rect){in.x, y, in.w, 0}, BT_FACE_BOLD, field, field, 1,
                  cfg->foreground, cfg->background, BT_ALIGN_CENTER) + space;
    /* Done in the ink of the text, refused in the accent: the words say which too. */
    add_text(p, v->message[0] ? v->message : " ", (bt_rect){in.x, y, in.w, msg_h}, BT_FACE_BOLD,
             small, px(p, 20), CLOCK_MESSAGE_LINES, v->message_ok ? cfg->foreground : cfg->accent,
             cfg->background, BT_ALIGN_CENTER);
    y += msg_h + space;
    keypad_plan(p, (bt_rect){in.x, y, in.w, keys_h}, key_h, gap);
    y += keys_h + space;
    char foot[160];
    if (v->timeout_seconds > 0)
        snprintf(foot, sizeof foot, "Bàn phím: số, Enter, Esc để quay lại · Tự đóng sau %d giây "
                 "không thao tác", v->timeout_seconds);
    else
        snprintf(foot, sizeof foot, "Bàn phím: số, Enter, Esc để quay lại");
    add_text(p, foot, (bt_rect){in.x, y, in.w, line_h(p, BT_FACE_REGULAR, small)},
             BT_FACE_REGULAR, small, px(p, 20), 1, cfg->foreground, cfg->background,
             BT_ALIGN_CENTER);
}

/* ---- pages over the whole screen ---------------------------------------------------------- */

/* A new plan on the background with the page's title in the accent, shrunk to min_size rather
 * than cut, and a rule under it; returns the y below. The approval screen and the records page
 * begin so. */
static int page_header(bt_panel *p, const char *title, int size, int min_size)
{
    const bt_screen_config *cfg = &p->cfg;
    int m = px(p, 40), y = m;
    plan_reset(p);
    add_box(p, (bt_rect){0, 0, p->width, p->height}, cfg->background);
    y += add_text(p, title, (bt_rect){m, y, p->width - 2 * m, line_h(p, BT_FACE_BOLD, size)},
                  BT_FACE_BOLD, size, min_size, 1, cfg->accent, cfg->background, BT_ALIGN_LEFT);
    add_box(p, (bt_rect){m, y + px(p, 6), p->width - 2 * m, px(p, 4)}, cfg->accent);
    return y + px(p, 16);
}

/* ---- "Ghi nhận kênh khác" ------------------------------------------------------------------ */

/* The keypad's column in landscape, and the keys' height in portrait (as on the approval
 * screen: the same keypad in the same place for the same hand). */
#define RECORDS_PAD_W 560
#define RECORDS_PORTRAIT_KEY_H 100
#define RECORDS_TEXT_PX 34

/* The form: each line on its own band, the one being asked on the accent's outline. */
static void records_form(bt_panel *p, column *c, const bt_panel_records_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int size = px(p, RECORDS_TEXT_PX), pad = px(p, 12), lh = line_h(p, BT_FACE_REGULAR, size);
    bt_rgb band = bt_ui_mix(cfg->background, cfg->foreground, 22);
    for (int i = 0; i < BT_PANEL_RECORDS_FORM; i++) {
        bt_rect r = {c->col.x, c->y, c->col.w, lh + 2 * pad};
        bool now = i == v->current;
        if (now)
            add_plate(p, r, cfg->background, cfg->accent, px(p, 4));
        else
            add_box(p, r, band);
        add_text(p, v->form[i], (bt_rect){r.x + 2 * pad, r.y + pad, r.w - 4 * pad, lh},
                 now ? BT_FACE_BOLD : BT_FACE_REGULAR, size, px(p, 24), 1, cfg->foreground,
                 now ? cfg->background : band, BT_ALIGN_LEFT);
        c->y += r.h + px(p, 6);
    }
    c->y += px(p, 10);
}

/* What to press, the digits typed, the list to pick from, and the message. */
static void records_step(bt_panel *p, column *c, const bt_panel_records_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int size = px(p, RECORDS_TEXT_PX), field = px(p, 56), small = px(p, 28);
    int lh = line_h(p, BT_FACE_BOLD, size);
    c->y += add_text(p, v->prompt, (bt_rect){c->col.x, c->y, c->col.w, 2 * lh}, BT_FACE_BOLD,
                     size, px(p, 24), 2, cfg->accent, cfg->background, BT_ALIGN_LEFT) +
            px(p, 8);
    if (v->field[0])
        c->y += add_text(p, v->field, (bt_rect){c->col.x, c->y, c->col.w, 0}, BT_FACE_BOLD,
                         field, field, 1, cfg->foreground, cfg->background, BT_ALIGN_LEFT) +
                px(p, 8);
    /* The message under the prompt, where the eye is: why a key was refused, or that it was
     * written. */
    if (v->message[0]) {
        int used = add_text(p, v->message,
                            (bt_rect){c->col.x, c->y, c->col.w, 2 * line_h(p, BT_FACE_BOLD, small)},
                            BT_FACE_BOLD, small, px(p, 20), 2,
                            v->message_ok ? cfg->foreground : cfg->accent, cfg->background,
                            BT_ALIGN_LEFT);
        c->y += (used > 0 ? used : 0) + px(p, 12);
    }
    int list_bottom = c->bottom;
    /* A row takes up to two lines (an entry to undo says day, count, channel and note). */
    int line = line_h(p, BT_FACE_REGULAR, size);
    for (size_t i = 0; i < v->list_count && i < BT_PANEL_RECORDS_LIST; i++) {
        int row = list_bottom - c->y < 2 * line ? list_bottom - c->y : 2 * line;
        if (row < line) {
            p->plan->rows_dropped += v->list_count - i;
            break;
        }
        int used = add_text(p, v->list[i],
                            (bt_rect){c->col.x + px(p, 20), c->y, c->col.w - px(p, 20), row},
                            BT_FACE_REGULAR, size, px(p, 26), row < 2 * line ? 1 : 2,
                            cfg->foreground,
                            cfg->background, BT_ALIGN_LEFT);
        c->y += (used > 0 ? used : row) + px(p, 6);
    }
}

static void records_plan(bt_panel *p, const bt_panel_records_view *v)
{
    const bt_screen_config *cfg = &p->cfg;
    int m = px(p, 40), gap = px(p, 48), title = px(p, 48), small = px(p, 26);
    int gap_k = px(p, KEY_GAP);
    bool landscape = p->width > p->height;
    int y = page_header(p, v->title, title, px(p, 32)) + px(p, 8);
    int foot_h = 2 * line_h(p, BT_FACE_REGULAR, small);
    int bottom = p->height - m - foot_h - px(p, 10);
    add_text(p, v->footer, (bt_rect){m, bottom + px(p, 10), p->width - 2 * m, foot_h},
             BT_FACE_REGULAR, small, px(p, 20), 2, cfg->foreground, cfg->background,
             BT_ALIGN_LEFT);
    bt_rect pad;
    column c;
    if (landscape) {
        int pad_w = px(p, RECORDS_PAD_W);
        int key_h = (bottom - y - (KEY_ROWS - 1) * gap_k) / KEY_ROWS;
        if (key_h > px(p, 140))
            key_h = px(p, 140);
        pad = (bt_rect){p->width - m - pad_w, y, pad_w, KEY_ROWS * key_h + (KEY_ROWS - 1) * gap_k};
        c = (column){{m, y, pad.x - gap - m, bottom - y}, y, bottom};
        keypad_plan(p, pad, key_h, gap_k);
    } else {
        int key_h = px(p, RECORDS_PORTRAIT_KEY_H);
        int pad_h = KEY_ROWS * key_h + (KEY_ROWS - 1) * gap_k;
        int pad_w = plate_width(p, 900);
        pad = (bt_rect){(p->width - pad_w) / 2, bottom - pad_h, pad_w, pad_h};
        c = (column){{m, y, p->width - 2 * m, pad.y - gap - y}, y, pad.y - gap};
        keypad_plan(p, pad, key_h, gap_k);
    }
    records_form(p, &c, v);
    records_step(p, &c, v);
}

/* The approval screen (usb.unsigned = "pin"): over the whole screen, since staff must read what
 * they approve. Landscape: what the stick holds and changes on the left, the PIN entry on the
 * right; portrait: the same above, the entry below. */
#define APPROVAL_PAD_W 560
#define APPROVAL_PORTRAIT_KEY_H 92

/* The PIN entry of the approval screen in box: prompt, dots, message (or the time left), the
 * keypad, and what Huỷ and the deadline do. */
static void approval_entry(bt_panel *p, const bt_panel_approval_view *v, bt_rect box)
{
    const bt_screen_config *cfg = &p->cfg;
    int body = px(p, 34), dots = px(p, 60), small = px(p, 28);
    int gap = px(p, KEY_GAP), space = px(p, 10);
    int text_h = line_h(p, BT_FACE_BOLD, body) + line_h(p, BT_FACE_BOLD, dots) +
                 line_h(p, BT_FACE_BOLD, body) + 2 * line_h(p, BT_FACE_REGULAR, small) +
                 4 * space;
    int key_h = (box.h - text_h - (KEY_ROWS - 1) * gap) / KEY_ROWS;
    if (key_h > px(p, 140))
        key_h = px(p, 140);
    if (key_h < px(p, 90))
        key_h = px(p, 90);
    int keys_h = KEY_ROWS * key_h + (KEY_ROWS - 1) * gap;
    int y = box.y + (box.h - text_h - keys_h) / 2;
    if (y < box.y)
        y = box.y;
    int prompt_h = line_h(p, BT_FACE_BOLD, body);
    add_text(p, "Nhập mã PIN rồi bấm OK để nạp", (bt_rect){box.x, y, box.w, prompt_h},
             BT_FACE_BOLD, body, px(p, 26), 1, cfg->foreground, cfg->background, BT_ALIGN_CENTER);
    y += prompt_h + space;
    char message[160];
    pin_message(&v->pin, message, sizeof message);
    if (!v->pin.wrong && v->pin.lock_seconds <= 0)
        snprintf(message, sizeof message, "Còn %d:%02d để duyệt", v->seconds_left / 60,
                 v->seconds_left % 60);
    y = pin_field(p, &v->pin, message, px(p, 24), (bt_rect){box.x, y, box.w, 0}, key_h);
    add_text(p, "Huỷ: không nạp. Hết giờ mà chưa nhập đúng mã: không nạp, playlist đang phát "
                "giữ nguyên.",
             (bt_rect){box.x, y, box.w, 2 * line_h(p, BT_FACE_REGULAR, small)}, BT_FACE_REGULAR,
             small, px(p, 22), 2, cfg->foreground, cfg->background, BT_ALIGN_CENTER);
}

static void approval_plan(bt_panel *p, const bt_panel_approval_view *v)
{
    int m = px(p, 40), gap = px(p, 48), title = px(p, 52);
    bool landscape = p->width > p->height;
    int y = page_header(p, v->title, title, px(p, 36));
    bt_rect entry;
    column c;
    if (landscape) {
        int pad_w = px(p, APPROVAL_PAD_W);
        if (pad_w > (p->width - 2 * m - gap) / 2)
            pad_w = (p->width - 2 * m - gap) / 2;
        entry = (bt_rect){p->width - m - pad_w, y, pad_w, p->height - m - y};
        c = (column){{m, y, entry.x - gap - m, p->height - m - y}, y, p->height - m};
    } else {
        int gap_k = px(p, KEY_GAP), small = px(p, 28), body = px(p, 34);
        int entry_h = KEY_ROWS * px(p, APPROVAL_PORTRAIT_KEY_H) + (KEY_ROWS - 1) * gap_k +
                      2 * line_h(p, BT_FACE_BOLD, body) + line_h(p, BT_FACE_BOLD, px(p, 60)) +
                      2 * line_h(p, BT_FACE_REGULAR, small) + 4 * px(p, 10);
        int pad_w = plate_width(p, 900);
        entry = (bt_rect){(p->width - pad_w) / 2, p->height - m - entry_h, pad_w, entry_h};
        c = (column){{m, y, p->width - 2 * m, entry.y - gap - y}, y, entry.y - gap};
    }
    row_line(p, &c, v->why, 3);
    section_title(p, &c, "Playlist trên USB");
    for (size_t i = 0; i < v->fact_count && i < BT_PANEL_APPROVAL_FACTS; i++)
        row_line(p, &c, v->facts[i], 2);
    section_title(p, &c, "Khác với playlist đang phát");
    for (size_t i = 0; i < v->change_count && i < BT_PANEL_APPROVAL_CHANGES; i++)
        row_line(p, &c, v->changes[i], 3);
    approval_entry(p, v, entry);
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

/* The panel's faces, opened at its first drawing, not with it: the kiosk makes the panel at
 * start-up and on most days nobody opens it, while two faces hold FreeType's and HarfBuzz's
 * tables and glyphs (about 0.3 MB, issue 14, item 9). Kept once opened. -1 (logged once) when
 * they do not open. */
static int panel_faces(bt_panel *p)
{
    if (p->font[BT_FACE_COUNT - 1])
        return 0;
    char err[BT_MAX_PATH_BYTES + 128];
    const char *paths[BT_FACE_COUNT] = {p->cfg.font_regular, p->cfg.font_bold};
    for (int i = 0; i < BT_FACE_COUNT; i++) {
        if (!p->font[i] && bt_ui_font_open(paths[i], &p->font[i], err, sizeof err) != 0) {
            if (!p->faces_failed)
                bt_log_error("bảng theo dõi không vẽ được: %s", err);
            p->faces_failed = true;
            return -1;
        }
        bt_ui_font_layout_face(p->font[i], &p->fonts.face[i]);
    }
    return 0;
}

/* Builds and rasterises only when what is asked differs from the cached overlay. */
#define DRAW_CACHED(p, sig, build)                                                             \
    do {                                                                                       \
        if (!(p)->has_plan || (p)->signature != (sig) || (p)->sprite_count == 0) {             \
            if (panel_faces(p) != 0)                                                           \
                return -1;                                                                     \
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

int bt_panel_draw_proof(bt_panel *p, const bt_panel_proof_view *v)
{
    uint64_t h = hash_str(hash_str(hash_int(FNV_OFFSET, 7), v->title), v->subtitle);
    h = hash_str(hash_str(hash_str(hash_str(h, v->head_today), v->head_month), v->empty),
                 v->footer);
    for (size_t i = 0; i < v->row_count && i < BT_PANEL_MAX_PROOF_ROWS; i++) {
        const bt_panel_proof_row *r = &v->rows[i];
        h = hash_str(hash_str(hash_str(hash_str(h, r->name), r->today), r->month), r->last);
    }
    h = hash_int(h, (long long)v->row_count);
    DRAW_CACHED(p, h, proof_plan(p, v));
}

int bt_panel_draw_pin_view(bt_panel *p, const bt_panel_pin_view *v)
{
    uint64_t h = hash_int(hash_int(FNV_OFFSET, 2), (long long)v->typed);
    h = hash_int(hash_int(h, v->wrong), (long long)v->tries_left);
    h = hash_int(hash_int(h, v->lock_seconds), v->timeout_seconds);
    DRAW_CACHED(p, h, pin_plan(p, v));
}

int bt_panel_draw_clock(bt_panel *p, const bt_panel_clock_view *v)
{
    uint64_t h = hash_str(hash_str(hash_int(FNV_OFFSET, 5), v->field), v->machine);
    h = hash_int(hash_int(hash_str(h, v->message), v->message_ok), v->timeout_seconds);
    DRAW_CACHED(p, h, clock_plan(p, v));
}

int bt_panel_draw_records(bt_panel *p, const bt_panel_records_view *v)
{
    uint64_t h = hash_str(hash_str(hash_int(FNV_OFFSET, 8), v->title), v->prompt);
    for (size_t i = 0; i < BT_PANEL_RECORDS_FORM; i++)
        h = hash_str(h, v->form[i]);
    for (size_t i = 0; i < v->list_count && i < BT_PANEL_RECORDS_LIST; i++)
        h = hash_str(h, v->list[i]);
    h = hash_int(hash_int(h, (long long)v->list_count), v->current);
    h = hash_str(hash_str(hash_str(h, v->field), v->message), v->footer);
    h = hash_int(h, v->message_ok);
    DRAW_CACHED(p, h, records_plan(p, v));
}

int bt_panel_draw_approval(bt_panel *p, const bt_panel_approval_view *v)
{
    uint64_t h = hash_str(hash_str(hash_int(FNV_OFFSET, 6), v->title), v->why);
    for (size_t i = 0; i < v->fact_count && i < BT_PANEL_APPROVAL_FACTS; i++)
        h = hash_str(h, v->facts[i]);
    for (size_t i = 0; i < v->change_count && i < BT_PANEL_APPROVAL_CHANGES; i++)
        h = hash_str(h, v->changes[i]);
    h = hash_int(hash_int(h, (long long)v->fact_count), (long long)v->change_count);
    h = hash_int(hash_int(h, (long long)v->pin.typed), v->pin.wrong);
    h = hash_int(hash_int(h, (long long)v->pin.tries_left), v->pin.lock_seconds);
    h = hash_int(h, v->seconds_left);
    DRAW_CACHED(p, h, approval_plan(p, v));
}

int bt_panel_draw_pin(bt_panel *p, size_t typed, bool wrong)
{
    bt_panel_pin_view v = {typed, wrong, 0, 0, 0};
    return bt_panel_draw_pin_view(p, &v);
}

void bt_panel_pin_view_of(const bt_panel_state *s, bt_panel_pin_view *out)
{
    out->typed = s->typed_len;
    out->wrong = s->wrong_pin;
    out->tries_left = bt_panel_state_tries_left(s);
    out->lock_seconds = s->locked_until_ms ? s->lock_seconds_left : 0;
    out->timeout_seconds = (int)(s->timeout_ms / 1000);
}

int bt_panel_draw_pin_state(bt_panel *p, const bt_panel_state *s)
{
    bt_panel_pin_view v;
    bt_panel_pin_view_of(s, &v);
    return bt_panel_draw_pin_view(p, &v);
}

bt_panel_key bt_panel_key_at(const bt_panel *p, int x, int y)
{
    if (!p || !p->has_plan || !p->plan->has_keys)
        return BT_PANEL_KEY_NONE;
    /* Half the gap between keys (as laid out in pin_plan) also counts: a finger is not a pixel. */
    int slack = px(p, KEY_GAP) / 2;
    for (int k = 0; k < BT_PANEL_KEY_COUNT; k++) {
        bt_rect r = p->plan->keys[k];
        if (r.w <= 0 || r.h <= 0)
            continue; /* not on this overlay */
        if (x >= r.x - slack && x < r.x + r.w + slack && y >= r.y - slack &&
            y < r.y + r.h + slack)
            return (bt_panel_key)k;
    }
    return BT_PANEL_KEY_NONE;
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

bt_rgb bt_panel_tone_color(bt_panel_tone tone)
{
    return TONE_COLORS[tone <= BT_PANEL_TONE_MISSED ? (int)tone : 0];
}

void bt_panel_size(const bt_panel *p, int *width, int *height)
{
    *width = p ? p->width : 0;
    *height = p ? p->height : 0;
}

unsigned long bt_panel_raster_count(const bt_panel *p)
{
    return p ? p->rasters : 0;
}
