/* A build without video (BT_VIDEO=OFF): nothing opens, and the screen shows a video notice's
 * title instead of its clip, as it does for an image that will not decode. */
#include "bangtin/bt_ui_video.h"

#include <stdio.h>

bt_ui_video *bt_ui_video_open(const char *path, char *err, size_t err_size)
{
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video (không chiếu \"%s\")",
             path);
    return NULL;
}

void bt_ui_video_close(bt_ui_video *v)
{
    (void)v;
}

void bt_ui_video_size(const bt_ui_video *v, int *w, int *h)
{
    (void)v;
    *w = *h = 0;
}

long long bt_ui_video_duration_ms(const bt_ui_video *v)
{
    (void)v;
    return 0;
}

bool bt_ui_video_hardware(const bt_ui_video *v)
{
    (void)v;
    return false;
}

void bt_ui_video_draw_size(bt_ui_video *v, SDL_Renderer *r, int w, int h)
{
    (void)v;
    (void)r;
    (void)w;
    (void)h;
}

SDL_Texture *bt_ui_video_texture(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size)
{
    (void)v;
    (void)r;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video");
    return NULL;
}

int bt_ui_video_frame_at(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err,
                         size_t err_size)
{
    (void)v;
    (void)ms;
    (void)tex;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video");
    return -1;
}

int bt_ui_video_frame_into(bt_ui_video *v, long long ms, SDL_Surface *dst, SDL_Rect at,
                           char *err, size_t err_size)
{
    (void)v;
    (void)ms;
    (void)dst;
    (void)at;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video");
    return -1;
}

long long bt_ui_video_next_ms(const bt_ui_video *v)
{
    (void)v;
    return -1;
}

void bt_ui_video_counts(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped)
{
    (void)v;
    *decoded = *dropped = 0;
}

int bt_ui_video_decode_whole(const char *path, long long *decoded_ms, char *err,
                             size_t err_size)
{
    *decoded_ms = 0;
    snprintf(err, err_size, "bản bangtin này không có bộ giải mã video (không kiểm tra \"%s\")",
             path);
    return -1;
}
