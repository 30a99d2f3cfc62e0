/* Image decoding and one-off resampling for image notices.
 *
 * The scaler is separable and streams: each output row is built from the few source rows that
 * cover it, each resampled horizontally into a float row (a two-row cache serves neighbouring
 * output rows), and source rows are asked for in order. So a PNG or JPEG is decoded row by row
 * straight into the scaler (libpng, libjpeg) and the full-size picture is never in memory: a
 * 1920×1080 slide would cost 8 MB at its peak, a 4000×3000 phone photo 48 MB, on top of the
 * shown size. A JPEG much larger than its place is decoded at 1/2, 1/4 or 1/8 of its size by
 * libjpeg itself. Interlaced PNGs, CMYK JPEGs and other formats are decoded whole by SDL_image
 * and scaled from the surface (read through its own format: RGB24 is not widened to 32 bits
 * first). */
#include "bangtin/bt_ui_image.h"

#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_sdl_image.h"
#include "bangtin/bt_vi.h"

SDL_Surface *bt_ui_image_load(const char *path, char *err, size_t err_size)
{
    SDL_Surface *img = bt_sdl_image_load(path);
    if (!img) {
        snprintf(err, err_size, "không đọc được ảnh \"%s\": %s", path,
                 bt_vi_library_error(SDL_GetError()));
        return NULL;
    }
    if (img->w > BT_MAX_IMAGE_SIDE || img->h > BT_MAX_IMAGE_SIDE || img->w < 1 || img->h < 1) {
        snprintf(err, err_size, "ảnh \"%s\" có kích thước %d×%d, vượt giới hạn %d px", path,
                 img->w, img->h, BT_MAX_IMAGE_SIDE);
        SDL_FreeSurface(img);
        return NULL;
    }
    return img;
}

/* Which source pixels make one output pixel along an axis, and with what weights. */
typedef struct {
    int first, count;
    size_t offset; /* into the weights array */
} span;

typedef struct {
    span *spans;
    float *weights;
} axis;

static void axis_free(axis *a)
{
    free(a->spans);
    free(a->weights);
}

static int axis_build(axis *a, int src, int dst)
{
    double scale = (double)dst / src;
    /* Shrinking: each output pixel averages the source interval it covers (box filter, at most
     * ceil(1/scale) + 1 pixels). Enlarging: bilinear between the two nearest. */
    int support = scale < 1.0 ? (int)ceil(1.0 / scale) + 2 : 2;
    a->spans = malloc(sizeof *a->spans * (size_t)dst);
    a->weights = malloc(sizeof *a->weights * (size_t)dst * (size_t)support);
    if (!a->spans || !a->weights) {
        axis_free(a);
        return -1;
    }
    size_t used = 0;
    for (int i = 0; i < dst; i++) {
        span *s = &a->spans[i];
        s->offset = used;
        if (scale < 1.0) {
            double lo = i / scale, hi = (i + 1) / scale;
            int first = (int)floor(lo), last = (int)ceil(hi) - 1;
            if (last >= src)
                last = src - 1;
            double total = 0;
            s->first = first;
            s->count = 0;
            for (int j = first; j <= last && s->count < support; j++) {
                double a0 = j < lo ? lo : j, a1 = j + 1 > hi ? hi : j + 1;
                double w = a1 - a0;
                if (w < 0)
                    w = 0;
                a->weights[used + (size_t)s->count++] = (float)w;
                total += w;
            }
            for (int k = 0; k < s->count; k++)
                a->weights[used + (size_t)k] = (float)(a->weights[used + (size_t)k] / total);
        } else {
            double c = (i + 0.5) / scale - 0.5;
            int j0 = (int)floor(c);
            double f = c - j0;
            if (j0 < 0) {
                j0 = 0;
                f = 0;
            }
            if (j0 >= src - 1) {
                j0 = src - 1;
                f = 0;
            }
            s->first = j0;
            s->count = f > 0 ? 2 : 1;
            a->weights[used] = (float)(1.0 - f);
            if (s->count == 2)
                a->weights[used + 1] = (float)f;
        }
        used += (size_t)s->count;
    }
    return 0;
}

/* ---- where source rows come from -------------------------------------------------------- */

/* Source rows as straight RGBA bytes, asked for in non-decreasing order (a row may be asked
 * for again while it is the latest). 0, or -1 when the row cannot be had. */
typedef struct {
    int w, h;
    int (*row)(void *ctx, int y, Uint8 *rgba);
    void *ctx;
} row_source;

