/* Image decoding and one-off resampling for image notices.
 *
 * The scaler is separable and streams: each output row is built from the few source rows that
 * cover it, each resampled horizontally into a float row (a two-row cache serves neighbouring
 * output rows), so memory beyond the source and the result is a handful of rows, not a second
 * copy of a large photo. Source pixels are read through their own format (RGB24 JPEGs are
 * not converted to 32 bits first, which would double the peak for a big photo). */
#include "bangtin/bt_ui_image.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_image.h>

#include "bangtin/bt_limits.h"

SDL_Surface *bt_ui_image_load(const char *path, char *err, size_t err_size)
{
    SDL_Surface *img = IMG_Load(path);
    if (!img) {
        snprintf(err, err_size, "không đọc được ảnh \"%s\": %s", path, IMG_GetError());
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

/* Reads pixel x of a row as premultiplied floats (r, g, b, a in 0..255). */
static void read_pixel(const SDL_Surface *src, const Uint8 *row, int x, float *out)
{
    const Uint8 *p = row + (size_t)x * src->format->BytesPerPixel;
    Uint32 v;
    switch (src->format->BytesPerPixel) {
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
    Uint8 r, g, b, a;
    SDL_GetRGBA(v, src->format, &r, &g, &b, &a);
    float af = a / 255.0f;
    out[0] = r * af;
    out[1] = g * af;
    out[2] = b * af;
    out[3] = a;
}

typedef struct {
    const SDL_Surface *src;
    const axis *h;
    int w;
    float *rows[2]; /* cache of two horizontally resampled source rows */
    int keys[2];
    int next;
} row_cache;

static const float *hrow(row_cache *c, int sy)
{
    for (int k = 0; k < 2; k++)
        if (c->keys[k] == sy)
            return c->rows[k];
    float *out = c->rows[c->next];
    c->keys[c->next] = sy;
    c->next ^= 1;
    const Uint8 *row = (const Uint8 *)c->src->pixels + (size_t)sy * (size_t)c->src->pitch;
    float px[4];
    for (int x = 0; x < c->w; x++) {
        const span *s = &c->h->spans[x];
        float acc[4] = {0, 0, 0, 0};
        for (int k = 0; k < s->count; k++) {
            float wt = c->h->weights[s->offset + (size_t)k];
            read_pixel(c->src, row, s->first + k, px);
            acc[0] += wt * px[0];
            acc[1] += wt * px[1];
            acc[2] += wt * px[2];
            acc[3] += wt * px[3];
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

SDL_Surface *bt_ui_image_scale(SDL_Surface *src_in, int w, int h)
{
    SDL_Surface *src = src_in, *converted = NULL, *dst = NULL;
    axis ax = {0}, ay = {0};
    float *acc = NULL;
    row_cache cache = {0};
    if (!src || w < 1 || h < 1)
        return NULL;
    /* Palettes with a transparent index and packed sub-byte pixels: convert (such images are
     * small); everything else is read in its own format. */
    if (src->format->BytesPerPixel < 2 || SDL_HasColorKey(src)) {
        converted = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
        if (!converted)
            return NULL;
        src = converted;
    }
    if (axis_build(&ax, src->w, w) != 0 || axis_build(&ay, src->h, h) != 0)
        goto fail;
    acc = malloc(sizeof *acc * (size_t)w * 4);
    cache.rows[0] = malloc(sizeof(float) * (size_t)w * 4);
    cache.rows[1] = malloc(sizeof(float) * (size_t)w * 4);
    dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!acc || !cache.rows[0] || !cache.rows[1] || !dst)
        goto fail;
    cache.src = src;
    cache.h = &ax;
    cache.w = w;
    cache.keys[0] = cache.keys[1] = -1;
    if (SDL_LockSurface(src) != 0)
        goto fail;
    for (int y = 0; y < h; y++) {
        const span *s = &ay.spans[y];
        memset(acc, 0, sizeof *acc * (size_t)w * 4);
        for (int k = 0; k < s->count; k++) {
            float wt = ay.weights[s->offset + (size_t)k];
            const float *row = hrow(&cache, s->first + k);
            for (int i = 0; i < w * 4; i++)
                acc[i] += wt * row[i];
        }
        Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch);
        for (int x = 0; x < w; x++) {
            const float *p = acc + (size_t)x * 4;
            float a = p[3];
            float inv = a > 0.001f ? 255.0f / a : 0;
            out[x] = (Uint32)clamp_byte(a) << 24 | (Uint32)clamp_byte(p[0] * inv) << 16 |
                     (Uint32)clamp_byte(p[1] * inv) << 8 | (Uint32)clamp_byte(p[2] * inv);
        }
    }
    SDL_UnlockSurface(src);
    goto done;
fail:
    SDL_FreeSurface(dst);
    dst = NULL;
done:
    axis_free(&ax);
    axis_free(&ay);
    free(acc);
    free(cache.rows[0]);
    free(cache.rows[1]);
    SDL_FreeSurface(converted);
    return dst;
}
