/* A face of the lobby screen: one TTF_Font, resized with TTF_SetFontSize when the layout asks
 * for another size (a resize drops SDL_ttf's glyph cache, so the current size is remembered and
 * only changed when needed).
 *
 * Vietnamese and line boxes: Noto Sans puts stacked marks on capitals (Ỗ, Ẫ: 1.05 em) just
 * under its ascent (1.07 em) and dots below (Ặ) above its descent, but hinting can still push a
 * mark a pixel higher. SDL_ttf 2.20 then grows the line surface upward instead of clipping
 * (checked at every size from 10 to 260 px: no clipped mark), which moves the baseline inside
 * the surface. So the baseline is computed for every line from the glyphs' metrics, and the
 * layout's line boxes are built from the ink envelope of the actual Vietnamese code points,
 * measured here with TTF_GlyphMetrics32. */
#include "bangtin/bt_ui_font.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL2/SDL_ttf.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_vi.h"

/* Envelope probes are measured at this size so metrics are in thousandths of an em. */
#define PROBE_SIZE 1000

typedef struct mapped_file mapped_file;

struct bt_ui_font {
    TTF_Font *ttf;
    mapped_file *file;   /* the font file, mapped read-only and shared (see map_font) */
    int size;            /* current size of ttf */
    char *scratch;       /* NUL-terminated copy of the span being measured or drawn */
    size_t scratch_size;
    int ink_top_permille, ink_bottom_permille;
};

/* Letters whose ink reaches highest (stacked marks on capitals) and lowest (descenders, dots
 * below, brackets) in Vietnamese text. */
static const Uint32 TOP_PROBES[] = {
    0x1EA4, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EAE, 0x1EB0, 0x1EB2, 0x1EB4, 0x1EBE, 0x1EC0, 0x1EC2,
    0x1EC4, 0x1ED0, 0x1ED2, 0x1ED4, 0x1ED6, 0x1EDA, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EE8, 0x1EEA,
    0x1EEC, 0x1EEE, 0x1EF6, 0x1EF8, 0x00C9, 0x0128, 0x1EBC, 0x0168, 'l', 'd', 'f', 'k', '|',
};
static const Uint32 BOTTOM_PROBES[] = {
    'g', 'j', 'p', 'q', 'y', ',', ';', '(', ')', '[', ']', '{', '}', '|', 0x1EA0, 0x1EB6,
    0x1EAC, 0x1EB8, 0x1EC6, 0x1ECA, 0x1ECC, 0x1ED8, 0x1EE2, 0x1EE4, 0x1EF0, 0x1EF4, 0x1EF5,
    0x1EF1, 0x1EAD, 0x1EB7,
};

static int set_size(bt_ui_font *f, int size)
{
    if (size < 1)
        return -1;
    if (f->size == size)
        return 0;
    if (TTF_SetFontSize(f->ttf, size) != 0)
        return -1;
    f->size = size;
    return 0;
}

static const char *scratch_copy(bt_ui_font *f, const char *s, size_t len, bool ellipsis)
{
    size_t need = len + (ellipsis ? sizeof BT_LAYOUT_ELLIPSIS : 1);
    if (need > f->scratch_size) {
        size_t size = need < 256 ? 256 : need * 2;
        char *grown = realloc(f->scratch, size);
        if (!grown)
            return NULL;
        f->scratch = grown;
        f->scratch_size = size;
    }
    memcpy(f->scratch, s, len);
    if (ellipsis)
        memcpy(f->scratch + len, BT_LAYOUT_ELLIPSIS, sizeof BT_LAYOUT_ELLIPSIS);
    else
        f->scratch[len] = '\0';
    return f->scratch;
}

static void measure_envelope(bt_ui_font *f)
{
    int top = TTF_FontAscent(f->ttf), bottom = 0;
    for (size_t i = 0; i < sizeof TOP_PROBES / sizeof TOP_PROBES[0]; i++) {
        int maxy;
        if (TTF_GlyphIsProvided32(f->ttf, TOP_PROBES[i]) &&
            TTF_GlyphMetrics32(f->ttf, TOP_PROBES[i], NULL, NULL, NULL, &maxy, NULL) == 0 &&
            maxy > top)
            top = maxy;
    }
    for (size_t i = 0; i < sizeof BOTTOM_PROBES / sizeof BOTTOM_PROBES[0]; i++) {
        int miny;
        if (TTF_GlyphIsProvided32(f->ttf, BOTTOM_PROBES[i]) &&
            TTF_GlyphMetrics32(f->ttf, BOTTOM_PROBES[i], NULL, NULL, &miny, NULL, NULL) == 0 &&
            -miny > bottom)
            bottom = -miny;
    }
    /* The ascent is a floor: a font may reserve room above its tallest probe for a reason. */
    f->ink_top_permille = top;
    f->ink_bottom_permille = bottom;
}

/* The font file is mapped rather than read through a stdio stream: FreeType then reads glyph
 * outlines straight from memory instead of an fseek + fread per glyph, which was an eighth of
 * the kiosk's start-up CPU. Faces opened on the same file (the screen's and the panel's) share
 * one mapping, so its pages count once in the process's memory. */
struct mapped_file {
    char path[BT_MAX_PATH_BYTES];
    void *data;
    size_t size;
    int refs;
};

#define MAX_MAPPED_FILES 8

static mapped_file mapped[MAX_MAPPED_FILES];
static pthread_mutex_t mapped_lock = PTHREAD_MUTEX_INITIALIZER;
static int faces_open; /* under mapped_lock */

