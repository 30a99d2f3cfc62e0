/* Image notices decoded row by row (bt_ui_image): a PNG of every colour type and bit depth gives
 * exactly what decoding it whole with SDL_image and scaling gives; a JPEG the same within the
 * IDCT's rounding, and a large one is decoded at a fraction of its size by libjpeg yet looks the
 * same; interlaced PNGs and other formats go the whole way; a file cut short fails with a
 * message instead of showing garbage. */
#include "ui_fixture.h"

#include <png.h>
#include <jpeglib.h>

#include "bangtin/bt_ui_image.h"

/* A smooth picture with some detail: what a slide or a photo is like. */
static void pixel_at(int x, int y, int w, int h, unsigned char rgba[4])
{
    rgba[0] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
    rgba[1] = (unsigned char)(y * 255 / (h > 1 ? h - 1 : 1));
    rgba[2] = (unsigned char)((x / 8 + y / 8) % 2 ? 200 : 40);
    rgba[3] = (unsigned char)(x < w / 4 ? 0 : x < w / 2 ? 128 : 255);
}

static char *temp_path(const char *name)
{
    static char dir[512];
    if (!dir[0]) {
        char *d = bt_test_temp_dir("ui-image");
        assert_non_null(d);
        snprintf(dir, sizeof dir, "%s", d);
        free(d);
    }
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* PNG of colour type `type` and `depth` bits (8 or 16; palette: 8, with index 0 transparent). */
static char *write_png(const char *name, int w, int h, int type, int depth, bool interlace)
{
    char *path = temp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_true(png && info); /* no setjmp: a libpng error aborts the test, which is a fail */
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[16];
        for (int i = 0; i < 16; i++)
            pal[i] = (png_color){(png_byte)(i * 16), (png_byte)(255 - i * 16), (png_byte)(i * 7)};
        png_set_PLTE(png, info, pal, 16);
        png_byte trans[1] = {0};
        png_set_tRNS(png, info, trans, 1, NULL);
    }
    png_write_info(png, info);
    int channels = type == PNG_COLOR_TYPE_RGB          ? 3
                   : type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
                   : type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                       : 1;
    size_t bytes = (size_t)w * (size_t)channels * (size_t)(depth / 8);
    png_bytep row = malloc(bytes);
    assert_non_null(row);
    int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; pass++) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                unsigned char px[4];
                pixel_at(x, y, w, h, px);
                unsigned char v[4];
                switch (type) {
                case PNG_COLOR_TYPE_PALETTE: v[0] = (unsigned char)((x + y) % 16); break;
                case PNG_COLOR_TYPE_GRAY: v[0] = px[0]; break;
                case PNG_COLOR_TYPE_GRAY_ALPHA: v[0] = px[0]; v[1] = px[3]; break;
                default: memcpy(v, px, 4); break;
                }
                for (int c = 0; c < channels; c++) {
                    if (depth == 16) {
                        row[((size_t)x * channels + c) * 2] = v[c];
                        row[((size_t)x * channels + c) * 2 + 1] = (png_byte)(x * 13);
                    } else {
                        row[(size_t)x * channels + c] = v[c];
                    }
                }
            }
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    fclose(f);
    return path;
}

