/* bt_ui_video.h in a build whose video code is the shared module (BT_VIDEO_MODULE, the
 * appliance): each call goes through the module's table, opened on the first clip. A clip
 * exists only when the module opened, so every call on one finds the table there. */
#include "bangtin/bt_ui_video.h"

#include "bangtin/bt_video_module.h"

bt_ui_video *bt_ui_video_open(const char *path, char *err, size_t err_size)
{
    const bt_video_module *m = bt_video_module_load(err, err_size);
    return m ? m->open(path, err, err_size) : NULL;
}

void bt_ui_video_close(bt_ui_video *v)
{
    if (v)
        bt_video_module_loaded()->close(v);
}

void bt_ui_video_size(const bt_ui_video *v, int *w, int *h)
{
    bt_video_module_loaded()->size(v, w, h);
}

long long bt_ui_video_duration_ms(const bt_ui_video *v)
{
    return bt_video_module_loaded()->duration_ms(v);
}

bool bt_ui_video_hardware(const bt_ui_video *v)
{
    return bt_video_module_loaded()->hardware(v);
}

void bt_ui_video_draw_size(bt_ui_video *v, SDL_Renderer *r, int w, int h)
{
    bt_video_module_loaded()->draw_size(v, r, w, h);
}

SDL_Texture *bt_ui_video_texture(bt_ui_video *v, SDL_Renderer *r, char *err, size_t err_size)
{
    return bt_video_module_loaded()->texture(v, r, err, err_size);
}

int bt_ui_video_frame_at(bt_ui_video *v, long long ms, SDL_Texture *tex, char *err,
                         size_t err_size)
{
    return bt_video_module_loaded()->frame_at(v, ms, tex, err, err_size);
}

int bt_ui_video_frame_into(bt_ui_video *v, long long ms, SDL_Surface *dst, SDL_Rect at,
                           char *err, size_t err_size)
{
    return bt_video_module_loaded()->frame_into(v, ms, dst, at, err, err_size);
}

long long bt_ui_video_next_ms(const bt_ui_video *v)
{
    return bt_video_module_loaded()->next_ms(v);
}

void bt_ui_video_counts(const bt_ui_video *v, unsigned long *decoded, unsigned long *dropped)
{
    bt_video_module_loaded()->counts(v, decoded, dropped);
}

int bt_ui_video_decode_whole(const char *path, long long *decoded_ms, char *err,
                             size_t err_size)
{
    const bt_video_module *m = bt_video_module_load(err, err_size);
    *decoded_ms = 0;
    return m ? m->decode_whole(path, decoded_ms, err, err_size) : -1;
}