/* A decoded surface in any format SDL_image gives. */
static int surface_row(void *ctx, int y, Uint8 *rgba)
{
    const SDL_Surface *src = ctx;
    const Uint8 *row = (const Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch;
    int bpp = src->format->BytesPerPixel;
    for (int x = 0; x < src->w; x++) {
        const Uint8 *p = row + (size_t)x * (size_t)bpp;
        Uint32 v;
        switch (bpp) {
        case 4: memcpy(&v, p, 4); break;
        case 3:
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
            v = (Uint32)p[0] | (Uint32)p[1] << 8 | (Uint32)p[2] << 16;
#else
            v = (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | (Uint32)p[2];
#endif
            break;
        case 2: {
            Uint16 v16;
            memcpy(&v16, p, 2);
            v = v16;
            break;
        }
        default: v = p[0]; break;
        }
        SDL_GetRGBA(v, src->format, &rgba[4 * x], &rgba[4 * x + 1], &rgba[4 * x + 2],
                    &rgba[4 * x + 3]);
    }
    return 0;
}

/* ---- the scaler ------------------------------------------------------------------------------ */

typedef struct {
    row_source *src;
    const axis *h;
    int w;
    Uint8 *bytes;   /* one source row */
    float *rows[2]; /* cache of two horizontally resampled source rows */
    int keys[2];
    int next;
    bool failed;
} row_cache;

static const float *hrow(row_cache *c, int sy)
{
    for (int k = 0; k < 2; k++)
        if (c->keys[k] == sy)
            return c->rows[k];
    float *out = c->rows[c->next];
    c->keys[c->next] = sy;
    c->next ^= 1;
    if (c->src->row(c->src->ctx, sy, c->bytes) != 0) {
        c->failed = true;
        memset(out, 0, sizeof(float) * (size_t)c->w * 4);
        return out;
    }
    for (int x = 0; x < c->w; x++) {
        const span *s = &c->h->spans[x];
        float acc[4] = {0, 0, 0, 0};
        for (int k = 0; k < s->count; k++) {
            float wt = c->h->weights[s->offset + (size_t)k];
            const Uint8 *p = c->bytes + 4 * (size_t)(s->first + k);
            /* Premultiplied, so a transparent pixel's colour does not bleed. */
            float af = p[3] / 255.0f;
            acc[0] += wt * (p[0] * af);
            acc[1] += wt * (p[1] * af);
            acc[2] += wt * (p[2] * af);
            acc[3] += wt * p[3];
        }
        memcpy(out + (size_t)x * 4, acc, sizeof acc);
    }
    return out;
}

static Uint8 clamp_byte(float v)
{
    if (v <= 0)
        return 0;
    if (v >= 255)
        return 255;
    return (Uint8)(v + 0.5f);
}

/* Scales the source into w × h ARGB8888 pixels at `pixels` (rows `pitch` bytes apart). */
static int scale_rows_into(row_source *src, int w, int h, void *pixels, int pitch)
{
    int rc = -1;
    axis ax = {0}, ay = {0};
    float *acc = NULL;
    row_cache cache = {0};
    if (w < 1 || h < 1 || src->w < 1 || src->h < 1)
        return -1;
    if (axis_build(&ax, src->w, w) != 0 || axis_build(&ay, src->h, h) != 0)
        goto fail;
    acc = malloc(sizeof *acc * (size_t)w * 4);
    cache.rows[0] = malloc(sizeof(float) * (size_t)w * 4);
    cache.rows[1] = malloc(sizeof(float) * (size_t)w * 4);
    cache.bytes = malloc((size_t)src->w * 4);
    if (!acc || !cache.rows[0] || !cache.rows[1] || !cache.bytes)
        goto fail;
    cache.src = src;
    cache.h = &ax;
    cache.w = w;
    cache.keys[0] = cache.keys[1] = -1;
    for (int y = 0; y < h && !cache.failed; y++) {
        const span *s = &ay.spans[y];
        memset(acc, 0, sizeof *acc * (size_t)w * 4);
        for (int k = 0; k < s->count; k++) {
            float wt = ay.weights[s->offset + (size_t)k];
            const float *row = hrow(&cache, s->first + k);
            for (int i = 0; i < w * 4; i++)
                acc[i] += wt * row[i];
        }
        Uint32 *out = (Uint32 *)((Uint8 *)pixels + (size_t)y * (size_t)pitch);
        for (int x = 0; x < w; x++) {
            const float *p = acc + (size_t)x * 4;
            float a = p[3];
            float inv = a > 0.001f ? 255.0f / a : 0;
            out[x] = (Uint32)clamp_byte(a) << 24 | (Uint32)clamp_byte(p[0] * inv) << 16 |
                     (Uint32)clamp_byte(p[1] * inv) << 8 | (Uint32)clamp_byte(p[2] * inv);
        }
    }
    rc = cache.failed ? -1 : 0;
fail:
    axis_free(&ax);
    axis_free(&ay);
    free(acc);
    free(cache.rows[0]);
    free(cache.rows[1]);
    free(cache.bytes);
    return rc;
}

/* A decoded surface scaled into pixels (see scale_rows_into). */
static int surface_into(SDL_Surface *src, int w, int h, void *pixels, int pitch)
{
    SDL_Surface *converted = NULL;
    int rc = -1;
    /* Palettes with a transparent index and packed sub-byte pixels: convert (such images are
     * small); everything else is read in its own format. */
    if (src->format->BytesPerPixel < 2 || SDL_HasColorKey(src))
        src = converted = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (src && SDL_LockSurface(src) == 0) {
        row_source rs = {src->w, src->h, surface_row, src};
        rc = scale_rows_into(&rs, w, h, pixels, pitch);
        SDL_UnlockSurface(src);
    }
    SDL_FreeSurface(converted);
    return rc;
}

SDL_Surface *bt_ui_image_scale(SDL_Surface *src, int w, int h)
{
    if (!src || w < 1 || h < 1)
        return NULL;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (dst && surface_into(src, w, h, dst->pixels, dst->pitch) != 0) {
        SDL_FreeSurface(dst);
        dst = NULL;
    }
    return dst;
}

/* ---- PNG, row by row (libpng) ---------------------------------------------------------------- */

typedef struct {
    FILE *f;
    png_structp png;
    png_infop info;
    int next;        /* the row png_read_row gives next */
    Uint8 *last;     /* the latest row read (asked for again at most once more) */
    int last_y;
    char why[200];
} png_reader;

static void png_fail(png_structp png, png_const_charp msg)
{
    png_reader *r = png_get_error_ptr(png);
    snprintf(r->why, sizeof r->why, "%s", msg);
    png_longjmp(png, 1);
}

static void png_note(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* warnings (e.g. a bad sRGB chunk) do not stop a picture that decodes */
}

static void png_reader_free(png_reader *r)
{
    if (r->png)
        png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    if (r->f)
        fclose(r->f);
    free(r->last);
    free(r);
}

/* Reads the header and sets the transforms to RGBA bytes; -1 for what is streamed no further
 * (an interlaced PNG comes in seven passes: SDL_image decodes it whole) or a libpng error. */
static int png_setup(png_reader *r, int *w, int *h)
{
    if (setjmp(png_jmpbuf(r->png)))
        return -1;
    png_init_io(r->png, r->f);
    png_read_info(r->png, r->info);
    if (png_get_interlace_type(r->png, r->info) != PNG_INTERLACE_NONE)
        return -1;
    int type = png_get_color_type(r->png, r->info);
    bool alpha = (type & PNG_COLOR_MASK_ALPHA) || png_get_valid(r->png, r->info, PNG_INFO_tRNS);
    png_set_expand(r->png);     /* palette and low-bit grey to 8-bit, tRNS to alpha */
    png_set_strip_16(r->png);
    png_set_gray_to_rgb(r->png);
    if (!alpha)
        png_set_add_alpha(r->png, 0xFF, PNG_FILLER_AFTER);
    png_read_update_info(r->png, r->info);
    *w = (int)png_get_image_width(r->png, r->info);
    *h = (int)png_get_image_height(r->png, r->info);
    return png_get_rowbytes(r->png, r->info) == (size_t)*w * 4 ? 0 : -1;
}

/* A PNG set to give RGBA bytes row by row; NULL for anything else (the caller, who keeps the
 * file then, lets SDL_image decode it whole). */
static png_reader *png_open(FILE *f, int *w, int *h)
{
    png_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    r->last_y = -1;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, png_fail, png_note);
    if (r->png && (r->info = png_create_info_struct(r->png)) && png_setup(r, w, h) == 0 &&
        (r->last = malloc((size_t)*w * 4)))
        return r;
    r->f = NULL;
    png_reader_free(r);
    return NULL;
}

static int png_row(void *ctx, int y, Uint8 *rgba)
{
    png_reader *r = ctx;
    if (y == r->last_y) {
        memcpy(rgba, r->last, png_get_rowbytes(r->png, r->info));
        return 0;
    }
    if (setjmp(png_jmpbuf(r->png)))
        return -1;
    while (r->next <= y) {
        png_read_row(r->png, r->last, NULL);
        r->last_y = r->next++;
    }
    memcpy(rgba, r->last, png_get_rowbytes(r->png, r->info));
    return 0;
}

/* ---- JPEG, row by row (libjpeg) -------------------------------------------------------------- */

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char why[JMSG_LENGTH_MAX];
} jpeg_failure;