static char *write_jpeg(const char *name, int w, int h)
{
    char *path = temp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    JSAMPLE *row = malloc((size_t)w * 3);
    assert_non_null(row);
    while (c.next_scanline < c.image_height) {
        int y = (int)c.next_scanline;
        for (int x = 0; x < w; x++) {
            unsigned char px[4];
            pixel_at(x, y, w, h, px);
            px[2] = (unsigned char)(128 + (x - y) % 64); /* smooth: no 8-px checks in a JPEG */
            memcpy(row + (size_t)x * 3, px, 3);
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    fclose(f);
    return path;
}

static SDL_Surface *whole_way(const char *path, int w, int h)
{
    SDL_Surface *img = IMG_Load(path);
    assert_non_null(img);
    SDL_Surface *out = bt_ui_image_scale(img, w, h);
    SDL_FreeSurface(img);
    assert_non_null(out);
    return out;
}

/* Decoded row by row into the scaler; *decoded (may be NULL) gets the size it decoded at. */
static SDL_Surface *streamed_at(const char *path, int w, int h, int decoded[2])
{
    char err[1024];
    bt_ui_image *im = bt_ui_image_open(path, err, sizeof err);
    if (!im)
        fail_msg("open %s: %s", path, err);
    SDL_Surface *out = bt_ui_image_read_scaled(im, w, h, err, sizeof err);
    if (!out)
        fail_msg("read %s: %s", path, err);
    if (decoded)
        bt_ui_image_decoded_size(im, &decoded[0], &decoded[1]);
    bt_ui_image_close(im);
    return out;
}

static SDL_Surface *streamed(const char *path, int w, int h)
{
    return streamed_at(path, w, h, NULL);
}

/* The largest difference of any channel of any pixel, and the mean. */
static int compare(const SDL_Surface *a, const SDL_Surface *b, double *mean)
{
    assert_int_equal(a->w, b->w);
    assert_int_equal(a->h, b->h);
    int worst = 0;
    double sum = 0;
    for (int y = 0; y < a->h; y++) {
        const Uint8 *ra = (const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch;
        const Uint8 *rb = (const Uint8 *)b->pixels + (size_t)y * (size_t)b->pitch;
        for (int i = 0; i < a->w * 4; i++) {
            int d = abs((int)ra[i] - (int)rb[i]);
            sum += d;
            if (d > worst)
                worst = d;
        }
    }
    if (mean)
        *mean = sum / ((double)a->w * a->h * 4);
    return worst;
}

static void every_png_kind_matches_the_whole_decode(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int type, depth;
        bool interlace;
    } kinds[] = {
        {"rgb8.png", PNG_COLOR_TYPE_RGB, 8, false},
        {"rgba8.png", PNG_COLOR_TYPE_RGB_ALPHA, 8, false},
        {"rgba16.png", PNG_COLOR_TYPE_RGB_ALPHA, 16, false},
        {"rgb16.png", PNG_COLOR_TYPE_RGB, 16, false},
        {"palette-trns.png", PNG_COLOR_TYPE_PALETTE, 8, false},
        {"gray8.png", PNG_COLOR_TYPE_GRAY, 8, false},
        {"gray-alpha.png", PNG_COLOR_TYPE_GRAY_ALPHA, 8, false},
        {"interlaced.png", PNG_COLOR_TYPE_RGB_ALPHA, 8, true},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *path = write_png(kinds[i].name, 173, 97, kinds[i].type, kinds[i].depth,
                               kinds[i].interlace);
        /* Shrunk, enlarged, and at its own size. */
        static const int sizes[][2] = {{60, 34}, {400, 224}, {173, 97}};
        for (size_t k = 0; k < 3; k++) {
            SDL_Surface *a = whole_way(path, sizes[k][0], sizes[k][1]);
            SDL_Surface *b = streamed(path, sizes[k][0], sizes[k][1]);
            int worst = compare(a, b, NULL);
            if (worst != 0)
                fail_msg("%s at %dx%d differs by up to %d", kinds[i].name, sizes[k][0],
                         sizes[k][1], worst);
            SDL_FreeSurface(a);
            SDL_FreeSurface(b);
        }
        free(path);
    }
}

static void jpeg_matches_and_a_large_one_is_decoded_small(void **state)
{
    (void)state;
    char *small = write_jpeg("small.jpg", 240, 160);
    SDL_Surface *a = whole_way(small, 200, 133);
    SDL_Surface *b = streamed(small, 200, 133);
    double mean;
    int worst = compare(a, b, &mean);
    assert_true(worst <= 4); /* the same decoder; rounding of colour conversion only */
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    free(small);

    /* 1/8 of 1600×1200 is 200×150, still above the 150×100 it is shown at: libjpeg decodes an
     * eighth of the pixels, and the result looks like the whole decode scaled down. */
    char *large = write_jpeg("large.jpg", 1600, 1200);
    a = whole_way(large, 150, 100);
    int decoded[2];
    b = streamed_at(large, 150, 100, decoded);
    assert_int_equal(decoded[0], 200);
    assert_int_equal(decoded[1], 150);
    worst = compare(a, b, &mean);
    if (mean > 3.0 || worst > 48)
        fail_msg("large JPEG: mean difference %.2f, worst %d", mean, worst);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    free(large);
}

static void a_file_cut_short_fails_with_a_message(void **state)
{
    (void)state;
    char *path = write_png("cut.png", 300, 200, PNG_COLOR_TYPE_RGB, 8, false);
    size_t len = 0;
    char *data = bt_test_read_file(path, &len);
    assert_non_null(data);
    assert_int_equal(bt_test_write_file(path, data, len / 2), 0);
    free(data);
    char err[1024] = "";
    bt_ui_image *im = bt_ui_image_open(path, err, sizeof err);
    assert_non_null(im); /* the header is whole */
    int w, h;
    bt_ui_image_size(im, &w, &h);
    assert_int_equal(w, 300);
    assert_int_equal(h, 200);
    assert_null(bt_ui_image_read_scaled(im, 150, 100, err, sizeof err));
    assert_non_null(strstr(err, "không giải mã được ảnh"));
    bt_ui_image_close(im);

    /* Not an image at all. */
    assert_int_equal(bt_test_write_file(path, "xin chào", strlen("xin chào")), 0);
    assert_null(bt_ui_image_open(path, err, sizeof err));
    assert_true(err[0] != '\0');
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_png_kind_matches_the_whole_decode),
        cmocka_unit_test(jpeg_matches_and_a_large_one_is_decoded_small),
        cmocka_unit_test(a_file_cut_short_fails_with_a_message),
    };
    return cmocka_run_group_tests(tests, ui_video_setup, ui_video_teardown);
}