static mapped_file *map_new(const char *path, char *err, size_t err_size)
{
    mapped_file *slot = NULL;
    for (size_t i = 0; i < MAX_MAPPED_FILES && !slot; i++)
        if (mapped[i].refs == 0)
            slot = &mapped[i];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (!slot || strlen(path) >= sizeof slot->path || fd < 0 || fstat(fd, &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_size <= 0) {
        snprintf(err, err_size, "không mở được phông chữ \"%s\"", path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(err, err_size, "không đọc được phông chữ \"%s\"", path);
        return NULL;
    }
    snprintf(slot->path, sizeof slot->path, "%s", path);
    slot->data = p;
    slot->size = (size_t)st.st_size;
    return slot;
}

static mapped_file *map_font(const char *path, char *err, size_t err_size)
{
    pthread_mutex_lock(&mapped_lock);
    mapped_file *m = NULL;
    for (size_t i = 0; i < MAX_MAPPED_FILES && !m; i++)
        if (mapped[i].refs > 0 && strcmp(mapped[i].path, path) == 0)
            m = &mapped[i];
    if (!m)
        m = map_new(path, err, err_size);
    if (m) {
        m->refs++;
        faces_open++;
    }
    pthread_mutex_unlock(&mapped_lock);
    return m;
}

static void unmap_font(mapped_file *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&mapped_lock);
    faces_open--;
    if (--m->refs == 0) {
        munmap(m->data, m->size);
        memset(m, 0, sizeof *m);
    }
    pthread_mutex_unlock(&mapped_lock);
}

int bt_ui_font_open(const char *path, bt_ui_font **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!path || !*path) {
        snprintf(err, err_size, "chưa chỉ định tệp phông chữ");
        return -1;
    }
    bt_ui_font *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, err_size, "hết bộ nhớ khi mở phông chữ");
        return -1;
    }
    f->file = map_font(path, err, err_size);
    if (!f->file) {
        free(f);
        return -1;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(f->file->data, (int)f->file->size);
    f->ttf = rw ? TTF_OpenFontRW(rw, 1, PROBE_SIZE) : NULL;
    if (!f->ttf) {
        snprintf(err, err_size, "không mở được phông chữ \"%s\": %s", path,
                 bt_vi_library_error(TTF_GetError()));
        unmap_font(f->file);
        free(f);
        return -1;
    }
    f->size = PROBE_SIZE;
    /* Light hinting keeps the designed shapes of marks at display sizes (vertical snapping
     * only), and the metrics then match what is drawn. */
    TTF_SetFontHinting(f->ttf, TTF_HINTING_LIGHT);
    measure_envelope(f);
    *out = f;
    return 0;
}

void bt_ui_font_close(bt_ui_font *f)
{
    if (!f)
        return;
    TTF_CloseFont(f->ttf);
    unmap_font(f->file);
    free(f->scratch);
    free(f);
}

int bt_ui_font_open_count(void)
{
    pthread_mutex_lock(&mapped_lock);
    int n = faces_open;
    pthread_mutex_unlock(&mapped_lock);
    return n;
}

bool bt_ui_font_covers(bt_ui_font *font, uint32_t codepoint)
{
    return TTF_GlyphIsProvided32(font->ttf, codepoint) != 0;
}

int bt_ui_font_measure(void *font, int size, const char *s, size_t len)
{
    bt_ui_font *f = font;
    int w = 0, h = 0;
    if (len == 0)
        return 0;
    const char *text = scratch_copy(f, s, len, false);
    if (!text || set_size(f, size) != 0 || TTF_SizeUTF8(f->ttf, text, &w, &h) != 0)
        return -1;
    return w;
}

void bt_ui_font_layout_face(bt_ui_font *font, bt_layout_face *out)
{
    out->measure = bt_ui_font_measure;
    out->ctx = font;
    out->ink_top_permille = font->ink_top_permille;
    out->ink_bottom_permille = font->ink_bottom_permille;
}

/* Decodes one UTF-8 code point; advances *i (at least one byte). Invalid bytes give U+FFFD. */
static Uint32 next_codepoint(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || *i + n > len) {
        (*i)++;
        return 0xFFFD;
    }
    Uint32 cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | (s[*i + k] & 0x3Fu);
    *i += n;
    return cp;
}

/* How far below the baseline the lowest glyph of the text reaches (px at the current size). */
static int text_bottom_extent(bt_ui_font *f, const char *text)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    int bottom = 0;
    while (i < len) {
        int miny;
        Uint32 cp = next_codepoint(u, len, &i);
        if (TTF_GlyphMetrics32(f->ttf, cp, NULL, NULL, &miny, NULL, NULL) == 0 && -miny > bottom)
            bottom = -miny;
    }
    return bottom;
}

SDL_Surface *bt_ui_font_render(bt_ui_font *f, int size, const char *s, size_t len,
                               bool ellipsis, SDL_Color color, int *baseline)
{
    const char *text = scratch_copy(f, s, len, ellipsis);
    if (!text || !*text || set_size(f, size) != 0)
        return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f->ttf, text, color);
    if (!surf)
        return NULL;
    /* SDL_ttf's surface is (extra rows above) + max(height, ascent + lowest glyph bottom); the
     * baseline sits at extra + ascent. */
    int ascent = TTF_FontAscent(f->ttf);
    int below = ascent + text_bottom_extent(f, text);
    int body = TTF_FontHeight(f->ttf) > below ? TTF_FontHeight(f->ttf) : below;
    int extra = surf->h - body;
    *baseline = ascent + (extra > 0 ? extra : 0);
    return surf;
}