typedef struct {
    FILE *f;
    struct jpeg_decompress_struct cinfo;
    jpeg_failure err;
    bool started;
    int next;
    Uint8 *last;
    int last_y;
} jpeg_reader;

static void jpeg_fail(j_common_ptr cinfo)
{
    jpeg_failure *e = (jpeg_failure *)cinfo->err;
    cinfo->err->format_message(cinfo, e->why);
    longjmp(e->jump, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level; /* recoverable corruption warnings: the picture still shows */
}

static void jpeg_reader_free(jpeg_reader *r)
{
    jpeg_destroy_decompress(&r->cinfo);
    if (r->f)
        fclose(r->f);
    free(r->last);
    free(r);
}

static int jpeg_setup(jpeg_reader *r, int *w, int *h)
{
    if (setjmp(r->err.jump))
        return -1;
    jpeg_stdio_src(&r->cinfo, r->f);
    jpeg_read_header(&r->cinfo, TRUE);
    if (r->cinfo.jpeg_color_space == JCS_CMYK || r->cinfo.jpeg_color_space == JCS_YCCK)
        return -1;
    *w = (int)r->cinfo.image_width;
    *h = (int)r->cinfo.image_height;
    return 0;
}

/* A JPEG in a colour space libjpeg turns into RGB (not CMYK); NULL otherwise (the caller keeps
 * the file). */
static jpeg_reader *jpeg_open(FILE *f, int *w, int *h)
{
    jpeg_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    r->last_y = -1;
    r->cinfo.err = jpeg_std_error(&r->err.mgr);
    r->err.mgr.error_exit = jpeg_fail;
    r->err.mgr.emit_message = jpeg_quiet;
    jpeg_create_decompress(&r->cinfo);
    if (jpeg_setup(r, w, h) == 0)
        return r;
    r->f = NULL;
    jpeg_reader_free(r);
    return NULL;
}

/* Starts decoding at the smallest of 1/8, 1/4, 1/2, 1/1 that is still at least w × h. */
static int jpeg_start(jpeg_reader *r, int w, int h, int *out_w, int *out_h)
{
    if (setjmp(r->err.jump))
        return -1;
    r->cinfo.out_color_space = JCS_EXT_RGBA;
    r->cinfo.scale_num = 1;
    static const unsigned denoms[] = {8, 4, 2, 1};
    for (size_t i = 0; i < sizeof denoms / sizeof denoms[0]; i++) {
        r->cinfo.scale_denom = denoms[i];
        jpeg_calc_output_dimensions(&r->cinfo);
        if ((int)r->cinfo.output_width >= w && (int)r->cinfo.output_height >= h)
            break;
    }
    jpeg_start_decompress(&r->cinfo);
    r->started = true;
    *out_w = (int)r->cinfo.output_width;
    *out_h = (int)r->cinfo.output_height;
    r->last = malloc((size_t)*out_w * 4);
    return r->last ? 0 : -1;
}

static int jpeg_row(void *ctx, int y, Uint8 *rgba)
{
    jpeg_reader *r = ctx;
    size_t bytes = (size_t)r->cinfo.output_width * 4;
    if (y == r->last_y) {
        memcpy(rgba, r->last, bytes);
        return 0;
    }
    if (setjmp(r->err.jump))
        return -1;
    while (r->next <= y) {
        JSAMPROW rows[1] = {r->last};
        if (jpeg_read_scanlines(&r->cinfo, rows, 1) != 1)
            return -1;
        r->last_y = r->next++;
    }
    memcpy(rgba, r->last, bytes);
    return 0;
}

/* ---- the public reader ----------------------------------------------------------------------- */

struct bt_ui_image {
    int w, h;
    int decoded_w, decoded_h; /* what was decoded: a JPEG may come at 1/2, 1/4 or 1/8 */
    png_reader *png;
    jpeg_reader *jpeg;
    SDL_Surface *whole; /* decoded by SDL_image: other formats, interlaced PNG, CMYK JPEG */
    char path[BT_MAX_PATH_BYTES * 2 + 2];
};

static int check_side(const char *path, int w, int h, char *err, size_t err_size)
{
    if (w > BT_MAX_IMAGE_SIDE || h > BT_MAX_IMAGE_SIDE || w < 1 || h < 1) {
        snprintf(err, err_size, "ảnh \"%s\" có kích thước %d×%d, vượt giới hạn %d px", path, w, h,
                 BT_MAX_IMAGE_SIDE);
        return -1;
    }
    return 0;
}

bt_ui_image *bt_ui_image_open(const char *path, char *err, size_t err_size)
{
    bt_ui_image *im = calloc(1, sizeof *im);
    if (!im) {
        snprintf(err, err_size, "không đủ bộ nhớ để đọc ảnh \"%s\"", path);
        return NULL;
    }
    snprintf(im->path, sizeof im->path, "%s", path);
    FILE *f = fopen(path, "rb");
    unsigned char magic[8] = {0};
    size_t got = f ? fread(magic, 1, sizeof magic, f) : 0;
    if (f && got == sizeof magic && png_sig_cmp(magic, 0, sizeof magic) == 0) {
        rewind(f);
        im->png = png_open(f, &im->w, &im->h);
    } else if (f && got >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) {
        rewind(f);
        im->jpeg = jpeg_open(f, &im->w, &im->h);
    }
    if (!im->png && !im->jpeg) {
        if (f)
            fclose(f);
        im->whole = bt_ui_image_load(path, err, err_size);
        if (!im->whole) {
            free(im);
            return NULL;
        }
        im->w = im->whole->w;
        im->h = im->whole->h;
    }
    if (check_side(path, im->w, im->h, err, err_size) != 0) {
        bt_ui_image_close(im);
        return NULL;
    }
    return im;
}

void bt_ui_image_size(const bt_ui_image *im, int *w, int *h)
{
    *w = im->w;
    *h = im->h;
}

int bt_ui_image_read_into(bt_ui_image *im, int w, int h, void *pixels, int pitch, char *err,
                          size_t err_size)
{
    int rc = -1;
    im->decoded_w = im->w;
    im->decoded_h = im->h;
    if (im->whole) {
        rc = surface_into(im->whole, w, h, pixels, pitch);
    } else if (im->png) {
        row_source rs = {im->w, im->h, png_row, im->png};
        rc = scale_rows_into(&rs, w, h, pixels, pitch);
    } else if (im->jpeg && !im->jpeg->started) {
        row_source rs = {0, 0, jpeg_row, im->jpeg};
        if (jpeg_start(im->jpeg, w, h, &rs.w, &rs.h) == 0) {
            im->decoded_w = rs.w;
            im->decoded_h = rs.h;
            rc = scale_rows_into(&rs, w, h, pixels, pitch);
        }
    }
    if (rc != 0) {
        /* libpng's, libjpeg's and SDL's texts are English: in words (bt_vi.h). */
        const char *why = im->png && im->png->why[0]     ? im->png->why
                          : im->jpeg && im->jpeg->err.why[0] ? im->jpeg->err.why
                                                           : SDL_GetError();
        why = bt_vi_library_error(why);
        snprintf(err, err_size, "không giải mã được ảnh \"%s\": %s", im->path, why);
    }
    return rc;
}

SDL_Surface *bt_ui_image_read_scaled(bt_ui_image *im, int w, int h, char *err, size_t err_size)
{
    SDL_Surface *out = w > 0 && h > 0
                           ? SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888)
                           : NULL;
    if (!out) {
        snprintf(err, err_size, "không đủ bộ nhớ cho ảnh \"%s\"", im->path);
        return NULL;
    }
    if (bt_ui_image_read_into(im, w, h, out->pixels, out->pitch, err, err_size) != 0) {
        SDL_FreeSurface(out);
        return NULL;
    }
    return out;
}

void bt_ui_image_decoded_size(const bt_ui_image *im, int *w, int *h)
{
    *w = im->decoded_w;
    *h = im->decoded_h;
}

void bt_ui_image_close(bt_ui_image *im)
{
    if (!im)
        return;
    if (im->png)
        png_reader_free(im->png);
    if (im->jpeg)
        jpeg_reader_free(im->jpeg);
    SDL_FreeSurface(im->whole);
    free(im);
}

int bt_ui_image_file_size(const char *path, int *w, int *h, char *err, size_t err_size)
{
    *w = *h = 0;
    if (!path || !*path)
        return 0;
    bt_ui_image *im = bt_ui_image_open(path, err, err_size);
    if (!im)
        return -1;
    bt_ui_image_size(im, w, h);
    bt_ui_image_close(im);
    return 0;
}
