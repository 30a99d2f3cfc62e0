/* Images of image notices: decoded once with SDL_image (PNG, JPEG) and scaled once to exactly
 * the size they are shown at, so a large photo does not stay in memory at full size. */
#ifndef BT_UI_IMAGE_H
#define BT_UI_IMAGE_H

#include <stddef.h>

#include <SDL2/SDL.h>

/* An image to be shown at one size: bt_ui_image_open reads its header (PNG, JPEG) or decodes
 * it whole (other formats, interlaced PNG, CMYK JPEG); bt_ui_image_read_scaled then decodes it
 * row by row straight into the scaler, once. NULL with a Vietnamese message in err. */
typedef struct bt_ui_image bt_ui_image;
bt_ui_image *bt_ui_image_open(const char *path, char *err, size_t err_size);
void bt_ui_image_size(const bt_ui_image *im, int *w, int *h);
/* A new ARGB8888 surface of w×h, as bt_ui_image_scale makes it; call once. */
SDL_Surface *bt_ui_image_read_scaled(bt_ui_image *im, int w, int h, char *err, size_t err_size);
/* The same into w×h ARGB8888 pixels the caller holds (rows `pitch` bytes apart): a locked
 * streaming texture, so the picture exists once. 0, or -1 with err. Call once. */
int bt_ui_image_read_into(bt_ui_image *im, int w, int h, void *pixels, int pitch, char *err,
                          size_t err_size);
/* After bt_ui_image_read_scaled: the size it decoded the picture at (a JPEG well above its
 * shown size is decoded at 1/2, 1/4 or 1/8 by libjpeg). */
void bt_ui_image_decoded_size(const bt_ui_image *im, int *w, int *h);
void bt_ui_image_close(bt_ui_image *im);
/* The size the file's header gives (the ward's logo before the frame is laid out, issue 14);
 * 0 and both 0 when path is NULL or "", 0 with a size, or -1 with a Vietnamese message in err. */
int bt_ui_image_file_size(const char *path, int *w, int *h, char *err, size_t err_size);

/* Decodes a PNG/JPEG file whole. NULL with a Vietnamese message in err. Caller frees. */
SDL_Surface *bt_ui_image_load(const char *path, char *err, size_t err_size);
/* A new ARGB8888 surface of w×h: area-averaged when shrinking (no aliasing in fine print),
 * bilinear when enlarging; alpha is respected (averaged premultiplied). NULL on failure. */
SDL_Surface *bt_ui_image_scale(SDL_Surface *src, int w, int h);

#endif
