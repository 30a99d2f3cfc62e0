/* png_compare A.png B.png [FUZZ] [MAX_SHARE]: are two screenshots the same picture within a
 * tolerance? scripts/test-windows holds bangtin.exe's screenshots (under wine) to the native
 * ones with it. A pixel differs when one of its channels (RGBA) differs by more than FUZZ
 * (default 8 of 255: rounding in a scaler or a blend); the pictures match when at most
 * MAX_SHARE of their pixels differ (default 0.001, a tenth of a percent). Prints one line:
 * "WxH: N pixels differ by more than FUZZ (S%), largest difference D"; exit 0 if they match,
 * 1 if not, 2 if a file cannot be read or the sizes differ. A test tool: built by the script,
 * not part of bangtin. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a PNG as 8-bit RGBA rows; NULL after saying why. */
static unsigned char *read_rgba(const char *path, unsigned *w, unsigned *h)
{
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path)) {
        fprintf(stderr, "%s: %s\n", path, image.message);
        return NULL;
    }
    image.format = PNG_FORMAT_RGBA;
    unsigned char *pixels = malloc(PNG_IMAGE_SIZE(image));
    if (!pixels || !png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        fprintf(stderr, "%s: %s\n", path, pixels ? image.message : "out of memory");
        free(pixels);
        png_image_free(&image);
        return NULL;
    }
    *w = image.width;
    *h = image.height;
    return pixels;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: png_compare A.png B.png [FUZZ] [MAX_SHARE]\n");
        return 2;
    }
    int fuzz = argc > 3 ? atoi(argv[3]) : 8;
    double max_share = argc > 4 ? atof(argv[4]) : 0.001;
    unsigned aw, ah, bw, bh;
    unsigned char *a = read_rgba(argv[1], &aw, &ah);
    unsigned char *b = read_rgba(argv[2], &bw, &bh);
    if (!a || !b || aw != bw || ah != bh) {
        if (a && b)
            fprintf(stderr, "sizes differ: %ux%u and %ux%u\n", aw, ah, bw, bh);
        free(a);
        free(b);
        return 2;
    }
    size_t pixels = (size_t)aw * ah, differing = 0;
    int largest = 0;
    for (size_t i = 0; i < pixels; i++) {
        int worst = 0;
        for (int c = 0; c < 4; c++) {
            int d = abs((int)a[i * 4 + c] - (int)b[i * 4 + c]);
            if (d > worst)
                worst = d;
        }
        if (worst > largest)
            largest = worst;
        if (worst > fuzz)
            differing++;
    }
    double share = (double)differing / (double)pixels;
    printf("%ux%u: %zu pixels differ by more than %d (%.4f%%), largest difference %d\n", aw, ah,
           differing, fuzz, share * 100.0, largest);
    free(a);
    free(b);
    return share <= max_share ? 0 : 1;
}
